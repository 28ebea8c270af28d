"""The officials' daily digest and two changes to a booked session, through
the real binary with an injected clock: the digest goes out once per
official with waiting work at the start of office hours, one button per
item, not on a weekend or a closed day, not twice across a restart, late
after a stop with the reminders due meanwhile folded into it, to a Plh.
named ahead (not the absent official) from the first day; an admin's
reassignment of the Pelaksana during step 7 sends the .ics again (same UID,
SEQUENCE+1) naming the new Pelaksana and moves the reminders to them; a
closure added over a confirmed session flags it to the Kasi and the
applicant with a button that moves it."""

import re
from datetime import datetime

from harness import ADMIN, APPLICANT, KABID, KADIS, KASI, PELAKSANA, db_rows, run_tests
from sop import MONDAY_0900, WIB, Chat, buttons
from test_schedule import (KASI_TWO, SECOND_KASI, at, calendar_files, confirmed_case, ics_fields,
                           markup_of, quiet, reminders, start, to_scheduling,
                           wait_calendar_files)

PELAKSANA_TWO = 1006
# Two Kasi (as test_schedule has) and two Pelaksana.
TWO_PELAKSANA = {"officials": SECOND_KASI["officials"] + [
    {"telegram_id": PELAKSANA_TWO, "role": "pelaksana", "name": "Pelaksana Dua"}]}
DIGEST = "Ringkasan pekerjaan hari ini"


def digests(fake, chat_id):
    return [m for m in fake.sent_messages(chat_id) if DIGEST in m["text"]]


def digest_buttons(message):
    return [b["callback_data"] for row in message["reply_markup"]["inline_keyboard"] for b in row]


def wait_digest(fake, chat_id, count=1):
    return fake.wait_for(lambda f: len(digests(f, chat_id)) >= count and digests(f, chat_id),
                         what="digest %d to %d" % (count, chat_id))[count - 1]


def newest_ics(fake, people, count_of, **expected):
    """The newest .ics each of `people` got, once they have count_of(person)
    of them, checked against `expected` (field -> value); returns them."""
    newest = {}
    for person in people:
        files = wait_calendar_files(fake, person, count_of(person))
        got = ics_fields(files[-1]["data"])
        assert all(got.get(k) == v for k, v in expected.items()), (person, got)
        newest[person] = (files[-1], got)
    return newest


def test_a_failing_digest_is_set_aside_and_the_reminders_still_go(env):
    """The digest's round is a job like the others (jobs_guard): when it fails
    it waits for the quarantine's next try, the reminders still go out, and
    the scheduler does not spin on a round that looks due at once."""
    fake = env.fake
    bot = env.bot(clock=MONDAY_0900).start().wait_polling()
    chat = Chat(fake, bot)
    chat.register_applicant()
    chat.submit()
    assert bot.stop() == 0
    bot = env.bot(clock=MONDAY_0900)
    bot.start({"SERTIBOT_TEST_FAIL_SQL": "*INSERT INTO digests*"}).wait_polling()
    bot.set_clock(at(1, 7, 30))  # Tuesday's round, with SE-0001 overdue for the Kadis
    fake.wait_for(lambda f: db_rows(bot, "SELECT job FROM failed_jobs") == [("digest",)],
                  what="the digest in the quarantine")
    fake.wait_for(lambda f: [t for t in reminders(f, KADIS, "Pengingat tenggat") if "SE-0001" in t],
                  what="the reminder all the same")
    assert digests(fake, KADIS) == []
    attempts = db_rows(bot, "SELECT attempts FROM failed_jobs")[0][0]
    quiet()
    assert db_rows(bot, "SELECT attempts FROM failed_jobs")[0][0] == attempts, \
        "tried again before its next try"


