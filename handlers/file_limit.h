/* file_limit: files the bot must download (issue 13, defect 2).
 *
 * Telegram's getFile serves files of up to 20 MB (the Bot API server's
 * 20 << 20 bytes); anything larger can be forwarded by file_id but never
 * copied into documents_dir. So a file that big is refused as it arrives,
 * with the limit in the answer, and the step that asked for it keeps
 * waiting. A file that cannot be fetched for good (Telegram dropped it, or
 * refuses it) is reported to whoever sent it and to whoever holds the case
 * now. */
#ifndef SERTIBOT_FILE_LIMIT_H
#define SERTIBOT_FILE_LIMIT_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>

#include "handler.h"
#include "tg_update.h"


/* The file of the current message (its document, else its largest photo),
 * or NULL. */
const cJSON *file_limit_message_file(const cJSON *message);

/* Answers in the chat that the file is too big, with its size and the limit. */
int file_limit_refuse(struct handler_ctx *ctx, int64_t size);

/* Inside the caller's transaction: tells the sender of the stored file
 * `file_row` and the current holder(s) of its case that it could not be
 * fetched from Telegram and must be sent again; the file is marked lost
 * (db_file_mark_lost), so no later step sends it as if it were there. */
int file_limit_lost(struct app *app, int64_t file_row, int64_t now_ms);

#endif
