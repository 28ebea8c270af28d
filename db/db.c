#include "db_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db_audit_chain.h"
#include "log.h"

static const char *const stmt_sql[STMT_COUNT] = {
    [STMT_BEGIN] = "BEGIN IMMEDIATE",
    [STMT_COMMIT] = "COMMIT",
    [STMT_ROLLBACK] = "ROLLBACK",
    [STMT_STATE_GET] = "SELECT value FROM bot_state WHERE key = ?1",
    [STMT_STATE_SET] = "INSERT INTO bot_state(key, value) VALUES (?1, ?2) "
                       "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    [STMT_USER_TOUCH] =
        "INSERT INTO users(telegram_id, first_name, username, tg_language, reachable, first_seen, last_seen) "
        "VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5) "
        "ON CONFLICT(telegram_id) DO UPDATE SET first_name = excluded.first_name, "
        "username = excluded.username, tg_language = excluded.tg_language, reachable = 1, "
        "last_seen = excluded.last_seen",
    [STMT_USER_GET] = "SELECT coalesce(language, ''), coalesce(tg_language, ''), reachable "
                      "FROM users WHERE telegram_id = ?1",
    [STMT_USER_SET_LANGUAGE] = "UPDATE users SET language = ?2 WHERE telegram_id = ?1",
    [STMT_USER_SET_REACHABLE] =
        "INSERT INTO users(telegram_id, reachable, first_seen, last_seen) VALUES (?1, ?2, ?3, ?3) "
        "ON CONFLICT(telegram_id) DO UPDATE SET reachable = excluded.reachable",
    /* Officials an admin changed in chat (source 'admin') are left alone. */
    [STMT_OFFICIAL_DEACTIVATE_ALL] = "UPDATE officials SET active = 0 WHERE source = 'config'",
    [STMT_OFFICIAL_UPSERT] =
        "INSERT INTO officials(telegram_id, role, name, active) VALUES (?1, ?2, ?3, 1) "
        "ON CONFLICT(telegram_id) DO UPDATE SET role = excluded.role, name = excluded.name, active = 1 "
        "WHERE officials.source = 'config'",
    [STMT_OFFICIAL_ROLE] = "SELECT role FROM officials WHERE telegram_id = ?1 AND active = 1",
    /* A new row is due at once (not_before 0): its created_at is business
     * time, which tests may set anywhere, while retries are timed by the
     * sender in wall-clock time. */
    [STMT_OUTBOX_PUSH] = "INSERT INTO outbox(chat_id, method, payload, card_key, created_at, not_before) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, 0)",
    [STMT_OUTBOX_HEADS] =
        "SELECT o.id, o.chat_id, o.method, o.payload, o.card_key, o.attempts FROM outbox o "
        "WHERE o.id IN (SELECT min(id) FROM outbox GROUP BY chat_id) AND o.not_before <= ?1 "
        "ORDER BY o.id LIMIT ?2",
    [STMT_OUTBOX_NEXT_DUE] =
        "SELECT min(not_before) FROM outbox WHERE id IN (SELECT min(id) FROM outbox GROUP BY chat_id)",
    [STMT_OUTBOX_COUNT] = "SELECT count(*) FROM outbox",
    [STMT_OUTBOX_DELETE] = "DELETE FROM outbox WHERE id = ?1",
    [STMT_CARD_SET] = "INSERT INTO card_messages(card_key, chat_id, message_id) VALUES (?1, ?2, ?3) "
                      "ON CONFLICT(card_key) DO UPDATE SET chat_id = excluded.chat_id, "
                      "message_id = excluded.message_id",
    [STMT_CARD_GET] = "SELECT chat_id, message_id FROM card_messages WHERE card_key = ?1",
    [STMT_OUTBOX_DEFER] = "UPDATE outbox SET not_before = ?2, attempts = ?3, last_error = ?4 WHERE id = ?1",
    [STMT_OUTBOX_RETARGET] = "UPDATE outbox SET chat_id = ?2, payload = ?3 WHERE id = ?1",
    [STMT_OUTBOX_COPY_FAILED] =
        "INSERT INTO outbox_failed(id, chat_id, method, payload, card_key, created_at, failed_at, "
        "error_code, description) SELECT id, chat_id, method, payload, card_key, created_at, ?2, ?3, ?4 "
        "FROM outbox WHERE id = ?1",
    [STMT_OUTBOX_FAILED_COUNT] = "SELECT count(*) FROM outbox_failed",
    [STMT_UPDATE_FAILED] = "INSERT INTO failed_updates(update_id, received_at, raw, reason) "
                           "VALUES (?1, ?2, ?3, ?4)",
};

int db_fail(struct db *db, const char *what)
{
    log_error("db", "%s: %s", what, sqlite3_errmsg(db->conn));
    switch (sqlite3_errcode(db->conn) & 0xff) {
    case SQLITE_FULL:
        return db->storage_error = -ENOSPC;
    case SQLITE_READONLY:
        return db->storage_error = -EROFS;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
        return db->storage_error = -EIO;
    default:
        return -EIO;
    }
}

