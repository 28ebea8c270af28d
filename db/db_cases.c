/* Cases, the Buku Agenda, holders, dispositions, checklist and audit trail. */
#include "db_cases.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_audit_chain.h"
#include "db_internal.h"

void db_case_number(int64_t id, char *out, size_t out_size)
{
    snprintf(out, out_size, "SE-%04" PRId64, id);
}

int db_case_number_parse(const char *text, int64_t *id)
{
    if (!text)
        return -EINVAL;
    while (*text == ' ')
        text++;
    if (*text == '#')
        text++;
    else if ((text[0] == 'S' || text[0] == 's') && (text[1] == 'E' || text[1] == 'e') &&
             text[2] == '-')
        text += 3;
    if (!isdigit((unsigned char)*text))
        return -EINVAL;
    char *end;
    long long value = strtoll(text, &end, 10);
    while (*end == ' ')
        end++;
    if (*end || value <= 0 || value > INT32_MAX)
        return -EINVAL;
    *id = value;
    return 0;
}

/* --- cases ---------------------------------------------------------------- */

const char *db_case_kind_name(enum db_case_kind kind)
{
    return kind == DB_CASE_RENEWAL ? "perpanjangan" : "baru";
}

enum db_case_kind db_case_kind_parse(const char *name)
{
    return name && strcmp(name, "perpanjangan") == 0 ? DB_CASE_RENEWAL : DB_CASE_NEW;
}

#define CASE_COLUMNS                                                                      \
    "c.id, c.number, c.agency_id, c.applicant_id, c.state, c.version, "                  \
    "coalesce(c.pelaksana_id, 0), c.checklist_complete, c.draft_ready, c.files_confirmed, " \
    "c.draft_confirmed, c.signed_uploaded, c.bsre_outcome, coalesce(c.session_at, 0), "   \
    "c.session_place, c.letter_number, c.letter_date, c.subject, c.sifat, c.created_at, "  \
    "c.state_since, coalesce(c.closed_at, 0), a.year, a.number, "                        \
    "(SELECT count(*) FROM case_holders h WHERE h.case_id = c.id), c.returned_from, c.kind "

static const char sql_case_insert[] =
    "INSERT INTO cases(number, agency_id, applicant_id, state, version, letter_number, "
    "letter_date, subject, created_at, state_since, kind) "
    "VALUES ('', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)";
static const char sql_case_set_number[] = "UPDATE cases SET number = ?2 WHERE id = ?1";
static const char sql_agenda_insert[] =
    "INSERT INTO agenda(year, number, case_id, received_at, sender, letter_number, letter_date, "
    "subject) VALUES (?1, (SELECT coalesce(max(number), 0) + 1 FROM agenda WHERE year = ?1), "
    "?2, ?3, ?4, ?5, ?6, ?7) RETURNING number";
static const char sql_case_get[] =
    "SELECT " CASE_COLUMNS " FROM cases c LEFT JOIN agenda a ON a.case_id = c.id WHERE c.id = ?1";
static const char sql_case_update[] =
    "UPDATE cases SET state = ?2, version = ?3, pelaksana_id = nullif(?4, 0), "
    "checklist_complete = ?5, draft_ready = ?6, files_confirmed = ?7, draft_confirmed = ?8, "
    "signed_uploaded = ?9, bsre_outcome = ?10, session_at = nullif(?11, 0), session_place = ?12, "
    "sifat = ?13, state_since = ?14, closed_at = nullif(?15, 0), returned_from = ?16 "
    "WHERE id = ?1";
static const char sql_cases_of_agency[] =
    "SELECT " CASE_COLUMNS " FROM cases c LEFT JOIN agenda a ON a.case_id = c.id "
    "WHERE c.agency_id = ?1 AND (?2 = 0 OR c.closed_at IS NULL) ORDER BY c.id DESC";
static const char sql_cases_open[] =
    "SELECT " CASE_COLUMNS " FROM cases c LEFT JOIN agenda a ON a.case_id = c.id "
    "WHERE c.closed_at IS NULL ORDER BY c.state_since, c.id";

