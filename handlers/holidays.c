/* /libur (alias /holidays): the office calendar's days off.
 *   /libur                          the coming holidays (officials and admins)
 *   /libur tambah YYYY-MM-DD JENIS Nama...   add or correct a day (admins);
 *                                   JENIS: nasional | cuti | tutup
 *   /libur hapus YYYY-MM-DD         remove a day (admins)
 * English: add / remove, kinds national | leave | closed.
 *
 * A change is kept in the database (it wins over the shipped list at every
 * start), takes effect at once, and moves the deadlines of running steps:
 * their holders are told the new deadline. The confirmed sessions' reminders
 * are planned again in the same transaction (sessions_replan_reminders): a
 * "day before" follows the new working days, one already sent is not sent
 * again; so are the open help requests' reminders. A calendar that changed
 * while the bot was stopped (the holidays file, a release's list, the
 * hours) is found by its fingerprint at the first scheduler round after the
 * start and planned again the same way (holidays_check_run). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "args.h"
#include "case_card.h"
#include "case_flow.h"
#include "db.h"
#include "db_clocks.h"
#include "handler.h"
#include "i18n.h"
#include "jobs.h"
#include "log.h"
#include "office_calendar.h"
#include "outbox.h"
#include "people.h"
#include "revoke.h"
#include "runtime.h"
#include "sessions.h"
#include "texts.h"
#include "tg_update.h"
#include "utf8.h"

#define LIST_MAX 40
#define RUNNING_MAX 2000

static const struct {
    const char *word;
    enum cal_kind kind;
} kind_words[] = {
    { "nasional", CAL_NATIONAL }, { "national", CAL_NATIONAL },
    { "cuti", CAL_JOINT_LEAVE },  { "leave", CAL_JOINT_LEAVE },
    { "tutup", CAL_CLOSURE },     { "closed", CAL_CLOSURE },
};

static int list(struct handler_ctx *ctx)
{
    const struct cal *cal = &ctx->app->cal;
    struct text t;
    text_init(&t, ctx->app->i18n, ctx->lang);
    text_add(&t, "holidays.title", NULL);
    size_t from = cal_holiday_first_from(cal, cal_day_of(ctx->now_ms));
    size_t shown = 0;
    for (size_t i = from; i < cal_holiday_count(cal) && shown < LIST_MAX; i++, shown++) {
        const struct cal_holiday *h = cal_holiday_at(cal, i);
        char date[CAL_DATE_SIZE], key[32];
        cal_date_format(h->day, date);
        snprintf(key, sizeof key, "holidays.kind.%s", cal_kind_key(h->kind));
        text_add(&t, "holidays.line", "date", date, "kind", i18n_text(ctx->app->i18n, ctx->lang, key),
                 "name", h->name, NULL);
    }
    if (!shown)
        text_add(&t, "holidays.none", NULL);
    int year, month, day;
    cal_civil_from_days(cal_day_of(ctx->now_ms), &year, &month, &day);
    char next_year[16], count[24];
    snprintf(next_year, sizeof next_year, "%d", year + 1);
    snprintf(count, sizeof count, "%zu", cal_holiday_count_year(cal, year + 1));
    text_add(&t, "holidays.next_year", "year", next_year, "count", count, NULL);
    if (ctx->roles & ROLE_ADMIN)
        text_add(&t, "holidays.usage", NULL);
    char *html = text_take(&t);
    int rc = html ? reply_html(ctx, html, NULL) : -ENOMEM;
    free(html);
    return rc;
}

/* The calendar changed: every running step's deadline is planned again, and
 * the holders of those that moved are told. */
static int holidays_replan(struct app *app, int64_t now_ms)
{
    struct db_clock *clocks = calloc(RUNNING_MAX, sizeof *clocks);
    if (!clocks)
        return -ENOMEM;
    size_t count = 0;
    int rc = db_clocks_running(app->db, clocks, RUNNING_MAX, &count);
    for (size_t i = 0; !rc && i < count; i++) {
        int64_t before = clocks[i].deadline;
        case_clock_plan(app, &clocks[i], now_ms);
        rc = db_clock_update(app->db, &clocks[i]);
        if (rc || clocks[i].deadline == before)
            continue;
        struct db_case c;
        rc = db_case_get(app->db, clocks[i].case_id, &c);
        if (rc)
            break;
        int64_t to[PEOPLE_MAX];
        size_t n = 0;
        enum role holder = wf_state_holder_role(c.wf.state);
        rc = people_for_role(app, holder, c.wf.pelaksana_id, c.wf.agency_id, now_ms, to,
                             PEOPLE_MAX, &n);
        for (size_t j = 0; !rc && j < n && holder != ROLE_APPLICANT; j++) {
            const char *lang = card_lang_of(app, to[j]);
            char due[48];
            text_when(app->i18n, lang, clocks[i].deadline, due, sizeof due);
            char *html = i18n_format(app->i18n, lang, "holidays.deadline_moved", "number",
                                     c.number, "due", due, NULL);
            rc = html ? outbox_send_text(app->db, to[j], html, NULL, NULL, now_ms) : -ENOMEM;
            free(html);
        }
    }
    free(clocks);
    return rc;
}

#define FINGERPRINT_KEY "calendar_fingerprint"

/* Everything timed on the calendar planned again, in the caller's
 * transaction: the running steps' deadlines (holders told of a moved one),
 * the confirmed sessions' reminders, the open help requests' reminders; and
 * the calendar's fingerprint kept, so a restart knows this plan is current.
 * `why` names the change in the log. */
