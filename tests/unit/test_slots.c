/* Checking proposed session slots, with the default office hours (Mon-Thu
 * 07:30-12:00 and 13:00-16:00, Fri 07:30-11:30 and 13:00-16:30, weekends
 * closed) and Christmas, Friday 2026-12-25, added as a holiday.
 *
 * December 2026: Tue 1, Thu 3, Fri 4, Sat 5, Sun 6, Mon 7, Tue 8, Fri 25.
 * Times are local WIB and are turned into epoch milliseconds by this file's
 * own converter, which shares nothing with office_calendar.c; one value is
 * pinned by hand below to keep the converter honest. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "office_calendar.h"
#include "slots.h"

/* --- this file's own WIB -> epoch converter (counts days year by year) ----- */

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

static void test_converter_is_pinned(void **state)
{
    (void)state;
    /* 2026-12-03 is day 20790; 09:00 WIB is 02:00 UTC:
     * (20790 * 86400 + 2 * 3600) * 1000 */
    assert_true(wib("2026-12-03 09:00") == INT64_C(1796263200000));
}

/* --- the table ------------------------------------------------------------ */

#define NOW "2026-12-01 08:00" /* Tuesday morning */
#define RINA 7                 /* a Pelaksana */
#define ADI 8                  /* another */

static const struct {
    int64_t id, pelaksana;
    const char *start, *end;
} BOOKED[] = {
    { 101, RINA, "2026-12-03 09:00", "2026-12-03 10:00" }, /* [0] */
    { 102, RINA, "2026-12-03 13:00", "2026-12-03 14:00" }, /* [1] */
    { 201, ADI, "2026-12-03 10:00", "2026-12-03 11:00" },  /* [2] */
    { 103, RINA, "2026-12-08 10:00", "2026-12-08 10:30" }, /* [3] listed first, */
    { 104, RINA, "2026-12-08 09:00", "2026-12-08 09:30" }, /* [4] starts first */
};
#define BOOKED_COUNT (sizeof BOOKED / sizeof BOOKED[0])

struct slot_case {
    const char *why;
    int64_t id, pelaksana;
    const char *start, *end;
    int want;
    int conflict; /* index into BOOKED on SLOT_OVERLAP, else -1 */
};

