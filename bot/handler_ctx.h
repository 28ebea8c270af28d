/* handler_ctx: what the runtime hands the handler layer for one update.
 *
 * bot/dispatch.c fills the first fields and opens the update's transaction;
 * the handler layer (through app_hooks.apply_update) fills the person's
 * roles and language and sets the answer shown after a button press, which
 * dispatch sends once the transaction has committed. */
#ifndef SERTIBOT_HANDLER_CTX_H
#define SERTIBOT_HANDLER_CTX_H

#include <stdbool.h>
#include <stdint.h>

#include "workflow.h"

struct app;
struct target;
struct tg_update;

struct handler_ctx {
    struct app *app;
    const struct tg_update *update;
    int64_t now_ms;            /* business time, from the app's clock */
    unsigned roles;            /* of the person acting (enum role bits), Plh included */
    struct wf_actor actor;     /* the same person as the workflow sees them */
    const char *lang;          /* the language to answer in */
    const char *command;       /* lower-cased command without '/', or NULL */
    const char *args;          /* text after the command ("" if none) */
    const char *callback_rest; /* callback data after "prefix:" */
    /* What the handler acts on, loaded and checked by the handler layer
     * before the handler runs (handlers/target.h); NULL when none. */
    struct target *target;
    int64_t prompt_chat;       /* the card a prompt's answer acts on (case_prompt.c) */
    int64_t prompt_message;
    char answer[201];          /* answerCallbackQuery text, sent after commit */
    bool answer_alert;
};

#endif
