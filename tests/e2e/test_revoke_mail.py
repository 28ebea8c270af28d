"""BSrE's e-mail reply to a revocation (issue 14), with a real SMTP server
(tests/e2e/mailtest.py) and a real IMAP server (Dovecot, tests/e2e/dovecot.py)
on 127.0.0.1: the revocation is mailed with its own Message-ID and [PC-0001]
in the subject; BSrE's reply, delivered into the mailbox, is kept with the
revocation request (never with the case that issued the certificate: the
mail, its Message-ID and its copy are the request's, and the case's export
does not list them), the Pelaksana gets its card and
the Kasi the reply; forged presses by the operator and the Kasi change
nothing; the Pelaksana's press revokes the register row; a later reply to the
closed request is kept and shown to the Kasi as arrived after closing,
changing nothing; a message matching nothing goes to the Kasi as before.
A Pelaksana given the request after the reply came gets its card too.
The closed request's retention clears its mails' senders and subjects."""

import os
import subprocess
import tempfile
import time

import harness

from aftercare_e2e import press_document, register_holder, report, start, tap
from dovecot import Dovecot
from harness import ADMIN, APPLICANT, KASI, PELAKSANA, db_rows, run_tests
from mailtest import SmtpSink, write_password_file
from sop import MONDAY_0900

BSRE = "layanan.bsre@bssn.go.id"
SECOND_PELAKSANA = 1006
REPLY_PDF = b"%PDF-1.4\n% BSrE: sertifikat dicabut\n%%EOF\n"


def mail_servers(env):
    """A Dovecot and an SMTP sink with the same account, and the bot's
    "email" config for both (one ca_file: both self-signed certificates)."""
    dove = Dovecot(tempfile.mkdtemp(prefix="sertibot-dovecot-")).start()
    sink = SmtpSink(tempfile.mkdtemp(prefix="sertibot-smtp-", dir=env.tmp.name),
                    username=dove.username, password=dove.password).start()
    bundle = os.path.join(env.tmp.name, "ca-bundle.pem")
    with open(bundle, "w") as out:
        for cert in (sink.cert, dove.cert):
            with open(cert) as f:
                out.write(f.read())
    password_file = write_password_file(env.tmp.name, dove.password)
    config = sink.bot_email_config(password_file, imap_url=dove.url, ca_file=bundle,
                                   poll_seconds=10)
    return dove, sink, {"email": config, "bsre_email": BSRE}


def reply(subject, headers="", message_id=None, pdf=None):
    """BSrE's answer as raw bytes: plain text, or multipart with a PDF."""
    message_id = message_id or "<%d.%d@bssn.go.id>" % (time.time_ns(), os.getpid())
    text = ("Yth. Diskominfo Kota Bekasi,\r\n\r\nSertifikat elektronik atas nama Rina Wati "
            "telah kami cabut pada 2 Desember 2026.\r\n\r\nSalam, Layanan BSrE\r\n")
    head = ("From: Layanan BSrE <%s>\r\nTo: persandian@bekasikota.go.id\r\nSubject: %s\r\n"
            "Message-ID: %s\r\nDate: Wed, 02 Dec 2026 10:00:00 +0700\r\nMIME-Version: 1.0\r\n%s"
            % (BSRE, subject, message_id, headers))
    if pdf is None:
        return (head + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + text).encode()
    import base64
    pdf64 = base64.encodebytes(pdf).decode().replace("\n", "\r\n")
    body = ("--B1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text +
            "--B1\r\nContent-Type: application/pdf\r\n"
            "Content-Disposition: attachment; filename=\"Berita Acara Pencabutan.pdf\"\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n" + pdf64 + "--B1--\r\n")
    return (head + "Content-Type: multipart/mixed; boundary=\"B1\"\r\n\r\n" + body).encode()


def inbox_rows(env, bot, count):
    return env.fake.wait_for(
        lambda f: (lambda r: r if len(r) >= count else None)(db_rows(
            bot, "SELECT id, status, coalesce(matched_by, ''), coalesce(case_id, 0), "
                 "coalesce(aftercare_id, 0), coalesce(eml_file, 0) FROM inbox_messages "
                 "ORDER BY id")),
        timeout=30, what="%d message(s) read from the mailbox" % count)


