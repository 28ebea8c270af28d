/* The e-mail queue (mail_outbox), its outcomes and the Message-IDs sent. */
#include "db_mail.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

static const char sql_queue[] =
    "INSERT INTO mail_outbox(case_id, aftercare_id, message_id, mail_from, mail_to, mail_cc, "
    "subject, body, attachments, requested_by, created_at, not_before) "
    "VALUES (nullif(?1, 0), nullif(?11, 0), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)";
static const char sql_id_insert[] =
    "INSERT INTO case_mail_ids(message_id, case_id, created_at) VALUES (?1, ?2, ?3)";
static const char sql_next[] =
    "SELECT id, coalesce(case_id, 0), message_id, mail_from, mail_to, mail_cc, subject, body, "
    "attachments, requested_by, message, created_at, attempts, coalesce(aftercare_id, 0) "
    "FROM mail_outbox WHERE not_before <= ?1 ORDER BY not_before, id LIMIT 1";
static const char sql_next_due[] = "SELECT min(not_before) FROM mail_outbox";
static const char sql_set_message[] = "UPDATE mail_outbox SET message = ?2 WHERE id = ?1";
static const char sql_defer[] =
    "UPDATE mail_outbox SET not_before = ?2, attempts = attempts + ?3, last_error = ?4 "
    "WHERE id = ?1";
static const char sql_delete[] = "DELETE FROM mail_outbox WHERE id = ?1";
static const char sql_sent[] =
    "INSERT OR REPLACE INTO mail_sent(message_id, case_id, aftercare_id, mail_to, eml_file, "
    "sent_at) VALUES (?1, nullif(?2, 0), nullif(?6, 0), ?3, ?4, ?5)";
static const char sql_failed[] =
    "INSERT OR REPLACE INTO mail_failed(id, case_id, aftercare_id, message_id, mail_to, subject, "
    "attempts, error, created_at, failed_at) "
    "VALUES (?1, nullif(?2, 0), nullif(?10, 0), ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
/* Withdrawing the queued mails of one owner: OWNER is "case_id" or
 * "aftercare_id", a constant, never input. */
#define WITHDRAW_COPY(OWNER)                                                                  \
    "INSERT OR REPLACE INTO mail_failed(id, case_id, aftercare_id, message_id, mail_to, "    \
    "subject, attempts, error, created_at, failed_at) SELECT id, case_id, aftercare_id, "    \
    "message_id, mail_to, subject, attempts, ?2, created_at, ?3 FROM mail_outbox WHERE "     \
    OWNER " = ?1"
#define WITHDRAW_DELETE(OWNER) "DELETE FROM mail_outbox WHERE " OWNER " = ?1"
static const char sql_withdraw_copy[] = WITHDRAW_COPY("case_id");
static const char sql_withdraw_delete[] = WITHDRAW_DELETE("case_id");
static const char sql_withdraw_request_copy[] = WITHDRAW_COPY("aftercare_id");
static const char sql_withdraw_request_delete[] = WITHDRAW_DELETE("aftercare_id");
static const char sql_pending_case[] = "SELECT count(*) FROM mail_outbox WHERE case_id = ?1";
static const char sql_counts[] =
    "SELECT (SELECT count(*) FROM mail_outbox), (SELECT count(*) FROM mail_failed)";
static const char sql_case_of[] = "SELECT case_id FROM case_mail_ids WHERE message_id = ?1";

void db_mail_clear(struct db_mail *m)
{
    free(m->message_id);
    free(m->mail_from);
    free(m->mail_to);
    free(m->mail_cc);
    free(m->subject);
    free(m->body);
    free(m->attachments);
    free(m->message);
    memset(m, 0, sizeof *m);
}

