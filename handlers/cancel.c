/* /batal (alias /cancel): drops whatever the bot was asking the person (the
 * intake draft, a note, a file), and says so. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "db_cases.h"
#include "handler.h"
#include "tg_update.h"

static int run_cancel(struct handler_ctx *ctx)
{
    char kind[32];
    char *data = NULL;
    int rc = db_conversation_get(ctx->app->db, ctx->update->user_id, kind, sizeof kind, &data);
    free(data);
    if (rc == -ENOENT)
        return reply_text(ctx, NULL, "cancel.nothing", NULL);
    if (rc)
        return rc;
    rc = db_conversation_clear(ctx->app->db, ctx->update->user_id);
    return rc ? rc : reply_text(ctx, NULL, strcmp(kind, "intake") == 0 ? "intake.cancelled"
                                                                       : "cancel.done", NULL);
}

const struct handler_entry handler_cancel = {
    .name = "cancel",
    .command_id = "batal",
    .command_en = "cancel",
    .roles = ROLE_ANYONE,
    .in_menu = true,
    .run = run_cancel,
};
