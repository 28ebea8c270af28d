/* The intake's typed answers and the dates and times people type: the
 * letter's date and the holder lines (handlers/apply.c), a session time
 * (handlers/slot_picker.c, core/slots.c), dates, local times and office hours
 * (core/office_calendar.c), the PKS dates (bot/config.c). The first byte picks
 * the parser, the rest is the text. Properties: no crash; what is accepted is
 * valid (a real date, not in the future; a NIP of 18 digits; a time inside
 * the supported range; names, positions, e-mails and places of one line, with
 * no control character) and reads back the same when written out again. */
#include <ctype.h>
#include <errno.h>

#include "args.h"
#include "config.h"
#include "db_sessions.h"
#include "fuzz_common.h"
#include "office_calendar.h"
#include "slots.h"
#include "typed_answers.h"

#define NOW_MS INT64_C(1796281200000) /* 2026-12-03 14:00 WIB, a Thursday */

static void check_letter_date(const char *text)
{
    char out[11];
    memset(out, 'x', sizeof out);
    int rc = apply_letter_date_parse(text, NOW_MS, out);
    FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ERANGE);
    if (rc == 0) {
        int32_t day;
        FUZZ_CHECK(strlen(out) == 10 && cal_date_parse(out, &day) == 0);
        FUZZ_CHECK(day <= cal_day_of(NOW_MS));
    }
}

static void check_holder(const char *text)
{
    char *line = strdup(text);
    FUZZ_CHECK(line != NULL);
    cJSON *holder = NULL;
    const char *why = NULL;
    int rc = apply_holder_parse(line, &holder, &why);
    FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ENOMEM);
    if (rc == 0) {
        /* Four fields, nothing dropped: after a fourth ';' only white space. */
        const char *semi = text;
        for (int i = 0; i < 4 && semi; i++)
            semi = strchr(semi, ';') ? strchr(semi, ';') + 1 : NULL;
        if (semi)
            for (; *semi; semi++)
                FUZZ_CHECK(isspace((unsigned char)*semi));
        const char *keys[] = { "name", "nip", "jabatan", "email" };
        for (size_t i = 0; i < 4; i++) {
            const cJSON *field = cJSON_GetObjectItemCaseSensitive(holder, keys[i]);
            FUZZ_CHECK(cJSON_IsString(field) && field->valuestring[0]);
            FUZZ_CHECK(!isspace((unsigned char)field->valuestring[0]));
            FUZZ_CHECK(strchr(field->valuestring, ';') == NULL);
            /* Names and the like are one line (args.h): no control character. */
            FUZZ_CHECK(args_one_line(field->valuestring));
        }
        FUZZ_CHECK(apply_nip_valid(cJSON_GetObjectItemCaseSensitive(holder, "nip")->valuestring));
        FUZZ_CHECK(
            apply_email_valid(cJSON_GetObjectItemCaseSensitive(holder, "email")->valuestring));
        cJSON_Delete(holder);
    } else if (rc == -EINVAL) {
        FUZZ_CHECK(why && strncmp(why, "intake.holder.", 14) == 0);
    }
    free(line);
    if (apply_nip_valid(text)) {
        FUZZ_CHECK(strlen(text) == 18);
        for (size_t i = 0; i < 18; i++)
            FUZZ_CHECK(text[i] >= '0' && text[i] <= '9');
    }
    if (apply_email_valid(text))
        FUZZ_CHECK(strchr(text, '@') && strchr(text, '@') == strrchr(text, '@'));
}

static void check_session_time(const char *text)
{
    int64_t start = 0, end = 0;
    char place[DB_PLACE_MAX + 1];
    if (slot_typed_parse(text, 60, &start, &end, place, sizeof place) != 0)
        return;
    FUZZ_CHECK(start >= CAL_TIME_MIN && start < CAL_TIME_MAX);
    FUZZ_CHECK(end >= CAL_TIME_MIN && end < CAL_TIME_MAX + 60 * CAL_MINUTE_MS);
    FUZZ_CHECK(strlen(place) <= DB_PLACE_MAX && args_one_line(place));
    int64_t alone;
    if (slot_parse_local(text, &alone) == 0)
        FUZZ_CHECK(alone == start);
}

static void check_calendar_text(const char *text)
{
    int32_t day;
    if (cal_date_parse(text, &day) == 0) {
        char back[CAL_DATE_SIZE];
        cal_date_format(day, back);
        FUZZ_CHECK(strcmp(back, text) == 0);
        FUZZ_CHECK(day >= 0 && day <= CAL_DAY_MAX);
    }
    if (config_check_date(text) == 0)
        FUZZ_CHECK(cal_date_parse(text, &day) == 0);
    int64_t t;
    if (cal_local_parse(text, &t) == 0) {
        char back[CAL_LOCAL_SIZE];
        cal_local_format(t, back);
        FUZZ_CHECK(strncmp(back, text, strlen(text)) == 0);
    }
    if (slot_parse_local(text, &t) == 0)
        FUZZ_CHECK(t >= CAL_TIME_MIN && t < CAL_TIME_MAX);
    struct cal_hours hours, again;
    if (cal_hours_parse(text, &hours) == 0) {
        FUZZ_CHECK(hours.count <= CAL_MAX_SPANS);
        char written[CAL_HOURS_TEXT_SIZE];
        cal_hours_format(&hours, written);
        FUZZ_CHECK(cal_hours_parse(written, &again) == 0);
        FUZZ_CHECK(again.count == hours.count);
        for (size_t i = 0; i < hours.count; i++)
            FUZZ_CHECK(again.spans[i].start == hours.spans[i].start &&
                       again.spans[i].end == hours.spans[i].end);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    char *text = fuzz_cstr(data + 1, size - 1);
    switch (data[0] % 4) {
    case 0: check_letter_date(text); break;
    case 1: check_holder(text); break;
    case 2: check_session_time(text); break;
    default: check_calendar_text(text); break;
    }
    free(text);
    return 0;
}
