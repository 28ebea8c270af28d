/* A revocation or help request and its cards (revoke.h): the Kasi confirms
 * (revocation) or assigns (help) a Pelaksana, or returns it; the Pelaksana
 * records it revoked at BSrE, or reports the help given. Every press runs
 * through core/aftercare.h, which alone decides. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aftercare.h"
#include "app.h"
#include "args.h"
#include "case_card.h"
#include "config.h"
#include "db.h"
#include "db_aftercare.h"
#include "db_certificates.h"
#include "db_sessions.h"
#include "db_mail.h"
#include "db_registry.h"
#include "help_session.h"
#include "i18n.h"
#include "keyboard.h"
#include "log.h"
#include "mail_compose.h"
#include "mail_sender.h"
#include "outbox.h"
#include "people.h"
#include "sla.h"
#include "revoke.h"
#include "revoke_mail.h"
#include "texts.h"
#include "tg_update.h"

#define CARD_PREFIX "rv"

/* The key of a text for the request's kind. */
#define KIND_KEY(v, revoke_key, help_key) ((v)->a.r.kind == AC_REVOKE ? (revoke_key) : (help_key))

/* What a request's texts say, loaded once. */
struct revoke_view {
    struct db_aftercare a;
    struct db_certificate cert;
    char number[24];           /* "PC-0001" */
    char agency[DB_NAME_MAX];
};

static int view_load(struct app *app, int64_t id, struct revoke_view *v)
{
    memset(v, 0, sizeof *v);
    int rc = db_aftercare_get(app->db, id, &v->a);
    if (!rc)
        rc = db_certificate_get(app->db, v->a.certificate_id, &v->cert);
    struct db_agency agency = { 0 };
    if (!rc && db_agency_get(app->db, v->cert.agency_id, &agency) == 0)
        snprintf(v->agency, sizeof v->agency, "%s", agency.name);
    snprintf(v->number, sizeof v->number, "%s-%04" PRId64,
             v->a.r.kind == AC_REVOKE ? "PC" : "BS", v->a.r.id);
    return rc;
}

/* The details every card and message carries, in `lang`, under `key`. */
static char *details(struct app *app, const char *lang, const struct revoke_view *v,
                     const char *key, const char *note)
{
    char reason_key[64], date[64] = "-", reporter[DB_NAME_MAX], deadline[64] = "-";
    snprintf(reason_key, sizeof reason_key,
             KIND_KEY(v, "revoke.reason.%s", "help_req.what.%s"), ac_reason_name(v->a.reason));
    if (v->a.event_date[0])
        text_date_long(app->i18n, lang, v->a.event_date, date, sizeof date);
    if (v->a.standard_minutes > 0)
        text_when(app->i18n, lang,
                  sla_deadline(&app->cal, v->a.created_at, v->a.standard_minutes, 0), deadline,
                  sizeof deadline);
    if (db_person_name(app->db, v->a.r.requested_by, reporter, sizeof reporter))
        snprintf(reporter, sizeof reporter, "%" PRId64, v->a.r.requested_by);
    return i18n_format(app->i18n, lang, key, "number", v->number, "name", v->cert.name, "nip",
                       v->cert.nip, "jabatan", v->cert.jabatan, "agency", v->agency, "reason",
                       i18n_text(app->i18n, lang, reason_key), "date", date, "reporter",
                       reporter, "note", note ? note : "-", "to",
                       app->cfg->bsre_email ? app->cfg->bsre_email : "-", "asked",
                       v->a.note[0] ? v->a.note : "-", "deadline", deadline, NULL);
}

static cJSON *card_buttons(struct app *app, const char *lang, const struct revoke_view *v,
                           const char *const *whats, const char *const *keys, size_t n)
{
    cJSON *keyboard = keyboard_new();
    for (size_t i = 0; keyboard && i < n; i++) {
        char data[64];
        snprintf(data, sizeof data, CARD_PREFIX ":%" PRId64 ":%" PRIu32 ":%s", v->a.r.id,
                 v->a.r.version, whats[i]);
        cJSON *row = keyboard_row(keyboard);
        if (!row || keyboard_button(row, i18n_text(app->i18n, lang, keys[i]), data)) {
            cJSON_Delete(keyboard);
            return NULL;
        }
    }
    return keyboard;
}

