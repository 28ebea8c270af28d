#include "tg_client.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "log.h"

/* The largest body kept, NUL included. */
#define TG_RESPONSE_MAX (32u << 20)

struct tg_request {
    struct tg_client *client;
    struct tg_request *prev, *next;
    CURL *easy;
    struct curl_slist *headers;
    curl_mime *mime;          /* a multipart upload, or NULL */
    char *body;
    tg_download_fn download_done; /* set for a file download instead of `done` */
    tg_transfer_fn transfer_done; /* set for another protocol's transfer: `easy` is the caller's */
    struct buf response;
    char method[64];
    char error[CURL_ERROR_SIZE];
    tg_done_fn done;
    void *data;
    bool held;           /* waits for the flood gate or its start time, not yet in curl */
    uint64_t not_before; /* loop time (ms) before which it must not go out */
};

/* One per socket curl asks us to watch; freed in its close callback. */
struct socket_watch {
    uv_poll_t poll;
    curl_socket_t fd;
    struct tg_client *client;
};

struct tg_client {
    uv_loop_t *loop;
    CURLM *multi;
    uv_timer_t timer;
    uv_timer_t gate_timer;  /* wakes held requests */
    uint64_t flood_until;   /* loop time (ms): after a 429, nothing but getUpdates before it */
    char *url_prefix; /* "<api_base>/bot<token>/" */
    char *file_prefix; /* "<api_base>/file/bot<token>/" */
    struct tg_request *requests;
    size_t in_flight;
    size_t open_handles; /* uv handles not yet closed: the timer and the polls */
    bool closing;
    void (*closed)(void *data);
    void *closed_data;
};

static void handle_closed(uv_handle_t *handle);
static void flood_close(struct tg_client *client, int retry_after_s);
static int request_link(struct tg_client *client, struct tg_request *req,
                        struct tg_request **req_out);

static size_t on_write(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    struct tg_request *req = userdata;
    size_t n = size * nmemb;
    /* Bot API answers are small and downloads are capped at 20 MB by
     * Telegram; a runaway body is an error, not a reason to grow. */
    if (n >= TG_RESPONSE_MAX - req->response.len)
        return 0;
    buf_put(&req->response, ptr, n);
    return req->response.failed ? 0 : n;
}

static void request_free(struct tg_request *req)
{
    struct tg_client *client = req->client;
    if (req->prev)
        req->prev->next = req->next;
    else
        client->requests = req->next;
    if (req->next)
        req->next->prev = req->prev;
    client->in_flight--;
    if (!req->held)
        curl_multi_remove_handle(client->multi, req->easy);
    if (!req->transfer_done)
        curl_easy_cleanup(req->easy);
    curl_slist_free_all(req->headers);
    curl_mime_free(req->mime);
    free(req->body);
    free(req->response.data);
    free(req);
}

static void finish(struct tg_request *req, CURLcode result)
{
    if (req->transfer_done) {
        tg_transfer_fn transfer_done = req->transfer_done;
        CURL *easy = req->easy;
        void *transfer_data = req->data;
        request_free(req);
        transfer_done(easy, result, transfer_data);
        return;
    }
    long status = 0;
    curl_easy_getinfo(req->easy, CURLINFO_RESPONSE_CODE, &status);
    char transport[CURL_ERROR_SIZE + 64];
    const char *transport_error = NULL;
    if (result != CURLE_OK) {
        /* curl's own texts name hosts, never our URL path, but the log redacts
         * the token anyway. */
        snprintf(transport, sizeof transport, "%s", req->error[0] ? req->error
                                                                  : curl_easy_strerror(result));
        transport_error = transport;
    }
    if (req->download_done) {
        tg_download_fn download_done = req->download_done;
        void *download_data = req->data;
        int outcome = result != CURLE_OK ? -EIO : status == 200 ? 0 : status == 404 ? -ENOENT
                                                                                 : -EIO;
        unsigned char *body = (unsigned char *)req->response.data;
        size_t len = req->response.len;
        req->response = (struct buf){ 0 };
        request_free(req);
        download_done(outcome, outcome == 0 ? body : NULL, outcome == 0 ? len : 0,
                      download_data);
        free(body);
        return;
    }
    struct tg_reply reply;
    if (tg_reply_parse(status, req->response.data, req->response.len, transport_error,
                       &reply) != 0) {
        memset(&reply, 0, sizeof reply);
        reply.outcome = TG_TRANSIENT;
        snprintf(reply.description, sizeof reply.description, "out of memory");
    }
    if (reply.outcome != TG_OK)
        log_debug("tg", "%s: outcome %d, code %d, %s", req->method, (int)reply.outcome,
                  reply.error_code, reply.description);
    if (reply.outcome == TG_RETRY_AFTER)
        flood_close(req->client, reply.retry_after);
    tg_done_fn done = req->done;
    void *data = req->data;
    request_free(req);
    done(&reply, data);
    tg_reply_clear(&reply);
}

