/* The e-mail to BSrE: subject, Message-ID, backoff, and the message itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mail_compose.h"

static void test_subject_and_message_id(void **state)
{
    (void)state;
    char out[256];
    assert_int_equal(mail_subject("SE-0001", "Dinas Kesehatan", out, sizeof out), 0);
    assert_string_equal(out, "[SE-0001] Rekomendasi Penerbitan Sertifikat Elektronik - Dinas Kesehatan");
    assert_int_equal(mail_subject("SE-0001", "Dinas Kesehatan", out, 10), -ENOSPC);
    assert_int_equal(mail_message_id("SE-0001", "k3x9", "persandian@bekasikota.go.id", out,
                                     sizeof out), 0);
    assert_string_equal(out, "<se-0001.k3x9@bekasikota.go.id>");
    assert_int_equal(mail_message_id("SE-0001", "k3x9", "no-domain", out, sizeof out), -EINVAL);
    assert_int_equal(mail_message_id("SE-0001", "A B", "a@b.id", out, sizeof out), -EINVAL);
}

static void test_backoff_doubles_to_an_hour_with_jitter(void **state)
{
    (void)state;
    assert_int_equal(mail_backoff_ms(1, 0), 30000);
    assert_int_equal(mail_backoff_ms(2, 0), 60000);
    assert_int_equal(mail_backoff_ms(3, 0), 120000);
    assert_int_equal(mail_backoff_ms(30, 0), 3600000);
    for (uint32_t r = 0; r < 100000; r += 7919) {
        int64_t wait = mail_backoff_ms(2, r);
        assert_true(wait >= 60000 && wait <= 75000);
    }
    assert_int_equal(mail_reply_class(250), 2);
    assert_int_equal(mail_reply_class(451), 4);
    assert_int_equal(mail_reply_class(550), 5);
    assert_int_equal(mail_reply_class(0), 0);
}

static void test_date_is_in_wib(void **state)
{
    (void)state;
    char out[64];
    mail_date(1796378400000LL, out, sizeof out); /* 2026-12-04T10:00:00Z */
    assert_string_equal(out, "Fri, 04 Dec 2026 17:00:00 +0700");
}

static void test_message_has_headers_body_and_attachments(void **state)
{
    (void)state;
    unsigned char pdf[300];
    for (size_t i = 0; i < sizeof pdf; i++)
        pdf[i] = (unsigned char)(i * 7);
    struct mail_attachment att[2] = {
        { "rekomendasi.pdf", "application/pdf", pdf, sizeof pdf },
        { "SK Pengangkatan \xc3\xa9.pdf", "application/pdf", (const unsigned char *)"abc", 3 },
    };
    struct mail_envelope env = {
        .from_address = "persandian@bekasikota.go.id", .from_name = "Diskominfo",
        .to = "bsre@bssn.go.id", .cc = "persandian@bekasikota.go.id",
        .subject = "[SE-0001] Rekomendasi \xe2\x80\x93 Dinas",
        .message_id = "<se-0001.x@bekasikota.go.id>", .date = "Fri, 04 Dec 2026 17:00:00 +0700",
        .body = "Yth. BSrE,\nNama: Budi = pemegang \n",
    };
    struct buf out = { 0 };
    assert_int_equal(mail_compose(&env, att, 2, "b0und", &out), 0);
    const char *m = out.data;
    assert_non_null(strstr(m, "From: \"Diskominfo\" <persandian@bekasikota.go.id>\r\n"));
    assert_non_null(strstr(m, "To: <bsre@bssn.go.id>\r\nCc: <persandian@bekasikota.go.id>\r\n"));
    assert_non_null(strstr(m, "Subject: =?UTF-8?B?"));
    assert_non_null(strstr(m, "Message-ID: <se-0001.x@bekasikota.go.id>\r\n"));
    assert_non_null(strstr(m, "Nama: Budi =3D pemegang=20\r\n"));
    assert_non_null(strstr(m, "filename=\"rekomendasi.pdf\""));
    assert_non_null(strstr(m, "filename*=UTF-8''SK%20Pengangkatan%20%C3%A9.pdf"));
    assert_non_null(strstr(m, "YWJj\r\n")); /* "abc" */
    assert_non_null(strstr(m, "--b0und--\r\n"));
    for (const char *line = m; *line;) { /* no line longer than 78 */
        const char *end = strstr(line, "\r\n");
        assert_non_null(end);
        assert_true(end - line <= 78);
        line = end + 2;
    }
    free(out.data);

    env.subject = "x\r\nBcc: someone@else.id";
    struct buf bad = { 0 };
    assert_int_equal(mail_compose(&env, att, 2, "b0und", &bad), -EINVAL);
    free(bad.data);
}

static void test_fill_is_plain_text(void **state)
{
    (void)state;
    const char *names[] = { "number", "agency" };
    const char *values[] = { "SE-0001", "Dinas A & B <x>" };
    struct buf out = { 0 };
    assert_int_equal(mail_fill("{number} untuk {agency}: {other}", names, values, 2, &out), 0);
    assert_string_equal(out.data, "SE-0001 untuk Dinas A & B <x>: {other}");
    free(out.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_subject_and_message_id),
        cmocka_unit_test(test_backoff_doubles_to_an_hour_with_jitter),
        cmocka_unit_test(test_date_is_in_wib),
        cmocka_unit_test(test_fill_is_plain_text),
        cmocka_unit_test(test_message_has_headers_body_and_attachments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
