#include "mime.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "utf8.h"

/* One header field, unfolded; value malloc'd. */
struct field {
    const char *name;
    size_t name_len;
    char *value;
};

struct fields {
    struct field *v;
    size_t n;
};

/* What a walk over the parts collects before it is handed out. */
struct walk {
    struct buf text;
    struct buf html;
    bool have_text, have_html;
    struct mime_attachment *att;
    size_t att_n, att_cap;
    bool failed;
};

/* --- small text helpers ---------------------------------------------------- */

static char *dup_range(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d)
        return NULL;
    if (n)
        memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static char *dup_trimmed(const char *s)
{
    if (!s)
        return dup_range("", 0);
    while (is_ws(*s))
        s++;
    size_t n = strlen(s);
    while (n && is_ws(s[n - 1]))
        n--;
    return dup_range(s, n);
}

static int hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static void lower(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

/* --- charsets -------------------------------------------------------------- */

static void put_codepoint(struct buf *out, uint32_t cp)
{
    char u[UTF8_SEQ_MAX];
    buf_put(out, u, utf8_encode(cp, u));
}

/* windows-1252's 0x80..0x9F; 0 where it has no character. */
static const uint16_t CP1252_HIGH[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

static void latin1_to_utf8(const unsigned char *s, size_t n, bool cp1252, struct buf *out)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = s[i];
        if (cp == 0)
            continue;
        if (cp1252 && cp >= 0x80 && cp < 0xA0 && CP1252_HIGH[cp - 0x80])
            cp = CP1252_HIGH[cp - 0x80];
        put_codepoint(out, cp);
    }
}

static void utf8_clean(const unsigned char *s, size_t n, struct buf *out)
{
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = utf8_decode((const char *)s + i, n - i, &cp);
        if (!k) {
            put_codepoint(out, 0xFFFD);
            i++;
        } else {
            if (!(k == 1 && s[i] == 0))
                buf_put(out, s + i, k);
            i += k;
        }
    }
}

static bool charset_is(const char *charset, const char *const *names)
{
    for (; *names; names++)
        if (!strcasecmp(charset, *names))
            return true;
    return false;
}

/* Appends bytes in `charset` (NULL: unknown) to out as UTF-8. */
static void to_utf8(const void *data, size_t n, const char *charset, struct buf *out)
{
    static const char *const latin1[] = { "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1",
                                          "latin-1", "l1", "iso-ir-100", "cp819", NULL };
    static const char *const cp1252[] = { "windows-1252", "cp1252", "x-cp1252", NULL };
    static const char *const utf8[] = { "utf-8", "utf8", "us-ascii", "ascii", NULL };
    const unsigned char *s = data;
    if (charset && charset_is(charset, latin1))
        latin1_to_utf8(s, n, false, out);
    else if (charset && charset_is(charset, cp1252))
        latin1_to_utf8(s, n, true, out);
    else if ((charset && charset_is(charset, utf8)) || utf8_valid_n((const char *)s, n))
        utf8_clean(s, n, out);
    else
        latin1_to_utf8(s, n, false, out);
}

/* --- transfer encodings ---------------------------------------------------- */

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* Skips anything outside the alphabet (line breaks, junk); stops at '='. */
static void base64_decode(const char *s, size_t n, struct buf *out)
{
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '=')
            break;
        int v = b64_value((unsigned char)s[i]);
        if (v < 0)
            continue;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            unsigned char byte = (unsigned char)(acc >> bits);
            buf_put(out, &byte, 1);
            acc &= (1u << bits) - 1;
        }
    }
}

/* Quoted-printable (RFC 2045 6.7); `header_q` is RFC 2047's Q ("_" = space). */
static void qp_decode(const char *s, size_t n, bool header_q, struct buf *out)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '_' && header_q) {
            buf_put(out, " ", 1);
        } else if (c == '=' && i + 2 < n && hex_value(s[i + 1]) >= 0 &&
                   hex_value(s[i + 2]) >= 0) {
            unsigned char byte = (unsigned char)(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            buf_put(out, &byte, 1);
            i += 2;
        } else if (c == '=') {
            /* soft line break: "=", optional trailing blanks, then CRLF or LF */
            size_t j = i + 1;
            while (j < n && (s[j] == ' ' || s[j] == '\t'))
                j++;
            if (j < n && s[j] == '\r')
                j++;
            if (j < n && s[j] == '\n')
                i = j;
            else if (j >= n)
                i = n;
            else
                buf_put(out, "=", 1);
        } else {
            buf_put(out, &c, 1);
        }
    }
}

