/* letters: the recommendation, the notification and the disposition sheet
 * are built from a real database and the shipped catalogs, and a real reader
 * (poppler's pdftotext) finds in them what the officials need: the holders,
 * the applicant's letter, the signer, the agenda number, the instructions
 * ticked and not ticked.
 *
 * poppler-utils must be installed (scripts/deps.sh installs it); without it
 * these tests fail rather than skip. Set SERTIBOT_LETTER_SAMPLE=/tmp/x to keep
 * the three documents as /tmp/x-rec.pdf, -notif.pdf and -sheet.pdf for a look
 * (pdftoppm -png -r 60 /tmp/x-rec.pdf /tmp/rec). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "config.h"
#include "db.h"
#include "db_cases.h"
#include "db_letters.h"
#include "db_registry.h"
#include "i18n.h"
#include "letters.h"
#include "letters_sign.h"
#include "office_calendar.h"

/* UTF-8 spellings used below. */
#define DESIREE "D\xc3\xa9sir\xc3\xa9" "e \xc3\x91\xc3\xba\xc3\xb1" "ez" /* Désirée Ñúñez */

#define KADIS_ID 1001
#define KABID_ID 1002
#define KASI_ID 1003
#define KADIS_NAME "Dr. Siti Rahmawati, M.Si."
#define KABID_NAME "Bambang Hermawan, S.Kom."
#define AGENCY "Dinas Kesehatan"
#define LETTER_NUMBER "800/1234/Dinkes/XI/2026"
#define PKS_NUMBER "PKS.17/BSSN/D3/2025"
#define REJECT_REASON "NIP pemohon kedua tidak sesuai dengan data BKN"

struct fixture {
    char path[256];
    struct db *db;
    struct i18n *i18n;
    struct config cfg;
    char pks_number[64];
    struct app app;
    int64_t now;
    struct db_case c;
};

static int64_t fixed_now(void *context)
{
    return *(const int64_t *)context;
}

static int64_t wib(const char *local)
{
    int64_t ms;
    assert_int_equal(cal_local_parse(local, &ms), 0);
    return ms;
}

static void add_holder(struct fixture *f, int position, const char *name, const char *nip,
                       const char *jabatan, const char *email)
{
    struct db_holder h = { .position = position };
    snprintf(h.name, sizeof h.name, "%s", name);
    snprintf(h.nip, sizeof h.nip, "%s", nip);
    snprintf(h.jabatan, sizeof h.jabatan, "%s", jabatan);
    snprintf(h.email, sizeof h.email, "%s", email);
    assert_int_equal(db_holder_add(f->db, f->c.wf.case_id, &h), 0);
}

static void add_disposition(struct fixture *f, int step, int64_t author, const char *role,
                            bool via_plh, const char *instructions, const char *sifat,
                            const char *note, const char *at)
{
    struct db_disposition d = { .step = step, .author_id = author, .via_plh = via_plh,
                                .at = wib(at) };
    snprintf(d.acted_as, sizeof d.acted_as, "%s", role);
    snprintf(d.instructions, sizeof d.instructions, "%s", instructions);
    snprintf(d.sifat, sizeof d.sifat, "%s", sifat);
    snprintf(d.note, sizeof d.note, "%s", note);
    assert_int_equal(db_disposition_add(f->db, f->c.wf.case_id, &d), 0);
}

/* A case of the health office with three holders, dispositioned by the Kadis
 * and then by the Kasi acting for the Kabid (Plh). */
static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->path, sizeof f->path, "/tmp/sertibot-test-letters-%d.db", (int)getpid());
    unlink(f->path);
    char err[256];
    if (db_open(f->path, &f->db, err, sizeof err) != 0)
        fail_msg("db_open: %s", err);
    if (i18n_load(&f->i18n, err, sizeof err) != 0)
        fail_msg("i18n_load: %s", err);

    snprintf(f->pks_number, sizeof f->pks_number, "%s", PKS_NUMBER);
    f->cfg.has_pks = true;
    f->cfg.pks_number = f->pks_number;
    snprintf(f->cfg.pks_signed, sizeof f->cfg.pks_signed, "2025-03-17");
    snprintf(f->cfg.pks_valid_until, sizeof f->cfg.pks_valid_until, "2030-03-16");

    f->now = wib("2026-11-26 10:00");
    f->app.cfg = &f->cfg;
    f->app.db = f->db;
    f->app.i18n = f->i18n;
    f->app.clock = (struct clock){ .now_ms = fixed_now, .context = &f->now };

    char *agencies[] = { "Badan Pendapatan Daerah", AGENCY };
    assert_int_equal(db_agencies_sync(f->db, agencies, 2), 0);
    struct db_agency list[4];
    size_t n = 0;
    assert_int_equal(db_agencies_list(f->db, list, 4, &n), 0);
    int64_t agency_id = 0;
    /* db_agencies_list writes at most 4, but says so only in its contract: the
     * bound is spelled out so the optimiser does not see a read past `list`. */
    assert_true(n <= sizeof list / sizeof list[0]);
    for (size_t i = 0; i < n && i < sizeof list / sizeof list[0]; i++)
        if (strcmp(list[i].name, AGENCY) == 0)
            agency_id = list[i].id;
    assert_true(agency_id > 0);

    assert_int_equal(db_official_set(f->db, KADIS_ID, ROLE_KADIS, KADIS_NAME), 0);
    assert_int_equal(db_official_set(f->db, KABID_ID, ROLE_KABID, KABID_NAME), 0);
    assert_int_equal(db_official_set(f->db, KASI_ID, ROLE_KASI, "Rina Marlina, S.T."), 0);

    struct db_case c = {
        .wf = { .agency_id = agency_id, .state = WF_S3_VERIFIKASI_KASI, .version = 3 },
        .applicant_id = 5001,
        .created_at = wib("2026-11-23 09:12"),
    };
    snprintf(c.letter_number, sizeof c.letter_number, "%s", LETTER_NUMBER);
    snprintf(c.letter_date, sizeof c.letter_date, "2026-11-20");
    snprintf(c.subject, sizeof c.subject, "Permohonan Sertifikat Elektronik & TTE");
    assert_int_equal(db_case_insert(f->db, &c, AGENCY, 2026), 0);
    f->c = c;
    add_holder(f, 1, DESIREE, "198503122010012017", "Kepala Seksi Surveilans",
               "desiree@dinkes.bekasikota.go.id");
    add_holder(f, 2, "Ahmad Fauzi", "199001012015031002", "Analis Kebijakan",
               "ahmad.fauzi@dinkes.bekasikota.go.id");
    add_holder(f, 3, "Maria Christina Simanjuntak", "198811302012122001", "Pranata Komputer",
               "maria.s@dinkes.bekasikota.go.id");
    add_disposition(f, 1, KADIS_ID, "kadis", false, "0,2", "segera+rahasia",
                    "Mohon segera diproses", "2026-11-23 09:40");
    add_disposition(f, 2, KASI_ID, "kabid", true, "3", "segera", "", "2026-11-23 10:05");
    assert_int_equal(db_case_get(f->db, c.wf.case_id, &f->c), 0);
    assert_int_equal(f->c.holders_count, 3);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    db_close(f->db);
    i18n_free(f->i18n);
    char other[300];
    unlink(f->path);
    snprintf(other, sizeof other, "%s-wal", f->path);
    unlink(other);
    snprintf(other, sizeof other, "%s-shm", f->path);
    unlink(other);
    free(f);
    return 0;
}

