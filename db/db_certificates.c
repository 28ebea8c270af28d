/* db_certificates: the register of certificate holders; see db_certificates.h. */
#include "db_certificates.h"

#include <errno.h>
#include <string.h>

#include "db_internal.h"

static const char *const status_names[DB_CERT_STATUS_COUNT] = {
    [DB_CERT_WAITING] = "waiting",
    [DB_CERT_ISSUED] = "issued",
    [DB_CERT_RENEWAL_REQUESTED] = "renewal_requested",
    [DB_CERT_EXPIRED] = "expired",
    [DB_CERT_REVOKED] = "revoked",
};

const char *db_cert_status_name(enum db_cert_status status)
{
    return (unsigned)status < DB_CERT_STATUS_COUNT ? status_names[status] : NULL;
}

int db_cert_status_parse(const char *name, enum db_cert_status *status)
{
    for (int i = 0; name && i < DB_CERT_STATUS_COUNT; i++)
        if (!strcmp(name, status_names[i])) {
            *status = (enum db_cert_status)i;
            return 0;
        }
    return -EINVAL;
}

#define COLUMNS                                                                        \
    "id, agency_id, nip, name, jabatan, email, case_id, status, login_at, valid_until, " \
    "renewal_case_id, reminded_days, revoked_at, revoke_reason, created_at, updated_at"

/* The live row is updated in place; a new valid_until resets what belonged to
 * the old one (the reminders sent, a pending renewal). */
static const char sql_update_live[] =
    "UPDATE certificates SET name = ?3, jabatan = ?4, email = ?5, case_id = ?6, status = ?7, "
    "login_at = ?8, "
    "reminded_days = CASE WHEN valid_until IS ?9 THEN reminded_days ELSE NULL END, "
    "renewal_case_id = CASE WHEN valid_until IS ?9 THEN renewal_case_id ELSE NULL END, "
    "valid_until = ?9, updated_at = ?10 "
    "WHERE agency_id = ?1 AND nip = ?2 AND status != 'revoked' RETURNING id";
static const char sql_insert[] =
    "INSERT INTO certificates (agency_id, nip, name, jabatan, email, case_id, status, "
    "login_at, valid_until, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10) RETURNING id";
static const char sql_get[] = "SELECT " COLUMNS " FROM certificates WHERE id = ?1";
static const char sql_find_live[] = "SELECT " COLUMNS " FROM certificates "
                                    "WHERE agency_id = ?1 AND nip = ?2 AND status != 'revoked'";
static const char sql_set_status[] =
    "UPDATE certificates SET status = ?2, updated_at = ?3 WHERE id = ?1";
static const char sql_set_renewal[] =
    "UPDATE certificates SET status = 'renewal_requested', renewal_case_id = ?2, "
    "updated_at = ?3 WHERE id = ?1";
static const char sql_set_reminded[] =
    "UPDATE certificates SET reminded_days = ?2, updated_at = ?3 WHERE id = ?1";
static const char sql_revoke[] =
    "UPDATE certificates SET status = 'revoked', revoke_reason = ?2, revoked_at = ?3, "
    "updated_at = ?4 WHERE id = ?1";
static const char sql_search[] =
    "SELECT " COLUMNS " FROM certificates "
    "WHERE (instr(lower(name), lower(?1)) > 0 OR instr(nip, replace(?1, ' ', '')) > 0) "
    "AND (?2 <= 0 OR agency_id = ?2) ORDER BY updated_at DESC, id DESC";
static const char sql_of_agency[] =
    "SELECT " COLUMNS " FROM certificates WHERE agency_id = ?1 "
    "ORDER BY status = 'revoked', name COLLATE NOCASE, id";
static const char sql_ending[] =
    "SELECT " COLUMNS " FROM certificates "
    "WHERE status IN ('issued','renewal_requested') AND valid_until BETWEEN ?1 AND ?2 "
    "ORDER BY valid_until, id";
static const char sql_to_remind[] =
    "SELECT " COLUMNS " FROM certificates "
    "WHERE status = 'issued' AND valid_until BETWEEN ?1 AND ?2 "
    "AND (reminded_days IS NULL OR reminded_days > ?3) ORDER BY valid_until, id";
