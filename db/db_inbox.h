/* db_inbox: the mail the bot reads by IMAP (bot/inbox.c, handlers/inbox_mail.c).
 *
 * Per mailbox (the configured email.imap_url), the UIDVALIDITY and the last
 * UID handled; every message handled, with the case it belongs to once known.
 * The callers move the last UID in the same transaction as the message's
 * row and everything it causes (case files, cards), so a crash loses nothing
 * and a restart fetches nothing twice.
 *
 * Same rules as db.h: prepared statements only; 0 or a negative errno-style
 * code (-ENOENT for "no such row", -EIO for SQLite failures, logged). */
#ifndef SERTIBOT_DB_INBOX_H
#define SERTIBOT_DB_INBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db_cases.h"

struct db;

/* -ENOENT when the mailbox was never read. */
int db_inbox_state_get(struct db *db, const char *mailbox, int64_t *uidvalidity,
                       int64_t *last_uid);
int db_inbox_state_set(struct db *db, const char *mailbox, int64_t uidvalidity, int64_t last_uid,
                       int64_t now_ms);

struct db_inbox_message {
    int64_t id;
    int64_t uidvalidity, uid;
    char message_id[DB_TEXT_MAX];  /* without angle brackets */
    char mail_from[DB_TEXT_MAX];
    char subject[DB_TEXT_MAX];
    int64_t received_at;
    int64_t case_id;               /* 0: none (yet) */
    char status[16];               /* matched, unmatched, attached, ignored, duplicate;
                                    * for a revocation request: matched, late (it
                                    * arrived after the request closed) */
    char matched_by[16];
    int64_t eml_file;              /* case_files row of the .eml; 0 none */
    int64_t request_id;            /* the revocation request it answers; 0 none */
};

/* Adds a message; `raw` (may be NULL) is kept only while it is unmatched. */
int db_inbox_add(struct db *db, const char *mailbox, const struct db_inbox_message *m,
                 const void *raw, size_t raw_size, int64_t *id_out);
int db_inbox_get(struct db *db, int64_t id, struct db_inbox_message *out);
/* The kept bytes of a message, malloc'd (the caller frees); -ENOENT if none. */
int db_inbox_raw(struct db *db, int64_t id, void **raw, size_t *size);
/* Records where a message went (status, case, how, the .eml's row, who
 * decided: 0 for the bot) and drops its kept bytes unless still unmatched. */
int db_inbox_decide(struct db *db, int64_t id, const char *status, int64_t case_id,
                    const char *matched_by, int64_t eml_file, int64_t decided_by);
/* Records that a message answers revocation request `request_id` (status
 * "matched" or "late", how, the .eml's row); never a case's; drops its
 * kept bytes. */
int db_inbox_decide_request(struct db *db, int64_t id, const char *status, int64_t request_id,
                            const char *matched_by, int64_t eml_file);
/* The messages kept as replies to revocation request `request_id` while it
 * was open (status "matched"), oldest first: their ids, at most `max`. */
int db_inbox_request_replies(struct db *db, int64_t request_id, int64_t *ids, size_t max,
                             size_t *count);
/* The attachments kept of the reply whose .eml is `eml_file` (files of the
 * request stored right after it, in its transaction), at most `max`. */
int db_inbox_reply_files(struct db *db, int64_t request_id, int64_t eml_file, int64_t *rows,
                         size_t max, size_t *count);
/* True when a message with this Message-ID (without brackets) was handled
 * already (a copy, or the same one after the mailbox's UIDVALIDITY changed). */
int db_inbox_seen(struct db *db, const char *message_id, bool *seen);

/* The case whose sent mail had this Message-ID (case_mail_ids; with or
 * without angle brackets there); -ENOENT if none. */
int db_case_of_mail_id(struct db *db, const char *message_id, int64_t *case_id);

#endif
