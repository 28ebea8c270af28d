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
#include "db_registry.h"
#include "jobs.h"
#include "people.h"

#define PLH_MAX 64
#define OPEN_CASES_MAX 2000

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
        char key[48], seen[8];
        snprintf(key, sizeof key, "plh_started:%" PRId64, list[i].id);
        if (db_state_get(app->db, key, seen, sizeof seen) == 0)
            continue;
        /* Not sent yet (named in advance, or the bot was down that morning). */
        rc = db_state_set(app->db, key, "1");
        if (rc)
            break;
        struct db_case *cases = calloc(OPEN_CASES_MAX, sizeof *cases);
        size_t n = 0;
        rc = cases ? db_cases_open(app->db, cases, OPEN_CASES_MAX, &n) : -ENOMEM;
        for (size_t j = 0; !rc && j < n; j++)
            if (wf_state_holder_role(cases[j].wf.state) == list[i].role)
                rc = case_flow_notify_holders(app, &cases[j], now_ms);
        free(cases);
    }
    return rc;
}
