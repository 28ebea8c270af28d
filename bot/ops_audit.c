/* `sertibot audit verify [--config FILE]`: walks the audit trail's hash
 * chain (db_audit_chain.h) and names the first broken entry. Exit 0 when the
 * chain holds, 1 when it is broken (or the database fails), 2 on bad usage. */
#include "ops.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "config.h"
#include "db.h"
#include "db_audit_chain.h"
#include "db_cases.h"
#include "log.h"

static const char audit_usage[] = "Usage: sertibot audit verify [--config FILE]\n";

static int report(const struct audit_verify_result *r)
{
    if (!r->reason) {
        printf("audit: %" PRId64 " entries, chain intact; head %s\n", r->entries,
               r->entries ? r->head : "(empty)");
        return EXIT_CLEAN;
    }
    char number[24];
    db_case_number(r->broken_case_id, number, sizeof number);
    printf("audit: BROKEN at entry %" PRId64 " (case %s): %s\n", r->broken_id, number, r->reason);
    printf("audit: %" PRId64 " entries before it are intact\n", r->entries - 1);
    return EXIT_RUNTIME;
}

int ops_audit_main(int argc, char **argv)
{
    const char *config_path = ops_default_config();
    if (argc < 2 || strcmp(argv[1], "verify") != 0) {
        fputs(audit_usage, stderr);
        return EXIT_USAGE;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
            config_path = argv[++i];
        } else {
            fprintf(stderr, "sertibot audit: unknown argument '%s'\n%s", argv[i], audit_usage);
            return EXIT_USAGE;
        }
    }
    struct config cfg;
    if (ops_config_load(config_path, &cfg) != 0)
        return EXIT_USAGE;
    char err[512];
    struct db *db = NULL;
    struct audit_verify_result result;
    int exit_code = EXIT_RUNTIME;
    if (db_open(cfg.database, &db, err, sizeof err) != 0)
        log_error("db", "%s", err);
    else if (db_audit_verify(db, &result) == 0)
        exit_code = report(&result);
    db_close(db);
    config_free(&cfg);
    return exit_code;
}
