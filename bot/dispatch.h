/* dispatch: applies one incoming update, exactly once.
 *
 * Promises: in ONE transaction, the person is recorded, the update is routed
 * to its handler (whose state changes and outgoing messages are written
 * there), and the update offset moves past it. If the handler fails, that
 * transaction is rolled back and a second one records the update as failed,
 * tells the person politely, and moves the offset, so one bad update cannot
 * block the rest. Only if the database cannot commit at all does this return
 * an error, with nothing applied: the update will be fetched again. */
#ifndef SERTIBOT_DISPATCH_H
#define SERTIBOT_DISPATCH_H

#include <cjson/cJSON.h>
#include <stdbool.h>

struct app;

struct dispatch_outcome {
    char callback_id[128]; /* "" unless the update was a button press */
    char answer[201];      /* what to show on the phone for that press */
    bool alert;
};

/* 0 when the update was applied (or recorded as failed) and committed;
 * -EINVAL for an update without update_id (nothing to apply or confirm);
 * -EIO when nothing could be committed; -ENOSPC, -EROFS or -EIO with
 * db_storage_error set when the storage refused the write (the update is
 * left for the next getUpdates, not recorded as failed). */
int dispatch_update(struct app *app, const cJSON *raw_update, struct dispatch_outcome *out);

#endif
