/* pdf_doc: the layout and the PDF writer; see pdf_doc.h for the contract.
 *
 * Blocks are laid out as they are added: each page keeps its content stream
 * (PDF drawing operators as text) in a growing buffer, and a block appends its
 * operators to the last page, starting a new page when it runs out of room.
 * Only the footer depends on the page count, so pdf_doc_render adds it while
 * it writes the file and leaves the document as it was.
 *
 * Every line of text is one text object of its own, "BT /F1 11 Tf x y Td (..)
 * Tj ET", set without kerning: it is the simplest form every reader handles,
 * and the widths used to wrap are exactly the widths the reader draws. */
#include "pdf_doc.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define TOP (PDF_DOC_PAGE_HEIGHT - PDF_DOC_MARGIN)
#define BOTTOM PDF_DOC_MARGIN
#define BODY_SIZE 11.0
#define HEADING_SIZE 13.0
#define TABLE_SIZE 10.0
#define FOOTER_SIZE 9.0
#define FOOTER_BASELINE 28.0
#define LEADING 1.3        /* line height as a multiple of the font size */
#define TABLE_LEADING 1.25 /* tighter in cells, where rules separate the rows */
#define CELL_PAD 4.0
#define MIN_COLUMN 20.0
#define BLOCK_GAP 6.0      /* after a paragraph and after a table */
#define SIGN_SPACE 60.0    /* blank space to sign in */
#define BOX_SIZE 8.0
#define BOX_INDENT 20.0    /* where checkbox text starts, from the margin */
#define LABEL_WIDTH 90.0
#define COLON_WIDTH 10.0
/* Helvetica's ascender and descender, in 1/1000 of the size: a line's glyphs
 * are centred in its line box with these. */
#define ASCENT 0.718
#define DESCENT 0.207

/* Glyph widths of the two standard fonts in units of 1/1000 of the font size,
 * indexed by WinAnsi code: Adobe's AFM metrics for Helvetica and
 * Helvetica-Bold (the ones PDF readers use for the standard 14 fonts), looked
 * up by the glyph name WinAnsiEncoding gives each code. 0 marks a code with no
 * glyph (controls, and 0x81 0x8D 0x8F 0x90 0x9D), which winansi() never
 * produces. */
static const unsigned short glyph_widths[2][256] = {
    {
           0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0, /* 0x00 */
           0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0, /* 0x10 */
         278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, /* 0x20 */
         556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, /* 0x30 */
        1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, /* 0x40 */
         667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, /* 0x50 */
         333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, /* 0x60 */
         556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,   0, /* 0x70 */
         556,   0, 222, 556, 333,1000, 556, 556, 333,1000, 667, 333,1000,   0, 611,   0, /* 0x80 */
           0, 222, 222, 333, 333, 350, 556,1000, 333,1000, 500, 333, 944,   0, 500, 667, /* 0x90 */
         278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333, /* 0xA0 */
         400, 584, 333, 333, 333, 578, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611, /* 0xB0 */
         667, 667, 667, 667, 667, 667,1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, /* 0xC0 */
         722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611, /* 0xD0 */
         556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278, /* 0xE0 */
         556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500, /* 0xF0 */
    },
    {
           0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0, /* 0x00 */
           0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0, /* 0x10 */
         278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, /* 0x20 */
         556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, /* 0x30 */
         975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, /* 0x40 */
         667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, /* 0x50 */
         333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, /* 0x60 */
         611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,   0, /* 0x70 */
         556,   0, 278, 556, 500,1000, 556, 556, 333,1000, 667, 333,1000,   0, 611,   0, /* 0x80 */
           0, 278, 278, 500, 500, 350, 556,1000, 333,1000, 556, 333, 944,   0, 500, 667, /* 0x90 */
         278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333, /* 0xA0 */
         400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611, /* 0xB0 */
         722, 722, 722, 722, 722, 722,1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, /* 0xC0 */
         722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611, /* 0xD0 */
         556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278, /* 0xE0 */
         611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556, /* 0xF0 */
    },
};

/* --- bytes ----------------------------------------------------------------- */

/* A growing byte buffer that remembers its first allocation failure, so the
 * code that fills it checks once at the end instead of after every write. */

/* A number for a content stream, to 1/1000 pt with no trailing zeros. Made by
 * hand because printf's "%f" follows LC_NUMERIC and could write a comma. */
static void buf_num(struct buf *b, double v)
{
    long long m = (long long)(v < 0 ? v * 1000.0 - 0.5 : v * 1000.0 + 0.5);
    const char *sign = "";
    if (m < 0) {
        sign = "-";
        m = -m;
    }
    long long frac = m % 1000;
    if (frac == 0)
        buf_printf(b, "%s%lld", sign, m / 1000);
    else if (frac % 100 == 0)
        buf_printf(b, "%s%lld.%lld", sign, m / 1000, frac / 100);
    else if (frac % 10 == 0)
        buf_printf(b, "%s%lld.%02lld", sign, m / 1000, frac / 10);
    else
        buf_printf(b, "%s%lld.%03lld", sign, m / 1000, frac);
}

/* A PDF literal string: ( ) and \ escaped, control bytes in octal (a raw CR
 * would be read back as LF); bytes 0x80-0xFF go as they are. */
