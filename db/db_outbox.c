/* The outbox: API calls decided inside a transaction, sent after it commits. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

void outbox_row_clear(struct outbox_row *row)
{
    free(row->method);
    free(row->payload);
    free(row->card_key);
    memset(row, 0, sizeof *row);
}

int db_outbox_push(struct db *db, int64_t chat_id, const char *method, const char *payload,
                   const char *card_key, int64_t now_ms)
{
    sqlite3_stmt *stmt = db_stmt(db, STMT_OUTBOX_PUSH);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, chat_id);
    sqlite3_bind_text(stmt, 2, method, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 3, payload, -1, SQLITE_TRANSIENT);
    if (card_key)
        sqlite3_bind_text(stmt, 4, card_key, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(stmt, 4);
    sqlite3_bind_int64(stmt, 5, now_ms);
    return db_exec_stmt(db, stmt, "outbox push");
}

/* A row from (id, chat_id, method, payload, card_key, attempts); *oom set if a
 * copy failed. */
static void read_row(sqlite3_stmt *stmt, struct outbox_row *row, int *oom)
{
    memset(row, 0, sizeof *row);
    row->id = sqlite3_column_int64(stmt, 0);
    row->chat_id = sqlite3_column_int64(stmt, 1);
    row->method = db_column_strdup(stmt, 2, oom);
    row->payload = db_column_strdup(stmt, 3, oom);
    row->card_key = db_column_strdup(stmt, 4, oom);
    row->attempts = sqlite3_column_int(stmt, 5);
}

int db_outbox_heads(struct db *db, int64_t now_ms, struct outbox_row *rows, size_t max,
                    size_t *count)
{
    *count = 0;
    sqlite3_stmt *stmt = db_stmt(db, STMT_OUTBOX_HEADS);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, now_ms);
    sqlite3_bind_int64(stmt, 2, (sqlite3_int64)max);
    int rc, oom = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && *count < max) {
        read_row(stmt, &rows[*count], &oom);
        (*count)++;
        if (oom)
            break;
    }
    sqlite3_reset(stmt);
    if (oom || (rc != SQLITE_DONE && rc != SQLITE_ROW)) {
        for (size_t i = 0; i < *count; i++)
            outbox_row_clear(&rows[i]);
        *count = 0;
        return oom ? -ENOMEM : db_fail(db, "outbox heads");
    }
    return 0;
}

/* A head from (id, chat_id, not_before). */
static void read_head(sqlite3_stmt *stmt, void *out)
{
    struct outbox_head *head = out;
    head->id = sqlite3_column_int64(stmt, 0);
    head->chat_id = sqlite3_column_int64(stmt, 1);
    head->not_before_ms = sqlite3_column_int64(stmt, 2);
}

int db_outbox_waiting(struct db *db, struct outbox_head **heads, size_t *capacity, size_t *count)
{
    static const char sql[] =
        "SELECT o.id, o.chat_id, o.not_before FROM outbox o "
        "WHERE o.id IN (SELECT min(id) FROM outbox GROUP BY chat_id) ORDER BY o.id";
    *count = 0;
    sqlite3_stmt *stmt = db_sql(db, sql);
    if (!stmt)
        return -EIO;
    int rc, result = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        if (*count == *capacity) {
            size_t grown = *capacity ? *capacity * 2 : 64;
            struct outbox_head *more = realloc(*heads, grown * sizeof **heads);
            if (!more) {
                result = -ENOMEM;
                goto out;
            }
            *heads = more;
            *capacity = grown;
        }
        read_head(stmt, &(*heads)[(*count)++]);
    }
    if (rc != SQLITE_DONE)
        result = db_fail(db, "outbox waiting");
out:
    sqlite3_reset(stmt);
    if (result)
        *count = 0;
    return result;
}

int db_outbox_chat_head(struct db *db, int64_t chat_id, struct outbox_head *head)
{
    static const char sql[] =
        "SELECT id, chat_id, not_before FROM outbox WHERE chat_id = ?1 ORDER BY id LIMIT 1";
    sqlite3_stmt *stmt = db_sql(db, sql);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, chat_id);
    return db_step_one(db, stmt, "outbox chat head", read_head, head);
}

int db_outbox_get(struct db *db, int64_t row_id, struct outbox_row *row)
{
    static const char sql[] =
        "SELECT id, chat_id, method, payload, card_key, attempts FROM outbox WHERE id = ?1";
    memset(row, 0, sizeof *row);
    sqlite3_stmt *stmt = db_sql(db, sql);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, row_id);
    int oom = 0, result = 0;
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        read_row(stmt, row, &oom);
        if (oom) {
            outbox_row_clear(row);
            result = -ENOMEM;
        }
    } else {
        result = rc == SQLITE_DONE ? -ENOENT : db_fail(db, "outbox get");
    }
    sqlite3_reset(stmt);
    return result;
}

