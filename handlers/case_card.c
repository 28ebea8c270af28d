#include "case_card.h"
#include "certificates_record.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "config.h"
#include "db.h"
#include "db_clocks.h"
#include "db_registry.h"
#include "i18n.h"
#include "json_number.h"
#include "keyboard.h"
#include "outbox.h"
#include "sessions.h"
#include "texts.h"
#include "tg_html.h"
#include "utf8.h"

const char *const card_sifat_keys[CARD_SIFAT_COUNT] = { "biasa", "segera", "sangat_segera" };

#define DEFAULT_INSTRUCTIONS 8
#define DEFAULT_CHECK_ITEMS 3

size_t card_instruction_count(const struct app *app)
{
    return app->cfg->instructions ? app->cfg->instructions_count : DEFAULT_INSTRUCTIONS;
}

const char *card_instruction_label(const struct app *app, const char *lang, size_t index)
{
    if (app->cfg->instructions)
        return index < app->cfg->instructions_count ? app->cfg->instructions[index] : "?";
    char key[48];
    snprintf(key, sizeof key, "instruction.%zu", index + 1);
    return i18n_text(app->i18n, lang, key);
}

size_t card_check_item_count(const struct app *app)
{
    return app->cfg->checklist_items ? app->cfg->checklist_items_count : DEFAULT_CHECK_ITEMS;
}

const char *card_check_item_label(const struct app *app, const char *lang, size_t index)
{
    if (app->cfg->checklist_items)
        return index < app->cfg->checklist_items_count ? app->cfg->checklist_items[index] : "?";
    char key[48];
    snprintf(key, sizeof key, "check_item.%zu", index + 1);
    return i18n_text(app->i18n, lang, key);
}

const char *card_lang_of(struct app *app, int64_t user_id)
{
    struct db_user user;
    if (db_user_get(app->db, user_id, &user) != 0)
        return i18n_pick(app->i18n, NULL, NULL);
    return i18n_pick(app->i18n, user.language, user.tg_language);
}

/* --- text ------------------------------------------------------------------ */

const char *card_event_label(const struct app *app, const char *lang, const char *event,
                             const char *state_after)
{
    /* "Dispositioned to the Kabid" says more than "Dispositioned": a label
     * for the event and where it led wins when the catalog has one. */
    char key[96];
    snprintf(key, sizeof key, "event.%s.%s", event, state_after ? state_after : "");
    const char *text = i18n_text(app->i18n, lang, key);
    if (strcmp(text, key) != 0)
        return text;
    snprintf(key, sizeof key, "event.%s", event);
    return i18n_text(app->i18n, lang, key);
}

/* A case's dispositions and each official's latest (by_step[1] the
 * Kadis's, by_step[2] the Kabid's; NULL when none), pointing into list. */
struct dispositions {
    struct db_disposition list[8];
    size_t count;
    const struct db_disposition *by_step[3];
};

static int dispositions_load(struct app *app, int64_t case_id, struct dispositions *d)
{
    memset(d, 0, sizeof *d);
    int rc = db_dispositions_list(app->db, case_id, d->list, 8, &d->count);
    for (size_t i = 0; !rc && i < d->count; i++)
        if (d->list[i].step == 1 || d->list[i].step == 2)
            d->by_step[d->list[i].step] = &d->list[i];
    return rc;
}

bool case_card_rahasia(struct app *app, const struct db_case *c)
{
    struct dispositions d;
    if (dispositions_load(app, c->wf.case_id, &d) != 0)
        return true; /* unknown: keep the subject to the card */
    for (size_t i = 0; i < d.count; i++)
        if (strstr(d.list[i].sifat, "rahasia"))
            return true;
    return false;
}

const char *case_card_notice_subject(struct app *app, const struct db_case *c, const char *lang)
{
    return case_card_rahasia(app, c) ? i18n_text(app->i18n, lang, "card.subject_rahasia")
                                     : c->subject;
}

/* The case header: number and agency. */
static char *case_card_head(struct app *app, const struct db_case *c, const char *lang)
{
    struct db_agency agency = { 0 };
    if (db_agency_get(app->db, c->wf.agency_id, &agency) != 0)
        snprintf(agency.name, sizeof agency.name, "?");
    return i18n_format(app->i18n, lang, "card.head", "number", c->number, "agency", agency.name,
                       NULL);
}

/* The letter's particulars under the header. */
static char *case_card_details(struct app *app, const struct db_case *c, const char *lang)
{
    struct text t;
    text_init(&t, app->i18n, lang);
    char holders[16], agenda[32], received[48], letter_date[48];
    snprintf(holders, sizeof holders, "%d", c->holders_count);
    snprintf(agenda, sizeof agenda, "%04d/%d", c->agenda_number, c->agenda_year);
    text_when(app->i18n, lang, c->created_at, received, sizeof received);
    text_add(&t, "card.subject", "subject", c->subject, NULL);
    text_date_long(app->i18n, lang, c->letter_date, letter_date, sizeof letter_date);
    text_add(&t, "card.letter", "letter_number", c->letter_number, "letter_date", letter_date,
             NULL);
    text_add(&t, "card.holders", "count", holders, NULL);
    text_add(&t, "card.agenda", "agenda", agenda, "received", received, NULL);
    if (c->sifat[0]) {
        char key[32];
        snprintf(key, sizeof key, "sifat.%s", c->sifat);
        text_add(&t, "card.sifat", "sifat", i18n_text(app->i18n, lang, key), NULL);
    }
    return text_take(&t);
}

