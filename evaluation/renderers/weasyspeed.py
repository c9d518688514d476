"""WeasyPrint made cheaper for the report's PDF, the same PDF byte for byte (:func:`apply`).

Each function here replaces one step of WeasyPrint (or of the HTML parser and PDF writer it
uses) that redid work a report's PDF needs once, with a step that gives the same result; each
checks first that the library still does it the way the replacement knows, and else leaves it
as it is. ``tests/test_pdf.py`` compares each with the library's own way.
"""
from __future__ import annotations

import functools
import operator
import re
import types
import weakref
import zlib


def apply() -> None:
    """Every replacement of this module (each once a process)."""
    _parser_keeps_its_patterns()
    _streams_at_zlib_default()
    _page_references_kept()
    _font_descriptions_kept()
    _plain_styles_directly()
    _line_measures_kept()


class _Patterns(dict):
    """tinyhtml5's patterns of characters to read up to, made once for each set of characters.

    >>> patterns = _Patterns()
    >>> patterns[("<", "&"), False].match("a b<c").group(), patterns[("<",), False].match("a&b<c").group()
    ('a b', 'a&b')
    >>> patterns[(" ", "\\n"), True].match(" \\n x").group() == " \\n ", len(patterns)
    (True, 3)
    """

    def __missing__(self, key):
        characters, opposite = key
        ranges = "".join(f"\\x{ord(character):02x}" for character in characters)
        pattern = self[key] = re.compile(f"[{ranges}]+" if opposite else f"[^{ranges}]+")
        return pattern


@functools.cache
def _parser_keeps_its_patterns() -> None:
    """Let WeasyPrint's HTML parser (tinyhtml5) find the patterns it made before.

    Its cache of them is filed under each new pattern instead of the characters it is asked for,
    so the tokenizer made a pattern again for each run of text and attributes (some 2 500 a
    page). Here the cache makes the same pattern when first asked and then keeps it. Another
    tinyhtml5 is left as it is.
    """
    try:
        from tinyhtml5 import inputstream
    except ImportError:
        return
    if type(getattr(inputstream, "characters_until_regex", None)) is dict:
        inputstream.characters_until_regex = _Patterns()


#: The properties of a style that WeasyPrint's Pango font description is made of.
FONT_DESCRIPTION = ("font_family", "font_style", "font_stretch", "font_weight", "font_size", "font_variant_caps",
                    "font_variation_settings")


@functools.cache
def _font_descriptions_kept() -> None:
    """Let WeasyPrint make each Pango font description once a process, not once for each text it
    lays out or draws.

    It made one for every Pango layout, some 4 000 a report, all of a handful of fonts and sizes:
    22 ms of CPU a PDF (2.5 %). Kept by the properties it is made of (:data:`FONT_DESCRIPTION`), the
    description is the same, and so is the PDF, byte for byte (``tests/test_pdf.py``). A WeasyPrint
    that makes it of other properties, or elsewhere, is left as it is.
    """
    from weasyprint.text import line_break

    describe = getattr(line_break, "get_font_description", None)
    code = getattr(describe, "__code__", None)
    if code is None or not {c for c in strings_in(code) if c.startswith("font_")} <= set(FONT_DESCRIPTION):
        return
    kept = {}

    def described(style):
        key = tuple(style[name] for name in FONT_DESCRIPTION)
        try:
            return kept[key]
        except KeyError:
            description = kept[key] = describe(style)
            return description
        except TypeError:  # a value that cannot be a key
            return describe(style)

    line_break.get_font_description = described


#: The properties WeasyPrint computes from others, or from the ancestors' ('page'), whatever the
#: element's own style: :func:`_plain_styles_directly` leaves them to it.
_COMPUTED_FROM_OTHERS = frozenset({"position", "float", "display", "page"})


