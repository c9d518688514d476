"""Reading input files: with :mod:`~evaluation.inputs.textfiles` (texts, and the folders any file
may be read from), the one place that touches the evaluator's data on disk.

Everything here only reads. Tables come back as text cells (or ``datetime`` for Excel date
cells) with normalised headers; the modules that own a format validate the values.

Every reader refuses what could harm or silently falsify a report:

- a file outside the folders the report may read (a symbolic link or ``..`` that leads out of
  the data folder or the omvärld library, see :func:`~evaluation.inputs.textfiles.confined`), or larger than its limit;
- a table holding personal data (:mod:`evaluation.core.pii`) in any cell or column name, or
  text in two encodings (a UTF-8 row in a Windows-1252 file reads ``HÃ¤lsa``), found by
  :mod:`~evaluation.inputs.refusals`; and a text holding a personnummer (:func:`~evaluation.inputs.textfiles.check_personal_text`).

Each format has its reader: :mod:`~evaluation.inputs.csvread` and
:mod:`~evaluation.inputs.xlsxread` (tables, read through :func:`read_table`),
:mod:`~evaluation.inputs.yamlread` (YAML within limits) and :mod:`~evaluation.inputs.textread`
(Markdown, Word texts and their pictures). Texts are read through
:func:`~evaluation.inputs.textfiles.read_text`.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from evaluation.core import pii
from evaluation.core.errors import EmptyTableError, InputError, ValidationError, Violation
from evaluation.inputs import refusals
from evaluation.inputs.cells import composed, empty_cells, tidy_cells
from evaluation.inputs.readonce import read_once
from evaluation.inputs.textfiles import check_readable, confinement
from evaluation.inputs.csvread import read_csv
from evaluation.inputs.xlsxelsewhere import personal_data_elsewhere
from evaluation.inputs.xlsxread import read_xlsx, sheet_names

TABLE_SUFFIXES = (".csv", ".xlsx")
#: Largest table file (CSV or XLSX) read: a million-row register is about 100 MB as CSV.
MAX_TABLE_BYTES = 200 * 1024 * 1024
_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", " ": "_", "-": "_"})


def normalise_header(name: object) -> str:
    """Header as matched against the contract: ``' Kön '`` → ``'kon'``.

    >>> normalise_header(" Födelseår ")
    'fodelsear'
    >>> normalise_header("Deltagar ID")
    'deltagar_id'
    """
    return "_".join(composed(str(name)).strip().lower().translate(_FOLD).split("_")).strip("_")


@dataclass(frozen=True)
class RawTable:
    """A table as read: text or date cells, normalised headers, file row numbers."""

    path: Path
    frame: pd.DataFrame  # columns: normalised headers; cells: str or datetime.date or "" (see read_table)
    first_row: int  # the row number the user sees for frame.iloc[0] (header is row 1)
    original_headers: dict  # normalised -> as written in the file
    sheets: tuple[str, ...] = ()  # an XLSX's sheet names in order (the first was read); () for CSV
    skipped: tuple[str, ...] = ()  # headers (as written) of the columns left unread (``read_table(skip=)``)
    hidden_rows: int = 0  # rows with cells an XLSX's first sheet hides in Excel (read like any other)
    places: tuple[str, ...] = ()  # how the user finds each column (``kolumn E``, ``kolumn nr 5``), in order

    def row_number(self, position: int) -> int:
        return self.first_row + position

    def place(self, key: str) -> str:
        """Where a column is, for a message that cannot quote its name: a workbook's letter, a CSV's number.

        >>> RawTable(Path("d.xlsx"), pd.DataFrame(), 2, {"kon": "kon", "x": "x"}, places=("kolumn B", "kolumn D")).place("x")
        'kolumn D'
        >>> RawTable(Path("d.csv"), pd.DataFrame(), 2, {"kon": "kon", "x": "x"}).place("x")
        'kolumn nr 2'
        """
        position = list(self.original_headers).index(key)
        return self.places[position] if position < len(self.places) else f"kolumn nr {position + 1}"


def find_table(folder: Path, stem: str) -> Path | None:
    """``folder/stem.csv`` or ``folder/stem.xlsx``, whichever exists (CSV first)."""
    for suffix in TABLE_SUFFIXES:
        candidate = folder / f"{stem}{suffix}"
        if candidate.is_file():
            return candidate
    return None


def read_table(path: Path, categorical: bool = False, skip: frozenset[str] = frozenset()) -> RawTable:
    """Read a CSV (UTF-8, UTF-8 with BOM or Windows-1252; ``,`` or ``;``) or an XLSX (first sheet).

    Refused (:class:`ValidationError` naming row and column, never the value): personal data
    in any cell or column name, text in a second encoding, Excel formulas without saved values.

    Cells are ``object`` columns of text (and ``datetime.date`` for Excel date cells). With
    ``categorical=True`` a CSV's columns stay pandas ``Categorical`` (each distinct text stored
    once; what a million-row register needs), and so do an XLSX's columns of text only.

    Columns whose normalised header is in ``skip`` (a survey tool's metadata: time, e-mail,
    name) are dropped unread, before any check: their values never leave this function and
    their names are exempt from the refusal of person-naming headers. ``RawTable.skipped``
    lists them as written.
    """
    raw, problems = _read(Path(path), categorical, skip)
    if problems:
        raise ValidationError(path, problems)
    return raw


@read_once(scope=lambda: confinement())
def _read(path: Path, categorical: bool, skip: frozenset[str]) -> tuple[RawTable, list[Violation]]:
    """The table as read, and its cells and column names refused: personal data (else text in a second
    encoding), and a workbook's cells that would be read as empty though they hold something.

    Checked as read (a CSV's columns ``Categorical``), then kept with the columns as asked
    (:func:`_as_asked`): converted once a file, not again for each report of the insats that reads
    the kept copy (open_report of the 48 bench reports as a batch's kernels make them, 37.6 → 36.5
    CPU-ms a report, the two ways alternating in one process)."""
    if not path.is_file():
        raise InputError(f"{path}: filen finns inte. Kontrollera namnet och att filen ligger i datamappen.")
    check_readable(path, MAX_TABLE_BYTES, "en tabell (CSV eller Excel)")
    if path.stat().st_size == 0:
        raise InputError(f"{path}: filen är tom. Exportera tabellen igen, med rubrikraden överst.")
    hidden_rows, unreadable = 0, []
    if path.suffix.lower() == ".xlsx":
        frame = read_xlsx(path, categorical)
        hidden_rows, unreadable = frame.attrs.get("hidden_rows", 0), frame.attrs.get("unreadable", [])
    elif path.suffix.lower() == ".csv":
        frame = read_csv(path)
        unreadable = frame.attrs.get("unreadable", [])
    else:
        raise InputError(f"{path}: filtypen '{path.suffix}' kan inte läsas. Spara tabellen som .csv eller .xlsx.")
    places = frame.attrs.get("places") or [f"kolumn nr {i}" for i in range(1, len(frame.columns) + 1)]
    frame = tidy_cells(frame)
    originals = {}
    kept = [normalise_header(name) not in skip for name in frame.columns]
    skipped = [str(name).strip() for name, keep in zip(frame.columns, kept) if not keep]
    if skipped:
        frame, places = frame.loc[:, kept], [place for place, keep in zip(places, kept) if keep]
    for name, place in zip(frame.columns, places):
        key = normalise_header(name)
        if key in originals:  # read by its place, so that what it holds is checked in the same run
            unreadable = [*unreadable, Violation(1, None, (
                f"kolumnerna {pii.quote(originals[key])} och {pii.quote(name)} betyder samma kolumn '{key}'. Behåll "
                "bara en av dem och kör igen."))]
            key, name = normalise_header(place), place
        originals[key] = str(name).strip()
    frame.columns = list(originals)
    if len(frame.columns):
        blank = np.logical_and.reduce([empty_cells(frame[c]) for c in frame.columns])
        if blank.any():
            frame = frame.loc[~blank]
    if frame.empty:
        names = RawTable(path=path, frame=frame, first_row=2, original_headers=originals, places=tuple(places))
        if refused := [*unreadable, *refusals.personal_data(names)]:  # a header row refused is said as that, not as empty
            raise ValidationError(path, refused)
        raise EmptyTableError(path, f"{path}: filen har en rubrikrad men inga rader med uppgifter. "
                                    "Fyll i minst en rad under rubrikraden och kör igen.")
    sheets = ()
    if path.suffix.lower() == ".xlsx":
        sheets = sheet_names(path)
        _refuse_personal_data_elsewhere(path, len(sheets) > 1)
    raw = RawTable(path=path, frame=frame, first_row=2, original_headers=originals, sheets=sheets,
                   skipped=tuple(skipped), hidden_rows=hidden_rows, places=tuple(places))
    refused = [*unreadable, *(refusals.personal_data(raw) or refusals.mixed_encoding(raw))]
    return _as_asked(raw, categorical), refused


def _as_asked(raw: RawTable, categorical: bool) -> RawTable:
    if not categorical:
        for column in raw.frame.columns:
            if isinstance(raw.frame[column].dtype, pd.CategoricalDtype):
                raw.frame[column] = raw.frame[column].astype(object)
    return raw


#: Said of a refused cell's row and a refused column name's column, left out of the other checks
#: (:func:`read_table_and_refusals`).
_ROW_LEFT_OUT = " (Radens andra värden kontrolleras när cellen är rättad.)"
_ROWS_LEFT_OUT = " (Radernas andra värden kontrolleras när cellerna är rättade.)"
_COLUMN_LEFT_OUT = " (Kolumnens värden kontrolleras i övrigt när rubriken är rättad.)"


def read_table_and_refusals(path: Path, categorical: bool = False,
                            skip: frozenset[str] = frozenset()) -> tuple[RawTable, list[Violation]]:
    """:func:`read_table` for a loader that checks every value: a table refused for personal data
    in some cells or column names (or unreadable cells, or text in a second encoding) comes back without
    the rows and columns holding them, with the refusals, so that the loader names them and the
    rest's errors in one message. Each refusal says that what it holds was not checked otherwise.

    The loader raises ``ValidationError(path, refusals + its own)``; the rows and columns left out
    never reach it, so nothing of them can go further even if it did not. A column name in a
    second encoding, or a table with nothing left, is raised at once.
    """
    raw, refused = _read(Path(path), categorical, skip)
    if not refused:
        return raw, []
    headers = refusals.refused_headers(raw)
    said = [Violation(v.row, v.column, v.problem + (_COLUMN_LEFT_OUT if v in headers.values() else
                                                    _ROWS_LEFT_OUT if v.rows else
                                                    _ROW_LEFT_OUT if v.row and v.row > 1 else ""), v.rows)
            for v in refused]
    kept = ~np.isin(raw.frame.index.to_numpy() + raw.first_row, [row for v in refused for row in v.rows or (v.row,)])
    columns = [c for c in raw.frame.columns if c not in headers]
    if any(v.row is None or (v.row <= 1 and v not in headers.values()) for v in refused) or not kept.any() or not columns:
        raise ValidationError(path, said)
    frame = raw.frame.loc[kept, columns].copy()
    for column in frame.columns:  # a refused cell's text stays nowhere, not even as an unused category
        if isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].cat.remove_unused_categories()
    shown = {key: name for key, name in raw.original_headers.items() if key not in headers}
    return RawTable(raw.path, frame, raw.first_row, shown, raw.sheets, raw.skipped, raw.hidden_rows), said


@contextlib.contextmanager
def said_together(path: Path, refused: list[Violation]):
    """Around a loader's checks of the whole of a table from :func:`read_table_and_refusals` (its
    columns): an error it raises there is said with the refusals, not instead of them. A refused
    column name may be the very column said to be missing."""
    try:
        yield
    except ValidationError:
        raise
    except InputError as exc:
        if not refused:
            raise
        raise ValidationError(path, [*refused, Violation(None, None, str(exc).removeprefix(f"{path}: "))]) from None


def _refuse_personal_data_elsewhere(path: Path, other_sheets: bool) -> None:
    """Personal data on a sheet after the one read, or in a comment: it is handed on with the file.
    Never quoted."""
    found = personal_data_elsewhere(path, other_sheets)
    if found:
        places = "; ".join(f"{place}: {pii.with_article(kind)}" for place, kind in found)
        raise InputError(f"{path}: arbetsboken har personuppgifter utanför tabellen som läses (värdena visas inte): "
                         f"{places}. Det kommer inte med i rapporten, men följer med filen: ta bort uppgifterna "
                         "(eller bladet eller kommentaren), spara och kör igen.")
