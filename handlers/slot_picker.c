/* The session time picker and the offer builder; see slot_picker.h. */
#include "slot_picker.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "args.h"
#include "case_action.h"
#include "case_card.h"
#include "db_registry.h"
#include "help_session.h"
#include "db_sessions.h"
#include "i18n.h"
#include "keyboard.h"
#include "office_calendar.h"
#include "outbox.h"
#include "people.h"
#include "sessions.h"
#include "slots.h"
#include "texts.h"
#include "tg_html.h"
#include "tg_update.h"
#include "typed_answers.h"
#include "utf8.h"

#define PICKER_PREFIX "s"
#define HELP_PICKER_PREFIX "sh"
#define PAGE_DAYS 9          /* working days on one page, three a row */
#define LOOKAHEAD_DAYS 180   /* how far ahead the pages go */
#define STEP_MINUTES 30      /* between the start times offered */
#define TIMES_MAX 48
#define PLACE_LABEL_MAX 48   /* bytes of a place shown on a button */

static int64_t pick_start(const struct pick *p)
{
    return cal_day_start(p->day) + p->minute * CAL_MINUTE_MS;
}

static int64_t pick_end(const struct pick *p)
{
    return pick_start(p) + p->length * CAL_MINUTE_MS;
}

static void pick_args(const struct pick *p, char *out, size_t size)
{
    snprintf(out, size, "%" PRId32 ":%d:%d:%" PRId64, p->day, p->minute, p->length,
             p->pelaksana_id);
}

/* Reads "<day>[:<min>[:<len>[:<pelaksana>]]]" with at least `need` fields,
 * each in its range: a day within the look-ahead of today, a minute of the
 * day, a length a session may have, a positive id. The slot's own rules
 * (office hours, ahead) are sessions_check's. */
int slot_pick_parse(const char *arg, int need, int64_t now_ms, struct pick *p)
{
    long long v[4] = { 0, 0, SESSION_DEFAULT_MINUTES, 0 };
    int n = 0;
    const char *s = arg;
    while (n < 4 && *s) {
        size_t len = strcspn(s, ":");
        uint64_t value = 0;
        if (args_decimal_n(s, len, INT64_MAX, &value) != 0 || (s[len] == ':' && !s[len + 1]))
            return -EINVAL;
        v[n++] = (long long)value;
        s += s[len] ? len + 1 : len;
    }
    if (n < need || *s)
        return -EINVAL;
    int32_t today = cal_day_of(now_ms);
    if (v[0] < today || v[0] > today + LOOKAHEAD_DAYS || v[1] < 0 ||
        v[1] >= CAL_MINUTES_PER_DAY || v[2] < SLOT_MIN_MINUTES || v[2] > SLOT_MAX_MINUTES ||
        v[3] < 0)
        return -EINVAL;
    *p = (struct pick){ .day = (int32_t)v[0], .minute = (int)v[1], .length = (int)v[2],
                        .pelaksana_id = v[3] };
    return 0;
}

/* --- buttons ---------------------------------------------------------------- */

static int button(cJSON *row, const char *label, const struct slot_owner *o, const char *op,
                  const char *args)
{
    /* Room for more than Telegram takes: a long one is refused whole by
     * keyboard_button, never cut into other valid data. */
    char data[2 * KEYBOARD_DATA_MAX];
    snprintf(data, sizeof data, "%s:%" PRId64 ":%" PRIu32 ":%s%s%s",
             o->kind == SLOT_OWNER_HELP ? HELP_PICKER_PREFIX : PICKER_PREFIX, o->id, o->version,
             op, args && args[0] ? ":" : "", args ? args : "");
    return row ? keyboard_button(row, label, data) : -ENOMEM;
}

/* --- what differs between the owners ------------------------------------------ */

void slot_owner_of_case(struct app *app, const struct db_case *c, struct slot_owner *o)
{
    *o = (struct slot_owner){ .kind = SLOT_OWNER_CASE, .id = c->wf.case_id,
                              .version = c->wf.version, .c = c };
    snprintf(o->number, sizeof o->number, "%s", c->number);
    struct db_agency agency = { 0 };
    if (db_agency_get(app->db, c->wf.agency_id, &agency) != 0)
        snprintf(agency.name, sizeof agency.name, "-");
    snprintf(o->agency, sizeof o->agency, "%s", agency.name);
}

static bool is_help(const struct slot_owner *o)
{
    return o->kind == SLOT_OWNER_HELP;
}

static int owner_drafts(struct app *app, const struct slot_owner *o, struct db_session *out,
                        size_t max, size_t *count)
{
    return is_help(o) ? db_sessions_of_help(app->db, o->id, SESSION_DRAFT, out, max, count)
                      : db_sessions_of_case(app->db, o->id, SESSION_DRAFT, out, max, count);
}

