/* /bahasa (alias /language): the person picks Indonesian or English with a
 * button; the choice wins over Telegram's language_code from then on. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "db.h"
#include "handler.h"
#include "i18n.h"
#include "keyboard.h"
#include "menus.h"
#include "tg_update.h"

#define LANGUAGE_PREFIX "lang"

static int run_language(struct handler_ctx *ctx)
{
    const struct i18n *i18n = ctx->app->i18n;
    if (ctx->callback_rest) {
        const char *choice = ctx->callback_rest;
        if (!i18n_supports(i18n, choice)) {
            reply_answer(ctx, "error.stale_button", false);
            return 0;
        }
        int rc = db_user_set_language(ctx->app->db, ctx->update->user_id, choice);
        if (!rc) /* an official's menu follows the language */
            rc = menus_refresh(ctx->app, ctx->update->user_id, ctx->now_ms);
        if (rc)
            return rc;
        ctx->lang = i18n_pick(i18n, choice, NULL);
        reply_answer(ctx, "language.changed_short", false);
        char *html = i18n_format(i18n, ctx->lang, "language.changed", NULL);
        if (!html)
            return -ENOMEM;
        /* The picker turns into the confirmation, so its buttons cannot be
         * pressed again by mistake. */
        rc = reply_edit_html(ctx, html, NULL);
        free(html);
        return rc;
    }
    cJSON *keyboard = keyboard_new();
    cJSON *row = keyboard ? keyboard_row(keyboard) : NULL;
    int rc = row ? 0 : -ENOMEM;
    if (!rc)
        rc = keyboard_button(row, i18n_text(i18n, ctx->lang, "language.button.id"),
                             LANGUAGE_PREFIX ":id");
    if (!rc)
        rc = keyboard_button(row, i18n_text(i18n, ctx->lang, "language.button.en"),
                             LANGUAGE_PREFIX ":en");
    if (!rc)
        rc = reply_text(ctx, keyboard, "language.choose", NULL);
    cJSON_Delete(keyboard);
    return rc;
}

const struct handler_entry handler_language = {
    .name = "language",
    .command_id = "bahasa",
    .command_en = "language",
    .callback_prefix = LANGUAGE_PREFIX,
    .roles = ROLE_ANYONE,
    .in_menu = true,
    .run = run_language,
};
