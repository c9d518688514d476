"""Reading input files: the one place that touches the evaluator's data on disk.

Everything here only reads. Tables come back as text cells (or ``datetime`` for Excel date
cells) with normalised headers; the modules that own a format validate the values.

Every reader refuses what could harm or silently falsify a report:

- a file outside the folders the report may read (a symbolic link or ``..`` that leads out of
  the data folder or the omvärld library, see :func:`confined`), or larger than its limit;
- a table holding personal data (:mod:`evaluation.core.pii`) in any cell or column name, or
  text in two encodings (a UTF-8 row in a Windows-1252 file reads ``HÃ¤lsa``), found by
  :mod:`~evaluation.inputs.refusals`; and a text holding a personnummer (:func:`check_personal_text`).

Each format has its reader: :mod:`~evaluation.inputs.csvread` and
:mod:`~evaluation.inputs.xlsxread` (tables, read through :func:`read_table`),
:mod:`~evaluation.inputs.yamlread` (YAML within limits) and :mod:`~evaluation.inputs.textread`
(Markdown, Word texts and their pictures). Texts are read through :func:`read_text`.
"""
from __future__ import annotations

import contextlib
import contextvars
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from evaluation.core import fmt, pii
from evaluation.core.errors import EmptyTableError, InputError, Notice, ValidationError, Violation
from evaluation.inputs import refusals, wordplaces
from evaluation.inputs.cells import composed, empty_cells, tidy_cells
from evaluation.inputs.paths import real_path, unreachable
from evaluation.inputs.readonce import read_once
from evaluation.inputs.csvread import read_csv
from evaluation.inputs.xlsxelsewhere import personal_data_elsewhere
from evaluation.inputs.xlsxread import read_xlsx, sheet_names

TABLE_SUFFIXES = (".csv", ".xlsx")
#: Largest table file (CSV or XLSX) read: a million-row register is about 100 MB as CSV.
MAX_TABLE_BYTES = 200 * 1024 * 1024
#: Largest YAML or Markdown file read (parameters, descriptions, texts, notes).
MAX_TEXT_BYTES = 2 * 1024 * 1024
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
    return _as_asked(raw, categorical)


@read_once(scope=lambda: confinement())
def _read(path: Path, categorical: bool, skip: frozenset[str]) -> tuple[RawTable, list[Violation]]:
    """The table as read, and its cells and column names refused: personal data (else text in a second
    encoding), and a workbook's cells that would be read as empty though they hold something."""
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
    return raw, [*unreadable, *(refusals.personal_data(raw) or refusals.mixed_encoding(raw))]


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
        return _as_asked(raw, categorical), []
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
    raw = RawTable(raw.path, frame, raw.first_row, shown, raw.sheets, raw.skipped, raw.hidden_rows)
    return _as_asked(raw, categorical), said


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


# -- what may be read ----------------------------------------------------------------------------
_ROOTS: contextvars.ContextVar[tuple[Path, ...] | None] = contextvars.ContextVar("input_roots", default=None)


def confinement() -> tuple[Path, ...] | None:
    """The folders files are read from now (:func:`confined`); ``None`` outside any such block."""
    return _ROOTS.get()


@contextlib.contextmanager
def confined(*roots: Path):
    """Inside this block, files are read only when they lie (after following links) in ``roots``.

    Outside any such block a file must lie in its own folder: a link may point to a file
    beside it, never elsewhere.
    """
    token = _ROOTS.set(tuple(real_path(r) for r in roots))
    try:
        yield
    finally:
        _ROOTS.reset(token)


def check_readable(path: Path, limit: int, kind: str) -> None:
    """Refuse a file outside the allowed folders or larger than ``limit`` bytes."""
    roots = _ROOTS.get()
    allowed = roots if roots is not None else (real_path(path.absolute().parent),)
    real = real_path(path)
    if not any(real == root or real.is_relative_to(root) for root in allowed):
        folders = " och ".join(str(r) for r in allowed)
        raise InputError(
            f"{path}: filen leder ut ur {folders} (via en symbolisk länk eller '..'). Indata läses "
            "bara från parameterfilens datamapp och omvärldsbiblioteket: kopiera in filen i stället "
            "för att länka till den."
        )
    size = real.stat().st_size
    if size > limit:
        raise InputError(
            f"{path}: filen är {size / 1024 / 1024:.0f} MB, men {kind} får vara högst "
            f"{limit / 1024 / 1024:.0f} MB. Kontrollera att det är rätt fil, eller dela upp den."
        )


def read_text(path: Path) -> str:
    """A UTF-8 text file (YAML or Markdown), within the allowed folders and the size limit."""
    path = Path(path)
    reason = unreachable(path)
    if reason:
        raise InputError(f"{path}: filen går inte att slå upp ({reason}). Kontrollera namnet.")
    if not path.is_file():
        raise InputError(f"{path}: filen finns inte. Kontrollera namnet och mappen.")
    check_readable(path, MAX_TEXT_BYTES, "en textfil (YAML eller Markdown)")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path}: filen är inte sparad som UTF-8. Spara den som UTF-8 (i Anteckningar: "
                         "Spara som → Kodning UTF-8) och kör igen.") from None
    except OSError as exc:
        raise InputError(f"{path}: filen kan inte läsas ({os_reason(exc)}).") from None
    text = composed(text)
    check_personal_text(path, text)
    return text


