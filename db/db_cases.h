/* db_cases: the SOP's records: cases and their Buku Agenda entry, the
 * certificate holders, files, dispositions, the requirements checklist, the
 * audit trail; and the conversations that collect a person's input.
 *
 * Same rules as db.h: prepared statements only; 0 or a negative errno-style
 * code (-ENOENT for "no such row", -EIO for SQLite failures, logged). Fixed
 * buffers in structs are filled with truncation, never overflow; a malloc'd
 * result says so and is freed by the caller. Callers group the writes of one
 * action in their own transaction (db_begin/db_commit). */
#ifndef SERTIBOT_DB_CASES_H
#define SERTIBOT_DB_CASES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "workflow.h"

struct db;

#define DB_TEXT_MAX 256

/* What a request asks for (cases.kind): a first certificate, or the renewal
 * of certificates nearing their end (issue 14). Zero is a new request. */
enum db_case_kind { DB_CASE_NEW = 0, DB_CASE_RENEWAL };

/* "baru", "perpanjangan": the name stored. */
const char *db_case_kind_name(enum db_case_kind kind);
/* The inverse; anything else reads as DB_CASE_NEW. */
enum db_case_kind db_case_kind_parse(const char *name);

struct db_case {
    struct wf_case wf;
    char number[24];                /* "SE-0012": what people type and read */
    int64_t applicant_id;           /* the operator who submitted it */
    char letter_number[DB_TEXT_MAX];
    char letter_date[11];           /* YYYY-MM-DD */
    char subject[DB_TEXT_MAX];
    char sifat[16];                 /* the letter's nature, chosen in disposition */
    char session_place[DB_TEXT_MAX];
    int64_t created_at;             /* ms */
    int64_t state_since;            /* ms: when it entered its current state */
    int64_t closed_at;              /* ms, 0 while open */
    int agenda_year, agenda_number;
    int holders_count;
    enum db_case_kind kind;         /* written by db_case_insert, never changed */
};

/* Formats the number of case `id`. */
void db_case_number(int64_t id, char *out, size_t out_size);
/* Reads "SE-0012", "se-12", "#12" or "12"; -EINVAL otherwise. */
int db_case_number_parse(const char *text, int64_t *id);

/* Inserts a new case from c (wf.case_id is ignored and assigned), and its Buku
 * Agenda entry with the next agenda number of `year`. Sets c->wf.case_id,
 * c->number and the agenda fields. */
int db_case_insert(struct db *db, struct db_case *c, const char *agency_name, int year);
int db_case_get(struct db *db, int64_t id, struct db_case *out); /* -ENOENT */
/* The case someone names in /status: by its number ("SE-0007", "7") or by
 * the applicant's letter number (nomor surat; case and surrounding spaces
 * aside), the newest such case. `agency_id` > 0 looks among that agency's
 * cases only. -ENOENT when there is none. */
int db_case_find(struct db *db, const char *text, int64_t agency_id, int64_t *id);
/* Writes the workflow fields, sifat, session place, state_since, closed_at. */
int db_case_update(struct db *db, const struct db_case *c);
/* Cases of an agency, newest first (open ones only if `open_only`). */
int db_cases_of_agency(struct db *db, int64_t agency_id, bool open_only, struct db_case *out,
                       size_t max, size_t *count);
/* How many cases of `kind` were received in [from_ms, to_ms). */
int db_cases_count_kind(struct db *db, enum db_case_kind kind, int64_t from_ms, int64_t to_ms,
                        size_t *count);
/* Open cases, oldest in their state first. */
int db_cases_open(struct db *db, struct db_case *out, size_t max, size_t *count);

/* --- certificate holders -------------------------------------------------- */
/* The most certificate holders one request names: /ajukan refuses more, so
 * an array of this many holds every holder of a case. */
#define DB_HOLDERS_MAX 16

struct db_holder {
    int64_t id;
    int position;
    char name[DB_TEXT_MAX];
    char nip[24];
    char jabatan[DB_TEXT_MAX];
    char email[DB_TEXT_MAX];
};

int db_holder_add(struct db *db, int64_t case_id, const struct db_holder *h);
int db_holders_list(struct db *db, int64_t case_id, struct db_holder *out, size_t max,
                    size_t *count);

/* --- Buku Agenda ---------------------------------------------------------- */
struct db_agenda_entry {
    int year, number;
    char case_number[24];
    int64_t received_at;            /* ms */
    char sender[DB_TEXT_MAX];
    char letter_number[DB_TEXT_MAX];
    char letter_date[11];
    char subject[DB_TEXT_MAX];
    char state[32];                 /* the case's state now */
    enum db_case_kind kind;
};

/* Entries received in [from_ms, to_ms), by agenda number; calls `each` per row
 * (its return value, if not 0, stops the walk and is returned). */
int db_agenda_between(struct db *db, int64_t from_ms, int64_t to_ms,
                      int (*each)(const struct db_agenda_entry *, void *), void *data);

/* --- audit trail ---------------------------------------------------------- */
struct db_audit_row {
    int64_t at;                     /* ms */
    int64_t actor_id;
    char actor_name[DB_TEXT_MAX];
    char acted_as[16];
    bool via_plh;
    char event[32];
    char note[DB_TEXT_MAX];
    char state_before[32], state_after[32];
};

int db_audit_add(struct db *db, int64_t case_id, const struct wf_audit *audit);
/* The newest `max` entries of a case, oldest first. */
int db_audit_list(struct db *db, int64_t case_id, struct db_audit_row *out, size_t max,
                  size_t *count);
/* The case whose card is message `message_id` in `chat_id` (a card's key is
 * "case:<id>:<chat>"); -ENOENT when that message is no case's card. */
