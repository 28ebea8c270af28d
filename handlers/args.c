#include "args.h"

#include <errno.h>
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

size_t args_chars(const char *text)
{
    size_t count = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if ((*p & 0xc0) != 0x80)
            count++;
    return count;
}
