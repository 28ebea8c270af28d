"""Sending the recommendation to BSrE by e-mail, against a real SMTP server
on 127.0.0.1 (tests/e2e/mailtest.py: aiosmtpd with STARTTLS and AUTH): the
preview, the queue, the message as BSrE gets it (recipients, subject tag,
Message-ID, attachments byte for byte), the step ending at the server's 250,
a 451 retried once, a 550 given up with people told, a crash between the 250
and the commit (one duplicate at most), the server down and back, and the
password never in the log."""

import email.utils
import os
import re
import sqlite3
import tempfile
import time
from datetime import timedelta

from harness import ADMIN, KABID, KADIS, KASI, PELAKSANA, db_rows, run_tests
from mailtest import SmtpSink, write_password_file
from sop import LETTER_PDF, MONDAY_0900, Chat

BSRE = "layanan.bsre@bssn.go.id"
AGENCY_MAILBOX = "persandian@bekasikota.go.id"
SIGNED_PDF = b"%PDF-1.4\n% signed by the Kadis\n" + bytes(range(256)) * 20 + b"\n%%EOF\n"


def mail_env(env, **email_extra):
    """A running SMTP sink and a bot configured to send through it."""
    sink = SmtpSink(tempfile.mkdtemp(prefix="sertibot-smtp-", dir=env.tmp.name)).start()
    password_file = write_password_file(env.tmp.name, sink.password)
    config = {"email": sink.bot_email_config(password_file, **email_extra), "bsre_email": BSRE}
    return sink, config


def start_bot(env, config, **extra_env):
    """The bot, polling, and the people's chat with it."""
    bot = env.bot(clock=MONDAY_0900, config_overrides=config)
    bot.start(extra_env=extra_env).wait_polling()
    return bot, Chat(env.fake, bot)


def walk_to_sending(chat):
    """A case up to step 4 with the signed letter uploaded; returns its number."""
    chat.register_applicant()
    number = chat.submit()
    chat.dispose(KADIS)
    chat.dispose(KABID)
    chat.step3()
    chat.press(PELAKSANA, r"^c:\d+:\d+:confirm_files$")
    chat.press(PELAKSANA, r"^c:\d+:\d+:confirm_draft$")
    chat.press(PELAKSANA, r"^c:\d+:\d+:ask_signature$")
    chat.press(KADIS, r"^c:\d+:\d+:sign$")
    chat.press(PELAKSANA, r"^c:\d+:\d+:upload_signed$")
    chat.send_file(PELAKSANA, SIGNED_PDF, "Rekomendasi TTD Kadis.pdf", "application/pdf")
    return number


def case_state(bot, number):
    return db_rows(bot, "SELECT state FROM cases WHERE number = ?", number)[0][0]


def wait_state(chat, bot, number, state, timeout=30):
    chat.fake.wait_for(lambda f: case_state(bot, number) == state, timeout=timeout,
                       what="%s to reach %s" % (number, state))


def send_by_mail(chat):
    preview = chat.press(PELAKSANA, r"^m:\d+:\d+:preview$")
    return preview, chat.press(PELAKSANA, r"^m:\d+:\d+:send$")


