/* pdf_doc: see pdf_doc.h. Each block is shaped into pango layouts when it is
 * added and cut into lines; every line, rule, box and image becomes one
 * drawing operation tagged with its page and position. pdf_render
 * replays the operations on a cairo PDF surface, page by page. */
#include "pdf_doc.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <pango/pangocairo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "render_api.h"
#include "text_context.h"

/* Cairo's y grows downwards: TOP is the first usable row, BOTTOM the last. */
#define TOP PDF_DOC_MARGIN
#define BOTTOM (PDF_DOC_PAGE_HEIGHT - PDF_DOC_MARGIN)
#define BODY_SIZE 11.0
#define HEADING_SIZE 13.0
#define TABLE_SIZE 10.0
#define FOOTER_SIZE 9.0
#define FOOTER_BASELINE (PDF_DOC_PAGE_HEIGHT - 28.0)
#define LEADING 1.3        /* line height as a multiple of the font size */
#define TABLE_LEADING 1.25 /* tighter in cells, where rules separate the rows */
#define HEAD_LEADING 1.2   /* the kop's name lines */
#define CELL_PAD 4.0
#define MIN_COLUMN 20.0
#define BLOCK_GAP 6.0 /* after a paragraph and after a table */
#define SIGN_SPACE 60.0
#define BOX_SIZE 8.0
#define BOX_INDENT 20.0 /* where checkbox text starts, from the margin */
#define LABEL_WIDTH 90.0
#define COLON_WIDTH 10.0
#define RULE_WIDTH 0.75
#define THICK_RULE 2.25
#define RULE_GAP 1.5 /* between the double rule's lines */
#define HEAD_FIRST_SIZE 16.0
#define HEAD_OTHER_SIZE 14.0
#define HEAD_MIN_SIZE 9.0
#define HEAD_ADDRESS_SIZE 9.5
#define HEAD_MAX_LINES 8
#define EMBLEM_GAP 12.0
#define HEAD_GAP 10.0 /* after the kop's rule */

enum op_kind { OP_TEXT, OP_LINE, OP_FILL, OP_STROKE, OP_IMAGE };

/* One thing to draw. OP_TEXT: `line` with its left end at x and its baseline
 * at y. OP_LINE: from (x, y) to (x2, y2). OP_FILL/OP_STROKE: the rectangle at
 * (x, y), w by h. OP_IMAGE: `image` with its top-left at (x, y), scaled by w. */
struct op {
    enum op_kind kind;
    size_t page;
    double x, y, x2, y2, w, h;
    double line_width, gray;
    PangoLayoutLine *line;  /* owned by one of doc->layouts */
    cairo_surface_t *image; /* owned by doc->images */
};

struct table {
    bool open;
    size_t ncols;
    double x[PDF_DOC_TABLE_MAX_COLS], w[PDF_DOC_TABLE_MAX_COLS];
    PangoLayout *header[PDF_DOC_TABLE_MAX_COLS]; /* NULL: no header row */
    double header_h; /* 0: no header row */
    bool fresh;      /* no row drawn yet under this page's header */
    bool any_row;    /* a row of the table has been drawn */
    size_t header_op; /* the first operation of the table's first header */
};

struct render_pdf {
    PangoFontMap *fontmap;
    PangoContext *context;
    char *family;
    char date[32]; /* ISO 8601 for cairo, "" for none */
    struct op *ops;
    size_t nops, ops_cap;
    PangoLayout **layouts;
    size_t nlayouts, layouts_cap;
    cairo_surface_t **images;
    size_t nimages, images_cap;
    size_t npages; /* 0 until the first block starts page 1 */
    double y;      /* the top of the free space on the last page */
    double label_width;
    struct table table;
    int err; /* -ENOMEM once a block could not be finished */
};

static int pdf_space(struct render_pdf *doc, double points);

/* --- arrays ------------------------------------------------------------------ */

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 64;
    void *p = realloc(*v, c * size);
    if (!p)
        return -ENOMEM;
    *v = p;
    *cap = c;
    return 0;
}

static int push_op(struct render_pdf *doc, struct op op)
{
    if (grow((void **)&doc->ops, &doc->ops_cap, doc->nops, sizeof *doc->ops) < 0)
        return -ENOMEM;
    op.page = doc->npages - 1;
    doc->ops[doc->nops++] = op;
    return 0;
}

/* Hands `layout` to the document, which unrefs it when freed. */
static int keep_layout(struct render_pdf *doc, PangoLayout *layout)
{
    if (grow((void **)&doc->layouts, &doc->layouts_cap, doc->nlayouts, sizeof *doc->layouts)
        < 0) {
        g_object_unref(layout);
        return -ENOMEM;
    }
    doc->layouts[doc->nlayouts++] = layout;
    return 0;
}

/* --- the document -------------------------------------------------------------- */

static PangoFontDescription *font_description(const char *family, enum pdf_font font,
                                              double size)
{
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, family);
    pango_font_description_set_weight(fd, font == PDF_FONT_BOLD ? PANGO_WEIGHT_BOLD
                                                                : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    return fd;
}

