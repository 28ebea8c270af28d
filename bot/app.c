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

static void on_answered(const struct tg_reply *reply, void *data)
{
    struct app *app = data;
    /* A late answer ("query is too old") is harmless: the phone gave up. */
    if (reply->outcome != TG_OK)
        log_debug("tg", "answerCallbackQuery: %s", reply->description);
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
    char *json = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    if (!json || tg_call(app->tg, "answerCallbackQuery", json, 10, on_answered, app, NULL) != 0)
        log_warn("tg", "answerCallbackQuery could not be started");
    free(json);
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
