#include "config.h"

#include "db_cases.h"
#include "file_read.h"
#include "json_number.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define MAX_SAFE_ID JSON_NUMBER_SAFE_MAX /* 2^53 - 1: ids are exact in a double */

static int fail(char *err, size_t err_size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t err_size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_size, fmt, ap);
    va_end(ap);
    return -EINVAL;
}

static char *dup_or_null(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    if (copy)
        memcpy(copy, s, n);
    return copy;
}

int config_check_date(const char *text)
{
    /* Exactly "YYYY-MM-DD" (cal_date_parse): sscanf's "%2d" also took " 3"
     * and "+3", so "2026-12- 3" was a date (found by tests/fuzz/fuzz_intake). */
    int32_t day;
    if (!text || cal_date_parse(text, &day) != 0)
        return -EINVAL;
    int y, m, d;
    cal_civil_from_days(day, &y, &m, &d);
    return y >= 2000 && y <= 2200 ? 0 : -EINVAL;
}

/* Telegram ids are integers of up to 52 bits: read through json_number, as
 * cJSON's valueint would clip them to int. */
static int read_id(const cJSON *item, int64_t *out)
{
    int64_t id = 0;
    if (json_number_int64(item, -MAX_SAFE_ID, MAX_SAFE_ID, &id) != 0 || id == 0)
        return -EINVAL;
    *out = id;
    return 0;
}

static int read_string(const cJSON *obj, const char *key, const char *path, bool required,
                       char **out, char *err, size_t err_size)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!item || cJSON_IsNull(item)) {
        if (required)
            return fail(err, err_size, "%s: missing", path);
        return 0;
    }
    if (!cJSON_IsString(item) || item->valuestring[0] == '\0')
        return fail(err, err_size, "%s: must be a non-empty string", path);
    *out = dup_or_null(item->valuestring);
    return *out ? 0 : -ENOMEM;
}

static int parse_telegram(const cJSON *root, const char *token_override, struct config *cfg,
                          char *err, size_t err_size)
{
    const cJSON *tg = cJSON_GetObjectItemCaseSensitive(root, "telegram");
    if (tg && !cJSON_IsObject(tg))
        return fail(err, err_size, "telegram: must be an object");
    int rc;
    if (token_override && token_override[0]) {
        cfg->token = dup_or_null(token_override);
    } else {
        rc = read_string(tg, "token", "telegram.token", false, &cfg->token, err, err_size);
        if (rc)
            return rc;
        if (!cfg->token)
            return fail(err, err_size,
                        "telegram.token: missing (set it in the config or in SERTIBOT_TOKEN)");
    }
    /* A token is "<digits>:<secret>"; catching a pasted chat link early is kinder
     * than a 401 from Telegram. */
    const char *colon = strchr(cfg->token, ':');
    if (!colon || colon == cfg->token || colon[1] == '\0' || strpbrk(cfg->token, " /\t\n?#"))
        return fail(err, err_size, "telegram.token: not a bot token (expected 123456:ABC...)");

    rc = read_string(tg, "api_base", "telegram.api_base", false, &cfg->api_base, err, err_size);
    if (rc)
        return rc;
    if (!cfg->api_base)
        cfg->api_base = dup_or_null(CONFIG_DEFAULT_API_BASE);
    if (strncmp(cfg->api_base, "https://", 8) != 0 && strncmp(cfg->api_base, "http://", 7) != 0)
        return fail(err, err_size, "telegram.api_base: must start with https:// or http://");
    size_t n = strlen(cfg->api_base);
    while (n > 0 && cfg->api_base[n - 1] == '/')
        cfg->api_base[--n] = '\0';

    cfg->poll_timeout_s = CONFIG_DEFAULT_POLL_TIMEOUT;
    const cJSON *poll = cJSON_GetObjectItemCaseSensitive(tg, "poll_timeout");
    if (poll) {
        if (json_number_int(poll, 0, 50, &cfg->poll_timeout_s) != 0)
            return fail(err, err_size, "telegram.poll_timeout: must be a whole number of seconds 0-50");
    }
    return 0;
}

