/* Regression tests for what the fuzzers (tests/fuzz/) found: each case is
 * the exact input that broke a property, and the harness that found it. The
 * same inputs are in the seed corpus (tests/fuzz/corpus/<target>/regress-*),
 * so the fuzzers check them again on every run. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "config.h"
#include "office_calendar.h"

/* fuzz_intake: config_check_date took "2026-12- 3" (sscanf's %2d skips the
 * space) although cal_date_parse, the rule for every other date, refuses it;
 * likewise a sign. A PKS date must be written exactly YYYY-MM-DD. */
static void test_config_date_is_exactly_yyyy_mm_dd(void **state)
{
    (void)state;
    int32_t day;
    assert_int_equal(cal_date_parse("2026-12- 3", &day), -EINVAL);
    assert_int_equal(config_check_date("2026-12- 3"), -EINVAL);
    assert_int_equal(config_check_date("2026-+1-01"), -EINVAL);
    assert_int_equal(config_check_date("2026- 1-01"), -EINVAL);
    assert_int_equal(config_check_date("2026-12-03"), 0);
    assert_int_equal(config_check_date("1999-12-31"), -EINVAL);
    assert_int_equal(config_check_date("2200-12-31"), 0);
    assert_int_equal(config_check_date("2201-01-01"), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_date_is_exactly_yyyy_mm_dd),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
