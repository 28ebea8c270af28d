/* bench_scheduler: how long the scheduler takes to find and send due
 * reminders when 100,000 cases are open.
 *
 * A fresh database is built through the project's own db layer: 100,000 open
 * cases spread over the SOP's running states, each with two certificate
 * holders and its step clock running, the clock's deadline and reminder plan
 * computed by case_clock_plan (the bot's own code) on the bot's own calendar
 * (default hours plus the shipped holidays). Then it times, with
 * CLOCK_MONOTONIC:
 *   (a) db_clocks_next_reminder, the one indexed query that arms the
 *       scheduler's timer;
 *   (b) scheduler ticks at a "now" when about 1,000 reminders are due: each
 *       tick is db_begin + reminders_send_due + db_commit, as bot/scheduler.c
 *       does; a tick takes at most 256 clocks (DUE_BATCH), so the 1,000 take
 *       several ticks, and the drain is timed too (ticks plus the
 *       next-reminder look between them, as the scheduler re-arms at 0);
 *   (c) a tick when nothing is due.
 * It prints figures; it asserts nothing about time.
 *
 * Usage: bench_scheduler [open_cases [due [repetitions]]]
 *        (defaults 100000 1000 5) */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "bench_common.h"
#include "calendar_days.h"
#include "case_flow.h"
#include "config.h"
#include "db.h"
#include "db_cases.h"
#include "db_clocks.h"
#include "db_internal.h"
#include "db_registry.h"
#include "i18n.h"
#include "jobs.h"
#include "log.h"
#include "office_calendar.h"
#include "sla.h"
#include "workflow.h"

#define KADIS_ID INT64_C(7100000001)
#define KABID_ID INT64_C(7100000002)
#define KASI_ID INT64_C(7100000003)
#define PELAKSANA_COUNT 3
static const int64_t pelaksana_ids[PELAKSANA_COUNT] = {
    INT64_C(7100000011), INT64_C(7100000012), INT64_C(7100000013)
};

#define BATCH_CASES 5000
#define NEXT_REMINDER_CALLS 1000
#define IDLE_TICKS 101

static const char *const agencies[] = {
    "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
    "Badan Pendapatan Daerah",
    "Badan Perencanaan Pembangunan Daerah",
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Dinas Kesehatan",
    "Dinas Pendidikan",
    "Dinas Perhubungan",
    "Dinas Sosial",
    "Dinas Lingkungan Hidup",
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    "Dinas Bina Marga dan Sumber Daya Air",
    "Dinas Perumahan, Kawasan Permukiman dan Pertanahan",
    "Dinas Tenaga Kerja",
    "Dinas Koperasi dan UKM",
    "Dinas Perdagangan dan Perindustrian",
    "Dinas Pemuda dan Olahraga",
    "Dinas Arsip dan Perpustakaan",
    "Satuan Polisi Pamong Praja",
    "Inspektorat",
    "Sekretariat Daerah",
    "Sekretariat DPRD",
    "RSUD dr. Chasbullah Abdulmadjid",
    "Kecamatan Bekasi Timur",
    "Kecamatan Bekasi Barat",
};
#define AGENCY_COUNT (sizeof agencies / sizeof agencies[0])

/* The states whose step clock runs (the waits on the applicant and on BSrE
 * pause it), weighted by how many cases plausibly sit in each. */
struct state_mix {
    enum wf_state state;
    int weight;
};

static const struct state_mix mix[] = {
    { WF_S1_DISPOSISI_KADIS, 10 },  { WF_S2_DISPOSISI_KABID, 8 }, { WF_S3_VERIFIKASI_KASI, 22 },
    { WF_S4_PERIKSA_PELAKSANA, 6 }, { WF_S4_TTD_KADIS, 5 },       { WF_S4_KIRIM_BSRE, 4 },
    { WF_S5_LAPOR_KASI, 5 },        { WF_S6_SURAT_KASI, 10 },     { WF_S6_TTD_KADIS, 5 },
    { WF_S6_JADWAL, 10 },           { WF_S7_PENDAMPINGAN, 15 },
};
/* How much office time a clock has used at build time: uniform in
 * [0, 1.25 x the step's standard], so four in five are within their
 * standard (at a threshold stage) and one in five past it (hourly repeats). */
