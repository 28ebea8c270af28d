/* render_entry: the renderer module's one exported symbol (render_api.h).
 * The module is built with hidden visibility; only this function is
 * visible to dlsym. */
#include "render_api.h"

__attribute__((visibility("default"))) const struct render_api *sertibot_render_api_v1(void);

const struct render_api *sertibot_render_api_v1(void)
{
    static const struct render_api api = {
        .version = RENDER_API_VERSION,
        .size = sizeof api,
        .pdf = &render_pdf_calls,
        .chart = &render_chart_calls,
    };
    return &api;
}
