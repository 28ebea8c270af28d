#include "case_flow.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "apply.h"
#include "case_card.h"
#include "case_rahasia.h"
#include "config.h"
#include "db.h"
#include "db_clocks.h"
#include "db_registry.h"
#include "i18n.h"
#include "log.h"
#include "office_calendar.h"
#include "outbox.h"
#include "people.h"
#include "renewal.h"
#include "sla.h"
#include "texts.h"

/* --- step clocks ----------------------------------------------------------- */

/* A running clock's deadline, and the reminder it waits for next: the first
 * stage still ahead of `now_ms` (none while paused or ended). */
void case_clock_plan(const struct app *app, struct db_clock *clock, int64_t now_ms)
{
    const struct sla_policy *policy = &app->cfg->reminders;
    clock->deadline = sla_deadline(&app->cal, clock->started_at, clock->standard_minutes,
                                   clock->paused_ms);
    if (clock->paused_at || clock->ended_at) {
        clock->next_reminder = 0;
        return;
    }
    clock->reminder_stage = sla_first_stage_after(&app->cal, policy, clock->started_at,
                                                  clock->standard_minutes, clock->paused_ms,
                                                  now_ms);
    int64_t at = sla_stage_send_at(&app->cal, policy, clock->started_at, clock->standard_minutes,
                                   clock->paused_ms, clock->reminder_stage);
    clock->next_reminder = at == CAL_NEVER ? 0 : at;
}

static int clock_effect(struct app *app, int64_t case_id, const struct wf_effect *fx)
{
    if (fx->kind == WF_FX_CLOCK_START) {
        int minutes = 0;
        int rc = db_standard_get(app->db, fx->step, &minutes);
        if (rc)
            return rc;
        struct db_clock clock = { .started_at = fx->at_ms, .standard_minutes = minutes };
        case_clock_plan(app, &clock, fx->at_ms);
        rc = db_clock_start(app->db, case_id, fx->step, minutes, fx->at_ms, clock.deadline);
        if (rc)
            return rc;
        /* The new row gets its reminder plan. */
        struct db_clock stored;
        rc = db_clock_open(app->db, case_id, &stored);
        if (rc)
            return rc;
        stored.reminder_stage = clock.reminder_stage;
        stored.next_reminder = clock.next_reminder;
        return db_clock_update(app->db, &stored);
    }
    struct db_clock clock;
    int rc = db_clock_open(app->db, case_id, &clock);
    if (rc == -ENOENT) {
        log_warn("flow", "case %" PRId64 ": no open clock for step %d", case_id, fx->step);
        return 0;
    }
    if (rc)
        return rc;
    switch (fx->kind) {
    case WF_FX_CLOCK_PAUSE:
        if (!clock.paused_at)
            clock.paused_at = fx->at_ms;
        break;
    case WF_FX_CLOCK_RESUME:
        if (clock.paused_at) {
            clock.paused_ms += cal_office_ms_between(&app->cal, clock.paused_at, fx->at_ms);
            clock.paused_at = 0;
        }
        break;
    case WF_FX_CLOCK_STOP: {
        int64_t end = clock.paused_at ? clock.paused_at : fx->at_ms;
        clock.office_ms = cal_office_ms_between(&app->cal, clock.started_at, end) - clock.paused_ms;
        if (clock.office_ms < 0)
            clock.office_ms = 0;
        clock.paused_at = 0;
        clock.ended_at = fx->at_ms;
        clock.breached = clock.breached || clock.office_ms > clock.standard_minutes * CAL_MINUTE_MS;
        break;
    }
    default:
        return 0;
    }
    case_clock_plan(app, &clock, fx->at_ms);
    return db_clock_update(app->db, &clock);
}

/* --- messages -------------------------------------------------------------- */

static bool reachable(struct app *app, int64_t user_id)
{
    struct db_user user;
    return db_user_get(app->db, user_id, &user) != 0 || user.reachable;
}

/* Tells the superior of `role` and the admins that `user_id` cannot be reached
 * (or that nobody holds `role`), so the case does not wait in silence. */