static void buf_pdf_string(struct buf *b, const unsigned char *s, size_t n)
{
    buf_put(b, "(", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        if (c == '(' || c == ')' || c == '\\') {
            unsigned char esc[2] = { '\\', c };
            buf_put(b, esc, 2);
        } else if (c < 0x20 || c == 0x7f) {
            buf_printf(b, "\\%03o", c);
        } else {
            buf_put(b, &c, 1);
        }
    }
    buf_put(b, ")", 1);
}

/* --- text: UTF-8 in, WinAnsi out ------------------------------------------- */

/* The next code point of s[*i..len), or -1 for malformed UTF-8 (overlong,
 * surrogate, beyond U+10FFFF, cut short), which consumes one byte. */
static long utf8_next(const unsigned char *s, size_t len, size_t *i)
{
    unsigned char c = s[*i];
    size_t n;
    long cp, min;
    if (c < 0x80) {
        (*i)++;
        return c;
    } else if (c >= 0xc2 && c <= 0xdf) {
        n = 2, cp = c & 0x1f, min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3, cp = c & 0x0f, min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4, cp = c & 0x07, min = 0x10000;
    } else {
        (*i)++;
        return -1;
    }
    if (len - *i < n) {
        (*i)++;
        return -1;
    }
    for (size_t k = 1; k < n; k++) {
        if ((s[*i + k] & 0xc0) != 0x80) {
            (*i)++;
            return -1;
        }
        cp = (cp << 6) | (s[*i + k] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        (*i)++;
        return -1;
    }
    *i += n;
    return cp;
}

/* The characters Windows-1252 puts at 0x80-0x9F, which Unicode keeps elsewhere. */
static const struct {
    unsigned short cp;
    unsigned char code;
} winansi_high[] = {
    { 0x20ac, 0x80 }, { 0x201a, 0x82 }, { 0x0192, 0x83 }, { 0x201e, 0x84 }, { 0x2026, 0x85 },
    { 0x2020, 0x86 }, { 0x2021, 0x87 }, { 0x02c6, 0x88 }, { 0x2030, 0x89 }, { 0x0160, 0x8a },
    { 0x2039, 0x8b }, { 0x0152, 0x8c }, { 0x017d, 0x8e }, { 0x2018, 0x91 }, { 0x2019, 0x92 },
    { 0x201c, 0x93 }, { 0x201d, 0x94 }, { 0x2022, 0x95 }, { 0x2013, 0x96 }, { 0x2014, 0x97 },
    { 0x02dc, 0x98 }, { 0x2122, 0x99 }, { 0x0161, 0x9a }, { 0x203a, 0x9b }, { 0x0153, 0x9c },
    { 0x017e, 0x9e }, { 0x0178, 0x9f },
};

/* The WinAnsi code of a printable code point; '?' for one it lacks and for
 * controls and malformed input (-1). */
static unsigned char winansi_code(long cp)
{
    if ((cp >= 0x20 && cp < 0x7f) || (cp >= 0xa0 && cp <= 0xff))
        return (unsigned char)cp;
    for (size_t i = 0; i < sizeof winansi_high / sizeof winansi_high[0]; i++)
        if (winansi_high[i].cp == cp)
            return winansi_high[i].code;
    return '?';
}

/* Text converted to WinAnsi and tidied for layout (see winansi()). */
struct wtext {
    unsigned char *s;
    size_t len;
};

/* Converts UTF-8 to WinAnsi ready to wrap: "\r\n" and a lone "\r" become
 * "\n", tabs and runs of spaces one space, spaces at the start and end of a
 * line go. One code point never makes more than one byte, so the result fits
 * in the input's length. */
static int winansi(const char *utf8, struct wtext *out)
{
    const unsigned char *s = (const unsigned char *)utf8;
    size_t len = strlen(utf8);
    unsigned char *w = malloc(len + 1);
    if (!w)
        return -ENOMEM;
    size_t n = 0;
    bool space = false; /* a space is owed before the next visible character */
    for (size_t i = 0; i < len;) {
        long cp = utf8_next(s, len, &i);
        if (cp == '\r' || cp == '\n') {
            if (cp == '\r' && i < len && s[i] == '\n')
                i++;
            w[n++] = '\n';
            space = false;
        } else if (cp == ' ' || cp == '\t') {
            space = n > 0 && w[n - 1] != '\n';
        } else {
            if (space)
                w[n++] = ' ';
            space = false;
            w[n++] = winansi_code(cp);
        }
    }
    w[n] = '\0';
    out->s = w;
    out->len = n;
    return 0;
}

/* The width of WinAnsi bytes in 1/1000 of the font size. */
static long text_units(enum pdf_font font, const unsigned char *s, size_t n)
{
    long units = 0;
    for (size_t i = 0; i < n; i++)
        units += glyph_widths[font][s[i]];
    return units;
}

double pdf_doc_text_width(enum pdf_font font, double size, const char *utf8)
{
    if (!utf8 || (font != PDF_FONT_REGULAR && font != PDF_FONT_BOLD))
        return 0;
    const unsigned char *s = (const unsigned char *)utf8;
    size_t len = strlen(utf8);
    long units = 0;
    for (size_t i = 0; i < len;) {
        long cp = utf8_next(s, len, &i);
        if (cp == '\n' || cp == '\r')
            continue;
        units += glyph_widths[font][cp == '\t' ? ' ' : winansi_code(cp)];
    }
    return (double)units * size / 1000.0;
}

/* --- wrapping -------------------------------------------------------------- */

/* One output line: a slice of a wtext. `last` marks the end of a paragraph or
 * of a line ended by "\n" (justified text leaves it ragged). */
struct span {
    size_t off;
    size_t len;
    bool last;
};

struct lines {
    struct span *v;
    size_t n;
    size_t cap;
};

static void lines_clear(struct lines *l)
{
    free(l->v);
    *l = (struct lines){ 0 };
}

/* Appends a line; -ENOMEM leaves the lines as they were. */
static int lines_push(struct lines *l, size_t off, size_t len, bool last)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        struct span *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return -ENOMEM;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = (struct span){ off, len, last };
    return 0;
}

