/* letters: the recommendation, the notification and the disposition sheet as
 * PDF files; see letters.h for the contract.
 *
 * Each document is built by one function that adds its blocks top to bottom
 * through a struct letter. The struct remembers the first error, and every
 * helper does nothing once there is one, so the builders read like the
 * letter they write and check once, at the end, before rendering.
 *
 * pdf_doc lays out as blocks are added and cannot keep two blocks together,
 * so a letter whose signature lands alone on a new page is simply built a
 * second time with a page break before its closing paragraph: building is
 * cheap next to the cost of an official letter that looks wrong. */
#include "letters.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "case_card.h"
#include "config.h"
#include "db_letters.h"
#include "db_registry.h"
#include "i18n.h"
#include "log.h"
#include "office_calendar.h"
#include "pdf_doc.h"
#include "template.h"
#include "utf8.h"

#define ADDRESSEE_SIZE 11.0
#define COPY_SIZE 10.0
#define SMALL_SIZE 8.0
#define LETTER_LABEL_WIDTH 70.0 /* Nomor, Tanggal, Sifat, Lampiran, Hal */
#define SHEET_LABEL_WIDTH 150.0 /* "Nomor dan tanggal surat" */
#define HOLDER_COLUMNS 5
#define TABLE_TEXT_SIZE 10.0    /* pdf_doc's table text */
#define TABLE_CELL_PADDING 9.0  /* pdf_doc's 4 pt each side, and a point to spare */
#define EMAIL_MAX_SHARE 0.38    /* of the text width */
#define NAME_MIN_SHARE 0.30     /* Nama and Jabatan together, at the least */
#define DISPOSITIONS_MAX 16     /* a case is dispositioned twice, more after returns */
#define AUDIT_SCAN 100          /* how far back to look for BSrE's reply */
#define TEXT_SIZE 512           /* a filled line: a name, a date, a field value */

struct letter {
    struct app *app;
    const struct db_case *c;
    struct pdf_doc *doc;
    int64_t now_ms;
    enum letters_kind kind;
    const struct db_outgoing_letter *numbered; /* NULL: the draft */
    struct db_agency agency;
    bool keep_closing;    /* break the page before the closing paragraph */
    bool signature_alone; /* the signature or Tembusan went to a page of its own */
    int rc; /* the first error; once set, the helpers add nothing */
};

/* --- plain-text templates ---------------------------------------------------- */

/* The template with name/value pairs (NULL-ended) filled in as plain text.
 * i18n_format would escape the values for Telegram HTML, and a PDF would then
 * show "&amp;" for "&": letters are not HTML. malloc'd; NULL on ENOMEM. */
static char *fill_v(const char *tpl, va_list ap)
{
    struct template_values values;
    int rc = template_values_from(&values, ap);
    assert(rc == 0); /* no sentence of ours has that many placeholders */
    (void)rc;
    struct buf out = { 0 };
    template_fill(&out, tpl, &values, NULL);
    if (out.failed) {
        free(out.data);
        return NULL;
    }
    return out.data;
}

/* The catalog's Indonesian sentence `key`, unfilled. */
static const char *say(const struct letter *l, const char *key)
{
    return i18n_text(l->app->i18n, LETTERS_LANG, key);
}

/* True if the catalog has `key` (i18n_text hands back the key itself when not). */
static bool has_text(const struct letter *l, const char *key)
{
    return say(l, key) != key;
}

static void fail(struct letter *l, int rc)
{
    if (!l->rc && rc)
        l->rc = rc;
}

/* The sentence `key` filled with name/value pairs; malloc'd, NULL on error
 * (recorded in l). */
__attribute__((sentinel))
static char *format(struct letter *l, const char *key, ...)
{
    if (l->rc)
        return NULL;
    va_list ap;
    va_start(ap, key);
    char *text = fill_v(say(l, key), ap);
    va_end(ap);
    if (!text)
        fail(l, -ENOMEM);
    return text;
}

/* The same into a fixed buffer, cut if longer (the values are bounded by the
 * records' own buffers). */
__attribute__((sentinel))
static void format_into(struct letter *l, char *out, size_t size, const char *key, ...)
{
    out[0] = '\0';
    if (l->rc)
        return;
    va_list ap;
    va_start(ap, key);
    char *text = fill_v(say(l, key), ap);
    va_end(ap);
    if (!text) {
        fail(l, -ENOMEM);
        return;
    }
    utf8_copy(out, size, text);
    free(text);
}

/* --- dates and words -------------------------------------------------------- */

/* "26 November 2026": the long form of letters, with full month names (the
 * chat's month.N are abbreviations). */
