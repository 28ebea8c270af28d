/* The assisted-login report on the Pelaksana's card (step 7), with the SOP's
 * checklist: "r:<case>:<version>:login<N>|usage|security" ticks an item (the
 * login per certificate holder N, usage explained, security explained), "note"
 * asks for remarks. "Send the report" (case_action.c) sends it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "args.h"
#include "case_action.h"
#include "session_card.h"

static int run_session_report(struct handler_ctx *ctx)
{
    static const enum wf_state step[] = { WF_S7_PENDAMPINGAN };
    char what[16], arg[8];
    struct db_case c;
    bool go = false;
    int rc = case_choice_begin(ctx, step, 1, WF_EV_REPORT, &c, what, sizeof what, arg,
                               sizeof arg, &go);
    if (rc || !go)
        return rc;
    bool replaced = false;
    rc = session_card_check(ctx, &c, &replaced);
    if (rc || replaced)
        return rc;
    if (arg[0]) { /* no button of the report carries more fields */
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    if (strcmp(what, "note") == 0)
        return case_prompt_start(ctx, &c, "report_note", "", "note", "prompt.report_note");
    struct db_holder holders[16];
    size_t holder_count = 0;
    rc = db_holders_list(ctx->app->db, c.wf.case_id, holders, 16, &holder_count);
    if (rc)
        return rc;
    uint64_t holder = 0;
    bool login_ok = strncmp(what, "login", 5) == 0 && args_decimal(what + 5, 16, &holder) == 0 &&
                    holder >= 1 && holder <= holder_count;
    if (!login_ok && strcmp(what, "usage") != 0 && strcmp(what, "security") != 0) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    cJSON *draft = case_draft_get(ctx->app, c.wf.case_id, 7);
    bool on = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(draft, what));
    cJSON_Delete(draft);
    rc = case_draft_put(ctx->app, c.wf.case_id, 7, what, cJSON_CreateBool(!on));
    if (rc)
        return rc;
    reply_answer(ctx, "answer.noted", false);
    return case_card_buttons_refresh(ctx, &c);
}

const struct handler_entry handler_session_report = {
    .name = "session_report",
    .callback_prefix = "r",
    .roles = ROLE_PELAKSANA,
    .run = run_session_report,
};