/* Cuts one hard line t->s[start..end) (single spaces between words, none at
 * the ends: winansi() saw to that) into lines of at most `max` units, greedily,
 * word by word. A word wider than `max` is cut where it overflows; a single
 * glyph wider than `max` still gets a line of its own, so nothing is lost. */
static int wrap_line(const struct wtext *t, size_t start, size_t end, enum pdf_font font,
                     long max, struct lines *out)
{
    const long space = glyph_widths[font][' '];
    size_t ls = start, le = start; /* the line being filled */
    long lw = 0;
    for (size_t p = start; p < end;) {
        size_t we = p;
        while (we < end && t->s[we] != ' ')
            we++;
        long ww = text_units(font, t->s + p, we - p);
        if (le > ls && lw + space + ww <= max) {
            le = we;
            lw += space + ww;
        } else {
            if (le > ls && lines_push(out, ls, le - ls, false) < 0)
                return -ENOMEM;
            while (ww > max) {
                size_t q = p;
                long cw = 0;
                while (q < we && cw + glyph_widths[font][t->s[q]] <= max)
                    cw += glyph_widths[font][t->s[q++]];
                if (q == p)
                    q++;
                if (lines_push(out, p, q - p, false) < 0)
                    return -ENOMEM;
                ww -= text_units(font, t->s + p, q - p);
                p = q;
            }
            ls = p;
            le = we;
            lw = ww;
        }
        p = we < end ? we + 1 : we;
    }
    return lines_push(out, ls, le - ls, true);
}

/* Wraps the whole text to `width` points; each "\n" ends a line, and an empty
 * line (from "" or "\n\n") is kept as an empty line. */
static int wrap(const struct wtext *t, enum pdf_font font, double size, double width,
                struct lines *out)
{
    long max = (long)floor(width * 1000.0 / size + 1e-6);
    size_t start = 0;
    for (;;) {
        size_t end = start;
        while (end < t->len && t->s[end] != '\n')
            end++;
        if (wrap_line(t, start, end, font, max, out) < 0)
            return -ENOMEM;
        if (end == t->len)
            return 0;
        start = end + 1;
    }
}

/* --- the document ---------------------------------------------------------- */

struct table {
    bool open;
    size_t ncols;
    double edge[PDF_DOC_TABLE_MAX_COLS + 1]; /* x of each column's left edge, and the right */
    bool started; /* the first row (or the end) has placed the header */
    bool has_header;
    struct wtext header[PDF_DOC_TABLE_MAX_COLS];
    struct lines header_lines[PDF_DOC_TABLE_MAX_COLS];
    size_t header_rows; /* lines in the header's tallest cell */
    double header_height;
};

struct pdf_doc {
    struct buf *pages; /* each page's content stream, footer not yet added */
    size_t npages;
    size_t cap;
    double y; /* the top of the free space on the last page */
    double label_width;
    struct table table;
    int err; /* -ENOMEM once a block could not be finished */
};

struct pdf_doc *pdf_doc_new(void)
{
    struct pdf_doc *doc = calloc(1, sizeof *doc);
    if (doc)
        doc->label_width = LABEL_WIDTH;
    return doc;
}

/* Frees an open table's header copies and forgets the table. */
static void table_clear(struct table *t)
{
    for (size_t i = 0; i < PDF_DOC_TABLE_MAX_COLS; i++) {
        free(t->header[i].s);
        lines_clear(&t->header_lines[i]);
    }
    *t = (struct table){ 0 };
}

void pdf_doc_free(struct pdf_doc *doc)
{
    if (!doc)
        return;
    for (size_t i = 0; i < doc->npages; i++)
        free(doc->pages[i].data);
    free(doc->pages);
    table_clear(&doc->table);
    free(doc);
}

size_t pdf_doc_page_count(const struct pdf_doc *doc)
{
    return doc && doc->npages ? doc->npages : 1;
}

/* The page being filled. */
static struct buf *page(struct pdf_doc *doc)
{
    return &doc->pages[doc->npages - 1];
}

/* Records a failed write; every public function that adds a block ends here,
 * so a full page buffer is noticed before anything else is added. */
static int settle(struct pdf_doc *doc, int rc)
{
    if (rc == 0 && doc->npages && page(doc)->failed)
        rc = -ENOMEM;
    if (rc == -ENOMEM)
        doc->err = rc;
    return rc;
}

/* Starts a page and puts y at its top. The page left behind is checked for a
 * failed write first: it will not be written to again. */
static int new_page(struct pdf_doc *doc)
{
    if (doc->npages && page(doc)->failed)
        return -ENOMEM;
    if (doc->npages == doc->cap) {
        size_t cap = doc->cap ? doc->cap * 2 : 4;
        struct buf *pages = realloc(doc->pages, cap * sizeof *pages);
        if (!pages)
            return -ENOMEM;
        doc->pages = pages;
        doc->cap = cap;
    }
    doc->pages[doc->npages++] = (struct buf){ 0 };
    doc->y = TOP;
    return 0;
}