static const char sql_cases_count_kind[] =
    "SELECT count(*) FROM cases WHERE kind = ?1 AND created_at >= ?2 AND created_at < ?3";

int db_cases_count_kind(struct db *db, enum db_case_kind kind, int64_t from_ms, int64_t to_ms,
                        size_t *count)
{
    sqlite3_stmt *stmt = db_sql(db, sql_cases_count_kind);
    if (!stmt)
        return -EIO;
    sqlite3_bind_text(stmt, 1, db_case_kind_name(kind), -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, from_ms);
    sqlite3_bind_int64(stmt, 3, to_ms);
    int rc = db_step(db, stmt);
    *count = rc == SQLITE_ROW ? (size_t)sqlite3_column_int64(stmt, 0) : 0;
    sqlite3_reset(stmt);
    return rc == SQLITE_ROW ? 0 : db_fail(db, "cases count kind");
}

static void read_case(sqlite3_stmt *stmt, void *out)
{
    struct db_case *c = out;
    memset(c, 0, sizeof *c);
    c->wf.case_id = sqlite3_column_int64(stmt, 0);
    db_copy_text(c->number, sizeof c->number, stmt, 1);
    c->wf.agency_id = sqlite3_column_int64(stmt, 2);
    c->applicant_id = sqlite3_column_int64(stmt, 3);
    c->wf.state = wf_state_parse((const char *)sqlite3_column_text(stmt, 4));
    c->wf.version = (uint32_t)sqlite3_column_int64(stmt, 5);
    c->wf.pelaksana_id = sqlite3_column_int64(stmt, 6);
    c->wf.checklist_complete = sqlite3_column_int(stmt, 7) != 0;
    c->wf.draft_ready = sqlite3_column_int(stmt, 8) != 0;
    c->wf.files_confirmed = sqlite3_column_int(stmt, 9) != 0;
    c->wf.draft_confirmed = sqlite3_column_int(stmt, 10) != 0;
    c->wf.signed_letter_uploaded = sqlite3_column_int(stmt, 11) != 0;
    c->wf.bsre_outcome = wf_bsre_outcome_parse((const char *)sqlite3_column_text(stmt, 12));
    c->wf.session_at_ms = sqlite3_column_int64(stmt, 13);
    db_copy_text(c->session_place, sizeof c->session_place, stmt, 14);
    db_copy_text(c->letter_number, sizeof c->letter_number, stmt, 15);
    db_copy_text(c->letter_date, sizeof c->letter_date, stmt, 16);
    db_copy_text(c->subject, sizeof c->subject, stmt, 17);
    db_copy_text(c->sifat, sizeof c->sifat, stmt, 18);
    c->created_at = sqlite3_column_int64(stmt, 19);
    c->state_since = sqlite3_column_int64(stmt, 20);
    c->closed_at = sqlite3_column_int64(stmt, 21);
    c->agenda_year = sqlite3_column_int(stmt, 22);
    c->agenda_number = sqlite3_column_int(stmt, 23);
    c->holders_count = sqlite3_column_int(stmt, 24);
    c->wf.returned_from_state = wf_state_parse((const char *)sqlite3_column_text(stmt, 25));
    c->kind = db_case_kind_parse((const char *)sqlite3_column_text(stmt, 26));
}

