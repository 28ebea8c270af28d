/* letters_sign: numbering a letter when the Kadis signs; see letters_sign.h. */
#include "letters_sign.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "case_card.h"
#include "case_rahasia.h"
#include "db_registry.h"
#include "handler.h"
#include "i18n.h"
#include "letters_send.h"
#include "office_calendar.h"
#include "outbox.h"
#include "people.h"
#include "texts.h"
#include "tg_update.h"

#define RECIPIENTS_MAX 32

/* The register's "Kepada" and "Hal": the letter's own words, in Indonesian. */
static int describe(struct app *app, const struct db_case *c, enum letters_kind kind,
                    struct db_outgoing_letter *l)
{
    struct db_agency agency = { 0 };
    int rc = db_agency_get(app->db, c->wf.agency_id, &agency);
    if (rc && rc != -ENOENT)
        return rc;
    char key[64];
    snprintf(key, sizeof key, "letters.addressee.%s", letters_kind_name(kind));
    const char *tpl = i18n_text(app->i18n, LETTERS_LANG, key);
    /* Plain text, not HTML: the agency's name goes in as written. */
    const char *mark = strstr(tpl, "{agency}");
    if (mark)
        snprintf(l->addressee, sizeof l->addressee, "%.*s%s%s", (int)(mark - tpl), tpl,
                 agency.name, mark + strlen("{agency}"));
    else
        snprintf(l->addressee, sizeof l->addressee, "%s", tpl);
    snprintf(l->subject, sizeof l->subject, "%s",
             i18n_text(app->i18n, LETTERS_LANG,
                       kind == LETTERS_RECOMMENDATION ? "letter.rec.subject"
                                                      : "letter.notif.subject"));
    return 0;
}

int letters_number_and_store(struct app *app, const struct db_case *c, enum letters_kind kind,
                             int64_t signer_id, bool via_plh, int64_t now_ms,
                             struct db_outgoing_letter *out, int64_t *file_row)
{
    if (!app || !c || (kind != LETTERS_RECOMMENDATION && kind != LETTERS_NOTIFICATION))
        return -EINVAL;
    struct db_outgoing_letter l = { .case_id = c->wf.case_id, .signed_at = now_ms,
                                    .signer_id = signer_id, .via_plh = via_plh };
    int month, day;
    int32_t today = cal_day_of(now_ms);
    cal_civil_from_days(today, &l.year, &month, &day);
    cal_date_format(today, l.letter_date);
    snprintf(l.kind, sizeof l.kind, "%s", letters_kind_name(kind));
    snprintf(l.case_number, sizeof l.case_number, "%s", c->number);
    int rc = db_outgoing_next_seq(app->db, l.kind, l.year, &l.seq);
    if (!rc)
        rc = letters_number_text(app->cfg, kind, l.seq, l.year, NULL, l.number, sizeof l.number);
    if (!rc)
        rc = describe(app, c, kind, &l);
    if (!rc)
        rc = db_outgoing_add(app->db, &l);
    unsigned char *pdf = NULL;
    size_t size = 0;
    if (!rc)
        rc = letters_render(app, c, kind, &l, &pdf, &size);
    if (rc)
        return rc;
    struct db_file f = { .case_id = c->wf.case_id, .uploaded_by = 0, .created_at = now_ms };
    snprintf(f.kind, sizeof f.kind, "numbered_%s", l.kind);
    snprintf(f.file_name, sizeof f.file_name, "%s-%s-%d-%d.pdf", l.kind, c->number, l.year,
             l.seq);
    snprintf(f.mime_type, sizeof f.mime_type, "application/pdf");
    int64_t row = 0;
    rc = db_file_add(app->db, &f, pdf, size, &row);
    free(pdf);
    if (!rc && out)
        *out = l;
    if (!rc && file_row)
        *file_row = row;
    return rc;
}

/* "20 November 2026" from the register's "2026-11-20", in `lang`. */
static char *letter_date_text(struct app *app, const char *letter_date, const char *lang)
{
    char month_key[24], day[8], year[8];
    int y = 0, m = 0, d = 0;
    sscanf(letter_date, "%4d-%2d-%2d", &y, &m, &d);
    snprintf(month_key, sizeof month_key, "letter.month.%d", m);
    snprintf(day, sizeof day, "%d", d);
    snprintf(year, sizeof year, "%d", y);
    return i18n_format(app->i18n, lang, "letter.date", "day", day, "month",
                       i18n_text(app->i18n, lang, month_key), "year", year, NULL);
}

/* The signed letter with its caption, in the reader's language: for the
 * applicant agency, the notification comes as their milestone. */
