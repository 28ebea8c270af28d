/* render_module: see render_module.h. */
#define _GNU_SOURCE /* RTLD_NODELETE */
#include "render_module.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

int render_module_path(char *out, size_t size)
{
    const char *env = getenv(RENDER_MODULE_ENV);
    if (env && env[0]) {
        int n = snprintf(out, size, "%s", env);
        return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
    }
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len < 0)
        return -errno;
    if ((size_t)len >= sizeof exe - 1)
        return -ENAMETOOLONG;
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return -ENOENT;
    *slash = '\0';
    int n = snprintf(out, size, "%s/%s", exe, RENDER_MODULE_FILE);
    if (n < 0 || (size_t)n >= size)
        return -ENAMETOOLONG;
    if (access(out, F_OK) == 0)
        return 0;
    /* Installed: a loadable module belongs under lib/, not bin/. */
    n = snprintf(out, size, "%s/../%s/%s", exe, RENDER_MODULE_INSTALL_DIR, RENDER_MODULE_FILE);
    if (n < 0 || (size_t)n >= size)
        return -ENAMETOOLONG;
    if (access(out, F_OK) == 0)
        return 0;
    /* Neither: name the first place, where the build writes it. */
    n = snprintf(out, size, "%s/%s", exe, RENDER_MODULE_FILE);
    return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* -ELIBBAD with the reason when `api` is not a table this build can call. */
static int check_table(const struct render_api *api, char *why, size_t why_size)
{
    if (!api) {
        snprintf(why, why_size, "%s returned no table", RENDER_API_SYMBOL);
        return -ELIBBAD;
    }
    if (api->version != RENDER_API_VERSION || api->size < sizeof *api || !api->pdf ||
        !api->chart) {
        snprintf(why, why_size,
                 "its table is version %u (%zu bytes); this sertibot needs version %u (%zu "
                 "bytes): the module is from another build",
                 api->version, api->size, RENDER_API_VERSION, sizeof *api);
        return -ELIBBAD;
    }
    return 0;
}

int render_module_open(struct render_module *m, const char *path, char *why, size_t why_size)
{
    char unused[1];
    if (!why || !why_size) {
        why = unused;
        why_size = sizeof unused;
    }
    why[0] = '\0';
    *m = (struct render_module){ 0 };
    if (!path || !path[0]) {
        snprintf(why, why_size, "no path given");
        return -EINVAL;
    }
    /* A name without a slash would send dlopen searching the library path:
     * the module is a file, relative to the working directory then. */
    char local[PATH_MAX];
    if (!strchr(path, '/')) {
        int n = snprintf(local, sizeof local, "./%s", path);
        if (n < 0 || (size_t)n >= sizeof local)
            return -ENAMETOOLONG;
        path = local;
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        int err = errno;
        snprintf(why, why_size, "%s", strerror(err));
        return err == ENOENT || err == ENOTDIR ? -ENOENT : -ELIBACC;
    }
    dlerror();
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (!handle) {
        const char *err = dlerror();
        snprintf(why, why_size, "%s", err ? err : "the dynamic linker refused it");
        return -ELIBACC;
    }
    render_api_entry *entry = (render_api_entry *)dlsym(handle, RENDER_API_SYMBOL);
    int rc;
    if (!entry) {
        snprintf(why, why_size, "it has no %s: not a renderer of this sertibot's version",
                 RENDER_API_SYMBOL);
        rc = -ELIBBAD;
    } else {
        m->api = entry();
        rc = check_table(m->api, why, why_size);
    }
    if (rc) {
        dlclose(handle);
        *m = (struct render_module){ 0 };
        return rc;
    }
    m->handle = handle;
    return 0;
}

void render_module_close(struct render_module *m)
{
    if (m && m->handle)
        dlclose(m->handle);
    if (m)
        *m = (struct render_module){ 0 };
}

/* The process's renderer. This is process-wide state, against the project's
 * rule, and on purpose: what it records is process-wide already. dlopen maps
 * a module and its libraries once per process and gives every caller the
 * same handle, and those libraries keep process-wide state of their own
 * (fontconfig's caches); the module cannot be unloaded while a document it
 * made is alive, and the bot has no reason to unload it at all. Carrying a
 * handle instead would change every call of pdf_doc.h and png_chart.h for
 * all their callers (letters, the report, the operator's render-letter, the
 * tests) while adding nothing, since two handles would be the same module.
 * So: written once, under pthread_once (a failure too, so it is logged
 * once), and only read afterwards. A document carries the table it was made
 * with (struct pdf_doc, render_forward.c); only the calls without a
 * document come here. */
struct process_renderer {
    pthread_once_t once;
    int rc;
    struct render_module module;
};

static struct process_renderer *process_renderer(void)
{
    static struct process_renderer renderer = { .once = PTHREAD_ONCE_INIT };
    return &renderer;
}

static void load_process_renderer(void)
{
    struct process_renderer *r = process_renderer();
    char path[PATH_MAX], why[512];
    r->rc = render_module_path(path, sizeof path);
    if (r->rc) {
        log_error("render", "cannot find the renderer module (%s): %s", RENDER_MODULE_FILE,
                  strerror(-r->rc));
        return;
    }
    r->rc = render_module_open(&r->module, path, why, sizeof why);
    if (r->rc)
        log_error("render",
                  "cannot load the renderer module %s: %s; no letter or chart can be drawn "
                  "until it is installed there (or %s names it) and sertibot is restarted",
                  path, why, RENDER_MODULE_ENV);
    else
        log_info("render", "loaded the renderer module %s", path);
}

int render_module_get(const struct render_api **api)
{
    struct process_renderer *r = process_renderer();
    pthread_once(&r->once, load_process_renderer);
    *api = r->rc ? NULL : r->module.api;
    return r->rc;
}
