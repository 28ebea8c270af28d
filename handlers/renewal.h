/* renewal: certificates renewed before they end (issue 14).
 *
 * - renewal_remind.c: the 60- and 30-day reminders (certificates.remind_days)
 *   to the holder's agency operators, with a button "Ajukan perpanjangan",
 *   and to the Kasi, one message per agency per round.
 * - renewal_request.c: the button's short request (which holders, still in
 *   the same position?) that hands over to /ajukan's letter questions with
 *   the holders filled in, and the register rows' status while the renewal
 *   case runs and when it ends without a certificate.
 *
 * Everything runs in the caller's transaction (the scheduler's tick or the
 * update's): messages and register rows commit together. */
#ifndef SERTIBOT_RENEWAL_H
#define SERTIBOT_RENEWAL_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "db_cases.h"
#include "handler.h"

struct app;

/* The callback prefix of the renewal buttons ("renew:..."). */
#define RENEWAL_CALLBACK "renew"

/* jobs.c: the reminders due at `now_ms`, each agency's round a job of its
 * own under the quarantine ("renewal:<agency id>"). */
int renewal_remind_run(struct app *app, int64_t now_ms);

/* apply.c, when a renewal intake is submitted: the chosen register rows
 * (the draft's "renew_rows") become renewal requested by case `c`. */
int renewal_case_created(struct app *app, const struct db_case *c, const cJSON *draft,
                         int64_t now_ms);
/* apply_again.c: a returned renewal submitted again stays a renewal: the
 * draft gets the register rows of `c`'s holders that may be renewed
 * ("renew_rows"); nothing for a new request. */
int renewal_again_rows(struct app *app, const struct db_case *c, cJSON *draft);
/* case_flow.c, when a case closes: a renewal returned or rejected puts its
 * rows back to issued (or expired when past their end). A renewal done is
 * recorded by certificates_record_case; other cases are left alone. */
int renewal_case_closed(struct app *app, const struct db_case *c, int64_t now_ms);

/* conversation.c: the new jabatan typed in step 2. */
int renewal_continue(struct handler_ctx *ctx, const char *data);

extern const struct handler_entry handler_renewal;

#endif
