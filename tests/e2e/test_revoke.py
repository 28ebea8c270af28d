"""Revocation of a holder's certificate (issue 14): an operator reports a
holder of their agency who moved, with the date and the supporting letter;
the Kasi confirms and names a Pelaksana; the Pelaksana records it revoked at
BSrE, after the bot's e-mail to BSrE (a real SMTP server on 127.0.0.1) when
mail is configured, or by hand without mail; the register row is revoked and
the holder can be registered again at a new agency (once with a register row
made by a real case closing, walked by sop.py, and /sertifikat saying
Dicabut). An operator of another agency cannot report a holder not theirs,
and forged presses change nothing."""

import os
import tempfile
import time

from aftercare_e2e import (OTHER_OPERATOR, RINA_NIP, SK_PDF, agency_id, press_document,
                           register_holder, report, start, tap)
from harness import ADMIN, APPLICANT, KABID, KADIS, KASI, PELAKSANA, db_rows, run_tests
from mailtest import SmtpSink, write_password_file
from sop import HOLDERS, MONDAY_0900, Chat

BSRE = "layanan.bsre@bssn.go.id"
SECOND_PELAKSANA = 1006


def request_row(bot):
    return db_rows(bot, "SELECT id, state, version, reason, event_date, pelaksana_id, message_id, "
                        "mail_sent_at FROM aftercare_requests ORDER BY id DESC")[0]


def cert_status(bot, cert):
    return db_rows(bot, "SELECT status, revoke_reason FROM certificates WHERE id = ?", cert)[0]


def test_a_holder_who_moved_is_revoked_by_email_to_bsre(env):
    sink = SmtpSink(tempfile.mkdtemp(prefix="sertibot-smtp-", dir=env.tmp.name)).start()
    try:
        password_file = write_password_file(env.tmp.name, sink.password)
        bot, chat = start(env, {"email": sink.bot_email_config(password_file), "bsre_email": BSRE})
        cert = register_holder(chat, bot)
        text = report(chat)
        assert "PC-0001" in text and "Rina Wati" in text, text
        row = request_row(bot)
        assert row[1:5] == ("kasi", 1, "mutasi", "2026-12-01"), row
        # The Kasi's card is the letter itself, with the details.
        card = chat.fake.wait_for(lambda f: [d for d in f.documents(KASI)
                                             if "PC-0001" in (d.get("caption") or "")])[-1]
        assert card["data"] == SK_PDF
        assert "Mutasi" in card["caption"] and "1 Desember 2026" in card["caption"], card["caption"]
        press_document(chat, KASI, r"^rv:\d+:1:confirm$")
        chat.press(KASI, r"^rv:\d+:1:pick:%d$" % PELAKSANA)
        chat.wait_text(KASI, "dikonfirmasi dan diserahkan")
        chat.wait_text(APPLICANT, "telah dikonfirmasi oleh Kasi")
        # The e-mail to BSrE, with the letter, queued with the confirmation.
        got = sink.wait_received(1)[0]
        assert BSRE in got.rcpt_tos, got.rcpt_tos
        assert "Permohonan Pencabutan Sertifikat Elektronik" in got.message["Subject"]
        assert "[PC-0001]" in got.message["Subject"]
        body = got.text()
        assert "Rina Wati" in body and RINA_NIP in body and "Mutasi" in body, body
        assert ("SK Mutasi Rina.pdf", "application/pdf", SK_PDF) in got.attachments()
        chat.fake.wait_for(lambda f: request_row(bot)[7], what="the mail recorded as sent")
        assert request_row(bot)[6] == got.message["Message-ID"]
        chat.wait_text(PELAKSANA, "telah diterima server surel")
        assert cert_status(bot, cert)[0] == "issued"  # not before BSrE revoked it
        card = chat.fake.wait_for(lambda f: [d for d in f.documents(PELAKSANA)
                                             if "PC-0001" in (d.get("caption") or "")])[-1]
        assert "dikirim melalui surel kepada BSrE" in card["caption"], card["caption"]
        press_document(chat, PELAKSANA, r"^rv:\d+:2:done$")
        assert cert_status(bot, cert) == ("revoked", "mutasi")
        assert request_row(bot)[1] == "done"
        chat.wait_text(APPLICANT, "telah dicabut di BSrE")
        # The old card's second press is refused and changes nothing.
        answer = press_document(chat, PELAKSANA, r"^rv:\d+:2:done$")
        assert "sudah ditindaklanjuti" in answer, answer
        assert db_rows(bot, "SELECT count(*) FROM aftercare_audit")[0][0] == 3
        assert len(sink.received) == 1
        # Moved: the new agency registers the same NIP again, a new live row.
        register_holder(chat, bot, agency="Dinas Pendidikan")
        rows = db_rows(bot, "SELECT status FROM certificates WHERE nip = ? ORDER BY id", RINA_NIP)
        assert [r[0] for r in rows] == ["revoked", "issued"], rows
        # ...and the revoked holder is no longer offered for revocation at the old one.
        chat.send(APPLICANT, "/cabut Rina")
        chat.wait_text(APPLICANT, "Tidak ada pemegang sertifikat aktif")
        assert bot.stop() == 0
    finally:
        sink.stop()