char *case_card_summary(struct app *app, const struct db_case *c, const char *lang)
{
    struct text t;
    text_init(&t, app->i18n, lang);
    text_own(&t, case_card_head(app, c, lang));
    text_own(&t, case_card_details(app, c, lang));
    return text_take(&t);
}

/* Who acted; an acting official as "Plh." or, when their appointment on
 * that day (`at_ms`) is a Plt., as "Plt.". */
static void add_who(struct text *t, struct app *app, const char *lang, int64_t actor_id,
                    const char *acted_as, bool via_plh, int64_t at_ms)
{
    char name[DB_NAME_MAX], key[32];
    db_person_name(app->db, actor_id, name, sizeof name);
    snprintf(key, sizeof key, "role_short.%s", acted_as);
    const char *role = i18n_text(app->i18n, lang, key);
    const char *who_key = via_plh ? "card.who_plh" : "card.who";
    char day[CAL_DATE_SIZE];
    cal_date_format(cal_day_of(at_ms), day);
    struct db_plh acting;
    if (via_plh && db_plh_of_acting(app->db, role_parse(acted_as), actor_id, day, &acting) == 0 &&
        acting.kind == DB_PLH_KIND_PLT)
        who_key = "card.who_plt";
    text_add(t, who_key, "name", name, "role", role, NULL);
}

/* The slots offered to the applicant, numbered as their buttons are. */
static void add_offer(struct text *t, struct app *app, const struct db_case *c, const char *lang)
{
    struct db_session offered[WF_SLOTS_MAX];
    size_t count = 0;
    if (db_sessions_of_case(app->db, c->wf.case_id, SESSION_OFFERED, offered, WF_SLOTS_MAX,
                            &count) != 0)
        return;
    text_add(t, "card.offer", NULL);
    for (size_t i = 0; i < count; i++) {
        char index[24];
        snprintf(index, sizeof index, "%zu", i + 1);
        text_add(t, "card.offer_index", "index", index, NULL);
        text_own(t, sessions_line_html(app, lang, &offered[i]));
    }
}

static void add_step(struct text *t, struct app *app, const struct db_case *c, const char *lang)
{
    char key[48], step[8];
    snprintf(key, sizeof key, "state.%s", wf_state_name(c->wf.state));
    if (wf_state_closed(c->wf.state)) {
        text_add(t, "card.closed", "state", i18n_text(app->i18n, lang, key), NULL);
        return;
    }
    snprintf(step, sizeof step, "%d", wf_state_step(c->wf.state));
    text_add(t, "card.step", "step", step, "title", i18n_text(app->i18n, lang, key), NULL);
    struct db_clock clock;
    if (db_clock_open(app->db, c->wf.case_id, &clock) == 0) {
        char standard[48];
        text_minutes(app->i18n, lang, clock.standard_minutes, standard, sizeof standard);
        if (clock.paused_at) {
            text_add(t, "card.paused", "standard", standard, NULL);
        } else {
            /* the deadline itself is on the card's first line (add_ask) */
            text_add(t, "card.standard", "standard", standard, NULL);
        }
    }
    if (c->wf.state == WF_S6_MENUNGGU_KONFIRMASI) {
        add_offer(t, app, c, lang);
    } else if (c->wf.state == WF_S7_PENDAMPINGAN) {
        char when[48], pelaksana[DB_NAME_MAX];
        text_when(app->i18n, lang, c->wf.session_at_ms, when, sizeof when);
        db_person_name(app->db, c->wf.pelaksana_id, pelaksana, sizeof pelaksana);
        text_add(t, "card.session", "when", when, "place", c->session_place, "pelaksana",
                 pelaksana, NULL);
        certificates_card_validity(t, app, c, lang, clock_now_ms(&app->clock));
    }
}

/* One history entry in full: when, what, who, the note. */
static void add_history_entry(struct text *t, struct app *app, const char *lang,
                              const struct db_audit_row *row)
{
    char when[48];
    text_when(app->i18n, lang, row->at, when, sizeof when);
    text_add(t, "card.history_line", "when", when, "event",
             card_event_label(app, lang, row->event, row->state_after), NULL);
    if (row->actor_id)
        add_who(t, app, lang, row->actor_id, row->acted_as, row->via_plh, row->at);
    if (row->note[0]) {
        char note[CARD_NOTE_SHORT];
        text_cut(row->note, note, sizeof note);
        text_add(t, "card.history_note", "note", note, NULL);
    }
}

/* The newest CARD_HISTORY_SHOWN entries in full; the CARD_HISTORY_FOLDED
 * before them one line each inside an expandable quote that says how many
 * there are; any older ones are counted, never dropped silently. */
