/* db_sessions: the assisted login sessions (pendampingan) of the SOP's step
 * 6c/6d and 7: the slots the Kasi offers, the one the applicant chooses, and
 * what became of it.
 *
 * A session's life:
 *   draft     the Kasi is putting an offer together; it holds nobody's time
 *   offered   sent to the applicant; it holds its Pelaksana's time
 *   confirmed chosen by the applicant; it holds its Pelaksana's time
 *   withdrawn offered but not chosen (another was, or other times were asked)
 *   cancelled called off after it was confirmed
 *   done      reported (step 7)
 *   no_show   the applicant did not come
 * "Holding" is what double booking is about: two holding sessions of one
 * Pelaksana never overlap. The handlers check that (slots.h) before they
 * write, in the same transaction; the schema refuses it too, so a mistake
 * cannot book one Pelaksana twice (-EEXIST below).
 *
 * Each confirmed session knows its next reminder (remind_stage, next_due),
 * so the scheduler needs one indexed look for the earliest, and the stage
 * moves in the same transaction as the messages it sends.
 *
 * Errors as in db.h: 0 or a negative errno-style code (-ENOENT for "no such
 * row", -EIO for SQLite failures, logged). Callers group the writes of one
 * action in their transaction. */
#ifndef SERTIBOT_DB_SESSIONS_H
#define SERTIBOT_DB_SESSIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db_cases.h"

struct db;

enum db_session_status {
    SESSION_DRAFT = 0,
    SESSION_OFFERED,
    SESSION_CONFIRMED,
    SESSION_WITHDRAWN,
    SESSION_CANCELLED,
    SESSION_DONE,
    SESSION_NO_SHOW,
    SESSION_STATUS_END
};

/* "draft", "offered", ...: stored by name; NULL for an unknown value. */
const char *db_session_status_name(enum db_session_status status);
/* The inverse; SESSION_STATUS_END for anything else. */
enum db_session_status db_session_status_parse(const char *name);

#define DB_PLACE_MAX 200   /* bytes of a place: a room, or an online meeting link */

struct db_session {
    int64_t id;
    int64_t case_id;
    int64_t pelaksana_id;
    int64_t start_at;               /* ms; [start_at, end_at) */
    int64_t end_at;
    char place[DB_PLACE_MAX + 1];
    enum db_session_status status;
    int sequence;                   /* the .ics SEQUENCE: +1 on every move and on a cancel */
    int remind_stage;               /* the next reminder (session_plan.h stages) */
    int64_t next_due;               /* when; 0: nothing more to send */
    int64_t created_by;
    int64_t created_at;             /* ms */
    int64_t updated_at;             /* ms */
    /* A certificate help request's session (db_aftercare.h) instead of a
     * case's: exactly one of case_id and help_id is set (the other 0). */
    int64_t help_id;
};

/* Inserts `s` (its id is ignored); sets *id_out (may be NULL). -EEXIST if it
 * would make its Pelaksana's holding sessions overlap. */
int db_session_add(struct db *db, const struct db_session *s, int64_t *id_out);
int db_session_get(struct db *db, int64_t id, struct db_session *out); /* -ENOENT */
/* The latest session of help request `help_id` in `status`; -ENOENT if none. */
int db_session_of_help(struct db *db, int64_t help_id, enum db_session_status status,
                       struct db_session *out);
/* Writes everything but id, case_id, created_by and created_at. -EEXIST as
 * db_session_add. */
int db_session_update(struct db *db, const struct db_session *s);
/* Deletes a draft (only a draft: -ENOENT otherwise), of a case or of a
 * help request. */
int db_session_delete_draft(struct db *db, int64_t case_id, int64_t id);
int db_session_delete_help_draft(struct db *db, int64_t help_id, int64_t id);

/* Moves the sessions of help request `help_id` from `from` to `to`. */
int db_sessions_help_set_status(struct db *db, int64_t help_id, enum db_session_status from,
                                enum db_session_status to, int64_t now_ms);
/* The sessions of a case (of a help request) in `status`, by start time. */
int db_sessions_of_case(struct db *db, int64_t case_id, enum db_session_status status,
                        struct db_session *out, size_t max, size_t *count);
int db_sessions_of_help(struct db *db, int64_t help_id, enum db_session_status status,
                        struct db_session *out, size_t max, size_t *count);
/* Moves every session of a case from `from` to `to` (and clears their
 * reminders); *changed (may be NULL) says how many. */
int db_sessions_set_status(struct db *db, int64_t case_id, enum db_session_status from,
                           enum db_session_status to, int64_t now_ms, int *changed);
/* The holding sessions (offered, confirmed) of `pelaksana_id` that overlap
 * [from_ms, to_ms), by start time. */
int db_sessions_holding(struct db *db, int64_t pelaksana_id, int64_t from_ms, int64_t to_ms,
                        struct db_session *out, size_t max, size_t *count);

/* The holding sessions that have not ended by `from_ms`, by start time, of
 * one Pelaksana (pelaksana_id != 0), of one agency's cases and help requests
 * (agency_id != 0), or all (both 0); a help request's has help_id set. */
int db_sessions_coming(struct db *db, int64_t pelaksana_id, int64_t agency_id, int64_t from_ms,
                       struct db_session *out, size_t max, size_t *count);

/* The sessions with a reminder due at `now_ms`, earliest first. */
int db_sessions_due(struct db *db, int64_t now_ms, struct db_session *out, size_t max,
                    size_t *count);
/* The sessions with a reminder planned (next_due set, whether due or not,
 * set aside or not), by id, from after `after_id`: a caller pages through
 * them all. */
int db_sessions_planned(struct db *db, int64_t after_id, struct db_session *out, size_t max,
                        size_t *count);
/* Sets only the next reminder of session `id`: `stage` at `next_due` (0:
 * nothing more to send). */
int db_session_set_reminder(struct db *db, int64_t id, int stage, int64_t next_due);
/* The earliest next_due of all; -ENOENT if none. */
int db_sessions_next_due(struct db *db, int64_t *when_ms);

#endif
