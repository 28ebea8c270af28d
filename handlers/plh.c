/* /plh: acting officials: Plh. (pelaksana harian, the official is away) and
 * Plt. (pelaksana tugas, the post is vacant). When the Kadis, the Kabid or
 * the Kasi is away or missing, another official acts in their place for a range of
 * days (inclusive, WIB): while it runs, that role's new and waiting tasks go
 * to the acting official, who may act in the role (people.h does the
 * routing; this file only names and ends appointments).
 *
 *   /plh                                        current and coming appointments,
 *                                               a button to end each
 *   /plh <kadis|kabid|kasi> <telegram_id> <from> <to> [plt]   names one
 *                                               (a Plt. with the last word)
 *   /plt ...                                    the same, a Plt. without it
 *
 * Who may name, as the chain of command goes: the Kadis for the three roles,
 * the Kabid for Kabid and Kasi, the Kasi for Kasi; the bot's admins for any.
 * Only roles held directly count: an acting official does not name acting
 * officials, so no Plh can extend their own appointment. Ending follows the
 * same rule. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "args.h"
#include "case_card.h"
#include "case_flow.h"
#include "db_cases.h"
#include "db.h"
#include "db_registry.h"
#include "handler.h"
#include "i18n.h"
#include "keyboard.h"
#include "menus.h"
#include "office_calendar.h"
#include "outbox.h"
#include "people.h"
#include "tg_html.h"
#include "tg_update.h"
#include "texts.h"

#define PLH_PREFIX "plh"
#define PLH_LIST_MAX 32
#define PLH_CASES_MAX 512

#define PLH_ROLES (ROLE_KADIS | ROLE_KABID | ROLE_KASI)

/* Whether someone holding `direct_roles` may name (or end) a Plh for `role`. */
static bool may_name(unsigned direct_roles, enum role role)
{
    if (!(role & PLH_ROLES))
        return false;
    if (direct_roles & (ROLE_ADMIN | ROLE_KADIS))
        return true;
    if (direct_roles & ROLE_KABID)
        return role == ROLE_KABID || role == ROLE_KASI;
    if (direct_roles & ROLE_KASI)
        return role == ROLE_KASI;
    return false;
}

/* "Kadis", as in "Plh Kadis". */
static const char *short_role(const struct app *app, const char *lang, enum role role)
{
    char key[32];
    snprintf(key, sizeof key, "plh.role.%s", role_key(role) ? role_key(role) : "kasi");
    return i18n_text(app->i18n, lang, key);
}

static const char *full_role(const struct app *app, const char *lang, enum role role)
{
    char key[32];
    snprintf(key, sizeof key, "role.%s", role_key(role) ? role_key(role) : "kasi");
    return i18n_text(app->i18n, lang, key);
}

/* "Plh." or "Plt.", as the catalog writes the kind. */
static const char *kind_text(const struct app *app, const char *lang, enum db_plh_kind kind)
{
    return i18n_text(app->i18n, lang,
                     kind == DB_PLH_KIND_PLT ? "plh.kind.plt" : "plh.kind.plh");
}

/* "26 Nov 2026" from "2026-11-26" (the stored form is always valid). */
static void day_text(const struct app *app, const char *lang, const char *date, char *out,
                     size_t size)
{
    int32_t day = 0;
    if (cal_date_parse(date, &day) != 0) {
        snprintf(out, size, "%s", date);
        return;
    }
    text_day(app->i18n, lang, cal_day_start(day), out, size);
}

/* Sends the card of every open case now waiting for `role` to whoever holds
 * the role today (the Plh in force, else the official), so the waiting work
 * follows the appointment, and their menu the role's commands. *count says
 * how many cases that was. */
