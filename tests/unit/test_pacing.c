/* The sender's self-imposed limits, checked with a simulated clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "pacing.h"

static struct pacing pacing;

/* Sends to `chat` as fast as allowed, from t=0; returns how many went within `span_ms`. */
static int sent_within(int64_t chat, uint64_t span_ms)
{
    pacing_init(&pacing, 0);
    int sent = 0;
    for (uint64_t t = 0; t < span_ms;) {
        uint64_t wait = pacing_wait_ms(&pacing, chat, t);
        if (wait) {
            t += wait;
            continue;
        }
        pacing_take(&pacing, chat, t);
        sent++;
    }
    return sent;
}

static void test_private_chat_gets_a_short_burst_then_one_a_second(void **state)
{
    (void)state;
    /* burst of 3, then one a second: 3 + 9 within 10 s */
    assert_int_equal(sent_within(42, 10000), 12);
}

static void test_group_gets_twenty_a_minute(void **state)
{
    (void)state;
    int sent = sent_within(-1001234567890LL, 60000);
    assert_true(sent >= 20 && sent <= 23); /* 20/min plus the small burst */
}

static void test_many_chats_share_thirty_a_second(void **state)
{
    (void)state;
    pacing_init(&pacing, 0);
    int sent = 0;
    for (int64_t chat = 1; chat <= 1000; chat++)
        if (pacing_wait_ms(&pacing, chat, 500) == 0) {
            pacing_take(&pacing, chat, 500);
            sent++;
        }
    assert_int_equal(sent, 28); /* the global burst, at one instant: two of 30 in reserve */
    assert_true(pacing_wait_ms(&pacing, 5000, 500) > 0);
    assert_int_equal(pacing_wait_ms(&pacing, 5000, 1500), 0);
}

static void test_idle_chats_are_forgotten_when_the_table_fills(void **state)
{
    (void)state;
    pacing_init(&pacing, 0);
    uint64_t t = 0;
    for (int64_t chat = 1; chat <= 3 * PACING_SLOTS; chat++) {
        t += 100; /* slow enough for the global bucket */
        assert_int_equal(pacing_wait_ms(&pacing, chat, t), 0);
        pacing_take(&pacing, chat, t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_private_chat_gets_a_short_burst_then_one_a_second),
        cmocka_unit_test(test_group_gets_twenty_a_minute),
        cmocka_unit_test(test_many_chats_share_thirty_a_second),
        cmocka_unit_test(test_idle_chats_are_forgotten_when_the_table_fills),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
