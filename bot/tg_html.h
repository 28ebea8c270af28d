/* tg_html: Telegram's HTML parse mode, in one place.
 *
 * Promises:
 * - tg_html_escape makes any user text safe to put inside a message: after it
 *   Telegram shows exactly the characters the person typed.
 * - tg_html_validate accepts what Telegram accepts (the tags b, strong, i, em,
 *   u, ins, s, strike, del, span class="tg-spoiler", tg-spoiler, a, code, pre,
 *   blockquote, tg-emoji, properly nested; the entities &lt; &gt; &amp; &quot;
 *   and numeric ones) and refuses the rest, so a broken template is caught by a
 *   test instead of by Telegram's "can't parse entities".
 * - Lengths are counted as Telegram counts them: visible characters (tags do
 *   not count, an entity counts as one) in UTF-16 code units.
 * - tg_html_split never cuts inside a tag, an entity or a UTF-8 sequence, and
 *   closes and reopens the tags that are open at a cut, so every piece is valid
 *   HTML on its own. It cuts at the last line break that fits, else mid-line.
 * Pure: no I/O. Returned strings are malloc'd and owned by the caller. */
#ifndef SERTIBOT_TG_HTML_H
#define SERTIBOT_TG_HTML_H

#include <stddef.h>

#include "buf.h"

/* A copy of `text` with & < > " replaced by entities and invalid UTF-8 by
 * U+FFFD; NULL on ENOMEM. */
char *tg_html_escape(const char *text);
/* The same, appended to `out` (a template_escape_fn, core/template.h). */
void tg_html_escape_into(struct buf *out, const char *text);

/* 0 if `html` is valid Telegram HTML, else -EINVAL. NULL is invalid. */
int tg_html_validate(const char *html);

/* Visible length in UTF-16 code units; -EINVAL if `html` is not valid. */
long tg_html_visible_length(const char *html);

/* Splits `html` into pieces of at most `limit` visible units each (limit >= 16).
 * *chunks (array of *count strings) is freed with tg_html_chunks_free.
 * 0, -EINVAL (invalid HTML or limit), -ENOMEM. */
int tg_html_split(const char *html, size_t limit, char ***chunks, size_t *count);
void tg_html_chunks_free(char **chunks, size_t count);

/* A copy of `html` that fits `limit` visible units: unchanged when it fits,
 * else cut and ended with "…" and the closing tags. 0, -EINVAL, -ENOMEM. */
int tg_html_truncate(const char *html, size_t limit, char **out);

/* The visible text of `html` (tags dropped, entities decoded), for places
 * that show plain text, like a callback's answer; NULL on ENOMEM. Invalid
 * HTML is returned as it is. */
char *tg_html_plain(const char *html);

#endif
