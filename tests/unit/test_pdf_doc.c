/* pdf_doc: the file is well formed (xref offsets checked byte by byte), a real
 * reader (poppler's pdftotext and pdfinfo) gets the text and the pages back,
 * and the layout keeps every line inside the text width without losing a
 * character.
 *
 * poppler-utils must be installed (scripts/deps.sh installs it); without it
 * these tests fail rather than skip, so a missing dependency is never green.
 * Set SERTIBOT_PDF_SAMPLE=/tmp/sample.pdf to also keep the sample letter for
 * a look (pdftoppm -png -r 60 /tmp/sample.pdf /tmp/sample). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pdf_doc.h"

#define RIGHT_EDGE (PDF_DOC_MARGIN + PDF_DOC_TEXT_WIDTH)
#define EPS 0.01

/* UTF-8 spellings used below. */
#define DESIREE "D\xc3\xa9sir\xc3\xa9" "e \xc3\x91\xc3\xba\xc3\xb1" "ez" /* Désirée Ñúñez */
#define LDQUO "\xe2\x80\x9c"
#define RDQUO "\xe2\x80\x9d"
#define NDASH "\xe2\x80\x93"

/* --- helpers: the file ------------------------------------------------------ */

static const unsigned char *find(const unsigned char *hay, size_t len, const char *needle,
                                 size_t from)
{
    size_t n = strlen(needle);
    for (size_t i = from; n <= len && i <= len - n; i++)
        if (memcmp(hay + i, needle, n) == 0)
            return hay + i;
    return NULL;
}

/* Checks what a reader relies on to find the objects: header, binary comment,
 * every xref entry pointing exactly at "N 0 obj", startxref pointing at
 * "xref", a trailer naming /Root and /Info, %%EOF at the end. */
static void assert_well_formed(const unsigned char *pdf, size_t len)
{
    assert_true(len > 64);
    assert_memory_equal(pdf, "%PDF-1.4\n%", 10);
    size_t high = 0;
    for (size_t i = 10; pdf[i] != '\n'; i++)
        high += pdf[i] >= 0x80;
    assert_true(high >= 4);
    assert_memory_equal(pdf + len - 6, "%%EOF\n", 6);

    /* The last startxref, and the offset after it. */
    const unsigned char *sx = NULL;
    for (const unsigned char *p = find(pdf, len, "startxref\n", 0); p;
         p = find(pdf, len, "startxref\n", (size_t)(p - pdf) + 1))
        sx = p;
    assert_non_null(sx);
    char *end;
    unsigned long long xref = strtoull((const char *)sx + 10, &end, 10);
    assert_memory_equal(end, "\n%%EOF\n", 7);
    assert_true(xref < len);
    assert_memory_equal(pdf + xref, "xref\n", 5);

    unsigned long long first, count;
    int consumed = 0;
    assert_int_equal(sscanf((const char *)pdf + xref + 5, "%llu %llu\n%n", &first, &count,
                            &consumed), 2);
    assert_int_equal(first, 0);
    assert_true(count >= 6);
    const unsigned char *entry = pdf + xref + 5 + consumed;
    assert_memory_equal(entry, "0000000000 65535 f \n", 20);
    for (unsigned long long obj = 1; obj < count; obj++) {
        const char *e = (const char *)entry + 20 * obj;
        assert_true(e[10] == ' ' && memcmp(e + 11, "00000 n", 7) == 0);
        assert_true((e[18] == ' ' && e[19] == '\n') || (e[18] == '\r' && e[19] == '\n'));
        unsigned long long off = strtoull(e, NULL, 10);
        char want[32];
        int n = snprintf(want, sizeof want, "%llu 0 obj", obj);
        assert_true(off + (size_t)n < len);
        assert_memory_equal(pdf + off, want, (size_t)n);
        /* ...and it is the start of a line. */
        assert_int_equal(pdf[off - 1], '\n');
    }
    const unsigned char *trailer = entry + 20 * count;
    assert_memory_equal(trailer, "trailer\n", 8);
    char size[32];
    snprintf(size, sizeof size, "/Size %llu ", count);
    size_t tlen = (size_t)(sx - trailer);
    assert_non_null(find(trailer, tlen, size, 0));
    assert_non_null(find(trailer, tlen, "/Root 1 0 R", 0));
    assert_non_null(find(trailer, tlen, "/Info 5 0 R", 0));
}

/* Renders, checks the structure, and hands back the file. */
static unsigned char *render(struct pdf_doc *doc, const char *title, size_t *len)
{
    unsigned char *pdf = NULL;
    assert_int_equal(pdf_doc_render(doc, title, &pdf, len), 0);
    assert_non_null(pdf);
    assert_well_formed(pdf, *len);
    return pdf;
}

/* --- helpers: a real reader ------------------------------------------------- */

