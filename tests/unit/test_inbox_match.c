/* The case tag in a reply's subject ("[SE-0012]"), the fallback match of a
 * reply that carries neither In-Reply-To nor References to our mail. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>

#include "inbox_mail.h"

static void expect_case(const char *subject, int64_t want)
{
    int64_t id = -1;
    if (want < 0) {
        if (inbox_subject_case(subject, &id) != -ENOENT)
            fail_msg("%s: matched %lld, expected no match", subject ? subject : "(null)",
                     (long long)id);
        return;
    }
    assert_int_equal(inbox_subject_case(subject, &id), 0);
    assert_int_equal(id, want);
}

static void test_subject_tags(void **state)
{
    (void)state;
    expect_case("[SE-0001] Rekomendasi Penerbitan Sertifikat Elektronik - Dinas Kesehatan", 1);
    expect_case("Re: Fwd: [SE-0042] Rekomendasi", 42);
    expect_case("RE: [se-12] balasan", 12);
    expect_case("[EXTERNAL] Re: [SE-0007] x", 7);      /* a gateway's own tag first */
    expect_case("[SE-0003][SE-0004]", 3);
    expect_case("Re: SE-0001 without brackets", -1);
    expect_case("[SE-] empty", -1);
    expect_case("[SE-12x] junk", -1);
    expect_case("[SEKRETARIAT] undangan", -1);
    expect_case("[#12] another form", -1);
    expect_case("[SE-0001", -1);
    expect_case("", -1);
    expect_case(NULL, -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_subject_tags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
