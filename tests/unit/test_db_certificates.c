/* The register of holders (db_certificates.h): one live row per holder per
 * agency, updated in place when the holder is recorded again; a new end of
 * validity forgets the reminders of the old one; a revoked row stays as
 * history and the holder can be registered again; search, agency listing
 * and the expiring window read what was written. */
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
#include "db_certificates.h"
#include "db_registry.h"
#include "db_test_file.h"

#define T9 INT64_C(1796263200000) /* 2026-12-03 09:00 WIB */
#define MINUTE INT64_C(60000)

struct fixture {
    char path[256];
    struct db *db;
    int64_t health, education;
    int64_t case_one;
};

static int64_t new_case(struct db *db, int64_t agency_id, const char *agency)
{
    struct db_case c = { .wf = { .agency_id = agency_id, .state = WF_CLOSED_SELESAI,
                                 .version = 1 },
                         .applicant_id = 5001, .created_at = T9 };
    snprintf(c.letter_number, sizeof c.letter_number, "800/1");
    snprintf(c.letter_date, sizeof c.letter_date, "2026-11-20");
    snprintf(c.subject, sizeof c.subject, "Permohonan");
    assert_int_equal(db_case_insert(db, &c, agency, 2026), 0);
    return c.wf.case_id;
}

static int setup(void **state)
{
    static struct fixture f;
    memset(&f, 0, sizeof f);
    db_test_file_new(f.path, sizeof f.path, "test-certificates");
    f.db = db_test_open(f.path);
    char *agencies[] = { "Dinas Kesehatan", "Dinas Pendidikan" };
    assert_int_equal(db_agencies_sync(f.db, agencies, 2), 0);
    struct db_agency list[2];
    size_t n = 0;
    assert_int_equal(db_agencies_list(f.db, list, 2, &n), 0);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(list[i].name, "Dinas Kesehatan"))
            f.health = list[i].id;
        else
            f.education = list[i].id;
    }
    f.case_one = new_case(f.db, f.health, "Dinas Kesehatan");
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    db_close(f->db);
    db_test_file_remove(f->path);
    return 0;
}

static struct db_certificate holder(int64_t agency, int64_t case_id, const char *name,
                                    const char *nip, const char *until)
{
    struct db_certificate c = { .agency_id = agency, .case_id = case_id,
                                .status = DB_CERT_ISSUED, .login_at = T9 };
    snprintf(c.name, sizeof c.name, "%s", name);
    snprintf(c.nip, sizeof c.nip, "%s", nip);
    snprintf(c.jabatan, sizeof c.jabatan, "Kepala Seksi");
    snprintf(c.email, sizeof c.email, "x@bekasikota.go.id");
    snprintf(c.valid_until, sizeof c.valid_until, "%s", until);
    return c;
}

static void test_status_names_round_trip(void **state)
{
    (void)state;
    for (int i = 0; i < DB_CERT_STATUS_COUNT; i++) {
        enum db_cert_status back = DB_CERT_STATUS_COUNT;
        assert_int_equal(db_cert_status_parse(db_cert_status_name((enum db_cert_status)i),
                                              &back), 0);
        assert_int_equal(back, i);
    }
    enum db_cert_status s;
    assert_int_equal(db_cert_status_parse("aktif", &s), -EINVAL);
    assert_null(db_cert_status_name(DB_CERT_STATUS_COUNT));
}

static void test_recording_again_updates_the_live_row(void **state)
{
    struct fixture *f = *state;
    struct db_certificate c = holder(f->health, f->case_one, "Siti Aminah",
                                     "198001012005012001", "2028-12-03");
    int64_t first = 0, second = 0;
    assert_int_equal(db_certificate_record(f->db, &c, T9, &first), 0);
    assert_int_equal(db_certificate_set_reminded(f->db, first, 60, T9 + MINUTE), 0);
    assert_int_equal(db_certificate_set_renewal(f->db, first, f->case_one, T9 + MINUTE), 0);

    /* The same validity again keeps the reminder and the renewal. */
    snprintf(c.jabatan, sizeof c.jabatan, "Sekretaris");
    assert_int_equal(db_certificate_record(f->db, &c, T9 + 2 * MINUTE, &second), 0);
    assert_int_equal(second, first);
    struct db_certificate got;
    assert_int_equal(db_certificate_get(f->db, first, &got), 0);
    assert_string_equal(got.jabatan, "Sekretaris");
    assert_int_equal(got.reminded_days, 60);
    assert_int_equal(got.renewal_case_id, f->case_one);

    /* A renewal's new end of validity starts the reminders afresh. */
    snprintf(c.valid_until, sizeof c.valid_until, "2030-12-03");
    assert_int_equal(db_certificate_record(f->db, &c, T9 + 3 * MINUTE, NULL), 0);
    assert_int_equal(db_certificate_get(f->db, first, &got), 0);
    assert_string_equal(got.valid_until, "2030-12-03");
    assert_int_equal(got.reminded_days, 0);
    assert_int_equal(got.renewal_case_id, 0);
    assert_int_equal(got.status, DB_CERT_ISSUED);
    assert_int_equal(got.created_at, T9);
    assert_int_equal(got.updated_at, T9 + 3 * MINUTE);
}