static void require_poppler(void)
{
    if (system("command -v pdftotext >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1") != 0)
        fail_msg("pdftotext/pdfinfo not found: install poppler-utils "
                 "(scripts/deps.sh, or apt-get install -y poppler-utils)");
}

static char *write_temp(const unsigned char *pdf, size_t len)
{
    const char *dir = getenv("TMPDIR");
    char *path = malloc(4096);
    assert_non_null(path);
    snprintf(path, 4096, "%s/test_pdf_doc_XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(pdf, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return path;
}

/* Runs `tool args 'file' after` on the PDF and returns what it printed. */
static char *run_reader(const char *tool_and_args, const char *after, const unsigned char *pdf,
                        size_t len)
{
    require_poppler();
    char *path = write_temp(pdf, len);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "%s '%s' %s 2>&1", tool_and_args, path, after);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 4096, n = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    for (size_t got; (got = fread(text + n, 1, cap - n - 1, p)) > 0;) {
        n += got;
        if (cap - n < 1024) {
            cap *= 2;
            text = realloc(text, cap);
            assert_non_null(text);
        }
    }
    text[n] = '\0';
    int status = pclose(p);
    unlink(path);
    free(path);
    if (status != 0)
        fail_msg("%s failed (status %d): %s", tool_and_args, status, text);
    /* Poppler reports what it had to repair on stderr, which is read here too. */
    if (strstr(text, "Syntax Error") || strstr(text, "Syntax Warning"))
        fail_msg("%s complained: %s", tool_and_args, text);
    return text;
}

static char *pdftotext(const unsigned char *pdf, size_t len)
{
    return run_reader("pdftotext -layout", "-", pdf, len);
}

static long pdfinfo_pages(const unsigned char *pdf, size_t len)
{
    char *info = run_reader("pdfinfo", "", pdf, len);
    const char *p = strstr(info, "\nPages:");
    assert_non_null(p);
    long pages = strtol(p + 7, NULL, 10);
    free(info);
    return pages;
}

/* The text with every run of white space made one space, so words that were
 * wrapped over lines read as one sentence again. */
static char *squeeze(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    assert_non_null(out);
    bool space = false;
    for (; *s; s++) {
        if (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\f') {
            space = o > out;
        } else {
            if (space)
                *o++ = ' ';
            space = false;
            *o++ = *s;
        }
    }
    *o = '\0';
    return out;
}

static void assert_contains(const char *hay, const char *needle)
{
    if (!strstr(hay, needle))
        fail_msg("\"%s\" not found in:\n%s", needle, hay);
}

/* --- helpers: the content streams ------------------------------------------ */

/* One line of text as drawn: "BT /Fn size Tf [tw Tw] x y Td (s) Tj ... ET". */
struct text_op {
    size_t page;
    int font; /* 1 regular, 2 bold */
    double size, word_space, x, y;
    char s[512]; /* the string's bytes, unescaped (WinAnsi) */
    size_t len;
};

struct text_ops {
    struct text_op *v;
    size_t n;
};

static void parse_text_op(const char *line, size_t page, struct text_ops *ops)
{
    struct text_op op = { .page = page };
    int n = -1;
    assert_int_equal(sscanf(line, "BT /F%d %lf Tf %n", &op.font, &op.size, &n), 2);
    line += n;
    n = -1;
    if (sscanf(line, "%lf Tw %n", &op.word_space, &n) == 1 && n > 0)
        line += n;
    else
        op.word_space = 0;
    n = -1;
    assert_int_equal(sscanf(line, "%lf %lf Td (%n", &op.x, &op.y, &n), 2);
    assert_true(n > 0);
    for (line += n; *line != ')'; line++) {
        char c = *line;
        if (c == '\\') {
            c = *++line;
            if (c >= '0' && c <= '7') {
                c = (char)strtol((char[]){ line[0], line[1], line[2], 0 }, NULL, 8);
                line += 2;
            }
        }
        assert_true(op.len < sizeof op.s - 1);
        op.s[op.len++] = c;
    }
    ops->v = realloc(ops->v, (ops->n + 1) * sizeof *ops->v);
    assert_non_null(ops->v);
    ops->v[ops->n++] = op;
}

/* Every line of text drawn in the file, page by page; the content streams are
 * the only streams, in page order. */
static struct text_ops text_ops(const unsigned char *pdf, size_t len)
{
    struct text_ops ops = { 0 };
    size_t page = 0;
    for (const unsigned char *s = find(pdf, len, "stream\n", 0); s;
         s = find(pdf, len, "stream\n", (size_t)(s - pdf) + 1)) {
        if (s[-1] == 'd') /* "endstream\n" */
            continue;
        page++;
        const unsigned char *body = s + 7;
        const unsigned char *end = find(pdf, len, "\nendstream", (size_t)(body - pdf));
        assert_non_null(end);
        /* memcpy, not strndup: the PDF bytes are not a C string */
        size_t n = (size_t)(end - body);
        char *copy = malloc(n + 1);
        assert_non_null(copy);
        memcpy(copy, body, n);
        copy[n] = '\0';
        for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n"))
            if (strncmp(line, "BT ", 3) == 0)
                parse_text_op(line, page, &ops);
        free(copy);
    }
    return ops;
}

