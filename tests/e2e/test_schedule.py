"""The assisted login sessions (pendampingan) through the real binary, with an
injected clock: the Kasi offers times (refused with the reason when they
clash with another session of the Pelaksana, fall on a holiday or outside
office hours), two officials sending clashing offers at once, the
applicant's choice, the .ics calendar files (read by Debian's
python3-icalendar), the reminders the day before and an hour before (none
twice across a restart; planned again when /libur changes the calendar), moving and cancelling, the question for the report
after the slot and "the applicant did not come", and /jadwal."""

import json
import os
import re
import subprocess
import tempfile
import time
from datetime import datetime, timedelta

from harness import ADMIN, APPLICANT, KABID, KADIS, KASI, PELAKSANA, db_rows, run_tests
from sop import MONDAY_0900, WIB, Chat, buttons

HERE = os.path.dirname(os.path.abspath(__file__))
ICS_CHECK = os.path.join(HERE, "..", "unit", "ics_check.py")
KASI_TWO = 1005  # a second Kasi, for two officials at once

SECOND_KASI = {"officials": [
    {"telegram_id": KADIS, "role": "kadis", "name": "Dr. Kadis"},
    {"telegram_id": KABID, "role": "kabid", "name": "Kabid Standi"},
    {"telegram_id": KASI, "role": "kasi", "name": "Kasi Persandian"},
    {"telegram_id": KASI_TWO, "role": "kasi", "name": "Kasi Dua"},
    {"telegram_id": PELAKSANA, "role": "pelaksana", "name": "Pelaksana Satu"},
]}


def at(day, h, m, month=12):
    return datetime(2026, month, day, h, m, tzinfo=WIB)


def quiet(seconds=1.5):
    """Room for a wrong message to show up (the scheduler looks every 200 ms)."""
    time.sleep(seconds)


def ics_fields(data):
    """The .ics as Debian's python3-icalendar reads it (tests/unit/ics_check.py):
    {"UID": ..., "SEQUENCE": ..., "METHOD": ..., "DTSTART": ..., "ATTENDEE": [...]}."""
    with tempfile.NamedTemporaryFile(suffix=".ics", delete=False) as f:
        f.write(data)
        path = f.name
    try:
        out = subprocess.run(["/usr/bin/python3", ICS_CHECK, path], capture_output=True,
                             text=True, timeout=30)
    finally:
        os.unlink(path)
    assert out.returncode == 0, "the .ics does not parse: %s" % out.stderr
    fields = {}
    for line in out.stdout.splitlines():
        name, _, value = line.partition(" ")
        value = json.loads(value)
        if name == "ATTENDEE":
            fields.setdefault(name, []).append(value)
        else:
            fields[name] = value
    return fields


def calendar_files(fake, chat_id):
    return [d for d in fake.documents(chat_id) if d.get("filename", "").endswith(".ics")]


def wait_calendar_files(fake, chat_id, count, timeout=15):
    return fake.wait_for(lambda f: len(calendar_files(f, chat_id)) >= count and
                         calendar_files(f, chat_id), timeout=timeout,
                         what="%d calendar file(s) for %d" % (count, chat_id))


def markup_of(document):
    markup = document.get("reply_markup")
    if isinstance(markup, str):
        markup = json.loads(markup)
    return [b["callback_data"] for row in (markup or {}).get("inline_keyboard", []) for b in row]


def reminders(fake, chat_id, needle):
    return [m["text"] for m in fake.sent_messages(chat_id) if needle in m["text"]]


def picker_values(fake, chat_id, op):
    """The last number in the data of each `op` button of the newest picker."""
    rx = re.compile(r"^s:\d+:\d+:%s:[\d:]+$" % op)
    shown = [(mid, data) for mid, _, data in buttons(fake, chat_id) if rx.match(data)]
    newest = shown[0][0]
    return [int(data.split(":")[-1]) for mid, data in shown if mid == newest]


def day_of(day_number):
    return (datetime(1970, 1, 1) + timedelta(days=day_number)).strftime("%Y-%m-%d")