static void test_revoked_row_stays_and_holder_registers_again(void **state)
{
    struct fixture *f = *state;
    struct db_certificate c = holder(f->health, f->case_one, "Budi Santoso",
                                     "197502022000031002", "2028-12-03");
    int64_t old = 0, again = 0, elsewhere = 0;
    assert_int_equal(db_certificate_record(f->db, &c, T9, &old), 0);
    assert_int_equal(db_certificate_revoke(f->db, old, "mutasi", T9 + MINUTE, T9 + MINUTE), 0);
    assert_int_equal(db_certificate_find_live(f->db, f->health, c.nip, &c), -ENOENT);

    c = holder(f->education, new_case(f->db, f->education, "Dinas Pendidikan"),
               "Budi Santoso", "197502022000031002", "2029-01-10");
    assert_int_equal(db_certificate_record(f->db, &c, T9 + 2 * MINUTE, &elsewhere), 0);
    c = holder(f->health, f->case_one, "Budi Santoso", "197502022000031002", "2029-02-01");
    assert_int_equal(db_certificate_record(f->db, &c, T9 + 3 * MINUTE, &again), 0);
    assert_true(old != again && again != elsewhere && old != elsewhere);

    struct db_certificate got;
    assert_int_equal(db_certificate_get(f->db, old, &got), 0);
    assert_int_equal(got.status, DB_CERT_REVOKED);
    assert_string_equal(got.revoke_reason, "mutasi");
    assert_int_equal(got.revoked_at, T9 + MINUTE);
    assert_int_equal(db_certificate_revoke(f->db, 9999, "x", T9, T9), -ENOENT);
    assert_int_equal(db_certificate_set_status(f->db, old, DB_CERT_REVOKED, T9), -EINVAL);
}

