/* case_undo: an irreversible action undone within its minute, by whoever
 * took it, while nobody acted after it (workflow.h decides; case_confirm.h).
 *
 * The action's transaction records, in table `undo`, the case as it was and
 * its clocks, and puts "↩️ Urungkan (1 menit)" under the actor's closed card:
 * "u:<case>:<version after>:undo". A press within the minute (the bot's
 * clock: bot/clock.h) restores the case (state, flags, step clock), marks a
 * letter numbered by the signature cancelled (its number stays taken: Tata
 * Naskah Dinas gives no number twice, and a register with a gap that says
 * why is honest; the re-signed letter gets the next number), withdraws what
 * the action sent (the next holder's card is edited to say so, without
 * buttons; the applicant's news loses its "Ajukan lagi"), gives the actor
 * the card again with live buttons, and writes "diurungkan" in the history.
 * A late press, or one after the case moved on, changes nothing, says why
 * and takes the button away. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "case_action.h"
#include "case_card.h"
#include "case_confirm.h"
#include "case_flow.h"
#include "db.h"
#include "db_clocks.h"
#include "db_letters.h"
#include "db_mail.h"
#include "db_registry.h"
#include "i18n.h"
#include "jobs.h"
#include "keyboard.h"
#include "log.h"
#include "outbox.h"
#include "people.h"
#include "texts.h"
#include "tg_update.h"

#define UNDO_PREFIX "u"
#define UNDO_CLOCKS_MAX 64

/* --- when the action is taken ------------------------------------------------ */

int case_undo_prepare(struct handler_ctx *ctx, const struct db_case *c, struct db_undo *u)
{
    memset(u, 0, sizeof *u);
    u->case_id = c->wf.case_id;
    u->before = c->wf;
    u->state_since = c->state_since;
    u->closed_at = c->closed_at;
    int rc = db_undo_clock_max(ctx->app->db, c->wf.case_id, &u->clock_max_id);
    struct db_clock open;
    int found = rc ? rc : db_clock_open(ctx->app->db, c->wf.case_id, &open);
    if (found == 0) {
        u->clock_id = open.id;
        u->clock_paused_at = open.paused_at;
        u->clock_paused_ms = open.paused_ms;
        u->clock_breached = open.breached;
    }
    return found == -ENOENT ? 0 : found;
}

static cJSON *undo_keyboard(struct app *app, const char *lang, const struct db_case *c)
{
    char data[KEYBOARD_DATA_MAX + 1];
    snprintf(data, sizeof data, UNDO_PREFIX ":%" PRId64 ":%" PRIu32 ":undo", c->wf.case_id,
             c->wf.version);
    cJSON *keyboard = keyboard_new();
    cJSON *row = keyboard ? keyboard_row(keyboard) : NULL;
    if (!row || keyboard_button(row, i18n_text(app->i18n, lang, "confirm.undo_button"), data)) {
        cJSON_Delete(keyboard);
        return NULL;
    }
    return keyboard;
}

/* editMessageReplyMarkup: `keyboard` (NULL: none) under message (chat, message). */
static int set_buttons(struct app *app, int64_t chat, int64_t message, cJSON *keyboard,
                       int64_t now_ms)
{
    if (!keyboard)
        return outbox_drop_buttons(app->db, chat, message, now_ms);
    cJSON *params = cJSON_CreateObject();
    if (!params)
        return -ENOMEM;
    cJSON_AddNumberToObject(params, "message_id", (double)message);
    cJSON_AddItemReferenceToObject(params, "reply_markup", keyboard);
    int rc = outbox_call(app->db, chat, "editMessageReplyMarkup", params, now_ms);
    cJSON_Delete(params);
    return rc;
}