int db_case_insert(struct db *db, struct db_case *c, const char *agency_name, int year)
{
    sqlite3_stmt *stmt = db_sql(db, sql_case_insert);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, c->wf.agency_id);
    sqlite3_bind_int64(stmt, 2, c->applicant_id);
    sqlite3_bind_text(stmt, 3, wf_state_name(c->wf.state), -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 4, c->wf.version);
    sqlite3_bind_text(stmt, 5, c->letter_number, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 6, c->letter_date, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 7, c->subject, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 8, c->created_at);
    sqlite3_bind_text(stmt, 9, db_case_kind_name(c->kind), -1, SQLITE_STATIC);
    int rc = db_exec_stmt(db, stmt, "case insert");
    if (rc)
        return rc;
    c->wf.case_id = sqlite3_last_insert_rowid(db->conn);
    c->state_since = c->created_at;
    db_case_number(c->wf.case_id, c->number, sizeof c->number);
    stmt = db_sql(db, sql_case_set_number);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, c->wf.case_id);
    sqlite3_bind_text(stmt, 2, c->number, -1, SQLITE_TRANSIENT);
    rc = db_exec_stmt(db, stmt, "case number");
    if (rc)
        return rc;
    stmt = db_sql(db, sql_agenda_insert);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int(stmt, 1, year);
    sqlite3_bind_int64(stmt, 2, c->wf.case_id);
    sqlite3_bind_int64(stmt, 3, c->created_at);
    sqlite3_bind_text(stmt, 4, agency_name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 5, c->letter_number, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 6, c->letter_date, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 7, c->subject, -1, SQLITE_TRANSIENT);
    rc = db_step(db, stmt);
    if (rc == SQLITE_ROW) {
        c->agenda_year = year;
        c->agenda_number = sqlite3_column_int(stmt, 0);
    }
    sqlite3_reset(stmt);
    return rc == SQLITE_ROW ? 0 : db_fail(db, "agenda insert");
}

int db_case_get(struct db *db, int64_t id, struct db_case *out)
{
    sqlite3_stmt *stmt = db_sql(db, sql_case_get);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, id);
    return db_step_one(db, stmt, "case get", read_case, out);
}

static const char sql_case_find[] =
    "SELECT id FROM cases WHERE (?1 > 0 AND id = ?1 AND (?3 = 0 OR agency_id = ?3)) "
    "OR (lower(trim(letter_number)) = lower(?2) AND (?3 = 0 OR agency_id = ?3)) "
    "ORDER BY id = ?1 DESC, id DESC LIMIT 1";

int db_case_find(struct db *db, const char *text, int64_t agency_id, int64_t *id)
{
    char wanted[DB_TEXT_MAX];
    const char *start = text ? text : "";
    while (*start == ' ')
        start++;
    snprintf(wanted, sizeof wanted, "%s", start);
    size_t n = strlen(wanted);
    while (n > 0 && wanted[n - 1] == ' ')
        wanted[--n] = '\0';
    if (!n)
        return -ENOENT;
    int64_t number = 0;
    if (db_case_number_parse(wanted, &number) != 0)
        number = 0;
    sqlite3_stmt *stmt = db_sql(db, sql_case_find);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, number);
    sqlite3_bind_text(stmt, 2, wanted, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 3, agency_id);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(stmt, 0);
    sqlite3_reset(stmt);
    if (rc == SQLITE_ROW)
        return 0;
    return rc == SQLITE_DONE ? -ENOENT : db_fail(db, "case find");
}

int db_case_update(struct db *db, const struct db_case *c)
{
    sqlite3_stmt *stmt = db_sql(db, sql_case_update);
    if (!stmt)
        return -EIO;
    const struct wf_case *wf = &c->wf;
    sqlite3_bind_int64(stmt, 1, wf->case_id);
    sqlite3_bind_text(stmt, 2, wf_state_name(wf->state), -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 3, wf->version);
    sqlite3_bind_int64(stmt, 4, wf->pelaksana_id);
    sqlite3_bind_int(stmt, 5, wf->checklist_complete);
    sqlite3_bind_int(stmt, 6, wf->draft_ready);
    sqlite3_bind_int(stmt, 7, wf->files_confirmed);
    sqlite3_bind_int(stmt, 8, wf->draft_confirmed);
    sqlite3_bind_int(stmt, 9, wf->signed_letter_uploaded);
    sqlite3_bind_text(stmt, 10, wf_bsre_outcome_name(wf->bsre_outcome), -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 11, wf->session_at_ms);
    db_bind_text_or_null(stmt, 12, c->session_place);
    db_bind_text_or_null(stmt, 13, c->sifat);
    sqlite3_bind_int64(stmt, 14, c->state_since);
    sqlite3_bind_int64(stmt, 15, c->closed_at);
    if (wf->returned_from_state != WF_STATE_NONE)
        sqlite3_bind_text(stmt, 16, wf_state_name(wf->returned_from_state), -1, SQLITE_STATIC);
    int rc = db_exec_stmt(db, stmt, "case update");
    if (!rc && sqlite3_changes(db->conn) == 0)
        return -ENOENT;
    return rc;
}

