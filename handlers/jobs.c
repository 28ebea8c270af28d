#include "jobs.h"

#include <errno.h>
#include <stdint.h>

#include "app.h"
#include "certificates.h"
#include "db_clocks.h"
#include "menus.h"
#include "renewal.h"
#include "revoke.h"
#include "sessions.h"

static int digest_job(struct app *app, void *arg, int64_t now_ms)
{
    (void)arg;
    return digest_run(app, now_ms);
}

static int menus_job(struct app *app, void *arg, int64_t now_ms)
{
    (void)arg;
    return menus_refresh_all(app, now_ms);
}

int jobs_run(struct app *app, int64_t now_ms)
{
    /* A calendar changed while stopped is planned on first, so no reminder
     * goes by the old one; then the digest, so the reminders due at the same
     * moment see it. Each runs quarantined (jobs_guard): a failure is set
     * aside, the rest run. */
    int rc = holidays_check_run(app, now_ms);
    if (!rc)
        rc = jobs_guard(app, DIGEST_JOB, digest_job, NULL, now_ms);
    if (!rc)
        rc = reminders_send_due(app, now_ms);
    if (!rc)
        rc = warnings_run(app, now_ms);
    if (!rc)
        rc = plh_start_run(app, now_ms);
    if (!rc)
        rc = sessions_send_due(app, now_ms);
    if (!rc)
        rc = help_request_send_due(app, now_ms);
    if (!rc)
        rc = retention_run(app, now_ms);
    if (!rc)
        rc = undo_expire_run(app, now_ms);
    if (!rc)
        rc = certificates_expire_run(app, now_ms);
    if (!rc) /* each agency's round quarantined on its own */
        rc = renewal_remind_run(app, now_ms);
    if (!rc) /* roles that start or end by the calendar or the config */
        rc = jobs_guard(app, "menus", menus_job, NULL, now_ms);
    return rc;
}

int64_t jobs_next(struct app *app, int64_t now_ms)
{
    /* A clock or session waiting in the quarantine counts at its next try
     * (db_clocks.c, db_sessions.c); the other jobs run on every tick. */
    int64_t when, next = sessions_next_due(app), digest = digest_next(app, now_ms);
    if (digest < next)
        next = digest;
    if ((when = undo_expire_next(app)) < next)
        next = when;
    int64_t help = help_request_next_due(app, now_ms);
    if (help < next)
        next = help;
    if (db_clocks_next_reminder(app->db, &when) == 0 && when < next)
        next = when;
    return next;
}
