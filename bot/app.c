/* Lifecycle of the running bot: signals, the orderly stop, fatal answers. */
#include "app.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

#include "log.h"
#include "runtime.h"
#include "tg_client.h"
#include "tg_reply.h"

#define STOP_GRACE_MS 5000

static void close_if_open(uv_handle_t *handle)
{
    if (handle->loop && !uv_is_closing(handle))
        uv_close(handle, NULL);
}

static void client_closed(void *data)
{
    struct app *app = data;
    app->tg = NULL;
    close_if_open((uv_handle_t *)&app->poller.retry_timer);
    close_if_open((uv_handle_t *)&app->sender.timer);
    close_if_open((uv_handle_t *)&app->bootstrap_timer);
    close_if_open((uv_handle_t *)&app->stop_timer);
    close_if_open((uv_handle_t *)&app->scheduler_timer);
    close_if_open((uv_handle_t *)&app->downloads.timer);
    mail_sender_close(app);
    inbox_close(app);
    close_if_open((uv_handle_t *)&app->sigint);
    close_if_open((uv_handle_t *)&app->sigterm);
}

static void finish_stop(struct app *app)
{
    if (app->stop_finishing)
        return;
    app->stop_finishing = true;
    uv_timer_stop(&app->stop_timer);
    if (app->tg)
        tg_client_close(app->tg, client_closed, app);
    else
        client_closed(app);
}

static void on_stop_grace(uv_timer_t *timer)
{
    struct app *app = timer->data;
    log_warn("app", "requests still in flight after %d ms; closing anyway", STOP_GRACE_MS);
    finish_stop(app);
}

void app_stop(struct app *app, int exit_code)
{
    if (app->stopping)
        return;
    app->stopping = true;
    app->exit_code = exit_code;
    log_info("app", "stopping (exit code %d)", exit_code);
    poller_stop(app);
    sender_stop(app);
    scheduler_stop(app);
    downloads_stop(app);
    mail_sender_stop(app);
    inbox_stop(app);
    uv_timer_stop(&app->bootstrap_timer);
    if (!app->tg || tg_client_in_flight(app->tg) == 0) {
        finish_stop(app);
        return;
    }
    uv_timer_start(&app->stop_timer, on_stop_grace, STOP_GRACE_MS, 0);
}

void app_request_finished(struct app *app)
{
    if (app->stopping && app->tg && tg_client_in_flight(app->tg) == 0)
        finish_stop(app);
}

/* How long after a tap's update arrived its answer is still worth sending:
 * 12 s. The phone shows the spinner for about 15 s after the tap, and the tap
 * was made before its update reached us; later, the person sees nothing and
 * Telegram refuses the answer ("query is too old"), so retrying past this only
 * adds calls while Telegram may already be asking us to slow down. */
#define ANSWER_USEFUL_MS 12000
#define ANSWER_TIMEOUT_S 10L

/* One answerCallbackQuery until Telegram took it or it is no longer useful. */
struct answer_job {
    struct app *app;
    char *json;
    uint64_t deadline; /* loop time */
    int attempts;
};

static void on_answered(const struct tg_reply *reply, void *data);

static int answer_start(struct answer_job *job, uint64_t not_before)
{
    uint64_t now = uv_now(job->app->loop);
    uint64_t left_s = job->deadline > now ? (job->deadline - now) / 1000 + 1 : 1;
    long timeout_s = left_s < (uint64_t)ANSWER_TIMEOUT_S ? (long)left_s : ANSWER_TIMEOUT_S;
    return tg_call_at(job->app->tg, "answerCallbackQuery", job->json, timeout_s, not_before,
                      on_answered, job, NULL);
}

/* When to try again, or 0 when it is not worth it. 5xx, a cut connection
 * and garbage are retried soon (0.5, 1, 2, 4 s); a 429 after its retry_after
 * (the client's flood gate holds the call until then in any case). */