static int alert_unreachable(struct app *app, const struct db_case *c, enum role role,
                             int64_t user_id, int64_t now_ms)
{
    int64_t to[PEOPLE_MAX + 16];
    size_t count = 0;
    enum role superior = people_superior(role);
    if (superior != ROLE_NONE &&
        people_for_role(app, superior, 0, 0, now_ms, to, PEOPLE_MAX, &count) != 0)
        count = 0;
    for (size_t i = 0; i < app->cfg->admins_count && count < sizeof to / sizeof to[0]; i++)
        to[count++] = app->cfg->admins[i];
    char name[DB_NAME_MAX], key[32];
    if (user_id)
        db_person_name(app->db, user_id, name, sizeof name);
    snprintf(key, sizeof key, "role.%s", role_key(role) ? role_key(role) : "admin");
    for (size_t i = 0; i < count; i++) {
        bool seen = false;
        for (size_t j = 0; j < i; j++)
            seen |= to[j] == to[i];
        if (seen || to[i] == user_id)
            continue;
        const char *lang = card_lang_of(app, to[i]);
        char *html = user_id
            ? i18n_format(app->i18n, lang, "flow.unreachable", "name", name, "role",
                          i18n_text(app->i18n, lang, key), "number", c->number, NULL)
            : i18n_format(app->i18n, lang, "flow.nobody", "role",
                          i18n_text(app->i18n, lang, key), "number", c->number, NULL);
        int rc = html ? outbox_send_text(app->db, to[i], html, NULL, NULL, now_ms) : -ENOMEM;
        free(html);
        if (rc)
            return rc;
    }
    return 0;
}

static int notify_holder(struct app *app, const struct db_case *c, const struct wf_effect *fx,
                         int64_t now_ms)
{
    int64_t to[PEOPLE_MAX];
    size_t count = 0;
    int rc = people_for_role(app, fx->role, fx->user_id, c->wf.agency_id, now_ms, to, PEOPLE_MAX,
                             &count);
    if (rc)
        return rc;
    if (count == 0)
        return alert_unreachable(app, c, fx->role, 0, now_ms);
    for (size_t i = 0; !rc && i < count; i++) {
        rc = case_card_send(app, c, to[i], now_ms);
        if (!rc && !reachable(app, to[i]))
            rc = alert_unreachable(app, c, fx->role, to[i], now_ms);
    }
    return rc;
}

static int notify_applicant(struct app *app, const struct db_case *c, const struct wf_effect *fx,
                            int64_t now_ms)
{
    int64_t to[PEOPLE_MAX];
    size_t count = 0;
    int rc = db_applicants_of_agency(app->db, c->wf.agency_id, to, PEOPLE_MAX, &count);
    for (size_t i = 0; !rc && i < count; i++) {
        const char *lang = card_lang_of(app, to[i]);
        char key[64], outcome_key[48], when[48];
        snprintf(key, sizeof key, "milestone.%s", wf_milestone_name(fx->milestone));
        snprintf(outcome_key, sizeof outcome_key, "outcome.%s", wf_bsre_outcome_name(fx->outcome));
        text_when_long(app->i18n, lang, c->wf.session_at_ms, when, sizeof when);
        struct text t;
        text_init(&t, app->i18n, lang);
        /* Every operator of the agency hears of it; of a Rahasia case the
         * others than its submitter without the subject and the note
         * (which may name holders), nor the one tap that would fill a new
         * request with them (case_rahasia.h). */
        bool discloses = case_rahasia_discloses(app, c, to[i], to[i]);
        text_add(&t, key, "number", c->number, "subject",
                 case_rahasia_subject(app, c, to[i], to[i], lang), "outcome",
                 i18n_text(app->i18n, lang, outcome_key), "when", when, "place", c->session_place,
                 NULL);
        if (fx->note && fx->note[0])
            text_add(&t, "milestone.note", "note",
                     case_rahasia_note(app, c, to[i], to[i], lang, fx->note), NULL);
        char *html = text_take(&t);
        /* A returned request can be submitted again with one tap. */
        cJSON *keyboard = fx->milestone == WF_MS_RETURNED &&
                                  c->wf.state == WF_CLOSED_DIKEMBALIKAN && discloses
                              ? apply_again_keyboard(app, lang, c)
                              : NULL;
        /* The news of a return is remembered: an undo withdraws it (case_undo.c). */
        char news_key[64];
        snprintf(news_key, sizeof news_key, "returned:%" PRId64 ":%" PRId64, c->wf.case_id, to[i]);
        rc = html ? outbox_send_text(app->db, to[i], html, keyboard,
                                     fx->milestone == WF_MS_RETURNED ? news_key : NULL, now_ms)
                  : -ENOMEM;
        cJSON_Delete(keyboard);
        free(html);
    }
    return rc;
}

