"""/start, /help and /bahasa through the real binary and the fake Telegram."""

import re

from harness import (ADMIN, APPLICANT, KADIS, KASI, run_tests, texts_to, wait_texts)


def test_bootstrap_announces_commands_in_both_languages(env):
    fake = env.fake
    env.bot().start().wait_polling()
    assert fake.calls("deleteWebhook"), "no deleteWebhook before polling"
    assert fake.calls("getMe"), "no getMe"
    menus = {c.get("language_code", ""): [x["command"] for x in c["commands"]]
             for c in fake.calls("setMyCommands")
             if c.get("scope", {"type": "default"})["type"] == "default"}
    assert set(menus) == {"id", "en", ""}, menus
    assert "bahasa" in menus["id"] and "language" in menus["en"], menus
    polls = fake.calls("getUpdates")
    assert polls[-1]["allowed_updates"] == ["message", "callback_query", "my_chat_member"], polls[-1]


def test_start_greets_unknown_person_in_indonesian_with_registration_hint(env):
    fake = env.fake
    env.bot().start().wait_polling()
    fake.push_message(APPLICANT, "/start", first_name="Rina", language_code="id")
    text = wait_texts(fake, APPLICANT, 1)[0]
    # A greeting for the time of day, as to an official (issue 10), not "Halo".
    assert re.match(r"Selamat (pagi|siang|sore|malam), Bapak/Ibu Rina\. Saya", text), text
    assert "belum terdaftar" in text, text
    assert str(APPLICANT) in text, "the user id to give the admin is missing: " + text


def test_start_in_english_for_english_telegram(env):
    fake = env.fake
    env.bot().start().wait_polling()
    fake.push_message(APPLICANT, "/start", first_name="Rina", language_code="en-GB")
    text = wait_texts(fake, APPLICANT, 1)[0]
    assert re.match(r"Good (morning|afternoon|evening), Rina\. I am", text), text
    assert "not registered" in text, text


def test_start_tells_officials_their_role(env):
    fake = env.fake
    env.bot().start().wait_polling()
    fake.push_message(KADIS, "/start", first_name="Budi", language_code="id")
    fake.push_message(ADMIN, "/start", first_name="Admin", language_code="en")
    kadis = wait_texts(fake, KADIS, 1)[0]
    admin = wait_texts(fake, ADMIN, 1)[0]
    assert "Kadis (Kepala Dinas)" in kadis and "disposisikan" in kadis, kadis
    assert "belum terdaftar" not in kadis, kadis
    assert "As an admin" in admin, admin


def test_user_markup_is_shown_literally(env):
    fake = env.fake
    env.bot().start().wait_polling()
    fake.push_message(APPLICANT, "/start", first_name="<b>Bob</b> & Co", language_code="en")
    text = wait_texts(fake, APPLICANT, 1)[0]
    # the fake validates the HTML and records the visible text
    assert ", <b>Bob</b> & Co. I am" in text, text
    sent = fake.sent_messages(APPLICANT)[0]
    assert sent["parse_mode"] == "HTML"


def test_bahasa_switches_language_and_it_sticks(env):
    fake = env.fake
    env.bot().start().wait_polling()
    fake.push_message(KASI, "/bahasa", first_name="Sari", language_code="id")
    wait_texts(fake, KASI, 1)
    picker = fake.sent_messages(KASI)[0]
    assert "Pilih bahasa" in picker["text"], picker
    buttons = [b["callback_data"] for row in picker["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons == ["lang:id", "lang:en"], buttons

    fake.push_callback(KASI, "lang:en", message_id=picker["message_id"], language_code="id")
    query_id = fake.callback_ids[-1]
    fake.wait_for(lambda f: any(c["callback_query_id"] == query_id for c in f.calls("answerCallbackQuery")),
                  what="the button press answered")
    fake.wait_for(lambda f: f.edits, what="the picker edited into a confirmation")
    assert "speak English" in fake.edits[-1]["text"], fake.edits[-1]
    assert not fake.edits[-1].get("reply_markup"), "the buttons should be gone"

    # Telegram still says "id", but the choice wins
    fake.push_message(KASI, "/start", first_name="Sari", language_code="id")
    text = wait_texts(fake, KASI, 2)[-1]
    assert re.match(r"Good (morning|afternoon|evening), ", text), text

    fake.push_message(KASI, "/language", first_name="Sari", language_code="id")
    wait_texts(fake, KASI, 3)
    back = fake.sent_messages(KASI)[-1]
    fake.push_callback(KASI, "lang:id", message_id=back["message_id"])
    fake.wait_for(lambda f: len(f.edits) >= 2, what="second confirmation")
    fake.push_message(KASI, "/help", first_name="Sari", language_code="en")
    text = wait_texts(fake, KASI, 4)[-1]
    assert "Perintah sertibot" in text, text


def test_unknown_command_text_and_forged_button_get_polite_answers(env):
    fake = env.fake
    env.bot().start().wait_polling()
    fake.push_message(APPLICANT, "/hapus_semua", language_code="id")
    fake.push_message(APPLICANT, "halo, permohonan saya bagaimana?", language_code="id")
    texts = wait_texts(fake, APPLICANT, 2)
    assert "/hapus_semua" in texts[0] and "tidak saya kenal" in texts[0], texts
    assert "/help" in texts[1], texts
    fake.push_callback(APPLICANT, "lang:xx", message_id=fake.sent_messages(APPLICANT)[0]["message_id"])
    fake.push_callback(APPLICANT, "nonsense-without-prefix",
                       message_id=fake.sent_messages(APPLICANT)[0]["message_id"])
    fake.wait_for(lambda f: len(f.calls("answerCallbackQuery")) >= 2, what="both presses answered")
    answers = [c.get("text", "") for c in fake.calls("answerCallbackQuery")]
    assert all("tidak berlaku" in a for a in answers), answers
    assert not fake.edits, "a forged button must change nothing"
    assert len(texts_to(fake, APPLICANT)) == 2


if __name__ == "__main__":
    run_tests(globals())
