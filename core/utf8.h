/* utf8: the one UTF-8 decoder, and cutting text at a character boundary.
 *
 * Promises: utf8_decode accepts exactly the well-formed UTF-8 of RFC 3629
 * (no overlong forms, no surrogates, nothing above U+10FFFF, no sequence cut
 * short); every other function here is built on it. Cutting never leaves part
 * of a character behind: a text that was valid stays valid after a cut.
 * Pure: no I/O, no allocation; the caller owns every buffer. */
#ifndef SERTIBOT_UTF8_H
#define SERTIBOT_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The longest sequence, in bytes. */
#define UTF8_SEQ_MAX 4
/* "…" (U+2026), the mark a shortened text ends with. */
#define UTF8_ELLIPSIS "\xe2\x80\xa6"

/* Reads the character at s (n bytes available; a NUL is just a byte here).
 * Returns its length (1-4) and sets *cp, or 0 if s does not start with a
 * well-formed character (n == 0 included). */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Writes the UTF-8 form of cp (at most U+10FFFF, not a surrogate: else
 * U+FFFD is written) to out and returns its length (1-4). */
size_t utf8_encode(uint32_t cp, char out[UTF8_SEQ_MAX]);

/* True if the n bytes at s are well-formed UTF-8 (NULs allowed). */
bool utf8_valid_n(const char *s, size_t n);
/* The same for a NUL-terminated string; NULL is not valid. */
bool utf8_valid(const char *s);

/* Characters (code points) in a NUL-terminated string: the bytes that start
 * a character; an invalid byte counts as one. */
size_t utf8_count(const char *s);

/* The longest prefix of the n bytes at s that is at most max bytes and does
 * not end inside a character (continuation bytes are stepped back over). */
size_t utf8_prefix(const char *s, size_t n, size_t max);

/* Cuts the NUL-terminated string s in place to at most max bytes (plus the
 * NUL) at a character boundary. Returns the new length. */
size_t utf8_trim(char *s, size_t max);

/* Copies text into out (size bytes, NUL included), cut at a character
 * boundary. Returns true if all of it fitted. NULL text copies "". */
bool utf8_copy(char *out, size_t size, const char *text);

#endif