/* The family of the font fontconfig gives for `family`; g_free it. */
static char *matched_family(const struct render_pdf *doc, const char *family)
{
    PangoFontDescription *fd = font_description(family, PDF_FONT_REGULAR, BODY_SIZE);
    PangoFont *font = pango_font_map_load_font(doc->fontmap, doc->context, fd);
    pango_font_description_free(fd);
    if (!font)
        return NULL;
    PangoFontDescription *got = pango_font_describe(font);
    char *name = g_strdup(pango_font_description_get_family(got));
    pango_font_description_free(got);
    g_object_unref(font);
    return name;
}

static void pdf_free(struct render_pdf *doc)
{
    if (!doc)
        return;
    for (size_t i = 0; i < doc->nlayouts; i++)
        g_object_unref(doc->layouts[i]);
    for (size_t i = 0; i < doc->nimages; i++)
        cairo_surface_destroy(doc->images[i]);
    free(doc->layouts);
    free(doc->images);
    free(doc->ops);
    free(doc->family);
    if (doc->context)
        g_object_unref(doc->context);
    if (doc->fontmap)
        g_object_unref(doc->fontmap);
    free(doc);
}

/* A document set in PDF_DOC_DEFAULT_FAMILY. -ENOENT when fontconfig gives
 * no font at all (or cannot be set up), -ENOMEM. */
static int pdf_create(struct render_pdf **out)
{
    *out = NULL;
    struct render_pdf *doc = calloc(1, sizeof *doc);
    if (!doc)
        return -ENOMEM;
    doc->label_width = LABEL_WIDTH;
    doc->fontmap = pango_cairo_font_map_new();
    doc->context = text_context_new(doc->fontmap, false);
    doc->family = strdup(PDF_DOC_DEFAULT_FAMILY);
    if (!doc->family) {
        pdf_free(doc);
        return -ENOMEM;
    }
    char *found = matched_family(doc, doc->family);
    if (!found) {
        pdf_free(doc);
        return -ENOENT;
    }
    g_free(found);
    *out = doc;
    return 0;
}

/* 0 when a block may be added. */
static int writable(const struct render_pdf *doc)
{
    if (!doc)
        return -EINVAL;
    if (doc->err)
        return doc->err;
    return doc->table.open ? -EINVAL : 0;
}

/* Remembers -ENOMEM: the block was cut short, the document is broken. */
static int settle(struct render_pdf *doc, int rc)
{
    if (rc == -ENOMEM)
        doc->err = rc;
    return rc;
}

static int pdf_set_font_family(struct render_pdf *doc, const char *family)
{
    if (!doc || !family || !family[0])
        return -EINVAL;
    if (doc->err)
        return doc->err;
    char *found = matched_family(doc, family);
    bool same = found && g_ascii_strcasecmp(found, family) == 0;
    g_free(found);
    if (!same)
        return -ENOENT;
    char *copy = strdup(family);
    if (!copy)
        return -ENOMEM;
    free(doc->family);
    doc->family = copy;
    return 0;
}

static int pdf_set_date(struct render_pdf *doc, const char *iso_date)
{
    if (!doc || !iso_date || strlen(iso_date) != 10)
        return -EINVAL;
    for (int i = 0; i < 10; i++) {
        bool dash = i == 4 || i == 7;
        if (dash ? iso_date[i] != '-' : (iso_date[i] < '0' || iso_date[i] > '9'))
            return -EINVAL;
    }
    int month = atoi(iso_date + 5), day = atoi(iso_date + 8);
    if (month < 1 || month > 12 || day < 1 || day > 31)
        return -EINVAL;
    snprintf(doc->date, sizeof doc->date, "%sT00:00:00", iso_date);
    return 0;
}

static size_t pdf_page_count(const struct render_pdf *doc)
{
    return doc && doc->npages ? doc->npages : 1;
}

static void new_page(struct render_pdf *doc)
{
    doc->npages++;
    doc->y = TOP;
}

/* Makes `h` points free below y, starting a page if they are not. A block
 * taller than a whole page starts on a fresh one and runs past its bottom
 * margin; callers cut their blocks into pieces no taller than a page. */
static void need(struct render_pdf *doc, double h)
{
    if (doc->npages == 0 || (doc->y + h > BOTTOM + 1e-9 && doc->y > TOP + 1e-9))
        new_page(doc);
}

/* --- text ------------------------------------------------------------------------ */

/* `text` as the blocks set it: valid UTF-8, "\r\n" as "\n", other control
 * characters as spaces, runs of spaces as one, no spaces at a line's ends.
 * g_free the result. */
