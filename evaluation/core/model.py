"""The report model: a report is sections of typed blocks, and blocks are data, never HTML.

Every output (HTML page, Word, PDF, Excel, CSV, the notebook's own display) is made by a
renderer in :mod:`evaluation.renderers` from these objects, so all formats show the same
numbers. Blocks are frozen; a change gives a new block.

>>> t = Table(id="t", title="Kön", frame=pd.DataFrame({"kon": ["Kvinna"], "antal": [1234]}),
...           columns={"kon": ("Kön", "text"), "antal": ("Antal", "count")})
>>> t.cells()
[['Kvinna', '1\\xa0234']]
>>> Heading("Resultat", 3).text
'Resultat'
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Literal

import pandas as pd

from evaluation.core import fmt
from evaluation.core.vocab import DASH, MARK

Kind = Literal["text", "count", "share", "change", "change_share", "number"]
#: Kinds shown right-aligned (numbers).
NUMERIC_KINDS = ("count", "share", "change", "change_share", "number")


class Block:
    """Base of every block: Jupyter shows a block as the report shows it."""

    def _repr_html_(self) -> str:
        from evaluation.renderers import html

        return html.block(self)

    def to_html(self) -> str:
        """The block as report HTML (the same markup as in ``rapport.html``)."""
        return self._repr_html_()

    def _ipython_display_(self) -> None:
        """In a notebook: HTML, and each chart as its own PNG output (:mod:`evaluation.renderers.lab`)."""
        from evaluation.renderers import lab

        lab.show(self)


@dataclass(frozen=True)
class Heading(Block):
    """A sub-heading inside a section (level 3 or 4); ``marks`` are footnote numbers."""

    text: str
    level: int = 3
    anchor: str = ""
    marks: tuple[int, ...] = ()
    marks_to: str = "kalla"  # anchor prefix of the sources the marks point to


@dataclass(frozen=True)
class Paragraph(Block):
    """Plain text; ``style`` is ``""``, ``"note"`` (small print) or ``"caution"``."""

    text: str
    style: str = ""


@dataclass(frozen=True)
class Markdown(Block):
    """Text written in Markdown (CommonMark and tables); raw HTML in it is shown as text.

    ``images`` maps an image path written in the text to its bytes (read from the data
    folder), so every renderer can embed it.
    """

    text: str
    style: str = "prose"
    images: tuple[tuple[str, bytes], ...] = ()


@dataclass(frozen=True)
class BulletList(Block):
    """A list; items are plain text, or Markdown when ``markdown`` is set."""

    items: tuple[str, ...]
    ordered: bool = False
    markdown: bool = False
    table_id: str = ""  # the table it shows as a list (a ranked or grouped matrix), for tabeller.xlsx


@dataclass(frozen=True)
class Quote(Block):
    """A verbatim quote and who said it (role and gender only)."""

    text: str
    attribution: str


@dataclass(frozen=True)
class Facts(Block):
    """Label–value pairs, like a form's fields or a list of key figures (empty values left out)."""

    rows: tuple[tuple[str, str], ...]
    caption: str = "Uppgifter"  # read by screen readers (not shown on the page)

    @property
    def shown(self) -> tuple[tuple[str, str], ...]:
        return tuple((k, v) for k, v in self.rows if v)


@dataclass(frozen=True)
class Source:
    number: int
    title: str
    url: str


@dataclass(frozen=True)
class Sources(Block):
    """A numbered list of sources that footnote marks (``Heading.marks``) point to."""

    items: tuple[Source, ...]
    title: str = "Källor"
    anchor: str = "kalla"  # each item's anchor is "<anchor>-<number>"


@dataclass(frozen=True)
class Signature(Block):
    """Lines to sign for one party."""

    party: str
    insats: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Chart(Block):
    """A chart: the data it shows, an alt text stating the figures, and how to draw it.

    ``make()`` returns two PNGs (see :func:`evaluation.compute.charts.draw`): ``png`` for print
    at 200 dpi, and ``screen_png``, the one a notebook shows. It runs the first time either is
    asked for, by a renderer or by Jupyter's display, and only then: checking a report
    (``evaluation validate``) draws no picture. A pickled chart carries its PNGs.
    """

    id: str
    title: str
    alt: str
    make: object = field(repr=False, compare=False)  # () -> (print PNG bytes, screen PNG bytes)
    data: pd.DataFrame = field(default_factory=pd.DataFrame, compare=False)
    width_cm: float = 16.0

    @cached_property
    def drawn(self) -> tuple[bytes, bytes]:
        return self.make()

    @property
    def png(self) -> bytes:
        return self.drawn[0]

    @property
    def screen_png(self) -> bytes:
        return self.drawn[1]

    @property
    def frame(self) -> pd.DataFrame:
        return self.data

    def __getstate__(self) -> dict:
        self.drawn  # noqa: B018 - drawn before it travels (pickle restores the dict as it is)
        return {**self.__dict__, "make": None}


