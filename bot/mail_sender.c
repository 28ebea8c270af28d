/* The e-mail queue's runtime (mail_sender.h). */
#include "mail_sender.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "config.h"
#include "db.h"
#include "db_cases.h"
#include "db_mail.h"
#include "file_read.h"
#include "log.h"
#include "mail_compose.h"
#include "app_hooks.h"
#include "mail_smtp.h"
#include "runtime.h"
#include "utf8.h"

#define MAIL_MAX_ATTACHMENTS 24
#define MAIL_MAX_FILE (20u << 20)
#define MAIL_NOT_READY_MS 15000   /* an attachment still being downloaded */
#define MAIL_IDLE_MS 60000

struct part {
    char name[DB_TEXT_MAX];
    char mime[64];
    char path[DB_TEXT_MAX];      /* read on the pool when set */
    unsigned char *data;
    size_t size;
};

struct mail_job {
    uv_work_t work;
    struct app *app;
    struct db_mail mail;
    struct part parts[MAIL_MAX_ATTACHMENTS];
    size_t part_count;
    char boundary[48];
    char date[64];
    char eml_path[768];
    struct buf composed;
    int result;
    const char *rcpt[2];
};

static void tick(uv_timer_t *timer);

static void job_free(struct mail_job *job)
{
    if (!job)
        return;
    db_mail_clear(&job->mail);
    for (size_t i = 0; i < job->part_count; i++)
        free(job->parts[i].data);
    free(job->composed.data);
    free(job);
}

void mail_sender_init(struct app *app)
{
    uv_timer_init(app->loop, &app->mail_sender.timer);
    app->mail_sender.timer.data = app;
    app->mail_sender.fast_retry = getenv("SERTIBOT_TEST_MAIL_FAST_RETRY") != NULL;
    app->mail_sender.crash_after_250 = getenv("SERTIBOT_TEST_MAIL_CRASH_AFTER_250") != NULL;
    if (app->mail_sender.fast_retry)
        log_warn("mail", "test setting SERTIBOT_TEST_MAIL_FAST_RETRY: mail retries 30x sooner");
    if (app->mail_sender.crash_after_250)
        log_warn("mail", "test setting SERTIBOT_TEST_MAIL_CRASH_AFTER_250: the bot kills itself "
                 "after the SMTP server's 250");
}

void mail_sender_kick(struct app *app)
{
    if (app->running && !app->stopping && !app->mail_sender.busy && config_mail_enabled(app->cfg))
        uv_timer_start(&app->mail_sender.timer, tick, 0, 0);
}

void mail_sender_start(struct app *app)
{
    if (config_mail_enabled(app->cfg))
        log_info("mail", "sending to BSrE by e-mail through %s", app->cfg->email.smtp_url);
    mail_sender_kick(app);
}

void mail_sender_stop(struct app *app) { uv_timer_stop(&app->mail_sender.timer); }

void mail_sender_close(struct app *app)
{
    uv_handle_t *handle = (uv_handle_t *)&app->mail_sender.timer;
    if (handle->loop && !uv_is_closing(handle))
        uv_close(handle, NULL);
}

static void arm(struct app *app, int64_t delay_ms)
{
    if (app->stopping)
        return;
    uv_timer_start(&app->mail_sender.timer, tick, (uint64_t)(delay_ms < 0 ? 0 : delay_ms), 0);
}

/* Waits until the next queued mail is due (at most a minute, so a row queued
 * by another path is never forgotten). */
static void arm_next(struct app *app)
{
    int64_t when = 0, now = clock_now_ms(&app->wall);
    int rc = db_mail_next_due(app->db, &when);
    int64_t delay = rc ? MAIL_IDLE_MS : when - now;
    arm(app, delay > MAIL_IDLE_MS ? MAIL_IDLE_MS : delay);
}

static void done_with(struct app *app, struct mail_job *job, bool again_now)
{
    app->mail_sender.busy = false;
    app->mail_sender.job = NULL;
    job_free(job);
    app_request_finished(app);
    if (again_now)
        arm(app, 0);
    else
        arm_next(app);
}

/* Records the outcome (handlers/mail_send.c) and, when the server answered
 * (`from_server`), its health. */