static int send_letter(struct app *app, const struct db_case *c, enum letters_kind kind,
                       const struct db_outgoing_letter *l, int64_t file_row, int64_t chat,
                       bool applicant, int64_t now_ms)
{
    const char *lang = card_lang_of(app, chat);
    char key[64];
    snprintf(key, sizeof key, "letters.kind.%s", letters_kind_name(kind));
    char *date = letter_date_text(app, l->letter_date, lang);
    char *caption = NULL;
    if (date && applicant)
        caption = letters_applicant_caption(app, c, l, date, lang);
    else if (date)
        caption = i18n_format(app->i18n, lang, "letters.signed_caption", "number", c->number,
                              "document", i18n_text(app->i18n, lang, key), "letter_number",
                              l->number, "date", date, NULL);
    free(date);
    if (!caption)
        return -ENOMEM;
    int rc;
    if (applicant && !case_rahasia_discloses(app, c, chat, chat)) {
        /* A Rahasia case's letter names its subject and holders: the
         * agency's other operators get the milestone, not the letter. */
        struct text t;
        text_init(&t, app->i18n, lang);
        text_own(&t, caption);
        caption = NULL;
        text_add(&t, "rahasia.letter_withheld", NULL);
        char *html = text_take(&t);
        rc = html ? outbox_send_text(app->db, chat, html, NULL, NULL, now_ms) : -ENOMEM;
        free(html);
    } else {
        rc = outbox_send_file(app->db, chat, file_row, caption, NULL, now_ms);
    }
    free(caption);
    return rc;
}

static void add_once(int64_t *to, size_t *count, size_t max, int64_t id)
{
    for (size_t i = 0; i < *count; i++)
        if (to[i] == id)
            return;
    if (id && *count < max)
        to[(*count)++] = id;
}

/* Who gets the signed letter: whom it goes to next (the Pelaksana who sends
 * the recommendation to BSrE; the applicant agency's operators for the
 * notification), the Kasi who prepared it, and the signer. *readers of them
 * come first: the next readers. */
static int signed_recipients(struct handler_ctx *ctx, const struct db_case *c,
                             enum letters_kind kind, int64_t *to, size_t *count, size_t *readers)
{
    struct app *app = ctx->app;
    int64_t list[RECIPIENTS_MAX];
    size_t n = 0;
    int rc;
    if (kind == LETTERS_RECOMMENDATION)
        rc = people_for_role(app, ROLE_PELAKSANA, c->wf.pelaksana_id, c->wf.agency_id,
                             ctx->now_ms, list, RECIPIENTS_MAX, &n);
    else
        rc = db_applicants_of_agency(app->db, c->wf.agency_id, list, RECIPIENTS_MAX, &n);
    *count = 0;
    for (size_t i = 0; !rc && i < n; i++)
        add_once(to, count, RECIPIENTS_MAX, list[i]);
    *readers = *count;
    if (!rc)
        rc = people_for_role(app, ROLE_KASI, 0, c->wf.agency_id, ctx->now_ms, list,
                             RECIPIENTS_MAX, &n);
    for (size_t i = 0; !rc && i < n; i++)
        add_once(to, count, RECIPIENTS_MAX, list[i]);
    if (!rc && ctx->update)
        add_once(to, count, RECIPIENTS_MAX, ctx->update->chat_id);
    return rc;
}

int letters_sign_press(struct handler_ctx *ctx, const struct db_case *c)
{
    enum letters_kind kind;
    if (c->wf.state == WF_S4_TTD_KADIS)
        kind = LETTERS_RECOMMENDATION;
    else if (c->wf.state == WF_S6_TTD_KADIS)
        kind = LETTERS_NOTIFICATION;
    else
        return 0;
    struct app *app = ctx->app;
    /* Signing as the Kadis's Plh: the actor holds the role only as acting. */
    bool via_plh = !(ctx->actor.roles & ROLE_KADIS) && (ctx->actor.plh_roles & ROLE_KADIS);
    struct db_outgoing_letter l;
    int64_t file_row = 0;
    int rc = letters_number_and_store(app, c, kind, ctx->actor.user_id, via_plh, ctx->now_ms, &l,
                                      &file_row);
    if (rc)
        return rc;
    int64_t to[RECIPIENTS_MAX];
    size_t count = 0, readers = 0;
    rc = signed_recipients(ctx, c, kind, to, &count, &readers);
    for (size_t i = 0; !rc && i < count; i++)
        rc = send_letter(app, c, kind, &l, file_row, to[i],
                         kind == LETTERS_NOTIFICATION && i < readers, ctx->now_ms);
    return rc;
}
