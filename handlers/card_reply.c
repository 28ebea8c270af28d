/* A typed reply to a card (Telegram's "reply" on the card's message).
 *
 * On a card that takes a note (the disposition sheet of steps 1-2, the
 * session report of step 7) the reply is that card's note, as if "Catatan"
 * had been tapped first. "ok", "lanjut", "setuju" on a disposition card
 * asks once more, with the card's one default action spelled out
 * ("Teruskan SE-0001 ke Kabid?") and Ya/Batal; nothing is done on a word
 * alone. A reply to anything else is left to the rest of the routing. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "case_action.h"
#include "case_confirm.h"
#include "db_cases.h"
#include "handler.h"
#include "i18n.h"
#include "keyboard.h"
#include "tg_reply.h"
#include "tg_update.h"

/* The case a message of ours in this chat is the card of; -ENOENT if none. */
static int replied_case(struct handler_ctx *ctx, struct db_case *c)
{
    const cJSON *replied =
        cJSON_GetObjectItemCaseSensitive(ctx->update->message, "reply_to_message");
    int64_t message_id = tg_json_id(replied, "message_id");
    if (!message_id)
        return -ENOENT;
    int64_t case_id = 0;
    int rc = db_card_case_of_message(ctx->app->db, ctx->update->chat_id, message_id, &case_id);
    return rc ? rc : db_case_get(ctx->app->db, case_id, c);
}

static bool is_go_word(const char *text)
{
    static const char *const words[] = { "ok", "oke", "okay", "lanjut", "setuju", "ya", "yes" };
    char word[16];
    size_t n = 0;
    while (*text && isspace((unsigned char)*text))
        text++;
    while (text[n] && n < sizeof word - 1 && !isspace((unsigned char)text[n]) && text[n] != '.' &&
           text[n] != '!')
        n++;
    memcpy(word, text, n);
    word[n] = '\0';
    for (const char *rest = text + n; *rest; rest++)
        if (!isspace((unsigned char)*rest) && *rest != '.' && *rest != '!')
            return false;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcasecmp(word, words[i]) == 0)
            return true;
    return false;
}

/* "Teruskan SE-0001 ke Kabid?" with Ya (the card's own button data) / Batal,
 * the same row as an irreversible action's second tap (case_confirm.h). */
static int ask_default(struct handler_ctx *ctx, const struct db_case *c)
{
    char key[96], yes_data[KEYBOARD_DATA_MAX + 1];
    snprintf(key, sizeof key, "card_reply.ask.%s", wf_state_name(c->wf.state));
    snprintf(yes_data, sizeof yes_data, "c:%" PRId64 ":%" PRIu32 ":%s", c->wf.case_id,
             c->wf.version, wf_event_name(WF_EV_DISPOSE));
    cJSON *keyboard = case_confirm_keyboard(
        ctx->app, ctx->lang, i18n_text(ctx->app->i18n, ctx->lang, "card_reply.yes"), yes_data,
        "cr:x");
    int rc = keyboard ? reply_text(ctx, keyboard, key, "number", c->number, NULL) : -ENOMEM;
    cJSON_Delete(keyboard);
    return rc;
}

int card_reply_receive(struct handler_ctx *ctx)
{
    const char *text = ctx->update->text;
    if (!text || !text[0])
        return -ENOENT;
    struct db_case c;
    int rc = replied_case(ctx, &c);
    if (rc)
        return rc;
    enum role holder = wf_state_holder_role(c.wf.state);
    bool disposition = c.wf.state == WF_S1_DISPOSISI_KADIS || c.wf.state == WF_S2_DISPOSISI_KABID;
    bool report = c.wf.state == WF_S7_PENDAMPINGAN && ctx->actor.user_id == c.wf.pelaksana_id;
    if (!(disposition && (ctx->roles & holder)) && !report)
        return -ENOENT; /* not a card that is theirs to annotate now */
    if (disposition && is_go_word(text))
        return ask_default(ctx, &c);
    char note[CASE_NOTE_MAX + 1];
    snprintf(note, sizeof note, "%s", text);
    rc = case_draft_put(ctx->app, c.wf.case_id, wf_state_step(c.wf.state),
                        report ? "note" : "n", cJSON_CreateString(note));
    return rc ? rc : reply_text(ctx, NULL, "card_reply.note_saved", "number", c.number, NULL);
}

/* "cr:x": Batal under the question; it only says that nothing changed. */
static int run_card_reply(struct handler_ctx *ctx)
{
    if (strcmp(ctx->callback_rest, "x") != 0) {
        reply_answer(ctx, "error.stale_button", false);
        return 0;
    }
    reply_answer(ctx, "card_reply.cancelled", false);
    return reply_edit_html(ctx, i18n_text(ctx->app->i18n, ctx->lang, "card_reply.cancelled"),
                           NULL);
}

const struct handler_entry handler_card_reply = {
    .name = "card_reply",
    .callback_prefix = "cr",
    .roles = ROLE_ANYONE,
    .run = run_card_reply,
};