/* --- helpers: a real reader -------------------------------------------------- */

static void keep_sample(const char *suffix, const unsigned char *pdf, size_t len)
{
    const char *base = getenv("SERTIBOT_LETTER_SAMPLE");
    if (!base || !*base)
        return;
    char path[1024];
    snprintf(path, sizeof path, "%s-%s.pdf", base, suffix);
    FILE *out = fopen(path, "wb");
    assert_non_null(out);
    assert_int_equal(fwrite(pdf, 1, len, out), len);
    assert_int_equal(fclose(out), 0);
}

/* Writes the PDF to a new temporary file, whose name goes into `path`
 * (the caller unlinks it). */
static void temp_pdf(const unsigned char *pdf, size_t len, char *path, size_t size)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, size, "%s/test_letters_XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, pdf, len), (ssize_t)len);
    assert_int_equal(close(fd), 0);
}

/* pdftotext -layout of the PDF as it prints it: pages end with '\f'. */
static char *pdf_raw_text(const unsigned char *pdf, size_t len)
{
    if (system("command -v pdftotext >/dev/null 2>&1") != 0)
        fail_msg("pdftotext not found: install poppler-utils "
                 "(scripts/deps.sh, or apt-get install -y poppler-utils)");
    char path[4096];
    temp_pdf(pdf, len, path, sizeof path);

    char cmd[4200];
    snprintf(cmd, sizeof cmd, "pdftotext -layout -enc UTF-8 '%s' - 2>&1", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 8192, n = 0;
    char *raw = malloc(cap);
    assert_non_null(raw);
    for (size_t got; (got = fread(raw + n, 1, cap - n - 1, p)) > 0;) {
        n += got;
        if (cap - n < 1024) {
            cap *= 2;
            raw = realloc(raw, cap);
            assert_non_null(raw);
        }
    }
    raw[n] = '\0';
    int status = pclose(p);
    unlink(path);
    if (status != 0)
        fail_msg("pdftotext failed (status %d): %s", status, raw);
    if (strstr(raw, "Syntax Error") || strstr(raw, "Syntax Warning"))
        fail_msg("pdftotext complained: %s", raw);
    return raw;
}

/* The text with every run of white space (page breaks too) made one space,
 * so that wrapped sentences and table cells read as one line. */
static char *squeeze(const char *raw)
{
    char *text = malloc(strlen(raw) + 1), *o = text;
    assert_non_null(text);
    bool space = false;
    for (const char *s = raw; *s; s++) {
        if (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\f' || *s == '\r') {
            space = o > text;
        } else {
            if (space)
                *o++ = ' ';
            space = false;
            *o++ = *s;
        }
    }
    *o = '\0';
    return text;
}

static char *pdf_text(const unsigned char *pdf, size_t len)
{
    char *raw = pdf_raw_text(pdf, len);
    char *text = squeeze(raw);
    free(raw);
    return text;
}

/* The squeezed text of the last page. */
static char *pdf_last_page(const unsigned char *pdf, size_t len, int *pages)
{
    char *raw = pdf_raw_text(pdf, len);
    size_t n = strlen(raw);
    if (n && raw[n - 1] == '\f')
        raw[--n] = '\0';
    *pages = 1;
    for (size_t i = 0; i < n; i++)
        *pages += raw[i] == '\f';
    char *last = strrchr(raw, '\f');
    char *text = squeeze(last ? last + 1 : raw);
    free(raw);
    return text;
}

#define assert_contains(hay, needle)                                                   \
    do {                                                                               \
        if (!strstr((hay), (needle)))                                                  \
            fail_msg("expected \"%s\" in:\n%s", (needle), (hay));                      \
    } while (0)

#define assert_lacks(hay, needle)                                                      \
    do {                                                                               \
        if (strstr((hay), (needle)))                                                   \
            fail_msg("did not expect \"%s\" in:\n%s", (needle), (hay));                \
    } while (0)

typedef int (*maker)(struct app *, const struct db_case *, unsigned char **, size_t *);

/* Each of `items` is found in `text` after the one before it. */
static void assert_in_order(const char *text, const char *const *items, size_t count)
{
    const char *at = text;
    for (size_t i = 0; i < count; i++) {
        const char *found = strstr(at, items[i]);
        if (!found)
            fail_msg("expected \"%s\" after \"%s\" in:\n%s", items[i], i ? items[i - 1] : "",
                     text);
        at = found + strlen(items[i]);
    }
}

/* Makes a document, checks it is a PDF, keeps a sample if asked, and
 * returns its text; *raw_out (may be NULL) gets the file itself. */
static char *make(struct fixture *f, maker fn, const char *sample, unsigned char **raw_out,
                  size_t *len_out)
{
    unsigned char *pdf = NULL;
    size_t len = 0;
    assert_int_equal(fn(&f->app, &f->c, &pdf, &len), 0);
    assert_non_null(pdf);
    assert_true(len > 100);
    assert_memory_equal(pdf, "%PDF-1.", 7);
    keep_sample(sample, pdf, len);
    char *text = pdf_text(pdf, len);
    if (raw_out) {
        *raw_out = pdf;
        *len_out = len;
    } else {
        free(pdf);
    }
    return text;
}

/* --- the recommendation ------------------------------------------------------ */

static void test_recommendation_lists_holders_letter_pks_and_kadis(void **state)
{
    struct fixture *f = *state;
    char *text = make(f, letters_recommendation, "rec", NULL, NULL);
    assert_contains(text, "PEMERINTAH KOTA BEKASI");
    assert_contains(text, "DINAS KOMUNIKASI, INFORMATIKA, STATISTIK DAN PERSANDIAN");
    /* A draft has no number yet: the format with "draf" for the sequence. */
    assert_contains(text, "Nomor : 000.6/draf/Diskominfostandi");
    assert_contains(text, "26 November 2026");
    assert_contains(text, "Rekomendasi Penerbitan Sertifikat Elektronik");
    assert_contains(text, "Balai Sertifikasi Elektronik");
    assert_contains(text, "3 berkas");
    /* The applicant's letter, its date in words, the PKS. */
    assert_contains(text, LETTER_NUMBER);
    assert_contains(text, "20 November 2026");
    assert_contains(text, PKS_NUMBER);
    assert_contains(text, "17 Maret 2025");
    /* Every holder, with NIP, in the table; accents survive. */
    assert_contains(text, DESIREE);
    assert_contains(text, "198503122010012017");
    assert_contains(text, "Ahmad Fauzi");
    assert_contains(text, "199001012015031002");
    /* A long name wraps in its cell; NIPs and addresses are never cut. */
    assert_contains(text, "Maria Christina");
    assert_contains(text, "Simanjuntak");
    assert_contains(text, "198811302012122001");
    assert_contains(text, "Pranata");
    assert_contains(text, "desiree@dinkes.bekasikota.go.id");
    assert_contains(text, "ahmad.fauzi@dinkes.bekasikota.go.id");
    /* Signed by the Kadis; no NIP is known, so no dotted NIP line. */
    assert_contains(text, KADIS_NAME);
    assert_lacks(text, "NIP. ");
    assert_lacks(text, "Plh.");
    assert_contains(text, "Tembusan:");
    assert_contains(text, "Kepala " AGENCY);
    free(text);
}

/* A renewal (issue 14) says so in both letters' subject, and the
 * recommendation's first paragraph asks for a renewal. */
static void test_renewal_letters_say_perpanjangan(void **state)
{
    struct fixture *f = *state;
    f->c.kind = DB_CASE_RENEWAL;
    char *text = make(f, letters_recommendation, NULL, NULL, NULL);
    assert_contains(text, "Rekomendasi Perpanjangan Sertifikat Elektronik");
    assert_contains(text, "merekomendasikan perpanjangan sertifikat elektronik");
    assert_lacks(text, "Rekomendasi Penerbitan");
    free(text);
    f->c.wf.bsre_outcome = WF_BSRE_ACCEPTED;
    text = make(f, letters_notification, NULL, NULL, NULL);
    assert_contains(text, "Pemberitahuan Hasil Permohonan Perpanjangan Sertifikat Elektronik");
    free(text);
}

static void test_values_are_plain_text_not_html(void **state)
{
    struct fixture *f = *state;
    char *text = make(f, letters_recommendation, NULL, NULL, NULL);
    assert_contains(text, "Permohonan Sertifikat Elektronik & TTE");
    assert_lacks(text, "&amp;");
    free(text);
}

static void test_sifat_defaults_to_biasa_and_follows_the_case(void **state)
{
    struct fixture *f = *state;
    char *text = make(f, letters_recommendation, NULL, NULL, NULL);
    assert_contains(text, "Sifat : Biasa");
    free(text);
    snprintf(f->c.sifat, sizeof f->c.sifat, "segera+rahasia");
    text = make(f, letters_recommendation, NULL, NULL, NULL);
    assert_contains(text, "Sifat : Segera, Rahasia");
    free(text);
}

static void test_plh_kadis_signs_while_appointed(void **state)
{
    struct fixture *f = *state;
    int64_t id = 0;
    assert_int_equal(db_plh_add(f->db, ROLE_KADIS, KABID_ID, "2026-11-25", "2026-11-27",
                                DB_PLH_KIND_PLH, KADIS_ID, f->now, &id), 0);
    char *text = make(f, letters_recommendation, NULL, NULL, NULL);
    assert_contains(text, KABID_NAME);
    assert_contains(text, "Plh. KEPALA DINAS");
    assert_lacks(text, KADIS_NAME);
    free(text);
    /* The day after the appointment ends, the Kadis signs again. */
    f->now = wib("2026-11-28 08:00");
    text = make(f, letters_recommendation, NULL, NULL, NULL);
    assert_contains(text, KADIS_NAME);
    assert_lacks(text, "Plh.");
    free(text);
}

/* A Plt. (the post is vacant) signs with "Plt.", never "Plh.". */
static void test_plt_kadis_signs_as_plt(void **state)
{
    struct fixture *f = *state;
    int64_t id = 0;
    assert_int_equal(db_plh_add(f->db, ROLE_KADIS, KABID_ID, "2026-11-25", "2026-11-27",
                                DB_PLH_KIND_PLT, KADIS_ID, f->now, &id), 0);
    char *text = make(f, letters_recommendation, NULL, NULL, NULL);
    assert_contains(text, KABID_NAME);
    assert_contains(text, "Plt. KEPALA DINAS");
    assert_lacks(text, "Plh.");
    free(text);
}

static void test_missing_pks_leaves_blanks(void **state)
{
    struct fixture *f = *state;
    f->cfg.has_pks = false;
    f->cfg.pks_number = NULL;
    f->cfg.pks_signed[0] = '\0';
    char *text = make(f, letters_recommendation, NULL, NULL, NULL);
    assert_lacks(text, PKS_NUMBER);
    assert_contains(text, "Nomor .................... tanggal ....................");
    free(text);
}

/* --- the notification -------------------------------------------------------- */

static void test_notification_accepted_announces_assisted_login(void **state)
{
    struct fixture *f = *state;
    f->c.wf.bsre_outcome = WF_BSRE_ACCEPTED;
    char *text = make(f, letters_notification, "notif", NULL, NULL);
    assert_contains(text, "Pemberitahuan Hasil Permohonan Sertifikat Elektronik");
    assert_contains(text, "Kepala " AGENCY);
    assert_contains(text, LETTER_NUMBER);
    assert_contains(text, "telah menyetujui");
    assert_contains(text, "diaktivasi");
    assert_contains(text, "pendampingan");
    assert_contains(text, "akan kami sepakati");
    assert_contains(text, DESIREE);
    assert_contains(text, "199001012015031002");
    assert_contains(text, KADIS_NAME);
    free(text);

    f->c.wf.session_at_ms = wib("2026-12-02 09:30");
    snprintf(f->c.session_place, sizeof f->c.session_place, "Ruang Rapat Diskominfo Lantai 3");
    text = make(f, letters_notification, NULL, NULL, NULL);
    assert_contains(text, "2 Desember 2026 pukul 09.30 WIB");
    assert_contains(text, "Ruang Rapat Diskominfo Lantai 3");
    assert_lacks(text, "akan kami sepakati");
    free(text);
}

static void record_bsre_reply(struct fixture *f, const char *note)
{
    struct wf_audit audit = {
        .actor_id = 2001,
        .acted_as = ROLE_PELAKSANA,
        .event = WF_EV_BSRE_REPLY,
        .note = note,
        .state_before = WF_S5_MENUNGGU_BSRE,
        .state_after = WF_S5_LAPOR_KASI,
        .at_ms = wib("2026-11-25 13:00"),
    };
    assert_int_equal(db_audit_add(f->db, f->c.wf.case_id, &audit), 0);
}

static void test_notification_rejected_gives_bsre_reason(void **state)
{
    struct fixture *f = *state;
    record_bsre_reply(f, "an older reply");
    record_bsre_reply(f, REJECT_REASON);
    struct wf_audit later = { .actor_id = 2001, .acted_as = ROLE_PELAKSANA,
                              .event = WF_EV_REPORT_TO_KASI, .note = "dilaporkan",
                              .state_before = WF_S5_LAPOR_KASI, .state_after = WF_S6_SURAT_KASI,
                              .at_ms = wib("2026-11-25 13:10") };
    assert_int_equal(db_audit_add(f->db, f->c.wf.case_id, &later), 0);
    f->c.wf.bsre_outcome = WF_BSRE_REJECTED;
    char *text = make(f, letters_notification, NULL, NULL, NULL);
    assert_contains(text, "tidak dapat menyetujui");
    assert_contains(text, REJECT_REASON);
    assert_lacks(text, "an older reply");
    assert_lacks(text, "dilaporkan");
    assert_lacks(text, "diaktivasi");
    assert_contains(text, DESIREE);
    free(text);
}

static void test_notification_rejected_without_a_reason_still_reads(void **state)
{
    struct fixture *f = *state;
    f->c.wf.bsre_outcome = WF_BSRE_REJECTED;
    char *text = make(f, letters_notification, NULL, NULL, NULL);
    assert_contains(text, "tidak dapat menyetujui");
    assert_lacks(text, "Alasan yang disampaikan BSrE");
    free(text);
}

static void test_notification_incomplete_asks_for_the_rest(void **state)
{
    struct fixture *f = *state;
    record_bsre_reply(f, "SK pengangkatan belum dilampirkan");
    f->c.wf.bsre_outcome = WF_BSRE_INCOMPLETE;
    char *text = make(f, letters_notification, NULL, NULL, NULL);
    assert_contains(text, "belum lengkap");
    assert_contains(text, "SK pengangkatan belum dilampirkan");
    assert_contains(text, "melengkapi");
    free(text);
}

/* However many holders push it down, the signature never starts a page on
 * its own: the closing sentence goes with it. */
static void test_signature_keeps_the_closing_paragraph_with_it(void **state)
{
    struct fixture *f = *state;
    f->c.wf.bsre_outcome = WF_BSRE_ACCEPTED;
    bool saw_two_pages = false;
    for (int extra = 0; extra < 14; extra++) {
        char name[64], nip[24];
        snprintf(name, sizeof name, "Pegawai Tambahan Nomor %d", extra + 1);
        snprintf(nip, sizeof nip, "1990%02d%02d2020121%03d", extra % 12 + 1, extra + 1, extra);
        add_holder(f, 4 + extra, name, nip, "Staf Pelaksana Teknis Administrasi Umum",
                   "pegawai@dinkes.bekasikota.go.id");
        f->c.holders_count++;
        maker makers[] = { letters_recommendation, letters_notification };
        const char *closings[] = { "Demikian rekomendasi", "Demikian pemberitahuan" };
        for (size_t m = 0; m < 2; m++) {
            unsigned char *pdf = NULL;
            size_t len = 0;
            assert_int_equal(makers[m](&f->app, &f->c, &pdf, &len), 0);
            int pages = 0;
            char *last = pdf_last_page(pdf, len, &pages);
            saw_two_pages |= pages > 1;
            assert_contains(last, KADIS_NAME);
            assert_contains(last, closings[m]);
            free(last);
            free(pdf);
        }
    }
    assert_true(saw_two_pages);
}

static void test_notification_without_an_answer_is_refused(void **state)
{
    struct fixture *f = *state;
    unsigned char *pdf = (unsigned char *)"x";
    size_t len = 7;
    f->c.wf.bsre_outcome = WF_BSRE_NONE;
    assert_int_equal(letters_notification(&f->app, &f->c, &pdf, &len), -EINVAL);
    assert_null(pdf);
    assert_int_equal(len, 0);
}

/* --- the disposition sheet --------------------------------------------------- */

/* Whether the `nth` (from 0) checkbox line reading `label` has its box
 * crossed, as a reader sees it: poppler finds the label's words and their
 * place (pdftotext -bbox), the page is drawn at 144 dpi (pdftoppm), and the
 * middle of the box left of the label is inked only where the cross's two
 * strokes meet (an empty box is white inside). The box is pdf_doc's: 8 pt,
 * its left edge 18 pt before the text, centred on the first line. */
#define BOX_DPI 144
#define BOX_CENTRE_BEFORE_TEXT 14.0 /* pt from the text's left edge */

struct word_box {
    int page;
    double x_min, y_min, y_max;
    char text[64];
};

/* Every word poppler reads, with its page and box (in points, top-left
 * origin); returns how many, at most `max`. */
static size_t pdf_words(const char *path, struct word_box *words, size_t max)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "pdftotext -bbox '%s' - 2>/dev/null", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char line[1024];
    size_t n = 0;
    int page = 0;
    while (fgets(line, sizeof line, p)) {
        if (strstr(line, "<page "))
            page++;
        struct word_box w = { .page = page };
        double x_max;
        if (n < max && sscanf(line, " <word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\">%63[^<]",
                              &w.x_min, &w.y_min, &x_max, &w.y_max, w.text) == 5)
            words[n++] = w;
    }
    pclose(p);
    return n;
}

