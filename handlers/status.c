/* /status (applicants and officials): where requests stand. An applicant
 * sees only its own agency's cases; officials see every open case. A
 * Rahasia case is listed and shown to everyone who may see it, but its
 * subject and the notes about it only to whom case_rahasia.h allows: the
 * agency's other operators, and anybody asking in a group, read it without.
 * "/status SE-0012" shows one case's timeline. "sheet:<case>" (a button on
 * an official's view) prints the case's disposition sheet as a PDF. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "args.h"
#include "case_card.h"
#include "case_rahasia.h"
#include "db_clocks.h"
#include "db_registry.h"
#include "handler.h"
#include "i18n.h"
#include "keyboard.h"
#include "letters.h"
#include "mail_health.h"
#include "outbox.h"
#include "texts.h"
#include "tg_update.h"

#define LIST_MAX 30

static bool is_official(const struct handler_ctx *ctx)
{
    return (ctx->roles & (ROLE_OFFICIAL | ROLE_ADMIN)) != 0;
}

/* One line of a list: number, subject, agency, where it is, since when, due. */
static void add_line(struct handler_ctx *ctx, struct text *t, const struct db_case *c)
{
    struct app *app = ctx->app;
    char state_key[48], since[48], agency_name[DB_NAME_MAX] = "";
    struct db_agency agency;
    if (db_agency_get(app->db, c->wf.agency_id, &agency) == 0)
        snprintf(agency_name, sizeof agency_name, "%s", agency.name);
    snprintf(state_key, sizeof state_key, "state.%s", wf_state_name(c->wf.state));
    /* An applicant reads the month written out, an official the short form. */
    void (*when)(const struct i18n *, const char *, int64_t, char *, size_t) =
        is_official(ctx) ? text_when : text_when_long;
    when(app->i18n, ctx->lang, c->state_since, since, sizeof since);
    const char *subject = case_rahasia_subject(app, c, ctx->update->user_id,
                                               ctx->update->chat_id, ctx->lang);
    text_add(t, "status.line", "number", c->number, "subject", subject, "agency", agency_name,
             "state", i18n_text(app->i18n, ctx->lang, state_key), "since", since, NULL);
    if (wf_state_closed(c->wf.state))
        return;
    char step[8];
    snprintf(step, sizeof step, "%d", wf_state_step(c->wf.state));
    struct db_clock clock;
    if (db_clock_open(app->db, c->wf.case_id, &clock) == 0 && !clock.paused_at) {
        char due[48];
        when(app->i18n, ctx->lang, clock.deadline, due, sizeof due);
        text_add(t, "status.line_due", "step", step, "due", due, NULL);
    } else {
        text_add(t, "status.line_waiting", "step", step, NULL);
    }
}

static int list_cases(struct handler_ctx *ctx)
{
    struct db_case *cases = calloc(LIST_MAX, sizeof *cases);
    if (!cases)
        return -ENOMEM;
    size_t count = 0;
    int rc = is_official(ctx) ? db_cases_open(ctx->app->db, cases, LIST_MAX, &count)
                              : db_cases_of_agency(ctx->app->db, ctx->actor.agency_id, false,
                                                   cases, LIST_MAX, &count);
    if (rc) {
        free(cases);
        return rc;
    }
    struct text t;
    text_init(&t, ctx->app->i18n, ctx->lang);
    text_add(&t, count ? (is_official(ctx) ? "status.title_open" : "status.title")
                       : (is_official(ctx) ? "status.none_open" : "status.none"),
             NULL);
    for (size_t i = 0; i < count; i++)
        add_line(ctx, &t, &cases[i]);
    if (count)
        text_add(&t, "status.more", NULL);
    free(cases);
    if (is_official(ctx)) /* mail down: the officials know to record by hand */
        text_own(&t, mail_health_status_html(ctx->app, ctx->lang));
    char *html = text_take(&t);
    rc = html ? reply_html(ctx, html, NULL) : -ENOMEM;
    free(html);
    return rc;
}

/* The applicant's timeline: what happened and when, without the agency's
 * internal notes (a return's reason and a request for documents are theirs). */
