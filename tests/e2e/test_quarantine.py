"""Errors are not "stale": what fails is set aside with its error, rolled
back whole, and the rest goes on.

- A poison update (its handler's database write fails) is recorded in
  failed_updates, its transaction rolled back (no partial state, nothing it
  queued goes out), the offset moves past it, later updates are handled, and
  a restart does not apply it again.
- A failing scheduler job (one case's reminder) is rolled back alone and
  recorded in failed_jobs with its error; the other case's reminders still go
  out; it is tried again a bounded number of times (30 s of business time,
  doubling) and then set aside, the admins told once.
- A group that became a supergroup: Telegram's 400 with migrate_to_chat_id
  re-addresses the queued message, which is then delivered.

The failures come from the test hook SERTIBOT_TEST_FAIL_SQL (db/db.h): a
statement whose SQL, with its values written in, matches the glob fails."""

import time

from harness import ADMIN, APPLICANT, KADIS, db_rows, run_tests
from sop import MONDAY_0900, WIB, Chat
from datetime import datetime


def at(h, m, s=0):
    return datetime(2026, 11, 30, h, m, s, tzinfo=WIB)


def ms(when):
    return int(when.timestamp() * 1000)


def hook_failures(bot):
    return bot.stderr().count("test hook SERTIBOT_TEST_FAIL_SQL: failing")


# --- a poison update ---------------------------------------------------------

def test_a_poison_update_is_rolled_back_recorded_and_not_applied_again(env):
    fake = env.fake
    poison = "UPDATE users SET language = 'en' WHERE telegram_id = %d" % APPLICANT
    bot = env.bot().start({"SERTIBOT_TEST_FAIL_SQL": poison}).wait_polling()
    chat = Chat(fake, bot)
    chat.send(APPLICANT, "/bahasa")
    message_id, data = chat.wait_button(APPLICANT, r"^lang:en$")
    # The press would rename the person (first_name) and switch the language:
    # the first write is kept only if the whole update commits.
    fake.push_callback(APPLICANT, data, message_id=message_id, first_name="Renamed")
    answer = fake.wait_for(lambda f: [c for c in f.calls("answerCallbackQuery")
                                      if c["callback_query_id"] == f.callback_ids[-1]],
                           what="the answer to the poison press")[0]
    assert answer.get("text", "").startswith("Maaf, terjadi gangguan"), answer
    chat.settle()
    assert hook_failures(bot) == 1, bot.stderr()[-2000:]

    failed = db_rows(bot, "SELECT update_id, raw, reason FROM failed_updates")
    assert len(failed) == 1, failed
    update_id, raw, reason = failed[0]
    assert '"data":"lang:en"' in raw and "handler error" in reason, failed
    # rolled back whole: neither the language nor the new first name
    assert db_rows(bot, "SELECT language, first_name FROM users WHERE telegram_id = ?",
                   APPLICANT) == [(None, "User%d" % APPLICANT)]
    # nothing the handler queued went out: no confirmation, no edited picker;
    # the person was told that something went wrong
    assert not [e for e in fake.edits if e.get("chat_id") == APPLICANT], fake.edits
    texts = [m["text"] for m in fake.sent_messages(APPLICANT)]
    assert texts[-1].startswith("Maaf, terjadi gangguan"), texts
    assert not [t for t in texts if "Bahasa Indonesia" in t and t.startswith("Baik")], texts
    # the offset is past it, and the next update is handled
    assert db_rows(bot, "SELECT value FROM bot_state WHERE key = 'update_offset'") == \
        [(str(update_id + 1),)]
    before = len(fake.sent_messages(APPLICANT))
    chat.send(APPLICANT, "/help")
    assert len(fake.sent_messages(APPLICANT)) == before + 1

    # A restart without the hook neither fetches nor applies it again.
    assert bot.stop() == 0
    bot = env.bot().start().wait_polling()
    chat = Chat(fake, bot)
    chat.send(APPLICANT, "/help")
    assert fake.pending_updates() == 0
    assert db_rows(bot, "SELECT language FROM users WHERE telegram_id = ?", APPLICANT) == [(None,)]
    assert len(db_rows(bot, "SELECT 1 FROM failed_updates")) == 1
    assert not [e for e in fake.edits if e.get("chat_id") == APPLICANT]
    assert hook_failures(bot) == 0


# --- a failing scheduler job -------------------------------------------------

def reminders(fake, chat_id):
    return [m["text"] for m in fake.sent_messages(chat_id) if "Pengingat tenggat" in m["text"]]


def job_row(bot, job):
    rows = db_rows(bot, "SELECT attempts, set_aside, next_try_at, error FROM failed_jobs "
                   "WHERE job = ?", job)
    return rows[0] if rows else None