/* Every statement is prepared here, so the test hook sees them all. */
static sqlite3_stmt *prepare(struct db *db, const char *sql)
{
    if (db->test_fail_sql && strstr(sql, db->test_fail_sql)) {
        log_error("db", "prepare: SQL logic error (test hook \"%s\")", db->test_fail_sql);
        return NULL;
    }
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) !=
        SQLITE_OK) {
        db_fail(db, "prepare");
        return NULL;
    }
    return stmt;
}

sqlite3_stmt *db_stmt(struct db *db, enum db_stmt which)
{
    sqlite3_stmt *stmt = db->stmts[which];
    if (stmt) {
        sqlite3_reset(stmt);
        sqlite3_clear_bindings(stmt);
        return stmt;
    }
    stmt = prepare(db, stmt_sql[which]);
    if (!stmt)
        return NULL;
    db->stmts[which] = stmt;
    return stmt;
}

sqlite3_stmt *db_sql(struct db *db, const char *sql)
{
    for (size_t i = 0; i < db->cache_count; i++) {
        if (db->cache[i].sql == sql) {
            sqlite3_reset(db->cache[i].stmt);
            sqlite3_clear_bindings(db->cache[i].stmt);
            return db->cache[i].stmt;
        }
    }
    if (db->cache_count == DB_CACHE_MAX) {
        log_error("db", "statement cache full: raise DB_CACHE_MAX");
        return NULL;
    }
    sqlite3_stmt *stmt = prepare(db, sql);
    if (!stmt)
        return NULL;
    db->cache[db->cache_count].sql = sql;
    db->cache[db->cache_count].stmt = stmt;
    db->cache_count++;
    return stmt;
}

void db_bind_text_or_null(sqlite3_stmt *stmt, int index, const char *text)
{
    if (text && text[0])
        sqlite3_bind_text(stmt, index, text, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(stmt, index);
}

void db_copy_text(char *out, size_t size, sqlite3_stmt *stmt, int col)
{
    const unsigned char *text = sqlite3_column_text(stmt, col);
    snprintf(out, size, "%s", text ? (const char *)text : "");
}

int db_step_one(struct db *db, sqlite3_stmt *stmt, const char *what,
                    void (*read)(sqlite3_stmt *, void *), void *out)
{
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        read(stmt, out);
    sqlite3_reset(stmt);
    if (rc == SQLITE_ROW)
        return 0;
    return rc == SQLITE_DONE ? -ENOENT : db_fail(db, what);
}

int db_step_many(struct db *db, sqlite3_stmt *stmt, const char *what,
                     void (*read)(sqlite3_stmt *, void *), void *out, size_t item_size,
                     size_t max, size_t *count)
{
    *count = 0;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && *count < max) {
        read(stmt, (char *)out + *count * item_size);
        (*count)++;
    }
    sqlite3_reset(stmt);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, what);
}

int db_query_min(struct db *db, const char *sql, int64_t *out, const char *what)
{
    sqlite3_stmt *stmt = db_sql(db, sql);
    if (!stmt)
        return -EIO;
    int rc = sqlite3_step(stmt);
    int result = -ENOENT;
    if (rc == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL) {
        *out = sqlite3_column_int64(stmt, 0);
        result = 0;
    } else if (rc != SQLITE_ROW) {
        result = db_fail(db, what);
    }
    sqlite3_reset(stmt);
    return result;
}

int db_exec_stmt(struct db *db, sqlite3_stmt *stmt, const char *what)
{
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return db_fail(db, what);
    return 0;
}

char *db_column_strdup(sqlite3_stmt *stmt, int col, int *oom)
{
    const unsigned char *text = sqlite3_column_text(stmt, col);
    if (!text)
        return NULL;
    size_t n = (size_t)sqlite3_column_bytes(stmt, col);
    char *copy = malloc(n + 1);
    if (!copy) {
        *oom = 1;
        return NULL;
    }
    memcpy(copy, text, n + 1);
    return copy;
}

/* SQLite would create a missing file with the process umask; the database
 * holds people's names and letters, so it is created owner-only first (the WAL
 * and shm files inherit the database file's permissions). */
static int create_private_file(const char *path, char *err, size_t err_size)
{
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        close(fd);
        return 0;
    }
    if (errno == EEXIST)
        return 0;
    int e = errno;
    snprintf(err, err_size, "database %s: cannot create: %s", path, strerror(e));
    return -e;
}

static int exec_pragma(struct db *db, const char *sql, char *err, size_t err_size)
{
    char *msg = NULL;
    if (sqlite3_exec(db->conn, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, err_size, "database: %s: %s", sql, msg ? msg : "failed");
        sqlite3_free(msg);
        return -EIO;
    }
    return 0;
}

