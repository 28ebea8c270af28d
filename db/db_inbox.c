/* The mail read by IMAP: mailbox state and messages (db_inbox.h). */
#include "db_inbox.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

static const char sql_state_get[] =
    "SELECT uidvalidity, last_uid FROM inbox_state WHERE mailbox = ?1";
static const char sql_state_set[] =
    "INSERT INTO inbox_state(mailbox, uidvalidity, last_uid, updated_at) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT(mailbox) DO UPDATE SET uidvalidity = ?2, last_uid = ?3, updated_at = ?4";
static const char sql_add[] =
    "INSERT INTO inbox_messages(mailbox, uidvalidity, uid, message_id, mail_from, subject, "
    "received_at, case_id, status, matched_by, eml_file, raw) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, nullif(?8, 0), ?9, ?10, nullif(?11, 0), ?12)";
static const char sql_get[] =
    "SELECT id, uidvalidity, uid, message_id, mail_from, subject, received_at, "
    "coalesce(case_id, 0), status, coalesce(matched_by, ''), coalesce(eml_file, 0), "
    "coalesce(aftercare_id, 0) FROM inbox_messages WHERE id = ?1";
static const char sql_raw[] = "SELECT raw FROM inbox_messages WHERE id = ?1 AND raw IS NOT NULL";
static const char sql_decide[] =
    "UPDATE inbox_messages SET status = ?2, case_id = nullif(?3, 0), matched_by = ?4, "
    "eml_file = nullif(?5, 0), decided_by = nullif(?6, 0), "
    "raw = CASE WHEN ?2 = 'unmatched' THEN raw END WHERE id = ?1";
static const char sql_decide_request[] =
    "UPDATE inbox_messages SET status = ?2, case_id = NULL, aftercare_id = ?3, matched_by = ?4, "
    "eml_file = nullif(?5, 0), raw = NULL WHERE id = ?1";
static const char sql_request_replies[] =
    "SELECT id FROM inbox_messages WHERE aftercare_id = ?1 AND status = 'matched' "
    "ORDER BY id LIMIT ?2";
/* inbox_mail_store writes the .eml, then each attachment, in one
 * transaction: its attachments are the request's next files. */
static const char sql_reply_files[] =
    "SELECT id FROM case_files WHERE aftercare_id = ?1 AND kind = 'bsre_reply' AND id > ?2 "
    "AND id < coalesce((SELECT min(eml_file) FROM inbox_messages WHERE aftercare_id = ?1 "
    "AND eml_file > ?2), 9223372036854775807) ORDER BY id LIMIT ?3";
static const char sql_seen[] =
    "SELECT 1 FROM inbox_messages WHERE message_id = ?1 AND message_id <> '' LIMIT 1";
static const char sql_case_of_mail_id[] =
    "SELECT case_id FROM case_mail_ids WHERE message_id IN ('<' || ?1 || '>', ?1) LIMIT 1";

static void read_pair(sqlite3_stmt *stmt, void *out)
{
    int64_t *pair = out;
    pair[0] = sqlite3_column_int64(stmt, 0);
    pair[1] = sqlite3_column_int64(stmt, 1);
}

int db_inbox_state_get(struct db *db, const char *mailbox, int64_t *uidvalidity,
                       int64_t *last_uid)
{
    sqlite3_stmt *stmt = db_sql(db, sql_state_get);
    if (!stmt)
        return -EIO;
    sqlite3_bind_text(stmt, 1, mailbox, -1, SQLITE_TRANSIENT);
    int64_t pair[2];
    int rc = db_step_one(db, stmt, "inbox state", read_pair, pair);
    if (!rc) {
        *uidvalidity = pair[0];
        *last_uid = pair[1];
    }
    return rc;
}

int db_inbox_state_set(struct db *db, const char *mailbox, int64_t uidvalidity, int64_t last_uid,
                       int64_t now_ms)
{
    sqlite3_stmt *stmt = db_sql(db, sql_state_set);
    if (!stmt)
        return -EIO;
    sqlite3_bind_text(stmt, 1, mailbox, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 2, uidvalidity);
    sqlite3_bind_int64(stmt, 3, last_uid);
    sqlite3_bind_int64(stmt, 4, now_ms);
    return db_exec_stmt(db, stmt, "inbox state set");
}

int db_inbox_add(struct db *db, const char *mailbox, const struct db_inbox_message *m,
                 const void *raw, size_t raw_size, int64_t *id_out)
{
    sqlite3_stmt *stmt = db_sql(db, sql_add);
    if (!stmt)
        return -EIO;
    sqlite3_bind_text(stmt, 1, mailbox, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 2, m->uidvalidity);
    sqlite3_bind_int64(stmt, 3, m->uid);
    sqlite3_bind_text(stmt, 4, m->message_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 5, m->mail_from, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 6, m->subject, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 7, m->received_at);
    sqlite3_bind_int64(stmt, 8, m->case_id);
    sqlite3_bind_text(stmt, 9, m->status, -1, SQLITE_TRANSIENT);
    db_bind_text_or_null(stmt, 10, m->matched_by);
    sqlite3_bind_int64(stmt, 11, m->eml_file);
    if (raw)
        sqlite3_bind_blob64(stmt, 12, raw, raw_size, SQLITE_TRANSIENT);
    int rc = db_exec_stmt(db, stmt, "inbox add");
    if (!rc && id_out)
        *id_out = sqlite3_last_insert_rowid(db->conn);
    return rc;
}

