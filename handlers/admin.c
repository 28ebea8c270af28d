/* /admin: what the bot's admins do in chat. They keep the list of officials
 * (who is Kadis, Kabid, Kasi or Pelaksana beyond the config) and repair a
 * case whose Pelaksana is gone by naming another one.
 *
 * `/admin` alone shows the officials with whether the bot can reach them,
 * the applicant registrations waiting for a decision, and three buttons that
 * each explain one typed form:
 *
 *   /admin pejabat <telegram_id> <kadis|kabid|kasi|pelaksana> <name...>
 *   /admin hapus <telegram_id>
 *   /admin ganti <case number> <telegram_id of a Pelaksana>
 *
 * (English: official, remove, reassign.) Typed forms rather than a dialogue
 * of buttons: an admin does this rarely, usually with the id at hand, and one
 * line either works or is refused whole, with nothing half-changed. Every
 * refusal names what is wrong and repeats the form's syntax. Routing (the
 * entry's roles) already keeps everyone but admins out; the reassignment is
 * still judged by the workflow core, like every change to a case. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "args.h"
#include "case_flow.h"
#include "db.h"
#include "db_cases.h"
#include "db_registry.h"
#include "handler.h"
#include "i18n.h"
#include "keyboard.h"
#include "menus.h"
#include "db_clocks.h"
#include "people.h"
#include "revoke.h"
#include "outbox.h"
#include "sessions.h"
#include "texts.h"
#include "tg_update.h"
#include "utf8.h"

#define ADMIN_PREFIX "adm"
#define ADMIN_NAME_CHARS 60      /* an official's name, as people read it */
#define ADMIN_OFFICIALS_MAX 64
#define ADMIN_CASES_MAX 512
#define ADMIN_PLH_MAX 64

enum admin_form { FORM_SET, FORM_REMOVE, FORM_REASSIGN, FORM_STANDARD, FORM_COUNT };

/* The forms: the sub-command in both languages, the button that explains
 * it, and the catalog key of its syntax with an example. */
static const struct {
    const char *word_id, *word_en;
    const char *action;           /* the button's data after "adm:" */
    const char *button_data, *button_key, *howto_key;
} forms[FORM_COUNT] = {
    [FORM_SET] = { "pejabat", "official", "set", ADMIN_PREFIX ":set", "admin.button.set",
                   "admin.howto.set" },
    [FORM_REMOVE] = { "hapus", "remove", "remove", ADMIN_PREFIX ":remove", "admin.button.remove",
                      "admin.howto.remove" },
    [FORM_REASSIGN] = { "ganti", "reassign", "reassign", ADMIN_PREFIX ":reassign",
                        "admin.button.reassign", "admin.howto.reassign" },
    [FORM_STANDARD] = { "standar", "standard", "standard", ADMIN_PREFIX ":standard",
                        "admin.button.standard", "admin.howto.standard" },
};

static const char *role_name(struct handler_ctx *ctx, enum role role)
{
    char key[32];
    snprintf(key, sizeof key, "role.%s", role_key(role) ? role_key(role) : "admin");
    return i18n_text(ctx->app->i18n, ctx->lang, key);
}

/* A refused form: the sentence naming what is wrong (key with its pairs),
 * then the form's syntax, so the next try can be right. Nothing was changed. */
__attribute__((sentinel))
static int refuse(struct handler_ctx *ctx, enum admin_form form, const char *key, ...)
{
    struct text t;
    text_init(&t, ctx->app->i18n, ctx->lang);
    va_list ap;
    va_start(ap, key);
    text_own(&t, i18n_vformat(ctx->app->i18n, ctx->lang, key, ap));
    va_end(ap);
    text_add(&t, "admin.nothing_changed", NULL);
    text_add(&t, forms[form].howto_key, NULL);
    char *html = text_take(&t);
    if (!html)
        return -ENOMEM;
    int rc = reply_html(ctx, html, NULL);
    free(html);
    return rc;
}

/* A form that must end after its last word: anything more is refused, since
 * "/admin hapus 1001 1002" most likely meant two people and did one. */
static bool has_more(const char *cursor, char *word, size_t size)
{
    return args_next(&cursor, word, size);
}

/* --- the overview ---------------------------------------------------------- */