static const struct slot_case CASES[] = {
    { "a good slot: Monday morning", 0, RINA, "2026-12-07 09:00", "2026-12-07 10:30", SLOT_OK, -1 },
    { "a good slot: Friday afternoon to closing", 0, RINA, "2026-12-04 15:30", "2026-12-04 16:30", SLOT_OK, -1 },

    { "in the past: yesterday", 0, RINA, "2026-11-30 09:00", "2026-11-30 10:00", SLOT_IN_PAST, -1 },
    { "in the past: a minute ago", 0, RINA, "2026-12-01 07:59", "2026-12-01 09:00", SLOT_IN_PAST, -1 },
    { "starting right now is not the past", 0, RINA, NOW, "2026-12-01 09:00", SLOT_OK, -1 },
    { "past and on a weekend: the past comes first", 0, RINA, "2026-11-28 09:00", "2026-11-28 10:00", SLOT_IN_PAST, -1 },

    { "on Saturday", 0, RINA, "2026-12-05 09:00", "2026-12-05 10:00", SLOT_HOLIDAY, -1 },
    { "on Sunday", 0, RINA, "2026-12-06 09:00", "2026-12-06 10:00", SLOT_HOLIDAY, -1 },
    { "on Christmas, a Friday", 0, RINA, "2026-12-25 09:00", "2026-12-25 10:00", SLOT_HOLIDAY, -1 },

    { "before 07:30", 0, RINA, "2026-12-07 07:00", "2026-12-07 08:00", SLOT_OUTSIDE_HOURS, -1 },
    { "a minute before opening", 0, RINA, "2026-12-07 07:29", "2026-12-07 08:00", SLOT_OUTSIDE_HOURS, -1 },
    { "at opening", 0, RINA, "2026-12-07 07:30", "2026-12-07 08:30", SLOT_OK, -1 },
    { "across the 12:00-13:00 break", 0, RINA, "2026-12-07 11:30", "2026-12-07 13:30", SLOT_OUTSIDE_HOURS, -1 },
    { "ending exactly at 12:00", 0, RINA, "2026-12-07 11:00", "2026-12-07 12:00", SLOT_OK, -1 },
    { "a minute into the break", 0, RINA, "2026-12-07 11:01", "2026-12-07 12:01", SLOT_OUTSIDE_HOURS, -1 },
    { "inside the break", 0, RINA, "2026-12-07 12:00", "2026-12-07 13:00", SLOT_OUTSIDE_HOURS, -1 },
    { "starting as the break ends", 0, RINA, "2026-12-07 13:00", "2026-12-07 14:00", SLOT_OK, -1 },
    { "ending after Monday's 16:00", 0, RINA, "2026-12-07 15:30", "2026-12-07 16:30", SLOT_OUTSIDE_HOURS, -1 },
    { "ending after Friday's 16:30", 0, RINA, "2026-12-04 16:00", "2026-12-04 17:00", SLOT_OUTSIDE_HOURS, -1 },
    { "Friday's break starts at 11:30", 0, RINA, "2026-12-04 11:00", "2026-12-04 12:00", SLOT_OUTSIDE_HOURS, -1 },
    { "late at night into the next day", 0, RINA, "2026-12-07 23:30", "2026-12-08 00:30", SLOT_OUTSIDE_HOURS, -1 },

    { "overlapping Rina's 09:00-10:00", 0, RINA, "2026-12-03 09:30", "2026-12-03 10:30", SLOT_OVERLAP, 0 },
    { "inside Rina's 09:00-10:00", 0, RINA, "2026-12-03 09:15", "2026-12-03 09:45", SLOT_OVERLAP, 0 },
    { "around Rina's 13:00-14:00", 0, RINA, "2026-12-03 13:00", "2026-12-03 15:00", SLOT_OVERLAP, 1 },
    { "touching the end of Rina's 09:00-10:00", 0, RINA, "2026-12-03 10:00", "2026-12-03 11:00", SLOT_OK, -1 },
    { "touching the start of Rina's 09:00-10:00", 0, RINA, "2026-12-03 08:00", "2026-12-03 09:00", SLOT_OK, -1 },
    { "Adi while Rina is booked", 0, ADI, "2026-12-03 09:00", "2026-12-03 10:00", SLOT_OK, -1 },
    { "Rina while Adi is booked", 0, RINA, "2026-12-03 10:30", "2026-12-03 11:30", SLOT_OK, -1 },
    { "Adi over his own 10:00-11:00", 0, ADI, "2026-12-03 10:30", "2026-12-03 11:30", SLOT_OVERLAP, 2 },
    { "two clashes: the one that starts first", 0, RINA, "2026-12-08 09:15", "2026-12-08 10:15", SLOT_OVERLAP, 4 },
    { "moving session 101 within its own time", 101, RINA, "2026-12-03 09:30", "2026-12-03 10:00", SLOT_OK, -1 },
    { "moving session 101 onto session 102", 101, RINA, "2026-12-03 13:30", "2026-12-03 14:30", SLOT_OVERLAP, 1 },

    { "14 minutes is too short", 0, RINA, "2026-12-07 09:00", "2026-12-07 09:14", SLOT_TOO_SHORT, -1 },
    { "15 minutes is enough", 0, RINA, "2026-12-07 09:00", "2026-12-07 09:15", SLOT_OK, -1 },
    { "no time at all", 0, RINA, "2026-12-07 09:00", "2026-12-07 09:00", SLOT_TOO_SHORT, -1 },
    { "ending before it starts", 0, RINA, "2026-12-07 10:00", "2026-12-07 09:00", SLOT_TOO_SHORT, -1 },
    { "4 hours is the most", 0, RINA, "2026-12-07 07:30", "2026-12-07 11:30", SLOT_OK, -1 },
    { "4 hours and a minute is too long", 0, RINA, "2026-12-07 07:30", "2026-12-07 11:31", SLOT_TOO_LONG, -1 },
    { "a whole day is too long", 0, RINA, "2026-12-07 07:30", "2026-12-07 16:00", SLOT_TOO_LONG, -1 },
};

static void setup_calendar(struct cal *cal)
{
    cal_init_default(cal);
    assert_int_equal(cal_holiday_add(cal, cal_days_from_civil(2026, 12, 25), CAL_NATIONAL,
                                     "Hari Raya Natal", false),
                     0);
}

