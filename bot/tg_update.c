#include "tg_update.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "json_number.h"
#include "tg_reply.h"

static const char *string_of(const cJSON *object, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, key);
    return cJSON_IsString(item) ? item->valuestring : NULL;
}

static void read_user(const cJSON *user, struct tg_update *out)
{
    out->user_id = tg_json_id(user, "id");
    out->first_name = string_of(user, "first_name");
    out->username = string_of(user, "username");
    out->language_code = string_of(user, "language_code");
}

static void read_chat(const cJSON *chat, struct tg_update *out)
{
    out->chat_id = tg_json_id(chat, "id");
    out->chat_type = string_of(chat, "type");
}

int tg_update_parse(const cJSON *update, struct tg_update *out)
{
    memset(out, 0, sizeof *out);
    /* Without a whole, exact update_id the offset cannot move past it. */
    if (json_member_int64(update, "update_id", 0, JSON_NUMBER_SAFE_MAX, &out->update_id) != 0)
        return -EINVAL;
    out->kind = UPDATE_OTHER;

    const cJSON *message = cJSON_GetObjectItemCaseSensitive(update, "message");
    const cJSON *callback = cJSON_GetObjectItemCaseSensitive(update, "callback_query");
    const cJSON *member = cJSON_GetObjectItemCaseSensitive(update, "my_chat_member");
    if (cJSON_IsObject(message)) {
        out->kind = UPDATE_MESSAGE;
        out->message = message;
        read_user(cJSON_GetObjectItemCaseSensitive(message, "from"), out);
        read_chat(cJSON_GetObjectItemCaseSensitive(message, "chat"), out);
        out->message_id = tg_json_id(message, "message_id");
        out->text = string_of(message, "text");
        if (!out->text)
            out->text = string_of(message, "caption");
    } else if (cJSON_IsObject(callback)) {
        out->kind = UPDATE_CALLBACK;
        read_user(cJSON_GetObjectItemCaseSensitive(callback, "from"), out);
        out->callback_id = string_of(callback, "id");
        out->callback_data = string_of(callback, "data");
        const cJSON *origin = cJSON_GetObjectItemCaseSensitive(callback, "message");
        if (cJSON_IsObject(origin)) {
            out->message = origin;
            read_chat(cJSON_GetObjectItemCaseSensitive(origin, "chat"), out);
            out->message_id = tg_json_id(origin, "message_id");
        }
        if (!out->callback_id)
            out->kind = UPDATE_OTHER;
    } else if (cJSON_IsObject(member)) {
        out->kind = UPDATE_MY_CHAT_MEMBER;
        read_user(cJSON_GetObjectItemCaseSensitive(member, "from"), out);
        read_chat(cJSON_GetObjectItemCaseSensitive(member, "chat"), out);
        const cJSON *status = cJSON_GetObjectItemCaseSensitive(member, "new_chat_member");
        out->member_status = string_of(status, "status");
    }
    if (out->kind != UPDATE_OTHER && out->user_id == 0)
        out->kind = UPDATE_OTHER; /* channel posts and the like: nobody to answer */
    return 0;
}

int tg_command_parse(const char *text, const char *bot_username, char name[33],
                     const char **args)
{
    if (!text || text[0] != '/')
        return -ENOENT;
    const char *p = text + 1;
    size_t n = 0;
    while (p[n] && (isalnum((unsigned char)p[n]) || p[n] == '_'))
        n++;
    if (n == 0 || n > 32)
        return -ENOENT;
    const char *rest = p + n;
    if (*rest == '@') {
        const char *user = rest + 1;
        size_t m = 0;
        while (user[m] && !isspace((unsigned char)user[m]))
            m++;
        if (!bot_username || strlen(bot_username) != m || strncasecmp(user, bot_username, m) != 0)
            return -ENOENT;
        rest = user + m;
    } else if (*rest && !isspace((unsigned char)*rest)) {
        return -ENOENT;
    }
    for (size_t i = 0; i < n; i++)
        name[i] = (char)tolower((unsigned char)p[i]);
    name[n] = '\0';
    while (isspace((unsigned char)*rest))
        rest++;
    *args = rest;
    return 0;
}

bool tg_file_too_big(const cJSON *file, int64_t *size)
{
    int64_t stated = 0; /* a size beyond 2^53 reads as 2^53 - 1: too big all the same */
    int rc = json_member_int64(file, "file_size", 0, JSON_NUMBER_SAFE_MAX, &stated);
    if ((rc != 0 && rc != -ERANGE) || stated <= FILE_LIMIT_BYTES)
        return false;
    *size = stated;
    return true;
}
