"""Reading an Excel workbook's first sheet (calamine), its formulas without saved values refused,
and its cells as text (dates as dates).

Called by :func:`evaluation.inputs.files.read_table`, which checks what was read.
"""
from __future__ import annotations

import datetime as dt
import itertools
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
from defusedxml import ElementTree as SafeET
from pandas.api.types import union_categoricals

from evaluation.core.collector import note
from evaluation.core.errors import InputError, Notice, ValidationError, Violation
from evaluation.core.pii import quote
from evaluation.inputs.cells import empty_cells, repeated_headers

#: How a compound file begins: an encrypted (password-protected) Office file, or an old .xls or .doc.
COMPOUND_FILE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Largest unpacked content of an XLSX (a zip): guards against zip bombs.
MAX_XLSX_UNPACKED = 1024 * 1024 * 1024


def read_xlsx(path: Path, categorical: bool = False) -> pd.DataFrame:
    """The first sheet as text cells (:func:`_excel_column`); with ``categorical`` its columns of
    text only are categorical, as a CSV's (dates and numbers stay as they are).

    Cells that would be read as empty though they hold something (a formula without a saved
    value, an error value, cells merged within a row) are listed in ``frame.attrs["unreadable"]``
    (:class:`~evaluation.core.errors.Violation` each), refused by the caller with the table's other
    problems; cells merged over rows are refused here, with them (the rows below the first would
    be read as empty, and no problem names them)."""
    with path.open("rb") as handle:
        start = handle.read(8)
    if start == COMPOUND_FILE:
        raise InputError(f"{path}: arbetsboken är lösenordsskyddad eller sparad i Excels äldre format (.xls), och "
                         "kan då inte läsas. Öppna den i Excel, ta bort lösenordet (Arkiv → Info → Skydda "
                         "arbetsbok → Kryptera med lösenord, töm fältet) och spara som Excel-arbetsbok (.xlsx).")
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
    with ThreadPoolExecutor(1) as scan:  # the formula scan unpacks the sheet again: on the other core,
        unread = scan.submit(_cells_read_empty, path)  # while calamine reads (it lets go of the GIL)
        hidden = scan.submit(_hidden_rows, path)
        try:
            header, frame, merged = _read_first_sheet(path, categorical)
        except InputError:  # the sheet read, and what it holds refused (a column named twice)
            raise
        except Exception as exc:  # calamine raises many kinds for a damaged workbook
            raise InputError(f"{path}: filen kan inte öppnas som en Excel-arbetsbok ({type(exc).__name__}). "
                             "Öppna den i Excel och spara den som Excel-arbetsbok (.xlsx), eller spara "
                             "tabellen som CSV.") from None
        unread = unread.result()
        frame.attrs["hidden_rows"] = hidden.result()
    if len(frame) and all(c is None for c in header):
        raise InputError(f"{path}: rad 1 är tom. Kolumnernas namn (rubrikraden) ska stå på rad 1 i det första "
                         "bladet: ta bort de tomma raderna ovanför och spara igen.")
    problems = [*frame.attrs.get("repeated", []), *(_merged(header, *corners) for corners in merged),
                *(_unread_problems(header, unread) if unread else ())]
    if any(bottom > top for (top, _), (bottom, _) in merged):  # rows read as empty that no one problem names
        raise ValidationError(path, problems)
    frame.attrs["unreadable"] = problems
    return frame


_CELLS_NAMED = 3  # cells of one column listed by name in a problem that stands for them all


