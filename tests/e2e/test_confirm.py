"""Second thoughts (issue 10): an irreversible action asks for a second tap
on the same card ("Ya, kembalikan" / "Batal") and can be undone within one
minute by the one who took it, as long as nobody acted after it. Time is the
bot's injected clock (SERTIBOT_CLOCK_FILE), never the wall clock."""

from datetime import timedelta

from harness import APPLICANT, KABID, KADIS, KASI, PELAKSANA, db_rows, run_tests
from sop import MONDAY_0900, Chat, buttons, current_messages, find_button

UNDO = r"^u:\d+:\d+:undo$"


def start(env):
    bot = env.bot(clock=MONDAY_0900).start().wait_polling()
    # The helpers leave the second tap to the test.
    return bot, Chat(env.fake, bot, confirm=False)


def case_row(bot):
    return db_rows(bot, "SELECT state, version FROM cases")[0]


def labels(fake, user, message_id):
    return [text for mid, text, _ in buttons(fake, user) if mid == message_id]


def message(fake, user, message_id):
    return current_messages(fake, user)[message_id]


def ask_return(chat, note):
    """The Kadis taps "Kembalikan" and types the reason: the card asks."""
    chat.press(KADIS, r"^c:\d+:\d+:return$")
    chat.wait_text(KADIS, "alasan pengembalian")
    chat.send(KADIS, note)
    return chat.wait_button(KADIS, r"^c:\d+:\d+:return:y$")


