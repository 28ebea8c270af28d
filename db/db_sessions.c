/* The assisted login sessions; see db_sessions.h. */
#include "db_sessions.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "db_internal.h"

static const char *const status_names[SESSION_STATUS_END] = {
    [SESSION_DRAFT] = "draft",         [SESSION_OFFERED] = "offered",
    [SESSION_CONFIRMED] = "confirmed", [SESSION_WITHDRAWN] = "withdrawn",
    [SESSION_CANCELLED] = "cancelled", [SESSION_DONE] = "done",
    [SESSION_NO_SHOW] = "no_show",
};

const char *db_session_status_name(enum db_session_status status)
{
    if ((int)status < 0 || (int)status >= (int)SESSION_STATUS_END)
        return NULL;
    return status_names[status];
}

enum db_session_status db_session_status_parse(const char *name)
{
    for (int s = 0; name && s < (int)SESSION_STATUS_END; s++)
        if (strcmp(name, status_names[s]) == 0)
            return (enum db_session_status)s;
    return SESSION_STATUS_END;
}

#define SESSION_COLUMNS                                                                     \
    "s.id, coalesce(s.case_id, 0), s.pelaksana_id, s.start_at, s.end_at, s.place, s.status, " \
    "s.sequence, s.remind_stage, coalesce(s.next_due, 0), s.created_by, s.created_at, "       \
    "s.updated_at, coalesce(s.help_id, 0)"

static const char sql_add[] =
    "INSERT INTO sessions(case_id, pelaksana_id, start_at, end_at, place, status, sequence, "
    "remind_stage, next_due, created_by, created_at, updated_at, help_id) "
    "VALUES (nullif(?1, 0), ?2, ?3, ?4, ?5, ?6, ?7, ?8, nullif(?9, 0), ?10, ?11, ?12, "
    "nullif(?13, 0))";
static const char sql_help_set_status[] =
    "UPDATE sessions SET status = ?3, next_due = NULL, updated_at = ?4 "
    "WHERE help_id = ?1 AND status = ?2";
static const char sql_get[] = "SELECT " SESSION_COLUMNS " FROM sessions s WHERE s.id = ?1";
static const char sql_of_help[] = "SELECT " SESSION_COLUMNS " FROM sessions s "
                                  "WHERE s.help_id = ?1 AND s.status = ?2 ORDER BY s.id DESC LIMIT 1";
static const char sql_update[] =
    "UPDATE sessions SET pelaksana_id = ?2, start_at = ?3, end_at = ?4, place = ?5, "
    "status = ?6, sequence = ?7, remind_stage = ?8, next_due = nullif(?9, 0), "
    "updated_at = ?10 WHERE id = ?1";
static const char sql_delete_draft[] =
    "DELETE FROM sessions WHERE id = ?1 AND case_id = ?2 AND status = 'draft'";
static const char sql_delete_help_draft[] =
    "DELETE FROM sessions WHERE id = ?1 AND help_id = ?2 AND status = 'draft'";
static const char sql_of_case[] =
    "SELECT " SESSION_COLUMNS " FROM sessions s WHERE s.case_id = ?1 AND s.status = ?2 "
    "ORDER BY s.start_at, s.id LIMIT ?3";
static const char sql_of_help_all[] =
    "SELECT " SESSION_COLUMNS " FROM sessions s WHERE s.help_id = ?1 AND s.status = ?2 "
    "ORDER BY s.start_at, s.id LIMIT ?3";
static const char sql_set_status[] =
    "UPDATE sessions SET status = ?3, next_due = NULL, updated_at = ?4 "
    "WHERE case_id = ?1 AND status = ?2";
static const char sql_holding[] =
    "SELECT " SESSION_COLUMNS " FROM sessions s WHERE s.pelaksana_id = ?1 "
    "AND s.status IN ('offered', 'confirmed') AND s.start_at < ?3 AND ?2 < s.end_at "
    "ORDER BY s.start_at, s.id LIMIT ?4";