static int owner_confirmed(struct app *app, const struct slot_owner *o, struct db_session *out)
{
    return is_help(o) ? db_session_of_help(app->db, o->id, SESSION_CONFIRMED, out)
                      : sessions_confirmed(app, o->id, out);
}

/* sessions_check against the owner's own drafts too. */
static int owner_check(struct app *app, const struct slot_owner *o, int64_t pelaksana_id,
                       int64_t start, int64_t end, int64_t now_ms, struct db_session *conflict)
{
    return is_help(o) ? sessions_check_help(app, o->id, 0, pelaksana_id, start, end, now_ms,
                                            conflict)
                      : sessions_check(app, o->id, 0, pelaksana_id, start, end, now_ms,
                                       conflict);
}

/* The next typed message answers the picker: `want` "slot", "move" or
 * "place" (with `arg`, the slot so far). */
static int owner_remember(struct handler_ctx *ctx, const struct slot_owner *o, const char *want,
                          const char *arg)
{
    if (is_help(o))
        return help_session_remember(ctx, o, want, arg);
    const char *action = strcmp(want, "move") == 0 ? "reschedule_session" : "propose_session";
    return case_prompt_remember(ctx, o->c, action, arg, want);
}

static void day_label(struct app *app, const char *lang, int32_t day, char *out, size_t size)
{
    int y, m, d;
    cal_civil_from_days(day, &y, &m, &d);
    char weekday[32], month[16];
    snprintf(weekday, sizeof weekday, "schedule.weekday.%d", cal_weekday(day));
    snprintf(month, sizeof month, "month.%d", m);
    snprintf(out, size, "%s %d %s %d", i18n_text(app->i18n, lang, weekday), d,
             i18n_text(app->i18n, lang, month), y);
}

/* The start times of `day` for a slot of `length` minutes, inside one office
 * span and after `now_ms`; how many were written. */
static size_t day_times(const struct app *app, int32_t day, int length, int64_t now_ms, int *out,
                        size_t max)
{
    if (!cal_is_working_day(&app->cal, day))
        return 0;
    const struct cal_hours *hours = &app->cal.week[cal_weekday(day)];
    size_t n = 0;
    for (size_t i = 0; i < hours->count; i++)
        for (int t = hours->spans[i].start; t + length <= hours->spans[i].end && n < max;
             t += STEP_MINUTES)
            if (cal_day_start(day) + t * CAL_MINUTE_MS > now_ms)
                out[n++] = t;
    return n;
}

/* The next PAGE_DAYS days from `from` that still have a start time. */
static size_t day_page(const struct app *app, int32_t from, int length, int64_t now_ms,
                       int32_t *out, int32_t *next)
{
    int32_t today = cal_day_of(now_ms);
    if (from < today)
        from = today;
    size_t n = 0;
    int32_t d = from;
    for (; d <= today + LOOKAHEAD_DAYS && n < PAGE_DAYS; d++) {
        int first;
        if (day_times(app, d, length, now_ms, &first, 1))
            out[n++] = d;
    }
    *next = d <= today + LOOKAHEAD_DAYS ? d : 0;
    return n;
}

/* --- what the picker shows --------------------------------------------------- */

static int show(struct handler_ctx *ctx, bool edit, const char *html, const cJSON *keyboard)
{
    if (edit && ctx->update->kind == UPDATE_CALLBACK && ctx->update->message_id)
        return outbox_edit_text(ctx->app->db, ctx->update->chat_id, ctx->update->message_id,
                                html, keyboard, ctx->now_ms);
    return reply_html(ctx, html, keyboard);
}

/* Lets the person type a time at the picker (case_prompt.c or
 * help_session.c reads it). */
static int remember_typing(struct handler_ctx *ctx, const struct slot_owner *o, bool move)
{
    return owner_remember(ctx, o, move ? "move" : "slot", "");
}

static int session_length(const struct db_session *s)
{
    return (int)((s->end_at - s->start_at) / CAL_MINUTE_MS);
}

/* The builder's text: the case, how to add a slot, the slots so far. */
static char *builder_text(struct handler_ctx *ctx, const struct slot_owner *o,
                          const struct db_session *drafts, size_t count)
{
    struct app *app = ctx->app;
    char min[8], max[8], minutes[8];
    snprintf(min, sizeof min, "%d", WF_SLOTS_MIN);
    snprintf(max, sizeof max, "%d", WF_SLOTS_MAX);
    snprintf(minutes, sizeof minutes, "%d", SESSION_DEFAULT_MINUTES);
    struct text t;
    text_init(&t, app->i18n, ctx->lang);
    text_add(&t, "schedule.builder.title", "number", o->number, "agency", o->agency, NULL);
    text_add(&t, "schedule.builder.help", "min", min, "max", max, "minutes", minutes, NULL);
    if (!count)
        text_add(&t, "schedule.builder.none", NULL);
    else
        text_add(&t, "schedule.builder.slots", NULL);
    for (size_t i = 0; i < count; i++) {
        char index[24];
        snprintf(index, sizeof index, "%zu", i + 1);
        text_add(&t, "card.offer_index", "index", index, NULL);
        text_own(&t, sessions_line_html(app, ctx->lang, &drafts[i]));
    }
    if (count >= WF_SLOTS_MIN)
        text_add(&t, "schedule.builder.ready", NULL);
    return text_take(&t);
}

