"""Self-test of the fake Telegram server, without the bot: plain HTTP from the
standard library (urllib, and http.client where a test must see the connection
itself). Each test gets a fresh, started fake.

Run: python3 tests/fake_telegram/test_fake_telegram.py"""

import hashlib
import http.client
import json
import os
import re
import sys
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from fake_telegram import (NOT_MODIFIED, POLL_CONFLICT, QUERY_TOO_OLD,  # noqa: E402
                           FakeTelegram)

TOKEN = "123456:TEST-TOKEN"
USER = 2001
OTHER = 2002
KEYBOARD = {"inline_keyboard": [[{"text": "Yes", "callback_data": "yes"},
                                 {"text": "No", "callback_data": "no"}]]}


# --- talking to the fake ---

def raw_call(fake, method, params=None, token=TOKEN, encoding="json", query=None):
    """Calls the fake like a bot; returns (HTTP status, body bytes)."""
    url = "%s/bot%s/%s" % (fake.api_base, token, method)
    if query:
        url += "?" + urllib.parse.urlencode(query)
    data, content_type = None, None
    if params is not None and encoding == "json":
        data, content_type = json.dumps(params).encode(), "application/json"
    elif params is not None and encoding == "form":
        data, content_type = urllib.parse.urlencode(params).encode(), "application/x-www-form-urlencoded"
    elif params is not None:
        data, content_type = multipart(params)
    request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")
    if content_type:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def call(fake, method, params=None, **kwargs):
    """Returns (HTTP status, envelope)."""
    status, body = raw_call(fake, method, params, **kwargs)
    return status, json.loads(body)


def ok(fake, method, params=None, **kwargs):
    """The result of a call that must succeed."""
    status, envelope = call(fake, method, params, **kwargs)
    assert status == 200 and envelope["ok"], (method, status, envelope)
    return envelope["result"]


def refused(fake, method, params, **kwargs):
    """The description of a call that must be refused."""
    status, envelope = call(fake, method, params, **kwargs)
    assert not envelope["ok"] and status == envelope["error_code"], (status, envelope)
    return envelope["description"]


def error(code, description, **extra):
    """Telegram's error envelope."""
    return dict({"ok": False, "error_code": code, "description": description}, **extra)


def multipart(params):
    """A multipart/form-data body; a (filename, content_type, bytes) tuple is a file part."""
    boundary = "----sertibot-test-boundary"
    chunks = []
    for name, value in params.items():
        if isinstance(value, tuple):
            filename, content_type, data = value
            head = ('Content-Disposition: form-data; name="%s"; filename="%s"\r\nContent-Type: %s'
                    % (name, filename, content_type))
        else:
            head, data = 'Content-Disposition: form-data; name="%s"' % name, str(value).encode()
        chunks.append(b"--" + boundary.encode() + b"\r\n" + head.encode() + b"\r\n\r\n" + data + b"\r\n")
    body = b"".join(chunks) + b"--" + boundary.encode() + b"--\r\n"
    return body, "multipart/form-data; boundary=" + boundary


def send(fake, text, chat_id=USER, **extra):
    return call(fake, "sendMessage", dict(chat_id=chat_id, text=text, **extra))


def in_background(function):
    """Runs function() in a thread; returns a dict that gets "result" or "error"."""
    outcome = {}

    def run():
        try:
            outcome["result"] = function()
        except Exception as error:  # noqa: BLE001 - handed to the test to judge
            outcome["error"] = error
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    outcome["thread"] = thread
    return outcome


# --- the copy of the specification ---

def test_spec_is_the_recorded_byte_for_byte_copy(fake):
    with open(os.path.join(HERE, "SOURCE.md")) as f:
        source = f.read()
    recorded = re.search(r"sha256 `([0-9a-f]{64})`", source).group(1)
    with open(os.path.join(HERE, "bot-api.json"), "rb") as f:
        actual = hashlib.sha256(f.read()).hexdigest()
    assert actual == recorded, (actual, recorded)
    assert "MIT" in source and "Paul Larsen" in source


# --- routing ---

def test_get_me_describes_the_bot_of_the_token(fake):
    assert ok(fake, "getMe") == {"id": 123456, "is_bot": True, "first_name": "sertibot",
                                 "username": "sertibot_test_bot"}


def test_wrong_token_is_unauthorized(fake):
    status, envelope = call(fake, "getMe", token="123456:WRONG")
    assert (status, envelope) == (401, error(401, "Unauthorized"))


def test_unknown_method_is_not_found_and_unmodeled_method_says_so(fake):
    status, envelope = call(fake, "sendTelepathy", {"chat_id": USER})
    assert (status, envelope) == (404, error(404, "Not Found"))
    status, envelope = call(fake, "sendPoll", {"chat_id": USER})
    assert status == 501 and "sendPoll" in envelope["description"], (status, envelope)


# --- parameters ---

def test_unknown_parameter_is_refused(fake):
    description = refused(fake, "sendMessage", {"chat_id": USER, "text": "hi", "parse_mod": "HTML"})
    assert description == 'Bad Request: unknown parameter "parse_mod"', description
    assert not fake.sent_messages()


