/* Outgoing letters (surat keluar) and the officials' signature details. */
#include "db_letters.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "db_internal.h"

/* --- outgoing letters --------------------------------------------------------- */

#define OUTGOING_COLUMNS                                                                    \
    "o.id, o.case_id, o.kind, o.year, o.seq, o.number, o.letter_date, o.signed_at, "        \
    "o.signer_id, o.via_plh, o.addressee, o.subject, coalesce(c.number, '')"

static const char sql_next_seq[] =
    "SELECT coalesce(max(seq), 0) + 1 FROM outgoing_letters WHERE kind = ?1 AND year = ?2";
static const char sql_add[] =
    "INSERT INTO outgoing_letters(case_id, kind, year, seq, number, letter_date, signed_at, "
    "signer_id, via_plh, addressee, subject) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
static const char sql_latest[] =
    "SELECT " OUTGOING_COLUMNS " FROM outgoing_letters o LEFT JOIN cases c ON c.id = o.case_id "
    "WHERE o.case_id = ?1 AND o.kind = ?2 ORDER BY o.id DESC LIMIT 1";
static const char sql_between[] =
    "SELECT " OUTGOING_COLUMNS " FROM outgoing_letters o LEFT JOIN cases c ON c.id = o.case_id "
    "WHERE o.signed_at >= ?1 AND o.signed_at < ?2 ORDER BY o.kind, o.year, o.seq";

static void read_outgoing(sqlite3_stmt *stmt, void *out)
{
    struct db_outgoing_letter *l = out;
    l->id = sqlite3_column_int64(stmt, 0);
    l->case_id = sqlite3_column_int64(stmt, 1);
    db_copy_text(l->kind, sizeof l->kind, stmt, 2);
    l->year = sqlite3_column_int(stmt, 3);
    l->seq = sqlite3_column_int(stmt, 4);
    db_copy_text(l->number, sizeof l->number, stmt, 5);
    db_copy_text(l->letter_date, sizeof l->letter_date, stmt, 6);
    l->signed_at = sqlite3_column_int64(stmt, 7);
    l->signer_id = sqlite3_column_int64(stmt, 8);
    l->via_plh = sqlite3_column_int(stmt, 9) != 0;
    db_copy_text(l->addressee, sizeof l->addressee, stmt, 10);
    db_copy_text(l->subject, sizeof l->subject, stmt, 11);
    db_copy_text(l->case_number, sizeof l->case_number, stmt, 12);
}

int db_outgoing_next_seq(struct db *db, const char *kind, int year, int *seq)
{
    sqlite3_stmt *stmt = db_sql(db, sql_next_seq);
    if (!stmt)
        return -EIO;
    sqlite3_bind_text(stmt, 1, kind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(stmt, 2, year);
    int rc = db_step(db, stmt);
    if (rc == SQLITE_ROW)
        *seq = sqlite3_column_int(stmt, 0);
    sqlite3_reset(stmt);
    return rc == SQLITE_ROW ? 0 : db_fail(db, "outgoing next seq");
}

int db_outgoing_add(struct db *db, struct db_outgoing_letter *l)
{
    sqlite3_stmt *stmt = db_sql(db, sql_add);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, l->case_id);
    sqlite3_bind_text(stmt, 2, l->kind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(stmt, 3, l->year);
    sqlite3_bind_int(stmt, 4, l->seq);
    sqlite3_bind_text(stmt, 5, l->number, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 6, l->letter_date, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 7, l->signed_at);
    sqlite3_bind_int64(stmt, 8, l->signer_id);
    sqlite3_bind_int(stmt, 9, l->via_plh ? 1 : 0);
    sqlite3_bind_text(stmt, 10, l->addressee, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 11, l->subject, -1, SQLITE_TRANSIENT);
    int rc = db_exec_stmt(db, stmt, "outgoing add");
    if (!rc)
        l->id = sqlite3_last_insert_rowid(db->conn);
    return rc;
}

int db_outgoing_latest(struct db *db, int64_t case_id, const char *kind,
                       struct db_outgoing_letter *out)
{
    sqlite3_stmt *stmt = db_sql(db, sql_latest);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, case_id);
    sqlite3_bind_text(stmt, 2, kind, -1, SQLITE_TRANSIENT);
    return db_step_one(db, stmt, "outgoing latest", read_outgoing, out);
}

int db_outgoing_between(struct db *db, int64_t from_ms, int64_t to_ms,
                        int (*each)(const struct db_outgoing_letter *, void *), void *data)
{
    sqlite3_stmt *stmt = db_sql(db, sql_between);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, from_ms);
    sqlite3_bind_int64(stmt, 2, to_ms);
    int rc, stop = 0;
    while (!stop && (rc = db_step(db, stmt)) == SQLITE_ROW) {
        struct db_outgoing_letter l;
        read_outgoing(stmt, &l);
        stop = each(&l, data);
    }
    sqlite3_reset(stmt);
    if (stop)
        return stop;
    return rc == SQLITE_DONE ? 0 : db_fail(db, "outgoing between");
}

/* --- signature details --------------------------------------------------------- */

static const char sql_details_set[] =
    "UPDATE officials SET nip = ?2, pangkat = ?3, title = ?4 WHERE telegram_id = ?1";
static const char sql_details_get[] =
    "SELECT coalesce(nip, ''), coalesce(pangkat, ''), coalesce(title, '') FROM officials "
    "WHERE telegram_id = ?1";

int db_official_details_sync(struct db *db, const struct official *officials,
                             size_t count)
{
    int rc = db_begin(db);
    if (rc)
        return rc;
    for (size_t i = 0; !rc && i < count; i++) {
        sqlite3_stmt *stmt = db_sql(db, sql_details_set);
        if (!stmt) {
            rc = -EIO;
            break;
        }
        sqlite3_bind_int64(stmt, 1, officials[i].telegram_id);
        db_bind_text_or_null(stmt, 2, officials[i].nip);
        db_bind_text_or_null(stmt, 3, officials[i].rank);
        db_bind_text_or_null(stmt, 4, officials[i].title);
        rc = db_exec_stmt(db, stmt, "official details set");
    }
    if (!rc)
        rc = db_commit(db);
    if (rc)
        db_rollback(db);
    return rc;
}

static void read_details(sqlite3_stmt *stmt, void *out)
{
    struct db_official_details *d = out;
    db_copy_text(d->nip, sizeof d->nip, stmt, 0);
    db_copy_text(d->rank, sizeof d->rank, stmt, 1);
    db_copy_text(d->title, sizeof d->title, stmt, 2);
}

int db_official_details_get(struct db *db, int64_t telegram_id, struct db_official_details *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *stmt = db_sql(db, sql_details_get);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, telegram_id);
    return db_step_one(db, stmt, "official details get", read_details, out);
}
