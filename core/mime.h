/* mime: reads one Internet message (RFC 5322 + MIME, as an IMAP server hands
 * it over) into the parts the bot shows and keeps: the header fields that
 * match a reply to its case, the readable text, and the attachments.
 *
 * Promises:
 * - Pure: no I/O, no globals. Never reads outside [raw, raw + len) and never
 *   crashes on malformed input: what it cannot make sense of is skipped or
 *   kept as bytes, never an error (only -EINVAL for NULL arguments and
 *   -ENOMEM).
 * - Header fields are unfolded (RFC 5322 2.2.3). From and Subject have their
 *   RFC 2047 encoded words (B and Q) decoded; white space between two
 *   adjacent encoded words is dropped, as the RFC says.
 * - Every text it returns is valid UTF-8 without NUL bytes: UTF-8 and
 *   US-ASCII are taken as they are (invalid bytes become U+FFFD),
 *   ISO-8859-1 (and windows-1252) are converted; an unknown charset is read
 *   as UTF-8 when valid, else as ISO-8859-1. Line ends in the text are "\n".
 * - Content-Transfer-Encoding base64 and quoted-printable are decoded;
 *   7bit, 8bit, binary and unknown ones are taken as they are.
 * - Every multipart type is walked to MIME_MAX_DEPTH levels; a missing closing
 *   boundary ends the part at the end of the input. The first text/plain
 *   part that is not an attachment is the text; other plain parts are
 *   appended after a blank line. Without any, the first text/html part is
 *   turned into text crudely (tags dropped, <br>/<p>/<div>/<li> become line
 *   breaks, common entities decoded, <style>/<script> skipped).
 * - A part is an attachment when its Content-Disposition is "attachment",
 *   when it has a file name (Content-Disposition filename, RFC 2231
 *   filename*= with continuations, or Content-Type name; RFC 2047 encoded
 *   names too), or when it is neither text nor multipart. An attachment
 *   without a name is called "lampiran-N" (N counted from 1). The bytes are
 *   the decoded content, exactly.
 *
 * Ownership: mime_parse fills a caller-owned struct mime_message with
 * malloc'd fields; mime_message_free frees them (and is safe on a zeroed or
 * half-filled struct). Strings are never NULL after a successful parse
 * ("" when absent). */
#ifndef SERTIBOT_MIME_H
#define SERTIBOT_MIME_H

#include <stdbool.h>
#include <stddef.h>

#define MIME_MAX_DEPTH 8

struct mime_attachment {
    char *filename;     /* UTF-8, as the sender named it (not made safe for a path) */
    char *content_type; /* lower case, "type/subtype" */
    unsigned char *data;
    size_t size;
};

struct mime_message {
    char *from;         /* decoded, e.g. "BSrE <layanan@bsre.go.id>" */
    char *from_address; /* the bare address, e.g. "layanan@bsre.go.id" ("" if none) */
    char *subject;      /* decoded, runs of white space made one space */
    char *message_id;   /* as written, trimmed, e.g. "<abc@host>" */
    char *in_reply_to;  /* as written, trimmed */
    char *references;   /* as written, unfolded and trimmed */
    char *date;         /* as written, trimmed */
    char *text;         /* the readable body, UTF-8, "\n" line ends */
    bool text_from_html;
    struct mime_attachment *attachments;
    size_t attachment_count;
};

int mime_parse(const void *raw, size_t len, struct mime_message *out);
void mime_message_free(struct mime_message *m);

/* Decodes RFC 2047 encoded words in a header value and returns it as
 * malloc'd UTF-8 (same rules as above), or NULL when out of memory. */
char *mime_decode_header(const char *value);

/* The Message-IDs in a Message-ID, In-Reply-To or References value: each
 * "<...>" as one id without its angle brackets; a value without any "<" is
 * taken as one id. Calls `each` for every id in order until it returns
 * non-zero, and returns that value (0 when all were seen). */
int mime_each_id(const char *value, int (*each)(const char *id, void *ctx), void *ctx);

#endif
