/* i18n: every sentence a person reads, from the catalogs in locales/.
 *
 * Promises: Indonesian ("id") is the default and the fallback; English ("en")
 * is complete and in step (i18n_check proves it, a test runs it). Templates
 * are Telegram HTML written by us; placeholder values are user data and are
 * always HTML-escaped when filled in, here, so no caller can forget it.
 * Placeholders look like {name}. */
#ifndef SERTIBOT_I18N_H
#define SERTIBOT_I18N_H

#include <stdarg.h>
#include <stddef.h>

#define I18N_DEFAULT "id"

struct i18n;

/* Loads the catalogs compiled into the binary. 0, or -EINVAL with `err`. */
int i18n_load(struct i18n **out, char *err, size_t err_size);
/* Loads catalogs from JSON texts (for tests): langs[i] is the code of jsons[i];
 * the first is the default. */
int i18n_load_from(const char *const *langs, const char *const *jsons, size_t count,
                   struct i18n **out, char *err, size_t err_size);
void i18n_free(struct i18n *i18n);

/* Every catalog has the same keys as the default, with the same placeholders.
 * 0, or -EINVAL naming the first difference in `err`. */
int i18n_check(const struct i18n *i18n, char *err, size_t err_size);

/* The language to speak: the person's choice if supported, else Telegram's
 * language_code ("en-US" -> "en"), else the default. Returns a static string. */
const char *i18n_pick(const struct i18n *i18n, const char *chosen, const char *telegram_code);
/* True if `lang` has a catalog. */
int i18n_supports(const struct i18n *i18n, const char *lang);

/* The raw template (HTML), falling back to the default language, then to the
 * key itself so a missing text shows up instead of crashing. */
const char *i18n_text(const struct i18n *i18n, const char *lang, const char *key);

/* The template with its placeholders filled. The variadic arguments are
 * name/value string pairs ended by NULL; values are escaped. A placeholder
 * with no value is left as is. Returns a malloc'd string or NULL on ENOMEM. */
char *i18n_format(const struct i18n *i18n, const char *lang, const char *key, ...)
    __attribute__((sentinel));
/* The same with the pairs in a va_list. */
char *i18n_vformat(const struct i18n *i18n, const char *lang, const char *key, va_list ap);

#endif
