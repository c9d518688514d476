"""WeasyPrint's lines of text drawn once a process and written again where they stand again,
the same PDF byte for byte (:func:`apply`).

Like :mod:`evaluation.renderers.weasyspeed`, of which it is the drawing's part: it replaces one
step of WeasyPrint with one that gives the same result, checks first that the library still
draws the way it knows, and else leaves it as it is (``tests/test_pdf.py``).
"""
from __future__ import annotations

import functools

from evaluation.renderers.weasyspeed import KeptLines


class _Unkept(Exception):
    """A line whose drawing reads what :class:`_Recorder` does not keep: WeasyPrint draws it."""


#: The kinds of font (pictures for glyphs) whose lines are drawn otherwise: a line in a font of one
#: is left to WeasyPrint.
_FLAGS = frozenset({"bitmap", "png", "svg", "colr"})


class _Alone:
    """A font as one line sees it drawn alone: the widths and characters of its glyphs its own
    (empty when it begins), its name the font's; any other property stops the recording."""

    def __init__(self, font):
        self.hash, self.widths, self.to_unicode = font.hash, {}, {}
        self.font = font

    def __getattr__(self, name):
        value = getattr(self.font, name) if name in _FLAGS else True
        if value:
            raise _Unkept(name)
        return value


class _Recorder:
    """A stream that keeps what a line's drawing writes, to write it again (:func:`apply`)."""

    def __init__(self, stream, matrix, key_of):
        self.stream, self.matrix, self.key_of = stream, tuple(matrix.values), key_of
        self.ops, self.fonts = [], {}  # the fonts by key, each as the line sees it alone (_Alone)

    def __getattr__(self, name):
        if name in ("ink_rect", "logical_rect"):  # where Pango writes a glyph's measures
            return getattr(self.stream, name)
        raise _Unkept(name)

    def add_font(self, pango_font):
        font, size = self.stream.add_font(pango_font)
        key = self.key_of(pango_font)[0]
        if key not in self.fonts:
            self.fonts[key] = _Alone(font)
        return self.fonts[key], size

    def set_text_matrix(self, *values):
        if values != self.matrix:
            raise _Unkept("set_text_matrix")
        self.ops.append(("set_text_matrix", None))

    def show_text(self, text):
        self.ops.append(("show_text", (text,)))

    def set_font_size(self, font, size):
        self.ops.append(("set_font_size", (font, size)))

    def set_text_rise(self, height):
        self.ops.append(("set_text_rise", (height,)))

    def line(self):
        """What was written, and each font's glyphs: ``(ops, ((key, widths, characters), ...))``."""
        return tuple(self.ops), tuple((key, tuple(alone.widths.items()), tuple(alone.to_unicode.items()))
                                      for key, alone in self.fonts.items())


def written_again(stream, line, matrix) -> bool:
    """Write a kept line (:meth:`_Recorder.line`) to ``stream`` as WeasyPrint would, if the fonts
    it uses are the document's and give its glyphs the widths it was drawn with; else ``False``."""
    ops, fonts = line
    known = stream._fonts
    used = []
    for key, widths, characters in fonts:
        font = known.get(key)
        if font is None:
            return False
        have = font.widths
        for glyph, width in widths:
            if have.get(glyph, width) != width:
                return False
        used.append((font, widths, characters))
    for font, widths, characters in used:
        have, mapped = font.widths, font.to_unicode
        for glyph, width in widths:
            have.setdefault(glyph, width)
        for glyph, character in characters:
            mapped.setdefault(glyph, character)
    for name, args in ops:
        getattr(stream, name)(*(matrix.values if args is None else args))
    return True


#: The most drawn lines kept for a font configuration (:func:`apply`), some 17 MB; when
#: full, it starts again empty. The 48 bench reports drew 2 100 different lines (3 MB more at most).
KEPT_DRAWN = 10_000


