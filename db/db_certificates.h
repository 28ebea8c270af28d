/* db_certificates: the register of certificate holders (register sertifikat).
 *
 * Every holder of a case becomes a row here: who (name, NIP, jabatan,
 * official e-mail), of which agency, from which case, when the assisted
 * session saw them log in, the certificate's status and the last day it is
 * valid. A holder has at most one live row per agency (any status but
 * revoked); a revoked row stays as history, and the same NIP may be
 * registered again, at the same agency or another.
 *
 * Statuses follow the ones BSrE integrations use: waiting (the request is
 * under way), issued, renewal requested, expired, revoked.
 *
 * Same rules as db.h: functions return 0 or a negative errno (-ENOENT: no
 * row; -EEXIST: the holder already has a live row where a new one was
 * asked); nothing is allocated, every struct is filled in place. Dates are
 * "YYYY-MM-DD" (WIB), times are business ms. */
#ifndef SERTIBOT_DB_CERTIFICATES_H
#define SERTIBOT_DB_CERTIFICATES_H

#include <stddef.h>
#include <stdint.h>

#include "db_cases.h"

struct db;

enum db_cert_status {
    DB_CERT_WAITING,
    DB_CERT_ISSUED,
    DB_CERT_RENEWAL_REQUESTED,
    DB_CERT_EXPIRED,
    DB_CERT_REVOKED,
    DB_CERT_STATUS_COUNT
};

/* "waiting", "issued", "renewal_requested", "expired", "revoked": the name
 * stored and the suffix of the locale keys; NULL for anything else. */
const char *db_cert_status_name(enum db_cert_status status);
/* The inverse; 0 or -EINVAL. */
int db_cert_status_parse(const char *name, enum db_cert_status *status);

struct db_certificate {
    int64_t id;
    int64_t agency_id;
    char nip[24];
    char name[DB_TEXT_MAX];
    char jabatan[DB_TEXT_MAX];
    char email[DB_TEXT_MAX];
    int64_t case_id;            /* the case that issued or last renewed it */
    enum db_cert_status status;
    int64_t login_at;           /* ms, 0: not seen yet */
    char valid_until[11];       /* "" while unknown */
    int64_t renewal_case_id;    /* 0: none */
    int reminded_days;          /* the nearest reminder sent; 0: none */
    int64_t revoked_at;         /* ms, 0 if not revoked */
    char revoke_reason[DB_TEXT_MAX];
    int64_t created_at, updated_at;
};

/* Records the holder `c` describes (agency_id, nip, name, jabatan, email,
 * case_id, status, login_at, valid_until) as of `now`: updates the holder's
 * live row at that agency if there is one, else inserts one. A new
 * valid_until forgets the reminders sent for the old one and ends a pending
 * renewal (renewal_case_id back to 0). Sets *id when `id` is not NULL. */
int db_certificate_record(struct db *db, const struct db_certificate *c, int64_t now,
                          int64_t *id);
int db_certificate_get(struct db *db, int64_t id, struct db_certificate *out);
/* The holder's live row at `agency_id`; -ENOENT if none. */
int db_certificate_find_live(struct db *db, int64_t agency_id, const char *nip,
                             struct db_certificate *out);
int db_certificate_set_status(struct db *db, int64_t id, enum db_cert_status status,
                              int64_t now);
/* A renewal request is under way for the row: status renewal requested. */
int db_certificate_set_renewal(struct db *db, int64_t id, int64_t renewal_case_id,
                               int64_t now);
/* The reminder `days` before valid_until has gone out. */
int db_certificate_set_reminded(struct db *db, int64_t id, int days, int64_t now);
int db_certificate_revoke(struct db *db, int64_t id, const char *reason, int64_t revoked_at,
                          int64_t now);

/* Rows whose name or NIP contains `text` (case aside; spaces in a NIP
 * aside), newest first; `agency_id` > 0 looks at that agency only. */
int db_certificates_search(struct db *db, const char *text, int64_t agency_id,
                           struct db_certificate *out, size_t max, size_t *count);
/* An agency's rows, live ones first, then by name. */
int db_certificates_of_agency(struct db *db, int64_t agency_id, struct db_certificate *out,
                              size_t max, size_t *count);
/* Issued or renewal-requested rows whose valid_until is in [from, to],
 * soonest first. */
int db_certificates_ending(struct db *db, const char *from, const char *to,
                           struct db_certificate *out, size_t max, size_t *count);
/* Issued rows whose valid_until is in [from, to] and that still wait for a
 * reminder: none sent yet, or the last sent (reminded_days) more days
 * before the end than `last_day`, the final reminder; soonest first. The
 * renewal round's rows, so the ones fully reminded take no place. */
int db_certificates_to_remind(struct db *db, const char *from, const char *to, int last_day,
                              struct db_certificate *out, size_t max, size_t *count);
/* Every row, by agency then name, to `each` (a non-zero return stops the
 * walk and is returned): the admins' CSV export. */
int db_certificates_each(struct db *db, int (*each)(const struct db_certificate *, void *),
                         void *data);

/* --- the register's overview (handlers/certificates*.c, report.c) ---------- */

/* Live rows per agency (agencies without any left out), by agency id. */
struct db_cert_agency_count {
    int64_t agency_id;
    int live;
};
int db_certificates_agency_counts(struct db *db, struct db_cert_agency_count *out, size_t max,
                                  size_t *count);

/* Issued or renewal-requested rows whose valid_until is before `today`
 * ("YYYY-MM-DD") become expired as of `now`; each such row, as it was
 * before, goes to `each` (may be NULL; a non-zero return stops the walk and
 * is returned) and *count (may be NULL) says how many changed. */
int db_certificates_expire(struct db *db, const char *today, int64_t now,
                           int (*each)(const struct db_certificate *, void *), void *data,
                           size_t *count);

/* A month's figures: issued (the login seen in [from_ms, to_ms)), expired
 * (an expired row whose valid_until is in [first_day, last_day]), revoked
 * (revoked in [from_ms, to_ms)), and, as of `today`, the live rows ending
 * within [today, soon_day]. */
struct db_cert_figures {
    int issued, expired, revoked, ending_soon;
};
int db_certificates_figures(struct db *db, int64_t from_ms, int64_t to_ms, const char *first_day,
                            const char *last_day, const char *today, const char *soon_day,
                            struct db_cert_figures *out);

#endif
