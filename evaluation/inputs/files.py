"""Reading input files: the one place that touches the evaluator's data on disk.

Everything here only reads. Tables come back as text cells (or ``datetime`` for Excel date
cells) with normalised headers; the modules that own a format validate the values.

Every reader refuses what could harm or silently falsify a report:

- a file outside the folders the report may read (a symbolic link or ``..`` that leads out of
  the data folder or the omvärld library, see :func:`confined`), or larger than its limit;
- a table holding personal data (:mod:`evaluation.core.pii`) in any cell or column name;
- a table with text in two encodings (a UTF-8 row in a Windows-1252 file reads ``HÃ¤lsa``);
- an Excel formula cell without a saved value (it would read as empty);
- YAML with more aliases or nodes than a hand-written file needs (an alias bomb).

Longer than 400 lines: every file format reader (CSV encodings, Excel, YAML with line numbers, Markdown, Word) and their shared limits; to be split per format next.
"""
from __future__ import annotations

import codecs
import contextlib
import contextvars
import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import yaml
from defusedxml import ElementTree as SafeET
from openpyxl.utils.cell import coordinate_from_string, column_index_from_string

from evaluation.core import pii, piiscan
from evaluation.core.errors import EmptyTableError, InputError, Notice, ValidationError, Violation

TABLE_SUFFIXES = (".csv", ".xlsx")
#: Largest table file (CSV or XLSX) read: a million-row register is about 100 MB as CSV.
MAX_TABLE_BYTES = 200 * 1024 * 1024
#: Largest unpacked content of an XLSX (a zip): guards against zip bombs.
MAX_XLSX_UNPACKED = 1024 * 1024 * 1024
#: Largest YAML or Markdown file read (parameters, descriptions, texts, notes).
MAX_TEXT_BYTES = 2 * 1024 * 1024
#: YAML limits: aliases (``*name``) in one file, and nodes once every alias is expanded.
MAX_YAML_ALIASES = 1000
MAX_YAML_NODES = 200_000
_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", " ": "_", "-": "_"})


def normalise_header(name: object) -> str:
    """Header as matched against the contract: ``' Kön '`` → ``'kon'``.

    >>> normalise_header(" Födelseår ")
    'fodelsear'
    >>> normalise_header("Deltagar ID")
    'deltagar_id'
    """
    return "_".join(str(name).strip().lower().translate(_FOLD).split("_")).strip("_")


@dataclass(frozen=True)
class RawTable:
    """A table as read: text or date cells, normalised headers, file row numbers."""

    path: Path
    frame: pd.DataFrame  # columns: normalised headers; cells: str or datetime.date or "" (see read_table)
    first_row: int  # the row number the user sees for frame.iloc[0] (header is row 1)
    original_headers: dict  # normalised -> as written in the file
    sheets: tuple[str, ...] = ()  # an XLSX's sheet names in order (the first was read); () for CSV
    skipped: tuple[str, ...] = ()  # headers (as written) of the columns left unread (``read_table(skip=)``)

    def row_number(self, position: int) -> int:
        return self.first_row + position


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
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: filen finns inte. Kontrollera namnet och att filen ligger i datamappen.")
    _check_readable(path, MAX_TABLE_BYTES, "en tabell (CSV eller Excel)")
    if path.stat().st_size == 0:
        raise InputError(f"{path}: filen är tom. Exportera tabellen igen, med rubrikraden överst.")
    if path.suffix.lower() == ".xlsx":
        frame = _read_xlsx(path, categorical)
    elif path.suffix.lower() == ".csv":
        frame = _read_csv(path)
    else:
        raise InputError(f"{path}: filtypen '{path.suffix}' kan inte läsas. Spara tabellen som .csv eller .xlsx.")
    originals = {}
    skipped = [str(name).strip() for name in frame.columns if normalise_header(name) in skip]
    if skipped:
        frame = frame.loc[:, [normalise_header(name) not in skip for name in frame.columns]]
    for name in frame.columns:
        key = normalise_header(name)
        if key in originals:
            raise InputError(
                f"{path}: kolumnerna {pii.quote(originals[key])} och {pii.quote(name)} betyder samma kolumn "
                f"'{key}'. Behåll bara en av dem och kör igen."
            )
        originals[key] = str(name).strip()
    frame.columns = list(originals)
    if len(frame.columns):
        blank = np.logical_and.reduce([_empty_cells(frame[c]) for c in frame.columns])
        if blank.any():
            frame = frame.loc[~blank]
    if frame.empty:
        raise EmptyTableError(path, f"{path}: filen har en rubrikrad men inga rader med uppgifter. "
                                    "Fyll i minst en rad under rubrikraden och kör igen.")
    sheets = sheet_names(path) if path.suffix.lower() == ".xlsx" else ()
    raw = RawTable(path=path, frame=frame, first_row=2, original_headers=originals, sheets=sheets,
                   skipped=tuple(skipped))
    problems = personal_data(raw) or mixed_encoding(raw)
    if problems:
        raise ValidationError(path, problems)
    if not categorical:
        for column in frame.columns:
            if isinstance(frame[column].dtype, pd.CategoricalDtype):
                frame[column] = frame[column].astype(object)
    return raw


