"""Delivery under trouble: Telegram's flood control, server errors, cut
connections, broken answers, and blocked users. Every answer arrives exactly
once, and nothing stops the bot but what should."""

import sqlite3

from harness import APPLICANT, KASI, run_tests, texts_to, wait_texts


def sends_to(fake, chat_id):
    return [r for r in fake.requests if r.method == "sendMessage" and r.params.get("chat_id") == chat_id]


def test_429_is_retried_after_retry_after_and_arrives_once(env):
    fake = env.fake
    env.bot().start().wait_polling()
    fake.inject("sendMessage", "429", retry_after=2)
    fake.push_message(APPLICANT, "/help", language_code="id")
    wait_texts(fake, APPLICANT, 1, timeout=15)
    # the fake shows the message a moment before it records the status
    fake.wait_for(lambda f: all(r.status for r in sends_to(f, APPLICANT)),
                  what="the sends to finish")
    attempts = sends_to(fake, APPLICANT)
    assert [r.status for r in attempts] == [429, 200], [r.status for r in attempts]
    gap = attempts[1].time - attempts[0].time
    assert gap >= 1.9, "retried %.2f s after a retry_after of 2 s" % gap
    assert len(texts_to(fake, APPLICANT)) == 1


def test_server_errors_cut_connections_and_garbage_are_retried(env):
    fake = env.fake
    env.bot().start().wait_polling()
    fake.inject("sendMessage", "500")
    fake.inject("sendMessage", "drop")
    fake.inject("sendMessage", "malformed")
    fake.push_message(APPLICANT, "/help", language_code="id")
    wait_texts(fake, APPLICANT, 1, timeout=30)
    statuses = [r.status for r in sends_to(fake, APPLICANT)]
    assert statuses[0] == 500 and statuses[-1] == 200 and len(statuses) == 4, statuses
    assert len(texts_to(fake, APPLICANT)) == 1


def test_polling_survives_getupdates_faults(env):
    fake = env.fake
    bot = env.bot().start().wait_polling()
    for kind in ("500", "drop", "malformed", "429"):
        fake.inject("getUpdates", kind, retry_after=1)
    fake.inject("getUpdates", "slow", seconds=1)
    fake.push_message(APPLICANT, "/start", language_code="id")
    wait_texts(fake, APPLICANT, 1, timeout=40)
    assert bot.alive()


def test_blocked_user_is_marked_and_others_still_served(env):
    fake = env.fake
    bot = env.bot().start().wait_polling()
    fake.push_message(APPLICANT, "/start", language_code="id")
    wait_texts(fake, APPLICANT, 1)
    fake.block(APPLICANT)
    fake.push_message(APPLICANT, "/help", language_code="id")  # written just before blocking
    fake.push_message(KASI, "/help", language_code="id")
    wait_texts(fake, KASI, 1)
    fake.wait_for(lambda f: any(r.status == 403 for r in sends_to(f, APPLICANT)), what="the 403")
    fake.push_my_chat_member(APPLICANT, "kicked")
    fake.push_message(KASI, "/start", language_code="id")
    wait_texts(fake, KASI, 2)
    db = sqlite3.connect(bot.database)
    reachable = db.execute("SELECT reachable FROM users WHERE telegram_id = ?", (APPLICANT,)).fetchone()
    failed = db.execute("SELECT error_code, description FROM outbox_failed WHERE chat_id = ?",
                        (APPLICANT,)).fetchall()
    db.close()
    assert reachable == (0,), reachable
    assert failed == [(403, "Forbidden: bot was blocked by the user")], failed
    assert bot.alive()


def test_long_text_is_split_not_rejected(env):
    fake = env.fake
    bot = env.bot().start().wait_polling()
    name = "Nama" * 1100  # 4400 characters: the greeting cannot fit one message
    fake.push_message(APPLICANT, "/start", first_name=name, language_code="id")
    texts = wait_texts(fake, APPLICANT, 2)
    assert all(len(t) <= 4096 for t in texts), [len(t) for t in texts]
    joined = "".join(texts)
    assert name in joined.replace("\n", ""), "the name was cut"
    assert not any(r.status == 400 for r in fake.requests), "Telegram refused a message"
    assert bot.alive()


if __name__ == "__main__":
    run_tests(globals())
