/* file_read: a small text file read whole (the config, a holiday list). */
#ifndef SERTIBOT_FILE_READ_H
#define SERTIBOT_FILE_READ_H

#include <stddef.h>

/* Reads `path` into a NUL-terminated malloc'd string (the caller frees it).
 * 0, or -errno: -EFBIG past `max_size` bytes, -ENOMEM, or what open/read said. */
int file_read_all(const char *path, size_t max_size, char **out);

#endif
