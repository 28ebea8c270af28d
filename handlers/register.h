/* register: how an applicant agency's operator gets registered. */
#ifndef SERTIBOT_REGISTER_H
#define SERTIBOT_REGISTER_H

#include "handler.h"

/* One button per active agency ("reg:<id>"); the caller deletes it; NULL on
 * failure. */
cJSON *register_agency_keyboard(struct handler_ctx *ctx);

#endif
