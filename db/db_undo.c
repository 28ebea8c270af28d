/* The undo of an irreversible action, and letters cancelled by one. */
#include "db_undo.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "db_internal.h"

#define UNDO_COLUMNS                                                                         \
    "case_id, actor_id, event, outcome, version_after, deadline, chat_id, message_id, at, "  \
    "state, version, pelaksana_id, flags, bsre_outcome, session_at, returned_from, "         \
    "state_since, closed_at, clock_max_id, clock_id, clock_paused_at, clock_paused_ms, "     \
    "clock_breached, letter_id"

static const char sql_put[] =
    "INSERT OR REPLACE INTO undo(" UNDO_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
    "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)";
static const char sql_get[] = "SELECT " UNDO_COLUMNS " FROM undo WHERE case_id = ?1";
static const char sql_delete[] = "DELETE FROM undo WHERE case_id = ?1";
static const char sql_expired[] =
    "SELECT " UNDO_COLUMNS " FROM undo WHERE deadline < ?1 ORDER BY deadline, case_id";
static const char sql_next_deadline[] = "SELECT min(deadline) FROM undo";
static const char sql_clock_max[] =
    "SELECT coalesce(max(id), 0) FROM step_clocks WHERE case_id = ?1";
static const char sql_clocks_void[] = "DELETE FROM step_clocks WHERE case_id = ?1 AND id > ?2";
static const char sql_cancel[] =
    "INSERT OR IGNORE INTO outgoing_cancelled(letter_id, case_id, cancelled_at, cancelled_by) "
    "VALUES (?1, ?2, ?3, ?4)";
static const char sql_cancelled[] = "SELECT count(*) FROM outgoing_cancelled WHERE letter_id = ?1";
/* The new case's first entry is its submission, with "... SE-0001" as note;
 * an intake started again from the case keeps "again_of" in its draft. */
static const char sql_resubmitted[] =
    "SELECT (SELECT count(*) FROM audit WHERE event = 'submit' AND at >= ?2 "
    "        AND instr(coalesce(note, ''), ?1) > 0) + "
    "       (SELECT count(*) FROM conversations WHERE kind = 'intake' "
    "        AND instr(data, '\"again_of\":\"' || ?1 || '\"') > 0)";

enum { FLAG_CHECKLIST = 1, FLAG_DRAFT = 2, FLAG_FILES = 4, FLAG_DRAFT_OK = 8, FLAG_SIGNED = 16 };

static int flags_of(const struct wf_case *c)
{
    return (c->checklist_complete ? FLAG_CHECKLIST : 0) | (c->draft_ready ? FLAG_DRAFT : 0) |
           (c->files_confirmed ? FLAG_FILES : 0) | (c->draft_confirmed ? FLAG_DRAFT_OK : 0) |
           (c->signed_letter_uploaded ? FLAG_SIGNED : 0);
}

int db_undo_put(struct db *db, const struct db_undo *u)
{
    sqlite3_stmt *stmt = db_sql(db, sql_put);
    if (!stmt)
        return -EIO;
    const struct wf_case *b = &u->before;
    sqlite3_bind_int64(stmt, 1, u->case_id);
    sqlite3_bind_int64(stmt, 2, u->actor_id);
    sqlite3_bind_text(stmt, 3, u->event, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 4, u->outcome, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 5, u->version_after);
    sqlite3_bind_int64(stmt, 6, u->deadline);
    sqlite3_bind_int64(stmt, 7, u->chat_id);
    sqlite3_bind_int64(stmt, 8, u->message_id);
    sqlite3_bind_int64(stmt, 9, u->at);
    sqlite3_bind_text(stmt, 10, wf_state_name(b->state), -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 11, b->version);
    sqlite3_bind_int64(stmt, 12, b->pelaksana_id);
    sqlite3_bind_int(stmt, 13, flags_of(b));
    sqlite3_bind_text(stmt, 14, wf_bsre_outcome_name(b->bsre_outcome), -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 15, b->session_at_ms);
    const char *from = wf_state_name(b->returned_from_state);
    sqlite3_bind_text(stmt, 16, from ? from : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 17, u->state_since);
    sqlite3_bind_int64(stmt, 18, u->closed_at);
    sqlite3_bind_int64(stmt, 19, u->clock_max_id);
    sqlite3_bind_int64(stmt, 20, u->clock_id);
    sqlite3_bind_int64(stmt, 21, u->clock_paused_at);
    sqlite3_bind_int64(stmt, 22, u->clock_paused_ms);
    sqlite3_bind_int(stmt, 23, u->clock_breached);
    sqlite3_bind_int64(stmt, 24, u->letter_id);
    return db_exec_stmt(db, stmt, "undo put");
}

