#include "workflow.h"

#include <assert.h>
#include <string.h>

/* --- states ---------------------------------------------------------------- */

/* How a state stands to its step's clock. A step is timed from when the
 * agency can work on it, so a wait on someone outside is not counted. */
enum clock_mode {
    CLOCK_OFF = 0,  /* closed: no clock */
    CLOCK_RUNS,     /* the agency works: the step's clock counts */
    CLOCK_WAITS,    /* a wait inside a step already begun: its clock is paused */
    CLOCK_NOT_YET,  /* a wait before the step's work begins: the SOP starts the
                     * step-5 clock when BSrE's reply arrives, not when the
                     * letter leaves */
};

struct state_info {
    const char *name;
    int step;
    enum role holder;
    enum clock_mode clock;
};

static const struct state_info state_table[WF_STATE_END] = {
    [WF_S1_DISPOSISI_KADIS] = { "s1_disposisi_kadis", 1, ROLE_KADIS, CLOCK_RUNS },
    [WF_S2_DISPOSISI_KABID] = { "s2_disposisi_kabid", 2, ROLE_KABID, CLOCK_RUNS },
    [WF_S3_VERIFIKASI_KASI] = { "s3_verifikasi_kasi", 3, ROLE_KASI, CLOCK_RUNS },
    [WF_S3_MENUNGGU_PEMOHON] = { "s3_menunggu_pemohon", 3, ROLE_APPLICANT, CLOCK_WAITS },
    [WF_S4_PERIKSA_PELAKSANA] = { "s4_periksa_pelaksana", 4, ROLE_PELAKSANA, CLOCK_RUNS },
    [WF_S4_TTD_KADIS] = { "s4_ttd_kadis", 4, ROLE_KADIS, CLOCK_RUNS },
    [WF_S4_KIRIM_BSRE] = { "s4_kirim_bsre", 4, ROLE_PELAKSANA, CLOCK_RUNS },
    [WF_S5_MENUNGGU_BSRE] = { "s5_menunggu_bsre", 5, ROLE_PELAKSANA, CLOCK_NOT_YET },
    [WF_S5_LAPOR_KASI] = { "s5_lapor_kasi", 5, ROLE_PELAKSANA, CLOCK_RUNS },
    [WF_S6_SURAT_KASI] = { "s6_surat_kasi", 6, ROLE_KASI, CLOCK_RUNS },
    [WF_S6_TTD_KADIS] = { "s6_ttd_kadis", 6, ROLE_KADIS, CLOCK_RUNS },
    [WF_S6_JADWAL] = { "s6_jadwal", 6, ROLE_KASI, CLOCK_RUNS },
    [WF_S6_MENUNGGU_KONFIRMASI] = { "s6_menunggu_konfirmasi", 6, ROLE_APPLICANT, CLOCK_WAITS },
    [WF_S7_PENDAMPINGAN] = { "s7_pendampingan", 7, ROLE_PELAKSANA, CLOCK_RUNS },
    [WF_CLOSED_SELESAI] = { "closed_selesai", 0, ROLE_NONE, CLOCK_OFF },
    [WF_CLOSED_DIKEMBALIKAN] = { "closed_dikembalikan", 0, ROLE_NONE, CLOCK_OFF },
    [WF_CLOSED_DITOLAK] = { "closed_ditolak", 0, ROLE_NONE, CLOCK_OFF },
};

/* NULL for WF_STATE_NONE and anything out of range, which is how a zeroed or
 * corrupt case is caught before any rule looks at it. */
static const struct state_info *state_info(enum wf_state state)
{
    if ((int)state <= (int)WF_STATE_NONE || (int)state >= (int)WF_STATE_END)
        return NULL;
    return &state_table[state];
}

int wf_state_step(enum wf_state state)
{
    const struct state_info *info = state_info(state);
    return info ? info->step : 0;
}

enum role wf_state_holder_role(enum wf_state state)
{
    const struct state_info *info = state_info(state);
    return info ? info->holder : ROLE_NONE;
}

bool wf_state_paused(enum wf_state state)
{
    const struct state_info *info = state_info(state);
    return info && (info->clock == CLOCK_WAITS || info->clock == CLOCK_NOT_YET);
}

bool wf_state_closed(enum wf_state state)
{
    const struct state_info *info = state_info(state);
    return info && info->clock == CLOCK_OFF;
}

const char *wf_state_name(enum wf_state state)
{
    const struct state_info *info = state_info(state);
    return info ? info->name : NULL;
}

enum wf_state wf_state_parse(const char *name)
{
    if (!name)
        return WF_STATE_NONE;
    for (int s = WF_STATE_NONE + 1; s < WF_STATE_END; s++)
        if (strcmp(name, state_table[s].name) == 0)
            return (enum wf_state)s;
    return WF_STATE_NONE;
}

/* --- names ----------------------------------------------------------------- */

static const char *const event_names[WF_EV_END] = {
    [WF_EV_SUBMIT] = "submit",
    [WF_EV_DISPOSE] = "dispose",
    [WF_EV_RETURN] = "return",
    [WF_EV_SET_CHECKLIST_COMPLETE] = "set_checklist_complete",
    [WF_EV_SET_DRAFT_READY] = "set_draft_ready",
    [WF_EV_REQUEST_DOCUMENTS] = "request_documents",
    [WF_EV_FORWARD] = "forward",
    [WF_EV_DOCUMENTS_PROVIDED] = "documents_provided",
    [WF_EV_CONFIRM_FILES] = "confirm_files",
    [WF_EV_CONFIRM_DRAFT] = "confirm_draft",
    [WF_EV_ASK_SIGNATURE] = "ask_signature",
    [WF_EV_SIGN] = "sign",
    [WF_EV_UPLOAD_SIGNED] = "upload_signed",
    [WF_EV_SENT_TO_BSRE] = "sent_to_bsre",
    [WF_EV_BSRE_REPLY] = "bsre_reply",
    [WF_EV_REPORT_TO_KASI] = "report_to_kasi",
    [WF_EV_PROPOSE_SESSION] = "propose_session",
    [WF_EV_CONFIRM_SESSION] = "confirm_session",
    [WF_EV_DECLINE_SESSION] = "decline_session",
    [WF_EV_REPORT] = "report",
    [WF_EV_NO_SHOW] = "no_show",
    [WF_EV_RESCHEDULE_SESSION] = "reschedule_session",
    [WF_EV_CANCEL_SESSION] = "cancel_session",
    [WF_EV_REASSIGN] = "reassign",
    [WF_EV_UNDO] = "undo",
};

