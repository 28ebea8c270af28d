/* letters_send: who receives a letter the bot made, besides the card it
 * belongs to (case_card.c shows the draft to the Pelaksana and the Kadis).
 *
 * - The Kasi prepares both letters: a draft recommendation or notification
 *   the bot generates goes to whoever holds the Kasi's role today (the Plh
 *   Kasi in force, else the Kasi), as a document, when it is generated.
 * - The applicant agency's operators get the signed notification (surat
 *   pemberitahuan) as a PDF whose caption is their milestone: BSrE's answer
 *   and the letter's number and date (letters_sign.c sends it).
 *
 * Everything is queued in the caller's transaction (outbox). 0 or a negative
 * errno. */
#ifndef SERTIBOT_LETTERS_SEND_H
#define SERTIBOT_LETTERS_SEND_H

#include <stdint.h>

#include "db_cases.h"

struct app;
struct db_outgoing_letter;

/* The generated letter stored as `file_row`, of `kind` ("draft" or
 * "notification"), to the Kasi. */
int letters_send_to_kasi(struct app *app, const struct db_case *c, const char *kind,
                         int64_t file_row, int64_t now_ms);

/* The caption of the signed notification for an applicant in `lang`: the
 * milestone (BSrE's answer) and the letter's number and date. The caller
 * frees it; NULL on ENOMEM. */
char *letters_applicant_caption(struct app *app, const struct db_case *c,
                                const struct db_outgoing_letter *l, const char *date,
                                const char *lang);

#endif
