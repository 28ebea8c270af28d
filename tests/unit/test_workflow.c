/* The SOP's state machine: who may do what in which state, what follows from
 * it, and that a refusal changes nothing. Every expectation here is written
 * out by hand from the SOP (../shared/seed/SOP.md), never derived from
 * workflow.c's own tables, so a wrong row there cannot agree with itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <string.h>

#include "workflow.h"

#define AGENCY 7
#define OTHER_AGENCY 8
#define KADIS_ID 101
#define KABID_ID 102
#define KASI_ID 103
#define PEL_ID INT64_C(4000000000104) /* Telegram ids go beyond 32 bits */
#define OTHER_PEL_ID 105
#define NEW_PEL_ID 106
#define APPLICANT_ID 201
#define OTHER_APPLICANT_ID 202
#define ADMIN_ID 301
#define NOBODY_ID 401

#define MINUTE INT64_C(60000)
#define DAY (1440 * MINUTE)
#define T0 INT64_C(1767600000000) /* a Monday morning in January 2026 */

/* --- the people ------------------------------------------------------------- */

enum who {
    KADIS,
    KABID,
    KASI,
    PEL,       /* the Pelaksana assigned to the case */
    OTHER_PEL, /* a Pelaksana, but not this case's */
    APP,       /* the applicant agency's operator */
    OTHER_APP, /* another agency's operator */
    ADMIN,
    NOBODY,
    PLH_KADIS, /* the Kabid, acting for the absent Kadis */
    WHO_COUNT
};

static const char *const who_names[WHO_COUNT] = {
    "kadis", "kabid", "kasi", "pelaksana", "other pelaksana", "applicant",
    "other applicant", "admin", "nobody", "kabid as plh kadis",
};

static struct wf_actor actor(enum who who)
{
    struct wf_actor a;
    memset(&a, 0, sizeof a);
    switch (who) {
    case KADIS: a.user_id = KADIS_ID; a.roles = ROLE_KADIS; break;
    case KABID: a.user_id = KABID_ID; a.roles = ROLE_KABID; break;
    case KASI: a.user_id = KASI_ID; a.roles = ROLE_KASI; break;
    case PEL: a.user_id = PEL_ID; a.roles = ROLE_PELAKSANA; break;
    case OTHER_PEL: a.user_id = OTHER_PEL_ID; a.roles = ROLE_PELAKSANA; break;
    case APP: a.user_id = APPLICANT_ID; a.roles = ROLE_APPLICANT; a.agency_id = AGENCY; break;
    case OTHER_APP:
        a.user_id = OTHER_APPLICANT_ID;
        a.roles = ROLE_APPLICANT;
        a.agency_id = OTHER_AGENCY;
        break;
    case ADMIN: a.user_id = ADMIN_ID; a.roles = ROLE_ADMIN; break;
    case NOBODY: a.user_id = NOBODY_ID; break;
    case PLH_KADIS:
        a.user_id = KABID_ID;
        a.roles = ROLE_KABID;
        a.plh_roles = ROLE_KADIS;
        break;
    case WHO_COUNT: break;
    }
    return a;
}

/* --- fixtures --------------------------------------------------------------- */

/* A case in `state` with every precondition of every action already met:
 * flags set, a Pelaksana assigned, BSrE's answer recorded, a session set. */
static void ready_case(struct wf_case *c, enum wf_state state)
{
    memset(c, 0, sizeof *c); /* padding too: refusals are compared byte for byte */
    c->case_id = 42;
    c->agency_id = AGENCY;
    c->state = state;
    c->version = 7;
    c->pelaksana_id = PEL_ID;
    c->checklist_complete = true;
    c->draft_ready = true;
    c->files_confirmed = true;
    c->draft_confirmed = true;
    c->signed_letter_uploaded = true;
    c->bsre_outcome = WF_BSRE_ACCEPTED;
    c->session_at_ms = T0 + 2 * DAY;
}

static const char NOTE_TEXT[] = "surat permohonan belum bercap";

/* An event carrying every choice an action may need. */
static struct wf_event ready_event(enum wf_event_kind kind)
{
    struct wf_event e;
    memset(&e, 0, sizeof e);
    e.kind = kind;
    e.expected_version = 7;
    e.note = NOTE_TEXT;
    e.pelaksana_id = NEW_PEL_ID;
    e.bsre_outcome = WF_BSRE_ACCEPTED;
    e.session_at_ms = T0 + 3 * DAY;
    e.slot_count = 2;
    return e;
}

static struct wf_event plain_event(enum wf_event_kind kind)
{
    struct wf_event e;
    memset(&e, 0, sizeof e);
    e.kind = kind;
    return e;
}

/* Fills `out` with garbage first, so a result that is not written fully shows. */
static int apply(const struct wf_case *c, const struct wf_event *e, enum who who, int64_t now,
                 struct wf_result *out)
{
    struct wf_actor a = actor(who);
    memset(out, 0xA5, sizeof *out);
    return wf_apply(c, e, &a, now, out);
}

/* Applies and requires success; the case moves on to the result. */
static void apply_ok(struct wf_case *c, struct wf_event e, enum who who, int64_t now,
                     struct wf_result *out)
{
    e.expected_version = c->version;
    int rc = apply(c, &e, who, now, out);
    if (rc != 0)
        fail_msg("%s in %s by %s: %s (missing %s)", wf_event_name(e.kind),
                 wf_state_name(c->state), who_names[who], wf_error_name(rc),
                 rc == WF_ERR_PRECONDITION && out->missing ? out->missing : "-");
    assert_int_equal(out->after.version, c->version + 1);
    memcpy(c, &out->after, sizeof *c);
}

static void assert_unchanged(const struct wf_case *before, const struct wf_result *out)
{
    assert_memory_equal(&out->after, before, sizeof *before);
    assert_int_equal(out->effect_count, 0);
    assert_int_equal(out->audit.event, WF_EV_NONE);
    assert_int_equal(out->audit.state_before, WF_STATE_NONE);
    assert_null(out->audit.note);
}

static void assert_refused(const struct wf_case *c, const struct wf_event *e, enum who who,
                           int error, const char *missing)
{
    struct wf_result out;
    int rc = apply(c, e, who, T0, &out);
    if (rc != error)
        fail_msg("%s in %s by %s: got %s, want %s", wf_event_name(e->kind),
                 wf_state_name(c->state), who_names[who], wf_error_name(rc),
                 wf_error_name(error));
    assert_unchanged(c, &out);
    if (missing)
        assert_string_equal(out.missing, missing);
    else
        assert_null(out.missing);
}

static size_t fx_count(const struct wf_result *r, enum wf_effect_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < r->effect_count; i++)
        n += r->effects[i].kind == kind;
    return n;
}

static const struct wf_effect *fx_first(const struct wf_result *r, enum wf_effect_kind kind)
{
    for (size_t i = 0; i < r->effect_count; i++)
        if (r->effects[i].kind == kind)
            return &r->effects[i];
    return NULL;
}

static size_t fx_index(const struct wf_result *r, const struct wf_effect *fx)
{
    return (size_t)(fx - r->effects);
}

static bool has_clock(const struct wf_result *r, enum wf_effect_kind kind, int step, int64_t at)
{
    for (size_t i = 0; i < r->effect_count; i++)
        if (r->effects[i].kind == kind && r->effects[i].step == step && r->effects[i].at_ms == at)
            return true;
    return false;
}

static size_t clock_count(const struct wf_result *r)
{
    return fx_count(r, WF_FX_CLOCK_START) + fx_count(r, WF_FX_CLOCK_STOP) +
           fx_count(r, WF_FX_CLOCK_PAUSE) + fx_count(r, WF_FX_CLOCK_RESUME);
}

static bool told_role(const struct wf_result *r, enum role role, int64_t user_id)
{
    for (size_t i = 0; i < r->effect_count; i++)
        if (r->effects[i].kind == WF_FX_NOTIFY_ROLE && r->effects[i].role == role &&
            r->effects[i].user_id == user_id)
            return true;
    return false;
}

/* The applicant's news in this result, or WF_MS_NONE; at most one per event. */
static enum wf_milestone milestone_of(const struct wf_result *r)
{
    assert_true(fx_count(r, WF_FX_NOTIFY_APPLICANT) <= 1);
    const struct wf_effect *fx = fx_first(r, WF_FX_NOTIFY_APPLICANT);
    if (!fx)
        return WF_MS_NONE;
    assert_int_equal(fx->agency_id, AGENCY);
    return fx->milestone;
}

/* --- the table: every state x event x person -------------------------------- */

#define W(who) (1u << (who))

struct allowed {
    enum wf_state state;
    enum wf_event_kind event;
    unsigned who;          /* W() bits of the people who may */
    enum wf_state next;
};

/* The SOP, action by action. Anything not here is refused: WF_ERR_NOT_ALLOWED
 * when the (state, event) pair is here for somebody else, WF_ERR_WRONG_STATE
 * when it is not here at all. */
static const struct allowed allowed[] = {
    { WF_S1_DISPOSISI_KADIS, WF_EV_DISPOSE, W(KADIS) | W(PLH_KADIS), WF_S2_DISPOSISI_KABID },
    { WF_S1_DISPOSISI_KADIS, WF_EV_RETURN, W(KADIS) | W(PLH_KADIS), WF_CLOSED_DIKEMBALIKAN },
    { WF_S2_DISPOSISI_KABID, WF_EV_DISPOSE, W(KABID) | W(PLH_KADIS), WF_S3_VERIFIKASI_KASI },
    { WF_S2_DISPOSISI_KABID, WF_EV_RETURN, W(KABID) | W(PLH_KADIS), WF_CLOSED_DIKEMBALIKAN },
    { WF_S3_VERIFIKASI_KASI, WF_EV_SET_CHECKLIST_COMPLETE, W(KASI), WF_S3_VERIFIKASI_KASI },
    { WF_S3_VERIFIKASI_KASI, WF_EV_SET_DRAFT_READY, W(KASI), WF_S3_VERIFIKASI_KASI },
    { WF_S3_VERIFIKASI_KASI, WF_EV_REQUEST_DOCUMENTS, W(KASI), WF_S3_MENUNGGU_PEMOHON },
    { WF_S3_VERIFIKASI_KASI, WF_EV_FORWARD, W(KASI), WF_S4_PERIKSA_PELAKSANA },
    { WF_S3_MENUNGGU_PEMOHON, WF_EV_DOCUMENTS_PROVIDED, W(APP), WF_S3_VERIFIKASI_KASI },
    { WF_S4_PERIKSA_PELAKSANA, WF_EV_CONFIRM_FILES, W(PEL), WF_S4_PERIKSA_PELAKSANA },
    { WF_S4_PERIKSA_PELAKSANA, WF_EV_CONFIRM_DRAFT, W(PEL), WF_S4_PERIKSA_PELAKSANA },
    { WF_S4_PERIKSA_PELAKSANA, WF_EV_ASK_SIGNATURE, W(PEL), WF_S4_TTD_KADIS },
    { WF_S4_PERIKSA_PELAKSANA, WF_EV_RETURN, W(PEL), WF_S3_VERIFIKASI_KASI },
    { WF_S4_PERIKSA_PELAKSANA, WF_EV_REASSIGN, W(ADMIN), WF_S4_PERIKSA_PELAKSANA },
    { WF_S4_TTD_KADIS, WF_EV_SIGN, W(KADIS) | W(PLH_KADIS), WF_S4_KIRIM_BSRE },
    { WF_S4_TTD_KADIS, WF_EV_RETURN, W(KADIS) | W(PLH_KADIS), WF_S4_PERIKSA_PELAKSANA },
    { WF_S4_TTD_KADIS, WF_EV_REASSIGN, W(ADMIN), WF_S4_TTD_KADIS },
    { WF_S4_KIRIM_BSRE, WF_EV_UPLOAD_SIGNED, W(PEL), WF_S4_KIRIM_BSRE },
    { WF_S4_KIRIM_BSRE, WF_EV_SENT_TO_BSRE, W(PEL), WF_S5_MENUNGGU_BSRE },
    { WF_S4_KIRIM_BSRE, WF_EV_REASSIGN, W(ADMIN), WF_S4_KIRIM_BSRE },
    { WF_S5_MENUNGGU_BSRE, WF_EV_BSRE_REPLY, W(PEL), WF_S5_LAPOR_KASI },
    { WF_S5_MENUNGGU_BSRE, WF_EV_REASSIGN, W(ADMIN), WF_S5_MENUNGGU_BSRE },
    { WF_S5_LAPOR_KASI, WF_EV_REPORT_TO_KASI, W(PEL), WF_S6_SURAT_KASI },
    { WF_S5_LAPOR_KASI, WF_EV_REASSIGN, W(ADMIN), WF_S5_LAPOR_KASI },
    { WF_S6_SURAT_KASI, WF_EV_ASK_SIGNATURE, W(KASI), WF_S6_TTD_KADIS },
    { WF_S6_TTD_KADIS, WF_EV_SIGN, W(KADIS) | W(PLH_KADIS), WF_S6_JADWAL },
    { WF_S6_TTD_KADIS, WF_EV_RETURN, W(KADIS) | W(PLH_KADIS), WF_S6_SURAT_KASI },
    { WF_S6_JADWAL, WF_EV_PROPOSE_SESSION, W(KASI), WF_S6_MENUNGGU_KONFIRMASI },
    { WF_S6_MENUNGGU_KONFIRMASI, WF_EV_CONFIRM_SESSION, W(APP), WF_S7_PENDAMPINGAN },
    { WF_S6_MENUNGGU_KONFIRMASI, WF_EV_DECLINE_SESSION, W(APP), WF_S6_JADWAL },
    { WF_S6_MENUNGGU_KONFIRMASI, WF_EV_REASSIGN, W(ADMIN), WF_S6_MENUNGGU_KONFIRMASI },
    { WF_S7_PENDAMPINGAN, WF_EV_REPORT, W(PEL), WF_CLOSED_SELESAI },
    { WF_S7_PENDAMPINGAN, WF_EV_NO_SHOW, W(PEL), WF_S6_JADWAL },
    /* Both sides of a confirmed session may move it or call it off. */
    { WF_S7_PENDAMPINGAN, WF_EV_RESCHEDULE_SESSION, W(KASI) | W(APP), WF_S7_PENDAMPINGAN },
    { WF_S7_PENDAMPINGAN, WF_EV_CANCEL_SESSION, W(KASI) | W(APP), WF_S6_JADWAL },
    { WF_S7_PENDAMPINGAN, WF_EV_REASSIGN, W(ADMIN), WF_S7_PENDAMPINGAN },
};

