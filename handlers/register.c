/* Applicant operators register themselves: on /start they pick their agency
 * (OPD) with a button ("reg:<agency>"); the Kasi or an admin approves or
 * refuses ("rega:<user>:y|n"). Until approved they can do nothing else.
 * Officials are registered by an admin (/admin), not here. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "case_card.h"
#include "config.h"
#include "db_registry.h"
#include "handler.h"
#include "i18n.h"
#include "keyboard.h"
#include "outbox.h"
#include "people.h"
#include "register.h"
#include "texts.h"
#include "tg_update.h"

#define AGENCIES_MAX 64

cJSON *register_agency_keyboard(struct handler_ctx *ctx)
{
    struct db_agency agencies[AGENCIES_MAX];
    size_t count = 0;
    if (db_agencies_list(ctx->app->db, agencies, AGENCIES_MAX, &count) != 0)
        return NULL;
    cJSON *keyboard = keyboard_new();
    int rc = keyboard ? 0 : -ENOMEM;
    for (size_t i = 0; !rc && i < count; i++) {
        char data[KEYBOARD_DATA_MAX + 1];
        snprintf(data, sizeof data, "reg:%" PRId64, agencies[i].id);
        cJSON *row = keyboard_row(keyboard);
        rc = row ? keyboard_button(row, agencies[i].name, data) : -ENOMEM;
    }
    if (rc) {
        cJSON_Delete(keyboard);
        return NULL;
    }
    return keyboard;
}

/* The Kasi and the admins decide on registrations. */
static int deciders(struct app *app, int64_t now_ms, int64_t *to, size_t max, size_t *count)
{
    int rc = people_for_role(app, ROLE_KASI, 0, 0, now_ms, to, max, count);
    for (size_t i = 0; !rc && i < app->cfg->admins_count && *count < max; i++) {
        bool seen = false;
        for (size_t j = 0; j < *count; j++)
            seen |= to[j] == app->cfg->admins[i];
        if (!seen)
            to[(*count)++] = app->cfg->admins[i];
    }
    return rc;
}

static int request(struct handler_ctx *ctx, const char *rest)
{
    struct app *app = ctx->app;
    char *end;
    long long agency_id = strtoll(rest, &end, 10);
    struct db_agency agency;
    if (end == rest || *end || agency_id <= 0 || db_agency_get(app->db, agency_id, &agency) != 0) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    if (ctx->actor.roles & (ROLE_OFFICIAL | ROLE_APPLICANT)) {
        reply_answer(ctx, "register.already", true);
        return 0;
    }
    int rc = db_applicant_request(app->db, ctx->update->user_id, agency_id, ctx->now_ms);
    if (rc)
        return rc;
    char *html = i18n_format(app->i18n, ctx->lang, "register.sent", "agency", agency.name, NULL);
    rc = html ? reply_edit_html(ctx, html, NULL) : -ENOMEM;
    free(html);
    reply_answer(ctx, "answer.done", false);

    int64_t to[PEOPLE_MAX];
    size_t count = 0;
    if (!rc)
        rc = deciders(app, ctx->now_ms, to, PEOPLE_MAX, &count);
    char id[24], yes[KEYBOARD_DATA_MAX + 1], no[KEYBOARD_DATA_MAX + 1];
    snprintf(id, sizeof id, "%" PRId64, ctx->update->user_id);
    snprintf(yes, sizeof yes, "rega:%" PRId64 ":y", ctx->update->user_id);
    snprintf(no, sizeof no, "rega:%" PRId64 ":n", ctx->update->user_id);
    const char *name = ctx->update->first_name ? ctx->update->first_name : id;
    const char *username = ctx->update->username ? ctx->update->username : "-";
    for (size_t i = 0; !rc && i < count; i++) {
        const char *lang = card_lang_of(app, to[i]);
        cJSON *keyboard = keyboard_new();
        cJSON *row = keyboard ? keyboard_row(keyboard) : NULL;
        rc = row ? 0 : -ENOMEM;
        if (!rc)
            rc = keyboard_button(row, i18n_text(app->i18n, lang, "register.approve"), yes);
        if (!rc)
            rc = keyboard_button(row, i18n_text(app->i18n, lang, "register.refuse"), no);
        char *ask = rc ? NULL
                       : i18n_format(app->i18n, lang, "register.ask", "name", name, "username",
                                     username, "id", id, "agency", agency.name, NULL);
        if (!rc)
            rc = ask ? outbox_send_text(app->db, to[i], ask, keyboard, NULL, ctx->now_ms)
                     : -ENOMEM;
        free(ask);
        cJSON_Delete(keyboard);
    }
    return rc;
}

static int decide(struct handler_ctx *ctx, const char *rest)
{
    struct app *app = ctx->app;
    if (!(ctx->roles & (ROLE_KASI | ROLE_ADMIN))) {
        reply_answer(ctx, "answer.not_allowed", true);
        return 0;
    }
    char *end;
    long long user_id = strtoll(rest, &end, 10);
    if (end == rest || *end != ':' || user_id <= 0 || (end[1] != 'y' && end[1] != 'n') || end[2]) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    bool approve = end[1] == 'y';
    struct db_applicant applicant;
    int rc = db_applicant_get(app->db, user_id, &applicant);
    if (rc == -ENOENT) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    if (rc)
        return rc;
    struct db_agency agency = { 0 };
    db_agency_get(app->db, applicant.agency_id, &agency);
    char name[DB_NAME_MAX], when[48];
    db_person_name(app->db, user_id, name, sizeof name);
    rc = db_applicant_decide(app->db, user_id, approve, ctx->update->user_id, ctx->now_ms);
    if (rc == -ENOENT) {
        /* Someone else decided first: say so, and settle this card. */
        char *html = i18n_format(app->i18n, ctx->lang, "register.decided_before", "name", name,
                                 "agency", agency.name, NULL);
        rc = html ? reply_edit_html(ctx, html, NULL) : -ENOMEM;
        free(html);
        reply_answer(ctx, "register.decided_before_short", true);
        return rc;
    }
    if (rc)
        return rc;
    char decider[DB_NAME_MAX];
    db_person_name(app->db, ctx->update->user_id, decider, sizeof decider);
    text_when(app->i18n, ctx->lang, ctx->now_ms, when, sizeof when);
    char *html = i18n_format(app->i18n, ctx->lang,
                             approve ? "register.approved_card" : "register.refused_card", "name",
                             name, "agency", agency.name, "who", decider, "when", when, NULL);
    rc = html ? reply_edit_html(ctx, html, NULL) : -ENOMEM;
    free(html);
    reply_answer(ctx, "answer.done", false);
    if (rc)
        return rc;
    const char *lang = card_lang_of(app, user_id);
    char *news = i18n_format(app->i18n, lang, approve ? "register.welcome" : "register.refused",
                             "agency", agency.name, NULL);
    rc = news ? outbox_send_text(app->db, user_id, news, NULL, NULL, ctx->now_ms) : -ENOMEM;
    free(news);
    return rc;
}

static int run_register(struct handler_ctx *ctx)
{
    const char *data = ctx->update->callback_data;
    if (strncmp(data, "rega:", 5) == 0)
        return decide(ctx, ctx->callback_rest);
    return request(ctx, ctx->callback_rest);
}

const struct handler_entry handler_register = {
    .name = "register",
    .callback_prefix = "reg",
    .roles = ROLE_ANYONE,
    .run = run_register,
};

const struct handler_entry handler_register_decide = {
    .name = "register_decide",
    .callback_prefix = "rega",
    .roles = ROLE_KASI | ROLE_ADMIN,
    .run = run_register,
};
