/* Sending the recommendation to BSrE by e-mail (mail_send.h). */
#include "mail_send.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app.h"
#include "case_action.h"
#include "case_card.h"
#include "case_flow.h"
#include "config.h"
#include "db.h"
#include "db_mail.h"
#include "db_registry.h"
#include "handler.h"
#include "i18n.h"
#include "keyboard.h"
#include "log.h"
#include "mail_compose.h"
#include "mail_sender.h"
#include "outbox.h"
#include "people.h"
#include "revoke.h"
#include "texts.h"
#include "tg_html.h"
#include "tg_update.h"

#define MAIL_PREFIX "m"
#define MAIL_FILES_MAX 24

/* The files that go with the letter: the signed recommendation (latest) and
 * what the applicant sent (request letter, documents), oldest first. */
static int mail_files(struct app *app, int64_t case_id, struct db_file *out, size_t *count)
{
    *count = 0;
    struct db_file *all = calloc(MAIL_FILES_MAX, sizeof *all);
    if (!all)
        return -ENOMEM;
    int rc = db_file_latest(app->db, case_id, "signed_recommendation", &out[0]);
    if (rc == 0)
        *count = 1;
    size_t n = 0;
    if (rc == 0 || rc == -ENOENT)
        rc = db_files_list(app->db, case_id, all, MAIL_FILES_MAX, &n);
    for (size_t i = 0; !rc && i < n && *count < MAIL_FILES_MAX; i++)
        if (strcmp(all[i].kind, "request_letter") == 0 ||
            strcmp(all[i].kind, "applicant_document") == 0)
            out[(*count)++] = all[i];
    free(all);
    return rc;
}

/* A file's size as people read it; "" while it is still being fetched. */
static void size_text(const struct db_file *f, char *out, size_t size)
{
    struct stat st;
    long long bytes = f->content_size > 0 ? (long long)f->content_size
                      : f->local_path[0] && stat(f->local_path, &st) == 0 ? (long long)st.st_size
                                                                         : -1;
    if (bytes < 0)
        snprintf(out, size, "…");
    else if (bytes < 1024)
        snprintf(out, size, "%lld B", bytes);
    else if (bytes < 1024 * 1024)
        snprintf(out, size, "%.1f KB", (double)bytes / 1024.0);
    else
        snprintf(out, size, "%.1f MB", (double)bytes / (1024.0 * 1024.0));
}

static int case_subject(struct app *app, const struct db_case *c, char *out, size_t size)
{
    struct db_agency agency = { 0 };
    int rc = db_agency_get(app->db, c->wf.agency_id, &agency);
    return rc ? rc : mail_subject(c->number, agency.name, out, size);
}

/* May the presser send this case's mail now? Answers them when not. */
static int may_send(struct handler_ctx *ctx, const struct db_case *c, uint32_t version, bool *ok)
{
    *ok = false;
    if (!config_mail_enabled(ctx->app->cfg)) {
        reply_answer(ctx, "mail.not_configured", true);
        return 0;
    }
    int refused = 0;
    int rc = case_card_choice_allowed(ctx, c, version, WF_EV_SENT_TO_BSRE, &refused);
    if (rc || refused)
        return rc;
    if (c->wf.state != WF_S4_KIRIM_BSRE || !c->wf.signed_letter_uploaded) {
        reply_answer(ctx, "mail.no_signed_letter", true);
        return 0;
    }
    int pending = 0;
    rc = db_mail_pending_for_case(ctx->app->db, c->wf.case_id, &pending);
    if (!rc && pending > 0)
        reply_answer(ctx, "mail.already_queued", true);
    *ok = !rc && pending == 0;
    return rc;
}

static cJSON *preview_keyboard(struct handler_ctx *ctx, const struct db_case *c)
{
    cJSON *keyboard = keyboard_new();
    cJSON *row = keyboard ? keyboard_row(keyboard) : NULL;
    char send[64], cancel[64];
    snprintf(send, sizeof send, MAIL_PREFIX ":%" PRId64 ":%" PRIu32 ":send", c->wf.case_id,
             c->wf.version);
    snprintf(cancel, sizeof cancel, MAIL_PREFIX ":%" PRId64 ":%" PRIu32 ":cancel", c->wf.case_id,
             c->wf.version);
    if (!row ||
        keyboard_button(row, i18n_text(ctx->app->i18n, ctx->lang, "mail.button.send"), send) ||
        keyboard_button(row, i18n_text(ctx->app->i18n, ctx->lang, "mail.button.cancel"), cancel)) {
        cJSON_Delete(keyboard);
        return NULL;
    }
    return keyboard;
}

