/* sla_report: how well the steps kept the SOP's time standards over a
 * period: per step and per official, the number of steps finished, the
 * median and 90th-percentile office time, the share within the standard, and
 * the breaches. Pure: the samples come in, the rows go out. */
#ifndef SERTIBOT_SLA_REPORT_H
#define SERTIBOT_SLA_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SLA_STEPS 7

/* A request is new or a renewal (issue 14); both run the same steps with the
 * same standards, and the report shows them apart too. */
enum sla_kind {
    SLA_KIND_NEW,
    SLA_KIND_RENEWAL,
    SLA_KINDS
};

/* One finished step: who finished it and how long it took in office time. */
struct sla_sample {
    int step;                 /* 1..7 */
    int64_t actor_id;         /* the official whose action ended it; 0 unknown */
    int64_t office_ms;
    int standard_minutes;
    bool breached;            /* over the standard (also marked by a reminder) */
    enum sla_kind kind;       /* the request's kind */
};

struct sla_row {
    int step;                 /* 1..7; 0 in a per-official row */
    int64_t actor_id;         /* 0 in a per-step row */
    size_t cases;
    int64_t median_ms;        /* nearest-rank percentiles of office time */
    int64_t p90_ms;
    int within_percent;       /* rounded; -1 when there are no cases */
    size_t breaches;
};

/* Fills rows[0..6] for steps 1..7 (a step with no samples has cases 0 and
 * within_percent -1). `samples` is reordered. 0 or -EINVAL. */
int sla_report_by_step(struct sla_sample *samples, size_t count, struct sla_row rows[SLA_STEPS]);

/* rows[0..6] as sla_report_by_step, counting only the samples of `kind`.
 * `samples` is not changed. 0, -EINVAL or -ENOMEM. */
int sla_report_by_step_of_kind(const struct sla_sample *samples, size_t count,
                               enum sla_kind kind, struct sla_row rows[SLA_STEPS]);

/* One row per kind over all its steps (step 0): how many steps finished and
 * the share within each step's own standard. 0, -EINVAL or -ENOMEM. */
int sla_report_by_kind(const struct sla_sample *samples, size_t count,
                       struct sla_row rows[SLA_KINDS]);

/* One row per official (and step), most cases first; at most `max`.
 * `samples` is reordered. 0 or -EINVAL. */
int sla_report_by_actor(struct sla_sample *samples, size_t count, struct sla_row *rows,
                        size_t max, size_t *row_count);

/* The nearest-rank `percent` percentile of sorted values (count > 0). */
int64_t sla_percentile(const int64_t *sorted, size_t count, int percent);

#endif