static int notify_role(struct app *app, const struct db_case *c, const struct wf_effect *fx,
                       const struct wf_audit *audit, int64_t now_ms)
{
    int64_t to[PEOPLE_MAX];
    size_t count = 0;
    int rc = people_for_role(app, fx->role, fx->user_id, c->wf.agency_id, now_ms, to, PEOPLE_MAX,
                             &count);
    char actor[DB_NAME_MAX];
    db_person_name(app->db, audit->actor_id, actor, sizeof actor);
    for (size_t i = 0; !rc && i < count; i++) {
        if (to[i] == audit->actor_id)
            continue; /* who did it knows */
        const char *lang = card_lang_of(app, to[i]);
        char event_key[48], state_key[48];
        snprintf(event_key, sizeof event_key, "event.%s", wf_event_name(audit->event));
        snprintf(state_key, sizeof state_key, "state.%s", wf_state_name(fx->state));
        struct text t;
        text_init(&t, app->i18n, lang);
        text_add(&t, "flow.notice", "number", c->number, "subject",
                 case_rahasia_subject(app, c, to[i], to[i], lang), "event",
                 i18n_text(app->i18n, lang, event_key), "actor", actor, "state",
                 i18n_text(app->i18n, lang, state_key), NULL);
        if (fx->note && fx->note[0])
            text_add(&t, "card.history_note", "note", fx->note, NULL);
        char *html = text_take(&t);
        rc = html ? outbox_send_text(app->db, to[i], html, NULL, NULL, now_ms) : -ENOMEM;
        free(html);
    }
    return rc;
}

/* The work a return voided that lives in the database (workflow.h, wf_work). */
static int clear_work(struct app *app, int64_t case_id, const struct wf_effect *fx)
{
    if (fx->work & WF_WORK_CHECKS)
        return db_checks_clear(app->db, case_id);
    if (fx->work & WF_WORK_CHECKS_MISSING)
        return db_checks_clear_missing(app->db, case_id);
    return 0;
}

static int run_effects(struct app *app, const struct db_case *c, const struct wf_result *r,
                       int64_t now_ms)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < r->effect_count; i++) {
        const struct wf_effect *fx = &r->effects[i];
        switch (fx->kind) {
        case WF_FX_CLOCK_START:
        case WF_FX_CLOCK_PAUSE:
        case WF_FX_CLOCK_RESUME:
        case WF_FX_CLOCK_STOP:
            rc = clock_effect(app, c->wf.case_id, fx);
            break;
        case WF_FX_NOTIFY_HOLDER:
            rc = notify_holder(app, c, fx, now_ms);
            break;
        case WF_FX_NOTIFY_APPLICANT:
            rc = notify_applicant(app, c, fx, now_ms);
            break;
        case WF_FX_NOTIFY_ROLE:
            rc = notify_role(app, c, fx, &r->audit, now_ms);
            break;
        case WF_FX_CLEAR_WORK:
            rc = clear_work(app, c->wf.case_id, fx);
            break;
        default:
            break;
        }
    }
    return rc;
}

