/* ics: the iCalendar writer; see ics.h for the contract.
 *
 * The event is checked whole before anything is written, so -EINVAL never
 * leaves half a file behind. Each content line is then built unfolded in a
 * scratch buffer and folded as it is copied to the output: folding has to
 * count the octets of the finished line (name, parameters and escaped value
 * together), which is only known once the line is complete. */
#include "ics.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "office_calendar.h"
#include "utf8.h"

/* --- checking the event --------------------------------------------------- */

static bool text_required(const char *s)
{
    return s && *s && utf8_valid(s);
}

static bool text_optional(const char *s)
{
    return !s || utf8_valid(s);
}

/* An address that can follow "mailto:" as it is: one '@' with something on
 * both sides, and none of the characters that would end the value, open a
 * parameter or need percent-encoding in a mailto URI. */
static bool email_valid(const char *s)
{
    if (!utf8_valid(s))
        return false;
    const char *at = strchr(s, '@');
    if (!at || at == s || !at[1] || strchr(at + 1, '@'))
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p <= 0x20 || *p == 0x7f || strchr("\",;:<>", *p))
            return false;
    }
    return true;
}

static bool person_valid(const struct ics_person *p)
{
    return text_required(p->name) && (!p->email || !*p->email || email_valid(p->email));
}

/* Start and end are written in WIB, so both must have a four-digit local
 * year; DTSTAMP is written in UTC, so it must not be before 1970 UTC. */
static bool event_valid(const struct ics_event *e)
{
    if (!text_required(e->uid) || !text_required(e->summary) ||
        !text_optional(e->description) || !text_optional(e->location))
        return false;
    if (e->sequence < 0 || (e->method != ICS_REQUEST && e->method != ICS_CANCEL))
        return false;
    if (e->start_ms < CAL_TIME_MIN || e->start_ms >= CAL_TIME_MAX ||
        e->end_ms < CAL_TIME_MIN || e->end_ms >= CAL_TIME_MAX || e->end_ms <= e->start_ms)
        return false;
    if (e->dtstamp_ms < 0 || e->dtstamp_ms >= CAL_TIME_MAX)
        return false;
    if (!person_valid(&e->organizer))
        return false;
    if (e->attendees_count && !e->attendees)
        return false;
    for (size_t i = 0; i < e->attendees_count; i++) {
        if (!person_valid(&e->attendees[i]))
            return false;
    }
    return true;
}

/* --- content lines -------------------------------------------------------- */

/* Copies the finished line in `line` to `out`, folded: the first piece holds
 * up to ICS_LINE_MAX octets, each later piece a space and up to one octet
 * fewer, and a piece never ends in front of a UTF-8 continuation byte, so no
 * character is split across lines. Clears `line` for the next one. */
static void line_end(struct buf *out, struct buf *line)
{
    const unsigned char *s = (const unsigned char *)line->data;
    size_t n = line->failed ? 0 : line->len;
    size_t pos = 0;
    bool first = true;
    if (line->failed)
        out->failed = true;
    while (pos < n) {
        size_t room = first ? ICS_LINE_MAX : ICS_LINE_MAX - 1;
        size_t take = n - pos;
        if (take > room) {
            take = room;
            /* back up to a character boundary: the text is valid UTF-8
             * (checked with utf8_valid before it was written) */
            take = utf8_prefix((const char *)s + pos, n - pos, room);
        }
        if (!first)
            buf_put(out, " ", 1);
        buf_put(out, s + pos, take);
        buf_put(out, "\r\n", 2);
        pos += take;
        first = false;
    }
    line->len = 0;
}

/* A whole line that needs no escaping ("BEGIN:VEVENT"). */
static void put_line(struct buf *out, struct buf *line, const char *text)
{
    buf_puts(line, text);
    line_end(out, line);
}

/* A TEXT value, escaped as RFC 5545 3.3.11 asks. */
static void put_text(struct buf *line, const char *s)
{
    for (; *s; s++) {
        char c = *s;
        if (c == '\\' || c == ';' || c == ',') {
            char esc[2] = { '\\', c };
            buf_put(line, esc, 2);
        } else if (c == '\r' || c == '\n') {
            if (c == '\r' && s[1] == '\n')
                s++;
            buf_put(line, "\\n", 2);
        } else if (c != '\t' && ((unsigned char)c < 0x20 || c == 0x7f)) {
            buf_put(line, " ", 1);
        } else {
            buf_put(line, &c, 1);
        }
    }
}

/* "NAME:escaped text" */
static void put_text_line(struct buf *out, struct buf *line, const char *name, const char *value)
{
    buf_puts(line, name);
    buf_put(line, ":", 1);
    put_text(line, value);
    line_end(out, line);
}

/* A quoted parameter value: a quoted-string has no escape at all, so the one
 * character it cannot hold, the double quote, is written as a single quote,
 * and control characters (other than tab) as spaces. */
static void put_quoted(struct buf *line, const char *s)
{
    buf_put(line, "\"", 1);
    for (; *s; s++) {
        char c = *s;
        if (c == '"')
            c = '\'';
        else if (c != '\t' && ((unsigned char)c < 0x20 || c == 0x7f))
            c = ' ';
        buf_put(line, &c, 1);
    }
    buf_put(line, "\"", 1);
}

