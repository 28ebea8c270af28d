/* slot_picker: choosing session times with buttons (or by typing them).
 *
 * One picker, for two owners of a session: a case (step 6-7) or a
 * certificate help request (issue 14; help_session.c). Two uses:
 * - the offer builder: slots are added one by one, each a day, a start
 *   time, the Pelaksana who assists and a place, kept as drafts
 *   (db_sessions.h) until "Send the offer" sends two to five of them (a
 *   case: the Kasi in step 6, case_action.c; a help request: its Pelaksana
 *   or the Kasi, help_session.c). A help request's slots are all its
 *   assigned Pelaksana's: that choice is skipped;
 * - moving a confirmed session: a new day and time for the same Pelaksana
 *   and place, then the reason.
 * The days offered are working days only and the times lie inside office
 * hours; a typed "2026-12-03 09:00" (or "2026-12-03 09:00-10:30") is read
 * too. Every slot is checked again (sessions_check) right before it is
 * written, in the same transaction.
 *
 * Buttons carry the owner's kind in their prefix: "s:<case>:<version>:<op>
 * [:<args>]" (handler_slot_picker, checked by the workflow core) or
 * "sh:<help request>:<version>:<op>[:<args>]" (help_session.c, checked by
 * core/help_slots.h). The ops: ow/mw:<day> a page of days, od/md:<day> a
 * day's times, ot/mt:<day>:<min> a start, op:<day>:<min>:<len>:<pelaksana>
 * the Pelaksana (then the place is asked), ol:... the place of the last
 * slot again, ox:<session> removes a draft. Days are day numbers
 * (office_calendar.h), times minutes after midnight WIB. All of it is
 * checked on the server. */
#ifndef SERTIBOT_SLOT_PICKER_H
#define SERTIBOT_SLOT_PICKER_H

#include <stdbool.h>

#include "db_cases.h"
#include "db_registry.h"
#include "handler.h"

enum slot_owner_kind { SLOT_OWNER_CASE = 0, SLOT_OWNER_HELP };

/* Whose sessions the picker works on; filled by the caller, who has checked
 * that the person may (the case's target, or help_slots.h). */
struct slot_owner {
    enum slot_owner_kind kind;
    int64_t id;                 /* the case's or the help request's id */
    uint32_t version;           /* the version its buttons carry */
    char number[24];            /* "SE-0001", "BS-0001" */
    char agency[DB_NAME_MAX];   /* the agency named in the builder's title */
    int64_t pelaksana_id;       /* help: the assigned Pelaksana; a case: 0 (chosen per slot) */
    const struct db_case *c;    /* SLOT_OWNER_CASE: the case, borrowed */
};

/* The owner for case `c` (borrowed by it). */
void slot_owner_of_case(struct app *app, const struct db_case *c, struct slot_owner *o);

/* The same as the case functions below, for any owner. */
int slot_picker_owner_open(struct handler_ctx *ctx, const struct slot_owner *o, bool move);
int slot_picker_owner_typed(struct handler_ctx *ctx, const struct slot_owner *o,
                            const char *text, bool move);
int slot_picker_owner_place(struct handler_ctx *ctx, const struct slot_owner *o,
                            const char *arg, const char *text);
/* A picker button of `o` ("<op>", "<args>") whose presser may use it (for
 * an 'o' op: build the offer; 'm': move the session). */
int slot_picker_owner_press(struct handler_ctx *ctx, const struct slot_owner *o, const char *op,
                            const char *arg);

/* Sends the offer builder (`move` false) or the picker to move the session
 * (`move` true) as a new message, and lets the person type a time. */
int slot_picker_open(struct handler_ctx *ctx, const struct db_case *c, bool move);

/* A typed answer to the picker (case_prompt.c): a time, with an optional end
 * and, for an offer, ", place". */
int slot_picker_typed(struct handler_ctx *ctx, const struct db_case *c, const char *text,
                      bool move);

/* The typed place of a slot whose day, start, length and Pelaksana are in
 * `arg` ("<day>:<min>:<len>:<pelaksana>", from the prompt). */
int slot_picker_place(struct handler_ctx *ctx, const struct db_case *c, const char *arg,
                      const char *text);

#endif
