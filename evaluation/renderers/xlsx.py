"""``tabeller.xlsx``: a contents sheet, then one sheet per table with its Swedish caption.

Every text cell is written as a string cell, never a formula; numbers stay numbers, shares
get a percent format.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from ..model import Document
from . import stable_zip

MAX_SHEET = 31
_FORMATS = {"share": "0.0%", "change_share": "+0%;-0%;0%", "count": "#,##0", "number": "#,##0.##"}


def sheet_names(table_ids: list[str]) -> dict[str, str]:
    """A unique, readable sheet name (at most 31 characters) for each table id.

    An id that fits is its own name; a longer one is cut and numbered, so two ids that share
    their first 31 characters never merge into one sheet (the contents sheet lists the ids).

    >>> sheet_names(["resultat", "enkat_deltagare_avslut_fraga_q10", "enkat_deltagare_avslut_fraga_q11"])
    {'resultat': 'resultat', 'enkat_deltagare_avslut_fraga_q10': 'enkat_deltagare_avslut_fraga_~1', 'enkat_deltagare_avslut_fraga_q11': 'enkat_deltagare_avslut_fraga_~2'}
    """
    names: dict[str, str] = {}
    used: set[str] = {"innehall"}
    for table_id in table_ids:
        clean = re.sub(r"[\[\]:*?/\\]", "_", table_id)
        name, number = clean, 0
        while len(name) > MAX_SHEET or name.lower() in used:
            number += 1
            suffix = f"~{number}"
            name = clean[:MAX_SHEET - len(suffix)] + suffix
        used.add(name.lower())
        names[table_id] = name
    return names


def _text_cell(ws, row: int, column: int, value) -> None:
    cell = ws.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = TYPE_STRING  # a string cell, never a formula


def write(doc: Document, folder: Path) -> None:
    wb = Workbook()
    contents = wb.active
    contents.title = "innehall"
    names = sheet_names([t.id for t in doc.tables])
    _text_cell(contents, 1, 1, doc.title)
    contents.cell(row=1, column=1).font = Font(bold=True, size=13)
    for col, head in enumerate(("Blad", "Tabell", "Bas och anmärkning"), start=1):
        _text_cell(contents, 3, col, head)
        contents.cell(row=3, column=col).font = Font(bold=True)
    for i, table in enumerate(doc.tables, start=4):
        _text_cell(contents, i, 1, names[table.id])
        contents.cell(row=i, column=1).hyperlink = f"#'{names[table.id]}'!A1"
        _text_cell(contents, i, 2, table.title)
        _text_cell(contents, i, 3, " ".join(x for x in (table.base, table.note) if x))
    for width, letter in zip((34, 48, 80), "ABC"):
        contents.column_dimensions[letter].width = width
    for table in doc.tables:
        ws = wb.create_sheet(names[table.id])
        _text_cell(ws, 1, 1, table.title)
        ws.cell(row=1, column=1).font = Font(bold=True, size=12)
        frame = table.frame
        kinds = {col: kind for col, (_, kind) in table.columns.items()}
        header_row = 3
        for c, column in enumerate(frame.columns, start=1):
            _text_cell(ws, header_row, c, str(column))
            cell = ws.cell(row=header_row, column=c)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="EEF3F7")
            width = max([len(str(column))] + [len(str(v)) for v in frame[column].head(200)]) + 2
            ws.column_dimensions[get_column_letter(c)].width = min(max(width, 8), 60)
        for r, record in enumerate(frame.itertuples(index=False), start=header_row + 1):
            for c, (column, value) in enumerate(zip(frame.columns, record), start=1):
                if pd.api.types.is_scalar(value) and pd.isna(value):
                    value = None
                elif hasattr(value, "item"):
                    value = value.item()
                _text_cell(ws, r, c, value)
                number_format = _FORMATS.get(kinds.get(column, ""))
                if number_format and isinstance(value, (int, float)):
                    ws.cell(row=r, column=c).number_format = number_format
        if table.base or table.note:
            _text_cell(ws, header_row + len(frame) + 2, 1, " ".join(x for x in (table.base, table.note) if x))
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    wb.save(folder / "tabeller.xlsx")
    stable_zip(folder / "tabeller.xlsx", doc.created)
