#include "keyboard.h"

#include <errno.h>
#include <string.h>

cJSON *keyboard_new(void)
{
    cJSON *keyboard = cJSON_CreateObject();
    if (keyboard && !cJSON_AddArrayToObject(keyboard, "inline_keyboard")) {
        cJSON_Delete(keyboard);
        return NULL;
    }
    return keyboard;
}

cJSON *keyboard_row(cJSON *keyboard)
{
    cJSON *rows = cJSON_GetObjectItemCaseSensitive(keyboard, "inline_keyboard");
    cJSON *row = cJSON_CreateArray();
    if (!rows || !row || !cJSON_AddItemToArray(rows, row)) {
        cJSON_Delete(row);
        return NULL;
    }
    return row;
}

int keyboard_button(cJSON *row, const char *text, const char *callback_data)
{
    size_t n = strlen(callback_data);
    if (n == 0 || n > KEYBOARD_DATA_MAX)
        return -EINVAL;
    cJSON *button = cJSON_CreateObject();
    if (!button || !cJSON_AddStringToObject(button, "text", text) ||
        !cJSON_AddStringToObject(button, "callback_data", callback_data) ||
        !cJSON_AddItemToArray(row, button)) {
        cJSON_Delete(button);
        return -ENOMEM;
    }
    return 0;
}
