/* The poller: long-polls getUpdates and hands each update to dispatch.
 *
 * The offset sent is always the last applied update_id + 1, exactly as
 * committed with that update: after a week without updates Telegram starts
 * ids again at a random, possibly lower, value, so the poller never compares
 * ids or keeps a maximum. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "app.h"
#include "config.h"
#include "dispatch.h"
#include "log.h"
#include "runtime.h"
#include "db.h"
#include "storage_alarm.h"
#include "tg_client.h"
#include "tg_reply.h"

#define STORAGE_RETRY_MAX_MS 10000

static void poll_now(struct app *app);

static void on_retry(uv_timer_t *timer) { poll_now(timer->data); }

static void retry_later(struct app *app, int64_t delay_ms)
{
    if (!app->stopping)
        uv_timer_start(&app->poller.retry_timer, on_retry, (uint64_t)delay_ms, 0);
}

/* Applies a batch in order. Stops at the first update that could not be
 * committed: it and the rest come again with the next getUpdates. */
static int apply_batch(struct app *app, const cJSON *updates)
{
    const cJSON *raw;
    int applied = 0;
    cJSON_ArrayForEach(raw, updates) {
        if (app->stopping)
            break;
        struct dispatch_outcome outcome;
        int64_t update_id = tg_json_id(raw, "update_id");
        int rc = dispatch_update(app, raw, &outcome);
        if (rc == -EINVAL) {
            log_warn("poller", "skipping an update without update_id");
            continue;
        }
        if (rc) {
            log_error("poller", "update %" PRId64 " could not be committed; will fetch it again",
                      update_id);
            if (db_storage_error(app->db))
                storage_alarm_raise(app, rc);
            return rc;
        }
        storage_alarm_clear(app);
        app->poller.offset = update_id + 1;
        app_answer_callback(app, outcome.callback_id, outcome.answer, outcome.alert);
        applied++;
    }
    if (applied) {
        sender_kick(app);
        scheduler_kick(app);
        downloads_kick(app);
    }
    return 0;
}

static void on_updates(const struct tg_reply *reply, void *data)
{
    struct app *app = data;
    struct poller *poller = &app->poller;
    poller->request = NULL;
    if (app->stopping) {
        app_request_finished(app);
        return;
    }
    switch (reply->outcome) {
    case TG_OK:
        if (!cJSON_IsArray(reply->result)) {
            log_warn("poller", "getUpdates answered without a list; retrying");
            retry_later(app, tg_backoff_ms(++poller->failures, app_random(app)));
            return;
        }
        if (apply_batch(app, reply->result) != 0) {
            int64_t delay = tg_backoff_ms(++poller->failures, app_random(app));
            /* A full disk may be freed any moment: look again at least this often. */
            if (app->storage_alarm && delay > STORAGE_RETRY_MAX_MS)
                delay = STORAGE_RETRY_MAX_MS;
            retry_later(app, delay);
            return;
        }
        poller->failures = 0;
        poll_now(app);
        return;
    case TG_UNAUTHORIZED:
    case TG_CONFLICT:
        app_fatal_reply(app, "getUpdates", reply->outcome, reply->description);
        return;
    case TG_RETRY_AFTER:
        log_warn("poller", "getUpdates: flood control, waiting %d s", reply->retry_after);
        retry_later(app, (int64_t)reply->retry_after * 1000);
        return;
    default:
        poller->failures++;
        log_warn("poller", "getUpdates failed (%s); retry %d", reply->description,
                 poller->failures);
        retry_later(app, tg_backoff_ms(poller->failures, app_random(app)));
        return;
    }
}

static void poll_now(struct app *app)
{
    struct poller *poller = &app->poller;
    if (app->stopping || poller->request)
        return;
    char body[256];
    if (poller->offset != 0)
        snprintf(body, sizeof body,
                 "{\"offset\":%" PRId64 ",\"timeout\":%d,"
                 "\"allowed_updates\":[\"message\",\"callback_query\",\"my_chat_member\"]}",
                 poller->offset, app->cfg->poll_timeout_s);
    else
        snprintf(body, sizeof body,
                 "{\"timeout\":%d,"
                 "\"allowed_updates\":[\"message\",\"callback_query\",\"my_chat_member\"]}",
                 app->cfg->poll_timeout_s);
    /* The HTTP timeout sits above the poll timeout, so an idle poll ends with
     * Telegram's empty answer rather than our timeout. */
    int rc = tg_call(app->tg, "getUpdates", body, app->cfg->poll_timeout_s + 15, on_updates, app,
                     &poller->request);
    if (rc) {
        log_error("poller", "cannot start getUpdates (%d)", rc);
        retry_later(app, 1000);
    }
}

void poller_start(struct app *app) { poll_now(app); }

void poller_stop(struct app *app)
{
    uv_timer_stop(&app->poller.retry_timer);
    if (app->poller.request) {
        tg_request_cancel(app->tg, app->poller.request);
        app->poller.request = NULL;
    }
}
