/* send_plan: the sender's decisions, without I/O. Given every chat's oldest
 * waiting outbox row (its "head"), the chats with a call in flight and the
 * pacing state, it picks the heads that may go now and says when the next
 * one could: the sender arms one timer for exactly that moment, so waiting
 * costs nothing. Pure: time is passed in. */
#ifndef SERTIBOT_SEND_PLAN_H
#define SERTIBOT_SEND_PLAN_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "pacing.h"

/* No wake-up by the clock: whatever waits, waits for a completion. */
#define SEND_PLAN_NEVER UINT64_MAX

struct send_plan {
    size_t *picks;      /* caller's array of `capacity` slots: indexes into heads */
    size_t capacity;    /* how many calls may still start (in-flight room) */
    size_t count;       /* picks made */
    uint64_t wake_in_ms;   /* when to look again by the clock, or SEND_PLAN_NEVER */
    bool room_exhausted;   /* a head that could go was left for lack of room */
};

/* Walks `heads` (db_outbox_waiting's, oldest first) and picks those whose row
 * is due by `wall_now_ms` (not_before is wall-clock time), whose chat has
 * nothing in flight (`busy`, `busy_count`) and whose pacing allows a message
 * at `loop_now_ms` (the pacing's clock), taking a pacing token for each pick, at most plan->capacity.
 * Sets plan->wake_in_ms to the earliest moment any head left behind could go
 * (a chat in flight or a full plan wakes by its completion instead). Stops
 * early when the global bucket is empty: no chat can go before it refills. */
void send_plan_pick(struct send_plan *plan, struct pacing *pacing,
                    const struct outbox_head *heads, size_t head_count,
                    const int64_t *busy, size_t busy_count, int64_t wall_now_ms,
                    uint64_t loop_now_ms);

/* The head of chat `chat_id` was confirmed and deleted: drops it from
 * `heads` (`*count` entries, oldest first) and puts `next`, the chat's next
 * row (NULL if none), in its place in id order, so the sender keeps its
 * picture of the outbox without reading it all again after each message.
 * False, and nothing changed, if the chat is not among the heads. */
bool send_plan_advance(struct outbox_head *heads, size_t *count, int64_t chat_id,
                       const struct outbox_head *next);

#endif