static void read_message(sqlite3_stmt *stmt, void *out)
{
    struct db_inbox_message *m = out;
    m->id = sqlite3_column_int64(stmt, 0);
    m->uidvalidity = sqlite3_column_int64(stmt, 1);
    m->uid = sqlite3_column_int64(stmt, 2);
    db_copy_text(m->message_id, sizeof m->message_id, stmt, 3);
    db_copy_text(m->mail_from, sizeof m->mail_from, stmt, 4);
    db_copy_text(m->subject, sizeof m->subject, stmt, 5);
    m->received_at = sqlite3_column_int64(stmt, 6);
    m->case_id = sqlite3_column_int64(stmt, 7);
    db_copy_text(m->status, sizeof m->status, stmt, 8);
    db_copy_text(m->matched_by, sizeof m->matched_by, stmt, 9);
    m->eml_file = sqlite3_column_int64(stmt, 10);
    m->request_id = sqlite3_column_int64(stmt, 11);
}

int db_inbox_get(struct db *db, int64_t id, struct db_inbox_message *out)
{
    sqlite3_stmt *stmt = db_sql(db, sql_get);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, id);
    return db_step_one(db, stmt, "inbox get", read_message, out);
}

int db_inbox_raw(struct db *db, int64_t id, void **raw, size_t *size)
{
    sqlite3_stmt *stmt = db_sql(db, sql_raw);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, id);
    int step = db_step(db, stmt);
    if (step == SQLITE_DONE)
        return -ENOENT;
    if (step != SQLITE_ROW)
        return db_fail(db, "inbox raw");
    size_t n = (size_t)sqlite3_column_bytes(stmt, 0);
    const void *blob = sqlite3_column_blob(stmt, 0);
    void *copy = malloc(n ? n : 1);
    if (!copy)
        return -ENOMEM;
    if (n)
        memcpy(copy, blob, n);
    *raw = copy;
    *size = n;
    return 0;
}

int db_inbox_decide(struct db *db, int64_t id, const char *status, int64_t case_id,
                    const char *matched_by, int64_t eml_file, int64_t decided_by)
{
    sqlite3_stmt *stmt = db_sql(db, sql_decide);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, id);
    sqlite3_bind_text(stmt, 2, status, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 3, case_id);
    db_bind_text_or_null(stmt, 4, matched_by);
    sqlite3_bind_int64(stmt, 5, eml_file);
    sqlite3_bind_int64(stmt, 6, decided_by);
    return db_exec_stmt(db, stmt, "inbox decide");
}

int db_inbox_decide_request(struct db *db, int64_t id, const char *status, int64_t request_id,
                            const char *matched_by, int64_t eml_file)
{
    if (request_id <= 0)
        return -EINVAL;
    sqlite3_stmt *stmt = db_sql(db, sql_decide_request);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, id);
    sqlite3_bind_text(stmt, 2, status, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 3, request_id);
    db_bind_text_or_null(stmt, 4, matched_by);
    sqlite3_bind_int64(stmt, 5, eml_file);
    return db_exec_stmt(db, stmt, "inbox decide request");
}

static void read_one(sqlite3_stmt *stmt, void *out)
{
    *(int64_t *)out = sqlite3_column_int64(stmt, 0);
}

int db_inbox_seen(struct db *db, const char *message_id, bool *seen)
{
    *seen = false;
    if (!message_id[0])
        return 0;
    sqlite3_stmt *stmt = db_sql(db, sql_seen);
    if (!stmt)
        return -EIO;
    sqlite3_bind_text(stmt, 1, message_id, -1, SQLITE_TRANSIENT);
    int64_t one;
    int rc = db_step_one(db, stmt, "inbox seen", read_one, &one);
    if (rc == -ENOENT)
        return 0;
    if (!rc)
        *seen = true;
    return rc;
}

int db_case_of_mail_id(struct db *db, const char *message_id, int64_t *case_id)
{
    if (!message_id[0])
        return -ENOENT;
    sqlite3_stmt *stmt = db_sql(db, sql_case_of_mail_id);
    if (!stmt)
        return -EIO;
    sqlite3_bind_text(stmt, 1, message_id, -1, SQLITE_TRANSIENT);
    return db_step_one(db, stmt, "case of mail id", read_one, case_id);
}

static void read_id(sqlite3_stmt *stmt, void *out)
{
    *(int64_t *)out = sqlite3_column_int64(stmt, 0);
}

int db_inbox_request_replies(struct db *db, int64_t request_id, int64_t *ids, size_t max,
                             size_t *count)
{
    sqlite3_stmt *stmt = db_sql(db, sql_request_replies);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, request_id);
    sqlite3_bind_int64(stmt, 2, (int64_t)max);
    return db_step_many(db, stmt, "inbox request replies", read_id, ids, sizeof *ids, max,
                        count);
}

int db_inbox_reply_files(struct db *db, int64_t request_id, int64_t eml_file, int64_t *rows,
                         size_t max, size_t *count)
{
    sqlite3_stmt *stmt = db_sql(db, sql_reply_files);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, request_id);
    sqlite3_bind_int64(stmt, 2, eml_file);
    sqlite3_bind_int64(stmt, 3, (int64_t)max);
    return db_step_many(db, stmt, "inbox reply files", read_id, rows, sizeof *rows, max, count);
}
