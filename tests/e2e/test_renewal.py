"""Renewal before expiry (issue 14), through the real binary with an
injected clock: a register row's 60-day reminder goes out once to the
agency's operator (with "Ajukan perpanjangan") and to the Kasi, not again
after a restart, then the 30-day one once; the operator's tap opens the
short request (holders, same position?) and /ajukan's letter questions, and
the case it makes is a renewal ("perpanjangan") that runs the same SOP and
shows "Perpanjangan" in the Buku Agenda export; a renewal returned puts the
register row back to issued.

The register rows are written into the database directly, as the register
(certificates_record_case) would after a closed case."""

import csv
import io
import re
import sqlite3
from datetime import date, datetime, timedelta

from harness import APPLICANT, KABID, KADIS, KASI, PELAKSANA, db_rows, run_tests
from sop import LETTER_PDF, MONDAY_0900, WIB, Chat, find_button

# Ends on Friday 2027-02-05: 60 days before is Monday 2026-12-07, 30 days
# before Wednesday 2027-01-06 (both working days).
VALID_UNTIL = "2027-02-05"
REMINDER_60 = datetime(2026, 12, 7, 7, 31, tzinfo=WIB)
REMINDER_30 = datetime(2027, 1, 6, 7, 31, tzinfo=WIB)
NEAR_END = "segera berakhir"
HOLDER_NIP = "198501012010012001"


def reminders(fake, chat_id):
    return [m for m in fake.sent_messages(chat_id) if NEAR_END in m["text"]]


def add_row(bot, case_id, nip=HOLDER_NIP, name="Rina Wati", valid_until=VALID_UNTIL,
            reminded=None):
    """A register row of the applicant's agency, as a closed case leaves it."""
    db = sqlite3.connect(bot.database, timeout=10)
    try:
        agency = db.execute("SELECT agency_id FROM cases WHERE id = ?", (case_id,)).fetchone()[0]
        cur = db.execute(
            "INSERT INTO certificates (agency_id, nip, name, jabatan, email, case_id, status, "
            "valid_until, reminded_days, created_at, updated_at) "
            "VALUES (?, ?, ?, 'Kepala Seksi Pelayanan', 'rina@dinkes.bekasikota.go.id', ?, "
            "'issued', ?, ?, 0, 0)", (agency, nip, name, case_id, valid_until, reminded))
        db.commit()
        return cur.lastrowid
    finally:
        db.close()


def first_case(chat):
    """An applicant registered and one case of theirs (the row's origin)."""
    chat.register_applicant()
    number = chat.submit()
    return int(number.split("-")[1])


def restart(env, bot, clock=None):
    """The bot stopped and started again on the same database; `clock`
    moves business time while it is down."""
    bot.stop()
    if clock is not None:
        bot.set_clock(clock)
    again = env.bot(clock=None)
    again.clock_path = bot.clock_path
    again.database = bot.database
    again.config_path = bot.config_path
    return again.start().wait_polling()


def quiet_moment(chat, bot):
    """Lets the scheduler run a few rounds (200 ms each with a test clock)."""
    import time
    time.sleep(1.5)
    chat.settle()


def test_reminders_go_out_once_each_across_a_restart(env):
    fake = env.fake
    bot = env.bot(clock=MONDAY_0900).start().wait_polling()
    chat = Chat(fake, bot)
    row = add_row(bot, first_case(chat))
    quiet_moment(chat, bot)
    assert reminders(fake, APPLICANT) == [] and reminders(fake, KASI) == []

    bot.set_clock(REMINDER_60)
    fake.wait_for(lambda f: reminders(f, APPLICANT) and reminders(f, KASI), what="60-day reminder")
    chat.settle()
    operator, kasi = reminders(fake, APPLICANT)[0], reminders(fake, KASI)[0]
    assert "Rina Wati" in operator["text"] and "19850101 201001 2 001" in operator["text"]
    assert "5 Februari 2027" in operator["text"] and "60 hari lagi" in operator["text"]
    assert find_button(fake, APPLICANT, r"^renew:start:\d+$")
    assert "Rina Wati" in kasi["text"] and not kasi.get("reply_markup")
    assert db_rows(bot, "SELECT reminded_days FROM certificates WHERE id = ?", row) == [(60,)]

    bot = restart(env, bot)
    chat.bot = bot
    quiet_moment(chat, bot)
    assert len(reminders(fake, APPLICANT)) == 1 and len(reminders(fake, KASI)) == 1

    bot.set_clock(REMINDER_30)
    fake.wait_for(lambda f: len(reminders(f, APPLICANT)) == 2 and len(reminders(f, KASI)) == 2,
                  what="30-day reminder")
    assert "30 hari lagi" in reminders(fake, APPLICANT)[1]["text"]
    bot = restart(env, bot)
    chat.bot = bot
    quiet_moment(chat, bot)
    assert len(reminders(fake, APPLICANT)) == 2 and len(reminders(fake, KASI)) == 2
    assert db_rows(bot, "SELECT reminded_days FROM certificates WHERE id = ?", row) == [(30,)]


