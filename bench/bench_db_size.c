/* bench_db_size: the database size per 10,000 closed cases.
 *
 * A fresh database is built through the project's own db layer with 10,000
 * cases that went through the whole SOP: the Buku Agenda entry
 * (db_case_insert makes it), two certificate holders, an audit trail of 20
 * entries (intake, the two dispositions, one round of missing documents, the
 * recommendation, BSrE, the notification letter, the session, the report),
 * the two disposition sheets (Kadis at step 1, Kabid at step 2), seven ended
 * step clocks, and the case closed (db_case_update with the closed state and
 * closed_at). After PRAGMA wal_checkpoint(TRUNCATE) it prints the file size,
 * the size of an empty database, and bytes per case. Letters and generated
 * documents (case_files) are not part of it: their size is the documents'.
 *
 * Usage: bench_db_size [cases]   (default 10000) */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_common.h"
#include "db.h"
#include "db_cases.h"
#include "db_clocks.h"
#include "db_internal.h"
#include "db_registry.h"
#include "log.h"
#include "office_calendar.h"
#include "workflow.h"

#define KADIS_ID INT64_C(7100000001)
#define KABID_ID INT64_C(7100000002)
#define KASI_ID INT64_C(7100000003)
#define PELAKSANA_ID INT64_C(7100000011)
#define BATCH_CASES 1000

static const char *const agencies[] = {
    "Badan Pendapatan Daerah",
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Dinas Kesehatan",
    "Dinas Pendidikan",
    "Dinas Perhubungan",
    "Dinas Sosial",
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    "Dinas Perumahan, Kawasan Permukiman dan Pertanahan",
    "Inspektorat",
    "Sekretariat Daerah",
    "RSUD dr. Chasbullah Abdulmadjid",
    "Kecamatan Bekasi Timur",
};
#define AGENCY_COUNT (sizeof agencies / sizeof agencies[0])

/* A case's life, one audit entry each. */
struct audit_step {
    enum wf_event_kind event;
    enum role role;
    enum wf_state before, after;
    const char *note;
};