static void add_history(struct text *t, struct app *app, const struct db_case *c,
                        const char *lang)
{
    size_t total = 0, count = 0;
    struct db_audit_row *rows = calloc(CARD_HISTORY_MAX, sizeof *rows);
    if (!rows) {
        t->html.failed = true;
        return;
    }
    if (db_audit_count(app->db, c->wf.case_id, &total) != 0 ||
        db_audit_list(app->db, c->wf.case_id, rows, CARD_HISTORY_MAX, &count) != 0 || !count)
        goto out;
    text_add(t, "card.history", NULL);
    size_t shown = count < CARD_HISTORY_SHOWN ? count : CARD_HISTORY_SHOWN;
    size_t folded = count - shown;
    if (total > count || folded) {
        char before[24], older[24];
        snprintf(before, sizeof before, "%zu", total - shown);
        snprintf(older, sizeof older, "%zu", total - count);
        text_raw(t, "\n<blockquote expandable>");
        text_add(t, "card.history_folded", "count", before, NULL);
        if (total > count)
            text_add(t, "card.history_older", "count", older, NULL);
        for (size_t i = 0; i < folded; i++) {
            char when[48];
            text_when(app->i18n, lang, rows[i].at, when, sizeof when);
            text_add(t, "card.history_short", "when", when, "event",
                     card_event_label(app, lang, rows[i].event, rows[i].state_after), NULL);
        }
        text_raw(t, "</blockquote>");
    }
    for (size_t i = folded; i < count; i++)
        add_history_entry(t, app, lang, &rows[i]);
out:
    free(rows);
}

/* The instructions of a disposition ("0,3") in words, "; "-separated. */
static void instructions_text(struct app *app, const char *lang, const char *indices, char *out,
                              size_t size)
{
    size_t length = 0;
    out[0] = '\0';
    for (const char *p = indices; *p;) {
        char *end = NULL;
        unsigned long index = strtoul(p, &end, 10);
        if (end == p)
            break;
        if (index < card_instruction_count(app)) {
            int n = snprintf(out + length, size - length, "%s%s", length ? "; " : "",
                             card_instruction_label(app, lang, index));
            if (n < 0 || (size_t)n >= size - length)
                break;
            length += (size_t)n;
        }
        p = *end == ',' ? end + 1 : end;
    }
}

/* "Segera · Rahasia" from the stored "segera+rahasia". */
static void sifat_text(struct app *app, const char *lang, const char *sifat, char *out,
                       size_t size)
{
    char urgency[16];
    snprintf(urgency, sizeof urgency, "%s", sifat[0] ? sifat : "biasa");
    char *plus = strchr(urgency, '+');
    if (plus)
        *plus = '\0';
    char key[32];
    snprintf(key, sizeof key, "sifat.%s", urgency);
    snprintf(out, size, "%s%s%s", i18n_text(app->i18n, lang, key), plus ? " \xc2\xb7 " : "",
             plus ? i18n_text(app->i18n, lang, "sifat.rahasia") : "");
}

/* The disposition a card's reader received, in full at the top of the card
 * (`full`), or each official's latest in one short line. */
static void add_disposition(struct text *t, struct app *app, const char *lang,
                            const struct db_disposition *d, bool full)
{
    char role_key_name[32], instructions[DB_TEXT_MAX], sifat[64], when[48];
    snprintf(role_key_name, sizeof role_key_name, "role_short.%s", d->acted_as);
    const char *role = i18n_text(app->i18n, lang, role_key_name);
    instructions_text(app, lang, d->instructions, instructions, sizeof instructions);
    if (!instructions[0])
        snprintf(instructions, sizeof instructions, "%s",
                 i18n_text(app->i18n, lang, "card.disposition_default"));
    sifat_text(app, lang, d->sifat, sifat, sizeof sifat);
    text_when(app->i18n, lang, d->at, when, sizeof when);
    char note[CARD_NOTE_SHORT];
    text_cut(d->note, note, sizeof note);
    const char *plh = d->via_plh ? i18n_text(app->i18n, lang, "card.disposition_plh") : "";
    if (full) {
        text_add(t, "card.disposition_in", "role", role, "plh", plh, "name", d->author_name,
                 "when", when, "instructions", instructions, "sifat", sifat, NULL);
        if (note[0])
            text_add(t, "card.disposition_note", "note", note, NULL);
    } else {
        text_add(t, "card.disposition_line", "role", role, "plh", plh, "instructions",
                 instructions, "sifat", sifat, NULL);
        if (note[0])
            text_add(t, "card.disposition_line_note", "note", note, NULL);
    }
}