def _empty_cells(values: pd.Series) -> np.ndarray:
    """Which cells are the empty text (through the categories for a categorical column)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        empty = np.asarray(values.cat.categories == "", dtype=bool)
        codes = values.cat.codes.to_numpy()
        return empty[codes] if empty.any() else np.zeros(len(values), dtype=bool)
    return np.asarray(values == "", dtype=bool)


def personal_data(raw: RawTable) -> list[Violation]:
    """Cells and column names that hold personal data; the value is never in the problem."""
    problems = []
    for position, (key, shown) in enumerate(raw.original_headers.items(), start=1):
        if pii.value_kind(shown):
            problems.append(Violation(1, f"kolumn nr {position}", (
                f"kolumnrubriken ser ut att vara {pii.with_article(pii.value_kind(shown))} (visas inte). "
                "Byt rubriken mot kolumnens namn enligt datakontraktet."
            )))
        elif pii.column_kind(key):
            problems.append(Violation(1, shown, (
                f"kolumnnamnet tyder på personuppgifter ({pii.column_kind(key)}). Indata ska vara "
                "pseudonymiserade: ta bort kolumnen ur filen och exportera igen."
            )))
    for label, column, kind in piiscan.scan_frame(raw.frame):
        problems.append(Violation(raw.row_number(label), raw.original_headers.get(column, column), (
            f"innehåller något som ser ut som {pii.with_article(kind)} (värdet visas inte). Indata får inte "
            "innehålla personuppgifter: ta bort uppgiften eller ersätt personen med en kod (t.ex. D0001)."
        )))
    return problems


def mixed_encoding(raw: RawTable) -> list[Violation]:
    """Cells whose text is UTF-8 read as Windows-1252 (``HÃ¤lsa`` for ``Hälsa``)."""
    problems = []
    advice = (
        "texten är felkodad (t.ex. 'Ã¤' där det ska stå 'ä'): raden har sparats med en annan "
        "teckenkodning än resten av filen. Spara om hela filen med en och samma kodning "
        "(helst UTF-8) och kontrollera texten."
    )
    for key, shown in raw.original_headers.items():
        if _is_mojibake(shown):
            problems.append(Violation(1, shown, advice))
    for column in raw.frame.columns:
        values = raw.frame[column]
        codes, uniques, all_text = piiscan.distinct(values)
        array = piiscan.text_array(uniques, all_text) if len(uniques) > 1000 else None
        wide = (np.flatnonzero(~pc.string_is_ascii(array).to_numpy(zero_copy_only=False))
                if array is not None else range(len(uniques)))
        bad = [i for i in wide if isinstance(uniques[i], str) and not uniques[i].isascii() and _is_mojibake(uniques[i])]
        if not bad:
            continue
        flagged = values.index[np.isin(codes, bad)]
        problems.extend(Violation(raw.row_number(label), raw.original_headers[column], advice) for label in flagged)
    return problems


# Windows-1252 leaves five bytes undefined; read (and write back) those as Latin-1 so that
# decoding never loses a byte and mojibake can be recognised by re-encoding.
def _c1_fallback(exc: UnicodeError):
    if isinstance(exc, UnicodeDecodeError):
        return exc.object[exc.start:exc.end].decode("latin-1"), exc.end
    if isinstance(exc, UnicodeEncodeError):
        part = exc.object[exc.start:exc.end]
        if all("\x80" <= ch <= "\x9f" for ch in part):
            return part.encode("latin-1"), exc.end
    raise exc


codecs.register_error("evaluation-c1", _c1_fallback)
#: A lead byte of a UTF-8 sequence read as Windows-1252 (Â..ô) and a continuation byte.
_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
    "\u02dc\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


def _is_mojibake(text: str) -> bool:
    """True when ``text`` is UTF-8 bytes that were decoded as Windows-1252."""
    if not isinstance(text, str) or not _MOJIBAKE.search(text):
        return False
    try:
        return text.encode("cp1252", errors="evaluation-c1").decode("utf-8") != text
    except UnicodeError:
        return False


# -- what may be read ----------------------------------------------------------------------------
_ROOTS: contextvars.ContextVar[tuple[Path, ...] | None] = contextvars.ContextVar("input_roots", default=None)


@contextlib.contextmanager
def confined(*roots: Path):
    """Inside this block, files are read only when they lie (after following links) in ``roots``.

    Outside any such block a file must lie in its own folder: a link may point to a file
    beside it, never elsewhere.
    """
    token = _ROOTS.set(tuple(Path(r).resolve() for r in roots))
    try:
        yield
    finally:
        _ROOTS.reset(token)


def _check_readable(path: Path, limit: int, kind: str) -> None:
    """Refuse a file outside the allowed folders or larger than ``limit`` bytes."""
    roots = _ROOTS.get()
    allowed = roots if roots is not None else (path.absolute().parent.resolve(),)
    real = path.resolve()
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
    if not path.is_file():
        raise InputError(f"{path}: filen finns inte. Kontrollera namnet och mappen.")
    _check_readable(path, MAX_TEXT_BYTES, "en textfil (YAML eller Markdown)")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path}: filen är inte sparad som UTF-8. Spara den som UTF-8 (i Anteckningar: "
                         "Spara som → Kodning UTF-8) och kör igen.") from None
    check_personal_text(path, text)
    return text


#: Folders whose texts are about other people (informants, respondents): an e-mail address or
#: phone number there is refused, as a personnummer is everywhere.
STRICT_FOLDERS = ("intervjuer", "enkater")
_LISTED_LINES = 10


def check_personal_text(path: Path, text: str) -> None:
    """Refuse or warn about personal data in a text input (YAML, Markdown, Word, alt texts).

    Every reader of text calls this on what it read (:func:`read_text` does for YAML and
    Markdown; a reader of another format passes its text). The whole text is scanned, so YAML
    keys and values, front matter, body and image alt texts are all covered.

    - A personnummer or samordningsnummer (any check digit) is refused everywhere.
    - An e-mail address or phone number is refused in :data:`STRICT_FOLDERS` (interview notes
      and quotes, survey descriptions and answers); elsewhere (the evaluator's texts, the
      organisation, parameters, goals, matrices, omvärld) it is a notice naming file and line:
      it may be the evaluator's own contact details.

    The value is never part of the message.
    """
    hits = pii.text_hits(text)
    if not hits:
        return
    strict = any(part in STRICT_FOLDERS for part in Path(path).parts)
    refused = [(line, kind) for line, kind in hits if kind == pii.PNR or strict]
    if refused:
        lines = [f"rad {line}: något som ser ut som {pii.with_article(kind)}" for line, kind in refused]
        from evaluation.core.errors import cut_list
        raise InputError(
            f"{path}: filen innehåller personuppgifter (värdena visas inte): "
            f"{cut_list(lines, _LISTED_LINES, '; ')}. Indata ska vara pseudonymiserade: ta bort "
            "uppgiften eller ersätt personen med en kod eller en roll (t.ex. 'handläggare A')."
        )
    from evaluation.core.collector import note
    note(*(Notice(path, line, (
        f"texten innehåller något som ser ut som {pii.with_article(kind)} (visas inte här). Om det är dina egna "
        "kontaktuppgifter som utvärderare kan det stå kvar; gäller det någon annan, ta bort det."
    )) for line, kind in hits))


def text_read(path: Path, text: str) -> str:
    """The one point every text read from an input passes (YAML, Markdown, a Word text as
    Markdown, survey headers): checks of the text as a whole belong here (personal data)."""
    check_personal_text(path, text)
    return text


def _not_text(path: Path) -> InputError:
    return InputError(
        f"{path}: det här är ingen textfil. Spara tabellen som CSV (UTF-8 eller Windows-1252) "
        "eller som Excel-arbetsbok (.xlsx) och kör igen."
    )


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="evaluation-c1")


def _read_csv(path: Path) -> pd.DataFrame:
    with path.open("rb") as handle:
        head = handle.read(65536)
    if b"\x00" in head[:4096]:
        raise _not_text(path)
    # Only the separator is read from the first line: any decoding of it counts ';' and ',' alike.
    text = head.decode("utf-8-sig", errors="replace")
    header = text.splitlines()[0] if text.strip() else ""
    if not header.strip():
        raise InputError(f"{path}: första raden är tom; den ska innehålla kolumnnamnen. Ta bort "
                         "tomma rader överst i filen och kör igen.")
    if re.fullmatch(r"\s*sep=.?\s*", header, re.I):
        raise InputError(f"{path}: rad 1 är '{header.strip()}', en rad som vissa program skriver för att tala om "
                         "avgränsaren för Excel. Ta bort den raden så att kolumnnamnen står på rad 1, och kör igen.")
    delimiter = ";" if header.count(";") > header.count(",") else ","
    frame = _read_csv_arrow(path, head, delimiter)
    if frame is not None:
        return frame
    return _read_csv_pandas(path, _decode(path, path.read_bytes()), delimiter)


def _read_csv_arrow(path: Path, head: bytes, delimiter: str) -> pd.DataFrame | None:
    """The table read by Arrow's CSV engine, each column a ``Categorical`` of stripped text.

    Decoded as :func:`_decode` does: UTF-8 (a BOM dropped) when the whole file is UTF-8, else
    Windows-1252. ``None`` when the file needs the general reader (quoted, empty or repeated
    column names, rows of the wrong length), which numbers and names everything the same way.
    A UTF-8 file is read in blocks, never whole into memory.
    """
    newline = head.find(b"\n")
    first = head[:newline] if newline >= 0 else head
    try:
        first.decode("utf-8")
        utf8 = newline >= 0 or len(head) < 65536
    except UnicodeDecodeError:
        utf8 = False
    if utf8:
        names = _header_names(head.removeprefix(codecs.BOM_UTF8).decode("utf-8", errors="replace"), delimiter)
        if names is None:
            return None
        try:
            return _arrow_frame(str(path), names, delimiter)
        except pa.ArrowInvalid as exc:
            if "UTF8" not in str(exc):
                return None
    # Not UTF-8 as a whole: Windows-1252, as _decode reads it (a BOM then is text too).
    names = _header_names(head.decode("cp1252", errors="evaluation-c1"), delimiter)
    if names is None:
        return None
    try:
        with _Cp1252AsUtf8(path) as source:
            return _arrow_frame(source, names, delimiter)
    except pa.ArrowInvalid:
        return None


class _Cp1252AsUtf8(io.RawIOBase):
    """A Windows-1252 file read as UTF-8, a block at a time (never whole in memory)."""

    BLOCK = 1 << 22

    def __init__(self, path: Path):
        super().__init__()
        self._file = open(path, "rb")
        self._pending = b""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._pending) < size:
            block = self._file.read(self.BLOCK)
            if not block:
                break
            # A single-byte encoding: a block boundary never splits a character.
            self._pending += block.decode("cp1252", errors="evaluation-c1").encode("utf-8")
        cut = len(self._pending) if size < 0 else size
        out, self._pending = self._pending[:cut], self._pending[cut:]
        return out

    def close(self) -> None:
        self._file.close()
        super().close()


def _arrow_frame(source, names: list[str], delimiter: str) -> pd.DataFrame:
    """Stream the CSV block by block, each block's columns dictionary-encoded at once."""
    chunks: list[list[pa.Array]] = [[] for _ in names]
    options = dict(
        read_options=pa_csv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24),
        parse_options=pa_csv.ParseOptions(delimiter=delimiter, quote_char='"', double_quote=True,
                                          escape_char=False, newlines_in_values=True, ignore_empty_lines=False),
        convert_options=pa_csv.ConvertOptions(column_types={n: pa.string() for n in names}, null_values=[],
                                              strings_can_be_null=False, quoted_strings_can_be_null=False),
    )
    with pa_csv.open_csv(source, **options) as reader:
        for batch in reader:
            for i, column in enumerate(batch.columns):
                chunks[i].append(pc.dictionary_encode(column))
    columns = {name: _stripped_categorical(parts) for name, parts in zip(names, chunks)}
    rows = len(next(iter(columns.values()))) if columns else 0
    # Row numbers must stay those of the file: keep blank lines out only after numbering.
    return pd.DataFrame(columns, index=pd.RangeIndex(rows))