static const char sql_all[] =
    "SELECT " COLUMNS " FROM certificates ORDER BY agency_id, name COLLATE NOCASE, id";

static void read_certificate(sqlite3_stmt *stmt, void *out)
{
    struct db_certificate *c = out;
    memset(c, 0, sizeof *c);
    c->id = sqlite3_column_int64(stmt, 0);
    c->agency_id = sqlite3_column_int64(stmt, 1);
    db_copy_text(c->nip, sizeof c->nip, stmt, 2);
    db_copy_text(c->name, sizeof c->name, stmt, 3);
    db_copy_text(c->jabatan, sizeof c->jabatan, stmt, 4);
    db_copy_text(c->email, sizeof c->email, stmt, 5);
    c->case_id = sqlite3_column_int64(stmt, 6);
    /* The CHECK constraint keeps the name valid; waiting is the safe reading. */
    if (db_cert_status_parse((const char *)sqlite3_column_text(stmt, 7), &c->status))
        c->status = DB_CERT_WAITING;
    c->login_at = sqlite3_column_int64(stmt, 8);
    db_copy_text(c->valid_until, sizeof c->valid_until, stmt, 9);
    c->renewal_case_id = sqlite3_column_int64(stmt, 10);
    c->reminded_days = sqlite3_column_int(stmt, 11);
    c->revoked_at = sqlite3_column_int64(stmt, 12);
    db_copy_text(c->revoke_reason, sizeof c->revoke_reason, stmt, 13);
    c->created_at = sqlite3_column_int64(stmt, 14);
    c->updated_at = sqlite3_column_int64(stmt, 15);
}

static void read_id(sqlite3_stmt *stmt, void *out)
{
    *(int64_t *)out = sqlite3_column_int64(stmt, 0);
}

static void bind_record(sqlite3_stmt *stmt, const struct db_certificate *c, int64_t now)
{
    sqlite3_bind_int64(stmt, 1, c->agency_id);
    sqlite3_bind_text(stmt, 2, c->nip, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 3, c->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 4, c->jabatan, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 5, c->email, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 6, c->case_id);
    sqlite3_bind_text(stmt, 7, db_cert_status_name(c->status), -1, SQLITE_STATIC);
    if (c->login_at > 0)
        sqlite3_bind_int64(stmt, 8, c->login_at);
    db_bind_text_or_null(stmt, 9, c->valid_until);
    sqlite3_bind_int64(stmt, 10, now);
}

int db_certificate_record(struct db *db, const struct db_certificate *c, int64_t now,
                          int64_t *id)
{
    if (!c || !c->nip[0] || c->agency_id <= 0 || c->case_id <= 0 ||
        c->status == DB_CERT_REVOKED || !db_cert_status_name(c->status))
        return -EINVAL;
    int64_t row = 0;
    sqlite3_stmt *stmt = db_sql(db, sql_update_live);
    if (!stmt)
        return -EIO;
    bind_record(stmt, c, now);
    int rc = db_step_one(db, stmt, "certificate update", read_id, &row);
    if (rc == -ENOENT) {
        if (!(stmt = db_sql(db, sql_insert)))
            return -EIO;
        bind_record(stmt, c, now);
        rc = db_step_one(db, stmt, "certificate insert", read_id, &row);
    }
    if (!rc && id)
        *id = row;
    return rc;
}

int db_certificate_get(struct db *db, int64_t id, struct db_certificate *out)
{
    sqlite3_stmt *stmt = db_sql(db, sql_get);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, id);
    return db_step_one(db, stmt, "certificate get", read_certificate, out);
}

int db_certificate_find_live(struct db *db, int64_t agency_id, const char *nip,
                             struct db_certificate *out)
{
    sqlite3_stmt *stmt = db_sql(db, sql_find_live);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, agency_id);
    sqlite3_bind_text(stmt, 2, nip ? nip : "", -1, SQLITE_TRANSIENT);
    return db_step_one(db, stmt, "certificate find", read_certificate, out);
}