static void day_text(struct letter *l, int32_t day, char *out, size_t size)
{
    int y, m, d;
    cal_civil_from_days(day, &y, &m, &d);
    char key[24], dd[8], yy[8];
    snprintf(key, sizeof key, "letter.month.%d", m);
    snprintf(dd, sizeof dd, "%d", d);
    snprintf(yy, sizeof yy, "%d", y);
    format_into(l, out, size, "letter.date", "day", dd, "month", say(l, key), "year", yy, NULL);
}

/* A stored YYYY-MM-DD date in words; a date that does not parse is shown as
 * stored, and a missing one as a blank to fill in. */
static void date_text(struct letter *l, const char *date, char *out, size_t size)
{
    int32_t day;
    if (date && cal_date_parse(date, &day) == 0)
        day_text(l, day, out, size);
    else
        snprintf(out, size, "%s", date && date[0] ? date : say(l, "letter.blank"));
}

/* "26 November 2026 pukul 14.15 WIB". */
static void when_text(struct letter *l, int64_t ms, char *out, size_t size)
{
    char day[64], hh[8], mm[8];
    int32_t d = cal_day_of(ms);
    int64_t minute = (ms - cal_day_start(d)) / CAL_MINUTE_MS;
    day_text(l, d, day, sizeof day);
    snprintf(hh, sizeof hh, "%02d", (int)(minute / 60));
    snprintf(mm, sizeof mm, "%02d", (int)(minute % 60));
    format_into(l, out, size, "letter.datetime", "date", day, "hour", hh, "minute", mm, NULL);
}

/* The letter's nature in words. The record keeps catalog keys joined by '+'
 * ("segera+rahasia", as the disposition card stores them; ',' is read too);
 * each becomes its "sifat." text, a key the catalog lacks stays as written,
 * and nothing at all reads Biasa. */
static void sifat_text(struct letter *l, const char *sifat, char *out, size_t size)
{
    out[0] = '\0';
    size_t n = 0;
    for (const char *p = sifat ? sifat : ""; *p;) {
        size_t len = strcspn(p, "+,");
        char word[32], key[48];
        snprintf(word, sizeof word, "%.*s", (int)len, p);
        p += len + (p[len] ? 1 : 0);
        if (!word[0])
            continue;
        snprintf(key, sizeof key, "sifat.%s", word);
        const char *text = has_text(l, key) ? say(l, key) : word;
        n += (size_t)snprintf(out + n, n < size ? size - n : 0, "%s%s", n ? ", " : "", text);
        if (n >= size)
            return;
    }
    if (!out[0])
        snprintf(out, size, "%s", say(l, "sifat.biasa"));
}

/* --- blocks ----------------------------------------------------------------- */

static void add_text(struct letter *l, const char *text, enum pdf_font font, double size,
                     enum pdf_align align)
{
    if (!l->rc && text)
        fail(l, pdf_doc_text(l->doc, text, font, size, align));
}

/* A paragraph from the catalog, filled with name/value pairs (NULL-ended). */
__attribute__((sentinel))
static void add_paragraph(struct letter *l, const char *key, ...)
{
    if (l->rc)
        return;
    va_list ap;
    va_start(ap, key);
    char *text = fill_v(say(l, key), ap);
    va_end(ap);
    if (!text)
        fail(l, -ENOMEM);
    else
        fail(l, pdf_doc_paragraph(l->doc, text));
    free(text);
}

static void add_field(struct letter *l, const char *label_key, const char *value)
{
    if (!l->rc)
        fail(l, pdf_doc_field(l->doc, say(l, label_key), value));
}

static void add_space(struct letter *l, double points)
{
    if (!l->rc)
        fail(l, pdf_doc_space(l->doc, points));
}

/* The kop surat (pdf_doc_letterhead): the emblem at the left when one is
 * configured (letter.emblem_file), letter.head's lines (else the catalog's
 * city and agency), the address (letter.address, else the catalog's), and
 * the double rule under them. */
static void add_letterhead(struct letter *l)
{
    if (l->rc)
        return;
    const struct config_letter *cfg = l->app->cfg ? &l->app->cfg->letter : NULL;
    const char *fallback[] = { say(l, "letter.head.government"), say(l, "letter.head.agency") };
    bool configured = cfg && cfg->head_count > 0;
    const char *const *lines = configured ? (const char *const *)cfg->head : fallback;
    size_t count = configured ? cfg->head_count : 2;
    const char *address = cfg && cfg->address ? cfg->address : say(l, "letter.head.address");
    fail(l, pdf_doc_letterhead(l->doc, cfg ? cfg->emblem : NULL, cfg ? cfg->emblem_len : 0, lines,
                               count, address));
}

/* Nomor (the register's number once signed, else the format with "draf"
 * for the sequence), Tanggal (the day it was signed, else today), Sifat,
 * Lampiran, Hal. */
