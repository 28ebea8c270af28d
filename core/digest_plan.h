/* digest_plan: when the officials' daily digest goes out. Once a working
 * day, at the start of office hours (the start of the day's first working
 * span in the office calendar), each official with waiting work gets one
 * message listing it. Weekends, holidays, joint leave and closures have no
 * digest.
 *
 * The round of a day is done once: the caller keeps the last day done and
 * passes it in. A round missed while the bot was down is still made later
 * that day, while the office is open; after the day's office hours it is
 * skipped (the next working day's comes as usual).
 *
 * Pure: no I/O, no globals, no clock; times are ms since the epoch (UTC),
 * days are office_calendar.h day numbers (WIB). */
#ifndef SERTIBOT_DIGEST_PLAN_H
#define SERTIBOT_DIGEST_PLAN_H

#include <stdint.h>

#include "office_calendar.h"

/* How far ahead digest_next_at looks for a working day. */
#define DIGEST_LOOKAHEAD_DAYS 60
/* "No round done yet". */
#define DIGEST_NO_DAY (-1)

/* The start of office hours on `day`; CAL_NEVER when it is not a working day. */
int64_t digest_day_start(const struct cal *cal, int32_t day);
/* The end of office hours on `day` (its last span's end); CAL_NEVER likewise. */
int64_t digest_day_end(const struct cal *cal, int32_t day);

/* The day whose round is due at `now_ms`: today, when it is a working day,
 * its office hours have started and not ended, and `done_day` (the last day
 * whose round was made, or DIGEST_NO_DAY) is before it. DIGEST_NO_DAY when
 * none is due. */
int32_t digest_due_day(const struct cal *cal, int64_t now_ms, int32_t done_day);

/* When the next round is due, as of `now_ms`: `now_ms` itself when one is
 * due now, otherwise the start of office hours of the next working day
 * whose round is not done; CAL_NEVER when no working day comes within
 * DIGEST_LOOKAHEAD_DAYS. */
int64_t digest_next_at(const struct cal *cal, int64_t now_ms, int32_t done_day);

#endif
