/* Step clocks and the service standards. */
#include "db_clocks.h"

#include <errno.h>

#include "db_internal.h"

static const char sql_standard_get[] = "SELECT minutes FROM step_standards WHERE step = ?1";
static const char sql_standard_set[] =
    "INSERT INTO step_standards(step, minutes) VALUES (?1, ?2) "
    "ON CONFLICT(step) DO UPDATE SET minutes = excluded.minutes";
static const char sql_clock_start[] =
    "INSERT INTO step_clocks(case_id, step, standard_minutes, started_at, deadline) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
#define CLOCK_COLUMNS                                                                 \
    "id, case_id, step, standard_minutes, started_at, coalesce(paused_at, 0), paused_ms, " \
    "deadline, coalesce(ended_at, 0), coalesce(office_ms, 0), breached"
static const char sql_clock_open[] =
    "SELECT " CLOCK_COLUMNS " FROM step_clocks WHERE case_id = ?1 AND ended_at IS NULL "
    "ORDER BY id DESC LIMIT 1";
static const char sql_clock_update[] =
    "UPDATE step_clocks SET paused_at = nullif(?2, 0), paused_ms = ?3, deadline = ?4, "
    "ended_at = nullif(?5, 0), office_ms = CASE WHEN ?5 = 0 THEN NULL ELSE ?6 END, "
    "breached = ?7 WHERE id = ?1";
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
}

int db_standard_get(struct db *db, int step, int *minutes)
{
    sqlite3_stmt *stmt = db_sql(db, sql_standard_get);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int(stmt, 1, step);
    int rc = sqlite3_step(stmt);
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
