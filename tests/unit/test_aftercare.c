/* The aftercare flows' state machine (core/aftercare.h): for every kind,
 * state, event and person, what is allowed is written out here by hand from
 * issue 14 (never from aftercare.c's tables), and a refusal changes nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <string.h>

#include "aftercare.h"

#define AGENCY 7
#define OTHER_AGENCY 8
#define KASI_ID 103
#define PEL_ID INT64_C(4000000000104)
#define OTHER_PEL_ID 105
#define APPLICANT_ID 201
#define ADMIN_ID 301
#define T0 INT64_C(1767600000000)

enum who { KADIS, KABID, KASI, PLH_KASI, PEL, OTHER_PEL, APP, OTHER_APP, ADMIN, NOBODY, WHO_END };

static struct wf_actor actor_of(enum who who)
{
    switch (who) {
    case KADIS: return (struct wf_actor){ .user_id = 101, .roles = ROLE_KADIS };
    case KABID: return (struct wf_actor){ .user_id = 102, .roles = ROLE_KABID };
    case KASI: return (struct wf_actor){ .user_id = KASI_ID, .roles = ROLE_KASI };
    case PLH_KASI:
        return (struct wf_actor){ .user_id = 104, .roles = ROLE_KABID, .plh_roles = ROLE_KASI };
    case PEL: return (struct wf_actor){ .user_id = PEL_ID, .roles = ROLE_PELAKSANA };
    case OTHER_PEL: return (struct wf_actor){ .user_id = OTHER_PEL_ID, .roles = ROLE_PELAKSANA };
    case APP:
        return (struct wf_actor){ .user_id = APPLICANT_ID, .roles = ROLE_APPLICANT,
                                  .agency_id = AGENCY };
    case OTHER_APP:
        return (struct wf_actor){ .user_id = 202, .roles = ROLE_APPLICANT,
                                  .agency_id = OTHER_AGENCY };
    case ADMIN: return (struct wf_actor){ .user_id = ADMIN_ID, .roles = ROLE_ADMIN };
    default: return (struct wf_actor){ .user_id = 401 };
    }
}

static void assert_same_request(const struct ac_request *a, const struct ac_request *b)
{
    assert_int_equal(a->id, b->id);
    assert_int_equal(a->kind, b->kind);
    assert_int_equal(a->state, b->state);
    assert_int_equal(a->version, b->version);
    assert_int_equal(a->agency_id, b->agency_id);
    assert_int_equal(a->requested_by, b->requested_by);
    assert_int_equal(a->pelaksana_id, b->pelaksana_id);
}

static struct ac_request request_in(enum ac_kind kind, enum ac_state state)
{
    return (struct ac_request){ .id = 5, .kind = kind, .state = state, .version = 3,
                                .agency_id = AGENCY, .requested_by = APPLICANT_ID,
                                .pelaksana_id = state == AC_S_KASI ? 0 : PEL_ID };
}

/* A full event: the note and the Pelaksana set, so only the rule decides. */
static struct ac_event full_event(enum ac_event_kind kind)
{
    return (struct ac_event){ .kind = kind, .expected_version = 3, .note = "catatan",
                              .pelaksana_id = kind == AC_EV_REASSIGN ? OTHER_PEL_ID : PEL_ID };
}

/* The rule, by hand: who may send `ev` in `state`. */
static int expected(enum ac_state state, enum ac_event_kind ev, enum who who)
{
    bool kasi = who == KASI || who == PLH_KASI;
    if (state == AC_S_KASI) {
        if (ev != AC_EV_CONFIRM && ev != AC_EV_RETURN)
            return AC_ERR_WRONG_STATE;
        return kasi ? AC_OK : AC_ERR_NOT_ALLOWED;
    }
    if (state == AC_S_PELAKSANA) {
        if (ev == AC_EV_DONE)
            return who == PEL ? AC_OK : AC_ERR_NOT_ALLOWED;
        if (ev == AC_EV_REASSIGN)
            return kasi || who == ADMIN ? AC_OK : AC_ERR_NOT_ALLOWED;
        return AC_ERR_WRONG_STATE;
    }
    return AC_ERR_WRONG_STATE; /* closed */
}