int case_undo_offer(struct handler_ctx *ctx, const struct db_case *c,
                    const struct wf_case *before, const struct wf_event *event,
                    const struct wf_result *r, struct db_undo *u, int64_t chat, int64_t message)
{
    struct wf_undo record;
    if (wf_undo_record(before, event, r, ctx->now_ms, &record) != WF_UNDO_OK) {
        if (event->kind == WF_EV_SIGN) /* the notification went to the applicant */
            reply_answer(ctx, "confirm.no_undo_letter_sent", true);
        return 0;
    }
    struct app *app = ctx->app;
    u->actor_id = record.actor_id;
    snprintf(u->event, sizeof u->event, "%s", wf_event_name(record.event));
    snprintf(u->outcome, sizeof u->outcome, "%s", wf_bsre_outcome_name(record.outcome));
    u->version_after = record.version_after;
    u->deadline = record.deadline_ms;
    u->chat_id = chat;
    u->message_id = message;
    u->at = ctx->now_ms;
    struct db_outgoing_letter letter;
    if (event->kind == WF_EV_SIGN &&
        db_outgoing_latest(app->db, c->wf.case_id, "recommendation", &letter) == 0 &&
        letter.signed_at == ctx->now_ms)
        u->letter_id = letter.id;
    int rc = db_undo_put(app->db, u);
    if (rc || !chat || !message)
        return rc;
    reply_answer(ctx, "confirm.done_with_undo", false);
    cJSON *keyboard = undo_keyboard(app, ctx->lang, c);
    rc = keyboard ? set_buttons(app, chat, message, keyboard, ctx->now_ms) : -ENOMEM;
    cJSON_Delete(keyboard);
    return rc;
}

/* --- the undo's effects ------------------------------------------------------ */

/* The clock the action stopped runs on, as if never stopped. */
static int clock_unstop(struct handler_ctx *ctx, const struct db_undo *row)
{
    if (!row->clock_id)
        return 0;
    struct db_clock *clocks = calloc(UNDO_CLOCKS_MAX, sizeof *clocks);
    if (!clocks)
        return -ENOMEM;
    size_t count = 0;
    int rc = db_clocks_of_case(ctx->app->db, row->case_id, clocks, UNDO_CLOCKS_MAX, &count);
    struct db_clock *clock = NULL;
    for (size_t i = 0; !rc && i < count; i++)
        if (clocks[i].id == row->clock_id)
            clock = &clocks[i];
    if (!rc && clock) {
        clock->ended_at = 0;
        clock->office_ms = 0;
        clock->paused_at = row->clock_paused_at;
        clock->paused_ms = row->clock_paused_ms;
        clock->breached = row->clock_breached;
        case_clock_plan(ctx->app, clock, ctx->now_ms);
        rc = db_clock_update(ctx->app->db, clock);
    } else if (!rc) {
        log_warn("undo", "case %" PRId64 ": clock %" PRId64 " is gone", row->case_id,
                 row->clock_id);
    }
    free(clocks);
    return rc;
}

/* What one person reads of the withdrawal, in their language. */
static char *withdrawn_text(struct handler_ctx *ctx, const struct db_case *c, const char *lang,
                            bool applicant, const char *event, const char *actor)
{
    struct app *app = ctx->app;
    char when[48];
    text_when(app->i18n, lang, ctx->now_ms, when, sizeof when);
    struct text t;
    text_init(&t, app->i18n, lang);
    if (applicant) {
        text_add(&t, "confirm.withdrawn_applicant", "number", c->number, NULL);
        return text_take(&t);
    }
    text_own(&t, case_card_summary(app, c, lang));
    text_add(&t, "confirm.withdrawn", "event", card_event_label(app, lang, event, NULL), "who",
             actor, "when", when, NULL);
    return text_take(&t);
}

/* Whoever the action told hears it was withdrawn: the card or news the bot
 * knows is edited (its buttons go), anything else gets a new message. */
static int withdraw(struct handler_ctx *ctx, const struct db_case *c, const struct wf_effect *fx,
                    const struct db_undo *row)
{
    struct app *app = ctx->app;
    int64_t to[PEOPLE_MAX];
    size_t count = 0;
    bool applicant = fx->role == ROLE_APPLICANT;
    int rc = applicant ? db_applicants_of_agency(app->db, c->wf.agency_id, to, PEOPLE_MAX, &count)
                       : people_for_role(app, fx->role, fx->user_id, c->wf.agency_id,
                                         ctx->now_ms, to, PEOPLE_MAX, &count);
    char actor[DB_NAME_MAX];
    db_person_name(app->db, row->actor_id, actor, sizeof actor);
    for (size_t i = 0; !rc && i < count; i++) {
        if (!fx->card && !applicant && to[i] == row->actor_id)
            continue; /* an FYI skipped the actor */
        char key[64];
        snprintf(key, sizeof key, "%s:%" PRId64 ":%" PRId64, applicant ? "returned" : "case",
                 c->wf.case_id, to[i]);
        int64_t chat = 0, message = 0;
        bool known = (applicant || fx->card) && db_card_message(app->db, key, &chat, &message) == 0 &&
                     chat == to[i] && message > 0 &&
                     !(chat == row->chat_id && message == row->message_id);
        char *html = withdrawn_text(ctx, c, card_lang_of(app, to[i]), applicant, row->event, actor);
        if (!html)
            return -ENOMEM;
        rc = known ? outbox_edit_text(app->db, chat, message, html, NULL, ctx->now_ms)
                   : outbox_send_text(app->db, to[i], html, NULL, NULL, ctx->now_ms);
        free(html);
    }
    return rc;
}

