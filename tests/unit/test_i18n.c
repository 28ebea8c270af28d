/* The catalogs: complete, in step, valid HTML; user data always escaped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

static void test_shipped_catalogs_are_complete_and_in_step(void **state)
{
    (void)state;
    struct i18n *i18n;
    char err[256] = "";
    assert_int_equal(i18n_load(&i18n, err, sizeof err), 0);
    if (i18n_check(i18n, err, sizeof err) != 0)
        fail_msg("%s", err);
    i18n_free(i18n);
}

static void check_fails(const char *id_json, const char *en_json, const char *expected)
{
    const char *langs[] = { "id", "en" };
    const char *jsons[] = { id_json, en_json };
    struct i18n *i18n;
    char err[256] = "";
    assert_int_equal(i18n_load_from(langs, jsons, 2, &i18n, err, sizeof err), 0);
    assert_int_equal(i18n_check(i18n, err, sizeof err), -EINVAL);
    if (!strstr(err, expected))
        fail_msg("expected \"%s\" in: %s", expected, err);
    i18n_free(i18n);
}

static void test_check_catches_missing_keys_and_placeholders(void **state)
{
    (void)state;
    check_fails("{\"a\":\"x\",\"b\":\"y\"}", "{\"a\":\"x\"}", "missing key \"b\"");
    check_fails("{\"a\":\"x\"}", "{\"a\":\"x\",\"c\":\"z\"}", "\"c\" is not in");
    check_fails("{\"a\":\"Halo {name}\"}", "{\"a\":\"Hello {nama}\"}", "placeholders");
    check_fails("{\"a\":\"<b>x\"}", "{\"a\":\"<b>x</b>\"}", "not valid Telegram HTML");
}

static void test_format_escapes_values_not_templates(void **state)
{
    (void)state;
    const char *langs[] = { "id", "en" };
    const char *jsons[] = { "{\"hi\":\"<b>Halo</b>, {name}! {name}\"}", "{\"hi\":\"<b>Hi</b>, {name}! {name}\"}" };
    struct i18n *i18n;
    char err[128];
    assert_int_equal(i18n_load_from(langs, jsons, 2, &i18n, err, sizeof err), 0);
    char *s = i18n_format(i18n, "en", "hi", "name", "<b>Bob</b> & Co", NULL);
    assert_string_equal(s, "<b>Hi</b>, &lt;b&gt;Bob&lt;/b&gt; &amp; Co! &lt;b&gt;Bob&lt;/b&gt; &amp; Co");
    free(s);
    s = i18n_format(i18n, "fr", "hi", "name", "Ana", NULL); /* unknown language: default */
    assert_string_equal(s, "<b>Halo</b>, Ana! Ana");
    free(s);
    s = i18n_format(i18n, "id", "missing.key", NULL); /* shows the key, never crashes */
    assert_string_equal(s, "missing.key");
    free(s);
    i18n_free(i18n);
}

static void test_language_choice_then_telegram_then_default(void **state)
{
    (void)state;
    struct i18n *i18n;
    char err[128];
    assert_int_equal(i18n_load(&i18n, err, sizeof err), 0);
    assert_string_equal(i18n_pick(i18n, "en", "id"), "en");
    assert_string_equal(i18n_pick(i18n, "", "en-GB"), "en");
    assert_string_equal(i18n_pick(i18n, NULL, "EN"), "en");
    assert_string_equal(i18n_pick(i18n, NULL, "de"), "id");
    assert_string_equal(i18n_pick(i18n, NULL, NULL), "id");
    assert_string_equal(i18n_pick(i18n, "xx", "en"), "en");
    i18n_free(i18n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_catalogs_are_complete_and_in_step),
        cmocka_unit_test(test_check_catches_missing_keys_and_placeholders),
        cmocka_unit_test(test_format_escapes_values_not_templates),
        cmocka_unit_test(test_language_choice_then_telegram_then_default),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