/* Runs an UPDATE of one row by id; -ENOENT when no row has that id. */
static int update_one(struct db *db, sqlite3_stmt *stmt, const char *what)
{
    int rc = db_exec_stmt(db, stmt, what);
    if (!rc && sqlite3_changes(db->conn) == 0)
        rc = -ENOENT;
    return rc;
}

int db_certificate_set_status(struct db *db, int64_t id, enum db_cert_status status,
                              int64_t now)
{
    if (!db_cert_status_name(status) || status == DB_CERT_REVOKED)
        return -EINVAL;  /* a revocation carries its reason: db_certificate_revoke */
    sqlite3_stmt *stmt = db_sql(db, sql_set_status);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, id);
    sqlite3_bind_text(stmt, 2, db_cert_status_name(status), -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 3, now);
    return update_one(db, stmt, "certificate status");
}

int db_certificate_set_renewal(struct db *db, int64_t id, int64_t renewal_case_id,
                               int64_t now)
{
    sqlite3_stmt *stmt = db_sql(db, sql_set_renewal);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, id);
    sqlite3_bind_int64(stmt, 2, renewal_case_id);
    sqlite3_bind_int64(stmt, 3, now);
    return update_one(db, stmt, "certificate renewal");
}

int db_certificate_set_reminded(struct db *db, int64_t id, int days, int64_t now)
{
    sqlite3_stmt *stmt = db_sql(db, sql_set_reminded);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, id);
    sqlite3_bind_int(stmt, 2, days);
    sqlite3_bind_int64(stmt, 3, now);
    return update_one(db, stmt, "certificate reminded");
}

int db_certificate_revoke(struct db *db, int64_t id, const char *reason, int64_t revoked_at,
                          int64_t now)
{
    sqlite3_stmt *stmt = db_sql(db, sql_revoke);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, id);
    db_bind_text_or_null(stmt, 2, reason);
    sqlite3_bind_int64(stmt, 3, revoked_at);
    sqlite3_bind_int64(stmt, 4, now);
    return update_one(db, stmt, "certificate revoke");
}

int db_certificates_search(struct db *db, const char *text, int64_t agency_id,
                           struct db_certificate *out, size_t max, size_t *count)
{
    sqlite3_stmt *stmt = db_sql(db, sql_search);
    if (!stmt)
        return -EIO;
    sqlite3_bind_text(stmt, 1, text ? text : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 2, agency_id);
    return db_step_many(db, stmt, "certificates search", read_certificate, out, sizeof *out,
                        max, count);
}

int db_certificates_of_agency(struct db *db, int64_t agency_id, struct db_certificate *out,
                              size_t max, size_t *count)
{
    sqlite3_stmt *stmt = db_sql(db, sql_of_agency);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, agency_id);
    return db_step_many(db, stmt, "certificates of agency", read_certificate, out,
                        sizeof *out, max, count);
}

int db_certificates_ending(struct db *db, const char *from, const char *to,
                           struct db_certificate *out, size_t max, size_t *count)
{
    sqlite3_stmt *stmt = db_sql(db, sql_ending);
    if (!stmt)
        return -EIO;
    sqlite3_bind_text(stmt, 1, from ? from : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 2, to ? to : "", -1, SQLITE_TRANSIENT);
    return db_step_many(db, stmt, "certificates ending", read_certificate, out, sizeof *out,
                        max, count);
}