int db_card_case_of_message(struct db *db, int64_t chat_id, int64_t message_id,
                            int64_t *case_id);
/* How many entries a case's history has. */
int db_audit_count(struct db *db, int64_t case_id, size_t *count);
/* The newest entry of a case (who did the last thing, for a stale tap). */
int db_audit_last(struct db *db, int64_t case_id, struct db_audit_row *out); /* -ENOENT */

/* --- dispositions (lembar disposisi) -------------------------------------- */
struct db_disposition {
    int step;
    int64_t author_id;
    char author_name[DB_TEXT_MAX];
    char acted_as[16];
    bool via_plh;
    char instructions[DB_TEXT_MAX]; /* comma-separated instruction keys */
    char sifat[16];
    char note[DB_TEXT_MAX];
    int64_t at;                     /* ms */
};

int db_disposition_add(struct db *db, int64_t case_id, const struct db_disposition *d);
int db_dispositions_list(struct db *db, int64_t case_id, struct db_disposition *out, size_t max,
                         size_t *count);

/* --- requirements checklist ----------------------------------------------- */
enum db_check_status { CHECK_UNSET = 0, CHECK_OK, CHECK_MISSING };

/* The most requirements the checklist may have (config checklist_items
 * refuses more), and so the most marks one case can have (a mark per holder
 * and item): every list of a case's marks is this big, and none is cut. */
#define DB_CHECK_ITEMS_MAX 8
#define DB_CHECKS_MAX (DB_HOLDERS_MAX * DB_CHECK_ITEMS_MAX)

struct db_check {
    int64_t holder_id;
    char item[32];
    enum db_check_status status;
    char note[DB_TEXT_MAX];
};

/* CHECK_UNSET deletes the mark. */
int db_check_set(struct db *db, int64_t case_id, int64_t holder_id, const char *item,
                 enum db_check_status status, const char *note);
int db_checks_list(struct db *db, int64_t case_id, struct db_check *out, size_t max,
                   size_t *count);
/* Forgets every mark of a case (a return voids the ticks: workflow.h, wf_work). */
int db_checks_clear(struct db *db, int64_t case_id);
/* Forgets only the marks "missing" (the documents asked for came). */
int db_checks_clear_missing(struct db *db, int64_t case_id);
/* *newer: the applicant sent a document after the case's last tick (none
 * when the case has no tick). */
int db_checks_documents_newer(struct db *db, int64_t case_id, bool *newer);

/* --- files ---------------------------------------------------------------- */
struct db_file {
    int64_t id;
    int64_t case_id;
    char kind[32];
    char file_id[DB_TEXT_MAX];      /* Telegram's; "" until known */
    char file_name[DB_TEXT_MAX];
    char mime_type[64];
    char local_path[DB_TEXT_MAX];
    int64_t uploaded_by;
    int64_t created_at;
    size_t content_size;            /* 0 when only Telegram holds it */
};

/* `content` may be NULL (a file only Telegram holds, to be downloaded);
 * f->case_id 0 stores a document not tied to a case (an export). */
int db_file_add(struct db *db, const struct db_file *f, const void *content, size_t size,
                int64_t *id_out);
int db_file_get(struct db *db, int64_t id, struct db_file *out); /* -ENOENT */
/* The newest file of `kind` of a case; -ENOENT if none. */
int db_file_latest(struct db *db, int64_t case_id, const char *kind, struct db_file *out);
int db_files_list(struct db *db, int64_t case_id, struct db_file *out, size_t max, size_t *count);
/* The content; *data is malloc'd (caller frees), -ENOENT if none is stored. */
int db_file_content(struct db *db, int64_t id, unsigned char **data, size_t *size);
int db_file_set_file_id(struct db *db, int64_t id, const char *file_id);
int db_file_set_local(struct db *db, int64_t id, const char *local_path);
/* A file Telegram will not give (issue 13): its kind gets DB_FILE_LOST_SUFFIX
 * ("request_letter" -> "request_letter_lost"), so db_file_latest no longer
 * finds it and no step sends or shows it as if it were there. */
#define DB_FILE_LOST_SUFFIX "_lost"
int db_file_mark_lost(struct db *db, int64_t id);

/* --- pending downloads (getFile into documents_dir) ------------------------ */
/* Queues a file to fetch, due at once (retries are timed in wall-clock time
 * by the downloader, not in business time). */
int db_download_queue(struct db *db, int64_t file_row);
/* The next download due at `now_ms`; -ENOENT if none. */
int db_download_next(struct db *db, int64_t now_ms, int64_t *file_row, int *attempts);
int db_download_next_due(struct db *db, int64_t *when_ms); /* -ENOENT if none */
int db_download_done(struct db *db, int64_t file_row);
int db_download_defer(struct db *db, int64_t file_row, int64_t not_before_ms, int attempts,
                      const char *error);

/* --- conversations and card drafts ---------------------------------------- */
/* The person's open conversation: `kind` and its JSON `data` (malloc'd, the
 * caller frees it); -ENOENT if none. */
int db_conversation_get(struct db *db, int64_t telegram_id, char *kind, size_t kind_size,
                        char **data);
int db_conversation_set(struct db *db, int64_t telegram_id, const char *kind, const char *data,
                        int64_t now);
int db_conversation_clear(struct db *db, int64_t telegram_id);

/* A card's pending choices (JSON, malloc'd); -ENOENT if none. */
int db_card_draft_get(struct db *db, int64_t case_id, int step, char **data);
int db_card_draft_set(struct db *db, int64_t case_id, int step, const char *data);
int db_card_draft_clear(struct db *db, int64_t case_id, int step);

#endif
