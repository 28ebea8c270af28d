/* A message from the mailbox: matched to its case and shown to its Pelaksana,
 * handed to the revocation request it answers (revoke_mail.c), or shown to
 * the Kasi to attach or ignore (inbox_mail.h); and the buttons of those
 * cards ("ib:"). */
#include "inbox_mail.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "case_action.h"
#include "case_confirm.h"
#include "case_card.h"
#include "db.h"
#include "db_aftercare.h"
#include "db_cases.h"
#include "db_inbox.h"
#include "handler.h"
#include "i18n.h"
#include "keyboard.h"
#include "log.h"
#include "mail_compose.h"
#include "mail_match.h"
#include "mime.h"
#include "outbox.h"
#include "people.h"
#include "revoke_mail.h"
#include "texts.h"
#include "utf8.h"

#define EXCERPT_LINES 8
#define EXCERPT_BYTES 700
#define FILES_SENT_MAX 5
#define OPEN_CASES_SHOWN 6
#define OPEN_CASES_READ 64

/* --- matching (core/mail_match.h) ------------------------------------------- */

static int sent_id(enum mail_owner owner, const char *message_id, int64_t *found, void *data)
{
    struct app *app = data;
    if (owner == MAIL_OWNER_REVOKE)
        return db_aftercare_revoke_of_mail_id(app->db, message_id, found);
    int rc = db_case_of_mail_id(app->db, message_id, found);
    struct db_case c;
    return rc ? rc : db_case_get(app->db, *found, &c); /* a sent mail's case always exists */
}

static int owner_exists(enum mail_owner owner, int64_t id, void *data)
{
    struct app *app = data;
    if (owner == MAIL_OWNER_CASE) {
        struct db_case c;
        return db_case_get(app->db, id, &c);
    }
    struct db_aftercare a;
    int rc = db_aftercare_get(app->db, id, &a);
    return !rc && a.r.kind != AC_REVOKE ? -ENOENT : rc;
}

static int copy_first_id(const char *id, void *data)
{
    snprintf(data, DB_TEXT_MAX, "%s", id);
    return 1;
}

/* --- keeping it with the case ------------------------------------------------ */

/* A name safe to show and to store: no path separators or control bytes. */
static void safe_name(const char *name, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = name; *p && n + 1 < size; p++) {
        unsigned char ch = (unsigned char)*p;
        out[n++] = ch < 0x20 || ch == 0x7f || ch == '/' || ch == '\\' ? '_' : (char)ch;
    }
    out[n] = '\0';
    if (!n || !strcmp(out, ".") || !strcmp(out, ".."))
        snprintf(out, size, "lampiran");
}

int inbox_mail_store(struct app *app, int64_t case_id, int64_t request_id, int64_t uid,
                     const void *raw, size_t size, const struct mime_message *m, int64_t now_ms,
                     int64_t *eml, int64_t *rows, size_t max, size_t *count)
{
    struct db_file f = { .case_id = case_id, .created_at = now_ms };
    snprintf(f.kind, sizeof f.kind, "bsre_reply");
    snprintf(f.file_name, sizeof f.file_name, "email-%" PRId64 ".eml", uid);
    snprintf(f.mime_type, sizeof f.mime_type, "message/rfc822");
    int rc = db_file_add(app->db, &f, raw, size, eml);
    if (!rc && request_id)
        rc = db_aftercare_file_link(app->db, request_id, *eml);
    if (!rc)
        rc = db_download_queue(app->db, *eml); /* the copy in documents_dir */
    *count = 0;
    for (size_t i = 0; !rc && i < m->attachment_count; i++) {
        const struct mime_attachment *a = &m->attachments[i];
        safe_name(a->filename, f.file_name, sizeof f.file_name);
        snprintf(f.mime_type, sizeof f.mime_type, "%s", a->content_type);
        int64_t row = 0;
        rc = db_file_add(app->db, &f, a->data, a->size, &row);
        if (!rc && request_id)
            rc = db_aftercare_file_link(app->db, request_id, row);
        if (!rc)
            rc = db_download_queue(app->db, row);
        if (!rc && *count < max)
            rows[(*count)++] = row;
    }
    return rc;
}

