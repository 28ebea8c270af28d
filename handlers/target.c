/* target: the parse-load-check preamble every case handler used to repeat,
 * done once, in route.c's call, for the entry's declared target. */
#include "target.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "app.h"
#include "case_action.h"
#include "db.h"
#include "handler.h"
#include "tg_update.h"

#define GONE_DEFAULT "error.stale_button"

static const char *gone_key(const struct handler_entry *entry)
{
    return entry && entry->target_gone ? entry->target_gone : GONE_DEFAULT;
}

/* A button's target is gone (or never was): a short notice. A command's
 * argument: a message that repeats what was typed. */
static int answer_gone(struct handler_ctx *ctx, const char *key)
{
    if (ctx->update->kind == UPDATE_CALLBACK) {
        reply_answer(ctx, key, false);
        return 0;
    }
    return reply_text(ctx, NULL, key, "text", ctx->args ? ctx->args : "", NULL);
}

bool target_waits_for(const struct handler_ctx *ctx, const struct db_case *c)
{
    enum role holder = wf_state_holder_role(c->wf.state);
    if (holder == ROLE_PELAKSANA)
        return c->wf.pelaksana_id == ctx->actor.user_id;
    return holder != ROLE_APPLICANT && (holder & ctx->roles) != 0;
}

/* The checks on a loaded case that every kind shares; false: not theirs. */
static bool theirs(const struct handler_ctx *ctx, const struct db_case *c, unsigned checks)
{
    bool staff = (ctx->roles & (ROLE_OFFICIAL | ROLE_ADMIN)) != 0;
    if ((checks & TARGET_OWN_AGENCY) && !staff && c->wf.agency_id != ctx->actor.agency_id)
        return false;
    if ((checks & TARGET_HOLDER) && !target_waits_for(ctx, c))
        return false;
    return true;
}

/* "<case id>" from a button (-EINVAL for anything else), or from a command
 * a case number or the applicant's letter number (nomor surat), among the
 * applicant's own agency's cases for an applicant (-ENOENT if none). */
static int case_id_of(const struct handler_ctx *ctx, int64_t *id)
{
    if (ctx->update->kind != UPDATE_CALLBACK) {
        bool staff = (ctx->roles & (ROLE_OFFICIAL | ROLE_ADMIN)) != 0;
        return db_case_find(ctx->app->db, ctx->args, staff ? 0 : ctx->actor.agency_id, id);
    }
    uint64_t value = 0;
    if (args_decimal(ctx->callback_rest, INT64_MAX, &value) != 0 || value == 0)
        return -EINVAL;
    *id = (int64_t)value;
    return 0;
}

static int resolve_case(struct handler_ctx *ctx, const struct handler_entry *entry,
                        struct target *t, bool *go)
{
    int64_t id = 0;
    bool typed = ctx->update->kind != UPDATE_CALLBACK;
    if (typed && !ctx->args[0] && (entry->target_checks & TARGET_OPTIONAL)) {
        *go = true;
        return 0;
    }
    int rc = case_id_of(ctx, &id);
    if (rc == -EINVAL)
        return answer_gone(ctx, typed && entry->target_bad ? entry->target_bad : gone_key(entry));
    if (!rc)
        rc = db_case_get(ctx->app->db, id, &t->case_row);
    if (rc == -ENOENT || (!rc && !theirs(ctx, &t->case_row, entry->target_checks)))
        return answer_gone(ctx, gone_key(entry));
    if (rc)
        return rc;
    t->kind = TARGET_CASE;
    *go = true;
    return 0;
}

/* Loads the case of a parsed press and asks the core whether the presser may
 * take t->event on it now; answers when not. */
static int check_press(struct handler_ctx *ctx, unsigned checks, const char *gone,
                       struct target *t, bool *go)
{
    struct db_case *c = &t->case_row;
    int rc = db_case_get(ctx->app->db, t->press.case_id, c);
    if (rc == -ENOENT || (!rc && !theirs(ctx, c, checks)))
        return answer_gone(ctx, gone);
    if (rc)
        return rc;
    t->kind = TARGET_CASE_AT_STEP;
    if (!(checks & (TARGET_MAY_ACT | TARGET_MAY_APPLY))) {
        *go = true;
        return 0;
    }
    struct wf_verdict v;
    int refusal = wf_may(&c->wf, t->event, t->press.version, &ctx->actor, &v);
    if (refusal == WF_ERR_PRECONDITION && !(checks & TARGET_MAY_APPLY))
        refusal = WF_OK;
    if (refusal)
        return case_refusal_answer(ctx, c, refusal, v.missing);
    *go = true;
    return 0;
}

static int resolve_press(struct handler_ctx *ctx, const struct handler_entry *entry,
                         struct target *t, bool *go)
{
    if (args_case_press(ctx->callback_rest, &t->press) != 0)
        return answer_gone(ctx, gone_key(entry));
    /* What the button asks for is known before the database is touched:
     * garbage is refused without a read. */
    t->event = entry->target_event_of ? entry->target_event_of(&t->press) : entry->target_event;
    if (t->event == WF_EV_NONE && (entry->target_checks & (TARGET_MAY_ACT | TARGET_MAY_APPLY)))
        return answer_gone(ctx, gone_key(entry));
    return check_press(ctx, entry->target_checks, gone_key(entry), t, go);
}

/* "<telegram id>:<rest>" of a registration request that is still on record. */
static int resolve_person(struct handler_ctx *ctx, const struct handler_entry *entry,
                          struct target *t, bool *go)
{
    const char *data = ctx->callback_rest;
    size_t n = strcspn(data, ":");
    uint64_t id = 0;
    if (data[n] != ':' || args_decimal_n(data, n, INT64_MAX, &id) != 0 || id == 0)
        return answer_gone(ctx, gone_key(entry));
    int rc = db_applicant_get(ctx->app->db, (int64_t)id, &t->applicant);
    if (rc == -ENOENT)
        return answer_gone(ctx, gone_key(entry));
    if (rc)
        return rc;
    t->kind = TARGET_PERSON;
    t->person_id = (int64_t)id;
    t->rest = data + n + 1;
    *go = true;
    return 0;
}

int target_resolve(struct handler_ctx *ctx, const struct handler_entry *entry, struct target *t,
                   bool *go)
{
    memset(t, 0, sizeof *t);
    *go = false;
    switch (entry->target) {
    case TARGET_NONE:
        *go = true;
        return 0;
    case TARGET_CASE:
        return resolve_case(ctx, entry, t, go);
    case TARGET_CASE_AT_STEP:
        if (ctx->update->kind != UPDATE_CALLBACK)
            return answer_gone(ctx, gone_key(entry));
        return resolve_press(ctx, entry, t, go);
    case TARGET_PERSON:
        if (ctx->update->kind != UPDATE_CALLBACK)
            return answer_gone(ctx, gone_key(entry));
        return resolve_person(ctx, entry, t, go);
    }
    return -EINVAL;
}
