/* The assisted login sessions: checks, the offer, what follows the
 * workflow's events, and the calendar files. See sessions.h. */
#include "sessions.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "case_card.h"
#include "case_rahasia.h"
#include "db.h"
#include "db_cases.h"
#include "db_registry.h"
#include "help_session.h"
#include "i18n.h"
#include "ics.h"
#include "log.h"
#include "office_calendar.h"
#include "outbox.h"
#include "people.h"
#include "session_plan.h"
#include "slots.h"
#include "texts.h"
#include "tg_html.h"

#define CHECK_MAX 48
#define RECIPIENTS_MAX (2 * PEOPLE_MAX + 1)

/* --- words ------------------------------------------------------------------ */

void sessions_span_text(struct app *app, const char *lang, int64_t start_ms, int64_t end_ms,
                        char *out, size_t size)
{
    /* The applicant reads these too: the month written out. */
    char key[32], when[64], end[16];
    snprintf(key, sizeof key, "schedule.weekday.%d", cal_weekday(cal_day_of(start_ms)));
    text_when_long(app->i18n, lang, start_ms, when, sizeof when);
    int64_t minute = (end_ms - cal_day_start(cal_day_of(end_ms))) / CAL_MINUTE_MS;
    text_clock(app->i18n, lang, (int)minute, end, sizeof end);
    snprintf(out, size, "%s %s\xe2\x80\x93%s", i18n_text(app->i18n, lang, key), when, end);
}

char *sessions_line_html(struct app *app, const char *lang, const struct db_session *s)
{
    char span[96], name[DB_NAME_MAX];
    sessions_span_text(app, lang, s->start_at, s->end_at, span, sizeof span);
    db_person_name(app->db, s->pelaksana_id, name, sizeof name);
    return i18n_format(app->i18n, lang, "schedule.slot_line", "when", span, "place", s->place,
                       "pelaksana", name, NULL);
}

char *sessions_problem_html(struct app *app, const char *lang, int problem,
                            const struct db_session *conflict, bool detailed)
{
    const char *name = slot_problem_name(problem);
    if (problem == SLOT_OVERLAP && conflict && detailed) {
        char span[96], number[24], pelaksana[DB_NAME_MAX];
        sessions_span_text(app, lang, conflict->start_at, conflict->end_at, span, sizeof span);
        if (conflict->help_id) /* a help request's session: its own number */
            snprintf(number, sizeof number, "BS-%04" PRId64, conflict->help_id);
        else
            db_case_number(conflict->case_id, number, sizeof number);
        db_person_name(app->db, conflict->pelaksana_id, pelaksana, sizeof pelaksana);
        return i18n_format(app->i18n, lang, "schedule.problem.overlap_with", "pelaksana",
                           pelaksana, "number", number, "when", span, NULL);
    }
    char key[48];
    snprintf(key, sizeof key, "schedule.problem.%s", name ? name : "unknown");
    return i18n_format(app->i18n, lang, key, NULL);
}

/* --- checks ----------------------------------------------------------------- */

/* sessions_check for the drafts of a case (case_id) or of a help request
 * (help_id); at most one of them set. */
