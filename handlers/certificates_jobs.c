/* The register's daily job: a certificate whose last valid day has passed
 * (WIB) is flagged expired, issued or renewal requested alike (a renewal
 * under way records its new end when its case closes). Runs once a WIB day
 * under the per-job quarantine (jobs_guard), in the scheduler's
 * transaction: the day marker and the rows change together. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "certificates.h"
#include "certificates_dates.h"
#include "db.h"
#include "jobs.h"
#include "log.h"

#define EXPIRY_JOB "certificates_expiry"
#define EXPIRY_DAY_KEY "certificates_expired_day"

/* The audit-like line of one row flagged: which row, of which case, which
 * end (no name or NIP in the log). */
static int log_expired(const struct db_certificate *c, void *data)
{
    const char *today = data;
    char number[24];
    db_case_number(c->case_id, number, sizeof number);
    log_info("register", "certificate %" PRId64 " (agency %" PRId64 ", case %s) expired on %s: "
             "valid until %s, was %s",
             c->id, c->agency_id, number, today, c->valid_until, db_cert_status_name(c->status));
    return 0;
}

static int expire_job(struct app *app, void *arg, int64_t now_ms)
{
    (void)arg;
    char today[11], last[16] = "";
    cert_day_after(now_ms, 0, today);
    int rc = db_state_get(app->db, EXPIRY_DAY_KEY, last, sizeof last);
    if (rc && rc != -ENOENT)
        return rc;
    if (!rc && strcmp(last, today) == 0)
        return 0;
    size_t count = 0;
    rc = db_certificates_expire(app->db, today, now_ms, log_expired, today, &count);
    if (!rc)
        rc = db_state_set(app->db, EXPIRY_DAY_KEY, today);
    if (!rc && count)
        log_info("register", "%zu certificate(s) flagged expired on %s", count, today);
    return rc;
}

int certificates_expire_run(struct app *app, int64_t now_ms)
{
    return jobs_guard(app, EXPIRY_JOB, expire_job, NULL, now_ms);
}
