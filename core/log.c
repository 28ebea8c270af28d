#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>

/* The one piece of process-wide state outside the loop context: logging must
 * work before the context exists (config errors) and after it is gone. It is
 * written only during start-up. */
static struct {
    enum log_level level;
    char secret[256];
    char secret2[256];        /* the e-mail password (log_add_secret) */
} log_settings = { LOG_INFO, "", "" };

static const char *const level_names[] = { "DEBUG", "INFO", "WARN", "ERROR" };

int log_level_parse(const char *name, enum log_level *out)
{
    static const char *const names[] = { "debug", "info", "warn", "error" };
    for (int i = 0; i < 4; i++) {
        if (strcasecmp(name, names[i]) == 0) {
            *out = (enum log_level)i;
            return 0;
        }
    }
    return -EINVAL;
}

void log_set_level(enum log_level level) { log_settings.level = level; }

void log_set_secret(const char *secret)
{
    snprintf(log_settings.secret, sizeof log_settings.secret, "%s", secret ? secret : "");
}

void log_add_secret(const char *secret)
{
    snprintf(log_settings.secret2, sizeof log_settings.secret2, "%s", secret ? secret : "");
}

/* Replaces each occurrence of `secret` in place; "***" is never longer (a
 * secret shorter than that is starred character by character). */
static void redact_one(char *line, const char *secret)
{
    size_t n = strlen(secret);
    if (n == 0)
        return;
    char *from = line, *hit;
    while ((hit = strstr(from, secret)) != NULL) {
        if (n < 3) {
            memset(hit, '*', n);
            from = hit + n;
            continue;
        }
        memcpy(hit, "***", 3);
        memmove(hit + 3, hit + n, strlen(hit + n) + 1);
        from = hit + 3;
    }
}

static void redact(char *line)
{
    redact_one(line, log_settings.secret);
    redact_one(line, log_settings.secret2);
}

void log_write(enum log_level level, const char *module, const char *fmt, ...)
{
    if (level < log_settings.level)
        return;
    char text[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    redact(text);
    for (char *p = text; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';

    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    fprintf(stderr, "%s.%03dZ %-5s %s: %s\n", stamp, (int)(tv.tv_usec / 1000),
            level_names[level], module, text);
}