/* The grey level (0 black .. 255 white) of the pixel at (x, y) points on
 * `page`, drawn by pdftoppm into `pgm` once per call. */
static bool ink_near(const char *path, int page, double x, double y)
{
    char base[4200], pgm[4220], cmd[8600];
    snprintf(base, sizeof base, "%s-page", path);
    snprintf(pgm, sizeof pgm, "%s.pgm", base);
    snprintf(cmd, sizeof cmd, "pdftoppm -r %d -gray -f %d -l %d -singlefile '%s' '%s'", BOX_DPI,
             page, page, path, base);
    assert_int_equal(system(cmd), 0);
    FILE *f = fopen(pgm, "rb");
    assert_non_null(f);
    int width, height, maxval;
    assert_int_equal(fscanf(f, "P5 %d %d %d", &width, &height, &maxval), 3);
    fgetc(f); /* the one white-space character before the pixels */
    unsigned char *pixels = malloc((size_t)width * (size_t)height);
    assert_non_null(pixels);
    assert_int_equal(fread(pixels, 1, (size_t)width * (size_t)height, f),
                     (size_t)width * (size_t)height);
    fclose(f);
    unlink(pgm);
    /* A window of 3 x 3 points around the estimate. */
    double scale = BOX_DPI / 72.0;
    int dark = 0;
    for (int dy = -3; dy <= 3; dy++) {
        for (int dx = -3; dx <= 3; dx++) {
            int px = (int)(x * scale) + dx, py = (int)(y * scale) + dy;
            if (px >= 0 && py >= 0 && px < width && py < height)
                dark += pixels[(size_t)py * (size_t)width + (size_t)px] < 128;
        }
    }
    free(pixels);
    return dark >= 3;
}

