/* The aftercare requests as stored (db_aftercare.h): one open request of a
 * kind per register row, the state machine's changes written and read back,
 * the BSrE e-mail found by its Message-ID, the audit lines; and the holder
 * of a revoked row registered again at a new agency; retention of a closed
 * request's note, letter and BSrE's reply; a revocation's reply finding its
 * request; a revocation's e-mail owned by the request alone (never by the
 * case that issued the certificate), also in a database written before. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "aftercare.h"
#include "db.h"
#include "db_aftercare.h"
#include "db_cases.h"
#include "db_certificates.h"
#include "db_internal.h"
#include "db_inbox.h"
#include "db_mail.h"
#include "db_sessions.h"
#include "db_registry.h"
#include "db_retention.h"
#include "db_test_file.h"

#define T9 INT64_C(1796263200000) /* 2026-12-03 09:00 WIB */
#define NIP "198501012010012001"

struct fixture {
    char path[256];
    struct db *db;
    int64_t health, education, cert, case_id;
};

static int setup(void **state)
{
    static struct fixture f;
    memset(&f, 0, sizeof f);
    db_test_file_new(f.path, sizeof f.path, "test-aftercare");
    f.db = db_test_open(f.path);
    char *agencies[] = { "Dinas Kesehatan", "Dinas Pendidikan" };
    assert_int_equal(db_agencies_sync(f.db, agencies, 2), 0);
    struct db_agency list[2];
    size_t n = 0;
    assert_int_equal(db_agencies_list(f.db, list, 2, &n), 0);
    for (size_t i = 0; i < n; i++)
        *(strcmp(list[i].name, "Dinas Kesehatan") ? &f.education : &f.health) = list[i].id;
    struct db_case c = { .wf = { .agency_id = f.health, .state = WF_CLOSED_SELESAI,
                                 .version = 1 },
                         .applicant_id = 5001, .created_at = T9 };
    snprintf(c.letter_number, sizeof c.letter_number, "800/1");
    snprintf(c.letter_date, sizeof c.letter_date, "2026-11-20");
    snprintf(c.subject, sizeof c.subject, "Permohonan");
    assert_int_equal(db_case_insert(f.db, &c, "Dinas Kesehatan", 2026), 0);
    f.case_id = c.wf.case_id;
    struct db_certificate cert = { .agency_id = f.health, .case_id = c.wf.case_id,
                                   .status = DB_CERT_ISSUED, .login_at = T9 };
    snprintf(cert.nip, sizeof cert.nip, NIP);
    snprintf(cert.name, sizeof cert.name, "Rina Wati");
    snprintf(cert.valid_until, sizeof cert.valid_until, "2028-12-03");
    assert_int_equal(db_certificate_record(f.db, &cert, T9, &f.cert), 0);
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

static void a_revocation_runs_and_the_holder_moves(void **state)
{
    struct fixture *f = *state;
    struct db_aftercare a = { .r = { .kind = AC_REVOKE, .state = AC_S_KASI, .version = 1,
                                     .agency_id = f->health, .requested_by = 5001 },
                              .certificate_id = f->cert, .reason = AC_REASON_MUTASI };
    snprintf(a.event_date, sizeof a.event_date, "2026-12-01");
    int64_t id = 0, second = 0;
    assert_int_equal(db_aftercare_add(f->db, &a, T9, &id), 0);
    assert_true(id > 0);
    /* one open revocation per row; a help request beside it is another kind */
    assert_int_equal(db_aftercare_add(f->db, &a, T9, &second), -EEXIST);
    struct db_aftercare wrong = a;
    wrong.reason = AC_REASON_LUPA_PASSPHRASE;
    assert_int_equal(db_aftercare_add(f->db, &wrong, T9, &second), -EINVAL);
    struct db_aftercare got;
    assert_int_equal(db_aftercare_open_for(f->db, f->cert, AC_REVOKE, &got), 0);
    assert_int_equal(got.r.id, id);
    assert_int_equal(got.reason, AC_REASON_MUTASI);
    assert_string_equal(got.event_date, "2026-12-01");
    assert_int_equal(db_aftercare_open_for(f->db, f->cert, AC_HELP, &got), -ENOENT);

    struct ac_request after = got.r;
    after.state = AC_S_PELAKSANA;
    after.version = 2;
    after.pelaksana_id = 1004;
    assert_int_equal(db_aftercare_update(f->db, &after, NULL, T9 + 1), 0);
    assert_int_equal(db_aftercare_set_message_id(f->db, id, "<pc-0001.abc@x.go.id>"), 0);
    assert_int_equal(db_aftercare_by_message_id(f->db, "<pc-0001.abc@x.go.id>", &got), 0);
    assert_int_equal(got.r.id, id);
    assert_int_equal(got.r.state, AC_S_PELAKSANA);
    assert_int_equal(got.r.pelaksana_id, 1004);
    assert_int_equal(got.closed_at, 0);
    assert_int_equal(db_aftercare_by_message_id(f->db, "<other@x>", &got), -ENOENT);
    assert_int_equal(db_aftercare_mail_sent(f->db, id, T9 + 2), 0);

    struct ac_audit line = { .actor_id = 1004, .acted_as = ROLE_PELAKSANA, .event = AC_EV_DONE,
                             .state_before = AC_S_PELAKSANA, .state_after = AC_S_DONE,
                             .note = "tiket 1", .at_ms = T9 + 3 };
    assert_int_equal(db_aftercare_audit_add(f->db, id, &line), 0);
    int count = 0;
    assert_int_equal(db_aftercare_audit_count(f->db, id, &count), 0);
    assert_int_equal(count, 1);
    after.state = AC_S_DONE;
    after.version = 3;
    assert_int_equal(db_aftercare_update(f->db, &after, NULL, T9 + 3), 0);
    assert_int_equal(db_aftercare_get(f->db, id, &got), 0);
    assert_int_equal(got.closed_at, T9 + 3);
    assert_int_equal(got.mail_sent_at, T9 + 2);
    assert_int_equal(db_aftercare_open_for(f->db, f->cert, AC_REVOKE, &got), -ENOENT);
    after.id = id + 100;
    assert_int_equal(db_aftercare_update(f->db, &after, NULL, T9), -ENOENT);

    /* Revoked, the holder moves: the new agency records them again. */
    assert_int_equal(db_certificate_revoke(f->db, f->cert, "mutasi", T9 + 3, T9 + 3), 0);
    struct db_certificate moved;
    assert_int_equal(db_certificate_get(f->db, f->cert, &moved), 0);
    assert_int_equal(moved.status, DB_CERT_REVOKED);
    moved.agency_id = f->education;
    moved.status = DB_CERT_WAITING;
    int64_t again = 0;
    assert_int_equal(db_certificate_record(f->db, &moved, T9 + 4, &again), 0);
    assert_true(again != f->cert);
    struct db_certificate live;
    assert_int_equal(db_certificate_find_live(f->db, f->education, NIP, &live), 0);
    assert_int_equal(live.id, again);
    assert_int_equal(db_certificate_find_live(f->db, f->health, NIP, &live), -ENOENT);
    /* a new revocation of the new row is its own */
    a.certificate_id = again;
    a.r.agency_id = f->education;
    assert_int_equal(db_aftercare_add(f->db, &a, T9 + 5, &second), 0);
}

/* A help request's session lives in `sessions` beside the cases' ones: one
 * Pelaksana is never booked twice across both, and it ends with its request. */
static void a_help_session_shares_the_booking(void **state)
{
    struct fixture *f = *state;
    struct db_aftercare h = { .r = { .kind = AC_HELP, .state = AC_S_PELAKSANA, .version = 2,
                                     .agency_id = f->health, .requested_by = 5001,
                                     .pelaksana_id = 1004 },
                              .certificate_id = f->cert, .reason = AC_REASON_TERBIT_ULANG,
                              .standard_minutes = 450 };
    int64_t help = 0, id = 0;
    assert_int_equal(db_aftercare_add(f->db, &h, T9, &help), 0);
    struct db_session for_case = { .case_id = f->case_id, .pelaksana_id = 1004,
                                   .start_at = T9, .end_at = T9 + 3600000,
                                   .status = SESSION_CONFIRMED, .created_by = 1,
                                   .created_at = T9 };
    snprintf(for_case.place, sizeof for_case.place, "Ruang A");
    assert_int_equal(db_session_add(f->db, &for_case, &id), 0);
    struct db_session for_help = for_case;
    for_help.case_id = 0;
    for_help.help_id = help;
    assert_int_equal(db_session_add(f->db, &for_help, &id), -EEXIST); /* same hour */
    for_help.start_at += 3600000;
    for_help.end_at += 3600000;
    assert_int_equal(db_session_add(f->db, &for_help, &id), 0);
    struct db_session got;
    assert_int_equal(db_session_get(f->db, id, &got), 0);
    assert_int_equal(got.case_id, 0);
    assert_int_equal(got.help_id, help);
    assert_int_equal(db_sessions_help_set_status(f->db, help, SESSION_CONFIRMED, SESSION_DONE,
                                                 T9 + 1), 0);
    assert_int_equal(db_session_get(f->db, id, &got), 0);
    assert_int_equal(got.status, SESSION_DONE);
    /* neither a case nor a help, or both: refused by the schema */
    struct db_session orphan = for_help;
    orphan.help_id = 0;
    orphan.start_at += 7200000;
    orphan.end_at += 7200000;
    assert_int_not_equal(db_session_add(f->db, &orphan, &id), 0);
}

/* A help request's offer (help_session.c): its drafts and offered slots
 * listed by start, a draft deleted only by its own request, and its
 * sessions in /jadwal's list by the request's agency. */
static void a_help_offer_is_listed_and_its_drafts_dropped(void **state)
{
    struct fixture *f = *state;
    struct db_aftercare h = { .r = { .kind = AC_HELP, .state = AC_S_PELAKSANA, .version = 2,
                                     .agency_id = f->health, .requested_by = 5001,
                                     .pelaksana_id = 1004 },
                              .certificate_id = f->cert, .reason = AC_REASON_LUPA_PASSPHRASE,
                              .standard_minutes = 450 };
    int64_t help = 0, late = 0, early = 0;
    assert_int_equal(db_aftercare_add(f->db, &h, T9, &help), 0);
    struct db_session s = { .help_id = help, .pelaksana_id = 1004, .start_at = T9 + 7200000,
                            .end_at = T9 + 10800000, .status = SESSION_DRAFT,
                            .created_by = 1004, .created_at = T9 };
    snprintf(s.place, sizeof s.place, "Ruang A");
    assert_int_equal(db_session_add(f->db, &s, &late), 0);
    s.start_at = T9;
    s.end_at = T9 + 3600000;
    assert_int_equal(db_session_add(f->db, &s, &early), 0);
    struct db_session list[4];
    size_t n = 0;
    assert_int_equal(db_sessions_of_help(f->db, help, SESSION_DRAFT, list, 4, &n), 0);
    assert_int_equal(n, 2);
    assert_true(list[0].id == early && list[1].id == late);
    assert_int_equal(db_session_delete_help_draft(f->db, help + 1, late), -ENOENT);
    assert_int_equal(db_session_delete_draft(f->db, f->case_id, late), -ENOENT);
    assert_int_equal(db_session_delete_help_draft(f->db, help, late), 0);
    assert_int_equal(db_sessions_help_set_status(f->db, help, SESSION_DRAFT, SESSION_OFFERED,
                                                 T9 - 1), 0);
    assert_int_equal(db_session_delete_help_draft(f->db, help, early), -ENOENT); /* offered */
    assert_int_equal(db_sessions_coming(f->db, 0, f->health, T9 - 1, list, 4, &n), 0);
    assert_int_equal(n, 1);
    assert_true(list[0].id == early && list[0].help_id == help);
    assert_int_equal(db_sessions_coming(f->db, 0, f->education, T9 - 1, list, 4, &n), 0);
    assert_int_equal(n, 0);
}

static int64_t count(struct fixture *f, const char *sql, int64_t id)
{
    sqlite3_stmt *stmt = NULL;
    assert_int_equal(sqlite3_prepare_v2(f->db->conn, sql, -1, &stmt, NULL), SQLITE_OK);
    sqlite3_bind_int64(stmt, 1, id);
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return n;
}

/* A message read by IMAP from a person at BSrE, its subject naming the
 * holder, kept with case `case_id` or request `request_id` (neither:
 * unmatched); its id. */
static int64_t add_inbox(struct fixture *f, const char *message_id, int64_t case_id,
                         int64_t request_id, int64_t eml)
{
    static int64_t uid = 100;
    struct db_inbox_message row = { .uidvalidity = 1, .uid = ++uid, .received_at = T9 };
    snprintf(row.message_id, sizeof row.message_id, "%s", message_id);
    snprintf(row.mail_from, sizeof row.mail_from, "Budi Layanan <budi@bssn.go.id>");
    snprintf(row.subject, sizeof row.subject, "Re: [PC-0001] Pencabutan - Rina Wati");
    snprintf(row.status, sizeof row.status, "unmatched");
    int64_t id = 0;
    assert_int_equal(db_inbox_add(f->db, "imaps://x/INBOX", &row, "raw", 3, &id), 0);
    if (request_id)
        assert_int_equal(db_inbox_decide_request(f->db, id, "matched", request_id, "in_reply_to",
                                                 eml), 0);
    else if (case_id)
        assert_int_equal(db_inbox_decide(f->db, id, "attached", case_id, "kasi", eml, 1003), 0);
    return id;
}

/* Retention left message `id` its record, not who wrote it nor its subject. */
static void assert_inbox_erased(struct fixture *f, int64_t id, const char *message_id,
                                const char *status)
{
    struct db_inbox_message got;
    assert_int_equal(db_inbox_get(f->db, id, &got), 0);
    assert_string_equal(got.subject, "");
    assert_string_equal(got.mail_from, "");
    assert_string_equal(got.message_id, message_id);
    assert_string_equal(got.status, status);
    assert_int_equal(got.received_at, T9);
    void *raw = NULL;
    size_t size = 0;
    assert_int_equal(db_inbox_raw(f->db, id, &raw, &size), -ENOENT);
}

/* A case's retention clears the sender and subject of BSrE's mails kept
 * with it (an unmatched message keeps its own, for the Kasi to decide);
 * their record stays. */
static void retention_clears_a_cases_mail_senders_and_subjects(void **state)
{
    struct fixture *f = *state;
    int64_t kept = add_inbox(f, "c1@bssn.go.id", f->case_id, 0, 0);
    int64_t other = add_inbox(f, "u2@bssn.go.id", 0, 0, 0);
    assert_int_equal(db_retention_erase(f->db, f->case_id, T9 + 5), 0);
    assert_inbox_erased(f, kept, "c1@bssn.go.id", "attached");
    struct db_inbox_message got;
    assert_int_equal(db_inbox_get(f->db, other, &got), 0);
    assert_string_equal(got.subject, "Re: [PC-0001] Pencabutan - Rina Wati");
    assert_string_equal(got.mail_from, "Budi Layanan <budi@bssn.go.id>");
    assert_int_equal(got.case_id, 0);
}

static int note_path(const char *path, void *data)
{
    snprintf(data, 64, "%s", path);
    return 0;
}

/* Retention (db_retention.h): a request closed long ago loses its note and
 * its letter once; an open one, or one closed later, keeps them; the
 * register row stays. */
static void retention_erases_a_closed_request_once(void **state)
{
    struct fixture *f = *state;
    struct db_file letter = { .case_id = 0, .uploaded_by = 5001, .created_at = T9 };
    snprintf(letter.kind, sizeof letter.kind, "revoke_letter");
    snprintf(letter.file_name, sizeof letter.file_name, "surat-rina.pdf");
    snprintf(letter.mime_type, sizeof letter.mime_type, "application/pdf");
    int64_t file = 0;
    assert_int_equal(db_file_add(f->db, &letter, "%PDF", 4, &file), 0);
    assert_int_equal(db_file_set_file_id(f->db, file, "tg-file-1"), 0);
    assert_int_equal(db_file_set_local(f->db, file, "documents/revoke/surat-rina.pdf"), 0);
    struct db_aftercare a = { .r = { .kind = AC_REVOKE, .state = AC_S_KASI, .version = 1,
                                     .agency_id = f->health, .requested_by = 5001 },
                              .certificate_id = f->cert, .reason = AC_REASON_MUTASI,
                              .letter_file = file };
    snprintf(a.event_date, sizeof a.event_date, "2026-12-01");
    int64_t revoke = 0, help = 0, eml = 0;
    assert_int_equal(db_aftercare_add(f->db, &a, T9, &revoke), 0);
    /* the e-mail that took the letter to BSrE, its copy kept as a file */
    snprintf(letter.kind, sizeof letter.kind, "revoke_mail");
    assert_int_equal(db_file_add(f->db, &letter, "From: x", 7, &eml), 0);
    assert_int_equal(db_aftercare_set_message_id(f->db, revoke, "<pc-0001.r@x.go.id>"), 0);
    struct db_mail m = { .request_id = revoke, .message_id = "<pc-0001.r@x.go.id>",
                         .mail_to = "bsre@x.go.id" };
    assert_int_equal(db_mail_sent(f->db, &m, eml, T9), 0);
    /* BSrE's reply to it, kept as the request's */
    int64_t reply = 0;
    snprintf(letter.kind, sizeof letter.kind, "bsre_reply");
    assert_int_equal(db_file_add(f->db, &letter, "From: bsre", 10, &reply), 0);
    assert_int_equal(db_aftercare_file_link(f->db, revoke, reply), 0);
    struct db_aftercare h = { .r = { .kind = AC_HELP, .state = AC_S_KASI, .version = 1,
                                     .agency_id = f->health, .requested_by = 5001 },
                              .certificate_id = f->cert, .reason = AC_REASON_LUPA_PASSPHRASE };
    snprintf(h.note, sizeof h.note, "lupa passphrase, NIP " NIP);
    assert_int_equal(db_aftercare_add(f->db, &h, T9, &help), 0);
    int64_t ids[4];
    size_t n = 9;
    assert_int_equal(db_retention_requests_due(f->db, T9 + 100, ids, 4, &n), 0);
    assert_int_equal(n, 0); /* both open */
    struct ac_request after = a.r;
    after.id = revoke;
    after.state = AC_S_RETURNED;
    after.version = 2;
    assert_int_equal(db_aftercare_update(f->db, &after, "surat tidak sah: Rina", T9 + 1), 0);
    after = h.r;
    after.id = help;
    after.state = AC_S_DONE;
    after.version = 2;
    assert_int_equal(db_aftercare_update(f->db, &after, NULL, T9 + 50), 0);

    assert_int_equal(db_retention_requests_due(f->db, T9 + 10, ids, 4, &n), 0);
    assert_int_equal(n, 1); /* the help request closed after the cut-off */
    assert_int_equal(ids[0], revoke);
    char path[64] = "";
    assert_int_equal(db_retention_request_paths(f->db, revoke, note_path, path), 0);
    assert_string_equal(path, "documents/revoke/surat-rina.pdf");
    /* BSrE's reply read by IMAP (sender, subject naming the holder), and an
     * earlier mail of the request that failed for good; a message of no
     * request, unmatched, is not the request's to erase */
    int64_t kept = add_inbox(f, "r9@bssn.go.id", 0, revoke, reply);
    int64_t other = add_inbox(f, "u1@bssn.go.id", 0, 0, 0);
    struct db_mail failed = { .id = 77, .request_id = revoke, .message_id = "<pc-0001.f@x.go.id>",
                              .mail_to = "bsre@x.go.id",
                              .subject = "[PC-0001] Permohonan Pencabutan - Rina Wati" };
    assert_int_equal(db_mail_failed(f->db, &failed, "550 no", T9), 0);
    assert_int_equal(db_retention_request_erase(f->db, revoke, T9 + 20), 0);
    assert_inbox_erased(f, kept, "r9@bssn.go.id", "matched");
    assert_int_equal(count(f, "SELECT count(*) FROM inbox_messages WHERE id = ?1 AND subject "
                              "LIKE '%Rina Wati%' AND mail_from LIKE '%Budi%'", other), 1);
    assert_int_equal(count(f, "SELECT count(*) FROM mail_failed WHERE aftercare_id = ?1 AND "
                              "subject = '' AND error = '550 no'", revoke), 1);
    struct db_file gone;
    assert_int_equal(db_file_get(f->db, file, &gone), 0);
    assert_int_equal(gone.content_size, 0);
    assert_string_equal(gone.file_id, "");
    assert_string_equal(gone.local_path, "");
    assert_string_equal(gone.file_name, "revoke_letter");
    assert_int_equal(db_file_get(f->db, eml, &gone), 0);
    assert_int_equal(gone.content_size, 0);
    assert_string_equal(gone.file_name, "revoke_mail");
    assert_int_equal(db_file_get(f->db, reply, &gone), 0);
    assert_int_equal(gone.content_size, 0);
    assert_string_equal(gone.file_name, "bsre_reply");
    struct db_aftercare got;
    assert_int_equal(db_aftercare_get(f->db, revoke, &got), 0);
    assert_string_equal(got.note, "");
    assert_int_equal(got.r.state, AC_S_RETURNED);
    assert_string_equal(got.event_date, "2026-12-01");
    assert_int_equal(db_retention_requests_due(f->db, T9 + 10, ids, 4, &n), 0);
    assert_int_equal(n, 0); /* marked: done once */

    assert_int_equal(db_retention_requests_due(f->db, T9 + 100, ids, 4, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], help);
    path[0] = '\0';
    assert_int_equal(db_retention_request_paths(f->db, help, note_path, path), 0);
    assert_string_equal(path, ""); /* no letter */
    assert_int_equal(db_retention_request_erase(f->db, help, T9 + 100), 0);
    assert_int_equal(db_aftercare_get(f->db, help, &got), 0);
    assert_string_equal(got.note, "");
    assert_int_equal(db_retention_requests_due(f->db, T9 + 100, ids, 4, &n), 0);
    assert_int_equal(n, 0);
    /* the register row keeps its holder */
    struct db_certificate cert;
    assert_int_equal(db_certificate_get(f->db, f->cert, &cert), 0);
    assert_string_equal(cert.nip, NIP);
    assert_string_equal(cert.name, "Rina Wati");
}

/* BSrE's reply to a revocation's e-mail (handlers/revoke_mail.c): the
 * request found by the Message-ID as an In-Reply-To gives it (with or
 * without its brackets; a help request never), the reply's files linked to
 * the request (a case's file never), the inbox row naming the request. */
static void a_revocations_reply_finds_its_request(void **state)
{
    struct fixture *f = *state;
    struct db_aftercare a = { .r = { .kind = AC_REVOKE, .state = AC_S_KASI, .version = 1,
                                     .agency_id = f->health, .requested_by = 5001 },
                              .certificate_id = f->cert, .reason = AC_REASON_MUTASI };
    struct db_aftercare h = { .r = { .kind = AC_HELP, .state = AC_S_KASI, .version = 1,
                                     .agency_id = f->health, .requested_by = 5001 },
                              .certificate_id = f->cert, .reason = AC_REASON_LUPA_PASSPHRASE };
    int64_t revoke = 0, help = 0, found = 0;
    assert_int_equal(db_aftercare_add(f->db, &a, T9, &revoke), 0);
    assert_int_equal(db_aftercare_add(f->db, &h, T9, &help), 0);
    assert_int_equal(db_aftercare_revoke_of_mail_id(f->db, "pc-0001.k@x.go.id", &found),
                     -ENOENT); /* not mailed yet */
    assert_int_equal(db_aftercare_set_message_id(f->db, revoke, "<pc-0001.k@x.go.id>"), 0);
    assert_int_equal(db_aftercare_set_message_id(f->db, help, "<bs-0002.k@x.go.id>"), 0);
    assert_int_equal(db_aftercare_revoke_of_mail_id(f->db, "pc-0001.k@x.go.id", &found), 0);
    assert_int_equal(found, revoke);
    found = 0;
    assert_int_equal(db_aftercare_revoke_of_mail_id(f->db, "<pc-0001.k@x.go.id>", &found), 0);
    assert_int_equal(found, revoke);
    assert_int_equal(db_aftercare_revoke_of_mail_id(f->db, "bs-0002.k@x.go.id", &found), -ENOENT);
    assert_int_equal(db_aftercare_revoke_of_mail_id(f->db, "", &found), -ENOENT);

    struct db_file file = { .created_at = T9 };
    snprintf(file.kind, sizeof file.kind, "bsre_reply");
    snprintf(file.file_name, sizeof file.file_name, "email-7.eml");
    snprintf(file.mime_type, sizeof file.mime_type, "message/rfc822");
    int64_t eml = 0, case_file = 0;
    assert_int_equal(db_file_add(f->db, &file, "From: bsre", 10, &eml), 0);
    assert_int_equal(db_aftercare_file_link(f->db, revoke, eml), 0);
    file.case_id = f->case_id;
    assert_int_equal(db_file_add(f->db, &file, "From: bsre", 10, &case_file), 0);
    assert_int_equal(db_aftercare_file_link(f->db, revoke, case_file), -ENOENT);
    assert_int_equal(db_aftercare_file_link(f->db, revoke, case_file + 100), -ENOENT);

    struct db_inbox_message row = { .uidvalidity = 1, .uid = 7, .received_at = T9 };
    snprintf(row.message_id, sizeof row.message_id, "r1@bssn.go.id");
    snprintf(row.status, sizeof row.status, "matched");
    int64_t inbox = 0;
    assert_int_equal(db_inbox_add(f->db, "imaps://x/INBOX", &row, "raw", 3, &inbox), 0);
    assert_int_equal(db_inbox_decide_request(f->db, inbox, "late", 0, "tag", eml), -EINVAL);
    assert_int_equal(db_inbox_decide_request(f->db, inbox, "late", revoke, "tag", eml), 0);
    struct db_inbox_message got;
    assert_int_equal(db_inbox_get(f->db, inbox, &got), 0);
    assert_int_equal(got.request_id, revoke);
    assert_int_equal(got.case_id, 0);
    assert_int_equal(got.eml_file, eml);
    assert_string_equal(got.status, "late");
    assert_string_equal(got.matched_by, "tag");
    void *raw = NULL;
    size_t size = 0;
    assert_int_equal(db_inbox_raw(f->db, inbox, &raw, &size), -ENOENT); /* not kept */
}


/* Every row of the mail tables a case's export lists (`case_id = ?`). */
static int64_t case_mail_rows(struct fixture *f)
{
    return count(f, "SELECT (SELECT count(*) FROM mail_outbox WHERE case_id = ?1) + "
                    "(SELECT count(*) FROM mail_sent WHERE case_id = ?1) + "
                    "(SELECT count(*) FROM mail_failed WHERE case_id = ?1) + "
                    "(SELECT count(*) FROM case_mail_ids WHERE case_id = ?1)", f->case_id);
}

static void queue_mail(struct fixture *f, int64_t case_id, int64_t request_id, const char *id)
{
    struct db_mail m = { .case_id = case_id, .request_id = request_id, .message_id = (char *)id,
                         .mail_from = "a@x.go.id", .mail_to = "bsre@x.go.id", .subject = "s",
                         .body = "b", .attachments = "[]", .requested_by = 7 };
    assert_int_equal(db_mail_queue(f->db, &m, T9, NULL), 0);
}

/* Two holders of one case revoked at once: each request's e-mail is its own
 * (not the case's list, export, or pending count), and recording one by
 * hand withdraws that one only, not the other's nor the case's. */
static void a_revocations_mail_is_its_requests_alone(void **state)
{
    struct fixture *f = *state;
    struct db_certificate second = { .agency_id = f->health, .case_id = f->case_id,
                                     .status = DB_CERT_ISSUED, .login_at = T9 };
    snprintf(second.nip, sizeof second.nip, "198601012010012002");
    snprintf(second.name, sizeof second.name, "Budi Santoso");
    int64_t cert2 = 0, one = 0, two = 0;
    assert_int_equal(db_certificate_record(f->db, &second, T9, &cert2), 0);
    struct db_aftercare a = { .r = { .kind = AC_REVOKE, .state = AC_S_PELAKSANA, .version = 2,
                                     .agency_id = f->health, .requested_by = 5001 },
                              .certificate_id = f->cert, .reason = AC_REASON_MUTASI };
    assert_int_equal(db_aftercare_add(f->db, &a, T9, &one), 0);
    a.certificate_id = cert2;
    assert_int_equal(db_aftercare_add(f->db, &a, T9, &two), 0);
    struct db_mail both = { .case_id = f->case_id, .request_id = one, .message_id = "<x@y>" };
    assert_int_equal(db_mail_queue(f->db, &both, T9, NULL), -EINVAL);
    both.case_id = 0;
    both.request_id = 0;
    assert_int_equal(db_mail_queue(f->db, &both, T9, NULL), -EINVAL);

    queue_mail(f, f->case_id, 0, "<se-0001.c@x.go.id>"); /* e.g. a renewal's, same number */
    queue_mail(f, 0, one, "<pc-0001.a@x.go.id>");
    queue_mail(f, 0, two, "<pc-0002.b@x.go.id>");
    int pending = 0;
    assert_int_equal(db_mail_pending_for_case(f->db, f->case_id, &pending), 0);
    assert_int_equal(pending, 1);
    int64_t found = 0;
    assert_int_equal(db_case_of_mail_id(f->db, "pc-0001.a@x.go.id", &found), -ENOENT);
    assert_int_equal(case_mail_rows(f), 2); /* the case's mail and its Message-ID */

    assert_int_equal(db_mail_withdraw_request(f->db, one, "revocation recorded by hand", T9), 0);
    assert_int_equal(count(f, "SELECT count(*) FROM mail_outbox WHERE aftercare_id = ?1", two),
                     1);
    assert_int_equal(db_mail_pending_for_case(f->db, f->case_id, &pending), 0);
    assert_int_equal(pending, 1);
    assert_int_equal(count(f, "SELECT count(*) FROM mail_failed WHERE aftercare_id = ?1 AND "
                              "case_id IS NULL AND error LIKE '%by hand'", one), 1);
    struct db_mail m;
    assert_int_equal(db_mail_next(f->db, T9, &m), 0);
    assert_int_equal(m.case_id, f->case_id);
    assert_int_equal(m.request_id, 0);
    assert_int_equal(db_mail_sent(f->db, &m, 0, T9 + 1), 0);
    db_mail_clear(&m);
    assert_int_equal(db_mail_next(f->db, T9, &m), 0);
    assert_int_equal(m.case_id, 0);
    assert_int_equal(m.request_id, two);
    assert_int_equal(db_mail_sent(f->db, &m, 0, T9 + 2), 0);
    db_mail_clear(&m);
    assert_int_equal(count(f, "SELECT count(*) FROM mail_sent WHERE aftercare_id = ?1 AND "
                              "case_id IS NULL", two), 1);
    assert_int_equal(case_mail_rows(f), 2); /* the case's sent mail and its Message-ID */
}

/* A database written before the revocation's mail had its own owner: the
 * mails queued, sent and failed under the case move to their request, its
 * Message-ID leaves the cases' list, the sent copy becomes the request's
 * file, the case's own mail stays, and the queue's ids never come back. */
static void older_revocation_mails_move_to_their_request(void **state)
{
    (void)state;
    char path[256];
    db_test_file_new(path, sizeof path, "test-aftercare-mail-upgrade");
    sqlite3 *raw = NULL;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    for (int version = 1; version < db_migration_count; version++) {
        char bump[48];
        snprintf(bump, sizeof bump, "PRAGMA user_version = %d", version);
        assert_int_equal(sqlite3_exec(raw, db_migration_sql(version), NULL, NULL, NULL),
                         SQLITE_OK);
        assert_int_equal(sqlite3_exec(raw, bump, NULL, NULL, NULL), SQLITE_OK);
    }
    static const char rows[] =
        "INSERT INTO agencies(id, name) VALUES (1, 'Dinas Kesehatan');"
        "INSERT INTO cases(id, number, agency_id, applicant_id, state, version, letter_number, "
        "  letter_date, subject, created_at, state_since) VALUES (1, 'SE-0001', 1, 5001, "
        "  'closed_selesai', 9, '800/1', '2026-11-20', 'Permohonan', 0, 0);"
        "INSERT INTO certificates(id, agency_id, nip, name, jabatan, email, case_id, status, "
        "  created_at, updated_at) VALUES (1, 1, '" NIP "', 'Rina Wati', 'Staf', 'r@x.go.id', 1, "
        "  'issued', 0, 0), (2, 1, '198601012010012002', 'Budi', 'Staf', 'b@x.go.id', 1, "
        "  'issued', 0, 0);"
        "INSERT INTO aftercare_requests(id, kind, state, version, agency_id, certificate_id, "
        "  requested_by, reason, message_id, created_at, updated_at) VALUES "
        "  (1, 'revoke', 'done', 3, 1, 1, 5001, 'mutasi', '<pc-0001.a@x>', 0, 0), "
        "  (2, 'revoke', 'pelaksana', 2, 1, 2, 5001, 'pensiun', '<pc-0002.b@x>', 0, 0);"
        "INSERT INTO case_files(id, kind, file_name, mime_type, created_at) VALUES "
        "  (1, 'revoke_mail', 'PC-0001-surel-bsre.eml', 'message/rfc822', 0);"
        "INSERT INTO case_files(id, case_id, kind, file_name, mime_type, created_at) VALUES "
        "  (2, 1, 'sent_mail', 'SE-0001-surel-bsre.eml', 'message/rfc822', 0);"
        "INSERT INTO mail_sent(message_id, case_id, mail_to, eml_file, sent_at) VALUES "
        "  ('<se-0001.s@x>', 1, 'bsre@x', 2, 0), ('<pc-0001.a@x>', 1, 'bsre@x', 1, 0);"
        "INSERT INTO mail_outbox(id, case_id, message_id, mail_from, mail_to, subject, body, "
        "  attachments, requested_by, created_at, not_before) VALUES "
        "  (8, 1, '<pc-0002.b@x>', 'a@x', 'bsre@x', 's', 'b', '[]', 7, 0, 0);"
        "INSERT INTO mail_failed(id, case_id, message_id, mail_to, subject, attempts, error, "
        "  created_at, failed_at) VALUES (9, 1, '<pc-0001.old@x>', 'bsre@x', 's', 1, '550', 0, 0);"
        "INSERT INTO case_mail_ids(message_id, case_id, created_at) VALUES "
        "  ('<se-0001.s@x>', 1, 0), ('<pc-0001.a@x>', 1, 0), ('<pc-0002.b@x>', 1, 0);";
    assert_int_equal(sqlite3_exec(raw, rows, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);

    struct fixture f = { .db = db_test_open(path), .case_id = 1 };
    assert_int_equal(count(&f, "SELECT aftercare_id FROM mail_sent WHERE case_id IS NULL AND "
                               "message_id = '<pc-0001.a@x>' AND ?1", 1), 1);
    assert_int_equal(count(&f, "SELECT aftercare_id FROM mail_outbox WHERE case_id IS NULL "
                               "AND id = 8 AND ?1", 1), 2);
    assert_int_equal(count(&f, "SELECT aftercare_id FROM case_files WHERE id = ?1", 1), 1);
    assert_int_equal(count(&f, "SELECT count(*) FROM case_files WHERE aftercare_id IS NULL "
                               "AND id = ?1", 2), 1);
    /* the case keeps its own mail: sent row, Message-ID; a failure whose
     * Message-ID no request names stays the case's */
    assert_int_equal(count(&f, "SELECT count(*) FROM mail_sent WHERE case_id = ?1", 1), 1);
    assert_int_equal(count(&f, "SELECT count(*) FROM case_mail_ids WHERE case_id = ?1", 1), 1);
    int64_t found = 0;
    assert_int_equal(db_case_of_mail_id(f.db, "se-0001.s@x", &found), 0);
    assert_int_equal(db_case_of_mail_id(f.db, "pc-0002.b@x", &found), -ENOENT);
    assert_int_equal(db_aftercare_revoke_of_mail_id(f.db, "pc-0002.b@x", &found), 0);
    assert_int_equal(found, 2);
    struct db_mail m;
    assert_int_equal(db_mail_next(f.db, 1, &m), 0);
    assert_int_equal(m.request_id, 2);
    assert_int_equal(m.case_id, 0);
    db_mail_clear(&m);
    /* the next queued mail's id is past every id the queue gave (9 failed) */
    int64_t id = 0;
    struct db_mail next = { .request_id = 1, .message_id = "<pc-0001.n@x>", .mail_from = "a",
                            .mail_to = "b", .subject = "s", .body = "b", .attachments = "[]" };
    assert_int_equal(db_mail_queue(f.db, &next, 1, &id), 0);
    assert_true(id > 9);
    db_close(f.db);
    db_test_file_remove(path);
}

/* The replies kept with an open revocation, for a new Pelaksana
 * (revoke_mail_replies_again): the matched ones, not a late one, each with
 * its own attachments (the request's files stored right after its .eml). */
static void a_requests_replies_are_listed_with_their_files(void **state)
{
    struct fixture *f = *state;
    struct db_aftercare a = { .r = { .kind = AC_REVOKE, .state = AC_S_PELAKSANA, .version = 2,
                                     .agency_id = f->health, .requested_by = 5001 },
                              .certificate_id = f->cert, .reason = AC_REASON_MUTASI };
    int64_t revoke = 0, files[6], inbox[3];
    assert_int_equal(db_aftercare_add(f->db, &a, T9, &revoke), 0);
    struct db_file file = { .created_at = T9 };
    snprintf(file.kind, sizeof file.kind, "bsre_reply");
    snprintf(file.file_name, sizeof file.file_name, "x");
    snprintf(file.mime_type, sizeof file.mime_type, "application/pdf");
    for (int i = 0; i < 6; i++) { /* eml 1 + 2 files, eml 2 + 1 file, eml 3 (late) + 0 */
        assert_int_equal(db_file_add(f->db, &file, "x", 1, &files[i]), 0);
        assert_int_equal(db_aftercare_file_link(f->db, revoke, files[i]), 0);
    }
    static const char *const statuses[] = { "matched", "matched", "late" };
    static const int emls[] = { 0, 3, 5 };
    for (int i = 0; i < 3; i++) {
        struct db_inbox_message row = { .uidvalidity = 1, .uid = 10 + i, .received_at = T9 };
        snprintf(row.message_id, sizeof row.message_id, "r%d@bssn.go.id", i);
        snprintf(row.status, sizeof row.status, "matched");
        assert_int_equal(db_inbox_add(f->db, "imaps://x/INBOX", &row, NULL, 0, &inbox[i]), 0);
        assert_int_equal(db_inbox_decide_request(f->db, inbox[i], statuses[i], revoke, "tag",
                                                 files[emls[i]]), 0);
    }
    int64_t ids[4], rows[4];
    size_t n = 9;
    assert_int_equal(db_inbox_request_replies(f->db, revoke, ids, 4, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(ids[0], inbox[0]);
    assert_int_equal(ids[1], inbox[1]);
    assert_int_equal(db_inbox_reply_files(f->db, revoke, files[0], rows, 4, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0], files[1]);
    assert_int_equal(rows[1], files[2]);
    assert_int_equal(db_inbox_reply_files(f->db, revoke, files[3], rows, 4, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0], files[4]);
    assert_int_equal(db_inbox_reply_files(f->db, revoke, files[0], rows, 1, &n), 0);
    assert_int_equal(n, 1); /* at most `max` */
}

/* A /sertifikat search ("<ms> <query>") is forgotten a day on; a value
 * without a time at once; other state stays. */
static void retention_forgets_old_searches(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(db_state_set(f->db, SEARCH_KEY "1", "1000 rina"), 0);
    assert_int_equal(db_state_set(f->db, SEARCH_KEY "2", "5000 budi"), 0);
    assert_int_equal(db_state_set(f->db, SEARCH_KEY "3", "rina"), 0);
    assert_int_equal(db_state_set(f->db, "update_offset", "5"), 0);
    assert_int_equal(db_retention_searches(f->db, 2000), 0);
    char value[32];
    assert_int_equal(db_state_get(f->db, SEARCH_KEY "1", value, sizeof value), -ENOENT);
    assert_int_equal(db_state_get(f->db, SEARCH_KEY "3", value, sizeof value), -ENOENT);
    assert_int_equal(db_state_get(f->db, SEARCH_KEY "2", value, sizeof value), 0);
    assert_string_equal(value, "5000 budi");
    assert_int_equal(db_state_get(f->db, "update_offset", value, sizeof value), 0);
    assert_string_equal(value, "5");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_revocation_runs_and_the_holder_moves, setup, teardown),
        cmocka_unit_test_setup_teardown(a_help_session_shares_the_booking, setup, teardown),
        cmocka_unit_test_setup_teardown(a_help_offer_is_listed_and_its_drafts_dropped, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(retention_erases_a_closed_request_once, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(retention_forgets_old_searches, setup, teardown),
        cmocka_unit_test_setup_teardown(retention_clears_a_cases_mail_senders_and_subjects,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_revocations_reply_finds_its_request, setup, teardown),
        cmocka_unit_test_setup_teardown(a_revocations_mail_is_its_requests_alone, setup,
                                        teardown),
        cmocka_unit_test(older_revocation_mails_move_to_their_request),
        cmocka_unit_test_setup_teardown(a_requests_replies_are_listed_with_their_files, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