static void read_undo(sqlite3_stmt *stmt, void *out)
{
    struct db_undo *u = out;
    struct wf_case *b = &u->before;
    char text[32];
    memset(u, 0, sizeof *u);
    u->case_id = sqlite3_column_int64(stmt, 0);
    u->actor_id = sqlite3_column_int64(stmt, 1);
    db_copy_text(u->event, sizeof u->event, stmt, 2);
    db_copy_text(u->outcome, sizeof u->outcome, stmt, 3);
    u->version_after = (uint32_t)sqlite3_column_int64(stmt, 4);
    u->deadline = sqlite3_column_int64(stmt, 5);
    u->chat_id = sqlite3_column_int64(stmt, 6);
    u->message_id = sqlite3_column_int64(stmt, 7);
    u->at = sqlite3_column_int64(stmt, 8);
    b->case_id = u->case_id;
    db_copy_text(text, sizeof text, stmt, 9);
    b->state = wf_state_parse(text);
    b->version = (uint32_t)sqlite3_column_int64(stmt, 10);
    b->pelaksana_id = sqlite3_column_int64(stmt, 11);
    int flags = sqlite3_column_int(stmt, 12);
    b->checklist_complete = flags & FLAG_CHECKLIST;
    b->draft_ready = flags & FLAG_DRAFT;
    b->files_confirmed = flags & FLAG_FILES;
    b->draft_confirmed = flags & FLAG_DRAFT_OK;
    b->signed_letter_uploaded = flags & FLAG_SIGNED;
    db_copy_text(text, sizeof text, stmt, 13);
    b->bsre_outcome = wf_bsre_outcome_parse(text);
    b->session_at_ms = sqlite3_column_int64(stmt, 14);
    db_copy_text(text, sizeof text, stmt, 15);
    b->returned_from_state = wf_state_parse(text);
    u->state_since = sqlite3_column_int64(stmt, 16);
    u->closed_at = sqlite3_column_int64(stmt, 17);
    u->clock_max_id = sqlite3_column_int64(stmt, 18);
    u->clock_id = sqlite3_column_int64(stmt, 19);
    u->clock_paused_at = sqlite3_column_int64(stmt, 20);
    u->clock_paused_ms = sqlite3_column_int64(stmt, 21);
    u->clock_breached = sqlite3_column_int(stmt, 22);
    u->letter_id = sqlite3_column_int64(stmt, 23);
}

int db_undo_get(struct db *db, int64_t case_id, struct db_undo *out)
{
    sqlite3_stmt *stmt = db_sql(db, sql_get);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, case_id);
    return db_step_one(db, stmt, "undo get", read_undo, out);
}

int db_undo_expired(struct db *db, int64_t now_ms, struct db_undo *out, size_t max,
                    size_t *count)
{
    sqlite3_stmt *stmt = db_sql(db, sql_expired);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, now_ms);
    return db_step_many(db, stmt, "undo expired", read_undo, out, sizeof *out, max, count);
}

int db_undo_next_deadline(struct db *db, int64_t *deadline)
{
    return db_query_min(db, sql_next_deadline, deadline, "undo next deadline");
}

static int exec_id(struct db *db, const char *sql, int64_t a, int64_t b, const char *what)
{
    sqlite3_stmt *stmt = db_sql(db, sql);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, a);
    sqlite3_bind_int64(stmt, 2, b);
    return db_exec_stmt(db, stmt, what);
}

int db_undo_delete(struct db *db, int64_t case_id)
{
    sqlite3_stmt *stmt = db_sql(db, sql_delete);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, case_id);
    return db_exec_stmt(db, stmt, "undo delete");
}

static void read_int64(sqlite3_stmt *stmt, void *out)
{
    *(int64_t *)out = sqlite3_column_int64(stmt, 0);
}

int db_undo_clock_max(struct db *db, int64_t case_id, int64_t *id)
{
    sqlite3_stmt *stmt = db_sql(db, sql_clock_max);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, case_id);
    return db_step_one(db, stmt, "undo clock max", read_int64, id);
}

int db_undo_clocks_void(struct db *db, int64_t case_id, int64_t above)
{
    return exec_id(db, sql_clocks_void, case_id, above, "undo clocks void");
}

int db_outgoing_cancel(struct db *db, int64_t letter_id, int64_t case_id, int64_t by,
                       int64_t now_ms)
{
    sqlite3_stmt *stmt = db_sql(db, sql_cancel);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, letter_id);
    sqlite3_bind_int64(stmt, 2, case_id);
    sqlite3_bind_int64(stmt, 3, now_ms);
    sqlite3_bind_int64(stmt, 4, by);
    return db_exec_stmt(db, stmt, "outgoing cancel");
}

int db_outgoing_cancelled(struct db *db, int64_t letter_id, int *cancelled)
{
    sqlite3_stmt *stmt = db_sql(db, sql_cancelled);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, letter_id);
    int64_t n = 0;
    int rc = db_step_one(db, stmt, "outgoing cancelled", read_int64, &n);
    *cancelled = n > 0;
    return rc;
}

int db_undo_resubmitted(struct db *db, const char *number, int64_t since_ms, int *yes)
{
    sqlite3_stmt *stmt = db_sql(db, sql_resubmitted);
    if (!stmt)
        return -EIO;
    sqlite3_bind_text(stmt, 1, number, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 2, since_ms);
    int64_t n = 0;
    int rc = db_step_one(db, stmt, "undo resubmitted", read_int64, &n);
    *yes = n > 0;
    return rc;
}
