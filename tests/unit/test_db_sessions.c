/* The sessions table (db_sessions.h): drafts hold nobody's time; offered and
 * confirmed sessions of one Pelaksana never overlap, whatever the code above
 * the database does; the reminder column drives the scheduler. Each test
 * works on a fresh file with two cases. */
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
#include "db_registry.h"
#include "db_sessions.h"

#define HOUR INT64_C(3600000)
#define T9 INT64_C(1796263200000) /* 2026-12-03 09:00 WIB */
#define RINA 7
#define ADI 8

struct fixture {
    char path[256];
    struct db *db;
    int64_t case_one, case_two;
};

static int64_t new_case(struct db *db, int64_t agency_id)
{
    struct db_case c = { .wf = { .agency_id = agency_id, .state = WF_S6_JADWAL, .version = 1 },
                         .applicant_id = 5001, .created_at = T9 - 100 * HOUR };
    snprintf(c.letter_number, sizeof c.letter_number, "800/1");
    snprintf(c.letter_date, sizeof c.letter_date, "2026-11-20");
    snprintf(c.subject, sizeof c.subject, "Permohonan");
    assert_int_equal(db_case_insert(db, &c, "Dinas Kesehatan", 2026), 0);
    return c.wf.case_id;
}

static int setup(void **state)
{
    static struct fixture f;
    memset(&f, 0, sizeof f);
    snprintf(f.path, sizeof f.path, "/tmp/sertibot-test-sessions-%d.db", (int)getpid());
    unlink(f.path);
    char err[256];
    if (db_open(f.path, &f.db, err, sizeof err) != 0)
        fail_msg("db_open: %s", err);
    char *agencies[] = { "Dinas Kesehatan" };
    assert_int_equal(db_agencies_sync(f.db, agencies, 1), 0);
    struct db_agency list[2];
    size_t n = 0;
    assert_int_equal(db_agencies_list(f.db, list, 2, &n), 0);
    f.case_one = new_case(f.db, list[0].id);
    f.case_two = new_case(f.db, list[0].id);
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

static int64_t add(struct fixture *f, int64_t case_id, int64_t pelaksana, int64_t start,
                   int64_t end, enum db_session_status status, int expect)
{
    struct db_session s = { .case_id = case_id, .pelaksana_id = pelaksana, .start_at = start,
                            .end_at = end, .status = status, .created_by = 1,
                            .created_at = T9 - 50 * HOUR };
    snprintf(s.place, sizeof s.place, "Ruang Rapat");
    int64_t id = 0;
    assert_int_equal(db_session_add(f->db, &s, &id), expect);
    return id;
}

static void test_holding_sessions_of_one_pelaksana_never_overlap(void **state)
{
    struct fixture *f = *state;
    int64_t held = add(f, f->case_one, RINA, T9, T9 + HOUR, SESSION_OFFERED, 0);
    assert_true(held > 0);
    /* Another case cannot take Rina from 09:30, offered or confirmed. */
    add(f, f->case_two, RINA, T9 + HOUR / 2, T9 + 2 * HOUR, SESSION_OFFERED, -EEXIST);
    add(f, f->case_two, RINA, T9 - HOUR / 2, T9 + HOUR / 2, SESSION_CONFIRMED, -EEXIST);
    /* Touching is not overlapping; another Pelaksana is another person; a
     * draft holds nothing. */
    add(f, f->case_two, RINA, T9 + HOUR, T9 + 2 * HOUR, SESSION_OFFERED, 0);
    add(f, f->case_two, ADI, T9, T9 + HOUR, SESSION_CONFIRMED, 0);
    int64_t draft = add(f, f->case_two, RINA, T9, T9 + HOUR, SESSION_DRAFT, 0);

    /* Nor can an update make two overlap: offering the draft, or moving. */
    struct db_session s;
    assert_int_equal(db_session_get(f->db, draft, &s), 0);
    assert_int_equal(s.status, SESSION_DRAFT);
    s.status = SESSION_OFFERED;
    assert_int_equal(db_session_update(f->db, &s), -EEXIST);
    assert_int_equal(db_session_get(f->db, held, &s), 0);
    s.start_at = T9 + HOUR / 2; /* into the 10:00 one */
    s.end_at = T9 + 3 * HOUR / 2;
    assert_int_equal(db_session_update(f->db, &s), -EEXIST);
    /* ...but a session may move within its own time, and let go of it. */
    s.start_at = T9 - HOUR / 2;
    s.end_at = T9 + HOUR / 2;
    assert_int_equal(db_session_update(f->db, &s), 0);
    s.status = SESSION_WITHDRAWN;
    assert_int_equal(db_session_update(f->db, &s), 0);
    assert_int_equal(db_session_get(f->db, draft, &s), 0);
    s.status = SESSION_OFFERED;
    assert_int_equal(db_session_update(f->db, &s), 0);

    struct db_session found[8];
    size_t n = 0;
    assert_int_equal(db_sessions_holding(f->db, RINA, T9, T9 + 2 * HOUR, found, 8, &n), 0);
    assert_int_equal(n, 2);
    assert_true(found[0].start_at == T9 && found[1].start_at == T9 + HOUR);
}

static void test_status_moves_and_drafts_go(void **state)
{
    struct fixture *f = *state;
    int64_t a = add(f, f->case_one, RINA, T9, T9 + HOUR, SESSION_DRAFT, 0);
    add(f, f->case_one, RINA, T9 + 2 * HOUR, T9 + 3 * HOUR, SESSION_DRAFT, 0);
    add(f, f->case_two, RINA, T9 + 5 * HOUR, T9 + 6 * HOUR, SESSION_DRAFT, 0);
    int changed = 0;
    assert_int_equal(db_sessions_set_status(f->db, f->case_one, SESSION_DRAFT, SESSION_OFFERED,
                                            T9 - HOUR, &changed), 0);
    assert_int_equal(changed, 2);
    struct db_session list[4];
    size_t n = 0;
    assert_int_equal(db_sessions_of_case(f->db, f->case_one, SESSION_OFFERED, list, 4, &n), 0);
    assert_int_equal(n, 2);
    assert_true(list[0].id == a);
    /* Only a draft, and only of its own case, can be deleted. */
    assert_int_equal(db_session_delete_draft(f->db, f->case_one, a), -ENOENT);
    assert_int_equal(db_sessions_of_case(f->db, f->case_two, SESSION_DRAFT, list, 4, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(db_session_delete_draft(f->db, f->case_one, list[0].id), -ENOENT);
    assert_int_equal(db_session_delete_draft(f->db, f->case_two, list[0].id), 0);
    assert_int_equal(db_sessions_of_case(f->db, f->case_two, SESSION_DRAFT, list, 4, &n), 0);
    assert_int_equal(n, 0);
    /* Coming: the holding ones not over yet, of one Pelaksana or agency. */
    assert_int_equal(db_sessions_coming(f->db, 0, 0, T9 + HOUR, list, 4, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(db_sessions_coming(f->db, RINA, 0, T9 - HOUR, list, 4, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(db_sessions_coming(f->db, ADI, 0, T9 - HOUR, list, 4, &n), 0);
    assert_int_equal(n, 0);
}

static void test_due_reminders(void **state)
{
    struct fixture *f = *state;
    int64_t when = 0;
    assert_int_equal(db_sessions_next_due(f->db, &when), -ENOENT);
    int64_t a = add(f, f->case_one, RINA, T9, T9 + HOUR, SESSION_CONFIRMED, 0);
    struct db_session s;
    assert_int_equal(db_session_get(f->db, a, &s), 0);
    s.remind_stage = 1;
    s.next_due = T9 - HOUR;
    s.sequence = 2;
    assert_int_equal(db_session_update(f->db, &s), 0);
    assert_int_equal(db_sessions_next_due(f->db, &when), 0);
    assert_true(when == T9 - HOUR);
    struct db_session due[4];
    size_t n = 0;
    assert_int_equal(db_sessions_due(f->db, T9 - HOUR - 1, due, 4, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(db_sessions_due(f->db, T9 - HOUR, due, 4, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(due[0].remind_stage, 1);
    assert_int_equal(due[0].sequence, 2);
    assert_string_equal(due[0].place, "Ruang Rapat");
    /* Leaving the holding states clears the reminder. */
    assert_int_equal(db_sessions_set_status(f->db, f->case_one, SESSION_CONFIRMED,
                                            SESSION_CANCELLED, T9, NULL), 0);
    assert_int_equal(db_sessions_next_due(f->db, &when), -ENOENT);
}

/* What a change of the office calendar reads and writes: the sessions with
 * a reminder planned, page by page, and only their next reminder. */
static void test_planned_reminders_set_again(void **state)
{
    struct fixture *f = *state;
    int64_t a = add(f, f->case_one, RINA, T9, T9 + HOUR, SESSION_CONFIRMED, 0);
    int64_t b = add(f, f->case_two, ADI, T9, T9 + HOUR, SESSION_CONFIRMED, 0);
    add(f, f->case_two, ADI, T9 + 2 * HOUR, T9 + 3 * HOUR, SESSION_DONE, 0); /* nothing planned */
    assert_int_equal(db_session_set_reminder(f->db, a, 0, T9 - 24 * HOUR), 0);
    assert_int_equal(db_session_set_reminder(f->db, b, 1, T9 - HOUR), 0);
    struct db_session page[1];
    size_t n = 0;
    assert_int_equal(db_sessions_planned(f->db, 0, page, 1, &n), 0);
    assert_int_equal(n, 1);
    assert_true(page[0].id == a && page[0].next_due == T9 - 24 * HOUR);
    assert_int_equal(db_sessions_planned(f->db, a, page, 1, &n), 0);
    assert_int_equal(n, 1);
    assert_true(page[0].id == b && page[0].remind_stage == 1);
    assert_int_equal(db_sessions_planned(f->db, b, page, 1, &n), 0);
    assert_int_equal(n, 0);
    /* 0 clears it; nothing else of the row changes. */
    assert_int_equal(db_session_set_reminder(f->db, b, 3, 0), 0);
    struct db_session s;
    assert_int_equal(db_session_get(f->db, b, &s), 0);
    assert_true(s.remind_stage == 3 && s.next_due == 0 && s.status == SESSION_CONFIRMED);
    assert_string_equal(s.place, "Ruang Rapat");
    assert_int_equal(db_sessions_planned(f->db, a, page, 1, &n), 0);
    assert_int_equal(n, 0);
}

static void test_status_names(void **state)
{
    (void)state;
    for (int s = 0; s < SESSION_STATUS_END; s++)
        assert_int_equal(db_session_status_parse(db_session_status_name(s)), s);
    assert_string_equal(db_session_status_name(SESSION_NO_SHOW), "no_show");
    assert_null(db_session_status_name(SESSION_STATUS_END));
    assert_int_equal(db_session_status_parse("maybe"), SESSION_STATUS_END);
    assert_int_equal(db_session_status_parse(NULL), SESSION_STATUS_END);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_holding_sessions_of_one_pelaksana_never_overlap,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_moves_and_drafts_go, setup, teardown),
        cmocka_unit_test_setup_teardown(test_due_reminders, setup, teardown),
        cmocka_unit_test_setup_teardown(test_planned_reminders_set_again, setup, teardown),
        cmocka_unit_test(test_status_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
