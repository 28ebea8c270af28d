#include "csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add(struct csv *csv, const char *s, size_t n)
{
    buf_put(&csv->out, s, n);
}

void csv_init(struct csv *csv)
{
    *csv = (struct csv){ 0 };
    add(csv, "\xef\xbb\xbf", 3); /* a BOM, so spreadsheets read UTF-8 */
}

/* Fields of a row are separated as they come: a row's first field follows
 * the BOM or a line end. */
static bool at_row_start(const struct csv *csv)
{
    const struct buf *b = &csv->out;
    return b->len == 3 || (b->len >= 2 && b->data[b->len - 1] == '\n');
}

void csv_field(struct csv *csv, const char *value)
{
    if (!at_row_start(csv))
        add(csv, ",", 1);
    add(csv, "\"", 1);
    if (value[0] && strchr("=+-@", value[0]))
        add(csv, "'", 1);
    for (const char *p = value; *p; p++) {
        if (*p == '"')
            add(csv, "\"", 1);
        add(csv, p, 1);
    }
    add(csv, "\"", 1);
}

void csv_number(struct csv *csv, long long value)
{
    char text[32] = "";
    if (value >= 0)
        snprintf(text, sizeof text, "%lld", value);
    csv_field(csv, text);
}

void csv_end_row(struct csv *csv)
{
    add(csv, "\r\n", 2);
    csv->rows++;
}
