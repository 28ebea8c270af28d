/* Case files and their downloads; conversations and card drafts. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "db_cases.h"
#include "db_internal.h"

/* --- files ---------------------------------------------------------------- */

#define FILE_COLUMNS                                                                      \
    "id, coalesce(case_id, 0), kind, file_id, file_name, mime_type, local_path, coalesce(uploaded_by, 0), " \
    "created_at, coalesce(length(content), 0)"

static const char sql_file_add[] =
    "INSERT INTO case_files(case_id, kind, file_id, file_name, mime_type, content, uploaded_by, "
    "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, nullif(?7, 0), ?8)";
static const char sql_file_get[] = "SELECT " FILE_COLUMNS " FROM case_files WHERE id = ?1";
static const char sql_file_latest[] =
    "SELECT " FILE_COLUMNS " FROM case_files WHERE case_id = ?1 AND kind = ?2 "
    "ORDER BY id DESC LIMIT 1";
static const char sql_files_list[] =
    "SELECT " FILE_COLUMNS " FROM case_files WHERE case_id = ?1 ORDER BY id";
static const char sql_file_content[] = "SELECT content FROM case_files WHERE id = ?1";
static const char sql_file_set_file_id[] = "UPDATE case_files SET file_id = ?2 WHERE id = ?1";
static const char sql_file_set_local[] = "UPDATE case_files SET local_path = ?2 WHERE id = ?1";
static const char sql_file_mark_lost[] =
    "UPDATE case_files SET kind = kind || ?2 WHERE id = ?1 AND kind NOT LIKE '%' || ?2";

static void read_file(sqlite3_stmt *stmt, void *out)
{
    struct db_file *f = out;
    f->id = sqlite3_column_int64(stmt, 0);
    f->case_id = sqlite3_column_int64(stmt, 1);
    db_copy_text(f->kind, sizeof f->kind, stmt, 2);
    db_copy_text(f->file_id, sizeof f->file_id, stmt, 3);
    db_copy_text(f->file_name, sizeof f->file_name, stmt, 4);
    db_copy_text(f->mime_type, sizeof f->mime_type, stmt, 5);
    db_copy_text(f->local_path, sizeof f->local_path, stmt, 6);
    f->uploaded_by = sqlite3_column_int64(stmt, 7);
    f->created_at = sqlite3_column_int64(stmt, 8);
    f->content_size = (size_t)sqlite3_column_int64(stmt, 9);
}

int db_file_add(struct db *db, const struct db_file *f, const void *content, size_t size,
                int64_t *id_out)
{
    sqlite3_stmt *stmt = db_sql(db, sql_file_add);
    if (!stmt)
        return -EIO;
    if (f->case_id)
        sqlite3_bind_int64(stmt, 1, f->case_id);
    sqlite3_bind_text(stmt, 2, f->kind, -1, SQLITE_TRANSIENT);
    db_bind_text_or_null(stmt, 3, f->file_id);
    sqlite3_bind_text(stmt, 4, f->file_name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 5, f->mime_type, -1, SQLITE_TRANSIENT);
    if (content)
        sqlite3_bind_blob64(stmt, 6, content, size, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 7, f->uploaded_by);
    sqlite3_bind_int64(stmt, 8, f->created_at);
    int rc = db_exec_stmt(db, stmt, "file add");
    if (!rc && id_out)
        *id_out = sqlite3_last_insert_rowid(db->conn);
    return rc;
}

int db_file_get(struct db *db, int64_t id, struct db_file *out)
{
    sqlite3_stmt *stmt = db_sql(db, sql_file_get);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, id);
    return db_step_one(db, stmt, "file get", read_file, out);
}

int db_file_latest(struct db *db, int64_t case_id, const char *kind, struct db_file *out)
{
    sqlite3_stmt *stmt = db_sql(db, sql_file_latest);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, case_id);
    sqlite3_bind_text(stmt, 2, kind, -1, SQLITE_TRANSIENT);
    return db_step_one(db, stmt, "file latest", read_file, out);
}

