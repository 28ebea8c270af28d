/* /laporan [YYYY-MM] (alias /report; Kasi, Kabid, Kadis, admins): how the
 * steps finished in a month kept the SOP's time standards, per step and per
 * official: as a message, as a CSV document, and as a chart (PNG) of the
 * share within the standard per step. The same CSV is printed by
 * `sertibot report --month YYYY-MM --format csv` for the IT staff. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "certificates.h"
#include "csv.h"
#include "db_aftercare.h"
#include "db.h"
#include "db_cases.h"
#include "db_clocks.h"
#include "db_registry.h"
#include "handler.h"
#include "i18n.h"
#include "office_calendar.h"
#include "outbox.h"
#include "png_chart.h"
#include "report.h"
#include "sla_report.h"
#include "texts.h"
#include "tg_update.h"

#define PEOPLE_ROWS_MAX 64
#define TARGET_PERCENT 80 /* the chart's line: the share the agency aims for */

int report_month_parse(const char *text, int *year, int *month)
{
    char tail;
    if (sscanf(text, "%4d-%2d%c", year, month, &tail) != 2 || *month < 1 || *month > 12 ||
        *year < 2000 || *year > 9999 || strlen(text) != 7)
        return -EINVAL;
    return 0;
}

void report_month_range(int year, int month, int64_t *from_ms, int64_t *to_ms)
{
    *from_ms = cal_day_start(cal_days_from_civil(year, month, 1));
    *to_ms = cal_day_start(cal_days_from_civil(month == 12 ? year + 1 : year,
                                               month == 12 ? 1 : month + 1, 1));
}

void report_free(struct report *r)
{
    free(r->people);
    free(r->samples);
    *r = (struct report){ 0 };
}

int report_gather(struct db *db, int year, int month, struct report *r)
{
    *r = (struct report){ .year = year, .month = month };
    int64_t from, to;
    report_month_range(year, month, &from, &to);
    int rc = db_sla_samples(db, from, to, &r->samples, &r->sample_count);
    if (!rc)
        rc = sla_report_by_kind(r->samples, r->sample_count, r->kinds);
    for (int kind = 0; !rc && kind < SLA_KINDS; kind++)
        rc = sla_report_by_step_of_kind(r->samples, r->sample_count, (enum sla_kind)kind,
                                        r->steps_of_kind[kind]);
    if (!rc)
        rc = sla_report_by_step(r->samples, r->sample_count, r->steps);
    r->people = rc ? NULL : calloc(PEOPLE_ROWS_MAX, sizeof *r->people);
    if (!rc && !r->people)
        rc = -ENOMEM;
    if (!rc)
        rc = sla_report_by_actor(r->samples, r->sample_count, r->people, PEOPLE_ROWS_MAX,
                                 &r->people_count);
    if (!rc)
        rc = db_aftercare_help_row(db, from, to, &r->help);
    if (rc)
        report_free(r);
    return rc;
}

static long long minutes(int64_t ms)
{
    return (long long)((ms + 30000) / 60000);
}

/* The catalog's name of a request kind ("Baru", "Perpanjangan"). */
static const char *kind_label(const struct i18n *i18n, const char *lang, int kind)
{
    return i18n_text(i18n, lang,
                     kind == SLA_KIND_RENEWAL ? "renewal.kind.perpanjangan" : "renewal.kind.baru");
}

static void report_csv_row(struct csv *csv, const char *section, const char *name,
                           const int standard[SLA_STEPS], const struct sla_row *row)
{
    csv_field(csv, section);
    csv_number(csv, row->step);
    csv_field(csv, name);
    csv_number(csv, row->step >= 1 ? standard[row->step - 1] : -1);
    csv_number(csv, (long long)row->cases);
    csv_number(csv, row->cases ? minutes(row->median_ms) : -1);
    csv_number(csv, row->cases ? minutes(row->p90_ms) : -1);
    csv_number(csv, row->within_percent);
    csv_number(csv, (long long)row->breaches);
    csv_end_row(csv);
}

