/* Retention: the personal data of long-closed cases erased. */
#include "db_retention.h"

#include <errno.h>

#include "db_internal.h"

/* A case whose retention job the scheduler's quarantine set aside (db_jobs.h,
 * DB_JOB_RETENTION) is left out: a few failing ones must not fill the batch
 * for ever. */
static const char sql_due[] =
    "SELECT id FROM cases WHERE closed_at IS NOT NULL AND closed_at <= ?1 "
    "AND personal_data_removed_at IS NULL AND NOT EXISTS (SELECT 1 FROM failed_jobs f "
    "WHERE f.job = 'retention:' || cases.id AND f.set_aside = 1) ORDER BY closed_at, id LIMIT ?2";
static const char sql_paths[] =
    "SELECT local_path FROM case_files WHERE case_id = ?1 AND local_path IS NOT NULL ORDER BY id";
/* One statement per table; each bound to the case id (and the time). */
static const char sql_holders[] =
    "UPDATE case_holders SET name = '', nip = '', jabatan = '', email = '' WHERE case_id = ?1";
static const char sql_downloads[] =
    "DELETE FROM downloads WHERE file_row IN (SELECT id FROM case_files WHERE case_id = ?1)";
static const char sql_files[] =
    "UPDATE case_files SET content = NULL, file_id = NULL, local_path = NULL, file_name = kind "
    "WHERE case_id = ?1";
static const char sql_checklist[] = "UPDATE checklist SET note = NULL WHERE case_id = ?1";
static const char sql_drafts[] = "DELETE FROM card_drafts WHERE case_id = ?1";
static const char sql_mark[] = "UPDATE cases SET personal_data_removed_at = ?2 WHERE id = ?1";

static void read_id(sqlite3_stmt *stmt, void *out)
{
    *(int64_t *)out = sqlite3_column_int64(stmt, 0);
}

int db_retention_due(struct db *db, int64_t closed_before_ms, int64_t *case_ids, size_t max,
                     size_t *count)
{
    sqlite3_stmt *stmt = db_sql(db, sql_due);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, closed_before_ms);
    sqlite3_bind_int64(stmt, 2, (int64_t)max);
    return db_step_many(db, stmt, "retention due", read_id, case_ids, sizeof *case_ids, max,
                        count);
}

int db_retention_paths(struct db *db, int64_t case_id, int (*each)(const char *path, void *data),
                       void *data)
{
    sqlite3_stmt *stmt = db_sql(db, sql_paths);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, case_id);
    int rc, stop = 0;
    while (!stop && (rc = db_step(db, stmt)) == SQLITE_ROW)
        stop = each((const char *)sqlite3_column_text(stmt, 0), data);
    sqlite3_reset(stmt);
    if (stop)
        return stop;
    return rc == SQLITE_DONE ? 0 : db_fail(db, "retention paths");
}

int db_retention_erase(struct db *db, int64_t case_id, int64_t now_ms)
{
    static const char *const steps[] = { sql_holders, sql_downloads, sql_files, sql_checklist,
                                         sql_drafts, sql_mark };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        sqlite3_stmt *stmt = db_sql(db, steps[i]);
        if (!stmt)
            return -EIO;
        sqlite3_bind_int64(stmt, 1, case_id);
        if (steps[i] == sql_mark)
            sqlite3_bind_int64(stmt, 2, now_ms);
        int rc = db_exec_stmt(db, stmt, "retention erase");
        if (rc)
            return rc;
    }
    return 0;
}
