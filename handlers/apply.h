/* apply: the intake of a request (/ajukan), and its precondition. */
#ifndef SERTIBOT_APPLY_H
#define SERTIBOT_APPLY_H

#include <stdint.h>

#include "handler.h"

/* conversation.c: the next answer of an intake in progress. */
int apply_continue(struct handler_ctx *ctx, const char *data);

/* The catalog key explaining why no request may be submitted now (no valid
 * cooperation agreement, PKS, with BSSN), or NULL when requests may be made. */
const char *apply_pks_problem(const struct app *app, int64_t now_ms);
/* Tells the admins of a missing or expired PKS, at most once a day. */
int apply_pks_warn_admins(struct app *app, int64_t now_ms);

#endif
