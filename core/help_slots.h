/* help_slots: who may do what with a help request's session (issue 14: the
 * session of a certificate help request is booked as step 6-7's is).
 *
 * While the request is with its Pelaksana (AC_S_PELAKSANA):
 * - HS_OFFER  build the offer of 2-5 times and send it: the assigned
 *             Pelaksana, or the Kasi (held or as Plh);
 * - HS_PICK   choose one of the offered times (or ask for others): only the
 *             operator who asked for the help;
 * - HS_CHANGE move or cancel the confirmed session: the Pelaksana, the Kasi
 *             or that operator.
 *
 * Pure: no I/O, nothing allocated. hs_may returns 0 or a negative enum
 * ac_error, checked in aftercare.h's order: AC_ERR_INVALID (not a help
 * request, an unknown action, version 0: forged data), AC_ERR_STALE (a card
 * drawn for another version), AC_ERR_WRONG_STATE (not with its Pelaksana),
 * AC_ERR_NOT_ALLOWED (not this person). */
#ifndef SERTIBOT_HELP_SLOTS_H
#define SERTIBOT_HELP_SLOTS_H

#include <stdint.h>

#include "aftercare.h"

enum hs_action {
    HS_NONE = 0,
    HS_OFFER,
    HS_PICK,
    HS_CHANGE,
    HS_ACTION_END
};

int hs_may(const struct ac_request *r, enum hs_action action, uint32_t version,
           const struct wf_actor *actor);

#endif