/* --- the flood gate ----------------------------------------------------------
 * Telegram's 429 says "nothing for N seconds", and it may be global to the
 * bot: every caller (sender, answers, downloads, bootstrap) goes through here,
 * so the gate is here, once. getUpdates is exempt: the poller waits on its own
 * 429s, and a long poll is not what flood control counts. */

/* How long `req` must still wait at loop time `now` (0: it may go). */
static uint64_t wait_ms(const struct tg_client *client, const struct tg_request *req,
                        uint64_t now)
{
    uint64_t wait = req->not_before > now ? req->not_before - now : 0;
    /* Mail transfers share the multi handle, not Telegram's flood control. */
    bool gated = !req->transfer_done && strcmp(req->method, "getUpdates") != 0;
    if (gated && client->flood_until > now && client->flood_until - now > wait)
        wait = client->flood_until - now;
    return wait;
}

static void on_gate(uv_timer_t *timer);

static void gate_arm(struct tg_client *client)
{
    uint64_t now = uv_now(client->loop), next = UINT64_MAX;
    for (struct tg_request *r = client->requests; r; r = r->next) {
        if (!r->held)
            continue;
        uint64_t wait = wait_ms(client, r, now);
        next = wait < next ? wait : next;
    }
    if (next == UINT64_MAX)
        uv_timer_stop(&client->gate_timer);
    else
        uv_timer_start(&client->gate_timer, on_gate, next, 0);
}

static void flood_close(struct tg_client *client, int retry_after_s)
{
    uv_update_time(client->loop);
    uint64_t until = uv_now(client->loop) + (uint64_t)retry_after_s * 1000;
    if (until > client->flood_until)
        client->flood_until = until;
    log_warn("tg", "flood control: no call but getUpdates for %d s", retry_after_s);
}

/* Ends `req` without an answer: a download with `status`, a call with
 * `outcome` and `why`. The callback runs after the request is freed. */
static void end_unanswered(struct tg_request *req, int status, enum tg_outcome outcome,
                           const char *why)
{
    tg_done_fn done = req->done;
    tg_download_fn download_done = req->download_done;
    tg_transfer_fn transfer_done = req->transfer_done;
    CURL *easy = req->easy;
    void *data = req->data;
    request_free(req);
    if (transfer_done) {
        transfer_done(easy, CURLE_ABORTED_BY_CALLBACK, data);
        return;
    }
    if (download_done) {
        download_done(status, NULL, 0, data);
        return;
    }
    struct tg_reply reply = { .outcome = outcome };
    snprintf(reply.description, sizeof reply.description, "%s", why);
    done(&reply, data);
}

static void on_gate(uv_timer_t *timer)
{
    struct tg_client *client = timer->data;
    uint64_t now = uv_now(client->loop);
    bool again = true;
    while (again && !client->closing) {
        again = false;
        for (struct tg_request *r = client->requests; r; r = r->next) {
            if (!r->held || wait_ms(client, r, now) > 0)
                continue;
            r->held = false;
            if (curl_multi_add_handle(client->multi, r->easy) != CURLM_OK) {
                r->held = true; /* not in curl: request_free must not remove it */
                /* A transient failure; its callback may start others: scan again. */
                end_unanswered(r, -EIO, TG_TRANSIENT, "could not start the request");
                again = true;
                break;
            }
        }
    }
    if (!client->closing)
        gate_arm(client);
}

uint64_t tg_client_flood_wait_ms(const struct tg_client *client)
{
    uint64_t now = uv_now(client->loop);
    return client->flood_until > now ? client->flood_until - now : 0;
}

