#include "args.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "config_letter.h"
#include "office_calendar.h"

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

/* --- what letters write --------------------------------------------------- */

int args_nip(const char *text, char out[ARGS_NIP_DIGITS + 1])
{
    /* Spaces only inside: a tab or a new line is not how a NIP is written. */
    if (!text || !isdigit((unsigned char)text[0]) || strpbrk(text, "\t\n\r\v\f"))
        return -EINVAL;
    size_t n = strlen(text);
    if (!isdigit((unsigned char)text[n - 1]) || strstr(text, "  "))
        return -EINVAL;
    return config_nip_normalize(text, out);
}

/* Month names as Indonesian and English letters write them, full and short
 * (input to read, not text to show: the catalog has the names we write). */
static const struct {
    int month;
    const char *name;
} month_words[] = {
    { 1, "januari" },   { 1, "january" },  { 1, "jan" },      { 2, "februari" },
    { 2, "pebruari" },  { 2, "february" }, { 2, "feb" },      { 2, "peb" },
    { 3, "maret" },     { 3, "march" },    { 3, "mar" },      { 4, "april" },
    { 4, "apr" },       { 5, "mei" },      { 5, "may" },      { 6, "juni" },
    { 6, "june" },      { 6, "jun" },      { 7, "juli" },     { 7, "july" },
    { 7, "jul" },       { 8, "agustus" },  { 8, "august" },   { 8, "agu" },
    { 8, "agt" },       { 8, "ags" },      { 8, "aug" },      { 9, "september" },
    { 9, "sept" },      { 9, "sep" },      { 10, "oktober" }, { 10, "october" },
    { 10, "okt" },      { 10, "oct" },     { 11, "november" }, { 11, "nopember" },
    { 11, "nov" },      { 11, "nop" },     { 12, "desember" }, { 12, "december" },
    { 12, "des" },      { 12, "dec" },
};

static int month_of_word(const char *word)
{
    char name[16];
    size_t n = strlen(word);
    if (n > 0 && word[n - 1] == '.') /* "Nov." */
        n--;
    if (n == 0 || n >= sizeof name)
        return 0;
    memcpy(name, word, n);
    name[n] = '\0';
    for (size_t i = 0; i < sizeof month_words / sizeof month_words[0]; i++)
        if (strcasecmp(name, month_words[i].name) == 0)
            return month_words[i].month;
    return 0;
}

/* 1-4 decimal digits and nothing else (a leading zero is fine: "05"). */
static int small_number(const char *word, size_t max_digits)
{
    size_t n = strlen(word);
    if (n == 0 || n > max_digits)
        return -1;
    int value = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)word[i]))
            return -1;
        value = value * 10 + (word[i] - '0');
    }
    return value;
}

int args_date_words(const char *text, char out[11])
{
    char words[3][ARGS_WORD_SIZE], extra[ARGS_WORD_SIZE];
    const char *cursor = text ? text : "";
    for (int i = 0; i < 3; i++)
        if (!args_next(&cursor, words[i], sizeof words[i]))
            return -EINVAL;
    if (args_next(&cursor, extra, sizeof extra))
        return -EINVAL;
    int day, month, year = small_number(words[2], 4);
    if ((month = month_of_word(words[1])) != 0) { /* 20 November 2026 */
        day = small_number(words[0], 2);
    } else { /* November 20, 2026 */
        size_t n = strlen(words[1]);
        if (n < 2 || words[1][n - 1] != ',')
            return -EINVAL;
        words[1][n - 1] = '\0';
        month = month_of_word(words[0]);
        day = small_number(words[1], 2);
    }
    if (month == 0 || day < 1 || year < 1000)
        return -EINVAL;
    char iso[32];
    snprintf(iso, sizeof iso, "%04d-%02d-%02d", year, month, day);
    int32_t unused;
    if (cal_date_parse(iso, &unused) != 0) /* 31 Februari */
        return -EINVAL;
    memcpy(out, iso, 11);
    return 0;
}

int args_date(const char *text, char out[11])
{
    int a, b, c;
    char tail, iso[32];
    size_t n = text ? strlen(text) : 0;
    if (n == 10 && sscanf(text, "%4d-%2d-%2d%c", &a, &b, &c, &tail) == 3)
        snprintf(iso, sizeof iso, "%04d-%02d-%02d", a, b, c);
    else if (n <= 10 && (sscanf(text, "%2d-%2d-%4d%c", &a, &b, &c, &tail) == 3 ||
                         sscanf(text, "%2d/%2d/%4d%c", &a, &b, &c, &tail) == 3))
        snprintf(iso, sizeof iso, "%04d-%02d-%02d", c, b, a);
    else
        return args_date_words(text, out);
    int32_t unused;
    if (a < 0 || b < 0 || c < 0 || cal_date_parse(iso, &unused) != 0)
        return -EINVAL;
    memcpy(out, iso, 11);
    return 0;
}
