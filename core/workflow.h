/* workflow: the SOP "Fasilitasi Pendaftaran Sertifikat Elektronik" as a state
 * machine. Given a case, an event, who sends it and the time, wf_apply says
 * whether the SOP allows it and, if so, what the case becomes and what must
 * happen because of it (task cards, news for the applicant, step clocks).
 *
 * Promises:
 * - Pure: no I/O, no globals, no allocation, no clock. Time comes in as
 *   now_ms (milliseconds since the Unix epoch, business time from the app's
 *   clock). The same inputs always give the same result, so every rule is
 *   checked by tables of cases.
 * - This is the one place that decides who may do what: handlers turn a tap
 *   into an event and never judge it themselves. Admin alone grants nothing
 *   of an official's work; it only reassigns a Pelaksana.
 * - A refused event changes nothing: out->after is a byte-for-byte copy of
 *   *before, there are no effects and the audit entry is zeroed.
 * - An accepted event bumps the version by one (skipping 0, which means
 *   "do not check" in an event), so a card's buttons carry the version they
 *   were drawn for and a second tap or an old card is refused as stale.
 *
 * Errors: wf_apply and wf_case_new return 0 or one negative enum wf_error.
 * wf_apply checks in this order, and reports the first that fails:
 *   1. WF_ERR_INVALID       malformed input (NULL pointer, unknown event kind,
 *                           BSrE outcome or case state, negative id or time):
 *                           a forged or corrupt callback, not a person's slip;
 *   2. WF_ERR_STALE         expected_version != 0 and != the case's version:
 *                           the button belongs to an older card;
 *   3. WF_ERR_WRONG_STATE   the event is no action of the case's state (every
 *                           event on a closed case);
 *   4. WF_ERR_NOT_ALLOWED   the actor may not do it in this state;
 *   5. WF_ERR_PRECONDITION  a flag or choice is missing; out->missing names
 *                           it (see below).
 * Stale comes before the rest because an old card's tap says nothing about
 * the present state; "not allowed" comes before preconditions so a person
 * who may not act is never told what would be missing.
 *
 * Ownership: nothing is allocated. Every const char * handed out (names,
 * out->missing) is a static string. The note in out->audit and in effects is
 * the event's own pointer, borrowed: it is valid as long as the caller keeps
 * the event's note alive, so store or send it before freeing that. */
#ifndef SERTIBOT_WORKFLOW_H
#define SERTIBOT_WORKFLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "roles.h"

/* --- states ---------------------------------------------------------------- */
/* Values are stored by name (wf_state_name), never by number. 0 is no state,
 * so a zeroed case is recognised as not a case. */
enum wf_state {
    WF_STATE_NONE = 0,
    WF_S1_DISPOSISI_KADIS,      /* 1  Kadis dispositions the request */
    WF_S2_DISPOSISI_KABID,      /* 2  Kabid dispositions it to the Kasi */
    WF_S3_VERIFIKASI_KASI,      /* 3  Kasi: checklist, draft recommendation */
    WF_S3_MENUNGGU_PEMOHON,     /* 3  waiting for the applicant's missing documents */
    WF_S4_PERIKSA_PELAKSANA,    /* 4  Pelaksana confirms files and draft */
    WF_S4_TTD_KADIS,            /* 4  Kadis signs the recommendation */
    WF_S4_KIRIM_BSRE,           /* 4  Pelaksana uploads the signed letter, sends to BSrE */
    WF_S5_MENUNGGU_BSRE,        /* 5  waiting for BSrE's reply */
    WF_S5_LAPOR_KASI,           /* 5  Pelaksana reports the reply to the Kasi */
    WF_S6_SURAT_KASI,           /* 6  Kasi writes the notification letter */
    WF_S6_TTD_KADIS,            /* 6  Kadis signs the notification letter */
    WF_S6_JADWAL,               /* 6  Kasi proposes the assisted-login session */
    WF_S6_MENUNGGU_KONFIRMASI,  /* 6  waiting for the applicant to confirm it */
    WF_S7_PENDAMPINGAN,         /* 7  Pelaksana assists and reports */
    WF_CLOSED_SELESAI,          /* done */
    WF_CLOSED_DIKEMBALIKAN,     /* returned to the applicant at step 1 or 2 */
    WF_CLOSED_DITOLAK,          /* BSrE rejected; the applicant was told */
    WF_STATE_END                /* one past the last, for loops */
};

