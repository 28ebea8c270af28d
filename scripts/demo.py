"""The bot at work without a real Telegram: starts the bundled fake Telegram
Bot API server on 127.0.0.1, runs the real sertibot binary against it, walks
one request through the whole SOP (registration, intake, the seven steps) and
prints the conversation as a chat transcript. When Debian's python3-aiosmtpd
is installed (scripts/deps.sh), a local SMTP server with STARTTLS and AUTH is
started too and the recommendation goes to "BSrE" by e-mail.

The letters carry a kop with a PLACEHOLDER emblem (docs/contoh-lambang.png,
"CONTOH LAMBANG", made by scripts/make_placeholder_emblem.py): the city's own
emblem must come from the agency. The Kadis's NIP, pangkat/golongan and titled
name are samples too. With --letters DIR the demo also writes the case's
letters there with `sertibot render-letter`, as the README's picture was made.

Usage: python3 scripts/demo.py --bot build/sertibot [--short] [--letters DIR]"""

import os
import signal
import subprocess
import sys
from datetime import timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))

import harness  # noqa: E402
from harness import ADMIN, APPLICANT, KABID, KADIS, KASI, PELAKSANA, Env  # noqa: E402
from fake_telegram import parse_html  # noqa: E402
from sop import MONDAY_0900, Chat, letter_config  # noqa: E402

try:
    from mailtest import SmtpSink, write_password_file  # noqa: E402
except ImportError:  # no aiosmtpd: the demo records the sending by hand
    SmtpSink = None
import email.message  # noqa: E402
import email.policy  # noqa: E402
import email.utils  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
from dovecot import DOVECOT, Dovecot  # noqa: E402

PEOPLE = {KADIS: "Kadis", KABID: "Kabid", KASI: "Kasi", PELAKSANA: "Pelaksana",
          APPLICANT: "Rina (operator, Dinas Kesehatan)", ADMIN: "Admin"}
SHOWN = ("sendMessage", "sendDocument", "editMessageText", "editMessageReplyMarkup")
PLACEHOLDER_EMBLEM = os.path.join(ROOT, "docs", "contoh-lambang.png")


def render_letters(bot, number, folder):
    """The case's three documents as PDF files, by `sertibot render-letter`."""
    os.makedirs(folder, exist_ok=True)
    env = dict(os.environ, SERTIBOT_CLOCK_FILE=bot.clock_path)
    for kind in ("recommendation", "notification", "disposition"):
        out = os.path.join(folder, "%s.pdf" % kind)
        cmd = [harness.BOT, "render-letter", "--case", number, "--kind", kind, "--out", out,
               "--config", bot.config_path]
        subprocess.run(cmd, check=True, env=env)
        print("wrote %s (sertibot render-letter --case %s --kind %s --out %s)"
              % (out, number, kind, out))


class Transcript:
    """Prints what people say and what the bot answers, in order; each action
    moves business time on by two minutes, so the times read like a morning."""

    def __init__(self, fake, bot):
        self.fake = fake
        self.bot = bot
        self.now = MONDAY_0900
        self.shown = 0

    def flush(self):
        items = [r for r in self.fake.requests if r.status == 200 and r.method in SHOWN]
        for r in items[self.shown:]:
            self.show(r)
        self.shown = len(items)

    def person(self, user, what):
        self.flush()
        self.now += timedelta(minutes=2)
        self.bot.set_clock(self.now)
        print("\n%s (%s WIB): %s" % (PEOPLE.get(user, user), self.now.strftime("%H:%M"), what))

    def show(self, r):
        p = r.params
        who = PEOPLE.get(p["chat_id"], p["chat_id"])
        if r.method in ("sendDocument", "sendPhoto"):
            media = p.get("document") or p.get("photo")
            name = media.get("filename") if isinstance(media, dict) else "file"
            caption = parse_html(p["caption"])[0] if p.get("caption") else ""
            print("  sertibot -> %s: [%s %s] %s" % (who, r.method[4:].lower(), name, caption))
            return
        if r.method == "editMessageReplyMarkup":
            return  # a ticked box: too small to print
        verb = " (edits its card)" if r.method == "editMessageText" else ""
        print("  sertibot -> %s%s:" % (who, verb))
        for line in parse_html(p["text"])[0].splitlines():
            print("    | " + line)
        for row in (p.get("reply_markup") or {}).get("inline_keyboard", []):
            print("    " + "  ".join("[%s]" % b["text"] for b in row))


def start_smtp(env, dove=None):
    """The SMTP server "BSrE's" mail goes through; with the IMAP server, the
    same account logs in to both, as at a real mail provider."""
    if SmtpSink is None:
        return None
    directory = os.path.join(env.tmp.name, "smtp")
    os.mkdir(directory)
    if dove:
        return SmtpSink(directory, username=dove.username, password=dove.password).start()
    return SmtpSink(directory).start()


