/* /ajukan (alias /apply): an applicant operator submits a request, as a
 * guided conversation: the request letter (a file or photo), its number,
 * date and subject, the certificate holders, then a summary to confirm.
 *
 * Each answer is checked, and a wrong one is explained while everything
 * already given is kept. /kembali (/back) goes one question back, /batal
 * (/cancel) drops the draft. The draft lives in the conversations table, so
 * it survives a restart. On confirmation the case gets its number and Buku
 * Agenda entry and goes to the Kadis (case_flow_create). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "args.h"
#include "apply.h"
#include "case_flow.h"
#include "config.h"
#include "db.h"
#include "db_registry.h"
#include "file_limit.h"
#include "case_card.h"
#include "handler.h"
#include "i18n.h"
#include "keyboard.h"
#include "office_calendar.h"
#include "outbox.h"
#include "people.h"
#include "texts.h"
#include "tg_update.h"
#include "typed_answers.h"
#include "utf8.h"

#define INTAKE_KIND "intake"

enum stage { STAGE_LETTER, STAGE_NUMBER, STAGE_DATE, STAGE_SUBJECT, STAGE_HOLDERS, STAGE_CONFIRM };
static const char *const stage_names[] = { "letter", "number", "date", "subject", "holders",
                                           "confirm" };
#define STAGE_COUNT (sizeof stage_names / sizeof stage_names[0])

static enum stage stage_of(const cJSON *draft)
{
    const cJSON *stage = cJSON_GetObjectItemCaseSensitive(draft, "stage");
    for (size_t i = 0; cJSON_IsString(stage) && i < STAGE_COUNT; i++)
        if (strcmp(stage->valuestring, stage_names[i]) == 0)
            return (enum stage)i;
    return STAGE_LETTER;
}

static void set_stage(cJSON *draft, enum stage stage)
{
    cJSON_DeleteItemFromObjectCaseSensitive(draft, "stage");
    cJSON_AddStringToObject(draft, "stage", stage_names[stage]);
}

static void set_string(cJSON *draft, const char *key, const char *value)
{
    cJSON_DeleteItemFromObjectCaseSensitive(draft, key);
    cJSON_AddStringToObject(draft, key, value);
}

static const char *get_string(const cJSON *draft, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(draft, key);
    return cJSON_IsString(item) ? item->valuestring : "";
}

static int save(struct handler_ctx *ctx, const cJSON *draft)
{
    char *json = cJSON_PrintUnformatted(draft);
    if (!json)
        return -ENOMEM;
    int rc = db_conversation_set(ctx->app->db, ctx->update->user_id, INTAKE_KIND, json,
                                 ctx->now_ms);
    free(json);
    return rc;
}

/* --- the PKS precondition -------------------------------------------------- */

/* The SOP's warning: facilitation needs a cooperation agreement (PKS) with
 * BSSN. Returns the sentence that explains why not, or NULL when it holds. */
const char *apply_pks_problem(const struct app *app, int64_t now_ms)
{
    if (!app->cfg->has_pks)
        return "pks.missing";
    char today[11];
    people_today(now_ms, today);
    if (strcmp(app->cfg->pks_valid_until, today) < 0)
        return "pks.expired";
    return NULL;
}

int apply_pks_warn_admins(struct app *app, int64_t now_ms)
{
    const char *problem = apply_pks_problem(app, now_ms);
    if (!problem)
        return 0;
    char today[11], last[16] = "";
    people_today(now_ms, today);
    if (db_state_get(app->db, "pks_warned_on", last, sizeof last) == 0 &&
        strcmp(last, today) == 0)
        return 0; /* once a day is enough */
    int rc = db_state_set(app->db, "pks_warned_on", today);
    for (size_t i = 0; !rc && i < app->cfg->admins_count; i++) {
        const char *lang = card_lang_of(app, app->cfg->admins[i]);
        char key[32];
        snprintf(key, sizeof key, "%s_admin", problem);
        char *html = i18n_format(app->i18n, lang, key, "number",
                                 app->cfg->pks_number ? app->cfg->pks_number : "-", "until",
                                 app->cfg->pks_valid_until, NULL);
        rc = html ? outbox_send_text(app->db, app->cfg->admins[i], html, NULL, NULL, now_ms)
                  : -ENOMEM;
        free(html);
    }
    return rc;
}

