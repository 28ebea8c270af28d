#include "dispatch.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "config.h"
#include "db.h"
#include "app_hooks.h"
#include "handler_ctx.h"
#include "i18n.h"
#include "log.h"
#include "outbox.h"
#include "tg_update.h"

/* The handler failed: keep the update for the record and tell the person. */
static int record_failure(struct app *app, const struct tg_update *u, const cJSON *raw,
                          const char *lang, int error, int64_t now_ms)
{
    char *raw_text = cJSON_PrintUnformatted(raw);
    char reason[64];
    snprintf(reason, sizeof reason, "handler error %d (%s)", error, strerror(-error));
    int rc = db_begin(app->db);
    if (!rc)
        rc = db_update_failed(app->db, u->update_id, raw_text ? raw_text : "{}", reason,
                              now_ms / 1000);
    if (!rc && u->chat_id != 0 && (u->kind == UPDATE_MESSAGE || u->kind == UPDATE_CALLBACK)) {
        char *html = i18n_format(app->i18n, lang, "error.internal", NULL);
        rc = html ? outbox_send_text(app->db, u->chat_id, html, NULL, NULL, now_ms) : -ENOMEM;
        free(html);
    }
    if (!rc)
        rc = db_offset_set(app->db, u->update_id + 1);
    if (!rc)
        rc = db_commit(app->db);
    if (rc)
        db_rollback(app->db);
    free(raw_text);
    return rc;
}

int dispatch_update(struct app *app, const cJSON *raw_update, struct dispatch_outcome *out)
{
    memset(out, 0, sizeof *out);
    struct tg_update u;
    if (tg_update_parse(raw_update, &u) != 0)
        return -EINVAL;
    if (u.kind == UPDATE_CALLBACK)
        snprintf(out->callback_id, sizeof out->callback_id, "%s", u.callback_id);

    struct handler_ctx ctx = {
        .app = app,
        .update = &u,
        .now_ms = clock_now_ms(&app->clock),
        .lang = i18n_pick(app->i18n, NULL, u.language_code),
        .args = "",
    };
    int rc = db_begin(app->db);
    if (rc)
        return db_storage_error(app->db) ? db_storage_error(app->db) : -EIO;
    rc = app->hooks->apply_update(&ctx);
    if (!rc)
        rc = db_offset_set(app->db, u.update_id + 1);
    if (!rc)
        rc = db_commit(app->db);
    if (!rc) {
        snprintf(out->answer, sizeof out->answer, "%s", ctx.answer);
        out->alert = ctx.answer_alert;
        return 0;
    }
    db_rollback(app->db);
    if (db_storage_error(app->db)) {
        /* Not the update's fault: it is not recorded as failed (that write
         * would fail too) but left unacknowledged, to be fetched again. */
        log_error("dispatch", "update %" PRId64 " not applied: the database cannot be written",
                  u.update_id);
        return db_storage_error(app->db);
    }
    log_error("dispatch", "update %" PRId64 " failed (%d); recording it", u.update_id, rc);
    rc = record_failure(app, &u, raw_update, ctx.lang, rc, ctx.now_ms);
    if (rc)
        return -EIO;
    snprintf(out->answer, sizeof out->answer, "%s",
             i18n_text(app->i18n, ctx.lang, "error.internal"));
    return 0;
}