static void add_letter_fields(struct letter *l, const char *attachment, const char *subject)
{
    char date[64], sifat[128], number[DB_LETTER_NUMBER_MAX];
    if (l->numbered) {
        snprintf(number, sizeof number, "%s", l->numbered->number);
        date_text(l, l->numbered->letter_date, date, sizeof date);
    } else {
        int y, m, d;
        cal_civil_from_days(cal_day_of(l->now_ms), &y, &m, &d);
        fail(l, letters_number_text(l->app->cfg, l->kind, 0, y, say(l, "letters.number_draft"),
                                    number, sizeof number));
        day_text(l, cal_day_of(l->now_ms), date, sizeof date);
    }
    sifat_text(l, l->c->sifat, sifat, sizeof sifat);
    if (!l->rc)
        fail(l, pdf_doc_field_label_width(l->doc, LETTER_LABEL_WIDTH));
    add_field(l, "letter.label.number", number);
    add_field(l, "letter.label.date", date);
    add_field(l, "letter.label.sifat", sifat);
    add_field(l, "letter.label.attachment", attachment);
    add_field(l, "letter.label.subject", subject);
    add_space(l, 12);
}

/* The addressee block from the catalog (it says "Kepada Yth. ..."). */
static void add_addressee(struct letter *l, const char *key)
{
    char *text = format(l, key, "agency", l->agency.name, NULL);
    add_text(l, text, PDF_FONT_REGULAR, ADDRESSEE_SIZE, PDF_ALIGN_LEFT);
    free(text);
    add_space(l, 12);
}

/* Every holder of the case, in the order the applicant gave them. The
 * buffer grows until the list fits, so no holder is ever left out. */
static int load_holders(struct letter *l, struct db_holder **out, size_t *count)
{
    size_t max = (l->c->holders_count > 0 ? (size_t)l->c->holders_count : 0) + 8;
    for (;;) {
        struct db_holder *holders = calloc(max, sizeof *holders);
        if (!holders)
            return -ENOMEM;
        int rc = db_holders_list(l->app->db, l->c->wf.case_id, holders, max, count);
        if (rc == 0 && *count < max) {
            *out = holders;
            return 0;
        }
        free(holders);
        if (rc)
            return rc;
        if (max > SIZE_MAX / 2 / sizeof *holders)
            return -ENOMEM;
        max *= 2;
    }
}

/* The widest of `header` (bold) and the holders' field at `offset`
 * (regular), in the table's 10 pt, plus the cell's padding. */
static double column_need(const struct pdf_doc *doc, const char *header,
                          const struct db_holder *holders, size_t count, size_t offset)
{
    double widest = pdf_doc_measure(doc, PDF_FONT_BOLD, TABLE_TEXT_SIZE, header);
    for (size_t i = 0; i < count; i++) {
        const char *field = (const char *)&holders[i] + offset;
        double w = pdf_doc_measure(doc, PDF_FONT_REGULAR, TABLE_TEXT_SIZE, field);
        widest = w > widest ? w : widest;
    }
    return widest + TABLE_CELL_PADDING;
}

/* No, Nama, NIP, Jabatan, Email. A NIP or an e-mail address cut in the middle
 * reads badly and a name or a position wraps well at its spaces, so No, NIP
 * and Email get the width their longest entry needs (Email up to a cap), and
 * Nama and Jabatan share the rest. */
static void add_holders_table(struct letter *l, const struct db_holder *holders, size_t count)
{
    static const char *const keys[HOLDER_COLUMNS] = {
        "letter.table.no", "letter.table.name", "letter.table.nip", "letter.table.jabatan",
        "letter.table.email",
    };
    if (l->rc)
        return;
    const char *headers[HOLDER_COLUMNS];
    for (size_t i = 0; i < HOLDER_COLUMNS; i++)
        headers[i] = say(l, keys[i]);
    char last[24];
    snprintf(last, sizeof last, "%zu", count);
    double no = pdf_doc_measure(l->doc, PDF_FONT_BOLD, TABLE_TEXT_SIZE, headers[0]);
    double no_digits = pdf_doc_measure(l->doc, PDF_FONT_REGULAR, TABLE_TEXT_SIZE, last);
    no = (no > no_digits ? no : no_digits) + TABLE_CELL_PADDING;
    double nip = column_need(l->doc, headers[2], holders, count, offsetof(struct db_holder, nip));
    double email =
        column_need(l->doc, headers[4], holders, count, offsetof(struct db_holder, email));
    if (email > EMAIL_MAX_SHARE * PDF_DOC_TEXT_WIDTH)
        email = EMAIL_MAX_SHARE * PDF_DOC_TEXT_WIDTH;
    double rest = PDF_DOC_TEXT_WIDTH - no - nip - email;
    if (rest < NAME_MIN_SHARE * PDF_DOC_TEXT_WIDTH) /* only with absurd entries */
        rest = NAME_MIN_SHARE * PDF_DOC_TEXT_WIDTH;
    const double widths[HOLDER_COLUMNS] = { no, rest * 0.55, nip, rest * 0.45, email };
    fail(l, pdf_doc_table_begin(l->doc, HOLDER_COLUMNS, headers, widths));
    for (size_t i = 0; i < count && !l->rc; i++) {
        char number[24];
        snprintf(number, sizeof number, "%zu", i + 1);
        const char *cells[HOLDER_COLUMNS] = { number, holders[i].name, holders[i].nip,
                                              holders[i].jabatan, holders[i].email };
        fail(l, pdf_doc_table_row(l->doc, cells));
    }
    if (!l->rc)
        fail(l, pdf_doc_table_end(l->doc));
}