/* A whole number in [min, max] at obj.key, or the default when absent. */
static int read_int(const cJSON *obj, const char *key, const char *path, int min, int max,
                    int *out, char *err, size_t err_size)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!item)
        return 0;
    int value = 0;
    if (json_number_int(item, min, max, &value) != 0)
        return fail(err, err_size, "%s: must be a whole number %d-%d", path, min, max);
    *out = value;
    return 0;
}

/* "reminders": {"thresholds": [50, 75], "repeat_minutes": 60,
 * "short_step_minutes": 60}, all optional. */
static int parse_reminders(const cJSON *root, struct config *cfg, char *err, size_t err_size)
{
    sla_policy_default(&cfg->reminders);
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(root, "reminders");
    if (!r)
        return 0;
    if (!cJSON_IsObject(r))
        return fail(err, err_size, "reminders: must be an object");
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(r, "thresholds");
    if (list) {
        if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) > SLA_MAX_THRESHOLDS)
            return fail(err, err_size, "reminders.thresholds: must be an array of at most %d "
                        "percentages", SLA_MAX_THRESHOLDS);
        cfg->reminders.threshold_count = 0;
        const cJSON *item;
        int previous = 0;
        cJSON_ArrayForEach(item, list) {
            int i = cfg->reminders.threshold_count;
            if (json_number_int(item, previous + 1, 99, &previous) != 0)
                return fail(err, err_size, "reminders.thresholds[%d]: must be a whole percentage "
                            "1-99, larger than the one before", i);
            cfg->reminders.thresholds[cfg->reminders.threshold_count++] = previous;
        }
    }
    int rc = read_int(r, "repeat_minutes", "reminders.repeat_minutes", 5, 10000,
                      &cfg->reminders.repeat_minutes, err, err_size);
    if (!rc)
        rc = read_int(r, "short_step_minutes", "reminders.short_step_minutes", 0, 10000,
                      &cfg->reminders.short_step_minutes, err, err_size);
    return rc;
}

/* "calendar": {"hours": {"monday": "07:30-12:00,13:00-16:00", ...},
 * "holidays_file": "path"}: both optional; unnamed days keep the default
 * civil-service hours. */
static int parse_calendar(const cJSON *root, struct config *cfg, char *err, size_t err_size)
{
    static const char *const days[7] = { "monday", "tuesday", "wednesday", "thursday",
                                          "friday", "saturday", "sunday" };
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(root, "calendar");
    if (!c)
        return 0;
    if (!cJSON_IsObject(c))
        return fail(err, err_size, "calendar: must be an object");
    const cJSON *hours = cJSON_GetObjectItemCaseSensitive(c, "hours");
    if (hours && !cJSON_IsObject(hours))
        return fail(err, err_size, "calendar.hours: must be an object of weekday: \"HH:MM-HH:MM,...\"");
    const cJSON *item;
    cJSON_ArrayForEach(item, hours) {
        int day = -1;
        for (int i = 0; i < 7; i++)
            if (strcmp(item->string, days[i]) == 0)
                day = i;
        if (day < 0)
            return fail(err, err_size, "calendar.hours.%s: not a weekday (monday..sunday)",
                        item->string);
        if (!cJSON_IsString(item) || cal_hours_parse(item->valuestring, &cfg->hours[day]) != 0)
            return fail(err, err_size, "calendar.hours.%s: expected spans like "
                        "\"07:30-12:00,13:00-16:00\" or \"closed\"", item->string);
        cfg->hours_set[day] = true;
    }
    return read_string(c, "holidays_file", "calendar.holidays_file", false, &cfg->holidays_file,
                       err, err_size);
}