/* --- the cards --------------------------------------------------------------- */

/* The first lines of the text, at most EXCERPT_LINES and about EXCERPT_BYTES,
 * never cut inside a UTF-8 character. */
static void excerpt(const char *text, char *out, size_t size)
{
    size_t n = 0, lines = 0;
    bool blank = true;
    const char *p = text;
    while (*p == '\n' || *p == ' ')
        p++;
    for (; *p && n + 4 < size && n < EXCERPT_BYTES; p++) {
        if (*p == '\n') {
            if (blank)
                continue; /* runs of empty lines become one */
            if (++lines >= EXCERPT_LINES)
                break;
            blank = true;
        } else {
            blank = false;
        }
        out[n++] = *p;
    }
    if (*p) { /* cut inside a character: drop all of it */
        out[n] = *p;
        n = utf8_prefix(out, n + 1, n);
    }
    if (*p && n + 4 < size) {
        memcpy(out + n, UTF8_ELLIPSIS, sizeof UTF8_ELLIPSIS - 1);
        n += 3;
    }
    out[n] = '\0';
}

static void attachment_list(const struct mime_message *m, char *out, size_t size)
{
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < m->attachment_count && n + 1 < size; i++) {
        char name[DB_TEXT_MAX];
        safe_name(m->attachments[i].filename, name, sizeof name);
        size_t kb = (m->attachments[i].size + 1023) / 1024;
        int k = snprintf(out + n, size - n, "%s%s (%zu KB)", i ? ", " : "", name, kb);
        if (k < 0 || (size_t)k >= size - n)
            break;
        n += (size_t)k;
    }
    if (!n)
        snprintf(out, size, "-");
}

char *inbox_mail_summary(struct app *app, const char *lang, const char *key, const char *number,
                         const struct mime_message *m, int64_t at_ms)
{
    char text[EXCERPT_BYTES + 8], files[1024], when[64];
    excerpt(m->text, text, sizeof text);
    attachment_list(m, files, sizeof files);
    text_when(app->i18n, lang, at_ms, when, sizeof when);
    return i18n_format(app->i18n, lang, key, "number", number, "from", m->from[0] ? m->from : "-",
                       "subject", m->subject[0] ? m->subject : "-", "when", when, "text",
                       text[0] ? text : "-", "files", files, NULL);
}

static cJSON *outcome_keyboard(struct app *app, const char *lang, int64_t inbox_id)
{
    static const char *const outcomes[] = { "accepted", "incomplete", "rejected" };
    cJSON *keyboard = keyboard_new();
    cJSON *row = keyboard ? keyboard_row(keyboard) : NULL;
    int rc = row ? 0 : -ENOMEM;
    for (size_t i = 0; !rc && i < 3; i++) {
        char key[48], data[KEYBOARD_DATA_MAX];
        snprintf(key, sizeof key, "button.bsre_reply.%s", outcomes[i]);
        snprintf(data, sizeof data, "ib:o:%" PRId64 ":%s", inbox_id, outcomes[i]);
        rc = keyboard_button(row, i18n_text(app->i18n, lang, key), data);
    }
    if (rc) {
        cJSON_Delete(keyboard);
        return NULL;
    }
    return keyboard;
}

/* The Pelaksana's card of a reply kept with case `c`, and its attachments. */
static int tell_pelaksana(struct app *app, const struct db_case *c, int64_t inbox_id,
                          const struct mime_message *m, const int64_t *rows, size_t row_count,
                          int64_t at_ms, int64_t now_ms)
{
    int64_t to[PEOPLE_MAX];
    size_t count = 0;
    int rc = c->wf.pelaksana_id
                 ? (to[0] = c->wf.pelaksana_id, count = 1, 0)
                 : people_for_role(app, ROLE_KASI, 0, 0, now_ms, to, PEOPLE_MAX, &count);
    bool waiting = c->wf.state == WF_S5_MENUNGGU_BSRE;
    for (size_t i = 0; !rc && i < count; i++) {
        const char *lang = card_lang_of(app, to[i]);
        char *html = inbox_mail_summary(app, lang, waiting ? "inbox.reply_card" : "inbox.reply_kept",
                                  c->number, m, at_ms);
        cJSON *keyboard = waiting && html ? outcome_keyboard(app, lang, inbox_id) : NULL;
        rc = html && (!waiting || keyboard)
                 ? outbox_send_text(app->db, to[i], html, keyboard, NULL, now_ms)
                 : -ENOMEM;
        cJSON_Delete(keyboard);
        free(html);
        for (size_t f = 0; !rc && f < row_count; f++)
            rc = outbox_send_file(app->db, to[i], rows[f], NULL, NULL, now_ms);
    }
    return rc;
}