/* Makes `h` points free below y, starting a page if they are not. A block
 * taller than a whole page starts on a fresh one and runs past its bottom
 * margin; callers cut their blocks into pieces no taller than a page. */
static int need(struct pdf_doc *doc, double h)
{
    if (doc->npages == 0 || (doc->y - h < BOTTOM - 1e-9 && doc->y < TOP))
        return new_page(doc);
    return 0;
}

/* The baseline of a line whose box, `lead` tall, has its top at `top`. */
static double baseline(double top, double size, double lead)
{
    return top - (lead - (ASCENT + DESCENT) * size) / 2 - ASCENT * size;
}

/* One line of text at (x, y); `word_space` > 0 widens each space (Tw, which
 * stays in the graphics state, so it is reset before ET). */
static void put_text(struct buf *b, enum pdf_font font, double size, double x, double y,
                     const unsigned char *s, size_t n, double word_space)
{
    buf_printf(b, "BT /F%d ", font == PDF_FONT_BOLD ? 2 : 1);
    buf_num(b, size);
    buf_puts(b, " Tf ");
    if (word_space > 0) {
        buf_num(b, word_space);
        buf_puts(b, " Tw ");
    }
    buf_num(b, x);
    buf_puts(b, " ");
    buf_num(b, y);
    buf_puts(b, " Td ");
    buf_pdf_string(b, s, n);
    buf_puts(b, word_space > 0 ? " Tj 0 Tw ET\n" : " Tj ET\n");
}

/* A straight line `width` thick from (x0, y0) to (x1, y1). */
static void put_line(struct buf *b, double width, double x0, double y0, double x1, double y1)
{
    buf_num(b, width);
    buf_puts(b, " w ");
    buf_num(b, x0);
    buf_puts(b, " ");
    buf_num(b, y0);
    buf_puts(b, " m ");
    buf_num(b, x1);
    buf_puts(b, " ");
    buf_num(b, y1);
    buf_puts(b, " l S\n");
}

/* A rectangle's outline, or with `fill_gray` >= 0 also filled with that grey. */
static void put_rect(struct buf *b, double x, double y, double w, double h, double fill_gray)
{
    if (fill_gray >= 0) {
        buf_num(b, fill_gray);
        buf_puts(b, " g ");
    }
    buf_puts(b, "0.6 w ");
    buf_num(b, x);
    buf_puts(b, " ");
    buf_num(b, y);
    buf_puts(b, " ");
    buf_num(b, w);
    buf_puts(b, " ");
    buf_num(b, h);
    buf_puts(b, fill_gray >= 0 ? " re B 0 g\n" : " re S\n");
}

/* How a run of wrapped lines is set. */
struct style {
    enum pdf_font font;
    double size;
    double lead;
    double x;     /* the column's left edge */
    double width; /* and its width */
    enum pdf_align align;
    bool underline;
};

/* Sets one wrapped line in the box whose top is `top`. */
static void set_line(struct buf *b, const struct style *st, const struct wtext *t,
                     const struct span *sp, double top)
{
    const unsigned char *s = t->s + sp->off;
    double w = (double)text_units(st->font, s, sp->len) * st->size / 1000.0;
    double x = st->x, word_space = 0;
    if (st->align == PDF_ALIGN_CENTER) {
        x += (st->width - w) / 2;
    } else if (st->align == PDF_ALIGN_RIGHT) {
        x += st->width - w;
    } else if (st->align == PDF_ALIGN_JUSTIFY && !sp->last) {
        size_t spaces = 0;
        for (size_t i = 0; i < sp->len; i++)
            spaces += s[i] == ' ';
        /* Rounded down to what buf_num writes, so the line never overshoots. */
        if (spaces)
            word_space = floor((st->width - w) / (double)spaces * 1000.0) / 1000.0;
    }
    double y = baseline(top, st->size, st->lead);
    put_text(b, st->font, st->size, x, y, s, sp->len, word_space);
    if (st->underline && sp->len)
        put_line(b, 0.6, x, y - 1.5, x + w, y - 1.5);
}

/* Sets lines one under the other from y down, breaking pages between them. */
static int put_lines(struct pdf_doc *doc, const struct style *st, const struct wtext *t,
                     const struct lines *l)
{
    for (size_t i = 0; i < l->n; i++) {
        int rc = need(doc, st->lead);
        if (rc < 0)
            return rc;
        set_line(page(doc), st, t, &l->v[i], doc->y);
        doc->y -= st->lead;
    }
    return 0;
}

/* The checks every block makes first. */
static int writable(const struct pdf_doc *doc)
{
    if (!doc)
        return -EINVAL;
    if (doc->err)
        return doc->err;
    return doc->table.open ? -EINVAL : 0;
}

/* Converts and wraps `text` for a column: the common first step of a block.
 * On failure both outputs are left empty, so the caller may free them alike. */
static int prepare(const char *text, enum pdf_font font, double size, double width,
                   struct wtext *t, struct lines *l)
{
    *t = (struct wtext){ 0 };
    *l = (struct lines){ 0 };
    if (winansi(text, t) < 0)
        return -ENOMEM;
    if (wrap(t, font, size, width, l) < 0) {
        free(t->s);
        *t = (struct wtext){ 0 };
        lines_clear(l);
        return -ENOMEM;
    }
    return 0;
}