/* The Kasi (or their Plh) gets the letter with the details and the buttons. */
static int card_kasi(struct app *app, const struct revoke_view *v, int64_t now_ms)
{
    static const char *const whats[] = { "confirm", "return" };
    const char *const keys[] = { KIND_KEY(v, "revoke.button.confirm", "help_req.button.assign"),
                                 KIND_KEY(v, "revoke.button.return", "help_req.button.return") };
    int64_t to[PEOPLE_MAX];
    size_t n = 0;
    int rc = people_for_role(app, ROLE_KASI, 0, 0, now_ms, to, PEOPLE_MAX, &n);
    for (size_t i = 0; !rc && i < n; i++) {
        const char *lang = card_lang_of(app, to[i]);
        char *html = details(app, lang, v, KIND_KEY(v, "revoke.card.kasi", "help_req.card.kasi"),
                             NULL);
        cJSON *keyboard = card_buttons(app, lang, v, whats, keys, 2);
        if (!html || !keyboard)
            rc = -ENOMEM;
        else if (v->a.letter_file > 0) /* the letter is the card */
            rc = outbox_send_file(app->db, to[i], v->a.letter_file, html, keyboard, now_ms);
        else
            rc = outbox_send_text(app->db, to[i], html, keyboard, NULL, now_ms);
        free(html);
        cJSON_Delete(keyboard);
    }
    return rc;
}

static int card_pelaksana(struct app *app, const struct revoke_view *v, bool by_mail,
                          int64_t now_ms)
{
    static const char *const whats[] = { "done", "note" };
    static const char *const keys[] = { "revoke.button.done", "revoke.button.done_note" };
    static const char *const help_whats[] = { "session", "note" };
    static const char *const help_keys[] = { "help_req.button.session",
                                             "help_req.button.report" };
    bool revoke = v->a.r.kind == AC_REVOKE;
    int64_t to = v->a.r.pelaksana_id;
    const char *lang = card_lang_of(app, to);
    char *html = details(app, lang, v, !revoke ? "help_req.card.pelaksana"
                                       : by_mail ? "revoke.card.pelaksana_mail"
                                                 : "revoke.card.pelaksana_hand", NULL);
    cJSON *keyboard = revoke ? card_buttons(app, lang, v, whats, keys, 2)
                             : card_buttons(app, lang, v, help_whats, help_keys, 2);
    int rc = -ENOMEM;
    if (html && keyboard)
        rc = v->a.letter_file > 0
                 ? outbox_send_file(app->db, to, v->a.letter_file, html, keyboard, now_ms)
                 : outbox_send_text(app->db, to, html, keyboard, NULL, now_ms);
    free(html);
    cJSON_Delete(keyboard);
    return rc;
}

static int tell(struct app *app, int64_t to, const struct revoke_view *v, const char *key,
                const char *note, int64_t now_ms)
{
    char *html = details(app, card_lang_of(app, to), v, key, note);
    int rc = html ? outbox_send_text(app->db, to, html, NULL, NULL, now_ms) : -ENOMEM;
    free(html);
    return rc;
}

/* The e-mail to BSrE, queued in this transaction in the recommendation's
 * queue, as the request's own mail (db_mail.h): never the case's that
 * issued the certificate. */
