/* sla: when a step's reminders fall due. The SOP gives each step a time
 * standard; the holder is reminded at fractions of it (by default 50% and
 * 75%), both holder and superior at the deadline, and then again every
 * repeat interval until the step ends. All of it in office time.
 *
 * Pure: no I/O, no clock; times are ms since the epoch, durations office
 * minutes, and the calendar (office_calendar.h) says what office time is. */
#ifndef SERTIBOT_SLA_H
#define SERTIBOT_SLA_H

#include <stdbool.h>
#include <stdint.h>

#include "office_calendar.h"

#define SLA_MAX_THRESHOLDS 4

struct sla_policy {
    int thresholds[SLA_MAX_THRESHOLDS]; /* percent of the standard, ascending, each 1..99 */
    int threshold_count;
    int repeat_minutes;                 /* office minutes between reminders after the deadline */
    int short_step_minutes;             /* a step this short is reminded when due, even at a
                                           span's end; longer ones wait for office hours */
};

/* 50% and 75%, then hourly after the deadline; steps under an hour are short. */
void sla_policy_default(struct sla_policy *policy);

/* Stage 0..threshold_count-1 are the thresholds, threshold_count is the
 * deadline, and every stage after it a repeat. */
static inline bool sla_stage_is_deadline(const struct sla_policy *p, int stage)
{
    return stage == p->threshold_count;
}
static inline bool sla_stage_after_deadline(const struct sla_policy *p, int stage)
{
    return stage > p->threshold_count;
}
/* Whether the superior is told too: from the second stage on (75% by
 * default), and always at and after the deadline. */
bool sla_stage_tells_superior(const struct sla_policy *p, int stage);

/* The office minutes into the step at which `stage` falls due. */
int64_t sla_stage_minutes(const struct sla_policy *p, int standard_minutes, int stage);

/* When `stage` of a clock that started at `started_ms` with `standard_minutes`
 * and has spent `paused_ms` of office time paused should be sent: its due
 * instant in office time, moved to the next office moment unless the step is
 * short (a reminder never pings anyone at night). CAL_NEVER if never. */
int64_t sla_stage_send_at(const struct cal *cal, const struct sla_policy *p, int64_t started_ms,
                          int standard_minutes, int64_t paused_ms, int stage);

/* The deadline of such a clock (the instant the standard is used up). */
int64_t sla_deadline(const struct cal *cal, int64_t started_ms, int standard_minutes,
                     int64_t paused_ms);

/* The first stage whose send time is after `now_ms` — where a clock that
 * (re)starts at `now_ms` picks up, so no reminder is sent for a moment
 * already past and none is skipped that is still ahead. */
int sla_first_stage_after(const struct cal *cal, const struct sla_policy *p, int64_t started_ms,
                          int standard_minutes, int64_t paused_ms, int64_t now_ms);

#endif