static void check_done(struct tg_client *client)
{
    CURLMsg *msg;
    int pending;
    while ((msg = curl_multi_info_read(client->multi, &pending)) != NULL) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        struct tg_request *req = NULL;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&req);
        finish(req, msg->data.result);
    }
}

static void on_poll(uv_poll_t *poll, int status, int events)
{
    struct socket_watch *watch = poll->data;
    struct tg_client *client = watch->client;
    int flags = 0;
    if (status < 0)
        flags = CURL_CSELECT_ERR;
    if (events & UV_READABLE)
        flags |= CURL_CSELECT_IN;
    if (events & UV_WRITABLE)
        flags |= CURL_CSELECT_OUT;
    int running;
    curl_multi_socket_action(client->multi, watch->fd, flags, &running);
    check_done(client);
}

static void on_timer(uv_timer_t *timer)
{
    struct tg_client *client = timer->data;
    int running;
    curl_multi_socket_action(client->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    check_done(client);
}

static int on_curl_timer(CURLM *multi, long timeout_ms, void *userp)
{
    (void)multi;
    struct tg_client *client = userp;
    if (timeout_ms < 0)
        uv_timer_stop(&client->timer);
    else /* 0 too: act on the next loop turn, never from inside this callback */
        uv_timer_start(&client->timer, on_timer, (uint64_t)timeout_ms, 0);
    return 0;
}

static int on_curl_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
    (void)easy;
    struct tg_client *client = userp;
    struct socket_watch *watch = socketp;
    if (what == CURL_POLL_REMOVE) {
        if (watch) {
            uv_poll_stop(&watch->poll);
            uv_close((uv_handle_t *)&watch->poll, handle_closed);
            if (!client->closing)
                curl_multi_assign(client->multi, fd, NULL);
        }
        return 0;
    }
    if (!watch) {
        watch = calloc(1, sizeof *watch);
        if (!watch)
            return -1;
        watch->fd = fd;
        watch->client = client;
        if (uv_poll_init_socket(client->loop, &watch->poll, fd) != 0) {
            free(watch);
            return -1;
        }
        watch->poll.data = watch;
        client->open_handles++;
        curl_multi_assign(client->multi, fd, watch);
    }
    int events = 0;
    if (what == CURL_POLL_IN || what == CURL_POLL_INOUT)
        events |= UV_READABLE;
    if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
        events |= UV_WRITABLE;
    uv_poll_start(&watch->poll, events, on_poll);
    return 0;
}

int tg_client_new(uv_loop_t *loop, const char *api_base, const char *token,
                  struct tg_client **out)
{
    struct tg_client *client = calloc(1, sizeof *client);
    if (!client)
        return -ENOMEM;
    size_t n = strlen(api_base) + strlen(token) + 16;
    client->url_prefix = malloc(n);
    client->file_prefix = malloc(n);
    client->multi = curl_multi_init();
    if (!client->url_prefix || !client->file_prefix || !client->multi) {
        free(client->url_prefix);
        free(client->file_prefix);
        if (client->multi)
            curl_multi_cleanup(client->multi);
        free(client);
        return -ENOMEM;
    }
    snprintf(client->url_prefix, n, "%s/bot%s/", api_base, token);
    snprintf(client->file_prefix, n, "%s/file/bot%s/", api_base, token);
    client->loop = loop;
    uv_timer_init(loop, &client->timer);
    client->timer.data = client;
    uv_timer_init(loop, &client->gate_timer);
    client->gate_timer.data = client;
    client->open_handles = 2;
    curl_multi_setopt(client->multi, CURLMOPT_SOCKETFUNCTION, on_curl_socket);
    curl_multi_setopt(client->multi, CURLMOPT_SOCKETDATA, client);
    curl_multi_setopt(client->multi, CURLMOPT_TIMERFUNCTION, on_curl_timer);
    curl_multi_setopt(client->multi, CURLMOPT_TIMERDATA, client);
    /* A few parallel connections: the long poll holds one, sends use others. */
    curl_multi_setopt(client->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 8L);
    *out = client;
    return 0;
}

/* Sets the common options on `req` (whose easy handle and body the caller
 * made) for `url` (copied by curl), links it and hands it to the multi
 * handle. On failure the request is freed. */
