/* template: the one filler of "{name}" placeholders, for the chat's catalog
 * sentences (bot/i18n, values escaped for Telegram HTML) and the letters
 * (handlers/letters, plain text for the PDF) alike.
 *
 * Promises: "{name}" with a value given is replaced by the value (NULL counts
 * as ""), passed through `escape` when there is one; a "{" that does not open
 * a placeholder with a value given ("{unknown}", "{" with no "}") is copied as
 * it is, and the text after it is read on as usual. The template itself is
 * never escaped. Output goes to a struct buf (core/buf.h), whose owner frees
 * it. Pure: no I/O. */
#ifndef SERTIBOT_TEMPLATE_H
#define SERTIBOT_TEMPLATE_H

#include <stdarg.h>
#include <stddef.h>

#include "buf.h"

/* The most name/value pairs one filling takes. */
#define TEMPLATE_PAIRS_MAX 32

struct template_values {
    const char *names[TEMPLATE_PAIRS_MAX];
    const char *values[TEMPLATE_PAIRS_MAX];
    size_t count;
};

/* Appends `value` to `out` in the form the output needs. */
typedef void (*template_escape_fn)(struct buf *out, const char *value);

/* Reads name/value string pairs from `ap` until a NULL name. 0, or -E2BIG if
 * there were more than TEMPLATE_PAIRS_MAX (the first ones are kept). The
 * caller only va_end's `ap` afterwards. */
int template_values_from(struct template_values *v, va_list ap);

/* Appends `tpl` filled with `v` to `out`; escape NULL: values as they are. */
void template_fill(struct buf *out, const char *tpl, const struct template_values *v,
                   template_escape_fn escape);

#endif
