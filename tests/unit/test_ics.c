/* The iCalendar writer, read back by an independent parser: Debian's
 * python3-icalendar, run through tests/unit/ics_check.py (its path given as
 * argv[1]), which prints the fields it understood, one per line, JSON-encoded.
 *
 * The shape of the file itself (CRLF everywhere, no line over 75 octets, no
 * UTF-8 character split by a fold) is checked here in C on every file made,
 * since a lenient parser would accept a file that breaks those rules.
 * Expected instants come from this file's own UTC converter, which shares
 * nothing with office_calendar.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ics.h"
#include "office_calendar.h"

static const char *checker; /* path of ics_check.py, from argv[1] */

/* --- this file's own UTC converter (counts days year by year) -------------- */

static int t_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* "YYYY-MM-DD HH:MM:SS" in UTC -> ms since the epoch. */
static int64_t utc(const char *text)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int y, mo, d, h, mi, s;
    assert_int_equal(sscanf(text, "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &s), 6);
    int64_t n = 0;
    for (int yy = 1970; yy < y; yy++)
        n += t_leap(yy) ? 366 : 365;
    for (int mm = 1; mm < mo; mm++)
        n += days[mm - 1] + (mm == 2 && t_leap(y));
    n += d - 1;
    return (((n * 24 + h) * 60 + mi) * 60 + s) * INT64_C(1000);
}

/* --- the session the tests write ------------------------------------------ */

static const struct ics_person ATTENDEES[] = {
    { "Rina Marlina (Pelaksana)", "rina@bekasikota.go.id" },
    { "Dinas Pendidikan", NULL },
};

/* Thursday 2026-12-03, 09:00-10:30 WIB (02:00-03:30 UTC), invited on
 * 2026-11-20 at 08:30 WIB. */
static struct ics_event session(void)
{
    struct ics_event e = {
        .uid = "session-12@sertibot",
        .sequence = 0,
        .method = ICS_REQUEST,
        .start_ms = utc("2026-12-03 02:00:00"),
        .end_ms = utc("2026-12-03 03:30:00"),
        .dtstamp_ms = utc("2026-11-20 01:30:00"),
        .summary = "Pendampingan login, Dinas A; gelombang 2",
        .description = "Bawa KTP; laptop, dan token.\nBerkas di C:\\Sertifikat",
        .location = "Ruang Rapat 2, Lt. 3; Gedung Diskominfo",
        .organizer = { "Kasi \"Budi\" Santoso", "kasi@bekasikota.go.id" },
        .attendees = ATTENDEES,
        .attendees_count = 2,
        .alarm = true,
    };
    return e;
}

/* --- checking the file's shape -------------------------------------------- */

/* Every line ends in CRLF (no bare CR or LF anywhere), holds at most 75
 * octets before it, and a continuation line starts with one space followed
 * by the start of a character, never a UTF-8 continuation byte. Returns the
 * number of continuation lines. */
static int check_lines(const char *ics, size_t size)
{
    assert_int_equal(strlen(ics), size);
    assert_true(size >= 2);
    assert_memory_equal(ics + size - 2, "\r\n", 2);
    int folds = 0;
    size_t start = 0;
    while (start < size) {
        const char *crlf = strstr(ics + start, "\r\n");
        assert_non_null(crlf);
        size_t len = (size_t)(crlf - (ics + start));
        const char *line = ics + start;
        if (len > 75)
            fail_msg("line of %zu octets: %.*s", len, (int)len, line);
        assert_null(memchr(line, '\n', len));
        assert_null(memchr(line, '\r', len));
        assert_true(len > 0);
        if (line[0] == ' ') {
            folds++;
            assert_true(len > 1);
            if (((unsigned char)line[1] & 0xc0) == 0x80)
                fail_msg("fold splits a UTF-8 character: %.*s", (int)len, line);
        }
        start += len + 2;
    }
    return folds;
}

/* The file with every fold (CRLF and a space) taken out: RFC 5545 3.1. */
static char *unfold(const char *ics)
{
    char *out = malloc(strlen(ics) + 1), *o = out;
    assert_non_null(out);
    for (const char *s = ics; *s;) {
        if (s[0] == '\r' && s[1] == '\n' && s[2] == ' ')
            s += 3;
        else
            *o++ = *s++;
    }
    *o = '\0';
    return out;
}

/* True if the unfolded file has `line` as one whole line. */
static bool has_line(const char *unfolded, const char *line)
{
    size_t n = strlen(line);
    for (const char *s = unfolded; (s = strstr(s, line)); s++) {
        bool starts = s == unfolded || (s >= unfolded + 2 && s[-2] == '\r' && s[-1] == '\n');
        if (starts && s[n] == '\r' && s[n + 1] == '\n')
            return true;
    }
    return false;
}

static void assert_line(const char *unfolded, const char *line)
{
    if (!has_line(unfolded, line))
        fail_msg("no line \"%s\" in:\n%s", line, unfolded);
}

/* ics_event, which must succeed, with the shape checked. Returns the file. */
static char *make(const struct ics_event *e)
{
    char *ics = NULL;
    size_t size = 0;
    assert_int_equal(ics_event(e, &ics, &size), 0);
    assert_non_null(ics);
    check_lines(ics, size);
    return ics;
}

/* --- the independent parser ------------------------------------------------ */

/* Writes `ics` to a temporary file, runs ics_check.py on it and returns what
 * it printed. Debian's interpreter is preferred: python3-icalendar is
 * installed for it, and a python3 earlier on PATH (a pyenv one) may lack it. */
static char *read_back(const char *ics)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/test_ics_XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *file = fdopen(fd, "wb");
    assert_non_null(file);
    assert_int_equal(fwrite(ics, 1, strlen(ics), file), strlen(ics));
    assert_int_equal(fclose(file), 0);

    const char *python = access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
    char cmd[8400];
    snprintf(cmd, sizeof cmd, "%s '%s' '%s' 2>&1", python, checker, path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 4096, n = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    for (size_t got; (got = fread(out + n, 1, cap - n - 1, p)) > 0;) {
        n += got;
        if (cap - n < 1024) {
            cap *= 2;
            out = realloc(out, cap);
            assert_non_null(out);
        }
    }
    out[n] = '\0';
    int status = pclose(p);
    unlink(path);
    if (status != 0)
        fail_msg("ics_check.py failed (status %d):\n%s\nfile:\n%s", status, out, ics);
    return out;
}

/* The JSON text of the nth (from 0) line "NAME value" of the checker's
 * output, in a static buffer; NULL if there is no such line. */
static const char *field(const char *out, const char *name, int nth)
{
    static char value[8192];
    size_t n = strlen(name);
    for (const char *s = out; *s;) {
        const char *end = strchr(s, '\n');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        if (len > n && !strncmp(s, name, n) && s[n] == ' ' && nth-- == 0) {
            assert_true(len - n - 1 < sizeof value);
            memcpy(value, s + n + 1, len - n - 1);
            value[len - n - 1] = '\0';
            return value;
        }
        s += len + (end ? 1 : 0);
    }
    return NULL;
}

static void assert_field(const char *out, const char *name, const char *json)
{
    const char *got = field(out, name, 0);
    if (!got || strcmp(got, json))
        fail_msg("%s: want %s, got %s; checker said:\n%s", name, json, got ? got : "(none)", out);
}

/* `s` as Python's json.dumps(s, ensure_ascii=False) writes it, for the few
 * characters these tests use: quote, backslash and line break escaped,
 * everything else (UTF-8 too) as it is. */
static char *json(const char *s)
{
    char *out = malloc(2 * strlen(s) + 3), *o = out;
    assert_non_null(out);
    *o++ = '"';
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') {
            *o++ = '\\';
            *o++ = *s;
        } else if (*s == '\n') {
            *o++ = '\\';
            *o++ = 'n';
        } else {
            assert_true((unsigned char)*s >= 0x20);
            *o++ = *s;
        }
    }
    *o++ = '"';
    *o = '\0';
    return out;
}

