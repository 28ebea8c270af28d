"""Cards an official can act on at a glance: what is asked and by when on
the first line, the disposition that travels with the case, buttons that
say where the case goes, and a history that is folded, never cut silently."""

import re
import sqlite3

from harness import APPLICANT, KABID, KADIS, KASI, db_rows, run_tests
from sop import HOLDERS, MONDAY_0900, Chat, current_messages

THREE_HOLDERS = HOLDERS + [
    "Citra Dewi; 199203032016042003; Pranata Komputer; citra@dinkes.bekasikota.go.id"]


def start(env, **kw):
    bot = env.bot(clock=MONDAY_0900, **kw).start().wait_polling()
    return bot, Chat(env.fake, bot)


def newest_card(fake, chat_id, number):
    """The text and button labels of the newest message about case `number`."""
    for _, m in sorted(current_messages(fake, chat_id).items(), reverse=True):
        if number in m["text"] and m["markup"]:
            labels = [b["text"] for row in m["markup"]["inline_keyboard"] for b in row]
            return m["text"], labels
    raise AssertionError("no card about %s for %d" % (number, chat_id))


def test_the_kadis_disposition_reaches_the_kabid_and_the_kasi(env):
    bot, chat = start(env)
    chat.register_applicant()
    chat.submit()
    text, labels = newest_card(env.fake, KADIS, "SE-0001")
    lines = text.split("\n")
    # the line after the header: what is asked, by when, in words
    assert lines[1].startswith("👉 Mohon disposisi sebelum 09.15 WIB ("), lines[:3]
    assert lines[1].endswith("menit lagi)"), lines[1]
    assert "➡️ Teruskan ke Kabid" not in labels, "the default is the forward button"
    assert "↩️ Kembalikan ke pemohon (permohonan ditutup)" in labels, labels

    assert labels[:2] == ["➡️ Disposisikan ke Kabid: tindak lanjuti",
                          "✏️ Ubah instruksi, sifat, catatan…"], labels
    chat.open_sheet(KADIS)
    chat.press(KADIS, r"^d:\d+:\d+:i2$")          # Koordinasikan
    chat.press(KADIS, r"^d:\d+:\d+:s1$")          # Segera
    chat.press(KADIS, r"^d:\d+:\d+:r$")           # Rahasia
    chat.press(KADIS, r"^d:\d+:\d+:n$")
    chat.send(KADIS, "Mohon dipercepat, sertifikat dibutuhkan untuk e-Kinerja")
    chat.press(KADIS, r"^c:\d+:\d+:dispose$")

    text, labels = newest_card(env.fake, KABID, "SE-0001")
    lines = text.split("\n")
    assert lines[1].startswith("👉 Mohon disposisi ke Kasi sebelum"), lines[:3]
    top = "\n".join(lines[2:6])
    assert lines[2].startswith("📨 Disposisi Kadis · Dr. Kadis"), lines[2]
    assert "Instruksi: Koordinasikan" in top, top
    assert "Sifat: Segera · Rahasia" in top, top
    assert "Catatan: “Mohon dipercepat, sertifikat dibutuhkan untuk e-Kinerja”" in top, top
    assert labels[0] == "➡️ Disposisikan ke Kasi: tindak lanjuti", labels

    chat.press(KABID, r"^c:\d+:\d+:dispose$")  # the one-tap default
    text, _ = newest_card(env.fake, KASI, "SE-0001")
    assert "📨 Disposisi Kabid · Kabid Standi" in text, text
    assert "Instruksi: Selesaikan / tindak lanjuti" in text, text
    # the Kadis's disposition stays on the case as one short line
    assert re.search(r"📨 Kadis: Koordinasikan · Segera · Rahasia · “Mohon dipercepat", text), text
    # and goes into the Buku Agenda's export with the Kabid's
    chat.send(KASI, "/agenda 2026-11")
    doc = env.fake.wait_for(lambda f: [d for d in f.documents(KASI)
                                       if d["filename"].endswith(".csv")], what="the CSV")[-1]
    lines = doc["data"].decode("utf-8-sig").splitlines()
    assert lines[0].endswith('"Disposisi"'), lines[0]
    assert ('"Kadis: Koordinasikan · Segera · Rahasia · “Mohon dipercepat, sertifikat '
            'dibutuhkan untuk e-Kinerja”; Kabid: Selesaikan / tindak lanjuti · Biasa"') in lines[1], \
        lines[1]