@functools.cache
def _plain_styles_directly() -> None:
    """Let WeasyPrint give an element's property that no rule sets (the parent's value if it is
    inherited, else the initial value) without the way every property goes.

    That way (``ComputedStyle.__missing__``) looks for the property among the element's own
    declarations, its logical twin (``margin-inline-start`` for ``margin-left``), ``var()`` and
    ``calc()`` before it takes the parent's or the initial value: ~80 properties for each of
    ~800 elements, 11 % of a PDF's profile; nine in ten are set by no rule. Those are now
    taken directly, each the value the way gives: 2 % of a PDF's work (5.24 → 5.13 billion
    instructions a bench report, counted by cachegrind: CPU time on the shared machine varied
    more), the same PDFs byte for byte. Every other property, and a value that holds a
    ``calc()``, still goes its way (``tests/test_pdf.py``). Each property's way is found once
    a process, and a value of a type that never holds a ``calc()`` (a number, a word, a length)
    is not looked into: 2 % less (4.69 → 4.59 billion instructions a bench PDF). A property's
    logical twin is named once for each direction (:class:`Twins`), where WeasyPrint's function
    made the name of four strings at each look, for the margins, paddings, borders and sizes of
    every element: 5–8 % less CPU a bench PDF measured alone (939 → 888 and 996 → 918 ms: the 48
    bench PDFs twice, with and without, report by report in one process), 2–4 % with the other
    steps of that stop (``weasylayout``, page references, plain copies) against none of them in
    the same way (924 → 886 and 893 → 874 ms): runs on the shared machine vary by some 2 %.
    A WeasyPrint whose style class differs is left as it is.
    """
    from weasyprint import css

    style = getattr(css, "ComputedStyle", None)
    way = getattr(style, "__missing__", None)
    needed = ("PHYSICAL_FUNCTIONS", "INHERITED", "INITIAL_VALUES", "INITIAL_NOT_COMPUTED", "check_math")
    if way is None or not all(hasattr(css, name) for name in needed):
        return
    logical_of, inherited, initial = css.PHYSICAL_FUNCTIONS, css.INHERITED, css.INITIAL_VALUES
    computed_from_others = _COMPUTED_FROM_OTHERS | css.INITIAL_NOT_COMPUTED
    check_math = css.check_math
    samples = ("none", 0, 0.5, True, None, getattr(getattr(css, "properties", None), "ZERO_PIXELS", "none"))
    no_math = {type(sample) for sample in samples if not check_math(sample)}  # values of these types hold none

    class Twins(dict):
        """A property's logical twin for each direction (``margin-inline-start`` for
        ``margin-left`` in ``ltr``), named once (a name made of four strings each time)."""

        def __init__(self, logical):
            self.logical = logical

        def __missing__(self, direction):
            twin = self[direction] = self.logical(block="ttb", inline=direction)
            return twin

    class Plans(dict):
        """Each property's way: ``None`` (WeasyPrint's own), or whether it is inherited and its
        logical twins (:class:`Twins`, ``None`` for a property without)."""

        def __missing__(self, key):
            own = key in computed_from_others or key[:2] == "__" or key[:16] == "text_decoration_"
            logical = logical_of.get(key)
            plan = self[key] = None if own else (key in inherited, logical and Twins(logical))
            return plan

    plans = Plans()

    def plain(self, key):
        parent = self.parent_style
        plan = plans[key]
        if plan is None or key in self.cascaded or parent is None:
            return way(self, key)
        inherit, twins = plan
        if twins is not None and twins[self["direction"]] in self.cascaded:
            return way(self, key)
        value = parent[key] if inherit else initial[key]
        if type(value) not in no_math and check_math(value):
            return way(self, key)
        self[key] = value
        return value

    plain.__wrapped__ = way
    style.__missing__ = plain


#: The zlib level of the PDF's streams (page contents, fonts, the object and cross-reference
#: streams): zlib's own default, where pydyf asks for the most (9). On the bench reports' 590 kB
#: of streams a PDF that is 33 ms of CPU at 9 and 10 ms at 6, for 97 kB instead of 94.
ZLIB_LEVEL = 6


def _compressobj(level=ZLIB_LEVEL, *args, **kwargs):
    return zlib.compressobj(ZLIB_LEVEL, *args, **kwargs)


@functools.cache
def _streams_at_zlib_default() -> None:
    """Let pydyf compress the PDF's streams at :data:`ZLIB_LEVEL` instead of the level it names.

    The streams hold the same bytes once inflated, so every page is drawn the same, pixel for
    pixel (every page of the 48 bench and 9 demo reports, at 60 dpi, and their text), and the
    level is the one asked for (``tests/test_pdf.py``). A pydyf that reads zlib some other way is
    left as it is.
    """
    import pydyf

    if getattr(pydyf, "zlib", None) is zlib:
        pydyf.zlib = types.SimpleNamespace(compress=zlib.compress, compressobj=_compressobj)


