/* The expiry arithmetic and the reminder schedule (cert_schedule.h), with
 * the default office hours (Mon-Thu 07:30-12:00 and 13:00-16:00, Fri
 * 07:30-11:30 and 13:00-16:30, weekends closed) and 2027-01-01 (New Year,
 * a Friday) a holiday.
 *
 * Weekdays worked out by hand: 2026-12-02 Wed, 2026-12-30 Wed, 2026-12-31
 * Thu, 2027-01-01 Fri, 2027-01-31 Sun, 2027-03-05 Fri, 2027-03-06 Sat,
 * 2027-04-05 Mon, 2027-05-05 Wed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>

#include "cert_schedule.h"
#include "office_calendar.h"

static struct cal calendar;
static const int remind[] = { 60, 30 };

static int32_t day(const char *text)
{
    int32_t d;
    assert_int_equal(cal_date_parse(text, &d), 0);
    return d;
}

static int64_t at(const char *local)
{
    int64_t t;
    assert_int_equal(cal_local_parse(local, &t), 0);
    return t;
}

static int setup(void **state)
{
    (void)state;
    cal_init_default(&calendar);
    assert_int_equal(cal_holiday_add(&calendar, day("2027-01-01"), CAL_NATIONAL,
                                     "Tahun Baru 2027 Masehi", false), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cal_free(&calendar);
    return 0;
}

static int due(const char *valid_until, int reminded, const char *now)
{
    int d = -1;
    cert_reminder_due(&calendar, day(valid_until), remind, 2, reminded, at(now), &d);
    return d;
}

static void test_days_and_validity(void **state)
{
    (void)state;
    int days = 0;
    assert_int_equal(cert_days_between("2026-12-31", "2027-01-30", &days), 0);
    assert_int_equal(days, 30);
    assert_int_equal(cert_days_between("2028-03-01", "2028-02-28", &days), 0);
    assert_int_equal(days, -2); /* 2028 is a leap year */
    assert_int_equal(cert_days_between("2026-02-30", "2027-01-01", &days), -EINVAL);

    char out[CAL_DATE_SIZE];
    assert_int_equal(cert_valid_until("2026-03-10", 730, out), 0);
    assert_string_equal(out, "2028-03-09");
    assert_int_equal(cert_valid_until("2026-12-31", 1, out), 0);
    assert_string_equal(out, "2027-01-01");
    assert_int_equal(cert_valid_until("2026-12-31", 0, out), -EINVAL);
    assert_int_equal(cert_valid_until("31-12-2026", 730, out), -EINVAL);

    /* Valid through its last day, expired from the next. */
    assert_false(cert_expired(day("2027-05-05"), day("2027-05-05")));
    assert_true(cert_expired(day("2027-05-05"), day("2027-05-06")));
    assert_false(cert_expired(day("2027-05-05"), day("2026-05-06")));
}

static void test_saturday_moves_to_friday(void **state)
{
    (void)state;
    /* 60 days before 2027-05-05 is Saturday 2027-03-06: Friday's 07:30. */
    assert_int_equal(cert_reminder_day(&calendar, day("2027-05-05"), 60), day("2027-03-05"));
    assert_int_equal(cert_reminder_at(&calendar, day("2027-05-05"), 60), at("2027-03-05 07:30"));
    /* 30 days before is Monday 2027-04-05, a working day: kept. */
    assert_int_equal(cert_reminder_at(&calendar, day("2027-05-05"), 30), at("2027-04-05 07:30"));
    assert_int_equal(due("2027-05-05", 0, "2027-03-05 07:29"), 0);
    assert_int_equal(due("2027-05-05", 0, "2027-03-05 07:30"), 60);
    assert_int_equal(due("2027-05-05", 0, "2027-03-06 10:00"), 60);
}

static void test_holiday_across_year_end(void **state)
{
    (void)state;
    /* 30 days before Sunday 2027-01-31 is New Year's Day: the Thursday
     * before, in the old year. */
    assert_int_equal(cert_reminder_day(&calendar, day("2027-01-31"), 30), day("2026-12-31"));
    assert_int_equal(cert_reminder_at(&calendar, day("2027-01-31"), 30), at("2026-12-31 07:30"));
    /* And when the 31st is joint leave too, the Wednesday. */
    struct cal closed;
    cal_init_default(&closed);
    assert_int_equal(cal_holiday_add(&closed, day("2027-01-01"), CAL_NATIONAL, "Tahun Baru",
                                     false), 0);
    assert_int_equal(cal_holiday_add(&closed, day("2026-12-31"), CAL_JOINT_LEAVE, "Cuti bersama",
                                     false), 0);
    assert_int_equal(cert_reminder_at(&closed, day("2027-01-31"), 30), at("2026-12-30 07:30"));
    cal_free(&closed);
    /* The 60-day one, 2026-12-02, a Wednesday, then the 30-day one. */
    assert_int_equal(due("2027-01-31", 0, "2026-12-02 07:30"), 60);
    assert_int_equal(due("2027-01-31", 60, "2026-12-30 16:00"), 0);
    assert_int_equal(due("2027-01-31", 60, "2026-12-31 07:30"), 30);
    assert_int_equal(due("2027-01-31", 30, "2027-01-04 07:30"), 0);
}

static void test_order_and_late_start(void **state)
{
    (void)state;
    /* Down across both: only the nearest goes out, once. */
    assert_int_equal(due("2027-05-05", 0, "2027-04-20 09:00"), 30);
    assert_int_equal(due("2027-05-05", 30, "2027-04-20 09:00"), 0);
    /* Never a farther one after a nearer one. */
    assert_int_equal(due("2027-05-05", 30, "2027-03-05 08:00"), 0);
    /* After the 60-day one, nothing until the 30-day one is due. */
    assert_int_equal(due("2027-05-05", 60, "2027-03-20 09:00"), 0);
    assert_int_equal(due("2027-05-05", 60, "2027-04-05 07:30"), 30);
}

static void test_none_after_the_end(void **state)
{
    (void)state;
    assert_int_equal(due("2027-05-05", 0, "2027-05-05 15:00"), 30);
    assert_int_equal(due("2027-05-05", 0, "2027-05-06 07:30"), 0);
    assert_int_equal(due("2027-05-05", 60, "2028-01-01 07:30"), 0);
    /* A reminder for an end already near when recorded: the start of office
     * hours on the day before the end at the latest. */
    int one[] = { 1 };
    int d = -1;
    cert_reminder_due(&calendar, day("2027-05-05"), one, 1, 0, at("2027-05-04 07:30"), &d);
    assert_int_equal(d, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_days_and_validity),
        cmocka_unit_test(test_saturday_moves_to_friday),
        cmocka_unit_test(test_holiday_across_year_end),
        cmocka_unit_test(test_order_and_late_start),
        cmocka_unit_test(test_none_after_the_end),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