static const char sql_coming[] =
    "SELECT " SESSION_COLUMNS " FROM sessions s LEFT JOIN cases c ON c.id = s.case_id "
    "LEFT JOIN aftercare_requests a ON a.id = s.help_id "
    "WHERE s.status IN ('offered', 'confirmed') AND s.end_at > ?1 "
    "AND (?2 = 0 OR s.pelaksana_id = ?2) AND (?3 = 0 OR coalesce(c.agency_id, a.agency_id) = ?3) "
    "ORDER BY s.start_at, s.id LIMIT ?4";
/* A session whose job is in the scheduler's quarantine (db_jobs.h,
 * DB_JOB_SESSION) waits: set aside, it is neither due nor woken for; failed
 * before, it is due again at its next try. */
#define SESSION_JOB "f.job = 'session:' || s.id"
#define SESSION_NOT_SET_ASIDE \
    "NOT EXISTS (SELECT 1 FROM failed_jobs f WHERE " SESSION_JOB " AND f.set_aside = 1)"
#define SESSION_DUE_AT \
    "max(s.next_due, coalesce((SELECT f.next_try_at FROM failed_jobs f WHERE " SESSION_JOB \
    "), 0))"
static const char sql_due[] =
    "SELECT " SESSION_COLUMNS " FROM sessions s WHERE s.next_due IS NOT NULL "
    "AND " SESSION_DUE_AT " <= ?1 AND " SESSION_NOT_SET_ASIDE " ORDER BY s.next_due, s.id LIMIT ?2";
static const char sql_planned[] =
    "SELECT " SESSION_COLUMNS " FROM sessions s WHERE s.next_due IS NOT NULL AND s.id > ?1 "
    "ORDER BY s.id LIMIT ?2";
static const char sql_set_reminder[] =
    "UPDATE sessions SET remind_stage = ?2, next_due = nullif(?3, 0) WHERE id = ?1";
static const char sql_next_due[] =
    "SELECT min(" SESSION_DUE_AT ") FROM sessions s WHERE s.next_due IS NOT NULL AND "
    SESSION_NOT_SET_ASIDE;

static void read_session(sqlite3_stmt *stmt, void *out)
{
    struct db_session *s = out;
    s->id = sqlite3_column_int64(stmt, 0);
    s->case_id = sqlite3_column_int64(stmt, 1);
    s->pelaksana_id = sqlite3_column_int64(stmt, 2);
    s->start_at = sqlite3_column_int64(stmt, 3);
    s->end_at = sqlite3_column_int64(stmt, 4);
    db_copy_text(s->place, sizeof s->place, stmt, 5);
    s->status = db_session_status_parse((const char *)sqlite3_column_text(stmt, 6));
    s->sequence = sqlite3_column_int(stmt, 7);
    s->remind_stage = sqlite3_column_int(stmt, 8);
    s->next_due = sqlite3_column_int64(stmt, 9);
    s->created_by = sqlite3_column_int64(stmt, 10);
    s->created_at = sqlite3_column_int64(stmt, 11);
    s->updated_at = sqlite3_column_int64(stmt, 12);
    s->help_id = sqlite3_column_int64(stmt, 13);
}

/* Steps a write; the schema's double-booking guard (a trigger raising a
 * constraint error) comes back as -EEXIST, which the caller can explain. The
 * statement alone is undone by it; the transaction stays usable. */
static int write_step(struct db *db, sqlite3_stmt *stmt, const char *what)
{
    int rc = db_step(db, stmt);
    sqlite3_reset(stmt);
    if (rc == SQLITE_DONE)
        return 0;
    if ((rc & 0xff) == SQLITE_CONSTRAINT &&
        strstr(sqlite3_errmsg(db->conn), "already booked") != NULL)
        return -EEXIST;
    return db_fail(db, what);
}

