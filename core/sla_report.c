#include "sla_report.h"

#include <errno.h>
#include <stdlib.h>

int64_t sla_percentile(const int64_t *sorted, size_t count, int percent)
{
    /* nearest rank: the smallest value with at least percent% at or below it */
    size_t rank = ((size_t)percent * count + 99) / 100;
    if (rank == 0)
        rank = 1;
    return sorted[rank - 1];
}

static int compare_ms(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Summarises samples[from..to) into `row`. */
static int summarise(const struct sla_sample *samples, size_t from, size_t to,
                     struct sla_row *row)
{
    size_t n = to - from;
    row->cases = n;
    row->breaches = 0;
    row->within_percent = -1;
    row->median_ms = row->p90_ms = 0;
    if (n == 0)
        return 0;
    int64_t *values = malloc(n * sizeof *values);
    if (!values)
        return -ENOMEM;
    size_t within = 0;
    for (size_t i = 0; i < n; i++) {
        const struct sla_sample *s = &samples[from + i];
        values[i] = s->office_ms;
        bool late = s->breached || s->office_ms > (int64_t)s->standard_minutes * 60000;
        row->breaches += late;
        within += !late;
    }
    qsort(values, n, sizeof *values, compare_ms);
    row->median_ms = sla_percentile(values, n, 50);
    row->p90_ms = sla_percentile(values, n, 90);
    row->within_percent = (int)((within * 100 + n / 2) / n);
    free(values);
    return 0;
}

static int by_step(const void *a, const void *b)
{
    const struct sla_sample *x = a, *y = b;
    return (x->step > y->step) - (x->step < y->step);
}

int sla_report_by_step(struct sla_sample *samples, size_t count, struct sla_row rows[SLA_STEPS])
{
    if (!rows || (count && !samples))
        return -EINVAL;
    if (count)
        qsort(samples, count, sizeof *samples, by_step);
    size_t at = 0;
    for (int step = 1; step <= SLA_STEPS; step++) {
        while (at < count && samples[at].step < step)
            at++; /* a step outside 1..7 is not counted */
        size_t end = at;
        while (end < count && samples[end].step == step)
            end++;
        rows[step - 1] = (struct sla_row){ .step = step };
        int rc = summarise(samples, at, end, &rows[step - 1]);
        if (rc)
            return rc;
        at = end;
    }
    return 0;
}

/* The samples of `kind`, copied (the caller frees); *kept is their number. */
static int samples_of_kind(const struct sla_sample *samples, size_t count, enum sla_kind kind,
                           struct sla_sample **out, size_t *kept)
{
    *out = malloc((count ? count : 1) * sizeof **out);
    if (!*out)
        return -ENOMEM;
    *kept = 0;
    for (size_t i = 0; i < count; i++)
        if (samples[i].kind == kind)
            (*out)[(*kept)++] = samples[i];
    return 0;
}

int sla_report_by_step_of_kind(const struct sla_sample *samples, size_t count,
                               enum sla_kind kind, struct sla_row rows[SLA_STEPS])
{
    if (!rows || (count && !samples) || kind < 0 || kind >= SLA_KINDS)
        return -EINVAL;
    struct sla_sample *kept;
    size_t n;
    int rc = samples_of_kind(samples, count, kind, &kept, &n);
    if (!rc)
        rc = sla_report_by_step(kept, n, rows);
    free(kept);
    return rc;
}

int sla_report_by_kind(const struct sla_sample *samples, size_t count,
                       struct sla_row rows[SLA_KINDS])
{
    if (!rows || (count && !samples))
        return -EINVAL;
    for (int kind = 0; kind < SLA_KINDS; kind++) {
        struct sla_sample *kept;
        size_t n;
        int rc = samples_of_kind(samples, count, (enum sla_kind)kind, &kept, &n);
        rows[kind] = (struct sla_row){ 0 };
        if (!rc)
            rc = summarise(kept, 0, n, &rows[kind]);
        free(kept);
        if (rc)
            return rc;
    }
    return 0;
}

static int by_actor_then_step(const void *a, const void *b)
{
    const struct sla_sample *x = a, *y = b;
    if (x->actor_id != y->actor_id)
        return (x->actor_id > y->actor_id) - (x->actor_id < y->actor_id);
    return (x->step > y->step) - (x->step < y->step);
}

static int most_cases_first(const void *a, const void *b)
{
    const struct sla_row *x = a, *y = b;
    if (x->cases != y->cases)
        return (x->cases < y->cases) - (x->cases > y->cases);
    if (x->actor_id != y->actor_id)
        return (x->actor_id > y->actor_id) - (x->actor_id < y->actor_id);
    return (x->step > y->step) - (x->step < y->step);
}

int sla_report_by_actor(struct sla_sample *samples, size_t count, struct sla_row *rows,
                        size_t max, size_t *row_count)
{
    if (!rows || !row_count || (count && !samples))
        return -EINVAL;
    *row_count = 0;
    if (count)
        qsort(samples, count, sizeof *samples, by_actor_then_step);
    for (size_t at = 0; at < count && *row_count < max;) {
        size_t end = at;
        while (end < count && samples[end].actor_id == samples[at].actor_id &&
               samples[end].step == samples[at].step)
            end++;
        struct sla_row *row = &rows[(*row_count)++];
        *row = (struct sla_row){ .step = samples[at].step, .actor_id = samples[at].actor_id };
        int rc = summarise(samples, at, end, row);
        if (rc)
            return rc;
        at = end;
    }
    qsort(rows, *row_count, sizeof *rows, most_cases_first);
    return 0;
}
