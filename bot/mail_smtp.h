/* mail_smtp: one message handed to the SMTP server with libcurl, on the
 * bot's curl multi and libuv loop (tg_transfer_start), never blocking.
 *
 * Promises:
 * - TLS is required (smtps://, or STARTTLS on smtp:// with CURLUSESSL_ALL)
 *   unless email.allow_plain; the server's certificate is always verified,
 *   against email.ca_file when set, else the system's trust store.
 * - The outcome is classified for the queue: sent (the server's 250),
 *   temporary (a 4xx: try again later), permanent (a 5xx: give up, keep the
 *   server's text), or down (no connection, TLS failure, login refused: the
 *   server is unusable right now, try again later and tell the admins).
 * - The password is given to curl and nowhere else; the texts in a result
 *   are the server's replies and curl's error texts, which never contain it.
 * Ownership: mail_smtp_send copies nothing: `message` and the recipients
 * must live until `done` runs (exactly once, also when the bot stops, with
 * MAIL_DOWN and "cancelled"). */
#ifndef SERTIBOT_MAIL_SMTP_H
#define SERTIBOT_MAIL_SMTP_H

#include <curl/curl.h>
#include <stddef.h>

struct config_email;
struct tg_client;

enum mail_outcome {
    MAIL_SENT = 0,
    MAIL_TEMPORARY,   /* 4xx */
    MAIL_PERMANENT,   /* 5xx */
    MAIL_DOWN,        /* connection, TLS or login: the server is unusable now */
};

struct mail_result {
    enum mail_outcome outcome;
    long code;            /* the last SMTP reply code, 0 for none */
    char text[256];       /* the server's last reply line, or curl's error */
};

typedef void (*mail_smtp_done_fn)(const struct mail_result *result, void *data);

/* Sets what every mail transfer shares (SMTP here, IMAP for the receiving
 * side): user and password, TLS required unless allow_plain, CA file,
 * timeouts, the protocols allowed ("smtp,smtps" or "imap,imaps"). */
void mail_easy_setup(CURL *easy, const struct config_email *cfg, const char *protocols);

/* Sends `message` (a whole RFC 5322 message, CRLF line ends) from
 * `mail_from` to the `count` addresses in `rcpt`. 0 when started (then
 * `done` runs later), or -ENOMEM/-ECANCELED/-EIO. */
int mail_smtp_send(struct tg_client *tg, const struct config_email *cfg, const char *mail_from,
                   const char *const *rcpt, size_t count, const unsigned char *message,
                   size_t size, mail_smtp_done_fn done, void *data);

#endif