static int resend_waiting(struct app *app, enum role role, int64_t now_ms, size_t *count)
{
    *count = 0;
    struct db_case *cases = calloc(PLH_CASES_MAX, sizeof *cases);
    if (!cases)
        return -ENOMEM;
    size_t n = 0;
    int rc = db_cases_open(app->db, cases, PLH_CASES_MAX, &n);
    for (size_t i = 0; !rc && i < n; i++) {
        if (wf_state_holder_role(cases[i].wf.state) != role)
            continue;
        rc = case_flow_notify_holders(app, &cases[i], now_ms);
        (*count)++;
    }
    free(cases);
    /* Whoever holds the role now (an acting official named today) has its
     * commands in their menu. */
    int64_t holders[PEOPLE_MAX];
    size_t holder_count = 0;
    if (!rc)
        rc = people_for_role(app, role, 0, 0, now_ms, holders, PEOPLE_MAX, &holder_count);
    for (size_t i = 0; !rc && i < holder_count; i++)
        rc = menus_refresh(app, holders[i], now_ms);
    return rc;
}

/* A message the person did not ask for, in their own language. */
__attribute__((sentinel))
static int tell(struct app *app, int64_t user_id, int64_t now_ms, const char *key, ...)
{
    const char *lang = card_lang_of(app, user_id);
    va_list ap;
    va_start(ap, key);
    char *html = i18n_vformat(app->i18n, lang, key, ap);
    va_end(ap);
    if (!html)
        return -ENOMEM;
    int rc = outbox_send_text(app->db, user_id, html, NULL, NULL, now_ms);
    free(html);
    return rc;
}

/* --- the list -------------------------------------------------------------- */

/* The form's syntax with an example from today, for those who may name. */
static void add_howto(struct handler_ctx *ctx, struct text *t)
{
    int32_t today = cal_day_of(ctx->now_ms);
    char from[CAL_DATE_SIZE], to[CAL_DATE_SIZE];
    cal_date_format(today, from);
    cal_date_format(today + 2, to);
    text_add(t, "plh.howto", "from", from, "to", to, NULL);
}

/* The appointments from today on, with an end button on each the person may
 * end. On 0, *html and *keyboard (may be NULL: no buttons) are the caller's. */
static int build_list(struct handler_ctx *ctx, const char *intro, char **html, cJSON **keyboard)
{
    struct app *app = ctx->app;
    *html = NULL;
    *keyboard = NULL;
    char today[CAL_DATE_SIZE];
    people_today(ctx->now_ms, today);
    struct db_plh list[PLH_LIST_MAX];
    size_t count = 0;
    int rc = db_plh_list(app->db, today, list, PLH_LIST_MAX, &count);
    if (rc)
        return rc;
    struct text t;
    text_init(&t, app->i18n, ctx->lang);
    if (intro)
        text_raw(&t, intro);
    text_add(&t, "plh.title", NULL);
    if (count == 0)
        text_add(&t, "plh.none", NULL);
    cJSON *kb = NULL;
    for (size_t i = 0; !rc && i < count; i++) {
        char name[DB_NAME_MAX], id[24], from[48], to[48];
        rc = db_person_name(app->db, list[i].acting_id, name, sizeof name);
        if (rc)
            break;
        snprintf(id, sizeof id, "%" PRId64, list[i].acting_id);
        day_text(app, ctx->lang, list[i].date_from, from, sizeof from);
        day_text(app, ctx->lang, list[i].date_to, to, sizeof to);
        const char *role = short_role(app, ctx->lang, list[i].role);
        const char *kind = kind_text(app, ctx->lang, list[i].kind);
        bool now = strcmp(list[i].date_from, today) <= 0;
        text_add(&t, now ? "plh.line_now" : "plh.line", "kind", kind, "role", role, "name", name,
                 "id", id, "from", from, "to", to, NULL);
        if (!may_name(ctx->actor.roles, list[i].role))
            continue;
        /* Button labels are plain text: format, then drop the markup. */
        char *label_html = i18n_format(app->i18n, ctx->lang, "plh.button.end", "kind", kind,
                                       "role", role, "name", name, NULL);
        char *label = label_html ? tg_html_plain(label_html) : NULL;
        free(label_html);
        char data[KEYBOARD_DATA_MAX + 1];
        snprintf(data, sizeof data, PLH_PREFIX ":end:%" PRId64, list[i].id);
        if (!kb)
            kb = keyboard_new();
        cJSON *row = kb ? keyboard_row(kb) : NULL;
        rc = row && label ? keyboard_button(row, label, data) : -ENOMEM;
        free(label);
    }
    bool can_name = false;
    for (unsigned r = ROLE_KADIS; r <= ROLE_KASI; r <<= 1)
        can_name |= may_name(ctx->actor.roles, (enum role)r);
    if (can_name)
        add_howto(ctx, &t);
    char *text = text_take(&t);
    if (rc || !text) {
        free(text);
        cJSON_Delete(kb);
        return rc ? rc : -ENOMEM;
    }
    *html = text;
    *keyboard = kb;
    return 0;
}

