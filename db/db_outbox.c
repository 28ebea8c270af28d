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
        struct outbox_row *row = &rows[*count];
        memset(row, 0, sizeof *row);
        row->id = sqlite3_column_int64(stmt, 0);
        row->chat_id = sqlite3_column_int64(stmt, 1);
        row->method = db_column_strdup(stmt, 2, &oom);
        row->payload = db_column_strdup(stmt, 3, &oom);
        row->card_key = db_column_strdup(stmt, 4, &oom);
        row->attempts = sqlite3_column_int(stmt, 5);
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
