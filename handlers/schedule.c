/* /jadwal (/schedule): the assisted login sessions to come, the cases' and
 * the certificate help requests'. The Kasi (and the leadership and the
 * admins) see every Pelaksana's, a Pelaksana their own, an applicant their
 * agency's. Slots still offered (waiting for the applicant's choice) are
 * shown too, marked, as they hold the Pelaksana's time. The Kasi and the
 * applicant get the buttons to move or cancel each confirmed session of a
 * case; of a help request, whoever may move it (help_session.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "case_card.h"
#include "db_registry.h"
#include "db_sessions.h"
#include "help_session.h"
#include "handler.h"
#include "i18n.h"
#include "keyboard.h"
#include "office_calendar.h"
#include "sessions.h"
#include "texts.h"

#define LIST_MAX 40
#define BUTTON_ROWS_MAX 12

/* Who sees what: everyone's for the Kasi, the Kadis, the Kabid and the
 * admins; a Pelaksana's own; an applicant's agency's. */
static void scope(const struct handler_ctx *ctx, int64_t *pelaksana_id, int64_t *agency_id,
                  const char **title)
{
    *pelaksana_id = 0;
    *agency_id = 0;
    if (ctx->roles & (ROLE_KASI | ROLE_KABID | ROLE_KADIS | ROLE_ADMIN)) {
        *title = "schedule.list.title_all";
    } else if (ctx->roles & ROLE_PELAKSANA) {
        *pelaksana_id = ctx->actor.user_id;
        *title = "schedule.list.title_mine";
    } else {
        *agency_id = ctx->actor.agency_id ? ctx->actor.agency_id : -1;
        *title = "schedule.list.title_agency";
    }
}

/* The session's owner as the list names it: the case's or the help
 * request's number and agency; *keys (when `want_keys`) the buttons to move
 * or cancel it if the viewer may: for a case the Kasi and the applicant
 * (the core decides again when they press), for a help request
 * core/help_slots.h. */
static int owner_of(struct handler_ctx *ctx, const struct db_session *s, bool want_keys,
                    char *number, size_t number_size, char *agency, size_t agency_size,
                    cJSON **keys)
{
    struct app *app = ctx->app;
    *keys = NULL;
    if (s->help_id)
        return help_session_listing(app, s, &ctx->actor, ctx->lang, number, number_size, agency,
                                    agency_size, want_keys ? keys : NULL);
    struct db_case c;
    int rc = db_case_get(app->db, s->case_id, &c);
    if (rc)
        return rc;
    snprintf(number, number_size, "%s", c.number);
    struct db_agency a = { 0 };
    if (db_agency_get(app->db, c.wf.agency_id, &a) != 0)
        snprintf(a.name, sizeof a.name, "-");
    snprintf(agency, agency_size, "%s", a.name);
    bool may_change = (ctx->roles & (ROLE_KASI | ROLE_APPLICANT)) != 0;
    if (!want_keys || !may_change || s->status != SESSION_CONFIRMED ||
        c.wf.state != WF_S7_PENDAMPINGAN)
        return 0;
    int failed = 0;
    *keys = case_card_session_keyboard(app, &c, ctx->lang, &failed);
    return failed ? -ENOMEM : 0;
}

/* `keys` (taken) as one row, each labelled with the number and the day. */
static int add_buttons(struct handler_ctx *ctx, cJSON *keyboard, const char *number,
                       const struct db_session *s, cJSON *keys)
{
    struct app *app = ctx->app;
    char day[48], label[96];
    text_when(app->i18n, ctx->lang, s->start_at, day, sizeof day);
    /* One row per session: its buttons, labelled with the case and day. */
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(keys, "inline_keyboard");
    const cJSON *first = cJSON_GetArrayItem(rows, 0);
    cJSON *row = first ? keyboard_row(keyboard) : NULL;
    int rc = 0;
    const cJSON *b;
    cJSON_ArrayForEach(b, first) {
        const cJSON *text = cJSON_GetObjectItemCaseSensitive(b, "text");
        const cJSON *data = cJSON_GetObjectItemCaseSensitive(b, "callback_data");
        if (!cJSON_IsString(text) || !cJSON_IsString(data))
            continue;
        snprintf(label, sizeof label, "%s \xc2\xb7 %s \xc2\xb7 %s", text->valuestring, number,
                 day);
        rc = row ? keyboard_button(row, label, data->valuestring) : -ENOMEM;
        if (rc)
            break;
    }
    cJSON_Delete(keys);
    return rc;
}

static int run_schedule(struct handler_ctx *ctx)
{
    struct app *app = ctx->app;
    int64_t pelaksana_id, agency_id;
    const char *title;
    scope(ctx, &pelaksana_id, &agency_id, &title);
    struct db_session *list = calloc(LIST_MAX, sizeof *list);
    if (!list)
        return -ENOMEM;
    size_t count = 0;
    int rc = agency_id < 0 ? 0
                           : db_sessions_coming(app->db, pelaksana_id, agency_id, ctx->now_ms,
                                                list, LIST_MAX, &count);
    struct text t;
    text_init(&t, app->i18n, ctx->lang);
    text_add(&t, count ? title : "schedule.list.none", NULL);
    cJSON *keyboard = keyboard_new();
    if (!keyboard)
        rc = rc ? rc : -ENOMEM;
    int32_t shown_day = -1;
    size_t rows = 0;
    for (size_t i = 0; !rc && i < count; i++) {
        const struct db_session *s = &list[i];
        char number[24], agency[DB_NAME_MAX];
        cJSON *keys = NULL;
        rc = owner_of(ctx, s, rows < BUTTON_ROWS_MAX, number, sizeof number, agency,
                      sizeof agency, &keys);
        if (rc)
            break;
        int32_t day = cal_day_of(s->start_at);
        if (day != shown_day) {
            char key[32], date[48];
            snprintf(key, sizeof key, "schedule.weekday.%d", cal_weekday(day));
            text_day_long(app->i18n, ctx->lang, s->start_at, date, sizeof date);
            text_add(&t, "schedule.list.day", "weekday", i18n_text(app->i18n, ctx->lang, key),
                     "date", date, NULL);
            shown_day = day;
        }
        char from[16], to[16], pelaksana[DB_NAME_MAX];
        int64_t m1 = (s->start_at - cal_day_start(day)) / CAL_MINUTE_MS;
        int64_t m2 = (s->end_at - cal_day_start(cal_day_of(s->end_at))) / CAL_MINUTE_MS;
        text_clock(app->i18n, ctx->lang, (int)m1, from, sizeof from);
        text_clock(app->i18n, ctx->lang, (int)m2, to, sizeof to);
        db_person_name(app->db, s->pelaksana_id, pelaksana, sizeof pelaksana);
        text_add(&t, "schedule.list.line", "from", from, "to", to, "number", number, "agency",
                 agency, "place", s->place, "pelaksana", pelaksana, NULL);
        if (s->status == SESSION_OFFERED)
            text_add(&t, "schedule.list.offered", NULL);
        if (keys) {
            rc = add_buttons(ctx, keyboard, number, s, keys);
            rows++;
        }
    }
    free(list);
    char *html = text_take(&t);
    if (!rc)
        rc = html ? reply_html(ctx, html, rows ? keyboard : NULL) : -ENOMEM;
    free(html);
    cJSON_Delete(keyboard);
    return rc;
}

const struct handler_entry handler_schedule = {
    .name = "schedule",
    .command_id = "jadwal",
    .command_en = "schedule",
    .roles = ROLE_OFFICIAL | ROLE_APPLICANT | ROLE_ADMIN,
    .in_menu = true,
    .run = run_schedule,
};