static int add_name_buttons(struct handler_ctx *ctx, cJSON **keyboard);

/* The list, with a button per role the person may name a Plh. for (the
 * official is then picked with a button too). */
static int build_list_to_name(struct handler_ctx *ctx, const char *intro, char **html,
                              cJSON **keyboard)
{
    int rc = build_list(ctx, intro, html, keyboard);
    if (!rc)
        rc = add_name_buttons(ctx, keyboard);
    if (rc && *html) {
        free(*html);
        cJSON_Delete(*keyboard);
        *html = NULL;
        *keyboard = NULL;
    }
    return rc;
}

static int show_list(struct handler_ctx *ctx)
{
    char *html;
    cJSON *keyboard;
    int rc = build_list_to_name(ctx, NULL, &html, &keyboard);
    if (rc)
        return rc;
    rc = reply_html(ctx, html, keyboard);
    free(html);
    cJSON_Delete(keyboard);
    return rc;
}

/* --- naming ---------------------------------------------------------------- */

/* A refused form: what is wrong, that nothing changed, and the syntax. */
__attribute__((sentinel))
static int refuse(struct handler_ctx *ctx, const char *key, ...)
{
    struct text t;
    text_init(&t, ctx->app->i18n, ctx->lang);
    va_list ap;
    va_start(ap, key);
    text_own(&t, i18n_vformat(ctx->app->i18n, ctx->lang, key, ap));
    va_end(ap);
    text_add(&t, "plh.nothing_changed", NULL);
    add_howto(ctx, &t);
    char *html = text_take(&t);
    if (!html)
        return -ENOMEM;
    int rc = reply_html(ctx, html, NULL);
    free(html);
    return rc;
}

/* Reads the next word as a date. A missing or wrong one is answered here:
 * then it returns false and *rc is the reply's result. */
static bool read_date(struct handler_ctx *ctx, const char **cursor, int32_t *day,
                      char out[CAL_DATE_SIZE], int *rc)
{
    char word[ARGS_WORD_SIZE];
    if (!args_next(cursor, word, sizeof word)) {
        *rc = refuse(ctx, "plh.error.dates_missing", NULL);
        return false;
    }
    if (cal_date_parse(word, day) != 0) {
        char today[CAL_DATE_SIZE];
        people_today(ctx->now_ms, today);
        *rc = refuse(ctx, "plh.error.date", "value", word, "today", today, NULL);
        return false;
    }
    cal_date_format(*day, out);
    return true;
}

/* The optional last word: nothing (a Plh.) or "plt" (a Plt.). A wrong one
 * is answered here: then it returns false and *rc is the reply's result. */
static bool read_kind(struct handler_ctx *ctx, const char **cursor, enum db_plh_kind *kind,
                      int *rc)
{
    char word[ARGS_WORD_SIZE];
    if (!args_next(cursor, word, sizeof word))
        return true;
    if (strcasecmp(word, "plt") == 0) {
        *kind = DB_PLH_KIND_PLT;
        if (!args_next(cursor, word, sizeof word))
            return true;
        *rc = refuse(ctx, "plh.error.extra", "value", word, NULL);
        return false;
    }
    *rc = refuse(ctx, "plh.error.extra_kind", "value", word, NULL);
    return false;
}