#define ALLOWED_COUNT (sizeof allowed / sizeof allowed[0])

static const struct allowed *allowed_row(enum wf_state state, enum wf_event_kind event)
{
    for (size_t i = 0; i < ALLOWED_COUNT; i++)
        if (allowed[i].state == state && allowed[i].event == event)
            return &allowed[i];
    return NULL;
}

static void test_every_state_event_and_person(void **state)
{
    (void)state;
    size_t accepted = 0, expected_accepted = 0;
    for (size_t i = 0; i < ALLOWED_COUNT; i++)
        for (int w = 0; w < WHO_COUNT; w++)
            expected_accepted += (allowed[i].who & W(w)) != 0;

    for (int s = WF_STATE_NONE + 1; s < WF_STATE_END; s++) {
        for (int k = WF_EV_NONE + 1; k < WF_EV_END; k++) {
            const struct allowed *row = allowed_row((enum wf_state)s, (enum wf_event_kind)k);
            for (int w = 0; w < WHO_COUNT; w++) {
                struct wf_case before;
                ready_case(&before, (enum wf_state)s);
                struct wf_event e = ready_event((enum wf_event_kind)k);
                struct wf_result out;
                int rc = apply(&before, &e, (enum who)w, T0, &out);
                const char *what = wf_event_name((enum wf_event_kind)k);

                if (row && (row->who & W(w))) {
                    if (rc != 0)
                        fail_msg("%s in %s by %s: refused %s (missing %s)", what,
                                 wf_state_name(before.state), who_names[w], wf_error_name(rc),
                                 out.missing ? out.missing : "-");
                    accepted++;
                    assert_int_equal(out.after.state, row->next);
                    assert_int_equal(out.after.version, 8);
                    assert_int_equal(out.after.case_id, 42);
                    assert_int_equal(out.after.agency_id, AGENCY);
                    assert_null(out.missing);
                    assert_true(out.effect_count <= WF_MAX_EFFECTS);
                    assert_int_equal(out.audit.event, k);
                    assert_int_equal(out.audit.state_before, s);
                    assert_int_equal(out.audit.state_after, row->next);
                    assert_int_equal(out.audit.actor_id, actor((enum who)w).user_id);
                    assert_ptr_equal(out.audit.note, NOTE_TEXT);
                    assert_int_equal(out.audit.at_ms, T0);
                    /* The Kabid acting for the Kadis is recorded as Plh only
                     * where the Kadis's role made it possible. */
                    if (w == PLH_KADIS) {
                        bool as_kadis = (row->who & W(KADIS)) != 0;
                        assert_int_equal(out.audit.via_plh, as_kadis);
                        assert_int_equal(out.audit.acted_as, as_kadis ? ROLE_KADIS : ROLE_KABID);
                    } else {
                        assert_false(out.audit.via_plh);
                    }
                    /* A new state always brings its holder a card. */
                    if ((int)row->next != s && !wf_state_closed(row->next))
                        assert_int_equal(fx_count(&out, WF_FX_NOTIFY_HOLDER), 1);
                } else {
                    int want = row ? WF_ERR_NOT_ALLOWED : WF_ERR_WRONG_STATE;
                    if (rc != want)
                        fail_msg("%s in %s by %s: got %s, want %s", what,
                                 wf_state_name(before.state), who_names[w], wf_error_name(rc),
                                 wf_error_name(want));
                    assert_unchanged(&before, &out);
                    assert_null(out.missing);
                }
            }
        }
    }
    assert_int_equal(accepted, expected_accepted);
}

/* wf_state_events draws the buttons; it must list exactly the table's events. */
static void test_state_events_match_the_table(void **state)
{
    (void)state;
    for (int s = WF_STATE_NONE + 1; s < WF_STATE_END; s++) {
        enum wf_event_kind kinds[WF_EV_END];
        size_t n = wf_state_events((enum wf_state)s, kinds, WF_EV_END);
        size_t want = 0;
        for (size_t i = 0; i < ALLOWED_COUNT; i++)
            want += allowed[i].state == (enum wf_state)s;
        assert_int_equal(n, want);
        for (size_t i = 0; i < n; i++)
            assert_non_null(allowed_row((enum wf_state)s, kinds[i]));
    }
    /* A short buffer still gets the count. */
    enum wf_event_kind one[1];
    assert_int_equal(wf_state_events(WF_S3_VERIFIKASI_KASI, one, 1), 4);
    assert_int_equal(one[0], WF_EV_SET_CHECKLIST_COMPLETE);
}

/* --- states ----------------------------------------------------------------- */

static void test_state_steps_holders_and_pauses(void **state)
{
    (void)state;
    static const struct {
        enum wf_state state;
        int step;
        enum role holder;
        bool paused;
        bool closed;
    } rows[] = {
        { WF_S1_DISPOSISI_KADIS, 1, ROLE_KADIS, false, false },
        { WF_S2_DISPOSISI_KABID, 2, ROLE_KABID, false, false },
        { WF_S3_VERIFIKASI_KASI, 3, ROLE_KASI, false, false },
        { WF_S3_MENUNGGU_PEMOHON, 3, ROLE_APPLICANT, true, false },
        { WF_S4_PERIKSA_PELAKSANA, 4, ROLE_PELAKSANA, false, false },
        { WF_S4_TTD_KADIS, 4, ROLE_KADIS, false, false },
        { WF_S4_KIRIM_BSRE, 4, ROLE_PELAKSANA, false, false },
        { WF_S5_MENUNGGU_BSRE, 5, ROLE_PELAKSANA, true, false },
        { WF_S5_LAPOR_KASI, 5, ROLE_PELAKSANA, false, false },
        { WF_S6_SURAT_KASI, 6, ROLE_KASI, false, false },
        { WF_S6_TTD_KADIS, 6, ROLE_KADIS, false, false },
        { WF_S6_JADWAL, 6, ROLE_KASI, false, false },
        { WF_S6_MENUNGGU_KONFIRMASI, 6, ROLE_APPLICANT, true, false },
        { WF_S7_PENDAMPINGAN, 7, ROLE_PELAKSANA, false, false },
        { WF_CLOSED_SELESAI, 0, ROLE_NONE, false, true },
        { WF_CLOSED_DIKEMBALIKAN, 0, ROLE_NONE, false, true },
        { WF_CLOSED_DITOLAK, 0, ROLE_NONE, false, true },
        { WF_STATE_NONE, 0, ROLE_NONE, false, false },
        { WF_STATE_END, 0, ROLE_NONE, false, false },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        assert_int_equal(wf_state_step(rows[i].state), rows[i].step);
        assert_int_equal(wf_state_holder_role(rows[i].state), rows[i].holder);
        assert_int_equal(wf_state_paused(rows[i].state), rows[i].paused);
        assert_int_equal(wf_state_closed(rows[i].state), rows[i].closed);
    }
}

/* --- versions --------------------------------------------------------------- */

static void test_stale_version_is_refused(void **state)
{
    (void)state;
    struct wf_case c;
    ready_case(&c, WF_S1_DISPOSISI_KADIS);
    struct wf_event e = ready_event(WF_EV_DISPOSE);
    e.expected_version = 6;
    assert_refused(&c, &e, KADIS, WF_ERR_STALE, NULL);
    e.expected_version = 8; /* a card from the future is no better */
    assert_refused(&c, &e, KADIS, WF_ERR_STALE, NULL);
    /* Stale is said before anything else: the old card's tap tells nothing
     * about who may act now or in which state. */
    e.expected_version = 6;
    assert_refused(&c, &e, NOBODY, WF_ERR_STALE, NULL);
    struct wf_event sign = ready_event(WF_EV_SIGN);
    sign.expected_version = 6;
    assert_refused(&c, &sign, KADIS, WF_ERR_STALE, NULL);
    struct wf_case closed;
    ready_case(&closed, WF_CLOSED_SELESAI);
    assert_refused(&closed, &e, KADIS, WF_ERR_STALE, NULL);
    /* 0 means the sender does not check. */
    e.expected_version = 0;
    struct wf_result out;
    assert_int_equal(apply(&c, &e, KADIS, T0, &out), 0);
    assert_int_equal(out.after.version, 8);
}

static void test_double_tap_second_is_stale(void **state)
{
    (void)state;
    struct wf_case c;
    ready_case(&c, WF_S1_DISPOSISI_KADIS);
    struct wf_event tap = ready_event(WF_EV_DISPOSE); /* drawn for version 7 */
    struct wf_result first, second;
    assert_int_equal(apply(&c, &tap, KADIS, T0, &first), 0);
    assert_int_equal(first.after.version, 8);
    /* The same button, pressed again on the stored (moved-on) case. */
    assert_int_equal(apply(&first.after, &tap, KADIS, T0 + 300, &second), WF_ERR_STALE);
    assert_unchanged(&first.after, &second);
    /* Even a tap that would have been valid in the new state. */
    struct wf_event kabid_tap = ready_event(WF_EV_DISPOSE);
    assert_int_equal(apply(&first.after, &kabid_tap, KABID, T0 + 300, &second), WF_ERR_STALE);
}

static void test_version_skips_zero_when_it_wraps(void **state)
{
    (void)state;
    struct wf_case c;
    ready_case(&c, WF_S1_DISPOSISI_KADIS);
    c.version = UINT32_MAX;
    struct wf_event e = plain_event(WF_EV_DISPOSE);
    struct wf_result out;
    assert_int_equal(apply(&c, &e, KADIS, T0, &out), 0);
    assert_int_equal(out.after.version, 1);
}

/* --- preconditions ---------------------------------------------------------- */

static void test_missing_note_is_precondition(void **state)
{
    (void)state;
    static const struct {
        enum wf_state state;
        enum wf_event_kind event;
        enum who who;
    } rows[] = {
        { WF_S1_DISPOSISI_KADIS, WF_EV_RETURN, KADIS },
        { WF_S2_DISPOSISI_KABID, WF_EV_RETURN, KABID },
        { WF_S3_VERIFIKASI_KASI, WF_EV_REQUEST_DOCUMENTS, KASI },
        { WF_S4_PERIKSA_PELAKSANA, WF_EV_RETURN, PEL },
        { WF_S4_TTD_KADIS, WF_EV_RETURN, KADIS },
        { WF_S6_TTD_KADIS, WF_EV_RETURN, KADIS },
        { WF_S6_MENUNGGU_KONFIRMASI, WF_EV_DECLINE_SESSION, APP },
        { WF_S7_PENDAMPINGAN, WF_EV_RESCHEDULE_SESSION, KASI },
        { WF_S7_PENDAMPINGAN, WF_EV_RESCHEDULE_SESSION, APP },
        { WF_S7_PENDAMPINGAN, WF_EV_CANCEL_SESSION, KASI },
        { WF_S7_PENDAMPINGAN, WF_EV_CANCEL_SESSION, APP },
    };
    static const char *const blank[] = { NULL, "", "   ", " \t\r\n " };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct wf_case c;
        ready_case(&c, rows[i].state);
        assert_true(wf_event_needs_note(rows[i].state, rows[i].event));
        struct wf_event e = ready_event(rows[i].event);
        for (size_t j = 0; j < sizeof blank / sizeof blank[0]; j++) {
            e.note = blank[j];
            assert_refused(&c, &e, rows[i].who, WF_ERR_PRECONDITION, "note");
            /* Someone who may not act is told so, not what is missing. */
            assert_refused(&c, &e, NOBODY, WF_ERR_NOT_ALLOWED, NULL);
        }
        e.note = "x";
        struct wf_result out;
        assert_int_equal(apply(&c, &e, rows[i].who, T0, &out), 0);
    }
    assert_false(wf_event_needs_note(WF_S1_DISPOSISI_KADIS, WF_EV_DISPOSE));
    assert_false(wf_event_needs_note(WF_S7_PENDAMPINGAN, WF_EV_REPORT));
    assert_false(wf_event_needs_note(WF_CLOSED_SELESAI, WF_EV_RETURN));
}

static void test_forward_needs_checklist_and_draft(void **state)
{
    (void)state;
    struct wf_case c;
    ready_case(&c, WF_S3_VERIFIKASI_KASI);
    c.checklist_complete = false;
    c.draft_ready = false;
    c.pelaksana_id = 0;
    struct wf_event forward = plain_event(WF_EV_FORWARD);
    forward.pelaksana_id = PEL_ID;
    assert_refused(&c, &forward, KASI, WF_ERR_PRECONDITION, "checklist");

    struct wf_result out;
    apply_ok(&c, plain_event(WF_EV_SET_CHECKLIST_COMPLETE), KASI, T0, &out);
    assert_true(c.checklist_complete);
    assert_int_equal(out.effect_count, 0); /* same state, same holder: nobody to tell */
    assert_refused(&c, &forward, KASI, WF_ERR_PRECONDITION, "draft");

    apply_ok(&c, plain_event(WF_EV_SET_DRAFT_READY), KASI, T0, &out);
    assert_true(c.draft_ready);
    struct wf_event nobody_chosen = plain_event(WF_EV_FORWARD);
    assert_refused(&c, &nobody_chosen, KASI, WF_ERR_PRECONDITION, "pelaksana");

    /* Asking the applicant for more undoes the checklist, not the draft. */
    struct wf_case asked = c;
    struct wf_event request = plain_event(WF_EV_REQUEST_DOCUMENTS);
    request.note = "SK pengangkatan";
    apply_ok(&asked, request, KASI, T0, &out);
    assert_false(asked.checklist_complete);
    assert_true(asked.draft_ready);

    apply_ok(&c, forward, KASI, T0, &out);
    assert_int_equal(c.state, WF_S4_PERIKSA_PELAKSANA);
    assert_true(c.pelaksana_id == PEL_ID);
    const struct wf_effect *card = fx_first(&out, WF_FX_NOTIFY_HOLDER);
    assert_non_null(card);
    assert_int_equal(card->role, ROLE_PELAKSANA);
    assert_true(card->user_id == PEL_ID);
}

