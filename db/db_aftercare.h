/* db_aftercare: the revocation and help requests (core/aftercare.h) as
 * stored, and their audit lines.
 *
 * Same rules as db.h: functions return 0 or a negative errno (-ENOENT: no
 * row; -EEXIST: the register row already has an open request of that kind);
 * nothing is allocated, every struct is filled in place. Times are business
 * ms; dates "YYYY-MM-DD" (WIB). */
#ifndef SERTIBOT_DB_AFTERCARE_H
#define SERTIBOT_DB_AFTERCARE_H

#include <stddef.h>
#include <stdint.h>

#include "aftercare.h"
#include "db_cases.h"
#include "sla_report.h"

struct db;

struct db_aftercare {
    struct ac_request r;        /* id, kind, state, version, agency, requester, Pelaksana */
    int64_t certificate_id;
    enum ac_reason reason;
    char event_date[11];        /* revoke: the day the holder moved, retired or died */
    char note[DB_TEXT_MAX * 4];
    int64_t letter_file;        /* the supporting letter (case_files); 0 none */
    char message_id[300];       /* the e-mail to BSrE; "" none */
    int64_t mail_sent_at;
    int standard_minutes;       /* help: its standard time (office minutes) */
    int remind_stage;           /* help: the next reminder's stage (sla.h) */
    int64_t next_due;           /* help: when it is due; 0 none */
    int64_t office_ms;          /* help: office time it took, once closed */
    int64_t created_at, updated_at, closed_at;
};

/* Inserts `a` (r.id ignored) as of `now`; sets *id. -EEXIST when the row
 * already has an open request of the kind. */
int db_aftercare_add(struct db *db, const struct db_aftercare *a, int64_t now, int64_t *id);
int db_aftercare_get(struct db *db, int64_t id, struct db_aftercare *out);
/* The open request of `kind` for a register row; -ENOENT if none. */
int db_aftercare_open_for(struct db *db, int64_t certificate_id, enum ac_kind kind,
                          struct db_aftercare *out);
/* Writes the state machine's new request (state, version, Pelaksana; closed_at
 * when it closes) and `note` when not NULL. -ENOENT if the id is unknown. */
int db_aftercare_update(struct db *db, const struct ac_request *after, const char *note,
                        int64_t now);
/* The Message-ID of the e-mail queued to BSrE for the request. */
int db_aftercare_set_message_id(struct db *db, int64_t id, const char *message_id);
/* The server took the e-mail. */
int db_aftercare_mail_sent(struct db *db, int64_t id, int64_t now);
/* The request whose e-mail has this Message-ID; -ENOENT if none. */
int db_aftercare_by_message_id(struct db *db, const char *message_id,
                               struct db_aftercare *out);
/* The revocation request whose e-mail had this Message-ID, given with or
 * without its angle brackets (as an In-Reply-To is read); -ENOENT if none. */
int db_aftercare_revoke_of_mail_id(struct db *db, const char *message_id, int64_t *id);
/* The stored file `file_row` (of no case) belongs to request `id`: BSrE's
 * reply and its attachments, removed by the request's retention. -ENOENT if
 * the file is unknown or a case's. */
int db_aftercare_file_link(struct db *db, int64_t id, int64_t file_row);
/* The next reminder of request `id`: `stage` at `next_due` (0: none). */
int db_aftercare_set_reminder(struct db *db, int64_t id, int stage, int64_t next_due);
/* The open request whose reminder is due first; -ENOENT if none. */
int db_aftercare_next_reminder(struct db *db, struct db_aftercare *out);
/* Open requests whose reminder is due at `now`, soonest first, at most `max`. */
int db_aftercare_due_reminders(struct db *db, int64_t now, struct db_aftercare *out, size_t max,
                               size_t *count);
/* The office time a help request took, recorded as it closes. */
int db_aftercare_set_office_ms(struct db *db, int64_t id, int64_t office_ms);
/* The SLA report's row of the help requests reported (closed as done) in
 * [from, to): how many, the median and 90th percentile of their office time,
 * the share within their standard and the breaches (step and actor 0). */
int db_aftercare_help_row(struct db *db, int64_t from, int64_t to, struct sla_row *row);

/* One audit line of request `id`. */
int db_aftercare_audit_add(struct db *db, int64_t id, const struct ac_audit *audit);
/* How many audit lines request `id` has. */
int db_aftercare_audit_count(struct db *db, int64_t id, int *count);

#endif
