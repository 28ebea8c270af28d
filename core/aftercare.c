/* The aftercare flows' state machine (aftercare.h). */
#include "aftercare.h"

#include <string.h>

static const char *const kind_names[AC_KIND_END] = {
    [AC_REVOKE] = "revoke",
    [AC_HELP] = "help",
};

static const char *const reason_names[AC_REASON_END] = {
    [AC_REASON_MUTASI] = "mutasi",
    [AC_REASON_PENSIUN] = "pensiun",
    [AC_REASON_MENINGGAL] = "meninggal",
    [AC_REASON_LUPA_PASSPHRASE] = "lupa_passphrase",
    [AC_REASON_TERBIT_ULANG] = "terbit_ulang",
};

static const char *const state_names[AC_STATE_END] = {
    [AC_S_KASI] = "kasi",
    [AC_S_PELAKSANA] = "pelaksana",
    [AC_S_DONE] = "done",
    [AC_S_RETURNED] = "returned",
};

static const char *const event_names[AC_EV_END] = {
    [AC_EV_CONFIRM] = "confirm",
    [AC_EV_RETURN] = "return",
    [AC_EV_REASSIGN] = "reassign",
    [AC_EV_DONE] = "done",
};

/* The index of `name` in `names` (1..count-1), 0 when absent. */
static int parse_name(const char *const *names, int count, const char *name)
{
    for (int i = 1; name && i < count; i++)
        if (names[i] && strcmp(names[i], name) == 0)
            return i;
    return 0;
}

const char *ac_kind_name(enum ac_kind kind)
{
    return kind > AC_KIND_NONE && kind < AC_KIND_END ? kind_names[kind] : NULL;
}

enum ac_kind ac_kind_parse(const char *name)
{
    return (enum ac_kind)parse_name(kind_names, AC_KIND_END, name);
}

const char *ac_reason_name(enum ac_reason reason)
{
    return reason > AC_REASON_NONE && reason < AC_REASON_END ? reason_names[reason] : NULL;
}

enum ac_reason ac_reason_parse(const char *name)
{
    return (enum ac_reason)parse_name(reason_names, AC_REASON_END, name);
}

bool ac_reason_fits(enum ac_kind kind, enum ac_reason reason)
{
    switch (reason) {
    case AC_REASON_MUTASI:
    case AC_REASON_PENSIUN:
    case AC_REASON_MENINGGAL:
        return kind == AC_REVOKE;
    case AC_REASON_LUPA_PASSPHRASE:
    case AC_REASON_TERBIT_ULANG:
        return kind == AC_HELP;
    default:
        return false;
    }
}

const char *ac_state_name(enum ac_state state)
{
    return state > AC_STATE_NONE && state < AC_STATE_END ? state_names[state] : NULL;
}

enum ac_state ac_state_parse(const char *name)
{
    return (enum ac_state)parse_name(state_names, AC_STATE_END, name);
}

bool ac_state_closed(enum ac_state state)
{
    return state == AC_S_DONE || state == AC_S_RETURNED;
}

const char *ac_event_name(enum ac_event_kind kind)
{
    return kind > AC_EV_NONE && kind < AC_EV_END ? event_names[kind] : NULL;
}

enum ac_event_kind ac_event_parse(const char *name)
{
    return (enum ac_event_kind)parse_name(event_names, AC_EV_END, name);
}

size_t ac_state_events(enum ac_kind kind, enum ac_state state, enum ac_event_kind *kinds,
                       size_t max)
{
    static const enum ac_event_kind at_kasi[] = { AC_EV_CONFIRM, AC_EV_RETURN };
    static const enum ac_event_kind at_pelaksana[] = { AC_EV_DONE, AC_EV_REASSIGN };
    const enum ac_event_kind *list = NULL;
    size_t n = 0;
    if (kind <= AC_KIND_NONE || kind >= AC_KIND_END)
        return 0;
    if (state == AC_S_KASI) {
        list = at_kasi;
        n = 2;
    } else if (state == AC_S_PELAKSANA) {
        list = at_pelaksana;
        n = 2;
    }
    for (size_t i = 0; kinds && i < n && i < max; i++)
        kinds[i] = list[i];
    return n;
}

/* --- applying ----------------------------------------------------------------- */