static int check_slot(struct app *app, int64_t case_id, int64_t help_id, int64_t session_id,
                      int64_t pelaksana_id, int64_t start_ms, int64_t end_ms, int64_t now_ms,
                      struct db_session *conflict)
{
    struct db_session *found = calloc(CHECK_MAX, sizeof *found);
    struct slot *existing = calloc(CHECK_MAX, sizeof *existing);
    if (!found || !existing) {
        free(found);
        free(existing);
        return -ENOMEM;
    }
    size_t holding = 0, drafts = 0, count = 0;
    int rc = 0;
    if (pelaksana_id)
        rc = db_sessions_holding(app->db, pelaksana_id, start_ms, end_ms, found, CHECK_MAX,
                                 &holding);
    if (!rc && pelaksana_id && case_id)
        rc = db_sessions_of_case(app->db, case_id, SESSION_DRAFT, found + holding,
                                 CHECK_MAX - holding, &drafts);
    else if (!rc && pelaksana_id && help_id)
        rc = db_sessions_of_help(app->db, help_id, SESSION_DRAFT, found + holding,
                                 CHECK_MAX - holding, &drafts);
    for (size_t i = 0; !rc && i < holding + drafts; i++) {
        if (found[i].pelaksana_id != pelaksana_id)
            continue;
        /* A help request's open offer gives way to the one being built:
         * sending it withdraws the old (help_session.c). */
        if (help_id && found[i].help_id == help_id && found[i].status == SESSION_OFFERED)
            continue;
        existing[count++] = (struct slot){ .id = found[i].id, .pelaksana_id = pelaksana_id,
                                           .start_ms = found[i].start_at,
                                           .end_ms = found[i].end_at };
    }
    if (!rc) {
        struct slot candidate = { .id = session_id, .pelaksana_id = pelaksana_id,
                                  .start_ms = start_ms, .end_ms = end_ms };
        const struct slot *clash = NULL;
        rc = slot_check(&app->cal, &candidate, existing, count, now_ms, &clash);
        if (rc == SLOT_OVERLAP && clash && conflict) {
            for (size_t i = 0; i < holding + drafts; i++)
                if (found[i].id == clash->id)
                    *conflict = found[i];
        }
    }
    free(found);
    free(existing);
    return rc;
}

int sessions_check(struct app *app, int64_t case_id, int64_t session_id, int64_t pelaksana_id,
                   int64_t start_ms, int64_t end_ms, int64_t now_ms, struct db_session *conflict)
{
    return check_slot(app, case_id, 0, session_id, pelaksana_id, start_ms, end_ms, now_ms,
                      conflict);
}

int sessions_check_help(struct app *app, int64_t help_id, int64_t session_id,
                        int64_t pelaksana_id, int64_t start_ms, int64_t end_ms, int64_t now_ms,
                        struct db_session *conflict)
{
    return check_slot(app, 0, help_id, session_id, pelaksana_id, start_ms, end_ms, now_ms,
                      conflict);
}

int sessions_confirmed(struct app *app, int64_t case_id, struct db_session *out)
{
    size_t n = 0;
    int rc = db_sessions_of_case(app->db, case_id, SESSION_CONFIRMED, out, 1, &n);
    if (rc)
        return rc;
    return n ? 0 : -ENOENT;
}

/* --- the offer -------------------------------------------------------------- */

char *sessions_refusal_html(struct app *app, const char *lang, const char *lead_key,
                            const char *index, int problem, const struct db_session *conflict,
                            bool detailed)
{
    struct text t;
    text_init(&t, app->i18n, lang);
    text_add(&t, lead_key, "index", index ? index : "", NULL);
    text_own(&t, sessions_problem_html(app, lang, problem, conflict, detailed));
    return text_take(&t);
}

int sessions_choice_refusal(struct app *app, const struct db_session *s, const char *lang,
                            bool detailed, int64_t now_ms, char **refusal)
{
    *refusal = NULL;
    struct db_session conflict;
    int problem = sessions_check(app, 0, s->id, s->pelaksana_id, s->start_at, s->end_at, now_ms,
                                 &conflict);
    if (problem <= 0)
        return problem;
    *refusal = sessions_refusal_html(app, lang, "schedule.choice_refused", NULL, problem,
                                     &conflict, detailed);
    return *refusal ? 0 : -ENOMEM;
}

int sessions_offer_refusal(struct app *app, int64_t case_id, int64_t help_id,
                           const struct db_session *drafts, size_t count, const char *lang,
                           int64_t now_ms, char **refusal)
{
    *refusal = NULL;
    if (count < WF_SLOTS_MIN || count > WF_SLOTS_MAX) {
        char have[16];
        snprintf(have, sizeof have, "%zu", count);
        *refusal = i18n_format(app->i18n, lang, "schedule.offer_count", "count", have, NULL);
        return *refusal ? 0 : -ENOMEM;
    }
    for (size_t i = 0; i < count; i++) {
        struct db_session conflict;
        int problem = check_slot(app, case_id, help_id, drafts[i].id, drafts[i].pelaksana_id,
                                 drafts[i].start_at, drafts[i].end_at, now_ms, &conflict);
        if (problem < 0)
            return problem;
        if (problem > 0) {
            /* "Slot 2 cannot be offered:" and the reason. */
            char index[24];
            snprintf(index, sizeof index, "%zu", i + 1);
            *refusal = sessions_refusal_html(app, lang, "schedule.offer_slot_refused", index,
                                             problem, &conflict, true);
            return *refusal ? 0 : -ENOMEM;
        }
    }
    return 0;
}

