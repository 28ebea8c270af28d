/* db_aftercare: the revocation and help requests; see db_aftercare.h. */
#include "db_aftercare.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "roles.h"

#define COLUMNS                                                                          \
    "id, kind, state, version, agency_id, certificate_id, requested_by, reason, "         \
    "event_date, note, letter_file, pelaksana_id, message_id, mail_sent_at, created_at, " \
    "updated_at, closed_at, standard_minutes, remind_stage, next_due, office_ms"

static const char sql_insert[] =
    "INSERT INTO aftercare_requests (kind, state, version, agency_id, certificate_id, "
    "requested_by, reason, event_date, note, letter_file, created_at, updated_at, "
    "standard_minutes, next_due) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12, ?13) RETURNING id";
static const char sql_get[] = "SELECT " COLUMNS " FROM aftercare_requests WHERE id = ?1";
static const char sql_open_for[] =
    "SELECT " COLUMNS " FROM aftercare_requests WHERE certificate_id = ?1 AND kind = ?2 "
    "AND state IN ('kasi','pelaksana')";
static const char sql_update[] =
    "UPDATE aftercare_requests SET state = ?2, version = ?3, pelaksana_id = ?4, "
    "note = coalesce(?5, note), updated_at = ?6, "
    "closed_at = CASE WHEN ?2 IN ('done','returned') THEN ?6 ELSE NULL END, "
    "next_due = CASE WHEN ?2 IN ('done','returned') THEN NULL ELSE next_due END WHERE id = ?1";
static const char sql_set_reminder[] =
    "UPDATE aftercare_requests SET remind_stage = ?2, next_due = ?3 WHERE id = ?1";
static const char sql_next_reminder[] =
    "SELECT " COLUMNS " FROM aftercare_requests WHERE next_due IS NOT NULL "
    "ORDER BY next_due, id LIMIT 1";
static const char sql_due_reminders[] =
    "SELECT " COLUMNS " FROM aftercare_requests WHERE next_due IS NOT NULL AND next_due <= ?1 "
    "ORDER BY next_due, id";
static const char sql_set_office_ms[] =
    "UPDATE aftercare_requests SET office_ms = ?2 WHERE id = ?1";
static const char sql_help_closed[] =
    "SELECT office_ms, standard_minutes FROM aftercare_requests WHERE kind = 'help' "
    "AND state = 'done' AND closed_at >= ?1 AND closed_at < ?2 AND office_ms IS NOT NULL "
    "ORDER BY office_ms";
static const char sql_set_message_id[] =
    "UPDATE aftercare_requests SET message_id = ?2 WHERE id = ?1";
static const char sql_mail_sent[] =
    "UPDATE aftercare_requests SET mail_sent_at = ?2 WHERE id = ?1";
static const char sql_by_message_id[] =
    "SELECT " COLUMNS " FROM aftercare_requests WHERE message_id = ?1";
static const char sql_revoke_of_mail_id[] =
    "SELECT id FROM aftercare_requests WHERE kind = 'revoke' "
    "AND message_id IN ('<' || ?1 || '>', ?1) LIMIT 1";
static const char sql_file_link[] =
    "UPDATE case_files SET aftercare_id = ?2 WHERE id = ?1 AND case_id IS NULL";
static const char sql_audit_add[] =
    "INSERT INTO aftercare_audit (request_id, actor_id, acted_as, via_plh, event, "
    "state_before, state_after, note, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char sql_audit_count[] =
    "SELECT count(*) FROM aftercare_audit WHERE request_id = ?1";

static void read_request(sqlite3_stmt *stmt, void *out)
{
    struct db_aftercare *a = out;
    memset(a, 0, sizeof *a);
    a->r.id = sqlite3_column_int64(stmt, 0);
    a->r.kind = ac_kind_parse((const char *)sqlite3_column_text(stmt, 1));
    a->r.state = ac_state_parse((const char *)sqlite3_column_text(stmt, 2));
    a->r.version = (uint32_t)sqlite3_column_int64(stmt, 3);
    a->r.agency_id = sqlite3_column_int64(stmt, 4);
    a->certificate_id = sqlite3_column_int64(stmt, 5);
    a->r.requested_by = sqlite3_column_int64(stmt, 6);
    a->reason = ac_reason_parse((const char *)sqlite3_column_text(stmt, 7));
    db_copy_text(a->event_date, sizeof a->event_date, stmt, 8);
    db_copy_text(a->note, sizeof a->note, stmt, 9);
    a->letter_file = sqlite3_column_int64(stmt, 10);
    a->r.pelaksana_id = sqlite3_column_int64(stmt, 11);
    db_copy_text(a->message_id, sizeof a->message_id, stmt, 12);
    a->mail_sent_at = sqlite3_column_int64(stmt, 13);
    a->created_at = sqlite3_column_int64(stmt, 14);
    a->updated_at = sqlite3_column_int64(stmt, 15);
    a->closed_at = sqlite3_column_int64(stmt, 16);
    a->standard_minutes = sqlite3_column_int(stmt, 17);
    a->remind_stage = sqlite3_column_int(stmt, 18);
    a->next_due = sqlite3_column_int64(stmt, 19);
    a->office_ms = sqlite3_column_int64(stmt, 20);
}

