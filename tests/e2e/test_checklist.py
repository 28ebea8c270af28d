"""The Kasi's requirements checklist (step 3) through the real binary: buttons
named after the holders, "Semua lengkap" per holder, a second tap before an
item is marked missing, and what of the ticks survives a return."""

from harness import APPLICANT, KABID, KADIS, KASI, PELAKSANA, db_rows, run_tests
from sop import LETTER_PDF, MONDAY_0900, Chat, buttons, find_button


def start(env):
    bot = env.bot(clock=MONDAY_0900).start().wait_polling()
    chat = Chat(env.fake, bot)
    chat.register_applicant()
    chat.submit()
    chat.dispose(KADIS)
    chat.dispose(KABID)
    chat.wait_button(KASI, r"^k:\d+:\d+:1:0$")
    return bot, chat


def label(env, pattern):
    found = find_button(env.fake, KASI, pattern)
    assert found, pattern
    message_id, data = found
    return next(t for mid, t, d in buttons(env.fake, KASI) if mid == message_id and d == data)


def ticks(bot):
    return db_rows(bot, "SELECT h.name, c.item, c.status FROM checklist c "
                        "JOIN case_holders h ON h.id = c.holder_id ORDER BY h.id, c.item")


def ok_rows(names=("Rina Wati", "Budi <b>Santoso</b> & Co"), items=3):
    return [(n, str(i), "ok") for n in names for i in range(items)]


def test_buttons_name_the_holder_and_all_complete_is_per_holder(env):
    bot, chat = start(env)
    assert label(env, r"^k:\d+:\d+:1:0$") == "▫️ KTP · Rina Wati"
    assert label(env, r"^k:\d+:\d+:2:2$") == "▫️ Email dinas · Budi <b>Santoso</b> & Co"
    assert label(env, r"^k:\d+:\d+:2:a$") == "✔️ Semua lengkap · Budi <b>Santoso</b> & Co"
    for _, _, data in buttons(env.fake, KASI):
        assert len(data.encode()) <= 64, data
    # forged: a holder the case does not have, an item out of range, junk
    _, data = find_button(env.fake, KASI, r"^k:\d+:\d+:1:a$")
    for forged in (data[:-3] + "3:a", data[:-1] + "x9", data[:-1] + "ab", data[:-1] + "x"):
        assert "tidak berlaku" in chat.tap(KASI, forged), forged
    assert ticks(bot) == []
    chat.press(KASI, r"^k:\d+:\d+:2:a$")
    assert ticks(bot) == ok_rows(names=("Budi <b>Santoso</b> & Co",))
    assert label(env, r"^k:\d+:\d+:2:1$") == "✅ SK · Budi <b>Santoso</b> & Co"
    assert label(env, r"^k:\d+:\d+:1:1$") == "▫️ SK · Rina Wati"
    chat.press(KASI, r"^k:\d+:\d+:1:a$")
    chat.press(KASI, r"^c:\d+:\d+:set_checklist_complete$")
    assert db_rows(bot, "SELECT checklist_complete FROM cases") == [(1,)]


def test_a_second_tap_explains_itself_before_marking_missing(env):
    bot, chat = start(env)
    chat.press(KASI, r"^k:\d+:\d+:1:1$")
    assert ticks(bot) == [("Rina Wati", "1", "ok")]
    answer = chat.press(KASI, r"^k:\d+:\d+:1:1$")
    assert "ketuk sekali lagi" in answer, answer
    assert ticks(bot) == [("Rina Wati", "1", "ok")], "the first tap changes nothing"
    assert not find_button(env.fake, KASI, r"^k:\d+:\d+:1:1$")
    assert label(env, r"^k:\d+:\d+:1:x1$") == "❓ SK · Rina Wati"
    chat.press(KASI, r"^k:\d+:\d+:1:x1$")
    chat.wait_text(KASI, "Apa yang kurang")
    chat.send(KASI, "SK belum dilegalisasi")
    assert db_rows(bot, "SELECT status, note FROM checklist") == [("missing", "SK belum dilegalisasi")]
    assert label(env, r"^k:\d+:\d+:1:1$") == "❌ SK · Rina Wati"
    # an armed button from an older drawing no longer marks anything
    _, data = find_button(env.fake, KASI, r"^k:\d+:\d+:1:1$")
    assert "tidak berlaku" in chat.tap(KASI, data[:-1] + "x1")
    assert db_rows(bot, "SELECT status FROM checklist") == [("missing",)]


