/* The routing table: adding a command is adding a file and a line here. */
#include "handlers.h"

#include <string.h>

#include "app.h"
#include "app_hooks.h"
#include "file_limit.h"
#include "handler.h"
#include "inbox_mail.h"
#include "jobs.h"
#include "mail_health.h"
#include "mail_send.h"
#include "renewal.h"
#include "help_session.h"
#include "revoke.h"

const struct handler_entry *const handler_table[] = {
    &handler_start,
    &handler_help,
    &handler_language,
    &handler_admin,
    &handler_plh,
    &handler_plt,
    &handler_apply,
    &handler_status,
    &handler_tasks,
    &handler_agenda,
    &handler_certificates,
    &handler_holidays,
    &handler_report,
    &handler_sheet,
    &handler_task_card,
    &handler_case_view,
    &handler_back,
    &handler_cancel,
    &handler_intake_button,
    &handler_renewal,
    &handler_register,
    &handler_register_decide,
    &handler_case_action,
    &handler_case_undo,
    &handler_disposition,
    &handler_checklist,
    &handler_session_report,
    &handler_schedule,
    &handler_slot_picker,
    &handler_mail_send,
    &handler_inbox,
    &handler_case_files,
    &handler_card_reply,
    &handler_revoke,
    &handler_revoke_pick,
    &handler_revoke_card,
    &handler_help_request,
    &handler_help_request_pick,
    &handler_help_slot,
    NULL,
};

const struct handler_entry *handler_for_command(const char *command)
{
    for (size_t i = 0; handler_table[i]; i++) {
        const struct handler_entry *e = handler_table[i];
        if ((e->command_id && strcmp(e->command_id, command) == 0) ||
            (e->command_en && strcmp(e->command_en, command) == 0))
            return e;
    }
    return NULL;
}

const struct handler_entry *handler_for_callback(const char *data, const char **rest)
{
    const char *colon = data ? strchr(data, ':') : NULL;
    if (!colon)
        return NULL;
    size_t n = (size_t)(colon - data);
    for (size_t i = 0; handler_table[i]; i++) {
        const struct handler_entry *e = handler_table[i];
        if (e->callback_prefix && strlen(e->callback_prefix) == n &&
            strncmp(e->callback_prefix, data, n) == 0) {
            *rest = colon + 1;
            return e;
        }
    }
    return NULL;
}

static const struct app_hooks hooks = {
    .apply_update = route_update,
    .commands_body = menu_commands_body,
    .jobs_run = jobs_run,
    .jobs_next = jobs_next,
    .file_lost = file_limit_lost,
    .mail_received = inbox_mail_receive,
    .mail_outcome = mail_send_outcome,
    .mail_health = mail_health_report,
};

void handlers_register(struct app *app) { app->hooks = &hooks; }
