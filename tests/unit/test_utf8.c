/* The one UTF-8 decoder and the cutters built on it: well-formed text only,
 * and no cut ever leaves part of a character behind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "utf8.h"

static size_t decode(const char *s, uint32_t *cp)
{
    return utf8_decode(s, strlen(s), cp);
}

static void test_decodes_each_length(void **state)
{
    (void)state;
    uint32_t cp = 0;
    assert_int_equal(decode("A", &cp), 1);
    assert_int_equal(cp, 0x41);
    assert_int_equal(decode("\xc3\xa9", &cp), 2); /* é */
    assert_int_equal(cp, 0xe9);
    assert_int_equal(decode("\xe2\x82\xac", &cp), 3); /* € */
    assert_int_equal(cp, 0x20ac);
    assert_int_equal(decode("\xf0\x9f\x98\x80", &cp), 4); /* 😀 */
    assert_int_equal(cp, 0x1f600);
    assert_int_equal(decode("\xf4\x8f\xbf\xbf", &cp), 4); /* U+10FFFF */
    assert_int_equal(cp, 0x10ffff);
    assert_int_equal(utf8_decode("\0", 1, &cp), 1); /* a NUL is a byte like others */
    assert_int_equal(cp, 0);
}

static void test_refuses_what_is_not_well_formed(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "\x80",             /* a lone continuation byte */
        "\xbf",
        "\xc3",             /* cut short */
        "\xe2\x82",
        "\xf0\x9f\x98",
        "\xc3\x41",         /* not followed by a continuation */
        "\xe2\x41\x82",
        "\xc0\xaf",         /* overlong '/' */
        "\xc1\xbf",
        "\xe0\x80\xaf",     /* overlong, 3 bytes */
        "\xe0\x9f\xbf",     /* overlong U+07FF */
        "\xf0\x80\x80\xaf", /* overlong, 4 bytes */
        "\xf0\x8f\xbf\xbf", /* overlong U+FFFF */
        "\xed\xa0\x80",     /* surrogate U+D800 */
        "\xed\xbf\xbf",     /* surrogate U+DFFF */
        "\xf4\x90\x80\x80", /* U+110000 */
        "\xf5\x80\x80\x80",
        "\xf8\x88\x80\x80\x80", /* 5-byte form */
        "\xfe",
        "\xff",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint32_t cp = 0;
        assert_int_equal(decode(bad[i], &cp), 0);
        assert_false(utf8_valid(bad[i]));
    }
    uint32_t cp;
    assert_int_equal(utf8_decode("A", 0, &cp), 0);
    /* Limits just inside the ranges are fine. */
    assert_true(utf8_valid("\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf"
                           "\xf0\x90\x80\x80"));
    /* A sequence cut by the length given is refused even if the string goes on. */
    assert_int_equal(utf8_decode("\xc3\xa9", 1, &cp), 0);
    assert_false(utf8_valid(NULL));
    assert_true(utf8_valid(""));
    assert_true(utf8_valid_n("a\0b", 3));
}

static void test_encode_round_trips(void **state)
{
    (void)state;
    static const uint32_t cps[] = { 0, 0x41, 0x7f, 0x80, 0xe9, 0x7ff, 0x800, 0x20ac, 0xd7ff,
                                    0xe000, 0xfffd, 0xffff, 0x10000, 0x1f600, 0x10ffff };
    for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
        char u[UTF8_SEQ_MAX];
        size_t n = utf8_encode(cps[i], u);
        uint32_t back = 0xffffffff;
        assert_int_equal(utf8_decode(u, n, &back), n);
        assert_int_equal(back, cps[i]);
    }
    char u[UTF8_SEQ_MAX];
    assert_int_equal(utf8_encode(0xd800, u), 3); /* a surrogate becomes U+FFFD */
    assert_memory_equal(u, "\xef\xbf\xbd", 3);
    assert_int_equal(utf8_encode(0x110000, u), 3);
}

static void test_counts_characters(void **state)
{
    (void)state;
    assert_int_equal(utf8_count(""), 0);
    assert_int_equal(utf8_count("Bekasi"), 6);
    assert_int_equal(utf8_count("caf\xc3\xa9 \xe2\x82\xac\xf0\x9f\x98\x80"), 7);
}

/* Every cut of "a" + a character of `len` bytes + "b" at every byte count
 * keeps whole characters only. */
static void check_every_cut(const char *ch, size_t len)
{
    char text[16];
    snprintf(text, sizeof text, "a%sb", ch);
    size_t total = strlen(text);
    assert_int_equal(total, len + 2);
    for (size_t max = 0; max <= total + 1; max++) {
        size_t expect = max >= total ? total : max >= 1 + len ? 1 + len : max >= 1 ? 1 : 0;
        assert_int_equal(utf8_prefix(text, total, max), expect);

        char trimmed[16];
        memcpy(trimmed, text, total + 1);
        assert_int_equal(utf8_trim(trimmed, max), expect);
        assert_int_equal(strlen(trimmed), expect);
        assert_true(utf8_valid(trimmed));

        char out[16];
        bool whole = utf8_copy(out, max + 1, text);
        assert_int_equal(strlen(out), expect);
        assert_true(utf8_valid(out));
        assert_int_equal(whole, expect == total);
        assert_memory_equal(out, text, expect);
    }
}

static void test_cuts_never_split_a_character(void **state)
{
    (void)state;
    check_every_cut("\xc3\xa9", 2);
    check_every_cut("\xe2\x82\xac", 3);
    check_every_cut("\xf0\x9f\x98\x80", 4);
}

static void test_copy_edge_cases(void **state)
{
    (void)state;
    char out[8] = "xxxxxxx";
    assert_false(utf8_copy(out, 0, "abc"));
    assert_string_equal(out, "xxxxxxx"); /* size 0 writes nothing */
    assert_true(utf8_copy(out, sizeof out, NULL));
    assert_string_equal(out, "");
    assert_false(utf8_copy(out, 1, "abc"));
    assert_string_equal(out, "");
    assert_true(utf8_copy(out, sizeof out, "abcdefg"));
    assert_string_equal(out, "abcdefg");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decodes_each_length),
        cmocka_unit_test(test_refuses_what_is_not_well_formed),
        cmocka_unit_test(test_encode_round_trips),
        cmocka_unit_test(test_counts_characters),
        cmocka_unit_test(test_cuts_never_split_a_character),
        cmocka_unit_test(test_copy_edge_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
