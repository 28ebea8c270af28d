/* Which request a reply read from the mailbox answers (core/mail_match.h):
 * the tags in a subject ("[SE-0012]" a case, "[PC-0003]" a revocation), and
 * the order of the match: In-Reply-To before References before the tag, a
 * revocation's Message-ID before a case's (a revocation's mail is also
 * listed under the case that issued the certificate), an owner that is gone
 * passed over, a lookup's failure passed up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "mail_match.h"

static void expect_tag(const char *subject, enum mail_owner owner, int64_t want)
{
    enum mail_owner got = MAIL_OWNER_NONE;
    int64_t id = -1;
    if (owner == MAIL_OWNER_NONE) {
        if (mail_subject_tag(subject, &got, &id) != -ENOENT)
            fail_msg("%s: matched %d/%lld, expected no match", subject ? subject : "(null)",
                     (int)got, (long long)id);
        return;
    }
    assert_int_equal(mail_subject_tag(subject, &got, &id), 0);
    assert_int_equal(got, owner);
    assert_int_equal(id, want);
}

static void test_subject_tags(void **state)
{
    (void)state;
    expect_tag("[SE-0001] Rekomendasi Penerbitan Sertifikat Elektronik - Dinas Kesehatan",
               MAIL_OWNER_CASE, 1);
    expect_tag("Re: Fwd: [SE-0042] Rekomendasi", MAIL_OWNER_CASE, 42);
    expect_tag("RE: [se-12] balasan", MAIL_OWNER_CASE, 12);
    expect_tag("[EXTERNAL] Re: [SE-0007] x", MAIL_OWNER_CASE, 7); /* a gateway's own tag first */
    expect_tag("[SE-0003][SE-0004]", MAIL_OWNER_CASE, 3);
    expect_tag("Re: [PC-0003] Permohonan Pencabutan Sertifikat Elektronik - Rina Wati",
               MAIL_OWNER_REVOKE, 3);
    expect_tag("Balas: [pc-17]", MAIL_OWNER_REVOKE, 17);
    expect_tag("[PC-0002] [SE-0009]", MAIL_OWNER_REVOKE, 2); /* the first tag wins */
    expect_tag("[BS-0001] bantuan", MAIL_OWNER_NONE, 0);     /* help requests are not mailed */
    expect_tag("Re: SE-0001 without brackets", MAIL_OWNER_NONE, 0);
    expect_tag("[SE-] empty", MAIL_OWNER_NONE, 0);
    expect_tag("[PC-0000] zero", MAIL_OWNER_NONE, 0);
    expect_tag("[SE-12x] junk", MAIL_OWNER_NONE, 0);
    expect_tag("[PC-99999999999] too big", MAIL_OWNER_NONE, 0);
    expect_tag("[SEKRETARIAT] undangan", MAIL_OWNER_NONE, 0);
    expect_tag("[PCR-1] test", MAIL_OWNER_NONE, 0);
    expect_tag("[#12] another form", MAIL_OWNER_NONE, 0);
    expect_tag("[SE-0001", MAIL_OWNER_NONE, 0);
    expect_tag("", MAIL_OWNER_NONE, 0);
    expect_tag(NULL, MAIL_OWNER_NONE, 0);
}

/* The fake database: the Message-IDs the bot sent, and who exists. */
struct fake_db {
    const char *revoke_ids[2];  /* index+1 is the request's id */
    const char *case_ids[2];    /* index+1 is the case's id */
    int gone_case;              /* this case no longer exists */
    int fail;                   /* every lookup fails with -EIO */
    int lookups;
};

static int fake_sent_id(enum mail_owner owner, const char *message_id, int64_t *found, void *data)
{
    struct fake_db *db = data;
    db->lookups++;
    if (db->fail)
        return -EIO;
    const char *const *ids = owner == MAIL_OWNER_REVOKE ? db->revoke_ids : db->case_ids;
    for (int i = 0; i < 2; i++)
        if (ids[i] && strcmp(ids[i], message_id) == 0) {
            if (owner == MAIL_OWNER_CASE && i + 1 == db->gone_case)
                return -ENOENT;
            *found = i + 1;
            return 0;
        }
    return -ENOENT;
}