@dataclass(frozen=True)
class Grid(Block):
    """A text matrix (rows × columns of Markdown cells, each row with its own header)."""

    id: str
    title: str
    corner: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Table(Block):
    """A report table: the machine-readable frame (contract §6) and how to show it.

    ``frame`` keeps the contract's column ids, shares as fractions 0–1 and unrounded values;
    it is what ``tabeller/<id>.csv`` holds. After disclosure control (``min_cell``) a hidden
    cell holds the mark :data:`evaluation.compute.disclosure.MARK` in every output. ``columns`` maps a column id to its Swedish
    heading and kind; columns not listed are not shown. ``shown`` optionally holds cells
    already formatted for display, when ``frame`` mixes kinds.
    """

    id: str
    title: str
    frame: pd.DataFrame = field(compare=False)
    columns: dict[str, tuple[str, Kind]] = field(compare=False)
    base: str = ""  # e.g. "Andel av 44 avslutade"
    note: str = ""
    total_row: bool = False  # last row is a total and is shown in bold
    shown: pd.DataFrame | None = field(default=None, compare=False)
    share_decimals: int = 1  # 0 when a share is of fewer than 10 (see :func:`evaluation.core.fmt.share_decimals`)

    def cell(self, value, kind: Kind) -> str:
        """One value as the reader sees it (Swedish formatting; a hidden cell keeps its mark, a
        value that does not apply its dash)."""
        if isinstance(value, str) and value in (MARK, DASH):
            return value
        if kind == "count":
            return fmt.number(value)
        if kind == "share":
            return fmt.percent(value, self.share_decimals)
        if kind == "change":
            return fmt.signed_number(value)
        if kind == "change_share":
            return fmt.signed_percent(value)
        if kind == "number":
            return fmt.decimal(value)
        return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)

    @property
    def all_hidden(self) -> bool:
        """Whether disclosure control left none of the table's counts to show: each is hidden
        (:data:`MARK`) or 0. Such a table tells a reader nothing, and invites guessing.

        >>> t = Table("t", "T", pd.DataFrame({"k": ["a", "b"], "antal": [MARK, 0]}), {"k": ("K", "text"), "antal": ("Antal", "count")})
        >>> t.all_hidden, replace(t, frame=pd.DataFrame({"k": ["a"], "antal": [4]})).all_hidden
        (True, False)
        """
        counts = [c for c, (_, kind) in self.columns.items() if kind == "count" and c in self.frame]
        values = [v for c in counts for v in self.frame[c].tolist()]
        hidden = [isinstance(v, str) and v == MARK for v in values]
        return any(hidden) and all(h or v == 0 for h, v in zip(hidden, values))

    def copy(self) -> "Table":
        """This table with its own copy of ``frame`` (and ``shown``): what the analyst is handed, so
        that pandas edits in a notebook never change the report, its charts or a later comparison."""
        return replace(self, frame=self.frame.copy(), shown=None if self.shown is None else self.shown.copy())

    def numeric(self) -> pd.DataFrame:
        """The frame with hidden cells as missing numbers (for charts and arithmetic)."""
        out = self.frame.copy()
        for column in out.columns:
            if out[column].dtype == object and out[column].isin([MARK]).any():
                out[column] = pd.to_numeric(out[column].where(out[column] != MARK), errors="coerce")
        return out

    @property
    def headers(self) -> list[tuple[str, Kind]]:
        return list(self.columns.values())

    def cells(self) -> list[list[str]]:
        """Every shown cell as display text, row by row (the same lists every time: not to be changed).

        Formatted once a table: the notebook's output, the page, Word, Excel and the PDF show the
        same cells, and a table handed over from the kernel (:func:`evaluation.build.report.hand_over`)
        carries those its notebook showed, so a batch's worker formats none: a bench report's page
        27 → 18 CPU-ms, Word 119 → 100, Excel 54 → 38 (the PDF's page too).
        """
        return self._cells

    @cached_property
    def _cells(self) -> list[list[str]]:
        display = self.frame if self.shown is None else self.shown
        shown = [[self.cell(value, kind) for value in display[col].tolist()] for col, (_, kind) in self.columns.items()]
        return [list(row) for row in zip(*shown)] if shown else [[] for _ in range(len(display))]


