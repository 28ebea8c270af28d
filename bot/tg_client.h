/* tg_client: Bot API calls over HTTP, driven by the libuv loop.
 *
 * Promises: one libcurl multi handle for the bot's life (so connections are
 * kept alive and reused), several calls in flight at once, nothing blocking:
 * curl's sockets are watched with uv_poll and its timeouts with one uv_timer,
 * as in curl's multi-uv example. The token is put into URLs here and nowhere
 * else, and never into a log line.
 *
 * Ownership: `tg_call` copies the method and body. The reply handed to the
 * done callback is owned by the client and valid only during the callback.
 * A request cancelled with tg_request_cancel never gets its callback. */
#ifndef SERTIBOT_TG_CLIENT_H
#define SERTIBOT_TG_CLIENT_H

#include <curl/curl.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "tg_reply.h"

struct tg_client;
struct tg_request;

typedef void (*tg_done_fn)(const struct tg_reply *reply, void *data);
/* A file download ends with 0 and the bytes (valid during the callback), or
 * -ENOENT (Telegram no longer has it), -EIO (network or server error, worth a
 * retry), -ECANCELED (the bot is stopping). */
typedef void (*tg_download_fn)(int status, const unsigned char *bytes, size_t size, void *data);

/* One file sent with multipart/form-data (sendDocument and friends). */
struct tg_upload {
    const char *field;      /* the method's parameter, e.g. "document" */
    const char *file_name;
    const char *mime_type;
    const unsigned char *data; /* copied by tg_call_upload */
    size_t size;
};

int tg_client_new(uv_loop_t *loop, const char *api_base, const char *token,
                  struct tg_client **out);

/* Starts `method` with a JSON body (NULL for none). `timeout_s` bounds the
 * whole exchange. `req_out` (may be NULL) receives a handle for
 * tg_request_cancel, valid until the callback runs. Returns 0 or -ENOMEM/-EIO. */
int tg_call(struct tg_client *client, const char *method, const char *json_body, long timeout_s,
            tg_done_fn done, void *data, struct tg_request **req_out);

/* Like tg_call, not sent before loop time `not_before` (uv_now's ms; 0: at
 * once): a delayed retry without a timer of the caller's own. */
int tg_call_at(struct tg_client *client, const char *method, const char *json_body,
               long timeout_s, uint64_t not_before, tg_done_fn done, void *data,
               struct tg_request **req_out);

/* How long the flood gate stays closed (0: open). After any 429 with
 * retry_after N, no request but getUpdates is handed to curl before N s have
 * passed: requests made meanwhile are held here and go out when it opens
 * (issue 13, defect 5). One gate for every caller. */
uint64_t tg_client_flood_wait_ms(const struct tg_client *client);

/* Like tg_call, with the parameters in `fields` (borrowed; strings as they
 * are, other values as JSON text) and one uploaded file. */
int tg_call_upload(struct tg_client *client, const char *method, const cJSON *fields,
                   const struct tg_upload *file, long timeout_s, tg_done_fn done, void *data,
                   struct tg_request **req_out);

/* Downloads `file_path` (from getFile) from the Bot API's file area. */
int tg_download(struct tg_client *client, const char *file_path, long timeout_s,
                tg_download_fn done, void *data, struct tg_request **req_out);

/* Another protocol's transfer (IMAP, SMTP) on the same multi handle and
 * loop, so mail never blocks and needs no second event machinery. The caller
 * sets up `easy` completely (URL, credentials, callbacks; CURLOPT_PRIVATE is
 * taken) and keeps owning it: `done` runs once with curl's result when the
 * transfer ends, after the handle left the multi, and may clean it up or
 * reuse it; when the client closes, `done` runs with
 * CURLE_ABORTED_BY_CALLBACK. tg_request_cancel detaches it without `done`.
 * Returns 0, -ECANCELED (closing), -ENOMEM or -EIO. */
typedef void (*tg_transfer_fn)(CURL *easy, CURLcode result, void *data);
int tg_transfer_start(struct tg_client *client, CURL *easy, tg_transfer_fn done, void *data,
                      struct tg_request **req_out);

void tg_request_cancel(struct tg_client *client, struct tg_request *req);
size_t tg_client_in_flight(const struct tg_client *client);

/* Ends what is in flight (each callback runs with TG_CANCELLED, so callers
 * can free what they passed) and closes the loop handles; `closed` runs once
 * they are all released, after which the client is freed. */
void tg_client_close(struct tg_client *client, void (*closed)(void *data), void *data);

#endif
