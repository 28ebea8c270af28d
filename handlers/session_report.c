/* The assisted-login report on the Pelaksana's card (step 7), with the SOP's
 * checklist: "r:<case>:<version>:login<N>|usage|security" ticks an item (the
 * login per certificate holder N, usage explained, security explained), "note"
 * asks for remarks, "valid" for the certificates' validity end (the default
 * is shown on the card: certificates_valid.c). "Send the report"
 * (case_action.c) sends it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "args.h"
#include "case_action.h"
#include "certificates_record.h"
#include "session_card.h"

/* The case is loaded and the presser is its step-7 Pelaksana (the entry's
 * target). */
static int run_session_report(struct handler_ctx *ctx)
{
    const struct db_case *c = &ctx->target->case_row;
    const char *what = ctx->target->press.what, *arg = ctx->target->press.arg;
    int rc = 0;
    bool replaced = false;
    rc = session_card_check(ctx, c, &replaced);
    if (rc || replaced)
        return rc;
    if (arg[0]) { /* no button of the report carries more fields */
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    if (strcmp(what, "note") == 0)
        return case_prompt_start(ctx, c, "report_note", "", "note", "prompt.report_note");
    if (strcmp(what, CERT_DRAFT_VALID) == 0)
        return certificates_valid_ask(ctx, c);
    struct db_holder holders[DB_HOLDERS_MAX];
    size_t holder_count = 0;
    rc = db_holders_list(ctx->app->db, c->wf.case_id, holders, DB_HOLDERS_MAX, &holder_count);
    if (rc)
        return rc;
    uint64_t holder = 0;
    bool login_ok = strncmp(what, "login", 5) == 0 &&
                    args_decimal(what + 5, DB_HOLDERS_MAX, &holder) == 0 &&
                    holder >= 1 && holder <= holder_count;
    if (!login_ok && strcmp(what, "usage") != 0 && strcmp(what, "security") != 0) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    cJSON *draft = case_draft_get(ctx->app, c->wf.case_id, 7);
    bool on = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(draft, what));
    cJSON_Delete(draft);
    rc = case_draft_put(ctx->app, c->wf.case_id, 7, what, cJSON_CreateBool(!on));
    if (rc)
        return rc;
    reply_answer(ctx, "answer.noted", false);
    return case_card_buttons_refresh(ctx, c);
}

const struct handler_entry handler_session_report = {
    .name = "session_report",
    .callback_prefix = "r",
    .roles = ROLE_PELAKSANA,
    .target = TARGET_CASE_AT_STEP,
    .target_checks = TARGET_MAY_ACT,
    .target_event = WF_EV_REPORT,
    .run = run_session_report,
};
