/* certificates_dates: the validity end's arithmetic; see certificates_dates.h. */
#include "certificates_dates.h"

#include <errno.h>
#include <string.h>

#include "args.h"
#include "office_calendar.h"

int cert_valid_default(int64_t issued_ms, int validity_days, char out[11])
{
    if (validity_days < 1)
        return -EINVAL;
    cal_date_format(cal_day_of(issued_ms) + validity_days, out);
    return 0;
}

void cert_day_after(int64_t now_ms, int days, char out[11])
{
    cal_date_format(cal_day_of(now_ms) + days, out);
}

int cert_valid_parse(const char *text, int64_t now_ms, char out[11])
{
    char iso[11];
    int32_t day;
    if (!text || args_date(text, iso) != 0 || cal_date_parse(iso, &day) != 0)
        return -EINVAL;
    int32_t today = cal_day_of(now_ms);
    int year, month, mday;
    cal_civil_from_days(today, &year, &month, &mday);
    /* 29 February plus ten years is 1 March: the limit moves with it. */
    int32_t last = cal_days_from_civil(year + CERT_VALID_MAX_YEARS, month, 1) + mday - 1;
    if (day <= today || day > last)
        return -ERANGE;
    memcpy(out, iso, 11);
    return 0;
}
