#!/usr/bin/env python3
"""Every locale key the C sources name exists in both catalogs.

Reads every .c and .h under core/, bot/, db/ and handlers/ (comments
dropped) and checks:
 - each string literal shaped like a catalog key ("case.refused", with a
   first part some catalog key also starts with) is a key of locales/id.json
   and locales/en.json;
 - each key built at run time (a literal like "prompt.note.%s") belongs to a
   family listed below: either expanded by tests/unit/test_locale_keys.c from
   the code's own tables (the workflow's states and events, roles, ...), or
   expanded here from the values the sources give it, or named as not a
   locale key with the reason. A new family fails until it is listed, so no
   key built at run time goes unchecked.
Exit 0 when all is well, 1 naming each problem.
Usage: locale_keys.py SOURCE_DIR
"""
import json
import re
import sys
from pathlib import Path

SOURCE_DIRS = ("core", "bot", "db", "handlers")
KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
CONVERSION = re.compile(r"%[-+ #0-9.*]*(?:z|l|ll|h)?[sdiu]")
FAMILY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]*|%[-+ #0-9.*]*(?:z|l|ll|h)?[sdiu])+$")

# Expanded, with the values the code itself gives them, by test_locale_keys.c.
CHECKED_IN_C = {
    "state.%s", "event.%s", "button.%s", "button.bsre_reply.%s", "prompt.note.%s",
    "outcome.%s", "milestone.%s", "role.%s", "role_short.%s", "start.can.%s",
    "plh.role.%s", "sheet.role.%s", "month.%d", "letter.month.%d", "schedule.weekday.%d",
    "instruction.%zu", "check_item.%zu", "holidays.kind.%s", "letters.kind.%s",
    "letters.addressee.%s", "schedule.remind.%s", "schedule.problem.%s", "sifat.%s",
    "ask.%s", "button.dispose_default.%s", "card_reply.ask.%s",
    "revoke.reason.%s", "revoke.told.%s", "help_req.what.%s", "help_req.told.%s",
}

# Literals shaped like keys that are config paths, named in error messages.
NOT_KEYS = {"pks.number", "letter.head", "letter.number_format", "letter.classification"}

# Built at run time but not locale keys, or optional by design.
NOT_REQUIRED = {
    "email.%s": "a config path in an error message (bot/config.c)",
    "mail.%s.down_since": "a row of the kv table (handlers/mail_health.c)",
    "mail.%s.error": "a row of the kv table (handlers/mail_health.c)",
    "event.%s.%s": "optional wording for an event ending in a state; falls back to event.%s",
    "button.%s.%s": "optional label for an event in a state; falls back to button.%s",
}


def strip_comments(text):
    """C text with comments blanked out and string literals kept."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
            out.append(" ")
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
INCLUDE = re.compile(r'^\s*#\s*include\b.*$', re.M)


def sources(root):
    for d in SOURCE_DIRS:
        for path in sorted((root / d).rglob("*")):
            if path.suffix in (".c", ".h"):
                text = strip_comments(path.read_text(encoding="utf-8"))
                yield path, INCLUDE.sub("", text)


def values_in(text, pattern):
    return set(re.findall(pattern, text))


def table_in(text, name):
    """The strings of `static const char *const <name>[] = { ... };`."""
    m = re.search(re.escape(name) + r"\s*\[[^\]]*\]\s*=\s*\{([^}]*)\}", text)
    return set(LITERAL.findall(m.group(1))) if m else set()


def function_body(text, name):
    """The body of the function `name` defined in `text` ("" if not found)."""
    m = re.search(r"\b" + re.escape(name) + r"\([^;{)]*\)\s*\{(.*?)\n\}", text, re.S)
    return m.group(1) if m else ""


def expanded_here(root, texts):
    """Families whose values this script reads from the sources."""
    def text(rel):
        return texts.get(rel, "")
    every = "\n".join(texts.values())
    body = function_body(text("handlers/apply.c"), "apply_pks_problem")
    return {
        # The admins' version of the PKS warning: "<problem>_admin", where the
        # problem is a key apply_pks_problem returns.
        "%s_admin": values_in(body, r'"([a-z_.]+)"'),
        # Every command a handler entry shows in the menu and /help.
        "cmd.%s": {m.group(1) for block in re.findall(r"\{[^{}]*\}", every)
                   if re.search(r"\.in_menu\s*=\s*true", block)
                   for m in [re.search(r'\.command_id\s*=\s*"([a-z_]+)"', block)] if m},
        # The intake's stages (handlers/apply.c); the last, "confirm", is
        # asked by ask_confirm with keys of its own.
        "intake.ask.%s": table_in(text("handlers/apply.c"), "stage_names") - {"confirm"},
        # The session report's questions (handlers/case_card.c, case_action.c).
        "report.%s": table_in(text("handlers/case_card.c"), "items"),
        # The mail services (handlers/mail_health.c).
        "inbox.service.%s": table_in(text("handlers/mail_health.c"), "SERVICES"),
        # What a refused action lacks: the workflow's missing(m, "...") and
        # its refusals for a missing note; "unknown" when it names nothing.
        "missing.%s": values_in(text("core/workflow.c"), r'missing\(\s*\w+\s*,\s*"([a-z_]+)"\s*\)')
        | values_in(text("core/workflow.c"), r'WF_ERR_PRECONDITION\s*,\s*"([a-z_]+)"')
        | {"unknown"},
        # The register's statuses (db/db_certificates.c), the labels of
        # /sertifikat, its CSV and whoever shows a register row.
        "cert.status.%s": table_in(text("db/db_certificates.c"), "status_names"),
        # The document shown with a step's card (handlers/case_card.c).
        "file.%s": values_in(function_body(text("handlers/case_card.c"), "step_document"),
                             r'return\s+"([a-z_]+)"'),
    }


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    catalogs = {lang: json.loads((root / "locales" / f"{lang}.json").read_text(encoding="utf-8"))
                for lang in ("id", "en")}
    prefixes = {k.split(".")[0] for k in catalogs["id"]}
    problems = []

    def need(key, where):
        for lang, cat in catalogs.items():
            if key not in cat:
                problems.append(f"{where}: locales/{lang}.json has no key \"{key}\"")

    texts, families, literal_count = {}, {}, 0
    for path, text in sources(root):
        rel = path.relative_to(root).as_posix()
        texts[rel] = text
        for m in LITERAL.finditer(text):
            s = m.group(1)
            line = text.count("\n", 0, m.start()) + 1
            if s.split(".")[0].split("%")[0] not in prefixes:
                continue
            if CONVERSION.search(s):
                if FAMILY.match(s) and "." in s.split("%")[0]:
                    families.setdefault(s, f"{rel}:{line}")
            elif KEY.match(s) and s not in NOT_KEYS:
                literal_count += 1
                need(s, f"{rel}:{line}")

    here = expanded_here(root, texts)
    for family, where in sorted(families.items()):
        if family in CHECKED_IN_C or family in NOT_REQUIRED:
            continue
        if family not in here:
            problems.append(f"{where}: the key family \"{family}\" is not checked: expand it in "
                            "tests/unit/test_locale_keys.c or tests/locale/locale_keys.py")
            continue
    for family, values in sorted(here.items()):
        if not values:
            problems.append(f"{family}: no values found in the sources (did the code move?)")
        for v in sorted(values):
            need(CONVERSION.sub(v, family, count=1), f"family {family}")

    for p in problems:
        print(p)
    print(f"{literal_count} literal keys, {len(families)} families "
          f"({sum(len(v) for v in here.values())} keys expanded here), {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