int db_files_list(struct db *db, int64_t case_id, struct db_file *out, size_t max, size_t *count)
{
    sqlite3_stmt *stmt = db_sql(db, sql_files_list);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, case_id);
    return db_step_many(db, stmt, "files list", read_file, out, sizeof *out, max, count);
}

int db_file_content(struct db *db, int64_t id, unsigned char **data, size_t *size)
{
    *data = NULL;
    *size = 0;
    sqlite3_stmt *stmt = db_sql(db, sql_file_content);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, id);
    int rc = db_step(db, stmt);
    int result = -ENOENT;
    if (rc == SQLITE_ROW && sqlite3_column_type(stmt, 0) == SQLITE_BLOB) {
        size_t n = (size_t)sqlite3_column_bytes(stmt, 0);
        *data = malloc(n ? n : 1);
        if (*data) {
            memcpy(*data, sqlite3_column_blob(stmt, 0), n);
            *size = n;
            result = 0;
        } else {
            result = -ENOMEM;
        }
    } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        result = db_fail(db, "file content");
    }
    sqlite3_reset(stmt);
    return result;
}

static int set_text(struct db *db, const char *sql, int64_t id, const char *text, const char *what)
{
    sqlite3_stmt *stmt = db_sql(db, sql);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, id);
    sqlite3_bind_text(stmt, 2, text, -1, SQLITE_TRANSIENT);
    return db_exec_stmt(db, stmt, what);
}

int db_file_set_file_id(struct db *db, int64_t id, const char *file_id)
{
    return set_text(db, sql_file_set_file_id, id, file_id, "file set file_id");
}

int db_file_set_local(struct db *db, int64_t id, const char *local_path)
{
    return set_text(db, sql_file_set_local, id, local_path, "file set local");
}

int db_file_mark_lost(struct db *db, int64_t id)
{
    return set_text(db, sql_file_mark_lost, id, DB_FILE_LOST_SUFFIX, "file mark lost");
}

/* --- downloads ------------------------------------------------------------ */

static const char sql_download_queue[] =
    "INSERT OR IGNORE INTO downloads(file_row, not_before) VALUES (?1, 0)";
static const char sql_download_next[] =
    "SELECT file_row, attempts FROM downloads WHERE not_before <= ?1 ORDER BY not_before LIMIT 1";
static const char sql_download_next_due[] = "SELECT min(not_before) FROM downloads";
static const char sql_download_done[] = "DELETE FROM downloads WHERE file_row = ?1";
static const char sql_download_defer[] =
    "UPDATE downloads SET not_before = ?2, attempts = ?3, last_error = ?4 WHERE file_row = ?1";

int db_download_queue(struct db *db, int64_t file_row)
{
    sqlite3_stmt *stmt = db_sql(db, sql_download_queue);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, file_row);
    return db_exec_stmt(db, stmt, "download queue");
}

int db_download_next(struct db *db, int64_t now_ms, int64_t *file_row, int *attempts)
{
    sqlite3_stmt *stmt = db_sql(db, sql_download_next);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, now_ms);
    int rc = db_step(db, stmt);
    if (rc == SQLITE_ROW) {
        *file_row = sqlite3_column_int64(stmt, 0);
        *attempts = sqlite3_column_int(stmt, 1);
    }
    sqlite3_reset(stmt);
    if (rc == SQLITE_ROW)
        return 0;
    return rc == SQLITE_DONE ? -ENOENT : db_fail(db, "download next");
}

int db_download_next_due(struct db *db, int64_t *when_ms)
{
    return db_query_min(db, sql_download_next_due, when_ms, "download next due");
}

int db_download_done(struct db *db, int64_t file_row)
{
    sqlite3_stmt *stmt = db_sql(db, sql_download_done);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, file_row);
    return db_exec_stmt(db, stmt, "download done");
}

