#include "file_read.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int file_read_all(const char *path, size_t max_size, char **out)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return -errno;
    char *text = NULL;
    size_t len = 0, cap = 0;
    int rc = 0;
    for (;;) {
        if (len + 4097 > cap) {
            cap = cap ? cap * 2 : 8192;
            if (cap > max_size + 4097) {
                rc = -EFBIG;
                break;
            }
            char *grown = realloc(text, cap);
            if (!grown) {
                rc = -ENOMEM;
                break;
            }
            text = grown;
        }
        size_t got = fread(text + len, 1, 4096, f);
        len += got;
        if (got < 4096)
            break;
    }
    if (!rc && ferror(f))
        rc = -EIO;
    if (!rc && len > max_size)
        rc = -EFBIG;
    fclose(f);
    if (rc) {
        free(text);
        return rc;
    }
    text[len] = '\0';
    *out = text;
    return 0;
}
