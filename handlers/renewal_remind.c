/* The renewal reminders (renewal.h): certificates.remind_days before a
 * certificate's end (60 and 30 days by default), the holder's agency
 * operators get one message listing the agency's holders due that round,
 * with the button "Ajukan perpanjangan", and the Kasi one with the same list
 * for information. When a reminder falls on a closed day it goes out the
 * working day before, at the start of office hours (cert_schedule.h).
 *
 * Only issued rows are reminded: a renewal under way, an expired or revoked
 * certificate is not. Each row's reminded_days is set in the same
 * transaction as the messages, so across a restart each reminder goes out
 * once; after a gap only the nearest one does. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "case_card.h"
#include "cert_schedule.h"
#include "config.h"
#include "config_letter.h"
#include "db.h"
#include "db_certificates.h"
#include "db_registry.h"
#include "i18n.h"
#include "jobs.h"
#include "keyboard.h"
#include "log.h"
#include "outbox.h"
#include "people.h"
#include "renewal.h"
#include "texts.h"

#define REMIND_ROWS_MAX 500

struct remind_round {
    struct db_certificate rows[REMIND_ROWS_MAX];
    int due[REMIND_ROWS_MAX];       /* the reminder each row is due (0: none) */
    size_t count;
};

/* One agency's share of the round, for its job. */
struct remind_agency {
    struct remind_round *round;
    int64_t agency_id;
};

/* The holders' lines of one agency, in the reader's language. */
static void add_lines(struct app *app, const char *lang, struct text *t,
                      const struct remind_agency *a, int32_t today)
{
    const struct remind_round *r = a->round;
    for (size_t i = 0; i < r->count; i++) {
        const struct db_certificate *row = &r->rows[i];
        if (!r->due[i] || row->agency_id != a->agency_id)
            continue;
        char nip[40], end[48], left[16];
        int32_t until = 0;
        cal_date_parse(row->valid_until, &until);
        config_nip_format(row->nip, nip, sizeof nip);
        text_date_long(app->i18n, lang, row->valid_until, end, sizeof end);
        snprintf(left, sizeof left, "%d", (int)(until - today));
        text_add(t, "renewal.remind.line", "name", row->name, "nip", nip, "jabatan",
                 row->jabatan, "end", end, "days", left, NULL);
    }
}

static int send_to(struct app *app, int64_t user_id, bool to_operator, const char *agency,
                   const struct remind_agency *a, size_t count, int32_t today, int64_t now_ms)
{
    const char *lang = card_lang_of(app, user_id);
    char n[16];
    snprintf(n, sizeof n, "%zu", count);
    struct text t;
    text_init(&t, app->i18n, lang);
    text_add(&t, to_operator ? "renewal.remind.operator" : "renewal.remind.kasi", "agency", agency,
             "count", n, NULL);
    add_lines(app, lang, &t, a, today);
    text_add(&t, to_operator ? "renewal.remind.operator_end" : "renewal.remind.kasi_end", NULL);
    char *html = text_take(&t);
    cJSON *keyboard = NULL;
    int rc = html ? 0 : -ENOMEM;
    if (!rc && to_operator) {
        char data[KEYBOARD_DATA_MAX + 1];
        snprintf(data, sizeof data, RENEWAL_CALLBACK ":start:%" PRId64, a->agency_id);
        keyboard = keyboard_new();
        cJSON *row = keyboard ? keyboard_row(keyboard) : NULL;
        rc = row ? keyboard_button(row, i18n_text(app->i18n, lang, "renewal.button.request"),
                                   data)
                 : -ENOMEM;
    }
    if (!rc)
        rc = outbox_send_text(app->db, user_id, html, keyboard, NULL, now_ms);
    cJSON_Delete(keyboard);
    free(html);
    return rc;
}

