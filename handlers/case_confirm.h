/* case_confirm: the second tap of an irreversible action (a return that
 * closes the request, the Kadis's signature, BSrE's rejection recorded:
 * wf_event_confirms), and its undo within a minute (case_undo.c).
 *
 * The first tap (for a return or a rejection: the answer to the note's
 * question) does not act: the card becomes the question, one line saying
 * what the action will do, with "Ya, <verb>" and "Batal". The buttons carry
 * the card's data with the answer after the event's own argument:
 * "c:<case>:<version>:<event>[:<arg>]:y" and "...:n", so the confirming tap
 * is routed, authorised and checked for the case's version exactly like the
 * action itself (target.h, TARGET_MAY_APPLY): a confirmation on an old card
 * is stale and does nothing. A note typed for the action waits with the
 * presser (their conversation, kind "confirm") until Ya or Batal.
 *
 * All of it runs inside the update's transaction; 0 or a negative errno. */
#ifndef SERTIBOT_CASE_CONFIRM_H
#define SERTIBOT_CASE_CONFIRM_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "db_cases.h"
#include "db_undo.h"
#include "handler.h"

struct app;

/* One row: `yes_label` with `yes_data`, the catalog's "Batal" with
 * `no_data`. NULL on ENOMEM. The caller deletes it. Shared with the typed
 * "ok" on a card (card_reply.c). */
cJSON *case_confirm_keyboard(const struct app *app, const char *lang, const char *yes_label,
                             const char *yes_data, const char *no_data);

/* A press's argument as the event's own and the answer: 'y' (Ya) or 'n'
 * (Batal) when the last field is that letter, else 0 (the first tap) with
 * `arg` copied whole. */
char case_confirm_split(const char *arg, char *event_arg, size_t size);

/* Whether `event` on `c` waits for a second tap. */
bool case_confirm_needed(const struct db_case *c, const struct wf_event *event);

/* Asks: the card the press (or the note's question) came from becomes the
 * question with Ya/Batal; `event_arg` is the press's own argument (BSrE's
 * outcome). The event's note (and reply_at_ms) is kept for the presser. The
 * caller has checked the presser may take the event (wf_may). */
int case_confirm_ask(struct handler_ctx *ctx, const struct db_case *c,
                     const struct wf_event *event, const char *event_arg);

/* Batal: the card as it was, with its buttons; the kept note is dropped. */
int case_confirm_cancel(struct handler_ctx *ctx, const struct db_case *c);

/* Ya: the note kept for this presser, case, version, event and argument,
 * copied into `note` ("" for a file alone), with when BSrE's reply arrived
 * if it came by e-mail (*reply_at_ms, 0 otherwise), and dropped. -ENOENT
 * when none stands (then the caller says the question has expired). */
int case_confirm_take_note(struct handler_ctx *ctx, const struct db_case *c, const char *what,
                           const char *event_arg, char *note, size_t size, int64_t *reply_at_ms);

/* conversation.c: a message typed while the question waits: a reminder to
 * answer it; -ENOENT (the question dropped) when its case moved on. */
int case_confirm_typed(struct handler_ctx *ctx, const char *data);

/* --- the undo (case_undo.c) ---------------------------------------------- */

/* Before the action: what its undo must restore (the case, its clocks). */
int case_undo_prepare(struct handler_ctx *ctx, const struct db_case *c, struct db_undo *u);

/* After the action was applied (`c` as it is now, `before` its workflow
 * fields before, `r` the core's result): records the undo and puts
 * "↩️ Urungkan (1 menit)" under the actor's closed card (chat, message); an
 * action without undo (the notification's signature) says why instead. */
int case_undo_offer(struct handler_ctx *ctx, const struct db_case *c,
                    const struct wf_case *before, const struct wf_event *event,
                    const struct wf_result *r, struct db_undo *u, int64_t chat,
                    int64_t message);

#endif