def test_missing_required_parameter_is_refused(fake):
    assert refused(fake, "sendMessage", {"chat_id": USER}) == "Bad Request: text is required"
    assert refused(fake, "getFile", {}) == "Bad Request: file_id is required"


def test_parameter_and_field_types_are_checked(fake):
    assert refused(fake, "sendMessage", {"chat_id": USER, "text": 5}) == "Bad Request: text must be String"
    assert refused(fake, "sendMessage", {"chat_id": 1.5, "text": "x"}) == \
        "Bad Request: chat_id must be Integer or String"
    assert refused(fake, "sendMessage", {"chat_id": USER, "text": "x", "disable_notification": "yes"}) == \
        "Bad Request: disable_notification must be Boolean"
    typo = {"inline_keyboard": [[{"text": "a", "callback-data": "b"}]]}
    description = refused(fake, "sendMessage", {"chat_id": USER, "text": "x", "reply_markup": typo})
    expected = 'Bad Request: unknown field "callback-data" in reply_markup.inline_keyboard[0][0]'
    assert description == expected, description


def test_form_and_query_string_values_are_decoded(fake):
    ok(fake, "sendMessage", {"chat_id": str(USER), "text": "hi", "disable_notification": "true",
                             "reply_markup": json.dumps(KEYBOARD)}, encoding="form")
    params = fake.calls("sendMessage")[0]
    assert params["chat_id"] == USER and params["disable_notification"] is True, params
    assert params["reply_markup"] == KEYBOARD, params
    assert fake.sent_messages(USER)[0]["reply_markup"] == KEYBOARD
    ok(fake, "getUpdates", query={"offset": "5", "timeout": "0", "allowed_updates": '["message"]'})
    assert fake.calls("getUpdates")[0] == {"offset": 5, "timeout": 0, "allowed_updates": ["message"]}


def test_body_that_is_not_json_is_refused(fake):
    request = urllib.request.Request("%s/bot%s/sendMessage" % (fake.api_base, TOKEN), data=b"{oops",
                                     headers={"Content-Type": "application/json"})
    try:
        urllib.request.urlopen(request, timeout=10)
        raise AssertionError("accepted a broken JSON body")
    except urllib.error.HTTPError as error:
        assert error.code == 400 and json.loads(error.read())["description"].startswith("Bad Request:")


# --- files ---

def test_multipart_upload_keeps_bytes_name_and_type_and_is_downloadable(fake):
    data = b"%PDF-1.4\r\n--sertibot\x00\xff\xfe binary\r\n\r\nend"
    message = ok(fake, "sendDocument", {"chat_id": USER, "caption": "<b>Surat</b> &amp; lampiran",
                                        "parse_mode": "HTML",
                                        "document": ("surat é.pdf", "application/pdf", data)},
                 encoding="multipart")
    assert message["document"]["file_name"] == "surat é.pdf", message
    assert message["document"]["mime_type"] == "application/pdf", message
    assert message["caption"] == "Surat & lampiran", message
    sent = fake.documents(USER)[0]
    assert sent["data"] == data and sent["filename"] == "surat é.pdf", sent
    assert sent["content_type"] == "application/pdf", sent
    assert sent["caption"] == "Surat & lampiran" and sent["message_id"] == message["message_id"]
    assert fake.calls("sendDocument")[0]["document"]["data"] == data
    file = ok(fake, "getFile", {"file_id": message["document"]["file_id"]})
    assert file["file_size"] == len(data), file
    with urllib.request.urlopen("%s/file/bot%s/%s" % (fake.api_base, TOKEN, file["file_path"])) as response:
        assert response.read() == data
    again = ok(fake, "sendDocument", {"chat_id": OTHER, "document": message["document"]["file_id"]})
    assert again["document"]["file_id"] == message["document"]["file_id"]
    assert fake.documents(OTHER)[0]["data"] == data
    assert refused(fake, "sendDocument", {"chat_id": USER, "document": "no-such-file"}) == \
        "Bad Request: wrong file identifier/HTTP URL specified"


def test_get_file_of_unknown_id_is_refused(fake):
    assert refused(fake, "getFile", {"file_id": "nope"}) == "Bad Request: invalid file_id"


def test_get_file_refuses_files_over_20_mb(fake):
    big = fake.add_file(b"%PDF-1.4", "big.pdf", "application/pdf", claimed_size=(20 << 20) + 1)
    assert big["file_size"] == (20 << 20) + 1
    assert refused(fake, "getFile", {"file_id": big["file_id"]}) == "Bad Request: file is too big"
    limit = fake.add_file(b"%PDF-1.4", "limit.pdf", "application/pdf", claimed_size=20 << 20)
    assert ok(fake, "getFile", {"file_id": limit["file_id"]})["file_size"] == 20 << 20


def test_send_photo_returns_photo_sizes(fake):
    message = ok(fake, "sendPhoto", {"chat_id": USER, "photo": ("p.jpg", "image/jpeg", b"\xff\xd8jpeg")},
                 encoding="multipart")
    assert message["photo"][0]["file_size"] == 6 and "caption" not in message, message


