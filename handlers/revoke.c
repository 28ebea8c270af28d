/* The reporter's side of a revocation (revoke.h): find the holder in the
 * register, pick the reason, type the date, send the supporting letter. */
#include "revoke.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aftercare.h"
#include "app.h"
#include "args.h"
#include "case_action.h"
#include "db_aftercare.h"
#include "db_cases.h"
#include "db_certificates.h"
#include "db_registry.h"
#include "file_limit.h"
#include "i18n.h"
#include "keyboard.h"
#include "tg_update.h"

#define PICK_PREFIX "rvc"
#define FOUND_MAX 8
#define SEARCH_MAX 64

static const enum ac_reason reasons[] = { AC_REASON_MUTASI, AC_REASON_PENSIUN,
                                          AC_REASON_MENINGGAL };

static const struct holder_flow revoke_flow = {
    .kind = AC_REVOKE, .prefix = PICK_PREFIX, .conversation = "revoke",
    .pick_key = "revoke.pick", .none_key = "revoke.none_found",
    .choices = reasons, .choice_count = sizeof reasons / sizeof reasons[0],
    .choice_key = "revoke.reason.%s", .ask_choice_key = "revoke.ask_reason",
};

/* An operator reports for their own agency only; an official for any. */
static int64_t agency_scope(const struct handler_ctx *ctx)
{
    return (ctx->actor.roles & ROLE_APPLICANT) ? ctx->actor.agency_id : 0;
}

int holder_flow_step(struct handler_ctx *ctx, const struct holder_flow *flow, cJSON *data)
{
    char *json = data ? cJSON_PrintUnformatted(data) : NULL;
    int rc = json ? db_conversation_set(ctx->app->db, ctx->update->user_id, flow->conversation,
                                        json, ctx->now_ms)
                  : -ENOMEM;
    free(json);
    return rc;
}

static int set_step(struct handler_ctx *ctx, cJSON *data)
{
    return holder_flow_step(ctx, &revoke_flow, data);
}

static int ask_search(struct handler_ctx *ctx)
{
    cJSON *data = cJSON_CreateObject();
    int rc = data && cJSON_AddStringToObject(data, "step", "search") ? set_step(ctx, data)
                                                                      : -ENOMEM;
    cJSON_Delete(data);
    return rc ? rc : reply_text(ctx, NULL, "revoke.ask_search", NULL);
}

int holder_flow_search(struct handler_ctx *ctx, const struct holder_flow *flow,
                       const char *text)
{
    struct db_certificate *found = calloc(SEARCH_MAX, sizeof *found);
    size_t n = 0, shown = 0;
    int rc = found ? db_certificates_search(ctx->app->db, text, agency_scope(ctx), found,
                                            SEARCH_MAX, &n)
                   : -ENOMEM;
    cJSON *keyboard = keyboard_new();
    for (size_t i = 0; !rc && i < n && shown < FOUND_MAX; i++) {
        if (found[i].status == DB_CERT_REVOKED)
            continue;
        struct db_agency agency = { 0 };
        db_agency_get(ctx->app->db, found[i].agency_id, &agency);
        char label[DB_TEXT_MAX * 2 + 64], data[48];
        snprintf(label, sizeof label, "%s — %s (%s)", found[i].name, found[i].nip, agency.name);
        snprintf(data, sizeof data, "%s:%" PRId64, flow->prefix, found[i].id);
        cJSON *row = keyboard ? keyboard_row(keyboard) : NULL;
        rc = row ? keyboard_button(row, label, data) : -ENOMEM;
        shown++;
    }
    free(found);
    if (!rc)
        rc = shown ? reply_text(ctx, keyboard, flow->pick_key, "text", text, NULL)
                   : reply_text(ctx, NULL, flow->none_key, "text", text, NULL);
    cJSON_Delete(keyboard);
    return rc;
}

static int run_revoke(struct handler_ctx *ctx)
{
    char text[SEARCH_MAX];
    args_rest(ctx->args ? ctx->args : "", text, sizeof text);
    if (!text[0])
        return ask_search(ctx);
    /* Typed again after a miss, the next words are another search. */
    cJSON *data = cJSON_CreateObject();
    int rc = data && cJSON_AddStringToObject(data, "step", "search") ? set_step(ctx, data)
                                                                 : -ENOMEM;
    cJSON_Delete(data);
    return rc ? rc : holder_flow_search(ctx, &revoke_flow, text);
}

