/* handlers: the handler layer's one registration.
 *
 * The runtime (bot/) cannot call up into this layer by name; at start-up,
 * before the loop runs, handlers_register gives it the entry points it
 * needs (bot/app_hooks.h): apply an update, build the command menu, run the
 * due jobs, record a mail outcome. */
#ifndef SERTIBOT_HANDLERS_H
#define SERTIBOT_HANDLERS_H

struct app;

void handlers_register(struct app *app);

#endif