static char *normalise(const char *text)
{
    char *valid = g_utf8_make_valid(text, -1);
    size_t o = 0, line_start = 0;
    for (size_t i = 0; valid[i]; i++) {
        unsigned char c = (unsigned char)valid[i];
        if (c == '\r' && valid[i + 1] == '\n')
            continue;
        if (c == '\n') {
            while (o > line_start && valid[o - 1] == ' ')
                o--;
            valid[o++] = '\n';
            line_start = o;
            continue;
        }
        if (c < 0x20 || c == 0x7f)
            c = ' ';
        if (c == ' ' && (o == line_start || valid[o - 1] == ' '))
            continue;
        valid[o++] = (char)c;
    }
    while (o > line_start && valid[o - 1] == ' ')
        o--;
    valid[o] = '\0';
    return valid;
}

/* A layout of `text` (already normalised) `width` points wide (0: one line
 * per paragraph, unwrapped). */
static PangoLayout *make_layout(const struct render_pdf *doc, const char *text, enum pdf_font font,
                                double size, double width, enum pdf_align align)
{
    PangoLayout *layout = pango_layout_new(doc->context);
    PangoFontDescription *fd = font_description(doc->family, font, size);
    pango_layout_set_font_description(layout, fd);
    pango_font_description_free(fd);
    if (width > 0) {
        pango_layout_set_width(layout, (int)(width * PANGO_SCALE));
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_alignment(layout, align == PDF_ALIGN_CENTER  ? PANGO_ALIGN_CENTER
                                       : align == PDF_ALIGN_RIGHT ? PANGO_ALIGN_RIGHT
                                                                  : PANGO_ALIGN_LEFT);
    pango_layout_set_justify(layout, align == PDF_ALIGN_JUSTIFY);
    pango_layout_set_text(layout, text, -1);
    return layout;
}

/* A layout of `text` for a block, kept by the document; *out NULL on error. */
static int block_layout(struct render_pdf *doc, const char *text, enum pdf_font font, double size,
                        double width, enum pdf_align align, PangoLayout **out)
{
    char *clean = normalise(text);
    PangoLayout *layout = make_layout(doc, clean, font, size, width, align);
    g_free(clean);
    *out = NULL;
    if (keep_layout(doc, layout) < 0)
        return -ENOMEM;
    *out = layout;
    return 0;
}

static void underline(PangoLayout *layout)
{
    PangoAttrList *attrs = pango_attr_list_new();
    pango_attr_list_insert(attrs, pango_attr_underline_new(PANGO_UNDERLINE_SINGLE));
    pango_layout_set_attributes(layout, attrs);
    pango_attr_list_unref(attrs);
}

static double measure(const struct render_pdf *doc, enum pdf_font font, double size,
                      const char *utf8)
{
    char *valid = g_utf8_make_valid(utf8, -1);
    for (char *p = valid; *p; p++)
        if ((unsigned char)*p < 0x20)
            *p = ' ';
    PangoLayout *layout = make_layout(doc, valid, font, size, 0, PDF_ALIGN_LEFT);
    g_free(valid);
    PangoRectangle logical;
    pango_layout_get_extents(layout, NULL, &logical);
    g_object_unref(layout);
    return (double)logical.width / PANGO_SCALE;
}

static double pdf_measure(const struct render_pdf *doc, enum pdf_font font, double size,
                       const char *utf8)
{
    if (!doc || !utf8)
        return 0;
    return measure(doc, font, size, utf8);
}

static double pdf_text_width(enum pdf_font font, double size, const char *utf8)
{
    if (!utf8)
        return 0;
    struct render_pdf *doc = NULL;
    double width = pdf_create(&doc) == 0 ? measure(doc, font, size, utf8) : 0;
    pdf_free(doc);
    return width;
}

/* Line `index` of `layout` as an operation at `x` (the layout's left edge)
 * in a line box `pitch` tall whose top is `top`: the line is centred in the
 * box on its font's ascent and descent. */
static int put_line_of(struct render_pdf *doc, PangoLayout *layout, int index, double x, double top,
                       double pitch)
{
    PangoLayoutIter *iter = pango_layout_get_iter(layout);
    for (int i = 0; i < index; i++)
        pango_layout_iter_next_line(iter);
    PangoRectangle logical;
    pango_layout_iter_get_line_extents(iter, NULL, &logical);
    PangoLayoutLine *line = pango_layout_iter_get_line_readonly(iter);
    pango_layout_iter_free(iter);
    PangoRectangle line_logical;
    pango_layout_line_get_extents(line, NULL, &line_logical);
    double ascent = -(double)line_logical.y / PANGO_SCALE;
    double height = (double)line_logical.height / PANGO_SCALE;
    struct op op = { .kind = OP_TEXT, .line = line };
    op.x = x + (double)logical.x / PANGO_SCALE;
    op.y = top + (pitch - height) / 2 + ascent;
    return push_op(doc, op);
}

/* A column of a block: a layout whose left edge is at x. */
struct column {
    PangoLayout *layout;
    double x;
};

/* Places the columns side by side, line i of each on the same line box,
 * breaking pages between lines. */
static int put_columns(struct render_pdf *doc, const struct column *cols, size_t ncols, double pitch)
{
    int rows = 0;
    for (size_t c = 0; c < ncols; c++) {
        int n = pango_layout_get_line_count(cols[c].layout);
        rows = n > rows ? n : rows;
    }
    for (int i = 0; i < rows; i++) {
        need(doc, pitch);
        for (size_t c = 0; c < ncols; c++) {
            if (i >= pango_layout_get_line_count(cols[c].layout))
                continue;
            int rc = put_line_of(doc, cols[c].layout, i, cols[c].x, doc->y, pitch);
            if (rc < 0)
                return rc;
        }
        doc->y += pitch;
    }
    return 0;
}

static double layout_height(PangoLayout *layout, double pitch)
{
    return pango_layout_get_line_count(layout) * pitch;
}

/* pdf_text with room kept below it for `keep` points of what follows. */
static int text_block(struct render_pdf *doc, const char *text, enum pdf_font font, double size,
                      enum pdf_align align, double keep)
{
    int rc = writable(doc);
    if (rc < 0)
        return rc;
    if (!text || (font != PDF_FONT_REGULAR && font != PDF_FONT_BOLD) || !(size >= 4 && size <= 72)
        || (unsigned)align > PDF_ALIGN_JUSTIFY)
        return -EINVAL;
    PangoLayout *layout;
    if ((rc = block_layout(doc, text, font, size, PDF_DOC_TEXT_WIDTH, align, &layout)) < 0)
        return settle(doc, rc);
    double pitch = size * LEADING, h = layout_height(layout, pitch);
    if (keep > 0 && h + keep <= BOTTOM - TOP)
        need(doc, h + keep);
    struct column col = { layout, PDF_DOC_MARGIN };
    return settle(doc, put_columns(doc, &col, 1, pitch));
}

static int pdf_text(struct render_pdf *doc, const char *text, enum pdf_font font, double size,
                 enum pdf_align align)
{
    return text_block(doc, text, font, size, align, 0);
}

static int pdf_heading(struct render_pdf *doc, const char *text, enum pdf_align align)
{
    return text_block(doc, text, PDF_FONT_BOLD, HEADING_SIZE, align, 2 * BODY_SIZE * LEADING);
}

static int pdf_paragraph(struct render_pdf *doc, const char *text)
{
    int rc = text_block(doc, text, PDF_FONT_REGULAR, BODY_SIZE, PDF_ALIGN_JUSTIFY, 0);
    return rc < 0 ? rc : pdf_space(doc, BLOCK_GAP);
}

static int pdf_field_label_width(struct render_pdf *doc, double points)
{
    if (!doc || !(points >= 24 && points <= PDF_DOC_TEXT_WIDTH / 2))
        return -EINVAL;
    doc->label_width = points;
    return 0;
}

static int pdf_field(struct render_pdf *doc, const char *label, const char *value)
{
    int rc = writable(doc);
    if (rc < 0)
        return rc;
    if (!label || !value)
        return -EINVAL;
    double value_x = PDF_DOC_MARGIN + doc->label_width + COLON_WIDTH;
    struct column cols[3] = { { NULL, PDF_DOC_MARGIN },
                              { NULL, PDF_DOC_MARGIN + doc->label_width },
                              { NULL, value_x } };
    if ((rc = block_layout(doc, label, PDF_FONT_REGULAR, BODY_SIZE, doc->label_width - 4,
                           PDF_ALIGN_LEFT, &cols[0].layout)) < 0
        || (rc = block_layout(doc, ":", PDF_FONT_REGULAR, BODY_SIZE, 0, PDF_ALIGN_LEFT,
                              &cols[1].layout)) < 0
        || (rc = block_layout(doc, value, PDF_FONT_REGULAR, BODY_SIZE,
                              PDF_DOC_MARGIN + PDF_DOC_TEXT_WIDTH - value_x, PDF_ALIGN_LEFT,
                              &cols[2].layout)) < 0)
        return settle(doc, rc);
    return settle(doc, put_columns(doc, cols, 3, BODY_SIZE * LEADING));
}

static int put_stroke_line(struct render_pdf *doc, double width, double x0, double y0, double x1,
                           double y1)
{
    struct op op = { .kind = OP_LINE, .x = x0, .y = y0, .x2 = x1, .y2 = y1, .line_width = width };
    return push_op(doc, op);
}

static int put_rect(struct render_pdf *doc, enum op_kind kind, double x, double y, double w,
                    double h, double gray)
{
    struct op op = { .kind = kind, .x = x, .y = y, .w = w, .h = h, .gray = gray,
                     .line_width = 0.5 };
    return push_op(doc, op);
}

static int pdf_checkbox_line(struct render_pdf *doc, bool checked, const char *text)
{
    int rc = writable(doc);
    if (rc < 0)
        return rc;
    if (!text)
        return -EINVAL;
    double pitch = BODY_SIZE * LEADING;
    struct column col = { NULL, PDF_DOC_MARGIN + BOX_INDENT };
    if ((rc = block_layout(doc, text, PDF_FONT_REGULAR, BODY_SIZE, PDF_DOC_TEXT_WIDTH - BOX_INDENT,
                           PDF_ALIGN_LEFT, &col.layout)) < 0)
        return settle(doc, rc);
    need(doc, pitch);
    /* The box stands on the first line's box, centred on it. */
    double x0 = PDF_DOC_MARGIN + 2, y0 = doc->y + (pitch - BOX_SIZE) / 2;
    double x1 = x0 + BOX_SIZE, y1 = y0 + BOX_SIZE;
    rc = put_rect(doc, OP_STROKE, x0, y0, BOX_SIZE, BOX_SIZE, 0);
    if (rc == 0 && checked)
        rc = put_stroke_line(doc, 1, x0 + 1.5, y0 + 1.5, x1 - 1.5, y1 - 1.5);
    if (rc == 0 && checked)
        rc = put_stroke_line(doc, 1, x0 + 1.5, y1 - 1.5, x1 - 1.5, y0 + 1.5);
    if (rc == 0)
        rc = put_columns(doc, &col, 1, pitch);
    return settle(doc, rc);
}

static int pdf_space(struct render_pdf *doc, double points)
{
    int rc = writable(doc);
    if (rc < 0)
        return rc;
    if (!(points >= 0 && points <= PDF_DOC_PAGE_HEIGHT))
        return -EINVAL;
    need(doc, 0);
    doc->y = doc->y + points > BOTTOM ? BOTTOM : doc->y + points;
    return 0;
}

static int pdf_rule(struct render_pdf *doc)
{
    int rc = writable(doc);
    if (rc < 0)
        return rc;
    need(doc, 8);
    rc = put_stroke_line(doc, RULE_WIDTH, PDF_DOC_MARGIN, doc->y + 4,
                         PDF_DOC_MARGIN + PDF_DOC_TEXT_WIDTH, doc->y + 4);
    doc->y += 8;
    return settle(doc, rc);
}

/* The double rule's height: its two lines and the gap between them. */
#define DOUBLE_RULE_HEIGHT (THICK_RULE + RULE_GAP + RULE_WIDTH)

/* The double rule with its top at y (room for it already made). */
static int put_double_rule(struct render_pdf *doc)
{
    double left = PDF_DOC_MARGIN, right = PDF_DOC_MARGIN + PDF_DOC_TEXT_WIDTH;
    double thick = doc->y + THICK_RULE / 2;
    double thin = doc->y + THICK_RULE + RULE_GAP + RULE_WIDTH / 2;
    int rc = put_stroke_line(doc, THICK_RULE, left, thick, right, thick);
    if (rc == 0)
        rc = put_stroke_line(doc, RULE_WIDTH, left, thin, right, thin);
    doc->y += DOUBLE_RULE_HEIGHT;
    return rc;
}

static int pdf_double_rule(struct render_pdf *doc)
{
    int rc = writable(doc);
    if (rc < 0)
        return rc;
    need(doc, DOUBLE_RULE_HEIGHT + 4);
    doc->y += 2;
    rc = put_double_rule(doc);
    doc->y += 2;
    return settle(doc, rc);
}

static int pdf_signature(struct render_pdf *doc, const char *place_date, const char *title,
                      const char *name, const char *id_line)
{
    int rc = writable(doc);
    if (rc < 0)
        return rc;
    if (!place_date || !title || !name || !id_line)
        return -EINVAL;
    const char *text[4] = { place_date, title, name, id_line };
    struct column cols[4] = { { NULL, 0 } };
    double pitch = BODY_SIZE * LEADING, h = SIGN_SPACE, half = PDF_DOC_TEXT_WIDTH / 2;
    for (int i = 0; i < 4; i++) {
        cols[i].x = PDF_DOC_MARGIN + half;
        if (text[i][0] == '\0')
            continue;
        rc = block_layout(doc, text[i], i == 2 ? PDF_FONT_BOLD : PDF_FONT_REGULAR, BODY_SIZE,
                          half, PDF_ALIGN_CENTER, &cols[i].layout);
        if (rc < 0)
            return settle(doc, rc);
        if (i == 2)
            underline(cols[i].layout);
        h += layout_height(cols[i].layout, pitch);
    }
    if (h <= BOTTOM - TOP)
        need(doc, h);
    for (int i = 0; i < 4 && rc == 0; i++) {
        if (i == 2) {
            need(doc, SIGN_SPACE);
            doc->y += SIGN_SPACE;
        }
        if (cols[i].layout)
            rc = put_columns(doc, &cols[i], 1, pitch);
    }
    return settle(doc, rc);
}

/* --- the letterhead ------------------------------------------------------------ */

struct png_reader {
    const unsigned char *data;
    size_t len, pos;
};

static cairo_status_t read_png(void *closure, unsigned char *data, unsigned int length)
{
    struct png_reader *r = closure;
    if (length > r->len - r->pos)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, r->data + r->pos, length);
    r->pos += length;
    return CAIRO_STATUS_SUCCESS;
}

