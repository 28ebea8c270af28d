#include "json_number.h"

#include <errno.h>
#include <math.h>

int json_number_int64(const cJSON *item, int64_t min, int64_t max, int64_t *out)
{
    if (!cJSON_IsNumber(item))
        return -EINVAL;
    double v = item->valuedouble;
    if (!isfinite(v) || v != floor(v))
        return -EINVAL;
    if (min < -JSON_NUMBER_SAFE_MAX)
        min = -JSON_NUMBER_SAFE_MAX;
    if (max > JSON_NUMBER_SAFE_MAX)
        max = JSON_NUMBER_SAFE_MAX;
    /* Both bounds are exact doubles now, so the comparisons are exact. */
    if (v < (double)min) {
        *out = min;
        return -ERANGE;
    }
    if (v > (double)max) {
        *out = max;
        return -ERANGE;
    }
    *out = (int64_t)v;
    return 0;
}

int json_number_int(const cJSON *item, int min, int max, int *out)
{
    int64_t value = 0;
    int rc = json_number_int64(item, min, max, &value);
    if (rc == 0 || rc == -ERANGE)
        *out = (int)value; /* within [min, max] either way */
    return rc;
}

int json_member_int64(const cJSON *object, const char *key, int64_t min, int64_t max,
                      int64_t *out)
{
    return json_number_int64(cJSON_GetObjectItemCaseSensitive(object, key), min, max, out);
}

int json_member_int(const cJSON *object, const char *key, int min, int max, int *out)
{
    return json_number_int(cJSON_GetObjectItemCaseSensitive(object, key), min, max, out);
}
