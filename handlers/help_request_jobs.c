/* The help requests' reminders on the scheduler (revoke.h): each request's
 * reminder is a job of its own, "help:<id>", so one that fails waits in the
 * quarantine while the others go out. A change of the office calendar plans
 * the pending ones again (help_request_replan), as the steps' clocks are. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "app.h"
#include "config.h"
#include "db_aftercare.h"
#include "jobs.h"
#include "log.h"
#include "sla.h"
#include "revoke.h"

#define DUE_MAX 32
#define REPLAN_MAX 256

static int remind_job(struct app *app, void *arg, int64_t now_ms)
{
    return help_request_remind(app, *(const int64_t *)arg, now_ms);
}

int help_request_send_due(struct app *app, int64_t now_ms)
{
    struct db_aftercare *due = calloc(DUE_MAX, sizeof *due);
    size_t n = 0;
    int rc = due ? db_aftercare_due_reminders(app->db, now_ms, due, DUE_MAX, &n) : -ENOMEM;
    for (size_t i = 0; !rc && i < n; i++) {
        char name[48];
        snprintf(name, sizeof name, "help:%" PRId64, due[i].r.id);
        int64_t id = due[i].r.id;
        rc = jobs_guard(app, name, remind_job, &id, now_ms);
    }
    free(due);
    return rc;
}

int64_t help_request_next_due(struct app *app, int64_t now_ms)
{
    struct db_aftercare first;
    if (db_aftercare_next_reminder(app->db, &first))
        return INT64_MAX;
    /* One still due after a run waits in the quarantine: look again in a
     * minute rather than at once. */
    return first.next_due > now_ms ? first.next_due : now_ms + 60000;
}

int help_request_replan(struct app *app, int *replanned)
{
    *replanned = 0;
    struct db_aftercare *open = calloc(REPLAN_MAX, sizeof *open);
    size_t n = 0;
    /* every open request that still has a reminder to send */
    int rc = open ? db_aftercare_due_reminders(app->db, INT64_MAX, open, REPLAN_MAX, &n)
                  : -ENOMEM;
    if (!rc && n == REPLAN_MAX)
        log_warn("help", "more than %d help requests wait for a reminder; the later ones keep "
                 "their plan", REPLAN_MAX);
    for (size_t i = 0; !rc && i < n; i++) {
        const struct db_aftercare *a = &open[i];
        /* the same stage, at the moment the new calendar gives it: one sent
         * is not sent again, one now due goes at the next round */
        int64_t next = sla_stage_send_at(&app->cal, &app->cfg->reminders, a->created_at,
                                         a->standard_minutes, 0, a->remind_stage);
        if (next == CAL_NEVER || next < 0)
            next = 0;
        if (next == a->next_due)
            continue;
        rc = db_aftercare_set_reminder(app->db, a->r.id, a->remind_stage, next);
        *replanned += !rc;
    }
    free(open);
    return rc;
}