int sessions_offer_prepare(struct app *app, const struct db_case *c, const char *lang,
                           int64_t now_ms, struct wf_event *event, char **refusal)
{
    *refusal = NULL;
    struct db_session drafts[WF_SLOTS_MAX + 1];
    size_t count = 0;
    int rc = db_sessions_of_case(app->db, c->wf.case_id, SESSION_DRAFT, drafts,
                                 WF_SLOTS_MAX + 1, &count);
    if (!rc)
        rc = sessions_offer_refusal(app, c->wf.case_id, 0, drafts, count, lang, now_ms, refusal);
    if (rc || *refusal)
        return rc;
    event->kind = WF_EV_PROPOSE_SESSION;
    event->pelaksana_id = drafts[0].pelaksana_id;
    event->session_at_ms = drafts[0].start_at;
    event->slot_count = (int)count;
    return 0;
}

int sessions_offer_send(struct app *app, const struct db_case *c, int64_t now_ms)
{
    struct db_session drafts[WF_SLOTS_MAX];
    size_t count = 0;
    int rc = db_sessions_of_case(app->db, c->wf.case_id, SESSION_DRAFT, drafts, WF_SLOTS_MAX,
                                 &count);
    for (size_t i = 0; !rc && i < count; i++) {
        drafts[i].status = SESSION_OFFERED;
        drafts[i].updated_at = now_ms;
        rc = db_session_update(app->db, &drafts[i]);
    }
    return rc;
}

/* --- calendar files --------------------------------------------------------- */

/* ics.h refuses an address it cannot write; such a holder is invited by name. */
static bool email_writable(const char *email)
{
    const char *at = strchr(email, '@');
    if (!at || at == email || !at[1] || strchr(at + 1, '@'))
        return false;
    for (const unsigned char *p = (const unsigned char *)email; *p; p++)
        if (*p <= ' ' || *p == 0x7f || strchr("\",;:<>", *p))
            return false;
    return true;
}

/* A catalog sentence as plain text (the .ics is not HTML). */
__attribute__((sentinel))
static char *plain_text(struct app *app, const char *lang, const char *key, ...)
{
    va_list ap;
    va_start(ap, key);
    char *html = i18n_vformat(app->i18n, lang, key, ap);
    va_end(ap);
    char *plain = html ? tg_html_plain(html) : NULL;
    free(html);
    return plain;
}

/* The invitation's description. A calendar is read by whoever shares it:
 * a Rahasia case's names neither its subject nor its holders (who are not
 * invited by name either), only how many they are. */
static char *ics_description(struct app *app, const struct db_case *c, const char *lang,
                             const char *agency, const char *pelaksana, bool rahasia)
{
    char *description = plain_text(app, lang, "schedule.ics.description", "number", c->number,
                                   "agency", agency, "subject",
                                   case_card_notice_subject(app, c, lang), "pelaksana",
                                   pelaksana, NULL);
    if (!rahasia || !description)
        return description;
    char *withheld = case_rahasia_holders(app, c, lang);
    char *plain = withheld ? tg_html_plain(withheld) : NULL;
    size_t size = strlen(description) + (plain ? strlen(plain) : 0) + 2;
    char *both = plain ? malloc(size) : NULL;
    if (both)
        snprintf(both, size, "%s\n%s", description, plain);
    free(plain);
    free(withheld);
    free(description);
    return both;
}