static const struct audit_step life[] = {
    { WF_EV_SUBMIT, ROLE_APPLICANT, WF_STATE_NONE, WF_S1_DISPOSISI_KADIS, NULL },
    { WF_EV_DISPOSE, ROLE_KADIS, WF_S1_DISPOSISI_KADIS, WF_S2_DISPOSISI_KABID,
      "Mohon segera diproses sesuai ketentuan" },
    { WF_EV_DISPOSE, ROLE_KABID, WF_S2_DISPOSISI_KABID, WF_S3_VERIFIKASI_KASI, NULL },
    { WF_EV_REQUEST_DOCUMENTS, ROLE_KASI, WF_S3_VERIFIKASI_KASI, WF_S3_MENUNGGU_PEMOHON,
      "SK pengangkatan pemegang sertifikat kedua belum dilampirkan" },
    { WF_EV_DOCUMENTS_PROVIDED, ROLE_APPLICANT, WF_S3_MENUNGGU_PEMOHON, WF_S3_VERIFIKASI_KASI,
      NULL },
    { WF_EV_SET_CHECKLIST_COMPLETE, ROLE_KASI, WF_S3_VERIFIKASI_KASI, WF_S3_VERIFIKASI_KASI,
      NULL },
    { WF_EV_SET_DRAFT_READY, ROLE_KASI, WF_S3_VERIFIKASI_KASI, WF_S3_VERIFIKASI_KASI, NULL },
    { WF_EV_FORWARD, ROLE_KASI, WF_S3_VERIFIKASI_KASI, WF_S4_PERIKSA_PELAKSANA, NULL },
    { WF_EV_CONFIRM_FILES, ROLE_PELAKSANA, WF_S4_PERIKSA_PELAKSANA, WF_S4_PERIKSA_PELAKSANA,
      NULL },
    { WF_EV_CONFIRM_DRAFT, ROLE_PELAKSANA, WF_S4_PERIKSA_PELAKSANA, WF_S4_PERIKSA_PELAKSANA,
      NULL },
    { WF_EV_ASK_SIGNATURE, ROLE_PELAKSANA, WF_S4_PERIKSA_PELAKSANA, WF_S4_TTD_KADIS, NULL },
    { WF_EV_SIGN, ROLE_KADIS, WF_S4_TTD_KADIS, WF_S4_KIRIM_BSRE, NULL },
    { WF_EV_UPLOAD_SIGNED, ROLE_PELAKSANA, WF_S4_KIRIM_BSRE, WF_S4_KIRIM_BSRE, NULL },
    { WF_EV_SENT_TO_BSRE, ROLE_PELAKSANA, WF_S4_KIRIM_BSRE, WF_S5_MENUNGGU_BSRE, NULL },
    { WF_EV_BSRE_REPLY, ROLE_PELAKSANA, WF_S5_MENUNGGU_BSRE, WF_S5_LAPOR_KASI, NULL },
    { WF_EV_REPORT_TO_KASI, ROLE_PELAKSANA, WF_S5_LAPOR_KASI, WF_S6_SURAT_KASI, NULL },
    { WF_EV_ASK_SIGNATURE, ROLE_KASI, WF_S6_SURAT_KASI, WF_S6_TTD_KADIS, NULL },
    { WF_EV_SIGN, ROLE_KADIS, WF_S6_TTD_KADIS, WF_S6_JADWAL, NULL },
    { WF_EV_PROPOSE_SESSION, ROLE_KASI, WF_S6_JADWAL, WF_S6_MENUNGGU_KONFIRMASI, NULL },
    { WF_EV_CONFIRM_SESSION, ROLE_APPLICANT, WF_S6_MENUNGGU_KONFIRMASI, WF_S7_PENDAMPINGAN,
      NULL },
    { WF_EV_REPORT, ROLE_PELAKSANA, WF_S7_PENDAMPINGAN, WF_CLOSED_SELESAI,
      "Pendampingan selesai; kedua pemegang sertifikat berhasil login dan membuat tanda "
      "tangan elektronik" },
};
#define LIFE_COUNT (sizeof life / sizeof life[0])

static const int standards[8] = { 0, 15, 15, 450, 120, 15, 450, 450 };

static void die(const char *what, int rc)
{
    fprintf(stderr, "bench_db_size: %s failed (%d)\n", what, rc);
    exit(1);
}

static void check(int rc, const char *what)
{
    if (rc)
        die(what, rc);
}

static int64_t pragma_int(struct db *db, const char *sql)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(db->conn, sql, -1, &stmt, NULL) != SQLITE_OK)
        die(sqlite3_errmsg(db->conn), -EIO);
    int64_t value = -1;
    if (sqlite3_step(stmt) == SQLITE_ROW)
        value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return value;
}

/* Writes the WAL back into the database file and empties it. */
static void checkpoint(struct db *db)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(db->conn, "PRAGMA wal_checkpoint(TRUNCATE)", -1, &stmt, NULL) !=
        SQLITE_OK)
        die(sqlite3_errmsg(db->conn), -EIO);
    int busy = 1;
    if (sqlite3_step(stmt) == SQLITE_ROW)
        busy = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    if (busy)
        die("wal_checkpoint(TRUNCATE) (busy)", -EBUSY);
}

/* Bytes per table and index, when SQLite was built with the dbstat table
 * (Debian's is); silently nothing otherwise. */
