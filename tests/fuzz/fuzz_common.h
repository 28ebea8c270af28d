/* fuzz_common: what every libFuzzer harness in tests/fuzz/ shares.
 *
 * A harness gets arbitrary bytes; the parsers it calls take C strings, so
 * fuzz_cstr gives a malloc'd copy cut at the first NUL (what a C caller of
 * ours would see). FUZZ_CHECK aborts with the failed property, which
 * libFuzzer reports as a crash and saves as crash-<sha1>: every such input
 * becomes a unit test (tests/unit/test_fuzz_regressions.c). */
#ifndef SERTIBOT_FUZZ_COMMON_H
#define SERTIBOT_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                    \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            fprintf(stderr, "fuzz: property failed at %s:%d: %s\n", __FILE__, __LINE__,     \
                    #cond);                                                                 \
            abort();                                                                        \
        }                                                                                   \
    } while (0)

/* A NUL-terminated copy of data[0..size), cut at the first NUL; never NULL
 * (an allocation failure aborts: libFuzzer's -rss_limit handles real OOM). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

#endif
