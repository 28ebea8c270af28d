/* "Ajukan perpanjangan" (renewal.h): the operator's tap under a renewal
 * reminder opens a short request in chat, kept as the conversation
 * "renewal" (so it survives a restart):
 *   1. which holders: a toggle per holder of the agency whose certificate
 *      ends within the largest reminder window (the reminded ones chosen);
 *   2. per holder, "still in the same position?": Ya keeps the jabatan,
 *      Tidak asks the new one as text, or removes the holder (one who moved
 *      to another agency needs a new request there, or a revocation);
 *   3. the applicant's letter: /ajukan's own questions (apply.c) take over
 *      with the holders filled in and the draft marked "perpanjangan".
 * The case it makes runs the same SOP with the same clocks; its register
 * rows become renewal requested (renewal_case_created) and go back when it
 * is returned or rejected (renewal_case_closed).
 *
 * Callback data ("renew:start:<agency>", "renew:t:<row>", "renew:y:<row>",
 * ...) is untrusted: every press is checked against the person's own
 * agency and the conversation the server keeps. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "apply.h"
#include "args.h"
#include "cert_schedule.h"
#include "config.h"
#include "config_letter.h"
#include "db.h"
#include "db_certificates.h"
#include "i18n.h"
#include "keyboard.h"
#include "renewal.h"
#include "texts.h"
#include "tg_update.h"
#include "utf8.h"

#define RENEWAL_KIND "renewal"
#define AGENCY_ROWS_MAX 256

/* --- the conversation ------------------------------------------------------ */

static int save(struct handler_ctx *ctx, const cJSON *conv)
{
    char *json = cJSON_PrintUnformatted(conv);
    if (!json)
        return -ENOMEM;
    int rc = db_conversation_set(ctx->app->db, ctx->update->user_id, RENEWAL_KIND, json,
                                 ctx->now_ms);
    free(json);
    return rc;
}

/* The person's renewal conversation, or NULL (stale button). */
static cJSON *load(struct handler_ctx *ctx)
{
    char kind[32];
    char *data = NULL;
    if (db_conversation_get(ctx->app->db, ctx->update->user_id, kind, sizeof kind, &data) != 0)
        return NULL;
    cJSON *conv = strcmp(kind, RENEWAL_KIND) == 0 ? cJSON_Parse(data) : NULL;
    free(data);
    const cJSON *agency = cJSON_GetObjectItemCaseSensitive(conv, "agency");
    if (conv && (!cJSON_IsNumber(agency) || (int64_t)agency->valuedouble != ctx->actor.agency_id)) {
        cJSON_Delete(conv); /* the operator moved to another agency meanwhile */
        conv = NULL;
    }
    return conv;
}

static int64_t number_of(const cJSON *obj, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsNumber(item) ? (int64_t)item->valuedouble : 0;
}

/* A register row that may still be renewed by the person's agency. */
static bool renewable(struct handler_ctx *ctx, int64_t id, struct db_certificate *row)
{
    return db_certificate_get(ctx->app->db, id, row) == 0 &&
           row->agency_id == ctx->actor.agency_id &&
           (row->status == DB_CERT_ISSUED || row->status == DB_CERT_EXPIRED);
}

/* --- step 1: which holders ------------------------------------------------- */

static int show_pick(struct handler_ctx *ctx, const cJSON *conv, bool edit)
{
    cJSON *keyboard = keyboard_new();
    int rc = keyboard ? 0 : -ENOMEM;
    const cJSON *h;
    cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(conv, "rows")) {
        char data[KEYBOARD_DATA_MAX + 1], label[200];
        snprintf(data, sizeof data, RENEWAL_CALLBACK ":t:%" PRId64, number_of(h, "id"));
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(h, "name");
        snprintf(label, sizeof label, "%s %s",
                 cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(h, "on")) ? "\xe2\x9c\x85"
                                                                          : "\xe2\xac\x9c",
                 cJSON_GetStringValue(name) ? name->valuestring : "");
        cJSON *row = rc ? NULL : keyboard_row(keyboard);
        rc = row ? keyboard_button(row, label, data) : -ENOMEM;
    }
    cJSON *row = rc ? NULL : keyboard_row(keyboard);
    if (!row ||
        keyboard_button(row, i18n_text(ctx->app->i18n, ctx->lang, "renewal.button.next"),
                        RENEWAL_CALLBACK ":next") != 0 ||
        keyboard_button(row, i18n_text(ctx->app->i18n, ctx->lang, "renewal.button.cancel"),
                        RENEWAL_CALLBACK ":cancel") != 0)
        rc = rc ? rc : -ENOMEM;
    const char *html = i18n_text(ctx->app->i18n, ctx->lang, "renewal.ask.holders");
    if (!rc)
        rc = edit ? reply_edit_html(ctx, html, keyboard) : reply_html(ctx, html, keyboard);
    cJSON_Delete(keyboard);
    return rc;
}

