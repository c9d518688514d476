"""A report: its parameters, its loaded inputs, its tables and its sections.

>>> from evaluation.cli import DEMO_PARAMS
>>> report = open_report(DEMO_PARAMS / "steget" / "2024-05-01--2025-04-30.yaml")
>>> resultat = report.table_map["resultat"].frame.set_index("kategori")
>>> resultat.loc["Arbete eller studier", ["antal", "bas"]].tolist()
[18, 49]
"""
from __future__ import annotations

import datetime as dt
from functools import cached_property
from html import escape
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from . import fmt, sections
from .layout import Fragment, Section, Table, join
from .params import ReportParams, load_params
from .tables import Window


class Report:
    """Everything one report shows, computed from validated inputs. Never writes inputs."""

    def __init__(self, params: ReportParams, today: dt.date | None = None):
        self.params = params
        self.window = Window(params.period.start, params.period.slut)
        self.today = today or dt.date.today()
        inputs: dict = {}
        for name, load in sections.LOADERS.items():
            inputs[name] = load(params, inputs)
        self.inputs = MappingProxyType(inputs)

    # -- tables ---------------------------------------------------------------------------
    @cached_property
    def tables(self) -> tuple[Table, ...]:
        """Every table of the report, in reading order.

        Table functions run in the order of ``sections.TABLES``; a later one may read the
        tables made before it through :attr:`table_map`.
        """
        self._made: list[Table] = []
        for build in sections.TABLES:
            self._made.extend(build(self))
        return tuple(self._made)

    @property
    def table_map(self) -> MappingProxyType:
        """The tables by id (while tables are being made: those made so far)."""
        made = self.__dict__.get("tables")
        if made is None:
            made = self._made if hasattr(self, "_made") else self.tables
        return MappingProxyType({t.id: t for t in made})

    def table(self, table_id: str) -> Table:
        """One table by its id (see :attr:`table_map` for the ids)."""
        try:
            return self.table_map[table_id]
        except KeyError:
            raise KeyError(f"no table '{table_id}' in this report; it has: {', '.join(self.table_map)}") from None

    # -- sections -------------------------------------------------------------------------
    def title_of(self, section_id: str) -> str:
        return sections.TITLES[section_id]

    @property
    def section_ids(self) -> list[str]:
        return list(self.params.sektioner or sections.DEFAULT_SECTIONS[self.params.rapporttyp])

    @cached_property
    def sections(self) -> tuple[Section, ...]:
        """The sections that have input, in the order the parameters (or report type) give."""
        built = []
        for section_id in self.section_ids:
            build = sections.BUILDERS.get(section_id)
            section = build(self) if build else None
            prose = sections.prose(self, section_id)
            if prose is not None:
                if section is None:
                    section = Section(section_id, self.title_of(section_id), (prose,))
                elif section.blocks[:1] != (prose,):
                    section = Section(section.id, section.title, (prose, *section.blocks))
            if section is not None:
                built.append(section)
        return tuple(built)

    # -- what the notebook shows ----------------------------------------------------------
    def title_block(self) -> Fragment:
        p = self.params
        facts = [
            ("Rapporttyp", sections.REPORT_TYPES[p.rapporttyp]),
            ("Period", f"{fmt.iso(p.period.start)} – {fmt.iso(p.period.slut)}"),
            ("Samordningsförbund", p.forbund),
            ("Insatsägare", p.insatsagare),
            ("Samverkansparter", ", ".join(p.samverkansparter)),
            ("Diarienummer", p.diarienummer),
            ("Utvärderare", p.utvarderare),
            ("Rapporten skapad", fmt.date(self.today)),
        ]
        rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in facts if v)
        return Fragment(
            f'<header class="title-block"><p class="kicker">{escape(sections.REPORT_TYPES[p.rapporttyp])}</p>'
            f"<h1>{escape(p.namn)}</h1><table class=\"facts\">{rows}</table></header>"
        )

    def contents(self) -> Fragment:
        items = "".join(
            f'<li><a href="#{escape(s.id)}">{escape(s.title)}</a></li>' for s in self.sections
        )
        return Fragment(f'<nav class="toc"><h2>Innehåll</h2><ol>{items}</ol></nav>')

    def body(self) -> Fragment:
        return join(Fragment(s.to_html()) for s in self.sections)

    # -- machine-readable tables ----------------------------------------------------------
    def save_tables(self, folder: Path | str | None) -> None:
        """Write ``tabeller/<id>.csv`` and ``tabeller.xlsx`` beside it (``None``: do nothing)."""
        if folder is None:
            return
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for t in self.tables:
            t.frame.to_csv(folder / f"{t.id}.csv", index=False, encoding="utf-8")
        with pd.ExcelWriter(folder.parent / "tabeller.xlsx", engine="openpyxl") as xlsx:
            for t in self.tables:
                t.frame.to_excel(xlsx, sheet_name=t.id[:31], index=False)


def open_report(params_path: Path | str, today: dt.date | None = None) -> Report:
    """Validate the parameters, load every input and return the report."""
    return Report(load_params(params_path), today=today)