/* Decodes the emblem and hands it to the document; *out NULL on error. */
static int load_emblem(struct render_pdf *doc, const unsigned char *png, size_t len,
                       cairo_surface_t **out)
{
    struct png_reader reader = { png, len, 0 };
    cairo_surface_t *image = cairo_image_surface_create_from_png_stream(read_png, &reader);
    *out = NULL;
    /* cairo reports a corrupt PNG as CAIRO_STATUS_NO_MEMORY too (libpng's
     * errors all map to it), so every failure here is taken as bad input. */
    if (cairo_surface_status(image) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(image);
        return -EINVAL;
    }
    if (grow((void **)&doc->images, &doc->images_cap, doc->nimages, sizeof *doc->images) < 0) {
        cairo_surface_destroy(image);
        return -ENOMEM;
    }
    doc->images[doc->nimages++] = image;
    *out = image;
    return 0;
}

/* The kop's name line `i`: bold, as large as fits `width` on one line. */
static int head_line(struct render_pdf *doc, size_t i, const char *text, double width,
                     struct column *col, double *pitch)
{
    double size = i == 0 ? HEAD_FIRST_SIZE : HEAD_OTHER_SIZE;
    char *clean = normalise(text);
    while (size > HEAD_MIN_SIZE && measure(doc, PDF_FONT_BOLD, size, clean) > width)
        size -= 0.5;
    g_free(clean);
    *pitch = size * HEAD_LEADING;
    return block_layout(doc, text, PDF_FONT_BOLD, size, width, PDF_ALIGN_CENTER, &col->layout);
}

