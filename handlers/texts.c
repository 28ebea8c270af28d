#include "texts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "office_calendar.h"
#include "utf8.h"

void text_init(struct text *t, const struct i18n *i18n, const char *lang)
{
    *t = (struct text){ .i18n = i18n, .lang = lang };
}

void text_raw(struct text *t, const char *html)
{
    if (html)
        buf_puts(&t->html, html);
}

void text_own(struct text *t, char *html)
{
    if (!html)
        t->html.failed = true;
    else
        text_raw(t, html);
    free(html);
}

void text_add(struct text *t, const char *key, ...)
{
    va_list ap;
    va_start(ap, key);
    text_own(t, i18n_vformat(t->i18n, t->lang, key, ap));
    va_end(ap);
}

char *text_take(struct text *t)
{
    char *html = t->html.failed ? NULL : t->html.data;
    if (t->html.failed)
        free(t->html.data);
    else if (!html)
        html = strdup("");
    t->html = (struct buf){ 0 };
    return html;
}

void text_clear(struct text *t)
{
    free(t->html.data);
    t->html = (struct buf){ .failed = t->html.failed };
}

static const char *month_name(const struct i18n *i18n, const char *lang, int month, bool full)
{
    char key[24];
    snprintf(key, sizeof key, full ? "letter.month.%d" : "month.%d", month);
    return i18n_text(i18n, lang, key);
}

void text_clock(const struct i18n *i18n, const char *lang, int minute_of_day, char *out,
                size_t size)
{
    char hour[8], minute[8];
    snprintf(hour, sizeof hour, "%02d", (minute_of_day / 60) % 100);
    snprintf(minute, sizeof minute, "%02d", minute_of_day % 60);
    char *s = i18n_format(i18n, lang, "time.clock", "hour", hour, "minute", minute, NULL);
    snprintf(out, size, "%s", s ? s : "");
    free(s);
}

static void day_text(const struct i18n *i18n, const char *lang, int64_t ms, bool full, char *out,
                     size_t size)
{
    int y, m, d;
    cal_civil_from_days(cal_day_of(ms), &y, &m, &d);
    snprintf(out, size, "%d %s %d", d, month_name(i18n, lang, m, full), y);
}

static void when_text(const struct i18n *i18n, const char *lang, int64_t ms, bool full,
                      char *out, size_t size)
{
    char day[48], clock[16];
    day_text(i18n, lang, ms, full, day, sizeof day);
    int64_t minute_of_day = (ms - cal_day_start(cal_day_of(ms))) / CAL_MINUTE_MS;
    text_clock(i18n, lang, (int)minute_of_day, clock, sizeof clock);
    snprintf(out, size, "%s %s", day, clock);
}

void text_day(const struct i18n *i18n, const char *lang, int64_t ms, char *out, size_t size)
{
    day_text(i18n, lang, ms, false, out, size);
}

void text_when(const struct i18n *i18n, const char *lang, int64_t ms, char *out, size_t size)
{
    when_text(i18n, lang, ms, false, out, size);
}

void text_day_long(const struct i18n *i18n, const char *lang, int64_t ms, char *out, size_t size)
{
    day_text(i18n, lang, ms, true, out, size);
}

void text_when_long(const struct i18n *i18n, const char *lang, int64_t ms, char *out,
                    size_t size)
{
    when_text(i18n, lang, ms, true, out, size);
}

void text_date_long(const struct i18n *i18n, const char *lang, const char *iso, char *out,
                    size_t size)
{
    int32_t day;
    if (iso && cal_date_parse(iso, &day) == 0)
        day_text(i18n, lang, cal_day_start(day), true, out, size);
    else
        snprintf(out, size, "%s", iso ? iso : "");
}

const char *text_greeting_key(int64_t ms)
{
    int64_t minute_of_day = (ms - cal_day_start(cal_day_of(ms))) / CAL_MINUTE_MS;
    int hour = (int)(minute_of_day / 60);
    if (hour >= 4 && hour < 11)
        return "greeting.morning";
    if (hour >= 11 && hour < 15)
        return "greeting.midday";
    if (hour >= 15 && hour < 18)
        return "greeting.afternoon";
    return "greeting.evening";
}

char *text_greeting(const struct i18n *i18n, const char *lang, int64_t ms, const char *name)
{
    const char *greeting = i18n_text(i18n, lang, text_greeting_key(ms));
    if (!name || !name[0])
        return i18n_format(i18n, lang, "greeting.alone", "greeting", greeting, NULL);
    return i18n_format(i18n, lang, "greeting.person", "greeting", greeting, "name", name, NULL);
}

void text_minutes(const struct i18n *i18n, const char *lang, int64_t minutes, char *out,
                  size_t size)
{
    char value[24];
    if (minutes > 0 && minutes % 450 == 0) {
        snprintf(value, sizeof value, "%lld", (long long)(minutes / 450));
        char *s = i18n_format(i18n, lang, "duration.days", "n", value, NULL);
        snprintf(out, size, "%s", s ? s : value);
        free(s);
        return;
    }
    if (minutes >= 60) {
        char hours[24], rest[24];
        snprintf(hours, sizeof hours, "%lld", (long long)(minutes / 60));
        snprintf(rest, sizeof rest, "%lld", (long long)(minutes % 60));
        char *s = minutes % 60 ? i18n_format(i18n, lang, "duration.hours_minutes", "h", hours,
                                             "m", rest, NULL)
                               : i18n_format(i18n, lang, "duration.hours", "h", hours, NULL);
        snprintf(out, size, "%s", s ? s : hours);
        free(s);
        return;
    }
    snprintf(value, sizeof value, "%lld", (long long)minutes);
    char *s = i18n_format(i18n, lang, "duration.minutes", "m", value, NULL);
    snprintf(out, size, "%s", s ? s : value);
    free(s);
}

void text_time(const struct i18n *i18n, const char *lang, int64_t ms, char *out, size_t size)
{
    text_clock(i18n, lang, (int)((ms - cal_day_start(cal_day_of(ms))) / CAL_MINUTE_MS), out, size);
}

void text_span(const struct i18n *i18n, const char *lang, int64_t ms, char *out, size_t size)
{
    int64_t minutes = ms > 0 ? ms / CAL_MINUTE_MS : 0;
    char a[24], b[24];
    char *s;
    if (minutes >= 24 * 60) {
        snprintf(a, sizeof a, "%lld", (long long)(minutes / (24 * 60)));
        s = i18n_format(i18n, lang, "span.days", "n", a, NULL);
    } else if (minutes >= 60) {
        snprintf(a, sizeof a, "%lld", (long long)(minutes / 60));
        snprintf(b, sizeof b, "%lld", (long long)(minutes % 60));
        s = minutes % 60 ? i18n_format(i18n, lang, "span.hours_minutes", "h", a, "m", b, NULL)
                         : i18n_format(i18n, lang, "span.hours", "h", a, NULL);
    } else {
        snprintf(a, sizeof a, "%lld", (long long)minutes);
        s = i18n_format(i18n, lang, "span.minutes", "n", a, NULL);
    }
    snprintf(out, size, "%s", s ? s : a);
    free(s);
}

void text_cut(const char *text, char *out, size_t size)
{
    if (utf8_copy(out, size, text) || size <= sizeof UTF8_ELLIPSIS)
        return;
    /* room for the ellipsis, cut where a character starts */
    size_t keep = utf8_prefix(out, strlen(out), size - sizeof UTF8_ELLIPSIS);
    memcpy(out + keep, UTF8_ELLIPSIS, sizeof UTF8_ELLIPSIS);
}