static bool box_is_crossed(const unsigned char *pdf, size_t len, const char *label, int nth)
{
    char path[4096];
    temp_pdf(pdf, len, path, sizeof path);
    enum { WORDS_MAX = 4000 };
    struct word_box *words = calloc(WORDS_MAX, sizeof *words);
    assert_non_null(words);
    size_t count = pdf_words(path, words, WORDS_MAX);
    char wanted[16][64];
    size_t parts = 0;
    char copy[256];
    snprintf(copy, sizeof copy, "%s", label);
    for (char *save = NULL, *t = strtok_r(copy, " ", &save); t && parts < 16;
         t = strtok_r(NULL, " ", &save))
        snprintf(wanted[parts++], sizeof wanted[0], "%s", t);
    for (size_t i = 0; i + parts <= count; i++) {
        bool match = true;
        for (size_t k = 0; match && k < parts; k++)
            match = strcmp(words[i + k].text, wanted[k]) == 0;
        if (!match || nth-- > 0)
            continue;
        const struct word_box *w = &words[i];
        bool crossed = ink_near(path, w->page, w->x_min - BOX_CENTRE_BEFORE_TEXT,
                                (w->y_min + w->y_max) / 2);
        free(words);
        unlink(path);
        return crossed;
    }
    free(words);
    unlink(path);
    fail_msg("checkbox line \"%s\" not found", label);
    return false;
}

