/* log: one line per event on stderr, "2026-11-24T13:40:01.123Z WARN  tg: text".
 *
 * Promises: the bot token registered with log_set_secret() never reaches stderr,
 * whatever a caller formats (Bot API URLs carry the token, and libcurl error
 * texts may quote a URL). The level and the secret are set once at start-up,
 * before the loop runs, and only read afterwards. */
#ifndef SERTIBOT_LOG_H
#define SERTIBOT_LOG_H

enum log_level { LOG_DEBUG = 0, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Parses "debug", "info", "warn", "error"; returns 0 or -EINVAL. */
int log_level_parse(const char *name, enum log_level *out);
void log_set_level(enum log_level level);
/* Copies `secret`; every occurrence in a log line is replaced by "***". */
void log_set_secret(const char *secret);
/* A second secret redacted the same way (the e-mail password). */
void log_add_secret(const char *secret);

void log_write(enum log_level level, const char *module, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define log_debug(module, ...) log_write(LOG_DEBUG, module, __VA_ARGS__)
#define log_info(module, ...) log_write(LOG_INFO, module, __VA_ARGS__)
#define log_warn(module, ...) log_write(LOG_WARN, module, __VA_ARGS__)
#define log_error(module, ...) log_write(LOG_ERROR, module, __VA_ARGS__)

#endif
