/* case_confirm: the second tap of an irreversible action; see case_confirm.h. */
#include "case_confirm.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "case_action.h"
#include "case_card.h"
#include "db_cases.h"
#include "i18n.h"
#include "json_number.h"
#include "keyboard.h"
#include "outbox.h"
#include "texts.h"
#include "tg_reply.h"
#include "tg_update.h"

#define CONFIRM_KIND "confirm"

cJSON *case_confirm_keyboard(const struct app *app, const char *lang, const char *yes_label,
                             const char *yes_data, const char *no_data)
{
    cJSON *keyboard = keyboard_new();
    cJSON *row = keyboard ? keyboard_row(keyboard) : NULL;
    if (!row || keyboard_button(row, yes_label, yes_data) != 0 ||
        keyboard_button(row, i18n_text(app->i18n, lang, "confirm.no"), no_data) != 0) {
        cJSON_Delete(keyboard);
        return NULL;
    }
    return keyboard;
}

char case_confirm_split(const char *arg, char *event_arg, size_t size)
{
    size_t n = strlen(arg);
    char answer = 0;
    if (n >= 1 && (arg[n - 1] == 'y' || arg[n - 1] == 'n') && (n == 1 || arg[n - 2] == ':')) {
        answer = arg[n - 1];
        n = n == 1 ? 0 : n - 2;
    }
    snprintf(event_arg, size, "%.*s", (int)n, arg);
    return answer;
}

bool case_confirm_needed(const struct db_case *c, const struct wf_event *event)
{
    return wf_event_confirms(c->wf.state, event->kind, event->bsre_outcome);
}

/* The question's sentence and the verb on its Ya. */
static void question_keys(const struct db_case *c, enum wf_event_kind kind, const char **ask,
                          const char **yes)
{
    if (kind == WF_EV_RETURN) {
        *ask = "confirm.ask.return";
        *yes = "confirm.yes.return";
    } else if (kind == WF_EV_SIGN) {
        *ask = c->wf.state == WF_S6_TTD_KADIS ? "confirm.ask.sign_notification"
                                              : "confirm.ask.sign_recommendation";
        *yes = "confirm.yes.sign";
    } else {
        *ask = "confirm.ask.reject";
        *yes = "confirm.yes.reject";
    }
}

/* "c:<case>:<version>:<event>[:<arg>]:<answer>" */
static void answer_data(const struct db_case *c, enum wf_event_kind kind, const char *event_arg,
                        char answer, char *out, size_t size)
{
    snprintf(out, size, "c:%" PRId64 ":%" PRIu32 ":%s%s%s:%c", c->wf.case_id, c->wf.version,
             wf_event_name(kind), event_arg[0] ? ":" : "", event_arg, answer);
}

/* The note waits with the presser until Ya or Batal. */
static int remember(struct handler_ctx *ctx, const struct db_case *c,
                    const struct wf_event *event, const char *event_arg)
{
    cJSON *data = cJSON_CreateObject();
    if (!data)
        return -ENOMEM;
    cJSON_AddNumberToObject(data, "case", (double)c->wf.case_id);
    cJSON_AddNumberToObject(data, "version", c->wf.version);
    cJSON_AddStringToObject(data, "action", wf_event_name(event->kind));
    cJSON_AddStringToObject(data, "arg", event_arg);
    cJSON_AddStringToObject(data, "note", event->note ? event->note : "");
    cJSON_AddNumberToObject(data, "reply_at", (double)event->reply_at_ms);
    char *json = cJSON_PrintUnformatted(data);
    cJSON_Delete(data);
    if (!json)
        return -ENOMEM;
    int rc = db_conversation_set(ctx->app->db, ctx->update->user_id, CONFIRM_KIND, json,
                                 ctx->now_ms);
    free(json);
    return rc;
}

/* The card with the question under it, and Ya/Batal. */
static int question(struct handler_ctx *ctx, const struct db_case *c,
                    const struct wf_event *event, const char *event_arg, char **html,
                    cJSON **keyboard)
{
    const char *ask = NULL, *yes = NULL;
    question_keys(c, event->kind, &ask, &yes);
    struct text t;
    text_init(&t, ctx->app->i18n, ctx->lang);
    text_own(&t, case_card_text_for(ctx->app, c, ctx->lang, ctx->update->user_id,
                                     ctx->update->chat_id));
    text_add(&t, ask, "number", c->number, NULL);
    if (event->note && event->note[0])
        text_add(&t, "confirm.ask_note", "note", event->note, NULL);
    *html = text_take(&t);
    char yes_data[KEYBOARD_DATA_MAX + 1], no_data[KEYBOARD_DATA_MAX + 1];
    answer_data(c, event->kind, event_arg, 'y', yes_data, sizeof yes_data);
    answer_data(c, event->kind, event_arg, 'n', no_data, sizeof no_data);
    *keyboard = case_confirm_keyboard(ctx->app, ctx->lang,
                                      i18n_text(ctx->app->i18n, ctx->lang, yes), yes_data,
                                      no_data);
    return *html && *keyboard ? 0 : -ENOMEM;
}

