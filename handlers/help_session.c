/* A certificate help request's session: the offer, the pick, move and
 * cancel, and their typed answers; see help_session.h. */
#include "help_session.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "args.h"
#include "case_card.h"
#include "db_sessions.h"
#include "help_session_ics.h"
#include "help_slots.h"
#include "i18n.h"
#include "json_number.h"
#include "keyboard.h"
#include "outbox.h"
#include "session_plan.h"
#include "sessions.h"
#include "texts.h"
#include "tg_update.h"

#define CONVERSATION "help_slot"
#define REASON_MAX 500

static void refuse(struct handler_ctx *ctx, const char *key)
{
    if (ctx->update->kind == UPDATE_CALLBACK)
        reply_answer(ctx, key, true);
    else
        reply_text(ctx, NULL, key, NULL);
}

/* May the person take `action` on the request drawn at `version`? Answers
 * them when not (core/help_slots.h decides). */
static bool allowed(struct handler_ctx *ctx, const struct help_view *v, enum hs_action action,
                    uint32_t version)
{
    int error = hs_may(&v->a.r, action, version, &ctx->actor);
    if (!error)
        return true;
    refuse(ctx, error == AC_ERR_NOT_ALLOWED                            ? "error.not_allowed"
                : error == AC_ERR_STALE || error == AC_ERR_WRONG_STATE ? "help_req.error.stale"
                                                                       : "error.stale_button");
    return false;
}

/* --- the conversation ----------------------------------------------------------- */

int help_session_remember(struct handler_ctx *ctx, const struct slot_owner *o, const char *want,
                          const char *arg)
{
    cJSON *data = cJSON_CreateObject();
    char *json = NULL;
    if (data && cJSON_AddNumberToObject(data, "id", (double)o->id) &&
        cJSON_AddNumberToObject(data, "version", o->version) &&
        cJSON_AddStringToObject(data, "want", want) &&
        cJSON_AddStringToObject(data, "arg", arg ? arg : ""))
        json = cJSON_PrintUnformatted(data);
    cJSON_Delete(data);
    int rc = json ? db_conversation_set(ctx->app->db, ctx->update->user_id, CONVERSATION, json,
                                        ctx->now_ms)
                  : -ENOMEM;
    free(json);
    return rc;
}

int help_session_ask_reason(struct handler_ctx *ctx, const struct slot_owner *o, const char *want,
                            const char *arg)
{
    bool move = strcmp(want, "move") == 0;
    int rc = help_session_remember(ctx, o, move ? "move_reason" : "cancel_reason", arg);
    char span[96] = "";
    if (move) {
        int64_t start = strtoll(arg, NULL, 10);
        struct db_session s;
        if (!rc && db_session_of_help(ctx->app->db, o->id, SESSION_CONFIRMED, &s) == 0)
            sessions_span_text(ctx->app, ctx->lang, start, start + (s.end_at - s.start_at),
                               span, sizeof span);
    }
    if (!rc)
        rc = reply_text(ctx, NULL,
                        move ? "help_slot.ask_move_reason" : "help_slot.ask_cancel_reason",
                        "number", o->number, "when", span, NULL);
    if (!rc)
        reply_answer(ctx, "answer.prompted", false);
    return rc;
}

/* The pressed message now says `html` (taken), without its buttons. */
static int close_pressed(struct handler_ctx *ctx, char *html)
{
    int rc = html ? reply_edit_html(ctx, html, NULL) : -ENOMEM;
    free(html);
    if (!rc)
        reply_answer(ctx, "answer.done", false);
    return rc;
}

/* --- offer, pick, move, cancel --------------------------------------------------- */

/* The builder, unless a session is booked already (it is moved instead). */
static int open_offer(struct handler_ctx *ctx, const struct help_view *v)
{
    struct db_session booked;
    int rc = db_session_of_help(ctx->app->db, v->owner.id, SESSION_CONFIRMED, &booked);
    if (rc == 0) {
        refuse(ctx, "help_slot.already_booked");
        return 0;
    }
    return rc == -ENOENT ? slot_picker_owner_open(ctx, &v->owner, false) : rc;
}