struct signer {
    int64_t id;         /* 0 when nobody is known */
    bool plh;
    bool plt; /* with plh: the appointment is a Plt. (vacant post) */
    char name[DB_NAME_MAX];
    struct db_official_details details;
};

/* Who signs: the one recorded when the letter was numbered; for a draft,
 * the Plh Kadis in force today, else the active Kadis (the first by name,
 * should there be two), else a blank. */
static int find_signer(struct letter *l, struct signer *who)
{
    memset(who, 0, sizeof *who);
    int rc = 0;
    if (l->numbered) {
        who->id = l->numbered->signer_id;
        who->plh = l->numbered->via_plh;
        struct db_plh acting;
        rc = who->plh ? db_plh_of_acting(l->app->db, ROLE_KADIS, who->id,
                                         l->numbered->letter_date, &acting)
                      : -ENOENT;
        if (rc == 0)
            who->plt = acting.kind == DB_PLH_KIND_PLT;
        else if (rc != -ENOENT)
            return rc;
    } else {
        char today[CAL_DATE_SIZE];
        cal_date_format(cal_day_of(l->now_ms), today);
        struct db_plh acting;
        rc = db_plh_for_role(l->app->db, ROLE_KADIS, today, &acting);
        if (rc == 0) {
            who->id = acting.acting_id;
            who->plh = true;
            who->plt = acting.kind == DB_PLH_KIND_PLT;
        } else if (rc != -ENOENT) {
            return rc;
        } else {
            struct db_official kadis[4];
            size_t n = 0;
            rc = db_officials_list(l->app->db, ROLE_KADIS, kadis, 4, &n);
            if (rc)
                return rc;
            who->id = n ? kadis[0].telegram_id : 0;
        }
    }
    if (!who->id) {
        snprintf(who->name, sizeof who->name, "%s", say(l, "letter.sign.name_blank"));
        return 0;
    }
    rc = db_person_name(l->app->db, who->id, who->name, sizeof who->name);
    if (rc)
        return rc;
    rc = db_official_details_get(l->app->db, who->id, &who->details);
    return rc == -ENOENT ? 0 : rc; /* a Plh need not be an official */
}

/* The lines under the name: pangkat/golongan, then "NIP. 19700101 199003 1
 * 002"; a line whose value is not configured is left out, never dotted. */
static void signer_id_lines(struct letter *l, const struct signer *who, char *out, size_t size)
{
    char nip[DB_NIP_MAX + 8] = "", nip_line[64] = "";
    if (who->details.nip[0]) {
        config_nip_format(who->details.nip, nip, sizeof nip);
        format_into(l, nip_line, sizeof nip_line, "letters.sign.nip", "nip", nip, NULL);
    }
    snprintf(out, size, "%s%s%s", who->details.rank,
             who->details.rank[0] && nip_line[0] ? "\n" : "", nip_line);
}

/* The closing paragraph, the signature block and the Tembusan (`copies`,
 * NULL for none). Neither the signature nor the Tembusan may stand alone at
 * the top of a page (tata naskah dinas wants some of the text above the
 * signature): when one would, the letter is built again with the closing
 * paragraph moved to that page (l->keep_closing). The date is in the
 * header's Tanggal field already, so the block starts with the position,
 * then the name with titles, pangkat/golongan and NIP (see signer_id_lines). */
