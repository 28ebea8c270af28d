/* Downloads: each file a person sent (a request letter, a signed letter,
 * BSrE's reply) is also copied from Telegram into documents_dir, so a case
 * keeps its papers even if Telegram one day drops the file. Files the bot
 * got itself with their bytes in the database (BSrE's e-mails and their
 * attachments) go the same queue and are only written.
 *
 * A queue in the database (downloads) holds what is still to fetch; one file
 * at a time goes getFile -> download -> write (on libuv's thread pool, so the
 * loop never waits for the disk) -> record, and a failure is retried with
 * backoff. A file Telegram no longer has (or refuses: over getFile's 20 MB)
 * is given up, at once or after a few tries, logged, and its sender and the
 * case's current holder are told (app_hooks.file_lost); the case keeps
 * Telegram's file_id either way. */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "config.h"
#include "db.h"
#include "db_cases.h"
#include "app_hooks.h"
#include "log.h"
#include "runtime.h"
#include "storage_alarm.h"
#include "tg_client.h"
#include "tg_update.h"

#define DOWNLOAD_MAX_ATTEMPTS 8
#define DOWNLOAD_IDLE_MS 60000
#define DOCUMENTS_RETRY_MS 10000

struct write_job {
    uv_work_t work;
    struct app *app;
    int64_t file_row;
    char path[768];
    unsigned char *bytes;
    size_t size;
    int result;
};

static void tick(uv_timer_t *timer);

void downloads_kick(struct app *app)
{
    if (app->running && !app->stopping && !app->downloads.busy)
        uv_timer_start(&app->downloads.timer, tick, 0, 0);
}

void downloads_start(struct app *app) { downloads_kick(app); }

void downloads_stop(struct app *app) { uv_timer_stop(&app->downloads.timer); }

/* `local_write`: rc is the failure to write into documents_dir (our disk),
 * not a failure to fetch from Telegram. */
static void finish_write(struct app *app, int64_t file_row, int rc, const char *why,
                         bool local_write)
{
    struct downloads *d = &app->downloads;
    d->busy = false;
    int64_t now = clock_now_ms(&app->wall);
    int db_rc = db_begin(app->db);
    if (!db_rc) {
        if (rc == 0) {
            db_rc = db_download_done(app->db, file_row);
            if (!db_rc)
                db_rc = storage_alarm_documents_ok(app, clock_now_ms(&app->clock));
        } else if (local_write && storage_alarm_documents(app, rc, clock_now_ms(&app->clock))) {
            /* Our disk, not Telegram: no try is used up; look again soon. */
            log_warn("downloads", "file %" PRId64 ": %s; retry in %d s", file_row, why,
                     DOCUMENTS_RETRY_MS / 1000);
            db_rc = db_download_defer(app->db, file_row, now + DOCUMENTS_RETRY_MS, d->attempts,
                                      why);
        } else if (d->attempts + 1 >= DOWNLOAD_MAX_ATTEMPTS) {
            log_error("downloads", "file %" PRId64 ": giving up after %d tries (%s); Telegram's "
                      "file_id is kept; the sender and the case's holder are told", file_row,
                      d->attempts + 1, why);
            db_rc = app->hooks->file_lost(app, file_row, clock_now_ms(&app->clock));
            if (!db_rc)
                db_rc = db_download_done(app->db, file_row);
        } else {
            int64_t delay = tg_backoff_ms(d->attempts + 1, app_random(app));
            log_warn("downloads", "file %" PRId64 ": %s; retry in %" PRId64 " ms", file_row, why,
                     delay);
            db_rc = db_download_defer(app->db, file_row, now + delay, d->attempts + 1, why);
        }
    }
    if (!db_rc)
        db_rc = db_commit(app->db);
    if (db_rc)
        db_rollback(app->db);
    else
        sender_kick(app); /* what finishing queued for people (alarms, news) */
    app_request_finished(app);
    downloads_kick(app);
}

static void finish(struct app *app, int64_t file_row, int rc, const char *why)
{
    finish_write(app, file_row, rc, why, false);
}

/* --- writing, off the loop ------------------------------------------------- */

static int mkdir_private(const char *path)
{
    if (mkdir(path, 0700) == 0 || errno == EEXIST)
        return 0;
    return -errno;
}

static void write_file(uv_work_t *work)
{
    struct write_job *job = work->data;
    char dir[768];
    snprintf(dir, sizeof dir, "%s", job->path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    /* documents_dir/case-N/: made owner-only, like the database. */
    char *parent_end = strrchr(dir, '/');
    if (parent_end) {
        *parent_end = '\0';
        job->result = mkdir_private(dir);
        *parent_end = '/';
    }
    if (!job->result)
        job->result = mkdir_private(dir);
    if (job->result)
        return;
    char tmp[800];
    snprintf(tmp, sizeof tmp, "%s.part", job->path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        job->result = -errno;
        return;
    }
    size_t done = 0;
    while (done < job->size) {
        ssize_t n = write(fd, job->bytes + done, job->size - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            job->result = -errno;
            break;
        }
        done += (size_t)n;
    }
    if (!job->result && fsync(fd) != 0)
        job->result = -errno;
    close(fd);
    /* Renamed only when whole: a crash never leaves half a letter. */
    if (!job->result && rename(tmp, job->path) != 0)
        job->result = -errno;
    if (job->result)
        unlink(tmp);
}

static void written(uv_work_t *work, int status)
{
    struct write_job *job = work->data;
    struct app *app = job->app;
    int rc = status ? status : job->result;
    if (!rc) {
        int db_rc = db_begin(app->db);
        if (!db_rc)
            db_rc = db_file_set_local(app->db, job->file_row, job->path);
        if (!db_rc)
            db_rc = db_commit(app->db);
        if (db_rc)
            db_rollback(app->db);
        rc = db_rc;
    }
    char why[1024];
    snprintf(why, sizeof why, "cannot write %s: %s", job->path, strerror(rc < 0 ? -rc : rc));
    finish_write(app, job->file_row, rc, why, status == 0 && job->result != 0);
    free(job->bytes);
    free(job);
}

/* --- fetching -------------------------------------------------------------- */

/* A file name that is safe on disk: letters, digits, . - _ only. */
static void safe_name(const char *name, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = name; *p && n + 1 < size; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || (c == '.' && n > 0);
        out[n++] = ok ? c : '_';
    }
    out[n] = '\0';
    if (n == 0)
        snprintf(out, size, "file");
}