/* The SOP step 1..7 a state belongs to; 0 for a closed or unknown state. */
int wf_state_step(enum wf_state state);
/* The one role that must act next (ROLE_APPLICANT while we wait on the
 * applicant, ROLE_PELAKSANA for the assigned one while we wait on BSrE);
 * ROLE_NONE for a closed or unknown state. */
enum role wf_state_holder_role(enum wf_state state);
/* True while the step's clock is not counting because we wait on someone
 * outside the agency (the applicant, BSrE). */
bool wf_state_paused(enum wf_state state);
bool wf_state_closed(enum wf_state state);
/* "s1_disposisi_kadis" ...: the key in the database and in locale keys;
 * NULL for an unknown state. */
const char *wf_state_name(enum wf_state state);
/* The inverse of wf_state_name; WF_STATE_NONE for anything else (NULL too). */
enum wf_state wf_state_parse(const char *name);

/* --- events ---------------------------------------------------------------- */
enum wf_event_kind {
    WF_EV_NONE = 0,
    WF_EV_SUBMIT,                 /* the intake: only wf_case_new records it */
    WF_EV_DISPOSE,
    WF_EV_RETURN,
    WF_EV_SET_CHECKLIST_COMPLETE,
    WF_EV_SET_DRAFT_READY,
    WF_EV_REQUEST_DOCUMENTS,
    WF_EV_FORWARD,
    WF_EV_DOCUMENTS_PROVIDED,
    WF_EV_CONFIRM_FILES,
    WF_EV_CONFIRM_DRAFT,
    WF_EV_ASK_SIGNATURE,
    WF_EV_SIGN,
    WF_EV_UPLOAD_SIGNED,
    WF_EV_SENT_TO_BSRE,
    WF_EV_BSRE_REPLY,
    WF_EV_REPORT_TO_KASI,
    WF_EV_PROPOSE_SESSION,
    WF_EV_CONFIRM_SESSION,
    WF_EV_DECLINE_SESSION,
    WF_EV_REPORT,
    WF_EV_NO_SHOW,
    WF_EV_RESCHEDULE_SESSION,     /* a confirmed session moves; the case stays in step 7 */
    WF_EV_CANCEL_SESSION,         /* a confirmed session is called off: back to scheduling */
    WF_EV_REASSIGN,
    /* Withdraws the last irreversible action within its minute (wf_undo_apply
     * alone records it: no rule takes it, so wf_apply refuses it anywhere). */
    WF_EV_UNDO,
    WF_EV_END                     /* one past the last, for loops */
};

/* "dispose", "return", "set_checklist_complete", ...; NULL for an unknown kind. */
const char *wf_event_name(enum wf_event_kind kind);
/* The inverse of wf_event_name; WF_EV_NONE for anything else (NULL too). */
enum wf_event_kind wf_event_parse(const char *name);

/* The events that are actions of `state`, in the SOP's order, for drawing a
 * card's buttons that agree with wf_apply. Writes at most `max` kinds and
 * returns how many there are (0 for a closed state). Who may tap them is
 * still wf_apply's call. */
size_t wf_state_events(enum wf_state state, enum wf_event_kind *kinds, size_t max);
/* True if the event, in that state, must carry a note (the reason of a
 * return, the missing items, why a session is declined): ask for it before
 * sending the event. */
bool wf_event_needs_note(enum wf_state state, enum wf_event_kind kind);

