/* The scratch database file of a db/ unit test: a path of its own under
 * /tmp (name and pid), removed with its WAL and shm files, and opened by
 * db_open or the test fails. Header-only, for tests/unit/test_db*.c, after
 * cmocka.h. */
#ifndef SERTIBOT_DB_TEST_FILE_H
#define SERTIBOT_DB_TEST_FILE_H

#include <stdio.h>
#include <unistd.h>

#include "db.h"

static inline void db_test_file_remove(const char *path)
{
    char other[300];
    unlink(path);
    snprintf(other, sizeof other, "%s-wal", path);
    unlink(other);
    snprintf(other, sizeof other, "%s-shm", path);
    unlink(other);
}

/* Sets `path` to a fresh /tmp/sertibot-<name>-<pid>.db, removed if left over. */
static inline void db_test_file_new(char *path, size_t size, const char *name)
{
    snprintf(path, size, "/tmp/sertibot-%s-%d.db", name, (int)getpid());
    db_test_file_remove(path);
}

/* The database at `path`, opened (and migrated), or the test fails. */
static inline struct db *db_test_open(const char *path)
{
    struct db *db;
    char err[256];
    if (db_open(path, &db, err, sizeof err) != 0)
        fail_msg("db_open: %s", err);
    return db;
}

#endif
