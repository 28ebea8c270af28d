/* session_card: step 7 has exactly one live report card.
 *
 * The Pelaksana gets the step-7 card when the session is agreed, and again
 * once the session's time is over, with the question for the report. The
 * new card replaces the old one: the old card is edited into the case's
 * summary and "replaced by the new card below", without buttons, and its
 * message id is kept (card_messages, "retired:<case>:<chat>"); the server
 * refuses a press on that card or any older one in the Pelaksana's chat
 * (Telegram numbers a chat's messages in order), even one that arrives
 * before the edit does. The new card, sent after, is the live one.
 *
 * Both run inside the caller's transaction; 0 or a negative errno. */
#ifndef SERTIBOT_SESSION_CARD_H
#define SERTIBOT_SESSION_CARD_H

#include <stdbool.h>
#include <stdint.h>

#include "db_cases.h"

struct app;
struct handler_ctx;

/* Closes the card of case `c` that `chat` has (if the bot knows it) and
 * retires it with every older one; the caller sends the new card
 * (case_card_send) after whatever it says first. */
int session_card_retire(struct app *app, const struct db_case *c, int64_t chat, int64_t now_ms);

/* For a press in step 7 in the Pelaksana's chat: *refused when it came from
 * a card that is not the live one (then the press has been answered and that
 * card closed). Any other press: nothing, *refused false. */
int session_card_check(struct handler_ctx *ctx, const struct db_case *c, bool *refused);

#endif