static enum ac_state expected_after(enum ac_event_kind ev, enum ac_state state)
{
    switch (ev) {
    case AC_EV_CONFIRM: return AC_S_PELAKSANA;
    case AC_EV_RETURN: return AC_S_RETURNED;
    case AC_EV_DONE: return AC_S_DONE;
    default: return state;
    }
}

static bool has_effect(const struct ac_result *r, enum ac_effect_kind kind, int64_t user_id)
{
    for (size_t i = 0; i < r->effect_count; i++)
        if (r->effects[i].kind == kind && (user_id < 0 || r->effects[i].user_id == user_id))
            return true;
    return false;
}

static void every_state_event_person(void **state)
{
    (void)state;
    for (int kind = AC_REVOKE; kind < AC_KIND_END; kind++)
        for (int s = AC_S_KASI; s < AC_STATE_END; s++)
            for (int ev = AC_EV_CONFIRM; ev < AC_EV_END; ev++)
                for (int who = 0; who < WHO_END; who++) {
                    struct ac_request before = request_in(kind, s);
                    struct ac_event e = full_event(ev);
                    struct wf_actor a = actor_of(who);
                    struct ac_result out;
                    int rc = ac_apply(&before, &e, &a, T0, &out);
                    int want = expected(s, ev, who);
                    if (rc != want)
                        fail_msg("kind %d state %s event %s who %d: %d, expected %d", kind,
                                 ac_state_name(s), ac_event_name(ev), who, rc, want);
                    assert_int_equal(out.error, rc);
                    if (rc) {
                        assert_same_request(&out.after, &before);
                        assert_int_equal(out.effect_count, 0);
                        assert_int_equal(out.audit.actor_id, 0);
                        continue;
                    }
                    assert_int_equal(out.after.state, expected_after(ev, s));
                    assert_int_equal(out.after.version, 4);
                    assert_int_equal(out.audit.actor_id, a.user_id);
                    assert_int_equal(out.audit.event, ev);
                    assert_int_equal(out.audit.state_before, s);
                    assert_int_equal(out.audit.via_plh, who == PLH_KASI);
                }
}

/* Stale comes before everything else, and a closed request takes nothing. */
static void stale_and_order(void **state)
{
    (void)state;
    struct ac_request r = request_in(AC_REVOKE, AC_S_KASI);
    struct ac_event e = full_event(AC_EV_CONFIRM);
    e.expected_version = 2;
    struct wf_actor nobody = actor_of(NOBODY), kasi = actor_of(KASI);
    struct ac_result out;
    assert_int_equal(ac_apply(&r, &e, &nobody, T0, &out), AC_ERR_STALE);
    e.expected_version = 0; /* not checked */
    assert_int_equal(ac_apply(&r, &e, &kasi, T0, &out), AC_OK);
    /* not allowed before a missing choice: nobody learns what is missing */
    e.pelaksana_id = 0;
    assert_int_equal(ac_apply(&r, &e, &nobody, T0, &out), AC_ERR_NOT_ALLOWED);
    assert_null(out.missing);
    assert_int_equal(ac_apply(&r, &e, &kasi, T0, &out), AC_ERR_PRECONDITION);
    assert_string_equal(out.missing, "pelaksana");
    struct ac_event ret = full_event(AC_EV_RETURN);
    ret.note = "";
    assert_int_equal(ac_apply(&r, &ret, &kasi, T0, &out), AC_ERR_PRECONDITION);
    assert_string_equal(out.missing, "note");
    assert_same_request(&out.after, &r);
}

