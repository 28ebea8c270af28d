/* app: the loop's context, the one place that holds the running bot's state.
 * Modules get what they need from here; nothing else is global (the log's
 * level and secret, set before the loop starts, are the exception). */
#ifndef SERTIBOT_APP_H
#define SERTIBOT_APP_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "clock.h"
#include "inbox.h"
#include "mail_sender.h"
#include "office_calendar.h"
#include "pacing.h"

struct app_hooks;
struct config;
struct db;
struct i18n;
struct tg_client;
struct tg_request;

/* Exit codes, documented in the README for the operators' service manager. */
enum app_exit {
    EXIT_CLEAN = 0,
    EXIT_RUNTIME = 1,     /* the database failed, or an unexpected error */
    EXIT_USAGE = 2,       /* bad command line or config */
    EXIT_BAD_TOKEN = 3,   /* Telegram answered 401 */
    EXIT_CONFLICT = 4,    /* Telegram answered 409: webhook set, or another poller */
    EXIT_LOCKED = 5,      /* another sertibot already runs on this database */
};

struct poller {
    struct tg_request *request; /* the getUpdates in flight, if any */
    uv_timer_t retry_timer;
    int64_t offset;             /* the next getUpdates offset: last update_id + 1 */
    int failures;
};

#define SENDER_MAX_IN_FLIGHT 8

struct sender {
    uv_timer_t timer;           /* armed for exactly the next moment a chat may send */
    struct pacing pacing;
    int64_t in_flight_chats[SENDER_MAX_IN_FLIGHT];
    size_t in_flight;
    bool room_exhausted;        /* the last look left a sendable row for lack of room */
    /* Every chat's oldest row as last read, oldest first, kept current by the
     * sender's own deletions; read again only when stale (a kick: someone
     * else queued rows, or a row went back for a retry). */
    struct outbox_head *heads;
    size_t head_count, heads_capacity;
    bool heads_stale;
    /* Tests only (SERTIBOT_TEST_PACE_SPEEDUP): the pacing's clock runs this
     * many times faster, so an end-to-end test is not paced like a real
     * chat; 1 normally. The order and the buckets' logic stay the same. */
    unsigned pace_speedup;
};

struct downloads {
    uv_timer_t timer;
    bool busy;                  /* one download at a time: they are rare and small */
    int64_t file_row;
    int attempts;
    char path[512];             /* Telegram's file_path of the one in progress */
};

struct app {
    uv_loop_t *loop;
    struct config *cfg;
    struct db *db;
    struct i18n *i18n;
    struct tg_client *tg;
    const struct app_hooks *hooks; /* the handler layer's entry points (app_hooks.h) */
    struct clock clock;         /* business time: deadlines, audit, the calendar */
    struct clock wall;          /* the system's time: when to retry a send */
    struct cal cal;             /* office hours and holidays: the SLA clocks' calendar */
    int64_t bot_id;
    char bot_username[64];
    struct poller poller;
    struct sender sender;
    uv_signal_t sigint, sigterm;
    uv_timer_t bootstrap_timer;
    uv_timer_t scheduler_timer;
    bool test_clock;            /* business time comes from SERTIBOT_CLOCK_FILE */
    struct downloads downloads;
    struct mail_sender mail_sender; /* SMTP: the e-mail queue to BSrE (mail_sender.h) */
    struct inbox inbox;         /* IMAP: BSrE's replies (inbox.h) */
    uv_timer_t stop_timer;
    int bootstrap_step;
    int bootstrap_failures;
    bool running;               /* bootstrap done: polling and sending */
    bool stopping;
    bool stop_finishing;
    bool storage_alarm;         /* the database cannot be written; admins told */
    bool documents_alarm;       /* documents_dir cannot be written; admins told */
    int exit_code;
    uint32_t random_state;      /* for retry jitter; seeded at start */
};

/* xorshift32: jitter needs spread, not secrecy. */
static inline uint32_t app_random(struct app *app)
{
    uint32_t x = app->random_state ? app->random_state : 2463534242u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    app->random_state = x;
    return x;
}

/* Begins an orderly stop: no new polls or sends; what is in flight finishes
 * (or is cut after a grace period); then the loop's handles close and
 * uv_run returns. `exit_code` is kept if it is the first reason given. */
void app_stop(struct app *app, int exit_code);

#endif