def test_a_failing_job_is_set_aside_and_the_others_still_run(env):
    fake = env.fake
    bot = env.bot(clock=MONDAY_0900).start().wait_polling()
    chat = Chat(fake, bot)
    chat.register_applicant()
    first = chat.submit()
    second = chat.submit(subject="Permohonan kedua")
    assert (first, second) == ("SE-0001", "SE-0002")
    clocks = db_rows(bot, "SELECT id, case_id FROM step_clocks ORDER BY id")
    assert clocks == [(1, 1), (2, 2)], clocks
    assert bot.stop() == 0

    # From now on writing the first case's clock fails: its reminder job.
    bot = env.bot(clock=MONDAY_0900)
    bot.start({"SERTIBOT_TEST_FAIL_SQL": "UPDATE step_clocks SET * WHERE id = 1"}).wait_polling()
    bot.set_clock(at(9, 12))  # 75% of step 1's 15 minutes, for both cases (no 50%
    # reminder on a step this short)
    fake.wait_for(lambda f: reminders(f, KADIS), what="the other case's reminder")
    fake.wait_for(lambda f: job_row(bot, "clock:1"), what="the failure on the record")
    told = reminders(fake, KADIS)
    assert len(told) == 1 and "SE-0002" in told[0] and "SE-0001" not in told[0], told
    attempts, set_aside, next_try, error = job_row(bot, "clock:1")
    assert (attempts, set_aside) == (1, 0), job_row(bot, "clock:1")
    assert next_try == ms(at(9, 12, 30)), next_try  # 30 s of business time later
    assert "clock update" in error and "SERTIBOT_TEST_FAIL_SQL" in error, error
    # rolled back alone: the first clock did not move, the second did
    stages = db_rows(bot, "SELECT id, reminder_stage FROM step_clocks ORDER BY id")
    assert stages == [(1, 0), (2, 2)], stages
    assert job_row(bot, "clock:2") is None

    # Tried again at 30, 60, 120, 240 s, then set aside at the fifth failure.
    for attempt in range(2, 6):
        bot.set_clock(job_row(bot, "clock:1")[2])
        fake.wait_for(lambda f: job_row(bot, "clock:1")[0] == attempt,
                      what="try %d" % attempt)
    attempts, set_aside, _, error = job_row(bot, "clock:1")
    assert (attempts, set_aside) == (5, 1)
    warned = fake.wait_for(lambda f: [m["text"] for m in f.sent_messages(ADMIN)
                                      if "dikesampingkan" in m["text"]], what="the admins told")
    assert len(warned) == 1 and "clock:1" in warned[0] and "SERTIBOT_TEST_FAIL_SQL" in warned[0]

    # Set aside: never tried again, while the other case's clock runs on.
    bot.set_clock(at(9, 15))  # the deadline of both
    fake.wait_for(lambda f: [t for t in reminders(f, KADIS) if "tenggat" in t and "SE-0002" in t
                             and "SE-0001" not in t and t != told[0]], what="the deadline")
    time.sleep(1.5)  # room for a wrong retry (the scheduler looks every 200 ms)
    assert hook_failures(bot) == 5, bot.stderr()[-2000:]
    assert job_row(bot, "clock:1")[0] == 5
    assert not [t for t in reminders(fake, KADIS) if "SE-0001" in t]
    assert len([m for m in fake.sent_messages(ADMIN) if "dikesampingkan" in m["text"]]) == 1

    # The quarantine outlives a restart: still set aside, the rest still runs.
    assert bot.stop() == 0
    bot = env.bot(clock=at(9, 15)).start().wait_polling()
    bot.set_clock(at(10, 15))
    fake.wait_for(lambda f: len([t for t in reminders(f, KADIS) if "SE-0002" in t]) >= 3,
                  what="the overdue reminder of the other case")
    assert not [t for t in reminders(fake, KADIS) if "SE-0001" in t]
    assert db_rows(bot, "SELECT reminder_stage FROM step_clocks WHERE id = 1") == [(0,)]


# --- a group that became a supergroup ----------------------------------------

GROUP = -4001
SUPERGROUP = -1001000004001


def test_a_message_to_a_group_that_became_a_supergroup_is_readdressed(env):
    fake = env.fake
    bot = env.bot().start().wait_polling()
    chat = Chat(fake, bot)
    fake.migrate_group(GROUP, SUPERGROUP)
    fake.push_group_message(GROUP, APPLICANT, "/help")
    fake.push_group_message(GROUP, APPLICANT, "/start")
    chat.settle()
    delivered = fake.sent_messages(SUPERGROUP)
    assert len(delivered) == 2, delivered
    assert fake.sent_messages(GROUP) == []
    refused = [r for r in fake.requests if r.method == "sendMessage" and r.status == 400]
    assert len(refused) == 2 and all(r.params["chat_id"] == GROUP for r in refused), refused
    assert db_rows(bot, "SELECT count(*) FROM outbox_failed") == [(0,)]
    assert "Sanitizer" not in bot.stderr()


if __name__ == "__main__":
    run_tests(globals())