def _stripped_categorical(parts: list[pa.DictionaryArray]) -> pd.Categorical:
    """Dictionary-encoded blocks of one column as a ``Categorical`` of stripped text.

    Only the distinct values are stripped; values that then coincide become one category.
    """
    if not parts:
        return pd.Categorical.from_codes(np.zeros(0, dtype=np.int32), categories=pd.Index([], dtype=object))
    unified = pa.chunked_array(parts).unify_dictionaries()
    dictionary = unified.chunks[0].dictionary
    codes = np.concatenate([c.indices.to_numpy(zero_copy_only=False) for c in unified.chunks])
    stripped = pc.utf8_trim_whitespace(dictionary)
    if not pc.all(pc.equal(stripped, dictionary)).as_py():
        remap, uniques = pd.factorize(stripped.to_numpy(zero_copy_only=False))
        codes, dictionary = remap[codes], pa.array(uniques, type=pa.string())
    categories = pd.Index(dictionary.to_numpy(zero_copy_only=False), dtype=object)
    return pd.Categorical.from_codes(codes, categories=categories, validate=False)


def _header_names(head: str, delimiter: str) -> list[str] | None:
    """The column names of the first line, when Arrow can take them as they are."""
    lines = head.splitlines()
    header = lines[0] if lines else ""
    names = header.split(delimiter)
    if len(lines) < 2 and len(head) >= 65536 or '"' in header:
        return None
    if len(set(names)) < len(names) or any(not n.strip() for n in names):
        return None
    return names