/* pdf_doc_text with room kept below it for `keep` points of what follows. */
static int text_block(struct pdf_doc *doc, const char *text, enum pdf_font font, double size,
                      enum pdf_align align, double keep)
{
    int rc = writable(doc);
    if (rc < 0)
        return rc;
    if (!text || (font != PDF_FONT_REGULAR && font != PDF_FONT_BOLD) || !(size >= 4 && size <= 72)
        || (unsigned)align > PDF_ALIGN_JUSTIFY)
        return -EINVAL;
    struct style st = { font, size, size * LEADING, PDF_DOC_MARGIN, PDF_DOC_TEXT_WIDTH, align,
                        false };
    struct wtext t;
    struct lines l;
    if ((rc = prepare(text, font, size, st.width, &t, &l)) == 0) {
        if (keep > 0 && (double)l.n * st.lead + keep <= TOP - BOTTOM)
            rc = need(doc, (double)l.n * st.lead + keep);
        if (rc == 0)
            rc = put_lines(doc, &st, &t, &l);
        free(t.s);
        lines_clear(&l);
    }
    return settle(doc, rc);
}

int pdf_doc_text(struct pdf_doc *doc, const char *text, enum pdf_font font, double size,
                 enum pdf_align align)
{
    return text_block(doc, text, font, size, align, 0);
}

int pdf_doc_heading(struct pdf_doc *doc, const char *text, enum pdf_align align)
{
    return text_block(doc, text, PDF_FONT_BOLD, HEADING_SIZE, align, 2 * BODY_SIZE * LEADING);
}

int pdf_doc_paragraph(struct pdf_doc *doc, const char *text)
{
    int rc = text_block(doc, text, PDF_FONT_REGULAR, BODY_SIZE, PDF_ALIGN_JUSTIFY, 0);
    return rc < 0 ? rc : pdf_doc_space(doc, BLOCK_GAP);
}

int pdf_doc_field_label_width(struct pdf_doc *doc, double points)
{
    if (!doc || !(points >= 24 && points <= PDF_DOC_TEXT_WIDTH / 2))
        return -EINVAL;
    doc->label_width = points;
    return 0;
}

int pdf_doc_field(struct pdf_doc *doc, const char *label, const char *value)
{
    int rc = writable(doc);
    if (rc < 0)
        return rc;
    if (!label || !value)
        return -EINVAL;
    double lead = BODY_SIZE * LEADING;
    struct style ls = { PDF_FONT_REGULAR, BODY_SIZE, lead, PDF_DOC_MARGIN,
                        doc->label_width - 4, PDF_ALIGN_LEFT, false };
    struct style vs = ls;
    vs.x = PDF_DOC_MARGIN + doc->label_width + COLON_WIDTH;
    vs.width = PDF_DOC_TEXT_WIDTH - doc->label_width - COLON_WIDTH;
    struct wtext lt = { 0 }, vt = { 0 };
    struct lines ll = { 0 }, vl = { 0 };
    static const unsigned char colon = ':';
    if ((rc = prepare(label, ls.font, ls.size, ls.width, &lt, &ll)) == 0
        && (rc = prepare(value, vs.font, vs.size, vs.width, &vt, &vl)) == 0) {
        size_t n = ll.n > vl.n ? ll.n : vl.n;
        for (size_t i = 0; i < n && rc == 0; i++) {
            if ((rc = need(doc, lead)) < 0)
                break;
            if (i < ll.n)
                set_line(page(doc), &ls, &lt, &ll.v[i], doc->y);
            if (i == 0)
                put_text(page(doc), PDF_FONT_REGULAR, BODY_SIZE, PDF_DOC_MARGIN + doc->label_width,
                         baseline(doc->y, BODY_SIZE, lead), &colon, 1, 0);
            if (i < vl.n)
                set_line(page(doc), &vs, &vt, &vl.v[i], doc->y);
            doc->y -= lead;
        }
    }
    free(lt.s);
    free(vt.s);
    lines_clear(&ll);
    lines_clear(&vl);
    return settle(doc, rc);
}

int pdf_doc_checkbox_line(struct pdf_doc *doc, bool checked, const char *text)
{
    int rc = writable(doc);
    if (rc < 0)
        return rc;
    if (!text)
        return -EINVAL;
    double lead = BODY_SIZE * LEADING;
    struct style st = { PDF_FONT_REGULAR, BODY_SIZE, lead, PDF_DOC_MARGIN + BOX_INDENT,
                        PDF_DOC_TEXT_WIDTH - BOX_INDENT, PDF_ALIGN_LEFT, false };
    struct wtext t;
    struct lines l;
    if ((rc = prepare(text, st.font, st.size, st.width, &t, &l)) < 0)
        return settle(doc, rc);
    for (size_t i = 0; i < l.n; i++) {
        if ((rc = need(doc, lead)) < 0)
            break;
        if (i == 0) {
            /* The box stands on the baseline, as tall as a capital letter. */
            double x0 = PDF_DOC_MARGIN + 2, y0 = baseline(doc->y, BODY_SIZE, lead) - 0.5;
            double x1 = x0 + BOX_SIZE, y1 = y0 + BOX_SIZE;
            put_rect(page(doc), x0, y0, BOX_SIZE, BOX_SIZE, -1);
            if (checked) {
                put_line(page(doc), 1, x0 + 1.5, y0 + 1.5, x1 - 1.5, y1 - 1.5);
                put_line(page(doc), 1, x0 + 1.5, y1 - 1.5, x1 - 1.5, y0 + 1.5);
            }
        }
        set_line(page(doc), &st, &t, &l.v[i], doc->y);
        doc->y -= lead;
    }
    free(t.s);
    lines_clear(&l);
    return settle(doc, rc);
}

