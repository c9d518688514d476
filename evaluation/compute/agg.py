"""The Agg canvas every chart is drawn on (:func:`evaluation.compute.charts.draw`): matplotlib's own,
with a renderer that shapes each text once a session instead of once a chart, twice.

Matplotlib shapes a text (its glyphs and their positions, by FreeType and HarfBuzz) when it
measures it and again when it draws it, and keeps the measurement only for the renderer at hand:
a new one for every chart. Shaping is most of a text's cost (0.35 ms for a label of 20
characters) and a chart has some 24 texts, most of them (tick labels, legend entries, axis
titles) also in the report's other charts. Here both results are kept for the session, keyed by
everything they depend on: the font object (matplotlib's own cache gives one per font files,
hinting and thread), the text, its size, the resolution and the hinting flags. The pixels are
the same: only the shaping is skipped. Each glyph is rendered once for each place within a pixel
(64 × 64 of them) and then copied (:data:`_GLYPHS`), and a text's glyphs are drawn as one image
where their boxes do not overlap (:func:`_layers`).

Measured in CPU a chart, the pixels byte for byte the same (all 261 charts of the 48 bench
reports): 52 ms instead of 71 for 132 charts of 24 reports drawn once each in one session (a
kernel running report after report); 78 instead of 82 when each report's charts are the first
in a fresh process (88 charts of 16 reports: few texts recur within one report); 54 instead of
77 for charts drawn again.

Only plain text goes through the caches: mathtext and TeX are matplotlib's as they are. Drawing
from the kept shaping needs a matplotlib that draws text glyph by glyph (``_draw_text_glyphs_and_boxes``,
as 3.11 does); with one that does not (3.8) only the measurements are kept.
"""
from __future__ import annotations

import functools
import math

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.font_manager import fontManager, get_font
from matplotlib.ft2font import FT2Font

#: Whether this matplotlib draws text glyph by glyph from a shaped layout, as this module does
#: (3.11 does, 3.8 did not). Its private functions are called here as 3.11 has them, so another
#: version draws its own way (checked pixel for pixel on 3.11 only), whatever functions it has.
_LAYOUTS = (tuple(int(part) for part in matplotlib.__version__.split(".")[:2]) == (3, 11)
            and hasattr(RendererAgg, "_draw_text_glyphs_and_boxes") and hasattr(RendererAgg, "_prepare_font")
            and all(hasattr(FT2Font, name) for name in ("_layout", "_set_transform", "_render_glyph")))
if _LAYOUTS:
    from matplotlib.ft2font import RenderMode

#: Rendered glyphs: (font, size, dpi, glyph, hinting, mode, matrix, x and y within their pixel in
#: 1/64) → (coverage, left, top). A glyph moved by whole pixels is the same coverage moved.
_GLYPHS: dict = {}
_MOST_GLYPHS = 20_000  # some 9 MB at the most (all 261 charts of the 48 bench reports: 6 500); emptied when full


@functools.lru_cache(maxsize=8192)
def _measured(font, text: str, size: float, dpi: float, flags) -> tuple[float, float, float]:
    """Width, height and descent (pixels) of a line of ``text``; ``size`` and ``dpi`` are the key only
    (``font`` has them set)."""
    font.set_text(text, 0.0, flags=flags)
    width, height = font.get_width_height()  # of the unrotated text, in 1/64 pixels
    return width / 64.0, height / 64.0, font.get_descent() / 64.0


@functools.lru_cache(maxsize=8192)
def _shaped(font, text: str, size: float, dpi: float, flags, features, language) -> tuple:
    """The glyphs of ``text`` and their positions (``font``'s layout items); ``size`` and ``dpi``
    are the key only (``font`` has them set)."""
    return tuple(font._layout(text, flags=flags, features=features, language=language))


