/* The IMAP poller (inbox.h): EXAMINE -> UID SEARCH -> one UID FETCH at a
 * time, each a libcurl transfer on the bot's multi handle. */
#include "inbox.h"

#include <curl/curl.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "config.h"
#include "db.h"
#include "db_inbox.h"
#include "log.h"
#include "app_hooks.h"
#include "runtime.h"
#include "tg_client.h"

static void tick(uv_timer_t *timer);

void inbox_init(struct app *app)
{
    uv_timer_init(app->loop, &app->inbox.timer);
    app->inbox.timer.data = app;
    app->inbox.enabled = app->cfg && app->cfg->email.imap_url && app->cfg->email.imap_url[0];
    app->inbox.poll_ms = app->cfg ? (uint64_t)app->cfg->email.poll_seconds * 1000 : 60000;
    const char *test_poll = getenv("SERTIBOT_INBOX_POLL_MS");
    if (app->inbox.enabled && test_poll && atoi(test_poll) > 0) {
        app->inbox.poll_ms = (uint64_t)atoi(test_poll);
        log_warn("inbox", "polling every %d ms (SERTIBOT_INBOX_POLL_MS, a test setting)",
                 atoi(test_poll));
    }
}

void inbox_start(struct app *app)
{
    if (app->inbox.enabled && !app->stopping)
        uv_timer_start(&app->inbox.timer, tick, 0, 0);
}

void inbox_stop(struct app *app) { uv_timer_stop(&app->inbox.timer); }

void inbox_close(struct app *app)
{
    struct inbox *in = &app->inbox;
    if (in->timer.loop && !uv_is_closing((uv_handle_t *)&in->timer))
        uv_close((uv_handle_t *)&in->timer, NULL);
    free(in->response.data);
    free(in->uids);
    in->response = (struct buf){ 0 };
    in->uids = NULL;
}

/* --- one transfer ---------------------------------------------------------- */

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    struct inbox *in = userdata;
    size_t n = size * nmemb;
    if (in->response.len + n + 1 > INBOX_MAX_MESSAGE) {
        in->too_big = true;
        return n; /* read on, keep nothing more: the message is reported, not stored */
    }
    buf_put(&in->response, ptr, n);
    return in->response.failed ? 0 : n;
}

static void transfer_done(CURL *easy, CURLcode result, void *data);

/* The mailbox named in the URL's path ("INBOX" when none), for EXAMINE. */
static void mailbox_name(const char *url, char *out, size_t size)
{
    const char *p = strstr(url, "://");
    p = p ? strchr(p + 3, '/') : NULL;
    size_t n = 0;
    if (p) {
        p++;
        while (*p && *p != ';' && *p != '?' && *p != '/' && n + 1 < size) {
            if (*p == '%' && p[1] && p[2]) {
                char hex[3] = { p[1], p[2], 0 };
                out[n++] = (char)strtol(hex, NULL, 16);
                p += 3;
                continue;
            }
            if (*p != '"' && *p != '\\')
                out[n++] = *p;
            p++;
        }
    }
    out[n] = '\0';
    if (!n)
        snprintf(out, size, "INBOX");
}

/* Starts a transfer of `url` with `command` (NULL: fetch the URL). */
static int start(struct app *app, enum inbox_phase phase, const char *url, const char *command)
{
    struct inbox *in = &app->inbox;
    const struct config_email *mail = &app->cfg->email;
    CURL *easy = curl_easy_init();
    if (!easy)
        return -ENOMEM;
    in->response.len = 0;
    in->response.failed = false;
    buf_put(&in->response, "", 0); /* a string even when the server sends nothing */
    in->too_big = false;
    in->curl_error[0] = '\0';
    curl_easy_setopt(easy, CURLOPT_URL, url);
    if (command)
        curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, command);
    if (mail->username)
        curl_easy_setopt(easy, CURLOPT_USERNAME, mail->username);
    if (mail->password)
        curl_easy_setopt(easy, CURLOPT_PASSWORD, mail->password);
    if (mail->ca_file)
        curl_easy_setopt(easy, CURLOPT_CAINFO, mail->ca_file);
    /* imaps:// is TLS from the start; imap:// must upgrade with STARTTLS
     * unless the config allows plain text for a local server. */
    curl_easy_setopt(easy, CURLOPT_USE_SSL, mail->allow_plain ? (long)CURLUSESSL_NONE
                                                              : (long)CURLUSESSL_ALL);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, mail->allow_plain ? "imap,imaps" : "imaps,imap");
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, in);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, in->curl_error);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT, 15L);
    /* A server that stops answering on a kept connection must not stall the
     * inbox: commands get a minute, a whole message five. */
    curl_easy_setopt(easy, CURLOPT_TIMEOUT, phase == INBOX_FETCH ? 300L : 60L);
    int rc = tg_transfer_start(app->tg, easy, transfer_done, app, &in->request);
    if (rc) {
        curl_easy_cleanup(easy);
        return rc;
    }
    in->easy = easy;
    in->phase = phase;
    return 0;
}

