/* outbox: how a handler says something. Nothing is sent here: each call adds
 * rows to the outbox table inside the caller's open transaction, so the
 * messages exist if and only if the state change that caused them commits.
 * The sender (sender.h) delivers them afterwards.
 *
 * Texts are Telegram HTML (built by i18n_format, which escapes user data).
 * A text over Telegram's 4096-character limit is split into several messages
 * at line breaks; the keyboard goes on the last one. */
#ifndef SERTIBOT_OUTBOX_H
#define SERTIBOT_OUTBOX_H

#include <cjson/cJSON.h>
#include <stdint.h>

struct db;

#define OUTBOX_TEXT_LIMIT 4096
#define OUTBOX_CAPTION_LIMIT 1024

/* sendMessage to `chat_id`. `markup` (may be NULL) is borrowed. `card_key`
 * (may be NULL) names the message so it can be edited later. Returns 0,
 * -EINVAL (malformed HTML: a bug in a template), -ENOMEM or -EIO. */
int outbox_send_text(struct db *db, int64_t chat_id, const char *html, const cJSON *markup,
                     const char *card_key, int64_t now_ms);

/* editMessageText of a message the bot sent; a text over the limit is
 * shortened, as an edit cannot be split. */
int outbox_edit_text(struct db *db, int64_t chat_id, int64_t message_id, const char *html,
                     const cJSON *markup, int64_t now_ms);

/* Payload keys of a row that sends a stored case file (case_files): the
 * sender swaps them for Telegram's file_id or an upload of the bytes. */
#define OUTBOX_FILE_ROW "_file_row"
#define OUTBOX_FILE_FIELD "_file_field"

/* sendDocument of the stored case file `file_row`, with an optional caption
 * (Telegram HTML, at most 1024 visible characters: longer is shortened) and
 * keyboard. */
int outbox_send_file(struct db *db, int64_t chat_id, int64_t file_row, const char *caption_html,
                     const cJSON *markup, int64_t now_ms);

/* The same with another method and its file parameter ("sendPhoto",
 * "photo"). */
int outbox_send_stored(struct db *db, int64_t chat_id, int64_t file_row, const char *method,
                       const char *field, const char *caption_html, const cJSON *markup,
                       int64_t now_ms);

/* editMessageReplyMarkup without a keyboard: the message's buttons go
 * (a picker once used, so one tap does one thing). */
int outbox_drop_buttons(struct db *db, int64_t chat_id, int64_t message_id, int64_t now_ms);

/* Any other method: `params` (borrowed) must not hold chat_id, which is added. */
int outbox_call(struct db *db, int64_t chat_id, const char *method, const cJSON *params,
                int64_t now_ms);

#endif