#: The most sets of page references kept (:func:`_page_references_kept`): one a PDF is looked in.
KEPT_PAGE_REFERENCES = 64


@functools.cache
def _page_references_kept() -> None:
    """Let pydyf make the references to the PDF's pages once for each set of pages, not once for
    each look.

    WeasyPrint looks one up for each tagged piece of a page (some 2 200 a bench report) and
    pydyf made them all, one a page, each time: about 0.5 % of a bench PDF's CPU (A/B in one
    process, 48 bench PDFs twice). Kept by the page numbers they are made of, they are the
    same. A pydyf without the property, or one that lets it be set, is left as it is.
    """
    import pydyf

    way = vars(pydyf.PDF).get("page_references")
    if not isinstance(way, property) or way.fset is not None:
        return
    kept = {}

    def references(self):
        numbers = tuple(self.pages["Kids"][::3])
        made = kept.get(numbers)
        if made is None:
            if len(kept) >= KEPT_PAGE_REFERENCES:
                kept.clear()
            made = kept[numbers] = way.fget(self)
        return made

    references.__wrapped__ = way
    pydyf.PDF.page_references = property(references)


#: Every property of a style that WeasyPrint reads to measure a line (``split_first_line`` and what
#: it calls: :data:`_MEASURING`): what a measure is kept under, beside the text and the arguments.
LINE_PROPERTIES = ("white_space", "font_size", "direction", "lang", "font_language_override", "font_family",
                   "font_style", "font_stretch", "font_weight", "font_variant_caps", "font_variation_settings",
                   "font_kerning", "font_variant_ligatures", "font_variant_position", "font_variant_numeric",
                   "font_variant_alternates", "font_variant_east_asian", "font_feature_settings",
                   "text_decoration_line", "word_spacing", "letter_spacing", "overflow_wrap", "word_break", "tab_size",
                   "hyphens", "hyphenate_character", "hyphenate_limit_chars", "hyphenate_limit_zone")

#: The most lines kept for a font configuration (:func:`_line_measures_kept`), some 18 MB; when
#: full, it starts again empty. The 48 bench reports made 7 000 different lines.
KEPT_LINES = 20_000


class KeptLines:
    """Lines kept for the fonts of each font configuration, let go with it, each under a key that
    holds its style's :data:`LINE_PROPERTIES` (:meth:`values`): at most ``most`` a configuration;
    when full, it starts again empty. What a line is (a measure, a drawing) is the keeper's."""

    def __init__(self, most: int):
        self.most, self._by_fonts = most, weakref.WeakKeyDictionary()

    #: The style's values of :data:`LINE_PROPERTIES`, as a tuple: a look-up in C, a third of
    #: the CPU of a loop in Python (each measured or drawn line takes one).
    values = staticmethod(operator.itemgetter(*LINE_PROPERTIES))

    def of(self, style) -> dict:
        """The lines kept for ``style``'s font configuration."""
        kept = self._by_fonts.get(style.font_config)
        if kept is None:
            kept = self._by_fonts[style.font_config] = {}
        return kept

    def keep(self, kept: dict, key, line):
        """Keep ``line`` under ``key`` in ``kept`` (what :meth:`of` gave); return it."""
        if len(kept) >= self.most:
            kept.clear()
        kept[key] = line
        return line


def plain(kind) -> bool:
    """Whether ``copy.copy`` copies an object of class ``kind`` as :func:`plain_copy` does: no
    way of its own to copy, reduce or set its state, and no slots."""
    return not any(name in vars(k) for k in kind.__mro__[:-1]
                   for name in ("__copy__", "__reduce__", "__reduce_ex__", "__getstate__", "__setstate__", "__slots__"))