@functools.lru_cache(maxsize=256)
def _heights(font, size: float, dpi: float) -> tuple:
    """Ascent, descent and line gap (pixels) of ``font`` at ``size``, read from its tables as
    matplotlib's ``Text._get_layout`` reads them (``None`` each when the font has neither table)."""
    for table_name, gap, ascent, descent in (("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                                             ("hhea", "lineGap", "ascent", "descent")):
        table = font.get_sfnt_table(table_name)
        if table is None:
            continue
        scale = 1 / font.get_sfnt_table("head")["unitsPerEm"] * size * dpi / 72  # in matplotlib's order
        return table[ascent] * scale, -table[descent] * scale, table[gap] * scale
    return None, None, None


class Renderer(RendererAgg):
    """matplotlib's Agg renderer, its plain texts shaped once a session (:func:`_measured`, :func:`_shaped`)
    and its fonts found once a drawing (:meth:`_font`)."""

    def __init__(self, width, height, dpi):
        super().__init__(width, height, dpi)
        self._fonts = {}

    def _font(self, prop):
        """The font of ``prop``, found once a drawing (by every property of ``prop``, under the
        drawing's rcParams): matplotlib finds it again for each text's layout and drawing, 20 µs
        each and some 100 times a chart, for a handful of sizes and weights."""
        key = (tuple(prop.get_family()), prop.get_slant(), prop.get_variant(), prop.get_weight(),
               prop.get_stretch(), prop.get_size(), prop.get_file(), prop.get_math_fontfamily())
        font = self._fonts.get(key)
        if font is None:
            font = self._fonts[key] = get_font(fontManager._find_fonts_by_props(prop))
        return font

    def _prepare_font(self, font_prop):
        """matplotlib's: the font (:meth:`_font`) cleared and set to the text's size."""
        font = self._font(font_prop)
        font.clear()
        font.set_size(font_prop.get_size_in_points(), self.dpi)
        return font

    def _get_font_height_metrics(self, prop):
        """The hook ``Text._get_layout`` asks first (in 3.11; the PDF backend has it too): the
        same figures, read from the font's tables once a session, not at every text's layout."""
        return _heights(self._font(prop), prop.get_size_in_points(), self.dpi)

    def get_text_width_height_descent(self, s, prop, ismath):
        if ismath is not False:
            return super().get_text_width_height_descent(s, prop, ismath)
        font = self._prepare_font(prop)
        return _measured(font, s, prop.get_size_in_points(), self.dpi, get_hinting_flag())

    if _LAYOUTS:
        def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
            if ismath:
                return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
            font = self._prepare_font(prop)
            size = prop.get_size_in_points()
            features = mtext.get_fontfeatures() if mtext is not None else None
            items = _shaped(font, s, size, self.dpi, get_hinting_flag(),
                            None if features is None else tuple(features),
                            mtext.get_language() if mtext is not None else None)
            self._draw_glyphs(gc, x, y, angle, size, items)

        def _draw_glyphs(self, gc, x, y, angle, size, items):
            """What matplotlib's ``_draw_text_glyphs_and_boxes`` does for plain text (no slant, no
            boxes), each glyph rendered once for each of the 64 × 64 places within a pixel (:data:`_GLYPHS`),
            the glyphs drawn together as few images (:func:`_layers`)."""
            cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
            matrix = (0x10000 * np.array([[cos, -sin], [sin, cos]])).round().astype(int)
            key = tuple(matrix.ravel().tolist())
            flags = get_hinting_flag()
            antialiased = gc.get_antialiased()
            mode = RenderMode.NORMAL if antialiased else RenderMode.MONO
            height = self.height
            draw = self._renderer.draw_text_image
            placed = []
            for item in items:
                dx, dy = item.x, item.y  # dy is upwards
                at_x = round(0x40 * (x + dx * cos - dy * sin))
                at_y = round(0x40 * (height - y + dx * sin + dy * cos))  # FreeType's y is upwards
                glyph = (item.ft_object, size, self.dpi, item.glyph_index, flags, mode, key, at_x & 63, at_y & 63)
                drawn = _GLYPHS.get(glyph)
                if drawn is None:
                    font = item.ft_object
                    font.set_size(size, self.dpi)
                    font._set_transform(matrix, [at_x & 63, at_y & 63])
                    bitmap = font._render_glyph(item.glyph_index, flags, mode)
                    buffer = np.array(bitmap.buffer)
                    if not antialiased:
                        buffer *= 0xff
                    if len(_GLYPHS) >= _MOST_GLYPHS:
                        _GLYPHS.clear()
                    drawn = _GLYPHS[glyph] = (buffer, bitmap.left, bitmap.top)
                buffer, left, top = drawn
                if buffer.size:
                    placed.append((buffer, left + (at_x >> 6), int(height) - (top + (at_y >> 6))))
            for image, left, top in _layers(placed):
                draw(image, left, top + image.shape[0], 0, gc)


def _layers(placed):
    """The glyphs of a text (coverage, left column, top row; in drawing order) as few images (the
    same triples) that draw the same pixels: Agg blends a glyph's coverage into the picture pixel by
    pixel and leaves a pixel of no coverage as it is, so glyphs whose boxes do not overlap draw the
    same as one image of them all. A glyph whose box overlaps an earlier one's goes into an image
    drawn after that one's, so a pixel two glyphs cover is blended twice, in their order.

    Agg's draw of a glyph costs some 5 µs besides its pixels and a text of 12 glyphs needs 1.26
    images on average (all 71 514 glyphs of the 261 bench charts: 7 614 images). Drawing a chart
    (each of the 261 bench charts drawn five times each way in turn): 14.0 → 13.6 CPU-ms, the
    least of each chart's times (medians 15.6 → 15.1), the pixels of all 300 charts the same."""
    layers = []  # [bounds (left, top, right, bottom), glyphs]
    for glyph in placed:
        buffer, left, top = glyph
        right, bottom = left + buffer.shape[1], top + buffer.shape[0]
        at = 0
        for k in range(len(layers) - 1, -1, -1):
            x0, y0, x1, y1 = layers[k][0]
            if left < x1 and x0 < right and top < y1 and y0 < bottom:
                at = k + 1
                break
        if at == len(layers):
            layers.append([(left, top, right, bottom), [glyph]])
        else:
            x0, y0, x1, y1 = layers[at][0]
            layers[at][0] = (min(x0, left), min(y0, top), max(x1, right), max(y1, bottom))
            layers[at][1].append(glyph)
    for (x0, y0, x1, y1), glyphs in layers:
        if len(glyphs) == 1:
            yield glyphs[0]
            continue
        image = np.zeros((y1 - y0, x1 - x0), np.uint8)
        for buffer, left, top in glyphs:
            image[top - y0:top - y0 + buffer.shape[0], left - x0:left - x0 + buffer.shape[1]] = buffer
        yield image, x0, y0


class Canvas(FigureCanvasAgg):
    """matplotlib's Agg canvas drawing with :class:`Renderer`."""

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = Renderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer
