#include "mail_compose.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "utf8.h"

#define BACKOFF_FIRST_MS 30000
#define BACKOFF_MAX_MS 3600000
#define WIB_OFFSET_S (7 * 3600)

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int mail_subject(const char *case_number, const char *agency, char *out, size_t size)
{
    int n = snprintf(out, size, "[%s] Rekomendasi Penerbitan Sertifikat Elektronik - %s",
                     case_number, agency);
    return n < 0 || (size_t)n >= size ? -ENOSPC : 0;
}

int mail_message_id(const char *case_number, const char *token, const char *from_address,
                    char *out, size_t size)
{
    const char *at = from_address ? strrchr(from_address, '@') : NULL;
    if (!at || !at[1] || !token || !token[0] || strspn(token, "0123456789abcdefghijklmnopqrstuvwxyz")
                                                  != strlen(token))
        return -EINVAL;
    char number[32];
    size_t i = 0;
    for (; case_number[i] && i + 1 < sizeof number; i++) {
        char ch = case_number[i];
        number[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
    }
    number[i] = '\0';
    int n = snprintf(out, size, "<%s.%s@%s>", number, token, at + 1);
    return n < 0 || (size_t)n >= size ? -ENOSPC : 0;
}

void mail_date(int64_t ms, char *out, size_t size)
{
    static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
    static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    time_t t = (time_t)(ms / 1000) + WIB_OFFSET_S;
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, size, "%s, %02d %s %04d %02d:%02d:%02d +0700", days[tm.tm_wday], tm.tm_mday,
             months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int64_t mail_backoff_ms(int attempts, uint32_t random)
{
    int64_t wait = BACKOFF_FIRST_MS;
    for (int i = 1; i < attempts && wait < BACKOFF_MAX_MS; i++)
        wait *= 2;
    if (wait > BACKOFF_MAX_MS)
        wait = BACKOFF_MAX_MS;
    return wait + (int64_t)(random % (uint32_t)(wait / 4 + 1));
}

int mail_reply_class(long smtp_code)
{
    if (smtp_code >= 200 && smtp_code < 300)
        return 2;
    if (smtp_code >= 500 && smtp_code < 600)
        return 5;
    return smtp_code >= 400 && smtp_code < 500 ? 4 : 0;
}

static bool is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 127 || ((unsigned char)*s < ' ' && *s != '\t'))
            return false;
    return true;
}

static bool has_line_break(const char *s) { return s && strpbrk(s, "\r\n") != NULL; }

static void put_base64(struct buf *out, const unsigned char *p, size_t n, size_t line)
{
    size_t col = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        char q[4] = { b64[v >> 18 & 63], b64[v >> 12 & 63], i + 1 < n ? b64[v >> 6 & 63] : '=',
                      i + 2 < n ? b64[v & 63] : '=' };
        buf_put(out, q, 4);
        col += 4;
        if (line && col >= line) {
            buf_puts(out, "\r\n");
            col = 0;
        }
    }
    if (line && col)
        buf_puts(out, "\r\n");
}

/* A header field whose value may need RFC 2047: ASCII values go as they are,
 * others as B-encoded words of at most 36 bytes of UTF-8 each (never split
 * inside a character), one per folded line. */
static void put_header_text(struct buf *out, const char *name, const char *value)
{
    buf_printf(out, "%s: ", name);
    if (is_ascii(value)) {
        buf_printf(out, "%s\r\n", value);
        return;
    }
    size_t n = strlen(value), at = 0;
    while (at < n) {
        size_t take = utf8_prefix(value + at, n - at, 36);
        if (take == 0) /* not UTF-8 after all: cut anywhere rather than loop */
            take = n - at < 36 ? n - at : 36;
        if (at)
            buf_puts(out, "\r\n ");
        buf_puts(out, "=?UTF-8?B?");
        put_base64(out, (const unsigned char *)value + at, take, 0);
        buf_puts(out, "?=");
        at += take;
    }
    buf_puts(out, "\r\n");
}

/* Quoted-printable (RFC 2045 6.7) of UTF-8 text with "\n" line ends. */
static void put_quoted_printable(struct buf *out, const char *text)
{
    size_t col = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '\n') {
            buf_puts(out, "\r\n");
            col = 0;
            continue;
        }
        if (*p == '\r')
            continue;
        char piece[4];
        bool trailing_space = (*p == ' ' || *p == '\t') && (p[1] == '\n' || p[1] == '\0');
        if ((*p >= 33 && *p <= 126 && *p != '=') || ((*p == ' ' || *p == '\t') && !trailing_space))
            snprintf(piece, sizeof piece, "%c", *p);
        else
            snprintf(piece, sizeof piece, "=%02X", *p);
        size_t len = strlen(piece);
        if (col + len > 75) {
            buf_puts(out, "=\r\n");
            col = 0;
        }
        buf_puts(out, piece);
        col += len;
    }
    if (col)
        buf_puts(out, "\r\n");
}

