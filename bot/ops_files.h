/* ops_files: what backup and restore share: copying a directory tree (the
 * documents) and checking an SQLite file before it is trusted. */
#ifndef SERTIBOT_OPS_FILES_H
#define SERTIBOT_OPS_FILES_H

#include <stddef.h>

/* Copies the regular files and directories under `from` into `to` (created
 * owner-only; existing files of the same name are replaced through a
 * temporary name and rename), counting the files copied. Symlinks and other
 * kinds are skipped. 0, or a negative errno with `err` naming the path. */
int ops_copy_tree(const char *from, const char *to, size_t *files, char *err, size_t err_size);

/* Opens `path` read-only and runs PRAGMA integrity_check; checks the schema is
 * one this build knows. 0, -EINVAL (damaged or too new: `err` says why) or -EIO. */
int ops_sqlite_check(const char *path, char *err, size_t err_size);

/* Copies database `from` into `to` with SQLite's online backup API, in
 * slices, while others may write `from` (WAL: a reader blocks no writer).
 * `to` is created owner-only if missing, and overwritten. 0 or -EIO with `err`. */
int ops_sqlite_copy(const char *from, const char *to, char *err, size_t err_size);

#endif