def test_without_mail_the_pelaksana_records_it_and_strangers_change_nothing(env):
    bot, chat = start(env)
    chat.register_applicant(OTHER_OPERATOR, r"^reg:%d$" % agency_id(bot, "Dinas Pendidikan"))
    cert = register_holder(chat, bot)
    # Another agency's operator does not find the holder, and a forged press
    # for the row is refused politely.
    chat.send(OTHER_OPERATOR, "/cabut Rina")
    chat.wait_text(OTHER_OPERATOR, "Tidak ada pemegang sertifikat aktif")
    for data in ("rvc:%d" % cert, "rvc:%d:meninggal" % cert):
        answer = tap(chat, OTHER_OPERATOR, data)
        assert "perangkat daerah Anda sendiri" in answer, answer
    assert tap(chat, OTHER_OPERATOR, "rvc:%d:dipecat" % cert) != ""
    assert db_rows(bot, "SELECT count(*) FROM aftercare_requests")[0][0] == 0
    report(chat, reason="pensiun")
    req = request_row(bot)[0]
    # Nobody but the Kasi confirms; the operators' forged presses are refused.
    for user in (APPLICANT, OTHER_OPERATOR, PELAKSANA):
        answer = tap(chat, user, "rv:%d:1:pick:%d" % (req, PELAKSANA))
        assert "bukan untuk peran Anda" in answer, (user, answer)
    assert request_row(bot)[1] == "kasi"
    # A second report of the same holder while one is open is refused.
    chat.send(APPLICANT, "/cabut Rina")
    answer = chat.press(APPLICANT, r"^rvc:\d+$")
    assert "sudah dilaporkan" in answer, answer
    press_document(chat, KASI, r"^rv:\d+:1:confirm$")
    chat.press(KASI, r"^rv:\d+:1:pick:%d$" % PELAKSANA)
    card = chat.fake.wait_for(lambda f: [d for d in f.documents(PELAKSANA)
                                         if "PC-0001" in (d.get("caption") or "")])[-1]
    assert "Ajukan pencabutan kepada BSrE" in card["caption"], card["caption"]
    assert db_rows(bot, "SELECT count(*) FROM mail_outbox")[0][0] == 0
    # The operator and the Kasi may not record it; a forged press for
    # another request (id + 1) is refused as gone.
    for user in (APPLICANT, KASI):
        answer = tap(chat, user, "rv:%d:2:done" % req)
        assert "bukan untuk peran Anda" in answer, (user, answer)
    answer = tap(chat, PELAKSANA, "rv:%d:2:done" % (req + 1))
    assert "Tombol ini sudah tidak berlaku" in answer, answer
    assert cert_status(bot, cert)[0] == "issued"
    assert request_row(bot)[1] == "pelaksana"
    press_document(chat, PELAKSANA, r"^rv:\d+:2:note$")
    chat.wait_text(PELAKSANA, "Ketik catatan pencabutan")
    chat.send(PELAKSANA, "Tiket BSrE #4471, dicabut 2 Desember")
    chat.wait_text(PELAKSANA, "Tercatat")
    assert cert_status(bot, cert) == ("revoked", "pensiun")
    notes = db_rows(bot, "SELECT note FROM aftercare_audit WHERE event = 'done'")
    assert notes == [("Tiket BSrE #4471, dicabut 2 Desember",)], notes
    chat.wait_text(APPLICANT, "telah dicabut di BSrE")