/* The actor's card again, live, in the message the undo was pressed on. */
static int card_back(struct handler_ctx *ctx, const struct db_case *c, const struct db_undo *row)
{
    int failed = 0, rc = -ENOMEM;
    char *html = case_card_text_for(ctx->app, c, ctx->lang, ctx->update->user_id,
                                    row->chat_id);
    cJSON *keyboard = html ? case_card_keyboard(ctx->app, c, ctx->lang, &failed) : NULL;
    if (html && !failed)
        rc = outbox_edit_text(ctx->app->db, row->chat_id, row->message_id, html, keyboard,
                              ctx->now_ms);
    cJSON_Delete(keyboard);
    free(html);
    return rc;
}

static int run_effects(struct handler_ctx *ctx, const struct db_case *c,
                       const struct wf_result *r, const struct db_undo *row)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < r->effect_count; i++) {
        const struct wf_effect *fx = &r->effects[i];
        switch (fx->kind) {
        case WF_FX_CLOCK_UNSTART:
            rc = db_undo_clocks_void(ctx->app->db, c->wf.case_id, row->clock_max_id);
            break;
        case WF_FX_CLOCK_UNSTOP:
            rc = clock_unstop(ctx, row);
            break;
        case WF_FX_WITHDRAW:
            rc = withdraw(ctx, c, fx, row);
            break;
        case WF_FX_NOTIFY_HOLDER:
            rc = card_back(ctx, c, row);
            break;
        default:
            break;
        }
    }
    return rc;
}

/* The letter numbered by the signature is cancelled: its number stays taken.
 * Whoever received the numbered letter (the Pelaksana's card says it already;
 * the Kasi who prepared it) is told which number no longer stands. */
static int cancel_letter(struct handler_ctx *ctx, const struct db_case *c,
                         const struct db_undo *row)
{
    struct app *app = ctx->app;
    struct db_outgoing_letter letter;
    int rc = db_outgoing_cancel(app->db, row->letter_id, c->wf.case_id, row->actor_id,
                                ctx->now_ms);
    int found = rc ? rc : db_outgoing_latest(app->db, c->wf.case_id, "recommendation", &letter);
    if (found == -ENOENT || (!found && letter.id != row->letter_id))
        return 0;
    if (found)
        return found;
    int64_t to[PEOPLE_MAX];
    size_t count = 0;
    rc = people_for_role(app, ROLE_KASI, 0, c->wf.agency_id, ctx->now_ms, to, PEOPLE_MAX, &count);
    for (size_t i = 0; !rc && i < count; i++) {
        char *html = i18n_format(app->i18n, card_lang_of(app, to[i]), "confirm.letter_cancelled",
                                 "number", c->number, "letter_number", letter.number, NULL);
        rc = html ? outbox_send_text(app->db, to[i], html, NULL, NULL, ctx->now_ms) : -ENOMEM;
        free(html);
    }
    return rc;
}

/* Writes the undo the core allowed: the case, the history, what follows. */
static int undo_write(struct handler_ctx *ctx, const struct db_case *c, const struct db_undo *row,
                      const struct wf_result *r)
{
    struct app *app = ctx->app;
    struct db_case after = *c;
    after.wf = r->after;
    after.state_since = row->state_since;
    after.closed_at = row->closed_at;
    int rc = db_case_update(app->db, &after);
    if (!rc)
        rc = db_audit_add(app->db, c->wf.case_id, &r->audit);
    if (!rc)
        rc = run_effects(ctx, &after, r, row);
    if (!rc && row->letter_id)
        rc = cancel_letter(ctx, &after, row);
    if (!rc)
        rc = db_undo_delete(app->db, c->wf.case_id);
    if (!rc)
        reply_answer(ctx, "confirm.undone", false);
    return rc;
}

/* --- the press --------------------------------------------------------------- */

/* What the database knows and the case's version cannot show. */
static int undo_facts(struct handler_ctx *ctx, const struct db_case *c, const struct db_undo *row,
                      struct wf_undo *u)
{
    int rc = 0, yes = 0;
    if (u->event == WF_EV_RETURN) {
        rc = db_undo_resubmitted(ctx->app->db, c->number, row->at, &yes);
        u->next_acted = yes;
    } else if (u->event == WF_EV_SIGN) {
        rc = db_mail_pending_for_case(ctx->app->db, c->wf.case_id, &yes);
        u->letter_left = yes > 0;
    }
    return rc;
}

