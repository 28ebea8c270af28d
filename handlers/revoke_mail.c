/* BSrE's e-mail reply to a revocation request: kept with the request, shown
 * to its Pelaksana and the Kasi, recorded with one press (revoke_mail.h). */
#include "revoke_mail.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aftercare.h"
#include "app.h"
#include "args.h"
#include "case_card.h"
#include "db_aftercare.h"
#include "db_cases.h"
#include "db_certificates.h"
#include "db_inbox.h"
#include "handler.h"
#include "i18n.h"
#include "inbox_mail.h"
#include "keyboard.h"
#include "log.h"
#include "mail_compose.h"
#include "mime.h"
#include "outbox.h"
#include "people.h"
#include "revoke.h"
#include "texts.h"

#define FILES_SENT_MAX 5
#define REPLIES_AGAIN_MAX 8 /* a new Pelaksana gets the first replies again, this many */

/* What the cards of one reply say: the request, its holder, the message. */
struct reply_view {
    struct db_aftercare a;
    char label[DB_TEXT_MAX + 40];   /* "PC-0001 (Rina Wati)" */
    const struct mime_message *m;
    int64_t inbox_id;
    int64_t received_at;
};

static cJSON *done_keyboard(struct app *app, const char *lang, const struct reply_view *v)
{
    char data[KEYBOARD_DATA_MAX];
    snprintf(data, sizeof data, "ib:r:%" PRId64 ":%" PRIu32, v->inbox_id, v->a.r.version);
    cJSON *keyboard = keyboard_new();
    cJSON *row = keyboard ? keyboard_row(keyboard) : NULL;
    if (!row || keyboard_button(row, i18n_text(app->i18n, lang, "revoke_mail.button.done"),
                                data)) {
        cJSON_Delete(keyboard);
        return NULL;
    }
    return keyboard;
}

/* The Pelaksana's card (with the button) and the reply's attachments. */
static int tell_pelaksana(struct app *app, const struct reply_view *v, const int64_t *rows,
                          size_t row_count, int64_t now_ms)
{
    int64_t to = v->a.r.pelaksana_id;
    const char *lang = card_lang_of(app, to);
    char *html = inbox_mail_summary(app, lang, "revoke_mail.card", v->label, v->m,
                                    v->received_at);
    cJSON *keyboard = html ? done_keyboard(app, lang, v) : NULL;
    int rc = html && keyboard ? outbox_send_text(app->db, to, html, keyboard, NULL, now_ms)
                              : -ENOMEM;
    cJSON_Delete(keyboard);
    free(html);
    for (size_t f = 0; !rc && f < row_count; f++)
        rc = outbox_send_file(app->db, to, rows[f], NULL, NULL, now_ms);
    return rc;
}

/* The Kasi's line under the reply: who records it, or that it is closed. */
static char *kasi_footer(struct app *app, const char *lang, const struct reply_view *v)
{
    if (ac_state_closed(v->a.r.state))
        return i18n_format(app->i18n, lang, "revoke_mail.kasi_closed", NULL);
    if (v->a.r.state != AC_S_PELAKSANA)
        return i18n_format(app->i18n, lang, "revoke_mail.kasi_unconfirmed", NULL);
    char name[DB_NAME_MAX];
    if (db_person_name(app->db, v->a.r.pelaksana_id, name, sizeof name))
        snprintf(name, sizeof name, "%" PRId64, v->a.r.pelaksana_id);
    return i18n_format(app->i18n, lang, "revoke_mail.kasi_pelaksana", "pelaksana", name, NULL);
}

/* The Kasi (or Plh) gets the reply for information, without buttons. */
static int tell_kasi(struct app *app, const struct reply_view *v, int64_t now_ms)
{
    int64_t to[PEOPLE_MAX];
    size_t n = 0;
    int rc = people_for_role(app, ROLE_KASI, 0, 0, now_ms, to, PEOPLE_MAX, &n);
    bool closed = ac_state_closed(v->a.r.state);
    for (size_t i = 0; !rc && i < n; i++) {
        if (!closed && v->a.r.state == AC_S_PELAKSANA && to[i] == v->a.r.pelaksana_id)
            continue; /* a Kasi who is also the Pelaksana has the card with the button */
        const char *lang = card_lang_of(app, to[i]);
        struct text t;
        text_init(&t, app->i18n, lang);
        text_own(&t, inbox_mail_summary(app, lang,
                                        closed ? "revoke_mail.after_close" : "revoke_mail.kasi",
                                        v->label, v->m, v->received_at));
        text_raw(&t, "\n\n");
        text_own(&t, kasi_footer(app, lang, v));
        char *html = text_take(&t);
        rc = html ? outbox_send_text(app->db, to[i], html, NULL, NULL, now_ms) : -ENOMEM;
        free(html);
    }
    return rc;
}

/* The request and its label; -EIO if it is gone (it was found a moment
 * ago in this transaction). */
