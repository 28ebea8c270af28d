/* The holiday file (core/holidays_json.c): the shipped list and an admin's
 * corrections. Properties: no crash; a list with a mistake changes nothing
 * and names the mistake; an accepted list leaves the calendar sorted, one
 * holiday a day, every name valid, every kind known, and the holiday already
 * there kept unless the list has its date. */
#include <errno.h>

#include "fuzz_common.h"
#include "holidays_json.h"
#include "office_calendar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *json = fuzz_cstr(data, size);
    struct cal cal;
    cal_init_default(&cal);
    int32_t new_year;
    FUZZ_CHECK(cal_date_parse("2026-01-01", &new_year) == 0);
    FUZZ_CHECK(cal_holiday_add(&cal, new_year, CAL_NATIONAL, "Tahun Baru Masehi", false) == 0);

    char err[128];
    memset(err, 'x', sizeof err);
    int rc = holidays_json_parse(json, &cal, err, sizeof err);
    FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ENOMEM);
    if (rc == -EINVAL) {
        FUZZ_CHECK(memchr(err, '\0', sizeof err) != NULL && err[0] != '\0');
        FUZZ_CHECK(cal_holiday_count(&cal) == 1);
        const struct cal_holiday *h = cal_holiday_at(&cal, 0);
        FUZZ_CHECK(h->day == new_year && h->kind == CAL_NATIONAL && !h->tentative &&
                   strcmp(h->name, "Tahun Baru Masehi") == 0);
    } else if (rc == 0) {
        FUZZ_CHECK(cal_holiday_count(&cal) >= 1);
        FUZZ_CHECK(cal_holiday_find(&cal, new_year) != NULL);
        for (size_t i = 0; i < cal_holiday_count(&cal); i++) {
            const struct cal_holiday *h = cal_holiday_at(&cal, i);
            FUZZ_CHECK(h->day >= 0 && h->day <= CAL_DAY_MAX);
            FUZZ_CHECK(cal_kind_key(h->kind) != NULL);
            FUZZ_CHECK(cal_holiday_name_valid(h->name));
            if (i > 0)
                FUZZ_CHECK(cal_holiday_at(&cal, i - 1)->day < h->day);
            char date[CAL_DATE_SIZE];
            int32_t back;
            cal_date_format(h->day, date);
            FUZZ_CHECK(cal_date_parse(date, &back) == 0 && back == h->day);
        }
    }
    cal_free(&cal);
    free(json);
    return 0;
}
