/* The buttons of a task card: "c:<case>:<version>:<event>[:<arg>]".
 *
 * Everything in the data is untrusted: the case is loaded, the presser is
 * known from the server's records, and the workflow core decides. A press on
 * an older card (the case moved on, or a second tap) changes nothing and
 * says who did what, and when; the old card is refreshed.
 *
 * Actions that need words or a file (a return's reason, the signed letter)
 * are first checked as if they had them, so nobody is asked to type a note
 * for an action they may not take; then the bot asks and conversation.c
 * brings the answer to case_prompt_finish. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "args.h"
#include "case_action.h"
#include "case_card.h"
#include "case_confirm.h"
#include "case_flow.h"
#include "certificates_record.h"
#include "config.h"
#include "db.h"
#include "db_mail.h"
#include "db_registry.h"
#include "handler.h"
#include "i18n.h"
#include "json_number.h"
#include "keyboard.h"
#include "letters.h"
#include "letters_send.h"
#include "letters_sign.h"
#include "office_calendar.h"
#include "outbox.h"
#include "people.h"
#include "session_card.h"
#include "sessions.h"
#include "slot_picker.h"
#include "slots.h"
#include "target.h"
#include "texts.h"
#include "tg_html.h"
#include "tg_reply.h"
#include "tg_update.h"
#include "utf8.h"

#define CASE_PREFIX "c"

int case_press_parse(const char *rest, int64_t *case_id, uint32_t *version, char *what,
                     size_t what_size, char *arg, size_t arg_size)
{
    struct args_press press;
    if (args_case_press(rest, &press) != 0 || strlen(press.what) >= what_size ||
        strlen(press.arg) >= arg_size)
        return -EINVAL;
    memcpy(what, press.what, strlen(press.what) + 1);
    memcpy(arg, press.arg, strlen(press.arg) + 1);
    *case_id = press.case_id;
    *version = press.version;
    return 0;
}

/* True when the press came from a message whose text the bot can edit: not
 * a document (the calendar files carry buttons too, under a caption). */
static bool pressed_on_text(const struct handler_ctx *ctx)
{
    return ctx->update->kind == UPDATE_CALLBACK && ctx->update->message_id &&
           !cJSON_GetObjectItemCaseSensitive(ctx->update->message, "document");
}

/* --- refusals -------------------------------------------------------------- */

int case_refusal_answer(struct handler_ctx *ctx, const struct db_case *c, int refusal,
                        const char *missing)
{
    struct app *app = ctx->app;
    if (refusal == WF_ERR_STALE || refusal == WF_ERR_WRONG_STATE) {
        /* Say who did what, and refresh the card the press came from. */
        struct db_audit_row last;
        int rc = db_audit_last(app->db, c->wf.case_id, &last);
        if (rc && rc != -ENOENT)
            return rc;
        if (rc == 0) {
            char when[48], key[48], name[DB_NAME_MAX];
            text_when(app->i18n, ctx->lang, last.at, when, sizeof when);
            snprintf(key, sizeof key, "event.%s", last.event);
            db_person_name(app->db, last.actor_id, name, sizeof name);
            char *answer = i18n_format(app->i18n, ctx->lang, "answer.stale", "event",
                                       i18n_text(app->i18n, ctx->lang, key), "who", name, "when",
                                       when, NULL);
            if (!answer)
                return -ENOMEM;
            reply_answer_html(ctx, answer, true);
            free(answer);
        } else {
            reply_answer(ctx, "error.stale_button", true);
        }
        return case_card_refresh(ctx, c);
    }
    if (refusal == WF_ERR_NOT_ALLOWED) {
        reply_answer(ctx, "answer.not_allowed", true);
        return 0;
    }
    if (refusal == WF_ERR_PRECONDITION) {
        char key[48];
        snprintf(key, sizeof key, "missing.%s", missing ? missing : "unknown");
        reply_answer(ctx, key, true);
        return 0;
    }
    reply_answer(ctx, "error.stale_button", false);
    return 0;
}

