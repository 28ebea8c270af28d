/* A help request's session: its .ics and who gets it; see
 * help_session_ics.h. */
#include "help_session_ics.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "case_card.h"
#include "db_registry.h"
#include "i18n.h"
#include "keyboard.h"
#include "outbox.h"
#include "sessions.h"
#include "tg_html.h"


/* -ENOENT when `id` is no help request. */
int help_view_load(struct app *app, int64_t id, struct help_view *v)
{
    memset(v, 0, sizeof *v);
    int rc = db_aftercare_get(app->db, id, &v->a);
    if (!rc && v->a.r.kind != AC_HELP)
        rc = -ENOENT;
    if (!rc)
        rc = db_certificate_get(app->db, v->a.certificate_id, &v->cert);
    if (rc)
        return rc;
    struct slot_owner *o = &v->owner;
    *o = (struct slot_owner){ .kind = SLOT_OWNER_HELP, .id = id, .version = v->a.r.version,
                              .pelaksana_id = v->a.r.pelaksana_id };
    snprintf(o->number, sizeof o->number, "BS-%04" PRId64, id);
    struct db_agency agency = { 0 };
    if (db_agency_get(app->db, v->cert.agency_id, &agency) != 0)
        snprintf(agency.name, sizeof agency.name, "-");
    snprintf(o->agency, sizeof o->agency, "%s", agency.name);
    return 0;
}

/* --- the calendar file -------------------------------------------------------- */

/* A catalog sentence as plain text, for the calendar file. */
static char *plain(struct app *app, const char *lang, const struct help_view *v,
                   const char *key, const char *pelaksana)
{
    char what[64];
    snprintf(what, sizeof what, "help_req.what.%s", ac_reason_name(v->a.reason));
    char *html = i18n_format(app->i18n, lang, key, "number", v->owner.number, "name",
                             v->cert.name, "nip", v->cert.nip, "agency", v->owner.agency, "what",
                             i18n_text(app->i18n, lang, what), "pelaksana", pelaksana, NULL);
    char *text = html ? tg_html_plain(html) : NULL;
    free(html);
    return text;
}

/* The help session's .ics in `lang` (sessions_ics_store, the step-7 one's
 * writer): the Pelaksana and the holder invited, stored without a case. */
static int store_ics(const struct sessions_ics_make *m, const char *lang, int64_t *file_row)
{
    struct app *app = m->app;
    const struct help_view *v = m->owner;
    const struct db_session *s = m->s;
    char pelaksana[DB_NAME_MAX], file_name[64];
    db_person_name(app->db, s->pelaksana_id, pelaksana, sizeof pelaksana);
    snprintf(file_name, sizeof file_name, "pendampingan-%s.ics", v->owner.number);
    char *summary = plain(app, lang, v, "help_req.ics.summary", pelaksana);
    char *description = plain(app, lang, v, "help_req.ics.description", pelaksana);
    char *organizer = plain(app, lang, v, "schedule.ics.organizer", pelaksana);
    struct ics_person attendees[] = { { .name = pelaksana }, { .name = v->cert.name } };
    struct sessions_ics what = {
        .summary = summary, .description = description, .organizer = organizer,
        .file_name = file_name, .attendees = attendees, .attendees_count = 2,
    };
    int rc = summary && description && organizer
                 ? sessions_ics_store(app, s, m->method, &what, m->now_ms, file_row)
                 : -ENOMEM;
    free(summary);
    free(description);
    free(organizer);
    return rc;
}

/* "Pindah jadwal" and "Batalkan jadwal" under a confirmed session's .ics. */
cJSON *help_session_change_buttons(struct app *app, const char *lang, const struct help_view *v)
{
    static const char *const ops[] = { "mo", "cx" };
    static const char *const keys[] = { "help_slot.button.move", "help_slot.button.cancel" };
    cJSON *keyboard = keyboard_new();
    cJSON *row = keyboard ? keyboard_row(keyboard) : NULL;
    for (size_t i = 0; row && i < 2; i++) {
        char data[64];
        snprintf(data, sizeof data, HELP_SLOT_PREFIX ":%" PRId64 ":%" PRIu32 ":%s",
                 v->owner.id, v->a.r.version, ops[i]);
        if (keyboard_button(row, i18n_text(app->i18n, lang, keys[i]), data))
            row = NULL;
    }
    if (!row) {
        cJSON_Delete(keyboard);
        return NULL;
    }
    return keyboard;
}

/* Who gets the session's .ics: its Pelaksana, the operator who asked and
 * the Kasi (or their Plh), each once. */
int help_session_recipients(struct app *app, const struct help_view *v,
                            const struct db_session *s, int64_t now_ms, int64_t *to,
                            size_t *count)
{
    int64_t kasi[PEOPLE_MAX];
    size_t n = 0;
    int rc = people_for_role(app, ROLE_KASI, 0, 0, now_ms, kasi, PEOPLE_MAX, &n);
    int64_t all[HELP_RECIPIENTS_MAX] = { s->pelaksana_id, v->a.r.requested_by };
    for (size_t i = 0; i < n; i++)
        all[2 + i] = kasi[i];
    *count = 0;
    for (size_t i = 0; !rc && i < n + 2; i++) {
        bool seen = all[i] <= 0;
        for (size_t j = 0; j < *count; j++)
            seen |= to[j] == all[i];
        if (!seen)
            to[(*count)++] = all[i];
    }
    return rc;
}

/* Sends session `s` as its .ics to `to` (count of them), captioned under
 * `key` with the session and `reason`; a REQUEST with the buttons to move
 * or cancel it. One file per language. */
int help_session_send_ics_to(struct app *app, const struct help_view *v,
                             const struct db_session *s, enum ics_method method, const char *key,
                             const char *reason, const int64_t *to, size_t count, int64_t now_ms)
{
    struct sessions_ics_files files = { 0 };
    struct sessions_ics_make what = { app, v, s, method, now_ms };
    char pelaksana[DB_NAME_MAX];
    db_person_name(app->db, s->pelaksana_id, pelaksana, sizeof pelaksana);
    int rc = 0;
    for (size_t i = 0; !rc && i < count; i++) {
        const char *lang = card_lang_of(app, to[i]);
        char span[96];
        sessions_span_text(app, lang, s->start_at, s->end_at, span, sizeof span);
        char *caption = i18n_format(app->i18n, lang, key, "number", v->owner.number, "name",
                                    v->cert.name, "when", span, "place", s->place, "pelaksana",
                                    pelaksana, "reason", reason ? reason : "-", NULL);
        cJSON *markup = method == ICS_REQUEST ? help_session_change_buttons(app, lang, v) : NULL;
        int64_t row = 0; /* one file per language (sessions_ics_file_for) */
        rc = caption && (markup || method != ICS_REQUEST)
                 ? sessions_ics_file_for(&files, lang, store_ics, &what, &row)
                 : -ENOMEM;
        if (!rc)
            rc = outbox_send_file(app->db, to[i], row, caption, markup, now_ms);
        cJSON_Delete(markup);
        free(caption);
    }
    return rc;
}

int help_session_send_ics(struct app *app, const struct help_view *v, const struct db_session *s,
                          enum ics_method method, const char *key, const char *reason,
                          int64_t now_ms)
{
    int64_t to[HELP_RECIPIENTS_MAX];
    size_t count = 0;
    int rc = help_session_recipients(app, v, s, now_ms, to, &count);
    return rc ? rc : help_session_send_ics_to(app, v, s, method, key, reason, to, count, now_ms);
}
