/* Retention: the personal data of long-closed cases erased. */
#include "db_retention.h"

#include <errno.h>

#include "db_internal.h"
#include "db_jobs.h"

/* A case whose retention job the scheduler's quarantine set aside (db_jobs.h,
 * DB_JOB_RETENTION) is left out: a few failing ones must not fill the batch
 * for ever. */
static const char sql_due[] =
    "SELECT id FROM cases WHERE closed_at IS NOT NULL AND closed_at <= ?1 "
    "AND personal_data_removed_at IS NULL AND NOT EXISTS (SELECT 1 FROM failed_jobs f "
    "WHERE f.job = 'retention:' || cases.id AND f.set_aside = 1) ORDER BY closed_at, id LIMIT ?2";
/* The after-certificate requests (db_aftercare.h) closed as long ago: their
 * note and supporting letter go; the register row (certificates) stays. */
static const char sql_request_due[] =
    "SELECT id FROM aftercare_requests WHERE state IN ('done','returned') "
    "AND closed_at IS NOT NULL AND closed_at <= ?1 AND personal_data_removed_at IS NULL "
    "AND NOT EXISTS (SELECT 1 FROM failed_jobs f WHERE f.job = '" DB_JOB_RETENTION_REQUEST "' "
    "|| aftercare_requests.id AND f.set_aside = 1) ORDER BY closed_at, id LIMIT ?2";
/* The files of a case, or a request's letter: every file statement below
 * ends with one of these, bound to the case's or the request's id. */
#define CASE_FILES "SELECT id FROM case_files WHERE case_id = ?1"
/* A revocation's letter, the copy of the e-mail that carried it to BSrE,
 * and BSrE's reply with its attachments */
#define REQUEST_FILES "SELECT letter_file FROM aftercare_requests WHERE id = ?1 UNION ALL " \
                      "SELECT eml_file FROM mail_sent WHERE aftercare_id = ?1 UNION ALL " \
                      "SELECT id FROM case_files WHERE aftercare_id = ?1"
#define PATHS "SELECT local_path FROM case_files WHERE local_path IS NOT NULL AND id IN "
#define DOWNLOADS "DELETE FROM downloads WHERE file_row IN "
#define FILES "UPDATE case_files SET content = NULL, file_id = NULL, local_path = NULL, " \
              "file_name = kind WHERE id IN "
static const char sql_paths[] = PATHS "(" CASE_FILES ") ORDER BY id";
static const char sql_request_paths[] = PATHS "(" REQUEST_FILES ") ORDER BY id";
/* One statement per table; each bound to the case id (and the time). */
static const char sql_holders[] =
    "UPDATE case_holders SET name = '', nip = '', jabatan = '', email = '' WHERE case_id = ?1";
static const char sql_downloads[] = DOWNLOADS "(" CASE_FILES ")";
static const char sql_files[] = FILES "(" CASE_FILES ")";
static const char sql_checklist[] = "UPDATE checklist SET note = NULL WHERE case_id = ?1";
static const char sql_drafts[] = "DELETE FROM card_drafts WHERE case_id = ?1";
/* BSrE's mails read by IMAP: who wrote (a person's name and address) and
 * the subject (a revocation's names the holder; BSrE may write a name in
 * any) go; the Message-ID, UID, arrival, status, how it was matched and who
 * decided stay, the record of which reply came when and what it did.
 * MAILS_OF is "case_id" or "aftercare_id", a constant. */
#define INBOX_ERASE(MAILS_OF) "UPDATE inbox_messages SET subject = '', mail_from = '', " \
                              "raw = NULL WHERE " MAILS_OF " = ?1"
static const char sql_inbox[] = INBOX_ERASE("case_id");
static const char sql_mark[] = "UPDATE cases SET personal_data_removed_at = ?2 WHERE id = ?1";
static const char sql_request_downloads[] = DOWNLOADS "(" REQUEST_FILES ")";
static const char sql_request_files[] = FILES "(" REQUEST_FILES ")";
static const char sql_request_note[] = "UPDATE aftercare_requests SET note = NULL WHERE id = ?1";
static const char sql_request_inbox[] = INBOX_ERASE("aftercare_id");
/* A revocation's mail that failed for good: its subject names the holder. */
static const char sql_request_failed[] =
    "UPDATE mail_failed SET subject = '' WHERE aftercare_id = ?1";
