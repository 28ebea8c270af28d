/* sessions: the assisted login sessions (pendampingan) as the handlers see
 * them, shared by the offer builder (slot_picker.c), the card's buttons
 * (case_action.c), /jadwal (schedule.c) and the scheduler (session_jobs.c).
 *
 * The workflow core decides every transition; this module keeps the
 * sessions table in step with it and says what the slots mean to people:
 * - a slot is checked (slots.h) against the office calendar, the time and
 *   the holding sessions of its Pelaksana, inside the caller's transaction,
 *   right before it is written, so two officials tapping at once cannot book
 *   one Pelaksana twice (the second sees the first's row);
 * - a confirmed session goes to the applicant, the Pelaksana and the Kasi as
 *   an .ics file (ics.h; UID "session-<id>@sertibot"), sent again with a
 *   higher SEQUENCE when it moves and as METHOD:CANCEL when it is called off;
 * - its reminders and the question for the report follow session_plan.h.
 *
 * All functions run inside the caller's transaction and return 0 or a
 * negative errno; a refusal is a positive slot_problem where said. Returned
 * strings are malloc'd and freed by the caller. */
#ifndef SERTIBOT_SESSIONS_H
#define SERTIBOT_SESSIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db_sessions.h"
#include "ics.h"
#include "workflow.h"

struct app;

/* A slot picked with the buttons lasts this long; a typed one may say its
 * end ("2026-12-03 09:00-10:30"). */
#define SESSION_DEFAULT_MINUTES 60

/* "Kam 3 Des 2026 09:00–10:00" in WIB, in `lang`. */
void sessions_span_text(struct app *app, const char *lang, int64_t start_ms, int64_t end_ms,
                        char *out, size_t size);

/* Checks the slot [start_ms, end_ms) of `pelaksana_id` (0: the time alone)
 * at `now_ms`: office day and hours, ahead, its length, and no overlap with
 * that Pelaksana's holding sessions nor with the drafts of `case_id` (0:
 * none). `session_id` is the slot's own row when it has one (a draft being
 * sent, a session being moved): it never clashes with itself. Returns 0, a
 * positive enum slot_problem (then *conflict, if not NULL, is the clashing
 * session on SLOT_OVERLAP), or a negative errno. */
int sessions_check(struct app *app, int64_t case_id, int64_t session_id, int64_t pelaksana_id,
                   int64_t start_ms, int64_t end_ms, int64_t now_ms, struct db_session *conflict);
/* The same for a slot of help request `help_id`'s offer: its drafts are
 * the ones it must not overlap; its own open offer is not in the way (the
 * new offer replaces it). */
int sessions_check_help(struct app *app, int64_t help_id, int64_t session_id,
                        int64_t pelaksana_id, int64_t start_ms, int64_t end_ms, int64_t now_ms,
                        struct db_session *conflict);

/* Why a slot is refused, as a sentence for `lang`. With `detailed`, an
 * overlap names the other session (for officials); otherwise it only says
 * the Pelaksana is busy then (an applicant must not learn another agency's
 * case). NULL on ENOMEM. */
char *sessions_problem_html(struct app *app, const char *lang, int problem,
                            const struct db_session *conflict, bool detailed);

/* One slot as a line of text: "Kam 3 Des 2026 09:00–10:00 · place · name". */
char *sessions_line_html(struct app *app, const char *lang, const struct db_session *s);

/* What a session's calendar file says, whoever owns the session (a case's
 * step 7, or a help request's: help_session_ics.c). All borrowed. The first
 * attendee is the Pelaksana: kept alone when the others cannot be written. */
struct sessions_ics {
    const char *summary, *description, *organizer;
    const char *file_name;             /* "pendampingan-<number>.ics" */
    int64_t case_id;                   /* the file's case; 0: none (a help request) */
    const struct ics_person *attendees;
    size_t attendees_count;
};

/* Writes session `s`'s .ics (UID "session-<id>@sertibot", its SEQUENCE) and
 * stores it in case_files; *file_row is the row for outbox_send_file. */
int sessions_ics_store(struct app *app, const struct db_session *s, enum ics_method method,
                       const struct sessions_ics *what, int64_t now_ms, int64_t *file_row);

/* One calendar file per language among a session's recipients: the row made
 * for a language is kept, so the next reader of that language gets the same
 * file. Zeroed before use; the language strings are borrowed. */