int case_card_dispositions_plain(struct app *app, int64_t case_id, const char *lang, char *out,
                                 size_t size)
{
    struct dispositions all;
    size_t length = 0;
    out[0] = '\0';
    int rc = dispositions_load(app, case_id, &all);
    if (rc)
        return rc;
    for (int step = 1; step <= 2; step++) {
        const struct db_disposition *d = all.by_step[step];
        if (!d)
            continue;
        char role_key_name[32], instructions[DB_TEXT_MAX], sifat[64];
        snprintf(role_key_name, sizeof role_key_name, "role_short.%s", d->acted_as);
        instructions_text(app, lang, d->instructions, instructions, sizeof instructions);
        sifat_text(app, lang, d->sifat, sifat, sizeof sifat);
        int n = snprintf(out + length, size - length, "%s%s%s: %s \xc2\xb7 %s%s%s%s",
                         length ? "; " : "",
                         d->via_plh ? i18n_text(app->i18n, lang, "card.disposition_plh") : "",
                         i18n_text(app->i18n, lang, role_key_name), instructions, sifat,
                         d->note[0] ? " \xc2\xb7 \xe2\x80\x9c" : "", d->note,
                         d->note[0] ? "\xe2\x80\x9d" : "");
        if (n < 0 || (size_t)n >= size - length) {
            utf8_trim(out, size - 1);
            break;
        }
        length += (size_t)n;
    }
    return 0;
}

/* What travels with the case from the disposition sheets: the Kabid's card
 * opens with the Kadis's disposition, the Kasi's with the Kabid's; every
 * later official's card keeps each one as a line. The applicant's views
 * leave them out: they are the agency's internal instructions. */
static void add_dispositions(struct text *t, struct app *app, const struct db_case *c,
                             const char *lang, bool top)
{
    enum role holder = wf_state_holder_role(c->wf.state);
    if (holder == ROLE_APPLICANT || wf_state_closed(c->wf.state) ||
        c->wf.state == WF_S1_DISPOSISI_KADIS)
        return;
    struct dispositions all;
    if (dispositions_load(app, c->wf.case_id, &all) != 0 || !all.count)
        return;
    const struct db_disposition *const *latest = all.by_step;
    int received = c->wf.state == WF_S2_DISPOSISI_KABID   ? 1
                   : c->wf.state == WF_S3_VERIFIKASI_KASI ? 2
                                                          : 0;
    if (top) {
        if (received && latest[received])
            add_disposition(t, app, lang, latest[received], true);
        return;
    }
    bool heading = false;
    for (int step = 1; step <= 2; step++) {
        if (step == received || !latest[step])
            continue;
        if (!heading)
            text_add(t, "card.dispositions", NULL);
        heading = true;
        add_disposition(t, app, lang, latest[step], false);
    }
}

/* The first line after the header: what is asked of the card's reader and
 * by when, in words ("Mohon disposisi sebelum 09.37 WIB (15 menit lagi)"). */
static void add_ask(struct text *t, struct app *app, const struct db_case *c, const char *lang)
{
    if (wf_state_closed(c->wf.state))
        return;
    char key[64];
    snprintf(key, sizeof key, "ask.%s", wf_state_name(c->wf.state));
    const char *ask = i18n_text(app->i18n, lang, key);
    struct db_clock clock;
    if (db_clock_open(app->db, c->wf.case_id, &clock) != 0 || clock.paused_at ||
        !clock.deadline) {
        text_add(t, "card.ask_open", "ask", ask, NULL);
        return;
    }
    int64_t now = clock_now_ms(&app->clock);
    char deadline[64], span[48];
    if (cal_day_of(clock.deadline) == cal_day_of(now))
        text_time(app->i18n, lang, clock.deadline, deadline, sizeof deadline);
    else
        text_when(app->i18n, lang, clock.deadline, deadline, sizeof deadline);
    text_span(app->i18n, lang, clock.deadline > now ? clock.deadline - now : now - clock.deadline,
              span, sizeof span);
    text_add(t, clock.deadline > now ? "card.ask" : "card.ask_late", "ask", ask, "deadline",
             deadline, "span", span, NULL);
}

char *case_card_text(struct app *app, const struct db_case *c, const char *lang)
{
    struct text t;
    text_init(&t, app->i18n, lang);
    text_own(&t, case_card_head(app, c, lang));
    add_ask(&t, app, c, lang);
    add_dispositions(&t, app, c, lang, true);
    text_own(&t, case_card_details(app, c, lang));
    add_step(&t, app, c, lang);
    add_dispositions(&t, app, c, lang, false);
    /* The applicant's own card (documents, the session) leaves out the
     * agency's internal history: /status shows them their timeline. */
    if (wf_state_holder_role(c->wf.state) != ROLE_APPLICANT)
        add_history(&t, app, c, lang);
    return text_take(&t);
}

/* --- buttons --------------------------------------------------------------- */

struct keys {
    struct app *app;
    const struct db_case *c;
    const char *lang;
    cJSON *keyboard;
    cJSON *row;
    int failed;
};

static void key_row(struct keys *k)
{
    k->row = keyboard_row(k->keyboard);
    if (!k->row)
        k->failed = 1;
}

/* A button with a catalog label and data "<prefix>:<case>:<version>:<rest>". */
static void key_add(struct keys *k, const char *label, const char *prefix, const char *rest)
{
    if (k->failed)
        return;
    if (!k->row)
        key_row(k);
    char data[KEYBOARD_DATA_MAX + 1];
    snprintf(data, sizeof data, "%s:%" PRId64 ":%" PRIu32 ":%s", prefix, k->c->wf.case_id,
             k->c->wf.version, rest);
    if (k->row && keyboard_button(k->row, label, data) != 0)
        k->failed = 1;
}

