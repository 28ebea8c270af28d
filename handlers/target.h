/* target: what a handler acts on, resolved before the handler runs, as
 * tmux's cmd_entry.target is.
 *
 * A handler entry (handler.h) declares the kind of its target and what must
 * be checked about it. route.c parses the callback data or the command's
 * argument once (strictly, args.h), loads the target, checks the version, the
 * step and the person's right through the workflow core (wf_may), and only
 * then calls the handler, with ctx->target loaded and authorised. A refusal
 * (a stale card, not theirs, garbage data, no such case) is answered here and
 * the handler never runs. A database error is no refusal: it is returned as
 * it is, so dispatch rolls the update back and records it as failed.
 *
 * Ownership: the target lives on route's stack for the one update; handlers
 * may change ctx->target->case_row (case_act writes the new state into it). */
#ifndef SERTIBOT_TARGET_H
#define SERTIBOT_TARGET_H

#include <stdbool.h>

#include "args.h"
#include "db_cases.h"
#include "db_registry.h"

struct handler_ctx;
struct handler_entry;

enum target_kind {
    TARGET_NONE = 0,     /* the handler reads its own input */
    /* A case by id: a button's data "<case id>" or a command's argument, a
     * case number ("SE-0012"). */
    TARGET_CASE,
    /* A case at a step: a card's button "<case>:<version>:<what>[:<arg>]",
     * drawn for one version of the case. */
    TARGET_CASE_AT_STEP,
    /* A person who asked to be registered as an applicant operator: a
     * button's data "<telegram id>:<rest>"; their request is loaded. */
    TARGET_PERSON,
};

/* What is checked (handler_entry.target_checks bits). */
enum target_check {
    /* TARGET_CASE, command: no argument is no target (the handler lists). */
    TARGET_OPTIONAL = 1u << 0,
    /* Somebody who is neither staff (an official) nor admin sees only the
     * cases of their own agency; another's is answered like a missing one. */
    TARGET_OWN_AGENCY = 1u << 1,
    /* The case waits for the presser now (they hold its step). */
    TARGET_HOLDER = 1u << 2,
    /* TARGET_CASE_AT_STEP: the card's version is current and the presser may
     * take the entry's event there now (wf_may); what the case still lacks
     * is not checked: a card's choices are open to its holder before the
     * action could go ahead. */
    TARGET_MAY_ACT = 1u << 3,
    /* The same, and the case lacks nothing the event needs ("missing.*"). */
    TARGET_MAY_APPLY = 1u << 4,
};

struct target {
    enum target_kind kind;    /* what was loaded; TARGET_NONE: nothing */
    struct db_case case_row;  /* TARGET_CASE, TARGET_CASE_AT_STEP */
    struct args_press press;  /* TARGET_CASE_AT_STEP: the button's fields */
    enum wf_event_kind event; /* TARGET_CASE_AT_STEP: the event checked (may be NONE) */
    int64_t person_id;        /* TARGET_PERSON: their Telegram id */
    struct db_applicant applicant; /* TARGET_PERSON: their request */
    const char *rest;         /* TARGET_PERSON: the data after "<id>:" */
};

/* Resolves `entry`'s target for the update in ctx into *t. 0 with *go true:
 * run the handler with ctx->target = t. 0 with *go false: refused, and the
 * person has been answered. A negative errno: an internal failure (a database
 * error), nothing answered. */
int target_resolve(struct handler_ctx *ctx, const struct handler_entry *entry, struct target *t,
                   bool *go);

/* The case waits for this person (TARGET_HOLDER): they hold its step (a
 * Pelaksana step only for the assigned one); the applicant's waits are not
 * an official's task. */
bool target_waits_for(const struct handler_ctx *ctx, const struct db_case *c);

#endif
