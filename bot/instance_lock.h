/* instance_lock: only one sertibot may poll a token, and two on one database
 * would both think they own the outbox. An exclusive lock on "<database>.lock"
 * is held for the life of the process; the kernel drops it when the process
 * dies, even by kill -9, so a crash never leaves a stale lock behind. */
#ifndef SERTIBOT_INSTANCE_LOCK_H
#define SERTIBOT_INSTANCE_LOCK_H

#include <stddef.h>

/* Takes the lock. Returns an fd to keep open (>= 0), -EWOULDBLOCK when another
 * process holds it, or another negative errno; `err` explains. */
int instance_lock_take(const char *database_path, char *err, size_t err_size);
void instance_lock_release(int fd);

#endif
