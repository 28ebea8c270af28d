/* config_letter: the "letter" object of the config; see config_letter.h. */
#include "config_letter.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEAD_LINES_MAX 6 /* as the errors below say */
#define TEXT_MAX 300

static const unsigned char png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

/* A config error: the key's full path, then what is wrong with it. */
static int bad(char *err, size_t err_size, const char *path, const char *what)
{
    snprintf(err, err_size, "%s: %s", path, what);
    return -EINVAL;
}

/* <prefix>.<key>: a string of 1..TEXT_MAX bytes, else `fallback` (may be
 * NULL). `obj` may be NULL (nothing configured). */
static int read_text(const cJSON *obj, const char *prefix, const char *key, const char *fallback,
                     char **out, char *err, size_t err_size)
{
    const cJSON *item = obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
    if (!item || cJSON_IsNull(item)) {
        *out = fallback ? strdup(fallback) : NULL;
        return !fallback || *out ? 0 : -ENOMEM;
    }
    if (!cJSON_IsString(item) || !item->valuestring[0] || strlen(item->valuestring) > TEXT_MAX) {
        char path[64];
        snprintf(path, sizeof path, "%s.%s", prefix, key);
        return bad(err, err_size, path, "must be a text of 1-300 characters");
    }
    *out = strdup(item->valuestring);
    return *out ? 0 : -ENOMEM;
}

static int read_head(const cJSON *letter, struct config_letter *out, char *err, size_t err_size)
{
    const cJSON *list = letter ? cJSON_GetObjectItemCaseSensitive(letter, "head") : NULL;
    if (!list || cJSON_IsNull(list))
        return 0;
    int n = cJSON_IsArray(list) ? cJSON_GetArraySize(list) : 0;
    if (n < 1 || n > HEAD_LINES_MAX)
        return bad(err, err_size, "letter.head", "must be an array of 1-6 lines");
    out->head = calloc((size_t)n, sizeof *out->head);
    if (!out->head)
        return -ENOMEM;
    const cJSON *item;
    cJSON_ArrayForEach(item, list) {
        size_t i = out->head_count;
        if (!cJSON_IsString(item) || !item->valuestring[0] || strlen(item->valuestring) > TEXT_MAX) {
            char path[32];
            snprintf(path, sizeof path, "letter.head[%zu]", i);
            return bad(err, err_size, path, "must be a line of 1-300 characters");
        }
        out->head[i] = strdup(item->valuestring);
        if (!out->head[i])
            return -ENOMEM;
        out->head_count++;
    }
    return 0;
}

/* The format may use {class}, {seq}, {unit} and {year}, and must use {seq}:
 * a number without its sequence would repeat. */
static int check_format(const char *format, char *err, size_t err_size)
{
    static const char *const known[] = { "{class}", "{seq}", "{unit}", "{year}" };
    bool has_seq = false;
    for (const char *p = strchr(format, '{'); p; p = strchr(p + 1, '{')) {
        bool ok = false;
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
            if (strncmp(p, known[i], strlen(known[i])) == 0) {
                ok = true;
                has_seq |= i == 1;
            }
        }
        if (!ok)
            return bad(err, err_size, "letter.number_format",
                       "only {class}, {seq}, {unit} and {year} may be used");
    }
    if (!has_seq)
        return bad(err, err_size, "letter.number_format", "must contain {seq}");
    return 0;
}