/* --- questions ------------------------------------------------------------- */

static int ask(struct handler_ctx *ctx, const cJSON *draft);

static cJSON *confirm_keyboard(struct handler_ctx *ctx)
{
    cJSON *keyboard = keyboard_new();
    cJSON *row = keyboard ? keyboard_row(keyboard) : NULL;
    if (!row ||
        keyboard_button(row, i18n_text(ctx->app->i18n, ctx->lang, "intake.button.submit"),
                        "intake:submit") != 0 ||
        keyboard_button(row, i18n_text(ctx->app->i18n, ctx->lang, "intake.button.back"),
                        "intake:back") != 0 ||
        !(row = keyboard_row(keyboard)) ||
        keyboard_button(row, i18n_text(ctx->app->i18n, ctx->lang, "intake.button.cancel"),
                        "intake:cancel") != 0) {
        cJSON_Delete(keyboard);
        return NULL;
    }
    return keyboard;
}

static int ask_confirm(struct handler_ctx *ctx, const cJSON *draft)
{
    struct text t;
    text_init(&t, ctx->app->i18n, ctx->lang);
    struct db_agency agency = { 0 };
    db_agency_get(ctx->app->db, ctx->actor.agency_id, &agency);
    char date[48];
    text_date_long(ctx->app->i18n, ctx->lang, get_string(draft, "date"), date, sizeof date);
    text_add(&t, "intake.summary", "agency", agency.name, "file", get_string(draft, "file_name"),
             "letter_number", get_string(draft, "number"), "letter_date", date, "subject",
             get_string(draft, "subject"), NULL);
    const cJSON *holder;
    int n = 0;
    cJSON_ArrayForEach(holder, cJSON_GetObjectItemCaseSensitive(draft, "holders")) {
        char index[16];
        snprintf(index, sizeof index, "%d", ++n);
        text_add(&t, "intake.summary_holder", "n", index, "name", get_string(holder, "name"),
                 "nip", get_string(holder, "nip"), "jabatan", get_string(holder, "jabatan"),
                 "email", get_string(holder, "email"), NULL);
    }
    text_add(&t, "intake.summary_end", NULL);
    char *html = text_take(&t);
    cJSON *keyboard = confirm_keyboard(ctx);
    int rc = html && keyboard ? reply_html(ctx, html, keyboard) : -ENOMEM;
    cJSON_Delete(keyboard);
    free(html);
    return rc;
}

static int ask(struct handler_ctx *ctx, const cJSON *draft)
{
    enum stage stage = stage_of(draft);
    if (stage == STAGE_CONFIRM)
        return ask_confirm(ctx, draft);
    char key[48], count[16];
    snprintf(key, sizeof key, "intake.ask.%s", stage_names[stage]);
    snprintf(count, sizeof count, "%d",
             cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(draft, "holders")));
    cJSON *keyboard = NULL;
    if (stage == STAGE_HOLDERS && count[0] != '0') {
        keyboard = keyboard_new();
        cJSON *row = keyboard ? keyboard_row(keyboard) : NULL;
        if (!row || keyboard_button(row, i18n_text(ctx->app->i18n, ctx->lang,
                                                   "intake.button.holders_done"),
                                    "intake:done") != 0) {
            cJSON_Delete(keyboard);
            return -ENOMEM;
        }
    }
    int rc = reply_text(ctx, keyboard, key, "count", count, NULL);
    cJSON_Delete(keyboard);
    return rc;
}

/* --- answers --------------------------------------------------------------- */

