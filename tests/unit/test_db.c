/* The database: private file, migrations, offset, people, and the outbox's
 * order and bookkeeping. Each test works on a fresh file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <sqlite3.h> /* only to forge old and future files for the migration tests */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "db.h"
#include "db_cases.h"
#include "db_registry.h"
#include "db_undo.h"
#include "db_test_file.h"
#include "utf8.h"

static char path[256];

static int setup(void **state)
{
    (void)state;
    db_test_file_new(path, sizeof path, "test-db");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_test_file_remove(path);
    return 0;
}

static struct db *open_db(void) { return db_test_open(path); }

static void test_new_file_is_private_and_migrated(void **state)
{
    (void)state;
    struct db *db = open_db();
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(db_schema_version(db), db_schema_latest());
    db_close(db);
}

static void test_older_file_is_migrated_in_place(void **state)
{
    (void)state;
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw, "CREATE TABLE keepme(x); INSERT INTO keepme VALUES (42);",
                                  NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);
    struct db *db = open_db();
    assert_int_equal(db_schema_version(db), db_schema_latest());
    db_close(db);
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    sqlite3_stmt *stmt;
    assert_int_equal(sqlite3_prepare_v2(raw, "SELECT x FROM keepme", -1, &stmt, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(stmt, 0), 42);
    sqlite3_finalize(stmt);
    sqlite3_close(raw);
}

static void test_newer_file_is_refused(void **state)
{
    (void)state;
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw, "PRAGMA user_version = 999", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);
    struct db *db;
    char err[256];
    assert_int_not_equal(db_open(path, &db, err, sizeof err), 0);
    assert_non_null(strstr(err, "newer"));
}

static void test_offset_and_people_survive_reopen(void **state)
{
    (void)state;
    struct db *db = open_db();
    int64_t offset = -1;
    assert_int_equal(db_offset_get(db, &offset), 0);
    assert_true(offset == 0);
    assert_int_equal(db_offset_set(db, 58), 0); /* lower than before is fine: ids restart */
    assert_int_equal(db_user_touch(db, 4503599627370497LL, "Siti", "siti", "en", 1000), 0);
    assert_int_equal(db_user_set_language(db, 4503599627370497LL, "id"), 0);
    assert_int_equal(db_user_set_language(db, 12345, "id"), -ENOENT);
    struct official officials[] = { { .telegram_id = 11, .role = ROLE_KASI, .name = "Kasi" },
                                           { .telegram_id = 12, .role = ROLE_KADIS, .name = "Kadis" } };
    assert_int_equal(db_officials_sync(db, officials, 2), 0);
    db_close(db);

    db = open_db();
    assert_int_equal(db_offset_get(db, &offset), 0);
    assert_true(offset == 58);
    struct db_user user;
    assert_int_equal(db_user_get(db, 4503599627370497LL, &user), 0);
    assert_string_equal(user.language, "id");
    assert_string_equal(user.tg_language, "en");
    assert_true(user.reachable);
    assert_int_equal(db_user_set_reachable(db, 4503599627370497LL, false, 2000), 0);
    assert_int_equal(db_user_get(db, 4503599627370497LL, &user), 0);
    assert_false(user.reachable);
    /* writing again makes a person reachable again */
    assert_int_equal(db_user_touch(db, 4503599627370497LL, "Siti", NULL, NULL, 3000), 0);
    assert_int_equal(db_user_get(db, 4503599627370497LL, &user), 0);
    assert_true(user.reachable);

    enum role role;
    assert_int_equal(db_official_role(db, 11, &role), 0);
    assert_int_equal(role, ROLE_KASI);
    /* an official dropped from the config loses the role */
    assert_int_equal(db_officials_sync(db, officials + 1, 1), 0);
    assert_int_equal(db_official_role(db, 11, &role), 0);
    assert_int_equal(role, ROLE_NONE);
    db_close(db);
}

/* The kind of an acting appointment (Plh. or Plt.) is kept and read back by
 * every reader; an ended Plt. is still found for the date a letter bears. */