static int applicant_timeline(struct handler_ctx *ctx, const struct db_case *c)
{
    struct app *app = ctx->app;
    struct text t;
    text_init(&t, app->i18n, ctx->lang);
    int64_t reader = ctx->update->user_id, chat = ctx->update->chat_id;
    text_own(&t, case_card_summary_for(app, c, ctx->lang, reader, chat));
    char state_key[48];
    snprintf(state_key, sizeof state_key, "state.%s", wf_state_name(c->wf.state));
    text_add(&t, "status.now", "state", i18n_text(app->i18n, ctx->lang, state_key), NULL);
    struct db_audit_row rows[40];
    size_t count = 0;
    int rc = db_audit_list(app->db, c->wf.case_id, rows, 40, &count);
    if (rc) {
        text_clear(&t);
        return rc;
    }
    text_add(&t, "card.history", NULL);
    for (size_t i = 0; i < count; i++) {
        char when[48];
        text_when_long(app->i18n, ctx->lang, rows[i].at, when, sizeof when);
        text_add(&t, "card.history_line", "when", when, "event",
                 card_event_label(app, ctx->lang, rows[i].event, rows[i].state_after), NULL);
        bool theirs = strcmp(rows[i].event, "request_documents") == 0 ||
                      (strcmp(rows[i].event, "return") == 0 &&
                       strcmp(rows[i].state_after, "closed_dikembalikan") == 0);
        if (theirs && rows[i].note[0])
            text_add(&t, "card.history_note", "note",
                     case_rahasia_note(app, c, reader, chat, ctx->lang, rows[i].note), NULL);
    }
    char *html = text_take(&t);
    rc = html ? reply_html(ctx, html, NULL) : -ENOMEM;
    free(html);
    return rc;
}

static int official_view(struct handler_ctx *ctx, const struct db_case *c)
{
    char *html = case_card_text_for(ctx->app, c, ctx->lang, ctx->update->user_id,
                                    ctx->update->chat_id);
    if (!html)
        return -ENOMEM;
    cJSON *keyboard = keyboard_new();
    cJSON *row = keyboard ? keyboard_row(keyboard) : NULL;
    char data[KEYBOARD_DATA_MAX + 1];
    snprintf(data, sizeof data, "sheet:%" PRId64, c->wf.case_id);
    int rc = row ? keyboard_button(row, i18n_text(ctx->app->i18n, ctx->lang, "status.button.sheet"),
                                   data)
                 : -ENOMEM;
    if (!rc)
        rc = reply_html(ctx, html, keyboard);
    cJSON_Delete(keyboard);
    free(html);
    return rc;
}

/* "/status" lists; "/status SE-0012" shows one case, loaded by the framework
 * (handler_status's target: another agency's case is answered like a
 * missing one, its existence is not the applicant's business either). */
static int run_status(struct handler_ctx *ctx)
{
    if (!ctx->target->kind)
        return list_cases(ctx);
    const struct db_case *c = &ctx->target->case_row;
    return is_official(ctx) ? official_view(ctx, c) : applicant_timeline(ctx, c);
}

/* "sheet:<case>": the disposition sheet as a PDF. */
static int run_sheet(struct handler_ctx *ctx)
{
    const struct db_case c = ctx->target->case_row;
    unsigned char *pdf = NULL;
    size_t size = 0;
    int rc = letters_disposition_sheet(ctx->app, &c, &pdf, &size);
    if (rc)
        return rc;
    struct db_file f = { .case_id = c.wf.case_id, .uploaded_by = 0, .created_at = ctx->now_ms };
    snprintf(f.kind, sizeof f.kind, "disposition_sheet");
    snprintf(f.file_name, sizeof f.file_name, "lembar-disposisi-%s.pdf", c.number);
    snprintf(f.mime_type, sizeof f.mime_type, "application/pdf");
    int64_t row = 0;
    rc = db_file_add(ctx->app->db, &f, pdf, size, &row);
    free(pdf);
    char *caption = rc ? NULL
                       : i18n_format(ctx->app->i18n, ctx->lang, "card.document", "number", c.number,
                                     "document",
                                     i18n_text(ctx->app->i18n, ctx->lang, "file.disposition_sheet"),
                                     NULL);
    if (!rc)
        rc = caption ? outbox_send_file(ctx->app->db, ctx->update->chat_id, row, caption, NULL,
                                        ctx->now_ms)
                     : -ENOMEM;
    free(caption);
    reply_answer(ctx, "answer.done", false);
    return rc;
}

const struct handler_entry handler_status = {
    .name = "status",
    .command_id = "status",
    .roles = ROLE_APPLICANT | ROLE_OFFICIAL | ROLE_ADMIN,
    .in_menu = true,
    .target = TARGET_CASE,
    .target_checks = TARGET_OPTIONAL | TARGET_OWN_AGENCY,
    .target_gone = "status.not_found",
    .target_bad = "status.bad_number",
    .run = run_status,
};

const struct handler_entry handler_sheet = {
    .name = "sheet",
    .callback_prefix = "sheet",
    .roles = ROLE_OFFICIAL | ROLE_ADMIN,
    .target = TARGET_CASE,
    .run = run_sheet,
};