static char *move_text(struct handler_ctx *ctx, const struct slot_owner *o,
                       const struct db_session *s)
{
    struct text t;
    text_init(&t, ctx->app->i18n, ctx->lang);
    text_add(&t, "schedule.move.title", "number", o->number, NULL);
    text_own(&t, sessions_line_html(ctx->app, ctx->lang, s));
    text_add(&t, "schedule.move.help", NULL);
    return text_take(&t);
}

/* "Kirim pilihan (n)": a case's goes to case_action.c, a help request's to
 * help_session.c. */
static int send_button(struct handler_ctx *ctx, const struct slot_owner *o, cJSON *keyboard,
                       size_t count)
{
    struct app *app = ctx->app;
    char data[KEYBOARD_DATA_MAX + 1], label[96], number[8];
    if (is_help(o)) /* help_session.c sends it */
        snprintf(data, sizeof data, HELP_PICKER_PREFIX ":%" PRId64 ":%" PRIu32 ":os", o->id,
                 o->version);
    else
        snprintf(data, sizeof data, "c:%" PRId64 ":%" PRIu32 ":%s:send", o->id, o->version,
                 wf_event_name(WF_EV_PROPOSE_SESSION));
    snprintf(number, sizeof number, "%zu", count);
    char *text = i18n_format(app->i18n, ctx->lang, "schedule.button.send_offer", "count",
                             number, NULL);
    char *plain = text ? tg_html_plain(text) : NULL;
    snprintf(label, sizeof label, "%s", plain ? plain : "");
    free(text);
    free(plain);
    cJSON *row = keyboard_row(keyboard);
    return row ? keyboard_button(row, label, data) : -ENOMEM;
}

/* A page of days (and, in the builder, the slots so far with their remove
 * buttons and the button that sends the offer). */
static int show_days(struct handler_ctx *ctx, const struct slot_owner *o, bool move, int32_t from,
                     bool edit)
{
    struct app *app = ctx->app;
    struct db_session drafts[WF_SLOTS_MAX + 1], current;
    size_t count = 0;
    int length = SESSION_DEFAULT_MINUTES;
    int rc = move ? owner_confirmed(app, o, &current)
                  : owner_drafts(app, o, drafts, WF_SLOTS_MAX + 1, &count);
    if (rc == -ENOENT) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    if (rc)
        return rc;
    if (move)
        length = session_length(&current);
    char *html = move ? move_text(ctx, o, &current) : builder_text(ctx, o, drafts, count);
    cJSON *keyboard = keyboard_new();
    rc = html && keyboard ? 0 : -ENOMEM;

    int32_t days[PAGE_DAYS], next = 0, today = cal_day_of(ctx->now_ms);
    size_t n = rc ? 0 : day_page(app, from, length, ctx->now_ms, days, &next);
    cJSON *row = NULL;
    for (size_t i = 0; !rc && i < n; i++) {
        if (i % 3 == 0)
            row = keyboard_row(keyboard);
        char label[64], args[16];
        day_label(app, ctx->lang, days[i], label, sizeof label);
        snprintf(args, sizeof args, "%" PRId32, days[i]);
        rc = button(row, label, o, move ? "md" : "od", args);
    }
    if (!rc && (from > today || next)) {
        row = keyboard_row(keyboard);
        char args[16];
        if (from > today) {
            snprintf(args, sizeof args, "%" PRId32, today);
            rc = button(row, i18n_text(app->i18n, ctx->lang, "schedule.button.earlier"), o,
                        move ? "mw" : "ow", args);
        }
        if (!rc && next) {
            snprintf(args, sizeof args, "%" PRId32, next);
            rc = button(row, i18n_text(app->i18n, ctx->lang, "schedule.button.later"), o,
                        move ? "mw" : "ow", args);
        }
    }
    if (!rc && count) {
        row = keyboard_row(keyboard);
        for (size_t i = 0; !rc && i < count; i++) {
            char label[32], args[24];
            snprintf(label, sizeof label, "\xe2\x9c\x96 %zu", i + 1);
            snprintf(args, sizeof args, "%" PRId64, drafts[i].id);
            rc = button(row, label, o, "ox", args);
        }
    }
    if (!rc && count >= WF_SLOTS_MIN && count <= WF_SLOTS_MAX)
        rc = send_button(ctx, o, keyboard, count);
    if (!rc)
        rc = show(ctx, edit, html, keyboard);
    cJSON_Delete(keyboard);
    free(html);
    return rc;
}