def test_a_card_with_thirty_history_entries_stays_short_and_says_what_it_folds(env):
    bot, chat = start(env)
    chat.register_applicant()
    chat.submit(holders=THREE_HOLDERS)
    chat.dispose(KADIS)
    bot.stop()
    # thirty more entries (returns and notes, as a long-running request
    # gathers), written as the bot writes them
    with sqlite3.connect(bot.database) as conn:
        case_id = conn.execute("SELECT id FROM cases").fetchone()[0]
        at = conn.execute("SELECT max(at) FROM audit").fetchone()[0]
        for i in range(30):
            conn.execute(
                "INSERT INTO audit(case_id, at, actor_id, acted_as, via_plh, event, note, "
                "state_before, state_after) VALUES (?, ?, ?, 'admin', 0, 'reassign', ?, "
                "'s2_disposisi_kabid', 's2_disposisi_kabid')",
                (case_id, at + (i + 1) * 1000, KABID,
                 "Catatan nomor %d: " % (i + 1) + "berkas sedang ditelaah bersama bidang terkait " * 3))
    total = len(db_rows(bot, "SELECT id FROM audit"))
    assert total >= 32, total
    bot.start().wait_polling()
    chat.send(KABID, "/tugas")
    chat.press(KABID, r"^t:\d+$")
    text, _ = newest_card(env.fake, KABID, "SE-0001")
    assert len(text) <= 1500, (len(text), text)
    # three entries in full, the next ones folded, the rest counted
    assert "%d entri sebelumnya:" % (total - 3) in text, text
    assert "… dan %d entri lebih awal" % (total - 11) in text, text
    assert "Catatan nomor 30" in text and "Catatan nomor 28" in text, text
    sent = [m for m in env.fake.sent_messages(KABID) if "SE-0001" in m["text"]][-1]
    assert "<blockquote expandable>" in sent["html"], sent["html"]
    # a long note is cut at a character, with an ellipsis
    assert "…”" in text, text


def test_a_rahasia_case_keeps_its_subject_out_of_reminders(env):
    bot, chat = start(env)
    chat.register_applicant()
    subject = "Sertifikat untuk tim audit investigasi"
    chat.submit(subject=subject)
    chat.open_sheet(KADIS)
    chat.press(KADIS, r"^d:\d+:\d+:r$")
    chat.press(KADIS, r"^c:\d+:\d+:dispose$")
    # the Kabid's card, theirs to act on, names the subject
    text, _ = newest_card(env.fake, KABID, "SE-0001")
    assert subject in text and "Rahasia" in text, text
    # past the Kabid's 15 minutes: the reminders to the Kabid and the Kadis
    bot.set_clock(MONDAY_0900.replace(minute=40))
    for person in (KABID, KADIS):
        reminder = chat.wait_text(person, "Pengingat tenggat", timeout=20)
        assert "SE-0001" in reminder and "(perihal dirahasiakan)" in reminder, reminder
        assert subject not in reminder, reminder


def test_lihat_surat_sends_the_letters_of_the_case_to_who_may_see_them(env):
    bot, chat = start(env)
    chat.register_applicant()
    chat.submit()
    fake = env.fake
    before = len(fake.documents(KADIS))
    assert chat.press(KADIS, r"^f:\d+$") == "Surat permohonan ini dikirim di bawah."
    fake.wait_for(lambda f: len(f.documents(KADIS)) == before + 1, what="the letter")
    letter = fake.documents(KADIS)[-1]
    assert "SE-0001" in letter["caption"] and letter["data"].startswith(b"%PDF"), letter
    # the applicant may ask for their own request's letters
    before = len(fake.documents(APPLICANT))
    assert chat.tap(APPLICANT, "f:1") == "Surat permohonan ini dikirim di bawah."
    fake.wait_for(lambda f: len(f.documents(APPLICANT)) == before + 1, what="their letter")
    # somebody unregistered gets nothing, and learns nothing of the case
    stranger = 4242
    fake.push_message(stranger, "/start", language_code="id")
    chat.settle()
    answer = chat.tap(stranger, "f:1")
    assert "dikirim" not in answer, answer
    assert fake.documents(stranger) == []


def card_message_id(fake, chat_id, number):
    for message_id, m in sorted(current_messages(fake, chat_id).items(), reverse=True):
        if number in m["text"] and m["markup"]:
            return message_id
    raise AssertionError("no card about %s for %d" % (number, chat_id))


def test_a_reply_to_a_card_is_its_note_and_ok_asks_before_forwarding(env):
    bot, chat = start(env)
    chat.register_applicant()
    chat.submit()
    card = card_message_id(env.fake, KADIS, "SE-0001")
    env.fake.push_message(KADIS, "Tolong prioritaskan", reply_to_message_id=card,
                          language_code="id")
    chat.wait_text(KADIS, "Catatan untuk SE-0001 tersimpan")
    # "ok" alone does nothing but ask, naming what the default does
    env.fake.push_message(KADIS, "ok", reply_to_message_id=card, language_code="id")
    question = chat.wait_text(KADIS, "Teruskan SE-0001 ke Kabid")
    assert "tindak lanjuti" in question, question
    assert db_rows(bot, "SELECT state FROM cases") == [("s1_disposisi_kadis",)]
    chat.press(KADIS, r"^cr:x$")
    assert db_rows(bot, "SELECT state FROM cases") == [("s1_disposisi_kadis",)]
    env.fake.push_message(KADIS, "Lanjut.", reply_to_message_id=card, language_code="id")
    chat.settle()
    chat.press(KADIS, r"^c:\d+:1:dispose$")
    assert db_rows(bot, "SELECT state FROM cases") == [("s2_disposisi_kabid",)]
    assert db_rows(bot, "SELECT instructions, note FROM dispositions") == [
        ("0", "Tolong prioritaskan")]
    text, _ = newest_card(env.fake, KABID, "SE-0001")
    assert "Catatan: “Tolong prioritaskan”" in text, text
    # once the case has moved on, a reply to the old card is no note
    env.fake.push_message(KADIS, "catatan terlambat", reply_to_message_id=card,
                          language_code="id")
    chat.settle()
    assert db_rows(bot, "SELECT count(*) FROM card_drafts") == [(0,)]


if __name__ == "__main__":
    run_tests(globals())
