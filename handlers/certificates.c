/* /sertifikat (/certificate): the register of certificate holders in chat;
 * see certificates.h. */
#include "certificates.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "args.h"
#include "certificates_dates.h"
#include "config_letter.h"
#include "db.h"
#include "db_registry.h"
#include "db_retention.h"
#include "handler.h"
#include "i18n.h"
#include "keyboard.h"
#include "tg_html.h"
#include "tg_update.h"

#define AGENCIES_MAX 256
#define QUERY_MAX 64

void certificates_row_text(struct text *t, struct app *app, const char *lang,
                           const struct db_certificate *c, bool with_agency)
{
    char nip[32], name[96], jabatan[96], until[48], key[48];
    config_nip_format(c->nip, nip, sizeof nip);
    text_cut(c->name, name, sizeof name);
    text_cut(c->jabatan, jabatan, sizeof jabatan);
    if (c->valid_until[0])
        text_date_long(app->i18n, lang, c->valid_until, until, sizeof until);
    else
        snprintf(until, sizeof until, "%s", "\xe2\x80\x94");
    snprintf(key, sizeof key, "cert.status.%s", db_cert_status_name(c->status));
    text_add(t, "register_cmd.row", "name", name, "nip", nip, "jabatan", jabatan, "status",
             i18n_text(app->i18n, lang, key), "until", until, NULL);
    if (with_agency) {
        struct db_agency agency;
        if (db_agency_get(app->db, c->agency_id, &agency) == 0) {
            text_cut(agency.name, name, sizeof name);
            text_add(t, "register_cmd.row_agency", "agency", name, NULL);
        }
    }
}

static bool is_official(const struct handler_ctx *ctx)
{
    return (ctx->roles & (ROLE_OFFICIAL | ROLE_ADMIN)) != 0;
}

/* The agency an operator may look at; 0 for officials (all of them). */
static int64_t own_agency(const struct handler_ctx *ctx)
{
    return is_official(ctx) ? 0 : ctx->actor.agency_id;
}

/* A new message for a command, the same message edited for a page button. */
static int show(struct handler_ctx *ctx, const char *html, const cJSON *markup)
{
    return ctx->callback_rest ? reply_edit_html(ctx, html, markup) : reply_html(ctx, html, markup);
}

static void page_button(struct handler_ctx *ctx, cJSON *row, const char *key, const char *fmt,
                        size_t page)
{
    char data[KEYBOARD_DATA_MAX + 1];
    snprintf(data, sizeof data, fmt, page);
    keyboard_button(row, i18n_text(ctx->app->i18n, ctx->lang, key), data);
}

/* Page `page` (from 0) of `rows`, under `title` (already HTML), with
 * buttons to the neighbouring pages; `page_fmt` makes a page's callback
 * data from its number (one %zu). */
static int show_page(struct handler_ctx *ctx, const char *title, const struct db_certificate *rows,
                     size_t count, size_t page, const char *page_fmt, bool with_agency)
{
    size_t pages = count ? (count + CERT_PAGE_ROWS - 1) / CERT_PAGE_ROWS : 1;
    if (page >= pages)
        page = pages - 1;
    struct text t;
    text_init(&t, ctx->app->i18n, ctx->lang);
    text_raw(&t, title);
    if (!count)
        text_add(&t, "register_cmd.empty", NULL);
    for (size_t i = page * CERT_PAGE_ROWS; i < count && i < (page + 1) * CERT_PAGE_ROWS; i++)
        certificates_row_text(&t, ctx->app, ctx->lang, &rows[i], with_agency);
    cJSON *keyboard = NULL;
    if (pages > 1) {
        char at[24], total[24];
        snprintf(at, sizeof at, "%zu", page + 1);
        snprintf(total, sizeof total, "%zu", pages);
        text_add(&t, "register_cmd.page", "page", at, "pages", total, NULL);
        keyboard = keyboard_new();
        cJSON *row = keyboard ? keyboard_row(keyboard) : NULL;
        if (row && page > 0)
            page_button(ctx, row, "register_cmd.button.prev", page_fmt, page - 1);
        if (row && page + 1 < pages)
            page_button(ctx, row, "register_cmd.button.next", page_fmt, page + 1);
    }
    char *html = text_take(&t);
    int rc = html ? show(ctx, html, keyboard) : -ENOMEM;
    free(html);
    cJSON_Delete(keyboard);
    return rc;
}

