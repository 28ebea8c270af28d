/* /start: greets the person in their language and says what they can do
 * here, by role. Someone with no role learns how to get registered and sees
 * nothing else. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "buf.h"
#include "handler.h"
#include "db_registry.h"
#include "i18n.h"
#include "people.h"
#include "register.h"
#include "texts.h"
#include "tg_update.h"

/* Appends a paragraph (from i18n_format, freed here; NULL: out of memory). */
static void append(struct buf *b, char *part)
{
    if (!part) {
        b->failed = true;
        return;
    }
    if (b->len)
        buf_put(b, "\n\n", 2);
    buf_puts(b, part);
    free(part);
}

/* "Selamat pagi, Bapak/Ibu <name>. Saya sertibot, ...": an official by the
 * name the agency registered, anyone else by their Telegram name. */
static char *hello(struct handler_ctx *ctx)
{
    const struct i18n *i18n = ctx->app->i18n;
    struct db_official official;
    const char *name = ctx->update->first_name ? ctx->update->first_name : "";
    if (db_official_get(ctx->app->db, ctx->update->user_id, &official) == 0)
        name = official.name;
    char *greeting = text_greeting(i18n, ctx->lang, ctx->now_ms, name);
    char *rest = i18n_format(i18n, ctx->lang, "start.hello", NULL);
    char *both = NULL;
    if (greeting && rest) {
        size_t size = strlen(greeting) + strlen(rest) + 2;
        both = malloc(size);
        if (both)
            snprintf(both, size, "%s %s", greeting, rest);
    }
    free(greeting);
    free(rest);
    return both;
}

static int run_start(struct handler_ctx *ctx)
{
    const struct i18n *i18n = ctx->app->i18n;
    struct buf b = { 0 };
    append(&b, hello(ctx));

    static const enum role official_roles[] = { ROLE_KADIS, ROLE_KABID, ROLE_KASI, ROLE_PELAKSANA,
                                                ROLE_ADMIN };
    int known = 0;
    for (size_t i = 0; i < sizeof official_roles / sizeof official_roles[0]; i++) {
        enum role role = official_roles[i];
        if (!(ctx->roles & role))
            continue;
        char key[32];
        snprintf(key, sizeof key, "role.%s", role_key(role));
        /* A role held as acting official is said so: Plh., or Plt. for a
         * vacant post. */
        bool plh = !(ctx->actor.roles & role);
        const char *as = plh ? "start.as_plh" : "start.as_role";
        char today[11];
        people_today(ctx->now_ms, today);
        struct db_plh acting;
        if (plh && db_plh_of_acting(ctx->app->db, role, ctx->update->user_id, today, &acting) == 0 &&
            acting.kind == DB_PLH_KIND_PLT)
            as = "start.as_plt";
        append(&b, i18n_format(i18n, ctx->lang, as, "role", i18n_text(i18n, ctx->lang, key), NULL));
        snprintf(key, sizeof key, "start.can.%s", role_key(role));
        append(&b, i18n_format(i18n, ctx->lang, key, NULL));
        known = 1;
    }
    cJSON *keyboard = NULL;
    if (ctx->roles & ROLE_APPLICANT) {
        struct db_agency agency = { 0 };
        db_agency_get(ctx->app->db, ctx->actor.agency_id, &agency);
        append(&b, i18n_format(i18n, ctx->lang, "start.as_applicant", "agency", agency.name,
                               NULL));
        append(&b, i18n_format(i18n, ctx->lang, "start.can.applicant", NULL));
        known = 1;
    }
    struct db_applicant applicant;
    if (known) {
        append(&b, i18n_format(i18n, ctx->lang, "start.more", NULL));
    } else if (db_applicant_get(ctx->app->db, ctx->update->user_id, &applicant) == 0 &&
               applicant.status == APPLICANT_PENDING) {
        struct db_agency agency = { 0 };
        db_agency_get(ctx->app->db, applicant.agency_id, &agency);
        append(&b, i18n_format(i18n, ctx->lang, "start.pending", "agency", agency.name, NULL));
    } else {
        char id[24];
        snprintf(id, sizeof id, "%" PRId64, ctx->update->user_id);
        append(&b, i18n_format(i18n, ctx->lang, "start.unregistered", "user_id", id, NULL));
        keyboard = register_agency_keyboard(ctx);
    }
    int rc = b.failed ? -ENOMEM : reply_html(ctx, b.data, keyboard);
    cJSON_Delete(keyboard);
    free(b.data);
    return rc;
}

const struct handler_entry handler_start = {
    .name = "start",
    .command_id = "start",
    .roles = ROLE_ANYONE,
    .in_menu = true,
    .run = run_start,
};