/* --- the round ------------------------------------------------------------- */

static void schedule(struct app *app, bool failed, const char *why)
{
    struct inbox *in = &app->inbox;
    in->phase = INBOX_IDLE;
    in->request = NULL;
    free(in->uids);
    in->uids = NULL;
    in->uid_count = in->uid_at = 0;
    int64_t now = clock_now_ms(&app->clock);
    uint64_t delay_ms = in->poll_ms;
    if (failed) {
        in->failures++;
        for (int i = 1; i < in->failures && delay_ms < INBOX_MAX_DELAY_S * 1000; i++)
            delay_ms *= 2;
        if (delay_ms > INBOX_MAX_DELAY_S * 1000)
            delay_ms = INBOX_MAX_DELAY_S * 1000;
        log_warn("inbox", "IMAP round failed (%d in a row): %s; next try in %" PRIu64 " ms",
                 in->failures, why, delay_ms);
        if (in->failures >= INBOX_DOWN_AFTER)
            app->hooks->mail_health(app, "imap", true, why, now);
    } else {
        if (in->failures)
            log_info("inbox", "IMAP reachable again");
        in->failures = 0;
        app->hooks->mail_health(app, "imap", false, NULL, now);
    }
    if (!app->stopping)
        uv_timer_start(&in->timer, tick, delay_ms, 0);
    app_request_finished(app);
}

static int64_t find_number(const char *text, const char *label)
{
    const char *p = text ? strstr(text, label) : NULL;
    return p ? strtoll(p + strlen(label), NULL, 10) : -1;
}

static void tick(uv_timer_t *timer)
{
    struct app *app = timer->data;
    if (app->stopping || !app->tg || app->inbox.phase != INBOX_IDLE)
        return;
    char name[128], command[160];
    mailbox_name(app->cfg->email.imap_url, name, sizeof name);
    snprintf(command, sizeof command, "EXAMINE \"%s\"", name);
    int rc = start(app, INBOX_EXAMINE, app->cfg->email.imap_url, command);
    if (rc)
        schedule(app, true, "could not start a transfer");
}

/* The mailbox's UIDVALIDITY is known: compare with what we kept, then search. */
static int after_examine(struct app *app, const char **why)
{
    struct inbox *in = &app->inbox;
    in->uidvalidity = find_number(in->response.data, "[UIDVALIDITY ");
    in->uidnext = find_number(in->response.data, "[UIDNEXT ");
    if (in->uidvalidity <= 0) {
        *why = "the server did not say the mailbox's UIDVALIDITY";
        return -EPROTO;
    }
    const char *mailbox = app->cfg->email.imap_url;
    int64_t kept_validity = 0, last = 0;
    int rc = db_inbox_state_get(app->db, mailbox, &kept_validity, &last);
    if (rc == -ENOENT || kept_validity != in->uidvalidity) {
        if (rc == -ENOENT) {
            last = in->uidnext > 0 ? in->uidnext - 1 : 0;
            log_info("inbox", "first look at the mailbox: reading mail after UID %" PRId64, last);
        } else {
            log_warn("inbox", "the mailbox's UIDVALIDITY changed (%" PRId64 " -> %" PRId64
                     "): reading it again; messages already handled are skipped",
                     kept_validity, in->uidvalidity);
            last = 0;
        }
        int64_t now = clock_now_ms(&app->clock);
        rc = db_begin(app->db);
        if (!rc)
            rc = db_inbox_state_set(app->db, mailbox, in->uidvalidity, last, now);
        if (!rc)
            rc = db_commit(app->db);
        if (rc)
            db_rollback(app->db);
    }
    if (rc) {
        *why = "database error";
        return rc;
    }
    in->last_uid = last;
    char command[64];
    snprintf(command, sizeof command, "UID SEARCH UID %" PRId64 ":*", last + 1);
    rc = start(app, INBOX_SEARCH, app->cfg->email.imap_url, command);
    if (rc)
        *why = "could not start a transfer";
    return rc;
}