/* The open cases a stray mail may belong to, those waiting for BSrE first. */
static int candidate_cases(struct app *app, struct db_case *out, size_t *count)
{
    struct db_case *open = calloc(OPEN_CASES_READ, sizeof *open);
    size_t n = 0;
    int rc = open ? db_cases_open(app->db, open, OPEN_CASES_READ, &n) : -ENOMEM;
    *count = 0;
    for (int waiting = 1; !rc && waiting >= 0; waiting--)
        for (size_t i = 0; i < n && *count < OPEN_CASES_SHOWN; i++)
            if ((open[i].wf.state == WF_S5_MENUNGGU_BSRE) == (waiting == 1))
                out[(*count)++] = open[i];
    free(open);
    return rc;
}

static cJSON *unmatched_keyboard(struct app *app, const char *lang, int64_t inbox_id)
{
    struct db_case open[OPEN_CASES_SHOWN];
    size_t n = 0;
    cJSON *keyboard = keyboard_new();
    int rc = keyboard ? candidate_cases(app, open, &n) : -ENOMEM;
    for (size_t i = 0; !rc && i < n; i++) {
        cJSON *row = keyboard_row(keyboard);
        char label[128], data[KEYBOARD_DATA_MAX];
        char *text = i18n_format(app->i18n, lang, "inbox.button.attach", "number", open[i].number,
                                 NULL);
        utf8_copy(label, sizeof label, text ? text : open[i].number);
        free(text);
        snprintf(data, sizeof data, "ib:a:%" PRId64 ":%" PRId64, inbox_id, open[i].wf.case_id);
        rc = row ? keyboard_button(row, label, data) : -ENOMEM;
    }
    if (!rc) {
        cJSON *row = keyboard_row(keyboard);
        char data[KEYBOARD_DATA_MAX];
        snprintf(data, sizeof data, "ib:i:%" PRId64, inbox_id);
        rc = row ? keyboard_button(row, i18n_text(app->i18n, lang, "inbox.button.ignore"), data)
                 : -ENOMEM;
    }
    if (rc) {
        cJSON_Delete(keyboard);
        return NULL;
    }
    return keyboard;
}

static int tell_kasi(struct app *app, int64_t inbox_id, const struct mime_message *m,
                     int64_t now_ms)
{
    int64_t to[PEOPLE_MAX];
    size_t count = 0;
    int rc = people_for_role(app, ROLE_KASI, 0, 0, now_ms, to, PEOPLE_MAX, &count);
    for (size_t i = 0; !rc && i < count; i++) {
        const char *lang = card_lang_of(app, to[i]);
        char *html = inbox_mail_summary(app, lang, "inbox.unmatched_card", "-", m, now_ms);
        cJSON *keyboard = html ? unmatched_keyboard(app, lang, inbox_id) : NULL;
        rc = html && keyboard ? outbox_send_text(app->db, to[i], html, keyboard, NULL, now_ms)
                              : -ENOMEM;
        cJSON_Delete(keyboard);
        free(html);
    }
    return rc;
}

/* --- a message arrives -------------------------------------------------------- */