def case_snapshot(bot, case_id):
    """What a reply wrongly matched to the old case would change."""
    return (db_rows(bot, "SELECT state, version FROM cases WHERE id = ?", case_id),
            db_rows(bot, "SELECT count(*) FROM case_files WHERE case_id = ?", case_id),
            db_rows(bot, "SELECT count(*) FROM audit WHERE case_id = ?", case_id))


def request_state(bot):
    return db_rows(bot, "SELECT id, state, version FROM aftercare_requests")[0]


def cert_status(bot, cert):
    return db_rows(bot, "SELECT status FROM certificates WHERE id = ?", cert)[0][0]


def start_reading_mail(env, config):
    """The bot, once it has looked at the mailbox; (bot, chat)."""
    bot, chat = start(env, config, extra_env={"SERTIBOT_INBOX_POLL_MS": "300"})
    env.fake.wait_for(lambda f: db_rows(bot, "SELECT last_uid FROM inbox_state"),
                      timeout=20, what="the bot's first look at the mailbox")
    return bot, chat


def reply_card(env, chat, user, inbox_id, version):
    """`user` got the card of BSrE's reply (REPLY_PDF attached), with the
    button "ib:r:<inbox_id>:<version>", and the PDF."""
    card = chat.wait_text(user, "Balasan surel BSrE", timeout=15)
    assert "PC-0001 (Rina Wati)" in card and "telah kami cabut" in card, card
    assert "Berita Acara Pencabutan.pdf" in card, card
    chat.wait_button(user, r"^ib:r:%d:%d$" % (inbox_id, version))
    env.fake.wait_for(lambda f: [d for d in f.documents(user)
                                 if d["filename"] == "Berita Acara Pencabutan.pdf"
                                 and d["data"] == REPLY_PDF],
                      what="the reply's PDF sent to %d" % user)