def _unread_problems(header: list, unread: list[tuple[str, str | None]]) -> list[Violation]:
    """One problem per column and kind of unreadable cell (a formula without a saved value, or one
    error value): a column computed by a formula is one thing to fix, not one per row."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    grouped: dict[tuple[str, str | None], list[int]] = {}
    for letters, row, error in sorted((*coordinate_from_string(ref), error) for ref, error in unread):
        grouped.setdefault((letters, error), []).append(row)
    problems = []
    for (letters, error), rows in sorted(grouped.items(), key=lambda item: item[1][0]):
        index = column_index_from_string(letters) - 1
        name = header[index] if index < len(header) else None
        cells = ", ".join(f"{letters}{row}" for row in rows[:_CELLS_NAMED])
        cells += f" och {len(rows) - _CELLS_NAMED} till" if len(rows) > _CELLS_NAMED else ""
        many = f"{len(rows)} celler i kolumnen ({cells})" if len(rows) > 1 else ""
        said = (f"{many or 'cellen ' + cells} {'är formler' if many else 'är en formel'} utan sparat värde och skulle "
                f"läsas som {'tomma' if many else 'tom'}. Öppna filen i Excel och spara den (då sparas formlernas "
                f"värden), eller {'markera kolumnen, kopiera den och ' if many else ''}klistra in formlerna som värden "
                "(Klistra in special → Värden)." if error is None else
                f"{many or 'cellen ' + cells} har Excels felvärde {error or '(ett fel)'} och skulle läsas som "
                f"{'tomma' if many else 'tom'}. Rätta formeln eller skriv in värdet, eller töm cellen om uppgiften saknas.")
        problems.append(Violation(rows[0], name or f"kolumn {letters}", said, rows=tuple(rows) if many else ()))
    return problems


def column_letter(index: int) -> str:
    """Excel's letter of the column at 0-based ``index`` (openpyxl's, imported only when a workbook
    needs it: the package weighs 70 ms at every start of a kernel or a command)."""
    from openpyxl.utils.cell import get_column_letter

    return get_column_letter(index + 1)


def _merged(header: list, top_left: tuple[int, int], bottom_right: tuple[int, int]) -> Violation:
    """A merged range of cells: only its top left cell has a value, so the others read as empty."""
    (top, left), (bottom, right) = top_left, bottom_right
    cells = f"{column_letter(left)}{top + 1}:{column_letter(right)}{bottom + 1}"
    name = header[left] if left < len(header) and header[left] is not None else f"kolumn {column_letter(left)}"
    return Violation(top + 1, name, (
        f"cellerna {cells} är sammanfogade, och bara den första har ett värde: de andra skulle läsas som tomma. "
        "Dela upp dem (Start → Sammanfoga och centrera → Dela upp celler) och skriv värdet i varje cell."
    ))


#: Rows converted at a time: a block's cells are Python objects only while it is converted.
BLOCK_ROWS = 65536


def _read_first_sheet(path: Path, categorical: bool = False) -> tuple[list, pd.DataFrame, list]:
    """The first sheet's header (its first row: ``None`` for a column without one), its other
    rows as text cells (:func:`_excel_column`), and its merged ranges below the header row
    (``((top, left), (bottom, right))``, counted from 0). A chart sheet before it is passed over.

    A column without a header that holds something is named by its letter (``kolumn K utan
    rubrik``), so what it holds is checked and said like any other column's; one that holds
    nothing is left out. Read by calamine (Rust), a million rows in seconds where openpyxl took minutes, and
    converted a block of :data:`BLOCK_ROWS` at a time, so the cells never all exist as Python
    objects at once (a million rows of 16 columns took 2.5 GB that way). Rows keep their
    place (a blank row is dropped later, by number), and a text stays a text, as in a CSV
    (``NA`` is not read as empty).
    """
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    book = CalamineWorkbook.from_path(str(path))
    index = next((i for i, sheet in enumerate(book.sheets_metadata) if sheet.typ == SheetTypeEnum.WorkSheet), 0)
    read = book.sheets_metadata[index] if book.sheets_metadata else None
    if read is not None and read.visible != SheetVisibleEnum.Visible:  # read, but never seen in Excel
        raise InputError(f"{path}: det första bladet, {quote(read.name)}, är dolt i Excel, och det är det bladet som "
                         "läses. Visa det (högerklicka på en bladflik → Ta fram) och flytta bladet med tabellen först, "
                         "eller ta bort det dolda bladet, och kör igen.")
    sheet = book.get_sheet_by_index(index)
    ranges = [((top, left), (bottom, right)) for (top, left), (bottom, right) in sheet.merged_cell_ranges or ()]
    merged = [corners for corners in ranges if corners[1][0] >= 1]  # those that reach below the header row
    in_header = {i: (left, right) for (top, left), (bottom, right) in ranges if bottom == 0 for i in range(left + 1, right + 1)}
    rows = from_a1(sheet)
    first = next(rows, None)
    if first is None:
        _refuse_empty_first_sheet(path, book, index)
        return [], pd.DataFrame(), merged
    del book, sheet
    header = [None if c is None or str(c).strip() == "" else c if isinstance(c, str) else str(_excel_cell(c))
              for c in first]
    repeated = repeated_headers(header, column_letter)
    blocks, count = [], 0
    while block := list(itertools.islice(rows, BLOCK_ROWS)):
        cells = pd.DataFrame(block, columns=range(len(header)), dtype=object)
        blocks.append([_excel_column(cells[i], categorical) for i in range(len(header))])
        count += len(block)
    columns, places = {}, []
    for i, name in enumerate(header):
        column = _joined([b[i] for b in blocks]) if blocks else pd.Series(dtype=object)
        if name is None and empty_cells(column).all():
            continue
        if name is None and i in in_header:  # its name cell merged into the one before: said why it has none
            left, right = in_header[i]
            note(Notice(path, 1, (
                f"rubrikcellerna {column_letter(left)}1:{column_letter(right)}1 är sammanfogade, så kolumn "
                f"{column_letter(i)} har uppgifter men ingen egen rubrik och läses inte. Dela upp cellerna (Start → "
                f"Sammanfoga och centrera → Dela upp celler) och skriv kolumnens namn i {column_letter(i)}1.")))
        columns[f"kolumn {column_letter(i)}" if i in repeated else  # by place: read, checked, and said as repeated
                name if name is not None else f"kolumn {column_letter(i)} utan rubrik"] = column
        places.append(f"kolumn {column_letter(i)}")
    frame = pd.DataFrame(columns, index=pd.RangeIndex(count), columns=list(columns))
    frame.attrs["repeated"] = list(repeated.values())
    frame.attrs["places"] = places  # how Excel names each column read: by its letter
    return header, frame, merged


def _refuse_empty_first_sheet(path: Path, book, index: int) -> None:
    """The first sheet holds nothing while a later one holds something: an error naming the
    sheets, as the sheet read is the first, and "only a header row" would send the user to
    fill in the template again (a workbook with nothing anywhere is said as empty, by the caller)."""
    from python_calamine import SheetTypeEnum

    filled = []
    for i, meta in enumerate(book.sheets_metadata):
        if i <= index or meta.typ != SheetTypeEnum.WorkSheet:
            continue
        count = sum(1 for row in book.get_sheet_by_index(i).iter_rows()
                    if any(c is not None and str(c).strip() != "" for c in row))
        if count:
            filled.append((meta.name, count))
    if not filled:
        return
    empty = quote(book.sheets_metadata[index].name)
    held = ", ".join(f"{quote(name)} ({count} {'rad' if count == 1 else 'rader'} med innehåll)" for name, count in filled)
    which = f"bladet {held} har" if len(filled) == 1 else f"bladen {held} har"
    raise InputError(
        f"{path}: det första bladet, {empty}, är tomt, och det är det första bladet som läses; {which} "
        f"uppgifter. Flytta bladet med tabellen först (dra dess flik längst till vänster) eller ta bort "
        f"det tomma bladet {empty}, spara och kör igen.")


def from_a1(sheet):
    """The sheet's rows from cell A1, as Excel numbers them (calamine starts at the first cell
    used): rows above it empty, and empty cells before it in each row."""
    if sheet.start is None:
        return iter(())
    top, left = sheet.start
    width = left + sheet.width
    above = ([None] * width for _ in range(top))
    rows = sheet.iter_rows() if not left else ([None] * left + row for row in sheet.iter_rows())
    return itertools.chain(above, rows)


def _joined(parts: list[pd.Series]) -> pd.Series:
    """One column from its blocks: categorical when every block is (their categories joined and
    sorted, as one ``astype("category")`` would give), else plain objects."""
    if all(isinstance(p.dtype, pd.CategoricalDtype) for p in parts):
        return pd.Series(union_categoricals(parts, sort_categories=True))
    return pd.concat([p.astype(object) for p in parts], ignore_index=True)


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def worksheets(book: zipfile.ZipFile) -> list[tuple[str, str]]:
    """The workbook's sheets that hold cells, ``(name, part)`` in workbook order: a chart sheet
    (a tab with a chart only) is not one."""
    workbook = SafeET.fromstring(book.read("xl/workbook.xml"))
    rels = {r.get("Id"): r for r in SafeET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
            .iter(f"{_PKG_REL}Relationship")}
    found = []
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        rel = rels.get(sheet.get(f"{_REL}id"))
        if rel is None or not rel.get("Type", "").endswith("/worksheet"):
            continue
        target = rel.get("Target", "")
        found.append((sheet.get("name", ""), target.lstrip("/") if target.startswith("/") else f"xl/{target}"))
    return found


def sheet_names(path: Path) -> tuple[str, ...]:
    """The names of an XLSX's sheets with cells, in workbook order (``()`` when the package is unusual)."""
    try:
        with zipfile.ZipFile(path) as book:
            return tuple(name for name, _ in worksheets(book))
    except Exception:  # calamine has already read it; only the notice is lost
        return ()