/* --- tests ---------------------------------------------------------------- */

static void test_request_reads_back_as_written(void **state)
{
    (void)state;
    struct ics_event e = session();
    char *ics = make(&e);
    char *out = read_back(ics);
    assert_field(out, "UID", "\"session-12@sertibot\"");
    assert_field(out, "SEQUENCE", "0");
    assert_field(out, "METHOD", "\"REQUEST\"");
    assert_field(out, "STATUS", "\"CONFIRMED\"");
    assert_field(out, "DTSTART", "\"2026-12-03T09:00:00+07:00\"");
    assert_field(out, "DTEND", "\"2026-12-03T10:30:00+07:00\"");
    /* commas, semicolons, a line break and a backslash come back as typed */
    assert_field(out, "SUMMARY", "\"Pendampingan login, Dinas A; gelombang 2\"");
    assert_field(out, "LOCATION", "\"Ruang Rapat 2, Lt. 3; Gedung Diskominfo\"");
    assert_field(out, "DESCRIPTION", "\"Bawa KTP; laptop, dan token.\\nBerkas di C:\\\\Sertifikat\"");
    /* a double quote cannot live in a quoted CN: it becomes a single one */
    assert_field(out, "ORGANIZER", "[\"Kasi 'Budi' Santoso\", \"mailto:kasi@bekasikota.go.id\"]");
    const char *a0 = field(out, "ATTENDEE", 0);
    assert_non_null(a0);
    assert_string_equal(a0, "[\"Rina Marlina (Pelaksana)\", \"mailto:rina@bekasikota.go.id\"]");
    const char *a1 = field(out, "ATTENDEE", 1);
    assert_non_null(a1);
    assert_string_equal(a1, "[\"Dinas Pendidikan\", \"invalid:nomail\"]");
    assert_null(field(out, "ATTENDEE", 2));
    assert_field(out, "ALARM", "-3600");
    assert_field(out, "TZID", "\"Asia/Jakarta\"");
    free(out);
    free(ics);
}

