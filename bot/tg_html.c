#include "tg_html.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* Deeper nesting than this is never written by us and refused. */
#define TAG_DEPTH_MAX 16
#define TAG_NAME_MAX 16

enum token_kind { TOKEN_TEXT, TOKEN_OPEN, TOKEN_CLOSE };

struct token {
    enum token_kind kind;
    size_t length;          /* bytes in the source */
    unsigned units;         /* visible UTF-16 units (text and entities only) */
    bool newline;           /* the text unit is '\n' */
    char name[TAG_NAME_MAX]; /* tag name, for TOKEN_OPEN/CLOSE */
};

struct open_tag {
    size_t offset, length;  /* the whole "<tag ...>" in the source */
    char name[TAG_NAME_MAX];
};

struct tag_stack {
    struct open_tag tags[TAG_DEPTH_MAX];
    size_t depth;
};

static const char *const allowed_tags[] = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span",
    "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji",
};

static bool tag_allowed(const char *name)
{
    for (size_t i = 0; i < sizeof allowed_tags / sizeof allowed_tags[0]; i++)
        if (strcmp(name, allowed_tags[i]) == 0)
            return true;
    return false;
}

/* Length of the UTF-8 character at `s` (NUL-terminated: decoding stops at
 * the NUL) and its UTF-16 units; 0 if invalid. */
static size_t utf8_sequence(const char *s, unsigned *units)
{
    uint32_t cp;
    size_t n = utf8_decode(s, UTF8_SEQ_MAX, &cp);
    *units = cp >= 0x10000 ? 2 : 1;
    return n;
}

