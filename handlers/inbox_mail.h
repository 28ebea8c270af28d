/* inbox_mail: what a message read from the agency's mailbox (bot/inbox.c)
 * becomes.
 *
 * A message is matched (core/mail_match.h) by In-Reply-To, then References,
 * against the Message-IDs of the mails the bot sent (a revocation request's
 * first, then the cases' in case_mail_ids), else by the tag in the subject
 * ("[SE-0001]" a case, "[PC-0001]" a revocation request). A reply to a
 * revocation request goes to revoke_mail.h and never touches a case. A
 * reply matched to a case is kept with the case
 * (the .eml and each attachment as case files of kind "bsre_reply") and the
 * case's Pelaksana gets a card: sender, subject, the first lines, the
 * attachments (sent along as documents), and the outcome buttons while the
 * case waits for BSrE. The outcome tap records BSRE_REPLY through the
 * workflow with the message's arrival as reply_at_ms, so step 5's clock
 * starts when the reply came. An unmatched message is kept (its bytes too)
 * and shown to the Kasi (and a Plh Kasi) with buttons to attach it to an
 * open case (those waiting for BSrE first, at most six) or to ignore it;
 * only a Kasi may press them. A message whose
 * Message-ID was handled before is recorded as a duplicate and nothing else.
 *
 * Everything runs in the caller's transaction (the poller's, with the UID
 * bookkeeping; or the button press's). */
#ifndef SERTIBOT_INBOX_MAIL_H
#define SERTIBOT_INBOX_MAIL_H

#include <stddef.h>
#include <stdint.h>

struct app;

/* Handles one fetched message; 0 or a negative errno (then roll back). */
int inbox_mail_receive(struct app *app, const char *mailbox, int64_t uidvalidity, int64_t uid,
                       const void *raw, size_t size, int64_t now_ms);

struct mime_message;

/* For revoke_mail.c. Stores the .eml and the attachments of `m` as files
 * of kind "bsre_reply" of case `case_id` (0: of no case), each of request
 * `request_id` too when not 0; *eml gets the .eml's row, rows[] the first
 * `max` attachments' (*count of them). */
int inbox_mail_store(struct app *app, int64_t case_id, int64_t request_id, int64_t uid,
                     const void *raw, size_t size, const struct mime_message *m, int64_t now_ms,
                     int64_t *eml, int64_t *rows, size_t max, size_t *count);
/* The catalog's card `key` filled with the message's sender, subject,
 * arrival (`at_ms`), first lines and attachments, and `number`; malloc'd
 * HTML (the caller frees), NULL when out of memory. */
char *inbox_mail_summary(struct app *app, const char *lang, const char *key, const char *number,
                         const struct mime_message *m, int64_t at_ms);

#endif