static void test_request_has_the_fixed_lines_and_local_times(void **state)
{
    (void)state;
    struct ics_event e = session();
    char *ics = make(&e);
    assert_true(!strncmp(ics, "BEGIN:VCALENDAR\r\n", 17));
    size_t len = strlen(ics);
    assert_string_equal(ics + len - 15, "END:VCALENDAR\r\n");
    char *u = unfold(ics);
    assert_line(u, "VERSION:2.0");
    assert_line(u, "PRODID:-//Diskominfo Kota Bekasi//sertibot//ID");
    assert_line(u, "CALSCALE:GREGORIAN");
    assert_line(u, "METHOD:REQUEST");
    assert_line(u, "BEGIN:VTIMEZONE\r\nTZID:Asia/Jakarta\r\nBEGIN:STANDARD\r\n"
                   "DTSTART:19700101T000000\r\nTZOFFSETFROM:+0700\r\nTZOFFSETTO:+0700\r\n"
                   "TZNAME:WIB\r\nEND:STANDARD\r\nEND:VTIMEZONE");
    assert_line(u, "UID:session-12@sertibot");
    assert_line(u, "SEQUENCE:0");
    assert_line(u, "DTSTAMP:20261120T013000Z");
    assert_line(u, "DTSTART;TZID=Asia/Jakarta:20261203T090000");
    assert_line(u, "DTEND;TZID=Asia/Jakarta:20261203T103000");
    assert_line(u, "SUMMARY:Pendampingan login\\, Dinas A\\; gelombang 2");
    assert_line(u, "DESCRIPTION:Bawa KTP\\; laptop\\, dan token.\\nBerkas di C:\\\\Sertifikat");
    assert_line(u, "LOCATION:Ruang Rapat 2\\, Lt. 3\\; Gedung Diskominfo");
    assert_line(u, "ORGANIZER;CN=\"Kasi 'Budi' Santoso\":mailto:kasi@bekasikota.go.id");
    assert_line(u, "ATTENDEE;CN=\"Dinas Pendidikan\";ROLE=REQ-PARTICIPANT:invalid:nomail");
    assert_line(u, "STATUS:CONFIRMED");
    assert_line(u, "BEGIN:VALARM\r\nACTION:DISPLAY\r\n"
                   "DESCRIPTION:Pendampingan login\\, Dinas A\\; gelombang 2\r\n"
                   "TRIGGER:-PT60M\r\nEND:VALARM");
    free(u);
    free(ics);
}

