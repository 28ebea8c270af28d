/* The sender: drains the outbox within Telegram's limits.
 *
 * A row is deleted only after Telegram confirmed it, so a crash at any point
 * leaves it to be sent after the restart. Each chat gets its rows in order
 * (only its oldest row is ever in flight); chats are served side by side,
 * oldest head first over all of them (send_plan.h). One timer is armed for
 * the exact moment the next chat may send; nothing polls. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "db.h"
#include "db_cases.h"
#include "outbox.h"
#include "send_plan.h"
#include "log.h"
#include "runtime.h"
#include "tg_client.h"
#include "tg_reply.h"

/* After a failed look at the outbox (a database error), look again this much later. */
#define SENDER_RETRY_LOOK_MS 5000

struct send_job {
    struct app *app;
    struct outbox_row row;
};

static void tick(uv_timer_t *timer);

/* Sets the one timer to `delay_ms`, or stops it for SEND_PLAN_NEVER. */
static void arm_exactly(struct app *app, uint64_t delay_ms)
{
    if (app->stopping)
        return;
    if (delay_ms == SEND_PLAN_NEVER)
        uv_timer_stop(&app->sender.timer);
    else
        uv_timer_start(&app->sender.timer, tick, delay_ms, 0);
}

/* Brings the timer forward to `delay_ms` if it is later or not set. */
static void arm_no_later(struct app *app, uint64_t delay_ms)
{
    if (app->stopping)
        return;
    if (uv_is_active((uv_handle_t *)&app->sender.timer) &&
        uv_timer_get_due_in(&app->sender.timer) <= delay_ms)
        return;
    uv_timer_start(&app->sender.timer, tick, delay_ms, 0);
}

/* A look at once at what the sender knows of the outbox. */
static void look_now(struct app *app)
{
    if (app->running && !app->stopping)
        uv_timer_start(&app->sender.timer, tick, 0, 0);
}

void sender_kick(struct app *app)
{
    app->sender.heads_stale = true;
    look_now(app);
}

static void chat_done(struct sender *s, int64_t chat_id)
{
    for (size_t i = 0; i < s->in_flight; i++) {
        if (s->in_flight_chats[i] == chat_id) {
            s->in_flight_chats[i] = s->in_flight_chats[--s->in_flight];
            return;
        }
    }
}

static void defer_row(struct app *app, const struct outbox_row *row, int64_t delay_ms,
                      int attempts, const char *why)
{
    int64_t when = clock_now_ms(&app->wall) + delay_ms;
    if (db_outbox_defer(app->db, row->id, when, attempts, why) != 0)
        log_error("sender", "outbox row %" PRId64 ": cannot record the retry", row->id);
}

static void fail_row(struct app *app, const struct outbox_row *row, const struct tg_reply *reply)
{
    log_warn("sender", "%s to chat %" PRId64 " refused for good (%d %s); kept in outbox_failed",
             row->method, row->chat_id, reply->error_code, reply->description);
    if (db_outbox_fail(app->db, row->id, reply->error_code, reply->description,
                       clock_now(&app->clock)) != 0)
        log_error("sender", "outbox row %" PRId64 ": cannot move it to outbox_failed", row->id);
}

/* A group that became a supergroup: same messages, new chat id, once. */
static void retarget_row(struct app *app, const struct outbox_row *row, const struct tg_reply *reply)
{
    cJSON *payload = cJSON_Parse(row->payload);
    char *json = NULL;
    if (payload) {
        cJSON_ReplaceItemInObjectCaseSensitive(
            payload, "chat_id", cJSON_CreateNumber((double)reply->migrate_to_chat_id));
        json = cJSON_PrintUnformatted(payload);
        cJSON_Delete(payload);
    }
    if (!json || db_outbox_retarget(app->db, row->id, reply->migrate_to_chat_id, json) != 0)
        fail_row(app, row, reply);
    free(json);
}

/* A file we uploaded now has Telegram's file_id: later sends reuse it. */
static void remember_file_id(struct app *app, const struct outbox_row *row,
                             const struct tg_reply *reply)
{
    cJSON *payload = cJSON_Parse(row->payload);
    int64_t file_row = tg_json_id(payload, OUTBOX_FILE_ROW);
    const cJSON *field = cJSON_GetObjectItemCaseSensitive(payload, OUTBOX_FILE_FIELD);
    const char *name = cJSON_IsString(field) ? field->valuestring : "document";
    const cJSON *media = cJSON_GetObjectItemCaseSensitive(reply->result, name);
    if (cJSON_IsArray(media)) /* a photo comes in sizes; the largest is last */
        media = cJSON_GetArrayItem(media, cJSON_GetArraySize(media) - 1);
    const cJSON *file_id = cJSON_GetObjectItemCaseSensitive(media, "file_id");
    if (file_row && cJSON_IsString(file_id) &&
        db_file_set_file_id(app->db, file_row, file_id->valuestring) != 0)
        log_warn("sender", "file %" PRId64 ": cannot remember its file_id", file_row);
    cJSON_Delete(payload);
}

