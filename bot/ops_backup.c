/* `sertibot backup FILE [--with-documents DIR] [--config FILE]` and
 * `sertibot restore FILE [--with-documents DIR] [--config FILE]`.
 *
 * Backup runs beside the bot: it takes no instance lock and copies the
 * database with SQLite's online backup API (a consistent snapshot; WAL lets
 * the bot keep writing), then checks the copy, then copies documents_dir
 * (after the database, so every file the copy names is there). Restore
 * refuses while a bot runs on the database and holds the instance lock while
 * it works, so none starts meanwhile; the backup's integrity is checked first. */
#include "ops.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "app.h"
#include "config.h"
#include "instance_lock.h"
#include "log.h"
#include "ops_files.h"

struct backup_args {
    const char *file;
    const char *documents;   /* --with-documents DIR, or NULL */
    const char *config_path;
};

static int parse(const char *name, int argc, char **argv, struct backup_args *a)
{
    a->file = NULL;
    a->documents = NULL;
    a->config_path = ops_default_config();
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--with-documents") == 0 && i + 1 < argc)
            a->documents = argv[++i];
        else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
            a->config_path = argv[++i];
        else if (argv[i][0] != '-' && !a->file)
            a->file = argv[i];
        else
            goto usage;
    }
    if (a->file)
        return 0;
usage:
    fprintf(stderr, "Usage: sertibot %s FILE [--with-documents DIR] [--config FILE]\n", name);
    return -EINVAL;
}

/* documents_dir into `to`; an empty copy when there is none yet (no file
 * received so far), so a restore finds what it was told to use. */
static int backup_documents(const char *from, const char *to, size_t *files, char *err,
                            size_t err_size)
{
    struct stat st;
    if (stat(from, &st) == 0)
        return ops_copy_tree(from, to, files, err, err_size);
    if (mkdir(to, 0700) == 0 || errno == EEXIST)
        return 0;
    int e = errno;
    snprintf(err, err_size, "%s: %s", to, strerror(e));
    return -e;
}

static int backup(const struct backup_args *a, const struct config *cfg)
{
    char err[512];
    size_t files = 0;
    struct stat st;
    if (stat(cfg->database, &st) != 0) {
        log_error("backup", "%s: %s", cfg->database, strerror(errno));
        return EXIT_RUNTIME;
    }
    if (ops_sqlite_copy(cfg->database, a->file, err, sizeof err) != 0 ||
        ops_sqlite_check(a->file, err, sizeof err) != 0) {
        log_error("backup", "%s", err);
        return EXIT_RUNTIME;
    }
    printf("backup: database %s -> %s (integrity ok)\n", cfg->database, a->file);
    if (!a->documents)
        return EXIT_CLEAN;
    if (backup_documents(cfg->documents_dir, a->documents, &files, err, sizeof err) != 0) {
        log_error("backup", "documents: %s", err);
        return EXIT_RUNTIME;
    }
    printf("backup: documents %s -> %s (%zu files)\n", cfg->documents_dir, a->documents, files);
    return EXIT_CLEAN;
}

static int restore(const struct backup_args *a, const struct config *cfg)
{
    char err[512];
    size_t files = 0;
    int exit_code = EXIT_RUNTIME;
    int lock_fd = instance_lock_take(cfg->database, err, sizeof err);
    if (lock_fd < 0) {
        log_error("restore", "%s; stop it first (systemctl stop sertibot)", err);
        return lock_fd == -EWOULDBLOCK ? EXIT_LOCKED : EXIT_RUNTIME;
    }
    if (ops_sqlite_check(a->file, err, sizeof err) != 0) {
        log_error("restore", "%s; nothing was changed", err);
        goto out;
    }
    if (ops_sqlite_copy(a->file, cfg->database, err, sizeof err) != 0) {
        log_error("restore", "%s", err);
        goto out;
    }
    printf("restore: %s -> database %s\n", a->file, cfg->database);
    if (a->documents) {
        if (ops_copy_tree(a->documents, cfg->documents_dir, &files, err, sizeof err) != 0) {
            log_error("restore", "documents: %s", err);
            goto out;
        }
        printf("restore: documents %s -> %s (%zu files)\n", a->documents, cfg->documents_dir,
               files);
    }
    exit_code = EXIT_CLEAN;
out:
    instance_lock_release(lock_fd);
    return exit_code;
}

/* Parses, loads the config, runs `work`: what both commands share. */
static int run(const char *name, int argc, char **argv,
               int (*work)(const struct backup_args *, const struct config *))
{
    struct backup_args a;
    if (parse(name, argc, argv, &a) != 0)
        return EXIT_USAGE;
    struct config cfg;
    if (ops_config_load(a.config_path, &cfg) != 0)
        return EXIT_USAGE;
    int exit_code = work(&a, &cfg);
    config_free(&cfg);
    return exit_code;
}

int ops_backup_main(int argc, char **argv)
{
    return run("backup", argc, argv, backup);
}

int ops_restore_main(int argc, char **argv)
{
    return run("restore", argc, argv, restore);
}