static bool event_kind_known(enum wf_event_kind kind)
{
    return (int)kind > (int)WF_EV_NONE && (int)kind < (int)WF_EV_END;
}

const char *wf_event_name(enum wf_event_kind kind)
{
    return event_kind_known(kind) ? event_names[kind] : NULL;
}

enum wf_event_kind wf_event_parse(const char *name)
{
    if (!name)
        return WF_EV_NONE;
    for (int k = WF_EV_NONE + 1; k < WF_EV_END; k++)
        if (strcmp(name, event_names[k]) == 0)
            return (enum wf_event_kind)k;
    return WF_EV_NONE;
}

static const char *const outcome_names[WF_BSRE_END] = {
    [WF_BSRE_NONE] = "none",
    [WF_BSRE_ACCEPTED] = "accepted",
    [WF_BSRE_INCOMPLETE] = "incomplete",
    [WF_BSRE_REJECTED] = "rejected",
};

static bool outcome_known(enum wf_bsre_outcome outcome)
{
    return (int)outcome >= (int)WF_BSRE_NONE && (int)outcome < (int)WF_BSRE_END;
}

const char *wf_bsre_outcome_name(enum wf_bsre_outcome outcome)
{
    return outcome_known(outcome) ? outcome_names[outcome] : NULL;
}

enum wf_bsre_outcome wf_bsre_outcome_parse(const char *name)
{
    if (!name)
        return WF_BSRE_NONE;
    for (int o = WF_BSRE_NONE; o < WF_BSRE_END; o++)
        if (strcmp(name, outcome_names[o]) == 0)
            return (enum wf_bsre_outcome)o;
    return WF_BSRE_NONE;
}

static const char *const milestone_names[WF_MS_END] = {
    [WF_MS_RECEIVED] = "received",
    [WF_MS_IN_PROCESS] = "in_process",
    [WF_MS_DOCUMENTS_REQUESTED] = "documents_requested",
    [WF_MS_SENT_TO_BSRE] = "sent_to_bsre",
    [WF_MS_BSRE_ANSWERED] = "bsre_answered",
    [WF_MS_SESSION_PROPOSED] = "session_proposed",
    [WF_MS_SESSION_AGREED] = "session_agreed",
    [WF_MS_SESSION_MOVED] = "session_moved",
    [WF_MS_SESSION_CANCELLED] = "session_cancelled",
    [WF_MS_DONE] = "done",
    [WF_MS_RETURNED] = "returned",
    [WF_MS_REJECTED] = "rejected",
};

const char *wf_milestone_name(enum wf_milestone milestone)
{
    if ((int)milestone <= (int)WF_MS_NONE || (int)milestone >= (int)WF_MS_END)
        return NULL;
    return milestone_names[milestone];
}

const char *wf_error_name(int error)
{
    switch (error) {
    case WF_OK: return "ok";
    case WF_ERR_STALE: return "stale";
    case WF_ERR_WRONG_STATE: return "wrong_state";
    case WF_ERR_NOT_ALLOWED: return "not_allowed";
    case WF_ERR_PRECONDITION: return "precondition";
    case WF_ERR_INVALID: return "invalid";
    default: return NULL;
    }
}

/* --- one move -------------------------------------------------------------- */

#define MAX_EXTRA 6

/* What a transition works on. `after` starts as a copy of the case; the
 * transition checks its own preconditions before changing it, and what it
 * adds to `extra` (news, FYIs) follows the effects every move derives from
 * the change of state (clocks, the holder's card). */
struct move {
    const struct wf_case *before;
    const struct wf_event *event;
    enum role acted_as;             /* the role the actor acts in */
    int64_t now_ms;
    struct wf_case *after;
    const char *missing;
    struct wf_effect extra[MAX_EXTRA];
    size_t extra_count;
};

static int missing(struct move *m, const char *what)
{
    m->missing = what;
    return WF_ERR_PRECONDITION;
}

/* Moving on forgets where the case was last sent back from: that is only
 * news for the one it was sent back to. */
static void go(struct move *m, enum wf_state to)
{
    m->after->state = to;
    m->after->returned_from_state = WF_STATE_NONE;
}

static void go_back(struct move *m, enum wf_state to)
{
    m->after->state = to;
    m->after->returned_from_state = m->before->state;
}

static struct wf_effect *add_extra(struct move *m, enum wf_effect_kind kind)
{
    assert(m->extra_count < MAX_EXTRA);
    struct wf_effect *fx = &m->extra[m->extra_count++];
    memset(fx, 0, sizeof *fx);
    fx->kind = kind;
    return fx;
}

/* Only the notes meant for the applicant (what is missing, why it was
 * returned) are passed on: a disposition's note is internal. */
static void tell_applicant(struct move *m, enum wf_milestone milestone, bool with_note,
                           enum wf_bsre_outcome outcome)
{
    struct wf_effect *fx = add_extra(m, WF_FX_NOTIFY_APPLICANT);
    fx->agency_id = m->after->agency_id;
    fx->milestone = milestone;
    fx->outcome = outcome;
    fx->note = with_note ? m->event->note : NULL;
}

static void tell_role(struct move *m, enum role role, int64_t user_id)
{
    struct wf_effect *fx = add_extra(m, WF_FX_NOTIFY_ROLE);
    fx->role = role;
    fx->user_id = user_id;
    fx->note = m->event->note;
}

/* --- the transitions, in the SOP's order ----------------------------------- */

static int dispose_to_kabid(struct move *m)
{
    go(m, WF_S2_DISPOSISI_KABID);
    tell_applicant(m, WF_MS_IN_PROCESS, false, WF_BSRE_NONE);
    return 0;
}

static int dispose_to_kasi(struct move *m)
{
    go(m, WF_S3_VERIFIKASI_KASI);
    return 0;
}

static int return_to_applicant(struct move *m)
{
    go_back(m, WF_CLOSED_DIKEMBALIKAN);
    tell_applicant(m, WF_MS_RETURNED, true, WF_BSRE_NONE);
    /* The Kadis dispositioned it to the Kabid and should know it went no further. */
    if (m->before->state == WF_S2_DISPOSISI_KABID)
        tell_role(m, ROLE_KADIS, 0);
    return 0;
}

static int set_checklist_complete(struct move *m)
{
    m->after->checklist_complete = true;
    return 0;
}

static int set_draft_ready(struct move *m)
{
    m->after->draft_ready = true;
    return 0;
}

static int request_documents(struct move *m)
{
    go(m, WF_S3_MENUNGGU_PEMOHON);
    tell_applicant(m, WF_MS_DOCUMENTS_REQUESTED, true, WF_BSRE_NONE);
    return 0;
}

