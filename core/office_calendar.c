#include "office_calendar.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* --- dates ---------------------------------------------------------------- */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian
 * calendar, no tables, no library time functions. */
int32_t cal_days_from_civil(int year, int month, int mday)
{
    int64_t y = (int64_t)year - (month <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + mday - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

void cal_civil_from_days(int32_t day, int *year, int *month, int *mday)
{
    int64_t z = (int64_t)day + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *mday = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = m;
    *year = (int)(yoe + era * 400 + (m <= 2));
}

int cal_weekday(int32_t day)
{
    /* day 0 was a Thursday (3 when Monday is 0) */
    return (int)(((int64_t)day + 3) % 7 + 7) % 7;
}

static int64_t clamp_time(int64_t t_ms)
{
    if (t_ms < CAL_TIME_MIN)
        return CAL_TIME_MIN;
    if (t_ms > CAL_TIME_MAX)
        return CAL_TIME_MAX;
    return t_ms;
}

/* Local day and milliseconds since local midnight of an instant that is
 * already inside [CAL_TIME_MIN, CAL_TIME_MAX]. */
static void split_time(int64_t t_ms, int64_t *day, int64_t *pos)
{
    int64_t local = t_ms + CAL_UTC_OFFSET_MS;
    *day = floor_div(local, CAL_DAY_MS);
    *pos = local - *day * CAL_DAY_MS;
}

int32_t cal_day_of(int64_t t_ms)
{
    int64_t day, pos;
    split_time(clamp_time(t_ms), &day, &pos);
    return (int32_t)(day > CAL_DAY_MAX ? CAL_DAY_MAX : day);
}

int64_t cal_day_start(int32_t day)
{
    return (int64_t)day * CAL_DAY_MS - CAL_UTC_OFFSET_MS;
}

static bool is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int days_in_month(int year, int month)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return days[month - 1] + (month == 2 && is_leap(year));
}

/* Reads exactly `n` decimal digits. */
static bool read_digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* The date at the start of `s` (exactly "YYYY-MM-DD", no more checked). */
static int parse_date_prefix(const char *s, int32_t *day)
{
    int y, m, d;
    if (!read_digits(s, 4, &y) || s[4] != '-' || !read_digits(s + 5, 2, &m) || s[7] != '-' ||
        !read_digits(s + 8, 2, &d))
        return -EINVAL;
    if (y < 1970 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return -EINVAL;
    *day = cal_days_from_civil(y, m, d);
    return 0;
}

/* Writes `v` as exactly `n` decimal digits (the caller keeps v < 10^n). */
static void put_digits(char *p, int v, int n)
{
    for (int i = n - 1; i >= 0; i--, v /= 10)
        p[i] = (char)('0' + v % 10);
}

/* "YYYY-MM-DD" of a day in 0..CAL_DAY_MAX, without the NUL. */
static void put_date(char *p, int32_t day)
{
    int y, m, d;
    cal_civil_from_days(day, &y, &m, &d);
    put_digits(p, y, 4);
    p[4] = '-';
    put_digits(p + 5, m, 2);
    p[7] = '-';
    put_digits(p + 8, d, 2);
}

int cal_date_parse(const char *text, int32_t *day)
{
    if (!text || !day || strlen(text) != 10)
        return -EINVAL;
    return parse_date_prefix(text, day);
}

void cal_date_format(int32_t day, char out[CAL_DATE_SIZE])
{
    if (day < 0)
        day = 0;
    if (day > CAL_DAY_MAX)
        day = CAL_DAY_MAX;
    put_date(out, day);
    out[10] = '\0';
}

int cal_local_parse(const char *text, int64_t *t_ms)
{
    if (!text || !t_ms)
        return -EINVAL;
    size_t len = strlen(text);
    int32_t day;
    int h, mi, s = 0;
    if ((len != 16 && len != 19) || parse_date_prefix(text, &day) || text[10] != ' ' ||
        !read_digits(text + 11, 2, &h) || text[13] != ':' || !read_digits(text + 14, 2, &mi))
        return -EINVAL;
    if (len == 19 && (text[16] != ':' || !read_digits(text + 17, 2, &s)))
        return -EINVAL;
    if (h > 23 || mi > 59 || s > 59)
        return -EINVAL;
    *t_ms = cal_day_start(day) + ((int64_t)h * 3600 + mi * 60 + s) * 1000;
    return 0;
}

void cal_local_format(int64_t t_ms, char out[CAL_LOCAL_SIZE])
{
    int64_t day, pos;
    t_ms = clamp_time(t_ms);
    if (t_ms == CAL_TIME_MAX)
        t_ms--;
    split_time(t_ms, &day, &pos);
    int secs = (int)(pos / 1000);
    put_date(out, (int32_t)day);
    out[10] = ' ';
    put_digits(out + 11, secs / 3600, 2);
    out[13] = ':';
    put_digits(out + 14, secs / 60 % 60, 2);
    out[16] = ':';
    put_digits(out + 17, secs % 60, 2);
    out[19] = '\0';
}

/* --- hours ---------------------------------------------------------------- */

static const struct cal_hours DEFAULT_MON_THU = { 2, { { 7 * 60 + 30, 12 * 60 }, { 13 * 60, 16 * 60 } } };
static const struct cal_hours DEFAULT_FRI = { 2, { { 7 * 60 + 30, 11 * 60 + 30 }, { 13 * 60, 16 * 60 + 30 } } };

void cal_init_default(struct cal *cal)
{
    memset(cal, 0, sizeof *cal);
    for (int wd = 0; wd < 4; wd++)
        cal->week[wd] = DEFAULT_MON_THU;
    cal->week[4] = DEFAULT_FRI;
    /* Saturday and Sunday stay closed (count 0) */
}

void cal_free(struct cal *cal)
{
    for (size_t i = 0; i < cal->holidays_count; i++)
        free(cal->holidays[i].name);
    free(cal->holidays);
    cal->holidays = NULL;
    cal->holidays_count = 0;
    cal->holidays_cap = 0;
}

static bool spans_valid(const struct cal_span *spans, size_t count)
{
    if (count > CAL_MAX_SPANS || (count > 0 && !spans))
        return false;
    int prev_end = 0;
    for (size_t i = 0; i < count; i++) {
        if (spans[i].start < prev_end || spans[i].start >= spans[i].end ||
            spans[i].end > CAL_MINUTES_PER_DAY)
            return false;
        prev_end = spans[i].end;
    }
    return true;
}

int cal_set_day(struct cal *cal, int weekday, const struct cal_span *spans, size_t count)
{
    if (!cal || weekday < 0 || weekday > 6 || !spans_valid(spans, count))
        return -EINVAL;
    struct cal_hours *hours = &cal->week[weekday];
    memset(hours, 0, sizeof *hours);
    if (count)
        memcpy(hours->spans, spans, count * sizeof *spans);
    hours->count = count;
    return 0;
}

static const char *skip_spaces(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* "H:MM" or "HH:MM", up to 24:00; returns the text after it, or NULL. */
static const char *parse_clock(const char *s, int *minute)
{
    int h, m;
    if (s[0] < '0' || s[0] > '9')
        return NULL;
    if (s[1] >= '0' && s[1] <= '9') {
        h = (s[0] - '0') * 10 + (s[1] - '0');
        s += 2;
    } else {
        h = s[0] - '0';
        s += 1;
    }
    if (*s != ':' || !read_digits(s + 1, 2, &m) || m > 59 || h * 60 + m > CAL_MINUTES_PER_DAY)
        return NULL;
    *minute = h * 60 + m;
    return s + 3;
}

static bool is_closed_word(const char *s)
{
    static const char word[] = "closed";
    for (size_t i = 0; i < sizeof word - 1; i++, s++)
        if ((*s | 0x20) != word[i])
            return false;
    return *skip_spaces(s) == '\0';
}

int cal_hours_parse(const char *text, struct cal_hours *out)
{
    if (!text || !out)
        return -EINVAL;
    struct cal_hours hours;
    memset(&hours, 0, sizeof hours);
    const char *s = skip_spaces(text);
    if (*s == '\0' || is_closed_word(s)) {
        *out = hours;
        return 0;
    }
    for (;;) {
        struct cal_span span;
        if (hours.count == CAL_MAX_SPANS)
            return -EINVAL;
        s = parse_clock(s, &span.start);
        if (!s)
            return -EINVAL;
        s = skip_spaces(s);
        if (*s != '-')
            return -EINVAL;
        s = parse_clock(skip_spaces(s + 1), &span.end);
        if (!s)
            return -EINVAL;
        hours.spans[hours.count++] = span;
        s = skip_spaces(s);
        if (*s == '\0')
            break;
        if (*s != ',')
            return -EINVAL;
        s = skip_spaces(s + 1);
    }
    if (!spans_valid(hours.spans, hours.count))
        return -EINVAL;
    *out = hours;
    return 0;
}

void cal_hours_format(const struct cal_hours *hours, char out[CAL_HOURS_TEXT_SIZE])
{
    if (hours->count == 0) {
        memcpy(out, "closed", sizeof "closed");
        return;
    }
    /* 4 spans of "HH:MM-HH:MM" and 3 commas: 47 bytes and the NUL */
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < hours->count && i < CAL_MAX_SPANS; i++) {
        const struct cal_span *sp = &hours->spans[i];
        if (i)
            out[used++] = ',';
        put_digits(out + used, sp->start / 60, 2);
        out[used + 2] = ':';
        put_digits(out + used + 3, sp->start % 60, 2);
        out[used + 5] = '-';
        put_digits(out + used + 6, sp->end / 60, 2);
        out[used + 8] = ':';
        put_digits(out + used + 9, sp->end % 60, 2);
        used += 11;
        out[used] = '\0';
    }
}

static int day_minutes(const struct cal_hours *hours)
{
    int total = 0;
    for (size_t i = 0; i < hours->count; i++)
        total += hours->spans[i].end - hours->spans[i].start;
    return total;
}

int cal_week_minutes(const struct cal *cal)
{
    int total = 0;
    for (int wd = 0; wd < 7; wd++)
        total += day_minutes(&cal->week[wd]);
    return total;
}

/* --- holidays ------------------------------------------------------------- */

static const char *const KIND_KEYS[] = {
    [CAL_NATIONAL] = "national",
    [CAL_JOINT_LEAVE] = "joint_leave",
    [CAL_CLOSURE] = "closure",
};

const char *cal_kind_key(enum cal_kind kind)
{
    if ((int)kind < 0 || (size_t)kind >= sizeof KIND_KEYS / sizeof KIND_KEYS[0])
        return NULL;
    return KIND_KEYS[kind];
}

int cal_kind_parse(const char *key, enum cal_kind *out)
{
    for (size_t i = 0; key && i < sizeof KIND_KEYS / sizeof KIND_KEYS[0]; i++)
        if (strcmp(key, KIND_KEYS[i]) == 0) {
            *out = (enum cal_kind)i;
            return 0;
        }
    return -EINVAL;
}

/* Names end up in Telegram messages, which must be valid UTF-8: a name read
 * from a Latin-1 file is refused here rather than by every message later. */
bool cal_holiday_name_valid(const char *name)
{
    if (!name)
        return false;
    size_t len = strlen(name);
    if (len == 0 || len > CAL_NAME_MAX)
        return false;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = utf8_decode(name + i, len - i, &cp);
        if (n == 0 || cp < 0x20 || cp == 0x7f)
            return false;
        i += n;
    }
    return true;
}

size_t cal_holiday_first_from(const struct cal *cal, int32_t day)
{
    size_t lo = 0, hi = cal->holidays_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cal->holidays[mid].day < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const struct cal_holiday *cal_holiday_find(const struct cal *cal, int32_t day)
{
    size_t i = cal_holiday_first_from(cal, day);
    return i < cal->holidays_count && cal->holidays[i].day == day ? &cal->holidays[i] : NULL;
}

int cal_holiday_add(struct cal *cal, int32_t day, enum cal_kind kind, const char *name,
                    bool tentative)
{
    if (!cal || day < 0 || day > CAL_DAY_MAX || !cal_kind_key(kind) || !cal_holiday_name_valid(name))
        return -EINVAL;
    size_t len = strlen(name) + 1;
    char *copy = malloc(len);
    if (!copy)
        return -ENOMEM;
    memcpy(copy, name, len);

    size_t i = cal_holiday_first_from(cal, day);
    if (i < cal->holidays_count && cal->holidays[i].day == day) {
        free(cal->holidays[i].name);
    } else {
        if (cal->holidays_count == cal->holidays_cap) {
            size_t cap = cal->holidays_cap ? cal->holidays_cap * 2 : 64;
            struct cal_holiday *grown = realloc(cal->holidays, cap * sizeof *grown);
            if (!grown) {
                free(copy);
                return -ENOMEM;
            }
            cal->holidays = grown;
            cal->holidays_cap = cap;
        }
        memmove(&cal->holidays[i + 1], &cal->holidays[i],
                (cal->holidays_count - i) * sizeof cal->holidays[0]);
        cal->holidays_count++;
    }
    cal->holidays[i] = (struct cal_holiday){
        .day = day, .kind = kind, .tentative = tentative, .name = copy,
    };
    return 0;
}

int cal_holiday_remove(struct cal *cal, int32_t day)
{
    size_t i = cal_holiday_first_from(cal, day);
    if (i >= cal->holidays_count || cal->holidays[i].day != day)
        return -ENOENT;
    free(cal->holidays[i].name);
    memmove(&cal->holidays[i], &cal->holidays[i + 1],
            (cal->holidays_count - i - 1) * sizeof cal->holidays[0]);
    cal->holidays_count--;
    return 0;
}

size_t cal_holiday_count(const struct cal *cal)
{
    return cal->holidays_count;
}

const struct cal_holiday *cal_holiday_at(const struct cal *cal, size_t index)
{
    return index < cal->holidays_count ? &cal->holidays[index] : NULL;
}

size_t cal_holiday_count_year(const struct cal *cal, int year)
{
    if (year < 1970 || year > 9999)
        return 0;
    return cal_holiday_first_from(cal, cal_days_from_civil(year + 1, 1, 1)) -
           cal_holiday_first_from(cal, cal_days_from_civil(year, 1, 1));
}

/* --- office time ---------------------------------------------------------- */

static const struct cal_hours *hours_of(const struct cal *cal, int64_t day)
{
    return &cal->week[cal_weekday((int32_t)day)];
}

bool cal_is_working_day(const struct cal *cal, int32_t day)
{
    return cal->week[cal_weekday(day)].count > 0 && !cal_holiday_find(cal, day);
}

bool cal_is_office_time(const struct cal *cal, int64_t t_ms)
{
    if (t_ms < CAL_TIME_MIN || t_ms >= CAL_TIME_MAX)
        return false;
    int64_t day, pos;
    split_time(t_ms, &day, &pos);
    if (!cal_is_working_day(cal, (int32_t)day))
        return false;
    const struct cal_hours *hours = hours_of(cal, day);
    for (size_t i = 0; i < hours->count; i++)
        if (pos >= hours->spans[i].start * CAL_MINUTE_MS && pos < hours->spans[i].end * CAL_MINUTE_MS)
            return true;
    return false;
}

int64_t cal_next_office_moment(const struct cal *cal, int64_t t_ms)
{
    if (t_ms >= CAL_TIME_MAX)
        return CAL_NEVER;
    if (t_ms < CAL_TIME_MIN)
        t_ms = CAL_TIME_MIN;
    if (cal_week_minutes(cal) == 0)
        return CAL_NEVER;
    int64_t day, pos;
    split_time(t_ms, &day, &pos);
    for (int scanned = 0; scanned <= CAL_GIVE_UP_DAYS && day <= CAL_DAY_MAX; scanned++, day++, pos = 0) {
        if (!cal_is_working_day(cal, (int32_t)day))
            continue;
        const struct cal_hours *hours = hours_of(cal, day);
        for (size_t i = 0; i < hours->count; i++) {
            int64_t start = hours->spans[i].start * CAL_MINUTE_MS;
            int64_t end = hours->spans[i].end * CAL_MINUTE_MS;
            if (pos < end)
                return cal_day_start((int32_t)day) + (pos > start ? pos : start);
        }
    }
    return CAL_NEVER;
}

/* Walks day by day, span by span, consuming what is left. A stretch of at
 * least a week that starts at midnight, holds no holiday and is wholly owed
 * (strictly more than a week is left, so the deadline cannot be its last
 * instant) is skipped in one step: long durations cost weeks, not days. */
int64_t cal_add_office_minutes(const struct cal *cal, int64_t start_ms, int64_t minutes)
{
    if (minutes <= 0)
        return start_ms;
    if (start_ms >= CAL_TIME_MAX || minutes > (CAL_TIME_MAX - CAL_TIME_MIN) / CAL_MINUTE_MS)
        return CAL_NEVER;
    if (start_ms < CAL_TIME_MIN)
        start_ms = CAL_TIME_MIN;
    int64_t week_ms = cal_week_minutes(cal) * CAL_MINUTE_MS;
    if (week_ms == 0)
        return CAL_NEVER;

    int64_t left = minutes * CAL_MINUTE_MS;
    int64_t day, pos;
    split_time(start_ms, &day, &pos);
    size_t next_holiday = cal_holiday_first_from(cal, (int32_t)day);
    int idle_days = 0;
    while (day <= CAL_DAY_MAX) {
        while (next_holiday < cal->holidays_count && cal->holidays[next_holiday].day < day)
            next_holiday++;
        bool holiday_ahead = next_holiday < cal->holidays_count;
        if (pos == 0 && left > week_ms &&
            (!holiday_ahead || cal->holidays[next_holiday].day >= day + 7)) {
            left -= week_ms;
            day += 7;
            idle_days = 0;
            continue;
        }
        bool worked = false;
        if (!holiday_ahead || cal->holidays[next_holiday].day != day) {
            const struct cal_hours *hours = hours_of(cal, day);
            for (size_t i = 0; i < hours->count; i++) {
                int64_t start = hours->spans[i].start * CAL_MINUTE_MS;
                int64_t end = hours->spans[i].end * CAL_MINUTE_MS;
                if (pos >= end)
                    continue;
                int64_t from = pos > start ? pos : start;
                worked = true;
                if (left <= end - from)
                    return cal_day_start((int32_t)day) + from + left;
                left -= end - from;
            }
        }
        if (worked)
            idle_days = 0;
        else if (++idle_days > CAL_GIVE_UP_DAYS)
            return CAL_NEVER;
        day++;
        pos = 0;
    }
    return CAL_NEVER;
}

/* Office time of one day inside [from, to), both in ms since local midnight. */
static int64_t day_office_ms(const struct cal *cal, int64_t day, int64_t from, int64_t to)
{
    if (from >= to || !cal_is_working_day(cal, (int32_t)day))
        return 0;
    const struct cal_hours *hours = hours_of(cal, day);
    int64_t total = 0;
    for (size_t i = 0; i < hours->count; i++) {
        int64_t a = hours->spans[i].start * CAL_MINUTE_MS;
        int64_t b = hours->spans[i].end * CAL_MINUTE_MS;
        if (a < from)
            a = from;
        if (b > to)
            b = to;
        if (a < b)
            total += b - a;
    }
    return total;
}

/* Office time of the whole days [first, last): whole weeks by multiplication,
 * the rest day by day, then each holiday in range takes its weekday's hours
 * back. O(holidays in range), however long the range. */
static int64_t whole_days_office_ms(const struct cal *cal, int64_t first, int64_t last)
{
    if (last <= first)
        return 0;
    int64_t weekday_ms[7];
    int64_t week_ms = 0;
    for (int wd = 0; wd < 7; wd++) {
        weekday_ms[wd] = day_minutes(&cal->week[wd]) * CAL_MINUTE_MS;
        week_ms += weekday_ms[wd];
    }
    int64_t days = last - first;
    int64_t total = days / 7 * week_ms;
    for (int64_t day = first + days / 7 * 7; day < last; day++)
        total += weekday_ms[cal_weekday((int32_t)day)];
    for (size_t i = cal_holiday_first_from(cal, (int32_t)first);
         i < cal->holidays_count && cal->holidays[i].day < last; i++)
        total -= weekday_ms[cal_weekday(cal->holidays[i].day)];
    return total;
}

int64_t cal_office_ms_between(const struct cal *cal, int64_t from_ms, int64_t to_ms)
{
    from_ms = clamp_time(from_ms);
    to_ms = clamp_time(to_ms);
    if (to_ms <= from_ms)
        return 0;
    int64_t from_day, from_pos, to_day, to_pos;
    split_time(from_ms, &from_day, &from_pos);
    split_time(to_ms, &to_day, &to_pos);
    if (from_day == to_day)
        return day_office_ms(cal, from_day, from_pos, to_pos);
    assert(from_day < to_day);
    return day_office_ms(cal, from_day, from_pos, CAL_DAY_MS) +
           whole_days_office_ms(cal, from_day + 1, to_day) +
           (to_day <= CAL_DAY_MAX ? day_office_ms(cal, to_day, 0, to_pos) : 0);
}

/* FNV-1a, 64 bits, over the values one at a time (no padding bytes). */
static uint64_t fnv_add(uint64_t hash, int64_t value)
{
    for (int i = 0; i < 8; i++) {
        hash ^= (uint64_t)(value >> (8 * i)) & 0xffu;
        hash *= 0x100000001b3ull;
    }
    return hash;
}

uint64_t cal_fingerprint(const struct cal *cal)
{
    uint64_t hash = 0xcbf29ce484222325ull;
    for (int day = 0; day < 7; day++) {
        hash = fnv_add(hash, (int64_t)cal->week[day].count);
        for (size_t i = 0; i < cal->week[day].count; i++) {
            hash = fnv_add(hash, cal->week[day].spans[i].start);
            hash = fnv_add(hash, cal->week[day].spans[i].end);
        }
    }
    for (size_t i = 0; i < cal->holidays_count; i++)
        hash = fnv_add(hash, cal->holidays[i].day);
    return hash;
}
