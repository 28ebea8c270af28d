/* The database across versions and failures:
 * - a file made by the oldest schemas, with real rows written at each (the
 *   runtime's at 1, the SOP's at 2, clocks at 3, sessions at 4), opened by
 *   this build: every later migration runs, no row is lost, and the rows are
 *   usable through db/'s functions (cases read and listed, the outbox
 *   drained, the audit trail sealed and verified, writes accepted);
 * - the scheduler's quarantine (db_jobs.h): a job's savepoint rolled back
 *   alone, its failures counted with a doubling delay, set aside at the
 *   limit, held until its next try;
 * - the test hook SERTIBOT_TEST_FAIL_SQL fails exactly the statements its
 *   glob matches, with their values, leaving the transaction open.
 * With `--write-old FILE` it only writes the old file (for the e2e test that
 * runs the bot on it). */
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

#include "db.h"
#include "db_audit_chain.h"
#include "db_cases.h"
#include "db_clocks.h"
#include "db_internal.h"
#include "db_jobs.h"
#include "db_sessions.h"
#include "db_test_file.h"

static char path[256];

/* The old rows' times are around Monday 30 November 2026, 09:00 WIB (ms):
 * case 1 entered step 1 then, its 50% reminder sent, the 75% due at 09:11. */
#define OLD_T 1796004000000LL

static int setup(void **state)
{
    (void)state;
    db_test_file_new(path, sizeof path, "test-db-upgrade");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_test_file_remove(path);
    return 0;
}

static void exec(sqlite3 *raw, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(raw, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg ? msg : "?");
}

