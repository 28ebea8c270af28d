/* letters_send: the letters' other readers; see letters_send.h. */
#include "letters_send.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "app.h"
#include "case_card.h"
#include "db_letters.h"
#include "i18n.h"
#include "outbox.h"
#include "people.h"
#include "texts.h"

int letters_send_to_kasi(struct app *app, const struct db_case *c, const char *kind,
                         int64_t file_row, int64_t now_ms)
{
    int64_t to[PEOPLE_MAX];
    size_t count = 0;
    int rc = people_for_role(app, ROLE_KASI, 0, c->wf.agency_id, now_ms, to, PEOPLE_MAX, &count);
    for (size_t i = 0; !rc && i < count; i++) {
        const char *lang = card_lang_of(app, to[i]);
        char key[48];
        snprintf(key, sizeof key, "file.%s", kind);
        char *caption = i18n_format(app->i18n, lang, "recipients.generated", "number", c->number,
                                    "document", i18n_text(app->i18n, lang, key), NULL);
        rc = caption ? outbox_send_file(app->db, to[i], file_row, caption, NULL, now_ms)
                     : -ENOMEM;
        free(caption);
    }
    return rc;
}

char *letters_applicant_caption(struct app *app, const struct db_case *c,
                                const struct db_outgoing_letter *l, const char *date,
                                const char *lang)
{
    char outcome_key[48];
    snprintf(outcome_key, sizeof outcome_key, "outcome.%s",
             wf_bsre_outcome_name(c->wf.bsre_outcome));
    struct text t;
    text_init(&t, app->i18n, lang);
    text_add(&t, "recipients.notification_milestone", "number", c->number, "outcome",
             i18n_text(app->i18n, lang, outcome_key), NULL);
    text_add(&t, "recipients.notification_letter", "letter_number", l->number, "date", date,
             NULL);
    return text_take(&t);
}
