/* Telegram's answers, with the real API's texts, classified into what to do. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "tg_reply.h"

static struct tg_reply parse(long status, const char *body)
{
    struct tg_reply reply;
    assert_int_equal(tg_reply_parse(status, body, strlen(body), NULL, &reply), 0);
    return reply;
}

static void test_ok_gives_the_result(void **state)
{
    (void)state;
    struct tg_reply r = parse(200, "{\"ok\":true,\"result\":{\"message_id\":77,\"chat\":{\"id\":4503599627370497}}}");
    assert_int_equal(r.outcome, TG_OK);
    assert_true(tg_json_id(r.result, "message_id") == 77);
    /* 2^52 + 1 is exact: ids are read from the double, never cJSON's int */
    assert_true(tg_json_id(cJSON_GetObjectItem(r.result, "chat"), "id") == 4503599627370497LL);
    tg_reply_clear(&r);
}

static void test_429_waits_retry_after(void **state)
{
    (void)state;
    struct tg_reply r = parse(429, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many "
                                   "Requests: retry after 7\",\"parameters\":{\"retry_after\":7}}");
    assert_int_equal(r.outcome, TG_RETRY_AFTER);
    assert_int_equal(r.retry_after, 7);
    tg_reply_clear(&r);
}

/* Issue 13, defect 3: a malformed number in an answer was converted to int
 * unchecked (UBSan: "4.2e+17 is outside the range of representable values of
 * type 'int'"). Now: a code out of range falls back to the HTTP status, a
 * retry_after is kept within 1 s .. 1 h, ids must be exact. */
static void test_malformed_numbers_are_range_checked(void **state)
{
    (void)state;
    struct tg_reply r = parse(400, "{\"ok\":false,\"error_code\":4.2e17,\"description\":\"x\"}");
    assert_int_equal(r.error_code, 400);
    assert_int_equal(r.outcome, TG_PERMANENT);
    tg_reply_clear(&r);
    r = parse(500, "{\"ok\":false,\"error_code\":-1e400,\"description\":\"x\"}");
    assert_int_equal(r.error_code, 500);
    assert_int_equal(r.outcome, TG_TRANSIENT);
    tg_reply_clear(&r);
    r = parse(400, "{\"ok\":false,\"error_code\":429.5,\"description\":\"x\"}");
    assert_int_equal(r.error_code, 400);
    tg_reply_clear(&r);
    static const struct {
        const char *retry;
        int seconds;
    } retries[] = { { "4.2e17", 3600 }, { "1e400", 1 }, { "-4.2e17", 1 }, { "-5", 1 },
                    { "2.5", 1 }, { "7", 7 }, { "\"7\"", 1 } };
    for (size_t i = 0; i < sizeof retries / sizeof retries[0]; i++) {
        char body[200];
        snprintf(body, sizeof body, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many "
                 "Requests\",\"parameters\":{\"retry_after\":%s}}", retries[i].retry);
        r = parse(429, body);
        assert_int_equal(r.outcome, TG_RETRY_AFTER);
        if (r.retry_after != retries[i].seconds)
            fail_msg("retry_after %s gave %d", retries[i].retry, r.retry_after);
        tg_reply_clear(&r);
    }
    r = parse(400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: group chat was "
                   "upgraded to a supergroup chat\",\"parameters\":{\"migrate_to_chat_id\":-4.2e17}}");
    assert_true(r.migrate_to_chat_id == 0);
    tg_reply_clear(&r);
    cJSON *ids = cJSON_Parse("{\"a\":4503599627370496,\"b\":4.2e17,\"c\":1.5,\"d\":1e400,"
                             "\"e\":-4503599627370496}");
    assert_true(tg_json_id(ids, "a") == 4503599627370496LL);
    assert_true(tg_json_id(ids, "b") == 0);
    assert_true(tg_json_id(ids, "c") == 0);
    assert_true(tg_json_id(ids, "d") == 0);
    assert_true(tg_json_id(ids, "e") == -4503599627370496LL);
    cJSON_Delete(ids);
}

