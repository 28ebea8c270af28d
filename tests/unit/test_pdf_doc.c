/* pdf_doc: what a real reader (poppler's pdfinfo, pdffonts, pdfimages,
 * pdftotext, pdftoppm) finds in the files: every font embedded, the text in
 * order with characters outside Latin-1, the emblem only when given, tables
 * breaking over pages with their header repeated, every word inside the text
 * width, and the same bytes for the same calls.
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

#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pdf_doc.h"

#define RIGHT_EDGE (PDF_DOC_MARGIN + PDF_DOC_TEXT_WIDTH)
#define BOTTOM_EDGE (PDF_DOC_PAGE_HEIGHT - PDF_DOC_MARGIN)
#define EPS 0.6 /* poppler's word boxes are rounded a little */

/* UTF-8 spellings used below. */
#define SALAH "\xe1\xb9\xa2" "al\xc4\x81\xe1\xb8\xa5" /* Ṣalāḥ */
#define DUC "\xc4\x90\xe1\xbb\xa9" "c"                 /* Đức */
#define NDASH "\xe2\x80\x93"

/* --- helpers: a real reader ------------------------------------------------- */

static void require_poppler(void)
{
    if (system("command -v pdftotext >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1 && "
               "command -v pdffonts >/dev/null 2>&1 && command -v pdfimages >/dev/null 2>&1 && "
               "command -v pdftoppm >/dev/null 2>&1") != 0)
        fail_msg("poppler-utils not found (scripts/deps.sh, or apt-get install -y poppler-utils)");
}

static char *write_temp(const unsigned char *data, size_t len)
{
    const char *dir = getenv("TMPDIR");
    char *path = malloc(4096);
    assert_non_null(path);
    snprintf(path, 4096, "%s/test_pdf_doc_XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return path;
}

/* Runs `tool args 'file' after` on the PDF and returns what it printed
 * (*out_len bytes, NUL-terminated). */
static char *run_reader_n(const char *tool_and_args, const char *after, const unsigned char *pdf,
                          size_t len, size_t *out_len)
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
    if (out_len)
        *out_len = n;
    return text;
}

static char *run_reader(const char *tool_and_args, const char *after, const unsigned char *pdf,
                        size_t len)
{
    char *text = run_reader_n(tool_and_args, after, pdf, len, NULL);
    /* Poppler reports what it had to repair on stderr, which is read here too. */
    if (strstr(text, "Syntax Error") || strstr(text, "Syntax Warning"))
        fail_msg("%s complained: %s", tool_and_args, text);
    return text;
}

static char *pdftotext(const unsigned char *pdf, size_t len)
{
    return run_reader("pdftotext -layout -enc UTF-8", "-", pdf, len);
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

/* The text with every run of white space made one space. */
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

/* Asserts the needles occur in `hay` in this order; NULL ends the list. */
__attribute__((sentinel))
static void assert_in_order(const char *hay, ...)
{
    va_list ap;
    va_start(ap, hay);
    const char *at = hay;
    for (const char *needle; (needle = va_arg(ap, const char *));) {
        const char *found = strstr(at, needle);
        if (!found)
            fail_msg("\"%s\" not found (in order) after offset %td in:\n%s", needle, at - hay,
                     hay);
        at = found + strlen(needle);
    }
    va_end(ap);
}

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* --- helpers: word boxes (pdftotext -bbox) ------------------------------------ */

struct word {
    int page;
    double x0, y0, x1, y1; /* points from the top-left corner */
    char text[128];
};

struct words {
    struct word *v;
    size_t n;
};

static struct words words_of(const unsigned char *pdf, size_t len)
{
    char *html = run_reader("pdftotext -bbox -enc UTF-8", "-", pdf, len);
    struct words w = { 0 };
    int page = 0;
    for (char *p = html; (p = strchr(p, '<'));) {
        p++;
        if (strncmp(p, "page ", 5) == 0) {
            page++;
            continue;
        }
        if (strncmp(p, "word ", 5) != 0)
            continue;
        struct word wd = { .page = page };
        int n = -1;
        assert_int_equal(sscanf(p, "word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\">%n",
                                &wd.x0, &wd.y0, &wd.x1, &wd.y1, &n), 4);
        char *end = strstr(p + n, "</word>");
        assert_non_null(end);
        snprintf(wd.text, sizeof wd.text, "%.*s", (int)(end - (p + n)), p + n);
        w.v = realloc(w.v, (w.n + 1) * sizeof *w.v);
        assert_non_null(w.v);
        w.v[w.n++] = wd;
        p = end;
    }
    free(html);
    return w;
}

static const struct word *find_word(const struct words *w, const char *text, size_t from)
{
    for (size_t i = from; i < w->n; i++)
        if (strcmp(w->v[i].text, text) == 0)
            return &w->v[i];
    return NULL;
}

/* --- helpers: making and rendering -------------------------------------------- */

static cairo_status_t append_png(void *closure, const unsigned char *data, unsigned int length)
{
    struct { unsigned char *p; size_t n; } *out = closure;
    out->p = realloc(out->p, out->n + length);
    assert_non_null(out->p);
    memcpy(out->p + out->n, data, length);
    out->n += length;
    return CAIRO_STATUS_SUCCESS;
}

/* A placeholder emblem, 120 by 140 pixels, as a PNG file's bytes. */
static unsigned char *emblem_png(size_t *len)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 120, 140);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0.1, 0.4, 0.2);
    cairo_rectangle(cr, 10, 10, 100, 120);
    cairo_fill(cr);
    cairo_destroy(cr);
    struct { unsigned char *p; size_t n; } out = { NULL, 0 };
    assert_int_equal(cairo_surface_write_to_png_stream(s, append_png, &out), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
    *len = out.n;
    return out.p;
}

