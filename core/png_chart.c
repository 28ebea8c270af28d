/* png_chart: the bar chart and the PNG writer; see png_chart.h for the
 * contract.
 *
 * The chart is drawn into a canvas of one palette index per pixel, then
 * packed two pixels to a byte into scanlines that go straight into stored
 * deflate blocks in the output. Stored blocks keep the writer to a page of
 * code with nothing to get wrong: a chart is only a couple of hundred KB, so
 * compressing it is not worth a deflate implementation in the bot.
 *
 * Layout is computed once (plan_chart) and used both to draw and to answer
 * png_chart_layout, so what the header promises is what is drawn. Sizes grow
 * with the image through one integer `scale` (2 at 800x480): text is the
 * font's pixels times the scale, and gaps are multiples of it. */
#include "png_chart.h"

#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GLYPH_W 5
#define GLYPH_H 9 /* rows 0-6 are the capital height, 7-8 the descenders */
#define CAP_H 7
#define ADVANCE 6 /* glyph plus one column of space */
#define LINE_H 10
/* Characters kept of one string: more never fit across PNG_CHART_MAX_SIZE. */
#define TEXT_MAX 400

/* A 5x9 font of printable ASCII (32..126), one byte per row, the leftmost
 * pixel in bit 4. Drawn for this module; rows 7-8 are used only by
 * descenders (g j p q y , _). */
