"""Receiving BSrE's replies by IMAP, against a real Dovecot on 127.0.0.1
(tests/e2e/dovecot.py): replies matched to their case by In-Reply-To,
References or the subject's tag, decoded (multipart with a PDF, base64,
quoted-printable, RFC 2047, ISO-8859-1), kept with the case and shown to the
Pelaksana with the outcome buttons; an unrelated message shown to the Kasi to
attach or ignore; IMAP down and back; a restart that reads nothing twice; and
the password never in the log."""

import base64
import email.message
import email.policy
import email.utils
import os
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import timedelta

from dovecot import Dovecot
from harness import ADMIN, KABID, KADIS, KASI, PELAKSANA, db_rows, run_tests
from sop import MONDAY_0900, Chat, current_messages, find_button

SENT_ID = "<rekomendasi-1.sertibot@bekasikota.go.id>"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def start_dovecot():
    base = tempfile.mkdtemp(prefix="sertibot-dovecot-")
    return Dovecot(base).start(), base


def mail_bot(env, dove, **kw):
    password_file = os.path.join(env.tmp.name, "imap-password")
    with open(password_file, "w") as f:
        f.write(dove.password + "\n")
    os.chmod(password_file, 0o600)
    email = {"imap_url": dove.url, "username": dove.username, "password_file": password_file,
             "ca_file": dove.cert, "poll_seconds": 10,
             "from": {"address": "diskominfo@bekasikota.go.id", "name": "Diskominfo"}}
    return env.bot(clock=MONDAY_0900, config_overrides={"email": email}, **kw)


def start_bot(bot):
    return bot.start(extra_env={"SERTIBOT_INBOX_POLL_MS": "300"}).wait_polling()


def wait_baseline(env, bot, timeout=20):
    env.fake.wait_for(lambda f: _rows(bot, "SELECT last_uid FROM inbox_state"),
                      timeout=timeout, what="the bot's first look at the mailbox")


def _rows(bot, sql, *args):
    try:
        return db_rows(bot, sql, *args)
    except sqlite3.OperationalError:
        return []


def wait_inbox(env, bot, count, timeout=20):
    return env.fake.wait_for(
        lambda f: (lambda r: r if len(r) >= count else None)(
            _rows(bot, "SELECT id, status, coalesce(matched_by, ''), subject, mail_from "
                       "FROM inbox_messages ORDER BY id")),
        timeout=timeout, what="%d message(s) read from the mailbox" % count)


def case_at_step5(chat):
    chat.register_applicant()
    number = chat.submit()
    chat.dispose(KADIS)
    chat.dispose(KABID)
    chat.step3()
    chat.step4()
    return number


def mail(subject, body, extra_headers="", message_id=None):
    message_id = message_id or "<%d.%d@bsre.go.id>" % (time.time_ns(), os.getpid())
    head = ("From: Layanan BSrE <layanan@bsre.go.id>\r\n"
            "To: diskominfo@bekasikota.go.id\r\n"
            "Subject: %s\r\n"
            "Message-ID: %s\r\n"
            "Date: Mon, 30 Nov 2026 09:05:00 +0700\r\n"
            "MIME-Version: 1.0\r\n%s" % (subject, message_id, extra_headers))
    return (head + "\r\n" + body).encode("latin-1") if isinstance(body, str) else \
        head.encode() + b"\r\n" + body


def multipart_with_pdf(subject, extra_headers):
    pdf64 = base64.encodebytes(PDF).decode().replace("\n", "\r\n")
    body = ("--XyZ\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
            "Permohonan telah diverifikasi. Sertifikat dapat diaktifkan oleh pemegang=\r\n"
            " sertifikat. Salam, Tim Layanan =E2=80=94 BSrE\r\n"
            "--XyZ\r\n"
            "Content-Type: application/pdf; name=\"=?UTF-8?B?U3VyYXQgQmFsYXNhbiBCU3JFLnBkZg==?=\"\r\n"
            "Content-Disposition: attachment; filename*=UTF-8''Surat%20Balasan%20BSrE.pdf\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n" + pdf64 +
            "--XyZ--\r\n")
    return mail(subject, body, extra_headers +
                "Content-Type: multipart/mixed; boundary=\"XyZ\"\r\n")


