"""A certificate help request's session is booked as step 6-7's is (issue
14): its Pelaksana (or the Kasi) offers two to five times with the step-6
picker (typed, or day and time buttons), a time the Pelaksana holds for a
case is refused, the operator who asked picks one (a forged pick by another
operator or by the Pelaksana is refused), the Pelaksana, the operator and
the Kasi get its .ics with buttons to move or cancel it; a move with a
reason sends the same UID with SEQUENCE+1, a cancel sends METHOD:CANCEL and
lets the Pelaksana offer again. /jadwal lists it (with the buttons for those
who may move it); a closure of its day flags it to the three, and a change
of the calendar plans its reminders again. A reassignment withdraws an open
offer."""

from aftercare_e2e import (OTHER_OPERATOR, agency_id, ask_help, at, book_case_session,
                           calendar_file, calendar_files, help_offer_buttons, ics_text, ms,
                           offer_help_times, pick_help_time, press_document, register_holder,
                           start, tap)
from harness import ADMIN, APPLICANT, KASI, PELAKSANA, db_rows, run_tests
from sop import find_button

SECOND_PELAKSANA = 1006
SESSIONS = "SELECT status, start_at, sequence FROM sessions WHERE help_id = 1 ORDER BY start_at"


def assigned(env):
    """A help request for Rina with the Pelaksana (version 2), and a second
    operator of the same agency."""
    bot, chat = start(env)
    chat.register_applicant(OTHER_OPERATOR, r"^reg:%d$" % agency_id(bot, "Dinas Kesehatan"))
    register_holder(chat, bot)
    ask_help(chat)
    chat.press(KASI, r"^rv:\d+:1:confirm$")
    chat.press(KASI, r"^rv:\d+:1:pick:%d$" % PELAKSANA)
    chat.wait_text(PELAKSANA, "Bantuan sertifikat elektronik BS-0001")
    return bot, chat