int db_cases_of_agency(struct db *db, int64_t agency_id, bool open_only, struct db_case *out,
                       size_t max, size_t *count)
{
    sqlite3_stmt *stmt = db_sql(db, sql_cases_of_agency);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, agency_id);
    sqlite3_bind_int(stmt, 2, open_only ? 1 : 0);
    return db_step_many(db, stmt, "cases of agency", read_case, out, sizeof *out, max, count);
}

int db_cases_open(struct db *db, struct db_case *out, size_t max, size_t *count)
{
    sqlite3_stmt *stmt = db_sql(db, sql_cases_open);
    if (!stmt)
        return -EIO;
    return db_step_many(db, stmt, "cases open", read_case, out, sizeof *out, max, count);
}

/* --- holders -------------------------------------------------------------- */

static const char sql_holder_add[] =
    "INSERT INTO case_holders(case_id, position, name, nip, jabatan, email) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char sql_holders_list[] =
    "SELECT id, position, name, nip, jabatan, email FROM case_holders WHERE case_id = ?1 "
    "ORDER BY position";

static void read_holder(sqlite3_stmt *stmt, void *out)
{
    struct db_holder *h = out;
    h->id = sqlite3_column_int64(stmt, 0);
    h->position = sqlite3_column_int(stmt, 1);
    db_copy_text(h->name, sizeof h->name, stmt, 2);
    db_copy_text(h->nip, sizeof h->nip, stmt, 3);
    db_copy_text(h->jabatan, sizeof h->jabatan, stmt, 4);
    db_copy_text(h->email, sizeof h->email, stmt, 5);
}

int db_holder_add(struct db *db, int64_t case_id, const struct db_holder *h)
{
    sqlite3_stmt *stmt = db_sql(db, sql_holder_add);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, case_id);
    sqlite3_bind_int(stmt, 2, h->position);
    sqlite3_bind_text(stmt, 3, h->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 4, h->nip, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 5, h->jabatan, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 6, h->email, -1, SQLITE_TRANSIENT);
    return db_exec_stmt(db, stmt, "holder add");
}

int db_holders_list(struct db *db, int64_t case_id, struct db_holder *out, size_t max,
                    size_t *count)
{
    sqlite3_stmt *stmt = db_sql(db, sql_holders_list);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, case_id);
    return db_step_many(db, stmt, "holders list", read_holder, out, sizeof *out, max, count);
}

/* --- Buku Agenda ---------------------------------------------------------- */

static const char sql_agenda_between[] =
    "SELECT a.year, a.number, c.number, a.received_at, a.sender, a.letter_number, "
    "a.letter_date, a.subject, c.state, c.kind FROM agenda a JOIN cases c ON c.id = a.case_id "
    "WHERE a.received_at >= ?1 AND a.received_at < ?2 ORDER BY a.year, a.number";

int db_agenda_between(struct db *db, int64_t from_ms, int64_t to_ms,
                      int (*each)(const struct db_agenda_entry *, void *), void *data)
{
    sqlite3_stmt *stmt = db_sql(db, sql_agenda_between);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, from_ms);
    sqlite3_bind_int64(stmt, 2, to_ms);
    int rc, stop = 0;
    while (!stop && (rc = db_step(db, stmt)) == SQLITE_ROW) {
        struct db_agenda_entry e;
        e.year = sqlite3_column_int(stmt, 0);
        e.number = sqlite3_column_int(stmt, 1);
        db_copy_text(e.case_number, sizeof e.case_number, stmt, 2);
        e.received_at = sqlite3_column_int64(stmt, 3);
        db_copy_text(e.sender, sizeof e.sender, stmt, 4);
        db_copy_text(e.letter_number, sizeof e.letter_number, stmt, 5);
        db_copy_text(e.letter_date, sizeof e.letter_date, stmt, 6);
        db_copy_text(e.subject, sizeof e.subject, stmt, 7);
        db_copy_text(e.state, sizeof e.state, stmt, 8);
        e.kind = db_case_kind_parse((const char *)sqlite3_column_text(stmt, 9));
        stop = each(&e, data);
    }
    sqlite3_reset(stmt);
    if (stop)
        return stop;
    return rc == SQLITE_DONE ? 0 : db_fail(db, "agenda between");
}

