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
};

/* The standard of `step` in office minutes. */
int db_standard_get(struct db *db, int step, int *minutes);
int db_standard_set(struct db *db, int step, int minutes);

int db_clock_start(struct db *db, int64_t case_id, int step, int standard_minutes,
                   int64_t started_at, int64_t deadline);
/* The case's open clock (not ended); -ENOENT if none. */
int db_clock_open(struct db *db, int64_t case_id, struct db_clock *out);
/* Writes paused_at, paused_ms, deadline, ended_at, office_ms, breached. */
int db_clock_update(struct db *db, const struct db_clock *clock);
/* Every clock of a case, oldest first. */
int db_clocks_of_case(struct db *db, int64_t case_id, struct db_clock *out, size_t max,
                      size_t *count);
/* Open, running clocks (for recomputing deadlines when the calendar changes). */
int db_clocks_running(struct db *db, struct db_clock *out, size_t max, size_t *count);

#endif
