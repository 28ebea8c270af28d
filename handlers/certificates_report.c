/* The register's section of the monthly report (/laporan): the month's
 * issued, expired and revoked certificates, those ending in the next
 * CERT_ENDING_DAYS_DEFAULT days, and the live holders per agency when the
 * agencies are few enough to read in chat. */
#include <stdio.h>

#include "app.h"
#include "certificates.h"
#include "db_registry.h"
#include "office_calendar.h"
#include "report.h"

/* Beyond this many agencies the per-agency lines are left to /sertifikat opd. */
#define REPORT_AGENCIES_MAX 10

static void add_agencies(struct text *t, struct app *app)
{
    struct db_cert_agency_count counts[REPORT_AGENCIES_MAX + 1];
    size_t count = 0;
    if (db_certificates_agency_counts(app->db, counts, REPORT_AGENCIES_MAX + 1, &count) != 0 ||
        count > REPORT_AGENCIES_MAX)
        return;
    for (size_t i = 0; i < count; i++) {
        struct db_agency agency;
        char live[16];
        if (db_agency_get(app->db, counts[i].agency_id, &agency) != 0)
            continue;
        snprintf(live, sizeof live, "%d", counts[i].live);
        text_add(t, "cert.report.agency", "agency", agency.name, "count", live, NULL);
    }
}

int certificates_report_section(struct text *t, struct app *app, int year, int month,
                                int64_t now_ms)
{
    int64_t from, to;
    report_month_range(year, month, &from, &to);
    int32_t first = cal_days_from_civil(year, month, 1);
    int32_t last = cal_day_of(to - 1);
    /* "Ending soon" as of today, or as of the month's last day for a past month. */
    int32_t ref = cal_day_of(now_ms) < last ? cal_day_of(now_ms) : last;
    char first_day[CAL_DATE_SIZE], last_day[CAL_DATE_SIZE], ref_day[CAL_DATE_SIZE],
        soon_day[CAL_DATE_SIZE];
    cal_date_format(first, first_day);
    cal_date_format(last, last_day);
    cal_date_format(ref, ref_day);
    cal_date_format(ref + CERT_ENDING_DAYS_DEFAULT, soon_day);
    struct db_cert_figures f;
    int rc = db_certificates_figures(app->db, from, to, first_day, last_day, ref_day, soon_day,
                                     &f);
    if (rc)
        return rc;
    char issued[16], expired[16], revoked[16], ending[16], days[16];
    snprintf(issued, sizeof issued, "%d", f.issued);
    snprintf(expired, sizeof expired, "%d", f.expired);
    snprintf(revoked, sizeof revoked, "%d", f.revoked);
    snprintf(ending, sizeof ending, "%d", f.ending_soon);
    snprintf(days, sizeof days, "%d", CERT_ENDING_DAYS_DEFAULT);
    text_add(t, "cert.report.title", NULL);
    text_add(t, "cert.report.line", "issued", issued, "expired", expired, "revoked", revoked,
             "days", days, "ending", ending, NULL);
    add_agencies(t, app);
    return 0;
}