def report_returned(chat):
    """A death reported and returned by the Kasi with a note."""
    report(chat, reason="meninggal")
    press_document(chat, KASI, r"^rv:\d+:1:return$")
    chat.wait_text(KASI, "Ketik catatan pengembalian")
    chat.send(KASI, "Surat keterangan kematian belum dilegalisasi")
    chat.wait_text(APPLICANT, "dikembalikan oleh Kasi dengan catatan: Surat keterangan kematian")


def test_the_kasi_returns_a_report_with_a_note(env):
    bot, chat = start(env)
    cert = register_holder(chat, bot)
    report_returned(chat)
    assert request_row(bot)[1] == "returned"
    assert cert_status(bot, cert)[0] == "issued"
    # The old card's confirm is refused; the operator may report it again.
    answer = press_document(chat, KASI, r"^rv:\d+:1:confirm$")
    assert "sudah ditindaklanjuti" in answer, answer
    report(chat, reason="meninggal")
    assert request_row(bot)[1] == "kasi"


def pelaksana_cards(fake, user):
    return [d for d in fake.documents(user) if "PC-0001" in (d.get("caption") or "")]


def test_the_kasi_gives_a_confirmed_revocation_to_another_pelaksana(env):
    bot, chat = start(env)
    cert = register_holder(chat, bot)
    chat.send(ADMIN, "/admin pejabat %d pelaksana Dewi Lestari" % SECOND_PELAKSANA)
    chat.wait_text(ADMIN, "kini terdaftar sebagai Pelaksana")
    report(chat, reason="pensiun")
    req = request_row(bot)[0]
    press_document(chat, KASI, r"^rv:\d+:1:confirm$")
    chat.press(KASI, r"^rv:\d+:1:pick:%d$" % PELAKSANA)
    chat.wait_text(KASI, "diserahkan kepada Pelaksana Satu")
    chat.fake.wait_for(lambda f: pelaksana_cards(f, PELAKSANA))
    # Nobody but the Kasi (or an admin) moves it: forged presses of the
    # button and of the picker are refused and change nothing.
    for user in (APPLICANT, PELAKSANA, SECOND_PELAKSANA):
        for data in ("rv:%d:2:reassign" % req, "rv:%d:2:to:%d" % (req, SECOND_PELAKSANA)):
            answer = tap(chat, user, data)
            assert "bukan untuk peran Anda" in answer, (user, data, answer)
    assert request_row(bot)[1:3] == ("pelaksana", 2), request_row(bot)
    assert request_row(bot)[5] == PELAKSANA
    # A Kasi cannot give it to someone who is no Pelaksana.
    answer = tap(chat, KASI, "rv:%d:2:to:%d" % (req, KABID))
    assert "Tombol ini sudah tidak berlaku" in answer, answer
    chat.press(KASI, r"^rv:%d:2:reassign$" % req)
    chat.press(KASI, r"^rv:%d:2:to:%d$" % (req, SECOND_PELAKSANA))
    chat.wait_text(KASI, "dialihkan kepada Dewi Lestari")
    chat.wait_text(PELAKSANA, "dialihkan kepada Pelaksana lain")
    card = chat.fake.wait_for(lambda f: pelaksana_cards(f, SECOND_PELAKSANA))[-1]
    assert "Ajukan pencabutan kepada BSrE" in card["caption"], card["caption"]
    assert request_row(bot)[1:3] == ("pelaksana", 3), request_row(bot)
    assert request_row(bot)[5] == SECOND_PELAKSANA
    # The old Pelaksana's card is stale, and a fresh forged press not theirs;
    # the Kasi's first button is stale too.
    answer = press_document(chat, PELAKSANA, r"^rv:\d+:2:done$")
    assert "sudah ditindaklanjuti" in answer, answer
    answer = tap(chat, PELAKSANA, "rv:%d:3:done" % req)
    assert "bukan untuk peran Anda" in answer, answer
    answer = tap(chat, KASI, "rv:%d:2:reassign" % req)
    assert "sudah ditindaklanjuti" in answer, answer
    assert cert_status(bot, cert)[0] == "issued"
    press_document(chat, SECOND_PELAKSANA, r"^rv:\d+:3:done$")
    chat.wait_text(SECOND_PELAKSANA, "Tercatat")
    assert cert_status(bot, cert) == ("revoked", "pensiun")
    events = db_rows(bot, "SELECT event FROM aftercare_audit WHERE request_id = ? ORDER BY id", req)
    assert [e for (e,) in events][-2:] == ["reassign", "done"], events
