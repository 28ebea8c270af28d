/* png_chart: the chart's layout and drawing, as png_chart.h describes them.
 * This file is part of the renderer module (render_api.h): its calls are
 * static and reached through render_chart_calls, which core/render_forward.c
 * calls on behalf of png_chart.h's functions. One plan (plan_chart) shapes
 * every text with pango and places everything; chart_layout hands out its
 * public part and chart_render draws it on a cairo image surface, so what
 * the header promises is what is drawn. Sizes grow with the image through `s` (1 at
 * 800x480). Rectangles are drawn on whole pixels so their colours are
 * exact; only text is anti-aliased. */
#include "png_chart.h"

#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "render_api.h"
#include "text_context.h"

#define FAMILY "DejaVu Sans"
#define NTICKS 5
#define LEGEND_ITEMS 3

struct plan {
    struct png_chart_layout pub;
    double s;
    int pad, gap, stroke;
    double target; /* negative: none */
    PangoFontMap *fontmap;
    PangoContext *context;
    PangoLayout *title, *legend[LEGEND_ITEMS], *y_label, *x_label;
    PangoLayout *ticks[NTICKS], *target_value;
    PangoLayout *values[PNG_CHART_MAX_BARS], *labels[PNG_CHART_MAX_BARS];
    int title_y, legend_y, legend_h, labels_y, x_label_y;
    int legend_x[LEGEND_ITEMS]; /* each entry's swatch; text after it */
    int swatch;
};

static bool percent_ok(double p)
{
    return p <= 100.0; /* false for NaN too; negative means "none" */
}

static int check_spec(const struct png_chart_spec *spec, unsigned *w, unsigned *h)
{
    if (!spec || !spec->bars || spec->nbars < 1 || spec->nbars > PNG_CHART_MAX_BARS)
        return -EINVAL;
    if (!percent_ok(spec->target))
        return -EINVAL;
    for (size_t i = 0; i < spec->nbars; i++)
        if (!percent_ok(spec->bars[i].percent))
            return -EINVAL;
    *w = spec->width ? spec->width : PNG_CHART_DEFAULT_WIDTH;
    *h = spec->height ? spec->height : PNG_CHART_DEFAULT_HEIGHT;
    if (*w < PNG_CHART_MIN_WIDTH || *w > PNG_CHART_MAX_SIZE || *h < PNG_CHART_MIN_HEIGHT
        || *h > PNG_CHART_MAX_SIZE)
        return -EINVAL;
    return 0;
}

/* --- text ------------------------------------------------------------------- */

static bool given(const char *s)
{
    return s && s[0];
}

/* A layout of `text` in pixels: `size` px, bold or not, one line unless a
 * width is set later. Invalid UTF-8 becomes U+FFFD, control characters
 * spaces. */
static PangoLayout *text_layout(struct plan *pl, const char *text, double size, bool bold)
{
    char *valid = g_utf8_make_valid(text, -1);
    for (char *p = valid; *p; p++)
        if ((unsigned char)*p < 0x20)
            *p = ' ';
    PangoLayout *layout = pango_layout_new(pl->context);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, FAMILY);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_layout_set_font_description(layout, fd);
    pango_font_description_free(fd);
    pango_layout_set_text(layout, valid, -1);
    g_free(valid);
    return layout;
}

static int text_w(PangoLayout *layout)
{
    int w;
    pango_layout_get_pixel_size(layout, &w, NULL);
    return w;
}

static int text_h(PangoLayout *layout)
{
    int h;
    pango_layout_get_pixel_size(layout, NULL, &h);
    return h;
}

static void unref(PangoLayout **layout)
{
    if (*layout)
        g_object_unref(*layout);
    *layout = NULL;
}

