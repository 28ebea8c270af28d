/* case_card: how a case looks in chat. The task card an official gets when
 * it is their turn (summary, step and its time standard, the deadline in
 * office time, history, and the buttons of what they may do now), the
 * applicant's timeline, and the line a card becomes once acted on.
 *
 * Buttons carry "c:<case>:<version>:<event>[:<arg>]" (and "d:", "k:", "r:"
 * for a card's own choices, "s:" for the session picker; the applicant
 * chooses an offered slot with "c:<case>:<version>:confirm_session:<id>"): the version makes every older card stale, and
 * the server checks everything again on a press (case_action.c).
 *
 * Returned strings and keyboards are the caller's (free / cJSON_Delete). */
#ifndef SERTIBOT_CASE_CARD_H
#define SERTIBOT_CASE_CARD_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>

#include "db_cases.h"

struct app;

/* A card's history: the newest CARD_HISTORY_SHOWN entries in full, up to
 * CARD_HISTORY_MAX in all (the rest one line each, folded); older ones are
 * counted. Notes on a card are cut (at a character) to CARD_NOTE_SHORT. */
#define CARD_HISTORY_SHOWN 3
#define CARD_HISTORY_MAX 11
#define CARD_NOTE_SHORT 124

/* The configurable lists: labels in `lang` (from the config, else the catalog). */
size_t card_instruction_count(const struct app *app);
const char *card_instruction_label(const struct app *app, const char *lang, size_t index);
size_t card_check_item_count(const struct app *app);
const char *card_check_item_label(const struct app *app, const char *lang, size_t index);
/* "biasa", "segera", "sangat_segera" */
#define CARD_SIFAT_COUNT 3
extern const char *const card_sifat_keys[CARD_SIFAT_COUNT];

/* Whether a disposition marked the case Rahasia (confidential). */
bool case_card_rahasia(struct app *app, const struct db_case *c);
/* The subject as texts other than the case's own card may show it: for a
 * Rahasia case a placeholder, never the subject (reminders, digests). */
const char *case_card_notice_subject(struct app *app, const struct db_case *c, const char *lang);

/* Each official's latest disposition of case `case_id` as plain text, one
 * "Kadis: Koordinasikan · Segera · “note”" per official, "; "-separated, for
 * the Buku Agenda export. "" when there is none. 0 or a negative errno. */
int case_card_dispositions_plain(struct app *app, int64_t case_id, const char *lang, char *out,
                                 size_t size);

/* The summary lines every view of a case starts with. */
char *case_card_summary(struct app *app, const struct db_case *c, const char *lang);
/* The whole card: summary, step, deadline, history. Not knowing who reads
 * it, a card the applicant holds leaves a Rahasia case's subject out. */
char *case_card_text(struct app *app, const struct db_case *c, const char *lang);
/* The same for `reader_id` in `chat_id`: a Rahasia case's subject withheld
 * when case_rahasia_discloses says no (case_rahasia.h), and the whole card
 * then without its dispositions and history, whose notes may name holders.
 * case_card_send and case_card_close use them for the chat they write to. */
char *case_card_summary_for(struct app *app, const struct db_case *c, const char *lang,
                            int64_t reader_id, int64_t chat_id);
char *case_card_text_for(struct app *app, const struct db_case *c, const char *lang,
                         int64_t reader_id, int64_t chat_id);
/* The buttons of what the holder can do now; NULL when there is nothing to
 * press (or on ENOMEM: then *failed is set). */
cJSON *case_card_keyboard(struct app *app, const struct db_case *c, const char *lang,
                          int *failed);
/* The buttons under a confirmed session (step 7) for the applicant and the
 * Kasi: move it, call it off; NULL in any other state (or on ENOMEM: then
 * *failed is set). */
cJSON *case_card_session_keyboard(struct app *app, const struct db_case *c, const char *lang,
                                  int *failed);
/* Queues the case's latest file of `kind` ("request_letter", "draft", ...)
 * for `chat_id`, captioned "<document> · <number>" in `lang`. -ENOENT when
 * the case has none; 0 or a negative errno. */
int case_card_send_document(struct app *app, const struct db_case *c, const char *kind,
                            int64_t chat_id, const char *lang, int64_t now_ms);
/* Queues the card for `chat_id` (with the document the step is about, when
 * there is one). 0 or a negative errno. */
int case_card_send(struct app *app, const struct db_case *c, int64_t chat_id, int64_t now_ms);
/* The card a press came from, edited into the summary and "<what> by <who>,
 * <when>" without buttons. */
int case_card_close(struct app *app, const struct db_case *c, int64_t chat_id, int64_t message_id,
                    const char *lang, const char *event_name, int64_t actor_id, bool via_plh,
                    enum role acted_as, int64_t at_ms, int64_t now_ms);

/* What an event is called in a history ("Dispositioned to the Kabid"),
 * knowing the state it led to (may be NULL). */
const char *card_event_label(const struct app *app, const char *lang, const char *event,
                             const char *state_after);

/* A person's language for messages they did not ask for. */
const char *card_lang_of(struct app *app, int64_t user_id);

#endif
