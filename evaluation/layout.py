"""HTML building blocks of a report: fragments, tables with Swedish formatting, Markdown.

Everything returns an immutable :class:`Fragment` that Jupyter displays as HTML.

>>> Fragment("<p>Hej</p>")._repr_html_()
'<p>Hej</p>'
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Literal

import pandas as pd
from markdown_it import MarkdownIt

from . import fmt

Kind = Literal["text", "count", "share", "change", "change_share", "number"]

# Raw HTML in Markdown is not rendered (it is shown as text), so a <script> never reaches a page.
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


@dataclass(frozen=True)
class Fragment:
    """A piece of report HTML."""

    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __add__(self, other: "Fragment") -> "Fragment":
        return Fragment(self.html + other.html)


def join(parts) -> Fragment:
    """One fragment of several (``None`` parts are skipped)."""
    return Fragment("\n".join(p.html for p in parts if p is not None))


def markdown(text: str) -> Fragment:
    """Markdown (CommonMark + tables) to HTML; raw HTML is escaped, never passed through."""
    return Fragment(_MARKDOWN.render(text))


def paragraph(text: str, css: str = "") -> Fragment:
    cls = f' class="{css}"' if css else ""
    return Fragment(f"<p{cls}>{escape(text)}</p>")


def heading(text: str, level: int = 3, anchor: str | None = None) -> Fragment:
    ident = f' id="{escape(anchor)}"' if anchor else ""
    return Fragment(f"<h{level}{ident}>{escape(text)}</h{level}>")


def caution(text: str) -> Fragment:
    return Fragment(f'<p class="caution">{escape(text)}</p>')


def bullet_list(items) -> Fragment:
    return Fragment("<ul>" + "".join(f"<li>{escape(str(i))}</li>" for i in items) + "</ul>")


@dataclass(frozen=True)
class Table:
    """A report table: the machine-readable frame (contract §6) and how to show it.

    ``frame`` keeps the contract's column ids, shares as fractions 0–1 and unrounded values;
    it is what ``tabeller/<id>.csv`` holds. ``columns`` maps a column id to its Swedish
    heading and kind; columns not listed are not shown.
    """

    id: str
    title: str
    frame: pd.DataFrame
    columns: dict[str, tuple[str, Kind]]
    base: str = ""  # e.g. "Andel av 44 avslutade"
    note: str = ""
    total_row: bool = False  # last row is a total and is shown in bold
    min_cell: int = 0
    shown: pd.DataFrame | None = None  # cells already formatted for display, when ``frame`` mixes kinds

    def cell(self, value, kind: Kind) -> str:
        if kind == "count":
            return fmt.small_count(value, self.min_cell)
        if kind == "share":
            return fmt.percent(value)
        if kind == "change":
            return fmt.signed_number(value)
        if kind == "change_share":
            return fmt.signed_percent(value)
        if kind == "number":
            return fmt.decimal(value)
        return "" if value is None or (isinstance(value, float) and pd.isna(value)) else escape(str(value))

    def to_html(self) -> str:
        head = "".join(
            f'<th class="{kind}">{escape(label)}</th>' for label, kind in self.columns.values()
        )
        rows = []
        display = self.frame if self.shown is None else self.shown
        last = len(display) - 1
        for i, (_, record) in enumerate(display.iterrows()):
            css = ' class="total"' if self.total_row and i == last else ""
            cells = "".join(
                f'<td class="{kind}">{self.cell(record[col], kind)}</td>'
                for col, (_, kind) in self.columns.items()
            )
            rows.append(f"<tr{css}>{cells}</tr>")
        caption = f"<caption>{escape(self.title)}</caption>"
        base = f'<p class="base">{escape(self.base)}</p>' if self.base else ""
        note = f'<p class="note">{escape(self.note)}</p>' if self.note else ""
        return (
            f'<figure class="table" id="tabell-{escape(self.id)}"><table>{caption}'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f"{base}{note}</figure>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def fragment(self) -> Fragment:
        return Fragment(self.to_html())


@dataclass(frozen=True)
class Section:
    """One numbered section of a report: a heading and its blocks, in order."""

    id: str
    title: str
    blocks: tuple = field(default_factory=tuple)  # Fragments, Tables or charts

    def to_html(self) -> str:
        inner = "\n".join(b._repr_html_() for b in self.blocks if b is not None)
        return f'<section id="{escape(self.id)}"><h2>{escape(self.title)}</h2>\n{inner}\n</section>'

    def _repr_html_(self) -> str:
        return self.to_html()