/* --- RFC 2047 encoded words ------------------------------------------------ */

/* Decodes the encoded word at s ("=?cs?E?text?=") into out; returns its
 * length, or 0 if s does not start one. */
static size_t encoded_word(const char *s, struct buf *out)
{
    if (s[0] != '=' || s[1] != '?')
        return 0;
    const char *cs = s + 2;
    const char *q1 = strchr(cs, '?');
    if (!q1 || q1 == cs || !q1[1] || q1[2] != '?')
        return 0;
    char enc = q1[1];
    const char *text = q1 + 3;
    const char *end = strstr(text, "?=");
    if (!end || (enc != 'B' && enc != 'b' && enc != 'Q' && enc != 'q'))
        return 0;
    for (const char *p = cs; p < q1; p++)
        if (is_ws(*p))
            return 0;
    char charset[48];
    size_t cs_len = (size_t)(q1 - cs);
    const char *star = memchr(cs, '*', cs_len); /* RFC 2231 language suffix */
    if (star)
        cs_len = (size_t)(star - cs);
    if (cs_len >= sizeof charset)
        cs_len = sizeof charset - 1;
    memcpy(charset, cs, cs_len);
    charset[cs_len] = '\0';
    struct buf raw = { 0 };
    if (enc == 'B' || enc == 'b')
        base64_decode(text, (size_t)(end - text), &raw);
    else
        qp_decode(text, (size_t)(end - text), true, &raw);
    to_utf8(raw.data ? raw.data : "", raw.len, charset, out);
    if (raw.failed)
        out->failed = true;
    free(raw.data);
    return (size_t)(end + 2 - s);
}

char *mime_decode_header(const char *value)
{
    if (!value)
        return NULL;
    struct buf plain = { 0 }; /* undecoded text waiting to be charset-checked */
    struct buf out = { 0 };
    bool last_was_word = false;
    for (const char *p = value; *p;) {
        struct buf word = { 0 };
        size_t k = encoded_word(p, &word);
        if (k) {
            /* white space between two encoded words is dropped */
            bool only_ws = true;
            for (size_t i = 0; i < plain.len; i++)
                only_ws = only_ws && is_ws(plain.data[i]);
            if (!(last_was_word && only_ws))
                to_utf8(plain.data ? plain.data : "", plain.len, NULL, &out);
            plain.len = 0;
            buf_put(&out, word.data ? word.data : "", word.len);
            out.failed = out.failed || word.failed;
            free(word.data);
            p += k;
            last_was_word = true;
            continue;
        }
        free(word.data);
        buf_put(&plain, p, 1);
        p++;
        if (!is_ws(p[-1]))
            last_was_word = false;
    }
    to_utf8(plain.data ? plain.data : "", plain.len, NULL, &out);
    buf_put(&out, "", 0);
    bool failed = plain.failed || out.failed;
    free(plain.data);
    if (failed) {
        free(out.data);
        return NULL;
    }
    return out.data;
}

/* --- header fields --------------------------------------------------------- */

static void fields_free(struct fields *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->v[i].value);
    free(f->v);
    f->v = NULL;
    f->n = 0;
}

/* Appends line [s, s+n) to the last field's value (a folded continuation). */
static int field_continue(struct fields *f, const char *s, size_t n)
{
    struct field *last = &f->v[f->n - 1];
    size_t old = strlen(last->value);
    char *v = realloc(last->value, old + n + 1);
    if (!v)
        return -ENOMEM;
    memcpy(v + old, s, n);
    v[old + n] = '\0';
    last->value = v;
    return 0;
}

