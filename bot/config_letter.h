/* config_letter: the config's "letter" object (the kop, the numbering, the
 * font) and the signature details of officials[] (nip, rank, title).
 *
 * Promises:
 * - Every value is checked when the config is read; a mistake gives one line
 *   naming the key ("letter.number_format: must contain {seq}").
 * - Unset keys get their documented defaults here, so the letters never test
 *   for NULL: number_format "{class}/{seq}/{unit}", unit_code
 *   "Diskominfostandi", both classification codes "000.6" (Permendagri
 *   83/2022, persandian: to be confirmed by the agency's archivist). head and
 *   address stay NULL/0 when unset: the letters then use the catalog's kop.
 * - The emblem (letter.emblem_file, a PNG) is read once, at start-up, by
 *   config_letter_load_emblem; a missing, unreadable, oversized or non-PNG
 *   file is a config error naming the key. A relative path is taken from the
 *   config file's directory.
 *
 * Ownership: the struct owns every string and the emblem's bytes
 * (config_letter_free, called by config_free). */
#ifndef SERTIBOT_CONFIG_LETTER_H
#define SERTIBOT_CONFIG_LETTER_H

#include <stddef.h>

#define CONFIG_LETTER_DEFAULT_FORMAT "{class}/{seq}/{unit}"
#define CONFIG_LETTER_DEFAULT_UNIT "Diskominfostandi"
#define CONFIG_LETTER_DEFAULT_CLASS "000.6"
#define CONFIG_LETTER_EMBLEM_MAX (2u << 20) /* 2 MiB: an emblem, not a photo */
#define CONFIG_NIP_DIGITS 18

struct config_letter {
    char **head;            /* the kop's lines, top to bottom; NULL: the catalog's */
    size_t head_count;
    char *address;          /* the kop's address line; NULL: the catalog's */
    char *emblem_file;      /* as configured; NULL: a text-only kop */
    unsigned char *emblem;  /* its bytes once loaded; NULL when not configured */
    size_t emblem_len;
    char *font;             /* a font family for the letters; NULL: the writer's */
    char *number_format;    /* {class} {seq} {unit} {year} */
    char *unit_code;
    char *class_recommendation;
    char *class_notification;
};

struct cJSON;

/* Reads root["letter"] (may be absent) into `out`, with the defaults. 0,
 * -EINVAL with the reason in `err`, or -ENOMEM. On error `out` may hold
 * parts: config_letter_free frees them. */
int config_letter_parse(const struct cJSON *root, struct config_letter *out, char *err,
                        size_t err_size);

/* Reads the emblem file, if one is configured, relative to the directory of
 * `config_path` unless absolute. 0, or a negative errno with the reason. */
int config_letter_load_emblem(struct config_letter *letter, const char *config_path, char *err,
                              size_t err_size);

void config_letter_free(struct config_letter *letter);

/* A NIP as configured ("19700101 199003 1 002" or 18 digits in a row) into
 * its 18 digits; -EINVAL unless exactly 18 digits with spaces between. */
int config_nip_normalize(const char *text, char out[CONFIG_NIP_DIGITS + 1]);

/* "19700101 199003 1 002" (8-6-1-3) from 18 digits; anything else is copied
 * as it is. */
void config_nip_format(const char *digits, char *out, size_t size);

#endif