/* Redraws the card in message `message` of `chat` as the case stands now. */
static int card_redraw(struct handler_ctx *ctx, const struct db_case *c, int64_t chat,
                       int64_t message, bool with_buttons)
{
    int failed = 0, rc = -ENOMEM;
    cJSON *keyboard = NULL;
    char *html = case_card_text_for(ctx->app, c, ctx->lang, ctx->update->user_id, chat);
    if (!html)
        goto out;
    if (with_buttons)
        keyboard = case_card_keyboard(ctx->app, c, ctx->lang, &failed);
    if (!failed)
        rc = outbox_edit_text(ctx->app->db, chat, message, html, keyboard, ctx->now_ms);
out:
    cJSON_Delete(keyboard);
    free(html);
    return rc;
}

int case_card_refresh(struct handler_ctx *ctx, const struct db_case *c)
{
    if (!pressed_on_text(ctx))
        return 0;
    /* Buttons only for whoever may still act on it. */
    bool buttons = (wf_state_holder_role(c->wf.state) & (ctx->roles | ROLE_PELAKSANA)) != 0;
    return card_redraw(ctx, c, ctx->update->chat_id, ctx->update->message_id, buttons);
}

/* --- applying -------------------------------------------------------------- */

/* Applies the event and closes (or redraws) the card it came from; *chat and
 * *message say which card that was (0: none), *result what the core said
 * (result->audit.event is WF_EV_NONE when it refused). */
static int act_and_close(struct handler_ctx *ctx, struct db_case *c, const struct wf_event *event,
                         int64_t session_id, struct wf_result *result, int64_t *chat,
                         int64_t *message)
{
    int refusal = 0;
    const char *missing = NULL;
    *chat = *message = 0;
    int rc = case_flow_apply(ctx->app, c, event, &ctx->actor, ctx->now_ms, &refusal, &missing,
                             result);
    if (rc)
        return rc;
    if (refusal)
        return case_refusal_answer(ctx, c, refusal, missing);
    /* The sessions follow the case, in the same transaction. */
    rc = sessions_follow(ctx->app, c, event->kind, session_id, ctx->now_ms);
    if (rc)
        return rc;
    reply_answer(ctx, "answer.done", false);
    *chat = ctx->update->chat_id;
    *message = pressed_on_text(ctx) ? ctx->update->message_id : 0;
    if (ctx->update->kind != UPDATE_CALLBACK) {
        /* Acting from a prompt's answer: close the card the prompt came from. */
        *chat = ctx->prompt_chat;
        *message = ctx->prompt_message;
    }
    if (!*chat || !*message)
        return 0;
    bool still_holder = !wf_state_closed(c->wf.state) &&
                        result->audit.state_after == result->audit.state_before;
    if (still_holder) /* same step, a box ticked: the card stays, with its new buttons */
        return card_redraw(ctx, c, *chat, *message, true);
    return case_card_close(ctx->app, c, *chat, *message, ctx->lang, wf_event_name(event->kind),
                           result->audit.actor_id, result->audit.via_plh, result->audit.acted_as,
                           result->audit.at_ms, ctx->now_ms);
}

int case_act_session(struct handler_ctx *ctx, struct db_case *c, const struct wf_event *event,
                     int64_t session_id)
{
    struct wf_result result;
    int64_t chat, message;
    return act_and_close(ctx, c, event, session_id, &result, &chat, &message);
}

int case_act(struct handler_ctx *ctx, struct db_case *c, const struct wf_event *event)
{
    return case_act_session(ctx, c, event, 0);
}

/* Would the core accept this very event now? Asked before anything is
 * written that only the accepted event should write (the session offer). */
static int core_refusal(const struct handler_ctx *ctx, const struct db_case *c,
                        const struct wf_event *event, const char **missing)
{
    struct wf_result scratch;
    int refusal = wf_apply(&c->wf, event, &ctx->actor, ctx->now_ms, &scratch);
    *missing = scratch.missing;
    return refusal;
}

/* --- asking for words or a file -------------------------------------------- */

