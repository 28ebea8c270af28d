/* Numbers from JSON, range-checked before any conversion (issue 13, defect 3). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>

#include "json_number.h"

struct number_case {
    const char *json;
    int64_t min, max;
    int rc;
    int64_t value; /* for 0 and -ERANGE */
};

static void test_int64_table(void **state)
{
    (void)state;
    static const struct number_case cases[] = {
        { "0", 0, 10, 0, 0 },
        { "10", 0, 10, 0, 10 },
        { "-3", -5, 5, 0, -3 },
        { "4.2e17", 0, 599, -ERANGE, 599 },                     /* the UBSan report */
        { "4.2e17", INT64_MIN, INT64_MAX, -ERANGE, JSON_NUMBER_SAFE_MAX },
        { "-4.2e17", INT64_MIN, INT64_MAX, -ERANGE, -JSON_NUMBER_SAFE_MAX },
        { "-1", 1, 3600, -ERANGE, 1 },                          /* negative */
        { "2.5", 0, 10, -EINVAL, 0 },                           /* fractional */
        { "-0.5", -10, 10, -EINVAL, 0 },
        { "1e400", 0, 10, -EINVAL, 0 },                         /* infinite: NaN-ish */
        { "-1e400", 0, 10, -EINVAL, 0 },
        { "\"7\"", 0, 10, -EINVAL, 0 },                         /* not a number */
        { "null", 0, 10, -EINVAL, 0 },
        { "true", 0, 10, -EINVAL, 0 },
        { "4503599627370496", 1, INT64_MAX, 0, 4503599627370496LL }, /* 2^52: a Telegram id */
        { "9007199254740991", 1, INT64_MAX, 0, 9007199254740991LL }, /* 2^53 - 1 */
        { "9007199254740992", 1, INT64_MAX, -ERANGE, 9007199254740991LL },
        { "1e300", 1, INT64_MAX, -ERANGE, 9007199254740991LL },
        { "-1e300", INT64_MIN, 0, -ERANGE, -9007199254740991LL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cJSON *item = cJSON_Parse(cases[i].json);
        assert_non_null(item);
        int64_t value = 424242;
        int rc = json_number_int64(item, cases[i].min, cases[i].max, &value);
        if (rc != cases[i].rc)
            fail_msg("%s: rc %d, expected %d", cases[i].json, rc, cases[i].rc);
        if (cases[i].rc == -EINVAL)
            assert_true(value == 424242);
        else if (value != cases[i].value)
            fail_msg("%s: %lld, expected %lld", cases[i].json, (long long)value,
                     (long long)cases[i].value);
        cJSON_Delete(item);
    }
}

static void test_int_and_members(void **state)
{
    (void)state;
    cJSON *obj = cJSON_Parse("{\"a\":42,\"huge\":4.2e17,\"neg\":-4.2e17,\"frac\":1.5}");
    int v = 0;
    assert_int_equal(json_member_int(obj, "a", 0, 100, &v), 0);
    assert_int_equal(v, 42);
    assert_int_equal(json_member_int(obj, "huge", 0, 2147483647, &v), -ERANGE);
    assert_int_equal(v, 2147483647);
    assert_int_equal(json_member_int(obj, "neg", -2147483647 - 1, 2147483647, &v), -ERANGE);
    assert_int_equal(v, -2147483647 - 1);
    assert_int_equal(json_member_int(obj, "frac", 0, 10, &v), -EINVAL);
    assert_int_equal(json_member_int(obj, "absent", 0, 10, &v), -EINVAL);
    int64_t w = 0;
    assert_int_equal(json_member_int64(obj, "a", 0, 100, &w), 0);
    assert_true(w == 42);
    cJSON_Delete(obj);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int64_table),
        cmocka_unit_test(test_int_and_members),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
