/* render_module: finds and loads the renderer module, sertibot-render.so,
 * which draws the letters (pdf_doc.h) and the report's chart (png_chart.h).
 *
 * Why a module: cairo, pango and what they pull in (glib, harfbuzz,
 * fontconfig, freetype, pixman, X11/xcb...) are some 4 MB of a waiting
 * bot's memory once the dynamic linker has loaded them, and a bot mostly
 * waits; it draws when a letter or a chart is asked for. So the binary does
 * not link them: the module does, and it is loaded on the first drawing.
 *
 * Where: the file named by the environment variable SERTIBOT_RENDER_MODULE
 * when it is set and not empty, else RENDER_MODULE_FILE in the directory of
 * the running executable (/proc/self/exe), which is where the build writes
 * it (beside sertibot and the tests), else RENDER_MODULE_INSTALL_DIR beside
 * that directory (bin/../lib/sertibot), where `cmake --install` puts it.
 * When neither exists, the path beside the executable is the one named.
 *
 * Errors, from render_module_open and render_module_get: -ENOENT, no file at
 * the path; -ELIBACC, the dynamic linker refused it (not a library, a
 * library it needs is missing, a symbol unresolved); -ELIBBAD, it is a
 * library but not a renderer this build can use (no RENDER_API_SYMBOL, or a
 * table of another version or too small); -ENAMETOOLONG, the path does not
 * fit. The caller of a drawing function gets the error back; nothing
 * crashes, and the rest of the bot goes on. */
#ifndef SERTIBOT_RENDER_MODULE_H
#define SERTIBOT_RENDER_MODULE_H

#include <stddef.h>

#include "render_api.h"

/* The environment variable that names the module's file. */
#define RENDER_MODULE_ENV "SERTIBOT_RENDER_MODULE"
/* The installed module's directory, relative to the installation prefix. */
#define RENDER_MODULE_INSTALL_DIR "lib/sertibot"

/* A module opened by render_module_open: `api` is valid until
 * render_module_close. */
struct render_module {
    void *handle;
    const struct render_api *api;
};

/* Writes the module's path (see above) into `out`. 0, -ENAMETOOLONG, or the
 * negative errno of reading /proc/self/exe. */
int render_module_path(char *out, size_t size);

/* Opens the module at `path` (RTLD_NOW | RTLD_LOCAL: every symbol it needs
 * is resolved now, and none of its own is added to the process's global
 * name space; and RTLD_NODELETE, see render_module_close) and checks its
 * table's version and size. On error nothing
 * stays loaded, *m is zeroed, and `why` (of `why_size` bytes; may be NULL)
 * says why in a sentence, dlerror()'s text included. Does not log. */
int render_module_open(struct render_module *m, const char *path, char *why, size_t why_size);

/* Lets go of a module render_module_open opened (a zeroed one is ignored).
 * The module stays mapped until the process ends: the libraries it brings
 * (glib's type system, fontconfig) allocate when they are loaded and
 * cannot be unloaded cleanly, so unloading would only leak their memory. */
void render_module_close(struct render_module *m);

/* The process's renderer, for pdf_doc.h and png_chart.h: the module at
 * render_module_path, opened by the first call and kept until the process
 * ends. A failure is logged once (the path and why) and every call returns
 * the same error: install the module and restart (check-config says whether
 * it loads). Safe to call from any thread. Process-wide on purpose, as the
 * dynamic linker's handle is; why there is no context to carry it instead
 * is argued at its definition (render_module.c). */
int render_module_get(const struct render_api **api);

#endif