/* The same steps again for each kind of request, so a spreadsheet can set
 * renewals beside new requests; always both kinds, so the rows stay put. */
static int report_csv_kinds(const struct i18n *i18n, const char *lang, const struct report *r,
                            const int standard[SLA_STEPS], struct csv *csv)
{
    for (int kind = 0; kind < SLA_KINDS; kind++) {
        char *section = i18n_format(i18n, lang, "report.section.step_of_kind", "kind",
                                    kind_label(i18n, lang, kind), NULL);
        if (!section)
            return -ENOMEM;
        for (int i = 0; i < SLA_STEPS; i++)
            report_csv_row(csv, section, "", standard, &r->steps_of_kind[kind][i]);
        free(section);
    }
    return 0;
}

int report_csv(struct db *db, const struct i18n *i18n, const char *lang, const struct report *r,
               struct csv *csv)
{
    csv_init(csv);
    static const char *const headers[] = { "report.col.section", "report.col.step",
                                           "report.col.official", "report.col.standard",
                                           "report.col.cases", "report.col.median",
                                           "report.col.p90", "report.col.within",
                                           "report.col.breaches" };
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++)
        csv_field(csv, i18n_text(i18n, lang, headers[i]));
    csv_end_row(csv);
    int standard[SLA_STEPS] = { 0 };
    for (int step = 1; step <= SLA_STEPS; step++)
        db_standard_get(db, step, &standard[step - 1]);
    for (size_t i = 0; i < SLA_STEPS + r->people_count; i++) {
        bool per_step = i < SLA_STEPS;
        const struct sla_row *row = per_step ? &r->steps[i] : &r->people[i - SLA_STEPS];
        char name[DB_NAME_MAX] = "";
        if (!per_step)
            db_person_name(db, row->actor_id, name, sizeof name);
        report_csv_row(csv,
                       i18n_text(i18n, lang,
                                 per_step ? "report.section.step" : "report.section.official"),
                       name, standard, row);
    }
    if (report_csv_kinds(i18n, lang, r, standard, csv) != 0)
        return -ENOMEM;
    /* The certificate help requests (issue 14): each is measured against the
     * standard in force when it was made, so step and standard say -1. */
    struct sla_row help = r->help;
    help.step = -1;
    report_csv_row(csv, i18n_text(i18n, lang, "help_req.report_section"), "", standard, &help);
    return csv->out.failed ? -ENOMEM : 0;
}

