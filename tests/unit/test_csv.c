/* CSV documents for spreadsheets: quoting, formulas neutralised, numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "csv.h"

static void test_fields_are_quoted_and_quotes_doubled(void **state)
{
    (void)state;
    struct csv csv;
    csv_init(&csv);
    csv_field(&csv, "Perihal");
    csv_field(&csv, "Surat \"penting\", segera");
    csv_end_row(&csv);
    csv_number(&csv, 42);
    csv_number(&csv, -1);
    csv_end_row(&csv);
    assert_false(csv.out.failed);
    assert_int_equal(csv.rows, 2);
    assert_string_equal(csv.out.data, "\xef\xbb\xbf\"Perihal\",\"Surat \"\"penting\"\", segera\"\r\n"
                                  "\"42\",\"\"\r\n");
    free(csv.out.data);
}

static void test_a_formula_is_never_run_by_a_spreadsheet(void **state)
{
    (void)state;
    struct csv csv;
    csv_init(&csv);
    csv_field(&csv, "=HYPERLINK(\"x\")");
    csv_field(&csv, "@SUM(A1)");
    csv_field(&csv, "-1");
    csv_end_row(&csv);
    assert_string_equal(csv.out.data + 3, "\"'=HYPERLINK(\"\"x\"\")\",\"'@SUM(A1)\",\"'-1\"\r\n");
    free(csv.out.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields_are_quoted_and_quotes_doubled),
        cmocka_unit_test(test_a_formula_is_never_run_by_a_spreadsheet),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