# --- HTML and lengths ---

def test_html_gives_visible_text_and_entities(fake):
    html = ('<b>Hi</b> &lt;x&gt; &amp; &quot;q&quot; &#65;&#x42; 😀<i>it</i> '
            '<a href="https://e.x/?a=1&amp;b=2">link</a> <pre><code class="language-c">int</code></pre>')
    message = ok(fake, "sendMessage", {"chat_id": USER, "text": html, "parse_mode": "HTML"})
    visible = 'Hi <x> & "q" AB 😀it link int'
    assert message["text"] == visible, message["text"]
    assert message["entities"] == [
        {"type": "bold", "offset": 0, "length": 2},
        {"type": "italic", "offset": 18, "length": 2},
        {"type": "text_link", "offset": 21, "length": 4, "url": "https://e.x/?a=1&b=2"},
        {"type": "pre", "offset": 26, "length": 3, "language": "c"}], message["entities"]
    sent = fake.sent_messages(USER)[0]
    assert (sent["text"], sent["html"], sent["parse_mode"]) == (visible, html, "HTML"), sent


def test_invalid_html_is_refused_and_valid_html_accepted(fake):
    invalid = ["a < b", "AT&T", "<b>x", "<b>x</i>", "x</b>", "<div>x</div>", "<span>x</span>",
               '<span class="big">x</span>', "<a>x</a>", "&nbsp;", "&apos;", "&#xD800;",
               "<b><i>x</b></i>", '<code class="language-c">x</code>', "<code><b>x</b></code>",
               "<pre><i>x</i></pre>", "<blockquote><blockquote>x</blockquote></blockquote>",
               '<b class="x">y</b>', "<tg-emoji>e</tg-emoji>", "<br/>"]
    for html in invalid:
        description = refused(fake, "sendMessage", {"chat_id": USER, "text": html, "parse_mode": "HTML"})
        assert description.startswith("Bad Request: can't parse entities: "), (html, description)
    valid = ["<tg-spoiler>s</tg-spoiler>", '<span class="tg-spoiler">s</span>', "a > b",
             "<blockquote expandable>q</blockquote>", "<B>x</B>", "<pre>a &lt; b</pre>",
             '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
             "<s>a</s><strike>b</strike><del>c</del><u>d</u><ins>e</ins><em>f</em><strong>g</strong>"]
    for html in valid:
        ok(fake, "sendMessage", {"chat_id": USER, "text": html, "parse_mode": "HTML"})
    assert ok(fake, "sendMessage", {"chat_id": USER, "text": "a < b & c"})["text"] == "a < b & c"


def test_html_in_caption_is_checked_too(fake):
    document = fake.add_file(b"x", "a.txt", "text/plain")
    description = refused(fake, "sendDocument", {"chat_id": USER, "document": document["file_id"],
                                                 "caption": "<b>x", "parse_mode": "HTML"})
    assert description.startswith("Bad Request: can't parse entities: "), description


def test_text_length_counts_utf16_after_parsing(fake):
    for text in ("x" * 4096, "😀" * 2048, "<b>" + "x" * 4096 + "</b>"):
        ok(fake, "sendMessage", {"chat_id": USER, "text": text, "parse_mode": "HTML"})
    for text in ("x" * 4097, "😀" * 2048 + "x"):
        description = refused(fake, "sendMessage", {"chat_id": USER, "text": text})
        assert description == "Bad Request: message is too long", description
    for text in ("", "   ", "<b></b>"):
        assert refused(fake, "sendMessage", {"chat_id": USER, "text": text, "parse_mode": "HTML"}) == \
            "Bad Request: message text is empty", text


def test_caption_is_at_most_1024_visible(fake):
    document = fake.add_file(b"x", "a.txt", "text/plain")
    ok(fake, "sendDocument", {"chat_id": USER, "document": document["file_id"],
                              "caption": "<i>%s</i>" % ("c" * 1024), "parse_mode": "HTML"})
    description = refused(fake, "sendDocument", {"chat_id": USER, "document": document["file_id"],
                                                 "caption": "c" * 1025})
    assert description == "Bad Request: message caption is too long", description


# --- keyboards, callbacks, commands ---

def test_callback_data_is_1_to_64_bytes(fake):
    for data in ("d" * 64, "é" * 32):
        markup = {"inline_keyboard": [[{"text": "b", "callback_data": data}]]}
        ok(fake, "sendMessage", {"chat_id": USER, "text": "x", "reply_markup": markup})
    for data in ("d" * 65, "é" * 33, ""):
        markup = {"inline_keyboard": [[{"text": "b", "callback_data": data}]]}
        assert refused(fake, "sendMessage", {"chat_id": USER, "text": "x", "reply_markup": markup}) == \
            "Bad Request: BUTTON_DATA_INVALID", data


