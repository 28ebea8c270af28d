/* A returned request submitted again (issue 10): the button under the
 * applicant's "returned" news, and the intake draft it starts, filled from
 * the returned case (letter, number, date, subject, holders) and waiting at
 * the summary, so one more tap sends it. The draft has the keys apply.c
 * reads ("stage", "file_id", "file_name", "mime_type", "number", "date",
 * "subject", "holders") and "again_of", the returned case's number, which the
 * new case's history keeps. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "apply.h"
#include "db.h"
#include "db_cases.h"
#include "i18n.h"
#include "keyboard.h"
#include "renewal.h"

#define AGAIN_HOLDERS_MAX 16
#define AGAIN_HISTORY_MAX 64

cJSON *apply_again_keyboard(const struct app *app, const char *lang, const struct db_case *c)
{
    char data[KEYBOARD_DATA_MAX + 1];
    snprintf(data, sizeof data, "intake:again:%" PRId64, c->wf.case_id);
    cJSON *keyboard = keyboard_new();
    cJSON *row = keyboard ? keyboard_row(keyboard) : NULL;
    if (!row || keyboard_button(row, i18n_text(app->i18n, lang, "resubmit.button"), data) != 0) {
        cJSON_Delete(keyboard);
        return NULL;
    }
    return keyboard;
}

/* The reason the request was returned: the note of the return that closed it. */
int apply_again_return_note(struct app *app, int64_t case_id, char *out, size_t size)
{
    struct db_audit_row *rows = calloc(AGAIN_HISTORY_MAX, sizeof *rows);
    if (!rows)
        return -ENOMEM;
    size_t count = 0;
    int rc = db_audit_list(app->db, case_id, rows, AGAIN_HISTORY_MAX, &count);
    out[0] = '\0';
    for (size_t i = count; !rc && i-- > 0;) {
        if (strcmp(rows[i].event, "return") == 0 &&
            strcmp(rows[i].state_after, "closed_dikembalikan") == 0) {
            snprintf(out, size, "%s", rows[i].note);
            break;
        }
    }
    free(rows);
    return rc;
}

static int add_holders(struct app *app, int64_t case_id, cJSON *draft)
{
    struct db_holder holders[AGAIN_HOLDERS_MAX];
    size_t count = 0;
    int rc = db_holders_list(app->db, case_id, holders, AGAIN_HOLDERS_MAX, &count);
    cJSON *list = rc ? NULL : cJSON_AddArrayToObject(draft, "holders");
    if (!rc && !list)
        rc = -ENOMEM;
    for (size_t i = 0; !rc && i < count; i++) {
        cJSON *h = cJSON_CreateObject();
        if (!h || !cJSON_AddStringToObject(h, "name", holders[i].name) ||
            !cJSON_AddStringToObject(h, "nip", holders[i].nip) ||
            !cJSON_AddStringToObject(h, "jabatan", holders[i].jabatan) ||
            !cJSON_AddStringToObject(h, "email", holders[i].email)) {
            cJSON_Delete(h);
            rc = -ENOMEM;
            break;
        }
        cJSON_AddItemToArray(list, h);
    }
    return rc;
}

int apply_again_draft(struct app *app, const struct db_case *c, cJSON **out)
{
    cJSON *draft = cJSON_CreateObject();
    if (!draft)
        return -ENOMEM;
    struct db_file letter;
    /* A letter Telegram lost is asked for again; the rest stays filled in. */
    bool have_letter = db_file_latest(app->db, c->wf.case_id, "request_letter", &letter) == 0 &&
                       letter.file_id[0];
    int rc = 0;
    if (!cJSON_AddStringToObject(draft, "stage", have_letter ? "confirm" : "letter") ||
        !cJSON_AddStringToObject(draft, "number", c->letter_number) ||
        !cJSON_AddStringToObject(draft, "date", c->letter_date) ||
        !cJSON_AddStringToObject(draft, "subject", c->subject) ||
        !cJSON_AddStringToObject(draft, "again_of", c->number))
        rc = -ENOMEM;
    if (!rc && have_letter &&
        (!cJSON_AddStringToObject(draft, "file_id", letter.file_id) ||
         !cJSON_AddStringToObject(draft, "file_name", letter.file_name) ||
         !cJSON_AddStringToObject(draft, "mime_type", letter.mime_type)))
        rc = -ENOMEM;
    if (!rc)
        rc = add_holders(app, c->wf.case_id, draft);
    if (!rc)
        rc = renewal_again_rows(app, c, draft);
    if (rc) {
        cJSON_Delete(draft);
        return rc;
    }
    *out = draft;
    return 0;
}
