#include "outbox.h"

#include <errno.h>
#include <stdlib.h>

#include "db.h"
#include "tg_html.h"

static int push(struct db *db, int64_t chat_id, const char *method, cJSON *payload,
                const char *card_key, int64_t now_ms)
{
    char *json = cJSON_PrintUnformatted(payload);
    if (!json)
        return -ENOMEM;
    int rc = db_outbox_push(db, chat_id, method, json, card_key, now_ms);
    free(json);
    return rc;
}

static cJSON *text_payload(int64_t chat_id, const char *html, const cJSON *markup)
{
    cJSON *payload = cJSON_CreateObject();
    if (!payload)
        return NULL;
    cJSON_AddNumberToObject(payload, "chat_id", (double)chat_id);
    cJSON_AddStringToObject(payload, "text", html);
    cJSON_AddStringToObject(payload, "parse_mode", "HTML");
    cJSON *preview = cJSON_AddObjectToObject(payload, "link_preview_options");
    if (preview)
        cJSON_AddBoolToObject(preview, "is_disabled", 1);
    if (markup)
        cJSON_AddItemToObject(payload, "reply_markup", cJSON_Duplicate(markup, 1));
    return payload;
}

int outbox_send_text(struct db *db, int64_t chat_id, const char *html, const cJSON *markup,
                     const char *card_key, int64_t now_ms)
{
    char **chunks = NULL;
    size_t count = 0;
    int rc = tg_html_split(html, OUTBOX_TEXT_LIMIT, &chunks, &count);
    if (rc)
        return rc;
    for (size_t i = 0; !rc && i < count; i++) {
        int last = i + 1 == count;
        cJSON *payload = text_payload(chat_id, chunks[i], last ? markup : NULL);
        rc = payload ? push(db, chat_id, "sendMessage", payload, last ? card_key : NULL, now_ms)
                     : -ENOMEM;
        cJSON_Delete(payload);
    }
    tg_html_chunks_free(chunks, count);
    return rc;
}

int outbox_edit_text(struct db *db, int64_t chat_id, int64_t message_id, const char *html,
                     const cJSON *markup, int64_t now_ms)
{
    char *fitted = NULL;
    int rc = tg_html_truncate(html, OUTBOX_TEXT_LIMIT, &fitted);
    if (rc)
        return rc;
    cJSON *payload = text_payload(chat_id, fitted, markup);
    free(fitted);
    if (!payload)
        return -ENOMEM;
    cJSON_AddNumberToObject(payload, "message_id", (double)message_id);
    rc = push(db, chat_id, "editMessageText", payload, NULL, now_ms);
    cJSON_Delete(payload);
    return rc;
}

int outbox_call(struct db *db, int64_t chat_id, const char *method, const cJSON *params,
                int64_t now_ms)
{
    cJSON *payload = params ? cJSON_Duplicate(params, 1) : cJSON_CreateObject();
    if (!payload)
        return -ENOMEM;
    cJSON_AddNumberToObject(payload, "chat_id", (double)chat_id);
    int rc = push(db, chat_id, method, payload, NULL, now_ms);
    cJSON_Delete(payload);
    return rc;
}

int outbox_drop_buttons(struct db *db, int64_t chat_id, int64_t message_id, int64_t now_ms)
{
    cJSON *params = cJSON_CreateObject();
    if (!params)
        return -ENOMEM;
    cJSON_AddNumberToObject(params, "message_id", (double)message_id);
    int rc = outbox_call(db, chat_id, "editMessageReplyMarkup", params, now_ms);
    cJSON_Delete(params);
    return rc;
}

int outbox_send_file(struct db *db, int64_t chat_id, int64_t file_row, const char *caption_html,
                     const cJSON *markup, int64_t now_ms)
{
    return outbox_send_stored(db, chat_id, file_row, "sendDocument", "document", caption_html,
                              markup, now_ms);
}

int outbox_send_stored(struct db *db, int64_t chat_id, int64_t file_row, const char *method,
                       const char *field, const char *caption_html, const cJSON *markup,
                       int64_t now_ms)
{
    cJSON *payload = cJSON_CreateObject();
    if (!payload)
        return -ENOMEM;
    cJSON_AddNumberToObject(payload, "chat_id", (double)chat_id);
    cJSON_AddNumberToObject(payload, OUTBOX_FILE_ROW, (double)file_row);
    cJSON_AddStringToObject(payload, OUTBOX_FILE_FIELD, field);
    int rc = 0;
    if (caption_html && caption_html[0]) {
        char *fitted = NULL;
        rc = tg_html_truncate(caption_html, OUTBOX_CAPTION_LIMIT, &fitted);
        if (!rc) {
            cJSON_AddStringToObject(payload, "caption", fitted);
            cJSON_AddStringToObject(payload, "parse_mode", "HTML");
        }
        free(fitted);
    }
    if (!rc && markup)
        cJSON_AddItemToObject(payload, "reply_markup", cJSON_Duplicate(markup, 1));
    if (!rc)
        rc = push(db, chat_id, method, payload, NULL, now_ms);
    cJSON_Delete(payload);
    return rc;
}