def export_case(bot, number):
    """`sertibot export --case NUMBER` beside the running bot: its JSON text."""
    done = subprocess.run([harness.BOT, "export", "--case", number, "--config", bot.config_path],
                          cwd=bot.workdir, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def count_texts(env, user, needle):
    return len([m for m in env.fake.sent_messages(user) if needle in m["text"]])


def test_bsre_reply_to_a_revocation_is_recorded_from_its_card(env):
    dove, sink, config = mail_servers(env)
    config["retention"] = {"closed_case_days": 1}
    try:
        bot, chat = start_reading_mail(env, config)
        cert = register_holder(chat, bot)
        case_id = db_rows(bot, "SELECT case_id FROM certificates WHERE id = ?", cert)[0][0]
        report(chat)
        press_document(chat, KASI, r"^rv:\d+:1:confirm$")
        chat.press(KASI, r"^rv:\d+:1:pick:%d$" % PELAKSANA)
        sent = sink.wait_received(1)[0]
        message_id = sent.message["Message-ID"]
        assert message_id.startswith("<pc-0001."), message_id
        assert "[PC-0001]" in sent.message["Subject"], sent.message["Subject"]
        env.fake.wait_for(lambda f: db_rows(bot, "SELECT mail_sent_at FROM aftercare_requests")[0][0],
                          what="the mail recorded as sent")
        # The mail is the request's alone, never the case's that issued the
        # certificate: not in the cases' list of Message-IDs, its sent row
        # and its copy (written in the request's folder) name the request,
        # and the case's export does not list it.
        assert db_rows(bot, "SELECT count(*) FROM case_mail_ids WHERE message_id = ?",
                       message_id) == [(0,)]
        sent_row = db_rows(bot, "SELECT coalesce(case_id, 0), aftercare_id, eml_file FROM "
                                "mail_sent WHERE message_id = ?", message_id)
        assert sent_row and sent_row[0][:2] == (0, 1), sent_row
        copy = db_rows(bot, "SELECT coalesce(case_id, 0), aftercare_id, local_path FROM "
                            "case_files WHERE id = ?", sent_row[0][2])
        assert copy[0][:2] == (0, 1) and "/request-1/PC-0001-surel-bsre-" in copy[0][2], copy
        assert os.path.exists(os.path.join(bot.workdir, copy[0][2])), copy
        number = db_rows(bot, "SELECT number FROM cases WHERE id = ?", case_id)[0][0]
        export = export_case(bot, number)
        assert message_id not in export and "PC-0001" not in export, export
        before = case_snapshot(bot, case_id)
        request_id, state, version = request_state(bot)
        assert (state, version) == ("pelaksana", 2)

        # 1. BSrE answers the mail: matched by In-Reply-To to the request.
        dove.deliver(reply("Re: " + sent.message["Subject"],
                           "In-Reply-To: %s\r\nReferences: %s\r\n" % (message_id, message_id),
                           pdf=REPLY_PDF))
        row = inbox_rows(env, bot, 1)[0]
        assert row[1:5] == ("matched", "in_reply_to", 0, request_id), row
        reply_card(env, chat, PELAKSANA, row[0], 2)
        kasi = chat.wait_text(KASI, "Balasan surel BSrE")
        assert "PC-0001 (Rina Wati)" in kasi and "Pelaksana" in kasi, kasi
        # Kept with the request: the .eml and the PDF, files of no case
        # (beside the copy of the mail the bot sent).
        files = db_rows(bot, "SELECT coalesce(case_id, 0), kind FROM case_files "
                             "WHERE aftercare_id = ? ORDER BY id", request_id)
        assert files == [(0, "revoke_mail"), (0, "bsre_reply"), (0, "bsre_reply")], files
        assert row[5] and db_rows(bot, "SELECT aftercare_id FROM case_files WHERE id = ?",
                                  row[5]) == [(request_id,)]
        # The old case is not touched.
        assert case_snapshot(bot, case_id) == before
        assert cert_status(bot, cert) == "issued"

        # 2. Forged presses: the operator, and the Kasi (only the Pelaksana records it).
        data = "ib:r:%d:2" % row[0]
        for user in (APPLICANT, KASI):
            answer = tap(chat, user, data)
            assert "bukan untuk peran Anda" in answer, (user, answer)
        answer = tap(chat, PELAKSANA, "ib:r:%d:1" % row[0])  # an older version
        assert "sudah ditindaklanjuti" in answer, answer
        for forged in ("ib:r:%d:0" % row[0], "ib:r:%d:02" % row[0], "ib:r:%d:2:x" % row[0],
                       "ib:r:%d:2" % (row[0] + 50)):
            answer = tap(chat, PELAKSANA, forged)
            assert "sudah tidak berlaku" in answer, (forged, answer)
        assert cert_status(bot, cert) == "issued"
        assert request_state(bot) == (request_id, "pelaksana", 2)

        # 3. The Pelaksana's press records it, as the request card's "done".
        chat.press(PELAKSANA, r"^ib:r:%d:2$" % row[0])
        assert cert_status(bot, cert) == "revoked"
        assert request_state(bot) == (request_id, "done", 3)
        chat.wait_text(APPLICANT, "telah dicabut di BSrE")
        note = db_rows(bot, "SELECT note FROM aftercare_audit WHERE event = 'done'")[0][0]
        assert "balasan surel BSrE" in note and BSRE in note, note
        audit = db_rows(bot, "SELECT count(*) FROM aftercare_audit")[0][0]
        answer = tap(chat, PELAKSANA, data)  # a second press: stale
        assert "sudah ditindaklanjuti" in answer, answer

        # 4. A later reply to the closed request (by its tag only): kept, the
        #    Kasi told it arrived after closing, nothing else changes.
        cards = count_texts(env, PELAKSANA, "Balasan surel BSrE")
        dove.deliver(reply("Re: [PC-0001] Permohonan Pencabutan (tindak lanjut)"))
        late = inbox_rows(env, bot, 2)[1]
        assert late[1:5] == ("late", "tag", 0, request_id), late
        chat.wait_text(KASI, "diterima setelah laporan ditutup")
        chat.settle()
        assert request_state(bot) == (request_id, "done", 3)
        assert db_rows(bot, "SELECT count(*) FROM aftercare_audit")[0][0] == audit
        assert cert_status(bot, cert) == "revoked"
        assert count_texts(env, PELAKSANA, "Balasan surel BSrE") == cards

        # 5. A message matching nothing goes to the Kasi to attach or ignore.
        dove.deliver(reply("Pertanyaan umum tentang sertifikat"))
        other = inbox_rows(env, bot, 3)[2]
        assert other[1:5] == ("unmatched", "", 0, 0), other
        chat.wait_text(KASI, "tidak terkait dengan permohonan mana pun")
        assert case_snapshot(bot, case_id) == before

        # 6. Retention (closed_case_days 1), two days on: the request's mails
        #    lose their sender and subject (which names the holder), the
        #    copies go, their record stays; the unmatched message and the
        #    old case are not the request's.
        bot.set_clock(int(MONDAY_0900.timestamp() * 1000) + 2 * 86400 * 1000)
        env.fake.wait_for(lambda f: db_rows(bot, "SELECT 1 FROM aftercare_requests WHERE "
                                                 "personal_data_removed_at IS NOT NULL"),
                          what="the request's retention")
        assert db_rows(bot, "SELECT subject, mail_from, status, matched_by FROM inbox_messages "
                            "WHERE aftercare_id = ? ORDER BY id", request_id) == [
            ("", "", "matched", "in_reply_to"), ("", "", "late", "tag")]
        assert db_rows(bot, "SELECT subject FROM inbox_messages WHERE id = ?",
                       other[0]) == [("Pertanyaan umum tentang sertifikat",)]
        assert not os.path.exists(os.path.join(bot.workdir, copy[0][2]))
        assert db_rows(bot, "SELECT count(*) FROM case_files WHERE aftercare_id = ? AND "
                            "(content IS NOT NULL OR local_path IS NOT NULL)",
                       request_id) == [(0,)]
        assert case_snapshot(bot, case_id) == before
        assert bot.stop() == 0
    finally:
        sink.stop()
        dove.stop()


def test_a_new_pelaksana_gets_the_reply_kept_so_far(env):
    """The Kasi gives the request to another Pelaksana after BSrE's reply
    came: the new one gets the reply's card (and its PDF) with the button
    at the request's new version; the old one's button is stale."""
    dove, sink, config = mail_servers(env)
    try:
        bot, chat = start_reading_mail(env, config)
        cert = register_holder(chat, bot)
        chat.send(ADMIN, "/admin pejabat %d pelaksana Dewi Lestari" % SECOND_PELAKSANA)
        chat.wait_text(ADMIN, "kini terdaftar sebagai Pelaksana")
        report(chat)
        press_document(chat, KASI, r"^rv:\d+:1:confirm$")
        chat.press(KASI, r"^rv:\d+:1:pick:%d$" % PELAKSANA)
        sent = sink.wait_received(1)[0]
        message_id = sent.message["Message-ID"]
        dove.deliver(reply("Re: " + sent.message["Subject"], "In-Reply-To: %s\r\n" % message_id,
                           pdf=REPLY_PDF))
        row = inbox_rows(env, bot, 1)[0]
        request_id = row[4]
        chat.wait_button(PELAKSANA, r"^ib:r:%d:2$" % row[0])
        assert count_texts(env, SECOND_PELAKSANA, "Balasan surel BSrE") == 0

        chat.press(KASI, r"^rv:%d:2:reassign$" % request_id)
        chat.press(KASI, r"^rv:%d:2:to:%d$" % (request_id, SECOND_PELAKSANA))
        chat.wait_text(KASI, "dialihkan kepada Dewi Lestari")
        reply_card(env, chat, SECOND_PELAKSANA, row[0], 3)
        chat.settle()
        assert count_texts(env, SECOND_PELAKSANA, "Balasan surel BSrE") == 1

        # The old Pelaksana's button is stale; a forged one at the new
        # version is not theirs; nothing changes.
        answer = tap(chat, PELAKSANA, "ib:r:%d:2" % row[0])
        assert "sudah ditindaklanjuti" in answer, answer
        answer = tap(chat, PELAKSANA, "ib:r:%d:3" % row[0])
        assert "bukan untuk peran Anda" in answer, answer
        assert request_state(bot) == (request_id, "pelaksana", 3)
        assert cert_status(bot, cert) == "issued"

        chat.press(SECOND_PELAKSANA, r"^ib:r:%d:3$" % row[0])
        assert request_state(bot) == (request_id, "done", 4)
        assert cert_status(bot, cert) == "revoked"
        assert bot.stop() == 0
    finally:
        sink.stop()
        dove.stop()


run_tests(globals())
