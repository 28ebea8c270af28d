/* png_chart: the file is a PNG a strict, independent reader accepts, its
 * image data compressed, and the picture shows what the spec says where the
 * layout says it is: bars exactly as tall as their data, in the right colour,
 * axes, gridlines and the target line on the rows png_chart_row names.
 *
 * The reader is tests/unit/png_check.py (Python's zlib and struct only), its
 * path given as argv[1]: it checks the signature, every CRC, the chunk order,
 * the zlib stream with its Adler-32 (decompressed by Python's zlib), and the
 * scanlines with their filters, then reports the size and the colours of the
 * pixels asked for. Text is anti-aliased, so text is found as "not
 * background" pixels, never by exact colour.
 * python3 must be on PATH. Set SERTIBOT_PNG_SAMPLE=/tmp/chart.png to also
 * keep the sample chart for a look. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "png_chart.h"

static const char *checker; /* argv[1] */

/* --- helpers: the independent reader ---------------------------------------- */

#define MAX_QUERIES 32

/* Questions for png_check.py, built up as its command-line arguments. */
struct queries {
    char args[4096];
    size_t len, n;
};

/* What png_check.py answered: the image, and one number per query (a colour
 * as 0xRRGGBB for a pixel, a pixel count for a count). */
struct answers {
    long width, height;
    long blocks, stored; /* deflate blocks in the stream, and how many stored */
    unsigned long value[MAX_QUERIES];
};

static void query_add(struct queries *q, const char *fmt, ...)
{
    assert_true(q->n < MAX_QUERIES);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(q->args + q->len, sizeof q->args - q->len, fmt, ap);
    va_end(ap);
    assert_true(n > 0 && (size_t)n < sizeof q->args - q->len);
    q->len += (size_t)n;
    q->n++;
}

/* The colour of pixel (x, y). */
static void ask_pixel(struct queries *q, int x, int y)
{
    query_add(q, " px:%d,%d", x, y);
}

/* How many pixels of colour `rgb` in columns [x0, x1) and rows [y0, y1). */
static void ask_count(struct queries *q, int x0, int y0, int x1, int y1, unsigned rgb)
{
    query_add(q, " count:%d,%d,%d,%d,%06x", x0, y0, x1, y1, rgb);
}

