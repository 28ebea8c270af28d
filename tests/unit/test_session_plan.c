/* When the bot reminds people of a confirmed session and asks the Pelaksana
 * for the report, with the default office hours (Mon-Thu 07:30-12:00 and
 * 13:00-16:00, Fri 07:30-11:30 and 13:00-16:30, weekends closed) and
 * Monday 2026-12-07 added as a holiday.
 *
 * December 2026: Tue 1, Thu 3, Fri 4, Sat 5, Sun 6, Mon 7, Tue 8, Wed 9.
 * Times are local WIB, turned into epoch milliseconds by this file's own
 * converter (pinned by hand), which shares nothing with office_calendar.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "office_calendar.h"
#include "session_plan.h"

static int t_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* "YYYY-MM-DD HH:MM" in WIB -> ms since the epoch. */
static int64_t wib(const char *text)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int y, mo, d, h, mi;
    assert_int_equal(sscanf(text, "%d-%d-%d %d:%d", &y, &mo, &d, &h, &mi), 5);
    int64_t n = 0;
    for (int yy = 1970; yy < y; yy++)
        n += t_leap(yy) ? 366 : 365;
    for (int mm = 1; mm < mo; mm++)
        n += days[mm - 1] + (mm == 2 && t_leap(y));
    n += d - 1;
    return ((n * 24 + h) * 60 + mi) * 60 * INT64_C(1000) - 7 * 3600 * INT64_C(1000);
}

static struct cal calendar;

