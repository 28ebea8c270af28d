#include "utf8.h"

#include <string.h>

size_t utf8_decode(const char *s, size_t n, uint32_t *cp)
{
    static const uint32_t smallest[UTF8_SEQ_MAX + 1] = { 0, 0, 0x80, 0x800, 0x10000 };
    if (n == 0)
        return 0;
    const unsigned char *u = (const unsigned char *)s;
    size_t len;
    uint32_t c;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    } else if ((u[0] & 0xe0) == 0xc0) {
        len = 2, c = u[0] & 0x1f;
    } else if ((u[0] & 0xf0) == 0xe0) {
        len = 3, c = u[0] & 0x0f;
    } else if ((u[0] & 0xf8) == 0xf0) {
        len = 4, c = u[0] & 0x07;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((u[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (u[i] & 0x3f);
    }
    if (c < smallest[len] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return len;
}

size_t utf8_encode(uint32_t cp, char out[UTF8_SEQ_MAX])
{
    unsigned char *u = (unsigned char *)out;
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        cp = 0xfffd;
    if (cp < 0x80) {
        u[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        u[0] = (unsigned char)(0xc0 | (cp >> 6));
        u[1] = (unsigned char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        u[0] = (unsigned char)(0xe0 | (cp >> 12));
        u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
        u[2] = (unsigned char)(0x80 | (cp & 0x3f));
        return 3;
    }
    u[0] = (unsigned char)(0xf0 | (cp >> 18));
    u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
    u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
    u[3] = (unsigned char)(0x80 | (cp & 0x3f));
    return 4;
}

bool utf8_valid_n(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        if (!k)
            return false;
        i += k;
    }
    return true;
}

bool utf8_valid(const char *s)
{
    return s && utf8_valid_n(s, strlen(s));
}

static bool is_continuation(unsigned char c)
{
    return (c & 0xc0) == 0x80;
}

size_t utf8_count(const char *s)
{
    size_t count = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (!is_continuation(*p))
            count++;
    return count;
}

size_t utf8_prefix(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    size_t cut = max;
    /* The byte at `cut` starts the part dropped: a continuation byte there
     * means the character before it is split, so drop all of it. */
    while (cut > 0 && is_continuation((unsigned char)s[cut]))
        cut--;
    return cut;
}

size_t utf8_trim(char *s, size_t max)
{
    size_t n = utf8_prefix(s, strlen(s), max);
    s[n] = '\0';
    return n;
}

bool utf8_copy(char *out, size_t size, const char *text)
{
    if (size == 0)
        return false;
    if (!text)
        text = "";
    size_t len = strlen(text);
    size_t n = utf8_prefix(text, len, size - 1);
    memcpy(out, text, n);
    out[n] = '\0';
    return n == len;
}
