/* The disposition sheet on the Kadis's and Kabid's cards (steps 1 and 2):
 * "d:<case>:<version>:i<n>" toggles an instruction, "s<n>" picks the
 * letter's nature (sifat), "r" toggles confidential, "n" asks for a note,
 * "o" opens the sheet folded behind the one-tap default (case_card.c).
 * The choices wait on the card until "Forward" sends them (case_action.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "args.h"
#include "case_action.h"
#include "case_card.h"
#include "json_number.h"

static int toggle_instruction(struct handler_ctx *ctx, const struct db_case *c, size_t index)
{
    int step = wf_state_step(c->wf.state);
    cJSON *draft = case_draft_get(ctx->app, c->wf.case_id, step);
    if (!draft)
        return -ENOMEM;
    cJSON *chosen = cJSON_CreateArray();
    bool was_on = false;
    const cJSON *item;
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(draft, "i")) {
        int64_t other = 0;
        if (json_number_int64(item, 0, INT32_MAX, &other) != 0)
            continue;
        if ((size_t)other == index)
            was_on = true;
        else
            cJSON_AddItemToArray(chosen, cJSON_CreateNumber((double)other));
    }
    if (!was_on)
        cJSON_AddItemToArray(chosen, cJSON_CreateNumber((double)index));
    cJSON_Delete(draft);
    return case_draft_put(ctx->app, c->wf.case_id, step, "i", chosen);
}

/* The case is loaded and the presser may disposition it now (the entry's
 * target): steps 1 and 2 are the only ones with a disposition. */
static int run_disposition(struct handler_ctx *ctx)
{
    struct db_case *c = &ctx->target->case_row;
    const char *what = ctx->target->press.what, *arg = ctx->target->press.arg;
    int rc = 0;
    int step = wf_state_step(c->wf.state);
    uint64_t index = 0;
    bool numbered = args_decimal(what + 1, SIZE_MAX, &index) == 0;
    if (arg[0]) { /* no button of the sheet carries more fields */
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    if (what[0] == 'i' && numbered && index < card_instruction_count(ctx->app)) {
        rc = toggle_instruction(ctx, c, index);
    } else if (what[0] == 's' && numbered && index < CARD_SIFAT_COUNT) {
        rc = case_draft_put(ctx->app, c->wf.case_id, step, "s",
                            cJSON_CreateString(card_sifat_keys[index]));
    } else if (strcmp(what, "r") == 0) {
        cJSON *draft = case_draft_get(ctx->app, c->wf.case_id, step);
        bool secret = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(draft, "r"));
        cJSON_Delete(draft);
        rc = case_draft_put(ctx->app, c->wf.case_id, step, "r", cJSON_CreateBool(!secret));
    } else if (strcmp(what, "o") == 0) {
        rc = case_draft_put(ctx->app, c->wf.case_id, step, "o", cJSON_CreateTrue());
    } else if (strcmp(what, "n") == 0) {
        return case_prompt_start(ctx, c, "disposition_note", "", "note",
                                 "prompt.disposition_note");
    } else {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    if (rc)
        return rc;
    reply_answer(ctx, "answer.noted", false);
    return case_card_buttons_refresh(ctx, c);
}

const struct handler_entry handler_disposition = {
    .name = "disposition",
    .callback_prefix = "d",
    .roles = ROLE_KADIS | ROLE_KABID, /* as official or Plh; the core checks the step */
    .target = TARGET_CASE_AT_STEP,
    .target_checks = TARGET_MAY_ACT,
    .target_event = WF_EV_DISPOSE,
    .run = run_disposition,
};
