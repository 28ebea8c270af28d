/* The scheduler: one libuv timer for everything the bot does on time
 * (handlers/jobs.h). Each tick runs the due jobs in one transaction, then
 * arms the timer for the earliest next moment, whatever the number of open
 * cases, and at least once a minute. With a test clock (SERTIBOT_CLOCK_FILE)
 * business time jumps, so it looks every 200 ms instead.
 *
 * A job that fails is set aside inside the tick (jobs_guard: its savepoint
 * rolled back, the failure recorded) and the tick commits the others; only
 * what is no job's fault (the storage, memory) fails the whole tick, which
 * is then tried again in 5 s. */
#include <inttypes.h>
#include <stdint.h>

#include "app.h"
#include "db.h"
#include "app_hooks.h"
#include "log.h"
#include "runtime.h"

#define SCHEDULER_MAX_SLEEP_MS 60000
#define SCHEDULER_TEST_POLL_MS 200
#define SCHEDULER_RETRY_MS 5000

static void tick(uv_timer_t *timer);

static void arm(struct app *app, uint64_t delay_ms)
{
    if (app->stopping)
        return;
    if (delay_ms > SCHEDULER_MAX_SLEEP_MS)
        delay_ms = SCHEDULER_MAX_SLEEP_MS;
    if (app->test_clock && delay_ms > SCHEDULER_TEST_POLL_MS)
        delay_ms = SCHEDULER_TEST_POLL_MS;
    uv_timer_start(&app->scheduler_timer, tick, delay_ms, 0);
}

static void tick(uv_timer_t *timer)
{
    struct app *app = timer->data;
    if (app->stopping || !app->running)
        return;
    int64_t now = clock_now_ms(&app->clock);
    int rc = db_begin(app->db);
    if (!rc)
        rc = app->hooks->jobs_run(app, now);
    if (!rc)
        rc = db_commit(app->db);
    if (rc) {
        db_rollback(app->db);
        log_error("scheduler", "jobs failed (%d); trying again in %d s", rc,
                  SCHEDULER_RETRY_MS / 1000);
        arm(app, SCHEDULER_RETRY_MS);
        return;
    }
    sender_kick(app);
    int64_t next = app->hooks->jobs_next(app, now);
    arm(app, next <= now ? 0 : (uint64_t)(next - now));
}

void scheduler_start(struct app *app)
{
    arm(app, 0);
}

void scheduler_kick(struct app *app)
{
    if (!app->running || app->stopping)
        return;
    /* Something changed (a step started, a calendar day moved): look again
     * soon; a later look already armed is brought forward. */
    int64_t now = clock_now_ms(&app->clock);
    int64_t next = app->hooks->jobs_next(app, now);
    uint64_t delay = next <= now ? 0 : (uint64_t)(next - now);
    if (uv_is_active((uv_handle_t *)&app->scheduler_timer) &&
        uv_timer_get_due_in(&app->scheduler_timer) <= delay)
        return;
    arm(app, delay);
}

void scheduler_stop(struct app *app)
{
    uv_timer_stop(&app->scheduler_timer);
}
