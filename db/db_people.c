/* Bot state and people: the update offset, users, officials. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

#define OFFSET_KEY "update_offset"

int db_offset_get(struct db *db, int64_t *offset)
{
    sqlite3_stmt *stmt = db_stmt(db, STMT_STATE_GET);
    if (!stmt)
        return -EIO;
    sqlite3_bind_text(stmt, 1, OFFSET_KEY, -1, SQLITE_STATIC);
    int rc = db_step(db, stmt);
    *offset = 0;
    if (rc == SQLITE_ROW)
        *offset = strtoll((const char *)sqlite3_column_text(stmt, 0), NULL, 10);
    sqlite3_reset(stmt);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, "offset get");
}

int db_offset_set(struct db *db, int64_t offset)
{
    sqlite3_stmt *stmt = db_stmt(db, STMT_STATE_SET);
    if (!stmt)
        return -EIO;
    char text[24];
    snprintf(text, sizeof text, "%" PRId64, offset);
    sqlite3_bind_text(stmt, 1, OFFSET_KEY, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, text, -1, SQLITE_TRANSIENT);
    return db_exec_stmt(db, stmt, "offset set");
}

int db_user_touch(struct db *db, int64_t telegram_id, const char *first_name,
                  const char *username, const char *tg_language, int64_t now)
{
    sqlite3_stmt *stmt = db_stmt(db, STMT_USER_TOUCH);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, telegram_id);
    db_bind_text_or_null(stmt, 2, first_name);
    db_bind_text_or_null(stmt, 3, username);
    db_bind_text_or_null(stmt, 4, tg_language);
    sqlite3_bind_int64(stmt, 5, now);
    return db_exec_stmt(db, stmt, "user touch");
}

int db_user_get(struct db *db, int64_t telegram_id, struct db_user *out)
{
    sqlite3_stmt *stmt = db_stmt(db, STMT_USER_GET);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, telegram_id);
    int rc = db_step(db, stmt);
    if (rc == SQLITE_ROW) {
        memset(out, 0, sizeof *out);
        out->telegram_id = telegram_id;
        snprintf(out->language, sizeof out->language, "%s", sqlite3_column_text(stmt, 0));
        snprintf(out->tg_language, sizeof out->tg_language, "%s", sqlite3_column_text(stmt, 1));
        out->reachable = sqlite3_column_int(stmt, 2) != 0;
    }
    sqlite3_reset(stmt);
    if (rc == SQLITE_ROW)
        return 0;
    return rc == SQLITE_DONE ? -ENOENT : db_fail(db, "user get");
}

int db_user_set_language(struct db *db, int64_t telegram_id, const char *language)
{
    sqlite3_stmt *stmt = db_stmt(db, STMT_USER_SET_LANGUAGE);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, telegram_id);
    sqlite3_bind_text(stmt, 2, language, -1, SQLITE_TRANSIENT);
    int rc = db_exec_stmt(db, stmt, "user set language");
    if (!rc && sqlite3_changes(db->conn) == 0)
        return -ENOENT;
    return rc;
}

int db_user_set_reachable(struct db *db, int64_t telegram_id, bool reachable, int64_t now)
{
    sqlite3_stmt *stmt = db_stmt(db, STMT_USER_SET_REACHABLE);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, telegram_id);
    sqlite3_bind_int(stmt, 2, reachable ? 1 : 0);
    sqlite3_bind_int64(stmt, 3, now);
    return db_exec_stmt(db, stmt, "user set reachable");
}

int db_officials_sync(struct db *db, const struct official *officials, size_t count)
{
    int rc = db_begin(db);
    if (rc)
        return rc;
    sqlite3_stmt *stmt = db_stmt(db, STMT_OFFICIAL_DEACTIVATE_ALL);
    rc = stmt ? db_exec_stmt(db, stmt, "officials deactivate") : -EIO;
    for (size_t i = 0; !rc && i < count; i++) {
        stmt = db_stmt(db, STMT_OFFICIAL_UPSERT);
        if (!stmt) {
            rc = -EIO;
            break;
        }
        sqlite3_bind_int64(stmt, 1, officials[i].telegram_id);
        sqlite3_bind_text(stmt, 2, role_key(officials[i].role), -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 3, officials[i].name, -1, SQLITE_TRANSIENT);
        rc = db_exec_stmt(db, stmt, "official upsert");
    }
    if (!rc)
        rc = db_commit(db);
    if (rc)
        db_rollback(db);
    return rc;
}

int db_official_role(struct db *db, int64_t telegram_id, enum role *out)
{
    sqlite3_stmt *stmt = db_stmt(db, STMT_OFFICIAL_ROLE);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, telegram_id);
    int rc = db_step(db, stmt);
    *out = ROLE_NONE;
    if (rc == SQLITE_ROW)
        *out = role_parse((const char *)sqlite3_column_text(stmt, 0));
    sqlite3_reset(stmt);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, "official role");
}

int db_update_failed(struct db *db, int64_t update_id, const char *raw, const char *reason,
                     int64_t now)
{
    sqlite3_stmt *stmt = db_stmt(db, STMT_UPDATE_FAILED);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, update_id);
    sqlite3_bind_int64(stmt, 2, now);
    sqlite3_bind_text(stmt, 3, raw, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 4, reason, -1, SQLITE_TRANSIENT);
    return db_exec_stmt(db, stmt, "update failed");
}

int db_state_get(struct db *db, const char *key, char *value, size_t size)
{
    sqlite3_stmt *stmt = db_stmt(db, STMT_STATE_GET);
    if (!stmt)
        return -EIO;
    sqlite3_bind_text(stmt, 1, key, -1, SQLITE_TRANSIENT);
    int rc = db_step(db, stmt);
    if (rc == SQLITE_ROW)
        db_copy_text(value, size, stmt, 0);
    sqlite3_reset(stmt);
    if (rc == SQLITE_ROW)
        return 0;
    return rc == SQLITE_DONE ? -ENOENT : db_fail(db, "state get");
}

int db_state_set(struct db *db, const char *key, const char *value)
{
    sqlite3_stmt *stmt = db_stmt(db, STMT_STATE_SET);
    if (!stmt)
        return -EIO;
    sqlite3_bind_text(stmt, 1, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 2, value, -1, SQLITE_TRANSIENT);
    return db_exec_stmt(db, stmt, "state set");
}
