/* Messages that answer a question the bot asked. A person has at most one
 * open conversation (the intake, or a prompt for a note or a file); its kind
 * says which module continues it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "db_cases.h"
#include "apply.h"
#include "case_action.h"
#include "case_confirm.h"
#include "handler.h"
#include "log.h"
#include "renewal.h"
#include "help_session.h"
#include "revoke.h"
#include "tg_update.h"

struct conversation_kind {
    const char *kind;
    int (*next)(struct handler_ctx *ctx, const char *data);
};

static const struct conversation_kind kinds[] = {
    { "intake", apply_continue },
    { "prompt", case_prompt_finish },
    { "confirm", case_confirm_typed }, /* case_confirm.h */
    { "renewal", renewal_continue },
    { "revoke", revoke_continue },
    { "help_req", help_request_continue },
    { "help_slot", help_session_continue },
    { NULL, NULL },
};

int conversation_continue(struct handler_ctx *ctx)
{
    char kind[32];
    char *data = NULL;
    int rc = db_conversation_get(ctx->app->db, ctx->update->user_id, kind, sizeof kind, &data);
    if (rc)
        return rc;
    rc = -ENOENT;
    for (size_t i = 0; kinds[i].kind; i++) {
        if (strcmp(kinds[i].kind, kind) == 0) {
            rc = kinds[i].next(ctx, data);
            break;
        }
    }
    if (rc == -ENOENT) {
        /* A conversation of a kind this build no longer knows: drop it. */
        log_warn("conversation", "dropping an unknown conversation '%s'", kind);
        rc = db_conversation_clear(ctx->app->db, ctx->update->user_id);
        if (!rc)
            rc = -ENOENT;
    }
    free(data);
    return rc;
}
