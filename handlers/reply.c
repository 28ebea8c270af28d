#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "app.h"
#include "handler.h"
#include "i18n.h"
#include "outbox.h"
#include "tg_html.h"
#include "tg_update.h"
#include "utf8.h"

int reply_html(struct handler_ctx *ctx, const char *html, const cJSON *markup)
{
    return outbox_send_text(ctx->app->db, ctx->update->chat_id, html, markup, NULL, ctx->now_ms);
}

int reply_document(struct handler_ctx *ctx, const char *file_name, const char *mime,
                   const void *data, size_t size, const char *caption_html)
{
    struct db_file f = { .case_id = 0, .uploaded_by = 0, .created_at = ctx->now_ms };
    snprintf(f.kind, sizeof f.kind, "export");
    snprintf(f.file_name, sizeof f.file_name, "%s", file_name);
    snprintf(f.mime_type, sizeof f.mime_type, "%s", mime);
    int64_t row = 0;
    int rc = db_file_add(ctx->app->db, &f, data, size, &row);
    return rc ? rc
              : outbox_send_file(ctx->app->db, ctx->update->chat_id, row, caption_html, NULL,
                                 ctx->now_ms);
}

int reply_text(struct handler_ctx *ctx, const cJSON *markup, const char *key, ...)
{
    va_list ap;
    va_start(ap, key);
    char *html = i18n_vformat(ctx->app->i18n, ctx->lang, key, ap);
    va_end(ap);
    if (!html)
        return -ENOMEM;
    int rc = reply_html(ctx, html, markup);
    free(html);
    return rc;
}

int reply_edit_html(struct handler_ctx *ctx, const char *html, const cJSON *markup)
{
    if (ctx->update->message_id == 0)
        return reply_html(ctx, html, markup);
    return outbox_edit_text(ctx->app->db, ctx->update->chat_id, ctx->update->message_id, html,
                            markup, ctx->now_ms);
}

void reply_answer(struct handler_ctx *ctx, const char *key, bool alert)
{
    reply_answer_html(ctx, i18n_text(ctx->app->i18n, ctx->lang, key), alert);
}

void reply_answer_html(struct handler_ctx *ctx, const char *html, bool alert)
{
    /* The phone shows a callback answer as plain text, at most 200 characters. */
    char *plain = tg_html_plain(html);
    utf8_copy(ctx->answer, sizeof ctx->answer, plain ? plain : "");
    free(plain);
    ctx->answer_alert = alert;
}