int case_prompt_remember(struct handler_ctx *ctx, const struct db_case *c, const char *action,
                         const char *arg, const char *want)
{
    cJSON *data = cJSON_CreateObject();
    if (!data)
        return -ENOMEM;
    /* The bot's message the question came from, closed once it is answered;
     * none when the question follows a typed message (not ours to edit). */
    bool pressed = pressed_on_text(ctx);
    cJSON_AddNumberToObject(data, "case", (double)c->wf.case_id);
    cJSON_AddNumberToObject(data, "version", c->wf.version);
    cJSON_AddStringToObject(data, "action", action);
    cJSON_AddStringToObject(data, "arg", arg ? arg : "");
    cJSON_AddStringToObject(data, "want", want);
    cJSON_AddNumberToObject(data, "chat", pressed ? (double)ctx->update->chat_id : 0);
    cJSON_AddNumberToObject(data, "message", pressed ? (double)ctx->update->message_id : 0);
    char *json = cJSON_PrintUnformatted(data);
    cJSON_Delete(data);
    if (!json)
        return -ENOMEM;
    int rc = db_conversation_set(ctx->app->db, ctx->update->user_id, "prompt", json,
                                 ctx->now_ms);
    free(json);
    return rc;
}

int case_prompt_start(struct handler_ctx *ctx, const struct db_case *c, const char *action,
                      const char *arg, const char *want, const char *prompt_key)
{
    int rc = case_prompt_remember(ctx, c, action, arg, want);
    if (rc)
        return rc;
    cJSON *force = cJSON_CreateObject();
    if (!force)
        return -ENOMEM;
    cJSON_AddBoolToObject(force, "force_reply", 1);
    rc = reply_text(ctx, force, prompt_key, "number", c->number, NULL);
    cJSON_Delete(force);
    reply_answer(ctx, "answer.prompted", false);
    return rc;
}

/* The Pelaksana to choose from, as buttons "c:<case>:<version>:<action>:<id>". */
static int pelaksana_picker(struct handler_ctx *ctx, const struct db_case *c, const char *action)
{
    struct db_official list[PEOPLE_MAX];
    size_t count = 0;
    int rc = db_officials_list(ctx->app->db, ROLE_PELAKSANA, list, PEOPLE_MAX, &count);
    if (rc)
        return rc;
    if (count == 0) {
        reply_answer(ctx, "answer.no_pelaksana", true);
        return 0;
    }
    cJSON *keyboard = keyboard_new();
    rc = keyboard ? 0 : -ENOMEM;
    for (size_t i = 0; !rc && i < count; i++) {
        cJSON *row = keyboard_row(keyboard);
        char data[KEYBOARD_DATA_MAX + 1];
        snprintf(data, sizeof data, CASE_PREFIX ":%" PRId64 ":%" PRIu32 ":%s:%" PRId64,
                 c->wf.case_id, c->wf.version, action, list[i].telegram_id);
        rc = row ? keyboard_button(row, list[i].name, data) : -ENOMEM;
    }
    if (!rc)
        rc = reply_text(ctx, keyboard, "prompt.choose_pelaksana", "number", c->number, NULL);
    cJSON_Delete(keyboard);
    reply_answer(ctx, "answer.choose", false);
    return rc;
}

static int parse_pelaksana(struct handler_ctx *ctx, const char *arg, int64_t *id)
{
    uint64_t value = 0;
    struct db_official official;
    if (args_decimal(arg, INT64_MAX, &value) != 0 || value == 0 ||
        db_official_get(ctx->app->db, value, &official) != 0 || official.role != ROLE_PELAKSANA)
        return -EINVAL;
    *id = (int64_t)value;
    return 0;
}

/* --- what some actions need first ------------------------------------------ */

/* Steps 1-2: the disposition sheet's choices, kept on the card until sent.
 * Forwarding without choosing is the one-tap default: the first
 * instruction ("Selesaikan / tindak lanjuti"). */