def test_return_asks_for_confirmation_and_can_be_undone(env):
    fake = env.fake
    bot, chat = start(env)
    chat.register_applicant()
    number = chat.submit()
    before = case_row(bot)
    assert before[0] == "s1_disposisi_kadis", before
    card_id, _ = chat.wait_button(KADIS, r"^c:\d+:\d+:return$")

    # The note is in: the same card asks, and nothing has happened yet.
    asked_id, yes = ask_return(chat, "Lampiran SK belum ada")
    assert asked_id == card_id, (asked_id, card_id)
    assert labels(fake, KADIS, card_id) == ["Ya, kembalikan", "Batal"], labels(fake, KADIS, card_id)
    question = message(fake, KADIS, card_id)["text"]
    assert "akan dikembalikan kepada pemohon dan ditutup" in question, question
    assert "Lampiran SK belum ada" in question, question
    assert case_row(bot) == before, "the first tap must change nothing"
    assert not [t for t in chat.texts(APPLICANT) if "dikembalikan" in t]
    # A message typed meanwhile is not taken as anything else.
    chat.send(KADIS, "halo")
    chat.wait_text(KADIS, "menunggu konfirmasi")
    assert case_row(bot) == before

    # Batal: the card as it was, with its buttons; nothing changed.
    answer = chat.press(KADIS, r"^c:\d+:\d+:return:n$")
    assert "Dibatalkan" in answer, answer
    assert find_button(fake, KADIS, r"^c:\d+:\d+:return$")[0] == card_id
    assert find_button(fake, KADIS, r"^c:\d+:\d+:dispose$")[0] == card_id
    assert not find_button(fake, KADIS, r":y$")
    assert case_row(bot) == before
    assert db_rows(bot, "SELECT count(*) FROM conversations WHERE telegram_id = ?", KADIS) == [(0,)]

    # Asked again, "Ya" returns it: the applicant is told, with "Ajukan lagi".
    ask_return(chat, "Lampiran SK belum ada")
    answer = chat.press(KADIS, r"^c:\d+:\d+:return:y$")
    assert "1 menit" in answer, answer
    assert case_row(bot)[0] == "closed_dikembalikan", case_row(bot)
    news_id, _ = chat.wait_button(APPLICANT, r"^intake:again:\d+$")
    assert "dikembalikan" in message(fake, APPLICANT, news_id)["text"]
    assert db_rows(bot, "SELECT ended_at IS NOT NULL FROM step_clocks WHERE step = 1") == [(1,)]
    undo_id, undo = chat.wait_button(KADIS, UNDO)
    assert undo_id == card_id, "the undo sits on the actor's card"
    assert labels(fake, KADIS, card_id) == ["↩️ Urungkan (1 menit)"], labels(fake, KADIS, card_id)
    closed = case_row(bot)

    # Somebody else's undo is refused, even with the very button data.
    answer = chat.tap(KABID, undo, message_id=undo_id)
    assert "Hanya pejabat yang melakukan" in answer, answer
    chat.settle()
    assert case_row(bot) == closed

    # Within the minute, by the Kadis: the case is back at step 1.
    bot.set_clock(MONDAY_0900 + timedelta(seconds=40))
    answer = chat.press(KADIS, UNDO)
    assert "Diurungkan" in answer, answer
    state, version = case_row(bot)
    assert state == "s1_disposisi_kadis" and version == closed[1] + 1, (state, version)
    assert db_rows(bot, "SELECT closed_at FROM cases") == [(None,)]
    assert db_rows(bot, "SELECT ended_at FROM step_clocks WHERE step = 1") == [(None,)]
    events = [r[0] for r in db_rows(bot, "SELECT event FROM audit ORDER BY id")]
    assert events[-2:] == ["return", "undo"], events
    # The applicant's news is withdrawn and loses "Ajukan lagi".
    news = message(fake, APPLICANT, news_id)
    assert "dibatalkan" in news["text"] and number in news["text"], news["text"]
    assert not find_button(fake, APPLICANT, r"^intake:again:")
    # The Kadis has the card again, live; its history says "Diurungkan".
    card = message(fake, KADIS, card_id)
    assert "Diurungkan" in card["text"], card["text"]
    assert find_button(fake, KADIS, r"^c:\d+:\d+:dispose$")[0] == card_id
    assert not find_button(fake, KADIS, UNDO)
    # The old confirmation, pressed again, is stale and does nothing.
    answer = chat.tap(KADIS, yes, message_id=card_id)
    chat.settle()
    assert case_row(bot) == (state, version), "a stale Ya must change nothing"

    # Returned again; an undo 61 s later (the bot's clock) is refused.
    ask_return(chat, "Lampiran SK tetap belum ada")
    chat.press(KADIS, r"^c:\d+:\d+:return:y$")
    closed = case_row(bot)
    assert closed[0] == "closed_dikembalikan", closed
    late_id, late = chat.wait_button(KADIS, UNDO)
    bot.set_clock(MONDAY_0900 + timedelta(seconds=40 + 61))
    # The minute over, the scheduler takes the button and the record away.
    fake.wait_for(lambda f: not find_button(f, KADIS, UNDO), timeout=10,
                  what="the undo button removed when its minute is over")
    assert db_rows(bot, "SELECT count(*) FROM undo") == [(0,)]
    assert case_row(bot) == closed
    # A press that was on its way (the old button's data) changes nothing.
    answer = chat.tap(KADIS, late, message_id=late_id)
    assert "tidak dapat diurungkan" in answer, answer
    assert case_row(bot) == closed
    events = [r[0] for r in db_rows(bot, "SELECT event FROM audit ORDER BY id")]
    assert events[-1] == "return", events


def through_step3(env):
    """A request submitted, dispositioned and verified: at the Pelaksana's step 4."""
    bot, chat = start(env)
    chat.register_applicant()
    chat.submit()
    chat.dispose(KADIS)
    chat.dispose(KABID)
    chat.step3()
    return bot, chat


