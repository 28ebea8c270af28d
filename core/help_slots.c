/* Who may offer, pick, move or cancel a help request's session; see
 * help_slots.h. */
#include "help_slots.h"

#include <stdbool.h>

static bool is_kasi(const struct wf_actor *actor)
{
    return ((actor->roles | actor->plh_roles) & ROLE_KASI) != 0;
}

int hs_may(const struct ac_request *r, enum hs_action action, uint32_t version,
           const struct wf_actor *actor)
{
    if (!r || !actor || r->kind != AC_HELP || action <= HS_NONE || action >= HS_ACTION_END ||
        version == 0 || actor->user_id <= 0)
        return AC_ERR_INVALID;
    if (version != r->version)
        return AC_ERR_STALE;
    if (r->state != AC_S_PELAKSANA)
        return AC_ERR_WRONG_STATE;
    bool pelaksana = r->pelaksana_id && actor->user_id == r->pelaksana_id;
    bool requester = actor->user_id == r->requested_by;
    switch (action) {
    case HS_OFFER: return pelaksana || is_kasi(actor) ? 0 : AC_ERR_NOT_ALLOWED;
    case HS_PICK: return requester ? 0 : AC_ERR_NOT_ALLOWED;
    default: return pelaksana || requester || is_kasi(actor) ? 0 : AC_ERR_NOT_ALLOWED;
    }
}