def expired(bot):
    return db_rows(bot, "SELECT name FROM certificates WHERE status = 'expired' ORDER BY id")


def test_the_expiry_job_flags_once_a_day_across_a_restart(env):
    """The daily job flags a certificate past its end once; started again on
    the same day it changes nothing and logs nothing; started after days
    down it catches up on the rows that ended meanwhile."""
    fake = env.fake
    bot = env.bot(clock=MONDAY_0900).start().wait_polling()
    chat = Chat(fake, bot)
    case_id = first_case(chat)
    add_row(bot, case_id)                                      # ends Friday 2027-02-05
    add_row(bot, case_id, nip="198703032012011003", name="Budi Santoso",
            valid_until="2027-02-08")                          # ends the Monday after
    quiet_moment(chat, bot)
    assert expired(bot) == []

    bot.set_clock(datetime(2027, 2, 6, 9, 0, tzinfo=WIB))      # Saturday
    fake.wait_for(lambda f: expired(bot) == [("Rina Wati",)], what="the first expiry")
    assert bot.stderr().count("flagged expired on 2027-02-06") == 1

    bot = restart(env, bot)
    chat.bot = bot
    quiet_moment(chat, bot)
    assert expired(bot) == [("Rina Wati",)]
    assert "flagged expired" not in bot.stderr(), bot.stderr()
    assert db_rows(bot, "SELECT value FROM bot_state WHERE key = 'certificates_expired_day'") == [
        ("2027-02-06",)]

    bot = restart(env, bot, clock=datetime(2027, 2, 10, 9, 0, tzinfo=WIB))
    chat.bot = bot
    fake.wait_for(lambda f: expired(bot) == [("Rina Wati",), ("Budi Santoso",)],
                  what="the catch-up after days down")
    assert bot.stderr().count("1 certificate(s) flagged expired on 2027-02-10") == 1
    assert db_rows(bot, "SELECT status FROM certificates WHERE nip = ?", HOLDER_NIP) == [
        ("expired",)]


def test_one_message_per_agency_and_none_after_the_end(env):
    """Three holders due the same day: one message listing them; a row that
    already ended gets none; a bot down across both reminders sends only
    the nearest."""
    fake = env.fake
    bot = env.bot(clock=MONDAY_0900).start().wait_polling()
    chat = Chat(fake, bot)
    case_id = first_case(chat)
    add_row(bot, case_id, nip="198501012010012001", name="Rina Wati")
    add_row(bot, case_id, nip="199002022015031002", name="Budi Santoso")
    add_row(bot, case_id, nip="199103032016041003", name="Citra Lestari")
    add_row(bot, case_id, nip="199204042017051004", name="Dedi Ended", valid_until="2026-11-29")
    bot.set_clock(REMINDER_30)  # past both reminders of the three; Dedi's end has passed
    fake.wait_for(lambda f: reminders(f, APPLICANT), what="the reminder")
    quiet_moment(chat, bot)
    sent = reminders(fake, APPLICANT)
    assert len(sent) == 1, [m["text"] for m in sent]
    text = sent[0]["text"]
    assert all(name in text for name in ("Rina Wati", "Budi Santoso", "Citra Lestari"))
    assert "Dedi" not in text and "30 hari lagi" in text
    assert len(reminders(fake, KASI)) == 1
    assert db_rows(bot, "SELECT count(*) FROM certificates WHERE reminded_days = 30") == [(3,)]


def reminded(env):
    """A register row whose 30-day reminder has gone out: (bot, chat, row)."""
    bot = env.bot(clock=MONDAY_0900).start().wait_polling()
    chat = Chat(env.fake, bot)
    row = add_row(bot, first_case(chat))
    bot.set_clock(REMINDER_30)
    env.fake.wait_for(lambda f: reminders(f, APPLICANT), what="the reminder")
    chat.settle()
    return bot, chat, row


