/* The officials' daily digest: once a working day, at the start of office
 * hours (digest_plan.h), each official with waiting work gets ONE message
 * listing it, soonest deadline first: the case number, what is asked of
 * them (the step) and the deadline, with a button per case that sends its
 * card again (tasks.c's "t:<case>", checked again on the press).
 *
 * Waiting work is what the step clocks' reminders are about: an open case
 * whose step an official holds (their role, as Plh too, or the Pelaksana
 * assigned) and whose clock runs; a case paused on the applicant or on BSrE
 * is not listed. The holder is people_for_role's on the round's date: an
 * acting official's appointment named ahead counts from its first day's
 * round, to them and not to the absent official (as plh_start.c sends them
 * the waiting cards that morning). No subject is shown: the line says what /tugas and the
 * card tell in full.
 *
 * The digest replaces the holder's threshold and overdue reminders that are
 * due by the moment it went out (digest_covers, used by reminders.c): those
 * are what piles up at the start of a day (a reminder that fell due at the
 * end of the previous day waits for the morning). The deadline reminder,
 * everything to a superior or the admins, and the session reminders stay.
 *
 * Runs inside the scheduler's transaction. The round's day (state
 * "digest_round_day") and each person's last digest (db_digests.h) commit
 * with the messages: a restart neither repeats nor loses one, and work that
 * arrives after the round does not make a second digest that day. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "case_card.h"
#include "db.h"
#include "db_cases.h"
#include "db_clocks.h"
#include "db_digests.h"
#include "db_jobs.h"
#include "digest_plan.h"
#include "i18n.h"
#include "jobs.h"
#include "keyboard.h"
#include "log.h"
#include "outbox.h"
#include "people.h"
#include "texts.h"

#define DIGEST_STATE_KEY "digest_round_day"
#define DIGEST_CASES_MAX 1000
#define DIGEST_RECIPIENTS_MAX 256
#define DIGEST_ITEMS_SHOWN 30 /* lines and buttons; the rest are counted */
#define DIGEST_BUTTONS_PER_ROW 3

struct digest_item {
    const struct db_case *c;
    int64_t deadline; /* CAL_NEVER when the clock shows none */
};

struct digest_person {
    int64_t user_id;
    size_t count;
    struct digest_item items[DIGEST_CASES_MAX];
};

struct digest_round {
    struct db_case cases[DIGEST_CASES_MAX];
    struct digest_person *people[DIGEST_RECIPIENTS_MAX];
    size_t people_count;
};

static int32_t round_done_day(struct app *app)
{
    char value[16];
    int32_t day;
    if (db_state_get(app->db, DIGEST_STATE_KEY, value, sizeof value) != 0 ||
        cal_date_parse(value, &day) != 0)
        return DIGEST_NO_DAY;
    return day;
}

/* Adds the case to `user_id`'s list. More officials than a round holds are
 * left out (logged) rather than failing the whole round every tick. */
static int add_to(struct digest_round *r, int64_t user_id, const struct db_case *c,
                  int64_t deadline)
{
    struct digest_person *p = NULL;
    for (size_t i = 0; i < r->people_count && !p; i++)
        if (r->people[i]->user_id == user_id)
            p = r->people[i];
    if (!p && r->people_count == DIGEST_RECIPIENTS_MAX) {
        log_warn("digest", "more than %d officials with work; %" PRId64 " left out",
                 DIGEST_RECIPIENTS_MAX, user_id);
        return 0;
    }
    if (!p) {
        p = calloc(1, sizeof *p);
        if (!p)
            return -ENOMEM;
        p->user_id = user_id;
        r->people[r->people_count++] = p;
    }
    if (p->count < DIGEST_CASES_MAX)
        p->items[p->count++] = (struct digest_item){ c, deadline };
    return 0;
}

/* Every open case with a running clock goes to whoever holds its step. */
static int collect(struct app *app, struct digest_round *r, int64_t now_ms)
{
    size_t count = 0;
    int rc = db_cases_open(app->db, r->cases, DIGEST_CASES_MAX, &count);
    for (size_t i = 0; !rc && i < count; i++) {
        const struct db_case *c = &r->cases[i];
        enum role holder = wf_state_holder_role(c->wf.state);
        if (holder == ROLE_NONE || holder == ROLE_APPLICANT || wf_state_paused(c->wf.state))
            continue;
        struct db_clock clock;
        int64_t deadline = db_clock_open(app->db, c->wf.case_id, &clock) == 0 && !clock.paused_at
                               ? clock.deadline
                               : CAL_NEVER;
        int64_t to[PEOPLE_MAX];
        size_t n = 0;
        rc = people_for_role(app, holder, c->wf.pelaksana_id, c->wf.agency_id, now_ms, to,
                             PEOPLE_MAX, &n);
        for (size_t j = 0; !rc && j < n; j++)
            rc = add_to(r, to[j], c, deadline);
    }
    return rc;
}

static int by_deadline(const void *a, const void *b)
{
    const struct digest_item *x = a, *y = b;
    if (x->deadline != y->deadline)
        return x->deadline < y->deadline ? -1 : 1;
    return x->c->wf.case_id < y->c->wf.case_id ? -1 : x->c->wf.case_id > y->c->wf.case_id;
}

