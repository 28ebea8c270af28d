/* report: the monthly compliance figures (/laporan and `sertibot report`). */
#ifndef SERTIBOT_REPORT_H
#define SERTIBOT_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "sla_report.h"

struct csv;
struct db;
struct i18n;

struct report {
    int year, month;
    struct sla_sample *samples;   /* owned */
    size_t sample_count;
    struct sla_row steps[SLA_STEPS];
    struct sla_row *people;       /* owned: per official and step */
    size_t people_count;
    struct sla_row help;          /* the certificate help requests (their own standard) */
    struct sla_row kinds[SLA_KINDS];                /* new requests and renewals, all steps */
    struct sla_row steps_of_kind[SLA_KINDS][SLA_STEPS];
};

/* "YYYY-MM"; -EINVAL otherwise. */
int report_month_parse(const char *text, int *year, int *month);
/* The month's bounds in WIB, as [from, to) ms. */
void report_month_range(int year, int month, int64_t *from_ms, int64_t *to_ms);
/* Reads the steps finished in the month and computes the figures. */
int report_gather(struct db *db, int year, int month, struct report *r);
void report_free(struct report *r);
/* The figures as CSV (headers in `lang`); csv->data is the caller's to free. */
int report_csv(struct db *db, const struct i18n *i18n, const char *lang, const struct report *r,
               struct csv *csv);

#endif
