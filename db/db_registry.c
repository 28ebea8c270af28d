/* Agencies, applicant operators, officials changed in chat, acting officials. */
#include "db_registry.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "db_internal.h"

/* --- agencies ------------------------------------------------------------- */

static const char sql_agency_deactivate[] = "UPDATE agencies SET active = 0";
static const char sql_agency_upsert[] =
    "INSERT INTO agencies(name, active) VALUES (?1, 1) "
    "ON CONFLICT(name) DO UPDATE SET active = 1";
static const char sql_agency_list[] =
    "SELECT id, name FROM agencies WHERE active = 1 ORDER BY name";
static const char sql_agency_get[] = "SELECT id, name FROM agencies WHERE id = ?1";

static void read_agency(sqlite3_stmt *stmt, void *out)
{
    struct db_agency *agency = out;
    agency->id = sqlite3_column_int64(stmt, 0);
    db_copy_text(agency->name, sizeof agency->name, stmt, 1);
}

int db_agencies_sync(struct db *db, char *const *names, size_t count)
{
    int rc = db_begin(db);
    if (rc)
        return rc;
    sqlite3_stmt *stmt = db_sql(db, sql_agency_deactivate);
    rc = stmt ? db_exec_stmt(db, stmt, "agencies deactivate") : -EIO;
    for (size_t i = 0; !rc && i < count; i++) {
        stmt = db_sql(db, sql_agency_upsert);
        if (!stmt) {
            rc = -EIO;
            break;
        }
        sqlite3_bind_text(stmt, 1, names[i], -1, SQLITE_TRANSIENT);
        rc = db_exec_stmt(db, stmt, "agency upsert");
    }
    if (!rc)
        rc = db_commit(db);
    if (rc)
        db_rollback(db);
    return rc;
}

int db_agencies_list(struct db *db, struct db_agency *out, size_t max, size_t *count)
{
    sqlite3_stmt *stmt = db_sql(db, sql_agency_list);
    if (!stmt)
        return -EIO;
    return db_step_many(db, stmt, "agencies list", read_agency, out, sizeof *out, max, count);
}

int db_agency_get(struct db *db, int64_t id, struct db_agency *out)
{
    sqlite3_stmt *stmt = db_sql(db, sql_agency_get);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, id);
    return db_step_one(db, stmt, "agency get", read_agency, out);
}

/* --- applicant operators -------------------------------------------------- */

static const char *const applicant_status_keys[] = { "pending", "approved", "refused" };

static const char sql_applicant_request[] =
    "INSERT INTO applicants(telegram_id, agency_id, status, requested_at) "
    "VALUES (?1, ?2, 'pending', ?3) "
    "ON CONFLICT(telegram_id) DO UPDATE SET agency_id = excluded.agency_id, "
    "status = 'pending', requested_at = excluded.requested_at, decided_by = NULL, "
    "decided_at = NULL";
static const char sql_applicant_get[] =
    "SELECT telegram_id, agency_id, status, requested_at FROM applicants WHERE telegram_id = ?1";
static const char sql_applicant_decide[] =
    "UPDATE applicants SET status = ?2, decided_by = ?3, decided_at = ?4 "
    "WHERE telegram_id = ?1 AND status = 'pending' AND requested_at = ?5";
static const char sql_applicants_of_agency[] =
    "SELECT telegram_id FROM applicants WHERE agency_id = ?1 AND status = 'approved' "
    "ORDER BY requested_at";

static void read_applicant(sqlite3_stmt *stmt, void *out)
{
    struct db_applicant *a = out;
    a->telegram_id = sqlite3_column_int64(stmt, 0);
    a->agency_id = sqlite3_column_int64(stmt, 1);
    const char *status = (const char *)sqlite3_column_text(stmt, 2);
    a->status = APPLICANT_REFUSED;
    for (size_t i = 0; status && i < 3; i++)
        if (strcmp(status, applicant_status_keys[i]) == 0)
            a->status = (enum db_applicant_status)i;
    a->requested_at = sqlite3_column_int64(stmt, 3);
}

