/* args: the words of a typed command ("/admin hapus 123456789"), read the
 * same way by every handler that takes a typed form; and the fields of a
 * button's callback data, read strictly (args_decimal, args_case_press: the
 * fuzz harnesses call these two by name, keep them).
 *
 * Words are separated by any ASCII white space. Nothing is allocated; every
 * output is a buffer of the caller's. */
#ifndef SERTIBOT_ARGS_H
#define SERTIBOT_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Room for one word. Longer words are cut, which is harmless: every word a
 * form expects (a sub-command, an id, a role, a date) is far shorter, so a cut
 * word is refused like any wrong one. */
#define ARGS_WORD_SIZE 64

/* Copies the next word of *cursor into `word` (cut to size - 1 bytes) and
 * moves *cursor past it. False, with `word` set to "", when no word is left. */
bool args_next(const char **cursor, char *word, size_t size);

/* The rest of the text with white space trimmed at both ends, copied into
 * `out`. -E2BIG (and `out` cut) when it does not fit. */
int args_rest(const char *cursor, char *out, size_t size);

/* A Telegram user id: 1 to 15 decimal digits, greater than 0. -EINVAL otherwise. */
int args_telegram_id(const char *word, int64_t *id);

/* True if `text` (UTF-8) has no control character (a new line included):
 * names and the like must be one line. */
bool args_one_line(const char *text);

/* --- what letters write -----------------------------------------------------
 * Typed by applicants as their letters print it. */

/* A NIP: 18 decimal digits, with or without the spaces letters put between
 * its groups ("19850101 201001 2 001"), written to `out` as the 18 digits.
 * -EINVAL for anything else (a letter, a dot, too few or too many digits). */
#define ARGS_NIP_DIGITS 18
int args_nip(const char *text, char out[ARGS_NIP_DIGITS + 1]);

/* A date in words: "20 November 2026", "20 Nov 2026", "20 Nov. 2026",
 * "November 20, 2026"; the month in Indonesian or English, full or short
 * ("Agu", "Agt", "Des", "Sept", the old "Nopember"), any case. Written to
 * `out` as YYYY-MM-DD. -EINVAL for anything else or a day the month does not
 * have ("31 Februari 2026"). */
int args_date_words(const char *text, char out[11]);
/* Any date a person types: "2026-11-20", "20-11-2026", "20/11/2026" or the
 * words args_date_words reads. Written to `out` as YYYY-MM-DD; -EINVAL for
 * anything else or a day that does not exist. */
int args_date(const char *text, char out[11]);

/* --- callback data ---------------------------------------------------------
 * Button data is untrusted: anyone can send any bytes. It is read strictly, so
 * that one button has exactly one spelling: a number is "0" or a digit 1-9
 * followed by digits (no sign, no space, no leading zero), and no field may
 * be left over. */

/* The `len` bytes at `text` as such a number, at most `max`. -EINVAL if they
 * are anything else (empty, a sign, a space, a leading zero, too big). */
int args_decimal_n(const char *text, size_t len, uint64_t max, uint64_t *out);
/* The same for a whole string. */
int args_decimal(const char *text, uint64_t max, uint64_t *out);

/* A case card's button after its prefix: "<case>:<version>:<what>[:<arg>]".
 * The case is a number 1..2^53-1, the version 1..UINT32_MAX, `what` a
 * non-empty word of [a-z0-9_] shorter than ARGS_PRESS_WHAT, `arg` the rest
 * (may be empty), each of its ':'-separated fields non-empty and of
 * [A-Za-z0-9_-], shorter than ARGS_PRESS_ARG in all. The handler that knows
 * `what` decides what `arg` may be (none at all, one number...). */
#define ARGS_PRESS_WHAT 24
#define ARGS_PRESS_ARG 64
struct args_press {
    int64_t case_id;
    uint32_t version;
    char what[ARGS_PRESS_WHAT];
    char arg[ARGS_PRESS_ARG];
};
int args_case_press(const char *rest, struct args_press *out);

#endif