def test_an_admin_gives_a_request_to_another_pelaksana_with_buttons(env):
    """/admin ganti PC-0001 shows the Pelaksana as buttons that press the
    Kasi's "to": the core authorises the admin again on the press, the old
    Pelaksana is told and the new one gets the card."""
    bot, chat = start(env)
    register_holder(chat, bot)
    chat.send(ADMIN, "/admin pejabat %d pelaksana Dewi Lestari" % SECOND_PELAKSANA)
    chat.wait_text(ADMIN, "kini terdaftar sebagai Pelaksana")
    report(chat)
    req = request_row(bot)[0]
    number = "PC-%04d" % req
    # Before the Kasi confirms there is nobody to replace: the core says no.
    chat.send(ADMIN, "/admin ganti %s" % number)
    chat.wait_text(ADMIN, "sudah ditindaklanjuti")
    press_document(chat, KASI, r"^rv:\d+:1:confirm$")
    chat.press(KASI, r"^rv:\d+:1:pick:%d$" % PELAKSANA)
    chat.fake.wait_for(lambda f: pelaksana_cards(f, PELAKSANA))
    chat.send(ADMIN, "/admin ganti PC-0999")
    chat.wait_text(ADMIN, "Tidak ada permintaan pencabutan atau bantuan bernomor")
    chat.send(ADMIN, "/admin ganti BS-%04d" % req)  # the number of another kind
    chat.wait_text(ADMIN, "bernomor «BS-%04d»" % req)
    chat.send(ADMIN, "/admin ganti %s %d" % (number, SECOND_PELAKSANA))
    chat.wait_text(ADMIN, "tanpa ID")
    assert request_row(bot)[5] == PELAKSANA
    # Not an admin: /admin itself is refused.
    chat.send(KASI, "/admin ganti %s" % number)
    chat.wait_text(KASI, "bukan untuk peran Anda")
    chat.send(ADMIN, "/admin ganti %s" % number.lower())
    chat.wait_text(ADMIN, "pilih Pelaksana yang mencatat")
    chat.press(ADMIN, r"^rv:%d:2:to:%d$" % (req, SECOND_PELAKSANA))
    chat.wait_text(ADMIN, "dialihkan kepada Dewi Lestari")
    chat.wait_text(PELAKSANA, "dialihkan kepada Pelaksana lain")
    chat.fake.wait_for(lambda f: pelaksana_cards(f, SECOND_PELAKSANA))
    assert request_row(bot)[1:3] == ("pelaksana", 3), request_row(bot)
    assert request_row(bot)[5] == SECOND_PELAKSANA
    # The picker's buttons carried version 2: pressed again they are stale.
    answer = tap(chat, ADMIN, "rv:%d:2:to:%d" % (req, PELAKSANA))
    assert "sudah ditindaklanjuti" in answer, answer
    assert request_row(bot)[5] == SECOND_PELAKSANA


DAY_MS = 86400 * 1000


def letter_rows(bot):
    return db_rows(bot, "SELECT f.content IS NOT NULL, f.file_id IS NOT NULL, f.local_path, "
                        "f.file_name, r.note FROM aftercare_requests r "
                        "JOIN case_files f ON f.id = r.letter_file")