def test_the_recommendation_goes_to_bsre_by_email(env):
    sink, config = mail_env(env)
    try:
        bot, chat = start_bot(env, config)
        number = walk_to_sending(chat)
        chat.press(PELAKSANA, r"^m:\d+:\d+:preview$")
        preview = chat.wait_text(PELAKSANA, "Pratinjau e-mail")
        assert "Kepada: %s" % BSRE in preview, preview
        assert "Tembusan: %s" % AGENCY_MAILBOX in preview, preview
        assert "[%s] Rekomendasi Penerbitan Sertifikat Elektronik - Dinas Kesehatan" % number in preview
        assert "Rekomendasi TTD Kadis.pdf (application/pdf, 5.0 KB)" in preview, preview
        assert "surat-permohonan.pdf" in preview, preview
        # Queued, not yet sent: the case moves only at the server's 250.
        preview_id, send_data = chat.wait_button(PELAKSANA, r"^m:\d+:\d+:send$")
        chat.press(PELAKSANA, r"^m:\d+:\d+:send$")
        got = sink.wait_received(1)[0]
        wait_state(chat, bot, number, "s5_menunggu_bsre")
        assert sorted(got.rcpt_tos) == sorted([BSRE, AGENCY_MAILBOX]), got.rcpt_tos
        assert got.mail_from == AGENCY_MAILBOX
        msg = got.message
        assert msg["Subject"].startswith("[%s] Rekomendasi Penerbitan" % number), msg["Subject"]
        assert email.utils.parseaddr(msg["To"])[1] == BSRE
        assert email.utils.parseaddr(msg["Cc"])[1] == AGENCY_MAILBOX
        assert email.utils.parseaddr(msg["From"]) == ("Seksi Persandian Diskominfo", AGENCY_MAILBOX)
        message_id = msg["Message-ID"]
        assert re.fullmatch(r"<%s\.[0-9a-z]+@bekasikota\.go\.id>" % number.lower(), message_id), message_id
        stored = db_rows(bot, "SELECT case_id FROM case_mail_ids WHERE message_id = ?", message_id)
        assert len(stored) == 1, stored
        attachments = got.attachments()
        assert ("Rekomendasi TTD Kadis.pdf", "application/pdf", SIGNED_PDF) in attachments, \
            [(a[0], a[1], len(a[2])) for a in attachments]
        assert ("surat-permohonan.pdf", "application/pdf", LETTER_PDF) in attachments
        text = got.text()
        assert "Rina Wati" in text and "Budi <b>Santoso</b> & Co" in text, text
        assert number in text
        # The copy kept with the case is the very message sent.
        eml = db_rows(bot, "SELECT local_path, mime_type FROM case_files WHERE kind = 'sent_mail'")
        assert len(eml) == 1 and eml[0][1] == "message/rfc822", eml
        with open(os.path.join(bot.workdir, eml[0][0]), "rb") as f:
            assert f.read() == got.data
        assert db_rows(bot, "SELECT count(*) FROM mail_outbox")[0][0] == 0
        assert db_rows(bot, "SELECT count(*) FROM mail_sent")[0][0] == 1
        history = db_rows(bot, "SELECT note FROM audit WHERE event = 'sent_to_bsre'")
        assert history and message_id in history[-1][0] and BSRE in history[-1][0], history
        chat.wait_text(PELAKSANA, "sudah diterima server e-mail")
        chat.wait_text(KASI, "sudah diterima server e-mail")
        # Pressing Kirim again on the old preview queues nothing more.
        chat.tap(PELAKSANA, send_data, message_id=preview_id)
        chat.settle()
        assert db_rows(bot, "SELECT count(*) FROM mail_outbox")[0][0] == 0
        assert len(sink.received) == 1
        assert bot.stop() == 0  # a clean exit (no leak reports under ASan)
        log = bot.stderr()
        assert sink.password not in log
        assert "mail" in log and message_id in log
    finally:
        sink.stop()


def test_a_451_is_retried_and_the_mail_sent_once(env):
    sink, config = mail_env(env)
    sink.replies.append("451 4.3.0 Mailbox temporarily busy")
    try:
        bot, chat = start_bot(env, config, SERTIBOT_TEST_MAIL_FAST_RETRY="1")
        number = walk_to_sending(chat)
        send_by_mail(chat)
        chat.wait_text(PELAKSANA, "belum terkirim", timeout=20)
        sink.wait_received(1, timeout=30)
        wait_state(chat, bot, number, "s5_menunggu_bsre")
        time.sleep(2)
        assert len(sink.received) == 1 and sink.data_commands == 2, (len(sink.received),
                                                                     sink.data_commands)
        told = [t for t in chat.texts(PELAKSANA) if "belum terkirim" in t]
        assert len(told) == 1 and "451" in told[0], told
        assert "test setting SERTIBOT_TEST_MAIL_FAST_RETRY" in bot.stderr()
    finally:
        sink.stop()


def test_a_550_is_given_up_and_people_told(env):
    sink, config = mail_env(env)
    sink.replies.append("550 5.7.1 Message rejected by policy")
    try:
        bot, chat = start_bot(env, config)
        number = walk_to_sending(chat)
        send_by_mail(chat)
        for person in (PELAKSANA, KASI):
            told = chat.wait_text(person, "ditolak server e-mail", timeout=20)
            assert "550 5.7.1 Message rejected by policy" in told, told
        failed = db_rows(bot, "SELECT error FROM mail_failed")
        assert len(failed) == 1 and "550" in failed[0][0], failed
        assert db_rows(bot, "SELECT count(*) FROM mail_outbox")[0][0] == 0
        assert case_state(bot, number) == "s4_kirim_bsre"
        # The manual record remains the way on.
        chat.press(PELAKSANA, r"^c:\d+:\d+:sent_to_bsre$")
        wait_state(chat, bot, number, "s5_menunggu_bsre")
        assert sink.received == []
    finally:
        sink.stop()