static void test_slots_follow_the_rules(void **state)
{
    (void)state;
    struct cal cal;
    setup_calendar(&cal);
    struct slot booked[BOOKED_COUNT];
    for (size_t i = 0; i < BOOKED_COUNT; i++) {
        booked[i] = (struct slot){ .id = BOOKED[i].id,
                                   .pelaksana_id = BOOKED[i].pelaksana,
                                   .start_ms = wib(BOOKED[i].start),
                                   .end_ms = wib(BOOKED[i].end) };
    }
    int failures = 0;
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        const struct slot_case *c = &CASES[i];
        struct slot candidate = { .id = c->id,
                                  .pelaksana_id = c->pelaksana,
                                  .start_ms = wib(c->start),
                                  .end_ms = wib(c->end) };
        const struct slot *conflict = &candidate; /* must be overwritten */
        int got = slot_check(&cal, &candidate, booked, BOOKED_COUNT, wib(NOW), &conflict);
        const struct slot *want_conflict = c->conflict >= 0 ? &booked[c->conflict] : NULL;
        if (got != c->want || conflict != want_conflict) {
            print_error("%s: %s..%s want %s (conflict %d), got %d %s (conflict %td)\n", c->why,
                        c->start, c->end, c->want ? slot_problem_name(c->want) : "ok",
                        c->conflict, got, got > 0 ? slot_problem_name(got) : "",
                        conflict ? conflict - booked : -1);
            failures++;
        }
    }
    cal_free(&cal);
    assert_int_equal(failures, 0);
}

/* An admin's closure shuts the office like a holiday does, and the next day
 * is untouched. */
static void test_a_closure_refuses_its_day_only(void **state)
{
    (void)state;
    struct cal cal;
    setup_calendar(&cal);
    assert_int_equal(cal_holiday_add(&cal, cal_days_from_civil(2026, 12, 7), CAL_CLOSURE,
                                     "Kantor ditutup: banjir", false),
                     0);
    struct slot monday = { 0, RINA, wib("2026-12-07 09:00"), wib("2026-12-07 10:00") };
    struct slot tuesday = { 0, RINA, wib("2026-12-08 09:00"), wib("2026-12-08 10:00") };
    assert_int_equal(slot_check(&cal, &monday, NULL, 0, wib(NOW), NULL), SLOT_HOLIDAY);
    assert_int_equal(slot_check(&cal, &tuesday, NULL, 0, wib(NOW), NULL), SLOT_OK);
    cal_free(&cal);
}

/* Two spans that meet are still two sittings: a session does not run on
 * from one into the next. */
static void test_a_slot_stays_within_one_span_even_when_spans_meet(void **state)
{
    (void)state;
    struct cal cal;
    cal_init_default(&cal);
    const struct cal_span spans[] = { { 8 * 60, 12 * 60 }, { 12 * 60, 16 * 60 } };
    assert_int_equal(cal_set_day(&cal, 0, spans, 2), 0); /* Mondays */
    struct slot across = { 0, RINA, wib("2026-12-07 11:30"), wib("2026-12-07 12:30") };
    struct slot before = { 0, RINA, wib("2026-12-07 11:00"), wib("2026-12-07 12:00") };
    struct slot after = { 0, RINA, wib("2026-12-07 12:00"), wib("2026-12-07 13:00") };
    assert_int_equal(slot_check(&cal, &across, NULL, 0, wib(NOW), NULL), SLOT_OUTSIDE_HOURS);
    assert_int_equal(slot_check(&cal, &before, NULL, 0, wib(NOW), NULL), SLOT_OK);
    assert_int_equal(slot_check(&cal, &after, NULL, 0, wib(NOW), NULL), SLOT_OK);
    cal_free(&cal);
}

/* Seconds count: 07:29:59 is before opening, and a slot one second short of
 * 15 minutes is too short. */
static void test_edges_are_exact_to_the_millisecond(void **state)
{
    (void)state;
    struct cal cal;
    cal_init_default(&cal);
    int64_t open = wib("2026-12-07 07:30");
    struct slot early = { 0, RINA, open - 1, open + 30 * 60000 };
    struct slot short_by_one = { 0, RINA, open, open + 15 * 60000 - 1 };
    struct slot end_one_past = { 0, RINA, wib("2026-12-07 11:00"), wib("2026-12-07 12:00") + 1 };
    assert_int_equal(slot_check(&cal, &early, NULL, 0, wib(NOW), NULL), SLOT_OUTSIDE_HOURS);
    assert_int_equal(slot_check(&cal, &short_by_one, NULL, 0, wib(NOW), NULL), SLOT_TOO_SHORT);
    assert_int_equal(slot_check(&cal, &end_one_past, NULL, 0, wib(NOW), NULL), SLOT_OUTSIDE_HOURS);
    cal_free(&cal);
}