static const unsigned char font[95][GLYPH_H] = {
    {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}, /* ' ' */
    {0x04, 0x04, 0x04, 0x04, 0x04, 0x00, 0x04, 0x00, 0x00}, /* '!' */
    {0x0a, 0x0a, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}, /* '"' */
    {0x0a, 0x0a, 0x1f, 0x0a, 0x1f, 0x0a, 0x0a, 0x00, 0x00}, /* '#' */
    {0x04, 0x0f, 0x14, 0x0e, 0x05, 0x1e, 0x04, 0x00, 0x00}, /* '$' */
    {0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03, 0x00, 0x00}, /* '%' */
    {0x0c, 0x12, 0x14, 0x08, 0x15, 0x12, 0x0d, 0x00, 0x00}, /* '&' */
    {0x04, 0x04, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}, /* '\'' */
    {0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02, 0x00, 0x00}, /* '(' */
    {0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08, 0x00, 0x00}, /* ')' */
    {0x00, 0x04, 0x15, 0x0e, 0x15, 0x04, 0x00, 0x00, 0x00}, /* '*' */
    {0x00, 0x04, 0x04, 0x1f, 0x04, 0x04, 0x00, 0x00, 0x00}, /* '+' */
    {0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x04, 0x08, 0x00}, /* ',' */
    {0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00, 0x00, 0x00}, /* '-' */
    {0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x0c, 0x00, 0x00}, /* '.' */
    {0x00, 0x01, 0x02, 0x04, 0x08, 0x10, 0x00, 0x00, 0x00}, /* '/' */
    {0x0e, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0e, 0x00, 0x00}, /* '0' */
    {0x04, 0x0c, 0x04, 0x04, 0x04, 0x04, 0x0e, 0x00, 0x00}, /* '1' */
    {0x0e, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1f, 0x00, 0x00}, /* '2' */
    {0x1f, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0e, 0x00, 0x00}, /* '3' */
    {0x02, 0x06, 0x0a, 0x12, 0x1f, 0x02, 0x02, 0x00, 0x00}, /* '4' */
    {0x1f, 0x10, 0x1e, 0x01, 0x01, 0x11, 0x0e, 0x00, 0x00}, /* '5' */
    {0x06, 0x08, 0x10, 0x1e, 0x11, 0x11, 0x0e, 0x00, 0x00}, /* '6' */
    {0x1f, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08, 0x00, 0x00}, /* '7' */
    {0x0e, 0x11, 0x11, 0x0e, 0x11, 0x11, 0x0e, 0x00, 0x00}, /* '8' */
    {0x0e, 0x11, 0x11, 0x0f, 0x01, 0x02, 0x0c, 0x00, 0x00}, /* '9' */
    {0x00, 0x0c, 0x0c, 0x00, 0x0c, 0x0c, 0x00, 0x00, 0x00}, /* ':' */
    {0x00, 0x0c, 0x0c, 0x00, 0x0c, 0x04, 0x08, 0x00, 0x00}, /* ';' */
    {0x02, 0x04, 0x08, 0x10, 0x08, 0x04, 0x02, 0x00, 0x00}, /* '<' */
    {0x00, 0x00, 0x1f, 0x00, 0x1f, 0x00, 0x00, 0x00, 0x00}, /* '=' */
    {0x08, 0x04, 0x02, 0x01, 0x02, 0x04, 0x08, 0x00, 0x00}, /* '>' */
    {0x0e, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04, 0x00, 0x00}, /* '?' */
    {0x0e, 0x11, 0x01, 0x0d, 0x15, 0x15, 0x0e, 0x00, 0x00}, /* '@' */
    {0x0e, 0x11, 0x11, 0x1f, 0x11, 0x11, 0x11, 0x00, 0x00}, /* 'A' */
    {0x1e, 0x11, 0x11, 0x1e, 0x11, 0x11, 0x1e, 0x00, 0x00}, /* 'B' */
    {0x0e, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0e, 0x00, 0x00}, /* 'C' */
    {0x1c, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1c, 0x00, 0x00}, /* 'D' */
    {0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x1f, 0x00, 0x00}, /* 'E' */
    {0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x10, 0x00, 0x00}, /* 'F' */
    {0x0e, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0f, 0x00, 0x00}, /* 'G' */
    {0x11, 0x11, 0x11, 0x1f, 0x11, 0x11, 0x11, 0x00, 0x00}, /* 'H' */
    {0x0e, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0e, 0x00, 0x00}, /* 'I' */
    {0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0c, 0x00, 0x00}, /* 'J' */
    {0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11, 0x00, 0x00}, /* 'K' */
    {0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1f, 0x00, 0x00}, /* 'L' */
    {0x11, 0x1b, 0x15, 0x15, 0x11, 0x11, 0x11, 0x00, 0x00}, /* 'M' */
    {0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11, 0x00, 0x00}, /* 'N' */
    {0x0e, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e, 0x00, 0x00}, /* 'O' */
    {0x1e, 0x11, 0x11, 0x1e, 0x10, 0x10, 0x10, 0x00, 0x00}, /* 'P' */
    {0x0e, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0d, 0x00, 0x00}, /* 'Q' */
    {0x1e, 0x11, 0x11, 0x1e, 0x14, 0x12, 0x11, 0x00, 0x00}, /* 'R' */
    {0x0f, 0x10, 0x10, 0x0e, 0x01, 0x01, 0x1e, 0x00, 0x00}, /* 'S' */
    {0x1f, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04, 0x00, 0x00}, /* 'T' */
    {0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e, 0x00, 0x00}, /* 'U' */
    {0x11, 0x11, 0x11, 0x11, 0x11, 0x0a, 0x04, 0x00, 0x00}, /* 'V' */
    {0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0a, 0x00, 0x00}, /* 'W' */
    {0x11, 0x11, 0x0a, 0x04, 0x0a, 0x11, 0x11, 0x00, 0x00}, /* 'X' */
    {0x11, 0x11, 0x11, 0x0a, 0x04, 0x04, 0x04, 0x00, 0x00}, /* 'Y' */
    {0x1f, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1f, 0x00, 0x00}, /* 'Z' */
    {0x0e, 0x08, 0x08, 0x08, 0x08, 0x08, 0x0e, 0x00, 0x00}, /* '[' */
    {0x00, 0x10, 0x08, 0x04, 0x02, 0x01, 0x00, 0x00, 0x00}, /* '\\' */
    {0x0e, 0x02, 0x02, 0x02, 0x02, 0x02, 0x0e, 0x00, 0x00}, /* ']' */
    {0x04, 0x0a, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}, /* '^' */
    {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1f, 0x00}, /* '_' */
    {0x08, 0x04, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}, /* '`' */
    {0x00, 0x00, 0x0e, 0x01, 0x0f, 0x11, 0x0f, 0x00, 0x00}, /* 'a' */
    {0x10, 0x10, 0x16, 0x19, 0x11, 0x11, 0x1e, 0x00, 0x00}, /* 'b' */
    {0x00, 0x00, 0x0e, 0x10, 0x10, 0x11, 0x0e, 0x00, 0x00}, /* 'c' */
    {0x01, 0x01, 0x0d, 0x13, 0x11, 0x11, 0x0f, 0x00, 0x00}, /* 'd' */
    {0x00, 0x00, 0x0e, 0x11, 0x1f, 0x10, 0x0e, 0x00, 0x00}, /* 'e' */
    {0x06, 0x09, 0x08, 0x1c, 0x08, 0x08, 0x08, 0x00, 0x00}, /* 'f' */
    {0x00, 0x00, 0x0f, 0x11, 0x11, 0x11, 0x0f, 0x01, 0x0e}, /* 'g' */
    {0x10, 0x10, 0x16, 0x19, 0x11, 0x11, 0x11, 0x00, 0x00}, /* 'h' */
    {0x04, 0x00, 0x0c, 0x04, 0x04, 0x04, 0x0e, 0x00, 0x00}, /* 'i' */
    {0x02, 0x00, 0x06, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0c}, /* 'j' */
    {0x10, 0x10, 0x12, 0x14, 0x18, 0x14, 0x12, 0x00, 0x00}, /* 'k' */
    {0x0c, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0e, 0x00, 0x00}, /* 'l' */
    {0x00, 0x00, 0x1a, 0x15, 0x15, 0x15, 0x15, 0x00, 0x00}, /* 'm' */
    {0x00, 0x00, 0x16, 0x19, 0x11, 0x11, 0x11, 0x00, 0x00}, /* 'n' */
    {0x00, 0x00, 0x0e, 0x11, 0x11, 0x11, 0x0e, 0x00, 0x00}, /* 'o' */
    {0x00, 0x00, 0x1e, 0x11, 0x11, 0x11, 0x1e, 0x10, 0x10}, /* 'p' */
    {0x00, 0x00, 0x0f, 0x11, 0x11, 0x11, 0x0f, 0x01, 0x01}, /* 'q' */
    {0x00, 0x00, 0x16, 0x19, 0x10, 0x10, 0x10, 0x00, 0x00}, /* 'r' */
    {0x00, 0x00, 0x0f, 0x10, 0x0e, 0x01, 0x1e, 0x00, 0x00}, /* 's' */
    {0x08, 0x08, 0x1c, 0x08, 0x08, 0x09, 0x06, 0x00, 0x00}, /* 't' */
    {0x00, 0x00, 0x11, 0x11, 0x11, 0x13, 0x0d, 0x00, 0x00}, /* 'u' */
    {0x00, 0x00, 0x11, 0x11, 0x11, 0x0a, 0x04, 0x00, 0x00}, /* 'v' */
    {0x00, 0x00, 0x11, 0x11, 0x15, 0x15, 0x0a, 0x00, 0x00}, /* 'w' */
    {0x00, 0x00, 0x11, 0x0a, 0x04, 0x0a, 0x11, 0x00, 0x00}, /* 'x' */
    {0x00, 0x00, 0x11, 0x11, 0x11, 0x11, 0x0f, 0x01, 0x0e}, /* 'y' */
    {0x00, 0x00, 0x1f, 0x02, 0x04, 0x08, 0x1f, 0x00, 0x00}, /* 'z' */
    {0x03, 0x04, 0x04, 0x08, 0x04, 0x04, 0x03, 0x00, 0x00}, /* '{' */
    {0x04, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04, 0x00, 0x00}, /* '|' */
    {0x18, 0x04, 0x04, 0x02, 0x04, 0x04, 0x18, 0x00, 0x00}, /* '}' */
    {0x00, 0x00, 0x08, 0x15, 0x02, 0x00, 0x00, 0x00, 0x00}, /* '~' */
};