static int queue_mail(struct app *app, const struct revoke_view *v, int64_t asked_by)
{
    const struct config *cfg = app->cfg;
    char token[17], message_id[300], date[64];
    for (size_t i = 0; i + 1 < sizeof token; i++)
        token[i] = "0123456789abcdefghijklmnopqrstuvwxyz"[app_random(app) % 36];
    token[sizeof token - 1] = '\0';
    int rc = mail_message_id(v->number, token, cfg->email.from_address, message_id,
                             sizeof message_id);
    text_date_long(app->i18n, "id", v->a.event_date, date, sizeof date);
    char reason_key[64];
    snprintf(reason_key, sizeof reason_key, "revoke.reason.%s", ac_reason_name(v->a.reason));
    const char *names[] = { "number", "name", "nip", "jabatan", "email", "agency", "reason",
                            "date", "sender" };
    const char *values[] = { v->number, v->cert.name, v->cert.nip, v->cert.jabatan,
                             v->cert.email, v->agency, i18n_text(app->i18n, "id", reason_key),
                             date, cfg->email.from_name ? cfg->email.from_name
                                                        : cfg->email.from_address };
    struct buf subject = { 0 }, body = { 0 };
    if (!rc)
        rc = mail_fill(i18n_text(app->i18n, "id", "revoke.mail.subject"), names, values, 9,
                       &subject);
    if (!rc)
        rc = mail_fill(i18n_text(app->i18n, "id", "revoke.mail.body"), names, values, 9, &body);
    char attachments[48];
    snprintf(attachments, sizeof attachments, "[%" PRId64 "]", v->a.letter_file);
    if (!rc) {
        struct db_mail m = { .request_id = v->a.r.id, .message_id = message_id,
                             .mail_from = cfg->email.from_address, .mail_to = cfg->bsre_email,
                             .mail_cc = cfg->email.from_address, .subject = subject.data,
                             .body = body.data, .attachments = attachments,
                             .requested_by = asked_by };
        rc = db_mail_queue(app->db, &m, clock_now_ms(&app->wall), NULL);
    }
    if (!rc)
        rc = db_aftercare_set_message_id(app->db, v->a.r.id, message_id);
    free(subject.data);
    free(body.data);
    if (!rc)
        mail_sender_kick(app); /* runs after this update's commit */
    return rc;
}

/* The effects of an accepted event, in order. */
static int apply_effects(struct app *app, struct revoke_view *v, const struct ac_result *res,
                         int64_t actor_id, int64_t now_ms)
{
    int rc = 0;
    bool by_mail = v->a.message_id[0] != '\0'; /* a reassigned one was mailed before */
    for (size_t i = 0; !rc && i < res->effect_count; i++)
        by_mail |= res->effects[i].kind == AC_FX_MAIL_BSRE;
    for (size_t i = 0; !rc && i < res->effect_count; i++) {
        const struct ac_effect *fx = &res->effects[i];
        switch (fx->kind) {
        case AC_FX_CARD_KASI: rc = card_kasi(app, v, now_ms); break;
        case AC_FX_MAIL_BSRE: rc = queue_mail(app, v, actor_id); break;
        case AC_FX_CARD_PELAKSANA: rc = card_pelaksana(app, v, by_mail, now_ms); break;
        case AC_FX_TELL_PELAKSANA:
            rc = tell(app, fx->user_id, v, KIND_KEY(v, "revoke.told.taken", "help_req.told.taken"),
                      NULL, now_ms);
            break;
        case AC_FX_REVOKE_CERT:
            rc = db_certificate_revoke(app->db, v->cert.id, ac_reason_name(v->a.reason), now_ms,
                                       now_ms);
            if (!rc && v->a.message_id[0] && !v->a.mail_sent_at)
                rc = db_mail_withdraw_request(app->db, v->a.r.id, "revocation recorded by hand",
                                              now_ms);
            break;
        case AC_FX_CLOCK_STOP: /* help: its time, and its session is over */
            rc = db_aftercare_set_office_ms(
                app->db, v->a.r.id, cal_office_ms_between(&app->cal, v->a.created_at, now_ms));
            if (!rc)
                rc = help_session_closed(app, v->a.r.id, res->after.state == AC_S_DONE, now_ms);
            break;
        case AC_FX_TELL_REQUESTER: {
            char key[48];
            snprintf(key, sizeof key, KIND_KEY(v, "revoke.told.%s", "help_req.told.%s"),
                     ac_state_name(res->after.state));
            rc = tell(app, fx->user_id, v, key, res->audit.note, now_ms);
            break;
        }
        default: break;
        }
    }
    return rc;
}

static void refuse(struct handler_ctx *ctx, const char *key)
{
    if (ctx->update->kind == UPDATE_CALLBACK)
        reply_answer(ctx, key, true);
    else
        reply_text(ctx, NULL, key, NULL);
}

static const char *refusal_key(const struct revoke_view *v, int error)
{
    switch (error) {
    case AC_ERR_STALE:
    case AC_ERR_WRONG_STATE: return KIND_KEY(v, "revoke.error.stale", "help_req.error.stale");
    case AC_ERR_NOT_ALLOWED: return "error.not_allowed";
    default: return "error.stale_button";
    }
}

/* Runs `event` on the loaded request; a refusal is answered and changes
 * nothing. *accepted says which. */
