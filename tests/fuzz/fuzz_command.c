/* The typed command parsers: "/cmd@bot args" (bot/tg_update.c) and the words
 * of a typed form (handlers/args.c), plus the small readers handlers apply to
 * those words (a Telegram id, a case number, a report month). Properties: no
 * crash; words hold no white space and fit their buffer; the rest is trimmed;
 * what is accepted is in range, and an accepted id reads back as written. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <strings.h>

#include "args.h"
#include "db_cases.h"
#include "fuzz_common.h"
#include "report.h"
#include "tg_update.h"
#include "utf8.h"

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static void check_words(const char *args)
{
    const char *cursor = args;
    char word[ARGS_WORD_SIZE];
    size_t words = 0;
    while (args_next(&cursor, word, sizeof word)) {
        size_t n = strlen(word);
        FUZZ_CHECK(n >= 1 && n < sizeof word);
        for (size_t i = 0; i < n; i++)
            FUZZ_CHECK(!is_space(word[i]));
        FUZZ_CHECK(++words <= strlen(args));
        int64_t id;
        if (args_telegram_id(word, &id) == 0) {
            char back[32];
            snprintf(back, sizeof back, "%" PRId64, id);
            FUZZ_CHECK(id > 0 && id < INT64_C(1000000000000000));
            /* Leading zeros are the one way two words name one id. */
            const char *digits = word;
            while (digits[0] == '0')
                digits++;
            FUZZ_CHECK(strcmp(back, digits) == 0);
        }
        if (db_case_number_parse(word, &id) == 0)
            FUZZ_CHECK(id > 0 && id <= INT32_MAX);
        int year, month;
        if (report_month_parse(word, &year, &month) == 0)
            FUZZ_CHECK(year >= 2000 && year <= 9999 && month >= 1 && month <= 12);
    }
    FUZZ_CHECK(word[0] == '\0');
    FUZZ_CHECK(cursor == args + strlen(args) || is_space(*cursor));

    char rest[128];
    int rc = args_rest(args, rest, sizeof rest);
    FUZZ_CHECK(rc == 0 || rc == -E2BIG);
    size_t n = strlen(rest);
    FUZZ_CHECK(n < sizeof rest);
    if (n) {
        FUZZ_CHECK(!is_space(rest[0]) || rc == -E2BIG);
        FUZZ_CHECK(!is_space(rest[n - 1]) || rc == -E2BIG);
    }
    FUZZ_CHECK(utf8_count(args) <= strlen(args));
    (void)args_one_line(args);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size);
    char name[33];
    const char *args = NULL;
    if (tg_command_parse(text, "SertiBot_bot", name, &args) == 0) {
        size_t n = strlen(name);
        FUZZ_CHECK(n >= 1 && n <= 32);
        for (size_t i = 0; i < n; i++)
            FUZZ_CHECK(islower((unsigned char)name[i]) || isdigit((unsigned char)name[i]) ||
                       name[i] == '_');
        FUZZ_CHECK(strncasecmp(text + 1, name, n) == 0);
        /* Addressed to us or to nobody, never to another bot. */
        const char *at = text + 1 + n;
        FUZZ_CHECK(*at != '@' || strncasecmp(at, "@SertiBot_bot", 13) == 0);
        FUZZ_CHECK(args >= text && args <= text + size);
        FUZZ_CHECK(!isspace((unsigned char)args[0]));
        check_words(args);
    } else {
        check_words(text);
    }
    free(text);
    return 0;
}
