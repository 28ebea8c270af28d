/* The office calendar at start: the shipped holidays (compiled in), then the
 * days an admin added, corrected or removed (they win). */
#include "calendar_days.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db_clocks.h"
#include "file_read.h"
#include "holidays_json.h"
#include "log.h"

extern const char holidays_id_json[];

static int apply_day(const char *date, const char *kind, const char *name, bool removed,
                     void *data)
{
    struct cal *cal = data;
    int32_t day;
    enum cal_kind k;
    if (cal_date_parse(date, &day) != 0 || cal_kind_parse(kind, &k) != 0) {
        log_warn("calendar", "ignoring a stored day that does not parse: %s %s", date, kind);
        return 0;
    }
    if (removed) {
        cal_holiday_remove(cal, day); /* -ENOENT is fine: nothing to hide */
        return 0;
    }
    return cal_holiday_add(cal, day, k, name, false);
}

int calendar_days_load(struct cal *cal, const struct config *cfg, struct db *db, char *err,
                       size_t err_size)
{
    cal_free(cal);
    cal_init_default(cal);
    for (int day = 0; day < 7; day++)
        if (cfg->hours_set[day])
            cal_set_day(cal, day, cfg->hours[day].spans, cfg->hours[day].count);
    char why[256];
    if (holidays_json_parse(holidays_id_json, cal, why, sizeof why) != 0) {
        snprintf(err, err_size, "the shipped holiday list is broken: %s", why);
        return -EINVAL;
    }
    if (cfg->holidays_file) {
        char *text = NULL;
        int rc = file_read_all(cfg->holidays_file, 8u << 20, &text);
        if (rc) {
            snprintf(err, err_size, "calendar.holidays_file: %s: %s", cfg->holidays_file,
                     strerror(-rc));
            return -EINVAL;
        }
        rc = holidays_json_parse(text, cal, why, sizeof why);
        free(text);
        if (rc) {
            snprintf(err, err_size, "calendar.holidays_file: %s: %s", cfg->holidays_file, why);
            return -EINVAL;
        }
    }
    int rc = db_calendar_days(db, apply_day, cal);
    if (rc)
        snprintf(err, err_size, "cannot read the admins' calendar days (%d)", rc);
    return rc;
}