/* --- audit ---------------------------------------------------------------- */

static const char sql_audit_add[] =
    "INSERT INTO audit(case_id, at, actor_id, acted_as, via_plh, event, note, state_before, "
    "state_after) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
/* Who acted, by a registered name: an official's, for the applicant the
 * agency of the case (a Telegram name, "User2001", is nobody's record); the
 * Telegram name only for someone with neither (an admin). */
#define AUDIT_COLUMNS                                                                        \
    "at, actor_id, coalesce((SELECT name FROM officials o WHERE o.telegram_id = actor_id), " \
    "(SELECT g.name FROM cases k JOIN agencies g ON g.id = k.agency_id "                     \
    "WHERE k.id = audit.case_id AND audit.acted_as = 'applicant'), "                         \
    "(SELECT first_name FROM users u WHERE u.telegram_id = actor_id), ''), acted_as, "       \
    "via_plh, event, note, state_before, state_after"
static const char sql_audit_list[] =
    "SELECT * FROM (SELECT id, " AUDIT_COLUMNS " FROM audit WHERE case_id = ?1 "
    "ORDER BY id DESC LIMIT ?2) ORDER BY id";
static const char sql_audit_last[] =
    "SELECT id, " AUDIT_COLUMNS " FROM audit WHERE case_id = ?1 ORDER BY id DESC LIMIT 1";

static void read_audit(sqlite3_stmt *stmt, void *out)
{
    struct db_audit_row *a = out;
    a->at = sqlite3_column_int64(stmt, 1);
    a->actor_id = sqlite3_column_int64(stmt, 2);
    db_copy_text(a->actor_name, sizeof a->actor_name, stmt, 3);
    db_copy_text(a->acted_as, sizeof a->acted_as, stmt, 4);
    a->via_plh = sqlite3_column_int(stmt, 5) != 0;
    db_copy_text(a->event, sizeof a->event, stmt, 6);
    db_copy_text(a->note, sizeof a->note, stmt, 7);
    db_copy_text(a->state_before, sizeof a->state_before, stmt, 8);
    db_copy_text(a->state_after, sizeof a->state_after, stmt, 9);
}

int db_audit_add(struct db *db, int64_t case_id, const struct wf_audit *audit)
{
    sqlite3_stmt *stmt = db_sql(db, sql_audit_add);
    if (!stmt)
        return -EIO;
    const char *role = role_key(audit->acted_as);
    sqlite3_bind_int64(stmt, 1, case_id);
    sqlite3_bind_int64(stmt, 2, audit->at_ms);
    sqlite3_bind_int64(stmt, 3, audit->actor_id);
    sqlite3_bind_text(stmt, 4, role ? role : "system", -1, SQLITE_STATIC);
    sqlite3_bind_int(stmt, 5, audit->via_plh);
    sqlite3_bind_text(stmt, 6, wf_event_name(audit->event), -1, SQLITE_STATIC);
    db_bind_text_or_null(stmt, 7, audit->note);
    sqlite3_bind_text(stmt, 8, wf_state_name(audit->state_before) ? wf_state_name(audit->state_before) : "none", -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 9, wf_state_name(audit->state_after), -1, SQLITE_STATIC);
    int rc = db_exec_stmt(db, stmt, "audit add");
    /* Sealed in the same transaction: the chain never lags the trail. */
    return rc ? rc : db_audit_chain_seal(db);
}

int db_audit_list(struct db *db, int64_t case_id, struct db_audit_row *out, size_t max,
                  size_t *count)
{
    sqlite3_stmt *stmt = db_sql(db, sql_audit_list);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, case_id);
    sqlite3_bind_int64(stmt, 2, (int64_t)max);
    return db_step_many(db, stmt, "audit list", read_audit, out, sizeof *out, max, count);
}