static void test_reschedule_keeps_the_uid_and_raises_the_sequence(void **state)
{
    (void)state;
    struct ics_event e = session();
    e.sequence = 1;
    e.start_ms = utc("2026-12-04 06:00:00"); /* Friday 13:00 WIB */
    e.end_ms = utc("2026-12-04 07:00:00");
    e.dtstamp_ms = utc("2026-11-25 03:00:00");
    char *ics = make(&e);
    char *out = read_back(ics);
    assert_field(out, "UID", "\"session-12@sertibot\"");
    assert_field(out, "SEQUENCE", "1");
    assert_field(out, "METHOD", "\"REQUEST\"");
    assert_field(out, "STATUS", "\"CONFIRMED\"");
    assert_field(out, "DTSTART", "\"2026-12-04T13:00:00+07:00\"");
    assert_field(out, "DTEND", "\"2026-12-04T14:00:00+07:00\"");
    char *u = unfold(ics);
    assert_line(u, "DTSTAMP:20261125T030000Z");
    free(u);
    free(out);
    free(ics);
}

static void test_cancel_says_cancelled_and_rings_no_alarm(void **state)
{
    (void)state;
    struct ics_event e = session();
    e.method = ICS_CANCEL;
    e.sequence = 2;
    e.alarm = true; /* asked for, but a cancelled session rings no bell */
    char *ics = make(&e);
    char *out = read_back(ics);
    assert_field(out, "UID", "\"session-12@sertibot\"");
    assert_field(out, "SEQUENCE", "2");
    assert_field(out, "METHOD", "\"CANCEL\"");
    assert_field(out, "STATUS", "\"CANCELLED\"");
    assert_field(out, "DTSTART", "\"2026-12-03T09:00:00+07:00\"");
    assert_field(out, "ALARM", "null");
    char *u = unfold(ics);
    assert_line(u, "METHOD:CANCEL");
    assert_line(u, "STATUS:CANCELLED");
    assert_null(strstr(u, "VALARM"));
    assert_null(strstr(u, "METHOD:REQUEST"));
    free(u);
    free(out);
    free(ics);
}

static void test_no_alarm_no_description_no_location_when_not_given(void **state)
{
    (void)state;
    struct ics_event e = session();
    e.alarm = false;
    e.description = NULL;
    e.location = "";
    e.attendees = NULL;
    e.attendees_count = 0;
    char *ics = make(&e);
    char *out = read_back(ics);
    assert_field(out, "ALARM", "null");
    assert_field(out, "DESCRIPTION", "null");
    assert_field(out, "LOCATION", "null");
    assert_null(field(out, "ATTENDEE", 0));
    free(out);
    free(ics);
}

/* Characters of 2, 3 and 4 octets after 0..3 ASCII ones, so that the fold
 * positions land on every byte of a character in turn. */
