/* render_forward: the functions of pdf_doc.h and png_chart.h, in the binary,
 * forwarded to the renderer module (render_module.h) through its table
 * (render_api.h). A document carries the table it was made with, so its
 * calls need no lookup; the calls without a document ask render_module_get,
 * which loads the module on the first one. A module that cannot be loaded
 * makes these calls fail with its error (pdf_doc_new: NULL). */
#include <errno.h>
#include <stdlib.h>

#include "pdf_doc.h"
#include "png_chart.h"
#include "render_api.h"
#include "render_module.h"

struct pdf_doc {
    const struct render_pdf_calls *calls;
    struct render_pdf *impl;
};

/* --- documents ------------------------------------------------------------- */

int pdf_doc_create(struct pdf_doc **out)
{
    if (!out)
        return -EINVAL;
    *out = NULL;
    const struct render_api *api;
    int rc = render_module_get(&api);
    if (rc)
        return rc;
    struct pdf_doc *doc = calloc(1, sizeof *doc);
    if (!doc)
        return -ENOMEM;
    doc->calls = api->pdf;
    rc = doc->calls->create(&doc->impl);
    if (rc) {
        free(doc);
        return rc;
    }
    *out = doc;
    return 0;
}

struct pdf_doc *pdf_doc_new(void)
{
    struct pdf_doc *doc;
    return pdf_doc_create(&doc) == 0 ? doc : NULL;
}

void pdf_doc_free(struct pdf_doc *doc)
{
    if (!doc)
        return;
    doc->calls->free(doc->impl);
    free(doc);
}

/* Every call on a document: -EINVAL for none, else the module's answer. */
#define ON_DOC(doc, call, ...) ((doc) ? (doc)->calls->call((doc)->impl, __VA_ARGS__) : -EINVAL)

int pdf_doc_set_font_family(struct pdf_doc *doc, const char *family)
{
    return ON_DOC(doc, set_font_family, family);
}

int pdf_doc_set_date(struct pdf_doc *doc, const char *iso_date)
{
    return ON_DOC(doc, set_date, iso_date);
}

int pdf_doc_letterhead(struct pdf_doc *doc, const unsigned char *emblem_png, size_t emblem_len,
                       const char *const *lines, size_t nlines, const char *address)
{
    return ON_DOC(doc, letterhead, emblem_png, emblem_len, lines, nlines, address);
}

int pdf_doc_text(struct pdf_doc *doc, const char *text, enum pdf_font font, double size,
                 enum pdf_align align)
{
    return ON_DOC(doc, text, text, font, size, align);
}

int pdf_doc_heading(struct pdf_doc *doc, const char *text, enum pdf_align align)
{
    return ON_DOC(doc, heading, text, align);
}

int pdf_doc_paragraph(struct pdf_doc *doc, const char *text)
{
    return ON_DOC(doc, paragraph, text);
}

int pdf_doc_field(struct pdf_doc *doc, const char *label, const char *value)
{
    return ON_DOC(doc, field, label, value);
}

int pdf_doc_field_label_width(struct pdf_doc *doc, double points)
{
    return ON_DOC(doc, field_label_width, points);
}

int pdf_doc_table_begin(struct pdf_doc *doc, size_t ncols, const char *const *headers,
                        const double *widths)
{
    return ON_DOC(doc, table_begin, ncols, headers, widths);
}

int pdf_doc_table_row(struct pdf_doc *doc, const char *const *cells)
{
    return ON_DOC(doc, table_row, cells);
}

int pdf_doc_table_end(struct pdf_doc *doc)
{
    return doc ? doc->calls->table_end(doc->impl) : -EINVAL;
}

int pdf_doc_checkbox_line(struct pdf_doc *doc, bool checked, const char *text)
{
    return ON_DOC(doc, checkbox_line, checked, text);
}

int pdf_doc_space(struct pdf_doc *doc, double points)
{
    return ON_DOC(doc, space, points);
}

int pdf_doc_rule(struct pdf_doc *doc)
{
    return doc ? doc->calls->rule(doc->impl) : -EINVAL;
}

int pdf_doc_double_rule(struct pdf_doc *doc)
{
    return doc ? doc->calls->double_rule(doc->impl) : -EINVAL;
}

int pdf_doc_signature(struct pdf_doc *doc, const char *place_date, const char *title,
                      const char *name, const char *id_line)
{
    return ON_DOC(doc, signature, place_date, title, name, id_line);
}

size_t pdf_doc_page_count(const struct pdf_doc *doc)
{
    return doc ? doc->calls->page_count(doc->impl) : 1;
}

int pdf_doc_render(const struct pdf_doc *doc, const char *title, unsigned char **out,
                   size_t *out_len)
{
    if (!doc) {
        if (out)
            *out = NULL;
        if (out_len)
            *out_len = 0;
        return -EINVAL;
    }
    return doc->calls->render(doc->impl, title, out, out_len);
}

double pdf_doc_measure(const struct pdf_doc *doc, enum pdf_font font, double size,
                       const char *utf8)
{
    return doc ? doc->calls->measure(doc->impl, font, size, utf8) : 0;
}

double pdf_doc_text_width(enum pdf_font font, double size, const char *utf8)
{
    const struct render_api *api;
    return render_module_get(&api) == 0 ? api->pdf->text_width(font, size, utf8) : 0;
}

/* --- the chart ----------------------------------------------------------------- */

int png_chart_layout(const struct png_chart_spec *spec, struct png_chart_layout *layout)
{
    const struct render_api *api;
    int rc = render_module_get(&api);
    return rc ? rc : api->chart->layout(spec, layout);
}

int png_chart_render(const struct png_chart_spec *spec, unsigned char **out, size_t *out_len)
{
    if (out)
        *out = NULL;
    if (out_len)
        *out_len = 0;
    const struct render_api *api;
    int rc = render_module_get(&api);
    return rc ? rc : api->chart->render(spec, out, out_len);
}
