/* The office-time calendar, with the real 2025-2026 holiday list
 * (core/data/id-holidays.json, its path given as argv[1]).
 *
 * Every expected deadline below was worked out by hand from the rules
 * (Mon-Thu 07:30-12:00 and 13:00-16:00, Fri 07:30-11:30 and 13:00-16:30,
 * closed on weekends and on the listed days), never by the code under test;
 * times are local WIB and are turned into epoch milliseconds by this file's
 * own converter, which shares nothing with office_calendar.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "holidays_json.h"
#include "office_calendar.h"

#define MIN_MS INT64_C(60000)

static char *holidays_text; /* the shipped list, read in main() */

/* --- this file's own WIB <-> epoch converter (counts days year by year) ---- */

static int t_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int t_month_days(int y, int m)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return days[m - 1] + (m == 2 && t_leap(y));
}

static int64_t t_days(int y, int m, int d)
{
    int64_t n = 0;
    for (int yy = 1970; yy < y; yy++)
        n += t_leap(yy) ? 366 : 365;
    for (int mm = 1; mm < m; mm++)
        n += t_month_days(y, mm);
    return n + d - 1;
}

/* "YYYY-MM-DD HH:MM" or "YYYY-MM-DD HH:MM:SS" in WIB -> ms since the epoch. */
static int64_t wib(const char *text)
{
    int y, mo, d, h, mi, s = 0;
    int n = sscanf(text, "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &s);
    assert_true(n == 5 || n == 6);
    int64_t secs = ((t_days(y, mo, d) * 24 + h) * 60 + mi) * 60 + s;
    return secs * 1000 - 7 * 3600 * INT64_C(1000);
}

static int64_t t_day(const char *date)
{
    int y, m, d;
    assert_int_equal(sscanf(date, "%d-%d-%d", &y, &m, &d), 3);
    return t_days(y, m, d);
}

/* The inverse, for readable failure messages. */
static const char *wib_text(int64_t t_ms, char buf[64])
{
    if (t_ms == CAL_NEVER)
        return "CAL_NEVER";
    int64_t local = t_ms + 7 * 3600 * INT64_C(1000);
    int64_t days = local / 86400000, ms = local % 86400000;
    int y = 1970, m = 1;
    while (days >= (t_leap(y) ? 366 : 365))
        days -= t_leap(y++) ? 366 : 365;
    while (days >= t_month_days(y, m))
        days -= t_month_days(y, m++);
    int secs = (int)(ms / 1000);
    snprintf(buf, 64, "%04d-%02d-%02d %02d:%02d:%02d.%03d", y, m, (int)days + 1, secs / 3600,
             secs / 60 % 60, secs % 60, (int)(ms % 1000));
    return buf;
}

/* A calendar with the default hours and the shipped holidays. */
static void load(struct cal *cal)
{
    char err[200];
    cal_init_default(cal);
    int rc = holidays_json_parse(holidays_text, cal, err, sizeof err);
    if (rc)
        print_error("holidays: %s\n", err);
    assert_int_equal(rc, 0);
}

/* --- deadlines: the table ----------------------------------------------------- */

struct deadline_case {
    const char *start;
    int64_t minutes;
    const char *due;
    const char *why;
};

static const struct deadline_case DEADLINES[] = {
    /* zero minutes: nothing is owed, the start itself */
    { "2026-03-10 09:00", 0, "2026-03-10 09:00", "0 minutes on a Tuesday morning" },
    { "2026-03-15 10:00", 0, "2026-03-15 10:00", "0 minutes on a Sunday stays Sunday" },
    { "2026-03-10 16:00", 0, "2026-03-10 16:00", "0 minutes at closing time" },
    /* an ordinary Tuesday */
    { "2026-03-10 09:00", 15, "2026-03-10 09:15", "15 minutes inside the morning" },
    { "2026-03-10 11:50", 15, "2026-03-10 13:05", "10 before lunch, 5 after" },
    { "2026-03-10 11:45", 15, "2026-03-10 12:00", "ends exactly at the lunch break" },
    { "2026-03-10 15:45", 15, "2026-03-10 16:00", "ends exactly at closing, not next morning" },
    { "2026-03-10 15:50", 15, "2026-03-11 07:35", "10 tonight, 5 tomorrow morning" },
    { "2026-03-10 09:00", 120, "2026-03-10 11:00", "2 hours in the morning" },
    { "2026-03-10 11:00", 120, "2026-03-10 14:00", "2 hours around lunch" },
    { "2026-03-10 09:00", 450, "2026-03-11 09:00", "a full day is the same time next day" },
    { "2026-03-10 07:30", 450, "2026-03-10 16:00", "a full day from opening ends at closing" },
    { "2026-03-10 09:00", 900, "2026-03-12 09:00", "two days" },
    /* starts outside office time */
    { "2026-03-10 06:00", 15, "2026-03-10 07:45", "before opening" },
    { "2026-03-10 12:30", 15, "2026-03-10 13:15", "during the lunch break" },
    { "2026-03-10 12:00", 120, "2026-03-10 15:00", "at the start of the break" },
    { "2026-03-10 20:00", 15, "2026-03-11 07:45", "at night" },
    { "2026-03-10 23:59", 450, "2026-03-11 16:00", "a minute before midnight" },
    { "2026-03-10 16:00", 15, "2026-03-11 07:45", "exactly at a span's end (closing)" },
    { "2026-03-10 12:00", 15, "2026-03-10 13:15", "exactly at a span's end (lunch)" },
    /* Friday's own hours: lunch 11:30-13:00, closing 16:30 */
    { "2026-03-13 11:20", 15, "2026-03-13 13:05", "Friday lunch starts at 11:30" },
    { "2026-03-13 11:30", 15, "2026-03-13 13:15", "Friday at the start of its break" },
    { "2026-03-13 11:45", 15, "2026-03-13 13:15", "11:45 is the break on a Friday" },
    { "2026-03-12 11:45", 15, "2026-03-12 12:00", "... but office time on a Thursday" },
    { "2026-03-13 16:00", 15, "2026-03-13 16:15", "Friday is open after 16:00" },
    { "2026-03-13 16:15", 15, "2026-03-13 16:30", "ends exactly at Friday's closing" },
    { "2026-03-13 16:20", 15, "2026-03-16 07:35", "Friday evening into Monday" },
    { "2026-03-13 15:55", 450, "2026-03-16 15:25", "35 on Friday, 270 + 145 on Monday" },
    { "2026-03-12 15:00", 120, "2026-03-13 08:30", "Thursday into Friday morning" },
    { "2026-03-13 07:30", 450, "2026-03-13 16:30", "a full Friday" },
    { "2026-03-13 13:00", 900, "2026-03-17 11:30", "210 Friday, 450 Monday, 240 Tuesday" },
    /* weekends */
    { "2026-03-14 10:00", 15, "2026-03-16 07:45", "from Saturday" },
    { "2026-03-15 23:00", 120, "2026-03-16 09:30", "from Sunday night" },
    { "2026-03-07 09:00", 450, "2026-03-09 16:00", "a day's work from Saturday" },
    { "2026-03-02 00:00", 2250, "2026-03-06 16:30", "a week's work ends on Friday at closing" },
    { "2026-03-02 00:00", 2251, "2026-03-09 07:31", "one minute more is Monday morning" },
    { "2026-04-06 00:00", 4500, "2026-04-17 16:30", "two plain weeks" },
    /* Nyepi and Idul Fitri 2026: closed Wed 18 .. Tue 24 March */
    { "2026-03-17 15:00", 120, "2026-03-25 08:30", "over the Nyepi-Idul Fitri week" },
    { "2026-03-17 09:00", 900, "2026-03-26 09:00", "360 Tue, 450 Wed 25, 90 Thu 26" },
    { "2026-03-20 10:00", 15, "2026-03-25 07:45", "from a joint-leave day" },
    { "2026-03-19 08:00", 450, "2026-03-25 16:00", "from a national holiday (Nyepi)" },
    { "2026-03-17 16:00", 450, "2026-03-25 16:00", "from closing before the holidays" },
    { "2026-03-16 13:00", 900, "2026-03-25 12:00", "180 Mon, 450 Tue, 270 Wed: lunch" },
    /* Christmas 2025 and the year boundary */
    { "2025-12-24 15:00", 120, "2025-12-29 08:30", "over Christmas and its joint leave" },
    { "2025-12-31 15:00", 120, "2026-01-02 08:30", "over New Year's Day into 2026" },
    { "2025-12-31 13:00", 450, "2026-01-02 13:30", "180 on 31 Dec, 240 + 30 on 2 Jan" },
    { "2025-12-31 20:00", 900, "2026-01-05 16:00", "Friday 2 Jan and Monday 5 Jan" },
    { "2025-12-24 09:00", 900, "2025-12-30 09:00", "360 on 24 Dec, 450 on 29 Dec, 90" },
    { "2026-01-01 10:00", 15, "2026-01-02 07:45", "from New Year's Day" },
    /* other holidays of 2026 */
    { "2026-02-13 16:00", 60, "2026-02-18 08:00", "over Imlek and its joint leave" },
    { "2026-01-15 15:30", 60, "2026-01-19 08:00", "over Isra Mikraj (a Friday)" },
    { "2026-05-26 14:00", 450, "2026-05-29 14:30", "over Idul Adha (Wed, Thu)" },
    { "2026-05-29 16:00", 120, "2026-06-02 09:00", "over the weekend and Pancasila day" },
    { "2026-05-13 15:00", 900, "2026-05-19 15:00", "over Ascension and its joint leave" },
    { "2026-12-23 10:00", 450, "2026-12-28 10:00", "over Christmas Eve leave and Christmas" },
    /* 2027 is not in the list: 1 January 2027 counts as a working Friday */
    { "2026-12-31 15:00", 120, "2027-01-01 08:30", "into an unloaded year" },
    /* 2025 */
    { "2025-03-27 15:30", 60, "2025-04-08 08:00", "over Nyepi and Idul Fitri 2025" },
    { "2025-08-15 16:30", 15, "2025-08-19 07:45", "over Independence Day observed" },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void test_deadlines_follow_hours_breaks_weekends_and_holidays(void **state)
{
    (void)state;
    struct cal cal;
    load(&cal);
    int failures = 0;
    for (size_t i = 0; i < COUNT(DEADLINES); i++) {
        const struct deadline_case *c = &DEADLINES[i];
        int64_t got = cal_add_office_minutes(&cal, wib(c->start), c->minutes);
        if (got != wib(c->due)) {
            char buf[64];
            print_error("case %zu (%s): %s + %lld min: want %s, got %s\n", i, c->why, c->start,
                        (long long)c->minutes, c->due, wib_text(got, buf));
            failures++;
        }
    }
    cal_free(&cal);
    assert_true(COUNT(DEADLINES) >= 40);
    assert_int_equal(failures, 0);
}

static void test_between_is_the_inverse_of_add(void **state)
{
    (void)state;
    struct cal cal;
    load(&cal);
    for (size_t i = 0; i < COUNT(DEADLINES); i++) {
        const struct deadline_case *c = &DEADLINES[i];
        int64_t start = wib(c->start), due = wib(c->due);
        assert_int_equal(cal_office_ms_between(&cal, start, due), c->minutes * MIN_MS);
    }
    /* A sweep over the year boundary and Idul Fitri 2026, at odd seconds: the
     * deadline holds exactly the minutes owed, it is the earliest such instant
     * (one ms before, less is done) and the last ms before it was office time. */
    static const char *const from[] = { "2025-12-20 00:00:13", "2026-03-12 00:00:13" };
    static const int64_t minutes[] = { 1, 15, 120, 450, 900, 2250, 4000 };
    for (size_t f = 0; f < COUNT(from); f++) {
        for (int64_t start = wib(from[f]), end = start + 20 * 86400000LL; start < end;
             start += 37 * MIN_MS + 1001) {
            for (size_t k = 0; k < COUNT(minutes); k++) {
                int64_t due = cal_add_office_minutes(&cal, start, minutes[k]);
                assert_true(due > start && due != CAL_NEVER);
                assert_int_equal(cal_office_ms_between(&cal, start, due), minutes[k] * MIN_MS);
                assert_true(cal_office_ms_between(&cal, start, due - 1) < minutes[k] * MIN_MS);
                assert_true(cal_is_office_time(&cal, due - 1));
            }
        }
    }
    cal_free(&cal);
}

static void test_between_counts_only_office_time(void **state)
{
    (void)state;
    struct cal cal;
    load(&cal);
    const struct {
        const char *from, *to;
        int64_t minutes;
    } cases[] = {
        { "2026-03-10 09:00", "2026-03-10 09:00", 0 },
        { "2026-03-10 10:00", "2026-03-10 09:00", 0 },     /* backwards */
        { "2026-03-10 11:00", "2026-03-10 14:00", 120 },   /* lunch not counted */
        { "2026-03-10 12:10", "2026-03-10 12:50", 0 },     /* inside the break */
        { "2026-03-10 00:00", "2026-03-11 00:00", 450 },
        { "2026-03-13 00:00", "2026-03-16 00:00", 450 },   /* Friday + weekend */
        { "2026-03-02 00:00", "2026-03-09 00:00", 2250 },  /* a plain week: 37.5 h */
        { "2026-03-17 15:00", "2026-03-25 08:30", 120 },   /* across the holidays */
        { "2026-03-18 00:00", "2026-03-25 00:00", 0 },     /* the closed week itself */
        { "2026-03-16 00:00", "2026-03-30 00:00", 2250 },  /* Mon, Tue, Wed-Fri 25-27 */
        { "2025-12-22 00:00", "2026-01-05 00:00", 3150 },  /* 22-24, 29-31 Dec, 2 Jan */
        /* the whole of 2026: 261 weekdays less 21 on holidays = 240 days */
        { "2026-01-01 00:00", "2027-01-01 00:00", 240 * 450 },
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        int64_t got = cal_office_ms_between(&cal, wib(cases[i].from), wib(cases[i].to));
        if (got != cases[i].minutes * MIN_MS)
            print_error("%s .. %s: want %lld min, got %lld ms\n", cases[i].from, cases[i].to,
                        (long long)cases[i].minutes, (long long)got);
        assert_int_equal(got, cases[i].minutes * MIN_MS);
    }
    /* the whole year back again: the year's last office instant */
    assert_int_equal(cal_add_office_minutes(&cal, wib("2026-01-01 00:00"), 240 * 450),
                     wib("2026-12-31 16:00"));
    cal_free(&cal);
}

static void test_next_office_moment_skips_breaks_nights_and_holidays(void **state)
{
    (void)state;
    struct cal cal;
    load(&cal);
    const struct {
        const char *at, *next;
    } cases[] = {
        { "2026-03-10 09:00", "2026-03-10 09:00" },        /* already office time */
        { "2026-03-10 07:30", "2026-03-10 07:30" },
        { "2026-03-10 05:00", "2026-03-10 07:30" },
        { "2026-03-10 12:00", "2026-03-10 13:00" },
        { "2026-03-10 12:59:59", "2026-03-10 13:00" },
        { "2026-03-10 16:00", "2026-03-11 07:30" },
        { "2026-03-13 11:30", "2026-03-13 13:00" },        /* Friday break */
        { "2026-03-13 16:00", "2026-03-13 16:00" },        /* Friday still open */
        { "2026-03-13 16:30", "2026-03-16 07:30" },
        { "2026-03-17 16:00", "2026-03-25 07:30" },        /* over Idul Fitri */
        { "2025-12-31 23:00", "2026-01-02 07:30" },        /* over New Year's Day */
    };
    for (size_t i = 0; i < COUNT(cases); i++)
        assert_int_equal(cal_next_office_moment(&cal, wib(cases[i].at)), wib(cases[i].next));
    /* milliseconds are kept inside office time */
    assert_int_equal(cal_next_office_moment(&cal, wib("2026-03-10 09:00") + 123),
                     wib("2026-03-10 09:00") + 123);
    assert_int_equal(cal_next_office_moment(&cal, wib("2026-03-10 07:30") - 1),
                     wib("2026-03-10 07:30"));
    cal_free(&cal);
}

static void test_office_time_is_half_open_at_every_edge(void **state)
{
    (void)state;
    struct cal cal;
    load(&cal);
    const struct {
        const char *at;
        int64_t offset_ms;
        bool office;
    } cases[] = {
        { "2026-03-10 07:30", -1, false }, { "2026-03-10 07:30", 0, true },
        { "2026-03-10 12:00", -1, true },  { "2026-03-10 12:00", 0, false },
        { "2026-03-10 13:00", -1, false }, { "2026-03-10 13:00", 0, true },
        { "2026-03-10 16:00", -1, true },  { "2026-03-10 16:00", 0, false },
        { "2026-03-13 11:30", -1, true },  { "2026-03-13 11:30", 0, false },
        { "2026-03-13 16:30", -1, true },  { "2026-03-13 16:30", 0, false },
        { "2026-03-13 16:00", 0, true },   /* Friday only */
        { "2026-03-14 10:00", 0, false },  /* Saturday */
        { "2026-03-15 10:00", 0, false },  /* Sunday */
        { "2026-03-20 10:00", 0, false },  /* joint leave */
        { "2026-03-19 10:00", 0, false },  /* national holiday */
        { "2026-03-25 10:00", 0, true },
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        bool got = cal_is_office_time(&cal, wib(cases[i].at) + cases[i].offset_ms);
        if (got != cases[i].office)
            print_error("%s %+lld ms: want %d\n", cases[i].at, (long long)cases[i].offset_ms,
                        cases[i].office);
        assert_true(got == cases[i].office);
    }
    assert_true(cal_is_working_day(&cal, (int32_t)t_day("2026-03-17")));
    assert_false(cal_is_working_day(&cal, (int32_t)t_day("2026-03-18")));  /* joint leave */
    assert_false(cal_is_working_day(&cal, (int32_t)t_day("2026-03-19")));  /* national */
    assert_false(cal_is_working_day(&cal, (int32_t)t_day("2026-03-28")));  /* Saturday */
    cal_free(&cal);
}

static void test_wib_is_utc_plus_seven_whatever_the_server_zone(void **state)
{
    (void)state;
    struct cal cal;
    load(&cal);
    /* 2026-03-10 00:30:00 UTC is 07:30 WIB (epoch value from an outside tool) */
    const int64_t opening = INT64_C(1773102600000);
    assert_int_equal(wib("2026-03-10 07:30"), opening);
    setenv("TZ", "America/New_York", 1); /* must not matter */
    assert_true(cal_is_office_time(&cal, opening));
    assert_false(cal_is_office_time(&cal, opening - 1));
    /* 2026-03-16 15:50 WIB */
    char buf[CAL_LOCAL_SIZE];
    cal_local_format(INT64_C(1773651000000), buf);
    assert_string_equal(buf, "2026-03-16 15:50:00");
    int64_t t;
    assert_int_equal(cal_local_parse("2026-03-16 15:50", &t), 0);
    assert_int_equal(t, INT64_C(1773651000000));
    assert_int_equal(cal_local_parse("2026-03-16 15:50:07", &t), 0);
    assert_int_equal(t, INT64_C(1773651007000));
    assert_int_equal(cal_local_parse("2026-03-16 24:00", &t), -EINVAL);
    assert_int_equal(cal_local_parse("2026-03-16 7:30", &t), -EINVAL);
    assert_int_equal(cal_local_parse("2026-03-16T07:30", &t), -EINVAL);
    /* the local date changes at 17:00 UTC */
    const int64_t midnight = wib("2026-03-10 00:00");   /* 2026-03-09 17:00 UTC */
    assert_int_equal(cal_day_of(midnight), t_day("2026-03-10"));
    assert_int_equal(cal_day_of(midnight - 1), t_day("2026-03-09"));
    assert_int_equal(cal_day_start((int32_t)t_day("2026-03-10")), midnight);
    assert_int_equal(cal_weekday(0), 3);                /* 1970-01-01, a Thursday */
    assert_int_equal(cal_weekday((int32_t)t_day("2026-03-16")), 0);
    assert_int_equal(cal_weekday((int32_t)t_day("2026-03-15")), 6);
    unsetenv("TZ");
    cal_free(&cal);
}

static void test_seconds_of_the_start_are_kept(void **state)
{
    (void)state;
    struct cal cal;
    load(&cal);
    assert_int_equal(cal_add_office_minutes(&cal, wib("2026-03-10 09:00:30"), 15),
                     wib("2026-03-10 09:15:30"));
    assert_int_equal(cal_add_office_minutes(&cal, wib("2026-03-10 15:59:30"), 1),
                     wib("2026-03-11 07:30:30"));
    assert_int_equal(cal_add_office_minutes(&cal, wib("2026-03-13 16:29:59"), 1),
                     wib("2026-03-16 07:30:59"));
    assert_int_equal(cal_add_office_minutes(&cal, wib("2026-03-10 11:59:59") + 999, 1),
                     wib("2026-03-10 13:00:59") + 999);
    cal_free(&cal);
}

/* --- holidays changed at run time --------------------------------------------- */

static void test_admin_closure_moves_a_deadline(void **state)
{
    (void)state;
    struct cal cal;
    load(&cal);
    int32_t wed = (int32_t)t_day("2026-03-11");
    assert_int_equal(cal_add_office_minutes(&cal, wib("2026-03-10 15:00"), 120),
                     wib("2026-03-11 08:30"));
    assert_int_equal(cal_holiday_add(&cal, wed, CAL_CLOSURE, "Kantor tutup: banjir", false), 0);
    assert_false(cal_is_working_day(&cal, wed));
    assert_int_equal(cal_add_office_minutes(&cal, wib("2026-03-10 15:00"), 120),
                     wib("2026-03-12 08:30"));
    assert_int_equal(cal_office_ms_between(&cal, wib("2026-03-10 15:00"), wib("2026-03-12 08:30")),
                     120 * MIN_MS);
    const struct cal_holiday *h = cal_holiday_find(&cal, wed);
    assert_non_null(h);
    assert_int_equal(h->kind, CAL_CLOSURE);
    assert_string_equal(h->name, "Kantor tutup: banjir");
    assert_string_equal(cal_kind_key(h->kind), "closure");
    assert_int_equal(cal_holiday_count_year(&cal, 2026), 26);

    assert_int_equal(cal_holiday_remove(&cal, wed), 0);
    assert_int_equal(cal_add_office_minutes(&cal, wib("2026-03-10 15:00"), 120),
                     wib("2026-03-11 08:30"));
    assert_int_equal(cal_holiday_remove(&cal, wed), -ENOENT);
    cal_free(&cal);
}

static void test_removed_holiday_is_a_working_day_again(void **state)
{
    (void)state;
    struct cal cal;
    load(&cal);
    assert_int_equal(cal_holiday_remove(&cal, (int32_t)t_day("2026-01-01")), 0);
    assert_int_equal(cal_add_office_minutes(&cal, wib("2025-12-31 15:00"), 120),
                     wib("2026-01-01 08:30"));
    assert_int_equal(cal_holiday_count_year(&cal, 2026), 24);
    /* the last joint-leave day of Idul Fitri 2026 cancelled: Tuesday 24 March */
    assert_int_equal(cal_holiday_remove(&cal, (int32_t)t_day("2026-03-24")), 0);
    assert_int_equal(cal_add_office_minutes(&cal, wib("2026-03-17 15:00"), 120),
                     wib("2026-03-24 08:30"));
    assert_null(cal_holiday_find(&cal, (int32_t)t_day("2026-03-24")));
    assert_int_equal(cal_holiday_count(&cal), 51);
    cal_free(&cal);
}

static void test_adding_a_holiday_on_a_listed_date_replaces_it(void **state)
{
    (void)state;
    struct cal cal;
    load(&cal);
    int32_t day = (int32_t)t_day("2026-03-20");
    assert_int_equal(cal_holiday_add(&cal, day, CAL_NATIONAL, "Hari Idul Fitri (digeser)", true), 0);
    assert_int_equal(cal_holiday_count(&cal), 53);
    const struct cal_holiday *h = cal_holiday_find(&cal, day);
    assert_non_null(h);
    assert_int_equal(h->kind, CAL_NATIONAL);
    assert_true(h->tentative);
    assert_string_equal(h->name, "Hari Idul Fitri (digeser)");

    /* refused: out of range, unknown kind, bad names */
    char long_name[CAL_NAME_MAX + 2];
    memset(long_name, 'x', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    assert_int_equal(cal_holiday_add(&cal, -1, CAL_CLOSURE, "x", false), -EINVAL);
    assert_int_equal(cal_holiday_add(&cal, CAL_DAY_MAX + 1, CAL_CLOSURE, "x", false), -EINVAL);
    assert_int_equal(cal_holiday_add(&cal, day, (enum cal_kind)7, "x", false), -EINVAL);
    assert_int_equal(cal_holiday_add(&cal, day, CAL_CLOSURE, NULL, false), -EINVAL);
    assert_int_equal(cal_holiday_add(&cal, day, CAL_CLOSURE, "", false), -EINVAL);
    assert_int_equal(cal_holiday_add(&cal, day, CAL_CLOSURE, "two\nlines", false), -EINVAL);
    assert_int_equal(cal_holiday_add(&cal, day, CAL_CLOSURE, "Lat\xe9n-1", false), -EINVAL);
    assert_int_equal(cal_holiday_add(&cal, day, CAL_CLOSURE, long_name, false), -EINVAL);
    long_name[CAL_NAME_MAX] = '\0';
    assert_int_equal(cal_holiday_add(&cal, (int32_t)t_day("2026-07-01"), CAL_CLOSURE, long_name,
                                     false), 0);
    assert_int_equal(cal_holiday_add(&cal, (int32_t)t_day("2026-07-02"), CAL_CLOSURE,
                                     "Rapat kerja \xe2\x80\x94 kantor tutup", false), 0);
    assert_string_equal(cal_holiday_find(&cal, day)->name, "Hari Idul Fitri (digeser)");
    assert_int_equal(cal_holiday_count(&cal), 55);
    cal_free(&cal);
    assert_int_equal(cal_holiday_count(&cal), 0);
    cal_free(&cal); /* twice is harmless */
}

/* --- hours ------------------------------------------------------------------- */

static void test_default_week_is_thirty_seven_and_a_half_hours(void **state)
{
    (void)state;
    struct cal cal;
    cal_init_default(&cal);
    assert_int_equal(cal_week_minutes(&cal), 2250);
    char text[CAL_HOURS_TEXT_SIZE];
    cal_hours_format(&cal.week[0], text);
    assert_string_equal(text, "07:30-12:00,13:00-16:00");
    cal_hours_format(&cal.week[3], text);
    assert_string_equal(text, "07:30-12:00,13:00-16:00");
    cal_hours_format(&cal.week[4], text);
    assert_string_equal(text, "07:30-11:30,13:00-16:30");
    cal_hours_format(&cal.week[5], text);
    assert_string_equal(text, "closed");
    cal_hours_format(&cal.week[6], text);
    assert_string_equal(text, "closed");
    cal_free(&cal);
}

static void test_hours_text_is_parsed_and_checked(void **state)
{
    (void)state;
    struct cal_hours h;
    char text[CAL_HOURS_TEXT_SIZE];

    assert_int_equal(cal_hours_parse("07:30-12:00,13:00-16:00", &h), 0);
    assert_int_equal(h.count, 2);
    assert_int_equal(h.spans[0].start, 450);
    assert_int_equal(h.spans[0].end, 720);
    assert_int_equal(h.spans[1].start, 780);
    assert_int_equal(h.spans[1].end, 960);
    assert_int_equal(cal_hours_parse(" 7:30 - 12:00 , 13:00-16:00 ", &h), 0);
    cal_hours_format(&h, text);
    assert_string_equal(text, "07:30-12:00,13:00-16:00");
    assert_int_equal(cal_hours_parse("00:00-24:00", &h), 0);
    assert_int_equal(h.count, 1);
    assert_int_equal(h.spans[0].end, 1440);
    assert_int_equal(cal_hours_parse("08:00-10:00,10:00-12:00,13:00-15:00,19:00-23:59", &h), 0);
    assert_int_equal(h.count, 4);
    cal_hours_format(&h, text);
    assert_string_equal(text, "08:00-10:00,10:00-12:00,13:00-15:00,19:00-23:59");
    assert_int_equal(cal_hours_parse("closed", &h), 0);
    assert_int_equal(h.count, 0);
    assert_int_equal(cal_hours_parse("07:30-12:00", &h), 0);
    assert_int_equal(cal_hours_parse("Closed ", &h), 0);
    assert_int_equal(h.count, 0);
    assert_int_equal(cal_hours_parse("07:30-12:00", &h), 0);
    assert_int_equal(cal_hours_parse("", &h), 0);
    assert_int_equal(h.count, 0);

    static const char *const bad[] = {
        "12:00-07:30",                  /* backwards */
        "07:30-07:30",                  /* empty */
        "07:30-12:00,11:00-16:00",      /* overlapping */
        "13:00-16:00,07:30-12:00",      /* not sorted */
        "07:30-24:01",
        "24:00-24:30",
        "25:00-26:00",
        "07:60-08:00",
        "7:3-12:00",
        "007:30-12:00",
        "07:30",
        "07:30-",
        "07:30-12:00,",
        "07:30-12:00;13:00-16:00",
        "07.30-12.00",
        "closed today",
        "open",
        "a-b",
        "-1:00-02:00",
        "01:00-02:00,03:00-04:00,05:00-06:00,07:00-08:00,09:00-10:00", /* five spans */
    };
    assert_int_equal(cal_hours_parse("07:30-11:30,13:00-16:30", &h), 0);
    for (size_t i = 0; i < COUNT(bad); i++) {
        if (cal_hours_parse(bad[i], &h) != -EINVAL)
            print_error("accepted \"%s\"\n", bad[i]);
        assert_int_equal(cal_hours_parse(bad[i], &h), -EINVAL);
    }
    cal_hours_format(&h, text); /* unchanged by the refusals */
    assert_string_equal(text, "07:30-11:30,13:00-16:30");
    assert_int_equal(cal_hours_parse(NULL, &h), -EINVAL);
}

static void test_custom_hours_change_the_arithmetic(void **state)
{
    (void)state;
    struct cal cal;
    load(&cal);
    struct cal_hours sat;
    assert_int_equal(cal_hours_parse("08:00-12:00", &sat), 0);
    assert_int_equal(cal_set_day(&cal, 5, sat.spans, sat.count), 0);
    assert_int_equal(cal_week_minutes(&cal), 2250 + 240);
    /* Friday evening now runs into Saturday morning */
    assert_int_equal(cal_add_office_minutes(&cal, wib("2026-03-13 16:20"), 15),
                     wib("2026-03-14 08:05"));
    /* ... but not on a holiday Saturday (Idul Fitri, 21 March 2026) */
    assert_int_equal(cal_add_office_minutes(&cal, wib("2026-03-17 15:00"), 120),
                     wib("2026-03-25 08:30"));

    /* refusals leave the day as it was */
    const struct cal_span overlap[] = { { 480, 720 }, { 700, 900 } };
    const struct cal_span unsorted[] = { { 780, 960 }, { 450, 720 } };
    const struct cal_span too_late[] = { { 480, 1441 } };
    const struct cal_span negative[] = { { -10, 60 } };
    const struct cal_span five[] = { { 0, 1 }, { 2, 3 }, { 4, 5 }, { 6, 7 }, { 8, 9 } };
    assert_int_equal(cal_set_day(&cal, 5, overlap, 2), -EINVAL);
    assert_int_equal(cal_set_day(&cal, 5, unsorted, 2), -EINVAL);
    assert_int_equal(cal_set_day(&cal, 5, too_late, 1), -EINVAL);
    assert_int_equal(cal_set_day(&cal, 5, negative, 1), -EINVAL);
    assert_int_equal(cal_set_day(&cal, 5, five, 5), -EINVAL);
    assert_int_equal(cal_set_day(&cal, 7, sat.spans, sat.count), -EINVAL);
    assert_int_equal(cal_set_day(&cal, -1, sat.spans, sat.count), -EINVAL);
    assert_int_equal(cal_week_minutes(&cal), 2250 + 240);

    /* closing Friday moves Thursday afternoon's work to Monday */
    assert_int_equal(cal_set_day(&cal, 4, NULL, 0), 0);
    assert_int_equal(cal_set_day(&cal, 5, NULL, 0), 0);
    assert_int_equal(cal_add_office_minutes(&cal, wib("2026-03-12 15:00"), 120),
                     wib("2026-03-16 08:30"));
    cal_free(&cal);
}

/* --- the holiday list as JSON -------------------------------------------------- */

static void test_shipped_list_loads_in_date_order(void **state)
{
    (void)state;
    struct cal cal;
    load(&cal);
    assert_int_equal(cal_holiday_count(&cal), 53);
    size_t joint = 0, tentative = 0;
    for (size_t i = 0; i < cal_holiday_count(&cal); i++) {
        const struct cal_holiday *h = cal_holiday_at(&cal, i);
        if (i)
            assert_true(cal_holiday_at(&cal, i - 1)->day < h->day);
        joint += h->kind == CAL_JOINT_LEAVE;
        tentative += h->tentative;
    }
    assert_null(cal_holiday_at(&cal, cal_holiday_count(&cal)));
    assert_int_equal(joint, 16);
    assert_int_equal(tentative, 7);

    char date[CAL_DATE_SIZE];
    cal_date_format(cal_holiday_at(&cal, 0)->day, date);
    assert_string_equal(date, "2025-01-01");
    const struct cal_holiday *first2026 =
        cal_holiday_at(&cal, cal_holiday_first_from(&cal, (int32_t)t_day("2026-01-01")));
    assert_string_equal(first2026->name, "Hari Tahun Baru");
    const struct cal_holiday *fitri = cal_holiday_find(&cal, (int32_t)t_day("2026-03-21"));
    assert_non_null(fitri);
    assert_int_equal(fitri->kind, CAL_NATIONAL);
    assert_true(fitri->tentative);
    assert_string_equal(fitri->name, "Hari Idul Fitri");
    assert_int_equal(cal_holiday_first_from(&cal, (int32_t)t_day("2027-01-01")),
                     cal_holiday_count(&cal));
    /* loading again replaces the same dates: nothing doubles */
    char err[200];
    assert_int_equal(holidays_json_parse(holidays_text, &cal, err, sizeof err), 0);
    assert_int_equal(cal_holiday_count(&cal), 53);
    cal_free(&cal);
}

static void test_holidays_per_year_warn_of_a_missing_year(void **state)
{
    (void)state;
    struct cal cal;
    load(&cal);
    assert_int_equal(cal_holiday_count_year(&cal, 2024), 0);
    assert_int_equal(cal_holiday_count_year(&cal, 2025), 28);
    assert_int_equal(cal_holiday_count_year(&cal, 2026), 25);
    assert_int_equal(cal_holiday_count_year(&cal, 2027), 0);
    cal_free(&cal);
}

/* Parses `json` into a calendar holding one closure; expects -EINVAL, that
 * the calendar is unchanged, and returns the message. */
static const char *json_error(const char *json)
{
    static char err[200];
    struct cal cal;
    cal_init_default(&cal);
    assert_int_equal(cal_holiday_add(&cal, (int32_t)t_day("2026-07-01"), CAL_CLOSURE, "x", false), 0);
    memset(err, 0, sizeof err);
    assert_int_equal(holidays_json_parse(json, &cal, err, sizeof err), -EINVAL);
    assert_int_equal(cal_holiday_count(&cal), 1);
    cal_free(&cal);
    return err;
}

#define ENTRY(date, kind) "{\"date\":\"" date "\",\"name\":\"Libur\",\"kind\":\"" kind "\"}"

static void test_json_errors_name_the_entry_and_field(void **state)
{
    (void)state;
    assert_string_equal(json_error("["), "not valid JSON (near byte 1)");
    assert_string_equal(json_error("{}"), "must be a JSON array of holidays");
    assert_string_equal(json_error("[1]"), "[0]: must be an object");
    assert_string_equal(json_error("[" ENTRY("2025-01-01", "national") "," ENTRY("2025-01-02", "national") ","
                                   ENTRY("2025-01-03", "national") "," ENTRY("2025-02-29", "national") "]"),
                        "[3].date: not a date YYYY-MM-DD");
    assert_string_equal(json_error("[" ENTRY("2025-1-01", "national") "]"),
                        "[0].date: not a date YYYY-MM-DD");
    assert_string_equal(json_error("[{\"date\":20250101,\"name\":\"x\",\"kind\":\"national\"}]"),
                        "[0].date: not a date YYYY-MM-DD");
    assert_string_equal(json_error("[{\"name\":\"x\",\"kind\":\"national\"}]"), "[0].date: missing");
    assert_string_equal(json_error("[" ENTRY("2025-01-01", "national")
                                   ",{\"date\":\"2025-01-02\",\"kind\":\"national\"}]"),
                        "[1].name: missing");
    assert_string_equal(json_error("[{\"date\":\"2025-01-02\",\"name\":\"\",\"kind\":\"national\"}]"),
                        "[0].name: must be a non-empty string");
    assert_string_equal(json_error("[{\"date\":\"2025-01-02\",\"name\":\"a\\u0007b\",\"kind\":\"national\"}]"),
                        "[0].name: must be UTF-8 text without control characters");
    assert_string_equal(json_error("[{\"date\":\"2025-01-02\",\"name\":\"x\"}]"), "[0].kind: missing");
    assert_string_equal(json_error("[" ENTRY("2025-01-02", "holiday") "]"),
                        "[0].kind: must be one of national, joint_leave, closure");
    assert_string_equal(json_error("[{\"date\":\"2025-01-02\",\"name\":\"x\",\"kind\":\"national\","
                                   "\"tentative\":\"no\"}]"),
                        "[0].tentative: must be true or false");
    assert_string_equal(json_error("[" ENTRY("2026-03-20", "joint_leave") "," ENTRY("2026-03-21", "national")
                                   "," ENTRY("2026-03-20", "national") "]"),
                        "[2].date: 2026-03-20 is already listed at [0]");

    /* accepted: an empty list; "closure" entries; tentative left out */
    struct cal cal;
    char err[200];
    cal_init_default(&cal);
    assert_int_equal(holidays_json_parse("[]", &cal, err, sizeof err), 0);
    assert_int_equal(holidays_json_parse("[" ENTRY("2027-01-01", "national") "," ENTRY("2026-12-31", "closure")
                                         "]", &cal, err, sizeof err), 0);
    assert_int_equal(cal_holiday_count(&cal), 2);
    assert_int_equal(cal_holiday_at(&cal, 0)->kind, CAL_CLOSURE);
    assert_false(cal_holiday_at(&cal, 1)->tentative);
    assert_int_equal(cal_holiday_count_year(&cal, 2027), 1);
    cal_free(&cal);
}

/* --- dates -------------------------------------------------------------------- */

static void test_dates_are_real_calendar_dates(void **state)
{
    (void)state;
    int32_t day;
    char text[CAL_DATE_SIZE];
    assert_int_equal(cal_date_parse("2025-02-29", &day), -EINVAL);
    assert_int_equal(cal_date_parse("2024-02-29", &day), 0);
    assert_int_equal(day, t_day("2024-02-29"));
    cal_date_format(day, text);
    assert_string_equal(text, "2024-02-29");
    assert_int_equal(cal_date_parse("2100-02-29", &day), -EINVAL);
    assert_int_equal(cal_date_parse("2000-02-29", &day), 0);
    assert_int_equal(cal_date_parse("1970-01-01", &day), 0);
    assert_int_equal(day, 0);
    assert_int_equal(cal_date_parse("9999-12-31", &day), 0);
    assert_int_equal(day, CAL_DAY_MAX);
    static const char *const bad[] = {
        "2025-04-31", "2025-13-01", "2025-00-10", "2025-01-00", "2025-1-01", "2025-01-1",
        "2025-01-01 ", " 2025-01-01", "2025/01/01", "1969-12-31", "20250101", "", "abcd-ef-gh",
    };
    for (size_t i = 0; i < COUNT(bad); i++)
        assert_int_equal(cal_date_parse(bad[i], &day), -EINVAL);
    assert_int_equal(cal_date_parse(NULL, &day), -EINVAL);

    /* every day of 1970..2100 survives the round trip and agrees with this
     * file's own day count */
    int y = 1970, m = 1, d = 1;
    for (int32_t n = 0; y <= 2100; n++) {
        int cy, cm, cd;
        cal_civil_from_days(n, &cy, &cm, &cd);
        assert_true(cy == y && cm == m && cd == d);
        assert_int_equal(cal_days_from_civil(y, m, d), n);
        cal_date_format(n, text);
        assert_int_equal(cal_date_parse(text, &day), 0);
        assert_int_equal(day, n);
        if (++d > t_month_days(y, m)) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
}

/* --- termination and limits ------------------------------------------------------ */

static void test_calendar_without_hours_gives_up_instead_of_hanging(void **state)
{
    (void)state;
    struct cal cal;
    load(&cal);
    for (int wd = 0; wd < 7; wd++)
        assert_int_equal(cal_set_day(&cal, wd, NULL, 0), 0);
    int64_t start = wib("2026-03-10 09:00");
    assert_int_equal(cal_week_minutes(&cal), 0);
    assert_true(cal_add_office_minutes(&cal, start, 15) == CAL_NEVER);
    assert_true(cal_add_office_minutes(&cal, start, 450) == CAL_NEVER);
    assert_true(cal_next_office_moment(&cal, start) == CAL_NEVER);
    assert_int_equal(cal_office_ms_between(&cal, start, start + 400 * 86400000LL), 0);
    assert_false(cal_is_office_time(&cal, start));
    assert_int_equal(cal_add_office_minutes(&cal, start, 0), start);

    /* Open on Mondays only, and every Monday closed for six years: more than
     * CAL_GIVE_UP_DAYS without office time, so no deadline. */
    struct cal_hours monday;
    assert_int_equal(cal_hours_parse("08:00-12:00", &monday), 0);
    assert_int_equal(cal_set_day(&cal, 0, monday.spans, monday.count), 0);
    int32_t first = (int32_t)t_day("2026-03-16");
    for (int32_t day = first; day < first + 6 * 366; day += 7)
        assert_int_equal(cal_holiday_add(&cal, day, CAL_CLOSURE, "tutup", false), 0);
    assert_true(cal_next_office_moment(&cal, start) == CAL_NEVER);
    assert_true(cal_add_office_minutes(&cal, start, 15) == CAL_NEVER);
    /* a shorter closure is crossed: reopen the Monday after 52 weeks */
    int32_t reopened = first + 52 * 7;
    assert_int_equal(cal_holiday_remove(&cal, reopened), 0);
    assert_int_equal(cal_next_office_moment(&cal, start), cal_day_start(reopened) + 480 * MIN_MS);
    assert_int_equal(cal_add_office_minutes(&cal, start, 15), cal_day_start(reopened) + 495 * MIN_MS);
    cal_free(&cal);
}

static void test_long_durations_and_the_ends_of_time(void **state)
{
    (void)state;
    struct cal cal;
    load(&cal);
    int64_t start = wib("2026-01-01 00:00");
    int64_t due = cal_add_office_minutes(&cal, start, 1000000); /* about 8.5 years of work */
    assert_true(due != CAL_NEVER && due > start);
    assert_int_equal(cal_office_ms_between(&cal, start, due), 1000000 * MIN_MS);
    assert_true(cal_is_office_time(&cal, due - 1));

    assert_true(cal_add_office_minutes(&cal, start, INT64_MAX) == CAL_NEVER);
    assert_true(cal_add_office_minutes(&cal, CAL_TIME_MAX - 1, 1) == CAL_NEVER);
    assert_true(cal_add_office_minutes(&cal, INT64_MAX - 5, 15) == CAL_NEVER);
    assert_true(cal_next_office_moment(&cal, CAL_TIME_MAX) == CAL_NEVER);
    assert_true(cal_next_office_moment(&cal, INT64_MAX) == CAL_NEVER);
    /* before 1970 WIB there is no office time: counting starts at the first
     * working morning, Thursday 1970-01-01 */
    assert_int_equal(cal_next_office_moment(&cal, INT64_MIN), wib("1970-01-01 07:30"));
    assert_int_equal(cal_add_office_minutes(&cal, INT64_MIN, 15), wib("1970-01-01 07:45"));
    assert_false(cal_is_office_time(&cal, INT64_MIN));
    assert_false(cal_is_office_time(&cal, INT64_MAX));
    assert_true(cal_office_ms_between(&cal, INT64_MIN, INT64_MAX) > 0);
    assert_int_equal(cal_office_ms_between(&cal, INT64_MAX, INT64_MIN), 0);
    char text[CAL_LOCAL_SIZE];
    cal_local_format(INT64_MAX, text);
    assert_string_equal(text, "9999-12-31 23:59:59");
    cal_local_format(INT64_MIN, text);
    assert_string_equal(text, "1970-01-01 00:00:00");
    cal_free(&cal);
}

static void test_a_hundred_thousand_deadlines_are_cheap(void **state)
{
    (void)state;
    struct cal cal;
    load(&cal);
    int64_t base = wib("2025-01-01 00:00:13");
    clock_t began = clock();
    for (int64_t i = 0; i < 100000; i++) {
        int64_t start = base + i * 7 * MIN_MS; /* spread over 16 months */
        int64_t due = cal_add_office_minutes(&cal, start, 450);
        assert_true(due > start && due < start + 30 * 86400000LL);
    }
    double seconds = (double)(clock() - began) / CLOCKS_PER_SEC;
    assert_true(seconds < 5.0); /* minute by minute would take far longer */
    cal_free(&cal);
}

/* Reads the whole file; NULL if it cannot. */
static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        len += fread(buf + len, 1, cap - len - 1, f);
        if (ferror(f) || feof(f))
            break;
        char *grown = realloc(buf, cap * 2);
        if (!grown) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = grown;
        cap *= 2;
    }
    bool failed = ferror(f);
    fclose(f);
    if (!buf || failed) {
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

static void test_fingerprint_follows_what_makes_office_time(void **state)
{
    (void)state;
    struct cal a, b;
    load(&a);
    load(&b);
    uint64_t same = cal_fingerprint(&a);
    assert_true(cal_fingerprint(&b) == same);
    int32_t day = cal_days_from_civil(2026, 12, 2);
    assert_int_equal(cal_holiday_add(&b, day, CAL_CLOSURE, "Banjir", false), 0);
    uint64_t closed = cal_fingerprint(&b);
    assert_true(closed != same);
    /* the name and the kind of a day off give no other office time */
    assert_int_equal(cal_holiday_remove(&b, day), 0);
    assert_int_equal(cal_holiday_add(&b, day, CAL_NATIONAL, "Hari lain", true), 0);
    assert_true(cal_fingerprint(&b) == closed);
    assert_int_equal(cal_holiday_remove(&b, day), 0);
    assert_true(cal_fingerprint(&b) == same);
    /* the weekly hours count */
    struct cal_span friday[] = { { 7 * 60 + 30, 11 * 60 + 30 } };
    assert_int_equal(cal_set_day(&b, 4, friday, 1), 0);
    assert_true(cal_fingerprint(&b) != same);
    cal_free(&a);
    cal_free(&b);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s path/to/core/data/id-holidays.json\n", argv[0]);
        return 2;
    }
    holidays_text = read_file(argv[1]);
    if (!holidays_text) {
        fprintf(stderr, "%s: cannot read %s\n", argv[0], argv[1]);
        return 2;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deadlines_follow_hours_breaks_weekends_and_holidays),
        cmocka_unit_test(test_between_is_the_inverse_of_add),
        cmocka_unit_test(test_between_counts_only_office_time),
        cmocka_unit_test(test_next_office_moment_skips_breaks_nights_and_holidays),
        cmocka_unit_test(test_office_time_is_half_open_at_every_edge),
        cmocka_unit_test(test_wib_is_utc_plus_seven_whatever_the_server_zone),
        cmocka_unit_test(test_seconds_of_the_start_are_kept),
        cmocka_unit_test(test_admin_closure_moves_a_deadline),
        cmocka_unit_test(test_removed_holiday_is_a_working_day_again),
        cmocka_unit_test(test_adding_a_holiday_on_a_listed_date_replaces_it),
        cmocka_unit_test(test_default_week_is_thirty_seven_and_a_half_hours),
        cmocka_unit_test(test_hours_text_is_parsed_and_checked),
        cmocka_unit_test(test_custom_hours_change_the_arithmetic),
        cmocka_unit_test(test_shipped_list_loads_in_date_order),
        cmocka_unit_test(test_holidays_per_year_warn_of_a_missing_year),
        cmocka_unit_test(test_json_errors_name_the_entry_and_field),
        cmocka_unit_test(test_dates_are_real_calendar_dates),
        cmocka_unit_test(test_calendar_without_hours_gives_up_instead_of_hanging),
        cmocka_unit_test(test_long_durations_and_the_ends_of_time),
        cmocka_unit_test(test_a_hundred_thousand_deadlines_are_cheap),
        cmocka_unit_test(test_fingerprint_follows_what_makes_office_time),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    free(holidays_text);
    return failed;
}
