/* certificates_dates: the validity end of a certificate as the step-7 report
 * asks for it. Pure (no I/O, no allocation): the unit tests and the handlers
 * share it.
 *
 * Days are WIB days (office_calendar.h's day numbers); dates are written as
 * "YYYY-MM-DD" into the caller's buffer. */
#ifndef SERTIBOT_CERTIFICATES_DATES_H
#define SERTIBOT_CERTIFICATES_DATES_H

#include <stdint.h>

/* The longest validity a Pelaksana may type: ten years from the report day. */
#define CERT_VALID_MAX_YEARS 10

/* The default end: the issue day (the WIB day of `issued_ms`) plus
 * `validity_days`. -EINVAL for a validity below 1 day. */
int cert_valid_default(int64_t issued_ms, int validity_days, char out[11]);

/* A typed end: "2028-12-04", "4-12-2028", "4/12/2028" or a date in words
 * ("4 Desember 2028", args_date_words). It must be after the WIB day of
 * `now_ms` and at most CERT_VALID_MAX_YEARS years after it. -EINVAL when it
 * is no date, -ERANGE when it is out of that range. */
int cert_valid_parse(const char *text, int64_t now_ms, char out[11]);

/* The WIB day `days` days after the day of `now_ms`, as "YYYY-MM-DD" (the
 * register's "ending in the next N days"). */
void cert_day_after(int64_t now_ms, int days, char out[11]);

#endif