int sessions_ics_store(struct app *app, const struct db_session *s, enum ics_method method,
                       const struct sessions_ics *what, int64_t now_ms, int64_t *file_row)
{
    char uid[64];
    snprintf(uid, sizeof uid, "session-%" PRId64 "@sertibot", s->id);
    struct ics_event e = {
        .uid = uid, .sequence = s->sequence, .method = method, .start_ms = s->start_at,
        .end_ms = s->end_at, .dtstamp_ms = now_ms, .summary = what->summary,
        .description = what->description, .location = s->place,
        .organizer = { .name = what->organizer }, .attendees = what->attendees,
        .attendees_count = what->attendees_count, .alarm = method == ICS_REQUEST,
    };
    char *body = NULL;
    size_t size = 0;
    int rc = ics_event(&e, &body, &size);
    if (rc == -EINVAL && e.attendees_count > 1) {
        /* A name the format cannot carry: invite the first (the Pelaksana)
         * alone rather than send no calendar file at all. */
        log_warn("sessions", "session %" PRId64 ": .ics with all attendees refused; without them",
                 s->id);
        e.attendees_count = 1;
        rc = ics_event(&e, &body, &size);
    }
    if (!rc) {
        struct db_file f = { .case_id = what->case_id, .created_at = now_ms };
        snprintf(f.kind, sizeof f.kind, "ics");
        snprintf(f.file_name, sizeof f.file_name, "%s", what->file_name);
        snprintf(f.mime_type, sizeof f.mime_type, "text/calendar");
        rc = db_file_add(app->db, &f, body, size, file_row);
    }
    free(body);
    return rc;
}

int sessions_ics_file_for(struct sessions_ics_files *files, const char *lang,
                          int (*make)(const struct sessions_ics_make *m, const char *lang,
                                      int64_t *row),
                          const struct sessions_ics_make *m, int64_t *row)
{
    for (size_t i = 0; i < files->count; i++) {
        if (strcmp(files->langs[i], lang) == 0) {
            *row = files->rows[i];
            return 0;
        }
    }
    int rc = make(m, lang, row);
    if (!rc && files->count < SESSIONS_ICS_LANGS) {
        files->langs[files->count] = lang;
        files->rows[files->count++] = *row;
    }
    return rc;
}

/* Writes the session's .ics in `lang` and stores it with the case's files. */
static int store_ics(struct app *app, const struct db_case *c, const struct db_session *s,
                     enum ics_method method, const char *lang, int64_t now_ms, int64_t *file_row)
{
    struct db_agency agency = { 0 };
    if (db_agency_get(app->db, c->wf.agency_id, &agency) != 0)
        snprintf(agency.name, sizeof agency.name, "-");
    char pelaksana[DB_NAME_MAX];
    db_person_name(app->db, s->pelaksana_id, pelaksana, sizeof pelaksana);
    struct db_holder *holders = calloc(DB_HOLDERS_MAX, sizeof *holders);
    struct ics_person *attendees = calloc(DB_HOLDERS_MAX + 1, sizeof *attendees);
    char *summary = plain_text(app, lang, "schedule.ics.summary", "number", c->number,
                               "agency", agency.name, NULL);
    bool rahasia = case_card_rahasia(app, c);
    char *description = ics_description(app, c, lang, agency.name, pelaksana, rahasia);
    char *organizer = plain_text(app, lang, "schedule.ics.organizer", NULL);
    size_t holder_count = 0;
    int rc = holders && attendees && summary && description && organizer ? 0 : -ENOMEM;
    if (!rc)
        rc = db_holders_list(app->db, c->wf.case_id, holders, DB_HOLDERS_MAX, &holder_count);
    if (!rc) {
        size_t n = 0;
        char file_name[DB_TEXT_MAX];
        snprintf(file_name, sizeof file_name, "pendampingan-%s.ics", c->number);
        attendees[n++] = (struct ics_person){ .name = pelaksana };
        for (size_t i = 0; !rahasia && i < holder_count; i++)
            attendees[n++] = (struct ics_person){
                .name = holders[i].name,
                .email = email_writable(holders[i].email) ? holders[i].email : NULL,
            };
        struct sessions_ics what = {
            .summary = summary, .description = description, .file_name = file_name,
            .organizer = organizer, .case_id = c->wf.case_id, .attendees = attendees,
            .attendees_count = n,
        };
        rc = sessions_ics_store(app, s, method, &what, now_ms, file_row);
    }
    free(summary);
    free(description);
    free(organizer);
    free(attendees);
    free(holders);
    return rc;
}

/* store_ics for sessions_ics_file_for: the owner is the case. */
static int store_case_ics(const struct sessions_ics_make *m, const char *lang, int64_t *row)
{
    return store_ics(m->app, m->owner, m->s, m->method, lang, m->now_ms, row);
}