static const char sql_card_case_of_message[] =
    "SELECT CAST(substr(card_key, 6, instr(substr(card_key, 6), ':') - 1) AS INTEGER) "
    "FROM card_messages WHERE chat_id = ?1 AND message_id = ?2 AND card_key LIKE 'case:%:%'";

int db_card_case_of_message(struct db *db, int64_t chat_id, int64_t message_id,
                            int64_t *case_id)
{
    sqlite3_stmt *stmt = db_sql(db, sql_card_case_of_message);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, chat_id);
    sqlite3_bind_int64(stmt, 2, message_id);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        *case_id = sqlite3_column_int64(stmt, 0);
    sqlite3_reset(stmt);
    if (rc == SQLITE_ROW && *case_id > 0)
        return 0;
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? -ENOENT : db_fail(db, "card case");
}

static const char sql_audit_count[] = "SELECT count(*) FROM audit WHERE case_id = ?1";

int db_audit_count(struct db *db, int64_t case_id, size_t *count)
{
    sqlite3_stmt *stmt = db_sql(db, sql_audit_count);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, case_id);
    if (sqlite3_step(stmt) != SQLITE_ROW)
        return db_fail(db, "audit count");
    *count = (size_t)sqlite3_column_int64(stmt, 0);
    sqlite3_reset(stmt);
    return 0;
}

int db_audit_last(struct db *db, int64_t case_id, struct db_audit_row *out)
{
    sqlite3_stmt *stmt = db_sql(db, sql_audit_last);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, case_id);
    return db_step_one(db, stmt, "audit last", read_audit, out);
}

/* --- dispositions --------------------------------------------------------- */

static const char sql_disposition_add[] =
    "INSERT INTO dispositions(case_id, step, author_id, acted_as, via_plh, instructions, sifat, "
    "note, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char sql_dispositions_list[] =
    "SELECT step, author_id, coalesce((SELECT name FROM officials o WHERE o.telegram_id = "
    "author_id), ''), acted_as, via_plh, instructions, sifat, note, at FROM dispositions "
    "WHERE case_id = ?1 ORDER BY id";

static void read_disposition(sqlite3_stmt *stmt, void *out)
{
    struct db_disposition *d = out;
    d->step = sqlite3_column_int(stmt, 0);
    d->author_id = sqlite3_column_int64(stmt, 1);
    db_copy_text(d->author_name, sizeof d->author_name, stmt, 2);
    db_copy_text(d->acted_as, sizeof d->acted_as, stmt, 3);
    d->via_plh = sqlite3_column_int(stmt, 4) != 0;
    db_copy_text(d->instructions, sizeof d->instructions, stmt, 5);
    db_copy_text(d->sifat, sizeof d->sifat, stmt, 6);
    db_copy_text(d->note, sizeof d->note, stmt, 7);
    d->at = sqlite3_column_int64(stmt, 8);
}

int db_disposition_add(struct db *db, int64_t case_id, const struct db_disposition *d)
{
    sqlite3_stmt *stmt = db_sql(db, sql_disposition_add);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, case_id);
    sqlite3_bind_int(stmt, 2, d->step);
    sqlite3_bind_int64(stmt, 3, d->author_id);
    sqlite3_bind_text(stmt, 4, d->acted_as, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(stmt, 5, d->via_plh);
    sqlite3_bind_text(stmt, 6, d->instructions, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 7, d->sifat, -1, SQLITE_TRANSIENT);
    db_bind_text_or_null(stmt, 8, d->note);
    sqlite3_bind_int64(stmt, 9, d->at);
    return db_exec_stmt(db, stmt, "disposition add");
}

int db_dispositions_list(struct db *db, int64_t case_id, struct db_disposition *out, size_t max,
                         size_t *count)
{
    sqlite3_stmt *stmt = db_sql(db, sql_dispositions_list);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, case_id);
    return db_step_many(db, stmt, "dispositions list", read_disposition, out, sizeof *out, max,
                        count);
}