static int apply_event(struct handler_ctx *ctx, struct revoke_view *v,
                       const struct ac_event *event, bool *accepted)
{
    struct ac_result res;
    *accepted = false;
    if (ac_apply(&v->a.r, event, &ctx->actor, ctx->now_ms, &res)) {
        refuse(ctx, refusal_key(v, res.error));
        return 0;
    }
    const char *note = event->kind == AC_EV_RETURN ? event->note : NULL;
    int rc = db_aftercare_update(ctx->app->db, &res.after, note, ctx->now_ms);
    if (!rc)
        rc = db_aftercare_audit_add(ctx->app->db, res.after.id, &res.audit);
    if (!rc) {
        v->a.r = res.after;
        rc = apply_effects(ctx->app, v, &res, ctx->update->user_id, ctx->now_ms);
    }
    if (!rc)
        log_info("revoke", "%s: %s by %" PRId64 ", now %s", v->number,
                 ac_event_name(event->kind), ctx->update->user_id,
                 ac_state_name(res.after.state));
    *accepted = rc == 0;
    return rc;
}

/* May the presser send `kind` now? Asked of the core with a complete event,
 * before a picker or a question is shown. */
static bool may(struct handler_ctx *ctx, const struct revoke_view *v, enum ac_event_kind kind,
                uint32_t version)
{
    struct ac_event probe = { .kind = kind, .expected_version = version, .note = "-",
                              .pelaksana_id = 1 };
    struct ac_result res;
    if (ac_apply(&v->a.r, &probe, &ctx->actor, ctx->now_ms, &res) == 0)
        return true;
    refuse(ctx, refusal_key(v, res.error));
    return false;
}

/* The active Pelaksana as buttons, each pressing `action` ("pick" confirms,
 * "to" reassigns) with the chosen one's id. */
static int show_picker(struct handler_ctx *ctx, const struct revoke_view *v, const char *action)
{
    struct db_official people[PEOPLE_MAX];
    size_t n = 0;
    int rc = db_officials_list(ctx->app->db, ROLE_PELAKSANA, people, PEOPLE_MAX, &n);
    cJSON *keyboard = keyboard_new();
    for (size_t i = 0; !rc && i < n; i++) {
        char data[80];
        snprintf(data, sizeof data, CARD_PREFIX ":%" PRId64 ":%" PRIu32 ":%s:%" PRId64,
                 v->a.r.id, v->a.r.version, action, people[i].telegram_id);
        cJSON *row = keyboard ? keyboard_row(keyboard) : NULL;
        rc = row ? keyboard_button(row, people[i].name, data) : -ENOMEM;
    }
    char *html = rc ? NULL
                    : details(ctx->app, ctx->lang, v,
                              KIND_KEY(v, "revoke.pick_pelaksana", "help_req.pick_pelaksana"),
                              NULL);
    if (!rc)
        rc = html ? reply_html(ctx, html, keyboard) : -ENOMEM;
    free(html);
    cJSON_Delete(keyboard);
    if (!rc)
        reply_answer(ctx, "answer.done", false);
    return rc;
}

/* Is `arg` an active Pelaksana's id? Refuses the press when not. */
static bool pelaksana_arg(struct handler_ctx *ctx, const char *arg, struct db_official *who)
{
    uint64_t id = 0;
    if (args_decimal(arg, INT64_MAX, &id) || id == 0 ||
        db_official_get(ctx->app->db, (int64_t)id, who) || who->role != ROLE_PELAKSANA) {
        refuse(ctx, "error.stale_button");
        return false;
    }
    return true;
}

/* The picker's message now says who has it, under `key`, with the button
 * that gives it to another Pelaksana. */
static int edit_assigned(struct handler_ctx *ctx, const struct revoke_view *v, const char *key,
                         const char *name)
{
    static const char *const whats[] = { "reassign", "session" };
    static const char *const keys[] = { "revoke.button.reassign", "help_req.button.session" };
    char *html = details(ctx->app, ctx->lang, v, key, name);
    /* The Kasi may offer a help request's session times too. */
    cJSON *keyboard = card_buttons(ctx->app, ctx->lang, v, whats, keys,
                                   v->a.r.kind == AC_HELP ? 2 : 1);
    int rc = html && keyboard ? reply_edit_html(ctx, html, keyboard) : -ENOMEM;
    free(html);
    cJSON_Delete(keyboard);
    return rc;
}

