/* sertibot: runs the Bekasi city communications agency's SOP for electronic
 * certificate requests (BSrE) in Telegram. This file wires the parts together:
 * command line, config, database, catalogs, and the loop. */
#include <curl/curl.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "certificates.h"
#include "config.h"
#include "db.h"
#include "db_letters.h"
#include "db_registry.h"
#include "calendar_days.h"
#include "csv.h"
#include "handlers.h"
#include "i18n.h"
#include "instance_lock.h"
#include "log.h"
#include "render_letter.h"
#include "ops.h"
#include "report.h"
#include "runtime.h"
#include "tg_client.h"

static const char usage[] =
    "Usage: sertibot [--config FILE] [--log-level LEVEL]\n"
    "       sertibot report --month YYYY-MM [--format csv] [--lang id|en] [--config FILE]\n"
    "       sertibot render-letter --case SE-0001 --kind recommendation|notification|disposition\n"
    "                              --out FILE.pdf [--config FILE]\n"
    "       sertibot check-config [--config FILE]\n"
    "       sertibot backup FILE [--with-documents DIR] [--config FILE]\n"
    "       sertibot restore FILE [--with-documents DIR] [--config FILE]\n"
    "       sertibot audit verify [--config FILE]\n"
    "       sertibot export --case SE-0001 [--config FILE]\n"
    "       sertibot export certificates [--lang id|en] [--config FILE]\n"
    "       sertibot --help | --version\n"
    "\n"
    "Runs the bot until SIGINT or SIGTERM. `report` prints a month's compliance\n"
    "with the SOP's time standards (per step and per official) as CSV, and exits.\n"
    "\n"
    "  --config FILE      the JSON config (default: $SERTIBOT_CONFIG, else ./sertibot.json)\n"
    "  --log-level LEVEL  debug, info (default), warn or error\n"
    "  --help             this text\n"
    "  --version          the version\n"
    "\n"
    "Environment: SERTIBOT_TOKEN overrides telegram.token; SERTIBOT_CONFIG names the config.\n"
    "Exit codes: 0 stopped cleanly, 1 runtime error, 2 bad usage or config,\n"
    "            3 token refused (401), 4 conflict (409: webhook or another poller),\n"
    "            5 another sertibot runs on this database.\n";

struct options {
    const char *config_path;
    enum log_level log_level;
};

static int parse_options(int argc, char **argv, struct options *opt)
{
    opt->config_path = getenv("SERTIBOT_CONFIG");
    if (!opt->config_path || !opt->config_path[0])
        opt->config_path = "sertibot.json";
    opt->log_level = LOG_INFO;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(usage, stdout);
            exit(EXIT_CLEAN);
        } else if (strcmp(arg, "--version") == 0) {
            printf("sertibot %s\n", SERTIBOT_VERSION);
            exit(EXIT_CLEAN);
        } else if (strcmp(arg, "--config") == 0 && i + 1 < argc) {
            opt->config_path = argv[++i];
        } else if (strcmp(arg, "--log-level") == 0 && i + 1 < argc) {
            if (log_level_parse(argv[++i], &opt->log_level) != 0) {
                fprintf(stderr, "sertibot: --log-level: expected debug, info, warn or error\n");
                return -EINVAL;
            }
        } else {
            fprintf(stderr, "sertibot: unknown argument '%s'\n\n%s", arg, usage);
            return -EINVAL;
        }
    }
    return 0;
}

/* What an offline report reads: the config, the database the bot uses (a
 * reader beside it is fine in WAL mode) and the catalogs. */
struct offline {
    struct config cfg;
    bool loaded;   /* cfg is to be freed (a failed load frees its own) */
    struct db *db;
    struct i18n *i18n;
};

/* EXIT_CLEAN when all three are open, else EXIT_USAGE (the config) or
 * EXIT_RUNTIME; offline_close in every case. */
static int offline_open(const char *config_path, struct offline *o)
{
    char err[512];
    memset(o, 0, sizeof *o);
    /* An offline command (report, export) never calls Telegram: any token will do. */
    if (config_load(config_path, getenv("SERTIBOT_TOKEN") ? getenv("SERTIBOT_TOKEN") : "0:report",
                    &o->cfg, err, sizeof err) != 0) {
        log_error("config", "%s", err);
        return EXIT_USAGE;
    }
    o->loaded = true;
    if (db_open(o->cfg.database, &o->db, err, sizeof err) != 0) {
        log_error("db", "%s", err);
        return EXIT_RUNTIME;
    }
    if (i18n_load(&o->i18n, err, sizeof err) != 0) {
        log_error("i18n", "%s", err);
        return EXIT_RUNTIME;
    }
    return EXIT_CLEAN;
}

