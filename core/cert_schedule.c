/* The expiry arithmetic and the reminder schedule (cert_schedule.h). */
#include "cert_schedule.h"

#include <errno.h>

int cert_days_between(const char *from, const char *to, int *days)
{
    int32_t a, b;
    if (!from || !to || cal_date_parse(from, &a) != 0 || cal_date_parse(to, &b) != 0)
        return -EINVAL;
    *days = (int)(b - a);
    return 0;
}

int cert_valid_until(const char *issued, int validity_days, char out[CAL_DATE_SIZE])
{
    int32_t day;
    if (!issued || validity_days < 1 || cal_date_parse(issued, &day) != 0 ||
        (int64_t)day + validity_days > CAL_DAY_MAX)
        return -EINVAL;
    cal_date_format(day + validity_days, out);
    return 0;
}

bool cert_expired(int32_t valid_until, int32_t today)
{
    return today > valid_until;
}

int32_t cert_reminder_day(const struct cal *cal, int32_t valid_until, int days)
{
    int32_t due = valid_until - days;
    if (due < 0)
        return 0;
    for (int32_t day = due, walked = 0; day >= 0 && walked <= CAL_GIVE_UP_DAYS; day--, walked++)
        if (cal_is_working_day(cal, day))
            return day;
    return due;
}

int64_t cert_reminder_at(const struct cal *cal, int32_t valid_until, int days)
{
    int32_t day = cert_reminder_day(cal, valid_until, days);
    int64_t midnight = cal_day_start(day);
    int64_t start = cal_next_office_moment(cal, midnight);
    /* The first office moment of that very day; a day without hours (a
     * calendar with none) keeps midnight rather than drifting later. */
    return start != CAL_NEVER && cal_day_of(start) == day ? start : midnight;
}

/* The reminders still to come: those nearer than the last one sent. */
static bool pending(int days, int reminded_days)
{
    return days > 0 && (reminded_days <= 0 || days < reminded_days);
}

void cert_reminder_due(const struct cal *cal, int32_t valid_until, const int *remind_days,
                       size_t count, int reminded_days, int64_t now_ms, int *due_days)
{
    *due_days = 0;
    if (cert_expired(valid_until, cal_day_of(now_ms)))
        return;
    /* Descending: the last one due is the nearest; the farther ones it
     * passes over are never sent. */
    for (size_t i = 0; i < count; i++)
        if (pending(remind_days[i], reminded_days) &&
            cert_reminder_at(cal, valid_until, remind_days[i]) <= now_ms)
            *due_days = remind_days[i];
}
