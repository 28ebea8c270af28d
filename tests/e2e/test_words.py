"""Issue 10, applicants and words, through the real binary and the fake
Telegram: a NIP with its spaces and a date in words at the intake, a returned
request submitted again with one tap, /status by the applicant's letter
number, the 50% reminder only on steps longer than an hour, and no "@-" or
Telegram fallback name ("User2001") in what people read."""

import re

from harness import APPLICANT, KABID, KADIS, KASI, PELAKSANA, db_rows, run_tests
from sop import HOLDERS, LETTER_PDF, MONDAY_0900, Chat, find_button


def start(env):
    bot = env.bot(clock=MONDAY_0900).start().wait_polling()
    return bot, Chat(env.fake, bot)


def intake(chat, date, holders):
    chat.send(APPLICANT, "/ajukan")
    chat.send_file(APPLICANT, LETTER_PDF, "surat-permohonan.pdf", "application/pdf")
    chat.send(APPLICANT, "800/77/Disdik/XI/2026")
    chat.send(APPLICANT, date)
    chat.send(APPLICANT, "Permohonan sertifikat elektronik")
    chat.send(APPLICANT, "\n".join(holders))


def test_nip_with_spaces_and_a_date_in_words_are_accepted(env):
    bot, chat = start(env)
    chat.register_applicant()
    chat.send(APPLICANT, "/ajukan")
    chat.send_file(APPLICANT, LETTER_PDF, "surat-permohonan.pdf", "application/pdf")
    chat.send(APPLICANT, "800/77/Disdik/XI/2026")
    # an impossible date is refused, with the forms that are read
    chat.send(APPLICANT, "31 Februari 2026")
    refusal = chat.wait_text(APPLICANT, "Tanggal belum dapat saya baca")
    assert "20 November 2026" in refusal, refusal
    chat.send(APPLICANT, "20 Nov 2026")
    chat.wait_text(APPLICANT, "Perihal")
    chat.send(APPLICANT, "Permohonan sertifikat elektronik")
    chat.send(APPLICANT, "Rina Wati; 19850101 201001 2 001; Kepala Seksi; rina@dinkes.bekasikota.go.id\n"
                         "Budi; 19900202 201503 1 00; Analis; budi@dinkes.bekasikota.go.id")
    bad = chat.wait_text(APPLICANT, "belum disimpan")
    assert "NIP harus 18 angka" in bad and "Budi" in bad, bad
    chat.press(APPLICANT, r"^intake:done$")
    summary = chat.wait_text(APPLICANT, "Ringkasan permohonan")
    assert "Tanggal: 20 November 2026" in summary, summary
    assert "Perangkat Daerah: " in summary and "OPD" not in summary, summary
    chat.press(APPLICANT, r"^intake:submit$")
    chat.wait_text(APPLICANT, "Permohonan terkirim")
    assert db_rows(bot, "SELECT letter_date FROM cases") == [("2026-11-20",)]
    assert db_rows(bot, "SELECT nip FROM case_holders") == [("198501012010012001",)]
    card = chat.wait_text(KADIS, "800/77/Disdik/XI/2026")
    assert "tanggal 20 November 2026" in card, card


def test_a_returned_request_is_submitted_again_with_one_tap(env):
    bot, chat = start(env)
    chat.register_applicant()
    first = chat.submit()
    chat.press(KADIS, r"^c:\d+:\d+:return$")
    chat.send(KADIS, "Lampiran SK belum ada")
    news = chat.wait_text(APPLICANT, "dikembalikan kepada Anda")
    assert "Lampiran SK belum ada" in news, news
    # one tap on the news: the earlier request, filled in, with the return's note
    chat.press(APPLICANT, r"^intake:again:1$")
    again = chat.wait_text(APPLICANT, "Pengajuan kembali " + first)
    assert "Lampiran SK belum ada" in again, again
    summary = chat.wait_text(APPLICANT, "Ringkasan permohonan")
    assert "800/123/Dinkes" in summary and "Rina Wati" in summary, summary
    assert "surat-permohonan.pdf" in summary, summary
    chat.press(APPLICANT, r"^intake:submit$")
    chat.wait_text(APPLICANT, "Permohonan terkirim dengan nomor SE-0002")
    rows = db_rows(bot, "SELECT number, letter_number, subject, state FROM cases ORDER BY id")
    assert rows[1][:3] == ("SE-0002", "800/123/Dinkes", "Permohonan sertifikat elektronik"), rows
    assert rows[0][3] == "closed_dikembalikan", rows
    assert db_rows(bot, "SELECT count(*) FROM case_holders WHERE case_id = 2") == [(len(HOLDERS),)]
    assert db_rows(bot, "SELECT count(*) FROM case_files WHERE case_id = 2 AND kind = 'request_letter'") == [(1,)]
    # the new case's history names the returned one
    note = db_rows(bot, "SELECT note FROM audit WHERE case_id = 2 AND event = 'submit'")[0][0]
    assert first in note, note
    kadis = chat.wait_text(KADIS, "SE-0002")
    assert first in kadis, kadis
    # a forged tap for a request that was not returned changes nothing
    answer = chat.tap(APPLICANT, "intake:again:2")
    assert "tidak berlaku" in answer, answer
    assert db_rows(bot, "SELECT count(*) FROM cases") == [(2,)]


