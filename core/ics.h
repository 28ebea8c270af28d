/* ics: one calendar event as an iCalendar (RFC 5545) file, the invitation to
 * an assisted login session ("pendampingan") that the bot sends as a .ics
 * document, so the applicant and the Pelaksana can add it to their calendars.
 *
 * The file is an iTIP message (RFC 5546): METHOD:REQUEST to invite or, sent
 * again with the same UID and a higher SEQUENCE, to move the session;
 * METHOD:CANCEL (with STATUS:CANCELLED) to call it off. Calendar apps match
 * the three by UID and keep the one with the highest SEQUENCE, so the UID
 * must stay the same for the life of a session ("session-12@sertibot") and
 * the sequence must grow by one at each reschedule and at the cancel.
 *
 * Promises:
 * - Pure: no I/O, no globals, no clock. The same event gives the same bytes;
 *   DTSTAMP is the caller's `dtstamp_ms`, never "now".
 * - Start and end are written as local WIB time with TZID=Asia/Jakarta, and
 *   the file carries its own VTIMEZONE for Asia/Jakarta (UTC+7 all year, no
 *   daylight saving), so a reader without a time zone database still places
 *   the session right. DTSTAMP is written in UTC ("...Z"). Times are written
 *   to the second; milliseconds are dropped.
 * - Every line ends in CRLF and no line is longer than 75 octets: longer
 *   lines are folded (CRLF and one space), never inside a UTF-8 character.
 * - TEXT values (summary, description, location, uid) are escaped: backslash,
 *   semicolon and comma get a backslash, a line break ("\n", "\r\n" or "\r")
 *   becomes "\n". A tab is kept; any other control character becomes a space,
 *   as RFC 5545 allows none in TEXT.
 * - Names go into a quoted CN parameter, where RFC 5545 has no escapes: a
 *   double quote in a name is written as a single quote, and control
 *   characters (line breaks too) as spaces.
 * - A person without an email is written as "invalid:nomail", the address
 *   other calendar services write when they know only a name (RFC 5545 wants
 *   some URI there); their CN still shows the name.
 * - The alarm (VALARM, ACTION:DISPLAY, 60 minutes before the start) is
 *   written only in a REQUEST: a cancelled session rings no bell.
 *
 * Errors: ics_event returns 0 or a negative errno code. -EINVAL: a NULL
 * argument or a NULL or empty required field; text that is not valid UTF-8;
 * an email that is not "local@domain" (something on both sides of one '@')
 * or has a space, a control character or one of '"' ',' ';' ':' '<' '>'; a
 * negative sequence; an unknown method; an end not after the start; a start
 * or end outside CAL_TIME_MIN .. CAL_TIME_MAX of office_calendar.h (years
 * 1970..9999 in WIB); a DTSTAMP before 1970-01-01 00:00 UTC or at or after
 * CAL_TIME_MAX. -ENOMEM.
 *
 * Ownership: the event's strings stay the caller's and are only read. */
#ifndef SERTIBOT_ICS_H
#define SERTIBOT_ICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ICS_TZID "Asia/Jakarta"
#define ICS_PRODID "-//Diskominfo Kota Bekasi//sertibot//ID"
#define ICS_LINE_MAX 75            /* octets of one line, CRLF excluded */
#define ICS_ALARM_MINUTES 60       /* the alarm rings this long before the start */

enum ics_method {
    ICS_REQUEST = 0, /* invite, or move (same UID, higher sequence) */
    ICS_CANCEL = 1,  /* call off: METHOD:CANCEL and STATUS:CANCELLED */
};

/* The organizer or one attendee. */
struct ics_person {
    const char *name;  /* shown as CN; required, not empty */
    const char *email; /* NULL or "" for none; otherwise becomes mailto:email */
};

struct ics_event {
    const char *uid;        /* required; the same for every version of a session */
    int sequence;           /* 0 for the first invitation, +1 on each change */
    enum ics_method method;
    int64_t start_ms;       /* ms since the epoch, UTC; written in WIB */
    int64_t end_ms;         /* after start_ms */
    int64_t dtstamp_ms;     /* when this version was made, written in UTC */
    const char *summary;    /* required */
    const char *description; /* NULL or "" for none */
    const char *location;   /* NULL or "" for none */
    struct ics_person organizer; /* required (name at least) */
    const struct ics_person *attendees; /* may be NULL when attendees_count is 0 */
    size_t attendees_count;
    bool alarm;             /* a display alarm ICS_ALARM_MINUTES before the start */
};

/* Writes the whole VCALENDAR for `e`. On success *out is a malloc'd,
 * NUL-terminated buffer of *size bytes (the NUL not counted) that the caller
 * frees with free(); on error *out is NULL and *size 0. */
int ics_event(const struct ics_event *e, char **out, size_t *size);

#endif