def renewal_request(chat, jabatan=None):
    """The operator taps "Ajukan perpanjangan", keeps the preselected
    holder, answers the position question and sends the letter; returns the
    new case's number."""
    chat.press(APPLICANT, r"^renew:start:\d+$")
    chat.wait_text(APPLICANT, "Permohonan perpanjangan")
    assert find_button(chat.fake, APPLICANT, r"^renew:t:\d+$")
    chat.press(APPLICANT, r"^renew:next$")
    chat.wait_text(APPLICANT, "masih menjabat")
    if jabatan:
        chat.press(APPLICANT, r"^renew:n:\d+$")
        chat.wait_text(APPLICANT, "jabatan")
        chat.send(APPLICANT, jabatan)
    else:
        chat.press(APPLICANT, r"^renew:y:\d+$")
    chat.wait_text(APPLICANT, "surat permohonan perpanjangan")
    chat.send_file(APPLICANT, LETTER_PDF, "surat-perpanjangan.pdf", "application/pdf")
    for question, answer in (("Nomor surat", "800/456/Dinkes"), ("Tanggal surat", "2027-01-05"),
                             ("Perihal", "Permohonan perpanjangan sertifikat elektronik")):
        chat.wait_text(APPLICANT, question)
        chat.send(APPLICANT, answer)
    summary = chat.wait_text(APPLICANT, "Perpanjangan sertifikat")
    assert "Rina Wati" in summary
    chat.press(APPLICANT, r"^intake:submit$")
    text = chat.wait_text(APPLICANT, "Permohonan terkirim")
    return re.search(r"SE-\d+", text).group(0)


def test_ajukan_perpanjangan_makes_a_renewal_case(env):
    fake = env.fake
    bot, chat, row = reminded(env)
    # A forged start for another agency changes nothing.
    assert chat.tap(APPLICANT, "renew:start:999") != ""
    number = renewal_request(chat, jabatan="Kepala Bidang Pelayanan")
    case_id = int(number.split("-")[1])
    assert db_rows(bot, "SELECT kind FROM cases WHERE id = ?", case_id) == [("perpanjangan",)]
    assert db_rows(bot, "SELECT name, jabatan FROM case_holders WHERE case_id = ?", case_id) == [
        ("Rina Wati", "Kepala Bidang Pelayanan")]
    assert db_rows(bot, "SELECT status, renewal_case_id FROM certificates WHERE id = ?", row) == [
        ("renewal_requested", case_id)]
    # The same SOP: the Kadis gets the card of step 1.
    chat.wait_button(KADIS, r"^c:%d:\d+:dispose$" % case_id)
    assert "Perpanjangan" in chat.wait_text(KADIS, number)
    # Nothing left to renew for the agency now.
    chat.press(APPLICANT, r"^renew:start:\d+$")
    chat.wait_text(APPLICANT, "sudah diajukan")
    # The Buku Agenda marks it; the first (new) request stays "Baru".
    chat.send(KASI, "/agenda 2027-01")
    doc = fake.wait_for(lambda f: [d for d in f.documents(KASI) if "2027-01" in d["filename"]],
                        what="the agenda CSV")[-1]
    lines = doc["data"].decode("utf-8-sig").splitlines()
    assert lines[0].endswith('"Status","Jenis","Disposisi"'), lines[0]
    assert number in lines[1] and '"Perpanjangan"' in lines[1], lines
    chat.send(KASI, "/laporan 2027-01")
    chat.wait_text(KASI, "Permohonan perpanjangan: 1")
    # Returned at step 1: the register row is issued again, and can be
    # renewed again.
    chat.press(KADIS, r"^c:%d:\d+:return$" % case_id)
    chat.wait_text(KADIS, "alasan pengembalian")
    chat.send(KADIS, "Surat belum ditandatangani")
    chat.wait_text(APPLICANT, "dikembalikan")
    assert db_rows(bot, "SELECT status FROM certificates WHERE id = ?", row) == [("issued",)]
    chat.press(APPLICANT, r"^renew:start:\d+$")
    fake.wait_for(lambda f: "Pilih pemegang sertifikat" in chat.texts(APPLICANT)[-1],
                  what="a second renewal request")
    assert find_button(fake, APPLICANT, r"^renew:t:%d$" % row)
    chat.press(APPLICANT, r"^renew:cancel$")
    chat.wait_text(APPLICANT, "perpanjangan dibatalkan")
    # Submitted again from the return's button, it stays a renewal.
    chat.press(APPLICANT, r"^intake:again:%d$" % case_id)
    fake.wait_for(lambda f: "Perpanjangan sertifikat" in chat.texts(APPLICANT)[-1],
                  what="the renewal's summary again")
    chat.press(APPLICANT, r"^intake:submit$")
    again = int(re.search(r"SE-(\d+)", chat.wait_text(APPLICANT, "Permohonan terkirim")).group(1))
    assert again != case_id
    assert db_rows(bot, "SELECT kind FROM cases WHERE id = ?", again) == [("perpanjangan",)]
    assert db_rows(bot, "SELECT status, renewal_case_id FROM certificates WHERE id = ?", row) == [
        ("renewal_requested", again)]


