#include "jobs.h"

#include <errno.h>
#include <stdint.h>

#include "app.h"
#include "db_clocks.h"
#include "menus.h"
#include "sessions.h"

int jobs_run(struct app *app, int64_t now_ms)
{
    int rc = reminders_send_due(app, now_ms);
    if (!rc)
        rc = warnings_run(app, now_ms);
    if (!rc)
        rc = plh_start_run(app, now_ms);
    if (!rc)
        rc = sessions_send_due(app, now_ms);
    if (!rc)
        rc = retention_run(app, now_ms);
    if (!rc) /* roles that start or end by the calendar or the config */
        rc = menus_refresh_all(app, now_ms);
    return rc;
}

int64_t jobs_next(struct app *app, int64_t now_ms)
{
    (void)now_ms;
    int64_t when, sessions = sessions_next_due(app);
    if (db_clocks_next_reminder(app->db, &when) == 0)
        return when < sessions ? when : sessions;
    return sessions;
}