int db_applicant_request(struct db *db, int64_t telegram_id, int64_t agency_id,
                         int64_t requested_at)
{
    sqlite3_stmt *stmt = db_sql(db, sql_applicant_request);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, telegram_id);
    sqlite3_bind_int64(stmt, 2, agency_id);
    sqlite3_bind_int64(stmt, 3, requested_at);
    return db_exec_stmt(db, stmt, "applicant request");
}

int db_applicant_get(struct db *db, int64_t telegram_id, struct db_applicant *out)
{
    sqlite3_stmt *stmt = db_sql(db, sql_applicant_get);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, telegram_id);
    return db_step_one(db, stmt, "applicant get", read_applicant, out);
}

int db_applicant_decide(struct db *db, int64_t telegram_id, int64_t requested_at, bool approve,
                        int64_t decided_by, int64_t now)
{
    sqlite3_stmt *stmt = db_sql(db, sql_applicant_decide);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, telegram_id);
    sqlite3_bind_text(stmt, 2, approve ? "approved" : "refused", -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 3, decided_by);
    sqlite3_bind_int64(stmt, 4, now);
    sqlite3_bind_int64(stmt, 5, requested_at);
    int rc = db_exec_stmt(db, stmt, "applicant decide");
    if (!rc && sqlite3_changes(db->conn) == 0)
        return -ENOENT;
    return rc;
}

static const char sql_applicants_pending_count[] =
    "SELECT count(*) FROM applicants WHERE status = 'pending'";

int db_applicants_pending_count(struct db *db, int64_t *count)
{
    *count = 0;
    sqlite3_stmt *stmt = db_sql(db, sql_applicants_pending_count);
    if (!stmt)
        return -EIO;
    int rc = db_step(db, stmt);
    if (rc == SQLITE_ROW)
        *count = sqlite3_column_int64(stmt, 0);
    sqlite3_reset(stmt);
    return rc == SQLITE_ROW ? 0 : db_fail(db, "applicants pending count");
}

static void read_id(sqlite3_stmt *stmt, void *out)
{
    *(int64_t *)out = sqlite3_column_int64(stmt, 0);
}

int db_applicants_of_agency(struct db *db, int64_t agency_id, int64_t *out, size_t max,
                            size_t *count)
{
    sqlite3_stmt *stmt = db_sql(db, sql_applicants_of_agency);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, agency_id);
    return db_step_many(db, stmt, "applicants of agency", read_id, out, sizeof *out, max, count);
}

/* --- officials ------------------------------------------------------------ */

static const char sql_official_set[] =
    "INSERT INTO officials(telegram_id, role, name, active, source) VALUES (?1, ?2, ?3, 1, 'admin') "
    "ON CONFLICT(telegram_id) DO UPDATE SET role = excluded.role, name = excluded.name, "
    "active = 1, source = 'admin'";
static const char sql_official_remove[] =
    "UPDATE officials SET active = 0, source = 'admin' WHERE telegram_id = ?1 AND active = 1";
static const char sql_official_get[] =
    "SELECT telegram_id, role, name FROM officials WHERE telegram_id = ?1 AND active = 1";
static const char sql_officials_list[] =
    "SELECT telegram_id, role, name FROM officials WHERE active = 1 AND (?1 IS NULL OR role = ?1) "
    "ORDER BY CASE role WHEN 'kadis' THEN 0 WHEN 'kabid' THEN 1 WHEN 'kasi' THEN 2 ELSE 3 END, name";
/* A registered name first: an official's, an approved operator's agency;
 * the Telegram name only for someone with neither. */
static const char sql_person_name[] =
    "SELECT coalesce((SELECT name FROM officials WHERE telegram_id = ?1 AND active = 1), "
    "(SELECT g.name FROM applicants p JOIN agencies g ON g.id = p.agency_id "
    "WHERE p.telegram_id = ?1 AND p.status = 'approved'), "
    "(SELECT first_name FROM users WHERE telegram_id = ?1))";
static const char sql_telegram_name[] = "SELECT first_name FROM users WHERE telegram_id = ?1";

