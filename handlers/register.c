/* Applicant operators register themselves: on /start they pick their agency
 * (OPD) with a button ("reg:<agency>"); the Kasi or an admin approves or
 * refuses ("rega:<user>:<version>:y|n"). Until approved they can do nothing
 * else. Officials are registered by an admin (/admin), not here, and are
 * never made operators.
 *
 * A pending request does not change under a card (issue 13): the version
 * (requested_at, only growing) is in the deciders' buttons, a decision
 * applies only to that version, a request for another agency is a new
 * request with new cards that say what it replaces, and a press on an older
 * card answers that it was superseded. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "args.h"
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

/* The deciders' cards for the request of version `version`; `previous` names
 * the agency of the pending request it replaces (NULL: a first request), so
 * the deciders see a change as a new request, not the old card changed. */
static int ask_deciders(struct handler_ctx *ctx, const struct db_agency *agency,
                        const char *previous, int64_t version)
{
    struct app *app = ctx->app;
    int64_t to[PEOPLE_MAX];
    size_t count = 0;
    int rc = deciders(app, ctx->now_ms, to, PEOPLE_MAX, &count);
    char id[24], yes[KEYBOARD_DATA_MAX + 1], no[KEYBOARD_DATA_MAX + 1];
    snprintf(id, sizeof id, "%" PRId64, ctx->update->user_id);
    snprintf(yes, sizeof yes, "rega:%" PRId64 ":%" PRId64 ":y", ctx->update->user_id, version);
    snprintf(no, sizeof no, "rega:%" PRId64 ":%" PRId64 ":n", ctx->update->user_id, version);
    const char *name = ctx->update->first_name ? ctx->update->first_name : id;
    for (size_t i = 0; !rc && i < count; i++) {
        const char *lang = card_lang_of(app, to[i]);
        /* "@rina", or said in words: never "@-" for a person without one. */
        char username[72];
        if (ctx->update->username && ctx->update->username[0])
            snprintf(username, sizeof username, "@%s", ctx->update->username);
        else
            snprintf(username, sizeof username, "%s",
                     i18n_text(app->i18n, lang, "register.no_username"));
        cJSON *keyboard = keyboard_new();
        cJSON *row = keyboard ? keyboard_row(keyboard) : NULL;
        rc = row ? 0 : -ENOMEM;
        if (!rc)
            rc = keyboard_button(row, i18n_text(app->i18n, lang, "register.approve"), yes);
        if (!rc)
            rc = keyboard_button(row, i18n_text(app->i18n, lang, "register.refuse"), no);
        char *ask = rc ? NULL
                       : i18n_format(app->i18n, lang,
                                     previous ? "hardening.register.changed_ask" : "register.ask",
                                     "name", name, "username", username, "id", id, "agency",
                                     agency->name, "previous", previous ? previous : "", NULL);
        if (!rc)
            rc = ask ? outbox_send_text(app->db, to[i], ask, keyboard, NULL, ctx->now_ms)
                     : -ENOMEM;
        free(ask);
        cJSON_Delete(keyboard);
    }
    return rc;
}

/* Officials, admins and operators already are someone here: they are told,
 * and nothing is recorded. True when the press was answered so. */
static bool already_someone(struct handler_ctx *ctx)
{
    const char *key = ctx->roles & ROLE_ADMIN      ? "hardening.register.admin"
                      : ctx->roles & ROLE_OFFICIAL ? "hardening.register.official"
                      : ctx->roles & ROLE_APPLICANT ? "register.already"
                                                    : NULL;
    if (key)
        reply_answer(ctx, key, true);
    return key != NULL;
}

static int request(struct handler_ctx *ctx, const char *rest)
{
    struct app *app = ctx->app;
    uint64_t agency_id = 0;
    struct db_agency agency;
    if (args_decimal(rest, INT64_MAX, &agency_id) != 0 || agency_id == 0 ||
        db_agency_get(app->db, (int64_t)agency_id, &agency) != 0) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    if (already_someone(ctx))
        return 0;
    struct db_applicant before;
    int had = db_applicant_get(app->db, ctx->update->user_id, &before);
    if (had != 0 && had != -ENOENT)
        return had;
    bool pending = had == 0 && before.status == APPLICANT_PENDING;
    if (pending && before.agency_id == agency.id) {
        reply_answer(ctx, "hardening.register.pending_same", false);
        return 0;
    }
    struct db_agency previous = { 0 };
    if (pending && db_agency_get(app->db, before.agency_id, &previous) != 0)
        snprintf(previous.name, sizeof previous.name, "-");
    /* The version only grows, even when the business clock stands still. */
    int64_t version = had == 0 && before.requested_at >= ctx->now_ms ? before.requested_at + 1
                                                                     : ctx->now_ms;
    int rc = db_applicant_request(app->db, ctx->update->user_id, agency.id, version);
    if (rc)
        return rc;
    char *html = i18n_format(app->i18n, ctx->lang, "register.sent", "agency", agency.name, NULL);
    rc = html ? reply_edit_html(ctx, html, NULL) : -ENOMEM;
    free(html);
    reply_answer(ctx, "answer.done", false);
    return rc ? rc : ask_deciders(ctx, &agency, pending ? previous.name : NULL, version);
}

/* "<user>:<version>:y|n", strictly. */
/* "<version>:y|n" after the person's id (the framework read that). */
static int parse_decision(const char *rest, int64_t *version, bool *approve)
{
    uint64_t at = 0;
    size_t n = strcspn(rest, ":");
    if (rest[n] != ':' || args_decimal_n(rest, n, INT64_MAX, &at) != 0)
        return -EINVAL;
    rest += n + 1;
    if ((rest[0] != 'y' && rest[0] != 'n') || rest[1])
        return -EINVAL;
    *version = (int64_t)at;
    *approve = rest[0] == 'y';
    return 0;
}

/* The card was for an earlier request of this person: it is settled as
 * replaced, and the decider is pointed to the newest card. */
static int superseded(struct handler_ctx *ctx, const char *name, const char *agency)
{
    char *html = i18n_format(ctx->app->i18n, ctx->lang, "hardening.register.superseded_card",
                             "name", name, "agency", agency, NULL);
    int rc = html ? reply_edit_html(ctx, html, NULL) : -ENOMEM;
    free(html);
    reply_answer(ctx, "hardening.register.superseded_short", true);
    return rc;
}

/* "rega:<user>:<version>:y|n": the person and their request loaded by the
 * framework (the entry's target), the Kasi's or an admin's decision. */
static int run_decide(struct handler_ctx *ctx)
{
    struct app *app = ctx->app;
    int64_t user_id = ctx->target->person_id, version = 0;
    const struct db_applicant applicant = ctx->target->applicant;
    bool approve = false;
    if (parse_decision(ctx->target->rest, &version, &approve) != 0) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    int rc = 0;
    struct db_agency agency = { 0 };
    db_agency_get(app->db, applicant.agency_id, &agency);
    char name[DB_NAME_MAX], when[48];
    db_telegram_name(app->db, user_id, name, sizeof name);
    if (applicant.status == APPLICANT_PENDING && applicant.requested_at != version)
        return superseded(ctx, name, agency.name);
    rc = db_applicant_decide(app->db, user_id, version, approve, ctx->update->user_id,
                             ctx->now_ms);
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

static int run_register(struct handler_ctx *ctx) { return request(ctx, ctx->callback_rest); }

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
    .target = TARGET_PERSON,
    .run = run_decide,
};
