/* roles: who a person is to the SOP. A person may hold several (an official who
 * is also an admin), so roles are bits. The SOP's own words are kept:
 * Kadis (head of agency), Kabid (head of division), Kasi (head of section),
 * Pelaksana (staff officer); applicants are the operators of other agencies. */
#ifndef SERTIBOT_ROLES_H
#define SERTIBOT_ROLES_H

#include <stdint.h>

enum role {
    ROLE_NONE = 0,
    ROLE_KADIS = 1u << 0,
    ROLE_KABID = 1u << 1,
    ROLE_KASI = 1u << 2,
    ROLE_PELAKSANA = 1u << 3,
    ROLE_APPLICANT = 1u << 4,
    ROLE_ADMIN = 1u << 5,
};

#define ROLE_OFFICIAL (ROLE_KADIS | ROLE_KABID | ROLE_KASI | ROLE_PELAKSANA)
#define ROLE_ANYONE 0xffffu

/* "kadis" -> ROLE_KADIS ...; ROLE_NONE for anything else (only the four
 * official roles are named in config and database). */
enum role role_parse(const char *name);
/* The key used in config, database and locale keys; NULL for a non-single role. */
const char *role_key(enum role role);

/* An official as the config names them (config.officials[]) and the
 * database keeps them; the strings belong to whoever filled the struct. */
struct official {
    int64_t telegram_id;
    enum role role;
    char *name;
    /* The signature block's details, NULL when not configured (the line is
     * then left out): nip as 18 digits; rank the pangkat/golongan ("Pembina
     * Tingkat I (IV/b)"); title the name as letters print it, with academic
     * titles ("Dr. Siti Rahmawati, M.Si."), else name is printed. */
    char *nip;
    char *rank;
    char *title;
};

#endif