/* The agency's holders ending within the largest reminder window, soonest
 * first, at most as many as one request names. */
static int add_candidates(struct handler_ctx *ctx, cJSON *list, size_t *count)
{
    struct app *app = ctx->app;
    struct db_certificate *rows = calloc(AGENCY_ROWS_MAX, sizeof *rows);
    if (!rows)
        return -ENOMEM;
    size_t n = 0;
    int rc = db_certificates_of_agency(app->db, ctx->actor.agency_id, rows, AGENCY_ROWS_MAX, &n);
    int window = app->cfg->certificates.remind_count ? app->cfg->certificates.remind_days[0] : 60;
    char today[CAL_DATE_SIZE];
    cal_date_format(cal_day_of(ctx->now_ms), today);
    *count = 0;
    for (size_t i = 0; !rc && i < n && *count < DB_HOLDERS_MAX; i++) {
        int left;
        if ((rows[i].status != DB_CERT_ISSUED && rows[i].status != DB_CERT_EXPIRED) ||
            cert_days_between(today, rows[i].valid_until, &left) != 0 || left > window)
            continue;
        cJSON *h = cJSON_CreateObject();
        if (!h || !cJSON_AddNumberToObject(h, "id", (double)rows[i].id) ||
            !cJSON_AddStringToObject(h, "name", rows[i].name) ||
            !cJSON_AddBoolToObject(h, "on", rows[i].reminded_days > 0)) {
            cJSON_Delete(h);
            rc = -ENOMEM;
            break;
        }
        cJSON_AddItemToArray(list, h);
        (*count)++;
    }
    free(rows);
    return rc;
}

/* "renew:start:<agency>": the button under the operator's reminder. */
static int start(struct handler_ctx *ctx, const char *arg)
{
    uint64_t agency = 0;
    if (args_decimal(arg, INT64_MAX, &agency) != 0 || (int64_t)agency != ctx->actor.agency_id) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    reply_answer(ctx, "answer.noted", false);
    const char *problem = apply_pks_problem(ctx->app, ctx->now_ms);
    if (problem)
        return reply_text(ctx, NULL, problem, "until", ctx->app->cfg->pks_valid_until, NULL);
    cJSON *conv = cJSON_CreateObject();
    cJSON *list = conv ? cJSON_AddArrayToObject(conv, "rows") : NULL;
    size_t count = 0;
    int rc = list && cJSON_AddNumberToObject(conv, "agency", (double)agency) &&
                     cJSON_AddStringToObject(conv, "stage", "pick")
                 ? add_candidates(ctx, list, &count)
                 : -ENOMEM;
    if (!rc && count == 0)
        rc = reply_text(ctx, NULL, "renewal.none", NULL);
    else if (!rc)
        rc = save(ctx, conv);
    if (!rc && count)
        rc = show_pick(ctx, conv, false);
    cJSON_Delete(conv);
    return rc;
}

static int toggle(struct handler_ctx *ctx, cJSON *conv, const char *arg)
{
    uint64_t id = 0;
    cJSON *h, *hit = NULL;
    if (args_decimal(arg, INT64_MAX, &id) == 0)
        cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(conv, "rows"))
            if (number_of(h, "id") == (int64_t)id)
                hit = h;
    if (!hit || strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(conv, "stage")),
                       "pick") != 0) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    bool on = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(hit, "on"));
    cJSON_ReplaceItemInObjectCaseSensitive(hit, "on", cJSON_CreateBool(!on));
    reply_answer(ctx, "answer.noted", false);
    int rc = save(ctx, conv);
    return rc ? rc : show_pick(ctx, conv, true);
}

/* --- step 2: still in the same position? ----------------------------------- */

static const char *stage_of(const cJSON *conv)
{
    const char *stage = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(conv, "stage"));
    return stage ? stage : "";
}

static void set_value(cJSON *obj, const char *key, cJSON *value)
{
    cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
    cJSON_AddItemToObject(obj, key, value);
}

/* The holder asked about now, or NULL when all are answered. */
static cJSON *current(cJSON *conv, int *at)
{
    *at = (int)number_of(conv, "at");
    return cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(conv, "holders"), *at);
}

