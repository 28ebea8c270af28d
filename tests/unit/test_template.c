/* The one placeholder filler: values in, escaped by the hook given; the
 * template's own text, unknown names and stray braces kept as written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "template.h"

__attribute__((sentinel))
static int collect(struct template_values *v, ...)
{
    va_list ap;
    va_start(ap, v);
    int rc = template_values_from(v, ap);
    va_end(ap);
    return rc;
}

/* Fills `tpl` and returns the malloc'd text. */
static char *fill(const char *tpl, const struct template_values *v, template_escape_fn escape)
{
    struct buf out = { 0 };
    template_fill(&out, tpl, v, escape);
    assert_false(out.failed);
    return out.data;
}

static void shout(struct buf *out, const char *value)
{
    buf_puts(out, "<");
    buf_puts(out, value);
    buf_puts(out, ">");
}

static void test_fills_named_values(void **state)
{
    (void)state;
    struct template_values v;
    assert_int_equal(collect(&v, "name", "Siti", "case", "SE-0001", NULL), 0);
    assert_int_equal(v.count, 2);
    char *text = fill("Halo {name}, {case} untuk {name}.", &v, NULL);
    assert_string_equal(text, "Halo Siti, SE-0001 untuk Siti.");
    free(text);
}

static void test_escape_hook_sees_only_values(void **state)
{
    (void)state;
    struct template_values v;
    collect(&v, "x", "a&b", NULL);
    char *text = fill("<b>{x}</b>", &v, shout);
    assert_string_equal(text, "<b><a&b></b>");
    free(text);
}

static void test_unknown_and_stray_braces_are_kept(void **state)
{
    (void)state;
    struct template_values v;
    collect(&v, "a", "1", "none", NULL, NULL);
    char *text = fill("{a}{b} {{a}} {a {none}|{} }{", &v, NULL);
    /* {b} unknown: kept; "{{a}}": the first brace is no placeholder, then {a};
     * "{a {none}" is not a name; NULL value reads as "". */
    assert_string_equal(text, "1{b} {1} {a |{} }{");
    free(text);
    text = fill("", &v, NULL);
    assert_string_equal(text, "");
    free(text);
    text = fill("{a}", NULL, NULL);
    assert_string_equal(text, "{a}");
    free(text);
}

static void test_too_many_pairs_are_reported(void **state)
{
    (void)state;
    struct template_values v;
    /* 33 pairs: one more than TEMPLATE_PAIRS_MAX. */
#define P "n", "v"
    int rc = collect(&v, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,
                     P, P, P, P, P, P, P, P, P, "last", "x", NULL);
#undef P
    assert_int_equal(rc, -E2BIG);
    assert_int_equal(v.count, TEMPLATE_PAIRS_MAX);
    char *text = fill("{last}", &v, NULL);
    assert_string_equal(text, "{last}");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fills_named_values),
        cmocka_unit_test(test_escape_hook_sees_only_values),
        cmocka_unit_test(test_unknown_and_stray_braces_are_kept),
        cmocka_unit_test(test_too_many_pairs_are_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
