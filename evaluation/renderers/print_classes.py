"""The classes the page gives the blocks the print rules single out, so the print stylesheet
(``templates/print.css.j2``) names them by class instead of by the blocks around them.

WeasyPrint's selectors (cssselect2) test ``:has(+ …)`` by listing every following sibling of
each element of the page, and ``table:has(tr > :nth-child(8)) td`` by listing a table's whole
subtree for each of its cells: 0.055 s of every PDF (1.066 → 1.010 CPU-s a bench report, the
same PDFs byte for byte). The page now says what those selectors found: a wide table (:func:`width`), a heading's one-paragraph introduction to a table or chart
(:data:`INTRO`), and the blocks that go onto a very wide table's landscape page
(:data:`LANDSCAPE`). The screen page carries the same classes; its stylesheet has no rule for them.

>>> from evaluation.core.model import Grid, Heading, Paragraph, Section
>>> def matrix(n): return Grid("m", "Matris", "", ("Kolumn",) * (n - 1), ())
>>> section_classes(Section("a", "Avsnitt", (Paragraph("Inledning."), matrix(3))))
('', ['intro', ''])
>>> section_classes(Section("a", "Avsnitt", (Paragraph("Före."), Heading("Rubrik"), Paragraph("Text."), matrix(14))))
('', ['', 'landscape', 'landscape intro', 'landscape'])
>>> section_classes(Section("a", "Avsnitt", (matrix(12), Paragraph("Not.", "note"), Paragraph("Efter."))))
('landscape', ['landscape', 'landscape', ''])
"""
from __future__ import annotations

from collections import namedtuple

#: From this many columns a table gets the small type (``wide``), from :data:`WIDEST` a
#: landscape page of its own (``widest``): the report's tables and the evaluator's Markdown tables.
WIDE = 8
WIDEST = 12
#: A paragraph between a heading and a table or chart it introduces: kept with what follows.
INTRO = "intro"
#: A very wide table, the note after it, and before it up to three headings and one text.
LANDSCAPE = "landscape"


def width(columns: int) -> str:
    """The classes of a table of ``columns`` columns.

    >>> width(7), width(8), width(12)
    ('', 'wide', 'wide widest')
    """
    return " ".join(name for name, least in (("wide", WIDE), ("widest", WIDEST)) if columns >= least)


def columns(block) -> int:
    """How many columns a report table (``Table``) or matrix (``Grid``: its row headers too) shows."""
    return len(block.headers) if type(block).__name__ == "Table" else len(block.columns) + 1


#: An element of the page as the print rules see it: its tag and classes.
_Element = namedtuple("_Element", "tag classes")


def _elements(block) -> list[_Element]:
    """The elements a block puts into its section, as ``templates/blocks.html.j2`` writes them."""
    kind = type(block).__name__
    if block is None:
        return []
    if kind == "Heading":
        return [_Element(f"h{block.level}", ())]
    if kind in ("Paragraph", "Markdown"):
        return [_Element("p" if kind == "Paragraph" else "div", tuple(block.style.split()))]
    if kind == "Signature":
        return [_Element("div", ("underskrift",))]
    if kind in ("Table", "Grid"):
        return [_Element("figure", ("table", *width(columns(block)).split()))]
    if kind == "Chart":
        return [_Element("figure", ("chart",))]
    if kind == "Sources":
        return [_Element("h3", ()), _Element("ol", ("kallor",))]
    return [_Element(kind, ())]  # a list, quote, facts or sub-section: no print rule names it


def _widest(e) -> bool:
    return e is not None and e.tag == "figure" and "widest" in e.classes


def _text(e) -> bool:  # a text: div:not(.note), p:not(.note)
    return e is not None and e.tag in ("div", "p") and "note" not in e.classes


def _tag(e, *tags) -> bool:
    return e is not None and e.tag in tags


def _intro(before, e, after) -> bool:
    """``:is(h2, h3, h4) + p:has(+ figure)``."""
    return _tag(before, "h2", "h3", "h4") and e.tag == "p" and _tag(after, "figure")


def _landscape(before, e, after) -> bool:
    """What went onto a landscape page by the rule the print stylesheet had (``section > :is(…)``):
    the table, the ``.note`` after it, and before it a heading or text, two headings or a heading
    and a text, or three headings or two and a text, each right before the next."""
    one, two, three = after[0], after[1], after[2]
    heading = _tag(e, "h2", "h3", "h4")
    return (_widest(e) or (_widest(before) and "note" in e.classes)
            or ((heading or _text(e)) and _widest(one))
            or (heading and (_tag(one, "h3", "h4") or _text(one)) and _widest(two))
            or (_tag(e, "h2", "h3") and _tag(one, "h3", "h4") and (_tag(two, "h4") or _text(two)) and _widest(three)))


def section_classes(section) -> tuple[str, list[str]]:
    """The print classes of a section's heading, and of each of its blocks (``""``: none).

    A block that puts more than one element into its section (sources: a heading and a list)
    is never one the rules name, so its classes stay empty.
    """
    heading = _Element(f"h{2 + section.depth}", ())
    owners, elements = [None], [heading]
    for index, block in enumerate(section.blocks):
        made = _elements(block)
        owners += [index if len(made) == 1 else None] * len(made)
        elements += made
    padded = [None] + elements + [None, None, None]
    found: dict = {}
    for at, e in enumerate(elements):
        before, after = padded[at], padded[at + 2:at + 5]
        names = [name for name, rule in ((LANDSCAPE, _landscape(before, e, after)), (INTRO, _intro(before, e, after[0])))
                 if rule]
        if names:
            found[owners[at] if at else "heading"] = " ".join(names)
    return found.pop("heading", ""), [found.get(index, "") for index in range(len(section.blocks))]

