"""Reading an Excel workbook's first sheet (calamine), its formulas without saved values refused,
and its cells as text (dates as dates).

Called by :func:`evaluation.inputs.files.read_table`, which checks what was read.
"""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pandas as pd
from defusedxml import ElementTree as SafeET
from openpyxl.utils.cell import coordinate_from_string, column_index_from_string

from evaluation.core.errors import InputError, ValidationError, Violation

#: Largest unpacked content of an XLSX (a zip): guards against zip bombs.
MAX_XLSX_UNPACKED = 1024 * 1024 * 1024


def read_xlsx(path: Path, categorical: bool = False) -> pd.DataFrame:
    """The first sheet as text cells (:func:`_excel_column`); with ``categorical`` its columns of
    text only are categorical, as a CSV's (dates and numbers stay as they are)."""
    try:
        with zipfile.ZipFile(path) as book:
            unpacked = sum(info.file_size for info in book.infolist())
    except (zipfile.BadZipFile, OSError):
        unpacked = 0  # read_excel below says it is not a workbook
    if unpacked > MAX_XLSX_UNPACKED:
        raise InputError(
            f"{path}: arbetsboken packas upp till {unpacked / 1024 / 1024:.0f} MB, mer än gränsen "
            f"{MAX_XLSX_UNPACKED / 1024 / 1024:.0f} MB. Spara bara registret i en egen arbetsbok."
        )
    try:
        frame = _read_first_sheet(path)
    except Exception as exc:  # calamine raises many kinds for a damaged workbook
        raise InputError(f"{path}: filen kan inte öppnas som en Excel-arbetsbok ({type(exc).__name__}). "
                         "Öppna den i Excel och spara den som Excel-arbetsbok (.xlsx), eller spara "
                         "tabellen som CSV.") from None
    if len(frame) and all(c is None for c in frame.columns):
        raise InputError(f"{path}: rad 1 är tom. Kolumnernas namn (rubrikraden) ska stå på rad 1 i det första "
                         "bladet: ta bort de tomma raderna ovanför och spara igen.")
    uncached = _uncached_formulas(path)
    if uncached:
        headers = list(frame.columns)  # None: a column without a header
        problems = []
        for ref in uncached:
            letters, row = coordinate_from_string(ref)
            index = column_index_from_string(letters) - 1
            name = headers[index] if index < len(headers) else None
            problems.append(Violation(row, name or f"kolumn {letters}", (
                f"cellen {ref} är en formel utan sparat värde och skulle läsas som tom. Öppna filen "
                "i Excel och spara den (då sparas formlernas värden), eller klistra in formlerna som "
                "värden (Klistra in special → Värden)."
            )))
        raise ValidationError(path, problems)
    frame = frame.loc[:, [c is not None for c in frame.columns]]
    return pd.DataFrame({i: _excel_column(frame.iloc[:, i], categorical) for i in range(frame.shape[1])}
                        ).set_axis(frame.columns, axis=1)


def _read_first_sheet(path: Path) -> pd.DataFrame:
    """The first sheet, its first row as the header: a column with no header is ``None`` (its
    cells are not read further). Read by calamine (Rust), a million rows in seconds where
    openpyxl took minutes. Rows keep their place (a blank row is dropped later, by number),
    and a text stays a text, as in a CSV (``NA`` is not read as empty)."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    if not rows:
        return pd.DataFrame()
    header = [None if c is None or str(c).strip() == "" else c if isinstance(c, str) else str(_excel_cell(c))
              for c in rows[0]]
    frame = pd.DataFrame(rows[1:], columns=range(len(header)), dtype=object)
    del rows
    frame.columns = header
    return frame


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def sheet_names(path: Path) -> tuple[str, ...]:
    """The sheet names of an XLSX in workbook order (``()`` when the package is unusual)."""
    try:
        with zipfile.ZipFile(path) as book:
            workbook = SafeET.fromstring(book.read("xl/workbook.xml"))
        return tuple(s.get("name", "") for s in workbook.iter(f"{_MAIN}sheet"))
    except Exception:  # read_excel has already opened it; only the notice is lost
        return ()


def _uncached_formulas(path: Path) -> list[str]:
    """References (``'C5'``) of the first sheet's formula cells that hold no saved value.

    A workbook written by a program rather than Excel (or saved with calculation off) may keep
    formulas without their results (no ``<v>``, or an empty one outside a text cell); pandas
    would read such a cell as empty.
    """
    try:
        with zipfile.ZipFile(path) as book:
            workbook = SafeET.fromstring(book.read("xl/workbook.xml"))
            first = workbook.find(f"{_MAIN}sheets/{_MAIN}sheet")
            rels = SafeET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
            target = next(r.get("Target") for r in rels.iter(f"{_PKG_REL}Relationship")
                          if r.get("Id") == first.get(f"{_REL}id"))
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            with book.open(part) as sheet:
                if not _has_formula(sheet):  # most sheets: one pass over the bytes, no XML parsing
                    return []
            found = []
            with book.open(part) as sheet:
                for _, element in SafeET.iterparse(sheet, events=("end",)):
                    if element.tag == f"{_MAIN}c" and element.find(f"{_MAIN}f") is not None:
                        value = element.find(f"{_MAIN}v")
                        # An empty <v/> is a saved empty text only in a text cell (t="str").
                        if value is None or (not value.text and element.get("t") != "str"):
                            found.append(element.get("r"))
                    elif element.tag == f"{_MAIN}row":
                        element.clear()
            return [ref for ref in found if ref]
    except Exception:  # an unusual package layout: the values pandas read stand
        return []


#: A formula element, ``<f>``, ``<f t="shared" ...>`` or ``<f/>``, with or without a namespace prefix.
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")


def _has_formula(stream) -> bool:
    """Whether a sheet's XML holds a formula element, read in 1 MiB chunks."""
    tail = b""
    while chunk := stream.read(1 << 20):
        if _FORMULA.search(tail + chunk):
            return True
        tail = chunk[-64:]
    return False


def _excel_column(column: pd.Series, categorical: bool = False) -> pd.Series:
    """:func:`_excel_cell` of every cell; a column of text only (most of a register) at once, and
    with ``categorical`` as a ``Categorical``."""
    kind = pd.api.types.infer_dtype(column, skipna=True)
    if kind == "empty":
        text = pd.Series("", index=column.index, dtype=object)
    elif kind == "string":
        text = column.str.strip().fillna("")
    else:
        return column.map(_excel_cell).astype(object)
    return text.astype("category") if categorical else text


def _excel_cell(value):
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
