/* Bootstrap: before polling, make sure no webhook is set (getUpdates and
 * webhooks exclude each other), learn our own username (commands in groups
 * are addressed "/start@name"), and publish the command menu in Indonesian
 * and English. Network trouble is retried with backoff; a bad token or a
 * conflict ends the bot with a clear line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "handler.h"
#include "i18n.h"
#include "log.h"
#include "menus.h"
#include "runtime.h"
#include "tg_client.h"
#include "tg_reply.h"

enum bootstrap_step {
    STEP_DELETE_WEBHOOK,
    STEP_GET_ME,
    STEP_COMMANDS_ID,
    STEP_COMMANDS_EN,
    STEP_COMMANDS_DEFAULT,
    STEP_DONE,
};

static void run_step(struct app *app);

static void on_timer(uv_timer_t *timer) { run_step(timer->data); }

/* setMyCommands for one language ("" for the default list, in Indonesian):
 * the default scope shows what anybody and an applicant may use; officials
 * and admins get their own menu in their chat (menus.h). */
static char *commands_body(struct app *app, const char *language_code)
{
    const char *lang = language_code[0] ? language_code : I18N_DEFAULT;
    cJSON *body = cJSON_CreateObject();
    cJSON *list = body ? menus_commands(app, ROLE_APPLICANT, lang) : NULL;
    if (!list || !cJSON_AddItemToObject(body, "commands", list)) {
        cJSON_Delete(list);
        cJSON_Delete(body);
        return NULL;
    }
    if (language_code[0])
        cJSON_AddStringToObject(body, "language_code", language_code);
    char *json = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    return json;
}

static void on_reply(const struct tg_reply *reply, void *data)
{
    struct app *app = data;
    static const char *const names[] = { "deleteWebhook", "getMe", "setMyCommands",
                                         "setMyCommands", "setMyCommands" };
    const char *method = names[app->bootstrap_step];
    if (app->stopping) {
        app_request_finished(app);
        return;
    }
    switch (reply->outcome) {
    case TG_OK:
        if (app->bootstrap_step == STEP_GET_ME) {
            const cJSON *username = cJSON_GetObjectItemCaseSensitive(reply->result, "username");
            app->bot_id = tg_json_id(reply->result, "id");
            snprintf(app->bot_username, sizeof app->bot_username, "%s",
                     cJSON_IsString(username) ? username->valuestring : "");
            log_info("app", "connected to Telegram as @%s", app->bot_username);
        }
        app->bootstrap_failures = 0;
        app->bootstrap_step++;
        run_step(app);
        return;
    case TG_UNAUTHORIZED:
    case TG_CONFLICT:
        app_fatal_reply(app, method, reply->outcome, reply->description);
        return;
    case TG_RETRY_AFTER:
        uv_timer_start(&app->bootstrap_timer, on_timer, (uint64_t)reply->retry_after * 1000, 0);
        return;
    case TG_TRANSIENT:
        app->bootstrap_failures++;
        log_warn("app", "%s failed (%s); retry %d", method, reply->description,
                 app->bootstrap_failures);
        uv_timer_start(&app->bootstrap_timer, on_timer,
                       (uint64_t)tg_backoff_ms(app->bootstrap_failures, app_random(app)), 0);
        return;
    default:
        if (app->bootstrap_step >= STEP_COMMANDS_ID) {
            /* The menu is a convenience; typed commands work without it. */
            log_warn("app", "%s refused (%s); going on without it", method, reply->description);
            app->bootstrap_step++;
            run_step(app);
            return;
        }
        log_error("app", "%s refused (%d %s); the bot stops", method, reply->error_code,
                  reply->description);
        app_stop(app, EXIT_RUNTIME);
        return;
    }
}

static void run_step(struct app *app)
{
    if (app->stopping)
        return;
    char *body = NULL;
    const char *method = NULL;
    switch ((enum bootstrap_step)app->bootstrap_step) {
    case STEP_DELETE_WEBHOOK:
        method = "deleteWebhook";
        body = strdup("{\"drop_pending_updates\":false}");
        break;
    case STEP_GET_ME:
        method = "getMe";
        break;
    case STEP_COMMANDS_ID:
        method = "setMyCommands";
        body = commands_body(app, "id");
        break;
    case STEP_COMMANDS_EN:
        method = "setMyCommands";
        body = commands_body(app, "en");
        break;
    case STEP_COMMANDS_DEFAULT:
        method = "setMyCommands";
        body = commands_body(app, "");
        break;
    case STEP_DONE:
        app->running = true;
        log_info("app", "polling for updates");
        poller_start(app);
        sender_start(app);
        scheduler_start(app);
        downloads_start(app);
        inbox_start(app);
        mail_sender_start(app);
        return;
    }
    int rc = tg_call(app->tg, method, body, 30, on_reply, app, NULL);
    free(body);
    if (rc) {
        log_error("app", "cannot start %s (%d)", method, rc);
        uv_timer_start(&app->bootstrap_timer, on_timer, 1000, 0);
    }
}

void bootstrap_start(struct app *app)
{
    app->bootstrap_step = STEP_DELETE_WEBHOOK;
    run_step(app);
}
