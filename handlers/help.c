/* /help: the commands this person can use. */
#include "handler.h"

static int run_help(struct handler_ctx *ctx) { return reply_text(ctx, NULL, "help.text", NULL); }

const struct handler_entry handler_help = {
    .name = "help",
    .command_id = "help",
    .roles = ROLE_ANYONE,
    .in_menu = true,
    .run = run_help,
};
