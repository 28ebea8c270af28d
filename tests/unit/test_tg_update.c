/* Reading updates and commands: untrusted input, parsed defensively. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tg_update.h"

static void test_message_fields_are_read(void **state)
{
    (void)state;
    cJSON *raw = cJSON_Parse(
        "{\"update_id\":5,\"message\":{\"message_id\":9,\"from\":{\"id\":4503599627370497,"
        "\"first_name\":\"Siti\",\"language_code\":\"en-US\"},\"chat\":{\"id\":4503599627370497,"
        "\"type\":\"private\"},\"date\":1,\"text\":\"/start\"}}");
    struct tg_update u;
    assert_int_equal(tg_update_parse(raw, &u), 0);
    assert_int_equal(u.kind, UPDATE_MESSAGE);
    assert_true(u.update_id == 5);
    assert_true(u.user_id == 4503599627370497LL);
    assert_true(u.chat_id == 4503599627370497LL);
    assert_string_equal(u.first_name, "Siti");
    assert_string_equal(u.language_code, "en-US");
    assert_string_equal(u.text, "/start");
    cJSON_Delete(raw);
}

/* Issue 13, defect 3: ids are whole numbers within 2^53; others are unusable. */
static int parse_with(const char *update_id, const char *user_id, struct tg_update *u)
{
    char json[200];
    snprintf(json, sizeof json, "{\"update_id\":%s,\"message\":{\"message_id\":1,"
             "\"from\":{\"id\":%s},\"chat\":{\"id\":7,\"type\":\"private\"}}}",
             update_id, user_id);
    cJSON *raw = cJSON_Parse(json);
    int rc = tg_update_parse(raw, u);
    cJSON_Delete(raw);
    return rc;
}

static void test_malformed_ids_are_refused(void **state)
{
    (void)state;
    static const char *const bad_update_ids[] = { "5.5", "-1", "4.2e17", "1e400", "\"5\"" };
    struct tg_update u;
    for (size_t i = 0; i < sizeof bad_update_ids / sizeof bad_update_ids[0]; i++)
        if (parse_with(bad_update_ids[i], "7", &u) != -EINVAL)
            fail_msg("update_id %s was accepted", bad_update_ids[i]);
    static const char *const bad_user_ids[] = { "7.5", "4.2e17", "-1e400", "1e400" };
    for (size_t i = 0; i < sizeof bad_user_ids / sizeof bad_user_ids[0]; i++) {
        assert_int_equal(parse_with("5", bad_user_ids[i], &u), 0);
        assert_true(u.user_id == 0);
        assert_int_equal(u.kind, UPDATE_OTHER); /* nobody to answer */
    }
}

static void test_callback_and_member_updates(void **state)
{
    (void)state;
    cJSON *raw = cJSON_Parse("{\"update_id\":6,\"callback_query\":{\"id\":\"q1\",\"from\":{\"id\":7,"
                             "\"first_name\":\"A\"},\"data\":\"lang:en\",\"message\":{\"message_id\":3,"
                             "\"chat\":{\"id\":7,\"type\":\"private\"},\"date\":1}}}");
    struct tg_update u;
    assert_int_equal(tg_update_parse(raw, &u), 0);
    assert_int_equal(u.kind, UPDATE_CALLBACK);
    assert_string_equal(u.callback_data, "lang:en");
    assert_true(u.message_id == 3 && u.chat_id == 7);
    cJSON_Delete(raw);

    raw = cJSON_Parse("{\"update_id\":7,\"my_chat_member\":{\"from\":{\"id\":7,\"first_name\":\"A\"},"
                      "\"chat\":{\"id\":7,\"type\":\"private\"},\"date\":1,"
                      "\"old_chat_member\":{\"status\":\"member\"},\"new_chat_member\":{\"status\":\"kicked\"}}}");
    assert_int_equal(tg_update_parse(raw, &u), 0);
    assert_int_equal(u.kind, UPDATE_MY_CHAT_MEMBER);
    assert_string_equal(u.member_status, "kicked");
    cJSON_Delete(raw);
}

static void test_odd_updates_are_harmless(void **state)
{
    (void)state;
    struct tg_update u;
    cJSON *raw = cJSON_Parse("{\"message\":{}}");
    assert_int_equal(tg_update_parse(raw, &u), -EINVAL);
    cJSON_Delete(raw);
    raw = cJSON_Parse("{\"update_id\":8,\"message\":{\"from\":\"nonsense\",\"text\":5}}");
    assert_int_equal(tg_update_parse(raw, &u), 0);
    assert_int_equal(u.kind, UPDATE_OTHER); /* nobody to answer */
    cJSON_Delete(raw);
    raw = cJSON_Parse("{\"update_id\":9,\"edited_message\":{}}");
    assert_int_equal(tg_update_parse(raw, &u), 0);
    assert_int_equal(u.kind, UPDATE_OTHER);
    cJSON_Delete(raw);
}

static void test_commands_addressed_to_us_only(void **state)
{
    (void)state;
    char name[33];
    const char *args;
    assert_int_equal(tg_command_parse("/start", "sertibot", name, &args), 0);
    assert_string_equal(name, "start");
    assert_string_equal(args, "");
    assert_int_equal(tg_command_parse("/Status@SertiBot  2026/0001 ", "sertibot", name, &args), 0);
    assert_string_equal(name, "status");
    assert_string_equal(args, "2026/0001 ");
    assert_int_equal(tg_command_parse("/start@other_bot", "sertibot", name, &args), -ENOENT);
    assert_int_equal(tg_command_parse("hello /start", "sertibot", name, &args), -ENOENT);
    assert_int_equal(tg_command_parse("/", "sertibot", name, &args), -ENOENT);
    assert_int_equal(tg_command_parse("/st-art", "sertibot", name, &args), -ENOENT);
    assert_int_equal(tg_command_parse(NULL, "sertibot", name, &args), -ENOENT);
    char longest[64];
    memset(longest, 'a', 40);
    longest[0] = '/';
    longest[40] = '\0';
    assert_int_equal(tg_command_parse(longest, "sertibot", name, &args), -ENOENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_message_fields_are_read),
        cmocka_unit_test(test_malformed_ids_are_refused),
        cmocka_unit_test(test_callback_and_member_updates),
        cmocka_unit_test(test_odd_updates_are_harmless),
        cmocka_unit_test(test_commands_addressed_to_us_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
