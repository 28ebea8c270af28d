/* Telegram HTML: escaping, validation as Telegram does it, and splitting long
 * texts into pieces Telegram accepts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tg_html.h"

static void test_escape_makes_markup_literal(void **state)
{
    (void)state;
    char *escaped = tg_html_escape("<b>Bob</b> & \"Co\"");
    assert_string_equal(escaped, "&lt;b&gt;Bob&lt;/b&gt; &amp; &quot;Co&quot;");
    assert_int_equal(tg_html_validate(escaped), 0);
    assert_int_equal(tg_html_visible_length(escaped), (long)strlen("<b>Bob</b> & \"Co\""));
    free(escaped);
}

static void test_escape_replaces_invalid_utf8(void **state)
{
    (void)state;
    char *escaped = tg_html_escape("a\xff" "b");
    assert_string_equal(escaped, "a\xef\xbf\xbd" "b");
    free(escaped);
}

static void test_validate_accepts_what_telegram_accepts(void **state)
{
    (void)state;
    const char *good[] = {
        "plain",
        "<b>bold</b> <i>it</i> <u>u</u> <s>s</s> <code>x &lt; y</code>",
        "<a href=\"https://example.org/?a=1&amp;b=2\">link</a>",
        "<pre><code class=\"language-c\">int x;</code></pre>",
        "<span class=\"tg-spoiler\">secret</span> <tg-spoiler>too</tg-spoiler>",
        "<blockquote expandable>quote</blockquote>",
        "&#128512; &#x1F600; &quot;q&quot;",
        "a > b",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_int_equal(tg_html_validate(good[i]), 0);
}

static void test_validate_refuses_what_telegram_refuses(void **state)
{
    (void)state;
    const char *bad[] = {
        "a < b",
        "fish & chips",
        "&nbsp;",
        "<b>unclosed",
        "<b><i>crossed</b></i>",
        "</b>",
        "<div>no</div>",
        "<span>not a spoiler</span>",
        "<a href=\"x>broken",
        "bad utf8 \xc3\x28",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(tg_html_validate(bad[i]), -EINVAL);
    assert_int_equal(tg_html_validate(NULL), -EINVAL);
}

static void test_length_counts_utf16_units_not_bytes(void **state)
{
    (void)state;
    /* é is 2 bytes and 1 unit; 😀 is 4 bytes and 2 units; tags count nothing */
    assert_int_equal(tg_html_visible_length("<b>\xc3\xa9</b>\xf0\x9f\x98\x80&amp;"), 4);
}

static void test_short_text_is_one_piece_unchanged(void **state)
{
    (void)state;
    char **chunks;
    size_t count;
    assert_int_equal(tg_html_split("<b>hello</b>\nworld", 4096, &chunks, &count), 0);
    assert_int_equal(count, 1);
    assert_string_equal(chunks[0], "<b>hello</b>\nworld");
    tg_html_chunks_free(chunks, count);
}

static void test_split_prefers_line_breaks(void **state)
{
    (void)state;
    char **chunks;
    size_t count;
    /* 3 lines of 10 characters with a limit of 25: the cut is at the second break */
    assert_int_equal(tg_html_split("aaaaaaaaaa\nbbbbbbbbbb\ncccccccccc", 25, &chunks, &count), 0);
    assert_int_equal(count, 2);
    assert_string_equal(chunks[0], "aaaaaaaaaa\nbbbbbbbbbb");
    assert_string_equal(chunks[1], "cccccccccc");
    tg_html_chunks_free(chunks, count);
}

static void test_split_closes_and_reopens_tags(void **state)
{
    (void)state;
    char **chunks;
    size_t count;
    const char *html = "<b>0123456789\n<i>0123456789\n0123456789</i></b>";
    assert_int_equal(tg_html_split(html, 20, &chunks, &count), 0);
    assert_int_equal(count, 3);
    assert_string_equal(chunks[0], "<b>0123456789</b>");
    assert_string_equal(chunks[1], "<b><i>0123456789</i></b>");
    assert_string_equal(chunks[2], "<b><i>0123456789</i></b>");
    tg_html_chunks_free(chunks, count);
}

static void test_split_of_one_long_line_keeps_every_character(void **state)
{
    (void)state;
    /* 8000 units with entities and 2-unit emoji, no line break at all */
    size_t n = 2000;
    char *html = malloc(n * 8 + 1);
    html[0] = '\0';
    for (size_t i = 0; i < n; i++)
        strcat(html, i % 2 ? "ab&amp;" : "\xf0\x9f\x98\x80xyz");
    char **chunks;
    size_t count;
    assert_int_equal(tg_html_split(html, 4096, &chunks, &count), 0);
    assert_int_equal(count, 2);
    size_t total = 0;
    char *joined = calloc(strlen(html) + 1, 1);
    for (size_t i = 0; i < count; i++) {
        long units = tg_html_visible_length(chunks[i]);
        assert_true(units > 0 && units <= 4096);
        total += (size_t)units;
        strcat(joined, chunks[i]);
    }
    assert_int_equal(total, (size_t)tg_html_visible_length(html));
    assert_string_equal(joined, html);
    free(joined);
    free(html);
    tg_html_chunks_free(chunks, count);
}

static void test_split_refuses_invalid_html(void **state)
{
    (void)state;
    char **chunks;
    size_t count;
    assert_int_equal(tg_html_split("<b>open", 4096, &chunks, &count), -EINVAL);
    assert_null(chunks);
}

static void test_truncate_cuts_with_ellipsis_and_closes_tags(void **state)
{
    (void)state;
    char *out;
    assert_int_equal(tg_html_truncate("<b>0123456789012345678901234567890</b>", 20, &out), 0);
    assert_string_equal(out, "<b>0123456789012345678\xe2\x80\xa6</b>");
    assert_int_equal(tg_html_visible_length(out), 20);
    free(out);
    assert_int_equal(tg_html_truncate("short", 20, &out), 0);
    assert_string_equal(out, "short");
    free(out);
}

static void test_plain_text_drops_tags_and_decodes_entities(void **state)
{
    (void)state;
    char *plain = tg_html_plain("<b>Kasus</b> &lt;SE-1&gt; &amp; &quot;x&quot;");
    assert_string_equal(plain, "Kasus <SE-1> & \"x\"");
    free(plain);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape_makes_markup_literal),
        cmocka_unit_test(test_escape_replaces_invalid_utf8),
        cmocka_unit_test(test_validate_accepts_what_telegram_accepts),
        cmocka_unit_test(test_validate_refuses_what_telegram_refuses),
        cmocka_unit_test(test_length_counts_utf16_units_not_bytes),
        cmocka_unit_test(test_short_text_is_one_piece_unchanged),
        cmocka_unit_test(test_split_prefers_line_breaks),
        cmocka_unit_test(test_split_closes_and_reopens_tags),
        cmocka_unit_test(test_split_of_one_long_line_keeps_every_character),
        cmocka_unit_test(test_split_refuses_invalid_html),
        cmocka_unit_test(test_truncate_cuts_with_ellipsis_and_closes_tags),
        cmocka_unit_test(test_plain_text_drops_tags_and_decodes_entities),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