int pdf_doc_space(struct pdf_doc *doc, double points)
{
    int rc = writable(doc);
    if (rc < 0)
        return rc;
    if (!(points >= 0 && points <= PDF_DOC_PAGE_HEIGHT))
        return -EINVAL;
    if ((rc = need(doc, 0)) < 0)
        return settle(doc, rc);
    doc->y = doc->y - points < BOTTOM ? BOTTOM : doc->y - points;
    return 0;
}

int pdf_doc_rule(struct pdf_doc *doc)
{
    int rc = writable(doc);
    if (rc < 0)
        return rc;
    if ((rc = need(doc, 8)) == 0) {
        put_line(page(doc), 1.2, PDF_DOC_MARGIN, doc->y - 4, PDF_DOC_MARGIN + PDF_DOC_TEXT_WIDTH,
                 doc->y - 4);
        doc->y -= 8;
    }
    return settle(doc, rc);
}

int pdf_doc_signature(struct pdf_doc *doc, const char *place_date, const char *title,
                      const char *name, const char *id_line)
{
    int rc = writable(doc);
    if (rc < 0)
        return rc;
    if (!place_date || !title || !name || !id_line)
        return -EINVAL;
    const char *text[4] = { place_date, title, name, id_line };
    struct wtext t[4] = { { 0 } };
    struct lines l[4] = { { 0 } };
    struct style st[4];
    double lead = BODY_SIZE * LEADING, h = SIGN_SPACE;
    for (int i = 0; i < 4 && rc == 0; i++) {
        st[i] = (struct style){ i == 2 ? PDF_FONT_BOLD : PDF_FONT_REGULAR, BODY_SIZE, lead,
                                PDF_DOC_MARGIN + PDF_DOC_TEXT_WIDTH / 2, PDF_DOC_TEXT_WIDTH / 2,
                                PDF_ALIGN_CENTER, i == 2 };
        if (text[i][0] == '\0')
            continue;
        rc = prepare(text[i], st[i].font, st[i].size, st[i].width, &t[i], &l[i]);
        h += (double)l[i].n * lead;
    }
    if (rc == 0 && h <= TOP - BOTTOM)
        rc = need(doc, h);
    for (int i = 0; i < 4 && rc == 0; i++) {
        if (i == 2) {
            if ((rc = need(doc, SIGN_SPACE)) < 0)
                break;
            doc->y -= SIGN_SPACE;
        }
        rc = put_lines(doc, &st[i], &t[i], &l[i]);
    }
    for (int i = 0; i < 4; i++) {
        free(t[i].s);
        lines_clear(&l[i]);
    }
    return settle(doc, rc);
}

/* --- tables ---------------------------------------------------------------- */

/* Draws `k` lines of each cell, from done[i] on, as one band of the row: the
 * cells' rules, an optional grey fill, the text. */
static void table_band(struct pdf_doc *doc, const struct wtext *cells, const struct lines *lines,
                       size_t *done, size_t k, bool header)
{
    const struct table *tb = &doc->table;
    double lead = TABLE_SIZE * TABLE_LEADING, h = (double)k * lead + 2 * CELL_PAD;
    for (size_t c = 0; c < tb->ncols; c++) {
        double x = tb->edge[c], w = tb->edge[c + 1] - x;
        put_rect(page(doc), x, doc->y - h, w, h, header ? 0.88 : -1);
        struct style st = { header ? PDF_FONT_BOLD : PDF_FONT_REGULAR, TABLE_SIZE, lead,
                            x + CELL_PAD, w - 2 * CELL_PAD, PDF_ALIGN_LEFT, false };
        for (size_t j = 0; j < k && done[c] < lines[c].n; j++, done[c]++)
            set_line(page(doc), &st, &cells[c], &lines[c].v[done[c]],
                     doc->y - CELL_PAD - (double)j * lead);
    }
    doc->y -= h;
}

/* Draws the header row (if the table has one) at y. */
static void table_header(struct pdf_doc *doc)
{
    size_t done[PDF_DOC_TABLE_MAX_COLS] = { 0 };
    if (doc->table.has_header)
        table_band(doc, doc->table.header, doc->table.header_lines, done,
                   doc->table.header_rows, true);
}

/* Places the header row where the table starts, keeping `keep` points below
 * it for the first row, so a header never ends a page alone. */
static int table_start(struct pdf_doc *doc, double keep)
{
    int rc = need(doc, doc->table.header_height + keep);
    if (rc == 0) {
        table_header(doc);
        doc->table.started = true;
    }
    return rc;
}

/* Continues the table on a new page, under its header row. */
static int table_break(struct pdf_doc *doc)
{
    int rc = new_page(doc);
    if (rc == 0)
        table_header(doc);
    return rc;
}