/* The checklist and the draft are what the case lacks (case_lacks). */
static int forward_to_pelaksana(struct move *m)
{
    if (m->event->pelaksana_id == 0)
        return missing(m, "pelaksana");
    m->after->pelaksana_id = m->event->pelaksana_id;
    go(m, WF_S4_PERIKSA_PELAKSANA);
    return 0;
}

static int documents_provided(struct move *m)
{
    go(m, WF_S3_VERIFIKASI_KASI);
    return 0;
}

static int confirm_files(struct move *m)
{
    m->after->files_confirmed = true;
    return 0;
}

static int confirm_draft(struct move *m)
{
    m->after->draft_confirmed = true;
    return 0;
}

/* The files and the draft are confirmed first (case_lacks). */
static int ask_recommendation_signature(struct move *m)
{
    go(m, WF_S4_TTD_KADIS);
    return 0;
}

static int return_to_kasi(struct move *m)
{
    go_back(m, WF_S3_VERIFIKASI_KASI);
    return 0;
}

static int sign_recommendation(struct move *m)
{
    go(m, WF_S4_KIRIM_BSRE);
    return 0;
}

static int return_to_pelaksana(struct move *m)
{
    go_back(m, WF_S4_PERIKSA_PELAKSANA);
    return 0;
}

static int upload_signed(struct move *m)
{
    m->after->signed_letter_uploaded = true;
    return 0;
}

/* The signed letter is attached first (case_lacks). */
static int sent_to_bsre(struct move *m)
{
    go(m, WF_S5_MENUNGGU_BSRE);
    tell_applicant(m, WF_MS_SENT_TO_BSRE, false, WF_BSRE_NONE);
    return 0;
}

static int record_bsre_reply(struct move *m)
{
    if (m->event->bsre_outcome == WF_BSRE_NONE)
        return missing(m, "outcome");
    m->after->bsre_outcome = m->event->bsre_outcome;
    go(m, WF_S5_LAPOR_KASI);
    return 0;
}

static int report_to_kasi(struct move *m)
{
    switch (m->before->bsre_outcome) {
    case WF_BSRE_INCOMPLETE:
        /* Coordination with the applicant starts over (what survives it:
         * the table of returns). There is no letter in this loop, so the
         * applicant hears it now. */
        go_back(m, WF_S3_VERIFIKASI_KASI);
        tell_applicant(m, WF_MS_BSRE_ANSWERED, false, WF_BSRE_INCOMPLETE);
        return 0;
    case WF_BSRE_ACCEPTED:
    case WF_BSRE_REJECTED:
        go(m, WF_S6_SURAT_KASI);
        return 0;
    default:
        return missing(m, "outcome");
    }
}

static int ask_letter_signature(struct move *m)
{
    go(m, WF_S6_TTD_KADIS);
    return 0;
}

/* The applicant learns BSrE's answer from the signed notification letter
 * (step 6b), never before the Kadis has signed it. */
static int sign_letter(struct move *m)
{
    switch (m->before->bsre_outcome) {
    case WF_BSRE_REJECTED:
        go(m, WF_CLOSED_DITOLAK);
        tell_applicant(m, WF_MS_REJECTED, false, WF_BSRE_REJECTED);
        return 0;
    case WF_BSRE_NONE:
        return missing(m, "outcome");
    default:
        go(m, WF_S6_JADWAL);
        tell_applicant(m, WF_MS_BSRE_ANSWERED, false, m->before->bsre_outcome);
        return 0;
    }
}

static int return_letter(struct move *m)
{
    go_back(m, WF_S6_SURAT_KASI);
    return 0;
}

/* An offer is a choice: fewer than two slots leave the applicant none, more
 * than five make the Pelaksana's week a guess. */
static int propose_session(struct move *m)
{
    if (m->event->pelaksana_id == 0)
        return missing(m, "pelaksana");
    if (m->event->session_at_ms <= 0)
        return missing(m, "session_time");
    if (m->event->slot_count < WF_SLOTS_MIN || m->event->slot_count > WF_SLOTS_MAX)
        return missing(m, "slots");
    m->after->pelaksana_id = m->event->pelaksana_id;
    m->after->session_at_ms = m->event->session_at_ms;
    go(m, WF_S6_MENUNGGU_KONFIRMASI);
    tell_applicant(m, WF_MS_SESSION_PROPOSED, false, WF_BSRE_NONE);
    return 0;
}

/* The applicant's choice names the slot: its Pelaksana holds step 7. */
static int confirm_session(struct move *m)
{
    if (m->event->pelaksana_id == 0)
        return missing(m, "pelaksana");
    if (m->event->session_at_ms <= 0)
        return missing(m, "session_time");
    m->after->pelaksana_id = m->event->pelaksana_id;
    m->after->session_at_ms = m->event->session_at_ms;
    go(m, WF_S7_PENDAMPINGAN);
    tell_applicant(m, WF_MS_SESSION_AGREED, false, WF_BSRE_NONE);
    tell_role(m, ROLE_KASI, 0); /* the Kasi proposed it and ordered the Pelaksana */
    return 0;
}

/* A declined or missed session is void: the Kasi proposes a new time. The
 * Pelaksana stays assigned until then, as the likely one to propose again. */
static int decline_session(struct move *m)
{
    go_back(m, WF_S6_JADWAL);
    return 0;
}

static int report_done(struct move *m)
{
    go(m, WF_CLOSED_SELESAI);
    tell_applicant(m, WF_MS_DONE, false, WF_BSRE_NONE);
    /* Step 7d: the result is reported to the leadership. */
    tell_role(m, ROLE_KASI, 0);
    tell_role(m, ROLE_KABID, 0);
    tell_role(m, ROLE_KADIS, 0);
    return 0;
}

static int no_show(struct move *m)
{
    go_back(m, WF_S6_JADWAL);
    return 0;
}

static struct wf_effect *add_clock(struct move *m, enum wf_effect_kind kind, int64_t at_ms)
{
    struct wf_effect *fx = add_extra(m, kind);
    fx->step = 7;
    fx->at_ms = at_ms;
    return fx;
}

/* Whoever changed it knows; the others are told. The Kasi is told even when
 * a Kasi moved it (notices skip the actor, and a Plh may share the role),
 * but not of a cancel: the case comes back to them with its card. */
static void tell_session_change(struct move *m, enum wf_milestone milestone, bool tell_kasi)
{
    if (m->acted_as != ROLE_APPLICANT)
        tell_applicant(m, milestone, true, WF_BSRE_NONE);
    tell_role(m, ROLE_PELAKSANA, m->before->pelaksana_id);
    if (tell_kasi)
        tell_role(m, ROLE_KASI, 0);
}

