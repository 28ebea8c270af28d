/* aftercare: the two small flows beside the SOP, after a certificate is
 * issued, as one state machine.
 *
 * - Revocation (pencabutan): an applicant's operator (for a holder of their
 *   own agency) or an official reports that a holder moved (mutasi), retired
 *   (purna tugas) or died; the Kasi confirms it and names a Pelaksana, or
 *   returns it with a note; the Pelaksana records that BSrE revoked the
 *   certificate (after the bot's e-mail to BSrE when mail is configured),
 *   and the register row is revoked.
 * - Help (bantuan sertifikat): an operator asks help for a holder (forgotten
 *   passphrase, re-issue); the Kasi assigns a Pelaksana, or returns it; the
 *   Pelaksana's report closes it. It is timed against its own standard.
 *
 * Promises (the same contract as workflow.h, with a smaller table):
 * - Pure: no I/O, no globals, no allocation, no clock; now_ms comes in.
 * - This is the one place that decides who may do what in these flows:
 *   handlers turn a tap into an event and never judge it themselves.
 * - A refused event changes nothing: out->after is a copy of *before, there
 *   are no effects and the audit entry is zeroed.
 * - An accepted event bumps the version by one (skipping 0, "do not check"),
 *   so a card's buttons carry the version they were drawn for and an old
 *   card or a second tap is refused as stale.
 *
 * Errors: ac_apply and ac_request_new return 0 or one negative enum
 * ac_error, checked in this order (the first that fails is reported):
 *   1. AC_ERR_INVALID       malformed input (NULL, unknown kind, state, event
 *                           or reason, negative id or time): forged data;
 *   2. AC_ERR_STALE         expected_version != 0 and != the request's;
 *   3. AC_ERR_WRONG_STATE   the event is no action of the state (every event
 *                           on a closed request);
 *   4. AC_ERR_NOT_ALLOWED   the actor may not do it here;
 *   5. AC_ERR_PRECONDITION  the event lacks what it must carry (a note to
 *                           return, a Pelaksana to assign); out->missing
 *                           names it.
 *
 * Ownership: nothing is allocated; names are static strings; the note in
 * out->audit is the event's own pointer, borrowed. */
#ifndef SERTIBOT_AFTERCARE_H
#define SERTIBOT_AFTERCARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "roles.h"
#include "workflow.h" /* struct wf_actor: who sends an event, as the server knows */

enum ac_kind {
    AC_KIND_NONE = 0,
    AC_REVOKE,                  /* pencabutan sertifikat elektronik */
    AC_HELP,                    /* lupa passphrase / terbit ulang */
    AC_KIND_END
};
/* "revoke", "help"; NULL for anything else. */
const char *ac_kind_name(enum ac_kind kind);
enum ac_kind ac_kind_parse(const char *name);

/* Why: the reasons of a revocation and the needs of a help request. */
enum ac_reason {
    AC_REASON_NONE = 0,
    AC_REASON_MUTASI,           /* revoke: moved to another agency or post */
    AC_REASON_PENSIUN,          /* revoke: purna tugas */
    AC_REASON_MENINGGAL,        /* revoke: meninggal dunia */
    AC_REASON_LUPA_PASSPHRASE,  /* help */
    AC_REASON_TERBIT_ULANG,     /* help: re-issue */
    AC_REASON_END
};
/* "mutasi", "pensiun", "meninggal", "lupa_passphrase", "terbit_ulang";
 * NULL for anything else. */
const char *ac_reason_name(enum ac_reason reason);
enum ac_reason ac_reason_parse(const char *name);
/* True if `reason` belongs to requests of `kind`. */
bool ac_reason_fits(enum ac_kind kind, enum ac_reason reason);

enum ac_state {
    AC_STATE_NONE = 0,
    AC_S_KASI,                  /* the Kasi confirms (revoke) or assigns (help) */
    AC_S_PELAKSANA,             /* the named Pelaksana records it at BSrE / helps */
    AC_S_DONE,                  /* closed: revoked, or helped */
    AC_S_RETURNED,              /* closed: the Kasi returned it with a note */
    AC_STATE_END
};
/* "kasi", "pelaksana", "done", "returned"; NULL for anything else. */
const char *ac_state_name(enum ac_state state);
enum ac_state ac_state_parse(const char *name);
bool ac_state_closed(enum ac_state state);