static const char *trimmed(const char *text, char *buf, size_t size)
{
    if (!text)
        return NULL;
    while (isspace((unsigned char)*text))
        text++;
    utf8_copy(buf, size, text);
    size_t n = strlen(buf);
    while (n > 0 && isspace((unsigned char)buf[n - 1]))
        buf[--n] = '\0';
    return buf;
}

/* "2026-11-20", "20-11-2026", "20/11/2026" or in words as letters write it
 * ("20 November 2026", args_date_words): a real date, not in the future. */
int apply_letter_date_parse(const char *text, int64_t now_ms, char out[11])
{
    char iso[11];
    int32_t day;
    if (args_date(text, iso) != 0 || cal_date_parse(iso, &day) != 0)
        return -EINVAL;
    if (day > cal_day_of(now_ms))
        return -ERANGE;
    memcpy(out, iso, 11);
    return 0;
}

/* One address check for the whole bot (config_check_email_address); named
 * here for the intake's fuzzer (typed_answers.h). */
bool apply_email_valid(const char *s)
{
    return config_check_email_address(s) == 0;
}

bool apply_nip_valid(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!isdigit((unsigned char)s[n]))
            return false;
    return n == 18;
}

/* One line "name; NIP; position; e-mail"; on error *why is the catalog key. */
int apply_holder_parse(char *line, cJSON **out, const char **why)
{
    /* Room for a fifth field, so that one is refused rather than dropped
     * (found by fuzz_intake); only an empty one after a trailing ';' is fine. */
    char *fields[5] = { 0 };
    size_t n = 0;
    char *rest = line;
    while (rest && n < 5) {
        char *semi = strchr(rest, ';');
        if (semi)
            *semi = '\0';
        char *start = rest;
        while (isspace((unsigned char)*start))
            start++;
        char *end = start + strlen(start);
        while (end > start && isspace((unsigned char)end[-1]))
            *--end = '\0';
        fields[n++] = start;
        rest = semi ? semi + 1 : NULL;
    }
    if (n == 5 && !fields[4][0] && !rest)
        n = 4;
    if (n != 4) {
        *why = "intake.holder.fields";
        return -EINVAL;
    }
    /* One line each, as every name (args.h): a tab, a carriage return or an
     * escape in a letter or an e-mail is refused (found by fuzz_intake). */
    if (!fields[0][0] || strlen(fields[0]) > 120 || !args_one_line(fields[0])) {
        *why = "intake.holder.name";
        return -EINVAL;
    }
    /* Kept as the 18 digits; letters print it grouped again. */
    char nip[ARGS_NIP_DIGITS + 1];
    if (args_nip(fields[1], nip) != 0) {
        *why = "intake.holder.nip";
        return -EINVAL;
    }
    if (!fields[2][0] || strlen(fields[2]) > 200 || !args_one_line(fields[2])) {
        *why = "intake.holder.jabatan";
        return -EINVAL;
    }
    if (!apply_email_valid(fields[3]) || strlen(fields[3]) > 200 || !args_one_line(fields[3])) {
        *why = "intake.holder.email";
        return -EINVAL;
    }
    cJSON *holder = cJSON_CreateObject();
    if (!holder)
        return -ENOMEM;
    cJSON_AddStringToObject(holder, "name", fields[0]);
    cJSON_AddStringToObject(holder, "nip", nip);
    cJSON_AddStringToObject(holder, "jabatan", fields[2]);
    cJSON_AddStringToObject(holder, "email", fields[3]);
    *out = holder;
    return 0;
}

/* A holder's address outside the agency's email_domains (config): the line
 * is refused with the domains that are allowed. True when refused. */