/* Step 3: the letter, by /ajukan's questions, the holders filled in. */
static int hand_over(struct handler_ctx *ctx, cJSON *conv)
{
    cJSON *draft = cJSON_CreateObject();
    cJSON *ids = draft ? cJSON_AddArrayToObject(draft, "renew_rows") : NULL;
    cJSON *holders = draft ? cJSON_AddArrayToObject(draft, "holders") : NULL;
    int rc = ids && holders && cJSON_AddStringToObject(draft, "stage", "letter") ? 0 : -ENOMEM;
    const cJSON *h;
    cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(conv, "holders")) {
        struct db_certificate row;
        if (rc || !renewable(ctx, number_of(h, "id"), &row))
            continue;
        const char *jabatan = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(h, "jabatan"));
        cJSON *item = cJSON_CreateObject();
        if (!item || !cJSON_AddStringToObject(item, "name", row.name) ||
            !cJSON_AddStringToObject(item, "nip", row.nip) ||
            !cJSON_AddStringToObject(item, "jabatan", jabatan && jabatan[0] ? jabatan : row.jabatan) ||
            !cJSON_AddStringToObject(item, "email", row.email)) {
            cJSON_Delete(item);
            rc = -ENOMEM;
            break;
        }
        cJSON_AddItemToArray(holders, item);
        cJSON_AddItemToArray(ids, cJSON_CreateNumber((double)row.id));
    }
    if (!rc && cJSON_GetArraySize(holders) == 0) {
        rc = db_conversation_clear(ctx->app->db, ctx->update->user_id);
        if (!rc)
            rc = reply_text(ctx, NULL, "renewal.none_left", NULL);
    } else if (!rc) {
        rc = reply_text(ctx, NULL, "renewal.letter_intro", NULL);
        if (!rc)
            rc = apply_renewal_start(ctx, draft);
    }
    cJSON_Delete(draft);
    return rc;
}

static int ask_same(struct handler_ctx *ctx, cJSON *conv, bool edit)
{
    int at;
    cJSON *h = current(conv, &at);
    if (!h)
        return hand_over(ctx, conv);
    struct db_certificate row;
    if (!renewable(ctx, number_of(h, "id"), &row)) { /* renewed or revoked meanwhile */
        cJSON_DeleteItemFromArray(cJSON_GetObjectItemCaseSensitive(conv, "holders"), at);
        int rc = save(ctx, conv);
        return rc ? rc : ask_same(ctx, conv, edit);
    }
    char nip[40], yes[48], no[48];
    config_nip_format(row.nip, nip, sizeof nip);
    snprintf(yes, sizeof yes, RENEWAL_CALLBACK ":y:%" PRId64, row.id);
    snprintf(no, sizeof no, RENEWAL_CALLBACK ":n:%" PRId64, row.id);
    cJSON *keyboard = keyboard_new();
    cJSON *line = keyboard ? keyboard_row(keyboard) : NULL;
    int rc = line && keyboard_button(line, i18n_text(ctx->app->i18n, ctx->lang,
                                                      "renewal.button.yes"), yes) == 0 &&
                     keyboard_button(line, i18n_text(ctx->app->i18n, ctx->lang,
                                                      "renewal.button.no"), no) == 0
                 ? 0
                 : -ENOMEM;
    char *html = rc ? NULL
                    : i18n_format(ctx->app->i18n, ctx->lang, "renewal.ask.same", "name", row.name,
                                  "nip", nip, "jabatan", row.jabatan, NULL);
    if (!rc)
        rc = !html ? -ENOMEM : edit ? reply_edit_html(ctx, html, keyboard)
                                    : reply_html(ctx, html, keyboard);
    free(html);
    cJSON_Delete(keyboard);
    return rc;
}

/* "next": the chosen holders go to step 2. */
static int next(struct handler_ctx *ctx, cJSON *conv)
{
    if (strcmp(stage_of(conv), "pick") != 0) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    cJSON *holders = cJSON_CreateArray();
    if (!holders)
        return -ENOMEM;
    const cJSON *h;
    cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(conv, "rows")) {
        if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(h, "on")))
            continue;
        cJSON *item = cJSON_CreateObject();
        if (item)
            cJSON_AddNumberToObject(item, "id", (double)number_of(h, "id"));
        cJSON_AddItemToArray(holders, item);
    }
    if (cJSON_GetArraySize(holders) == 0) {
        cJSON_Delete(holders);
        reply_answer(ctx, "renewal.pick_one", true);
        return 0;
    }
    reply_answer(ctx, "answer.noted", false);
    set_value(conv, "holders", holders);
    set_value(conv, "at", cJSON_CreateNumber(0));
    set_value(conv, "stage", cJSON_CreateString("same"));
    int rc = save(ctx, conv);
    return rc ? rc : ask_same(ctx, conv, true);
}