enum wf_bsre_outcome {
    WF_BSRE_NONE = 0,
    WF_BSRE_ACCEPTED,
    WF_BSRE_INCOMPLETE,           /* back to coordination with the applicant */
    WF_BSRE_REJECTED,             /* the case closes once the letter is signed */
    WF_BSRE_END
};
/* "none", "accepted", "incomplete", "rejected"; NULL for an unknown value. */
const char *wf_bsre_outcome_name(enum wf_bsre_outcome outcome);
/* The inverse; WF_BSRE_NONE for "none" and for anything unknown, which is
 * the safe reading: a case without an outcome cannot leave step 5. */
enum wf_bsre_outcome wf_bsre_outcome_parse(const char *name);

/* How many slots one offer of session times holds (PROPOSE_SESSION). */
#define WF_SLOTS_MIN 2
#define WF_SLOTS_MAX 5

/* What a person asks for. Fields an event does not use are ignored (but a
 * negative id, time or count, or an unknown outcome, is still malformed). */
struct wf_event {
    enum wf_event_kind kind;
    uint32_t expected_version;     /* the version the card was drawn for; 0: do not check */
    const char *note;              /* may be NULL; borrowed, see Ownership */
    /* FORWARD, REASSIGN: who is assigned. PROPOSE_SESSION: the Pelaksana of
     * the first slot offered; CONFIRM_SESSION: of the slot chosen, who then
     * holds step 7. */
    int64_t pelaksana_id;
    enum wf_bsre_outcome bsre_outcome; /* BSRE_REPLY */
    /* PROPOSE_SESSION: the start of the first slot offered; CONFIRM_SESSION:
     * of the slot chosen; RESCHEDULE_SESSION: the new start. */
    int64_t session_at_ms;
    int slot_count;                /* PROPOSE_SESSION: slots offered, WF_SLOTS_MIN..MAX */
    /* BSRE_REPLY: when the reply arrived, if the bot read it by e-mail (ms);
     * step 5's clock starts then instead of now (a later time counts as now).
     * 0: the reply is recorded as it arrives. */
    int64_t reply_at_ms;
    /* The applicant sent documents after the Kasi's last tick of the
     * requirements checklist (the handler knows from the files' order): a
     * transition back to step 3 then voids the ticks judged on the old ones
     * (see "What survives a return" below). */
    bool documents_changed;
};

/* Who sends the event, as the server knows them (never as the chat claims).
 * plh_roles are the official roles held as an acting official (Plh), e.g. a
 * Kabid who is Plh Kadis: they count like roles, and the audit says so.
 * ROLE_APPLICANT and ROLE_ADMIN are never granted through plh_roles. */
struct wf_actor {
    int64_t user_id;               /* Telegram user id */
    unsigned roles;                /* enum role bits */
    unsigned plh_roles;            /* enum role bits */
    int64_t agency_id;             /* the applicant's agency; 0 for agency staff */
};

/* --- cases ----------------------------------------------------------------- */
struct wf_case {
    int64_t case_id;
    int64_t agency_id;             /* the applicant agency */
    enum wf_state state;
    uint32_t version;              /* +1 on every accepted event; never 0 */
    int64_t pelaksana_id;          /* user id of the assigned Pelaksana; 0 none */
    bool checklist_complete;       /* step 3: the requirements are complete */
    bool draft_ready;              /* step 3: the draft recommendation is written */
    bool files_confirmed;          /* step 4a */
    bool draft_confirmed;          /* step 4b */
    bool signed_letter_uploaded;   /* step 4d: the signed recommendation is attached */
    enum wf_bsre_outcome bsre_outcome;
    int64_t session_at_ms;         /* the assisted-login session; 0 none */
    /* The state the case was last sent back from while it waits where it was
     * sent back (a RETURN, an "incomplete" reply, a declined session, a
     * no-show), so the holder's card can say why it is back; WF_STATE_NONE
     * otherwise. Cleared when the case moves forward again. */
    enum wf_state returned_from_state;
};

