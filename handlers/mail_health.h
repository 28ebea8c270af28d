/* mail_health: whether a mail service ("imap" for reading replies, "smtp"
 * for sending) is down, kept in the database (state keys
 * "mail.<service>.down_since" and "mail.<service>.error"), so the admins are
 * told once when it goes down and once when it is back, even across a
 * restart, and /status can say so. Shared by the receiving side (bot/inbox.c)
 * and the sending side: SMTP can report through the same call.
 *
 * The reason given must never hold a password (curl's own error texts do
 * not). */
#ifndef SERTIBOT_MAIL_HEALTH_H
#define SERTIBOT_MAIL_HEALTH_H

#include <stdbool.h>
#include <stdint.h>

struct app;

/* Records the service up or down (`why`: a short reason, may be NULL) and
 * queues the admins' notice when that changes. Runs its own transaction:
 * call it outside one. 0 or a negative errno. */
int mail_health_report(struct app *app, const char *service, bool down, const char *why,
                       int64_t now_ms);

/* The /status lines for the services that are down (Telegram HTML, caller
 * frees), "" when all are up, NULL on ENOMEM. */
char *mail_health_status_html(struct app *app, const char *lang);

#endif
