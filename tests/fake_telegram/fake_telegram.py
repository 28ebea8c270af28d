"""A fake Telegram Bot API server for sertibot's end-to-end tests.

The real binary talks to it over HTTP exactly as it talks to api.telegram.org,
so the tests exercise the bot's own HTTP client, JSON handling and retries.

The fake is deliberately stricter than Telegram wherever strictness finds bugs
early: every parameter and every object field is checked against the Bot API
specification in bot-api.json (names Telegram does not define are refused, where
Telegram would silently ignore them), a bare `&` in HTML is refused, and so on.
Error texts are Telegram's own wherever Telegram has one.

What the fake does not model (inline messages, Markdown, group chats, methods
without a handler) answers HTTP 501 "Not Implemented: ...", so a test that
wanders outside the model fails loudly instead of passing on a guess.

Standard library only: the tests run on a bare machine without pip."""

import copy
import functools
import json
import os
import re
import socket
import sys
import threading
import time
import urllib.parse
from collections import deque, namedtuple
from dataclasses import dataclass
from email.message import Message
from email.parser import HeaderParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SPEC_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bot-api.json")

BOT_FIRST_NAME = "sertibot"
BOT_USERNAME = "sertibot_test_bot"

# Limits from the Bot API documentation (see FACTS.md); lengths in UTF-16 code units.
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_BYTES = 64
CALLBACK_ANSWER_LIMIT = 200
MAX_COMMANDS = 100
COMMAND_DESCRIPTION_LIMIT = 256
LONG_POLL_CAP_S = 50
UPDATES_LIMIT = 100

UNAUTHORIZED = "Unauthorized"
BLOCKED = "Forbidden: bot was blocked by the user"
MIGRATED = "Bad Request: group chat was upgraded to a supergroup chat"
NOT_MODIFIED = ("message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message")
# getFile serves files of up to 20 MB (the Bot API server's 20 << 20); a
# larger one is refused with this text.
GETFILE_LIMIT = 20 << 20
FILE_TOO_BIG = "file is too big"
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
POLL_CONFLICT = ("Conflict: terminated by other getUpdates request; "
                 "make sure that only one bot instance is running")

# Telegram's flood limits (Bot FAQ), enforced only after enforce_limits():
# about one message a second to a chat (short bursts tolerated), 20 a minute
# to a group, about 30 a second overall. Modelled as token buckets counted on
# arrival: (tokens a second, burst).
LIMIT_CHAT = (1.0, 3)
LIMIT_GROUP = (20 / 60.0, 3)
LIMIT_GLOBAL = (30.0, 30)
# The methods that put or change a message in a chat: what the limits count.
LIMITED_METHODS = frozenset({"sendMessage", "sendDocument", "sendPhoto", "editMessageText",
                             "editMessageReplyMarkup", "deleteMessage"})

FAULT_KINDS = ("429", "500", "502", "drop", "malformed", "slow", "hang", "409", "401")
NGINX_502 = (b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
             b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
             b"</body>\r\n</html>\r\n")
# A JSON answer cut short, as a proxy that gives up mid-body would leave it.
MALFORMED_BODY = b'{"ok":true,"result":[{"update_id":'

# Telegram does not send these update types unless asked for by name.
OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
CHAT_ACTIONS = frozenset({"typing", "upload_photo", "record_video", "upload_video", "record_voice",
                          "upload_voice", "upload_document", "choose_sticker", "find_location",
                          "record_video_note", "upload_video_note"})
# Fields of InlineKeyboardButton that decorate it; every other field is its one action.
BUTTON_DECORATIONS = frozenset({"text", "icon_custom_emoji_id", "style"})
# The parts of a message an edit may change, compared to detect "not modified".
EDITABLE = ("text", "entities", "caption", "caption_entities", "reply_markup")
ENTITIES_KEY = {"text": "entities", "caption": "caption_entities"}
# The fake does not decode images: every photo claims this size.
PHOTO_SIZE = (640, 480)
POLL_INTERVAL_S = 0.01  # how soon stop() takes effect
WAIT_STEP_S = 0.02


@functools.lru_cache(maxsize=None)
def _spec():
    """The Bot API specification, read once per process (it is 900 kB)."""
    with open(SPEC_PATH, encoding="utf-8") as f:
        return json.load(f)


def utf16_len(text):
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


