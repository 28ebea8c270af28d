/* /agenda [YYYY-MM] (Kasi, Kabid, Kadis, admins): the Buku Agenda of a month
 * (this month by default) as a CSV document that opens in a spreadsheet: the
 * incoming letters, then, after an empty row and a "Surat keluar" row, the
 * outgoing letters signed that month with their numbers (db_letters.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "csv.h"
#include "case_card.h"
#include "db_cases.h"
#include "db_letters.h"
#include "db_registry.h"
#include "handler.h"
#include "i18n.h"
#include "office_calendar.h"
#include "outbox.h"
#include "texts.h"
#include "tg_update.h"

struct agenda_walk {
    struct csv csv;
    const struct handler_ctx *ctx;
};

static int add_entry(const struct db_agenda_entry *e, void *data)
{
    struct agenda_walk *walk = data;
    struct csv *csv = &walk->csv;
    const struct handler_ctx *ctx = walk->ctx;
    char number[24], received[48], state_key[48];
    snprintf(number, sizeof number, "%04d/%d", e->number, e->year);
    char local[CAL_LOCAL_SIZE];
    cal_local_format(e->received_at, local);
    snprintf(received, sizeof received, "%.16s", local);
    snprintf(state_key, sizeof state_key, "state.%s", e->state);
    csv_field(csv, number);
    csv_field(csv, received);
    csv_field(csv, e->sender);
    csv_field(csv, e->letter_number);
    csv_field(csv, e->letter_date);
    csv_field(csv, e->subject);
    csv_field(csv, e->case_number);
    csv_field(csv, i18n_text(ctx->app->i18n, ctx->lang, state_key));
    /* The dispositions travel with the case into the register too. */
    int64_t case_id = 0;
    char dispositions[1024] = "";
    if (db_case_number_parse(e->case_number, &case_id) == 0) {
        int rc = case_card_dispositions_plain(ctx->app, case_id, ctx->lang, dispositions,
                                              sizeof dispositions);
        if (rc)
            return rc;
    }
    csv_field(csv, dispositions);
    csv_end_row(csv);
    return 0;
}

static int add_outgoing(const struct db_outgoing_letter *l, void *data)
{
    struct agenda_walk *walk = data;
    struct csv *csv = &walk->csv;
    const struct handler_ctx *ctx = walk->ctx;
    char key[48], signer[128];
    snprintf(key, sizeof key, "letters.kind.%s", l->kind);
    if (db_person_name(ctx->app->db, l->signer_id, signer, sizeof signer) != 0)
        snprintf(signer, sizeof signer, "%lld", (long long)l->signer_id);
    csv_field(csv, l->number);
    csv_field(csv, l->letter_date);
    csv_field(csv, i18n_text(ctx->app->i18n, ctx->lang, key));
    csv_field(csv, l->addressee);
    csv_field(csv, l->subject);
    csv_field(csv, l->case_number);
    csv_field(csv, signer);
    csv_end_row(csv);
    return 0;
}

/* The outgoing letters' part: a title row, its header, one row each. */
static int add_outgoing_part(struct agenda_walk *walk, int64_t from, int64_t to)
{
    const struct handler_ctx *ctx = walk->ctx;
    static const char *const headers[] = {
        "letters.agenda.col.number",    "letters.agenda.col.date",    "letters.agenda.col.kind",
        "letters.agenda.col.addressee", "letters.agenda.col.subject", "letters.agenda.col.case",
        "letters.agenda.col.signer",
    };
    csv_end_row(&walk->csv);
    csv_field(&walk->csv, i18n_text(ctx->app->i18n, ctx->lang, "letters.agenda.outgoing"));
    csv_end_row(&walk->csv);
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++)
        csv_field(&walk->csv, i18n_text(ctx->app->i18n, ctx->lang, headers[i]));
    csv_end_row(&walk->csv);
    return db_outgoing_between(ctx->app->db, from, to, add_outgoing, walk);
}

static int run_agenda(struct handler_ctx *ctx)
{
    int year, month, day;
    cal_civil_from_days(cal_day_of(ctx->now_ms), &year, &month, &day);
    if (ctx->args[0]) {
        char tail;
        if (sscanf(ctx->args, "%4d-%2d%c", &year, &month, &tail) != 2 || month < 1 || month > 12 ||
            year < 2000 || year > 9999)
            return reply_text(ctx, NULL, "agenda.bad_month", "text", ctx->args, NULL);
    }
    int64_t from = cal_day_start(cal_days_from_civil(year, month, 1));
    int64_t to = cal_day_start(cal_days_from_civil(month == 12 ? year + 1 : year,
                                                   month == 12 ? 1 : month + 1, 1));
    struct agenda_walk walk = { .ctx = ctx };
    csv_init(&walk.csv);
    static const char *const headers[] = { "agenda.col.number", "agenda.col.received",
                                           "agenda.col.sender", "agenda.col.letter_number",
                                           "agenda.col.letter_date", "agenda.col.subject",
                                           "agenda.col.case", "agenda.col.state",
                                           "agenda.col.dispositions" };
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++)
        csv_field(&walk.csv, i18n_text(ctx->app->i18n, ctx->lang, headers[i]));
    csv_end_row(&walk.csv);
    int rc = db_agenda_between(ctx->app->db, from, to, add_entry, &walk);
    size_t incoming = walk.csv.rows - 1; /* the header is no letter */
    if (!rc)
        rc = add_outgoing_part(&walk, from, to);
    struct csv csv = walk.csv;
    if (!rc && csv.out.failed)
        rc = -ENOMEM;
    char month_text[16], count[16];
    snprintf(month_text, sizeof month_text, "%04d-%02d", year, month);
    snprintf(count, sizeof count, "%zu", incoming);
    char name[48];
    snprintf(name, sizeof name, "buku-agenda-%s.csv", month_text);
    char *caption = rc ? NULL
                       : i18n_format(ctx->app->i18n, ctx->lang, "agenda.caption", "month",
                                     month_text, "count", count, NULL);
    if (!rc)
        rc = caption ? reply_document(ctx, name, "text/csv", csv.out.data, csv.out.len, caption)
                     : -ENOMEM;
    free(csv.out.data);
    free(caption);
    return rc;
}

const struct handler_entry handler_agenda = {
    .name = "agenda",
    .command_id = "agenda",
    .roles = ROLE_KADIS | ROLE_KABID | ROLE_KASI | ROLE_ADMIN,
    .in_menu = true,
    .run = run_agenda,
};
