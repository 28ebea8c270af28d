#include "holidays_json.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    size_t index;     /* position in the list, for messages */
    int32_t day;
    enum cal_kind kind;
    bool tentative;
    const char *name; /* points into the cJSON tree */
};

static int fail(char *err, size_t err_size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t err_size, const char *fmt, ...)
{
    if (err && err_size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, err_size, fmt, ap);
        va_end(ap);
    }
    return -EINVAL;
}

static int read_entry(const cJSON *item, size_t index, struct entry *out, char *err,
                      size_t err_size)
{
    if (!cJSON_IsObject(item))
        return fail(err, err_size, "[%zu]: must be an object", index);

    out->index = index;
    const cJSON *date = cJSON_GetObjectItemCaseSensitive(item, "date");
    if (!date)
        return fail(err, err_size, "[%zu].date: missing", index);
    if (!cJSON_IsString(date) || cal_date_parse(date->valuestring, &out->day))
        return fail(err, err_size, "[%zu].date: not a date YYYY-MM-DD", index);

    const cJSON *name = cJSON_GetObjectItemCaseSensitive(item, "name");
    if (!name)
        return fail(err, err_size, "[%zu].name: missing", index);
    if (!cJSON_IsString(name) || name->valuestring[0] == '\0')
        return fail(err, err_size, "[%zu].name: must be a non-empty string", index);
    if (strlen(name->valuestring) > CAL_NAME_MAX)
        return fail(err, err_size, "[%zu].name: longer than %d bytes", index, CAL_NAME_MAX);
    if (!cal_holiday_name_valid(name->valuestring))
        return fail(err, err_size, "[%zu].name: must be UTF-8 text without control characters",
                    index);
    out->name = name->valuestring;

    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(item, "kind");
    if (!kind)
        return fail(err, err_size, "[%zu].kind: missing", index);
    if (!cJSON_IsString(kind) || cal_kind_parse(kind->valuestring, &out->kind))
        return fail(err, err_size, "[%zu].kind: must be one of national, joint_leave, closure",
                    index);

    const cJSON *tentative = cJSON_GetObjectItemCaseSensitive(item, "tentative");
    if (tentative && !cJSON_IsBool(tentative))
        return fail(err, err_size, "[%zu].tentative: must be true or false", index);
    out->tentative = tentative && cJSON_IsTrue(tentative);
    return 0;
}

/* By date, then by position in the list. */
static int compare_entries(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    if (x->day != y->day)
        return (x->day > y->day) - (x->day < y->day);
    return (x->index > y->index) - (x->index < y->index);
}

int holidays_json_parse(const char *json, struct cal *cal, char *err, size_t err_size)
{
    if (err && err_size)
        err[0] = '\0';
    if (!json || !cal)
        return fail(err, err_size, "no holiday list");

    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(json, &end, true);
    if (!root) {
        size_t at = end && end >= json ? (size_t)(end - json) : 0;
        return fail(err, err_size, "not valid JSON (near byte %zu)", at);
    }
    if (!cJSON_IsArray(root)) {
        cJSON_Delete(root);
        return fail(err, err_size, "must be a JSON array of holidays");
    }

    int rc = 0;
    size_t count = (size_t)cJSON_GetArraySize(root);
    struct entry *entries = calloc(count ? count : 1, sizeof *entries);
    if (!entries) {
        rc = -ENOMEM;
        goto out;
    }

    /* Check everything first, so a mistake at the end adds nothing. */
    size_t index = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, root) {
        rc = read_entry(item, index, &entries[index], err, err_size);
        if (rc)
            goto out;
        index++;
    }

    /* A date listed twice is a mistake (which of the two is meant?): sorted
     * by date, the pair is side by side; it is reported at the later entry. */
    qsort(entries, count, sizeof *entries, compare_entries);
    for (size_t i = 1; i < count; i++)
        if (entries[i].day == entries[i - 1].day) {
            char date[CAL_DATE_SIZE];
            cal_date_format(entries[i].day, date);
            rc = fail(err, err_size, "[%zu].date: %s is already listed at [%zu]",
                      entries[i].index, date, entries[i - 1].index);
            goto out;
        }

    /* Sorted input appends at the end of a fresh calendar: no moving. */
    for (size_t i = 0; i < count; i++) {
        const struct entry *e = &entries[i];
        rc = cal_holiday_add(cal, e->day, e->kind, e->name, e->tentative);
        if (rc)
            goto out;
    }

out:
    free(entries);
    cJSON_Delete(root);
    return rc;
}
