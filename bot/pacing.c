#include "pacing.h"

#include <string.h>

/* A little under Telegram's limits: a request may reach Telegram a few ms
 * sooner after the one before it than it left here, and a limit met exactly
 * would then be exceeded (429). So each bucket refills 5% slower than the
 * limit (that slack grows with each message of a steady stream), and the
 * global burst keeps two of Telegram's 30 in reserve. */
#define BURST_CHAT 3.0
#define BURST_GLOBAL 28.0
#define INTERVAL_PRIVATE_MS 1050.0          /* a little under one a second */
#define INTERVAL_GROUP_MS 3150.0            /* a little under 20 a minute */
#define INTERVAL_GLOBAL_MS (1000.0 / 29.5)  /* a little under 30 a second */

static double interval_for(int64_t chat_id)
{
    /* Group and channel ids are negative; users' private chats positive. */
    return chat_id < 0 ? INTERVAL_GROUP_MS : INTERVAL_PRIVATE_MS;
}

static void refill(struct pacing_bucket *bucket, double burst, double interval, uint64_t now_ms)
{
    if (now_ms > bucket->updated_ms) {
        bucket->tokens += (double)(now_ms - bucket->updated_ms) / interval;
        if (bucket->tokens > burst)
            bucket->tokens = burst;
    }
    bucket->updated_ms = now_ms;
}

void pacing_init(struct pacing *pacing, uint64_t now_ms)
{
    memset(pacing, 0, sizeof *pacing);
    pacing->global.tokens = BURST_GLOBAL;
    pacing->global.updated_ms = now_ms;
}

/* The chat's bucket, creating it (full) if needed. When the table is full, a
 * bucket that has refilled completely is forgotten: such a chat is idle and
 * would start full anyway. NULL if every slot is busy. */
static struct pacing_bucket *bucket_for(struct pacing *pacing, int64_t chat_id, uint64_t now_ms)
{
    uint64_t h = (uint64_t)chat_id * 0x9E3779B97F4A7C15ull;
    size_t start = (size_t)(h >> 55) % PACING_SLOTS;
    struct pacing_bucket *reusable = NULL;
    for (size_t i = 0; i < PACING_SLOTS; i++) {
        struct pacing_bucket *b = &pacing->chats[(start + i) % PACING_SLOTS];
        if (b->chat_id == chat_id)
            return b;
        if (b->chat_id == 0) {
            if (!reusable)
                reusable = b;
            break;
        }
        if (!reusable) {
            refill(b, BURST_CHAT, interval_for(b->chat_id), now_ms);
            if (b->tokens >= BURST_CHAT)
                reusable = b;
        }
    }
    if (!reusable)
        return NULL;
    reusable->chat_id = chat_id;
    reusable->tokens = BURST_CHAT;
    reusable->updated_ms = now_ms;
    return reusable;
}

static uint64_t wait_for_token(const struct pacing_bucket *bucket, double interval)
{
    if (bucket->tokens >= 1.0)
        return 0;
    double ms = (1.0 - bucket->tokens) * interval;
    return (uint64_t)ms + 1;
}

uint64_t pacing_global_wait_ms(struct pacing *pacing, uint64_t now_ms)
{
    refill(&pacing->global, BURST_GLOBAL, INTERVAL_GLOBAL_MS, now_ms);
    return wait_for_token(&pacing->global, INTERVAL_GLOBAL_MS);
}

uint64_t pacing_wait_ms(struct pacing *pacing, int64_t chat_id, uint64_t now_ms)
{
    uint64_t wait = pacing_global_wait_ms(pacing, now_ms);
    struct pacing_bucket *bucket = bucket_for(pacing, chat_id, now_ms);
    if (!bucket)
        return wait > 1000 ? wait : 1000;
    refill(bucket, BURST_CHAT, interval_for(chat_id), now_ms);
    uint64_t chat_wait = wait_for_token(bucket, interval_for(chat_id));
    return chat_wait > wait ? chat_wait : wait;
}

void pacing_take(struct pacing *pacing, int64_t chat_id, uint64_t now_ms)
{
    refill(&pacing->global, BURST_GLOBAL, INTERVAL_GLOBAL_MS, now_ms);
    pacing->global.tokens -= 1.0;
    struct pacing_bucket *bucket = bucket_for(pacing, chat_id, now_ms);
    if (bucket) {
        refill(bucket, BURST_CHAT, interval_for(chat_id), now_ms);
        bucket->tokens -= 1.0;
    }
}
