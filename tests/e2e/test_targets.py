"""Issue 9: the handler framework resolves a button's target (the case, at
the version its card was drawn for) and answers the refusals itself; a
database error while a press is handled is a failed update, rolled back,
never "this button is out of date"."""

from harness import APPLICANT, KABID, KADIS, KASI, db_rows, run_tests
from sop import Chat

STALE_BUTTON = "Tombol ini sudah tidak berlaku."
NOT_FOR_YOUR_ROLE = "Maaf, perintah ini bukan untuk peran Anda."
NOT_YOURS_AT_THIS_STEP = "Tindakan ini bukan untuk Anda pada langkah ini."
NOT_WAITING_FOR_YOU = "Permohonan ini tidak sedang menunggu Anda."
MOVED_ON = "Permohonan ini sudah bergerak"
INTERNAL = "Maaf, terjadi gangguan di sisi kami."


def submitted(env, extra_env=None):
    bot = env.bot().start(extra_env=extra_env).wait_polling()
    chat = Chat(env.fake, bot)
    chat.register_applicant()
    chat.submit()
    message_id, data = chat.wait_button(KADIS, r"^c:\d+:\d+:dispose$")
    _, case, version, _ = data.split(":")
    return bot, chat, message_id, int(case), int(version)


def test_the_framework_answers_refusals(env):
    bot, chat, message_id, case, version = submitted(env)
    # Garbage data: no such event, no such picker page, not a case id.
    for garbage in ("c:%d:%d:bogus" % (case, version), "c:%d:%d:dispose:7" % (case, version),
                    "c:%d:%d:submit" % (case, version), "s:%d:%d:zz" % (case, version),
                    "c:%d:%d:dispose" % (case + 100, version), "v:0", "sheet:x"):
        answer = chat.tap(KADIS, garbage, message_id=message_id)
        assert answer == STALE_BUTTON, (garbage, answer)
    assert chat.tap(KADIS, "t:abc") == NOT_WAITING_FOR_YOU
    # The wrong person: the Kabid may not take the Kadis's step.
    answer = chat.tap(KABID, "c:%d:%d:dispose" % (case, version))
    assert answer == NOT_YOURS_AT_THIS_STEP, answer
    # Not the role the button is for: the entry's roles, before any read.
    assert chat.tap(APPLICANT, "d:%d:%d:i0" % (case, version)) == NOT_FOR_YOUR_ROLE
    assert chat.tap(APPLICANT, "t:%d" % case) == NOT_FOR_YOUR_ROLE
    # An official the case does not wait for asks for its card.
    assert chat.tap(KASI, "t:%d" % case) == NOT_WAITING_FOR_YOU
    chat.settle()
    assert db_rows(bot, "SELECT state, version FROM cases") == [("s1_disposisi_kadis", version)]
    assert db_rows(bot, "SELECT count(*) FROM card_drafts") == [(0,)]
    # The holder's own press goes through; the same card's button is then stale.
    chat.dispose(KADIS)
    answer = chat.tap(KADIS, "c:%d:%d:dispose" % (case, version), message_id=message_id)
    assert answer.startswith(MOVED_ON), answer
    answer = chat.tap(KADIS, "d:%d:%d:i0" % (case, version), message_id=message_id)
    assert answer.startswith(MOVED_ON), answer
    chat.settle()
    assert db_rows(bot, "SELECT state, version FROM cases") == \
        [("s2_disposisi_kabid", version + 1)]
    assert db_rows(bot, "SELECT count(*) FROM failed_updates") == [(0,)]


def test_db_error_during_a_press_is_a_failed_update(env):
    """The disposition's record cannot be written: the press is rolled back
    (the case, the card's choices, the Kabid's card) and recorded as failed."""
    bot, chat, message_id, case, version = submitted(
        env, {"SERTIBOT_TEST_FAIL_SQL": "*INSERT INTO dispositions(*"})
    chat.open_sheet(KADIS)
    assert chat.press(KADIS, r"^d:\d+:\d+:i0$") == "Tercatat"
    drafts = db_rows(bot, "SELECT step, data FROM card_drafts")
    assert drafts, "the choice was not kept"
    kabid_before = len(env.fake.sent_messages(KABID))
    answer = chat.tap(KADIS, "c:%d:%d:dispose" % (case, version), message_id=message_id)
    chat.settle()
    assert answer.startswith(INTERNAL), answer
    assert any(INTERNAL in t for t in chat.texts(KADIS)), chat.texts(KADIS)[-3:]
    reasons = db_rows(bot, "SELECT reason FROM failed_updates")
    assert len(reasons) == 1 and "handler error" in reasons[0][0], reasons
    assert db_rows(bot, "SELECT state, version FROM cases") == [("s1_disposisi_kadis", version)]
    assert db_rows(bot, "SELECT count(*) FROM dispositions") == [(0,)]
    assert db_rows(bot, "SELECT step, data FROM card_drafts") == drafts, "half applied"
    assert len(env.fake.sent_messages(KABID)) == kabid_before, "the Kabid got a card"


def test_db_error_while_refusing_a_stale_press_is_not_stale(env):
    """Answering a stale press reads who moved the case; when that read fails,
    the press is a failed update, not the old "out of date" fallback."""
    bot, chat, message_id, case, version = submitted(
        env, {"SERTIBOT_TEST_FAIL_SQL": "*FROM audit WHERE case_id = * ORDER BY id DESC LIMIT 1"})
    chat.dispose(KADIS)
    answer = chat.tap(KADIS, "c:%d:%d:dispose" % (case, version), message_id=message_id)
    chat.settle()
    assert answer.startswith(INTERNAL), answer
    assert len(db_rows(bot, "SELECT reason FROM failed_updates")) == 1
    assert db_rows(bot, "SELECT state, version FROM cases") == \
        [("s2_disposisi_kabid", version + 1)]


if __name__ == "__main__":
    run_tests(globals())
