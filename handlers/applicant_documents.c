/* Files an applicant sends in chat while one of its agency's cases waits for
 * missing documents (step 3, "ask the applicant"): each is kept with the case
 * (and copied into documents_dir), passed on to the Kasi at once, and
 * acknowledged. The applicant then presses "I have sent the documents" on
 * their card, which gives the case back to the Kasi. */
#include <errno.h>
#include <stdlib.h>

#include "app.h"
#include "case_action.h"
#include "case_card.h"
#include "db_cases.h"
#include "db_registry.h"
#include "handler.h"
#include "i18n.h"
#include "outbox.h"
#include "people.h"
#include "tg_update.h"

#define AGENCY_CASES_MAX 64

int applicant_documents_receive(struct handler_ctx *ctx)
{
    struct app *app = ctx->app;
    if (!(ctx->actor.roles & ROLE_APPLICANT) ||
        (!cJSON_GetObjectItemCaseSensitive(ctx->update->message, "document") &&
         !cJSON_GetObjectItemCaseSensitive(ctx->update->message, "photo")))
        return -ENOENT;
    struct db_case *cases = calloc(AGENCY_CASES_MAX, sizeof *cases);
    if (!cases)
        return -ENOMEM;
    size_t count = 0;
    int rc = db_cases_of_agency(app->db, ctx->actor.agency_id, true, cases, AGENCY_CASES_MAX,
                                &count);
    /* Newest first: the latest case that asked is the one meant. */
    const struct db_case *waiting = NULL;
    for (size_t i = 0; !rc && i < count && !waiting; i++)
        if (cases[i].wf.state == WF_S3_MENUNGGU_PEMOHON)
            waiting = &cases[i];
    if (rc || !waiting) {
        free(cases);
        return rc ? rc : -ENOENT;
    }
    int64_t file_row = 0;
    rc = case_store_attachment(ctx, waiting, "applicant_document", &file_row);
    if (rc == -EFBIG) { /* refused with the limit; nothing to pass on */
        free(cases);
        return 0;
    }
    int64_t to[PEOPLE_MAX];
    size_t n = 0;
    if (!rc)
        rc = people_for_role(app, ROLE_KASI, 0, 0, ctx->now_ms, to, PEOPLE_MAX, &n);
    struct db_agency agency = { 0 };
    db_agency_get(app->db, waiting->wf.agency_id, &agency);
    for (size_t i = 0; !rc && i < n; i++) {
        const char *lang = card_lang_of(app, to[i]);
        char *caption = i18n_format(app->i18n, lang, "documents.to_kasi", "number",
                                    waiting->number, "agency", agency.name, NULL);
        rc = caption ? outbox_send_file(app->db, to[i], file_row, caption, NULL, ctx->now_ms)
                     : -ENOMEM;
        free(caption);
    }
    if (!rc)
        rc = reply_text(ctx, NULL, "documents.received", "number", waiting->number, NULL);
    free(cases);
    return rc;
}
