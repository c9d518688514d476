"""``tabeller.xlsx``: the report's tables for people, one sheet per table the report shows.

- The contents sheet ("Innehåll") lists every sheet with a link, the table's caption, its id
  (the name of its file in ``tabeller/<id>.csv``, where the machine-readable ids stay) and its
  base and note.
- Sheet names are the Swedish captions (cut to Excel's 31 characters, numbered when two
  collide); column headers are the labels the report shows, and only the shown columns.
- A value is what the report shows: shares are numbers with a percent format with as many
  decimals as the report prints (``0.0" "%`` shows as "39,7 %" in a Swedish Excel or
  LibreOffice, the decimal sign follows the reader's locale), counts have a thousands grouping,
  a hidden cell keeps its mark ``..``. Texts lose their Markdown markup, long texts wrap.
- Every text cell is written as a string cell, never a formula; one longer than Excel holds
  (32 767 characters) is cut at a word before that, with "…".
- Tables the report does not show (kept for the CSV files) get no sheet.
"""
from __future__ import annotations

import io
import re
import zipfile
from copy import copy
from pathlib import Path

import openpyxl
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

from evaluation.core import fmt, markup, model, pii
from evaluation.core.model import NUMERIC_KINDS, Document
from evaluation.renderers import MAX_PROPERTY, csv, stable_zip

MAX_SHEET = 31
CONTENTS = "Innehåll"
#: Texts longer than this wrap in a column this wide (characters).
WRAP_AT = 50

#: A number as the report writes it: sign, digits grouped by spaces, decimal comma, percent.
_NUMBER = re.compile(r"^(?P<sign>[+\-\u2212]?)(?P<int>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)"
                     r"(?:,(?P<dec>\d+))?(?P<pct>[ \u00a0\u202f]?%)?$")


#: What Excel refuses in a sheet name: its own signs and the control characters (pii's one list;
#: a tab or line break is whitespace, collapsed with the rest).
_NOT_IN_SHEET_NAMES = re.compile(rf"[\[\]:*?/\\{pii.CONTROLS}]")


def sheet_names(titles: list[str]) -> list[str]:
    """A unique sheet name (at most 31 characters, no ``[]:*?/\\``) for each caption.

    >>> sheet_names(["Deltagare efter kön", "Deltagarenkät vid avslut (NNS): svar per fråga", "Deltagare efter kön"])
    ['Deltagare efter kön', 'Deltagarenkät vid avslut (NNS)…', 'Deltagare efter kön (2)']
    """
    names: list[str] = []
    used: set[str] = {CONTENTS.lower()}
    for title in titles:
        clean = _NOT_IN_SHEET_NAMES.sub(" ", title.replace(": ", " – ")).strip(" '") or "Tabell"
        clean = re.sub(r"\s+", " ", clean)
        base = clean if len(clean) <= MAX_SHEET else clean[:MAX_SHEET - 1].rstrip(" –") + "…"
        name, number = base, 1
        while name.lower() in used:
            number += 1
            suffix = f" ({number})"
            name = base[:MAX_SHEET - len(suffix)].rstrip() + suffix
        used.add(name.lower())
        names.append(name)
    return names


def number_cell(text: str):
    """The value and number format of a cell the report shows as ``text``.

    >>> number_cell("39,7 %")
    (0.397, '0.0" "%')
    >>> number_cell("1 234")
    (1234, '#,##0')
    >>> number_cell("−12")
    (-12, '+#,##0;-#,##0;0')
    >>> number_cell("+8 %")
    (0.08, '+0" "%;-0" "%;0" "%')
    >>> number_cell("..")
    """
    m = _NUMBER.match(text.strip())
    if not m:
        return None
    digits = re.sub(r"\D", "", m["int"])
    decimals = len(m["dec"] or "")
    value = float(f"{digits}.{m['dec']}") if decimals else int(digits)
    negative = m["sign"] in ("-", "\u2212")
    value = -value if negative else value
    body = "0" + ("." + "0" * decimals if decimals else "")
    if m["pct"]:
        value = round(value / 100, decimals + 2)
        body += '" "%'
    else:
        body = "#,##" + body
    if m["sign"]:
        zero = body if m["pct"] else body.replace("#,##", "")
        return value, f"+{body};-{body};{zero}"
    return value, body


#: The most characters an Excel cell holds: a longer text makes Excel call the workbook damaged.
MAX_CELL = 32_767


