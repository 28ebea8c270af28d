/* The answers to the bot's questions about a case: a note (a return's
 * reason, the missing documents, why a session moves), a file (the signed
 * letter, a draft), BSrE's reply, a session's time or place typed at the
 * picker (slot_picker.c). The question was asked by case_prompt_start (or
 * case_prompt_remember); the answer arrives as the person's next message. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "case_action.h"
#include "case_card.h"
#include "case_confirm.h"
#include "certificates_record.h"
#include "db_registry.h"
#include "file_limit.h"
#include "i18n.h"
#include "json_number.h"
#include "keyboard.h"
#include "office_calendar.h"
#include "people.h"
#include "sessions.h"
#include "slot_picker.h"
#include "texts.h"
#include "tg_html.h"
#include "tg_reply.h"
#include "tg_update.h"
#include "utf8.h"

#define NOTE_MAX 1000

int case_store_attachment(struct handler_ctx *ctx, const struct db_case *c, const char *kind,
                          int64_t *file_row)
{
    const cJSON *message = ctx->update->message;
    const cJSON *document = cJSON_GetObjectItemCaseSensitive(message, "document");
    const cJSON *photo = cJSON_GetObjectItemCaseSensitive(message, "photo");
    struct db_file f = { .case_id = c ? c->wf.case_id : 0, .uploaded_by = ctx->update->user_id,
                         .created_at = ctx->now_ms };
    snprintf(f.kind, sizeof f.kind, "%s", kind);
    const cJSON *source = NULL;
    if (cJSON_IsObject(document)) {
        source = document;
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(document, "file_name");
        const cJSON *mime = cJSON_GetObjectItemCaseSensitive(document, "mime_type");
        snprintf(f.file_name, sizeof f.file_name, "%s",
                 cJSON_IsString(name) ? name->valuestring : "document");
        snprintf(f.mime_type, sizeof f.mime_type, "%s",
                 cJSON_IsString(mime) ? mime->valuestring : "application/octet-stream");
    } else if (cJSON_IsArray(photo) && cJSON_GetArraySize(photo) > 0) {
        /* Telegram lists a photo's sizes smallest first: keep the largest. */
        source = cJSON_GetArrayItem(photo, cJSON_GetArraySize(photo) - 1);
        snprintf(f.file_name, sizeof f.file_name, "photo-%" PRId64 ".jpg", ctx->update->message_id);
        snprintf(f.mime_type, sizeof f.mime_type, "image/jpeg");
    }
    const cJSON *file_id = cJSON_GetObjectItemCaseSensitive(source, "file_id");
    if (!cJSON_IsString(file_id) || !file_id->valuestring[0])
        return -ENOENT;
    int64_t size = 0;
    if (tg_file_too_big(source, &size)) {
        int rc = file_limit_refuse(ctx, size);
        return rc ? rc : -EFBIG;
    }
    snprintf(f.file_id, sizeof f.file_id, "%s", file_id->valuestring);
    int rc = db_file_add(ctx->app->db, &f, NULL, 0, file_row);
    if (!rc)
        rc = db_download_queue(ctx->app->db, *file_row);
    return rc;
}

/* The text of the answer, trimmed; NULL when the message has none. A
 * document's caption counts as its text. */
static const char *answer_text(struct handler_ctx *ctx, char *buf, size_t size)
{
    const char *text = ctx->update->text;
    if (!text)
        return NULL;
    while (*text == ' ' || *text == '\n')
        text++;
    utf8_copy(buf, size, text);
    size_t n = strlen(buf);
    while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '\n'))
        buf[--n] = '\0';
    return n ? buf : NULL;
}

static int draft_put(struct app *app, int64_t case_id, int step, const char *key, cJSON *value)
{
    char *json = NULL;
    cJSON *draft = NULL;
    if (db_card_draft_get(app->db, case_id, step, &json) == 0)
        draft = cJSON_Parse(json);
    free(json);
    if (!draft)
        draft = cJSON_CreateObject();
    if (!draft || !value) {
        cJSON_Delete(draft);
        cJSON_Delete(value);
        return -ENOMEM;
    }
    cJSON_DeleteItemFromObjectCaseSensitive(draft, key);
    cJSON_AddItemToObject(draft, key, value);
    char *out = cJSON_PrintUnformatted(draft);
    cJSON_Delete(draft);
    if (!out)
        return -ENOMEM;
    int rc = db_card_draft_set(app->db, case_id, step, out);
    free(out);
    return rc;
}

int case_draft_put(struct app *app, int64_t case_id, int step, const char *key, cJSON *value)
{
    return draft_put(app, case_id, step, key, value);
}

cJSON *case_draft_get(struct app *app, int64_t case_id, int step)
{
    char *json = NULL;
    cJSON *draft = NULL;
    if (db_card_draft_get(app->db, case_id, step, &json) == 0)
        draft = cJSON_Parse(json);
    free(json);
    return draft ? draft : cJSON_CreateObject();
}