static char *report_text(struct handler_ctx *ctx, const struct report *r, const char *month_text)
{
    struct app *app = ctx->app;
    struct text t;
    text_init(&t, app->i18n, ctx->lang);
    text_add(&t, "report.title", "month", month_text, NULL);
    int64_t from, to;
    size_t renewals = 0;
    report_month_range(r->year, r->month, &from, &to);
    if (db_cases_count_kind(app->db, DB_CASE_RENEWAL, from, to, &renewals) == 0 && renewals) {
        char count[24];
        snprintf(count, sizeof count, "%zu", renewals);
        text_add(&t, "renewal.report.line", "count", count, NULL);
    }
    if (r->sample_count == 0)
        text_add(&t, "report.empty", NULL);
    for (int i = 0; r->sample_count && i < SLA_STEPS; i++) {
        const struct sla_row *row = &r->steps[i];
        char step[8], cases[24], median[48], p90[48], within[16], breaches[24], standard[48];
        int standard_minutes = 0;
        db_standard_get(app->db, row->step, &standard_minutes);
        snprintf(step, sizeof step, "%d", row->step);
        text_minutes(app->i18n, ctx->lang, standard_minutes, standard, sizeof standard);
        if (!row->cases) {
            text_add(&t, "report.step_none", "step", step, "standard", standard, NULL);
            continue;
        }
        snprintf(cases, sizeof cases, "%zu", row->cases);
        text_minutes(app->i18n, ctx->lang, minutes(row->median_ms), median, sizeof median);
        text_minutes(app->i18n, ctx->lang, minutes(row->p90_ms), p90, sizeof p90);
        snprintf(within, sizeof within, "%d", row->within_percent);
        snprintf(breaches, sizeof breaches, "%zu", row->breaches);
        text_add(&t, "report.step", "step", step, "standard", standard, "cases", cases, "median",
                 median, "p90", p90, "within", within, "breaches", breaches, NULL);
    }
    for (int kind = 0; r->kinds[SLA_KIND_RENEWAL].cases && kind < SLA_KINDS; kind++) {
        const struct sla_row *row = &r->kinds[kind];
        char cases[24], median[48], within[16], breaches[24];
        snprintf(cases, sizeof cases, "%zu", row->cases);
        snprintf(within, sizeof within, "%d", row->within_percent);
        snprintf(breaches, sizeof breaches, "%zu", row->breaches);
        text_minutes(app->i18n, ctx->lang, minutes(row->median_ms), median, sizeof median);
        if (row->cases)
            text_add(&t, "report.kind_line", "kind", kind_label(app->i18n, ctx->lang, kind),
                     "cases", cases, "median", median, "within", within, "breaches", breaches,
                     NULL);
    }
    if (r->help.cases) {
        char cases[24], median[48], within[16];
        snprintf(cases, sizeof cases, "%zu", r->help.cases);
        snprintf(within, sizeof within, "%d", r->help.within_percent);
        text_minutes(app->i18n, ctx->lang, minutes(r->help.median_ms), median, sizeof median);
        text_add(&t, "help_req.report_line", "cases", cases, "median", median, "within", within,
                 NULL);
    }
    if (r->people_count)
        text_add(&t, "report.people", NULL);
    for (size_t i = 0; i < r->people_count && i < 15; i++) {
        const struct sla_row *row = &r->people[i];
        char name[DB_NAME_MAX], step[8], cases[24], within[16], median[48];
        db_person_name(app->db, row->actor_id, name, sizeof name);
        snprintf(step, sizeof step, "%d", row->step);
        snprintf(cases, sizeof cases, "%zu", row->cases);
        snprintf(within, sizeof within, "%d", row->within_percent);
        text_minutes(app->i18n, ctx->lang, minutes(row->median_ms), median, sizeof median);
        text_add(&t, "report.person", "name", name, "step", step, "cases", cases, "median", median,
                 "within", within, NULL);
    }
    if (certificates_report_section(&t, app, r->year, r->month, ctx->now_ms) != 0) {
        text_clear(&t);
        return NULL;
    }
    return text_take(&t);
}

/* Stores a document the bot made (not tied to a case) and queues it. */
static int send_made_file(struct handler_ctx *ctx, const char *kind, const char *name,
                          const char *mime, const void *data, size_t size, const char *caption,
                          const char *method, const char *field)
{
    struct db_file f = { .created_at = ctx->now_ms };
    snprintf(f.kind, sizeof f.kind, "%s", kind);
    snprintf(f.file_name, sizeof f.file_name, "%s", name);
    snprintf(f.mime_type, sizeof f.mime_type, "%s", mime);
    int64_t row = 0;
    int rc = db_file_add(ctx->app->db, &f, data, size, &row);
    if (!rc)
        rc = outbox_send_stored(ctx->app->db, ctx->update->chat_id, row, method, field, caption,
                                NULL, ctx->now_ms);
    return rc;
}

/* Photo or document? Telegram re-encodes every photo as a JPEG whose longer
 * side is at most 1280 px. Up to that size it keeps the chart's pixels, and
 * the JPEG of flat colours with text of 12 px or more stays sharp enough to
 * read, and a photo shows inline: send a photo. A larger chart would be
 * scaled down, blurring its text: send it as a document, which Telegram
 * leaves byte for byte (the PNG). */
#define TELEGRAM_PHOTO_MAX_SIDE 1280