def to_scheduling(chat):
    """A new case of the applicant, taken to step 6 with the letter signed."""
    number = chat.submit()
    chat.dispose(KADIS)
    chat.dispose(KABID)
    chat.step3()
    chat.step4()
    chat.step5()
    chat.press(KASI, r"^c:\d+:\d+:ask_signature$")
    chat.press(KADIS, r"^c:\d+:\d+:sign$")
    return number


def case_id(number):
    return int(number.split("-")[1])


def start(env, **kw):
    bot = env.bot(clock=MONDAY_0900, **kw).start().wait_polling()
    chat = Chat(env.fake, bot)
    chat.register_applicant()
    return bot, chat


def confirmed_case(env):
    """One case whose applicant chose Thursday 3 December 09:00-10:00."""
    bot, chat = start(env)
    number = to_scheduling(chat)
    chat.offer(["2026-12-03 09:00", "2026-12-03 13:00"])
    chat.choose(1)
    assert db_rows(bot, "SELECT state FROM cases") == [("s7_pendampingan",)]
    for person in (APPLICANT, PELAKSANA, KASI):
        wait_calendar_files(env.fake, person, 1)
    return bot, chat, number


# --- the tests ----------------------------------------------------------------


def test_offer_refusals_clash_at_once_choice_and_calendar_files(env):
    fake = env.fake
    bot, chat = start(env, config_overrides=SECOND_KASI)
    first = to_scheduling(chat)
    second = to_scheduling(chat)
    assert (first, second) == ("SE-0001", "SE-0002")

    # The Kasi drafts SE-0001: Thursday 09:00 and 13:00 with Pelaksana Satu.
    chat.press(KASI, r"^c:%d:\d+:propose_session$" % case_id(first))
    assert "ditolak" not in chat.add_slot("2026-12-03 09:00")
    chat.add_slot("2026-12-03 13:00")
    # The second Kasi drafts SE-0002 for the same Thursday 09:00: drafts hold
    # nobody's time yet, so it is taken here...
    chat.press(KASI_TWO, r"^c:%d:\d+:propose_session$" % case_id(second))
    chat.add_slot("2026-12-03 09:00", kasi=KASI_TWO)
    chat.add_slot("2026-12-04 09:00", kasi=KASI_TWO)
    assert db_rows(bot, "SELECT count(*) FROM sessions WHERE status = 'draft'") == [(4,)]

    # ...and both officials send their offer at the same instant: one wins,
    # the other is refused with the reason, and nothing is booked twice.
    _, send_one = chat.wait_button(KASI, r"^c:%d:\d+:propose_session:send$" % case_id(first))
    _, send_two = chat.wait_button(KASI_TWO, r"^c:%d:\d+:propose_session:send$" % case_id(second))
    fake.push_callback(KASI, send_one, language_code="id")
    fake.push_callback(KASI_TWO, send_two, language_code="id")
    ids = fake.callback_ids[-2:]

    def answers_to_both(f):
        texts = [c.get("text", "") for c in f.calls("answerCallbackQuery")
                 if c["callback_query_id"] in ids]
        return len(texts) == 2 and texts
    answers = fake.wait_for(answers_to_both, what="both answers")
    chat.settle()
    assert any("tidak dapat ditawarkan" in a and "SE-0001" in a for a in answers), answers
    assert db_rows(bot, "SELECT id, state FROM cases ORDER BY id") == [
        (1, "s6_menunggu_konfirmasi"), (2, "s6_jadwal")]
    assert db_rows(bot, "SELECT case_id, status, count(*) FROM sessions GROUP BY 1, 2 "
                   "ORDER BY 1, 2") == [(1, "offered", 2), (2, "draft", 2)]

    # The second Kasi takes out the clashing draft and tries other times.
    chat.press(KASI_TWO, r"^s:%d:\d+:ox:\d+$" % case_id(second))  # slot 1
    refusal = chat.add_slot("2026-12-03 09:30", kasi=KASI_TWO)
    assert "ditolak" in refusal and "SE-0001" in refusal and "Pelaksana Satu" in refusal, refusal
    chat.send(KASI_TWO, "2026-12-25 09:00")  # Christmas
    chat.wait_text(KASI_TWO, "bukan hari kerja")
    chat.send(KASI_TWO, "2026-12-03 16:30")  # after closing time
    chat.wait_text(KASI_TWO, "di luar jam kerja")
    chat.add_slot("2026-12-04 13:00", place="https://meet.example/abc", kasi=KASI_TWO)
    answer = chat.press(KASI_TWO, r"^c:%d:\d+:propose_session:send$" % case_id(second))
    assert "Tercatat" in answer, answer

    # The applicant sees both offers; picks SE-0001's first time and
    # SE-0002's second (the online one).
    card = chat.wait_text(APPLICANT, "Pilihan jadwal pendampingan")
    assert "Ruang Rapat Diskominfo" in card, card
    chat.choose(2)  # the newest card is SE-0002's
    older = [data for mid, _, data in buttons(fake, APPLICANT)
             if re.match(r"^c:1:\d+:confirm_session:\d+$", data)]
    chat.press(APPLICANT, "^%s$" % re.escape(older[0]))
    assert db_rows(bot, "SELECT id, state, session_place FROM cases ORDER BY id") == [
        (1, "s7_pendampingan", "Ruang Rapat Diskominfo"),
        (2, "s7_pendampingan", "https://meet.example/abc")]
    assert db_rows(bot, "SELECT case_id, status, count(*) FROM sessions GROUP BY 1, 2 "
                   "ORDER BY 1, 2") == [(1, "confirmed", 1), (1, "withdrawn", 1),
                                        (2, "confirmed", 1), (2, "withdrawn", 1)]

    # The applicant, the Pelaksana and the Kasi each got both calendar files.
    for person in (APPLICANT, PELAKSANA, KASI):
        files = wait_calendar_files(fake, person, 2)
        parsed = {f["UID"]: f for f in (ics_fields(d["data"]) for d in files)}
        assert len(parsed) == 2, parsed
        one = parsed["session-1@sertibot"]
        assert one["METHOD"] == "REQUEST" and one["SEQUENCE"] == 0, one
        assert one["DTSTART"] == "2026-12-03T09:00:00+07:00", one
        assert one["DTEND"] == "2026-12-03T10:00:00+07:00", one
        assert one["TZID"] == "Asia/Jakarta" and one["LOCATION"] == "Ruang Rapat Diskominfo"
        assert "SE-0001" in one["SUMMARY"], one
        assert ["Rina Wati", "mailto:rina@dinkes.bekasikota.go.id"] in one["ATTENDEE"], one
        assert ["Pelaksana Satu", "invalid:nomail"] in one["ATTENDEE"], one
        two = [f for uid, f in parsed.items() if uid != "session-1@sertibot"][0]
        assert two["DTSTART"] == "2026-12-04T13:00:00+07:00", two
        assert two["LOCATION"] == "https://meet.example/abc", two
    assert all(d["content_type"] == "text/calendar" for d in calendar_files(fake, KASI))
    # The applicant and the Kasi may move or cancel from the file; the Pelaksana not.
    assert any("reschedule_session" in b for b in markup_of(calendar_files(fake, APPLICANT)[0]))
    assert not markup_of(calendar_files(fake, PELAKSANA)[0])

    # /jadwal: the Kasi sees both, the Pelaksana their own, the applicant theirs.
    chat.send(KASI, "/jadwal")
    listing = chat.wait_text(KASI, "Jadwal pendampingan yang akan datang")
    assert "SE-0001" in listing and "SE-0002" in listing and "Pelaksana Satu" in listing, listing
    assert listing.index("SE-0001") < listing.index("SE-0002"), listing
    chat.send(PELAKSANA, "/schedule")
    mine = chat.wait_text(PELAKSANA, "Jadwal pendampingan Anda")
    # Indonesian writes the time with a dot (EYD V).
    assert "09.00–10.00" in mine and "13.00–14.00" in mine, mine
    chat.send(APPLICANT, "/jadwal")
    theirs = chat.wait_text(APPLICANT, "Jadwal pendampingan Perangkat Daerah Anda")
    assert "SE-0002" in theirs and "Dinas Kesehatan" in theirs, theirs
    chat.send(KADIS, "/jadwal")
    chat.wait_text(KADIS, "semua Pelaksana")


