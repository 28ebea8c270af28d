/* mail_sender: drains the e-mail queue (mail_outbox, db_mail.h) to the SMTP
 * server, one message at a time, on the loop.
 *
 * For each due row: the attachments are read and the message composed on
 * libuv's thread pool (core/mail_compose), the copy kept with the case's
 * documents (.eml, written there too), the composed bytes stored in the row
 * (so a retry sends the very same message and Message-ID), then handed to
 * SMTP (mail_smtp.h). What the server answered is recorded by
 * mail_send_outcome (handlers/mail_send.h) in one transaction: on 250 the row
 * goes and the case moves on; 4xx, no connection or a refused login wait
 * with exponential backoff and jitter; 5xx moves the row to mail_failed. A
 * server that cannot be reached or refuses the login is reported through
 * mail_health ("smtp"): the admins hear it once, and once when it is back.
 *
 * A crash after the server's 250 and before the commit sends that message
 * again on restart: at most one duplicate, with the same Message-ID.
 *
 * Test settings (logged as such when used): SERTIBOT_TEST_MAIL_FAST_RETRY
 * makes the backoff 30 times shorter; SERTIBOT_TEST_MAIL_CRASH_AFTER_250
 * kills the process (SIGKILL) right after the server's 250, before the
 * commit. */
#ifndef SERTIBOT_MAIL_SENDER_H
#define SERTIBOT_MAIL_SENDER_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

struct app;

struct mail_sender {
    uv_timer_t timer;
    bool busy;                  /* a message is being composed or sent */
    bool fast_retry;            /* SERTIBOT_TEST_MAIL_FAST_RETRY */
    bool crash_after_250;       /* SERTIBOT_TEST_MAIL_CRASH_AFTER_250 */
    void *job;                  /* the message in progress */
};

void mail_sender_init(struct app *app);   /* before uv_run */
void mail_sender_start(struct app *app);  /* after bootstrap; nothing without smtp_url */
void mail_sender_kick(struct app *app);   /* a mail was queued: look soon */
void mail_sender_stop(struct app *app);
void mail_sender_close(struct app *app);

#endif
