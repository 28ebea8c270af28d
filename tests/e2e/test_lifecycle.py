"""Start, stop, crash and restart: nothing lost, nothing applied twice."""

import os
import signal
import stat
import time

from harness import APPLICANT, TOKEN, db_rows, run_tests, texts_to, wait_texts

USERS = [3001, 3002, 3003, 3004, 3005]


def settle_requests(fake, method, quiet=1.0, timeout=15):
    """Waits until no new `method` request has arrived for `quiet` seconds."""
    deadline = time.time() + timeout
    seen, since = -1, time.time()
    while time.time() < deadline:
        count = len([r for r in fake.requests if r.method == method])
        if count != seen:
            seen, since = count, time.time()
        elif time.time() - since >= quiet:
            return
        time.sleep(0.1)


def test_kill9_between_receiving_and_answering_then_restart_answers_each_once(env):
    fake = env.fake
    bot = env.bot().start().wait_polling()
    fake.inject("sendMessage", "hang", count=100)
    for user in USERS:
        fake.push_message(user, "/start", first_name="U%d" % user, language_code="id")
    # the batch was received and committed: the bot is trying to send answers,
    # all of them (a request still on its way when the faults are cleared
    # below would be delivered, and its answer sent again after the restart)
    fake.wait_for(lambda f: sum(r.method == "sendMessage" for r in f.requests) >= len(USERS),
                  what="a send attempt for each")
    assert not fake.sent_messages(), "nothing may have been delivered yet"
    bot.kill9()
    # Requests the dead bot wrote before it died may still sit in the
    # fake's socket buffers: let the fake read them while they still hang,
    # or a loaded machine would deliver them after clear_faults.
    settle_requests(fake, "sendMessage")
    fake.clear_faults()

    env.bot().start().wait_polling()
    for user in USERS:
        wait_texts(fake, user, 1, timeout=20)
    time.sleep(1.5)  # room for a wrong duplicate to show up
    for user in USERS:
        texts = texts_to(fake, user)
        assert len(texts) == 1, (user, texts)
        assert "Bapak/Ibu U%d." % user in texts[0]


def test_restart_after_commit_does_not_reapply_updates(env):
    fake = env.fake
    bot = env.bot().start().wait_polling()
    fake.push_message(APPLICANT, "/help", language_code="id")
    wait_texts(fake, APPLICANT, 1)
    # The answer's outbox row is cleared once Telegram confirmed it (a kill
    # before that sends it again, by design); the update's offset is what
    # this test is about.
    fake.wait_for(lambda f: db_rows(bot, "SELECT count(*) FROM outbox WHERE chat_id = ?",
                                    APPLICANT) == [(0,)], what="the answer's row cleared")
    bot.kill9()  # before the next getUpdates could confirm the offset to Telegram
    env.bot().start().wait_polling()
    fake.push_message(APPLICANT, "/start", language_code="id")
    texts = wait_texts(fake, APPLICANT, 2)
    time.sleep(1)
    assert len(texts_to(fake, APPLICANT)) == 2, texts_to(fake, APPLICANT)


def test_update_ids_restarting_lower_after_a_quiet_week_are_all_handled(env):
    fake = env.fake
    bot = env.bot().start().wait_polling()
    for i in range(3):
        fake.push_message(APPLICANT, "/help", language_code="id")
    wait_texts(fake, APPLICANT, 3)
    # a long holiday: Telegram picks a random, lower id for the next update
    fake.set_next_update_id(57)
    fake.push_message(APPLICANT, "/start", language_code="id")
    fake.push_message(APPLICANT, "/start", language_code="id")
    wait_texts(fake, APPLICANT, 5)
    # and across a restart, with the old high offset still stored
    bot.stop()
    fake.set_next_update_id(11)
    fake.push_message(APPLICANT, "/help", language_code="id")
    env.bot().start().wait_polling()
    wait_texts(fake, APPLICANT, 6, timeout=15)
    time.sleep(1)
    assert len(texts_to(fake, APPLICANT)) == 6


def test_sigterm_stops_cleanly_and_database_is_private(env):
    bot = env.bot().start().wait_polling()
    env.fake.push_message(APPLICANT, "/start", language_code="id")
    wait_texts(env.fake, APPLICANT, 1)
    assert bot.stop(signal.SIGTERM) == 0, bot.stderr()
    assert "stopped" in bot.stderr()
    mode = stat.S_IMODE(os.stat(bot.database).st_mode)
    assert mode == 0o600, oct(mode)


def test_second_instance_on_same_database_refuses(env):
    first = env.bot().start().wait_polling()
    second = env.bot().start()
    assert second.wait_exit() == 5
    assert "another sertibot is already running" in second.stderr(), second.stderr()
    assert first.alive()


def test_bad_token_ends_with_a_clear_line_and_never_logs_the_token(env):
    secret = "999999:WRONG-SECRET-abc"
    bot = env.bot(token=secret).start()
    assert bot.wait_exit() == 3
    err = bot.stderr()
    assert "refused the bot token (401 Unauthorized)" in err, err
    assert "WRONG-SECRET" not in err, "the token leaked into the log"


def test_conflict_409_ends_with_a_clear_line(env):
    env.fake.inject("getUpdates", "409")
    bot = env.bot().start()
    assert bot.wait_exit() == 4
    assert "409 Conflict" in bot.stderr(), bot.stderr()


def test_bad_config_names_the_key(env):
    bot = env.bot(config_overrides={"officials": [{"telegram_id": 5, "role": "camat", "name": "X"}]})
    bot.start()
    assert bot.wait_exit() == 2
    assert "officials[0].role" in bot.stderr(), bot.stderr()
    assert TOKEN not in bot.stderr()


if __name__ == "__main__":
    run_tests(globals())
