/* handler: one file per thing a person does, each exporting one entry; the
 * table in handlers.c routes commands and button presses to them.
 *
 * A handler runs inside the update's transaction: whatever it writes (state,
 * outbox rows) commits together with the update offset, or not at all. It
 * returns 0 when the update was dealt with, including a polite refusal of bad
 * input; a negative code only for an internal failure (the transaction is
 * then rolled back and the update recorded as failed). */
#ifndef SERTIBOT_HANDLER_H
#define SERTIBOT_HANDLER_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>

#include "handler_ctx.h"
#include "roles.h"
#include "target.h"
#include "workflow.h"

struct handler_entry {
    const char *name;
    const char *command_id;      /* the Indonesian command, shown in the menu */
    const char *command_en;      /* the English alias (NULL if the same) */
    const char *callback_prefix; /* owns callback data "prefix:..." (NULL if none) */
    unsigned roles;              /* who may use it (ROLE_ANYONE for everybody) */
    bool in_menu;                /* listed by setMyCommands */
    /* What it acts on, resolved and checked before run is called
     * (ctx->target); TARGET_NONE: nothing, run reads its input. */
    enum target_kind target;
    unsigned target_checks;      /* enum target_check bits */
    /* The event whose right is checked (TARGET_MAY_ACT/APPLY), fixed or
     * read from the press (WF_EV_NONE from target_event_of: garbage). */
    enum wf_event_kind target_event;
    enum wf_event_kind (*target_event_of)(const struct args_press *press);
    /* The answer when the target is gone, not theirs or garbage (default
     * "error.stale_button"); a command's unreadable argument gets
     * target_bad if set. Both take "text", the argument typed. */
    const char *target_gone;
    const char *target_bad;
    int (*run)(struct handler_ctx *ctx);
};

/* The table (handlers.c), ended by a NULL. */
extern const struct handler_entry *const handler_table[];

const struct handler_entry *handler_for_command(const char *command);
/* Finds the owner of `data` ("prefix:rest") and points *rest after the colon. */
const struct handler_entry *handler_for_callback(const char *data, const char **rest);

/* route.c: applies one update (app_hooks.apply_update). */
int route_update(struct handler_ctx *ctx);
/* menus.c: the default scope's setMyCommands body for a language (app_hooks.commands_body). */
char *menu_commands_body(struct app *app, const char *language_code);

/* --- replying (reply.c): all go through the outbox ------------------------ */

/* A message to the chat the update came from. */
int reply_html(struct handler_ctx *ctx, const char *html, const cJSON *markup);
/* The text of `key` in the person's language, with name/value pairs (values
 * escaped), ended by NULL. */
int reply_text(struct handler_ctx *ctx, const cJSON *markup, const char *key, ...)
    __attribute__((sentinel));
/* A document the bot made (an export: kind "export", tied to no case),
 * stored and sent to the chat with its caption (HTML, may be NULL). */
int reply_document(struct handler_ctx *ctx, const char *file_name, const char *mime,
                   const void *data, size_t size, const char *caption_html);
/* Replaces the text (and keyboard) of the message the pressed button is on. */
int reply_edit_html(struct handler_ctx *ctx, const char *html, const cJSON *markup);
/* Sets the short notice shown on the phone after a button press. */
void reply_answer(struct handler_ctx *ctx, const char *key, bool alert);
/* The same with a sentence already made (Telegram HTML, shown as plain text). */
void reply_answer_html(struct handler_ctx *ctx, const char *html, bool alert);

/* conversation.c: a message that answers a question the bot asked (a note,
 * a file, the next intake answer). -ENOENT when the person has no open
 * conversation, so the message is something else. */
int conversation_continue(struct handler_ctx *ctx);

/* applicant_documents.c: a file from an applicant whose case waits for
 * missing documents; -ENOENT when the message is not that. */
int applicant_documents_receive(struct handler_ctx *ctx);

/* The entries, one per file. */
extern const struct handler_entry handler_start;
extern const struct handler_entry handler_inbox;   /* inbox_mail.c: the mail cards' buttons */
extern const struct handler_entry handler_help;
extern const struct handler_entry handler_language;
extern const struct handler_entry handler_admin;
extern const struct handler_entry handler_plh;
extern const struct handler_entry handler_plt;
extern const struct handler_entry handler_case_action;
extern const struct handler_entry handler_disposition;
extern const struct handler_entry handler_checklist;
extern const struct handler_entry handler_session_report;
extern const struct handler_entry handler_register;
extern const struct handler_entry handler_register_decide;
extern const struct handler_entry handler_apply;
extern const struct handler_entry handler_intake_button;
extern const struct handler_entry handler_back;
extern const struct handler_entry handler_cancel;
extern const struct handler_entry handler_status;
extern const struct handler_entry handler_sheet;
extern const struct handler_entry handler_tasks;
extern const struct handler_entry handler_task_card;
extern const struct handler_entry handler_case_view;
extern const struct handler_entry handler_holidays;
extern const struct handler_entry handler_report;
extern const struct handler_entry handler_agenda;
extern const struct handler_entry handler_certificates;
extern const struct handler_entry handler_schedule;
extern const struct handler_entry handler_slot_picker;
extern const struct handler_entry handler_mail_send;
extern const struct handler_entry handler_case_files;
extern const struct handler_entry handler_card_reply;

/* card_reply.c: a typed reply to a card, taken as its note (or, for "ok",
 * a question confirming its default action); -ENOENT when the message is
 * not a reply to a card the person may annotate now. */
int card_reply_receive(struct handler_ctx *ctx);

#endif