static void test_disposition_sheet_shows_agenda_and_every_disposition(void **state)
{
    struct fixture *f = *state;
    unsigned char *pdf = NULL;
    size_t len = 0;
    char *text = make(f, letters_disposition_sheet, "sheet", &pdf, &len);
    assert_contains(text, "LEMBAR DISPOSISI");
    /* The form's fields in the form's order. */
    const char *fields[] = { "Surat dari : " AGENCY, "Nomor dan tanggal surat : " LETTER_NUMBER,
                             "Diterima tanggal : 23 November 2026 pukul 09.12 WIB",
                             "Nomor Agenda : 0001/2026", "Sifat : Segera",
                             "Perihal : Permohonan Sertifikat Elektronik & TTE",
                             "Disposisi 1", "Diteruskan kepada", "Dengan hormat harap:",
                             "Catatan : Mohon segera diproses", "Disposisi 2", "Diteruskan kepada",
                             "Catatan" };
    assert_in_order(text, fields, sizeof fields / sizeof fields[0]);
    assert_contains(text, "Nomor Agenda : 0001/2026");
    assert_contains(text, "23 November 2026 pukul 09.12 WIB");
    assert_contains(text, "Surat dari : " AGENCY);
    assert_contains(text, LETTER_NUMBER ", tanggal 20 November 2026");
    assert_contains(text, "Permohonan Sertifikat Elektronik & TTE");
    /* The case has no sifat of its own yet: the latest disposition's. */
    assert_contains(text, "Sifat : Segera");
    /* Disposition 1: the Kadis to the Kabid. */
    assert_contains(text, "Disposisi 1");
    assert_contains(text, KADIS_NAME ", Kepala Dinas");
    assert_contains(text, "Diteruskan kepada : Kepala Bidang Statistik dan Persandian");
    assert_contains(text, "Segera, Rahasia");
    assert_contains(text, "Mohon segera diproses");
    /* Disposition 2: the Kasi as Plh Kabid, to the Kasi. */
    assert_contains(text, "Disposisi 2");
    assert_contains(text, "Rina Marlina, S.T., Plh. Kepala Bidang Statistik dan Persandian");
    assert_contains(text, "Diteruskan kepada : Kepala Seksi Persandian");
    assert_contains(text, "23 November 2026 pukul 10.05 WIB");
    /* Every configured instruction is listed, ticked or not. */
    assert_contains(text, "Selesaikan / tindak lanjuti");
    assert_contains(text, "Saran / pendapat");
    assert_contains(text, "Koordinasikan");
    assert_contains(text, "Pelajari / kaji");
    assert_contains(text, "Arsipkan");
    /* Disposition 1 chose 0 and 2; disposition 2 chose 3. */
    assert_true(box_is_crossed(pdf, len, "Selesaikan / tindak lanjuti", 0));
    assert_false(box_is_crossed(pdf, len, "Saran / pendapat", 0));
    assert_true(box_is_crossed(pdf, len, "Koordinasikan", 0));
    assert_false(box_is_crossed(pdf, len, "Pelajari / kaji", 0));
    assert_false(box_is_crossed(pdf, len, "Selesaikan / tindak lanjuti", 1));
    assert_false(box_is_crossed(pdf, len, "Koordinasikan", 1));
    assert_true(box_is_crossed(pdf, len, "Pelajari / kaji", 1));
    free(text);
    free(pdf);
}

