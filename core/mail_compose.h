/* mail_compose: the pure parts of the e-mail the bot sends to BSrE.
 *
 * Promises:
 * - Pure: no I/O, no clock, no randomness of its own (the caller passes the
 *   random parts and the date), so a message is reproducible in tests.
 * - mail_compose writes one RFC 5322 message with MIME (RFC 2045-2049):
 *   multipart/mixed with a text/plain UTF-8 body (quoted-printable) and each
 *   attachment in base64 with its real name (RFC 2231 filename* when it is
 *   not plain ASCII) and type. Lines end in CRLF and never exceed 78
 *   characters. Non-ASCII header text is RFC 2047 encoded (B, UTF-8).
 * - Header values are the caller's; a CR or LF in any of them is refused
 *   (-EINVAL), so no input can add a header.
 * Ownership: the output is a struct buf the caller frees (free(out->data)). */
#ifndef SERTIBOT_MAIL_COMPOSE_H
#define SERTIBOT_MAIL_COMPOSE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct mail_attachment {
    const char *file_name;   /* UTF-8, as the file was named */
    const char *mime_type;   /* "application/pdf" */
    const unsigned char *data;
    size_t size;
};

struct mail_envelope {
    const char *from_address;
    const char *from_name;   /* may be NULL */
    const char *to;          /* one address */
    const char *cc;          /* one address, or NULL */
    const char *subject;     /* UTF-8 */
    const char *message_id;  /* "<...@...>" */
    const char *date;        /* RFC 5322 date, e.g. "Fri, 04 Dec 2026 10:00:00 +0700" */
    const char *body;        /* UTF-8 text, "\n" line ends */
};

/* "[SE-0001] Rekomendasi Penerbitan Sertifikat Elektronik - <agency>". */
int mail_subject(const char *case_number, const char *agency, char *out, size_t size);

/* "<se-0001.<token>@<domain of from_address>>" (the case number lower-cased;
 * `token` is the caller's random part, [0-9a-z] only). -EINVAL for an
 * address without a domain or a bad token. */
int mail_message_id(const char *case_number, const char *token, const char *from_address,
                    char *out, size_t size);

/* "Fri, 04 Dec 2026 17:00:00 +0700" for `ms` since the epoch, in WIB. */
void mail_date(int64_t ms, char *out, size_t size);

/* How long to wait before attempt `attempts` + 1 after `attempts` temporary
 * failures: 30 s doubling to at most 1 hour, plus up to a quarter more taken
 * from `random` (jitter, so a recovering server is not hit all at once). */
int64_t mail_backoff_ms(int attempts, uint32_t random);

/* Writes the whole message into `out` (zeroed by the caller) using
 * `boundary` (the caller's random, [0-9A-Za-z._-], up to 60 characters).
 * 0, -EINVAL or -ENOMEM. */
int mail_compose(const struct mail_envelope *env, const struct mail_attachment *attachments,
                 size_t count, const char *boundary, struct buf *out);

/* Fills a plain-text template's {name} placeholders from `names`/`values`
 * (`count` pairs) without any escaping (the mail body is not HTML); an
 * unknown placeholder stays as it is. 0 or -ENOMEM. */
int mail_fill(const char *template_text, const char *const *names, const char *const *values,
              size_t count, struct buf *out);

/* The SMTP reply's class: 2 (done), 4 (try again later), 5 (refused for
 * good), 0 for no reply at all (connection or TLS failure: try again). */
int mail_reply_class(long smtp_code);

#endif