/* --- effects --------------------------------------------------------------- */
enum wf_effect_kind {
    WF_FX_NONE = 0,
    /* The holder of the new state gets a task card: emitted whenever the
     * state changes to an open state, and when REASSIGN names the Pelaksana
     * of a state the Pelaksana holds (naming the same one again re-sends the
     * lost card). role = the holder role; user_id = the
     * Pelaksana when role is ROLE_PELAKSANA; agency_id when the holder is the
     * applicant. */
    WF_FX_NOTIFY_HOLDER,
    /* News for the applicant agency: milestone (+ note for DOCUMENTS_REQUESTED
     * and RETURNED, + outcome for BSRE_ANSWERED). When the applicant is also
     * the new holder, a NOTIFY_HOLDER follows for the same chat: the
     * milestone is the news, the card carries the buttons, and a handler may
     * send them as one message. */
    WF_FX_NOTIFY_APPLICANT,
    /* An FYI to a role (user_id set when one Pelaksana is meant); what
     * happened is the audit entry's event, state_after and note. */
    WF_FX_NOTIFY_ROLE,
    /* The step clock: the SOP's service standard is measured per step, in
     * office time, from START to STOP minus the paused spans. step says
     * which; at_ms is now, except that step 7 starts at the session time if
     * that is later. Sub-states of a step share its clock; entering another
     * step (forward or back) stops the old clock and starts the new one; the
     * waits on the applicant pause and resume it (and a session moved later
     * pauses step 7 from the old time to the new one). Step 4 stops when the
     * letter is sent and step 5 starts only when BSrE's reply is recorded:
     * the SOP does not count BSrE's time. */
    WF_FX_CLOCK_START,
    WF_FX_CLOCK_PAUSE,
    WF_FX_CLOCK_RESUME,
    WF_FX_CLOCK_STOP,               /* may stop a paused clock: the pause is not counted */
    /* Work kept outside the core is void: `work` holds the enum wf_work bits
     * the handler clears (WF_WORK_CHECKS, WF_WORK_CHECKS_MISSING); the bits
     * of the case's own flags are already cleared in out->after. Comes first
     * of all effects, so the holder's card is drawn without what it voids. */
    WF_FX_CLEAR_WORK,
    /* An undo (wf_undo_apply) only. CLOCK_UNSTART: the clock of `step` the
     * action started is void (it never ran). CLOCK_UNSTOP: the clock of `step`
     * the action stopped runs on as if never stopped. */
    WF_FX_CLOCK_UNSTART,
    WF_FX_CLOCK_UNSTOP,
    /* An undo only: whoever the action told (its new holder's card, the
     * applicant's news, an FYI: role, user_id, agency_id as in the effect
     * that told them; ROLE_APPLICANT for the applicant's news) is told it was
     * withdrawn; their card loses its buttons. */
    WF_FX_WITHDRAW
};

/* --- what survives a return ------------------------------------------------ */
/* The work a case carries from step to step. A transition that goes back
 * (to an earlier step, to the one who held the case before, to the
 * applicant) declares in the transition table which of these it voids; the
 * rest survives it. */
enum wf_work {
    WF_WORK_CHECKS = 1u << 0,             /* every tick of the Kasi's checklist (db) */
    WF_WORK_CHECKS_MISSING = 1u << 1,     /* only the items the Kasi marked missing (db) */
    WF_WORK_CHECKLIST_COMPLETE = 1u << 2, /* checklist_complete */
    WF_WORK_DRAFT_READY = 1u << 3,        /* draft_ready (the draft's file is kept) */
    WF_WORK_FILES_CONFIRMED = 1u << 4,    /* files_confirmed */
    WF_WORK_DRAFT_CONFIRMED = 1u << 5,    /* draft_confirmed */
    WF_WORK_SIGNED_LETTER = 1u << 6,      /* signed_letter_uploaded */
    WF_WORK_BSRE_OUTCOME = 1u << 7,       /* bsre_outcome */
    WF_WORK_SESSION = 1u << 8,            /* session_at_ms (the Pelaksana stays assigned) */
};
/* The bits of enum wf_work that live outside the core (WF_FX_CLEAR_WORK). */
#define WF_WORK_OUTSIDE (WF_WORK_CHECKS | WF_WORK_CHECKS_MISSING)