/* Step 7 is timed from the session: a session moved later does not eat into
 * it, so the span from the old time to the new one is a pause. A session
 * moved earlier starts its clock late, which only favours the Pelaksana by
 * the difference; the core has no way to start a clock again. */
static int reschedule_session(struct move *m)
{
    int64_t old = m->before->session_at_ms, new_at = m->event->session_at_ms;
    if (new_at <= 0 || new_at == old)
        return missing(m, "session_time");
    m->after->session_at_ms = new_at;
    if (old > 0 && new_at > old) {
        add_clock(m, WF_FX_CLOCK_PAUSE, old);
        add_clock(m, WF_FX_CLOCK_RESUME, new_at);
    }
    tell_session_change(m, WF_MS_SESSION_MOVED, true);
    return 0;
}

/* Called off before it took place: the Kasi offers new times. */
static int cancel_session(struct move *m)
{
    go_back(m, WF_S6_JADWAL);
    tell_session_change(m, WF_MS_SESSION_CANCELLED, false);
    return 0;
}

static int reassign(struct move *m)
{
    int64_t old = m->before->pelaksana_id, new_id = m->event->pelaksana_id;
    if (new_id == 0)
        return missing(m, "pelaksana");
    m->after->pelaksana_id = new_id;
    if (wf_state_holder_role(m->before->state) == ROLE_PELAKSANA) {
        struct wf_effect *fx = add_extra(m, WF_FX_NOTIFY_HOLDER);
        fx->role = ROLE_PELAKSANA;
        fx->user_id = new_id;
        fx->note = m->event->note;
    } else {
        tell_role(m, ROLE_PELAKSANA, new_id); /* assigned, though not the holder now */
    }
    if (old != 0 && old != new_id)
        tell_role(m, ROLE_PELAKSANA, old);
    return 0;
}

/* --- the table ------------------------------------------------------------- */

/* One row per action the SOP allows in a state: who does it and whether a
 * note is required. Adding an action is adding a row; no switch grows.
 * `by` is the state's holder, except REASSIGN, the admin's repair, and the
 * changes to a confirmed session, which both sides of it may ask for. */
struct rule {
    enum wf_state state;
    enum wf_event_kind event;
    unsigned by;                    /* enum role bits: any of them may */
    bool needs_note;
    int (*apply)(struct move *m);
};

#define NOTE true

static const struct rule rules[] = {
    { WF_S1_DISPOSISI_KADIS, WF_EV_DISPOSE, ROLE_KADIS, false, dispose_to_kabid },
    { WF_S1_DISPOSISI_KADIS, WF_EV_RETURN, ROLE_KADIS, NOTE, return_to_applicant },

    { WF_S2_DISPOSISI_KABID, WF_EV_DISPOSE, ROLE_KABID, false, dispose_to_kasi },
    { WF_S2_DISPOSISI_KABID, WF_EV_RETURN, ROLE_KABID, NOTE, return_to_applicant },

    { WF_S3_VERIFIKASI_KASI, WF_EV_SET_CHECKLIST_COMPLETE, ROLE_KASI, false, set_checklist_complete },
    { WF_S3_VERIFIKASI_KASI, WF_EV_SET_DRAFT_READY, ROLE_KASI, false, set_draft_ready },
    { WF_S3_VERIFIKASI_KASI, WF_EV_REQUEST_DOCUMENTS, ROLE_KASI, NOTE, request_documents },
    { WF_S3_VERIFIKASI_KASI, WF_EV_FORWARD, ROLE_KASI, false, forward_to_pelaksana },

    { WF_S3_MENUNGGU_PEMOHON, WF_EV_DOCUMENTS_PROVIDED, ROLE_APPLICANT, false, documents_provided },

    { WF_S4_PERIKSA_PELAKSANA, WF_EV_CONFIRM_FILES, ROLE_PELAKSANA, false, confirm_files },
    { WF_S4_PERIKSA_PELAKSANA, WF_EV_CONFIRM_DRAFT, ROLE_PELAKSANA, false, confirm_draft },
    { WF_S4_PERIKSA_PELAKSANA, WF_EV_ASK_SIGNATURE, ROLE_PELAKSANA, false, ask_recommendation_signature },
    { WF_S4_PERIKSA_PELAKSANA, WF_EV_RETURN, ROLE_PELAKSANA, NOTE, return_to_kasi },
    { WF_S4_PERIKSA_PELAKSANA, WF_EV_REASSIGN, ROLE_ADMIN, false, reassign },

    { WF_S4_TTD_KADIS, WF_EV_SIGN, ROLE_KADIS, false, sign_recommendation },
    { WF_S4_TTD_KADIS, WF_EV_RETURN, ROLE_KADIS, NOTE, return_to_pelaksana },
    { WF_S4_TTD_KADIS, WF_EV_REASSIGN, ROLE_ADMIN, false, reassign },

    { WF_S4_KIRIM_BSRE, WF_EV_UPLOAD_SIGNED, ROLE_PELAKSANA, false, upload_signed },
    { WF_S4_KIRIM_BSRE, WF_EV_SENT_TO_BSRE, ROLE_PELAKSANA, false, sent_to_bsre },
    { WF_S4_KIRIM_BSRE, WF_EV_REASSIGN, ROLE_ADMIN, false, reassign },

    { WF_S5_MENUNGGU_BSRE, WF_EV_BSRE_REPLY, ROLE_PELAKSANA, false, record_bsre_reply },
    { WF_S5_MENUNGGU_BSRE, WF_EV_REASSIGN, ROLE_ADMIN, false, reassign },

    { WF_S5_LAPOR_KASI, WF_EV_REPORT_TO_KASI, ROLE_PELAKSANA, false, report_to_kasi },
    { WF_S5_LAPOR_KASI, WF_EV_REASSIGN, ROLE_ADMIN, false, reassign },

    { WF_S6_SURAT_KASI, WF_EV_ASK_SIGNATURE, ROLE_KASI, false, ask_letter_signature },

    { WF_S6_TTD_KADIS, WF_EV_SIGN, ROLE_KADIS, false, sign_letter },
    { WF_S6_TTD_KADIS, WF_EV_RETURN, ROLE_KADIS, NOTE, return_letter },

    { WF_S6_JADWAL, WF_EV_PROPOSE_SESSION, ROLE_KASI, false, propose_session },

    { WF_S6_MENUNGGU_KONFIRMASI, WF_EV_CONFIRM_SESSION, ROLE_APPLICANT, false, confirm_session },
    { WF_S6_MENUNGGU_KONFIRMASI, WF_EV_DECLINE_SESSION, ROLE_APPLICANT, NOTE, decline_session },
    { WF_S6_MENUNGGU_KONFIRMASI, WF_EV_REASSIGN, ROLE_ADMIN, false, reassign },

    { WF_S7_PENDAMPINGAN, WF_EV_REPORT, ROLE_PELAKSANA, false, report_done },
    { WF_S7_PENDAMPINGAN, WF_EV_NO_SHOW, ROLE_PELAKSANA, false, no_show },
    { WF_S7_PENDAMPINGAN, WF_EV_RESCHEDULE_SESSION, ROLE_KASI | ROLE_APPLICANT, NOTE,
      reschedule_session },
    { WF_S7_PENDAMPINGAN, WF_EV_CANCEL_SESSION, ROLE_KASI | ROLE_APPLICANT, NOTE,
      cancel_session },
    { WF_S7_PENDAMPINGAN, WF_EV_REASSIGN, ROLE_ADMIN, false, reassign },
};