def test_an_offer_of_three_is_picked_then_moved_and_cancelled(env):
    bot, chat = assigned(env)
    # The Pelaksana holds a case's session 10:00-11:00.
    book_case_session(bot, PELAKSANA, at(10, 0), at(11, 0))
    # Only the Pelaksana or the Kasi offers.
    answer = tap(chat, APPLICANT, "rv:1:2:session")
    assert "bukan untuk peran Anda" in answer, answer
    chat.press(PELAKSANA, r"^rv:1:2:session$")
    chat.wait_text(PELAKSANA, "Tawarkan jadwal pendampingan \u00b7 BS-0001")
    _, day_button = chat.wait_button(PELAKSANA, r"^sh:1:2:od:\d+$")
    day = int(day_button.rsplit(":", 1)[1])
    # A busy time is refused, typed or pressed, naming the case.
    chat.send(PELAKSANA, "2026-11-30 10:30, Ruang Rapat Diskominfo")
    assert "SE-0001" in chat.wait_text(PELAKSANA, "Jadwal ditolak")
    answer = tap(chat, PELAKSANA, "sh:1:2:ot:%d:600" % day)  # 10:00
    assert "Jadwal ditolak" in answer and "SE-0001" in answer, answer
    assert db_rows(bot, SESSIONS) == []
    # Three times: typed with the place, typed then the last place again,
    # and with the buttons (day, time) and a typed place.
    chat.send(PELAKSANA, "2026-11-30 11:00, Ruang Rapat Diskominfo")
    chat.send(PELAKSANA, "2026-11-30 13:00")
    chat.wait_text(PELAKSANA, "Di mana pendampingan")
    chat.press(PELAKSANA, r"^sh:1:2:ol:%d:780:60:%d$" % (day, PELAKSANA))
    chat.press(PELAKSANA, r"^sh:1:2:od:%d$" % day)
    chat.press(PELAKSANA, r"^sh:1:2:ot:%d:840$" % day)  # 14:00
    chat.send(PELAKSANA, "Ruang Rapat Diskominfo")
    # A slot for another Pelaksana is no slot of this request.
    answer = tap(chat, PELAKSANA, "sh:1:2:ol:%d:900:60:%d" % (day, KASI))
    assert "tidak berlaku" in answer, answer
    drafts = [("draft", ms(at(h, 0)), 0) for h in (11, 13, 14)]
    assert db_rows(bot, SESSIONS) == drafts, db_rows(bot, SESSIONS)
    chat.press(PELAKSANA, r"^sh:1:2:os$")
    chat.wait_text(PELAKSANA, "telah dikirim kepada peminta")
    chat.wait_text(APPLICANT, "Pilihan jadwal sesi pendampingan \u00b7 BS-0001")
    slots = help_offer_buttons(env.fake)
    assert len(slots) == 3, slots
    # A forged pick by another operator of the agency, or by the Pelaksana.
    for user in (OTHER_OPERATOR, PELAKSANA):
        answer = tap(chat, user, slots[1])
        assert "bukan untuk peran Anda" in answer, (user, answer)
    assert [r[0] for r in db_rows(bot, SESSIONS)] == ["offered"] * 3
    pick_help_time(chat, 2)  # 13:00
    chat.wait_text(APPLICANT, "Anda memilih jadwal")
    assert db_rows(bot, SESSIONS) == [("withdrawn", ms(at(11, 0)), 0),
                                      ("confirmed", ms(at(13, 0)), 0),
                                      ("withdrawn", ms(at(14, 0)), 0)]
    session_id = db_rows(bot, "SELECT id FROM sessions WHERE status = 'confirmed' "
                              "AND help_id = 1")[0][0]
    for user in (PELAKSANA, APPLICANT, KASI):
        ics = ics_text(calendar_file(env.fake, user, "Jadwal sesi pendampingan bantuan BS-0001"))
        assert "METHOD:REQUEST" in ics and "UID:session-%d@sertibot" % session_id in ics, ics
        assert "DTSTART;TZID=Asia/Jakarta:20261130T130000" in ics and "SEQUENCE:0" in ics, ics
    # An old pick changes nothing.
    assert "tidak berlaku" in tap(chat, APPLICANT, slots[0])
    # /jadwal lists it with its buttons for those who may move it; another
    # operator of the agency sees it without them.
    for user, buttons_shown in ((PELAKSANA, True), (APPLICANT, True), (KASI, True),
                                (OTHER_OPERATOR, False)):
        chat.send(user, "/jadwal")
        listed = chat.wait_text(user, "BS-0001")
        assert "13.00" in listed and "Dinas Kesehatan" in listed, listed
        found = find_button(env.fake, user, r"^sh:1:2:mo$")
        assert bool(found) == buttons_shown, (user, found)

    # Moved by the operator, with a reason: the same UID, SEQUENCE 1, to the three.
    press_document(chat, APPLICANT, r"^sh:1:2:mo$")
    chat.wait_text(APPLICANT, "Pindah jadwal pendampingan \u00b7 BS-0001")
    chat.send(APPLICANT, "2026-11-30 10:00")  # the Pelaksana's case: refused
    chat.wait_text(APPLICANT, "Pelaksana tidak tersedia pada waktu itu")
    chat.send(APPLICANT, "2026-11-30 15:00")
    chat.wait_text(APPLICANT, "Ketik alasan pemindahan")
    chat.send(APPLICANT, "Pemegang sertifikat ada rapat mendadak")
    for user in (PELAKSANA, APPLICANT, KASI):
        moved = calendar_file(env.fake, user, "dipindah")
        assert "rapat mendadak" in moved["caption"], moved["caption"]
        ics = ics_text(moved)
        assert "UID:session-%d@sertibot" % session_id in ics and "SEQUENCE:1" in ics, ics
        assert "DTSTART;TZID=Asia/Jakarta:20261130T150000" in ics, ics
    row = db_rows(bot, "SELECT start_at, sequence, next_due FROM sessions WHERE id = ?", session_id)
    assert row == [(ms(at(15, 0)), 1, ms(at(14, 0)))], row

    # Cancelled by the Pelaksana, with a reason: METHOD:CANCEL to the three.
    press_document(chat, PELAKSANA, r"^sh:1:2:cx$")
    chat.wait_text(PELAKSANA, "Ketik alasan pembatalan")
    chat.send(PELAKSANA, "Pemegang sertifikat sakit")
    for user in (PELAKSANA, APPLICANT, KASI):
        cancelled = calendar_file(env.fake, user, "dibatalkan")
        ics = ics_text(cancelled)
        assert "METHOD:CANCEL" in ics and "SEQUENCE:2" in ics, ics
        assert "UID:session-%d@sertibot" % session_id in ics, ics
    row = db_rows(bot, "SELECT status, next_due FROM sessions WHERE id = ?", session_id)
    assert row == [("cancelled", None)], row
    # Its buttons are spent; the Pelaksana may offer again.
    assert "tidak berlaku" in tap(chat, APPLICANT, "sh:1:2:mo")
    chat.wait_text(PELAKSANA, "Anda dapat menawarkan jadwal baru")
    builders = len([t for t in chat.texts(PELAKSANA) if "Tawarkan jadwal pendampingan" in t])
    chat.press(PELAKSANA, r"^rv:1:2:session$")
    env.fake.wait_for(lambda f: len([t for t in chat.texts(PELAKSANA)
                                     if "Tawarkan jadwal pendampingan" in t]) > builders,
                      what="a new offer builder")
    assert bot.stop() == 0


