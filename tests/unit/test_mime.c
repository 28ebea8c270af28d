/* The MIME reader on messages shaped like the ones mail servers hand over:
 * plain, multipart with a PDF, base64, quoted-printable, RFC 2047 subjects,
 * ISO-8859-1, nested multipart, RFC 2231 file names, HTML only; and
 * malformed input (every truncation of a real message, junk bytes, runaway
 * nesting), which must never crash or read out of bounds (run it under ASan). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mime.h"

static void parse(const char *raw, struct mime_message *m)
{
    assert_int_equal(mime_parse(raw, strlen(raw), m), 0);
}

static void test_plain(void **state)
{
    (void)state;
    const char *raw = "From: BSrE Layanan <layanan@bsre.go.id>\r\n"
                      "To: diskominfo@bekasikota.go.id\r\n"
                      "Subject: Re: [SE-0001] Rekomendasi\r\n"
                      "Message-ID: <r1@bsre.go.id>\r\n"
                      "In-Reply-To: <sent-1@bekasikota.go.id>\r\n"
                      "References: <a@x>\r\n <sent-1@bekasikota.go.id>\r\n"
                      "Date: Fri, 4 Dec 2026 10:00:00 +0700\r\n"
                      "\r\n"
                      "Permohonan diterima.\r\nTerima kasih.\r\n";
    struct mime_message m;
    parse(raw, &m);
    assert_string_equal(m.from, "BSrE Layanan <layanan@bsre.go.id>");
    assert_string_equal(m.from_address, "layanan@bsre.go.id");
    assert_string_equal(m.subject, "Re: [SE-0001] Rekomendasi");
    assert_string_equal(m.message_id, "<r1@bsre.go.id>");
    assert_string_equal(m.in_reply_to, "<sent-1@bekasikota.go.id>");
    assert_string_equal(m.references, "<a@x> <sent-1@bekasikota.go.id>");
    assert_string_equal(m.date, "Fri, 4 Dec 2026 10:00:00 +0700");
    assert_string_equal(m.text, "Permohonan diterima.\nTerima kasih.\n");
    assert_false(m.text_from_html);
    assert_int_equal(m.attachment_count, 0);
    mime_message_free(&m);
}

/* "%PDF-1.4\n\x00\xff\x80 binary\n%%EOF\n" in base64. */
static const unsigned char PDF_BYTES[] = "%PDF-1.4\n\x00\xff\x80 binary\n%%EOF\n";
#define PDF_B64 "JVBERi0xLjQKAP+AIGJpbmFyeQolJUVPRgo="

static void test_multipart_pdf(void **state)
{
    (void)state;
    const char *raw = "From: layanan@bsre.go.id\n"
                      "Subject: Hasil verifikasi\n"
                      "MIME-Version: 1.0\n"
                      "Content-Type: multipart/mixed;\n boundary=\"==b1==\"\n"
                      "\n"
                      "preamble to skip\n"
                      "--==b1==\n"
                      "Content-Type: text/plain; charset=utf-8\n"
                      "\n"
                      "Berkas terlampir.\n"
                      "--==b1==\n"
                      "Content-Type: application/pdf; name=\"surat balasan.pdf\"\n"
                      "Content-Disposition: attachment; filename=\"surat balasan.pdf\"\n"
                      "Content-Transfer-Encoding: base64\n"
                      "\n"
                      "JVBERi0xLjQKAP+AIGJp\n"
                      "bmFyeQolJUVPRgo=\n"
                      "--==b1==--\n"
                      "epilogue\n";
    struct mime_message m;
    parse(raw, &m);
    assert_string_equal(m.from_address, "layanan@bsre.go.id");
    assert_string_equal(m.text, "Berkas terlampir.");
    assert_int_equal(m.attachment_count, 1);
    assert_string_equal(m.attachments[0].filename, "surat balasan.pdf");
    assert_string_equal(m.attachments[0].content_type, "application/pdf");
    assert_int_equal(m.attachments[0].size, sizeof PDF_BYTES - 1);
    assert_memory_equal(m.attachments[0].data, PDF_BYTES, sizeof PDF_BYTES - 1);
    mime_message_free(&m);
}