def test_sign_asks_for_confirmation_and_can_be_undone(env):
    fake = env.fake
    bot, chat = through_step3(env)
    for step in ("confirm_files", "confirm_draft", "ask_signature"):
        chat.press(PELAKSANA, r"^c:\d+:\d+:%s$" % step)
    before = case_row(bot)
    assert before[0] == "s4_ttd_kadis", before

    # The first tap asks on the same card; no number is given yet.
    card_id, _ = chat.wait_button(KADIS, r"^c:\d+:\d+:sign$")
    answer = chat.press(KADIS, r"^c:\d+:\d+:sign$")
    assert "konfirmasi" in answer, answer
    assert labels(fake, KADIS, card_id) == ["Ya, tanda tangani", "Batal"], labels(fake, KADIS, card_id)
    assert "akan ditandatangani, diberi nomor" in message(fake, KADIS, card_id)["text"]
    assert case_row(bot) == before
    assert db_rows(bot, "SELECT count(*) FROM outgoing_letters") == [(0,)]
    assert db_rows(bot, "SELECT count(*) FROM conversations WHERE telegram_id = ?", KADIS) == [(0,)]

    # Ya: signed and numbered; the Pelaksana gets the next card.
    chat.press(KADIS, r"^c:\d+:\d+:sign:y$")
    assert case_row(bot)[0] == "s4_kirim_bsre", case_row(bot)
    assert db_rows(bot, "SELECT seq FROM outgoing_letters") == [(1,)]
    next_id, _ = chat.wait_button(PELAKSANA, r"^c:\d+:\d+:upload_signed$")

    # Undone within the minute: back to signing, the Pelaksana's card
    # withdrawn, the number cancelled and kept (never given again).
    bot.set_clock(MONDAY_0900 + timedelta(seconds=20))
    assert "Diurungkan" in chat.press(KADIS, UNDO)
    assert case_row(bot)[0] == "s4_ttd_kadis", case_row(bot)
    withdrawn = message(fake, PELAKSANA, next_id)
    assert "ditarik kembali" in withdrawn["text"], withdrawn["text"]
    assert not find_button(fake, PELAKSANA, r"^c:\d+:\d+:upload_signed$")
    assert db_rows(bot, "SELECT o.seq FROM outgoing_cancelled c JOIN outgoing_letters o "
                        "ON o.id = c.letter_id") == [(1,)]
    assert find_button(fake, KADIS, r"^c:\d+:\d+:sign$")[0] == card_id
    cancelled = db_rows(bot, "SELECT number FROM outgoing_letters WHERE seq = 1")[0][0]
    told = chat.wait_text(KASI, "diurungkan")
    assert cancelled in told and "tidak dipakai lagi" in told, told

    # Signed again: the next number. Then the Pelaksana acts, and the
    # Kadis's undo, still within its minute, is refused.
    chat.press(KADIS, r"^c:\d+:\d+:sign$")
    chat.press(KADIS, r"^c:\d+:\d+:sign:y$")
    assert db_rows(bot, "SELECT seq FROM outgoing_letters ORDER BY seq") == [(1,), (2,)]
    chat.press(PELAKSANA, r"^c:\d+:\d+:upload_signed$")
    chat.send_file(PELAKSANA, b"%PDF-1.4 signed", "rekomendasi-ttd.pdf", "application/pdf")
    moved = case_row(bot)
    answer = chat.press(KADIS, UNDO)
    assert "sudah ditindaklanjuti" in answer, answer
    assert case_row(bot) == moved
    assert db_rows(bot, "SELECT count(*) FROM outgoing_cancelled") == [(1,)]