def test_one_digest_per_official_at_the_start_of_office_hours(env):
    fake = env.fake
    bot = env.bot(clock=MONDAY_0900).start().wait_polling()
    chat = Chat(fake, bot)
    chat.register_applicant()
    chat.submit()
    chat.dispose(KADIS)  # SE-0001 goes to the Kabid
    chat.submit()
    chat.submit()
    # Monday's round ran when the bot started, before any work: none today.
    bot.set_clock(datetime(2026, 11, 30, 15, 0, tzinfo=WIB))
    quiet()
    assert all(digests(fake, p) == [] for p in (KADIS, KABID, KASI, PELAKSANA))

    # Tuesday 1 December: nothing before 07:30, then one digest each.
    bot.set_clock(at(1, 7, 29))
    quiet()
    assert digests(fake, KADIS) == [] and digests(fake, KABID) == []
    bot.set_clock(at(1, 7, 30))
    kadis = wait_digest(fake, KADIS)
    assert "2 permohonan" in kadis["text"], kadis["text"]
    assert "SE-0002" in kadis["text"] and "SE-0003" in kadis["text"], kadis["text"]
    assert "SE-0001" not in kadis["text"], kadis["text"]
    assert "Disposisi Kadis" in kadis["text"] and "sudah lewat" in kadis["text"], kadis["text"]
    assert "Permohonan sertifikat elektronik" not in kadis["text"], "no subject in a digest"
    assert digest_buttons(kadis) == ["t:2", "t:3"], digest_buttons(kadis)
    kabid = wait_digest(fake, KABID)
    assert digest_buttons(kabid) == ["t:1"] and "Disposisi Kabid" in kabid["text"], kabid
    chat.settle()
    quiet()
    assert digests(fake, KASI) == [] and digests(fake, PELAKSANA) == []
    assert digests(fake, APPLICANT) == [] and digests(fake, ADMIN) == []
    assert db_rows(bot, "SELECT user_id, day, items FROM digests ORDER BY user_id") == [
        (KADIS, "2026-12-01", 2), (KABID, "2026-12-01", 1)]

    # A button sends that case's card again, with its buttons.
    chat.press(KADIS, r"^t:3$")
    chat.wait_button(KADIS, r"^c:3:\d+:")

    # Not twice: later that day, nor after a restart.
    bot.set_clock(at(1, 7, 40))
    chat.settle()
    assert bot.stop() == 0
    again = env.bot(clock=at(1, 7, 45))
    again.start().wait_polling()
    chat.bot = again
    again.set_clock(at(1, 13, 0))
    quiet()
    assert len(digests(fake, KADIS)) == 1 and len(digests(fake, KABID)) == 1

    # The Kadis passes SE-0002 on: Wednesday's digest lists what is left.
    chat.press(KADIS, r"^c:2:\d+:dispose$")  # the one-tap default
    again.set_clock(at(2, 7, 30))
    kadis = wait_digest(fake, KADIS, 2)
    assert digest_buttons(kadis) == ["t:3"], digest_buttons(kadis)
    assert digest_buttons(wait_digest(fake, KABID, 2)) == ["t:1", "t:2"]

    # No digest on a Saturday, nor on a day an admin closed the office.
    again.set_clock(at(5, 8, 0))
    chat.send(ADMIN, "/libur tambah 2026-12-07 tutup Kantor tutup darurat")
    chat.wait_text(ADMIN, "2026-12-07 dicatat")
    again.set_clock(at(7, 9, 0))
    quiet()
    assert len(digests(fake, KADIS)) == 2 and len(digests(fake, KABID)) == 2
    again.set_clock(at(8, 7, 30))
    wait_digest(fake, KADIS, 3)
    wait_digest(fake, KABID, 3)


def test_an_acting_official_named_ahead_gets_the_digest_from_the_first_day(env):
    """A Plh. named ahead holds the role's waiting cases in the digest of the
    appointment's first day, with their own in one message, and the absent
    official gets none; once the appointment is over the official has them
    back."""
    fake = env.fake
    bot = env.bot(clock=MONDAY_0900).start().wait_polling()
    chat = Chat(fake, bot)
    chat.register_applicant()
    chat.submit()
    chat.dispose(KADIS)  # SE-0001 waits for the Kabid
    chat.submit()        # SE-0002 for the Kadis
    chat.send(KADIS, "/plh kadis %d 2026-12-01 2026-12-02" % KABID)
    chat.wait_text(KABID, "Plh")
    bot.set_clock(at(1, 7, 30))
    kabid = wait_digest(fake, KABID)
    assert "2 permohonan" in kabid["text"], kabid["text"]
    assert "Disposisi Kadis" in kabid["text"] and "Disposisi Kabid" in kabid["text"], kabid
    assert sorted(digest_buttons(kabid)) == ["t:1", "t:2"], digest_buttons(kabid)
    chat.settle()
    quiet()
    assert digests(fake, KADIS) == [], "the absent Kadis's cases are the Plh's"
    assert len(digests(fake, KABID)) == 1
    # The Plh's button opens the Kadis's card, with the buttons to act.
    chat.press(KABID, r"^t:2$")
    chat.wait_button(KABID, r"^c:2:\d+:dispose$")
    # Thursday the appointment is over: each has their own again.
    bot.set_clock(at(3, 7, 30))
    kadis = wait_digest(fake, KADIS)
    assert digest_buttons(kadis) == ["t:2"], digest_buttons(kadis)
    kabid = wait_digest(fake, KABID, 2)  # Wednesday's round was skipped over
    assert digest_buttons(kabid) == ["t:1"], digest_buttons(kabid)
    assert bot.stop() == 0