static bool refuse_domain(struct handler_ctx *ctx, const char *agency, const cJSON *holder,
                          struct text *problems, int line_no, const char *shown)
{
    const struct config_agency_domains *allowed = NULL;
    const cJSON *email = cJSON_GetObjectItemCaseSensitive(holder, "email");
    if (config_agency_email_allowed(ctx->app->cfg, agency, cJSON_GetStringValue(email),
                                    &allowed) != -EACCES || !allowed)
        return false;
    char list[512] = "", number[16];
    size_t n = 0;
    for (size_t i = 0; i < allowed->count && n + 1 < sizeof list; i++) {
        int k = snprintf(list + n, sizeof list - n, "%s@%s", i ? ", " : "", allowed->domains[i]);
        if (k < 0 || (size_t)k >= sizeof list - n)
            break;
        n += (size_t)k;
    }
    snprintf(number, sizeof number, "%d", line_no);
    text_add(problems, "intake.holder.bad_line", "line", number, "text", shown, NULL);
    text_add(problems, "inbox.email_domain", "domains", list, NULL);
    return true;
}

/* Many lines at once: the good ones are kept, each bad one is explained. */
static int answer_holders(struct handler_ctx *ctx, cJSON *draft, const char *text)
{
    cJSON *holders = cJSON_GetObjectItemCaseSensitive(draft, "holders");
    if (!holders) {
        holders = cJSON_AddArrayToObject(draft, "holders");
        if (!holders)
            return -ENOMEM;
    }
    char *copy = strdup(text);
    if (!copy)
        return -ENOMEM;
    struct text problems;
    text_init(&problems, ctx->app->i18n, ctx->lang);
    int line_no = 0, added = 0, rc = 0;
    char *save_ptr = NULL;
    struct db_agency agency = { 0 };
    db_agency_get(ctx->app->db, ctx->actor.agency_id, &agency); /* none: no domain rule */
    for (char *line = strtok_r(copy, "\n", &save_ptr); line && !rc;
         line = strtok_r(NULL, "\n", &save_ptr)) {
        line_no++;
        char shown[160];
        utf8_copy(shown, sizeof shown, line);
        if (cJSON_GetArraySize(holders) >= DB_HOLDERS_MAX) {
            text_add(&problems, "intake.holder.too_many", NULL);
            break;
        }
        cJSON *holder = NULL;
        const char *why = NULL;
        rc = apply_holder_parse(line, &holder, &why);
        if (rc == -EINVAL) {
            char number[16];
            snprintf(number, sizeof number, "%d", line_no);
            text_add(&problems, "intake.holder.bad_line", "line", number, "text", shown, NULL);
            text_add(&problems, why, NULL);
            rc = 0;
            continue;
        }
        if (!rc && refuse_domain(ctx, agency.name, holder, &problems, line_no, shown)) {
            cJSON_Delete(holder);
            continue;
        }
        if (!rc) {
            cJSON_AddItemToArray(holders, holder);
            added++;
        }
    }
    free(copy);
    if (rc) {
        text_clear(&problems);
        return rc;
    }
    char *bad = text_take(&problems);
    if (!bad)
        return -ENOMEM;
    if (bad[0])
        rc = reply_html(ctx, bad, NULL);
    free(bad);
    if (!rc)
        rc = save(ctx, draft);
    if (!rc)
        rc = ask(ctx, draft);
    return rc;
}