def test_replies_matched_decoded_and_decided(env):
    dove, base = start_dovecot()
    try:
        bot = start_bot(mail_bot(env, dove))
        chat = Chat(env.fake, bot)
        number = case_at_step5(chat)
        case_id = int(number.split("-")[1])
        assert db_rows(bot, "SELECT state FROM cases WHERE id = ?", case_id) == [("s5_menunggu_bsre",)]
        wait_baseline(env, bot)
        # The sending side's record of the recommendation it mailed.
        db = sqlite3.connect(bot.database, timeout=10)
        db.execute("INSERT INTO case_mail_ids(message_id, case_id, created_at) VALUES (?, ?, 0)",
                   (SENT_ID, case_id))
        db.commit()
        db.close()

        # 1. Multipart with a PDF, RFC 2047 subject, matched by In-Reply-To.
        dove.deliver(multipart_with_pdf(
            "=?UTF-8?B?UmU6IFJla29tZW5kYXNpIOKAlCBoYXNpbCB2ZXJpZmlrYXNp?=",
            "In-Reply-To: %s\r\nReferences: %s\r\n" % (SENT_ID, SENT_ID)))
        rows = wait_inbox(env, bot, 1)
        assert rows[0][1:3] == ("matched", "in_reply_to"), rows
        card = chat.wait_text(PELAKSANA, "Balasan e-mail BSrE", timeout=15)
        assert number in card, card
        assert "Layanan BSrE <layanan@bsre.go.id>" in card, card
        assert "Re: Rekomendasi \u2014 hasil verifikasi" in card, card
        assert "Sertifikat dapat diaktifkan oleh pemegang sertifikat" in card, card
        assert "Surat Balasan BSrE.pdf" in card, card
        env.fake.wait_for(lambda f: [d for d in f.documents(PELAKSANA)
                                     if d["filename"] == "Surat Balasan BSrE.pdf"],
                          what="the reply's PDF sent to the Pelaksana")
        pdf = [d for d in env.fake.documents(PELAKSANA) if d["filename"] == "Surat Balasan BSrE.pdf"]
        assert pdf[0]["data"] == PDF
        files = db_rows(bot, "SELECT file_name, mime_type, content FROM case_files "
                             "WHERE case_id = ? AND kind = 'bsre_reply' ORDER BY id", case_id)
        assert [f[:2] for f in files] == [("email-1.eml", "message/rfc822"),
                                          ("Surat Balasan BSrE.pdf", "application/pdf")], files
        assert files[1][2] == PDF and b"In-Reply-To: " + SENT_ID.encode() in files[0][2]
        # ...and copied into documents_dir, off the loop.
        folder = os.path.join(env.tmp.name, "documents", "case-%d" % case_id)
        # (the case's earlier letters are in the folder already: wait for
        # the e-mail's two files by name)
        env.fake.wait_for(lambda f: os.path.isdir(folder) and all(
            any(n.endswith(end) for n in os.listdir(folder))
            for end in ("-email-1.eml", "-Surat_Balasan_BSrE.pdf")),
            what="the e-mail's files written to documents_dir")
        on_disk = sorted(os.listdir(folder))
        assert any(n.endswith("-Surat_Balasan_BSrE.pdf") for n in on_disk), on_disk
        pdf_path = [n for n in on_disk if n.endswith("-Surat_Balasan_BSrE.pdf")][0]
        with open(os.path.join(folder, pdf_path), "rb") as f:
            assert f.read() == PDF

        # 2. Quoted-printable, ISO-8859-1, no In-Reply-To but the case's tag.
        dove.deliver(mail("Re: [%s] Kelengkapan berkas" % number,
                          "Berkas sudah lengkap, terima kasih. Salam dari Sm=E9n=E9\r\n",
                          "Content-Type: text/plain; charset=ISO-8859-1\r\n"
                          "Content-Transfer-Encoding: quoted-printable\r\n"))
        # 3. Base64 body, only References points to our mail.
        dove.deliver(mail("Fwd: balasan", base64.b64encode(
            "Balasan diteruskan, lihat di bawah.\r\n".encode()).decode() + "\r\n",
            "References: <other@x.example> %s\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: base64\r\n" % SENT_ID))
        # 4. Unrelated.
        dove.deliver(mail("Penawaran kerja sama", "Kami menawarkan produk kami.\r\n"))
        rows = wait_inbox(env, bot, 4)
        assert [r[1:3] for r in rows] == [("matched", "in_reply_to"), ("matched", "tag"),
                                          ("matched", "references"), ("unmatched", "")], rows
        chat.wait_text(PELAKSANA, "Salam dari Sm\u00e9n\u00e9", timeout=15)
        chat.wait_text(PELAKSANA, "Balasan diteruskan, lihat di bawah.", timeout=15)
        kasi_card = chat.wait_text(KASI, "tidak terkait dengan permohonan", timeout=15)
        assert "Penawaran kerja sama" in kasi_card

        # Only the Kasi decides where an unrelated mail goes.
        unrelated = rows[3][0]
        answer = chat.tap(PELAKSANA, "ib:i:%d" % unrelated)
        assert "Hanya Kasi" in answer, answer
        assert db_rows(bot, "SELECT status FROM inbox_messages WHERE id = ?", unrelated) == [("unmatched",)]
        chat.press(KASI, r"^ib:a:%d:%d$" % (unrelated, case_id))
        assert db_rows(bot, "SELECT status, case_id, matched_by FROM inbox_messages WHERE id = ?",
                       unrelated) == [("attached", case_id, "kasi")]
        chat.wait_text(KASI, "dilampirkan ke permohonan")
        chat.wait_text(PELAKSANA, "Kami menawarkan produk kami.", timeout=15)
        answer = chat.tap(KASI, "ib:i:%d" % unrelated)
        assert "sudah ditangani" in answer, answer

        # The outcome, tapped ten minutes later: step 5 counts from the arrival.
        arrived = db_rows(bot, "SELECT received_at FROM inbox_messages WHERE id = ?", rows[0][0])[0][0]
        bot.set_clock(MONDAY_0900 + timedelta(minutes=10))
        # A Kasi may not record BSrE's answer: that is the Pelaksana's step.
        chat.tap(KASI, "ib:o:%d:accepted" % rows[0][0])
        assert db_rows(bot, "SELECT state FROM cases WHERE id = ?", case_id) == [("s5_menunggu_bsre",)]
        message_id, _ = find_button(env.fake, PELAKSANA, r"^ib:o:%d:accepted$" % rows[0][0])
        chat.press(PELAKSANA, r"^ib:o:%d:accepted$" % rows[0][0])
        assert db_rows(bot, "SELECT state, bsre_outcome FROM cases WHERE id = ?", case_id) == \
            [("s5_lapor_kasi", "accepted")]
        assert db_rows(bot, "SELECT started_at FROM step_clocks WHERE case_id = ? AND step = 5",
                       case_id) == [(arrived,)]
        # A second tap (another card of the same case) changes nothing.
        chat.tap(PELAKSANA, "ib:o:%d:rejected" % rows[1][0])
        assert db_rows(bot, "SELECT state, bsre_outcome FROM cases WHERE id = ?", case_id) == \
            [("s5_lapor_kasi", "accepted")]

        log = bot.stderr()
        assert dove.password not in log
        assert "inbox" in log
    finally:
        dove.stop()
        shutil.rmtree(base, ignore_errors=True)


