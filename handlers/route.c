/* route: applies one update for the runtime (app_hooks.apply_update):
 * records the person, works out who they are to the SOP, and routes a
 * command or button press to its entry in the table (handlers.c). */
#include <errno.h>
#include <string.h>

#include "app.h"
#include "case_flow.h"
#include "db.h"
#include "handler.h"
#include "i18n.h"
#include "people.h"
#include "target.h"
#include "tg_update.h"

static bool is_private(const struct tg_update *u)
{
    return u->chat_type && strcmp(u->chat_type, "private") == 0;
}

static bool allowed(const struct handler_entry *entry, unsigned roles)
{
    return entry->roles == ROLE_ANYONE || (entry->roles & roles) != 0;
}

/* Resolves the entry's target (target.h), then runs it; a refused target
 * has been answered and the handler is not called. */
static int run_entry(struct handler_ctx *ctx, const struct handler_entry *entry)
{
    struct target target;
    bool go = false;
    int rc = target_resolve(ctx, entry, &target, &go);
    if (rc || !go)
        return rc;
    ctx->target = &target;
    rc = entry->run(ctx);
    ctx->target = NULL;
    return rc;
}

/* Routes a message or button press to its handler. */
static int route(struct handler_ctx *ctx)
{
    const struct tg_update *u = ctx->update;
    const struct handler_entry *entry = NULL;
    char command[33];
    if (u->kind == UPDATE_CALLBACK) {
        entry = handler_for_callback(u->callback_data, &ctx->callback_rest);
        if (!entry) {
            reply_answer(ctx, "error.stale_button", false);
            return 0;
        }
        if (!allowed(entry, ctx->roles)) {
            reply_answer(ctx, "error.not_allowed", true);
            return 0;
        }
        return run_entry(ctx, entry);
    }
    const char *args = "";
    if (tg_command_parse(u->text, ctx->app->bot_username, command, &args) == 0) {
        ctx->command = command;
        ctx->args = args;
        entry = handler_for_command(command);
        if (!entry)
            return reply_text(ctx, NULL, "error.unknown_command", "command", command, NULL);
        if (!allowed(entry, ctx->roles))
            return reply_text(ctx, NULL, "error.not_allowed", NULL);
        return run_entry(ctx, entry);
    }
    /* Plain text and attachments: in a group they are people talking to each
     * other; in a private chat they answer a question the bot asked, or
     * deserve an answer. */
    if (!is_private(u))
        return 0;
    int rc = card_reply_receive(ctx);
    if (rc == -ENOENT)
        rc = conversation_continue(ctx);
    if (rc == -ENOENT)
        rc = applicant_documents_receive(ctx);
    if (rc != -ENOENT)
        return rc;
    return reply_text(ctx, NULL, "error.unknown_text", NULL);
}

int route_update(struct handler_ctx *ctx)
{
    struct app *app = ctx->app;
    const struct tg_update *u = ctx->update;
    int64_t now = ctx->now_ms / 1000;
    switch (u->kind) {
    case UPDATE_MY_CHAT_MEMBER:
        if (!is_private(u) || !u->member_status)
            return 0;
        /* "kicked" in a private chat is how Telegram says the person blocked
         * the bot; anything else there means they can be reached again. */
    {
        bool reachable = strcmp(u->member_status, "kicked") != 0;
        int rc = db_user_set_reachable(app->db, u->user_id, reachable, now);
        if (!rc && !reachable)
            rc = case_flow_unreachable(app, u->user_id, ctx->now_ms);
        return rc;
    }
    case UPDATE_MESSAGE:
    case UPDATE_CALLBACK: {
        int rc = db_user_touch(app->db, u->user_id, u->first_name, u->username, u->language_code,
                               now);
        if (rc)
            return rc;
        struct db_user user;
        rc = db_user_get(app->db, u->user_id, &user);
        if (rc)
            return rc;
        ctx->lang = i18n_pick(app->i18n, user.language, u->language_code);
        rc = people_actor(app, u->user_id, ctx->now_ms, &ctx->actor);
        if (rc)
            return rc;
        ctx->roles = ctx->actor.roles | ctx->actor.plh_roles;
        return route(ctx);
    }
    case UPDATE_OTHER:
        return 0;
    }
    return 0;
}