static int confirm_with(struct handler_ctx *ctx, struct revoke_view *v, uint32_t version,
                        const char *arg)
{
    struct db_official who;
    if (!pelaksana_arg(ctx, arg, &who))
        return 0;
    struct ac_event event = { .kind = AC_EV_CONFIRM, .expected_version = version,
                              .pelaksana_id = who.telegram_id,
                              .by_mail = config_mail_enabled(ctx->app->cfg) };
    bool accepted = false;
    int rc = apply_event(ctx, v, &event, &accepted);
    if (rc || !accepted)
        return rc;
    return edit_assigned(ctx, v, KIND_KEY(v, "revoke.confirmed", "help_req.confirmed"), who.name);
}

/* The Kasi (or an admin) gives the request to another Pelaksana: the core
 * decides, and tells the old one and sends the new one the card. */
static int reassign_to(struct handler_ctx *ctx, struct revoke_view *v, uint32_t version,
                       const char *arg)
{
    struct db_official who;
    if (!pelaksana_arg(ctx, arg, &who) || !may(ctx, v, AC_EV_REASSIGN, version))
        return 0;
    /* A help request's booked session goes with it (help_session.h):
     * refused whole when the new one is booked then. */
    bool busy = false;
    int rc = v->a.r.kind == AC_HELP ? help_session_reassign_check(ctx->app, v->a.r.id,
                                                                  who.telegram_id, ctx->now_ms,
                                                                  &busy)
                                    : 0;
    if (rc || busy) {
        if (busy)
            refuse(ctx, "revoke.reassign_busy");
        return rc;
    }
    int64_t old = v->a.r.pelaksana_id;
    struct ac_event event = { .kind = AC_EV_REASSIGN, .expected_version = version,
                              .pelaksana_id = who.telegram_id };
    bool accepted = false;
    rc = apply_event(ctx, v, &event, &accepted);
    if (rc || !accepted)
        return rc;
    if (v->a.r.kind == AC_HELP)
        rc = help_session_reassigned(ctx->app, v->a.r.id, old, ctx->now_ms);
    else /* BSrE's replies kept so far: their cards, with the button, go along */
        rc = revoke_mail_replies_again(ctx->app, v->a.r.id, ctx->now_ms);
    return rc ? rc : edit_assigned(ctx, v, "revoke.reassigned", who.name);
}

/* The next typed message is the note of `step` for this card. */
static int ask_note(struct handler_ctx *ctx, const struct revoke_view *v, uint32_t version,
                    const char *step, const char *key)
{
    cJSON *data = cJSON_CreateObject();
    char *json = NULL;
    if (data && cJSON_AddStringToObject(data, "step", step) &&
        cJSON_AddNumberToObject(data, "id", (double)v->a.r.id) &&
        cJSON_AddNumberToObject(data, "version", version))
        json = cJSON_PrintUnformatted(data);
    cJSON_Delete(data);
    int rc = json ? db_conversation_set(ctx->app->db, ctx->update->user_id, "revoke", json,
                                        ctx->now_ms)
                  : -ENOMEM;
    free(json);
    char *html = rc ? NULL : details(ctx->app, ctx->lang, v, key, NULL);
    if (!rc)
        rc = html ? reply_html(ctx, html, NULL) : -ENOMEM;
    free(html);
    if (!rc)
        reply_answer(ctx, "answer.done", false);
    return rc;
}

static int done(struct handler_ctx *ctx, struct revoke_view *v, uint32_t version,
                const char *note)
{
    struct ac_event event = { .kind = AC_EV_DONE, .expected_version = version, .note = note };
    bool accepted = false;
    int rc = apply_event(ctx, v, &event, &accepted);
    if (rc || !accepted)
        return rc;
    if (ctx->update->kind == UPDATE_CALLBACK)
        rc = outbox_drop_buttons(ctx->app->db, ctx->update->chat_id, ctx->update->message_id,
                                 ctx->now_ms);
    char *html = rc ? NULL
                    : details(ctx->app, ctx->lang, v,
                              KIND_KEY(v, "revoke.recorded", "help_req.recorded"), note);
    if (!rc)
        rc = html ? reply_html(ctx, html, NULL) : -ENOMEM;
    free(html);
    return rc;
}

