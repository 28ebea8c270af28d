/* The step clocks' reminders (sla.h): to the holder before the deadline, to
 * the holder and their superior from 75% and at the deadline, then again
 * every repeat interval until the step ends. The deadline marks the step as
 * breached. The first, holder-only reminder (50%) is for steps longer than an
 * hour: on a 15-minute step a ping after seven minutes is noise. Above the
 * Kadis the admins are told, and not as anyone's superior. Several
 * reminders for one person at the same moment go out as one message, each
 * case with a button to its card.
 *
 * Runs inside the scheduler's transaction: the stage a clock moves to and
 * the messages commit together, so a restart neither repeats nor loses one.
 * Each clock is a job of its own (jobs_guard): one that fails waits in the
 * quarantine while the others are reminded.
 * After a long stop only the latest due stage of a clock is sent. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "case_card.h"
#include "case_flow.h"
#include "config.h"
#include "db.h"
#include "db_cases.h"
#include "db_clocks.h"
#include "db_jobs.h"
#include "i18n.h"
#include "jobs.h"
#include "keyboard.h"
#include "log.h"
#include "outbox.h"
#include "people.h"
#include "sla.h"
#include "texts.h"

#define DUE_BATCH 256
#define RECIPIENTS_MAX 64
#define BUTTONS_PER_MESSAGE 12
/* Steps of at most this many office minutes get no holder-only reminder. */
#define EARLY_REMINDER_MIN_STEP 60

/* Who a reminder line is for: the holder acts, the others read. */
enum reader { READER_HOLDER, READER_SUPERIOR, READER_ADMIN };

struct reminder_mail {
    int64_t user_id;
    const char *lang;
    struct text text;
    cJSON *keyboard;
    int lines;
};

struct mailbag {
    struct reminder_mail mail[RECIPIENTS_MAX];
    size_t count;
};

static struct reminder_mail *mail_for(struct app *app, struct mailbag *bag, int64_t user_id)
{
    for (size_t i = 0; i < bag->count; i++)
        if (bag->mail[i].user_id == user_id)
            return &bag->mail[i];
    if (bag->count == RECIPIENTS_MAX)
        return NULL; /* cannot happen: room_for checked first */
    struct reminder_mail *m = &bag->mail[bag->count++];
    m->user_id = user_id;
    m->lang = card_lang_of(app, user_id);
    text_init(&m->text, app->i18n, m->lang);
    m->keyboard = keyboard_new();
    m->lines = 0;
    text_add(&m->text, "reminder.title", NULL);
    return m;
}

/* One line for one case in one person's reminder. */
static int add_line(struct app *app, struct mailbag *bag, int64_t user_id,
                    const struct db_case *c, const struct db_clock *clock, int stage,
                    enum reader reader)
{
    bool as_holder = reader == READER_HOLDER;
    struct reminder_mail *m = mail_for(app, bag, user_id);
    if (!m)
        return -ENOSPC;
    const struct sla_policy *policy = &app->cfg->reminders;
    char state_key[48], due[48], percent[16];
    snprintf(state_key, sizeof state_key, "state.%s", wf_state_name(c->wf.state));
    text_when(app->i18n, m->lang, clock->deadline, due, sizeof due);
    const char *key = sla_stage_is_deadline(policy, stage)      ? "reminder.deadline"
                      : sla_stage_after_deadline(policy, stage) ? "reminder.overdue"
                                                                : "reminder.threshold";
    snprintf(percent, sizeof percent, "%d",
             stage < policy->threshold_count ? policy->thresholds[stage] : 100);
    text_add(&m->text, key, "number", c->number, "subject",
             case_card_notice_subject(app, c, m->lang), "state",
             i18n_text(app->i18n, m->lang, state_key), "due", due, "percent", percent, NULL);
    if (reader == READER_SUPERIOR)
        text_add(&m->text, "reminder.as_superior", NULL);
    else if (reader == READER_ADMIN)
        text_add(&m->text, "reminder.to_admins", NULL);
    if (m->keyboard && m->lines < BUTTONS_PER_MESSAGE) {
        char data[KEYBOARD_DATA_MAX + 1], label[64];
        /* The holder opens the card to act; a superior reads it. */
        snprintf(data, sizeof data, "%s:%" PRId64, as_holder ? "t" : "v", c->wf.case_id);
        snprintf(label, sizeof label, "\xf0\x9f\x93\x84 %s", c->number);
        cJSON *row = keyboard_row(m->keyboard);
        if (!row || keyboard_button(row, label, data) != 0)
            return -ENOMEM;
    }
    m->lines++;
    return 0;
}

/* Who hears of one clock's stage: the holders, and from the superior's
 * stage on their superior (the admins above the Kadis). */
struct recipients {
    int64_t holders[PEOPLE_MAX];
    size_t holder_count;
    int64_t superiors[PEOPLE_MAX];
    size_t superior_count;
    enum reader superiors_are; /* READER_SUPERIOR, or READER_ADMIN above the Kadis */
};