#define RULE_COUNT (sizeof rules / sizeof rules[0])

/* --- what survives a return ------------------------------------------------ */

/* Every transition that goes back (to an earlier step, to the one who held
 * the case before, to the applicant) says here what of the work done so far
 * it voids; the rest survives it. A return voids what it calls into
 * question and no more: the Kasi's ticks judge the applicant's documents,
 * so only new documents void them; an affirmation ("the requirements are
 * complete", "the draft is ready", a check of step 4) is asked again of
 * whoever made it, since the return says something was wrong; the draft's
 * file, the letters signed, the dispositions and the assigned Pelaksana stay
 * on record. Keyed by the state reached too, because one event (the report
 * of BSrE's reply) goes back or forward by its outcome. */
struct survival {
    enum wf_state from;
    enum wf_event_kind event;
    enum wf_state to;
    unsigned voids;                  /* enum wf_work bits, whatever happened */
    unsigned voids_if_new_documents; /* more bits when event.documents_changed */
};

#define STEP3_AFFIRMED (WF_WORK_CHECKLIST_COMPLETE | WF_WORK_DRAFT_READY)
#define STEP4_CHECKED (WF_WORK_FILES_CONFIRMED | WF_WORK_DRAFT_CONFIRMED | WF_WORK_SIGNED_LETTER)

static const struct survival survivals[] = {
    /* Returned to the applicant at step 1 or 2: the request is closed and
     * kept as it was (the disposition with it). */
    { WF_S1_DISPOSISI_KADIS, WF_EV_RETURN, WF_CLOSED_DIKEMBALIKAN, 0, 0 },
    { WF_S2_DISPOSISI_KABID, WF_EV_RETURN, WF_CLOSED_DIKEMBALIKAN, 0, 0 },
    /* The Kasi asks for documents: "complete" no longer holds; the ticks
     * stay, the items marked missing are what is asked for. */
    { WF_S3_VERIFIKASI_KASI, WF_EV_REQUEST_DOCUMENTS, WF_S3_MENUNGGU_PEMOHON,
      WF_WORK_CHECKLIST_COMPLETE, 0 },
    /* The documents came: the items marked missing are judged again on them;
     * what the Kasi found present stays. */
    { WF_S3_MENUNGGU_PEMOHON, WF_EV_DOCUMENTS_PROVIDED, WF_S3_VERIFIKASI_KASI, 0,
      WF_WORK_CHECKS_MISSING },
    /* The Pelaksana, or BSrE's "incomplete", sends the case back to step 3:
     * steps 3 and 4 are affirmed again; the ticks survive unless the
     * applicant changed the documents since they were made. The next reply
     * of BSrE is a new one. */
    { WF_S4_PERIKSA_PELAKSANA, WF_EV_RETURN, WF_S3_VERIFIKASI_KASI,
      STEP3_AFFIRMED | STEP4_CHECKED, WF_WORK_CHECKS },
    { WF_S5_LAPOR_KASI, WF_EV_REPORT_TO_KASI, WF_S3_VERIFIKASI_KASI,
      STEP3_AFFIRMED | STEP4_CHECKED | WF_WORK_BSRE_OUTCOME, WF_WORK_CHECKS },
    /* The Kadis will not sign the recommendation: the fault is in the
     * letter, not in the files. */
    { WF_S4_TTD_KADIS, WF_EV_RETURN, WF_S4_PERIKSA_PELAKSANA, WF_WORK_DRAFT_CONFIRMED, 0 },
    /* The Kadis will not sign the notification: the Kasi rewrites it; BSrE's
     * answer stands. */
    { WF_S6_TTD_KADIS, WF_EV_RETURN, WF_S6_SURAT_KASI, 0, 0 },
    /* A declined, missed or cancelled session is void; the Pelaksana stays
     * assigned, as the likely one to propose again. */
    { WF_S6_MENUNGGU_KONFIRMASI, WF_EV_DECLINE_SESSION, WF_S6_JADWAL, WF_WORK_SESSION, 0 },
    { WF_S7_PENDAMPINGAN, WF_EV_NO_SHOW, WF_S6_JADWAL, WF_WORK_SESSION, 0 },
    { WF_S7_PENDAMPINGAN, WF_EV_CANCEL_SESSION, WF_S6_JADWAL, WF_WORK_SESSION, 0 },
};

#define SURVIVAL_COUNT (sizeof survivals / sizeof survivals[0])

/* The enum wf_work bits a transition from `from` to `to` by `event` voids. */
static unsigned return_voids(enum wf_state from, const struct wf_event *event, enum wf_state to)
{
    for (size_t i = 0; i < SURVIVAL_COUNT; i++) {
        const struct survival *s = &survivals[i];
        if (s->from == from && s->event == event->kind && s->to == to)
            return s->voids | (event->documents_changed ? s->voids_if_new_documents : 0);
    }
    return 0;
}

static void forget_work(struct wf_case *c, unsigned voids)
{
    if (voids & WF_WORK_CHECKLIST_COMPLETE)
        c->checklist_complete = false;
    if (voids & WF_WORK_DRAFT_READY)
        c->draft_ready = false;
    if (voids & WF_WORK_FILES_CONFIRMED)
        c->files_confirmed = false;
    if (voids & WF_WORK_DRAFT_CONFIRMED)
        c->draft_confirmed = false;
    if (voids & WF_WORK_SIGNED_LETTER)
        c->signed_letter_uploaded = false;
    if (voids & WF_WORK_BSRE_OUTCOME)
        c->bsre_outcome = WF_BSRE_NONE;
    if (voids & WF_WORK_SESSION)
        c->session_at_ms = 0;
}