static int run_card(struct handler_ctx *ctx)
{
    struct args_press press;
    struct revoke_view v;
    if (args_case_press(ctx->callback_rest, &press)) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    int rc = view_load(ctx->app, press.case_id, &v);
    if (rc == -ENOENT) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    if (rc)
        return rc;
    const char *what = press.what;
    if (strcmp(what, "pick") == 0)
        return confirm_with(ctx, &v, press.version, press.arg);
    if (strcmp(what, "to") == 0)
        return reassign_to(ctx, &v, press.version, press.arg);
    if (press.arg[0]) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    if (strcmp(what, "confirm") == 0)
        return may(ctx, &v, AC_EV_CONFIRM, press.version) ? show_picker(ctx, &v, "pick") : 0;
    if (strcmp(what, "reassign") == 0)
        return may(ctx, &v, AC_EV_REASSIGN, press.version) ? show_picker(ctx, &v, "to") : 0;
    if (strcmp(what, "return") == 0)
        return may(ctx, &v, AC_EV_RETURN, press.version)
                   ? ask_note(ctx, &v, press.version, "return_note",
                              KIND_KEY(&v, "revoke.ask_return_note", "help_req.ask_return_note"))
                   : 0;
    if (strcmp(what, "note") == 0)
        return may(ctx, &v, AC_EV_DONE, press.version)
                   ? ask_note(ctx, &v, press.version, "done_note",
                              KIND_KEY(&v, "revoke.ask_done_note", "help_req.ask_report"))
                   : 0;
    if (strcmp(what, "session") == 0) /* the offer of times (help_session.h) */
        return help_session_open(ctx, v.a.r.id, press.version);
    if (strcmp(what, "done") == 0 && v.a.r.kind == AC_REVOKE) /* help needs its report */
        return done(ctx, &v, press.version, NULL);
    reply_answer(ctx, "error.stale_button", false);
    return 0;
}

const struct handler_entry handler_revoke_card = {
    .name = "revoke_card",
    .callback_prefix = CARD_PREFIX,
    .roles = ROLE_ANYONE, /* core/aftercare.h decides, per request and state */
    .run = run_card,
};

/* --- typed notes and the request itself ------------------------------------- */

int revoke_return_with_note(struct handler_ctx *ctx, int64_t id, uint32_t version,
                            const char *note)
{
    struct revoke_view v;
    int rc = view_load(ctx->app, id, &v);
    if (rc == -ENOENT)
        return reply_text(ctx, NULL, "error.stale_button", NULL);
    struct ac_event event = { .kind = AC_EV_RETURN, .expected_version = version,
                              .note = note };
    bool accepted = false;
    if (!rc)
        rc = apply_event(ctx, &v, &event, &accepted);
    char *html = rc || !accepted
                     ? NULL
                     : details(ctx->app, ctx->lang, &v,
                               KIND_KEY(&v, "revoke.returned", "help_req.returned"), note);
    if (!rc && accepted)
        rc = html ? reply_html(ctx, html, NULL) : -ENOMEM;
    free(html);
    return rc;
}

int revoke_done_with_note(struct handler_ctx *ctx, int64_t id, uint32_t version,
                          const char *note)
{
    struct revoke_view v;
    int rc = view_load(ctx->app, id, &v);
    if (rc == -ENOENT)
        return reply_text(ctx, NULL, "error.stale_button", NULL);
    return rc ? rc : done(ctx, &v, version, note);
}

/* The new request `a` (kind, row, reason, date, note, letter filled) from
 * the person of `ctx`: checked by the core, stored, its cards sent. */
