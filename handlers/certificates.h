/* certificates: the register of certificate holders in chat (/sertifikat,
 * /certificate), and what the other register files share.
 *
 * /sertifikat for officials and admins: "<nama atau NIP>" searches, "opd"
 * lists the agencies with their holders' counts as buttons, "habis [N]"
 * lists the certificates ending in the next N days (60 by default), "csv"
 * sends the admins the whole register as a CSV document. An applicant's
 * operator sees the holders of their own agency only: without words the
 * list, "habis [N]" theirs ending, other words a search among them.
 *
 * Callback data "crt:a:<agency>:<page>" (an agency's holders), "crt:h:<days>:
 * <page>" (ending), "crt:s:<page>" (the person's last search, kept in the
 * state table), "crt:o" (the agencies); every press is checked again. */
#ifndef SERTIBOT_CERTIFICATES_H
#define SERTIBOT_CERTIFICATES_H

#include <stddef.h>
#include <stdint.h>

#include "db_certificates.h"
#include "texts.h"

struct app;

/* The days "habis" looks ahead without a number. */
#define CERT_ENDING_DAYS_DEFAULT 60
/* The rows one message shows; a page stays well under Telegram's 4096. */
#define CERT_PAGE_ROWS 8
/* The most rows a list reads. */
#define CERT_LIST_MAX 1000

/* One register row as the lists show it: name, NIP as letters print it,
 * jabatan, agency (when `with_agency`), status label, valid until in words. */
void certificates_row_text(struct text *t, struct app *app, const char *lang,
                           const struct db_certificate *c, bool with_agency);

/* certificates_csv.c: the whole register as a CSV document sent to `chat`
 * (the admins' export, /sertifikat csv). */
struct handler_ctx;
int certificates_csv_send(struct handler_ctx *ctx);

/* certificates_jobs.c: once a WIB day, the rows whose validity ended before
 * today are flagged expired (jobs.c runs it quarantined). */
int certificates_expire_run(struct app *app, int64_t now_ms);

/* certificates_report.c: the register's section of the monthly report of
 * `year`-`month`, appended to `t`. */
int certificates_report_section(struct text *t, struct app *app, int year, int month,
                                int64_t now_ms);

#endif