static void plan_free(struct plan *pl)
{
    unref(&pl->title);
    unref(&pl->y_label);
    unref(&pl->x_label);
    unref(&pl->target_value);
    for (int i = 0; i < LEGEND_ITEMS; i++)
        unref(&pl->legend[i]);
    for (int i = 0; i < NTICKS; i++)
        unref(&pl->ticks[i]);
    for (size_t i = 0; i < PNG_CHART_MAX_BARS; i++) {
        unref(&pl->values[i]);
        unref(&pl->labels[i]);
    }
    if (pl->context)
        g_object_unref(pl->context);
    if (pl->fontmap)
        g_object_unref(pl->fontmap);
}

static void percent_text(double p, bool with_sign, char *out, size_t size)
{
    if (p < 0)
        snprintf(out, size, "-");
    else
        snprintf(out, size, with_sign ? "%.0f%%" : "%.0f", p);
}

/* The bars' values (or labels): one size for all, the largest from `size`
 * down to `floor` at which the widest fits `slot`; values lose their '%'
 * before they are left out. Leaves the layouts NULL when none fit. */
static void plan_bar_texts(struct plan *pl, const struct png_chart_spec *spec, bool values,
                           double size, double floor, int slot)
{
    PangoLayout **out = values ? pl->values : pl->labels;
    for (int with_sign = values; with_sign >= 0; with_sign--) {
        for (double sz = size; sz >= floor - 1e-9; sz -= 0.5) {
            int widest = 0;
            for (size_t i = 0; i < spec->nbars; i++) {
                char text[16];
                const char *t = text;
                if (values)
                    percent_text(spec->bars[i].percent, with_sign, text, sizeof text);
                else
                    t = spec->bars[i].label ? spec->bars[i].label : "";
                unref(&out[i]);
                out[i] = text_layout(pl, t, sz, false);
                widest = text_w(out[i]) > widest ? text_w(out[i]) : widest;
            }
            if (widest <= slot)
                return;
        }
        if (!values)
            break;
    }
    for (size_t i = 0; i < spec->nbars; i++)
        unref(&out[i]);
}

/* --- layout ------------------------------------------------------------------- */

/* A legend entry's sample: a square swatch, or two dashes for the target. */
static int sample_width(const struct plan *pl, int item)
{
    return item < 2 ? pl->swatch : 2 * pl->swatch;
}

/* The legend's entries side by side, centred: returns its height (0: none). */
static int plan_legend(struct plan *pl, const struct png_chart_spec *spec)
{
    const char *text[LEGEND_ITEMS] = { spec->legend_good, spec->legend_bad,
                                       pl->target >= 0 ? spec->legend_target : NULL };
    double size = fmax(12 * pl->s, 8);
    pl->swatch = (int)lround(size);
    int total = 0, n = 0;
    for (int i = 0; i < LEGEND_ITEMS; i++) {
        if (!given(text[i]))
            continue;
        pl->legend[i] = text_layout(pl, text[i], size, false);
        total += (n++ ? 3 * pl->gap : 0) + sample_width(pl, i) + pl->gap + text_w(pl->legend[i]);
    }
    if (!n)
        return 0;
    int x = ((int)pl->pub.width - total) / 2;
    for (int i = 0; i < LEGEND_ITEMS; i++) {
        if (!pl->legend[i])
            continue;
        pl->legend_x[i] = x;
        x += sample_width(pl, i) + pl->gap + text_w(pl->legend[i]) + 3 * pl->gap;
    }
    return text_h(pl->legend[0] ? pl->legend[0] : pl->legend[1] ? pl->legend[1] : pl->legend[2]);
}

/* Left to right: the y label (rotated), the tick labels, the axis, the plot,
 * the target's value. */
