/* The register's dates: the default validity end (issue day in WIB plus
 * certificates.validity_days), the typed end (every form people type, after
 * today, at most ten years on), and args_date, which reads them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "args.h"
#include "certificates_dates.h"
#include "office_calendar.h"

/* A WIB moment. */
static int64_t wib(int year, int month, int day, int hour, int minute)
{
    return cal_day_start(cal_days_from_civil(year, month, day)) +
           ((int64_t)hour * 60 + minute) * 60000;
}

static void test_default_end(void **state)
{
    (void)state;
    char out[11];
    assert_int_equal(cert_valid_default(wib(2026, 11, 30, 9, 0), 730, out), 0);
    assert_string_equal(out, "2028-11-29"); /* 2028 has a 29 February */
    assert_int_equal(cert_valid_default(wib(2029, 1, 1, 9, 0), 730, out), 0);
    assert_string_equal(out, "2031-01-01"); /* no leap day between */
    /* 23.30 WIB is still the same WIB day, though UTC has moved on... */
    assert_int_equal(cert_valid_default(wib(2026, 11, 30, 23, 30), 1, out), 0);
    assert_string_equal(out, "2026-12-01");
    /* ...and 06.30 WIB is that WIB day, though UTC is still the day before. */
    assert_int_equal(cert_valid_default(wib(2026, 12, 1, 6, 30), 1, out), 0);
    assert_string_equal(out, "2026-12-02");
    assert_int_equal(cert_valid_default(wib(2026, 11, 30, 9, 0), 0, out), -EINVAL);
    cert_day_after(wib(2028, 11, 10, 9, 0), 30, out);
    assert_string_equal(out, "2028-12-10");
}

struct typed_case {
    const char *text;
    int rc;
    const char *iso;
};

static void test_typed_end(void **state)
{
    (void)state;
    static const struct typed_case cases[] = {
        { "2028-12-04", 0, "2028-12-04" },
        { "4-12-2028", 0, "2028-12-04" },
        { "04/12/2028", 0, "2028-12-04" },
        { "4 Desember 2028", 0, "2028-12-04" },
        { "4 Des 2028", 0, "2028-12-04" },
        { "December 4, 2028", 0, "2028-12-04" },
        { "2026-12-01", 0, "2026-12-01" },       /* tomorrow */
        { "2036-11-30", 0, "2036-11-30" },       /* ten years to the day */
        { "2026-11-30", -ERANGE, NULL },         /* today */
        { "2020-01-01", -ERANGE, NULL },
        { "2036-12-01", -ERANGE, NULL },         /* past ten years */
        { "31 Februari 2028", -EINVAL, NULL },
        { "2028-02-30", -EINVAL, NULL },
        { "kemarin", -EINVAL, NULL },
        { "", -EINVAL, NULL },
        { "2028-12-04 extra", -EINVAL, NULL },
        { "-1-12-2028", -EINVAL, NULL },
    };
    int64_t now = wib(2026, 11, 30, 9, 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[11] = "";
        int rc = cert_valid_parse(cases[i].text, now, out);
        if (rc != cases[i].rc)
            fail_msg("\"%s\": %d, expected %d", cases[i].text, rc, cases[i].rc);
        if (cases[i].iso)
            assert_string_equal(out, cases[i].iso);
    }
    char out[11];
    assert_int_equal(cert_valid_parse(NULL, now, out), -EINVAL);
    /* From 29 February, ten years on is 1 March (no 29 February then). */
    int64_t leap = wib(2028, 2, 29, 9, 0);
    assert_int_equal(cert_valid_parse("2038-03-01", leap, out), 0);
    assert_int_equal(cert_valid_parse("2038-03-02", leap, out), -ERANGE);
}

static void test_args_date(void **state)
{
    (void)state;
    char out[11];
    assert_int_equal(args_date("20/11/2026", out), 0);
    assert_string_equal(out, "2026-11-20");
    assert_int_equal(args_date("2026-11-20", out), 0);
    assert_int_equal(args_date("20 Nopember 2026", out), 0);
    assert_string_equal(out, "2026-11-20");
    assert_int_equal(args_date("2026-13-01", out), -EINVAL);
    assert_int_equal(args_date("20-11-26", out), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_end),
        cmocka_unit_test(test_typed_end),
        cmocka_unit_test(test_args_date),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
