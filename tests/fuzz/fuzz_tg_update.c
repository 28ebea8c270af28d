/* The Telegram update parser (bot/tg_update.c): getUpdates' result is
 * untrusted JSON. Properties: no crash; a parsed update's kind is consistent
 * with what it holds (someone to answer, a callback id for a callback); ids
 * are exact integers of at most 53 bits; a command found in the text is a
 * lower-case name of 1..32 characters and its arguments lie in the text,
 * trimmed at the front. */
#include <ctype.h>
#include <strings.h>
#include <cjson/cJSON.h>

#include "fuzz_common.h"
#include "tg_reply.h"
#include "tg_update.h"

#define SAFE_ID INT64_C(9007199254740991)

static void check_command(const char *text)
{
    char name[33];
    const char *args = NULL;
    if (tg_command_parse(text, "SertiBot_bot", name, &args) != 0)
        return;
    size_t n = strlen(name);
    FUZZ_CHECK(n >= 1 && n <= 32);
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK(islower((unsigned char)name[i]) || isdigit((unsigned char)name[i]) ||
                   name[i] == '_');
    FUZZ_CHECK(args >= text && args <= text + strlen(text));
    FUZZ_CHECK(!isspace((unsigned char)args[0]));
    FUZZ_CHECK(strncasecmp(text + 1, name, n) == 0);
}

static void check_update(const cJSON *item)
{
    struct tg_update u;
    if (tg_update_parse(item, &u) != 0)
        return;
    FUZZ_CHECK(u.kind >= UPDATE_MESSAGE && u.kind <= UPDATE_OTHER);
    FUZZ_CHECK(u.update_id >= -SAFE_ID && u.update_id <= SAFE_ID);
    FUZZ_CHECK(u.user_id >= -SAFE_ID && u.user_id <= SAFE_ID);
    FUZZ_CHECK(u.chat_id >= -SAFE_ID && u.chat_id <= SAFE_ID);
    if (u.kind != UPDATE_OTHER)
        FUZZ_CHECK(u.user_id != 0);
    if (u.kind == UPDATE_CALLBACK)
        FUZZ_CHECK(u.callback_id != NULL);
    if (u.kind == UPDATE_MESSAGE)
        FUZZ_CHECK(u.message != NULL);
    /* Every string handed out is readable to its end (ASan checks). */
    const char *strings[] = { u.first_name, u.username, u.language_code, u.chat_type, u.text,
                              u.callback_id, u.callback_data, u.member_status };
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        if (strings[i])
            (void)strlen(strings[i]);
    if (u.text)
        check_command(u.text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cJSON *root = cJSON_ParseWithLength((const char *)data, size);
    if (!root) {
        /* Not JSON: still a text someone might type as a command. */
        char *text = fuzz_cstr(data, size);
        check_command(text);
        free(text);
        return 0;
    }
    /* A whole getUpdates answer, its result array, or one update. */
    const cJSON *result = cJSON_GetObjectItemCaseSensitive(root, "result");
    const cJSON *list = cJSON_IsArray(result) ? result : cJSON_IsArray(root) ? root : NULL;
    if (list) {
        const cJSON *item;
        cJSON_ArrayForEach(item, list) check_update(item);
    } else {
        check_update(root);
    }
    cJSON_Delete(root);
    return 0;
}
