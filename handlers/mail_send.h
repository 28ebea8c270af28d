/* mail_send: the recommendation goes to BSrE by e-mail (when email.smtp_url
 * is set).
 *
 * In step 4 the Pelaksana's card has "Kirim email ke BSrE": a press shows a
 * preview (to, cc the agency's mailbox, subject with the case tag, the
 * attachments with their sizes: the signed recommendation and the
 * applicant's files) with Kirim / Batal ("m:<case>:<version>:preview|send|
 * cancel"). Kirim queues the mail (db_mail_queue, in the update's
 * transaction, with its Message-ID in case_mail_ids); the case does NOT move
 * then: it moves to "waiting for BSrE" through the workflow
 * (WF_EV_SENT_TO_BSRE) when the server answers 250 (mail_send_outcome), so
 * the step's clock stops at the server's acceptance. The manual "record as
 * sent" button stays as the fallback. Every press is checked again here
 * (holder, state, version, signed letter present, nothing queued already). */
#ifndef SERTIBOT_MAIL_SEND_H
#define SERTIBOT_MAIL_SEND_H

#include <stdint.h>

#include "mail_smtp.h"

struct app;
struct db_mail;

/* Records in ONE transaction what the SMTP server said of `mail`:
 * MAIL_SENT: the row leaves the queue (mail_sent), the .eml at `eml_path`
 * joins the case's documents, the case moves on, the Pelaksana and the Kasi
 * are told; MAIL_TEMPORARY / MAIL_DOWN: tried again at `retry_at_ms` (wall
 * time), the Pelaksana and the Kasi told after the first failure only;
 * MAIL_PERMANENT: the row moves to mail_failed with `server_text` and they
 * are told, with the manual record as the way on. 0 or a negative errno. */
int mail_send_outcome(struct app *app, const struct db_mail *mail, enum mail_outcome outcome,
                      const char *server_text, const char *eml_path, int64_t retry_at_ms);

#endif
