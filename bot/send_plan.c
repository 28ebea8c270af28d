#include "send_plan.h"

#include <string.h>

static bool chat_busy(const int64_t *busy, size_t busy_count, int64_t chat_id)
{
    for (size_t i = 0; i < busy_count; i++)
        if (busy[i] == chat_id)
            return true;
    return false;
}

static void wake_no_later(struct send_plan *plan, uint64_t in_ms)
{
    if (in_ms < plan->wake_in_ms)
        plan->wake_in_ms = in_ms;
}

void send_plan_pick(struct send_plan *plan, struct pacing *pacing,
                    const struct outbox_head *heads, size_t head_count,
                    const int64_t *busy, size_t busy_count, int64_t wall_now_ms,
                    uint64_t loop_now_ms)
{
    plan->count = 0;
    plan->wake_in_ms = SEND_PLAN_NEVER;
    plan->room_exhausted = false;
    for (size_t i = 0; i < head_count; i++) {
        const struct outbox_head *head = &heads[i];
        if (chat_busy(busy, busy_count, head->chat_id))
            continue; /* its completion wakes the sender */
        if (head->not_before_ms > wall_now_ms) {
            wake_no_later(plan, (uint64_t)(head->not_before_ms - wall_now_ms));
            continue;
        }
        uint64_t global = pacing_global_wait_ms(pacing, loop_now_ms);
        if (global) {
            wake_no_later(plan, global); /* nobody goes sooner: stop here */
            return;
        }
        uint64_t wait = pacing_wait_ms(pacing, head->chat_id, loop_now_ms);
        if (wait) {
            wake_no_later(plan, wait);
            continue;
        }
        if (plan->count == plan->capacity) {
            plan->room_exhausted = true; /* a completion makes room, and looks again */
            return;
        }
        pacing_take(pacing, head->chat_id, loop_now_ms);
        plan->picks[plan->count++] = i;
    }
}

bool send_plan_advance(struct outbox_head *heads, size_t *count, int64_t chat_id,
                       const struct outbox_head *next)
{
    size_t n = *count, at = 0;
    while (at < n && heads[at].chat_id != chat_id)
        at++;
    if (at == n)
        return false;
    memmove(&heads[at], &heads[at + 1], (n - at - 1) * sizeof *heads);
    n--;
    if (next) {
        size_t place = n;
        while (place > 0 && heads[place - 1].id > next->id)
            place--;
        memmove(&heads[place + 1], &heads[place], (n - place) * sizeof *heads);
        heads[place] = *next;
        n++;
    }
    *count = n;
    return true;
}