static int record_disposition(struct handler_ctx *ctx, const struct db_case *c)
{
    int step = wf_state_step(c->wf.state);
    char *json = NULL;
    cJSON *draft = NULL;
    if (db_card_draft_get(ctx->app->db, c->wf.case_id, step, &json) == 0)
        draft = cJSON_Parse(json);
    free(json);
    const cJSON *chosen = cJSON_GetObjectItemCaseSensitive(draft, "i");
    struct db_disposition d = { .step = step, .author_id = ctx->actor.user_id, .at = ctx->now_ms };
    enum role needed = step == 1 ? ROLE_KADIS : ROLE_KABID;
    d.via_plh = !(ctx->actor.roles & needed);
    snprintf(d.acted_as, sizeof d.acted_as, "%s", role_key(needed));
    const cJSON *item;
    size_t length = 0;
    cJSON_ArrayForEach(item, chosen) {
        int index = 0;
        if (json_number_int(item, 0, INT32_MAX, &index) != 0)
            continue;
        length += (size_t)snprintf(d.instructions + length, sizeof d.instructions - length,
                                   "%s%d", length ? "," : "", index);
        if (length >= sizeof d.instructions)
            break;
    }
    if (length == 0)
        snprintf(d.instructions, sizeof d.instructions, "0");
    const cJSON *sifat = cJSON_GetObjectItemCaseSensitive(draft, "s");
    snprintf(d.sifat, sizeof d.sifat, "%s", cJSON_IsString(sifat) ? sifat->valuestring : "biasa");
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(draft, "r")))
        snprintf(d.sifat + strlen(d.sifat), sizeof d.sifat - strlen(d.sifat), "%s", "+rahasia");
    const cJSON *note = cJSON_GetObjectItemCaseSensitive(draft, "n");
    if (cJSON_IsString(note))
        utf8_copy(d.note, sizeof d.note, note->valuestring);
    cJSON_Delete(draft);
    int rc = db_disposition_add(ctx->app->db, c->wf.case_id, &d);
    if (!rc)
        rc = db_card_draft_clear(ctx->app->db, c->wf.case_id, step);
    return rc;
}

/* Stores a generated letter as the case's file of `kind`. */
static int store_letter(struct handler_ctx *ctx, const struct db_case *c, const char *kind,
                        int (*make)(struct app *, const struct db_case *, unsigned char **,
                                    size_t *))
{
    unsigned char *pdf = NULL;
    size_t size = 0;
    int rc = make(ctx->app, c, &pdf, &size);
    if (rc)
        return rc;
    struct db_file f = { .case_id = c->wf.case_id, .uploaded_by = 0, .created_at = ctx->now_ms };
    snprintf(f.kind, sizeof f.kind, "%s", kind);
    snprintf(f.file_name, sizeof f.file_name, "%s-%s.pdf", kind, c->number);
    snprintf(f.mime_type, sizeof f.mime_type, "application/pdf");
    int64_t row = 0;
    rc = db_file_add(ctx->app->db, &f, pdf, size, &row);
    free(pdf);
    /* The Kasi prepares the letters: they see what was generated. */
    return rc ? rc : letters_send_to_kasi(ctx->app, c, kind, row, ctx->now_ms);
}

static bool checklist_all_ok(struct app *app, const struct db_case *c)
{
    struct db_holder holders[DB_HOLDERS_MAX];
    struct db_check checks[DB_CHECKS_MAX];
    size_t holder_count = 0, check_count = 0;
    if (db_holders_list(app->db, c->wf.case_id, holders, DB_HOLDERS_MAX, &holder_count) != 0 ||
        db_checks_list(app->db, c->wf.case_id, checks, DB_CHECKS_MAX, &check_count) != 0)
        return false;
    size_t ok = 0;
    for (size_t i = 0; i < check_count; i++)
        ok += checks[i].status == CHECK_OK;
    return holder_count > 0 && ok == holder_count * card_check_item_count(app);
}

