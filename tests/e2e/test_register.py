"""The register of certificate holders, through the real binary: a case that
closes puts its holders in the register (issued, with the default or the
typed validity end), /sertifikat searches and lists it (an operator only
their own agency), the ending list follows the injected clock, the daily job
flags expired certificates, the monthly report counts them, and the admins
get the whole register as CSV."""

import sqlite3
import subprocess
import time
from datetime import date, datetime, timedelta

import harness
from harness import ADMIN, APPLICANT, KASI, KABID, KADIS, PELAKSANA, db_rows, run_tests
from sop import MONDAY_0900, WIB, Chat, buttons

OTHER_APPLICANT = 2002
OTHER_NIP = "197001012000031001"
VALIDITY_DAYS = 730
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember"]


def in_words(iso):
    d = date.fromisoformat(iso)
    return "%d %s %d" % (d.day, MONTHS[d.month - 1], d.year)


def start(env):
    bot = env.bot(clock=MONDAY_0900).start().wait_polling()
    return bot, Chat(env.fake, bot)


def up_to_report(chat):
    """A case walked to the step-7 report, not yet sent."""
    chat.register_applicant()
    chat.submit()
    chat.dispose(KADIS)
    chat.dispose(KABID)
    chat.step3()
    chat.step4()
    chat.step5()
    chat.step6()


def add_other_agency_holder(bot, chat):
    """An operator of Dinas Pendidikan, and a holder of theirs in the register
    (written beside the bot, as a closed case of theirs would)."""
    agency = db_rows(bot, "SELECT id FROM agencies WHERE name = 'Dinas Pendidikan'")[0][0]
    chat.register_applicant(user=OTHER_APPLICANT, agency_pattern=r"^reg:%d$" % agency)
    db = sqlite3.connect(bot.database, timeout=10)
    try:
        now = int(time.time() * 1000)
        db.execute("INSERT INTO certificates (agency_id, nip, name, jabatan, email, case_id, "
                   "status, valid_until, created_at, updated_at) VALUES "
                   "(?, ?, 'Siti Pendidikan', 'Kepala Dinas', 'siti@disdik.bekasikota.go.id', "
                   "1, 'issued', '2029-06-30', ?, ?)", (agency, OTHER_NIP, now, now))
        db.commit()
    finally:
        db.close()
    return agency


def last_text(chat, user):
    chat.settle()
    return chat.texts(user)[-1]