static char *write_temp(const unsigned char *png, size_t len)
{
    const char *dir = getenv("TMPDIR");
    char *path = malloc(4096);
    assert_non_null(path);
    snprintf(path, 4096, "%s/test_png_chart_XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(png, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return path;
}

/* `s` in single quotes for the shell. */
static void shell_quote(char *out, size_t cap, const char *s)
{
    size_t n = 0;
    out[n++] = '\'';
    for (; *s; s++) {
        assert_true(n + 5 < cap);
        if (*s == '\'') {
            memcpy(out + n, "'\\''", 4);
            n += 4;
        } else
            out[n++] = *s;
    }
    assert_true(n + 2 <= cap);
    out[n++] = '\'';
    out[n] = '\0';
}

/* Runs png_check.py on the PNG; fails the test if it rejects the file. */
static struct answers check_png(const unsigned char *png, size_t len, const struct queries *q)
{
    char *path = write_temp(png, len);
    char qchecker[2048], qpath[2048], cmd[8300];
    shell_quote(qchecker, sizeof qchecker, checker);
    shell_quote(qpath, sizeof qpath, path);
    int n = snprintf(cmd, sizeof cmd, "python3 %s %s%s 2>&1", qchecker, qpath, q ? q->args : "");
    assert_true(n > 0 && (size_t)n < sizeof cmd);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char out[16384];
    size_t got = fread(out, 1, sizeof out - 1, p);
    out[got] = '\0';
    int status = pclose(p);
    unlink(path);
    free(path);
    if (status != 0)
        fail_msg("png_check.py rejected the PNG (status %d): %s", status, out);

    struct answers a = {0};
    char *line = strtok(out, "\n");
    assert_non_null(line);
    assert_int_equal(sscanf(line, "size %ld %ld", &a.width, &a.height), 2);
    line = strtok(NULL, "\n");
    assert_non_null(line);
    assert_int_equal(sscanf(line, "blocks %ld %ld", &a.blocks, &a.stored), 2);
    for (size_t i = 0; q && i < q->n; i++) {
        line = strtok(NULL, "\n");
        assert_non_null(line);
        if (strncmp(line, "px ", 3) == 0)
            assert_int_equal(sscanf(line, "px %*d %*d %lx", &a.value[i]), 1);
        else
            assert_int_equal(sscanf(line, "count %*d %*d %*d %*d %*x %lu", &a.value[i]), 1);
    }
    assert_null(strtok(NULL, "\n"));
    return a;
}

/* Renders, has the reader check the file, and returns its answers. */
static struct answers render_and_check(const struct png_chart_spec *spec, const struct queries *q)
{
    unsigned char *png = NULL;
    size_t len = 0;
    assert_int_equal(png_chart_render(spec, &png, &len), 0);
    assert_non_null(png);
    struct answers a = check_png(png, len, q);
    free(png);
    return a;
}

static struct png_chart_layout layout_of(const struct png_chart_spec *spec)
{
    struct png_chart_layout l;
    assert_int_equal(png_chart_layout(spec, &l), 0);
    return l;
}

static int centre(const struct png_chart_layout *l, size_t bar)
{
    return (l->bar_left[bar] + l->bar_right[bar]) / 2;
}

/* --- the sample: a month of seven SOP steps ---------------------------------- */

enum { FULL, LOW, AT_TARGET, NO_DATA, MIDDLE, ZERO, HIGH, NBARS };

static const struct png_chart_bar sample_bars[NBARS] = {
    [FULL] = {"1", 100.0},    [LOW] = {"2", 30.0},  [AT_TARGET] = {"3", 80.0},
    [NO_DATA] = {"4", -1.0},  [MIDDLE] = {"5", 55.4}, [ZERO] = {"6", 0.0},
    [HIGH] = {"7", 92.6},
};

static struct png_chart_spec sample_spec(void)
{
    return (struct png_chart_spec){
        .title = "Ketepatan waktu per langkah SOP - Maret 2025",
        .y_label = "% dalam standar waktu",
        .x_label = "Langkah SOP",
        .legend_good = "Mencapai target",
        .legend_bad = "Di bawah target",
        .legend_target = "Target",
        .nbars = NBARS,
        .bars = sample_bars,
        .target = 80.0,
    };
}

/* --- tests -------------------------------------------------------------------- */

static void test_chart_is_a_png_a_strict_reader_accepts(void **state)
{
    (void)state;
    struct png_chart_spec spec = sample_spec();
    unsigned char *png = NULL, *again = NULL;
    size_t len = 0, len2 = 0;
    assert_int_equal(png_chart_render(&spec, &png, &len), 0);
    struct answers a = check_png(png, len, NULL);
    assert_int_equal(a.width, PNG_CHART_DEFAULT_WIDTH);
    assert_int_equal(a.height, PNG_CHART_DEFAULT_HEIGHT);
    /* Compressed: the deflate stream's first block is not a stored one, and
     * the file is a small part of the 800 x 480 x 3 bytes of pixels. */
    assert_true(a.blocks >= 1);
    assert_int_equal(a.stored, 0);
    assert_true(len < 60000);

    /* The same spec gives the same bytes. */
    assert_int_equal(png_chart_render(&spec, &again, &len2), 0);
    assert_int_equal(len2, len);
    assert_memory_equal(again, png, len);

    const char *keep = getenv("SERTIBOT_PNG_SAMPLE");
    if (keep && *keep) {
        FILE *f = fopen(keep, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(png, 1, len, f), len);
        assert_int_equal(fclose(f), 0);
    }
    free(png);
    free(again);
}

static void test_bars_under_the_target_are_bad_the_rest_good(void **state)
{
    (void)state;
    struct png_chart_spec spec = sample_spec();
    struct png_chart_layout l = layout_of(&spec);
    struct queries q = {0};
    ask_pixel(&q, centre(&l, FULL), png_chart_row(&l, 60));
    ask_pixel(&q, centre(&l, LOW), png_chart_row(&l, 15));
    ask_pixel(&q, centre(&l, AT_TARGET), png_chart_row(&l, 40)); /* at the target is good */
    ask_pixel(&q, centre(&l, MIDDLE), png_chart_row(&l, 40));
    ask_pixel(&q, centre(&l, HIGH), png_chart_row(&l, 90));
    struct answers a = render_and_check(&spec, &q);
    assert_int_equal(a.value[0], PNG_CHART_GOOD_RGB);
    assert_int_equal(a.value[1], PNG_CHART_BAD_RGB);
    assert_int_equal(a.value[2], PNG_CHART_GOOD_RGB);
    assert_int_equal(a.value[3], PNG_CHART_BAD_RGB);
    assert_int_equal(a.value[4], PNG_CHART_GOOD_RGB);

    /* Without a target every bar is good, and no dashed line is drawn. */
    spec.target = -1;
    l = layout_of(&spec);
    q = (struct queries){0};
    ask_pixel(&q, centre(&l, LOW), png_chart_row(&l, 15));
    ask_count(&q, l.bar_left[NO_DATA], png_chart_row(&l, 80) - 3, l.bar_right[NO_DATA],
              png_chart_row(&l, 80) + 3, PNG_CHART_INK_RGB);
    a = render_and_check(&spec, &q);
    assert_int_equal(a.value[0], PNG_CHART_GOOD_RGB);
    assert_int_equal(a.value[1], 0);
}

static void test_bar_is_exactly_as_tall_as_its_percent(void **state)
{
    (void)state;
    struct png_chart_spec spec = sample_spec();
    struct png_chart_layout l = layout_of(&spec);
    /* The scale's ends are the gridlines the layout names. */
    assert_int_equal(png_chart_row(&l, 100), l.y100);
    assert_int_equal(png_chart_row(&l, 0), l.y0);
    assert_int_equal(png_chart_row(&l, 50), (l.y0 + l.y100 + 1) / 2);
    int left = l.bar_left[LOW], right = l.bar_right[LOW], top = png_chart_row(&l, 30);
    assert_true(l.y100 < top && top < l.y0 && left < right);
    struct queries q = {0};
    ask_count(&q, left, l.y100, right, l.y0, PNG_CHART_BAD_RGB);
    ask_count(&q, left, top, right, l.y0, PNG_CHART_BAD_RGB);
    ask_pixel(&q, centre(&l, LOW), top);
    ask_pixel(&q, centre(&l, LOW), top - 1);
    ask_pixel(&q, left - 1, png_chart_row(&l, 15));
    ask_pixel(&q, right, png_chart_row(&l, 15));
    /* A 100% bar reaches the 100% line and stops there. */
    ask_pixel(&q, centre(&l, FULL), l.y100);
    ask_count(&q, l.bar_left[FULL], 0, l.bar_right[FULL], l.y100, PNG_CHART_GOOD_RGB);
    struct answers a = render_and_check(&spec, &q);
    unsigned long area = (unsigned long)(right - left) * (unsigned long)(l.y0 - top);
    assert_int_equal(a.value[0], area); /* all of it inside the rectangle... */
    assert_int_equal(a.value[1], area); /* ...and the rectangle full */
    assert_int_equal(a.value[2], PNG_CHART_BAD_RGB);
    assert_int_equal(a.value[3], PNG_CHART_BACKGROUND_RGB);
    assert_int_equal(a.value[4], PNG_CHART_BACKGROUND_RGB);
    assert_int_equal(a.value[5], PNG_CHART_BACKGROUND_RGB);
    assert_int_equal(a.value[6], PNG_CHART_GOOD_RGB);
    assert_int_equal(a.value[7], 0);
}

static void test_space_far_above_a_short_bar_is_white(void **state)
{
    (void)state;
    struct png_chart_spec spec = sample_spec();
    struct png_chart_layout l = layout_of(&spec);
    struct queries q = {0};
    ask_pixel(&q, centre(&l, LOW), png_chart_row(&l, 90));
    ask_pixel(&q, centre(&l, LOW), png_chart_row(&l, 60));
    ask_pixel(&q, centre(&l, ZERO), png_chart_row(&l, 40));
    struct answers a = render_and_check(&spec, &q);
    assert_int_equal(a.value[0], PNG_CHART_BACKGROUND_RGB);
    assert_int_equal(a.value[1], PNG_CHART_BACKGROUND_RGB);
    assert_int_equal(a.value[2], PNG_CHART_BACKGROUND_RGB);
}

static void test_no_data_draws_no_bar_only_a_dash(void **state)
{
    (void)state;
    struct png_chart_spec spec = sample_spec();
    struct png_chart_layout l = layout_of(&spec);
    /* Every kind of "no data" draws the same. */
    struct png_chart_bar bars[NBARS];
    memcpy(bars, sample_bars, sizeof bars);
    bars[NO_DATA].percent = -INFINITY;
    struct png_chart_spec minus_inf = spec;
    minus_inf.bars = bars;

    struct queries q = {0};
    int left = l.bar_left[NO_DATA], right = l.bar_right[NO_DATA];
    ask_count(&q, left, l.y100, right, l.y0, PNG_CHART_GOOD_RGB);
    ask_count(&q, left, l.y100, right, l.y0, PNG_CHART_BAD_RGB);
    /* The "-": some pixels in the 30 rows over the axis are not white. */
    ask_count(&q, left, l.y0 - 30, right, l.y0, PNG_CHART_BACKGROUND_RGB);
    /* A 0% bar has no height either, but its value is "0%": more ink. */
    ask_count(&q, l.bar_left[ZERO], l.y100, l.bar_right[ZERO], l.y0, PNG_CHART_GOOD_RGB);
    ask_count(&q, l.bar_left[ZERO], l.y100, l.bar_right[ZERO], l.y0, PNG_CHART_BAD_RGB);
    ask_count(&q, l.bar_left[ZERO], l.y0 - 30, l.bar_right[ZERO], l.y0,
              PNG_CHART_BACKGROUND_RGB);
    struct answers a = render_and_check(&spec, &q);
    unsigned long area = (unsigned long)(right - left) * 30;
    assert_int_equal(a.value[0], 0);
    assert_int_equal(a.value[1], 0);
    assert_true(a.value[2] < area);
    assert_int_equal(a.value[3], 0);
    assert_int_equal(a.value[4], 0);
    assert_true(area - a.value[5] > area - a.value[2]);

    unsigned char *one = NULL, *two = NULL;
    size_t n1 = 0, n2 = 0;
    assert_int_equal(png_chart_render(&spec, &one, &n1), 0);
    assert_int_equal(png_chart_render(&minus_inf, &two, &n2), 0);
    assert_int_equal(n1, n2);
    assert_memory_equal(one, two, n1);
    free(one);
    free(two);
}

static void test_target_is_a_dashed_line_across_the_plot(void **state)
{
    (void)state;
    struct png_chart_spec spec = sample_spec();
    struct png_chart_layout l = layout_of(&spec);
    int y = png_chart_row(&l, 80);
    struct queries q = {0};
    /* Along the line through the empty no-data slot: dashes and gaps. */
    ask_count(&q, l.bar_left[NO_DATA] - 20, y, l.bar_right[NO_DATA] + 20, y + 1,
              PNG_CHART_INK_RGB);
    ask_count(&q, l.bar_left[NO_DATA] - 20, y, l.bar_right[NO_DATA] + 20, y + 1,
              PNG_CHART_BACKGROUND_RGB);
    /* It crosses the 100% bar... */
    ask_count(&q, l.bar_left[FULL], y, l.bar_right[FULL], y + 1, PNG_CHART_INK_RGB);
    /* ...and is gone a little above and below (where no value is written). */
    ask_count(&q, l.bar_left[NO_DATA], y - 6, l.bar_right[NO_DATA], y - 3, PNG_CHART_INK_RGB);
    ask_count(&q, l.bar_left[FULL], y + 3, l.bar_right[FULL], y + 6, PNG_CHART_INK_RGB);
    struct answers a = render_and_check(&spec, &q);
    unsigned long span = (unsigned long)(l.bar_right[NO_DATA] - l.bar_left[NO_DATA] + 40);
    assert_true(a.value[0] > span / 3);
    assert_true(a.value[1] > span / 5);
    assert_int_equal(a.value[0] + a.value[1], span);
    assert_true(a.value[2] > 0);
    assert_int_equal(a.value[3], 0);
    assert_int_equal(a.value[4], 0);
}

static void test_axes_and_gridlines_are_where_the_layout_says(void **state)
{
    (void)state;
    struct png_chart_spec spec = sample_spec();
    struct png_chart_layout l = layout_of(&spec);
    int empty = l.bar_left[NO_DATA] + 2; /* a column with no bar */
    struct queries q = {0};
    ask_pixel(&q, l.plot_left - 1, png_chart_row(&l, 60));   /* y axis */
    ask_pixel(&q, l.plot_left, png_chart_row(&l, 60));       /* inside the plot */
    ask_pixel(&q, centre(&l, FULL), l.y0);                   /* x axis */
    ask_pixel(&q, empty, png_chart_row(&l, 25));
    ask_pixel(&q, empty, png_chart_row(&l, 50));
    ask_pixel(&q, empty, png_chart_row(&l, 75));
    ask_pixel(&q, empty, png_chart_row(&l, 100));
    ask_pixel(&q, empty, png_chart_row(&l, 50) - 3);
    /* The percent label left of the axis: not all white there. */
    ask_count(&q, 0, png_chart_row(&l, 50) - 8, l.plot_left - 1, png_chart_row(&l, 50) + 8,
              PNG_CHART_BACKGROUND_RGB);
    struct answers a = render_and_check(&spec, &q);
    assert_int_equal(a.value[0], PNG_CHART_INK_RGB);
    assert_int_equal(a.value[1], PNG_CHART_BACKGROUND_RGB);
    assert_int_equal(a.value[2], PNG_CHART_INK_RGB);
    for (int i = 3; i < 7; i++)
        assert_int_equal(a.value[i], PNG_CHART_GRID_RGB);
    assert_int_equal(a.value[7], PNG_CHART_BACKGROUND_RGB);
    assert_true((unsigned long)(l.plot_left - 1) * 16 - a.value[8] > 20);
}

/* Each text takes room the plot gives up when it is left out. */
static void test_texts_take_room_the_plot_gets_back(void **state)
{
    (void)state;
    struct png_chart_spec spec = sample_spec();
    struct png_chart_layout l = layout_of(&spec);
    struct png_chart_spec bare = spec;
    bare.title = NULL;
    struct png_chart_layout no_title = layout_of(&bare);
    assert_true(no_title.y100 < l.y100);
    bare.legend_good = bare.legend_bad = "";
    bare.legend_target = NULL;
    struct png_chart_layout no_legend = layout_of(&bare);
    assert_true(no_legend.y100 < no_title.y100);
    bare.y_label = "";
    struct png_chart_layout no_y = layout_of(&bare);
    assert_true(no_y.plot_left < l.plot_left);
    bare.x_label = NULL;
    struct png_chart_layout no_x = layout_of(&bare);
    assert_true(no_x.y0 > l.y0);
    /* Without a target the target's value needs no room at the right. */
    bare.target = -1;
    assert_true(layout_of(&bare).plot_right > l.plot_right);

    /* The middle of the title's band has text in it; left out, it is white
     * (the middle slot is the no-data bar's, which has no value on top). */
    struct queries q = {0};
    int mid = (int)l.width / 2;
    ask_count(&q, mid - 40, 0, mid + 40, 30, PNG_CHART_BACKGROUND_RGB);
    struct answers a = render_and_check(&spec, &q);
    assert_true(a.value[0] < 80 * 30 - 100);
    a = render_and_check(&bare, &q);
    assert_int_equal(a.value[0], 80 * 30);
}

static void test_long_title_wraps_onto_a_second_line(void **state)
{
    (void)state;
    struct png_chart_spec spec = sample_spec();
    struct png_chart_layout one = layout_of(&spec);
    spec.title = "Persentase penyelesaian langkah SOP dalam standar waktu pelayanan "
                 "sertifikasi elektronik Dinas Komunikasi - Maret 2025";
    struct png_chart_layout two = layout_of(&spec);
    assert_true(two.y100 > one.y100 + 10);
    /* A title of many lines stops at two. */
    char longer[2048] = "";
    for (int i = 0; i < 30; i++)
        strcat(longer, "kata panjang sekali ");
    spec.title = longer;
    struct png_chart_layout capped = layout_of(&spec);
    assert_int_equal(capped.y100, two.y100);
    render_and_check(&spec, NULL);
}

static void test_unicode_is_drawn_and_bad_utf8_is_survived(void **state)
{
    (void)state;
    struct png_chart_spec a = sample_spec(), b = sample_spec();
    /* Ṣalāḥ is drawn, not question marks. */
    a.title = "\xe1\xb9\xa2" "al\xc4\x81\xe1\xb8\xa5";
    b.title = "?al??";
    unsigned char *pa = NULL, *pb = NULL;
    size_t na = 0, nb = 0;
    assert_int_equal(png_chart_render(&a, &pa, &na), 0);
    assert_int_equal(png_chart_render(&b, &pb, &nb), 0);
    assert_true(na != nb || memcmp(pa, pb, na) != 0);
    free(pa);
    free(pb);
    /* A stray continuation byte, a lone lead byte, an overlong '/', a tab. */
    a.title = "Caf\xc3\xa9 \x80 \xc3 \xc0\xaf\tok";
    render_and_check(&a, NULL);
}

static void test_sizes_default_custom_odd_and_largest(void **state)
{
    (void)state;
    struct png_chart_spec spec = sample_spec();
    spec.width = 1000;
    struct answers a = render_and_check(&spec, NULL);
    assert_int_equal(a.width, 1000);
    assert_int_equal(a.height, PNG_CHART_DEFAULT_HEIGHT);

    /* Odd width: the last byte of each row holds one pixel. Smallest size,
     * most bars. */
    struct png_chart_bar many[PNG_CHART_MAX_BARS];
    for (size_t i = 0; i < PNG_CHART_MAX_BARS; i++)
        many[i] = (struct png_chart_bar){"L10", (double)(i * 6)};
    spec = (struct png_chart_spec){.title = "x", .y_label = "y", .nbars = PNG_CHART_MAX_BARS,
                                   .bars = many, .target = 50, .width = 321,
                                   .height = PNG_CHART_MIN_HEIGHT};
    struct png_chart_layout l = layout_of(&spec);
    struct queries q = {0};
    ask_pixel(&q, centre(&l, 15), l.y0 - 2);
    ask_pixel(&q, centre(&l, 1), l.y0 - 2);
    ask_pixel(&q, 320, 239);
    a = render_and_check(&spec, &q);
    assert_int_equal(a.width, 321);
    assert_int_equal(a.height, PNG_CHART_MIN_HEIGHT);
    assert_int_equal(a.value[0], PNG_CHART_GOOD_RGB);
    assert_int_equal(a.value[1], PNG_CHART_BAD_RGB);
    assert_int_equal(a.value[2], PNG_CHART_BACKGROUND_RGB);

    /* The largest. */
    spec = sample_spec();
    spec.width = spec.height = PNG_CHART_MAX_SIZE;
    l = layout_of(&spec);
    q = (struct queries){0};
    ask_pixel(&q, centre(&l, FULL), png_chart_row(&l, 60));
    ask_pixel(&q, centre(&l, LOW), png_chart_row(&l, 15));
    ask_pixel(&q, centre(&l, LOW), png_chart_row(&l, 90));
    a = render_and_check(&spec, &q);
    assert_int_equal(a.width, PNG_CHART_MAX_SIZE);
    assert_int_equal(a.height, PNG_CHART_MAX_SIZE);
    assert_int_equal(a.stored, 0);
    assert_int_equal(a.value[0], PNG_CHART_GOOD_RGB);
    assert_int_equal(a.value[1], PNG_CHART_BAD_RGB);
    assert_int_equal(a.value[2], PNG_CHART_BACKGROUND_RGB);
}

/* Expects -EINVAL, with the outputs cleared. */
static void assert_refused(const struct png_chart_spec *spec)
{
    unsigned char *png = (unsigned char *)"untouched";
    size_t len = 9;
    assert_int_equal(png_chart_render(spec, &png, &len), -EINVAL);
    assert_null(png);
    assert_int_equal(len, 0);
    struct png_chart_layout l;
    assert_int_equal(png_chart_layout(spec, &l), -EINVAL);
}

static void test_bad_specs_are_refused(void **state)
{
    (void)state;
    struct png_chart_spec good = sample_spec(), spec;
    struct png_chart_bar bars[PNG_CHART_MAX_BARS + 1];
    for (size_t i = 0; i < PNG_CHART_MAX_BARS + 1; i++)
        bars[i] = (struct png_chart_bar){"1", 50};

    assert_refused(NULL);
    spec = good, spec.nbars = 0;
    assert_refused(&spec);
    spec = good, spec.bars = bars, spec.nbars = PNG_CHART_MAX_BARS + 1;
    assert_refused(&spec);
    spec = good, spec.bars = NULL;
    assert_refused(&spec);
    spec = good, spec.target = 100.5;
    assert_refused(&spec);
    spec = good, spec.target = NAN;
    assert_refused(&spec);
    spec = good, spec.bars = bars, spec.nbars = 3;
    bars[1].percent = 100.01;
    assert_refused(&spec);
    bars[1].percent = NAN;
    assert_refused(&spec);
    bars[1].percent = 50;
    spec = good, spec.width = PNG_CHART_MIN_WIDTH - 1;
    assert_refused(&spec);
    spec = good, spec.height = PNG_CHART_MIN_HEIGHT - 1;
    assert_refused(&spec);
    spec = good, spec.width = PNG_CHART_MAX_SIZE + 1;
    assert_refused(&spec);

    unsigned char *png = NULL;
    size_t len = 0;
    assert_int_equal(png_chart_render(&good, NULL, &len), -EINVAL);
    assert_int_equal(png_chart_render(&good, &png, NULL), -EINVAL);
    assert_null(png);
    assert_int_equal(png_chart_layout(&good, NULL), -EINVAL);

    /* The edges are fine: 1 and 16 bars, 0 and 100, target 0 and 100. */
    spec = good, spec.bars = bars, spec.nbars = 1, spec.target = 0;
    assert_int_equal(png_chart_render(&spec, &png, &len), 0);
    free(png);
    bars[0].percent = 100;
    bars[1].percent = 0;
    spec.nbars = PNG_CHART_MAX_BARS, spec.target = 100;
    assert_int_equal(png_chart_render(&spec, &png, &len), 0);
    free(png);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s path/to/tests/unit/png_check.py\n", argv[0]);
        return 2;
    }
    checker = argv[1];
    if (access(checker, R_OK) != 0) {
        fprintf(stderr, "%s: cannot read %s\n", argv[0], checker);
        return 2;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chart_is_a_png_a_strict_reader_accepts),
        cmocka_unit_test(test_bars_under_the_target_are_bad_the_rest_good),
        cmocka_unit_test(test_bar_is_exactly_as_tall_as_its_percent),
        cmocka_unit_test(test_space_far_above_a_short_bar_is_white),
        cmocka_unit_test(test_no_data_draws_no_bar_only_a_dash),
        cmocka_unit_test(test_target_is_a_dashed_line_across_the_plot),
        cmocka_unit_test(test_axes_and_gridlines_are_where_the_layout_says),
        cmocka_unit_test(test_texts_take_room_the_plot_gets_back),
        cmocka_unit_test(test_long_title_wraps_onto_a_second_line),
        cmocka_unit_test(test_unicode_is_drawn_and_bad_utf8_is_survived),
        cmocka_unit_test(test_sizes_default_custom_odd_and_largest),
        cmocka_unit_test(test_bad_specs_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