static uint64_t answer_retry_at(const struct answer_job *job, const struct tg_reply *reply)
{
    if (job->app->stopping ||
        (reply->outcome != TG_TRANSIENT && reply->outcome != TG_RETRY_AFTER))
        return 0;
    uint64_t now = uv_now(job->app->loop);
    int shift = job->attempts < 4 ? job->attempts : 3;
    uint64_t delay = reply->outcome == TG_RETRY_AFTER ? (uint64_t)reply->retry_after * 1000
                                                      : (uint64_t)500 << shift;
    return now + delay < job->deadline ? now + delay : 0;
}

static void on_answered(const struct tg_reply *reply, void *data)
{
    struct answer_job *job = data;
    struct app *app = job->app;
    uint64_t retry_at = answer_retry_at(job, reply);
    job->attempts++;
    if (retry_at && answer_start(job, retry_at) == 0) {
        log_debug("tg", "answerCallbackQuery: %s; retry %d", reply->description, job->attempts);
    } else {
        /* A late answer ("query is too old") is harmless: the phone gave up. */
        if (reply->outcome != TG_OK)
            log_debug("tg", "answerCallbackQuery: %s; given up", reply->description);
        free(job->json);
        free(job);
    }
    app_request_finished(app);
}

void app_answer_callback(struct app *app, const char *callback_id, const char *text, int alert)
{
    if (!callback_id[0] || app->stopping)
        return;
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "callback_query_id", callback_id);
    if (text && text[0]) {
        cJSON_AddStringToObject(body, "text", text);
        if (alert)
            cJSON_AddBoolToObject(body, "show_alert", 1);
    }
    struct answer_job *job = calloc(1, sizeof *job);
    char *json = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    if (job && json) {
        /* The loop's time is that of the getUpdates answer that brought the tap. */
        *job = (struct answer_job){ app, json, uv_now(app->loop) + ANSWER_USEFUL_MS, 0 };
        if (answer_start(job, 0) == 0)
            return;
    }
    log_warn("tg", "answerCallbackQuery could not be started");
    free(json);
    free(job);
}

void app_fatal_reply(struct app *app, const char *method, int outcome, const char *description)
{
    if (outcome == TG_UNAUTHORIZED) {
        log_error("app", "Telegram refused the bot token (401 Unauthorized) on %s: check "
                  "telegram.token in the config or SERTIBOT_TOKEN; the bot stops", method);
        app_stop(app, EXIT_BAD_TOKEN);
    } else {
        log_error("app", "Telegram refused %s (409 Conflict: %s): a webhook is set or another "
                  "bot instance polls with this token; the bot stops", method, description);
        app_stop(app, EXIT_CONFLICT);
    }
}

static void on_signal(uv_signal_t *handle, int signum)
{
    struct app *app = handle->data;
    log_info("app", "signal %d received", signum);
    app_stop(app, app->exit_code);
}

void runtime_init(struct app *app)
{
    uv_timer_init(app->loop, &app->poller.retry_timer);
    app->poller.retry_timer.data = app;
    uv_timer_init(app->loop, &app->sender.timer);
    app->sender.timer.data = app;
    uv_timer_init(app->loop, &app->bootstrap_timer);
    app->bootstrap_timer.data = app;
    uv_timer_init(app->loop, &app->stop_timer);
    app->stop_timer.data = app;
    uv_timer_init(app->loop, &app->scheduler_timer);
    app->scheduler_timer.data = app;
    uv_timer_init(app->loop, &app->downloads.timer);
    app->downloads.timer.data = app;
    mail_sender_init(app);
    inbox_init(app);
    uv_signal_init(app->loop, &app->sigint);
    app->sigint.data = app;
    uv_signal_start(&app->sigint, on_signal, SIGINT);
    uv_signal_init(app->loop, &app->sigterm);
    app->sigterm.data = app;
    uv_signal_start(&app->sigterm, on_signal, SIGTERM);
}