/* Content-Disposition with the file name: quoted when it is plain ASCII
 * without quotes, else RFC 2231 percent-encoded UTF-8. */
static void put_disposition(struct buf *out, const char *name)
{
    if (is_ascii(name) && !strpbrk(name, "\"\\")) {
        buf_printf(out, "Content-Disposition: attachment;\r\n filename=\"%s\"\r\n", name);
        return;
    }
    buf_puts(out, "Content-Disposition: attachment;\r\n filename*=UTF-8''");
    size_t col = 20;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (col > 70) { /* RFC 2231 continuations would be neater; a fold is valid too */
            buf_puts(out, "\r\n ");
            col = 1;
        }
        if ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            strchr("!#$&+-.^_`|~", *p)) {
            buf_put(out, p, 1);
            col++;
        } else {
            buf_printf(out, "%%%02X", *p);
            col += 3;
        }
    }
    buf_puts(out, "\r\n");
}

static int check_envelope(const struct mail_envelope *e, const char *boundary)
{
    const char *fields[] = { e->from_address, e->from_name, e->to, e->cc, e->subject,
                             e->message_id, e->date };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (has_line_break(fields[i]))
            return -EINVAL;
    if (!e->from_address || !e->to || !e->subject || !e->message_id || !e->date || !e->body)
        return -EINVAL;
    if (!boundary || !boundary[0] || strlen(boundary) > 60 ||
        strspn(boundary, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._-") !=
            strlen(boundary))
        return -EINVAL;
    if (e->from_name && strpbrk(e->from_name, "\"\\"))
        return -EINVAL;
    return 0;
}

int mail_compose(const struct mail_envelope *e, const struct mail_attachment *attachments,
                 size_t count, const char *boundary, struct buf *out)
{
    int rc = check_envelope(e, boundary);
    for (size_t i = 0; !rc && i < count; i++)
        if (has_line_break(attachments[i].file_name) || has_line_break(attachments[i].mime_type) ||
            !attachments[i].file_name || !attachments[i].mime_type)
            rc = -EINVAL;
    if (rc)
        return rc;
    if (e->from_name && e->from_name[0] && is_ascii(e->from_name)) {
        buf_printf(out, "From: \"%s\" <%s>\r\n", e->from_name, e->from_address);
    } else if (e->from_name && e->from_name[0]) {
        put_header_text(out, "From", e->from_name);
        out->len -= 2; /* the address follows on the same field */
        buf_printf(out, " <%s>\r\n", e->from_address);
    } else {
        buf_printf(out, "From: <%s>\r\n", e->from_address);
    }
    buf_printf(out, "To: <%s>\r\n", e->to);
    if (e->cc && e->cc[0])
        buf_printf(out, "Cc: <%s>\r\n", e->cc);
    put_header_text(out, "Subject", e->subject);
    buf_printf(out, "Date: %s\r\nMessage-ID: %s\r\nMIME-Version: 1.0\r\n", e->date, e->message_id);
    buf_printf(out, "Content-Type: multipart/mixed;\r\n boundary=\"%s\"\r\n\r\n", boundary);
    buf_puts(out, "This is a multi-part message in MIME format.\r\n");
    buf_printf(out, "--%s\r\nContent-Type: text/plain; charset=UTF-8\r\n"
               "Content-Transfer-Encoding: quoted-printable\r\n\r\n", boundary);
    put_quoted_printable(out, e->body);
    for (size_t i = 0; i < count; i++) {
        const struct mail_attachment *a = &attachments[i];
        buf_printf(out, "--%s\r\nContent-Type: %s\r\nContent-Transfer-Encoding: base64\r\n",
                   boundary, a->mime_type);
        put_disposition(out, a->file_name);
        buf_puts(out, "\r\n");
        put_base64(out, a->data, a->size, 76);
    }
    buf_printf(out, "--%s--\r\n", boundary);
    return out->failed ? -ENOMEM : 0;
}

int mail_fill(const char *template_text, const char *const *names, const char *const *values,
              size_t count, struct buf *out)
{
    for (const char *p = template_text; *p;) {
        bool replaced = false;
        if (*p == '{') {
            for (size_t i = 0; i < count && !replaced; i++) {
                size_t n = strlen(names[i]);
                if (strncmp(p + 1, names[i], n) == 0 && p[1 + n] == '}') {
                    buf_puts(out, values[i]);
                    p += n + 2;
                    replaced = true;
                }
            }
        }
        if (!replaced)
            buf_put(out, p++, 1);
    }
    return out->failed ? -ENOMEM : 0;
}