static void print_dbstat(struct db *db, int64_t cases)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(db->conn,
                           "SELECT name, sum(pgsize), count(*) FROM dbstat GROUP BY name "
                           "ORDER BY sum(pgsize) DESC",
                           -1, &stmt, NULL) != SQLITE_OK) {
        printf("(no dbstat table in this SQLite: no per-table figures)\n");
        return;
    }
    printf("per table and index (dbstat, pages of used size):\n");
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        int64_t bytes = sqlite3_column_int64(stmt, 1);
        if (bytes <= 4096)
            continue; /* the empty ones: one page each */
        printf("  %-28s %10" PRId64 " bytes  %7.1f per case\n",
               (const char *)sqlite3_column_text(stmt, 0), bytes, (double)bytes / (double)cases);
    }
    sqlite3_finalize(stmt);
}

static void fill_holder(struct db_holder *h, int position, int64_t i)
{
    static const char *const names[] = { "Siti Rahmawati", "Ahmad Fauzi",
                                         "Maria Christina Simanjuntak", "Budi Santoso",
                                         "Desiree Kusuma", "Hendra Setiawan" };
    static const char *const titles[] = { "Kepala Seksi Surveilans", "Analis Kebijakan",
                                          "Pranata Komputer Ahli Pertama",
                                          "Kepala Bidang Pelayanan" };
    *h = (struct db_holder){ .position = position };
    const char *name = names[(i * 2 + position) % 6];
    snprintf(h->name, sizeof h->name, "%s", name);
    char nip[64];
    snprintf(nip, sizeof nip, "1985%04d20100%05d", (int)(i % 1231), (int)(i % 100000));
    snprintf(h->nip, sizeof h->nip, "%.18s", nip);
    snprintf(h->jabatan, sizeof h->jabatan, "%s", titles[(i + position) % 4]);
    snprintf(h->email, sizeof h->email, "pemegang%" PRId64 ".%d@opd.bekasikota.go.id", i,
             position);
}

static int64_t role_actor(enum role role, int64_t applicant)
{
    switch (role) {
    case ROLE_KADIS: return KADIS_ID;
    case ROLE_KABID: return KABID_ID;
    case ROLE_KASI: return KASI_ID;
    case ROLE_PELAKSANA: return PELAKSANA_ID;
    default: return applicant;
    }
}

