/* A renewal case and its register rows (renewal.h): the rows chosen become
 * renewal requested when the case is made, and go back to issued (or
 * expired, past their end) when it is returned or rejected. A renewal that
 * closes done is recorded with the new validity by the register
 * (certificates_record_case), which ends the renewal by itself. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "cert_schedule.h"
#include "db.h"
#include "db_certificates.h"
#include "log.h"
#include "renewal.h"

int renewal_case_created(struct app *app, const struct db_case *c, const cJSON *draft,
                         int64_t now_ms)
{
    int rc = 0;
    const cJSON *id;
    cJSON_ArrayForEach(id, cJSON_GetObjectItemCaseSensitive(draft, "renew_rows")) {
        struct db_certificate row;
        /* Checked again: the draft may be older than a renewal another
         * operator of the agency made meanwhile. */
        if (rc || !cJSON_IsNumber(id) ||
            db_certificate_get(app->db, (int64_t)id->valuedouble, &row) != 0 ||
            row.agency_id != c->wf.agency_id ||
            (row.status != DB_CERT_ISSUED && row.status != DB_CERT_EXPIRED))
            continue;
        rc = db_certificate_set_renewal(app->db, row.id, c->wf.case_id, now_ms);
    }
    return rc;
}

int renewal_again_rows(struct app *app, const struct db_case *c, cJSON *draft)
{
    if (c->kind != DB_CASE_RENEWAL)
        return 0;
    struct db_holder holders[DB_HOLDERS_MAX];
    size_t count = 0;
    int rc = db_holders_list(app->db, c->wf.case_id, holders, DB_HOLDERS_MAX, &count);
    cJSON *ids = rc ? NULL : cJSON_AddArrayToObject(draft, "renew_rows");
    if (!rc && !ids)
        rc = -ENOMEM;
    for (size_t i = 0; !rc && i < count; i++) {
        struct db_certificate row;
        if (db_certificate_find_live(app->db, c->wf.agency_id, holders[i].nip, &row) == 0 &&
            (row.status == DB_CERT_ISSUED || row.status == DB_CERT_EXPIRED))
            cJSON_AddItemToArray(ids, cJSON_CreateNumber((double)row.id));
    }
    return rc;
}

int renewal_case_closed(struct app *app, const struct db_case *c, int64_t now_ms)
{
    if (c->kind != DB_CASE_RENEWAL ||
        (c->wf.state != WF_CLOSED_DIKEMBALIKAN && c->wf.state != WF_CLOSED_DITOLAK))
        return 0;
    struct db_holder holders[DB_HOLDERS_MAX];
    size_t count = 0;
    int rc = db_holders_list(app->db, c->wf.case_id, holders, DB_HOLDERS_MAX, &count);
    int32_t today = cal_day_of(now_ms);
    for (size_t i = 0; !rc && i < count; i++) {
        struct db_certificate row;
        int32_t until = 0;
        if (db_certificate_find_live(app->db, c->wf.agency_id, holders[i].nip, &row) != 0 ||
            row.status != DB_CERT_RENEWAL_REQUESTED || row.renewal_case_id != c->wf.case_id)
            continue;
        bool expired = cal_date_parse(row.valid_until, &until) == 0 && cert_expired(until, today);
        rc = db_certificate_set_status(app->db, row.id, expired ? DB_CERT_EXPIRED : DB_CERT_ISSUED,
                                       now_ms);
        if (!rc)
            log_info("renewal", "%s ended without renewal: register row %" PRId64 " back to %s",
                     c->number, row.id, expired ? "expired" : "issued");
    }
    return rc;
}
