"""Word tables in WordprocessingML: rows written at once, row and cell properties, alt text.

Each function takes python-docx objects and changes their XML in place; none reads or writes
files. :func:`append_rows` writes a table's rows as one piece of XML, the same XML python-docx's
cell by cell API writes, in a tenth of the time.
"""
from __future__ import annotations

from typing import NamedTuple
from xml.sax.saxutils import escape

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.simpletypes import ST_TwipsMeasure
from docx.shared import Length

from evaluation.renderers.wordml import clean, run_content

_TRPR_ORDER = ("w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore", "w:wAfter",
               "w:cantSplit", "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden")


def _row_flag(row, tag: str) -> None:
    trpr = row._tr.get_or_add_trPr()
    if trpr.find(qn(tag)) is not None:
        return
    element = OxmlElement(tag)
    later = _TRPR_ORDER[_TRPR_ORDER.index(tag) + 1:]
    for child in trpr:
        if child.tag in {qn(t) for t in later}:
            child.addprevious(element)
            return
    trpr.append(element)


class Cell(NamedTuple):
    """One table cell for :func:`append_rows`: its text and width (EMU), and how it looks."""

    text: str
    width: int
    bold: bool = False
    fill: str | None = None  # background colour, hex without "#"
    right: bool = False  # right-aligned (numbers)
    size: Length | None = None  # font size, when not the style's
    keep_next: bool = False  # kept on the page of the next row


def _run_xml(text: str, bold: bool, size: Length | None) -> str:
    """A run as python-docx's ``add_run(text)`` writes it: a tab is ``w:tab``, a line break ``w:br``."""
    props = ("<w:b/>" if bold else "") + (f'<w:sz w:val="{round(size.pt * 2)}"/>' if size else "")
    content = []
    for tag, part in run_content(text):
        if tag != "w:t":
            content.append(f"<{tag}/>")
        else:
            space = ' xml:space="preserve"' if part.strip() != part else ""
            content.append(f"<w:t{space}>{escape(part)}</w:t>")
    return f"<w:r>{f'<w:rPr>{props}</w:rPr>' if props else ''}{''.join(content)}</w:r>"


def _attribute(value: str) -> str:
    """A value inside an attribute's double quotes (a style id comes from the evaluator's template)."""
    return escape(value, {'"': "&quot;"})


def _cell_xml(cell: Cell, style_id: str) -> str:
    shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{_attribute(cell.fill)}"/>' if cell.fill else ""
    paragraph = (f'<w:pStyle w:val="{_attribute(style_id)}"/>' + ("<w:keepNext/>" if cell.keep_next else "")
                 + ('<w:jc w:val="right"/>' if cell.right else ""))
    text = clean(cell.text)
    run = _run_xml(text, cell.bold, cell.size) if text else ""
    return (f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{ST_TwipsMeasure.convert_to_xml(cell.width)}"/>{shading}'
            f"</w:tcPr><w:p><w:pPr>{paragraph}</w:pPr>{run}</w:p></w:tc>")


def append_rows(table, rows, style_id: str) -> None:
    """Append ``rows`` (pairs of *is a header row* and its :class:`Cell` list) to ``table`` at once.

    Each row is kept on one page (``cantSplit``); a header row is repeated on every page. The
    rows are written as one piece of XML and parsed once: the same XML as python-docx's cell
    by cell API gives, which took most of the time of writing a report's Word file. Each
    cell's paragraph has the style ``style_id``.

    >>> from docx import Document
    >>> table = Document().add_table(rows=0, cols=1)
    >>> append_rows(table, [(True, [Cell("Kön", 914400, bold=True)]), (False, [Cell("Kvinna", 914400)])], "T")
    >>> [[c.text for c in row.cells] for row in table.rows], table.rows[0]._tr.trPr.xml.count("tblHeader")
    ([['Kön'], ['Kvinna']], 1)
    """
    xml = []
    for header, cells in rows:
        flags = "<w:cantSplit/><w:tblHeader/>" if header else "<w:cantSplit/>"
        xml.append(f"<w:tr><w:trPr>{flags}</w:trPr>{''.join(_cell_xml(c, style_id) for c in cells)}</w:tr>")
    parsed = parse_xml(f'<w:tbl {nsdecls("w")}>{"".join(xml)}</w:tbl>')
    table._tbl.extend(list(parsed))


def repeat_header(row) -> None:
    """Mark the row as a header row that Word repeats at the top of every page."""
    _row_flag(row, "w:tblHeader")


def cant_split(row) -> None:
    """Keep the row on one page."""
    _row_flag(row, "w:cantSplit")


def shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    for tag in ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark"):
        later = tcpr.find(qn(tag))
        if later is not None:
            later.addprevious(shd)
            return
    tcpr.append(shd)


def bottom_border(cell, size: int = 6, color: str = "000000") -> None:
    """A line under the cell (a line to sign on)."""
    tcpr = cell._tc.get_or_add_tcPr()
    borders = parse_xml(f'<w:tcBorders {nsdecls("w")}><w:bottom w:val="single" w:sz="{size}" '
                        f'w:space="0" w:color="{color}"/></w:tcBorders>')
    for tag in ("w:shd", "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark"):
        later = tcpr.find(qn(tag))
        if later is not None:
            later.addprevious(borders)
            return
    tcpr.append(borders)


def cell_margins(table, side) -> None:
    """Left and right cell margins of the whole table (``side`` in EMU)."""
    twips = int(side / 635)
    margins = parse_xml(f'<w:tblCellMar {nsdecls("w")}><w:left w:w="{twips}" w:type="dxa"/>'
                        f'<w:right w:w="{twips}" w:type="dxa"/></w:tblCellMar>')
    tblpr = table._tbl.tblPr
    for tag in ("w:tblLook", "w:tblCaption", "w:tblDescription"):
        later = tblpr.find(qn(tag))
        if later is not None:
            later.addprevious(margins)
            return
    tblpr.append(margins)


def table_caption(table, caption: str, description: str = "") -> None:
    """The table's alternative text (``tblCaption`` and ``tblDescription``), read by screen readers."""
    tblpr = table._tbl.tblPr
    for tag, value in (("w:tblCaption", caption), ("w:tblDescription", description)):
        if value:
            element = OxmlElement(tag)
            element.set(qn("w:val"), clean(value)[:255])
            tblpr.append(element)


def table_width_pct(table, pct: int = 100) -> None:
    tblpr = table._tbl.tblPr
    width = tblpr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tblpr.append(width)
    width.set(qn("w:type"), "pct")
    width.set(qn("w:w"), str(pct * 50))
