/* "Lihat surat" under every card: "f:<case>" sends the letters of the case
 * the card is about (the applicant's letter, the draft, the signed
 * recommendation, the notification), so an official reading a card on a
 * phone can open the letter without searching the chat for it.
 *
 * Officials may ask for any case; an applicant only for their own agency's,
 * and only the letters addressed to or written by them (never the internal
 * draft). A Rahasia case's letters go only to whom case_rahasia.h allows. */
#include <errno.h>

#include "app.h"
#include "case_card.h"
#include "case_rahasia.h"
#include "handler.h"
#include "tg_update.h"

struct case_letter {
    const char *kind;
    bool for_applicant;
};

static const struct case_letter case_letters[] = {
    { "request_letter", true },
    { "draft", false },
    { "signed_recommendation", false },
    { "notification", true },
};

static int send_letters(struct handler_ctx *ctx, const struct db_case *c, bool applicant_only,
                        size_t *sent)
{
    *sent = 0;
    for (size_t i = 0; i < sizeof case_letters / sizeof case_letters[0]; i++) {
        if (applicant_only && !case_letters[i].for_applicant)
            continue;
        int rc = case_card_send_document(ctx->app, c, case_letters[i].kind,
                                         ctx->update->chat_id, ctx->lang, ctx->now_ms);
        if (rc == -ENOENT)
            continue;
        if (rc)
            return rc;
        (*sent)++;
    }
    return 0;
}

/* "f:<case>": the case is loaded by the framework, and for an applicant
 * only one of their own agency (the entry's target checks). */
static int run_case_files(struct handler_ctx *ctx)
{
    /* A Rahasia case's letters name its subject and holders: not for the
     * agency's other operators, nor for a group (case_rahasia.h). */
    if (!case_rahasia_discloses(ctx->app, &ctx->target->case_row, ctx->update->user_id,
                                ctx->update->chat_id)) {
        reply_answer(ctx, "rahasia.files_withheld", true);
        return 0;
    }
    bool applicant_only = !(ctx->roles & (ROLE_OFFICIAL | ROLE_ADMIN));
    size_t sent = 0;
    int rc = send_letters(ctx, &ctx->target->case_row, applicant_only, &sent);
    if (!rc)
        reply_answer(ctx, sent ? "case_files.sent" : "case_files.none", !sent);
    return rc;
}

const struct handler_entry handler_case_files = {
    .name = "case_files",
    .callback_prefix = "f",
    .roles = ROLE_ANYONE,
    .target = TARGET_CASE,
    .target_checks = TARGET_OWN_AGENCY,
    .run = run_case_files,
};