/* The body's lines, without the page footers (which sit in the bottom margin). */
static struct text_ops body_ops(const unsigned char *pdf, size_t len)
{
    struct text_ops all = text_ops(pdf, len), body = { 0 };
    body.v = calloc(all.n + 1, sizeof *body.v);
    assert_non_null(body.v);
    for (size_t i = 0; i < all.n; i++)
        if (all.v[i].y > PDF_DOC_MARGIN - 10)
            body.v[body.n++] = all.v[i];
    free(all.v);
    return body;
}

static double op_width(const struct text_op *op)
{
    char s[sizeof op->s];
    memcpy(s, op->s, op->len);
    s[op->len] = '\0';
    size_t spaces = 0;
    for (size_t i = 0; i < op->len; i++)
        spaces += s[i] == ' ';
    enum pdf_font font = op->font == 2 ? PDF_FONT_BOLD : PDF_FONT_REGULAR;
    return pdf_doc_text_width(font, op->size, s) + op->word_space * (double)spaces;
}

/* --- the sample letter ------------------------------------------------------ */

static const char *const letter_paragraph =
    "Sehubungan dengan surat Saudara nomor 045/117/DPMPTSP/2025 tanggal 20 Februari 2025 "
    "perihal permohonan rekomendasi subdomain, bersama ini kami sampaikan bahwa permohonan "
    "tersebut telah diperiksa sesuai Peraturan Wali Kota Nomor 12 Tahun 2023 dan dinyatakan "
    "memenuhi persyaratan teknis maupun administratif.";

static struct pdf_doc *sample_letter(void)
{
    struct pdf_doc *d = pdf_doc_new();
    assert_non_null(d);
    assert_int_equal(pdf_doc_heading(d, "PEMERINTAH KOTA PALEMBANG", PDF_ALIGN_CENTER), 0);
    assert_int_equal(pdf_doc_text(d, "DINAS KOMUNIKASI DAN INFORMATIKA", PDF_FONT_BOLD, 15,
                                  PDF_ALIGN_CENTER), 0);
    assert_int_equal(pdf_doc_text(d, "Jalan Merdeka No. 1, Palembang 30131 " NDASH
                                     " Telepon (0711) 123456 " NDASH " diskominfo@palembang.go.id",
                                  PDF_FONT_REGULAR, 9, PDF_ALIGN_CENTER), 0);
    assert_int_equal(pdf_doc_rule(d), 0);
    assert_int_equal(pdf_doc_space(d, 12), 0);
    assert_int_equal(pdf_doc_field(d, "Nomor", "500.12/0042/Diskominfo/2025"), 0);
    assert_int_equal(pdf_doc_field(d, "Tanggal", "3 Maret 2025"), 0);
    assert_int_equal(pdf_doc_field(d, "Sifat", "Biasa"), 0);
    assert_int_equal(pdf_doc_field(d, "Lampiran", "1 (satu) berkas"), 0);
    assert_int_equal(pdf_doc_field(d, "Hal", "Rekomendasi penggunaan subdomain palembang.go.id "
                                             "untuk aplikasi layanan perizinan terpadu milik "
                                             "Dinas Penanaman Modal"), 0);
    assert_int_equal(pdf_doc_space(d, 14), 0);
    assert_int_equal(pdf_doc_text(d, "Yth. Kepala Dinas Penanaman Modal dan PTSP\n"
                                     "Kota Palembang\ndi Palembang",
                                  PDF_FONT_REGULAR, 11, PDF_ALIGN_LEFT), 0);
    assert_int_equal(pdf_doc_space(d, 14), 0);
    assert_int_equal(pdf_doc_paragraph(d, letter_paragraph), 0);
    assert_int_equal(pdf_doc_paragraph(d, "Operator yang ditunjuk, Sdri. " DESIREE ", agar "
                                          "menyampaikan " LDQUO "berita acara" RDQUO " sesuai "
                                          "Pasal (3) huruf a\\b paling lambat 7 (tujuh) hari "
                                          "kerja. Rincian teknis sebagai berikut:"), 0);
    const char *const head[] = { "No", "Subdomain", "Alamat IP", "Keterangan" };
    const double widths[] = { 0.08, 0.32, 0.2, 0.4 };
    assert_int_equal(pdf_doc_table_begin(d, 4, head, widths), 0);
    const char *const r1[] = { "1", "izin.palembang.go.id", "103.10.20.30",
                               "Aplikasi utama layanan perizinan daring" };
    const char *const r2[] = { "2", "api.izin.palembang.go.id", "103.10.20.31",
                               "Antarmuka pemrograman untuk integrasi dengan OSS RBA" };
    assert_int_equal(pdf_doc_table_row(d, r1), 0);
    assert_int_equal(pdf_doc_table_row(d, r2), 0);
    assert_int_equal(pdf_doc_table_end(d), 0);
    assert_int_equal(pdf_doc_paragraph(d, "Demikian rekomendasi ini disampaikan untuk dapat "
                                          "dipergunakan sebagaimana mestinya."), 0);
    assert_int_equal(pdf_doc_space(d, 10), 0);
    assert_int_equal(pdf_doc_signature(d, "Palembang, 3 Maret 2025",
                                       "KEPALA DINAS KOMUNIKASI\nDAN INFORMATIKA",
                                       "Ir. H. AHMAD SURYADI, M.T.",
                                       "Pembina Utama Muda (IV/c)\nNIP. 19700101 199003 1 002"), 0);
    assert_int_equal(pdf_doc_space(d, 10), 0);
    assert_int_equal(pdf_doc_text(d, "Tembusan:\n1. Wali Kota Palembang (sebagai laporan);\n"
                                     "2. Sekretaris Daerah Kota Palembang.",
                                  PDF_FONT_REGULAR, 10, PDF_ALIGN_LEFT), 0);
    return d;
}

