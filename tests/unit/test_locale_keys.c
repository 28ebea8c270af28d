/* Keys built at run time ("state.%s", "button.%s", "prompt.note.%s", ...)
 * exist in both catalogs for every value the code can put in them. The
 * values come from the code itself wherever it can enumerate them (the
 * workflow's states, events and their rules, roles, outcomes, milestones,
 * letter kinds, holiday kinds, session stages, the card's defaults), so a new
 * state or event without its sentences fails here, not in front of a person.
 * Literal keys, and that every family in the sources is one listed here, are
 * checked by tests/locale_keys.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "aftercare.h"
#include "app.h"
#include "case_card.h"
#include "config.h"
#include "letters.h"
#include "office_calendar.h"
#include "roles.h"
#include "session_plan.h"
#include "slots.h"
#include "workflow.h"

extern const char locale_id_json[];
extern const char locale_en_json[];

struct catalogs {
    cJSON *id, *en;
    size_t checked, missing;
};

static void expect_key(struct catalogs *c, const char *key)
{
    c->checked++;
    const cJSON *const both[] = { c->id, c->en };
    static const char *const names[] = { "id", "en" };
    for (size_t i = 0; i < 2; i++) {
        if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(both[i], key))) {
            print_error("locales/%s.json: missing key \"%s\"\n", names[i], key);
            c->missing++;
        }
    }
}

static void expect_family(struct catalogs *c, const char *prefix, const char *value)
{
    assert_non_null(value);
    char key[128];
    snprintf(key, sizeof key, "%s%s", prefix, value);
    expect_key(c, key);
}

static void expect_numbers(struct catalogs *c, const char *prefix, int first, int last)
{
    for (int n = first; n <= last; n++) {
        char value[16];
        snprintf(value, sizeof value, "%d", n);
        expect_family(c, prefix, value);
    }
}

/* state.%s, event.%s, button.%s, button.bsre_reply.%s, prompt.note.%s,
 * outcome.%s, milestone.%s: from the workflow's own tables and rules. */
static void workflow_families(struct catalogs *c)
{
    for (int s = WF_STATE_NONE + 1; s < WF_STATE_END; s++)
        expect_family(c, "state.", wf_state_name((enum wf_state)s));
    for (int k = WF_EV_NONE + 1; k < WF_EV_END; k++)
        expect_family(c, "event.", wf_event_name((enum wf_event_kind)k));
    for (int o = WF_BSRE_NONE; o < WF_BSRE_END; o++)
        expect_family(c, "outcome.", wf_bsre_outcome_name((enum wf_bsre_outcome)o));
    for (int o = WF_BSRE_NONE + 1; o < WF_BSRE_END; o++)
        expect_family(c, "button.bsre_reply.", wf_bsre_outcome_name((enum wf_bsre_outcome)o));
    for (int m = WF_MS_NONE + 1; m < WF_MS_END; m++)
        expect_family(c, "milestone.", wf_milestone_name((enum wf_milestone)m));
    /* Every event a state allows is a button on some card (BSrE's reply is
     * one button per outcome, above), and asks its note when it needs one. */
    for (int s = WF_STATE_NONE + 1; s < WF_STATE_END; s++) {
        enum wf_event_kind kinds[WF_EV_END];
        size_t n = wf_state_events((enum wf_state)s, kinds, WF_EV_END);
        for (size_t i = 0; i < n; i++) {
            const char *name = wf_event_name(kinds[i]);
            if (kinds[i] != WF_EV_BSRE_REPLY)
                expect_family(c, "button.", name);
            if (wf_event_needs_note((enum wf_state)s, kinds[i]))
                expect_family(c, "prompt.note.", name);
        }
    }
}

/* ask.%s: what a card asks of its reader, in every open state;
 * button.dispose_default.%s and card_reply.ask.%s: the one-tap default
 * disposition of steps 1 and 2 (case_card.c, card_reply.c). */
static void card_families(struct catalogs *c)
{
    for (int s = WF_STATE_NONE + 1; s < WF_STATE_END; s++)
        if (!wf_state_closed((enum wf_state)s))
            expect_family(c, "ask.", wf_state_name((enum wf_state)s));
    static const enum wf_state disposition[] = { WF_S1_DISPOSISI_KADIS, WF_S2_DISPOSISI_KABID };
    for (size_t i = 0; i < 2; i++) {
        expect_family(c, "button.dispose_default.", wf_state_name(disposition[i]));
        expect_family(c, "card_reply.ask.", wf_state_name(disposition[i]));
    }
}

/* role.%s, role_short.%s, start.can.%s, plh.role.%s, sheet.role.%s. */
static void role_families(struct catalogs *c)
{
    static const enum role all[] = { ROLE_KADIS, ROLE_KABID, ROLE_KASI, ROLE_PELAKSANA,
                                     ROLE_APPLICANT, ROLE_ADMIN };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        expect_family(c, "role.", role_key(all[i]));
        expect_family(c, "role_short.", role_key(all[i]));
        expect_family(c, "start.can.", role_key(all[i]));
        if (all[i] & ROLE_OFFICIAL)
            expect_family(c, "sheet.role.", role_key(all[i]));
        /* A Plh. stands in for a head: Kadis, Kabid, Kasi. */
        if (all[i] & (ROLE_KADIS | ROLE_KABID | ROLE_KASI))
            expect_family(c, "plh.role.", role_key(all[i]));
    }
    /* The audit trail records what the bot did itself as "system". */
    expect_key(c, "role.system");
    expect_key(c, "role_short.system");
}

