/* png_chart: the monthly "percent within the time standard" bar chart, as a
 * PNG file built in memory with cairo, text set with pango.
 *
 * The chart has a title at the top, a legend under it (a swatch for bars at
 * or above the target, one for bars under it, a dash for the target line), a
 * y axis from 0% to 100% with light gridlines and labels at 0/25/50/75/100, a
 * y-axis label read bottom to top, and one bar per SOP step (1 to 16 of
 * them) in equal slots along the x axis, each with its value ("87%") above
 * it and its label ("1", "L1") under it, and an x-axis label under those.
 * Bars under the target are drawn in PNG_CHART_BAD_RGB, the others in
 * PNG_CHART_GOOD_RGB, and the target itself is a dashed line across the plot
 * with its value at the right end.
 *
 * Promises:
 * - No file is written and no global of ours is kept but the loaded
 *   renderer module (render_module_get, once per process); fonts come through
 *   fontconfig in a font map private to each call. The same spec gives the
 *   same bytes.
 * - The file is an 8-bit RGB PNG (colour type 2, no interlace) written by
 *   cairo through libpng, its image data zlib-compressed (an 800x480 chart
 *   is some 20 KB).
 * - Bars, axes, gridlines and the target's dashes are whole pixels in the
 *   exact colours below (the rectangles the layout names); text is
 *   anti-aliased, so its edges blend with what is under it.
 * - Text is UTF-8 in DejaVu Sans (fonts-dejavu-core), any character a font
 *   on the system has; invalid bytes are drawn as U+FFFD. Sizes grow with the
 *   image. All values share one size, as do all bar labels: the largest (down
 *   to a floor) at which the widest fits its slot. When even that is too
 *   wide, values lose their '%', and then values or labels are left out:
 *   never cut, as a cut "L10" would read "L1". A title too long for one line
 *   wraps onto a second, which ends in "..." if it is still too long; the
 *   y-axis label is cut with "..." to the plot's height.
 * - Every string is only read during the call; the caller keeps ownership.
 *
 * Where it runs: the drawing lives in the renderer module
 * (sertibot-render.so, render_module.h), which links cairo and pango so the
 * binary does not; png_chart_layout and png_chart_render forward to it, and
 * the first call loads it.
 *
 * Errors: 0 or a negative errno code. -EINVAL: a NULL argument, no bars or
 * more than PNG_CHART_MAX_BARS, a value or target above 100 or NaN, or a size
 * out of range; -ENOMEM: out of memory; -EIO: cairo failed otherwise;
 * -ENOENT, -ELIBACC, -ELIBBAD: the renderer module is not there or cannot be
 * used (render_module.h; logged once). */
#ifndef SERTIBOT_PNG_CHART_H
#define SERTIBOT_PNG_CHART_H

#include <stddef.h>

#define PNG_CHART_MAX_BARS 16
/* The size used when the spec leaves width or height 0, and the range a size
 * given must be in. */
#define PNG_CHART_DEFAULT_WIDTH 800
#define PNG_CHART_DEFAULT_HEIGHT 480
#define PNG_CHART_MIN_WIDTH 320
#define PNG_CHART_MIN_HEIGHT 240
#define PNG_CHART_MAX_SIZE 2048

/* The colours, as 0xRRGGBB: bars, axes, gridlines and the target's dashes
 * are drawn in exactly these, so a test or a caption can rely on them. */
#define PNG_CHART_BACKGROUND_RGB 0xffffffu /* white */
#define PNG_CHART_INK_RGB 0x212121u        /* text, axes, the target line */
#define PNG_CHART_MUTED_RGB 0x757575u      /* the y-axis percent labels */
#define PNG_CHART_GRID_RGB 0xe0e0e0u       /* gridlines */
#define PNG_CHART_GOOD_RGB 0x2e7d32u       /* a bar at or above the target */
#define PNG_CHART_BAD_RGB 0xc62828u        /* a bar under the target */

struct png_chart_bar {
    /* Under the bar: short, "1".."7" or "L1". NULL or "" for none. */
    const char *label;
    /* 0..100. Negative means "no data": no bar, and "-" instead of a value. */
    double percent;
};

struct png_chart_spec {
    const char *title;   /* NULL or "" for none */
    const char *y_label; /* along the y axis, read bottom to top; NULL or "" for none */
    const char *x_label; /* under the bar labels; NULL or "" for none */
    /* The legend's entries ("Tepat waktu", "Di bawah target", "Target");
     * NULL or "" leaves an entry out, all three the whole legend (and its
     * room). The target's entry is left out too when there is no target. */
    const char *legend_good, *legend_bad, *legend_target;
    size_t nbars;        /* 1..PNG_CHART_MAX_BARS */
    const struct png_chart_bar *bars;
    /* 0..100: a bar with a lower percent is "bad", and the dashed line is
     * drawn here. Negative: no target line, every bar "good". */
    double target;
    /* In pixels; 0 for the default. Else MIN..PNG_CHART_MAX_SIZE. */
    unsigned width, height;
};

/* Where png_chart_render draws, in pixels from the top-left corner. It is a
 * promise, so a caller (or a test) can find a bar in the picture:
 * - the x axis is the rows from y0 down, and the y axis the columns just left
 *   of plot_left; the plot is columns [plot_left, plot_right) and rows
 *   [y100, y0), y100 being the 100% gridline;
 * - a bar of p percent fills columns [bar_left[i], bar_right[i]) and the rows
 *   from png_chart_row(layout, p) down to y0 - 1, less where the dashed
 *   target line crosses it; a bar of 0% (or no data) fills nothing. */
struct png_chart_layout {
    unsigned width, height; /* of the image, after defaults */
    int plot_left, plot_right;
    int y0, y100;
    size_t nbars;
    int bar_left[PNG_CHART_MAX_BARS];
    int bar_right[PNG_CHART_MAX_BARS];
};

/* Fills *layout for `spec`, with the same checks and errors as
 * png_chart_render. */
int png_chart_layout(const struct png_chart_spec *spec, struct png_chart_layout *layout);

/* The top row of a bar of `percent` (0..100), which is also the row of the
 * gridline or target line at that percent. Plain arithmetic on the layout,
 * shared by the drawing and its callers, so it needs no renderer module. */
static inline int png_chart_row(const struct png_chart_layout *layout, double percent)
{
    if (!(percent > 0))
        percent = 0;
    if (percent > 100)
        percent = 100;
    return layout->y0 - (int)((layout->y0 - layout->y100) * percent / 100.0 + 0.5);
}

/* Draws the chart and writes the complete PNG file. On success *out is a
 * malloc'd buffer of *out_len bytes that the caller frees with free(); on
 * error *out is NULL and *out_len 0. */
int png_chart_render(const struct png_chart_spec *spec, unsigned char **out, size_t *out_len);

#endif
