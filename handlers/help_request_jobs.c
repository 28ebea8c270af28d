/* The help requests' reminders on the scheduler (revoke.h): each request's
 * reminder is a job of its own, "help:<id>", so one that fails waits in the
 * quarantine while the others go out. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "app.h"
#include "db_aftercare.h"
#include "jobs.h"
#include "revoke.h"

#define DUE_MAX 32

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
