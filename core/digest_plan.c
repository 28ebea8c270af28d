/* digest_plan: the moments of the officials' daily digest; see digest_plan.h. */
#include "digest_plan.h"

#include <stddef.h>

int64_t digest_day_start(const struct cal *cal, int32_t day)
{
    if (!cal || day < 0 || day > CAL_DAY_MAX || !cal_is_working_day(cal, day))
        return CAL_NEVER;
    const struct cal_hours *hours = &cal->week[cal_weekday(day)];
    return cal_day_start(day) + hours->spans[0].start * CAL_MINUTE_MS;
}

int64_t digest_day_end(const struct cal *cal, int32_t day)
{
    if (!cal || day < 0 || day > CAL_DAY_MAX || !cal_is_working_day(cal, day))
        return CAL_NEVER;
    const struct cal_hours *hours = &cal->week[cal_weekday(day)];
    return cal_day_start(day) + hours->spans[hours->count - 1].end * CAL_MINUTE_MS;
}

int32_t digest_due_day(const struct cal *cal, int64_t now_ms, int32_t done_day)
{
    int32_t today = cal_day_of(now_ms);
    if (done_day >= today)
        return DIGEST_NO_DAY;
    int64_t start = digest_day_start(cal, today);
    if (start == CAL_NEVER || now_ms < start || now_ms >= digest_day_end(cal, today))
        return DIGEST_NO_DAY;
    return today;
}

int64_t digest_next_at(const struct cal *cal, int64_t now_ms, int32_t done_day)
{
    if (!cal)
        return CAL_NEVER;
    if (digest_due_day(cal, now_ms, done_day) != DIGEST_NO_DAY)
        return now_ms;
    int32_t today = cal_day_of(now_ms);
    for (int32_t d = today; d <= today + DIGEST_LOOKAHEAD_DAYS && d <= CAL_DAY_MAX; d++) {
        if (d <= done_day)
            continue;
        int64_t start = digest_day_start(cal, d);
        if (start != CAL_NEVER && start > now_ms)
            return start;
    }
    return CAL_NEVER;
}