static void record(struct app *app, struct mail_job *job, const struct mail_result *r,
                   bool from_server)
{
    int64_t wall = clock_now_ms(&app->wall);
    int64_t wait = mail_backoff_ms(job->mail.attempts + 1, app_random(app));
    if (app->mail_sender.fast_retry)
        wait /= 30;
    int rc = app->hooks->mail_outcome(app, &job->mail, r->outcome, r->text, job->eml_path, wall + wait);
    if (rc)
        log_error("mail", "%s: the outcome could not be recorded (%d); it is retried",
                  job->mail.message_id, rc);
    /* A reply of any kind means the server is there and took the login. */
    if (from_server)
        app->hooks->mail_health(app, "smtp", r->outcome == MAIL_DOWN, r->text,
                           clock_now_ms(&app->clock));
    sender_kick(app);
    done_with(app, job, r->outcome == MAIL_SENT);
}

static void on_sent(const struct mail_result *r, void *data)
{
    struct mail_job *job = data;
    struct app *app = job->app;
    if (r->outcome == MAIL_SENT) {
        log_info("mail", "%s accepted by the server: %s", job->mail.message_id, r->text);
        if (app->mail_sender.crash_after_250) {
            log_warn("mail", "test setting: killing the bot between the 250 and its commit");
            raise(SIGKILL);
        }
    } else {
        log_warn("mail", "%s not sent (outcome %d, code %ld): %s", job->mail.message_id,
                 (int)r->outcome, r->code, r->text);
    }
    if (app->stopping && r->outcome == MAIL_DOWN && strncmp(r->text, "cancelled", 9) == 0) {
        done_with(app, job, false); /* the bot stops: the row stays as it was */
        return;
    }
    record(app, job, r, true);
}

static void send_now(struct app *app, struct mail_job *job)
{
    const struct db_mail *m = &job->mail;
    size_t n = 0;
    job->rcpt[n++] = m->mail_to;
    if (m->mail_cc && m->mail_cc[0])
        job->rcpt[n++] = m->mail_cc;
    int rc = mail_smtp_send(app->tg, &app->cfg->email, m->mail_from, job->rcpt, n, m->message,
                            m->message_size, on_sent, job);
    if (rc) {
        log_error("mail", "%s: could not start the SMTP transfer (%d)", m->message_id, rc);
        done_with(app, job, false);
        arm(app, MAIL_NOT_READY_MS); /* not at once: the cause may last */
    }
}

/* --- composing, off the loop ------------------------------------------------ */

static int write_private(const char *path, const unsigned char *bytes, size_t size)
{
    char dir[768];
    snprintf(dir, sizeof dir, "%s", path);
    for (char *p = dir + 1; *p; p++) { /* documents_dir/case-N/ or request-N/: owner-only */
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST)
            return -errno;
        *p = '/';
    }
    char tmp[800];
    snprintf(tmp, sizeof tmp, "%s.part", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return -errno;
    int rc = 0;
    for (size_t done = 0; done < size;) {
        ssize_t n = write(fd, bytes + done, size - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            rc = -errno;
            break;
        }
        done += (size_t)n;
    }
    if (!rc && fsync(fd) != 0)
        rc = -errno;
    close(fd);
    if (!rc && rename(tmp, path) != 0)
        rc = -errno;
    if (rc)
        unlink(tmp);
    return rc;
}

static void compose_work(uv_work_t *work)
{
    struct mail_job *job = work->data;
    struct mail_attachment atts[MAIL_MAX_ATTACHMENTS];
    for (size_t i = 0; i < job->part_count; i++) {
        struct part *p = &job->parts[i];
        if (p->path[0] && !p->data) {
            char *bytes = NULL;
            int rc = file_read_all(p->path, MAIL_MAX_FILE, &bytes);
            if (rc) {
                job->result = rc;
                return;
            }
            struct stat st;
            p->size = stat(p->path, &st) == 0 ? (size_t)st.st_size : strlen(bytes);
            p->data = (unsigned char *)bytes;
        }
        atts[i] = (struct mail_attachment){ p->name, p->mime, p->data, p->size };
    }
    const struct db_mail *m = &job->mail;
    struct mail_envelope env = {
        .from_address = m->mail_from, .from_name = job->app->cfg->email.from_name,
        .to = m->mail_to, .cc = m->mail_cc, .subject = m->subject, .message_id = m->message_id,
        .date = job->date, .body = m->body,
    };
    job->result = mail_compose(&env, atts, job->part_count, job->boundary, &job->composed);
    if (!job->result)
        job->result = write_private(job->eml_path, (const unsigned char *)job->composed.data,
                                    job->composed.len);
}

