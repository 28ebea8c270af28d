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

/* A time of day as the language writes it (catalog "time.clock"): "09.22"
 * in Indonesian (EYD V), "09:22" in English. `minute_of_day` 0..1439. */
void text_clock(const struct i18n *i18n, const char *lang, int minute_of_day, char *out,
                size_t size);
/* "26 Nov 2026 14.15" in WIB, short month names from the catalog: the
 * compact form of officials' cards and lists. */
void text_when(const struct i18n *i18n, const char *lang, int64_t ms, char *out, size_t size);
/* "26 Nov 2026". */
void text_day(const struct i18n *i18n, const char *lang, int64_t ms, char *out, size_t size);
/* The time of `ms` in WIB as text_clock writes it ("09.37", "09:37"). */
void text_time(const struct i18n *i18n, const char *lang, int64_t ms, char *out, size_t size);
/* A span of real time, rounded down to what a reader needs: "15 menit",
 * "2 jam 5 menit", "3 hari". */
void text_span(const struct i18n *i18n, const char *lang, int64_t ms, char *out, size_t size);
/* `text` copied into `out`, cut at a character boundary with "…" when it
 * does not fit in `size` bytes. */
void text_cut(const char *text, char *out, size_t size);
/* "26 November 2026 14.15" and "26 November 2026": the month written out as
 * letters do (catalog "letter.month.N"), for texts an applicant reads. */
void text_when_long(const struct i18n *i18n, const char *lang, int64_t ms, char *out,
                    size_t size);
void text_day_long(const struct i18n *i18n, const char *lang, int64_t ms, char *out,
                   size_t size);
/* A stored date "2026-11-20" as "20 November 2026"; anything else as it is. */
void text_date_long(const struct i18n *i18n, const char *lang, const char *iso, char *out,
                    size_t size);
/* The catalog key of the greeting for the time of day in WIB:
 * "greeting.morning" (04.00-10.59, pagi), "greeting.midday" (11.00-14.59,
 * siang), "greeting.afternoon" (15.00-17.59, sore), "greeting.evening"
 * (malam). */
const char *text_greeting_key(int64_t ms);
/* "Selamat pagi, Bapak/Ibu Siti" (catalog "greeting.person"), or the greeting
 * alone without a name. Caller frees; NULL on ENOMEM. */
char *text_greeting(const struct i18n *i18n, const char *lang, int64_t ms, const char *name);

/* A service standard or an office duration: "15 menit", "2 jam", "1 hari kerja". */
void text_minutes(const struct i18n *i18n, const char *lang, int64_t minutes, char *out,
                  size_t size);

#endif