static int submit(struct handler_ctx *ctx, struct db_aftercare *a)
{
    struct app *app = ctx->app;
    bool help = a->r.kind == AC_HELP;
    struct db_certificate cert;
    int rc = db_certificate_get(app->db, a->certificate_id, &cert);
    if (rc == -ENOENT || (!rc && cert.status == DB_CERT_REVOKED))
        return reply_text(ctx, NULL, help ? "help_req.gone" : "revoke.gone", NULL);
    if (rc)
        return rc;
    struct ac_result res;
    if (ac_request_new(a->r.kind, cert.agency_id, &ctx->actor, ctx->now_ms, &res))
        return reply_text(ctx, NULL, help ? "help_req.not_yours" : "revoke.not_yours", NULL);
    a->r = res.after;
    if (help) { /* its own standard time, reminded like a step's */
        a->standard_minutes = app->cfg->certificates.help_standard_minutes;
        a->next_due = sla_stage_send_at(&app->cal, &app->cfg->reminders, ctx->now_ms,
                                        a->standard_minutes, 0, 0);
    }
    int64_t id = 0;
    rc = db_aftercare_add(app->db, a, ctx->now_ms, &id);
    if (rc == -EEXIST)
        return reply_text(ctx, NULL, help ? "help_req.already_open" : "revoke.already_open",
                          NULL);
    res.after.id = id;
    struct revoke_view v;
    if (!rc)
        rc = db_aftercare_audit_add(app->db, id, &res.audit);
    if (!rc)
        rc = view_load(app, id, &v);
    if (!rc)
        rc = apply_effects(app, &v, &res, ctx->update->user_id, ctx->now_ms);
    char *html = rc ? NULL
                    : details(app, ctx->lang, &v,
                              KIND_KEY(&v, "revoke.submitted", "help_req.submitted"), NULL);
    if (!rc)
        rc = html ? reply_html(ctx, html, NULL) : -ENOMEM;
    free(html);
    return rc;
}

int revoke_submit(struct handler_ctx *ctx, int64_t certificate_id, const char *reason,
                  const char *date, int64_t letter_file)
{
    struct db_aftercare a = { .r = { .kind = AC_REVOKE }, .certificate_id = certificate_id,
                              .reason = ac_reason_parse(reason), .letter_file = letter_file };
    snprintf(a.event_date, sizeof a.event_date, "%s", date);
    return submit(ctx, &a);
}

int help_request_submit(struct handler_ctx *ctx, int64_t certificate_id, const char *what,
                        const char *note)
{
    struct db_aftercare a = { .r = { .kind = AC_HELP }, .certificate_id = certificate_id,
                              .reason = ac_reason_parse(what) };
    snprintf(a.note, sizeof a.note, "%s", note);
    return submit(ctx, &a);
}

/* --- what the mail server said ---------------------------------------------- */

static int tell_staff(struct app *app, const struct revoke_view *v, const char *key,
                      const char *why, int64_t now_ms)
{
    int rc = v->a.r.pelaksana_id ? tell(app, v->a.r.pelaksana_id, v, key, why, now_ms) : 0;
    int64_t to[PEOPLE_MAX];
    size_t n = 0;
    if (!rc)
        rc = people_for_role(app, ROLE_KASI, 0, 0, now_ms, to, PEOPLE_MAX, &n);
    for (size_t i = 0; !rc && i < n; i++)
        if (to[i] != v->a.r.pelaksana_id)
            rc = tell(app, to[i], v, key, why, now_ms);
    return rc;
}

static int record_sent(struct app *app, const struct revoke_view *v, const struct db_mail *m,
                       const char *eml_path, int64_t now_ms)
{
    struct db_file f = { .case_id = 0, .created_at = now_ms, .uploaded_by = m->requested_by };
    snprintf(f.kind, sizeof f.kind, "revoke_mail");
    snprintf(f.file_name, sizeof f.file_name, "%s-surel-bsre.eml", v->number);
    snprintf(f.mime_type, sizeof f.mime_type, "message/rfc822");
    int64_t eml = 0;
    int rc = db_file_add(app->db, &f, NULL, 0, &eml);
    if (!rc && eml_path && eml_path[0])
        rc = db_file_set_local(app->db, eml, eml_path);
    if (!rc) /* the copy is the request's file: its retention removes it */
        rc = db_aftercare_file_link(app->db, v->a.r.id, eml);
    if (!rc)
        rc = db_mail_sent(app->db, m, eml, clock_now_ms(&app->wall));
    if (!rc)
        rc = db_aftercare_mail_sent(app->db, v->a.r.id, now_ms);
    return rc;
}