static unsigned char *render(struct pdf_doc *doc, const char *title, size_t *len)
{
    unsigned char *pdf = NULL;
    assert_int_equal(pdf_doc_render(doc, title, &pdf, len), 0);
    assert_non_null(pdf);
    assert_true(*len > 64);
    assert_memory_equal(pdf, "%PDF-1.5", 8);
    assert_memory_equal(pdf + *len - 6, "%%EOF\n", 6);
    return pdf;
}

/* --- the sample letter ------------------------------------------------------ */

static const char *const head_lines[] = {
    "PEMERINTAH KOTA BEKASI",
    "DINAS KOMUNIKASI, INFORMATIKA, STATISTIK DAN PERSANDIAN",
};
#define HEAD_ADDRESS "Jalan Jenderal Ahmad Yani Nomor 1, Bekasi 17141"

static const char *const letter_paragraph =
    "Sehubungan dengan surat Saudara nomor 045/117/DPMPTSP/2026 tanggal 20 November 2026 "
    "perihal permohonan sertifikat elektronik, bersama ini kami sampaikan bahwa permohonan "
    "tersebut telah diperiksa dan dinyatakan memenuhi persyaratan teknis maupun "
    "administratif.";

static struct pdf_doc *sample_letter(bool with_emblem)
{
    struct pdf_doc *d = pdf_doc_new();
    assert_non_null(d);
    assert_int_equal(pdf_doc_set_date(d, "2026-12-04"), 0);
    size_t elen = 0;
    unsigned char *emblem = with_emblem ? emblem_png(&elen) : NULL;
    assert_int_equal(pdf_doc_letterhead(d, emblem, elen, head_lines, 2, HEAD_ADDRESS), 0);
    free(emblem);
    assert_int_equal(pdf_doc_field(d, "Nomor", "800.1.6/0042/Diskominfostandi"), 0);
    assert_int_equal(pdf_doc_field(d, "Sifat", "Biasa"), 0);
    assert_int_equal(pdf_doc_field(d, "Hal", "Rekomendasi penerbitan sertifikat elektronik"), 0);
    assert_int_equal(pdf_doc_space(d, 12), 0);
    assert_int_equal(pdf_doc_text(d, "Yth. Kepala Balai Besar Sertifikasi Elektronik\ndi Jakarta",
                                  PDF_FONT_REGULAR, 11, PDF_ALIGN_LEFT), 0);
    assert_int_equal(pdf_doc_space(d, 12), 0);
    assert_int_equal(pdf_doc_paragraph(d, letter_paragraph), 0);
    const char *const head[] = { "No", "Nama", "NIP" };
    const double widths[] = { 0.1, 0.5, 0.4 };
    assert_int_equal(pdf_doc_table_begin(d, 3, head, widths), 0);
    const char *const r1[] = { "1", SALAH, "19800202 200501 1 003" };
    const char *const r2[] = { "2", "Nguy" "\xe1\xbb\x85" "n V" "\xc4\x83" "n " DUC,
                               "19850303 201001 2 004" };
    assert_int_equal(pdf_doc_table_row(d, r1), 0);
    assert_int_equal(pdf_doc_table_row(d, r2), 0);
    assert_int_equal(pdf_doc_table_end(d), 0);
    assert_int_equal(pdf_doc_signature(d, "Bekasi, 4 Desember 2026", "KEPALA DINAS",
                                       "Ir. H. AHMAD SURYADI, M.T.",
                                       "Pembina Utama Muda (IV/c)\nNIP. 19700101 199003 1 002"), 0);
    return d;
}