def _read_csv_pandas(path: Path, text: str, delimiter: str) -> pd.DataFrame:
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False,
            skip_blank_lines=False, quoting=csv.QUOTE_MINIMAL,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise InputError(
            f"{path}: filen kan inte läsas som en tabell med '{delimiter}' mellan kolumnerna ({exc}). "
            "Kontrollera att varje rad har lika många kolumner som rubrikraden och att citattecken "
            "(\") är parade, eller spara om filen som CSV från Excel."
        ) from None
    frame = frame.apply(lambda col: col.str.strip())
    # Row numbers must stay those of the file: keep blank lines out only after numbering.
    frame.index = range(len(frame))
    return frame.astype(object)


def _read_xlsx(path: Path, categorical: bool = False) -> pd.DataFrame:
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


class _TooComplex(yaml.YAMLError):
    """The document expands beyond what a hand-written file needs."""


class _RepeatedKey(yaml.YAMLError):
    """A key written twice in one mapping: YAML would keep the last and drop the first unsaid."""

    def __init__(self, key, lines: tuple[int, int]):
        super().__init__(key)
        self.key, self.lines = key, lines


class _LimitedLoader(yaml.SafeLoader):
    """The safe loader with a cap on aliases and on the expanded size of the document, that
    refuses a key written twice in one mapping."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict = {}
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node)
                if key in seen:
                    raise _RepeatedKey(key, (seen[key], key_node.start_mark.line))
                seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)

    def __init__(self, stream):
        super().__init__(stream)
        self._aliases = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_YAML_ALIASES:
                raise _TooComplex(f"fler än {MAX_YAML_ALIASES} alias (*namn)")
        return super().compose_node(parent, index)

    def get_single_node(self):
        node = super().get_single_node()
        if node is not None:
            _expanded_size(node, {}, set())
        return node


def _expanded_size(node, sizes: dict, open_nodes: set) -> int:
    """Nodes in the document once every alias is written out (each shared node counted per use)."""
    key = id(node)
    if key in sizes:
        return sizes[key]
    if key in open_nodes:
        raise _TooComplex("ett alias som pekar på sig självt")
    open_nodes.add(key)
    size = 1
    if isinstance(node, yaml.SequenceNode):
        size += sum(_expanded_size(child, sizes, open_nodes) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        size += sum(_expanded_size(k, sizes, open_nodes) + _expanded_size(v, sizes, open_nodes) for k, v in node.value)
    open_nodes.discard(key)
    if size > MAX_YAML_NODES:
        raise _TooComplex(f"mer än {MAX_YAML_NODES} värden när alla alias skrivs ut")
    sizes[key] = size
    return size


def load_yaml_text(text: str, path: Path, first_line: int = 1) -> object:
    """Parse YAML text safely and within limits; raises ``yaml.YAMLError`` (or
    :class:`InputError` for a document that expands too far or nests too deep, or repeats a
    key). ``first_line`` is the file's line number of the text's first line."""
    try:
        return yaml.load(text, Loader=_LimitedLoader)  # noqa: S506 - a SafeLoader subclass
    except _RepeatedKey as exc:
        first, second = (line + first_line for line in exc.lines)
        raise InputError(
            f"{path}: nyckeln {pii.quote(exc.key)} står två gånger, på rad {first} och rad {second}; "
            "bara en av dem skulle räknas. Ta bort eller slå ihop den ena och kör igen."
        ) from None
    except _TooComplex as exc:
        raise InputError(
            f"{path}: YAML-filen är för stor när dess alias skrivs ut ({exc}). Skriv ut värdena "
            "direkt i stället för att upprepa dem med &ankare och *alias."
        ) from None
    except RecursionError:
        raise InputError(f"{path}: YAML-filen är nästlad i för många nivåer. Skriv den plattare.") from None


def read_yaml(path: Path) -> object:
    """Load YAML safely: tags never construct objects or run code; size and aliases are capped."""
    path = Path(path)
    text = read_text(path)
    try:
        return load_yaml_text(text, path)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" på rad {mark.line + 1}, tecken {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"{path}: ogiltig YAML{where} ({problem}). Kontrollera indraget, kolon efter "
                         "varje nyckel och citattecken runt text som innehåller ':' eller '#'.") from None


@dataclass(frozen=True)
class MarkdownDoc:
    """A Markdown file split into its YAML front matter and body.

    A Word text (:func:`read_docx`) has no front matter and carries its embedded images
    (path as written in ``body`` → bytes) in ``images``.
    """

    path: Path
    meta: dict
    body: str
    body_first_line: int  # file line number of the body's first line
    images: tuple[tuple[str, bytes], ...] = ()


def read_markdown(path: Path) -> MarkdownDoc:
    """Read Markdown with optional ``---``-delimited YAML front matter (loaded safely)."""
    path = Path(path)
    text = read_text(path)
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return MarkdownDoc(path, {}, text, 1)
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() in ("---", "..."))
    except StopIteration:
        raise InputError(f"{path}: huvudet (front matter) som börjar på rad 1 avslutas aldrig; "
                         "lägg till en rad med bara '---' efter huvudet.") from None
    try:
        meta = load_yaml_text("\n".join(lines[1:end]), path, first_line=2) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" på rad {mark.line + 2}" if mark else ""
        raise InputError(f"{path}: huvudet (front matter) är inte giltig YAML{where}. Skriv en "
                         "'nyckel: värde' per rad mellan raderna '---'.") from None
    if not isinstance(meta, dict):
        raise InputError(f"{path}: huvudet (front matter) ska bestå av rader 'nyckel: värde' mellan "
                         "raderna '---'.")
    return MarkdownDoc(path, meta, "\n".join(lines[end + 1:]), end + 2)


#: Largest image a text may embed (each is carried in the report and every output format).
MAX_IMAGE_BYTES = 10 * 1024 * 1024
_IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


def read_image(folder: Path, relative: str) -> bytes:
    """The bytes of the PNG or JPEG image ``relative`` (as written in a text) inside ``folder``.

    The image must be a file inside ``folder`` (the data folder): a path that leads out of it,
    a missing file, another file type or a file over :data:`MAX_IMAGE_BYTES` is an
    :class:`InputError` in Swedish naming the image.
    """
    folder = Path(folder).resolve()
    path = (folder / relative).resolve()
    if not path.is_relative_to(folder):
        raise InputError(f"bilden {pii.quote(relative)} ligger utanför datamappen {folder}; lägg den i datamappen, till exempel i bilder/.")
    if not path.is_file():
        raise InputError(f"bilden {pii.quote(relative)} finns inte (sökte {path}); kontrollera filnamnet och att filen ligger i datamappen.")
    if path.stat().st_size > MAX_IMAGE_BYTES:
        raise InputError(f"bilden {pii.quote(relative)} är större än {MAX_IMAGE_BYTES // (1024 * 1024)} MB; spara den i lägre upplösning.")
    data = path.read_bytes()
    if not any(data.startswith(magic) for magic in _IMAGE_MAGIC):
        raise InputError(f"bilden {pii.quote(relative)} är inte en PNG- eller JPEG-bild; spara den som .png eller .jpg.")
    try:
        return without_metadata(data)
    except (OSError, ValueError, SyntaxError):  # Pillow's errors for a damaged file
        raise InputError(f"bilden {pii.quote(relative)} går inte att läsa (filen är skadad); spara om den som "
                         ".png eller .jpg.") from None


#: What a PNG or JPEG may carry besides its pixels and stay published: how to show them
#: (resolution, colour profile, gamma, transparency). Everything else is dropped: Exif (the
#: camera's owner, the place a photo was taken, the time), XMP, IPTC, comments and text chunks.
_SHOWING = {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi", "adobe", "adobe_transform", "progressive",
            "progression", "icc_profile", "gamma", "srgb", "chromaticity", "transparency", "aspect", "interlace"}


def without_metadata(data: bytes) -> bytes:
    """A PNG or JPEG image without the metadata that may say who took it, where or when.

    A photo from a phone carries the place it was taken and often its owner's name; a report
    would publish them with the picture. An image without such metadata is returned as it is;
    one with it is saved again with its pixels only, turned upright first when the camera
    recorded it turned (the turn is itself Exif). An upright JPEG keeps its own quality tables.
    Other image types (from Word) are returned as they are.

    >>> import PIL.Image, PIL.PngImagePlugin
    >>> info = PIL.PngImagePlugin.PngInfo(); info.add_text("Author", "A")
    >>> out = io.BytesIO(); PIL.Image.new("RGB", (4, 2)).save(out, format="PNG", pnginfo=info)
    >>> clean = without_metadata(out.getvalue())
    >>> PIL.Image.open(io.BytesIO(clean)).info, without_metadata(clean) == clean
    ({}, True)
    """
    from PIL import ExifTags, Image, ImageOps

    if not any(data.startswith(magic) for magic in _IMAGE_MAGIC):
        return data
    with Image.open(io.BytesIO(data)) as image:
        if set(image.info) <= _SHOWING:
            return data
        kept = {key: image.info[key] for key in ("icc_profile", "dpi", "transparency") if key in image.info}
        kept.update(exif=b"", xmp=b"", comment=b"")  # Pillow would copy the last two from the original
        out = io.BytesIO()
        if image.format == "PNG":
            ImageOps.exif_transpose(image).save(out, format="PNG", **kept)
        elif image.getexif().get(ExifTags.Base.Orientation, 1) == 1:
            image.save(out, format="JPEG", quality="keep", subsampling="keep", **kept)
        else:
            ImageOps.exif_transpose(image).save(out, format="JPEG", quality=92, **kept)
    return out.getvalue()


#: Largest Word text read (its images included) and the largest it may unpack to (a zip).
MAX_DOCX_BYTES = 50 * 1024 * 1024
MAX_DOCX_UNPACKED = 200 * 1024 * 1024
#: Pandoc's Markdown close to :mod:`evaluation.core.markup`'s dialect: CommonMark with pipe tables
#: and footnotes; no attributes (``{width=..}``) or raw HTML, typographic quotes kept as typed.
_PANDOC_MARKDOWN = "commonmark_x-attributes-smart-raw_html"
_TEMPLATE_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_CURLY = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'", "\u2019": "'", "\u00bb": '"'})


def read_docx(path: Path) -> MarkdownDoc:
    """A Word text (``.docx``) as Markdown, with the images it embeds.

    Pandoc (shipped in the ``pypandoc-binary`` wheel) converts headings, paragraphs, bold and
    italic, lists, tables, footnotes, links and images with their alt text (Word's *Alt Text*).
    Inside ``{{ ... }}`` and ``{% ... %}`` the Markdown escapes pandoc adds (``\\>``) are
    removed and Word's typographic quotes (“…”) become straight ones, so a variable typed in
    Word works as in a ``.md`` file.
    """
    import pypandoc  # a 100 MB binary: loaded only for a Word text

    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: filen finns inte. Kontrollera namnet och mappen.")
    _check_readable(path, MAX_DOCX_BYTES, "ett Word-dokument")
    not_word = InputError(f"{path}: filen kan inte öppnas som ett Word-dokument. Öppna den i Word och "
                          "spara den som Word-dokument (.docx), eller skriv texten som Markdown (.md).")
    try:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
            if sum(i.file_size for i in infos) > MAX_DOCX_UNPACKED:
                raise InputError(f"{path}: dokumentet packas upp till mer än "
                                 f"{MAX_DOCX_UNPACKED // 1024 // 1024} MB; spara bilderna i lägre upplösning.")
            media = {i.filename[len("word/"):]: i for i in infos if i.filename.startswith("word/media/")}
            images = {name: package.read(info) for name, info in media.items()}
    except (zipfile.BadZipFile, OSError, KeyError):
        raise not_word from None
    try:
        markdown = pypandoc.convert_file(str(path), _PANDOC_MARKDOWN, format="docx",
                                         extra_args=["--wrap=none"])
    except (RuntimeError, OSError):
        raise not_word from None
    markdown = _TEMPLATE_TAG.sub(lambda m: _ESCAPED.sub(r"\1", m.group(0)).translate(_CURLY),
                                 markdown.replace("\r\n", "\n"))
    body = text_read(path, markdown)
    shown = {src for src in re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", body)}
    try:
        pictures = tuple((s, without_metadata(images[s])) for s in sorted(shown) if s in images)
    except (OSError, ValueError, SyntaxError):  # Pillow's errors for a damaged picture
        raise InputError(f"{path}: en bild i dokumentet går inte att läsa (den är skadad); infoga den igen.") from None
    return MarkdownDoc(path, {}, body, 1, pictures)