static void test_base64_text(void **state)
{
    (void)state;
    /* "Sudah lengkap, é\r\n" in UTF-8, base64 */
    const char *raw = "Subject: x\r\n"
                      "Content-Type: text/plain; charset=\"UTF-8\"\r\n"
                      "Content-Transfer-Encoding: BASE64\r\n\r\n"
                      "U3VkYWggbGVuZ2thcCwgw6kNCg==\r\n";
    struct mime_message m;
    parse(raw, &m);
    assert_string_equal(m.text, "Sudah lengkap, \xc3\xa9\n");
    mime_message_free(&m);
}

static void test_quoted_printable(void **state)
{
    (void)state;
    const char *raw = "Content-Type: text/plain; charset=utf-8\r\n"
                      "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                      "Mohon dilengkapi surat rekomendasi yang ditandatangani ol=\r\n"
                      "eh Kepala Dinas. Caf=C3=A9 =3D ok=20\r\n"
                      "Baris dua= \r\n"
                      "x\r\n";
    struct mime_message m;
    parse(raw, &m);
    assert_string_equal(m.text, "Mohon dilengkapi surat rekomendasi yang ditandatangani oleh "
                                "Kepala Dinas. Caf\xc3\xa9 = ok \nBaris duax\n");
    mime_message_free(&m);
}

static void test_rfc2047_subject(void **state)
{
    (void)state;
    const char *raw = "From: =?UTF-8?B?QmFsYWkgU2VydGlmaWthc2kgRWxla3Ryb25paw==?= <a@bsre.go.id>\r\n"
                      "Subject: =?utf-8?q?Re:_[SE-0002]_Permohonan_?=\r\n"
                      " =?UTF-8?B?ZGl0ZXJpbWEg4pyT?= dan =?iso-8859-1?Q?caf=E9?=\r\n"
                      "\r\nok\r\n";
    struct mime_message m;
    parse(raw, &m);
    assert_string_equal(m.from, "Balai Sertifikasi Elektronik <a@bsre.go.id>");
    assert_string_equal(m.from_address, "a@bsre.go.id");
    /* the space between the two adjacent encoded words is dropped; the
     * literal " dan " between an encoded word and text stays */
    assert_string_equal(m.subject, "Re: [SE-0002] Permohonan diterima \xe2\x9c\x93 dan caf\xc3\xa9");
    mime_message_free(&m);
}

static void test_iso_8859_1(void **state)
{
    (void)state;
    const char *raw = "Subject: Mitteilung \xfc\r\n"
                      "Content-Type: text/plain; charset=ISO-8859-1\r\n"
                      "Content-Transfer-Encoding: 8bit\r\n\r\n"
                      "Gr\xfc\xdf" "e, se\xf1or\r\n";
    struct mime_message m;
    parse(raw, &m);
    assert_string_equal(m.text, "Gr\xc3\xbc\xc3\x9f" "e, se\xc3\xb1or\n");
    /* raw 8-bit header bytes that are not UTF-8 are read as ISO-8859-1 */
    assert_string_equal(m.subject, "Mitteilung \xc3\xbc");
    mime_message_free(&m);
}