static int field_add(struct fields *f, const char *line, size_t n)
{
    const char *colon = memchr(line, ':', n);
    if (!colon || colon == line)
        return 0; /* not a field: skipped */
    struct field *v = realloc(f->v, (f->n + 1) * sizeof *v);
    if (!v)
        return -ENOMEM;
    f->v = v;
    size_t name_len = (size_t)(colon - line);
    while (name_len && is_ws(line[name_len - 1]))
        name_len--;
    char *value = dup_range(colon + 1, n - (size_t)(colon + 1 - line));
    if (!value)
        return -ENOMEM;
    f->v[f->n++] = (struct field){ line, name_len, value };
    return 0;
}

/* Reads the header block of [s, s+n); *body_at gets the offset of the body
 * (n when there is no empty line). */
static int fields_parse(const char *s, size_t n, struct fields *f, size_t *body_at)
{
    size_t i = 0;
    *body_at = n;
    while (i < n) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - s) : n;
        size_t next = nl ? end + 1 : n;
        size_t len = end - i;
        if (len && s[i + len - 1] == '\r')
            len--;
        if (len == 0) {
            *body_at = next;
            return 0;
        }
        int rc = (s[i] == ' ' || s[i] == '\t') && f->n ? field_continue(f, s + i, len)
                                                       : field_add(f, s + i, len);
        if (rc)
            return rc;
        i = next;
    }
    return 0;
}

static const char *field_get(const struct fields *f, const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; i < f->n; i++)
        if (f->v[i].name_len == len && !strncasecmp(f->v[i].name, name, len))
            return f->v[i].value;
    return NULL;
}

/* --- structured values: "type/subtype; a=b; c*=utf-8''x" ------------------- */

/* Copies the first token of a structured value (up to ';'), trimmed, lower case. */
static char *value_token(const char *v)
{
    if (!v)
        return dup_range("", 0);
    while (is_ws(*v))
        v++;
    size_t n = strcspn(v, ";");
    while (n && is_ws(v[n - 1]))
        n--;
    char *t = dup_range(v, n);
    if (t)
        lower(t);
    return t;
}

/* Reads one parameter value at *p (quoted string or token) into out. */
static void param_value(const char **p, struct buf *out)
{
    const char *s = *p;
    if (*s == '"') {
        s++;
        while (*s && *s != '"') {
            if (*s == '\\' && s[1])
                s++;
            buf_put(out, s, 1);
            s++;
        }
        if (*s == '"')
            s++;
    } else {
        size_t n = strcspn(s, ";");
        while (n && is_ws(s[n - 1]))
            n--;
        buf_put(out, s, n);
        s += n;
    }
    *p = s;
}

/* Decodes RFC 2231 percent-escapes in [s, s+n) into out. */
static void percent_decode(const char *s, size_t n, struct buf *out)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
            unsigned char byte = (unsigned char)(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            buf_put(out, &byte, 1);
            i += 2;
        } else {
            buf_put(out, s + i, 1);
        }
    }
}

/* Does parameter `pname` (length plen) belong to `want`, RFC 2231 style?
 * Sets *extended when its value is charset'lang'%xx-encoded. */
static bool param_matches(const char *pname, size_t plen, const char *want, bool *extended)
{
    size_t wl = strlen(want);
    if (plen < wl || strncasecmp(pname, want, wl))
        return false;
    const char *rest = pname + wl;
    size_t rl = plen - wl;
    *extended = rl && rest[rl - 1] == '*';
    if (*extended)
        rl--;
    if (rl == 0)
        return true;
    if (rest[0] != '*')
        return false;
    for (size_t i = 1; i < rl; i++)
        if (rest[i] < '0' || rest[i] > '9')
            return false;
    return rl > 1;
}

/* The value of parameter `want` of a structured header value, malloc'd
 * UTF-8, or NULL if absent (or out of memory, then *failed). RFC 2231
 * continuations are joined in the order written (senders write them in
 * order); an extended value's charset comes from its first section. */