class ApiError(Exception):
    """A refusal, answered with Telegram's error envelope and HTTP status."""

    def __init__(self, status, description, parameters=None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def envelope(self):
        envelope = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            envelope["parameters"] = self.parameters
        return envelope


def bad_request(detail):
    return ApiError(400, "Bad Request: " + detail)


def not_modeled(what):
    """The fake's own 501: the request may be fine, but the fake cannot tell what Telegram does."""
    return ApiError(501, "Not Implemented: the fake Telegram server does not model " + what)


class Upload(dict):
    """A file part of a multipart body: {"filename", "content_type", "data"}.

    A dict so that tests read it like any recorded parameter; a class of its own
    so that validation can tell an uploaded InputFile from a JSON object."""

    def __init__(self, filename, content_type, data):
        super().__init__(filename=filename, content_type=content_type, data=data)


@dataclass
class RecordedRequest:
    """One API request as the fake saw it.

    status is the HTTP status answered; 0 while there is none: a long poll still
    waiting, a hung request, or a connection dropped without an answer. 499 (as
    nginx logs it) marks a long poll whose client had gone when updates came, so
    nothing was sent. response is the envelope answered, or None when there was
    none or the body was not JSON (502, malformed). running is true while the
    method itself runs (a long poll waiting); a faulted request never runs."""
    method: str
    params: dict
    time: float
    status: int = 0
    response: dict = None
    running: bool = False


class _ClientGone(Exception):
    """The client of a long poll closed its connection before updates came."""


@dataclass
class _Fault:
    kind: str
    retry_after: int
    seconds: float
    remaining: int


@dataclass
class _StoredFile:
    """A file the fake can serve: added by a test or uploaded by the bot."""
    file_id: str
    file_unique_id: str
    file_name: str
    mime_type: str
    data: bytes
    file_path: str
    claimed_size: int = None  # the size Telegram states, when a test makes it larger than data

    @property
    def size(self):
        return len(self.data) if self.claimed_size is None else self.claimed_size

    def as_document(self):
        return {"file_id": self.file_id, "file_unique_id": self.file_unique_id,
                "file_name": self.file_name, "mime_type": self.mime_type,
                "file_size": self.size}

    def as_file(self):
        return {"file_id": self.file_id, "file_unique_id": self.file_unique_id,
                "file_size": self.size, "file_path": self.file_path}

    def as_photo(self):
        return _photo_sizes(self.as_document())


def _photo_sizes(document):
    """A PhotoSize array for a file (one size: the fake does not make thumbnails)."""
    width, height = PHOTO_SIZE
    return [{"file_id": document["file_id"], "file_unique_id": document["file_unique_id"],
             "file_size": document["file_size"], "width": width, "height": height}]


class _Bucket:
    """A token bucket: `rate` tokens a second, at most `burst`, full at first."""

    def __init__(self, rate, burst, now):
        self.rate, self.burst, self.tokens, self.updated = rate, burst, float(burst), now

    def take(self, now):
        """Takes a token; if there is none, how many seconds until there is one."""
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.rate


@dataclass
class _Pending:
    """An update kept for getUpdates, and whether a getUpdates answer has carried it."""
    update: dict
    delivered: bool = False


# --- parameters: decoding and validation against bot-api.json -------------------------

_ARRAY = "Array of "
_INTEGER = re.compile(r"-?[0-9]+")


def validate_params(method, params):
    """Checks a call's parameters against the specification; returns them decoded.

    Values sent as strings (form fields, query strings, JSON-in-a-string) are
    decoded to what their declared type says, as Telegram does, so that tests
    see the same values whatever encoding the bot used."""
    fields = {f["name"]: f for f in _spec()["methods"][method].get("fields", [])}
    for name in params:
        if name not in fields:
            raise bad_request('unknown parameter "%s"' % name)
    for name, spec_field in fields.items():
        if spec_field["required"] and name not in params:
            raise bad_request("%s is required" % name)
    return {name: _check_value(value, fields[name]["types"], name) for name, value in params.items()}


def _check_value(value, types, path):
    """The value decoded and checked against a list of allowed types ("Integer",
    "Array of String", "InlineKeyboardMarkup", ...); `path` names it in errors."""
    if isinstance(value, str):
        value = _decode_string(value, types, path)
    if isinstance(value, dict) and not isinstance(value, Upload):
        candidates = _object_types(types)
        if candidates:
            return _check_object(value, _best_fit(value, candidates), path)
    elif isinstance(value, list):
        item_types = [t[len(_ARRAY):] for t in types if t.startswith(_ARRAY)]
        if item_types:
            return [_check_value(item, item_types[:1], "%s[%d]" % (path, i))
                    for i, item in enumerate(value)]
    elif _scalar_fits(value, types):
        return value
    raise bad_request("%s must be %s" % (path, " or ".join(types)))


def _decode_string(value, types, path):
    """A string turned into the declared type where the type is not a string."""
    if "Integer" in types and _INTEGER.fullmatch(value):
        return int(value)
    if "String" in types or "InputFile" in types:
        return value
    if "Boolean" in types and value in ("true", "false"):
        return value == "true"
    if "Float" in types:
        try:
            return float(value)
        except ValueError:
            return value
    if any(t.startswith(_ARRAY) for t in types) or _object_types(types):
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request("can't parse %s JSON object" % path) from None
    return value


def _scalar_fits(value, types):
    if isinstance(value, Upload):
        return "InputFile" in types
    if isinstance(value, bool):  # before int: bool is an int in Python
        return "Boolean" in types
    if isinstance(value, int):
        return "Integer" in types or "Float" in types
    if isinstance(value, float):
        return "Float" in types
    if isinstance(value, str):
        return "String" in types
    return False


def _object_types(types):
    """The concrete object types among `types`: unions such as BotCommandScope are
    replaced by their subtypes; InputFile is an upload, not an object."""
    found = []
    for name in types:
        entry = _spec()["types"].get(name)
        if entry is None or name == "InputFile":
            continue
        found.extend(_object_types(entry["subtypes"]) if entry.get("subtypes") else [name])
    return found


def _best_fit(obj, candidates):
    """The candidate type an object was most likely meant as: one whose fields cover
    its keys and whose required fields it has, else the one sharing most keys.
    Telegram tells union members apart by their fields too, and an error about the
    intended type is more use than "must be A or B or C"."""
    def fit(name):
        fields = {f["name"]: f["required"] for f in _spec()["types"][name].get("fields", [])}
        keys = set(obj)
        complete = keys <= set(fields) and all(k in keys for k, required in fields.items() if required)
        return complete, len(keys & set(fields))
    return max(candidates, key=fit)


def _check_object(obj, type_name, path):
    fields = {f["name"]: f for f in _spec()["types"][type_name].get("fields", [])}
    for key in obj:
        if key not in fields:
            raise bad_request('unknown field "%s" in %s' % (key, path))
    for name, spec_field in fields.items():
        if spec_field["required"] and name not in obj:
            raise bad_request("%s.%s is required" % (path, name))
    return {key: _check_value(value, fields[key]["types"], "%s.%s" % (path, key))
            for key, value in obj.items()}


def _decoded(method, raw):
    """(params, None) when valid, else (raw, the refusal): an invalid request is
    still recorded, and still meets its injected fault first."""
    try:
        return validate_params(method, raw), None
    except ApiError as error:
        return raw, error


# --- HTML: Telegram's parse_mode "HTML" -----------------------------------------------

_TAG_ENTITY = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic",
               "u": "underline", "ins": "underline", "s": "strikethrough",
               "strike": "strikethrough", "del": "strikethrough", "span": "spoiler",
               "tg-spoiler": "spoiler", "a": "text_link", "code": "code", "pre": "pre",
               "blockquote": "blockquote", "tg-emoji": "custom_emoji"}
