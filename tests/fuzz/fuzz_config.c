/* The config loader (bot/config.c config_parse): the operator's JSON file.
 * An odd-length input also passes a token from the environment. Properties:
 * no crash; an error is explained in a NUL-terminated, non-empty line and
 * leaves nothing to free; a loaded config has every required key with a
 * valid value (as config.h promises) and config_free releases it all. */
#include <errno.h>

#include "config.h"
#include "fuzz_common.h"

static void check_loaded(const struct config *cfg, const char *token_override)
{
    FUZZ_CHECK(cfg->token && cfg->token[0]);
    if (token_override)
        FUZZ_CHECK(strcmp(cfg->token, token_override) == 0);
    FUZZ_CHECK(cfg->api_base && cfg->database && cfg->documents_dir);
    FUZZ_CHECK(cfg->poll_timeout_s >= 0 && cfg->poll_timeout_s <= 50);
    FUZZ_CHECK(cfg->officials_count == 0 || cfg->officials);
    for (size_t i = 0; i < cfg->officials_count; i++) {
        FUZZ_CHECK(cfg->officials[i].telegram_id != 0);
        FUZZ_CHECK(cfg->officials[i].name && cfg->officials[i].name[0]);
    }
    for (size_t i = 0; i < cfg->admins_count; i++)
        FUZZ_CHECK(cfg->admins[i] != 0 && config_is_admin(cfg, cfg->admins[i]));
    for (size_t i = 0; i < cfg->agencies_count; i++)
        FUZZ_CHECK(cfg->agencies[i] && cfg->agencies[i][0]);
    for (int day = 0; day < 7; day++) {
        if (!cfg->hours_set[day])
            continue;
        const struct cal_hours *h = &cfg->hours[day];
        FUZZ_CHECK(h->count <= CAL_MAX_SPANS);
        for (size_t i = 0; i < h->count; i++) {
            FUZZ_CHECK(h->spans[i].start >= 0 && h->spans[i].start < h->spans[i].end &&
                       h->spans[i].end <= CAL_MINUTES_PER_DAY);
            if (i > 0)
                FUZZ_CHECK(h->spans[i].start >= h->spans[i - 1].end);
        }
    }
    if (cfg->has_pks) {
        FUZZ_CHECK(config_check_date(cfg->pks_signed) == 0);
        FUZZ_CHECK(config_check_date(cfg->pks_valid_until) == 0);
        FUZZ_CHECK(strcmp(cfg->pks_signed, cfg->pks_valid_until) <= 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *json = fuzz_cstr(data, size);
    const char *token_override = size % 2 ? "123456:fuzz-token" : NULL;
    struct config cfg;
    char err[160];
    memset(err, 'x', sizeof err);
    int rc = config_parse(json, token_override, &cfg, err, sizeof err);
    FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ENOMEM);
    if (rc == 0) {
        check_loaded(&cfg, token_override);
        config_free(&cfg);
    } else {
        FUZZ_CHECK(memchr(err, '\0', sizeof err) != NULL);
        FUZZ_CHECK(err[0] != '\0');
    }
    free(json);
    return 0;
}