def _text_cell(ws, row: int, column: int, value) -> None:
    """A string cell (never a formula); a text longer than :data:`MAX_CELL` is cut to fit, at a
    word, with "…" (the report shows it whole)."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        value = fmt.shortened(value, MAX_CELL)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = TYPE_STRING


def _contents(wb, doc: Document, tables, names) -> None:
    csv_ids = {t.id for t in csv.written(doc)}
    ws = wb.active
    ws.title = CONTENTS
    _text_cell(ws, 1, 1, doc.title)
    ws.cell(row=1, column=1).font = Font(bold=True, size=13)
    for col, head in enumerate(("Blad", "Tabell", "Id (tabeller/<id>.csv)", "Bas och anmärkning"), start=1):
        _text_cell(ws, 3, col, head)
        ws.cell(row=3, column=col).font = Font(bold=True)
    for i, (table, name) in enumerate(zip(tables, names), start=4):
        _text_cell(ws, i, 1, name)
        ws.cell(row=i, column=1).hyperlink = f"#'{name}'!A1"
        _text_cell(ws, i, 2, table.title)
        # a goal table by level is a part of "mal" (tabeller/mal.csv, its column niva)
        shown_as = table.id if table.id in csv_ids else "mal" if table.id.startswith("mal_") and "mal" in csv_ids else ""
        _text_cell(ws, i, 3, shown_as)
        _text_cell(ws, i, 4, " ".join(x for x in (table.base, table.note) if x))
        ws.cell(row=i, column=4).alignment = Alignment(wrap_text=True, vertical="top")
    for width, letter in zip((34, 48, 30, 80), "ABCD"):
        ws.column_dimensions[letter].width = width


def _look(looks: dict, cell, make, *args) -> None:
    """Style ``cell`` by ``make(cell, *args)`` the first time in the workbook, then by a copy of the
    style ids that gave: openpyxl builds, hashes and compares a Font, a Fill and an Alignment
    again for every cell (a third of a bench report's workbook). The same ids, the same file."""
    key = (make, *args)
    ids = looks.get(key)
    if ids is None:
        make(cell, *args)
        looks[key] = copy(cell._style)
    else:
        cell._style = copy(ids)


def _header_look(cell, numeric: bool) -> None:
    cell.font = Font(bold=True)
    cell.fill = PatternFill("solid", fgColor="EEF3F7")
    cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="right" if numeric else None)


def _number_look(cell, number_format: str, numeric: bool, bold: bool) -> None:
    cell.number_format = number_format
    if not numeric and cell.number_format == "#,##0":
        cell.number_format = "0"  # a year or a rank in a text column: no grouping
    if bold:
        cell.font = Font(bold=True)


def _text_look(cell, numeric: bool, bold: bool) -> None:
    cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="right" if numeric else None)
    if bold:
        cell.font = Font(bold=True)


def _table_sheet(ws, table: model.Table, looks: dict) -> None:
    """``looks``: the workbook's cell looks so far (:func:`_look`)."""
    _text_cell(ws, 1, 1, table.title)
    ws.cell(row=1, column=1).font = Font(bold=True, size=12)
    header_row = 3
    headers = table.headers
    rows = table.cells()
    widths = []
    for c, (label, kind) in enumerate(headers, start=1):
        _text_cell(ws, header_row, c, label)
        _look(looks, ws.cell(row=header_row, column=c), _header_look, kind in NUMERIC_KINDS)
        longest = max([max((len(w) for w in label.split()), default=0)]
                      + [len(markup.plain_text(v)) for v in (r[c - 1] for r in rows[:200])], default=8)
        widths.append(min(max(longest + 2, 8), WRAP_AT + 2))
    last = len(rows) - 1
    for r, values in enumerate(rows, start=header_row + 1):
        bold = bool(table.total_row and r - header_row - 1 == last)
        for c, (text, (_, kind)) in enumerate(zip(values, headers), start=1):
            number = number_cell(text)
            cell = ws.cell(row=r, column=c)
            if number is not None:
                cell.value = number[0]
                _look(looks, cell, _number_look, number[1], kind in NUMERIC_KINDS, bold)
            else:
                _text_cell(ws, r, c, markup.plain_text(text) if text else None)
                _look(looks, cell, _text_look, kind in NUMERIC_KINDS, bold)
    below = header_row + len(rows) + 2
    for line in (table.base, table.note):
        if line:
            _text_cell(ws, below, 1, line)
            below += 1
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)


def _properties(wb: Workbook, doc: Document) -> None:
    """The report's title, subject and author, and Swedish, as the Word file has them (not "openpyxl")."""
    props = wb.properties
    props.title, props.subject = fmt.shortened(doc.title, MAX_PROPERTY), fmt.shortened(doc.subject, MAX_PROPERTY) or None
    props.creator = props.lastModifiedBy = fmt.shortened(doc.author, MAX_PROPERTY) or None
    props.language = doc.language


def write(doc: Document, folder: Path) -> None:
    wb = Workbook()
    _properties(wb, doc)
    tables = doc.shown_tables
    names = sheet_names([t.title for t in tables])
    _contents(wb, doc, tables, names)
    looks: dict = {}
    for table, name in zip(tables, names):
        _table_sheet(wb.create_sheet(name), table, looks)
    stable_zip(folder / "tabeller.xlsx", doc.created, source=_saved(wb))


#: Whether this openpyxl writes a sheet as :class:`_InMemory` knows (3.1); another one saves as it does.
_IN_MEMORY = openpyxl.__version__.startswith("3.1.")


class _InMemory(ExcelWriter):
    """openpyxl's writer with each sheet's XML made in memory, not in a temporary file written,
    read back and removed (bench reports' workbooks: 56 → 47 CPU-ms, identical bytes). Only with
    openpyxl 3.1 (:data:`_IN_MEMORY`), whose ``write_worksheet`` this one follows."""

    def write_worksheet(self, ws):  # openpyxl 3.1's, for a workbook that is not write-only
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        out = io.BytesIO()
        writer = WorksheetWriter(ws, out=out)
        writer.write()
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], out.getvalue())
        self.manifest.append(ws)


def _saved(wb: Workbook) -> io.BytesIO:
    """The workbook as openpyxl saves it, but in memory and uncompressed: :func:`stable_zip`
    compresses each file once (it was compressed, read back and compressed again)."""
    buffer = io.BytesIO()
    wb.properties.modified = wb.properties.created  # openpyxl's save stamps the time; stable_zip sets the day
    writer = _InMemory if _IN_MEMORY else ExcelWriter
    writer(wb, zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED, allowZip64=True)).save()
    return buffer