static int64_t count_rows(sqlite3 *raw, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    sqlite3_stmt *stmt;
    assert_int_equal(sqlite3_prepare_v2(raw, sql, -1, &stmt, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return n;
}

/* Version 1: the runtime. The bot had run for a while: an offset, people,
 * messages waiting and one refused, a card, an update that failed. */
static const char rows_v1[] =
    "INSERT INTO bot_state VALUES ('update_offset', '5001');"
    "INSERT INTO users VALUES (1001, 'Kadis', NULL, 'id', NULL, 1, 1795000000, 1795900000),"
    "  (2001, 'Siti', 'siti', 'id', 'en', 1, 1795000100, 1795900100), (2002, 'Gone', NULL, NULL, NULL, 0, 1795000200, 1795000300);"
    "INSERT INTO officials VALUES (1001, 'kadis', 'Dr. Kadis', 1), (1003, 'kasi', 'Kasi', 1),"
    "  (1004, 'pelaksana', 'Pelaksana Satu', 1);"
    "INSERT INTO outbox(chat_id, method, payload, card_key, created_at, not_before) VALUES"
    "  (1001, 'sendMessage', '{\"chat_id\":1001,\"text\":\"Kartu SE-0001\"}', 'case:1:1001', 1796003999000, 0),"
    "  (2001, 'sendMessage', '{\"chat_id\":2001,\"text\":\"Permohonan diterima\"}', NULL, 1796003999500, 0);"
    "INSERT INTO outbox_failed VALUES (7, 2002, 'sendMessage', '{}', NULL, 1795226400000, 1795000300, 403, 'blocked');"
    "INSERT INTO card_messages VALUES ('case:1:1003', 1003, 42);"
    "INSERT INTO failed_updates VALUES (4990, 1795000400, '{\"update_id\":4990}', 'handler error -5');";

/* Version 2: the SOP. Three cases: at the Kadis, at step 7, closed. */
static const char rows_v2[] =
    "INSERT INTO agencies(id, name) VALUES (1, 'Dinas Kesehatan'), (2, 'Dinas Pendidikan');"
    "INSERT INTO applicants VALUES (2001, 1, 'approved', 1795000100, 1003, 1795000150);"
    "INSERT INTO plh(role, acting_id, date_from, date_to, named_by, named_at) VALUES"
    "  ('kasi', 1004, '2026-12-01', '2026-12-05', 1009, 1795917600000);"
    "INSERT INTO cases(id, number, agency_id, applicant_id, state, version, pelaksana_id, "
    "  letter_number, letter_date, subject, sifat, created_at, state_since, closed_at) VALUES"
    "  (1, 'SE-0001', 1, 2001, 's1_disposisi_kadis', 1, NULL, '800/1/Dinkes', '2026-11-20', "
    "   'Permohonan sertifikat', NULL, 1796004000000, 1796004000000, NULL),"
    "  (2, 'SE-0002', 1, 2001, 's7_pendampingan', 14, 1004, '800/2/Dinkes', '2026-11-21', "
    "   'Permohonan kedua', 'segera', 1795572000000, 1796000400000, NULL),"
    "  (3, 'SE-0003', 2, 2001, 'closed_selesai', 20, 1004, '800/3/Disdik', '2026-11-22', "
    "   'Permohonan ketiga', 'biasa', 1795140000000, 1795831200000, 1795831200000);"
    "INSERT INTO agenda(year, number, case_id, received_at, sender, letter_number, letter_date, "
    "  subject) VALUES (2026, 1, 1, 1796004000000, 'Dinas Kesehatan', '800/1/Dinkes', '2026-11-20', 'a'),"
    "  (2026, 2, 2, 1795572000000, 'Dinas Kesehatan', '800/2/Dinkes', '2026-11-21', 'b'),"
    "  (2026, 3, 3, 1795140000000, 'Dinas Pendidikan', '800/3/Disdik', '2026-11-22', 'c');"
    "INSERT INTO case_holders(case_id, position, name, nip, jabatan, email) VALUES"
    "  (1, 1, 'Rina Wati', '198501012010012001', 'Kasi', 'rina@dinkes.go.id'),"
    "  (1, 2, 'Budi', '199002022015031002', 'Analis', 'budi@dinkes.go.id'),"
    "  (2, 1, 'Ṣalāḥ', '197001012000011001', 'Kabid', 'salah@dinkes.go.id');"
    "INSERT INTO case_files(case_id, kind, file_id, file_name, mime_type, content, uploaded_by, "
    "  created_at) VALUES (1, 'request_letter', 'F1', 'surat.pdf', 'application/pdf', "
    "  X'255044462D312E340A', 2001, 1796004000000), (2, 'draft', NULL, 'draft.pdf', 'application/pdf', "
    "  X'2550444620', NULL, 1795744800000);"
    "INSERT INTO downloads(file_row, not_before) VALUES (1, 0);"
    "INSERT INTO dispositions(case_id, step, author_id, acted_as, via_plh, instructions, sifat, "
    "  note, at) VALUES (2, 1, 1001, 'kadis', 0, 'tindak_lanjut', 'segera', 'mohon', 1795658400000);"
    "INSERT INTO checklist VALUES (2, 3, 'ktp', 'ok', NULL);"
    "INSERT INTO audit(case_id, at, actor_id, acted_as, via_plh, event, note, state_before, "
    "  state_after) VALUES (1, 1796004000000, 2001, 'applicant', 0, 'submit', NULL, 'none', "
    "  's1_disposisi_kadis'), (2, 1795658400000, 1001, 'kadis', 0, 'dispose', 'mohon', "
    "  's1_disposisi_kadis', 's2_disposisi_kabid'), (3, 1795831200000, 1004, 'pelaksana', 0, 'report', "
    "  NULL, 's7_pendampingan', 'closed_selesai');"
    "INSERT INTO conversations VALUES (2001, 'intake', '{\"step\":\"holders\"}', 1796003400000);"
    "INSERT INTO card_drafts VALUES (1, 1, '{\"instructions\":[1]}');"
    "INSERT INTO step_clocks(case_id, step, standard_minutes, started_at, deadline) VALUES"
    "  (1, 1, 15, 1796004000000, 1796004900000), (2, 7, 450, 1796000400000, 1796027400000);";

/* Version 3: a clock knows its next reminder; an admin's closure. */
static const char rows_v3[] =
    "UPDATE step_clocks SET reminder_stage = 1, next_reminder = 1796004660000 WHERE case_id = 1;"
    "INSERT INTO calendar_days VALUES ('2026-12-24', 'closure', 'Banjir', 0, 1009, 1796004000000);";

/* Version 4: case 2's confirmed session, its reminder due. */
static const char rows_v4[] =
    "INSERT INTO sessions(case_id, pelaksana_id, start_at, end_at, place, status, remind_stage, "
    "  next_due, created_by, created_at, updated_at) VALUES (2, 1004, 1796090400000, 1796094000000, "
    "  'Ruang Rapat Diskominfo', 'confirmed', 0, 1796086800000, 1003, 1795996800000, 1795996800000);";

static const char *const tables[] = {
    "bot_state", "users", "officials", "outbox", "outbox_failed", "card_messages",
    "failed_updates", "agencies", "applicants", "plh", "cases", "agenda", "case_holders",
    "case_files", "downloads", "dispositions", "checklist", "audit", "conversations",
    "card_drafts", "step_clocks", "calendar_days", "sessions",
};
#define TABLES (sizeof tables / sizeof tables[0])

/* The file an early sertibot would have left: each migration as it ran,
 * each version's rows written before the next. */
static void write_old_file(int64_t counts[TABLES])
{
    static const char *const rows[] = { rows_v1, rows_v2, rows_v3, rows_v4 };
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    exec(raw, "PRAGMA foreign_keys = ON");
    for (int version = 1; version <= 4; version++) {
        const char *sql = db_migration_sql(version);
        assert_non_null(sql);
        exec(raw, "BEGIN");
        exec(raw, sql);
        exec(raw, rows[version - 1]);
        char bump[64];
        snprintf(bump, sizeof bump, "PRAGMA user_version = %d", version);
        exec(raw, bump);
        exec(raw, "COMMIT");
    }
    for (size_t i = 0; i < TABLES; i++) {
        counts[i] = count_rows(raw, tables[i]);
        assert_true(counts[i] > 0); /* every table has rows to lose */
    }
    sqlite3_close(raw);
}

static void assert_rows_kept(const int64_t counts[TABLES])
{
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    for (size_t i = 0; i < TABLES; i++)
        if (count_rows(raw, tables[i]) != counts[i])
            fail_msg("%s: %lld rows before, %lld after", tables[i], (long long)counts[i],
                     (long long)count_rows(raw, tables[i]));
    sqlite3_close(raw);
}

static void assert_cases_usable(struct db *db)
{
    struct db_case c;
    assert_int_equal(db_case_get(db, 1, &c), 0);
    assert_string_equal(c.number, "SE-0001");
    assert_int_equal(c.wf.state, WF_S1_DISPOSISI_KADIS);
    assert_int_equal(c.holders_count, 2);
    assert_int_equal(db_case_get(db, 2, &c), 0);
    assert_int_equal(c.wf.state, WF_S7_PENDAMPINGAN);
    assert_true(c.wf.pelaksana_id == 1004);
    assert_string_equal(c.sifat, "segera");
    assert_int_equal(db_case_get(db, 3, &c), 0);
    assert_int_equal(c.wf.state, WF_CLOSED_SELESAI);
    struct db_case open[8];
    size_t count = 0;
    assert_int_equal(db_cases_open(db, open, 8, &count), 0);
    assert_int_equal(count, 2);
    unsigned char *data = NULL;
    size_t size = 0;
    assert_int_equal(db_file_content(db, 1, &data, &size), 0);
    assert_int_equal(size, 9);
    assert_memory_equal(data, "%PDF-1.4\n", 9);
    free(data);
}

static void assert_runtime_usable(struct db *db)
{
    int64_t offset = 0, n = 0, chat = 0, message = 0;
    assert_int_equal(db_offset_get(db, &offset), 0);
    assert_true(offset == 5001);
    struct db_user user;
    assert_int_equal(db_user_get(db, 2001, &user), 0);
    assert_string_equal(user.language, "en");
    assert_int_equal(db_outbox_count(db, &n), 0);
    assert_true(n == 2);
    assert_int_equal(db_outbox_failed_count(db, &n), 0);
    assert_true(n == 1);
    assert_int_equal(db_card_message(db, "case:1:1003", &chat, &message), 0);
    assert_true(chat == 1003 && message == 42);
    /* the sender drains what waited: both chats' heads are due */
    struct outbox_row heads[4];
    size_t count = 0;
    assert_int_equal(db_outbox_heads(db, OLD_T, heads, 4, &count), 0);
    assert_int_equal(count, 2);
    assert_non_null(strstr(heads[0].payload, "Kartu SE-0001"));
    for (size_t i = 0; i < count; i++) {
        assert_int_equal(db_outbox_done(db, &heads[i], 100 + (int64_t)i), 0);
        outbox_row_clear(&heads[i]);
    }
    assert_int_equal(db_outbox_count(db, &n), 0);
    assert_true(n == 0);
}

static void assert_scheduled_usable(struct db *db)
{
    /* the old clock and session still come due, and are not quarantined */
    struct db_clock clocks[4];
    size_t count = 0;
    assert_int_equal(db_clocks_due(db, OLD_T + 660000, clocks, 4, &count), 0);
    assert_int_equal(count, 1);
    assert_true(clocks[0].case_id == 1 && clocks[0].reminder_stage == 1);
    struct db_session sessions[4];
    assert_int_equal(db_sessions_due(db, OLD_T + 82800000, sessions, 4, &count), 0);
    assert_int_equal(count, 1);
    assert_string_equal(sessions[0].place, "Ruang Rapat Diskominfo");
    assert_int_equal(sessions[0].status, SESSION_CONFIRMED);
    /* the audit rows written before the chain existed were sealed */
    struct audit_verify_result verify;
    assert_int_equal(db_audit_verify(db, &verify), 0);
    assert_true(verify.entries == 3);
    assert_null(verify.reason);
}

static struct db *open_fresh(void) { return db_test_open(path); }

static void test_oldest_schema_with_rows_migrates_and_stays_usable(void **state)
{
    (void)state;
    int64_t counts[TABLES];
    write_old_file(counts);
    struct db *db;
    char err[256] = "";
    if (db_open(path, &db, err, sizeof err) != 0)
        fail_msg("db_open: %s", err);
    assert_int_equal(db_schema_version(db), db_migration_count);
    assert_int_equal(db_schema_latest(), db_migration_count);
    assert_cases_usable(db);
    assert_scheduled_usable(db);
    /* a case moves on and a new one is numbered after the old ones */
    struct db_case c;
    assert_int_equal(db_begin(db), 0);
    assert_int_equal(db_case_get(db, 1, &c), 0);
    c.wf.state = WF_S2_DISPOSISI_KABID;
    c.wf.version++;
    assert_int_equal(db_case_update(db, &c), 0);
    assert_int_equal(db_commit(db), 0);
    assert_int_equal(db_case_get(db, 1, &c), 0);
    assert_int_equal(c.wf.state, WF_S2_DISPOSISI_KABID);
    db_close(db);
    assert_rows_kept(counts);
    /* the outbox is drained last: its rows leave by design */
    if (db_open(path, &db, err, sizeof err) != 0)
        fail_msg("db_open again: %s", err);
    assert_runtime_usable(db);
    db_close(db);
}


static void test_a_failed_job_is_rolled_back_alone_and_set_aside_at_the_limit(void **state)
{
    (void)state;
    struct db *db = open_fresh();
    assert_int_equal(db_begin(db), 0);
    assert_int_equal(db_state_set(db, "kept", "1"), 0);
    assert_int_equal(db_job_savepoint(db), 0);
    assert_int_equal(db_state_set(db, "undone", "1"), 0);
    assert_int_equal(db_job_rollback(db), 0);
    struct db_job_failure f;
    bool held = false, recorded = false;
    for (int attempt = 1; attempt <= 3; attempt++) {
        assert_int_equal(db_job_failed(db, "clock:9", "boom", 1000, 30000, 3, &f), 0);
        assert_int_equal(f.attempts, attempt);
        assert_int_equal(f.set_aside, attempt == 3);
        if (attempt < 3) { /* tried again 30 s, then 60 s later */
            int64_t next = 1000 + (30000LL << (attempt - 1));
            assert_int_equal(db_job_held(db, "clock:9", next - 1, &held, &recorded), 0);
            assert_true(held);
            assert_int_equal(db_job_held(db, "clock:9", next, &held, &recorded), 0);
            assert_false(held);
        }
    }
    assert_int_equal(db_commit(db), 0);
    char value[8];
    assert_int_equal(db_state_get(db, "kept", value, sizeof value), 0);
    assert_int_equal(db_state_get(db, "undone", value, sizeof value), -ENOENT);
    assert_int_equal(db_job_held(db, "clock:9", INT64_MAX, &held, &recorded), 0);
    assert_true(held && recorded); /* set aside: held whatever the time */
    /* one failure: held until its next try, then free; success clears it */
    assert_int_equal(db_job_failed(db, "session:4", "boom", 1000, 30000, 3, &f), 0);
    assert_int_equal(db_job_held(db, "session:4", 30999, &held, &recorded), 0);
    assert_true(held && recorded);
    assert_int_equal(db_job_held(db, "session:4", 31000, &held, &recorded), 0);
    assert_true(!held && recorded);
    assert_int_equal(db_job_succeeded(db, "session:4"), 0);
    assert_int_equal(db_job_held(db, "session:4", 0, &held, &recorded), 0);
    assert_true(!held && !recorded);
    db_close(db);
}

/* The scheduler wakes for a quarantined clock at its next try, never for a
 * failure whose clock has nothing more to send, never for one set aside. */
static void test_a_quarantined_clock_is_due_at_its_next_try(void **state)
{
    (void)state;
    int64_t counts[TABLES];
    write_old_file(counts);
    struct db *db = open_fresh();
    const int64_t due = OLD_T + 660000; /* clock 1's next reminder; clock 2 has none */
    struct db_job_failure f;
    struct db_clock clocks[4];
    size_t count = 0;
    int64_t next = 0;
    assert_int_equal(db_job_failed(db, "clock:2", "boom", OLD_T, 30000, 5, &f), 0);
    assert_int_equal(db_clocks_next_reminder(db, &next), 0);
    assert_true(next == due);
    assert_int_equal(db_job_failed(db, "clock:1", "boom", due, 30000, 5, &f), 0);
    assert_int_equal(db_clocks_next_reminder(db, &next), 0);
    assert_true(next == due + 30000);
    assert_int_equal(db_clocks_due(db, due + 29999, clocks, 4, &count), 0);
    assert_int_equal(count, 0);
    assert_int_equal(db_clocks_due(db, due + 30000, clocks, 4, &count), 0);
    assert_int_equal(count, 1);
    assert_int_equal(db_job_failed(db, "clock:1", "boom", due + 30000, 30000, 2, &f), 0);
    assert_true(f.set_aside);
    assert_int_equal(db_clocks_next_reminder(db, &next), -ENOENT);
    assert_int_equal(db_clocks_due(db, INT64_MAX, clocks, 4, &count), 0);
    assert_int_equal(count, 0);
    db_close(db);
}

static void test_the_sql_hook_fails_only_the_matching_statement(void **state)
{
    (void)state;
    struct db *db = open_fresh();
    assert_int_equal(db_set_test_fail_sql(db, "INSERT INTO bot_state*VALUES ('poison', *"), 0);
    assert_int_equal(db_begin(db), 0);
    assert_int_equal(db_state_set(db, "fine", "1"), 0);
    assert_int_equal(db_state_set(db, "poison", "1"), -EIO);
    assert_int_equal(db_storage_error(db), 0); /* not the storage */
    assert_true(db_in_transaction(db));      /* SQLite did not end it */
    assert_non_null(strstr(db_last_error(db), "SERTIBOT_TEST_FAIL_SQL"));
    assert_int_equal(db_state_set(db, "poisoned", "1"), 0); /* the glob is exact */
    assert_int_equal(db_commit(db), 0);
    assert_int_equal(db_set_test_fail_sql(db, NULL), 0);
    assert_int_equal(db_state_set(db, "poison", "1"), 0);
    db_close(db);
}

/* `test_db_upgrade --write-old FILE`: writes the old file and stops, for
 * tests/e2e/test_upgrade.py, which runs the bot on it. */
static int write_old_only(const char *file)
{
    snprintf(path, sizeof path, "%s", file);
    db_test_file_remove(path);
    int64_t counts[TABLES];
    write_old_file(counts);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--write-old") == 0)
        return write_old_only(argv[2]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_oldest_schema_with_rows_migrates_and_stays_usable,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_a_failed_job_is_rolled_back_alone_and_set_aside_at_the_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_quarantined_clock_is_due_at_its_next_try, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_the_sql_hook_fails_only_the_matching_statement,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