def test_the_kasi_offers_and_the_operator_asks_for_other_times(env):
    bot, chat = assigned(env)
    # The Kasi's message naming the Pelaksana has the offer's button too.
    answer = offer_help_times(chat, KASI, ["2026-12-01 09:00", "2026-12-01 10:00"])
    assert "tidak berlaku" not in answer, answer
    assert [r[0] for r in db_rows(bot, SESSIONS)] == ["offered", "offered"]
    # A press drawn for another version of the request is stale.
    answer = tap(chat, KASI, "sh:1:1:os")
    assert "tidak berlaku" in answer, answer
    # Too few slots cannot go (the button shows from two; pressed anyway).
    # A time of the open offer may be offered again: the new offer replaces it.
    chat.press(PELAKSANA, r"^rv:1:2:session$")
    chat.send(PELAKSANA, "2026-12-01 09:00, Ruang Rapat Diskominfo")
    assert chat.wait_button(PELAKSANA, r"^sh:1:2:ox:\d+$")
    answer = tap(chat, PELAKSANA, "sh:1:2:os")
    assert "perlu 2 sampai 5" in answer, answer
    slots = help_offer_buttons(env.fake)
    chat.press(APPLICANT, r"^sh:1:2:cd$")
    chat.wait_text(PELAKSANA, "meminta waktu lain")
    assert sorted(r[0] for r in db_rows(bot, SESSIONS)) == ["draft", "withdrawn", "withdrawn"]
    assert "tidak berlaku" in tap(chat, APPLICANT, slots[0])
    assert calendar_files(env.fake, APPLICANT, "") == []
    assert bot.stop() == 0


def test_a_closed_day_flags_a_booked_help_session(env):
    bot, chat = assigned(env)
    offer_help_times(chat, PELAKSANA, ["2026-12-03 09:00", "2026-12-03 10:00"])
    pick_help_time(chat, 1)
    chat.send(ADMIN, "/libur tambah 2026-12-03 tutup Kantor tutup darurat")
    answer = chat.wait_text(ADMIN, "2026-12-03 dicatat")
    assert "1 jadwal pendampingan" in answer, answer
    for user in (PELAKSANA, APPLICANT, KASI):
        flag = chat.wait_text(user, "kini hari libur")
        assert "BS-0001" in flag and "Kantor tutup darurat" in flag, flag
        assert chat.wait_button(user, r"^sh:1:2:mo$")
    # The Kasi moves it off the closed day (no longer offered) to the next.
    chat.press(KASI, r"^sh:1:2:mo$")
    chat.send(KASI, "2026-12-03 13:00")
    assert "bukan hari kerja" in chat.wait_text(KASI, "Jadwal ditolak")
    chat.send(KASI, "2026-12-04 09:00")
    chat.send(KASI, "Kantor tutup darurat pada hari Kamis")
    for user in (PELAKSANA, APPLICANT, KASI):
        ics = ics_text(calendar_file(env.fake, user, "dipindah"))
        assert "DTSTART;TZID=Asia/Jakarta:20261204T090000" in ics and "SEQUENCE:1" in ics, ics
    assert bot.stop() == 0


