"""Reading input files: the one place that touches the evaluator's data on disk.

Everything here only reads. Tables come back as text cells (or ``datetime`` for Excel date
cells) with normalised headers; the modules that own a format validate the values.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from .errors import InputError

TABLE_SUFFIXES = (".csv", ".xlsx")
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
    frame: pd.DataFrame  # columns: normalised headers; cells: str or datetime.date or ""
    first_row: int  # the row number the user sees for frame.iloc[0] (header is row 1)
    original_headers: dict  # normalised -> as written in the file

    def row_number(self, position: int) -> int:
        return self.first_row + position


def find_table(folder: Path, stem: str) -> Path | None:
    """``folder/stem.csv`` or ``folder/stem.xlsx``, whichever exists (CSV first)."""
    for suffix in TABLE_SUFFIXES:
        candidate = folder / f"{stem}{suffix}"
        if candidate.is_file():
            return candidate
    return None


def read_table(path: Path) -> RawTable:
    """Read a CSV (UTF-8, UTF-8 with BOM or Windows-1252; ``,`` or ``;``) or an XLSX (first sheet)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: file not found.")
    if path.stat().st_size == 0:
        raise InputError(f"{path}: the file is empty. Export the table again with a header row.")
    if path.suffix.lower() == ".xlsx":
        frame = _read_xlsx(path)
    elif path.suffix.lower() == ".csv":
        frame = _read_csv(path)
    else:
        raise InputError(f"{path}: unsupported file type '{path.suffix}'. Use .csv or .xlsx.")
    originals = {}
    for name in frame.columns:
        key = normalise_header(name)
        if key in originals:
            raise InputError(
                f"{path}: the columns '{originals[key]}' and '{name}' mean the same column "
                f"'{key}'. Keep only one of them."
            )
        originals[key] = str(name).strip()
    frame.columns = list(originals)
    frame = frame.loc[~(frame == "").all(axis=1)] if len(frame.columns) else frame
    if frame.empty:
        raise InputError(f"{path}: the file has a header row but no data rows.")
    return RawTable(path=path, frame=frame, first_row=2, original_headers=originals)


def _decode(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise InputError(
            f"{path}: this is not a text file. Save the register as CSV (UTF-8 or "
            "Windows-1252) or as an Excel workbook (.xlsx)."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read_csv(path: Path) -> pd.DataFrame:
    text = _decode(path)
    header = text.splitlines()[0] if text.strip() else ""
    if not header.strip():
        raise InputError(f"{path}: the first line is empty; it must hold the column names.")
    delimiter = ";" if header.count(";") > header.count(",") else ","
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False,
            skip_blank_lines=False, quoting=csv.QUOTE_MINIMAL,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise InputError(f"{path}: cannot be read as a '{delimiter}'-separated table ({exc}).") from None
    frame = frame.apply(lambda col: col.str.strip())
    # Row numbers must stay those of the file: keep blank lines out only after numbering.
    frame.index = range(len(frame))
    return frame.astype(object)


def _read_xlsx(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_excel(path, sheet_name=0, dtype=object, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise InputError(f"{path}: cannot be opened as an Excel workbook ({type(exc).__name__}).") from None
    frame = frame.loc[:, [not str(c).startswith("Unnamed:") for c in frame.columns]]
    return frame.apply(lambda col: col.map(_excel_cell)).astype(object)


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


def read_yaml(path: Path) -> object:
    """Load YAML safely: tags never construct objects or run code."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: file not found.") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text. Save the file as UTF-8.") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"{path}: not valid YAML{where}: {problem}.") from None


@dataclass(frozen=True)
class MarkdownDoc:
    """A Markdown file split into its YAML front matter and body."""

    path: Path
    meta: dict
    body: str
    body_first_line: int  # file line number of the body's first line


def read_markdown(path: Path) -> MarkdownDoc:
    """Read Markdown with optional ``---``-delimited YAML front matter (loaded safely)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text. Save the file as UTF-8.") from None
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return MarkdownDoc(path, {}, text, 1)
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() in ("---", "..."))
    except StopIteration:
        raise InputError(f"{path}: the front matter that starts on line 1 is never closed with '---'.") from None
    try:
        meta = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark else ""
        raise InputError(f"{path}: the front matter is not valid YAML{where}.") from None
    if not isinstance(meta, dict):
        raise InputError(f"{path}: the front matter must be 'key: value' lines.")
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
        raise InputError(f"bilden '{relative}' ligger utanför datamappen {folder}; lägg den i datamappen, till exempel i bilder/.")
    if not path.is_file():
        raise InputError(f"bilden '{relative}' finns inte (sökte {path}); kontrollera filnamnet och att filen ligger i datamappen.")
    if path.stat().st_size > MAX_IMAGE_BYTES:
        raise InputError(f"bilden '{relative}' är större än {MAX_IMAGE_BYTES // (1024 * 1024)} MB; spara den i lägre upplösning.")
    data = path.read_bytes()
    if not any(data.startswith(magic) for magic in _IMAGE_MAGIC):
        raise InputError(f"bilden '{relative}' är inte en PNG- eller JPEG-bild; spara den som .png eller .jpg.")
    return data