static int holidays_replan_all(struct app *app, int64_t now_ms, const char *why)
{
    int sessions = 0, help = 0;
    int rc = holidays_replan(app, now_ms);
    if (!rc)
        rc = sessions_replan_reminders(app, now_ms, &sessions);
    if (!rc)
        rc = help_request_replan(app, &help);
    char fingerprint[24];
    snprintf(fingerprint, sizeof fingerprint, "%016" PRIx64, cal_fingerprint(&app->cal));
    if (!rc)
        rc = db_state_set(app->db, FINGERPRINT_KEY, fingerprint);
    if (!rc && (sessions || help))
        log_info("holidays", "%s: %d session and %d help request reminder(s) planned again", why,
                 sessions, help);
    return rc;
}

/* The calendar the bot started with is not the one its plan was made on (a
 * new holidays file, a new release's list, hours changed in the config): plan
 * again once. The first start only records the fingerprint. */
static int calendar_check(struct app *app, void *arg, int64_t now_ms)
{
    (void)arg;
    char stored[24] = "", current[24];
    snprintf(current, sizeof current, "%016" PRIx64, cal_fingerprint(&app->cal));
    int rc = db_state_get(app->db, FINGERPRINT_KEY, stored, sizeof stored);
    if (rc == -ENOENT)
        return db_state_set(app->db, FINGERPRINT_KEY, current);
    if (rc || strcmp(stored, current) == 0)
        return rc;
    log_info("holidays", "the office calendar changed while the bot was stopped; planning again");
    return holidays_replan_all(app, now_ms, "calendar at start");
}

int holidays_check_run(struct app *app, int64_t now_ms)
{
    return jobs_guard(app, "calendar", calendar_check, NULL, now_ms);
}

static int change(struct handler_ctx *ctx, bool add, const char *cursor)
{
    struct app *app = ctx->app;
    char date[ARGS_WORD_SIZE], kind_word[ARGS_WORD_SIZE], name[CAL_NAME_MAX + 1];
    int32_t day;
    if (!args_next(&cursor, date, sizeof date) || cal_date_parse(date, &day) != 0)
        return reply_text(ctx, NULL, "holidays.bad_date", NULL);
    enum cal_kind kind = CAL_CLOSURE;
    if (add) {
        bool known = false;
        if (args_next(&cursor, kind_word, sizeof kind_word))
            for (size_t i = 0; i < sizeof kind_words / sizeof kind_words[0]; i++)
                if (strcmp(kind_words[i].word, kind_word) == 0) {
                    kind = kind_words[i].kind;
                    known = true;
                }
        if (!known)
            return reply_text(ctx, NULL, "holidays.bad_kind", NULL);
        if (args_rest(cursor, name, sizeof name) != 0 || !cal_holiday_name_valid(name))
            return reply_text(ctx, NULL, "holidays.bad_name", NULL);
    } else if (!cal_holiday_find(&app->cal, day)) {
        return reply_text(ctx, NULL, "holidays.not_found", "date", date, NULL);
    }
    char canonical[CAL_DATE_SIZE];
    cal_date_format(day, canonical);
    /* What the day was, to put back should the transaction fail. */
    const struct cal_holiday *old = cal_holiday_find(&app->cal, day);
    struct cal_holiday before = { .day = -1 };
    char before_name[CAL_NAME_MAX + 1] = "";
    if (old) {
        before = *old;
        utf8_copy(before_name, sizeof before_name, old->name);
    }
    int rc = add ? cal_holiday_add(&app->cal, day, kind, name, false)
                 : cal_holiday_remove(&app->cal, day);
    if (!rc)
        rc = db_calendar_day_set(app->db, canonical, cal_kind_key(kind), add ? name : "-", !add,
                                 ctx->update->user_id, ctx->now_ms);
    if (!rc)
        rc = holidays_replan_all(app, ctx->now_ms, canonical);
    /* A session already confirmed on a day now closed is flagged to those
     * who can move it. */
    int flagged = 0;
    if (!rc && add)
        rc = sessions_flag_closed_day(app, day, name, ctx->now_ms, &flagged);
    if (rc) {
        /* The transaction rolls back; the calendar in memory follows it. */
        if (before.day >= 0)
            cal_holiday_add(&app->cal, day, before.kind, before_name, before.tentative);
        else
            cal_holiday_remove(&app->cal, day);
        return rc;
    }
    scheduler_kick(app);
    struct text t;
    text_init(&t, app->i18n, ctx->lang);
    text_add(&t, add ? "holidays.added" : "holidays.removed", "date", canonical, "name",
             add ? name : "", NULL);
    if (flagged) {
        char count[16];
        snprintf(count, sizeof count, "%d", flagged);
        text_raw(&t, "\n");
        text_add(&t, "session_change.closed_day_admin", "count", count, NULL);
    }
    char *html = text_take(&t);
    rc = html ? reply_html(ctx, html, NULL) : -ENOMEM;
    free(html);
    return rc;
}

static int run_holidays(struct handler_ctx *ctx)
{
    const char *cursor = ctx->args;
    char word[ARGS_WORD_SIZE];
    if (!args_next(&cursor, word, sizeof word))
        return list(ctx);
    bool add = strcmp(word, "tambah") == 0 || strcmp(word, "add") == 0;
    bool remove = strcmp(word, "hapus") == 0 || strcmp(word, "remove") == 0;
    if (!add && !remove)
        return reply_text(ctx, NULL, "holidays.usage", NULL);
    if (!(ctx->actor.roles & ROLE_ADMIN))
        return reply_text(ctx, NULL, "error.not_allowed", NULL);
    return change(ctx, add, cursor);
}

const struct handler_entry handler_holidays = {
    .name = "holidays",
    .command_id = "libur",
    .command_en = "holidays",
    .roles = ROLE_OFFICIAL | ROLE_ADMIN,
    .in_menu = true,
    .run = run_holidays,
};
