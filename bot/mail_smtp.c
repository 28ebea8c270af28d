#include "mail_smtp.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "mail_compose.h"
#include "tg_client.h"

#define SMTP_TIMEOUT_S 120L

struct smtp_job {
    CURL *easy;
    struct curl_slist *rcpt;
    const unsigned char *message;
    size_t size, sent;
    char last_reply[256];   /* the server's last line, from the debug callback */
    char error[CURL_ERROR_SIZE];
    mail_smtp_done_fn done;
    void *data;
};

void mail_easy_setup(CURL *easy, const struct config_email *cfg, const char *protocols)
{
    if (cfg->username)
        curl_easy_setopt(easy, CURLOPT_USERNAME, cfg->username);
    if (cfg->password)
        curl_easy_setopt(easy, CURLOPT_PASSWORD, cfg->password);
    curl_easy_setopt(easy, CURLOPT_USE_SSL, cfg->allow_plain ? (long)CURLUSESSL_TRY
                                                             : (long)CURLUSESSL_ALL);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
    if (cfg->ca_file)
        curl_easy_setopt(easy, CURLOPT_CAINFO, cfg->ca_file);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, protocols);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT, 20L);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
}

static size_t on_read(char *buffer, size_t size, size_t nitems, void *userdata)
{
    struct smtp_job *job = userdata;
    size_t room = size * nitems, left = job->size - job->sent;
    size_t n = left < room ? left : room;
    memcpy(buffer, job->message + job->sent, n);
    job->sent += n;
    return n;
}

/* Keeps the server's last reply line (only what came in: what we sent,
 * AUTH included, is never looked at). */
static int on_debug(CURL *easy, curl_infotype type, char *text, size_t size, void *userdata)
{
    (void)easy;
    struct smtp_job *job = userdata;
    if (type != CURLINFO_HEADER_IN || size == 0)
        return 0;
    size_t n = size < sizeof job->last_reply - 1 ? size : sizeof job->last_reply - 1;
    memcpy(job->last_reply, text, n);
    job->last_reply[n] = '\0';
    job->last_reply[strcspn(job->last_reply, "\r\n")] = '\0';
    return 0;
}

static enum mail_outcome classify(CURLcode result, long code)
{
    if (result == CURLE_OK)
        return MAIL_SENT;
    if (result == CURLE_LOGIN_DENIED || result == CURLE_USE_SSL_FAILED ||
        result == CURLE_ABORTED_BY_CALLBACK)
        return MAIL_DOWN;
    switch (mail_reply_class(code)) {
    case 4: return MAIL_TEMPORARY;
    case 5: return MAIL_PERMANENT;
    case 2: return MAIL_TEMPORARY; /* a 2xx and yet an error: the link broke */
    default: return MAIL_DOWN;     /* no reply at all */
    }
}

static void on_done(CURL *easy, CURLcode result, void *data)
{
    struct smtp_job *job = data;
    struct mail_result r = { .code = 0 };
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &r.code);
    r.outcome = classify(result, r.code);
    if (result == CURLE_ABORTED_BY_CALLBACK)
        snprintf(r.text, sizeof r.text, "cancelled: the bot is stopping");
    else if (r.outcome != MAIL_DOWN && job->last_reply[0])
        snprintf(r.text, sizeof r.text, "%s", job->last_reply);
    else
        snprintf(r.text, sizeof r.text, "%s", job->error[0] ? job->error
                                                            : curl_easy_strerror(result));
    mail_smtp_done_fn done = job->done;
    void *done_data = job->data;
    curl_easy_cleanup(easy);
    curl_slist_free_all(job->rcpt);
    free(job);
    done(&r, done_data);
}

int mail_smtp_send(struct tg_client *tg, const struct config_email *cfg, const char *mail_from,
                   const char *const *rcpt, size_t count, const unsigned char *message,
                   size_t size, mail_smtp_done_fn done, void *data)
{
    struct smtp_job *job = calloc(1, sizeof *job);
    if (!job)
        return -ENOMEM;
    job->easy = curl_easy_init();
    int rc = job->easy ? 0 : -ENOMEM;
    for (size_t i = 0; !rc && i < count; i++) {
        struct curl_slist *grown = curl_slist_append(job->rcpt, rcpt[i]);
        if (!grown)
            rc = -ENOMEM;
        else
            job->rcpt = grown;
    }
    char from[300];
    snprintf(from, sizeof from, "<%s>", mail_from);
    if (rc)
        goto out;
    job->message = message;
    job->size = size;
    job->done = done;
    job->data = data;
    CURL *easy = job->easy;
    curl_easy_setopt(easy, CURLOPT_URL, cfg->smtp_url);
    mail_easy_setup(easy, cfg, "smtp,smtps");
    curl_easy_setopt(easy, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(easy, CURLOPT_MAIL_RCPT, job->rcpt);
    curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(easy, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(easy, CURLOPT_READDATA, job);
    curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE, (curl_off_t)size);
    curl_easy_setopt(easy, CURLOPT_DEBUGFUNCTION, on_debug);
    curl_easy_setopt(easy, CURLOPT_DEBUGDATA, job);
    curl_easy_setopt(easy, CURLOPT_VERBOSE, 1L); /* feeds on_debug; nothing is printed */
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, job->error);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT, SMTP_TIMEOUT_S);
    rc = tg_transfer_start(tg, easy, on_done, job, NULL);
out:
    if (rc) {
        if (job->easy)
            curl_easy_cleanup(job->easy);
        curl_slist_free_all(job->rcpt);
        free(job);
    }
    return rc;
}