/* Families whose values live in other modules' tables. */
static void other_families(struct catalogs *c)
{
    expect_numbers(c, "month.", 1, 12);
    expect_numbers(c, "letter.month.", 1, 12);
    expect_numbers(c, "schedule.weekday.", 0, 6); /* cal_weekday: 0 = Monday */
    struct config cfg = { 0 };
    struct app app = { .cfg = &cfg }; /* no configured lists: the catalog's defaults */
    expect_numbers(c, "instruction.", 1, (int)card_instruction_count(&app));
    expect_numbers(c, "check_item.", 1, (int)card_check_item_count(&app));
    for (int k = CAL_NATIONAL; cal_kind_key((enum cal_kind)k); k++)
        expect_family(c, "holidays.kind.", cal_kind_key((enum cal_kind)k));
    static const enum letters_kind letters[] = { LETTERS_RECOMMENDATION, LETTERS_NOTIFICATION };
    for (size_t i = 0; i < 2; i++) {
        expect_family(c, "letters.kind.", letters_kind_name(letters[i]));
        expect_family(c, "letters.addressee.", letters_kind_name(letters[i]));
    }
    static const int reminders[] = { SESSION_STAGE_DAY_BEFORE, SESSION_STAGE_HOUR_BEFORE };
    for (size_t i = 0; i < 2; i++)
        expect_family(c, "schedule.remind.", session_stage_name(reminders[i]));
    for (int p = SLOT_OK + 1; slot_problem_name(p); p++)
        expect_family(c, "schedule.problem.", slot_problem_name(p));
    expect_key(c, "schedule.problem.unknown");
    for (size_t i = 0; i < CARD_SIFAT_COUNT; i++)
        expect_family(c, "sifat.", card_sifat_keys[i]);
    expect_key(c, "sifat.rahasia"); /* the disposition's "secret" box */
}

/* What the one who asked hears when `e` is accepted in state `s`. */
static void aftercare_told(struct catalogs *c, enum ac_kind kind, enum ac_state s,
                           enum ac_event_kind e, const struct wf_actor *actor)
{
    struct ac_request r = { .id = 1, .kind = kind, .state = s, .version = 1, .agency_id = 1,
                            .requested_by = 3, .pelaksana_id = 2 };
    struct ac_event ev = { .kind = e, .note = "-", .pelaksana_id = 2 };
    struct ac_result out;
    if (ac_apply(&r, &ev, actor, 0, &out))
        return;
    for (size_t i = 0; i < out.effect_count; i++)
        if (out.effects[i].kind == AC_FX_TELL_REQUESTER)
            expect_family(c, kind == AC_REVOKE ? "revoke.told." : "help_req.told.",
                          ac_state_name(out.after.state));
}

/* The revocation's reasons and the help's needs, and what the one who asked
 * hears after each event that tells them (handlers/revoke*.c), from
 * core/aftercare.h. */
static void aftercare_families(struct catalogs *c)
{
    for (int r = AC_REASON_NONE + 1; r < AC_REASON_END; r++) {
        if (ac_reason_fits(AC_REVOKE, (enum ac_reason)r))
            expect_family(c, "revoke.reason.", ac_reason_name((enum ac_reason)r));
        if (ac_reason_fits(AC_HELP, (enum ac_reason)r))
            expect_family(c, "help_req.what.", ac_reason_name((enum ac_reason)r));
    }
    const struct wf_actor actors[] = {
        { .user_id = 1, .roles = ROLE_KASI | ROLE_ADMIN },
        { .user_id = 2, .roles = ROLE_PELAKSANA },
    };
    for (int kind = AC_REVOKE; kind < AC_KIND_END; kind++)
        for (int s = AC_STATE_NONE + 1; s < AC_STATE_END; s++)
            for (int e = AC_EV_NONE + 1; e < AC_EV_END; e++)
                for (size_t a = 0; a < 2; a++)
                    aftercare_told(c, (enum ac_kind)kind, (enum ac_state)s,
                                   (enum ac_event_kind)e, &actors[a]);
    expect_key(c, "revoke.told.taken");
    expect_key(c, "help_req.told.taken");
}

static void test_every_run_time_key_is_in_both_catalogs(void **state)
{
    (void)state;
    struct catalogs c = { .id = cJSON_Parse(locale_id_json), .en = cJSON_Parse(locale_en_json) };
    assert_non_null(c.id);
    assert_non_null(c.en);
    workflow_families(&c);
    card_families(&c);
    role_families(&c);
    other_families(&c);
    aftercare_families(&c);
    cJSON_Delete(c.id);
    cJSON_Delete(c.en);
    assert_true(c.checked > 100);
    assert_int_equal(c.missing, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_run_time_key_is_in_both_catalogs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