static void test_plh_kind_is_stored_and_read(void **state)
{
    (void)state;
    struct db *db = open_db();
    int64_t plh_id = 0, plt_id = 0;
    assert_int_equal(db_plh_add(db, ROLE_KABID, 21, "2026-12-01", "2026-12-03", DB_PLH_KIND_PLH,
                                12, 1000, &plh_id), 0);
    assert_int_equal(db_plh_add(db, ROLE_KADIS, 22, "2026-12-02", "2026-12-31", DB_PLH_KIND_PLT,
                                12, 1000, &plt_id), 0);
    struct db_plh list[4];
    size_t count = 0;
    assert_int_equal(db_plh_list(db, "2026-12-01", list, 4, &count), 0);
    assert_int_equal(count, 2);
    assert_true(list[0].id == plh_id && list[0].kind == DB_PLH_KIND_PLH);
    assert_true(list[1].id == plt_id && list[1].kind == DB_PLH_KIND_PLT);
    struct db_plh one;
    assert_int_equal(db_plh_for_role(db, ROLE_KADIS, "2026-12-07", &one), 0);
    assert_int_equal(one.kind, DB_PLH_KIND_PLT);
    assert_true(one.acting_id == 22);
    assert_int_equal(db_plh_for_role(db, ROLE_KABID, "2026-12-02", &one), 0);
    assert_int_equal(one.kind, DB_PLH_KIND_PLH);
    assert_string_equal(db_plh_kind_key(DB_PLH_KIND_PLT), "plt");
    assert_string_equal(db_plh_kind_key(DB_PLH_KIND_PLH), "plh");

    assert_int_equal(db_plh_end(db, plt_id), 0);
    assert_int_equal(db_plh_for_role(db, ROLE_KADIS, "2026-12-07", &one), -ENOENT);
    assert_int_equal(db_plh_of_acting(db, ROLE_KADIS, 22, "2026-12-07", &one), 0);
    assert_int_equal(one.kind, DB_PLH_KIND_PLT);
    assert_int_equal(db_plh_of_acting(db, ROLE_KADIS, 22, "2027-01-01", &one), -ENOENT);
    assert_int_equal(db_plh_of_acting(db, ROLE_KADIS, 21, "2026-12-02", &one), -ENOENT);
    db_close(db);
}

static void test_outbox_keeps_each_chat_in_order(void **state)
{
    (void)state;
    struct db *db = open_db();
    assert_int_equal(db_outbox_push(db, 1, "sendMessage", "{\"n\":1}", NULL, 100), 0);
    assert_int_equal(db_outbox_push(db, 2, "sendMessage", "{\"n\":2}", "card:a", 100), 0);
    assert_int_equal(db_outbox_push(db, 1, "sendMessage", "{\"n\":3}", NULL, 100), 0);

    struct outbox_row rows[8];
    size_t count;
    assert_int_equal(db_outbox_heads(db, 100, rows, 8, &count), 0);
    assert_int_equal(count, 2); /* the oldest of chat 1 and of chat 2 */
    assert_string_equal(rows[0].payload, "{\"n\":1}");
    assert_string_equal(rows[1].payload, "{\"n\":2}");
    assert_string_equal(rows[1].card_key, "card:a");

    /* a deferred head holds back its chat's later rows, not other chats */
    assert_int_equal(db_outbox_defer(db, rows[0].id, 5000, 1, "HTTP 500"), 0);
    struct outbox_row later[8];
    size_t later_count;
    assert_int_equal(db_outbox_heads(db, 100, later, 8, &later_count), 0);
    assert_int_equal(later_count, 1);
    assert_true(later[0].chat_id == 2);
    outbox_row_clear(&later[0]);
    int64_t due;
    assert_int_equal(db_outbox_next_due(db, &due), 0);
    assert_true(due == 0); /* a new row is due at once */

    /* confirmed: deleted, and the card's message id remembered */
    assert_int_equal(db_outbox_done(db, &rows[1], 777), 0);
    int64_t chat, message;
    assert_int_equal(db_card_message(db, "card:a", &chat, &message), 0);
    assert_true(chat == 2 && message == 777);
    assert_int_equal(db_outbox_next_due(db, &due), 0);
    assert_true(due == 5000);

    /* refused for good: kept in outbox_failed, and the chat moves on */
    assert_int_equal(db_outbox_fail(db, rows[0].id, 400, "Bad Request: chat not found", 9), 0);
    int64_t n;
    assert_int_equal(db_outbox_failed_count(db, &n), 0);
    assert_true(n == 1);
    assert_int_equal(db_outbox_heads(db, 100, later, 8, &later_count), 0);
    assert_int_equal(later_count, 1);
    assert_string_equal(later[0].payload, "{\"n\":3}");
    outbox_row_clear(&later[0]);
    assert_int_equal(db_outbox_count(db, &n), 0);
    assert_true(n == 1);
    outbox_row_clear(&rows[0]);
    outbox_row_clear(&rows[1]);
    db_close(db);
}