def test_reminders_on_time_and_not_twice_then_move_and_cancel(env):
    fake = env.fake
    bot, chat, number = confirmed_case(env)
    day_before = "Pengingat jadwal"
    # The day before is Wednesday at the start of office hours (07:30).
    bot.set_clock(at(2, 7, 29))
    quiet()
    assert reminders(fake, APPLICANT, day_before) == []
    bot.set_clock(at(2, 7, 30))
    for person in (APPLICANT, PELAKSANA):
        text = fake.wait_for(lambda f: reminders(f, person, day_before),
                             what="the day-before reminder to %d" % person)[0]
        assert number in text and "09.00–10.00" in text and "Ruang Rapat" in text, text
    assert reminders(fake, KASI, day_before) == []
    chat.settle()
    assert bot.stop() == 0
    # A restart later that morning sends nothing again.
    again = env.bot(clock=at(2, 7, 45))
    again.start().wait_polling()
    chat.bot = again
    quiet()
    assert len(reminders(fake, APPLICANT, day_before)) == 1
    assert len(reminders(fake, PELAKSANA, day_before)) == 1
    # One hour before: Thursday 08:00.
    again.set_clock(at(3, 7, 59))
    quiet()
    assert reminders(fake, APPLICANT, "Satu jam lagi") == []
    again.set_clock(at(3, 8, 0))
    for person in (APPLICANT, PELAKSANA):
        fake.wait_for(lambda f: reminders(f, person, "Satu jam lagi"),
                      what="the hour-before reminder to %d" % person)
    chat.settle()

    # The applicant moves it to Friday 09:00 from their calendar file's button.
    document = calendar_files(fake, APPLICANT)[-1]
    move = [b for b in markup_of(document) if b.endswith(":reschedule_session")][0]
    chat.tap(APPLICANT, move, message_id=document["message_id"])
    chat.settle()
    friday = (datetime(2026, 12, 4) - datetime(1970, 1, 1)).days
    chat.press(APPLICANT, r"^s:\d+:\d+:md:%d$" % friday)
    chat.press(APPLICANT, r"^s:\d+:\d+:mt:%d:540$" % friday)
    chat.wait_text(APPLICANT, "alasan pemindahan")
    chat.send(APPLICANT, "Kepala dinas memanggil rapat")
    for person in (APPLICANT, PELAKSANA, KASI):
        files = wait_calendar_files(fake, person, 2)
        moved = ics_fields(files[-1]["data"])
        assert moved["UID"] == "session-1@sertibot" and moved["SEQUENCE"] == 1, moved
        assert moved["METHOD"] == "REQUEST", moved
        assert moved["DTSTART"] == "2026-12-04T09:00:00+07:00", moved
    told = chat.wait_text(KASI, "Kepala dinas memanggil rapat")
    assert "dipindah" in told, told
    chat.wait_text(PELAKSANA, "Kepala dinas memanggil rapat")
    assert db_rows(bot, "SELECT start_at, sequence FROM sessions WHERE status = 'confirmed'") == [
        (int(at(4, 9, 0).timestamp() * 1000), 1)]
    assert db_rows(bot, "SELECT state FROM cases") == [("s7_pendampingan",)]

    # The Kasi calls it off: a CANCEL with the next SEQUENCE, back to scheduling.
    document = calendar_files(fake, KASI)[-1]
    cancel = [b for b in markup_of(document) if b.endswith(":cancel_session")][0]
    chat.tap(KASI, cancel, message_id=document["message_id"])
    chat.wait_text(KASI, "alasan pembatalan")
    chat.send(KASI, "Ruang rapat dipakai pimpinan")
    for person in (APPLICANT, PELAKSANA, KASI):
        files = wait_calendar_files(fake, person, 3)
        off = ics_fields(files[-1]["data"])
        assert off["METHOD"] == "CANCEL" and off["STATUS"] == "CANCELLED", off
        assert off["UID"] == "session-1@sertibot" and off["SEQUENCE"] == 2, off
    news = chat.wait_text(APPLICANT, "dibatalkan")
    assert "Ruang rapat dipakai pimpinan" in news, news
    assert db_rows(bot, "SELECT state FROM cases") == [("s6_jadwal",)]
    assert db_rows(bot, "SELECT status, next_due FROM sessions WHERE id = 1") == [
        ("cancelled", None)]
    # No reminder of a cancelled session.
    again.set_clock(at(4, 8, 0))
    quiet()
    assert len(reminders(fake, APPLICANT, "Satu jam lagi")) == 1
    chat.wait_button(KASI, r"^c:\d+:\d+:propose_session$")