static void add_closing_and_signature(struct letter *l, const char *closing_key,
                                      const char *copies)
{
    if (l->rc)
        return;
    struct signer who;
    int rc = find_signer(l, &who);
    if (rc) {
        fail(l, rc);
        return;
    }
    char id_lines[DB_LETTER_TEXT_MAX + 64];
    signer_id_lines(l, &who, id_lines, sizeof id_lines);
    if (l->keep_closing)
        add_space(l, PDF_DOC_PAGE_HEIGHT); /* ends the page: see pdf_doc_space */
    add_paragraph(l, closing_key, NULL);
    size_t pages = pdf_doc_page_count(l->doc);
    add_space(l, 8);
    if (!l->rc)
        fail(l, pdf_doc_signature(l->doc, "",
                                  say(l, who.plt   ? "letter.sign.title_plt"
                                        : who.plh ? "letter.sign.title_plh"
                                                  : "letter.sign.title"),
                                  who.details.title[0] ? who.details.title : who.name,
                                  id_lines));
    if (copies) {
        add_space(l, 14);
        add_text(l, copies, PDF_FONT_REGULAR, COPY_SIZE, PDF_ALIGN_LEFT);
    }
    l->signature_alone = pdf_doc_page_count(l->doc) > pages;
}

/* Opens the document with the case's agency; the caller checked the
 * arguments. */
static int start(struct letter *l, struct app *app, const struct db_case *c,
                 enum letters_kind kind, const struct db_outgoing_letter *numbered,
                 bool keep_closing)
{
    *l = (struct letter){ .app = app, .c = c, .now_ms = clock_now_ms(&app->clock),
                          .kind = kind, .numbered = numbered, .keep_closing = keep_closing };
    int rc = db_agency_get(app->db, c->wf.agency_id, &l->agency);
    if (rc == -ENOENT)
        snprintf(l->agency.name, sizeof l->agency.name, "%s", say(l, "letter.blank"));
    else if (rc)
        return rc;
    rc = pdf_doc_create(&l->doc);
    if (rc)
        return rc;
    const char *font = app->cfg ? app->cfg->letter.font : NULL;
    if (font && pdf_doc_set_font_family(l->doc, font) == -ENOENT)
        log_warn("letters", "letter.font: no installed font is called \"%s\"; using %s", font,
                 PDF_DOC_DEFAULT_FAMILY);
    /* The file's date is the letter's: the same letter gives the same bytes. */
    char today[CAL_DATE_SIZE];
    cal_date_format(cal_day_of(l->now_ms), today);
    return pdf_doc_set_date(l->doc, numbered ? numbered->letter_date : today);
}

/* Builds a document with `build` and renders it with the title `title_key`
 * ({number}: the case's). A letter whose signature ends up alone on a page
 * is built a second time, keeping its closing paragraph with it. */
static int produce(struct app *app, const struct db_case *c, enum letters_kind kind,
                   const struct db_outgoing_letter *numbered, void (*build)(struct letter *),
                   const char *title_key, unsigned char **pdf, size_t *size)
{
    if (pdf)
        *pdf = NULL;
    if (size)
        *size = 0;
    if (!app || !c || !pdf || !size)
        return -EINVAL;
    struct letter l;
    for (int attempt = 0;; attempt++) {
        int rc = start(&l, app, c, kind, numbered, attempt > 0);
        if (rc) {
            pdf_doc_free(l.doc);
            return rc;
        }
        build(&l);
        if (l.rc || !l.signature_alone || attempt > 0)
            break;
        pdf_doc_free(l.doc);
    }
    char *title = format(&l, title_key, "number", c->number, NULL);
    int rc = l.rc;
    if (!rc)
        rc = pdf_doc_render(l.doc, title, pdf, size);
    free(title);
    pdf_doc_free(l.doc);
    return rc;
}

/* --- the recommendation ------------------------------------------------------ */

static void build_recommendation(struct letter *l)
{
    const struct db_case *c = l->c;
    struct db_holder *holders = NULL;
    size_t count = 0;
    fail(l, load_holders(l, &holders, &count));

    char attachment[64], count_text[24], letter_date[64], pks_date[64];
    snprintf(count_text, sizeof count_text, "%zu", count);
    format_into(l, attachment, sizeof attachment, "letter.attachment_count", "count", count_text,
                NULL);
    date_text(l, c->letter_date, letter_date, sizeof letter_date);
    const struct config *cfg = l->app->cfg;
    bool pks = cfg && cfg->has_pks;
    date_text(l, pks && cfg->pks_signed[0] ? cfg->pks_signed : NULL, pks_date, sizeof pks_date);
    const char *pks_number = pks && cfg->pks_number && cfg->pks_number[0]
                                 ? cfg->pks_number
                                 : say(l, "letter.blank");

    add_letterhead(l);
    bool renewal = c->kind == DB_CASE_RENEWAL;
    add_letter_fields(l, attachment,
                      say(l, renewal ? "letter.rec.subject_renewal" : "letter.rec.subject"));
    add_addressee(l, "letter.rec.to");
    add_paragraph(l, "letter.opening", NULL);
    add_paragraph(l, renewal ? "letter.rec.body_renewal" : "letter.rec.body", "agency", l->agency.name, "letter_number",
                  c->letter_number, "letter_date", letter_date, "subject", c->subject,
                  "pks_number", pks_number, "pks_date", pks_date, "count", count_text, NULL);
    add_holders_table(l, holders, count);
    add_paragraph(l, "letter.rec.requirements", NULL);
    char *copies = format(l, "letter.rec.copies", "agency", l->agency.name, NULL);
    add_closing_and_signature(l, "letter.rec.closing", copies);
    free(copies);
    free(holders);
}

