#include "dispatch.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "config.h"
#include "db.h"
#include "handler.h"
#include "i18n.h"
#include "log.h"
#include "outbox.h"
#include "case_flow.h"
#include "people.h"
#include "tg_update.h"

static bool is_private(const struct tg_update *u)
{
    return u->chat_type && strcmp(u->chat_type, "private") == 0;
}

static bool allowed(const struct handler_entry *entry, unsigned roles)
{
    return entry->roles == ROLE_ANYONE || (entry->roles & roles) != 0;
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
        return entry->run(ctx);
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
        return entry->run(ctx);
    }
    /* Plain text and attachments: in a group they are people talking to each
     * other; in a private chat they answer a question the bot asked, or
     * deserve an answer. */
    if (!is_private(u))
        return 0;
    int rc = conversation_continue(ctx);
    if (rc == -ENOENT)
        rc = applicant_documents_receive(ctx);
    if (rc != -ENOENT)
        return rc;
    return reply_text(ctx, NULL, "error.unknown_text", NULL);
}

static int apply(struct app *app, const struct tg_update *u, struct handler_ctx *ctx)
{
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

/* The handler failed: keep the update for the record and tell the person. */
static int record_failure(struct app *app, const struct tg_update *u, const cJSON *raw,
                          const char *lang, int error, int64_t now_ms)
{
    char *raw_text = cJSON_PrintUnformatted(raw);
    char reason[64];
    snprintf(reason, sizeof reason, "handler error %d (%s)", error, strerror(-error));
    int rc = db_begin(app->db);
    if (!rc)
        rc = db_update_failed(app->db, u->update_id, raw_text ? raw_text : "{}", reason,
                              now_ms / 1000);
    if (!rc && u->chat_id != 0 && (u->kind == UPDATE_MESSAGE || u->kind == UPDATE_CALLBACK)) {
        char *html = i18n_format(app->i18n, lang, "error.internal", NULL);
        rc = html ? outbox_send_text(app->db, u->chat_id, html, NULL, NULL, now_ms) : -ENOMEM;
        free(html);
    }
    if (!rc)
        rc = db_offset_set(app->db, u->update_id + 1);
    if (!rc)
        rc = db_commit(app->db);
    if (rc)
        db_rollback(app->db);
    free(raw_text);
    return rc;
}

int dispatch_update(struct app *app, const cJSON *raw_update, struct dispatch_outcome *out)
{
    memset(out, 0, sizeof *out);
    struct tg_update u;
    if (tg_update_parse(raw_update, &u) != 0)
        return -EINVAL;
    if (u.kind == UPDATE_CALLBACK)
        snprintf(out->callback_id, sizeof out->callback_id, "%s", u.callback_id);

    struct handler_ctx ctx = {
        .app = app,
        .update = &u,
        .now_ms = clock_now_ms(&app->clock),
        .lang = i18n_pick(app->i18n, NULL, u.language_code),
        .args = "",
    };
    int rc = db_begin(app->db);
    if (rc)
        return db_storage_error(app->db) ? db_storage_error(app->db) : -EIO;
    rc = apply(app, &u, &ctx);
    if (!rc)
        rc = db_offset_set(app->db, u.update_id + 1);
    if (!rc)
        rc = db_commit(app->db);
    if (!rc) {
        snprintf(out->answer, sizeof out->answer, "%s", ctx.answer);
        out->alert = ctx.answer_alert;
        return 0;
    }
    db_rollback(app->db);
    if (db_storage_error(app->db)) {
        /* Not the update's fault: it is not recorded as failed (that write
         * would fail too) but left unacknowledged, to be fetched again. */
        log_error("dispatch", "update %" PRId64 " not applied: the database cannot be written",
                  u.update_id);
        return db_storage_error(app->db);
    }
    log_error("dispatch", "update %" PRId64 " failed (%d); recording it", u.update_id, rc);
    rc = record_failure(app, &u, raw_update, ctx.lang, rc, ctx.now_ms);
    if (rc)
        return -EIO;
    snprintf(out->answer, sizeof out->answer, "%s",
             i18n_text(app->i18n, ctx.lang, "error.internal"));
    return 0;
}