/* "ORGANIZER;CN="Name":mailto:a@b" or an ATTENDEE line like it. */
static void put_person(struct buf *out, struct buf *line, const char *prop, const char *params,
                       const struct ics_person *p)
{
    buf_puts(line, prop);
    buf_puts(line, ";CN=");
    put_quoted(line, p->name);
    buf_puts(line, params);
    if (p->email && *p->email) {
        buf_puts(line, ":mailto:");
        buf_puts(line, p->email);
    } else {
        buf_puts(line, ":invalid:nomail");
    }
    line_end(out, line);
}

/* "YYYYMMDDTHHMMSS" of `t_ms` in WIB, or with a trailing "Z" in UTC. The
 * caller has checked that the time shifted to that zone is not negative. */
static void put_time(struct buf *line, int64_t t_ms, bool utc)
{
    int64_t secs = (utc ? t_ms : t_ms + CAL_UTC_OFFSET_MS) / 1000;
    int64_t of_day = secs % 86400;
    int year, month, mday;
    cal_civil_from_days((int32_t)(secs / 86400), &year, &month, &mday);
    buf_printf(line, "%04d%02d%02dT%02d%02d%02d%s", year, month, mday, (int)(of_day / 3600),
               (int)(of_day / 60 % 60), (int)(of_day % 60), utc ? "Z" : "");
}

static void put_local_line(struct buf *out, struct buf *line, const char *name, int64_t t_ms)
{
    buf_puts(line, name);
    buf_puts(line, ";TZID=" ICS_TZID ":");
    put_time(line, t_ms, false);
    line_end(out, line);
}

/* --- the file ------------------------------------------------------------- */

/* Asia/Jakarta as it has been since 1964: WIB, UTC+7, no daylight saving. One
 * STANDARD rule from 1970 covers every time ics_event accepts. */
static void put_timezone(struct buf *out, struct buf *line)
{
    put_line(out, line, "BEGIN:VTIMEZONE");
    put_line(out, line, "TZID:" ICS_TZID);
    put_line(out, line, "BEGIN:STANDARD");
    put_line(out, line, "DTSTART:19700101T000000");
    put_line(out, line, "TZOFFSETFROM:+0700");
    put_line(out, line, "TZOFFSETTO:+0700");
    put_line(out, line, "TZNAME:WIB");
    put_line(out, line, "END:STANDARD");
    put_line(out, line, "END:VTIMEZONE");
}

static void put_event(struct buf *out, struct buf *line, const struct ics_event *e)
{
    bool cancel = e->method == ICS_CANCEL;
    put_line(out, line, "BEGIN:VEVENT");
    put_text_line(out, line, "UID", e->uid);
    buf_printf(line, "SEQUENCE:%d", e->sequence);
    line_end(out, line);
    buf_puts(line, "DTSTAMP:");
    put_time(line, e->dtstamp_ms, true);
    line_end(out, line);
    put_local_line(out, line, "DTSTART", e->start_ms);
    put_local_line(out, line, "DTEND", e->end_ms);
    put_text_line(out, line, "SUMMARY", e->summary);
    if (e->description && *e->description)
        put_text_line(out, line, "DESCRIPTION", e->description);
    if (e->location && *e->location)
        put_text_line(out, line, "LOCATION", e->location);
    put_person(out, line, "ORGANIZER", "", &e->organizer);
    for (size_t i = 0; i < e->attendees_count; i++)
        put_person(out, line, "ATTENDEE", ";ROLE=REQ-PARTICIPANT", &e->attendees[i]);
    put_line(out, line, cancel ? "STATUS:CANCELLED" : "STATUS:CONFIRMED");
    if (e->alarm && !cancel) {
        put_line(out, line, "BEGIN:VALARM");
        put_line(out, line, "ACTION:DISPLAY");
        put_text_line(out, line, "DESCRIPTION", e->summary);
        buf_printf(line, "TRIGGER:-PT%dM", ICS_ALARM_MINUTES);
        line_end(out, line);
        put_line(out, line, "END:VALARM");
    }
    put_line(out, line, "END:VEVENT");
}

int ics_event(const struct ics_event *e, char **out, size_t *size)
{
    if (out)
        *out = NULL;
    if (size)
        *size = 0;
    if (!e || !out || !size || !event_valid(e))
        return -EINVAL;

    struct buf file = { 0 };
    struct buf line = { 0 };
    put_line(&file, &line, "BEGIN:VCALENDAR");
    put_line(&file, &line, "VERSION:2.0");
    put_line(&file, &line, "PRODID:" ICS_PRODID);
    put_line(&file, &line, "CALSCALE:GREGORIAN");
    put_line(&file, &line, e->method == ICS_CANCEL ? "METHOD:CANCEL" : "METHOD:REQUEST");
    put_timezone(&file, &line);
    put_event(&file, &line, e);
    put_line(&file, &line, "END:VCALENDAR");
    free(line.data);

    if (file.failed) {
        free(file.data);
        return -ENOMEM;
    }
    *out = file.data;
    *size = file.len;
    return 0;
}