/* Sets one body row. It goes whole where it fits, else whole on the next page
 * when it fits there; only a row taller than a page is cut into bands, each
 * band as many lines as the page has room for. */
static int table_put_row(struct pdf_doc *doc, const struct wtext *cells, const struct lines *lines)
{
    const struct table *tb = &doc->table;
    double lead = TABLE_SIZE * TABLE_LEADING;
    double room_on_new_page = TOP - BOTTOM - tb->header_height;
    size_t done[PDF_DOC_TABLE_MAX_COLS] = { 0 };
    bool cut = false;
    for (;;) {
        size_t rest = 0;
        for (size_t c = 0; c < tb->ncols; c++)
            if (lines[c].n - done[c] > rest)
                rest = lines[c].n - done[c];
        if (rest == 0)
            return 0;
        double h = (double)rest * lead + 2 * CELL_PAD;
        if (!tb->started && table_start(doc, h < room_on_new_page ? h : lead + 2 * CELL_PAD) < 0)
            return -ENOMEM;
        double room = doc->y - BOTTOM;
        bool new_page_helps = room < room_on_new_page - 1e-9;
        if (h <= room + 1e-9) {
            table_band(doc, cells, lines, done, rest, false);
            return 0;
        }
        if (!cut && h <= room_on_new_page + 1e-9 && new_page_helps) {
            if (table_break(doc) < 0)
                return -ENOMEM;
            continue;
        }
        double fit = floor((room - 2 * CELL_PAD) / lead + 1e-9);
        if (fit < 1 && new_page_helps) {
            if (table_break(doc) < 0)
                return -ENOMEM;
            continue;
        }
        table_band(doc, cells, lines, done, fit < 1 ? 1 : (size_t)fit, false);
        cut = true;
        if (table_break(doc) < 0)
            return -ENOMEM;
    }
}

/* Converts and wraps one row's cells into their columns. */
static int table_prepare(const struct table *tb, const char *const *texts, enum pdf_font font,
                         struct wtext *cells, struct lines *lines)
{
    for (size_t c = 0; c < tb->ncols; c++) {
        double w = tb->edge[c + 1] - tb->edge[c] - 2 * CELL_PAD;
        if (prepare(texts[c], font, TABLE_SIZE, w, &cells[c], &lines[c]) < 0)
            return -ENOMEM;
    }
    return 0;
}

int pdf_doc_table_begin(struct pdf_doc *doc, size_t ncols, const char *const *headers,
                        const double *widths)
{
    int rc = writable(doc);
    if (rc < 0)
        return rc;
    if (ncols < 1 || ncols > PDF_DOC_TABLE_MAX_COLS)
        return -EINVAL;
    double sum = 0;
    for (size_t c = 0; c < ncols; c++) {
        double w = widths ? widths[c] : 1;
        if (!(w > 0 && w < 1e6))
            return -EINVAL;
        sum += w;
        if (headers && !headers[c])
            return -EINVAL;
    }
    struct table *tb = &doc->table;
    tb->ncols = ncols;
    double x = PDF_DOC_MARGIN;
    for (size_t c = 0; c < ncols; c++) {
        tb->edge[c] = x;
        x += (widths ? widths[c] : 1) / sum * PDF_DOC_TEXT_WIDTH;
        if (x - tb->edge[c] < MIN_COLUMN) {
            table_clear(tb);
            return -EINVAL;
        }
    }
    tb->edge[ncols] = PDF_DOC_MARGIN + PDF_DOC_TEXT_WIDTH;
    tb->open = true;
    if (headers) {
        tb->has_header = true;
        if (table_prepare(tb, headers, PDF_FONT_BOLD, tb->header, tb->header_lines) < 0)
            return settle(doc, -ENOMEM);
        for (size_t c = 0; c < ncols; c++)
            if (tb->header_lines[c].n > tb->header_rows)
                tb->header_rows = tb->header_lines[c].n;
        tb->header_height = (double)tb->header_rows * TABLE_SIZE * TABLE_LEADING + 2 * CELL_PAD;
    }
    return 0;
}

int pdf_doc_table_row(struct pdf_doc *doc, const char *const *cells)
{
    if (!doc || !cells)
        return -EINVAL;
    if (doc->err)
        return doc->err;
    if (!doc->table.open)
        return -EINVAL;
    for (size_t c = 0; c < doc->table.ncols; c++)
        if (!cells[c])
            return -EINVAL;
    struct wtext t[PDF_DOC_TABLE_MAX_COLS] = { { 0 } };
    struct lines l[PDF_DOC_TABLE_MAX_COLS] = { { 0 } };
    int rc = table_prepare(&doc->table, cells, PDF_FONT_REGULAR, t, l);
    if (rc == 0)
        rc = table_put_row(doc, t, l);
    for (size_t c = 0; c < doc->table.ncols; c++) {
        free(t[c].s);
        lines_clear(&l[c]);
    }
    return settle(doc, rc);
}

int pdf_doc_table_end(struct pdf_doc *doc)
{
    if (!doc)
        return -EINVAL;
    if (doc->err)
        return doc->err;
    if (!doc->table.open)
        return -EINVAL;
    int rc = doc->table.started ? 0 : table_start(doc, 0);
    table_clear(&doc->table);
    if (rc < 0)
        return settle(doc, rc);
    return pdf_doc_space(doc, BLOCK_GAP);
}

/* --- the file -------------------------------------------------------------- */