def test_rejection_asks_for_confirmation_and_can_be_undone(env):
    fake = env.fake
    bot, chat = through_step3(env)
    chat.auto_confirm = True
    chat.step4()
    chat.auto_confirm = False
    before = case_row(bot)
    assert before[0] == "s5_menunggu_bsre", before

    chat.press(PELAKSANA, r"^c:\d+:\d+:bsre_reply:rejected$")
    chat.send(PELAKSANA, "Data pemegang tidak valid")
    card_id, _ = chat.wait_button(PELAKSANA, r"^c:\d+:\d+:bsre_reply:rejected:y$")
    assert labels(fake, PELAKSANA, card_id) == ["Ya, catat penolakan", "Batal"]
    assert case_row(bot) == before
    chat.press(PELAKSANA, r"^c:\d+:\d+:bsre_reply:rejected:y$")
    assert case_row(bot)[0] == "s5_lapor_kasi", case_row(bot)
    assert db_rows(bot, "SELECT count(*) FROM step_clocks WHERE step = 5") == [(1,)]
    report_id, _ = chat.wait_button(PELAKSANA, r"^c:\d+:\d+:report_to_kasi$")

    assert "Diurungkan" in chat.press(PELAKSANA, UNDO)
    assert db_rows(bot, "SELECT state, bsre_outcome FROM cases") == [("s5_menunggu_bsre", "none")]
    # Step 5's clock, started by the rejection, never ran.
    assert db_rows(bot, "SELECT count(*) FROM step_clocks WHERE step = 5") == [(0,)]
    assert "ditarik kembali" in message(fake, PELAKSANA, report_id)["text"]
    assert not find_button(fake, PELAKSANA, r"report_to_kasi")
    assert find_button(fake, PELAKSANA, r"^c:\d+:\d+:bsre_reply:rejected$")[0] == card_id
    assert not [t for t in chat.texts(KASI) if "ditolak" in t.lower() and "BSrE" in t]


def test_rejection_on_the_mail_card_asks_too(env):
    """BSrE's reply read by e-mail: "Ditolak" on its card asks the same second
    tap, and step 5 still counts from the reply's arrival."""
    import shutil
    from test_mail_receive import (case_at_step5, mail, mail_bot, start_bot, start_dovecot,
                                   wait_baseline, wait_inbox)
    dove, base = start_dovecot()
    try:
        bot = start_bot(mail_bot(env, dove))
        chat = Chat(env.fake, bot)
        number = case_at_step5(chat)
        wait_baseline(env, bot)
        dove.deliver(mail("Re: [%s] Hasil verifikasi" % number, "Permohonan ditolak.\r\n",
                          "Content-Type: text/plain; charset=utf-8\r\n"))
        inbox_id = wait_inbox(env, bot, 1)[0][0]
        arrived = db_rows(bot, "SELECT received_at FROM inbox_messages WHERE id = ?", inbox_id)[0][0]
        chat.auto_confirm = False
        bot.set_clock(MONDAY_0900 + timedelta(minutes=10))
        card_id, _ = chat.wait_button(PELAKSANA, r"^ib:o:%d:rejected$" % inbox_id, timeout=15)
        before = case_row(bot)
        # Only the Pelaksana records it; for them the same card asks.
        chat.tap(KASI, "ib:o:%d:rejected" % inbox_id)
        chat.settle()
        assert not find_button(env.fake, KASI, r":y$"), "the Kasi is asked nothing"
        assert case_row(bot) == before
        answer = chat.press(PELAKSANA, r"^ib:o:%d:rejected$" % inbox_id)
        assert "konfirmasi" in answer, answer
        assert case_row(bot) == before
        assert labels(env.fake, PELAKSANA, card_id) == ["Ya, catat penolakan", "Batal"]
        chat.press(PELAKSANA, r"^c:\d+:\d+:bsre_reply:rejected:y$")
        assert db_rows(bot, "SELECT state, bsre_outcome FROM cases") == [("s5_lapor_kasi", "rejected")]
        assert db_rows(bot, "SELECT started_at FROM step_clocks WHERE step = 5") == [(arrived,)]
        assert "Diurungkan" in chat.press(PELAKSANA, UNDO)
        assert db_rows(bot, "SELECT state, bsre_outcome FROM cases") == [("s5_menunggu_bsre", "none")]
        assert db_rows(bot, "SELECT count(*) FROM step_clocks WHERE step = 5") == [(0,)]
    finally:
        dove.stop()
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    run_tests(globals())
