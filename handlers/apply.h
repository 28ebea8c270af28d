/* apply: the intake of a request (/ajukan), and its precondition. */
#ifndef SERTIBOT_APPLY_H
#define SERTIBOT_APPLY_H

#include <stdint.h>

#include "handler.h"

/* conversation.c: the next answer of an intake in progress. */
int apply_continue(struct handler_ctx *ctx, const char *data);

/* A renewal's intake (renewal_request.c): `draft` has the holders and the
 * register rows ("renew_rows") filled in; the letter's questions follow and
 * the holders' question is skipped. The draft is borrowed. */
int apply_renewal_start(struct handler_ctx *ctx, const cJSON *draft);

/* The catalog key explaining why no request may be submitted now (no valid
 * cooperation agreement, PKS, with BSSN), or NULL when requests may be made. */
const char *apply_pks_problem(const struct app *app, int64_t now_ms);
/* Tells the admins of a missing or expired PKS, at most once a day. */
int apply_pks_warn_admins(struct app *app, int64_t now_ms);

/* The button under a returned request's news that opens a new intake filled
 * from it ("intake:again:<case id>"). Caller frees; NULL on ENOMEM. */
struct db_case;
cJSON *apply_again_keyboard(const struct app *app, const char *lang, const struct db_case *c);
/* apply_again.c for apply.c: the intake draft filled from returned case `c`
 * (at the summary, or at the letter when Telegram lost it), and the note of
 * the return that closed it ("" when none). */
int apply_again_draft(struct app *app, const struct db_case *c, cJSON **out);
int apply_again_return_note(struct app *app, int64_t case_id, char *out, size_t size);

#endif
