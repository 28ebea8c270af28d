/* Shared by the files of db/ only: the connection and its prepared statements. */
#ifndef SERTIBOT_DB_INTERNAL_H
#define SERTIBOT_DB_INTERNAL_H

#include <sqlite3.h>

#include "db.h"

enum db_stmt {
    STMT_BEGIN,
    STMT_COMMIT,
    STMT_ROLLBACK,
    STMT_STATE_GET,
    STMT_STATE_SET,
    STMT_USER_TOUCH,
    STMT_USER_GET,
    STMT_USER_SET_LANGUAGE,
    STMT_USER_SET_REACHABLE,
    STMT_OFFICIAL_DEACTIVATE_ALL,
    STMT_OFFICIAL_UPSERT,
    STMT_OFFICIAL_ROLE,
    STMT_OUTBOX_PUSH,
    STMT_OUTBOX_HEADS,
    STMT_OUTBOX_NEXT_DUE,
    STMT_OUTBOX_COUNT,
    STMT_OUTBOX_DELETE,
    STMT_CARD_SET,
    STMT_CARD_GET,
    STMT_OUTBOX_DEFER,
    STMT_OUTBOX_RETARGET,
    STMT_OUTBOX_COPY_FAILED,
    STMT_OUTBOX_FAILED_COUNT,
    STMT_UPDATE_FAILED,
    STMT_COUNT
};

/* Statements of the SOP's tables, prepared on first use and kept, found by
 * the address of their (static) SQL text. */
struct db_cached_stmt {
    const char *sql;
    sqlite3_stmt *stmt;
};

#define DB_CACHE_MAX 192

struct db {
    sqlite3 *conn;
    sqlite3_stmt *stmts[STMT_COUNT];
    struct db_cached_stmt cache[DB_CACHE_MAX];
    size_t cache_count;
    /* The storage failed (disk full, read-only, I/O error) since the last
     * db_begin: -ENOSPC, -EROFS or -EIO; 0 if not. */
    int storage_error;
    /* Tests only (SERTIBOT_TEST_DB_FAIL_FILE): while this file exists, a
     * write transaction fails as if the disk were full. NULL normally. */
    char *test_fail_file;
    /* Tests only (SERTIBOT_TEST_FAIL_SQL): statements containing this fail
     * to prepare. NULL normally. */
    char *test_fail_sql;
};

/* The statement, prepared on first use and reset for the caller; NULL on error
 * (logged). */
sqlite3_stmt *db_stmt(struct db *db, enum db_stmt which);
/* The statement for `sql`, which must be a string with static storage (its
 * address is the cache key), prepared once, reset and unbound for the caller;
 * NULL on error (logged). */
sqlite3_stmt *db_sql(struct db *db, const char *sql);
/* Binds text, or NULL for a NULL or empty string. */
void db_bind_text_or_null(sqlite3_stmt *stmt, int index, const char *text);
/* A text column copied into a fixed buffer ("" for NULL), truncated if long. */
void db_copy_text(char *out, size_t size, sqlite3_stmt *stmt, int col);
/* Steps a query expected to return one row, read by `read`; -ENOENT if none. */
int db_step_one(struct db *db, sqlite3_stmt *stmt, const char *what,
                void (*read)(sqlite3_stmt *, void *), void *out);
/* Steps a query returning rows, each read into the next of `max` slots of
 * `item_size` bytes at `out`; rows past `max` are left unread. */
int db_step_many(struct db *db, sqlite3_stmt *stmt, const char *what,
                 void (*read)(sqlite3_stmt *, void *), void *out, size_t item_size,
                 size_t max, size_t *count);
/* Runs `sql` (static, as for db_sql), which yields one nullable integer (a
 * min() or max()): 0 with *out set, or -ENOENT for NULL. */
int db_query_min(struct db *db, const char *sql, int64_t *out, const char *what);
/* Logs SQLite's message for a failed call and returns -EIO. */
int db_fail(struct db *db, const char *what);
/* Steps a statement that returns no rows; 0 or -EIO. */
int db_exec_stmt(struct db *db, sqlite3_stmt *stmt, const char *what);
/* malloc'd copy of a text column, or NULL for SQL NULL; sets *oom on failure. */
char *db_column_strdup(sqlite3_stmt *stmt, int col, int *oom);

/* migrations.c */
int db_migrate(struct db *db, char *err, size_t err_size);
extern const int db_migration_count;

#endif