int letters_recommendation(struct app *app, const struct db_case *c, unsigned char **pdf,
                           size_t *size)
{
    return letters_render(app, c, LETTERS_RECOMMENDATION, NULL, pdf, size);
}

/* --- the notification -------------------------------------------------------- */

/* The note of the newest recorded BSrE reply (the reason of a rejection or
 * of "incomplete"); "" when there is none. */
static int bsre_reason(struct letter *l, char *out, size_t size)
{
    out[0] = '\0';
    struct db_audit_row *rows = calloc(AUDIT_SCAN, sizeof *rows);
    if (!rows)
        return -ENOMEM;
    size_t count = 0;
    int rc = db_audit_list(l->app->db, l->c->wf.case_id, rows, AUDIT_SCAN, &count);
    const char *event = wf_event_name(WF_EV_BSRE_REPLY);
    for (size_t i = count; rc == 0 && i-- > 0;) {
        if (strcmp(rows[i].event, event) == 0) {
            utf8_copy(out, size, rows[i].note);
            break;
        }
    }
    free(rows);
    return rc;
}

static void build_notification(struct letter *l)
{
    const struct db_case *c = l->c;
    struct db_holder *holders = NULL;
    size_t count = 0;
    fail(l, load_holders(l, &holders, &count));
    char reason[DB_TEXT_MAX] = "";
    if (c->wf.bsre_outcome != WF_BSRE_ACCEPTED && !l->rc)
        fail(l, bsre_reason(l, reason, sizeof reason));
    char letter_date[64];
    date_text(l, c->letter_date, letter_date, sizeof letter_date);

    add_letterhead(l);
    add_letter_fields(l, say(l, "letter.attachment_none"),
                      say(l, c->kind == DB_CASE_RENEWAL ? "letter.notif.subject_renewal"
                                                        : "letter.notif.subject"));
    add_addressee(l, "letter.notif.to");
    add_paragraph(l, "letter.opening", NULL);
    add_paragraph(l, "letter.notif.intro", "agency", l->agency.name, "letter_number",
                  c->letter_number, "letter_date", letter_date, "subject", c->subject, NULL);
    add_holders_table(l, holders, count);
    free(holders);
    switch (c->wf.bsre_outcome) {
    case WF_BSRE_ACCEPTED:
        add_paragraph(l, "letter.notif.accepted", NULL);
        if (c->wf.session_at_ms > 0) {
            char when[96];
            when_text(l, c->wf.session_at_ms, when, sizeof when);
            add_paragraph(l, "letter.notif.session_set", "when", when, "place",
                          c->session_place[0] ? c->session_place : say(l, "letter.blank"),
                          NULL);
        } else {
            add_paragraph(l, "letter.notif.session_planned", "agency", l->agency.name, NULL);
        }
        add_paragraph(l, "letter.notif.security", NULL);
        break;
    case WF_BSRE_REJECTED:
        add_paragraph(l, "letter.notif.rejected", NULL);
        if (reason[0])
            add_paragraph(l, "letter.notif.reason", "reason", reason, NULL);
        add_paragraph(l, "letter.notif.rejected_next", NULL);
        break;
    default: /* WF_BSRE_INCOMPLETE: the case goes back to step 3 */
        add_paragraph(l, "letter.notif.incomplete", NULL);
        if (reason[0])
            add_paragraph(l, "letter.notif.reason", "reason", reason, NULL);
        add_paragraph(l, "letter.notif.incomplete_next", "agency", l->agency.name, NULL);
        break;
    }
    add_closing_and_signature(l, "letter.notif.closing", NULL);
}

int letters_notification(struct app *app, const struct db_case *c, unsigned char **pdf,
                         size_t *size)
{
    return letters_render(app, c, LETTERS_NOTIFICATION, NULL, pdf, size);
}

/* --- the disposition sheet --------------------------------------------------- */

/* True if `index` (0-based, as the disposition card numbers the configured
 * instructions) is in the comma-separated list `chosen`. */
