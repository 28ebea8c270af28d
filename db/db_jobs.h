/* db_jobs: the scheduler's quarantine. Each job the scheduler runs (a step
 * clock's reminder, a session's, one case's retention, ...) runs in a
 * savepoint of the tick's transaction under a name ("clock:12"); one that
 * fails is rolled back alone and recorded in failed_jobs with its error, to
 * be tried again later and set aside after too many tries.
 *
 * Times are business ms (the scheduler's clock). Functions return 0 or a
 * negative errno (db.h). */
#ifndef SERTIBOT_DB_JOBS_H
#define SERTIBOT_DB_JOBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;

/* Job names: a prefix and the row's id. The due queries of db_clocks.c,
 * db_sessions.c and db_retention.c leave out held jobs by the same names. */
#define DB_JOB_CLOCK "clock:"
#define DB_JOB_SESSION "session:"
#define DB_JOB_RETENTION "retention:"
#define DB_JOB_RETENTION_REQUEST "retention-request:"
#define DB_JOB_PLH "plh:"

/* SAVEPOINT / RELEASE / ROLLBACK TO (then RELEASE) the job's savepoint,
 * inside an open transaction. */
int db_job_savepoint(struct db *db);
int db_job_release(struct db *db);
int db_job_rollback(struct db *db);

/* Whether `job` waits (*held: set aside, or not yet due for its next try)
 * and whether it is in the quarantine at all (*recorded). */
int db_job_held(struct db *db, const char *job, int64_t now_ms, bool *held, bool *recorded);

struct db_job_failure {
    int attempts;        /* failures so far, this one included */
    bool set_aside;      /* no more tries */
};
/* Records a failure of `job`: one more attempt, the next try
 * `first_delay_ms` after the first failure, twice as long after each
 * further one; the `attempts_max`th failure sets it aside. */
int db_job_failed(struct db *db, const char *job, const char *error, int64_t now_ms,
                  int64_t first_delay_ms, int attempts_max, struct db_job_failure *out);
/* When a job in the quarantine may be tried next (*set_aside: never, until
 * an operator clears it); -ENOENT when it is not in the quarantine. For a
 * job whose own due time the scheduler computes (the digest), so a held job
 * does not look due at once. */
int db_job_next_try(struct db *db, const char *job, int64_t *next_try, bool *set_aside);
/* The job ran: it leaves the quarantine (nothing when it was not there). */
int db_job_succeeded(struct db *db, const char *job);
#endif