enum ac_event_kind {
    AC_EV_NONE = 0,
    AC_EV_CONFIRM,              /* Kasi: confirmed, names pelaksana_id */
    AC_EV_RETURN,               /* Kasi: returned to the reporter, with a note */
    AC_EV_REASSIGN,             /* Kasi or admin: another Pelaksana takes it */
    AC_EV_DONE,                 /* the Pelaksana: revoked at BSrE / help given (note optional) */
    AC_EV_END
};
/* "confirm", "return", "reassign", "done"; NULL for anything else. */
const char *ac_event_name(enum ac_event_kind kind);
enum ac_event_kind ac_event_parse(const char *name);

struct ac_request {
    int64_t id;
    enum ac_kind kind;
    enum ac_state state;
    uint32_t version;           /* +1 on every accepted event; never 0 */
    int64_t agency_id;          /* the holder's agency */
    int64_t requested_by;       /* who reported or asked */
    int64_t pelaksana_id;       /* 0 until the Kasi names one */
};

struct ac_event {
    enum ac_event_kind kind;
    uint32_t expected_version;  /* 0: do not check */
    const char *note;           /* borrowed; RETURN needs one */
    int64_t pelaksana_id;       /* CONFIRM, REASSIGN: who does it (the handler checks
                                 * that they are an active Pelaksana) */
    /* CONFIRM of a revocation: the bot e-mails BSrE (mail is configured); the
     * handler queues the mail in the same transaction. */
    bool by_mail;
};

enum ac_error {
    AC_OK = 0,
    AC_ERR_INVALID = -1,
    AC_ERR_STALE = -2,
    AC_ERR_WRONG_STATE = -3,
    AC_ERR_NOT_ALLOWED = -4,
    AC_ERR_PRECONDITION = -5,
};

enum ac_effect_kind {
    AC_FX_NONE = 0,
    AC_FX_CARD_KASI,            /* the Kasi (or their Plh) gets the request's card */
    AC_FX_CARD_PELAKSANA,       /* user_id gets the card to record / report */
    AC_FX_TELL_REQUESTER,       /* user_id (who reported) hears the new state (+ note) */
    AC_FX_TELL_PELAKSANA,       /* user_id: the request was taken from them */
    AC_FX_MAIL_BSRE,            /* queue the revocation e-mail to BSrE now */
    AC_FX_REVOKE_CERT,          /* the register row is revoked (reason, date) */
    AC_FX_CLOCK_START,          /* help: the standard time counts from at_ms */
    AC_FX_CLOCK_STOP,           /* help: it stops at at_ms */
};

struct ac_effect {
    enum ac_effect_kind kind;
    int64_t user_id;
    int64_t at_ms;
};

#define AC_EFFECTS_MAX 6

/* The audit line: who did what as which role, from which state to which. */
struct ac_audit {
    int64_t actor_id;
    enum role acted_as;
    bool via_plh;
    enum ac_event_kind event;
    enum ac_state state_before, state_after;
    const char *note;
    int64_t at_ms;
};

struct ac_result {
    int error;
    const char *missing;        /* AC_ERR_PRECONDITION: "note", "pelaksana" */
    struct ac_request after;
    struct ac_effect effects[AC_EFFECTS_MAX];
    size_t effect_count;
    struct ac_audit audit;
};

/* A new request of `kind` for a holder of `agency_id`, by `actor`: a
 * revocation by an approved operator of that very agency or by an official
 * (Kadis, Kabid, Kasi, Pelaksana, held or as Plh); a help request by an
 * operator of that agency or by the Kasi. On 0 *out is the request in
 * AC_S_KASI, version 1, and out effects say: the Kasi's card, and for help
 * the clock's start. `out` may not be NULL. */
int ac_request_new(enum ac_kind kind, int64_t agency_id, const struct wf_actor *actor,
                   int64_t now_ms, struct ac_result *out);

/* The events that are actions of `state` for a request of `kind`, in order,
 * for drawing a card's buttons; at most `max`; returns how many there are. */
size_t ac_state_events(enum ac_kind kind, enum ac_state state, enum ac_event_kind *kinds,
                       size_t max);

/* Applies one event; see Errors above for the order of the checks.
 * Who may act: CONFIRM and RETURN the Kasi (held or as Plh); REASSIGN the
 * Kasi or an admin (held directly); DONE only the named Pelaksana.
 * `before` may point into `out`. */
int ac_apply(const struct ac_request *before, const struct ac_event *event,
             const struct wf_actor *actor, int64_t now_ms, struct ac_result *out);

#endif