static void read_official(sqlite3_stmt *stmt, void *out)
{
    struct db_official *o = out;
    o->telegram_id = sqlite3_column_int64(stmt, 0);
    o->role = role_parse((const char *)sqlite3_column_text(stmt, 1));
    db_copy_text(o->name, sizeof o->name, stmt, 2);
}

int db_official_set(struct db *db, int64_t telegram_id, enum role role, const char *name)
{
    const char *key = role_key(role);
    if (!key || !(role & ROLE_OFFICIAL))
        return -EINVAL;
    sqlite3_stmt *stmt = db_sql(db, sql_official_set);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, telegram_id);
    sqlite3_bind_text(stmt, 2, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, name, -1, SQLITE_TRANSIENT);
    return db_exec_stmt(db, stmt, "official set");
}

int db_official_remove(struct db *db, int64_t telegram_id)
{
    sqlite3_stmt *stmt = db_sql(db, sql_official_remove);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, telegram_id);
    int rc = db_exec_stmt(db, stmt, "official remove");
    if (!rc && sqlite3_changes(db->conn) == 0)
        return -ENOENT;
    return rc;
}

int db_official_get(struct db *db, int64_t telegram_id, struct db_official *out)
{
    sqlite3_stmt *stmt = db_sql(db, sql_official_get);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, telegram_id);
    return db_step_one(db, stmt, "official get", read_official, out);
}

int db_officials_list(struct db *db, enum role role, struct db_official *out, size_t max,
                      size_t *count)
{
    sqlite3_stmt *stmt = db_sql(db, sql_officials_list);
    if (!stmt)
        return -EIO;
    if (role != ROLE_NONE)
        sqlite3_bind_text(stmt, 1, role_key(role), -1, SQLITE_STATIC);
    return db_step_many(db, stmt, "officials list", read_official, out, sizeof *out, max, count);
}

static int name_of(struct db *db, const char *sql, int64_t telegram_id, char *out,
                   size_t out_size)
{
    sqlite3_stmt *stmt = db_sql(db, sql);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, telegram_id);
    int rc = db_step(db, stmt);
    const unsigned char *name = rc == SQLITE_ROW ? sqlite3_column_text(stmt, 0) : NULL;
    if (name && name[0])
        snprintf(out, out_size, "%s", (const char *)name);
    else
        snprintf(out, out_size, "%" PRId64, telegram_id);
    sqlite3_reset(stmt);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, "person name");
}

int db_person_name(struct db *db, int64_t telegram_id, char *out, size_t out_size)
{
    return name_of(db, sql_person_name, telegram_id, out, out_size);
}

int db_telegram_name(struct db *db, int64_t telegram_id, char *out, size_t out_size)
{
    return name_of(db, sql_telegram_name, telegram_id, out, out_size);
}

/* --- acting officials (Plh) ----------------------------------------------- */

static const char sql_plh_add[] =
    "INSERT INTO plh(role, acting_id, date_from, date_to, named_by, named_at, kind) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char sql_plh_end[] = "UPDATE plh SET ended = 1 WHERE id = ?1 AND ended = 0";
/* The latest appointment wins where two overlap. */
static const char sql_plh_for_role[] =
    "SELECT id, role, acting_id, date_from, date_to, kind FROM plh "
    "WHERE role = ?1 AND ended = 0 AND date_from <= ?2 AND date_to >= ?2 ORDER BY id DESC LIMIT 1";
static const char sql_plh_of_acting[] =
    "SELECT id, role, acting_id, date_from, date_to, kind FROM plh "
    "WHERE role = ?1 AND acting_id = ?2 AND date_from <= ?3 AND date_to >= ?3 "
    "ORDER BY ended, id DESC LIMIT 1";
static const char sql_plh_roles_of[] =
    "SELECT role FROM plh p WHERE acting_id = ?1 AND ended = 0 AND date_from <= ?2 "
    "AND date_to >= ?2 AND id = (SELECT max(id) FROM plh q WHERE q.role = p.role "
    "AND q.ended = 0 AND q.date_from <= ?2 AND q.date_to >= ?2)";
static const char sql_plh_list[] =
    "SELECT id, role, acting_id, date_from, date_to, kind FROM plh "
    "WHERE ended = 0 AND date_to >= ?1 "
    "ORDER BY date_from, id";

