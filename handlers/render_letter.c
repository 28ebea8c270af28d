/* render_letter: a case's letter as a PDF file from the command line; see
 * render_letter.h. */
#include "render_letter.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "clock.h"
#include "config.h"
#include "db.h"
#include "db_cases.h"
#include "db_letters.h"
#include "i18n.h"
#include "letters.h"
#include "log.h"

static const char usage[] =
    "usage: sertibot render-letter --case SE-0001 --kind recommendation|notification|disposition\n"
    "                              --out FILE.pdf [--config FILE]\n";

struct render_options {
    const char *config_path, *case_text, *kind_text, *out_path;
};

static int parse(int argc, char **argv, struct render_options *o)
{
    o->config_path = getenv("SERTIBOT_CONFIG");
    if (!o->config_path || !o->config_path[0])
        o->config_path = "sertibot.json";
    for (int i = 1; i < argc; i++) {
        const char **slot = strcmp(argv[i], "--case") == 0     ? &o->case_text
                            : strcmp(argv[i], "--kind") == 0   ? &o->kind_text
                            : strcmp(argv[i], "--out") == 0    ? &o->out_path
                            : strcmp(argv[i], "--config") == 0 ? &o->config_path
                                                               : NULL;
        if (!slot || i + 1 >= argc) {
            fprintf(stderr, "sertibot render-letter: unknown or incomplete argument '%s'\n\n%s",
                    argv[i], usage);
            return -EINVAL;
        }
        *slot = argv[++i];
    }
    if (!o->case_text || !o->kind_text || !o->out_path) {
        fprintf(stderr, "sertibot render-letter: --case, --kind and --out are required\n\n%s",
                usage);
        return -EINVAL;
    }
    return 0;
}

static int write_file(const char *path, const unsigned char *data, size_t size)
{
    FILE *out = fopen(path, "wb");
    if (!out)
        return -errno;
    size_t written = fwrite(data, 1, size, out);
    int closed = fclose(out);
    return written == size && closed == 0 ? 0 : -EIO;
}

/* The document itself, once the app is set up; an exit code. */
static int render(struct app *app, const struct render_options *o, enum letters_kind kind)
{
    int64_t id;
    struct db_case c;
    if (db_case_number_parse(o->case_text, &id) != 0 || db_case_get(app->db, id, &c) != 0) {
        log_error("render-letter", "no case %s in %s", o->case_text, app->cfg->database);
        return EXIT_USAGE;
    }
    struct db_outgoing_letter numbered;
    bool signed_one = false;
    if (kind != LETTERS_DISPOSITION) {
        int rc = db_outgoing_latest(app->db, c.wf.case_id, letters_kind_name(kind), &numbered);
        if (rc && rc != -ENOENT)
            return EXIT_RUNTIME;
        signed_one = rc == 0;
    }
    unsigned char *pdf = NULL;
    size_t size = 0;
    int rc = letters_render(app, &c, kind, signed_one ? &numbered : NULL, &pdf, &size);
    if (rc == -EINVAL) {
        log_error("render-letter", "%s has no %s yet (BSrE has not answered)", c.number,
                  o->kind_text);
        return EXIT_USAGE;
    }
    if (!rc)
        rc = write_file(o->out_path, pdf, size);
    free(pdf);
    if (rc) {
        log_error("render-letter", "%s: %s", o->out_path, strerror(-rc));
        return EXIT_RUNTIME;
    }
    return EXIT_CLEAN;
}

int render_letter_main(int argc, char **argv)
{
    struct render_options o = { 0 };
    enum letters_kind kind;
    if (parse(argc, argv, &o) != 0)
        return EXIT_USAGE;
    if (letters_kind_parse(o.kind_text, &kind) != 0) {
        fprintf(stderr, "sertibot render-letter: --kind: recommendation, notification or "
                        "disposition\n");
        return EXIT_USAGE;
    }
    char err[512];
    struct config cfg;
    /* No Telegram is needed to draw a letter: any token will do. */
    if (config_load(o.config_path, "0:render-letter", &cfg, err, sizeof err) != 0) {
        log_error("config", "%s", err);
        return EXIT_USAGE;
    }
    struct app app = { .cfg = &cfg, .clock = clock_system() };
    const char *clock_file = getenv("SERTIBOT_CLOCK_FILE");
    if (clock_file && clock_file[0])
        app.clock = clock_from_file(clock_file);
    int exit_code = EXIT_RUNTIME;
    if (db_open(cfg.database, &app.db, err, sizeof err) != 0)
        log_error("db", "%s", err);
    else if (i18n_load(&app.i18n, err, sizeof err) != 0)
        log_error("i18n", "%s", err);
    else
        exit_code = render(&app, &o, kind);
    i18n_free(app.i18n);
    db_close(app.db);
    config_free(&cfg);
    return exit_code;
}
