#include "rahasia.h"

#include <string.h>

bool rahasia_sifat(const char *sifat)
{
    /* The disposition card stores the urgency, then "+rahasia"; a plain
     * "rahasia" is read too. Only the whole word counts. */
    for (const char *p = sifat ? strstr(sifat, "rahasia") : NULL; p; p = strstr(p + 1, "rahasia")) {
        bool starts = p == sifat || p[-1] == '+' || p[-1] == ',';
        bool ends = p[7] == '\0' || p[7] == '+' || p[7] == ',';
        if (starts && ends)
            return true;
    }
    return false;
}

bool rahasia_discloses(bool rahasia, const struct rahasia_reader *reader)
{
    if (!rahasia)
        return true;
    if (reader->notice || !reader->private_chat)
        return false;
    return reader->submitter || reader->official;
}