static int request_start(struct tg_client *client, const char *url, const char *method,
                         long timeout_s, struct tg_request *req, struct tg_request **req_out)
{
    req->client = client;
    snprintf(req->method, sizeof req->method, "%s", method);
    CURL *easy = req->easy;
    curl_easy_setopt(easy, CURLOPT_URL, url);
    if (req->mime)
        curl_easy_setopt(easy, CURLOPT_MIMEPOST, req->mime);
    else if (req->body)
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, req->body);
    if (req->headers)
        curl_easy_setopt(easy, CURLOPT_HTTPHEADER, req->headers);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, req);
    curl_easy_setopt(easy, CURLOPT_PRIVATE, req);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, req->error);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT, timeout_s);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT, 15L);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, "sertibot/" SERTIBOT_VERSION);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    return request_link(client, req, req_out);
}

/* Links `req` (its easy handle ready) and hands it to the multi handle, or
 * holds it for the flood gate. On failure the request is freed. */
static int request_link(struct tg_client *client, struct tg_request *req,
                        struct tg_request **req_out)
{
    req->client = client;
    req->next = client->requests;
    if (client->requests)
        client->requests->prev = req;
    client->requests = req;
    client->in_flight++;
    if (wait_ms(client, req, uv_now(client->loop)) > 0) {
        req->held = true; /* on_gate hands it to curl when its time comes */
        gate_arm(client);
    } else if (curl_multi_add_handle(client->multi, req->easy) != CURLM_OK) {
        req->held = true;
        request_free(req);
        return -EIO;
    }
    if (req_out)
        *req_out = req;
    return 0;
}

/* Frees a request that never reached request_start. */
static void request_discard(struct tg_request *req)
{
    free(req->body);
    curl_mime_free(req->mime);
    if (req->easy)
        curl_easy_cleanup(req->easy);
    curl_slist_free_all(req->headers);
    free(req);
}

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 1;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%s%s", a, b);
    return out;
}

int tg_call(struct tg_client *client, const char *method, const char *json_body, long timeout_s,
            tg_done_fn done, void *data, struct tg_request **req_out)
{
    return tg_call_at(client, method, json_body, timeout_s, 0, done, data, req_out);
}

int tg_call_at(struct tg_client *client, const char *method, const char *json_body,
               long timeout_s, uint64_t not_before, tg_done_fn done, void *data,
               struct tg_request **req_out)
{
    if (client->closing)
        return -ECANCELED;
    struct tg_request *req = calloc(1, sizeof *req);
    if (!req)
        return -ENOMEM;
    req->done = done;
    req->data = data;
    req->not_before = not_before;
    req->body = strdup(json_body ? json_body : "{}");
    req->easy = curl_easy_init();
    req->headers = curl_slist_append(NULL, "Content-Type: application/json");
    char *url = join(client->url_prefix, method);
    if (!req->body || !req->easy || !url || !req->headers) {
        free(url);
        request_discard(req);
        return -ENOMEM;
    }
    int rc = request_start(client, url, method, timeout_s, req, req_out);
    free(url); /* curl keeps its own copy */
    return rc;
}

/* Adds each field of `fields` as a form part: strings as they are, anything
 * else (numbers, keyboards) as its JSON text, as the Bot API expects. */
static int mime_add_fields(curl_mime *mime, const cJSON *fields)
{
    const cJSON *field;
    cJSON_ArrayForEach(field, fields) {
        curl_mimepart *part = curl_mime_addpart(mime);
        if (!part)
            return -ENOMEM;
        curl_mime_name(part, field->string);
        if (cJSON_IsString(field)) {
            curl_mime_data(part, field->valuestring, CURL_ZERO_TERMINATED);
            continue;
        }
        char *text = cJSON_PrintUnformatted(field);
        if (!text)
            return -ENOMEM;
        curl_mime_data(part, text, CURL_ZERO_TERMINATED);
        free(text);
    }
    return 0;
}