static void test_disposition_sheet_uses_the_configured_instructions(void **state)
{
    struct fixture *f = *state;
    char *mine[] = { "Untuk diketahui", "Untuk diproses lebih lanjut", "Arsipkan",
                     "Segera laporkan" };
    f->cfg.instructions = mine;
    f->cfg.instructions_count = 4;
    unsigned char *pdf = NULL;
    size_t len = 0;
    char *text = make(f, letters_disposition_sheet, NULL, &pdf, &len);
    assert_contains(text, "Untuk diproses lebih lanjut");
    assert_lacks(text, "Saran / pendapat");
    assert_true(box_is_crossed(pdf, len, "Untuk diketahui", 0));
    assert_false(box_is_crossed(pdf, len, "Untuk diproses lebih lanjut", 0));
    assert_true(box_is_crossed(pdf, len, "Arsipkan", 0));
    assert_true(box_is_crossed(pdf, len, "Segera laporkan", 1));
    assert_false(box_is_crossed(pdf, len, "Arsipkan", 1));
    free(text);
    free(pdf);
    f->cfg.instructions = NULL;
    f->cfg.instructions_count = 0;
}

/* --- contract ---------------------------------------------------------------- */

static void test_letters_are_indonesian_for_everyone_and_catalogs_in_step(void **state)
{
    struct fixture *f = *state;
    char err[256];
    assert_int_equal(i18n_check(f->i18n, err, sizeof err), 0);
    /* Both catalogs carry the letters' keys; the letter itself stays Indonesian. */
    assert_string_not_equal(i18n_text(f->i18n, "en", "letter.rec.body"), "letter.rec.body");
    assert_string_not_equal(i18n_text(f->i18n, "en", "sheet.title"), "sheet.title");
    assert_string_equal(LETTERS_LANG, "id");
}

static void test_null_arguments_are_refused(void **state)
{
    struct fixture *f = *state;
    unsigned char *pdf = NULL;
    size_t len = 0;
    maker all[] = { letters_recommendation, letters_notification, letters_disposition_sheet };
    f->c.wf.bsre_outcome = WF_BSRE_ACCEPTED;
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(all[i](NULL, &f->c, &pdf, &len), -EINVAL);
        assert_int_equal(all[i](&f->app, NULL, &pdf, &len), -EINVAL);
        assert_int_equal(all[i](&f->app, &f->c, NULL, &len), -EINVAL);
        assert_int_equal(all[i](&f->app, &f->c, &pdf, NULL), -EINVAL);
        assert_null(pdf);
    }
}


/* --- numbers and signatures -------------------------------------------------- */

#define KADIS_NIP "197001011990031002"
#define KADIS_NIP_TEXT "NIP. 19700101 199003 1 002"
#define KADIS_RANK "Pembina Utama Muda (IV/c)"
#define KADIS_TITLE "Dr. Siti Rahmawati, S.Kom., M.Si."

/* The Kadis's NIP, pangkat/golongan and titled name as the config gives them. */
static void configure_kadis_details(struct fixture *f)
{
    struct official kadis = { .telegram_id = KADIS_ID, .role = ROLE_KADIS,
                                     .name = KADIS_NAME, .nip = KADIS_NIP, .rank = KADIS_RANK,
                                     .title = KADIS_TITLE };
    assert_int_equal(db_official_details_sync(f->db, &kadis, 1), 0);
}

/* Signs `kind` now (as the Kadis, or the Kabid as Plh Kadis) and returns the
 * register's row; the stored file must be the letter with its number. */
static struct db_outgoing_letter sign(struct fixture *f, enum letters_kind kind, bool plh)
{
    struct db_outgoing_letter l;
    int64_t row = 0;
    assert_int_equal(letters_number_and_store(&f->app, &f->c, kind, plh ? KABID_ID : KADIS_ID,
                                              plh, f->now, &l, &row),
                     0);
    struct db_file file;
    assert_int_equal(db_file_get(f->db, row, &file), 0);
    assert_string_equal(file.kind, kind == LETTERS_RECOMMENDATION ? "numbered_recommendation"
                                                                 : "numbered_notification");
    unsigned char *pdf = NULL;
    size_t len = 0;
    assert_int_equal(db_file_content(f->db, row, &pdf, &len), 0);
    char *text = pdf_text(pdf, len);
    assert_contains(text, l.number);
    assert_lacks(text, "draf");
    free(text);
    free(pdf);
    return l;
}

static void test_numbers_run_per_kind_per_year_without_gaps(void **state)
{
    struct fixture *f = *state;
    f->c.wf.bsre_outcome = WF_BSRE_ACCEPTED;
    struct db_outgoing_letter a = sign(f, LETTERS_RECOMMENDATION, false);
    struct db_outgoing_letter b = sign(f, LETTERS_RECOMMENDATION, false);
    struct db_outgoing_letter n = sign(f, LETTERS_NOTIFICATION, false);
    assert_string_equal(a.number, "000.6/1/Diskominfostandi");
    assert_string_equal(b.number, "000.6/2/Diskominfostandi");
    assert_string_equal(n.number, "000.6/1/Diskominfostandi"); /* its own sequence */
    assert_string_equal(a.letter_date, "2026-11-26");
    assert_int_equal(a.year, 2026);

    /* A signing whose transaction rolls back uses no number. */
    assert_int_equal(db_begin(f->db), 0);
    struct db_outgoing_letter lost;
    assert_int_equal(letters_number_and_store(&f->app, &f->c, LETTERS_RECOMMENDATION, KADIS_ID,
                                              false, f->now, &lost, NULL),
                     0);
    assert_int_equal(lost.seq, 3);
    db_rollback(f->db);
    struct db_outgoing_letter c = sign(f, LETTERS_RECOMMENDATION, false);
    assert_int_equal(c.seq, 3);

    /* The register refuses a number twice. */
    struct db_outgoing_letter twice = c;
    assert_int_not_equal(db_outgoing_add(f->db, &twice), 0);

    /* A new year starts again at 1, in the configured format. */
    char format[] = "{class}/{seq}/{unit}/{year}", unit[] = "Diskominfostandi.Sandi",
         rec_class[] = "000.6.1";
    f->cfg.letter.number_format = format;
    f->cfg.letter.unit_code = unit;
    f->cfg.letter.class_recommendation = rec_class;
    f->now = wib("2027-01-04 08:00");
    struct db_outgoing_letter next_year = sign(f, LETTERS_RECOMMENDATION, false);
    assert_string_equal(next_year.number, "000.6.1/1/Diskominfostandi.Sandi/2027");
    struct db_outgoing_letter latest;
    assert_int_equal(db_outgoing_latest(f->db, f->c.wf.case_id, "recommendation", &latest), 0);
    assert_string_equal(latest.number, next_year.number);
    memset(&f->cfg.letter, 0, sizeof f->cfg.letter);

    /* A draft has no number of its own. */
    char draft[64];
    assert_int_equal(letters_number_text(NULL, LETTERS_NOTIFICATION, 0, 2026, "draf", draft,
                                         sizeof draft),
                     0);
    assert_string_equal(draft, "000.6/draf/Diskominfostandi");
    assert_int_equal(letters_number_text(NULL, LETTERS_DISPOSITION, 1, 2026, NULL, draft,
                                         sizeof draft),
                     -EINVAL);
}