int db_mail_queue(struct db *db, const struct db_mail *m, int64_t now_ms, int64_t *id_out)
{
    if ((m->case_id != 0) == (m->request_id != 0))
        return -EINVAL; /* one owner, exactly */
    sqlite3_stmt *stmt = db_sql(db, sql_queue);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, m->case_id);
    sqlite3_bind_text(stmt, 2, m->message_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 3, m->mail_from, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 4, m->mail_to, -1, SQLITE_TRANSIENT);
    db_bind_text_or_null(stmt, 5, m->mail_cc);
    sqlite3_bind_text(stmt, 6, m->subject, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 7, m->body, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 8, m->attachments, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 9, m->requested_by);
    sqlite3_bind_int64(stmt, 10, now_ms);
    sqlite3_bind_int64(stmt, 11, m->request_id);
    int rc = db_exec_stmt(db, stmt, "mail queue");
    if (rc)
        return rc;
    if (id_out)
        *id_out = sqlite3_last_insert_rowid(db->conn);
    if (!m->case_id)
        return 0; /* a request's Message-ID is its own row's (db_aftercare.h) */
    stmt = db_sql(db, sql_id_insert);
    if (!stmt)
        return -EIO;
    sqlite3_bind_text(stmt, 1, m->message_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 2, m->case_id);
    sqlite3_bind_int64(stmt, 3, now_ms);
    return db_exec_stmt(db, stmt, "mail id insert");
}

int db_mail_next(struct db *db, int64_t now_ms, struct db_mail *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *stmt = db_sql(db, sql_next);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, now_ms);
    int rc = db_step(db, stmt);
    int result = 0, oom = 0;
    if (rc == SQLITE_ROW) {
        out->id = sqlite3_column_int64(stmt, 0);
        out->case_id = sqlite3_column_int64(stmt, 1);
        char **texts[] = { &out->message_id, &out->mail_from, &out->mail_to, &out->mail_cc,
                           &out->subject, &out->body, &out->attachments };
        for (int i = 0; i < 7; i++)
            *texts[i] = db_column_strdup(stmt, 2 + i, &oom);
        out->requested_by = sqlite3_column_int64(stmt, 9);
        int size = sqlite3_column_bytes(stmt, 10);
        const void *blob = sqlite3_column_blob(stmt, 10);
        if (blob && size > 0) {
            out->message = malloc((size_t)size);
            if (out->message) {
                memcpy(out->message, blob, (size_t)size);
                out->message_size = (size_t)size;
            } else {
                oom = 1;
            }
        }
        out->created_at = sqlite3_column_int64(stmt, 11);
        out->attempts = sqlite3_column_int(stmt, 12);
        out->request_id = sqlite3_column_int64(stmt, 13);
    } else {
        result = rc == SQLITE_DONE ? -ENOENT : db_fail(db, "mail next");
    }
    sqlite3_reset(stmt);
    if (oom) {
        db_mail_clear(out);
        return -ENOMEM;
    }
    return result;
}

int db_mail_next_due(struct db *db, int64_t *when_ms)
{
    return db_query_min(db, sql_next_due, when_ms, "mail next due");
}

int db_mail_set_message(struct db *db, int64_t id, const unsigned char *message, size_t size)
{
    sqlite3_stmt *stmt = db_sql(db, sql_set_message);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, id);
    sqlite3_bind_blob64(stmt, 2, message, size, SQLITE_TRANSIENT);
    return db_exec_stmt(db, stmt, "mail set message");
}

int db_mail_defer(struct db *db, int64_t id, int64_t not_before_ms, int count, const char *error)
{
    sqlite3_stmt *stmt = db_sql(db, sql_defer);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, id);
    sqlite3_bind_int64(stmt, 2, not_before_ms);
    sqlite3_bind_int(stmt, 3, count);
    db_bind_text_or_null(stmt, 4, error);
    return db_exec_stmt(db, stmt, "mail defer");
}

static int delete_row(struct db *db, int64_t id)
{
    sqlite3_stmt *stmt = db_sql(db, sql_delete);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, id);
    return db_exec_stmt(db, stmt, "mail delete");
}