static int preview(struct handler_ctx *ctx, const struct db_case *c)
{
    struct app *app = ctx->app;
    struct db_file *files = calloc(MAIL_FILES_MAX, sizeof *files);
    char subject[512];
    size_t n = 0;
    int rc = files ? mail_files(app, c->wf.case_id, files, &n) : -ENOMEM;
    if (!rc)
        rc = case_subject(app, c, subject, sizeof subject);
    if (rc) {
        free(files);
        return rc;
    }
    struct text list;
    text_init(&list, app->i18n, ctx->lang);
    for (size_t i = 0; i < n; i++) {
        char size[32];
        size_text(&files[i], size, sizeof size);
        text_add(&list, "mail.preview_file", "name", files[i].file_name, "type",
                 files[i].mime_type, "size", size, NULL);
    }
    free(files);
    char *attachments = text_take(&list);
    struct text t;
    text_init(&t, app->i18n, ctx->lang);
    text_add(&t, "mail.preview", "number", c->number, "to", app->cfg->bsre_email, "cc",
             app->cfg->email.from_address, "subject", subject, NULL);
    text_raw(&t, attachments ? attachments : "");
    text_add(&t, "mail.preview_end", NULL);
    free(attachments);
    char *html = text_take(&t);
    cJSON *keyboard = preview_keyboard(ctx, c);
    rc = html && keyboard ? reply_html(ctx, html, keyboard) : -ENOMEM;
    free(html);
    cJSON_Delete(keyboard);
    if (!rc)
        reply_answer(ctx, "answer.done", false);
    return rc;
}

/* "Nama (NIP ..., jabatan)" per holder, one a line. */
static int holders_text(struct app *app, int64_t case_id, struct buf *out)
{
    struct db_holder holders[DB_HOLDERS_MAX];
    size_t n = 0;
    int rc = db_holders_list(app->db, case_id, holders, DB_HOLDERS_MAX, &n);
    for (size_t i = 0; !rc && i < n; i++)
        buf_printf(out, "%zu. %s, NIP %s, %s, %s\n", i + 1, holders[i].name, holders[i].nip,
                   holders[i].jabatan, holders[i].email);
    return rc ? rc : out->failed ? -ENOMEM : 0;
}

static int mail_body(struct app *app, const struct db_case *c, const char *agency, char **out)
{
    struct buf holders = { 0 }, body = { 0 };
    int rc = holders_text(app, c->wf.case_id, &holders);
    const char *names[] = { "number", "agency", "holders", "sender" };
    const char *values[] = { c->number, agency, holders.data ? holders.data : "",
                             app->cfg->email.from_name ? app->cfg->email.from_name
                                                       : app->cfg->email.from_address };
    /* The letter is always Indonesian, whatever the Pelaksana's language. */
    if (!rc)
        rc = mail_fill(i18n_text(app->i18n, "id", "mail.body"), names, values, 4, &body);
    free(holders.data);
    if (rc)
        free(body.data);
    else
        *out = body.data;
    return rc;
}

static void random_token(struct app *app, char *out, size_t size)
{
    static const char alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    for (size_t i = 0; i + 1 < size; i++)
        out[i] = alphabet[app_random(app) % 36];
    out[size - 1] = '\0';
}

