/* On the first day of an acting official's (Plh) appointment named in
 * advance, the cases already waiting for that role are sent to them: "while
 * it runs, that role's new and waiting tasks go to the acting official".
 * An appointment in force the day it is named is sent by /plh itself; both
 * keep the same mark in the database, so each appointment is sent once. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "case_flow.h"
#include "db.h"
#include "db_cases.h"
#include "db_jobs.h"
#include "db_registry.h"
#include "jobs.h"
#include "people.h"

#define PLH_MAX 64
#define OPEN_CASES_MAX 2000

/* One appointment's first day, as one job (jobs_guard): the cases waiting
 * for the role go to the acting official, once (the mark in bot_state). */
static int start_one(struct app *app, void *arg, int64_t now_ms)
{
    const struct db_plh *plh = arg;
    char key[48], seen[8];
    snprintf(key, sizeof key, "plh_started:%" PRId64, plh->id);
    if (db_state_get(app->db, key, seen, sizeof seen) == 0)
        return 0;
    /* Not sent yet (named in advance, or the bot was down that morning). */
    int rc = db_state_set(app->db, key, "1");
    if (rc)
        return rc;
    struct db_case *cases = calloc(OPEN_CASES_MAX, sizeof *cases);
    size_t n = 0;
    rc = cases ? db_cases_open(app->db, cases, OPEN_CASES_MAX, &n) : -ENOMEM;
    for (size_t j = 0; !rc && j < n; j++)
        if (wf_state_holder_role(cases[j].wf.state) == plh->role)
            rc = case_flow_notify_holders(app, &cases[j], now_ms);
    free(cases);
    return rc;
}

int plh_start_run(struct app *app, int64_t now_ms)
{
    char today[11];
    people_today(now_ms, today);
    struct db_plh list[PLH_MAX];
    size_t count = 0;
    int rc = db_plh_list(app->db, today, list, PLH_MAX, &count);
    for (size_t i = 0; !rc && i < count; i++) {
        if (strcmp(list[i].date_from, today) > 0)
            continue; /* not yet */
        char name[48];
        snprintf(name, sizeof name, DB_JOB_PLH "%" PRId64, list[i].id);
        rc = jobs_guard(app, name, start_one, &list[i], now_ms);
    }
    return rc;
}
