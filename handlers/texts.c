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

static const char *month_name(const struct i18n *i18n, const char *lang, int month)
{
    char key[16];
    snprintf(key, sizeof key, "month.%d", month);
    return i18n_text(i18n, lang, key);
}

void text_day(const struct i18n *i18n, const char *lang, int64_t ms, char *out, size_t size)
{
    int y, m, d;
    cal_civil_from_days(cal_day_of(ms), &y, &m, &d);
    snprintf(out, size, "%d %s %d", d, month_name(i18n, lang, m), y);
}

void text_when(const struct i18n *i18n, const char *lang, int64_t ms, char *out, size_t size)
{
    int y, m, d;
    cal_civil_from_days(cal_day_of(ms), &y, &m, &d);
    int64_t minute_of_day = (ms - cal_day_start(cal_day_of(ms))) / CAL_MINUTE_MS;
    snprintf(out, size, "%d %s %d %02d:%02d", d, month_name(i18n, lang, m), y,
             (int)(minute_of_day / 60), (int)(minute_of_day % 60));
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
    int64_t minute_of_day = (ms - cal_day_start(cal_day_of(ms))) / CAL_MINUTE_MS;
    char hours[8], minutes[8];
    snprintf(hours, sizeof hours, "%02d", (int)(minute_of_day / 60));
    snprintf(minutes, sizeof minutes, "%02d", (int)(minute_of_day % 60));
    char *s = i18n_format(i18n, lang, "time.hm", "h", hours, "m", minutes, NULL);
    snprintf(out, size, "%s", s ? s : hours);
    free(s);
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