/* Keeps a parsed message with case `case_id` and tells its Pelaksana. */
static int keep_with_case(struct app *app, int64_t inbox_id, int64_t case_id, int64_t uid,
                          const void *raw, size_t size, const struct mime_message *m,
                          const char *how, int64_t decided_by, int64_t received_at,
                          int64_t now_ms)
{
    struct db_case c;
    int64_t eml = 0, rows[FILES_SENT_MAX];
    size_t row_count = 0;
    int rc = db_case_get(app->db, case_id, &c);
    if (!rc)
        rc = inbox_mail_store(app, case_id, 0, uid, raw, size, m, now_ms, &eml, rows,
                              FILES_SENT_MAX, &row_count);
    if (!rc)
        rc = db_inbox_decide(app->db, inbox_id, decided_by ? "attached" : "matched", case_id, how,
                             eml, decided_by);
    if (!rc)
        rc = tell_pelaksana(app, &c, inbox_id, m, rows, row_count, received_at, now_ms);
    if (!rc)
        log_info("inbox", "message %" PRId64 " (UID %" PRId64 ") kept with %s (%s)", inbox_id, uid,
                 c.number, how);
    return rc;
}

int inbox_mail_receive(struct app *app, const char *mailbox, int64_t uidvalidity, int64_t uid,
                       const void *raw, size_t size, int64_t now_ms)
{
    struct mime_message m;
    int rc = mime_parse(raw, size, &m);
    if (rc)
        return rc;
    struct db_inbox_message row = { .uidvalidity = uidvalidity, .uid = uid,
                                    .received_at = now_ms };
    mime_each_id(m.message_id, copy_first_id, row.message_id);
    utf8_copy(row.mail_from, sizeof row.mail_from, m.from);
    utf8_copy(row.subject, sizeof row.subject, m.subject);
    bool seen = false;
    rc = db_inbox_seen(app->db, row.message_id, &seen);
    int64_t id = 0;
    if (!rc && seen) {
        snprintf(row.status, sizeof row.status, "duplicate");
        log_info("inbox", "UID %" PRId64 ": Message-ID already handled; skipped", uid);
        rc = db_inbox_add(app->db, mailbox, &row, NULL, 0, &id);
        goto out;
    }
    if (!rc) {
        struct mail_match_lookup lookup = { sent_id, owner_exists, app };
        struct mail_match match;
        rc = mail_match(m.in_reply_to, m.references, m.subject, &lookup, &match);
        if (rc == -ENOENT)
            rc = 0;
        snprintf(row.status, sizeof row.status, "%s",
                 match.owner != MAIL_OWNER_NONE ? "matched" : "unmatched");
        if (!rc)
            rc = db_inbox_add(app->db, mailbox, &row,
                              match.owner != MAIL_OWNER_NONE ? NULL : raw, size, &id);
        if (!rc && match.owner == MAIL_OWNER_CASE)
            rc = keep_with_case(app, id, match.id, uid, raw, size, &m, match.how, 0, now_ms,
                                now_ms);
        else if (!rc && match.owner == MAIL_OWNER_REVOKE)
            rc = revoke_mail_reply(app, id, match.id, uid, raw, size, &m, match.how, now_ms);
        else if (!rc)
            rc = tell_kasi(app, id, &m, now_ms);
    }
out:
    mime_message_free(&m);
    return rc;
}

/* --- the buttons: "ib:o:<id>:<outcome>", "ib:a:<id>:<case>", "ib:i:<id>", and
 * a revocation's reply "ib:r:<id>:<version>" (revoke_mail.c) ------------------ */

static int edit_card(struct handler_ctx *ctx, const char *key, const char *number)
{
    char *html = i18n_format(ctx->app->i18n, ctx->lang, key, "number", number, NULL);
    int rc = html ? reply_edit_html(ctx, html, NULL) : -ENOMEM;
    free(html);
    return rc;
}

