/* What the bot says by itself about a confirmed session (session_plan.h):
 * the reminders the day before (at the start of office hours) and an hour
 * before, to the applicant's operators and the Pelaksana; and, once the
 * slot's time is over, the question to the Pelaksana for the step-7 report,
 * with the card whose buttons send it or say the applicant did not come.
 * A help request's session (help_id set) follows the same plan; what it
 * says and to whom is help_session_follow.c's (help_request_session_say).
 *
 * Runs inside the scheduler's transaction: the stage a session moves to and
 * the messages commit together, so a restart neither repeats nor loses one.
 * After a long stop only the latest due stage of a session is sent. Each
 * session is a job of its own (jobs_guard): one that fails waits in the
 * quarantine while the others speak.
 *
 * When the office calendar changes (/libur), sessions_replan_reminders
 * plans every waiting reminder again in the change's transaction
 * (session_plan_again): the "day before" follows the new working days, and
 * a stage already sent stays sent. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "case_card.h"
#include "db.h"
#include "db_cases.h"
#include "db_jobs.h"
#include "db_registry.h"
#include "i18n.h"
#include "jobs.h"
#include "log.h"
#include "outbox.h"
#include "people.h"
#include "help_session.h"
#include "session_plan.h"
#include "session_card.h"
#include "sessions.h"

#define DUE_BATCH 64

static int tell(struct app *app, const struct db_case *c, const struct db_session *s,
                int64_t user_id, const char *key, int64_t now_ms)
{
    const char *lang = card_lang_of(app, user_id);
    char span[96], pelaksana[DB_NAME_MAX];
    sessions_span_text(app, lang, s->start_at, s->end_at, span, sizeof span);
    db_person_name(app->db, c->wf.pelaksana_id, pelaksana, sizeof pelaksana);
    char *html = i18n_format(app->i18n, lang, key, "number", c->number, "when", span, "place",
                             s->place, "pelaksana", pelaksana, NULL);
    int rc = html ? outbox_send_text(app->db, user_id, html, NULL, NULL, now_ms) : -ENOMEM;
    free(html);
    return rc;
}

/* The reminder of `stage` to the applicant's operators and the Pelaksana
 * who holds step 7 now (the case's, should an admin have reassigned it). */
static int remind(struct app *app, const struct db_case *c, const struct db_session *s,
                  int stage, int64_t now_ms)
{
    char key[48];
    snprintf(key, sizeof key, "schedule.remind.%s", session_stage_name(stage));
    int64_t to[PEOPLE_MAX];
    size_t count = 0;
    int rc = db_applicants_of_agency(app->db, c->wf.agency_id, to, PEOPLE_MAX, &count);
    for (size_t i = 0; !rc && i < count; i++)
        rc = tell(app, c, s, to[i], key, now_ms);
    if (!rc && c->wf.pelaksana_id)
        rc = tell(app, c, s, c->wf.pelaksana_id, key, now_ms);
    return rc;
}

static int ask_report(struct app *app, const struct db_case *c, const struct db_session *s,
                      int64_t now_ms)
{
    if (!c->wf.pelaksana_id)
        return 0;
    /* The card from the session's agreement ends first: one live card. */
    int rc = session_card_retire(app, c, c->wf.pelaksana_id, now_ms);
    if (!rc)
        rc = tell(app, c, s, c->wf.pelaksana_id, "schedule.ask_report", now_ms);
    if (!rc)
        rc = case_card_send(app, c, c->wf.pelaksana_id, now_ms);
    return rc;
}

/* Whether the session's owner still waits for it: a case in step 7, or a
 * help request with its Pelaksana (help_session.h). */
static int owner_live(struct app *app, const struct db_session *s, struct db_case *c, bool *live)
{
    if (s->help_id)
        return help_request_session_live(app, s, live);
    int rc = db_case_get(app->db, s->case_id, c);
    *live = !rc && s->status == SESSION_CONFIRMED && c->wf.state == WF_S7_PENDAMPINGAN;
    return rc;
}

/* One session's stage, as one job (jobs_guard). */
static int run_one(struct app *app, void *arg, int64_t now_ms)
{
    struct db_session *s = arg;
    struct db_case c = { 0 };
    bool live = false;
    int rc = owner_live(app, s, &c, &live);
    int send = -1, next = SESSION_STAGE_DONE;
    int64_t next_due = 0;
    /* Only a session its owner is still waiting for speaks. */
    if (!rc && live)
        rc = session_plan_due(&app->cal, s->start_at, s->end_at, s->remind_stage, now_ms, &send,
                              &next, &next_due);
    if (rc)
        return rc;
    if (send >= 0 && s->help_id)
        rc = help_request_session_say(app, s, send, now_ms);
    else if (send == SESSION_STAGE_ASK_REPORT)
        rc = ask_report(app, &c, s, now_ms);
    else if (send >= 0)
        rc = remind(app, &c, s, send, now_ms);
    if (rc)
        return rc;
    if (send >= 0)
        log_info("sessions", "%s %" PRId64 " session %" PRId64 ": %s sent",
                 s->help_id ? "help" : "case", s->help_id ? s->help_id : s->case_id, s->id,
                 session_stage_name(send));
    s->remind_stage = next;
    s->next_due = next_due;
    s->updated_at = now_ms;
    return db_session_update(app->db, s);
}

int sessions_send_due(struct app *app, int64_t now_ms)
{
    struct db_session *due = calloc(DUE_BATCH, sizeof *due);
    if (!due)
        return -ENOMEM;
    size_t count = 0;
    int rc = db_sessions_due(app->db, now_ms, due, DUE_BATCH, &count);
    for (size_t i = 0; !rc && i < count; i++) {
        char name[48];
        snprintf(name, sizeof name, DB_JOB_SESSION "%" PRId64, due[i].id);
        rc = jobs_guard(app, name, run_one, &due[i], now_ms);
    }
    free(due);
    return rc;
}

int sessions_replan_reminders(struct app *app, int64_t now_ms, int *moved)
{
    *moved = 0;
    struct db_session *page = calloc(DUE_BATCH, sizeof *page);
    if (!page)
        return -ENOMEM;
    int64_t after_id = 0;
    size_t count = 0;
    int rc;
    do {
        rc = db_sessions_planned(app->db, after_id, page, DUE_BATCH, &count);
        for (size_t i = 0; !rc && i < count; i++) {
            const struct db_session *s = &page[i];
            int stage = s->remind_stage;
            int64_t due = s->next_due;
            after_id = s->id;
            rc = session_plan_again(&app->cal, s->start_at, s->end_at, s->remind_stage,
                                    s->next_due, now_ms, &stage, &due);
            if (rc || (stage == s->remind_stage && due == s->next_due))
                continue;
            rc = db_session_set_reminder(app->db, s->id, stage, due);
            *moved += !rc;
        }
    } while (!rc && count == DUE_BATCH);
    free(page);
    return rc;
}

int64_t sessions_next_due(struct app *app)
{
    int64_t when;
    if (db_sessions_next_due(app->db, &when) == 0)
        return when;
    return INT64_MAX;
}
