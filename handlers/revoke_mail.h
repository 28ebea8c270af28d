/* revoke_mail: BSrE's e-mail reply to a revocation request (issue 14).
 *
 * The request's e-mail to BSrE (revoke_card.c, queued with the Kasi's
 * confirmation) has its own Message-ID ("<pc-0001.<random>@domain>") and
 * the request's number in its subject ("[PC-0001] ..."). A message read from
 * the mailbox that answers it (inbox_mail.c, core/mail_match.h: In-Reply-To,
 * References, then the tag) comes here, never to the case that issued the
 * certificate:
 * - it is stored as the request's (the .eml and each attachment, files of
 *   no case linked to the request: its retention removes them) and the
 *   inbox row names the request ("matched", or "late" once it is closed);
 * - while the request is with its Pelaksana, the Pelaksana gets a card with
 *   the reply (sender, subject, first lines, the attachments sent along) and
 *   one button, "✅ Catat sudah dicabut" ("ib:r:<message>:<version>"),
 *   which records the revocation exactly as the request card's "Sudah
 *   dicabut di BSrE" does (revoke_done_with_note: core/aftercare.h decides,
 *   the register row is revoked, the reporter told), with the reply named
 *   in the note; the Kasi (or Plh) gets the same reply for information;
 *   a Pelaksana given the request later (reassigned) gets the card too;
 * - a reply to a request not yet confirmed goes to the Kasi only, and one to
 *   a closed request (revoked or returned) to the Kasi as "arrived after
 *   closing": stored, nothing else changes.
 * There is no "close without recording" button: a reply that does not say
 * the certificate is revoked (BSrE asks for more, or refuses) does not
 * remove the need to revoke the certificate of someone who left; the
 * request stays with the Pelaksana, who follows it up and records it with
 * the request card, and only the Kasi may return it.
 *
 * Runs in the caller's transaction (the poller's, or the press's). */
#ifndef SERTIBOT_REVOKE_MAIL_H
#define SERTIBOT_REVOKE_MAIL_H

#include <stddef.h>
#include <stdint.h>

struct app;
struct db_inbox_message;
struct handler_ctx;
struct mime_message;

/* Message `inbox_id` (UID `uid`, bytes `raw`, parsed `m`) answers revocation
 * request `request_id`, matched `how`; 0 or a negative errno. */
int revoke_mail_reply(struct app *app, int64_t inbox_id, int64_t request_id, int64_t uid,
                      const void *raw, size_t size, const struct mime_message *m,
                      const char *how, int64_t now_ms);

/* Revocation request `request_id` was given to another Pelaksana (the
 * Kasi's or an admin's reassignment, revoke_card.c): the replies kept with
 * it while open go to the new Pelaksana as cards again, each with its
 * button at the request's version now (the old Pelaksana's buttons are
 * stale by that version) and its attachments. 0 or a negative errno. */
int revoke_mail_replies_again(struct app *app, int64_t request_id, int64_t now_ms);

/* The press "ib:r:<message>:<version>": `arg` is "<version>" (untrusted).
 * A refusal is answered and changes nothing; 0 then too. */
int revoke_mail_press(struct handler_ctx *ctx, const struct db_inbox_message *row,
                      const char *arg);

#endif