_TAG_ATTRIBUTES = {"span": {"class"}, "a": {"href"}, "code": {"class"},
                   "blockquote": {"expandable"}, "tg-emoji": {"emoji-id"}}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(?:#([0-9]+)|#[xX]([0-9a-fA-F]+)|([A-Za-z][A-Za-z0-9]*));")
_START_TAG_RE = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)")
_ATTRIBUTE_RE = re.compile(
    r"""\s+([A-Za-z][A-Za-z0-9-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_TAG_CLOSE_RE = re.compile(r"\s*>")
_END_TAG_RE = re.compile(r"</([A-Za-z][A-Za-z0-9-]*)\s*>")


def parse_html(text):
    """(visible text, entities) of a text in parse_mode HTML, or the 400
    "can't parse entities" Telegram answers for it."""
    return _HtmlParser(text).parse()


@dataclass
class _OpenTag:
    name: str
    attributes: dict
    start: int  # UTF-16 offset in the visible text
    language: str = None  # set on <pre> by an inner <code class="language-x">


class _HtmlParser:
    """One pass over the text: tags become entities, entities become characters."""

    def __init__(self, text):
        self.text = text
        self.pos = 0
        self.visible = []
        self.length = 0  # of the visible text so far, in UTF-16 code units
        self.open = []
        self.entities = []

    def parse(self):
        while self.pos < len(self.text):
            if self.text.startswith("</", self.pos):
                self._end_tag()
            elif self.text[self.pos] == "<":
                self._start_tag()
            else:
                char, self.pos = self._char(self.pos)
                self.visible.append(char)
                self.length += utf16_len(char)
        if self.open:
            raise self._error('can\'t find end tag corresponding to start tag "%s"'
                              % self.open[-1].name, None)
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.visible), self.entities

    def _error(self, detail, pos):
        """The 400 for a detail that may name the UTF-8 byte offset of `pos`, as Telegram does."""
        if pos is not None:
            detail = detail.replace("{offset}", str(len(self.text[:pos].encode("utf-8"))))
        return bad_request("can't parse entities: " + detail)

    def _char(self, pos):
        """The character at `pos` (an entity decoded) and the position after it."""
        if self.text[pos] != "&":
            return self.text[pos], pos + 1
        match = _ENTITY_RE.match(self.text, pos)
        if not match:
            raise self._error('character "&" at byte offset {offset} must be escaped as "&amp;"', pos)
        decimal, hexadecimal, name = match.groups()
        if name is not None:
            if name not in _NAMED_ENTITIES:
                raise self._error('unsupported HTML entity "&%s;" at byte offset {offset}' % name, pos)
            return _NAMED_ENTITIES[name], match.end()
        code = int(decimal) if decimal is not None else int(hexadecimal, 16)
        if not 0 < code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise self._error("invalid character reference at byte offset {offset}", pos)
        return chr(code), match.end()

    def _decode(self, start, end):
        """An attribute value with its entities decoded."""
        chars, pos = [], start
        while pos < end:
            char, pos = self._char(pos)
            chars.append(char)
        return "".join(chars)

    def _start_tag(self):
        start = self.pos
        match = _START_TAG_RE.match(self.text, start)
        if not match:
            raise self._error('character "<" at byte offset {offset} must be escaped as "&lt;"', start)
        name = match.group(1).lower()
        if name not in _TAG_ENTITY:
            raise self._error('unsupported start tag "%s" at byte offset {offset}' % name, start)
        attributes = self._attributes(name, match.end(), start)
        self._check_nesting(name, start)
        self._check_attributes(name, attributes, start)
        self.open.append(_OpenTag(name, attributes, self.length))

    def _attributes(self, name, pos, start):
        """The tag's attributes, up to and past its closing `>`."""
        attributes = {}
        while True:
            close = _TAG_CLOSE_RE.match(self.text, pos)
            if close:
                self.pos = close.end()
                return attributes
            match = _ATTRIBUTE_RE.match(self.text, pos)
            if not match:
                raise self._error('can\'t parse start tag "%s" at byte offset {offset}' % name, start)
            key = match.group(1).lower()
            if key not in _TAG_ATTRIBUTES.get(name, ()):
                raise self._error('unsupported attribute "%s" in tag "%s" at byte offset {offset}'
                                  % (key, name), start)
            group = next((g for g in (2, 3, 4) if match.group(g) is not None), None)
            attributes[key] = "" if group is None else self._decode(match.start(group), match.end(group))
            pos = match.end()

    def _check_nesting(self, name, start):
        """pre and code hold plain text (pre may hold one code); blockquotes do not nest."""
        parent = self.open[-1].name if self.open else None
        if parent == "code" or (parent == "pre" and name != "code"):
            raise self._error('tag "%s" can\'t be nested in "%s" at byte offset {offset}'
                              % (name, parent), start)
        if name == "blockquote" and any(tag.name == "blockquote" for tag in self.open):
            raise self._error('tag "blockquote" can\'t be nested in "blockquote" at byte offset {offset}',
                              start)

    def _check_attributes(self, name, attributes, start):
        problem = None
        if name == "span" and attributes.get("class") != "tg-spoiler":
            problem = 'tag "span" must have class "tg-spoiler"'
        elif name == "a" and not attributes.get("href"):
            problem = 'tag "a" must have an href'
        elif name == "tg-emoji" and not attributes.get("emoji-id"):
            problem = 'tag "tg-emoji" must have an emoji-id'
        elif name == "code" and "class" in attributes:
            inside_pre = bool(self.open) and self.open[-1].name == "pre"
            if not (inside_pre and attributes["class"].startswith("language-")):
                problem = 'class of tag "code" must be "language-..." and only inside "pre"'
        if problem:
            raise self._error(problem + " at byte offset {offset}", start)

    def _end_tag(self):
        match = _END_TAG_RE.match(self.text, self.pos)
        if not match:
            raise self._error("can't parse end tag at byte offset {offset}", self.pos)
        name = match.group(1).lower()
        if not self.open:
            raise self._error('unexpected end tag "</%s>" at byte offset {offset}' % name, self.pos)
        tag = self.open.pop()
        if tag.name != name:
            raise self._error('unmatched end tag at byte offset {offset}, expected "</%s>", found "</%s>"'
                              % (tag.name, name), self.pos)
        self.pos = match.end()
        self._add_entity(tag)

    def _add_entity(self, tag):
        parent = self.open[-1] if self.open else None
        if tag.name == "code" and parent is not None and parent.name == "pre":
            # <pre><code class="language-x"> is one pre entity with a language.
            parent.language = tag.attributes.get("class", "")[len("language-"):] or None
            return
        length = self.length - tag.start
        if length == 0:  # Telegram drops empty entities
            return
        entity = {"type": _TAG_ENTITY[tag.name], "offset": tag.start, "length": length}
        if tag.name == "a":
            entity["url"] = tag.attributes["href"]
        elif tag.name == "tg-emoji":
            entity["custom_emoji_id"] = tag.attributes["emoji-id"]
        elif tag.name == "blockquote" and "expandable" in tag.attributes:
            entity["type"] = "expandable_blockquote"
        elif tag.name == "pre" and tag.language:
            entity["language"] = tag.language
        self.entities.append(entity)


# --- message content rules -----------------------------------------------------------

def _formatted(params, key):
    """(visible text, entities) of params[key] under its parse_mode. Explicit
    entities win over parse_mode, as in Telegram."""
    raw = params.get(key, "")
    entities_key = ENTITIES_KEY[key]
    if entities_key in params:
        return raw, params[entities_key]
    mode = params.get("parse_mode", "").lower()
    if mode == "html":
        return parse_html(raw)
    if mode == "":
        return raw, []
    if mode in ("markdown", "markdownv2"):
        raise not_modeled("parse_mode %s (only HTML)" % params["parse_mode"])
    raise bad_request("unsupported parse_mode")


def _content(key, text, entities):
    """The Message fields for a text or caption."""
    content = {key: text}
    if entities:
        content[ENTITIES_KEY[key]] = entities
    return content


def _check_text_length(text):
    if not text.strip():
        raise bad_request("message text is empty")
    if utf16_len(text) > TEXT_LIMIT:
        raise bad_request("message is too long")


def _caption(params):
    """The Message fields for the caption of a media message (none when empty)."""
    if "caption" not in params:
        return {}
    caption, entities = _formatted(params, "caption")
    if utf16_len(caption) > CAPTION_LIMIT:
        raise bad_request("message caption is too long")
    return _content("caption", caption, entities) if caption else {}


def _inline_markup(markup):
    """The inline keyboard a message will carry, checked button by button, or None.

    Reply keyboards are accepted but, as in Telegram, are not part of the Message;
    an inline keyboard without buttons is no keyboard."""
    if not markup or "inline_keyboard" not in markup:
        return None
    for row in markup["inline_keyboard"]:
        for button in row:
            _check_button(button)
    return markup if any(markup["inline_keyboard"]) else None


def _check_button(button):
    if not button["text"]:
        raise bad_request("can't parse inline keyboard button: text must be non-empty")
    actions = [key for key in button if key not in BUTTON_DECORATIONS]
    if not actions:
        raise bad_request("can't parse inline keyboard button: "
                          "Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise bad_request("can't parse inline keyboard button: exactly one of %s may be used"
                          % ", ".join(sorted(actions)))
    data = button.get("callback_data")
    if data is not None and not 1 <= len(data.encode("utf-8")) <= CALLBACK_DATA_BYTES:
        raise bad_request("BUTTON_DATA_INVALID")


def _check_commands(commands):
    if len(commands) > MAX_COMMANDS:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    for command in commands:
        if not re.fullmatch(r"[a-z0-9_]{1,32}", command["command"]):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= utf16_len(command["description"]) <= COMMAND_DESCRIPTION_LIMIT:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")


def _update_type(update):
    return next(key for key in update if key != "update_id")


def _all_update_types():
    return {f["name"] for f in _spec()["types"]["Update"]["fields"] if f["name"] != "update_id"}


# --- HTTP -----------------------------------------------------------------------------

_Answer = namedtuple("_Answer", "status content_type body")
_API_PATH = re.compile(r"/bot([^/]*)/([^/]*)")
_FILE_PATH = re.compile(r"/file/bot([^/]*)/(.+)")


def _json_answer(status, envelope):
    return _Answer(status, "application/json", json.dumps(envelope, ensure_ascii=False).encode("utf-8"))


def _parse_body(content_type, body):
    """A request body's parameters, in any encoding the Bot API accepts."""
    if not body:
        return {}
    header = Message()
    header["Content-Type"] = content_type or "application/octet-stream"
    mime = header.get_content_type()
    try:
        if mime == "application/json":
            params = json.loads(body)
            if not isinstance(params, dict):
                raise bad_request("the JSON body must be an object")
            return params
        if mime == "application/x-www-form-urlencoded":
            return dict(urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        if mime == "multipart/form-data":
            return _parse_multipart(body, header.get_param("boundary"))
    except (ValueError, UnicodeDecodeError):
        raise bad_request("can't parse the %s body" % mime) from None
    raise bad_request("unsupported Content-Type %s" % mime)


def _parse_multipart(body, boundary):
    """Fields and file parts of a multipart/form-data body, file bytes kept exact.

    Split by hand rather than with the email package, which may rewrite line
    endings inside binary parts."""
    if not boundary:
        raise bad_request("multipart/form-data without a boundary")
    params = {}
    for part in (b"\r\n" + body).split(b"\r\n--" + boundary.encode("ascii"))[1:]:
        if part.startswith(b"--"):
            break
        head, separator, data = part.partition(b"\r\n\r\n")
        if not separator:
            raise bad_request("can't parse a multipart/form-data part")
        headers = HeaderParser().parsestr(head.decode("utf-8").lstrip())
        name = headers.get_param("name", header="content-disposition")
        if not name:
            raise bad_request("a multipart/form-data part has no name")
        filename = headers.get_filename()
        if filename is None:
            params[name] = data.decode("utf-8")
        else:
            content_type = headers.get("content-type", "application/octet-stream")
            params[name] = Upload(filename, content_type, data)
    return params


class _Handler(BaseHTTPRequestHandler):
    """HTTP plumbing only; FakeTelegram decides every answer.

    HTTP/1.1 with Content-Length on every answer, so that libcurl keeps the
    connection alive; an answer of None closes the connection unanswered."""
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        self.server.track(self.connection)

    def finish(self):
        self.server.untrack(self.connection)
        super().finish()

    def do_GET(self):  # noqa: N802 - the name http.server dispatches to
        self._serve()

    def do_POST(self):  # noqa: N802
        self._serve()

    def _serve(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        answer = self.server.fake._answer_http(self.path, self.headers.get("Content-Type", ""), body,
                                               self._client_gone)
        if answer is None:
            self.close_connection = True
            return
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        self.wfile.write(answer.body)

    def _client_gone(self):
        """True when the client has closed its side (a read would give EOF at once)."""
        try:
            return self.connection.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
        except BlockingIOError:
            return False
        except OSError:
            return True

    def log_message(self, format, *args):  # noqa: A002 - the signature http.server calls
        """Silent: one line per request would drown the test output."""


class _Server(ThreadingHTTPServer):
    """Keeps its open connections so that stop() can cut keep-alive ones too.
    Handler threads are daemons (ThreadingHTTPServer's default): a hung one never
    holds up the test process."""

    def __init__(self, fake):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake
        self._connections = set()
        self._connections_lock = threading.Lock()

    def track(self, connection):
        with self._connections_lock:
            self._connections.add(connection)

    def untrack(self, connection):
        with self._connections_lock:
            self._connections.discard(connection)

    def close_connections(self):
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed by the other side

    def handle_error(self, request, client_address):
        """Quiet about cut connections (a killed bot, a drop, stop()); loud about anything else."""
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)


# --- the fake -------------------------------------------------------------------------

class FakeTelegram:
    """The fake Bot API: HTTP server, Telegram's state as the bot sees it, fault
    injection, and the record of everything the bot asked for.

    One condition variable guards all state; long polls wait on it. Views handed
    to tests (sent_messages, documents, edits, calls, callback_ids, requests) are
    fresh lists; the RecordedRequest objects in `requests` are live, so a status
    filled in later (a long poll answering) shows."""

    def __init__(self, token="123456:TEST-TOKEN"):
        self.token = token
        self.bot_id = int(token.split(":")[0])
        self._cond = threading.Condition()
        self._server = None
        self._thread = None
        self._stopping = False
        self._release = threading.Event()  # set to free hung requests
        self._requests = []
        self._faults = {}
        self._pending = []
        self._next_update_id = 1000
        self._allowed_updates = _all_update_types() - OPT_IN_UPDATES
        self._poll_generation = 0
        self._users = {}
        self._blocked = set()
        self._groups = {}  # chat_id -> Chat, for groups the tests made
        self._migrated = {}  # old group chat_id -> the supergroup's id
        self._message_ids = {}
        self._messages = {}  # (chat_id, message_id) -> Message
        self._last_bot_message = {}
        self._files = {}  # file_id -> _StoredFile
        self._file_count = 0
        self._open_queries = set()
        self._callback_ids = []
        self._sent = []
        self._documents = []
        self._edits = []
        self._limits = None  # enforce_limits(): chat_id -> _Bucket, and "global"
        self.limit_refusals = 0
        self._menus = {}  # (scope type, chat_id or None, language) -> [command, ...]
        self._handlers = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,  # _execute adds its client check
            "deleteWebhook": self._delete_webhook,
            "setMyCommands": self._set_my_commands,
            "sendMessage": self._send_message,
            "sendDocument": self._send_document,
            "sendPhoto": self._send_photo,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "sendChatAction": self._send_chat_action,
            "answerCallbackQuery": self._answer_callback_query,
            "getFile": self._get_file,
        }

    # --- lifecycle ---

    def start(self):
        """Serves on 127.0.0.1 on a free port, from a daemon thread; returns self."""
        self._server = _Server(self)
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": POLL_INTERVAL_S},
                                        name="fake-telegram", daemon=True)
        self._thread.start()
        return self

    @property
    def api_base(self):
        """What the bot's config names as telegram.api_base."""
        return "http://127.0.0.1:%d" % self._server.server_address[1]

    def stop(self):
        """Stops serving: hung requests and long polls are released, open connections cut."""
        with self._cond:
            self._stopping = True
            self._release.set()
            self._cond.notify_all()
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        self._thread.join()

    # --- faults ---

    def inject(self, method, kind, retry_after=None, seconds=None, count=1):
        """Queues a fault for the next `count` requests of `method` (FIFO per method)."""
        if kind not in FAULT_KINDS:
            raise ValueError("unknown fault kind %r; known: %s" % (kind, ", ".join(FAULT_KINDS)))
        if kind == "slow" and seconds is None:
            raise ValueError("a slow fault needs seconds")
        if count < 1:
            raise ValueError("count must be at least 1")
        fault = _Fault(kind, 1 if retry_after is None else retry_after, seconds or 0, count)
        with self._cond:
            self._faults.setdefault(method, deque()).append(fault)

    def enforce_limits(self):
        """From now on, answers 429 (with retry_after) to a message over Telegram's
        flood limits (LIMIT_CHAT, LIMIT_GROUP, LIMIT_GLOBAL). Off by default: the
        tests check behaviour, the benchmarks the pacing. limit_refusals counts
        the 429s given."""
        with self._cond:
            self._limits = {}

    def _over_limit(self, method, params, arrived):
        """The 429 for a message over the limits, or None; takes the tokens if not.
        A refused message takes none (Telegram counts what it delivers)."""
        chat_id = params.get("chat_id") if isinstance(params, dict) else None
        if method not in LIMITED_METHODS or not isinstance(chat_id, int):
            return None
        with self._cond:
            if self._limits is None:
                return None
            buckets = self._limits
            glob = buckets.setdefault("global", _Bucket(*LIMIT_GLOBAL, arrived))
            rate, burst = LIMIT_GROUP if chat_id < 0 else LIMIT_CHAT
            chat = buckets.setdefault(chat_id, _Bucket(rate, burst, arrived))
            saved = (glob.tokens, glob.updated)
            wait = glob.take(arrived)
            if not wait:
                wait = chat.take(arrived)
                if wait:
                    glob.tokens, glob.updated = saved
            if not wait:
                return None
            self.limit_refusals += 1
        seconds = max(1, int(wait + 0.999))
        return ApiError(429, "Too Many Requests: retry after %d" % seconds, {"retry_after": seconds})

    def clear_faults(self):
        """Forgets queued faults and releases hung requests (their connections close unanswered)."""
        with self._cond:
            self._faults.clear()
            self._release.set()
            self._release = threading.Event()

    def _take_fault(self, method):
        with self._cond:
            queue = self._faults.get(method)
            if not queue:
                return None
            fault = queue[0]
            fault.remaining -= 1
            if fault.remaining == 0:
                queue.popleft()
            return fault

    def _fault_answer(self, record, fault):
        """The answer a fault gives instead of the real one; None closes the connection."""
        if fault.kind == "hang":
            with self._cond:
                release = self._release
            release.wait()
            return None
        if fault.kind == "drop":
            return None
        if fault.kind == "502":
            self._settle(record, 502, None)
            return _Answer(502, "text/html", NGINX_502)
        if fault.kind == "malformed":
            self._settle(record, 200, None)
            return _Answer(200, "application/json", MALFORMED_BODY)
        error = {
            "429": ApiError(429, "Too Many Requests: retry after %d" % fault.retry_after,
                            {"retry_after": fault.retry_after}),
            "500": ApiError(500, "Internal Server Error"),
            "409": ApiError(409, POLL_CONFLICT),
            "401": ApiError(401, UNAUTHORIZED),
        }[fault.kind]
        return self._finish(record, error.status, error.envelope())

    # --- test controls: users and updates ---

    def block(self, user_id):
        """Later sends and edits to this user's chat answer 403, as after the user blocked the bot."""
        with self._cond:
            self._blocked.add(user_id)

    def unblock(self, user_id):
        """Sends and edits to this user's chat work again."""
        with self._cond:
            self._blocked.discard(user_id)

    def push_group_message(self, chat_id, user_id, text, first_name=None):
        """A text message from `user_id` in the group `chat_id` (negative), which
        the bot may then write to; returns the update."""
        with self._cond:
            sender = self._user(user_id, first_name, None, None)
            chat = self._groups.setdefault(chat_id, {"id": chat_id, "type": "group",
                                                     "title": "Group %d" % -chat_id})
            message = {"message_id": self._next_message_id(chat_id), "from": sender,
                       "chat": dict(chat), "date": int(time.time()), "text": text}
            if text.startswith("/"):
                message["entities"] = [{"type": "bot_command", "offset": 0,
                                        "length": utf16_len(text.split()[0])}]
            self._messages[(chat_id, message["message_id"])] = message
            return self._push_update("message", message)

    def migrate_group(self, chat_id, supergroup_id):
        """The group became the supergroup `supergroup_id`: from now on a send to
        the old id answers 400 with migrate_to_chat_id, as Telegram does."""
        with self._cond:
            old = self._groups.get(chat_id, {"title": "Group %d" % -chat_id})
            self._groups[supergroup_id] = {"id": supergroup_id, "type": "supergroup",
                                           "title": old["title"]}
            self._migrated[chat_id] = supergroup_id

    def set_next_update_id(self, update_id):
        """Makes the next update carry this id, as Telegram does after a quiet week."""
        with self._cond:
            self._next_update_id = update_id

    def push_message(self, user_id, text=None, first_name=None, language_code=None, username=None,
                     document=None, photo=None, caption=None, reply_to_message_id=None):
        """A message from `user_id` in their private chat with the bot; returns the update."""
        with self._cond:
            sender = self._user(user_id, first_name, language_code, username)
            message = {"message_id": self._next_message_id(user_id), "from": sender,
                       "chat": self._chat(user_id), "date": int(time.time())}
            if text is not None:
                message["text"] = text
                if text.startswith("/"):
                    command = text.split()[0]
                    message["entities"] = [{"type": "bot_command", "offset": 0,
                                            "length": utf16_len(command)}]
            if document is not None:
                message["document"] = dict(document)
            if photo is not None:
                message["photo"] = _photo_sizes(photo)
            if caption is not None:
                message["caption"] = caption
            if reply_to_message_id is not None:
                message["reply_to_message"] = self._stored_message(user_id, reply_to_message_id)
            self._messages[(user_id, message["message_id"])] = message
            return self._push_update("message", message)

    def push_callback(self, user_id, data, message_id=None, language_code=None, first_name=None):
        """A press on an inline button; the query id is appended to callback_ids.

        The query carries the bot message `message_id` in that chat, else the last
        one the bot sent there, else an inaccessible message (date 0)."""
        with self._cond:
            query_id = str(4_000_000_000_000 + len(self._callback_ids))
            self._open_queries.add(query_id)
            self._callback_ids.append(query_id)
            query = {"id": query_id, "from": self._user(user_id, first_name, language_code, None),
                     "message": self._callback_message(user_id, message_id),
                     "chat_instance": "ci%d" % user_id, "data": data}
            return self._push_update("callback_query", query)

    def push_my_chat_member(self, user_id, status):
        """The user changed the bot's status in their chat ("kicked": blocked it).

        The old status is "member", or "kicked" when the new one is "member" (unblocked).
        This only tells the bot; block() is what makes sends fail."""
        with self._cond:
            old = "kicked" if status == "member" else "member"
            update = {"chat": self._chat(user_id),
                      "from": dict(self._users.get(user_id) or self._user(user_id, None, None, None)),
                      "date": int(time.time()),
                      "old_chat_member": self._bot_member(old),
                      "new_chat_member": self._bot_member(status)}
            return self._push_update("my_chat_member", update)

    def pending_updates(self):
        """How many pushed updates the bot has not confirmed yet (a later
        getUpdates offset confirms them, after the bot committed them)."""
        with self._cond:
            return len(self._pending)

    def add_file(self, content, file_name, mime_type, claimed_size=None):
        """Stores a file a user could send; returns its Document (for push_message).

        claimed_size makes Telegram state that size (a file too big for getFile,
        say) while serving the small `content`."""
        with self._cond:
            stored = self._store_file(bytes(content), file_name, mime_type, "documents")
            stored.claimed_size = claimed_size
            return stored.as_document()

    def _push_update(self, kind, payload):
        update = {"update_id": self._next_update_id, kind: payload}
        self._next_update_id += 1
        self._pending.append(_Pending(update))
        self._cond.notify_all()
        return copy.deepcopy(update)

    def _user(self, user_id, first_name, language_code, username):
        """The User object for a push (optional fields only when given), remembered for chats."""
        user = {"id": user_id, "is_bot": False, "first_name": first_name or "User%d" % user_id}
        if username is not None:
            user["username"] = username
        if language_code is not None:
            user["language_code"] = language_code
        self._users[user_id] = user
        return dict(user)

    def _chat(self, chat_id):
        if chat_id in self._groups:
            return dict(self._groups[chat_id])
        user = self._users.get(chat_id, {})
        chat = {"id": chat_id, "type": "private", "first_name": user.get("first_name", "User%d" % chat_id)}
        if "username" in user:
            chat["username"] = user["username"]
        return chat

    def _bot_user(self):
        return {"id": self.bot_id, "is_bot": True, "first_name": BOT_FIRST_NAME, "username": BOT_USERNAME}

    def _bot_member(self, status):
        member = {"user": self._bot_user(), "status": status}
        if status == "kicked":
            member["until_date"] = 0  # forever
        return member

    def _next_message_id(self, chat_id):
        """Message ids count per chat, shared by the user's and the bot's messages."""
        self._message_ids[chat_id] = self._message_ids.get(chat_id, 0) + 1
        return self._message_ids[chat_id]

    def _stored_message(self, chat_id, message_id):
        message = self._messages.get((chat_id, message_id))
        if message is None:
            raise ValueError("no message %d in chat %d to reply to" % (message_id, chat_id))
        return copy.deepcopy(message)

    def _callback_message(self, chat_id, message_id):
        if message_id is None:
            message_id = self._last_bot_message.get(chat_id)
        message = self._messages.get((chat_id, message_id))
        if message is not None:
            return copy.deepcopy(message)
        # Telegram's InaccessibleMessage: the message is gone, or never existed.
        return {"chat": self._chat(chat_id), "message_id": message_id or 0, "date": 0}

    def _store_file(self, data, file_name, mime_type, folder):
        self._file_count += 1
        number = self._file_count
        extension = os.path.splitext(file_name or "")[1]
        stored = _StoredFile("BQACAgIAAxk-%06d" % number, "AgAD%04d" % number, file_name, mime_type,
                             data, "%s/file_%d%s" % (folder, number, extension))
        self._files[stored.file_id] = stored
        return stored

    # --- what the bot did ---

    @property
    def requests(self):
        """Every API request in arrival order, faulted and refused ones included."""
        with self._cond:
            return list(self._requests)

    @property
    def edits(self):
        """Successful editMessageText/editMessageReplyMarkup calls: their parameters plus
        "method", "text" (the message's visible text after the edit), "html" (the raw
        text, editMessageText only) and "reply_markup" (None when the keyboard is gone)."""
        with self._cond:
            return copy.deepcopy(self._edits)

    @property
    def callback_ids(self):
        """The ids of the callback queries pushed, in order."""
        with self._cond:
            return list(self._callback_ids)

    def calls(self, method):
        """Parameters of the `method` requests the fake carried out: answered ok, or
        still running (a long poll waiting). Refused and faulted requests are left out."""
        with self._cond:
            return [copy.deepcopy(r.params) for r in self._requests if r.method == method
                    and (r.running or (r.status == 200 and r.response and r.response["ok"]))]

    def sent_messages(self, chat_id=None):
        """Messages delivered by sendMessage: the parameters, with "text" the visible
        text, "html" the raw text, "message_id", and "reply_markup" (None without one)."""
        with self._cond:
            return [copy.deepcopy(m) for m in self._sent if chat_id is None or m["chat_id"] == chat_id]

    def menus(self):
        """The command menus as set last: {(scope type, chat_id or None, language
        code or ""): [command, ...]}, e.g. ("chat", 2001, "") for one chat's."""
        with self._cond:
            return copy.deepcopy(self._menus)

    def menu_for(self, chat_id):
        """The commands `chat_id` sees, as Telegram chooses: its chat scope (any
        language), else the default scope without a language."""
        with self._cond:
            own = [v for (kind, chat, _), v in self._menus.items()
                   if kind == "chat" and chat == chat_id]
            return list(own[-1] if own else self._menus.get(("default", None, ""), []))

    def documents(self, chat_id=None):
        """Documents delivered by sendDocument: the parameters plus "data", "filename",
        "content_type", "file_id", "message_id" and "caption" (visible; None without one)."""
        with self._cond:
            return [copy.deepcopy(d) for d in self._documents if chat_id is None or d["chat_id"] == chat_id]

    def wait_for(self, predicate, timeout=10, what="the condition"):
        """predicate(self) every 20 ms until it is truthy; returns its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate(self)
            if value:
                return value
            if time.monotonic() >= deadline:
                raise AssertionError(f"timed out after {timeout} s waiting for {what}")
            time.sleep(WAIT_STEP_S)

    # --- serving a request ---

    def _answer_http(self, target, content_type, body, client_gone):
        """The answer to one HTTP request, or None to close the connection unanswered.
        client_gone() tells whether the client has hung up meanwhile."""
        arrived = time.monotonic()
        url = urllib.parse.urlsplit(target)
        path = urllib.parse.unquote(url.path)
        download = _FILE_PATH.fullmatch(path)
        if download:
            return self._download(*download.groups())
        api = _API_PATH.fullmatch(path)
        if not api:
            return _json_answer(404, ApiError(404, "Not Found").envelope())
        token, method = api.groups()
        try:
            raw = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
            raw.update(_parse_body(content_type, body))
        except ApiError as error:
            return self._finish(self._record(method, {}, arrived), error.status, error.envelope())
        return self._api_call(token, method, raw, arrived, client_gone)

    def _api_call(self, token, method, raw, arrived, client_gone):
        """Route, validate, record, apply a queued fault, then run the method."""
        try:
            self._check_route(token, method)
        except ApiError as error:
            return self._finish(self._record(method, raw, arrived), error.status, error.envelope())
        params, invalid = _decoded(method, raw)
        record = self._record(method, params, arrived)
        fault = self._take_fault(method)
        if fault is not None and fault.kind != "slow":
            return self._fault_answer(record, fault)
        if fault is not None:
            time.sleep(fault.seconds)
        if invalid is not None:
            return self._finish(record, invalid.status, invalid.envelope())
        refusal = self._over_limit(method, params, arrived)
        if refusal is not None:
            return self._finish(record, refusal.status, refusal.envelope())
        return self._execute(record, client_gone)

    def _check_route(self, token, method):
        if token != self.token:
            raise ApiError(401, UNAUTHORIZED)
        if method not in _spec()["methods"]:
            raise ApiError(404, "Not Found")
        if method not in self._handlers:
            raise not_modeled("the method %s" % method)

    def _record(self, method, params, arrived):
        record = RecordedRequest(method, params, arrived)
        with self._cond:
            self._requests.append(record)
        return record

    def _execute(self, record, client_gone):
        """Runs the method with the lock held. Only the long poll, which may wait for
        seconds, needs to know whether its client is still there."""
        try:
            with self._cond:
                record.running = True
                if record.method == "getUpdates":
                    result = self._get_updates(record.params, client_gone)
                else:
                    result = self._handlers[record.method](record.params)
        except ApiError as error:
            return self._finish(record, error.status, error.envelope())
        except _ClientGone:
            self._settle(record, 499, None)
            return None
        return self._finish(record, 200, {"ok": True, "result": result})

    def _finish(self, record, status, envelope):
        self._settle(record, status, envelope)
        return _json_answer(status, envelope)

    def _settle(self, record, status, envelope):
        """Records how a request ended."""
        with self._cond:
            record.status = status
            record.response = envelope
            record.running = False

    def _download(self, token, file_path):
        """GET /file/bot<token>/<file_path>: the bytes of a stored file."""
        if token != self.token:
            return _json_answer(401, ApiError(401, UNAUTHORIZED).envelope())
        with self._cond:
            stored = next((f for f in self._files.values() if f.file_path == file_path), None)
        if stored is None:
            return _json_answer(404, ApiError(404, "Not Found").envelope())
        return _Answer(200, stored.mime_type or "application/octet-stream", stored.data)

    # --- the methods (called with the lock held) ---

    def _delete_webhook(self, params):
        """There is never a webhook here; drop_pending_updates drops waiting updates,
        as Telegram does, so a bot that asks for it loses them in the tests too."""
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    def _get_me(self, params):
        return self._bot_user()

    def _get_updates(self, params, client_gone):
        """Long poll. Answers at once when an update is waiting, else waits up to
        `timeout` s for one. A newer getUpdates ends a waiting one with 409, as
        Telegram does. A poll whose client has gone (a stopped or killed bot)
        delivers nothing, so that its updates stay for the bot's successor."""
        self._set_allowed_updates(params.get("allowed_updates"))
        if "offset" in params:
            self._confirm(params["offset"])
        limit = min(max(params.get("limit", UPDATES_LIMIT), 1), UPDATES_LIMIT)
        deadline = time.monotonic() + min(max(params.get("timeout", 0), 0), LONG_POLL_CAP_S)
        self._poll_generation += 1
        generation = self._poll_generation
        self._cond.notify_all()
        while True:
            batch = self._deliverable(limit)
            remaining = deadline - time.monotonic()
            if batch or remaining <= 0 or self._stopping:
                break
            self._cond.wait(remaining)
            if generation != self._poll_generation:
                raise ApiError(409, POLL_CONFLICT)
        if batch and client_gone():
            raise _ClientGone()
        for pending in batch:
            pending.delivered = True
        return [copy.deepcopy(pending.update) for pending in batch]

    def _set_allowed_updates(self, allowed):
        """allowed_updates persists between calls; an empty list means the default set."""
        if allowed is None:
            return
        unknown = set(allowed) - _all_update_types()
        if unknown:
            raise bad_request('unknown update type "%s" in allowed_updates' % sorted(unknown)[0])
        self._allowed_updates = set(allowed) or _all_update_types() - OPT_IN_UPDATES

    def _confirm(self, offset):
        """Drops the updates an earlier answer carried whose id is below `offset`.

        An update not yet delivered stays even with a lower id: after a quiet week
        Telegram restarts ids lower than the offset a bot still holds."""
        self._pending = [p for p in self._pending
                         if not (p.delivered and p.update["update_id"] < offset)]

    def _deliverable(self, limit):
        """The first `limit` waiting updates; those of types the bot did not ask for
        are dropped, since Telegram never keeps them."""
        self._pending = [p for p in self._pending if _update_type(p.update) in self._allowed_updates]
        return self._pending[:limit]

    def _set_my_commands(self, params):
        _check_commands(params["commands"])
        language = params.get("language_code", "")
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise bad_request("LANG_CODE_INVALID")
        scope = params.get("scope") or {"type": "default"}
        if scope["type"] == "chat" and not isinstance(scope.get("chat_id"), int):
            raise bad_request("chat not found")
        key = (scope["type"], scope.get("chat_id"), language)
        self._menus[key] = [c["command"] for c in params["commands"]]
        return True

    def _target_chat(self, params):
        """The private chat (or a group the tests made) a call addresses; 403
        when its user blocked the bot, 400 with migrate_to_chat_id for a group
        that became a supergroup."""
        chat_id = params["chat_id"]
        if isinstance(chat_id, int) and chat_id in self._migrated:
            raise ApiError(400, MIGRATED, {"migrate_to_chat_id": self._migrated[chat_id]})
        if isinstance(chat_id, int) and chat_id in self._groups:
            return chat_id
        if not isinstance(chat_id, int) or chat_id <= 0:
            raise bad_request("chat not found")
        if chat_id in self._blocked:
            raise ApiError(403, BLOCKED)
        return chat_id

    def _deliver(self, chat_id, content, markup):
        """Stores a new bot message in the chat; returns the Message Telegram answers with."""
        message = {"message_id": self._next_message_id(chat_id), "from": self._bot_user(),
                   "chat": self._chat(chat_id), "date": int(time.time())}
        message.update(content)
        if markup is not None:
            message["reply_markup"] = markup
        self._messages[(chat_id, message["message_id"])] = message
        self._last_bot_message[chat_id] = message["message_id"]
        return copy.deepcopy(message)

    def _send_message(self, params):
        chat_id = self._target_chat(params)
        text, entities = _formatted(params, "text")
        _check_text_length(text)
        message = self._deliver(chat_id, _content("text", text, entities),
                                _inline_markup(params.get("reply_markup")))
        self._sent.append(dict(params, text=text, html=params["text"], message_id=message["message_id"],
                               reply_markup=params.get("reply_markup")))
        return message

    def _input_file(self, value, folder):
        """The file a send names: a fresh upload, or the file_id of a stored one."""
        if isinstance(value, Upload):
            return self._store_file(value["data"], value["filename"], value["content_type"], folder)
        stored = self._files.get(value)
        if stored is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        return stored

    def _send_document(self, params):
        chat_id = self._target_chat(params)
        stored = self._input_file(params["document"], "documents")
        content = dict(_caption(params), document=stored.as_document())
        message = self._deliver(chat_id, content, _inline_markup(params.get("reply_markup")))
        self._documents.append(dict(params, data=stored.data, filename=stored.file_name,
                                    content_type=stored.mime_type, file_id=stored.file_id,
                                    caption=message.get("caption"), message_id=message["message_id"]))
        return message

    def _send_photo(self, params):
        chat_id = self._target_chat(params)
        stored = self._input_file(params["photo"], "photos")
        content = dict(_caption(params), photo=stored.as_photo())
        return self._deliver(chat_id, content, _inline_markup(params.get("reply_markup")))

    def _editable(self, params):
        """The stored bot message an edit addresses."""
        if "inline_message_id" in params:
            raise not_modeled("inline messages")
        for name in ("chat_id", "message_id"):
            if name not in params:
                raise bad_request("%s is required" % name)
        chat_id = self._target_chat(params)
        message = self._messages.get((chat_id, params["message_id"]))
        if message is None:
            raise bad_request("message to edit not found")
        if message["from"]["id"] != self.bot_id:
            raise bad_request("message can't be edited")
        return message

    def _edit_message_text(self, params):
        if "rich_message" in params:
            raise not_modeled("rich messages")
        if "text" not in params:
            raise bad_request("text is required")
        message = self._editable(params)
        if "text" not in message:
            raise bad_request("there is no text in the message to edit")
        text, entities = _formatted(params, "text")
        _check_text_length(text)
        return self._apply_edit("editMessageText", params, message,
                                ("text", "entities"), _content("text", text, entities))

    def _edit_message_reply_markup(self, params):
        return self._apply_edit("editMessageReplyMarkup", params, self._editable(params), (), {})

    def _apply_edit(self, method, params, message, replaced, content):
        """Replaces the `replaced` parts and the keyboard (absent: removed, as in
        Telegram) unless nothing would change."""
        before = {key: message[key] for key in EDITABLE if key in message}
        after = {key: value for key, value in before.items()
                 if key not in replaced and key != "reply_markup"}
        after.update(content)
        markup = _inline_markup(params.get("reply_markup"))
        if markup is not None:
            after["reply_markup"] = markup
        if after == before:
            raise bad_request(NOT_MODIFIED)
        for key in EDITABLE:
            message.pop(key, None)
        message.update(after)
        message["edit_date"] = int(time.time())
        edit = dict(params, method=method, text=message.get("text", message.get("caption")),
                    reply_markup=markup)
        if "text" in params:
            edit["html"] = params["text"]
        self._edits.append(edit)
        return copy.deepcopy(message)

    def _delete_message(self, params):
        chat_id = self._target_chat(params)
        if self._messages.pop((chat_id, params["message_id"]), None) is None:
            raise bad_request("message to delete not found")
        return True

    def _send_chat_action(self, params):
        self._target_chat(params)
        if params["action"] not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    def _answer_callback_query(self, params):
        """Each query may be answered once, while Telegram still knows it."""
        query_id = params["callback_query_id"]
        if query_id not in self._open_queries:
            raise bad_request(QUERY_TOO_OLD)
        if utf16_len(params.get("text", "")) > CALLBACK_ANSWER_LIMIT:
            raise bad_request("MESSAGE_TOO_LONG")
        self._open_queries.discard(query_id)
        return True

    def _get_file(self, params):
        stored = self._files.get(params["file_id"])
        if stored is None:
            raise bad_request("invalid file_id")
        if stored.size > GETFILE_LIMIT:
            raise bad_request(FILE_TOO_BIG)
        return stored.as_file()