/* officials[i].nip, .rank, .title: optional, for the signature block. */
static int read_signature_details(const cJSON *item, size_t i, struct official *o,
                                  char *err, size_t err_size)
{
    char path[64];
    const cJSON *nip = cJSON_GetObjectItemCaseSensitive(item, "nip");
    if (nip && !cJSON_IsNull(nip)) {
        char digits[CONFIG_NIP_DIGITS + 1];
        if (!cJSON_IsString(nip) || config_nip_normalize(nip->valuestring, digits) != 0)
            return fail(err, err_size,
                        "officials[%zu].nip: must be 18 digits (\"19700101 199003 1 002\")", i);
        o->nip = dup_or_null(digits);
        if (!o->nip)
            return -ENOMEM;
    }
    snprintf(path, sizeof path, "officials[%zu].rank", i);
    int rc = read_string(item, "rank", path, false, &o->rank, err, err_size);
    snprintf(path, sizeof path, "officials[%zu].title", i);
    if (!rc)
        rc = read_string(item, "title", path, false, &o->title, err, err_size);
    return rc;
}

/* "retention": {"closed_case_days": N}: optional, 0-36500 (0: keep for ever). */
static int parse_retention(const cJSON *root, struct config *cfg, char *err, size_t err_size)
{
    cfg->retention_days = CONFIG_DEFAULT_RETENTION_DAYS;
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(root, "retention");
    if (!r)
        return 0;
    if (!cJSON_IsObject(r))
        return fail(err, err_size, "retention: must be an object");
    return read_int(r, "closed_case_days", "retention.closed_case_days", 0, 36500,
                    &cfg->retention_days, err, err_size);
}

/* "certificates": {"validity_days": 730, "remind_days": [60, 30],
 * "help_standard_minutes": 450}, all optional. */
static int parse_certificates(const cJSON *root, struct config *cfg, char *err,
                              size_t err_size)
{
    struct config_certificates *c = &cfg->certificates;
    *c = (struct config_certificates){ .validity_days = CONFIG_DEFAULT_CERT_VALIDITY_DAYS,
                                       .remind_days = { 60, 30 }, .remind_count = 2,
                                       .help_standard_minutes =
                                           CONFIG_DEFAULT_CERT_HELP_MINUTES };
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(root, "certificates");
    if (!r)
        return 0;
    if (!cJSON_IsObject(r))
        return fail(err, err_size, "certificates: must be an object");
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(r, "remind_days");
    if (list) {
        if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) > CONFIG_CERT_REMINDERS_MAX)
            return fail(err, err_size, "certificates.remind_days: must be an array of at most "
                        "%d numbers of days", CONFIG_CERT_REMINDERS_MAX);
        c->remind_count = 0;
        const cJSON *item;
        int previous = 366;
        cJSON_ArrayForEach(item, list) {
            if (json_number_int(item, 1, previous - 1, &previous) != 0)
                return fail(err, err_size, "certificates.remind_days[%d]: must be whole days "
                            "1-365, fewer than the one before", c->remind_count);
            c->remind_days[c->remind_count++] = previous;
        }
    }
    int rc = read_int(r, "validity_days", "certificates.validity_days", 30, 3650,
                      &c->validity_days, err, err_size);
    if (!rc)
        rc = read_int(r, "help_standard_minutes", "certificates.help_standard_minutes", 15,
                      10000, &c->help_standard_minutes, err, err_size);
    return rc;
}