/* Palette indices; the canvas holds these. Index 0 is the background, so a
 * zeroed canvas is a blank chart. */
enum colour { C_BACKGROUND, C_INK, C_MUTED, C_GRID, C_GOOD, C_BAD, NCOLOURS };

static const uint32_t palette[NCOLOURS] = {
    [C_BACKGROUND] = PNG_CHART_BACKGROUND_RGB,
    [C_INK] = PNG_CHART_INK_RGB,
    [C_MUTED] = PNG_CHART_MUTED_RGB,
    [C_GRID] = PNG_CHART_GRID_RGB,
    [C_GOOD] = PNG_CHART_GOOD_RGB,
    [C_BAD] = PNG_CHART_BAD_RGB,
};

/* --- text ------------------------------------------------------------------ */

/* A string as the font can draw it: printable ASCII only. */
struct text {
    char s[TEXT_MAX];
    size_t n;
};

/* The length of the valid UTF-8 sequence starting at `p` (a byte >= 0x80),
 * or 0 when it is not one: overlong forms, surrogates and code points above
 * U+10FFFF are not valid. */
static size_t utf8_sequence(const unsigned char *p)
{
    size_t len;
    unsigned char lo = 0x80, hi = 0xbf; /* allowed range of the second byte */
    if (p[0] >= 0xc2 && p[0] <= 0xdf)
        len = 2;
    else if (p[0] >= 0xe0 && p[0] <= 0xef) {
        len = 3;
        if (p[0] == 0xe0)
            lo = 0xa0;
        else if (p[0] == 0xed)
            hi = 0x9f;
    } else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
        len = 4;
        if (p[0] == 0xf0)
            lo = 0x90;
        else if (p[0] == 0xf4)
            hi = 0x8f;
    } else
        return 0;
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (p[i] < 0x80 || p[i] > 0xbf)
            return 0;
    return len;
}

/* Converts UTF-8 (NULL is empty) for drawing: tabs and line breaks become
 * spaces, every other character outside printable ASCII one '?', and each
 * byte of invalid UTF-8 a '?' of its own. Stops at TEXT_MAX characters. */