static void plan_columns(struct plan *pl, const struct png_chart_spec *spec, double small)
{
    struct png_chart_layout *l = &pl->pub;
    int left = pl->pad;
    if (given(spec->y_label)) {
        pl->y_label = text_layout(pl, spec->y_label, fmax(13 * pl->s, 9), false);
        left += text_h(pl->y_label) + pl->gap;
    }
    int widest = 0;
    for (int i = 0; i < NTICKS; i++) {
        char text[16];
        percent_text(25.0 * i, true, text, sizeof text);
        pl->ticks[i] = text_layout(pl, text, small, false);
        widest = text_w(pl->ticks[i]) > widest ? text_w(pl->ticks[i]) : widest;
    }
    l->plot_left = left + widest + pl->gap + pl->stroke;
    int right = (int)l->width - pl->pad;
    if (pl->target >= 0) {
        char text[16];
        percent_text(pl->target, true, text, sizeof text);
        pl->target_value = text_layout(pl, text, small, false);
        right -= text_w(pl->target_value) + pl->gap / 2;
    }
    l->plot_right = right;
    double slot = (double)(l->plot_right - l->plot_left) / (double)l->nbars;
    int bar = (int)lround(slot * 0.6) > 1 ? (int)lround(slot * 0.6) : 1;
    for (size_t i = 0; i < l->nbars; i++) {
        l->bar_left[i] = l->plot_left + (int)lround((double)i * slot + (slot - bar) / 2);
        l->bar_right[i] = l->bar_left[i] + bar;
    }
    int fit = (int)floor(slot) - 2;
    plan_bar_texts(pl, spec, true, fmax(13 * pl->s, 8), 7, fit);
    plan_bar_texts(pl, spec, false, fmax(13 * pl->s, 8), 7, fit);
}

/* Top to bottom: title, legend, room for a 100% bar's value, the plot, the
 * x axis, the bar labels, the x label. */
static void plan_rows(struct plan *pl, const struct png_chart_spec *spec)
{
    struct png_chart_layout *l = &pl->pub;
    int top = pl->pad;
    if (given(spec->title)) {
        pl->title = text_layout(pl, spec->title, fmax(18 * pl->s, 11), true);
        pango_layout_set_width(pl->title, ((int)l->width - 2 * pl->pad) * PANGO_SCALE);
        pango_layout_set_alignment(pl->title, PANGO_ALIGN_CENTER);
        pango_layout_set_wrap(pl->title, PANGO_WRAP_WORD_CHAR);
        pango_layout_set_height(pl->title, -2); /* at most two lines */
        pango_layout_set_ellipsize(pl->title, PANGO_ELLIPSIZE_END);
        pl->title_y = top;
        top += text_h(pl->title) + pl->gap;
    }
    pl->legend_h = plan_legend(pl, spec);
    if (pl->legend_h) {
        pl->legend_y = top;
        top += pl->legend_h + pl->gap;
    }
    int value_h = 0;
    for (size_t i = 0; i < l->nbars; i++)
        value_h = pl->values[i] && text_h(pl->values[i]) > value_h ? text_h(pl->values[i]) : value_h;
    l->y100 = top + value_h + pl->gap / 2;
    int bottom = (int)l->height - pl->pad;
    if (given(spec->x_label)) {
        pl->x_label = text_layout(pl, spec->x_label, fmax(13 * pl->s, 9), false);
        bottom -= text_h(pl->x_label);
        pl->x_label_y = bottom;
        bottom -= pl->gap / 2;
    }
    int label_h = 0;
    for (size_t i = 0; i < l->nbars; i++)
        label_h = pl->labels[i] && text_h(pl->labels[i]) > label_h ? text_h(pl->labels[i]) : label_h;
    bottom -= label_h;
    pl->labels_y = bottom;
    l->y0 = bottom - pl->gap / 2 - pl->stroke;
    if (pl->y_label) {
        pango_layout_set_width(pl->y_label, (l->y0 - l->y100) * PANGO_SCALE);
        pango_layout_set_alignment(pl->y_label, PANGO_ALIGN_CENTER);
        pango_layout_set_ellipsize(pl->y_label, PANGO_ELLIPSIZE_END);
    }
}

