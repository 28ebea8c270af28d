/* A renderer module from another build, for test_render_module: it has the
 * entry symbol, but its table is of a later version. The loader must refuse
 * it without calling anything in it. */
#include "render_api.h"

__attribute__((visibility("default"))) const struct render_api *sertibot_render_api_v1(void);

const struct render_api *sertibot_render_api_v1(void)
{
    static const struct render_api api = {
        .version = RENDER_API_VERSION + 1,
        .size = sizeof api,
    };
    return &api;
}
