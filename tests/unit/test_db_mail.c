/* The e-mail queue (db_mail.h): a queued mail keeps its Message-ID with the
 * case, waits while deferred, keeps its composed bytes, and leaves the queue
 * only as sent or failed (with the server's text). A fresh file per test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "db_cases.h"
#include "db_mail.h"
#include "db_registry.h"

#define T0 INT64_C(1796263200000)

struct fixture {
    char path[256];
    struct db *db;
    int64_t case_id;
};

static int setup(void **state)
{
    static struct fixture f;
    memset(&f, 0, sizeof f);
    snprintf(f.path, sizeof f.path, "/tmp/sertibot-test-mail-%d.db", (int)getpid());
    unlink(f.path);
    char err[256];
    if (db_open(f.path, &f.db, err, sizeof err) != 0)
        fail_msg("db_open: %s", err);
    char *agencies[] = { "Dinas Kesehatan" };
    assert_int_equal(db_agencies_sync(f.db, agencies, 1), 0);
    struct db_agency list[1];
    size_t n = 0;
    assert_int_equal(db_agencies_list(f.db, list, 1, &n), 0);
    struct db_case c = { .wf = { .agency_id = list[0].id, .state = WF_S4_KIRIM_BSRE, .version = 1 },
                         .applicant_id = 5001, .created_at = T0 };
    snprintf(c.letter_number, sizeof c.letter_number, "800/1");
    snprintf(c.letter_date, sizeof c.letter_date, "2026-11-20");
    snprintf(c.subject, sizeof c.subject, "Permohonan");
    assert_int_equal(db_case_insert(f.db, &c, "Dinas Kesehatan", 2026), 0);
    f.case_id = c.wf.case_id;
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    db_close(f->db);
    char other[300];
    unlink(f->path);
    snprintf(other, sizeof other, "%s-wal", f->path);
    unlink(other);
    snprintf(other, sizeof other, "%s-shm", f->path);
    unlink(other);
    return 0;
}

static void queue_one(struct fixture *f, const char *message_id)
{
    struct db_mail m = { .case_id = f->case_id, .message_id = (char *)message_id,
                         .mail_from = "a@b.go.id", .mail_to = "bsre@bssn.go.id",
                         .mail_cc = "a@b.go.id", .subject = "[SE-0001] x", .body = "isi",
                         .attachments = "[1,2]", .requested_by = 1004 };
    assert_int_equal(db_mail_queue(f->db, &m, T0, NULL), 0);
}

static void test_queued_mail_waits_when_deferred_and_keeps_its_bytes(void **state)
{
    struct fixture *f = *state;
    queue_one(f, "<se-0001.a@b.go.id>");
    int64_t case_id = 0;
    assert_int_equal(db_mail_case_of(f->db, "<se-0001.a@b.go.id>", &case_id), 0);
    assert_true(case_id == f->case_id);
    assert_int_equal(db_mail_case_of(f->db, "<other@x.id>", &case_id), -ENOENT);

    struct db_mail m;
    assert_int_equal(db_mail_next(f->db, T0, &m), 0);
    assert_string_equal(m.mail_to, "bsre@bssn.go.id");
    assert_string_equal(m.attachments, "[1,2]");
    assert_null(m.message);
    assert_int_equal(db_mail_set_message(f->db, m.id, (const unsigned char *)"RAW\0MAIL", 8), 0);
    assert_int_equal(db_mail_defer(f->db, m.id, T0 + 30000, 1, "451 busy"), 0);
    struct db_mail none;
    assert_int_equal(db_mail_next(f->db, T0 + 29999, &none), -ENOENT);
    int64_t due = 0;
    assert_int_equal(db_mail_next_due(f->db, &due), 0);
    assert_true(due == T0 + 30000);
    db_mail_clear(&m);

    assert_int_equal(db_mail_next(f->db, T0 + 30000, &m), 0);
    assert_int_equal(m.attempts, 1);
    assert_int_equal(m.message_size, 8);
    assert_memory_equal(m.message, "RAW\0MAIL", 8);
    int pending = 0;
    assert_int_equal(db_mail_pending_for_case(f->db, f->case_id, &pending), 0);
    assert_int_equal(pending, 1);
    assert_int_equal(db_mail_sent(f->db, &m, 0, T0 + 31000), 0);
    assert_int_equal(db_mail_pending_for_case(f->db, f->case_id, &pending), 0);
    assert_int_equal(pending, 0);
    assert_int_equal(db_mail_next_due(f->db, &due), -ENOENT);
    db_mail_clear(&m);
}

static void test_a_refused_mail_moves_to_failed(void **state)
{
    struct fixture *f = *state;
    queue_one(f, "<se-0001.b@b.go.id>");
    struct db_mail m;
    assert_int_equal(db_mail_next(f->db, T0, &m), 0);
    assert_int_equal(db_mail_failed(f->db, &m, "550 5.7.1 rejected", T0 + 1000), 0);
    db_mail_clear(&m);
    int queued = -1, failed = -1;
    assert_int_equal(db_mail_counts(f->db, &queued, &failed), 0);
    assert_int_equal(queued, 0);
    assert_int_equal(failed, 1);
    /* The Message-ID stays known: a late reply still finds its case. */
    int64_t case_id = 0;
    assert_int_equal(db_mail_case_of(f->db, "<se-0001.b@b.go.id>", &case_id), 0);
}

static void test_a_message_id_is_queued_once(void **state)
{
    struct fixture *f = *state;
    queue_one(f, "<se-0001.c@b.go.id>");
    struct db_mail m = { .case_id = f->case_id, .message_id = "<se-0001.c@b.go.id>",
                         .mail_from = "a@b.go.id", .mail_to = "x@y.id", .subject = "s",
                         .body = "b", .attachments = "[]", .requested_by = 1 };
    assert_int_equal(db_mail_queue(f->db, &m, T0, NULL), -EIO);
}

static void test_a_case_recorded_by_hand_withdraws_its_mail(void **state)
{
    struct fixture *f = *state;
    queue_one(f, "<se-0001.d@b.go.id>");
    assert_int_equal(db_mail_withdraw_case(f->db, f->case_id, "recorded by hand", T0), 0);
    struct db_mail m;
    assert_int_equal(db_mail_next(f->db, T0 + 1, &m), -ENOENT);
    int queued = -1, failed = -1;
    assert_int_equal(db_mail_counts(f->db, &queued, &failed), 0);
    assert_int_equal(queued, 0);
    assert_int_equal(failed, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_queued_mail_waits_when_deferred_and_keeps_its_bytes,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_refused_mail_moves_to_failed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_message_id_is_queued_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_case_recorded_by_hand_withdraws_its_mail, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
