/* mail_match: which of the bot's requests a message read from the mailbox
 * answers. Pure: the lookups that need the database are the caller's
 * callbacks; nothing is allocated and nothing kept.
 *
 * The bot mails BSrE for two owners: a case (the recommendation, subject
 * "[SE-0001] ...", Message-ID "<se-0001.<random>@domain>") and a revocation
 * request (subject "[PC-0001] ...", "<pc-0001.<random>@domain>"). A reply is
 * matched, in this order, by
 *   1. In-Reply-To, then
 *   2. References (each id in the order written),
 *   against the Message-IDs the bot sent, asking the revocation requests
 *   FIRST (a revocation's mail is its request's alone, db_mail.h; asking
 *   them first stays the safe order should an id ever be in both lists:
 *   BSrE's answer must never go to the closed case that issued the
 *   certificate);
 *   3. the first tag of the bot's in the subject ("[SE-0012]" or "[PC-0003]",
 *   any case of letters, the number's leading zeros optional), when that
 *   owner exists.
 * An id or a tag whose owner no longer exists is passed over. */
#ifndef SERTIBOT_MAIL_MATCH_H
#define SERTIBOT_MAIL_MATCH_H

#include <stdint.h>

enum mail_owner {
    MAIL_OWNER_NONE = 0,
    MAIL_OWNER_CASE,            /* cases.id */
    MAIL_OWNER_REVOKE,          /* aftercare_requests.id of a revocation */
};

struct mail_match {
    enum mail_owner owner;
    int64_t id;
    const char *how;            /* "in_reply_to", "references", "tag" (static) */
};

/* The first tag of the bot's in `subject`; 0 with *owner and *id, -ENOENT
 * when there is none (NULL subject too). */
int mail_subject_tag(const char *subject, enum mail_owner *owner, int64_t *id);

struct mail_match_lookup {
    /* The owner of a Message-ID the bot sent (`id` without angle brackets)
     * of kind `owner`: 0 with *found, -ENOENT if none (or gone), another
     * negative errno on failure (the match stops with it). */
    int (*sent_id)(enum mail_owner owner, const char *message_id, int64_t *found, void *data);
    /* 0 if `owner` `id` exists, -ENOENT if not, another negative errno on failure. */
    int (*exists)(enum mail_owner owner, int64_t id, void *data);
    void *data;
};

/* Matches a message by its headers (any may be NULL or ""); 0 with *out,
 * -ENOENT when nothing matches, or the first lookup's failure. */
int mail_match(const char *in_reply_to, const char *references, const char *subject,
               const struct mail_match_lookup *lookup, struct mail_match *out);

#endif
