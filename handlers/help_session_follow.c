/* What follows a help request's own events for its session (a
 * reassignment, its closing), /jadwal's lines, a closed day, and what the
 * scheduler says of it; see help_session.h. */
#include "help_session.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "app.h"
#include "case_card.h"
#include "db_sessions.h"
#include "help_session_ics.h"
#include "help_slots.h"
#include "i18n.h"
#include "outbox.h"
#include "session_plan.h"
#include "sessions.h"
#include "texts.h"

/* --- reassignment ---------------------------------------------------------------- */

int help_session_reassign_check(struct app *app, int64_t help_id, int64_t to, int64_t now_ms,
                                bool *busy)
{
    *busy = false;
    struct db_session s;
    int rc = db_session_of_help(app->db, help_id, SESSION_CONFIRMED, &s);
    if (rc)
        return rc == -ENOENT ? 0 : rc;
    if (s.pelaksana_id == to || s.end_at <= now_ms)
        return 0;
    struct db_session found[8];
    size_t count = 0;
    rc = db_sessions_holding(app->db, to, s.start_at, s.end_at, found, 8, &count);
    for (size_t i = 0; !rc && i < count; i++)
        *busy |= found[i].id != s.id;
    return rc;
}

/* An open offer was the old Pelaksana's time: withdrawn, and the drafts
 * dropped; the operator hears of a withdrawn offer. */
static int offer_withdrawn(struct app *app, const struct help_view *v, int64_t now_ms)
{
    struct db_session any;
    int rc = db_session_of_help(app->db, v->owner.id, SESSION_OFFERED, &any);
    bool offered = rc == 0;
    if (rc && rc != -ENOENT)
        return rc;
    rc = db_sessions_help_set_status(app->db, v->owner.id, SESSION_OFFERED, SESSION_WITHDRAWN,
                                     now_ms);
    if (!rc)
        rc = db_sessions_help_set_status(app->db, v->owner.id, SESSION_DRAFT, SESSION_WITHDRAWN,
                                         now_ms);
    if (rc || !offered)
        return rc;
    int64_t to = v->a.r.requested_by;
    char *html = i18n_format(app->i18n, card_lang_of(app, to), "help_slot.offer_withdrawn",
                             "number", v->owner.number, NULL);
    rc = html ? outbox_send_text(app->db, to, html, NULL, NULL, now_ms) : -ENOMEM;
    free(html);
    return rc;
}

int help_session_reassigned(struct app *app, int64_t help_id, int64_t old, int64_t now_ms)
{
    struct help_view v;
    int rc = help_view_load(app, help_id, &v);
    if (!rc)
        rc = offer_withdrawn(app, &v, now_ms);
    struct db_session s;
    if (!rc)
        rc = db_session_of_help(app->db, help_id, SESSION_CONFIRMED, &s);
    if (rc)
        return rc == -ENOENT ? 0 : rc;
    if (s.pelaksana_id == v.a.r.pelaksana_id)
        return 0;
    bool ahead = s.end_at > now_ms;
    s.pelaksana_id = v.a.r.pelaksana_id;
    s.sequence += ahead;
    s.updated_at = now_ms;
    rc = db_session_update(app->db, &s);
    if (rc || !ahead) /* one over only changes hands: the report is the new one's */
        return rc;
    rc = help_session_send_ics(app, &v, &s, ICS_REQUEST, "help_slot.ics.caption_reassigned", NULL,
                               now_ms);
    if (!rc && old && old != s.pelaksana_id)
        rc = help_session_send_ics_to(app, &v, &s, ICS_CANCEL, "help_slot.ics.caption_taken",
                                      NULL, &old, 1, now_ms);
    return rc;
}

int help_session_closed(struct app *app, int64_t help_id, bool done, int64_t now_ms)
{
    int rc = db_sessions_help_set_status(app->db, help_id, SESSION_CONFIRMED,
                                         done ? SESSION_DONE : SESSION_CANCELLED, now_ms);
    if (!rc)
        rc = db_sessions_help_set_status(app->db, help_id, SESSION_OFFERED, SESSION_WITHDRAWN,
                                         now_ms);
    if (!rc)
        rc = db_sessions_help_set_status(app->db, help_id, SESSION_DRAFT, SESSION_WITHDRAWN,
                                         now_ms);
    return rc;
}

