/* ops: the operators' subcommands (check-config, backup, restore, audit
 * verify, export), one file each (ops_*.c), dispatched from main.c. Each takes
 * the arguments after the subcommand's name (argv[0] is the name) and returns
 * the process's exit code (enum app_exit, or 1 for "audit verify" finding a
 * broken chain). They share the small helpers below. */
#ifndef SERTIBOT_OPS_H
#define SERTIBOT_OPS_H

#include <stdbool.h>

struct config;

int ops_check_config_main(int argc, char **argv);
int ops_backup_main(int argc, char **argv);
int ops_restore_main(int argc, char **argv);
int ops_audit_main(int argc, char **argv);
int ops_export_main(int argc, char **argv);

/* --- shared by the ops_*.c files ----------------------------------------- */
/* $SERTIBOT_CONFIG, else ./sertibot.json. */
const char *ops_default_config(void);
/* Loads the config for a command that needs no token (a placeholder stands in
 * when neither the file nor SERTIBOT_TOKEN has one); the reason is logged.
 * 0 or a negative errno. */
int ops_config_load(const char *path, struct config *cfg);
/* True if a sertibot process holds the instance lock on `database` (the lock
 * is probed and released at once, never kept). */
bool ops_bot_running(const char *database);

#endif
