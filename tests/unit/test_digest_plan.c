/* When the officials' daily digest goes out (digest_plan.h), with the
 * default office hours (Mon-Thu 07:30-12:00 and 13:00-16:00, Fri 07:30-11:30
 * and 13:00-16:30, weekends closed) and Monday 2026-12-07 closed.
 *
 * December 2026: Tue 1, Wed 2, Thu 3, Fri 4, Sat 5, Sun 6, Mon 7, Tue 8.
 * Instants are pinned by hand from 2026-12-01 00:00 WIB. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "digest_plan.h"
#include "office_calendar.h"

#define DEC1_MS INT64_C(1796058000000) /* 2026-12-01 00:00 WIB */
#define DEC1_DAY 20788                 /* its day number */
#define MIN_MS INT64_C(60000)
#define AT(d, h, m) (DEC1_MS + ((int64_t)((d) - 1) * 1440 + (h) * 60 + (m)) * MIN_MS)
#define DAY(d) (DEC1_DAY + (d) - 1)

static struct cal calendar;

static int setup(void **state)
{
    (void)state;
    cal_init_default(&calendar);
    assert_int_equal(cal_holiday_add(&calendar, DAY(7), CAL_CLOSURE, "Kantor tutup", false), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cal_free(&calendar);
    return 0;
}

static void day_start_and_end_follow_the_calendar(void **state)
{
    (void)state;
    assert_true(AT(1, 0, 0) == cal_day_start(DAY(1)));
    assert_true(digest_day_start(&calendar, DAY(1)) == AT(1, 7, 30));
    assert_true(digest_day_end(&calendar, DAY(1)) == AT(1, 16, 0));
    assert_true(digest_day_end(&calendar, DAY(4)) == AT(4, 16, 30)); /* Friday */
    assert_true(digest_day_start(&calendar, DAY(5)) == CAL_NEVER);   /* Saturday */
    assert_true(digest_day_start(&calendar, DAY(6)) == CAL_NEVER);   /* Sunday */
    assert_true(digest_day_start(&calendar, DAY(7)) == CAL_NEVER);   /* closed */
    assert_true(digest_day_end(&calendar, DAY(7)) == CAL_NEVER);
    assert_true(digest_day_start(&calendar, -1) == CAL_NEVER);
    assert_true(digest_day_start(NULL, DAY(1)) == CAL_NEVER);
}

static void a_round_is_due_from_the_start_of_office_hours_once(void **state)
{
    (void)state;
    assert_int_equal(digest_due_day(&calendar, AT(1, 7, 29), DIGEST_NO_DAY), DIGEST_NO_DAY);
    assert_int_equal(digest_due_day(&calendar, AT(1, 7, 30), DIGEST_NO_DAY), DAY(1));
    assert_int_equal(digest_due_day(&calendar, AT(1, 7, 30), DAY(0)), DAY(1));
    /* done today: not again, whatever the hour */
    assert_int_equal(digest_due_day(&calendar, AT(1, 7, 31), DAY(1)), DIGEST_NO_DAY);
    assert_int_equal(digest_due_day(&calendar, AT(1, 12, 30), DAY(1)), DIGEST_NO_DAY);
    /* missed in the morning: still made while the office is open that day */
    assert_int_equal(digest_due_day(&calendar, AT(1, 15, 59), DAY(0)), DAY(1));
    assert_int_equal(digest_due_day(&calendar, AT(1, 16, 0), DAY(0)), DIGEST_NO_DAY);
    /* no round on a weekend or a closed day */
    assert_int_equal(digest_due_day(&calendar, AT(5, 9, 0), DAY(4)), DIGEST_NO_DAY);
    assert_int_equal(digest_due_day(&calendar, AT(7, 9, 0), DAY(4)), DIGEST_NO_DAY);
    assert_int_equal(digest_due_day(&calendar, AT(8, 7, 30), DAY(4)), DAY(8));
}

static void the_next_round_skips_weekends_and_closed_days(void **state)
{
    (void)state;
    assert_true(digest_next_at(&calendar, AT(1, 6, 0), DIGEST_NO_DAY) == AT(1, 7, 30));
    /* due now */
    assert_true(digest_next_at(&calendar, AT(1, 9, 0), DAY(0)) == AT(1, 9, 0));
    /* done today: tomorrow morning */
    assert_true(digest_next_at(&calendar, AT(1, 9, 0), DAY(1)) == AT(2, 7, 30));
    /* after office hours, not done: tomorrow */
    assert_true(digest_next_at(&calendar, AT(1, 17, 0), DAY(0)) == AT(2, 7, 30));
    /* Friday evening: over Saturday, Sunday and the closed Monday */
    assert_true(digest_next_at(&calendar, AT(4, 17, 0), DAY(4)) == AT(8, 7, 30));
    assert_true(digest_next_at(&calendar, AT(5, 10, 0), DAY(4)) == AT(8, 7, 30));
}

static void other_hours_and_no_hours(void **state)
{
    (void)state;
    struct cal saturday;
    cal_init_default(&saturday);
    struct cal_hours hours;
    assert_int_equal(cal_hours_parse("08:00-12:00", &hours), 0);
    assert_int_equal(cal_set_day(&saturday, 5, hours.spans, hours.count), 0);
    assert_true(digest_day_start(&saturday, DAY(5)) == AT(5, 8, 0));
    assert_true(digest_next_at(&saturday, AT(4, 17, 0), DAY(4)) == AT(5, 8, 0));

    struct cal closed;
    cal_init_default(&closed);
    for (int w = 0; w < 7; w++)
        assert_int_equal(cal_set_day(&closed, w, NULL, 0), 0);
    assert_true(digest_next_at(&closed, AT(1, 6, 0), DIGEST_NO_DAY) == CAL_NEVER);
    assert_int_equal(digest_due_day(&closed, AT(1, 9, 0), DIGEST_NO_DAY), DIGEST_NO_DAY);
    assert_true(digest_next_at(NULL, AT(1, 6, 0), DIGEST_NO_DAY) == CAL_NEVER);
    cal_free(&saturday);
    cal_free(&closed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(day_start_and_end_follow_the_calendar),
        cmocka_unit_test(a_round_is_due_from_the_start_of_office_hours_once),
        cmocka_unit_test(the_next_round_skips_weekends_and_closed_days),
        cmocka_unit_test(other_hours_and_no_hours),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