static int queue(struct handler_ctx *ctx, const struct db_case *c)
{
    struct app *app = ctx->app;
    struct db_file *files = calloc(MAIL_FILES_MAX, sizeof *files);
    struct db_agency agency = { 0 };
    size_t n = 0;
    int rc = files ? mail_files(app, c->wf.case_id, files, &n) : -ENOMEM;
    cJSON *ids = cJSON_CreateArray();
    for (size_t i = 0; !rc && i < n; i++)
        if (!ids || !cJSON_AddItemToArray(ids, cJSON_CreateNumber((double)files[i].id)))
            rc = -ENOMEM;
    free(files);
    char subject[512], message_id[300], token[17];
    random_token(app, token, sizeof token);
    if (!rc)
        rc = db_agency_get(app->db, c->wf.agency_id, &agency);
    if (!rc)
        rc = mail_subject(c->number, agency.name, subject, sizeof subject);
    if (!rc)
        rc = mail_message_id(c->number, token, app->cfg->email.from_address, message_id,
                             sizeof message_id);
    char *body = NULL, *attachments = ids && !rc ? cJSON_PrintUnformatted(ids) : NULL;
    cJSON_Delete(ids);
    if (!rc)
        rc = attachments ? mail_body(app, c, agency.name, &body) : -ENOMEM;
    if (!rc) {
        struct db_mail m = {
            .case_id = c->wf.case_id, .message_id = message_id,
            .mail_from = app->cfg->email.from_address, .mail_to = app->cfg->bsre_email,
            .mail_cc = app->cfg->email.from_address, .subject = subject, .body = body,
            .attachments = attachments, .requested_by = ctx->update->user_id,
        };
        rc = db_mail_queue(app->db, &m, clock_now_ms(&app->wall), NULL);
    }
    free(body);
    free(attachments);
    if (rc)
        return rc;
    log_info("mail", "%s: mail %s queued by %" PRId64, c->number, message_id,
             ctx->update->user_id);
    char *html = i18n_format(app->i18n, ctx->lang, "mail.queued", "number", c->number, "to",
                             app->cfg->bsre_email, NULL);
    rc = html ? reply_edit_html(ctx, html, NULL) : -ENOMEM;
    free(html);
    if (!rc)
        reply_answer(ctx, "mail.answer_queued", false);
    mail_sender_kick(app); /* runs after this update's commit */
    return rc;
}

/* The case is loaded (the entry's target); whether the presser may send is
 * may_send's question, since anybody may close the dialogue ("cancel"). */
static int run_mail_send(struct handler_ctx *ctx)
{
    struct db_case c = ctx->target->case_row;
    const char *what = ctx->target->press.what;
    uint32_t version = ctx->target->press.version;
    if (strcmp(what, "cancel") == 0) {
        char *html = i18n_format(ctx->app->i18n, ctx->lang, "mail.cancelled", "number", c.number,
                                 NULL);
        int rc = html ? reply_edit_html(ctx, html, NULL) : -ENOMEM;
        free(html);
        return rc;
    }
    bool ok = false;
    int rc = may_send(ctx, &c, version, &ok);
    if (rc || !ok)
        return rc;
    if (strcmp(what, "preview") == 0)
        return preview(ctx, &c);
    if (strcmp(what, "send") == 0)
        return queue(ctx, &c);
    reply_answer(ctx, "error.stale_button", false);
    return 0;
}

const struct handler_entry handler_mail_send = {
    .name = "mail_send",
    .callback_prefix = MAIL_PREFIX,
    .roles = ROLE_ANYONE, /* the workflow core decides, per case and step */
    .target = TARGET_CASE_AT_STEP,
    .run = run_mail_send,
};

/* --- what the server said --------------------------------------------------- */

/* The Pelaksana who asked and the Kasi (or their Plh) get `key`. */
static int tell(struct app *app, const struct db_mail *m, const char *key, const char *why,
                int64_t now_ms)
{
    int64_t to[PEOPLE_MAX + 1];
    size_t n = 0;
    int rc = people_for_role(app, ROLE_KASI, 0, 0, now_ms, to, PEOPLE_MAX, &n);
    if (rc)
        return rc;
    to[n++] = m->requested_by;
    char number[32];
    db_case_number(m->case_id, number, sizeof number);
    for (size_t i = 0; !rc && i < n; i++) {
        bool seen = false;
        for (size_t j = 0; j < i; j++)
            seen |= to[j] == to[i];
        if (seen)
            continue;
        const char *lang = card_lang_of(app, to[i]);
        char *html = i18n_format(app->i18n, lang, key, "number", number, "to", m->mail_to,
                                 "why", why ? why : "-", NULL);
        rc = html ? outbox_send_text(app->db, to[i], html, NULL, NULL, now_ms) : -ENOMEM;
        free(html);
    }
    return rc;
}

