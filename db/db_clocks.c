/* Step clocks and the service standards. */
#include "db_clocks.h"

#include <errno.h>

#include <stdlib.h>

#include "db_internal.h"
#include "sla_report.h"

static const char sql_standard_get[] = "SELECT minutes FROM step_standards WHERE step = ?1";
static const char sql_standard_set[] =
    "INSERT INTO step_standards(step, minutes) VALUES (?1, ?2) "
    "ON CONFLICT(step) DO UPDATE SET minutes = excluded.minutes";
static const char sql_clock_start[] =
    "INSERT INTO step_clocks(case_id, step, standard_minutes, started_at, deadline) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
#define CLOCK_COLUMNS                                                                 \
    "id, case_id, step, standard_minutes, started_at, coalesce(paused_at, 0), paused_ms, " \
    "deadline, coalesce(ended_at, 0), coalesce(office_ms, 0), breached, reminder_stage, " \
    "coalesce(next_reminder, 0)"
static const char sql_clock_open[] =
    "SELECT " CLOCK_COLUMNS " FROM step_clocks WHERE case_id = ?1 AND ended_at IS NULL "
    "ORDER BY id DESC LIMIT 1";
static const char sql_clock_update[] =
    "UPDATE step_clocks SET paused_at = nullif(?2, 0), paused_ms = ?3, deadline = ?4, "
    "ended_at = nullif(?5, 0), office_ms = CASE WHEN ?5 = 0 THEN NULL ELSE ?6 END, "
    "breached = ?7, reminder_stage = ?8, next_reminder = nullif(?9, 0) WHERE id = ?1";
/* A clock whose reminder job is in the scheduler's quarantine (db_jobs.h,
 * DB_JOB_CLOCK) waits: set aside, it is neither due nor woken for; failed
 * before, it is due again at its next try. The next moment is read in two
 * parts so that the usual case (nothing in the quarantine) stays one walk
 * down the next_reminder index, whatever the number of open cases. */
#define CLOCK_JOB "f.job = 'clock:' || step_clocks.id"
#define CLOCK_FREE "NOT EXISTS (SELECT 1 FROM failed_jobs f WHERE " CLOCK_JOB ")"
#define CLOCK_RETRY_DUE \
    "EXISTS (SELECT 1 FROM failed_jobs f WHERE " CLOCK_JOB " AND f.set_aside = 0 " \
    "AND f.next_try_at <= ?1)"
static const char sql_clocks_due[] =
    "SELECT " CLOCK_COLUMNS " FROM step_clocks WHERE next_reminder IS NOT NULL "
    "AND next_reminder <= ?1 AND (" CLOCK_FREE " OR " CLOCK_RETRY_DUE ") "
    "ORDER BY next_reminder LIMIT ?2";
#define NEVER "9223372036854775807"
static const char sql_clocks_next_reminder[] =
    "SELECT nullif(min(coalesce((SELECT next_reminder FROM step_clocks "
    "WHERE next_reminder IS NOT NULL AND " CLOCK_FREE " ORDER BY next_reminder LIMIT 1), " NEVER
    "), coalesce((SELECT min(max(c.next_reminder, f.next_try_at)) FROM failed_jobs f "
    "JOIN step_clocks c ON c.id = CAST(substr(f.job, 7) AS INTEGER) "
    "WHERE f.job LIKE 'clock:%' AND f.set_aside = 0 AND c.next_reminder IS NOT NULL), " NEVER
    ")), " NEVER ")";
/* A finished step with the official whose action ended it: the audit entry
 * written at the same instant as the clock's end. */
static const char sql_sla_samples[] =
    "SELECT c.step, coalesce((SELECT a.actor_id FROM audit a WHERE a.case_id = c.case_id "
    "AND a.at = c.ended_at ORDER BY a.id DESC LIMIT 1), 0), c.office_ms, c.standard_minutes, "
    "c.breached, (SELECT k.kind = 'perpanjangan' FROM cases k WHERE k.id = c.case_id) "
    "FROM step_clocks c WHERE c.ended_at >= ?1 AND c.ended_at < ?2 ORDER BY c.id";
static const char sql_clocks_of_case[] =
    "SELECT " CLOCK_COLUMNS " FROM step_clocks WHERE case_id = ?1 ORDER BY id";