/* What a button is called: the label for the event in this state, which
 * says where the case goes ("Teruskan ke Kabid"), else the event's own. */
static const char *event_button_label(struct app *app, const char *lang, enum wf_event_kind kind,
                                      enum wf_state state)
{
    char key[96];
    snprintf(key, sizeof key, "button.%s.%s", wf_event_name(kind), wf_state_name(state));
    const char *text = i18n_text(app->i18n, lang, key);
    if (strcmp(text, key) != 0)
        return text;
    snprintf(key, sizeof key, "button.%s", wf_event_name(kind));
    return i18n_text(app->i18n, lang, key);
}

static void key_event(struct keys *k, enum wf_event_kind kind, const char *arg)
{
    char rest[48];
    snprintf(rest, sizeof rest, "%s%s%s", wf_event_name(kind), arg ? ":" : "", arg ? arg : "");
    key_add(k, event_button_label(k->app, k->lang, kind, k->c->wf.state), "c", rest);
}

/* Steps 1 and 2 open with the one-tap default ("Disposisikan ke Kabid:
 * tindak lanjuti") and "Ubah instruksi…", which opens the whole sheet; a
 * sheet already opened or filled in stays open. True when it is folded, so
 * the card leaves out the plain "Teruskan" button. */
static bool keys_disposition_folded(struct keys *k, const cJSON *draft)
{
    if (cJSON_GetObjectItemCaseSensitive(draft, "o") ||
        cJSON_GetObjectItemCaseSensitive(draft, "i") ||
        cJSON_GetObjectItemCaseSensitive(draft, "s") ||
        cJSON_GetObjectItemCaseSensitive(draft, "r") ||
        cJSON_GetObjectItemCaseSensitive(draft, "n"))
        return false;
    char key[96];
    snprintf(key, sizeof key, "button.dispose_default.%s", wf_state_name(k->c->wf.state));
    key_row(k);
    key_add(k, i18n_text(k->app->i18n, k->lang, key), "c", wf_event_name(WF_EV_DISPOSE));
    key_row(k);
    key_add(k, i18n_text(k->app->i18n, k->lang, "button.disposition_open"), "d", "o");
    return true;
}

/* Disposition (steps 1 and 2): instructions, the letter's nature, a note. */
static bool keys_disposition(struct keys *k)
{
    char *json = NULL;
    cJSON *draft = NULL;
    if (db_card_draft_get(k->app->db, k->c->wf.case_id, wf_state_step(k->c->wf.state), &json) == 0)
        draft = cJSON_Parse(json);
    free(json);
    if (keys_disposition_folded(k, draft)) {
        cJSON_Delete(draft);
        return true;
    }
    const cJSON *chosen = cJSON_GetObjectItemCaseSensitive(draft, "i");
    const cJSON *sifat = cJSON_GetObjectItemCaseSensitive(draft, "s");
    const cJSON *secret = cJSON_GetObjectItemCaseSensitive(draft, "r");
    size_t n = card_instruction_count(k->app);
    for (size_t i = 0; i < n; i++) {
        bool on = false;
        const cJSON *item;
        cJSON_ArrayForEach(item, chosen) {
            int64_t index = -1;
            on |= json_number_int64(item, 0, INT32_MAX, &index) == 0 && (size_t)index == i;
        }
        char label[256], rest[24];
        snprintf(label, sizeof label, "%s %s", on ? "\xe2\x9c\x85" : "\xe2\x96\xab\xef\xb8\x8f",
                 card_instruction_label(k->app, k->lang, i));
        snprintf(rest, sizeof rest, "i%zu", i);
        if (i % 2 == 0)
            key_row(k);
        key_add(k, label, "d", rest);
    }
    key_row(k);
    for (size_t i = 0; i < CARD_SIFAT_COUNT; i++) {
        char key[32], label[128], rest[16];
        snprintf(key, sizeof key, "sifat.%s", card_sifat_keys[i]);
        bool on = cJSON_IsString(sifat) ? strcmp(sifat->valuestring, card_sifat_keys[i]) == 0
                                        : i == 0;
        snprintf(label, sizeof label, "%s%s", on ? "\xe2\x97\x89 " : "",
                 i18n_text(k->app->i18n, k->lang, key));
        snprintf(rest, sizeof rest, "s%zu", i);
        key_add(k, label, "d", rest);
    }
    key_row(k);
    char label[128];
    snprintf(label, sizeof label, "%s %s", cJSON_IsTrue(secret) ? "\xe2\x9c\x85" : "\xe2\x96\xab\xef\xb8\x8f",
             i18n_text(k->app->i18n, k->lang, "sifat.rahasia"));
    key_add(k, label, "d", "r");
    key_add(k, i18n_text(k->app->i18n, k->lang, "button.disposition_note"), "d", "n");
    cJSON_Delete(draft);
    return false;
}

/* Step 3: each holder's requirements, two to a row, each button named
 * "<item> · <holder>", then "Semua lengkap · <holder>". An item the Kasi
 * tapped once to mark missing (checklist.c keeps it as "arm" in the step-3
 * draft, with the case's version) waits for the second tap with a "?" and
 * data "<holder>:x<item>". */
