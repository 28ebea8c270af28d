/* keyboard: inline keyboards (rows of buttons). Callback data is limited by
 * Telegram to 64 bytes; a longer one is refused here, before Telegram would
 * refuse the whole message. */
#ifndef SERTIBOT_KEYBOARD_H
#define SERTIBOT_KEYBOARD_H

#include <cjson/cJSON.h>

#define KEYBOARD_DATA_MAX 64

/* {"inline_keyboard": []}; the caller owns it (cJSON_Delete). NULL on ENOMEM. */
cJSON *keyboard_new(void);
/* Appends an empty row; returns it (owned by the keyboard) or NULL. */
cJSON *keyboard_row(cJSON *keyboard);
/* Appends a callback button to `row`. 0, -EINVAL (data empty or over 64 bytes), -ENOMEM. */
int keyboard_button(cJSON *row, const char *text, const char *callback_data);

#endif