static int show_times(struct handler_ctx *ctx, const struct slot_owner *o, bool move, int32_t day)
{
    struct app *app = ctx->app;
    int length = SESSION_DEFAULT_MINUTES;
    if (move) {
        struct db_session s;
        int rc = owner_confirmed(app, o, &s);
        if (rc == -ENOENT) {
            reply_answer(ctx, "error.stale_button", false);
            return 0;
        }
        if (rc)
            return rc;
        length = session_length(&s);
    }
    int times[TIMES_MAX];
    size_t n = day_times(app, day, length, ctx->now_ms, times, TIMES_MAX);
    char label[64], minutes[8];
    day_label(app, ctx->lang, day, label, sizeof label);
    snprintf(minutes, sizeof minutes, "%d", length);
    const char *key = n ? "schedule.times.title" : "schedule.times.none";
    char *html = i18n_format(app->i18n, ctx->lang, key, "number", o->number, "day", label,
                             "minutes", minutes, NULL);
    cJSON *keyboard = keyboard_new();
    int rc = html && keyboard ? 0 : -ENOMEM;
    cJSON *row = NULL;
    for (size_t i = 0; !rc && i < n; i++) {
        if (i % 4 == 0)
            row = keyboard_row(keyboard);
        char time[16], args[24];
        text_clock(ctx->app->i18n, ctx->lang, times[i], time, sizeof time);
        snprintf(args, sizeof args, "%" PRId32 ":%d", day, times[i]);
        rc = button(row, time, o, move ? "mt" : "ot", args);
    }
    if (!rc) {
        char args[16];
        snprintf(args, sizeof args, "%" PRId32, day);
        rc = button(keyboard_row(keyboard),
                    i18n_text(app->i18n, ctx->lang, "schedule.button.other_days"), o,
                    move ? "mw" : "ow", args);
    }
    if (!rc)
        rc = show(ctx, true, html, keyboard);
    cJSON_Delete(keyboard);
    free(html);
    return rc;
}

/* Who assists: the active Pelaksana, as buttons carrying the whole slot. */
static int show_pelaksana(struct handler_ctx *ctx, const struct slot_owner *o, struct pick p,
                          bool edit)
{
    struct app *app = ctx->app;
    struct db_official list[PEOPLE_MAX];
    size_t count = 0;
    int rc = db_officials_list(app->db, ROLE_PELAKSANA, list, PEOPLE_MAX, &count);
    if (rc)
        return rc;
    if (!count) {
        reply_answer(ctx, "answer.no_pelaksana", true);
        return edit ? 0 : reply_text(ctx, NULL, "answer.no_pelaksana", NULL);
    }
    char span[96];
    sessions_span_text(app, ctx->lang, pick_start(&p), pick_end(&p), span, sizeof span);
    char *html = i18n_format(app->i18n, ctx->lang, "schedule.pelaksana.title", "number",
                             o->number, "when", span, NULL);
    cJSON *keyboard = keyboard_new();
    rc = html && keyboard ? 0 : -ENOMEM;
    for (size_t i = 0; !rc && i < count; i++) {
        char args[64];
        p.pelaksana_id = list[i].telegram_id;
        pick_args(&p, args, sizeof args);
        rc = button(keyboard_row(keyboard), list[i].name, o, "op", args);
    }
    if (!rc) {
        char args[16];
        snprintf(args, sizeof args, "%" PRId32, p.day);
        rc = button(keyboard_row(keyboard),
                    i18n_text(app->i18n, ctx->lang, "schedule.button.other_times"), o, "od", args);
    }
    if (!rc)
        rc = show(ctx, edit, html, keyboard);
    cJSON_Delete(keyboard);
    free(html);
    return rc;
}

/* --- refusals --------------------------------------------------------------- */

/* Says why a slot cannot be used: as the button's alert, and in the chat
 * when the slot was typed (a message has no alert). */
static int refuse(struct handler_ctx *ctx, int problem, const struct db_session *conflict)
{
    char *html = sessions_refusal_html(ctx->app, ctx->lang, "schedule.refused", NULL, problem,
                                       conflict, (ctx->roles & ROLE_OFFICIAL) != 0);
    if (!html)
        return -ENOMEM;
    int rc = 0;
    if (ctx->update->kind == UPDATE_CALLBACK)
        reply_answer_html(ctx, html, true);
    else
        rc = reply_html(ctx, html, NULL);
    free(html);
    return rc;
}

/* 0 if `id` is an active Pelaksana, -ENOENT if not, or a database error. */
static int active_pelaksana(struct app *app, int64_t id)
{
    struct db_official list[PEOPLE_MAX];
    size_t count = 0;
    int rc = db_officials_list(app->db, ROLE_PELAKSANA, list, PEOPLE_MAX, &count);
    if (rc)
        return rc;
    for (size_t i = 0; i < count; i++)
        if (list[i].telegram_id == id)
            return 0;
    return -ENOENT;
}