/* Step 7: the report's ticks and remarks as the event's note. */
static char *report_note(struct handler_ctx *ctx, const struct db_case *c, bool *complete)
{
    cJSON *draft = case_draft_get(ctx->app, c->wf.case_id, 7);
    struct db_holder holders[DB_HOLDERS_MAX];
    size_t holder_count = 0;
    if (!draft || db_holders_list(ctx->app->db, c->wf.case_id, holders, DB_HOLDERS_MAX,
                                  &holder_count) != 0) {
        cJSON_Delete(draft);
        return NULL;
    }
    struct text t;
    text_init(&t, ctx->app->i18n, "id"); /* the record is the agency's, in Indonesian */
    *complete = holder_count > 0;
    for (size_t h = 0; h < holder_count; h++) {
        char item[32];
        snprintf(item, sizeof item, "login%zu", h + 1);
        bool on = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(draft, item));
        *complete &= on;
        text_add(&t, on ? "report.line_login_yes" : "report.line_login_no", "name",
                 holders[h].name, NULL);
    }
    static const char *const items[] = { "usage", "security" };
    for (size_t i = 0; i < 2; i++) {
        bool on = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(draft, items[i]));
        char key[48];
        snprintf(key, sizeof key, "report.%s", items[i]);
        *complete &= on;
        text_add(&t, on ? "report.line_yes" : "report.line_no", "item",
                 i18n_text(ctx->app->i18n, "id", key), NULL);
    }
    const cJSON *note = cJSON_GetObjectItemCaseSensitive(draft, "note");
    if (cJSON_IsString(note))
        text_add(&t, "report.remarks", "note", note->valuestring, NULL);
    cJSON_Delete(draft);
    /* The note is stored and shown as plain text, without the first line break. */
    char *html = text_take(&t);
    char *plain = html ? tg_html_plain(html[0] == '\n' ? html + 1 : html) : NULL;
    free(html);
    return plain;
}

/* --- sessions ----------------------------------------------------------------- */

/* "Send the offer": the drafts are checked again in this transaction, become
 * the offer, and the applicant gets the card with one button per slot. */
static int send_offer(struct handler_ctx *ctx, struct db_case *c, struct wf_event *event)
{
    char *refusal = NULL;
    int rc = sessions_offer_prepare(ctx->app, c, ctx->lang, ctx->now_ms, event, &refusal);
    if (rc)
        return rc;
    if (refusal) {
        reply_answer_html(ctx, refusal, true);
        rc = reply_html(ctx, refusal, NULL);
        free(refusal);
        return rc;
    }
    /* The offer is written only if the core accepts it, as the applicant's
     * card (drawn while the event is applied) lists it. */
    const char *missing = NULL;
    int refused = core_refusal(ctx, c, event, &missing);
    if (refused)
        return case_refusal_answer(ctx, c, refused, missing);
    rc = sessions_offer_send(ctx->app, c, ctx->now_ms);
    return rc ? rc : case_act(ctx, c, event);
}

/* The applicant's choice: the slot must belong to this offer and still be
 * free and ahead (it is checked again here, in this transaction). */
static int choose_slot(struct handler_ctx *ctx, struct db_case *c, struct wf_event *event,
                       const char *arg)
{
    uint64_t id = 0;
    struct db_session s;
    int rc = args_decimal(arg, INT64_MAX, &id) != 0 || id == 0
                 ? -ENOENT
                 : db_session_get(ctx->app->db, (int64_t)id, &s);
    if (rc == -ENOENT || (!rc && (s.case_id != c->wf.case_id || s.status != SESSION_OFFERED))) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    if (rc)
        return rc;
    char *refusal = NULL;
    rc = sessions_choice_refusal(ctx->app, &s, ctx->lang, (ctx->roles & ROLE_OFFICIAL) != 0,
                                 ctx->now_ms, &refusal);
    if (refusal)
        reply_answer_html(ctx, refusal, true);
    free(refusal);
    if (rc || refusal)
        return rc;
    event->pelaksana_id = s.pelaksana_id;
    event->session_at_ms = s.start_at;
    utf8_copy(c->session_place, sizeof c->session_place, s.place);
    return case_act_session(ctx, c, event, s.id);
}

/* --- the press ------------------------------------------------------------- */

