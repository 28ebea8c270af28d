/* Helpers the operators' subcommands share. */
#include "ops.h"

#include <errno.h>
#include <stdlib.h>

#include "config.h"
#include "instance_lock.h"
#include "log.h"

const char *ops_default_config(void)
{
    const char *path = getenv("SERTIBOT_CONFIG");
    return path && path[0] ? path : "sertibot.json";
}

int ops_config_load(const char *path, struct config *cfg)
{
    char err[512];
    const char *token = getenv("SERTIBOT_TOKEN");
    int rc = config_load(path, token && token[0] ? token : NULL, cfg, err, sizeof err);
    if (rc == -EINVAL)
        /* telegram.token may live only in the service's environment: these
         * commands never talk to Telegram, so a placeholder does. */
        rc = config_load(path, "0:ops-placeholder", cfg, err, sizeof err);
    if (rc)
        log_error("config", "%s", err);
    return rc;
}

bool ops_bot_running(const char *database)
{
    char err[256];
    int fd = instance_lock_take(database, err, sizeof err);
    if (fd >= 0)
        instance_lock_release(fd);
    return fd == -EWOULDBLOCK;
}