static const struct rule *rule_for(enum wf_state state, enum wf_event_kind event)
{
    for (size_t i = 0; i < RULE_COUNT; i++)
        if (rules[i].state == state && rules[i].event == event)
            return &rules[i];
    return NULL;
}

size_t wf_state_events(enum wf_state state, enum wf_event_kind *kinds, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < RULE_COUNT; i++) {
        if (rules[i].state != state)
            continue;
        if (kinds && n < max)
            kinds[n] = rules[i].event;
        n++;
    }
    return n;
}

bool wf_event_needs_note(enum wf_state state, enum wf_event_kind kind)
{
    const struct rule *rule = rule_for(state, kind);
    return rule && rule->needs_note;
}

/* --- checks ---------------------------------------------------------------- */

/* What the case itself must have before `kind` may go ahead in its state,
 * whatever the event carries: the one list of such preconditions, read by
 * wf_may (so a card's button is refused before anyone is asked for words or
 * a choice) and so by wf_apply. What an event must carry (a note, a
 * Pelaksana, a time) is the transition's own check. NULL: nothing lacks. */
static const char *case_lacks(const struct wf_case *c, enum wf_event_kind kind)
{
    switch (kind) {
    case WF_EV_FORWARD:
        return !c->checklist_complete ? "checklist" : !c->draft_ready ? "draft" : NULL;
    case WF_EV_ASK_SIGNATURE:
        if (c->state != WF_S4_PERIKSA_PELAKSANA)
            return NULL;
        return !c->files_confirmed ? "files" : !c->draft_confirmed ? "draft" : NULL;
    case WF_EV_SENT_TO_BSRE:
        return c->signed_letter_uploaded ? NULL : "signed_letter";
    case WF_EV_REPORT_TO_KASI:
        return c->bsre_outcome == WF_BSRE_ACCEPTED || c->bsre_outcome == WF_BSRE_REJECTED ||
                       c->bsre_outcome == WF_BSRE_INCOMPLETE
                   ? NULL
                   : "outcome";
    case WF_EV_SIGN:
        /* A case that reached the letter without an outcome is not signed blind. */
        return c->state == WF_S6_TTD_KADIS && c->bsre_outcome == WF_BSRE_NONE ? "outcome" : NULL;
    default:
        return NULL;
    }
}

/* A blank note is no reason: the applicant or the previous holder must be
 * told something. */
static bool note_present(const char *note)
{
    if (!note)
        return false;
    for (; *note; note++)
        if (*note != ' ' && *note != '\t' && *note != '\n' && *note != '\r')
            return true;
    return false;
}

static bool event_well_formed(const struct wf_event *event)
{
    return event_kind_known(event->kind) && outcome_known(event->bsre_outcome) &&
           event->pelaksana_id >= 0 && event->session_at_ms >= 0 && event->slot_count >= 0 &&
           event->reply_at_ms >= 0;
}

/* True if `actor` may act as the one role `role` on `c`; held as Plh only
 * when `plh` (and only the official roles can be). */
static bool may_act_as(enum role role, const struct wf_case *c, const struct wf_actor *actor,
                       bool plh)
{
    if (role == ROLE_ADMIN)
        return !plh && (actor->roles & ROLE_ADMIN) != 0;
    if (role == ROLE_APPLICANT)
        return !plh && (actor->roles & ROLE_APPLICANT) && actor->agency_id != 0 &&
               actor->agency_id == c->agency_id;
    /* A Pelaksana state belongs to one person, not to every Pelaksana. */
    if (role == ROLE_PELAKSANA && (c->pelaksana_id == 0 || actor->user_id != c->pelaksana_id))
        return false;
    return plh ? (actor->plh_roles & ROLE_OFFICIAL & role) != 0 : (actor->roles & role) != 0;
}

/* True if `actor` may do what `rule` allows; says which role they used. A
 * role held directly wins over any held as Plh, so the audit only says "Plh"
 * when that is what made it possible. */
static bool authorized(const struct rule *rule, const struct wf_case *c,
                       const struct wf_actor *actor, enum role *acted_as, bool *via_plh)
{
    for (int plh = 0; plh < 2; plh++) {
        for (unsigned bit = 1; bit && bit <= rule->by; bit <<= 1) {
            if ((rule->by & bit) && may_act_as((enum role)bit, c, actor, plh)) {
                *acted_as = (enum role)bit;
                *via_plh = plh;
                return true;
            }
        }
    }
    *acted_as = ROLE_NONE;
    *via_plh = false;
    return false;
}

/* --- results --------------------------------------------------------------- */

static int refuse(struct wf_result *out, const struct wf_case *before, int error,
                  const char *what)
{
    memset(out, 0, sizeof *out);
    if (before)
        memcpy(&out->after, before, sizeof out->after); /* bytes, padding included */
    out->missing = what;
    return error;
}

static void push(struct wf_result *out, const struct wf_effect *fx)
{
    assert(out->effect_count < WF_MAX_EFFECTS);
    out->effects[out->effect_count++] = *fx;
}

static void push_clock(struct wf_result *out, enum wf_effect_kind kind, int step, int64_t at_ms)
{
    struct wf_effect fx = { .kind = kind, .step = step, .at_ms = at_ms };
    push(out, &fx);
}

static void push_holder(struct wf_result *out, const struct wf_case *c, const char *note)
{
    struct wf_effect fx = { .kind = WF_FX_NOTIFY_HOLDER, .state = c->state, .note = note };
    fx.role = wf_state_holder_role(c->state);
    if (fx.role == ROLE_PELAKSANA)
        fx.user_id = c->pelaksana_id;
    if (fx.role == ROLE_APPLICANT)
        fx.agency_id = c->agency_id;
    push(out, &fx);
}

/* Step 7 is timed from the session, not from the moment it was agreed. */
static int64_t clock_start_at(const struct wf_case *c, int step, int64_t now_ms)
{
    if (step == 7 && c->session_at_ms > now_ms)
        return c->session_at_ms;
    return now_ms;
}

/* The clock follows the state: a new step stops the old clock and starts its
 * own (going back to an earlier step too: it is new work, timed anew); inside
 * a step, only the waits on outsiders pause and resume it. */