static int pdf_letterhead(struct render_pdf *doc, const unsigned char *emblem_png, size_t emblem_len,
                       const char *const *lines, size_t nlines, const char *address)
{
    int rc = writable(doc);
    if (rc < 0)
        return rc;
    if (!lines || nlines < 1 || nlines > HEAD_MAX_LINES || (emblem_len && !emblem_png))
        return -EINVAL;
    for (size_t i = 0; i < nlines; i++)
        if (!lines[i])
            return -EINVAL;
    cairo_surface_t *emblem = NULL;
    if (emblem_png && emblem_len && (rc = load_emblem(doc, emblem_png, emblem_len, &emblem)) < 0)
        return settle(doc, rc);
    double scale = 0, emblem_w = 0, emblem_h = 0, reserve = 0;
    if (emblem) {
        double w = cairo_image_surface_get_width(emblem), h = cairo_image_surface_get_height(emblem);
        scale = PDF_DOC_EMBLEM_HEIGHT / h;
        if (w * scale > PDF_DOC_EMBLEM_MAX_WIDTH)
            scale = PDF_DOC_EMBLEM_MAX_WIDTH / w;
        emblem_w = w * scale;
        emblem_h = h * scale;
        reserve = emblem_w + EMBLEM_GAP;
    }
    double band_x = PDF_DOC_MARGIN + reserve, band_w = PDF_DOC_TEXT_WIDTH - 2 * reserve;
    struct column cols[HEAD_MAX_LINES + 1];
    double pitches[HEAD_MAX_LINES + 1], text_h = 0;
    size_t n = 0;
    for (; n < nlines && rc == 0; n++) {
        cols[n].x = band_x;
        rc = head_line(doc, n, lines[n], band_w, &cols[n], &pitches[n]);
        text_h += rc == 0 ? layout_height(cols[n].layout, pitches[n]) : 0;
    }
    if (rc == 0 && address && address[0]) {
        cols[n] = (struct column){ NULL, band_x };
        pitches[n] = HEAD_ADDRESS_SIZE * LEADING;
        rc = block_layout(doc, address, PDF_FONT_REGULAR, HEAD_ADDRESS_SIZE, band_w,
                          PDF_ALIGN_CENTER, &cols[n].layout);
        if (rc == 0)
            text_h += layout_height(cols[n].layout, pitches[n]);
        n++;
    }
    if (rc < 0)
        return settle(doc, rc);
    double block_h = text_h > emblem_h ? text_h : emblem_h;
    need(doc, block_h + 4 + DOUBLE_RULE_HEIGHT);
    double top = doc->y;
    if (emblem) {
        struct op op = { .kind = OP_IMAGE, .image = emblem, .x = PDF_DOC_MARGIN,
                         .y = top + (block_h - emblem_h) / 2, .w = scale };
        rc = push_op(doc, op);
    }
    doc->y = top + (block_h - text_h) / 2;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = put_columns(doc, &cols[i], 1, pitches[i]);
    doc->y = top + block_h + 4;
    if (rc == 0)
        rc = put_double_rule(doc);
    doc->y = doc->y + HEAD_GAP > BOTTOM ? BOTTOM : doc->y + HEAD_GAP;
    return settle(doc, rc);
}

