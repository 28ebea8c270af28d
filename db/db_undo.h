/* db_undo: what an irreversible action needs to be undone within its
 * minute (workflow.h, "second thoughts"), kept from the action's transaction
 * until the undo or the next such action on the case; and the letters whose
 * signature was undone.
 *
 * Same rules as db.h: prepared statements only; 0 or a negative errno-style
 * code (-ENOENT for "no such row", -EIO for SQLite failures, logged). The
 * caller's transaction holds the writes together with the action's. */
#ifndef SERTIBOT_DB_UNDO_H
#define SERTIBOT_DB_UNDO_H

#include <stddef.h>
#include <stdint.h>

#include "db_cases.h"

struct db;

/* One case's last undoable action. */
struct db_undo {
    int64_t case_id;
    int64_t actor_id;
    char event[32];               /* wf_event_name */
    char outcome[16];             /* wf_bsre_outcome_name: BSrE's answer of a bsre_reply */
    uint32_t version_after;       /* the version the action made */
    int64_t deadline;             /* ms: the last moment an undo is in time */
    int64_t chat_id, message_id;  /* the actor's card, which carries the undo button */
    int64_t at;                   /* ms: when the action was taken */
    /* The case before the action: its workflow fields, when it entered its
     * state, when it was closed (0: open). */
    struct wf_case before;
    int64_t state_since, closed_at;
    /* The step clocks before the action: the highest clock row of the case
     * (any row above it was started by the action), and the clock that was
     * open (0: none) with what a stop changes of it. */
    int64_t clock_max_id;
    int64_t clock_id, clock_paused_at, clock_paused_ms;
    int clock_breached;
    /* The outgoing letter numbered by a signature (0: none). */
    int64_t letter_id;
};

/* Records (or replaces) the case's undo. */
int db_undo_put(struct db *db, const struct db_undo *u);
/* The case's undo; -ENOENT if none. */
int db_undo_get(struct db *db, int64_t case_id, struct db_undo *out);
int db_undo_delete(struct db *db, int64_t case_id);
/* Up to `max` undos whose minute is over at `now_ms` (deadline < now),
 * earliest first: their buttons are to be taken away. */
int db_undo_expired(struct db *db, int64_t now_ms, struct db_undo *out, size_t max,
                    size_t *count);
/* The earliest deadline of an undo still on record; -ENOENT if none. */
int db_undo_next_deadline(struct db *db, int64_t *deadline);

/* The highest clock row of the case (0: none). */
int db_undo_clock_max(struct db *db, int64_t case_id, int64_t *id);
/* Deletes the case's clocks above row `above`: started by an action undone. */
int db_undo_clocks_void(struct db *db, int64_t case_id, int64_t above);

/* The letter `letter_id` of the register is cancelled (its signature was
 * undone): its number stays taken and is not given again. */
int db_outgoing_cancel(struct db *db, int64_t letter_id, int64_t case_id, int64_t by,
                       int64_t now_ms);
/* True (1) if the letter was cancelled, 0 if not. */
int db_outgoing_cancelled(struct db *db, int64_t letter_id, int *cancelled);

/* Whether the applicant submitted the returned case `number` again after
 * `since_ms`: a new case names it in its first history entry, or an intake
 * started from it is open. */
int db_undo_resubmitted(struct db *db, const char *number, int64_t since_ms, int *yes);

#endif
