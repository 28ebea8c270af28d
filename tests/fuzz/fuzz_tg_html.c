/* Telegram HTML (bot/tg_html.c). The first byte picks a limit (16..271), the
 * rest is text. Properties:
 * - escaping: any text escapes to HTML the project's validator accepts; for
 *   valid UTF-8, the escaped text, once unescaped (tg_html_plain), is exactly
 *   what was typed and its visible length is the text's UTF-16 length;
 * - splitting valid HTML: every piece is valid and within the limit, and the
 *   pieces' texts rejoin to the input's text (a line break the cut fell on
 *   is dropped, nothing else);
 * - truncating: valid, within the limit, the input when it fits, else a prefix
 *   of its text followed by "…";
 * - utf8_copy (core/utf8) cuts at a character boundary and keeps a prefix. */
#include <errno.h>
#include <stdbool.h>

#include "fuzz_common.h"
#include "tg_html.h"
#include "utf8.h"

/* An independent UTF-8 reader: UTF-16 units of `s`, or -1 if not UTF-8. */
static long utf16_units(const unsigned char *s)
{
    long units = 0;
    while (*s) {
        uint32_t cp;
        size_t n;
        if (s[0] < 0x80) {
            cp = s[0];
            n = 1;
        } else if (s[0] >= 0xc2 && s[0] <= 0xdf) {
            cp = s[0] & 0x1fu;
            n = 2;
        } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
            cp = s[0] & 0x0fu;
            n = 3;
        } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
            cp = s[0] & 0x07u;
            n = 4;
        } else {
            return -1;
        }
        for (size_t i = 1; i < n; i++) {
            if ((s[i] & 0xc0) != 0x80)
                return -1;
            cp = cp << 6 | (s[i] & 0x3fu);
        }
        if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return -1;
        units += cp >= 0x10000 ? 2 : 1;
        s += n;
    }
    return units;
}

static void check_escape(const char *text)
{
    char *html = tg_html_escape(text);
    FUZZ_CHECK(html != NULL);
    FUZZ_CHECK(tg_html_validate(html) == 0);
    long units = utf16_units((const unsigned char *)text);
    if (units >= 0) {
        char *plain = tg_html_plain(html);
        FUZZ_CHECK(plain != NULL);
        FUZZ_CHECK(strcmp(plain, text) == 0);
        FUZZ_CHECK(tg_html_visible_length(html) == units);
        free(plain);
    }
    free(html);
}

/* Whether `whole` is the pieces' texts joined, each join with or without one
 * dropped '\n'. reach[i]: whole[0..i) is matched by the pieces so far. */
static bool rejoins(const char *whole, char **plains, size_t count)
{
    size_t len = strlen(whole);
    bool *reach = calloc(len + 1, 1), *next = calloc(len + 1, 1);
    FUZZ_CHECK(reach && next);
    reach[0] = true;
    for (size_t k = 0; k < count; k++) {
        size_t n = strlen(plains[k]);
        memset(next, 0, len + 1);
        for (size_t at = 0; at <= len; at++) {
            if (!reach[at])
                continue;
            if (at + n <= len && memcmp(whole + at, plains[k], n) == 0)
                next[at + n] = true;
            if (k > 0 && whole[at] == '\n' && at + 1 + n <= len &&
                memcmp(whole + at + 1, plains[k], n) == 0)
                next[at + 1 + n] = true;
        }
        bool *swap = reach;
        reach = next;
        next = swap;
    }
    bool ok = reach[len];
    free(reach);
    free(next);
    return ok;
}

static void check_split(const char *html, size_t limit)
{
    char **chunks;
    size_t count;
    FUZZ_CHECK(tg_html_split(html, limit, &chunks, &count) == 0);
    FUZZ_CHECK(count >= 1);
    char **plains = calloc(count, sizeof *plains);
    FUZZ_CHECK(plains != NULL);
    for (size_t i = 0; i < count; i++) {
        long visible = tg_html_visible_length(chunks[i]);
        FUZZ_CHECK(visible >= 0 && (size_t)visible <= limit);
        plains[i] = tg_html_plain(chunks[i]);
        FUZZ_CHECK(plains[i] != NULL);
    }
    char *whole = tg_html_plain(html);
    FUZZ_CHECK(whole != NULL);
    FUZZ_CHECK(rejoins(whole, plains, count));
    for (size_t i = 0; i < count; i++)
        free(plains[i]);
    free(plains);
    free(whole);
    tg_html_chunks_free(chunks, count);
}

static void check_truncate(const char *html, size_t limit)
{
    char *cut;
    FUZZ_CHECK(tg_html_truncate(html, limit, &cut) == 0);
    long visible = tg_html_visible_length(cut);
    FUZZ_CHECK(visible >= 0 && (size_t)visible <= limit);
    if ((size_t)tg_html_visible_length(html) <= limit) {
        FUZZ_CHECK(strcmp(cut, html) == 0);
    } else {
        char *plain = tg_html_plain(cut), *whole = tg_html_plain(html);
        FUZZ_CHECK(plain && whole);
        size_t n = strlen(plain);
        FUZZ_CHECK(n >= 3 && strcmp(plain + n - 3, "\xe2\x80\xa6") == 0);
        FUZZ_CHECK(strncmp(whole, plain, n - 3) == 0);
        free(plain);
        free(whole);
    }
    free(cut);
}

static void check_utf8_copy(const char *text, size_t size)
{
    char out[64];
    if (size > sizeof out)
        size = sizeof out;
    utf8_copy(out, size, text);
    size_t n = strlen(out);
    FUZZ_CHECK(n < size);
    FUZZ_CHECK(strncmp(out, text, n) == 0);
    if (n > 0 && n < strlen(text))
        FUZZ_CHECK(((unsigned char)text[n] & 0xc0) != 0x80);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t limit = 16 + data[0];
    char *text = fuzz_cstr(data + 1, size - 1);
    check_escape(text);
    if (tg_html_validate(text) == 0) {
        check_split(text, limit);
        check_truncate(text, limit);
    } else {
        char **chunks;
        size_t count;
        FUZZ_CHECK(tg_html_split(text, limit, &chunks, &count) == -EINVAL);
        FUZZ_CHECK(tg_html_visible_length(text) == -EINVAL);
    }
    check_utf8_copy(text, 1 + data[0] % 64);
    free(text);
    return 0;
}