/* --- tables ------------------------------------------------------------------------ */

#define CELL_PITCH (TABLE_SIZE * TABLE_LEADING)

static int row_lines(PangoLayout *const *cells, size_t ncols)
{
    int rows = 1;
    for (size_t i = 0; i < ncols; i++) {
        int n = pango_layout_get_line_count(cells[i]);
        rows = n > rows ? n : rows;
    }
    return rows;
}

/* Draws lines [first, first + count) of each cell as one band of the row at
 * y: the cells' rules, a grey fill for the header, the text. */
static int put_band(struct render_pdf *doc, PangoLayout *const *cells, int first, int count,
                    bool header)
{
    const struct table *t = &doc->table;
    double h = count * CELL_PITCH + 2 * CELL_PAD;
    int rc = 0;
    for (size_t c = 0; c < t->ncols && rc == 0; c++) {
        if (header)
            rc = put_rect(doc, OP_FILL, t->x[c], doc->y, t->w[c], h, 0.85);
        if (rc == 0)
            rc = put_rect(doc, OP_STROKE, t->x[c], doc->y, t->w[c], h, 0);
        int lines = pango_layout_get_line_count(cells[c]);
        for (int i = first; i < first + count && i < lines && rc == 0; i++)
            rc = put_line_of(doc, cells[c], i, t->x[c] + CELL_PAD,
                             doc->y + CELL_PAD + (i - first) * CELL_PITCH, CELL_PITCH);
    }
    doc->y += h;
    return rc;
}