/* --- tests ------------------------------------------------------------------ */

static void test_letter_metadata_pages_and_date(void **state)
{
    (void)state;
    struct pdf_doc *d = sample_letter(true);
    size_t len;
    unsigned char *pdf = render(d, "Surat Rekomendasi " NDASH " " SALAH, &len);
    const char *keep = getenv("SERTIBOT_PDF_SAMPLE");
    if (keep && *keep) {
        FILE *f = fopen(keep, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(pdf, 1, len, f), len);
        assert_int_equal(fclose(f), 0);
    }
    char *info = run_reader("pdfinfo -isodates", "", pdf, len);
    char *flat = squeeze(info);
    assert_contains(flat, " Pages: 1 ");
    assert_contains(flat, " PDF version: 1.5");
    assert_contains(flat, "Creator: sertibot ");
    assert_contains(flat, "Title: Surat Rekomendasi " NDASH " " SALAH " ");
    assert_contains(flat, "CreationDate: 2026-12-04T00:00:00");
    assert_contains(flat, "ModDate: 2026-12-04T00:00:00");
    assert_contains(flat, " Page size: 595 x 842 pts (A4) ");
    free(flat);
    free(info);
    free(pdf);
    pdf_doc_free(d);
}

/* pdffonts' table: every font embedded, as a subset, with a Unicode map. */
static void test_every_font_is_embedded(void **state)
{
    (void)state;
    struct pdf_doc *d = sample_letter(true);
    size_t len;
    unsigned char *pdf = render(d, "Surat", &len);
    char *fonts = run_reader("pdffonts", "", pdf, len);
    char *line = strstr(fonts, "\n---");
    assert_non_null(line);
    line = strchr(line + 1, '\n');
    size_t n = 0, bold = 0;
    for (char *next; line && line[1]; line = next) {
        next = strchr(line + 1, '\n');
        char row[512];
        snprintf(row, sizeof row, "%.*s", (int)(next ? next - line - 1 : (long)strlen(line + 1)),
                 line + 1);
        char name[256], emb[8], sub[8], uni[8];
        /* name type... encoding emb sub uni object ID: read from the right. */
        char *tail = row + strlen(row);
        for (int field = 0; field < 5 && tail > row; field++) {
            while (tail > row && tail[-1] == ' ')
                tail--;
            while (tail > row && tail[-1] != ' ')
                tail--;
        }
        assert_int_equal(sscanf(tail, "%7s %7s %7s", emb, sub, uni), 3);
        assert_int_equal(sscanf(row, "%255s", name), 1);
        if (strcmp(emb, "yes") != 0 || strcmp(sub, "yes") != 0 || strcmp(uni, "yes") != 0)
            fail_msg("font not embedded as a subset with a Unicode map: %s", row);
        assert_non_null(strstr(name, "+Liberation"));
        bold += strstr(name, "-Bold") != NULL;
        n++;
    }
    assert_true(n >= 2);
    assert_true(bold >= 1);
    free(fonts);
    free(pdf);
    pdf_doc_free(d);
}

static void test_text_reads_back_in_order_with_unicode(void **state)
{
    (void)state;
    struct pdf_doc *d = sample_letter(false);
    size_t len;
    unsigned char *pdf = render(d, "Surat", &len);
    char *text = pdftotext(pdf, len);
    char *flat = squeeze(text);
    assert_in_order(flat, "PEMERINTAH KOTA BEKASI", "DINAS KOMUNIKASI, INFORMATIKA", HEAD_ADDRESS,
                    "Nomor : 800.1.6/0042/Diskominfostandi", "Hal : Rekomendasi",
                    "Yth. Kepala Balai", letter_paragraph, "No Nama NIP", "1 " SALAH,
                    "19800202 200501 1 003", "2 Nguy" "\xe1\xbb\x85" "n V" "\xc4\x83" "n " DUC,
                    "Bekasi, 4 Desember 2026", "KEPALA DINAS", "Ir. H. AHMAD SURYADI, M.T.",
                    "NIP. 19700101 199003 1 002", NULL);
    assert_int_equal(count_of(text, "\xef\xbf\xbd"), 0); /* no replacement character */
    free(flat);
    free(text);
    free(pdf);
    pdf_doc_free(d);
}

