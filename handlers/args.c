#include "args.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool args_next(const char **cursor, char *word, size_t size)
{
    const char *p = *cursor;
    while (*p && is_space(*p))
        p++;
    const char *start = p;
    while (*p && !is_space(*p))
        p++;
    size_t n = (size_t)(p - start);
    size_t copy = n < size ? n : size - 1;
    memcpy(word, start, copy);
    word[copy] = '\0';
    *cursor = p;
    return n > 0;
}

int args_rest(const char *cursor, char *out, size_t size)
{
    while (*cursor && is_space(*cursor))
        cursor++;
    size_t n = strlen(cursor);
    while (n > 0 && is_space(cursor[n - 1]))
        n--;
    int rc = 0;
    if (n >= size) {
        n = size - 1;
        rc = -E2BIG;
    }
    memcpy(out, cursor, n);
    out[n] = '\0';
    return rc;
}

int args_telegram_id(const char *word, int64_t *id)
{
    size_t n = strlen(word);
    if (n == 0 || n > 15)
        return -EINVAL;
    int64_t value = 0;
    for (size_t i = 0; i < n; i++) {
        if (word[i] < '0' || word[i] > '9')
            return -EINVAL;
        value = value * 10 + (word[i] - '0');
    }
    if (value <= 0)
        return -EINVAL;
    *id = value;
    return 0;
}

bool args_one_line(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return false;
    return true;
}

int args_decimal_n(const char *text, size_t len, uint64_t max, uint64_t *out)
{
    if (len == 0 || len > 20 || (len > 1 && text[0] == '0'))
        return -EINVAL;
    uint64_t value = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] < '0' || text[i] > '9')
            return -EINVAL;
        unsigned digit = (unsigned)(text[i] - '0');
        if (value > (UINT64_MAX - digit) / 10)
            return -EINVAL;
        value = value * 10 + digit;
    }
    if (value > max)
        return -EINVAL;
    *out = value;
    return 0;
}

int args_decimal(const char *text, uint64_t max, uint64_t *out)
{
    return args_decimal_n(text, strlen(text), max, out);
}

static bool is_word_char(char c, bool upper_and_dash)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           (upper_and_dash && ((c >= 'A' && c <= 'Z') || c == '-'));
}

/* The field of `text` up to the next ':' or the end; its length. */
static size_t field_length(const char *text)
{
    return strcspn(text, ":");
}

int args_case_press(const char *rest, struct args_press *out)
{
    const uint64_t max_id = 9007199254740991ull; /* 2^53 - 1: a JSON number's exact range */
    uint64_t id, version;
    const char *p = rest;
    size_t n = field_length(p);
    if (p[n] != ':' || args_decimal_n(p, n, max_id, &id) || id == 0)
        return -EINVAL;
    p += n + 1;
    n = field_length(p);
    if (p[n] != ':' || args_decimal_n(p, n, UINT32_MAX, &version) || version == 0)
        return -EINVAL;
    p += n + 1;
    n = field_length(p);
    if (n == 0 || n >= sizeof out->what)
        return -EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!is_word_char(p[i], false))
            return -EINVAL;
    memcpy(out->what, p, n);
    out->what[n] = '\0';
    p += n;
    out->arg[0] = '\0';
    if (*p == ':') {
        const char *arg = ++p;
        size_t total = strlen(arg);
        if (total == 0 || total >= sizeof out->arg || arg[total - 1] == ':')
            return -EINVAL;
        for (size_t i = 0; i < total; i++) {
            bool separator_ok = arg[i] == ':' && i > 0 && arg[i - 1] != ':';
            if (!separator_ok && !is_word_char(arg[i], true))
                return -EINVAL;
        }
        memcpy(out->arg, arg, total + 1);
    }
    out->case_id = (int64_t)id;
    out->version = (uint32_t)version;
    return 0;
}