int revoke_mail_outcome(struct app *app, const struct db_mail *m, enum mail_outcome outcome,
                        const char *text, const char *eml_path, int64_t retry_at_ms,
                        int64_t now_ms)
{
    if (!m->request_id)
        return -ENOENT; /* a case's mail */
    struct revoke_view v;
    int rc = view_load(app, m->request_id, &v);
    if (rc)
        return rc == -ENOENT ? -EIO : rc;
    switch (outcome) {
    case MAIL_SENT:
        rc = record_sent(app, &v, m, eml_path, now_ms);
        return rc ? rc : tell_staff(app, &v, "revoke.mail.sent", text, now_ms);
    case MAIL_PERMANENT:
        rc = db_mail_failed(app->db, m, text, clock_now_ms(&app->wall));
        return rc ? rc : tell_staff(app, &v, "revoke.mail.failed", text, now_ms);
    default:
        rc = db_mail_defer(app->db, m->id, retry_at_ms, 1, text);
        if (!rc && m->attempts == 0)
            rc = tell_staff(app, &v, "revoke.mail.retrying", text, now_ms);
        return rc;
    }
}

/* --- an admin's reassignment ------------------------------------------------ */

/* "PC-0001" (a revocation) or "BS-0001" (a help request): the request's id
 * and kind; false for anything else. */
static bool request_number_parse(const char *word, int64_t *id, enum ac_kind *kind)
{
    if (strncasecmp(word, "PC-", 3) == 0)
        *kind = AC_REVOKE;
    else if (strncasecmp(word, "BS-", 3) == 0)
        *kind = AC_HELP;
    else
        return false;
    /* typed, so leading zeros are the usual spelling ("PC-0001") */
    const char *digits = word + 3;
    size_t len = strspn(digits, "0123456789");
    if (len == 0 || len > 9 || digits[len] != '\0')
        return false;
    *id = strtoll(digits, NULL, 10);
    return *id > 0;
}

int revoke_admin_reassign(struct handler_ctx *ctx, const char *word, bool id_typed, bool *known)
{
    int64_t id = 0;
    enum ac_kind kind;
    *known = request_number_parse(word, &id, &kind);
    if (!*known)
        return 0;
    struct revoke_view v;
    int rc = view_load(ctx->app, id, &v);
    if (rc == -ENOENT || (!rc && v.a.r.kind != kind))
        return reply_text(ctx, NULL, "revoke.admin.unknown", "number", word, NULL);
    if (rc)
        return rc;
    if (id_typed) /* the picker's buttons carry the request's version */
        return reply_text(ctx, NULL, "revoke.admin.use_picker", "number", v.number, NULL);
    return may(ctx, &v, AC_EV_REASSIGN, v.a.r.version) ? show_picker(ctx, &v, "to") : 0;
}

/* --- a help request's reminders ---------------------------------------------- */

int help_request_remind(struct app *app, int64_t id, int64_t now_ms)
{
    struct revoke_view v;
    int rc = view_load(app, id, &v);
    if (rc || v.a.r.kind != AC_HELP || ac_state_closed(v.a.r.state) || !v.a.next_due)
        return rc == -ENOENT ? 0 : rc;
    const struct sla_policy *policy = &app->cfg->reminders;
    /* After a quiet spell (the bot was down) only the latest stage due goes
     * out, as a step's reminders do. */
    int next_stage = sla_first_stage_after(&app->cal, policy, v.a.created_at,
                                           v.a.standard_minutes, 0, now_ms);
    int stage = next_stage - 1 > v.a.remind_stage ? next_stage - 1 : v.a.remind_stage;
    bool late = sla_stage_is_deadline(policy, stage) || sla_stage_after_deadline(policy, stage);
    enum role holder = v.a.r.state == AC_S_KASI ? ROLE_KASI : ROLE_PELAKSANA;
    int64_t to[PEOPLE_MAX + 1];
    size_t n = 0;
    rc = people_for_role(app, holder, v.a.r.pelaksana_id, 0, now_ms, to, PEOPLE_MAX, &n);
    if (!rc && sla_stage_tells_superior(policy, stage)) {
        size_t more = 0;
        rc = people_for_role(app, people_superior(holder), 0, 0, now_ms, to + n, PEOPLE_MAX - n,
                             &more);
        n += more;
    }
    for (size_t i = 0; !rc && i < n; i++)
        rc = tell(app, to[i], &v, late ? "help_req.remind_late" : "help_req.remind", NULL,
                  now_ms);
    int64_t next = sla_stage_send_at(&app->cal, policy, v.a.created_at, v.a.standard_minutes, 0,
                                     stage + 1);
    if (!rc) /* a stage never due ends the reminders (CAL_NEVER) */
        rc = db_aftercare_set_reminder(app->db, id, stage + 1,
                                       next == CAL_NEVER || next <= 0 ? 0 : next);
    return rc;
}