static const char sql_clocks_running[] =
    "SELECT " CLOCK_COLUMNS " FROM step_clocks WHERE ended_at IS NULL AND paused_at IS NULL "
    "ORDER BY deadline";

static void read_clock(sqlite3_stmt *stmt, void *out)
{
    struct db_clock *c = out;
    c->id = sqlite3_column_int64(stmt, 0);
    c->case_id = sqlite3_column_int64(stmt, 1);
    c->step = sqlite3_column_int(stmt, 2);
    c->standard_minutes = sqlite3_column_int(stmt, 3);
    c->started_at = sqlite3_column_int64(stmt, 4);
    c->paused_at = sqlite3_column_int64(stmt, 5);
    c->paused_ms = sqlite3_column_int64(stmt, 6);
    c->deadline = sqlite3_column_int64(stmt, 7);
    c->ended_at = sqlite3_column_int64(stmt, 8);
    c->office_ms = sqlite3_column_int64(stmt, 9);
    c->breached = sqlite3_column_int(stmt, 10) != 0;
    c->reminder_stage = sqlite3_column_int(stmt, 11);
    c->next_reminder = sqlite3_column_int64(stmt, 12);
}

int db_standard_get(struct db *db, int step, int *minutes)
{
    sqlite3_stmt *stmt = db_sql(db, sql_standard_get);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int(stmt, 1, step);
    int rc = db_step(db, stmt);
    if (rc == SQLITE_ROW)
        *minutes = sqlite3_column_int(stmt, 0);
    sqlite3_reset(stmt);
    if (rc == SQLITE_ROW)
        return 0;
    return rc == SQLITE_DONE ? -ENOENT : db_fail(db, "standard get");
}

int db_standard_set(struct db *db, int step, int minutes)
{
    if (step < 1 || step > 7 || minutes <= 0)
        return -EINVAL;
    sqlite3_stmt *stmt = db_sql(db, sql_standard_set);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int(stmt, 1, step);
    sqlite3_bind_int(stmt, 2, minutes);
    return db_exec_stmt(db, stmt, "standard set");
}

int db_clock_start(struct db *db, int64_t case_id, int step, int standard_minutes,
                   int64_t started_at, int64_t deadline)
{
    sqlite3_stmt *stmt = db_sql(db, sql_clock_start);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, case_id);
    sqlite3_bind_int(stmt, 2, step);
    sqlite3_bind_int(stmt, 3, standard_minutes);
    sqlite3_bind_int64(stmt, 4, started_at);
    sqlite3_bind_int64(stmt, 5, deadline);
    return db_exec_stmt(db, stmt, "clock start");
}

int db_clock_open(struct db *db, int64_t case_id, struct db_clock *out)
{
    sqlite3_stmt *stmt = db_sql(db, sql_clock_open);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, case_id);
    return db_step_one(db, stmt, "clock open", read_clock, out);
}

int db_clock_update(struct db *db, const struct db_clock *clock)
{
    sqlite3_stmt *stmt = db_sql(db, sql_clock_update);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, clock->id);
    sqlite3_bind_int64(stmt, 2, clock->paused_at);
    sqlite3_bind_int64(stmt, 3, clock->paused_ms);
    sqlite3_bind_int64(stmt, 4, clock->deadline);
    sqlite3_bind_int64(stmt, 5, clock->ended_at);
    sqlite3_bind_int64(stmt, 6, clock->office_ms);
    sqlite3_bind_int(stmt, 7, clock->breached);
    sqlite3_bind_int(stmt, 8, clock->reminder_stage);
    sqlite3_bind_int64(stmt, 9, clock->next_reminder);
    return db_exec_stmt(db, stmt, "clock update");
}

int db_clocks_of_case(struct db *db, int64_t case_id, struct db_clock *out, size_t max,
                      size_t *count)
{
    sqlite3_stmt *stmt = db_sql(db, sql_clocks_of_case);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, case_id);
    return db_step_many(db, stmt, "clocks of case", read_clock, out, sizeof *out, max, count);
}