static bool instruction_chosen(const char *chosen, size_t index)
{
    for (const char *p = chosen; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        if (isdigit((unsigned char)*p)) {
            char *end;
            unsigned long value = strtoul(p, &end, 10);
            while (*end == ' ')
                end++;
            if ((*end == ',' || *end == '\0') && value == index)
                return true;
            p = end;
        }
        p += strcspn(p, ",");
    }
    return false;
}

/* An official's position as the sheet writes it ("Kepala Dinas"), from the
 * role key recorded; a key the catalog lacks is shown as stored. */
static const char *sheet_role(struct letter *l, const char *role, char *key, size_t size)
{
    snprintf(key, size, "sheet.role.%s", role);
    return has_text(l, key) ? say(l, key) : role;
}

/* One disposition: who, when, to whom, the instruction boxes, the note. */
static void add_disposition(struct letter *l, const struct db_disposition *d, size_t n)
{
    char text[TEXT_SIZE], key[48], name[DB_TEXT_MAX], number[24];
    snprintf(number, sizeof number, "%zu", n);
    format_into(l, text, sizeof text, "sheet.disposition_head", "n", number, NULL);
    if (!l->rc)
        fail(l, pdf_doc_heading(l->doc, text, PDF_ALIGN_LEFT));

    snprintf(name, sizeof name, "%s", d->author_name);
    if (!name[0] && !l->rc)
        fail(l, db_person_name(l->app->db, d->author_id, name, sizeof name));
    const char *from_key = d->via_plh ? "sheet.from_plh" : "sheet.from";
    struct db_plh acting;
    char day[CAL_DATE_SIZE];
    cal_date_format(cal_day_of(d->at), day);
    if (d->via_plh && !l->rc &&
        db_plh_of_acting(l->app->db, role_parse(d->acted_as), d->author_id, day, &acting) == 0 &&
        acting.kind == DB_PLH_KIND_PLT)
        from_key = "sheet.from_plt";
    format_into(l, text, sizeof text, from_key, "name", name,
                "role", sheet_role(l, d->acted_as, key, sizeof key), NULL);
    add_field(l, "sheet.label.from", text);
    when_text(l, d->at, text, sizeof text);
    add_field(l, "sheet.label.at", text);
    const char *to = d->step == 1 ? "kabid" : d->step == 2 ? "kasi" : NULL;
    add_field(l, "sheet.label.to",
              to ? sheet_role(l, to, key, sizeof key) : say(l, "letter.blank"));
    if (d->sifat[0]) {
        sifat_text(l, d->sifat, text, sizeof text);
        add_field(l, "sheet.label.sifat", text);
    }
    add_text(l, say(l, "sheet.label.instructions"), PDF_FONT_REGULAR, 11, PDF_ALIGN_LEFT);
    size_t count = card_instruction_count(l->app);
    for (size_t i = 0; i < count && !l->rc; i++)
        fail(l, pdf_doc_checkbox_line(l->doc, instruction_chosen(d->instructions, i),
                                      card_instruction_label(l->app, LETTERS_LANG, i)));
    add_space(l, 4);
    add_field(l, "sheet.label.note", d->note[0] ? d->note : say(l, "sheet.no_note"));
    add_space(l, 10);
}

static void build_disposition_sheet(struct letter *l)
{
    const struct db_case *c = l->c;
    struct db_disposition *dispositions = calloc(DISPOSITIONS_MAX, sizeof *dispositions);
    size_t count = 0;
    if (!dispositions)
        fail(l, -ENOMEM);
    else
        fail(l, db_dispositions_list(l->app->db, c->wf.case_id, dispositions, DISPOSITIONS_MAX,
                                      &count));

    char agenda[32], received[96], letter_date[64], letter[TEXT_SIZE], sifat[128];
    if (c->agenda_number > 0)
        snprintf(agenda, sizeof agenda, "%04d/%d", c->agenda_number, c->agenda_year);
    else
        snprintf(agenda, sizeof agenda, "%s", say(l, "letter.blank"));
    when_text(l, c->created_at, received, sizeof received);
    date_text(l, c->letter_date, letter_date, sizeof letter_date);
    format_into(l, letter, sizeof letter, "sheet.letter_value", "letter_number",
                c->letter_number, "letter_date", letter_date, NULL);
    /* The case keeps the nature the Kadis chose; before that, the latest
     * disposition's, else Biasa. */
    const char *chosen = c->sifat;
    for (size_t i = count; !chosen[0] && i-- > 0;)
        chosen = dispositions[i].sifat;
    sifat_text(l, chosen, sifat, sizeof sifat);

    add_letterhead(l);
    if (!l->rc)
        fail(l, pdf_doc_heading(l->doc, say(l, "sheet.title"), PDF_ALIGN_CENTER));
    add_space(l, 6);
    if (!l->rc)
        fail(l, pdf_doc_field_label_width(l->doc, SHEET_LABEL_WIDTH));
    /* In the order of the form: the letter, its arrival, then what it is. */
    add_field(l, "sheet.label.sender", l->agency.name);
    add_field(l, "sheet.label.letter", letter);
    add_field(l, "sheet.label.received", received);
    add_field(l, "sheet.label.agenda", agenda);
    add_field(l, "sheet.label.sifat", sifat);
    add_field(l, "sheet.label.subject", c->subject);
    if (!l->rc)
        fail(l, pdf_doc_rule(l->doc));
    add_space(l, 8);
    for (size_t i = 0; i < count; i++)
        add_disposition(l, &dispositions[i], i + 1);
    if (count == 0)
        add_paragraph(l, "sheet.none", NULL);
    free(dispositions);

    char now[96];
    when_text(l, l->now_ms, now, sizeof now);
    char *made = format(l, "sheet.generated", "when", now, NULL);
    add_text(l, made, PDF_FONT_REGULAR, SMALL_SIZE, PDF_ALIGN_LEFT);
    free(made);
}

