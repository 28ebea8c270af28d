/* case_action: acting on a case from chat, shared by the card's buttons
 * (case_action.c), the card's own choices (disposition.c, checklist.c,
 * report.c) and the answers to the bot's questions (case_prompt.c).
 *
 * All of them run inside the update's transaction and return 0 or a negative
 * errno for an internal failure; a refusal is an answer to the person, not
 * an error. */
#ifndef SERTIBOT_CASE_ACTION_H
#define SERTIBOT_CASE_ACTION_H

#include <stddef.h>
#include <stdint.h>

#include "db_cases.h"
#include "handler.h"

/* Splits "<case>:<version>:<what>[:<arg>]"; -EINVAL for anything else. */
int case_press_parse(const char *rest, int64_t *case_id, uint32_t *version, char *what,
                     size_t what_size, char *arg, size_t arg_size);

/* Applies `event` and closes (or redraws) the card it came from; the
 * sessions follow (sessions.h). */
int case_act(struct handler_ctx *ctx, struct db_case *c, const struct wf_event *event);
/* The same for the applicant's choice of the slot `session_id`. */
int case_act_session(struct handler_ctx *ctx, struct db_case *c, const struct wf_event *event,
                     int64_t session_id);

/* Tells the presser why nothing happened (a stale card is refreshed). */
int case_refusal_answer(struct handler_ctx *ctx, const struct db_case *c, int refusal,
                        const char *missing);
/* Redraws the card a press came from as the case stands now. */
int case_card_refresh(struct handler_ctx *ctx, const struct db_case *c);

/* Asks the presser for `want` ("note", "file", "file_or_note"; the session
 * picker's "slot", "move" and "place") with the sentence `prompt_key`; their
 * next message finishes `action`. */
int case_prompt_start(struct handler_ctx *ctx, const struct db_case *c, const char *action,
                      const char *arg, const char *want, const char *prompt_key);
/* Only remembers the question (the caller asks it its own way). */
int case_prompt_remember(struct handler_ctx *ctx, const struct db_case *c, const char *action,
                         const char *arg, const char *want);
/* conversation.c: the answer to such a question (`data` is the prompt's JSON). */
int case_prompt_finish(struct handler_ctx *ctx, const char *data);

/* Checks the presser may act on the case's current card as holder (wf_may:
 * what the case still lacks does not count), and that `version` is current.
 * 0 when they may; otherwise the refusal has been answered and *refused set. */
int case_card_choice_allowed(struct handler_ctx *ctx, const struct db_case *c, uint32_t version,
                             enum wf_event_kind kind, int *refused);

/* Redraws only the buttons of the card a choice was pressed on. */
int case_card_buttons_refresh(struct handler_ctx *ctx, const struct db_case *c);

/* A file or photo in the current message, stored as `kind` of the case;
 * -ENOENT if the message carries none; -EFBIG, after telling the sender, if
 * it is too big for the bot to download (file_limit.h): nothing stored. */
int case_store_attachment(struct handler_ctx *ctx, const struct db_case *c, const char *kind,
                          int64_t *file_row);

/* A card's pending choices (disposition, step-7 report), kept per case and
 * step until the action is taken: put one key (takes `value`), or get the
 * whole object (the caller deletes it; an empty object when none). */
/* The longest note a person may write on a card or an answer (bytes). */
#define CASE_NOTE_MAX 1000

int case_draft_put(struct app *app, int64_t case_id, int step, const char *key, cJSON *value);
cJSON *case_draft_get(struct app *app, int64_t case_id, int step);

#endif