static void refuse(const struct ac_request *before, int error, const char *missing,
                   struct ac_result *out)
{
    struct ac_request copy = before ? *before : (struct ac_request){ 0 };
    memset(out, 0, sizeof *out);
    out->after = copy;
    out->error = error;
    out->missing = missing;
}

static void add_effect(struct ac_result *out, enum ac_effect_kind kind, int64_t user_id,
                       int64_t at_ms)
{
    if (out->effect_count < AC_EFFECTS_MAX)
        out->effects[out->effect_count++] = (struct ac_effect){ kind, user_id, at_ms };
}

/* The role `actor` acts as for `role`: held directly, else as Plh; ROLE_NONE. */
static enum role acts_as(const struct wf_actor *actor, unsigned role, bool *via_plh)
{
    *via_plh = false;
    if (actor->roles & role)
        return (enum role)(actor->roles & role);
    if ((actor->plh_roles & role) && !(role & (ROLE_ADMIN | ROLE_APPLICANT))) {
        *via_plh = true;
        return (enum role)(actor->plh_roles & role);
    }
    return ROLE_NONE;
}

/* The lowest single bit of `roles`: one role for the audit line. */
static enum role one_role(unsigned roles)
{
    return (enum role)(roles & (~roles + 1u));
}

static bool valid_request(const struct ac_request *r)
{
    return r->kind > AC_KIND_NONE && r->kind < AC_KIND_END && r->state > AC_STATE_NONE &&
           r->state < AC_STATE_END && r->version != 0 && r->id >= 0 && r->agency_id >= 0 &&
           r->requested_by >= 0 && r->pelaksana_id >= 0;
}

/* Who may send `kind` in `r`'s state: the role used, or ROLE_NONE. */
static enum role who_may(const struct ac_request *r, enum ac_event_kind kind,
                         const struct wf_actor *actor, bool *via_plh)
{
    *via_plh = false;
    switch (kind) {
    case AC_EV_CONFIRM:
    case AC_EV_RETURN:
        return one_role(acts_as(actor, ROLE_KASI, via_plh));
    case AC_EV_REASSIGN: {
        enum role r2 = acts_as(actor, ROLE_KASI, via_plh);
        if (r2 != ROLE_NONE)
            return ROLE_KASI;
        return (actor->roles & ROLE_ADMIN) ? ROLE_ADMIN : ROLE_NONE;
    }
    case AC_EV_DONE:
        return (actor->roles & ROLE_PELAKSANA) && actor->user_id == r->pelaksana_id
                   ? ROLE_PELAKSANA
                   : ROLE_NONE;
    default:
        return ROLE_NONE;
    }
}

static bool event_of_state(const struct ac_request *r, enum ac_event_kind kind)
{
    enum ac_event_kind kinds[4];
    size_t n = ac_state_events(r->kind, r->state, kinds, 4);
    for (size_t i = 0; i < n; i++)
        if (kinds[i] == kind)
            return true;
    return false;
}

static void transition(const struct ac_request *before, const struct ac_event *e,
                       int64_t now_ms, struct ac_result *out)
{
    struct ac_request *after = &out->after;
    switch (e->kind) {
    case AC_EV_CONFIRM:
        after->state = AC_S_PELAKSANA;
        after->pelaksana_id = e->pelaksana_id;
        if (before->kind == AC_REVOKE && e->by_mail)
            add_effect(out, AC_FX_MAIL_BSRE, 0, now_ms);
        add_effect(out, AC_FX_CARD_PELAKSANA, e->pelaksana_id, now_ms);
        add_effect(out, AC_FX_TELL_REQUESTER, before->requested_by, now_ms);
        break;
    case AC_EV_RETURN:
        after->state = AC_S_RETURNED;
        if (before->kind == AC_HELP)
            add_effect(out, AC_FX_CLOCK_STOP, 0, now_ms);
        add_effect(out, AC_FX_TELL_REQUESTER, before->requested_by, now_ms);
        break;
    case AC_EV_REASSIGN:
        after->pelaksana_id = e->pelaksana_id;
        if (before->pelaksana_id && before->pelaksana_id != e->pelaksana_id)
            add_effect(out, AC_FX_TELL_PELAKSANA, before->pelaksana_id, now_ms);
        add_effect(out, AC_FX_CARD_PELAKSANA, e->pelaksana_id, now_ms);
        break;
    case AC_EV_DONE:
        after->state = AC_S_DONE;
        if (before->kind == AC_REVOKE)
            add_effect(out, AC_FX_REVOKE_CERT, 0, now_ms);
        else
            add_effect(out, AC_FX_CLOCK_STOP, 0, now_ms);
        add_effect(out, AC_FX_TELL_REQUESTER, before->requested_by, now_ms);
        break;
    default:
        break;
    }
}

