/* How dates, times and greetings are written for people (issue 10): the
 * Indonesian time "09.22" (EYD V), the English "09:22", the month written out
 * for applicants ("20 November 2026"), the greeting by the time of day in WIB. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "texts.h"

/* 2026-11-20 09:22 WIB (02:22 UTC). */
#define FRIDAY_0922 1795141320000LL
#define HOUR_MS 3600000LL

static int setup(void **state)
{
    char err[256];
    struct i18n *i18n;
    if (i18n_load(&i18n, err, sizeof err) != 0)
        return -1;
    *state = i18n;
    return 0;
}

static int teardown(void **state)
{
    i18n_free(*state);
    return 0;
}

static void test_time_per_language(void **state)
{
    const struct i18n *i18n = *state;
    char out[64];
    text_clock(i18n, "id", 9 * 60 + 22, out, sizeof out);
    assert_string_equal(out, "09.22");
    text_clock(i18n, "en", 9 * 60 + 22, out, sizeof out);
    assert_string_equal(out, "09:22");
    text_clock(i18n, "id", 0, out, sizeof out);
    assert_string_equal(out, "00.00");
    text_when(i18n, "id", FRIDAY_0922, out, sizeof out);
    assert_string_equal(out, "20 Nov 2026 09.22");
    text_when(i18n, "en", FRIDAY_0922, out, sizeof out);
    assert_string_equal(out, "20 Nov 2026 09:22");
}

static void test_dates_written_out(void **state)
{
    const struct i18n *i18n = *state;
    char out[64];
    text_when_long(i18n, "id", FRIDAY_0922, out, sizeof out);
    assert_string_equal(out, "20 November 2026 09.22");
    text_day_long(i18n, "en", FRIDAY_0922, out, sizeof out);
    assert_string_equal(out, "20 November 2026");
    text_date_long(i18n, "id", "2026-08-05", out, sizeof out);
    assert_string_equal(out, "5 Agustus 2026");
    text_date_long(i18n, "en", "2026-08-05", out, sizeof out);
    assert_string_equal(out, "5 August 2026");
    text_date_long(i18n, "id", "not a date", out, sizeof out);
    assert_string_equal(out, "not a date");
    text_day(i18n, "id", FRIDAY_0922, out, sizeof out);
    assert_string_equal(out, "20 Nov 2026");
}

static void test_greeting_by_time_of_day(void **state)
{
    const struct i18n *i18n = *state;
    assert_string_equal(text_greeting_key(FRIDAY_0922), "greeting.morning");
    assert_string_equal(text_greeting_key(FRIDAY_0922 + 3 * HOUR_MS), "greeting.midday");
    assert_string_equal(text_greeting_key(FRIDAY_0922 + 6 * HOUR_MS), "greeting.afternoon");
    assert_string_equal(text_greeting_key(FRIDAY_0922 + 9 * HOUR_MS), "greeting.evening");
    assert_string_equal(text_greeting_key(FRIDAY_0922 - 6 * HOUR_MS), "greeting.evening");
    char *s = text_greeting(i18n, "id", FRIDAY_0922, "Siti Rahmawati");
    assert_string_equal(s, "Selamat pagi, Bapak/Ibu Siti Rahmawati.");
    free(s);
    s = text_greeting(i18n, "id", FRIDAY_0922 + 6 * HOUR_MS, "A & B");
    assert_string_equal(s, "Selamat sore, Bapak/Ibu A &amp; B.");
    free(s);
    s = text_greeting(i18n, "en", FRIDAY_0922 + 9 * HOUR_MS, "");
    assert_string_equal(s, "Good evening.");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_per_language),
        cmocka_unit_test(test_dates_written_out),
        cmocka_unit_test(test_greeting_by_time_of_day),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
