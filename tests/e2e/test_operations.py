"""The operators' commands through the real binary: check-config, the audit
trail's hash chain (`audit verify` after an edit or a removal with the sqlite3
shell), a backup taken in the middle of a busy run restored and run on, and
`export` of one case."""

import json
import os
import sqlite3
import subprocess
import threading
import time

from harness import ADMIN, APPLICANT, KABID, KADIS, db_rows, run_tests, texts_to
import harness
from sop import HOLDERS, MONDAY_0900, Chat

APPLICANTS = (APPLICANT, 2002, 2003, 2004)


def sertibot(bot, *args):
    """Runs `sertibot ARGS --config <the bot's config>`; (exit code, stdout, stderr)."""
    env = dict(os.environ)
    env.pop("SERTIBOT_TOKEN", None)
    done = subprocess.run([harness.BOT, *args, "--config", bot.config_path], env=env, cwd=bot.workdir,
                          capture_output=True, text=True, timeout=60)
    return done.returncode, done.stdout, done.stderr


def shell(database, sql):
    """The sqlite3 shell, as an operator (or an intruder) would use it."""
    subprocess.run(["sqlite3", database, sql], check=True, capture_output=True, timeout=30)


def a_case_in_step_three(env):
    bot = env.bot().start().wait_polling()
    chat = Chat(env.fake, bot)
    chat.register_applicant()
    number = chat.submit()
    chat.dispose(KADIS)
    chat.dispose(KABID)
    return bot, chat, number


def test_check_config_reports_each_file_and_fails_on_a_bad_one(env):
    bot = env.bot()
    code, out, _ = sertibot(bot, "check-config")
    assert code == 0, out
    assert "ok    database" in out and "ok    calendar.holidays_file" in out, out
    with open(bot.config_path) as f:
        config = json.load(f)
    holidays = config["calendar"]["holidays_file"]
    with open(holidays, "w") as f:
        f.write('[{"date": "2027-02-30", "name": "x", "kind": "national"}]')
    secret = os.path.join(bot.workdir, "smtp-password")
    with open(secret, "w") as f:
        f.write("s3cret")
    os.chmod(secret, 0o644)
    config["mail"] = {"password_file": secret}
    with open(bot.config_path, "w") as f:
        json.dump(config, f)
    code, out, _ = sertibot(bot, "check-config")
    assert code == 2, out
    assert "FAIL  calendar.holidays_file" in out and "[0].date" in out, out
    assert "FAIL  mail.password_file" in out and "0600 or 0400" in out, out
    os.chmod(secret, 0o600)
    code, out, _ = sertibot(bot, "check-config")
    assert "ok    mail.password_file" in out, out
    assert code == 2, "the holiday file is still wrong"


def test_audit_verify_names_the_edited_and_the_removed_entry(env):
    bot, chat, _ = a_case_in_step_three(env)
    code, out, _ = sertibot(bot, "audit", "verify")
    assert code == 0 and "chain intact" in out, out
    ids = [r[0] for r in db_rows(bot, "SELECT id FROM audit ORDER BY id")]
    assert len(ids) >= 3, ids
    assert bot.stop() == 0
    shell(bot.database, "UPDATE audit SET note = 'ditulis ulang' WHERE id = %d" % ids[1])
    code, out, _ = sertibot(bot, "audit", "verify")
    assert code == 1, out
    assert "BROKEN at entry %d " % ids[1] in out and "changed" in out, out
    shell(bot.database, "UPDATE audit SET note = NULL WHERE id = %d" % ids[1])
    # note was NULL for this entry: the chain holds again
    code, out, _ = sertibot(bot, "audit", "verify")
    assert code == 0, out
    shell(bot.database, "DELETE FROM audit WHERE id = %d" % ids[1])
    code, out, _ = sertibot(bot, "audit", "verify")
    assert code == 1, out
    assert "BROKEN at entry %d " % ids[2] in out and "removed" in out, out