static void read_id(sqlite3_stmt *stmt, void *out)
{
    *(int64_t *)out = sqlite3_column_int64(stmt, 0);
}

int db_aftercare_add(struct db *db, const struct db_aftercare *a, int64_t now, int64_t *id)
{
    if (!a || !ac_kind_name(a->r.kind) || !ac_state_name(a->r.state) ||
        !ac_reason_fits(a->r.kind, a->reason) || a->certificate_id <= 0)
        return -EINVAL;
    struct db_aftercare open;
    int rc = db_aftercare_open_for(db, a->certificate_id, a->r.kind, &open);
    if (rc != -ENOENT)
        return rc ? rc : -EEXIST;
    sqlite3_stmt *stmt = db_sql(db, sql_insert);
    if (!stmt)
        return -EIO;
    sqlite3_bind_text(stmt, 1, ac_kind_name(a->r.kind), -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, ac_state_name(a->r.state), -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 3, a->r.version);
    sqlite3_bind_int64(stmt, 4, a->r.agency_id);
    sqlite3_bind_int64(stmt, 5, a->certificate_id);
    sqlite3_bind_int64(stmt, 6, a->r.requested_by);
    sqlite3_bind_text(stmt, 7, ac_reason_name(a->reason), -1, SQLITE_STATIC);
    db_bind_text_or_null(stmt, 8, a->event_date);
    db_bind_text_or_null(stmt, 9, a->note);
    if (a->letter_file > 0)
        sqlite3_bind_int64(stmt, 10, a->letter_file);
    sqlite3_bind_int64(stmt, 11, now);
    if (a->standard_minutes > 0)
        sqlite3_bind_int(stmt, 12, a->standard_minutes);
    if (a->next_due > 0)
        sqlite3_bind_int64(stmt, 13, a->next_due);
    int64_t row = 0;
    rc = db_step_one(db, stmt, "aftercare add", read_id, &row);
    if (!rc && id)
        *id = row;
    return rc;
}

int db_aftercare_get(struct db *db, int64_t id, struct db_aftercare *out)
{
    sqlite3_stmt *stmt = db_sql(db, sql_get);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, id);
    return db_step_one(db, stmt, "aftercare get", read_request, out);
}

int db_aftercare_open_for(struct db *db, int64_t certificate_id, enum ac_kind kind,
                          struct db_aftercare *out)
{
    sqlite3_stmt *stmt = db_sql(db, sql_open_for);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, certificate_id);
    sqlite3_bind_text(stmt, 2, ac_kind_name(kind) ? ac_kind_name(kind) : "", -1,
                      SQLITE_STATIC);
    return db_step_one(db, stmt, "aftercare open", read_request, out);
}

static int update_one(struct db *db, sqlite3_stmt *stmt, const char *what)
{
    int rc = db_exec_stmt(db, stmt, what);
    if (!rc && sqlite3_changes(db->conn) == 0)
        rc = -ENOENT;
    return rc;
}

int db_aftercare_update(struct db *db, const struct ac_request *after, const char *note,
                        int64_t now)
{
    if (!after || !ac_state_name(after->state))
        return -EINVAL;
    sqlite3_stmt *stmt = db_sql(db, sql_update);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, after->id);
    sqlite3_bind_text(stmt, 2, ac_state_name(after->state), -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 3, after->version);
    if (after->pelaksana_id > 0)
        sqlite3_bind_int64(stmt, 4, after->pelaksana_id);
    db_bind_text_or_null(stmt, 5, note);
    sqlite3_bind_int64(stmt, 6, now);
    return update_one(db, stmt, "aftercare update");
}

int db_aftercare_set_message_id(struct db *db, int64_t id, const char *message_id)
{
    sqlite3_stmt *stmt = db_sql(db, sql_set_message_id);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, id);
    db_bind_text_or_null(stmt, 2, message_id);
    return update_one(db, stmt, "aftercare message id");
}

int db_aftercare_mail_sent(struct db *db, int64_t id, int64_t now)
{
    sqlite3_stmt *stmt = db_sql(db, sql_mail_sent);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, id);
    sqlite3_bind_int64(stmt, 2, now);
    return update_one(db, stmt, "aftercare mail sent");
}

int db_aftercare_by_message_id(struct db *db, const char *message_id,
                               struct db_aftercare *out)
{
    if (!message_id || !message_id[0])
        return -ENOENT;
    sqlite3_stmt *stmt = db_sql(db, sql_by_message_id);
    if (!stmt)
        return -EIO;
    sqlite3_bind_text(stmt, 1, message_id, -1, SQLITE_TRANSIENT);
    return db_step_one(db, stmt, "aftercare by message", read_request, out);
}