/* --- adding a slot to the offer ---------------------------------------------- */

/* A help request's last place: its newest draft's, else its last offer's
 * or session's. */
static int help_last_place(struct app *app, const struct slot_owner *o, char *out, size_t size)
{
    static const enum db_session_status order[] = { SESSION_DRAFT, SESSION_OFFERED,
                                                    SESSION_CONFIRMED, SESSION_WITHDRAWN,
                                                    SESSION_CANCELLED };
    out[0] = '\0';
    struct db_session s;
    for (size_t i = 0; !out[0] && i < sizeof order / sizeof order[0]; i++) {
        int rc = db_session_of_help(app->db, o->id, order[i], &s);
        if (rc && rc != -ENOENT)
            return rc;
        if (!rc)
            utf8_copy(out, size, s.place);
    }
    return out[0] ? 0 : -ENOENT;
}

static int last_place(struct handler_ctx *ctx, const struct slot_owner *o, char *out,
                      size_t size)
{
    if (is_help(o))
        return help_last_place(ctx->app, o, out, size);
    const struct db_case *c = o->c;
    cJSON *draft = case_draft_get(ctx->app, c->wf.case_id, 6);
    const cJSON *place = cJSON_GetObjectItemCaseSensitive(draft, "place");
    if (cJSON_IsString(place) && place->valuestring[0])
        utf8_copy(out, size, place->valuestring);
    else
        utf8_copy(out, size, c->session_place);
    cJSON_Delete(draft);
    return out[0] ? 0 : -ENOENT;
}

static int ask_place(struct handler_ctx *ctx, const struct slot_owner *o, const struct pick *p)
{
    struct app *app = ctx->app;
    char args[64], span[96], name[DB_NAME_MAX], place[DB_PLACE_MAX + 1];
    pick_args(p, args, sizeof args);
    int rc = owner_remember(ctx, o, "place", args);
    if (rc)
        return rc;
    sessions_span_text(app, ctx->lang, pick_start(p), pick_end(p), span, sizeof span);
    db_person_name(app->db, p->pelaksana_id, name, sizeof name);
    char *html = i18n_format(app->i18n, ctx->lang, "schedule.place.prompt", "number", o->number,
                             "when", span, "pelaksana", name, NULL);
    cJSON *keyboard = NULL;
    if (html && last_place(ctx, o, place, sizeof place) == 0) {
        char label[PLACE_LABEL_MAX + 8], shown[PLACE_LABEL_MAX];
        utf8_copy(shown, sizeof shown, place);
        snprintf(label, sizeof label, "\xf0\x9f\x93\x8d %s", shown);
        keyboard = keyboard_new();
        rc = keyboard ? button(keyboard_row(keyboard), label, o, "ol", args) : -ENOMEM;
    }
    if (!rc)
        rc = html ? reply_html(ctx, html, keyboard) : -ENOMEM;
    cJSON_Delete(keyboard);
    free(html);
    reply_answer(ctx, "answer.prompted", false);
    return rc;
}

/* The check and the insert in one transaction: whoever comes second sees
 * the first one's row. */
static int add_draft(struct handler_ctx *ctx, const struct slot_owner *o, const struct pick *p,
                     const char *place)
{
    struct app *app = ctx->app;
    struct db_session drafts[WF_SLOTS_MAX + 1];
    size_t count = 0;
    int rc = owner_drafts(app, o, drafts, WF_SLOTS_MAX + 1, &count);
    if (rc)
        return rc;
    if (count >= WF_SLOTS_MAX) {
        char max[8];
        snprintf(max, sizeof max, "%d", WF_SLOTS_MAX);
        char *html = i18n_format(app->i18n, ctx->lang, "schedule.offer_full", "max", max, NULL);
        if (!html)
            return -ENOMEM;
        if (ctx->update->kind == UPDATE_CALLBACK)
            reply_answer_html(ctx, html, true);
        else
            rc = reply_html(ctx, html, NULL);
        free(html);
        return rc;
    }
    struct db_session conflict;
    int problem = owner_check(app, o, p->pelaksana_id, pick_start(p), pick_end(p), ctx->now_ms,
                              &conflict);
    if (problem < 0)
        return problem;
    if (problem > 0)
        return refuse(ctx, problem, &conflict);
    struct db_session s = {
        .case_id = is_help(o) ? 0 : o->id, .help_id = is_help(o) ? o->id : 0,
        .pelaksana_id = p->pelaksana_id, .start_at = pick_start(p),
        .end_at = pick_end(p), .status = SESSION_DRAFT, .created_by = ctx->update->user_id,
        .created_at = ctx->now_ms, .updated_at = ctx->now_ms,
    };
    utf8_copy(s.place, sizeof s.place, place);
    rc = db_session_add(app->db, &s, NULL);
    if (!rc && !is_help(o)) /* a help request's drafts keep it (last_place) */
        rc = case_draft_put(app, o->id, 6, "place", cJSON_CreateString(place));
    if (!rc)
        rc = remember_typing(ctx, o, false);
    if (rc)
        return rc;
    reply_answer(ctx, "answer.noted", false);
    return show_days(ctx, o, false, cal_day_of(ctx->now_ms), false);
}

