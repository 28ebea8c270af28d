/* Who reads a Rahasia case's subject and holders (core/rahasia.h): the
 * submitter and the officials in their private chats; nobody in a group,
 * nobody from a reminder, digest or calendar file; everyone for a case that
 * is not Rahasia. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>

#include "rahasia.h"

static void test_reads_the_stored_sifat(void **state)
{
    (void)state;
    assert_true(rahasia_sifat("segera+rahasia"));
    assert_true(rahasia_sifat("biasa+rahasia"));
    assert_true(rahasia_sifat("rahasia"));
    assert_true(rahasia_sifat("sangat_segera,rahasia"));
    assert_false(rahasia_sifat("segera"));
    assert_false(rahasia_sifat("biasa"));
    assert_false(rahasia_sifat(""));
    assert_false(rahasia_sifat(NULL));
    /* only the whole word */
    assert_false(rahasia_sifat("kerahasiaan"));
    assert_false(rahasia_sifat("segera+rahasiax"));
}

static void test_a_case_that_is_not_rahasia_shows_everything_to_everyone(void **state)
{
    (void)state;
    struct rahasia_reader group_stranger = { .private_chat = false };
    struct rahasia_reader notice = { .notice = true };
    assert_true(rahasia_discloses(false, &group_stranger));
    assert_true(rahasia_discloses(false, &notice));
}

static void test_the_submitter_and_the_officials_read_it_in_their_private_chat(void **state)
{
    (void)state;
    struct rahasia_reader submitter = { .private_chat = true, .submitter = true };
    struct rahasia_reader official = { .private_chat = true, .official = true };
    assert_true(rahasia_discloses(true, &submitter));
    assert_true(rahasia_discloses(true, &official));
}

static void test_other_people_do_not(void **state)
{
    (void)state;
    /* another operator of the same agency, in their own private chat */
    struct rahasia_reader colleague = { .private_chat = true };
    assert_false(rahasia_discloses(true, &colleague));
    /* the submitter and an official asking in a group: several people read */
    struct rahasia_reader submitter_in_group = { .submitter = true };
    struct rahasia_reader official_in_group = { .official = true };
    assert_false(rahasia_discloses(true, &submitter_in_group));
    assert_false(rahasia_discloses(true, &official_in_group));
}

static void test_notices_never_carry_it(void **state)
{
    (void)state;
    struct rahasia_reader reminder = { .private_chat = true, .official = true, .notice = true };
    struct rahasia_reader own = { .private_chat = true, .submitter = true, .notice = true };
    assert_false(rahasia_discloses(true, &reminder));
    assert_false(rahasia_discloses(true, &own));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_the_stored_sifat),
        cmocka_unit_test(test_a_case_that_is_not_rahasia_shows_everything_to_everyone),
        cmocka_unit_test(test_the_submitter_and_the_officials_read_it_in_their_private_chat),
        cmocka_unit_test(test_other_people_do_not),
        cmocka_unit_test(test_notices_never_carry_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