static void malformed_input(void **state)
{
    (void)state;
    struct ac_request r = request_in(AC_REVOKE, AC_S_KASI);
    struct ac_event e = full_event(AC_EV_CONFIRM);
    struct wf_actor kasi = actor_of(KASI);
    struct ac_result out;
    assert_int_equal(ac_apply(NULL, &e, &kasi, T0, &out), AC_ERR_INVALID);
    assert_int_equal(ac_apply(&r, NULL, &kasi, T0, &out), AC_ERR_INVALID);
    assert_int_equal(ac_apply(&r, &e, NULL, T0, &out), AC_ERR_INVALID);
    assert_int_equal(ac_apply(&r, &e, &kasi, -1, &out), AC_ERR_INVALID);
    assert_int_equal(ac_apply(&r, &e, &kasi, T0, NULL), AC_ERR_INVALID);
    struct ac_event bad = e;
    bad.kind = AC_EV_END;
    assert_int_equal(ac_apply(&r, &bad, &kasi, T0, &out), AC_ERR_INVALID);
    bad = e;
    bad.pelaksana_id = -4;
    assert_int_equal(ac_apply(&r, &bad, &kasi, T0, &out), AC_ERR_INVALID);
    struct ac_request broken = r;
    broken.state = AC_STATE_END;
    assert_int_equal(ac_apply(&broken, &e, &kasi, T0, &out), AC_ERR_INVALID);
    broken = r;
    broken.kind = AC_KIND_NONE;
    assert_int_equal(ac_apply(&broken, &e, &kasi, T0, &out), AC_ERR_INVALID);
    broken = r;
    broken.version = 0;
    assert_int_equal(ac_apply(&broken, &e, &kasi, T0, &out), AC_ERR_INVALID);
}

/* Who may start a request: exhaustive over kind and person and agency. */
static void who_may_start(void **state)
{
    (void)state;
    for (int kind = AC_REVOKE; kind < AC_KIND_END; kind++)
        for (int who = 0; who < WHO_END; who++) {
            struct wf_actor a = actor_of(who);
            struct ac_result out;
            int rc = ac_request_new(kind, AGENCY, &a, T0, &out);
            bool official = who == KADIS || who == KABID || who == KASI || who == PLH_KASI ||
                            who == PEL || who == OTHER_PEL;
            bool kasi = who == KASI || who == PLH_KASI;
            bool may = who == APP || (kind == AC_REVOKE ? official : kasi);
            if (rc != (may ? AC_OK : AC_ERR_NOT_ALLOWED))
                fail_msg("kind %d who %d: %d", kind, who, rc);
            if (!may)
                continue;
            assert_int_equal(out.after.state, AC_S_KASI);
            assert_int_equal(out.after.version, 1);
            assert_int_equal(out.after.agency_id, AGENCY);
            assert_int_equal(out.after.requested_by, a.user_id);
            assert_true(has_effect(&out, AC_FX_CARD_KASI, -1));
            assert_int_equal(has_effect(&out, AC_FX_CLOCK_START, -1), kind == AC_HELP);
        }
    struct wf_actor app = actor_of(APP);
    struct ac_result out;
    assert_int_equal(ac_request_new(AC_REVOKE, OTHER_AGENCY, &app, T0, &out),
                     AC_ERR_NOT_ALLOWED);
    assert_int_equal(ac_request_new(AC_KIND_END, AGENCY, &app, T0, &out), AC_ERR_INVALID);
    assert_int_equal(ac_request_new(AC_REVOKE, 0, &app, T0, &out), AC_ERR_INVALID);
}

/* What follows: the e-mail only when mail is on, the register row only at
 * the end of a revocation, the clock only for help. */
