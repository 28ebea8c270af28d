/* `sertibot export --case SE-0001 [--config FILE]`: everything stored about
 * one case, as JSON on stdout, for a data request under UU 27/2022: the case
 * row, then every row of every table that has a case_id column for it (files
 * with their content in base64), the applicant's registration and user record,
 * and the agency. Tables are found from the schema itself, so a table added
 * later is exported without a change here. Read-only; beside a running bot. */
#include "ops.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <openssl/evp.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "config.h"
#include "log.h"

static cJSON *column_value(sqlite3_stmt *stmt, int col)
{
    switch (sqlite3_column_type(stmt, col)) {
    case SQLITE_INTEGER:
        return cJSON_CreateNumber((double)sqlite3_column_int64(stmt, col));
    case SQLITE_FLOAT:
        return cJSON_CreateNumber(sqlite3_column_double(stmt, col));
    case SQLITE_TEXT:
        return cJSON_CreateString((const char *)sqlite3_column_text(stmt, col));
    case SQLITE_BLOB: {
        int n = sqlite3_column_bytes(stmt, col);
        unsigned char *b64 = malloc(4 * ((size_t)n / 3 + 1) + 1);
        if (!b64)
            return NULL;
        EVP_EncodeBlock(b64, sqlite3_column_blob(stmt, col), n);
        cJSON *obj = cJSON_CreateObject();
        cJSON_AddNumberToObject(obj, "bytes", n);
        cJSON_AddStringToObject(obj, "base64", (const char *)b64);
        free(b64);
        return obj;
    }
    default:
        return cJSON_CreateNull();
    }
}

/* The copy of a file in documents_dir, in base64 beside its row: the person
 * asking gets the documents too. NULL if it cannot be read (the reason is
 * given instead). */
static cJSON *local_file(const char *path)
{
    cJSON *obj = cJSON_CreateObject();
    FILE *f = fopen(path, "rb");
    unsigned char *data = NULL, *b64 = NULL;
    long size = -1;
    if (f && fseek(f, 0, SEEK_END) == 0)
        size = ftell(f);
    if (size < 0 || size > (64L << 20) || fseek(f, 0, SEEK_SET) != 0 ||
        !(data = malloc((size_t)size + 1)) || fread(data, 1, (size_t)size, f) != (size_t)size ||
        !(b64 = malloc(4 * ((size_t)size / 3 + 1) + 1))) {
        cJSON_AddStringToObject(obj, "error", f ? "cannot read the file" : strerror(errno));
        goto out;
    }
    EVP_EncodeBlock(b64, data, (int)size);
    cJSON_AddNumberToObject(obj, "bytes", (double)size);
    cJSON_AddStringToObject(obj, "base64", (const char *)b64);
out:
    free(b64);
    free(data);
    if (f)
        fclose(f);
    return obj;
}

/* Every row `sql` (bound to `key`) yields, as objects under `name` in `out`. */
static int add_rows(sqlite3 *conn, cJSON *out, const char *name, const char *sql, int64_t key)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(conn, sql, -1, &stmt, NULL) != SQLITE_OK) {
        log_error("export", "%s: %s", name, sqlite3_errmsg(conn));
        return -EIO;
    }
    sqlite3_bind_int64(stmt, 1, key);
    cJSON *rows = cJSON_AddArrayToObject(out, name);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        cJSON *row = cJSON_CreateObject();
        cJSON_AddItemToArray(rows, row);
        for (int col = 0; col < sqlite3_column_count(stmt); col++)
            cJSON_AddItemToObject(row, sqlite3_column_name(stmt, col), column_value(stmt, col));
        const cJSON *path = cJSON_GetObjectItemCaseSensitive(row, "local_path");
        if (cJSON_IsString(path))
            cJSON_AddItemToObject(row, "local_file", local_file(path->valuestring));
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) {
        log_error("export", "%s: %s", name, sqlite3_errmsg(conn));
        return -EIO;
    }
    return 0;
}

/* Tables with a case_id column, from the schema. The names come from SQLite's
 * own catalog, never from input, and are quoted with %w all the same. */