static bool chart_as_photo(unsigned width, unsigned height)
{
    return width <= TELEGRAM_PHOTO_MAX_SIDE && height <= TELEGRAM_PHOTO_MAX_SIDE;
}

static int send_chart(struct handler_ctx *ctx, const struct report *r, const char *month_text)
{
    struct png_chart_bar bars[SLA_STEPS];
    char labels[SLA_STEPS][8];
    for (int i = 0; i < SLA_STEPS; i++) {
        snprintf(labels[i], sizeof labels[i], "%d", i + 1);
        bars[i].label = labels[i];
        bars[i].percent = r->steps[i].cases ? r->steps[i].within_percent : -1;
    }
    char *title = i18n_format(ctx->app->i18n, ctx->lang, "report.chart_title", "month", month_text,
                              NULL);
    if (!title)
        return -ENOMEM;
    struct png_chart_spec spec = {
        .title = title,
        .y_label = i18n_text(ctx->app->i18n, ctx->lang, "report.chart_y"),
        .x_label = i18n_text(ctx->app->i18n, ctx->lang, "chart.x_label"),
        .legend_good = i18n_text(ctx->app->i18n, ctx->lang, "chart.legend_good"),
        .legend_bad = i18n_text(ctx->app->i18n, ctx->lang, "chart.legend_bad"),
        .legend_target = i18n_text(ctx->app->i18n, ctx->lang, "chart.legend_target"),
        .nbars = SLA_STEPS,
        .bars = bars,
        .target = TARGET_PERCENT,
    };
    unsigned char *png = NULL;
    size_t size = 0;
    int rc = png_chart_render(&spec, &png, &size);
    free(title);
    if (rc)
        return rc;
    char name[48];
    snprintf(name, sizeof name, "laporan-%s.png", month_text);
    bool photo = chart_as_photo(spec.width ? spec.width : PNG_CHART_DEFAULT_WIDTH,
                                spec.height ? spec.height : PNG_CHART_DEFAULT_HEIGHT);
    rc = send_made_file(ctx, "export", name, "image/png", png, size, NULL,
                        photo ? "sendPhoto" : "sendDocument", photo ? "photo" : "document");
    free(png);
    return rc;
}

static int run_report(struct handler_ctx *ctx)
{
    int year, month, day;
    cal_civil_from_days(cal_day_of(ctx->now_ms), &year, &month, &day);
    if (ctx->args[0] && report_month_parse(ctx->args, &year, &month) != 0)
        return reply_text(ctx, NULL, "report.bad_month", "text", ctx->args, NULL);
    char month_text[16];
    snprintf(month_text, sizeof month_text, "%04d-%02d", year, month);
    struct report r;
    int rc = report_gather(ctx->app->db, year, month, &r);
    if (rc)
        return rc;
    char *html = report_text(ctx, &r, month_text);
    rc = html ? reply_html(ctx, html, NULL) : -ENOMEM;
    free(html);
    struct csv csv = { 0 };
    if (!rc && r.sample_count)
        rc = report_csv(ctx->app->db, ctx->app->i18n, ctx->lang, &r, &csv);
    if (!rc && r.sample_count) {
        char name[48];
        snprintf(name, sizeof name, "laporan-%s.csv", month_text);
        char *caption = i18n_format(ctx->app->i18n, ctx->lang, "report.csv_caption", "month",
                                    month_text, NULL);
        rc = caption ? send_made_file(ctx, "export", name, "text/csv", csv.out.data, csv.out.len,
                                      caption, "sendDocument", "document")
                     : -ENOMEM;
        free(caption);
        if (!rc)
            rc = send_chart(ctx, &r, month_text);
    }
    free(csv.out.data);
    report_free(&r);
    return rc;
}

const struct handler_entry handler_report = {
    .name = "report",
    .command_id = "laporan",
    .command_en = "report",
    .roles = ROLE_KADIS | ROLE_KABID | ROLE_KASI | ROLE_ADMIN,
    .in_menu = true,
    .run = run_report,
};
