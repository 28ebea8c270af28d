/* The requirements checklist on the Kasi's card (step 3):
 * "k:<case>:<version>:<holder>:<item>" turns one item of one certificate
 * holder from unchecked to present, to missing (asking what is missing),
 * and back to unchecked. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "args.h"
#include "case_action.h"
#include "case_card.h"

static int run_checklist(struct handler_ctx *ctx)
{
    static const enum wf_state step[] = { WF_S3_VERIFIKASI_KASI };
    char holder_text[8], item_text[8];
    struct db_case c;
    bool go = false;
    int rc = case_choice_begin(ctx, step, 1, WF_EV_SET_CHECKLIST_COMPLETE, &c, holder_text,
                               sizeof holder_text, item_text, sizeof item_text, &go);
    if (rc || !go)
        return rc;
    struct db_holder holders[16];
    struct db_check checks[DB_CHECKS_MAX];
    size_t holder_count = 0, check_count = 0;
    rc = db_holders_list(ctx->app->db, c.wf.case_id, holders, 16, &holder_count);
    if (!rc)
        rc = db_checks_list(ctx->app->db, c.wf.case_id, checks, DB_CHECKS_MAX, &check_count);
    if (rc)
        return rc;
    uint64_t holder = 0, item = 0;
    if (args_decimal(holder_text, 16, &holder) != 0 || args_decimal(item_text, 64, &item) != 0 ||
        holder < 1 || holder > holder_count || item >= card_check_item_count(ctx->app)) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    int64_t holder_id = holders[holder - 1].id;
    enum db_check_status status = CHECK_UNSET;
    for (size_t i = 0; i < check_count; i++)
        if (checks[i].holder_id == holder_id && strcmp(checks[i].item, item_text) == 0)
            status = checks[i].status;
    enum db_check_status next = status == CHECK_UNSET ? CHECK_OK
                                : status == CHECK_OK  ? CHECK_MISSING
                                                      : CHECK_UNSET;
    rc = db_check_set(ctx->app->db, c.wf.case_id, holder_id, item_text, next, NULL);
    if (rc)
        return rc;
    rc = case_card_buttons_refresh(ctx, &c);
    if (rc || next != CHECK_MISSING) {
        reply_answer(ctx, "answer.noted", false);
        return rc;
    }
    char arg[48];
    snprintf(arg, sizeof arg, "%" PRIu64 ":%" PRIu64, holder, item);
    return case_prompt_start(ctx, &c, "check_note", arg, "note", "prompt.check_note");
}

const struct handler_entry handler_checklist = {
    .name = "checklist",
    .callback_prefix = "k",
    .roles = ROLE_KASI, /* as official or Plh */
    .run = run_checklist,
};