static int add_case_tables(sqlite3 *conn, cJSON *tables, int64_t case_id)
{
    static const char sql[] =
        "SELECT m.name FROM sqlite_schema m WHERE m.type = 'table' AND m.name != 'cases' "
        "AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'case_id') "
        "ORDER BY m.name";
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(conn, sql, -1, &stmt, NULL) != SQLITE_OK)
        return -EIO;
    int rc = 0, step;
    while (!rc && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
        const char *table = (const char *)sqlite3_column_text(stmt, 0);
        char *query = sqlite3_mprintf("SELECT * FROM \"%w\" WHERE case_id = ?1 ORDER BY rowid",
                                      table);
        rc = query ? add_rows(conn, tables, table, query, case_id) : -ENOMEM;
        sqlite3_free(query);
    }
    sqlite3_finalize(stmt);
    return rc;
}

static int find_case(sqlite3 *conn, const char *number, int64_t *case_id)
{
    sqlite3_stmt *stmt = NULL;
    int rc = -ENOENT;
    if (sqlite3_prepare_v2(conn, "SELECT id FROM cases WHERE number = ?1", -1, &stmt, NULL) !=
        SQLITE_OK)
        return -EIO;
    sqlite3_bind_text(stmt, 1, number, -1, SQLITE_STATIC);
    if (sqlite3_step(stmt) == SQLITE_ROW) {
        *case_id = sqlite3_column_int64(stmt, 0);
        rc = 0;
    }
    sqlite3_finalize(stmt);
    return rc;
}

static int export_case(sqlite3 *conn, const char *number, cJSON *root)
{
    int64_t id;
    int rc = find_case(conn, number, &id);
    if (rc) {
        log_error("export", "no case %s in the database", number);
        return rc;
    }
    cJSON_AddStringToObject(root, "case", number);
    cJSON *tables = cJSON_AddObjectToObject(root, "tables");
    rc = add_rows(conn, tables, "cases", "SELECT * FROM cases WHERE id = ?1", id);
    if (!rc)
        rc = add_case_tables(conn, tables, id);
    if (!rc)
        rc = add_rows(conn, tables, "applicant",
                      "SELECT a.*, u.first_name, u.username, u.tg_language, u.language, "
                      "u.first_seen, u.last_seen FROM cases c "
                      "JOIN applicants a ON a.telegram_id = c.applicant_id "
                      "LEFT JOIN users u ON u.telegram_id = c.applicant_id WHERE c.id = ?1", id);
    if (!rc)
        rc = add_rows(conn, tables, "agency",
                      "SELECT g.* FROM cases c JOIN agencies g ON g.id = c.agency_id "
                      "WHERE c.id = ?1", id);
    return rc;
}

int ops_export_main(int argc, char **argv)
{
    const char *config_path = ops_default_config(), *number = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--case") == 0 && i + 1 < argc) {
            number = argv[++i];
        } else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
            config_path = argv[++i];
        } else {
            number = NULL;
            break;
        }
    }
    if (!number) {
        fputs("Usage: sertibot export --case SE-0001 [--config FILE]\n", stderr);
        return EXIT_USAGE;
    }
    struct config cfg;
    if (ops_config_load(config_path, &cfg) != 0)
        return EXIT_USAGE;
    sqlite3 *conn = NULL;
    cJSON *root = cJSON_CreateObject();
    int exit_code = EXIT_RUNTIME;
    if (sqlite3_open_v2(cfg.database, &conn, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        log_error("export", "%s: %s", cfg.database, conn ? sqlite3_errmsg(conn) : "cannot open");
    } else {
        sqlite3_busy_timeout(conn, 2000);
        if (export_case(conn, number, root) == 0) {
            char *text = cJSON_Print(root);
            if (text && puts(text) >= 0 && fflush(stdout) == 0)
                exit_code = EXIT_CLEAN;
            free(text);
        }
    }
    cJSON_Delete(root);
    sqlite3_close(conn);
    config_free(&cfg);
    return exit_code;
}