static void text_from_utf8(struct text *t, const char *utf8)
{
    t->n = 0;
    const unsigned char *p = (const unsigned char *)(utf8 ? utf8 : "");
    while (*p && t->n < TEXT_MAX) {
        size_t len = 1;
        char c = '?';
        if (*p >= 0x20 && *p < 0x7f)
            c = (char)*p;
        else if (*p == '\t' || *p == '\n' || *p == '\r')
            c = ' ';
        else if (*p >= 0x80 && (len = utf8_sequence(p)) == 0)
            len = 1;
        t->s[t->n++] = c;
        p += len;
    }
}

/* Width in pixels of `n` characters at `scale`: the space after the last one
 * is not counted. */
static int text_width(size_t n, int scale)
{
    return n ? (int)n * ADVANCE * scale - scale : 0;
}

/* How many characters fit in `width` pixels at `scale`. */
static size_t text_fit(int width, int scale)
{
    return width <= 0 ? 0 : (size_t)((width + scale) / (ADVANCE * scale));
}

/* Cuts the `*n` characters at `s` to at most `max`, ending in "..." when the
 * cut leaves room for it, so a reader sees that something is missing. */
static void text_cut(char *s, size_t *n, size_t max)
{
    if (*n <= max)
        return;
    *n = max;
    if (max >= 4)
        memcpy(s + max - 3, "...", 3);
}

/* --- layout ---------------------------------------------------------------- */

/* Everything the drawing needs, computed from the spec once. */
struct plan {
    struct png_chart_layout pub;
    int scale;  /* of ordinary text, and the unit of gaps */
    int pad;    /* empty border around the chart */
    int stroke; /* thickness of the axes and the target line */
    double target;
    struct text title;
    int title_scale;
    size_t title_len1;  /* line 1 is title.s[0, title_len1) */
    size_t title_start2, title_len2; /* line 2, when title_len2 > 0 */
    struct text y_label;
    int y_label_x;      /* its left column */
    /* One size for all values and one for all bar labels, so they read as a
     * set: the largest at which the widest one fits its slot. */
    int value_scale;    /* 0: values left out */
    bool value_percent; /* false: values without '%' */
    int label_scale;    /* 0: bar labels left out */
};

static bool percent_ok(double p)
{
    return p <= 100.0; /* false for NaN too; negative means "none" */
}

/* Splits the title into one or two lines and picks their scale: one line a
 * size larger than the rest of the text when it fits, else at text size,
 * wrapped at the last space that fits, the second line cut if still too
 * long. Titles are drawn bold, one pixel wider than text_width. */
static void plan_title(struct plan *pl, int avail)
{
    struct text *t = &pl->title;
    int s = pl->scale;
    pl->title_len2 = 0;
    pl->title_start2 = t->n;
    pl->title_len1 = t->n;
    pl->title_scale = s + 1;
    if (text_width(t->n, s + 1) + 1 <= avail)
        return;
    pl->title_scale = s;
    size_t max = text_fit(avail - 1, s);
    if (t->n <= max)
        return;
    size_t cut = max;
    for (size_t i = max + 1; i-- > 1;)
        if (t->s[i] == ' ') {
            cut = i;
            break;
        }
    size_t start2 = cut;
    while (start2 < t->n && t->s[start2] == ' ')
        start2++;
    while (cut > 0 && t->s[cut - 1] == ' ')
        cut--;
    pl->title_len1 = cut;
    pl->title_start2 = start2;
    pl->title_len2 = t->n - start2;
    text_cut(t->s + start2, &pl->title_len2, max);
}

/* Whether `n` characters at `scale` fit a slot with at least a character's
 * space between neighbours, so "L10" "L11" never reads "L10L11". */
static bool fits_slot(size_t n, int scale, int slot)
{
    return text_width(n, scale) + ADVANCE * scale <= slot;
}

/* A percent as text, "87%", rounded to the nearest whole percent; "-" for
 * no data. */
