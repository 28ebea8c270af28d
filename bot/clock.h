/* clock: where "now" comes from. Business time (deadlines, audit stamps, the
 * outbox's not_before) is read through this, never from time() directly, so
 * tests can run weeks of office time in milliseconds. Network pacing uses the
 * loop's monotonic time instead, which no test needs to move. */
#ifndef SERTIBOT_CLOCK_H
#define SERTIBOT_CLOCK_H

#include <stdint.h>

struct clock {
    int64_t (*now_ms)(void *context); /* milliseconds since the Unix epoch */
    void *context;
};

/* The system's real-time clock. */
struct clock clock_system(void);

/* A clock that reads the time (ms since the epoch) from the file at `path`
 * (borrowed: it must outlive the clock) on every call: how end-to-end tests
 * and the demo move business time through days and weeks without waiting.
 * Enabled only by the SERTIBOT_CLOCK_FILE environment variable. */
struct clock clock_from_file(const char *path);

static inline int64_t clock_now_ms(const struct clock *clock) { return clock->now_ms(clock->context); }
static inline int64_t clock_now(const struct clock *clock) { return clock_now_ms(clock) / 1000; }

#endif