def test_a_calendar_change_moves_the_help_sessions_day_before_reminder(env):
    """/libur re-plans a help session's reminders as a case's: Wednesday
    closed, a Thursday session is reminded on Tuesday, to the Pelaksana and
    the operator who asked, once."""
    bot, chat = assigned(env)
    offer_help_times(chat, PELAKSANA, ["2026-12-03 09:00", "2026-12-03 10:00"])
    pick_help_time(chat, 1)
    plan = "SELECT remind_stage, next_due FROM sessions WHERE help_id = 1 AND status = 'confirmed'"
    assert db_rows(bot, plan) == [(0, ms(at(7, 30, day=2, month=12)))]
    chat.send(ADMIN, "/libur tambah 2026-12-02 tutup Banjir")
    answer = chat.wait_text(ADMIN, "2026-12-02 dicatat")
    assert "jadwal pendampingan" not in answer, answer  # Thursday's is not on the closed day
    assert db_rows(bot, plan) == [(0, ms(at(7, 30, day=1, month=12)))]
    bot.set_clock(at(7, 30, day=1, month=12))
    for user in (PELAKSANA, APPLICANT):
        reminder = chat.wait_text(user, "Pengingat jadwal")
        assert "BS-0001" in reminder, reminder
    chat.fake.wait_for(lambda f: db_rows(bot, plan) == [(1, ms(at(8, 0, day=3, month=12)))],
                       what="the hour-before planned next")
    # Wednesday opens again: nothing is sent twice.
    chat.send(ADMIN, "/libur hapus 2026-12-02")
    chat.wait_text(ADMIN, "tidak lagi hari libur")
    assert db_rows(bot, plan) == [(1, ms(at(8, 0, day=3, month=12)))]
    assert bot.stop() == 0


def test_a_reassignment_withdraws_an_open_offer(env):
    bot, chat = assigned(env)
    chat.send(ADMIN, "/admin pejabat %d pelaksana Dewi Lestari" % SECOND_PELAKSANA)
    chat.wait_text(ADMIN, "kini terdaftar sebagai Pelaksana")
    offer_help_times(chat, PELAKSANA, ["2026-12-01 09:00", "2026-12-01 10:00"])
    slots = help_offer_buttons(env.fake)
    chat.press(KASI, r"^rv:1:2:reassign$")
    chat.press(KASI, r"^rv:1:2:to:%d$" % SECOND_PELAKSANA)
    chat.wait_text(APPLICANT, "ditarik karena permintaan dialihkan")
    assert [r[0] for r in db_rows(bot, SESSIONS)] == ["withdrawn", "withdrawn"]
    answer = tap(chat, APPLICANT, slots[0])
    assert "tidak berlaku" in answer, answer
    # The new Pelaksana offers afresh, at the same times if free.
    offer_help_times(chat, SECOND_PELAKSANA, ["2026-12-01 09:00", "2026-12-01 10:00"],
                     version=3)
    pick_help_time(chat, 1)
    ics = ics_text(calendar_file(env.fake, SECOND_PELAKSANA, "Jadwal sesi pendampingan bantuan"))
    assert "Dewi Lestari" in ics and "DTSTART;TZID=Asia/Jakarta:20261201T090000" in ics, ics
    assert calendar_files(env.fake, PELAKSANA, "") == []
    assert bot.stop() == 0


run_tests(globals())