enum wf_milestone {
    WF_MS_NONE = 0,
    WF_MS_RECEIVED,                 /* wf_case_new */
    WF_MS_IN_PROCESS,               /* the Kadis's disposition */
    WF_MS_DOCUMENTS_REQUESTED,      /* note: the missing items */
    WF_MS_SENT_TO_BSRE,
    WF_MS_BSRE_ANSWERED,            /* outcome: accepted (letter signed) or incomplete */
    WF_MS_SESSION_PROPOSED,         /* the time is the case's session_at_ms */
    WF_MS_SESSION_AGREED,
    WF_MS_SESSION_MOVED,            /* note: the reason; the time is the new one */
    WF_MS_SESSION_CANCELLED,        /* note: the reason */
    WF_MS_DONE,
    WF_MS_RETURNED,                 /* note: the reason */
    WF_MS_REJECTED,                 /* BSrE rejected; the letter is signed */
    WF_MS_END
};
/* "received", "in_process", ...: for locale keys; NULL for an unknown value. */
const char *wf_milestone_name(enum wf_milestone milestone);

struct wf_effect {
    enum wf_effect_kind kind;
    enum role role;                 /* NOTIFY_HOLDER, NOTIFY_ROLE: the role addressed */
    int64_t user_id;                /* the one Pelaksana addressed; 0: the role */
    int64_t agency_id;              /* NOTIFY_APPLICANT, or a holder that is the applicant */
    enum wf_state state;            /* NOTIFY_*: the case's state after the event */
    enum wf_milestone milestone;    /* NOTIFY_APPLICANT */
    enum wf_bsre_outcome outcome;   /* NOTIFY_APPLICANT BSRE_ANSWERED */
    const char *note;               /* borrowed from the event; NULL when none */
    int step;                       /* CLOCK_*: the SOP step, 1..7 */
    int64_t at_ms;                  /* CLOCK_*: when; START: when counting begins */
    unsigned work;                  /* CLEAR_WORK: enum wf_work bits to clear */
    bool card;                      /* WITHDRAW: a task card is withdrawn (not news, an FYI) */
};

#define WF_MAX_EFFECTS 8

struct wf_audit {
    int64_t actor_id;
    enum role acted_as;             /* the role the actor used */
    bool via_plh;                   /* that role is held as Plh */
    enum wf_event_kind event;
    const char *note;               /* borrowed from the event; NULL when none */
    enum wf_state state_before;
    enum wf_state state_after;
    int64_t at_ms;
};

/* Effects come in this order: the work a return voids (CLEAR_WORK), clock
 * changes (a stop before a start), then the holder's card, then the
 * applicant's news, then FYIs; so a card drawn from a later effect can show
 * the deadline of a clock started by an earlier one, and none of the work
 * the return voided. */
struct wf_result {
    struct wf_case after;
    struct wf_effect effects[WF_MAX_EFFECTS];
    size_t effect_count;
    struct wf_audit audit;
    /* WF_ERR_PRECONDITION: what is missing, a locale key part: "note",
     * "checklist", "draft", "files", "pelaksana", "signed_letter", "outcome",
     * "session_time", "slots". NULL otherwise. */
    const char *missing;
};

enum wf_error {
    WF_OK = 0,
    WF_ERR_STALE = -1,
    WF_ERR_WRONG_STATE = -2,
    WF_ERR_NOT_ALLOWED = -3,
    WF_ERR_PRECONDITION = -4,
    WF_ERR_INVALID = -5,
};
/* "ok", "stale", "wrong_state", "not_allowed", "precondition", "invalid";
 * NULL for a code that is not one of these. */
