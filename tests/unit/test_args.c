/* Button data read strictly (issue 13, defect 6): one spelling per button.
 * Before args_decimal and args_case_press, "+1", " 3" and trailing fields
 * were accepted by strtoll-based parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <errno.h>

#include "args.h"
#include "case_action.h"
#include "typed_answers.h"

struct decimal_case {
    const char *text;
    uint64_t max;
    int ok;
    uint64_t value;
};

static void test_decimal_table(void **state)
{
    (void)state;
    static const struct decimal_case cases[] = {
        { "0", 10, 1, 0 },
        { "7", 10, 1, 7 },
        { "10", 10, 1, 10 },
        { "11", 10, 0, 0 },          /* above max */
        { "", 10, 0, 0 },            /* empty */
        { "+1", 10, 0, 0 },          /* sign */
        { "-1", 10, 0, 0 },
        { " 3", 10, 0, 0 },          /* leading space */
        { "3 ", 10, 0, 0 },          /* trailing space */
        { "03", 10, 0, 0 },          /* leading zero */
        { "00", 10, 0, 0 },
        { "1x", 10, 0, 0 },
        { "0x1", 10, 0, 0 },
        { "1e3", 10000, 0, 0 },
        { "18446744073709551615", UINT64_MAX, 1, UINT64_MAX },
        { "18446744073709551616", UINT64_MAX, 0, 0 }, /* overflow */
        { "99999999999999999999999", UINT64_MAX, 0, 0 },
        { "9007199254740991", 9007199254740991ull, 1, 9007199254740991ull },
        { "9007199254740992", 9007199254740991ull, 0, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint64_t value = 12345;
        int rc = args_decimal(cases[i].text, cases[i].max, &value);
        if (cases[i].ok) {
            assert_int_equal(rc, 0);
            assert_true(value == cases[i].value);
        } else {
            if (rc == 0)
                fail_msg("\"%s\" was accepted", cases[i].text);
            assert_true(value == 12345); /* untouched on refusal */
        }
    }
}

struct press_case {
    const char *rest; /* after "prefix:" */
    int ok;
    int64_t case_id;
    uint32_t version;
    const char *what;
    const char *arg;
};

