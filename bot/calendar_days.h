/* calendar_days: the office calendar the bot runs on. */
#ifndef SERTIBOT_CALENDAR_DAYS_H
#define SERTIBOT_CALENDAR_DAYS_H

#include <stddef.h>

#include "office_calendar.h"

struct config;
struct db;

/* (Re)builds `cal`: the working hours (calendar.hours over the default
 * week), the shipped 2025-2026 holidays, the operator's file
 * (calendar.holidays_file), then the admins' days from the database, each
 * winning over the one before. 0, or a negative errno with `err` set. */
int calendar_days_load(struct cal *cal, const struct config *cfg, struct db *db, char *err,
                       size_t err_size);

#endif
