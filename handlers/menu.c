/* menu: the command list Telegram shows beside the input field
 * (setMyCommands), built from the handler table (app_hooks.commands_body). */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "handler.h"
#include "i18n.h"

/* setMyCommands for one language ("" for the default list, in Indonesian). */
char *menu_commands_body(struct app *app, const char *language_code)
{
    const char *lang = language_code[0] ? language_code : I18N_DEFAULT;
    int english = strcmp(lang, "en") == 0;
    cJSON *body = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(body, "commands");
    for (size_t i = 0; handler_table[i]; i++) {
        const struct handler_entry *e = handler_table[i];
        if (!e->in_menu)
            continue;
        char key[48];
        snprintf(key, sizeof key, "cmd.%s", e->command_id);
        cJSON *item = cJSON_CreateObject();
        cJSON_AddStringToObject(item, "command",
                                english && e->command_en ? e->command_en : e->command_id);
        cJSON_AddStringToObject(item, "description", i18n_text(app->i18n, lang, key));
        cJSON_AddItemToArray(list, item);
    }
    if (language_code[0])
        cJSON_AddStringToObject(body, "language_code", language_code);
    char *json = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    return json;
}

