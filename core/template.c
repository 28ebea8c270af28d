#include "template.h"

#include <errno.h>
#include <string.h>

int template_values_from(struct template_values *v, va_list ap)
{
    v->count = 0;
    for (const char *name; (name = va_arg(ap, const char *)) != NULL;) {
        const char *value = va_arg(ap, const char *);
        if (v->count == TEMPLATE_PAIRS_MAX)
            return -E2BIG;
        v->names[v->count] = name;
        v->values[v->count] = value;
        v->count++;
    }
    return 0;
}

/* The value named by the `n` bytes at `name`, or NULL if none was given. */
static const char *lookup(const struct template_values *v, const char *name, size_t n,
                          bool *found)
{
    for (size_t i = 0; v && i < v->count; i++) {
        if (strlen(v->names[i]) == n && strncmp(v->names[i], name, n) == 0) {
            *found = true;
            return v->values[i] ? v->values[i] : "";
        }
    }
    *found = false;
    return NULL;
}

void template_fill(struct buf *out, const char *tpl, const struct template_values *v,
                   template_escape_fn escape)
{
    buf_put(out, "", 0); /* an empty template still gives a string */
    const char *p = tpl;
    while (*p) {
        const char *open = strchr(p, '{');
        if (!open) {
            buf_puts(out, p);
            break;
        }
        buf_put(out, p, (size_t)(open - p));
        const char *close = strchr(open, '}');
        bool found = false;
        const char *value =
            close ? lookup(v, open + 1, (size_t)(close - open - 1), &found) : NULL;
        if (!found) {
            buf_put(out, open, 1);
            p = open + 1;
            continue;
        }
        if (escape)
            escape(out, value);
        else
            buf_puts(out, value);
        p = close + 1;
    }
}