/* One line and one button for one case. */
static int add_item(struct app *app, const char *lang, struct text *t, cJSON *keyboard,
                    cJSON **row, size_t index, const struct digest_item *item, int64_t now_ms)
{
    char state_key[48], due[48];
    snprintf(state_key, sizeof state_key, "state.%s", wf_state_name(item->c->wf.state));
    const char *state = i18n_text(app->i18n, lang, state_key);
    if (item->deadline == CAL_NEVER) {
        text_add(t, "digest.line_no_due", "number", item->c->number, "state", state, NULL);
    } else {
        text_when(app->i18n, lang, item->deadline, due, sizeof due);
        text_add(t, item->deadline <= now_ms ? "digest.line_overdue" : "digest.line", "number",
                 item->c->number, "state", state, "due", due, NULL);
    }
    char data[KEYBOARD_DATA_MAX + 1], label[64];
    snprintf(data, sizeof data, "t:%" PRId64, item->c->wf.case_id);
    snprintf(label, sizeof label, "\xf0\x9f\x93\x84 %s", item->c->number);
    if (index % DIGEST_BUTTONS_PER_ROW == 0)
        *row = keyboard_row(keyboard);
    return *row ? keyboard_button(*row, label, data) : -ENOMEM;
}

/* The digest of one person, unless they had today's already. */
static int send_one(struct app *app, struct digest_person *p, const char *today, int64_t now_ms)
{
    struct db_digest last;
    int rc = db_digest_get(app->db, p->user_id, &last);
    if (rc == 0 && strcmp(last.day, today) == 0)
        return 0;
    if (rc && rc != -ENOENT)
        return rc;
    qsort(p->items, p->count, sizeof p->items[0], by_deadline);
    const char *lang = card_lang_of(app, p->user_id);
    struct text t;
    text_init(&t, app->i18n, lang);
    char count[24];
    snprintf(count, sizeof count, "%zu", p->count);
    text_add(&t, "digest.title", "count", count, NULL);
    cJSON *keyboard = keyboard_new(), *row = NULL;
    rc = keyboard ? 0 : -ENOMEM;
    size_t shown = p->count < DIGEST_ITEMS_SHOWN ? p->count : DIGEST_ITEMS_SHOWN;
    for (size_t i = 0; !rc && i < shown; i++)
        rc = add_item(app, lang, &t, keyboard, &row, i, &p->items[i], now_ms);
    if (p->count > shown) {
        snprintf(count, sizeof count, "%zu", p->count - shown);
        text_add(&t, "digest.more", "count", count, NULL);
    }
    text_add(&t, "digest.footer", NULL);
    char *html = text_take(&t);
    if (!rc)
        rc = html ? outbox_send_text(app->db, p->user_id, html, keyboard, NULL, now_ms) : -ENOMEM;
    free(html);
    cJSON_Delete(keyboard);
    if (!rc) {
        struct db_digest d = { .user_id = p->user_id, .sent_at = now_ms, .items = (int)p->count };
        snprintf(d.day, sizeof d.day, "%s", today);
        rc = db_digest_set(app->db, &d);
    }
    return rc;
}

int digest_run(struct app *app, int64_t now_ms)
{
    int32_t day = digest_due_day(&app->cal, now_ms, round_done_day(app));
    if (day == DIGEST_NO_DAY)
        return 0;
    struct digest_round *r = calloc(1, sizeof *r);
    if (!r)
        return -ENOMEM;
    char today[CAL_DATE_SIZE];
    cal_date_format(day, today);
    int rc = collect(app, r, now_ms);
    for (size_t i = 0; !rc && i < r->people_count; i++)
        rc = send_one(app, r->people[i], today, now_ms);
    if (!rc)
        rc = db_state_set(app->db, DIGEST_STATE_KEY, today);
    if (!rc)
        log_info("digest", "%s: %zu official(s) with waiting work", today, r->people_count);
    for (size_t i = 0; i < r->people_count; i++)
        free(r->people[i]);
    free(r);
    return rc;
}

int64_t digest_next(struct app *app, int64_t now_ms)
{
    int64_t at = digest_next_at(&app->cal, now_ms, round_done_day(app));
    if (at == CAL_NEVER)
        return INT64_MAX;
    /* A round that failed waits for the quarantine's next try (jobs.c). */
    int64_t retry = 0;
    bool set_aside = false;
    if (db_job_next_try(app->db, DIGEST_JOB, &retry, &set_aside) == 0)
        return set_aside ? INT64_MAX : retry > at ? retry : at;
    return at;
}

bool digest_covers(struct app *app, int64_t user_id, int64_t due_ms, int64_t now_ms)
{
    struct db_digest last;
    if (db_digest_get(app->db, user_id, &last) != 0)
        return false;
    char today[CAL_DATE_SIZE];
    cal_date_format(cal_day_of(now_ms), today);
    return strcmp(last.day, today) == 0 && due_ms <= last.sent_at;
}