int help_session_open(struct handler_ctx *ctx, int64_t id, uint32_t version)
{
    struct help_view v;
    int rc = help_view_load(ctx->app, id, &v);
    if (rc == -ENOENT) {
        refuse(ctx, "error.stale_button");
        return 0;
    }
    if (rc || !allowed(ctx, &v, HS_OFFER, version))
        return rc;
    return open_offer(ctx, &v);
}

/* The operator's card: the slots, one button each, and "other times". */
static int send_offer_card(struct app *app, const struct help_view *v,
                           const struct db_session *slots, size_t count, int64_t now_ms)
{
    int64_t to = v->a.r.requested_by;
    const char *lang = card_lang_of(app, to);
    struct text t;
    text_init(&t, app->i18n, lang);
    text_add(&t, "help_slot.offer", "number", v->owner.number, "name", v->cert.name, NULL);
    cJSON *keyboard = keyboard_new();
    int rc = keyboard ? 0 : -ENOMEM;
    for (size_t i = 0; !rc && i < count; i++) {
        char index[24], day[32], when[48], label[160], data[64];
        snprintf(index, sizeof index, "%zu", i + 1);
        text_add(&t, "card.offer_index", "index", index, NULL);
        text_own(&t, sessions_line_html(app, lang, &slots[i]));
        snprintf(day, sizeof day, "schedule.weekday.%d",
                 cal_weekday(cal_day_of(slots[i].start_at)));
        text_when(app->i18n, lang, slots[i].start_at, when, sizeof when);
        snprintf(label, sizeof label, "\xe2\x9c\x85 %zu \xc2\xb7 %s %s", i + 1,
                 i18n_text(app->i18n, lang, day), when);
        snprintf(data, sizeof data, HELP_SLOT_PREFIX ":%" PRId64 ":%" PRIu32 ":cp:%" PRId64,
                 v->owner.id, v->a.r.version, slots[i].id);
        cJSON *row = keyboard_row(keyboard);
        rc = row ? keyboard_button(row, label, data) : -ENOMEM;
    }
    char data[64];
    snprintf(data, sizeof data, HELP_SLOT_PREFIX ":%" PRId64 ":%" PRIu32 ":cd", v->owner.id,
             v->a.r.version);
    cJSON *row = rc ? NULL : keyboard_row(keyboard);
    if (!rc)
        rc = row ? keyboard_button(row, i18n_text(app->i18n, lang, "help_slot.button.decline"),
                                   data)
                 : -ENOMEM;
    char *html = text_take(&t);
    if (!rc)
        rc = html ? outbox_send_text(app->db, to, html, keyboard, NULL, now_ms) : -ENOMEM;
    free(html);
    cJSON_Delete(keyboard);
    return rc;
}

/* "Kirim pilihan": the drafts, checked again, become the offer. */
static int send_offer(struct handler_ctx *ctx, const struct help_view *v)
{
    struct app *app = ctx->app;
    struct db_session drafts[WF_SLOTS_MAX + 1], booked;
    size_t count = 0;
    int rc = db_session_of_help(app->db, v->owner.id, SESSION_CONFIRMED, &booked);
    if (rc == 0) {
        refuse(ctx, "help_slot.already_booked");
        return 0;
    }
    if (rc == -ENOENT)
        rc = db_sessions_of_help(app->db, v->owner.id, SESSION_DRAFT, drafts, WF_SLOTS_MAX + 1,
                                 &count);
    char *refusal = NULL;
    if (!rc)
        rc = sessions_offer_refusal(app, 0, v->owner.id, drafts, count, ctx->lang, ctx->now_ms,
                                    &refusal);
    if (rc || refusal) {
        if (refusal)
            reply_answer_html(ctx, refusal, true);
        free(refusal);
        return rc;
    }
    /* An earlier offer still open gives way to this one. */
    rc = db_sessions_help_set_status(app->db, v->owner.id, SESSION_OFFERED, SESSION_WITHDRAWN,
                                     ctx->now_ms);
    if (!rc)
        rc = db_sessions_help_set_status(app->db, v->owner.id, SESSION_DRAFT, SESSION_OFFERED,
                                         ctx->now_ms);
    if (!rc)
        rc = send_offer_card(app, v, drafts, count, ctx->now_ms);
    if (!rc)
        rc = db_conversation_clear(app->db, ctx->update->user_id);
    return rc ? rc
              : close_pressed(ctx, i18n_format(app->i18n, ctx->lang, "help_slot.offer_sent",
                                               "number", v->owner.number, NULL));
}