static int parse_officials(const cJSON *root, struct config *cfg, char *err, size_t err_size)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "officials");
    if (!list)
        return fail(err, err_size, "officials: missing (an array of {telegram_id, role, name})");
    if (!cJSON_IsArray(list))
        return fail(err, err_size, "officials: must be an array");
    size_t count = (size_t)cJSON_GetArraySize(list);
    cfg->officials = calloc(count ? count : 1, sizeof *cfg->officials);
    if (!cfg->officials)
        return -ENOMEM;
    size_t i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, list) {
        struct official *o = &cfg->officials[i];
        char path[64];
        cfg->officials_count = i + 1; /* so config_free frees what was read */
        if (!cJSON_IsObject(item))
            return fail(err, err_size, "officials[%zu]: must be an object", i);
        snprintf(path, sizeof path, "officials[%zu].telegram_id", i);
        if (read_id(cJSON_GetObjectItemCaseSensitive(item, "telegram_id"), &o->telegram_id))
            return fail(err, err_size, "%s: must be a Telegram user id (a whole number)", path);
        const cJSON *role = cJSON_GetObjectItemCaseSensitive(item, "role");
        o->role = cJSON_IsString(role) ? role_parse(role->valuestring) : ROLE_NONE;
        if (o->role == ROLE_NONE)
            return fail(err, err_size,
                        "officials[%zu].role: must be one of kadis, kabid, kasi, pelaksana", i);
        snprintf(path, sizeof path, "officials[%zu].name", i);
        int rc = read_string(item, "name", path, true, &o->name, err, err_size);
        if (!rc)
            rc = read_signature_details(item, i, o, err, err_size);
        if (rc)
            return rc;
        for (size_t j = 0; j < i; j++)
            if (cfg->officials[j].telegram_id == o->telegram_id)
                return fail(err, err_size,
                            "officials[%zu].telegram_id: listed twice (also officials[%zu])", i, j);
        i++;
    }
    return 0;
}

static int parse_admins(const cJSON *root, struct config *cfg, char *err, size_t err_size)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "admins");
    if (!list)
        return fail(err, err_size, "admins: missing (an array of Telegram user ids)");
    if (!cJSON_IsArray(list))
        return fail(err, err_size, "admins: must be an array of Telegram user ids");
    size_t count = (size_t)cJSON_GetArraySize(list);
    cfg->admins = calloc(count ? count : 1, sizeof *cfg->admins);
    if (!cfg->admins)
        return -ENOMEM;
    const cJSON *item;
    cJSON_ArrayForEach(item, list) {
        if (read_id(item, &cfg->admins[cfg->admins_count]))
            return fail(err, err_size, "admins[%zu]: must be a Telegram user id (a whole number)",
                        cfg->admins_count);
        cfg->admins_count++;
    }
    return 0;
}

/* An array of 1-200 character names at `key`; a missing optional list leaves
 * *out NULL (the caller's default applies). */
static int read_names(const cJSON *root, const char *key, bool required, char ***out,
                      size_t *count, char *err, size_t err_size)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, key);
    if (!list && !required)
        return 0;
    if (!list)
        return fail(err, err_size, "%s: missing (an array of names)", key);
    if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) == 0)
        return fail(err, err_size, "%s: must be a non-empty array of names", key);
    size_t n = (size_t)cJSON_GetArraySize(list);
    *out = calloc(n, sizeof **out);
    if (!*out)
        return -ENOMEM;
    const cJSON *item;
    cJSON_ArrayForEach(item, list) {
        size_t i = *count;
        if (!cJSON_IsString(item) || item->valuestring[0] == '\0' || strlen(item->valuestring) > 200)
            return fail(err, err_size, "%s[%zu]: must be a name of 1-200 characters", key, i);
        (*out)[i] = dup_or_null(item->valuestring);
        if (!(*out)[i])
            return -ENOMEM;
        (*count)++;
    }
    return 0;
}

static void free_names(char **names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
}

/* agencies[i].email_domains: domain names without '@', stored in lower case. */
static int read_domains(const cJSON *list, size_t index, struct config_agency_domains *out,
                        char *err, size_t err_size)
{
    if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) == 0)
        return fail(err, err_size, "agencies[%zu].email_domains: must be a non-empty array of "
                    "domain names", index);
    out->domains = calloc((size_t)cJSON_GetArraySize(list), sizeof *out->domains);
    if (!out->domains)
        return -ENOMEM;
    const cJSON *item;
    cJSON_ArrayForEach(item, list) {
        const char *d = cJSON_IsString(item) ? item->valuestring : NULL;
        if (!d || !d[0] || strlen(d) > 200 || strpbrk(d, "@ \t\r\n\"<>,;") || !strchr(d, '.') ||
            d[0] == '.' || d[strlen(d) - 1] == '.')
            return fail(err, err_size, "agencies[%zu].email_domains[%zu]: must be a domain name "
                        "like \"bekasikota.go.id\"", index, out->count);
        char *copy = dup_or_null(d);
        if (!copy)
            return -ENOMEM;
        for (char *p = copy; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        out->domains[out->count++] = copy;
    }
    return 0;
}

