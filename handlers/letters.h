/* letters: the documents the SOP asks the agency to write, as PDF files.
 *
 * - the draft recommendation letter (surat rekomendasi, step 3c) from the
 *   Kadis to BSrE, naming the applicant agency's certificate holders;
 * - the notification letter (surat pemberitahuan, step 6b) from the Kadis to
 *   the head of the applicant agency about BSrE's answer;
 * - the disposition sheet (lembar disposisi, steps 1 and 2) on ANRI's form,
 *   rebuilt from the dispositions recorded in chat.
 *
 * Promises:
 * - Official letters are always in Indonesian, whoever asks for them: every
 *   sentence comes from the catalog's "letter." and "sheet." keys in "id".
 *   Catalog templates are filled here as plain text (no HTML escaping), since
 *   a PDF is not Telegram HTML.
 * - The letters are drafts to be signed on paper or with BSrE's signing
 *   tool, so what the bot cannot know is left as a dotted blank to fill in:
 *   the outgoing letter's number (it belongs to the Surat Keluar register),
 *   the signer's NIP. The date is today in WIB, from app->clock.
 * - The signer is the Plh Kadis in force today when there is one (the title
 *   then reads "Plh."), else the active Kadis; a dotted blank if neither is
 *   known.
 * - Only reads: nothing is written to the database.
 *
 * Ownership: on success *pdf is a malloc'd buffer of *size bytes that the
 * caller frees with free(); on error *pdf is NULL and *size 0.
 *
 * Errors: 0 or a negative errno code. -EINVAL for a NULL argument, and for a
 * notification of a case BSrE has not answered (c->wf.bsre_outcome is
 * WF_BSRE_NONE); -ENOMEM; -EIO (and the like) when the database fails, which
 * the db layer has logged already. */
#ifndef SERTIBOT_LETTERS_H
#define SERTIBOT_LETTERS_H

#include <stddef.h>

#include "db_cases.h"

struct app;

/* The language letters are written in, whatever the reader's. */
#define LETTERS_LANG "id"

/* The draft recommendation letter to BSrE for `c`'s holders. */
int letters_recommendation(struct app *app, const struct db_case *c, unsigned char **pdf,
                           size_t *size);

/* The notification to the applicant agency of BSrE's answer
 * (c->wf.bsre_outcome): accepted (activate, an assisted login session
 * follows), rejected or incomplete (with the reason noted when BSrE's reply
 * was recorded, if any). */
int letters_notification(struct app *app, const struct db_case *c, unsigned char **pdf,
                         size_t *size);

/* The lembar disposisi: the incoming letter's Buku Agenda data, then one
 * block per recorded disposition with every configured instruction as a
 * checkbox, ticked when it was chosen. */
int letters_disposition_sheet(struct app *app, const struct db_case *c, unsigned char **pdf,
                              size_t *size);

#endif