static int compare_uid(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* "* SEARCH 4 7 9": the UIDs after the last one (the server answers "n:*"
 * with the newest message even when it is older than n). */
static int parse_search(struct inbox *in)
{
    const char *p = in->response.data ? strstr(in->response.data, "* SEARCH") : NULL;
    size_t cap = 16;
    in->uids = malloc(cap * sizeof *in->uids);
    if (!in->uids)
        return -ENOMEM;
    in->uid_count = in->uid_at = 0;
    if (!p)
        return 0;
    p += strlen("* SEARCH");
    while (*p && *p != '\r' && *p != '\n') {
        char *end;
        long long uid = strtoll(p, &end, 10);
        if (end == p)
            break;
        p = end;
        if (uid <= in->last_uid)
            continue;
        if (in->uid_count == cap) {
            int64_t *grown = realloc(in->uids, cap * 2 * sizeof *grown);
            if (!grown)
                return -ENOMEM;
            in->uids = grown;
            cap *= 2;
        }
        in->uids[in->uid_count++] = uid;
    }
    qsort(in->uids, in->uid_count, sizeof *in->uids, compare_uid);
    if (in->uid_count > INBOX_MAX_PER_ROUND)
        in->uid_count = INBOX_MAX_PER_ROUND; /* the rest next round */
    return 0;
}

static int fetch_next(struct app *app, const char **why)
{
    struct inbox *in = &app->inbox;
    if (in->uid_at >= in->uid_count)
        return 1; /* the round is done */
    const char *base = app->cfg->email.imap_url;
    size_t n = strlen(base);
    while (n && base[n - 1] == '/')
        n--;
    char url[1200];
    snprintf(url, sizeof url, "%.*s;UIDVALIDITY=%" PRId64 "/;UID=%" PRId64, (int)n, base,
             in->uidvalidity, in->uids[in->uid_at]);
    int rc = start(app, INBOX_FETCH, url, NULL);
    if (rc)
        *why = "could not start a transfer";
    return rc;
}

/* One message fetched: handled and the last UID moved, in one transaction. */
static int store_fetched(struct app *app, const char **why)
{
    struct inbox *in = &app->inbox;
    int64_t uid = in->uids[in->uid_at];
    int64_t now = clock_now_ms(&app->clock);
    const char *mailbox = app->cfg->email.imap_url;
    int rc = db_begin(app->db);
    if (!rc && in->too_big)
        log_error("inbox", "message UID %" PRId64 " is over %u bytes: skipped", uid,
                  INBOX_MAX_MESSAGE);
    else if (!rc && in->response.len)
        rc = app->hooks->mail_received(app, mailbox, in->uidvalidity, uid, in->response.data,
                                in->response.len, now);
    if (!rc)
        rc = db_inbox_state_set(app->db, mailbox, in->uidvalidity, uid, now);
    if (!rc)
        rc = db_commit(app->db);
    if (rc) {
        db_rollback(app->db);
        *why = "could not record the message";
        in->failing_count = in->failing_uid == uid ? in->failing_count + 1 : 1;
        in->failing_uid = uid;
        if (in->failing_count < INBOX_POISON_AFTER)
            return rc;
        log_error("inbox", "message UID %" PRId64 " could not be recorded %d times (error %d): "
                  "passed over; it stays in the mailbox", uid, in->failing_count, rc);
        rc = db_begin(app->db);
        if (!rc)
            rc = db_inbox_state_set(app->db, mailbox, in->uidvalidity, uid, now);
        if (!rc)
            rc = db_commit(app->db);
        if (rc) {
            db_rollback(app->db);
            return rc;
        }
    }
    in->failing_count = 0;
    in->last_uid = uid;
    in->uid_at++;
    sender_kick(app);
    downloads_kick(app);
    return 0;
}

static void transfer_done(CURL *easy, CURLcode result, void *data)
{
    struct app *app = data;
    struct inbox *in = &app->inbox;
    in->request = NULL;
    in->easy = NULL;
    if (app->stopping) { /* fetched again at the next start, if it was a message */
        curl_easy_cleanup(easy);
        in->phase = INBOX_IDLE;
        app_request_finished(app);
        return;
    }
    char why[320];
    snprintf(why, sizeof why, "%s", in->curl_error[0] ? in->curl_error
                                                      : curl_easy_strerror(result));
    curl_easy_cleanup(easy);
    if (result != CURLE_OK) {
        if (result == CURLE_LOGIN_DENIED)
            snprintf(why, sizeof why, "the IMAP server refused the login");
        schedule(app, true, why);
        return;
    }
    const char *fail = NULL;
    int rc = 0;
    switch (in->phase) {
    case INBOX_EXAMINE:
        rc = after_examine(app, &fail);
        break;
    case INBOX_SEARCH:
        rc = parse_search(in);
        if (rc)
            fail = "out of memory";
        else
            rc = fetch_next(app, &fail);
        break;
    case INBOX_FETCH:
        rc = store_fetched(app, &fail);
        if (!rc)
            rc = fetch_next(app, &fail);
        break;
    default:
        return;
    }
    if (rc < 0)
        schedule(app, true, fail ? fail : "error");
    else if (rc > 0)
        schedule(app, false, NULL);
}