static int setup(void **state)
{
    (void)state;
    cal_init_default(&calendar);
    int32_t day;
    assert_int_equal(cal_date_parse("2026-12-07", &day), 0);
    assert_int_equal(cal_holiday_add(&calendar, day, CAL_CLOSURE, "Kantor tutup", false), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cal_free(&calendar);
    return 0;
}

static void test_converter_is_pinned(void **state)
{
    (void)state;
    assert_true(wib("2026-12-03 09:00") == INT64_C(1796263200000));
}

static void test_stage_moments(void **state)
{
    (void)state;
    static const struct {
        const char *start, *end;
        const char *day_before, *hour_before;
    } rows[] = {
        /* Thursday: Wednesday at opening. */
        { "2026-12-03 09:00", "2026-12-03 10:00", "2026-12-02 07:30", "2026-12-03 08:00" },
        /* Friday afternoon: Thursday morning. */
        { "2026-12-04 13:00", "2026-12-04 14:00", "2026-12-03 07:30", "2026-12-04 12:00" },
        /* Tuesday after a closed Monday and a weekend: the Friday before. */
        { "2026-12-08 07:30", "2026-12-08 08:30", "2026-12-04 07:30", "2026-12-08 06:30" },
        /* Wednesday: Tuesday, whatever happened the week before. */
        { "2026-12-09 15:00", "2026-12-09 16:00", "2026-12-08 07:30", "2026-12-09 14:00" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int64_t start = wib(rows[i].start), end = wib(rows[i].end);
        assert_true(session_stage_at(&calendar, start, end, SESSION_STAGE_DAY_BEFORE) ==
                    wib(rows[i].day_before));
        assert_true(session_stage_at(&calendar, start, end, SESSION_STAGE_HOUR_BEFORE) ==
                    wib(rows[i].hour_before));
        assert_true(session_stage_at(&calendar, start, end, SESSION_STAGE_ASK_REPORT) == end);
        assert_true(session_stage_at(&calendar, start, end, SESSION_STAGE_DONE) == CAL_NEVER);
        assert_true(session_stage_at(&calendar, start, end, -1) == CAL_NEVER);
    }
    assert_true(session_stage_at(NULL, 1, 2, SESSION_STAGE_ASK_REPORT) == CAL_NEVER);
}

static void test_no_working_day_before_skips_the_day_before(void **state)
{
    (void)state;
    struct cal closed;
    cal_init_default(&closed);
    for (int d = 0; d < 7; d++)
        assert_int_equal(cal_set_day(&closed, d, NULL, 0), 0);
    int64_t start = wib("2026-12-03 09:00");
    assert_true(session_stage_at(&closed, start, start + 3600000, SESSION_STAGE_DAY_BEFORE) ==
                CAL_NEVER);
    int stage = -1;
    int64_t due = -1;
    assert_int_equal(session_plan_first(&closed, start, start + 3600000, wib("2026-12-01 08:00"),
                                        &stage, &due), 0);
    assert_int_equal(stage, SESSION_STAGE_HOUR_BEFORE);
    assert_true(due == wib("2026-12-03 08:00"));
    cal_free(&closed);
}

static void test_plan_skips_moments_already_past(void **state)
{
    (void)state;
    int64_t start = wib("2026-12-03 09:00"), end = wib("2026-12-03 10:00");
    static const struct {
        const char *now;
        int stage;
        const char *due; /* NULL: nothing left */
    } rows[] = {
        { "2026-12-01 08:00", SESSION_STAGE_DAY_BEFORE, "2026-12-02 07:30" },
        { "2026-12-02 07:29", SESSION_STAGE_DAY_BEFORE, "2026-12-02 07:30" },
        /* at the very moment it is already past: sent by nobody, so skipped */
        { "2026-12-02 07:30", SESSION_STAGE_HOUR_BEFORE, "2026-12-03 08:00" },
        { "2026-12-02 10:00", SESSION_STAGE_HOUR_BEFORE, "2026-12-03 08:00" },
        { "2026-12-03 08:30", SESSION_STAGE_ASK_REPORT, "2026-12-03 10:00" },
        { "2026-12-03 10:00", SESSION_STAGE_DONE, NULL },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int stage = -1;
        int64_t due = -1;
        assert_int_equal(session_plan_first(&calendar, start, end, wib(rows[i].now), &stage, &due),
                         0);
        if (stage != rows[i].stage)
            fail_msg("at %s: stage %d, want %d", rows[i].now, stage, rows[i].stage);
        assert_true(due == (rows[i].due ? wib(rows[i].due) : 0));
    }
}

static void test_due_sends_the_latest_and_moves_on(void **state)
{
    (void)state;
    int64_t start = wib("2026-12-03 09:00"), end = wib("2026-12-03 10:00");
    static const struct {
        int stage;
        const char *now;
        int send;       /* -1: nothing due yet */
        int next;
        const char *next_due;
    } rows[] = {
        /* not yet */
        { SESSION_STAGE_DAY_BEFORE, "2026-12-02 07:29", -1, SESSION_STAGE_DAY_BEFORE,
          "2026-12-02 07:30" },
        /* on time, one after the other */
        { SESSION_STAGE_DAY_BEFORE, "2026-12-02 07:30", SESSION_STAGE_DAY_BEFORE,
          SESSION_STAGE_HOUR_BEFORE, "2026-12-03 08:00" },
        { SESSION_STAGE_HOUR_BEFORE, "2026-12-03 08:00", SESSION_STAGE_HOUR_BEFORE,
          SESSION_STAGE_ASK_REPORT, "2026-12-03 10:00" },
        { SESSION_STAGE_ASK_REPORT, "2026-12-03 10:00", SESSION_STAGE_ASK_REPORT,
          SESSION_STAGE_DONE, NULL },
        /* the bot was down across both reminders: only the hour-before one */
        { SESSION_STAGE_DAY_BEFORE, "2026-12-03 08:45", SESSION_STAGE_HOUR_BEFORE,
          SESSION_STAGE_ASK_REPORT, "2026-12-03 10:00" },
        /* ...or across the whole session: only the question for the report */
        { SESSION_STAGE_DAY_BEFORE, "2026-12-04 07:30", SESSION_STAGE_ASK_REPORT,
          SESSION_STAGE_DONE, NULL },
        /* a stage already sent is not sent again */
        { SESSION_STAGE_HOUR_BEFORE, "2026-12-02 09:00", -1, SESSION_STAGE_HOUR_BEFORE,
          "2026-12-03 08:00" },
        { SESSION_STAGE_DONE, "2026-12-05 09:00", -1, SESSION_STAGE_DONE, NULL },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int send = 99, next = 99;
        int64_t next_due = -1;
        assert_int_equal(session_plan_due(&calendar, start, end, rows[i].stage, wib(rows[i].now),
                                          &send, &next, &next_due), 0);
        if (send != rows[i].send || next != rows[i].next)
            fail_msg("row %zu: send %d next %d, want %d %d", i, send, next, rows[i].send,
                     rows[i].next);
        assert_true(next_due == (rows[i].next_due ? wib(rows[i].next_due) : 0));
    }
}

/* The calendar changed under a planned session (/libur): Wednesday 2
 * December closed, a Thursday session's "day before" moves to Tuesday; a
 * stage already sent is never planned again, a "day before" whose moment has
 * passed goes at the next office moment before the session's day, or not. */
static void test_again_after_the_calendar_changed(void **state)
{
    (void)state;
    int64_t start = wib("2026-12-03 09:00"), end = wib("2026-12-03 10:00");
    int stage = -1;
    int64_t due = -1;
    /* Without the closure (one removed): Wednesday morning. */
    assert_int_equal(session_plan_again(&calendar, start, end, SESSION_STAGE_DAY_BEFORE,
                                        wib("2026-12-01 07:30"), wib("2026-11-30 10:00"),
                                        &stage, &due), 0);
    assert_int_equal(stage, SESSION_STAGE_DAY_BEFORE);
    assert_true(due == wib("2026-12-02 07:30"));
    int32_t wednesday;
    assert_int_equal(cal_date_parse("2026-12-02", &wednesday), 0);
    assert_int_equal(cal_holiday_add(&calendar, wednesday, CAL_CLOSURE, "Banjir", false), 0);
    static const struct {
        int stage;
        const char *stored; /* the "next due" planned before; NULL: none */
        const char *now;
        int next;
        const char *due; /* NULL: nothing left */
    } rows[] = {
        /* the working day before is now Tuesday */
        { SESSION_STAGE_DAY_BEFORE, "2026-12-02 07:30", "2026-11-30 10:00",
          SESSION_STAGE_DAY_BEFORE, "2026-12-01 07:30" },
        /* Tuesday is already that day: at once, or after the lunch break */
        { SESSION_STAGE_DAY_BEFORE, "2026-12-02 07:30", "2026-12-01 10:00",
          SESSION_STAGE_DAY_BEFORE, "2026-12-01 10:00" },
        { SESSION_STAGE_DAY_BEFORE, "2026-12-02 07:30", "2026-12-01 12:30",
          SESSION_STAGE_DAY_BEFORE, "2026-12-01 13:00" },
        /* after hours (or on the closed day) the next office moment is the
         * session's day: no "day before", the hour before follows */
        { SESSION_STAGE_DAY_BEFORE, "2026-12-02 07:30", "2026-12-01 17:00",
          SESSION_STAGE_HOUR_BEFORE, "2026-12-03 08:00" },
        { SESSION_STAGE_DAY_BEFORE, "2026-12-02 07:30", "2026-12-02 09:00",
          SESSION_STAGE_HOUR_BEFORE, "2026-12-03 08:00" },
        /* a moment the change did not move stays, even due and not sent */
        { SESSION_STAGE_DAY_BEFORE, "2026-12-01 07:30", "2026-12-01 17:00",
          SESSION_STAGE_DAY_BEFORE, "2026-12-01 07:30" },
        /* a "day before" already sent is not planned again */
        { SESSION_STAGE_HOUR_BEFORE, "2026-12-03 08:00", "2026-11-30 10:00",
          SESSION_STAGE_HOUR_BEFORE, "2026-12-03 08:00" },
        /* a later stage due and not yet sent stays due */
        { SESSION_STAGE_HOUR_BEFORE, "2026-12-03 08:00", "2026-12-03 08:30",
          SESSION_STAGE_HOUR_BEFORE, "2026-12-03 08:00" },
        { SESSION_STAGE_ASK_REPORT, "2026-12-03 10:00", "2026-12-01 10:00",
          SESSION_STAGE_ASK_REPORT, "2026-12-03 10:00" },
        { SESSION_STAGE_DONE, NULL, "2026-12-01 10:00", SESSION_STAGE_DONE, NULL },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        stage = -1;
        due = -1;
        int64_t stored = rows[i].stored ? wib(rows[i].stored) : 0;
        assert_int_equal(session_plan_again(&calendar, start, end, rows[i].stage, stored,
                                            wib(rows[i].now), &stage, &due), 0);
        if (stage != rows[i].next)
            fail_msg("row %zu: stage %d, want %d", i, stage, rows[i].next);
        if (due != (rows[i].due ? wib(rows[i].due) : 0))
            fail_msg("row %zu: due %lld", i, (long long)due);
    }
    /* A Tuesday 8 December session over Monday 7's closure: Friday, even
     * when that Friday is today (at once), not after Friday's hours. */
    int64_t tuesday = wib("2026-12-08 09:00"), monday = wib("2026-12-07 07:30");
    assert_int_equal(session_plan_again(&calendar, tuesday, tuesday + 3600000,
                                        SESSION_STAGE_DAY_BEFORE, monday,
                                        wib("2026-12-04 14:00"), &stage, &due), 0);
    assert_int_equal(stage, SESSION_STAGE_DAY_BEFORE);
    assert_true(due == wib("2026-12-04 14:00"));
    assert_int_equal(session_plan_again(&calendar, tuesday, tuesday + 3600000,
                                        SESSION_STAGE_DAY_BEFORE, monday,
                                        wib("2026-12-04 17:00"), &stage, &due), 0);
    assert_int_equal(stage, SESSION_STAGE_HOUR_BEFORE);
    assert_true(due == wib("2026-12-08 08:00"));
    assert_int_equal(cal_holiday_remove(&calendar, wednesday), 0);
    assert_int_equal(session_plan_again(NULL, start, end, 0, 0, start, &stage, &due), -EINVAL);
    assert_int_equal(session_plan_again(&calendar, start, end, 4, 0, start, &stage, &due),
                     -EINVAL);
    assert_int_equal(session_plan_again(&calendar, start, start, 0, 0, start, &stage, &due),
                     -EINVAL);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    int stage, send, next;
    int64_t due;
    int64_t start = wib("2026-12-03 09:00");
    assert_int_equal(session_plan_first(NULL, start, start + 1, start, &stage, &due), -EINVAL);
    assert_int_equal(session_plan_first(&calendar, start, start, start, &stage, &due), -EINVAL);
    assert_int_equal(session_plan_first(&calendar, start, start + 1, start, NULL, &due), -EINVAL);
    assert_int_equal(session_plan_due(&calendar, start, start + 1, 4, start, &send, &next, &due),
                     -EINVAL);
    assert_int_equal(session_plan_due(&calendar, start, start + 1, -1, start, &send, &next, &due),
                     -EINVAL);
    assert_string_equal(session_stage_name(SESSION_STAGE_DAY_BEFORE), "day_before");
    assert_string_equal(session_stage_name(SESSION_STAGE_ASK_REPORT), "ask_report");
    assert_null(session_stage_name(SESSION_STAGE_DONE));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_converter_is_pinned),
        cmocka_unit_test(test_stage_moments),
        cmocka_unit_test(test_no_working_day_before_skips_the_day_before),
        cmocka_unit_test(test_plan_skips_moments_already_past),
        cmocka_unit_test(test_due_sends_the_latest_and_moves_on),
        cmocka_unit_test(test_again_after_the_calendar_changed),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