struct recipient {
    int64_t user_id;
    bool buttons; /* may move or cancel it: the applicant and the Kasi */
};

static size_t add_recipient(struct recipient *to, size_t count, int64_t user_id, bool buttons)
{
    for (size_t i = 0; i < count; i++) {
        if (to[i].user_id == user_id) {
            to[i].buttons |= buttons;
            return count;
        }
    }
    if (count < RECIPIENTS_MAX)
        to[count++] = (struct recipient){ user_id, buttons };
    return count;
}

/* The calendar file to the applicant's operators, the Pelaksana and the
 * Kasi, each in their language; the applicant and the Kasi get the buttons
 * to move or cancel it under theirs. */
static int send_ics(struct app *app, const struct db_case *c, const struct db_session *s,
                    enum ics_method method, const char *caption_key, int64_t now_ms)
{
    struct recipient to[RECIPIENTS_MAX];
    int64_t ids[PEOPLE_MAX];
    size_t count = 0, n = 0;
    int rc = db_applicants_of_agency(app->db, c->wf.agency_id, ids, PEOPLE_MAX, &n);
    for (size_t i = 0; !rc && i < n; i++)
        count = add_recipient(to, count, ids[i], true);
    if (!rc)
        count = add_recipient(to, count, s->pelaksana_id, false);
    if (!rc)
        rc = people_for_role(app, ROLE_KASI, 0, 0, now_ms, ids, PEOPLE_MAX, &n);
    for (size_t i = 0; !rc && i < n; i++)
        count = add_recipient(to, count, ids[i], true);

    /* One file per language spoken among them. */
    struct sessions_ics_files files = { 0 };
    struct sessions_ics_make what = { app, c, s, method, now_ms };
    if (!caption_key)
        caption_key = method == ICS_CANCEL ? "schedule.ics.caption_cancel"
                      : s->sequence > 0    ? "schedule.ics.caption_update"
                                           : "schedule.ics.caption";
    char pelaksana[DB_NAME_MAX];
    db_person_name(app->db, s->pelaksana_id, pelaksana, sizeof pelaksana);
    for (size_t i = 0; !rc && i < count; i++) {
        const char *lang = card_lang_of(app, to[i].user_id);
        int64_t row = 0;
        rc = sessions_ics_file_for(&files, lang, store_case_ics, &what, &row);
        if (rc)
            break;
        char span[96];
        sessions_span_text(app, lang, s->start_at, s->end_at, span, sizeof span);
        char *caption = i18n_format(app->i18n, lang, caption_key, "number", c->number, "when",
                                    span, "place", s->place, "pelaksana", pelaksana, NULL);
        int failed = 0;
        cJSON *markup = to[i].buttons && method == ICS_REQUEST
                            ? case_card_session_keyboard(app, c, lang, &failed)
                            : NULL;
        rc = caption && !failed
                 ? outbox_send_file(app->db, to[i].user_id, row, caption, markup, now_ms)
                 : -ENOMEM;
        cJSON_Delete(markup);
        free(caption);
    }
    return rc;
}

/* --- after the workflow's events -------------------------------------------- */

static int plan(struct app *app, struct db_session *s, int64_t now_ms)
{
    return session_plan_first(&app->cal, s->start_at, s->end_at, now_ms, &s->remind_stage,
                              &s->next_due);
}

static int confirmed_chosen(struct app *app, const struct db_case *c, int64_t session_id,
                            int64_t now_ms)
{
    struct db_session s;
    int rc = db_session_get(app->db, session_id, &s);
    if (rc)
        return rc;
    if (s.case_id != c->wf.case_id || s.status != SESSION_OFFERED)
        return -EINVAL; /* the handler checked this before the event */
    /* The others first: they let go of their Pelaksana's time. */
    s.status = SESSION_CONFIRMED;
    rc = db_sessions_set_status(app->db, c->wf.case_id, SESSION_OFFERED, SESSION_WITHDRAWN,
                                now_ms, NULL);
    if (!rc)
        rc = plan(app, &s, now_ms);
    s.updated_at = now_ms;
    if (!rc)
        rc = db_session_update(app->db, &s);
    if (!rc)
        rc = send_ics(app, c, &s, ICS_REQUEST, NULL, now_ms);
    return rc;
}

