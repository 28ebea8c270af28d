/* Which request a reply answers (mail_match.h). */
#include "mail_match.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "mime.h"

#define TAG_MAX 20 /* "[PC-0000000001]" and some room */

/* "SE-12" or "pc-0003" (the inside of a tag): its owner and number. */
static int parse_tag(const char *tag, size_t len, enum mail_owner *owner, int64_t *id)
{
    static const struct { const char *prefix; enum mail_owner owner; } kinds[] = {
        { "SE-", MAIL_OWNER_CASE },
        { "PC-", MAIL_OWNER_REVOKE },
    };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        if (len <= 3 || strncasecmp(tag, kinds[k].prefix, 3) != 0)
            continue;
        int64_t value = 0;
        for (size_t i = 3; i < len; i++) {
            if (!isdigit((unsigned char)tag[i]) || value > (INT32_MAX - 9) / 10)
                return -ENOENT;
            value = value * 10 + (tag[i] - '0');
        }
        if (value <= 0)
            return -ENOENT;
        *owner = kinds[k].owner;
        *id = value;
        return 0;
    }
    return -ENOENT;
}

int mail_subject_tag(const char *subject, enum mail_owner *owner, int64_t *id)
{
    for (const char *p = subject ? strchr(subject, '[') : NULL; p; p = strchr(p + 1, '[')) {
        const char *close = strchr(p, ']');
        if (!close || close - p > TAG_MAX)
            continue;
        if (parse_tag(p + 1, (size_t)(close - p - 1), owner, id) == 0)
            return 0;
    }
    return -ENOENT;
}

struct id_walk {
    const struct mail_match_lookup *lookup;
    struct mail_match *out;
    int error;
};

/* One id of a header: a revocation's first, then a case's. */
static int match_one_id(const char *message_id, void *data)
{
    struct id_walk *walk = data;
    static const enum mail_owner order[] = { MAIL_OWNER_REVOKE, MAIL_OWNER_CASE };
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        int64_t found = 0;
        int rc = walk->lookup->sent_id(order[i], message_id, &found, walk->lookup->data);
        if (rc == 0) {
            walk->out->owner = order[i];
            walk->out->id = found;
            return 1;
        }
        if (rc != -ENOENT) {
            walk->error = rc;
            return 1;
        }
    }
    return 0;
}

int mail_match(const char *in_reply_to, const char *references, const char *subject,
               const struct mail_match_lookup *lookup, struct mail_match *out)
{
    static const char *const hows[] = { "in_reply_to", "references" };
    const char *headers[] = { in_reply_to, references };
    *out = (struct mail_match){ .owner = MAIL_OWNER_NONE };
    for (size_t i = 0; i < 2; i++) {
        if (!headers[i] || !headers[i][0])
            continue;
        struct id_walk walk = { lookup, out, 0 };
        if (mime_each_id(headers[i], match_one_id, &walk)) {
            if (walk.error) {
                *out = (struct mail_match){ .owner = MAIL_OWNER_NONE };
                return walk.error;
            }
            out->how = hows[i];
            return 0;
        }
    }
    enum mail_owner owner = MAIL_OWNER_NONE;
    int64_t id = 0;
    if (mail_subject_tag(subject, &owner, &id) != 0)
        return -ENOENT;
    int rc = lookup->exists(owner, id, lookup->data);
    if (rc)
        return rc;
    *out = (struct mail_match){ .owner = owner, .id = id, .how = "tag" };
    return 0;
}
