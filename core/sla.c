#include "sla.h"

void sla_policy_default(struct sla_policy *policy)
{
    *policy = (struct sla_policy){
        .thresholds = { 50, 75 },
        .threshold_count = 2,
        .repeat_minutes = 60,
        .short_step_minutes = 60,
    };
}

bool sla_stage_tells_superior(const struct sla_policy *p, int stage)
{
    return stage >= 1 || sla_stage_is_deadline(p, stage);
}

int64_t sla_stage_minutes(const struct sla_policy *p, int standard_minutes, int stage)
{
    if (stage < p->threshold_count)
        /* rounded down to the minute: a reminder a few seconds early is harmless */
        return (int64_t)standard_minutes * p->thresholds[stage] / 100;
    return standard_minutes + (int64_t)(stage - p->threshold_count) * p->repeat_minutes;
}

/* Office time paused, in whole minutes, rounded up: the deadline moves by at
 * least the pause. */
static int64_t paused_minutes(int64_t paused_ms)
{
    return (paused_ms + CAL_MINUTE_MS - 1) / CAL_MINUTE_MS;
}

int64_t sla_deadline(const struct cal *cal, int64_t started_ms, int standard_minutes,
                     int64_t paused_ms)
{
    return cal_add_office_minutes(cal, started_ms, standard_minutes + paused_minutes(paused_ms));
}

int64_t sla_stage_send_at(const struct cal *cal, const struct sla_policy *p, int64_t started_ms,
                          int standard_minutes, int64_t paused_ms, int stage)
{
    if (stage < 0 || (sla_stage_after_deadline(p, stage) && p->repeat_minutes <= 0))
        return CAL_NEVER;
    int64_t minutes = sla_stage_minutes(p, standard_minutes, stage) + paused_minutes(paused_ms);
    int64_t due = cal_add_office_minutes(cal, started_ms, minutes);
    if (due == CAL_NEVER || standard_minutes < p->short_step_minutes)
        return due;
    return cal_next_office_moment(cal, due);
}

int sla_first_stage_after(const struct cal *cal, const struct sla_policy *p, int64_t started_ms,
                          int standard_minutes, int64_t paused_ms, int64_t now_ms)
{
    int stage = 0;
    /* A walk, bounded: a step restarted after many overdue repeats is rare,
     * and each look is a few calendar steps. */
    for (; stage < p->threshold_count + 1 + 10000; stage++) {
        int64_t at = sla_stage_send_at(cal, p, started_ms, standard_minutes, paused_ms, stage);
        if (at == CAL_NEVER || at > now_ms)
            return stage;
    }
    return stage;
}
