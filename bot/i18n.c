#include "i18n.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "template.h"
#include "tg_html.h"

#define I18N_MAX_LANGS 4
/* The longest placeholder name compared, NUL included. */
#define PLACEHOLDER_NAME_MAX 40

struct i18n {
    size_t count;
    char langs[I18N_MAX_LANGS][8];
    cJSON *catalogs[I18N_MAX_LANGS];
};

/* Generated from the JSON catalogs in locales/ by the build (scripts/embed.cmake). */
extern const char locale_id_json[];
extern const char locale_en_json[];

int i18n_load(struct i18n **out, char *err, size_t err_size)
{
    const char *const langs[] = { "id", "en" };
    const char *const jsons[] = { locale_id_json, locale_en_json };
    return i18n_load_from(langs, jsons, 2, out, err, err_size);
}

int i18n_load_from(const char *const *langs, const char *const *jsons, size_t count,
                   struct i18n **out, char *err, size_t err_size)
{
    *out = NULL;
    if (count == 0 || count > I18N_MAX_LANGS) {
        snprintf(err, err_size, "locales: between 1 and %d catalogs", I18N_MAX_LANGS);
        return -EINVAL;
    }
    struct i18n *i18n = calloc(1, sizeof *i18n);
    if (!i18n)
        return -ENOMEM;
    for (size_t i = 0; i < count; i++) {
        snprintf(i18n->langs[i], sizeof i18n->langs[i], "%s", langs[i]);
        i18n->catalogs[i] = cJSON_Parse(jsons[i]);
        i18n->count = i + 1;
        const cJSON *entry;
        int bad = !cJSON_IsObject(i18n->catalogs[i]);
        cJSON_ArrayForEach(entry, i18n->catalogs[i]) bad |= !cJSON_IsString(entry);
        if (bad) {
            snprintf(err, err_size, "locales/%s.json: must be an object of strings", langs[i]);
            i18n_free(i18n);
            return -EINVAL;
        }
    }
    *out = i18n;
    return 0;
}

void i18n_free(struct i18n *i18n)
{
    if (!i18n)
        return;
    for (size_t i = 0; i < i18n->count; i++)
        cJSON_Delete(i18n->catalogs[i]);
    free(i18n);
}

static int lang_index(const struct i18n *i18n, const char *lang)
{
    for (size_t i = 0; lang && i < i18n->count; i++)
        if (strcmp(i18n->langs[i], lang) == 0)
            return (int)i;
    return -1;
}

int i18n_supports(const struct i18n *i18n, const char *lang) { return lang_index(i18n, lang) >= 0; }

const char *i18n_pick(const struct i18n *i18n, const char *chosen, const char *telegram_code)
{
    int i = lang_index(i18n, chosen);
    if (i >= 0)
        return i18n->langs[i];
    if (telegram_code) {
        char primary[8];
        size_t n = 0;
        while (n < sizeof primary - 1 && isalpha((unsigned char)telegram_code[n])) {
            primary[n] = (char)tolower((unsigned char)telegram_code[n]);
            n++;
        }
        primary[n] = '\0';
        i = lang_index(i18n, primary);
        if (i >= 0)
            return i18n->langs[i];
    }
    return i18n->langs[0];
}

const char *i18n_text(const struct i18n *i18n, const char *lang, const char *key)
{
    int i = lang_index(i18n, lang);
    const cJSON *item = i >= 0 ? cJSON_GetObjectItemCaseSensitive(i18n->catalogs[i], key) : NULL;
    if (!cJSON_IsString(item))
        item = cJSON_GetObjectItemCaseSensitive(i18n->catalogs[0], key);
    return cJSON_IsString(item) ? item->valuestring : key;
}

/* Placeholder names in a template, as one sorted, comma-joined string. */
static void placeholder_signature(const char *text, char *out, size_t out_size)
{
    char names[TEMPLATE_PAIRS_MAX][PLACEHOLDER_NAME_MAX];
    size_t count = 0;
    for (const char *p = text; *p; p++) {
        if (*p != '{')
            continue;
        const char *end = p + 1;
        while (*end && (isalnum((unsigned char)*end) || *end == '_'))
            end++;
        size_t n = (size_t)(end - p - 1);
        if (*end != '}' || n == 0 || n >= sizeof names[0] || count == TEMPLATE_PAIRS_MAX)
            continue;
        memcpy(names[count], p + 1, n);
        names[count][n] = '\0';
        size_t at = count++;
        while (at > 0 && strcmp(names[at - 1], names[at]) > 0) {
            char tmp[PLACEHOLDER_NAME_MAX];
            memcpy(tmp, names[at], sizeof tmp);
            memcpy(names[at], names[at - 1], sizeof tmp);
            memcpy(names[at - 1], tmp, sizeof tmp);
            at--;
        }
    }
    out[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        if (i > 0 && strcmp(names[i], names[i - 1]) == 0)
            continue;
        size_t len = strlen(out);
        snprintf(out + len, out_size - len, "%s%s", len ? "," : "", names[i]);
    }
}

int i18n_check(const struct i18n *i18n, char *err, size_t err_size)
{
    for (size_t l = 0; l < i18n->count; l++) {
        const cJSON *entry;
        cJSON_ArrayForEach(entry, i18n->catalogs[l]) {
            if (tg_html_validate(entry->valuestring) != 0) {
                snprintf(err, err_size, "locales/%s.json: \"%s\" is not valid Telegram HTML",
                         i18n->langs[l], entry->string);
                return -EINVAL;
            }
        }
    }
    const cJSON *base = i18n->catalogs[0];
    for (size_t l = 1; l < i18n->count; l++) {
        const cJSON *other = i18n->catalogs[l];
        const cJSON *entry;
        cJSON_ArrayForEach(entry, base) {
            const cJSON *twin = cJSON_GetObjectItemCaseSensitive(other, entry->string);
            if (!twin) {
                snprintf(err, err_size, "locales/%s.json: missing key \"%s\"", i18n->langs[l],
                         entry->string);
                return -EINVAL;
            }
            char a[512], b[512];
            placeholder_signature(entry->valuestring, a, sizeof a);
            placeholder_signature(twin->valuestring, b, sizeof b);
            if (strcmp(a, b) != 0) {
                snprintf(err, err_size,
                         "locales/%s.json: \"%s\" has placeholders {%s}, locales/%s.json has {%s}",
                         i18n->langs[l], entry->string, b, i18n->langs[0], a);
                return -EINVAL;
            }
        }
        cJSON_ArrayForEach(entry, other) {
            if (!cJSON_GetObjectItemCaseSensitive(base, entry->string)) {
                snprintf(err, err_size, "locales/%s.json: key \"%s\" is not in locales/%s.json",
                         i18n->langs[l], entry->string, i18n->langs[0]);
                return -EINVAL;
            }
        }
    }
    return 0;
}

char *i18n_format(const struct i18n *i18n, const char *lang, const char *key, ...)
{
    va_list ap;
    va_start(ap, key);
    char *text = i18n_vformat(i18n, lang, key, ap);
    va_end(ap);
    return text;
}

char *i18n_vformat(const struct i18n *i18n, const char *lang, const char *key, va_list ap)
{
    struct template_values values;
    template_values_from(&values, ap); /* more pairs than any sentence has: the rest unused */
    struct buf out = { 0 };
    template_fill(&out, i18n_text(i18n, lang, key), &values, tg_html_escape_into);
    if (out.failed) {
        free(out.data);
        return NULL;
    }
    return out.data;
}