int tg_call_upload(struct tg_client *client, const char *method, const cJSON *fields,
                   const struct tg_upload *file, long timeout_s, tg_done_fn done, void *data,
                   struct tg_request **req_out)
{
    if (client->closing)
        return -ECANCELED;
    struct tg_request *req = calloc(1, sizeof *req);
    if (!req)
        return -ENOMEM;
    req->done = done;
    req->data = data;
    req->easy = curl_easy_init();
    req->mime = req->easy ? curl_mime_init(req->easy) : NULL;
    char *url = join(client->url_prefix, method);
    int rc = req->mime && url ? mime_add_fields(req->mime, fields) : -ENOMEM;
    if (!rc) {
        curl_mimepart *part = curl_mime_addpart(req->mime);
        if (!part) {
            rc = -ENOMEM;
        } else {
            curl_mime_name(part, file->field);
            curl_mime_filename(part, file->file_name);
            curl_mime_type(part, file->mime_type);
            curl_mime_data(part, (const char *)file->data, file->size); /* copied */
        }
    }
    if (rc) {
        free(url);
        request_discard(req);
        return rc;
    }
    rc = request_start(client, url, method, timeout_s, req, req_out);
    free(url);
    return rc;
}

int tg_download(struct tg_client *client, const char *file_path, long timeout_s,
                tg_download_fn done, void *data, struct tg_request **req_out)
{
    if (client->closing)
        return -ECANCELED;
    /* The path comes from Telegram's getFile: refuse anything that could step
     * out of the file area. */
    if (!file_path[0] || strstr(file_path, "..") || strchr(file_path, '?') ||
        strchr(file_path, '#'))
        return -EINVAL;
    struct tg_request *req = calloc(1, sizeof *req);
    if (!req)
        return -ENOMEM;
    req->download_done = done;
    req->data = data;
    req->easy = curl_easy_init();
    char *url = join(client->file_prefix, file_path);
    if (!req->easy || !url) {
        free(url);
        request_discard(req);
        return -ENOMEM;
    }
    int rc = request_start(client, url, "download", timeout_s, req, req_out);
    free(url);
    return rc;
}

int tg_transfer_start(struct tg_client *client, CURL *easy, tg_transfer_fn done, void *data,
                      struct tg_request **req_out)
{
    if (client->closing)
        return -ECANCELED;
    struct tg_request *req = calloc(1, sizeof *req);
    if (!req)
        return -ENOMEM;
    req->easy = easy;
    req->transfer_done = done;
    req->data = data;
    snprintf(req->method, sizeof req->method, "transfer");
    curl_easy_setopt(easy, CURLOPT_PRIVATE, req);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    return request_link(client, req, req_out);
}

void tg_request_cancel(struct tg_client *client, struct tg_request *req)
{
    (void)client;
    request_free(req);
}

size_t tg_client_in_flight(const struct tg_client *client) { return client->in_flight; }

static void handle_closed(uv_handle_t *handle)
{
    struct tg_client *client;
    if (handle->type == UV_POLL) {
        struct socket_watch *watch = handle->data;
        client = watch->client;
        free(watch);
    } else {
        client = handle->data;
    }
    client->open_handles--;
    if (client->closing && client->open_handles == 0) {
        void (*closed)(void *) = client->closed;
        void *data = client->closed_data;
        free(client->url_prefix);
        free(client->file_prefix);
        free(client);
        if (closed)
            closed(data);
    }
}

/* Any poll curl did not hand back during cleanup is closed here, so the loop
 * can end. */
static void close_leftover_poll(uv_handle_t *handle, void *arg)
{
    if (handle->type != UV_POLL || uv_is_closing(handle))
        return;
    struct socket_watch *watch = handle->data;
    if (watch && watch->client == arg) {
        uv_poll_stop((uv_poll_t *)handle);
        uv_close(handle, handle_closed);
    }
}

void tg_client_close(struct tg_client *client, void (*closed)(void *data), void *data)
{
    client->closing = true;
    client->closed = closed;
    client->closed_data = data;
    while (client->requests)
        end_unanswered(client->requests, -ECANCELED, TG_CANCELLED,
                       "cancelled: the bot is stopping");
    /* Cleanup makes curl hand back its sockets (CURL_POLL_REMOVE), closing
     * their polls; the timer goes last. */
    curl_multi_cleanup(client->multi);
    client->multi = NULL;
    uv_walk(client->loop, close_leftover_poll, client);
    uv_timer_stop(&client->timer);
    uv_close((uv_handle_t *)&client->timer, handle_closed);
    uv_timer_stop(&client->gate_timer);
    uv_close((uv_handle_t *)&client->gate_timer, handle_closed);
}