/* "agencies": names, each a string or {"name": ..., "email_domains": [...]}. */
static int parse_agencies(const cJSON *root, struct config *cfg, char *err, size_t err_size)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "agencies");
    if (!list)
        return fail(err, err_size, "agencies: missing (an array of names)");
    if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) == 0)
        return fail(err, err_size, "agencies: must be a non-empty array of names");
    size_t n = (size_t)cJSON_GetArraySize(list);
    cfg->agencies = calloc(n, sizeof *cfg->agencies);
    cfg->agency_domains = calloc(n, sizeof *cfg->agency_domains);
    if (!cfg->agencies || !cfg->agency_domains)
        return -ENOMEM;
    const cJSON *item;
    cJSON_ArrayForEach(item, list) {
        size_t i = cfg->agencies_count;
        const cJSON *name = cJSON_IsObject(item) ? cJSON_GetObjectItemCaseSensitive(item, "name")
                                                 : item;
        if (!cJSON_IsString(name) || name->valuestring[0] == '\0' ||
            strlen(name->valuestring) > 200)
            return fail(err, err_size, "agencies[%zu]: must be a name of 1-200 characters, or "
                        "an object {\"name\", \"email_domains\"}", i);
        cfg->agencies[i] = dup_or_null(name->valuestring);
        if (!cfg->agencies[i])
            return -ENOMEM;
        cfg->agencies_count++;
        const cJSON *domains = cJSON_IsObject(item)
                                   ? cJSON_GetObjectItemCaseSensitive(item, "email_domains")
                                   : NULL;
        if (domains) {
            int rc = read_domains(domains, i, &cfg->agency_domains[i], err, err_size);
            if (rc)
                return rc;
        }
    }
    return 0;
}

int config_agency_email_allowed(const struct config *cfg, const char *agency_name,
                                const char *address, const struct config_agency_domains **domains)
{
    if (domains)
        *domains = NULL;
    const char *at = address ? strrchr(address, '@') : NULL;
    for (size_t i = 0; at && agency_name && i < cfg->agencies_count; i++) {
        const struct config_agency_domains *d = &cfg->agency_domains[i];
        if (strcmp(cfg->agencies[i], agency_name) != 0 || d->count == 0)
            continue;
        const char *host = at + 1;
        size_t host_len = strlen(host);
        for (size_t k = 0; k < d->count; k++) {
            size_t len = strlen(d->domains[k]);
            bool same = host_len == len && !strcasecmp(host, d->domains[k]);
            bool sub = host_len > len + 1 && host[host_len - len - 1] == '.' &&
                       !strcasecmp(host + host_len - len, d->domains[k]);
            if (same || sub)
                return 0;
        }
        if (domains)
            *domains = d;
        return -EACCES;
    }
    return 0;
}

static int parse_pks(const cJSON *root, struct config *cfg, char *err, size_t err_size)
{
    const cJSON *pks = cJSON_GetObjectItemCaseSensitive(root, "pks");
    if (!pks || cJSON_IsNull(pks))
        return 0; /* allowed: intake is then refused with the SOP's warning */
    if (!cJSON_IsObject(pks))
        return fail(err, err_size, "pks: must be an object {number, signed, valid_until}");
    int rc = read_string(pks, "number", "pks.number", true, &cfg->pks_number, err, err_size);
    if (rc)
        return rc;
    static const char *const keys[] = { "signed", "valid_until" };
    char *const dest[] = { cfg->pks_signed, cfg->pks_valid_until };
    for (int i = 0; i < 2; i++) {
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(pks, keys[i]);
        if (!cJSON_IsString(d) || config_check_date(d->valuestring))
            return fail(err, err_size, "pks.%s: must be a date YYYY-MM-DD", keys[i]);
        memcpy(dest[i], d->valuestring, 11);
    }
    if (strcmp(cfg->pks_valid_until, cfg->pks_signed) < 0)
        return fail(err, err_size, "pks.valid_until: is before pks.signed");
    cfg->has_pks = true;
    return 0;
}

