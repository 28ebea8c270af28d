/* pdf_doc: official letters (recommendation drafts, notifications, the
 * disposition sheet) as PDF files, built in memory.
 *
 * A document is a sequence of blocks (text, headings, paragraphs, "label :
 * value" fields, tables, checkbox lines, rules, a signature) laid out top to
 * bottom on A4 portrait pages as they are added, breaking pages where a block
 * no longer fits. pdf_doc_render then writes the whole PDF 1.4 file, each page
 * with an "n / N" footer, into one malloc'd buffer. Layout happens first and
 * writing after, so N is known when the footers are written.
 *
 * Promises:
 * - No I/O and no globals. The same calls give the same bytes: no creation
 *   date or file ID is written, so output can be compared in tests.
 * - Text is UTF-8. It is set in the standard Helvetica and Helvetica-Bold
 *   (not embedded: every PDF reader has them) with WinAnsiEncoding, so a
 *   character outside Windows-1252 (and every byte of invalid UTF-8) is drawn
 *   as '?'. Tabs and runs of spaces become one space, spaces at the start and
 *   end of a line are dropped, and "\n" (or "\r\n") starts a new line.
 * - Lines are wrapped at spaces using Helvetica's real glyph widths (Adobe's
 *   AFM metrics, no kerning), so no line is wider than its column. A word
 *   wider than its column is cut where it overflows: it is broken, never lost.
 * - Every string is converted and copied when its block is added; the caller
 *   keeps ownership of what it passed.
 *
 * Errors: functions return 0 or a negative errno code. -EINVAL: a NULL
 * argument, a value out of range, or a block other than a table row while a
 * table is open; nothing was added and the document is still usable.
 * -ENOMEM: memory ran out part way through a block; the document is then
 * broken, every later call returns -ENOMEM, and only pdf_doc_free is left. */
#ifndef SERTIBOT_PDF_DOC_H
#define SERTIBOT_PDF_DOC_H

#include <stdbool.h>
#include <stddef.h>

/* A4 portrait in points, and the margin kept free on every side. The footer
 * sits inside the bottom margin. */
#define PDF_DOC_PAGE_WIDTH 595.0
#define PDF_DOC_PAGE_HEIGHT 842.0
#define PDF_DOC_MARGIN 56.0
#define PDF_DOC_TEXT_WIDTH (PDF_DOC_PAGE_WIDTH - 2 * PDF_DOC_MARGIN)
#define PDF_DOC_TABLE_MAX_COLS 12

enum pdf_font {
    PDF_FONT_REGULAR, /* Helvetica */
    PDF_FONT_BOLD,    /* Helvetica-Bold */
};

enum pdf_align {
    PDF_ALIGN_LEFT,
    PDF_ALIGN_CENTER,
    PDF_ALIGN_RIGHT,
    /* Both edges straight; the last line of each paragraph and each line
     * ended by "\n" stays left-aligned. */
    PDF_ALIGN_JUSTIFY,
};

struct pdf_doc;

/* An empty document; NULL when out of memory. */
struct pdf_doc *pdf_doc_new(void);
/* Frees the document and all it copied; NULL is ignored. */
void pdf_doc_free(struct pdf_doc *doc);

/* Wrapped text across the text width, in `font` at `size` points (4..72),
 * with a line height of 1.3 times the size. Headings and paragraphs are this
 * with fixed settings; use it for the letterhead's larger agency name and its
 * smaller centred address line, or a left-aligned address block. */
int pdf_doc_text(struct pdf_doc *doc, const char *text, enum pdf_font font, double size,
                 enum pdf_align align);
/* Bold 13 pt text. It moves to the next page rather than end a page without
 * at least two body lines below it. */
int pdf_doc_heading(struct pdf_doc *doc, const char *text, enum pdf_align align);
/* Regular 11 pt justified text, followed by a 6 pt gap. */
int pdf_doc_paragraph(struct pdf_doc *doc, const char *text);

/* A letter-header line "label : value" in regular 11 pt: the label in a
 * column of fixed width, the colon after it, the value wrapped in the rest of
 * the line (Nomor, Tanggal, Sifat, Lampiran, Hal). */
int pdf_doc_field(struct pdf_doc *doc, const char *label, const char *value);
/* The label column's width for later fields: 90 pt unless set; 24 pt up to
 * half the text width. Wider for the disposition sheet's longer labels. */
int pdf_doc_field_label_width(struct pdf_doc *doc, double points);

/* A ruled table in 10 pt. `widths` are the columns' relative widths, scaled to
 * fill the text width (fractions summing to 1 are fine; NULL gives equal
 * columns); a column must come out at least 20 pt wide. `headers` is NULL for
 * no header row, else `ncols` strings set in bold on a grey band and repeated
 * at the top of every page the table continues on. Each cell wraps within its
 * column and a row is as tall as its tallest cell; a row moves whole to the
 * next page when it fits there, and only a row taller than a page is cut.
 * Until pdf_doc_table_end, only pdf_doc_table_row may be called. */
int pdf_doc_table_begin(struct pdf_doc *doc, size_t ncols, const char *const *headers,
                        const double *widths);
/* One row of `ncols` cells (none NULL; "" for an empty cell). */
int pdf_doc_table_row(struct pdf_doc *doc, const char *const *cells);
/* Closes the table and leaves a 6 pt gap after it. */
int pdf_doc_table_end(struct pdf_doc *doc);

/* A small square, crossed when `checked`, followed by wrapped 11 pt text with
 * a hanging indent: the disposition sheet's instruction list. */
int pdf_doc_checkbox_line(struct pdf_doc *doc, bool checked, const char *text);

/* Vertical space (0..842 pt); space that does not fit ends the page and is not
 * carried over to the next one. */
int pdf_doc_space(struct pdf_doc *doc, double points);
/* A horizontal line across the text width, as under the letterhead. */
int pdf_doc_rule(struct pdf_doc *doc);

/* The signature block in the right half of the text width, lines centred:
 * `place_date` ("Palembang, 3 Maret 2025"), `title` (the official's
 * position), 60 pt of blank space to sign in, `name` bold and underlined,
 * `id_line` ("NIP. 19700101 199003 1 002"). Any of them may hold "\n"; an
 * empty string leaves its line out, NULL is -EINVAL. The block is kept on
 * one page. */
int pdf_doc_signature(struct pdf_doc *doc, const char *place_date, const char *title,
                      const char *name, const char *id_line);

/* The number of pages pdf_doc_render would write now (an empty document
 * still makes one page). */
size_t pdf_doc_page_count(const struct pdf_doc *doc);

/* Writes the complete PDF file: `title` (UTF-8) goes into the document
 * information, with Producer "sertibot". On success *out is a malloc'd buffer
 * of *out_len bytes that the caller frees with free(); on error *out is NULL.
 * The document is not changed and may be rendered again. -EINVAL also when a
 * table is still open. */
int pdf_doc_render(const struct pdf_doc *doc, const char *title, unsigned char **out,
                   size_t *out_len);

/* The width in points of `utf8` set on one line in `font` at `size`, each
 * character converted to WinAnsi as the blocks convert it (tabs count as
 * spaces, nothing is collapsed). 0 for NULL. */
double pdf_doc_text_width(enum pdf_font font, double size, const char *utf8);

#endif