static int put_header(struct render_pdf *doc)
{
    struct table *t = &doc->table;
    if (!t->header[0])
        return 0;
    return put_band(doc, t->header, 0, row_lines(t->header, t->ncols), true);
}

/* Places a row: whole on this page when it fits, else whole on the next
 * (under the repeated header), and cut between lines only when it is taller
 * than the room under a header on an empty page. */
static int put_row(struct render_pdf *doc, PangoLayout *const *cells)
{
    struct table *t = &doc->table;
    double room = BOTTOM - TOP - t->header_h; /* for rows on an empty page */
    int rows = row_lines(cells, t->ncols), done = 0, rc = 0;
    while (done < rows && rc == 0) {
        int fit = (int)((BOTTOM - doc->y - 2 * CELL_PAD + 1e-9) / CELL_PITCH);
        int left = rows - done;
        bool fits_a_page = left * CELL_PITCH + 2 * CELL_PAD <= room + 1e-9;
        if (fit < left && !t->fresh && (fits_a_page || fit < 1)) {
            /* A header with no row under it goes along to the next page. */
            if (!t->any_row)
                doc->nops = t->header_op;
            new_page(doc);
            rc = put_header(doc);
            t->fresh = true;
            continue;
        }
        int count = fit < left ? (fit > 0 ? fit : 1) : left;
        rc = put_band(doc, cells, done, count, false);
        t->fresh = false;
        t->any_row = true;
        done += count;
    }
    return rc;
}

/* The layouts of one row's cells, kept by the document. */
static int cell_layouts(struct render_pdf *doc, const char *const *texts, enum pdf_font font,
                        PangoLayout **out)
{
    for (size_t c = 0; c < doc->table.ncols; c++) {
        int rc = block_layout(doc, texts[c], font, TABLE_SIZE, doc->table.w[c] - 2 * CELL_PAD,
                              PDF_ALIGN_LEFT, &out[c]);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int pdf_table_begin(struct render_pdf *doc, size_t ncols, const char *const *headers,
                        const double *widths)
{
    int rc = writable(doc);
    if (rc < 0)
        return rc;
    if (ncols < 1 || ncols > PDF_DOC_TABLE_MAX_COLS)
        return -EINVAL;
    double total = 0;
    for (size_t c = 0; c < ncols; c++) {
        if (headers && !headers[c])
            return -EINVAL;
        double w = widths ? widths[c] : 1;
        if (!(w > 0 && w < 1e9))
            return -EINVAL;
        total += w;
    }
    struct table t = { .open = true, .ncols = ncols };
    double x = PDF_DOC_MARGIN;
    for (size_t c = 0; c < ncols; c++) {
        t.x[c] = x;
        t.w[c] = (widths ? widths[c] : 1) / total * PDF_DOC_TEXT_WIDTH;
        if (t.w[c] < MIN_COLUMN)
            return -EINVAL;
        x += t.w[c];
    }
    doc->table = t;
    if (headers && (rc = cell_layouts(doc, headers, PDF_FONT_BOLD, doc->table.header)) < 0)
        return settle(doc, rc);
    /* Keep the header with at least one line of the first row. */
    double header_h = headers ? row_lines(doc->table.header, ncols) * CELL_PITCH + 2 * CELL_PAD : 0;
    need(doc, header_h + CELL_PITCH + 2 * CELL_PAD);
    doc->table.header_h = header_h;
    doc->table.fresh = doc->y <= TOP + 1e-9;
    doc->table.header_op = doc->nops;
    return settle(doc, put_header(doc));
}

static int pdf_table_row(struct render_pdf *doc, const char *const *cells)
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
    PangoLayout *layouts[PDF_DOC_TABLE_MAX_COLS];
    int rc = cell_layouts(doc, cells, PDF_FONT_REGULAR, layouts);
    if (rc == 0)
        rc = put_row(doc, layouts);
    return settle(doc, rc);
}

static int pdf_table_end(struct render_pdf *doc)
{
    if (!doc)
        return -EINVAL;
    if (doc->err)
        return doc->err;
    if (!doc->table.open)
        return -EINVAL;
    doc->table = (struct table){ 0 };
    return pdf_space(doc, BLOCK_GAP);
}

/* --- rendering ------------------------------------------------------------------- */

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int length)
{
    struct buf *b = closure;
    buf_put(b, data, length);
    return b->failed ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

static void draw_op(cairo_t *cr, const struct op *op)
{
    cairo_set_source_rgb(cr, op->gray, op->gray, op->gray);
    switch (op->kind) {
    case OP_TEXT:
        cairo_move_to(cr, op->x, op->y);
        pango_cairo_show_layout_line(cr, op->line);
        break;
    case OP_LINE:
        cairo_set_line_width(cr, op->line_width);
        cairo_move_to(cr, op->x, op->y);
        cairo_line_to(cr, op->x2, op->y2);
        cairo_stroke(cr);
        break;
    case OP_FILL:
        cairo_rectangle(cr, op->x, op->y, op->w, op->h);
        cairo_fill(cr);
        break;
    case OP_STROKE:
        cairo_set_line_width(cr, op->line_width);
        cairo_rectangle(cr, op->x, op->y, op->w, op->h);
        cairo_stroke(cr);
        break;
    case OP_IMAGE:
        cairo_save(cr);
        cairo_translate(cr, op->x, op->y);
        cairo_scale(cr, op->w, op->w);
        cairo_set_source_surface(cr, op->image, 0, 0);
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_BEST);
        cairo_paint(cr);
        cairo_restore(cr);
        break;
    }
}

