/* `sertibot check-config [--config FILE]`: the config and the files it names,
 * and the renderer module, checked before the service starts (the unit's
 * ExecStartPre). One line per finding ("ok", "warn" or "FAIL", what,
 * details); exit 0 when nothing failed, 2 otherwise (the unit then does not
 * restart: a person must look). */
#include "ops.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "config.h"
#include "file_read.h"
#include "holidays_json.h"
#include "office_calendar.h"
#include "render_module.h"

struct findings {
    int failed;
};

static void say(struct findings *f, const char *level, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void say(struct findings *f, const char *level, const char *what, const char *fmt, ...)
{
    if (strcmp(level, "FAIL") == 0)
        f->failed++;
    printf("%-4s  %-22s ", level, what);
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

/* A directory we must write into: it exists, or its parent does and is
 * writable (the bot creates it). */
static void check_writable_dir(struct findings *f, const char *what, const char *dir)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode))
            say(f, "FAIL", what, "%s: not a directory", dir);
        else if (access(dir, W_OK | X_OK) != 0)
            say(f, "FAIL", what, "%s: not writable by this user: %s", dir, strerror(errno));
        else
            say(f, (st.st_mode & 007) ? "warn" : "ok", what, "%s: writable%s", dir,
                (st.st_mode & 007) ? ", but open to other users (chmod o-rwx)" : "");
        return;
    }
    char copy[4096];
    snprintf(copy, sizeof copy, "%s", dir);
    const char *parent = dirname(copy);
    if (access(parent, W_OK | X_OK) == 0)
        say(f, "ok", what, "%s: does not exist yet; will be created in %s", dir, parent);
    else
        say(f, "FAIL", what, "%s: missing, and %s is not writable", dir, parent);
}

static void check_database(struct findings *f, const char *path)
{
    char copy[4096];
    snprintf(copy, sizeof copy, "%s", path);
    check_writable_dir(f, "database directory", dirname(copy));
    struct stat st;
    if (stat(path, &st) != 0) {
        say(f, "ok", "database", "%s: will be created (owner-only)", path);
        return;
    }
    if (!S_ISREG(st.st_mode))
        say(f, "FAIL", "database", "%s: not a regular file", path);
    else if (access(path, R_OK | W_OK) != 0)
        say(f, "FAIL", "database", "%s: not readable and writable: %s", path, strerror(errno));
    else if (st.st_mode & 077)
        say(f, "warn", "database", "%s: mode %03o; owner-only (0600) is expected", path,
            (unsigned)(st.st_mode & 0777));
    else
        say(f, "ok", "database", "%s: %lld bytes, mode %03o", path, (long long)st.st_size,
            (unsigned)(st.st_mode & 0777));
}

static void check_holidays(struct findings *f, const char *path)
{
    if (!path) {
        say(f, "ok", "calendar.holidays_file", "not set: the shipped 2025-2026 list only");
        return;
    }
    char *text = NULL;
    int rc = file_read_all(path, 8u << 20, &text);
    if (rc) {
        say(f, "FAIL", "calendar.holidays_file", "%s: %s", path, strerror(-rc));
        return;
    }
    struct cal cal;
    cal_init_default(&cal);
    char why[256];
    rc = holidays_json_parse(text, &cal, why, sizeof why);
    if (rc)
        say(f, "FAIL", "calendar.holidays_file", "%s: %s", path,
            rc == -ENOMEM ? "out of memory" : why);
    else
        say(f, "ok", "calendar.holidays_file", "%s: %zu day(s)", path, cal.holidays_count);
    cal_free(&cal);
    free(text);
}

/* Any key named "*password_file" anywhere in the config: a secret kept beside
 * it, which must be readable by the service's user only. */
static void check_password_files(struct findings *f, const cJSON *node, const char *where)
{
    for (const cJSON *item = node ? node->child : NULL; item; item = item->next) {
        char path[256];
        snprintf(path, sizeof path, "%s%s%s", where, where[0] ? "." : "",
                 item->string ? item->string : "[]");
        if (cJSON_IsObject(item) || cJSON_IsArray(item)) {
            check_password_files(f, item, path);
            continue;
        }
        const char *key = item->string ? item->string : "";
        size_t n = strlen(key);
        if (n < 13 || strcmp(key + n - 13, "password_file") != 0 || !cJSON_IsString(item))
            continue;
        struct stat st;
        if (stat(item->valuestring, &st) != 0)
            say(f, "FAIL", path, "%s: %s", item->valuestring, strerror(errno));
        else if (access(item->valuestring, R_OK) != 0)
            say(f, "FAIL", path, "%s: not readable by this user", item->valuestring);
        else if ((st.st_mode & 0777) != 0600 && (st.st_mode & 0777) != 0400)
            say(f, "FAIL", path, "%s: mode %03o; must be 0600 or 0400", item->valuestring,
                (unsigned)(st.st_mode & 0777));
        else
            say(f, "ok", path, "%s: mode %03o", item->valuestring, (unsigned)(st.st_mode & 0777));
    }
}

