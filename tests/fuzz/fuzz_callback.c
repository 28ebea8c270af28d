/* The callback-data parsers: the handler a button's data goes to
 * (handlers/handlers.c), the task card's "<case>:<version>:<event>[:<arg>]"
 * (case_action.c, used by every case button), and the session picker's
 * "<day>:<min>:<len>:<pelaksana>" (slot_picker.c), and the strict readers
 * under them (handlers/args.c: args_case_press, args_decimal). Button data is
 * untrusted: the client may send anything. Properties: no crash; the prefix
 * found is the data's; accepted numbers are in range; and what is accepted is
 * written back exactly as it came (a number has one spelling: no sign, no
 * space, no leading zero; no field left over), so two different strings
 * never name the same press. */
#include <inttypes.h>

#include "args.h"
#include "case_action.h"
#include "fuzz_common.h"
#include "handler.h"
#include "office_calendar.h"
#include "slots.h"
#include "typed_answers.h"

#define NOW_MS INT64_C(1796281200000) /* 2026-12-03 14:00 WIB, a Thursday */

/* True if s[0..n) is 1..n plain decimal digits. */
static bool plain_digits(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static void check_decimal(const char *text)
{
    uint64_t value;
    if (args_decimal(text, UINT32_MAX, &value) != 0)
        return;
    char back[32];
    snprintf(back, sizeof back, "%" PRIu64, value);
    FUZZ_CHECK(value <= UINT32_MAX && strcmp(back, text) == 0);
}

static void check_strict_press(const char *rest)
{
    struct args_press press;
    if (args_case_press(rest, &press) != 0)
        return;
    FUZZ_CHECK(press.case_id > 0 && press.case_id <= INT64_C(9007199254740991));
    FUZZ_CHECK(press.version > 0);
    char back[160];
    snprintf(back, sizeof back, "%" PRId64 ":%" PRIu32 ":%s%s%s", press.case_id, press.version,
             press.what, press.arg[0] ? ":" : "", press.arg);
    FUZZ_CHECK(strcmp(back, rest) == 0);
}

static void check_press(const char *rest)
{
    int64_t case_id;
    uint32_t version;
    char what[32], arg[64];
    if (case_press_parse(rest, &case_id, &version, what, sizeof what, arg, sizeof arg) != 0)
        return;
    FUZZ_CHECK(case_id > 0 && version > 0);
    FUZZ_CHECK(what[0] != '\0' && strchr(what, ':') == NULL);
    const char *first = strchr(rest, ':');
    FUZZ_CHECK(first != NULL);
    const char *second = strchr(first + 1, ':');
    FUZZ_CHECK(second != NULL);
    FUZZ_CHECK(plain_digits(rest, (size_t)(first - rest)));
    FUZZ_CHECK(plain_digits(first + 1, (size_t)(second - first - 1)));
    FUZZ_CHECK(strncmp(second + 1, what, strlen(what)) == 0);
}

static void check_pick(const char *arg)
{
    int64_t today = cal_day_of(NOW_MS);
    for (int need = 1; need <= 4; need++) {
        struct pick p;
        if (slot_pick_parse(arg, need, NOW_MS, &p) != 0)
            continue;
        FUZZ_CHECK(p.day >= today && p.day <= today + 180);
        FUZZ_CHECK(p.minute >= 0 && p.minute < CAL_MINUTES_PER_DAY);
        FUZZ_CHECK(p.length >= SLOT_MIN_MINUTES && p.length <= SLOT_MAX_MINUTES);
        FUZZ_CHECK(p.pelaksana_id >= 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size);
    const char *rest = NULL;
    const struct handler_entry *entry = handler_for_callback(text, &rest);
    if (entry) {
        size_t n = strlen(entry->callback_prefix);
        FUZZ_CHECK(strncmp(text, entry->callback_prefix, n) == 0 && text[n] == ':');
        FUZZ_CHECK(rest == text + n + 1);
    }
    /* Every parser sees every input: the prefix is cheap to guess. */
    const char *colon = strchr(text, ':');
    const char *body = colon ? colon + 1 : text;
    check_press(body);
    check_strict_press(body);
    check_decimal(body);
    check_pick(body);
    /* The picker's arguments come after "s:<case>:<version>:<op>:". */
    const char *p = body;
    for (int i = 0; i < 3 && p; i++) {
        p = strchr(p, ':');
        if (p)
            p++;
    }
    if (p)
        check_pick(p);
    free(text);
    return 0;
}