/* The reason a session is moved: the time chosen in the picker (the
 * prompt's arg) is checked again now, in this transaction, as a while may
 * have passed since it was picked. */
static int reschedule_answer(struct handler_ctx *ctx, struct db_case *c, const char *arg,
                             struct wf_event *event)
{
    char *end;
    long long start = strtoll(arg, &end, 10);
    struct db_session s;
    int rc = end == arg || *end || start <= 0 ? -ENOENT
                                              : sessions_confirmed(ctx->app, c->wf.case_id, &s);
    if (rc == -ENOENT)
        return reply_text(ctx, NULL, "prompt.expired", NULL);
    if (rc)
        return rc;
    struct db_session conflict;
    int problem = sessions_check(ctx->app, 0, s.id, s.pelaksana_id, start,
                                 start + (s.end_at - s.start_at), ctx->now_ms, &conflict);
    if (problem < 0)
        return problem;
    if (problem > 0) {
        char *html = sessions_refusal_html(ctx->app, ctx->lang, "schedule.refused", NULL, problem,
                                           &conflict, (ctx->roles & ROLE_OFFICIAL) != 0);
        rc = html ? reply_html(ctx, html, NULL) : -ENOMEM;
        free(html);
        return rc;
    }
    event->session_at_ms = start;
    return case_act(ctx, c, event);
}

/* The question as it was asked (case_prompt_start's JSON); its strings
 * belong to the parsed JSON. */
struct prompt {
    const char *action; /* what the answer finishes */
    const char *arg;
    const char *want;   /* "note", "file", "file_or_note", "slot", "move", "place" */
};

/* Reads the question and loads its case; -ENOENT when the question no
 * longer stands (malformed, or the case moved on while it was open). */
static int prompt_read(struct handler_ctx *ctx, const cJSON *data, struct prompt *p,
                       struct db_case *c)
{
    int64_t case_id = tg_json_id(data, "case");
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(data, "version");
    const cJSON *action = cJSON_GetObjectItemCaseSensitive(data, "action");
    const cJSON *arg = cJSON_GetObjectItemCaseSensitive(data, "arg");
    const cJSON *want = cJSON_GetObjectItemCaseSensitive(data, "want");
    ctx->prompt_chat = tg_json_id(data, "chat");
    ctx->prompt_message = tg_json_id(data, "message");
    int64_t expected_version = 0;
    if (!case_id || json_number_int64(version, 1, UINT32_MAX, &expected_version) != 0 ||
        !cJSON_IsString(action) || !cJSON_IsString(want) || !cJSON_IsString(arg) ||
        db_case_get(ctx->app->db, case_id, c) != 0 || (uint32_t)expected_version != c->wf.version)
        return -ENOENT;
    *p = (struct prompt){ .action = action->valuestring, .arg = arg->valuestring,
                          .want = want->valuestring };
    return 0;
}

/* The session picker's typed answers (slot_picker.c). */
static int finish_picker(struct handler_ctx *ctx, struct db_case *c, const struct prompt *p,
                         const char *text)
{
    if (strcmp(p->want, "place") == 0)
        return slot_picker_place(ctx, c, p->arg, text);
    bool move = p->want[0] == 'm';
    return text ? slot_picker_typed(ctx, c, text, move)
                : reply_text(ctx, NULL, move ? "schedule.typed.format_move"
                                             : "schedule.typed.format", NULL);
}

/* The sentence asking again when the answer is not of the kind wanted;
 * NULL when it is. */
static const char *wrong_answer_key(const char *want, const char *text, bool has_file)
{
    if (strcmp(want, "note") == 0 && !text)
        return "prompt.want_text";
    if (strcmp(want, "file") == 0 && !has_file)
        return "prompt.want_file";
    if (strcmp(want, "file_or_note") == 0 && !has_file && !text)
        return "prompt.want_file_or_text";
    return NULL;
}

/* A note kept on a card until its action is taken. */
static int finish_draft_note(struct handler_ctx *ctx, const struct db_case *c, int draft_step,
                             const char *text)
{
    int rc = draft_put(ctx->app, c->wf.case_id, draft_step, draft_step == 7 ? "note" : "n",
                       cJSON_CreateString(text));
    if (!rc)
        rc = db_conversation_clear(ctx->app->db, ctx->update->user_id);
    if (!rc)
        rc = reply_text(ctx, NULL, "prompt.note_saved", NULL);
    return rc;
}