def _cells_read_empty(path: Path) -> list[tuple[str, str | None]]:
    """``(reference, error)`` of the first sheet's cells that calamine reads as empty though they
    are not: a formula cell without a saved value (``error`` ``None``), or a cell holding one of
    Excel's error values (``error`` ``'#N/A'``, ``'#DIV/0!'`` …; ``''`` for an unknown one).

    A workbook written by a program rather than Excel (or saved with calculation off) may keep
    formulas without their results (no ``<v>``, or an empty one outside a text cell).
    """
    try:
        with zipfile.ZipFile(path) as book:
            part = worksheets(book)[0][1]
            with book.open(part) as sheet:
                if not _may_read_empty(sheet):  # most sheets: one pass over the bytes, no XML parsing
                    return []
            found = []
            with book.open(part) as sheet:
                for _, element in SafeET.iterparse(sheet, events=("end",)):
                    if element.tag == f"{_MAIN}c":
                        value = element.find(f"{_MAIN}v")
                        if element.get("t") == "e":
                            shown = (value.text or "") if value is not None else ""
                            found.append((element.get("r"), shown if _EXCEL_ERROR.fullmatch(shown) else ""))
                        elif element.find(f"{_MAIN}f") is not None and (
                                # An empty <v/> is a saved empty text only in a text cell (t="str").
                                value is None or (not value.text and element.get("t") != "str")):
                            found.append((element.get("r"), None))
                    elif element.tag == f"{_MAIN}row":
                        element.clear()
            return [(ref, error) for ref, error in found if ref]
    except Exception:  # an unusual package layout: the values calamine read stand
        return []