static void emit_clocks(struct wf_result *out, enum wf_state from, const struct wf_case *after,
                        int64_t now_ms, int64_t reply_at_ms)
{
    const struct state_info *a = state_info(from), *b = state_info(after->state);
    if (from == after->state)
        return;
    if (a->step != b->step) {
        if (a->clock == CLOCK_RUNS || a->clock == CLOCK_WAITS)
            push_clock(out, WF_FX_CLOCK_STOP, a->step, now_ms);
        /* No step is entered in the middle of one of its own waits. */
        assert(b->clock != CLOCK_WAITS);
        if (b->clock == CLOCK_RUNS)
            push_clock(out, WF_FX_CLOCK_START, b->step, clock_start_at(after, b->step, now_ms));
    } else if (a->clock == CLOCK_NOT_YET && b->clock == CLOCK_RUNS) {
        /* Step 5 counts from the reply's arrival when the bot read it by
         * e-mail; never from the future. */
        bool arrived_earlier = reply_at_ms > 0 && reply_at_ms < now_ms;
        push_clock(out, WF_FX_CLOCK_START, b->step, arrived_earlier ? reply_at_ms : now_ms);
    } else if (a->clock == CLOCK_RUNS && b->clock == CLOCK_WAITS) {
        push_clock(out, WF_FX_CLOCK_PAUSE, b->step, now_ms);
    } else if (a->clock == CLOCK_WAITS && b->clock == CLOCK_RUNS) {
        push_clock(out, WF_FX_CLOCK_RESUME, b->step, now_ms);
    }
}

/* 0 is "do not check" in an event, so the version skips it when it wraps. */
static uint32_t next_version(uint32_t version)
{
    uint32_t next = version + 1u;
    return next ? next : 1u;
}

int wf_case_new(int64_t case_id, int64_t agency_id, int64_t now_ms, struct wf_result *out)
{
    if (!out)
        return WF_ERR_INVALID;
    memset(out, 0, sizeof *out);
    if (agency_id <= 0)
        return WF_ERR_INVALID;
    struct wf_case *c = &out->after;
    c->case_id = case_id;
    c->agency_id = agency_id;
    c->state = WF_S1_DISPOSISI_KADIS;
    c->version = 1;
    push_clock(out, WF_FX_CLOCK_START, 1, now_ms);
    push_holder(out, c, NULL);
    struct wf_effect news = { .kind = WF_FX_NOTIFY_APPLICANT, .agency_id = agency_id,
                              .state = c->state, .milestone = WF_MS_RECEIVED };
    push(out, &news);
    out->audit = (struct wf_audit){ .acted_as = ROLE_APPLICANT, .event = WF_EV_SUBMIT,
                                    .state_before = WF_STATE_NONE, .state_after = c->state,
                                    .at_ms = now_ms };
    return 0;
}

static int verdict(struct wf_verdict *out, int error, const char *missing, enum role acted_as,
                   bool via_plh)
{
    *out = (struct wf_verdict){ .error = error, .missing = missing, .acted_as = acted_as,
                                .via_plh = via_plh };
    return error;
}

int wf_may(const struct wf_case *c, enum wf_event_kind kind, uint32_t expected_version,
           const struct wf_actor *actor, struct wf_verdict *out)
{
    struct wf_verdict scratch;
    if (!out)
        out = &scratch;
    if (!c || !actor || !event_kind_known(kind) || !state_info(c->state))
        return verdict(out, WF_ERR_INVALID, NULL, ROLE_NONE, false);
    if (expected_version != 0 && expected_version != c->version)
        return verdict(out, WF_ERR_STALE, NULL, ROLE_NONE, false);
    const struct rule *rule = rule_for(c->state, kind);
    if (!rule)
        return verdict(out, WF_ERR_WRONG_STATE, NULL, ROLE_NONE, false);
    enum role acted_as;
    bool via_plh;
    if (!authorized(rule, c, actor, &acted_as, &via_plh))
        return verdict(out, WF_ERR_NOT_ALLOWED, NULL, ROLE_NONE, false);
    const char *lacks = case_lacks(c, kind);
    if (lacks)
        return verdict(out, WF_ERR_PRECONDITION, lacks, acted_as, via_plh);
    return verdict(out, WF_OK, NULL, acted_as, via_plh);
}

int wf_apply(const struct wf_case *before, const struct wf_event *event,
             const struct wf_actor *actor, int64_t now_ms, struct wf_result *out)
{
    if (!out)
        return WF_ERR_INVALID;
    if (!before)
        return refuse(out, NULL, WF_ERR_INVALID, NULL);
    /* Copied first: `before` may be out->after, which refuse() overwrites. */
    struct wf_case b;
    memcpy(&b, before, sizeof b);
    if (!event || !actor || !event_well_formed(event))
        return refuse(out, &b, WF_ERR_INVALID, NULL);
    /* The same question a card asks before it offers the action. */
    struct wf_verdict may;
    if (wf_may(&b, event->kind, event->expected_version, actor, &may) != WF_OK)
        return refuse(out, &b, may.error, may.missing);
    enum role acted_as = may.acted_as;
    bool via_plh = may.via_plh;
    const struct rule *rule = rule_for(b.state, event->kind);
    if (rule->needs_note && !note_present(event->note))
        return refuse(out, &b, WF_ERR_PRECONDITION, "note");

    struct wf_case after;
    memcpy(&after, &b, sizeof after);
    struct move m = { .before = &b, .event = event, .acted_as = acted_as, .now_ms = now_ms,
                      .after = &after };
    int rc = rule->apply(&m);
    if (rc != 0)
        return refuse(out, &b, rc, m.missing);
    after.version = next_version(b.version);
    unsigned voids = return_voids(b.state, event, after.state);
    forget_work(&after, voids);

    memset(out, 0, sizeof *out);
    memcpy(&out->after, &after, sizeof after);
    if (voids & WF_WORK_OUTSIDE) {
        struct wf_effect fx = { .kind = WF_FX_CLEAR_WORK, .state = after.state,
                                .work = voids & WF_WORK_OUTSIDE };
        push(out, &fx);
    }
    emit_clocks(out, b.state, &after, now_ms,
                event->kind == WF_EV_BSRE_REPLY ? event->reply_at_ms : 0);
    if (after.state != b.state && !wf_state_closed(after.state))
        push_holder(out, &after, event->note);
    for (size_t i = 0; i < m.extra_count; i++) {
        m.extra[i].state = after.state;
        push(out, &m.extra[i]);
    }
    out->audit = (struct wf_audit){ .actor_id = actor->user_id, .acted_as = acted_as,
                                    .via_plh = via_plh, .event = event->kind,
                                    .note = event->note, .state_before = b.state,
                                    .state_after = after.state, .at_ms = now_ms };
    return 0;
}

/* --- second thoughts ------------------------------------------------------- */

