/* slots: whether a proposed time for an assisted login session
 * ("pendampingan") can be offered. The Kasi proposes slots to an applicant
 * agency; each slot is a span of time in which one Pelaksana sits with the
 * agency's new certificate holders for their first login.
 *
 * A slot is acceptable when it lies ahead, lasts SLOT_MIN_MINUTES to
 * SLOT_MAX_MINUTES, falls on a working day, fits whole inside one office
 * span of that day (so not across the lunch break, and not past closing),
 * and does not overlap another session of the same Pelaksana. Sessions of
 * different Pelaksana may overlap: they are different people.
 *
 * Promises:
 * - Pure: no I/O, no globals, no clock; "now" is passed in. Times are int64
 *   ms since the epoch (UTC); office time and the working days are those of
 *   the struct cal given (office_calendar.h), in WIB.
 * - Intervals are half-open, [start, end): a session ending at 10:00 and one
 *   starting at 10:00 touch and do not overlap, and a slot may end exactly at
 *   the end of an office span (11:00-12:00 on a Monday is fine).
 *
 * Errors and verdicts: slot_check returns 0 for an acceptable slot, a
 * positive enum slot_problem when the slot is refused (a verdict to show the
 * Kasi, not an error), or -EINVAL for a bad argument. The problems are
 * tested in the order they are listed below, so one slot gets one answer:
 * the first thing to fix. slot_parse_local returns 0 or -EINVAL.
 *
 * Ownership: nothing is allocated; *conflict points into the caller's
 * `existing` array. */
#ifndef SERTIBOT_SLOTS_H
#define SERTIBOT_SLOTS_H

#include <stddef.h>
#include <stdint.h>

#include "office_calendar.h"

#define SLOT_MIN_MINUTES 15
#define SLOT_MAX_MINUTES 240

struct slot {
    int64_t id;           /* the session's id; 0 for one not stored yet */
    int64_t pelaksana_id; /* the staff officer who runs it */
    int64_t start_ms;     /* [start_ms, end_ms), ms since the epoch, UTC */
    int64_t end_ms;
};

/* Why a slot is refused, in the order slot_check tests them. Positive, so
 * they never mix with the negative errno codes. */
enum slot_problem {
    SLOT_OK = 0,
    SLOT_IN_PAST = 1,       /* starts before now */
    SLOT_TOO_SHORT = 2,     /* under SLOT_MIN_MINUTES (an end not after the start too) */
    SLOT_TOO_LONG = 3,      /* over SLOT_MAX_MINUTES */
    SLOT_HOLIDAY = 4,       /* the start's day is not a working day: weekend or holiday */
    SLOT_OUTSIDE_HOURS = 5, /* [start, end) is not inside one office span of that day */
    SLOT_OVERLAP = 6,       /* the same Pelaksana has another session then */
};

/* Checks `candidate` against the calendar, the time `now_ms` and the
 * sessions already booked (`existing`, any order, any Pelaksana; may be NULL
 * when existing_count is 0). An existing slot with the candidate's own
 * nonzero id is its current booking, being moved, and never conflicts with
 * it. On SLOT_OVERLAP, *conflict (if `conflict` is not NULL) points at the
 * clashing session, the one that starts first if several do; otherwise it
 * is set to NULL. -EINVAL for a NULL cal or candidate, existing NULL with a
 * nonzero count, or a candidate time outside CAL_TIME_MIN .. CAL_TIME_MAX. */
int slot_check(const struct cal *cal, const struct slot *candidate, const struct slot *existing,
               size_t existing_count, int64_t now_ms, const struct slot **conflict);

/* A stable key for each problem, for locale lookup: "in_past", "too_short",
 * "too_long", "holiday", "outside_hours", "overlap"; NULL for 0 and anything
 * else. */
const char *slot_problem_name(int problem);

/* A start typed by a person, local WIB time: "2026-12-03 09:00". Also taken:
 * spaces around it and between date and time, a one-digit hour
 * ("2026-12-03 9:00") and a dot between hour and minute as Indonesian
 * writes it ("2026-12-03 09.00"). No seconds: slots are set to the minute.
 * The date must be real (cal_local_parse's rules). 0, or -EINVAL with
 * *start_ms unchanged. */
int slot_parse_local(const char *text, int64_t *start_ms);

#endif