def test_a_calendar_change_moves_the_day_before_reminder_and_none_goes_twice(env):
    """/libur re-plans a confirmed session's reminders in the same
    transaction: a Thursday session's "day before" moves to Tuesday when
    Wednesday closes, back when it opens again; added again once Tuesday's
    moment has passed, it goes at once; one already sent is not sent again."""
    fake = env.fake
    bot, chat, number = confirmed_case(env)
    day_before = "Pengingat jadwal"
    plan = "SELECT remind_stage, next_due FROM sessions WHERE status = 'confirmed'"

    def ms(when):
        return int(when.timestamp() * 1000)

    assert db_rows(bot, plan) == [(0, ms(at(2, 7, 30)))]
    chat.send(ADMIN, "/libur tambah 2026-12-02 tutup Banjir")
    chat.wait_text(ADMIN, "hari libur: Banjir")
    assert db_rows(bot, plan) == [(0, ms(at(1, 7, 30)))]
    chat.send(ADMIN, "/libur hapus 2026-12-02")
    fake.wait_for(lambda f: [t for t in reminders(f, ADMIN, "tidak lagi hari libur")],
                  what="the removal's answer")
    assert db_rows(bot, plan) == [(0, ms(at(2, 7, 30)))]
    # Tuesday morning passes quietly: Wednesday is a working day again.
    bot.set_clock(at(1, 7, 30))
    quiet()
    assert reminders(fake, APPLICANT, day_before) == []
    assert reminders(fake, PELAKSANA, day_before) == []
    # Wednesday closes once more while Tuesday's office is open: the
    # reminder Tuesday 07:30 would have been goes now, once.
    bot.set_clock(at(1, 10, 0))
    chat.send(ADMIN, "/libur tambah 2026-12-02 tutup Banjir lagi")
    chat.wait_text(ADMIN, "hari libur: Banjir lagi")
    for person in (APPLICANT, PELAKSANA):
        text = fake.wait_for(lambda f: reminders(f, person, day_before),
                             what="the day-before reminder to %d" % person)[0]
        assert number in text and "09.00–10.00" in text, text
    fake.wait_for(lambda f: db_rows(bot, plan) == [(1, ms(at(3, 8, 0)))],
                  what="the hour-before planned next")
    # Wednesday opens again: the reminder already sent is not sent again.
    chat.send(ADMIN, "/libur hapus 2026-12-02")
    fake.wait_for(lambda f: len(reminders(f, ADMIN, "tidak lagi hari libur")) == 2,
                  what="the second removal's answer")
    assert db_rows(bot, plan) == [(1, ms(at(3, 8, 0)))]
    bot.set_clock(at(2, 7, 30))
    quiet()
    bot.set_clock(at(3, 8, 0))
    for person in (APPLICANT, PELAKSANA):
        fake.wait_for(lambda f: reminders(f, person, "Satu jam lagi"),
                      what="the hour-before reminder to %d" % person)
    assert len(reminders(fake, APPLICANT, day_before)) == 1
    assert len(reminders(fake, PELAKSANA, day_before)) == 1
    assert bot.stop() == 0