static void draw_footer(const struct render_pdf *doc, cairo_t *cr, size_t n, size_t total)
{
    char text[64];
    snprintf(text, sizeof text, "%zu / %zu", n, total);
    PangoLayout *layout = make_layout(doc, text, PDF_FONT_REGULAR, FOOTER_SIZE,
                                      PDF_DOC_TEXT_WIDTH, PDF_ALIGN_CENTER);
    PangoLayoutIter *iter = pango_layout_get_iter(layout);
    PangoRectangle logical;
    pango_layout_iter_get_line_extents(iter, NULL, &logical);
    pango_layout_iter_free(iter);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_move_to(cr, PDF_DOC_MARGIN + (double)logical.x / PANGO_SCALE, FOOTER_BASELINE);
    pango_cairo_show_layout_line(cr, pango_layout_get_line_readonly(layout, 0));
    g_object_unref(layout);
}

static void draw_pages(const struct render_pdf *doc, cairo_t *cr)
{
    size_t total = pdf_page_count(doc), next = 0;
    for (size_t page = 0; page < total; page++) {
        for (; next < doc->nops && doc->ops[next].page == page; next++)
            draw_op(cr, &doc->ops[next]);
        draw_footer(doc, cr, page + 1, total);
        cairo_show_page(cr);
    }
}

static int pdf_render(const struct render_pdf *doc, const char *title, unsigned char **out,
                   size_t *out_len)
{
    if (out)
        *out = NULL;
    if (out_len)
        *out_len = 0;
    if (!doc || !title || !out || !out_len || doc->table.open)
        return -EINVAL;
    if (doc->err)
        return doc->err;
    struct buf b = { 0 };
    cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(
        write_out, &b, PDF_DOC_PAGE_WIDTH, PDF_DOC_PAGE_HEIGHT);
    cairo_pdf_surface_restrict_to_version(surface, CAIRO_PDF_VERSION_1_5);
    char *valid_title = g_utf8_make_valid(title, -1);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, valid_title);
    g_free(valid_title);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "sertibot");
    /* "" makes cairo leave the date out instead of writing the clock's. */
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, doc->date);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, doc->date);
    cairo_t *cr = cairo_create(surface);
    draw_pages(doc, cr);
    cairo_status_t status = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS || b.failed) {
        free(b.data);
        return b.failed || status == CAIRO_STATUS_NO_MEMORY ? -ENOMEM : -EIO;
    }
    *out = (unsigned char *)b.data;
    *out_len = b.len;
    return 0;
}

const struct render_pdf_calls render_pdf_calls = {
    .create = pdf_create,
    .free = pdf_free,
    .set_font_family = pdf_set_font_family,
    .set_date = pdf_set_date,
    .letterhead = pdf_letterhead,
    .text = pdf_text,
    .heading = pdf_heading,
    .paragraph = pdf_paragraph,
    .field = pdf_field,
    .field_label_width = pdf_field_label_width,
    .table_begin = pdf_table_begin,
    .table_row = pdf_table_row,
    .table_end = pdf_table_end,
    .checkbox_line = pdf_checkbox_line,
    .space = pdf_space,
    .rule = pdf_rule,
    .double_rule = pdf_double_rule,
    .signature = pdf_signature,
    .page_count = pdf_page_count,
    .render = pdf_render,
    .measure = pdf_measure,
    .text_width = pdf_text_width,
};