def test_a_holder_who_moved_is_removed_and_nothing_is_made(env):
    """"Tidak", then "Keluarkan": the holder leaves the request, the
    operator is told a move needs a new request or a revocation, and with
    nobody left no case is made; a typed answer while buttons are asked is
    pointed back to them."""
    fake = env.fake
    bot, chat, row = reminded(env)
    chat.press(APPLICANT, r"^renew:start:\d+$")
    chat.press(APPLICANT, r"^renew:next$")
    chat.send(APPLICANT, "ya")
    chat.wait_text(APPLICANT, "Gunakan tombol")
    chat.press(APPLICANT, r"^renew:n:%d$" % row)
    chat.press(APPLICANT, r"^renew:x:%d$" % row)
    chat.wait_text(APPLICANT, "pencabutan sertifikat")
    chat.wait_text(APPLICANT, "tidak dibuat")
    assert db_rows(bot, "SELECT count(*) FROM cases") == [(1,)]
    assert db_rows(bot, "SELECT status FROM certificates WHERE id = ?", row) == [("issued",)]
    assert db_rows(bot, "SELECT count(*) FROM conversations WHERE telegram_id = ?",
                   APPLICANT) == [(0,)]
    # An old toggle from the finished request changes nothing.
    assert chat.tap(APPLICANT, "renew:t:%d" % row) != ""
    assert db_rows(bot, "SELECT count(*) FROM conversations WHERE telegram_id = ?",
                   APPLICANT) == [(0,)]


def test_a_renewal_runs_the_sop_and_renews_the_register_row(env):
    """The renewal case runs the same seven steps; the step-7 report that
    closes it records the holder with the new end of validity, issued, and
    the reminders start afresh for it."""
    fake = env.fake
    bot, chat, row = reminded(env)
    number = renewal_request(chat)
    case_id = int(number.split("-")[1])
    chat.press(KADIS, r"^c:%d:\d+:dispose$" % case_id)
    chat.press(KABID, r"^c:%d:\d+:dispose$" % case_id)
    chat.check_everything(holders=1)
    chat.press(KASI, r"^c:\d+:\d+:set_draft_ready$")
    chat.press(KASI, r"^c:\d+:\d+:forward$")
    chat.press(KASI, r"^c:\d+:\d+:forward:%d$" % PELAKSANA)
    chat.step4()
    chat.step5()
    chat.step6(slots=("2027-01-08 09:00", "2027-01-08 13:00"))
    session_day = datetime(2027, 1, 8, 10, 0, tzinfo=WIB)
    bot.set_clock(session_day)
    # The session is over at 10.00: its report card is replaced by a new one
    # first (one live card), so the presses go to the new card.
    chat.wait_text(PELAKSANA, "sudah selesai")
    chat.settle()
    chat.step7(holders=1)
    chat.settle()
    assert db_rows(bot, "SELECT state FROM cases WHERE id = ?", case_id) == [("closed_selesai",)]
    new_end = (date(2027, 1, 8) + timedelta(days=730)).isoformat()
    assert db_rows(bot, "SELECT id, status, valid_until, case_id, coalesce(reminded_days, 0), "
                        "coalesce(renewal_case_id, 0) FROM certificates WHERE nip = ?",
                   HOLDER_NIP) == [(row, "issued", new_end, case_id, 0, 0)]
    # The monthly report sets the renewal's steps apart from new requests'.
    [(steps,)] = db_rows(bot, "SELECT count(*) FROM step_clocks WHERE case_id = ? "
                              "AND ended_at IS NOT NULL", case_id)
    assert steps >= 7, steps
    chat.send(KASI, "/laporan 2027-01")
    text = chat.wait_text(KASI, "Laporan standar waktu")
    assert "Perpanjangan: %d langkah selesai" % steps in text, text
    doc = fake.wait_for(lambda f: [d for d in f.documents(KASI)
                                   if d["filename"].endswith(".csv") and "2027-01" in d["filename"]
                                   and "agenda" not in d["filename"]],
                        what="the report CSV")[-1]
    rows = list(csv.reader(io.StringIO(doc["data"].decode("utf-8-sig"))))
    renewal = [r for r in rows if r[0] == "per langkah, Perpanjangan"]
    assert [r[1] for r in renewal] == [str(s) for s in range(1, 8)], renewal
    assert sum(int(r[4]) for r in renewal) == steps, renewal
    assert all(r[4] == "0" for r in rows if r[0] == "per langkah, Baru"), rows


run_tests(globals())
