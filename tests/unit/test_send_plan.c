/* The sender's plan: which chats go now, and when to look again. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "send_plan.h"

#define ROOM 8

static struct pacing pacing;
static size_t picks[ROOM];

static struct send_plan plan_with_room(size_t room)
{
    return (struct send_plan){ .picks = picks, .capacity = room };
}

/* One head per chat 1..n, row ids in chat order, all due. */
static void heads_for_chats(struct outbox_head *heads, size_t n)
{
    for (size_t i = 0; i < n; i++)
        heads[i] = (struct outbox_head){ .id = (int64_t)i + 1, .chat_id = (int64_t)i + 1 };
}

/* Uses up a private chat's burst at `t`, so it may send again only later. */
static void exhaust_chat(int64_t chat, uint64_t t)
{
    while (pacing_wait_ms(&pacing, chat, t) == 0)
        pacing_take(&pacing, chat, t);
}

static void test_oldest_heads_go_first_up_to_the_room(void **state)
{
    (void)state;
    pacing_init(&pacing, 0);
    struct outbox_head heads[20];
    heads_for_chats(heads, 20);
    struct send_plan plan = plan_with_room(ROOM);
    send_plan_pick(&plan, &pacing, heads, 20, NULL, 0, 0, 100);
    assert_int_equal(plan.count, ROOM);
    for (size_t i = 0; i < ROOM; i++)
        assert_int_equal(picks[i], i);
    assert_true(plan.room_exhausted); /* the ninth waits for a completion... */
    assert_true(plan.wake_in_ms == SEND_PLAN_NEVER); /* ...not for the clock */
}

static void test_busy_chats_do_not_hold_back_the_others(void **state)
{
    (void)state;
    pacing_init(&pacing, 0);
    /* 40 chats: the first 16 have a call in flight, the next 16 just used
     * their burst; chat 33 onwards are free. */
    struct outbox_head heads[40];
    heads_for_chats(heads, 40);
    int64_t busy[16];
    for (int64_t c = 1; c <= 16; c++)
        busy[c - 1] = c;
    for (int64_t c = 17; c <= 32; c++) {
        exhaust_chat(c, 0);
        pacing.global.tokens = 30; /* only the chats' buckets are at issue */
    }
    struct send_plan plan = plan_with_room(ROOM);
    send_plan_pick(&plan, &pacing, heads, 40, busy, 16, 0, 0);
    assert_int_equal(plan.count, ROOM);
    for (size_t i = 0; i < ROOM; i++)
        assert_int_equal(heads[picks[i]].chat_id, 33 + (int64_t)i);
    /* the paced chats wake the sender when their next token is there */
    assert_true(plan.wake_in_ms > 0 && plan.wake_in_ms <= 1100);
}

static void test_a_deferred_row_wakes_the_sender_when_it_falls_due(void **state)
{
    (void)state;
    pacing_init(&pacing, 0);
    struct outbox_head heads[2] = {
        { .id = 1, .chat_id = 7, .not_before_ms = 10000 + 2500 }, /* a retry */
        { .id = 2, .chat_id = 8, .not_before_ms = 10000 + 4000 },
    };
    struct send_plan plan = plan_with_room(ROOM);
    send_plan_pick(&plan, &pacing, heads, 2, NULL, 0, 10000, 0);
    assert_int_equal(plan.count, 0);
    assert_true(plan.wake_in_ms == 2500);
    send_plan_pick(&plan, &pacing, heads, 2, NULL, 0, 12500, 2500);
    assert_int_equal(plan.count, 1);
    assert_int_equal(picks[0], 0);
    assert_true(plan.wake_in_ms == 1500);
}

static void test_a_paced_chat_wakes_the_sender_exactly_when_it_may_send(void **state)
{
    (void)state;
    pacing_init(&pacing, 0);
    exhaust_chat(5, 1000);
    struct outbox_head head = { .id = 9, .chat_id = 5 };
    struct send_plan plan = plan_with_room(ROOM);
    send_plan_pick(&plan, &pacing, &head, 1, NULL, 0, 0, 1000);
    assert_int_equal(plan.count, 0);
    uint64_t wake = plan.wake_in_ms;
    assert_true(wake > 0 && wake <= 1100);
    send_plan_pick(&plan, &pacing, &head, 1, NULL, 0, 0, 1000 + wake - 2);
    assert_int_equal(plan.count, 0); /* not a moment before */
    send_plan_pick(&plan, &pacing, &head, 1, NULL, 0, 0, 1000 + wake);
    assert_int_equal(plan.count, 1);
}

static void test_only_busy_chats_means_no_timer(void **state)
{
    (void)state;
    pacing_init(&pacing, 0);
    struct outbox_head heads[2] = { { .id = 1, .chat_id = 3 }, { .id = 2, .chat_id = 4 } };
    int64_t busy[2] = { 4, 3 };
    struct send_plan plan = plan_with_room(ROOM - 2);
    send_plan_pick(&plan, &pacing, heads, 2, busy, 2, 0, 0);
    assert_int_equal(plan.count, 0);
    assert_false(plan.room_exhausted);
    assert_true(plan.wake_in_ms == SEND_PLAN_NEVER);
}