static int answer(struct handler_ctx *ctx, cJSON *draft)
{
    char buf[1024];
    const char *text = trimmed(ctx->update->text, buf, sizeof buf);
    const cJSON *message = ctx->update->message;
    switch (stage_of(draft)) {
    case STAGE_LETTER: {
        const cJSON *document = cJSON_GetObjectItemCaseSensitive(message, "document");
        const cJSON *photo = cJSON_GetObjectItemCaseSensitive(message, "photo");
        const cJSON *file = NULL;
        const char *name = "surat.jpg", *mime = "image/jpeg";
        if (cJSON_IsObject(document)) {
            const cJSON *m = cJSON_GetObjectItemCaseSensitive(document, "mime_type");
            const cJSON *n = cJSON_GetObjectItemCaseSensitive(document, "file_name");
            mime = cJSON_IsString(m) ? m->valuestring : "";
            name = cJSON_IsString(n) ? n->valuestring : "surat.pdf";
            if (strcmp(mime, "application/pdf") != 0 && strncmp(mime, "image/", 6) != 0)
                return reply_text(ctx, NULL, "intake.bad.letter_type", NULL);
            file = document;
        } else if (cJSON_IsArray(photo) && cJSON_GetArraySize(photo) > 0) {
            file = cJSON_GetArrayItem(photo, cJSON_GetArraySize(photo) - 1);
        }
        const cJSON *file_id = cJSON_GetObjectItemCaseSensitive(file, "file_id");
        if (!cJSON_IsString(file_id))
            return reply_text(ctx, NULL, "intake.bad.letter", NULL);
        int64_t size = 0;
        if (tg_file_too_big(file, &size)) /* the stage keeps waiting for the letter */
            return file_limit_refuse(ctx, size);
        set_string(draft, "file_id", file_id->valuestring);
        set_string(draft, "file_name", name);
        set_string(draft, "mime_type", mime);
        set_stage(draft, STAGE_NUMBER);
        break;
    }
    case STAGE_NUMBER:
        if (!text || !text[0] || strlen(text) > 100)
            return reply_text(ctx, NULL, "intake.bad.number", NULL);
        set_string(draft, "number", text);
        set_stage(draft, STAGE_DATE);
        break;
    case STAGE_DATE: {
        char iso[11];
        int rc = text ? apply_letter_date_parse(text, ctx->now_ms, iso) : -EINVAL;
        if (rc)
            return reply_text(ctx, NULL, rc == -ERANGE ? "intake.bad.date_future" : "intake.bad.date",
                              NULL);
        set_string(draft, "date", iso);
        set_stage(draft, STAGE_SUBJECT);
        break;
    }
    case STAGE_SUBJECT:
        if (!text || !text[0] || strlen(text) > 200)
            return reply_text(ctx, NULL, "intake.bad.subject", NULL);
        set_string(draft, "subject", text);
        set_stage(draft, STAGE_HOLDERS);
        break;
    case STAGE_HOLDERS:
        if (!text || !text[0])
            return reply_text(ctx, NULL, "intake.bad.holders", NULL);
        return answer_holders(ctx, draft, ctx->update->text);
    case STAGE_CONFIRM:
        return reply_text(ctx, NULL, "intake.bad.confirm", NULL);
    }
    int rc = save(ctx, draft);
    return rc ? rc : ask(ctx, draft);
}

int apply_continue(struct handler_ctx *ctx, const char *data)
{
    cJSON *draft = cJSON_Parse(data);
    if (!draft)
        draft = cJSON_CreateObject();
    if (!draft)
        return -ENOMEM;
    int rc = answer(ctx, draft);
    cJSON_Delete(draft);
    return rc;
}

/* --- going back, confirming ------------------------------------------------ */

static int go_back(struct handler_ctx *ctx, cJSON *draft)
{
    enum stage stage = stage_of(draft);
    if (stage == STAGE_HOLDERS && cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(draft, "holders")) > 0) {
        /* Back from the holders forgets the last one entered first. */
        cJSON_DeleteItemFromArray(cJSON_GetObjectItemCaseSensitive(draft, "holders"),
                                  cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(draft, "holders")) - 1);
    } else if (stage > STAGE_LETTER) {
        set_stage(draft, (enum stage)(stage - 1));
    }
    int rc = save(ctx, draft);
    return rc ? rc : ask(ctx, draft);
}

