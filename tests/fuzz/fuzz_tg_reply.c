/* The Bot API answer parser (bot/tg_reply.c): the body and the HTTP status
 * come from the network. Properties: no crash and no undefined behaviour
 * (numbers out of int's range included); the outcome is one of the enum's;
 * the description is NUL-terminated inside its buffer; a 429 waits 1..3600 s;
 * a migration names a chat; an OK answer keeps its tree; clearing frees it. */
#include "fuzz_common.h"
#include "tg_reply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    /* The first two bytes choose the HTTP status (0..999), the rest is the body. */
    long status = (long)(((unsigned)data[0] << 8 | data[1]) % 1000);
    const char *body = (const char *)data + 2;
    size_t len = size - 2;

    struct tg_reply reply;
    FUZZ_CHECK(tg_reply_parse(status, body, len, NULL, &reply) == 0);
    FUZZ_CHECK(reply.outcome >= TG_OK && reply.outcome <= TG_CANCELLED);
    FUZZ_CHECK(memchr(reply.description, '\0', sizeof reply.description) != NULL);
    if (reply.outcome == TG_RETRY_AFTER)
        FUZZ_CHECK(reply.retry_after >= 1 && reply.retry_after <= 3600);
    if (reply.outcome == TG_MIGRATED)
        FUZZ_CHECK(reply.migrate_to_chat_id != 0);
    if (reply.outcome == TG_OK && reply.result)
        FUZZ_CHECK(reply.root != NULL);
    if (reply.outcome == TG_TRANSIENT && !reply.root)
        FUZZ_CHECK(reply.error_code == (int)status);
    if (reply.root) {
        /* The reader of ids is used on every answer's fields. */
        int64_t id = tg_json_id(reply.root, "result");
        FUZZ_CHECK(id >= -INT64_C(9007199254740991) && id <= INT64_C(9007199254740991));
    }
    tg_reply_clear(&reply);
    FUZZ_CHECK(reply.root == NULL && reply.outcome == TG_OK);

    /* No HTTP answer at all: the transport's text is the description. */
    char *error = fuzz_cstr(data + 2, len);
    FUZZ_CHECK(tg_reply_parse(0, NULL, 0, error, &reply) == 0);
    FUZZ_CHECK(reply.outcome == TG_TRANSIENT && reply.root == NULL);
    FUZZ_CHECK(strncmp(reply.description, error, sizeof reply.description - 1) == 0);
    tg_reply_clear(&reply);
    free(error);
    return 0;
}
