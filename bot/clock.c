#include "clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int64_t system_now_ms(void *context)
{
    (void)context;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct clock clock_system(void)
{
    struct clock clock = { system_now_ms, NULL };
    return clock;
}

/* The file holds "<ms since the epoch>": time stands still until the test
 * writes the next instant. Reading it on every call costs a few microseconds,
 * which only tests pay. A missing or garbled file reads as the system time,
 * so a test that forgot to write it fails on its assertions, not on a crash. */
static int64_t file_now_ms(void *context)
{
    const char *path = context;
    FILE *f = fopen(path, "r");
    if (!f)
        return system_now_ms(NULL);
    long long value = 0;
    int ok = fscanf(f, "%lld", &value) == 1 && value > 0;
    fclose(f);
    return ok ? (int64_t)value : system_now_ms(NULL);
}

struct clock clock_from_file(const char *path)
{
    struct clock clock = { file_now_ms, (void *)path };
    return clock;
}