/* pdfimages -list: one image (and its alpha mask) with the emblem, none without. */
static size_t images_in(const unsigned char *pdf, size_t len, const char *kind)
{
    char *list = run_reader("pdfimages -list", "", pdf, len);
    size_t n = 0;
    char *line = strstr(list, "\n---");
    assert_non_null(line);
    for (line = strchr(line + 1, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
        int page, num, w, h;
        char type[16];
        assert_int_equal(sscanf(line + 1, "%d %d %15s %d %d", &page, &num, type, &w, &h), 5);
        if (strcmp(type, kind) == 0) {
            assert_int_equal(w, 120);
            assert_int_equal(h, 140);
            n++;
        }
    }
    free(list);
    return n;
}

static void test_emblem_is_there_only_when_given(void **state)
{
    (void)state;
    for (int with = 0; with < 2; with++) {
        struct pdf_doc *d = sample_letter(with);
        size_t len;
        unsigned char *pdf = render(d, "Kop", &len);
        assert_int_equal(images_in(pdf, len, "image"), (size_t)with);
        struct words w = words_of(pdf, len);
        const struct word *gov = find_word(&w, "PEMERINTAH", 0);
        const struct word *agency = find_word(&w, "DINAS", 0);
        const struct word *address = find_word(&w, "Jalan", 0);
        assert_non_null(gov);
        assert_non_null(agency);
        assert_non_null(address);
        /* The government's line is the largest, the address the smallest. */
        assert_true(gov->y1 - gov->y0 > agency->y1 - agency->y0);
        assert_true(agency->y1 - agency->y0 > address->y1 - address->y0);
        assert_true(gov->y1 <= agency->y0 + EPS && agency->y1 <= address->y0 + EPS);
        /* With the emblem the text keeps clear of it; it stays on one line. */
        const struct word *last = find_word(&w, "PERSANDIAN", 0);
        assert_non_null(last);
        assert_true(fabs(last->y0 - agency->y0) < EPS);
        double left = PDF_DOC_MARGIN + (with ? 70 : 0);
        assert_true(agency->x0 >= left - EPS && last->x1 <= RIGHT_EDGE + EPS);
        /* Centred on the page. */
        double centre = (find_word(&w, "BEKASI", 0)->x1 + gov->x0) / 2;
        assert_true(fabs(centre - PDF_DOC_PAGE_WIDTH / 2) < 1);
        free(w.v);
        free(pdf);
        pdf_doc_free(d);
    }
}

/* The footer reads "n / N"; pdftotext -layout may close up the spaces. */
static bool is_footer(const char *line, int page, int pages)
{
    int a, b, end = -1;
    return sscanf(line, " %d / %d %n", &a, &b, &end) == 2 && line[end] == '\0' && a == page
           && b == pages;
}

static void test_forty_rows_break_pages_with_the_header_repeated(void **state)
{
    (void)state;
    struct pdf_doc *d = pdf_doc_new();
    assert_non_null(d);
    assert_int_equal(pdf_doc_heading(d, "DAFTAR PEMEGANG SERTIFIKAT", PDF_ALIGN_CENTER), 0);
    const char *const head[] = { "No", "Nama Pemegang", "Jabatan" };
    const double widths[] = { 1, 4, 5 };
    assert_int_equal(pdf_doc_table_begin(d, 3, head, widths), 0);
    for (int i = 1; i <= 40; i++) {
        char no[16], name[64], position[128];
        snprintf(no, sizeof no, "%d", i);
        snprintf(name, sizeof name, "Pemegang-%d " DUC, i);
        /* Every third row wraps over two lines. */
        snprintf(position, sizeof position, i % 3 ? "Staf %d" : "Pranata Komputer Ahli Muda "
                 "pada Bidang Persandian dan Keamanan Informasi %d", i);
        const char *const row[] = { no, name, position };
        assert_int_equal(pdf_doc_table_row(d, row), 0);
    }
    assert_int_equal(pdf_doc_table_end(d), 0);
    int pages = (int)pdf_doc_page_count(d);
    assert_true(pages >= 2);
    size_t len;
    unsigned char *pdf = render(d, "Daftar", &len);
    assert_int_equal(pdfinfo_pages(pdf, len), pages);

    for (int page = 1; page <= pages; page++) {
        char args[64];
        snprintf(args, sizeof args, "pdftotext -layout -enc UTF-8 -f %d -l %d", page, page);
        char *text = run_reader(args, "-", pdf, len);
        assert_contains(text, "Nama Pemegang"); /* the header row, on every page */
        assert_int_equal(count_of(text, "Nama Pemegang"), 1);
        char *last = NULL;
        for (char *line = strtok(text, "\n\f"); line; line = strtok(NULL, "\n\f"))
            if (strspn(line, " ") != strlen(line))
                last = line;
        assert_non_null(last);
        if (!is_footer(last, page, pages))
            fail_msg("page %d of %d ends with \"%s\"", page, pages, last);
        free(text);
    }

    /* Every row once, in order, and nothing in the bottom margin but the footer. */
    struct words w = words_of(pdf, len);
    size_t at = 0;
    for (int i = 1; i <= 40; i++) {
        char name[64];
        snprintf(name, sizeof name, "Pemegang-%d", i);
        const struct word *found = find_word(&w, name, at);
        assert_non_null(found);
        assert_null(find_word(&w, name, (size_t)(found - w.v) + 1));
        at = (size_t)(found - w.v) + 1;
    }
    for (size_t k = 0; k < w.n; k++)
        if (!strchr("0123456789/", w.v[k].text[0]) || w.v[k].y0 < BOTTOM_EDGE)
            assert_true(w.v[k].y1 <= BOTTOM_EDGE + EPS);
    free(w.v);
    free(pdf);
    pdf_doc_free(d);
}

/* Groups words into lines by their top edge. */
static void test_justified_paragraph_fills_the_width_and_stays_inside(void **state)
{
    (void)state;
    static const char *const text =
        "Permohonan penerbitan sertifikat elektronik diajukan oleh perangkat daerah melalui "
        "surat resmi yang ditandatangani kepala perangkat daerah, dilengkapi dengan surat "
        "rekomendasi, salinan kartu identitas, serta pernyataan kesanggupan menjaga kerahasiaan "
        "pasangan kunci privat selama masa berlaku sertifikat elektronik berlangsung. WWWWWWWW "
        "iiiiiiii Pemeriksaan dilakukan oleh Kepala Seksi dan Pelaksana.";
    struct pdf_doc *d = pdf_doc_new();
    assert_non_null(d);
    assert_int_equal(pdf_doc_paragraph(d, text), 0);
    size_t len;
    unsigned char *pdf = render(d, "Lebar", &len);
    struct words w = words_of(pdf, len);
    size_t lines = 0;
    char *joined = calloc(1, strlen(text) + 64);
    assert_non_null(joined);
    for (size_t k = 0; k < w.n; k++) {
        const struct word *wd = &w.v[k];
        if (wd->y0 > BOTTOM_EDGE)
            continue; /* the footer */
        assert_true(wd->x0 >= PDF_DOC_MARGIN - EPS && wd->x1 <= RIGHT_EDGE + EPS);
        if (joined[0])
            strcat(joined, " ");
        strcat(joined, wd->text);
        bool line_start = k == 0 || fabs(w.v[k - 1].y0 - wd->y0) > 1;
        bool line_end = k + 1 == w.n || fabs(w.v[k + 1].y0 - wd->y0) > 1;
        if (line_start) {
            lines++;
            assert_true(fabs(wd->x0 - PDF_DOC_MARGIN) < 1);
        }
        /* Every line but the last reaches the right edge; the last does not. */
        bool last_line = k + 1 == w.n || w.v[k + 1].y0 > BOTTOM_EDGE;
        if (line_end)
            assert_true(last_line ? wd->x1 < RIGHT_EDGE - 20 : fabs(wd->x1 - RIGHT_EDGE) < 1);
    }
    assert_true(lines >= 4);
    assert_string_equal(joined, text);
    free(joined);
    free(w.v);
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
    struct words w = words_of(pdf, len);
    for (size_t k = 0; k < w.n; k++)
        assert_true(w.v[k].x1 <= RIGHT_EDGE + EPS);
    char *out = pdftotext(pdf, len);
    char *o = out;
    for (char *p = out; *p; p++)
        if (*p != ' ' && *p != '\n' && *p != '\f')
            *o++ = *p;
    *o = '\0';
    char want[400];
    snprintf(want, sizeof want, "Tautan:%sselesai", word);
    assert_contains(out, want);
    free(out);
    free(w.v);
    free(pdf);
    pdf_doc_free(d);
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
    struct words w = words_of(pdf, len);
    size_t next = 1, headers = 0;
    for (size_t k = 0; k < w.n; k++) {
        char want[32];
        snprintf(want, sizeof want, "baris-%zu", next);
        next += strcmp(w.v[k].text, want) == 0;
        headers += strcmp(w.v[k].text, "Uraian") == 0;
        if (w.v[k].y0 < BOTTOM_EDGE)
            assert_true(w.v[k].y1 <= BOTTOM_EDGE + EPS);
    }
    assert_int_equal(next, 81);
    assert_int_equal(headers, 2);
    free(w.v);
    free(pdf);
    pdf_doc_free(d);
}

/* A row that fits a page moves whole, and a header with no row under it
 * goes along: nothing of the table is left at the foot of page 1. */
static void test_row_and_header_move_whole_to_the_next_page(void **state)
{
    (void)state;
    struct pdf_doc *d = pdf_doc_new();
    assert_non_null(d);
    /* 45 pt left: room for the header and one line of a row, not three. */
    assert_int_equal(pdf_doc_space(d, PDF_DOC_PAGE_HEIGHT - 2 * PDF_DOC_MARGIN - 45), 0);
    const char *const head[] = { "Uraian", "Catatan" };
    assert_int_equal(pdf_doc_table_begin(d, 2, head, NULL), 0);
    const char *const row[] = { "satu\ndua\ntiga", "pendek" };
    assert_int_equal(pdf_doc_table_row(d, row), 0);
    assert_int_equal(pdf_doc_table_end(d), 0);
    assert_int_equal(pdf_doc_page_count(d), 2);
    size_t len;
    unsigned char *pdf = render(d, "Pindah", &len);
    struct words w = words_of(pdf, len);
    const char *on_page_2[] = { "Uraian", "satu", "dua", "tiga", "pendek" };
    for (size_t i = 0; i < 5; i++) {
        const struct word *found = find_word(&w, on_page_2[i], 0);
        assert_non_null(found);
        assert_int_equal(found->page, 2);
        assert_null(find_word(&w, on_page_2[i], (size_t)(found - w.v) + 1));
    }
    free(w.v);
    /* Nothing but the footer is drawn on page 1. */
    char *page1 = run_reader("pdftotext -enc UTF-8 -f 1 -l 1", "-", pdf, len);
    char *flat = squeeze(page1);
    assert_string_equal(flat, "1/2");
    free(flat);
    free(page1);
    free(pdf);
    pdf_doc_free(d);
}

static void test_field_value_wraps_in_its_column(void **state)
{
    (void)state;
    struct pdf_doc *d = pdf_doc_new();
    assert_non_null(d);
    assert_int_equal(pdf_doc_field(d, "Hal", "Rekomendasi penerbitan sertifikat elektronik bagi "
                                             "pejabat dan staf Dinas Komunikasi, Informatika, "
                                             "Statistik dan Persandian Kota Bekasi"), 0);
    assert_int_equal(pdf_doc_field_label_width(d, 120), 0);
    assert_int_equal(pdf_doc_field(d, "Diterima", "4 Desember 2026"), 0);
    size_t len;
    unsigned char *pdf = render(d, "Field", &len);
    struct words w = words_of(pdf, len);
    const struct word *label = find_word(&w, "Hal", 0), *colon = find_word(&w, ":", 0);
    const struct word *first = find_word(&w, "Rekomendasi", 0);
    assert_non_null(label);
    assert_non_null(colon);
    assert_non_null(first);
    assert_true(fabs(label->x0 - PDF_DOC_MARGIN) < 1);
    assert_true(fabs(colon->x0 - (PDF_DOC_MARGIN + 90)) < 1);
    assert_true(first->x0 > colon->x1);
    /* The value's second line starts under its first, not under the label. */
    size_t second_line = 0;
    for (size_t k = 0; k < w.n; k++) {
        if (w.v[k].y0 > first->y0 + 5 && w.v[k].y0 < first->y0 + 20 && !second_line++)
            assert_true(fabs(w.v[k].x0 - first->x0) < 1);
        assert_true(w.v[k].x1 <= RIGHT_EDGE + EPS);
    }
    assert_true(second_line > 0);
    const struct word *date = find_word(&w, "Desember", 0);
    assert_non_null(date);
    assert_true(find_word(&w, "4", 0)->x0 > PDF_DOC_MARGIN + 120);
    free(w.v);
    free(pdf);
    pdf_doc_free(d);
}

/* The darkest grey in a square of pixels around (x, y) points, page 1 drawn
 * at 144 dpi by pdftoppm. */
static int darkest_near(const unsigned char *pdf, size_t len, double x, double y)
{
    size_t n;
    char *pgm = run_reader_n("pdftoppm -r 144 -gray -f 1 -l 1", "", pdf, len, &n);
    int w, h, max, off = -1;
    assert_int_equal(sscanf(pgm, "P5 %d %d %d%n", &w, &h, &max, &off), 3);
    const unsigned char *px = (const unsigned char *)pgm + off + 1;
    int cx = (int)(x * 2), cy = (int)(y * 2), darkest = 255;
    for (int yy = cy - 2; yy <= cy + 2; yy++)
        for (int xx = cx - 2; xx <= cx + 2; xx++)
            darkest = px[yy * w + xx] < darkest ? px[yy * w + xx] : darkest;
    free(pgm);
    return darkest;
}

static void test_checked_box_is_crossed(void **state)
{
    (void)state;
    int centre[2];
    for (int checked = 0; checked < 2; checked++) {
        struct pdf_doc *d = pdf_doc_new();
        assert_non_null(d);
        assert_int_equal(pdf_doc_checkbox_line(d, checked, "Untuk diproses lebih lanjut"), 0);
        size_t len;
        unsigned char *pdf = render(d, "Disposisi", &len);
        char *text = pdftotext(pdf, len);
        assert_contains(text, "Untuk diproses lebih lanjut");
        free(text);
        /* The box is 8 pt square at the margin (+2), centred on the first
         * 14.3 pt line: its middle is at (62, 63.15). */
        centre[checked] = darkest_near(pdf, len, PDF_DOC_MARGIN + 6, PDF_DOC_MARGIN + 7.15);
        /* Its left edge is drawn either way. */
        assert_true(darkest_near(pdf, len, PDF_DOC_MARGIN + 2, PDF_DOC_MARGIN + 7.15) < 128);
        free(pdf);
        pdf_doc_free(d);
    }
    assert_true(centre[0] > 200);
    assert_true(centre[1] < 128);
}

static void test_signature_block_is_kept_on_one_page(void **state)
{
    (void)state;
    struct pdf_doc *d = pdf_doc_new();
    assert_non_null(d);
    /* Fill the page to about 80 pt above its bottom margin. */
    assert_int_equal(pdf_doc_space(d, PDF_DOC_PAGE_HEIGHT - 2 * PDF_DOC_MARGIN - 80), 0);
    assert_int_equal(pdf_doc_signature(d, "Bekasi, 4 Desember 2026", "KEPALA DINAS",
                                       "BUDI SANTOSO", "NIP. 19700101 199003 1 002"), 0);
    assert_int_equal(pdf_doc_page_count(d), 2);
    size_t len;
    unsigned char *pdf = render(d, "TTD", &len);
    struct words w = words_of(pdf, len);
    const struct word *place = find_word(&w, "Bekasi,", 0), *title = find_word(&w, "KEPALA", 0);
    const struct word *name = find_word(&w, "BUDI", 0), *nip = find_word(&w, "NIP.", 0);
    assert_non_null(place);
    assert_non_null(title);
    assert_non_null(name);
    assert_non_null(nip);
    assert_int_equal(place->page, 2);
    assert_int_equal(nip->page, 2);
    assert_true(place->x0 > PDF_DOC_MARGIN + PDF_DOC_TEXT_WIDTH / 2);
    /* The blank space to sign in lies between the title and the name. */
    assert_true(name->y0 - title->y1 > 60);
    free(w.v);
    free(pdf);
    pdf_doc_free(d);
}

static void test_render_is_repeatable_and_dated_only_when_told(void **state)
{
    (void)state;
    struct pdf_doc *d = sample_letter(true);
    size_t len1, len2;
    unsigned char *a = render(d, "Sama", &len1);
    unsigned char *b = render(d, "Sama", &len2);
    assert_int_equal(len1, len2);
    assert_memory_equal(a, b, len1);
    free(b);
    struct pdf_doc *again = sample_letter(true);
    b = render(again, "Sama", &len2);
    assert_int_equal(len1, len2);
    assert_memory_equal(a, b, len1);
    free(a);
    free(b);
    pdf_doc_free(again);
    pdf_doc_free(d);

    d = pdf_doc_new();
    assert_non_null(d);
    assert_int_equal(pdf_doc_page_count(d), 1);
    unsigned char *pdf = render(d, "", &len1);
    assert_int_equal(pdfinfo_pages(pdf, len1), 1);
    char *info = run_reader("pdfinfo", "", pdf, len1);
    assert_null(strstr(info, "CreationDate"));
    free(info);
    free(pdf);
    assert_int_equal(pdf_doc_set_date(d, "2026-13-01"), -EINVAL);
    assert_int_equal(pdf_doc_set_date(d, "4 Desember 2026"), -EINVAL);
    assert_int_equal(pdf_doc_set_date(d, "2026-12-4"), -EINVAL);
    pdf_doc_free(d);
}

static void test_font_family_is_configurable_and_measured(void **state)
{
    (void)state;
    struct pdf_doc *d = pdf_doc_new();
    assert_non_null(d);
    assert_int_equal(pdf_doc_set_font_family(d, "No Such Family Anywhere"), -ENOENT);
    double sans = pdf_doc_measure(d, PDF_FONT_REGULAR, 11, "Rekomendasi " SALAH);
    assert_true(fabs(sans - pdf_doc_text_width(PDF_FONT_REGULAR, 11, "Rekomendasi " SALAH))
                < 1e-6);
    assert_true(pdf_doc_measure(d, PDF_FONT_BOLD, 11, "Rekomendasi") >
                pdf_doc_measure(d, PDF_FONT_REGULAR, 11, "Rekomendasi"));
    assert_true(fabs(pdf_doc_measure(d, PDF_FONT_REGULAR, 22, "Wi")
                     - 2 * pdf_doc_measure(d, PDF_FONT_REGULAR, 11, "Wi")) < 0.01);
    assert_true(pdf_doc_measure(d, PDF_FONT_REGULAR, 11, NULL) == 0);
    assert_int_equal(pdf_doc_set_font_family(d, "Liberation Serif"), 0);
    assert_true(fabs(pdf_doc_measure(d, PDF_FONT_REGULAR, 11, "Rekomendasi " SALAH) - sans) > 1);
    assert_int_equal(pdf_doc_paragraph(d, "Huruf berkait untuk " DUC), 0);
    size_t len;
    unsigned char *pdf = render(d, "Serif", &len);
    char *fonts = run_reader("pdffonts", "", pdf, len);
    assert_contains(fonts, "+LiberationSerif");
    assert_null(strstr(fonts, "+LiberationSans"));
    free(fonts);
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
    static const unsigned char not_png[] = "GIF89a not a png at all";
    assert_int_equal(pdf_doc_paragraph(d, NULL), -EINVAL);
    assert_int_equal(pdf_doc_paragraph(NULL, "x"), -EINVAL);
    assert_int_equal(pdf_doc_heading(d, "x", (enum pdf_align)9), -EINVAL);
    assert_int_equal(pdf_doc_text(d, "x", PDF_FONT_REGULAR, 0, PDF_ALIGN_LEFT), -EINVAL);
    assert_int_equal(pdf_doc_field(d, "Hal", NULL), -EINVAL);
    assert_int_equal(pdf_doc_field_label_width(d, 400), -EINVAL);
    assert_int_equal(pdf_doc_checkbox_line(d, true, NULL), -EINVAL);
    assert_int_equal(pdf_doc_signature(d, "a", NULL, "c", "d"), -EINVAL);
    assert_int_equal(pdf_doc_space(d, -1), -EINVAL);
    assert_int_equal(pdf_doc_letterhead(d, NULL, 0, NULL, 1, "x"), -EINVAL);
    assert_int_equal(pdf_doc_letterhead(d, NULL, 0, two, 0, "x"), -EINVAL);
    assert_int_equal(pdf_doc_letterhead(d, NULL, 0, holey, 2, "x"), -EINVAL);
    assert_int_equal(pdf_doc_letterhead(d, not_png, sizeof not_png, two, 2, "x"), -EINVAL);
    assert_int_equal(pdf_doc_set_font_family(d, ""), -EINVAL);
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
    assert_int_equal(pdf_doc_letterhead(d, NULL, 0, two, 2, NULL), -EINVAL);
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
    assert_int_equal(images_in(pdf, len, "image"), 0);
    free(pdf);
    pdf_doc_free(d);
    pdf_doc_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_letter_metadata_pages_and_date),
        cmocka_unit_test(test_every_font_is_embedded),
        cmocka_unit_test(test_text_reads_back_in_order_with_unicode),
        cmocka_unit_test(test_emblem_is_there_only_when_given),
        cmocka_unit_test(test_forty_rows_break_pages_with_the_header_repeated),
        cmocka_unit_test(test_justified_paragraph_fills_the_width_and_stays_inside),
        cmocka_unit_test(test_overlong_word_is_broken_not_lost),
        cmocka_unit_test(test_table_row_taller_than_a_page_is_cut_not_lost),
        cmocka_unit_test(test_row_and_header_move_whole_to_the_next_page),
        cmocka_unit_test(test_field_value_wraps_in_its_column),
        cmocka_unit_test(test_checked_box_is_crossed),
        cmocka_unit_test(test_signature_block_is_kept_on_one_page),
        cmocka_unit_test(test_render_is_repeatable_and_dated_only_when_told),
        cmocka_unit_test(test_font_family_is_configurable_and_measured),
        cmocka_unit_test(test_bad_arguments_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
