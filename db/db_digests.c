/* db_digests: the last digest of each official; see db_digests.h. */
#include "db_digests.h"

#include <errno.h>

#include "db_internal.h"

static const char sql_get[] = "SELECT user_id, day, sent_at, items FROM digests WHERE user_id = ?1";
static const char sql_set[] =
    "INSERT INTO digests (user_id, day, sent_at, items) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT(user_id) DO UPDATE SET day = excluded.day, sent_at = excluded.sent_at, "
    "items = excluded.items";

static void read_digest(sqlite3_stmt *stmt, void *out)
{
    struct db_digest *d = out;
    d->user_id = sqlite3_column_int64(stmt, 0);
    db_copy_text(d->day, sizeof d->day, stmt, 1);
    d->sent_at = sqlite3_column_int64(stmt, 2);
    d->items = sqlite3_column_int(stmt, 3);
}

int db_digest_get(struct db *db, int64_t user_id, struct db_digest *out)
{
    sqlite3_stmt *stmt = db_sql(db, sql_get);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, user_id);
    return db_step_one(db, stmt, "digest get", read_digest, out);
}

int db_digest_set(struct db *db, const struct db_digest *d)
{
    sqlite3_stmt *stmt = db_sql(db, sql_set);
    if (!stmt)
        return -EIO;
    sqlite3_bind_int64(stmt, 1, d->user_id);
    sqlite3_bind_text(stmt, 2, d->day, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 3, d->sent_at);
    sqlite3_bind_int(stmt, 4, d->items);
    return db_exec_stmt(db, stmt, "digest set");
}