static void offline_close(struct offline *o)
{
    i18n_free(o->i18n);
    db_close(o->db);
    if (o->loaded)
        config_free(&o->cfg);
}

/* `sertibot report --month YYYY-MM --format csv`: for the IT staff, from the
 * same database the bot uses (a reader beside it is fine in WAL mode). */
static int run_report_command(int argc, char **argv)
{
    const char *config_path = getenv("SERTIBOT_CONFIG");
    if (!config_path || !config_path[0])
        config_path = "sertibot.json";
    const char *month_text = NULL, *format = "csv", *lang = I18N_DEFAULT;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--month") == 0 && i + 1 < argc)
            month_text = argv[++i];
        else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
            format = argv[++i];
        else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
            lang = argv[++i];
        else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
            config_path = argv[++i];
        else {
            fprintf(stderr, "sertibot report: unknown argument '%s'\n\n%s", argv[i], usage);
            return EXIT_USAGE;
        }
    }
    int year, month;
    if (!month_text || report_month_parse(month_text, &year, &month) != 0) {
        fprintf(stderr, "sertibot report: --month YYYY-MM is required\n");
        return EXIT_USAGE;
    }
    if (strcmp(format, "csv") != 0) {
        fprintf(stderr, "sertibot report: --format: only csv is supported\n");
        return EXIT_USAGE;
    }
    struct offline o;
    int exit_code = offline_open(config_path, &o);
    struct report r;
    struct csv csv = { 0 };
    if (exit_code == EXIT_CLEAN) {
        exit_code = EXIT_RUNTIME;
        if (report_gather(o.db, year, month, &r) == 0) {
            if (report_csv(o.db, o.i18n, i18n_supports(o.i18n, lang) ? lang : I18N_DEFAULT, &r,
                           &csv) == 0 &&
                fwrite(csv.out.data, 1, csv.out.len, stdout) == csv.out.len && fflush(stdout) == 0)
                exit_code = EXIT_CLEAN;
            report_free(&r);
        }
    }
    free(csv.out.data);
    offline_close(&o);
    return exit_code;
}

/* `sertibot export certificates [--lang id|en] [--config FILE]`: the register
 * of certificates as CSV on stdout, the document the admins get with
 * /sertifikat csv; any other `export` is a case's data request (ops_export.c). */
static int run_export_command(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "certificates") != 0)
        return ops_export_main(argc, argv);
    const char *config_path = getenv("SERTIBOT_CONFIG"), *lang = I18N_DEFAULT;
    if (!config_path || !config_path[0])
        config_path = "sertibot.json";
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc) {
            lang = argv[++i];
        } else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
            config_path = argv[++i];
        } else {
            fprintf(stderr, "sertibot export: unknown argument '%s'\n\n%s", argv[i], usage);
            return EXIT_USAGE;
        }
    }
    struct offline o;
    int exit_code = offline_open(config_path, &o);
    struct csv csv = { 0 };
    if (exit_code == EXIT_CLEAN) {
        exit_code = EXIT_RUNTIME;
        if (certificates_csv(o.db, o.i18n, i18n_supports(o.i18n, lang) ? lang : I18N_DEFAULT,
                             &csv, NULL) == 0 &&
            fwrite(csv.out.data, 1, csv.out.len, stdout) == csv.out.len && fflush(stdout) == 0)
            exit_code = EXIT_CLEAN;
    }
    free(csv.out.data);
    offline_close(&o);
    return exit_code;
}

/* The offline subcommands (`sertibot <name> ...`): each reads the config
 * and database itself and never talks to Telegram. */
static const struct subcommand {
    const char *name;
    int (*run)(int argc, char **argv);
} subcommands[] = {
    { "report", run_report_command },
    { "render-letter", render_letter_main },
    { "check-config", ops_check_config_main },
    { "backup", ops_backup_main },
    { "restore", ops_restore_main },
    { "audit", ops_audit_main },
    { "export", run_export_command },
};

/* The business clock (SERTIBOT_CLOCK_FILE in tests and the demo) and the
 * database's test hooks, each logged when set. */
