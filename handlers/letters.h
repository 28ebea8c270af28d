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
 * - A draft says "draf" where the number goes (letter.number_format with
 *   {seq} = "draf") and is dated today in WIB, from app->clock. The letter
 *   as signed (letters_render with the outgoing register's row) carries the
 *   number and date given when the Kadis signed (letters_sign.h).
 * - The kop is letter.head and letter.address from the config, else the
 *   catalog's. The signature block: the position ("Plh." before it when an
 *   acting official signs), the name with titles (officials[].title, else
 *   the name), pangkat/golongan and "NIP. 19700101 199003 1 002"; a detail
 *   that is not configured is left out, never dotted.
 * - The draft's signer is the Plh Kadis in force today when there is one,
 *   else the active Kadis; a dotted blank if neither is known.
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
struct config;
struct db_outgoing_letter;

enum letters_kind {
    LETTERS_RECOMMENDATION,
    LETTERS_NOTIFICATION,
    LETTERS_DISPOSITION,
    LETTERS_KIND_COUNT
};

/* "recommendation", "notification", "disposition" (the names the outgoing
 * register and `sertibot render-letter --kind` use); NULL for others. */
const char *letters_kind_name(enum letters_kind kind);
/* The inverse; 0 or -EINVAL. */
int letters_kind_parse(const char *name, enum letters_kind *kind);

/* The letter number of `kind` (recommendation or notification) from
 * letter.number_format: {class} the kind's classification code, {seq} `seq`
 * (or `draft_word` when seq <= 0: the draft's "draf"), {unit} the unit code,
 * {year}. `cfg` may be NULL (the documented defaults). -EINVAL for a
 * disposition sheet, -ENAMETOOLONG when `size` is too small. */
int letters_number_text(const struct config *cfg, enum letters_kind kind, int seq, int year,
                        const char *draft_word, char *out, size_t size);

/* Any of the three documents. `numbered` is the letter as signed (its
 * number, date and signer from the outgoing register); NULL renders the
 * draft, with "draf" where the number goes, today's date, and the signer in
 * office today. The disposition sheet ignores `numbered`. */
int letters_render(struct app *app, const struct db_case *c, enum letters_kind kind,
                   const struct db_outgoing_letter *numbered, unsigned char **pdf, size_t *size);

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
