/* inbox_mail: what a message read from the agency's mailbox (bot/inbox.c)
 * becomes.
 *
 * A message is matched to its case by In-Reply-To, then References, against
 * the Message-IDs of the mails the bot sent (case_mail_ids), else by the case
 * tag in the subject ("[SE-0001]"). A matched reply is kept with the case
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

/* Finds the case a subject's tag names ("[SE-0012]", any case of letters);
 * -ENOENT if there is none. Pure. */
int inbox_subject_case(const char *subject, int64_t *case_id);

#endif