/* One /plh command, read and checked. */
struct plh_request {
    enum role role;
    const char *role_full;
    int64_t acting;
    char id_text[24];
    enum db_plh_kind kind;
    int32_t from_day, to_day, today;
    char from[CAL_DATE_SIZE], to[CAL_DATE_SIZE], today_text[CAL_DATE_SIZE];
    struct db_official official;
};

/* The words of the command; false when one is refused (answered, or *rc). */
static bool read_plh_request(struct handler_ctx *ctx, const char *cursor,
                             struct plh_request *req, int *rc)
{
    char role_word[ARGS_WORD_SIZE], word[ARGS_WORD_SIZE];
    args_next(&cursor, role_word, sizeof role_word);
    for (char *p = role_word; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    req->role = role_parse(role_word);
    if (!(req->role & PLH_ROLES)) {
        *rc = refuse(ctx, "plh.error.role", "value", role_word, NULL);
        return false;
    }
    req->role_full = full_role(ctx->app, ctx->lang, req->role);
    if (!may_name(ctx->actor.roles, req->role)) {
        *rc = refuse(ctx, "plh.error.not_yours", "role", req->role_full, NULL);
        return false;
    }
    if (!args_next(&cursor, word, sizeof word)) {
        *rc = refuse(ctx, "plh.error.id_missing", NULL);
        return false;
    }
    if (args_telegram_id(word, &req->acting) != 0) {
        *rc = refuse(ctx, "plh.error.id", "value", word, NULL);
        return false;
    }
    snprintf(req->id_text, sizeof req->id_text, "%" PRId64, req->acting);
    return read_date(ctx, &cursor, &req->from_day, req->from, rc) &&
           read_date(ctx, &cursor, &req->to_day, req->to, rc) &&
           read_kind(ctx, &cursor, &req->kind, rc);
}

/* The acting official exists and is not of the role; the days make sense. */
static bool check_plh_request(struct handler_ctx *ctx, struct plh_request *req, int *rc)
{
    *rc = db_official_get(ctx->app->db, req->acting, &req->official);
    if (*rc == -ENOENT)
        *rc = refuse(ctx, "plh.error.not_official", "id", req->id_text, NULL);
    else if (!*rc && req->official.role == req->role)
        *rc = refuse(ctx, "plh.error.self", "name", req->official.name, "role", req->role_full,
                     NULL);
    else if (!*rc && req->from_day > req->to_day)
        *rc = refuse(ctx, "plh.error.order", "from", req->from, "to", req->to, NULL);
    else if (!*rc && req->to_day < req->today)
        *rc = refuse(ctx, "plh.error.past", "to", req->to, "today", req->today_text, NULL);
    else
        return !*rc;
    return false;
}

/* An appointment already covering some of these days is not refused: the
 * latest one wins there (db_registry.h), and the confirmation says so. */
static int plh_overlapped(struct app *app, const struct plh_request *req, int64_t *overlapped)
{
    struct db_plh list[PLH_LIST_MAX];
    size_t count = 0;
    *overlapped = 0;
    int rc = db_plh_list(app->db, req->today_text, list, PLH_LIST_MAX, &count);
    for (size_t i = 0; !rc && i < count; i++)
        if (list[i].role == req->role && strcmp(list[i].date_from, req->to) <= 0 &&
            strcmp(list[i].date_to, req->from) >= 0)
            *overlapped = list[i].acting_id;
    return rc;
}

/* The acting official is told; in force today, the waiting cards go to them. */
static int announce_plh(struct handler_ctx *ctx, const struct plh_request *req, int64_t plh_id,
                        size_t *waiting)
{
    struct app *app = ctx->app;
    bool in_force = req->from_day <= req->today;
    const char *acting_lang = card_lang_of(app, req->acting);
    char by[DB_NAME_MAX], from_acting[48], to_acting[48];
    int rc = db_person_name(app->db, ctx->actor.user_id, by, sizeof by);
    day_text(app, acting_lang, req->from, from_acting, sizeof from_acting);
    day_text(app, acting_lang, req->to, to_acting, sizeof to_acting);
    if (!rc && req->acting != ctx->actor.user_id)
        rc = tell(app, req->acting, ctx->now_ms, in_force ? "plh.told_now" : "plh.told", "kind",
                  kind_text(app, acting_lang, req->kind), "role",
                  full_role(app, acting_lang, req->role), "by", by, "from", from_acting, "to",
                  to_acting, NULL);
    *waiting = 0;
    if (!rc && in_force)
        rc = resend_waiting(app, req->role, ctx->now_ms, waiting);
    /* Sent now, or to be sent by the scheduler on its first day: either way
     * once (plh_start.c keeps the same mark). */
    char started_key[48];
    snprintf(started_key, sizeof started_key, "plh_started:%" PRId64, plh_id);
    if (!rc && in_force)
        rc = db_state_set(app->db, started_key, "1");
    return rc;
}

/* The answer to the one who named them. */
static int confirm_plh(struct handler_ctx *ctx, const struct plh_request *req, size_t waiting,
                       int64_t overlapped)
{
    struct app *app = ctx->app;
    char from_mine[48], to_mine[48], waiting_text[24];
    day_text(app, ctx->lang, req->from, from_mine, sizeof from_mine);
    day_text(app, ctx->lang, req->to, to_mine, sizeof to_mine);
    snprintf(waiting_text, sizeof waiting_text, "%zu", waiting);
    struct text t;
    text_init(&t, app->i18n, ctx->lang);
    text_add(&t, "plh.named", "kind", kind_text(app, ctx->lang, req->kind), "name",
             req->official.name, "id", req->id_text, "role", req->role_full, "from", from_mine,
             "to", to_mine, NULL);
    if (req->from_day <= req->today)
        text_add(&t, "plh.named_now", "role", req->role_full, "count", waiting_text, NULL);
    else
        text_add(&t, "plh.named_later", "from", from_mine, NULL);
    int rc = 0;
    if (overlapped) {
        char other[DB_NAME_MAX];
        rc = db_person_name(app->db, overlapped, other, sizeof other);
        text_add(&t, "plh.named_overlap", "name", other, NULL);
    }
    char *html = text_take(&t);
    if (!rc)
        rc = html ? reply_html(ctx, html, NULL) : -ENOMEM;
    free(html);
    return rc;
}

/* /plh <kadis|kabid|kasi> <telegram_id> <from> <to> [plt] */
static int name_plh(struct handler_ctx *ctx, const char *cursor, enum db_plh_kind kind)
{
    struct plh_request req = { .kind = kind, .today = cal_day_of(ctx->now_ms) };
    cal_date_format(req.today, req.today_text);
    int rc = 0;
    int64_t overlapped = 0, plh_id = 0;
    size_t waiting = 0;
    if (!read_plh_request(ctx, cursor, &req, &rc) || !check_plh_request(ctx, &req, &rc))
        goto out;
    rc = plh_overlapped(ctx->app, &req, &overlapped);
    if (!rc)
        rc = db_plh_add(ctx->app->db, req.role, req.acting, req.from, req.to, req.kind,
                        ctx->actor.user_id, ctx->now_ms, &plh_id);
    if (!rc)
        rc = announce_plh(ctx, &req, plh_id, &waiting);
    if (!rc)
        rc = confirm_plh(ctx, &req, waiting, overlapped);
out:
    return rc;
}

/* --- ending ---------------------------------------------------------------- */

/* The "end" button: "plh:end:<id>". */
static int end_plh(struct handler_ctx *ctx, const char *id_text)
{
    struct app *app = ctx->app;
    uint64_t value = 0;
    if (args_decimal(id_text, 999999999999999ull, &value) != 0 || value == 0) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    char today[CAL_DATE_SIZE];
    people_today(ctx->now_ms, today);
    struct db_plh list[PLH_LIST_MAX];
    size_t count = 0;
    int rc = db_plh_list(app->db, today, list, PLH_LIST_MAX, &count);
    if (rc)
        return rc;
    const struct db_plh *plh = NULL;
    for (size_t i = 0; i < count; i++)
        if (list[i].id == (int64_t)value)
            plh = &list[i];
    if (!plh) {
        /* Ended already, or over: the list shows how things are now. */
        reply_answer(ctx, "plh.end.gone", false);
        char *html;
        cJSON *keyboard;
        rc = build_list_to_name(ctx, NULL, &html, &keyboard);
        if (rc)
            return rc;
        rc = reply_edit_html(ctx, html, keyboard);
        free(html);
        cJSON_Delete(keyboard);
        return rc;
    }
    if (!may_name(ctx->actor.roles, plh->role)) {
        reply_answer(ctx, "plh.end.not_allowed", true);
        return 0;
    }
    rc = db_plh_end(app->db, plh->id);
    if (rc)
        return rc;

    bool in_force = strcmp(plh->date_from, today) <= 0;
    char by[DB_NAME_MAX], acting_name[DB_NAME_MAX];
    rc = db_person_name(app->db, ctx->actor.user_id, by, sizeof by);
    if (!rc)
        rc = db_person_name(app->db, plh->acting_id, acting_name, sizeof acting_name);
    if (!rc && plh->acting_id != ctx->actor.user_id) {
        const char *lang = card_lang_of(app, plh->acting_id);
        rc = tell(app, plh->acting_id, ctx->now_ms, "plh.told_ended", "kind",
                  kind_text(app, lang, plh->kind), "role",
                  full_role(app, lang, plh->role), "by", by, NULL);
    }
    /* The waiting work goes back to the official (or to another Plh in force). */
    size_t waiting = 0;
    if (!rc && in_force)
        rc = resend_waiting(app, plh->role, ctx->now_ms, &waiting);
    if (!rc)
        rc = menus_refresh(app, plh->acting_id, ctx->now_ms);
    if (rc)
        return rc;

    reply_answer(ctx, "plh.ended_short", false);
    char *intro = i18n_format(app->i18n, ctx->lang, "plh.ended", "role",
                              short_role(app, ctx->lang, plh->role), "name", acting_name, NULL);
    if (!intro)
        return -ENOMEM;
    char *html;
    cJSON *keyboard;
    rc = build_list_to_name(ctx, intro, &html, &keyboard);
    free(intro);
    if (rc)
        return rc;
    rc = reply_edit_html(ctx, html, keyboard);
    free(html);
    cJSON_Delete(keyboard);
    return rc;
}

/* --- picking the acting official with buttons -------------------------------- */

/* "20261201" from "2026-12-01", and back (strictly: a button's data is
 * untrusted); the back way gives 0 or -EINVAL. */
static void date_compact(const char *date, char out[9])
{
    snprintf(out, 9, "%.4s%.2s%.2s", date, date + 5, date + 8);
}

static int date_expand(const char *compact, size_t len, char out[CAL_DATE_SIZE])
{
    uint64_t value = 0;
    int32_t day = 0;
    if (len != 8 || args_decimal_n(compact, len, 99991231, &value) != 0)
        return -EINVAL;
    snprintf(out, CAL_DATE_SIZE, "%.4s-%.2s-%.2s", compact, compact + 4, compact + 6);
    return cal_date_parse(out, &day);
}

/* The officials who may act for `role` (any official but the role's own),
 * as buttons "plh:n:<role>:<id>:<from>:<to>:<h|t>"; the server checks all
 * of it again when one is pressed (pick_named). */
static int show_picker(struct handler_ctx *ctx, enum role role, const char *from, const char *to,
                       enum db_plh_kind kind)
{
    struct app *app = ctx->app;
    struct db_official *officials = calloc(PLH_CASES_MAX, sizeof *officials);
    if (!officials)
        return -ENOMEM;
    size_t count = 0;
    int rc = db_officials_list(app->db, ROLE_NONE, officials, PLH_CASES_MAX, &count);
    cJSON *keyboard = rc ? NULL : keyboard_new();
    if (!rc && !keyboard)
        rc = -ENOMEM;
    char from8[9], to8[9];
    date_compact(from, from8);
    date_compact(to, to8);
    size_t shown = 0;
    for (size_t i = 0; !rc && i < count; i++) {
        if (officials[i].role == role)
            continue;
        char data[KEYBOARD_DATA_MAX + 1], label[DB_NAME_MAX + 48];
        snprintf(data, sizeof data, PLH_PREFIX ":n:%s:%" PRId64 ":%s:%s:%c", role_key(role),
                 officials[i].telegram_id, from8, to8, kind == DB_PLH_KIND_PLT ? 't' : 'h');
        snprintf(label, sizeof label, "%s (%s)", officials[i].name,
                 full_role(app, ctx->lang, officials[i].role));
        cJSON *row = keyboard_row(keyboard);
        rc = row ? keyboard_button(row, label, data) : -ENOMEM;
        shown++;
    }
    free(officials);
    char from_text[48], to_text[48];
    day_text(app, ctx->lang, from, from_text, sizeof from_text);
    day_text(app, ctx->lang, to, to_text, sizeof to_text);
    if (!rc && !shown)
        rc = reply_text(ctx, NULL, "recipients.pick_none", NULL);
    else if (!rc)
        rc = reply_text(ctx, keyboard, "recipients.plh_pick", "kind", kind_text(app, ctx->lang, kind),
                        "role", full_role(app, ctx->lang, role), "from", from_text, "to", to_text,
                        "word", role_key(role), NULL);
    cJSON_Delete(keyboard);
    return rc;
}

/* "/plh <role> [<from> [<to>]] [plt]" without an id: the picker, for today
 * when no date is given. *shown false when the words are not that form (an
 * id, or a role this person may not name: name_plh answers those). */
static int typed_picker(struct handler_ctx *ctx, const char *args, enum db_plh_kind kind,
                        bool *shown)
{
    *shown = false;
    const char *cursor = args;
    char role_word[ARGS_WORD_SIZE], word[ARGS_WORD_SIZE];
    args_next(&cursor, role_word, sizeof role_word);
    for (char *p = role_word; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    enum role role = role_parse(role_word);
    if (!(role & PLH_ROLES) || !may_name(ctx->actor.roles, role))
        return 0;
    char dates[2][CAL_DATE_SIZE];
    int32_t day = cal_day_of(ctx->now_ms);
    cal_date_format(day, dates[0]);
    cal_date_format(day, dates[1]);
    for (int i = 0; args_next(&cursor, word, sizeof word); i++) {
        if (i < 2 && cal_date_parse(word, &day) == 0) {
            cal_date_format(day, dates[i]);
            if (i == 0)
                cal_date_format(day, dates[1]);
        } else if (strcasecmp(word, "plt") == 0 && !args_next(&cursor, word, sizeof word)) {
            kind = DB_PLH_KIND_PLT;
            break;
        } else {
            return 0; /* an id, or a mistake: the typed form says what is wrong */
        }
    }
    *shown = true;
    return show_picker(ctx, role, dates[0], dates[1], kind);
}

/* "plh:n:<role>:<id>:<from>:<to>:<h|t>": names as the typed form would,
 * with every check made again now (name_plh). */
static int pick_named(struct handler_ctx *ctx, const char *rest)
{
    const char *field[6];
    size_t length[6], n = 0;
    const char *p = rest;
    while (n < 6) {
        const char *colon = strchr(p, ':');
        field[n] = p;
        length[n] = colon ? (size_t)(colon - p) : strlen(p);
        n++;
        if (!colon)
            break;
        p = colon + 1;
    }
    char role[16], from[CAL_DATE_SIZE], to[CAL_DATE_SIZE];
    uint64_t id = 0;
    bool ok = n == 5 && length[0] < sizeof role && length[4] == 1 &&
              (field[4][0] == 'h' || field[4][0] == 't') &&
              args_decimal_n(field[1], length[1], INT64_MAX, &id) == 0 && id > 0 &&
              date_expand(field[2], length[2], from) == 0 &&
              date_expand(field[3], length[3], to) == 0;
    if (ok) {
        snprintf(role, sizeof role, "%.*s", (int)length[0], field[0]);
        ok = role_parse(role) & PLH_ROLES;
    }
    if (!ok) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    char args[96];
    snprintf(args, sizeof args, "%s %" PRIu64 " %s %s", role, id, from, to);
    /* The picker is used: its buttons go, so one tap names one official. */
    int rc = outbox_drop_buttons(ctx->app->db, ctx->update->chat_id, ctx->update->message_id,
                                 ctx->now_ms);
    reply_answer(ctx, "answer.done", false);
    return rc ? rc
              : name_plh(ctx, args, field[4][0] == 't' ? DB_PLH_KIND_PLT : DB_PLH_KIND_PLH);
}

/* The list's "name a Plh. for <role>" buttons, for the roles the person may name. */
static int add_name_buttons(struct handler_ctx *ctx, cJSON **keyboard)
{
    for (unsigned r = ROLE_KADIS; r <= ROLE_KASI; r <<= 1) {
        if (!may_name(ctx->actor.roles, (enum role)r))
            continue;
        char *label_html = i18n_format(ctx->app->i18n, ctx->lang, "recipients.plh_name_button",
                                       "role", short_role(ctx->app, ctx->lang, (enum role)r),
                                       NULL);
        char *label = label_html ? tg_html_plain(label_html) : NULL;
        free(label_html);
        char data[KEYBOARD_DATA_MAX + 1];
        snprintf(data, sizeof data, PLH_PREFIX ":r:%s", role_key((enum role)r));
        if (!*keyboard)
            *keyboard = keyboard_new();
        cJSON *row = *keyboard ? keyboard_row(*keyboard) : NULL;
        int rc = row && label ? keyboard_button(row, label, data) : -ENOMEM;
        free(label);
        if (rc)
            return rc;
    }
    return 0;
}

/* "plh:r:<role>": the picker for today. */
static int pick_role(struct handler_ctx *ctx, const char *role_word)
{
    enum role role = role_parse(role_word);
    if (!(role & PLH_ROLES)) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    if (!may_name(ctx->actor.roles, role)) {
        reply_answer(ctx, "plh.end.not_allowed", true);
        return 0;
    }
    char today[CAL_DATE_SIZE];
    people_today(ctx->now_ms, today);
    reply_answer(ctx, "answer.choose", false);
    return show_picker(ctx, role, today, today, DB_PLH_KIND_PLH);
}

/* --- entry ----------------------------------------------------------------- */

static int run_kind(struct handler_ctx *ctx, enum db_plh_kind kind)
{
    if (ctx->callback_rest) {
        if (strncmp(ctx->callback_rest, "end:", 4) == 0)
            return end_plh(ctx, ctx->callback_rest + 4);
        if (strncmp(ctx->callback_rest, "n:", 2) == 0)
            return pick_named(ctx, ctx->callback_rest + 2);
        if (strncmp(ctx->callback_rest, "r:", 2) == 0)
            return pick_role(ctx, ctx->callback_rest + 2);
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    const char *args = ctx->args ? ctx->args : "";
    const char *cursor = args;
    char word[ARGS_WORD_SIZE];
    if (!args_next(&cursor, word, sizeof word))
        return show_list(ctx);
    bool shown = false;
    int rc = typed_picker(ctx, args, kind, &shown);
    return rc || shown ? rc : name_plh(ctx, args, kind);
}

static int run_plh(struct handler_ctx *ctx) { return run_kind(ctx, DB_PLH_KIND_PLH); }

static int run_plt(struct handler_ctx *ctx) { return run_kind(ctx, DB_PLH_KIND_PLT); }

const struct handler_entry handler_plh = {
    .name = "plh",
    .command_id = "plh",
    .callback_prefix = PLH_PREFIX,
    .roles = ROLE_KADIS | ROLE_KABID | ROLE_KASI | ROLE_ADMIN,
    .in_menu = true,
    .run = run_plh,
};

/* /plt: /plh naming a Plt.; the list and its buttons are /plh's. */
const struct handler_entry handler_plt = {
    .name = "plt",
    .command_id = "plt",
    .roles = ROLE_KADIS | ROLE_KABID | ROLE_KASI | ROLE_ADMIN,
    .in_menu = true,
    .run = run_plt,
};
