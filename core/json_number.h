/* json_number: the one way a number is taken out of JSON (issue 13, defect 3).
 *
 * cJSON keeps every number as a double. Converting a double that is NaN,
 * infinite or outside the target type's range is undefined behaviour in C, and
 * anything from the network, a config file or the database may be any of
 * these (4.2e17 as an error code, 1e400, 2.5 as an id). These functions refuse
 * fractions, non-finite values and values outside [min, max] before any
 * conversion. Ranges are capped at +-(2^53 - 1), the integers a double holds
 * exactly (Telegram's ids fit: they have at most 52 significant bits).
 * Pure, no allocation. */
#ifndef SERTIBOT_JSON_NUMBER_H
#define SERTIBOT_JSON_NUMBER_H

#include <cjson/cJSON.h>
#include <stdint.h>

#define JSON_NUMBER_SAFE_MAX 9007199254740991LL /* 2^53 - 1 */

/* `item` as a whole number in [min, max]. Returns 0; -EINVAL if it is not a
 * number, not finite or has a fraction (*out untouched); -ERANGE if it is a
 * whole number outside the range, with *out set to the nearest bound, for
 * callers that clamp. */
int json_number_int64(const cJSON *item, int64_t min, int64_t max, int64_t *out);
int json_number_int(const cJSON *item, int min, int max, int *out);

/* The same for the member `key` of `object` (-EINVAL when absent). */
int json_member_int64(const cJSON *object, const char *key, int64_t min, int64_t max,
                      int64_t *out);
int json_member_int(const cJSON *object, const char *key, int min, int max, int *out);

#endif