static char *param_get(const char *v, const char *want, bool *failed)
{
    if (!v)
        return NULL;
    struct buf raw = { 0 };
    char charset[48] = "";
    bool found = false, any_extended = false;
    const char *p = strchr(v, ';');
    while (p && *p) {
        p++;
        while (is_ws(*p) || *p == ';')
            p++;
        const char *name = p;
        while (*p && *p != '=' && *p != ';' && !is_ws(*p))
            p++;
        size_t plen = (size_t)(p - name);
        while (is_ws(*p))
            p++;
        if (*p != '=') {
            p = strchr(p, ';');
            continue;
        }
        p++;
        while (is_ws(*p))
            p++;
        struct buf val = { 0 };
        param_value(&p, &val);
        bool extended = false;
        if (plen && param_matches(name, plen, want, &extended)) {
            const char *text = val.data ? val.data : "";
            if (extended && !any_extended) {
                const char *q1 = strchr(text, '\'');
                const char *q2 = q1 ? strchr(q1 + 1, '\'') : NULL;
                if (q2) {
                    size_t cl = (size_t)(q1 - text);
                    snprintf(charset, sizeof charset, "%.*s", (int)(cl < 47 ? cl : 47), text);
                    text = q2 + 1;
                }
                any_extended = true;
            }
            if (extended)
                percent_decode(text, strlen(text), &raw);
            else
                buf_puts(&raw, text);
            found = true;
        }
        raw.failed = raw.failed || val.failed;
        free(val.data);
        p = strchr(p, ';');
    }
    char *result = NULL;
    if (found && !raw.failed) {
        if (any_extended) {
            struct buf utf = { 0 };
            to_utf8(raw.data ? raw.data : "", raw.len, charset[0] ? charset : NULL, &utf);
            buf_put(&utf, "", 0);
            result = utf.failed ? (free(utf.data), NULL) : utf.data;
        } else {
            buf_put(&raw, "", 0);
            result = raw.failed ? NULL : mime_decode_header(raw.data);
        }
        if (!result)
            *failed = true;
    }
    if (raw.failed)
        *failed = true;
    free(raw.data);
    return result;
}

/* --- message ids ----------------------------------------------------------- */

int mime_each_id(const char *value, int (*each)(const char *id, void *ctx), void *ctx)
{
    if (!value || !each)
        return 0;
    char id[1000];
    const char *p = value;
    if (!strchr(value, '<')) {
        while (is_ws(*p))
            p++;
        size_t n = strcspn(p, " \t\r\n");
        if (!n || n >= sizeof id)
            return 0;
        memcpy(id, p, n);
        id[n] = '\0';
        return each(id, ctx);
    }
    while ((p = strchr(p, '<'))) {
        const char *close = strchr(p + 1, '>');
        if (!close)
            break;
        size_t n = (size_t)(close - p - 1);
        if (n && n < sizeof id) {
            memcpy(id, p + 1, n);
            id[n] = '\0';
            int rc = each(id, ctx);
            if (rc)
                return rc;
        }
        p = close + 1;
    }
    return 0;
}

/* --- html to text ---------------------------------------------------------- */