int db_clocks_running(struct db *db, struct db_clock *out, size_t max, size_t *count)
{
    sqlite3_stmt *stmt = db_sql(db, sql_clocks_running);
    if (!stmt)
        return -EIO;
    return db_step_many(db, stmt, "clocks running", read_clock, out, sizeof *out, max, count);
}

int db_clocks_due(struct db *db, int64_t now_ms, struct db_clock *out, size_t max, size_t *count)
{
    sqlite3_stmt *stmt = db_sql(db, sql_clocks_due);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, now_ms);
    sqlite3_bind_int64(stmt, 2, (int64_t)max);
    return db_step_many(db, stmt, "clocks due", read_clock, out, sizeof *out, max, count);
}

int db_clocks_next_reminder(struct db *db, int64_t *when_ms)
{
    return db_query_min(db, sql_clocks_next_reminder, when_ms, "clocks next reminder");
}

int db_sla_samples(struct db *db, int64_t from_ms, int64_t to_ms, struct sla_sample **out,
                   size_t *count)
{
    *out = NULL;
    *count = 0;
    sqlite3_stmt *stmt = db_sql(db, sql_sla_samples);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, from_ms);
    sqlite3_bind_int64(stmt, 2, to_ms);
    size_t cap = 0;
    int rc;
    while ((rc = db_step(db, stmt)) == SQLITE_ROW) {
        if (*count == cap) {
            cap = cap ? cap * 2 : 256;
            struct sla_sample *grown = realloc(*out, cap * sizeof **out);
            if (!grown) {
                sqlite3_reset(stmt);
                free(*out);
                *out = NULL;
                *count = 0;
                return -ENOMEM;
            }
            *out = grown;
        }
        struct sla_sample *s = &(*out)[(*count)++];
        s->step = sqlite3_column_int(stmt, 0);
        s->actor_id = sqlite3_column_int64(stmt, 1);
        s->office_ms = sqlite3_column_int64(stmt, 2);
        s->standard_minutes = sqlite3_column_int(stmt, 3);
        s->breached = sqlite3_column_int(stmt, 4) != 0;
        s->kind = sqlite3_column_int(stmt, 5) ? SLA_KIND_RENEWAL : SLA_KIND_NEW;
    }
    sqlite3_reset(stmt);
    if (rc == SQLITE_DONE)
        return 0;
    free(*out);
    *out = NULL;
    *count = 0;
    return db_fail(db, "sla samples");
}

/* --- the calendar an admin keeps ------------------------------------------ */

static const char sql_day_set[] =
    "INSERT INTO calendar_days(date, kind, name, removed, changed_by, changed_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(date) DO UPDATE SET kind = excluded.kind, "
    "name = excluded.name, removed = excluded.removed, changed_by = excluded.changed_by, "
    "changed_at = excluded.changed_at";
static const char sql_days_all[] =
    "SELECT date, kind, name, removed FROM calendar_days ORDER BY date";

int db_calendar_day_set(struct db *db, const char *date, const char *kind, const char *name,
                        bool removed, int64_t changed_by, int64_t now_ms)
{
    sqlite3_stmt *stmt = db_sql(db, sql_day_set);
    if (!stmt)
        return -EIO;
    sqlite3_bind_text(stmt, 1, date, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 2, kind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 3, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(stmt, 4, removed);
    sqlite3_bind_int64(stmt, 5, changed_by);
    sqlite3_bind_int64(stmt, 6, now_ms);
    return db_exec_stmt(db, stmt, "calendar day set");
}

int db_calendar_days(struct db *db, int (*each)(const char *date, const char *kind,
                                                const char *name, bool removed, void *data),
                     void *data)
{
    sqlite3_stmt *stmt = db_sql(db, sql_days_all);
    if (!stmt)
        return -EIO;
    int rc, stop = 0;
    while (!stop && (rc = db_step(db, stmt)) == SQLITE_ROW)
        stop = each((const char *)sqlite3_column_text(stmt, 0),
                    (const char *)sqlite3_column_text(stmt, 1),
                    (const char *)sqlite3_column_text(stmt, 2), sqlite3_column_int(stmt, 3) != 0,
                    data);
    sqlite3_reset(stmt);
    if (stop)
        return stop;
    return rc == SQLITE_DONE ? 0 : db_fail(db, "calendar days");
}
