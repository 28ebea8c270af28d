/* storage_alarm: the database cannot be written (disk full, read-only, I/O
 * error). The update that hit it is not acknowledged (the poller fetches it
 * again), and the admins are told once per outage: straight through the Bot
 * API, since the outbox lives in the very database that cannot be written.
 * When a write succeeds again they are told that too, through the outbox. */
#ifndef SERTIBOT_STORAGE_ALARM_H
#define SERTIBOT_STORAGE_ALARM_H

#include <stdbool.h>
#include <stdint.h>

struct app;

/* The storage failed (`error`: a negative errno from db). The first call of
 * an outage logs and tells the admins; later ones only log at debug level. */
void storage_alarm_raise(struct app *app, int error);
/* A write succeeded: ends the outage, if there was one, and queues the
 * admins' "recovered" message. 0 or a negative errno. */
int storage_alarm_clear(struct app *app);

/* --- documents_dir ----------------------------------------------------------
 * A file could not be written into documents_dir. Inside the caller's
 * transaction: true if `error` is the disk's or the folder's fault (full,
 * read-only, not writable, not a folder), and then, the first time of an
 * outage, the admins' message is queued; false for any other error. */
bool storage_alarm_documents(struct app *app, int error, int64_t now_ms);
/* A file was written: ends a documents outage, queuing "recovered", inside
 * the caller's transaction. 0 or a negative errno. */
int storage_alarm_documents_ok(struct app *app, int64_t now_ms);

#endif