/* Audit rows written before the hash chain existed (or by an older build)
 * are sealed in id order, in one transaction; nothing to do normally. */
static int seal_audit_backlog(struct db *db, char *err, size_t err_size)
{
    int rc = db_begin(db);
    if (!rc)
        rc = db_audit_chain_seal(db);
    if (!rc)
        rc = db_commit(db);
    if (rc) {
        db_rollback(db);
        snprintf(err, err_size, "database: cannot seal the audit trail: %s",
                 sqlite3_errmsg(db->conn));
    }
    return rc;
}

int db_open(const char *path, struct db **out, char *err, size_t err_size)
{
    *out = NULL;
    int rc = create_private_file(path, err, err_size);
    if (rc)
        return rc;
    struct db *db = calloc(1, sizeof *db);
    if (!db) {
        snprintf(err, err_size, "out of memory");
        return -ENOMEM;
    }
    if (sqlite3_open_v2(path, &db->conn, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        snprintf(err, err_size, "database %s: %s", path,
                 db->conn ? sqlite3_errmsg(db->conn) : "cannot open");
        db_close(db);
        return -EIO;
    }
    sqlite3_extended_result_codes(db->conn, 1);
    /* Short busy timeout: only a backup tool or the sqlite3 shell would ever
     * hold the lock, and the loop must not stall long behind them. */
    sqlite3_busy_timeout(db->conn, 2000);
    /* WAL lets a reader (an operator's sqlite3 shell, a backup) work beside the
     * bot. synchronous=FULL because the update offset committed here is what
     * tells Telegram an update is handled: after a power cut, a commit that
     * NORMAL had not yet synced could be gone while Telegram already forgot
     * the update. FULL costs one more fsync per transaction; at a city
     * agency's volume that is nothing. */
    static const char *const pragmas[] = {
        "PRAGMA journal_mode = WAL",
        "PRAGMA synchronous = FULL",
        "PRAGMA foreign_keys = ON",
        "PRAGMA trusted_schema = OFF",
    };
    for (size_t i = 0; i < sizeof pragmas / sizeof pragmas[0]; i++) {
        rc = exec_pragma(db, pragmas[i], err, err_size);
        if (rc) {
            db_close(db);
            return rc;
        }
    }
    rc = db_migrate(db, err, err_size);
    if (!rc)
        rc = seal_audit_backlog(db, err, err_size);
    if (rc) {
        db_close(db);
        return rc;
    }
    *out = db;
    return 0;
}

void db_close(struct db *db)
{
    if (!db)
        return;
    for (int i = 0; i < STMT_COUNT; i++)
        sqlite3_finalize(db->stmts[i]);
    for (size_t i = 0; i < db->cache_count; i++)
        sqlite3_finalize(db->cache[i].stmt);
    free(db->test_fail_file);
    free(db->test_fail_sql);
    sqlite3_close(db->conn);
    free(db);
}

int db_schema_version(struct db *db)
{
    sqlite3_stmt *stmt;
    int version = -1;
    if (sqlite3_prepare_v2(db->conn, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK) {
        if (sqlite3_step(stmt) == SQLITE_ROW)
            version = sqlite3_column_int(stmt, 0);
        sqlite3_finalize(stmt);
    }
    return version;
}

int db_schema_latest(void) { return db_migration_count; }

int db_begin(struct db *db)
{
    db->storage_error = 0;
    if (db->test_fail_file && access(db->test_fail_file, F_OK) == 0) {
        log_error("db", "begin: database or disk is full (test hook %s)", db->test_fail_file);
        return db->storage_error = -ENOSPC;
    }
    sqlite3_stmt *stmt = db_stmt(db, STMT_BEGIN);
    return stmt ? db_exec_stmt(db, stmt, "begin") : -EIO;
}

int db_storage_error(struct db *db) { return db->storage_error; }

int db_set_test_fail_file(struct db *db, const char *path)
{
    free(db->test_fail_file);
    db->test_fail_file = path ? strdup(path) : NULL;
    return !path || db->test_fail_file ? 0 : -ENOMEM;
}

int db_set_test_fail_sql(struct db *db, const char *substring)
{
    free(db->test_fail_sql);
    db->test_fail_sql = substring && substring[0] ? strdup(substring) : NULL;
    return !substring || !substring[0] || db->test_fail_sql ? 0 : -ENOMEM;
}

int db_commit(struct db *db)
{
    sqlite3_stmt *stmt = db_stmt(db, STMT_COMMIT);
    return stmt ? db_exec_stmt(db, stmt, "commit") : -EIO;
}

void db_rollback(struct db *db)
{
    if (sqlite3_get_autocommit(db->conn))
        return; /* SQLite already rolled back (e.g. after SQLITE_FULL) */
    sqlite3_stmt *stmt = db_stmt(db, STMT_ROLLBACK);
    if (stmt)
        db_exec_stmt(db, stmt, "rollback");
}
