/* revoke: the revocation of a holder's certificate (pencabutan sertifikat
 * elektronik), issue 14. The rules are core/aftercare.h's; this module is
 * the chat around them.
 *
 * revoke.c: the reporter's side. /cabut (/revoke) [name or NIP] searches the
 * register (an operator: their own agency only); a holder is picked by
 * button ("rvc:<certificate>"), then the reason ("rvc:<certificate>:<reason>"),
 * then the date is typed and the supporting letter sent as a file (the
 * conversation "revoke"). Every press is checked again: the row is live, of
 * the operator's agency, and has no open revocation.
 *
 * revoke_card.c: the request itself. The Kasi's card (the letter with its
 * details) confirms and names a Pelaksana, or returns it with a note; the
 * Pelaksana's card records that BSrE revoked it (after the bot's e-mail to
 * BSrE when mail is configured, queued in the same transaction as the
 * confirmation), which revokes the register row and tells the reporter.
 * Buttons: "rv:<request>:<version>:<what>[:<arg>]". */
#ifndef SERTIBOT_REVOKE_H
#define SERTIBOT_REVOKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aftercare.h"
#include "handler.h"
#include "mail_smtp.h"

struct app;
struct db_certificate;
struct db_mail;

/* Choosing a holder from the register, shared by /cabut and
 * /bantuan_sertifikat: buttons "<prefix>:<certificate>", the conversation
 * kind that continues it, and the texts of a search. An operator sees only
 * its own agency's live holders. */
struct holder_flow {
    int kind;                   /* enum ac_kind */
    const char *prefix;
    const char *conversation;
    const char *pick_key, *none_key;
    /* The second question, once the holder is picked: one button per choice
     * ("<prefix>:<certificate>:<choice>"), labelled by the locale key
     * `choice_key` ("revoke.reason.%s": a format with one %s, the choice's
     * name), under the text `ask_choice_key`. */
    const enum ac_reason *choices;
    size_t choice_count;
    const char *choice_key, *ask_choice_key;
};
/* Sets the person's conversation of `flow` to `data` (borrowed). */
int holder_flow_step(struct handler_ctx *ctx, const struct holder_flow *flow, cJSON *data);
/* The live rows matching `text` the person may choose, as buttons. */
int holder_flow_search(struct handler_ctx *ctx, const struct holder_flow *flow,
                       const char *text);
/* The row `id`, if the person may make a request of flow's kind for it now
 * (live, theirs, none open); answers the press when not. */
int holder_flow_reportable(struct handler_ctx *ctx, const struct holder_flow *flow, int64_t id,
                           struct db_certificate *cert, bool *ok);
/* Edits the pressed message into flow's second question for `cert`. */
int holder_flow_choices(struct handler_ctx *ctx, const struct holder_flow *flow,
                        const struct db_certificate *cert);

/* The conversation "revoke": the reporter's typed date and letter, the
 * Kasi's note to return it, the Pelaksana's optional note. */
int revoke_continue(struct handler_ctx *ctx, const char *data);

/* revoke_card.c: makes the request of `ctx`'s person for the register row
 * `certificate_id` (reason, date, the stored letter), sends the Kasi's card
 * and answers the reporter. Refusals are answered; 0 then too. */
int revoke_submit(struct handler_ctx *ctx, int64_t certificate_id, const char *reason,
                  const char *date, int64_t letter_file);
/* The same for a help request (help_request.c): what is needed
 * ("lupa_passphrase", "terbit_ulang") and the operator's short note. */
int help_request_submit(struct handler_ctx *ctx, int64_t certificate_id, const char *what,
                        const char *note);
/* The Kasi's typed note returns request `id` drawn at `version`. */
int revoke_return_with_note(struct handler_ctx *ctx, int64_t id, uint32_t version,
                            const char *note);
/* The Pelaksana's typed note records request `id` as revoked at BSrE. */
int revoke_done_with_note(struct handler_ctx *ctx, int64_t id, uint32_t version,
                          const char *note);

/* What the mail server said of a revocation e-mail, inside the caller's
 * transaction; -ENOENT when `mail` is no revocation's (its request_id is 0:
 * the recommendation's path handles it). */
int revoke_mail_outcome(struct app *app, const struct db_mail *mail, enum mail_outcome outcome,
                        const char *server_text, const char *eml_path, int64_t retry_at_ms,
                        int64_t now_ms);

/* help_request.c: the conversation "help_req" (the search, the note). */
int help_request_continue(struct handler_ctx *ctx, const char *data);

/* revoke_card.c: the reminder due for help request `id` (its stage, to the
 * one who holds it, and their superior from the second stage on), and the
 * next one scheduled; in the caller's transaction. */
int help_request_remind(struct app *app, int64_t id, int64_t now_ms);
/* help_request_jobs.c: every help reminder due at `now_ms`, each a job of
 * its own (jobs_guard); and when the next one falls due (INT64_MAX: none). */
int help_request_send_due(struct app *app, int64_t now_ms);
int64_t help_request_next_due(struct app *app, int64_t now_ms);
/* The office calendar changed (/libur): each open help request's next
 * reminder is planned again on the new working days, in the caller's
 * transaction; *replanned counts those that moved. */
int help_request_replan(struct app *app, int *replanned);

extern const struct handler_entry handler_help_request;
extern const struct handler_entry handler_help_request_pick;
extern const struct handler_entry handler_revoke;
extern const struct handler_entry handler_revoke_pick;
extern const struct handler_entry handler_revoke_card;

/* /admin ganti PC-0001 (or BS-0001): an admin gives a revocation or help
 * request to another Pelaksana, picked from buttons that press the Kasi's
 * "to" (rv:...:to:<id>), so the core authorises it again on the press.
 * *known false when `word` is not such a number (the case form answers);
 * with `id_typed` the admin is pointed to the buttons, which carry the
 * request's version. */
int revoke_admin_reassign(struct handler_ctx *ctx, const char *word, bool id_typed, bool *known);

#endif
