/* Regression tests for what the fuzzers (tests/fuzz/) found: each case is
 * the exact input that broke a property, and the harness that found it. The
 * same inputs are in the seed corpus (tests/fuzz/corpus/<target>/regress-*),
 * so the fuzzers check them again on every run. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "office_calendar.h"
#include "tg_reply.h"
#include "typed_answers.h"

/* fuzz_intake: config_check_date took "2026-12- 3" (sscanf's %2d skips the
 * space) although cal_date_parse, the rule for every other date, refuses it;
 * likewise a sign. A PKS date must be written exactly YYYY-MM-DD. */
static void test_config_date_is_exactly_yyyy_mm_dd(void **state)
{
    (void)state;
    int32_t day;
    assert_int_equal(cal_date_parse("2026-12- 3", &day), -EINVAL);
    assert_int_equal(config_check_date("2026-12- 3"), -EINVAL);
    assert_int_equal(config_check_date("2026-+1-01"), -EINVAL);
    assert_int_equal(config_check_date("2026- 1-01"), -EINVAL);
    assert_int_equal(config_check_date("2026-12-03"), 0);
    assert_int_equal(config_check_date("1999-12-31"), -EINVAL);
    assert_int_equal(config_check_date("2200-12-31"), 0);
    assert_int_equal(config_check_date("2201-01-01"), -EINVAL);
}

/* fuzz_intake: a holder line whose e-mail held a DEL (0x7f) and bytes that are
 * not UTF-8 was taken; names, positions and e-mails are one line, with no
 * control character (args_one_line), like every name. The exact input: */
static const char holder_with_del[] =
    "x; 198501012010011001; y; a@=b."
    "\x8e\x8e\x8e\x8e\x8e\x8e\x8e\x8e\x8e\x8e\x7f\x8e\x8e\x8e\x8e\x8e"
    "\x8e\x8e\x8e\x8e\x8e\x8e\x8e\x8e\x8e\x8e\x8e\x8e\x8e\x8e\x8e\x8e"
    "\x8e\x8e" "c;";

static int holder(const char *text, const char **why)
{
    char line[256];
    snprintf(line, sizeof line, "%s", text);
    cJSON *out = NULL;
    *why = NULL;
    int rc = apply_holder_parse(line, &out, why);
    cJSON_Delete(out);
    return rc;
}

static void test_holder_fields_are_one_line(void **state)
{
    (void)state;
    const char *why;
    assert_int_equal(holder(holder_with_del, &why), -EINVAL);
    assert_string_equal(why, "intake.holder.email");
    assert_int_equal(holder("Budi\tSantoso; 198501012010011001; Kasi; budi@bekasikota.go.id", &why),
                     -EINVAL);
    assert_string_equal(why, "intake.holder.name");
    assert_int_equal(holder("Budi; 198501012010011001; Ka\rsi; budi@bekasikota.go.id", &why),
                     -EINVAL);
    assert_string_equal(why, "intake.holder.jabatan");
    /* White space around the fields is still trimmed, tabs included. */
    assert_int_equal(holder("\tBudi Santoso\t; 198501012010011001 ; Kasi; budi@bekasikota.go.id",
                            &why),
                     0);
}

/* fuzz_intake: a fifth field was dropped without a word ("...; a@b.c; extra"
 * was taken as four); it is refused now, and only a trailing ';' is let go. */
static void test_holder_fifth_field_is_refused(void **state)
{
    (void)state;
    const char *why;
    assert_int_equal(holder("x; 198501012010011001; y; a@b.c; extra", &why), -EINVAL);
    assert_string_equal(why, "intake.holder.fields");
    assert_int_equal(holder("x; 198501012010011001; y; a@b.c;; extra", &why), -EINVAL);
    assert_string_equal(why, "intake.holder.fields");
    assert_int_equal(holder("x; 198501012010011001; y; a@b.c; ", &why), 0);
    assert_int_equal(holder("x; 198501012010011001; y; a@b.c", &why), 0);
}

/* fuzz_intake: a typed session time took a place with a control character
 * (0x1a) although the place is shown on buttons and written into .ics files
 * and letters; only a new line was refused. The exact input: */
static void test_typed_place_is_one_line(void **state)
{
    (void)state;
    int64_t start, end;
    char place[256];
    assert_int_equal(slot_typed_parse("2026-12-07 13:00 - 14:00, https\x1a//meet.example/abc", 60,
                                      &start, &end, place, sizeof place),
                     -EINVAL);
    assert_int_equal(slot_typed_parse("2026-12-07 13:00 - 14:00, https://meet.example/abc", 60,
                                      &start, &end, place, sizeof place),
                     0);
    assert_string_equal(place, "https://meet.example/abc");
    assert_true(end - start == 60 * CAL_MINUTE_MS);
}

/* fuzz_tg_reply, run on bot/tg_reply.c as it was before 2b27e70 (issue 13,
 * defect 3): an error_code of 44.2e1701 (inf for a double) was converted to
 * int, which is undefined ("inf is outside the range of representable
 * values of type 'int'"). The exact input: HTTP 401 and this body. A number
 * out of range now falls back to the HTTP status. */
static void test_reply_error_code_out_of_range(void **state)
{
    (void)state;
    static const char body[] =
        "{\"ok\": false, \"error_code\": 44.2e1701, \"description\": \"Ud\"}";
    struct tg_reply reply;
    assert_int_equal(tg_reply_parse(401, body, strlen(body), NULL, &reply), 0);
    assert_int_equal(reply.error_code, 401);
    assert_int_equal(reply.outcome, TG_UNAUTHORIZED);
    assert_string_equal(reply.description, "Ud");
    tg_reply_clear(&reply);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_date_is_exactly_yyyy_mm_dd),
        cmocka_unit_test(test_holder_fields_are_one_line),
        cmocka_unit_test(test_holder_fifth_field_is_refused),
        cmocka_unit_test(test_typed_place_is_one_line),
        cmocka_unit_test(test_reply_error_code_out_of_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