static void composed(uv_work_t *work, int status)
{
    struct mail_job *job = work->data;
    struct app *app = job->app;
    int rc = status ? status : job->result;
    if (!rc) {
        rc = db_begin(app->db);
        if (!rc)
            rc = db_mail_set_message(app->db, job->mail.id,
                                     (const unsigned char *)job->composed.data, job->composed.len);
        if (!rc)
            rc = db_commit(app->db);
        if (rc)
            db_rollback(app->db);
    }
    if (app->stopping) {
        done_with(app, job, false);
        return;
    }
    if (rc) {
        /* An attachment gone or too big, a full disk: tried again with the
         * same backoff (the Pelaksana and the Kasi hear of it once). */
        log_error("mail", "%s: composing failed (%s)", job->mail.message_id, strerror(-rc));
        struct mail_result r = { .outcome = MAIL_TEMPORARY };
        snprintf(r.text, sizeof r.text, "the message could not be prepared: %s", strerror(-rc));
        record(app, job, &r, false);
        return;
    }
    job->mail.message = (unsigned char *)job->composed.data;
    job->mail.message_size = job->composed.len;
    job->composed = (struct buf){ 0 };
    send_now(app, job);
}

/* Fills the job's attachments from the case's files; -EAGAIN when one is
 * still being downloaded from Telegram. */
static int load_parts(struct app *app, struct mail_job *job)
{
    cJSON *ids = cJSON_Parse(job->mail.attachments);
    int rc = cJSON_IsArray(ids) ? 0 : -EINVAL;
    const cJSON *id;
    cJSON_ArrayForEach(id, ids) {
        if (rc || job->part_count >= MAIL_MAX_ATTACHMENTS)
            break;
        struct db_file f;
        rc = db_file_get(app->db, (int64_t)id->valuedouble, &f);
        if (rc)
            break;
        struct part *p = &job->parts[job->part_count++];
        utf8_copy(p->name, sizeof p->name, f.file_name);
        snprintf(p->mime, sizeof p->mime, "%s", f.mime_type);
        if (f.content_size > 0)
            rc = db_file_content(app->db, f.id, &p->data, &p->size);
        else if (f.local_path[0])
            snprintf(p->path, sizeof p->path, "%s", f.local_path);
        else
            rc = -EAGAIN;
    }
    cJSON_Delete(ids);
    return rc;
}

static void start_job(struct app *app, struct mail_job *job)
{
    if (job->mail.message) {
        send_now(app, job);
        return;
    }
    int rc = load_parts(app, job);
    if (rc == -EAGAIN) {
        log_info("mail", "%s waits for a file still being downloaded", job->mail.message_id);
        if (!db_begin(app->db)) {
            if (db_mail_defer(app->db, job->mail.id,
                              clock_now_ms(&app->wall) + MAIL_NOT_READY_MS, 0, NULL) ||
                db_commit(app->db))
                db_rollback(app->db);
        }
        done_with(app, job, false);
        return;
    }
    if (rc) {
        struct mail_result r = { .outcome = MAIL_PERMANENT };
        snprintf(r.text, sizeof r.text, "the attachments could not be read (%s)", strerror(-rc));
        record(app, job, &r, false);
        return;
    }
    /* The copy goes with its owner: documents_dir/case-N/SE-000N-... for a
     * case's mail, documents_dir/request-N/PC-000N-... for a revocation's. */
    char owner_number[32];
    if (job->mail.request_id)
        snprintf(owner_number, sizeof owner_number, "PC-%04" PRId64, job->mail.request_id);
    else
        db_case_number(job->mail.case_id, owner_number, sizeof owner_number);
    snprintf(job->boundary, sizeof job->boundary, "=_sertibot_%08x%08x", app_random(app),
             app_random(app));
    job->boundary[0] = 's'; /* "=" is not in our boundary alphabet */
    mail_date(clock_now_ms(&app->wall), job->date, sizeof job->date);
    snprintf(job->eml_path, sizeof job->eml_path, "%s/%s-%" PRId64 "/%s-surel-bsre-%" PRId64
             ".eml", app->cfg->documents_dir, job->mail.request_id ? "request" : "case",
             job->mail.request_id ? job->mail.request_id : job->mail.case_id, owner_number,
             job->mail.id);
    job->work.data = job;
    if (uv_queue_work(app->loop, &job->work, compose_work, composed) != 0)
        done_with(app, job, false);
}

static void tick(uv_timer_t *timer)
{
    struct app *app = timer->data;
    struct mail_sender *s = &app->mail_sender;
    if (s->busy || app->stopping || !config_mail_enabled(app->cfg))
        return;
    struct mail_job *job = calloc(1, sizeof *job);
    if (!job) {
        arm(app, MAIL_IDLE_MS);
        return;
    }
    job->app = app;
    int rc = db_mail_next(app->db, clock_now_ms(&app->wall), &job->mail);
    if (rc) {
        free(job);
        arm_next(app);
        return;
    }
    s->busy = true;
    s->job = job;
    start_job(app, job);
}