static size_t percent_text(char *buf, size_t cap, double p)
{
    if (p < 0)
        return (size_t)snprintf(buf, cap, "-");
    int n = snprintf(buf, cap, "%d%%", (int)(p + 0.5));
    return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

/* Picks the size of the values and the bar labels (see struct plan). Neither
 * is ever cut: a cut "L10" would read "L1", another bar's label. */
static void plan_texts(struct plan *pl, const struct png_chart_spec *spec, int slot)
{
    size_t widest_value = 0, widest_label = 0;
    for (size_t i = 0; i < spec->nbars; i++) {
        char buf[8];
        size_t n = percent_text(buf, sizeof buf, spec->bars[i].percent);
        if (n > widest_value)
            widest_value = n;
        struct text t;
        text_from_utf8(&t, spec->bars[i].label);
        if (t.n > widest_label)
            widest_label = t.n;
    }
    int sc = pl->scale;
    while (sc > 1 && !fits_slot(widest_value, sc, slot))
        sc--;
    pl->value_percent = true;
    if (!fits_slot(widest_value, sc, slot)) {
        pl->value_percent = false; /* "100" is still a percent on this axis */
        widest_value--;
    }
    pl->value_scale = fits_slot(widest_value, sc, slot) ? sc : 0;

    sc = pl->scale;
    while (sc > 1 && !fits_slot(widest_label, sc, slot))
        sc--;
    pl->label_scale = fits_slot(widest_label, sc, slot) ? sc : 0;
}

/* Checks the spec and lays the chart out (see png_chart_layout in the
 * header for what the numbers mean). */
static int plan_chart(const struct png_chart_spec *spec, struct plan *pl)
{
    if (!spec || !spec->bars || spec->nbars < 1 || spec->nbars > PNG_CHART_MAX_BARS)
        return -EINVAL;
    if (!percent_ok(spec->target))
        return -EINVAL;
    for (size_t i = 0; i < spec->nbars; i++)
        if (!percent_ok(spec->bars[i].percent))
            return -EINVAL;
    unsigned w = spec->width ? spec->width : PNG_CHART_DEFAULT_WIDTH;
    unsigned h = spec->height ? spec->height : PNG_CHART_DEFAULT_HEIGHT;
    if (w < PNG_CHART_MIN_WIDTH || w > PNG_CHART_MAX_SIZE || h < PNG_CHART_MIN_HEIGHT ||
        h > PNG_CHART_MAX_SIZE)
        return -EINVAL;

    memset(pl, 0, sizeof *pl);
    struct png_chart_layout *l = &pl->pub;
    l->width = w;
    l->height = h;
    l->nbars = spec->nbars;
    pl->target = spec->target < 0 ? -1.0 : spec->target;
    int s = (int)(w / 400 < h / 240 ? w / 400 : h / 240);
    if (s < 1)
        s = 1;
    pl->scale = s;
    pl->pad = 6 * s;
    pl->stroke = s;

    /* Top to bottom: title, room for the value over a 100% bar, the plot,
     * the x axis, the bar labels. */
    int top = pl->pad;
    text_from_utf8(&pl->title, spec->title);
    if (pl->title.n) {
        plan_title(pl, (int)w - 2 * pl->pad);
        top += (pl->title_len2 ? 2 : 1) * LINE_H * pl->title_scale + 4 * s;
    }
    l->y100 = top + (CAP_H + 3) * s;
    l->y0 = (int)h - pl->pad - GLYPH_H * s - 3 * s - pl->stroke;

    /* Left to right: y-axis label, percent labels, y axis, plot, target
     * value. */
    int x = pl->pad;
    text_from_utf8(&pl->y_label, spec->y_label);
    if (pl->y_label.n) {
        pl->y_label_x = x;
        x += GLYPH_H * s + 3 * s;
        text_cut(pl->y_label.s, &pl->y_label.n, text_fit(l->y0 - l->y100, s));
    }
    l->plot_left = x + text_width(4, s) + 3 * s + pl->stroke;
    l->plot_right = (int)w - pl->pad;
    if (pl->target >= 0)
        l->plot_right -= 3 * s + text_width(4, s);

    /* Equal slots; a bar is three fifths of its slot, centred in it. */
    int span = l->plot_right - l->plot_left;
    int n = (int)spec->nbars;
    int bar = span / n * 3 / 5;
    if (bar < 1)
        bar = 1;
    for (int i = 0; i < n; i++) {
        int centre = l->plot_left + span * (2 * i + 1) / (2 * n);
        l->bar_left[i] = centre - bar / 2;
        l->bar_right[i] = l->bar_left[i] + bar;
    }
    plan_texts(pl, spec, span / n);
    assert(l->y100 < l->y0 && l->plot_left < l->plot_right);
    return 0;
}

int png_chart_layout(const struct png_chart_spec *spec, struct png_chart_layout *layout)
{
    if (!layout)
        return -EINVAL;
    struct plan pl;
    int rc = plan_chart(spec, &pl);
    if (rc == 0)
        *layout = pl.pub;
    return rc;
}

int png_chart_row(const struct png_chart_layout *layout, double percent)
{
    if (!(percent > 0))
        percent = 0;
    if (percent > 100)
        percent = 100;
    return layout->y0 - (int)((layout->y0 - layout->y100) * percent / 100.0 + 0.5);
}

/* --- drawing --------------------------------------------------------------- */

struct canvas {
    unsigned char *px; /* w * h palette indices, row by row */
    int w, h;
};

/* Fills columns [x0, x1) and rows [y0, y1), clipped to the canvas. */
static void fill(struct canvas *c, int x0, int y0, int x1, int y1, enum colour colour)
{
    if (x0 < 0)
        x0 = 0;
    if (y0 < 0)
        y0 = 0;
    if (x1 > c->w)
        x1 = c->w;
    if (y1 > c->h)
        y1 = c->h;
    for (int y = y0; y < y1; y++)
        if (x0 < x1)
            memset(c->px + (size_t)y * (size_t)c->w + (size_t)x0, (int)colour, (size_t)(x1 - x0));
}

/* One character with its top-left corner at (x, y); `up` turns it a quarter
 * left, for text read bottom to top: then (x, y) is its bottom-left corner
 * and the glyph's top faces left. */
static void draw_glyph(struct canvas *c, int x, int y, char ch, int scale, enum colour colour,
                       bool up)
{
    assert(ch >= 32 && ch < 127);
    const unsigned char *rows = font[ch - 32];
    for (int gy = 0; gy < GLYPH_H; gy++)
        for (int gx = 0; gx < GLYPH_W; gx++) {
            if (!(rows[gy] >> (GLYPH_W - 1 - gx) & 1))
                continue;
            if (up)
                fill(c, x + gy * scale, y - (gx + 1) * scale, x + (gy + 1) * scale,
                     y - gx * scale, colour);
            else
                fill(c, x + gx * scale, y + gy * scale, x + (gx + 1) * scale,
                     y + (gy + 1) * scale, colour);
        }
}

/* `n` characters from (x, y), the top-left corner of the first. */
static void draw_text(struct canvas *c, int x, int y, const char *s, size_t n, int scale,
                      enum colour colour)
{
    for (size_t i = 0; i < n; i++)
        draw_glyph(c, x + (int)i * ADVANCE * scale, y, s[i], scale, colour, false);
}

/* Text centred on column `cx`. */
static void draw_centred(struct canvas *c, int cx, int y, const char *s, size_t n, int scale,
                         enum colour colour)
{
    draw_text(c, cx - text_width(n, scale) / 2, y, s, n, scale, colour);
}

/* The title, bold (drawn twice, a pixel apart), centred on each line. */
static void draw_title(struct canvas *c, const struct plan *pl)
{
    const char *s = pl->title.s;
    int ts = pl->title_scale, y = pl->pad;
    for (int k = 0; k < 2; k++) {
        size_t n = k ? pl->title_len2 : pl->title_len1;
        const char *line = k ? s + pl->title_start2 : s;
        int x = (c->w - text_width(n, ts) - 1) / 2;
        draw_text(c, x, y, line, n, ts, C_INK);
        draw_text(c, x + 1, y, line, n, ts, C_INK);
        y += LINE_H * ts;
    }
}

/* The value over bar `i`, on a background-coloured box so the dashed target
 * line does not run through it. */
static void draw_value(struct canvas *c, const struct plan *pl, size_t i, double p)
{
    const struct png_chart_layout *l = &pl->pub;
    int s = pl->scale, sc = pl->value_scale;
    if (!sc)
        return;
    char buf[8];
    size_t n = percent_text(buf, sizeof buf, p);
    if (!pl->value_percent && p >= 0)
        n--;
    int w = text_width(n, sc);
    int x = (l->bar_left[i] + l->bar_right[i]) / 2 - w / 2;
    int top = png_chart_row(l, p) - 3 * s - CAP_H * sc;
    fill(c, x - s, top - s, x + w + s, top + CAP_H * sc + s, C_BACKGROUND);
    draw_text(c, x, top, buf, n, sc, C_INK);
}

/* The label under bar `i`. */
static void draw_bar_label(struct canvas *c, const struct plan *pl, size_t i, const char *utf8)
{
    const struct png_chart_layout *l = &pl->pub;
    if (!pl->label_scale)
        return;
    struct text t;
    text_from_utf8(&t, utf8);
    draw_centred(c, (l->bar_left[i] + l->bar_right[i]) / 2, l->y0 + pl->stroke + 3 * pl->scale,
                 t.s, t.n, pl->label_scale, C_INK);
}

static void draw_chart(struct canvas *c, const struct plan *pl, const struct png_chart_spec *spec)
{
    const struct png_chart_layout *l = &pl->pub;
    int s = pl->scale, stroke = pl->stroke;
    int grid = s / 2 > 1 ? s / 2 : 1;
    char buf[8];
    size_t n;

    /* Gridlines and their labels, right-aligned against the y axis and
     * centred on the line. */
    for (int p = 0; p <= 100; p += 25) {
        int y = png_chart_row(l, p);
        if (p > 0)
            fill(c, l->plot_left, y - grid / 2, l->plot_right, y - grid / 2 + grid, C_GRID);
        n = percent_text(buf, sizeof buf, p);
        draw_text(c, l->plot_left - stroke - 3 * s - text_width(n, s), y - CAP_H * s / 2, buf, n,
                  s, C_MUTED);
    }

    for (size_t i = 0; i < l->nbars; i++) {
        double p = spec->bars[i].percent;
        if (p > 0)
            fill(c, l->bar_left[i], png_chart_row(l, p), l->bar_right[i], l->y0,
                 pl->target >= 0 && p < pl->target ? C_BAD : C_GOOD);
    }

    /* The target: dashes over the bars, its value past the right end. */
    if (pl->target >= 0) {
        int y = png_chart_row(l, pl->target) - stroke / 2;
        for (int x = l->plot_left; x < l->plot_right; x += 7 * s)
            fill(c, x, y, x + 4 * s < l->plot_right ? x + 4 * s : l->plot_right, y + stroke,
                 C_INK);
        n = percent_text(buf, sizeof buf, pl->target);
        draw_text(c, l->plot_right + 3 * s, y + stroke / 2 - CAP_H * s / 2, buf, n, s, C_INK);
    }

    /* The axes, over the bars' feet. */
    fill(c, l->plot_left - stroke, l->y0, l->plot_right, l->y0 + stroke, C_INK);
    fill(c, l->plot_left - stroke, l->y100, l->plot_left, l->y0, C_INK);

    for (size_t i = 0; i < l->nbars; i++) {
        draw_value(c, pl, i, spec->bars[i].percent);
        draw_bar_label(c, pl, i, spec->bars[i].label);
    }

    if (pl->y_label.n) {
        const struct text *t = &pl->y_label;
        int bottom = (l->y100 + l->y0 + text_width(t->n, s)) / 2;
        for (size_t i = 0; i < t->n; i++)
            draw_glyph(c, pl->y_label_x, bottom - (int)i * ADVANCE * s, t->s[i], s, C_INK, true);
    }
    if (pl->title.n)
        draw_title(c, pl);
}

/* --- PNG ------------------------------------------------------------------- */

/* Output into a buffer sized exactly beforehand. */
struct writer {
    unsigned char *p;
    size_t n;
};

static void put_u8(struct writer *w, unsigned v)
{
    w->p[w->n++] = (unsigned char)v;
}

static void put_u16le(struct writer *w, unsigned v)
{
    put_u8(w, v & 0xff);
    put_u8(w, v >> 8 & 0xff);
}

static void put_u32be(struct writer *w, uint32_t v)
{
    put_u8(w, v >> 24 & 0xff);
    put_u8(w, v >> 16 & 0xff);
    put_u8(w, v >> 8 & 0xff);
    put_u8(w, v & 0xff);
}

/* CRC-32 (ISO 3309, the one PNG and zlib use), four bits at a time from a
 * 16-entry table of the reflected polynomial 0xEDB88320: small enough to
 * write out, fast enough for a few hundred KB. */
static uint32_t crc32_update(uint32_t crc, const unsigned char *p, size_t n)
{
    static const uint32_t nibble[16] = {
        0x00000000u, 0x1db71064u, 0x3b6e20c8u, 0x26d930acu, 0x76dc4190u, 0x6b6b51f4u,
        0x4db26158u, 0x5005713cu, 0xedb88320u, 0xf00f9344u, 0xd6d6a3e8u, 0xcb61b38cu,
        0x9b64c2b0u, 0x86d3d2d4u, 0xa00ae278u, 0xbdbdf21cu,
    };
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        crc = nibble[crc & 0xf] ^ (crc >> 4);
        crc = nibble[crc & 0xf] ^ (crc >> 4);
    }
    return crc;
}

