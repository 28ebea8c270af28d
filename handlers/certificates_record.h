/* certificates_record: a closed case's holders into the register of
 * certificates (db_certificates.h).
 *
 * Called in the transaction of the step-7 report that closes a case as done,
 * so the register and the case's state commit together or not at all. A
 * renewal case records the same way: db_certificate_record updates the
 * holder's live row with the new validity end. */
#ifndef SERTIBOT_CERTIFICATES_RECORD_H
#define SERTIBOT_CERTIFICATES_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include "db_cases.h"
#include "handler.h"

struct app;

/* The step-7 draft's key of the validity end the Pelaksana typed. */
#define CERT_DRAFT_VALID "valid"

/* Records every holder of case `c` as of ctx->now_ms: status issued for a
 * holder whose login the Pelaksana ticked in the step-7 report
 * ("login<N>"), waiting for one not ticked (the Kasi can follow up); the
 * login time is the report's; `valid_until` ("YYYY-MM-DD") is the end, or,
 * when NULL, the one the report carries (certificates_report_valid_until).
 * 0 or a negative errno. */
int certificates_record_case(struct handler_ctx *ctx, const struct db_case *c,
                             const char *valid_until);

/* The validity end the step-7 report of `c` carries: the date the Pelaksana
 * typed, else the report day (the WIB day of `now_ms`) plus
 * certificates.validity_days; *typed (may be NULL) says which. */
int certificates_report_valid_until(struct app *app, const struct db_case *c, int64_t now_ms,
                                    char out[11], bool *typed);

/* --- the step-7 question (certificates_valid.c) ---------------------------- */

struct text;
/* The report card's line "Berlaku sampai: 4 Desember 2028 (bawaan)" for a
 * case in step 7 (nothing otherwise). */
void certificates_card_validity(struct text *t, struct app *app, const struct db_case *c,
                                const char *lang, int64_t now_ms);
/* The Pelaksana pressed "Ubah masa berlaku" on the report card: the bot asks
 * for the date. */
int certificates_valid_ask(struct handler_ctx *ctx, const struct db_case *c);
/* case_prompt.c: the date typed in answer (`text` not NULL). A date that
 * is no date or out of range gets a polite answer and the question stays
 * open; a good one is kept in the step-7 draft and the card redrawn. */
int certificates_valid_answer(struct handler_ctx *ctx, const struct db_case *c, const char *text);

#endif