def test_new_entries_extend_the_chain_after_a_restart(env):
    bot, chat, _ = a_case_in_step_three(env)
    assert bot.stop() == 0
    before = db_rows(bot, "SELECT count(*) FROM audit")[0][0]
    bot = env.bot().start().wait_polling()
    chat.bot = bot
    chat.step3()
    rows = db_rows(bot, "SELECT id, prev_hash, hash FROM audit ORDER BY id")
    assert len(rows) > before
    assert all(r[2] and len(r[2]) == 64 for r in rows), rows
    assert all(rows[i][1] == rows[i - 1][2] for i in range(1, len(rows)))
    code, out, _ = sertibot(bot, "audit", "verify")
    assert code == 0, out


def push_intake(fake, user, holders=HOLDERS):
    """An intake's messages pushed at once, without waiting for answers."""
    fake.push_message(user, "/ajukan", language_code="id")
    doc = fake.add_file(b"%PDF-1.4\n%%EOF\n", "surat.pdf", "application/pdf")
    fake.push_message(user, document=doc, language_code="id")
    for text in ("800/%d/Dinas" % user, "2026-11-20", "Permohonan sertifikat",
                 "\n".join(holders)):
        fake.push_message(user, text, language_code="id")


def test_backup_in_a_busy_run_restored_and_run_on(env):
    fake = env.fake
    bot = env.bot().start().wait_polling()
    chat = Chat(fake, bot)
    for user in APPLICANTS:
        chat.register_applicant(user)
    chat.submit(APPLICANTS[0])
    chat.submit(APPLICANTS[1])
    backup = os.path.join(bot.workdir, "backup.db")
    copies = os.path.join(bot.workdir, "backup-documents")
    # several intakes going on while the backup runs
    results = []
    worker = threading.Thread(target=lambda: results.append(
        sertibot(bot, "backup", backup, "--with-documents", copies)))
    for user in APPLICANTS[2:]:
        push_intake(fake, user)
    worker.start()
    for user in APPLICANTS[:2]:
        fake.push_message(user, "/status", language_code="id")
    worker.join()
    code, out, err = results[0]
    assert code == 0, (out, err)
    assert "integrity ok" in out, out
    # restore refuses while the bot runs on the database
    code, _, err = sertibot(bot, "restore", backup)
    assert code == 5 and "stop it first" in err, err
    chat.settle()
    chat.press(APPLICANTS[2], r"^intake:done$")
    chat.press(APPLICANTS[2], r"^intake:submit$")
    assert bot.stop() == 0

    saved = sqlite3.connect(backup)
    saved_cases = [r[0] for r in saved.execute("SELECT number FROM cases ORDER BY id")]
    row = saved.execute("SELECT value FROM bot_state WHERE key = 'update_offset'").fetchone()
    saved_offset = int(row[0]) if row else 0
    saved_outbox = saved.execute("SELECT count(*) FROM outbox").fetchone()[0]
    saved.close()
    assert len(saved_cases) >= 2, saved_cases

    code, out, err = sertibot(bot, "restore", backup, "--with-documents", copies)
    assert code == 0, (out, err)
    assert [r[0] for r in db_rows(bot, "SELECT number FROM cases ORDER BY id")] == saved_cases
    sent_before = len(fake.sent_messages())
    bot = env.bot().start().wait_polling()
    chat.bot = bot
    chat.settle()
    # the outbox the backup held is sent, nothing is left or failed
    assert db_rows(bot, "SELECT count(*) FROM outbox") == [(0,)]
    assert db_rows(bot, "SELECT count(*) FROM outbox_failed") == [(0,)]
    assert len(fake.sent_messages()) >= sent_before + saved_outbox
    # the restored bot goes on: a new case gets the next number, and nothing
    # Telegram had already delivered is applied again
    number = chat.submit(APPLICANTS[3])
    expected = "SE-%04d" % (len(saved_cases) + 1)
    assert number == expected, (number, saved_cases)
    cases = [r[0] for r in db_rows(bot, "SELECT number FROM cases ORDER BY id")]
    assert cases == saved_cases + [expected], cases
    assert len(set(cases)) == len(cases)
    # every update the restored bot was given is newer than what the backup had
    # applied (Telegram forgets what was confirmed; the fake does the same)
    offsets = [c.get("offset", 0) for c in fake.calls("getUpdates")[-3:]]
    assert all(o >= saved_offset for o in offsets), (offsets, saved_offset)
    code, out, _ = sertibot(bot, "audit", "verify")
    assert code == 0, out