/* What a card's button asks for, read from its fields alone; WF_EV_NONE for
 * anything no card draws (the framework answers it, target.h). */
static enum wf_event_kind press_event(const struct args_press *press)
{
    char arg[ARGS_PRESS_ARG];
    /* Ya/Batal of an irreversible action: its own data and the answer. */
    char answer = case_confirm_split(press->arg, arg, sizeof arg);
    if (answer && wf_event_parse(press->what) != WF_EV_RETURN &&
        wf_event_parse(press->what) != WF_EV_SIGN &&
        !(wf_event_parse(press->what) == WF_EV_BSRE_REPLY && strcmp(arg, "rejected") == 0))
        return WF_EV_NONE;
    if (strcmp(press->what, "upload_draft") == 0)
        return arg[0] ? WF_EV_NONE : WF_EV_SET_DRAFT_READY;
    enum wf_event_kind kind = wf_event_parse(press->what);
    bool takes_arg = kind == WF_EV_BSRE_REPLY || kind == WF_EV_FORWARD ||
                     kind == WF_EV_PROPOSE_SESSION || kind == WF_EV_CONFIRM_SESSION;
    if (kind == WF_EV_SUBMIT || kind == WF_EV_REASSIGN || (arg[0] && !takes_arg))
        return WF_EV_NONE;
    if (kind == WF_EV_BSRE_REPLY && wf_bsre_outcome_parse(arg) == WF_BSRE_NONE)
        return WF_EV_NONE;
    return kind;
}

/* The work some actions need before the core is asked: the disposition's
 * record, the checklist's ticks, a letter made, the Pelaksana chosen. 0 with
 * *answered set when the person has been told why not (yet). */
static int prepare(struct handler_ctx *ctx, struct db_case *c, struct wf_event *event,
                   const char *arg, bool *answered)
{
    int rc = 0;
    *answered = false;
    switch (event->kind) {
    case WF_EV_DISPOSE: {
        rc = record_disposition(ctx, c);
        break;
    }
    case WF_EV_SET_CHECKLIST_COMPLETE:
        if (!checklist_all_ok(ctx->app, c)) {
            reply_answer(ctx, "answer.checklist_open", true);
            *answered = true;
        }
        break;
    case WF_EV_SET_DRAFT_READY:
        rc = store_letter(ctx, c, "draft", letters_recommendation);
        break;
    case WF_EV_FORWARD:
        *answered = true;
        if (!arg[0])
            rc = pelaksana_picker(ctx, c, "forward");
        else if (parse_pelaksana(ctx, arg, &event->pelaksana_id) != 0)
            reply_answer(ctx, "error.stale_button", false);
        else
            *answered = false;
        break;
    case WF_EV_ASK_SIGNATURE:
        if (c->wf.state == WF_S6_SURAT_KASI)
            rc = store_letter(ctx, c, "notification", letters_notification);
        break;
    case WF_EV_SIGN:
        /* The number is given in the signing's transaction (letters_sign.h). */
        rc = letters_sign_press(ctx, c);
        break;
    default:
        break;
    }
    return rc;
}

static int press_propose(struct handler_ctx *ctx, struct db_case *c, struct wf_event *event,
                         const char *arg)
{
    if (!arg[0])
        return slot_picker_open(ctx, c, false);
    if (strcmp(arg, "send") != 0) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    return send_offer(ctx, c, event);
}

static int press_sent_to_bsre(struct handler_ctx *ctx, struct db_case *c, struct wf_event *event)
{
    struct app *app = ctx->app;
    /* Without an address the history says so, not "Dikirim ke -". */
    char *note = app->cfg->bsre_email
                     ? i18n_format(app->i18n, "id", "record.sent_to_bsre", "email",
                                   app->cfg->bsre_email, NULL)
                     : i18n_format(app->i18n, "id", "mail.record_manual", NULL);
    if (!note)
        return -ENOMEM;
    event->note = note;
    int rc = case_act(ctx, c, event);
    /* Recorded by hand (mail down or refused): a mail still queued for the
     * case would reach BSrE a second time, so it is withdrawn. */
    if (!rc && c->wf.state != WF_S4_KIRIM_BSRE)
        rc = db_mail_withdraw_case(app->db, c->wf.case_id, "withdrawn: recorded as sent by hand",
                                   clock_now_ms(&app->wall));
    event->note = NULL;
    free(note);
    return rc;
}