@functools.cache
def apply() -> None:
    """Let WeasyPrint draw a line of text once a process, and write what it wrote again where the
    same line stands again.

    To draw a line WeasyPrint lays its text out again with Pango (the layout it measured was let
    go) and writes each glyph's number and place into the page, a glyph at a time in Python: some
    1 150 lines a bench report, nine in ten of a text, style and spacing drawn before (labels,
    figures, the running header and footer). Here a line is drawn once onto a recorder
    (:class:`_Recorder`), as if it were the first in its fonts, and what it writes is kept with
    the widths and characters its glyphs gave each font, by the texts, the spacing and every
    property the line's layout reads, for the fonts of one font configuration
    (:class:`evaluation.renderers.weasyspeed.KeptLines`). A kept line is written again where the document's fonts give its glyphs the
    widths it was drawn with (:func:`written_again`: a font keeps a glyph's width from the first
    size it is drawn at), and its glyphs are added to the fonts as WeasyPrint adds them: the same
    PDF, byte for byte (``tests/test_pdf.py``; the 57 bench and demo PDFs), for 10 % less CPU a
    bench PDF once the lines are kept (960 → 864 ms, and 1 088 → 929 ms while they are being kept:
    the 48 bench PDFs written with and without, interleaved in one process). The Pango layout is
    made again only for a line WeasyPrint draws: one with an ellipsis, in a font the document has
    not used yet, in other widths, or whose drawing reads what the recorder does not keep (a font
    of pictures, a missing glyph), and a picture's (SVG) text. A WeasyPrint whose text is drawn
    in other steps is left as it is.
    """
    from weasyprint.css.functions import check_math
    from weasyprint.draw import text as drawing
    from weasyprint.formatting_structure.boxes import TextBox
    from weasyprint.pdf import stream as streams
    from weasyprint.text import fonts, line_break

    draw = getattr(drawing, "draw_first_line", None)
    layout_class = getattr(line_break, "Layout", None)
    steps = (getattr(drawing, "draw_text", None), getattr(streams.Stream, "__init__", None))
    if draw is None or layout_class is None or not all(hasattr(step, "__code__") for step in steps):
        return
    if not {"reactivate", "draw_first_line", "deactivate"} <= set(steps[0].__code__.co_names) \
            or "_fonts" not in steps[1].__code__.co_names:  # where written_again finds the document's fonts
        return
    reactivate, deactivate = layout_class.reactivate, layout_class.deactivate
    key_of = fonts.get_pango_font_key
    lines = KeptLines(KEPT_DRAWN)

    def when_drawn(self, style):
        self.style = style

    def deactivated(self):
        if "layout" in vars(self):
            deactivate(self)
        else:
            vars(self).pop("style", None)

    def drawn(stream, textbox, text_overflow, block_ellipsis, matrix):
        layout = textbox.pango_layout
        if ("layout" in vars(layout) or type(textbox) is not TextBox
                or text_overflow == "ellipsis" or block_ellipsis != "none"):
            if "layout" not in vars(layout):
                reactivate(layout, layout.style)
            return draw(stream, textbox, text_overflow, block_ellipsis, matrix)
        style = textbox.style
        values = lines.values(style)
        key = (textbox.text, layout.text, layout.justification_spacing, values)
        kept = lines.of(style)
        try:
            line = kept.get(key)
        except TypeError:  # a value that cannot be a key
            line = key = None
        if line is not None and written_again(stream, line, matrix):
            return []
        reactivate(layout, layout.style)
        if line is None and key is not None and not any(check_math(value) for value in values):
            recorder = _Recorder(stream, matrix, key_of)
            try:
                emojis = draw(recorder, textbox, text_overflow, block_ellipsis, matrix)
            except _Unkept:
                emojis = None
            if emojis == []:
                line = lines.keep(kept, key, recorder.line())
                if written_again(stream, line, matrix):
                    return []
        return draw(stream, textbox, text_overflow, block_ellipsis, matrix)

    drawn.__wrapped__, when_drawn.__wrapped__, deactivated.__wrapped__ = draw, reactivate, deactivate
    layout_class.reactivate, layout_class.deactivate = when_drawn, deactivated
    drawing.draw_first_line = drawn
