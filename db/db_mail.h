/* db_mail: the e-mail queue to BSrE and what became of each message.
 *
 * Promises: a queued mail (db_mail_queue) is a mail_outbox row written in the
 * caller's transaction, so the request commits with the state change or not
 * at all. A mail has exactly one owner: a case (the recommendation; its
 * Message-ID also goes into case_mail_ids, the cases' list that matches
 * BSrE's replies) or a revocation request (aftercare_requests keeps its
 * Message-ID itself); the queue, mail_sent and mail_failed name that owner
 * alone, so a revocation's mail is never listed, exported or withdrawn as
 * the case's that issued the certificate. A row leaves the queue only in the
 * transaction that records the outcome: mail_sent on the server's 250,
 * mail_failed (with the server's text) on a permanent refusal.
 * Strings in struct db_mail are malloc'd and owned by it (db_mail_clear). */
#ifndef SERTIBOT_DB_MAIL_H
#define SERTIBOT_DB_MAIL_H

#include <stddef.h>
#include <stdint.h>

struct db;

struct db_mail {
    int64_t id;
    int64_t case_id;        /* the owner: a case, or */
    int64_t request_id;     /* a revocation request (aftercare_requests.id); the other 0 */
    char *message_id;
    char *mail_from;
    char *mail_to;
    char *mail_cc;          /* NULL when none */
    char *subject;
    char *body;
    char *attachments;      /* JSON array of case_files ids */
    int64_t requested_by;
    unsigned char *message; /* the composed message; NULL until built */
    size_t message_size;
    int64_t created_at;
    int attempts;
};
void db_mail_clear(struct db_mail *m);

/* Queues `m` (id, message, attempts ignored) due at once; *id_out may be NULL.
 * Exactly one of case_id and request_id is set (-EINVAL otherwise). */
int db_mail_queue(struct db *db, const struct db_mail *m, int64_t now_ms, int64_t *id_out);
/* The oldest mail due at `now_ms`; -ENOENT if none. */
int db_mail_next(struct db *db, int64_t now_ms, struct db_mail *out);
/* When the next queued mail falls due; -ENOENT if the queue is empty. */
int db_mail_next_due(struct db *db, int64_t *when_ms);
/* Keeps the composed message, so every retry sends the same bytes. */
int db_mail_set_message(struct db *db, int64_t id, const unsigned char *message, size_t size);
/* A temporary failure: try again at `not_before_ms`; `count` adds an attempt. */
int db_mail_defer(struct db *db, int64_t id, int64_t not_before_ms, int count,
                  const char *error);
/* The server took it: the row goes, a mail_sent row records it. */
int db_mail_sent(struct db *db, const struct db_mail *m, int64_t eml_file, int64_t now_ms);
/* Refused for good: the row moves to mail_failed with `error`. */
int db_mail_failed(struct db *db, const struct db_mail *m, const char *error, int64_t now_ms);
/* The mails of `case_id` still queued move to mail_failed with `reason`
 * (the sending was recorded by hand: sending them too would be a duplicate). */
int db_mail_withdraw_case(struct db *db, int64_t case_id, const char *reason, int64_t now_ms);
/* The mails of revocation request `request_id` still queued, likewise. */
int db_mail_withdraw_request(struct db *db, int64_t request_id, const char *reason,
                             int64_t now_ms);
/* How many mails of `case_id` are queued now (0 or more). */
int db_mail_pending_for_case(struct db *db, int64_t case_id, int *count);
/* How many are queued in all, and how many failed for good. */
int db_mail_counts(struct db *db, int *queued, int *failed);
/* The case a Message-ID ("<...>") belongs to; -ENOENT if none. */
int db_mail_case_of(struct db *db, const char *message_id, int64_t *case_id);

#endif
