/* db_registry: who is who beyond the config: the applicant agencies (OPD),
 * their operators' registrations, officials changed at run time by an admin,
 * and acting officials (Plh).
 *
 * Same rules as db.h: prepared statements only, 0 or a negative errno-style
 * code (-ENOENT for "no such row", -EIO for SQLite failures, logged), strings
 * in structs are fixed buffers (truncated, never overflowing). */
#ifndef SERTIBOT_DB_REGISTRY_H
#define SERTIBOT_DB_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "roles.h"

struct db;

#define DB_NAME_MAX 128

/* --- agencies ------------------------------------------------------------- */
struct db_agency {
    int64_t id;
    char name[DB_NAME_MAX];
};

/* Makes the active agencies match the config's list (new names are added,
 * missing ones deactivated but kept, since cases refer to them). */
int db_agencies_sync(struct db *db, char *const *names, size_t count);
/* Active agencies in name order, at most `max`. */
int db_agencies_list(struct db *db, struct db_agency *out, size_t max, size_t *count);
int db_agency_get(struct db *db, int64_t id, struct db_agency *out); /* -ENOENT */

/* --- applicant operators -------------------------------------------------- */
enum db_applicant_status { APPLICANT_PENDING, APPLICANT_APPROVED, APPLICANT_REFUSED };

struct db_applicant {
    int64_t telegram_id;
    int64_t agency_id;
    enum db_applicant_status status;
    int64_t requested_at;
};

/* A new or repeated request to be an operator of `agency_id`: back to pending.
 * `requested_at` is also the request's version, carried by the deciders'
 * buttons: the caller makes it larger than the one before (issue 13). */
int db_applicant_request(struct db *db, int64_t telegram_id, int64_t agency_id,
                         int64_t requested_at);
int db_applicant_get(struct db *db, int64_t telegram_id, struct db_applicant *out); /* -ENOENT */
/* Decides the pending request of version `requested_at` (the one the
 * decider's card showed); -ENOENT if that request is not pending (decided
 * already, or replaced by a newer one). */
int db_applicant_decide(struct db *db, int64_t telegram_id, int64_t requested_at, bool approve,
                        int64_t decided_by, int64_t now);
/* How many registrations wait for a decision. */
int db_applicants_pending_count(struct db *db, int64_t *count);
/* Approved operators of an agency, at most `max`. */
int db_applicants_of_agency(struct db *db, int64_t agency_id, int64_t *out, size_t max,
                            size_t *count);

/* --- officials ------------------------------------------------------------ */
struct db_official {
    int64_t telegram_id;
    enum role role;
    char name[DB_NAME_MAX];
};

/* Added or changed by an admin in chat; from then on the config's sync leaves
 * this person alone. */
int db_official_set(struct db *db, int64_t telegram_id, enum role role, const char *name);
int db_official_remove(struct db *db, int64_t telegram_id); /* -ENOENT */
int db_official_get(struct db *db, int64_t telegram_id, struct db_official *out); /* -ENOENT */
/* Active officials of `role` (ROLE_NONE: all), by role then name. */
int db_officials_list(struct db *db, enum role role, struct db_official *out, size_t max,
                      size_t *count);
/* A display name for anybody: official name, else an approved operator's agency, else
 * the Telegram first name, else the id. */
int db_person_name(struct db *db, int64_t telegram_id, char *out, size_t out_size);
/* The name Telegram gave us for the person, else the id: for someone asking
 * to be registered, who has no other name yet. */
int db_telegram_name(struct db *db, int64_t telegram_id, char *out, size_t out_size);

/* --- acting officials (Plh, Plt) ------------------------------------------ */
/* Plh. (pelaksana harian) stands in for an absent official, Plt. (pelaksana
 * tugas) fills a vacant post; both route alike, only the title differs. */
enum db_plh_kind { DB_PLH_KIND_PLH, DB_PLH_KIND_PLT };

/* "plh" or "plt", as stored. */
const char *db_plh_kind_key(enum db_plh_kind kind);

struct db_plh {
    int64_t id;
    enum role role;       /* the absent official's role */
    int64_t acting_id;
    char date_from[11], date_to[11];
    enum db_plh_kind kind;
};

int db_plh_add(struct db *db, enum role role, int64_t acting_id, const char *date_from,
               const char *date_to, enum db_plh_kind kind, int64_t named_by, int64_t now,
               int64_t *id_out);
int db_plh_end(struct db *db, int64_t id); /* -ENOENT */
/* The Plh in force for `role` on `date` (YYYY-MM-DD, WIB); -ENOENT if none. */
int db_plh_for_role(struct db *db, enum role role, const char *date, struct db_plh *out);
/* The appointment of `acting_id` for `role` in force on `date` (the latest
 * where two overlap, ended ones included: a letter keeps the title it was
 * signed with); -ENOENT if none. */
int db_plh_of_acting(struct db *db, enum role role, int64_t acting_id, const char *date,
                     struct db_plh *out);
/* The roles `telegram_id` acts for on `date`, as bits. */
int db_plh_roles_of(struct db *db, int64_t telegram_id, const char *date, unsigned *roles);
/* Current and future appointments, at most `max`. */
int db_plh_list(struct db *db, const char *from_date, struct db_plh *out, size_t max,
                size_t *count);

#endif
