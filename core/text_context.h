/* text_context: the pango context pdf_doc and png_chart shape text with.
 *
 * One unit is 1/72 inch: a point on a PDF page, a pixel on an image surface.
 * Metrics are unhinted and glyph positions unrounded, so a width measured
 * with the context is the width cairo draws on any surface. The caller owns
 * the context (g_object_unref) and the font map it came from. */
#ifndef SERTIBOT_TEXT_CONTEXT_H
#define SERTIBOT_TEXT_CONTEXT_H

#include <pango/pangocairo.h>
#include <stdbool.h>

/* `for_pixels`: grey anti-aliasing and slight hinting of outlines, for an
 * image; else no hinting at all, for a PDF. */
PangoContext *text_context_new(PangoFontMap *fontmap, bool for_pixels);

#endif
