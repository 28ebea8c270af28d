/* The scheduler's quarantine (db_jobs.h). */
#include "db_jobs.h"

#include <errno.h>

#include "db_internal.h"

static const char sql_savepoint[] = "SAVEPOINT job";
static const char sql_release[] = "RELEASE job";
static const char sql_rollback_to[] = "ROLLBACK TO job";
static const char sql_held[] =
    "SELECT set_aside = 1 OR next_try_at > ?2 FROM failed_jobs WHERE job = ?1";
static const char sql_failed[] =
    "INSERT INTO failed_jobs(job, attempts, first_failed_at, last_failed_at, next_try_at, "
    "set_aside, error) VALUES (?1, 1, ?2, ?2, ?2 + ?3, ?4 <= 1, ?5) "
    "ON CONFLICT(job) DO UPDATE SET attempts = attempts + 1, last_failed_at = ?2, "
    "next_try_at = ?2 + (?3 << min(attempts, 20)), set_aside = attempts + 1 >= ?4, error = ?5 "
    "RETURNING attempts, set_aside";
static const char sql_succeeded[] = "DELETE FROM failed_jobs WHERE job = ?1";

static int run_static(struct db *db, const char *sql, const char *what)
{
    sqlite3_stmt *stmt = db_sql(db, sql);
    return stmt ? db_exec_stmt(db, stmt, what) : -EIO;
}

int db_job_savepoint(struct db *db) { return run_static(db, sql_savepoint, "job savepoint"); }

int db_job_release(struct db *db) { return run_static(db, sql_release, "job release"); }

int db_job_rollback(struct db *db)
{
    int rc = run_static(db, sql_rollback_to, "job rollback");
    if (!rc)
        rc = db_job_release(db);
    return rc;
}

static void read_flag(sqlite3_stmt *stmt, void *out)
{
    *(bool *)out = sqlite3_column_int(stmt, 0) != 0;
}

int db_job_held(struct db *db, const char *job, int64_t now_ms, bool *held, bool *recorded)
{
    *held = *recorded = false;
    sqlite3_stmt *stmt = db_sql(db, sql_held);
    if (!stmt)
        return -EIO;
    sqlite3_bind_text(stmt, 1, job, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 2, now_ms);
    int rc = db_step_one(db, stmt, "job held", read_flag, held);
    *recorded = rc == 0;
    return rc == -ENOENT ? 0 : rc;
}

static const char sql_next_try[] = "SELECT next_try_at, set_aside FROM failed_jobs WHERE job = ?1";

struct next_try {
    int64_t at;
    bool set_aside;
};

static void read_next_try(sqlite3_stmt *stmt, void *out)
{
    struct next_try *n = out;
    n->at = sqlite3_column_int64(stmt, 0);
    n->set_aside = sqlite3_column_int(stmt, 1) != 0;
}

int db_job_next_try(struct db *db, const char *job, int64_t *next_try, bool *set_aside)
{
    sqlite3_stmt *stmt = db_sql(db, sql_next_try);
    if (!stmt)
        return -EIO;
    sqlite3_bind_text(stmt, 1, job, -1, SQLITE_TRANSIENT);
    struct next_try n = { 0 };
    int rc = db_step_one(db, stmt, "job next try", read_next_try, &n);
    if (!rc) {
        *next_try = n.at;
        *set_aside = n.set_aside;
    }
    return rc;
}

static void read_failure(sqlite3_stmt *stmt, void *out)
{
    struct db_job_failure *f = out;
    f->attempts = sqlite3_column_int(stmt, 0);
    f->set_aside = sqlite3_column_int(stmt, 1) != 0;
}

int db_job_failed(struct db *db, const char *job, const char *error, int64_t now_ms,
                  int64_t first_delay_ms, int attempts_max, struct db_job_failure *out)
{
    sqlite3_stmt *stmt = db_sql(db, sql_failed);
    if (!stmt)
        return -EIO;
    sqlite3_bind_text(stmt, 1, job, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 2, now_ms);
    sqlite3_bind_int64(stmt, 3, first_delay_ms);
    sqlite3_bind_int(stmt, 4, attempts_max);
    sqlite3_bind_text(stmt, 5, error, -1, SQLITE_TRANSIENT);
    return db_step_one(db, stmt, "job failed", read_failure, out);
}

int db_job_succeeded(struct db *db, const char *job)
{
    sqlite3_stmt *stmt = db_sql(db, sql_succeeded);
    if (!stmt)
        return -EIO;
    sqlite3_bind_text(stmt, 1, job, -1, SQLITE_TRANSIENT);
    return db_exec_stmt(db, stmt, "job succeeded");
}