/* One agency's round: its operators and the Kasi told, its rows marked. */
static int remind_agency(struct app *app, void *arg, int64_t now_ms)
{
    const struct remind_agency *a = arg;
    struct remind_round *r = a->round;
    size_t count = 0;
    int rc = 0;
    for (size_t i = 0; !rc && i < r->count; i++) {
        if (!r->due[i] || r->rows[i].agency_id != a->agency_id)
            continue;
        count++;
        rc = db_certificate_set_reminded(app->db, r->rows[i].id, r->due[i], now_ms);
    }
    struct db_agency agency = { 0 };
    if (!rc)
        rc = db_agency_get(app->db, a->agency_id, &agency);
    int32_t today = cal_day_of(now_ms);
    int64_t to[PEOPLE_MAX];
    size_t n = 0;
    if (!rc)
        rc = people_for_role(app, ROLE_APPLICANT, 0, a->agency_id, now_ms, to, PEOPLE_MAX, &n);
    for (size_t i = 0; !rc && i < n; i++)
        rc = send_to(app, to[i], true, agency.name, a, count, today, now_ms);
    if (!rc)
        rc = people_for_role(app, ROLE_KASI, 0, 0, now_ms, to, PEOPLE_MAX, &n);
    for (size_t i = 0; !rc && i < n; i++)
        rc = send_to(app, to[i], false, agency.name, a, count, today, now_ms);
    if (!rc)
        log_info("renewal", "agency %" PRId64 ": %zu holder(s) reminded", a->agency_id, count);
    return rc;
}

/* Once a WIB day, not every round: the round is full, so rows further out
 * wait until the nearer ones are reminded. */
static int warn_full_round(struct app *app, int32_t today, int window_days)
{
    char day[CAL_DATE_SIZE], last[CAL_DATE_SIZE] = "";
    cal_date_format(today, day);
    int rc = db_state_get(app->db, "renewal_round_full_day", last, sizeof last);
    if (rc && rc != -ENOENT)
        return rc;
    if (!rc && strcmp(last, day) == 0)
        return 0;
    log_warn("renewal", "more than %d certificates ending within %d days wait for a reminder; "
             "the later ones wait for the nearer ones", REMIND_ROWS_MAX, window_days);
    return db_state_set(app->db, "renewal_round_full_day", day);
}

/* The issued rows whose reminder is due now. */
static int collect(struct app *app, struct remind_round *r, int64_t now_ms)
{
    const struct config_certificates *cfg = &app->cfg->certificates;
    if (cfg->remind_count == 0)
        return 0;
    int32_t today = cal_day_of(now_ms);
    char from[CAL_DATE_SIZE], to[CAL_DATE_SIZE];
    cal_date_format(today, from);
    /* A reminder moved before a long closure still falls in this window. */
    cal_date_format(today + cfg->remind_days[0] + 31, to);
    int rc = db_certificates_to_remind(app->db, from, to, cfg->remind_days[cfg->remind_count - 1],
                                       r->rows, REMIND_ROWS_MAX, &r->count);
    if (!rc && r->count == REMIND_ROWS_MAX)
        rc = warn_full_round(app, today, cfg->remind_days[0] + 31);
    for (size_t i = 0; !rc && i < r->count; i++) {
        int32_t until;
        r->due[i] = 0;
        if (r->rows[i].status != DB_CERT_ISSUED ||
            cal_date_parse(r->rows[i].valid_until, &until) != 0)
            continue;
        cert_reminder_due(&app->cal, until, cfg->remind_days, (size_t)cfg->remind_count,
                          r->rows[i].reminded_days, now_ms, &r->due[i]);
    }
    return rc;
}

int renewal_remind_run(struct app *app, int64_t now_ms)
{
    struct remind_round *r = calloc(1, sizeof *r);
    if (!r)
        return -ENOMEM;
    int rc = collect(app, r, now_ms);
    /* Each agency once, in the order its first due row comes. */
    for (size_t i = 0; !rc && i < r->count; i++) {
        bool first = r->due[i] != 0;
        for (size_t j = 0; first && j < i; j++)
            if (r->due[j] && r->rows[j].agency_id == r->rows[i].agency_id)
                first = false;
        if (!first)
            continue;
        char job[48];
        snprintf(job, sizeof job, "renewal:%" PRId64, r->rows[i].agency_id);
        struct remind_agency a = { r, r->rows[i].agency_id };
        rc = jobs_guard(app, job, remind_agency, &a, now_ms);
    }
    free(r);
    return rc;
}
