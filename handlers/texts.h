/* texts: building a message from catalog sentences, and the ways dates,
 * times and durations are written for people (WIB, in their language).
 *
 * A struct text collects HTML pieces; each append takes a piece already made
 * safe (from i18n_format, which escapes values). Any allocation failure is
 * remembered and reported once by text_take. */
#ifndef SERTIBOT_TEXTS_H
#define SERTIBOT_TEXTS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct i18n;

struct text {
    struct buf html; /* html.failed: an allocation failed */
    const struct i18n *i18n;
    const char *lang;
};

void text_init(struct text *t, const struct i18n *i18n, const char *lang);
/* Appends the catalog sentence `key` filled with name/value pairs (NULL-ended). */
void text_add(struct text *t, const char *key, ...) __attribute__((sentinel));
/* Appends HTML that is already safe (a literal of ours, or escaped). */
void text_raw(struct text *t, const char *html);
/* Appends the result of i18n_format or tg_html_escape and frees it. */
void text_own(struct text *t, char *html);
/* The text (caller frees) or NULL on ENOMEM; the builder is reset. */
char *text_take(struct text *t);
void text_clear(struct text *t);

/* "26 Nov 2026 14:15" in WIB, month names from the catalog. */
void text_when(const struct i18n *i18n, const char *lang, int64_t ms, char *out, size_t size);
/* "26 Nov 2026". */
void text_day(const struct i18n *i18n, const char *lang, int64_t ms, char *out, size_t size);
/* "09.37" (Indonesian) or "09:37" (English), WIB; the form is the catalog's
 * "time.hm". */
void text_time(const struct i18n *i18n, const char *lang, int64_t ms, char *out, size_t size);
/* A span of real time, rounded down to what a reader needs: "15 menit",
 * "2 jam 5 menit", "3 hari". */
void text_span(const struct i18n *i18n, const char *lang, int64_t ms, char *out, size_t size);
/* `text` copied into `out`, cut at a character boundary with "…" when it
 * does not fit in `size` bytes. */
void text_cut(const char *text, char *out, size_t size);
/* A service standard or an office duration: "15 menit", "2 jam", "1 hari kerja". */
void text_minutes(const struct i18n *i18n, const char *lang, int64_t minutes, char *out,
                  size_t size);

#endif