static const char sql_request_mark[] =
    "UPDATE aftercare_requests SET personal_data_removed_at = ?2 WHERE id = ?1";
/* CAST reads the leading "<ms>" of the value; none reads as 0. */
static const char sql_searches[] =
    "DELETE FROM bot_state WHERE key LIKE '" SEARCH_KEY "%' AND CAST(value AS INTEGER) < ?1";

static void read_id(sqlite3_stmt *stmt, void *out)
{
    *(int64_t *)out = sqlite3_column_int64(stmt, 0);
}

static int due(struct db *db, const char *sql, int64_t closed_before_ms, int64_t *ids,
               size_t max, size_t *count)
{
    sqlite3_stmt *stmt = db_sql(db, sql);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, closed_before_ms);
    sqlite3_bind_int64(stmt, 2, (int64_t)max);
    return db_step_many(db, stmt, "retention due", read_id, ids, sizeof *ids, max, count);
}

int db_retention_due(struct db *db, int64_t closed_before_ms, int64_t *case_ids, size_t max,
                     size_t *count)
{
    return due(db, sql_due, closed_before_ms, case_ids, max, count);
}

int db_retention_requests_due(struct db *db, int64_t closed_before_ms, int64_t *request_ids,
                              size_t max, size_t *count)
{
    return due(db, sql_request_due, closed_before_ms, request_ids, max, count);
}

static int paths(struct db *db, const char *sql, int64_t id,
                 int (*each)(const char *path, void *data), void *data)
{
    sqlite3_stmt *stmt = db_sql(db, sql);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, id);
    int rc, stop = 0;
    while (!stop && (rc = db_step(db, stmt)) == SQLITE_ROW)
        stop = each((const char *)sqlite3_column_text(stmt, 0), data);
    sqlite3_reset(stmt);
    if (stop)
        return stop;
    return rc == SQLITE_DONE ? 0 : db_fail(db, "retention paths");
}

int db_retention_paths(struct db *db, int64_t case_id, int (*each)(const char *path, void *data),
                       void *data)
{
    return paths(db, sql_paths, case_id, each, data);
}

int db_retention_request_paths(struct db *db, int64_t request_id,
                               int (*each)(const char *path, void *data), void *data)
{
    return paths(db, sql_request_paths, request_id, each, data);
}

/* Runs `steps` bound to `id`; the last one (the mark) also to `now_ms`. */
static int erase(struct db *db, const char *const *steps, size_t n, int64_t id, int64_t now_ms)
{
    for (size_t i = 0; i < n; i++) {
        sqlite3_stmt *stmt = db_sql(db, steps[i]);
        if (!stmt)
            return -EIO;
        sqlite3_bind_int64(stmt, 1, id);
        if (i + 1 == n)
            sqlite3_bind_int64(stmt, 2, now_ms);
        int rc = db_exec_stmt(db, stmt, "retention erase");
        if (rc)
            return rc;
    }
    return 0;
}

int db_retention_erase(struct db *db, int64_t case_id, int64_t now_ms)
{
    static const char *const steps[] = { sql_holders, sql_downloads, sql_files, sql_checklist,
                                         sql_drafts, sql_inbox, sql_mark };
    return erase(db, steps, sizeof steps / sizeof steps[0], case_id, now_ms);
}

int db_retention_request_erase(struct db *db, int64_t request_id, int64_t now_ms)
{
    static const char *const steps[] = { sql_request_downloads, sql_request_files,
                                         sql_request_note, sql_request_inbox,
                                         sql_request_failed, sql_request_mark };
    return erase(db, steps, sizeof steps / sizeof steps[0], request_id, now_ms);
}

int db_retention_searches(struct db *db, int64_t before_ms)
{
    sqlite3_stmt *stmt = db_sql(db, sql_searches);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, before_ms);
    return db_exec_stmt(db, stmt, "retention searches");
}
