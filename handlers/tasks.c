/* /tugas (alias /tasks): the cases waiting for this official, oldest first,
 * each with a button ("t:<case>") that sends its card again. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "app.h"
#include "args.h"
#include "case_card.h"
#include "case_rahasia.h"
#include "db_clocks.h"
#include "handler.h"
#include "i18n.h"
#include "keyboard.h"
#include "texts.h"
#include "tg_update.h"

#define TASKS_MAX 200
#define TASK_BUTTONS_MAX 30

/* Is the case waiting for this person: their role (held or as Plh), or, in
 * a Pelaksana's step, assigned to them. */
static int run_tasks(struct handler_ctx *ctx)
{
    struct db_case *cases = calloc(TASKS_MAX, sizeof *cases);
    if (!cases)
        return -ENOMEM;
    size_t count = 0;
    int rc = db_cases_open(ctx->app->db, cases, TASKS_MAX, &count);
    struct text t;
    text_init(&t, ctx->app->i18n, ctx->lang);
    cJSON *keyboard = keyboard_new();
    cJSON *row = NULL;
    size_t mine = 0;
    for (size_t i = 0; !rc && i < count; i++) {
        if (!target_waits_for(ctx, &cases[i]))
            continue;
        if (mine++ == 0)
            text_add(&t, "tasks.title", NULL);
        char state_key[48], since[48], due[48] = "-";
        snprintf(state_key, sizeof state_key, "state.%s", wf_state_name(cases[i].wf.state));
        text_when(ctx->app->i18n, ctx->lang, cases[i].state_since, since, sizeof since);
        struct db_clock clock;
        if (db_clock_open(ctx->app->db, cases[i].wf.case_id, &clock) == 0 && !clock.paused_at)
            text_when(ctx->app->i18n, ctx->lang, clock.deadline, due, sizeof due);
        const char *subject = case_rahasia_subject(ctx->app, &cases[i], ctx->update->user_id,
                                                   ctx->update->chat_id, ctx->lang);
        text_add(&t, "tasks.line", "number", cases[i].number, "subject", subject,
                 "state", i18n_text(ctx->app->i18n, ctx->lang, state_key), "since", since,
                 "due", due, NULL);
        if (keyboard && mine <= TASK_BUTTONS_MAX) {
            char data[KEYBOARD_DATA_MAX + 1], label[64];
            snprintf(data, sizeof data, "t:%" PRId64, cases[i].wf.case_id);
            snprintf(label, sizeof label, "\xf0\x9f\x93\x84 %s", cases[i].number);
            if ((mine - 1) % 3 == 0) /* three buttons a row */
                row = keyboard_row(keyboard);
            rc = row ? keyboard_button(row, label, data) : -ENOMEM;
        }
    }
    if (!rc && mine == 0)
        text_add(&t, "tasks.none", NULL);
    char *html = text_take(&t);
    if (!rc)
        rc = html && keyboard ? reply_html(ctx, html, mine ? keyboard : NULL) : -ENOMEM;
    free(html);
    cJSON_Delete(keyboard);
    free(cases);
    return rc;
}

/* "t:<case>": the card of a case that waits for the presser (checked by
 * the framework: handler_task_card's target). */
static int run_task_card(struct handler_ctx *ctx)
{
    reply_answer(ctx, "answer.done", false);
    return case_card_send(ctx->app, &ctx->target->case_row, ctx->update->chat_id, ctx->now_ms);
}

/* "v:<case>": a case's card to read (a superior's reminder), no buttons. */
static int run_case_view(struct handler_ctx *ctx)
{
    char *html = case_card_text_for(ctx->app, &ctx->target->case_row, ctx->lang,
                                    ctx->update->user_id, ctx->update->chat_id);
    if (!html)
        return -ENOMEM;
    reply_answer(ctx, "answer.done", false);
    int rc = reply_html(ctx, html, NULL);
    free(html);
    return rc;
}

const struct handler_entry handler_case_view = {
    .name = "case_view",
    .callback_prefix = "v",
    .roles = ROLE_OFFICIAL | ROLE_ADMIN,
    .target = TARGET_CASE,
    .run = run_case_view,
};

const struct handler_entry handler_tasks = {
    .name = "tasks",
    .command_id = "tugas",
    .command_en = "tasks",
    .roles = ROLE_OFFICIAL,
    .in_menu = true,
    .run = run_tasks,
};

const struct handler_entry handler_task_card = {
    .name = "task_card",
    .callback_prefix = "t",
    .roles = ROLE_OFFICIAL,
    .target = TARGET_CASE,
    .target_checks = TARGET_HOLDER,
    .target_gone = "tasks.not_yours",
    .run = run_task_card,
};
