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

#include "config_letter.h"
#include "roles.h"
#include "office_calendar.h"
#include "sla.h"

#define CONFIG_DEFAULT_API_BASE "https://api.telegram.org"
#define CONFIG_DEFAULT_POLL_TIMEOUT 50
#define CONFIG_DEFAULT_EMAIL_POLL_SECONDS 60

/* "email": how the bot sends to BSrE (SMTP) and reads its replies (IMAP).
 * Mail is on when smtp_url is set; every string may be NULL otherwise. The
 * password comes from SERTIBOT_EMAIL_PASSWORD or password_file (which must
 * not be readable by group or others) and must never be logged or shown:
 * main registers it with log_add_secret. */
struct config_email {
    char *smtp_url;        /* smtps://host:465 or smtp://host:587 (STARTTLS) */
    char *imap_url;        /* imaps://host:993/INBOX; NULL: no polling */
    char *username;        /* NULL: no AUTH (a local relay) */
    char *password_file;
    char *password;        /* read by config_load; NULL without a username */
    char *from_address;    /* email.from.address: the agency's official mailbox */
    char *from_name;       /* email.from.name; may be NULL */
    int poll_seconds;      /* email.poll_seconds, default 60 */
    char *ca_file;         /* NULL: the system's trust store */
    bool allow_plain;      /* smtp:// or imap:// without TLS, for a local relay */
};

/* One applicant agency's e-mail domains (agencies[] given as an object):
 * its holders' official addresses must be at one of them or a subdomain. */
struct config_agency_domains {
    char **domains;        /* lower case, e.g. "bekasikota.go.id"; NULL when count is 0 */
    size_t count;          /* 0: any domain */
};
/* retention.closed_case_days: five years, the longest of the retention
 * periods an agency's archive schedule (JRA) usually sets for this kind of
 * service file; 0 keeps personal data for ever. */
#define CONFIG_DEFAULT_RETENTION_DAYS 1825

/* "certificates": after the first certificate (the register of holders).
 * validity_days: two years from issue, the term BSrE is believed to give
 * (not confirmed: domain/BSRE.md), so it is configurable; remind_days: when
 * the holder's agency and the Kasi hear that the end nears, descending;
 * help_standard_minutes: the standard time of a passphrase-reset or
 * re-issue help request, in office minutes (450: one working day, as the
 * SOP's "1 hari"). */
#define CONFIG_CERT_REMINDERS_MAX 4
#define CONFIG_DEFAULT_CERT_VALIDITY_DAYS 730
#define CONFIG_DEFAULT_CERT_HELP_MINUTES 450

struct config_certificates {
    int validity_days;
    int remind_days[CONFIG_CERT_REMINDERS_MAX]; /* strictly descending, each 1..365 */
    int remind_count;
    int help_standard_minutes;
};

struct config {
    char *token;
    char *api_base;
    int poll_timeout_s;       /* getUpdates long-poll timeout; Telegram caps it at 50 */
    char *database;
    char *documents_dir;      /* where downloaded letters are kept */
    struct official *officials;
    size_t officials_count;
    int64_t *admins;
    size_t admins_count;
    char **agencies;          /* names, as strings or as objects {"name", "email_domains"} */
    size_t agencies_count;
    struct config_agency_domains *agency_domains; /* parallel to agencies */
    /* The disposition sheet's instructions and the step-3 requirements, in the
     * agency's own words; NULL: the catalog's defaults (ANRI's list; identity
     * card, appointment decree, official e-mail). */
    char **instructions;
    size_t instructions_count;
    char **checklist_items;
    size_t checklist_items_count;
    char *bsre_email;         /* where recommendations go; NULL if not set */
    struct config_email email;
    struct sla_policy reminders; /* when steps' reminders fall due */
    struct cal_hours hours[7];   /* calendar.hours, where hours_set[day] */
    bool hours_set[7];           /* [0] = Monday */
    char *holidays_file;         /* calendar.holidays_file: more holidays, same format */
    bool has_pks;             /* the cooperation agreement (PKS) with BSSN */
    char *pks_number;
    char pks_signed[11];      /* YYYY-MM-DD */
    char pks_valid_until[11];
    struct config_letter letter; /* the kop, numbering, font: config_letter.h */
    /* retention.closed_case_days: the holders' personal data and the files of
     * a case closed this many days ago are removed; 0: never. */
    int retention_days;
    struct config_certificates certificates;
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

/* Fills cfg->email.password: `env_password` (SERTIBOT_EMAIL_PASSWORD) when
 * non-empty, else the first line of email.password_file, which is refused
 * when group or others may read it. Nothing to do without a username. The
 * error text never contains the password. Called by config_load. */
int config_email_password(struct config *cfg, const char *env_password, char *err,
                          size_t err_size);

/* True when mail is configured (email.smtp_url set). */
bool config_mail_enabled(const struct config *cfg);

/* A plain e-mail address check (local@domain.tld, printable, no spaces,
 * quotes or angle brackets): 0 or -EINVAL. */
int config_check_email_address(const char *address);

/* Whether `address` (already a valid address) may be a holder's official
 * e-mail for agency `agency_name`: 0 when it may (or the agency has no
 * email_domains), -EACCES when its domain is not one of them (nor a
 * subdomain); *domains (may be NULL) then points at the agency's list. */
int config_agency_email_allowed(const struct config *cfg, const char *agency_name,
                                const char *address, const struct config_agency_domains **domains);

/* True if `telegram_id` is listed in `admins`. */
bool config_is_admin(const struct config *cfg, int64_t telegram_id);

/* Validates a YYYY-MM-DD calendar date; 0 or -EINVAL. */
int config_check_date(const char *text);

#endif