def test_button_needs_text_and_exactly_one_action(fake):
    for button in ({"callback_data": "a"}, {"text": "", "callback_data": "a"}, {"text": "a"},
                   {"text": "a", "callback_data": "a", "url": "https://e.x"}):
        markup = {"inline_keyboard": [[button]]}
        description = refused(fake, "sendMessage", {"chat_id": USER, "text": "x", "reply_markup": markup})
        assert description.startswith("Bad Request: "), description
    assert not fake.sent_messages()


def test_answer_callback_query_once_and_short(fake):
    too_old = "Bad Request: " + QUERY_TOO_OLD
    assert refused(fake, "answerCallbackQuery", {"callback_query_id": "404"}) == too_old
    fake.push_callback(USER, "a")
    fake.push_callback(USER, "b")
    first, second = fake.callback_ids
    assert refused(fake, "answerCallbackQuery", {"callback_query_id": first, "text": "t" * 201}) == \
        "Bad Request: MESSAGE_TOO_LONG"
    ok(fake, "answerCallbackQuery", {"callback_query_id": first, "text": "t" * 200})
    assert refused(fake, "answerCallbackQuery", {"callback_query_id": first}) == too_old
    ok(fake, "answerCallbackQuery", {"callback_query_id": second})
    assert [c["callback_query_id"] for c in fake.calls("answerCallbackQuery")] == [first, second]


def test_set_my_commands_limits(fake):
    good = [{"command": "start", "description": "Mulai"}]
    ok(fake, "setMyCommands", {"commands": good, "language_code": "id", "scope": {"type": "default"}})
    ok(fake, "setMyCommands", {"commands": good, "scope": {"type": "chat", "chat_id": USER}})
    assert fake.menus()[("chat", USER, "")] == ["start"], fake.menus()
    assert fake.menus()[("default", None, "id")] == ["start"], fake.menus()
    assert fake.menu_for(USER) == ["start"] and fake.menu_for(USER + 1) == []
    hundred = [{"command": "c%d" % i, "description": "d"} for i in range(100)]
    ok(fake, "setMyCommands", {"commands": hundred})
    cases = [([{"command": "Start", "description": "d"}], "BOT_COMMAND_INVALID"),
             ([{"command": "c" * 33, "description": "d"}], "BOT_COMMAND_INVALID"),
             ([{"command": "", "description": "d"}], "BOT_COMMAND_INVALID"),
             ([{"command": "c", "description": ""}], "BOT_COMMAND_DESCRIPTION_INVALID"),
             ([{"command": "c", "description": "d" * 257}], "BOT_COMMAND_DESCRIPTION_INVALID"),
             ([{"command": "c%d" % i, "description": "d"} for i in range(101)], "BOT_COMMANDS_TOO_MUCH")]
    for commands, error in cases:
        assert refused(fake, "setMyCommands", {"commands": commands}) == "Bad Request: " + error, commands
    assert refused(fake, "setMyCommands", {"commands": good, "language_code": "en-GB"}) == \
        "Bad Request: LANG_CODE_INVALID"


# --- stored messages: edits and deletes ---

def test_edit_message_text_checks_and_updates_the_stored_message(fake):
    message = ok(fake, "sendMessage", {"chat_id": USER, "text": "<b>Pick</b>", "parse_mode": "HTML",
                                       "reply_markup": KEYBOARD})
    mid = message["message_id"]
    assert refused(fake, "editMessageText", {"chat_id": USER, "message_id": mid + 1, "text": "x"}) == \
        "Bad Request: message to edit not found"
    assert refused(fake, "editMessageText", {"chat_id": OTHER, "message_id": mid, "text": "x"}) == \
        "Bad Request: message to edit not found"
    same = {"chat_id": USER, "message_id": mid, "text": "<b>Pick</b>", "parse_mode": "HTML",
            "reply_markup": KEYBOARD}
    assert refused(fake, "editMessageText", same) == "Bad Request: " + NOT_MODIFIED
    edited = ok(fake, "editMessageText", {"chat_id": USER, "message_id": mid, "text": "Picked &amp; done",
                                          "parse_mode": "HTML"})
    assert edited["text"] == "Picked & done" and "reply_markup" not in edited, edited
    assert fake.edits == [{"chat_id": USER, "message_id": mid, "text": "Picked & done",
                           "parse_mode": "HTML", "html": "Picked &amp; done",
                           "method": "editMessageText", "reply_markup": None}], fake.edits
    plain = {"chat_id": USER, "message_id": mid, "text": "Picked & done"}
    assert refused(fake, "editMessageText", plain) == "Bad Request: " + NOT_MODIFIED
    fake.push_message(USER, "hello")
    assert refused(fake, "editMessageText", {"chat_id": USER, "message_id": mid + 1, "text": "x"}) == \
        "Bad Request: message can't be edited"


def test_edit_reply_markup_changes_only_the_keyboard(fake):
    mid = ok(fake, "sendMessage", {"chat_id": USER, "text": "Pick", "reply_markup": KEYBOARD})["message_id"]
    same = {"chat_id": USER, "message_id": mid, "reply_markup": KEYBOARD}
    assert refused(fake, "editMessageReplyMarkup", same) == "Bad Request: " + NOT_MODIFIED
    edited = ok(fake, "editMessageReplyMarkup", {"chat_id": USER, "message_id": mid})
    assert edited["text"] == "Pick" and "reply_markup" not in edited, edited
    assert fake.edits[-1]["text"] == "Pick" and fake.edits[-1]["reply_markup"] is None, fake.edits
    assert refused(fake, "editMessageReplyMarkup", {"chat_id": USER, "message_id": mid}) == \
        "Bad Request: " + NOT_MODIFIED