#define USED_PERCENT_MAX 125
#define MIX_COUNT (sizeof mix / sizeof mix[0])

static const char *const first_names[] = { "Siti", "Ahmad", "Dewi", "Budi", "Rina", "Agus",
                                           "Maria", "Hendra", "Nur", "Yusuf", "Desiree",
                                           "Fajar" };
static const char *const last_names[] = { "Rahmawati", "Fauzi", "Lestari", "Santoso",
                                          "Marlina", "Setiawan", "Simanjuntak", "Hidayat",
                                          "Aisyah", "Pratama", "Kusuma", "Nugroho" };
static const char *const jabatan[] = { "Kepala Seksi Surveilans", "Analis Kebijakan",
                                       "Pranata Komputer Ahli Pertama", "Sekretaris Dinas",
                                       "Kepala Bidang Pelayanan", "Bendahara Pengeluaran" };

static void die(const char *what, int rc)
{
    fprintf(stderr, "bench_scheduler: %s failed (%d)\n", what, rc);
    exit(1);
}

static void check(int rc, const char *what)
{
    if (rc)
        die(what, rc);
}

/* One integer from a query of our own (the bench's bookkeeping, not timed). */
static int64_t query_int(struct db *db, const char *sql, int64_t param)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(db->conn, sql, -1, &stmt, NULL) != SQLITE_OK)
        die(sqlite3_errmsg(db->conn), -EIO);
    sqlite3_bind_int64(stmt, 1, param);
    int64_t value = -1;
    if (sqlite3_step(stmt) == SQLITE_ROW)
        value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return value;
}

static void exec_sql(struct db *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db->conn, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "bench_scheduler: %s: %s\n", sql, msg ? msg : "?");
        exit(1);
    }
}

static int64_t due_count(struct db *db, int64_t now_ms)
{
    return query_int(db, "SELECT count(*) FROM step_clocks WHERE next_reminder IS NOT NULL "
                         "AND next_reminder <= ?1", now_ms);
}

static int64_t outbox_rows(struct db *db)
{
    int64_t n = 0;
    check(db_outbox_count(db, &n), "db_outbox_count");
    return n;
}

static const struct state_mix *pick_state(uint64_t *rng)
{
    int total = 0;
    for (size_t i = 0; i < MIX_COUNT; i++)
        total += mix[i].weight;
    int64_t r = bench_rand_below(rng, total);
    for (size_t i = 0; i < MIX_COUNT; i++) {
        if (r < mix[i].weight)
            return &mix[i];
        r -= mix[i].weight;
    }
    return &mix[0];
}

/* The office instant from which `office_ms` of office time runs up to `t0`:
 * the step started then, during office hours, as officials act. */
