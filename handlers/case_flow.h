/* case_flow: carries out what the workflow core (workflow.h) decided.
 *
 * Given an event, it asks wf_apply; when the SOP allows it, it writes the new
 * case state, the audit entry and the step clocks, and queues every message
 * that follows (the new holder's card, the applicant's news, notices), all in
 * the caller's open transaction: either all of it happens, or none.
 *
 * A holder who cannot be reached (they blocked the bot) does not stall a
 * case silently: their superior and the admins are told, so an admin can
 * reassign or name a Plh. */
#ifndef SERTIBOT_CASE_FLOW_H
#define SERTIBOT_CASE_FLOW_H

#include <stdint.h>

#include "db_cases.h"
#include "workflow.h"

struct app;

/* Applies `event` by `actor` to `c`. On acceptance `c` is updated in place
 * and *result (may be NULL) holds the core's answer; *refusal is 0. On
 * refusal nothing is written, *refusal is the wf_error and *missing (may be
 * NULL) what was missing. Returns 0, or a negative errno for an I/O failure. */
int case_flow_apply(struct app *app, struct db_case *c, const struct wf_event *event,
                    const struct wf_actor *actor, int64_t now_ms, int *refusal,
                    const char **missing, struct wf_result *result);

/* The intake: inserts `c` (agency, applicant, letter fields filled in) with
 * its Buku Agenda entry, holders and request letter, and starts step 1.
 * `letter` may be NULL; `note` (may be NULL) goes with the submission in the
 * history, e.g. which returned request this one submits again. */
int case_flow_create(struct app *app, struct db_case *c, const char *agency_name,
                     const struct db_holder *holders, size_t holder_count,
                     const struct db_file *letter, const char *note, int64_t now_ms);

/* `user_id` blocked the bot: for every open case waiting for them, their
 * superior and the admins are told (an admin can reassign or name a Plh). */
int case_flow_unreachable(struct app *app, int64_t user_id, int64_t now_ms);

/* Sends `c`'s card to everyone who holds it now (after an admin's change, or
 * when asked again). */
int case_flow_notify_holders(struct app *app, const struct db_case *c, int64_t now_ms);

struct db_clock;
/* Recomputes a clock's deadline and its next reminder as of `now_ms` (after
 * a pause, a resume, or a change of the office calendar). */
void case_clock_plan(const struct app *app, struct db_clock *clock, int64_t now_ms);

#endif