/* --- tests ------------------------------------------------------------------ */

static void test_letter_is_a_well_formed_pdf_reader_accepts(void **state)
{
    (void)state;
    struct pdf_doc *d = sample_letter();
    size_t len;
    unsigned char *pdf = render(d, "Surat Rekomendasi " NDASH " Subdomain", &len);
    const char *keep = getenv("SERTIBOT_PDF_SAMPLE");
    if (keep && *keep) {
        FILE *f = fopen(keep, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(pdf, 1, len, f), len);
        assert_int_equal(fclose(f), 0);
    }
    char *info = run_reader("pdfinfo", "", pdf, len);
    char *flat = squeeze(info);
    assert_contains(flat, " Pages: 1 ");
    assert_contains(flat, " PDF version: 1.4");
    assert_contains(flat, " Producer: sertibot ");
    assert_contains(flat, "Title: Surat Rekomendasi " NDASH " Subdomain ");
    assert_contains(flat, " Page size: 595 x 842 pts (A4) ");
    free(flat);
    free(info);
    free(pdf);
    pdf_doc_free(d);
}

static void test_letter_text_comes_back_from_pdftotext(void **state)
{
    (void)state;
    struct pdf_doc *d = sample_letter();
    size_t len;
    unsigned char *pdf = render(d, "Surat", &len);
    char *text = pdftotext(pdf, len);
    char *flat = squeeze(text);
    assert_contains(text, "PEMERINTAH KOTA PALEMBANG");
    assert_contains(text, "DINAS KOMUNIKASI DAN INFORMATIKA");
    assert_contains(flat, "Hal : Rekomendasi penggunaan subdomain");
    /* The wrapped paragraph reads back whole, word for word, in order. */
    assert_contains(flat, letter_paragraph);
    assert_contains(flat, DESIREE);
    assert_contains(flat, LDQUO "berita acara" RDQUO);
    assert_contains(flat, "Pasal (3) huruf a\\b");
    assert_contains(text, "Telepon (0711) 123456 " NDASH " diskominfo");
    assert_contains(text, "api.izin.palembang.go.id");
    assert_contains(text, "103.10.20.31");
    assert_contains(flat, "Antarmuka pemrograman untuk integrasi dengan OSS RBA");
    assert_contains(text, "Keterangan");
    assert_contains(text, "Ir. H. AHMAD SURYADI, M.T.");
    assert_contains(text, "NIP. 19700101 199003 1 002");
    free(flat);
    free(text);
    free(pdf);
    pdf_doc_free(d);
}

/* The footer reads "n / N"; pdftotext -layout may close up the spaces. */
static bool is_footer(const char *line, size_t page, size_t pages)
{
    size_t a, b;
    int end = -1;
    return sscanf(line, " %zu / %zu %n", &a, &b, &end) == 2 && line[end] == '\0' && a == page
           && b == pages;
}

