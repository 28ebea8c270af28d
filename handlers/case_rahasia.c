#include "case_rahasia.h"

#include <stdio.h>

#include "app.h"
#include "case_card.h"
#include "clock.h"
#include "i18n.h"
#include "people.h"
#include "rahasia.h"

bool case_rahasia_discloses(struct app *app, const struct db_case *c, int64_t reader_id,
                            int64_t chat_id)
{
    if (!case_card_rahasia(app, c))
        return true;
    struct rahasia_reader reader = {
        .private_chat = reader_id > 0 && chat_id == reader_id,
        .submitter = reader_id == c->applicant_id,
    };
    struct wf_actor actor;
    if (reader.private_chat && !reader.submitter &&
        people_actor(app, reader_id, clock_now_ms(&app->clock), &actor) == 0)
        reader.official = ((actor.roles | actor.plh_roles) & (ROLE_OFFICIAL | ROLE_ADMIN)) != 0;
    return rahasia_discloses(true, &reader);
}

const char *case_rahasia_subject(struct app *app, const struct db_case *c, int64_t reader_id,
                                 int64_t chat_id, const char *lang)
{
    return case_rahasia_discloses(app, c, reader_id, chat_id)
               ? c->subject
               : i18n_text(app->i18n, lang, "card.subject_rahasia");
}

const char *case_rahasia_note(struct app *app, const struct db_case *c, int64_t reader_id,
                              int64_t chat_id, const char *lang, const char *note)
{
    if (!note || !note[0] || case_rahasia_discloses(app, c, reader_id, chat_id))
        return note;
    return i18n_text(app->i18n, lang, "rahasia.note");
}

char *case_rahasia_holders(struct app *app, const struct db_case *c, const char *lang)
{
    char count[16];
    snprintf(count, sizeof count, "%d", c->holders_count);
    return i18n_format(app->i18n, lang, "rahasia.holders", "count", count, NULL);
}