int letters_disposition_sheet(struct app *app, const struct db_case *c, unsigned char **pdf,
                              size_t *size)
{
    return letters_render(app, c, LETTERS_DISPOSITION, NULL, pdf, size);
}

/* --- the kinds, the numbers -------------------------------------------------- */

static const char *const kind_names[LETTERS_KIND_COUNT] = {
    [LETTERS_RECOMMENDATION] = "recommendation",
    [LETTERS_NOTIFICATION] = "notification",
    [LETTERS_DISPOSITION] = "disposition",
};

const char *letters_kind_name(enum letters_kind kind)
{
    return (unsigned)kind < LETTERS_KIND_COUNT ? kind_names[kind] : NULL;
}

int letters_kind_parse(const char *name, enum letters_kind *kind)
{
    for (size_t i = 0; name && i < LETTERS_KIND_COUNT; i++) {
        if (strcmp(name, kind_names[i]) == 0) {
            *kind = (enum letters_kind)i;
            return 0;
        }
    }
    return -EINVAL;
}

int letters_number_text(const struct config *cfg, enum letters_kind kind, int seq, int year,
                        const char *draft_word, char *out, size_t size)
{
    if (!out || size == 0 || (seq <= 0 && !draft_word) || kind == LETTERS_DISPOSITION ||
        (unsigned)kind >= LETTERS_KIND_COUNT)
        return -EINVAL;
    const struct config_letter *letter = cfg ? &cfg->letter : NULL;
    const char *format = letter && letter->number_format ? letter->number_format
                                                         : CONFIG_LETTER_DEFAULT_FORMAT;
    const char *unit = letter && letter->unit_code ? letter->unit_code
                                                   : CONFIG_LETTER_DEFAULT_UNIT;
    const char *class_code = kind == LETTERS_RECOMMENDATION
                                 ? (letter ? letter->class_recommendation : NULL)
                                 : (letter ? letter->class_notification : NULL);
    char seq_text[16], year_text[16];
    snprintf(seq_text, sizeof seq_text, "%d", seq);
    snprintf(year_text, sizeof year_text, "%d", year);
    const struct template_values values = {
        .names = { "class", "seq", "unit", "year" },
        .values = { class_code ? class_code : CONFIG_LETTER_DEFAULT_CLASS,
                    seq > 0 ? seq_text : draft_word, unit, year_text },
        .count = 4,
    };
    struct buf filled = { 0 };
    template_fill(&filled, format, &values, NULL);
    int rc = filled.failed ? -ENOMEM : filled.len >= size ? -ENAMETOOLONG : 0;
    if (!rc)
        memcpy(out, filled.data, filled.len + 1);
    free(filled.data);
    return rc;
}

int letters_render(struct app *app, const struct db_case *c, enum letters_kind kind,
                   const struct db_outgoing_letter *numbered, unsigned char **pdf, size_t *size)
{
    if (pdf)
        *pdf = NULL;
    if (size)
        *size = 0;
    switch (kind) {
    case LETTERS_RECOMMENDATION:
        return produce(app, c, kind, numbered, build_recommendation,
                       numbered ? "letters.rec.doc_title_signed" : "letter.rec.doc_title", pdf,
                       size);
    case LETTERS_NOTIFICATION:
        if (c && (c->wf.bsre_outcome <= WF_BSRE_NONE || c->wf.bsre_outcome >= WF_BSRE_END))
            return -EINVAL;
        return produce(app, c, kind, numbered, build_notification, "letter.notif.doc_title",
                       pdf, size);
    case LETTERS_DISPOSITION:
        return produce(app, c, kind, NULL, build_disposition_sheet, "sheet.doc_title", pdf,
                       size);
    default:
        return -EINVAL;
    }
}
