/* help_session: a certificate help request's session (issue 14), booked
 * as step 6-7's is.
 *
 * - The offer: the assigned Pelaksana (or the Kasi) opens the slot picker
 *   (slot_picker.h, owner SLOT_OWNER_HELP) from the request's card, adds 2-5
 *   slots (drafts: working days, office hours, none overlapping that
 *   Pelaksana's holding sessions or each other) and sends them; the
 *   operator who asked gets one button per slot ("sh:<id>:<version>:cp:
 *   <session>") or asks for other times ("...:cd").
 * - The pick: checked again (who pressed, the request's state and version,
 *   the slot still offered and free); the session is confirmed, the others
 *   withdrawn, its reminders planned (session_plan.h, sent by
 *   session_jobs.c) and its .ics (sessions_ics_store) goes to the
 *   Pelaksana, the operator and the Kasi, with the buttons to move
 *   ("...:mo") or cancel ("...:cx") it.
 * - Move: a new time in the picker, then the reason; the same UID with
 *   SEQUENCE+1 to the three. Cancel: the reason; METHOD:CANCEL to the three,
 *   and the Pelaksana may offer again.
 * - Reassign (revoke_card.c's "Ganti Pelaksana"): the confirmed session goes
 *   to the new Pelaksana (refused before anything moves if they are booked
 *   then), the new one, the operator and the Kasi get the .ics with
 *   SEQUENCE+1, the old one the CANCEL .ics; an open offer is withdrawn.
 * Who may do which is core/help_slots.h's. The offer, the pick, move and
 * cancel are help_session.c; what follows the request's events, /jadwal and
 * the scheduler help_session_follow.c; the .ics help_session_ics.c.
 * Everything runs inside the
 * caller's transaction; 0 or a negative errno. Refusals are answered to the
 * person and return 0. */
#ifndef SERTIBOT_HELP_SESSION_H
#define SERTIBOT_HELP_SESSION_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct app;
struct db_session;
struct handler_ctx;
struct slot_owner;
struct wf_actor;

/* The card's "Jadwalkan sesi pendampingan" on request `id` drawn at
 * `version`: the offer builder, if the presser may build it now. */
int help_session_open(struct handler_ctx *ctx, int64_t id, uint32_t version);

/* For slot_picker.c: the person's next message answers the picker of help
 * owner `o` (`want` "slot", "move" or "place", with `arg`); and the
 * question for the reason of a move ("move", `arg` the new start in ms) or
 * a cancellation ("cancel"). */
int help_session_remember(struct handler_ctx *ctx, const struct slot_owner *o, const char *want,
                          const char *arg);
int help_session_ask_reason(struct handler_ctx *ctx, const struct slot_owner *o, const char *want,
                            const char *arg);
/* The conversation "help_slot": those answers. */
int help_session_continue(struct handler_ctx *ctx, const char *data);

/* Before request `help_id` goes to Pelaksana `to`: *busy when its confirmed
 * session, not over, overlaps another holding session of theirs. */
int help_session_reassign_check(struct app *app, int64_t help_id, int64_t to, int64_t now_ms,
                                bool *busy);
/* After it went from `old` to its new Pelaksana: see above. */
int help_session_reassigned(struct app *app, int64_t help_id, int64_t old, int64_t now_ms);

/* Request `help_id` closed (its report: `done`): its confirmed session is
 * done (or cancelled), an open offer and drafts withdrawn. */
int help_session_closed(struct app *app, int64_t help_id, bool done, int64_t now_ms);

/* For /jadwal (schedule.c): help session `s`'s request number and agency;
 * *buttons (may be NULL) the keyboard to move or cancel it in `lang` when
 * `viewer` may now (it is confirmed; core/help_slots.h), else NULL. */
int help_session_listing(struct app *app, const struct db_session *s,
                         const struct wf_actor *viewer, const char *lang, char *number,
                         size_t number_size, char *agency, size_t agency_size, cJSON **buttons);

/* `day` became a holiday or closure (/libur, named `day_name`, `date` its
 * YYYY-MM-DD): confirmed help session `s` on it is flagged to its
 * Pelaksana, the operator and the Kasi, with the buttons to move or cancel
 * it. */
int help_session_flag_closed_day(struct app *app, const struct db_session *s, const char *date,
                                 const char *day_name, int64_t now_ms);

/* For session_jobs.c (a session with help_id set): whether request
 * s->help_id still waits for session `s` (confirmed, the request with its
 * Pelaksana); and the session_plan.h stage `stage` said: the reminders to
 * the Pelaksana and the operator who asked, the question for the report to
 * the Pelaksana. */
int help_request_session_live(struct app *app, const struct db_session *s, bool *live);
int help_request_session_say(struct app *app, const struct db_session *s, int stage,
                             int64_t now_ms);

extern const struct handler_entry handler_help_slot;

#endif