static int moved(struct app *app, const struct db_case *c, int64_t now_ms)
{
    struct db_session s;
    int rc = sessions_confirmed(app, c->wf.case_id, &s);
    if (rc)
        return rc;
    int64_t length = s.end_at - s.start_at;
    s.start_at = c->wf.session_at_ms;
    s.end_at = s.start_at + length;
    s.sequence++;
    s.updated_at = now_ms;
    rc = plan(app, &s, now_ms);
    if (!rc)
        rc = db_session_update(app->db, &s);
    if (!rc)
        rc = send_ics(app, c, &s, ICS_REQUEST, NULL, now_ms);
    return rc;
}

static int ended(struct app *app, const struct db_case *c, enum db_session_status status,
                 int64_t now_ms)
{
    struct db_session s;
    int rc = sessions_confirmed(app, c->wf.case_id, &s);
    if (rc == -ENOENT)
        return 0; /* a case scheduled before sessions were kept */
    if (rc)
        return rc;
    s.status = status;
    s.next_due = 0;
    s.remind_stage = SESSION_STAGE_DONE;
    s.updated_at = now_ms;
    if (status == SESSION_CANCELLED)
        s.sequence++;
    rc = db_session_update(app->db, &s);
    if (!rc && status == SESSION_CANCELLED)
        rc = send_ics(app, c, &s, ICS_CANCEL, NULL, now_ms);
    return rc;
}

/* A session line's words for `user_id`: when, in their language. */
static int tell_session(struct app *app, const struct db_case *c, const struct db_session *s,
                        int64_t user_id, const char *key, const cJSON *markup, int64_t now_ms,
                        const char *date, const char *day_name)
{
    const char *lang = card_lang_of(app, user_id);
    char span[96], pelaksana[DB_NAME_MAX];
    sessions_span_text(app, lang, s->start_at, s->end_at, span, sizeof span);
    db_person_name(app->db, s->pelaksana_id, pelaksana, sizeof pelaksana);
    char long_date[48] = "";
    if (date) /* "3 Desember 2026", as texts for applicants write a date */
        text_date_long(app->i18n, lang, date, long_date, sizeof long_date);
    char *html = i18n_format(app->i18n, lang, key, "number", c->number, "when", span, "place",
                             s->place, "pelaksana", pelaksana, "date", long_date,
                             "name", day_name ? day_name : "", NULL);
    int rc = html ? outbox_send_text(app->db, user_id, html, markup, NULL, now_ms) : -ENOMEM;
    free(html);
    return rc;
}

int sessions_reassign_check(struct app *app, const struct db_case *c, int64_t pelaksana_id,
                            int64_t now_ms, struct db_session *session)
{
    if (c->wf.state != WF_S7_PENDAMPINGAN)
        return 0;
    int rc = sessions_confirmed(app, c->wf.case_id, session);
    if (rc == -ENOENT)
        return 0;
    if (rc || session->pelaksana_id == pelaksana_id || session->end_at <= now_ms)
        return rc;
    struct db_session found[CHECK_MAX];
    size_t count = 0;
    rc = db_sessions_holding(app->db, pelaksana_id, session->start_at, session->end_at, found,
                             CHECK_MAX, &count);
    for (size_t i = 0; !rc && i < count; i++)
        if (found[i].id != session->id)
            return SLOT_OVERLAP;
    return rc;
}

/* An admin named another Pelaksana during step 7: the confirmed session
 * goes with the case. The new one, the applicant and the Kasi get the .ics
 * again (same UID, next SEQUENCE) naming the new Pelaksana; the old one is
 * told it is no longer theirs. A session already over only changes hands
 * (the report is the new Pelaksana's). */
