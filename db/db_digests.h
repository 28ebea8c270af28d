/* db_digests: the officials' daily digest (handlers/digest.c) as stored: per
 * person, the last day (WIB, "YYYY-MM-DD") a digest went to them, when, and
 * how many items it listed. Written in the scheduler's transaction with the
 * digest's outbox row, so it is sent once per person per day across a
 * restart. Same rules as db.h: 0 or a negative errno (-ENOENT: no row). */
#ifndef SERTIBOT_DB_DIGESTS_H
#define SERTIBOT_DB_DIGESTS_H

#include <stddef.h>
#include <stdint.h>

struct db;

struct db_digest {
    int64_t user_id;
    char day[11];     /* YYYY-MM-DD */
    int64_t sent_at;  /* ms */
    int items;
};

int db_digest_get(struct db *db, int64_t user_id, struct db_digest *out); /* -ENOENT */
/* Inserts or replaces the person's row. */
int db_digest_set(struct db *db, const struct db_digest *d);

#endif