static void test_long_utf8_description_folds_and_unfolds_intact(void **state)
{
    (void)state;
    static const char body[] =
        "Pendampingan login pertama sertifikat elektronik — “BSrE” — untuk "
        "pegawai Dinas Kependudukan dan Pencatatan Sipil; café ☕, résumé, "
        "naïve, 🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂, "
        "ééééééééééééééééééééééééééééééééééééééééé\n"
        "——————————————————————————————————————— selesai.";
    for (int shift = 0; shift < 4; shift++) {
        char text[1024];
        snprintf(text, sizeof text, "%.*s%s", shift, "xxx", body);
        struct ics_event e = session();
        e.description = text;
        e.summary = text; /* the alarm's DESCRIPTION too */
        char *ics = NULL;
        size_t size = 0;
        assert_int_equal(ics_event(&e, &ics, &size), 0);
        assert_true(check_lines(ics, size) >= 3 * 4); /* the long lines were folded */

        char *out = read_back(ics);
        char *want = json(text);
        assert_field(out, "DESCRIPTION", want);
        assert_field(out, "SUMMARY", want);
        free(want);
        free(out);
        free(ics);
    }
}

static void test_long_names_and_addresses_fold_too(void **state)
{
    (void)state;
    static const struct ics_person many[] = {
        { "Bidang Persandian dan Keamanan Informasi, Dinas Komunikasi dan Informatika Kota "
          "Bekasi — Seksi Tata Kelola Sertifikat Elektronik",
          "seksi.tata.kelola.sertifikat.elektronik.persandian@diskominfo.bekasikota.go.id" },
        { "Ñoño", "n@x.id" },
    };
    struct ics_event e = session();
    e.uid = "session-123456789012345678901234567890123456789012345678901234567890@sertibot";
    e.attendees = many;
    e.attendees_count = 2;
    char *ics = make(&e);
    char *out = read_back(ics);
    assert_field(out, "UID",
                 "\"session-123456789012345678901234567890123456789012345678901234567890@sertibot\"");
    const char *a0 = field(out, "ATTENDEE", 0);
    assert_non_null(a0);
    assert_string_equal(a0, "[\"Bidang Persandian dan Keamanan Informasi, Dinas Komunikasi dan "
                            "Informatika Kota Bekasi — Seksi Tata Kelola Sertifikat Elektronik\", "
                            "\"mailto:seksi.tata.kelola.sertifikat.elektronik.persandian@"
                            "diskominfo.bekasikota.go.id\"]");
    free(out);
    free(ics);
}

/* Control characters other than tab cannot be in TEXT; CRLF and a lone CR
 * are line breaks like LF. */
static void test_line_breaks_and_control_characters_are_made_safe(void **state)
{
    (void)state;
    struct ics_event e = session();
    e.description = "a\tb\001c\r\nd\re\nf\\";
    e.organizer.name = "Kasi\nSeksi";
    char *ics = make(&e);
    char *u = unfold(ics);
    assert_line(u, "DESCRIPTION:a\tb c\\nd\\ne\\nf\\\\");
    assert_line(u, "ORGANIZER;CN=\"Kasi Seksi\":mailto:kasi@bekasikota.go.id");
    free(u);
    free(ics);
}

/* The day in WIB is not the day in UTC: 17:00 UTC is the next midnight.
 * Milliseconds are dropped, not rounded. */
static void test_times_cross_midnight_and_drop_milliseconds(void **state)
{
    (void)state;
    struct ics_event e = session();
    e.start_ms = utc("2026-12-31 17:00:00") + 999; /* 2027-01-01 00:00:00.999 WIB */
    e.end_ms = utc("2026-12-31 18:15:30");
    e.dtstamp_ms = utc("2026-12-31 23:59:59") + 999;
    char *ics = make(&e);
    char *u = unfold(ics);
    assert_line(u, "DTSTART;TZID=Asia/Jakarta:20270101T000000");
    assert_line(u, "DTEND;TZID=Asia/Jakarta:20270101T011530");
    assert_line(u, "DTSTAMP:20261231T235959Z");
    free(u);
    free(ics);

    e.start_ms = CAL_TIME_MIN; /* the first instant there is */
    e.end_ms = CAL_TIME_MIN + 3600 * 1000;
    e.dtstamp_ms = 0;
    ics = make(&e);
    u = unfold(ics);
    assert_line(u, "DTSTART;TZID=Asia/Jakarta:19700101T000000");
    assert_line(u, "DTSTAMP:19700101T000000Z");
    free(u);
    free(ics);
}

