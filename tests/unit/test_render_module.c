/* render_module: the loader of the renderer module. A module that is not
 * there, a file that is not a library and a module of another version are
 * each refused with their own error and a reason, and nothing crashes; the
 * real module loads and its table is the version this build speaks; the
 * path comes from SERTIBOT_RENDER_MODULE, else from beside the executable.
 * Then the process's renderer with SERTIBOT_RENDER_MODULE naming a missing
 * file: every drawing call fails with -ENOENT (pdf_doc_new with NULL), and
 * the failure is logged once, not once per call.
 *
 * argv[1]: the built sertibot-render.so (beside this test, as the build puts
 * it); argv[2]: tests/unit/render_stub_other_version.c's module. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pdf_doc.h"
#include "png_chart.h"
#include "render_module.h"

static const char *real_module;  /* argv[1] */
static const char *other_version; /* argv[2] */

static void test_missing_file_is_enoent(void **state)
{
    (void)state;
    struct render_module m = { .handle = (void *)1 };
    char why[256];
    assert_int_equal(render_module_open(&m, "/nonexistent/sertibot-render.so", why, sizeof why),
                     -ENOENT);
    assert_null(m.handle);
    assert_null(m.api);
    assert_non_null(strstr(why, "No such file"));
    assert_int_equal(render_module_open(&m, "", why, sizeof why), -EINVAL);
    render_module_close(&m); /* a zeroed one is ignored */
}

static void test_a_file_that_is_no_library_is_elibacc(void **state)
{
    (void)state;
    char path[] = "/tmp/test_render_module_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "not a library\n", 14), 14);
    close(fd);
    struct render_module m;
    char why[512];
    int rc = render_module_open(&m, path, why, sizeof why);
    unlink(path);
    assert_int_equal(rc, -ELIBACC);
    assert_null(m.handle);
    assert_true(why[0] != '\0'); /* dlerror's words */
}

static void test_module_of_another_version_is_refused(void **state)
{
    (void)state;
    struct render_module m;
    char why[512];
    assert_int_equal(render_module_open(&m, other_version, why, sizeof why), -ELIBBAD);
    assert_null(m.handle);
    assert_null(m.api);
    assert_non_null(strstr(why, "another build"));
    /* No room for the reason is no reason to fail differently. */
    assert_int_equal(render_module_open(&m, other_version, NULL, 0), -ELIBBAD);
}

static void test_the_built_module_loads_with_this_version(void **state)
{
    (void)state;
    struct render_module m;
    char why[512];
    assert_int_equal(render_module_open(&m, real_module, why, sizeof why), 0);
    assert_non_null(m.handle);
    assert_int_equal(m.api->version, RENDER_API_VERSION);
    assert_true(m.api->size >= sizeof *m.api);
    assert_non_null(m.api->pdf->create);
    assert_non_null(m.api->chart->render);
    render_module_close(&m);
    assert_null(m.handle);
}

static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

static void test_path_is_the_environment_else_beside_the_executable(void **state)
{
    (void)state;
    char path[PATH_MAX];
    assert_int_equal(setenv(RENDER_MODULE_ENV, "/opt/x/render.so", 1), 0);
    assert_int_equal(render_module_path(path, sizeof path), 0);
    assert_string_equal(path, "/opt/x/render.so");
    assert_int_equal(render_module_path(path, 5), -ENAMETOOLONG);
    assert_int_equal(setenv(RENDER_MODULE_ENV, "", 1), 0); /* empty: not set */
    assert_int_equal(render_module_path(path, sizeof path), 0);
    assert_true(same_file(path, real_module));
    unsetenv(RENDER_MODULE_ENV);
    assert_int_equal(render_module_path(path, sizeof path), 0);
    assert_true(same_file(path, real_module));
}

/* How many times `needle` is in the file at `path`. */
static int count_in_file(const char *path, const char *needle)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[2048];
    int n = 0;
    while (fgets(line, sizeof line, f))
        n += strstr(line, needle) != NULL;
    fclose(f);
    return n;
}

/* The process's renderer: must be the first use of it in this program. */
static void test_missing_module_fails_every_drawing_and_is_logged_once(void **state)
{
    (void)state;
    assert_int_equal(setenv(RENDER_MODULE_ENV, "/nonexistent/sertibot-render.so", 1), 0);
    char log_path[] = "/tmp/test_render_module_log_XXXXXX";
    int log_fd = mkstemp(log_path);
    assert_true(log_fd >= 0);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    assert_true(saved >= 0);
    assert_int_equal(dup2(log_fd, STDERR_FILENO), STDERR_FILENO);

    struct pdf_doc *doc = (struct pdf_doc *)1;
    int first = pdf_doc_create(&doc);
    struct pdf_doc *again = pdf_doc_new();
    struct png_chart_bar bar = { "1", 50 };
    struct png_chart_spec spec = { .nbars = 1, .bars = &bar, .target = 40 };
    unsigned char *png = (unsigned char *)1;
    size_t len = 1;
    int chart = png_chart_render(&spec, &png, &len);
    struct png_chart_layout layout;
    int laid = png_chart_layout(&spec, &layout);
    double width = pdf_doc_text_width(PDF_FONT_REGULAR, 11, "surat");

    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    close(log_fd);
    unsetenv(RENDER_MODULE_ENV);
    int logged = count_in_file(log_path, "cannot load the renderer module");
    int named = count_in_file(log_path, "/nonexistent/sertibot-render.so");
    unlink(log_path);

    assert_int_equal(first, -ENOENT);
    assert_null(doc);
    assert_null(again);
    assert_int_equal(chart, -ENOENT);
    assert_null(png);
    assert_int_equal(len, 0);
    assert_int_equal(laid, -ENOENT);
    assert_true(width == 0);
    assert_int_equal(logged, 1);
    assert_int_equal(named, 1);
    /* Calls on no document are refused as before, without the module. */
    assert_int_equal(pdf_doc_paragraph(NULL, "x"), -EINVAL);
    assert_int_equal(pdf_doc_page_count(NULL), 1);
    pdf_doc_free(NULL);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s sertibot-render.so render_stub_other_version.so\n", argv[0]);
        return 2;
    }
    real_module = argv[1];
    other_version = argv[2];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_file_is_enoent),
        cmocka_unit_test(test_a_file_that_is_no_library_is_elibacc),
        cmocka_unit_test(test_module_of_another_version_is_refused),
        cmocka_unit_test(test_the_built_module_loads_with_this_version),
        cmocka_unit_test(test_path_is_the_environment_else_beside_the_executable),
        cmocka_unit_test(test_missing_module_fails_every_drawing_and_is_logged_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