static void read_plh(sqlite3_stmt *stmt, void *out)
{
    struct db_plh *p = out;
    p->id = sqlite3_column_int64(stmt, 0);
    p->role = role_parse((const char *)sqlite3_column_text(stmt, 1));
    p->acting_id = sqlite3_column_int64(stmt, 2);
    db_copy_text(p->date_from, sizeof p->date_from, stmt, 3);
    db_copy_text(p->date_to, sizeof p->date_to, stmt, 4);
    const char *kind = (const char *)sqlite3_column_text(stmt, 5);
    p->kind = kind && strcmp(kind, "plt") == 0 ? DB_PLH_KIND_PLT : DB_PLH_KIND_PLH;
}

const char *db_plh_kind_key(enum db_plh_kind kind)
{
    return kind == DB_PLH_KIND_PLT ? "plt" : "plh";
}

int db_plh_add(struct db *db, enum role role, int64_t acting_id, const char *date_from,
               const char *date_to, enum db_plh_kind kind, int64_t named_by, int64_t now,
               int64_t *id_out)
{
    sqlite3_stmt *stmt = db_sql(db, sql_plh_add);
    if (!stmt)
        return -EIO;
    sqlite3_bind_text(stmt, 1, role_key(role), -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, acting_id);
    sqlite3_bind_text(stmt, 3, date_from, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 4, date_to, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 5, named_by);
    sqlite3_bind_int64(stmt, 6, now);
    sqlite3_bind_text(stmt, 7, db_plh_kind_key(kind), -1, SQLITE_STATIC);
    int rc = db_exec_stmt(db, stmt, "plh add");
    if (!rc && id_out)
        *id_out = sqlite3_last_insert_rowid(db->conn);
    return rc;
}

int db_plh_end(struct db *db, int64_t id)
{
    sqlite3_stmt *stmt = db_sql(db, sql_plh_end);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, id);
    int rc = db_exec_stmt(db, stmt, "plh end");
    if (!rc && sqlite3_changes(db->conn) == 0)
        return -ENOENT;
    return rc;
}

int db_plh_for_role(struct db *db, enum role role, const char *date, struct db_plh *out)
{
    sqlite3_stmt *stmt = db_sql(db, sql_plh_for_role);
    if (!stmt)
        return -EIO;
    sqlite3_bind_text(stmt, 1, role_key(role), -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, date, -1, SQLITE_TRANSIENT);
    return db_step_one(db, stmt, "plh for role", read_plh, out);
}

int db_plh_of_acting(struct db *db, enum role role, int64_t acting_id, const char *date,
                     struct db_plh *out)
{
    sqlite3_stmt *stmt = db_sql(db, sql_plh_of_acting);
    if (!stmt)
        return -EIO;
    sqlite3_bind_text(stmt, 1, role_key(role), -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, acting_id);
    sqlite3_bind_text(stmt, 3, date, -1, SQLITE_TRANSIENT);
    return db_step_one(db, stmt, "plh of acting", read_plh, out);
}

int db_plh_roles_of(struct db *db, int64_t telegram_id, const char *date, unsigned *roles)
{
    sqlite3_stmt *stmt = db_sql(db, sql_plh_roles_of);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, telegram_id);
    sqlite3_bind_text(stmt, 2, date, -1, SQLITE_TRANSIENT);
    *roles = 0;
    int rc;
    while ((rc = db_step(db, stmt)) == SQLITE_ROW)
        *roles |= role_parse((const char *)sqlite3_column_text(stmt, 0));
    sqlite3_reset(stmt);
    return rc == SQLITE_DONE ? 0 : db_fail(db, "plh roles of");
}

int db_plh_list(struct db *db, const char *from_date, struct db_plh *out, size_t max,
                size_t *count)
{
    sqlite3_stmt *stmt = db_sql(db, sql_plh_list);
    if (!stmt)
        return -EIO;
    sqlite3_bind_text(stmt, 1, from_date, -1, SQLITE_TRANSIENT);
    return db_step_many(db, stmt, "plh list", read_plh, out, sizeof *out, max, count);
}