/* --- checklist ------------------------------------------------------------ */

static const char sql_check_set[] =
    "INSERT INTO checklist(case_id, holder_id, item, status, note, files_seen) "
    "VALUES (?1, ?2, ?3, ?4, ?5, "
    "        (SELECT COALESCE(MAX(id), 0) FROM case_files WHERE case_id = ?1)) "
    "ON CONFLICT(case_id, holder_id, item) DO UPDATE SET status = excluded.status, "
    "note = excluded.note, files_seen = excluded.files_seen";
static const char sql_check_unset[] =
    "DELETE FROM checklist WHERE case_id = ?1 AND holder_id = ?2 AND item = ?3";
static const char sql_checks_list[] =
    "SELECT holder_id, item, status, note FROM checklist WHERE case_id = ?1 "
    "ORDER BY holder_id, item";
static const char sql_checks_clear[] = "DELETE FROM checklist WHERE case_id = ?1";
static const char sql_checks_clear_missing[] =
    "DELETE FROM checklist WHERE case_id = ?1 AND status = 'missing'";
/* Lost files count: they were sent all the same. */
static const char sql_checks_documents_newer[] =
    "SELECT EXISTS (SELECT 1 FROM case_files f WHERE f.case_id = ?1 "
    "  AND f.kind IN ('applicant_document', 'applicant_document" DB_FILE_LOST_SUFFIX "') "
    "  AND f.id > (SELECT MAX(files_seen) FROM checklist WHERE case_id = ?1))";

static void read_check(sqlite3_stmt *stmt, void *out)
{
    struct db_check *c = out;
    c->holder_id = sqlite3_column_int64(stmt, 0);
    db_copy_text(c->item, sizeof c->item, stmt, 1);
    const char *status = (const char *)sqlite3_column_text(stmt, 2);
    c->status = status && strcmp(status, "ok") == 0 ? CHECK_OK : CHECK_MISSING;
    db_copy_text(c->note, sizeof c->note, stmt, 3);
}

int db_check_set(struct db *db, int64_t case_id, int64_t holder_id, const char *item,
                 enum db_check_status status, const char *note)
{
    sqlite3_stmt *stmt = db_sql(db, status == CHECK_UNSET ? sql_check_unset : sql_check_set);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, case_id);
    sqlite3_bind_int64(stmt, 2, holder_id);
    sqlite3_bind_text(stmt, 3, item, -1, SQLITE_TRANSIENT);
    if (status != CHECK_UNSET) {
        sqlite3_bind_text(stmt, 4, status == CHECK_OK ? "ok" : "missing", -1, SQLITE_STATIC);
        db_bind_text_or_null(stmt, 5, note);
    }
    return db_exec_stmt(db, stmt, "check set");
}

int db_checks_list(struct db *db, int64_t case_id, struct db_check *out, size_t max,
                   size_t *count)
{
    sqlite3_stmt *stmt = db_sql(db, sql_checks_list);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, case_id);
    return db_step_many(db, stmt, "checks list", read_check, out, sizeof *out, max, count);
}

static int checks_delete(struct db *db, const char *sql, int64_t case_id, const char *what)
{
    sqlite3_stmt *stmt = db_sql(db, sql);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, case_id);
    return db_exec_stmt(db, stmt, what);
}

int db_checks_clear(struct db *db, int64_t case_id)
{
    return checks_delete(db, sql_checks_clear, case_id, "checks clear");
}

int db_checks_clear_missing(struct db *db, int64_t case_id)
{
    return checks_delete(db, sql_checks_clear_missing, case_id, "checks clear missing");
}

int db_checks_documents_newer(struct db *db, int64_t case_id, bool *newer)
{
    *newer = false;
    sqlite3_stmt *stmt = db_sql(db, sql_checks_documents_newer);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, case_id);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        *newer = sqlite3_column_int(stmt, 0) != 0;
    sqlite3_reset(stmt);
    return rc == SQLITE_ROW ? 0 : db_fail(db, "checks documents newer");
}