static int find_recipients(struct app *app, const struct db_case *c, int stage,
                           int64_t step_minutes, int64_t now_ms, struct recipients *to)
{
    to->holder_count = to->superior_count = 0;
    to->superiors_are = READER_SUPERIOR;
    enum role holder = wf_state_holder_role(c->wf.state);
    if (holder == ROLE_NONE || holder == ROLE_APPLICANT || wf_state_paused(c->wf.state))
        return 0;
    /* An early reminder (before the superior hears) only for steps longer
     * than an hour: on a 15-minute step it would come minutes after the card. */
    const struct sla_policy *policy = &app->cfg->reminders;
    if (!sla_stage_tells_superior(policy, stage) && step_minutes <= EARLY_REMINDER_MIN_STEP)
        return 0;
    int rc = people_for_role(app, holder, c->wf.pelaksana_id, c->wf.agency_id, now_ms,
                             to->holders, PEOPLE_MAX, &to->holder_count);
    if (rc || !sla_stage_tells_superior(&app->cfg->reminders, stage))
        return rc;
    enum role superior = people_superior(holder);
    if (superior != ROLE_NONE)
        return people_for_role(app, superior, 0, 0, now_ms, to->superiors, PEOPLE_MAX,
                               &to->superior_count);
    /* Nobody is above the Kadis: the admins hear of it instead. */
    to->superiors_are = READER_ADMIN;
    for (size_t i = 0; i < app->cfg->admins_count && to->superior_count < PEOPLE_MAX; i++)
        to->superiors[to->superior_count++] = app->cfg->admins[i];
    return 0;
}

static bool in_bag(const struct mailbag *bag, int64_t user_id)
{
    for (size_t i = 0; i < bag->count; i++)
        if (bag->mail[i].user_id == user_id)
            return true;
    return false;
}

/* Whether every recipient has (or can get) a message in the bag. */
static bool room_for(const struct mailbag *bag, const struct recipients *to)
{
    size_t more = 0;
    for (size_t i = 0; i < to->holder_count; i++)
        more += !in_bag(bag, to->holders[i]);
    for (size_t i = 0; i < to->superior_count; i++)
        more += !in_bag(bag, to->superiors[i]);
    return bag->count + more <= RECIPIENTS_MAX;
}

struct clock_job {
    struct mailbag *bag;
    struct db_clock *clock;
};

/* One clock's reminder, as one job (jobs_guard): what can fail (the
 * database) comes before the lines are added to the bag, so a failed job
 * leaves nothing of itself in the messages. */
static int remind_clock(struct app *app, void *arg, int64_t now_ms)
{
    struct clock_job *job = arg;
    struct db_clock *clock = job->clock;
    const struct sla_policy *policy = &app->cfg->reminders;
    struct db_case c;
    struct recipients *to = calloc(1, sizeof *to);
    int rc = to ? db_case_get(app->db, clock->case_id, &c) : -ENOMEM;
    /* The latest stage already due: after a stop, one reminder, not a burst. */
    int stage = clock->reminder_stage;
    while (!rc && sla_stage_send_at(&app->cal, policy, clock->started_at,
                                    clock->standard_minutes, clock->paused_ms,
                                    stage + 1) <= now_ms)
        stage++;
    if (!rc)
        rc = find_recipients(app, &c, stage, clock->standard_minutes, now_ms, to);
    if (rc || !room_for(job->bag, to))
        goto out; /* a full bag: this clock waits for the next tick */
    struct db_clock next = *clock;
    if (stage >= policy->threshold_count)
        next.breached = true;
    next.reminder_stage = stage + 1;
    int64_t when = sla_stage_send_at(&app->cal, policy, next.started_at, next.standard_minutes,
                                     next.paused_ms, next.reminder_stage);
    next.next_reminder = when == CAL_NEVER ? 0 : when;
    rc = db_clock_update(app->db, &next);
    if (rc)
        goto out;
    /* A holder's reminder due by the time their digest went out is in the
     * digest; the deadline itself is always said (digest.c). */
    int64_t due = sla_stage_send_at(&app->cal, policy, clock->started_at, clock->standard_minutes,
                                    clock->paused_ms, stage);
    bool foldable = !sla_stage_is_deadline(policy, stage);
    for (size_t i = 0; !rc && i < to->holder_count; i++)
        if (!foldable || !digest_covers(app, to->holders[i], due, now_ms))
            rc = add_line(app, job->bag, to->holders[i], &c, clock, stage, READER_HOLDER);
    for (size_t i = 0; !rc && i < to->superior_count; i++)
        rc = add_line(app, job->bag, to->superiors[i], &c, clock, stage, to->superiors_are);
    if (rc)
        rc = -ENOMEM; /* the bag is half written: the whole tick is tried again */
out:
    free(to);
    return rc;
}

int reminders_send_due(struct app *app, int64_t now_ms)
{
    struct db_clock *due = calloc(DUE_BATCH, sizeof *due);
    struct mailbag *bag = calloc(1, sizeof *bag);
    if (!due || !bag) {
        free(due);
        free(bag);
        return -ENOMEM;
    }
    size_t count = 0;
    int rc = db_clocks_due(app->db, now_ms, due, DUE_BATCH, &count);
    for (size_t i = 0; !rc && i < count; i++) {
        char name[48];
        snprintf(name, sizeof name, DB_JOB_CLOCK "%" PRId64, due[i].id);
        struct clock_job job = { .bag = bag, .clock = &due[i] };
        rc = jobs_guard(app, name, remind_clock, &job, now_ms);
    }
    for (size_t i = 0; i < bag->count; i++) {
        struct reminder_mail *m = &bag->mail[i];
        char *html = text_take(&m->text);
        if (!rc)
            rc = html ? outbox_send_text(app->db, m->user_id, html, m->keyboard, NULL, now_ms)
                      : -ENOMEM;
        free(html);
        cJSON_Delete(m->keyboard);
    }
    if (!rc && count)
        log_info("reminders", "%zu step clock(s) reminded, %zu message(s)", count, bag->count);
    free(bag);
    free(due);
    return rc;
}