int config_check_email_address(const char *address)
{
    if (!address)
        return -EINVAL;
    size_t n = strlen(address);
    const char *at = strchr(address, '@');
    if (n < 5 || n > 254 || !at || at == address || strchr(at + 1, '@'))
        return -EINVAL;
    for (const char *p = address; *p; p++)
        if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 127 || strchr("<>()[],;:\\\"", *p))
            return -EINVAL;
    const char *dot = strrchr(at + 1, '.');
    if (!dot || dot == at + 1 || dot[1] == '\0' || strstr(at + 1, ".."))
        return -EINVAL;
    return 0;
}

bool config_mail_enabled(const struct config *cfg) { return cfg->email.smtp_url != NULL; }

static bool has_prefix(const char *s, const char *prefix)
{
    return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* email.from: {"address": "...", "name": "..."}. */
static int parse_email_from(const cJSON *email, struct config_email *e, char *err, size_t err_size)
{
    const cJSON *from = cJSON_GetObjectItemCaseSensitive(email, "from");
    if (!from)
        return 0;
    if (!cJSON_IsObject(from))
        return fail(err, err_size, "email.from: must be an object {address, name}");
    int rc = read_string(from, "address", "email.from.address", true, &e->from_address, err,
                         err_size);
    if (!rc && config_check_email_address(e->from_address))
        return fail(err, err_size, "email.from.address: not an e-mail address");
    if (!rc)
        rc = read_string(from, "name", "email.from.name", false, &e->from_name, err, err_size);
    if (!rc && e->from_name && strpbrk(e->from_name, "\r\n\"<>"))
        return fail(err, err_size, "email.from.name: must not contain quotes, <, > or line breaks");
    return rc;
}

static int check_email_urls(const struct config *cfg, char *err, size_t err_size)
{
    const struct config_email *e = &cfg->email;
    if (e->smtp_url && !has_prefix(e->smtp_url, "smtps://") && !has_prefix(e->smtp_url, "smtp://"))
        return fail(err, err_size, "email.smtp_url: must start with smtps:// or smtp://");
    if (e->imap_url && !has_prefix(e->imap_url, "imaps://") && !has_prefix(e->imap_url, "imap://"))
        return fail(err, err_size, "email.imap_url: must start with imaps:// or imap://");
    const char *urls[2] = { e->smtp_url, e->imap_url };
    for (int i = 0; i < 2; i++)
        if (urls[i] && (strchr(urls[i], '@') || strpbrk(urls[i], " \t\r\n")))
            return fail(err, err_size, "email.%s_url: put the user in email.username and the "
                        "password in email.password_file, not in the URL", i ? "imap" : "smtp");
    if (!e->smtp_url && !e->imap_url)
        return 0;
    if (!e->from_address)
        return fail(err, err_size, "email.from: missing (the agency's official address)");
    if (e->smtp_url && !cfg->bsre_email)
        return fail(err, err_size, "bsre_email: missing (needed when email.smtp_url is set)");
    if (cfg->bsre_email && config_check_email_address(cfg->bsre_email))
        return fail(err, err_size, "bsre_email: not an e-mail address");
    if (e->password_file && !e->username)
        return fail(err, err_size, "email.username: missing (email.password_file is set)");
    return 0;
}

/* "email": {...}, all optional; without smtp_url and imap_url mail is off. */
static int parse_email(const cJSON *root, struct config *cfg, char *err, size_t err_size)
{
    struct config_email *e = &cfg->email;
    e->poll_seconds = CONFIG_DEFAULT_EMAIL_POLL_SECONDS;
    const cJSON *email = cJSON_GetObjectItemCaseSensitive(root, "email");
    if (!email || cJSON_IsNull(email))
        return check_email_urls(cfg, err, err_size);
    if (!cJSON_IsObject(email))
        return fail(err, err_size, "email: must be an object");
    static const char *const keys[] = { "smtp_url", "imap_url", "username", "password_file",
                                        "ca_file" };
    char **const dest[] = { &e->smtp_url, &e->imap_url, &e->username, &e->password_file,
                            &e->ca_file };
    int rc = 0;
    for (size_t i = 0; !rc && i < sizeof keys / sizeof keys[0]; i++) {
        char path[32];
        snprintf(path, sizeof path, "email.%s", keys[i]);
        rc = read_string(email, keys[i], path, false, dest[i], err, err_size);
    }
    if (!rc && cJSON_GetObjectItemCaseSensitive(email, "password"))
        return fail(err, err_size, "email.password: not allowed in the config; use "
                    "email.password_file or SERTIBOT_EMAIL_PASSWORD");
    if (!rc)
        rc = parse_email_from(email, e, err, err_size);
    if (!rc)
        rc = read_int(email, "poll_seconds", "email.poll_seconds", 10, 86400, &e->poll_seconds,
                      err, err_size);
    const cJSON *plain = cJSON_GetObjectItemCaseSensitive(email, "allow_plain");
    if (!rc && plain) {
        if (!cJSON_IsBool(plain))
            return fail(err, err_size, "email.allow_plain: must be true or false");
        e->allow_plain = cJSON_IsTrue(plain);
    }
    return rc ? rc : check_email_urls(cfg, err, err_size);
}

int config_email_password(struct config *cfg, const char *env_password, char *err,
                          size_t err_size)
{
    struct config_email *e = &cfg->email;
    if (!e->username || (!e->smtp_url && !e->imap_url))
        return 0;
    free(e->password);
    e->password = NULL;
    if (env_password && env_password[0]) {
        e->password = dup_or_null(env_password);
    } else {
        if (!e->password_file)
            return fail(err, err_size, "email.password_file: missing (or set "
                        "SERTIBOT_EMAIL_PASSWORD)");
        struct stat st;
        if (stat(e->password_file, &st) != 0)
            return fail(err, err_size, "email.password_file: cannot read %s: %s",
                        e->password_file, strerror(errno));
        if (st.st_mode & (S_IRWXG | S_IRWXO))
            return fail(err, err_size, "email.password_file: %s may be read by group or "
                        "others; make it readable by the service user only (chmod 600)",
                        e->password_file);
        char *text = NULL;
        int rc = file_read_all(e->password_file, 4096, &text);
        if (rc)
            return fail(err, err_size, "email.password_file: cannot read %s: %s",
                        e->password_file, strerror(-rc));
        text[strcspn(text, "\r\n")] = '\0';
        e->password = text;
    }
    if (!e->password)
        return -ENOMEM;
    if (!e->password[0] || strpbrk(e->password, "\r\n"))
        return fail(err, err_size, "email.password_file: the password is empty");
    return 0;
}

int config_parse(const char *json, const char *token_override, struct config *out,
                 char *err, size_t err_size)
{
    memset(out, 0, sizeof *out);
    err[0] = '\0';
    cJSON *root = cJSON_Parse(json);
    if (!root) {
        const char *at = cJSON_GetErrorPtr();
        int line = 1;
        for (const char *p = json; at && p < at; p++)
            line += *p == '\n';
        return fail(err, err_size, "not valid JSON (near line %d)", line);
    }
    int rc = 0;
    if (!cJSON_IsObject(root))
        rc = fail(err, err_size, "the top level must be a JSON object");
    if (!rc)
        rc = parse_telegram(root, token_override, out, err, err_size);
    if (!rc)
        rc = read_string(root, "database", "database", true, &out->database, err, err_size);
    if (!rc)
        rc = read_string(root, "documents_dir", "documents_dir", false, &out->documents_dir, err,
                         err_size);
    if (!rc && !out->documents_dir) {
        out->documents_dir = dup_or_null("documents");
        rc = out->documents_dir ? 0 : -ENOMEM;
    }
    if (!rc)
        rc = parse_officials(root, out, err, err_size);
    if (!rc)
        rc = parse_admins(root, out, err, err_size);
    if (!rc)
        rc = parse_agencies(root, out, err, err_size);
    if (!rc)
        rc = read_names(root, "disposition_instructions", false, &out->instructions,
                        &out->instructions_count, err, err_size);
    if (!rc)
        rc = read_names(root, "checklist_items", false, &out->checklist_items,
                        &out->checklist_items_count, err, err_size);
    if (!rc && out->checklist_items_count > DB_CHECK_ITEMS_MAX)
        rc = fail(err, err_size, "checklist_items: at most %d requirements (each holder's "
                  "marks must fit on one card)", DB_CHECK_ITEMS_MAX);
    if (!rc)
        rc = read_string(root, "bsre_email", "bsre_email", false, &out->bsre_email, err,
                         err_size);
    if (!rc)
        rc = parse_email(root, out, err, err_size);
    if (!rc)
        rc = parse_pks(root, out, err, err_size);
    if (!rc)
        rc = parse_reminders(root, out, err, err_size);
    if (!rc)
        rc = parse_calendar(root, out, err, err_size);
    if (!rc)
        rc = config_letter_parse(root, &out->letter, err, err_size);
    if (!rc)
        rc = parse_retention(root, out, err, err_size);
    if (!rc)
        rc = parse_certificates(root, out, err, err_size);
    cJSON_Delete(root);
    if (rc == -ENOMEM && !err[0])
        snprintf(err, err_size, "out of memory");
    if (rc)
        config_free(out);
    return rc;
}

int config_load(const char *path, const char *token_override, struct config *out,
                char *err, size_t err_size)
{
    char *text = NULL;
    int rc = file_read_all(path, 1u << 20, &text);
    if (rc) {
        snprintf(err, err_size, "%s: cannot read: %s", path, strerror(-rc));
        return rc;
    }
    char inner[400];
    rc = config_parse(text, token_override, out, inner, sizeof inner);
    free(text);
    if (!rc) {
        rc = config_letter_load_emblem(&out->letter, path, inner, sizeof inner);
        if (!rc)
            rc = config_email_password(out, getenv("SERTIBOT_EMAIL_PASSWORD"), inner, sizeof inner);
        if (rc)
            config_free(out);
    }
    if (rc)
        snprintf(err, err_size, "%s: %s", path, inner);
    return rc;
}

void config_free(struct config *cfg)
{
    free(cfg->token);
    free(cfg->api_base);
    free(cfg->database);
    free(cfg->documents_dir);
    for (size_t i = 0; i < cfg->officials_count; i++) {
        free(cfg->officials[i].name);
        free(cfg->officials[i].nip);
        free(cfg->officials[i].rank);
        free(cfg->officials[i].title);
    }
    free(cfg->officials);
    free(cfg->admins);
    for (size_t i = 0; cfg->agency_domains && i < cfg->agencies_count; i++)
        free_names(cfg->agency_domains[i].domains, cfg->agency_domains[i].count);
    free(cfg->agency_domains);
    free_names(cfg->agencies, cfg->agencies_count);
    free_names(cfg->instructions, cfg->instructions_count);
    free_names(cfg->checklist_items, cfg->checklist_items_count);
    free(cfg->bsre_email);
    struct config_email *e = &cfg->email;
    free(e->smtp_url);
    free(e->imap_url);
    free(e->username);
    free(e->password_file);
    if (e->password) /* do not leave it in freed memory */
        memset(e->password, 0, strlen(e->password));
    free(e->password);
    free(e->from_address);
    free(e->from_name);
    free(e->ca_file);
    free(cfg->holidays_file);
    free(cfg->pks_number);
    config_letter_free(&cfg->letter);
    memset(cfg, 0, sizeof *cfg);
}

bool config_is_admin(const struct config *cfg, int64_t telegram_id)
{
    for (size_t i = 0; i < cfg->admins_count; i++)
        if (cfg->admins[i] == telegram_id)
            return true;
    return false;
}
