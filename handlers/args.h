/* args: the words of a typed command ("/admin hapus 123456789"), read the
 * same way by every handler that takes a typed form.
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

/* Number of characters (UTF-8 code points) in `text`. */
size_t args_chars(const char *text);

#endif
