/* menus: each person's command menu; see menus.h. */
#include "menus.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "case_card.h"
#include "config.h"
#include "db.h"
#include "db_registry.h"
#include "handler.h"
#include "i18n.h"
#include "people.h"

#define MENUS_OFFICIALS_MAX 128
#define MENUS_OWN_ROLES (ROLE_OFFICIAL | ROLE_ADMIN)

cJSON *menus_commands(struct app *app, unsigned roles, const char *lang)
{
    bool english = strcmp(lang, "en") == 0;
    cJSON *list = cJSON_CreateArray();
    for (size_t i = 0; list && handler_table[i]; i++) {
        const struct handler_entry *e = handler_table[i];
        if (!e->in_menu || !(e->roles == ROLE_ANYONE || (e->roles & roles)))
            continue;
        char key[48];
        snprintf(key, sizeof key, "cmd.%s", e->command_id);
        cJSON *item = cJSON_CreateObject();
        if (!item || !cJSON_AddItemToArray(list, item) ||
            !cJSON_AddStringToObject(item, "command",
                                     english && e->command_en ? e->command_en : e->command_id) ||
            !cJSON_AddStringToObject(item, "description", i18n_text(app->i18n, lang, key))) {
            cJSON_Delete(list);
            return NULL;
        }
    }
    return list;
}

/* FNV-1a: enough to tell one menu from another, short enough to keep. */
static void menu_hash(const char *text, char out[17])
{
    uint64_t h = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        h ^= *p;
        h *= 1099511628211ull;
    }
    snprintf(out, 17, "%016" PRIx64, h);
}

int menus_refresh(struct app *app, int64_t user_id, int64_t now_ms)
{
    /* Telegram knows no chat with someone who never wrote to the bot (nor
     * will it set its menu); theirs goes out after their first message. */
    struct db_user user;
    int rc = db_user_get(app->db, user_id, &user);
    if (rc == -ENOENT || (!rc && !user.reachable))
        return 0;
    struct wf_actor actor;
    if (!rc)
        rc = people_actor(app, user_id, now_ms, &actor);
    if (rc)
        return rc;
    unsigned roles = actor.roles | actor.plh_roles;
    char key[48], last[24] = "";
    snprintf(key, sizeof key, "menu:%" PRId64, user_id);
    rc = db_state_get(app->db, key, last, sizeof last);
    if (rc && rc != -ENOENT)
        return rc;
    /* Nobody special and never given a menu: the default scope's is theirs. */
    if (rc == -ENOENT && !(roles & MENUS_OWN_ROLES))
        return 0;
    if (!(roles & MENUS_OWN_ROLES))
        roles = ROLE_APPLICANT; /* what the default scope shows */
    const char *lang = card_lang_of(app, user_id);
    cJSON *body = cJSON_CreateObject();
    cJSON *commands = body ? menus_commands(app, roles, lang) : NULL;
    cJSON *scope = NULL;
    if (commands && cJSON_AddItemToObject(body, "commands", commands))
        scope = cJSON_AddObjectToObject(body, "scope");
    else
        cJSON_Delete(commands);
    char *json = NULL, hash[17];
    if (scope && cJSON_AddStringToObject(scope, "type", "chat") &&
        cJSON_AddNumberToObject(scope, "chat_id", (double)user_id))
        json = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    if (!json)
        return -ENOMEM;
    menu_hash(json, hash);
    rc = 0;
    if (strcmp(hash, last) != 0) {
        /* setMyCommands takes no chat_id: the row's chat only paces it. */
        rc = db_outbox_push(app->db, user_id, "setMyCommands", json, NULL, now_ms);
        if (!rc)
            rc = db_state_set(app->db, key, hash);
    }
    free(json);
    return rc;
}

int menus_refresh_all(struct app *app, int64_t now_ms)
{
    struct db_official *officials = calloc(MENUS_OFFICIALS_MAX, sizeof *officials);
    if (!officials)
        return -ENOMEM;
    size_t count = 0;
    int rc = db_officials_list(app->db, ROLE_NONE, officials, MENUS_OFFICIALS_MAX, &count);
    for (size_t i = 0; !rc && i < count; i++)
        rc = menus_refresh(app, officials[i].telegram_id, now_ms);
    free(officials);
    for (size_t i = 0; !rc && i < app->cfg->admins_count; i++)
        rc = menus_refresh(app, app->cfg->admins[i], now_ms);
    return rc;
}

/* setMyCommands for one language ("" for the default list, in Indonesian):
 * the default scope shows what anybody and an applicant may use; officials
 * and admins get their own menu in their chat (app_hooks.commands_body). */
char *menu_commands_body(struct app *app, const char *language_code)
{
    const char *lang = language_code[0] ? language_code : I18N_DEFAULT;
    cJSON *body = cJSON_CreateObject();
    cJSON *list = body ? menus_commands(app, ROLE_APPLICANT, lang) : NULL;
    if (!list || !cJSON_AddItemToObject(body, "commands", list)) {
        cJSON_Delete(list);
        cJSON_Delete(body);
        return NULL;
    }
    if (language_code[0])
        cJSON_AddStringToObject(body, "language_code", language_code);
    char *json = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    return json;
}