static void bind_common(sqlite3_stmt *stmt, const struct db_session *s)
{
    const char *status = db_session_status_name(s->status);
    sqlite3_bind_int64(stmt, 2, s->pelaksana_id);
    sqlite3_bind_int64(stmt, 3, s->start_at);
    sqlite3_bind_int64(stmt, 4, s->end_at);
    sqlite3_bind_text(stmt, 5, s->place, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 6, status ? status : "?", -1, SQLITE_STATIC);
    sqlite3_bind_int(stmt, 7, s->sequence);
    sqlite3_bind_int(stmt, 8, s->remind_stage);
    sqlite3_bind_int64(stmt, 9, s->next_due);
}

int db_session_add(struct db *db, const struct db_session *s, int64_t *id_out)
{
    if (!db_session_status_name(s->status))
        return -EINVAL;
    sqlite3_stmt *stmt = db_sql(db, sql_add);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, s->case_id);
    bind_common(stmt, s);
    sqlite3_bind_int64(stmt, 10, s->created_by);
    sqlite3_bind_int64(stmt, 11, s->created_at);
    sqlite3_bind_int64(stmt, 12, s->updated_at ? s->updated_at : s->created_at);
    sqlite3_bind_int64(stmt, 13, s->help_id);
    int rc = write_step(db, stmt, "session add");
    if (!rc && id_out)
        *id_out = sqlite3_last_insert_rowid(db->conn);
    return rc;
}

int db_sessions_help_set_status(struct db *db, int64_t help_id, enum db_session_status from,
                                enum db_session_status to, int64_t now_ms)
{
    sqlite3_stmt *stmt = db_sql(db, sql_help_set_status);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, help_id);
    sqlite3_bind_text(stmt, 2, db_session_status_name(from), -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, db_session_status_name(to), -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 4, now_ms);
    return write_step(db, stmt, "help sessions status");
}

int db_session_of_help(struct db *db, int64_t help_id, enum db_session_status status,
                       struct db_session *out)
{
    sqlite3_stmt *stmt = db_sql(db, sql_of_help);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, help_id);
    sqlite3_bind_text(stmt, 2, db_session_status_name(status), -1, SQLITE_STATIC);
    return db_step_one(db, stmt, "help session", read_session, out);
}

int db_session_get(struct db *db, int64_t id, struct db_session *out)
{
    sqlite3_stmt *stmt = db_sql(db, sql_get);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, id);
    return db_step_one(db, stmt, "session get", read_session, out);
}

int db_session_update(struct db *db, const struct db_session *s)
{
    if (!db_session_status_name(s->status))
        return -EINVAL;
    sqlite3_stmt *stmt = db_sql(db, sql_update);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, s->id);
    bind_common(stmt, s);
    sqlite3_bind_int64(stmt, 10, s->updated_at);
    return write_step(db, stmt, "session update");
}

/* Deletes draft `id` of its owner (`sql` names the owner's column). */
static int delete_draft(struct db *db, const char *sql, int64_t owner_id, int64_t id)
{
    sqlite3_stmt *stmt = db_sql(db, sql);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, id);
    sqlite3_bind_int64(stmt, 2, owner_id);
    int rc = db_exec_stmt(db, stmt, "session delete draft");
    if (rc)
        return rc;
    return sqlite3_changes(db->conn) ? 0 : -ENOENT;
}

int db_session_delete_draft(struct db *db, int64_t case_id, int64_t id)
{
    return delete_draft(db, sql_delete_draft, case_id, id);
}

int db_session_delete_help_draft(struct db *db, int64_t help_id, int64_t id)
{
    return delete_draft(db, sql_delete_help_draft, help_id, id);
}

