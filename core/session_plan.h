/* session_plan: when the bot speaks by itself about a confirmed assisted
 * login session (pendampingan): the reminders to the applicant and the
 * Pelaksana, and the question to the Pelaksana for the step-7 report.
 *
 * The stages, in order:
 *   SESSION_STAGE_DAY_BEFORE   the start of office hours on the last working
 *                              day before the session's day (a Monday
 *                              session is reminded on Friday morning);
 *   SESSION_STAGE_HOUR_BEFORE  SESSION_PLAN_HOUR_MINUTES before the start;
 *   SESSION_STAGE_ASK_REPORT   at the end of the slot: the Pelaksana is asked
 *                              for the report (or "the applicant did not come");
 *   SESSION_STAGE_DONE         nothing more.
 *
 * A session stores the stage it waits for and that stage's moment (its
 * "next due"); the scheduler sends what is due and moves the stage in the
 * same transaction, so a restart neither repeats nor loses one.
 *
 * Promises:
 * - Pure: no I/O, no globals, no clock; times are ms since the epoch (UTC),
 *   office days and hours those of the struct cal given, in WIB.
 * - A plan made at `now` never schedules a moment already past: a session
 *   confirmed at 10:00 for tomorrow gets no "day before" reminder (that
 *   moment was 07:30 today), one confirmed 30 minutes ahead no "hour before".
 * - After a stop, only the latest stage already due is sent: a bot that was
 *   down across both reminders sends the hour-before one, not a burst.
 *
 * - When the office calendar changes, a session's plan is made again from
 *   the stage it waits for (session_plan_again): a reminder already sent is
 *   never sent again; a "day before" whose new moment has passed (its day
 *   became the last working day, or a closure moved it earlier) goes at the
 *   next office moment if that still comes before the session's day, else
 *   it is skipped: late rather than never, but never at night, on a day off,
 *   or on the session's day itself.
 *
 * Errors: session_plan_first, session_plan_due and session_plan_again return
 * 0 or -EINVAL (NULL argument, an end not after the start, a stage out of
 * range). */
#ifndef SERTIBOT_SESSION_PLAN_H
#define SERTIBOT_SESSION_PLAN_H

#include <stdint.h>

#include "office_calendar.h"

#define SESSION_PLAN_HOUR_MINUTES 60
/* How far back the "day before" looks for a working day (a long holiday
 * week); beyond it the reminder is skipped. */
#define SESSION_PLAN_LOOKBACK_DAYS 14

enum session_stage {
    SESSION_STAGE_DAY_BEFORE = 0,
    SESSION_STAGE_HOUR_BEFORE = 1,
    SESSION_STAGE_ASK_REPORT = 2,
    SESSION_STAGE_DONE = 3,
};

/* "day_before", "hour_before", "ask_report"; NULL otherwise (DONE too). */
const char *session_stage_name(int stage);

/* The moment of `stage` for a session [start_ms, end_ms); CAL_NEVER when the
 * stage has none (no working day within the lookback, DONE, or a bad stage). */
int64_t session_stage_at(const struct cal *cal, int64_t start_ms, int64_t end_ms, int stage);

/* The plan of a session (newly confirmed, or moved) at `now_ms`: the first
 * stage whose moment is after now, and that moment. *stage is
 * SESSION_STAGE_DONE and *due_ms 0 when nothing is left. */
int session_plan_first(const struct cal *cal, int64_t start_ms, int64_t end_ms, int64_t now_ms,
                       int *stage, int64_t *due_ms);

/* A session waiting for `stage` at `now_ms`: *send is the stage to send now
 * (the latest one due, from `stage` on; -1 if none is due yet), and
 * *next_stage / *next_due_ms what it waits for after that (DONE and 0 when
 * nothing is left). */
int session_plan_due(const struct cal *cal, int64_t start_ms, int64_t end_ms, int stage,
                     int64_t now_ms, int *send, int *next_stage, int64_t *next_due_ms);

/* A session waiting for `stage` at `due_ms` (its stored "next due") planned
 * again at `now_ms` after the office calendar changed: *next_stage /
 * *next_due_ms is what it waits for now (a stage from `stage` on; DONE and
 * 0 when nothing is left). Only the "day before" depends on the calendar: a
 * later stage, or a "day before" whose moment did not change, is left as it
 * is, even one already due and not yet sent (a job in the quarantine). See
 * the promises above for a "day before" whose new moment has passed. */
int session_plan_again(const struct cal *cal, int64_t start_ms, int64_t end_ms, int stage,
                       int64_t due_ms, int64_t now_ms, int *next_stage, int64_t *next_due_ms);

#endif
