/* db: the only module that speaks SQL. Everything sertibot must remember
 * (update offset, people, outbox, and later the cases) lives in one SQLite file.
 *
 * Promises:
 * - db_open creates the file readable by its owner only, turns on WAL, foreign
 *   keys, a busy timeout and synchronous=FULL, and migrates an older schema in
 *   place (numbered migrations, PRAGMA user_version). A file written by a newer
 *   sertibot is refused rather than damaged.
 * - Every statement is prepared once from a fixed text and bound: no SQL is ever
 *   built from input.
 * - Functions return 0 or a negative errno-style code (-EIO for an SQLite
 *   failure, which is logged here with SQLite's message; -ENOSPC or -EROFS
 *   when the disk is full or read-only; -ENOENT for "no such row"). A caller that gets an error inside db_begin/db_commit calls
 *   db_rollback.
 * Strings returned in structs are malloc'd and owned by the caller (the
 * matching *_clear function frees them). */
#ifndef SERTIBOT_DB_H
#define SERTIBOT_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "roles.h"

struct db;
struct official;

int db_open(const char *path, struct db **out, char *err, size_t err_size);
void db_close(struct db *db);
int db_schema_version(struct db *db);
/* The newest schema this build knows. */
int db_schema_latest(void);

/* When the storage fails (disk full, read-only, I/O error), the failing call
 * returns -ENOSPC, -EROFS or -EIO and db_storage_error says the same until
 * the next db_begin: it was the storage, not a bug or bad data. */
int db_begin(struct db *db);
int db_storage_error(struct db *db);
/* The last failed statement, "what: SQLite's message", for a record a person
 * reads; "" when none failed yet. */
const char *db_last_error(struct db *db);
/* Tests only: while `path` exists, db_begin fails as on a full disk. */
int db_set_test_fail_file(struct db *db, const char *path);
/* Tests only (SERTIBOT_TEST_FAIL_SQL): from now on, running a statement whose
 * SQL, with its bound values written in (sqlite3_expanded_sql), matches the
 * glob `glob` (sqlite3_strglob: case-sensitive, * ? [...]) fails as a
 * statement error: -EIO, not a storage error, the transaction still open.
 * NULL turns it off. */
int db_set_test_fail_sql(struct db *db, const char *glob);
/* Whether a transaction is open (SQLite ends one by itself on some errors). */
bool db_in_transaction(struct db *db);
int db_commit(struct db *db);
void db_rollback(struct db *db);

/* --- bot state ------------------------------------------------------------ */
/* The getUpdates offset to send next; 0 when none was stored yet. */
int db_offset_get(struct db *db, int64_t *offset);
int db_offset_set(struct db *db, int64_t offset);
/* Small named values the bot keeps (when a warning was last sent, ...). */
int db_state_get(struct db *db, const char *key, char *value, size_t size); /* -ENOENT */
int db_state_set(struct db *db, const char *key, const char *value);

/* --- people --------------------------------------------------------------- */
struct db_user {
    int64_t telegram_id;
    char language[8];     /* chosen with /bahasa; "" when never chosen */
    char tg_language[8];  /* Telegram's language_code as last seen; may be "" */
    bool reachable;       /* false after they blocked the bot */
};

/* Records that a person wrote to us (insert or refresh name and language code).
 * A person who writes is reachable again. */
int db_user_touch(struct db *db, int64_t telegram_id, const char *first_name,
                  const char *username, const char *tg_language, int64_t now);
int db_user_get(struct db *db, int64_t telegram_id, struct db_user *out); /* -ENOENT */
int db_user_set_language(struct db *db, int64_t telegram_id, const char *language);
int db_user_set_reachable(struct db *db, int64_t telegram_id, bool reachable, int64_t now);

/* Makes the officials table match the config's list (insert, update role and
 * name, deactivate the ones no longer listed), in one transaction. */
int db_officials_sync(struct db *db, const struct official *officials, size_t count);
/* The active official role of a person, or ROLE_NONE. */
int db_official_role(struct db *db, int64_t telegram_id, enum role *out);

/* --- outbox --------------------------------------------------------------- */
struct outbox_row {
    int64_t id;
    int64_t chat_id;
    char *method;     /* e.g. "sendMessage" */
    char *payload;    /* the JSON body for the Bot API method */
    char *card_key;   /* when set, the sent message id is remembered under it */
    int attempts;
};
void outbox_row_clear(struct outbox_row *row);

/* Queues one API call to be sent once committed; `card_key` may be NULL. */
int db_outbox_push(struct db *db, int64_t chat_id, const char *method, const char *payload,
                   const char *card_key, int64_t now_ms);
/* The oldest queued row of each chat whose time has come (a chat's later rows
 * wait for its oldest, so each chat sees its messages in order), oldest
 * first, at most `max`. */
int db_outbox_heads(struct db *db, int64_t now_ms, struct outbox_row *rows, size_t max,
                    size_t *count);
/* Every chat's oldest queued row, oldest first, as the sender plans with it:
 * id, chat and not_before only. `*heads` is a growable array of `*capacity`
 * entries owned by the caller (free() it; NULL and 0 to start). */
struct outbox_head {
    int64_t id;
    int64_t chat_id;
    int64_t not_before_ms;
};
int db_outbox_waiting(struct db *db, struct outbox_head **heads, size_t *capacity, size_t *count);
/* The oldest queued row of `chat_id`; -ENOENT if it has none. */
int db_outbox_chat_head(struct db *db, int64_t chat_id, struct outbox_head *head);
/* The row `row_id` in full; -ENOENT if it is gone. */
int db_outbox_get(struct db *db, int64_t row_id, struct outbox_row *row);
/* The earliest moment any chat's oldest row may be sent; -ENOENT if empty. */
int db_outbox_next_due(struct db *db, int64_t *when_ms);
int db_outbox_count(struct db *db, int64_t *count);
/* Telegram confirmed the row: delete it and remember the message under its card key. */
int db_outbox_done(struct db *db, const struct outbox_row *row, int64_t message_id);
int db_outbox_defer(struct db *db, int64_t row_id, int64_t not_before_ms, int attempts,
                    const char *last_error);
/* Rewrites the row for a group that became a supergroup (migrate_to_chat_id). */
int db_outbox_retarget(struct db *db, int64_t row_id, int64_t new_chat_id, const char *payload);
/* Telegram refused the row for good: move it to outbox_failed, kept for the record. */
int db_outbox_fail(struct db *db, int64_t row_id, int error_code, const char *description,
                   int64_t now);
int db_outbox_failed_count(struct db *db, int64_t *count);
/* The message id last sent under `card_key`; -ENOENT if none. */
int db_card_message(struct db *db, const char *card_key, int64_t *chat_id, int64_t *message_id);
/* Records `message_id` under `card_key` (0: a new card is on its way and
 * none is live until it is delivered). */
int db_card_set(struct db *db, const char *card_key, int64_t chat_id, int64_t message_id);

/* An update whose handler failed is kept with the reason instead of being lost. */
int db_update_failed(struct db *db, int64_t update_id, const char *raw, const char *reason,
                     int64_t now);

#endif
