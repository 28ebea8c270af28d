#include "instance_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

int instance_lock_take(const char *database_path, char *err, size_t err_size)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s.lock", database_path) >= sizeof path) {
        snprintf(err, err_size, "database path too long");
        return -ENAMETOOLONG;
    }
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        int e = errno;
        snprintf(err, err_size, "cannot open lock file %s: %s", path, strerror(e));
        return -e;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(fd);
        if (e == EWOULDBLOCK) {
            snprintf(err, err_size,
                     "another sertibot is already running on the database %s; "
                     "only one instance may poll a bot token",
                     database_path);
            return -EWOULDBLOCK;
        }
        snprintf(err, err_size, "cannot lock %s: %s", path, strerror(e));
        return -e;
    }
    return fd;
}

void instance_lock_release(int fd)
{
    if (fd >= 0)
        close(fd);
}
