/* Mail services up or down, told to the admins once per change (mail_health.h). */
#include "mail_health.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "case_card.h"
#include "config.h"
#include "db.h"
#include "i18n.h"
#include "outbox.h"
#include "texts.h"

static const char *const SERVICES[] = { "imap", "smtp" };

static int tell_admins(struct app *app, const char *key, const char *service, const char *why,
                       int64_t now_ms)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < app->cfg->admins_count; i++) {
        const char *lang = card_lang_of(app, app->cfg->admins[i]);
        char service_key[48];
        snprintf(service_key, sizeof service_key, "inbox.service.%s", service);
        char *html = i18n_format(app->i18n, lang, key, "service",
                                 i18n_text(app->i18n, lang, service_key), "why",
                                 why ? why : "-", NULL);
        rc = html ? outbox_send_text(app->db, app->cfg->admins[i], html, NULL, NULL, now_ms)
                  : -ENOMEM;
        free(html);
    }
    return rc;
}

static int record(struct app *app, const char *service, bool down, const char *why,
                  int64_t now_ms, bool *changed)
{
    char key_since[48], key_error[48], since[32] = "";
    snprintf(key_since, sizeof key_since, "mail.%s.down_since", service);
    snprintf(key_error, sizeof key_error, "mail.%s.error", service);
    int rc = db_state_get(app->db, key_since, since, sizeof since);
    if (rc && rc != -ENOENT)
        return rc;
    bool was_down = rc == 0 && since[0];
    *changed = was_down != down;
    if (!*changed)
        return down ? db_state_set(app->db, key_error, why ? why : "") : 0;
    char now_text[32] = "";
    if (down)
        snprintf(now_text, sizeof now_text, "%" PRId64, now_ms);
    rc = db_state_set(app->db, key_since, now_text);
    if (!rc)
        rc = db_state_set(app->db, key_error, down && why ? why : "");
    if (!rc)
        rc = tell_admins(app, down ? "inbox.mail_down" : "inbox.mail_up", service, why, now_ms);
    return rc;
}

int mail_health_report(struct app *app, const char *service, bool down, const char *why,
                       int64_t now_ms)
{
    bool changed = false;
    int rc = db_begin(app->db);
    if (!rc)
        rc = record(app, service, down, why, now_ms, &changed);
    if (!rc)
        rc = db_commit(app->db);
    if (rc)
        db_rollback(app->db);
    return rc;
}

char *mail_health_status_html(struct app *app, const char *lang)
{
    struct text t;
    text_init(&t, app->i18n, lang);
    text_raw(&t, "");
    for (size_t i = 0; i < sizeof SERVICES / sizeof SERVICES[0]; i++) {
        char key_since[48], key_error[48], since[32] = "", why[256] = "";
        snprintf(key_since, sizeof key_since, "mail.%s.down_since", SERVICES[i]);
        snprintf(key_error, sizeof key_error, "mail.%s.error", SERVICES[i]);
        if (db_state_get(app->db, key_since, since, sizeof since) != 0 || !since[0])
            continue;
        db_state_get(app->db, key_error, why, sizeof why);
        char when[64], service_key[48];
        text_when(app->i18n, lang, strtoll(since, NULL, 10), when, sizeof when);
        snprintf(service_key, sizeof service_key, "inbox.service.%s", SERVICES[i]);
        text_add(&t, "inbox.status_down", "service", i18n_text(app->i18n, lang, service_key),
                 "since", when, "why", why[0] ? why : "-", NULL);
    }
    return text_take(&t);
}
