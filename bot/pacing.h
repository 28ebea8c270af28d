/* pacing: Telegram's flood limits as token buckets, so the sender slows
 * itself down instead of collecting 429s. Limits (Bot FAQ): about one message
 * a second to a private chat (short bursts tolerated), 20 a minute to a
 * group, about 30 a second overall. Pure: time is passed in. */
#ifndef SERTIBOT_PACING_H
#define SERTIBOT_PACING_H

#include <stdint.h>

#define PACING_SLOTS 512

struct pacing_bucket {
    int64_t chat_id;     /* 0: free slot */
    double tokens;
    uint64_t updated_ms;
};

struct pacing {
    struct pacing_bucket chats[PACING_SLOTS];
    struct pacing_bucket global;
};

void pacing_init(struct pacing *pacing, uint64_t now_ms);
/* 0 if a message to `chat_id` may go at `now_ms`; otherwise how many ms to wait. */
uint64_t pacing_wait_ms(struct pacing *pacing, int64_t chat_id, uint64_t now_ms);
/* 0 if the global bucket allows a message at `now_ms`; otherwise how many ms
 * until it does (no chat can go sooner). */
uint64_t pacing_global_wait_ms(struct pacing *pacing, uint64_t now_ms);
/* Records one message to `chat_id` sent at `now_ms`. */
void pacing_take(struct pacing *pacing, int64_t chat_id, uint64_t now_ms);

#endif