/* "&lt;" and friends, "&#123;", "&#x1F600;": bytes consumed, or 0. */
static size_t entity_length(const char *s)
{
    static const char *const named[] = { "&lt;", "&gt;", "&amp;", "&quot;" };
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (strncmp(s, named[i], strlen(named[i])) == 0)
            return strlen(named[i]);
    if (s[1] != '#')
        return 0;
    size_t i = 2;
    bool hex = s[i] == 'x' || s[i] == 'X';
    if (hex)
        i++;
    size_t digits_start = i;
    while ((hex && ((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
                    (s[i] >= 'A' && s[i] <= 'F'))) ||
           (!hex && s[i] >= '0' && s[i] <= '9'))
        i++;
    if (i == digits_start || i - digits_start > 8 || s[i] != ';')
        return 0;
    return i + 1;
}

/* Reads "<name attr=\"...\" ...>" or "</name>". Attributes are only checked
 * for shape, but span must be the spoiler, as it is the only span Telegram knows. */
static size_t tag_length(const char *s, struct token *token)
{
    size_t i = 1;
    token->kind = TOKEN_OPEN;
    if (s[i] == '/') {
        token->kind = TOKEN_CLOSE;
        i++;
    }
    size_t n = 0;
    while ((s[i] >= 'a' && s[i] <= 'z') || s[i] == '-' || (s[i] >= 'A' && s[i] <= 'Z')) {
        if (n + 1 >= TAG_NAME_MAX)
            return 0;
        token->name[n++] = (char)(s[i] | 0x20);
        i++;
    }
    token->name[n] = '\0';
    if (n == 0 || !tag_allowed(token->name))
        return 0;
    size_t attrs = i;
    while (s[i] && s[i] != '>' && s[i] != '<') {
        if (s[i] == '"') {
            const char *close = strchr(s + i + 1, '"');
            if (!close)
                return 0;
            i = (size_t)(close - s);
        }
        i++;
    }
    if (s[i] != '>')
        return 0;
    if (token->kind == TOKEN_CLOSE && i != attrs)
        return 0;
    if (token->kind == TOKEN_OPEN && strcmp(token->name, "span") == 0) {
        const char *spoiler = " class=\"tg-spoiler\"";
        if (i - attrs != strlen(spoiler) || strncmp(s + attrs, spoiler, strlen(spoiler)) != 0)
            return 0;
    }
    return i + 1;
}

/* The token at `s` (not at the end); false if the HTML is invalid there. */
static bool next_token(const char *s, struct token *token)
{
    memset(token, 0, sizeof *token);
    if (*s == '<') {
        token->length = tag_length(s, token);
        return token->length != 0;
    }
    token->kind = TOKEN_TEXT;
    if (*s == '&') {
        token->length = entity_length(s);
        token->units = 1;
        return token->length != 0;
    }
    token->newline = *s == '\n';
    token->length = utf8_sequence(s, &token->units);
    return token->length != 0;
}

/* Applies a tag token to the stack; false on bad nesting. */
static bool stack_apply(struct tag_stack *stack, const struct token *token, size_t offset)
{
    if (token->kind == TOKEN_OPEN) {
        if (stack->depth == TAG_DEPTH_MAX)
            return false;
        struct open_tag *tag = &stack->tags[stack->depth++];
        tag->offset = offset;
        tag->length = token->length;
        memcpy(tag->name, token->name, sizeof tag->name);
    } else if (token->kind == TOKEN_CLOSE) {
        if (stack->depth == 0 || strcmp(stack->tags[stack->depth - 1].name, token->name) != 0)
            return false;
        stack->depth--;
    }
    return true;
}

int tg_html_validate(const char *html)
{
    return tg_html_visible_length(html) < 0 ? -EINVAL : 0;
}

long tg_html_visible_length(const char *html)
{
    if (!html)
        return -EINVAL;
    struct tag_stack stack = { .depth = 0 };
    long units = 0;
    for (size_t at = 0; html[at];) {
        struct token token;
        if (!next_token(html + at, &token) || !stack_apply(&stack, &token, at))
            return -EINVAL;
        units += token.units;
        at += token.length;
    }
    return stack.depth == 0 ? units : -EINVAL;
}

void tg_html_escape_into(struct buf *out, const char *text)
{
    for (size_t i = 0; text[i];) {
        const char *replacement = NULL;
        switch (text[i]) {
        case '&': replacement = "&amp;"; break;
        case '<': replacement = "&lt;"; break;
        case '>': replacement = "&gt;"; break;
        case '"': replacement = "&quot;"; break;
        default: break;
        }
        if (replacement) {
            buf_puts(out, replacement);
            i++;
            continue;
        }
        unsigned units;
        size_t n = utf8_sequence(text + i, &units);
        if (n == 0) {
            /* Telegram refuses invalid UTF-8 outright: show a replacement mark. */
            buf_put(out, "\xef\xbf\xbd", 3);
            i++;
            continue;
        }
        buf_put(out, text + i, n);
        i += n;
    }
}

char *tg_html_escape(const char *text)
{
    struct buf out = { 0 };
    buf_put(&out, "", 0);
    tg_html_escape_into(&out, text);
    if (out.failed) {
        free(out.data);
        return NULL;
    }
    return out.data;
}

/* --- building pieces ------------------------------------------------------ */

static void piece_reopen(struct buf *b, const char *html, const struct tag_stack *stack)
{
    for (size_t i = 0; i < stack->depth; i++)
        buf_put(b, html + stack->tags[i].offset, stack->tags[i].length);
}

static void piece_close(struct buf *b, const struct tag_stack *stack)
{
    for (size_t i = stack->depth; i-- > 0;) {
        buf_put(b, "</", 2);
        buf_put(b, stack->tags[i].name, strlen(stack->tags[i].name));
        buf_put(b, ">", 1);
    }
}

/* Where one piece that starts at `start` (with `stack` open) must end to hold
 * at most `limit` visible units: *end is where its text stops, *resume where
 * the next piece's text starts (after a line break that was cut at), and
 * `stack` is updated to the tags open at the cut. -EINVAL on invalid HTML. */
static int piece_extent(const char *html, size_t start, size_t limit, struct tag_stack *stack,
                        size_t *end, size_t *resume)
{
    size_t units = 0, at = start;
    size_t break_at = 0;
    struct tag_stack at_break = { .depth = 0 };
    while (html[at]) {
        struct token token;
        if (!next_token(html + at, &token))
            return -EINVAL;
        if (units + token.units > limit)
            break;
        if (!stack_apply(stack, &token, at))
            return -EINVAL;
        units += token.units;
        at += token.length;
        if (token.newline && at - 1 > start) {
            break_at = at;
            at_break = *stack;
        }
    }
    if (html[at] && break_at) {
        *end = break_at - 1;   /* the line break itself is dropped at the cut */
        *resume = break_at;
        *stack = at_break;
    } else {
        *end = at;
        *resume = at;
    }
    return 0;
}

int tg_html_split(const char *html, size_t limit, char ***chunks, size_t *count)
{
    *chunks = NULL;
    *count = 0;
    if (limit < 16 || tg_html_validate(html) != 0)
        return -EINVAL;
    char **list = NULL;
    size_t n = 0;
    struct tag_stack stack = { .depth = 0 };
    size_t at = 0;
    int rc = 0;
    do {
        struct buf piece = { 0 };
        piece_reopen(&piece, html, &stack);
        size_t end, resume;
        rc = piece_extent(html, at, limit, &stack, &end, &resume);
        if (rc)
            break;
        buf_put(&piece, html + at, end - at);
        piece_close(&piece, &stack);
        if (!piece.data)
            buf_put(&piece, "", 0);
        char **grown = realloc(list, (n + 1) * sizeof *list);
        if (piece.failed || !grown) {
            free(piece.data);
            if (grown)
                list = grown;
            rc = -ENOMEM;
            break;
        }
        list = grown;
        list[n++] = piece.data;
        at = resume;
    } while (html[at]);
    if (rc) {
        tg_html_chunks_free(list, n);
        return rc;
    }
    *chunks = list;
    *count = n;
    return 0;
}

void tg_html_chunks_free(char **chunks, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(chunks[i]);
    free(chunks);
}

int tg_html_truncate(const char *html, size_t limit, char **out)
{
    *out = NULL;
    long visible = tg_html_visible_length(html);
    if (visible < 0 || limit < 16)
        return -EINVAL;
    if ((size_t)visible <= limit) {
        *out = strdup(html);
        return *out ? 0 : -ENOMEM;
    }
    struct tag_stack stack = { .depth = 0 };
    size_t end, resume;
    /* One unit is kept for the ellipsis; a cut at a line break is fine too. */
    int rc = piece_extent(html, 0, limit - 1, &stack, &end, &resume);
    if (rc)
        return rc;
    struct buf piece = { 0 };
    buf_put(&piece, html, end);
    buf_puts(&piece, UTF8_ELLIPSIS);
    piece_close(&piece, &stack);
    if (piece.failed) {
        free(piece.data);
        return -ENOMEM;
    }
    *out = piece.data;
    return 0;
}

char *tg_html_plain(const char *html)
{
    if (tg_html_validate(html) != 0)
        return html ? strdup(html) : NULL;
    char *out = malloc(strlen(html) + 1);
    if (!out)
        return NULL;
    char *w = out;
    for (size_t at = 0; html[at];) {
        struct token token;
        next_token(html + at, &token);
        if (token.kind == TOKEN_TEXT && html[at] == '&') {
            static const struct { const char *entity; char c; } named[] = {
                { "&lt;", '<' }, { "&gt;", '>' }, { "&amp;", '&' }, { "&quot;", '"' },
            };
            bool done = false;
            for (size_t i = 0; i < 4 && !done; i++) {
                if (strncmp(html + at, named[i].entity, strlen(named[i].entity)) == 0) {
                    *w++ = named[i].c;
                    done = true;
                }
            }
            if (!done) { /* numeric: kept as written, rare in our texts */
                memcpy(w, html + at, token.length);
                w += token.length;
            }
        } else if (token.kind == TOKEN_TEXT) {
            memcpy(w, html + at, token.length);
            w += token.length;
        }
        at += token.length;
    }
    *w = '\0';
    return out;
}