/* The pacing's clock: the loop's, sped up in tests (struct sender). */
static uint64_t pace_now(const struct app *app)
{
    return uv_now(app->loop) * app->sender.pace_speedup;
}

/* A wait on the pacing's clock, in the loop's milliseconds (rounded up). */
static uint64_t pace_wait(const struct app *app, uint64_t wait)
{
    unsigned k = app->sender.pace_speedup;
    return wait == UINT64_MAX ? wait : (wait + k - 1) / k;
}

/* A call finished. When Telegram took the row, only its chat's head changed:
 * the sender reads that chat's next row (one indexed look), and wakes when
 * the chat's pacing allows it, not now (a look now would find it paced).
 * When the row went back to the outbox (a retry, a new chat id, a failure),
 * or the last look left a sendable row for lack of room, it looks at once. */
static void after_completion(struct app *app, int64_t chat_id, bool sent)
{
    struct sender *s = &app->sender;
    if (!sent) {
        sender_kick(app);
        return;
    }
    if (!s->heads_stale) {
        struct outbox_head next;
        int rc = db_outbox_chat_head(app->db, chat_id, &next);
        if ((rc && rc != -ENOENT) ||
            !send_plan_advance(s->heads, &s->head_count, chat_id, rc ? NULL : &next))
            s->heads_stale = true;
        else if (!rc)
            arm_no_later(app, pace_wait(app, pacing_wait_ms(&s->pacing, chat_id, pace_now(app))));
    }
    if (s->room_exhausted || s->heads_stale)
        look_now(app);
}

static void on_sent(const struct tg_reply *reply, void *data)
{
    struct send_job *job = data;
    struct app *app = job->app;
    struct outbox_row *row = &job->row;
    chat_done(&app->sender, row->chat_id);

    switch (reply->outcome) {
    case TG_OK: {
        if (strstr(row->payload, "\"" OUTBOX_FILE_ROW "\""))
            remember_file_id(app, row, reply);
        int64_t message_id = tg_json_id(reply->result, "message_id");
        if (db_outbox_done(app->db, row, message_id) != 0)
            log_error("sender", "outbox row %" PRId64 " was sent but cannot be cleared; it may "
                      "be sent again", row->id);
        break;
    }
    case TG_RETRY_AFTER:
        /* Flood control may be global: everything waits, not just this chat
         * (the client's flood gate, which the tick consults). */
        log_warn("sender", "flood control: waiting %d s", reply->retry_after);
        defer_row(app, row, (int64_t)reply->retry_after * 1000, row->attempts, reply->description);
        break;
    case TG_TRANSIENT: {
        int attempts = row->attempts + 1;
        int64_t delay = tg_backoff_ms(attempts, app_random(app));
        log_warn("sender", "%s to chat %" PRId64 " failed (%s); retry %d in %" PRId64 " ms",
                 row->method, row->chat_id, reply->description, attempts, delay);
        defer_row(app, row, delay, attempts, reply->description);
        break;
    }
    case TG_UNREACHABLE:
        if (row->chat_id > 0 &&
            db_user_set_reachable(app->db, row->chat_id, false, clock_now(&app->clock)) != 0)
            log_error("sender", "cannot mark chat %" PRId64 " unreachable", row->chat_id);
        fail_row(app, row, reply);
        break;
    case TG_MIGRATED:
        if (row->attempts == 0)
            retarget_row(app, row, reply);
        else
            fail_row(app, row, reply);
        break;
    case TG_UNAUTHORIZED:
        app_fatal_reply(app, row->method, reply->outcome, reply->description);
        break;
    case TG_CANCELLED:
        break; /* the row stays; it goes out after the restart */
    default:
        fail_row(app, row, reply);
        break;
    }
    if (!app->stopping)
        after_completion(app, row->chat_id, reply->outcome == TG_OK);
    outbox_row_clear(row);
    free(job);
    app_request_finished(app);
}

/* Starts the API call of a row. A row naming a stored file (OUTBOX_FILE_ROW)
 * sends Telegram's file_id when the file has one, else uploads the bytes. */