/* Room for the longest list a page is cut from; the caller frees it. */
static struct db_certificate *rows_alloc(void)
{
    return calloc(CERT_LIST_MAX, sizeof(struct db_certificate));
}

static int list_agency(struct handler_ctx *ctx, int64_t agency_id, size_t page)
{
    struct db_agency agency;
    int rc = db_agency_get(ctx->app->db, agency_id, &agency);
    if (rc == -ENOENT || (own_agency(ctx) && own_agency(ctx) != agency_id)) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    struct db_certificate *rows = rc ? NULL : rows_alloc();
    if (rc || !rows)
        return rc ? rc : -ENOMEM;
    size_t count = 0;
    rc = db_certificates_of_agency(ctx->app->db, agency_id, rows, CERT_LIST_MAX, &count);
    char *title = rc ? NULL
                     : i18n_format(ctx->app->i18n, ctx->lang, "register_cmd.title_agency",
                                   "agency", agency.name, NULL);
    char fmt[48];
    snprintf(fmt, sizeof fmt, "crt:a:%" PRId64 ":%%zu", agency_id);
    if (!rc)
        rc = title ? show_page(ctx, title, rows, count, page, fmt, false) : -ENOMEM;
    free(title);
    free(rows);
    return rc;
}

static int list_ending(struct handler_ctx *ctx, int days, size_t page)
{
    char from[11], to[11], days_text[16];
    cert_day_after(ctx->now_ms, 0, from);
    cert_day_after(ctx->now_ms, days, to);
    snprintf(days_text, sizeof days_text, "%d", days);
    struct db_certificate *rows = rows_alloc();
    if (!rows)
        return -ENOMEM;
    size_t count = 0, kept = 0;
    int rc = db_certificates_ending(ctx->app->db, from, to, rows, CERT_LIST_MAX, &count);
    for (size_t i = 0; i < count; i++) /* an operator: their own agency's only */
        if (!own_agency(ctx) || rows[i].agency_id == own_agency(ctx))
            rows[kept++] = rows[i];
    count = kept;
    char *title = rc ? NULL
                     : i18n_format(ctx->app->i18n, ctx->lang, "register_cmd.title_ending", "days",
                                   days_text, NULL);
    char fmt[48];
    snprintf(fmt, sizeof fmt, "crt:h:%d:%%zu", days);
    if (!rc)
        rc = title ? show_page(ctx, title, rows, count, page, fmt, is_official(ctx)) : -ENOMEM;
    free(title);
    free(rows);
    return rc;
}

static int list_search(struct handler_ctx *ctx, const char *query, size_t page)
{
    struct db_certificate *rows = rows_alloc();
    if (!rows)
        return -ENOMEM;
    size_t count = 0;
    int rc = db_certificates_search(ctx->app->db, query, own_agency(ctx), rows, CERT_LIST_MAX,
                                    &count);
    char *title = NULL;
    if (!rc && count == 0) { /* another agency's holder reads exactly like nobody */
        rc = reply_text(ctx, NULL, "register_cmd.not_found", "text", query, NULL);
        goto out;
    }
    if (!rc && !(title = i18n_format(ctx->app->i18n, ctx->lang, "register_cmd.title_search",
                                     "text", query, NULL)))
        rc = -ENOMEM;
    if (!rc)
        rc = show_page(ctx, title, rows, count, page, "crt:s:%zu", is_official(ctx));
out:
    free(title);
    free(rows);
    return rc;
}

