/* The config is checked whole at start-up; each mistake names its key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* The letters' keys: defaults when absent, values when set, and each
 * mistake named by its key. */
static void test_letter_keys_and_signature_details(void **state)
{
    (void)state;
    struct config cfg;
    char err[256];
    assert_int_equal(config_parse(VALID, NULL, &cfg, err, sizeof err), 0);
    assert_string_equal(cfg.letter.number_format, "{class}/{seq}/{unit}");
    assert_string_equal(cfg.letter.unit_code, "Diskominfostandi");
    assert_string_equal(cfg.letter.class_recommendation, CONFIG_LETTER_DEFAULT_CLASS);
    assert_string_equal(cfg.letter.class_notification, CONFIG_LETTER_DEFAULT_CLASS);
    assert_int_equal(cfg.letter.head_count, 0);
    assert_null(cfg.letter.emblem_file);
    assert_null(cfg.officials[0].nip);
    config_free(&cfg);

    const char *json =
        "{\"telegram\":{\"token\":\"1:a\"},\"database\":\"x.db\",\"admins\":[],"
        "\"agencies\":[\"A\"],\"officials\":[{\"telegram_id\":1,\"role\":\"kadis\","
        "\"name\":\"Siti\",\"nip\":\"19700101 199003 1 002\",\"rank\":\"Pembina Tingkat I (IV/b)\","
        "\"title\":\"Dr. Siti Rahmawati, M.Si.\"}],"
        "\"letter\":{\"head\":[\"PEMERINTAH KOTA BEKASI\",\"DINAS X\"],\"address\":\"Jl. Y\","
        "\"font\":\"DejaVu Serif\",\"number_format\":\"{class}/{seq}/{unit}/{year}\","
        "\"unit_code\":\"Diskominfostandi.Sandi\","
        "\"classification\":{\"recommendation\":\"000.6.1\",\"notification\":\"000.6.2\"}}}";
    assert_int_equal(config_parse(json, NULL, &cfg, err, sizeof err), 0);
    assert_string_equal(cfg.officials[0].nip, "197001011990031002");
    assert_string_equal(cfg.officials[0].rank, "Pembina Tingkat I (IV/b)");
    assert_string_equal(cfg.officials[0].title, "Dr. Siti Rahmawati, M.Si.");
    assert_int_equal(cfg.letter.head_count, 2);
    assert_string_equal(cfg.letter.head[1], "DINAS X");
    assert_string_equal(cfg.letter.address, "Jl. Y");
    assert_string_equal(cfg.letter.font, "DejaVu Serif");
    assert_string_equal(cfg.letter.number_format, "{class}/{seq}/{unit}/{year}");
    assert_string_equal(cfg.letter.unit_code, "Diskominfostandi.Sandi");
    assert_string_equal(cfg.letter.class_recommendation, "000.6.1");
    assert_string_equal(cfg.letter.class_notification, "000.6.2");
    config_free(&cfg);

    char nip[CONFIG_NIP_DIGITS + 1], text[32];
    assert_int_equal(config_nip_normalize("197001011990031002", nip), 0);
    config_nip_format(nip, text, sizeof text);
    assert_string_equal(text, "19700101 199003 1 002");
    assert_int_equal(config_nip_normalize("1970010119900310", nip), -EINVAL);
    assert_int_equal(config_nip_normalize("19700101-199003-1-002", nip), -EINVAL);

    expect_error("\"name\":\"Pel\"", "\"name\":\"Pel\",\"nip\":\"123\"", "officials[1].nip");
    expect_error("\"name\":\"Pel\"", "\"name\":\"Pel\",\"rank\":\"\"", "officials[1].rank");
    expect_error("\"name\":\"Pel\"", "\"name\":\"Pel\",\"title\":7", "officials[1].title");
    expect_error("\"database\"", "\"letter\":[],\"database\"", "letter");
    expect_error("\"database\"", "\"letter\":{\"head\":[]},\"database\"", "letter.head");
    expect_error("\"database\"", "\"letter\":{\"head\":[\"\"]},\"database\"", "letter.head[0]");
    expect_error("\"database\"", "\"letter\":{\"number_format\":\"{class}/{unit}\"},\"database\"",
                 "letter.number_format");
    expect_error("\"database\"", "\"letter\":{\"number_format\":\"{seq}/{month}\"},\"database\"",
                 "letter.number_format");
    expect_error("\"database\"", "\"letter\":{\"unit_code\":\"\"},\"database\"", "letter.unit_code");
    expect_error("\"database\"",
                 "\"letter\":{\"classification\":{\"notification\":5}},\"database\"",
                 "letter.classification.notification");
}

/* The emblem is read at load time, relative to the config's folder; a file
 * that is missing or no PNG stops start-up naming the key. */
static void test_emblem_is_read_and_checked_at_load(void **state)
{
    (void)state;
    char dir[] = "/tmp/sertibot-config-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char cfg_path[128], png_path[128], text_path[128];
    snprintf(cfg_path, sizeof cfg_path, "%s/sertibot.json", dir);
    snprintf(png_path, sizeof png_path, "%s/lambang.png", dir);
    snprintf(text_path, sizeof text_path, "%s/lambang.txt", dir);
    static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0 };
    FILE *f = fopen(png_path, "wb");
    assert_non_null(f);
    fwrite(png, 1, sizeof png, f);
    fclose(f);
    f = fopen(text_path, "w");
    assert_non_null(f);
    fputs("not an image", f);
    fclose(f);
    const char *emblems[] = { "lambang.png", "lambang.txt", "missing.png" };
    const int expected[] = { 0, -EINVAL, -EINVAL };
    for (int i = 0; i < 3; i++) {
        f = fopen(cfg_path, "w");
        assert_non_null(f);
        fprintf(f, "{\"telegram\":{\"token\":\"1:a\"},\"database\":\"x.db\",\"officials\":[],"
                   "\"admins\":[],\"agencies\":[\"A\"],\"letter\":{\"emblem_file\":\"%s\"}}",
                emblems[i]);
        fclose(f);
        struct config cfg;
        char err[512];
        assert_int_equal(config_load(cfg_path, NULL, &cfg, err, sizeof err), expected[i]);
        if (expected[i] == 0) {
            assert_int_equal(cfg.letter.emblem_len, sizeof png);
            assert_memory_equal(cfg.letter.emblem, png, sizeof png);
            config_free(&cfg);
        } else if (!strstr(err, "letter.emblem_file")) {
            fail_msg("expected the key in: %s", err);
        }
    }
    unlink(cfg_path);
    unlink(png_path);
    unlink(text_path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_letter_keys_and_signature_details),
        cmocka_unit_test(test_emblem_is_read_and_checked_at_load),
        cmocka_unit_test(test_valid_config_loads_every_key),
        cmocka_unit_test(test_environment_token_wins),
        cmocka_unit_test(test_missing_pks_is_allowed),
        cmocka_unit_test(test_each_mistake_names_its_key),
        cmocka_unit_test(test_dates_are_checked_as_calendar_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
