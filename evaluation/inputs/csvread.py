"""Reading a CSV table: its encoding (UTF-8, with or without BOM, or Windows-1252), its separator,
and its cells as text, read by Arrow block by block where it can (a million-row register), else
by pandas (quoted or repeated column names, rows of the wrong length).

Called by :func:`evaluation.inputs.files.read_table`, which checks what was read.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from evaluation.core import pii
from evaluation.core.errors import InputError
from evaluation.inputs.cells import repeated_headers


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


def read_csv(path: Path) -> pd.DataFrame:
    """A CSV file's table as text cells (categorical columns when Arrow reads it): UTF-8, UTF-8
    with BOM or Windows-1252, ``,`` or ``;`` (whichever the header line has more of)."""
    with path.open("rb") as handle:
        head = handle.read(65536)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(f"{path}: filen är sparad som UTF-16 (i Excel: 'Unicode-text'), som inte kan läsas. "
                         "Spara tabellen som CSV UTF-8 (Spara som → CSV UTF-8 (kommaavgränsad)) och kör igen.")
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
    if "\t" in header and not (";" in header or "," in header):
        raise InputError(f"{path}: kolumnerna på rad 1 avgränsas med tabb. En CSV-fil ska avgränsas med ; eller , "
                         "(i Excel: Spara som → CSV UTF-8 (kommaavgränsad)). Spara om filen och kör igen.")
    delimiter = ";" if header.count(";") > header.count(",") else ","
    frame = _read_csv_arrow(path, head, delimiter)
    if frame is None:
        frame = _read_csv_pandas(path, _decode(path, path.read_bytes()), delimiter)
    _refuse_other_separator(path, frame, delimiter)
    return frame


def _refuse_other_separator(path: Path, frame: pd.DataFrame, delimiter: str) -> None:
    """Refuse a row written with the other separator (``;`` rows in a ``,`` file, as two exports
    pasted together): it is read as one cell in the first column, the rest empty, and each empty
    cell was said on its own with no word of the separator. Names the first such row."""
    other = "," if delimiter == ";" else ";"
    needed = len(frame.columns) - 1
    if needed < 1 or not len(frame):
        return
    column = frame.iloc[:, 0]
    values = column.cat.categories if isinstance(column.dtype, pd.CategoricalDtype) else column.unique()
    joined = {v for v in values if isinstance(v, str) and v.count(other) >= needed}
    if not joined:
        return
    rest = frame.iloc[:, 1:].astype(object).fillna("").astype(str).apply(lambda col: col.str.strip() == "")
    rows = np.flatnonzero(column.isin(joined).to_numpy() & rest.all(axis=1).to_numpy())  # a cell alone on its row
    if len(rows):
        more = "" if len(rows) == 1 else f" (och {len(rows) - 1} {'rad' if len(rows) == 2 else 'rader'} till)"
        raise InputError(
            f"{path}: rad {int(rows[0]) + 2}{more} avgränsar kolumnerna med '{other}', men rubrikraden med "
            f"'{delimiter}', så hela raden lästes som en enda cell. Skriv om raden med '{delimiter}' (eller spara om "
            "hela filen som CSV från Excel) och kör igen."
        )


def _refuse_swallowed_rows(path: Path, frame: pd.DataFrame, delimiter: str, columns) -> None:
    """Refuse a cell whose text holds whole rows of the table: a quote (") opened and never
    closed takes the rows after it into one cell, and they would be lost unsaid.

    A line inside a cell counts as a row when it has at least as many separators as the header
    (a line break within a cell, Alt+Enter in Excel, is otherwise welcome). Only ``columns`` can
    hold one (each reader knows which have a line break at all). Names row and column, never the
    text.
    """
    needed = len(frame.columns) - 1
    if needed < 1:
        return
    for name in columns:
        column = frame[name]
        values = column.cat.categories if isinstance(column.dtype, pd.CategoricalDtype) else column.unique()
        swallowing = {v for v in values if isinstance(v, str) and "\n" in v
                      and any(line.count(delimiter) >= needed for line in v.splitlines()[1:])}
        if swallowing:
            position = int(np.flatnonzero(column.isin(swallowing))[0])
            raise InputError(
                f"{path}: rad {position + 2}, kolumn {pii.quote(name)}: cellen fortsätter över flera rader och "
                "innehåller rader av tabellen. Troligen öppnas ett citattecken (\") i cellen men stängs aldrig, "
                "så att raderna efter den blev en del av dess text. Stäng citattecknet (eller ta bort det) och "
                "kör igen."
            )


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
            return _arrow_frame(path, str(path), names, delimiter)
        except pa.ArrowInvalid as exc:
            if "UTF8" not in str(exc):
                return None
    # Not UTF-8 as a whole: Windows-1252, as _decode reads it (a BOM then is text too).
    names = _header_names(head.decode("cp1252", errors="evaluation-c1"), delimiter)
    if names is None:
        return None
    try:
        with _Cp1252AsUtf8(path) as source:
            return _arrow_frame(path, source, names, delimiter)
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


def _arrow_frame(path: Path, source, names: list[str], delimiter: str) -> pd.DataFrame:
    """Stream the CSV block by block, each block's columns dictionary-encoded at once; then refuse
    rows swallowed by a quote (:func:`_refuse_swallowed_rows`)."""
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
    frame = pd.DataFrame(columns, index=pd.RangeIndex(rows))
    # Only a column with a line break in a value can have swallowed rows: Arrow's dictionaries tell
    # which (a million ids in 15 ms).
    broken = [name for name, parts in zip(names, chunks)
              if any(pc.any(pc.match_substring(p.dictionary, "\n")).as_py() for p in parts)]
    _refuse_swallowed_rows(path, frame, delimiter, broken)
    return frame


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


#: pandas' words for a row of the wrong length ("Expected 5 fields in line 480, saw 6").
_LENGTH = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
#: ... and for a quote never closed ("EOF inside string starting at row 2", the header row 0).
_UNCLOSED = re.compile(r"EOF inside string starting at row (\d+)")


def _wrong_length(path: Path, delimiter: str, line: int, expected: int, saw: int) -> InputError:
    title = (" Står det en rubrik eller anteckning på första raden? Kolumnrubrikerna ska stå på rad 1; ta bort "
             "raderna ovanför dem." if expected == 1 else "")  # a title above the headers: one cell in row 1
    return InputError(
        f"{path}: rad {line} har {saw} kolumner, men rubrikraden har {expected}.{title} Kontrollera att raden "
        f"har lika många '{delimiter}' som rubrikraden (en '{delimiter}' inuti ett värde ska stå inom "
        "citattecken, \"så här\"), eller spara om filen som CSV från Excel."
    )


def _read_csv_pandas(path: Path, text: str, delimiter: str) -> pd.DataFrame:
    """The table read by pandas, each cell stripped text. A row longer than the header is refused,
    naming its line: pandas would otherwise take the first row's extra cells as an index and shift
    every column of that row, or stop with its own English words."""
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False,
            skip_blank_lines=False, quoting=csv.QUOTE_MINIMAL,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        length = _LENGTH.search(str(exc))
        if length:
            expected, line, saw = map(int, length.groups())
            raise _wrong_length(path, delimiter, line, expected, saw) from None
        unclosed = _UNCLOSED.search(str(exc))
        if unclosed:
            raise InputError(
                f"{path}: rad {int(unclosed.group(1)) + 1}: ett citattecken (\") öppnas men stängs aldrig, så resten "
                "av filen blir en enda cell. Stäng citattecknet (eller ta bort det) och kör igen."
            ) from None
        raise InputError(
            f"{path}: filen kan inte läsas som en tabell med '{delimiter}' mellan kolumnerna. "
            "Kontrollera att varje rad har lika många kolumner som rubrikraden och att citattecken "
            "(\") är parade, eller spara om filen som CSV från Excel."
        ) from None
    if not isinstance(frame.index, pd.RangeIndex):  # the first row had more cells than the header
        line = 2 + next(i for i, row in enumerate(text.splitlines()[1:]) if row.strip())
        raise _wrong_length(path, delimiter, line, len(frame.columns), len(frame.columns) + frame.index.nlevels)
    frame = frame.apply(lambda col: col.str.strip())
    header = next(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter), [])
    repeated = repeated_headers(header, lambda index: str(index + 1))
    if len(header) == len(frame.columns):  # pandas names an empty header cell "Unnamed: 2", a repeated one
        frame.columns = [f"kolumn {i + 1} utan rubrik" if not name.strip() else  # "kon.1"; the reader, by place
                         f"kolumn nr {i + 1}" if i in repeated else column
                         for i, (name, column) in enumerate(zip(header, frame.columns))]
    # Row numbers must stay those of the file: keep blank lines out only after numbering.
    frame.index = range(len(frame))
    _refuse_swallowed_rows(path, frame, delimiter, frame.columns)
    frame = frame.astype(object)
    frame.attrs["unreadable"] = list(repeated.values())  # refused with the table's other problems
    return frame
