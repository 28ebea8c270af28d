"""Driving the SOP through chat, as the five people would: shared by the
end-to-end tests of the workflow and by the README's demo.

Buttons are found on the bot's messages as they stand now (after edits) by a
pattern on their callback data, and pressed like a phone would."""

import os
import re
import sqlite3
from datetime import datetime, timedelta, timezone

from harness import APPLICANT, KABID, KADIS, KASI, PELAKSANA

WIB = timezone(timedelta(hours=7))
# A Tuesday morning in office hours, a week before the holidays of December.
MONDAY_0900 = datetime(2026, 11, 30, 9, 0, tzinfo=WIB)

LETTER_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HOLDERS = [
    "Rina Wati; 198501012010012001; Kepala Seksi Pelayanan; rina@dinkes.bekasikota.go.id",
    "Budi <b>Santoso</b> & Co; 199002022015031002; Analis; budi@dinkes.bekasikota.go.id",
]


def letter_config(emblem, **letter):
    """Config keys for the letters, as an agency would set them: the kop with
    `emblem` (a PNG's path), the Kadis's titled name, pangkat/golongan and
    NIP (samples); `letter` adds or replaces keys of the "letter" object."""
    head = ["PEMERINTAH KOTA BEKASI", "DINAS KOMUNIKASI, INFORMATIKA, STATISTIK DAN PERSANDIAN"]
    return {
        "officials": [
            {"telegram_id": KADIS, "role": "kadis", "name": "Dr. Kadis",
             "title": "Dr. Contoh Nama Kadis, S.Kom., M.Si.", "rank": "Pembina Utama Muda (IV/c)",
             "nip": "19700101 199003 1 002"},
            {"telegram_id": KABID, "role": "kabid", "name": "Kabid Standi"},
            {"telegram_id": KASI, "role": "kasi", "name": "Kasi Persandian"},
            {"telegram_id": PELAKSANA, "role": "pelaksana", "name": "Pelaksana Satu"},
        ],
        "letter": dict({"head": head, "emblem_file": emblem}, **letter),
    }


def current_messages(fake, chat_id):
    """The bot's messages to a chat as they look now: id -> {text, markup}."""
    shown = {}
    for m in fake.sent_messages(chat_id):
        shown[m["message_id"]] = {"text": m["text"], "markup": m.get("reply_markup")}
    for e in fake.edits:
        if e.get("chat_id") == chat_id and e.get("message_id") in shown:
            entry = shown[e["message_id"]]
            if e.get("method", "editMessageText") == "editMessageText":
                entry["text"] = e["text"]
            entry["markup"] = e.get("reply_markup")
    return shown


def buttons(fake, chat_id):
    """(message_id, text, callback_data) of every button on show, newest first."""
    out = []
    for message_id, m in sorted(current_messages(fake, chat_id).items(), reverse=True):
        for row in (m["markup"] or {}).get("inline_keyboard", []):
            for b in row:
                if "callback_data" in b:
                    out.append((message_id, b["text"], b["callback_data"]))
    return out


def find_button(fake, chat_id, pattern):
    rx = re.compile(pattern)
    for message_id, text, data in buttons(fake, chat_id):
        if rx.search(data):
            return message_id, data
    return None


# An irreversible action asks a second tap on its card (case_confirm.h): the
# signature and a rejection chosen on an e-mail's card at once, a return that
# closes the request and a rejection chosen on the case's card once their
# note is in. These are the first taps that ask at once, and the "Ya" of each.
CONFIRM_FIRST = re.compile(r"^(c:\d+:\d+:sign|ib:o:\d+:rejected)$")
CONFIRM_YES = r"^c:\d+:\d+:(return|sign|bsre_reply:rejected):y$"