def test_delete_message_removes_it_once(fake):
    mid = ok(fake, "sendMessage", {"chat_id": USER, "text": "x"})["message_id"]
    assert ok(fake, "deleteMessage", {"chat_id": USER, "message_id": mid}) is True
    assert refused(fake, "deleteMessage", {"chat_id": USER, "message_id": mid}) == \
        "Bad Request: message to delete not found"
    assert refused(fake, "editMessageText", {"chat_id": USER, "message_id": mid, "text": "y"}) == \
        "Bad Request: message to edit not found"


def test_simple_methods_answer_true(fake):
    assert ok(fake, "deleteWebhook", {"drop_pending_updates": False}) is True
    assert ok(fake, "sendChatAction", {"chat_id": USER, "action": "typing"}) is True
    description = refused(fake, "sendChatAction", {"chat_id": USER, "action": "dancing"})
    assert description.startswith("Bad Request:"), description


def test_blocked_user_gets_403_until_unblocked(fake):
    mid = ok(fake, "sendMessage", {"chat_id": USER, "text": "x"})["message_id"]
    fake.block(USER)
    status, envelope = send(fake, "y")
    assert (status, envelope) == (403, error(403, "Forbidden: bot was blocked by the user"))
    assert call(fake, "editMessageText", {"chat_id": USER, "message_id": mid, "text": "z"})[0] == 403
    assert send(fake, "y", chat_id=OTHER)[0] == 200
    fake.unblock(USER)
    assert send(fake, "y")[0] == 200
    assert [m["text"] for m in fake.sent_messages(USER)] == ["x", "y"]


def test_a_group_upgraded_to_a_supergroup_answers_migrate_to_chat_id(fake):
    update = fake.push_group_message(-4001, USER, "/help")
    assert update["message"]["chat"] == {"id": -4001, "type": "group", "title": "Group 4001"}
    assert update["message"]["entities"][0]["type"] == "bot_command"
    assert send(fake, "before", chat_id=-4001)[0] == 200
    fake.migrate_group(-4001, -1001000004001)
    status, envelope = send(fake, "after", chat_id=-4001)
    assert (status, envelope) == (400, {"ok": False, "error_code": 400, "description":
                                        "Bad Request: group chat was upgraded to a supergroup chat",
                                        "parameters": {"migrate_to_chat_id": -1001000004001}})
    assert send(fake, "after", chat_id=-1001000004001)[0] == 200
    assert [m["text"] for m in fake.sent_messages(-4001)] == ["before"]
    assert [m["text"] for m in fake.sent_messages(-1001000004001)] == ["after"]
    assert send(fake, "x", chat_id=-4002)[0] == 400  # a group nobody made: chat not found


# --- updates ---

def test_push_message_builds_a_private_message(fake):
    update = fake.push_message(USER, "/start abc")
    message = update["message"]
    assert update["update_id"] == 1000
    assert message["from"] == {"id": USER, "is_bot": False, "first_name": "User2001"}, message
    assert message["chat"] == {"id": USER, "type": "private", "first_name": "User2001"}, message
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    update = fake.push_message(USER, "halo", first_name="Rina", language_code="id", username="rina")
    assert update["update_id"] == 1001 and "entities" not in update["message"]
    assert update["message"]["from"] == {"id": USER, "is_bot": False, "first_name": "Rina",
                                         "username": "rina", "language_code": "id"}
    assert update["message"]["message_id"] == message["message_id"] + 1
    sent = ok(fake, "sendMessage", {"chat_id": USER, "text": "hi"})
    assert sent["message_id"] == message["message_id"] + 2, "ids count per chat, users' and bot's together"
    assert sent["chat"]["first_name"] == "Rina" and sent["from"]["id"] == 123456
    assert fake.push_message(OTHER, "x")["message"]["message_id"] == 1


def test_push_message_with_document_photo_and_reply(fake):
    document = fake.add_file(b"%PDF data", "surat.pdf", "application/pdf")
    assert set(document) == {"file_id", "file_unique_id", "file_name", "mime_type", "file_size"}
    message = fake.push_message(USER, document=document, caption="surat")["message"]
    assert message["document"] == document and message["caption"] == "surat" and "text" not in message
    file = ok(fake, "getFile", {"file_id": document["file_id"]})
    with urllib.request.urlopen("%s/file/bot%s/%s" % (fake.api_base, TOKEN, file["file_path"])) as response:
        assert response.read() == b"%PDF data"
    photo = fake.push_message(USER, photo=fake.add_file(b"jpg", "p.jpg", "image/jpeg"))["message"]["photo"]
    assert photo[0]["file_size"] == 3 and "width" in photo[0], photo
    mid = ok(fake, "sendMessage", {"chat_id": USER, "text": "Which agency?"})["message_id"]
    reply = fake.push_message(USER, "Dinkes", reply_to_message_id=mid)["message"]
    assert reply["reply_to_message"]["text"] == "Which agency?", reply