static void apply_test_settings(struct app *app)
{
    const char *clock_file = getenv("SERTIBOT_CLOCK_FILE");
    if (clock_file && clock_file[0]) {
        app->clock = clock_from_file(clock_file);
        app->test_clock = true;
        log_warn("app", "business time is read from %s (a test setting)", clock_file);
    }
    const char *fail_file = getenv("SERTIBOT_TEST_DB_FAIL_FILE");
    if (fail_file && fail_file[0] && db_set_test_fail_file(app->db, fail_file) == 0)
        log_warn("app", "test hook: writes fail as on a full disk while %s exists", fail_file);
    const char *fail_sql = getenv("SERTIBOT_TEST_FAIL_SQL");
    if (fail_sql && fail_sql[0] && db_set_test_fail_sql(app->db, fail_sql) == 0)
        log_warn("app", "test hook: statements matching the glob %s fail", fail_sql);
}

/* The database, the calendar and the catalogs, ready for the loop. */
static int app_prepare(struct app *app, const struct config *cfg)
{
    char err[512];
    if (db_open(cfg->database, &app->db, err, sizeof err) != 0) {
        log_error("db", "%s", err);
        return -EIO;
    }
    apply_test_settings(app);
    if (calendar_days_load(&app->cal, cfg, app->db, err, sizeof err) != 0) {
        log_error("calendar", "%s", err);
        return -EINVAL;
    }
    if (db_officials_sync(app->db, cfg->officials, cfg->officials_count) != 0 ||
        db_official_details_sync(app->db, cfg->officials, cfg->officials_count) != 0 ||
        db_agencies_sync(app->db, cfg->agencies, cfg->agencies_count) != 0 ||
        db_offset_get(app->db, &app->poller.offset) != 0) {
        log_error("db", "cannot prepare the database");
        return -EIO;
    }
    if (i18n_load(&app->i18n, err, sizeof err) != 0 ||
        i18n_check(app->i18n, err, sizeof err) != 0) {
        log_error("i18n", "%s", err);
        return -EINVAL;
    }
    return 0;
}

/* Runs the loop until the bot stops; the exit code it stopped with. */
static int app_run(struct app *app)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        log_error("app", "libcurl failed to initialise");
        return EXIT_RUNTIME;
    }
    uv_loop_t loop;
    uv_loop_init(&loop);
    app->loop = &loop;
    if (tg_client_new(&loop, app->cfg->api_base, app->cfg->token, &app->tg) != 0) {
        log_error("app", "cannot create the Telegram client");
        uv_loop_close(&loop);
        curl_global_cleanup();
        return EXIT_RUNTIME;
    }
    runtime_init(app);
    log_info("app", "sertibot %s starting; database %s, schema %d, offset %" PRId64,
             SERTIBOT_VERSION, app->cfg->database, db_schema_version(app->db),
             app->poller.offset);
    bootstrap_start(app);
    uv_run(&loop, UV_RUN_DEFAULT);
    if (uv_loop_close(&loop) != 0)
        log_warn("app", "loop closed with handles still open");
    curl_global_cleanup();
    log_info("app", "stopped");
    return app->exit_code;
}

int main(int argc, char **argv)
{
    for (size_t i = 0; argc > 1 && i < sizeof subcommands / sizeof subcommands[0]; i++)
        if (strcmp(argv[1], subcommands[i].name) == 0)
            return subcommands[i].run(argc - 1, argv + 1);
    struct options opt;
    if (parse_options(argc, argv, &opt) != 0)
        return EXIT_USAGE;
    log_set_level(opt.log_level);

    char err[512];
    struct config cfg;
    if (config_load(opt.config_path, getenv("SERTIBOT_TOKEN"), &cfg, err, sizeof err) != 0) {
        log_error("config", "%s", err);
        return EXIT_USAGE;
    }
    log_set_secret(cfg.token);
    log_add_secret(cfg.email.password);

    int lock_fd = instance_lock_take(cfg.database, err, sizeof err);
    if (lock_fd < 0) {
        log_error("app", "%s", err);
        config_free(&cfg);
        return lock_fd == -EWOULDBLOCK ? EXIT_LOCKED : EXIT_RUNTIME;
    }

    struct app app = { 0 };
    app.cfg = &cfg;
    handlers_register(&app);
    app.clock = clock_system();
    app.wall = clock_system();
    app.random_state = (uint32_t)time(NULL) ^ ((uint32_t)getpid() << 16);
    int exit_code = app_prepare(&app, &cfg) == 0 ? app_run(&app) : EXIT_RUNTIME;

    cal_free(&app.cal);
    i18n_free(app.i18n);
    db_close(app.db);
    instance_lock_release(lock_fd);
    config_free(&cfg);
    return exit_code;
}