static void test_bad_arguments_are_refused(void **state)
{
    (void)state;
    struct cal cal;
    cal_init_default(&cal);
    struct slot good = { 0, RINA, wib("2026-12-07 09:00"), wib("2026-12-07 10:00") };
    const struct slot *conflict = &good;
    assert_int_equal(slot_check(NULL, &good, NULL, 0, 0, &conflict), -EINVAL);
    assert_null(conflict);
    assert_int_equal(slot_check(&cal, NULL, NULL, 0, 0, NULL), -EINVAL);
    assert_int_equal(slot_check(&cal, &good, NULL, 3, 0, NULL), -EINVAL);
    struct slot far = { 0, RINA, INT64_MIN, INT64_MAX };
    assert_int_equal(slot_check(&cal, &far, NULL, 0, 0, NULL), -EINVAL);
    struct slot beyond = { 0, RINA, CAL_TIME_MAX + 1, CAL_TIME_MAX + 3600000 };
    assert_int_equal(slot_check(&cal, &beyond, NULL, 0, 0, NULL), -EINVAL);
    /* conflict may be NULL, and so may existing with no entries */
    assert_int_equal(slot_check(&cal, &good, NULL, 0, wib(NOW), NULL), SLOT_OK);
    cal_free(&cal);
}

static void test_problem_names_are_stable_keys(void **state)
{
    (void)state;
    assert_string_equal(slot_problem_name(SLOT_IN_PAST), "in_past");
    assert_string_equal(slot_problem_name(SLOT_TOO_SHORT), "too_short");
    assert_string_equal(slot_problem_name(SLOT_TOO_LONG), "too_long");
    assert_string_equal(slot_problem_name(SLOT_HOLIDAY), "holiday");
    assert_string_equal(slot_problem_name(SLOT_OUTSIDE_HOURS), "outside_hours");
    assert_string_equal(slot_problem_name(SLOT_OVERLAP), "overlap");
    assert_null(slot_problem_name(SLOT_OK));
    assert_null(slot_problem_name(-EINVAL));
    assert_null(slot_problem_name(99));
}

static void test_typed_starts_are_read_as_wib(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *want; /* NULL: refused */
    } cases[] = {
        { "2026-12-03 09:00", "2026-12-03 09:00" },
        { "  2026-12-03   09:00 ", "2026-12-03 09:00" },
        { "2026-12-03\t9:00", "2026-12-03 09:00" },
        { "2026-12-03 09.30", "2026-12-03 09:30" },
        { "2026-12-03 9.05", "2026-12-03 09:05" },
        { "2026-12-03 23:59", "2026-12-03 23:59" },
        { "2028-02-29 13:00", "2028-02-29 13:00" },
        { "2026-02-29 13:00", NULL },   /* not a leap year */
        { "2026-12-03 24:00", NULL },
        { "2026-12-03 09:60", NULL },
        { "2026-12-03 09:00:00", NULL }, /* no seconds */
        { "2026-12-03T09:00", NULL },
        { "2026-12-03 9:0", NULL },
        { "2026-12-03 109:00", NULL },
        { "2026-12-03 09-00", NULL },
        { "2026-12-03", NULL },
        { "2026-12-03 ", NULL },
        { "03-12-2026 09:00", NULL },
        { "2026-12-03 09:00 WIB", NULL },
        { "", NULL },
        { "   ", NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t t = 42;
        int rc = slot_parse_local(cases[i].text, &t);
        if (cases[i].want) {
            if (rc != 0 || t != wib(cases[i].want))
                fail_msg("\"%s\": want %s, got rc %d", cases[i].text, cases[i].want, rc);
        } else if (rc != -EINVAL || t != 42) {
            fail_msg("\"%s\": want -EINVAL and no change, got rc %d", cases[i].text, rc);
        }
    }
    int64_t t;
    assert_int_equal(slot_parse_local(NULL, &t), -EINVAL);
    assert_int_equal(slot_parse_local("2026-12-03 09:00", NULL), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_converter_is_pinned),
        cmocka_unit_test(test_slots_follow_the_rules),
        cmocka_unit_test(test_a_closure_refuses_its_day_only),
        cmocka_unit_test(test_a_slot_stays_within_one_span_even_when_spans_meet),
        cmocka_unit_test(test_edges_are_exact_to_the_millisecond),
        cmocka_unit_test(test_bad_arguments_are_refused),
        cmocka_unit_test(test_problem_names_are_stable_keys),
        cmocka_unit_test(test_typed_starts_are_read_as_wib),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