@dataclass(frozen=True)
class Section(Block):
    """One section of a report: its id, heading and blocks, in order.

    ``number`` (``"2.3"``) and ``depth`` (0 = a top section, 1 = its sub-section, ...) come
    from the evaluator's outline (:mod:`evaluation.inputs.disposition`); every format shows
    :attr:`heading` at the depth's level.

    >>> Section("a", "Ålder", number="2.3", depth=1).heading
    '2.3 Ålder'
    """

    id: str
    title: str
    blocks: tuple = ()
    number: str = ""
    depth: int = 0

    @property
    def heading(self) -> str:
        """The heading as shown: ``1. Sammanfattning``, ``2.3 Ålder``, or the title alone."""
        return fmt.heading_text(self.number, self.title)

    @property
    def tables(self) -> dict[str, Table]:
        """The section's tables by id, each a copy (:meth:`Table.copy`): editing one leaves the section as it is."""
        return {b.id: b.copy() for b in self.blocks if isinstance(b, Table)}

    def table(self, table_id: str) -> Table:
        return self.tables[table_id]

    def __repr__(self) -> str:
        """Short: what the section holds (its blocks show themselves; Jupyter shows the HTML)."""
        kinds = ", ".join(f"{type(b).__name__} {getattr(b, 'id', '')}".strip() for b in self.blocks)
        return f"Section({self.id!r}, {self.title!r}: {kinds})"


@dataclass(frozen=True)
class TitleBlock(Block):
    """The report's title page: kind of report, name and facts (period, förbund, ...)."""

    kicker: str
    title: str
    facts: Facts


@dataclass(frozen=True)
class Contents(Block):
    """The table of contents: section ids and headings, with each entry's depth (0 = top)."""

    entries: tuple[tuple[str, str], ...]
    depths: tuple[int, ...] = ()
    numbered: bool = False  # the headings carry their own numbers (no automatic ones)


@dataclass(frozen=True)
class Document:
    """A whole report as every renderer gets it."""

    title: str  # "<namn> – <rapporttyp> <period>"
    title_block: TitleBlock
    sections: tuple[Section, ...]
    tables: tuple[Table, ...]
    header: str  # running header for print: insats and period
    created: dt.date | None = None  # the day the report was made (title page, file metadata)
    lang: str = "sv"
    #: The files' properties besides the title (Word, Excel, PDF): the report type and period, and
    #: the evaluator (an organisation, never a person's data: the parameters are checked for it).
    subject: str = ""
    author: str = ""
    #: Warnings found while loading and building (:class:`evaluation.core.errors.Notice`); they go
    #: with the document from the kernel to the CLI, the index and ``--strikt``.
    notices: tuple = ()

    @property
    def language(self) -> str:
        """The language as Word and Excel name it in their properties (``sv-SE``)."""
        return {"sv": "sv-SE"}.get(self.lang, self.lang)

    @property
    def shown_tables(self) -> tuple[Table, ...]:
        """The tables the report shows (as tables, text matrices or lists of a matrix), in its
        order: what ``tabeller/`` and ``tabeller.xlsx`` hold. A table computed but not shown (a
        slutrapport's result by exit reason) is left out: it tells a reader nothing, and beside
        the yearly reports it would give small counts back by subtraction."""
        by_id = {t.id: t for t in self.tables}
        shown: list[Table] = []
        for section in self.sections:
            for b in section.blocks:
                table = (b if isinstance(b, Table) else by_id.get(b.id) if isinstance(b, Grid)
                         else by_id.get(b.table_id) if isinstance(b, BulletList) else None)
                if table is not None and table not in shown:
                    shown.append(table)
        return tuple(shown)

    @property
    def contents(self) -> Contents:
        return Contents(tuple((s.id, s.heading) for s in self.sections), tuple(s.depth for s in self.sections),
                        any(s.number for s in self.sections))


# -- small constructors used by the section builders ---------------------------------------
def heading(text: str, level: int = 3, anchor: str = "") -> Heading:
    return Heading(text, level, anchor)


def paragraph(text: str, style: str = "") -> Paragraph:
    return Paragraph(text, style)


def said_if_all_hidden(block: Block) -> Block:
    """A table with no count left to show (:attr:`Table.all_hidden`) as a sentence saying so; any
    other block as it is."""
    if not (isinstance(block, Table) and block.all_hidden):
        return block
    return Paragraph(f"{block.title}: tabellen visas inte, eftersom alla dess antal döljs för att skydda enskilda "
                     "personer (de är för få, eller skulle gå att räkna fram).")


def caution(text: str) -> Paragraph:
    return Paragraph(text, "caution")


def bullet_list(items) -> BulletList:
    return BulletList(tuple(str(i) for i in items))


def markdown(text: str, style: str = "prose") -> Markdown:
    return Markdown(text, style)
