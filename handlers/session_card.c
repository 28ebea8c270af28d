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

static void card_key(const struct db_case *c, int64_t chat, char *out, size_t size)
{
    snprintf(out, size, "case:%" PRId64 ":%" PRId64, c->wf.case_id, chat);
}

/* The old card as it ends: the case's summary, and that it was replaced. */
static int close_replaced(struct app *app, const struct db_case *c, int64_t chat,
                          int64_t message_id, const char *lang, int64_t now_ms)
{
    struct text t;
    text_init(&t, app->i18n, lang);
    text_own(&t, case_card_summary(app, c, lang));
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
    char key[64];
    card_key(c, chat, key, sizeof key);
    int64_t old_chat = 0, old_message = 0;
    int rc = db_card_message(app->db, key, &old_chat, &old_message);
    if (rc && rc != -ENOENT)
        return rc;
    if (!rc && old_message > 0 && old_chat == chat)
        rc = close_replaced(app, c, chat, old_message, card_lang_of(app, chat), now_ms);
    else
        rc = 0;
    /* No card is live until the new one is delivered (db_outbox_done). */
    return rc ? rc : db_card_set(app->db, key, chat, 0);
}

int session_card_check(struct handler_ctx *ctx, const struct db_case *c, bool *refused)
{
    *refused = false;
    const struct tg_update *u = ctx->update;
    if (c->wf.state != WF_S7_PENDAMPINGAN || u->kind != UPDATE_CALLBACK || !u->message_id ||
        u->chat_id != c->wf.pelaksana_id ||
        cJSON_GetObjectItemCaseSensitive(u->message, "document"))
        return 0;
    char key[64];
    card_key(c, u->chat_id, key, sizeof key);
    int64_t chat = 0, live = 0;
    int rc = db_card_message(ctx->app->db, key, &chat, &live);
    if (rc == -ENOENT)
        return 0; /* a card from before cards were tracked: it is the only one */
    if (rc)
        return rc;
    if (live == u->message_id)
        return 0;
    *refused = true;
    reply_answer(ctx, "recipients.card_replaced_short", true);
    return close_replaced(ctx->app, c, u->chat_id, u->message_id, ctx->lang, ctx->now_ms);
}