#define CHECK_NAME_MAX 25 /* bytes of a holder's name on a button */

static void check_label(char *label, size_t size, const char *mark, const char *item,
                        const char *holder)
{
    char name[CHECK_NAME_MAX];
    utf8_copy(name, sizeof name, holder);
    snprintf(label, size, "%s %s \xc2\xb7 %s", mark, item, name);
}

static enum db_check_status check_status(const struct db_check *checks, size_t count,
                                         int64_t holder_id, size_t index)
{
    char item[32];
    snprintf(item, sizeof item, "%zu", index);
    for (size_t x = 0; x < count; x++)
        if (checks[x].holder_id == holder_id && strcmp(checks[x].item, item) == 0)
            return checks[x].status;
    return CHECK_UNSET;
}

/* The item waiting for its second tap, "<version>:<holder>:<item>" ("" for
 * none); an arm of an older version (the case moved since) is void. */
static void checklist_armed(struct app *app, int64_t case_id, char *armed, size_t size)
{
    char *json = NULL;
    armed[0] = '\0';
    if (db_card_draft_get(app->db, case_id, 3, &json) != 0)
        return;
    cJSON *draft = cJSON_Parse(json);
    free(json);
    const cJSON *arm = cJSON_GetObjectItemCaseSensitive(draft, "arm");
    if (cJSON_IsString(arm))
        snprintf(armed, size, "%s", arm->valuestring);
    cJSON_Delete(draft);
}

static void keys_checklist(struct keys *k)
{
    struct db_holder holders[DB_HOLDERS_MAX];
    struct db_check checks[DB_CHECKS_MAX];
    size_t holder_count = 0, check_count = 0;
    if (db_holders_list(k->app->db, k->c->wf.case_id, holders, DB_HOLDERS_MAX,
                        &holder_count) != 0 ||
        db_checks_list(k->app->db, k->c->wf.case_id, checks, DB_CHECKS_MAX, &check_count) != 0) {
        k->failed = 1;
        return;
    }
    char armed[48];
    checklist_armed(k->app, k->c->wf.case_id, armed, sizeof armed);
    size_t items = card_check_item_count(k->app);
    for (size_t h = 0; h < holder_count; h++) {
        for (size_t i = 0; i < items; i++) {
            if (i % 2 == 0) /* two to a row: a phone shows the names whole */
                key_row(k);
            enum db_check_status status = check_status(checks, check_count, holders[h].id, i);
            char label[192], rest[48], spot[48];
            snprintf(spot, sizeof spot, "%" PRIu32 ":%zu:%zu", k->c->wf.version, h + 1, i);
            bool arm = status == CHECK_OK && strcmp(spot, armed) == 0;
            const char *mark = arm                     ? "\xe2\x9d\x93"
                               : status == CHECK_OK      ? "\xe2\x9c\x85"
                               : status == CHECK_MISSING ? "\xe2\x9d\x8c"
                                                         : "\xe2\x96\xab\xef\xb8\x8f";
            check_label(label, sizeof label, mark, card_check_item_label(k->app, k->lang, i),
                        holders[h].name);
            snprintf(rest, sizeof rest, arm ? "%zu:x%zu" : "%zu:%zu", h + 1, i);
            key_add(k, label, "k", rest);
        }
        char label[192], rest[24];
        check_label(label, sizeof label, "\xe2\x9c\x94\xef\xb8\x8f",
                    i18n_text(k->app->i18n, k->lang, "checklist.button.all"), holders[h].name);
        snprintf(rest, sizeof rest, "%zu:a", h + 1);
        key_row(k);
        key_add(k, label, "k", rest);
    }
}

/* Step 7: the report's checklist. */
static void keys_report(struct keys *k)
{
    char *json = NULL;
    cJSON *draft = NULL;
    if (db_card_draft_get(k->app->db, k->c->wf.case_id, 7, &json) == 0)
        draft = cJSON_Parse(json);
    free(json);
    /* The SOP's 7a per certificate holder, then 7b and 7c. */
    struct db_holder holders[DB_HOLDERS_MAX];
    size_t holder_count = 0;
    if (db_holders_list(k->app->db, k->c->wf.case_id, holders, DB_HOLDERS_MAX, &holder_count) != 0)
        k->failed = 1;
    for (size_t h = 0; h < holder_count; h++) {
        char item[32], label[320];
        snprintf(item, sizeof item, "login%zu", h + 1);
        bool on = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(draft, item));
        char *text = i18n_format(k->app->i18n, k->lang, "report.login_holder", "name",
                                 holders[h].name, NULL);
        char *plain = text ? tg_html_plain(text) : NULL;
        snprintf(label, sizeof label, "%s %s", on ? "\xe2\x9c\x85" : "\xe2\x96\xab\xef\xb8\x8f",
                 plain ? plain : holders[h].name);
        free(plain);
        free(text);
        key_row(k);
        key_add(k, label, "r", item);
    }
    static const char *const items[] = { "usage", "security" };
    for (size_t i = 0; i < 2; i++) {
        char key[48], label[160];
        snprintf(key, sizeof key, "report.%s", items[i]);
        bool on = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(draft, items[i]));
        snprintf(label, sizeof label, "%s %s", on ? "\xe2\x9c\x85" : "\xe2\x96\xab\xef\xb8\x8f",
                 i18n_text(k->app->i18n, k->lang, key));
        key_row(k);
        key_add(k, label, "r", items[i]);
    }
    key_row(k);
    key_add(k, i18n_text(k->app->i18n, k->lang, "button.report_note"), "r", "note");
    key_add(k, i18n_text(k->app->i18n, k->lang, "cert.button.valid"), "r", CERT_DRAFT_VALID);
    cJSON_Delete(draft);
}