static void test_long_table_breaks_pages_and_numbers_them(void **state)
{
    (void)state;
    struct pdf_doc *d = pdf_doc_new();
    assert_non_null(d);
    assert_int_equal(pdf_doc_heading(d, "DAFTAR PERMOHONAN", PDF_ALIGN_CENTER), 0);
    const char *const head[] = { "No", "Nama Pemohon", "Instansi" };
    const double widths[] = { 1, 4, 5 };
    assert_int_equal(pdf_doc_table_begin(d, 3, head, widths), 0);
    for (int i = 1; i <= 200; i++) {
        char no[16], name[64], agency[128];
        snprintf(no, sizeof no, "%d", i);
        snprintf(name, sizeof name, "Pemohon nomor %d", i);
        /* Every seventh row wraps over two lines. */
        snprintf(agency, sizeof agency, i % 7 ? "Dinas %d" : "Dinas %d dengan nama yang cukup "
                 "panjang sehingga sel ini harus dibungkus", i);
        const char *const row[] = { no, name, agency };
        assert_int_equal(pdf_doc_table_row(d, row), 0);
    }
    assert_int_equal(pdf_doc_table_end(d), 0);
    size_t pages = pdf_doc_page_count(d);
    assert_true(pages >= 3);

    size_t len;
    unsigned char *pdf = render(d, "Daftar", &len);
    assert_int_equal(pdfinfo_pages(pdf, len), (long)pages);
    char *text = pdftotext(pdf, len);
    /* pdftotext ends each page with a form feed. */
    size_t page = 0;
    for (char *pg = text, *next; pg && *pg; pg = next) {
        next = strchr(pg, '\f');
        if (next)
            *next++ = '\0';
        page++;
        assert_true(page <= pages);
        assert_contains(pg, "Nama Pemohon"); /* the header row, on every page */
        /* The footer is the page's last non-empty line. */
        char *last = NULL;
        for (char *line = strtok(pg, "\n"); line; line = strtok(NULL, "\n"))
            if (strspn(line, " ") != strlen(line))
                last = line;
        assert_non_null(last);
        if (!is_footer(last, page, pages))
            fail_msg("page %zu of %zu ends with \"%s\"", page, pages, last);
    }
    assert_int_equal(page, pages);
    free(text);

    /* No row is lost or drawn twice. */
    struct text_ops ops = body_ops(pdf, len);
    for (int i = 1; i <= 200; i++) {
        char name[64];
        snprintf(name, sizeof name, "Pemohon nomor %d", i);
        int seen = 0;
        for (size_t k = 0; k < ops.n; k++)
            seen += ops.v[k].len == strlen(name) && memcmp(ops.v[k].s, name, ops.v[k].len) == 0;
        assert_int_equal(seen, 1);
    }
    /* Nothing is drawn into the bottom margin but the footer. */
    for (size_t k = 0; k < ops.n; k++)
        assert_true(ops.v[k].y > PDF_DOC_MARGIN);
    free(ops.v);
    free(pdf);
    pdf_doc_free(d);
}

static void test_paragraph_lines_stay_inside_the_text_width(void **state)
{
    (void)state;
    static const char *const text =
        "WWWW MMMM Permohonan rekomendasi penggunaan subdomain untuk aplikasi layanan publik "
        "diajukan oleh operator perangkat daerah melalui surat resmi yang ditandatangani "
        "kepala perangkat daerah, dilengkapi dengan dokumen analisis kebutuhan, rancangan "
        "arsitektur, rencana pengamanan informasi, serta pernyataan kesanggupan pemeliharaan "
        "aplikasi selama masa penggunaan subdomain berlangsung. WWWWWWWW iiiiiiii lllll "
        "Pemeriksaan dilakukan oleh Kepala Seksi dan Pelaksana.";
    struct pdf_doc *d = pdf_doc_new();
    assert_non_null(d);
    assert_int_equal(pdf_doc_paragraph(d, text), 0);
    assert_int_equal(pdf_doc_text(d, text, PDF_FONT_BOLD, 12, PDF_ALIGN_RIGHT), 0);
    assert_int_equal(pdf_doc_text(d, text, PDF_FONT_REGULAR, 9, PDF_ALIGN_CENTER), 0);
    size_t len;
    unsigned char *pdf = render(d, "Lebar", &len);
    struct text_ops ops = body_ops(pdf, len);
    assert_true(ops.n >= 3 * 4);

    /* Each block, put back together with single spaces, is the text itself. */
    char *joined = calloc(3, strlen(text) + 2), *j = joined;
    assert_non_null(joined);
    size_t paragraph_lines = 0;
    for (size_t k = 0; k < ops.n; k++) {
        const struct text_op *op = &ops.v[k];
        double w = op_width(op);
        if (op->x < PDF_DOC_MARGIN - EPS || op->x + w > RIGHT_EDGE + EPS)
            fail_msg("line \"%.*s\" runs from %.3f to %.3f, outside %.3f..%.3f", (int)op->len,
                     op->s, op->x, op->x + w, PDF_DOC_MARGIN, RIGHT_EDGE);
        /* Justified lines reach the right edge; the last one does not. */
        if (op->size == 11) {
            paragraph_lines++;
            bool last = k + 1 == ops.n || ops.v[k + 1].size != 11;
            assert_true(last ? op->word_space == 0 : fabs(op->x + w - RIGHT_EDGE) < 0.05);
        }
        memcpy(j, op->s, op->len);
        j += op->len;
        *j++ = k + 1 < ops.n && ops.v[k + 1].size == op->size ? ' ' : '|';
    }
    assert_true(paragraph_lines >= 4);
    char *want = malloc(3 * (strlen(text) + 1) + 1);
    assert_non_null(want);
    snprintf(want, 3 * (strlen(text) + 1) + 1, "%s|%s|%s|", text, text, text);
    assert_string_equal(joined, want);
    free(want);
    free(joined);
    free(ops.v);
    free(pdf);
    pdf_doc_free(d);
}