static int press_report(struct handler_ctx *ctx, struct db_case *c, struct wf_event *event)
{
    bool complete = false;
    char *note = report_note(ctx, c, &complete);
    if (!note)
        return -ENOMEM;
    int rc = 0;
    if (!complete) {
        reply_answer(ctx, "answer.report_open", true);
        goto out;
    }
    event->note = note;
    rc = case_act(ctx, c, event);
    if (!rc && c->wf.state == WF_CLOSED_SELESAI) /* the register, in this transaction */
        rc = certificates_record_case(ctx, c, NULL);
    event->note = NULL;
out:
    free(note);
    return rc;
}

/* Actions that need words or a file first: the bot asks, and the answer
 * comes to case_prompt_finish. False when the action needs none. */
static bool asks_first(struct handler_ctx *ctx, const struct db_case *c, enum wf_event_kind kind,
                       const struct args_press *press, int *rc)
{
    if (strcmp(press->what, "upload_draft") == 0)
        *rc = case_prompt_start(ctx, c, "upload_draft", "", "file", "prompt.upload_draft");
    else if (wf_event_needs_note(c->wf.state, kind)) {
        char key[48];
        snprintf(key, sizeof key, "prompt.note.%s", wf_event_name(kind));
        *rc = case_prompt_start(ctx, c, press->what, press->arg, "note", key);
    } else if (kind == WF_EV_UPLOAD_SIGNED)
        *rc = case_prompt_start(ctx, c, press->what, "", "file", "prompt.upload_signed");
    else if (kind == WF_EV_BSRE_REPLY)
        *rc = case_prompt_start(ctx, c, press->what, press->arg, "file_or_note",
                                "prompt.bsre_reply");
    else
        return false;
    return true;
}

/* --- second thoughts (case_confirm.h) --------------------------------------- */

/* Ya: the action is taken, with its number for a signature, and the actor
 * may undo it within the minute (case_undo.c). */
static int act_confirmed(struct handler_ctx *ctx, struct db_case *c, const struct wf_event *event)
{
    struct db_undo undo;
    int rc = case_undo_prepare(ctx, c, &undo);
    if (!rc && event->kind == WF_EV_SIGN)
        rc = letters_sign_press(ctx, c); /* the number, in this transaction (letters_sign.h) */
    if (rc)
        return rc;
    struct wf_case before = c->wf;
    struct wf_result result;
    int64_t chat, message;
    rc = act_and_close(ctx, c, event, 0, &result, &chat, &message);
    if (rc || result.audit.event == WF_EV_NONE)
        return rc;
    return case_undo_offer(ctx, c, &before, event, &result, &undo, chat, message);
}

/* The second tap: Batal restores the card, Ya acts (with the note the
 * presser typed for it, which waited with them). */
static int press_answer(struct handler_ctx *ctx, struct db_case *c, struct wf_event *event,
                        const char *event_arg, char answer)
{
    if (!case_confirm_needed(c, event)) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    if (answer == 'n')
        return case_confirm_cancel(ctx, c);
    char note[CASE_NOTE_MAX + 1] = "";
    if (wf_event_needs_note(c->wf.state, event->kind) || event->kind == WF_EV_BSRE_REPLY) {
        int rc = case_confirm_take_note(ctx, c, wf_event_name(event->kind), event_arg, note,
                                        sizeof note, &event->reply_at_ms);
        if (rc == -ENOENT) {
            reply_answer(ctx, "confirm.expired", true);
            return case_card_refresh(ctx, c);
        }
        if (rc)
            return rc;
        event->note = note[0] ? note : NULL;
    }
    int rc = act_confirmed(ctx, c, event);
    event->note = NULL;
    return rc;
}

