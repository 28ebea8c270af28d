/* db_audit_chain: the audit trail made tamper-evident. Every audit row carries
 * `prev_hash` (the hash of the row before it, by id, across all cases; 64
 * zeros for the first) and `hash`, the SHA-256 of a canonical form of the row
 * that includes prev_hash. Changing, removing or inserting a row breaks the
 * chain at that row or the next, and `db_audit_verify` names it.
 *
 * The canonical form (version 1) is the text "sertibot-audit-v1\n" followed by
 * each of id, case_id, at, actor_id, acted_as, via_plh, event, note,
 * state_before, state_after, prev_hash as "<byte length>:<bytes>\n" (integers
 * in decimal; a NULL note as "~\n"), so no two rows share a form.
 *
 * Same rules as db.h: 0 or a negative errno-style code. */
#ifndef SERTIBOT_DB_AUDIT_CHAIN_H
#define SERTIBOT_DB_AUDIT_CHAIN_H

#include <stdint.h>

struct db;

#define AUDIT_HASH_HEX_LEN 64

/* Seals every row after the last sealed one, in id order: fills prev_hash and
 * hash. Called by db_audit_add for the row it wrote (inside its transaction)
 * and by db_open for rows written before the chain existed. A row left
 * unsealed before a sealed one stays so (verify reports it). */
int db_audit_chain_seal(struct db *db);

struct audit_verify_result {
    int64_t entries;         /* rows checked */
    int64_t broken_id;       /* the first broken row's id; 0 if the chain holds */
    int64_t broken_case_id;
    const char *reason;      /* static text; NULL if the chain holds */
    char head[AUDIT_HASH_HEX_LEN + 1]; /* hash of the last row ("" if none) */
};

/* Walks the whole chain oldest first; 0 with `out` filled (broken or not), or
 * -EIO / -ENOMEM. */
int db_audit_verify(struct db *db, struct audit_verify_result *out);

#endif
