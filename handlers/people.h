/* people: who a person is to the SOP, as the server knows it (never as the
 * chat claims), and who must receive a role's work today.
 *
 * Plh (acting officials): while an appointment runs, the role's new and
 * waiting tasks go to the acting official instead of the absent one, and the
 * acting official may act in that role. */
#ifndef SERTIBOT_PEOPLE_H
#define SERTIBOT_PEOPLE_H

#include <stddef.h>
#include <stdint.h>

#include "roles.h"
#include "workflow.h"

struct app;

#define PEOPLE_MAX 32

/* Today's date in WIB as YYYY-MM-DD. */
void people_today(int64_t now_ms, char date[11]);

/* Everything the server knows of `user_id`: official role, admin, approved
 * applicant of an agency, and the roles they act for as Plh today. */
int people_actor(struct app *app, int64_t user_id, int64_t now_ms, struct wf_actor *out);

/* Who gets `role`'s work now: for ROLE_PELAKSANA the one `user_id`; for
 * ROLE_APPLICANT the approved operators of `agency_id`; for the Kadis, Kabid
 * and Kasi the Plh in force, else the active officials of the role. */
int people_for_role(struct app *app, enum role role, int64_t user_id, int64_t agency_id,
                    int64_t now_ms, int64_t *out, size_t max, size_t *count);

/* The next one up the chain: Pelaksana -> Kasi -> Kabid -> Kadis; ROLE_NONE
 * above the Kadis. */
enum role people_superior(enum role role);

#endif