static int64_t office_start_before(const struct cal *cal, int64_t t0, int64_t office_ms)
{
    int64_t lo = t0 - 30 * CAL_DAY_MS, hi = t0;
    if (office_ms <= 0)
        return t0;
    if (cal_office_ms_between(cal, lo, t0) < office_ms)
        die("office_start_before", -ERANGE);
    /* between(lo, t0) >= office_ms > between(hi, t0); it shrinks as the start grows. */
    while (hi - lo > 1) {
        int64_t mid = lo + (hi - lo) / 2;
        if (cal_office_ms_between(cal, mid, t0) >= office_ms)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static void add_holder(struct db *db, int64_t case_id, int position, uint64_t *rng,
                       const char *domain)
{
    struct db_holder h = { .position = position };
    const char *first = first_names[bench_rand_below(rng, 12)];
    const char *last = last_names[bench_rand_below(rng, 12)];
    snprintf(h.name, sizeof h.name, "%s %s", first, last);
    /* An 18-digit NIP: birth date, appointment month, sex, serial. */
    char nip[64];
    snprintf(nip, sizeof nip, "19%02d%02d%02d20%02d%02d1%03d", 70 + (int)bench_rand_below(rng, 30),
             1 + (int)bench_rand_below(rng, 12), 1 + (int)bench_rand_below(rng, 28),
             5 + (int)bench_rand_below(rng, 18), 1 + (int)bench_rand_below(rng, 12),
             (int)bench_rand_below(rng, 1000));
    snprintf(h.nip, sizeof h.nip, "%.18s", nip);
    snprintf(h.jabatan, sizeof h.jabatan, "%s", jabatan[bench_rand_below(rng, 6)]);
    snprintf(h.email, sizeof h.email, "%s.%s@%s.bekasikota.go.id", first, last, domain);
    for (char *p = h.email; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    check(db_holder_add(db, case_id, &h), "db_holder_add");
}

/* The officials who receive the reminders, known to the bot as people who
 * wrote to it (so their language is looked up as in production). */
static void add_officials(struct db *db, int64_t now_ms)
{
    check(db_official_set(db, KADIS_ID, ROLE_KADIS, "Dr. H. Ahmad Zaini, M.Si."), "kadis");
    check(db_official_set(db, KABID_ID, ROLE_KABID, "Ir. Dewi Lestari, M.T."), "kabid");
    check(db_official_set(db, KASI_ID, ROLE_KASI, "Rina Marlina, S.T."), "kasi");
    check(db_user_touch(db, KADIS_ID, "Ahmad", "kadis_bekasi", "id", now_ms), "touch");
    check(db_user_touch(db, KABID_ID, "Dewi", NULL, "id", now_ms), "touch");
    check(db_user_touch(db, KASI_ID, "Rina", "rina_m", "en", now_ms), "touch");
    for (int i = 0; i < PELAKSANA_COUNT; i++) {
        char name[64];
        snprintf(name, sizeof name, "Pelaksana %d", i + 1);
        check(db_official_set(db, pelaksana_ids[i], ROLE_PELAKSANA, name), "pelaksana");
        check(db_user_touch(db, pelaksana_ids[i], name, NULL, i ? "id" : "en", now_ms), "touch");
    }
}

/* Builds the open cases; returns the number of running clocks. */
static int64_t build_cases(struct app *app, int64_t open_cases, int64_t t0)
{
    struct db *db = app->db;
    char *names[AGENCY_COUNT];
    for (size_t i = 0; i < AGENCY_COUNT; i++)
        names[i] = (char *)agencies[i];
    check(db_agencies_sync(db, names, AGENCY_COUNT), "db_agencies_sync");
    check(db_begin(db), "db_begin");
    add_officials(db, t0);
    check(db_commit(db), "db_commit");
    struct db_agency list[AGENCY_COUNT + 8];
    size_t agency_count = 0;
    check(db_agencies_list(db, list, AGENCY_COUNT + 8, &agency_count), "db_agencies_list");
    if (agency_count == 0)
        die("agencies", -ENOENT);
    int standards[8] = { 0 };
    for (int step = 1; step <= 7; step++)
        check(db_standard_get(db, step, &standards[step]), "db_standard_get");

    uint64_t rng = UINT64_C(0x5e271b07);
    int year, month, day;
    cal_civil_from_days(cal_day_of(t0), &year, &month, &day);
    int64_t running = 0;
    for (int64_t i = 0; i < open_cases; i++) {
        if (i % BATCH_CASES == 0)
            check(db_begin(db), "db_begin");
        const struct state_mix *m = pick_state(&rng);
        int step = wf_state_step(m->state);
        const struct db_agency *agency = &list[bench_rand_below(&rng, (int64_t)agency_count)];
        int64_t used = 1 + bench_rand_below(&rng, (int64_t)standards[step] * CAL_MINUTE_MS *
                                                      USED_PERCENT_MAX / 100);
        int64_t started = office_start_before(&app->cal, t0, used);
        int64_t created = started - bench_rand_below(&rng, (int64_t)(step - 1) * 2 * CAL_DAY_MS + 1);

        struct db_case c = {
            .wf = { .agency_id = agency->id, .state = m->state, .version = (uint32_t)(2 * step) },
            .applicant_id = INT64_C(8100000000) + agency->id,
            .created_at = created,
        };
        snprintf(c.letter_number, sizeof c.letter_number, "800/%" PRId64 "/OPD-%" PRId64 "/%d",
                 i + 1, agency->id, year);
        cal_date_format(cal_day_of(created), c.letter_date);
        snprintf(c.subject, sizeof c.subject,
                 "Permohonan Penerbitan Sertifikat Elektronik bagi Pejabat di Lingkungan %s",
                 agency->name);
        check(db_case_insert(db, &c, agency->name, year), "db_case_insert");
        c.state_since = started;
        if (step >= 4)
            c.wf.pelaksana_id = pelaksana_ids[i % PELAKSANA_COUNT];
        c.wf.checklist_complete = step >= 4;
        c.wf.draft_ready = step >= 4;
        snprintf(c.sifat, sizeof c.sifat, "%s", i % 3 ? "biasa" : "segera");
        check(db_case_update(db, &c), "db_case_update");
        add_holder(db, c.wf.case_id, 1, &rng, "opd");
        add_holder(db, c.wf.case_id, 2, &rng, "opd");

        /* The clock as the bot starts it (case_flow.c: db_clock_start, then
         * the reminder plan as of now through db_clock_update). */
        struct db_clock clock = { .started_at = started, .standard_minutes = standards[step] };
        case_clock_plan(app, &clock, t0);
        check(db_clock_start(db, c.wf.case_id, step, standards[step], started, clock.deadline),
              "db_clock_start");
        struct db_clock stored;
        check(db_clock_open(db, c.wf.case_id, &stored), "db_clock_open");
        stored.reminder_stage = clock.reminder_stage;
        stored.next_reminder = clock.next_reminder;
        check(db_clock_update(db, &stored), "db_clock_update");
        running += stored.next_reminder != 0;
        if (i % BATCH_CASES == BATCH_CASES - 1 || i == open_cases - 1)
            check(db_commit(db), "db_commit");
    }
    return running;
}

/* The k-th earliest next reminder (1-based): "now" for k clocks due. */
static int64_t kth_reminder(struct db *db, int64_t k)
{
    return query_int(db, "SELECT next_reminder FROM step_clocks WHERE next_reminder IS NOT NULL "
                         "ORDER BY next_reminder LIMIT 1 OFFSET ?1", k - 1);
}

static void print_spread(struct db *db, int64_t running, int64_t t0)
{
    static const int percents[] = { 0, 1, 10, 25, 50, 75, 90, 100 };
    printf("  next_reminder after build time, in hours:");
    for (size_t i = 0; i < sizeof percents / sizeof percents[0]; i++) {
        int64_t k = running * percents[i] / 100;
        if (k < 1)
            k = 1;
        int64_t at = kth_reminder(db, k);
        printf(" p%d %.1f", percents[i], (double)(at - t0) / 3600000.0);
    }
    printf("\n");
    int64_t overdue = query_int(db, "SELECT count(*) FROM step_clocks WHERE ended_at IS NULL "
                                    "AND deadline <= ?1", t0);
    printf("  clocks past their deadline at build time: %" PRId64 " of %" PRId64 "\n", overdue,
           running);
}

/* One scheduler tick's database part, as bot/scheduler.c runs it; its
 * db_commit (the WAL append and fsync) is also given apart in *commit_ns. */
static int64_t tick(struct app *app, int64_t now_ms, int64_t *commit_ns)
{
    int64_t t = bench_now_ns();
    int rc = db_begin(app->db);
    if (!rc)
        rc = reminders_send_due(app, now_ms);
    int64_t c = bench_now_ns();
    if (!rc)
        rc = db_commit(app->db);
    int64_t end = bench_now_ns();
    if (rc) {
        db_rollback(app->db);
        die("reminders tick", rc);
    }
    if (commit_ns)
        *commit_ns = end - c;
    return end - t;
}

static void print_stats_line(const char *label, int64_t *v, size_t n)
{
    int64_t min, median, max;
    bench_stats(v, n, &min, &median, &max);
    printf("%-52s min %9.3f ms  median %9.3f ms  max %9.3f ms  (n=%zu)\n", label, bench_ms(min),
           bench_ms(median), bench_ms(max), n);
}

int main(int argc, char **argv)
{
    int64_t open_cases = argc > 1 ? strtoll(argv[1], NULL, 10) : 100000;
    int64_t due_target = argc > 2 ? strtoll(argv[2], NULL, 10) : 1000;
    int reps = argc > 3 ? atoi(argv[3]) : 5;
    if (open_cases < 1 || due_target < 1 || reps < 1 || reps > 100) {
        fprintf(stderr, "usage: bench_scheduler [open_cases [due [repetitions]]]\n");
        return 2;
    }
    log_set_level(LOG_WARN);

    char path[600], err[256];
    const char *dir = bench_scratch_make("sertibot-bench-scheduler");
    snprintf(path, sizeof path, "%s/sertibot.db", dir);

    struct config cfg;
    memset(&cfg, 0, sizeof cfg);
    sla_policy_default(&cfg.reminders);
    struct app app;
    memset(&app, 0, sizeof app);
    app.cfg = &cfg;
    if (db_open(path, &app.db, err, sizeof err) != 0) {
        fprintf(stderr, "bench_scheduler: db_open: %s\n", err);
        return 1;
    }
    if (i18n_load(&app.i18n, err, sizeof err) != 0) {
        fprintf(stderr, "bench_scheduler: i18n_load: %s\n", err);
        return 1;
    }
    cal_init_default(&app.cal);
    /* The calendar the bot runs on: default hours and the shipped holidays. */
    if (calendar_days_load(&app.cal, &cfg, app.db, err, sizeof err) != 0) {
        fprintf(stderr, "bench_scheduler: calendar_days_load: %s\n", err);
        return 1;
    }

    /* A Tuesday morning, office hours, no holiday near. */
    int64_t t0;
    check(cal_local_parse("2026-02-10 10:00", &t0), "cal_local_parse");

    printf("== bench_scheduler: reminders with %" PRId64 " open cases ==\n", open_cases);
    printf("database: %s (WAL, synchronous=FULL as db_open sets it; removed at the end)\n", path);
    int64_t t = bench_now_ns();
    int64_t running = build_cases(&app, open_cases, t0);
    int64_t build_ns = bench_now_ns() - t;
    exec_sql(app.db, "PRAGMA wal_checkpoint(TRUNCATE)");
    printf("built %" PRId64 " open cases (2 holders, 1 running step clock each) in %.1f s; "
           "file %.1f MB\n",
           open_cases, (double)build_ns / 1e9, (double)bench_file_size(path) / 1e6);
    printf("  clocks with a next reminder: %" PRId64 "\n", running);
    print_spread(app.db, running, t0);
    if (running < due_target) {
        fprintf(stderr, "bench_scheduler: only %" PRId64 " clocks have a reminder\n", running);
        return 1;
    }

    /* (a) the look that arms the timer. */
    int64_t *samples = calloc(NEXT_REMINDER_CALLS, sizeof *samples);
    if (!samples)
        die("calloc", -ENOMEM);
    int64_t when = 0;
    for (int i = 0; i < NEXT_REMINDER_CALLS; i++) {
        int64_t s = bench_now_ns();
        check(db_clocks_next_reminder(app.db, &when), "db_clocks_next_reminder");
        samples[i] = bench_now_ns() - s;
    }
    printf("\n(a) db_clocks_next_reminder (arms the scheduler's timer)\n");
    print_stats_line("    one call", samples, NEXT_REMINDER_CALLS);
    free(samples);

    /* (b) ticks at a now when due_target reminders are due. */
    int64_t first_tick[100], first_commit[100], drain[100], due_query[100];
    int64_t total_clocks = 0, total_messages = 0, total_ticks = 0;
    int64_t last_now = t0;
    printf("\n(b) reminders at a now when %" PRId64 " are due: db_begin + reminders_send_due + "
           "db_commit per tick (at most 256 clocks a tick)\n", due_target);
    for (int r = 0; r < reps; r++) {
        exec_sql(app.db, "DELETE FROM outbox"); /* the sender would have sent them */
        int64_t now = kth_reminder(app.db, due_target);
        int64_t due = due_count(app.db, now);
        int64_t outbox_before = outbox_rows(app.db);

        /* The due query alone (read only, so it can be repeated). */
        struct db_clock *rows = calloc(256, sizeof *rows);
        if (!rows)
            die("calloc", -ENOMEM);
        size_t got = 0;
        int64_t s = bench_now_ns();
        check(db_clocks_due(app.db, now, rows, 256, &got), "db_clocks_due");
        due_query[r] = bench_now_ns() - s;
        free(rows);

        int64_t due_before_tick = due;
        first_tick[r] = tick(&app, now, &first_commit[r]);
        int64_t first_clocks = due_before_tick - due_count(app.db, now);
        int64_t first_messages = outbox_rows(app.db) - outbox_before;
        int ticks = 1;
        int64_t total = first_tick[r];
        for (;;) {
            s = bench_now_ns();
            int rc = db_clocks_next_reminder(app.db, &when);
            total += bench_now_ns() - s;
            if (rc == -ENOENT || (rc == 0 && when > now))
                break;
            check(rc, "db_clocks_next_reminder");
            total += tick(&app, now, NULL);
            ticks++;
            if (ticks > 10000)
                die("drain does not end", -ELOOP);
        }
        drain[r] = total;
        int64_t messages = outbox_rows(app.db) - outbox_before;
        total_clocks += due;
        total_messages += messages;
        total_ticks += ticks;
        last_now = now;
        printf("    run %d: now = build time + %.1f min; %" PRId64 " due; first tick: %" PRId64
               " clocks, %" PRId64 " outbox rows, %.3f ms; drain: %d ticks, %" PRId64
               " outbox rows, %.3f ms\n",
               r + 1, (double)(now - t0) / 60000.0, due, first_clocks, first_messages,
               bench_ms(first_tick[r]), ticks, messages, bench_ms(drain[r]));
    }
    print_stats_line("    db_clocks_due alone (up to 256 rows)", due_query, (size_t)reps);
    print_stats_line("    first tick (up to 256 clocks)", first_tick, (size_t)reps);
    print_stats_line("      of which its db_commit", first_commit, (size_t)reps);
    print_stats_line("    all ticks until nothing is due", drain, (size_t)reps);
    printf("    over %d runs: %" PRId64 " clocks reminded in %" PRId64 " ticks, %" PRId64
           " outbox rows (%.1f per tick)\n",
           reps, total_clocks, total_ticks, total_messages,
           (double)total_messages / (double)total_ticks);

    /* (c) a tick when nothing is due. */
    int64_t idle[IDLE_TICKS];
    int64_t outbox_before = outbox_rows(app.db);
    for (int i = 0; i < IDLE_TICKS; i++)
        idle[i] = tick(&app, last_now, NULL);
    printf("\n(c) a tick when nothing is due (%" PRId64 " due, %" PRId64 " outbox rows written)\n",
           due_count(app.db, last_now), outbox_rows(app.db) - outbox_before);
    print_stats_line("    db_begin + reminders_send_due + db_commit", idle, IDLE_TICKS);

    db_close(app.db);
    i18n_free(app.i18n);
    cal_free(&app.cal);
    bench_scratch_remove();
    return 0;
}
