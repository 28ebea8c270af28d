#include "file_read.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"

int file_read_all(const char *path, size_t max_size, char **out)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return -errno;
    struct buf text = { 0 };
    char chunk[4096];
    int rc = 0;
    for (;;) {
        size_t got = fread(chunk, 1, sizeof chunk, f);
        if (got > max_size - text.len) {
            rc = -EFBIG;
            break;
        }
        buf_put(&text, chunk, got); /* also makes "" of an empty file */
        if (text.failed) {
            rc = -ENOMEM;
            break;
        }
        if (got < sizeof chunk)
            break;
    }
    if (!rc && ferror(f))
        rc = -EIO;
    fclose(f);
    if (rc) {
        free(text.data);
        return rc;
    }
    *out = text.data;
    return 0;
}
