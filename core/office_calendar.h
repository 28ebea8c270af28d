/* office_calendar: office time in Asia/Jakarta, the clock the SOP's service
 * standards ("15 minutes", "2 hours", "1 day") are measured on.
 *
 * Promises:
 * - Pure: no I/O, no globals, no clock. Times are passed in and returned as
 *   int64 milliseconds since the Unix epoch (UTC). Local time is WIB, a fixed
 *   UTC+7 with no daylight saving, computed here with civil-date arithmetic,
 *   so the server's TZ and the C library's localtime never matter.
 * - Local dates are day numbers: days since 1970-01-01 (day 0, a Thursday).
 *   Weekdays are 0 = Monday .. 6 = Sunday.
 * - Office time is the weekday's working spans (minutes from local midnight,
 *   half-open [start, end)) on every day that is not a holiday. All three
 *   holiday kinds close the office for the whole day: national holidays, joint
 *   leave (cuti bersama, a day off for civil servants) and closures an admin
 *   adds (an emergency closure of the office).
 * - The supported range is 1970-01-01 00:00 WIB (CAL_TIME_MIN) up to, not
 *   including, 10000-01-01 00:00 WIB (CAL_TIME_MAX). There is no office time
 *   outside it; a deadline that would fall beyond it is CAL_NEVER.
 * - Arithmetic walks spans and days (whole weeks at a time where no holiday
 *   falls), never minutes: adding a day's worth is a few steps.
 *
 * Errors: functions returning int return 0 or a negative errno code (-EINVAL
 * for a bad argument, -ENOENT for "no such holiday", -ENOMEM). Functions that
 * return an instant return CAL_NEVER when there is none (see below).
 *
 * Ownership: a struct cal owns its holiday list and every name in it (copies
 * of what was passed in); cal_free releases them. Pointers to holidays handed
 * out stay valid until the next cal_holiday_add, cal_holiday_remove or
 * cal_free. A struct cal is not shared between threads while written. */
#ifndef SERTIBOT_OFFICE_CALENDAR_H
#define SERTIBOT_OFFICE_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CAL_MINUTE_MS INT64_C(60000)
#define CAL_DAY_MS INT64_C(86400000)
#define CAL_UTC_OFFSET_MS INT64_C(25200000) /* WIB = UTC+7, all year */
#define CAL_MINUTES_PER_DAY 1440

#define CAL_DAY_MAX 2932896                            /* 9999-12-31 */
#define CAL_TIME_MIN (-CAL_UTC_OFFSET_MS)              /* 1970-01-01 00:00 WIB */
#define CAL_TIME_MAX INT64_C(253402275600000)          /* 10000-01-01 00:00 WIB, excluded */

/* "No such instant": returned by cal_add_office_minutes and
 * cal_next_office_moment when no office time comes, because the calendar has
 * no working hours, or none for CAL_GIVE_UP_DAYS days in a row (a week of
 * closed days plus holidays on every open one: a configuration mistake), or
 * the answer lies beyond CAL_TIME_MAX. It is INT64_MAX on purpose: a deadline
 * of CAL_NEVER compares later than any real time, so it never fires; callers
 * should still check for it and tell an admin. */
#define CAL_NEVER INT64_MAX
#define CAL_GIVE_UP_DAYS 1830                          /* about five years */

#define CAL_MAX_SPANS 4                                /* per weekday */
#define CAL_NAME_MAX 200                               /* bytes of a holiday name */
#define CAL_DATE_SIZE 11                               /* "YYYY-MM-DD" + NUL */
#define CAL_LOCAL_SIZE 20                              /* "YYYY-MM-DD HH:MM:SS" + NUL */
#define CAL_HOURS_TEXT_SIZE 48                         /* 4 spans "HH:MM-HH:MM," + NUL */

/* One working span of a day, in local minutes from midnight: [start, end). */
struct cal_span {
    int start;
    int end;
};

/* The working spans of one weekday, sorted and not overlapping; count 0 is a
 * closed day. */
struct cal_hours {
    size_t count;
    struct cal_span spans[CAL_MAX_SPANS];
};

enum cal_kind {
    CAL_NATIONAL = 0,    /* libur nasional */
    CAL_JOINT_LEAVE = 1, /* cuti bersama */
    CAL_CLOSURE = 2,     /* added by an admin: the office is closed that day */
};

struct cal_holiday {
    int32_t day;         /* local date, days since 1970-01-01 */
    enum cal_kind kind;
    bool tentative;      /* the source marked the date as not yet certain */
    char *name;          /* owned by the calendar */
};

/* Read the fields, change them only through the functions below: they keep
 * the hours valid and the holidays sorted by day with no day twice. */
struct cal {
    struct cal_hours week[7];        /* [0] = Monday .. [6] = Sunday */
    struct cal_holiday *holidays;    /* sorted by day */
    size_t holidays_count;
    size_t holidays_cap;
};

/* --- the calendar ---------------------------------------------------------- */
/* The agency's hours: Mon-Thu 07:30-12:00 and 13:00-16:00, Fri 07:30-11:30 and
 * 13:00-16:30, Sat and Sun closed (37.5 hours a week); no holidays. Allocates
 * nothing; does not free what `cal` held before (call cal_free first). */
void cal_init_default(struct cal *cal);
/* Frees the holidays and their names, leaving an empty list; the hours stay. */
void cal_free(struct cal *cal);

/* Replaces one weekday's spans. -EINVAL (and the day unchanged) unless
 * weekday is 0..6, count <= CAL_MAX_SPANS, and every span has
 * 0 <= start < end <= 1440 and starts at or after the previous one's end. */
