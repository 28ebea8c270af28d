/* session_plan: the moments of a session's reminders; see session_plan.h. */
#include "session_plan.h"

#include <errno.h>
#include <stddef.h>

const char *session_stage_name(int stage)
{
    switch (stage) {
    case SESSION_STAGE_DAY_BEFORE:
        return "day_before";
    case SESSION_STAGE_HOUR_BEFORE:
        return "hour_before";
    case SESSION_STAGE_ASK_REPORT:
        return "ask_report";
    default:
        return NULL;
    }
}

/* The start of the first office span of the last working day before the
 * session's day: when people open their messages at work. */
static int64_t day_before_at(const struct cal *cal, int64_t start_ms)
{
    int32_t day = cal_day_of(start_ms);
    for (int back = 1; back <= SESSION_PLAN_LOOKBACK_DAYS && day - back >= 0; back++) {
        int32_t d = day - back;
        if (!cal_is_working_day(cal, d))
            continue;
        const struct cal_hours *hours = &cal->week[cal_weekday(d)];
        return cal_day_start(d) + hours->spans[0].start * CAL_MINUTE_MS;
    }
    return CAL_NEVER;
}

int64_t session_stage_at(const struct cal *cal, int64_t start_ms, int64_t end_ms, int stage)
{
    if (!cal)
        return CAL_NEVER;
    switch (stage) {
    case SESSION_STAGE_DAY_BEFORE:
        return day_before_at(cal, start_ms);
    case SESSION_STAGE_HOUR_BEFORE:
        return start_ms - SESSION_PLAN_HOUR_MINUTES * CAL_MINUTE_MS;
    case SESSION_STAGE_ASK_REPORT:
        return end_ms;
    default:
        return CAL_NEVER;
    }
}

/* The first stage from `from` on whose moment is after `after_ms`. */
static void next_after(const struct cal *cal, int64_t start_ms, int64_t end_ms, int from,
                       int64_t after_ms, int *stage, int64_t *due_ms)
{
    for (int s = from; s < SESSION_STAGE_DONE; s++) {
        int64_t at = session_stage_at(cal, start_ms, end_ms, s);
        if (at != CAL_NEVER && at > after_ms) {
            *stage = s;
            *due_ms = at;
            return;
        }
    }
    *stage = SESSION_STAGE_DONE;
    *due_ms = 0;
}

int session_plan_first(const struct cal *cal, int64_t start_ms, int64_t end_ms, int64_t now_ms,
                       int *stage, int64_t *due_ms)
{
    if (!cal || !stage || !due_ms || end_ms <= start_ms)
        return -EINVAL;
    next_after(cal, start_ms, end_ms, SESSION_STAGE_DAY_BEFORE, now_ms, stage, due_ms);
    return 0;
}

int session_plan_due(const struct cal *cal, int64_t start_ms, int64_t end_ms, int stage,
                     int64_t now_ms, int *send, int *next_stage, int64_t *next_due_ms)
{
    if (!cal || !send || !next_stage || !next_due_ms || end_ms <= start_ms || stage < 0 ||
        stage > SESSION_STAGE_DONE)
        return -EINVAL;
    *send = -1;
    for (int s = stage; s < SESSION_STAGE_DONE; s++) {
        int64_t at = session_stage_at(cal, start_ms, end_ms, s);
        if (at != CAL_NEVER && at <= now_ms)
            *send = s;
    }
    next_after(cal, start_ms, end_ms, *send >= 0 ? *send + 1 : stage, now_ms, next_stage,
               next_due_ms);
    return 0;
}

int session_plan_again(const struct cal *cal, int64_t start_ms, int64_t end_ms, int stage,
                       int64_t due_ms, int64_t now_ms, int *next_stage, int64_t *next_due_ms)
{
    if (!cal || !next_stage || !next_due_ms || end_ms <= start_ms || stage < 0 ||
        stage > SESSION_STAGE_DONE)
        return -EINVAL;
    *next_stage = stage;
    *next_due_ms = 0;
    if (stage == SESSION_STAGE_DONE)
        return 0;
    int64_t at = session_stage_at(cal, start_ms, end_ms, stage);
    if (stage != SESSION_STAGE_DAY_BEFORE || at == due_ms) {
        /* The later stages' moments do not depend on the calendar, nor did
         * this one change: one due and not yet sent stays due. */
        *next_due_ms = stage == SESSION_STAGE_DAY_BEFORE ? due_ms : at;
        return 0;
    }
    if (at != CAL_NEVER && at <= now_ms) {
        /* Nobody was reminded yet and the new moment has passed: at the
         * next office moment, if that is still before the session's day. */
        int64_t late = cal_next_office_moment(cal, now_ms);
        if (late != CAL_NEVER && late < cal_day_start(cal_day_of(start_ms))) {
            *next_due_ms = late;
            return 0;
        }
    }
    next_after(cal, start_ms, end_ms, stage, now_ms, next_stage, next_due_ms);
    return 0;
}
