#include "tg_reply.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "json_number.h"

int64_t tg_json_id(const cJSON *object, const char *key)
{
    int64_t id = 0;
    if (json_member_int64(object, key, -JSON_NUMBER_SAFE_MAX, JSON_NUMBER_SAFE_MAX, &id) != 0)
        return 0;
    return id;
}

static enum tg_outcome classify_error(int code, const char *description, const cJSON *parameters,
                                      struct tg_reply *out)
{
    if (code == 429) {
        const cJSON *retry = cJSON_GetObjectItemCaseSensitive(parameters, "retry_after");
        /* 1 s .. 1 h: a longer wait is clamped to an hour; anything that is
         * not a whole number waits the least. */
        int seconds = 1;
        int rc = json_number_int(retry, 1, 3600, &seconds);
        out->retry_after = rc == 0 || rc == -ERANGE ? seconds : 1;
        return TG_RETRY_AFTER;
    }
    if (code == 401)
        return TG_UNAUTHORIZED;
    if (code == 409)
        return TG_CONFLICT;
    if (code == 403)
        return TG_UNREACHABLE;
    if (code >= 500)
        return TG_TRANSIENT;
    /* An edit that changes nothing is what a second tap produces: success. */
    if (code == 400 && strstr(description, "message is not modified"))
        return TG_OK;
    out->migrate_to_chat_id = tg_json_id(parameters, "migrate_to_chat_id");
    if (out->migrate_to_chat_id != 0)
        return TG_MIGRATED;
    return TG_PERMANENT;
}

int tg_reply_parse(long http_status, const char *body, size_t len, const char *transport_error,
                   struct tg_reply *out)
{
    memset(out, 0, sizeof *out);
    if (transport_error) {
        out->outcome = TG_TRANSIENT;
        snprintf(out->description, sizeof out->description, "%s", transport_error);
        return 0;
    }
    out->root = body && len ? cJSON_ParseWithLength(body, len) : NULL;
    const cJSON *ok = cJSON_GetObjectItemCaseSensitive(out->root, "ok");
    if (!cJSON_IsBool(ok)) {
        /* No envelope: a proxy's error page or a cut-off answer. Only the HTTP
         * status can tell what happened. */
        cJSON_Delete(out->root);
        out->root = NULL;
        out->error_code = (int)http_status;
        snprintf(out->description, sizeof out->description, "malformed answer (HTTP %ld)",
                 http_status);
        if (http_status == 401 || http_status == 409 || http_status == 429 || http_status == 403)
            out->outcome = classify_error((int)http_status, "", NULL, out);
        else if (http_status >= 400 && http_status < 500)
            out->outcome = TG_PERMANENT;
        else
            out->outcome = TG_TRANSIENT;
        return 0;
    }
    if (cJSON_IsTrue(ok)) {
        out->outcome = TG_OK;
        out->result = cJSON_GetObjectItemCaseSensitive(out->root, "result");
        return 0;
    }
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(out->root, "error_code");
    const cJSON *desc = cJSON_GetObjectItemCaseSensitive(out->root, "description");
    /* A code outside what HTTP has cannot be trusted: the status can. */
    if (json_number_int(code, 100, 599, &out->error_code) != 0)
        out->error_code = (int)http_status;
    snprintf(out->description, sizeof out->description, "%s",
             cJSON_IsString(desc) ? desc->valuestring : "");
    out->outcome = classify_error(out->error_code, out->description,
                                  cJSON_GetObjectItemCaseSensitive(out->root, "parameters"), out);
    return 0;
}

void tg_reply_clear(struct tg_reply *reply)
{
    cJSON_Delete(reply->root);
    memset(reply, 0, sizeof *reply);
}

int64_t tg_backoff_ms(int attempt, uint32_t random)
{
    const int64_t cap = 300000;
    int64_t base = 1000;
    for (int i = 1; i < attempt && base < cap; i++)
        base *= 2;
    if (base > cap)
        base = cap;
    /* jitter in [-25%, +25%) */
    int64_t span = base / 2;
    int64_t jitter = span ? (int64_t)(random % (uint32_t)span) - span / 2 : 0;
    return base + jitter;
}
