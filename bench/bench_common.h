/* What the two benchmarks share: a monotonic stopwatch, min/median of a
 * series, a deterministic random stream, and a scratch directory for the
 * database that is removed afterwards. Benchmarks print figures; they assert
 * no times, and a failure of the project's own calls ends them with exit 1. */
#ifndef SERTIBOT_BENCH_COMMON_H
#define SERTIBOT_BENCH_COMMON_H

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Nanoseconds on CLOCK_MONOTONIC. */
static inline int64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline double bench_ms(int64_t ns)
{
    return (double)ns / 1e6;
}

static inline int bench_cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Sorts `v` in place and gives its min, median and max. */
static inline void bench_stats(int64_t *v, size_t n, int64_t *min, int64_t *median, int64_t *max)
{
    qsort(v, n, sizeof *v, bench_cmp_i64);
    *min = v[0];
    *median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    *max = v[n - 1];
}

/* xorshift64*: the same data on every run, so figures compare across runs. */
static inline uint64_t bench_rand(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * UINT64_C(2685821657736338717);
}

/* Uniform in [0, n). */
static inline int64_t bench_rand_below(uint64_t *state, int64_t n)
{
    return n > 0 ? (int64_t)(bench_rand(state) % (uint64_t)n) : 0;
}

/* A fresh directory under $TMPDIR (or /tmp); exits on failure. */
static inline void bench_tmpdir(char *out, size_t size, const char *name)
{
    const char *base = getenv("TMPDIR");
    snprintf(out, size, "%s/%s-XXXXXX", base && *base ? base : "/tmp", name);
    if (!mkdtemp(out)) {
        perror("mkdtemp");
        exit(1);
    }
}

/* Removes the files of a scratch directory (the database, its -wal and
 * -shm) and the directory itself. Not recursive: nothing else is made there. */
static inline void bench_rmdir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char path[4096];
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
}

/* The scratch directory of this run, removed at exit whatever the way out
 * (a failed call ends a benchmark with exit(1)). */
static char bench_scratch[512];

static inline void bench_scratch_remove(void)
{
    if (bench_scratch[0])
        bench_rmdir(bench_scratch);
    bench_scratch[0] = '\0';
}

/* Makes the scratch directory and arranges its removal at exit. */
static inline const char *bench_scratch_make(const char *name)
{
    bench_tmpdir(bench_scratch, sizeof bench_scratch, name);
    atexit(bench_scratch_remove);
    return bench_scratch;
}

/* The size of a file in bytes; 0 if it does not exist. */
static inline int64_t bench_file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (int64_t)st.st_size : 0;
}

#endif