/* The document title as a PDF text string: a plain literal when it is
 * printable ASCII, else UTF-16BE with a byte order mark (malformed UTF-8
 * becomes U+FFFD), which every reader shows as Unicode. */
static void buf_text_string(struct buf *b, const char *utf8)
{
    const unsigned char *s = (const unsigned char *)utf8;
    size_t len = strlen(utf8);
    bool ascii = true;
    for (size_t i = 0; i < len; i++)
        ascii = ascii && s[i] >= 0x20 && s[i] < 0x7f;
    if (ascii) {
        buf_pdf_string(b, s, len);
        return;
    }
    buf_puts(b, "<FEFF");
    for (size_t i = 0; i < len;) {
        long cp = utf8_next(s, len, &i);
        if (cp < 0)
            cp = 0xfffd;
        if (cp > 0xffff) {
            cp -= 0x10000;
            buf_printf(b, "%04lX%04lX", 0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
        } else {
            buf_printf(b, "%04lX", cp);
        }
    }
    buf_puts(b, ">");
}

/* The footer "n / N", centred under the text. */
static void put_footer(struct buf *b, size_t n, size_t total)
{
    char s[48];
    int len = snprintf(s, sizeof s, "%zu / %zu", n, total);
    const unsigned char *u = (const unsigned char *)s;
    double w = (double)text_units(PDF_FONT_REGULAR, u, (size_t)len) * FOOTER_SIZE / 1000.0;
    put_text(b, PDF_FONT_REGULAR, FOOTER_SIZE, (PDF_DOC_PAGE_WIDTH - w) / 2, FOOTER_BASELINE, u,
             (size_t)len, 0);
}

/* Objects: 1 catalog, 2 page tree, 3 and 4 the fonts, 5 the information
 * dictionary, then for page i (from 0) the page at 6 + 2i and its content
 * stream at 7 + 2i. */
int pdf_doc_render(const struct pdf_doc *doc, const char *title, unsigned char **out,
                   size_t *out_len)
{
    if (!out || !out_len)
        return -EINVAL;
    *out = NULL;
    *out_len = 0;
    if (!doc || !title)
        return -EINVAL;
    if (doc->err)
        return doc->err;
    if (doc->table.open)
        return -EINVAL;
    size_t npages = pdf_doc_page_count(doc), nobj = 5 + 2 * npages;
    size_t *offset = calloc(nobj + 1, sizeof *offset);
    if (!offset)
        return -ENOMEM;
    struct buf b = { 0 };
    /* The comment's high bytes tell transfer tools the file is binary. */
    buf_puts(&b, "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n");

    offset[1] = b.len;
    buf_puts(&b, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    offset[2] = b.len;
    buf_puts(&b, "2 0 obj\n<< /Type /Pages /Kids [");
    for (size_t i = 0; i < npages; i++)
        buf_printf(&b, "%s%zu 0 R", i ? " " : "", 6 + 2 * i);
    buf_printf(&b, "] /Count %zu >>\nendobj\n", npages);
    static const char *const fonts[] = { "Helvetica", "Helvetica-Bold" };
    for (size_t f = 0; f < 2; f++) {
        offset[3 + f] = b.len;
        buf_printf(&b, "%zu 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /%s", 3 + f, fonts[f]);
        buf_puts(&b, " /Encoding /WinAnsiEncoding >>\nendobj\n");
    }
    offset[5] = b.len;
    buf_puts(&b, "5 0 obj\n<< /Title ");
    buf_text_string(&b, title);
    buf_puts(&b, " /Producer (sertibot) >>\nendobj\n");

    for (size_t i = 0; i < npages; i++) {
        size_t obj = 6 + 2 * i;
        offset[obj] = b.len;
        buf_printf(&b, "%zu 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]", obj);
        buf_puts(&b, " /Resources << /Font << /F1 3 0 R /F2 4 0 R >> /ProcSet [/PDF /Text] >>");
        buf_printf(&b, " /Contents %zu 0 R >>\nendobj\n", obj + 1);

        struct buf footer = { 0 };
        put_footer(&footer, i + 1, npages);
        const struct buf *body = i < doc->npages ? &doc->pages[i] : NULL;
        size_t body_len = body ? body->len : 0;
        offset[obj + 1] = b.len;
        buf_printf(&b, "%zu 0 obj\n<< /Length %zu >>\nstream\n", obj + 1, body_len + footer.len);
        if (body_len)
            buf_put(&b, body->data, body_len);
        buf_put(&b, footer.data, footer.len);
        b.failed = b.failed || footer.failed;
        free(footer.data);
        buf_puts(&b, "\nendstream\nendobj\n");
    }

    /* Each xref entry is exactly 20 bytes: 10-digit offset, generation, type, " \n". */
    size_t xref = b.len;
    buf_printf(&b, "xref\n0 %zu\n0000000000 65535 f \n", nobj + 1);
    for (size_t i = 1; i <= nobj; i++)
        buf_printf(&b, "%010zu 00000 n \n", offset[i]);
    buf_printf(&b, "trailer\n<< /Size %zu /Root 1 0 R /Info 5 0 R >>\n", nobj + 1);
    buf_printf(&b, "startxref\n%zu\n%%%%EOF\n", xref);
    free(offset);
    if (b.failed) {
        free(b.data);
        return -ENOMEM;
    }
    *out = (unsigned char *)b.data;
    *out_len = b.len;
    return 0;
}