static void check_raw(struct findings *f, const char *config_path)
{
    char *text = NULL;
    if (file_read_all(config_path, 1u << 20, &text) != 0)
        return; /* config_load already said why */
    cJSON *root = cJSON_Parse(text);
    struct stat st;
    const cJSON *tg = cJSON_GetObjectItemCaseSensitive(root, "telegram");
    const char *env_token = getenv("SERTIBOT_TOKEN");
    bool file_token = cJSON_IsString(cJSON_GetObjectItemCaseSensitive(tg, "token"));
    if (root && !file_token && !(env_token && env_token[0]))
        say(f, "FAIL", "telegram.token", "not in %s and SERTIBOT_TOKEN is not set", config_path);
    if (file_token &&
        stat(config_path, &st) == 0 && (st.st_mode & 077))
        say(f, "warn", "telegram.token", "%s holds the token but is mode %03o; "
            "chmod 600, or give the token in SERTIBOT_TOKEN", config_path,
            (unsigned)(st.st_mode & 0777));
    check_password_files(f, root, "");
    cJSON_Delete(root);
    free(text);
}

/* The renderer module (render_module.h), loaded as the bot would load it for
 * its first letter: where it is looked for and whether it loads. Without it
 * no letter or chart can be drawn, and the SOP needs letters at steps 3 and
 * 6, so a module that does not load is a failure, found at install time. */
static void check_renderer(struct findings *f)
{
    char path[4096], why[512];
    int rc = render_module_path(path, sizeof path);
    if (rc) {
        say(f, "FAIL", "renderer module", "%s: cannot find it: %s", RENDER_MODULE_FILE,
            strerror(-rc));
        return;
    }
    struct render_module m;
    rc = render_module_open(&m, path, why, sizeof why);
    if (rc)
        say(f, "FAIL", "renderer module",
            "%s: %s; no letter or chart can be drawn (install it beside sertibot or in "
            "../lib/sertibot/, or name it in %s)", path, why, RENDER_MODULE_ENV);
    else
        say(f, "ok", "renderer module", "%s: loads (version %u)", path, m.api->version);
    render_module_close(&m);
}

static void check_loaded(struct findings *f, const struct config *cfg)
{
    say(f, "ok", "telegram.api_base", "%s", cfg->api_base);
    say(f, "ok", "people", "%zu officials, %zu admins, %zu agencies", cfg->officials_count,
        cfg->admins_count, cfg->agencies_count);
    if (cfg->admins_count == 0)
        say(f, "warn", "admins", "none: nobody is told of warnings and failures");
    check_database(f, cfg->database);
    check_writable_dir(f, "documents_dir", cfg->documents_dir);
    check_holidays(f, cfg->holidays_file);
    if (cfg->has_pks)
        say(f, "ok", "pks", "%s, valid until %s", cfg->pks_number, cfg->pks_valid_until);
    else
        say(f, "warn", "pks", "not set: /ajukan is refused until it is");
}

int ops_check_config_main(int argc, char **argv)
{
    const char *config_path = ops_default_config();
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
            config_path = argv[++i];
        } else {
            fprintf(stderr, "sertibot check-config: unknown argument '%s'\n"
                            "Usage: sertibot check-config [--config FILE]\n", argv[i]);
            return EXIT_USAGE;
        }
    }
    struct findings f = { 0 };
    struct config cfg;
    if (ops_config_load(config_path, &cfg) != 0) {
        say(&f, "FAIL", "config", "%s: see the line above", config_path);
    } else {
        say(&f, "ok", "config", "%s", config_path);
        check_loaded(&f, &cfg);
        config_free(&cfg);
    }
    check_raw(&f, config_path);
    check_renderer(&f);
    printf("%s: %d problem(s)\n", f.failed ? "check-config FAILED" : "check-config passed",
           f.failed);
    return f.failed ? EXIT_USAGE : EXIT_CLEAN;
}