/* A card's button, its case loaded and the presser's right to take the
 * event checked by the framework (handler_case_action's target). */
static int run_case_action(struct handler_ctx *ctx)
{
    struct target *t = ctx->target;
    struct db_case *c = &t->case_row;
    const char *arg = t->press.arg;
    struct wf_event event = { .kind = t->event, .expected_version = c->wf.version };
    bool replaced = false; /* step 7 has one live card (session_card.h) */
    int rc = session_card_check(ctx, c, &replaced);
    if (rc || replaced)
        return rc;
    /* A new time first, then the reason (slot_picker.c). */
    if (event.kind == WF_EV_RESCHEDULE_SESSION)
        return slot_picker_open(ctx, c, true);
    char event_arg[ARGS_PRESS_ARG];
    char answer = case_confirm_split(arg, event_arg, sizeof event_arg);
    if (event.kind == WF_EV_BSRE_REPLY)
        event.bsre_outcome = wf_bsre_outcome_parse(event_arg);
    if (answer)
        return press_answer(ctx, c, &event, event_arg, answer);
    if (asks_first(ctx, c, event.kind, &t->press, &rc))
        return rc;
    /* The signature's first tap asks (a return's and a rejection's ask once
     * their note is in: case_prompt.c). */
    if (case_confirm_needed(c, &event))
        return case_confirm_ask(ctx, c, &event, event_arg);
    switch (event.kind) {
    case WF_EV_PROPOSE_SESSION:
        return press_propose(ctx, c, &event, arg);
    case WF_EV_CONFIRM_SESSION:
        return choose_slot(ctx, c, &event, arg);
    case WF_EV_SENT_TO_BSRE:
        return press_sent_to_bsre(ctx, c, &event);
    case WF_EV_REPORT:
        return press_report(ctx, c, &event);
    default:
        break;
    }
    bool answered = false;
    rc = prepare(ctx, c, &event, arg, &answered);
    if (rc || answered)
        return rc;
    return case_act(ctx, c, &event);
}

const struct handler_entry handler_case_action = {
    .name = "case_action",
    .callback_prefix = CASE_PREFIX,
    .roles = ROLE_ANYONE, /* the workflow core decides, per case and step */
    .target = TARGET_CASE_AT_STEP,
    .target_checks = TARGET_MAY_APPLY,
    .target_event_of = press_event,
    .run = run_case_action,
};

int case_card_choice_allowed(struct handler_ctx *ctx, const struct db_case *c, uint32_t version,
                             enum wf_event_kind kind, int *refused)
{
    *refused = 1;
    struct wf_verdict v;
    /* Version 0 is "do not check" to the core; no card carries it. */
    int refusal = version == 0 ? WF_ERR_STALE
                               : wf_may(&c->wf, kind, version, &ctx->actor, &v);
    /* A choice on the card is allowed to whoever may take the card's action,
     * whether or not that action could go ahead yet. */
    if (refusal && refusal != WF_ERR_PRECONDITION)
        return case_refusal_answer(ctx, c, refusal, refusal == WF_ERR_STALE ? NULL : v.missing);
    *refused = 0;
    return 0;
}

/* Redraws just the buttons of the card a choice was made on. */
int case_card_buttons_refresh(struct handler_ctx *ctx, const struct db_case *c)
{
    int failed = 0, rc = -ENOMEM;
    cJSON *keyboard = case_card_keyboard(ctx->app, c, ctx->lang, &failed);
    cJSON *params = failed ? NULL : cJSON_CreateObject();
    if (!params)
        goto out;
    cJSON_AddNumberToObject(params, "message_id", (double)ctx->update->message_id);
    if (keyboard) {
        cJSON_AddItemToObject(params, "reply_markup", keyboard);
        keyboard = NULL; /* the params own it now */
    }
    rc = outbox_call(ctx->app->db, ctx->update->chat_id, "editMessageReplyMarkup", params,
                     ctx->now_ms);
out:
    cJSON_Delete(params);
    cJSON_Delete(keyboard);
    return rc;
}
