"""Reading input files: the one place that touches the evaluator's data on disk.

Everything here only reads. Tables come back as text cells (or ``datetime`` for Excel date
cells) with normalised headers; the modules that own a format validate the values.

Every reader refuses what could harm or silently falsify a report:

- a file outside the folders the report may read (a symbolic link or ``..`` that leads out of
  the data folder or the omvärld library, see :func:`confined`), or larger than its limit;
- a table holding personal data (:mod:`evaluation.pii`) in any cell or column name;
- a table with text in two encodings (a UTF-8 row in a Windows-1252 file reads ``HÃ¤lsa``);
- an Excel formula cell without a saved value (it would read as empty);
- YAML with more aliases or nodes than a hand-written file needs (an alias bomb).
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
import yaml
from defusedxml import ElementTree as SafeET
from openpyxl.utils.cell import coordinate_from_string, column_index_from_string

from . import pii
from .errors import EmptyTableError, InputError, ValidationError, Violation

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
    """Read a CSV (UTF-8, UTF-8 with BOM or Windows-1252; ``,`` or ``;``) or an XLSX (first sheet).

    Refused (:class:`ValidationError` naming row and column, never the value): personal data
    in any cell or column name, text in a second encoding, Excel formulas without saved values.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: file not found.")
    _check_readable(path, MAX_TABLE_BYTES, "en tabell (CSV eller Excel)")
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
        raise EmptyTableError(path, f"{path}: filen har en rubrikrad men inga rader med uppgifter. "
                                    "Fyll i minst en rad under rubrikraden och kör igen.")
    raw = RawTable(path=path, frame=frame, first_row=2, original_headers=originals)
    problems = personal_data(raw) or mixed_encoding(raw)
    if problems:
        raise ValidationError(path, problems)
    return raw


def personal_data(raw: RawTable) -> list[Violation]:
    """Cells and column names that hold personal data; the value is never in the problem."""
    problems = []
    for position, (key, shown) in enumerate(raw.original_headers.items(), start=1):
        if pii.value_kind(shown):
            problems.append(Violation(1, f"kolumn nr {position}", (
                f"kolumnrubriken ser ut att vara ett {pii.value_kind(shown)} (visas inte). "
                "Byt rubriken mot kolumnens namn enligt datakontraktet."
            )))
        elif pii.column_kind(key):
            problems.append(Violation(1, shown, (
                f"kolumnnamnet tyder på personuppgifter ({pii.column_kind(key)}). Indata ska vara "
                "pseudonymiserade: ta bort kolumnen ur filen och exportera igen."
            )))
    for label, column, kind in pii.scan_frame(raw.frame):
        problems.append(Violation(raw.row_number(label), raw.original_headers.get(column, column), (
            f"innehåller något som ser ut som ett {kind} (värdet visas inte). Indata får inte "
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
        codes, uniques = pd.factorize(values)
        bad = {i for i, u in enumerate(uniques) if isinstance(u, str) and not u.isascii() and _is_mojibake(u)}
        if not bad:
            continue
        flagged = values.index[np.isin(codes, list(bad))]
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
        raise InputError(f"{path}: file not found.")
    _check_readable(path, MAX_TEXT_BYTES, "en textfil (YAML eller Markdown)")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text. Save the file as UTF-8.") from None


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
        return data.decode("cp1252", errors="evaluation-c1")


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
        frame = pd.read_excel(path, sheet_name=0, dtype=object, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise InputError(f"{path}: cannot be opened as an Excel workbook ({type(exc).__name__}).") from None
    uncached = _uncached_formulas(path)
    if uncached:
        headers = [str(c) for c in frame.columns]
        problems = []
        for ref in uncached:
            letters, row = coordinate_from_string(ref)
            index = column_index_from_string(letters) - 1
            name = headers[index] if index < len(headers) and not headers[index].startswith("Unnamed:") else None
            problems.append(Violation(row, name or f"kolumn {letters}", (
                f"cellen {ref} är en formel utan sparat värde och skulle läsas som tom. Öppna filen "
                "i Excel och spara den (då sparas formlernas värden), eller klistra in formlerna som "
                "värden (Klistra in special → Värden)."
            )))
        raise ValidationError(path, problems)
    frame = frame.loc[:, [not str(c).startswith("Unnamed:") for c in frame.columns]]
    return frame.apply(lambda col: col.map(_excel_cell)).astype(object)


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


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


class _LimitedLoader(yaml.SafeLoader):
    """The safe loader with a cap on aliases and on the expanded size of the document."""

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


def load_yaml_text(text: str, path: Path) -> object:
    """Parse YAML text safely and within limits; raises ``yaml.YAMLError`` (or
    :class:`InputError` for a document that expands too far or nests too deep)."""
    try:
        return yaml.load(text, Loader=_LimitedLoader)  # noqa: S506 - a SafeLoader subclass
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
    text = read_text(path)
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return MarkdownDoc(path, {}, text, 1)
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() in ("---", "..."))
    except StopIteration:
        raise InputError(f"{path}: the front matter that starts on line 1 is never closed with '---'.") from None
    try:
        meta = load_yaml_text("\n".join(lines[1:end]), path) or {}
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