int case_confirm_ask(struct handler_ctx *ctx, const struct db_case *c,
                     const struct wf_event *event, const char *event_arg)
{
    char *html = NULL;
    cJSON *keyboard = NULL;
    /* Only what was typed or sent for it waits; a signature carries nothing. */
    bool carries = wf_event_needs_note(c->wf.state, event->kind) ||
                   event->kind == WF_EV_BSRE_REPLY;
    int rc = carries ? remember(ctx, c, event, event_arg) : 0;
    if (!rc)
        rc = question(ctx, c, event, event_arg, &html, &keyboard);
    if (rc)
        goto out;
    bool pressed = ctx->update->kind == UPDATE_CALLBACK && ctx->update->message_id;
    if (pressed) {
        /* The first tap: the same card asks. */
        reply_answer(ctx, "confirm.answer", false);
        rc = reply_edit_html(ctx, html, keyboard);
    } else if (ctx->prompt_chat && ctx->prompt_message) {
        /* The note's answer: the card it was asked from asks, and the chat
         * says where. */
        rc = outbox_edit_text(ctx->app->db, ctx->prompt_chat, ctx->prompt_message, html,
                              keyboard, ctx->now_ms);
        if (!rc)
            rc = reply_text(ctx, NULL, "confirm.on_card", "number", c->number, NULL);
    } else {
        rc = reply_html(ctx, html, keyboard);
    }
out:
    cJSON_Delete(keyboard);
    free(html);
    return rc;
}

/* The presser's waiting question, if it is of this case; NULL otherwise. */
static cJSON *waiting(struct handler_ctx *ctx, int64_t case_id)
{
    char kind[32];
    char *json = NULL;
    if (db_conversation_get(ctx->app->db, ctx->update->user_id, kind, sizeof kind, &json) != 0)
        return NULL;
    cJSON *data = strcmp(kind, CONFIRM_KIND) == 0 ? cJSON_Parse(json) : NULL;
    free(json);
    if (data && tg_json_id(data, "case") != case_id) {
        cJSON_Delete(data);
        data = NULL;
    }
    return data;
}

int case_confirm_cancel(struct handler_ctx *ctx, const struct db_case *c)
{
    cJSON *data = waiting(ctx, c->wf.case_id);
    int rc = data ? db_conversation_clear(ctx->app->db, ctx->update->user_id) : 0;
    cJSON_Delete(data);
    if (rc)
        return rc;
    reply_answer(ctx, "confirm.cancelled", false);
    return case_card_refresh(ctx, c);
}

static bool field_is(const cJSON *data, const char *name, const char *value)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(data, name);
    return cJSON_IsString(item) && strcmp(item->valuestring, value) == 0;
}

int case_confirm_take_note(struct handler_ctx *ctx, const struct db_case *c, const char *what,
                           const char *event_arg, char *note, size_t size, int64_t *reply_at_ms)
{
    cJSON *data = waiting(ctx, c->wf.case_id);
    int64_t version = 0;
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(data, "note");
    bool stands = data && cJSON_IsString(text) &&
                  json_number_int64(cJSON_GetObjectItemCaseSensitive(data, "version"), 1,
                                    UINT32_MAX, &version) == 0 &&
                  (uint32_t)version == c->wf.version && field_is(data, "action", what) &&
                  field_is(data, "arg", event_arg);
    if (stands) {
        snprintf(note, size, "%s", text->valuestring);
        *reply_at_ms = tg_json_id(data, "reply_at");
    }
    cJSON_Delete(data);
    if (!stands)
        return -ENOENT;
    return db_conversation_clear(ctx->app->db, ctx->update->user_id);
}

int case_confirm_typed(struct handler_ctx *ctx, const char *json)
{
    cJSON *data = cJSON_Parse(json);
    int64_t case_id = tg_json_id(data, "case"), version = 0;
    struct db_case c;
    bool stands = case_id &&
                  json_number_int64(cJSON_GetObjectItemCaseSensitive(data, "version"), 1,
                                    UINT32_MAX, &version) == 0 &&
                  db_case_get(ctx->app->db, case_id, &c) == 0 && (uint32_t)version == c.wf.version;
    cJSON_Delete(data);
    if (!stands)
        return -ENOENT; /* dropped; the message goes on to the rest of the routing */
    return reply_text(ctx, NULL, "confirm.pending", "number", c.number, NULL);
}