/* The offered slot `arg` of this request, still offered; answers when not. */
static int offered_slot(struct handler_ctx *ctx, const struct help_view *v, const char *arg,
                        struct db_session *s, bool *ok)
{
    uint64_t id = 0;
    *ok = false;
    int rc = args_decimal(arg, INT64_MAX, &id) != 0 || id == 0
                 ? -ENOENT
                 : db_session_get(ctx->app->db, (int64_t)id, s);
    if (rc == -ENOENT || (!rc && (s->help_id != v->owner.id || s->status != SESSION_OFFERED))) {
        refuse(ctx, "error.stale_button");
        return 0;
    }
    char *refusal = NULL;
    if (!rc)
        rc = sessions_choice_refusal(ctx->app, s, ctx->lang, (ctx->roles & ROLE_OFFICIAL) != 0,
                                     ctx->now_ms, &refusal);
    if (refusal)
        reply_answer_html(ctx, refusal, true);
    *ok = !rc && !refusal;
    free(refusal);
    return rc;
}

/* The operator's choice: the session is confirmed, the others let go. */
static int pick(struct handler_ctx *ctx, const struct help_view *v, const char *arg)
{
    struct app *app = ctx->app;
    struct db_session s;
    bool ok = false;
    int rc = offered_slot(ctx, v, arg, &s, &ok);
    if (rc || !ok)
        return rc;
    rc = db_sessions_help_set_status(app->db, v->owner.id, SESSION_OFFERED, SESSION_WITHDRAWN,
                                     ctx->now_ms);
    s.status = SESSION_CONFIRMED;
    s.updated_at = ctx->now_ms;
    if (!rc) /* its reminders: the step-7 plan (session_jobs.c) */
        rc = session_plan_first(&app->cal, s.start_at, s.end_at, ctx->now_ms, &s.remind_stage,
                                &s.next_due);
    if (!rc)
        rc = db_session_update(app->db, &s);
    if (rc == -EEXIST) /* the schema's guard: checked above, so a race only */
        return -EAGAIN;
    if (!rc)
        rc = help_session_send_ics(app, v, &s, ICS_REQUEST, "help_slot.ics.caption", NULL,
                                   ctx->now_ms);
    char span[96];
    sessions_span_text(app, ctx->lang, s.start_at, s.end_at, span, sizeof span);
    return rc ? rc
              : close_pressed(ctx, i18n_format(app->i18n, ctx->lang, "help_slot.picked",
                                               "number", v->owner.number, "when", span, "place",
                                               s.place, NULL));
}

/* A message to the Pelaksana under `key`, with the card's button to offer
 * times (again). */
static int tell_pelaksana_offer(struct app *app, const struct help_view *v, const char *key,
                                const char *reason, int64_t now_ms)
{
    int64_t to = v->a.r.pelaksana_id;
    const char *lang = card_lang_of(app, to);
    char *html = i18n_format(app->i18n, lang, key, "number", v->owner.number, "name",
                             v->cert.name, "reason", reason ? reason : "-", NULL);
    char data[64];
    snprintf(data, sizeof data, "rv:%" PRId64 ":%" PRIu32 ":session", v->owner.id,
             v->a.r.version);
    cJSON *keyboard = keyboard_new();
    cJSON *row = keyboard ? keyboard_row(keyboard) : NULL;
    int rc = html && row ? keyboard_button(row, i18n_text(app->i18n, lang,
                                                          "help_req.button.session"), data)
                         : -ENOMEM;
    if (!rc)
        rc = outbox_send_text(app->db, to, html, keyboard, NULL, now_ms);
    free(html);
    cJSON_Delete(keyboard);
    return rc;
}

/* "Minta waktu lain": the offer is withdrawn and the Pelaksana told. */
static int decline(struct handler_ctx *ctx, const struct help_view *v)
{
    struct db_session any;
    int rc = db_session_of_help(ctx->app->db, v->owner.id, SESSION_OFFERED, &any);
    if (rc == -ENOENT) {
        refuse(ctx, "error.stale_button");
        return 0;
    }
    if (!rc)
        rc = db_sessions_help_set_status(ctx->app->db, v->owner.id, SESSION_OFFERED,
                                         SESSION_WITHDRAWN, ctx->now_ms);
    if (!rc)
        rc = tell_pelaksana_offer(ctx->app, v, "help_slot.declined", NULL, ctx->now_ms);
    return rc ? rc
              : close_pressed(ctx, i18n_format(ctx->app->i18n, ctx->lang,
                                               "help_slot.declined_done", "number",
                                               v->owner.number, NULL));
}

