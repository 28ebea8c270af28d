/* cert_schedule: when a certificate ends and when its holder's agency hears
 * of it (issue 14: renewal before expiry).
 *
 * Promises:
 * - Pure: no I/O, no globals, no clock; dates are WIB day numbers or
 *   "YYYY-MM-DD" text (office_calendar.h), instants int64 ms.
 * - A certificate is valid through its valid_until day and expired from the
 *   day after.
 * - The reminder `d` days before valid_until is due on that day, or, when the
 *   day is a weekend or holiday of `cal`, on the working day before, at the
 *   start of office hours.
 * - Reminders are sent nearest-last: after the one `d` days before, no
 *   farther one goes out; if several fell due while the bot was down, only
 *   the nearest goes out, once. None goes out after the end of validity.
 *
 * Errors: 0 or a negative errno (-EINVAL for a bad date or argument). */
#ifndef SERTIBOT_CERT_SCHEDULE_H
#define SERTIBOT_CERT_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "office_calendar.h"

/* to - from, in days; -EINVAL if either is not a date. */
int cert_days_between(const char *from, const char *to, int *days);
/* The last day of validity of a certificate issued on `issued` for
 * `validity_days` days: plain day counting, issue + validity_days (730 days
 * from 2026-03-10 is 2028-03-09, as 2028 is a leap year). -EINVAL for a bad
 * date or validity_days < 1. */
int cert_valid_until(const char *issued, int validity_days, char out[CAL_DATE_SIZE]);
/* True when `today` lies after `valid_until` (both day numbers). */
bool cert_expired(int32_t valid_until, int32_t today);

/* The day the reminder `days` before `valid_until` is due: that day, or the
 * working day before it when `cal` has the office closed (walking back at
 * most CAL_GIVE_UP_DAYS; a calendar with no working day keeps the day). */
int32_t cert_reminder_day(const struct cal *cal, int32_t valid_until, int days);
/* The instant it is due: the start of office hours on cert_reminder_day
 * (local midnight if the calendar has no office time then). */
int64_t cert_reminder_at(const struct cal *cal, int32_t valid_until, int days);

/* Which reminder is due at `now_ms` for a certificate ending `valid_until`,
 * given `remind_days` (strictly descending, `count` of them) and the nearest
 * one sent so far (`reminded_days`, 0: none). Sets *due_days to the reminder
 * to send now, or 0 when none is due. */
void cert_reminder_due(const struct cal *cal, int32_t valid_until, const int *remind_days,
                       size_t count, int reminded_days, int64_t now_ms, int *due_days);

#endif