def test_push_callback_carries_the_message(fake):
    orphan = fake.push_callback(USER, "x")["callback_query"]["message"]
    assert orphan["date"] == 0, "an inaccessible message when the bot sent none"
    first = ok(fake, "sendMessage", {"chat_id": USER, "text": "First", "reply_markup": KEYBOARD})
    ok(fake, "sendMessage", {"chat_id": USER, "text": "Second"})
    update = fake.push_callback(USER, "yes", message_id=first["message_id"], language_code="id")
    query = update["callback_query"]
    assert query["message"]["text"] == "First" and query["message"]["reply_markup"] == KEYBOARD, query
    assert query["data"] == "yes" and query["from"]["language_code"] == "id" and query["chat_instance"]
    assert query["id"] == fake.callback_ids[-1] and len(set(fake.callback_ids)) == 2
    assert fake.push_callback(USER, "no")["callback_query"]["message"]["text"] == "Second"


def test_push_my_chat_member_reports_the_new_status(fake):
    update = fake.push_my_chat_member(USER, "kicked")["my_chat_member"]
    assert update["chat"]["id"] == USER and update["from"]["id"] == USER
    assert update["old_chat_member"]["status"] == "member", update
    assert update["new_chat_member"]["status"] == "kicked", update
    assert update["new_chat_member"]["user"]["id"] == 123456


def test_get_updates_timeout_zero_answers_at_once(fake):
    started = time.monotonic()
    assert ok(fake, "getUpdates", {"timeout": 0}) == []
    assert time.monotonic() - started < 0.5


def test_long_poll_waits_for_the_timeout_when_idle(fake):
    started = time.monotonic()
    assert ok(fake, "getUpdates", {"timeout": 1}) == []
    assert 0.9 <= time.monotonic() - started < 2


def test_long_poll_answers_as_soon_as_an_update_arrives(fake):
    timer = threading.Timer(0.3, fake.push_message, (USER, "late"))
    timer.start()
    started = time.monotonic()
    updates = ok(fake, "getUpdates", {"timeout": 5})
    elapsed = time.monotonic() - started
    assert [u["message"]["text"] for u in updates] == ["late"] and 0.25 <= elapsed < 2, (updates, elapsed)


def test_newer_poll_ends_a_waiting_one_with_409(fake):
    waiting = in_background(lambda: call(fake, "getUpdates", {"timeout": 5}))
    fake.wait_for(lambda f: f.requests, what="the first poll")
    time.sleep(0.1)
    ok(fake, "getUpdates", {"timeout": 0})
    waiting["thread"].join(2)
    assert waiting.get("result") == (409, error(409, POLL_CONFLICT)), waiting


def test_calls_include_a_waiting_long_poll_but_not_faulted_requests(fake):
    fake.inject("getUpdates", "500")
    assert call(fake, "getUpdates", {"offset": 1})[0] == 500
    waiting = in_background(lambda: call(fake, "getUpdates", {"offset": 2, "timeout": 5}))
    fake.wait_for(lambda f: f.calls("getUpdates"), timeout=2, what="the waiting poll in calls()")
    assert fake.calls("getUpdates") == [{"offset": 2, "timeout": 5}]
    assert fake.requests[-1].status == 0 and fake.requests[-1].running
    fake.push_message(USER, "x")
    waiting["thread"].join(2)
    assert waiting["result"][0] == 200 and not fake.requests[-1].running


def test_poll_of_a_client_that_hung_up_delivers_nothing(fake):
    connection = http.client.HTTPConnection("127.0.0.1", int(fake.api_base.rsplit(":", 1)[1]), timeout=5)
    connection.request("POST", "/bot%s/getUpdates" % TOKEN, json.dumps({"timeout": 5}),
                       {"Content-Type": "application/json"})
    fake.wait_for(lambda f: f.calls("getUpdates"), timeout=2, what="the poll")
    connection.close()  # the bot was killed mid-poll
    time.sleep(0.1)
    fake.push_message(USER, "for the next bot")
    fake.wait_for(lambda f: f.requests[0].status == 499, timeout=2, what="the orphaned poll to give up")
    updates = ok(fake, "getUpdates", {"offset": 5000})
    assert [u["message"]["text"] for u in updates] == ["for the next bot"], "the update was lost"


def test_offset_confirms_only_updates_already_delivered(fake):
    for text in ("a", "b", "c"):
        fake.push_message(USER, text)
    assert [u["update_id"] for u in ok(fake, "getUpdates", {})] == [1000, 1001, 1002]
    again = ok(fake, "getUpdates", {})
    assert [u["update_id"] for u in again] == [1000, 1001, 1002], "no offset confirms nothing"
    assert [u["update_id"] for u in ok(fake, "getUpdates", {"offset": 1002})] == [1002]
    fake.set_next_update_id(57)
    fake.push_message(USER, "after a quiet week")
    assert [u["update_id"] for u in ok(fake, "getUpdates", {"offset": 1003})] == [57], \
        "an undelivered update is given even below the offset"
    assert ok(fake, "getUpdates", {"offset": 1003}) == []
    assert fake.push_message(USER, "next")["update_id"] == 58