def test_after_a_stop_the_digest_comes_late_with_the_reminders_in_it(env):
    fake = env.fake
    bot = env.bot(clock=MONDAY_0900).start().wait_polling()
    chat = Chat(fake, bot)
    chat.register_applicant()
    chat.submit()  # step 1, 15 minutes: long overdue by Tuesday
    bot.set_clock(datetime(2026, 11, 30, 10, 0, tzinfo=WIB))
    fake.wait_for(lambda f: reminders(f, ADMIN, "Pengingat tenggat"), what="the escalation")
    chat.settle()
    assert bot.stop() == 0
    kadis_before = len(reminders(fake, KADIS, "Pengingat tenggat"))
    admin_before = len(reminders(fake, ADMIN, "Pengingat tenggat"))
    # Down over Tuesday's start of office hours; back at 09:00.
    again = env.bot(clock=at(1, 9, 0))
    again.start().wait_polling()
    chat.bot = again
    digest = wait_digest(fake, KADIS)
    assert digest_buttons(digest) == ["t:1"], digest
    # The overdue reminder due meanwhile is in the digest, not sent again to
    # the Kadis; the escalation to the admins still goes.
    fake.wait_for(lambda f: len(reminders(f, ADMIN, "Pengingat tenggat")) > admin_before,
                  what="the escalation after the stop")
    chat.settle()
    assert len(reminders(fake, KADIS, "Pengingat tenggat")) == kadis_before
    # The next repeat, after the digest, goes to the Kadis as before.
    again.set_clock(at(1, 10, 30))
    fake.wait_for(lambda f: len(reminders(f, KADIS, "Pengingat tenggat")) > kadis_before,
                  what="the next repeat")


def test_reassigning_the_pelaksana_in_step_7_moves_the_session(env):
    fake = env.fake
    bot, chat = start(env, config_overrides=TWO_PELAKSANA)
    number = to_scheduling(chat)
    chat.offer(["2026-12-03 09:00", "2026-12-03 13:00"])
    chat.choose(1)
    for person in (APPLICANT, PELAKSANA, KASI):
        wait_calendar_files(fake, person, 1)
    assert db_rows(bot, "SELECT state FROM cases") == [("s7_pendampingan",)]

    chat.send(ADMIN, "/admin ganti %s %d" % (number, PELAKSANA_TWO))
    done = chat.wait_text(ADMIN, "Pelaksana Dua")
    assert "ikut dialihkan" in done, done
    # The .ics again, same UID, next SEQUENCE, naming the new Pelaksana, to
    # the new Pelaksana, the applicant and the Kasi.
    sent = newest_ics(fake, (PELAKSANA_TWO, APPLICANT, KASI),
                      lambda p: 1 if p == PELAKSANA_TWO else 2, UID="session-1@sertibot",
                      SEQUENCE=1, METHOD="REQUEST", DTSTART="2026-12-03T09:00:00+07:00")
    for document, fields in sent.values():
        assert ["Pelaksana Dua", "invalid:nomail"] in fields["ATTENDEE"], fields
        assert ["Pelaksana Satu", "invalid:nomail"] not in fields["ATTENDEE"], fields
        assert "Pelaksana Dua" in document["caption"], document
    # The old one is told it is no longer theirs, and gets no new file.
    told = chat.wait_text(PELAKSANA, "tidak lagi menjadi tugas Anda")
    assert number in told and "Pelaksana Dua" in told, told
    assert len(calendar_files(fake, PELAKSANA)) == 1
    assert db_rows(bot, "SELECT pelaksana_id, sequence FROM sessions WHERE status = 'confirmed'"
                   ) == [(PELAKSANA_TWO, 1)]

    # The reminders go to the new Pelaksana.
    day_before = "Pengingat jadwal"
    bot.set_clock(at(2, 7, 30))
    text = fake.wait_for(lambda f: reminders(f, PELAKSANA_TWO, day_before),
                         what="the day-before reminder to the new Pelaksana")[0]
    assert number in text and "Pelaksana Dua" in text, text
    chat.settle()
    assert reminders(fake, PELAKSANA, day_before) == []
    # So does the question for the report, with the card to answer it.
    bot.set_clock(at(3, 10, 0))
    fake.wait_for(lambda f: reminders(f, PELAKSANA_TWO, "sudah selesai"), what="the question")
    chat.wait_button(PELAKSANA_TWO, r"^c:\d+:\d+:no_show$")
    assert reminders(fake, PELAKSANA, "sudah selesai") == []