/* pdftotext -layout of the signed letter reads in the order of a letter:
 * number, date, addressee, the holders in the applicant's order, then the
 * signature block's position, name with titles, pangkat/golongan, NIP. */
static void test_signed_letter_reads_in_order_with_signer_details(void **state)
{
    struct fixture *f = *state;
    configure_kadis_details(f);
    struct db_outgoing_letter l = sign(f, LETTERS_RECOMMENDATION, false);
    f->now = wib("2026-12-01 10:00"); /* rendered later: still the day it was signed */
    unsigned char *pdf = NULL;
    size_t len = 0;
    assert_int_equal(letters_render(&f->app, &f->c, LETTERS_RECOMMENDATION, &l, &pdf, &len), 0);
    keep_sample("rec-signed", pdf, len);
    char *text = pdf_text(pdf, len);
    const char *order[] = { "Nomor : 000.6/1/Diskominfostandi", "Tanggal : 26 November 2026",
                            "Yth. Kepala Balai Sertifikasi Elektronik", DESIREE, "Ahmad Fauzi",
                            "Maria Christina", "KEPALA DINAS KOMUNIKASI", KADIS_TITLE, KADIS_RANK,
                            KADIS_NIP_TEXT };
    assert_in_order(text, order, sizeof order / sizeof order[0]);
    assert_lacks(text, "1 Desember 2026");
    assert_lacks(text, "Plh.");
    free(text);
    free(pdf);
}

/* A numbered letter takes the kind of the signer's appointment on its date. */
static void test_plt_signed_letter_says_plt(void **state)
{
    struct fixture *f = *state;
    int64_t id = 0;
    assert_int_equal(db_plh_add(f->db, ROLE_KADIS, KABID_ID, "2026-11-25", "2026-11-27",
                                DB_PLH_KIND_PLT, KADIS_ID, f->now, &id), 0);
    f->c.wf.bsre_outcome = WF_BSRE_ACCEPTED;
    struct db_outgoing_letter l = sign(f, LETTERS_NOTIFICATION, true);
    /* Ended afterwards: the letter keeps the title it was signed with. */
    assert_int_equal(db_plh_end(f->db, id), 0);
    unsigned char *pdf = NULL;
    size_t len = 0;
    assert_int_equal(letters_render(&f->app, &f->c, LETTERS_NOTIFICATION, &l, &pdf, &len), 0);
    char *text = pdf_text(pdf, len);
    assert_contains(text, "Plt. KEPALA DINAS");
    assert_contains(text, KABID_NAME);
    assert_lacks(text, "Plh.");
    free(text);
    free(pdf);
}

static void test_plh_signed_letter_says_plh_with_their_name(void **state)
{
    struct fixture *f = *state;
    configure_kadis_details(f);
    f->c.wf.bsre_outcome = WF_BSRE_ACCEPTED;
    struct db_outgoing_letter l = sign(f, LETTERS_NOTIFICATION, true);
    assert_true(l.via_plh);
    unsigned char *pdf = NULL;
    size_t len = 0;
    assert_int_equal(letters_render(&f->app, &f->c, LETTERS_NOTIFICATION, &l, &pdf, &len), 0);
    char *text = pdf_text(pdf, len);
    assert_contains(text, "Plh. KEPALA DINAS");
    assert_contains(text, KABID_NAME);
    /* The Kabid has no NIP configured: no NIP line at all, not the Kadis's. */
    assert_lacks(text, KADIS_TITLE);
    assert_lacks(text, "NIP. 1970");
    assert_lacks(text, "NIP. .");
    free(text);
    free(pdf);
}

/* The number of pages, as poppler's pdfinfo counts them. */
static int pdfinfo_pages(const unsigned char *pdf, size_t len)
{
    char path[4096];
    temp_pdf(pdf, len, path, sizeof path);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "pdfinfo '%s' 2>/dev/null", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char line[256];
    int pages = -1;
    while (fgets(line, sizeof line, p))
        if (strncmp(line, "Pages:", 6) == 0)
            pages = atoi(line + 6);
    pclose(p);
    unlink(path);
    return pages;
}

/* One holder fits on one page; sixteen push the table onto a second page,
 * where its header row is drawn again above the rows that continue. */
static void test_table_of_one_and_of_sixteen_holders(void **state)
{
    struct fixture *f = *state;
    f->c.wf.bsre_outcome = WF_BSRE_ACCEPTED;
    maker makers[] = { letters_recommendation, letters_notification };
    struct db_case one = f->c;
    /* A case of its own with a single holder. */
    assert_int_equal(db_case_insert(f->db, &one, AGENCY, 2026), 0);
    struct db_holder h = { .position = 1 };
    snprintf(h.name, sizeof h.name, "Ahmad Tunggal");
    snprintf(h.nip, sizeof h.nip, "199001012015031009");
    snprintf(h.jabatan, sizeof h.jabatan, "Pranata Komputer");
    snprintf(h.email, sizeof h.email, "tunggal@dinkes.bekasikota.go.id");
    assert_int_equal(db_holder_add(f->db, one.wf.case_id, &h), 0);
    one.holders_count = 1;
    one.wf.bsre_outcome = WF_BSRE_ACCEPTED;
    for (size_t m = 0; m < 2; m++) {
        unsigned char *pdf = NULL;
        size_t len = 0;
        assert_int_equal(makers[m](&f->app, &one, &pdf, &len), 0);
        assert_int_equal(pdfinfo_pages(pdf, len), 1);
        char *text = pdf_text(pdf, len);
        assert_contains(text, "1 Ahmad Tunggal 199001012015031009");
        free(text);
        free(pdf);
    }

    for (int extra = 0; extra < 13; extra++) {
        char name[64], nip[24];
        snprintf(name, sizeof name, "Pegawai Nomor %d", extra + 4);
        snprintf(nip, sizeof nip, "1991%02d%02d2020121%03d", extra % 12 + 1, extra + 1, extra);
        add_holder(f, 4 + extra, name, nip, "Staf Pelaksana Teknis Administrasi Umum",
                   "pegawai@dinkes.bekasikota.go.id");
    }
    f->c.holders_count = 16;
    for (size_t m = 0; m < 2; m++) {
        unsigned char *pdf = NULL;
        size_t len = 0;
        assert_int_equal(makers[m](&f->app, &f->c, &pdf, &len), 0);
        int pages = 0;
        char *last = pdf_last_page(pdf, len, &pages);
        assert_true(pages >= 2);
        assert_int_equal(pdfinfo_pages(pdf, len), pages);
        free(last);
        /* The page where the table goes on starts it with its header. */
        char *raw = pdf_raw_text(pdf, len);
        char *second = strchr(raw, '\f');
        assert_non_null(second);
        char *page2 = squeeze(second + 1);
        assert_contains(page2, "No. Nama NIP Jabatan Email");
        assert_contains(page2, "16 Pegawai Nomor 16");
        free(page2);
        free(raw);
        free(pdf);
    }
}