static void on_bytes(int status, const unsigned char *bytes, size_t size, void *data)
{
    struct app *app = data;
    int64_t file_row = app->downloads.file_row;
    if (status) {
        finish(app, file_row, status, status == -ENOENT ? "Telegram no longer has it"
                                                        : "download failed");
        return;
    }
    struct db_file f;
    struct write_job *job = calloc(1, sizeof *job);
    unsigned char *copy = size ? malloc(size) : malloc(1);
    if (!job || !copy || db_file_get(app->db, file_row, &f) != 0) {
        free(job);
        free(copy);
        finish(app, file_row, -ENOMEM, "out of memory or database error");
        return;
    }
    memcpy(copy, bytes, size);
    char name[128];
    safe_name(f.file_name, name, sizeof name);
    snprintf(job->path, sizeof job->path, "%s/case-%" PRId64 "/%" PRId64 "-%s",
             app->cfg->documents_dir, f.case_id, file_row, name);
    job->app = app;
    job->file_row = file_row;
    job->bytes = copy;
    job->size = size;
    job->work.data = job;
    /* The request stays "in flight" for the stop until the write is done. */
    if (uv_queue_work(app->loop, &job->work, write_file, written) != 0) {
        free(copy);
        free(job);
        finish(app, file_row, -EIO, "cannot queue the write");
    }
}

static void on_file(const struct tg_reply *reply, void *data)
{
    struct app *app = data;
    int64_t file_row = app->downloads.file_row;
    if (reply->outcome != TG_OK) {
        bool gone = reply->outcome == TG_PERMANENT;
        app->downloads.attempts = gone ? DOWNLOAD_MAX_ATTEMPTS : app->downloads.attempts;
        finish(app, file_row, -EIO, reply->description);
        return;
    }
    int64_t size = 0;
    if (tg_file_too_big(reply->result, &size)) {
        app->downloads.attempts = DOWNLOAD_MAX_ATTEMPTS; /* it will never fit */
        finish(app, file_row, -EFBIG, "over getFile's " FILE_LIMIT_TEXT);
        return;
    }
    const cJSON *path = cJSON_GetObjectItemCaseSensitive(reply->result, "file_path");
    if (!cJSON_IsString(path) ||
        tg_download(app->tg, path->valuestring, 120, on_bytes, app, NULL) != 0) {
        finish(app, file_row, -EIO, "no file_path in Telegram's answer");
        return;
    }
}

static void tick(uv_timer_t *timer)
{
    struct app *app = timer->data;
    struct downloads *d = &app->downloads;
    if (app->stopping || !app->running || d->busy)
        return;
    int64_t now = clock_now_ms(&app->wall);
    int64_t file_row = 0;
    int attempts = 0;
    int rc = db_download_next(app->db, now, &file_row, &attempts);
    if (rc == -ENOENT) {
        int64_t when;
        if (db_download_next_due(app->db, &when) == 0) {
            int64_t delay = when - now;
            uv_timer_start(timer, tick, delay < 0 ? 0 : delay > DOWNLOAD_IDLE_MS ? DOWNLOAD_IDLE_MS
                                                                                  : (uint64_t)delay,
                           0);
        }
        return;
    }
    struct db_file f;
    if (rc || db_file_get(app->db, file_row, &f) != 0) {
        uv_timer_start(timer, tick, DOWNLOAD_IDLE_MS, 0);
        return;
    }
    d->busy = true;
    d->file_row = file_row;
    d->attempts = attempts;
    if (!f.file_id[0] && f.content_size > 0) {
        /* Bytes the bot got itself (an e-mail and its attachments) are in the
         * database already: only the copy on disk is missing. */
        unsigned char *bytes = NULL;
        size_t size = 0;
        if (db_file_content(app->db, file_row, &bytes, &size) != 0) {
            finish(app, file_row, -EIO, "cannot read the stored bytes");
            return;
        }
        on_bytes(0, bytes, size, app);
        free(bytes);
        return;
    }
    cJSON *body = cJSON_CreateObject();
    char *json = NULL;
    if (body && cJSON_AddStringToObject(body, "file_id", f.file_id))
        json = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    if (!json || tg_call(app->tg, "getFile", json, 30, on_file, app, NULL) != 0) {
        d->busy = false;
        uv_timer_start(timer, tick, 5000, 0);
    }
    free(json);
}