class Chat:
    """The five people of a case, talking to one fake Telegram.

    With `confirm` (the default) the helpers press the "Ya" of an
    irreversible action's second tap as a person would right after the first
    tap or the note (press, send, send_file), so a walk through the SOP reads
    as before; test_confirm.py turns it off to look at the question."""

    def __init__(self, fake, bot=None, say=None, confirm=True):
        self.fake = fake
        self.bot = bot
        self.say_hook = say  # the demo prints each step
        self.auto_confirm = confirm

    def settle(self, timeout=20):
        """Waits until the bot has handled every update pushed so far and sent
        everything it queued: its answers are all in the fake's records."""
        if not self.bot:
            return
        def quiet(f):
            pending = f.pending_updates()
            db = sqlite3.connect(self.bot.database)
            try:
                left = db.execute("SELECT count(*) FROM outbox").fetchone()[0]
            finally:
                db.close()
            return pending == 0 and left == 0
        self.fake.wait_for(quiet, timeout=timeout, what="the bot to send everything")

    def _told(self, user, what):
        if self.say_hook:
            self.say_hook(user, what)

    def send(self, user, text, **kw):
        self._told(user, text)
        self.fake.push_message(user, text, language_code=kw.pop("language_code", "id"), **kw)
        self.settle()
        self.confirm(user)

    def send_file(self, user, content, name, mime, caption=None):
        self._told(user, "[%s]" % name)
        doc = self.fake.add_file(content, name, mime)
        self.fake.push_message(user, document=doc, caption=caption, language_code="id")
        self.settle()
        self.confirm(user)

    def confirm(self, user, force=False):
        """Presses the "Ya" of a second tap on show for `user` (with
        auto_confirm, or `force`); returns its answer, or None if none is on show."""
        if (self.auto_confirm or force) and find_button(self.fake, user, CONFIRM_YES):
            return self.press(user, CONFIRM_YES)
        return None

    def wait_button(self, user, pattern, timeout=10):
        return self.fake.wait_for(lambda f: find_button(f, user, pattern), timeout=timeout,
                                  what="a button %r for %d" % (pattern, user))

    def press(self, user, pattern, timeout=10):
        """Presses the newest button matching `pattern`; returns the answer text."""
        message_id, data = self.wait_button(user, pattern, timeout)
        self._told(user, "[taps %s]" % data)
        self.fake.push_callback(user, data, message_id=message_id, language_code="id")
        query_id = self.fake.callback_ids[-1]
        answer = self.fake.wait_for(
            lambda f: [c for c in f.calls("answerCallbackQuery") if c["callback_query_id"] == query_id],
            timeout=timeout, what="the answer to %s" % data)
        if os.environ.get("SOP_DEBUG"):
            print("press", user, data, "->", answer[0].get("text", ""), flush=True)
        self.settle()
        if CONFIRM_FIRST.match(data):
            confirmed = self.confirm(user)
            if confirmed is not None:
                return confirmed
        return answer[0].get("text", "")

    def tap(self, user, data, message_id=None, timeout=10):
        """Sends a press with exactly `data` (a forged or old one, say); returns
        the answer's text."""
        self.fake.push_callback(user, data, message_id=message_id, language_code="id")
        query_id = self.fake.callback_ids[-1]
        answer = self.fake.wait_for(
            lambda f: [c for c in f.calls("answerCallbackQuery") if c["callback_query_id"] == query_id],
            timeout=timeout, what="the answer to %s" % data)
        return answer[0].get("text", "")

    def texts(self, user):
        """The bot's messages to `user` as they read now (after edits), oldest first."""
        return [m["text"] for _, m in sorted(current_messages(self.fake, user).items())]

    def wait_text(self, user, needle, timeout=10):
        return self.fake.wait_for(
            lambda f: [t for _, m in sorted(current_messages(f, user).items())
                       for t in [m["text"]] if needle in t],
            timeout=timeout, what="%r in a message to %d" % (needle, user))[-1]

    # --- the SOP, step by step ---------------------------------------------

    def register_applicant(self, user=APPLICANT, agency_pattern=r"^reg:\d+$"):
        self.send(user, "/start")
        self.press(user, agency_pattern)
        self.press(KASI, r"^rega:%d:\d+:y$" % user)
        self.wait_text(user, "terdaftar sebagai operator")

    def submit(self, user=APPLICANT, holders=HOLDERS, subject="Permohonan sertifikat elektronik"):
        self.intake_to_holders(user, subject)
        self.send(user, "\n".join(holders))
        self.press(user, r"^intake:done$")
        self.press(user, r"^intake:submit$")
        text = self.wait_text(user, "Permohonan terkirim")
        return re.search(r"SE-\d+", text).group(0)

    def intake_to_holders(self, user=APPLICANT, subject="Permohonan sertifikat elektronik"):
        """/ajukan up to the question for the certificate holders."""
        self.send(user, "/ajukan")
        self.wait_text(user, "surat permohonan")
        self.send_file(user, LETTER_PDF, "surat-permohonan.pdf", "application/pdf")
        self.wait_text(user, "Nomor surat")
        self.send(user, "800/123/Dinkes")
        self.wait_text(user, "Tanggal surat")
        self.send(user, "2026-11-20")
        self.wait_text(user, "Perihal")
        self.send(user, subject)
        self.wait_text(user, "pemegang sertifikat")

    def open_sheet(self, official):
        """Opens the disposition sheet folded behind the one-tap default."""
        self.press(official, r"^d:\d+:\d+:o$")

    def dispose(self, official, instruction=0):
        """The one-tap default for instruction 0; else the sheet, then forward."""
        if instruction:
            self.open_sheet(official)
            self.press(official, r"^d:\d+:\d+:i%d$" % instruction)
        self.press(official, r"^c:\d+:\d+:dispose$")

    def check_everything(self, holders=len(HOLDERS), items=3):
        for h in range(1, holders + 1):
            for i in range(items):
                self.press(KASI, r"^k:\d+:\d+:%d:%d$" % (h, i))
        self.press(KASI, r"^c:\d+:\d+:set_checklist_complete$")

    def step3(self, pelaksana=PELAKSANA):
        self.check_everything()
        self.press(KASI, r"^c:\d+:\d+:set_draft_ready$")
        self.press(KASI, r"^c:\d+:\d+:forward$")
        self.press(KASI, r"^c:\d+:\d+:forward:%d$" % pelaksana)

    def step4(self, pelaksana=PELAKSANA, by_mail=False):
        """Up to the sending; `by_mail`: through the e-mail preview (the case
        moves on when the SMTP server accepts it) instead of the manual record."""
        self.press(pelaksana, r"^c:\d+:\d+:confirm_files$")
        self.press(pelaksana, r"^c:\d+:\d+:confirm_draft$")
        self.press(pelaksana, r"^c:\d+:\d+:ask_signature$")
        self.press(KADIS, r"^c:\d+:\d+:sign$")
        self.press(pelaksana, r"^c:\d+:\d+:upload_signed$")
        self.send_file(pelaksana, b"%PDF-1.4 signed", "rekomendasi-ttd.pdf", "application/pdf")
        if by_mail:
            self.press(pelaksana, r"^m:\d+:\d+:preview$")
            self.press(pelaksana, r"^m:\d+:\d+:send$")
        else:
            self.press(pelaksana, r"^c:\d+:\d+:sent_to_bsre$")

    def step5(self, outcome="accepted", pelaksana=PELAKSANA, note="Sertifikat dapat diaktifkan"):
        self.press(pelaksana, r"^c:\d+:\d+:bsre_reply:%s$" % outcome)
        self.send(pelaksana, note)
        self.press(pelaksana, r"^c:\d+:\d+:report_to_kasi$")

    def step5_by_mail(self, outcome="accepted", pelaksana=PELAKSANA, timeout=30):
        """BSrE's reply came by e-mail: the Pelaksana decides its outcome on
        the card the inbox made for it."""
        self.press(pelaksana, r"^ib:o:\d+:%s$" % outcome, timeout=timeout)
        self.press(pelaksana, r"^c:\d+:\d+:report_to_kasi$")

    # --- step 6c/6d: the session times (the offer builder) ------------------

    def add_slot(self, when, place="Ruang Rapat Diskominfo", pelaksana=PELAKSANA, kasi=KASI):
        """Adds one time to the open offer by typing it ("2026-12-03 09:00"),
        choosing the Pelaksana and typing the place; returns the answer to
        the Pelaksana's button (a refusal says why)."""
        self.send(kasi, when)
        answer = self.press(kasi, r"^s:\d+:\d+:op:\d+:\d+:\d+:%d$" % pelaksana)
        if "ditolak" not in answer:
            self.send(kasi, place)
        return answer

    def offer(self, slots, place="Ruang Rapat Diskominfo", pelaksana=PELAKSANA, kasi=KASI):
        """The Kasi opens the offer builder, adds `slots` and sends the offer."""
        self.press(kasi, r"^c:\d+:\d+:propose_session$")
        for when in slots:
            self.add_slot(when, place, pelaksana, kasi)
        return self.press(kasi, r"^c:\d+:\d+:propose_session:send$")

    def step6(self, slots=("2026-12-03 09:00", "2026-12-03 13:00"),
              place="Ruang Rapat Diskominfo", pelaksana=PELAKSANA, applicant=APPLICANT,
              choice=1):
        self.press(KASI, r"^c:\d+:\d+:ask_signature$")
        self.press(KADIS, r"^c:\d+:\d+:sign$")
        self.offer(slots, place, pelaksana)
        self.choose(choice, applicant)

    def choose(self, choice=1, applicant=APPLICANT):
        """The applicant presses the button of slot number `choice` (1-based)
        on the newest card that offers times; returns the answer."""
        pattern = r"^c:\d+:\d+:confirm_session:\d+$"
        message_id, _ = self.wait_button(applicant, pattern)
        options = [data for mid, _, data in buttons(self.fake, applicant)
                   if mid == message_id and re.match(pattern, data)]
        return self.press(applicant, "^%s$" % re.escape(options[choice - 1]))

    def step7(self, pelaksana=PELAKSANA, holders=len(HOLDERS)):
        logins = ["login%d" % (h + 1) for h in range(holders)]
        for item in logins + ["usage", "security"]:
            self.press(pelaksana, r"^r:\d+:\d+:%s$" % item)
        self.press(pelaksana, r"^c:\d+:\d+:report$")

    def whole_case(self, by_mail=False, bsre_answers=None):
        """`bsre_answers(number)`, when given, makes BSrE's e-mail reply
        arrive after the sending; the outcome is then taken from its card."""
        self.register_applicant()
        number = self.submit()
        self.dispose(KADIS)
        self.dispose(KABID)
        self.step3()
        self.step4(by_mail=by_mail)
        if bsre_answers:
            bsre_answers(number)
            self.step5_by_mail()
        else:
            self.step5()
        self.step6()
        self.step7()
        return number
