/* db_clocks: each SOP step's clock on a case, and the standards they are
 * measured against. Times are ms since the epoch; "office" durations count
 * only office time (office_calendar.h), which the caller computes: this
 * module stores, it does not do calendar arithmetic. Errors as in db.h. */
#ifndef SERTIBOT_DB_CLOCKS_H
#define SERTIBOT_DB_CLOCKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct sla_sample;

struct db_clock {
    int64_t id;
    int64_t case_id;
    int step;
    int standard_minutes;
    int64_t started_at;
    int64_t paused_at;      /* 0 while running */
    int64_t paused_ms;      /* office ms spent paused so far */
    int64_t deadline;
    int64_t ended_at;       /* 0 while open */
    int64_t office_ms;      /* office time used, once ended */
    bool breached;
    int reminder_stage;     /* the next reminder to send (sla.h stages) */
    int64_t next_reminder;  /* when; 0: none (paused, ended) */
};

/* The standard of `step` in office minutes. */
int db_standard_get(struct db *db, int step, int *minutes);
int db_standard_set(struct db *db, int step, int minutes);

int db_clock_start(struct db *db, int64_t case_id, int step, int standard_minutes,
                   int64_t started_at, int64_t deadline);
/* The case's open clock (not ended); -ENOENT if none. */
int db_clock_open(struct db *db, int64_t case_id, struct db_clock *out);
/* Writes paused_at, paused_ms, deadline, ended_at, office_ms, breached and
 * the reminder fields. */
int db_clock_update(struct db *db, const struct db_clock *clock);
/* Every clock of a case, oldest first. */
int db_clocks_of_case(struct db *db, int64_t case_id, struct db_clock *out, size_t max,
                      size_t *count);
/* Open, running clocks (for recomputing deadlines when the calendar changes). */
int db_clocks_running(struct db *db, struct db_clock *out, size_t max, size_t *count);

/* Clocks whose next reminder is due at `now_ms`, earliest first. */
int db_clocks_due(struct db *db, int64_t now_ms, struct db_clock *out, size_t max, size_t *count);
/* The earliest next reminder of all clocks; -ENOENT if none. */
int db_clocks_next_reminder(struct db *db, int64_t *when_ms);
/* The steps that ended in [from_ms, to_ms), each with the official whose
 * action ended it; *out is malloc'd (the caller frees it). */
int db_sla_samples(struct db *db, int64_t from_ms, int64_t to_ms, struct sla_sample **out,
                   size_t *count);

/* --- the calendar an admin keeps (/libur) ---------------------------------- */
/* Adds or corrects a day (`removed` hides a shipped holiday of that date). */
int db_calendar_day_set(struct db *db, const char *date, const char *kind, const char *name,
                        bool removed, int64_t changed_by, int64_t now_ms);
/* Every day an admin set, by date. */
int db_calendar_days(struct db *db, int (*each)(const char *date, const char *kind,
                                                const char *name, bool removed, void *data),
                     void *data);

#endif