/* Whether a message from the bot reaches the person: they may have blocked
 * it, or never opened it (Telegram lets no bot write first). */
static int reach_key(struct handler_ctx *ctx, int64_t user_id, const char **key)
{
    struct db_user user;
    int rc = db_user_get(ctx->app->db, user_id, &user);
    if (rc == -ENOENT) {
        *key = "admin.reach.never";
        return 0;
    }
    if (rc)
        return rc;
    *key = user.reachable ? "admin.reach.yes" : "admin.reach.blocked";
    return 0;
}

static int show_overview(struct handler_ctx *ctx)
{
    struct app *app = ctx->app;
    struct db_official *officials = calloc(ADMIN_OFFICIALS_MAX, sizeof *officials);
    if (!officials)
        return -ENOMEM;
    size_t count = 0;
    int64_t pending = 0;
    int rc = db_officials_list(app->db, ROLE_NONE, officials, ADMIN_OFFICIALS_MAX, &count);
    if (!rc)
        rc = db_applicants_pending_count(app->db, &pending);
    struct text t;
    text_init(&t, app->i18n, ctx->lang);
    text_add(&t, "admin.title", NULL);
    text_add(&t, "admin.officials", NULL);
    if (count == 0)
        text_add(&t, "admin.no_officials", NULL);
    for (size_t i = 0; !rc && i < count; i++) {
        const char *reach = NULL;
        rc = reach_key(ctx, officials[i].telegram_id, &reach);
        if (rc)
            break;
        char id[24];
        snprintf(id, sizeof id, "%" PRId64, officials[i].telegram_id);
        text_add(&t, "admin.official_line", "role", role_name(ctx, officials[i].role), "name",
                 officials[i].name, "id", id, "reach", i18n_text(app->i18n, ctx->lang, reach),
                 NULL);
    }
    free(officials);
    char pending_text[24];
    snprintf(pending_text, sizeof pending_text, "%" PRId64, pending);
    text_add(&t, "admin.pending", "count", pending_text, NULL);
    text_add(&t, "admin.forms", NULL);
    char *html = text_take(&t);
    if (rc || !html) {
        free(html);
        return rc ? rc : -ENOMEM;
    }
    cJSON *keyboard = keyboard_new();
    rc = keyboard ? 0 : -ENOMEM;
    for (int f = 0; !rc && f < FORM_COUNT; f++) {
        cJSON *row = keyboard_row(keyboard);
        rc = row ? keyboard_button(row, i18n_text(app->i18n, ctx->lang, forms[f].button_key),
                                   forms[f].button_data)
                 : -ENOMEM;
    }
    if (!rc)
        rc = reply_html(ctx, html, keyboard);
    cJSON_Delete(keyboard);
    free(html);
    return rc;
}

/* --- warnings after a change ------------------------------------------------ */

/* Adds a warning when `user_id`, who no longer is a Pelaksana, is still the
 * assigned Pelaksana of open cases (`cases`), or, no longer an official, is
 * still named as Plh (`plh`): the admin should reassign or end those; the
 * bot does not guess who takes over. */
static int warn_leftovers(struct handler_ctx *ctx, struct text *t, int64_t user_id, bool cases_too,
                          bool plh_too)
{
    struct app *app = ctx->app;
    int rc = 0;
    if (cases_too) {
        struct db_case *cases = calloc(ADMIN_CASES_MAX, sizeof *cases);
        if (!cases)
            return -ENOMEM;
        size_t count = 0;
        rc = db_cases_open(app->db, cases, ADMIN_CASES_MAX, &count);
        struct text numbers;
        text_init(&numbers, app->i18n, ctx->lang);
        size_t found = 0;
        for (size_t i = 0; !rc && i < count; i++) {
            if (cases[i].wf.pelaksana_id != user_id)
                continue;
            if (found++)
                text_raw(&numbers, ", ");
            text_own(&numbers, i18n_format(app->i18n, ctx->lang, "admin.case_number", "number",
                                           cases[i].number, NULL));
        }
        free(cases);
        char *list = text_take(&numbers);
        if (!list)
            return -ENOMEM;
        if (!rc && found) {
            text_add(t, "admin.warn.pelaksana_cases", NULL);
            text_raw(t, list);
            text_add(t, "admin.warn.pelaksana_cases_end", NULL);
        }
        free(list);
    }
    if (rc || !plh_too)
        return rc;
    struct db_plh plh[ADMIN_PLH_MAX];
    size_t count = 0;
    char today[11];
    people_today(ctx->now_ms, today);
    rc = db_plh_list(app->db, today, plh, ADMIN_PLH_MAX, &count);
    for (size_t i = 0; !rc && i < count; i++) {
        if (plh[i].acting_id == user_id)
            text_add(t, "admin.warn.plh", "role", role_name(ctx, plh[i].role), "to",
                     plh[i].date_to, NULL);
    }
    return rc;
}

