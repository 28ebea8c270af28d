#!/usr/bin/python3
"""Reads one .ics file with an independent parser (Debian's python3-icalendar)
and prints what test_ics.c asserts on, one field a line, as "NAME value" with
the value JSON-encoded, so a line break inside a value cannot pass for the
end of the line and a stray backslash shows:

    UID "session-12@sertibot"
    SEQUENCE 1
    METHOD "REQUEST"
    STATUS "CONFIRMED"
    DTSTART "2026-12-03T09:00:00+07:00"
    DTEND "2026-12-03T10:30:00+07:00"
    SUMMARY "..."
    LOCATION "..."            (null when absent)
    DESCRIPTION "..."         (null when absent)
    ORGANIZER ["CN", "address"]
    ATTENDEE ["CN", "address"]   (one line each)
    ALARM -3600               (the trigger in seconds; null when no alarm)
    TZID "Asia/Jakarta"       (of the file's VTIMEZONE)

Exits non-zero, with the reason on stderr, if the file does not parse or
the parser reports an error in any component. Usage: ics_check.py FILE.
"""
import json
import sys

import icalendar


def text(value):
    return None if value is None else str(value)


def person(prop):
    return [text(prop.params.get("CN")), text(prop)]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: ics_check.py FILE")
    sys.stdout.reconfigure(encoding="utf-8")  # whatever the locale says
    with open(sys.argv[1], "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    for component in cal.walk():
        if getattr(component, "errors", None):
            sys.exit("parse errors in %s: %r" % (component.name, component.errors))
    events = cal.walk("VEVENT")
    zones = cal.walk("VTIMEZONE")
    if len(events) != 1 or len(zones) != 1:
        sys.exit("want one VEVENT and one VTIMEZONE, got %d and %d" % (len(events), len(zones)))
    ev = events[0]

    def out(name, value):
        print(name, json.dumps(value, ensure_ascii=False))

    out("UID", text(ev.get("UID")))
    out("SEQUENCE", int(ev.get("SEQUENCE")))
    out("METHOD", text(cal.get("METHOD")))
    out("STATUS", text(ev.get("STATUS")))
    out("DTSTART", ev.decoded("DTSTART").isoformat())
    out("DTEND", ev.decoded("DTEND").isoformat())
    out("SUMMARY", text(ev.get("SUMMARY")))
    out("LOCATION", text(ev.get("LOCATION")))
    out("DESCRIPTION", text(ev.get("DESCRIPTION")))
    out("ORGANIZER", person(ev["ORGANIZER"]))
    attendees = ev.get("ATTENDEE", [])
    if not isinstance(attendees, list):
        attendees = [attendees]
    for a in attendees:
        out("ATTENDEE", person(a))
    alarms = ev.walk("VALARM")
    out("ALARM", int(alarms[0].decoded("TRIGGER").total_seconds()) if alarms else None)
    out("TZID", text(zones[0].get("TZID")))


if __name__ == "__main__":
    main()