#: A formula element, ``<f>``, ``<f t="shared" ...>`` or ``<f/>``, with or without a namespace prefix.
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
#: A cell of an error value: ``<c r="E2" t="e">``.
_ERROR_TYPE = re.compile(rb"""\st\s*=\s*["']e["']""")
#: Excel's error values, as the sheet stores them (``#N/A``, ``#DIV/0!``, ``#NAME?`` …).
_EXCEL_ERROR = re.compile(r"#[A-Z0-9/_]+[!?]?")


#: A row Excel hides (by hand, or a filter left on) that holds cells: ``<row r="7" hidden="1"><c ...``, not
#: ``<row .../>`` or ``<row ...></row>``.
_HIDDEN_ROW = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?row\s[^>]*?\bhidden\s*=\s*["'](?:1|true)["'][^>]*(?<!/)>"""
                         rb"""(?!\s*</(?:[A-Za-z_][\w.-]*:)?row>)""")


def _hidden_rows(path: Path) -> int:
    """How many rows with cells the first sheet hides in Excel (they are read, as the file holds
    them), found in its XML a MiB at a time; 0 for an unusual package."""
    try:
        with zipfile.ZipFile(path) as book, book.open(worksheets(book)[0][1]) as sheet:
            return count_hidden_rows(sheet)
    except Exception:  # an unusual package layout: nothing to say
        return 0


