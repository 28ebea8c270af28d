/* letters_sign: the Kadis signs a letter in chat, and it gets its number.
 *
 * When the Kadis (or the Plh Kadis) taps "sign" on the recommendation (step
 * 4) or the notification (step 6), in the same transaction as the signing:
 * the letter gets the next number of its kind and year (letter.number_format,
 * see letters.h), is recorded in the outgoing register (surat keluar, shown
 * in the Buku Agenda's export), is rendered again with the number, date and
 * signer, stored as the case's "numbered_recommendation" or
 * "numbered_notification" file, and sent: to the signer, to the Kasi who
 * prepared it, and to whom it goes next (the Pelaksana who sends the
 * recommendation to BSrE; the applicant agency's operators for the
 * notification, which is addressed to them, with their milestone as its
 * caption: letters_send.h).
 *
 * Errors: 0 or a negative errno (the db layer has logged); the caller's
 * transaction then rolls back, so no number is used up without its letter. */
#ifndef SERTIBOT_LETTERS_SIGN_H
#define SERTIBOT_LETTERS_SIGN_H

#include <stdbool.h>
#include <stdint.h>

#include "db_cases.h"
#include "db_letters.h"
#include "letters.h"

struct app;
struct handler_ctx;

/* Numbers, records and stores the letter of `kind` (recommendation or
 * notification) signed by `signer_id` (`via_plh`: as the Plh Kadis) at
 * `now_ms`. Fills *out (may be NULL) and *file_row (may be NULL: the stored
 * file's row). Sends nothing. */
int letters_number_and_store(struct app *app, const struct db_case *c, enum letters_kind kind,
                             int64_t signer_id, bool via_plh, int64_t now_ms,
                             struct db_outgoing_letter *out, int64_t *file_row);

/* The signing tap: for a case in WF_S4_TTD_KADIS or WF_S6_TTD_KADIS, numbers
 * and stores the letter as above and queues it to the signer and the next
 * reader. Any other state: nothing, 0. Call it only once wf_apply has
 * accepted (or will accept) the signing in this transaction. */
int letters_sign_press(struct handler_ctx *ctx, const struct db_case *c);

#endif