/* The confirmed session; answers the press as stale when there is none. */
static int booked(struct handler_ctx *ctx, const struct help_view *v, struct db_session *s,
                  bool *ok)
{
    int rc = db_session_of_help(ctx->app->db, v->owner.id, SESSION_CONFIRMED, s);
    *ok = rc == 0;
    if (rc == -ENOENT)
        refuse(ctx, "error.stale_button");
    return rc == -ENOENT ? 0 : rc;
}

/* The reason typed for the move to `start_text`: the slot is checked again
 * now, and the session moves (same UID, SEQUENCE+1). */
static int move_with_reason(struct handler_ctx *ctx, const struct help_view *v,
                            const char *start_text, const char *reason)
{
    struct app *app = ctx->app;
    struct db_session s;
    bool ok = false;
    int rc = booked(ctx, v, &s, &ok);
    uint64_t at = 0;
    if (rc || !ok || args_decimal(start_text, INT64_MAX, &at) != 0)
        return rc;
    int64_t start = (int64_t)at;
    int64_t length = s.end_at - s.start_at;
    struct db_session conflict;
    int problem = sessions_check(app, 0, s.id, s.pelaksana_id, start, start + length,
                                 ctx->now_ms, &conflict);
    if (problem > 0) {
        char *html = sessions_refusal_html(app, ctx->lang, "schedule.refused", NULL, problem,
                                           &conflict, (ctx->roles & ROLE_OFFICIAL) != 0);
        rc = html ? reply_html(ctx, html, NULL) : -ENOMEM;
        free(html);
        return rc;
    }
    if (problem < 0)
        return problem;
    s.start_at = start;
    s.end_at = start + length;
    s.sequence++;
    s.updated_at = ctx->now_ms;
    rc = session_plan_first(&app->cal, s.start_at, s.end_at, ctx->now_ms, &s.remind_stage,
                            &s.next_due);
    if (!rc)
        rc = db_session_update(app->db, &s);
    if (!rc)
        rc = help_session_send_ics(app, v, &s, ICS_REQUEST, "help_slot.ics.caption_update",
                                   reason, ctx->now_ms);
    return rc == -EEXIST ? -EAGAIN : rc;
}

/* The reason typed for calling it off: METHOD:CANCEL to the three, and the
 * Pelaksana may offer again. */
static int cancel_with_reason(struct handler_ctx *ctx, const struct help_view *v,
                              const char *reason)
{
    struct db_session s;
    bool ok = false;
    int rc = booked(ctx, v, &s, &ok);
    if (rc || !ok)
        return rc;
    s.status = SESSION_CANCELLED;
    s.sequence++;
    s.next_due = 0;
    s.remind_stage = SESSION_STAGE_DONE;
    s.updated_at = ctx->now_ms;
    rc = db_session_update(ctx->app->db, &s);
    if (!rc)
        rc = help_session_send_ics(ctx->app, v, &s, ICS_CANCEL, "help_slot.ics.caption_cancel",
                                   reason, ctx->now_ms);
    if (!rc)
        rc = tell_pelaksana_offer(ctx->app, v, "help_slot.offer_again", reason, ctx->now_ms);
    return rc;
}

/* --- the buttons ------------------------------------------------------------ */

/* "sh:<request>:<version>:<op>[:<arg>]": the picker's 'o' ops build the
 * offer, its 'm' ops move; "os" sends the offer, "cp"/"cd" are the
 * operator's pick or "other times", "mo" opens the move, "cx" cancels. */