def test_export_gives_everything_about_one_case(env):
    bot, chat, number = a_case_in_step_three(env)
    code, out, err = sertibot(bot, "export", "--case", number)
    assert code == 0, err
    data = json.loads(out)
    tables = data["tables"]
    assert data["case"] == number
    assert tables["cases"][0]["number"] == number
    nips = {h["nip"] for h in tables["case_holders"]}
    assert len(nips) == len(HOLDERS) and all(len(n) == 18 for n in nips), nips
    assert len(tables["audit"]) >= 3 and len(tables["dispositions"]) == 2
    letter = [f for f in tables["case_files"] if f["kind"] == "request_letter"][0]
    assert letter["local_file"]["base64"], letter
    assert tables["applicant"][0]["telegram_id"] == APPLICANT
    code, _, err = sertibot(bot, "export", "--case", "SE-9999")
    assert code == 1 and "no case SE-9999" in err, err


DAY_MS = 86400 * 1000


def test_retention_removes_personal_data_after_the_period_and_not_before(env):
    keep = {"retention": {"closed_case_days": 30}}
    start = int(MONDAY_0900.timestamp() * 1000)
    bot = env.bot(clock=start, config_overrides=keep).start().wait_polling()
    chat = Chat(env.fake, bot)
    chat.register_applicant()
    number = chat.submit()
    env.fake.wait_for(lambda f: db_rows(bot, "SELECT local_path FROM case_files "
                                             "WHERE local_path IS NOT NULL"),
                      what="the letter's copy on disk")
    copy = db_rows(bot, "SELECT local_path FROM case_files WHERE local_path IS NOT NULL")[0][0]
    copy = os.path.join(bot.workdir, copy)
    assert bot.stop() == 0
    # closed (how is the SOP's business, tested elsewhere) on the first day
    shell(bot.database, "UPDATE cases SET state = 'closed_selesai', closed_at = %d" % start)
    bot = env.bot(clock=start + 30 * DAY_MS - 60000, config_overrides=keep).start().wait_polling()
    time.sleep(1.5)  # the scheduler looks every 200 ms with a test clock
    nips = db_rows(bot, "SELECT nip FROM case_holders ORDER BY position")
    assert all(len(n[0]) == 18 for n in nips) and len(nips) == len(HOLDERS), nips
    assert os.path.exists(copy)
    assert db_rows(bot, "SELECT personal_data_removed_at FROM cases") == [(None,)]
    bot.set_clock(start + 30 * DAY_MS + 60000)
    env.fake.wait_for(lambda f: db_rows(bot, "SELECT personal_data_removed_at FROM cases "
                                             "WHERE personal_data_removed_at IS NOT NULL"),
                      what="the retention job")
    assert db_rows(bot, "SELECT name, nip, email FROM case_holders") == [("", "", "")] * len(HOLDERS)
    assert not os.path.exists(copy)
    assert db_rows(bot, "SELECT count(*) FROM case_files WHERE content IS NOT NULL "
                        "OR local_path IS NOT NULL OR file_id IS NOT NULL") == [(0,)]
    # the Buku Agenda line and the audit chain stay
    agenda = db_rows(bot, "SELECT letter_number, subject FROM agenda")
    assert len(agenda) == 1 and agenda[0][0].startswith("800/"), agenda
    code, out, _ = sertibot(bot, "audit", "verify")
    assert code == 0, out
    code, out, _ = sertibot(bot, "export", "--case", number)
    assert code == 0 and "1985010120" not in out and "rina@" not in out, out


def storage_alarms(fake, chat_id):
    return [t for t in texts_to(fake, chat_id) if "tidak dapat ditulis" in t]


