/* slot_picker: choosing session times with buttons (or by typing them).
 *
 * Two uses, one picker:
 * - the offer builder (step 6, the Kasi): slots are added one by one, each
 *   a day, a start time, the Pelaksana who assists and a place, kept as
 *   drafts (db_sessions.h) until "Send the offer" (case_action.c) sends two
 *   to five of them to the applicant;
 * - moving a confirmed session (step 7, the Kasi or the applicant): a new
 *   day and time for the same Pelaksana and place, then the reason.
 * The days offered are working days only and the times lie inside office
 * hours; a typed "2026-12-03 09:00" (or "2026-12-03 09:00-10:30") is read
 * too. Every slot is checked again (sessions_check) right before it is
 * written, in the same transaction.
 *
 * Buttons carry "s:<case>:<version>:<op>[:<args>]" (handler_slot_picker):
 * ow/mw:<day> a page of days, od/md:<day> a day's times, ot/mt:<day>:<min>
 * a start, op:<day>:<min>:<len>:<pelaksana> the Pelaksana (then the place
 * is asked), ol:... the place of the last slot again, ox:<session> removes a
 * draft. Days are day numbers (office_calendar.h), times minutes after
 * midnight WIB. All of it is checked on the server. */
#ifndef SERTIBOT_SLOT_PICKER_H
#define SERTIBOT_SLOT_PICKER_H

#include <stdbool.h>

#include "db_cases.h"
#include "handler.h"

/* Sends the offer builder (`move` false) or the picker to move the session
 * (`move` true) as a new message, and lets the person type a time. */
int slot_picker_open(struct handler_ctx *ctx, const struct db_case *c, bool move);

/* A typed answer to the picker (case_prompt.c): a time, with an optional end
 * and, for an offer, ", place". */
int slot_picker_typed(struct handler_ctx *ctx, const struct db_case *c, const char *text,
                      bool move);

/* The typed place of a slot whose day, start, length and Pelaksana are in
 * `arg` ("<day>:<min>:<len>:<pelaksana>", from the prompt). */
int slot_picker_place(struct handler_ctx *ctx, const struct db_case *c, const char *arg,
                      const char *text);

#endif