static void effects(void **state)
{
    (void)state;
    struct wf_actor kasi = actor_of(KASI), pel = actor_of(PEL), admin = actor_of(ADMIN);
    struct ac_result out;
    struct ac_request r = request_in(AC_REVOKE, AC_S_KASI);
    struct ac_event e = full_event(AC_EV_CONFIRM);
    e.by_mail = true;
    assert_int_equal(ac_apply(&r, &e, &kasi, T0, &out), AC_OK);
    assert_true(has_effect(&out, AC_FX_MAIL_BSRE, -1));
    assert_true(has_effect(&out, AC_FX_CARD_PELAKSANA, PEL_ID));
    assert_true(has_effect(&out, AC_FX_TELL_REQUESTER, APPLICANT_ID));
    assert_int_equal(out.after.pelaksana_id, PEL_ID);
    e.by_mail = false;
    assert_int_equal(ac_apply(&r, &e, &kasi, T0, &out), AC_OK);
    assert_false(has_effect(&out, AC_FX_MAIL_BSRE, -1));
    struct ac_request h = request_in(AC_HELP, AC_S_KASI);
    e.by_mail = true; /* a help request never mails BSrE */
    assert_int_equal(ac_apply(&h, &e, &kasi, T0, &out), AC_OK);
    assert_false(has_effect(&out, AC_FX_MAIL_BSRE, -1));

    struct ac_request p = request_in(AC_REVOKE, AC_S_PELAKSANA);
    struct ac_event done = full_event(AC_EV_DONE);
    done.note = NULL; /* optional */
    assert_int_equal(ac_apply(&p, &done, &pel, T0, &out), AC_OK);
    assert_true(has_effect(&out, AC_FX_REVOKE_CERT, -1));
    assert_false(has_effect(&out, AC_FX_CLOCK_STOP, -1));
    assert_true(has_effect(&out, AC_FX_TELL_REQUESTER, APPLICANT_ID));
    struct ac_request hp = request_in(AC_HELP, AC_S_PELAKSANA);
    assert_int_equal(ac_apply(&hp, &done, &pel, T0, &out), AC_OK);
    assert_false(has_effect(&out, AC_FX_REVOKE_CERT, -1));
    assert_true(has_effect(&out, AC_FX_CLOCK_STOP, -1));

    struct ac_event re = full_event(AC_EV_REASSIGN);
    assert_int_equal(ac_apply(&p, &re, &admin, T0, &out), AC_OK);
    assert_int_equal(out.after.pelaksana_id, OTHER_PEL_ID);
    assert_int_equal(out.after.state, AC_S_PELAKSANA);
    assert_true(has_effect(&out, AC_FX_TELL_PELAKSANA, PEL_ID));
    assert_true(has_effect(&out, AC_FX_CARD_PELAKSANA, OTHER_PEL_ID));
    assert_int_equal(out.audit.acted_as, ROLE_ADMIN);
    /* the old Pelaksana may no longer record it */
    struct ac_request moved = out.after;
    done.expected_version = 0;
    assert_int_equal(ac_apply(&moved, &done, &pel, T0, &out), AC_ERR_NOT_ALLOWED);

    struct ac_event ret = full_event(AC_EV_RETURN);
    assert_int_equal(ac_apply(&h, &ret, &kasi, T0, &out), AC_OK);
    assert_true(has_effect(&out, AC_FX_CLOCK_STOP, -1));
    assert_string_equal(out.audit.note, "catatan");
}

static void names_round_trip(void **state)
{
    (void)state;
    for (int k = AC_REVOKE; k < AC_KIND_END; k++)
        assert_int_equal(ac_kind_parse(ac_kind_name(k)), k);
    for (int s = AC_S_KASI; s < AC_STATE_END; s++)
        assert_int_equal(ac_state_parse(ac_state_name(s)), s);
    for (int e = AC_EV_CONFIRM; e < AC_EV_END; e++)
        assert_int_equal(ac_event_parse(ac_event_name(e)), e);
    for (int r = AC_REASON_MUTASI; r < AC_REASON_END; r++)
        assert_int_equal(ac_reason_parse(ac_reason_name(r)), r);
    assert_null(ac_state_name(AC_STATE_END));
    assert_int_equal(ac_reason_parse("dipecat"), AC_REASON_NONE);
    assert_int_equal(ac_reason_parse(NULL), AC_REASON_NONE);
    assert_true(ac_reason_fits(AC_REVOKE, AC_REASON_MUTASI));
    assert_true(ac_reason_fits(AC_REVOKE, AC_REASON_MENINGGAL));
    assert_false(ac_reason_fits(AC_HELP, AC_REASON_PENSIUN));
    assert_true(ac_reason_fits(AC_HELP, AC_REASON_TERBIT_ULANG));
    assert_false(ac_reason_fits(AC_REVOKE, AC_REASON_LUPA_PASSPHRASE));
    assert_true(ac_state_closed(AC_S_DONE));
    assert_true(ac_state_closed(AC_S_RETURNED));
    assert_false(ac_state_closed(AC_S_PELAKSANA));
    enum ac_event_kind kinds[4];
    assert_int_equal(ac_state_events(AC_REVOKE, AC_S_DONE, kinds, 4), 0);
    assert_int_equal(ac_state_events(AC_HELP, AC_S_KASI, kinds, 4), 2);
    assert_int_equal(kinds[0], AC_EV_CONFIRM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_state_event_person),
        cmocka_unit_test(stale_and_order),
        cmocka_unit_test(malformed_input),
        cmocka_unit_test(who_may_start),
        cmocka_unit_test(effects),
        cmocka_unit_test(names_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
