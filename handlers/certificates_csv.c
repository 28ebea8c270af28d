/* /sertifikat csv (admins): the whole register as a CSV document that opens
 * in a spreadsheet, one row per register row (revoked ones included, as
 * history), by agency then name. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "app.h"
#include "certificates.h"
#include "config_letter.h"
#include "csv.h"
#include "db.h"
#include "db_registry.h"
#include "handler.h"
#include "i18n.h"
#include "office_calendar.h"

struct csv_walk {
    struct csv csv;
    const struct handler_ctx *ctx;
    size_t rows;
};

static void csv_time(struct csv *csv, int64_t ms)
{
    char local[CAL_LOCAL_SIZE], cut[20] = "";
    if (ms > 0) {
        cal_local_format(ms, local);
        snprintf(cut, sizeof cut, "%.16s", local);
    }
    csv_field(csv, cut);
}

static int add_row(const struct db_certificate *c, void *data)
{
    struct csv_walk *walk = data;
    const struct handler_ctx *ctx = walk->ctx;
    struct csv *csv = &walk->csv;
    char nip[32], number[24], key[48];
    struct db_agency agency = { .name = "" };
    config_nip_format(c->nip, nip, sizeof nip);
    db_case_number(c->case_id, number, sizeof number);
    snprintf(key, sizeof key, "cert.status.%s", db_cert_status_name(c->status));
    int rc = db_agency_get(ctx->app->db, c->agency_id, &agency);
    if (rc && rc != -ENOENT)
        return rc;
    csv_field(csv, c->name);
    csv_field(csv, nip);
    csv_field(csv, c->jabatan);
    csv_field(csv, agency.name);
    csv_field(csv, c->email);
    csv_field(csv, number);
    csv_field(csv, i18n_text(ctx->app->i18n, ctx->lang, key));
    csv_time(csv, c->login_at);
    csv_field(csv, c->valid_until);
    csv_time(csv, c->revoked_at);
    csv_field(csv, c->revoke_reason);
    csv_end_row(csv);
    walk->rows++;
    return 0;
}

int certificates_csv_send(struct handler_ctx *ctx)
{
    static const char *const headers[] = {
        "cert.col.name",   "cert.col.nip",    "cert.col.jabatan", "cert.col.agency",
        "cert.col.email",  "cert.col.case",   "cert.col.status",  "cert.col.login",
        "cert.col.until",  "cert.col.revoked", "cert.col.reason",
    };
    struct csv_walk walk = { .ctx = ctx };
    csv_init(&walk.csv);
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++)
        csv_field(&walk.csv, i18n_text(ctx->app->i18n, ctx->lang, headers[i]));
    csv_end_row(&walk.csv);
    int rc = db_certificates_each(ctx->app->db, add_row, &walk);
    if (!rc && walk.csv.out.failed)
        rc = -ENOMEM;
    char day[CAL_DATE_SIZE], count[24];
    cal_date_format(cal_day_of(ctx->now_ms), day);
    snprintf(count, sizeof count, "%zu", walk.rows);
    char name[64];
    snprintf(name, sizeof name, "register-sertifikat-%s.csv", day);
    char *caption = rc ? NULL
                       : i18n_format(ctx->app->i18n, ctx->lang, "register_cmd.csv_caption",
                                     "day", day, "count", count, NULL);
    if (!rc)
        rc = caption ? reply_document(ctx, name, "text/csv", walk.csv.out.data,
                                      walk.csv.out.len, caption)
                     : -ENOMEM;
    free(walk.csv.out.data);
    free(caption);
    return rc;
}