def test_closed_case_fills_the_register_and_it_ages(env):
    bot, chat = start(env)
    chat.whole_case()
    default_end = (MONDAY_0900.date() + timedelta(days=VALIDITY_DAYS)).isoformat()
    rows = db_rows(bot, "SELECT name, status, valid_until, login_at IS NOT NULL FROM certificates "
                        "ORDER BY id")
    assert rows == [("Rina Wati", "issued", default_end, 1),
                    ("Budi <b>Santoso</b> & Co", "issued", default_end, 1)], rows

    # an official finds a holder by name, with the NIP spaced as letters print it
    chat.send(KASI, "/sertifikat rina")
    text = last_text(chat, KASI)
    assert "Rina Wati" in text and "19850101 201001 2 001" in text, text
    assert "Terbit" in text and in_words(default_end) in text, text
    assert "Kepala Seksi Pelayanan" in text and "Dinas Kesehatan" in text, text

    # an operator sees their own agency's holders only
    other = add_other_agency_holder(bot, chat)
    chat.send(APPLICANT, "/sertifikat")
    text = last_text(chat, APPLICANT)
    assert "Rina Wati" in text and "Budi" in text and "Siti" not in text, text
    chat.send(APPLICANT, "/sertifikat " + OTHER_NIP)
    text = last_text(chat, APPLICANT)
    assert "Tidak ada pemegang sertifikat" in text and "Siti" not in text, text
    chat.send(APPLICANT, "/sertifikat Siti")
    assert "Tidak ada pemegang sertifikat" in last_text(chat, APPLICANT)
    chat.send(OTHER_APPLICANT, "/sertifikat")
    text = last_text(chat, OTHER_APPLICANT)
    assert "Siti Pendidikan" in text and "Rina" not in text, text
    # a forged page of the other agency is refused
    before = chat.texts(APPLICANT)
    answer = chat.tap(APPLICANT, "crt:a:%d:0" % other)
    chat.settle()
    assert "tidak berlaku" in answer and chat.texts(APPLICANT) == before, answer

    # the command is in the officials' and the applicants' menus and in /help
    env.fake.wait_for(lambda f: "sertifikat" in f.menu_for(KASI), what="/sertifikat in the menu")
    assert "sertifikat" in env.fake.menus()[("default", None, "")]
    chat.send(KASI, "/help")
    assert "/sertifikat" in last_text(chat, KASI)

    # an official lists by agency, with the counts as buttons
    chat.send(KASI, "/sertifikat")
    assert "/sertifikat habis 60" in last_text(chat, KASI)
    chat.press(KASI, r"^crt:o$")
    message_id, data = chat.wait_button(KASI, r"^crt:a:%d:0$" % other)
    labels = [b[1] for b in buttons(env.fake, KASI) if b[0] == message_id]
    assert "Dinas Kesehatan (2)" in labels and "Dinas Pendidikan (1)" in labels, labels
    chat.press(KASI, r"^crt:a:%d:0$" % other)
    assert "Siti Pendidikan" in chat.wait_text(KASI, "Pemegang sertifikat · Dinas Pendidikan")
    chat.send(KASI, "/sertifikat opd")
    assert "per perangkat daerah" in last_text(chat, KASI)

    # near the end, the ending list has the case's holders
    bot.set_clock(datetime(2028, 11, 10, 9, 0, tzinfo=WIB))
    chat.send(KASI, "/sertifikat habis 30")
    # (the renewal reminders of the same moment reach the Kasi too)
    text = chat.wait_text(KASI, "dalam 30 hari ke depan")
    assert "30 hari" in text and "Rina Wati" in text and "Budi" in text, text
    assert "Siti" not in text, text
    chat.send(KASI, "/sertifikat habis 10")
    text = last_text(chat, KASI)
    assert "Belum ada pemegang" in text and "Rina" not in text, text
    chat.send(APPLICANT, "/sertifikat habis 30")
    assert "Rina Wati" in last_text(chat, APPLICANT)
    chat.send(OTHER_APPLICANT, "/sertifikat habis 30")
    text = last_text(chat, OTHER_APPLICANT)
    assert "Belum ada pemegang" in text and "Rina" not in text, text

    # past the end, the daily job flags them expired
    bot.set_clock(datetime(2028, 11, 30, 9, 0, tzinfo=WIB))
    env.fake.wait_for(lambda f: db_rows(bot, "SELECT count(*) FROM certificates "
                                             "WHERE status = 'expired'") == [(2,)],
                      timeout=20, what="the expiry job")
    assert "expired on 2028-11-30" in bot.stderr()
    chat.send(KASI, "/sertifikat rina")
    assert "Kedaluwarsa" in last_text(chat, KASI)
    chat.send(KASI, "/laporan 2028-11")
    text = chat.wait_text(KASI, "Register sertifikat")
    assert "kedaluwarsa: 2" in text and "Dinas Pendidikan: 1 pemegang aktif" in text, text
    chat.send(KASI, "/laporan 2026-11")
    text = chat.wait_text(KASI, "Laporan standar waktu SOP · 2026-11")
    assert "Terbit bulan ini: 2" in text, text

    # the admins' CSV has every row
    chat.send(KASI, "/sertifikat csv")
    assert "hanya untuk admin" in last_text(chat, KASI)
    chat.send(ADMIN, "/sertifikat csv")
    doc = env.fake.wait_for(lambda f: [d for d in f.documents(ADMIN)
                                       if d["filename"].startswith("register-sertifikat-")],
                            what="the register CSV")[-1]
    csv = doc["data"].decode("utf-8-sig")
    assert csv.count("\r\n") == 4, csv
    assert "Rina Wati" in csv and "Siti Pendidikan" in csv and "Kedaluwarsa" in csv, csv
    assert "19850101 201001 2 001" in csv and "SE-0001" in csv, csv
    # the IT staff's command line prints the same document
    out = subprocess.run([harness.BOT, "export", "certificates", "--config", bot.config_path],
                         capture_output=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert out.stdout.decode("utf-8-sig") == csv, out.stdout
    out = subprocess.run([harness.BOT, "export", "certificates", "--bogus"], capture_output=True,
                         timeout=30)
    assert out.returncode == 2, out


def test_the_pelaksana_types_the_validity_end(env):
    bot, chat = start(env)
    up_to_report(chat)
    default_end = (MONDAY_0900.date() + timedelta(days=VALIDITY_DAYS)).isoformat()
    chat.wait_text(PELAKSANA, "Berlaku sampai: %s (bawaan)" % in_words(default_end))
    chat.press(PELAKSANA, r"^r:\d+:\d+:valid$")
    chat.wait_text(PELAKSANA, "Ketik tanggal akhir masa berlaku")
    chat.send(PELAKSANA, "kemarin")
    chat.wait_text(PELAKSANA, "tidak dapat dibaca sebagai tanggal")
    chat.send(PELAKSANA, "2040-01-01")
    chat.wait_text(PELAKSANA, "paling lama 10 tahun")
    chat.send(PELAKSANA, "30-11-2026")  # today: not after it
    assert "paling lama 10 tahun" in last_text(chat, PELAKSANA)
    chat.send(PELAKSANA, "4 Desember 2028")
    chat.wait_text(PELAKSANA, "Masa berlaku dicatat: sampai 4 Desember 2028")
    # the card now shows the typed date, without "(bawaan)"
    card = chat.wait_text(PELAKSANA, "Berlaku sampai: 4 Desember 2028")
    assert "(bawaan)" not in card.split("Berlaku sampai: 4 Desember 2028")[1][:12], card
    chat.step7()
    assert db_rows(bot, "SELECT state FROM cases") == [("closed_selesai",)]
    assert db_rows(bot, "SELECT DISTINCT valid_until, status FROM certificates") == [
        ("2028-12-04", "issued")]
    chat.send(KASI, "/sertifikat 19850101 201001 2 001")
    text = last_text(chat, KASI)
    assert "Rina Wati" in text and "4 Desember 2028" in text and "Budi" not in text, text

    # long lists come in pages, turned with buttons
    db = sqlite3.connect(bot.database, timeout=10)
    try:
        for n in range(1, 11):
            db.execute("INSERT INTO certificates (agency_id, nip, name, jabatan, email, case_id, "
                       "status, valid_until, created_at, updated_at) VALUES (1, ?, ?, 'Staf', "
                       "'p@dinkes.bekasikota.go.id', 1, 'issued', '2028-12-04', 0, 0)",
                       ("1990010120200110%02d" % n, "Pegawai %02d" % n))
        db.commit()
    finally:
        db.close()
    chat.send(APPLICANT, "/sertifikat")
    text = last_text(chat, APPLICANT)
    assert "Halaman 1 dari 2" in text and "Pegawai 07" in text and "Rina" not in text, text
    chat.press(APPLICANT, r"^crt:a:1:1$")
    text = chat.wait_text(APPLICANT, "Halaman 2 dari 2")
    assert "Pegawai 08" in text and "Rina Wati" in text and "Pegawai 07" not in text, text
    assert len(text) < 4096, len(text)
    chat.send(KASI, "/sertifikat pegawai")
    assert "Halaman 1 dari 2" in last_text(chat, KASI)
    chat.press(KASI, r"^crt:s:1$")
    text = chat.wait_text(KASI, "Halaman 2 dari 2")
    assert text.count("Pegawai") == 2 and "Dinas Kesehatan" in text, text
    # the query (it may name a holder) is kept with its time, forgotten a day on
    key = "crtq:%d" % KASI
    stored = db_rows(bot, "SELECT value FROM bot_state WHERE key = ?", key)[0][0]
    at, query = stored.split(" ", 1)
    assert query == "pegawai", stored
    bot.set_clock(int(at) + 86400 * 1000 + 60000)
    chat.fake.wait_for(lambda f: not db_rows(bot, "SELECT 1 FROM bot_state WHERE key = ?", key),
                       what="the search forgotten")
    answer = chat.tap(KASI, "crt:s:0")
    assert "Tombol ini sudah tidak berlaku" in answer, answer


if __name__ == "__main__":
    run_tests(globals())