/* What is missing of one checklist item ("<holder>:<item>", checklist.c). */
static int finish_check_note(struct handler_ctx *ctx, const struct db_case *c, const char *arg,
                             const char *text)
{
    struct app *app = ctx->app;
    int holder = 0, item = 0;
    struct db_holder holders[DB_HOLDERS_MAX];
    size_t count = 0;
    int rc = sscanf(arg, "%d:%d", &holder, &item) == 2 ? 0 : -EINVAL;
    if (!rc)
        rc = db_holders_list(app->db, c->wf.case_id, holders, DB_HOLDERS_MAX, &count);
    if (!rc && (holder < 1 || (size_t)holder > count))
        rc = -EINVAL;
    char item_key[16];
    snprintf(item_key, sizeof item_key, "%d", item);
    if (!rc)
        rc = db_check_set(app->db, c->wf.case_id, holders[holder - 1].id, item_key,
                          CHECK_MISSING, text);
    if (!rc)
        rc = db_conversation_clear(app->db, ctx->update->user_id);
    if (!rc)
        rc = reply_text(ctx, NULL, "prompt.note_saved", NULL);
    return rc == -EINVAL ? reply_text(ctx, NULL, "prompt.expired", NULL) : rc;
}

/* The rest finish a workflow event, with the file the answer carries. */
static int finish_event(struct handler_ctx *ctx, struct db_case *c, const struct prompt *p,
                        const char *text, bool has_file)
{
    bool upload_draft = strcmp(p->action, "upload_draft") == 0;
    struct wf_event event = {
        .kind = upload_draft ? WF_EV_SET_DRAFT_READY : wf_event_parse(p->action),
        .expected_version = c->wf.version,
        .note = text,
    };
    if (event.kind == WF_EV_BSRE_REPLY)
        event.bsre_outcome = wf_bsre_outcome_parse(p->arg);
    int rc = 0;
    if (has_file && strcmp(p->want, "note") != 0) {
        const char *file_kind = upload_draft                          ? "draft"
                                : event.kind == WF_EV_UPLOAD_SIGNED   ? "signed_recommendation"
                                : event.kind == WF_EV_BSRE_REPLY      ? "bsre_reply"
                                                                      : "attachment";
        int64_t file_row = 0;
        rc = case_store_attachment(ctx, c, file_kind, &file_row);
        if (rc && rc != -ENOENT)
            return rc == -EFBIG ? 0 : rc; /* refused; the question stays open */
    }
    rc = db_conversation_clear(ctx->app->db, ctx->update->user_id);
    if (!rc && event.kind == WF_EV_RESCHEDULE_SESSION)
        rc = reschedule_answer(ctx, c, p->arg, &event);
    else if (!rc && case_confirm_needed(c, &event))
        rc = case_confirm_ask(ctx, c, &event, p->arg); /* asked where it would act */
    else if (!rc)
        rc = case_act(ctx, c, &event);
    if (!rc && ctx->answer[0]) {
        /* No phone notification for a message: say it in the chat. */
        char *html = tg_html_escape(ctx->answer);
        rc = html ? reply_html(ctx, html, NULL) : -ENOMEM;
        free(html);
        ctx->answer[0] = '\0';
    }
    return rc;
}

int case_prompt_finish(struct handler_ctx *ctx, const char *data_json)
{
    cJSON *data = cJSON_Parse(data_json);
    struct prompt p;
    struct db_case c;
    int rc = 0;
    if (prompt_read(ctx, data, &p, &c) != 0) {
        /* The case moved on while the question was open. */
        rc = db_conversation_clear(ctx->app->db, ctx->update->user_id);
        if (!rc)
            rc = reply_text(ctx, NULL, "prompt.expired", NULL);
        goto out;
    }
    char buf[NOTE_MAX + 1];
    const char *text = answer_text(ctx, buf, sizeof buf);
    bool has_file = cJSON_GetObjectItemCaseSensitive(ctx->update->message, "document") ||
                    cJSON_GetObjectItemCaseSensitive(ctx->update->message, "photo");
    const char *wrong = wrong_answer_key(p.want, text, has_file);
    int draft_step = strcmp(p.action, "disposition_note") == 0 ? wf_state_step(c.wf.state)
                     : strcmp(p.action, "report_note") == 0    ? 7
                                                                : 0;
    if (strcmp(p.want, "slot") == 0 || strcmp(p.want, "move") == 0 ||
        strcmp(p.want, "place") == 0)
        rc = finish_picker(ctx, &c, &p, text);
    else if (wrong)
        rc = reply_text(ctx, NULL, wrong, NULL);
    else if (draft_step)
        rc = finish_draft_note(ctx, &c, draft_step, text);
    else if (strcmp(p.action, "report_valid") == 0)
        rc = certificates_valid_answer(ctx, &c, text);
    else if (strcmp(p.action, "check_note") == 0)
        rc = finish_check_note(ctx, &c, p.arg, text);
    else
        rc = finish_event(ctx, &c, &p, text, has_file);
out:
    cJSON_Delete(data);
    return rc;
}