static void test_other_preconditions_name_what_is_missing(void **state)
{
    (void)state;
    struct wf_case c;
    struct wf_event e;

    ready_case(&c, WF_S4_PERIKSA_PELAKSANA);
    c.files_confirmed = false;
    c.draft_confirmed = false;
    e = plain_event(WF_EV_ASK_SIGNATURE);
    assert_refused(&c, &e, PEL, WF_ERR_PRECONDITION, "files");
    c.files_confirmed = true;
    assert_refused(&c, &e, PEL, WF_ERR_PRECONDITION, "draft");
    /* Another Pelaksana is not allowed, whatever is missing. */
    assert_refused(&c, &e, OTHER_PEL, WF_ERR_NOT_ALLOWED, NULL);

    ready_case(&c, WF_S4_KIRIM_BSRE);
    c.signed_letter_uploaded = false;
    e = plain_event(WF_EV_SENT_TO_BSRE);
    assert_refused(&c, &e, PEL, WF_ERR_PRECONDITION, "signed_letter");

    ready_case(&c, WF_S5_MENUNGGU_BSRE);
    e = plain_event(WF_EV_BSRE_REPLY); /* outcome none */
    assert_refused(&c, &e, PEL, WF_ERR_PRECONDITION, "outcome");

    ready_case(&c, WF_S6_JADWAL);
    e = plain_event(WF_EV_PROPOSE_SESSION);
    e.session_at_ms = T0 + DAY;
    assert_refused(&c, &e, KASI, WF_ERR_PRECONDITION, "pelaksana");
    e.pelaksana_id = PEL_ID;
    e.session_at_ms = 0;
    assert_refused(&c, &e, KASI, WF_ERR_PRECONDITION, "session_time");
    /* An offer is two to five slots. */
    e.session_at_ms = T0 + DAY;
    for (int n = 0; n <= WF_SLOTS_MAX + 2; n++) {
        e.slot_count = n;
        if (n < WF_SLOTS_MIN || n > WF_SLOTS_MAX) {
            assert_refused(&c, &e, KASI, WF_ERR_PRECONDITION, "slots");
        } else {
            struct wf_result ok;
            assert_int_equal(apply(&c, &e, KASI, T0, &ok), 0);
        }
    }

    /* The applicant's choice names its slot's Pelaksana and time. */
    ready_case(&c, WF_S6_MENUNGGU_KONFIRMASI);
    e = plain_event(WF_EV_CONFIRM_SESSION);
    e.session_at_ms = T0 + DAY;
    assert_refused(&c, &e, APP, WF_ERR_PRECONDITION, "pelaksana");
    e.pelaksana_id = PEL_ID;
    e.session_at_ms = 0;
    assert_refused(&c, &e, APP, WF_ERR_PRECONDITION, "session_time");

    /* A move needs a new time, not the same one. */
    ready_case(&c, WF_S7_PENDAMPINGAN);
    e = plain_event(WF_EV_RESCHEDULE_SESSION);
    e.note = "bentrok rapat";
    assert_refused(&c, &e, KASI, WF_ERR_PRECONDITION, "session_time");
    e.session_at_ms = c.session_at_ms;
    assert_refused(&c, &e, APP, WF_ERR_PRECONDITION, "session_time");

    ready_case(&c, WF_S7_PENDAMPINGAN);
    e = plain_event(WF_EV_REASSIGN);
    assert_refused(&c, &e, ADMIN, WF_ERR_PRECONDITION, "pelaksana");

    /* A case that reached the letter without an outcome is not signed blind. */
    ready_case(&c, WF_S6_TTD_KADIS);
    c.bsre_outcome = WF_BSRE_NONE;
    e = plain_event(WF_EV_SIGN);
    assert_refused(&c, &e, KADIS, WF_ERR_PRECONDITION, "outcome");
    ready_case(&c, WF_S5_LAPOR_KASI);
    c.bsre_outcome = WF_BSRE_NONE;
    e = plain_event(WF_EV_REPORT_TO_KASI);
    assert_refused(&c, &e, PEL, WF_ERR_PRECONDITION, "outcome");
}

static void test_malformed_input_is_invalid(void **state)
{
    (void)state;
    struct wf_case c;
    ready_case(&c, WF_S1_DISPOSISI_KADIS);
    struct wf_event e;

    e = ready_event(WF_EV_NONE);
    assert_refused(&c, &e, KADIS, WF_ERR_INVALID, NULL);
    e = ready_event(WF_EV_END);
    assert_refused(&c, &e, KADIS, WF_ERR_INVALID, NULL);
    e = ready_event((enum wf_event_kind)999);
    assert_refused(&c, &e, KADIS, WF_ERR_INVALID, NULL);
    e = ready_event(WF_EV_DISPOSE);
    e.bsre_outcome = (enum wf_bsre_outcome)9;
    assert_refused(&c, &e, KADIS, WF_ERR_INVALID, NULL);
    e = ready_event(WF_EV_DISPOSE);
    e.pelaksana_id = -5;
    assert_refused(&c, &e, KADIS, WF_ERR_INVALID, NULL);
    e = ready_event(WF_EV_DISPOSE);
    e.session_at_ms = -1;
    assert_refused(&c, &e, KADIS, WF_ERR_INVALID, NULL);
    e = ready_event(WF_EV_DISPOSE);
    e.slot_count = -2;
    assert_refused(&c, &e, KADIS, WF_ERR_INVALID, NULL);
    /* Malformed beats stale: such a tap is not an old card, it is forged. */
    e = ready_event((enum wf_event_kind)999);
    e.expected_version = 3;
    assert_refused(&c, &e, KADIS, WF_ERR_INVALID, NULL);

    struct wf_case zeroed;
    memset(&zeroed, 0, sizeof zeroed);
    e = ready_event(WF_EV_DISPOSE);
    e.expected_version = 0;
    assert_refused(&zeroed, &e, KADIS, WF_ERR_INVALID, NULL);

    /* SUBMIT is a real event, only not an action of any state. */
    e = ready_event(WF_EV_SUBMIT);
    assert_refused(&c, &e, APP, WF_ERR_WRONG_STATE, NULL);

    struct wf_result out;
    struct wf_actor kadis = actor(KADIS);
    e = ready_event(WF_EV_DISPOSE);
    assert_int_equal(wf_apply(&c, NULL, &kadis, T0, &out), WF_ERR_INVALID);
    assert_unchanged(&c, &out);
    assert_int_equal(wf_apply(&c, &e, NULL, T0, &out), WF_ERR_INVALID);
    assert_unchanged(&c, &out);
    assert_int_equal(wf_apply(NULL, &e, &kadis, T0, &out), WF_ERR_INVALID);
    assert_int_equal(out.effect_count, 0);
    assert_int_equal(wf_apply(&c, &e, &kadis, T0, NULL), WF_ERR_INVALID);
}

/* --- who ------------------------------------------------------------------- */

static void test_plh_is_recorded_in_audit(void **state)
{
    (void)state;
    struct wf_case c;
    struct wf_result out;

    ready_case(&c, WF_S4_TTD_KADIS);
    struct wf_event sign = ready_event(WF_EV_SIGN);
    assert_int_equal(apply(&c, &sign, PLH_KADIS, T0, &out), 0);
    assert_true(out.audit.actor_id == KABID_ID);
    assert_int_equal(out.audit.acted_as, ROLE_KADIS);
    assert_true(out.audit.via_plh);

    assert_int_equal(apply(&c, &sign, KADIS, T0, &out), 0);
    assert_true(out.audit.actor_id == KADIS_ID);
    assert_int_equal(out.audit.acted_as, ROLE_KADIS);
    assert_false(out.audit.via_plh);

    /* Holding the role itself wins over holding it as Plh. */
    struct wf_actor both = actor(KADIS);
    both.plh_roles = ROLE_KADIS;
    assert_int_equal(wf_apply(&c, &sign, &both, T0, &out), 0);
    assert_false(out.audit.via_plh);

    /* In the Kabid's own step the Plh Kadis acts as Kabid. */
    ready_case(&c, WF_S2_DISPOSISI_KABID);
    struct wf_event dispose = ready_event(WF_EV_DISPOSE);
    assert_int_equal(apply(&c, &dispose, PLH_KADIS, T0, &out), 0);
    assert_int_equal(out.audit.acted_as, ROLE_KABID);
    assert_false(out.audit.via_plh);

    /* A Kasi who is Plh Kabid dispositions in step 2 as Kabid. */
    struct wf_actor plh_kabid = actor(KASI);
    plh_kabid.plh_roles = ROLE_KABID;
    assert_int_equal(wf_apply(&c, &dispose, &plh_kabid, T0, &out), 0);
    assert_int_equal(out.audit.acted_as, ROLE_KABID);
    assert_true(out.audit.via_plh);

    /* Plh is for officials: it never makes an admin or an applicant. */
    struct wf_actor fake_admin = actor(KASI);
    fake_admin.plh_roles = ROLE_ADMIN;
    ready_case(&c, WF_S7_PENDAMPINGAN);
    struct wf_event reassign = ready_event(WF_EV_REASSIGN);
    assert_int_equal(wf_apply(&c, &reassign, &fake_admin, T0, &out), WF_ERR_NOT_ALLOWED);
    assert_unchanged(&c, &out);
    struct wf_actor fake_applicant = actor(KASI);
    fake_applicant.plh_roles = ROLE_APPLICANT;
    fake_applicant.agency_id = AGENCY;
    ready_case(&c, WF_S6_MENUNGGU_KONFIRMASI);
    struct wf_event confirm = ready_event(WF_EV_CONFIRM_SESSION);
    assert_int_equal(wf_apply(&c, &confirm, &fake_applicant, T0, &out), WF_ERR_NOT_ALLOWED);
}

static void test_admin_alone_cannot_dispose(void **state)
{
    (void)state;
    struct wf_case c;
    ready_case(&c, WF_S1_DISPOSISI_KADIS);
    struct wf_event dispose = ready_event(WF_EV_DISPOSE);
    assert_refused(&c, &dispose, ADMIN, WF_ERR_NOT_ALLOWED, NULL);

    ready_case(&c, WF_S4_TTD_KADIS);
    struct wf_event sign = ready_event(WF_EV_SIGN);
    assert_refused(&c, &sign, ADMIN, WF_ERR_NOT_ALLOWED, NULL);

    /* The admin's one power: who the Pelaksana is. Not the Pelaksana's work. */
    ready_case(&c, WF_S7_PENDAMPINGAN);
    struct wf_event report = ready_event(WF_EV_REPORT);
    assert_refused(&c, &report, ADMIN, WF_ERR_NOT_ALLOWED, NULL);

    /* An admin who is also the Kadis acts as Kadis. */
    ready_case(&c, WF_S1_DISPOSISI_KADIS);
    struct wf_actor kadis_admin = actor(KADIS);
    kadis_admin.roles |= ROLE_ADMIN;
    struct wf_result out;
    assert_int_equal(wf_apply(&c, &dispose, &kadis_admin, T0, &out), 0);
    assert_int_equal(out.audit.acted_as, ROLE_KADIS);
}

static void test_pelaksana_state_belongs_to_the_assigned_one(void **state)
{
    (void)state;
    struct wf_case c;
    ready_case(&c, WF_S4_PERIKSA_PELAKSANA);
    struct wf_event e = ready_event(WF_EV_CONFIRM_FILES);
    assert_refused(&c, &e, OTHER_PEL, WF_ERR_NOT_ALLOWED, NULL);
    /* The right id without the role (a Pelaksana since removed) is not enough. */
    struct wf_actor former = actor(PEL);
    former.roles = ROLE_NONE;
    struct wf_result out;
    assert_int_equal(wf_apply(&c, &e, &former, T0, &out), WF_ERR_NOT_ALLOWED);
    /* Nobody is assigned: nobody holds it, not even user id 0. */
    c.pelaksana_id = 0;
    struct wf_actor zero = actor(PEL);
    zero.user_id = 0;
    assert_int_equal(wf_apply(&c, &e, &zero, T0, &out), WF_ERR_NOT_ALLOWED);
}

static void test_reassign_tells_both_pelaksana(void **state)
{
    (void)state;
    struct wf_case c;
    struct wf_result out;
    struct wf_event e = plain_event(WF_EV_REASSIGN);
    e.pelaksana_id = NEW_PEL_ID;

    /* Where the Pelaksana holds the case, the new one gets the card. */
    ready_case(&c, WF_S4_KIRIM_BSRE);
    apply_ok(&c, e, ADMIN, T0, &out);
    assert_int_equal(c.state, WF_S4_KIRIM_BSRE);
    assert_true(c.pelaksana_id == NEW_PEL_ID);
    assert_int_equal(out.audit.acted_as, ROLE_ADMIN);
    assert_int_equal(out.effect_count, 2);
    assert_int_equal(out.effects[0].kind, WF_FX_NOTIFY_HOLDER);
    assert_int_equal(out.effects[0].role, ROLE_PELAKSANA);
    assert_true(out.effects[0].user_id == NEW_PEL_ID);
    assert_true(told_role(&out, ROLE_PELAKSANA, PEL_ID));
    assert_int_equal(clock_count(&out), 0);
    /* The old one's buttons are dead now, and so is the old one. */
    struct wf_event upload = plain_event(WF_EV_UPLOAD_SIGNED);
    assert_refused(&c, &upload, PEL, WF_ERR_NOT_ALLOWED, NULL);

    /* Where the Kadis holds it, the new Pelaksana is only told. */
    ready_case(&c, WF_S4_TTD_KADIS);
    apply_ok(&c, e, ADMIN, T0, &out);
    assert_int_equal(fx_count(&out, WF_FX_NOTIFY_HOLDER), 0);
    assert_true(told_role(&out, ROLE_PELAKSANA, NEW_PEL_ID));
    assert_true(told_role(&out, ROLE_PELAKSANA, PEL_ID));

    /* Naming the same one again re-sends the card, and nobody is dropped. */
    ready_case(&c, WF_S7_PENDAMPINGAN);
    e.pelaksana_id = PEL_ID;
    apply_ok(&c, e, ADMIN, T0, &out);
    assert_int_equal(out.effect_count, 1);
    assert_int_equal(out.effects[0].kind, WF_FX_NOTIFY_HOLDER);

    /* Before step 4 and while the session is being arranged, the Kasi
     * chooses the Pelaksana; there is nobody to reassign. */
    static const enum wf_state none_assigned[] = {
        WF_S1_DISPOSISI_KADIS, WF_S2_DISPOSISI_KABID, WF_S3_VERIFIKASI_KASI,
        WF_S3_MENUNGGU_PEMOHON, WF_S6_SURAT_KASI, WF_S6_TTD_KADIS, WF_S6_JADWAL,
        WF_CLOSED_SELESAI,
    };
    for (size_t i = 0; i < sizeof none_assigned / sizeof none_assigned[0]; i++) {
        ready_case(&c, none_assigned[i]);
        e.expected_version = 7;
        assert_refused(&c, &e, ADMIN, WF_ERR_WRONG_STATE, NULL);
    }
}