static int view_load(struct app *app, int64_t request_id, struct reply_view *v)
{
    struct db_certificate cert;
    int rc = db_aftercare_get(app->db, request_id, &v->a);
    if (!rc)
        rc = db_certificate_get(app->db, v->a.certificate_id, &cert);
    if (rc)
        return rc == -ENOENT ? -EIO : rc;
    snprintf(v->label, sizeof v->label, "PC-%04" PRId64 " (%s)", request_id, cert.name);
    return 0;
}

int revoke_mail_reply(struct app *app, int64_t inbox_id, int64_t request_id, int64_t uid,
                      const void *raw, size_t size, const struct mime_message *m,
                      const char *how, int64_t now_ms)
{
    struct reply_view v = { .m = m, .inbox_id = inbox_id, .received_at = now_ms };
    int rc = view_load(app, request_id, &v);
    if (rc)
        return rc;
    bool closed = ac_state_closed(v.a.r.state);
    int64_t eml = 0, rows[FILES_SENT_MAX];
    size_t row_count = 0;
    rc = inbox_mail_store(app, 0, request_id, uid, raw, size, m, now_ms, &eml, rows,
                          FILES_SENT_MAX, &row_count);
    if (!rc)
        rc = db_inbox_decide_request(app->db, inbox_id, closed ? "late" : "matched", request_id,
                                     how, eml);
    if (!rc && !closed && v.a.r.state == AC_S_PELAKSANA && v.a.r.pelaksana_id)
        rc = tell_pelaksana(app, &v, rows, row_count, now_ms);
    if (!rc)
        rc = tell_kasi(app, &v, now_ms);
    if (!rc)
        log_info("inbox", "message %" PRId64 " (UID %" PRId64 ") kept with PC-%04" PRId64
                 " (%s)%s", inbox_id, uid, request_id, how, closed ? ", after it closed" : "");
    return rc;
}

/* One kept reply's card again, from its stored .eml: the request's
 * Pelaksana now, the button at the request's version now. */
static int card_again(struct app *app, struct reply_view *v, int64_t inbox_id, int64_t now_ms)
{
    struct db_inbox_message row;
    unsigned char *raw = NULL;
    size_t size = 0, row_count = 0;
    int64_t rows[FILES_SENT_MAX];
    struct mime_message m;
    int rc = db_inbox_get(app->db, inbox_id, &row);
    if (!rc)
        rc = db_file_content(app->db, row.eml_file, &raw, &size);
    if (rc == -ENOENT) /* no copy kept: nothing to show again */
        return 0;
    if (!rc)
        rc = mime_parse(raw, size, &m);
    free(raw);
    if (rc)
        return rc;
    rc = db_inbox_reply_files(app->db, v->a.r.id, row.eml_file, rows,
                              m.attachment_count < FILES_SENT_MAX ? m.attachment_count
                                                                  : FILES_SENT_MAX,
                              &row_count);
    v->m = &m;
    v->inbox_id = row.id;
    v->received_at = row.received_at;
    if (!rc)
        rc = tell_pelaksana(app, v, rows, row_count, now_ms);
    v->m = NULL;
    mime_message_free(&m);
    return rc;
}

int revoke_mail_replies_again(struct app *app, int64_t request_id, int64_t now_ms)
{
    struct reply_view v = { 0 };
    int64_t ids[REPLIES_AGAIN_MAX];
    size_t n = 0;
    int rc = view_load(app, request_id, &v);
    if (rc || v.a.r.kind != AC_REVOKE || v.a.r.state != AC_S_PELAKSANA || !v.a.r.pelaksana_id)
        return rc;
    rc = db_inbox_request_replies(app->db, request_id, ids, REPLIES_AGAIN_MAX, &n);
    for (size_t i = 0; !rc && i < n; i++)
        rc = card_again(app, &v, ids[i], now_ms);
    if (!rc && n)
        log_info("inbox", "PC-%04" PRId64 ": %zu reply card(s) sent to its new Pelaksana",
                 request_id, n);
    return rc;
}

int revoke_mail_press(struct handler_ctx *ctx, const struct db_inbox_message *row,
                      const char *arg)
{
    uint64_t version = 0;
    if (!row->request_id || args_decimal(arg, UINT32_MAX, &version) || version == 0) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    /* The audit keeps plain text (escaped when a card shows it), so the
     * catalog's sentence is filled without i18n_format's HTML escaping. */
    const char *names[] = { "from", "subject" };
    const char *values[] = { row->mail_from, row->subject };
    struct buf note = { 0 };
    int rc = mail_fill(i18n_text(ctx->app->i18n, "id", "revoke_mail.record"), names, values, 2,
                       &note);
    if (!rc)
        rc = revoke_done_with_note(ctx, row->request_id, (uint32_t)version, note.data);
    free(note.data);
    return rc;
}