static int run_help_slot(struct handler_ctx *ctx)
{
    struct args_press press;
    struct help_view v;
    if (args_case_press(ctx->callback_rest, &press)) {
        refuse(ctx, "error.stale_button");
        return 0;
    }
    int rc = help_view_load(ctx->app, press.case_id, &v);
    if (rc == -ENOENT) {
        refuse(ctx, "error.stale_button");
        return 0;
    }
    const char *op = press.what;
    enum hs_action action = op[0] == 'o'                          ? HS_OFFER
                            : op[0] == 'm' || strcmp(op, "cx") == 0 ? HS_CHANGE
                            : op[0] == 'c'                        ? HS_PICK
                                                                  : HS_NONE;
    if (rc || !allowed(ctx, &v, action, press.version))
        return rc;
    bool bare = !press.arg[0];
    if (strcmp(op, "os") == 0 && bare)
        return send_offer(ctx, &v);
    if (strcmp(op, "cp") == 0)
        return pick(ctx, &v, press.arg);
    if (strcmp(op, "cd") == 0 && bare)
        return decline(ctx, &v);
    struct db_session s;
    bool ok = true;
    if (action == HS_CHANGE)
        rc = booked(ctx, &v, &s, &ok);
    if (rc || !ok)
        return rc;
    if (strcmp(op, "mo") == 0 && bare)
        return slot_picker_owner_open(ctx, &v.owner, true);
    if (strcmp(op, "cx") == 0 && bare)
        return help_session_ask_reason(ctx, &v.owner, "cancel", "");
    return slot_picker_owner_press(ctx, &v.owner, op, press.arg);
}

const struct handler_entry handler_help_slot = {
    .name = "help_slot",
    .callback_prefix = HELP_SLOT_PREFIX,
    .roles = ROLE_ANYONE, /* core/help_slots.h decides, per request and state */
    .run = run_help_slot,
};

/* --- typed answers ------------------------------------------------------------- */

/* A typed answer to the picker or to a reason's question. */
static int continue_with(struct handler_ctx *ctx, const struct help_view *v, const char *want,
                         const char *arg)
{
    const char *text = ctx->update->text;
    bool reason = strcmp(want, "move_reason") == 0 || strcmp(want, "cancel_reason") == 0;
    if (!reason) {
        if (strcmp(want, "place") == 0)
            return slot_picker_owner_place(ctx, &v->owner, arg, text);
        return text ? slot_picker_owner_typed(ctx, &v->owner, text, want[0] == 'm')
                    : reply_text(ctx, NULL, want[0] == 'm' ? "schedule.typed.format_move"
                                                           : "schedule.typed.format", NULL);
    }
    char note[REASON_MAX];
    if (!text || args_rest(text, note, sizeof note) || !note[0])
        return reply_text(ctx, NULL, "help_slot.need_reason", NULL);
    int rc = db_conversation_clear(ctx->app->db, ctx->update->user_id);
    if (rc)
        return rc;
    return want[0] == 'm' ? move_with_reason(ctx, v, arg, note) : cancel_with_reason(ctx, v, note);
}

int help_session_continue(struct handler_ctx *ctx, const char *json)
{
    cJSON *data = cJSON_Parse(json ? json : "");
    const cJSON *want = cJSON_GetObjectItemCaseSensitive(data, "want");
    const cJSON *arg = cJSON_GetObjectItemCaseSensitive(data, "arg");
    int64_t id = 0, version = 0;
    struct help_view v;
    int rc = json_number_int64(cJSON_GetObjectItemCaseSensitive(data, "id"), 1, INT64_MAX, &id) ||
                     json_number_int64(cJSON_GetObjectItemCaseSensitive(data, "version"), 1,
                                       UINT32_MAX, &version) ||
                     !cJSON_IsString(want) || !cJSON_IsString(arg)
                 ? -ENOENT
                 : help_view_load(ctx->app, id, &v);
    enum hs_action action = rc ? HS_NONE
                            : strcmp(want->valuestring, "slot") == 0 ||
                                      strcmp(want->valuestring, "place") == 0
                                ? HS_OFFER
                                : HS_CHANGE;
    if (!rc && hs_may(&v.a.r, action, (uint32_t)version, &ctx->actor) != 0)
        rc = -ENOENT;
    if (rc == -ENOENT) { /* the request moved on while the question was open */
        rc = db_conversation_clear(ctx->app->db, ctx->update->user_id);
        if (!rc)
            rc = reply_text(ctx, NULL, "prompt.expired", NULL);
    } else if (!rc) {
        rc = continue_with(ctx, &v, want->valuestring, arg->valuestring);
    }
    cJSON_Delete(data);
    return rc;
}