static int submit(struct handler_ctx *ctx, cJSON *draft)
{
    struct app *app = ctx->app;
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(draft, "holders");
    size_t count = (size_t)cJSON_GetArraySize(list);
    if (stage_of(draft) != STAGE_CONFIRM || count == 0)
        return ask(ctx, draft);
    struct db_holder holders[DB_HOLDERS_MAX];
    memset(holders, 0, sizeof holders);
    size_t n = 0;
    const cJSON *h;
    cJSON_ArrayForEach(h, list) {
        if (n == DB_HOLDERS_MAX)
            break;
        holders[n].position = (int)n + 1;
        utf8_copy(holders[n].name, sizeof holders[n].name, get_string(h, "name"));
        snprintf(holders[n].nip, sizeof holders[n].nip, "%s", get_string(h, "nip"));
        utf8_copy(holders[n].jabatan, sizeof holders[n].jabatan, get_string(h, "jabatan"));
        utf8_copy(holders[n].email, sizeof holders[n].email, get_string(h, "email"));
        n++;
    }
    struct db_case c = { .applicant_id = ctx->update->user_id };
    c.wf.agency_id = ctx->actor.agency_id;
    utf8_copy(c.letter_number, sizeof c.letter_number, get_string(draft, "number"));
    snprintf(c.letter_date, sizeof c.letter_date, "%s", get_string(draft, "date"));
    utf8_copy(c.subject, sizeof c.subject, get_string(draft, "subject"));
    struct db_file letter = { .uploaded_by = ctx->update->user_id, .created_at = ctx->now_ms };
    snprintf(letter.kind, sizeof letter.kind, "request_letter");
    snprintf(letter.file_id, sizeof letter.file_id, "%s", get_string(draft, "file_id"));
    utf8_copy(letter.file_name, sizeof letter.file_name, get_string(draft, "file_name"));
    snprintf(letter.mime_type, sizeof letter.mime_type, "%s", get_string(draft, "mime_type"));
    struct db_agency agency = { 0 };
    db_agency_get(app->db, c.wf.agency_id, &agency);
    /* Submitted again after a return: the new case's history says which. */
    char *note = NULL;
    if (get_string(draft, "again_of")[0] &&
        !(note = i18n_format(app->i18n, "id", "resubmit.record", "number",
                             get_string(draft, "again_of"), NULL)))
        return -ENOMEM;
    int rc = db_conversation_clear(app->db, ctx->update->user_id);
    if (!rc)
        rc = case_flow_create(app, &c, agency.name, holders, n, &letter, note, ctx->now_ms);
    free(note);
    if (rc)
        return rc;
    char *html = i18n_format(app->i18n, ctx->lang, "intake.submitted", "number", c.number, NULL);
    rc = html ? reply_edit_html(ctx, html, NULL) : -ENOMEM;
    free(html);
    reply_answer(ctx, "answer.done", false);
    return rc;
}

/* "intake:again:<case>": a returned request of the applicant's own agency,
 * submitted again from a draft filled from it, with the return's note. */
static int start_again(struct handler_ctx *ctx, const char *arg)
{
    struct app *app = ctx->app;
    uint64_t id = 0;
    struct db_case c;
    if (args_decimal(arg, INT64_MAX, &id) != 0 || db_case_get(app->db, (int64_t)id, &c) != 0 ||
        c.wf.agency_id != ctx->actor.agency_id || c.wf.state != WF_CLOSED_DIKEMBALIKAN) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    reply_answer(ctx, "answer.noted", false);
    const char *problem = apply_pks_problem(app, ctx->now_ms);
    if (problem) {
        int rc = reply_text(ctx, NULL, problem, "until", app->cfg->pks_valid_until, NULL);
        return rc ? rc : apply_pks_warn_admins(app, ctx->now_ms);
    }
    char note[DB_TEXT_MAX];
    cJSON *draft = NULL;
    int rc = apply_again_return_note(app, c.wf.case_id, note, sizeof note);
    if (!rc)
        rc = apply_again_draft(app, &c, &draft);
    if (!rc)
        rc = save(ctx, draft);
    if (!rc)
        rc = reply_text(ctx, NULL, note[0] ? "resubmit.start_note" : "resubmit.start", "number",
                        c.number, "note", note, NULL);
    if (!rc)
        rc = ask(ctx, draft);
    cJSON_Delete(draft);
    return rc;
}