static int reassigned(struct app *app, const struct db_case *c, int64_t now_ms)
{
    struct db_session s;
    int rc = sessions_confirmed(app, c->wf.case_id, &s);
    if (rc == -ENOENT)
        return 0;
    int64_t old = s.pelaksana_id;
    if (rc || !c->wf.pelaksana_id || old == c->wf.pelaksana_id)
        return rc;
    bool ahead = s.end_at > now_ms;
    s.pelaksana_id = c->wf.pelaksana_id;
    if (ahead)
        s.sequence++;
    s.updated_at = now_ms;
    rc = db_session_update(app->db, &s);
    if (!rc && ahead)
        rc = send_ics(app, c, &s, ICS_REQUEST, "session_change.ics_caption_reassigned", now_ms);
    if (!rc && old && ahead)
        rc = tell_session(app, c, &s, old, "session_change.reassigned_away", NULL, now_ms, NULL,
                          NULL);
    return rc;
}

int sessions_flag_closed_day(struct app *app, int32_t day, const char *day_name, int64_t now_ms,
                             int *flagged)
{
    *flagged = 0;
    struct db_session *coming = calloc(CHECK_MAX, sizeof *coming);
    if (!coming)
        return -ENOMEM;
    char date[CAL_DATE_SIZE];
    cal_date_format(day, date);
    size_t count = 0;
    int rc = db_sessions_coming(app->db, 0, 0, cal_day_start(day), coming, CHECK_MAX, &count);
    for (size_t i = 0; !rc && i < count; i++) {
        const struct db_session *s = &coming[i];
        struct db_case c;
        if (s->status != SESSION_CONFIRMED || cal_day_of(s->start_at) != day ||
            s->end_at <= now_ms)
            continue;
        if (s->help_id) { /* a help request's: help_session_follow.c says it */
            rc = help_session_flag_closed_day(app, s, date, day_name, now_ms);
            *flagged += !rc;
            continue;
        }
        rc = db_case_get(app->db, s->case_id, &c);
        if (rc || c.wf.state != WF_S7_PENDAMPINGAN)
            continue;
        /* The applicant's operators and the Kasi may move it; the
         * Pelaksana hears of it. */
        struct recipient to[RECIPIENTS_MAX];
        int64_t ids[PEOPLE_MAX];
        size_t n = 0, people = 0;
        rc = db_applicants_of_agency(app->db, c.wf.agency_id, ids, PEOPLE_MAX, &n);
        for (size_t j = 0; !rc && j < n; j++)
            people = add_recipient(to, people, ids[j], true);
        if (!rc)
            rc = people_for_role(app, ROLE_KASI, 0, 0, now_ms, ids, PEOPLE_MAX, &n);
        for (size_t j = 0; !rc && j < n; j++)
            people = add_recipient(to, people, ids[j], true);
        if (!rc)
            people = add_recipient(to, people, s->pelaksana_id, false);
        for (size_t j = 0; !rc && j < people; j++) {
            int failed = 0;
            cJSON *markup = to[j].buttons ? case_card_session_keyboard(
                                                app, &c, card_lang_of(app, to[j].user_id), &failed)
                                          : NULL;
            rc = failed ? -ENOMEM
                        : tell_session(app, &c, s, to[j].user_id,
                                       to[j].buttons ? "session_change.closed_day"
                                                     : "session_change.closed_day_pelaksana",
                                       markup, now_ms, date, day_name);
            cJSON_Delete(markup);
        }
        if (!rc)
            (*flagged)++;
    }
    free(coming);
    return rc;
}

int sessions_follow(struct app *app, const struct db_case *c, enum wf_event_kind kind,
                    int64_t session_id, int64_t now_ms)
{
    switch (kind) {
    case WF_EV_CONFIRM_SESSION:
        return confirmed_chosen(app, c, session_id, now_ms);
    case WF_EV_DECLINE_SESSION:
        return db_sessions_set_status(app->db, c->wf.case_id, SESSION_OFFERED, SESSION_WITHDRAWN,
                                      now_ms, NULL);
    case WF_EV_RESCHEDULE_SESSION:
        return moved(app, c, now_ms);
    case WF_EV_CANCEL_SESSION:
        return ended(app, c, SESSION_CANCELLED, now_ms);
    case WF_EV_REPORT:
        return ended(app, c, SESSION_DONE, now_ms);
    case WF_EV_NO_SHOW:
        return ended(app, c, SESSION_NO_SHOW, now_ms);
    case WF_EV_REASSIGN:
        return reassigned(app, c, now_ms);
    default:
        return 0;
    }
}
