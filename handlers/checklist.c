/* The requirements checklist on the Kasi's card (step 3), one button per item
 * of each certificate holder, "k:<case>:<version>:<holder>:<what>":
 * - <what> = <item>: unchecked becomes present; missing becomes unchecked;
 *   present is not marked missing at once: the first tap explains what a
 *   second tap does and arms the button ("?", data x<item>);
 * - <what> = x<item>: the second tap; a present item becomes missing and the
 *   Kasi is asked what is missing;
 * - <what> = a: every item of that holder is present ("Semua lengkap").
 * The armed item is kept as "arm" in the case's step-3 card draft, with the
 * case's version, so the card is redrawn from the database as always; any
 * other tap disarms it. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "args.h"
#include "case_action.h"
#include "case_card.h"
#include "i18n.h"

enum check_tap { TAP_ITEM, TAP_CONFIRM_MISSING, TAP_ALL };

/* What a tap asks, from untrusted data: holder 1..holder_count, item below
 * the number of items; -EINVAL for anything else. */
static int parse_tap(struct app *app, const char *holder_text, const char *what,
                     size_t holder_count, uint64_t *holder, uint64_t *item, enum check_tap *tap)
{
    *item = 0;
    *tap = what[0] == 'a' ? TAP_ALL : what[0] == 'x' ? TAP_CONFIRM_MISSING : TAP_ITEM;
    if (args_decimal(holder_text, DB_HOLDERS_MAX, holder) != 0 || *holder < 1 || *holder > holder_count)
        return -EINVAL;
    if (*tap == TAP_ALL)
        return what[1] == '\0' ? 0 : -EINVAL;
    const char *digits = *tap == TAP_CONFIRM_MISSING ? what + 1 : what;
    if (args_decimal(digits, 64, item) != 0 || *item >= card_check_item_count(app))
        return -EINVAL;
    return 0;
}

static enum db_check_status status_of(const struct db_check *checks, size_t count,
                                      int64_t holder_id, const char *item)
{
    for (size_t i = 0; i < count; i++)
        if (checks[i].holder_id == holder_id && strcmp(checks[i].item, item) == 0)
            return checks[i].status;
    return CHECK_UNSET;
}

/* Arms "<version>:<holder>:<item>" for its second tap, or disarms (holder
 * 0). The version voids an arm left when the case moved on. */
static int arm(struct app *app, const struct db_case *c, uint64_t holder, uint64_t item)
{
    char spot[64];
    snprintf(spot, sizeof spot, "%" PRIu32 ":%" PRIu64 ":%" PRIu64, c->wf.version, holder, item);
    return case_draft_put(app, c->wf.case_id, 3, "arm",
                          holder ? cJSON_CreateString(spot) : cJSON_CreateNull());
}

static int mark_all(struct app *app, int64_t case_id, int64_t holder_id)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < card_check_item_count(app); i++) {
        char item[24];
        snprintf(item, sizeof item, "%zu", i);
        rc = db_check_set(app->db, case_id, holder_id, item, CHECK_OK, NULL);
    }
    return rc;
}

/* The first tap on a present item: nothing changes but the button. */
static int explain_second_tap(struct handler_ctx *ctx, const struct db_case *c, uint64_t holder,
                              uint64_t item)
{
    int rc = arm(ctx->app, c, holder, item);
    if (!rc)
        rc = case_card_buttons_refresh(ctx, c);
    if (!rc)
        reply_answer(ctx, "checklist.confirm_missing", true);
    return rc;
}

/* An armed button from a card drawn before someone else changed the item. */
static int refuse_stale_arm(struct handler_ctx *ctx, const struct db_case *c)
{
    int rc = arm(ctx->app, c, 0, 0);
    if (!rc)
        rc = case_card_buttons_refresh(ctx, c);
    reply_answer(ctx, "error.stale_button", false);
    return rc;
}

/* Marks what the tap asks; a confirmed "missing" asks what is missing. */
static int apply_tap(struct handler_ctx *ctx, const struct db_case *c, enum check_tap tap,
                     uint64_t holder, int64_t holder_id, uint64_t item,
                     enum db_check_status status)
{
    char item_key[24];
    snprintf(item_key, sizeof item_key, "%" PRIu64, item);
    enum db_check_status next = tap == TAP_CONFIRM_MISSING ? CHECK_MISSING
                                : status == CHECK_UNSET     ? CHECK_OK
                                                           : CHECK_UNSET;
    int rc = arm(ctx->app, c, 0, 0);
    if (!rc)
        rc = tap == TAP_ALL ? mark_all(ctx->app, c->wf.case_id, holder_id)
                            : db_check_set(ctx->app->db, c->wf.case_id, holder_id, item_key, next,
                                           NULL);
    if (!rc)
        rc = case_card_buttons_refresh(ctx, c);
    if (rc || tap != TAP_CONFIRM_MISSING) {
        reply_answer(ctx, "answer.noted", false);
        return rc;
    }
    char arg[48];
    snprintf(arg, sizeof arg, "%" PRIu64 ":%" PRIu64, holder, item);
    return case_prompt_start(ctx, c, "check_note", arg, "note", "prompt.check_note");
}

/* "k:<case>:<version>:<holder>:<what>", loaded and authorised by the
 * framework (the entry's target: the case at step 3, the Kasi's to act on). */
static int run_checklist(struct handler_ctx *ctx)
{
    const struct db_case c = ctx->target->case_row;
    const char *holder_text = ctx->target->press.what, *what = ctx->target->press.arg;
    char item_key[24];
    struct db_holder holders[DB_HOLDERS_MAX];
    struct db_check checks[DB_CHECKS_MAX];
    size_t holder_count = 0, check_count = 0;
    uint64_t holder = 0, item = 0;
    enum check_tap tap;
    int rc = db_holders_list(ctx->app->db, c.wf.case_id, holders, DB_HOLDERS_MAX, &holder_count);
    if (!rc)
        rc = db_checks_list(ctx->app->db, c.wf.case_id, checks, DB_CHECKS_MAX, &check_count);
    if (rc)
        goto out;
    if (parse_tap(ctx->app, holder_text, what, holder_count, &holder, &item, &tap) != 0) {
        reply_answer(ctx, "error.stale_button", false);
        goto out;
    }
    int64_t holder_id = holders[holder - 1].id;
    snprintf(item_key, sizeof item_key, "%" PRIu64, item);
    enum db_check_status status = status_of(checks, check_count, holder_id, item_key);
    if (tap == TAP_ITEM && status == CHECK_OK)
        rc = explain_second_tap(ctx, &c, holder, item);
    else if (tap == TAP_CONFIRM_MISSING && status != CHECK_OK)
        rc = refuse_stale_arm(ctx, &c);
    else
        rc = apply_tap(ctx, &c, tap, holder, holder_id, item, status);
out:
    return rc;
}

const struct handler_entry handler_checklist = {
    .name = "checklist",
    .callback_prefix = "k",
    .roles = ROLE_KASI, /* as official or Plh */
    .target = TARGET_CASE_AT_STEP,
    .target_checks = TARGET_MAY_ACT,
    .target_event = WF_EV_SET_CHECKLIST_COMPLETE,
    .run = run_checklist,
};