/* 1,000 chats with one message each, every call answered at once: the plan
 * delivers them as fast as the global limit allows, waking only when a token
 * is there. */
static void test_a_thousand_chats_drain_at_the_global_rate(void **state)
{
    (void)state;
    enum { CHATS = 1000 };
    static struct outbox_head heads[CHATS];
    heads_for_chats(heads, CHATS);
    pacing_init(&pacing, 0);
    size_t left = CHATS, looks = 0;
    uint64_t t = 0;
    while (left) {
        struct send_plan plan = plan_with_room(ROOM);
        send_plan_pick(&plan, &pacing, heads, left, NULL, 0, 0, t);
        looks++;
        /* drop the sent heads, keeping the order of the rest */
        size_t kept = 0, next_pick = 0;
        for (size_t i = 0; i < left; i++) {
            if (next_pick < plan.count && picks[next_pick] == i) {
                next_pick++;
                continue;
            }
            heads[kept++] = heads[i];
        }
        left = kept;
        if (left && !plan.room_exhausted) {
            assert_true(plan.wake_in_ms != SEND_PLAN_NEVER);
            t += plan.wake_in_ms;
        }
    }
    /* 28 at once, then 972 at 29.5 a second: about 33 s (the limits: 32.3 s) */
    assert_true(t >= 31000 && t <= 34500);
    assert_true(looks < 2 * CHATS); /* one look per token, give or take */
}

static void test_a_confirmed_head_gives_way_to_its_chats_next_row(void **state)
{
    (void)state;
    struct outbox_head heads[4] = {
        { .id = 3, .chat_id = 30 }, { .id = 5, .chat_id = 50 }, { .id = 8, .chat_id = 80 },
    };
    size_t count = 3;
    struct outbox_head next = { .id = 7, .chat_id = 30 };
    assert_true(send_plan_advance(heads, &count, 30, &next));
    assert_int_equal(count, 3);
    assert_true(heads[0].id == 5 && heads[1].id == 7 && heads[2].id == 8); /* in id order */
    assert_true(send_plan_advance(heads, &count, 50, NULL)); /* chat 50 has no more */
    assert_int_equal(count, 2);
    assert_true(heads[0].id == 7 && heads[1].id == 8);
    assert_false(send_plan_advance(heads, &count, 99, &next)); /* not a head: no change */
    assert_int_equal(count, 2);
}

/* The plan's input from the database: every chat's head, whatever their number. */
static void test_the_outbox_gives_every_chats_head(void **state)
{
    (void)state;
    char path[] = "/tmp/sertibot-test-send-plan-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path);
    struct db *db;
    char err[256];
    assert_int_equal(db_open(path, &db, err, sizeof err), 0);
    for (int64_t round = 0; round < 2; round++)
        for (int64_t chat = 1; chat <= 100; chat++)
            assert_int_equal(db_outbox_push(db, chat, "sendMessage", "{}", NULL, 0), 0);
    struct outbox_head *heads = NULL;
    size_t capacity = 0, count = 0;
    assert_int_equal(db_outbox_waiting(db, &heads, &capacity, &count), 0);
    assert_int_equal(count, 100); /* one per chat, the oldest */
    for (size_t i = 0; i < count; i++)
        assert_true(heads[i].chat_id == (int64_t)i + 1 && heads[i].id == (int64_t)i + 1);
    assert_int_equal(db_outbox_defer(db, heads[0].id, 5000, 1, "HTTP 500"), 0);
    assert_int_equal(db_outbox_waiting(db, &heads, &capacity, &count), 0);
    assert_true(heads[0].not_before_ms == 5000);

    struct outbox_row row;
    assert_int_equal(db_outbox_get(db, heads[1].id, &row), 0);
    assert_true(row.chat_id == 2);
    assert_string_equal(row.method, "sendMessage");
    assert_int_equal(db_outbox_done(db, &row, 0), 0);
    outbox_row_clear(&row);
    assert_int_equal(db_outbox_get(db, heads[1].id, &row), -ENOENT);
    assert_int_equal(db_outbox_waiting(db, &heads, &capacity, &count), 0);
    assert_true(count == 100 && heads[99].chat_id == 2); /* chat 2's second row, newest */
    struct outbox_head head;
    assert_int_equal(db_outbox_chat_head(db, 2, &head), 0);
    assert_true(head.id == heads[99].id);
    assert_int_equal(db_outbox_chat_head(db, 4242, &head), -ENOENT);
    free(heads);
    db_close(db);
    char side[sizeof path + 8];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oldest_heads_go_first_up_to_the_room),
        cmocka_unit_test(test_busy_chats_do_not_hold_back_the_others),
        cmocka_unit_test(test_a_deferred_row_wakes_the_sender_when_it_falls_due),
        cmocka_unit_test(test_a_paced_chat_wakes_the_sender_exactly_when_it_may_send),
        cmocka_unit_test(test_only_busy_chats_means_no_timer),
        cmocka_unit_test(test_a_thousand_chats_drain_at_the_global_rate),
        cmocka_unit_test(test_a_confirmed_head_gives_way_to_its_chats_next_row),
        cmocka_unit_test(test_the_outbox_gives_every_chats_head),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