def test_steps_4_and_5_with_real_mail_both_ways(env):
    """The recommendation goes out by SMTP (tests/e2e/mailtest.py's sink), BSrE
    answers it (a reply made by Python's own email package, with a PDF) into
    the mailbox, and the bot matches it by In-Reply-To to the Message-ID it
    sent; the Pelaksana records the outcome from the reply's card."""
    from mailtest import SmtpSink, write_password_file
    dove, base = start_dovecot()
    sink = SmtpSink(tempfile.mkdtemp(prefix="sertibot-smtp-", dir=env.tmp.name),
                    username=dove.username, password=dove.password).start()
    try:
        password_file = write_password_file(env.tmp.name, dove.password, name="mail-password")
        bundle = os.path.join(env.tmp.name, "ca-bundle.pem")  # one ca_file, two servers
        with open(bundle, "w") as out:
            for cert in (sink.cert, dove.cert):
                with open(cert) as f:
                    out.write(f.read())
        email_config = sink.bot_email_config(password_file, imap_url=dove.url, ca_file=bundle)
        bot = env.bot(clock=MONDAY_0900, config_overrides={"email": email_config,
                                                           "bsre_email": "layanan@bsre.go.id"})
        start_bot(bot)
        chat = Chat(env.fake, bot)
        chat.register_applicant()
        number = chat.submit()
        case_id = int(number.split("-")[1])
        chat.dispose(KADIS)
        chat.dispose(KABID)
        chat.step3()
        wait_baseline(env, bot)
        chat.step4(by_mail=True)
        sent = sink.wait_received(1)[0].message
        env.fake.wait_for(lambda f: _rows(bot, "SELECT state FROM cases WHERE id = ?", case_id)
                          == [("s5_menunggu_bsre",)], what="the case waiting for BSrE")

        reply = email.message.EmailMessage()
        reply["From"] = "Balai Sertifikasi Elektronik <layanan@bsre.go.id>"
        reply["To"] = sent["From"]
        reply["Subject"] = "Re: " + sent["Subject"] + " \u2014 diterima"
        reply["Message-ID"] = email.utils.make_msgid(domain="bsre.go.id")
        reply["In-Reply-To"] = sent["Message-ID"]
        reply["References"] = sent["Message-ID"]
        reply.set_content("Yth. Diskominfo,\n\nPermohonan %s diterima. Terima kasih.\n" % number)
        reply.add_attachment(PDF, maintype="application", subtype="pdf",
                             filename="Tanda Terima BSrE.pdf")
        dove.deliver(reply.as_bytes(policy=email.policy.SMTP))

        rows = wait_inbox(env, bot, 1)
        assert rows[0][1:3] == ("matched", "in_reply_to"), rows
        card = chat.wait_text(PELAKSANA, "Tanda Terima BSrE.pdf", timeout=15)
        assert "\u2014 diterima" in card and "Permohonan %s diterima" % number in card, card
        chat.press(PELAKSANA, r"^ib:o:%d:accepted$" % rows[0][0])
        chat.press(PELAKSANA, r"^c:\d+:\d+:report_to_kasi$")
        assert db_rows(bot, "SELECT state, bsre_outcome FROM cases WHERE id = ?", case_id) == \
            [("s6_surat_kasi", "accepted")]
        # The history keeps the sender as written; cards escape it once.
        notes = [n for (n,) in db_rows(bot, "SELECT note FROM audit WHERE case_id = ?", case_id)
                 if n and "Balai Sertifikasi Elektronik" in n]
        assert notes and "<layanan@bsre.go.id>" in notes[-1] and "&lt;" not in notes[-1], notes
        bot.stop()
        assert dove.password not in bot.stderr()
    finally:
        sink.stop()
        dove.stop()
        shutil.rmtree(base, ignore_errors=True)