def start_imap():
    """A private Dovecot (tests/e2e/dovecot.py) as the agency's mailbox, when
    Debian's dovecot-imapd is installed; else BSrE's answer is typed in."""
    if SmtpSink is None or not os.access(DOVECOT, os.X_OK):
        return None, None
    base = tempfile.mkdtemp(prefix="sertibot-demo-dovecot-")
    return Dovecot(base).start(), base


def bsre_replies(env, sink, dove):
    """BSrE answers the recommendation as a mail program would: a reply to its
    Message-ID, with a receipt attached, dropped into the agency's mailbox."""
    def answer(number):
        sent = sink.wait_received(1)[0].message
        reply = email.message.EmailMessage()
        reply["From"] = "Balai Sertifikasi Elektronik <layanan.bsre@bssn.go.id>"
        reply["To"] = sent["From"]
        reply["Subject"] = "Re: " + sent["Subject"]
        reply["Message-ID"] = email.utils.make_msgid(domain="bssn.go.id")
        reply["In-Reply-To"] = sent["Message-ID"]
        reply["References"] = sent["Message-ID"]
        reply.set_content("Yth. Diskominfo Kota Bekasi,\n\nPermohonan %s telah kami terima "
                          "lengkap dan akan kami proses. Tanda terima terlampir.\n\nSalam,\n"
                          "Layanan BSrE\n" % number)
        reply.add_attachment(b"%PDF-1.4\n% tanda terima (contoh)\n%%EOF\n", maintype="application",
                             subtype="pdf", filename="Tanda Terima BSrE.pdf")
        dove.deliver(reply.as_bytes(policy=email.policy.SMTP))
        print("\n[BSrE replies by e-mail to %s: \"%s\"; it lands in the agency's mailbox]"
              % (sent["From"], reply["Subject"]))
    return answer


def show_mail(sink):
    """What "BSrE" received, as its mail program would list it."""
    for got in sink.received:
        m = got.message
        print("\nThe SMTP server received, for %s:" % ", ".join(got.rcpt_tos))
        for field in ("From", "To", "Cc", "Subject", "Message-ID"):
            print("    | %s: %s" % (field, m[field]))
        for name, kind, data in got.attachments():
            print("    | [attachment %s, %s, %d bytes]" % (name, kind, len(data)))


def main():
    harness.BOT = harness.bot_path()
    letters_dir = None
    if "--letters" in sys.argv:
        letters_dir = os.path.abspath(sys.argv[sys.argv.index("--letters") + 1])
    env = Env()
    sink = dove = dove_base = None
    try:
        dove, dove_base = start_imap()
        sink = start_smtp(env, dove)
        overrides = letter_config(PLACEHOLDER_EMBLEM, address="Jalan Jenderal Ahmad Yani Nomor 1, "
                                  "Bekasi Selatan\nKota Bekasi, Jawa Barat 17141")
        extra_env = {}
        if sink:
            password_file = write_password_file(env.tmp.name, sink.password)
            mail = sink.bot_email_config(password_file)
            if dove:
                bundle = os.path.join(env.tmp.name, "ca-bundle.pem")  # one ca_file, two servers
                with open(bundle, "w") as out:
                    for cert in (sink.cert, dove.cert):
                        with open(cert) as f:
                            out.write(f.read())
                mail = sink.bot_email_config(password_file, imap_url=dove.url, ca_file=bundle)
                extra_env = {"SERTIBOT_INBOX_POLL_MS": "500"}  # test setting: read the box often
            overrides.update({"email": mail, "bsre_email": "layanan.bsre@bssn.go.id"})
        bot = env.bot(clock=MONDAY_0900, config_overrides=overrides)
        bot.start(extra_env=extra_env).wait_polling()
        print("sertibot is running against the fake Telegram at %s" % env.fake.api_base)
        if sink:
            print("E-mail to BSrE goes through a local SMTP server at %s (STARTTLS)" % sink.url)
        if dove:
            print("BSrE's replies are read from a local IMAP server (Dovecot) at %s" % dove.url)
        print("Business time is set to Monday 30 Nov 2026, 09:00 WIB.")
        print("=" * 72)
        transcript = Transcript(env.fake, bot)
        chat = Chat(env.fake, bot, say=transcript.person)
        number = chat.whole_case(by_mail=bool(sink),
                                 bsre_answers=bsre_replies(env, sink, dove) if dove else None)
        transcript.flush()
        if sink:
            show_mail(sink)
        print("\n" + "=" * 72)
        print("Request %s went through all seven steps and is closed." % number)
        if letters_dir:
            render_letters(bot, number, letters_dir)
        code = bot.stop(signal.SIGTERM)
        print("sertibot stopped on SIGTERM with exit code %d" % code)
        return 0 if code == 0 else 1
    finally:
        if sink:
            sink.stop()
        if dove:
            dove.stop()
            shutil.rmtree(dove_base, ignore_errors=True)
        env.close()


if __name__ == "__main__":
    sys.exit(main())