/* Checks the spec and lays the chart out; plan_free it even on error. */
static int plan_chart(const struct png_chart_spec *spec, struct plan *pl)
{
    memset(pl, 0, sizeof *pl);
    unsigned w, h;
    int rc = check_spec(spec, &w, &h);
    if (rc)
        return rc;
    struct png_chart_layout *l = &pl->pub;
    l->width = w;
    l->height = h;
    l->nbars = spec->nbars;
    pl->target = spec->target < 0 ? -1.0 : spec->target;
    pl->s = fmin(w / 800.0, h / 480.0);
    pl->pad = (int)fmax(lround(12 * pl->s), 6);
    pl->gap = (int)fmax(lround(8 * pl->s), 4);
    pl->stroke = (int)fmax(lround(pl->s), 1);
    pl->fontmap = pango_cairo_font_map_new();
    pl->context = text_context_new(pl->fontmap, true);
    plan_columns(pl, spec, fmax(12 * pl->s, 8));
    plan_rows(pl, spec);
    return l->y0 - l->y100 >= 20 && l->plot_right - l->plot_left >= (int)l->nbars ? 0 : -EINVAL;
}

static int chart_layout(const struct png_chart_spec *spec, struct png_chart_layout *layout)
{
    if (!layout)
        return -EINVAL;
    struct plan pl;
    int rc = plan_chart(spec, &pl);
    if (rc == 0)
        *layout = pl.pub;
    plan_free(&pl);
    return rc;
}

/* --- drawing -------------------------------------------------------------------- */

static void set_rgb(cairo_t *cr, unsigned rgb)
{
    cairo_set_source_rgb(cr, ((rgb >> 16) & 255) / 255.0, ((rgb >> 8) & 255) / 255.0,
                         (rgb & 255) / 255.0);
}

/* Whole pixels [x0, x1) x [y0, y1) in `rgb`. */
static void fill(cairo_t *cr, int x0, int y0, int x1, int y1, unsigned rgb)
{
    if (x1 <= x0 || y1 <= y0)
        return;
    set_rgb(cr, rgb);
    cairo_rectangle(cr, x0, y0, x1 - x0, y1 - y0);
    cairo_fill(cr);
}

static void show(cairo_t *cr, PangoLayout *layout, double x, double y, unsigned rgb)
{
    set_rgb(cr, rgb);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, layout);
}

static void draw_dashes(cairo_t *cr, const struct plan *pl, int x0, int x1, int y)
{
    int dash = (int)fmax(lround(8 * pl->s), 2), gap = (int)fmax(lround(5 * pl->s), 2);
    for (int x = x0; x < x1; x += dash + gap)
        fill(cr, x, y, x + dash < x1 ? x + dash : x1, y + pl->stroke, PNG_CHART_INK_RGB);
}

static void draw_frame(cairo_t *cr, const struct plan *pl)
{
    const struct png_chart_layout *l = &pl->pub;
    fill(cr, 0, 0, (int)l->width, (int)l->height, PNG_CHART_BACKGROUND_RGB);
    for (int i = 0; i < NTICKS; i++) {
        int y = png_chart_row(l, 25.0 * i);
        fill(cr, l->plot_left, y, l->plot_right, y + 1, PNG_CHART_GRID_RGB);
        PangoLayout *t = pl->ticks[i];
        show(cr, t, l->plot_left - pl->stroke - pl->gap / 2 - text_w(t), y - text_h(t) / 2.0,
             PNG_CHART_MUTED_RGB);
    }
    if (pl->title)
        show(cr, pl->title, pl->pad, pl->title_y, PNG_CHART_INK_RGB);
    for (int i = 0; i < LEGEND_ITEMS; i++) {
        if (!pl->legend[i])
            continue;
        int x = pl->legend_x[i], y = pl->legend_y + (pl->legend_h - pl->swatch) / 2;
        if (i < 2)
            fill(cr, x, y, x + pl->swatch, y + pl->swatch,
                 i == 0 ? PNG_CHART_GOOD_RGB : PNG_CHART_BAD_RGB);
        else
            draw_dashes(cr, pl, x, x + sample_width(pl, i), y + pl->swatch / 2);
        show(cr, pl->legend[i], x + sample_width(pl, i) + pl->gap, pl->legend_y,
             PNG_CHART_INK_RGB);
    }
    if (pl->y_label) {
        cairo_save(cr);
        cairo_translate(cr, pl->pad, l->y0);
        cairo_rotate(cr, -G_PI / 2);
        show(cr, pl->y_label, 0, 0, PNG_CHART_INK_RGB);
        cairo_restore(cr);
    }
    if (pl->x_label)
        show(cr, pl->x_label, (l->plot_left + l->plot_right - text_w(pl->x_label)) / 2.0,
             pl->x_label_y, PNG_CHART_INK_RGB);
}

