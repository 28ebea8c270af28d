/* app_hooks: the runtime's calls up into the handler layer.
 *
 * bot/ is built below handlers/ and cannot include it; what the runtime must
 * hand upwards (an update to apply, a job to run, a mail outcome to record)
 * goes through this table, which the handler layer fills at start-up
 * (handlers_register in handlers/handlers.h). Every hook runs inside the
 * transaction its caller opened and follows the handler contract: 0 when
 * done, a negative errno when the caller must roll back. */
#ifndef SERTIBOT_APP_HOOKS_H
#define SERTIBOT_APP_HOOKS_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mail_smtp.h"

struct app;
struct db_mail;
struct handler_ctx;

struct app_hooks {
    /* Applies one parsed update (ctx->update) for ctx->app: records the
     * person, routes the command or button press to its handler. */
    int (*apply_update)(struct handler_ctx *ctx);
    /* The setMyCommands body for `language_code` ("" for the default list);
     * malloc'd JSON, NULL when out of memory. */
    char *(*commands_body)(struct app *app, const char *language_code);
    /* The scheduler's due work, and when it is next due (INT64_MAX: never). */
    int (*jobs_run)(struct app *app, int64_t now_ms);
    int64_t (*jobs_next)(struct app *app, int64_t now_ms);
    /* A file that Telegram will not serve: tell who sent it and who holds the case. */
    int (*file_lost)(struct app *app, int64_t file_row, int64_t now_ms);
    /* One message fetched from the IMAP mailbox, to match to its case. */
    int (*mail_received)(struct app *app, const char *mailbox, int64_t uidvalidity, int64_t uid,
                         const void *raw, size_t size, int64_t now_ms);
    /* What the SMTP server answered to one queued mail. */
    int (*mail_outcome)(struct app *app, const struct db_mail *mail, enum mail_outcome outcome,
                        const char *server_text, const char *eml_path, int64_t retry_at_ms);
    /* SMTP or IMAP ("smtp", "imap") went down or came back. */
    int (*mail_health)(struct app *app, const char *service, bool down, const char *why,
                       int64_t now_ms);
};

#endif
