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

#include <stdint.h>

#include "handler.h"
#include "mail_smtp.h"

struct app;
struct db_mail;

/* The conversation "revoke": the reporter's typed date and letter, the
 * Kasi's note to return it, the Pelaksana's optional note. */
int revoke_continue(struct handler_ctx *ctx, const char *data);

/* revoke_card.c: makes the request of `ctx`'s person for the register row
 * `certificate_id` (reason, date, the stored letter), sends the Kasi's card
 * and answers the reporter. Refusals are answered; 0 then too. */
int revoke_submit(struct handler_ctx *ctx, int64_t certificate_id, const char *reason,
                  const char *date, int64_t letter_file);
/* The Kasi's typed note returns request `id` drawn at `version`. */
int revoke_return_with_note(struct handler_ctx *ctx, int64_t id, uint32_t version,
                            const char *note);
/* The Pelaksana's typed note records request `id` as revoked at BSrE. */
int revoke_done_with_note(struct handler_ctx *ctx, int64_t id, uint32_t version,
                          const char *note);

/* What the mail server said of a revocation e-mail, inside the caller's
 * transaction; -ENOENT when `mail` is no revocation's (the recommendation's
 * path handles it). */
int revoke_mail_outcome(struct app *app, const struct db_mail *mail, enum mail_outcome outcome,
                        const char *server_text, const char *eml_path, int64_t retry_at_ms,
                        int64_t now_ms);

extern const struct handler_entry handler_revoke;
extern const struct handler_entry handler_revoke_pick;
extern const struct handler_entry handler_revoke_card;

#endif