static void test_applicant_of_another_agency_is_refused(void **state)
{
    (void)state;
    struct wf_case c;
    ready_case(&c, WF_S3_MENUNGGU_PEMOHON);
    struct wf_event e = ready_event(WF_EV_DOCUMENTS_PROVIDED);
    assert_refused(&c, &e, OTHER_APP, WF_ERR_NOT_ALLOWED, NULL);
    /* An operator with no agency on record matches no case, even a bad one. */
    c.agency_id = 0;
    struct wf_actor lost = actor(APP);
    lost.agency_id = 0;
    struct wf_result out;
    assert_int_equal(wf_apply(&c, &e, &lost, T0, &out), WF_ERR_NOT_ALLOWED);
}

/* --- paths ------------------------------------------------------------------ */

static void test_case_new_starts_at_step1(void **state)
{
    (void)state;
    struct wf_result out;
    memset(&out, 0xA5, sizeof out);
    assert_int_equal(wf_case_new(42, AGENCY, T0, &out), 0);
    assert_int_equal(out.after.state, WF_S1_DISPOSISI_KADIS);
    assert_int_equal(out.after.version, 1);
    assert_int_equal(out.after.case_id, 42);
    assert_int_equal(out.after.agency_id, AGENCY);
    assert_true(out.after.pelaksana_id == 0);
    assert_false(out.after.checklist_complete);
    assert_int_equal(out.after.bsre_outcome, WF_BSRE_NONE);
    assert_int_equal(out.after.returned_from_state, WF_STATE_NONE);
    assert_int_equal(out.effect_count, 3);
    assert_int_equal(out.effects[0].kind, WF_FX_CLOCK_START);
    assert_int_equal(out.effects[0].step, 1);
    assert_true(out.effects[0].at_ms == T0);
    assert_int_equal(out.effects[1].kind, WF_FX_NOTIFY_HOLDER);
    assert_int_equal(out.effects[1].role, ROLE_KADIS);
    assert_int_equal(milestone_of(&out), WF_MS_RECEIVED);
    assert_int_equal(out.audit.event, WF_EV_SUBMIT);
    assert_int_equal(out.audit.state_before, WF_STATE_NONE);
    assert_int_equal(out.audit.state_after, WF_S1_DISPOSISI_KADIS);
    assert_null(out.missing);

    assert_int_equal(wf_case_new(42, 0, T0, &out), WF_ERR_INVALID);
    assert_int_equal(out.effect_count, 0);
    assert_int_equal(wf_case_new(42, AGENCY, T0, NULL), WF_ERR_INVALID);
}

static void test_happy_path_to_closed(void **state)
{
    (void)state;
    static const struct {
        enum wf_event_kind event;
        enum who who;
        enum wf_state next;
        enum role holder;             /* who gets a card; ROLE_NONE: no card */
        enum wf_milestone milestone;  /* what the applicant hears; NONE: nothing */
    } walk[] = {
        { WF_EV_DISPOSE, KADIS, WF_S2_DISPOSISI_KABID, ROLE_KABID, WF_MS_IN_PROCESS },
        { WF_EV_DISPOSE, KABID, WF_S3_VERIFIKASI_KASI, ROLE_KASI, WF_MS_NONE },
        { WF_EV_SET_CHECKLIST_COMPLETE, KASI, WF_S3_VERIFIKASI_KASI, ROLE_NONE, WF_MS_NONE },
        { WF_EV_SET_DRAFT_READY, KASI, WF_S3_VERIFIKASI_KASI, ROLE_NONE, WF_MS_NONE },
        { WF_EV_FORWARD, KASI, WF_S4_PERIKSA_PELAKSANA, ROLE_PELAKSANA, WF_MS_NONE },
        { WF_EV_CONFIRM_FILES, PEL, WF_S4_PERIKSA_PELAKSANA, ROLE_NONE, WF_MS_NONE },
        { WF_EV_CONFIRM_DRAFT, PEL, WF_S4_PERIKSA_PELAKSANA, ROLE_NONE, WF_MS_NONE },
        { WF_EV_ASK_SIGNATURE, PEL, WF_S4_TTD_KADIS, ROLE_KADIS, WF_MS_NONE },
        { WF_EV_SIGN, KADIS, WF_S4_KIRIM_BSRE, ROLE_PELAKSANA, WF_MS_NONE },
        { WF_EV_UPLOAD_SIGNED, PEL, WF_S4_KIRIM_BSRE, ROLE_NONE, WF_MS_NONE },
        { WF_EV_SENT_TO_BSRE, PEL, WF_S5_MENUNGGU_BSRE, ROLE_PELAKSANA, WF_MS_SENT_TO_BSRE },
        { WF_EV_BSRE_REPLY, PEL, WF_S5_LAPOR_KASI, ROLE_PELAKSANA, WF_MS_NONE },
        { WF_EV_REPORT_TO_KASI, PEL, WF_S6_SURAT_KASI, ROLE_KASI, WF_MS_NONE },
        { WF_EV_ASK_SIGNATURE, KASI, WF_S6_TTD_KADIS, ROLE_KADIS, WF_MS_NONE },
        { WF_EV_SIGN, KADIS, WF_S6_JADWAL, ROLE_KASI, WF_MS_BSRE_ANSWERED },
        { WF_EV_PROPOSE_SESSION, KASI, WF_S6_MENUNGGU_KONFIRMASI, ROLE_APPLICANT,
          WF_MS_SESSION_PROPOSED },
        { WF_EV_CONFIRM_SESSION, APP, WF_S7_PENDAMPINGAN, ROLE_PELAKSANA, WF_MS_SESSION_AGREED },
        { WF_EV_REPORT, PEL, WF_CLOSED_SELESAI, ROLE_NONE, WF_MS_DONE },
    };
    const int64_t session = T0 + 5 * DAY;
    struct wf_result out;
    assert_int_equal(wf_case_new(42, AGENCY, T0, &out), 0);
    struct wf_case c = out.after;
    int starts[8] = { 0 }, stops[8] = { 0 };
    bool step_seen[8] = { false };
    starts[1] = 1;
    step_seen[1] = true;
    int64_t now = T0;

    for (size_t i = 0; i < sizeof walk / sizeof walk[0]; i++) {
        now += 10 * MINUTE;
        struct wf_event e = plain_event(walk[i].event);
        e.pelaksana_id = PEL_ID;
        e.bsre_outcome = WF_BSRE_ACCEPTED;
        e.session_at_ms = session;
        e.slot_count = 3;
        e.note = "laporan pendampingan";
        uint32_t version = c.version;
        apply_ok(&c, e, walk[i].who, now, &out);
        assert_int_equal(c.state, walk[i].next);
        assert_int_equal(c.version, version + 1);
        assert_int_equal(c.version, i + 2);
        assert_int_equal(milestone_of(&out), walk[i].milestone);
        /* Internal notes (a disposition's, a report's) never reach the applicant. */
        if (walk[i].milestone != WF_MS_NONE)
            assert_null(fx_first(&out, WF_FX_NOTIFY_APPLICANT)->note);
        const struct wf_effect *card = fx_first(&out, WF_FX_NOTIFY_HOLDER);
        if (walk[i].holder == ROLE_NONE) {
            assert_null(card);
        } else {
            assert_non_null(card);
            assert_int_equal(card->role, walk[i].holder);
            assert_int_equal(card->state, walk[i].next);
            if (walk[i].holder == ROLE_PELAKSANA)
                assert_true(card->user_id == PEL_ID);
            if (walk[i].holder == ROLE_APPLICANT)
                assert_int_equal(card->agency_id, AGENCY);
        }
        step_seen[wf_state_step(c.state)] = true;
        for (size_t j = 0; j < out.effect_count; j++) {
            const struct wf_effect *fx = &out.effects[j];
            assert_true(fx->step >= 0 && fx->step <= 7);
            if (fx->kind == WF_FX_CLOCK_START)
                starts[fx->step]++;
            if (fx->kind == WF_FX_CLOCK_STOP)
                stops[fx->step]++;
        }
    }
    assert_int_equal(c.state, WF_CLOSED_SELESAI);
    assert_int_equal(c.version, 19);
    assert_true(c.pelaksana_id == PEL_ID);
    /* Each of the seven steps was passed, timed once, and its clock stopped. */
    for (int step = 1; step <= 7; step++) {
        assert_true(step_seen[step]);
        assert_int_equal(starts[step], 1);
        assert_int_equal(stops[step], 1);
    }
    /* Step 7d: the leadership hears the report, with its text. */
    assert_true(told_role(&out, ROLE_KASI, 0));
    assert_true(told_role(&out, ROLE_KABID, 0));
    assert_true(told_role(&out, ROLE_KADIS, 0));
    assert_string_equal(fx_first(&out, WF_FX_NOTIFY_ROLE)->note, "laporan pendampingan");

    /* Closed means closed: every event, by anyone, is the wrong state. */
    for (int k = WF_EV_NONE + 1; k < WF_EV_END; k++)
        for (int w = 0; w < WHO_COUNT; w++) {
            struct wf_event e = ready_event((enum wf_event_kind)k);
            e.expected_version = c.version;
            assert_refused(&c, &e, (enum who)w, WF_ERR_WRONG_STATE, NULL);
        }
}

static void test_returns_go_back_and_tell_why(void **state)
{
    (void)state;
    struct wf_case c;
    struct wf_result out;
    struct wf_event back = plain_event(WF_EV_RETURN);
    back.note = "bukan kewenangan kami";

    /* Step 1: back to the applicant with the reason; the clock stops. */
    ready_case(&c, WF_S1_DISPOSISI_KADIS);
    apply_ok(&c, back, KADIS, T0, &out);
    assert_int_equal(c.state, WF_CLOSED_DIKEMBALIKAN);
    assert_int_equal(c.returned_from_state, WF_S1_DISPOSISI_KADIS);
    assert_int_equal(milestone_of(&out), WF_MS_RETURNED);
    assert_string_equal(fx_first(&out, WF_FX_NOTIFY_APPLICANT)->note, "bukan kewenangan kami");
    assert_true(has_clock(&out, WF_FX_CLOCK_STOP, 1, T0));
    assert_int_equal(fx_count(&out, WF_FX_NOTIFY_HOLDER), 0);
    assert_int_equal(fx_count(&out, WF_FX_NOTIFY_ROLE), 0);

    /* Step 2: the same, and the Kadis who dispositioned it is told. */
    ready_case(&c, WF_S2_DISPOSISI_KABID);
    apply_ok(&c, back, KABID, T0, &out);
    assert_int_equal(c.state, WF_CLOSED_DIKEMBALIKAN);
    assert_int_equal(milestone_of(&out), WF_MS_RETURNED);
    assert_true(told_role(&out, ROLE_KADIS, 0));
    assert_true(has_clock(&out, WF_FX_CLOCK_STOP, 2, T0));

    /* Step 4 back to the Kasi: everything of steps 3 and 4 is to be redone. */
    ready_case(&c, WF_S4_PERIKSA_PELAKSANA);
    apply_ok(&c, back, PEL, T0, &out);
    assert_int_equal(c.state, WF_S3_VERIFIKASI_KASI);
    assert_int_equal(c.returned_from_state, WF_S4_PERIKSA_PELAKSANA);
    assert_false(c.checklist_complete);
    assert_false(c.draft_ready);
    assert_false(c.files_confirmed);
    assert_false(c.draft_confirmed);
    assert_false(c.signed_letter_uploaded);
    assert_true(c.pelaksana_id == PEL_ID); /* kept: the Kasi may forward to them again */
    assert_int_equal(milestone_of(&out), WF_MS_NONE);
    const struct wf_effect *card = fx_first(&out, WF_FX_NOTIFY_HOLDER);
    assert_int_equal(card->role, ROLE_KASI);
    assert_string_equal(card->note, "bukan kewenangan kami");
    /* Moving forward again forgets the return. */
    apply_ok(&c, plain_event(WF_EV_SET_CHECKLIST_COMPLETE), KASI, T0, &out);
    assert_int_equal(c.returned_from_state, WF_S4_PERIKSA_PELAKSANA);
    apply_ok(&c, plain_event(WF_EV_SET_DRAFT_READY), KASI, T0, &out);
    struct wf_event forward = plain_event(WF_EV_FORWARD);
    forward.pelaksana_id = PEL_ID;
    apply_ok(&c, forward, KASI, T0, &out);
    assert_int_equal(c.returned_from_state, WF_STATE_NONE);

    /* The Kadis refuses to sign: the draft is checked again, the files stand. */
    ready_case(&c, WF_S4_TTD_KADIS);
    apply_ok(&c, back, PLH_KADIS, T0, &out);
    assert_int_equal(c.state, WF_S4_PERIKSA_PELAKSANA);
    assert_false(c.draft_confirmed);
    assert_true(c.files_confirmed);
    assert_int_equal(fx_first(&out, WF_FX_NOTIFY_HOLDER)->role, ROLE_PELAKSANA);
    assert_int_equal(clock_count(&out), 0); /* still step 4 */

    /* The letter of step 6 goes back to the Kasi. */
    ready_case(&c, WF_S6_TTD_KADIS);
    apply_ok(&c, back, KADIS, T0, &out);
    assert_int_equal(c.state, WF_S6_SURAT_KASI);
    assert_int_equal(c.returned_from_state, WF_S6_TTD_KADIS);
    assert_int_equal(fx_first(&out, WF_FX_NOTIFY_HOLDER)->role, ROLE_KASI);
    assert_int_equal(milestone_of(&out), WF_MS_NONE);
}

