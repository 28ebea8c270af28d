/* rahasia: who may read a confidential (Rahasia) case's particulars, its
 * subject, its holders' names and the notes about it (issue 10). Pure: the
 * caller says who reads and where; nothing is looked up here.
 *
 * The rule: a case that is not Rahasia shows them to everyone it concerns.
 * A Rahasia case shows them only in a text its reader asked for or acts on,
 * in the reader's own private chat with the bot, and only to the operator
 * who submitted it or to an official or admin of the agency handling it.
 * Everyone else reads "other people's" texts: the applicant agency's other
 * operators, and anybody in a group chat, the submitter and the officials
 * too, since a group is several people and no config key marks a group
 * private. Texts nobody asked for that may be read on a locked phone or a
 * shared calendar (reminders, digests, calendar files) never show them. */
#ifndef SERTIBOT_RAHASIA_H
#define SERTIBOT_RAHASIA_H

#include <stdbool.h>

/* Whether a stored sifat ("segera+rahasia", "rahasia", "biasa") marks the
 * case confidential. NULL or "" does not. */
bool rahasia_sifat(const char *sifat);

struct rahasia_reader {
    bool private_chat; /* the reader's own private chat with the bot */
    bool submitter;    /* the operator who submitted the case */
    bool official;     /* an official or admin of the agency handling it */
    bool notice;       /* a text nobody asked for: a reminder, a digest, a calendar file */
};

/* Whether `reader` may read the particulars of a case (`rahasia`: it is
 * confidential). */
bool rahasia_discloses(bool rahasia, const struct rahasia_reader *reader);

#endif
