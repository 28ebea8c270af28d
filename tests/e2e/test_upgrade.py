"""The bot on a database made by the oldest schemas, with real rows in it.

tests/unit/test_db_upgrade.c writes the file (`--write-old FILE`): the
runtime's rows at schema 1 (an offset, people, two messages still queued),
the SOP's at 2 (three cases: at the Kadis, at step 7, closed; holders, files,
dispositions, audit), a reminder stage at 3 and a confirmed session at 4.
The bot opens it (every later migration runs), sends what was queued, shows
the cases with /status, and its scheduler reminds of the old step clock."""

import os
from datetime import datetime

from harness import ADMIN, APPLICANT, KADIS, db_rows, run_tests
from sop import WIB, Chat


def at(h, m):
    return datetime(2026, 11, 30, h, m, tzinfo=WIB)


def write_old_file(path):
    import harness
    import subprocess
    tool = os.path.join(os.path.dirname(harness.BOT), "test_db_upgrade")
    assert os.path.exists(tool), "build test_db_upgrade beside sertibot: %s" % tool
    subprocess.run([tool, "--write-old", path], check=True)
    assert db_rows_at(path, "PRAGMA user_version") == [(4,)]


def db_rows_at(path, sql):
    import sqlite3
    db = sqlite3.connect(path)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def reminders(fake, chat_id):
    return [m["text"] for m in fake.sent_messages(chat_id) if "Pengingat tenggat" in m["text"]]


def test_the_bot_runs_on_a_file_from_the_oldest_schema(env):
    fake = env.fake
    fake.set_next_update_id(6000)  # the old file's offset is 5001
    bot = env.bot(clock=at(9, 10))
    write_old_file(bot.database)
    bot.start().wait_polling()
    chat = Chat(fake, bot)
    chat.settle()
    # every later migration ran (the newest table is there)
    (version,) = db_rows(bot, "PRAGMA user_version")[0]
    assert version > 4
    assert db_rows(bot, "SELECT count(*) FROM failed_jobs") == [(0,)]
    # what was queued before the upgrade goes out
    assert "Kartu SE-0001" in [m["text"] for m in fake.sent_messages(KADIS)]
    assert "Permohonan diterima" in [m["text"] for m in fake.sent_messages(APPLICANT)]
    assert db_rows(bot, "SELECT message_id FROM card_messages WHERE card_key = 'case:1:1001'")

    # the applicant's cases, from the old rows
    chat.send(APPLICANT, "/status")
    status = fake.sent_messages(APPLICANT)[-1]["text"]
    assert "SE-0001" in status and "SE-0002" in status, status
    chat.send(APPLICANT, "/status SE-0002")
    detail = fake.sent_messages(APPLICANT)[-1]["text"]
    assert "Permohonan kedua" in detail, detail

    # the old step clock reminds at 75% (09:11), the Kadis and the admins
    assert reminders(fake, KADIS) == []
    bot.set_clock(at(9, 11))
    told = fake.wait_for(lambda f: reminders(f, KADIS), what="the 75% reminder")
    assert "SE-0001" in told[0] and "75%" in told[0], told
    fake.wait_for(lambda f: reminders(f, ADMIN), what="the escalation")
    assert db_rows(bot, "SELECT reminder_stage FROM step_clocks WHERE case_id = 1") == [(2,)]
    assert "Sanitizer" not in bot.stderr()


if __name__ == "__main__":
    run_tests(globals())