int cal_set_day(struct cal *cal, int weekday, const struct cal_span *spans, size_t count);
/* Parses a day's hours as written in config (`calendar.hours`):
 * "07:30-12:00,13:00-16:00"; hours of one or two digits, minutes of two,
 * "24:00" allowed as an end, spaces around the separators ignored. "" or
 * "closed" (any case) is a closed day. Same rules as cal_set_day; -EINVAL
 * with `out` unchanged otherwise. */
int cal_hours_parse(const char *text, struct cal_hours *out);
/* Writes the hours back as text, "07:30-12:00,13:00-16:00" or "closed". */
void cal_hours_format(const struct cal_hours *hours, char out[CAL_HOURS_TEXT_SIZE]);
/* Office minutes in a week without holidays (2250 for the default hours). */
int cal_week_minutes(const struct cal *cal);

/* --- holidays ------------------------------------------------------------- */
/* "national", "joint_leave", "closure"; NULL for anything else. */
const char *cal_kind_key(enum cal_kind kind);
/* The inverse of cal_kind_key; -EINVAL for an unknown key. */
int cal_kind_parse(const char *key, enum cal_kind *out);

/* Adds a holiday, or replaces kind, name and flag of the one on that day.
 * -EINVAL for a day outside 0..CAL_DAY_MAX, an unknown kind, or a name that
 * is empty, longer than CAL_NAME_MAX bytes, not UTF-8 or has control
 * characters; -ENOMEM. The name is copied. */
int cal_holiday_add(struct cal *cal, int32_t day, enum cal_kind kind, const char *name,
                    bool tentative);
/* The rule for names above: 1..CAL_NAME_MAX bytes of UTF-8, no control
 * characters (names end up in Telegram messages). */
bool cal_holiday_name_valid(const char *name);
/* -ENOENT if no holiday is on that day. */
int cal_holiday_remove(struct cal *cal, int32_t day);
/* The holiday on that day, or NULL. */
const struct cal_holiday *cal_holiday_find(const struct cal *cal, int32_t day);
/* Iteration in date order: for (i = 0; i < cal_holiday_count(cal); i++)
 * cal_holiday_at(cal, i); start at cal_holiday_first_from(cal, day) to list
 * the ones to come. */
size_t cal_holiday_count(const struct cal *cal);
/* A 64-bit digest of what makes office time: the weekly hours and the days
 * off (not their names or kinds). Two calendars with the same digest give
 * the same deadlines; a stored one tells a restart that the calendar changed
 * while the bot was down (a new holidays file, a new release's list). */
uint64_t cal_fingerprint(const struct cal *cal);
const struct cal_holiday *cal_holiday_at(const struct cal *cal, size_t index); /* NULL past end */
/* The index of the first holiday on or after `day` (the count if none). */
size_t cal_holiday_first_from(const struct cal *cal, int32_t day);
/* How many holidays (of any kind, weekends included) fall in a year: 0 means
 * that year's list was never loaded and an admin should be told. */
size_t cal_holiday_count_year(const struct cal *cal, int year);

/* --- office time ---------------------------------------------------------- */
/* True if the weekday has hours and the day is not a holiday. */
bool cal_is_working_day(const struct cal *cal, int32_t day);
/* True if `t_ms` lies inside a working span: at the start minute yes, at the
 * end minute no (16:00:00.000 is after hours, 15:59:59.999 is not). */
bool cal_is_office_time(const struct cal *cal, int64_t t_ms);
/* `t_ms` itself if it is office time, otherwise the start of the next working
 * span; CAL_NEVER if none comes (see CAL_NEVER). */
int64_t cal_next_office_moment(const struct cal *cal, int64_t t_ms);
/* The deadline of a task that takes `minutes` of office time from `start_ms`:
 * the earliest instant T >= start_ms with cal_office_ms_between(start_ms, T)
 * == minutes * 60000. So a start outside office time counts from the next
 * office moment; a result may be exactly the end of a span (15:00 + 60 min is
 * 16:00 that day, not 07:30 the next working day); seconds and milliseconds of
 * the start are kept; 0 (or negative) minutes return start_ms unchanged, as
 * nothing is owed. CAL_NEVER if the deadline never comes (see CAL_NEVER). */
int64_t cal_add_office_minutes(const struct cal *cal, int64_t start_ms, int64_t minutes);
/* Office time in [from_ms, to_ms), in milliseconds; 0 if to_ms <= from_ms.
 * Exact inverse of cal_add_office_minutes for positive minutes. */
int64_t cal_office_ms_between(const struct cal *cal, int64_t from_ms, int64_t to_ms);

/* --- dates and local time --------------------------------------------------- */
/* Day number of a proleptic Gregorian date (no range check). */
int32_t cal_days_from_civil(int year, int month, int mday);
void cal_civil_from_days(int32_t day, int *year, int *month, int *mday);
int cal_weekday(int32_t day);                       /* 0 = Monday .. 6 = Sunday */
/* The local (WIB) date of an instant; clamped to 0..CAL_DAY_MAX. */
int32_t cal_day_of(int64_t t_ms);
/* The instant of local midnight starting `day`. */
int64_t cal_day_start(int32_t day);

/* "YYYY-MM-DD", a real date of 1970..9999 (2024-02-29 yes, 2025-02-29 no);
 * -EINVAL otherwise. */
int cal_date_parse(const char *text, int32_t *day);
void cal_date_format(int32_t day, char out[CAL_DATE_SIZE]);
/* Local WIB time "YYYY-MM-DD HH:MM" or "YYYY-MM-DD HH:MM:SS"; -EINVAL. */
int cal_local_parse(const char *text, int64_t *t_ms);
/* "YYYY-MM-DD HH:MM:SS" in WIB; `t_ms` is clamped to the supported range. */
void cal_local_format(int64_t t_ms, char out[CAL_LOCAL_SIZE]);

#endif