const char *wf_error_name(int error);

/* The intake: a new case at step 1, version 1, with the effects of its
 * creation (the step-1 clock, RECEIVED for the applicant, the Kadis's card).
 * The audit's event is WF_EV_SUBMIT with actor_id 0: the intake knows who
 * submitted and fills it in. case_id is copied as given. WF_ERR_INVALID for
 * a NULL out or an agency_id <= 0. */
int wf_case_new(int64_t case_id, int64_t agency_id, int64_t now_ms, struct wf_result *out);

/* May `actor` take `kind` on case `c` now, and if not, why: the checks 1-5
 * of wf_apply above, without the event's own inputs. STALE when
 * expected_version is not 0 and not the case's; PRECONDITION (out->missing
 * set) only for what the case itself lacks (the checklist before a forward,
 * the signed letter before sending to BSrE...), never for what the event
 * would carry (a note, a Pelaksana, a time, BSrE's outcome). wf_apply asks
 * this very function first, so a button this allows is refused later only
 * for a missing note or choice. 0 (WF_OK) or the enum wf_error, also in
 * out->error; on 0 out->acted_as/via_plh say which role the actor would use.
 * `out` may be NULL. Pure, like wf_apply. */
struct wf_verdict {
    int error;                      /* WF_OK or an enum wf_error */
    const char *missing;            /* WF_ERR_PRECONDITION: what the case lacks */
    enum role acted_as;
    bool via_plh;
};
int wf_may(const struct wf_case *c, enum wf_event_kind kind, uint32_t expected_version,
           const struct wf_actor *actor, struct wf_verdict *out);

/* Applies one event; see the Errors above for the order of the checks.
 * `before` may point into `out` (it is copied first). On 0, out->after is the
 * new case and out->effects/out->audit say what follows; otherwise out says
 * nothing changed, and out->missing is set for WF_ERR_PRECONDITION.
 *
 * Who may act: the holder role of the state, held directly or as Plh (then
 * the audit records acted_as = that role and via_plh); in a Pelaksana state
 * only the assigned Pelaksana (user_id == case.pelaksana_id); the applicant's
 * events need ROLE_APPLICANT and the case's agency_id; REASSIGN needs
 * ROLE_ADMIN held directly. A confirmed session (step 7) may be moved or
 * called off by the Kasi or by the applicant, not only by its holder.
 *
 * The sessions (pendampingan):
 * - PROPOSE_SESSION sends an offer of event.slot_count slots (the slots
 *   themselves live outside the core); the case carries the first one's
 *   Pelaksana and time until the applicant chooses.
 * - CONFIRM_SESSION is the applicant's choice: the chosen slot's Pelaksana
 *   and time become the case's, and that Pelaksana holds step 7.
 * - RESCHEDULE_SESSION (a note: why) moves the session to a new time and
 *   stays in step 7. Step 7 is timed from the session, so when the session
 *   moves later the span between the old and the new time is not counted: a
 *   CLOCK_PAUSE at the old time and a CLOCK_RESUME at the new one. The
 *   others are told (the Pelaksana, the Kasi, and the applicant unless it was
 *   the applicant who moved it).
 * - CANCEL_SESSION (a note: why) and NO_SHOW send the case back to the Kasi
 *   to schedule again.
 *
 * Choices the core cannot check, because it knows only the actor: that a
 * chosen pelaksana_id is an active Pelaksana, and that a session time is in
 * office hours and in the future. The handler checks those first. */
int wf_apply(const struct wf_case *before, const struct wf_event *event,
             const struct wf_actor *actor, int64_t now_ms, struct wf_result *out);

/* --- second thoughts: a confirming tap, and an undo ------------------------ */
/* An irreversible action (a return that closes the request, the Kadis's
 * signature, BSrE's rejection recorded) is taken on a second tap, and may be
 * withdrawn by the one who took it within WF_UNDO_WINDOW_MS, as long as
 * nobody acted on the case after it.
 *
 * The signature of the notification letter (step 6) is confirmed but cannot
 * be undone: the signed letter goes to the applicant agency with its
 * milestone in the same transaction, and a letter that has reached its
 * addressee is withdrawn by another letter, not by a button. */