def test_a_full_disk_holds_the_update_tells_the_admins_once_and_recovers(env):
    fake = env.fake
    fail = os.path.join(env.tmp.name, "db-full")
    bot = env.bot().start(extra_env={"SERTIBOT_TEST_DB_FAIL_FILE": fail}).wait_polling()
    chat = Chat(fake, bot)
    chat.send(APPLICANT, "/start")
    answers = len(texts_to(fake, APPLICANT))
    newcomer = 2010
    open(fail, "w").close()
    fake.push_message(newcomer, "/start", language_code="id")
    fake.push_message(APPLICANT, "/help", language_code="id")
    fake.wait_for(lambda f: storage_alarms(f, ADMIN), what="the admins' storage alarm")
    # the update comes again and again, and is applied nothing of
    offset = db_rows(bot, "SELECT value FROM bot_state WHERE key = 'update_offset'")
    fake.wait_for(lambda f: bot.stderr().count("could not be committed") >= 3, timeout=40,
                  what="the update fetched again")
    assert db_rows(bot, "SELECT value FROM bot_state WHERE key = 'update_offset'") == offset
    assert db_rows(bot, "SELECT count(*) FROM users WHERE telegram_id = ?", newcomer) == [(0,)]
    assert texts_to(fake, newcomer) == []
    assert len(texts_to(fake, APPLICANT)) == answers
    assert fake.pending_updates() == 2
    assert len(storage_alarms(fake, ADMIN)) == 1, "told once"
    assert "test hook" in bot.stderr()
    # space is back: everything is applied, once, and the admins hear of it
    os.unlink(fail)
    fake.wait_for(lambda f: texts_to(f, newcomer), timeout=30, what="the answer to /start")
    chat.settle()
    assert len(texts_to(fake, newcomer)) == 1, texts_to(fake, newcomer)
    assert len(texts_to(fake, APPLICANT)) == answers + 1
    assert db_rows(bot, "SELECT count(*) FROM users WHERE telegram_id = ?", newcomer) == [(1,)]
    assert any("dapat ditulis kembali" in t for t in texts_to(fake, ADMIN))
    assert len(storage_alarms(fake, ADMIN)) == 1
    assert db_rows(bot, "SELECT count(*) FROM failed_updates") == [(0,)]


def test_an_unwritable_documents_folder_waits_tells_the_admins_once_and_recovers(env):
    fake = env.fake
    blocker = os.path.join(env.tmp.name, "blocker")
    with open(blocker, "w") as f:
        f.write("a file where the folder should be")  # root ignores modes; this it cannot
    docs = os.path.join(blocker, "documents")
    bot = env.bot(config_overrides={"documents_dir": docs}).start().wait_polling()
    chat = Chat(fake, bot)
    chat.register_applicant()
    chat.submit()
    alarm = lambda f: [t for t in texts_to(f, ADMIN)  # noqa: E731
                       if "Folder dokumen" in t and "tidak dapat ditulis" in t]
    fake.wait_for(alarm, timeout=20, what="the admins' documents alarm")
    fake.wait_for(lambda f: bot.stderr().count("cannot write") >= 2, timeout=40,
                  what="the write tried again")
    assert len(alarm(fake)) == 1, "told once"
    assert db_rows(bot, "SELECT count(*) FROM case_files WHERE local_path IS NOT NULL") == [(0,)]
    assert db_rows(bot, "SELECT attempts FROM downloads") == [(0,)], "no try used up"
    os.unlink(blocker)
    os.mkdir(blocker, 0o700)
    fake.wait_for(lambda f: db_rows(bot, "SELECT count(*) FROM case_files "
                                         "WHERE local_path IS NOT NULL") == [(1,)],
                  timeout=30, what="the copy written")
    fake.wait_for(lambda f: any("dapat ditulis kembali" in t for t in texts_to(f, ADMIN)),
                  what="the all-clear")
    assert len(alarm(fake)) == 1
    assert os.listdir(docs)


if __name__ == "__main__":
    run_tests(globals())