static int start_row(struct app *app, struct send_job *job)
{
    struct outbox_row *row = &job->row;
    if (!strstr(row->payload, "\"" OUTBOX_FILE_ROW "\""))
        return tg_call(app->tg, row->method, row->payload, 30, on_sent, job, NULL);
    cJSON *payload = cJSON_Parse(row->payload);
    int64_t file_row = tg_json_id(payload, OUTBOX_FILE_ROW);
    const cJSON *field = cJSON_GetObjectItemCaseSensitive(payload, OUTBOX_FILE_FIELD);
    char name[32];
    snprintf(name, sizeof name, "%s", cJSON_IsString(field) ? field->valuestring : "document");
    cJSON_DeleteItemFromObjectCaseSensitive(payload, OUTBOX_FILE_ROW);
    cJSON_DeleteItemFromObjectCaseSensitive(payload, OUTBOX_FILE_FIELD);
    struct db_file file;
    int rc = payload ? db_file_get(app->db, file_row, &file) : -ENOMEM;
    if (!rc && file.file_id[0]) {
        cJSON_AddStringToObject(payload, name, file.file_id);
        char *json = cJSON_PrintUnformatted(payload);
        rc = json ? tg_call(app->tg, row->method, json, 30, on_sent, job, NULL) : -ENOMEM;
        free(json);
    } else if (!rc) {
        unsigned char *bytes = NULL;
        size_t size = 0;
        rc = db_file_content(app->db, file_row, &bytes, &size);
        if (!rc) {
            struct tg_upload upload = { name, file.file_name, file.mime_type, bytes, size };
            rc = tg_call_upload(app->tg, row->method, payload, &upload, 120, on_sent, job, NULL);
        }
        free(bytes);
    }
    cJSON_Delete(payload);
    return rc;
}

/* Starts the call of the row a plan picked; false if it could not start. */
static bool start_head(struct app *app, const struct outbox_head *head)
{
    struct sender *s = &app->sender;
    struct send_job *job = calloc(1, sizeof *job);
    if (!job)
        return false;
    job->app = app;
    int rc = db_outbox_get(app->db, head->id, &job->row);
    if (!rc)
        rc = start_row(app, job);
    if (rc) {
        log_error("sender", "cannot start outbox row %" PRId64 " (%d)", head->id, rc);
        outbox_row_clear(&job->row);
        free(job);
        return false;
    }
    s->in_flight_chats[s->in_flight++] = head->chat_id;
    return true;
}

/* One look at the outbox: every chat's head (read again only if stale), a
 * plan, the picked rows started, and the timer set for the moment the next
 * chat may send. */
static void tick(uv_timer_t *timer)
{
    struct app *app = timer->data;
    struct sender *s = &app->sender;
    if (app->stopping || !app->running)
        return;
    uint64_t flood_wait = tg_client_flood_wait_ms(app->tg);
    if (flood_wait) {
        arm_exactly(app, flood_wait);
        return;
    }
    if (s->heads_stale) {
        if (db_outbox_waiting(app->db, &s->heads, &s->heads_capacity, &s->head_count) != 0) {
            arm_exactly(app, SENDER_RETRY_LOOK_MS);
            return;
        }
        s->heads_stale = false;
    }
    /* One reading of each clock for the whole look: a row that fell due
     * between two readings would be neither sent nor waited for. */
    size_t picks[SENDER_MAX_IN_FLIGHT];
    struct send_plan plan = { .picks = picks, .capacity = SENDER_MAX_IN_FLIGHT - s->in_flight };
    send_plan_pick(&plan, &s->pacing, s->heads, s->head_count, s->in_flight_chats, s->in_flight,
                   clock_now_ms(&app->wall), pace_now(app));
    uint64_t wake = pace_wait(app, plan.wake_in_ms);
    for (size_t i = 0; i < plan.count; i++)
        if (!start_head(app, &s->heads[picks[i]]) && wake > 1000)
            wake = 1000; /* try again in a second */
    s->room_exhausted = plan.room_exhausted;
    arm_exactly(app, wake);
}

void sender_start(struct app *app)
{
    const char *speedup = getenv("SERTIBOT_TEST_PACE_SPEEDUP");
    app->sender.pace_speedup = 1;
    if (speedup && atoi(speedup) > 1 && atoi(speedup) <= 100)
        app->sender.pace_speedup = (unsigned)atoi(speedup);
    pacing_init(&app->sender.pacing, pace_now(app));
    sender_kick(app);
}

void sender_stop(struct app *app)
{
    uv_timer_stop(&app->sender.timer);
    free(app->sender.heads);
    app->sender.heads = NULL;
    app->sender.head_count = app->sender.heads_capacity = 0;
    app->sender.heads_stale = true;
}