int db_download_defer(struct db *db, int64_t file_row, int64_t not_before_ms, int attempts,
                      const char *error)
{
    sqlite3_stmt *stmt = db_sql(db, sql_download_defer);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, file_row);
    sqlite3_bind_int64(stmt, 2, not_before_ms);
    sqlite3_bind_int(stmt, 3, attempts);
    db_bind_text_or_null(stmt, 4, error);
    return db_exec_stmt(db, stmt, "download defer");
}

/* --- conversations and card drafts ---------------------------------------- */

static const char sql_conversation_get[] =
    "SELECT kind, data FROM conversations WHERE telegram_id = ?1";
static const char sql_conversation_set[] =
    "INSERT INTO conversations(telegram_id, kind, data, updated_at) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT(telegram_id) DO UPDATE SET kind = excluded.kind, data = excluded.data, "
    "updated_at = excluded.updated_at";
static const char sql_conversation_clear[] = "DELETE FROM conversations WHERE telegram_id = ?1";
static const char sql_card_draft_get[] =
    "SELECT data FROM card_drafts WHERE case_id = ?1 AND step = ?2";
static const char sql_card_draft_set[] =
    "INSERT INTO card_drafts(case_id, step, data) VALUES (?1, ?2, ?3) "
    "ON CONFLICT(case_id, step) DO UPDATE SET data = excluded.data";
static const char sql_card_draft_clear[] = "DELETE FROM card_drafts WHERE case_id = ?1 AND step = ?2";

int db_conversation_get(struct db *db, int64_t telegram_id, char *kind, size_t kind_size,
                        char **data)
{
    *data = NULL;
    sqlite3_stmt *stmt = db_sql(db, sql_conversation_get);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, telegram_id);
    int rc = db_step(db, stmt);
    int result = -ENOENT, oom = 0;
    if (rc == SQLITE_ROW) {
        db_copy_text(kind, kind_size, stmt, 0);
        *data = db_column_strdup(stmt, 1, &oom);
        result = oom ? -ENOMEM : 0;
    } else if (rc != SQLITE_DONE) {
        result = db_fail(db, "conversation get");
    }
    sqlite3_reset(stmt);
    return result;
}

int db_conversation_set(struct db *db, int64_t telegram_id, const char *kind, const char *data,
                        int64_t now)
{
    sqlite3_stmt *stmt = db_sql(db, sql_conversation_set);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, telegram_id);
    sqlite3_bind_text(stmt, 2, kind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 3, data, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 4, now);
    return db_exec_stmt(db, stmt, "conversation set");
}

int db_conversation_clear(struct db *db, int64_t telegram_id)
{
    sqlite3_stmt *stmt = db_sql(db, sql_conversation_clear);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, telegram_id);
    return db_exec_stmt(db, stmt, "conversation clear");
}

int db_card_draft_get(struct db *db, int64_t case_id, int step, char **data)
{
    *data = NULL;
    sqlite3_stmt *stmt = db_sql(db, sql_card_draft_get);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, case_id);
    sqlite3_bind_int(stmt, 2, step);
    int rc = db_step(db, stmt);
    int result = -ENOENT, oom = 0;
    if (rc == SQLITE_ROW) {
        *data = db_column_strdup(stmt, 0, &oom);
        result = oom ? -ENOMEM : 0;
    } else if (rc != SQLITE_DONE) {
        result = db_fail(db, "card draft get");
    }
    sqlite3_reset(stmt);
    return result;
}

int db_card_draft_set(struct db *db, int64_t case_id, int step, const char *data)
{
    sqlite3_stmt *stmt = db_sql(db, sql_card_draft_set);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, case_id);
    sqlite3_bind_int(stmt, 2, step);
    sqlite3_bind_text(stmt, 3, data, -1, SQLITE_TRANSIENT);
    return db_exec_stmt(db, stmt, "card draft set");
}

int db_card_draft_clear(struct db *db, int64_t case_id, int step)
{
    sqlite3_stmt *stmt = db_sql(db, sql_card_draft_clear);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, case_id);
    sqlite3_bind_int(stmt, 2, step);
    return db_exec_stmt(db, stmt, "card draft clear");
}
