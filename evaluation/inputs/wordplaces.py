"""Where a line of a Word text converted to Markdown is, as the text's writer finds it in Word.

A Word text has no lines to go to: a message about one names the heading above the place (Word's
navigation pane lists the headings) and which paragraph after it, as Word counts paragraphs.
"""
from __future__ import annotations

import re

from evaluation.core import fmt, markup, names, pii

#: The longest heading a message names a Word paragraph by (longer ones are cut with "…").
_HEADING_SHOWN = 60
#: The most digits a heading a message names may have (a year, a number): more may be half of a
#: personnummer split over the heading and the paragraph under it.
_HEADING_DIGITS = 4
#: Lines of the converted Markdown that are no paragraph in Word (the conversion's break between lists).
_NOT_A_PARAGRAPH = ("&nbsp;", "\\")
#: A list item's first line in Markdown (``- ``, ``* ``, ``+ ``, ``1. ``, ``1) ``).
_LIST_ITEM = re.compile(r"(?:[-*+]|\d{1,9}[.)])\s")
#: A footnote's text in the converted Markdown (``[^1]: ...``), after the text.
_FOOTNOTE = re.compile(r"\[\^([^\]]+)\]:")
#: The line under a Markdown table's header row (``|---|:--:|``).
_RULE = re.compile(r"\|?(?:\s*:?-+:?\s*\|)+\s*:?-*:?\s*")


def _cells(row: str) -> list[str]:
    """The cells of a Markdown table's row (``\\|`` is a bar inside a cell)."""
    return [cell.replace("\\|", "|").strip() for cell in re.split(r"(?<!\\)\|", row.strip().strip("|"))]


def word_place(markdown: str, line: int, kind: str | None = None, title: int = 0) -> str:
    """Where line ``line`` of a Word text converted to Markdown is, as its writer finds it in Word:
    the heading above it (Word's navigation pane lists them) and which paragraph after it
    (``stycke 2``), or which paragraph of the text when no heading is above it. Each item of a
    list is a paragraph, as Word counts them; empty paragraphs are not counted (the conversion
    leaves them out). A heading is named only when it has at most :data:`_HEADING_DIGITS`
    digits (a heading may hold half of a split personnummer) and no person's name; else, and for
    a hit in a heading itself, it is counted (``rubrik 2``). A footnote is named by its number
    (``fotnot 1``); the first ``title`` lines are the text's title lines (``i titelraderna överst``),
    which Word does not count as headings.

    >>> text = "Inledning.\\n\\n# Bakgrund\\n\\nFörsta stycket.\\n\\n- en punkt\\n- en till\\n\\n&nbsp;\\n\\nFjärde."
    >>> word_place(text, 1), word_place(text, 8), word_place(text, 12)
    ('stycke 1', "under rubriken 'Bakgrund', stycke 3", "under rubriken 'Bakgrund', stycke 4")
    >>> word_place("# Bakgrund\\n\\n## Kund 811218\\n\\n-9876 är kunden.", 3)
    'i rubrik 2 (räknat uppifrån i texten)'
    >>> word_place("# Bakgrund\\n\\n## Kund 811218\\n\\n-9876 är kunden.", 5)
    'under rubrik 2 (räknat uppifrån i texten), stycke 1'

    A table is no paragraph: a place in one names the table (counted under its heading, as the
    paragraphs are), its row as Word numbers them (the header row is row 1) and the cells that
    hold personal data (of ``kind``, when given: :func:`evaluation.core.pii.value_kind`), when
    the cells alone do, else the two side by side that read as one personnummer.

    >>> table = "# Parter\\n\\nText.\\n\\n| Part | Kontakt |\\n|---|---|\\n| Kommunen | 070-123 45 67 |\\n\\nEfter."
    >>> word_place(table, 7), word_place(table, 9)
    ("under rubriken 'Parter', tabell 1, rad 2, kolumn 2", "under rubriken 'Parter', stycke 2")
    >>> two = "| Part | Kontakt | E-post |\\n|---|---|---|\\n| Kommunen | 070-123 45 67 | a@b.se |"
    >>> word_place(two, 3, "telefonnummer"), word_place(two, 3)
    ('tabell 1, rad 2, kolumn 2', 'tabell 1, rad 2, kolumnerna 2 och 3')
    >>> word_place("| Kund | Nummer | Not |\\n|---|---|---|\\n| Kund 811218 | -9876 | x |", 3)
    'tabell 1, rad 2, kolumnerna 1 och 2'
    >>> notes = "# Intervju med Karin Larsson\\n\\nText.[^1]\\n\\n[^1]: En källa.\\n\\n    Mer om den."
    >>> word_place(notes, 3), word_place(notes, 5), word_place(notes, 7)
    ('under rubrik 1 (räknat uppifrån i texten), stycke 1', 'fotnot 1', 'fotnot 1')
    >>> word_place("# Titeln\\n\\n# Bakgrund\\n\\nText.", 1, title=2), word_place("# Titeln\\n\\n# Bakgrund\\n\\nText.", 5, title=2)
    ('i titelraderna överst', "under rubriken 'Bakgrund', stycke 1")
    """
    if line <= title:
        return "i titelraderna överst"
    heading, headings, paragraph, tables, row, blank, note = "", 0, 0, 0, 0, True, None
    lines = markdown.split("\n")[title:line]
    for text in lines:
        stripped = text.strip()
        footnote = _FOOTNOTE.match(text)
        if footnote or (note and (text.startswith((" ", "\t")) or not stripped)):  # a footnote's text, at the end
            note = footnote[1] if footnote else note
            continue
        note = None
        if stripped.startswith("#"):
            heading, headings, paragraph, tables, blank = stripped.lstrip("#").strip(), headings + 1, 0, 0, True
            continue
        if stripped.startswith("|"):  # a table's row (every cell one line: see word_tables.lua)
            tables, row = (tables + 1, 0) if blank else (tables, row)
            row += not _RULE.fullmatch(stripped)
            blank = False
            continue
        if stripped in _NOT_A_PARAGRAPH:
            blank = True
            continue
        if stripped and (blank or _LIST_ITEM.match(stripped)):
            paragraph += 1
        blank = not stripped
    if note:
        return f"fotnot {note}"
    last = lines[-1].strip() if lines else ""
    if last.startswith("#"):
        return f"i rubrik {headings} (räknat uppifrån i texten)"
    where = f"stycke {max(paragraph, 1)}"
    if last.startswith("|"):
        texts = _cells(last)
        found = {i: pii.value_kind(cell) for i, cell in enumerate(texts, 1)}
        cells = [i for i, found_kind in found.items() if found_kind and found_kind == kind] or [
            i for i, found_kind in found.items() if found_kind]
        if not cells and kind in (None, pii.PNR):  # a number split over two cells side by side: both
            cells = next(([i, i + 1] for i in range(1, len(texts))
                          if pii.looks_like_pnr(f"{texts[i - 1]} {texts[i]}", luhn=True)), [])
        where = f"tabell {tables}, rad {row}" + (f", kolumn {cells[0]}" if len(cells) == 1 else
                                                 f", kolumnerna {fmt.swedish_list(map(str, cells))}" if cells else "")
    heading = markup.ESCAPED.sub(r"\1", heading)
    if not headings:
        return where
    if not heading.strip("*_ ") or names.name_lines(heading) or sum(c.isdigit() for c in heading) > _HEADING_DIGITS:
        return f"under rubrik {headings} (räknat uppifrån i texten), {where}"
    return f"under rubriken {pii.quote(fmt.shortened(heading, _HEADING_SHOWN))}, {where}"
