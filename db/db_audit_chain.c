/* The audit hash chain: canonical form, sealing and verification. */
#include "db_audit_chain.h"

#include <errno.h>
#include <inttypes.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db_internal.h"

static const char genesis[AUDIT_HASH_HEX_LEN + 1] =
    "0000000000000000000000000000000000000000000000000000000000000000";

/* Column order shared by the sealing and the verifying queries. */
#define CHAIN_COLUMNS                                                                      \
    "id, case_id, at, actor_id, acted_as, via_plh, event, note, state_before, state_after, " \
    "prev_hash, hash"
enum { COL_ID, COL_CASE, COL_AT, COL_ACTOR, COL_ROLE, COL_PLH, COL_EVENT, COL_NOTE,
       COL_BEFORE, COL_AFTER, COL_PREV, COL_HASH };

static const char sql_last_sealed[] =
    "SELECT id, hash FROM audit WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1";
static const char sql_unsealed_after[] =
    "SELECT " CHAIN_COLUMNS " FROM audit WHERE id > ?1 ORDER BY id LIMIT 1";
static const char sql_seal[] = "UPDATE audit SET prev_hash = ?2, hash = ?3 WHERE id = ?1";
static const char sql_walk[] = "SELECT " CHAIN_COLUMNS " FROM audit ORDER BY id";

static void put_field(struct buf *b, const char *text, size_t len)
{
    buf_printf(b, "%zu:", len);
    buf_put(b, text, len);
    buf_put(b, "\n", 1);
}

static void put_column(struct buf *b, sqlite3_stmt *stmt, int col)
{
    if (col == COL_NOTE && sqlite3_column_type(stmt, col) == SQLITE_NULL) {
        buf_puts(b, "~\n");
        return;
    }
    const unsigned char *text = sqlite3_column_text(stmt, col);
    put_field(b, text ? (const char *)text : "", (size_t)sqlite3_column_bytes(stmt, col));
}

/* SHA-256 of the canonical form of the row under `stmt`, chained to `prev`. */
static int row_hash(sqlite3_stmt *stmt, const char *prev, char out[AUDIT_HASH_HEX_LEN + 1])
{
    struct buf b = { 0 };
    buf_puts(&b, "sertibot-audit-v1\n");
    for (int col = COL_ID; col <= COL_AFTER; col++)
        put_column(&b, stmt, col);
    put_field(&b, prev, strlen(prev));
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    int rc = 0;
    if (b.failed)
        rc = -ENOMEM;
    else if (EVP_Digest(b.data, b.len, md, &md_len, EVP_sha256(), NULL) != 1 || md_len != 32)
        rc = -EIO;
    free(b.data);
    if (rc)
        return rc;
    for (unsigned int i = 0; i < md_len; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
    return 0;
}

int db_audit_chain_seal(struct db *db)
{
    char prev[AUDIT_HASH_HEX_LEN + 1];
    int64_t last_id = 0;
    memcpy(prev, genesis, sizeof prev);
    sqlite3_stmt *stmt = db_sql(db, sql_last_sealed);
    if (!stmt)
        return -EIO;
    int rc = db_step(db, stmt);
    if (rc == SQLITE_ROW) {
        last_id = sqlite3_column_int64(stmt, 0);
        db_copy_text(prev, sizeof prev, stmt, 1);
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(db, "audit chain head");

    /* One row at a time: the SELECT is finished before its row is updated. */
    sqlite3_stmt *next = db_sql(db, sql_unsealed_after);
    sqlite3_stmt *seal = db_sql(db, sql_seal);
    if (!next || !seal)
        return -EIO;
    for (;;) {
        sqlite3_reset(next);
        sqlite3_bind_int64(next, 1, last_id);
        rc = db_step(db, next);
        if (rc == SQLITE_DONE)
            break;
        if (rc != SQLITE_ROW) {
            sqlite3_reset(next);
            return db_fail(db, "audit chain rows");
        }
        char hash[AUDIT_HASH_HEX_LEN + 1];
        last_id = sqlite3_column_int64(next, COL_ID);
        int result = row_hash(next, prev, hash);
        sqlite3_reset(next);
        if (result)
            return result;
        sqlite3_reset(seal);
        sqlite3_bind_int64(seal, 1, last_id);
        sqlite3_bind_text(seal, 2, prev, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(seal, 3, hash, -1, SQLITE_TRANSIENT);
        result = db_exec_stmt(db, seal, "audit chain seal");
        if (result)
            return result;
        memcpy(prev, hash, sizeof prev);
    }
    sqlite3_reset(next);
    return 0;
}

/* Checks one row against the hash expected before it; a reason or NULL. */
static const char *check_row(sqlite3_stmt *stmt, const char *prev, int *rc)
{
    const unsigned char *stored_prev = sqlite3_column_text(stmt, COL_PREV);
    const unsigned char *stored = sqlite3_column_text(stmt, COL_HASH);
    if (!stored || !stored_prev)
        return "the entry is not sealed (no hash)";
    if (strcmp((const char *)stored_prev, prev) != 0)
        return "its link to the entry before does not match: an entry before it was "
               "removed, inserted or changed";
    char hash[AUDIT_HASH_HEX_LEN + 1];
    *rc = row_hash(stmt, prev, hash);
    if (*rc)
        return NULL;
    if (strcmp((const char *)stored, hash) != 0)
        return "its content does not match its hash: the entry was changed";
    return NULL;
}

int db_audit_verify(struct db *db, struct audit_verify_result *out)
{
    memset(out, 0, sizeof *out);
    char prev[AUDIT_HASH_HEX_LEN + 1];
    memcpy(prev, genesis, sizeof prev);
    sqlite3_stmt *stmt = db_sql(db, sql_walk);
    if (!stmt)
        return -EIO;
    int rc, result = 0;
    while ((rc = db_step(db, stmt)) == SQLITE_ROW) {
        out->entries++;
        const char *reason = check_row(stmt, prev, &result);
        if (result)
            break;
        if (reason) {
            out->broken_id = sqlite3_column_int64(stmt, COL_ID);
            out->broken_case_id = sqlite3_column_int64(stmt, COL_CASE);
            out->reason = reason;
            break;
        }
        db_copy_text(prev, sizeof prev, stmt, COL_HASH);
        memcpy(out->head, prev, sizeof prev);
    }
    if (!result && rc != SQLITE_ROW && rc != SQLITE_DONE)
        result = db_fail(db, "audit verify");
    sqlite3_reset(stmt);
    return result;
}