static int run_intake_button(struct handler_ctx *ctx)
{
    if (strncmp(ctx->callback_rest, "again:", 6) == 0)
        return start_again(ctx, ctx->callback_rest + 6);
    char kind[32];
    char *data = NULL;
    int rc = db_conversation_get(ctx->app->db, ctx->update->user_id, kind, sizeof kind, &data);
    if (rc == -ENOENT || (rc == 0 && strcmp(kind, INTAKE_KIND) != 0)) {
        free(data);
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    if (rc)
        return rc;
    cJSON *draft = cJSON_Parse(data);
    free(data);
    if (!draft)
        return -ENOMEM;
    const char *what = ctx->callback_rest;
    if (strcmp(what, "submit") == 0) {
        rc = submit(ctx, draft);
    } else if (strcmp(what, "back") == 0) {
        reply_answer(ctx, "answer.noted", false);
        rc = go_back(ctx, draft);
    } else if (strcmp(what, "done") == 0 && stage_of(draft) == STAGE_HOLDERS) {
        set_stage(draft, STAGE_CONFIRM);
        rc = save(ctx, draft);
        if (!rc)
            rc = ask(ctx, draft);
        reply_answer(ctx, "answer.noted", false);
    } else if (strcmp(what, "cancel") == 0) {
        rc = db_conversation_clear(ctx->app->db, ctx->update->user_id);
        if (!rc)
            rc = reply_edit_html(ctx, i18n_text(ctx->app->i18n, ctx->lang, "intake.cancelled"),
                                 NULL);
        reply_answer(ctx, "answer.done", false);
    } else {
        reply_answer(ctx, "error.stale_button", false);
    }
    cJSON_Delete(draft);
    return rc;
}

static int run_apply(struct handler_ctx *ctx)
{
    struct app *app = ctx->app;
    const char *problem = apply_pks_problem(app, ctx->now_ms);
    if (problem) {
        int rc = reply_text(ctx, NULL, problem, "until", app->cfg->pks_valid_until, NULL);
        return rc ? rc : apply_pks_warn_admins(app, ctx->now_ms);
    }
    cJSON *draft = cJSON_CreateObject();
    if (!draft)
        return -ENOMEM;
    set_stage(draft, STAGE_LETTER);
    int rc = save(ctx, draft);
    if (!rc)
        rc = reply_text(ctx, NULL, "intake.start", NULL);
    if (!rc)
        rc = ask(ctx, draft);
    cJSON_Delete(draft);
    return rc;
}

static int run_back(struct handler_ctx *ctx)
{
    char kind[32];
    char *data = NULL;
    int rc = db_conversation_get(ctx->app->db, ctx->update->user_id, kind, sizeof kind, &data);
    if (rc == -ENOENT || (rc == 0 && strcmp(kind, INTAKE_KIND) != 0)) {
        free(data);
        return reply_text(ctx, NULL, "intake.nothing_to_go_back", NULL);
    }
    if (rc)
        return rc;
    cJSON *draft = cJSON_Parse(data);
    free(data);
    if (!draft)
        return -ENOMEM;
    rc = go_back(ctx, draft);
    cJSON_Delete(draft);
    return rc;
}

const struct handler_entry handler_apply = {
    .name = "apply",
    .command_id = "ajukan",
    .command_en = "apply",
    .roles = ROLE_APPLICANT,
    .in_menu = true,
    .run = run_apply,
};

const struct handler_entry handler_intake_button = {
    .name = "intake_button",
    .callback_prefix = "intake",
    .roles = ROLE_APPLICANT,
    .run = run_intake_button,
};

const struct handler_entry handler_back = {
    .name = "back",
    .command_id = "kembali",
    .command_en = "back",
    .roles = ROLE_APPLICANT,
    .run = run_back,
};