def test_status_by_the_applicants_letter_number(env):
    bot, chat = start(env)
    chat.register_applicant()
    number = chat.submit()
    chat.send(APPLICANT, "/status 800/123/Dinkes")
    timeline = chat.wait_text(APPLICANT, "Posisi sekarang")
    assert number in timeline, timeline
    chat.send(KASI, "/status 800/123/dinkes")  # case aside
    view = [t for t in chat.texts(KASI) if number in t and "800/123/Dinkes" in t]
    assert view, chat.texts(KASI)
    chat.send(APPLICANT, "/status 1")
    assert len([t for t in chat.texts(APPLICANT) if "Posisi sekarang" in t]) == 2
    chat.send(APPLICANT, "/status 800/999/Lain")
    missing = chat.wait_text(APPLICANT, "Tidak ada permohonan")
    assert "800/999/Lain" in missing and "nomor surat" in missing, missing


def reminders(fake, chat_id):
    return [m["text"] for m in fake.sent_messages(chat_id) if "Pengingat tenggat" in m["text"]]


def test_the_50_percent_reminder_only_for_steps_longer_than_an_hour(env):
    fake = env.fake
    bot, chat = start(env)
    chat.register_applicant()
    chat.submit()
    # step 1 is 15 minutes: its 50% instant passes without a reminder
    half = db_rows(bot, "SELECT next_reminder FROM step_clocks WHERE step = 1")[0][0]
    bot.set_clock(half)
    chat.settle()
    fake.wait_for(lambda f: db_rows(bot, "SELECT reminder_stage FROM step_clocks WHERE step = 1")
                  == [(1,)], what="the 50% stage passed")
    assert reminders(fake, KADIS) == [], reminders(fake, KADIS)
    chat.dispose(KADIS)
    chat.dispose(KABID)
    # step 3 is one working day: at 50% the Kasi is reminded
    half = db_rows(bot, "SELECT next_reminder FROM step_clocks WHERE step = 3")[0][0]
    bot.set_clock(half)
    text = fake.wait_for(lambda f: reminders(f, KASI), what="the 50% reminder of step 3")[0]
    assert "50%" in text and "SE-0001" in text, text
    # and the time in it is written the Indonesian way
    assert re.search(r"tenggat \d+ \w+ 2026 \d\d\.\d\d WIB", text), text


def test_no_at_dash_and_no_telegram_fallback_name_in_what_officials_read(env):
    fake = env.fake
    bot, chat = start(env)
    chat.register_applicant()  # no username, no first name: the fake calls them User2001
    ask = [m["text"] for m in fake.sent_messages(KASI) if "mendaftar sebagai operator" in m["text"]]
    assert ask and "@-" not in ask[0] and "tanpa nama pengguna" in ask[0], ask
    chat.submit()
    chat.dispose(KADIS)
    chat.dispose(KABID)
    chat.press(KASI, r"^c:\d+:\d+:request_documents$")
    chat.send(KASI, "KTP belum ada")
    chat.send_file(APPLICANT, b"%PDF-1.4 ktp", "ktp.pdf", "application/pdf")
    chat.press(APPLICANT, r"^c:\d+:\d+:documents_provided$")
    chat.wait_button(KASI, r"^c:\d+:\d+:set_checklist_complete$")
    # no BSrE address configured: the sending is recorded as such, not "Dikirim ke -"
    chat.step3()
    chat.step4()
    note = db_rows(bot, "SELECT note FROM audit WHERE event = 'sent_to_bsre'")[0][0]
    assert "Dikirim ke -" not in note and "terkirim ke BSrE" in note, note
    for official in (KADIS, KABID, KASI, PELAKSANA):
        for text in chat.texts(official):
            if "mendaftar sebagai operator" in text or "sebagai operator" in text:
                continue  # the registration card names the person as Telegram does
            assert "User2001" not in text, (official, text)
            assert "@-" not in text and "Dikirim ke -" not in text, (official, text)
    card = [t for t in chat.texts(KASI) if "Riwayat" in t][-1]
    assert "Dinas Kesehatan (pemohon)" in card, card


if __name__ == "__main__":
    run_tests(globals())
