/* The retention job: personal data of cases and of after-certificate
 * requests closed more than retention.closed_case_days ago is removed, and
 * remembered searches a day old (db_retention.h says what goes and what
 * stays). Runs in the scheduler's transaction, a few cases a tick.
 *
 * The copies on disk are removed before the rows that name them are cleared:
 * if the transaction then fails, the next tick finds the case again and the
 * removal is simply repeated (a missing file is fine), so nothing is left
 * behind. An unlink is a short metadata operation, done once per file after
 * years, so it runs here rather than on the thread pool. */
#include "jobs.h"

#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "config.h"
#include "db_cases.h"
#include "db_jobs.h"
#include "db_retention.h"
#include "log.h"

#define RETENTION_BATCH 8
#define DAY_MS 86400000LL

static int remove_copy(const char *path, void *data)
{
    (void)data;
    if (unlink(path) != 0 && errno != ENOENT) {
        log_warn("retention", "cannot remove %s: %s", path, strerror(errno));
        return 0; /* the row is cleared anyway; the operator is told in the log */
    }
    /* documents_dir/case-N/: gone with its last file */
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    rmdir(dirname(dir));
    return 0;
}

/* One case's personal data, as one job (jobs_guard). */
static int erase_case(struct app *app, void *arg, int64_t now_ms)
{
    int64_t case_id = *(int64_t *)arg;
    int rc = db_retention_paths(app->db, case_id, remove_copy, NULL);
    if (!rc)
        rc = db_retention_erase(app->db, case_id, now_ms);
    if (!rc) {
        char number[24];
        db_case_number(case_id, number, sizeof number);
        log_info("retention", "%s: personal data removed (closed more than %d days ago)",
                 number, app->cfg->retention_days);
    }
    return rc;
}

/* One after-certificate request's note and letter, as one job; the same
 * order as a case's (copies first). */
static int erase_request(struct app *app, void *arg, int64_t now_ms)
{
    int64_t request_id = *(int64_t *)arg;
    int rc = db_retention_request_paths(app->db, request_id, remove_copy, NULL);
    if (!rc)
        rc = db_retention_request_erase(app->db, request_id, now_ms);
    if (!rc)
        log_info("retention", "request %" PRId64 ": note and letter removed (closed more than "
                 "%d days ago)", request_id, app->cfg->retention_days);
    return rc;
}

typedef int (*due_fn)(struct db *db, int64_t closed_before_ms, int64_t *ids, size_t max,
                      size_t *count);

/* One batch of one kind: each due row erased under its own job name. */
static int run_batch(struct app *app, due_fn due, const char *prefix, job_fn erase,
                     int64_t cutoff, int64_t now_ms)
{
    int64_t ids[RETENTION_BATCH];
    size_t count = 0;
    int rc = due(app->db, cutoff, ids, RETENTION_BATCH, &count);
    for (size_t i = 0; !rc && i < count; i++) {
        char name[48];
        snprintf(name, sizeof name, "%s%" PRId64, prefix, ids[i]);
        rc = jobs_guard(app, name, erase, &ids[i], now_ms);
    }
    return rc;
}

int retention_run(struct app *app, int64_t now_ms)
{
    /* a search's query is kept a day whatever the cases' period */
    int rc = db_retention_searches(app->db, now_ms - DAY_MS);
    if (rc || app->cfg->retention_days <= 0)
        return rc;
    int64_t cutoff = now_ms - (int64_t)app->cfg->retention_days * DAY_MS;
    rc = run_batch(app, db_retention_due, DB_JOB_RETENTION, erase_case, cutoff, now_ms);
    if (!rc)
        rc = run_batch(app, db_retention_requests_due, DB_JOB_RETENTION_REQUEST, erase_request,
                       cutoff, now_ms);
    return rc;
}