static void test_nested_multipart(void **state)
{
    (void)state;
    const char *raw =
        "Content-Type: multipart/mixed; boundary=outer\r\n\r\n"
        "--outer\r\n"
        "Content-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n"
        "--inner\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "Teks biasa\r\n"
        "--inner\r\n"
        "Content-Type: text/html; charset=utf-8\r\n\r\n"
        "<p>Teks <b>HTML</b></p>\r\n"
        "--inner--\r\n"
        "--outer\r\n"
        "Content-Type: application/pdf\r\n"
        "Content-Disposition: attachment;\r\n"
        " filename*0*=UTF-8''Surat%20Balasan%20;\r\n"
        " filename*1=\"BSrE.pdf\"\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n"
        PDF_B64 "\r\n"
        "--outer\r\n"
        "Content-Type: application/octet-stream; name=\"=?UTF-8?B?U3VyYXQgw6kucGRm?=\"\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n"
        "AAEC\r\n"
        "--outer\r\n"
        "Content-Type: image/png\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n"
        "iVBORw==\r\n"
        "--outer--\r\n";
    struct mime_message m;
    parse(raw, &m);
    assert_string_equal(m.text, "Teks biasa");
    assert_false(m.text_from_html);
    assert_int_equal(m.attachment_count, 3);
    assert_string_equal(m.attachments[0].filename, "Surat Balasan BSrE.pdf");
    assert_memory_equal(m.attachments[0].data, PDF_BYTES, sizeof PDF_BYTES - 1);
    assert_string_equal(m.attachments[1].filename, "Surat \xc3\xa9.pdf");
    assert_string_equal(m.attachments[1].content_type, "application/octet-stream");
    assert_int_equal(m.attachments[1].size, 3);
    assert_memory_equal(m.attachments[1].data, "\x00\x01\x02", 3);
    assert_string_equal(m.attachments[2].filename, "lampiran-3");
    assert_string_equal(m.attachments[2].content_type, "image/png");
    mime_message_free(&m);
}

static void test_html_only(void **state)
{
    (void)state;
    const char *raw = "Content-Type: text/html; charset=iso-8859-1\r\n"
                      "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                      "<html><head><style>p { color: red; }</style></head><body>"
                      "<p>Permohonan &amp; berkas<br>diterima</p><div>Caf=E9 &#233; &lt;ok&gt;</div>"
                      "</body></html>\r\n";
    struct mime_message m;
    parse(raw, &m);
    assert_true(m.text_from_html);
    assert_non_null(strstr(m.text, "Permohonan & berkas\nditerima"));
    assert_non_null(strstr(m.text, "Caf\xc3\xa9 \xc3\xa9 <ok>"));
    assert_null(strstr(m.text, "color"));
    mime_message_free(&m);
}

static void test_rfc2231_charset(void **state)
{
    (void)state;
    const char *raw = "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
                      "--b\r\n"
                      "Content-Type: application/pdf\r\n"
                      "Content-Disposition: attachment; filename*=iso-8859-1'id'caf%E9.pdf\r\n\r\n"
                      "x\r\n"
                      "--b--\r\n";
    struct mime_message m;
    parse(raw, &m);
    assert_int_equal(m.attachment_count, 1);
    assert_string_equal(m.attachments[0].filename, "caf\xc3\xa9.pdf");
    assert_int_equal(m.attachments[0].size, 1);
    mime_message_free(&m);
}

static int collect(const char *id, void *ctx)
{
    char *out = ctx;
    strcat(out, id);
    strcat(out, "|");
    return 0;
}

static int stop_at_second(const char *id, void *ctx)
{
    int *seen = ctx;
    (void)id;
    return ++*seen == 2 ? 7 : 0;
}

static void test_each_id(void **state)
{
    (void)state;
    char out[256] = "";
    assert_int_equal(mime_each_id("<a@x> <b@y>\t<c@z> <broken", collect, out), 0);
    assert_string_equal(out, "a@x|b@y|c@z|");
    out[0] = '\0';
    assert_int_equal(mime_each_id("  bare@id  ", collect, out), 0);
    assert_string_equal(out, "bare@id|");
    out[0] = '\0';
    assert_int_equal(mime_each_id("", collect, out), 0);
    assert_string_equal(out, "");
    int seen = 0;
    assert_int_equal(mime_each_id("<1> <2> <3>", stop_at_second, &seen), 7);
}