static void test_case_press_table(void **state)
{
    (void)state;
    static const struct press_case cases[] = {
        { "1:1:i0", 1, 1, 1, "i0", "" },
        { "12:3:forward:1004", 1, 12, 3, "forward", "1004" },
        { "12:3:op:20500:540:60:1004", 1, 12, 3, "op", "20500:540:60:1004" },
        { "12:3:bsre_reply:accepted", 1, 12, 3, "bsre_reply", "accepted" },
        { "9007199254740991:4294967295:x", 1, 9007199254740991LL, 4294967295u, "x", "" },
        /* the examples */
        { "+1:1:i0", 0, 0, 0, NULL, NULL },
        { " 3:3:x", 0, 0, 0, NULL, NULL },
        /* the rest, one by one */
        { "1:+1:i0", 0, 0, 0, NULL, NULL },
        { "1: 1:i0", 0, 0, 0, NULL, NULL },
        { "01:1:i0", 0, 0, 0, NULL, NULL },
        { "1:01:i0", 0, 0, 0, NULL, NULL },
        { "0:1:i0", 0, 0, 0, NULL, NULL },          /* no case 0 */
        { "1:0:i0", 0, 0, 0, NULL, NULL },          /* no version 0 */
        { "9007199254740992:1:x", 0, 0, 0, NULL, NULL }, /* beyond 2^53 - 1 */
        { "1:4294967296:x", 0, 0, 0, NULL, NULL },  /* version overflow */
        { "1:99999999999999999999999:x", 0, 0, 0, NULL, NULL },
        { "1:1:", 0, 0, 0, NULL, NULL },            /* no what */
        { "1:1", 0, 0, 0, NULL, NULL },
        { "1", 0, 0, 0, NULL, NULL },
        { "", 0, 0, 0, NULL, NULL },
        { "1:1:I0", 0, 0, 0, NULL, NULL },          /* what is lower case */
        { "1:1: i0", 0, 0, 0, NULL, NULL },
        { "1:1:i0 ", 0, 0, 0, NULL, NULL },
        { "1:1:i0:", 0, 0, 0, NULL, NULL },         /* empty trailing field */
        { "1:1:forward::1", 0, 0, 0, NULL, NULL },  /* empty inner field */
        { "1:1:forward: 1", 0, 0, 0, NULL, NULL },
        { "1:1:forward:1\n", 0, 0, 0, NULL, NULL },
        { "1:1:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0, 0, 0, NULL, NULL }, /* what too long */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct args_press press;
        int rc = args_case_press(cases[i].rest, &press);
        /* case_press_parse, what the card handlers call, reads the same way */
        int64_t case_id;
        uint32_t version;
        char what[32], arg[64];
        int handler_rc = case_press_parse(cases[i].rest, &case_id, &version, what, sizeof what,
                                          arg, sizeof arg);
        if (!cases[i].ok) {
            if (rc == 0)
                fail_msg("\"%s\" was accepted", cases[i].rest);
            if (handler_rc == 0)
                fail_msg("\"%s\" was accepted by case_press_parse", cases[i].rest);
            continue;
        }
        assert_int_equal(handler_rc, 0);
        if (rc != 0)
            fail_msg("\"%s\" was refused", cases[i].rest);
        assert_true(press.case_id == cases[i].case_id);
        assert_true(press.version == cases[i].version);
        assert_string_equal(press.what, cases[i].what);
        assert_string_equal(press.arg, cases[i].arg);
    }
}

/* Issue 10: a NIP typed as letters print it, with its spaces. */
static void test_nip_table(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *digits; /* NULL: refused */
    } cases[] = {
        { "198501012010012001", "198501012010012001" },
        { "19850101 201001 2 001", "198501012010012001" },
        { "19850101 2010012001", "198501012010012001" },
        { "19850101 201001 2 00", NULL },        /* 17 digits */
        { "19850101 201001 2 0011", NULL },      /* 19 digits */
        { "1985010120100120011", NULL },
        { "19850101  201001 2 001", NULL },      /* two spaces */
        { " 198501012010012001", NULL },         /* leading space */
        { "198501012010012001 ", NULL },
        { "19850101\t201001 2 001", NULL },     /* a tab */
        { "19850101.201001.2.001", NULL },       /* dots */
        { "1985010120100120O1", NULL },          /* a letter O */
        { "", NULL },
        { "-19850101201001200", NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[ARGS_NIP_DIGITS + 1] = "";
        int rc = args_nip(cases[i].text, out);
        if (!cases[i].digits) {
            if (rc == 0)
                fail_msg("NIP \"%s\" was accepted", cases[i].text);
            continue;
        }
        if (rc != 0)
            fail_msg("NIP \"%s\" was refused", cases[i].text);
        assert_string_equal(out, cases[i].digits);
    }
}

/* Issue 10: dates in words, as letters write them. */
static void test_date_words_table(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *iso; /* NULL: refused */
    } cases[] = {
        { "20 November 2026", "2026-11-20" },
        { "20 Nov 2026", "2026-11-20" },
        { "20 Nov. 2026", "2026-11-20" },
        { "20 nopember 2026", "2026-11-20" },
        { "20 NOVEMBER 2026", "2026-11-20" },
        { "05 Agustus 2026", "2026-08-05" },
        { "5 Agu 2026", "2026-08-05" },
        { "5 Agt 2026", "2026-08-05" },
        { "5 August 2026", "2026-08-05" },
        { "1 Des 2025", "2025-12-01" },
        { "1 Desember 2025", "2025-12-01" },
        { "1 December 2025", "2025-12-01" },
        { "3 Mei 2026", "2026-05-03" },
        { "3 May 2026", "2026-05-03" },
        { "9 Sept 2026", "2026-09-09" },
        { "17 Okt 2026", "2026-10-17" },
        { "29 Februari 2028", "2028-02-29" },   /* a leap year */
        { "November 20, 2026", "2026-11-20" },
        { "  20   November   2026  ", "2026-11-20" },
        { "31 Februari 2026", NULL },           /* no such day */
        { "29 Februari 2026", NULL },
        { "31 April 2026", NULL },
        { "0 November 2026", NULL },
        { "32 Januari 2026", NULL },
        { "20 Novembre 2026", NULL },           /* not a month */
        { "20 No 2026", NULL },
        { "20 November", NULL },                /* no year */
        { "20 November 26", NULL },             /* two-digit year */
        { "20 November 2026 x", NULL },         /* a word more */
        { "November 20 2026", NULL },           /* English order needs its comma */
        { "120 November 2026", NULL },
        { "20 11 2026", NULL },
        { "", NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[11] = "";
        int rc = args_date_words(cases[i].text, out);
        if (!cases[i].iso) {
            if (rc == 0)
                fail_msg("date \"%s\" was accepted as %s", cases[i].text, out);
            continue;
        }
        if (rc != 0)
            fail_msg("date \"%s\" was refused", cases[i].text);
        assert_string_equal(out, cases[i].iso);
    }
}

/* The intake reads both, and keeps the NIP as its digits. */
static void test_intake_reads_words(void **state)
{
    (void)state;
    const int64_t now_ms = 1795000000000LL; /* 2026-11-18 */
    char iso[11];
    assert_int_equal(apply_letter_date_parse("20 Nov 2025", now_ms, iso), 0);
    assert_string_equal(iso, "2025-11-20");
    assert_int_equal(apply_letter_date_parse("2025-11-20", now_ms, iso), 0);
    assert_int_equal(apply_letter_date_parse("20 Desember 2026", now_ms, iso), -ERANGE);
    assert_int_equal(apply_letter_date_parse("31 Februari 2026", now_ms, iso), -EINVAL);
    char line[] = "Budi Santoso; 19850101 201001 2 001; Analis; budi@bekasikota.go.id";
    cJSON *holder = NULL;
    const char *why = NULL;
    assert_int_equal(apply_holder_parse(line, &holder, &why), 0);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(holder, "nip")->valuestring,
                        "198501012010012001");
    cJSON_Delete(holder);
    char bad[] = "Budi Santoso; 19850101 201001 2 01; Analis; budi@bekasikota.go.id";
    assert_int_equal(apply_holder_parse(bad, &holder, &why), -EINVAL);
    assert_string_equal(why, "intake.holder.nip");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decimal_table),
        cmocka_unit_test(test_case_press_table),
        cmocka_unit_test(test_nip_table),
        cmocka_unit_test(test_date_words_table),
        cmocka_unit_test(test_intake_reads_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
