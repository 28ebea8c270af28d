/* csv: building a CSV document (RFC 4180) that opens in a spreadsheet:
 * UTF-8 with a byte-order mark, every field quoted, CRLF line ends, and a
 * leading = + - @ neutralised so a subject is never run as a formula. */
#ifndef SERTIBOT_CSV_H
#define SERTIBOT_CSV_H

#include <stddef.h>

#include "buf.h"

struct csv {
    struct buf out;  /* out.data is malloc'd, the caller frees it; out.failed:
                      * an allocation failed, the document is incomplete */
    size_t rows;     /* rows ended with csv_end_row */
};

void csv_init(struct csv *csv);
void csv_field(struct csv *csv, const char *value);
/* A field from a number; "" for a negative one (no data). */
void csv_number(struct csv *csv, long long value);
void csv_end_row(struct csv *csv);

#endif