static int reply_built(struct handler_ctx *ctx, struct text *t)
{
    char *html = text_take(t);
    if (!html)
        return -ENOMEM;
    int rc = reply_html(ctx, html, NULL);
    free(html);
    return rc;
}

/* --- the forms ------------------------------------------------------------- */

/* /admin pejabat <telegram_id> <role> <name...> */
static int form_set(struct handler_ctx *ctx, const char *cursor)
{
    char word[ARGS_WORD_SIZE], role_word[ARGS_WORD_SIZE], name[DB_NAME_MAX];
    int64_t id = 0;
    if (!args_next(&cursor, word, sizeof word))
        return refuse(ctx, FORM_SET, "admin.error.id_missing", NULL);
    if (args_telegram_id(word, &id) != 0)
        return refuse(ctx, FORM_SET, "admin.error.id", "value", word, NULL);
    if (!args_next(&cursor, role_word, sizeof role_word))
        return refuse(ctx, FORM_SET, "admin.error.role_missing", NULL);
    for (char *p = role_word; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    enum role role = role_parse(role_word);
    if (!(role & ROLE_OFFICIAL))
        return refuse(ctx, FORM_SET, "admin.error.role", "value", role_word, NULL);
    int fits = args_rest(cursor, name, sizeof name);
    if (!name[0])
        return refuse(ctx, FORM_SET, "admin.error.name_missing", NULL);
    if (!args_one_line(name))
        return refuse(ctx, FORM_SET, "admin.error.name_lines", NULL);
    if (fits != 0 || utf8_count(name) > ADMIN_NAME_CHARS) {
        char max[8];
        snprintf(max, sizeof max, "%d", ADMIN_NAME_CHARS);
        return refuse(ctx, FORM_SET, "admin.error.name_long", "max", max, NULL);
    }

    struct db_official old;
    int rc = db_official_get(ctx->app->db, id, &old);
    bool existed = rc == 0;
    if (rc && rc != -ENOENT)
        return rc;
    rc = db_official_set(ctx->app->db, id, role, name);
    if (!rc) /* their menu follows the new role */
        rc = menus_refresh(ctx->app, id, ctx->now_ms);
    if (rc)
        return rc;
    char id_text[24];
    snprintf(id_text, sizeof id_text, "%" PRId64, id);
    struct text t;
    text_init(&t, ctx->app->i18n, ctx->lang);
    if (existed)
        text_add(&t, "admin.set.changed", "id", id_text, "name", name, "role",
                 role_name(ctx, role), "old_name", old.name, "old_role", role_name(ctx, old.role),
                 NULL);
    else
        text_add(&t, "admin.set.added", "id", id_text, "name", name, "role", role_name(ctx, role),
                 NULL);
    const char *reach = NULL;
    rc = reach_key(ctx, id, &reach);
    if (!rc && strcmp(reach, "admin.reach.never") == 0)
        text_add(&t, "admin.set.never_opened", NULL);
    if (!rc && existed && old.role == ROLE_PELAKSANA && role != ROLE_PELAKSANA)
        rc = warn_leftovers(ctx, &t, id, true, false);
    if (rc) {
        text_clear(&t);
        return rc;
    }
    return reply_built(ctx, &t);
}

/* /admin hapus <telegram_id> */
static int form_remove(struct handler_ctx *ctx, const char *cursor)
{
    char word[ARGS_WORD_SIZE];
    int64_t id = 0;
    if (!args_next(&cursor, word, sizeof word))
        return refuse(ctx, FORM_REMOVE, "admin.error.id_missing", NULL);
    if (args_telegram_id(word, &id) != 0)
        return refuse(ctx, FORM_REMOVE, "admin.error.id", "value", word, NULL);
    char extra[ARGS_WORD_SIZE];
    if (has_more(cursor, extra, sizeof extra))
        return refuse(ctx, FORM_REMOVE, "admin.error.extra", "value", extra, NULL);
    char id_text[24];
    snprintf(id_text, sizeof id_text, "%" PRId64, id);
    struct db_official old;
    int rc = db_official_get(ctx->app->db, id, &old);
    if (rc == -ENOENT)
        return refuse(ctx, FORM_REMOVE, "admin.remove.unknown", "id", id_text, NULL);
    if (rc)
        return rc;
    rc = db_official_remove(ctx->app->db, id);
    if (!rc)
        rc = menus_refresh(ctx->app, id, ctx->now_ms);
    if (rc)
        return rc;
    struct text t;
    text_init(&t, ctx->app->i18n, ctx->lang);
    text_add(&t, "admin.removed", "id", id_text, "name", old.name, "role",
             role_name(ctx, old.role), NULL);
    rc = warn_leftovers(ctx, &t, id, true, true);
    if (rc) {
        text_clear(&t);
        return rc;
    }
    return reply_built(ctx, &t);
}

/* The core refused the reassignment: say why in the admin's words. */
static int reassign_refused(struct handler_ctx *ctx, const struct db_case *c, int refusal)
{
    char state_key[64];
    snprintf(state_key, sizeof state_key, "state.%s", wf_state_name(c->wf.state));
    const char *state = i18n_text(ctx->app->i18n, ctx->lang, state_key);
    if (wf_state_closed(c->wf.state))
        return refuse(ctx, FORM_REASSIGN, "admin.reassign.closed", "number", c->number, "state",
                      state, NULL);
    if (refusal == WF_ERR_WRONG_STATE)
        return refuse(ctx, FORM_REASSIGN, "admin.reassign.wrong_state", "number", c->number,
                      "state", state, NULL);
    if (refusal == WF_ERR_NOT_ALLOWED)
        return refuse(ctx, FORM_REASSIGN, "admin.reassign.not_allowed", NULL);
    const char *reason = wf_error_name(refusal);
    return refuse(ctx, FORM_REASSIGN, "admin.reassign.refused", "number", c->number, "reason",
                  reason ? reason : "?", NULL);
}

/* The new Pelaksana has another session at the time of the case's. */
static int reassign_busy(struct handler_ctx *ctx, const struct db_case *c,
                         const struct db_session *s, const char *name)
{
    char span[96];
    sessions_span_text(ctx->app, ctx->lang, s->start_at, s->end_at, span, sizeof span);
    return reply_text(ctx, NULL, "session_change.reassign_busy", "name", name, "number",
                      c->number, "when", span, NULL);
}

static int reassign_done(struct handler_ctx *ctx, const struct db_case *c,
                         const struct db_session *s, bool changed, const char *name,
                         const char *id_text, const char *old_name)
{
    struct text t;
    text_init(&t, ctx->app->i18n, ctx->lang);
    text_add(&t, changed ? "admin.reassign.done" : "admin.reassign.again", "number", c->number,
             "name", name, "id", id_text, "old", old_name, NULL);
    if (changed && s->id && s->end_at > ctx->now_ms) {
        char span[96];
        sessions_span_text(ctx->app, ctx->lang, s->start_at, s->end_at, span, sizeof span);
        text_raw(&t, " ");
        text_add(&t, "session_change.reassigned_admin", "when", span, NULL);
    }
    return reply_built(ctx, &t);
}

/* The words of "/admin ganti <case number> <telegram_id of a Pelaksana>":
 * *answered when the form was answered here (a mistake refused, or a
 * revocation or help request's number handed to revoke_admin_reassign). */
static int reassign_words(struct handler_ctx *ctx, const char *cursor, int64_t *case_id,
                          int64_t *id, bool *answered)
{
    char case_word[ARGS_WORD_SIZE], word[ARGS_WORD_SIZE], extra[ARGS_WORD_SIZE];
    *answered = true;
    if (!args_next(&cursor, case_word, sizeof case_word))
        return refuse(ctx, FORM_REASSIGN, "admin.error.case_missing", NULL);
    bool request = false; /* a revocation or help request (issue 14) */
    const char *rest = cursor;
    int rc = revoke_admin_reassign(ctx, case_word, args_next(&rest, word, sizeof word), &request);
    if (rc || request)
        return rc;
    if (db_case_number_parse(case_word, case_id) != 0)
        return refuse(ctx, FORM_REASSIGN, "admin.error.case_number", "value", case_word, NULL);
    if (!args_next(&cursor, word, sizeof word))
        return refuse(ctx, FORM_REASSIGN, "admin.error.id_missing", NULL);
    if (args_telegram_id(word, id) != 0)
        return refuse(ctx, FORM_REASSIGN, "admin.error.id", "value", word, NULL);
    if (has_more(cursor, extra, sizeof extra))
        return refuse(ctx, FORM_REASSIGN, "admin.error.extra", "value", extra, NULL);
    *answered = false;
    return 0;
}

/* /admin ganti <case number> <telegram_id of a Pelaksana> */
static int form_reassign(struct handler_ctx *ctx, const char *cursor)
{
    struct app *app = ctx->app;
    int64_t case_id = 0, id = 0;
    bool answered = false;
    int rc = reassign_words(ctx, cursor, &case_id, &id, &answered);
    if (rc || answered)
        return rc;

    struct db_case *c = calloc(1, sizeof *c);
    if (!c)
        return -ENOMEM;
    rc = db_case_get(app->db, case_id, c);
    if (rc == -ENOENT) {
        char number[24];
        db_case_number(case_id, number, sizeof number);
        free(c);
        return refuse(ctx, FORM_REASSIGN, "admin.error.case_unknown", "number", number, NULL);
    }
    if (rc) {
        free(c);
        return rc;
    }
    /* The core knows only the actor; that the new one is an active
     * Pelaksana is ours to check (workflow.h). */
    char id_text[24];
    snprintf(id_text, sizeof id_text, "%" PRId64, id);
    struct db_official target;
    rc = db_official_get(app->db, id, &target);
    if (rc == -ENOENT) {
        free(c);
        return refuse(ctx, FORM_REASSIGN, "admin.error.not_official", "id", id_text, NULL);
    }
    if (!rc && target.role != ROLE_PELAKSANA) {
        rc = refuse(ctx, FORM_REASSIGN, "admin.error.not_pelaksana", "id", id_text, "name",
                    target.name, "role", role_name(ctx, target.role), NULL);
        free(c);
        return rc;
    }
    int64_t old_id = c->wf.pelaksana_id;
    char old_name[DB_NAME_MAX];
    if (!rc) {
        if (old_id)
            rc = db_person_name(app->db, old_id, old_name, sizeof old_name);
        else
            snprintf(old_name, sizeof old_name, "%s",
                     i18n_text(app->i18n, ctx->lang, "admin.nobody"));
    }
    /* A booked session goes with the case: the new one must be free then. */
    struct db_session session = { 0 };
    if (!rc)
        rc = sessions_reassign_check(app, c, id, ctx->now_ms, &session);
    if (rc > 0) {
        rc = reassign_busy(ctx, c, &session, target.name);
        free(c);
        return rc;
    }
    struct wf_event event = { .kind = WF_EV_REASSIGN, .pelaksana_id = id };
    int refusal = 0;
    const char *missing = NULL;
    if (!rc)
        rc = case_flow_apply(app, c, &event, &ctx->actor, ctx->now_ms, &refusal, &missing, NULL);
    if (!rc && refusal) {
        rc = reassign_refused(ctx, c, refusal);
    } else if (!rc) {
        rc = sessions_follow(app, c, WF_EV_REASSIGN, 0, ctx->now_ms);
        if (!rc)
            rc = reassign_done(ctx, c, &session, old_id != id, target.name, id_text, old_name);
    }
    free(c);
    return rc;
}

/* "/admin standar <step 1-7> <office minutes>": the SOP is revised now and
 * then; a step already running keeps the standard it started with. */
static int form_standard(struct handler_ctx *ctx, const char *cursor)
{
    char step_word[ARGS_WORD_SIZE], minutes_word[ARGS_WORD_SIZE], extra[ARGS_WORD_SIZE];
    char *end;
    if (!args_next(&cursor, step_word, sizeof step_word) ||
        !args_next(&cursor, minutes_word, sizeof minutes_word))
        return refuse(ctx, FORM_STANDARD, "admin.error.standard", "value", "", NULL);
    long step = strtol(step_word, &end, 10);
    bool bad_step = *end || step < 1 || step > 7;
    long minutes = strtol(minutes_word, &end, 10);
    bool bad_minutes = *end || minutes < 1 || minutes > 450 * 20;
    if (bad_step || bad_minutes || has_more(cursor, extra, sizeof extra))
        return refuse(ctx, FORM_STANDARD, "admin.error.standard", "value",
                      bad_step ? step_word : minutes_word, NULL);
    int old = 0;
    int rc = db_standard_get(ctx->app->db, (int)step, &old);
    if (!rc)
        rc = db_standard_set(ctx->app->db, (int)step, (int)minutes);
    if (rc)
        return rc;
    char step_text[8], before[48], after[48];
    snprintf(step_text, sizeof step_text, "%ld", step);
    text_minutes(ctx->app->i18n, ctx->lang, old, before, sizeof before);
    text_minutes(ctx->app->i18n, ctx->lang, minutes, after, sizeof after);
    return reply_text(ctx, NULL, "admin.standard.done", "step", step_text, "before", before,
                      "after", after, NULL);
}

static int (*const form_runs[FORM_COUNT])(struct handler_ctx *, const char *) = {
    [FORM_SET] = form_set,
    [FORM_REMOVE] = form_remove,
    [FORM_REASSIGN] = form_reassign,
    [FORM_STANDARD] = form_standard,
};

/* --- picking officials with buttons ------------------------------------------ */

/* Buttons "adm:<what>:<case>:<id>" (reassign, case > 0) or "adm:<what>:<id>"
 * (remove) for the active officials of `role` (ROLE_NONE: all), labelled
 * with their names; the press is judged again by the typed form's code. */
static int show_official_picker(struct handler_ctx *ctx, enum role role, int64_t case_id,
                                const char *intro_key, const char *number)
{
    struct db_official *officials = calloc(ADMIN_OFFICIALS_MAX, sizeof *officials);
    if (!officials)
        return -ENOMEM;
    size_t count = 0;
    int rc = db_officials_list(ctx->app->db, role, officials, ADMIN_OFFICIALS_MAX, &count);
    cJSON *keyboard = rc ? NULL : keyboard_new();
    if (!rc && !keyboard)
        rc = -ENOMEM;
    for (size_t i = 0; !rc && i < count; i++) {
        char data[KEYBOARD_DATA_MAX + 1], label[DB_NAME_MAX + 48];
        if (case_id)
            snprintf(data, sizeof data, ADMIN_PREFIX ":g:%" PRId64 ":%" PRId64, case_id,
                     officials[i].telegram_id);
        else
            snprintf(data, sizeof data, ADMIN_PREFIX ":h:%" PRId64, officials[i].telegram_id);
        snprintf(label, sizeof label, "%s (%s)", officials[i].name,
                 role_name(ctx, officials[i].role));
        cJSON *row = keyboard_row(keyboard);
        rc = row ? keyboard_button(row, label, data) : -ENOMEM;
    }
    free(officials);
    if (!rc && count == 0)
        rc = reply_text(ctx, NULL, "recipients.pick_none", NULL);
    else if (!rc)
        rc = reply_text(ctx, keyboard, intro_key, "number", number ? number : "", NULL);
    cJSON_Delete(keyboard);
    return rc;
}

/* "/admin hapus" and "/admin ganti <case>" without an id: the picker.
 * *shown false for any other form (the typed form answers it). */
static int typed_picker(struct handler_ctx *ctx, enum admin_form form, const char *cursor,
                        bool *shown)
{
    *shown = false;
    char word[ARGS_WORD_SIZE], extra[ARGS_WORD_SIZE];
    if (form == FORM_REMOVE && !args_next(&cursor, word, sizeof word)) {
        *shown = true;
        return show_official_picker(ctx, ROLE_NONE, 0, "recipients.admin_pick_remove", NULL);
    }
    int64_t case_id = 0;
    if (form != FORM_REASSIGN || !args_next(&cursor, word, sizeof word) ||
        has_more(cursor, extra, sizeof extra))
        return 0; /* with an id: the typed form answers */
    bool request = false; /* a revocation or help request (issue 14) */
    int rc = revoke_admin_reassign(ctx, word, false, &request);
    *shown = request;
    if (rc || request)
        return rc;
    if (db_case_number_parse(word, &case_id) != 0)
        return 0;
    struct db_case *c = calloc(1, sizeof *c);
    if (!c)
        return -ENOMEM;
    rc = db_case_get(ctx->app->db, case_id, c);
    if (rc == 0) {
        *shown = true;
        rc = show_official_picker(ctx, ROLE_PELAKSANA, case_id, "recipients.admin_pick_pelaksana",
                                  c->number);
    }
    free(c);
    return rc == -ENOENT ? 0 : rc; /* an unknown case: the form says so */
}

/* "adm:g:<case>:<id>" and "adm:h:<id>": the typed form with the picked id,
 * so every check (the case, the state, the Pelaksana's role) is made now. */
static int picked(struct handler_ctx *ctx, const char *rest, bool *handled)
{
    *handled = false;
    bool reassign = strncmp(rest, "g:", 2) == 0;
    if (!reassign && strncmp(rest, "h:", 2) != 0)
        return 0;
    *handled = true;
    const char *ids = rest + 2;
    const char *colon = reassign ? strchr(ids, ':') : NULL;
    uint64_t case_id = 0, id = 0;
    bool ok = reassign ? colon && args_decimal_n(ids, (size_t)(colon - ids), INT64_MAX,
                                                 &case_id) == 0 &&
                             case_id > 0 && args_decimal(colon + 1, INT64_MAX, &id) == 0
                       : args_decimal(ids, INT64_MAX, &id) == 0;
    if (!ok || id == 0) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    char args[64], number[24];
    db_case_number((int64_t)case_id, number, sizeof number);
    if (reassign)
        snprintf(args, sizeof args, "%s %" PRIu64, number, id);
    else
        snprintf(args, sizeof args, "%" PRIu64, id);
    /* The picker is used: its buttons go, so one tap does one change. */
    int rc = outbox_drop_buttons(ctx->app->db, ctx->update->chat_id, ctx->update->message_id,
                                 ctx->now_ms);
    reply_answer(ctx, "answer.done", false);
    return rc ? rc : form_runs[reassign ? FORM_REASSIGN : FORM_REMOVE](ctx, args);
}

/* --- entry ----------------------------------------------------------------- */

static int run_admin(struct handler_ctx *ctx)
{
    if (ctx->callback_rest) {
        bool handled = false;
        int rc = picked(ctx, ctx->callback_rest, &handled);
        if (rc || handled)
            return rc;
        for (int f = 0; f < FORM_COUNT; f++) {
            if (strcmp(ctx->callback_rest, forms[f].action) != 0)
                continue;
            rc = reply_text(ctx, NULL, forms[f].howto_key, NULL);
            if (rc || f != FORM_REMOVE)
                return rc;
            /* or, rather than typing an id, a tap on the name */
            return show_official_picker(ctx, ROLE_NONE, 0, "recipients.admin_pick_remove", NULL);
        }
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    const char *cursor = ctx->args ? ctx->args : "";
    char word[ARGS_WORD_SIZE];
    if (!args_next(&cursor, word, sizeof word))
        return show_overview(ctx);
    for (int f = 0; f < FORM_COUNT; f++) {
        if (strcasecmp(word, forms[f].word_id) != 0 && strcasecmp(word, forms[f].word_en) != 0)
            continue;
        bool shown = false;
        int rc = typed_picker(ctx, (enum admin_form)f, cursor, &shown);
        return rc || shown ? rc : form_runs[f](ctx, cursor);
    }
    struct text t;
    text_init(&t, ctx->app->i18n, ctx->lang);
    text_add(&t, "admin.error.form", "value", word, NULL);
    text_add(&t, "admin.forms", NULL);
    return reply_built(ctx, &t);
}

const struct handler_entry handler_admin = {
    .name = "admin",
    .command_id = "admin",
    .callback_prefix = ADMIN_PREFIX,
    .roles = ROLE_ADMIN,
    .in_menu = true,
    .run = run_admin,
};
