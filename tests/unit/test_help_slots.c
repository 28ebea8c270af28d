/* Who may offer, pick, move or cancel a help request's session
 * (core/help_slots.h): every action for every person, written out here by
 * hand from issue 14, and the order of the refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>

#include "help_slots.h"

#define PEL_ID INT64_C(4000000000104)
#define OPERATOR_ID 201

enum who { KADIS, KABID, KASI, PLH_KASI, PEL, OTHER_PEL, OPERATOR, OTHER_OPERATOR, ADMIN, WHO_END };

static struct wf_actor actor_of(enum who who)
{
    switch (who) {
    case KADIS: return (struct wf_actor){ .user_id = 101, .roles = ROLE_KADIS };
    case KABID: return (struct wf_actor){ .user_id = 102, .roles = ROLE_KABID };
    case KASI: return (struct wf_actor){ .user_id = 103, .roles = ROLE_KASI };
    case PLH_KASI:
        return (struct wf_actor){ .user_id = 104, .roles = ROLE_KABID, .plh_roles = ROLE_KASI };
    case PEL: return (struct wf_actor){ .user_id = PEL_ID, .roles = ROLE_PELAKSANA };
    case OTHER_PEL: return (struct wf_actor){ .user_id = 105, .roles = ROLE_PELAKSANA };
    case OPERATOR:
        return (struct wf_actor){ .user_id = OPERATOR_ID, .roles = ROLE_APPLICANT, .agency_id = 7 };
    case OTHER_OPERATOR:
        return (struct wf_actor){ .user_id = 202, .roles = ROLE_APPLICANT, .agency_id = 7 };
    default: return (struct wf_actor){ .user_id = 301, .roles = ROLE_ADMIN };
    }
}

static struct ac_request help_with_pelaksana(void)
{
    return (struct ac_request){ .id = 1, .kind = AC_HELP, .state = AC_S_PELAKSANA, .version = 3,
                                .agency_id = 7, .requested_by = OPERATOR_ID,
                                .pelaksana_id = PEL_ID };
}

/* Written out from the issue: the Pelaksana or the Kasi offer; only the
 * operator who asked picks; the three move or cancel. */
static bool expected(enum hs_action action, enum who who)
{
    switch (action) {
    case HS_OFFER: return who == PEL || who == KASI || who == PLH_KASI;
    case HS_PICK: return who == OPERATOR;
    default: return who == PEL || who == KASI || who == PLH_KASI || who == OPERATOR;
    }
}

static void test_every_action_and_person(void **state)
{
    (void)state;
    struct ac_request r = help_with_pelaksana();
    for (int action = HS_OFFER; action < HS_ACTION_END; action++) {
        for (int who = 0; who < WHO_END; who++) {
            struct wf_actor actor = actor_of((enum who)who);
            int got = hs_may(&r, (enum hs_action)action, 3, &actor);
            if (expected((enum hs_action)action, (enum who)who))
                assert_int_equal(got, 0);
            else
                assert_int_equal(got, AC_ERR_NOT_ALLOWED);
        }
    }
}

static void test_refusals_in_order(void **state)
{
    (void)state;
    struct wf_actor pel = actor_of(PEL), other = actor_of(OTHER_PEL);
    struct ac_request r = help_with_pelaksana();
    assert_int_equal(hs_may(NULL, HS_OFFER, 3, &pel), AC_ERR_INVALID);
    assert_int_equal(hs_may(&r, HS_NONE, 3, &pel), AC_ERR_INVALID);
    assert_int_equal(hs_may(&r, HS_ACTION_END, 3, &pel), AC_ERR_INVALID);
    assert_int_equal(hs_may(&r, HS_OFFER, 0, &pel), AC_ERR_INVALID); /* no card carries 0 */
    /* stale before the state, the state before the person */
    assert_int_equal(hs_may(&r, HS_OFFER, 2, &other), AC_ERR_STALE);
    r.state = AC_S_DONE;
    assert_int_equal(hs_may(&r, HS_OFFER, 3, &other), AC_ERR_WRONG_STATE);
    assert_int_equal(hs_may(&r, HS_CHANGE, 3, &pel), AC_ERR_WRONG_STATE);
    r.state = AC_S_KASI;
    assert_int_equal(hs_may(&r, HS_PICK, 3, &pel), AC_ERR_WRONG_STATE);
    r = help_with_pelaksana();
    r.kind = AC_REVOKE; /* a revocation has no session */
    assert_int_equal(hs_may(&r, HS_OFFER, 3, &pel), AC_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_action_and_person),
        cmocka_unit_test(test_refusals_in_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