#define SESSIONS_ICS_LANGS 8
struct sessions_ics_files {
    const char *langs[SESSIONS_ICS_LANGS];
    int64_t rows[SESSIONS_ICS_LANGS];
    size_t count;
};
/* What a session's file is made of, but its language: `owner` is the
 * case or the help request, as the maker knows it. */
struct sessions_ics_make {
    struct app *app;
    const void *owner;
    const struct db_session *s;
    enum ics_method method;
    int64_t now_ms;
};
/* *row: the file kept for `lang`, else made now by make(m, lang, row) and
 * kept (when full, the next one is made again). */
int sessions_ics_file_for(struct sessions_ics_files *files, const char *lang,
                          int (*make)(const struct sessions_ics_make *m, const char *lang,
                                      int64_t *row),
                          const struct sessions_ics_make *m, int64_t *row);

/* `lead_key`'s words (with "index", when not NULL) and why a slot is
 * refused (sessions_problem_html). NULL on ENOMEM. */
char *sessions_refusal_html(struct app *app, const char *lang, const char *lead_key,
                            const char *index, int problem, const struct db_session *conflict,
                            bool detailed);

/* Whether offered slot `s` may still be chosen at `now_ms` (free, ahead,
 * in office hours: sessions_check); *refusal (malloc'd) says why not, in
 * `lang`, naming another session only when `detailed`; NULL when it may. */
int sessions_choice_refusal(struct app *app, const struct db_session *s, const char *lang,
                            bool detailed, int64_t now_ms, char **refusal);

/* Why the drafts of an offer (of case `case_id` or of help request
 * `help_id`) cannot go now: not WF_SLOTS_MIN..WF_SLOTS_MAX of them, or one
 * no longer acceptable (checked again as sessions_check does). *refusal is
 * the sentence (malloc'd), NULL when they can. */
int sessions_offer_refusal(struct app *app, int64_t case_id, int64_t help_id,
                           const struct db_session *drafts, size_t count, const char *lang,
                           int64_t now_ms, char **refusal);

/* The case's confirmed session; -ENOENT if none. */
int sessions_confirmed(struct app *app, int64_t case_id, struct db_session *out);

/* The drafts of an offer are checked again as the Kasi sends it: each one
 * must still be acceptable, and there must be WF_SLOTS_MIN..WF_SLOTS_MAX.
 * On 0, *event is filled for PROPOSE_SESSION (first slot's Pelaksana and
 * time, the count) and *refusal is NULL; when the offer cannot go, *refusal
 * is the sentence why (malloc'd). */
int sessions_offer_prepare(struct app *app, const struct db_case *c, const char *lang,
                           int64_t now_ms, struct wf_event *event, char **refusal);
/* Just before PROPOSE_SESSION is applied: the drafts become the offer. */
int sessions_offer_send(struct app *app, const struct db_case *c, int64_t now_ms);

/* After an accepted event on `c` (already updated): keeps the sessions in
 * step and sends the calendar files. `session_id` is the slot chosen for
 * CONFIRM_SESSION; other events ignore it. Events that are not about
 * sessions do nothing. */
int sessions_follow(struct app *app, const struct db_case *c, enum wf_event_kind kind,
                    int64_t session_id, int64_t now_ms);

/* Before an admin names `pelaksana_id` the Pelaksana of `c`: in step 7,
 * whether they are free at the time of its confirmed session (read into
 * *session). 0 when free (or nothing to move), SLOT_OVERLAP when they have
 * another session then, or a negative errno. After the event,
 * sessions_follow(WF_EV_REASSIGN) moves the session to them. */
int sessions_reassign_check(struct app *app, const struct db_case *c, int64_t pelaksana_id,
                            int64_t now_ms, struct db_session *session);

/* `day` became a holiday or closure (/libur, named `day_name`): every
 * confirmed session on it that is not over is flagged to the applicant's
 * operators and the Kasi, with the buttons to move or cancel it, and to its
 * Pelaksana. *flagged says how many sessions. */
int sessions_flag_closed_day(struct app *app, int32_t day, const char *day_name, int64_t now_ms,
                             int *flagged);

/* The office calendar changed (/libur): every session's waiting reminder is
 * planned again (session_plan_again), in the caller's transaction; a
 * reminder already sent is not sent again. *moved says how many changed. */
int sessions_replan_reminders(struct app *app, int64_t now_ms, int *moved);

/* The scheduler's job (jobs.c): reminders and report questions due at
 * `now_ms`; and when the next one is due (INT64_MAX if none). */
int sessions_send_due(struct app *app, int64_t now_ms);
int64_t sessions_next_due(struct app *app);

#endif