/* A chunk is length, type, data, CRC of type and data. chunk_begin writes the
 * length and type and returns where the CRC starts; chunk_end writes it. */
static size_t chunk_begin(struct writer *w, uint32_t length, const char type[4])
{
    put_u32be(w, length);
    size_t start = w->n;
    memcpy(w->p + w->n, type, 4);
    w->n += 4;
    return start;
}

static void chunk_end(struct writer *w, size_t start)
{
    put_u32be(w, crc32_update(0xffffffffu, w->p + start, w->n - start) ^ 0xffffffffu);
}

/* The zlib stream of `total` bytes of image data, fed a byte at a time:
 * stored deflate blocks of at most 65535 bytes, each with its header
 * (BFINAL on the last, BTYPE 00, then LEN and its complement NLEN), and the
 * Adler-32 of the data after the last. */
#define STORED_MAX 65535u
#define ADLER_MOD 65521u

struct stored {
    struct writer *w;
    size_t left;       /* data bytes still to come */
    size_t block_left; /* of those, in the current block */
    uint32_t a, b;     /* Adler-32 sums */
};

static size_t stored_size(size_t total)
{
    size_t blocks = (total + STORED_MAX - 1) / STORED_MAX;
    return 2 + 5 * blocks + total + 4;
}

static void stored_begin(struct stored *z, struct writer *w, size_t total)
{
    assert(total > 0);
    *z = (struct stored){.w = w, .left = total, .a = 1};
    put_u8(w, 0x78); /* CM 8 (deflate), CINFO 7 (32K window) */
    put_u8(w, 0x01); /* no dictionary, level 0; 0x7801 is a multiple of 31 */
}