/* --- fonts, Unicode, the emblem ------------------------------------------------ */

/* An 8 x 8 red PNG: stands for the emblem (the real one is the agency's). */
static const unsigned char EMBLEM_PNG[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
    0x52, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x08, 0x08, 0x06, 0x00, 0x00, 0x00, 0xc4,
    0x0f, 0xbe, 0x8b, 0x00, 0x00, 0x00, 0x12, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x38,
    0x21, 0x27, 0xf7, 0x1f, 0x1f, 0x66, 0x18, 0x19, 0x0a, 0x00, 0x53, 0x46, 0x80, 0xc1, 0x2e,
    0xed, 0x74, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

#define SALAH "\xe1\xb9\xa2" "al\xc4\x81\xe1\xb8\xa5 ad-D\xc4\xabn" /* Ṣalāḥ ad-Dīn */
#define DUC "Nguy\xe1\xbb\x85n V\xc4\x83n \xc4\x90\xe1\xbb\xa9" "c"    /* Nguyễn Văn Đức */

/* Runs `tool` (pdffonts, pdfimages -list) on the PDF; returns its output's
 * lines after the two header lines, counted in *rows. malloc'd. */
static char *poppler_rows(const char *tool, const unsigned char *pdf, size_t len, int *rows)
{
    char path[4096];
    temp_pdf(pdf, len, path, sizeof path);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "%s '%s' 2>&1", tool, path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 16384, n = 0;
    char *out = calloc(cap, 1);
    assert_non_null(out);
    char line[512];
    int seen = 0;
    *rows = 0;
    while (fgets(line, sizeof line, p)) {
        if (seen++ < 2)
            continue; /* the header and its underline */
        size_t l = strlen(line);
        if (n + l + 1 < cap) {
            memcpy(out + n, line, l + 1);
            n += l;
        }
        (*rows)++;
    }
    assert_int_equal(pclose(p), 0);
    unlink(path);
    return out;
}

/* Every font pdffonts lists is embedded: its "emb" column (the fifth token
 * from the end of the row) says yes. */
static void assert_fonts_embedded(const unsigned char *pdf, size_t len)
{
    int rows = 0;
    char *out = poppler_rows("pdffonts", pdf, len, &rows);
    assert_true(rows >= 1);
    for (char *save = NULL, *row = strtok_r(out, "\n", &save); row;
         row = strtok_r(NULL, "\n", &save)) {
        char *tokens[32];
        int n = 0;
        for (char *s2 = NULL, *t = strtok_r(row, " ", &s2); t && n < 32; t = strtok_r(NULL, " ", &s2))
            tokens[n++] = t;
        assert_true(n >= 6);
        if (strcmp(tokens[n - 5], "yes") != 0)
            fail_msg("a font is not embedded: %s", tokens[0]);
    }
    free(out);
}

static int image_count(const unsigned char *pdf, size_t len)
{
    int rows = 0;
    free(poppler_rows("pdfimages -list", pdf, len, &rows));
    return rows;
}

/* Names outside Latin-1 print as written, every font is embedded, and the
 * emblem is in the file exactly when one is configured; the same for the
 * three documents. */
static void test_unicode_names_embedded_fonts_and_the_emblem(void **state)
{
    struct fixture *f = *state;
    f->c.wf.bsre_outcome = WF_BSRE_ACCEPTED;
    add_holder(f, 4, SALAH, "199202022019031004", "Analis Data", "salah@dinkes.bekasikota.go.id");
    add_holder(f, 5, DUC, "199303032020121005", "Pranata Komputer", "duc@dinkes.bekasikota.go.id");
    f->c.holders_count = 5;
    maker makers[] = { letters_recommendation, letters_notification, letters_disposition_sheet };
    for (int with_emblem = 0; with_emblem < 2; with_emblem++) {
        f->cfg.letter.emblem = with_emblem ? (unsigned char *)EMBLEM_PNG : NULL;
        f->cfg.letter.emblem_len = with_emblem ? sizeof EMBLEM_PNG : 0;
        for (size_t m = 0; m < 3; m++) {
            unsigned char *pdf = NULL;
            size_t len = 0;
            char *text = make(f, makers[m], NULL, &pdf, &len);
            if (m < 2) {
                assert_contains(text, SALAH);
                assert_contains(text, DUC);
                assert_contains(text, DESIREE);
            }
            assert_contains(text, "PEMERINTAH KOTA BEKASI");
            assert_lacks(text, "?");
            assert_fonts_embedded(pdf, len);
            assert_int_equal(image_count(pdf, len), with_emblem ? 1 : 0);
            free(text);
            free(pdf);
        }
    }
    f->cfg.letter.emblem = NULL;
    f->cfg.letter.emblem_len = 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_recommendation_lists_holders_letter_pks_and_kadis,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_values_are_plain_text_not_html, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sifat_defaults_to_biasa_and_follows_the_case, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_plh_kadis_signs_while_appointed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plt_kadis_signs_as_plt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plt_signed_letter_says_plt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_pks_leaves_blanks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notification_accepted_announces_assisted_login,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_notification_rejected_gives_bsre_reason, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_notification_rejected_without_a_reason_still_reads,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_notification_incomplete_asks_for_the_rest, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_signature_keeps_the_closing_paragraph_with_it,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_notification_without_an_answer_is_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_disposition_sheet_shows_agenda_and_every_disposition, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disposition_sheet_uses_the_configured_instructions,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_letters_are_indonesian_for_everyone_and_catalogs_in_step, setup, teardown),
        cmocka_unit_test_setup_teardown(test_null_arguments_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_numbers_run_per_kind_per_year_without_gaps, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_signed_letter_reads_in_order_with_signer_details,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_plh_signed_letter_says_plh_with_their_name, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_table_of_one_and_of_sixteen_holders, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_unicode_names_embedded_fonts_and_the_emblem, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_renewal_letters_say_perpanjangan, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