#define WF_UNDO_WINDOW_MS 60000

/* True if `kind` in `state` (with BSrE's `outcome` for BSRE_REPLY) asks for
 * a second tap before it is applied. */
bool wf_event_confirms(enum wf_state state, enum wf_event_kind kind,
                       enum wf_bsre_outcome outcome);
/* True if it may also be undone within the window (see above). */
bool wf_event_undoable(enum wf_state state, enum wf_event_kind kind,
                       enum wf_bsre_outcome outcome);

/* What an undo needs, recorded when the action is applied (wf_undo_record)
 * and kept by the handler until the window closes. The two facts are the
 * handler's, asked again at the moment of the undo: what the case's version
 * cannot show. */
struct wf_undo {
    int64_t actor_id;              /* who took the action: only they may undo it */
    enum wf_event_kind event;
    enum wf_bsre_outcome outcome;  /* BSRE_REPLY */
    uint32_t version_after;        /* the case's version the action made */
    int64_t deadline_ms;           /* the action's time + WF_UNDO_WINDOW_MS */
    struct wf_case before;         /* the case as it was before the action */
    /* The next person acted outside the case (the applicant submitted the
     * returned request again). */
    bool next_acted;
    /* The signed letter is on its way out of the office (queued or sent to
     * BSrE by e-mail). */
    bool letter_left;
};

enum wf_undo_refusal {
    WF_UNDO_OK = 0,
    WF_UNDO_INVALID = -1,     /* NULL, another case, an action that takes no undo */
    WF_UNDO_NOT_ACTOR = -2,   /* somebody else, or the actor lost the role they acted in */
    WF_UNDO_MOVED_ON = -3,    /* the case's version moved, or next_acted */
    WF_UNDO_LETTER_LEFT = -4, /* letter_left */
    WF_UNDO_TOO_LATE = -5,    /* now_ms > deadline_ms */
};
/* "ok", "invalid", "not_actor", "moved_on", "letter_left", "too_late";
 * NULL for anything else. */
const char *wf_undo_refusal_name(int refusal);

/* Fills *out from an action just accepted: `before` is the case before it,
 * `event` the event, `applied` wf_apply's result, `now_ms` its time.
 * WF_UNDO_INVALID (out zeroed) if the action takes no undo. */
int wf_undo_record(const struct wf_case *before, const struct wf_event *event,
                   const struct wf_result *applied, int64_t now_ms, struct wf_undo *out);

/* May `actor` undo `u` on the case as it is now (`now`)? Checked in this
 * order, the first that fails reported: INVALID, NOT_ACTOR (somebody else
 * learns nothing more), MOVED_ON, LETTER_LEFT, TOO_LATE. The window is
 * closed at deadline_ms + 1: a press at the deadline itself is in time. */
int wf_undo_may(const struct wf_case *now, const struct wf_undo *u,
                const struct wf_actor *actor, int64_t now_ms);

/* The undo itself: on 0, out->after is u->before with the next version of
 * `now` (so every card drawn since is stale), and the effects say what
 * follows, in this order: the clocks (CLOCK_UNSTART of what the action
 * started, CLOCK_UNSTOP of what it stopped), a WITHDRAW to each one the
 * action told (its card, news and FYIs, as its effects addressed them), and
 * a NOTIFY_HOLDER to the actor: their card again, with live buttons. The
 * audit's event is WF_EV_UNDO, from `now`'s state to the restored one. On a
 * refusal, out says nothing changed, as wf_apply's does. */
int wf_undo_apply(const struct wf_case *now, const struct wf_undo *u,
                  const struct wf_actor *actor, int64_t now_ms, struct wf_result *out);

#endif
