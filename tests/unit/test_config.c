/* The config is checked whole at start-up; each mistake names its key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "config.h"

#define VALID                                                                                  \
    "{\"telegram\":{\"token\":\"123456:ABC-def\",\"api_base\":\"http://127.0.0.1:8081/\"},"   \
    "\"database\":\"sertibot.db\","                                                            \
    "\"officials\":[{\"telegram_id\":4000000000123,\"role\":\"kadis\",\"name\":\"Ir. Kadis\"},"  \
    "{\"telegram_id\":22,\"role\":\"pelaksana\",\"name\":\"Pel\"}],"                           \
    "\"admins\":[4000000000123],"                                                              \
    "\"agencies\":[\"Dinas Kesehatan\",\"Dinas Pendidikan\"],"                                 \
    "\"pks\":{\"number\":\"PKS/01/2025\",\"signed\":\"2025-01-15\",\"valid_until\":\"2030-01-14\"}}"

static void test_valid_config_loads_every_key(void **state)
{
    (void)state;
    struct config cfg;
    char err[256];
    assert_int_equal(config_parse(VALID, NULL, &cfg, err, sizeof err), 0);
    assert_string_equal(cfg.token, "123456:ABC-def");
    assert_string_equal(cfg.api_base, "http://127.0.0.1:8081"); /* trailing slash dropped */
    assert_string_equal(cfg.database, "sertibot.db");
    assert_int_equal(cfg.poll_timeout_s, 50);
    assert_int_equal(cfg.officials_count, 2);
    /* ids beyond 32 bits survive: never through cJSON's valueint */
    assert_true(cfg.officials[0].telegram_id == 4000000000123LL);
    assert_int_equal(cfg.officials[0].role, ROLE_KADIS);
    assert_int_equal(cfg.officials[1].role, ROLE_PELAKSANA);
    assert_true(config_is_admin(&cfg, 4000000000123LL));
    assert_false(config_is_admin(&cfg, 22));
    assert_int_equal(cfg.agencies_count, 2);
    assert_true(cfg.has_pks);
    assert_string_equal(cfg.pks_valid_until, "2030-01-14");
    assert_int_equal(cfg.retention_days, CONFIG_DEFAULT_RETENTION_DAYS);
    config_free(&cfg);
}

static void test_environment_token_wins(void **state)
{
    (void)state;
    struct config cfg;
    char err[256];
    assert_int_equal(config_parse(VALID, "999:FROM-ENV", &cfg, err, sizeof err), 0);
    assert_string_equal(cfg.token, "999:FROM-ENV");
    config_free(&cfg);
}

static void test_missing_pks_is_allowed(void **state)
{
    (void)state;
    struct config cfg;
    char err[256];
    const char *json = "{\"telegram\":{\"token\":\"1:a\"},\"database\":\"x.db\",\"officials\":[],"
                       "\"admins\":[],\"agencies\":[\"A\"]}";
    assert_int_equal(config_parse(json, NULL, &cfg, err, sizeof err), 0);
    assert_false(cfg.has_pks);
    assert_string_equal(cfg.api_base, CONFIG_DEFAULT_API_BASE);
    config_free(&cfg);
}

/* Replaces the first occurrence of `from` in VALID by `to` and expects an
 * error that starts with `key`. */
static void expect_error(const char *from, const char *to, const char *key)
{
    char json[2048];
    const char *at = strstr(VALID, from);
    assert_non_null(at);
    size_t head = (size_t)(at - VALID);
    snprintf(json, sizeof json, "%.*s%s%s", (int)head, VALID, to, at + strlen(from));
    struct config cfg;
    char err[256];
    assert_int_equal(config_parse(json, NULL, &cfg, err, sizeof err), -EINVAL);
    if (strncmp(err, key, strlen(key)) != 0)
        fail_msg("expected an error about %s, got: %s", key, err);
}

static void test_each_mistake_names_its_key(void **state)
{
    (void)state;
    expect_error("\"token\":\"123456:ABC-def\"", "\"token\":\"\"", "telegram.token");
    expect_error("\"token\":\"123456:ABC-def\"", "\"token\":\"https://t.me/x\"", "telegram.token");
    expect_error("\"token\":\"123456:ABC-def\",", "", "telegram.token");
    expect_error("\"api_base\":\"http://127.0.0.1:8081/\"", "\"api_base\":\"ftp://x\"",
                 "telegram.api_base");
    expect_error("\"database\":\"sertibot.db\"", "\"database\":5", "database");
    expect_error("\"database\":\"sertibot.db\",", "", "database");
    expect_error("\"role\":\"pelaksana\"", "\"role\":\"camat\"", "officials[1].role");
    expect_error("\"telegram_id\":22", "\"telegram_id\":\"22\"", "officials[1].telegram_id");
    expect_error("\"telegram_id\":22", "\"telegram_id\":4000000000123", "officials[1].telegram_id");
    expect_error("\"name\":\"Pel\"", "\"name\":\"\"", "officials[1].name");
    expect_error("\"admins\":[4000000000123]", "\"admins\":[1.5]", "admins[0]");
    expect_error("\"agencies\":[\"Dinas Kesehatan\",\"Dinas Pendidikan\"]", "\"agencies\":[]",
                 "agencies");
    expect_error("\"valid_until\":\"2030-01-14\"", "\"valid_until\":\"2030-02-30\"",
                 "pks.valid_until");
    expect_error("\"valid_until\":\"2030-01-14\"", "\"valid_until\":\"2024-01-14\"",
                 "pks.valid_until");
    expect_error("\"signed\":\"2025-01-15\"", "\"signed\":\"15-01-2025\"", "pks.signed");
    expect_error("{\"telegram\"", "[{\"telegram\"", "not valid JSON");
}

static void test_dates_are_checked_as_calendar_dates(void **state)
{
    (void)state;
    assert_int_equal(config_check_date("2024-02-29"), 0);
    assert_int_equal(config_check_date("2025-02-29"), -EINVAL);
    assert_int_equal(config_check_date("2025-13-01"), -EINVAL);
    assert_int_equal(config_check_date("2025-1-01"), -EINVAL);
    assert_int_equal(config_check_date("2025-01-01x"), -EINVAL);
}

static void test_retention_days_are_read_and_checked(void **state)
{
    (void)state;
    struct config cfg;
    char err[256];
    char json[2048];
    snprintf(json, sizeof json, "%.*s,\"retention\":{\"closed_case_days\":0}}",
             (int)strlen(VALID) - 1, VALID);
    assert_int_equal(config_parse(json, NULL, &cfg, err, sizeof err), 0);
    assert_int_equal(cfg.retention_days, 0);
    config_free(&cfg);
    expect_error("\"pks\":", "\"retention\":{\"closed_case_days\":-1},\"pks\":",
                 "retention.closed_case_days");
    expect_error("\"pks\":", "\"retention\":{\"closed_case_days\":1.5},\"pks\":",
                 "retention.closed_case_days");
    expect_error("\"pks\":", "\"retention\":30,\"pks\":", "retention");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_config_loads_every_key),
        cmocka_unit_test(test_environment_token_wins),
        cmocka_unit_test(test_missing_pks_is_allowed),
        cmocka_unit_test(test_each_mistake_names_its_key),
        cmocka_unit_test(test_dates_are_checked_as_calendar_dates),
        cmocka_unit_test(test_retention_days_are_read_and_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