def count_texts(fake, user, needle):
    return len([m for m in current_messages(fake, user).values() if needle in m["text"]])


def test_down_restart_nothing_missed_nothing_twice(env):
    dove, base = start_dovecot()
    try:
        bot = start_bot(mail_bot(env, dove))
        chat = Chat(env.fake, bot)
        wait_baseline(env, bot)
        dove.deliver(mail("Satu", "Pesan pertama.\r\n"))
        wait_inbox(env, bot, 1)
        chat.wait_text(KASI, "Pesan pertama.", timeout=15)

        # Stopped; a message arrives meanwhile; started again.
        bot.stop()
        dove.deliver(mail("Dua", "Pesan kedua.\r\n"))
        start_bot(bot)
        rows = wait_inbox(env, bot, 2)
        chat.wait_text(KASI, "Pesan kedua.", timeout=15)
        time.sleep(1.5)  # a few more rounds: nothing is read twice
        assert [r[3] for r in _rows(bot, "SELECT * FROM inbox_messages")] != []
        assert [r[3] for r in wait_inbox(env, bot, 2)] == ["Satu", "Dua"]
        assert count_texts(env.fake, KASI, "Pesan pertama.") == 1
        assert count_texts(env.fake, KASI, "Pesan kedua.") == 1

        # IMAP down: the admins hear it once; mail that arrives meanwhile is
        # read when it is back.
        dove.stop()
        env.fake.wait_for(lambda f: count_texts(f, ADMIN, "tidak dapat digunakan") >= 1,
                          timeout=20, what="the admins told that IMAP is down")
        dove.deliver(mail("Tiga", "Pesan ketiga.\r\n"))
        time.sleep(2)
        assert count_texts(env.fake, ADMIN, "tidak dapat digunakan") == 1
        assert bot.alive()
        chat.send(KASI, "/status")
        status = chat.texts(KASI)[-1]
        assert "penerimaan e-mail (IMAP)" in status, status
        dove.start()
        env.fake.wait_for(lambda f: count_texts(f, ADMIN, "sudah dapat digunakan kembali") == 1,
                          timeout=30, what="the admins told that IMAP is back")
        rows = wait_inbox(env, bot, 3, timeout=30)
        assert [r[3] for r in rows] == ["Satu", "Dua", "Tiga"], rows
        chat.wait_text(KASI, "Pesan ketiga.", timeout=15)
        assert count_texts(env.fake, ADMIN, "tidak dapat digunakan") == 1

        # The mailbox is rebuilt (new UIDVALIDITY, UIDs from 1 again): read
        # again, and what was handled is known by its Message-ID.
        validity = _rows(bot, "SELECT uidvalidity FROM inbox_state")[0][0]
        dove.stop()
        for name in os.listdir(dove.maildir):
            if name.startswith("dovecot"):
                os.remove(os.path.join(dove.maildir, name))
        time.sleep(1.1)  # Dovecot's new UIDVALIDITY is a time in seconds
        dove.start()
        dove.deliver(mail("Empat", "Pesan keempat.\r\n"))
        rows = wait_inbox(env, bot, 7, timeout=30)
        assert _rows(bot, "SELECT uidvalidity FROM inbox_state")[0][0] != validity
        # (Dovecot numbers the rebuilt mailbox in its own order.)
        assert sorted((r[3], r[1]) for r in rows[3:]) == [
            ("Dua", "duplicate"), ("Empat", "unmatched"), ("Satu", "duplicate"),
            ("Tiga", "duplicate")], rows
        chat.wait_text(KASI, "Pesan keempat.", timeout=15)
        for needle in ("Pesan pertama.", "Pesan kedua.", "Pesan ketiga."):
            assert count_texts(env.fake, KASI, needle) == 1, needle

        bot.stop()
        log = bot.stderr()
        assert dove.password not in log
        assert "refused the login" not in log
    finally:
        dove.stop()
        shutil.rmtree(base, ignore_errors=True)


def test_login_refused_told_once(env):
    dove, base = start_dovecot()
    try:
        dove.password_for_bot = "wrong-password-123"
        bot = mail_bot(env, dove)
        with open(os.path.join(env.tmp.name, "imap-password"), "w") as f:
            f.write("wrong-password-123\n")
        start_bot(bot)
        env.fake.wait_for(lambda f: count_texts(f, ADMIN, "tidak dapat digunakan") >= 1,
                          timeout=20, what="the admins told that the login is refused")
        time.sleep(2)
        assert count_texts(env.fake, ADMIN, "tidak dapat digunakan") == 1
        assert "refused the login" in [m for m in current_messages(env.fake, ADMIN).values()
                                       if "tidak dapat digunakan" in m["text"]][0]["text"]
        assert bot.alive()
        bot.stop()
        assert "wrong-password-123" not in bot.stderr()
    finally:
        dove.stop()
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    if not shutil.which("dovecot") and not os.path.exists("/usr/sbin/dovecot"):
        print("SKIP: dovecot is not installed (scripts/deps.sh installs dovecot-imapd)")
        sys.exit(0)
    run_tests(globals())