static const char *missing_of(const struct ac_event *e)
{
    if (e->kind == AC_EV_RETURN && (!e->note || !e->note[0]))
        return "note";
    if ((e->kind == AC_EV_CONFIRM || e->kind == AC_EV_REASSIGN) && e->pelaksana_id <= 0)
        return "pelaksana";
    return NULL;
}

int ac_apply(const struct ac_request *before, const struct ac_event *event,
             const struct wf_actor *actor, int64_t now_ms, struct ac_result *out)
{
    if (!out)
        return AC_ERR_INVALID;
    if (!before || !event || !actor || now_ms < 0 || !valid_request(before) ||
        event->kind <= AC_EV_NONE || event->kind >= AC_EV_END || event->pelaksana_id < 0) {
        refuse(before, AC_ERR_INVALID, NULL, out);
        return AC_ERR_INVALID;
    }
    struct ac_request copy = *before;
    int error = AC_OK;
    const char *missing = NULL;
    bool via_plh = false;
    enum role role = ROLE_NONE;
    if (event->expected_version != 0 && event->expected_version != copy.version)
        error = AC_ERR_STALE;
    else if (!event_of_state(&copy, event->kind))
        error = AC_ERR_WRONG_STATE;
    else if ((role = who_may(&copy, event->kind, actor, &via_plh)) == ROLE_NONE)
        error = AC_ERR_NOT_ALLOWED;
    else if ((missing = missing_of(event)) != NULL)
        error = AC_ERR_PRECONDITION;
    if (error) {
        refuse(&copy, error, missing, out);
        return error;
    }
    memset(out, 0, sizeof *out);
    out->after = copy;
    transition(&copy, event, now_ms, out);
    out->after.version = copy.version == UINT32_MAX ? 1 : copy.version + 1;
    out->audit = (struct ac_audit){ .actor_id = actor->user_id, .acted_as = role,
                                    .via_plh = via_plh, .event = event->kind,
                                    .state_before = copy.state,
                                    .state_after = out->after.state, .note = event->note,
                                    .at_ms = now_ms };
    return AC_OK;
}

int ac_request_new(enum ac_kind kind, int64_t agency_id, const struct wf_actor *actor,
                   int64_t now_ms, struct ac_result *out)
{
    if (!out)
        return AC_ERR_INVALID;
    memset(out, 0, sizeof *out);
    if (kind <= AC_KIND_NONE || kind >= AC_KIND_END || !actor || agency_id <= 0 ||
        now_ms < 0 || actor->user_id <= 0) {
        out->error = AC_ERR_INVALID;
        return AC_ERR_INVALID;
    }
    bool via_plh = false;
    enum role role = ROLE_NONE;
    if ((actor->roles & ROLE_APPLICANT) && actor->agency_id == agency_id)
        role = ROLE_APPLICANT;
    else if (kind == AC_REVOKE)
        role = one_role(acts_as(actor, ROLE_OFFICIAL, &via_plh));
    else
        role = one_role(acts_as(actor, ROLE_KASI, &via_plh));
    if (role == ROLE_NONE) {
        out->error = AC_ERR_NOT_ALLOWED;
        return AC_ERR_NOT_ALLOWED;
    }
    out->after = (struct ac_request){ .kind = kind, .state = AC_S_KASI, .version = 1,
                                      .agency_id = agency_id, .requested_by = actor->user_id };
    add_effect(out, AC_FX_CARD_KASI, 0, now_ms);
    if (kind == AC_HELP)
        add_effect(out, AC_FX_CLOCK_START, 0, now_ms);
    out->audit = (struct ac_audit){ .actor_id = actor->user_id, .acted_as = role,
                                    .via_plh = via_plh, .state_after = AC_S_KASI,
                                    .at_ms = now_ms };
    return AC_OK;
}