def plain_copy(layout):
    """What ``copy.copy`` gives of a WeasyPrint layout (a class of plain attributes): a new one
    with its attributes, without the way of reducing and rebuilding ``copy.copy`` takes for any
    object, for a fifth of the CPU (0.35 µs, not 1.8). Each kept line is copied at each use
    (:func:`_line_measures_kept`), and each run of a leader's dots (``pdf._leaders_in_runs``)."""
    copied = object.__new__(type(layout))
    vars(copied).update(vars(layout))
    return copied


#: The functions of ``weasyprint.text`` that measure a line, by module and name.
_MEASURING = ("line_break.split_first_line", "line_break.create_layout", "line_break.first_line_metrics",
              "line_break.line_size", "line_break.Layout.__init__", "line_break.Layout.setup",
              "line_break.Layout.set_text", "line_break.Layout.set_tabs", "line_break.Layout.get_first_line",
              "fonts.get_font_description", "fonts.font_features")


def strings_in(code, tuples: bool = False) -> set:
    """The strings a function's code holds, with those of the functions it defines; with
    ``tuples`` also those in tuples of constants (as ``x in ("a", "b")`` compiles), which tell one
    version of a function from another (:mod:`evaluation.renderers.weasylayout`) but are values,
    not the names of what it reads (``"left"`` is both a value and a property)."""
    held = set()
    for constant in code.co_consts:
        if isinstance(constant, str):
            held.add(constant)
        elif tuples and isinstance(constant, tuple):
            held |= {c for c in constant if isinstance(c, str)}
        elif isinstance(constant, types.CodeType):
            held |= strings_in(constant, tuples)
    return held


@functools.cache
def _line_measures_kept() -> None:
    """Let WeasyPrint lay out a line of a text once a process, not each time it is asked.

    To size a table's columns WeasyPrint lays out every text of every cell with Pango, word by
    word for the narrowest width, then lays out each line again where it stands: some 2 900
    layouts a bench report, seven in ten of a text, width and style laid out before, in this
    report or an earlier one (the same labels, figures and "..", the same header on every page,
    pages laid out again for the contents' page numbers). Kept by the text, the arguments and
    every property the line breaking reads (:data:`LINE_PROPERTIES`), for the fonts of one font
    configuration, the line is the same, and so is the PDF, byte for byte (``tests/test_pdf.py``),
    for some 13 % less CPU a bench PDF (6.5 % for the columns' widths, 6.6 % more for the lines
    where they stand: the best of interleaved runs of the 48 bench PDFs). What is kept holds no
    Pango object: WeasyPrint lets a line's go when it has measured it, and makes it again to
    draw the line. Each use gets its own copy, as drawing may change its text (an ellipsis). A
    WeasyPrint whose line breaking reads another property, or that breaks lines elsewhere, is
    left as it is; so is a text whose style holds a ``calc()`` there.
    """
    from weasyprint import css
    from weasyprint.css.functions import check_math
    from weasyprint.layout import inline, preferred
    from weasyprint.text import fonts, line_break

    measure = getattr(line_break, "split_first_line", None)
    if measure is None or not all(getattr(m, "split_first_line", None) is measure for m in (inline, preferred)):
        return
    modules = {"line_break": line_break, "fonts": fonts}
    read = set()
    for name in _MEASURING:
        module, *path = name.split(".")
        function = functools.reduce(getattr, path, modules[module])
        read |= strings_in(getattr(function, "__wrapped__", function).__code__)
    if not read & set(css.INITIAL_VALUES) <= set(LINE_PROPERTIES) or not plain(line_break.Layout):
        return
    lines = KeptLines(KEPT_LINES)

    def measured(text, style, context, max_width, justification_spacing, is_line_start=True, minimum=False):
        values = lines.values(style)
        key = (text, max_width, justification_spacing, is_line_start, minimum, values)
        kept = lines.of(style)
        try:
            layout, *measures = kept[key]
            return (plain_copy(layout), *measures)
        except KeyError:
            direct = any(check_math(value) for value in values)
        except TypeError:  # a value that cannot be a key
            direct = True
        line = measure(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        if not direct and not hasattr(line[0], "layout"):  # its Pango layout let go, as WeasyPrint hands it back
            lines.keep(kept, key, (plain_copy(line[0]), *line[1:]))
        return line

    measured.__wrapped__ = measure
    inline.split_first_line = preferred.split_first_line = measured