const struct handler_entry handler_revoke = {
    .name = "revoke",
    .command_id = "cabut",
    .command_en = "revoke",
    .roles = ROLE_APPLICANT | ROLE_OFFICIAL,
    .in_menu = true,
    .run = run_revoke,
};

/* --- the pressed holder and reason --------------------------------------------- */

int holder_flow_reportable(struct handler_ctx *ctx, const struct holder_flow *flow, int64_t id,
                           struct db_certificate *cert, bool *ok)
{
    *ok = false;
    int rc = db_certificate_get(ctx->app->db, id, cert);
    bool help = flow->kind == AC_HELP;
    if (rc == -ENOENT || (!rc && cert->status == DB_CERT_REVOKED)) {
        reply_answer(ctx, help ? "help_req.gone" : "revoke.gone", true);
        return 0;
    }
    if (rc)
        return rc;
    int64_t scope = agency_scope(ctx);
    if (scope && cert->agency_id != scope) {
        reply_answer(ctx, help ? "help_req.not_yours" : "revoke.not_yours", true);
        return 0;
    }
    struct db_aftercare open;
    rc = db_aftercare_open_for(ctx->app->db, id, flow->kind, &open);
    if (rc == 0) {
        reply_answer(ctx, help ? "help_req.already_open" : "revoke.already_open", true);
        return 0;
    }
    *ok = rc == -ENOENT;
    return rc == -ENOENT ? 0 : rc;
}

int holder_flow_choices(struct handler_ctx *ctx, const struct holder_flow *flow,
                        const struct db_certificate *cert)
{
    cJSON *keyboard = keyboard_new();
    int rc = keyboard ? 0 : -ENOMEM;
    for (size_t i = 0; !rc && i < flow->choice_count; i++) {
        const char *choice = ac_reason_name(flow->choices[i]);
        char key[64], data[64];
        snprintf(key, sizeof key, flow->choice_key, choice);
        snprintf(data, sizeof data, "%s:%" PRId64 ":%s", flow->prefix, cert->id, choice);
        cJSON *row = keyboard_row(keyboard);
        rc = row ? keyboard_button(row, i18n_text(ctx->app->i18n, ctx->lang, key), data)
                 : -ENOMEM;
    }
    char *html = rc ? NULL
                    : i18n_format(ctx->app->i18n, ctx->lang, flow->ask_choice_key, "name",
                                  cert->name, "nip", cert->nip, NULL);
    if (!rc)
        rc = html ? reply_edit_html(ctx, html, keyboard) : -ENOMEM;
    free(html);
    cJSON_Delete(keyboard);
    return rc;
}

static int ask_date(struct handler_ctx *ctx, const struct db_certificate *cert,
                    enum ac_reason reason)
{
    cJSON *data = cJSON_CreateObject();
    int rc = data && cJSON_AddStringToObject(data, "step", "date") &&
                     cJSON_AddNumberToObject(data, "cert", (double)cert->id) &&
                     cJSON_AddStringToObject(data, "reason", ac_reason_name(reason))
                 ? set_step(ctx, data)
                 : -ENOMEM;
    cJSON_Delete(data);
    char key[64];
    snprintf(key, sizeof key, "revoke.reason.%s", ac_reason_name(reason));
    char *html = rc ? NULL
                    : i18n_format(ctx->app->i18n, ctx->lang, "revoke.ask_date", "name",
                                  cert->name, "reason",
                                  i18n_text(ctx->app->i18n, ctx->lang, key), NULL);
    if (!rc)
        rc = html ? reply_edit_html(ctx, html, NULL) : -ENOMEM;
    free(html);
    return rc;
}

/* "<certificate>" or "<certificate>:<reason>". */
static int run_pick(struct handler_ctx *ctx)
{
    const char *rest = ctx->callback_rest ? ctx->callback_rest : "";
    const char *colon = strchr(rest, ':');
    uint64_t id = 0;
    enum ac_reason reason = colon ? ac_reason_parse(colon + 1) : AC_REASON_NONE;
    if (args_decimal_n(rest, colon ? (size_t)(colon - rest) : strlen(rest), INT64_MAX, &id) ||
        id == 0 || (colon && !ac_reason_fits(AC_REVOKE, reason))) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    struct db_certificate cert;
    bool ok = false;
    int rc = holder_flow_reportable(ctx, &revoke_flow, (int64_t)id, &cert, &ok);
    if (rc || !ok)
        return rc;
    return colon ? ask_date(ctx, &cert, reason) : holder_flow_choices(ctx, &revoke_flow, &cert);
}