#: Folders whose texts are about other people (informants, respondents): an e-mail address or
#: phone number there is refused, as a personnummer is everywhere.
STRICT_FOLDERS = ("intervjuer", "enkater")
_LISTED_LINES = 10


def check_personal_text(path: Path, text: str, lines: bool = True, title: int = 0) -> None:
    """Refuse or warn about personal data in a text input (YAML, Markdown, Word, alt texts).

    Every reader of text calls this on what it read (:func:`read_text` does for YAML and
    Markdown; a reader of another format passes its text). The whole text is scanned, so YAML
    keys and values, front matter, body and image alt texts are all covered.

    - A personnummer or samordningsnummer (any check digit) is refused everywhere.
    - An e-mail address or phone number is refused in :data:`STRICT_FOLDERS` (interview notes
      and quotes, survey descriptions and answers); elsewhere (the evaluator's texts, the
      organisation, parameters, goals, matrices, omvärld) it is a notice naming file and line:
      it may be the evaluator's own contact details.

    The value is never part of the message. ``lines=False`` for a text converted from a file that
    has no lines the evaluator can go to (a Word text): a refusal or warning names the heading and
    paragraph instead (:func:`evaluation.inputs.wordplaces.word_place`).
    """
    hits = pii.text_hits(text)
    if not hits:
        return
    strict = any(part in STRICT_FOLDERS for part in Path(path).parts)
    refused = [(line, kind) for line, kind in hits if kind == pii.PNR or strict]
    if refused:
        refused = list(dict.fromkeys(refused))
        more = len(refused) - _LISTED_LINES  # counted, not placed (a place is looked up from the top)
        refused = refused[:_LISTED_LINES]
        mobile = pii.mobile_shaped(text)
        dated, compact = pii.date_shaped(text), pii.compact_dated(text) - mobile
        said = [(f"rad {line}: " if lines else f"{wordplaces.word_place(text, line, kind, title)}: ")
                + f"något som ser ut som {pii.with_article(kind)}"
                + ((" eller ett mobilnummer, som också stoppas här" if strict  # a phone is refused in strict folders too
                    else " (är det ett mobilnummer, skriv det med mellanrum: 070-nnn nn nn)")
                   if line in mobile and kind == pii.PNR else "")
                + (" (är det ett datum och ett tal, skriv talet med mellanrum, som 1 234, eller ett ord emellan)"
                   if line in dated and kind == pii.PNR else "")
                + (" (är det ett datum med ett klockslag eller löpnummer efter, som i ett filnamn eller ett ärendenummer, "
                   "skriv om det, t.ex. 2024-03-12 kl. 14.30)" if line in compact - dated and kind == pii.PNR else "")
                for line, kind in refused]
        from evaluation.core.errors import cut_list
        raise InputError(
            f"{path}: filen innehåller personuppgifter (värdena visas inte): "
            f"{cut_list(said + [''] * max(more, 0), _LISTED_LINES, '; ')}. "
            + ("Är det ingen personuppgift, skriv om det som rådet inom parentes säger. Är det en: " if any(
                "(är det" in x for x in said) else "Indata ska vara pseudonymiserade: ")
            + "ta bort uppgiften eller ersätt personen med en kod eller en roll (t.ex. 'handläggare A')."
        )
    from evaluation.core.collector import note
    hits = list(dict.fromkeys(hits))
    shown = hits[:_LISTED_LINES]  # a text of thousands is said in a few lines, the rest counted
    places = {hit: "" if lines else f"{wordplaces.word_place(text, *hit, title)}: " for hit in shown}  # Word: no lines
    note(*(Notice(path, line if lines else None, (
        f"{places[line, kind]}texten innehåller något som ser ut som {pii.with_article(kind)} (visas inte här). Om det "
        "är dina egna kontaktuppgifter som utvärderare kan det stå kvar; gäller det någon annan, ta bort det."
    )) for line, kind in shown))
    if len(hits) > len(shown):
        kinds = fmt.swedish_list(sorted({pii.with_article(kind) for _, kind in hits[len(shown):]}))
        note(Notice(path, None, f"… och {fmt.number(len(hits) - len(shown))} ställen till i texten med {kinds} "
                                "(visas inte här; de första står ovan)."))


def text_read(path: Path, text: str, lines: bool = True, title: int = 0) -> str:
    """The one point every text read from an input passes (YAML, Markdown, a Word text as
    Markdown, survey headers): checks of the text as a whole belong here (personal data).
    ``lines=False``: the text has no lines of the evaluator's (a Word text converted), whose
    first ``title`` lines are its title lines (:func:`evaluation.inputs.wordplaces.word_place`)."""
    text = composed(text)
    check_personal_text(path, text, lines, title)
    return text


