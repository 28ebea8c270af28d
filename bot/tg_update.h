/* tg_update: the fields of an incoming Update that the bot acts on, read
 * once from the JSON. Pure. The strings point into the cJSON tree the update
 * was parsed from and live as long as it. */
#ifndef SERTIBOT_TG_UPDATE_H
#define SERTIBOT_TG_UPDATE_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tg_update_kind {
    UPDATE_MESSAGE,
    UPDATE_CALLBACK,       /* an inline button was pressed */
    UPDATE_MY_CHAT_MEMBER, /* in a private chat: the user blocked or unblocked the bot */
    UPDATE_OTHER,          /* anything the bot does not act on */
};

struct tg_update {
    int64_t update_id;
    enum tg_update_kind kind;
    int64_t user_id;           /* who acted; 0 if unknown */
    const char *first_name;
    const char *username;
    const char *language_code; /* optional in Telegram: may be NULL */
    int64_t chat_id;
    const char *chat_type;     /* "private", "group", ... */
    int64_t message_id;        /* the message, or the one the pressed button is on */
    const char *text;          /* message text, or a caption; NULL if none */
    const char *callback_id;
    const char *callback_data; /* untrusted: the client may send anything */
    const char *member_status; /* my_chat_member's new status: "kicked", "member", ... */
    const cJSON *message;      /* the Message object, for attachments */
};

/* Fills `out` from one Update object. -EINVAL if it has no usable update_id. */
int tg_update_parse(const cJSON *update, struct tg_update *out);

/* If `text` is a command ("/start", "/start@our_bot payload") meant for this
 * bot, copies its lower-cased name (without '/') into `name` and points
 * `*args` at the rest (trimmed, maybe ""), and returns 0; otherwise -ENOENT.
 * A command addressed to another bot ("/start@other_bot") is not ours. */
int tg_command_parse(const char *text, const char *bot_username, char name[33],
                     const char **args);

/* Telegram's getFile serves files of up to 20 MB (the Bot API server's
 * 20 << 20 bytes); a larger one can be forwarded but never downloaded. */
#define FILE_LIMIT_BYTES (20 << 20)
#define FILE_LIMIT_TEXT "20 MB"

/* True when `file` (a Document or PhotoSize object) states a file_size over
 * the limit; *size gets it. A file without a stated size is let through:
 * getFile will tell. */
bool tg_file_too_big(const cJSON *file, int64_t *size);

#endif