static void test_search_agency_and_ending_window(void **state)
{
    struct fixture *f = *state;
    int64_t other_case = new_case(f->db, f->education, "Dinas Pendidikan");
    struct db_certificate rows[] = {
        holder(f->health, f->case_one, "Siti Aminah", "198001012005012001", "2027-01-20"),
        holder(f->health, f->case_one, "Agus Salim", "198202022006041003", "2027-02-10"),
        holder(f->education, other_case, "Siti Rahma", "199003032015022004", "2027-01-05"),
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        assert_int_equal(db_certificate_record(f->db, &rows[i], T9 + (int64_t)i, NULL), 0);

    struct db_certificate out[8];
    size_t n = 0;
    assert_int_equal(db_certificates_search(f->db, "siti", 0, out, 8, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(db_certificates_search(f->db, "siti", f->health, out, 8, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(out[0].name, "Siti Aminah");
    assert_int_equal(db_certificates_search(f->db, "19820202 200604 1 003", 0, out, 8, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(out[0].name, "Agus Salim");

    assert_int_equal(db_certificates_of_agency(f->db, f->health, out, 8, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(out[0].name, "Agus Salim");

    assert_int_equal(db_certificates_ending(f->db, "2027-01-01", "2027-01-31", out, 8, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(out[0].name, "Siti Rahma");
    assert_string_equal(out[1].name, "Siti Aminah");
    /* An expired row is no longer in the window. */
    assert_int_equal(db_certificate_set_status(f->db, out[0].id, DB_CERT_EXPIRED, T9), 0);
    assert_int_equal(db_certificates_ending(f->db, "2027-01-01", "2027-01-31", out, 8, &n), 0);
    assert_int_equal(n, 1);

    /* The renewal round's rows: issued ones still waiting for a reminder. */
    assert_int_equal(db_certificates_to_remind(f->db, "2027-01-01", "2027-03-31", 30, out, 8, &n),
                     0);
    assert_int_equal(n, 2);
    assert_string_equal(out[0].name, "Siti Aminah");
    assert_int_equal(db_certificate_set_reminded(f->db, out[0].id, 60, T9), 0);
    assert_int_equal(db_certificate_set_reminded(f->db, out[1].id, 30, T9), 0);
    assert_int_equal(db_certificates_to_remind(f->db, "2027-01-01", "2027-03-31", 30, out, 8, &n),
                     0);
    assert_int_equal(n, 1); /* the 30-day one is the last: Agus Salim is done */
    assert_string_equal(out[0].name, "Siti Aminah");
    assert_int_equal(db_certificate_set_status(f->db, out[0].id, DB_CERT_RENEWAL_REQUESTED, T9),
                     0);
    assert_int_equal(db_certificates_to_remind(f->db, "2027-01-01", "2027-03-31", 30, out, 8, &n),
                     0);
    assert_int_equal(n, 0);
}

static int count_each(const struct db_certificate *c, void *data)
{
    (void)c;
    (*(int *)data)++;
    return 0;
}

/* The daily flag: rows ended before today become expired, issued and
 * renewal-requested alike; waiting, revoked and still-valid rows stay; the
 * month's figures and the per-agency counts read the result. */
static void test_expire_figures_and_agency_counts(void **state)
{
    struct fixture *f = *state;
    int64_t other_case = new_case(f->db, f->education, "Dinas Pendidikan");
    struct db_certificate rows[] = {
        holder(f->health, f->case_one, "Ended", "198001012005012001", "2027-01-19"),
        holder(f->health, f->case_one, "Renewing", "198202022006041003", "2027-01-10"),
        holder(f->health, f->case_one, "Last day", "198303032007051004", "2027-01-20"),
        holder(f->education, other_case, "Waiting", "199003032015022004", "2027-01-05"),
        holder(f->education, other_case, "Revoked", "199104042016032005", "2027-01-05"),
    };
    int64_t ids[5];
    rows[3].status = DB_CERT_WAITING;
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(db_certificate_record(f->db, &rows[i], T9, &ids[i]), 0);
    assert_int_equal(db_certificate_set_renewal(f->db, ids[1], f->case_one, T9), 0);
    assert_int_equal(db_certificate_revoke(f->db, ids[4], "pensiun", T9, T9), 0);

    int seen = 0;
    size_t changed = 0;
    assert_int_equal(db_certificates_expire(f->db, "2027-01-20", T9 + MINUTE, count_each, &seen,
                                            &changed), 0);
    assert_int_equal(changed, 2);
    assert_int_equal(seen, 2);
    enum db_cert_status want[] = { DB_CERT_EXPIRED, DB_CERT_EXPIRED, DB_CERT_ISSUED,
                                   DB_CERT_WAITING, DB_CERT_REVOKED };
    for (size_t i = 0; i < 5; i++) {
        struct db_certificate got;
        assert_int_equal(db_certificate_get(f->db, ids[i], &got), 0);
        assert_int_equal(got.status, want[i]);
    }
    /* Again the same day: nothing more. */
    assert_int_equal(db_certificates_expire(f->db, "2027-01-20", T9 + 2 * MINUTE, NULL, NULL,
                                            &changed), 0);
    assert_int_equal(changed, 0);

    struct db_cert_figures fig;
    /* December 2026: the four logins and the revocation; in January 2027
     * two ended; one live row ends within 60 days of 2027-01-01. */
    assert_int_equal(db_certificates_figures(f->db, T9 - 3 * 86400000LL, T9 + 86400000LL,
                                             "2026-12-01", "2026-12-31", "2026-12-31",
                                             "2027-03-01", &fig), 0);
    assert_int_equal(fig.issued, 4);
    assert_int_equal(fig.revoked, 1);
    assert_int_equal(fig.expired, 0);
    assert_int_equal(fig.ending_soon, 1);
    assert_int_equal(db_certificates_figures(f->db, 0, 1, "2027-01-01", "2027-01-31",
                                             "2027-01-21", "2027-03-22", &fig), 0);
    assert_int_equal(fig.expired, 2);
    assert_int_equal(fig.ending_soon, 0);

    struct db_cert_agency_count counts[4];
    size_t n = 0;
    assert_int_equal(db_certificates_agency_counts(f->db, counts, 4, &n), 0);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(counts[i].live, counts[i].agency_id == f->health ? 3 : 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_names_round_trip),
        cmocka_unit_test_setup_teardown(test_recording_again_updates_the_live_row, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_revoked_row_stays_and_holder_registers_again,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_search_agency_and_ending_window, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expire_figures_and_agency_counts, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
