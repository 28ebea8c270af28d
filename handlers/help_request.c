/* Certificate help (bantuan sertifikat; issue 14): an operator asks help
 * for a holder of its agency who forgot the passphrase or needs the
 * certificate issued again. /bantuan_sertifikat (/certificate_help) [name or
 * NIP] finds the holder (revoke.h's holder_flow), "hrc:<certificate>:<what>"
 * says what is needed, and a short typed note makes the request; the Kasi
 * assigns a Pelaksana, who offers the session's times (help_session.c),
 * and the Pelaksana's report closes it (revoke_card.c,
 * the same cards as a revocation's). Its standard time is
 * certificates.help_standard_minutes in office time, reminded by
 * help_request_jobs.c. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aftercare.h"
#include "app.h"
#include "args.h"
#include "db_cases.h"
#include "db_certificates.h"
#include "i18n.h"
#include "keyboard.h"
#include "revoke.h"
#include "tg_update.h"

#define HELP_PREFIX "hrc"
#define HELP_NOTE_MAX 500
#define HELP_SEARCH_MAX 64

static const enum ac_reason needs[] = { AC_REASON_LUPA_PASSPHRASE, AC_REASON_TERBIT_ULANG };

static const struct holder_flow help_flow = {
    .kind = AC_HELP, .prefix = HELP_PREFIX, .conversation = "help_req",
    .pick_key = "help_req.pick", .none_key = "help_req.none_found",
    .choices = needs, .choice_count = sizeof needs / sizeof needs[0],
    .choice_key = "help_req.what.%s", .ask_choice_key = "help_req.ask_what",
};

static int set_step(struct handler_ctx *ctx, const char *step, int64_t cert, const char *what)
{
    cJSON *data = cJSON_CreateObject();
    int rc = data && cJSON_AddStringToObject(data, "step", step) ? 0 : -ENOMEM;
    if (!rc && cert && (!cJSON_AddNumberToObject(data, "cert", (double)cert) ||
                        !cJSON_AddStringToObject(data, "what", what)))
        rc = -ENOMEM;
    if (!rc)
        rc = holder_flow_step(ctx, &help_flow, data);
    cJSON_Delete(data);
    return rc;
}

static int run_help_request(struct handler_ctx *ctx)
{
    char text[HELP_SEARCH_MAX];
    args_rest(ctx->args ? ctx->args : "", text, sizeof text);
    int rc = set_step(ctx, "search", 0, NULL);
    if (rc || !text[0])
        return rc ? rc : reply_text(ctx, NULL, "help_req.ask_search", NULL);
    return holder_flow_search(ctx, &help_flow, text);
}

const struct handler_entry handler_help_request = {
    .name = "help_request",
    .command_id = "bantuan_sertifikat",
    .command_en = "certificate_help",
    .roles = ROLE_APPLICANT | ROLE_KASI,
    .in_menu = true,
    .run = run_help_request,
};

/* "<certificate>" or "<certificate>:<what>". */
static int run_pick(struct handler_ctx *ctx)
{
    const char *rest = ctx->callback_rest ? ctx->callback_rest : "";
    const char *colon = strchr(rest, ':');
    uint64_t id = 0;
    enum ac_reason what = colon ? ac_reason_parse(colon + 1) : AC_REASON_NONE;
    if (args_decimal_n(rest, colon ? (size_t)(colon - rest) : strlen(rest), INT64_MAX, &id) ||
        id == 0 || (colon && !ac_reason_fits(AC_HELP, what))) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    struct db_certificate cert;
    bool ok = false;
    int rc = holder_flow_reportable(ctx, &help_flow, (int64_t)id, &cert, &ok);
    if (rc || !ok)
        return rc;
    if (!colon)
        return holder_flow_choices(ctx, &help_flow, &cert);
    rc = set_step(ctx, "note", cert.id, ac_reason_name(what));
    char key[64];
    snprintf(key, sizeof key, "help_req.what.%s", ac_reason_name(what));
    char *html = rc ? NULL
                    : i18n_format(ctx->app->i18n, ctx->lang, "help_req.ask_note", "name",
                                  cert.name, "what", i18n_text(ctx->app->i18n, ctx->lang, key),
                                  NULL);
    if (!rc)
        rc = html ? reply_edit_html(ctx, html, NULL) : -ENOMEM;
    free(html);
    return rc;
}

const struct handler_entry handler_help_request_pick = {
    .name = "help_request_pick",
    .callback_prefix = HELP_PREFIX,
    .roles = ROLE_APPLICANT | ROLE_KASI,
    .run = run_pick,
};

static int typed_note(struct handler_ctx *ctx, const cJSON *data)
{
    const cJSON *cert = cJSON_GetObjectItemCaseSensitive(data, "cert");
    const cJSON *what = cJSON_GetObjectItemCaseSensitive(data, "what");
    char note[HELP_NOTE_MAX];
    if (!ctx->update->text || args_rest(ctx->update->text, note, sizeof note) || !note[0])
        return reply_text(ctx, NULL, "help_req.need_note", NULL);
    int rc = db_conversation_clear(ctx->app->db, ctx->update->user_id);
    if (rc || !cJSON_IsNumber(cert) || !cJSON_IsString(what))
        return rc;
    return help_request_submit(ctx, (int64_t)cert->valuedouble, what->valuestring, note);
}

int help_request_continue(struct handler_ctx *ctx, const char *json)
{
    cJSON *data = cJSON_Parse(json ? json : "");
    const cJSON *step = cJSON_GetObjectItemCaseSensitive(data, "step");
    const char *s = cJSON_IsString(step) ? step->valuestring : "";
    char text[HELP_SEARCH_MAX];
    int rc;
    if (strcmp(s, "search") == 0 && ctx->update->text &&
        !args_rest(ctx->update->text, text, sizeof text) && text[0])
        rc = holder_flow_search(ctx, &help_flow, text);
    else if (strcmp(s, "search") == 0)
        rc = reply_text(ctx, NULL, "help_req.ask_search", NULL);
    else if (strcmp(s, "note") == 0)
        rc = typed_note(ctx, data);
    else
        rc = db_conversation_clear(ctx->app->db, ctx->update->user_id);
    cJSON_Delete(data);
    return rc;
}
