/* help_session_ics: the parts of a help request's session that the offer
 * (help_session.c) and what follows the request's events
 * (help_session_follow.c) share: the request loaded once, its session's
 * .ics written (sessions_ics_store) and sent, and the buttons under it.
 * Not for other modules: help_session.h is the interface.
 *
 * All run inside the caller's transaction and return 0 or a negative errno;
 * the keyboard returned is the caller's to free (NULL on ENOMEM). */
#ifndef SERTIBOT_HELP_SESSION_ICS_H
#define SERTIBOT_HELP_SESSION_ICS_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "db_aftercare.h"
#include "db_certificates.h"
#include "db_sessions.h"
#include "ics.h"
#include "people.h"
#include "slot_picker.h"

struct app;

#define HELP_SLOT_PREFIX "sh"
#define HELP_RECIPIENTS_MAX (PEOPLE_MAX + 2)

/* What the texts of one request say, loaded once. */
struct help_view {
    struct db_aftercare a;
    struct db_certificate cert;
    struct slot_owner owner;    /* number, agency, the Pelaksana, version */
};

/* Request `id`; -ENOENT when it is no help request. */
int help_view_load(struct app *app, int64_t id, struct help_view *v);

/* "Pindah jadwal" and "Batalkan jadwal" ("sh:<id>:<version>:mo|cx"). */
cJSON *help_session_change_buttons(struct app *app, const char *lang, const struct help_view *v);

/* Who gets the session's .ics: its Pelaksana, the operator who asked and
 * the Kasi (or their Plh), each once; at most HELP_RECIPIENTS_MAX. */
int help_session_recipients(struct app *app, const struct help_view *v,
                            const struct db_session *s, int64_t now_ms, int64_t *to,
                            size_t *count);

/* Session `s` as its .ics (`method`) to `to` (count of them), or to
 * help_session_recipients, captioned under `key` with the session and
 * `reason`; a REQUEST carries the buttons to move or cancel it. */
int help_session_send_ics_to(struct app *app, const struct help_view *v,
                             const struct db_session *s, enum ics_method method, const char *key,
                             const char *reason, const int64_t *to, size_t count, int64_t now_ms);
int help_session_send_ics(struct app *app, const struct help_view *v, const struct db_session *s,
                          enum ics_method method, const char *key, const char *reason,
                          int64_t now_ms);

#endif