int db_mail_sent(struct db *db, const struct db_mail *m, int64_t eml_file, int64_t now_ms)
{
    sqlite3_stmt *stmt = db_sql(db, sql_sent);
    if (!stmt)
        return -EIO;
    sqlite3_bind_text(stmt, 1, m->message_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 2, m->case_id);
    sqlite3_bind_text(stmt, 3, m->mail_to, -1, SQLITE_TRANSIENT);
    if (eml_file)
        sqlite3_bind_int64(stmt, 4, eml_file);
    else
        sqlite3_bind_null(stmt, 4);
    sqlite3_bind_int64(stmt, 5, now_ms);
    sqlite3_bind_int64(stmt, 6, m->request_id);
    int rc = db_exec_stmt(db, stmt, "mail sent");
    return rc ? rc : delete_row(db, m->id);
}

int db_mail_failed(struct db *db, const struct db_mail *m, const char *error, int64_t now_ms)
{
    sqlite3_stmt *stmt = db_sql(db, sql_failed);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, m->id);
    sqlite3_bind_int64(stmt, 2, m->case_id);
    sqlite3_bind_text(stmt, 3, m->message_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 4, m->mail_to, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 5, m->subject, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(stmt, 6, m->attempts + 1);
    sqlite3_bind_text(stmt, 7, error ? error : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 8, m->created_at);
    sqlite3_bind_int64(stmt, 9, now_ms);
    sqlite3_bind_int64(stmt, 10, m->request_id);
    int rc = db_exec_stmt(db, stmt, "mail failed");
    return rc ? rc : delete_row(db, m->id);
}

static int withdraw(struct db *db, const char *copy_sql, const char *delete_sql, int64_t owner,
                    const char *reason, int64_t now_ms)
{
    sqlite3_stmt *stmt = db_sql(db, copy_sql);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, owner);
    sqlite3_bind_text(stmt, 2, reason, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 3, now_ms);
    int rc = db_exec_stmt(db, stmt, "mail withdraw");
    if (rc)
        return rc;
    stmt = db_sql(db, delete_sql);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, owner);
    return db_exec_stmt(db, stmt, "mail withdraw delete");
}

int db_mail_withdraw_case(struct db *db, int64_t case_id, const char *reason, int64_t now_ms)
{
    return withdraw(db, sql_withdraw_copy, sql_withdraw_delete, case_id, reason, now_ms);
}

int db_mail_withdraw_request(struct db *db, int64_t request_id, const char *reason,
                             int64_t now_ms)
{
    return withdraw(db, sql_withdraw_request_copy, sql_withdraw_request_delete, request_id,
                    reason, now_ms);
}

static void read_int(sqlite3_stmt *stmt, void *out) { *(int *)out = sqlite3_column_int(stmt, 0); }

int db_mail_pending_for_case(struct db *db, int64_t case_id, int *count)
{
    sqlite3_stmt *stmt = db_sql(db, sql_pending_case);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, case_id);
    return db_step_one(db, stmt, "mail pending", read_int, count);
}

struct two_ints {
    int a, b;
};

static void read_two(sqlite3_stmt *stmt, void *out)
{
    struct two_ints *t = out;
    t->a = sqlite3_column_int(stmt, 0);
    t->b = sqlite3_column_int(stmt, 1);
}

int db_mail_counts(struct db *db, int *queued, int *failed)
{
    sqlite3_stmt *stmt = db_sql(db, sql_counts);
    if (!stmt)
        return -EIO;
    struct two_ints t = { 0, 0 };
    int rc = db_step_one(db, stmt, "mail counts", read_two, &t);
    *queued = t.a;
    *failed = t.b;
    return rc;
}

static void read_i64(sqlite3_stmt *stmt, void *out)
{
    *(int64_t *)out = sqlite3_column_int64(stmt, 0);
}

int db_mail_case_of(struct db *db, const char *message_id, int64_t *case_id)
{
    sqlite3_stmt *stmt = db_sql(db, sql_case_of);
    if (!stmt)
        return -EIO;
    sqlite3_bind_text(stmt, 1, message_id, -1, SQLITE_TRANSIENT);
    return db_step_one(db, stmt, "mail case of", read_i64, case_id);
}