/* One case from intake to closing, every write through the db layer. */
static void closed_case(struct db *db, const struct db_agency *agency, int64_t i, int64_t start)
{
    int64_t applicant = INT64_C(8100000000) + agency->id;
    struct db_case c = {
        .wf = { .agency_id = agency->id, .state = WF_S1_DISPOSISI_KADIS, .version = 1 },
        .applicant_id = applicant,
        .created_at = start,
    };
    snprintf(c.letter_number, sizeof c.letter_number, "800.1.2.3/%" PRId64 "/OPD-%" PRId64
             "/2026", i + 1, agency->id);
    cal_date_format(cal_day_of(start) - 2, c.letter_date);
    snprintf(c.subject, sizeof c.subject,
             "Permohonan Penerbitan Sertifikat Elektronik bagi Pejabat di Lingkungan %s",
             agency->name);
    check(db_case_insert(db, &c, agency->name, 2026), "db_case_insert");
    for (int p = 1; p <= 2; p++) {
        struct db_holder h;
        fill_holder(&h, p, i);
        check(db_holder_add(db, c.wf.case_id, &h), "db_holder_add");
    }

    /* The audit trail: an entry every 40 minutes or so over ten days. */
    int64_t at = start;
    for (size_t k = 0; k < LIFE_COUNT; k++) {
        const struct audit_step *s = &life[k];
        struct wf_audit a = {
            .actor_id = role_actor(s->role, applicant),
            .acted_as = s->role,
            .event = s->event,
            .note = s->note,
            .state_before = s->before,
            .state_after = s->after,
            .at_ms = at,
        };
        check(db_audit_add(db, c.wf.case_id, &a), "db_audit_add");
        at += (int64_t)(20 + (k * 37 + (size_t)i) % 600) * CAL_MINUTE_MS;
    }

    /* The disposition sheets of steps 1 and 2. */
    struct db_disposition d1 = { .step = 1, .author_id = KADIS_ID, .at = start + 30 * CAL_MINUTE_MS };
    snprintf(d1.acted_as, sizeof d1.acted_as, "kadis");
    snprintf(d1.instructions, sizeof d1.instructions, "0,2");
    snprintf(d1.sifat, sizeof d1.sifat, "segera");
    snprintf(d1.note, sizeof d1.note, "Mohon segera diproses sesuai ketentuan");
    check(db_disposition_add(db, c.wf.case_id, &d1), "db_disposition_add");
    struct db_disposition d2 = { .step = 2, .author_id = KABID_ID, .at = start + 70 * CAL_MINUTE_MS };
    snprintf(d2.acted_as, sizeof d2.acted_as, "kabid");
    snprintf(d2.instructions, sizeof d2.instructions, "3");
    snprintf(d2.sifat, sizeof d2.sifat, "segera");
    check(db_disposition_add(db, c.wf.case_id, &d2), "db_disposition_add");

    /* Seven step clocks, each started, then ended (some breached). */
    int64_t t = start;
    for (int step = 1; step <= 7; step++) {
        int64_t used = (int64_t)standards[step] * CAL_MINUTE_MS * (50 + (i + step) % 80) / 100;
        check(db_clock_start(db, c.wf.case_id, step, standards[step], t,
                             t + (int64_t)standards[step] * CAL_MINUTE_MS),
              "db_clock_start");
        struct db_clock clock;
        check(db_clock_open(db, c.wf.case_id, &clock), "db_clock_open");
        clock.ended_at = t + used + (step == 5 ? 3 * CAL_DAY_MS : 0);
        clock.office_ms = used;
        clock.breached = used > (int64_t)standards[step] * CAL_MINUTE_MS;
        clock.reminder_stage = clock.breached ? 3 : 1;
        clock.next_reminder = 0;
        check(db_clock_update(db, &clock), "db_clock_update");
        t = clock.ended_at + 10 * CAL_MINUTE_MS;
    }

    /* Closed. */
    c.wf.state = WF_CLOSED_SELESAI;
    c.wf.version = (uint32_t)LIFE_COUNT;
    c.wf.pelaksana_id = PELAKSANA_ID;
    c.wf.checklist_complete = c.wf.draft_ready = c.wf.files_confirmed = true;
    c.wf.draft_confirmed = c.wf.signed_letter_uploaded = true;
    c.wf.bsre_outcome = WF_BSRE_ACCEPTED;
    c.wf.session_at_ms = at - 2 * 3600000;
    snprintf(c.sifat, sizeof c.sifat, "segera");
    snprintf(c.session_place, sizeof c.session_place,
             "Ruang Rapat Diskominfo Kota Bekasi, Gedung Pemda Lt. 3");
    c.state_since = at;
    c.closed_at = at;
    check(db_case_update(db, &c), "db_case_update");
}