def test_a_busy_pelaksana_cannot_take_a_session_at_the_same_time(env):
    bot, chat = start(env, config_overrides=TWO_PELAKSANA)
    to_scheduling(chat)
    to_scheduling(chat)
    # SE-0001 with Pelaksana Satu at 09:00, SE-0002 with Pelaksana Dua at
    # 09:30, by two Kasi as test_schedule does.
    for case, kasi, pelaksana, when in ((1, KASI, PELAKSANA, "2026-12-03 09:00"),
                                        (2, KASI_TWO, PELAKSANA_TWO, "2026-12-03 09:30")):
        chat.press(kasi, r"^c:%d:\d+:propose_session$" % case)
        chat.add_slot(when, pelaksana=pelaksana, kasi=kasi)
        chat.add_slot("2026-12-04 13:00", pelaksana=pelaksana, kasi=kasi)
        chat.press(kasi, r"^c:%d:\d+:propose_session:send$" % case)
        chat.choose(1)
    sessions = "SELECT case_id, pelaksana_id, sequence FROM sessions WHERE status = 'confirmed' "
    booked = db_rows(bot, sessions + "ORDER BY case_id")
    assert sorted(p for _, p, _ in booked) == [PELAKSANA, PELAKSANA_TWO], booked
    # The case whose session is Pelaksana Satu's, to Pelaksana Dua: busy then.
    case = [c for c, p, _ in booked if p == PELAKSANA][0]
    chat.send(ADMIN, "/admin ganti SE-%04d %d" % (case, PELAKSANA_TWO))
    refusal = chat.wait_text(ADMIN, "Tidak ada yang berubah")
    assert "Pelaksana Dua" in refusal and "SE-%04d" % case in refusal, refusal
    assert "09.00" in refusal, refusal
    assert db_rows(bot, sessions + "ORDER BY case_id") == booked
    assert db_rows(bot, "SELECT pelaksana_id FROM cases WHERE id = ?", case) == [(PELAKSANA,)]


def test_a_closure_over_a_confirmed_session_is_flagged_with_a_move_button(env):
    fake = env.fake
    bot, chat, number = confirmed_case(env)  # Thursday 3 December 09:00
    chat.send(ADMIN, "/libur tambah 2026-12-03 tutup Kantor tutup darurat")
    answer = chat.wait_text(ADMIN, "2026-12-03 dicatat")
    assert "1 jadwal pendampingan" in answer, answer
    flagged = {}
    for person in (KASI, APPLICANT):
        message = fake.wait_for(
            lambda f: [m for m in f.sent_messages(person) if "kini hari libur" in m["text"]],
            what="the flag to %d" % person)[-1]
        assert number in message["text"] and "Kantor tutup darurat" in message["text"], message
        assert "09.00" in message["text"], message
        assert "3 Desember 2026 kini hari libur" in message["text"], message
        flagged[person] = message
        assert any(b.endswith(":reschedule_session") for b in markup_of(message)), message
    told = chat.wait_text(PELAKSANA, "kini hari libur")
    assert "Kasi atau pemohon" in told, told
    chat.settle()
    assert [m for m in fake.sent_messages(KADIS) if "kini hari libur" in m["text"]] == []

    # The applicant moves it from the flag: Friday 09:00, the same UID, SEQUENCE 1.
    message = flagged[APPLICANT]
    move = [b for b in markup_of(message) if b.endswith(":reschedule_session")][0]
    chat.tap(APPLICANT, move, message_id=message["message_id"])
    chat.settle()
    friday = (datetime(2026, 12, 4) - datetime(1970, 1, 1)).days
    thursday = friday - 1
    assert not [d for _, _, d in buttons(fake, APPLICANT)
                if re.match(r"^s:\d+:\d+:md:%d$" % thursday, d)], "the closed day is not offered"
    chat.press(APPLICANT, r"^s:\d+:\d+:md:%d$" % friday)
    chat.press(APPLICANT, r"^s:\d+:\d+:mt:%d:540$" % friday)
    chat.wait_text(APPLICANT, "alasan pemindahan")
    chat.send(APPLICANT, "Kantor tutup")
    newest_ics(fake, (APPLICANT, PELAKSANA, KASI), lambda p: 2, UID="session-1@sertibot",
               SEQUENCE=1, DTSTART="2026-12-04T09:00:00+07:00")
    # A holiday on a day with no session flags nothing.
    chat.send(ADMIN, "/libur tambah 2026-12-10 tutup Rapat kerja")
    answer = chat.wait_text(ADMIN, "2026-12-10 dicatat")
    assert "jadwal pendampingan" not in answer, answer


if __name__ == "__main__":
    run_tests(globals())