def test_a_crash_between_the_250_and_the_commit_sends_at_most_one_duplicate(env):
    sink, config = mail_env(env)
    try:
        bot, chat = start_bot(env, config, SERTIBOT_TEST_MAIL_CRASH_AFTER_250="1")
        number = walk_to_sending(chat)
        chat.press(PELAKSANA, r"^m:\d+:\d+:preview$")
        chat.fake.push_callback(PELAKSANA, chat.wait_button(PELAKSANA, r"^m:\d+:\d+:send$")[1],
                                language_code="id")
        sink.wait_received(1)
        assert bot.proc.wait(timeout=20) != 0  # killed by the hook
        bot._stderr.close()
        assert "killing the bot between the 250 and its commit" in bot.stderr()
        assert db_rows(bot, "SELECT count(*) FROM mail_outbox")[0][0] == 1  # not lost
        assert case_state(bot, number) == "s4_kirim_bsre"
        bot.start().wait_polling()
        received = sink.wait_received(2)
        wait_state(chat, bot, number, "s5_menunggu_bsre")
        time.sleep(2)
        assert len(sink.received) == 2
        assert received[0].message["Message-ID"] == received[1].message["Message-ID"]
        assert received[0].data == received[1].data  # the same message, not a new one
        assert db_rows(bot, "SELECT count(*) FROM mail_outbox")[0][0] == 0
    finally:
        sink.stop()


def test_smtp_down_then_up(env):
    sink, config = mail_env(env)
    try:
        bot, chat = start_bot(env, config, SERTIBOT_TEST_MAIL_FAST_RETRY="1")
        number = walk_to_sending(chat)
        sink.stop()
        send_by_mail(chat)
        chat.wait_text(ADMIN, "pengiriman e-mail (SMTP)", timeout=30)
        chat.wait_text(PELAKSANA, "belum terkirim", timeout=30)
        time.sleep(5)  # several failed tries
        down = [t for t in chat.texts(ADMIN) if "tidak dapat digunakan" in t]
        assert len(down) == 1, down  # told once
        assert db_rows(bot, "SELECT attempts FROM mail_outbox")[0][0] >= 2
        chat.send(KASI, "/status")
        assert "pengiriman e-mail (SMTP)" in chat.texts(KASI)[-1], chat.texts(KASI)[-1]
        assert case_state(bot, number) == "s4_kirim_bsre"
        # The step's clock stops when the server takes the mail, not at the tap.
        accepted_at = MONDAY_0900 + timedelta(minutes=40)
        bot.set_clock(accepted_at)
        sink.start()
        sink.wait_received(1, timeout=60)
        wait_state(chat, bot, number, "s5_menunggu_bsre")
        ms = int(accepted_at.timestamp() * 1000)
        assert db_rows(bot, "SELECT at FROM audit WHERE event = 'sent_to_bsre'") == [(ms,)]
        assert db_rows(bot, "SELECT ended_at FROM step_clocks WHERE step = 4 "
                            "AND ended_at IS NOT NULL ORDER BY id DESC LIMIT 1") == [(ms,)]
        chat.wait_text(ADMIN, "sudah dapat digunakan kembali", timeout=20)
        assert len([t for t in chat.texts(PELAKSANA) if "belum terkirim" in t]) == 1
        bot.stop()
        assert sink.password not in bot.stderr()
    finally:
        sink.stop()


def test_a_refused_login_is_mail_down_and_the_manual_record_withdraws_the_mail(env):
    sink, config = mail_env(env)
    sink.refuse_login = True
    try:
        bot, chat = start_bot(env, config, SERTIBOT_TEST_MAIL_FAST_RETRY="1")
        number = walk_to_sending(chat)
        send_by_mail(chat)
        down = chat.wait_text(ADMIN, "tidak dapat digunakan", timeout=30)
        assert "SMTP" in down and sink.password not in down, down
        assert case_state(bot, number) == "s4_kirim_bsre"
        # The fallback: the Pelaksana sends it another way and records it by
        # hand; the queued mail is withdrawn, so BSrE never gets it twice.
        chat.press(PELAKSANA, r"^c:\d+:\d+:sent_to_bsre$")
        wait_state(chat, bot, number, "s5_menunggu_bsre")
        assert db_rows(bot, "SELECT count(*) FROM mail_outbox")[0][0] == 0
        assert "by hand" in db_rows(bot, "SELECT error FROM mail_failed")[0][0]
        sink.refuse_login = False
        time.sleep(4)  # several retry periods (fast retry: about 1-4 s)
        assert sink.received == [] and sink.data_commands == 0
        for person in (ADMIN, PELAKSANA, KASI):
            assert all(sink.password not in t for t in chat.texts(person))
        assert bot.stop() == 0
        assert sink.password not in bot.stderr()
    finally:
        sink.stop()


if __name__ == "__main__":
    run_tests(globals())