def test_ticks_survive_a_return_when_the_documents_did_not_change(env):
    bot, chat = start(env)
    chat.step3()
    chat.press(PELAKSANA, r"^c:\d+:\d+:return$")
    chat.send(PELAKSANA, "Draf salah nomor")
    chat.wait_button(KASI, r"^c:\d+:\d+:set_checklist_complete$")
    assert db_rows(bot, "SELECT state, checklist_complete FROM cases") == [("s3_verifikasi_kasi", 0)]
    assert ticks(bot) == ok_rows()
    assert label(env, r"^k:\d+:\d+:1:0$") == "✅ KTP · Rina Wati"
    # the Kasi affirms again without ticking again
    chat.press(KASI, r"^c:\d+:\d+:set_checklist_complete$")
    assert db_rows(bot, "SELECT checklist_complete FROM cases") == [(1,)]


def request_and_send_documents(chat):
    chat.press(KASI, r"^c:\d+:\d+:request_documents$")
    chat.send(KASI, "SK Budi belum dilegalisasi")
    chat.wait_button(APPLICANT, r"^c:\d+:\d+:documents_provided$")
    chat.send_file(APPLICANT, LETTER_PDF, "sk-budi.pdf", "application/pdf")
    chat.press(APPLICANT, r"^c:\d+:\d+:documents_provided$")
    chat.wait_button(KASI, r"^c:\d+:\d+:set_checklist_complete$")


def test_new_documents_reopen_the_items_marked_missing(env):
    bot, chat = start(env)
    chat.press(KASI, r"^k:\d+:\d+:1:a$")
    chat.press(KASI, r"^k:\d+:\d+:2:a$")
    chat.press(KASI, r"^k:\d+:\d+:2:1$")
    chat.press(KASI, r"^k:\d+:\d+:2:x1$")
    chat.send(KASI, "belum dilegalisasi")
    request_and_send_documents(chat)
    expected = [r for r in ok_rows() if r != ("Budi <b>Santoso</b> & Co", "1", "ok")]
    assert ticks(bot) == expected
    assert label(env, r"^k:\d+:\d+:2:1$") == "▫️ SK · Budi <b>Santoso</b> & Co"


def test_ticks_are_cleared_on_a_return_when_the_applicant_sent_new_documents(env):
    bot, chat = start(env)
    chat.check_everything()
    request_and_send_documents(chat)
    assert ticks(bot) == ok_rows(), "nothing was marked missing: the ticks stay"
    # the Kasi forwards without judging the new documents item by item
    chat.press(KASI, r"^c:\d+:\d+:set_checklist_complete$")
    chat.press(KASI, r"^c:\d+:\d+:set_draft_ready$")
    chat.press(KASI, r"^c:\d+:\d+:forward$")
    chat.press(KASI, r"^c:\d+:\d+:forward:%d$" % PELAKSANA)
    chat.press(PELAKSANA, r"^c:\d+:\d+:return$")
    chat.send(PELAKSANA, "KTP Rina buram")
    chat.wait_button(KASI, r"^k:\d+:\d+:1:0$")
    assert db_rows(bot, "SELECT state FROM cases") == [("s3_verifikasi_kasi",)]
    assert ticks(bot) == []
    assert label(env, r"^k:\d+:\d+:1:0$") == "▫️ KTP · Rina Wati"


if __name__ == "__main__":
    run_tests(globals())
