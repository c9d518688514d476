"""Matrices, ranked lists and grouped lists (data contract §5, ``<data>/matriser/*.yaml``).

A structural insats (a process mapping, a collaboration map) reports what it found as
matrices of free text, ranked priorities and "works well / works less well / why" lists. Each
file in ``<data>/matriser/`` is one such block; they are shown in file-name order in the section
``matriser`` and each also becomes a table ``matris_<file stem>`` in ``tabeller/``.

Three kinds (``typ``):

``matris``
    ``kolumner`` (column headings) and ``rader`` (rows of ``{namn, celler}``, one cell per
    column). Cells are Markdown. Optional ``radrubrik`` heads the column of row names. A case
    table (the steps of a case study × who / how / when / why / next step / obstacles, as in a
    workshop's case documentation) is a ``matris`` too: the steps are ``kolumner`` and the
    questions are the rows, and ``beskrivning`` holds the case itself::

        titel: Fall 3 – ung man, 22 år
        typ: matris
        beskrivning: Har avbrutit två utbildningar och saknar kontakt med vården.
        radrubrik: Fråga
        kolumner: [Steg 1, Steg 2, Steg 3]
        rader:
          - {namn: "Vem?", celler: [Skolans elevhälsa, Kommunens ungdomslots, Arbetsförmedlingen]}
          - {namn: "När?", celler: [Vid första frånvaron, Inom två veckor, Efter kartläggningen]}

``rangordning``
    ``poster``: items in rank order (Markdown); shown as a numbered list.

``lista``
    ``grupper``: a mapping of group title → items, e.g. ``Fungerar bra``, ``Fungerar mindre
    bra``, ``Varför``; shown as one headed list per group.

Every kind may have ``beskrivning`` (Markdown shown before the block) and ``not`` (a note
shown after it). Raw HTML in any Markdown text is shown as text, never passed through.

>>> m = parse_matrix({"titel": "Prio", "typ": "rangordning", "poster": ["Samverkan", "Flöden"]}, "p.yaml")
>>> matrix_frame(m).to_dict("records")
[{'rang': 1, 'post': 'Samverkan'}, {'rang': 2, 'post': 'Flöden'}]
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from evaluation.core import markup
from evaluation.core.errors import InputError, ValidationError, Violation, cut_list, kind_of, read_each
from evaluation.core.markup import MAX_TABLE_COLUMNS
from evaluation.core.model import BulletList, Grid, Section, Table, heading, markdown
from evaluation.core.pii import quote
from evaluation.inputs.cells import heading_too_long
from evaluation.inputs.yamlread import read_yaml

if TYPE_CHECKING:
    from evaluation.inputs.params import ReportParams
    from evaluation.build.report import Report

FOLDER = "matriser"
SUFFIXES = (".yaml", ".yml")
KINDS = ("matris", "rangordning", "lista")
COMMON_KEYS = ("titel", "typ", "beskrivning", "not")
KIND_KEYS = {
    "matris": ("kolumner", "rader", "radrubrik"),
    "rangordning": ("poster",),
    "lista": ("grupper",),
}
REQUIRED_KEYS = {"matris": ("kolumner", "rader"), "rangordning": ("poster",), "lista": ("grupper",)}
ROW_NAME_COLUMN = "rad"  # the column of row names in a matris table's frame
#: The most columns a ``matris`` may have, as any table of a text (a wide one gets a landscape page).
MAX_COLUMNS = MAX_TABLE_COLUMNS
#: The level a description's or note's top heading gets: under the block's own heading (level 3).
DESCRIPTION_HEADING = 4


@dataclass(frozen=True)
class Matrix:
    """One validated ``matriser/*.yaml`` file."""

    stem: str
    typ: str
    titel: str
    beskrivning: str = ""
    not_: str = ""
    radrubrik: str = ""
    kolumner: tuple[str, ...] = ()
    rader: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (namn, cells)
    poster: tuple[str, ...] = ()
    grupper: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (group title, items)

    @property
    def table_id(self) -> str:
        return f"matris_{self.stem}"


# -- parsing (pure: the YAML data in, a Matrix or a ValidationError out) --------------------------

class _Problems:
    """Collects the violations of one file."""

    def __init__(self):
        self.items: list[Violation] = []

    def add(self, problem: str, row: int | None = None) -> None:
        # ``row`` (the position in 'rader') is part of the problem text, where it reads better
        # next to the row's name, so the violation itself carries no row.
        self.items.append(Violation(None, None, problem))


def _text(value, where: str, problems: _Problems, row: int | None = None) -> str | None:
    """A scalar as text (numbers and dates are written as text); ``None`` for a bad value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        problems.add(
            f"{where}: YAML läser yes, no, on och off som {str(value).lower()} (inte som text); "
            "sätt texten inom citattecken, t.ex. \"no\".", row
        )
        return None
    if isinstance(value, (str, int, float)):
        return str(value).strip()
    if isinstance(value, dt.date):
        return value.isoformat()
    problems.add(f"{where}: här ska stå en text, men det står {kind_of(value)}. Skriv texten på en rad eller inom citattecken.", row)
    return None


def _markdown(text: str | None, where: str, problems: _Problems, cell: bool = False) -> str | None:
    """``text`` checked as Markdown (:func:`evaluation.core.markup.problems`, no pictures: a matrix's
    pictures are never read; in a cell or list item :func:`~evaluation.core.markup.cell_problems`;
    a variable was refused when the file was read)."""
    if text:
        for problem in (markup.cell_problems(text) if cell else markup.problems(text, images=False)):
            problems.add(f"{where}: {problem.message}.")
    return text


def _text_list(value, key: str, problems: _Problems, *, unique: bool = False,
               items: bool = False) -> tuple[str, ...] | None:
    """A list of texts; with ``items`` they are shown as Markdown list items (:func:`_markdown`)."""
    if not isinstance(value, list) or not value:
        found = "ingenting" if value is None or value == [] else kind_of(value)
        problems.add(f"nyckeln {quote(key)}: här ska stå en lista som inte är tom, t.ex. [A, B, C], men det står {found}.")
        return None
    out, empty = [], []
    for i, item in enumerate(value, start=1):
        text = _text(item, f"nyckeln {quote(key)}, post {i}", problems)
        if items:
            _markdown(text, f"nyckeln {quote(key)}, post {i}", problems, cell=True)
        if text == "":
            empty.append(i)
        elif text is not None:
            out.append(text)
    if empty:  # one problem for all of them: 22 empty headings were 21 problems of '' twice
        which = f"post {empty[0]} är tom" if len(empty) == 1 else f"posterna {cut_list(map(str, empty))} är tomma"
        problems.add(f"nyckeln {quote(key)}: {which}; skriv en text (eller ta bort posten).")
    if unique:
        counts = Counter(out)
        for text, n in counts.items():
            if n > 1:
                problems.add(f"nyckeln {quote(key)}: {quote(text)} står {'två' if n == 2 else n} gånger; "
                             "varje post måste vara unik.")
    return tuple(out) if len(out) == len(value) else None


def _rows(value, columns: tuple[str, ...] | None, problems: _Problems):
    if not isinstance(value, list) or not value:
        found = "ingenting" if value is None or value == [] else kind_of(value)
        problems.add(
            f"nyckeln 'rader': här ska stå en lista med rader, var och en '{{namn: ..., celler: [...]}}', men det står {found}."
        )
        return None
    rows = []
    for i, row in enumerate(value, start=1):
        if not isinstance(row, dict):
            problems.add(f"nyckeln 'rader': rad {i} är {kind_of(row)}; skriv den som {{namn: ..., celler: [...]}}.", i)
            continue
        extra = sorted(set(row) - {"namn", "celler"}, key=str)
        if extra:
            problems.add(f"nyckeln 'rader': rad {i} har okända nycklar: {cut_list(quote(k) for k in extra)}; "
                         "en rad har bara 'namn' och 'celler'.", i)
        if "namn" not in row or row["namn"] is None or str(row["namn"]).strip() == "":
            problems.add(f"nyckeln 'rader': rad {i} saknar 'namn' (eller det är tomt); ange radens namn.", i)
        name = _markdown(_text(row.get("namn"), f"nyckeln 'rader', rad {i}, 'namn'", problems, i),
                         f"nyckeln 'rader', rad {i}, 'namn'", problems, cell=True)
        label = f"rad {i} ({quote(name)})" if name else f"rad {i}"
        cells = row.get("celler")
        if not isinstance(cells, list):
            found = "ingenting" if cells is None else kind_of(cells)
            problems.add(f"nyckeln 'rader': {label} behöver 'celler', en lista med en text per kolumn; det står {found}.", i)
            continue
        texts = [_markdown(_text(c, f"nyckeln 'rader', {label}, cell {j}", problems, i),
                           f"nyckeln 'rader', {label}, cell {j}", problems, cell=True) for j, c in enumerate(cells, start=1)]
        if columns is not None and len(cells) != len(columns):
            problems.add(
                f"nyckeln 'rader': {label} har {len(cells)} celler men 'kolumner' har {len(columns)} "
                f"({cut_list(columns)}). Ange exakt {len(columns)} celler, en per kolumn; "
                "skriv \"\" för en tom cell.", i,
            )
        if name is not None and None not in texts:
            rows.append((name, tuple(texts)))
    return tuple(rows) if len(rows) == len(value) else None


def _groups(value, problems: _Problems):
    if not isinstance(value, dict) or not value:
        found = "ingenting" if value is None or value == {} else kind_of(value)
        problems.add(
            "nyckeln 'grupper': här ska stå grupprubriker med var sin lista av poster, t.ex. "
            f"'Fungerar bra: [..., ...]', men det står {found}."
        )
        return None
    groups = []
    for title, items in value.items():
        name = _text(title, "nyckeln 'grupper', en grupprubrik", problems)
        key = f"grupper.{name}"
        if isinstance(items, list) and not items:
            groups.append((name, ()))  # an empty group is shown as "(inga)"
            continue
        found = _text_list(items, key, problems, items=True)
        if name is not None and found is not None:
            groups.append((name, found))
    return tuple(groups) if len(groups) == len(value) else None


def parse_matrix(data: object, path: Path | str) -> Matrix:
    """Validate the YAML data of one ``matriser/*.yaml`` file (``path`` is used in messages).

    Raises :class:`ValidationError` naming the file and every bad key or row.
    """
    path = Path(path)
    if not isinstance(data, dict):
        raise InputError(
            f"{path}: här ska stå rader 'nyckel: värde' (titel, typ, ...), men filen innehåller {kind_of(data) if data is not None else 'ingenting'}."
        )
    problems = _Problems()
    kind = data.get("typ")
    if "typ" not in data:
        problems.add(f"nyckeln 'typ' saknas. Lägg till 'typ:' med en av {', '.join(KINDS)}.")
    elif kind not in KINDS:
        problems.add(f"nyckeln 'typ': {quote(kind)} är ingen sorts matris; använd en av {', '.join(KINDS)}.")
        kind = None
    allowed = COMMON_KEYS + (KIND_KEYS[kind] if kind in KINDS else tuple(k for ks in KIND_KEYS.values() for k in ks))
    for key in data:
        if key not in allowed:
            problems.add(f"nyckeln {quote(key)}: okänd för typ {quote(kind)}. Tillåtna nycklar: {', '.join(allowed)}."
                         if kind else f"nyckeln {quote(key)}: okänd. Tillåtna nycklar: {', '.join(allowed)}.")
    if "titel" not in data:
        problems.add("nyckeln 'titel' saknas. Ange rubriken som visas ovanför blocket.")
    title = _text(data.get("titel"), "nyckeln 'titel'", problems)
    if "titel" in data and not title:
        problems.add("nyckeln 'titel' är tom. Ange rubriken som visas ovanför blocket.")
    elif title and heading_too_long(title):
        problems.add(f"nyckeln 'titel': {heading_too_long(title)}.")
    description = _markdown(_text(data.get("beskrivning"), "nyckeln 'beskrivning'", problems),
                            "nyckeln 'beskrivning'", problems)
    note = _markdown(_text(data.get("not"), "nyckeln 'not'", problems), "nyckeln 'not'", problems)
    fields: dict = {}
    if kind in KINDS:
        for key in REQUIRED_KEYS[kind]:
            if key not in data:
                problems.add(f"nyckeln {quote(key)} saknas; en {quote(kind)} behöver {' och '.join(REQUIRED_KEYS[kind])}.")
    if kind == "matris":
        columns = _text_list(data.get("kolumner"), "kolumner", problems, unique=True) if "kolumner" in data else None
        if columns and len(columns) > MAX_COLUMNS:
            problems.add(f"nyckeln 'kolumner': matrisen har {len(columns)} kolumner; högst {MAX_COLUMNS} går att läsa "
                         "på en sida (liggande A4). Dela upp den i två matriser, eller vänd den så att kolumnerna "
                         "blir rader (raderna får vara hur många som helst).")
        if columns and ROW_NAME_COLUMN in columns:
            problems.add(f"nyckeln 'kolumner': {quote(ROW_NAME_COLUMN)} är reserverat för radernas namn; byt namn på den kolumnen.")
        rows = _rows(data.get("rader"), columns, problems) if "rader" in data else None
        corner = _text(data.get("radrubrik"), "nyckeln 'radrubrik'", problems)
        fields = {"kolumner": columns or (), "rader": rows or (), "radrubrik": corner or ""}
    elif kind == "rangordning" and "poster" in data:
        fields = {"poster": _text_list(data.get("poster"), "poster", problems, items=True) or ()}
    elif kind == "lista" and "grupper" in data:
        fields = {"grupper": _groups(data.get("grupper"), problems) or ()}
    if problems.items:
        raise ValidationError(path, problems.items)
    return Matrix(stem=path.stem, typ=kind, titel=title, beskrivning=description or "", not_=note or "", **fields)


# -- tables (pure) ---------------------------------------------------------------------------------

def matrix_frame(m: Matrix) -> pd.DataFrame:
    """The machine-readable table of a block.

    ``matris``: ``rad`` then one column per heading in ``kolumner``; ``rangordning``: ``rang``,
    ``post``; ``lista``: ``grupp``, ``post``. Cells keep their Markdown text.
    """
    if m.typ == "matris":
        return pd.DataFrame([[name, *cells] for name, cells in m.rader], columns=[ROW_NAME_COLUMN, *m.kolumner])
    if m.typ == "rangordning":
        return pd.DataFrame({"rang": range(1, len(m.poster) + 1), "post": list(m.poster)})
    rows = [{"grupp": title, "post": item} for title, items in m.grupper for item in items]
    return pd.DataFrame(rows, columns=["grupp", "post"])


def matrix_table(m: Matrix) -> Table:
    """The :class:`Table` of a block (id ``matris_<file stem>``), for ``tabeller/``."""
    if m.typ == "matris":
        columns = {ROW_NAME_COLUMN: (m.radrubrik, "text"), **{c: (c, "text") for c in m.kolumner}}
    elif m.typ == "rangordning":
        columns = {"rang": ("Rang", "count"), "post": ("Post", "text")}
    else:
        columns = {"grupp": ("Grupp", "text"), "post": ("Post", "text")}
    return Table(id=m.table_id, title=m.titel, frame=matrix_frame(m), columns=columns, note=m.not_)


# -- blocks (pure) --------------------------------------------------------------------------------

def matrix_block(m: Matrix) -> list:
    """The block as shown in the report: a text matrix, a ranked list or headed lists."""
    if m.typ == "matris":
        return [Grid(id=m.table_id, title=m.titel, corner=m.radrubrik, columns=tuple(m.kolumner),
                     rows=tuple((name, tuple(cells)) for name, cells in m.rader))]
    if m.typ == "rangordning":
        return [BulletList(tuple(m.poster), ordered=True, markdown=True, table_id=m.table_id)]
    blocks: list = []
    for title, items in m.grupper:
        blocks += [heading(title, 4), BulletList(tuple(items), markdown=True, table_id=m.table_id)]
    return blocks


def matrix_blocks(m: Matrix) -> list:
    """Heading, description, the block itself and its note."""
    blocks = [heading(m.titel, 3)]
    if m.beskrivning:
        blocks.append(markdown(markup.shift_headings(m.beskrivning, DESCRIPTION_HEADING)))
    blocks += matrix_block(m)
    if m.not_:
        blocks.append(markdown(markup.shift_headings(m.not_, DESCRIPTION_HEADING), "note"))
    return blocks


# -- loader, tables and section of a report --------------------------------------------------------

def matrix_files(data_dir: Path) -> list[Path]:
    """``<data>/matriser/*.yaml`` (and ``*.yml``) in file-name order."""
    folder = Path(data_dir) / FOLDER
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file()), key=lambda p: p.name)


def load_matrices(params: "ReportParams", inputs: dict) -> tuple[Matrix, ...] | None:
    """Loader ``matrices``: every matrix file of the insats, validated; ``None`` without any."""
    files = matrix_files(params.data)
    if not files:
        return None
    matrices = tuple(read_each(files, lambda path: parse_matrix(read_yaml(path, markdown=True), path)))
    ids: dict[str, Path] = {}
    for path, m in zip(files, matrices):
        if m.stem in ids:
            raise InputError(
                f"{path}: har samma namn som {ids[m.stem]} ({quote(m.stem)}); tabell-id:t "
                f"{quote(m.table_id)} skulle användas två gånger. Byt namn på en av filerna."
            )
        ids[m.stem] = path
    return matrices


def matrix_tables(report: "Report") -> list[Table]:
    """One table per matrix file, in file-name order (empty without ``matriser/``)."""
    return [matrix_table(m) for m in report.inputs.get("matrices") or ()]


def matriser_section(report: "Report") -> Section | None:
    """Section ``matriser``: every block in file-name order."""
    matrices = report.inputs.get("matrices")
    if not matrices:
        return None
    blocks = [b for m in matrices for b in matrix_blocks(m)]
    return Section("matriser", report.title_of("matriser"), tuple(blocks))