const struct handler_entry handler_revoke_pick = {
    .name = "revoke_pick",
    .callback_prefix = PICK_PREFIX,
    .roles = ROLE_APPLICANT | ROLE_OFFICIAL,
    .run = run_pick,
};

/* --- the conversation -------------------------------------------------------- */

static int typed_date(struct handler_ctx *ctx, cJSON *data)
{
    char date[11];
    if (!ctx->update->text || args_date_words(ctx->update->text, date))
        return reply_text(ctx, NULL, "revoke.bad_date", NULL);
    cJSON_ReplaceItemInObject(data, "step", cJSON_CreateString("letter"));
    cJSON_AddStringToObject(data, "date", date);
    int rc = set_step(ctx, data);
    return rc ? rc : reply_text(ctx, NULL, "revoke.ask_letter", NULL);
}

static int sent_letter(struct handler_ctx *ctx, const cJSON *data)
{
    if (!file_limit_message_file(ctx->update->message))
        return reply_text(ctx, NULL, "revoke.need_letter", NULL);
    const cJSON *cert = cJSON_GetObjectItemCaseSensitive(data, "cert");
    const cJSON *reason = cJSON_GetObjectItemCaseSensitive(data, "reason");
    const cJSON *date = cJSON_GetObjectItemCaseSensitive(data, "date");
    if (!cJSON_IsNumber(cert) || !cJSON_IsString(reason) || !cJSON_IsString(date))
        return db_conversation_clear(ctx->app->db, ctx->update->user_id);
    int64_t file_row = 0;
    int rc = case_store_attachment(ctx, NULL, "revoke_letter", &file_row);
    if (rc == -EFBIG)
        return 0; /* refused with the limit; the step waits for a file that fits */
    if (!rc)
        rc = db_conversation_clear(ctx->app->db, ctx->update->user_id);
    return rc ? rc
              : revoke_submit(ctx, (int64_t)cert->valuedouble, reason->valuestring,
                              date->valuestring, file_row);
}

/* The Kasi's or Pelaksana's note for a card: {"step","id","version"}. */
static int typed_note(struct handler_ctx *ctx, const cJSON *data, const char *step)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(data, "id");
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(data, "version");
    char note[CASE_NOTE_MAX];
    if (!ctx->update->text || args_rest(ctx->update->text, note, sizeof note) || !note[0])
        return reply_text(ctx, NULL, "revoke.need_note", NULL);
    int rc = db_conversation_clear(ctx->app->db, ctx->update->user_id);
    if (rc || !cJSON_IsNumber(id) || !cJSON_IsNumber(version))
        return rc;
    bool returning = strcmp(step, "return_note") == 0;
    return returning ? revoke_return_with_note(ctx, (int64_t)id->valuedouble,
                                               (uint32_t)version->valuedouble, note)
                     : revoke_done_with_note(ctx, (int64_t)id->valuedouble,
                                             (uint32_t)version->valuedouble, note);
}

int revoke_continue(struct handler_ctx *ctx, const char *json)
{
    cJSON *data = cJSON_Parse(json ? json : "");
    const cJSON *step = cJSON_GetObjectItemCaseSensitive(data, "step");
    const char *s = cJSON_IsString(step) ? step->valuestring : "";
    int rc;
    char text[SEARCH_MAX];
    if (strcmp(s, "search") == 0 && ctx->update->text &&
        !args_rest(ctx->update->text, text, sizeof text) && text[0])
        rc = holder_flow_search(ctx, &revoke_flow, text);
    else if (strcmp(s, "search") == 0)
        rc = reply_text(ctx, NULL, "revoke.ask_search", NULL);
    else if (strcmp(s, "date") == 0)
        rc = typed_date(ctx, data);
    else if (strcmp(s, "letter") == 0)
        rc = sent_letter(ctx, data);
    else if (strcmp(s, "return_note") == 0 || strcmp(s, "done_note") == 0)
        rc = typed_note(ctx, data, s);
    else
        rc = db_conversation_clear(ctx->app->db, ctx->update->user_id);
    cJSON_Delete(data);
    return rc;
}