int main(int argc, char **argv)
{
    int64_t cases = argc > 1 ? strtoll(argv[1], NULL, 10) : 10000;
    if (cases < 1) {
        fprintf(stderr, "usage: bench_db_size [cases]\n");
        return 2;
    }
    log_set_level(LOG_WARN);

    char path[600], err[256];
    const char *dir = bench_scratch_make("sertibot-bench-db-size");
    snprintf(path, sizeof path, "%s/sertibot.db", dir);
    struct db *db = NULL;
    if (db_open(path, &db, err, sizeof err) != 0) {
        fprintf(stderr, "bench_db_size: db_open: %s\n", err);
        return 1;
    }

    char *names[AGENCY_COUNT];
    for (size_t i = 0; i < AGENCY_COUNT; i++)
        names[i] = (char *)agencies[i];
    check(db_agencies_sync(db, names, AGENCY_COUNT), "db_agencies_sync");
    check(db_begin(db), "db_begin");
    check(db_official_set(db, KADIS_ID, ROLE_KADIS, "Dr. H. Ahmad Zaini, M.Si."), "kadis");
    check(db_official_set(db, KABID_ID, ROLE_KABID, "Ir. Dewi Lestari, M.T."), "kabid");
    check(db_official_set(db, KASI_ID, ROLE_KASI, "Rina Marlina, S.T."), "kasi");
    check(db_official_set(db, PELAKSANA_ID, ROLE_PELAKSANA, "Fajar Nugroho"), "pelaksana");
    check(db_commit(db), "db_commit");
    struct db_agency list[AGENCY_COUNT + 8];
    size_t agency_count = 0;
    check(db_agencies_list(db, list, AGENCY_COUNT + 8, &agency_count), "db_agencies_list");
    if (agency_count == 0)
        die("agencies", -ENOENT);

    checkpoint(db);
    int64_t empty = bench_file_size(path);

    int64_t t0;
    check(cal_local_parse("2026-01-05 08:00", &t0), "cal_local_parse");
    int64_t t = bench_now_ns();
    for (int64_t i = 0; i < cases; i++) {
        if (i % BATCH_CASES == 0)
            check(db_begin(db), "db_begin");
        /* Cases arrive over the year, a few each working hour. */
        int64_t start = t0 + i * (300 * 24 * 3600000LL / cases) + (i % 7) * 60000;
        closed_case(db, &list[i % (int64_t)agency_count], i, start);
        if (i % BATCH_CASES == BATCH_CASES - 1 || i == cases - 1)
            check(db_commit(db), "db_commit");
    }
    int64_t build_ns = bench_now_ns() - t;
    checkpoint(db);

    int64_t size = bench_file_size(path);
    char wal[640];
    snprintf(wal, sizeof wal, "%s-wal", path);
    int64_t page_size = pragma_int(db, "PRAGMA page_size");
    int64_t page_count = pragma_int(db, "PRAGMA page_count");
    int64_t freelist = pragma_int(db, "PRAGMA freelist_count");

    printf("== bench_db_size: %" PRId64 " closed cases ==\n", cases);
    printf("each case: Buku Agenda entry, 2 holders, %zu audit entries, 2 dispositions, "
           "7 ended step clocks, closed\n", LIFE_COUNT);
    printf("written in %.2f s (%.0f cases/s, %d cases per transaction)\n",
           (double)build_ns / 1e9, (double)cases / ((double)build_ns / 1e9), BATCH_CASES);
    printf("rows: cases %" PRId64 ", agenda %" PRId64 ", holders %" PRId64 ", audit %" PRId64
           ", dispositions %" PRId64 ", step clocks %" PRId64 "\n",
           pragma_int(db, "SELECT count(*) FROM cases"),
           pragma_int(db, "SELECT count(*) FROM agenda"),
           pragma_int(db, "SELECT count(*) FROM case_holders"),
           pragma_int(db, "SELECT count(*) FROM audit"),
           pragma_int(db, "SELECT count(*) FROM dispositions"),
           pragma_int(db, "SELECT count(*) FROM step_clocks"));
    printf("after PRAGMA wal_checkpoint(TRUNCATE): database file %" PRId64 " bytes (%.2f MB), "
           "-wal %" PRId64 " bytes\n",
           size, (double)size / 1e6, bench_file_size(wal));
    printf("  page_size %" PRId64 ", page_count %" PRId64 ", freelist %" PRId64 "\n", page_size,
           page_count, freelist);
    printf("empty database (schema, agencies, officials): %" PRId64 " bytes\n", empty);
    printf("per case: %.0f bytes (whole file / cases), %.0f bytes (above the empty database)\n",
           (double)size / (double)cases, (double)(size - empty) / (double)cases);
    printf("per 10,000 closed cases: %.2f MB\n",
           (double)(size - empty) / (double)cases * 10000.0 / 1e6);
    print_dbstat(db, cases);

    db_close(db);
    bench_scratch_remove();
    return 0;
}
