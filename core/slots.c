/* slots: checking a proposed session slot; see slots.h for the contract. */
#include "slots.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

/* True if [start_ms, end_ms) lies inside a single working span of `day`.
 * One span, not office time in general: two spans that meet (12:00-12:00)
 * or a span that runs to midnight and the next day's that starts there are
 * still separate sittings, and a session is one sitting. */
static bool inside_one_span(const struct cal *cal, int32_t day, int64_t start_ms, int64_t end_ms)
{
    const struct cal_hours *hours = &cal->week[cal_weekday(day)];
    int64_t midnight = cal_day_start(day);
    for (size_t i = 0; i < hours->count; i++) {
        int64_t from = midnight + hours->spans[i].start * CAL_MINUTE_MS;
        int64_t to = midnight + hours->spans[i].end * CAL_MINUTE_MS;
        if (from <= start_ms && end_ms <= to)
            return true;
    }
    return false;
}

static bool in_range(int64_t t_ms)
{
    return t_ms >= CAL_TIME_MIN && t_ms <= CAL_TIME_MAX;
}

int slot_check(const struct cal *cal, const struct slot *candidate, const struct slot *existing,
               size_t existing_count, int64_t now_ms, const struct slot **conflict)
{
    if (conflict)
        *conflict = NULL;
    if (!cal || !candidate || (existing_count && !existing))
        return -EINVAL;
    int64_t start = candidate->start_ms, end = candidate->end_ms;
    /* The range check also keeps end - start from overflowing. */
    if (!in_range(start) || !in_range(end))
        return -EINVAL;

    if (start < now_ms)
        return SLOT_IN_PAST;
    if (end - start < SLOT_MIN_MINUTES * CAL_MINUTE_MS)
        return SLOT_TOO_SHORT;
    if (end - start > SLOT_MAX_MINUTES * CAL_MINUTE_MS)
        return SLOT_TOO_LONG;
    int32_t day = cal_day_of(start);
    if (!cal_is_working_day(cal, day))
        return SLOT_HOLIDAY;
    if (!inside_one_span(cal, day, start, end))
        return SLOT_OUTSIDE_HOURS;

    const struct slot *first = NULL;
    for (size_t i = 0; i < existing_count; i++) {
        const struct slot *other = &existing[i];
        if (other->pelaksana_id != candidate->pelaksana_id)
            continue;
        if (candidate->id != 0 && other->id == candidate->id)
            continue; /* its own booking, being moved */
        if (other->start_ms < end && start < other->end_ms &&
            (!first || other->start_ms < first->start_ms))
            first = other;
    }
    if (first) {
        if (conflict)
            *conflict = first;
        return SLOT_OVERLAP;
    }
    return SLOT_OK;
}

const char *slot_problem_name(int problem)
{
    switch (problem) {
    case SLOT_IN_PAST:
        return "in_past";
    case SLOT_TOO_SHORT:
        return "too_short";
    case SLOT_TOO_LONG:
        return "too_long";
    case SLOT_HOLIDAY:
        return "holiday";
    case SLOT_OUTSIDE_HOURS:
        return "outside_hours";
    case SLOT_OVERLAP:
        return "overlap";
    default:
        return NULL;
    }
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* People type "9.00" as often as "09:00": the time is rewritten into the one
 * form cal_local_parse reads, which then judges the date and the numbers. */
int slot_parse_local(const char *text, int64_t *start_ms)
{
    if (!text || !start_ms)
        return -EINVAL;
    while (is_blank(*text))
        text++;
    const char *date = text;
    for (int i = 0; i < 10; i++) {
        if (!text[i] || is_blank(text[i]))
            return -EINVAL;
    }
    text += 10;
    if (!is_blank(*text))
        return -EINVAL;
    while (is_blank(*text))
        text++;

    char hh[2];
    if (!is_digit(text[0]))
        return -EINVAL;
    if (is_digit(text[1])) {
        hh[0] = text[0];
        hh[1] = text[1];
        text += 2;
    } else {
        hh[0] = '0';
        hh[1] = text[0];
        text += 1;
    }
    if (*text != ':' && *text != '.')
        return -EINVAL;
    text++;
    if (!is_digit(text[0]) || !is_digit(text[1]))
        return -EINVAL;
    const char *mm = text;
    text += 2;
    while (is_blank(*text))
        text++;
    if (*text)
        return -EINVAL;

    char local[17]; /* "YYYY-MM-DD HH:MM" */
    memcpy(local, date, 10);
    local[10] = ' ';
    local[11] = hh[0];
    local[12] = hh[1];
    local[13] = ':';
    local[14] = mm[0];
    local[15] = mm[1];
    local[16] = '\0';
    return cal_local_parse(local, start_ms) ? -EINVAL : 0;
}