bool wf_event_confirms(enum wf_state state, enum wf_event_kind kind,
                       enum wf_bsre_outcome outcome)
{
    switch (kind) {
    case WF_EV_RETURN: /* only the returns that close the request */
        return state == WF_S1_DISPOSISI_KADIS || state == WF_S2_DISPOSISI_KABID;
    case WF_EV_SIGN:
        return state == WF_S4_TTD_KADIS || state == WF_S6_TTD_KADIS;
    case WF_EV_BSRE_REPLY:
        return state == WF_S5_MENUNGGU_BSRE && outcome == WF_BSRE_REJECTED;
    default:
        return false;
    }
}

bool wf_event_undoable(enum wf_state state, enum wf_event_kind kind,
                       enum wf_bsre_outcome outcome)
{
    /* The signed notification has reached the applicant (workflow.h). */
    if (kind == WF_EV_SIGN && state == WF_S6_TTD_KADIS)
        return false;
    return wf_event_confirms(state, kind, outcome);
}

const char *wf_undo_refusal_name(int refusal)
{
    switch (refusal) {
    case WF_UNDO_OK: return "ok";
    case WF_UNDO_INVALID: return "invalid";
    case WF_UNDO_NOT_ACTOR: return "not_actor";
    case WF_UNDO_MOVED_ON: return "moved_on";
    case WF_UNDO_LETTER_LEFT: return "letter_left";
    case WF_UNDO_TOO_LATE: return "too_late";
    default: return NULL;
    }
}

int wf_undo_record(const struct wf_case *before, const struct wf_event *event,
                   const struct wf_result *applied, int64_t now_ms, struct wf_undo *out)
{
    if (!out)
        return WF_UNDO_INVALID;
    memset(out, 0, sizeof *out);
    if (!before || !event || !applied || applied->after.case_id != before->case_id ||
        !wf_event_undoable(before->state, event->kind, event->bsre_outcome))
        return WF_UNDO_INVALID;
    out->actor_id = applied->audit.actor_id;
    out->event = event->kind;
    out->outcome = event->bsre_outcome;
    out->version_after = applied->after.version;
    out->deadline_ms = now_ms + WF_UNDO_WINDOW_MS;
    memcpy(&out->before, before, sizeof out->before);
    return WF_UNDO_OK;
}

/* The action as it was taken, replayed on the case as it was before, for
 * who it told and which clocks it moved; the note only has to be present. */
static int undo_replay(const struct wf_undo *u, const struct wf_actor *actor,
                       struct wf_result *replay)
{
    struct wf_event e = { .kind = u->event, .bsre_outcome = u->outcome, .note = "-" };
    return wf_apply(&u->before, &e, actor, u->deadline_ms - WF_UNDO_WINDOW_MS, replay);
}

int wf_undo_may(const struct wf_case *now, const struct wf_undo *u,
                const struct wf_actor *actor, int64_t now_ms)
{
    if (!now || !u || !actor || now->case_id != u->before.case_id || !state_info(now->state) ||
        !wf_event_undoable(u->before.state, u->event, u->outcome))
        return WF_UNDO_INVALID;
    if (actor->user_id != u->actor_id)
        return WF_UNDO_NOT_ACTOR;
    /* Still the one who may take the action (a Plh that ended may not). */
    struct wf_result replay;
    if (undo_replay(u, actor, &replay) != 0)
        return WF_UNDO_NOT_ACTOR;
    if (now->version != u->version_after || u->next_acted)
        return WF_UNDO_MOVED_ON;
    if (u->letter_left)
        return WF_UNDO_LETTER_LEFT;
    if (now_ms > u->deadline_ms)
        return WF_UNDO_TOO_LATE;
    return WF_UNDO_OK;
}

/* What the action's effect `fx` did, undone (nothing for what it did not). */
static void undo_effect(struct wf_result *out, const struct wf_effect *fx, enum wf_state state,
                        int64_t now_ms)
{
    struct wf_effect back = *fx;
    back.state = state;
    back.note = NULL;
    back.at_ms = now_ms;
    switch (fx->kind) {
    case WF_FX_CLOCK_START:
        back.kind = WF_FX_CLOCK_UNSTART;
        break;
    case WF_FX_CLOCK_STOP:
        back.kind = WF_FX_CLOCK_UNSTOP;
        break;
    case WF_FX_NOTIFY_APPLICANT:
        back.role = ROLE_APPLICANT;
        /* fall through */
    case WF_FX_NOTIFY_HOLDER:
    case WF_FX_NOTIFY_ROLE:
        back.kind = WF_FX_WITHDRAW;
        back.milestone = WF_MS_NONE;
        back.card = fx->kind == WF_FX_NOTIFY_HOLDER;
        break;
    default:
        /* None of the undoable actions pauses a clock or voids work. */
        assert(fx->kind == WF_FX_NONE);
        return;
    }
    push(out, &back);
}

int wf_undo_apply(const struct wf_case *now, const struct wf_undo *u,
                  const struct wf_actor *actor, int64_t now_ms, struct wf_result *out)
{
    if (!out)
        return WF_UNDO_INVALID;
    int refusal = wf_undo_may(now, u, actor, now_ms);
    if (refusal)
        return refuse(out, now, refusal, NULL);
    struct wf_result replay;
    if (undo_replay(u, actor, &replay) != 0) /* wf_undo_may asked the same */
        return refuse(out, now, WF_UNDO_INVALID, NULL);
    enum wf_state from = now->state;
    memset(out, 0, sizeof *out);
    memcpy(&out->after, &u->before, sizeof out->after);
    out->after.version = next_version(now->version);
    /* The clocks first, a void start before the stop it followed. */
    for (size_t i = replay.effect_count; i-- > 0;)
        if (replay.effects[i].kind == WF_FX_CLOCK_START ||
            replay.effects[i].kind == WF_FX_CLOCK_STOP)
            undo_effect(out, &replay.effects[i], from, now_ms);
    for (size_t i = 0; i < replay.effect_count; i++)
        if (replay.effects[i].kind != WF_FX_CLOCK_START &&
            replay.effects[i].kind != WF_FX_CLOCK_STOP)
            undo_effect(out, &replay.effects[i], from, now_ms);
    struct wf_effect card = { .kind = WF_FX_NOTIFY_HOLDER, .state = u->before.state,
                              .role = wf_state_holder_role(u->before.state),
                              .user_id = actor->user_id, .agency_id = u->before.agency_id };
    push(out, &card);
    out->audit = (struct wf_audit){ .actor_id = actor->user_id,
                                    .acted_as = replay.audit.acted_as,
                                    .via_plh = replay.audit.via_plh, .event = WF_EV_UNDO,
                                    .state_before = from, .state_after = u->before.state,
                                    .at_ms = now_ms };
    return WF_UNDO_OK;
}