/* The agencies with live holders, one button each. */
static int list_agencies(struct handler_ctx *ctx)
{
    struct db_cert_agency_count counts[AGENCIES_MAX];
    size_t count = 0;
    int rc = db_certificates_agency_counts(ctx->app->db, counts, AGENCIES_MAX, &count);
    if (rc)
        return rc;
    if (count == 0)
        return show(ctx, i18n_text(ctx->app->i18n, ctx->lang, "register_cmd.no_agencies"), NULL);
    cJSON *keyboard = keyboard_new();
    for (size_t i = 0; keyboard && i < count; i++) {
        struct db_agency agency;
        if (db_agency_get(ctx->app->db, counts[i].agency_id, &agency) != 0)
            continue;
        char label[160], name[96], live[16], data[48];
        text_cut(agency.name, name, sizeof name);
        snprintf(live, sizeof live, "%d", counts[i].live);
        char *text = i18n_format(ctx->app->i18n, ctx->lang, "register_cmd.agency_button",
                                 "agency", name, "count", live, NULL);
        char *plain = text ? tg_html_plain(text) : NULL;
        snprintf(label, sizeof label, "%s", plain ? plain : name);
        free(plain);
        free(text);
        snprintf(data, sizeof data, "crt:a:%" PRId64 ":0", counts[i].agency_id);
        keyboard_button(keyboard_row(keyboard), label, data);
    }
    rc = keyboard ? show(ctx, i18n_text(ctx->app->i18n, ctx->lang, "register_cmd.title_agencies"),
                         keyboard)
                  : -ENOMEM;
    cJSON_Delete(keyboard);
    return rc;
}

/* "habis [N]": N from 1 to 3650 days. */
static int command_ending(struct handler_ctx *ctx, const char *cursor)
{
    char word[ARGS_WORD_SIZE], extra[ARGS_WORD_SIZE];
    uint64_t days = CERT_ENDING_DAYS_DEFAULT;
    if (args_next(&cursor, word, sizeof word) &&
        (args_decimal(word, 3650, &days) != 0 || days == 0 ||
         args_next(&cursor, extra, sizeof extra)))
        return reply_text(ctx, NULL, "register_cmd.bad_days", "text", ctx->args, NULL);
    return list_ending(ctx, (int)days, 0);
}

/* A search: remembered per person so its pages can be turned, as
 * "<ms> <query>" under SEARCH_KEY (db_retention.h: forgotten after a day). */
static int command_search(struct handler_ctx *ctx, const char *query)
{
    char key[48], value[QUERY_MAX + 32];
    snprintf(key, sizeof key, SEARCH_KEY "%" PRId64, ctx->update->user_id);
    snprintf(value, sizeof value, "%" PRId64 " %s", ctx->now_ms, query);
    int rc = db_state_set(ctx->app->db, key, value);
    return rc ? rc : list_search(ctx, query, 0);
}

/* An official's /sertifikat alone: what it can do, the two lists as buttons. */
static int usage(struct handler_ctx *ctx)
{
    cJSON *keyboard = keyboard_new();
    cJSON *row = keyboard ? keyboard_row(keyboard) : NULL;
    char data[24], days[16];
    snprintf(data, sizeof data, "crt:h:%d:0", CERT_ENDING_DAYS_DEFAULT);
    snprintf(days, sizeof days, "%d", CERT_ENDING_DAYS_DEFAULT);
    char *ending = i18n_format(ctx->app->i18n, ctx->lang, "register_cmd.button.ending", "days",
                               days, NULL);
    char *plain = ending ? tg_html_plain(ending) : NULL;
    if (row && plain) {
        keyboard_button(row, i18n_text(ctx->app->i18n, ctx->lang, "register_cmd.button.agencies"),
                        "crt:o");
        keyboard_button(row, plain, data);
    }
    free(plain);
    free(ending);
    int rc = reply_text(ctx, keyboard, "register_cmd.usage", NULL);
    cJSON_Delete(keyboard);
    return rc;
}

