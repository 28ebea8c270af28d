/* case_rahasia: a Rahasia case's subject, holders' names and notes in the
 * texts the bot writes, by who reads them and where (core/rahasia.h has the
 * rule). A reader is a person and the chat the text goes to; Telegram
 * numbers a person's private chat with the bot by their own id, so a
 * private chat is `chat_id` == `reader_id`, and a group's id is negative.
 *
 * Returned strings point into the case or the catalog unless said. */
#ifndef SERTIBOT_CASE_RAHASIA_H
#define SERTIBOT_CASE_RAHASIA_H

#include <stdbool.h>
#include <stdint.h>

#include "db_cases.h"

struct app;

/* Whether `reader_id` reading in `chat_id` may see the case's particulars:
 * always for a case that is not Rahasia; for a Rahasia one, in a private
 * chat, the operator who submitted it and the officials and admins. */
bool case_rahasia_discloses(struct app *app, const struct db_case *c, int64_t reader_id,
                            int64_t chat_id);
/* The subject for that reader: the subject, or "(perihal dirahasiakan)". */
const char *case_rahasia_subject(struct app *app, const struct db_case *c, int64_t reader_id,
                                 int64_t chat_id, const char *lang);
/* A note about the case (a return's reason, the documents asked for: it may
 * name holders) for that reader: `note`, or a placeholder saying it went to
 * the operator who submitted the request; "" stays "". */
const char *case_rahasia_note(struct app *app, const struct db_case *c, int64_t reader_id,
                              int64_t chat_id, const char *lang, const char *note);
/* The holders as a text naming nobody, "2 pemegang sertifikat (nama
 * dirahasiakan)", for a text that would list them (the calendar file of a
 * Rahasia case). The caller frees it; NULL on ENOMEM. */
char *case_rahasia_holders(struct app *app, const struct db_case *c, const char *lang);

#endif
