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
        return NULL; /* the rest go out on the next tick */
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
    text_add(&m->text, key, "number", c->number, "subject", c->subject, "state",
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

static int remind_clock(struct app *app, struct mailbag *bag, struct db_clock *clock,
                        int64_t now_ms)
{
    const struct sla_policy *policy = &app->cfg->reminders;
    struct db_case c;
    int rc = db_case_get(app->db, clock->case_id, &c);
    if (rc)
        return rc;
    enum role holder = wf_state_holder_role(c.wf.state);
    /* The latest stage already due: after a stop, one reminder, not a burst. */
    int stage = clock->reminder_stage;
    while (sla_stage_send_at(&app->cal, policy, clock->started_at, clock->standard_minutes,
                             clock->paused_ms, stage + 1) <= now_ms)
        stage++;
    bool too_early = !sla_stage_tells_superior(policy, stage) &&
                     clock->standard_minutes <= EARLY_REMINDER_MIN_STEP;
    if (holder != ROLE_NONE && holder != ROLE_APPLICANT && !wf_state_paused(c.wf.state) &&
        !too_early) {
        int64_t to[PEOPLE_MAX];
        size_t count = 0;
        rc = people_for_role(app, holder, c.wf.pelaksana_id, c.wf.agency_id, now_ms, to,
                             PEOPLE_MAX, &count);
        for (size_t i = 0; !rc && i < count; i++)
            rc = add_line(app, bag, to[i], &c, clock, stage, READER_HOLDER);
        enum role superior = people_superior(holder);
        if (!rc && sla_stage_tells_superior(policy, stage)) {
            /* Nobody is above the Kadis: the admins hear of it instead. */
            if (superior != ROLE_NONE) {
                rc = people_for_role(app, superior, 0, 0, now_ms, to, PEOPLE_MAX, &count);
            } else {
                count = 0;
                for (size_t i = 0; i < app->cfg->admins_count && count < PEOPLE_MAX; i++)
                    to[count++] = app->cfg->admins[i];
            }
            for (size_t i = 0; !rc && i < count; i++)
                rc = add_line(app, bag, to[i], &c, clock, stage,
                              superior != ROLE_NONE ? READER_SUPERIOR : READER_ADMIN);
        }
        if (rc == -ENOSPC)
            return 0; /* this clock waits for the next tick */
        if (rc)
            return rc;
    }
    if (stage >= policy->threshold_count)
        clock->breached = true;
    clock->reminder_stage = stage + 1;
    int64_t next = sla_stage_send_at(&app->cal, policy, clock->started_at, clock->standard_minutes,
                                     clock->paused_ms, clock->reminder_stage);
    clock->next_reminder = next == CAL_NEVER ? 0 : next;
    return db_clock_update(app->db, clock);
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
    for (size_t i = 0; !rc && i < count; i++)
        rc = remind_clock(app, bag, &due[i], now_ms);
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
