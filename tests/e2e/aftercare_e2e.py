"""Shared by the end-to-end tests of the flows after a certificate
(test_revoke.py, test_help_request.py): a bot with an approved operator, a
live register row, and pressing buttons on documents or forging presses."""

import json
import re
import sqlite3

from harness import APPLICANT, db_rows
from sop import MONDAY_0900, Chat

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
