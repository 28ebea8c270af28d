"""Shared by the end-to-end tests of the flows after a certificate
(test_revoke.py, test_help_request.py, test_help_session.py): a bot with an
approved operator, a live register row, pressing buttons on documents or
forging presses, and a help request's session offered and picked."""

import json
import re
import sqlite3
from datetime import datetime

from harness import APPLICANT, db_rows
from sop import MONDAY_0900, WIB, Chat, buttons

OTHER_OPERATOR = 2002
RINA_NIP = "198501012010012001"
SK_PDF = b"%PDF-1.4\n% SK mutasi\n" + bytes(range(256)) * 4 + b"\n%%EOF\n"


def agency_id(bot, name):
    return db_rows(bot, "SELECT id FROM agencies WHERE name = ?", name)[0][0]


def start(env, config=None, extra_env=None):
    bot = env.bot(clock=MONDAY_0900, config_overrides=config or {})
    bot.start(extra_env=extra_env).wait_polling()
    chat = Chat(env.fake, bot)
    chat.register_applicant(APPLICANT, r"^reg:%d$" % agency_id(bot, "Dinas Kesehatan"))
    return bot, chat


def register_holder(chat, bot, name="Rina Wati", nip=RINA_NIP, agency="Dinas Kesehatan"):
    """A live register row, as a closed case leaves it (its case made by /ajukan)."""
    cases = db_rows(bot, "SELECT id FROM cases ORDER BY id")
    case_id = cases[0][0] if cases else None
    if case_id is None:
        chat.submit()
        case_id = db_rows(bot, "SELECT id FROM cases ORDER BY id")[0][0]
    db = sqlite3.connect(bot.database, timeout=10)
    try:
        with db:
            cur = db.execute(
                "INSERT INTO certificates (agency_id, nip, name, jabatan, email, case_id, status, "
                "login_at, valid_until, created_at, updated_at) VALUES (?, ?, ?, 'Analis', "
                "'rina@dinkes.bekasikota.go.id', ?, 'issued', 1, '2028-12-01', 1, 1)",
                (agency_id(bot, agency), nip, name, case_id))
            return cur.lastrowid
    finally:
        db.close()


def report(chat, user=APPLICANT, search="Rina", reason="mutasi"):
    """/cabut up to the letter; returns the confirmation text."""
    chat.send(user, "/cabut %s" % search)
    chat.press(user, r"^rvc:\d+$")
    chat.press(user, r"^rvc:\d+:%s$" % reason)
    chat.wait_text(user, "Ketik tanggal")
    chat.send(user, "tanggal kemarin")
    chat.wait_text(user, "Tanggal tidak dapat dibaca")
    chat.send(user, "1 Desember 2026")
    chat.wait_text(user, "surat pendukung")
    chat.send(user, "tanpa surat")
    chat.wait_text(user, "Surat pendukung diperlukan")
    chat.send_file(user, SK_PDF, "SK Mutasi Rina.pdf", "application/pdf")
    return chat.wait_text(user, "telah diterima dan diteruskan")


def document_button(fake, chat_id, pattern):
    """(message_id, data) of the newest button matching `pattern` on a document."""
    rx = re.compile(pattern)
    for d in reversed(fake.documents(chat_id)):
        markup = d.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        for row in (markup or {}).get("inline_keyboard", []):
            for b in row:
                if rx.search(b.get("callback_data", "")):
                    return d["message_id"], b["callback_data"]
    return None


def press_document(chat, user, pattern):
    message_id, data = chat.fake.wait_for(lambda f: document_button(f, user, pattern),
                                          what="a button %r on a document for %d" % (pattern, user))
    return tap(chat, user, data, message_id)


def tap(chat, user, data, message_id=None):
    """Presses `data` (maybe forged); returns the answer shown."""
    chat.fake.push_callback(user, data, message_id=message_id, language_code="id")
    query_id = chat.fake.callback_ids[-1]
    answer = chat.fake.wait_for(
        lambda f: [c for c in f.calls("answerCallbackQuery") if c["callback_query_id"] == query_id],
        what="the answer to %s" % data)
    chat.settle()
    return answer[0].get("text", "")


# --- a help request and its session (test_help_request.py, test_help_session.py)
def at(hour, minute, day=30, month=11):
    """A moment of 2026 in WIB (the tests' Monday 30 November by default)."""
    return datetime(2026, month, day, hour, minute, tzinfo=WIB)


def ms(when):
    return int(when.timestamp() * 1000)



def ask_help(chat, user=APPLICANT):
    """`user` asks help for Rina (forgotten passphrase); returns the answer."""
    chat.send(user, "/bantuan_sertifikat")
    chat.wait_text(user, "ketik nama atau NIP")
    chat.send(user, "Rina")
    chat.press(user, r"^hrc:\d+$")
    chat.press(user, r"^hrc:\d+:lupa_passphrase$")
    chat.wait_text(user, "Ketik keterangan singkat")
    chat.send(user, "Tidak dapat menandatangani sejak Senin; hubungi 0812-1111-2222")
    return chat.wait_text(user, "telah diterima dan diteruskan kepada Kasi")


def calendar_files(fake, user, needle):
    """The .ics documents sent to `user` whose caption has `needle`."""
    return [d for d in fake.documents(user) if d.get("filename", "").endswith(".ics")
            and needle in (d.get("caption") or "")]


def calendar_file(fake, user, needle, count=1):
    """The newest .ics to `user` captioned with `needle`, once there are `count`."""
    return fake.wait_for(lambda f: len(calendar_files(f, user, needle)) >= count and
                         calendar_files(f, user, needle),
                         timeout=30, what="the .ics %r to %d" % (needle, user))[-1]


def ics_text(document):
    """The calendar file's text, its folded lines joined."""
    return document["data"].decode().replace("\r\n ", "")


def book_case_session(bot, pelaksana, start, end):
    """A confirmed session of the (first) case for `pelaksana` [start, end) (datetimes)."""
    case_id = db_rows(bot, "SELECT id FROM cases")[0][0]
    db = sqlite3.connect(bot.database, timeout=10)
    with db:
        db.execute("INSERT INTO sessions (case_id, pelaksana_id, start_at, end_at, place, status, "
                   "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, 'Ruang A', "
                   "'confirmed', 1, 1, 1)", (case_id, pelaksana, int(start.timestamp() * 1000),
                                             int(end.timestamp() * 1000)))
    db.close()
    return case_id


def offer_help_times(chat, by, times, place="Ruang Rapat Diskominfo", version=2):
    """`by` (the Pelaksana or the Kasi) opens the offer builder from the help
    request's card, types each time with its place and sends the offer;
    returns the answer to "Kirim pilihan"."""
    chat.press(by, r"^rv:\d+:%d:session$" % version)
    for when in times:
        chat.send(by, "%s, %s" % (when, place))
    return chat.press(by, r"^sh:\d+:%d:os$" % version)


def pick_help_time(chat, choice, user=APPLICANT):
    """The operator presses offered time number `choice` (1-based)."""
    return chat.press(user, "^%s$" % re.escape(help_offer_buttons(chat.fake, user)[choice - 1]))


def help_offer_buttons(fake, user=APPLICANT):
    """The pick buttons' data of the newest offer shown to `user`, in order."""
    found = fake.wait_for(lambda f: [(mid, data) for mid, _, data in buttons(f, user)
                                     if re.match(r"^sh:\d+:\d+:cp:\d+$", data)],
                          what="an offer of times to %d" % user)
    newest = found[0][0]  # buttons() lists the newest message first, each in row order
    return [data for mid, data in found if mid == newest]