static void test_decode_header(void **state)
{
    (void)state;
    char *s = mime_decode_header("=?UTF-8?Q?a?= =?UTF-8?Q?b?= c =?bogus");
    assert_string_equal(s, "ab c =?bogus");
    free(s);
    s = mime_decode_header("=?utf-8?b?/w==?="); /* invalid UTF-8 inside */
    assert_string_equal(s, "\xef\xbf\xbd");
    free(s);
}

/* Parses every prefix of a real message and a few corruptions of it. */
static void test_malformed_never_crashes(void **state)
{
    (void)state;
    const char *raw =
        "Subject: =?UTF-8?B?QmFs?= x\r\n"
        "Content-Type: multipart/mixed; boundary=\"o\"\r\n\r\n"
        "--o\r\n"
        "Content-Type: multipart/alternative; boundary=i\r\n\r\n"
        "--i\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n\r\nab=C3=A9=\r\n=\r\n"
        "--i\r\nContent-Type: text/html\r\n\r\n<p>x&#99999999;&bogus; <script>y\r\n"
        "--i--\r\n"
        "--o\r\nContent-Disposition: attachment; filename*0*=utf-8''%E2%9C; filename*1*=%93\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n" PDF_B64 "\r\n"
        "--o--\r\n";
    size_t n = strlen(raw);
    for (size_t cut = 0; cut <= n; cut++) {
        char *copy = malloc(cut ? cut : 1); /* exact size: ASan sees any over-read */
        assert_non_null(copy);
        memcpy(copy, raw, cut);
        struct mime_message m;
        assert_int_equal(mime_parse(copy, cut, &m), 0);
        assert_non_null(m.text);
        mime_message_free(&m);
        free(copy);
    }
    /* NUL bytes and junk in the middle */
    char junk[512];
    uint32_t x = 12345;
    for (int round = 0; round < 200; round++) {
        for (size_t i = 0; i < sizeof junk; i++) {
            x = x * 1103515245u + 12345u;
            junk[i] = (char)(x >> 16);
        }
        memcpy(junk, "Content-Type: multipart/x; boundary=\"\"\r\n\r\n--\r\n", 46);
        struct mime_message m;
        assert_int_equal(mime_parse(junk, sizeof junk, &m), 0);
        mime_message_free(&m);
    }
}

static void test_runaway_nesting(void **state)
{
    (void)state;
    char raw[8192] = "";
    for (int i = 0; i < 40; i++) {
        char line[128];
        snprintf(line, sizeof line, "Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n",
                 i, i);
        strcat(raw, line);
    }
    strcat(raw, "Content-Type: text/plain\r\n\r\ndeep\r\n");
    struct mime_message m;
    assert_int_equal(mime_parse(raw, strlen(raw), &m), 0);
    assert_string_equal(m.text, ""); /* too deep: not read, but no crash */
    mime_message_free(&m);
    assert_int_equal(mime_parse(NULL, 0, &m), -EINVAL);
    mime_message_free(NULL);
}

static void test_no_headers(void **state)
{
    (void)state;
    struct mime_message m;
    parse("\r\nonly a body", &m);
    assert_string_equal(m.text, "only a body");
    assert_string_equal(m.subject, "");
    assert_string_equal(m.from_address, "");
    mime_message_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain),
        cmocka_unit_test(test_multipart_pdf),
        cmocka_unit_test(test_base64_text),
        cmocka_unit_test(test_quoted_printable),
        cmocka_unit_test(test_rfc2047_subject),
        cmocka_unit_test(test_iso_8859_1),
        cmocka_unit_test(test_nested_multipart),
        cmocka_unit_test(test_html_only),
        cmocka_unit_test(test_rfc2231_charset),
        cmocka_unit_test(test_each_id),
        cmocka_unit_test(test_decode_header),
        cmocka_unit_test(test_malformed_never_crashes),
        cmocka_unit_test(test_runaway_nesting),
        cmocka_unit_test(test_no_headers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