/* The place as typed: one line, not empty, not too long. */
int slot_picker_owner_place(struct handler_ctx *ctx, const struct slot_owner *o,
                            const char *arg, const char *text)
{
    struct pick p;
    int rc = slot_pick_parse(arg, 4, ctx->now_ms, &p) != 0 ||
                     (is_help(o) && p.pelaksana_id != o->pelaksana_id)
                 ? -ENOENT
                 : active_pelaksana(ctx->app, p.pelaksana_id);
    if (rc == -ENOENT) {
        rc = db_conversation_clear(ctx->app->db, ctx->update->user_id);
        return rc ? rc : reply_text(ctx, NULL, "prompt.expired", NULL);
    }
    if (rc)
        return rc;
    if (!text || !text[0] || strlen(text) > DB_PLACE_MAX || !args_one_line(text)) {
        char max[8];
        snprintf(max, sizeof max, "%d", DB_PLACE_MAX);
        return reply_text(ctx, NULL, "schedule.place.invalid", "max", max, NULL);
    }
    return add_draft(ctx, o, &p, text);
}

int slot_picker_place(struct handler_ctx *ctx, const struct db_case *c, const char *arg,
                      const char *text)
{
    struct slot_owner o;
    slot_owner_of_case(ctx->app, c, &o);
    return slot_picker_owner_place(ctx, &o, arg, text);
}

/* --- moving a confirmed session ---------------------------------------------- */

static int move_to(struct handler_ctx *ctx, const struct slot_owner *o, int64_t start_ms)
{
    struct db_session s;
    int rc = owner_confirmed(ctx->app, o, &s);
    if (rc == -ENOENT) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    if (rc)
        return rc;
    if (start_ms == s.start_at) {
        if (ctx->update->kind == UPDATE_CALLBACK) {
            reply_answer(ctx, "schedule.move.same", true);
            return 0;
        }
        return reply_text(ctx, NULL, "schedule.move.same", NULL);
    }
    struct db_session conflict;
    int problem = sessions_check(ctx->app, 0, s.id, s.pelaksana_id, start_ms,
                                 start_ms + (s.end_at - s.start_at), ctx->now_ms, &conflict);
    if (problem < 0)
        return problem;
    if (problem > 0)
        return refuse(ctx, problem, &conflict);
    /* Then why: the answer moves it (case_prompt.c checks the slot again). */
    char args[24];
    snprintf(args, sizeof args, "%" PRId64, start_ms);
    if (is_help(o))
        return help_session_ask_reason(ctx, o, "move", args);
    return case_prompt_start(ctx, o->c, "reschedule_session", args, "note",
                             "prompt.note.reschedule_session");
}

/* --- typed times ----------------------------------------------------------- */

/* "2026-12-03 09:00", "2026-12-03 09:00-10:30", either with ", place". */
int slot_typed_parse(const char *text, int default_length, int64_t *start, int64_t *end,
                       char *place, size_t place_size)
{
    char when[48];
    const char *comma = strchr(text, ',');
    size_t n = comma ? (size_t)(comma - text) : strlen(text);
    if (n >= sizeof when)
        return -EINVAL;
    memcpy(when, text, n);
    when[n] = '\0';
    place[0] = '\0';
    if (comma) {
        const char *p = comma + 1;
        while (*p == ' ')
            p++;
        if (strlen(p) > DB_PLACE_MAX || !args_one_line(p))
            return -EINVAL;
        snprintf(place, place_size, "%s", p);
        size_t len = strlen(place);
        while (len && place[len - 1] == ' ')
            place[--len] = '\0';
    }
    char *dash = strlen(when) > 10 ? strchr(when + 10, '-') : NULL;
    if (!dash) {
        if (slot_parse_local(when, start) != 0)
            return -EINVAL;
        *end = *start + default_length * CAL_MINUTE_MS;
        return 0;
    }
    *dash = '\0';
    char until[48];
    const char *end_text = dash + 1;
    while (*end_text == ' ')
        end_text++;
    snprintf(until, sizeof until, "%.10s %s", when, end_text);
    if (slot_parse_local(when, start) != 0 || slot_parse_local(until, end) != 0)
        return -EINVAL;
    return 0;
}

/* A help request's slots are its Pelaksana's: with the place typed too the
 * slot is added at once, else the place is asked. */