/* Step 6d: one button per slot offered ("c:<case>:<version>:confirm_session:<id>"). */
static void keys_offer(struct keys *k)
{
    struct db_session offered[WF_SLOTS_MAX];
    size_t count = 0;
    if (db_sessions_of_case(k->app->db, k->c->wf.case_id, SESSION_OFFERED, offered,
                            WF_SLOTS_MAX, &count) != 0) {
        k->failed = 1;
        return;
    }
    for (size_t i = 0; i < count; i++) {
        char key[32], when[48], label[160], arg[24];
        snprintf(key, sizeof key, "schedule.weekday.%d",
                 cal_weekday(cal_day_of(offered[i].start_at)));
        text_when(k->app->i18n, k->lang, offered[i].start_at, when, sizeof when);
        snprintf(label, sizeof label, "\xe2\x9c\x85 %zu \xc2\xb7 %s %s", i + 1,
                 i18n_text(k->app->i18n, k->lang, key), when);
        snprintf(arg, sizeof arg, "%" PRId64, offered[i].id);
        key_row(k);
        char rest[48];
        snprintf(rest, sizeof rest, "%s:%s", wf_event_name(WF_EV_CONFIRM_SESSION), arg);
        key_add(k, label, "c", rest);
    }
}

/* "Lihat surat": the letters of the case, whatever the step (case_files.c). */
static void keys_case_files(struct keys *k)
{
    if (k->failed)
        return;
    char data[KEYBOARD_DATA_MAX + 1];
    snprintf(data, sizeof data, "f:%" PRId64, k->c->wf.case_id);
    key_row(k);
    if (k->row && keyboard_button(k->row, i18n_text(k->app->i18n, k->lang, "button.case_files"),
                                  data) != 0)
        k->failed = 1;
}

static bool flag_done(const struct wf_case *c, enum wf_event_kind kind)
{
    switch (kind) {
    case WF_EV_CONFIRM_FILES: return c->files_confirmed;
    case WF_EV_CONFIRM_DRAFT: return c->draft_confirmed;
    case WF_EV_UPLOAD_SIGNED: return c->signed_letter_uploaded;
    case WF_EV_SET_CHECKLIST_COMPLETE: return c->checklist_complete;
    case WF_EV_SET_DRAFT_READY: return c->draft_ready;
    default: return false;
    }
}

cJSON *case_card_keyboard(struct app *app, const struct db_case *c, const char *lang,
                          int *failed)
{
    *failed = 0;
    if (wf_state_closed(c->wf.state))
        return NULL;
    struct keys k = { .app = app, .c = c, .lang = lang, .keyboard = keyboard_new() };
    if (!k.keyboard) {
        *failed = 1;
        return NULL;
    }
    bool folded = false;
    if (c->wf.state == WF_S1_DISPOSISI_KADIS || c->wf.state == WF_S2_DISPOSISI_KABID)
        folded = keys_disposition(&k);
    else if (c->wf.state == WF_S3_VERIFIKASI_KASI)
        keys_checklist(&k);
    else if (c->wf.state == WF_S7_PENDAMPINGAN)
        keys_report(&k);

    enum wf_event_kind kinds[16];
    size_t n = wf_state_events(c->wf.state, kinds, 16);
    for (size_t i = 0; i < n; i++) {
        if (kinds[i] == WF_EV_REASSIGN)
            continue; /* an admin's tool, in /admin */
        if (kinds[i] == WF_EV_DISPOSE && folded)
            continue; /* the one-tap default is on top */
        /* Moving or calling off a session is for the Kasi and the applicant:
         * those buttons come with their calendar file and in /jadwal. */
        if (kinds[i] == WF_EV_RESCHEDULE_SESSION || kinds[i] == WF_EV_CANCEL_SESSION)
            continue;
        if (kinds[i] == WF_EV_CONFIRM_SESSION) {
            keys_offer(&k);
            continue;
        }
        key_row(&k);
        if (kinds[i] == WF_EV_BSRE_REPLY) {
            static const char *const outcomes[] = { "accepted", "incomplete", "rejected" };
            for (size_t o = 0; o < 3; o++) {
                char key[48];
                snprintf(key, sizeof key, "button.bsre_reply.%s", outcomes[o]);
                char rest[48];
                snprintf(rest, sizeof rest, "bsre_reply:%s", outcomes[o]);
                key_add(&k, i18n_text(app->i18n, lang, key), "c", rest);
            }
            continue;
        }
        if (flag_done(&c->wf, kinds[i])) {
            char key[64], label[160];
            snprintf(key, sizeof key, "button.%s", wf_event_name(kinds[i]));
            snprintf(label, sizeof label, "\xe2\x9c\x85 %s", i18n_text(app->i18n, lang, key));
            char rest[48];
            snprintf(rest, sizeof rest, "%s", wf_event_name(kinds[i]));
            key_add(&k, label, "c", rest);
            continue;
        }
        if (kinds[i] == WF_EV_SENT_TO_BSRE && config_mail_enabled(app->cfg)) {
            /* By e-mail (mail_send.c); the manual record stays as the fallback. */
            key_add(&k, i18n_text(app->i18n, lang, "mail.button.preview"), "m", "preview");
            key_row(&k);
        }
        key_event(&k, kinds[i], NULL);
        if (kinds[i] == WF_EV_SET_DRAFT_READY)
            key_add(&k, i18n_text(app->i18n, lang, "button.upload_draft"), "c", "upload_draft");
    }
    keys_case_files(&k);
    if (k.failed) {
        cJSON_Delete(k.keyboard);
        *failed = 1;
        return NULL;
    }
    return k.keyboard;
}

