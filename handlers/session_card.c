/* session_card: one live step-7 card; see session_card.h. */
#include "session_card.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "app.h"
#include "case_card.h"
#include "db.h"
#include "handler.h"
#include "outbox.h"
#include "texts.h"
#include "tg_update.h"

/* The card key case_card_send records its message under, and the one that
 * keeps the newest card retired in that chat. */
static void card_key(const struct db_case *c, int64_t chat, const char *kind, char *out,
                     size_t size)
{
    snprintf(out, size, "%s:%" PRId64 ":%" PRId64, kind, c->wf.case_id, chat);
}

/* The old card as it ends: the case's summary, and that it was replaced. */
static int close_replaced(struct app *app, const struct db_case *c, int64_t chat,
                          int64_t message_id, const char *lang, int64_t now_ms)
{
    struct text t;
    text_init(&t, app->i18n, lang);
    text_own(&t, case_card_summary_for(app, c, lang, chat, chat));
    text_add(&t, "recipients.card_replaced", NULL);
    char *html = text_take(&t);
    if (!html)
        return -ENOMEM;
    int rc = outbox_edit_text(app->db, chat, message_id, html, NULL, now_ms);
    free(html);
    return rc;
}

int session_card_retire(struct app *app, const struct db_case *c, int64_t chat, int64_t now_ms)
{
    char key[64], retired[64];
    card_key(c, chat, "case", key, sizeof key);
    card_key(c, chat, "retired", retired, sizeof retired);
    int64_t old_chat = 0, old_message = 0;
    int rc = db_card_message(app->db, key, &old_chat, &old_message);
    if (rc == -ENOENT || (!rc && (old_chat != chat || old_message <= 0)))
        return 0; /* no card the bot knows of */
    if (!rc)
        rc = close_replaced(app, c, chat, old_message, card_lang_of(app, chat), now_ms);
    /* Telegram numbers a chat's messages in order: this card and every one
     * before it are retired, the next one sent is live. */
    return rc ? rc : db_card_set(app->db, retired, chat, old_message);
}

int session_card_check(struct handler_ctx *ctx, const struct db_case *c, bool *refused)
{
    *refused = false;
    const struct tg_update *u = ctx->update;
    if (c->wf.state != WF_S7_PENDAMPINGAN || u->kind != UPDATE_CALLBACK || !u->message_id ||
        u->chat_id != c->wf.pelaksana_id ||
        cJSON_GetObjectItemCaseSensitive(u->message, "document"))
        return 0;
    char retired[64];
    card_key(c, u->chat_id, "retired", retired, sizeof retired);
    int64_t chat = 0, newest_retired = 0;
    int rc = db_card_message(ctx->app->db, retired, &chat, &newest_retired);
    if (rc == -ENOENT)
        return 0; /* no card of the case was replaced in this chat */
    if (rc)
        return rc;
    if (u->message_id > newest_retired)
        return 0;
    *refused = true;
    reply_answer(ctx, "recipients.card_replaced_short", true);
    return close_replaced(ctx->app, c, u->chat_id, u->message_id, ctx->lang, ctx->now_ms);
}