/* "y:<row>", "n:<row>", "x:<row>": about the holder asked now. */
static int answer_same(struct handler_ctx *ctx, cJSON *conv, char what, const char *arg)
{
    int at;
    cJSON *h = current(conv, &at);
    uint64_t id = 0;
    bool asking = strcmp(stage_of(conv), what == 'x' ? "jabatan" : "same") == 0;
    if (!h || !asking || args_decimal(arg, INT64_MAX, &id) != 0 ||
        number_of(h, "id") != (int64_t)id) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    reply_answer(ctx, "answer.noted", false);
    struct db_certificate row;
    bool known = renewable(ctx, (int64_t)id, &row);
    int rc = 0;
    if (what == 'y') {
        set_value(conv, "at", cJSON_CreateNumber(at + 1));
    } else if (what == 'n' && known) {
        set_value(conv, "stage", cJSON_CreateString("jabatan"));
        char data[KEYBOARD_DATA_MAX + 1];
        snprintf(data, sizeof data, RENEWAL_CALLBACK ":x:%" PRId64, row.id);
        cJSON *keyboard = keyboard_new();
        cJSON *line = keyboard ? keyboard_row(keyboard) : NULL;
        rc = line ? keyboard_button(line, i18n_text(ctx->app->i18n, ctx->lang,
                                                    "renewal.button.remove"), data)
                  : -ENOMEM;
        char *html = rc ? NULL : i18n_format(ctx->app->i18n, ctx->lang, "renewal.ask.jabatan",
                                             "name", row.name, NULL);
        rc = rc ? rc : html ? reply_edit_html(ctx, html, keyboard) : -ENOMEM;
        free(html);
        cJSON_Delete(keyboard);
        return rc ? rc : save(ctx, conv);
    } else {
        cJSON_DeleteItemFromArray(cJSON_GetObjectItemCaseSensitive(conv, "holders"), at);
        rc = reply_text(ctx, NULL, "renewal.removed", "name", known ? row.name : "", NULL);
    }
    set_value(conv, "stage", cJSON_CreateString("same"));
    if (!rc)
        rc = save(ctx, conv);
    return rc ? rc : ask_same(ctx, conv, what == 'y');
}

/* The new jabatan, typed. */
int renewal_continue(struct handler_ctx *ctx, const char *data)
{
    cJSON *conv = cJSON_Parse(data);
    int at;
    cJSON *h = conv ? current(conv, &at) : NULL;
    const char *text = ctx->update->text;
    int rc = 0;
    if (!h || strcmp(stage_of(conv), "jabatan") != 0) {
        rc = reply_text(ctx, NULL, "renewal.use_buttons", NULL);
    } else if (!text || !text[0] || strlen(text) > 200 || !args_one_line(text)) {
        rc = reply_text(ctx, NULL, "intake.holder.jabatan", NULL);
    } else {
        char jabatan[DB_TEXT_MAX];
        utf8_copy(jabatan, sizeof jabatan, text);
        set_value(h, "jabatan", cJSON_CreateString(jabatan));
        set_value(conv, "at", cJSON_CreateNumber(at + 1));
        set_value(conv, "stage", cJSON_CreateString("same"));
        rc = save(ctx, conv);
        if (!rc)
            rc = ask_same(ctx, conv, false);
    }
    cJSON_Delete(conv);
    return rc;
}

static int run_renewal(struct handler_ctx *ctx)
{
    const char *rest = ctx->callback_rest;
    if (strncmp(rest, "start:", 6) == 0)
        return start(ctx, rest + 6);
    cJSON *conv = load(ctx);
    if (!conv) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    int rc = 0;
    if (strncmp(rest, "t:", 2) == 0) {
        rc = toggle(ctx, conv, rest + 2);
    } else if (strcmp(rest, "next") == 0) {
        rc = next(ctx, conv);
    } else if ((rest[0] == 'y' || rest[0] == 'n' || rest[0] == 'x') && rest[1] == ':') {
        rc = answer_same(ctx, conv, rest[0], rest + 2);
    } else if (strcmp(rest, "cancel") == 0) {
        rc = db_conversation_clear(ctx->app->db, ctx->update->user_id);
        if (!rc)
            rc = reply_edit_html(ctx, i18n_text(ctx->app->i18n, ctx->lang, "renewal.cancelled"),
                                 NULL);
        reply_answer(ctx, "answer.done", false);
    } else {
        reply_answer(ctx, "error.stale_button", false);
    }
    cJSON_Delete(conv);
    return rc;
}

const struct handler_entry handler_renewal = {
    .name = "renewal",
    .callback_prefix = RENEWAL_CALLBACK,
    .roles = ROLE_APPLICANT,
    .run = run_renewal,
};