static const struct {
    const char *name;
    uint32_t cp;
} ENTITIES[] = {
    { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
    { "nbsp", ' ' }, { "copy", 0xA9 }, { "ndash", 0x2013 }, { "mdash", 0x2014 },
};

/* Decodes the entity at s ("&amp;", "&#233;", "&#xE9;"); returns its length or 0. */
static size_t html_entity(const char *s, struct buf *out)
{
    const char *semi = strchr(s, ';');
    if (!semi || semi - s > 10)
        return 0;
    size_t n = (size_t)(semi - s - 1);
    if (s[1] == '#') {
        char *end;
        unsigned long cp = (s[2] == 'x' || s[2] == 'X') ? strtoul(s + 3, &end, 16)
                                                         : strtoul(s + 2, &end, 10);
        if (end != semi || cp == 0 || cp > 0xFFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        put_codepoint(out, (uint32_t)cp);
        return n + 2;
    }
    for (size_t i = 0; i < sizeof ENTITIES / sizeof ENTITIES[0]; i++)
        if (strlen(ENTITIES[i].name) == n && !strncmp(s + 1, ENTITIES[i].name, n)) {
            put_codepoint(out, ENTITIES[i].cp);
            return n + 2;
        }
    return 0;
}

/* Handles the tag at s ('<'); returns its length. */
static size_t html_tag(const char *s, struct buf *out)
{
    const char *close = strchr(s, '>');
    size_t len = close ? (size_t)(close - s + 1) : strlen(s);
    const char *name = s + 1 + (s[1] == '/');
    static const char *const breaks[] = { "br", "p", "div", "li", "tr", "h1", "h2", "h3" };
    for (size_t i = 0; i < sizeof breaks / sizeof breaks[0]; i++) {
        size_t bl = strlen(breaks[i]);
        if (!strncasecmp(name, breaks[i], bl) &&
            (name[bl] == '>' || name[bl] == '/' || is_ws(name[bl]))) {
            buf_put(out, "\n", 1);
            break;
        }
    }
    if (s[1] != '/' && (!strncasecmp(name, "style", 5) || !strncasecmp(name, "script", 6))) {
        const char *tag = !strncasecmp(name, "style", 5) ? "</style" : "</script";
        const char *end = s + len;
        while (*end && strncasecmp(end, tag, strlen(tag)))
            end++;
        const char *gt = *end ? strchr(end, '>') : NULL;
        return gt ? (size_t)(gt - s + 1) : strlen(s);
    }
    return len;
}

static char *html_to_text(const char *html)
{
    struct buf out = { 0 };
    for (const char *p = html; *p;) {
        if (*p == '<') {
            p += html_tag(p, &out);
        } else if (*p == '&') {
            size_t k = html_entity(p, &out);
            if (!k)
                buf_put(&out, p, 1);
            p += k ? k : 1;
        } else if (*p == '\n' || *p == '\r' || *p == '\t') {
            buf_put(&out, " ", 1);
            p++;
        } else {
            buf_put(&out, p, 1);
            p++;
        }
    }
    buf_put(&out, "", 0);
    if (out.failed) {
        free(out.data);
        return NULL;
    }
    return out.data;
}

/* --- parts ----------------------------------------------------------------- */

/* Appends text in `charset` to b, CRLF and lone CR made "\n". */
static void add_text(struct buf *b, const struct buf *raw, const char *charset)
{
    struct buf utf = { 0 };
    to_utf8(raw->data ? raw->data : "", raw->len, charset, &utf);
    for (size_t i = 0; i < utf.len; i++) {
        char c = utf.data[i];
        if (c == '\r') {
            if (i + 1 < utf.len && utf.data[i + 1] == '\n')
                continue;
            c = '\n';
        }
        buf_put(b, &c, 1);
    }
    b->failed = b->failed || utf.failed;
    free(utf.data);
}

static int add_attachment(struct walk *w, char *name, const char *type, struct buf *content)
{
    if (w->att_n == w->att_cap) {
        size_t cap = w->att_cap ? w->att_cap * 2 : 4;
        struct mime_attachment *a = realloc(w->att, cap * sizeof *a);
        if (!a) {
            free(name);
            return -ENOMEM;
        }
        w->att = a;
        w->att_cap = cap;
    }
    if (!name) {
        char generated[32];
        snprintf(generated, sizeof generated, "lampiran-%zu", w->att_n + 1);
        name = dup_range(generated, strlen(generated));
    }
    char *ctype = dup_range(type, strlen(type));
    if (!name || !ctype) {
        free(name);
        free(ctype);
        return -ENOMEM;
    }
    w->att[w->att_n++] = (struct mime_attachment){
        .filename = name,
        .content_type = ctype,
        .data = (unsigned char *)content->data,
        .size = content->len,
    };
    content->data = NULL; /* now the attachment's */
    return 0;
}

static void decode_body(const struct fields *f, const char *s, size_t n, struct buf *out)
{
    char *cte = value_token(field_get(f, "Content-Transfer-Encoding"));
    if (!cte) {
        out->failed = true;
        return;
    }
    if (!strcmp(cte, "base64"))
        base64_decode(s, n, out);
    else if (!strcmp(cte, "quoted-printable"))
        qp_decode(s, n, false, out);
    else
        buf_put(out, s, n);
    buf_put(out, "", 0); /* a buffer that exists even when empty */
    free(cte);
}

static int walk_entity(struct walk *w, const char *s, size_t n, int depth);

/* Where the next line starting with "--boundary" begins, or NULL. */
static const char *find_delimiter(const char *from, const char *start, const char *end,
                                  const char *boundary, size_t blen)
{
    for (const char *p = from; p < end;) {
        if ((p == start || p[-1] == '\n') && (size_t)(end - p) >= blen + 2 && p[0] == '-' &&
            p[1] == '-' && !memcmp(p + 2, boundary, blen))
            return p;
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return NULL;
        p = nl + 1;
    }
    return NULL;
}

static int walk_multipart(struct walk *w, const char *body, size_t n, const char *boundary,
                          int depth)
{
    size_t blen = strlen(boundary);
    const char *end = body + n;
    const char *d = find_delimiter(body, body, end, boundary, blen);
    while (d) {
        const char *after = d + 2 + blen;
        if (end - after >= 2 && after[0] == '-' && after[1] == '-')
            return 0; /* the closing delimiter */
        const char *nl = memchr(after, '\n', (size_t)(end - after));
        if (!nl)
            return 0;
        const char *part = nl + 1;
        const char *next = find_delimiter(part, body, end, boundary, blen);
        const char *part_end = next ? next : end;
        if (next && part_end > part && part_end[-1] == '\n')
            part_end--;
        if (next && part_end > part && part_end[-1] == '\r')
            part_end--;
        int rc = walk_entity(w, part, (size_t)(part_end - part), depth + 1);
        if (rc)
            return rc;
        d = next;
    }
    return 0;
}

/* The file name a part gives itself, or NULL. */
static char *part_filename(const struct fields *f, bool *failed)
{
    char *name = param_get(field_get(f, "Content-Disposition"), "filename", failed);
    if (!name || !*name) {
        free(name);
        name = param_get(field_get(f, "Content-Type"), "name", failed);
    }
    if (name && !*name) {
        free(name);
        name = NULL;
    }
    return name;
}

/* A leaf part: text, html or attachment. */
static int walk_leaf(struct walk *w, const struct fields *f, const char *type, const char *body,
                     size_t n)
{
    bool failed = false;
    char *disposition = value_token(field_get(f, "Content-Disposition"));
    char *name = part_filename(f, &failed);
    char *charset = param_get(field_get(f, "Content-Type"), "charset", &failed);
    struct buf content = { 0 };
    decode_body(f, body, n, &content);
    int rc = failed || !disposition || content.failed ? -ENOMEM : 0;
    bool is_text = !strcmp(type, "text/plain"), is_html = !strcmp(type, "text/html");
    if (rc) {
        free(name);
    } else if (!name && strcmp(disposition, "attachment") && (is_text || is_html)) {
        struct buf *target = is_text ? &w->text : &w->html;
        bool *have = is_text ? &w->have_text : &w->have_html;
        if (!is_html || !*have) { /* the first html part is enough */
            if (*have)
                buf_puts(target, "\n\n");
            add_text(target, &content, charset);
            *have = true;
        }
    } else {
        rc = add_attachment(w, name, type, &content);
    }
    free(content.data);
    free(disposition);
    free(charset);
    return rc;
}

static int walk_entity(struct walk *w, const char *s, size_t n, int depth)
{
    struct fields f = { 0 };
    size_t body_at;
    int rc = fields_parse(s, n, &f, &body_at);
    char *type = rc ? NULL : value_token(field_get(&f, "Content-Type"));
    if (!rc && !type)
        rc = -ENOMEM;
    if (rc)
        goto out;
    if (!*type || !strchr(type, '/')) {
        free(type);
        type = dup_range("text/plain", 10);
        if (!type) {
            rc = -ENOMEM;
            goto out;
        }
    }
    if (!strncmp(type, "multipart/", 10)) {
        bool failed = false;
        char *boundary = param_get(field_get(&f, "Content-Type"), "boundary", &failed);
        if (failed)
            rc = -ENOMEM;
        else if (boundary && *boundary && depth < MIME_MAX_DEPTH)
            rc = walk_multipart(w, s + body_at, n - body_at, boundary, depth);
        free(boundary);
    } else {
        rc = walk_leaf(w, &f, type, s + body_at, n - body_at);
    }
out:
    free(type);
    fields_free(&f);
    return rc;
}

/* --- the message ----------------------------------------------------------- */

/* "Name <a@b>" -> "a@b"; "a@b" -> "a@b"; otherwise "". */
static char *bare_address(const char *from)
{
    const char *lt = strrchr(from, '<');
    const char *gt = lt ? strchr(lt, '>') : NULL;
    if (lt && gt && memchr(lt, '@', (size_t)(gt - lt)))
        return dup_range(lt + 1, (size_t)(gt - lt - 1));
    const char *at = strchr(from, '@');
    if (!at)
        return dup_range("", 0);
    const char *b = at;
    while (b > from && !is_ws(b[-1]) && b[-1] != '"' && b[-1] != ',')
        b--;
    size_t n = strcspn(b, " \t\r\n\",>");
    return dup_range(b, n);
}

/* Runs of white space become one space; ends trimmed (in place). */
static void squeeze(char *s)
{
    char *w = s;
    bool space = true;
    for (char *r = s; *r; r++) {
        if (is_ws(*r)) {
            if (!space)
                *w++ = ' ';
            space = true;
        } else {
            *w++ = *r;
            space = false;
        }
    }
    if (w > s && w[-1] == ' ')
        w--;
    *w = '\0';
}

static int fill_headers(const struct fields *f, struct mime_message *m)
{
    char *from_raw = dup_trimmed(field_get(f, "From"));
    m->from = from_raw ? mime_decode_header(from_raw) : NULL;
    free(from_raw);
    char *subject_raw = dup_trimmed(field_get(f, "Subject"));
    m->subject = subject_raw ? mime_decode_header(subject_raw) : NULL;
    free(subject_raw);
    m->message_id = dup_trimmed(field_get(f, "Message-ID"));
    m->in_reply_to = dup_trimmed(field_get(f, "In-Reply-To"));
    m->references = dup_trimmed(field_get(f, "References"));
    m->date = dup_trimmed(field_get(f, "Date"));
    if (!m->from || !m->subject || !m->message_id || !m->in_reply_to || !m->references ||
        !m->date)
        return -ENOMEM;
    squeeze(m->from);
    squeeze(m->subject);
    squeeze(m->references);
    m->from_address = bare_address(m->from);
    return m->from_address ? 0 : -ENOMEM;
}

static int fill_text(struct walk *w, struct mime_message *m)
{
    if (w->have_text || !w->have_html) {
        buf_put(&w->text, "", 0);
        if (w->text.failed)
            return -ENOMEM;
        m->text = w->text.data;
        w->text.data = NULL;
        return 0;
    }
    buf_put(&w->html, "", 0);
    m->text = w->html.failed ? NULL : html_to_text(w->html.data);
    m->text_from_html = true;
    return m->text ? 0 : -ENOMEM;
}

int mime_parse(const void *raw, size_t len, struct mime_message *out)
{
    if (!raw || !out)
        return -EINVAL;
    memset(out, 0, sizeof *out);
    struct walk w = { 0 };
    struct fields f = { 0 };
    size_t body_at;
    int rc = fields_parse(raw, len, &f, &body_at);
    if (!rc)
        rc = fill_headers(&f, out);
    if (!rc)
        rc = walk_entity(&w, raw, len, 0);
    if (!rc)
        rc = fill_text(&w, out);
    out->attachments = w.att;
    out->attachment_count = w.att_n;
    free(w.text.data);
    free(w.html.data);
    fields_free(&f);
    if (rc)
        mime_message_free(out);
    return rc;
}

void mime_message_free(struct mime_message *m)
{
    if (!m)
        return;
    free(m->from);
    free(m->from_address);
    free(m->subject);
    free(m->message_id);
    free(m->in_reply_to);
    free(m->references);
    free(m->date);
    free(m->text);
    for (size_t i = 0; i < m->attachment_count; i++) {
        free(m->attachments[i].filename);
        free(m->attachments[i].content_type);
        free(m->attachments[i].data);
    }
    free(m->attachments);
    memset(m, 0, sizeof *m);
}
