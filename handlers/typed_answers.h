/* typed_answers: the parsers of what people type into the intake (the
 * letter's date, a holder line "name; NIP; position; e-mail") and into the
 * session picker (a typed time, the picker's button arguments).
 *
 * They are helpers of apply.c and slot_picker.c and nothing else should call
 * them; they are declared here only so that the fuzzers (tests/fuzz/) and the
 * unit tests can reach them, as they read untrusted text. Pure; nothing is
 * allocated except the holder object (cJSON, owned by the caller). */
#ifndef SERTIBOT_TYPED_ANSWERS_H
#define SERTIBOT_TYPED_ANSWERS_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "2026-11-20", "20-11-2026", "20/11/2026" or "20 November 2026" (any form
 * args_date_words reads): a real date, not after the
 * day of `now_ms`, written to `out` as YYYY-MM-DD. -EINVAL, or -ERANGE for a
 * date in the future. */
int apply_letter_date_parse(const char *text, int64_t now_ms, char out[11]);

/* A NIP: exactly 18 decimal digits. */
bool apply_nip_valid(const char *s);

/* A plausible e-mail address: one '@', something before it, a dot after. */
bool apply_email_valid(const char *s);

/* One line "name; NIP; position; e-mail" (`line` is cut up in place; the NIP
 * may have its spaces, "19850101 201001 2 001", and is kept as 18 digits); on
 * -EINVAL *why is the catalog key of the reason; -ENOMEM. */
int apply_holder_parse(char *line, cJSON **out, const char **why);

/* A slot being chosen: a day, a start, a length, and who assists. */
struct pick {
    int32_t day;
    int minute;
    int length;
    int64_t pelaksana_id;
};

/* The picker's button arguments "<day>[:<min>[:<len>[:<pelaksana>]]]" with at
 * least `need` fields, each in its range. 0 or -EINVAL. */
int slot_pick_parse(const char *arg, int need, int64_t now_ms, struct pick *p);

/* A typed time "2026-12-03 09:00" or "2026-12-03 09:00-10:30", either with
 * ", place" (cut to place_size). 0 or -EINVAL. */
int slot_typed_parse(const char *text, int default_length, int64_t *start, int64_t *end,
                     char *place, size_t place_size);

#endif
