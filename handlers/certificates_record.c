/* certificates_record: a closed case's holders into the register; see
 * certificates_record.h. */
#include "certificates_record.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "case_action.h"
#include "certificates_dates.h"
#include "config.h"
#include "db_certificates.h"
#include "log.h"
#include "office_calendar.h"

int certificates_report_valid_until(struct app *app, const struct db_case *c, int64_t now_ms,
                                    char out[11], bool *typed)
{
    cJSON *draft = case_draft_get(app, c->wf.case_id, 7);
    const cJSON *valid = cJSON_GetObjectItemCaseSensitive(draft, CERT_DRAFT_VALID);
    int32_t unused;
    bool has = cJSON_IsString(valid) && strlen(valid->valuestring) == 10 &&
               cal_date_parse(valid->valuestring, &unused) == 0;
    if (has)
        memcpy(out, valid->valuestring, 11);
    cJSON_Delete(draft);
    if (typed)
        *typed = has;
    return has ? 0 : cert_valid_default(now_ms, app->cfg->certificates.validity_days, out);
}

int certificates_record_case(struct handler_ctx *ctx, const struct db_case *c,
                             const char *valid_until)
{
    struct app *app = ctx->app;
    char end[11];
    int rc = 0;
    if (!valid_until) {
        if ((rc = certificates_report_valid_until(app, c, ctx->now_ms, end, NULL)) != 0)
            return rc;
        valid_until = end;
    }
    struct db_holder holders[DB_HOLDERS_MAX];
    size_t count = 0;
    if ((rc = db_holders_list(app->db, c->wf.case_id, holders, DB_HOLDERS_MAX, &count)) != 0)
        return rc;
    cJSON *draft = case_draft_get(app, c->wf.case_id, 7);
    for (size_t h = 0; !rc && h < count; h++) {
        char item[32];
        snprintf(item, sizeof item, "login%zu", h + 1);
        bool logged_in = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(draft, item));
        struct db_certificate row = {
            .agency_id = c->wf.agency_id,
            .case_id = c->wf.case_id,
            .status = logged_in ? DB_CERT_ISSUED : DB_CERT_WAITING,
            .login_at = logged_in ? ctx->now_ms : 0,
        };
        snprintf(row.nip, sizeof row.nip, "%s", holders[h].nip);
        snprintf(row.name, sizeof row.name, "%s", holders[h].name);
        snprintf(row.jabatan, sizeof row.jabatan, "%s", holders[h].jabatan);
        snprintf(row.email, sizeof row.email, "%s", holders[h].email);
        snprintf(row.valid_until, sizeof row.valid_until, "%s", valid_until);
        rc = db_certificate_record(app->db, &row, ctx->now_ms, NULL);
    }
    cJSON_Delete(draft);
    if (!rc)
        log_info("register", "case %s, %zu holder(s) recorded, valid until %s", c->number, count,
                 valid_until);
    return rc;
}