int db_certificates_to_remind(struct db *db, const char *from, const char *to, int last_day,
                              struct db_certificate *out, size_t max, size_t *count)
{
    sqlite3_stmt *stmt = db_sql(db, sql_to_remind);
    if (!stmt)
        return -EIO;
    sqlite3_bind_text(stmt, 1, from ? from : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 2, to ? to : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(stmt, 3, last_day);
    return db_step_many(db, stmt, "certificates to remind", read_certificate, out, sizeof *out,
                        max, count);
}

int db_certificates_each(struct db *db, int (*each)(const struct db_certificate *, void *),
                         void *data)
{
    sqlite3_stmt *stmt = db_sql(db, sql_all);
    if (!stmt)
        return -EIO;
    int rc, stop = 0;
    while (!stop && (rc = db_step(db, stmt)) == SQLITE_ROW) {
        struct db_certificate c;
        read_certificate(stmt, &c);
        stop = each(&c, data);
    }
    if (stop) {
        sqlite3_reset(stmt);
        return stop;
    }
    return rc == SQLITE_DONE ? 0 : db_fail(db, "certificates each");
}

static const char sql_agency_counts[] =
    "SELECT agency_id, count(*) FROM certificates WHERE status != 'revoked' "
    "GROUP BY agency_id ORDER BY agency_id";
static const char sql_expiring[] =
    "SELECT " COLUMNS " FROM certificates "
    "WHERE status IN ('issued','renewal_requested') AND valid_until < ?1 ORDER BY id";
static const char sql_figures[] =
    "SELECT "
    "  (SELECT count(*) FROM certificates WHERE status != 'waiting' AND login_at >= ?1 "
    "     AND login_at < ?2), "
    "  (SELECT count(*) FROM certificates WHERE status = 'expired' AND valid_until "
    "     BETWEEN ?3 AND ?4), "
    "  (SELECT count(*) FROM certificates WHERE status = 'revoked' AND revoked_at >= ?1 "
    "     AND revoked_at < ?2), "
    "  (SELECT count(*) FROM certificates WHERE status IN ('issued','renewal_requested') "
    "     AND valid_until BETWEEN ?5 AND ?6)";

static void read_agency_count(sqlite3_stmt *stmt, void *out)
{
    struct db_cert_agency_count *c = out;
    c->agency_id = sqlite3_column_int64(stmt, 0);
    c->live = sqlite3_column_int(stmt, 1);
}

int db_certificates_agency_counts(struct db *db, struct db_cert_agency_count *out, size_t max,
                                  size_t *count)
{
    sqlite3_stmt *stmt = db_sql(db, sql_agency_counts);
    if (!stmt)
        return -EIO;
    return db_step_many(db, stmt, "certificates agency counts", read_agency_count, out,
                        sizeof *out, max, count);
}

int db_certificates_expire(struct db *db, const char *today, int64_t now,
                           int (*each)(const struct db_certificate *, void *), void *data,
                           size_t *count)
{
    size_t changed = 0;
    int rc = 0;
    /* One row at a time: the statement that finds them is reset before
     * each one changes, so the walk never reads under its own update. */
    for (;;) {
        sqlite3_stmt *stmt = db_sql(db, sql_expiring);
        if (!stmt)
            return -EIO;
        sqlite3_bind_text(stmt, 1, today ? today : "", -1, SQLITE_TRANSIENT);
        struct db_certificate c;
        rc = db_step_one(db, stmt, "certificates expiring", read_certificate, &c);
        if (rc == -ENOENT) {
            rc = 0;
            break;
        }
        if (rc || (rc = db_certificate_set_status(db, c.id, DB_CERT_EXPIRED, now)) != 0)
            break;
        changed++;
        if (each && (rc = each(&c, data)) != 0)
            break;
    }
    if (count)
        *count = changed;
    return rc;
}

static void read_figures(sqlite3_stmt *stmt, void *out)
{
    struct db_cert_figures *f = out;
    f->issued = sqlite3_column_int(stmt, 0);
    f->expired = sqlite3_column_int(stmt, 1);
    f->revoked = sqlite3_column_int(stmt, 2);
    f->ending_soon = sqlite3_column_int(stmt, 3);
}

int db_certificates_figures(struct db *db, int64_t from_ms, int64_t to_ms, const char *first_day,
                            const char *last_day, const char *today, const char *soon_day,
                            struct db_cert_figures *out)
{
    sqlite3_stmt *stmt = db_sql(db, sql_figures);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, from_ms);
    sqlite3_bind_int64(stmt, 2, to_ms);
    sqlite3_bind_text(stmt, 3, first_day, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 4, last_day, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 5, today, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 6, soon_day, -1, SQLITE_TRANSIENT);
    return db_step_one(db, stmt, "certificates figures", read_figures, out);
}
