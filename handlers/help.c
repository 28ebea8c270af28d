/* /help: the commands this person can use, from the routing table, in their
 * language (the English name of a command for English speakers). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "handler.h"
#include "i18n.h"
#include "texts.h"

static int run_help(struct handler_ctx *ctx)
{
    struct text t;
    text_init(&t, ctx->app->i18n, ctx->lang);
    text_add(&t, "help.title", NULL);
    bool english = strcmp(ctx->lang, "en") == 0;
    for (size_t i = 0; handler_table[i]; i++) {
        const struct handler_entry *e = handler_table[i];
        if (!e->in_menu || !(e->roles == ROLE_ANYONE || (e->roles & ctx->roles)))
            continue;
        char key[48];
        snprintf(key, sizeof key, "cmd.%s", e->command_id);
        const char *name = english && e->command_en ? e->command_en : e->command_id;
        text_add(&t, "help.line", "command", name, "what", i18n_text(ctx->app->i18n, ctx->lang, key),
                 NULL);
    }
    if (!(ctx->roles & (ROLE_OFFICIAL | ROLE_APPLICANT | ROLE_ADMIN)))
        text_add(&t, "help.unregistered", NULL);
    char *html = text_take(&t);
    int rc = html ? reply_html(ctx, html, NULL) : -ENOMEM;
    free(html);
    return rc;
}

const struct handler_entry handler_help = {
    .name = "help",
    .command_id = "help",
    .roles = ROLE_ANYONE,
    .in_menu = true,
    .run = run_help,
};
