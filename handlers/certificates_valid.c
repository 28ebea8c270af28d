/* The step-7 report's question for the certificates' validity end: shown on
 * the report card with its default, changed by a typed date; see
 * certificates_record.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "app.h"
#include "case_action.h"
#include "case_card.h"
#include "certificates_dates.h"
#include "certificates_record.h"
#include "db.h"
#include "i18n.h"
#include "outbox.h"
#include "texts.h"
#include "tg_update.h"

void certificates_card_validity(struct text *t, struct app *app, const struct db_case *c,
                                const char *lang, int64_t now_ms)
{
    char until[11], words[48];
    bool typed = false;
    /* As if reported now: the card is drawn again at every tick, so the
     * default it shows when the report goes is the one recorded. */
    if (c->wf.state != WF_S7_PENDAMPINGAN ||
        certificates_report_valid_until(app, c, now_ms, until, &typed) != 0)
        return;
    text_date_long(app->i18n, lang, until, words, sizeof words);
    text_add(t, typed ? "cert.card_valid_typed" : "cert.card_valid_default", "date", words, NULL);
}

int certificates_valid_ask(struct handler_ctx *ctx, const struct db_case *c)
{
    return case_prompt_start(ctx, c, "report_valid", "", "note", "cert.valid_prompt");
}

/* The card the question came from, drawn again with the new date. */
static int card_redraw(struct handler_ctx *ctx, const struct db_case *c)
{
    if (!ctx->prompt_chat || !ctx->prompt_message)
        return 0;
    int failed = 0, rc = -ENOMEM;
    char *html = case_card_text(ctx->app, c, ctx->lang);
    cJSON *keyboard = html ? case_card_keyboard(ctx->app, c, ctx->lang, &failed) : NULL;
    if (html && !failed)
        rc = outbox_edit_text(ctx->app->db, ctx->prompt_chat, ctx->prompt_message, html,
                              keyboard, ctx->now_ms);
    cJSON_Delete(keyboard);
    free(html);
    return rc;
}

int certificates_valid_answer(struct handler_ctx *ctx, const struct db_case *c, const char *text)
{
    char until[11], words[48], limit[8];
    int rc = cert_valid_parse(text, ctx->now_ms, until);
    if (rc) { /* the question stays open */
        snprintf(limit, sizeof limit, "%d", CERT_VALID_MAX_YEARS);
        return reply_text(ctx, NULL, rc == -ERANGE ? "cert.valid_range" : "cert.valid_bad",
                          "text", text, "years", limit, NULL);
    }
    rc = case_draft_put(ctx->app, c->wf.case_id, 7, CERT_DRAFT_VALID, cJSON_CreateString(until));
    if (!rc)
        rc = db_conversation_clear(ctx->app->db, ctx->update->user_id);
    text_date_long(ctx->app->i18n, ctx->lang, until, words, sizeof words);
    if (!rc)
        rc = reply_text(ctx, NULL, "cert.valid_saved", "date", words, NULL);
    return rc ? rc : card_redraw(ctx, c);
}