def test_limit_and_allowed_updates_filter_and_persist(fake):
    for text in ("a", "b", "c"):
        fake.push_message(USER, text)
    assert len(ok(fake, "getUpdates", {"limit": 2})) == 2
    assert ok(fake, "getUpdates", {"allowed_updates": ["callback_query"]}) == [], "messages not asked for"
    fake.push_message(USER, "d")
    fake.push_callback(USER, "x")
    assert [list(u)[1] for u in ok(fake, "getUpdates", {})] == ["callback_query"], "the filter persists"
    assert refused(fake, "getUpdates", {"allowed_updates": ["mesage"]}).startswith("Bad Request:")


def test_delete_webhook_can_drop_pending_updates(fake):
    fake.push_message(USER, "a")
    ok(fake, "deleteWebhook", {"drop_pending_updates": False})
    assert len(ok(fake, "getUpdates", {})) == 1
    ok(fake, "deleteWebhook", {"drop_pending_updates": True})
    assert ok(fake, "getUpdates", {}) == []


# --- faults ---

def test_fault_429_carries_retry_after_then_normal(fake):
    fake.inject("sendMessage", "429", retry_after=3)
    status, envelope = send(fake, "x")
    expected = error(429, "Too Many Requests: retry after 3", parameters={"retry_after": 3})
    assert (status, envelope) == (429, expected), (status, envelope)
    assert send(fake, "x")[0] == 200
    assert [r.status for r in fake.requests] == [429, 200]
    assert len(fake.sent_messages()) == 1


def test_faults_500_502_malformed_answer_without_delivering(fake):
    for kind in ("500", "502", "malformed"):
        fake.inject("sendMessage", kind)
    status, envelope = send(fake, "x")
    assert (status, envelope) == (500, error(500, "Internal Server Error"))
    status, body = raw_call(fake, "sendMessage", {"chat_id": USER, "text": "x"})
    assert status == 502 and b"502 Bad Gateway" in body and b"nginx" in body
    status, body = raw_call(fake, "sendMessage", {"chat_id": USER, "text": "x"})
    assert status == 200
    try:
        json.loads(body)
        raise AssertionError("the malformed body is JSON")
    except ValueError:
        pass
    recorded = [(r.status, r.response is None) for r in fake.requests]
    assert recorded == [(500, False), (502, True), (200, True)], recorded
    assert fake.calls("sendMessage") == [] and fake.sent_messages() == []


def test_fault_drop_closes_the_connection_unanswered(fake):
    fake.inject("sendMessage", "drop")
    connection = http.client.HTTPConnection("127.0.0.1", int(fake.api_base.rsplit(":", 1)[1]), timeout=5)
    connection.request("POST", "/bot%s/sendMessage" % TOKEN, json.dumps({"chat_id": USER, "text": "x"}),
                       {"Content-Type": "application/json"})
    try:
        connection.getresponse()
        raise AssertionError("a dropped request got an answer")
    except (http.client.RemoteDisconnected, ConnectionError):
        pass
    finally:
        connection.close()
    assert [r.status for r in fake.requests] == [0] and not fake.sent_messages()
    assert fake.requests[0].params == {"chat_id": USER, "text": "x"}


def test_fault_slow_delays_then_answers_normally(fake):
    fake.inject("getMe", "slow", seconds=0.3)
    started = time.monotonic()
    assert ok(fake, "getMe")["id"] == 123456
    assert time.monotonic() - started >= 0.3


def test_fault_hang_holds_until_clear_faults(fake):
    fake.inject("sendMessage", "hang", count=5)
    hung = in_background(lambda: send(fake, "x"))
    fake.wait_for(lambda f: f.requests, what="the hung request")
    time.sleep(0.3)
    assert "result" not in hung and "error" not in hung, "answered while hung"
    fake.clear_faults()
    hung["thread"].join(2)
    cut = (urllib.error.URLError, ConnectionError, http.client.HTTPException)
    assert isinstance(hung.get("error"), cut), hung
    assert fake.requests[0].status == 0 and not fake.sent_messages()
    assert send(fake, "y")[0] == 200, "clear_faults forgot the remaining hangs"


def test_stop_releases_hung_requests_and_long_polls(fake):
    own = FakeTelegram(token=TOKEN).start()
    own.inject("sendMessage", "hang")
    hung = in_background(lambda: send(own, "x"))
    polling = in_background(lambda: call(own, "getUpdates", {"timeout": 30}))
    own.wait_for(lambda f: len(f.requests) == 2, what="both requests")
    started = time.monotonic()
    own.stop()
    hung["thread"].join(2)
    polling["thread"].join(2)
    assert time.monotonic() - started < 2, "stop() waited for the hung requests"
    assert not hung["thread"].is_alive() and not polling["thread"].is_alive()