static void undo_of_row(const struct db_case *c, const struct db_undo *row, struct wf_undo *u)
{
    memset(u, 0, sizeof *u);
    u->actor_id = row->actor_id;
    u->event = wf_event_parse(row->event);
    u->outcome = wf_bsre_outcome_parse(row->outcome);
    u->version_after = row->version_after;
    u->deadline_ms = row->deadline;
    u->before = row->before;
    u->before.agency_id = c->wf.agency_id;
}

/* A refusal: why, and the button goes unless it is somebody else's. */
static int refused(struct handler_ctx *ctx, const struct db_case *c, int refusal)
{
    const char *key = refusal == WF_UNDO_NOT_ACTOR     ? "confirm.undo_not_actor"
                      : refusal == WF_UNDO_MOVED_ON    ? "confirm.undo_moved_on"
                      : refusal == WF_UNDO_LETTER_LEFT ? "confirm.undo_letter_left"
                      : refusal == WF_UNDO_TOO_LATE    ? "confirm.undo_too_late"
                                                       : "confirm.undo_gone";
    reply_answer(ctx, key, true);
    if (refusal == WF_UNDO_NOT_ACTOR || !ctx->update->message_id)
        return 0;
    /* The record is done with once too late or overtaken; one that is not
     * this button's (INVALID) is another action's. */
    bool done = refusal == WF_UNDO_TOO_LATE || refusal == WF_UNDO_MOVED_ON;
    int rc = done ? db_undo_delete(ctx->app->db, c->wf.case_id) : 0;
    return rc ? rc : outbox_drop_buttons(ctx->app->db, ctx->update->chat_id,
                                         ctx->update->message_id, ctx->now_ms);
}

static int run_undo(struct handler_ctx *ctx)
{
    const struct target *t = ctx->target;
    const struct db_case *c = &t->case_row;
    if (strcmp(t->press.what, "undo") != 0 || t->press.arg[0]) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    struct db_undo row;
    int rc = db_undo_get(ctx->app->db, c->wf.case_id, &row);
    if (rc && rc != -ENOENT)
        return rc;
    if (rc == -ENOENT || row.version_after != t->press.version)
        return refused(ctx, c, WF_UNDO_INVALID); /* undone already, or another action's */
    struct wf_undo u;
    undo_of_row(c, &row, &u);
    rc = undo_facts(ctx, c, &row, &u);
    if (rc)
        return rc;
    struct wf_result result;
    int refusal = wf_undo_apply(&c->wf, &u, &ctx->actor, ctx->now_ms, &result);
    if (refusal)
        return refused(ctx, c, refusal);
    return undo_write(ctx, c, &row, &result);
}

/* --- the minute is over ------------------------------------------------------ */

/* How many expired undos one tick clears; the rest wait for the next. */
#define UNDO_EXPIRE_BATCH 32

static int expire_one(struct app *app, void *arg, int64_t now_ms)
{
    const struct db_undo *row = arg;
    int rc = db_undo_delete(app->db, row->case_id);
    if (!rc && row->chat_id && row->message_id)
        rc = outbox_drop_buttons(app->db, row->chat_id, row->message_id, now_ms);
    return rc;
}

int undo_expire_run(struct app *app, int64_t now_ms)
{
    struct db_undo rows[UNDO_EXPIRE_BATCH];
    size_t count = 0;
    int rc = db_undo_expired(app->db, now_ms, rows, UNDO_EXPIRE_BATCH, &count);
    for (size_t i = 0; !rc && i < count; i++) {
        char job[40];
        snprintf(job, sizeof job, "undo:%" PRId64, rows[i].case_id);
        rc = jobs_guard(app, job, expire_one, &rows[i], now_ms);
    }
    return rc;
}

int64_t undo_expire_next(struct app *app)
{
    int64_t deadline;
    return db_undo_next_deadline(app->db, &deadline) == 0 ? deadline + 1 : INT64_MAX;
}

const struct handler_entry handler_case_undo = {
    .name = "case_undo",
    .callback_prefix = UNDO_PREFIX,
    .roles = ROLE_ANYONE, /* the workflow core decides (wf_undo_may) */
    .target = TARGET_CASE_AT_STEP,
    .target_checks = 0, /* not an event of the case's state: the core's undo rules */
    .run = run_undo,
};