def test_after_the_slot_the_pelaksana_reports_and_a_no_show_goes_back(env):
    fake = env.fake
    bot, chat, number = confirmed_case(env)
    asked = "sudah selesai"
    bot.set_clock(at(3, 9, 59))
    quiet()
    assert reminders(fake, PELAKSANA, asked) == []
    bot.set_clock(at(3, 10, 0))
    text = fake.wait_for(lambda f: reminders(f, PELAKSANA, asked), what="the report question")[0]
    assert number in text, text
    assert reminders(fake, APPLICANT, asked) == [], "the question is the Pelaksana's"
    # The card with it has "the applicant did not come".
    chat.press(PELAKSANA, r"^c:\d+:\d+:no_show$")
    assert db_rows(bot, "SELECT state FROM cases") == [("s6_jadwal",)]
    assert db_rows(bot, "SELECT status FROM sessions WHERE status != 'withdrawn'") == [
        ("no_show",)]
    # Back with the Kasi, who offers new times with the buttons this time:
    # only working days, and only times that fit in one office span.
    chat.press(KASI, r"^c:\d+:\d+:propose_session$")
    first_page = picker_values(fake, KASI, "od")
    assert [day_of(d) for d in first_page] == [
        "2026-12-03", "2026-12-04", "2026-12-07", "2026-12-08", "2026-12-09", "2026-12-10",
        "2026-12-11", "2026-12-14", "2026-12-15"], first_page
    chat.press(KASI, r"^s:\d+:\d+:ow:\d+$")  # later days
    second_page = [day_of(d) for d in picker_values(fake, KASI, "od")]
    assert second_page[0] == "2026-12-16" and "2026-12-19" not in second_page, second_page
    assert "2026-12-24" not in second_page and "2026-12-25" not in second_page, second_page
    chat.press(KASI, r"^s:\d+:\d+:ow:\d+$")  # earlier again
    friday = first_page[1]
    chat.press(KASI, r"^s:\d+:\d+:od:%d$" % friday)
    times = picker_values(fake, KASI, "ot")
    assert 10 * 60 + 30 in times and 13 * 60 in times and 15 * 60 + 30 in times, times
    assert 11 * 60 not in times and 12 * 60 not in times, times  # Friday closes at 11:30
    chat.press(KASI, r"^s:\d+:\d+:ot:%d:780$" % friday)
    chat.press(KASI, r"^s:\d+:\d+:op:%d:780:60:%d$" % (friday, PELAKSANA))
    chat.press(KASI, r"^s:\d+:\d+:ol:%d:780:60:%d$" % (friday, PELAKSANA))  # same place
    chat.add_slot("2026-12-08 09:00")
    chat.press(KASI, r"^c:\d+:\d+:propose_session:send$")
    card = chat.wait_text(APPLICANT, "Pilihan jadwal pendampingan")
    assert "Jum 4 Desember 2026 13.00–14.00 · Ruang Rapat Diskominfo" in card, card
    # The applicant waits until Friday's time has begun: that one is refused
    # now, with the reason, and nothing changes; the other one is taken.
    bot.set_clock(at(4, 13, 30))
    late = chat.choose(1)
    assert "tidak dapat dipilih lagi" in late and "sudah lewat" in late, late
    assert db_rows(bot, "SELECT state FROM cases") == [("s6_menunggu_konfirmasi",)]
    chat.choose(2)
    assert db_rows(bot, "SELECT state, session_at FROM cases") == [
        ("s7_pendampingan", int(at(8, 9, 0).timestamp() * 1000))]
    quiet(0.5)
    assert len(reminders(fake, PELAKSANA, asked)) == 1
    # The report closes the case, and the session is done.
    chat.step7()
    assert db_rows(bot, "SELECT state FROM cases") == [("closed_selesai",)]
    assert db_rows(bot, "SELECT status FROM sessions WHERE status IN ('confirmed', 'done')") == [
        ("done",)]


if __name__ == "__main__":
    run_tests(globals())
