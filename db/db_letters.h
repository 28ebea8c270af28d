/* db_letters: the outgoing letters (surat keluar) and the officials'
 * signature details.
 *
 * Promises (as db.h: prepared statements only, 0 or a negative errno-style
 * code, -ENOENT for "no such row", -EIO for SQLite failures, logged; strings
 * in structs are fixed buffers, truncated, never overflowing):
 * - A letter's sequence is per kind per year: db_outgoing_next_seq and
 *   db_outgoing_add in the caller's transaction give each signed letter the
 *   next number of its kind and year, without gaps; the table refuses a
 *   duplicate (kind, year, seq), so two signings can never share a number.
 * - Rows are never changed or deleted: the register is an archive. */
#ifndef SERTIBOT_DB_LETTERS_H
#define SERTIBOT_DB_LETTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct official;

#define DB_LETTER_NUMBER_MAX 96
#define DB_LETTER_TEXT_MAX 256

struct db_outgoing_letter {
    int64_t id;
    int64_t case_id;
    char kind[16];               /* "recommendation" or "notification" */
    int year;
    int seq;
    char number[DB_LETTER_NUMBER_MAX];
    char letter_date[11];        /* YYYY-MM-DD, WIB */
    int64_t signed_at;           /* ms */
    int64_t signer_id;
    bool via_plh;
    char addressee[DB_LETTER_TEXT_MAX];
    char subject[DB_LETTER_TEXT_MAX];
    char case_number[24];        /* read only: the case's SE-0001 */
};

/* The next sequence number of `kind` in `year` (1 for the first). */
int db_outgoing_next_seq(struct db *db, const char *kind, int year, int *seq);
/* Records a signed letter (every field but id and case_number); sets l->id.
 * -EEXIST-like -EIO if (kind, year, seq) is taken. */
int db_outgoing_add(struct db *db, struct db_outgoing_letter *l);
/* The case's latest letter of `kind`; -ENOENT if none was signed. */
int db_outgoing_latest(struct db *db, int64_t case_id, const char *kind,
                       struct db_outgoing_letter *out);
/* Letters signed in [from_ms, to_ms), by kind, year and sequence; `each`
 * returning non-zero stops the walk, and that value is returned. */
int db_outgoing_between(struct db *db, int64_t from_ms, int64_t to_ms,
                        int (*each)(const struct db_outgoing_letter *, void *), void *data);

/* --- signature details ------------------------------------------------------ */
#define DB_NIP_MAX 24

struct db_official_details {
    char nip[DB_NIP_MAX];        /* 18 digits, "" when unknown */
    char rank[DB_LETTER_TEXT_MAX];  /* pangkat/golongan, "" when unknown */
    char title[DB_LETTER_TEXT_MAX]; /* name with academic titles, "" when unknown */
};

/* Writes the config's NIP, pangkat/golongan and titled name of each listed
 * official onto their row, whoever last changed their role or name: an
 * admin's changes in chat concern those, and no chat form edits these. */
int db_official_details_sync(struct db *db, const struct official *officials,
                             size_t count);
/* The details of `telegram_id` (all "" when none are known); -ENOENT if the
 * person is no official, active or not. */
int db_official_details_get(struct db *db, int64_t telegram_id, struct db_official_details *out);

#endif
