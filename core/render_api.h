/* render_api: the table the renderer module (sertibot-render.so) hands to the
 * process that loads it, and the only thing the two share.
 *
 * The module holds everything that draws: core/pdf_doc.c (letters),
 * core/png_chart.c (the report's chart) and core/text_context.c, linked
 * against cairo, pango and fontconfig. It exports one symbol,
 * RENDER_API_SYMBOL, a function returning a pointer to a struct render_api
 * that lives as long as the module is loaded; everything else in the module
 * is hidden. core/render_module.c loads it and checks `version` and `size`;
 * core/render_forward.c turns the calls of pdf_doc.h and png_chart.h into
 * calls through the table.
 *
 * The calls keep the meaning pdf_doc.h and png_chart.h give them, with two
 * differences: a document is a `struct render_pdf` (the module's own), and
 * pdf.create returns 0, -ENOMEM or -ENOENT (no font at all could be loaded)
 * instead of a pointer or NULL.
 *
 * Changing a member's type or order, or removing one, is a new version:
 * RENDER_API_VERSION and the symbol's "_v1" go up together, so a module
 * from another build is refused rather than called with the wrong
 * arguments. Adding members at the end only is compatible; `size` tells the
 * loader how many the module has. */
#ifndef SERTIBOT_RENDER_API_H
#define SERTIBOT_RENDER_API_H

#include <stdbool.h>
#include <stddef.h>

#include "pdf_doc.h"
#include "png_chart.h"

#define RENDER_API_VERSION 1u
#define RENDER_API_SYMBOL "sertibot_render_api_v1"
/* The module's file name, as the build writes it and the install puts it
 * beside the binary. */
#define RENDER_MODULE_FILE "sertibot-render.so"

/* A document in the module (pdf_doc.c). */
struct render_pdf;

struct render_pdf_calls {
    int (*create)(struct render_pdf **out);
    void (*free)(struct render_pdf *doc);
    int (*set_font_family)(struct render_pdf *doc, const char *family);
    int (*set_date)(struct render_pdf *doc, const char *iso_date);
    int (*letterhead)(struct render_pdf *doc, const unsigned char *emblem_png, size_t emblem_len,
                      const char *const *lines, size_t nlines, const char *address);
    int (*text)(struct render_pdf *doc, const char *text, enum pdf_font font, double size,
                enum pdf_align align);
    int (*heading)(struct render_pdf *doc, const char *text, enum pdf_align align);
    int (*paragraph)(struct render_pdf *doc, const char *text);
    int (*field)(struct render_pdf *doc, const char *label, const char *value);
    int (*field_label_width)(struct render_pdf *doc, double points);
    int (*table_begin)(struct render_pdf *doc, size_t ncols, const char *const *headers,
                       const double *widths);
    int (*table_row)(struct render_pdf *doc, const char *const *cells);
    int (*table_end)(struct render_pdf *doc);
    int (*checkbox_line)(struct render_pdf *doc, bool checked, const char *text);
    int (*space)(struct render_pdf *doc, double points);
    int (*rule)(struct render_pdf *doc);
    int (*double_rule)(struct render_pdf *doc);
    int (*signature)(struct render_pdf *doc, const char *place_date, const char *title,
                     const char *name, const char *id_line);
    size_t (*page_count)(const struct render_pdf *doc);
    int (*render)(const struct render_pdf *doc, const char *title, unsigned char **out,
                  size_t *out_len);
    double (*measure)(const struct render_pdf *doc, enum pdf_font font, double size,
                      const char *utf8);
    double (*text_width)(enum pdf_font font, double size, const char *utf8);
};

struct render_chart_calls {
    int (*layout)(const struct png_chart_spec *spec, struct png_chart_layout *layout);
    int (*render)(const struct png_chart_spec *spec, unsigned char **out, size_t *out_len);
};

struct render_api {
    unsigned version; /* RENDER_API_VERSION of the module's build */
    size_t size;      /* sizeof (struct render_api) in the module's build */
    const struct render_pdf_calls *pdf;
    const struct render_chart_calls *chart;
};

/* The type of RENDER_API_SYMBOL. */
typedef const struct render_api *render_api_entry(void);

/* Defined by the module's parts (hidden: only the entry is exported). */
extern const struct render_pdf_calls render_pdf_calls;
extern const struct render_chart_calls render_chart_calls;

#endif