int case_flow_apply(struct app *app, struct db_case *c, const struct wf_event *event,
                    const struct wf_actor *actor, int64_t now_ms, int *refusal,
                    const char **missing, struct wf_result *result)
{
    struct wf_result local;
    struct wf_result *r = result ? result : &local;
    *refusal = 0;
    /* A fact the core needs to judge what survives a return, not a rule. */
    struct wf_event ev = *event;
    int rc = db_checks_documents_newer(app->db, c->wf.case_id, &ev.documents_changed);
    if (rc)
        return rc;
    *refusal = wf_apply(&c->wf, &ev, actor, now_ms, r);
    if (missing)
        *missing = r->missing;
    if (*refusal)
        return 0;
    struct db_case after = *c;
    after.wf = r->after;
    if (after.wf.state != c->wf.state)
        after.state_since = now_ms;
    if (wf_state_closed(after.wf.state) && !after.closed_at)
        after.closed_at = now_ms;
    rc = db_case_update(app->db, &after);
    if (!rc)
        rc = db_audit_add(app->db, c->wf.case_id, &r->audit);
    if (!rc)
        rc = run_effects(app, &after, r, now_ms);
    if (!rc && wf_state_closed(after.wf.state) && !wf_state_closed(c->wf.state))
        rc = renewal_case_closed(app, &after, now_ms);
    if (!rc)
        *c = after;
    return rc;
}

int case_flow_create(struct app *app, struct db_case *c, const char *agency_name,
                     const struct db_holder *holders, size_t holder_count,
                     const struct db_file *letter, const char *note, int64_t now_ms)
{
    struct wf_result r;
    if (wf_case_new(1, c->wf.agency_id, now_ms, &r) != 0)
        return -EINVAL;
    c->wf = r.after;
    c->created_at = now_ms;
    int year, month, day;
    cal_civil_from_days(cal_day_of(now_ms), &year, &month, &day);
    int rc = db_case_insert(app->db, c, agency_name, year);
    for (size_t i = 0; !rc && i < holder_count; i++)
        rc = db_holder_add(app->db, c->wf.case_id, &holders[i]);
    c->holders_count = (int)holder_count;
    if (!rc && letter) {
        struct db_file f = *letter;
        f.case_id = c->wf.case_id;
        int64_t file_row = 0;
        rc = db_file_add(app->db, &f, NULL, 0, &file_row);
        /* Telegram may drop a file one day: a copy goes to documents_dir. */
        if (!rc)
            rc = db_download_queue(app->db, file_row);
    }
    r.after.case_id = c->wf.case_id;
    r.audit.actor_id = c->applicant_id;
    r.audit.acted_as = ROLE_APPLICANT;
    r.audit.note = note && note[0] ? note : NULL;
    if (!rc)
        rc = db_audit_add(app->db, c->wf.case_id, &r.audit);
    if (!rc)
        rc = run_effects(app, c, &r, now_ms);
    return rc;
}

int case_flow_unreachable(struct app *app, int64_t user_id, int64_t now_ms)
{
    enum role official = ROLE_NONE;
    int rc = db_official_role(app->db, user_id, &official);
    if (rc || official == ROLE_NONE)
        return rc;
    struct db_case *cases = calloc(PEOPLE_MAX * 8, sizeof *cases);
    if (!cases)
        return -ENOMEM;
    size_t count = 0;
    rc = db_cases_open(app->db, cases, PEOPLE_MAX * 8, &count);
    for (size_t i = 0; !rc && i < count; i++) {
        const struct db_case *c = &cases[i];
        enum role holder = wf_state_holder_role(c->wf.state);
        if (holder != official)
            continue;
        int64_t to[PEOPLE_MAX];
        size_t n = 0;
        /* Is the work theirs now (no Plh in force, or the assigned Pelaksana)? */
        rc = people_for_role(app, holder, c->wf.pelaksana_id, c->wf.agency_id, now_ms, to,
                             PEOPLE_MAX, &n);
        bool theirs = false;
        for (size_t j = 0; j < n; j++)
            theirs |= to[j] == user_id;
        if (!rc && theirs)
            rc = alert_unreachable(app, c, holder, user_id, now_ms);
    }
    free(cases);
    return rc;
}

int case_flow_notify_holders(struct app *app, const struct db_case *c, int64_t now_ms)
{
    if (wf_state_closed(c->wf.state))
        return 0;
    struct wf_effect fx = {
        .kind = WF_FX_NOTIFY_HOLDER,
        .role = wf_state_holder_role(c->wf.state),
        .user_id = c->wf.pelaksana_id,
        .agency_id = c->wf.agency_id,
        .state = c->wf.state,
    };
    return notify_holder(app, c, &fx, now_ms);
}
