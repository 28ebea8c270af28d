/* pdf_doc: official letters (recommendation drafts, notifications, the
 * disposition sheet) as PDF files, built in memory with cairo and pango.
 *
 * A document is a sequence of blocks (a letterhead, text, headings,
 * paragraphs, "label : value" fields, tables, checkbox lines, rules, a
 * signature) laid out top to bottom on A4 portrait pages as they are added,
 * breaking pages where a block no longer fits. Each block is shaped by pango
 * when it is added, so pdf_doc_page_count is exact at any time.
 * pdf_doc_render then draws every page on cairo's PDF surface, each with an
 * "n / N" footer, into one malloc'd buffer.
 *
 * Promises:
 * - No file is written and no global of ours is kept but the loaded
 *   renderer module (render_module_get, once per process). Fonts are looked up
 *   through fontconfig (which reads the installed fonts and keeps its own
 *   cache) in a font map private to each document.
 * - Text is UTF-8 with full Unicode: any character a font on the system has
 *   is drawn ("Ṣalāḥ", "Đức"); fontconfig picks another installed font for a
 *   character the document's family lacks. Invalid UTF-8 bytes are drawn as
 *   U+FFFD. Tabs and runs of spaces become one space, spaces at the start and
 *   end of a line are dropped, and "\n" (or "\r\n") starts a new line.
 * - The fonts used are embedded in the file as subsets (cairo writes each as
 *   a TrueType or CFF subset); `pdffonts` lists every one as embedded.
 * - Lines are broken at spaces with the real glyph advances of the fonts used
 *   (pango's shaping, with kerning), so no line is wider than its column. A
 *   word wider than its column is broken between characters, never lost.
 * - The same calls give the same bytes: the PDF has no file ID, and its
 *   CreationDate and ModDate are the date given to pdf_doc_set_date (left
 *   out when none is given). Producer is cairo's own string, Creator
 *   "sertibot".
 * - The PDF is version 1.5, not PDF/A: cairo 1.16 writes no XMP metadata and
 *   no output intent. See README ("Letters as PDF") for what is checked.
 * - Every string and the emblem are copied (or decoded) when their block is
 *   added; the caller keeps ownership of what it passed.
 *
 * Where it runs: the drawing lives in the renderer module
 * (sertibot-render.so, render_module.h), which links cairo and pango so the
 * binary does not; these functions forward to it, and the first document
 * loads it. When it cannot be loaded, pdf_doc_create returns its error
 * (-ENOENT, -ELIBACC, -ELIBBAD: see render_module.h), logged once, and
 * pdf_doc_text_width returns 0.
 *
 * Errors: functions return 0 or a negative errno code. -EINVAL: a NULL
 * argument, a value out of range, an emblem that is not a PNG, or a block
 * other than a table row while a table is open; nothing was added and the
 * document is still usable. -ENOMEM: memory ran out part way through a
 * block; the document is then broken, every later call returns -ENOMEM, and
 * only pdf_doc_free is left. */
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

/* The family a new document sets its text in (fonts-liberation2; metric
 * compatible with Arial, which Indonesian official letters commonly use). */
#define PDF_DOC_DEFAULT_FAMILY "Liberation Sans"

/* The letterhead's emblem is scaled to this height (its width follows its
 * aspect ratio, at most PDF_DOC_EMBLEM_MAX_WIDTH). */
#define PDF_DOC_EMBLEM_HEIGHT 72.0
#define PDF_DOC_EMBLEM_MAX_WIDTH 90.0

enum pdf_font {
    PDF_FONT_REGULAR, /* the document's family, regular weight */
    PDF_FONT_BOLD,    /* the document's family, bold */
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

/* An empty document set in PDF_DOC_DEFAULT_FAMILY, in *out. -ENOMEM;
 * -ENOENT when no font at all can be loaded, or the renderer module is not
 * there; -ELIBACC or -ELIBBAD when it cannot be used (render_module.h). */
int pdf_doc_create(struct pdf_doc **out);
/* The same, NULL on any error, for a caller that needs no reason. */
struct pdf_doc *pdf_doc_new(void);
/* Frees the document and all it copied; NULL is ignored. */
void pdf_doc_free(struct pdf_doc *doc);

/* The font family (a fontconfig family name: "Liberation Serif", "DejaVu
 * Sans") for the blocks added after this call: set it before the first block.
 * -ENOENT when no installed font has that family: the document keeps the one
 * it had, so the caller can log the mistake and go on. */
int pdf_doc_set_font_family(struct pdf_doc *doc, const char *family);

/* The document's date, "YYYY-MM-DD" (the letter's date), written as its
 * CreationDate and ModDate at 00:00:00. -EINVAL for another form. */
int pdf_doc_set_date(struct pdf_doc *doc, const char *iso_date);

/* The kop surat. `emblem_png` (a PNG file's bytes, `emblem_len` of them; NULL
 * and 0 for a kop of text only) is drawn at the left, PDF_DOC_EMBLEM_HEIGHT
 * tall. The `nlines` name lines (1..8, none NULL) are centred in bold in the
 * text width left free by the emblem (the same width is kept free at the
 * right, so the text stays centred on the page): the first at 16 pt (the
 * government, "PEMERINTAH KOTA BEKASI"), the others at 14 pt (the agency),
 * each made smaller, down to 9 pt, until it fits on one line, and wrapped
 * when even that does not fit. `address` (NULL or "" for none; may hold
 * "\n") follows centred in regular 9.5 pt. The emblem is centred against the
 * text when that is taller. A double rule (2.25 pt over 0.75 pt) closes the
 * kop, followed by a 10 pt gap. The kop is kept on one page. */
int pdf_doc_letterhead(struct pdf_doc *doc, const unsigned char *emblem_png, size_t emblem_len,
                       const char *const *lines, size_t nlines, const char *address);

/* Wrapped text across the text width, in `font` at `size` points (4..72),
 * with a line height of 1.3 times the size. Headings and paragraphs are this
 * with fixed settings. */
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
 * next page when it fits there, and only a row taller than a page is cut
 * (between lines). Until pdf_doc_table_end, only pdf_doc_table_row may be
 * called. */
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
/* A 0.75 pt horizontal line across the text width. */
int pdf_doc_rule(struct pdf_doc *doc);
/* The kop's closing rule on its own: a 2.25 pt line over a 0.75 pt one. */
int pdf_doc_double_rule(struct pdf_doc *doc);

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
 * information. On success *out is a malloc'd buffer of *out_len bytes that
 * the caller frees with free(); on error *out is NULL. The document is not
 * changed and may be rendered again. -EINVAL also when a table is still
 * open; -EIO when cairo fails to write. */
int pdf_doc_render(const struct pdf_doc *doc, const char *title, unsigned char **out,
                   size_t *out_len);

/* The width in points of `utf8` set on one line in the document's family,
 * `font` at `size` (tabs count as spaces, nothing is collapsed). 0 for a NULL
 * argument. */
double pdf_doc_measure(const struct pdf_doc *doc, enum pdf_font font, double size,
                       const char *utf8);
/* The same in PDF_DOC_DEFAULT_FAMILY, for a caller without a document. Slower
 * (it loads the font each call): prefer pdf_doc_measure. */
double pdf_doc_text_width(enum pdf_font font, double size, const char *utf8);

#endif