static void test_incomplete_reply_loops_back_to_step3(void **state)
{
    (void)state;
    struct wf_case c;
    struct wf_result out;
    ready_case(&c, WF_S5_MENUNGGU_BSRE);
    c.bsre_outcome = WF_BSRE_NONE;
    struct wf_event reply = plain_event(WF_EV_BSRE_REPLY);
    reply.bsre_outcome = WF_BSRE_INCOMPLETE;
    reply.note = "KTP tidak terbaca";
    apply_ok(&c, reply, PEL, T0, &out);
    assert_int_equal(c.state, WF_S5_LAPOR_KASI);
    assert_int_equal(c.bsre_outcome, WF_BSRE_INCOMPLETE);
    assert_int_equal(milestone_of(&out), WF_MS_NONE); /* the Kasi hears it first */

    apply_ok(&c, plain_event(WF_EV_REPORT_TO_KASI), PEL, T0 + MINUTE, &out);
    assert_int_equal(c.state, WF_S3_VERIFIKASI_KASI);
    assert_int_equal(c.returned_from_state, WF_S5_LAPOR_KASI);
    assert_int_equal(c.bsre_outcome, WF_BSRE_NONE);
    assert_false(c.checklist_complete);
    assert_false(c.draft_ready);
    assert_false(c.files_confirmed);
    assert_false(c.draft_confirmed);
    assert_false(c.signed_letter_uploaded);
    assert_true(has_clock(&out, WF_FX_CLOCK_STOP, 5, T0 + MINUTE));
    assert_true(has_clock(&out, WF_FX_CLOCK_START, 3, T0 + MINUTE));
    assert_int_equal(fx_first(&out, WF_FX_NOTIFY_HOLDER)->role, ROLE_KASI);
    assert_int_equal(milestone_of(&out), WF_MS_BSRE_ANSWERED);
    assert_int_equal(fx_first(&out, WF_FX_NOTIFY_APPLICANT)->outcome, WF_BSRE_INCOMPLETE);

    /* Coordination again from the start: nothing of the last round counts. */
    struct wf_event forward = plain_event(WF_EV_FORWARD);
    forward.pelaksana_id = PEL_ID;
    assert_refused(&c, &forward, KASI, WF_ERR_PRECONDITION, "checklist");
    struct wf_event request = plain_event(WF_EV_REQUEST_DOCUMENTS);
    request.note = "KTP yang terbaca";
    apply_ok(&c, request, KASI, T0 + 2 * MINUTE, &out);
    assert_int_equal(c.state, WF_S3_MENUNGGU_PEMOHON);
}

/* A reply read by e-mail starts step 5 at its arrival, not at the tap; a
 * time after the tap counts as the tap, a negative one is malformed, and the
 * time means nothing to any other event. */
static void test_mail_reply_starts_step5_at_arrival(void **state)
{
    (void)state;
    struct wf_case c;
    struct wf_result out;
    ready_case(&c, WF_S5_MENUNGGU_BSRE);
    c.bsre_outcome = WF_BSRE_NONE;
    struct wf_event reply = plain_event(WF_EV_BSRE_REPLY);
    reply.bsre_outcome = WF_BSRE_ACCEPTED;
    reply.reply_at_ms = -1;
    assert_refused(&c, &reply, PEL, WF_ERR_INVALID, NULL);
    reply.reply_at_ms = T0 - 20 * MINUTE;
    struct wf_case later = c;
    apply_ok(&c, reply, PEL, T0, &out);
    assert_true(has_clock(&out, WF_FX_CLOCK_START, 5, T0 - 20 * MINUTE));
    assert_false(has_clock(&out, WF_FX_CLOCK_START, 5, T0));

    reply.reply_at_ms = T0 + MINUTE; /* a clock never starts in the future */
    apply_ok(&later, reply, PEL, T0, &out);
    assert_true(has_clock(&out, WF_FX_CLOCK_START, 5, T0));

    struct wf_event report = plain_event(WF_EV_REPORT_TO_KASI);
    report.reply_at_ms = T0 - 60 * MINUTE;
    apply_ok(&c, report, PEL, T0 + MINUTE, &out);
    assert_true(has_clock(&out, WF_FX_CLOCK_START, 6, T0 + MINUTE));
}

static void test_rejected_closes_after_signature(void **state)
{
    (void)state;
    struct wf_case c;
    struct wf_result out;
    ready_case(&c, WF_S5_MENUNGGU_BSRE);
    c.bsre_outcome = WF_BSRE_NONE;
    struct wf_event reply = plain_event(WF_EV_BSRE_REPLY);
    reply.bsre_outcome = WF_BSRE_REJECTED;
    apply_ok(&c, reply, PEL, T0, &out);
    apply_ok(&c, plain_event(WF_EV_REPORT_TO_KASI), PEL, T0, &out);
    assert_int_equal(c.state, WF_S6_SURAT_KASI);
    assert_int_equal(c.bsre_outcome, WF_BSRE_REJECTED);
    assert_int_equal(milestone_of(&out), WF_MS_NONE); /* not before the letter */
    apply_ok(&c, plain_event(WF_EV_ASK_SIGNATURE), KASI, T0, &out);
    assert_int_equal(c.state, WF_S6_TTD_KADIS);
    assert_int_equal(milestone_of(&out), WF_MS_NONE);

    apply_ok(&c, plain_event(WF_EV_SIGN), KADIS, T0 + DAY, &out);
    assert_int_equal(c.state, WF_CLOSED_DITOLAK);
    assert_int_equal(milestone_of(&out), WF_MS_REJECTED);
    assert_int_equal(fx_count(&out, WF_FX_NOTIFY_HOLDER), 0);
    assert_true(has_clock(&out, WF_FX_CLOCK_STOP, 6, T0 + DAY));
    assert_int_equal(fx_count(&out, WF_FX_CLOCK_START), 0);

    struct wf_event again = ready_event(WF_EV_SIGN);
    again.expected_version = c.version;
    assert_refused(&c, &again, KADIS, WF_ERR_WRONG_STATE, NULL);
    struct wf_event propose = ready_event(WF_EV_PROPOSE_SESSION);
    propose.expected_version = c.version;
    assert_refused(&c, &propose, KASI, WF_ERR_WRONG_STATE, NULL);
}

static void test_clock_effects_pause_and_resume(void **state)
{
    (void)state;
    struct wf_case c;
    struct wf_result out;

    /* Waiting for the applicant's documents is the applicant's time. */
    ready_case(&c, WF_S3_VERIFIKASI_KASI);
    struct wf_event request = plain_event(WF_EV_REQUEST_DOCUMENTS);
    request.note = "surat kuasa";
    apply_ok(&c, request, KASI, T0, &out);
    assert_true(wf_state_paused(c.state));
    assert_int_equal(clock_count(&out), 1);
    assert_true(has_clock(&out, WF_FX_CLOCK_PAUSE, 3, T0));
    assert_int_equal(milestone_of(&out), WF_MS_DOCUMENTS_REQUESTED);
    assert_string_equal(fx_first(&out, WF_FX_NOTIFY_APPLICANT)->note, "surat kuasa");
    /* The applicant now holds the case too: the card carries their buttons. */
    const struct wf_effect *card = fx_first(&out, WF_FX_NOTIFY_HOLDER);
    assert_int_equal(card->role, ROLE_APPLICANT);
    assert_int_equal(card->agency_id, AGENCY);

    apply_ok(&c, plain_event(WF_EV_DOCUMENTS_PROVIDED), APP, T0 + DAY, &out);
    assert_int_equal(c.state, WF_S3_VERIFIKASI_KASI);
    assert_int_equal(clock_count(&out), 1);
    assert_true(has_clock(&out, WF_FX_CLOCK_RESUME, 3, T0 + DAY));
    assert_int_equal(fx_first(&out, WF_FX_NOTIFY_HOLDER)->role, ROLE_KASI);
    /* Clocks come before the cards, so a card can show the new deadline. */
    assert_true(fx_index(&out, fx_first(&out, WF_FX_CLOCK_RESUME)) <
                fx_index(&out, fx_first(&out, WF_FX_NOTIFY_HOLDER)));

    /* Flags inside a step touch no clock. */
    apply_ok(&c, plain_event(WF_EV_SET_CHECKLIST_COMPLETE), KASI, T0 + DAY, &out);
    assert_int_equal(out.effect_count, 0);

    /* Sub-states of a step share its clock. */
    ready_case(&c, WF_S4_PERIKSA_PELAKSANA);
    apply_ok(&c, plain_event(WF_EV_ASK_SIGNATURE), PEL, T0, &out);
    assert_int_equal(clock_count(&out), 0);

    /* The wait for BSrE: step 4 ends when the letter leaves, step 5 starts
     * only when the reply arrives. */
    ready_case(&c, WF_S4_KIRIM_BSRE);
    apply_ok(&c, plain_event(WF_EV_SENT_TO_BSRE), PEL, T0, &out);
    assert_int_equal(c.state, WF_S5_MENUNGGU_BSRE);
    assert_int_equal(clock_count(&out), 1);
    assert_true(has_clock(&out, WF_FX_CLOCK_STOP, 4, T0));
    assert_int_equal(milestone_of(&out), WF_MS_SENT_TO_BSRE);
    struct wf_event reply = plain_event(WF_EV_BSRE_REPLY);
    reply.bsre_outcome = WF_BSRE_ACCEPTED;
    apply_ok(&c, reply, PEL, T0 + 3 * DAY, &out);
    assert_int_equal(clock_count(&out), 1);
    assert_true(has_clock(&out, WF_FX_CLOCK_START, 5, T0 + 3 * DAY));

    /* Going back to step 3 from step 4 starts a new step-3 clock. */
    ready_case(&c, WF_S4_PERIKSA_PELAKSANA);
    struct wf_event back = plain_event(WF_EV_RETURN);
    back.note = "draf salah alamat";
    apply_ok(&c, back, PEL, T0, &out);
    assert_int_equal(clock_count(&out), 2);
    assert_true(has_clock(&out, WF_FX_CLOCK_STOP, 4, T0));
    assert_true(has_clock(&out, WF_FX_CLOCK_START, 3, T0));
    assert_true(fx_index(&out, fx_first(&out, WF_FX_CLOCK_STOP)) <
                fx_index(&out, fx_first(&out, WF_FX_CLOCK_START)));

    /* Waiting for the applicant to agree on a session pauses step 6. */
    ready_case(&c, WF_S6_JADWAL);
    c.session_at_ms = 0;
    struct wf_event propose = plain_event(WF_EV_PROPOSE_SESSION);
    propose.pelaksana_id = OTHER_PEL_ID;
    propose.session_at_ms = T0 + 2 * DAY;
    propose.slot_count = 2;
    apply_ok(&c, propose, KASI, T0, &out);
    assert_int_equal(c.state, WF_S6_MENUNGGU_KONFIRMASI);
    assert_true(c.pelaksana_id == OTHER_PEL_ID);
    assert_true(c.session_at_ms == T0 + 2 * DAY);
    assert_true(has_clock(&out, WF_FX_CLOCK_PAUSE, 6, T0));
    assert_int_equal(milestone_of(&out), WF_MS_SESSION_PROPOSED);

    struct wf_case waiting = c;
    struct wf_event decline = plain_event(WF_EV_DECLINE_SESSION);
    decline.note = "hari itu rapat";
    apply_ok(&c, decline, APP, T0 + MINUTE, &out);
    assert_int_equal(c.state, WF_S6_JADWAL);
    assert_true(c.session_at_ms == 0);
    assert_true(has_clock(&out, WF_FX_CLOCK_RESUME, 6, T0 + MINUTE));
    assert_string_equal(fx_first(&out, WF_FX_NOTIFY_HOLDER)->note, "hari itu rapat");

    /* Agreeing ends step 6; step 7 is timed from the session itself: the
     * slot chosen, which need not be the first one offered. */
    c = waiting;
    struct wf_event choose = plain_event(WF_EV_CONFIRM_SESSION);
    choose.pelaksana_id = OTHER_PEL_ID;
    choose.session_at_ms = T0 + 2 * DAY;
    apply_ok(&c, choose, APP, T0 + MINUTE, &out);
    assert_int_equal(c.state, WF_S7_PENDAMPINGAN);
    assert_true(has_clock(&out, WF_FX_CLOCK_STOP, 6, T0 + MINUTE));
    assert_true(has_clock(&out, WF_FX_CLOCK_START, 7, T0 + 2 * DAY));
    assert_int_equal(milestone_of(&out), WF_MS_SESSION_AGREED);
    assert_true(fx_first(&out, WF_FX_NOTIFY_HOLDER)->user_id == OTHER_PEL_ID);
    assert_true(told_role(&out, ROLE_KASI, 0));
    c = waiting;
    choose.pelaksana_id = PEL_ID;
    choose.session_at_ms = T0 + 3 * DAY;
    apply_ok(&c, choose, APP, T0 + MINUTE, &out);
    assert_true(c.pelaksana_id == PEL_ID);
    assert_true(c.session_at_ms == T0 + 3 * DAY);
    assert_true(has_clock(&out, WF_FX_CLOCK_START, 7, T0 + 3 * DAY));
    assert_true(fx_first(&out, WF_FX_NOTIFY_HOLDER)->user_id == PEL_ID);
    /* ...unless the session is already past when the applicant agrees. */
    c = waiting;
    choose.session_at_ms = T0 + 2 * DAY;
    apply_ok(&c, choose, APP, T0 + 4 * DAY, &out);
    assert_true(has_clock(&out, WF_FX_CLOCK_START, 7, T0 + 4 * DAY));
}

static void test_no_show_goes_back_to_scheduling(void **state)
{
    (void)state;
    struct wf_case c;
    struct wf_result out;
    ready_case(&c, WF_S7_PENDAMPINGAN);
    apply_ok(&c, plain_event(WF_EV_NO_SHOW), PEL, T0 + 2 * DAY + 30 * MINUTE, &out);
    assert_int_equal(c.state, WF_S6_JADWAL);
    assert_int_equal(c.returned_from_state, WF_S7_PENDAMPINGAN);
    assert_true(c.session_at_ms == 0);
    assert_true(c.pelaksana_id == PEL_ID);
    assert_true(has_clock(&out, WF_FX_CLOCK_STOP, 7, T0 + 2 * DAY + 30 * MINUTE));
    assert_true(has_clock(&out, WF_FX_CLOCK_START, 6, T0 + 2 * DAY + 30 * MINUTE));
    assert_int_equal(fx_first(&out, WF_FX_NOTIFY_HOLDER)->role, ROLE_KASI);
    assert_int_equal(milestone_of(&out), WF_MS_NONE);

    /* The Kasi proposes a new time and the applicant is asked again. */
    struct wf_event propose = plain_event(WF_EV_PROPOSE_SESSION);
    propose.pelaksana_id = PEL_ID;
    propose.session_at_ms = T0 + 6 * DAY;
    propose.slot_count = 2;
    apply_ok(&c, propose, KASI, T0 + 3 * DAY, &out);
    assert_int_equal(c.state, WF_S6_MENUNGGU_KONFIRMASI);
    assert_int_equal(c.returned_from_state, WF_STATE_NONE);
    assert_int_equal(milestone_of(&out), WF_MS_SESSION_PROPOSED);
    struct wf_event choose = plain_event(WF_EV_CONFIRM_SESSION);
    choose.pelaksana_id = PEL_ID;
    choose.session_at_ms = T0 + 6 * DAY;
    apply_ok(&c, choose, APP, T0 + 3 * DAY, &out);
    apply_ok(&c, plain_event(WF_EV_REPORT), PEL, T0 + 6 * DAY, &out);
    assert_int_equal(c.state, WF_CLOSED_SELESAI);
}

