/* Directory copies and SQLite copies for backup and restore. */
#include "ops_files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"

static int copy_file(const char *from, const char *to, char *err, size_t err_size)
{
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.partial", to) >= sizeof tmp) {
        snprintf(err, err_size, "%s: path too long", to);
        return -ENAMETOOLONG;
    }
    int in = open(from, O_RDONLY | O_CLOEXEC);
    int out = in < 0 ? -1 : open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int rc = 0;
    const char *where = in < 0 ? from : tmp;
    if (in < 0 || out < 0) {
        rc = -errno;
        goto out;
    }
    char block[65536];
    ssize_t n;
    while ((n = read(in, block, sizeof block)) > 0) {
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(out, block + done, (size_t)(n - done));
            if (w < 0) {
                rc = -errno;
                goto out;
            }
            done += w;
        }
    }
    if (n < 0) {
        rc = -errno;
        where = from;
    } else if (fsync(out) != 0) {
        rc = -errno;
    }
out:
    if (out >= 0 && close(out) != 0 && !rc)
        rc = -errno;
    if (in >= 0)
        close(in);
    if (!rc && rename(tmp, to) != 0) {
        rc = -errno;
        where = to;
    }
    if (rc) {
        unlink(tmp);
        snprintf(err, err_size, "%s: %s", where, strerror(-rc));
    }
    return rc;
}

int ops_copy_tree(const char *from, const char *to, size_t *files, char *err, size_t err_size)
{
    if (mkdir(to, 0700) != 0 && errno != EEXIST) {
        int e = errno;
        snprintf(err, err_size, "%s: %s", to, strerror(e));
        return -e;
    }
    DIR *dir = opendir(from);
    if (!dir) {
        int e = errno;
        snprintf(err, err_size, "%s: %s", from, strerror(e));
        return -e;
    }
    int rc = 0;
    struct dirent *entry;
    while (!rc && (entry = readdir(dir)) != NULL) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        char src[4096], dst[4096];
        if ((size_t)snprintf(src, sizeof src, "%s/%s", from, entry->d_name) >= sizeof src ||
            (size_t)snprintf(dst, sizeof dst, "%s/%s", to, entry->d_name) >= sizeof dst) {
            snprintf(err, err_size, "%s/%s: path too long", from, entry->d_name);
            rc = -ENAMETOOLONG;
            break;
        }
        struct stat st;
        if (lstat(src, &st) != 0)
            continue; /* removed meanwhile */
        if (S_ISDIR(st.st_mode)) {
            rc = ops_copy_tree(src, dst, files, err, err_size);
        } else if (S_ISREG(st.st_mode)) {
            rc = copy_file(src, dst, err, err_size);
            if (!rc)
                (*files)++;
        }
    }
    closedir(dir);
    return rc;
}

static int integrity_row(void *data, int columns, char **values, char **names)
{
    (void)names;
    char *first = data;
    if (columns > 0 && !first[0])
        snprintf(first, 256, "%s", values[0] ? values[0] : "(null)");
    return 0;
}

int ops_sqlite_check(const char *path, char *err, size_t err_size)
{
    sqlite3 *conn = NULL;
    char first[256] = "";
    int version = -1;
    int rc = -EIO;
    if (access(path, R_OK) != 0) {
        snprintf(err, err_size, "%s: %s", path, strerror(errno));
        return -ENOENT;
    }
    if (sqlite3_open_v2(path, &conn, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_exec(conn, "PRAGMA integrity_check", integrity_row, first, NULL) != SQLITE_OK) {
        snprintf(err, err_size, "%s: %s", path, conn ? sqlite3_errmsg(conn) : "cannot open");
        goto out;
    }
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(conn, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW)
        version = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    rc = -EINVAL;
    if (strcmp(first, "ok") != 0)
        snprintf(err, err_size, "%s: integrity check failed: %s", path, first);
    else if (version < 1 || version > db_schema_latest())
        snprintf(err, err_size, "%s: schema %d is not one this sertibot knows (1-%d)", path,
                 version, db_schema_latest());
    else
        rc = 0;
out:
    sqlite3_close(conn);
    return rc;
}

/* A slice of pages per step, then a pause so the bot's writes go first. If
 * the bot writes so much that the copy keeps restarting, the rest is copied
 * in one step: in WAL mode that holds a read snapshot, which blocks no one. */
#define BACKUP_PAGES_PER_STEP 256
#define BACKUP_PAUSE_MS 5
#define BACKUP_MAX_RESTARTS 20

static int backup_run(sqlite3 *src, sqlite3 *dst)
{
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b)
        return sqlite3_errcode(dst);
    int rc, restarts = 0, last_remaining = -1;
    do {
        int pages = restarts < BACKUP_MAX_RESTARTS ? BACKUP_PAGES_PER_STEP : -1;
        rc = sqlite3_backup_step(b, pages);
        int remaining = sqlite3_backup_remaining(b);
        if (last_remaining >= 0 && remaining > last_remaining)
            restarts++;
        last_remaining = remaining;
        if (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            sqlite3_sleep(BACKUP_PAUSE_MS);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    int finish = sqlite3_backup_finish(b);
    return rc == SQLITE_DONE ? finish : rc;
}

int ops_sqlite_copy(const char *from, const char *to, char *err, size_t err_size)
{
    sqlite3 *src = NULL, *dst = NULL;
    int fd = open(to, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(err, err_size, "%s: %s", to, strerror(errno));
        return -EIO;
    }
    close(fd);
    int rc = -EIO;
    if (sqlite3_open_v2(from, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        snprintf(err, err_size, "%s: %s", from, src ? sqlite3_errmsg(src) : "cannot open");
        goto out;
    }
    if (sqlite3_open_v2(to, &dst, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        snprintf(err, err_size, "%s: %s", to, dst ? sqlite3_errmsg(dst) : "cannot open");
        goto out;
    }
    sqlite3_busy_timeout(src, 2000);
    sqlite3_busy_timeout(dst, 2000);
    int code = backup_run(src, dst);
    if (code != SQLITE_OK) {
        snprintf(err, err_size, "copying %s to %s: %s", from, to, sqlite3_errstr(code));
        goto out;
    }
    rc = 0;
out:
    sqlite3_close(dst);
    sqlite3_close(src);
    return rc;
}