static void draw_bars(cairo_t *cr, const struct plan *pl, const struct png_chart_spec *spec)
{
    const struct png_chart_layout *l = &pl->pub;
    for (size_t i = 0; i < l->nbars; i++) {
        double p = spec->bars[i].percent;
        int top = p < 0 ? l->y0 : png_chart_row(l, p);
        bool bad = pl->target >= 0 && p >= 0 && p < pl->target;
        fill(cr, l->bar_left[i], top, l->bar_right[i], l->y0,
             bad ? PNG_CHART_BAD_RGB : PNG_CHART_GOOD_RGB);
        double centre = (l->bar_left[i] + l->bar_right[i]) / 2.0;
        if (pl->values[i])
            show(cr, pl->values[i], centre - text_w(pl->values[i]) / 2.0,
                 top - pl->gap / 4 - text_h(pl->values[i]), PNG_CHART_INK_RGB);
        if (pl->labels[i])
            show(cr, pl->labels[i], centre - text_w(pl->labels[i]) / 2.0, pl->labels_y,
                 PNG_CHART_INK_RGB);
    }
    /* The axes over the bars' feet, the target over the bars. */
    fill(cr, l->plot_left - pl->stroke, l->y100, l->plot_left, l->y0 + pl->stroke,
         PNG_CHART_INK_RGB);
    fill(cr, l->plot_left - pl->stroke, l->y0, l->plot_right, l->y0 + pl->stroke,
         PNG_CHART_INK_RGB);
    if (pl->target >= 0) {
        int y = png_chart_row(l, pl->target);
        draw_dashes(cr, pl, l->plot_left, l->plot_right, y);
        show(cr, pl->target_value, l->plot_right + pl->gap / 2,
             y + pl->stroke / 2.0 - text_h(pl->target_value) / 2.0, PNG_CHART_INK_RGB);
    }
}

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int length)
{
    struct buf *b = closure;
    buf_put(b, data, length);
    return b->failed ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

static int chart_render(const struct png_chart_spec *spec, unsigned char **out, size_t *out_len)
{
    if (out)
        *out = NULL;
    if (out_len)
        *out_len = 0;
    if (!out || !out_len)
        return -EINVAL;
    struct plan pl;
    int rc = plan_chart(spec, &pl);
    if (rc) {
        plan_free(&pl);
        return rc;
    }
    cairo_surface_t *surface =
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)pl.pub.width, (int)pl.pub.height);
    cairo_t *cr = cairo_create(surface);
    draw_frame(cr, &pl);
    draw_bars(cr, &pl, spec);
    cairo_status_t status = cairo_status(cr);
    cairo_destroy(cr);
    struct buf b = { 0 };
    if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_write_to_png_stream(surface, write_out, &b);
    cairo_surface_destroy(surface);
    plan_free(&pl);
    if (status != CAIRO_STATUS_SUCCESS || b.failed) {
        free(b.data);
        return status == CAIRO_STATUS_NO_MEMORY || b.failed ? -ENOMEM : -EIO;
    }
    *out = (unsigned char *)b.data;
    *out_len = b.len;
    return 0;
}

const struct render_chart_calls render_chart_calls = {
    .layout = chart_layout,
    .render = chart_render,
};