def test_faults_409_and_401_answer_their_envelopes(fake):
    fake.inject("getUpdates", "409")
    fake.inject("getMe", "401")
    assert call(fake, "getUpdates", {}) == (409, error(409, POLL_CONFLICT))
    assert call(fake, "getMe") == (401, error(401, "Unauthorized"))
    assert call(fake, "getMe")[0] == 200


def test_faults_are_fifo_per_method_with_counts(fake):
    fake.inject("sendMessage", "500", count=2)
    fake.inject("sendMessage", "429")
    fake.inject("getMe", "500")
    assert [send(fake, "x")[0] for _ in range(4)] == [500, 500, 429, 200]
    assert call(fake, "getUpdates", {})[0] == 200, "a fault of another method leaked"
    assert call(fake, "getMe")[0] == 500


def test_limits_are_off_unless_enforced_then_refuse_past_the_burst(fake):
    assert [send(fake, "x")[0] for _ in range(5)] == [200] * 5, "limits on by default"
    fake.enforce_limits()
    other = USER + 1
    statuses = [call(fake, "sendMessage", {"chat_id": other, "text": "x"})[0] for _ in range(4)]
    assert statuses == [200, 200, 200, 429], statuses  # a burst of 3 to one chat
    refused = fake.requests[-1].response
    assert refused["parameters"]["retry_after"] >= 1, refused
    assert fake.limit_refusals == 1
    assert call(fake, "getMe")[0] == 200, "only messages are counted"


def test_fault_meets_an_invalid_request_first(fake):
    fake.inject("sendMessage", "500")
    assert call(fake, "sendMessage", {"chat_id": USER})[0] == 500
    assert call(fake, "sendMessage", {"chat_id": USER})[0] == 400


def test_inject_refuses_an_unknown_kind(fake):
    for kwargs in ({"kind": "explode"}, {"kind": "slow"}, {"kind": "500", "count": 0}):
        try:
            fake.inject("getMe", **kwargs)
            raise AssertionError("accepted %r" % kwargs)
        except ValueError:
            pass


# --- recording and waiting ---

def test_requests_record_method_params_status_time_and_response(fake):
    before = time.monotonic()
    send(fake, "hello")
    refused(fake, "sendMessage", {"chat_id": USER})
    first, second = fake.requests
    assert (first.method, first.status) == ("sendMessage", 200), first
    assert first.params == {"chat_id": USER, "text": "hello"}, first
    assert first.response["ok"] and first.response["result"]["text"] == "hello"
    assert second.status == 400 and second.response["description"] == "Bad Request: text is required"
    assert before <= first.time <= second.time <= time.monotonic()
    assert fake.calls("sendMessage") == [{"chat_id": USER, "text": "hello"}]


def test_views_are_per_chat_and_copies(fake):
    send(fake, "to user")
    send(fake, "to other", chat_id=OTHER)
    assert [m["text"] for m in fake.sent_messages(USER)] == ["to user"]
    assert [m["chat_id"] for m in fake.sent_messages()] == [USER, OTHER]
    fake.sent_messages(USER)[0]["text"] = "tampered"
    assert fake.sent_messages(USER)[0]["text"] == "to user"
    assert fake.sent_messages(USER)[0]["reply_markup"] is None


def test_keep_alive_serves_many_requests_on_one_connection(fake):
    connection = http.client.HTTPConnection("127.0.0.1", int(fake.api_base.rsplit(":", 1)[1]), timeout=5)
    try:
        connection.request("POST", "/bot%s/getMe" % TOKEN)
        first = connection.getresponse()
        assert first.status == 200 and first.getheader("Content-Length") and json.loads(first.read())["ok"]
        socket_used = connection.sock
        connection.request("POST", "/bot%s/getMe" % TOKEN)
        second = connection.getresponse()
        assert second.status == 200 and json.loads(second.read())["ok"]
        assert connection.sock is socket_used, "the server closed the connection between requests"
    finally:
        connection.close()


def test_wait_for_returns_the_value_or_names_what_it_waited_for(fake):
    threading.Timer(0.1, send, (fake, "x")).start()
    assert fake.wait_for(lambda f: f.sent_messages() and "found", timeout=2) == "found"
    started = time.monotonic()
    try:
        fake.wait_for(lambda f: False, timeout=0.2, what="a miracle")
        message = None
    except AssertionError as error:
        message = str(error)
    assert message == "timed out after 0.2 s waiting for a miracle", message
    assert time.monotonic() - started < 1


def main():
    tests = [(name, fn) for name, fn in globals().items() if name.startswith("test_") and callable(fn)]
    passed = failed = 0
    for name, fn in tests:
        fake = FakeTelegram(token=TOKEN).start()
        try:
            fn(fake)
            passed += 1
            print("PASS %s" % name, flush=True)
        except Exception:  # noqa: BLE001 - any failure is reported and counted
            failed += 1
            print("FAIL %s" % name, flush=True)
            traceback.print_exc()
        finally:
            fake.stop()
    print("%d passed, %d failed" % (passed, failed), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
