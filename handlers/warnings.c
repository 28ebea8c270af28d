/* The admins' warnings that come by themselves: the cooperation agreement
 * (PKS) with BSSN missing or expired (once a day, while it lasts), and no
 * holidays loaded for the coming year (once a month, while it lasts: the
 * government publishes them late, and without them every weekday would count
 * as a working day). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "apply.h"
#include "case_card.h"
#include "config.h"
#include "db.h"
#include "i18n.h"
#include "jobs.h"
#include "office_calendar.h"
#include "outbox.h"

static int warn_missing_holidays(struct app *app, void *arg, int64_t now_ms)
{
    (void)arg;
    int year, month, day;
    cal_civil_from_days(cal_day_of(now_ms), &year, &month, &day);
    if (cal_holiday_count_year(&app->cal, year + 1) > 0)
        return 0;
    char this_month[32], last[32] = "";
    snprintf(this_month, sizeof this_month, "%04d-%02d", year, month);
    if (db_state_get(app->db, "holidays_warned_month", last, sizeof last) == 0 &&
        strcmp(last, this_month) == 0)
        return 0;
    int rc = db_state_set(app->db, "holidays_warned_month", this_month);
    char next_year[16];
    snprintf(next_year, sizeof next_year, "%d", year + 1);
    for (size_t i = 0; !rc && i < app->cfg->admins_count; i++) {
        const char *lang = card_lang_of(app, app->cfg->admins[i]);
        char *html = i18n_format(app->i18n, lang, "warning.no_holidays", "year", next_year, NULL);
        rc = html ? outbox_send_text(app->db, app->cfg->admins[i], html, NULL, NULL, now_ms)
                  : -ENOMEM;
        free(html);
    }
    return rc;
}

static int warn_pks(struct app *app, void *arg, int64_t now_ms)
{
    (void)arg;
    return apply_pks_warn_admins(app, now_ms);
}

/* Each warning is a job of its own (jobs_guard). */
int warnings_run(struct app *app, int64_t now_ms)
{
    int rc = jobs_guard(app, "warning:pks", warn_pks, NULL, now_ms);
    if (!rc)
        rc = jobs_guard(app, "warning:holidays", warn_missing_holidays, NULL, now_ms);
    return rc;
}