static void test_reschedule_stays_in_step7_and_does_not_count_the_gap(void **state)
{
    (void)state;
    struct wf_case c;
    struct wf_result out;
    const int64_t old_at = T0 + 2 * DAY, new_at = T0 + 4 * DAY;

    /* The Kasi moves it later: the applicant and the Pelaksana are told why,
     * the Kasi (the actor) is skipped when the notice is sent. */
    ready_case(&c, WF_S7_PENDAMPINGAN);
    struct wf_event move = plain_event(WF_EV_RESCHEDULE_SESSION);
    move.session_at_ms = new_at;
    move.note = "ruang rapat dipakai";
    apply_ok(&c, move, KASI, T0, &out);
    assert_int_equal(c.state, WF_S7_PENDAMPINGAN);
    assert_true(c.session_at_ms == new_at);
    assert_true(c.pelaksana_id == PEL_ID);
    assert_int_equal(c.returned_from_state, WF_STATE_NONE);
    assert_int_equal(fx_count(&out, WF_FX_NOTIFY_HOLDER), 0);
    assert_int_equal(clock_count(&out), 2);
    assert_true(has_clock(&out, WF_FX_CLOCK_PAUSE, 7, old_at));
    assert_true(has_clock(&out, WF_FX_CLOCK_RESUME, 7, new_at));
    assert_true(fx_index(&out, fx_first(&out, WF_FX_CLOCK_PAUSE)) <
                fx_index(&out, fx_first(&out, WF_FX_CLOCK_RESUME)));
    assert_int_equal(milestone_of(&out), WF_MS_SESSION_MOVED);
    assert_string_equal(fx_first(&out, WF_FX_NOTIFY_APPLICANT)->note, "ruang rapat dipakai");
    assert_true(told_role(&out, ROLE_PELAKSANA, PEL_ID));
    assert_true(told_role(&out, ROLE_KASI, 0));
    assert_int_equal(out.audit.acted_as, ROLE_KASI);
    assert_string_equal(out.audit.note, "ruang rapat dipakai");

    /* The applicant moves it earlier: no clock is touched, the applicant is
     * not told what they did, the Kasi and the Pelaksana are. */
    ready_case(&c, WF_S7_PENDAMPINGAN);
    move.session_at_ms = T0 + DAY;
    apply_ok(&c, move, APP, T0, &out);
    assert_true(c.session_at_ms == T0 + DAY);
    assert_int_equal(clock_count(&out), 0);
    assert_int_equal(milestone_of(&out), WF_MS_NONE);
    assert_true(told_role(&out, ROLE_PELAKSANA, PEL_ID));
    assert_true(told_role(&out, ROLE_KASI, 0));
    assert_int_equal(out.audit.acted_as, ROLE_APPLICANT);

    /* The version moves, so the old cards' buttons are stale. */
    struct wf_event again = move;
    again.expected_version = 7;
    assert_refused(&c, &again, APP, WF_ERR_STALE, NULL);
}

static void test_cancel_goes_back_to_scheduling(void **state)
{
    (void)state;
    struct wf_case c;
    struct wf_result out;
    const int64_t at = T0 + 10 * MINUTE;

    /* By the applicant: the Kasi gets the case back with the reason; the
     * Pelaksana hears it; the applicant is not told of their own cancel. */
    ready_case(&c, WF_S7_PENDAMPINGAN);
    struct wf_event cancel = plain_event(WF_EV_CANCEL_SESSION);
    cancel.note = "pemegang sertifikat dinas luar";
    apply_ok(&c, cancel, APP, at, &out);
    assert_int_equal(c.state, WF_S6_JADWAL);
    assert_int_equal(c.returned_from_state, WF_S7_PENDAMPINGAN);
    assert_true(c.session_at_ms == 0);
    assert_true(c.pelaksana_id == PEL_ID);
    assert_true(has_clock(&out, WF_FX_CLOCK_STOP, 7, at));
    assert_true(has_clock(&out, WF_FX_CLOCK_START, 6, at));
    const struct wf_effect *card = fx_first(&out, WF_FX_NOTIFY_HOLDER);
    assert_int_equal(card->role, ROLE_KASI);
    assert_string_equal(card->note, "pemegang sertifikat dinas luar");
    assert_true(told_role(&out, ROLE_PELAKSANA, PEL_ID));
    assert_false(told_role(&out, ROLE_KASI, 0)); /* the card says it */
    assert_int_equal(milestone_of(&out), WF_MS_NONE);

    /* By the Kasi: the applicant is told why. */
    ready_case(&c, WF_S7_PENDAMPINGAN);
    apply_ok(&c, cancel, KASI, at, &out);
    assert_int_equal(c.state, WF_S6_JADWAL);
    assert_int_equal(milestone_of(&out), WF_MS_SESSION_CANCELLED);
    assert_string_equal(fx_first(&out, WF_FX_NOTIFY_APPLICANT)->note,
                        "pemegang sertifikat dinas luar");
    assert_true(told_role(&out, ROLE_PELAKSANA, PEL_ID));

    /* Then a new offer, as after a no-show. */
    struct wf_event propose = plain_event(WF_EV_PROPOSE_SESSION);
    propose.pelaksana_id = OTHER_PEL_ID;
    propose.session_at_ms = T0 + 6 * DAY;
    propose.slot_count = 2;
    apply_ok(&c, propose, KASI, at, &out);
    assert_int_equal(c.state, WF_S6_MENUNGGU_KONFIRMASI);
}

static void test_session_changes_belong_to_its_two_sides(void **state)
{
    (void)state;
    struct wf_case c;
    struct wf_result out;
    ready_case(&c, WF_S7_PENDAMPINGAN);
    static const enum wf_event_kind kinds[] = { WF_EV_RESCHEDULE_SESSION, WF_EV_CANCEL_SESSION };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        struct wf_event e = ready_event(kinds[i]);
        /* The Pelaksana reports a no-show; they do not move the session. */
        assert_refused(&c, &e, PEL, WF_ERR_NOT_ALLOWED, NULL);
        assert_refused(&c, &e, OTHER_APP, WF_ERR_NOT_ALLOWED, NULL);
        assert_refused(&c, &e, ADMIN, WF_ERR_NOT_ALLOWED, NULL);
        /* A Plh Kasi acts as the Kasi, and the audit says so. */
        struct wf_actor plh_kasi = actor(KABID);
        plh_kasi.plh_roles = ROLE_KASI;
        assert_int_equal(wf_apply(&c, &e, &plh_kasi, T0, &out), 0);
        assert_int_equal(out.audit.acted_as, ROLE_KASI);
        assert_true(out.audit.via_plh);
        /* A Kasi who also runs an agency's chat acts as the Kasi. */
        struct wf_actor both = actor(KASI);
        both.roles |= ROLE_APPLICANT;
        both.agency_id = AGENCY;
        assert_int_equal(wf_apply(&c, &e, &both, T0, &out), 0);
        assert_int_equal(out.audit.acted_as, ROLE_KASI);
        assert_false(out.audit.via_plh);
        /* Plh never makes an applicant. */
        struct wf_actor fake = actor(KADIS);
        fake.plh_roles = ROLE_APPLICANT;
        fake.agency_id = AGENCY;
        assert_int_equal(wf_apply(&c, &e, &fake, T0, &out), WF_ERR_NOT_ALLOWED);
        assert_unchanged(&c, &out);
    }
}

static void test_before_may_be_the_result(void **state)
{
    (void)state;
    struct wf_result out;
    assert_int_equal(wf_case_new(9, AGENCY, T0, &out), 0);
    struct wf_actor kadis = actor(KADIS), kabid = actor(KABID);
    struct wf_event e = plain_event(WF_EV_DISPOSE);
    assert_int_equal(wf_apply(&out.after, &e, &kadis, T0, &out), 0);
    assert_int_equal(out.after.state, WF_S2_DISPOSISI_KABID);
    assert_int_equal(out.audit.state_before, WF_S1_DISPOSISI_KADIS);
    struct wf_case copy = out.after;
    e = plain_event(WF_EV_SIGN);
    assert_int_equal(wf_apply(&out.after, &e, &kabid, T0, &out), WF_ERR_WRONG_STATE);
    assert_int_equal(out.after.state, copy.state);
    assert_int_equal(out.after.version, copy.version);
}

/* --- names ------------------------------------------------------------------ */

