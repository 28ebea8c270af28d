#include "roles.h"

#include <string.h>

static const struct {
    enum role role;
    const char *key;
} role_keys[] = {
    { ROLE_KADIS, "kadis" },
    { ROLE_KABID, "kabid" },
    { ROLE_KASI, "kasi" },
    { ROLE_PELAKSANA, "pelaksana" },
};

enum role role_parse(const char *name)
{
    for (size_t i = 0; i < sizeof role_keys / sizeof role_keys[0]; i++)
        if (name && strcmp(name, role_keys[i].key) == 0)
            return role_keys[i].role;
    return ROLE_NONE;
}

const char *role_key(enum role role)
{
    for (size_t i = 0; i < sizeof role_keys / sizeof role_keys[0]; i++)
        if (role_keys[i].role == role)
            return role_keys[i].key;
    if (role == ROLE_APPLICANT)
        return "applicant";
    if (role == ROLE_ADMIN)
        return "admin";
    return NULL;
}
