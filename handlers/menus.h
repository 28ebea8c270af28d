/* menus: the command menu (setMyCommands) each person sees in their chat.
 *
 * Everyone without a menu of their own sees the default scope's, which
 * lists only what anybody and an applicant may use (bootstrap.c). An
 * official, an admin or an acting official (Plh./Plt. today) gets a menu
 * scoped to their own chat (BotCommandScopeChat) with the commands of the
 * handler table their roles allow, in their language. Someone who had such
 * a menu and has no role any more gets the applicant's list in their chat.
 *
 * Menus go out through the outbox, inside the caller's transaction: durable
 * and paced like any message. A hash of the last menu queued for a chat is
 * kept (state "menu:<id>"), so a refresh that changes nothing sends nothing;
 * menus_refresh_all runs as a job, so a role that starts or ends by the
 * calendar (a Plh's first and last day) or by the config is followed too,
 * and so is someone's first message: nobody gets a menu before they have
 * written to the bot (Telegram has no chat with them), nor while they have
 * blocked it. */
#ifndef SERTIBOT_MENUS_H
#define SERTIBOT_MENUS_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>

struct app;

/* The commands a person with `roles` sees, labelled in `lang`; the caller
 * deletes the array. NULL on ENOMEM. */
cJSON *menus_commands(struct app *app, unsigned roles, const char *lang);

/* Queues `user_id`'s menu when it differs from the one last queued. */
int menus_refresh(struct app *app, int64_t user_id, int64_t now_ms);

/* The same for every official and admin (an acting official is an official). */
int menus_refresh_all(struct app *app, int64_t now_ms);

#endif