static int run_command(struct handler_ctx *ctx)
{
    const char *cursor = ctx->args;
    char word[ARGS_WORD_SIZE], query[QUERY_MAX + 1];
    if (args_rest(ctx->args, query, sizeof query) != 0)
        return reply_text(ctx, NULL, "register_cmd.too_long", NULL);
    bool word_read = args_next(&cursor, word, sizeof word);
    bool ending = word_read && (strcasecmp(word, "habis") == 0 || strcasecmp(word, "ending") == 0);
    if (!is_official(ctx)) { /* an operator: their agency, searched, ending or whole */
        if (!ctx->actor.agency_id)
            return reply_text(ctx, NULL, "register_cmd.not_operator", NULL);
        if (ending)
            return command_ending(ctx, cursor);
        return query[0] ? command_search(ctx, query)
                        : list_agency(ctx, ctx->actor.agency_id, 0);
    }
    if (!word_read)
        return usage(ctx);
    if ((strcasecmp(word, "opd") == 0 || strcasecmp(word, "agencies") == 0) &&
        !args_next(&cursor, word, sizeof word))
        return list_agencies(ctx);
    if (ending)
        return command_ending(ctx, cursor);
    if (strcasecmp(word, "csv") == 0 && !args_next(&cursor, word, sizeof word))
        return (ctx->roles & ROLE_ADMIN) ? certificates_csv_send(ctx)
                                         : reply_text(ctx, NULL, "register_cmd.csv_admins", NULL);
    return command_search(ctx, query);
}

/* "<a>:<page>" after "a:" or "h:", both numbers read strictly. */
static bool two_numbers(const char *text, uint64_t a_max, uint64_t *a, uint64_t *page)
{
    const char *colon = strchr(text, ':');
    return colon && args_decimal_n(text, (size_t)(colon - text), a_max, a) == 0 &&
           args_decimal(colon + 1, 10000, page) == 0;
}

/* A page button; its numbers are read strictly and checked again. */
static int run_press(struct handler_ctx *ctx)
{
    const char *rest = ctx->callback_rest;
    uint64_t a = 0, page = 0;
    if (strcmp(rest, "o") == 0 && is_official(ctx))
        return list_agencies(ctx);
    if (strncmp(rest, "a:", 2) == 0 && two_numbers(rest + 2, INT64_MAX, &a, &page))
        return list_agency(ctx, (int64_t)a, (size_t)page);
    if (strncmp(rest, "h:", 2) == 0 && two_numbers(rest + 2, 3650, &a, &page) && a >= 1)
        return list_ending(ctx, (int)a, (size_t)page);
    if (strncmp(rest, "s:", 2) == 0 && args_decimal(rest + 2, 10000, &page) == 0) {
        char key[48], value[QUERY_MAX + 32];
        snprintf(key, sizeof key, SEARCH_KEY "%" PRId64, ctx->update->user_id);
        int rc = db_state_get(ctx->app->db, key, value, sizeof value);
        if (rc && rc != -ENOENT)
            return rc;
        const char *query = rc ? NULL : strchr(value, ' ');
        if (query && query[1])
            return list_search(ctx, query + 1, (size_t)page);
    }
    reply_answer(ctx, "error.stale_button", false);
    return 0;
}

static int run_certificates(struct handler_ctx *ctx)
{
    return ctx->callback_rest ? run_press(ctx) : run_command(ctx);
}

const struct handler_entry handler_certificates = {
    .name = "certificates",
    .command_id = "sertifikat",
    .command_en = "certificate",
    .callback_prefix = "crt",
    .roles = ROLE_OFFICIAL | ROLE_ADMIN | ROLE_APPLICANT,
    .in_menu = true,
    .run = run_certificates,
};