int db_aftercare_revoke_of_mail_id(struct db *db, const char *message_id, int64_t *id)
{
    if (!message_id || !message_id[0])
        return -ENOENT;
    sqlite3_stmt *stmt = db_sql(db, sql_revoke_of_mail_id);
    if (!stmt)
        return -EIO;
    sqlite3_bind_text(stmt, 1, message_id, -1, SQLITE_TRANSIENT);
    return db_step_one(db, stmt, "aftercare of mail id", read_id, id);
}

int db_aftercare_file_link(struct db *db, int64_t id, int64_t file_row)
{
    sqlite3_stmt *stmt = db_sql(db, sql_file_link);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, file_row);
    sqlite3_bind_int64(stmt, 2, id);
    int rc = db_exec_stmt(db, stmt, "aftercare file link");
    return rc ? rc : sqlite3_changes(db->conn) == 1 ? 0 : -ENOENT;
}

int db_aftercare_set_reminder(struct db *db, int64_t id, int stage, int64_t next_due)
{
    sqlite3_stmt *stmt = db_sql(db, sql_set_reminder);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, id);
    sqlite3_bind_int(stmt, 2, stage);
    if (next_due > 0)
        sqlite3_bind_int64(stmt, 3, next_due);
    return update_one(db, stmt, "aftercare reminder");
}

int db_aftercare_next_reminder(struct db *db, struct db_aftercare *out)
{
    sqlite3_stmt *stmt = db_sql(db, sql_next_reminder);
    return stmt ? db_step_one(db, stmt, "aftercare next reminder", read_request, out) : -EIO;
}

int db_aftercare_due_reminders(struct db *db, int64_t now, struct db_aftercare *out, size_t max,
                               size_t *count)
{
    sqlite3_stmt *stmt = db_sql(db, sql_due_reminders);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, now);
    return db_step_many(db, stmt, "aftercare due", read_request, out, sizeof *out, max, count);
}

int db_aftercare_set_office_ms(struct db *db, int64_t id, int64_t office_ms)
{
    sqlite3_stmt *stmt = db_sql(db, sql_set_office_ms);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, id);
    sqlite3_bind_int64(stmt, 2, office_ms);
    return update_one(db, stmt, "aftercare office time");
}

#define HELP_ROW_MAX 4096 /* requests a month; more are left out of the figures */

int db_aftercare_help_row(struct db *db, int64_t from, int64_t to, struct sla_row *row)
{
    *row = (struct sla_row){ .within_percent = -1 };
    sqlite3_stmt *stmt = db_sql(db, sql_help_closed);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, from);
    sqlite3_bind_int64(stmt, 2, to);
    int64_t *spent = malloc(HELP_ROW_MAX * sizeof *spent);
    if (!spent) {
        sqlite3_reset(stmt);
        return -ENOMEM;
    }
    int rc;
    size_t n = 0, within = 0;
    while ((rc = db_step(db, stmt)) == SQLITE_ROW && n < HELP_ROW_MAX) {
        spent[n] = sqlite3_column_int64(stmt, 0);
        within += spent[n] <= (int64_t)sqlite3_column_int(stmt, 1) * 60000;
        n++;
    }
    sqlite3_reset(stmt);
    rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, "aftercare help row");
    if (!rc && n) { /* sorted by the query */
        row->cases = n;
        row->median_ms = sla_percentile(spent, n, 50);
        row->p90_ms = sla_percentile(spent, n, 90);
        row->within_percent = (int)((within * 100 + n / 2) / n);
        row->breaches = n - within;
    }
    free(spent);
    return rc;
}

int db_aftercare_audit_add(struct db *db, int64_t id, const struct ac_audit *audit)
{
    sqlite3_stmt *stmt = db_sql(db, sql_audit_add);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, id);
    sqlite3_bind_int64(stmt, 2, audit->actor_id);
    db_bind_text_or_null(stmt, 3, role_key(audit->acted_as));
    sqlite3_bind_int(stmt, 4, audit->via_plh);
    db_bind_text_or_null(stmt, 5, ac_event_name(audit->event));
    db_bind_text_or_null(stmt, 6, ac_state_name(audit->state_before));
    sqlite3_bind_text(stmt, 7, ac_state_name(audit->state_after) ?
                      ac_state_name(audit->state_after) : "kasi", -1, SQLITE_STATIC);
    db_bind_text_or_null(stmt, 8, audit->note);
    sqlite3_bind_int64(stmt, 9, audit->at_ms);
    return db_exec_stmt(db, stmt, "aftercare audit");
}

static void read_int(sqlite3_stmt *stmt, void *out)
{
    *(int *)out = sqlite3_column_int(stmt, 0);
}

int db_aftercare_audit_count(struct db *db, int64_t id, int *count)
{
    sqlite3_stmt *stmt = db_sql(db, sql_audit_count);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, id);
    return db_step_one(db, stmt, "aftercare audit count", read_int, count);
}