static void assert_key(const char *key)
{
    assert_non_null(key);
    assert_true(key[0] != '\0');
    for (const char *p = key; *p; p++)
        assert_true((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_');
}

static void test_names_round_trip(void **state)
{
    (void)state;
    for (int s = WF_STATE_NONE + 1; s < WF_STATE_END; s++) {
        const char *name = wf_state_name((enum wf_state)s);
        assert_key(name);
        assert_int_equal(wf_state_parse(name), s);
        for (int t = s + 1; t < WF_STATE_END; t++)
            assert_string_not_equal(name, wf_state_name((enum wf_state)t));
    }
    assert_string_equal(wf_state_name(WF_S1_DISPOSISI_KADIS), "s1_disposisi_kadis");
    assert_string_equal(wf_state_name(WF_S6_MENUNGGU_KONFIRMASI), "s6_menunggu_konfirmasi");
    assert_string_equal(wf_state_name(WF_CLOSED_DITOLAK), "closed_ditolak");
    assert_null(wf_state_name(WF_STATE_NONE));
    assert_null(wf_state_name(WF_STATE_END));
    assert_int_equal(wf_state_parse("S1_DISPOSISI_KADIS"), WF_STATE_NONE);
    assert_int_equal(wf_state_parse(""), WF_STATE_NONE);
    assert_int_equal(wf_state_parse(NULL), WF_STATE_NONE);

    for (int k = WF_EV_NONE + 1; k < WF_EV_END; k++) {
        const char *name = wf_event_name((enum wf_event_kind)k);
        assert_key(name);
        assert_int_equal(wf_event_parse(name), k);
        for (int j = k + 1; j < WF_EV_END; j++)
            assert_string_not_equal(name, wf_event_name((enum wf_event_kind)j));
    }
    assert_string_equal(wf_event_name(WF_EV_DISPOSE), "dispose");
    assert_string_equal(wf_event_name(WF_EV_RETURN), "return");
    assert_string_equal(wf_event_name(WF_EV_NO_SHOW), "no_show");
    assert_null(wf_event_name(WF_EV_NONE));
    assert_null(wf_event_name(WF_EV_END));
    assert_int_equal(wf_event_parse("dispose "), WF_EV_NONE);
    assert_int_equal(wf_event_parse(NULL), WF_EV_NONE);

    for (int o = WF_BSRE_NONE; o < WF_BSRE_END; o++)
        assert_int_equal(wf_bsre_outcome_parse(wf_bsre_outcome_name((enum wf_bsre_outcome)o)), o);
    assert_string_equal(wf_bsre_outcome_name(WF_BSRE_INCOMPLETE), "incomplete");
    assert_null(wf_bsre_outcome_name(WF_BSRE_END));
    assert_int_equal(wf_bsre_outcome_parse("maybe"), WF_BSRE_NONE);

    for (int m = WF_MS_NONE + 1; m < WF_MS_END; m++) {
        const char *name = wf_milestone_name((enum wf_milestone)m);
        assert_key(name);
        for (int j = m + 1; j < WF_MS_END; j++)
            assert_string_not_equal(name, wf_milestone_name((enum wf_milestone)j));
    }
    assert_string_equal(wf_milestone_name(WF_MS_DOCUMENTS_REQUESTED), "documents_requested");
    assert_null(wf_milestone_name(WF_MS_NONE));

    static const struct {
        int code;
        const char *name;
    } errors[] = {
        { WF_OK, "ok" },
        { WF_ERR_STALE, "stale" },
        { WF_ERR_WRONG_STATE, "wrong_state" },
        { WF_ERR_NOT_ALLOWED, "not_allowed" },
        { WF_ERR_PRECONDITION, "precondition" },
        { WF_ERR_INVALID, "invalid" },
    };
    for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++) {
        assert_true(errors[i].code <= 0);
        assert_string_equal(wf_error_name(errors[i].code), errors[i].name);
    }
    assert_null(wf_error_name(1));
    assert_null(wf_error_name(-99));
}

/* --- wf_may: the question a card asks before it offers an action ------------- */

/* Every state x event x person, on cases lacking every combination of what a
 * case can lack (its flags, BSrE's outcome, its Pelaksana): wf_may says yes
 * exactly when wf_apply accepts the event carrying every input it may need,
 * and when it says no, wf_apply refuses with the same reason and names the
 * same missing thing. So a button the card offers is never refused later for
 * a reason the card could have known. */
static void test_may_agrees_with_apply(void **state)
{
    (void)state;
    size_t may_yes = 0, table_yes = 0;
    for (int s = WF_STATE_NONE + 1; s < WF_STATE_END; s++) {
        for (int k = WF_EV_NONE + 1; k < WF_EV_END; k++) {
            const struct allowed *row = allowed_row((enum wf_state)s, (enum wf_event_kind)k);
            for (int w = 0; w < WHO_COUNT; w++) {
                struct wf_actor a = actor((enum who)w);
                for (unsigned variant = 0; variant < 32 * WF_BSRE_END * 2; variant++) {
                    struct wf_case c;
                    ready_case(&c, (enum wf_state)s);
                    unsigned flags = variant % 32, outcome = (variant / 32) % WF_BSRE_END;
                    c.checklist_complete = flags & 1;
                    c.draft_ready = flags & 2;
                    c.files_confirmed = flags & 4;
                    c.draft_confirmed = flags & 8;
                    c.signed_letter_uploaded = flags & 16;
                    c.bsre_outcome = (enum wf_bsre_outcome)outcome;
                    if (variant / (32 * WF_BSRE_END))
                        c.pelaksana_id = 0;
                    struct wf_verdict v;
                    int may = wf_may(&c, (enum wf_event_kind)k, c.version, &a, &v);
                    assert_int_equal(may, v.error);
                    struct wf_event e = ready_event((enum wf_event_kind)k);
                    struct wf_result out;
                    int rc = wf_apply(&c, &e, &a, T0, &out);
                    if (rc != may)
                        fail_msg("%s in %s by %s (variant %u): may %s, apply %s",
                                 wf_event_name(e.kind), wf_state_name(c.state), who_names[w],
                                 variant, wf_error_name(may), wf_error_name(rc));
                    if (may == WF_ERR_PRECONDITION)
                        assert_string_equal(v.missing, out.missing);
                    else
                        assert_null(v.missing);
                    if (may == WF_OK) {
                        assert_int_equal(v.acted_as, out.audit.acted_as);
                        assert_int_equal(v.via_plh, out.audit.via_plh);
                        may_yes++;
                    }
                    /* Never yes where the SOP's table says no. */
                    if (may == WF_OK || may == WF_ERR_PRECONDITION)
                        assert_true(row && (row->who & W(w)));
                    if (variant == 0 && row && (row->who & W(w)) && c.pelaksana_id)
                        table_yes++;
                }
            }
        }
    }
    assert_true(may_yes > 0);
    assert_true(table_yes > 0);
}

static void test_may_says_why(void **state)
{
    (void)state;
    struct wf_case c;
    struct wf_verdict v;
    struct wf_actor kasi = actor(KASI), kadis = actor(KADIS), pel = actor(PEL);
    struct wf_actor other_pel = actor(OTHER_PEL), plh = actor(PLH_KADIS);

    ready_case(&c, WF_S3_VERIFIKASI_KASI);
    assert_int_equal(wf_may(&c, WF_EV_FORWARD, 7, &kasi, &v), WF_OK);
    assert_int_equal(wf_may(&c, WF_EV_FORWARD, 0, &kasi, NULL), WF_OK); /* 0: no check */
    assert_int_equal(wf_may(&c, WF_EV_FORWARD, 6, &kasi, &v), WF_ERR_STALE);
    assert_int_equal(wf_may(&c, WF_EV_FORWARD, 7, &kadis, &v), WF_ERR_NOT_ALLOWED);
    assert_int_equal(wf_may(&c, WF_EV_SIGN, 7, &kasi, &v), WF_ERR_WRONG_STATE);
    c.draft_ready = false;
    assert_int_equal(wf_may(&c, WF_EV_FORWARD, 7, &kasi, &v), WF_ERR_PRECONDITION);
    assert_string_equal(v.missing, "draft");
    /* Who may not act is not told what would be missing. */
    assert_int_equal(wf_may(&c, WF_EV_FORWARD, 7, &kadis, &v), WF_ERR_NOT_ALLOWED);
    assert_null(v.missing);
    /* A stale card is stale whoever presses it. */
    assert_int_equal(wf_may(&c, WF_EV_FORWARD, 8, &kadis, &v), WF_ERR_STALE);

    /* The inputs an event carries are not the card's business. */
    ready_case(&c, WF_S7_PENDAMPINGAN);
    assert_int_equal(wf_may(&c, WF_EV_RESCHEDULE_SESSION, 7, &kasi, &v), WF_OK);
    assert_int_equal(wf_may(&c, WF_EV_REPORT, 7, &pel, &v), WF_OK);
    assert_int_equal(wf_may(&c, WF_EV_REPORT, 7, &other_pel, &v), WF_ERR_NOT_ALLOWED);

    ready_case(&c, WF_S4_TTD_KADIS);
    assert_int_equal(wf_may(&c, WF_EV_SIGN, 7, &plh, &v), WF_OK);
    assert_int_equal(v.acted_as, ROLE_KADIS);
    assert_true(v.via_plh);

    c.state = WF_STATE_END;
    assert_int_equal(wf_may(&c, WF_EV_SIGN, 7, &kadis, &v), WF_ERR_INVALID);
    ready_case(&c, WF_S4_TTD_KADIS);
    assert_int_equal(wf_may(&c, WF_EV_END, 7, &kadis, &v), WF_ERR_INVALID);
    assert_int_equal(wf_may(&c, WF_EV_SIGN, 7, NULL, &v), WF_ERR_INVALID);
    assert_int_equal(wf_may(NULL, WF_EV_SIGN, 7, &kadis, &v), WF_ERR_INVALID);
}

/* --- what survives a return ------------------------------------------------ */

/* One row per transition that goes back: where it starts, what it carries,
 * where it lands and what it must void, with and without new documents from
 * the applicant. What a row does not void must survive. */
struct return_case {
    enum wf_state from;
    enum wf_event_kind event;
    enum who who;
    enum wf_bsre_outcome outcome;   /* the case's recorded outcome before */
    enum wf_state to;
    unsigned voids;                 /* enum wf_work bits of the case's own flags */
    unsigned outside_unchanged;     /* WF_FX_CLEAR_WORK bits, documents unchanged */
    unsigned outside_new_documents; /* WF_FX_CLEAR_WORK bits, new documents */
};

#define AFFIRMED_3_AND_4                                                                    \
    (WF_WORK_CHECKLIST_COMPLETE | WF_WORK_DRAFT_READY | WF_WORK_FILES_CONFIRMED |           \
     WF_WORK_DRAFT_CONFIRMED | WF_WORK_SIGNED_LETTER)

static const struct return_case return_cases[] = {
    { WF_S1_DISPOSISI_KADIS, WF_EV_RETURN, KADIS, WF_BSRE_ACCEPTED, WF_CLOSED_DIKEMBALIKAN, 0, 0,
      0 },
    { WF_S2_DISPOSISI_KABID, WF_EV_RETURN, KABID, WF_BSRE_ACCEPTED, WF_CLOSED_DIKEMBALIKAN, 0, 0,
      0 },
    { WF_S3_VERIFIKASI_KASI, WF_EV_REQUEST_DOCUMENTS, KASI, WF_BSRE_ACCEPTED,
      WF_S3_MENUNGGU_PEMOHON, WF_WORK_CHECKLIST_COMPLETE, 0, 0 },
    { WF_S3_MENUNGGU_PEMOHON, WF_EV_DOCUMENTS_PROVIDED, APP, WF_BSRE_ACCEPTED,
      WF_S3_VERIFIKASI_KASI, 0, 0, WF_WORK_CHECKS_MISSING },
    { WF_S4_PERIKSA_PELAKSANA, WF_EV_RETURN, PEL, WF_BSRE_ACCEPTED, WF_S3_VERIFIKASI_KASI,
      AFFIRMED_3_AND_4, 0, WF_WORK_CHECKS },
    { WF_S4_TTD_KADIS, WF_EV_RETURN, KADIS, WF_BSRE_ACCEPTED, WF_S4_PERIKSA_PELAKSANA,
      WF_WORK_DRAFT_CONFIRMED, 0, 0 },
    { WF_S5_LAPOR_KASI, WF_EV_REPORT_TO_KASI, PEL, WF_BSRE_INCOMPLETE, WF_S3_VERIFIKASI_KASI,
      AFFIRMED_3_AND_4 | WF_WORK_BSRE_OUTCOME, 0, WF_WORK_CHECKS },
    { WF_S6_TTD_KADIS, WF_EV_RETURN, KADIS, WF_BSRE_ACCEPTED, WF_S6_SURAT_KASI, 0, 0, 0 },
    { WF_S6_MENUNGGU_KONFIRMASI, WF_EV_DECLINE_SESSION, APP, WF_BSRE_ACCEPTED, WF_S6_JADWAL,
      WF_WORK_SESSION, 0, 0 },
    { WF_S7_PENDAMPINGAN, WF_EV_NO_SHOW, PEL, WF_BSRE_ACCEPTED, WF_S6_JADWAL, WF_WORK_SESSION, 0,
      0 },
    { WF_S7_PENDAMPINGAN, WF_EV_CANCEL_SESSION, KASI, WF_BSRE_ACCEPTED, WF_S6_JADWAL,
      WF_WORK_SESSION, 0, 0 },
    /* Forward, not back: the report of an accepted reply voids nothing. */
    { WF_S5_LAPOR_KASI, WF_EV_REPORT_TO_KASI, PEL, WF_BSRE_ACCEPTED, WF_S6_SURAT_KASI, 0, 0, 0 },
};

static void assert_flag(bool value, unsigned voids, unsigned bit, const char *what,
                        const struct return_case *rc)
{
    if (value == !(voids & bit))
        return;
    fail_msg("%s by %s: %s %s", wf_event_name(rc->event), wf_state_name(rc->from), what,
             value ? "survived, must be voided" : "voided, must survive");
}

static unsigned cleared_outside(const struct wf_result *r)
{
    const struct wf_effect *fx = fx_first(r, WF_FX_CLEAR_WORK);
    if (!fx)
        return 0;
    assert_int_equal(fx_index(r, fx), 0); /* before any card is drawn */
    assert_int_equal(fx_count(r, WF_FX_CLEAR_WORK), 1);
    return fx->work;
}

static void run_return_case(const struct return_case *rc, bool new_documents)
{
    struct wf_case c;
    struct wf_result out;
    ready_case(&c, rc->from);
    c.bsre_outcome = rc->outcome;
    struct wf_event e = ready_event(rc->event);
    e.documents_changed = new_documents;
    int64_t session_before = c.session_at_ms;
    apply_ok(&c, e, rc->who, T0, &out);
    assert_int_equal(c.state, rc->to);
    assert_flag(c.checklist_complete, rc->voids, WF_WORK_CHECKLIST_COMPLETE, "checklist", rc);
    assert_flag(c.draft_ready, rc->voids, WF_WORK_DRAFT_READY, "draft_ready", rc);
    assert_flag(c.files_confirmed, rc->voids, WF_WORK_FILES_CONFIRMED, "files", rc);
    assert_flag(c.draft_confirmed, rc->voids, WF_WORK_DRAFT_CONFIRMED, "draft_confirmed", rc);
    assert_flag(c.signed_letter_uploaded, rc->voids, WF_WORK_SIGNED_LETTER, "signed letter", rc);
    assert_flag(c.bsre_outcome != WF_BSRE_NONE, rc->voids, WF_WORK_BSRE_OUTCOME, "outcome", rc);
    assert_flag(c.session_at_ms == session_before, rc->voids, WF_WORK_SESSION, "session", rc);
    assert_int_equal(c.pelaksana_id, PEL_ID); /* nobody is unassigned by a return */
    unsigned outside = new_documents ? rc->outside_new_documents : rc->outside_unchanged;
    assert_int_equal(cleared_outside(&out), outside);
}

static void test_what_survives_a_return(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof return_cases / sizeof return_cases[0]; i++) {
        run_return_case(&return_cases[i], false);
        run_return_case(&return_cases[i], true);
    }
}

/* Every transition that goes back (the case remembers where from) is in
 * the table above: a new one cannot slip in without saying what it keeps. */
static void test_every_return_declares_what_survives(void **state)
{
    (void)state;
    for (int s = WF_STATE_NONE + 1; s < WF_STATE_END; s++) {
        enum wf_event_kind kinds[16];
        size_t n = wf_state_events((enum wf_state)s, kinds, 16);
        for (size_t k = 0; k < n; k++) {
            for (int o = WF_BSRE_ACCEPTED; o < WF_BSRE_END; o++) {
                struct wf_case c;
                struct wf_result out;
                ready_case(&c, (enum wf_state)s);
                c.bsre_outcome = (enum wf_bsre_outcome)o;
                struct wf_event e = ready_event(kinds[k]);
                bool applied = false;
                for (int w = 0; w < WHO_COUNT && !applied; w++)
                    applied = apply(&c, &e, (enum who)w, T0, &out) == 0;
                if (!applied || out.after.returned_from_state == WF_STATE_NONE)
                    continue;
                bool listed = false;
                for (size_t i = 0; i < sizeof return_cases / sizeof return_cases[0]; i++)
                    listed |= (int)return_cases[i].from == s && return_cases[i].event == kinds[k] &&
                              return_cases[i].to == out.after.state;
                if (!listed)
                    fail_msg("%s in %s goes back to %s: not in return_cases",
                             wf_event_name(kinds[k]), wf_state_name((enum wf_state)s),
                             wf_state_name(out.after.state));
            }
        }
    }
}

/* Nothing else voids the Kasi's ticks, whatever the documents did. */
static void test_only_returns_clear_work(void **state)
{
    (void)state;
    for (int s = WF_STATE_NONE + 1; s < WF_STATE_END; s++) {
        enum wf_event_kind kinds[16];
        size_t n = wf_state_events((enum wf_state)s, kinds, 16);
        for (size_t k = 0; k < n; k++) {
            struct wf_case c;
            struct wf_result out;
            ready_case(&c, (enum wf_state)s);
            struct wf_event e = ready_event(kinds[k]);
            e.documents_changed = true;
            for (int w = 0; w < WHO_COUNT; w++) {
                if (apply(&c, &e, (enum who)w, T0, &out) != 0)
                    continue;
                bool listed = false;
                for (size_t i = 0; i < sizeof return_cases / sizeof return_cases[0]; i++)
                    listed |= (int)return_cases[i].from == s && return_cases[i].event == kinds[k];
                if (!listed)
                    assert_int_equal(fx_count(&out, WF_FX_CLEAR_WORK), 0);
                break;
            }
        }
    }
}


/* --- second thoughts: confirm and undo --------------------------------------- */

static void test_which_actions_ask_twice(void **state)
{
    (void)state;
    /* The returns that close the request; not the ones that go back a step. */
    assert_true(wf_event_confirms(WF_S1_DISPOSISI_KADIS, WF_EV_RETURN, WF_BSRE_NONE));
    assert_true(wf_event_confirms(WF_S2_DISPOSISI_KABID, WF_EV_RETURN, WF_BSRE_NONE));
    assert_false(wf_event_confirms(WF_S4_TTD_KADIS, WF_EV_RETURN, WF_BSRE_NONE));
    assert_false(wf_event_confirms(WF_S4_PERIKSA_PELAKSANA, WF_EV_RETURN, WF_BSRE_NONE));
    /* Both signatures; only the rejection among BSrE's answers. */
    assert_true(wf_event_confirms(WF_S4_TTD_KADIS, WF_EV_SIGN, WF_BSRE_NONE));
    assert_true(wf_event_confirms(WF_S6_TTD_KADIS, WF_EV_SIGN, WF_BSRE_NONE));
    assert_true(wf_event_confirms(WF_S5_MENUNGGU_BSRE, WF_EV_BSRE_REPLY, WF_BSRE_REJECTED));
    assert_false(wf_event_confirms(WF_S5_MENUNGGU_BSRE, WF_EV_BSRE_REPLY, WF_BSRE_ACCEPTED));
    assert_false(wf_event_confirms(WF_S5_MENUNGGU_BSRE, WF_EV_BSRE_REPLY, WF_BSRE_INCOMPLETE));
    assert_false(wf_event_confirms(WF_S1_DISPOSISI_KADIS, WF_EV_DISPOSE, WF_BSRE_NONE));
    /* The signed notification reaches the applicant at once: no undo. */
    assert_true(wf_event_undoable(WF_S4_TTD_KADIS, WF_EV_SIGN, WF_BSRE_NONE));
    assert_false(wf_event_undoable(WF_S6_TTD_KADIS, WF_EV_SIGN, WF_BSRE_NONE));
    assert_true(wf_event_undoable(WF_S1_DISPOSISI_KADIS, WF_EV_RETURN, WF_BSRE_NONE));
    assert_true(wf_event_undoable(WF_S5_MENUNGGU_BSRE, WF_EV_BSRE_REPLY, WF_BSRE_REJECTED));
    assert_false(wf_event_undoable(WF_S3_VERIFIKASI_KASI, WF_EV_FORWARD, WF_BSRE_NONE));
    /* Nobody takes an undo through wf_apply. */
    struct wf_case c;
    ready_case(&c, WF_S2_DISPOSISI_KABID);
    struct wf_event e = ready_event(WF_EV_UNDO);
    assert_refused(&c, &e, KABID, WF_ERR_WRONG_STATE, NULL);
    assert_string_equal(wf_event_name(WF_EV_UNDO), "undo");
}