static void test_same_event_gives_the_same_bytes(void **state)
{
    (void)state;
    struct ics_event e = session();
    char *a = make(&e);
    char *b = make(&e);
    assert_string_equal(a, b);
    free(a);
    free(b);
}

static void test_bad_events_are_refused(void **state)
{
    (void)state;
    static const struct ics_person bad_email[] = { { "A", "no-at-sign" } };
    static const struct ics_person no_name[] = { { "", "a@b.id" } };
    struct ics_event base = session();
    struct ics_event cases[20];
    size_t n = 0;
    cases[n] = base, cases[n++].uid = NULL;
    cases[n] = base, cases[n++].uid = "";
    cases[n] = base, cases[n++].summary = NULL;
    cases[n] = base, cases[n++].summary = "bad \xff byte";
    cases[n] = base, cases[n++].description = "cut short \xe2\x80";
    cases[n] = base, cases[n++].location = "overlong \xc0\xaf";
    cases[n] = base, cases[n++].sequence = -1;
    cases[n] = base, cases[n++].method = (enum ics_method)7;
    cases[n] = base, cases[n++].end_ms = base.start_ms;
    cases[n] = base, cases[n++].start_ms = CAL_TIME_MIN - 1;
    cases[n] = base, cases[n++].end_ms = CAL_TIME_MAX;
    cases[n] = base, cases[n++].dtstamp_ms = -1;
    cases[n] = base, cases[n++].organizer.name = NULL;
    cases[n] = base, cases[n++].organizer.email = "kasi@bekasi;x.id";
    cases[n] = base, cases[n++].organizer.email = "a b@c.id";
    cases[n] = base, cases[n++].organizer.email = "@c.id";
    cases[n] = base, cases[n].attendees = bad_email, cases[n++].attendees_count = 1;
    cases[n] = base, cases[n].attendees = no_name, cases[n++].attendees_count = 1;
    cases[n] = base, cases[n].attendees = NULL, cases[n++].attendees_count = 1;
    assert_true(n <= sizeof cases / sizeof cases[0]);
    for (size_t i = 0; i < n; i++) {
        char *ics = (char *)"untouched";
        size_t size = 99;
        int rc = ics_event(&cases[i], &ics, &size);
        if (rc != -EINVAL)
            fail_msg("case %zu: want -EINVAL, got %d", i, rc);
        assert_null(ics);
        assert_int_equal(size, 0);
    }
    char *ics;
    size_t size;
    assert_int_equal(ics_event(NULL, &ics, &size), -EINVAL);
    assert_int_equal(ics_event(&base, NULL, &size), -EINVAL);
    assert_int_equal(ics_event(&base, &ics, NULL), -EINVAL);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s path/to/tests/unit/ics_check.py\n", argv[0]);
        return 2;
    }
    checker = argv[1];
    if (strchr(checker, '\'') || access(checker, R_OK) != 0) {
        fprintf(stderr, "%s: cannot read %s\n", argv[0], checker);
        return 2;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request_reads_back_as_written),
        cmocka_unit_test(test_request_has_the_fixed_lines_and_local_times),
        cmocka_unit_test(test_reschedule_keeps_the_uid_and_raises_the_sequence),
        cmocka_unit_test(test_cancel_says_cancelled_and_rings_no_alarm),
        cmocka_unit_test(test_no_alarm_no_description_no_location_when_not_given),
        cmocka_unit_test(test_long_utf8_description_folds_and_unfolds_intact),
        cmocka_unit_test(test_long_names_and_addresses_fold_too),
        cmocka_unit_test(test_line_breaks_and_control_characters_are_made_safe),
        cmocka_unit_test(test_times_cross_midnight_and_drop_milliseconds),
        cmocka_unit_test(test_same_event_gives_the_same_bytes),
        cmocka_unit_test(test_bad_events_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