cJSON *case_card_session_keyboard(struct app *app, const struct db_case *c, const char *lang,
                                  int *failed)
{
    *failed = 0;
    if (c->wf.state != WF_S7_PENDAMPINGAN)
        return NULL;
    struct keys k = { .app = app, .c = c, .lang = lang, .keyboard = keyboard_new() };
    if (!k.keyboard) {
        *failed = 1;
        return NULL;
    }
    key_row(&k);
    key_event(&k, WF_EV_RESCHEDULE_SESSION, NULL);
    key_event(&k, WF_EV_CANCEL_SESSION, NULL);
    if (k.failed) {
        cJSON_Delete(k.keyboard);
        *failed = 1;
        return NULL;
    }
    return k.keyboard;
}

/* The document a step is about, shown above its card. */
static const char *step_document(enum wf_state state)
{
    switch (state) {
    case WF_S1_DISPOSISI_KADIS:
    case WF_S2_DISPOSISI_KABID:
    case WF_S3_VERIFIKASI_KASI:
        return "request_letter";
    case WF_S4_PERIKSA_PELAKSANA:
    case WF_S4_TTD_KADIS:
        return "draft";
    case WF_S6_TTD_KADIS:
        return "notification";
    default:
        return NULL;
    }
}

int case_card_send_document(struct app *app, const struct db_case *c, const char *kind,
                            int64_t chat_id, const char *lang, int64_t now_ms)
{
    struct db_file file;
    int rc = db_file_latest(app->db, c->wf.case_id, kind, &file);
    if (rc)
        return rc;
    char key[48];
    snprintf(key, sizeof key, "file.%s", kind);
    char *caption = i18n_format(app->i18n, lang, "card.document", "number", c->number,
                                "document", i18n_text(app->i18n, lang, key), NULL);
    rc = caption ? outbox_send_file(app->db, chat_id, file.id, caption, NULL, now_ms) : -ENOMEM;
    free(caption);
    return rc;
}

int case_card_send(struct app *app, const struct db_case *c, int64_t chat_id, int64_t now_ms)
{
    const char *lang = card_lang_of(app, chat_id);
    const char *kind = step_document(c->wf.state);
    int rc = kind ? case_card_send_document(app, c, kind, chat_id, lang, now_ms) : 0;
    if (rc && rc != -ENOENT)
        return rc;
    char *html = case_card_text(app, c, lang);
    int failed = 0;
    cJSON *keyboard = html ? case_card_keyboard(app, c, lang, &failed) : NULL;
    if (!html || failed) {
        free(html);
        return -ENOMEM;
    }
    char card_key[64];
    snprintf(card_key, sizeof card_key, "case:%" PRId64 ":%" PRId64, c->wf.case_id, chat_id);
    rc = outbox_send_text(app->db, chat_id, html, keyboard, card_key, now_ms);
    cJSON_Delete(keyboard);
    free(html);
    return rc;
}

int case_card_close(struct app *app, const struct db_case *c, int64_t chat_id, int64_t message_id,
                    const char *lang, const char *event_name, int64_t actor_id, bool via_plh,
                    enum role acted_as, int64_t at_ms, int64_t now_ms)
{
    struct text t;
    text_init(&t, app->i18n, lang);
    text_own(&t, case_card_summary(app, c, lang));
    char when[48];
    text_when(app->i18n, lang, at_ms, when, sizeof when);
    text_add(&t, "card.done", "event",
             card_event_label(app, lang, event_name, wf_state_name(c->wf.state)), "when", when,
             NULL);
    add_who(&t, app, lang, actor_id, role_key(acted_as) ? role_key(acted_as) : "admin", via_plh,
            at_ms);
    char *html = text_take(&t);
    if (!html)
        return -ENOMEM;
    int rc = outbox_edit_text(app->db, chat_id, message_id, html, NULL, now_ms);
    free(html);
    return rc;
}
