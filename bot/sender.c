/* The sender: drains the outbox within Telegram's limits.
 *
 * A row is deleted only after Telegram confirmed it, so a crash at any point
 * leaves it to be sent after the restart. Each chat gets its rows in order
 * (only its oldest row is ever in flight); chats are served side by side. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "db.h"
#include "db_cases.h"
#include "outbox.h"
#include "log.h"
#include "runtime.h"
#include "tg_client.h"
#include "tg_reply.h"

#define SENDER_BATCH 16
#define SENDER_IDLE_CHECK_MS 60000 /* a safety net; kicks do the real work */

struct send_job {
    struct app *app;
    struct outbox_row row;
};

static void tick(uv_timer_t *timer);

static void arm(struct app *app, uint64_t delay_ms)
{
    if (app->stopping)
        return;
    /* Keep an earlier wake-up if one is set. */
    if (uv_is_active((uv_handle_t *)&app->sender.timer) &&
        uv_timer_get_due_in(&app->sender.timer) <= delay_ms)
        return;
    uv_timer_start(&app->sender.timer, tick, delay_ms, 0);
}

void sender_kick(struct app *app)
{
    if (app->running)
        uv_timer_start(&app->sender.timer, tick, 0, 0);
}

static bool chat_in_flight(const struct sender *s, int64_t chat_id)
{
    for (size_t i = 0; i < s->in_flight; i++)
        if (s->in_flight_chats[i] == chat_id)
            return true;
    return false;
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
    outbox_row_clear(row);
    free(job);
    if (!app->stopping)
        sender_kick(app);
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

static void tick(uv_timer_t *timer)
{
    struct app *app = timer->data;
    struct sender *s = &app->sender;
    if (app->stopping || !app->running)
        return;
    uint64_t loop_now = uv_now(app->loop);
    uint64_t flood_wait = tg_client_flood_wait_ms(app->tg);
    if (flood_wait) {
        arm(app, flood_wait);
        return;
    }
    struct outbox_row rows[SENDER_BATCH];
    size_t count = 0;
    /* One reading of the time for the whole tick: a row that fell due between
     * two readings would be neither sent nor waited for. */
    int64_t now = clock_now_ms(&app->wall);
    if (db_outbox_heads(app->db, now, rows, SENDER_BATCH, &count) != 0) {
        arm(app, 5000);
        return;
    }
    uint64_t wait = UINT64_MAX;
    for (size_t i = 0; i < count; i++) {
        struct outbox_row *row = &rows[i];
        if (s->in_flight == SENDER_MAX_IN_FLIGHT || chat_in_flight(s, row->chat_id)) {
            outbox_row_clear(row);
            continue; /* a completion kicks the sender again */
        }
        uint64_t pace = pacing_wait_ms(&s->pacing, row->chat_id, loop_now);
        if (pace) {
            wait = pace < wait ? pace : wait;
            outbox_row_clear(row);
            continue;
        }
        struct send_job *job = malloc(sizeof *job);
        if (!job) {
            outbox_row_clear(row);
            wait = 1000;
            continue;
        }
        job->app = app;
        job->row = *row; /* takes the strings */
        int rc = start_row(app, job);
        if (rc) {
            log_error("sender", "cannot start %s (%d)", job->row.method, rc);
            outbox_row_clear(&job->row);
            free(job);
            wait = 1000;
            continue;
        }
        pacing_take(&s->pacing, job->row.chat_id, loop_now);
        s->in_flight_chats[s->in_flight++] = job->row.chat_id;
    }
    if (wait != UINT64_MAX) {
        arm(app, wait);
        return;
    }
    if (count == SENDER_BATCH && s->in_flight < SENDER_MAX_IN_FLIGHT) {
        arm(app, 0);
        return;
    }
    int64_t due;
    if (db_outbox_next_due(app->db, &due) == 0) {
        int64_t delay = due - now;
        if (delay > 0)
            arm(app, (uint64_t)(delay < SENDER_IDLE_CHECK_MS ? delay : SENDER_IDLE_CHECK_MS));
    }
}

void sender_start(struct app *app)
{
    pacing_init(&app->sender.pacing, uv_now(app->loop));
    sender_kick(app);
}

void sender_stop(struct app *app) { uv_timer_stop(&app->sender.timer); }