static void test_fatal_and_unreachable_answers(void **state)
{
    (void)state;
    struct tg_reply r = parse(401, "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}");
    assert_int_equal(r.outcome, TG_UNAUTHORIZED);
    tg_reply_clear(&r);
    r = parse(409, "{\"ok\":false,\"error_code\":409,\"description\":\"Conflict: terminated by other "
                   "getUpdates request; make sure that only one bot instance is running\"}");
    assert_int_equal(r.outcome, TG_CONFLICT);
    assert_non_null(strstr(r.description, "only one bot instance"));
    tg_reply_clear(&r);
    r = parse(403, "{\"ok\":false,\"error_code\":403,\"description\":\"Forbidden: bot was blocked by the user\"}");
    assert_int_equal(r.outcome, TG_UNREACHABLE);
    tg_reply_clear(&r);
}

static void test_not_modified_is_success(void **state)
{
    (void)state;
    struct tg_reply r = parse(400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: "
                                   "message is not modified: specified new message content and reply "
                                   "markup are exactly the same as a current content and reply markup "
                                   "of the message\"}");
    assert_int_equal(r.outcome, TG_OK);
    assert_null(r.result);
    tg_reply_clear(&r);
}

static void test_other_400s_are_permanent_and_migration_is_noticed(void **state)
{
    (void)state;
    struct tg_reply r = parse(400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: chat not found\"}");
    assert_int_equal(r.outcome, TG_PERMANENT);
    assert_int_equal(r.error_code, 400);
    tg_reply_clear(&r);
    r = parse(400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: group chat was "
                   "upgraded to a supergroup chat\",\"parameters\":{\"migrate_to_chat_id\":-1001234567890}}");
    assert_int_equal(r.outcome, TG_MIGRATED);
    assert_true(r.migrate_to_chat_id == -1001234567890LL);
    tg_reply_clear(&r);
}

static void test_server_and_network_errors_are_transient(void **state)
{
    (void)state;
    struct tg_reply r = parse(500, "{\"ok\":false,\"error_code\":500,\"description\":\"Internal Server Error\"}");
    assert_int_equal(r.outcome, TG_TRANSIENT);
    tg_reply_clear(&r);
    r = parse(200, "{\"ok\": tru");
    assert_int_equal(r.outcome, TG_TRANSIENT);
    tg_reply_clear(&r);
    r = parse(502, "<html>Bad Gateway</html>");
    assert_int_equal(r.outcome, TG_TRANSIENT);
    tg_reply_clear(&r);
    assert_int_equal(tg_reply_parse(0, NULL, 0, "Connection refused", &r), 0);
    assert_int_equal(r.outcome, TG_TRANSIENT);
    assert_string_equal(r.description, "Connection refused");
    tg_reply_clear(&r);
}

static void test_backoff_grows_caps_and_jitters(void **state)
{
    (void)state;
    int64_t previous = 0;
    for (int attempt = 1; attempt <= 8; attempt++) {
        int64_t nominal = 1000LL << (attempt - 1);
        int64_t d = tg_backoff_ms(attempt, 0x12345u * (uint32_t)attempt);
        assert_true(d >= nominal * 3 / 4 && d <= nominal * 5 / 4);
        assert_true(d > previous / 2);
        previous = d;
    }
    assert_true(tg_backoff_ms(40, 7) <= 300000 * 5 / 4);
    assert_true(tg_backoff_ms(3, 1) != tg_backoff_ms(3, 999)); /* jitter spreads retries */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ok_gives_the_result),
        cmocka_unit_test(test_429_waits_retry_after),
        cmocka_unit_test(test_malformed_numbers_are_range_checked),
        cmocka_unit_test(test_fatal_and_unreachable_answers),
        cmocka_unit_test(test_not_modified_is_success),
        cmocka_unit_test(test_other_400s_are_permanent_and_migration_is_noticed),
        cmocka_unit_test(test_server_and_network_errors_are_transient),
        cmocka_unit_test(test_backoff_grows_caps_and_jitters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