int config_letter_parse(const cJSON *root, struct config_letter *out, char *err, size_t err_size)
{
    memset(out, 0, sizeof *out);
    const cJSON *letter = cJSON_GetObjectItemCaseSensitive(root, "letter");
    if (letter && !cJSON_IsNull(letter) && !cJSON_IsObject(letter))
        return bad(err, err_size, "letter", "must be an object");
    if (letter && cJSON_IsNull(letter))
        letter = NULL;
    const cJSON *classes = letter ? cJSON_GetObjectItemCaseSensitive(letter, "classification")
                                  : NULL;
    if (classes && !cJSON_IsNull(classes) && !cJSON_IsObject(classes))
        return bad(err, err_size, "letter.classification",
                   "must be an object {recommendation, notification}");
    if (classes && cJSON_IsNull(classes))
        classes = NULL;
    int rc = read_head(letter, out, err, err_size);
    if (!rc)
        rc = read_text(letter, "letter", "address", NULL, &out->address, err, err_size);
    if (!rc)
        rc = read_text(letter, "letter", "emblem_file", NULL, &out->emblem_file, err, err_size);
    if (!rc)
        rc = read_text(letter, "letter", "font", NULL, &out->font, err, err_size);
    if (!rc)
        rc = read_text(letter, "letter", "number_format", CONFIG_LETTER_DEFAULT_FORMAT, &out->number_format,
                       err, err_size);
    if (!rc)
        rc = check_format(out->number_format, err, err_size);
    if (!rc)
        rc = read_text(letter, "letter", "unit_code", CONFIG_LETTER_DEFAULT_UNIT, &out->unit_code, err,
                       err_size);
    if (!rc)
        rc = read_text(classes, "letter.classification", "recommendation", CONFIG_LETTER_DEFAULT_CLASS,
                       &out->class_recommendation, err, err_size);
    if (!rc)
        rc = read_text(classes, "letter.classification", "notification", CONFIG_LETTER_DEFAULT_CLASS,
                       &out->class_notification, err, err_size);
    return rc;
}

int config_letter_load_emblem(struct config_letter *letter, const char *config_path, char *err,
                              size_t err_size)
{
    if (!letter->emblem_file)
        return 0;
    char path[4096];
    const char *slash = config_path ? strrchr(config_path, '/') : NULL;
    if (letter->emblem_file[0] != '/' && slash)
        snprintf(path, sizeof path, "%.*s/%s", (int)(slash - config_path), config_path,
                 letter->emblem_file);
    else
        snprintf(path, sizeof path, "%s", letter->emblem_file);
    FILE *file = fopen(path, "rb");
    if (!file)
    {
        snprintf(err, err_size, "letter.emblem_file: cannot read %s: %s", path, strerror(errno));
        return -EINVAL;
    }
    /* One byte more than allowed tells an oversized file from a full one. */
    unsigned char *data = malloc(CONFIG_LETTER_EMBLEM_MAX + 1);
    size_t n = data ? fread(data, 1, CONFIG_LETTER_EMBLEM_MAX + 1, file) : 0;
    bool broken = ferror(file) != 0;
    fclose(file);
    if (!data)
        return -ENOMEM;
    if (broken || n > CONFIG_LETTER_EMBLEM_MAX) {
        free(data);
        snprintf(err, err_size, "letter.emblem_file: cannot read %s: %s", path,
                 broken ? "read error" : "larger than 2 MiB");
        return -EINVAL;
    }
    if (n < sizeof png_signature || memcmp(data, png_signature, sizeof png_signature) != 0) {
        free(data);
        snprintf(err, err_size, "letter.emblem_file: %s is not a PNG image", path);
        return -EINVAL;
    }
    letter->emblem = data;
    letter->emblem_len = n;
    return 0;
}

void config_letter_free(struct config_letter *letter)
{
    for (size_t i = 0; i < letter->head_count; i++)
        free(letter->head[i]);
    free(letter->head);
    free(letter->address);
    free(letter->emblem_file);
    free(letter->emblem);
    free(letter->font);
    free(letter->number_format);
    free(letter->unit_code);
    free(letter->class_recommendation);
    free(letter->class_notification);
    memset(letter, 0, sizeof *letter);
}

int config_nip_normalize(const char *text, char out[CONFIG_NIP_DIGITS + 1])
{
    size_t n = 0;
    for (const char *p = text; *p; p++) {
        if (*p == ' ')
            continue;
        if (!isdigit((unsigned char)*p) || n == CONFIG_NIP_DIGITS)
            return -EINVAL;
        out[n++] = *p;
    }
    out[n] = '\0';
    return n == CONFIG_NIP_DIGITS ? 0 : -EINVAL;
}

void config_nip_format(const char *digits, char *out, size_t size)
{
    size_t n = strlen(digits);
    bool all = n == CONFIG_NIP_DIGITS;
    for (size_t i = 0; all && i < n; i++)
        all = isdigit((unsigned char)digits[i]) != 0;
    if (all)
        snprintf(out, size, "%.8s %.6s %.1s %.3s", digits, digits + 8, digits + 14, digits + 15);
    else
        snprintf(out, size, "%s", digits);
}
