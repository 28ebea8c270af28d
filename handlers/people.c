#include "people.h"

#include <errno.h>

#include "app.h"
#include "config.h"
#include "db.h"
#include "db_registry.h"
#include "office_calendar.h"

void people_today(int64_t now_ms, char date[11])
{
    cal_date_format(cal_day_of(now_ms), date);
}

int people_actor(struct app *app, int64_t user_id, int64_t now_ms, struct wf_actor *out)
{
    *out = (struct wf_actor){ .user_id = user_id };
    enum role official = ROLE_NONE;
    int rc = db_official_role(app->db, user_id, &official);
    if (rc)
        return rc;
    out->roles |= official;
    if (config_is_admin(app->cfg, user_id))
        out->roles |= ROLE_ADMIN;
    struct db_applicant applicant;
    rc = db_applicant_get(app->db, user_id, &applicant);
    if (rc == 0 && applicant.status == APPLICANT_APPROVED) {
        out->roles |= ROLE_APPLICANT;
        out->agency_id = applicant.agency_id;
    } else if (rc != -ENOENT && rc != 0) {
        return rc;
    }
    char today[11];
    people_today(now_ms, today);
    return db_plh_roles_of(app->db, user_id, today, &out->plh_roles);
}

int people_for_role(struct app *app, enum role role, int64_t user_id, int64_t agency_id,
                    int64_t now_ms, int64_t *out, size_t max, size_t *count)
{
    *count = 0;
    if (role == ROLE_PELAKSANA) {
        if (user_id && max)
            out[(*count)++] = user_id;
        return 0;
    }
    if (role == ROLE_APPLICANT)
        return db_applicants_of_agency(app->db, agency_id, out, max, count);
    if (!(role & (ROLE_KADIS | ROLE_KABID | ROLE_KASI)))
        return 0;
    char today[11];
    people_today(now_ms, today);
    struct db_plh plh;
    int rc = db_plh_for_role(app->db, role, today, &plh);
    if (rc == 0) {
        if (max)
            out[(*count)++] = plh.acting_id;
        return 0;
    }
    if (rc != -ENOENT)
        return rc;
    struct db_official officials[PEOPLE_MAX];
    size_t n = 0;
    rc = db_officials_list(app->db, role, officials, PEOPLE_MAX, &n);
    for (size_t i = 0; !rc && i < n && *count < max; i++)
        out[(*count)++] = officials[i].telegram_id;
    return rc;
}

enum role people_superior(enum role role)
{
    switch (role) {
    case ROLE_PELAKSANA: return ROLE_KASI;
    case ROLE_KASI: return ROLE_KABID;
    case ROLE_KABID: return ROLE_KADIS;
    default: return ROLE_NONE;
    }
}
