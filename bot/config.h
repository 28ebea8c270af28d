/* config: the operator's JSON file, read once at start-up and checked whole.
 *
 * Promises: a loaded config has every required key with a valid value; any
 * problem yields one line naming the key ("officials[2].role: must be one of
 * kadis, kabid, kasi, pelaksana"). The environment's SERTIBOT_TOKEN wins over
 * telegram.token. Strings in the struct are owned by it (config_free). */
#ifndef SERTIBOT_CONFIG_H
#define SERTIBOT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "roles.h"
#include "office_calendar.h"
#include "sla.h"

#define CONFIG_DEFAULT_API_BASE "https://api.telegram.org"
#define CONFIG_DEFAULT_POLL_TIMEOUT 50
/* retention.closed_case_days: five years, the longest of the retention
 * periods an agency's archive schedule (JRA) usually sets for this kind of
 * service file; 0 keeps personal data for ever. */
#define CONFIG_DEFAULT_RETENTION_DAYS 1825

struct config_official {
    int64_t telegram_id;
    enum role role;
    char *name;
};

struct config {
    char *token;
    char *api_base;
    int poll_timeout_s;       /* getUpdates long-poll timeout; Telegram caps it at 50 */
    char *database;
    char *documents_dir;      /* where downloaded letters are kept */
    struct config_official *officials;
    size_t officials_count;
    int64_t *admins;
    size_t admins_count;
    char **agencies;
    size_t agencies_count;
    /* The disposition sheet's instructions and the step-3 requirements, in the
     * agency's own words; NULL: the catalog's defaults (ANRI's list; identity
     * card, appointment decree, official e-mail). */
    char **instructions;
    size_t instructions_count;
    char **checklist_items;
    size_t checklist_items_count;
    char *bsre_email;         /* where recommendations go; NULL if not set */
    struct sla_policy reminders; /* when steps' reminders fall due */
    struct cal_hours hours[7];   /* calendar.hours, where hours_set[day] */
    bool hours_set[7];           /* [0] = Monday */
    char *holidays_file;         /* calendar.holidays_file: more holidays, same format */
    bool has_pks;             /* the cooperation agreement (PKS) with BSSN */
    char *pks_number;
    char pks_signed[11];      /* YYYY-MM-DD */
    char pks_valid_until[11];
    /* retention.closed_case_days: the holders' personal data and the files of
     * a case closed this many days ago are removed; 0: never. */
    int retention_days;
};

/* Parses `json`. `token_override` (the environment's SERTIBOT_TOKEN, may be
 * NULL) replaces telegram.token. Returns 0, or -EINVAL with the reason in
 * `err` (always NUL-terminated). On error `out` holds nothing to free. */
int config_parse(const char *json, const char *token_override, struct config *out,
                 char *err, size_t err_size);

/* Reads and parses the file at `path`; errors as config_parse, plus -ENOENT
 * and friends when the file cannot be read (also explained in `err`). */
int config_load(const char *path, const char *token_override, struct config *out,
                char *err, size_t err_size);

void config_free(struct config *cfg);

/* True if `telegram_id` is listed in `admins`. */
bool config_is_admin(const struct config *cfg, int64_t telegram_id);

/* Validates a YYYY-MM-DD calendar date; 0 or -EINVAL. */
int config_check_date(const char *text);

#endif