static int help_time_chosen(struct handler_ctx *ctx, const struct slot_owner *o, struct pick p,
                            const char *place)
{
    p.pelaksana_id = o->pelaksana_id;
    struct db_session conflict;
    int problem = owner_check(ctx->app, o, p.pelaksana_id, pick_start(&p), pick_end(&p),
                              ctx->now_ms, &conflict);
    if (problem < 0)
        return problem;
    if (problem > 0)
        return refuse(ctx, problem, &conflict);
    return place && place[0] ? add_draft(ctx, o, &p, place) : ask_place(ctx, o, &p);
}

int slot_picker_owner_typed(struct handler_ctx *ctx, const struct slot_owner *o,
                            const char *text, bool move)
{
    struct app *app = ctx->app;
    int length = SESSION_DEFAULT_MINUTES;
    struct db_session current;
    if (move) {
        int rc = owner_confirmed(app, o, &current);
        if (rc == -ENOENT) {
            rc = db_conversation_clear(app->db, ctx->update->user_id);
            return rc ? rc : reply_text(ctx, NULL, "prompt.expired", NULL);
        }
        if (rc)
            return rc;
        length = session_length(&current);
    }
    int64_t start = 0, end = 0;
    char place[DB_PLACE_MAX + 1];
    if (!text || slot_typed_parse(text, length, &start, &end, place, sizeof place) != 0)
        return reply_text(ctx, NULL, move ? "schedule.typed.format_move" : "schedule.typed.format",
                          NULL);
    if (move) {
        if (end - start != (int64_t)length * CAL_MINUTE_MS)
            return reply_text(ctx, NULL, "schedule.typed.format_move", NULL);
        return move_to(ctx, o, start);
    }
    /* The time alone first: the Pelaksana is chosen next. */
    int problem = sessions_check(app, 0, 0, 0, start, end, ctx->now_ms, NULL);
    if (problem < 0)
        return problem;
    if (problem > 0)
        return refuse(ctx, problem, NULL);
    struct pick p = { .day = cal_day_of(start),
                      .minute = (int)((start - cal_day_start(cal_day_of(start))) / CAL_MINUTE_MS),
                      .length = (int)((end - start) / CAL_MINUTE_MS) };
    if (is_help(o))
        return help_time_chosen(ctx, o, p, place);
    if (place[0]) {
        int rc = case_draft_put(app, o->id, 6, "place", cJSON_CreateString(place));
        if (rc)
            return rc;
    }
    return show_pelaksana(ctx, o, p, false);
}

int slot_picker_typed(struct handler_ctx *ctx, const struct db_case *c, const char *text,
                      bool move)
{
    struct slot_owner o;
    slot_owner_of_case(ctx->app, c, &o);
    return slot_picker_owner_typed(ctx, &o, text, move);
}

/* --- opening ---------------------------------------------------------------- */

int slot_picker_owner_open(struct handler_ctx *ctx, const struct slot_owner *o, bool move)
{
    int rc = remember_typing(ctx, o, move);
    if (rc)
        return rc;
    reply_answer(ctx, "answer.choose", false);
    return show_days(ctx, o, move, cal_day_of(ctx->now_ms), false);
}

int slot_picker_open(struct handler_ctx *ctx, const struct db_case *c, bool move)
{
    struct slot_owner o;
    slot_owner_of_case(ctx->app, c, &o);
    return slot_picker_owner_open(ctx, &o, move);
}

/* --- the buttons ------------------------------------------------------------ */

/* "s:<case>:<version>:<o|m><op>[:<arg>]": 'o' builds the offer (the Kasi,
 * step 6), 'm' moves the confirmed session (step 7); read before the case
 * is loaded (target.h). */
static enum wf_event_kind picker_event(const struct args_press *press)
{
    if (strlen(press->what) != 2)
        return WF_EV_NONE;
    if (press->what[0] == 'o')
        return WF_EV_PROPOSE_SESSION;
    if (press->what[0] == 'm')
        return WF_EV_RESCHEDULE_SESSION;
    return WF_EV_NONE;
}

static int stale(struct handler_ctx *ctx)
{
    reply_answer(ctx, "error.stale_button", false);
    return 0;
}

static int pick_pelaksana(struct handler_ctx *ctx, const struct slot_owner *o, char op,
                          const struct pick *p);

/* A start time chosen for a new slot: the Pelaksana are next (a help
 * request's own, then the place). */
static int pick_time(struct handler_ctx *ctx, const struct slot_owner *o, struct pick p)
{
    p.length = SESSION_DEFAULT_MINUTES;
    int problem = sessions_check(ctx->app, 0, 0, 0, pick_start(&p), pick_end(&p), ctx->now_ms,
                                 NULL);
    if (problem < 0)
        return problem;
    if (problem > 0)
        return refuse(ctx, problem, NULL);
    if (is_help(o)) {
        p.pelaksana_id = o->pelaksana_id;
        return pick_pelaksana(ctx, o, 'p', &p);
    }
    reply_answer(ctx, "answer.choose", false);
    return show_pelaksana(ctx, o, p, true);
}