def test_retention_removes_a_returned_revocations_letter_and_note_not_the_register(env):
    bot, chat = start(env, {"retention": {"closed_case_days": 30}})
    cert = register_holder(chat, bot)
    report_returned(chat)
    chat.fake.wait_for(lambda f: letter_rows(bot)[0][2], what="the letter's copy on disk")
    copy = os.path.join(bot.workdir, letter_rows(bot)[0][2])
    assert os.path.exists(copy)
    closed = db_rows(bot, "SELECT closed_at FROM aftercare_requests")[0][0]
    holder = db_rows(bot, "SELECT name, nip, status FROM certificates WHERE id = ?", cert)
    bot.set_clock(closed + 30 * DAY_MS - 60000)
    time.sleep(1.5)  # the scheduler looks every 200 ms with a test clock
    assert letter_rows(bot)[0][4].startswith("Surat keterangan"), letter_rows(bot)
    assert os.path.exists(copy)
    bot.set_clock(closed + 30 * DAY_MS + 60000)
    chat.fake.wait_for(lambda f: db_rows(bot, "SELECT 1 FROM aftercare_requests "
                                              "WHERE personal_data_removed_at IS NOT NULL"),
                       what="the retention job")
    assert letter_rows(bot) == [(0, 0, None, "revoke_letter", None)], letter_rows(bot)
    assert not os.path.exists(copy)
    # the register row keeps its holder; the request its reason and date
    assert db_rows(bot, "SELECT name, nip, status FROM certificates WHERE id = ?", cert) == holder
    assert holder[0][1] == RINA_NIP
    assert db_rows(bot, "SELECT reason, event_date, state FROM aftercare_requests") == \
        [("meninggal", "2026-12-01", "returned")]


def test_a_closed_cases_holder_is_revoked_and_registered_again_elsewhere(env):
    """The register row made by a real case closing (sop.py walks it), the
    revocation by hand, /sertifikat saying Dicabut, and the holder who moved
    registered again by the new agency's own request."""
    bot = env.bot(clock=MONDAY_0900)
    bot.start().wait_polling()
    chat = Chat(env.fake, bot)
    chat.whole_case()
    rina = db_rows(bot, "SELECT id, status FROM certificates WHERE nip = ?", RINA_NIP)
    assert [r[1] for r in rina] == ["issued"], rina
    report(chat)
    press_document(chat, KASI, r"^rv:\d+:1:confirm$")
    chat.press(KASI, r"^rv:\d+:1:pick:%d$" % PELAKSANA)
    press_document(chat, PELAKSANA, r"^rv:\d+:2:done$")
    assert cert_status(bot, rina[0][0]) == ("revoked", "mutasi")
    chat.send(KASI, "/sertifikat rina")
    chat.settle()
    text = chat.texts(KASI)[-1]
    assert "Rina Wati" in text and "Dicabut" in text, text
    # Budi, of the same case, is untouched.
    budi = db_rows(bot, "SELECT status FROM certificates WHERE nip = '199002022015031002'")
    assert budi == [("issued",)], budi
    # The new agency's request records Rina again there, a new live row.
    chat.register_applicant(OTHER_OPERATOR, r"^reg:%d$" % agency_id(bot, "Dinas Pendidikan"))
    chat.submit(user=OTHER_OPERATOR, holders=HOLDERS)
    chat.dispose(KADIS)
    chat.dispose(KABID)
    chat.step3()
    chat.step4()
    chat.step5()
    chat.step6(slots=("2026-12-04 09:00", "2026-12-04 13:00"), applicant=OTHER_OPERATOR)
    chat.step7()
    rows = db_rows(bot, "SELECT a.name, c.status FROM certificates c JOIN agencies a "
                        "ON a.id = c.agency_id WHERE c.nip = ? ORDER BY c.id", RINA_NIP)
    assert rows == [("Dinas Kesehatan", "revoked"), ("Dinas Pendidikan", "issued")], rows


run_tests(globals())