static void test_rolled_back_transaction_leaves_nothing(void **state)
{
    (void)state;
    struct db *db = open_db();
    assert_int_equal(db_begin(db), 0);
    assert_int_equal(db_offset_set(db, 99), 0);
    assert_int_equal(db_outbox_push(db, 1, "sendMessage", "{}", NULL, 1), 0);
    db_rollback(db);
    int64_t offset, n;
    assert_int_equal(db_offset_get(db, &offset), 0);
    assert_true(offset == 0);
    assert_int_equal(db_outbox_count(db, &n), 0);
    assert_true(n == 0);
    db_close(db);
}

/* A database with one agency, "Dinas Kesehatan". */
static struct db *open_db_with_agency(struct db_agency *agency)
{
    struct db *db = open_db();
    char *agencies[] = { "Dinas Kesehatan" };
    assert_int_equal(db_agencies_sync(db, agencies, 1), 0);
    size_t n = 0;
    assert_int_equal(db_agencies_list(db, agency, 1, &n), 0);
    return db;
}

/* Texts read back into fixed buffers (db_copy_text): a note longer than the
 * buffer is cut at a character boundary, never inside one, so a card never
 * shows half a character (Telegram would refuse the message). */
static void test_long_audit_note_is_cut_between_characters(void **state)
{
    (void)state;
    struct db_agency agency;
    struct db *db = open_db_with_agency(&agency);
    struct db_case c = { .wf = { .agency_id = agency.id, .state = WF_S1_DISPOSISI_KADIS, .version = 1 },
                         .applicant_id = 5001, .created_at = 1 };
    snprintf(c.subject, sizeof c.subject, "Permohonan");
    assert_int_equal(db_case_insert(db, &c, "Dinas Kesehatan", 2026), 0);

    /* The buffer keeps DB_TEXT_MAX - 1 bytes: put a 2-, 3- and 4-byte
     * character across that edge at every offset. */
    static const char *const chars[] = { "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80" };
    for (size_t k = 0; k < 3; k++) {
        size_t len = strlen(chars[k]);
        for (size_t shift = 0; shift < len; shift++) {
            char note[DB_TEXT_MAX + 16];
            size_t lead = DB_TEXT_MAX - 1 - len + 1 + shift; /* the char ends past the edge */
            memset(note, 'a', lead);
            memcpy(note + lead, chars[k], len);
            note[lead + len] = '\0';
            struct wf_audit audit = { .actor_id = 1, .event = WF_EV_DISPOSE,
                                      .note = note, .state_before = WF_S1_DISPOSISI_KADIS,
                                      .state_after = WF_S1_DISPOSISI_KADIS, .at_ms = 2 };
            assert_int_equal(db_begin(db), 0);
            assert_int_equal(db_audit_add(db, c.wf.case_id, &audit), 0);
            assert_int_equal(db_commit(db), 0);
            struct db_audit_row row;
            assert_int_equal(db_audit_last(db, c.wf.case_id, &row), 0);
            assert_true(utf8_valid(row.note));
            size_t kept = strlen(row.note);
            assert_true(kept == lead || kept == lead + len);
            assert_true(kept <= DB_TEXT_MAX - 1);
            assert_memory_equal(row.note, note, kept);
        }
    }
    db_close(db);
}

/* The undo of an irreversible action keeps the case as it was, every field
 * the workflow restores, and is replaced by the case's next such action. */
