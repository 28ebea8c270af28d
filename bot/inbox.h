/* inbox: reads BSrE's replies from the agency's mailbox by IMAP (libcurl on
 * the bot's curl multi and loop: tg_transfer_start), every
 * email.poll_seconds.
 *
 * One round: EXAMINE the mailbox (its UIDVALIDITY), UID SEARCH for the UIDs
 * after the last one handled, then fetch each new message whole
 * (";UIDVALIDITY=v/;UID=n", so a mailbox rebuilt in between is never read
 * with old numbers) and hand it to inbox_mail_receive in ONE transaction
 * with the new last UID: a crash before the commit fetches it again, after
 * it never. The first round on a mailbox starts after its newest message (the
 * mail already there is not BSrE's reply to anything the bot sent); a changed
 * UIDVALIDITY reads the mailbox again from the start, and the messages
 * already handled are known by their Message-ID and skipped.
 *
 * Down (connection, TLS, login refused): the bot keeps running and retries
 * with a growing delay (poll_seconds doubled up to INBOX_MAX_DELAY_S); the
 * admins are told once when it goes down and once when it is back, and
 * /status shows it (mail_health.h). The password is handed to curl only.
 *
 * A test setting: SERTIBOT_INBOX_POLL_MS replaces poll_seconds (the end-to-end
 * tests poll every few hundred ms instead of waiting 10 s or more). */
#ifndef SERTIBOT_INBOX_H
#define SERTIBOT_INBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "buf.h"

#define INBOX_MAX_DELAY_S 900
#define INBOX_MAX_MESSAGE (32u << 20)   /* bigger messages are skipped, and said so */
#define INBOX_MAX_PER_ROUND 50
#define INBOX_DOWN_AFTER 2              /* failed rounds before the admins hear of it */
#define INBOX_POISON_AFTER 5            /* tries before a message that cannot be recorded is
                                         * passed over (logged), so it cannot stop the inbox */

struct app;
struct tg_request;

enum inbox_phase { INBOX_IDLE = 0, INBOX_EXAMINE, INBOX_SEARCH, INBOX_FETCH };

struct inbox {
    uv_timer_t timer;
    bool enabled;                 /* email.imap_url is set */
    uint64_t poll_ms;             /* email.poll_seconds, or SERTIBOT_INBOX_POLL_MS (tests) */
    enum inbox_phase phase;
    struct tg_request *request;   /* the transfer in flight */
    void *easy;                   /* its CURL handle */
    struct buf response;          /* what the server sent for this transfer */
    bool too_big;
    int64_t uidvalidity, uidnext; /* from this round's EXAMINE */
    int64_t last_uid;
    int64_t *uids;                /* this round's new UIDs, ascending */
    size_t uid_count, uid_at;
    int failures;                 /* rounds failed in a row */
    int64_t failing_uid;          /* a message that could not be recorded... */
    int failing_count;            /* ...this many times in a row */
    char curl_error[256];
};

/* Sets up the timer; call once before uv_run (runtime_init). */
void inbox_init(struct app *app);
/* After bootstrap: the first round now, if IMAP is configured. */
void inbox_start(struct app *app);
/* No new rounds; a transfer in flight ends with the client. */
void inbox_stop(struct app *app);
/* Closes the timer (with the other handles, at the end). */
void inbox_close(struct app *app);

#endif
