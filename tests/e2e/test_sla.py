"""Office-time clocks through the real binary, with an injected clock: the
reminders at the right office minutes, none twice and none missed across a
restart, nothing while a case waits on the applicant, an emergency closure
moving a deadline, the monthly report, and the admins' calendar warning."""

import csv
import io
import json
import os
import subprocess
import time
from datetime import datetime

from harness import ADMIN, APPLICANT, KABID, KADIS, KASI, db_rows, run_tests
from sop import MONDAY_0900, WIB, Chat


def at(h, m, s=0, day=30, month=11):
    return datetime(2026, month, day, h, m, s, tzinfo=WIB)


def reminders(fake, chat_id):
    return [m["text"] for m in fake.sent_messages(chat_id) if "Pengingat tenggat" in m["text"]]


def quiet(seconds=1.5):
    """Room for a wrong reminder to show up (the scheduler looks every 200 ms)."""
    time.sleep(seconds)


def submitted_case(env):
    bot = env.bot(clock=MONDAY_0900).start().wait_polling()
    chat = Chat(env.fake, bot)
    chat.register_applicant()
    chat.submit()
    return bot, chat


def test_step_one_reminders_at_75_percent_then_escalation(env):
    fake = env.fake
    bot, chat = submitted_case(env)  # step 1 (15 minutes) from 09:00
    # A 15-minute step gets no 50% reminder (issue 10): 09:07 passes quietly.
    bot.set_clock(at(9, 7))
    quiet()
    assert reminders(fake, KADIS) == [], "no 50% reminder on a step of an hour or less"
    bot.set_clock(at(9, 11))
    first = fake.wait_for(lambda f: reminders(f, KADIS), what="the 75% reminder")
    assert "75%" in first[0] and "SE-0001" in first[0], first
    # the reminder leads straight to the card
    message = [m for m in fake.sent_messages(KADIS) if "Pengingat" in m["text"]][0]
    assert message["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "t:1"
    # nobody is above the Kadis: the admins are told, and not "as the superior"
    escalated = fake.wait_for(lambda f: reminders(f, ADMIN), what="the escalation")
    assert "75%" in escalated[0] and "admin" in escalated[0], escalated
    assert "atasan" not in escalated[0], escalated
    bot.set_clock(at(9, 15))
    fake.wait_for(lambda f: len(reminders(f, KADIS)) == 2, what="the deadline")
    deadline = reminders(fake, KADIS)[-1]
    # the fact, without reproach
    assert "tenggat 30 Nov 2026 09.15 WIB sudah tiba" in deadline, deadline
    assert "melewati" not in deadline and "⚠️" not in deadline, deadline
    assert db_rows(bot, "SELECT breached FROM step_clocks WHERE step = 1") == [(1,)]
    quiet()
    assert len(reminders(fake, KADIS)) == 2 and len(reminders(fake, ADMIN)) == 2


def test_restart_between_reminders_sends_none_twice_and_misses_none(env):
    fake = env.fake
    bot, chat = submitted_case(env)
    bot.set_clock(at(9, 11))
    fake.wait_for(lambda f: reminders(f, KADIS), what="the 75% reminder")
    chat.settle()
    assert bot.stop() == 0
    # while it is down, the deadline (09:15) passes; it comes back at 09:16
    second = env.bot(clock=at(9, 16))
    second.database = bot.database
    second.start().wait_polling()
    fake.wait_for(lambda f: len(reminders(f, KADIS)) == 2, what="the missed deadline reminder")
    quiet()
    texts = reminders(fake, KADIS)
    assert len(texts) == 2 and "75%" in texts[0] and "sudah tiba" in texts[1], texts


def test_a_case_waiting_for_the_applicant_sends_nothing(env):
    fake = env.fake
    bot, chat = submitted_case(env)
    chat.dispose(KADIS)
    chat.dispose(KABID)
    chat.press(KASI, r"^c:\d+:\d+:request_documents$")
    chat.send(KASI, "KTP pemegang 2 belum ada")
    chat.wait_text(APPLICANT, "KTP pemegang 2 belum ada")
    before = len(reminders(fake, KASI))
    bot.set_clock(at(10, 0, day=4, month=12))  # four working days later
    quiet(2)
    assert len(reminders(fake, KASI)) == before, reminders(fake, KASI)
    assert db_rows(bot, "SELECT paused_at IS NOT NULL, next_reminder FROM step_clocks "
                   "WHERE ended_at IS NULL") == [(1, None)]
    # the applicant answers by sending the file in chat: it reaches the Kasi
    chat.send_file(APPLICANT, b"%PDF-1.4 ktp", "ktp-budi.pdf", "application/pdf")
    chat.wait_text(APPLICANT, "Dokumen diterima")
    sent = fake.wait_for(lambda f: [d for d in f.documents(KASI) if d.get("caption") and
                                    "Dokumen susulan" in d["caption"]], what="the document")
    assert sent[0]["data"] == b"%PDF-1.4 ktp", sent[0]
    chat.press(APPLICANT, r"^c:\d+:\d+:documents_provided$")
    chat.wait_button(KASI, r"^c:\d+:\d+:set_checklist_complete$")
    assert db_rows(bot, "SELECT state FROM cases") == [("s3_verifikasi_kasi",)]
    running = db_rows(bot, "SELECT paused_at, next_reminder > 0 FROM step_clocks "
                      "WHERE ended_at IS NULL")
    assert running == [(None, 1)], running


def test_an_emergency_closure_moves_the_deadline_and_the_holder_is_told(env):
    fake = env.fake
    bot, chat = submitted_case(env)
    chat.dispose(KADIS)
    chat.dispose(KABID)
    # step 3 (1 working day) started Monday 09:00: due Tuesday 09:00
    due = db_rows(bot, "SELECT deadline FROM step_clocks WHERE step = 3")[0][0]
    assert due == int(at(9, 0, day=1, month=12).timestamp() * 1000)
    chat.send(ADMIN, "/libur tambah 2026-12-01 tutup Banjir")
    chat.wait_text(ADMIN, "hari libur: Banjir")
    moved = chat.wait_text(KASI, "Kalender kantor berubah")
    assert "2 Des 2026 09.00" in moved, moved
    due = db_rows(bot, "SELECT deadline FROM step_clocks WHERE step = 3")[0][0]
    assert due == int(at(9, 0, day=2, month=12).timestamp() * 1000)
    # bad input changes nothing
    chat.send(ADMIN, "/libur tambah 2026-13-01 tutup X")
    chat.wait_text(ADMIN, "YYYY-MM-DD")
    chat.send(KASI, "/libur tambah 2026-12-02 tutup Bukan admin")
    chat.wait_text(KASI, "bukan untuk peran Anda")
    assert db_rows(bot, "SELECT date FROM calendar_days") == [("2026-12-01",)]
    # and it survives a restart
    assert bot.stop() == 0
    again = env.bot(clock=at(9, 30))
    again.database = bot.database
    again.start().wait_polling()
    chat.send(KASI, "/libur")
    assert "2026-12-01 · Banjir" in chat.wait_text(KASI, "Banjir")


def test_a_holidays_file_changed_while_stopped_moves_the_deadline_once(env):
    """The IT staff add a day off to the holidays file and restart: the first
    scheduler round finds the calendar changed (its fingerprint), plans the
    running step again and tells its holder, once."""
    fake = env.fake
    bot, chat = submitted_case(env)
    chat.dispose(KADIS)
    chat.dispose(KABID)
    assert db_rows(bot, "SELECT deadline FROM step_clocks WHERE step = 3")[0][0] == \
        int(at(9, 0, day=1, month=12).timestamp() * 1000)
    chat.settle()
    quiet()
    assert "changed while the bot was stopped" not in bot.stderr()
    assert bot.stop() == 0
    again = env.bot(clock=at(9, 30))
    with open(again.config_path) as f:
        holidays_path = json.load(f)["calendar"]["holidays_file"]
    with open(holidays_path) as f:
        days = json.load(f)
    days.append({"date": "2026-12-01", "name": "Cuti bersama", "kind": "joint_leave"})
    with open(holidays_path, "w") as f:
        json.dump(days, f)
    again.start().wait_polling()
    moved = chat.wait_text(KASI, "Kalender kantor berubah")
    assert "2 Des 2026 09.00" in moved, moved
    assert db_rows(again, "SELECT deadline FROM step_clocks WHERE step = 3")[0][0] == \
        int(at(9, 0, day=2, month=12).timestamp() * 1000)
    quiet()
    chat.settle()
    assert len([m for m in fake.sent_messages(KASI)
                if "Kalender kantor berubah" in m["text"]]) == 1
    assert again.stderr().count("changed while the bot was stopped") == 1, again.stderr()


def test_monthly_report_message_csv_chart_and_command_line(env):
    fake = env.fake
    bot, chat = submitted_case(env)
    bot.set_clock(at(9, 20))  # the Kadis takes 20 minutes: over the 15
    chat.dispose(KADIS)
    chat.dispose(KABID)       # the Kabid at once
    chat.send(KASI, "/laporan 2026-11")
    text = chat.wait_text(KASI, "Laporan standar waktu")
    assert "Langkah 1" in text and "0% tepat waktu" in text and "1 lewat" in text, text
    assert "Langkah 2" in text and "100% tepat waktu" in text, text
    fake.wait_for(lambda f: [d for d in f.documents(KASI) if d["filename"].endswith(".csv")],
                  what="the CSV")
    doc = [d for d in fake.documents(KASI) if d["filename"].endswith(".csv")][-1]
    rows = list(csv.reader(io.StringIO(doc["data"].decode("utf-8-sig"))))
    assert rows[1][1:2] == ["1"] and rows[1][4] == "1" and rows[1][7] == "0", rows[:3]
    # The same steps by kind of request: both steps were a new request's.
    by_kind = {(r[0], r[1]): r[4] for r in rows[1:] if r[0].startswith("per langkah, ")}
    assert by_kind[("per langkah, Baru", "1")] == "1", by_kind
    assert by_kind[("per langkah, Baru", "2")] == "1", by_kind
    assert all(by_kind[("per langkah, Perpanjangan", str(s))] == "0" for s in range(1, 8)), by_kind
    assert "Perpanjangan" not in text, text  # no renewal line in a month without renewals
    photos = fake.wait_for(lambda f: [r for r in f.requests if r.method == "sendPhoto" and r.status == 200],
                           what="the chart")
    assert photos[0].params["photo"]["data"][:8] == b"\x89PNG\r\n\x1a\n"
    # the IT staff's command line gives the same figures
    chat.settle()
    out = subprocess.run([bot_binary(), "report", "--month", "2026-11", "--format", "csv",
                          "--config", bot.config_path], capture_output=True, timeout=30)
    assert out.returncode == 0, out.stderr
    cli_rows = list(csv.reader(io.StringIO(out.stdout.decode("utf-8-sig"))))
    assert cli_rows == rows, (cli_rows, rows)
    # a person without the role is refused
    chat.send(APPLICANT, "/laporan")
    chat.wait_text(APPLICANT, "bukan untuk peran Anda")


def test_admins_are_warned_once_a_month_while_next_year_has_no_holidays(env):
    fake = env.fake
    bot = env.bot(clock=MONDAY_0900, config_overrides={"calendar": {}}).start().wait_polling()
    warning = fake.wait_for(lambda f: [m for m in f.sent_messages(ADMIN) if "2027" in m["text"]],
                            what="the warning")
    assert "/libur" in warning[0]["text"]
    bot.set_clock(at(10, 0))
    quiet()
    assert len([m for m in fake.sent_messages(ADMIN) if "2027" in m["text"]]) == 1
    bot.set_clock(at(9, 0, day=1, month=12))  # a new month
    fake.wait_for(lambda f: len([m for m in f.sent_messages(ADMIN) if "2027" in m["text"]]) == 2,
                  what="December's warning")


def test_an_acting_official_named_ahead_gets_the_waiting_cards_on_the_first_day(env):
    fake = env.fake
    bot, chat = submitted_case(env)
    chat.send(KADIS, "/plh kadis %d 2026-12-01 2026-12-02" % KABID)
    chat.wait_text(KABID, "Plh")
    quiet()
    assert not [m for m in fake.sent_messages(KABID) if "Disposisi Kadis" in m["text"]]
    bot.set_clock(at(7, 31, day=1, month=12))
    card = chat.wait_text(KABID, "Langkah 1 dari 7")
    assert "SE-0001" in card
    chat.wait_button(KABID, r"^c:1:1:dispose$")
    quiet()
    assert len([m for m in fake.sent_messages(KABID) if "Langkah 1 dari 7" in m["text"]]) == 1


def bot_binary():
    import harness
    return harness.BOT


if __name__ == "__main__":
    run_tests(globals())
