/* holidays_json: the holiday list as JSON text, the format of the shipped
 * core/data/id-holidays.json and of a corrected list an admin supplies:
 *
 *   [ {"date": "2026-03-20", "name": "Cuti Bersama Idul Fitri",
 *      "kind": "joint_leave", "tentative": false}, ... ]
 *
 * - date: "YYYY-MM-DD", a real local date (cal_date_parse); no date twice.
 * - name: a non-empty string (rules of cal_holiday_add).
 * - kind: "national", "joint_leave" or "closure" (cal_kind_key).
 * - tentative: true or false; may be left out (false). Other keys are ignored.
 *
 * Promises: pure (the caller reads the file). The whole text is checked before
 * anything is added, so a list with a mistake changes nothing; the first
 * mistake is explained in `err` (always NUL-terminated) naming the entry and
 * the field: "[3].date: not a date YYYY-MM-DD". */
#ifndef SERTIBOT_HOLIDAYS_JSON_H
#define SERTIBOT_HOLIDAYS_JSON_H

#include <stddef.h>

#include "office_calendar.h"

/* Adds every entry of `json` (NUL-terminated) to `cal`; an entry replaces a
 * holiday already on its date, holidays on other dates stay. Returns 0,
 * -EINVAL with the reason in `err`, or -ENOMEM (then some entries may have
 * been added). */
int holidays_json_parse(const char *json, struct cal *cal, char *err, size_t err_size);

#endif