static int press_outcome(struct handler_ctx *ctx, const struct db_inbox_message *row,
                         const char *outcome)
{
    struct db_case c;
    struct wf_event event = { .kind = WF_EV_BSRE_REPLY,
                              .bsre_outcome = wf_bsre_outcome_parse(outcome),
                              .reply_at_ms = row->received_at };
    int rc = !row->case_id || event.bsre_outcome == WF_BSRE_NONE
                 ? -ENOENT
                 : db_case_get(ctx->app->db, row->case_id, &c);
    if (rc == -ENOENT) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    if (rc)
        return rc; /* a database error is a failed update, not a stale card */
    /* The history keeps plain text (escaped when a card shows it), so the
     * catalog's sentence is filled without i18n_format's HTML escaping. */
    const char *names[] = { "from", "subject" };
    const char *values[] = { row->mail_from, row->subject };
    struct buf text = { 0 };
    int filled = mail_fill(i18n_text(ctx->app->i18n, "id", "inbox.record"), names, values, 2,
                           &text);
    char *note = text.data;
    if (filled) {
        free(note);
        return filled;
    }
    event.note = note;
    if (event.bsre_outcome == WF_BSRE_REJECTED) {
        /* A rejection asks a second tap, as on the case's card; the "Ya"
         * is the card's own button, checked again (case_confirm.h). */
        struct wf_verdict v;
        int refusal = wf_may(&c.wf, WF_EV_BSRE_REPLY, 0, &ctx->actor, &v);
        if (refusal == WF_ERR_NOT_ALLOWED)
            reply_answer(ctx, "answer.not_allowed", true);
        else if (refusal)
            reply_answer(ctx, "error.stale_button", false);
        else
            rc = case_confirm_ask(ctx, &c, &event, "rejected");
        free(note);
        return rc;
    }
    rc = case_act(ctx, &c, &event);
    free(note);
    return rc;
}

static int press_decision(struct handler_ctx *ctx, const struct db_inbox_message *row,
                          bool attach, int64_t case_id)
{
    struct app *app = ctx->app;
    if (!(ctx->roles & ROLE_KASI)) {
        reply_answer(ctx, "inbox.answer.kasi_only", true);
        return 0;
    }
    if (strcmp(row->status, "unmatched") != 0) {
        reply_answer(ctx, "inbox.answer.decided", true);
        return 0;
    }
    if (!attach) {
        int rc = db_inbox_decide(app->db, row->id, "ignored", 0, NULL, 0, ctx->actor.user_id);
        reply_answer(ctx, "answer.done", false);
        return rc ? rc : edit_card(ctx, "inbox.ignored", "-");
    }
    struct db_case c;
    int rc = db_case_get(app->db, case_id, &c);
    if (rc == -ENOENT || (!rc && wf_state_closed(c.wf.state))) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    if (rc)
        return rc;
    void *raw = NULL;
    size_t size = 0;
    struct mime_message m;
    rc = db_inbox_raw(app->db, row->id, &raw, &size);
    if (rc == -ENOENT) {
        reply_answer(ctx, "inbox.answer.decided", true);
        return 0;
    }
    if (!rc)
        rc = mime_parse(raw, size, &m);
    if (!rc) {
        rc = keep_with_case(app, row->id, case_id, row->uid, raw, size, &m, "kasi",
                            ctx->actor.user_id, row->received_at, ctx->now_ms);
        mime_message_free(&m);
    }
    free(raw);
    if (!rc) {
        reply_answer(ctx, "answer.done", false);
        rc = edit_card(ctx, "inbox.attached", c.number);
    }
    return rc;
}

static int run(struct handler_ctx *ctx)
{
    char what = 0, arg[32] = "";
    int64_t id = 0;
    const char *rest = ctx->callback_rest;
    if (rest[0] && rest[1] == ':') {
        what = rest[0];
        char *end;
        id = strtoll(rest + 2, &end, 10);
        if (*end == ':')
            snprintf(arg, sizeof arg, "%s", end + 1);
        else if (*end)
            id = 0;
    }
    struct db_inbox_message row;
    int rc = id <= 0 ? -ENOENT : db_inbox_get(ctx->app->db, id, &row);
    if (rc == -ENOENT) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    if (rc)
        return rc;
    if (what == 'o')
        return press_outcome(ctx, &row, arg);
    if (what == 'r')
        return revoke_mail_press(ctx, &row, arg);
    if (what == 'i' && !arg[0])
        return press_decision(ctx, &row, false, 0);
    if (what == 'a') {
        char *end;
        int64_t case_id = strtoll(arg, &end, 10);
        if (case_id > 0 && !*end)
            return press_decision(ctx, &row, true, case_id);
    }
    reply_answer(ctx, "error.stale_button", false);
    return 0;
}

const struct handler_entry handler_inbox = {
    .name = "inbox",
    .callback_prefix = "ib",
    .roles = ROLE_OFFICIAL,
    .run = run,
};
