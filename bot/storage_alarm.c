/* Telling the admins, once, that the database cannot be written. */
#include "storage_alarm.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "config.h"
#include "db.h"
#include "i18n.h"
#include "log.h"
#include "outbox.h"
#include "runtime.h"
#include "tg_client.h"

#define ALARM_TIMEOUT_S 30L

static const char *admin_lang(struct app *app, int64_t admin)
{
    struct db_user user;
    if (db_user_get(app->db, admin, &user) != 0)
        return i18n_pick(app->i18n, NULL, NULL);
    return i18n_pick(app->i18n, user.language, user.tg_language);
}

static const char *reason_key(int error)
{
    return error == -ENOSPC ? "ops.storage.reason_full"
           : error == -EROFS ? "ops.storage.reason_readonly"
                             : "ops.storage.reason_io";
}

static void on_sent(const struct tg_reply *reply, void *data)
{
    struct app *app = data;
    if (reply->outcome != TG_OK)
        log_warn("storage", "the admins' storage alarm was not delivered: %s", reply->description);
    app_request_finished(app);
}

/* sendMessage straight away, not through the outbox: best effort. */
static void send_direct(struct app *app, int64_t chat_id, const char *html)
{
    cJSON *body = cJSON_CreateObject();
    cJSON_AddNumberToObject(body, "chat_id", (double)chat_id);
    cJSON_AddStringToObject(body, "text", html);
    cJSON_AddStringToObject(body, "parse_mode", "HTML");
    char *json = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    if (!json || tg_call(app->tg, "sendMessage", json, ALARM_TIMEOUT_S, on_sent, app, NULL) != 0)
        log_warn("storage", "cannot send the storage alarm to %" PRId64, chat_id);
    free(json);
}

void storage_alarm_raise(struct app *app, int error)
{
    if (app->storage_alarm) {
        log_debug("storage", "the database still cannot be written (%s)", strerror(-error));
        return;
    }
    app->storage_alarm = true;
    log_error("storage", "the database cannot be written (%s): updates wait until it can; "
              "telling the admins", strerror(-error));
    for (size_t i = 0; i < app->cfg->admins_count; i++) {
        const char *lang = admin_lang(app, app->cfg->admins[i]);
        char *html = i18n_format(app->i18n, lang, "ops.storage.failing", "reason",
                                 i18n_text(app->i18n, lang, reason_key(error)), NULL);
        if (html)
            send_direct(app, app->cfg->admins[i], html);
        free(html);
    }
}

int storage_alarm_clear(struct app *app)
{
    if (!app->storage_alarm)
        return 0;
    int64_t now_ms = clock_now_ms(&app->clock);
    int rc = db_begin(app->db);
    for (size_t i = 0; !rc && i < app->cfg->admins_count; i++) {
        char *html = i18n_format(app->i18n, admin_lang(app, app->cfg->admins[i]),
                                 "ops.storage.recovered", NULL);
        rc = html ? outbox_send_text(app->db, app->cfg->admins[i], html, NULL, NULL, now_ms)
                  : -ENOMEM;
        free(html);
    }
    if (!rc)
        rc = db_commit(app->db);
    if (rc) {
        db_rollback(app->db);
        return rc;
    }
    app->storage_alarm = false;
    log_info("storage", "the database can be written again");
    return 0;
}

/* Queues `key` for every admin, in their language. */
static int tell_admins(struct app *app, const char *key, const char *reason, int64_t now_ms)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < app->cfg->admins_count; i++) {
        const char *lang = admin_lang(app, app->cfg->admins[i]);
        char *html = i18n_format(app->i18n, lang, key, "dir", app->cfg->documents_dir, "reason",
                                 reason ? i18n_text(app->i18n, lang, reason) : "", NULL);
        rc = html ? outbox_send_text(app->db, app->cfg->admins[i], html, NULL, NULL, now_ms)
                  : -ENOMEM;
        free(html);
    }
    return rc;
}

bool storage_alarm_documents(struct app *app, int error, int64_t now_ms)
{
    const char *reason;
    switch (error) {
    case -ENOSPC:
    case -EDQUOT:
        reason = "ops.storage.reason_full";
        break;
    case -EROFS:
        reason = "ops.storage.reason_readonly";
        break;
    case -EACCES:
    case -EPERM:
    case -ENOTDIR:
    case -ENOENT:
        reason = "ops.storage.reason_denied";
        break;
    case -EIO:
        reason = "ops.storage.reason_io";
        break;
    default:
        return false;
    }
    if (app->documents_alarm)
        return true;
    log_error("storage", "documents_dir %s cannot be written (%s): downloads wait until it can; "
              "telling the admins", app->cfg->documents_dir, strerror(-error));
    if (tell_admins(app, "ops.storage.documents_failing", reason, now_ms) == 0)
        app->documents_alarm = true;
    return true;
}

int storage_alarm_documents_ok(struct app *app, int64_t now_ms)
{
    if (!app->documents_alarm)
        return 0;
    int rc = tell_admins(app, "ops.storage.documents_recovered", NULL, now_ms);
    if (!rc) {
        app->documents_alarm = false;
        log_info("storage", "documents_dir %s can be written again", app->cfg->documents_dir);
    }
    return rc;
}