static int fake_exists(enum mail_owner owner, int64_t id, void *data)
{
    struct fake_db *db = data;
    if (db->fail)
        return -EIO;
    return id >= 1 && id <= 2 && !(owner == MAIL_OWNER_CASE && id == db->gone_case) ? 0 : -ENOENT;
}

static void expect_match(struct fake_db *db, const char *in_reply_to, const char *references,
                         const char *subject, enum mail_owner owner, int64_t id, const char *how)
{
    struct mail_match_lookup lookup = { fake_sent_id, fake_exists, db };
    struct mail_match m;
    int rc = mail_match(in_reply_to, references, subject, &lookup, &m);
    if (owner == MAIL_OWNER_NONE) {
        assert_int_equal(rc, -ENOENT);
        assert_int_equal(m.owner, MAIL_OWNER_NONE);
        return;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(m.owner, owner);
    assert_int_equal(m.id, id);
    assert_string_equal(m.how, how);
}

static void test_match_order(void **state)
{
    (void)state;
    /* Request 1's mail, listed under case 1 too (the case that issued the
     * certificate); case 2's own recommendation. */
    struct fake_db db = { .revoke_ids = { "pc-0001.abc@kominfo", NULL },
                          .case_ids = { "pc-0001.abc@kominfo", "se-0002.xyz@kominfo" } };
    /* The revocation's own Message-ID goes to the request, not the case. */
    expect_match(&db, "<pc-0001.abc@kominfo>", NULL, "Re: [SE-0002] x", MAIL_OWNER_REVOKE, 1,
                 "in_reply_to");
    /* In-Reply-To before References, whatever they say. */
    expect_match(&db, "<se-0002.xyz@kominfo>", "<pc-0001.abc@kominfo>", NULL, MAIL_OWNER_CASE, 2,
                 "in_reply_to");
    /* An unknown In-Reply-To falls to References, read in order. */
    expect_match(&db, "<other@bsre.go.id>",
                 "<first@bsre.go.id> <pc-0001.abc@kominfo> <se-0002.xyz@kominfo>", NULL,
                 MAIL_OWNER_REVOKE, 1, "references");
    /* No header of ours: the subject's tag, when its owner exists. */
    expect_match(&db, "<other@bsre.go.id>", "", "RE: [PC-0002] Pencabutan", MAIL_OWNER_REVOKE, 2,
                 "tag");
    expect_match(&db, NULL, NULL, "Re: [SE-0001] Rekomendasi", MAIL_OWNER_CASE, 1, "tag");
    expect_match(&db, NULL, NULL, "Re: [PC-0009] Pencabutan", MAIL_OWNER_NONE, 0, NULL);
    expect_match(&db, NULL, NULL, "Pertanyaan umum", MAIL_OWNER_NONE, 0, NULL);
    expect_match(&db, "", "", "", MAIL_OWNER_NONE, 0, NULL);
    /* A case that is gone is passed over: the next id, then the tag. */
    db.gone_case = 2;
    expect_match(&db, "<se-0002.xyz@kominfo>", NULL, "[SE-0002] x", MAIL_OWNER_NONE, 0, NULL);
    expect_match(&db, "<se-0002.xyz@kominfo>", NULL, "[PC-0001] x", MAIL_OWNER_REVOKE, 1, "tag");
}

static void test_lookup_failure_is_passed_up(void **state)
{
    (void)state;
    struct fake_db db = { .fail = 1 };
    struct mail_match_lookup lookup = { fake_sent_id, fake_exists, &db };
    struct mail_match m;
    assert_int_equal(mail_match("<a@b>", NULL, "[PC-0001]", &lookup, &m), -EIO);
    assert_int_equal(db.lookups, 1); /* stopped at the first failure */
    assert_int_equal(mail_match(NULL, NULL, "[PC-0001]", &lookup, &m), -EIO);
    assert_int_equal(m.owner, MAIL_OWNER_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_subject_tags),
        cmocka_unit_test(test_match_order),
        cmocka_unit_test(test_lookup_failure_is_passed_up),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
