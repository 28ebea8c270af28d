/* The scheduler's quarantine (jobs.h, db_jobs.h): each job runs in a
 * savepoint of the tick's transaction. One that fails is rolled back alone,
 * recorded with its error in failed_jobs and tried again later (30 s of
 * business time, doubling); the fifth failure sets it aside and the admins
 * are told once, in the same transaction. The other jobs run on.
 *
 * What is not the job's fault fails the whole tick instead, as before: the
 * storage (disk full, read-only, I/O), memory, or SQLite having ended the
 * transaction itself. The scheduler tries the tick again. */
#include "jobs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "case_card.h"
#include "config.h"
#include "db.h"
#include "db_jobs.h"
#include "i18n.h"
#include "log.h"
#include "outbox.h"

#define JOB_ATTEMPTS_MAX 5
#define JOB_RETRY_FIRST_MS 30000

static bool tick_error(struct app *app, int rc)
{
    return rc == -ENOMEM || db_storage_error(app->db) || !db_in_transaction(app->db);
}

static int tell_admins(struct app *app, const char *job, const char *error, int attempts,
                       int64_t now_ms)
{
    char tries[16];
    snprintf(tries, sizeof tries, "%d", attempts);
    int rc = 0;
    for (size_t i = 0; !rc && i < app->cfg->admins_count; i++) {
        const char *lang = card_lang_of(app, app->cfg->admins[i]);
        char *html = i18n_format(app->i18n, lang, "quarantine.job_set_aside", "job", job,
                                 "error", error, "attempts", tries, NULL);
        rc = html ? outbox_send_text(app->db, app->cfg->admins[i], html, NULL, NULL, now_ms)
                  : -ENOMEM;
        free(html);
    }
    return rc;
}

/* After the job's savepoint was rolled back: the failure on the record. */
static int record_failure(struct app *app, const char *job, int job_rc, int64_t now_ms)
{
    char error[256];
    const char *sql = db_last_error(app->db);
    snprintf(error, sizeof error, "error %d (%s)%s%s", job_rc, strerror(-job_rc),
             sql[0] ? ": " : "", sql);
    struct db_job_failure failure;
    int rc = db_job_failed(app->db, job, error, now_ms, JOB_RETRY_FIRST_MS, JOB_ATTEMPTS_MAX,
                           &failure);
    if (rc)
        return rc;
    if (!failure.set_aside) {
        log_warn("jobs", "%s failed (%s); try %d of %d later", job, error, failure.attempts,
                 JOB_ATTEMPTS_MAX);
        return 0;
    }
    log_error("jobs", "%s set aside after %d failures (%s); the other jobs run on", job,
              failure.attempts, error);
    return tell_admins(app, job, error, failure.attempts, now_ms);
}

int jobs_guard(struct app *app, const char *job, job_fn run, void *arg, int64_t now_ms)
{
    bool held, recorded;
    int rc = db_job_held(app->db, job, now_ms, &held, &recorded);
    if (rc || held)
        return rc;
    rc = db_job_savepoint(app->db);
    if (rc)
        return rc;
    int job_rc = run(app, arg, now_ms);
    if (!job_rc) {
        /* A retry that worked leaves the quarantine. */
        rc = recorded ? db_job_succeeded(app->db, job) : 0;
        return rc ? rc : db_job_release(app->db);
    }
    if (tick_error(app, job_rc))
        return job_rc;
    rc = db_job_rollback(app->db);
    return rc ? rc : record_failure(app, job, job_rc, now_ms);
}
