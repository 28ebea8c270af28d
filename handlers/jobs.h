/* jobs: what the bot does by itself, on time rather than on a message. The
 * scheduler (bot/scheduler.c) calls jobs_run inside one transaction; each job
 * writes its state and its messages there, so nothing is sent twice or lost
 * across a restart. Each job (one clock's reminder, one session's, ...) runs
 * through jobs_guard: one that fails is set aside with its error and the
 * others still run (job_quarantine.c). */
#ifndef SERTIBOT_JOBS_H
#define SERTIBOT_JOBS_H

#include <stdbool.h>
#include <stdint.h>

struct app;

/* One job: 0 or a negative errno. */
typedef int (*job_fn)(struct app *app, void *arg, int64_t now_ms);
/* Runs `run` as the job named `job` (db_jobs.h's names, "clock:12") in a
 * savepoint, unless the quarantine holds it. A failure of the job is rolled
 * back and recorded, and 0 returned; an error is returned only when the
 * whole tick must be tried again (storage, memory). */
int jobs_guard(struct app *app, const char *job, job_fn run, void *arg, int64_t now_ms);

/* Runs every job due at `now_ms`. 0 or a negative errno. */
int jobs_run(struct app *app, int64_t now_ms);
/* The earliest moment a job wants to run again (CAL_NEVER-like INT64_MAX when
 * none); the scheduler also wakes at least once a minute. */
int64_t jobs_next(struct app *app, int64_t now_ms);
/* The quarantine's name of the daily digest's round (jobs_guard). */
#define DIGEST_JOB "digest"

/* reminders.c: the step clocks' reminders due at `now_ms`. */
int reminders_send_due(struct app *app, int64_t now_ms);

/* warnings.c: the admins' daily and monthly warnings (no valid PKS; no
 * holidays loaded for the coming year). */
int warnings_run(struct app *app, int64_t now_ms);

/* holidays.c: once the calendar differs from the one the stored plan was
 * made on (changed while the bot was stopped), every deadline and reminder
 * is planned again. */
int holidays_check_run(struct app *app, int64_t now_ms);

/* plh_start.c: on an acting official's first day, the cases waiting for
 * the role go to them. */
int plh_start_run(struct app *app, int64_t now_ms);

/* digest.c: the officials' daily digest at the start of office hours, and
 * when the next round is due (INT64_MAX if none). digest_covers says whether
 * `user_id`'s digest of today went out at or after `due_ms` (a reminder due
 * by then is listed in it; reminders.c leaves the holder's line out). */
int digest_run(struct app *app, int64_t now_ms);
int64_t digest_next(struct app *app, int64_t now_ms);
bool digest_covers(struct app *app, int64_t user_id, int64_t due_ms, int64_t now_ms);

/* retention.c: personal data of cases closed longer ago than
 * retention.closed_case_days removed (db_retention.h). */
int retention_run(struct app *app, int64_t now_ms);

/* case_undo.c: an undo whose minute is over loses its button (the actor's
 * card keeps the result, without "Urungkan") and its record; and when the
 * next one is over (INT64_MAX if none). */
int undo_expire_run(struct app *app, int64_t now_ms);
int64_t undo_expire_next(struct app *app);

#endif
