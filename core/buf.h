/* buf: a growable byte buffer for the pure writers (PDF, iCalendar). Always
 * NUL-terminated after its bytes, so text writers can hand `data` out as a
 * string; binary writers ignore the extra byte. An allocation failure is
 * remembered in `failed` and later writes do nothing, so a writer checks once
 * at the end. `data` is malloc'd: the owner frees it. */
#ifndef SERTIBOT_BUF_H
#define SERTIBOT_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct buf {
    char *data;
    size_t len;
    size_t cap;
    bool failed;
};

void buf_put(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
