/* storage_alarm: the database cannot be written (disk full, read-only, I/O
 * error). The update that hit it is not acknowledged (the poller fetches it
 * again), and the admins are told once per outage: straight through the Bot
 * API, since the outbox lives in the very database that cannot be written.
 * When a write succeeds again they are told that too, through the outbox. */
#ifndef SERTIBOT_STORAGE_ALARM_H
#define SERTIBOT_STORAGE_ALARM_H

struct app;

/* The storage failed (`error`: a negative errno from db). The first call of
 * an outage logs and tells the admins; later ones only log at debug level. */
void storage_alarm_raise(struct app *app, int error);
/* A write succeeded: ends the outage, if there was one, and queues the
 * admins' "recovered" message. 0 or a negative errno. */
int storage_alarm_clear(struct app *app);

#endif