static void test_overlong_word_is_broken_not_lost(void **state)
{
    (void)state;
    char word[301];
    for (size_t i = 0; i < 300; i++)
        word[i] = (char)("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[i % 36]);
    word[300] = '\0';
    char text[400];
    snprintf(text, sizeof text, "Tautan: %s selesai", word);
    struct pdf_doc *d = pdf_doc_new();
    assert_non_null(d);
    assert_int_equal(pdf_doc_paragraph(d, text), 0);
    size_t len;
    unsigned char *pdf = render(d, "Kata", &len);
    struct text_ops ops = body_ops(pdf, len);
    assert_true(ops.n >= 3);
    char joined[400] = "";
    size_t n = 0;
    for (size_t k = 0; k < ops.n; k++) {
        assert_true(ops.v[k].x + op_width(&ops.v[k]) <= RIGHT_EDGE + EPS);
        for (size_t i = 0; i < ops.v[k].len; i++)
            if (ops.v[k].s[i] != ' ')
                joined[n++] = ops.v[k].s[i];
    }
    /* The pieces follow each other with nothing added or dropped. */
    char want[400];
    snprintf(want, sizeof want, "Tautan:%sselesai", word);
    assert_string_equal(joined, want);

    char *out = pdftotext(pdf, len);
    char *o = out, *p = out;
    for (; *p; p++)
        if (*p != ' ' && *p != '\n' && *p != '\f')
            *o++ = *p;
    *o = '\0';
    assert_contains(out, word);
    free(out);
    free(ops.v);
    free(pdf);
    pdf_doc_free(d);
}

static void test_utf8_is_drawn_as_winansi(void **state)
{
    (void)state;
    struct pdf_doc *d = pdf_doc_new();
    assert_non_null(d);
    /* é ü, curly quotes, en dash, euro; ≥ and an emoji have no WinAnsi code;
     * \xff is not UTF-8; a tab and a run of spaces become one space. */
    assert_int_equal(pdf_doc_text(d, "\xc3\xa9\xc3\xbc " LDQUO "a" RDQUO " " NDASH " \xe2\x82\xac"
                                     " \xe2\x89\xa5\t\xf0\x9f\x99\x82   \xff (x) \\",
                                  PDF_FONT_REGULAR, 11, PDF_ALIGN_LEFT), 0);
    size_t len;
    unsigned char *pdf = render(d, "WinAnsi", &len);
    struct text_ops ops = body_ops(pdf, len);
    assert_int_equal(ops.n, 1);
    static const char want[] = "\xe9\xfc \x93" "a\x94 \x96 \x80 ? ? ? (x) \\";
    assert_int_equal(ops.v[0].len, sizeof want - 1);
    assert_memory_equal(ops.v[0].s, want, sizeof want - 1);
    /* ( ) and \ are escaped in the file. */
    assert_non_null(find(pdf, len, "? \\(x\\) \\\\) Tj", 0));
    free(ops.v);
    free(pdf);
    pdf_doc_free(d);

    /* Widths are Helvetica's AFM widths: W 944, i 222; bold i 278; é as e. */
    assert_true(fabs(pdf_doc_text_width(PDF_FONT_REGULAR, 10, "Wi") - 11.66) < 1e-9);
    assert_true(fabs(pdf_doc_text_width(PDF_FONT_BOLD, 10, "Wi") - 12.22) < 1e-9);
    assert_true(fabs(pdf_doc_text_width(PDF_FONT_REGULAR, 11, "\xc3\xa9")
                     - pdf_doc_text_width(PDF_FONT_REGULAR, 11, "e")) < 1e-9);
    assert_true(pdf_doc_text_width(PDF_FONT_REGULAR, 11, NULL) == 0);
}

static void test_table_row_taller_than_a_page_is_cut_not_lost(void **state)
{
    (void)state;
    char tall[4000] = "";
    for (int i = 1; i <= 80; i++) {
        char line[32];
        snprintf(line, sizeof line, "%sbaris-%d", i > 1 ? "\n" : "", i);
        strcat(tall, line);
    }
    struct pdf_doc *d = pdf_doc_new();
    assert_non_null(d);
    const char *const head[] = { "Uraian", "Catatan" };
    assert_int_equal(pdf_doc_table_begin(d, 2, head, NULL), 0);
    const char *const row[] = { tall, "pendek" };
    assert_int_equal(pdf_doc_table_row(d, row), 0);
    const char *const after[] = { "sesudah", "akhir" };
    assert_int_equal(pdf_doc_table_row(d, after), 0);
    assert_int_equal(pdf_doc_table_end(d), 0);
    assert_int_equal(pdf_doc_page_count(d), 2);
    size_t len;
    unsigned char *pdf = render(d, "Tinggi", &len);
    struct text_ops ops = body_ops(pdf, len);
    size_t next = 1, headers = 0;
    for (size_t k = 0; k < ops.n; k++) {
        char want[32];
        snprintf(want, sizeof want, "baris-%zu", next);
        if (ops.v[k].len == strlen(want) && memcmp(ops.v[k].s, want, ops.v[k].len) == 0)
            next++;
        headers += ops.v[k].len == 6 && memcmp(ops.v[k].s, "Uraian", 6) == 0;
        assert_true(ops.v[k].y > PDF_DOC_MARGIN);
    }
    assert_int_equal(next, 81);
    assert_int_equal(headers, 2);
    free(ops.v);
    free(pdf);
    pdf_doc_free(d);
}

static void test_field_value_wraps_in_its_column(void **state)
{
    (void)state;
    struct pdf_doc *d = pdf_doc_new();
    assert_non_null(d);
    assert_int_equal(pdf_doc_field(d, "Hal", "Rekomendasi penggunaan subdomain untuk aplikasi "
                                             "layanan perizinan terpadu milik Dinas Penanaman "
                                             "Modal dan Pelayanan Terpadu Satu Pintu"), 0);
    assert_int_equal(pdf_doc_field_label_width(d, 120), 0);
    assert_int_equal(pdf_doc_field(d, "Diterima tanggal", "4 Maret 2025"), 0);
    size_t len;
    unsigned char *pdf = render(d, "Field", &len);
    struct text_ops ops = body_ops(pdf, len);
    /* Hal, ":", value line 1, value line 2, then the second field. */
    assert_int_equal(ops.n, 4 + 3);
    assert_memory_equal(ops.v[0].s, "Hal", 3);
    assert_true(fabs(ops.v[0].x - PDF_DOC_MARGIN) < EPS);
    assert_true(fabs(ops.v[1].x - (PDF_DOC_MARGIN + 90)) < EPS);
    assert_true(ops.v[2].x > ops.v[1].x && fabs(ops.v[3].x - ops.v[2].x) < EPS);
    assert_true(ops.v[3].y < ops.v[2].y);
    for (size_t k = 2; k < 4; k++)
        assert_true(ops.v[k].x + op_width(&ops.v[k]) <= RIGHT_EDGE + EPS);
    assert_true(fabs(ops.v[5].x - (PDF_DOC_MARGIN + 120)) < EPS);
    free(ops.v);
    free(pdf);
    pdf_doc_free(d);
}

static size_t count(const unsigned char *pdf, size_t len, const char *needle)
{
    size_t n = 0;
    for (const unsigned char *p = find(pdf, len, needle, 0); p;
         p = find(pdf, len, needle, (size_t)(p - pdf) + 1))
        n++;
    return n;
}

static void test_checked_box_is_crossed(void **state)
{
    (void)state;
    size_t lines[2];
    for (int checked = 0; checked < 2; checked++) {
        struct pdf_doc *d = pdf_doc_new();
        assert_non_null(d);
        assert_int_equal(pdf_doc_checkbox_line(d, checked, "Untuk diproses lebih lanjut"), 0);
        size_t len;
        unsigned char *pdf = render(d, "Disposisi", &len);
        lines[checked] = count(pdf, len, " l S\n");
        assert_int_equal(count(pdf, len, " re S\n"), 1);
        char *text = pdftotext(pdf, len);
        assert_contains(text, "Untuk diproses lebih lanjut");
        free(text);
        free(pdf);
        pdf_doc_free(d);
    }
    assert_int_equal(lines[1], lines[0] + 2);
}

static void test_signature_block_is_kept_on_one_page(void **state)
{
    (void)state;
    struct pdf_doc *d = pdf_doc_new();
    assert_non_null(d);
    /* Fill the page to about 80 pt above its bottom margin. */
    assert_int_equal(pdf_doc_space(d, PDF_DOC_PAGE_HEIGHT - 2 * PDF_DOC_MARGIN - 80), 0);
    assert_int_equal(pdf_doc_signature(d, "Palembang, 3 Maret 2025", "KEPALA DINAS",
                                       "BUDI SANTOSO", "NIP. 19700101 199003 1 002"), 0);
    assert_int_equal(pdf_doc_page_count(d), 2);
    size_t len;
    unsigned char *pdf = render(d, "TTD", &len);
    struct text_ops ops = body_ops(pdf, len);
    assert_int_equal(ops.n, 4);
    for (size_t k = 0; k < ops.n; k++) {
        assert_int_equal(ops.v[k].page, 2);
        assert_true(ops.v[k].x > PDF_DOC_MARGIN + PDF_DOC_TEXT_WIDTH / 2);
    }
    /* The blank space to sign in lies between the title and the name. */
    assert_true(ops.v[1].y - ops.v[2].y > 60);
    free(ops.v);
    free(pdf);
    pdf_doc_free(d);
}

static void test_render_is_repeatable_and_empty_doc_is_one_page(void **state)
{
    (void)state;
    struct pdf_doc *d = sample_letter();
    size_t len1, len2;
    unsigned char *a = render(d, "Sama", &len1);
    unsigned char *b = render(d, "Sama", &len2);
    assert_int_equal(len1, len2);
    assert_memory_equal(a, b, len1);
    free(a);
    free(b);
    pdf_doc_free(d);

    d = pdf_doc_new();
    assert_non_null(d);
    assert_int_equal(pdf_doc_page_count(d), 1);
    unsigned char *pdf = render(d, "", &len1);
    assert_int_equal(pdfinfo_pages(pdf, len1), 1);
    free(pdf);
    pdf_doc_free(d);
}

static void test_bad_arguments_are_refused(void **state)
{
    (void)state;
    struct pdf_doc *d = pdf_doc_new();
    assert_non_null(d);
    const char *const two[] = { "a", "b" };
    const char *const holey[] = { "a", NULL };
    assert_int_equal(pdf_doc_paragraph(d, NULL), -EINVAL);
    assert_int_equal(pdf_doc_paragraph(NULL, "x"), -EINVAL);
    assert_int_equal(pdf_doc_heading(d, "x", (enum pdf_align)9), -EINVAL);
    assert_int_equal(pdf_doc_text(d, "x", PDF_FONT_REGULAR, 0, PDF_ALIGN_LEFT), -EINVAL);
    assert_int_equal(pdf_doc_field(d, "Hal", NULL), -EINVAL);
    assert_int_equal(pdf_doc_field_label_width(d, 400), -EINVAL);
    assert_int_equal(pdf_doc_checkbox_line(d, true, NULL), -EINVAL);
    assert_int_equal(pdf_doc_signature(d, "a", NULL, "c", "d"), -EINVAL);
    assert_int_equal(pdf_doc_space(d, -1), -EINVAL);
    assert_int_equal(pdf_doc_table_begin(d, 0, NULL, NULL), -EINVAL);
    assert_int_equal(pdf_doc_table_begin(d, PDF_DOC_TABLE_MAX_COLS + 1, NULL, NULL), -EINVAL);
    assert_int_equal(pdf_doc_table_begin(d, 2, holey, NULL), -EINVAL);
    assert_int_equal(pdf_doc_table_begin(d, 2, two, (const double[]){ 1, 0 }), -EINVAL);
    assert_int_equal(pdf_doc_table_begin(d, 2, two, (const double[]){ 0.99, 0.01 }), -EINVAL);
    assert_int_equal(pdf_doc_table_row(d, two), -EINVAL);
    assert_int_equal(pdf_doc_table_end(d), -EINVAL);

    /* While a table is open only its rows may come. */
    assert_int_equal(pdf_doc_table_begin(d, 2, two, NULL), 0);
    assert_int_equal(pdf_doc_table_row(d, holey), -EINVAL);
    assert_int_equal(pdf_doc_paragraph(d, "x"), -EINVAL);
    assert_int_equal(pdf_doc_table_begin(d, 2, two, NULL), -EINVAL);
    unsigned char *pdf = (unsigned char *)"not touched";
    size_t len = 7;
    assert_int_equal(pdf_doc_render(d, "t", &pdf, &len), -EINVAL);
    assert_null(pdf);
    assert_int_equal(len, 0);
    assert_int_equal(pdf_doc_table_row(d, two), 0);
    assert_int_equal(pdf_doc_table_end(d), 0);

    /* The refusals left nothing behind: the document still renders. */
    assert_int_equal(pdf_doc_render(d, NULL, &pdf, &len), -EINVAL);
    pdf = render(d, "t", &len);
    free(pdf);
    pdf_doc_free(d);
    pdf_doc_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_letter_is_a_well_formed_pdf_reader_accepts),
        cmocka_unit_test(test_letter_text_comes_back_from_pdftotext),
        cmocka_unit_test(test_long_table_breaks_pages_and_numbers_them),
        cmocka_unit_test(test_paragraph_lines_stay_inside_the_text_width),
        cmocka_unit_test(test_overlong_word_is_broken_not_lost),
        cmocka_unit_test(test_utf8_is_drawn_as_winansi),
        cmocka_unit_test(test_table_row_taller_than_a_page_is_cut_not_lost),
        cmocka_unit_test(test_field_value_wraps_in_its_column),
        cmocka_unit_test(test_checked_box_is_crossed),
        cmocka_unit_test(test_signature_block_is_kept_on_one_page),
        cmocka_unit_test(test_render_is_repeatable_and_empty_doc_is_one_page),
        cmocka_unit_test(test_bad_arguments_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