def count_hidden_rows(stream, size: int = 1 << 20) -> int:
    """The hidden rows with cells in a sheet's XML, read ``size`` bytes at a time; a tag the end
    of a read cuts goes whole to the next.

    >>> import io
    >>> xml = b'<row r="1"><c/></row><row r="2" hidden="1"><c/></row><row r="3" hidden="1"/>'
    >>> [count_hidden_rows(io.BytesIO(xml), size) for size in (5, 7, 1 << 20)]
    [1, 1, 1]
    """
    count, carry = 0, b""
    while chunk := stream.read(size):
        window = carry + chunk
        cut = window.rfind(b"<")
        if b"hidden" in window:
            count += len(_HIDDEN_ROW.findall(window, 0, max(cut, 0)))
        carry = window[cut:] if cut >= 0 else b""
    return count + len(_HIDDEN_ROW.findall(carry))


def _may_read_empty(stream) -> bool:
    """Whether a sheet's XML holds a formula element or an error cell, read in 1 MiB chunks."""
    tail = b""
    while chunk := stream.read(1 << 20):
        window = tail + chunk
        if (b"<f" in window or b":f" in window) and _FORMULA.search(window):  # the fast test first
            return True
        if (b'"e"' in window or b"'e'" in window) and _ERROR_TYPE.search(window):
            return True
        tail = chunk[-64:]
    return False


def _excel_column(column: pd.Series, categorical: bool = False) -> pd.Series:
    """:func:`_excel_cell` of every cell, worked out once for each distinct value (a register
    repeats its values); with ``categorical`` a column of text only (most of a register) is a
    ``Categorical``.

    >>> import datetime as dt
    >>> _excel_column(pd.Series([" Man", 2003.0, None, dt.date(2024, 5, 1), True, 1.0])).tolist()
    ['Man', '2003', '', datetime.date(2024, 5, 1), 'True', '1']
    >>> _excel_column(pd.Series(["ja ", None, "ja"]), categorical=True).cat.categories.tolist()
    ['', 'ja']
    """
    codes, uniques = pd.factorize(column)  # an empty cell: code -1
    text_only = pd.api.types.infer_dtype(uniques) in ("string", "empty")
    if text_only:
        values = [u.strip() for u in uniques]
    else:
        if any(isinstance(u, (bool, int, float)) and u in (0, 1) for u in uniques):
            codes, uniques = _factorize_by_type(column)  # True == 1.0: factorize would keep only the first
        values = [_excel_cell(u) for u in uniques]
    if (codes == -1).any():
        values.append("")  # values[-1]: an empty cell
    if categorical and text_only:  # as astype("category"): the texts there are, sorted
        kinds = pd.Categorical(values)
        return pd.Series(pd.Categorical.from_codes(kinds.codes[codes], kinds.categories), index=column.index)
    return pd.Series(np.array(values, dtype=object)[codes], index=column.index, dtype=object)


def _factorize_by_type(column: pd.Series):
    """``pd.factorize`` that keeps values of different types apart (``True`` and ``1.0``)."""
    keys = pd.Series([(type(v), v) for v in column], index=column.index, dtype=object)
    codes, pairs = pd.factorize(keys.where(column.notna()))
    return codes, [value for _, value in pairs]


def _excel_cell(value):
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return ""
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):  # a time of day stays, for the reader to refuse or use (a survey's)
        return value.date() if value.time() == dt.time(0) else value
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