/* The Kabid returns a request at step 2 at T0; *u is what the handler keeps. */
static void kabid_returns(struct wf_case *before, struct wf_case *after, struct wf_undo *u)
{
    ready_case(before, WF_S2_DISPOSISI_KABID);
    before->returned_from_state = WF_STATE_NONE;
    struct wf_event e = ready_event(WF_EV_RETURN);
    struct wf_actor kabid = actor(KABID);
    struct wf_result r;
    assert_int_equal(wf_apply(before, &e, &kabid, T0, &r), 0);
    assert_int_equal(r.after.state, WF_CLOSED_DIKEMBALIKAN);
    *after = r.after;
    assert_int_equal(wf_undo_record(before, &e, &r, T0, u), WF_UNDO_OK);
    assert_int_equal(u->actor_id, KABID_ID);
    assert_int_equal(u->version_after, 8);
    assert_int_equal(u->deadline_ms, T0 + WF_UNDO_WINDOW_MS);
}

static void test_undo_allowed_restores_the_case(void **state)
{
    (void)state;
    struct wf_case before, after;
    struct wf_undo u;
    kabid_returns(&before, &after, &u);
    struct wf_actor kabid = actor(KABID);
    assert_int_equal(wf_undo_may(&after, &u, &kabid, T0 + 30 * 1000), WF_UNDO_OK);
    /* At the deadline itself it is still in time. */
    assert_int_equal(wf_undo_may(&after, &u, &kabid, T0 + WF_UNDO_WINDOW_MS), WF_UNDO_OK);

    struct wf_result out;
    assert_int_equal(wf_undo_apply(&after, &u, &kabid, T0 + 30 * 1000, &out), WF_UNDO_OK);
    /* Everything as before, but a new version: every card drawn since is stale. */
    assert_int_equal(out.after.state, WF_S2_DISPOSISI_KABID);
    assert_int_equal(out.after.version, 9);
    struct wf_case expect = before;
    expect.version = 9;
    assert_memory_equal(&out.after, &expect, sizeof expect);
    /* The clock the return stopped runs on; the applicant's news and the
     * Kadis's FYI are withdrawn; the Kabid has the card again. */
    assert_int_equal(fx_count(&out, WF_FX_CLOCK_UNSTOP), 1);
    assert_int_equal(fx_first(&out, WF_FX_CLOCK_UNSTOP)->step, 2);
    assert_int_equal(fx_count(&out, WF_FX_CLOCK_UNSTART), 0);
    assert_int_equal(fx_count(&out, WF_FX_WITHDRAW), 2);
    bool applicant = false, kadis = false;
    for (size_t i = 0; i < out.effect_count; i++) {
        const struct wf_effect *fx = &out.effects[i];
        if (fx->kind != WF_FX_WITHDRAW)
            continue;
        applicant |= fx->agency_id == AGENCY && fx->role == ROLE_APPLICANT;
        kadis |= fx->role == ROLE_KADIS;
        assert_false(fx->card); /* news and an FYI, no task card */
        assert_int_equal(fx->state, WF_CLOSED_DIKEMBALIKAN);
        assert_null(fx->note);
    }
    assert_true(applicant);
    assert_true(kadis);
    const struct wf_effect *card = fx_first(&out, WF_FX_NOTIFY_HOLDER);
    assert_non_null(card);
    assert_int_equal(card->role, ROLE_KABID);
    assert_int_equal(card->user_id, KABID_ID);
    assert_int_equal(card->state, WF_S2_DISPOSISI_KABID);
    assert_int_equal(out.effects[out.effect_count - 1].kind, WF_FX_NOTIFY_HOLDER);
    assert_int_equal(out.effects[0].kind, WF_FX_CLOCK_UNSTOP);
    /* "diurungkan" in the audit, by the Kabid, from closed back to step 2. */
    assert_int_equal(out.audit.event, WF_EV_UNDO);
    assert_int_equal(out.audit.actor_id, KABID_ID);
    assert_int_equal(out.audit.acted_as, ROLE_KABID);
    assert_int_equal(out.audit.state_before, WF_CLOSED_DIKEMBALIKAN);
    assert_int_equal(out.audit.state_after, WF_S2_DISPOSISI_KABID);
    assert_int_equal(out.audit.at_ms, T0 + 30 * 1000);
}

static void test_undo_too_late(void **state)
{
    (void)state;
    struct wf_case before, after;
    struct wf_undo u;
    kabid_returns(&before, &after, &u);
    struct wf_actor kabid = actor(KABID);
    assert_int_equal(wf_undo_may(&after, &u, &kabid, T0 + WF_UNDO_WINDOW_MS + 1),
                     WF_UNDO_TOO_LATE);
    struct wf_result out;
    assert_int_equal(wf_undo_apply(&after, &u, &kabid, T0 + 61 * 1000, &out), WF_UNDO_TOO_LATE);
    /* A refusal changes nothing. */
    assert_memory_equal(&out.after, &after, sizeof after);
    assert_int_equal(out.effect_count, 0);
    assert_int_equal(out.audit.event, WF_EV_NONE);
    assert_string_equal(wf_undo_refusal_name(WF_UNDO_TOO_LATE), "too_late");
}

static void test_undo_wrong_actor(void **state)
{
    (void)state;
    struct wf_case before, after;
    struct wf_undo u;
    kabid_returns(&before, &after, &u);
    /* Another official, even the Kadis above the Kabid, or an admin. */
    static const enum who others[] = { KADIS, KASI, PEL, APP, ADMIN, NOBODY };
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        struct wf_actor a = actor(others[i]);
        assert_int_equal(wf_undo_may(&after, &u, &a, T0 + 1000), WF_UNDO_NOT_ACTOR);
        struct wf_result out;
        assert_int_equal(wf_undo_apply(&after, &u, &a, T0 + 1000, &out), WF_UNDO_NOT_ACTOR);
        assert_memory_equal(&out.after, &after, sizeof after);
    }
    /* Somebody else learns nothing more, not even that it is too late. */
    struct wf_actor kadis = actor(KADIS);
    assert_int_equal(wf_undo_may(&after, &u, &kadis, T0 + DAY), WF_UNDO_NOT_ACTOR);
    /* The same person without the role they acted in (no longer Kabid). */
    struct wf_actor former = actor(KABID);
    former.roles = 0;
    assert_int_equal(wf_undo_may(&after, &u, &former, T0 + 1000), WF_UNDO_NOT_ACTOR);
}

static void test_undo_version_moved(void **state)
{
    (void)state;
    struct wf_case before, after;
    struct wf_undo u;
    kabid_returns(&before, &after, &u);
    struct wf_actor kabid = actor(KABID);
    /* Anything applied after the action moved the version on. */
    struct wf_case moved = after;
    moved.version++;
    assert_int_equal(wf_undo_may(&moved, &u, &kabid, T0 + 1000), WF_UNDO_MOVED_ON);
    /* So did an undo already taken: a second press is refused. */
    struct wf_result out;
    assert_int_equal(wf_undo_apply(&after, &u, &kabid, T0 + 1000, &out), WF_UNDO_OK);
    assert_int_equal(wf_undo_may(&out.after, &u, &kabid, T0 + 2000), WF_UNDO_MOVED_ON);
    /* The applicant submitted the returned request again: a fact the
     * version cannot show. Moved on comes before "too late". */
    u.next_acted = true;
    assert_int_equal(wf_undo_may(&after, &u, &kabid, T0 + 1000), WF_UNDO_MOVED_ON);
    assert_int_equal(wf_undo_may(&after, &u, &kabid, T0 + DAY), WF_UNDO_MOVED_ON);
    /* Another case's record is no undo of this one. */
    u.next_acted = false;
    struct wf_case other = after;
    other.case_id = 43;
    assert_int_equal(wf_undo_may(&other, &u, &kabid, T0 + 1000), WF_UNDO_INVALID);
}

static void test_undo_of_signature_and_rejection(void **state)
{
    (void)state;
    /* The recommendation signed: the Pelaksana's card is withdrawn, no clock
     * moved (step 4 goes on); a letter queued for BSrE cannot be called back. */
    struct wf_case before;
    ready_case(&before, WF_S4_TTD_KADIS);
    struct wf_event e = ready_event(WF_EV_SIGN);
    struct wf_actor kadis = actor(KADIS);
    struct wf_result r;
    assert_int_equal(wf_apply(&before, &e, &kadis, T0, &r), 0);
    struct wf_undo u;
    assert_int_equal(wf_undo_record(&before, &e, &r, T0, &u), WF_UNDO_OK);
    struct wf_result out;
    assert_int_equal(wf_undo_apply(&r.after, &u, &kadis, T0 + 1000, &out), WF_UNDO_OK);
    assert_int_equal(out.after.state, WF_S4_TTD_KADIS);
    assert_int_equal(fx_count(&out, WF_FX_CLOCK_UNSTART) + fx_count(&out, WF_FX_CLOCK_UNSTOP), 0);
    assert_int_equal(fx_count(&out, WF_FX_WITHDRAW), 1);
    assert_int_equal(fx_first(&out, WF_FX_WITHDRAW)->role, ROLE_PELAKSANA);
    assert_int_equal(fx_first(&out, WF_FX_WITHDRAW)->user_id, PEL_ID);
    assert_true(fx_first(&out, WF_FX_WITHDRAW)->card);
    u.letter_left = true;
    assert_int_equal(wf_undo_may(&r.after, &u, &kadis, T0 + 1000), WF_UNDO_LETTER_LEFT);

    /* The notification signed: confirmed, but no undo is recorded. */
    ready_case(&before, WF_S6_TTD_KADIS);
    assert_int_equal(wf_apply(&before, &e, &kadis, T0, &r), 0);
    assert_int_equal(wf_undo_record(&before, &e, &r, T0, &u), WF_UNDO_INVALID);

    /* BSrE's rejection recorded: step 5's clock, started by it, is void. */
    ready_case(&before, WF_S5_MENUNGGU_BSRE);
    before.bsre_outcome = WF_BSRE_NONE;
    e = ready_event(WF_EV_BSRE_REPLY);
    e.bsre_outcome = WF_BSRE_REJECTED;
    struct wf_actor pel = actor(PEL);
    assert_int_equal(wf_apply(&before, &e, &pel, T0, &r), 0);
    assert_int_equal(wf_undo_record(&before, &e, &r, T0, &u), WF_UNDO_OK);
    assert_int_equal(wf_undo_apply(&r.after, &u, &pel, T0 + 1000, &out), WF_UNDO_OK);
    assert_int_equal(out.after.state, WF_S5_MENUNGGU_BSRE);
    assert_int_equal(out.after.bsre_outcome, WF_BSRE_NONE);
    assert_int_equal(fx_count(&out, WF_FX_CLOCK_UNSTART), 1);
    assert_int_equal(fx_first(&out, WF_FX_CLOCK_UNSTART)->step, 5);
    assert_int_equal(fx_count(&out, WF_FX_WITHDRAW), 1); /* the new card of step 5 */
    /* An accepted reply takes no undo. */
    e.bsre_outcome = WF_BSRE_ACCEPTED;
    assert_int_equal(wf_apply(&before, &e, &pel, T0, &r), 0);
    assert_int_equal(wf_undo_record(&before, &e, &r, T0, &u), WF_UNDO_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_state_event_and_person),
        cmocka_unit_test(test_state_events_match_the_table),
        cmocka_unit_test(test_state_steps_holders_and_pauses),
        cmocka_unit_test(test_stale_version_is_refused),
        cmocka_unit_test(test_double_tap_second_is_stale),
        cmocka_unit_test(test_version_skips_zero_when_it_wraps),
        cmocka_unit_test(test_missing_note_is_precondition),
        cmocka_unit_test(test_forward_needs_checklist_and_draft),
        cmocka_unit_test(test_other_preconditions_name_what_is_missing),
        cmocka_unit_test(test_malformed_input_is_invalid),
        cmocka_unit_test(test_plh_is_recorded_in_audit),
        cmocka_unit_test(test_admin_alone_cannot_dispose),
        cmocka_unit_test(test_pelaksana_state_belongs_to_the_assigned_one),
        cmocka_unit_test(test_reassign_tells_both_pelaksana),
        cmocka_unit_test(test_applicant_of_another_agency_is_refused),
        cmocka_unit_test(test_case_new_starts_at_step1),
        cmocka_unit_test(test_happy_path_to_closed),
        cmocka_unit_test(test_returns_go_back_and_tell_why),
        cmocka_unit_test(test_incomplete_reply_loops_back_to_step3),
        cmocka_unit_test(test_mail_reply_starts_step5_at_arrival),
        cmocka_unit_test(test_rejected_closes_after_signature),
        cmocka_unit_test(test_clock_effects_pause_and_resume),
        cmocka_unit_test(test_no_show_goes_back_to_scheduling),
        cmocka_unit_test(test_reschedule_stays_in_step7_and_does_not_count_the_gap),
        cmocka_unit_test(test_cancel_goes_back_to_scheduling),
        cmocka_unit_test(test_session_changes_belong_to_its_two_sides),
        cmocka_unit_test(test_before_may_be_the_result),
        cmocka_unit_test(test_names_round_trip),
        cmocka_unit_test(test_may_agrees_with_apply),
        cmocka_unit_test(test_may_says_why),
        cmocka_unit_test(test_what_survives_a_return),
        cmocka_unit_test(test_every_return_declares_what_survives),
        cmocka_unit_test(test_only_returns_clear_work),
        cmocka_unit_test(test_which_actions_ask_twice),
        cmocka_unit_test(test_undo_allowed_restores_the_case),
        cmocka_unit_test(test_undo_too_late),
        cmocka_unit_test(test_undo_wrong_actor),
        cmocka_unit_test(test_undo_version_moved),
        cmocka_unit_test(test_undo_of_signature_and_rejection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
