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
#include <sys/stat.h>
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

/* agencies[]: plain names, or objects with the domains of their official
 * e-mail addresses; a holder's address is checked against them. */
static void test_agencies_with_email_domains(void **state)
{
    (void)state;
    const char *json =
        "{\"telegram\":{\"token\":\"1:a\"},\"database\":\"x.db\",\"officials\":[],"
        "\"admins\":[],\"agencies\":[\"Dinas Pendidikan\",{\"name\":\"Dinas Kesehatan\","
        "\"email_domains\":[\"BekasiKota.go.id\",\"dinkes.example.id\"]}]}";
    struct config cfg;
    char err[256];
    assert_int_equal(config_parse(json, NULL, &cfg, err, sizeof err), 0);
    assert_int_equal(cfg.agencies_count, 2);
    assert_string_equal(cfg.agencies[1], "Dinas Kesehatan");
    assert_int_equal(cfg.agency_domains[0].count, 0);
    assert_int_equal(cfg.agency_domains[1].count, 2);
    assert_string_equal(cfg.agency_domains[1].domains[0], "bekasikota.go.id");
    const struct config_agency_domains *allowed = NULL;
    assert_int_equal(config_agency_email_allowed(&cfg, "Dinas Kesehatan", "a@bekasikota.go.id",
                                                 &allowed), 0);
    assert_int_equal(config_agency_email_allowed(&cfg, "Dinas Kesehatan",
                                                 "a@Dinkes.BekasiKota.go.id", &allowed), 0);
    assert_int_equal(config_agency_email_allowed(&cfg, "Dinas Kesehatan", "a@dinkes.example.id",
                                                 &allowed), 0);
    assert_null(allowed);
    assert_int_equal(config_agency_email_allowed(&cfg, "Dinas Kesehatan", "a@gmail.com",
                                                 &allowed), -EACCES);
    assert_ptr_equal(allowed, &cfg.agency_domains[1]);
    /* a look-alike is not a subdomain */
    assert_int_equal(config_agency_email_allowed(&cfg, "Dinas Kesehatan",
                                                 "a@evilbekasikota.go.id", NULL), -EACCES);
    assert_int_equal(config_agency_email_allowed(&cfg, "Dinas Pendidikan", "a@gmail.com", NULL),
                     0);
    assert_int_equal(config_agency_email_allowed(&cfg, "Unknown", "a@gmail.com", NULL), 0);
    config_free(&cfg);

    expect_error("\"Dinas Pendidikan\"]", "{\"name\":\"\"}]", "agencies[1]");
    expect_error("\"Dinas Pendidikan\"]", "{\"name\":\"X\",\"email_domains\":[]}]",
                 "agencies[1].email_domains");
    expect_error("\"Dinas Pendidikan\"]", "{\"name\":\"X\",\"email_domains\":[\"@x.id\"]}]",
                 "agencies[1].email_domains[0]");
    expect_error("\"Dinas Pendidikan\"]", "{\"name\":\"X\",\"email_domains\":[\"localhost\"]}]",
                 "agencies[1].email_domains[0]");
    expect_error("\"Dinas Pendidikan\"]", "5]", "agencies[1]");
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

#define MAIL_BASE                                                                              \
    "{\"telegram\":{\"token\":\"1:a\"},\"database\":\"x.db\",\"officials\":[],\"admins\":[],"        \
    "\"agencies\":[\"A\"],\"bsre_email\":\"bsre@bssn.go.id\","

static void test_email_keys_load_with_defaults(void **state)
{
    (void)state;
    struct config cfg;
    char err[256];
    const char *json = MAIL_BASE "\"email\":{\"smtp_url\":\"smtps://mail.example.go.id:465\","
                       "\"imap_url\":\"imaps://mail.example.go.id/INBOX\",\"username\":\"u\","
                       "\"from\":{\"address\":\"persandian@bekasikota.go.id\",\"name\":\"Diskominfo\"},"
                       "\"ca_file\":\"/etc/ca.pem\"}}";
    assert_int_equal(config_parse(json, NULL, &cfg, err, sizeof err), 0);
    assert_true(config_mail_enabled(&cfg));
    assert_string_equal(cfg.email.smtp_url, "smtps://mail.example.go.id:465");
    assert_string_equal(cfg.email.imap_url, "imaps://mail.example.go.id/INBOX");
    assert_string_equal(cfg.email.from_address, "persandian@bekasikota.go.id");
    assert_string_equal(cfg.email.from_name, "Diskominfo");
    assert_string_equal(cfg.email.ca_file, "/etc/ca.pem");
    assert_int_equal(cfg.email.poll_seconds, CONFIG_DEFAULT_EMAIL_POLL_SECONDS);
    assert_false(cfg.email.allow_plain);
    /* a username without a password file or environment value is refused */
    assert_int_equal(config_email_password(&cfg, NULL, err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, "email.password_file"));
    assert_int_equal(config_email_password(&cfg, "s3cret-env", err, sizeof err), 0);
    assert_string_equal(cfg.email.password, "s3cret-env");
    config_free(&cfg);

    /* no email object: mail off, as before */
    assert_int_equal(config_parse(MAIL_BASE "\"x\":1}", NULL, &cfg, err, sizeof err), 0);
    assert_false(config_mail_enabled(&cfg));
    assert_int_equal(config_email_password(&cfg, NULL, err, sizeof err), 0);
    config_free(&cfg);
}

static void expect_mail_error(const char *email, const char *key)
{
    char json[2048];
    snprintf(json, sizeof json, MAIL_BASE "\"email\":%s}", email);
    struct config cfg;
    char err[256];
    assert_int_equal(config_parse(json, NULL, &cfg, err, sizeof err), -EINVAL);
    if (strncmp(err, key, strlen(key)) != 0)
        fail_msg("expected an error about %s, got: %s", key, err);
}

static void test_email_mistakes_name_their_key(void **state)
{
    (void)state;
    const char *from = "\"from\":{\"address\":\"a@b.go.id\"}";
    char buf[512];
    expect_mail_error("{\"smtp_url\":\"http://x\"}", "email.smtp_url");
    expect_mail_error("{\"smtp_url\":\"smtps://u:pw@x\"}", "email.smtp_url");
    expect_mail_error("{\"smtp_url\":\"smtps://x\"}", "email.from");
    snprintf(buf, sizeof buf, "{\"imap_url\":\"pop3://x\",%s}", from);
    expect_mail_error(buf, "email.imap_url");
    expect_mail_error("{\"smtp_url\":\"smtps://x\",\"from\":{\"address\":\"not-an-address\"}}",
                      "email.from.address");
    snprintf(buf, sizeof buf, "{\"smtp_url\":\"smtps://x\",\"poll_seconds\":0,%s}", from);
    expect_mail_error(buf, "email.poll_seconds");
    snprintf(buf, sizeof buf, "{\"smtp_url\":\"smtps://x\",\"allow_plain\":\"yes\",%s}", from);
    expect_mail_error(buf, "email.allow_plain");
    snprintf(buf, sizeof buf, "{\"smtp_url\":\"smtps://x\",\"password\":\"pw\",%s}", from);
    expect_mail_error(buf, "email.password");
    snprintf(buf, sizeof buf, "{\"smtp_url\":\"smtps://x\",\"password_file\":\"/p\",%s}", from);
    expect_mail_error(buf, "email.username");
}

static void test_password_file_must_be_private(void **state)
{
    (void)state;
    char path[] = "/tmp/sertibot-test-pw-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "pw-from-file\n", 13), 13);
    close(fd);
    char json[1024];
    snprintf(json, sizeof json, MAIL_BASE "\"email\":{\"smtp_url\":\"smtp://127.0.0.1:2525\","
             "\"username\":\"u\",\"password_file\":\"%s\",\"allow_plain\":true,"
             "\"from\":{\"address\":\"a@b.go.id\"}}}", path);
    struct config cfg;
    char err[256];
    assert_int_equal(config_parse(json, NULL, &cfg, err, sizeof err), 0);
    assert_true(cfg.email.allow_plain);
    chmod(path, 0640);
    assert_int_equal(config_email_password(&cfg, NULL, err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, "group or others"));
    assert_null(strstr(err, "pw-from-file"));
    chmod(path, 0600);
    assert_int_equal(config_email_password(&cfg, NULL, err, sizeof err), 0);
    assert_string_equal(cfg.email.password, "pw-from-file"); /* newline dropped */
    assert_int_equal(config_email_password(&cfg, "env-wins", err, sizeof err), 0);
    assert_string_equal(cfg.email.password, "env-wins");
    config_free(&cfg);
    unlink(path);
}

static void test_email_addresses_are_checked(void **state)
{
    (void)state;
    assert_int_equal(config_check_email_address("bsre@bssn.go.id"), 0);
    assert_int_equal(config_check_email_address("a.b+c@x.co"), 0);
    assert_int_equal(config_check_email_address("no-at.go.id"), -EINVAL);
    assert_int_equal(config_check_email_address("a@b"), -EINVAL);
    assert_int_equal(config_check_email_address("a@@b.id"), -EINVAL);
    assert_int_equal(config_check_email_address("a b@c.id"), -EINVAL);
    assert_int_equal(config_check_email_address("<a@c.id>"), -EINVAL);
    assert_int_equal(config_check_email_address("a@c.id\r\nBcc: x@y.z"), -EINVAL);
    assert_int_equal(config_check_email_address("a@c..id"), -EINVAL);
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

static void test_certificates_keys_are_read_and_checked(void **state)
{
    (void)state;
    struct config cfg;
    char err[256];
    assert_int_equal(config_parse(VALID, NULL, &cfg, err, sizeof err), 0);
    assert_int_equal(cfg.certificates.validity_days, CONFIG_DEFAULT_CERT_VALIDITY_DAYS);
    assert_int_equal(cfg.certificates.remind_count, 2);
    assert_int_equal(cfg.certificates.remind_days[0], 60);
    assert_int_equal(cfg.certificates.remind_days[1], 30);
    assert_int_equal(cfg.certificates.help_standard_minutes, CONFIG_DEFAULT_CERT_HELP_MINUTES);
    config_free(&cfg);

    char json[2048];
    snprintf(json, sizeof json,
             "%.*s,\"certificates\":{\"validity_days\":365,\"remind_days\":[90,30,7],"
             "\"help_standard_minutes\":120}}",
             (int)strlen(VALID) - 1, VALID);
    assert_int_equal(config_parse(json, NULL, &cfg, err, sizeof err), 0);
    assert_int_equal(cfg.certificates.validity_days, 365);
    assert_int_equal(cfg.certificates.remind_count, 3);
    assert_int_equal(cfg.certificates.remind_days[2], 7);
    assert_int_equal(cfg.certificates.help_standard_minutes, 120);
    config_free(&cfg);

    expect_error("\"pks\":", "\"certificates\":{\"remind_days\":[30,60]},\"pks\":",
                 "certificates.remind_days[1]");
    expect_error("\"pks\":", "\"certificates\":{\"remind_days\":[1,2,3,4,5]},\"pks\":",
                 "certificates.remind_days");
    expect_error("\"pks\":", "\"certificates\":{\"validity_days\":0},\"pks\":",
                 "certificates.validity_days");
    expect_error("\"pks\":", "\"certificates\":[],\"pks\":", "certificates");
}

static void test_checklist_items_are_capped(void **state)
{
    (void)state;
    expect_error("\"pks\":",
                 "\"checklist_items\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\"],"
                 "\"pks\":",
                 "checklist_items: at most 8");
    struct config cfg;
    char err[256];
    char json[2048];
    snprintf(json, sizeof json,
             "%.*s,\"checklist_items\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\"]}",
             (int)strlen(VALID) - 1, VALID);
    assert_int_equal(config_parse(json, NULL, &cfg, err, sizeof err), 0);
    assert_int_equal(cfg.checklist_items_count, 8);
    config_free(&cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_letter_keys_and_signature_details),
        cmocka_unit_test(test_emblem_is_read_and_checked_at_load),
        cmocka_unit_test(test_valid_config_loads_every_key),
        cmocka_unit_test(test_environment_token_wins),
        cmocka_unit_test(test_missing_pks_is_allowed),
        cmocka_unit_test(test_retention_days_are_read_and_checked),
        cmocka_unit_test(test_certificates_keys_are_read_and_checked),
        cmocka_unit_test(test_checklist_items_are_capped),
        cmocka_unit_test(test_each_mistake_names_its_key),
        cmocka_unit_test(test_agencies_with_email_domains),
        cmocka_unit_test(test_dates_are_checked_as_calendar_dates),
        cmocka_unit_test(test_email_keys_load_with_defaults),
        cmocka_unit_test(test_email_mistakes_name_their_key),
        cmocka_unit_test(test_password_file_must_be_private),
        cmocka_unit_test(test_email_addresses_are_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