/* The server's 250: the copy joins the case's documents and the case moves
 * to "waiting for BSrE" through the workflow, as the Pelaksana who asked. */
static int record_sent(struct app *app, const struct db_mail *m, const char *eml_path,
                       int64_t now_ms)
{
    struct db_file f = { .case_id = m->case_id, .created_at = now_ms,
                         .uploaded_by = m->requested_by };
    char number[32];
    db_case_number(m->case_id, number, sizeof number);
    snprintf(f.kind, sizeof f.kind, "sent_mail");
    snprintf(f.file_name, sizeof f.file_name, "%s-surel-bsre.eml", number);
    snprintf(f.mime_type, sizeof f.mime_type, "message/rfc822");
    int64_t eml = 0;
    int rc = db_file_add(app->db, &f, NULL, 0, &eml);
    if (!rc && eml_path && eml_path[0])
        rc = db_file_set_local(app->db, eml, eml_path);
    if (!rc)
        rc = db_mail_sent(app->db, m, eml, clock_now_ms(&app->wall));
    struct db_case c;
    if (!rc)
        rc = db_case_get(app->db, m->case_id, &c);
    if (rc || c.wf.state != WF_S4_KIRIM_BSRE)
        return rc; /* recorded by hand meanwhile: nothing more to move */
    struct wf_actor actor;
    rc = people_actor(app, m->requested_by, now_ms, &actor);
    /* The note is plain text (the history escapes it when shown). */
    const char *names[] = { "email", "message_id" };
    const char *values[] = { m->mail_to, m->message_id };
    struct buf text = { 0 };
    if (!rc)
        rc = mail_fill(i18n_text(app->i18n, "id", "mail.record_sent"), names, values, 2, &text);
    char *note = text.data;
    if (rc) {
        free(note);
        return rc;
    }
    struct wf_event event = { .kind = WF_EV_SENT_TO_BSRE, .expected_version = c.wf.version,
                              .note = note };
    int refusal = 0;
    rc = case_flow_apply(app, &c, &event, &actor, now_ms, &refusal, NULL, NULL);
    free(note);
    if (!rc && refusal)
        log_warn("mail", "%s: sent, but the case could not move on (refusal %d); the "
                 "Pelaksana can record it by hand", number, refusal);
    return rc;
}

static int apply_outcome(struct app *app, const struct db_mail *m, enum mail_outcome outcome,
                         const char *text, const char *eml_path, int64_t retry_at_ms,
                         int64_t now_ms)
{
    int rc;
    switch (outcome) {
    case MAIL_SENT:
        rc = record_sent(app, m, eml_path, now_ms);
        return rc ? rc : tell(app, m, "mail.sent", text, now_ms);
    case MAIL_PERMANENT:
        rc = db_mail_failed(app->db, m, text, clock_now_ms(&app->wall));
        return rc ? rc : tell(app, m, "mail.failed", text, now_ms);
    default:
        rc = db_mail_defer(app->db, m->id, retry_at_ms, 1, text);
        if (!rc && m->attempts == 0)
            rc = tell(app, m, "mail.retrying", text, now_ms);
        return rc;
    }
}

int mail_send_outcome(struct app *app, const struct db_mail *m, enum mail_outcome outcome,
                      const char *server_text, const char *eml_path, int64_t retry_at_ms)
{
    int64_t now_ms = clock_now_ms(&app->clock);
    int rc = db_begin(app->db);
    if (rc)
        return rc;
    /* A revocation's e-mail to BSrE shares the queue; it has its own outcome. */
    if (m->request_id)
        rc = revoke_mail_outcome(app, m, outcome, server_text, eml_path, retry_at_ms, now_ms);
    else
        rc = apply_outcome(app, m, outcome, server_text, eml_path, retry_at_ms, now_ms);
    if (!rc)
        rc = db_commit(app->db);
    if (rc)
        db_rollback(app->db);
    return rc;
}