static void stored_put(struct stored *z, unsigned char byte)
{
    assert(z->left > 0);
    if (z->block_left == 0) {
        unsigned len = z->left < STORED_MAX ? (unsigned)z->left : STORED_MAX;
        put_u8(z->w, len == z->left ? 1 : 0);
        put_u16le(z->w, len);
        put_u16le(z->w, ~len & 0xffffu);
        z->block_left = len;
    }
    put_u8(z->w, byte);
    z->block_left--;
    z->left--;
    z->a += byte;
    if (z->a >= ADLER_MOD)
        z->a -= ADLER_MOD;
    z->b += z->a;
    if (z->b >= ADLER_MOD)
        z->b -= ADLER_MOD;
}

static void stored_end(struct stored *z)
{
    assert(z->left == 0 && z->block_left == 0);
    put_u32be(z->w, z->b << 16 | z->a);
}

/* The PNG of the canvas: 4-bit palette, each row a filter byte (0, none) and
 * two pixels a byte, high nibble first. */
static int encode_png(const struct canvas *c, unsigned char **out, size_t *out_len)
{
    size_t row = 1 + ((size_t)c->w + 1) / 2;
    size_t raw = row * (size_t)c->h;
    size_t zlen = stored_size(raw);
    size_t size = 8 + (12 + 13) + (12 + 3 * NCOLOURS) + (12 + zlen) + 12;
    if (zlen > 0x7fffffffu)
        return -EINVAL; /* a chunk's limit; cannot happen within MAX_SIZE */
    struct writer w = {.p = malloc(size)};
    if (!w.p)
        return -ENOMEM;

    static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    memcpy(w.p, signature, sizeof signature);
    w.n = sizeof signature;

    size_t start = chunk_begin(&w, 13, "IHDR");
    put_u32be(&w, (uint32_t)c->w);
    put_u32be(&w, (uint32_t)c->h);
    put_u8(&w, 4); /* bit depth */
    put_u8(&w, 3); /* colour type: palette */
    put_u8(&w, 0); /* compression: deflate */
    put_u8(&w, 0); /* filter method: adaptive, every row with filter 0 */
    put_u8(&w, 0); /* no interlace */
    chunk_end(&w, start);

    start = chunk_begin(&w, 3 * NCOLOURS, "PLTE");
    for (int i = 0; i < NCOLOURS; i++) {
        put_u8(&w, palette[i] >> 16 & 0xff);
        put_u8(&w, palette[i] >> 8 & 0xff);
        put_u8(&w, palette[i] & 0xff);
    }
    chunk_end(&w, start);

    start = chunk_begin(&w, (uint32_t)zlen, "IDAT");
    struct stored z;
    stored_begin(&z, &w, raw);
    for (int y = 0; y < c->h; y++) {
        const unsigned char *px = c->px + (size_t)y * (size_t)c->w;
        stored_put(&z, 0);
        for (int x = 0; x < c->w; x += 2)
            stored_put(&z, (unsigned char)(px[x] << 4 | (x + 1 < c->w ? px[x + 1] : 0)));
    }
    stored_end(&z);
    chunk_end(&w, start);

    start = chunk_begin(&w, 0, "IEND");
    chunk_end(&w, start);

    assert(w.n == size);
    *out = w.p;
    *out_len = size;
    return 0;
}

int png_chart_render(const struct png_chart_spec *spec, unsigned char **out, size_t *out_len)
{
    if (out)
        *out = NULL;
    if (out_len)
        *out_len = 0;
    if (!out || !out_len)
        return -EINVAL;
    struct plan pl;
    int rc = plan_chart(spec, &pl);
    if (rc)
        return rc;
    struct canvas c = {.w = (int)pl.pub.width, .h = (int)pl.pub.height};
    c.px = calloc((size_t)c.w * (size_t)c.h, 1); /* all C_BACKGROUND */
    if (!c.px)
        return -ENOMEM;
    draw_chart(&c, &pl, spec);
    rc = encode_png(&c, out, out_len);
    free(c.px);
    return rc;
}