/* The Pelaksana chosen ('p': the place is asked next; 'l': the last place
 * again, and the slot is added). */
static int pick_pelaksana(struct handler_ctx *ctx, const struct slot_owner *o, char op,
                          const struct pick *p)
{
    int rc = is_help(o) && p->pelaksana_id != o->pelaksana_id
                 ? -ENOENT
                 : active_pelaksana(ctx->app, p->pelaksana_id);
    if (rc)
        return rc == -ENOENT ? stale(ctx) : rc;
    /* Refused here already, so the place is not asked for nothing. */
    struct db_session conflict;
    int problem = owner_check(ctx->app, o, p->pelaksana_id, pick_start(p), pick_end(p),
                              ctx->now_ms, &conflict);
    if (problem < 0)
        return problem;
    if (problem > 0)
        return refuse(ctx, problem, &conflict);
    char *html = NULL;
    if (op == 'p') {
        /* The choice is made: the picker keeps it, without its buttons. */
        char span[96], name[DB_NAME_MAX];
        sessions_span_text(ctx->app, ctx->lang, pick_start(p), pick_end(p), span, sizeof span);
        db_person_name(ctx->app->db, p->pelaksana_id, name, sizeof name);
        html = i18n_format(ctx->app->i18n, ctx->lang, "schedule.pelaksana.chosen", "number",
                           o->number, "when", span, "pelaksana", name, NULL);
        rc = html ? show(ctx, true, html, NULL) : -ENOMEM;
        if (!rc)
            rc = ask_place(ctx, o, p);
        goto out;
    }
    char place[DB_PLACE_MAX + 1];
    if (last_place(ctx, o, place, sizeof place) != 0)
        return stale(ctx);
    /* The prompt the button was on has had its answer. */
    html = i18n_format(ctx->app->i18n, ctx->lang, "schedule.place.chosen", "place", place, NULL);
    rc = html ? show(ctx, true, html, NULL) : -ENOMEM;
    if (!rc)
        rc = add_draft(ctx, o, p, place);
out:
    free(html);
    return rc;
}

/* A slot taken off the offer being built. */
static int drop_slot(struct handler_ctx *ctx, const struct slot_owner *o, const char *arg)
{
    uint64_t id = 0;
    int rc = args_decimal(arg, INT64_MAX, &id) != 0 || id == 0 ? -ENOENT
             : is_help(o) ? db_session_delete_help_draft(ctx->app->db, o->id, (int64_t)id)
                          : db_session_delete_draft(ctx->app->db, o->id, (int64_t)id);
    if (rc)
        return rc == -ENOENT ? stale(ctx) : rc;
    reply_answer(ctx, "answer.noted", false);
    return show_days(ctx, o, false, cal_day_of(ctx->now_ms), true);
}

int slot_picker_owner_press(struct handler_ctx *ctx, const struct slot_owner *o, const char *op2,
                            const char *arg)
{
    if (strlen(op2) != 2 || (op2[0] != 'o' && op2[0] != 'm'))
        return stale(ctx);
    bool move = op2[0] == 'm';
    char op = op2[1];
    struct pick p;
    int need = op == 'w' || op == 'd' ? 1 : op == 't' ? 2 : op == 'p' || op == 'l' ? 4 : 0;
    if (need && slot_pick_parse(arg, need, ctx->now_ms, &p) != 0)
        return stale(ctx);
    if (need == 2 && move) /* the length is the session's own: only the start moves */
        return move_to(ctx, o, pick_start(&p));
    if (op == 'w' || op == 'd') {
        reply_answer(ctx, "answer.choose", false);
        return op == 'w' ? show_days(ctx, o, move, p.day, true) : show_times(ctx, o, move, p.day);
    }
    if (move) /* the rest builds an offer */
        return stale(ctx);
    if (op == 't')
        return pick_time(ctx, o, p);
    if (op == 'p' || op == 'l')
        return pick_pelaksana(ctx, o, op, &p);
    if (op == 'x')
        return drop_slot(ctx, o, arg);
    return stale(ctx);
}

/* The case is loaded and the presser may offer or move its session
 * (handler_slot_picker's target); what is left is which page or choice. */
static int run_slot_picker(struct handler_ctx *ctx)
{
    struct target *t = ctx->target;
    struct slot_owner o;
    slot_owner_of_case(ctx->app, &t->case_row, &o);
    return slot_picker_owner_press(ctx, &o, t->press.what, t->press.arg);
}

const struct handler_entry handler_slot_picker = {
    .name = "slot_picker",
    .callback_prefix = PICKER_PREFIX,
    .roles = ROLE_ANYONE, /* the workflow core decides: the Kasi offers, both sides move */
    .target = TARGET_CASE_AT_STEP,
    .target_checks = TARGET_MAY_ACT,
    .target_event_of = picker_event,
    .run = run_slot_picker,
};
