/* db_retention: removing the personal data of cases closed long ago, as
 * retention.closed_case_days says (UU 27/2022: kept no longer than needed).
 *
 * What goes: the holders' names, NIPs, positions and e-mails; the files'
 * content, Telegram file ids, names and copies on disk (the rows stay, with
 * their kind and dates); checklist notes; the case's card drafts and pending
 * downloads; the sender and subject of BSrE's mails kept with it
 * (inbox_messages: their Message-ID, arrival, status and how they were
 * matched stay). What stays: the case row and its Buku Agenda line (letter
 * number, date, subject, the agency), dispositions, step clocks, and the
 * audit trail untouched, so `audit verify` still holds. The case is marked
 * (cases.personal_data_removed_at) so it is done once.
 * Same rules as db.h. */
#ifndef SERTIBOT_DB_RETENTION_H
#define SERTIBOT_DB_RETENTION_H

#include <stddef.h>
#include <stdint.h>

struct db;

/* Cases closed at or before `closed_before_ms` whose data is still there,
 * oldest first, at most `max`. */
int db_retention_due(struct db *db, int64_t closed_before_ms, int64_t *case_ids, size_t max,
                     size_t *count);
/* Calls `each` with every copy on disk (case_files.local_path) of the case;
 * a non-zero return stops the walk and is returned. */
int db_retention_paths(struct db *db, int64_t case_id, int (*each)(const char *path, void *data),
                       void *data);
/* Erases the case's personal data (above) and marks it, at `now_ms`. */
int db_retention_erase(struct db *db, int64_t case_id, int64_t now_ms);

/* The after-certificate requests (db_aftercare.h) likewise: closed (done or
 * returned) at or before `closed_before_ms` and not yet erased, oldest first.
 * What goes: the note and the supporting letter's content, Telegram file id,
 * name and copy on disk (the letter's row stays, with its kind and dates),
 * the same of the copy of its e-mail to BSrE and of BSrE's replies, the
 * replies' sender and subject (inbox_messages, as a case's), and the
 * subject of its e-mail if it failed for good (mail_failed: it names the
 * holder).
 * What stays: the request row (kind, reason, event date, states, times), its
 * audit lines and the register row it names (certificates): a live
 * certificate's record has its own purpose, a revoked one's name and NIP are
 * the revocation's record. Marked (aftercare_requests.personal_data_removed_at). */
int db_retention_requests_due(struct db *db, int64_t closed_before_ms, int64_t *request_ids,
                              size_t max, size_t *count);
int db_retention_request_paths(struct db *db, int64_t request_id,
                               int (*each)(const char *path, void *data), void *data);
int db_retention_request_erase(struct db *db, int64_t request_id, int64_t now_ms);

/* The last /sertifikat search of each person (handlers/certificates.c), kept
 * in bot_state under SEARCH_KEY<user id> as "<ms> <query>" so its pages can
 * be turned: a query may name a holder, so one older than `before_ms` is
 * removed (the retention job passes a day ago; a value without a time goes
 * at once). */
#define SEARCH_KEY "crtq:"
int db_retention_searches(struct db *db, int64_t before_ms);

#endif
