#include "file_limit.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "app.h"
#include "case_card.h"
#include "db_cases.h"
#include "i18n.h"
#include "json_number.h"
#include "outbox.h"
#include "people.h"

const cJSON *file_limit_message_file(const cJSON *message)
{
    const cJSON *document = cJSON_GetObjectItemCaseSensitive(message, "document");
    if (cJSON_IsObject(document))
        return document;
    const cJSON *photo = cJSON_GetObjectItemCaseSensitive(message, "photo");
    if (cJSON_IsArray(photo) && cJSON_GetArraySize(photo) > 0)
        return cJSON_GetArrayItem(photo, cJSON_GetArraySize(photo) - 1);
    return NULL;
}

int file_limit_refuse(struct handler_ctx *ctx, int64_t size)
{
    char megabytes[32];
    snprintf(megabytes, sizeof megabytes, "%.1f", (double)size / (1024.0 * 1024.0));
    return reply_text(ctx, NULL, "hardening.file.too_big", "size", megabytes, "limit",
                      FILE_LIMIT_TEXT, NULL);
}

static int tell(struct app *app, int64_t chat_id, const char *key, const struct db_file *f,
                const char *number, int64_t now_ms)
{
    const char *lang = card_lang_of(app, chat_id);
    char *html = i18n_format(app->i18n, lang, key, "file", f->file_name, "number", number,
                             "limit", FILE_LIMIT_TEXT, NULL);
    int rc = html ? outbox_send_text(app->db, chat_id, html, NULL, NULL, now_ms) : -ENOMEM;
    free(html);
    return rc;
}

int file_limit_lost(struct app *app, int64_t file_row, int64_t now_ms)
{
    struct db_file f;
    int rc = db_file_get(app->db, file_row, &f);
    if (rc)
        return rc == -ENOENT ? 0 : rc;
    struct db_case c = { 0 };
    if (f.case_id && db_case_get(app->db, f.case_id, &c) != 0)
        f.case_id = 0;
    const char *number = f.case_id ? c.number : "-";
    rc = db_file_mark_lost(app->db, file_row);
    if (!rc && f.uploaded_by)
        rc = tell(app, f.uploaded_by, "hardening.file.lost_sender", &f, number, now_ms);
    if (rc || !f.case_id || wf_state_closed(c.wf.state))
        return rc;
    int64_t to[PEOPLE_MAX];
    size_t count = 0;
    rc = people_for_role(app, wf_state_holder_role(c.wf.state), c.wf.pelaksana_id,
                         c.wf.agency_id, now_ms, to, PEOPLE_MAX, &count);
    for (size_t i = 0; !rc && i < count; i++)
        if (to[i] != f.uploaded_by)
            rc = tell(app, to[i], "hardening.file.lost_holder", &f, number, now_ms);
    return rc;
}