static void test_undo_record_round_trips(void **state)
{
    (void)state;
    struct db_agency agency;
    struct db *db = open_db_with_agency(&agency);
    struct db_case c = { .wf = { .agency_id = agency.id, .state = WF_S1_DISPOSISI_KADIS, .version = 1 },
                         .applicant_id = 5001, .created_at = 1 };
    assert_int_equal(db_case_insert(db, &c, "Dinas Kesehatan", 2026), 0);

    struct db_undo u = { .case_id = c.wf.case_id, .actor_id = INT64_C(4000000000104),
                         .version_after = 9, .deadline = INT64_C(1767600060000),
                         .chat_id = 77, .message_id = 88, .at = INT64_C(1767600000000),
                         .state_since = 5, .closed_at = 0, .clock_max_id = 3, .clock_id = 3,
                         .clock_paused_at = 11, .clock_paused_ms = 12, .clock_breached = 1,
                         .letter_id = 0 };
    snprintf(u.event, sizeof u.event, "bsre_reply");
    snprintf(u.outcome, sizeof u.outcome, "rejected");
    u.before = (struct wf_case){ .case_id = c.wf.case_id, .state = WF_S5_MENUNGGU_BSRE,
                                 .version = 8, .pelaksana_id = INT64_C(4000000000104),
                                 .checklist_complete = true, .draft_ready = true,
                                 .files_confirmed = true, .draft_confirmed = false,
                                 .signed_letter_uploaded = true, .bsre_outcome = WF_BSRE_NONE,
                                 .session_at_ms = 0, .returned_from_state = WF_S4_TTD_KADIS };
    assert_int_equal(db_undo_put(db, &u), 0);
    struct db_undo got;
    assert_int_equal(db_undo_get(db, c.wf.case_id, &got), 0);
    assert_int_equal(got.before.case_id, c.wf.case_id);
    assert_int_equal(got.before.state, WF_S5_MENUNGGU_BSRE);
    assert_int_equal(got.before.version, 8);
    assert_int_equal(got.before.pelaksana_id, INT64_C(4000000000104));
    assert_true(got.before.checklist_complete && got.before.draft_ready);
    assert_true(got.before.files_confirmed && !got.before.draft_confirmed);
    assert_true(got.before.signed_letter_uploaded);
    assert_int_equal(got.before.bsre_outcome, WF_BSRE_NONE);
    assert_int_equal(got.before.returned_from_state, WF_S4_TTD_KADIS);
    assert_string_equal(got.event, "bsre_reply");
    assert_string_equal(got.outcome, "rejected");
    assert_int_equal(got.actor_id, u.actor_id);
    assert_int_equal(got.version_after, 9);
    assert_int_equal(got.deadline, u.deadline);
    assert_int_equal(got.message_id, 88);
    assert_int_equal(got.clock_paused_ms, 12);
    assert_int_equal(got.clock_breached, 1);
    /* The next undoable action of the case replaces it; an undo deletes it. */
    u.version_after = 11;
    assert_int_equal(db_undo_put(db, &u), 0);
    assert_int_equal(db_undo_get(db, c.wf.case_id, &got), 0);
    assert_int_equal(got.version_after, 11);
    assert_int_equal(db_undo_delete(db, c.wf.case_id), 0);
    assert_int_equal(db_undo_get(db, c.wf.case_id, &got), -ENOENT);
    db_close(db);
}

static int agenda_kind(const struct db_agenda_entry *e, void *data)
{
    enum db_case_kind *kinds = data;
    kinds[e->number - 1] = e->kind;
    return 0;
}

/* A request's kind (cases.kind) is written with the case and read back,
 * with the case and in its Buku Agenda entry. */
static void test_case_kind_is_stored_and_read(void **state)
{
    (void)state;
    struct db_agency agency;
    struct db *db = open_db_with_agency(&agency);
    struct db_case fresh = { .wf = { .agency_id = agency.id, .state = WF_S1_DISPOSISI_KADIS,
                                     .version = 1 }, .applicant_id = 5001, .created_at = 1 };
    struct db_case renewal = fresh;
    renewal.kind = DB_CASE_RENEWAL;
    assert_int_equal(db_case_insert(db, &fresh, "Dinas Kesehatan", 2026), 0);
    assert_int_equal(db_case_insert(db, &renewal, "Dinas Kesehatan", 2026), 0);
    struct db_case back;
    assert_int_equal(db_case_get(db, fresh.wf.case_id, &back), 0);
    assert_int_equal(back.kind, DB_CASE_NEW);
    assert_int_equal(db_case_get(db, renewal.wf.case_id, &back), 0);
    assert_int_equal(back.kind, DB_CASE_RENEWAL);
    /* An update leaves it alone. */
    assert_int_equal(db_case_update(db, &back), 0);
    assert_int_equal(db_case_get(db, renewal.wf.case_id, &back), 0);
    assert_int_equal(back.kind, DB_CASE_RENEWAL);
    enum db_case_kind kinds[2] = { DB_CASE_RENEWAL, DB_CASE_NEW };
    assert_int_equal(db_agenda_between(db, 0, 10, agenda_kind, kinds), 0);
    assert_int_equal(kinds[0], DB_CASE_NEW);
    assert_int_equal(kinds[1], DB_CASE_RENEWAL);
    size_t count = 0;
    assert_int_equal(db_cases_count_kind(db, DB_CASE_RENEWAL, 0, 10, &count), 0);
    assert_int_equal(count, 1);
    assert_int_equal(db_cases_count_kind(db, DB_CASE_RENEWAL, 2, 10, &count), 0);
    assert_int_equal(count, 0);
    assert_string_equal(db_case_kind_name(DB_CASE_RENEWAL), "perpanjangan");
    assert_int_equal(db_case_kind_parse("baru"), DB_CASE_NEW);
    db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_new_file_is_private_and_migrated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_older_file_is_migrated_in_place, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_file_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_offset_and_people_survive_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plh_kind_is_stored_and_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outbox_keeps_each_chat_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rolled_back_transaction_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_undo_record_round_trips, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_audit_note_is_cut_between_characters, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_case_kind_is_stored_and_read, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