static int single_int64(struct db *db, enum db_stmt which, int64_t *out, const char *what)
{
    sqlite3_stmt *stmt = db_stmt(db, which);
    if (!stmt)
        return -EIO;
    int rc = sqlite3_step(stmt);
    int is_null = rc == SQLITE_ROW && sqlite3_column_type(stmt, 0) == SQLITE_NULL;
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(stmt, 0);
    sqlite3_reset(stmt);
    if (rc != SQLITE_ROW)
        return db_fail(db, what);
    return is_null ? -ENOENT : 0;
}

int db_outbox_next_due(struct db *db, int64_t *when_ms)
{
    return single_int64(db, STMT_OUTBOX_NEXT_DUE, when_ms, "outbox next due");
}

int db_outbox_count(struct db *db, int64_t *count)
{
    return single_int64(db, STMT_OUTBOX_COUNT, count, "outbox count");
}

int db_outbox_failed_count(struct db *db, int64_t *count)
{
    return single_int64(db, STMT_OUTBOX_FAILED_COUNT, count, "outbox failed count");
}

static int delete_row(struct db *db, int64_t row_id)
{
    sqlite3_stmt *stmt = db_stmt(db, STMT_OUTBOX_DELETE);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, row_id);
    return db_exec_stmt(db, stmt, "outbox delete");
}

int db_outbox_done(struct db *db, const struct outbox_row *row, int64_t message_id)
{
    int rc = db_begin(db);
    if (rc)
        return rc;
    rc = delete_row(db, row->id);
    if (!rc && row->card_key && message_id > 0)
        rc = db_card_set(db, row->card_key, row->chat_id, message_id);
    if (!rc)
        rc = db_commit(db);
    if (rc)
        db_rollback(db);
    return rc;
}

int db_outbox_defer(struct db *db, int64_t row_id, int64_t not_before_ms, int attempts,
                    const char *last_error)
{
    sqlite3_stmt *stmt = db_stmt(db, STMT_OUTBOX_DEFER);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, row_id);
    sqlite3_bind_int64(stmt, 2, not_before_ms);
    sqlite3_bind_int(stmt, 3, attempts);
    sqlite3_bind_text(stmt, 4, last_error ? last_error : "", -1, SQLITE_TRANSIENT);
    return db_exec_stmt(db, stmt, "outbox defer");
}

int db_outbox_retarget(struct db *db, int64_t row_id, int64_t new_chat_id, const char *payload)
{
    sqlite3_stmt *stmt = db_stmt(db, STMT_OUTBOX_RETARGET);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, row_id);
    sqlite3_bind_int64(stmt, 2, new_chat_id);
    sqlite3_bind_text(stmt, 3, payload, -1, SQLITE_TRANSIENT);
    return db_exec_stmt(db, stmt, "outbox retarget");
}

int db_outbox_fail(struct db *db, int64_t row_id, int error_code, const char *description,
                   int64_t now)
{
    int rc = db_begin(db);
    if (rc)
        return rc;
    sqlite3_stmt *stmt = db_stmt(db, STMT_OUTBOX_COPY_FAILED);
    rc = -EIO;
    if (stmt) {
        sqlite3_bind_int64(stmt, 1, row_id);
        sqlite3_bind_int64(stmt, 2, now);
        sqlite3_bind_int(stmt, 3, error_code);
        sqlite3_bind_text(stmt, 4, description ? description : "", -1, SQLITE_TRANSIENT);
        rc = db_exec_stmt(db, stmt, "outbox copy failed");
    }
    if (!rc)
        rc = delete_row(db, row_id);
    if (!rc)
        rc = db_commit(db);
    if (rc)
        db_rollback(db);
    return rc;
}

int db_card_set(struct db *db, const char *card_key, int64_t chat_id, int64_t message_id)
{
    sqlite3_stmt *stmt = db_stmt(db, STMT_CARD_SET);
    if (!stmt)
        return -EIO;
    sqlite3_bind_text(stmt, 1, card_key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 2, chat_id);
    sqlite3_bind_int64(stmt, 3, message_id);
    return db_exec_stmt(db, stmt, "card set");
}

int db_card_message(struct db *db, const char *card_key, int64_t *chat_id, int64_t *message_id)
{
    sqlite3_stmt *stmt = db_stmt(db, STMT_CARD_GET);
    if (!stmt)
        return -EIO;
    sqlite3_bind_text(stmt, 1, card_key, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        *chat_id = sqlite3_column_int64(stmt, 0);
        *message_id = sqlite3_column_int64(stmt, 1);
    }
    sqlite3_reset(stmt);
    if (rc == SQLITE_ROW)
        return 0;
    return rc == SQLITE_DONE ? -ENOENT : db_fail(db, "card get");
}