/* The sessions of one owner in `status` (`sql` names the owner's column). */
static int of_owner(struct db *db, const char *sql, int64_t owner_id,
                    enum db_session_status status, struct db_session *out, size_t max,
                    size_t *count)
{
    const char *name = db_session_status_name(status);
    if (!name)
        return -EINVAL;
    sqlite3_stmt *stmt = db_sql(db, sql);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, owner_id);
    sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 3, (int64_t)max);
    return db_step_many(db, stmt, "sessions of owner", read_session, out, sizeof *out, max,
                        count);
}

int db_sessions_of_case(struct db *db, int64_t case_id, enum db_session_status status,
                        struct db_session *out, size_t max, size_t *count)
{
    return of_owner(db, sql_of_case, case_id, status, out, max, count);
}

int db_sessions_of_help(struct db *db, int64_t help_id, enum db_session_status status,
                        struct db_session *out, size_t max, size_t *count)
{
    return of_owner(db, sql_of_help_all, help_id, status, out, max, count);
}

int db_sessions_set_status(struct db *db, int64_t case_id, enum db_session_status from,
                           enum db_session_status to, int64_t now_ms, int *changed)
{
    const char *from_name = db_session_status_name(from), *to_name = db_session_status_name(to);
    if (!from_name || !to_name)
        return -EINVAL;
    sqlite3_stmt *stmt = db_sql(db, sql_set_status);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, case_id);
    sqlite3_bind_text(stmt, 2, from_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, to_name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 4, now_ms);
    int rc = write_step(db, stmt, "sessions set status");
    if (!rc && changed)
        *changed = sqlite3_changes(db->conn);
    return rc;
}

int db_sessions_holding(struct db *db, int64_t pelaksana_id, int64_t from_ms, int64_t to_ms,
                        struct db_session *out, size_t max, size_t *count)
{
    sqlite3_stmt *stmt = db_sql(db, sql_holding);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, pelaksana_id);
    sqlite3_bind_int64(stmt, 2, from_ms);
    sqlite3_bind_int64(stmt, 3, to_ms);
    sqlite3_bind_int64(stmt, 4, (int64_t)max);
    return db_step_many(db, stmt, "sessions holding", read_session, out, sizeof *out, max,
                        count);
}

int db_sessions_coming(struct db *db, int64_t pelaksana_id, int64_t agency_id, int64_t from_ms,
                       struct db_session *out, size_t max, size_t *count)
{
    sqlite3_stmt *stmt = db_sql(db, sql_coming);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, from_ms);
    sqlite3_bind_int64(stmt, 2, pelaksana_id);
    sqlite3_bind_int64(stmt, 3, agency_id);
    sqlite3_bind_int64(stmt, 4, (int64_t)max);
    return db_step_many(db, stmt, "sessions coming", read_session, out, sizeof *out, max, count);
}

int db_sessions_due(struct db *db, int64_t now_ms, struct db_session *out, size_t max,
                    size_t *count)
{
    sqlite3_stmt *stmt = db_sql(db, sql_due);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, now_ms);
    sqlite3_bind_int64(stmt, 2, (int64_t)max);
    return db_step_many(db, stmt, "sessions due", read_session, out, sizeof *out, max, count);
}

int db_sessions_next_due(struct db *db, int64_t *when_ms)
{
    return db_query_min(db, sql_next_due, when_ms, "sessions next due");
}

int db_sessions_planned(struct db *db, int64_t after_id, struct db_session *out, size_t max,
                        size_t *count)
{
    sqlite3_stmt *stmt = db_sql(db, sql_planned);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, after_id);
    sqlite3_bind_int64(stmt, 2, (int64_t)max);
    return db_step_many(db, stmt, "sessions planned", read_session, out, sizeof *out, max,
                        count);
}

int db_session_set_reminder(struct db *db, int64_t id, int stage, int64_t next_due)
{
    sqlite3_stmt *stmt = db_sql(db, sql_set_reminder);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, id);
    sqlite3_bind_int(stmt, 2, stage);
    sqlite3_bind_int64(stmt, 3, next_due);
    return write_step(db, stmt, "session set reminder");
}
