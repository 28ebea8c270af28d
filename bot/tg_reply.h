/* tg_reply: the Bot API answer envelope {ok, result, error_code, description,
 * parameters}, parsed once, here, and classified into what the caller should
 * do. Pure: no I/O; unit-tested against the real API's error texts. */
#ifndef SERTIBOT_TG_REPLY_H
#define SERTIBOT_TG_REPLY_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

enum tg_outcome {
    TG_OK,           /* done; `result` holds the answer (NULL for "message is not modified") */
    TG_RETRY_AFTER,  /* 429: repeat the same request after `retry_after` seconds */
    TG_TRANSIENT,    /* 5xx, network error, malformed answer: retry with backoff */
    TG_UNAUTHORIZED, /* 401: the token is wrong or revoked; the bot cannot go on */
    TG_CONFLICT,     /* 409: a webhook is set or another instance polls */
    TG_UNREACHABLE,  /* 403: the person blocked the bot, left, or was deactivated */
    TG_MIGRATED,     /* a group became a supergroup: resend to `migrate_to_chat_id` */
    TG_PERMANENT,    /* any other refusal: retrying the same request cannot help */
    TG_CANCELLED,    /* the bot is stopping: whether Telegram got it is unknown */
};

struct tg_reply {
    enum tg_outcome outcome;
    int error_code;            /* the envelope's error_code, else the HTTP status, else 0 */
    char description[256];     /* the envelope's description, or the transport error */
    int retry_after;           /* seconds, for TG_RETRY_AFTER */
    int64_t migrate_to_chat_id;
    cJSON *root;               /* the parsed envelope (owned), NULL if there was none */
    const cJSON *result;       /* inside root */
};

/* Classifies one HTTP exchange. `transport_error` is non-NULL when no HTTP
 * answer arrived (connection refused, reset, timeout): its text becomes the
 * description. Returns 0, or -ENOMEM. */
int tg_reply_parse(long http_status, const char *body, size_t len, const char *transport_error,
                   struct tg_reply *out);
void tg_reply_clear(struct tg_reply *reply);

/* Delay before retry number `attempt` (1, 2, ...) of a transient failure:
 * exponential from 1 s, capped at 5 minutes, with +-25% jitter taken from
 * `random` so that many queued messages do not retry in lock step. */
int64_t tg_backoff_ms(int attempt, uint32_t random);

/* Reads a Telegram id (chat, user, message: up to 52 bits) from a JSON number
 * without going through cJSON's int. 0 if absent or not a whole number. */
int64_t tg_json_id(const cJSON *object, const char *key);

#endif