int help_session_listing(struct app *app, const struct db_session *s,
                         const struct wf_actor *viewer, const char *lang, char *number,
                         size_t number_size, char *agency, size_t agency_size, cJSON **buttons)
{
    if (buttons)
        *buttons = NULL;
    struct help_view v;
    int rc = help_view_load(app, s->help_id, &v);
    if (rc)
        return rc;
    snprintf(number, number_size, "%s", v.owner.number);
    snprintf(agency, agency_size, "%s", v.owner.agency);
    if (!buttons || s->status != SESSION_CONFIRMED ||
        hs_may(&v.a.r, HS_CHANGE, v.a.r.version, viewer) != 0)
        return 0;
    *buttons = help_session_change_buttons(app, lang, &v);
    return *buttons ? 0 : -ENOMEM;
}

int help_session_flag_closed_day(struct app *app, const struct db_session *s, const char *date,
                                 const char *day_name, int64_t now_ms)
{
    struct help_view v;
    int64_t to[HELP_RECIPIENTS_MAX];
    size_t count = 0;
    int rc = help_view_load(app, s->help_id, &v);
    if (!rc && v.a.r.state != AC_S_PELAKSANA)
        return 0;
    if (!rc)
        rc = help_session_recipients(app, &v, s, now_ms, to, &count);
    char pelaksana[DB_NAME_MAX];
    db_person_name(app->db, s->pelaksana_id, pelaksana, sizeof pelaksana);
    for (size_t i = 0; !rc && i < count; i++) {
        const char *lang = card_lang_of(app, to[i]);
        char span[96], long_date[48] = "";
        sessions_span_text(app, lang, s->start_at, s->end_at, span, sizeof span);
        text_date_long(app->i18n, lang, date, long_date, sizeof long_date);
        char *html = i18n_format(app->i18n, lang, "help_slot.closed_day", "date", long_date,
                                 "name", day_name, "number", v.owner.number, "when", span,
                                 "place", s->place, "pelaksana", pelaksana, NULL);
        cJSON *markup = help_session_change_buttons(app, lang, &v);
        rc = html && markup ? outbox_send_text(app->db, to[i], html, markup, NULL, now_ms)
                            : -ENOMEM;
        free(html);
        cJSON_Delete(markup);
    }
    return rc;
}

/* --- the scheduler's words --------------------------------------------------------- */

int help_request_session_live(struct app *app, const struct db_session *s, bool *live)
{
    struct db_aftercare a;
    int rc = db_aftercare_get(app->db, s->help_id, &a);
    *live = !rc && s->status == SESSION_CONFIRMED && a.r.state == AC_S_PELAKSANA;
    return rc == -ENOENT ? 0 : rc;
}

int help_request_session_say(struct app *app, const struct db_session *s, int stage,
                             int64_t now_ms)
{
    struct help_view v;
    int rc = help_view_load(app, s->help_id, &v);
    char key[48];
    if (stage == SESSION_STAGE_ASK_REPORT)
        snprintf(key, sizeof key, "help_req.session_over");
    else
        snprintf(key, sizeof key, "schedule.remind.%s", session_stage_name(stage));
    int64_t to[2] = { v.a.r.pelaksana_id, v.a.r.requested_by };
    size_t n = stage == SESSION_STAGE_ASK_REPORT ? 1 : 2;
    char pelaksana[DB_NAME_MAX];
    db_person_name(app->db, s->pelaksana_id, pelaksana, sizeof pelaksana);
    for (size_t i = 0; !rc && i < n; i++) {
        if (!to[i])
            continue;
        const char *lang = card_lang_of(app, to[i]);
        char span[96];
        sessions_span_text(app, lang, s->start_at, s->end_at, span, sizeof span);
        char *html = i18n_format(app->i18n, lang, key, "number", v.owner.number, "when", span,
                                 "place", s->place, "pelaksana", pelaksana, NULL);
        rc = html ? outbox_send_text(app->db, to[i], html, NULL, NULL, now_ms) : -ENOMEM;
        free(html);
    }
    return rc;
}
