"""The report's sections as the evaluator's outline (``disposition``) orders them.

Each outline section becomes one :class:`evaluation.core.model.Section` with its number and depth;
its blocks are, in the order written, the evaluator's texts, protected tables (each with the
chart its built-in section draws for it) and every block of a built-in section. Headings
inside are moved one level down per depth, so HTML, Word, PDF and the notebook show the same
outline. Every unknown id (text, table, built-in section) is listed in one error with near
matches; tables the outline leaves out are named in a notice.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from evaluation.core import markup, vocab
from evaluation.core.errors import EvaluationError, Notice, ParamsError, did_you_mean
from evaluation.core.model import Chart, Heading, Markdown, Section, Table
from evaluation.core.pii import quote, shown
from evaluation.inputs import notices
from evaluation.inputs.disposition import Entry, entries
from evaluation.sections import texts

if TYPE_CHECKING:
    from evaluation.build.report import Report


def outline_entries(params) -> list[Entry]:
    """The numbered outline of ``params`` (empty without ``disposition``)."""
    return entries(params.disposition) if params.disposition is not None else []


def builtin_ids(params) -> list[str]:
    """The built-in sections the outline shows (``avsnitt:`` items), in order."""
    return list(dict.fromkeys(i.avsnitt for e in outline_entries(params) for i in e.items if i.kind == "avsnitt"))


def _near(word: str, choices) -> str:
    return did_you_mean(word, choices, 0.5, sentence=True)


def problems(report: "Report") -> list[str]:
    """Every item of the outline that names something the report does not have."""
    folder = Path(report.params.data) / texts.FOLDER
    have_texts = texts.text_names(folder)
    out = []
    for entry in outline_entries(report.params):
        for i, item in enumerate(entry.items):
            key = f"{entry.path}.innehall[{i}].{item.kind}"
            if item.kind == "text" and texts.find_text(folder, item.text) is None:
                files = " eller ".join(f"{shown(item.text)}{suffix}" for suffix in texts.TEXT_SUFFIXES)
                out.append(f"nyckeln '{key}': texten {quote(item.text)} finns inte: ingen fil {files} i {folder}."
                           f"{_near(item.text, have_texts)}")
            elif item.kind == "tabell" and item.tabell not in report.table_map:
                out.append(f"nyckeln '{key}': rapporten har ingen tabell {quote(item.tabell)}.{_near(item.tabell, report.table_map)}"
                           f" Rapportens tabeller: {', '.join(report.table_map)}.")
            elif item.kind == "avsnitt" and item.avsnitt not in vocab.SECTIONS:
                out.append(f"nyckeln '{key}': {quote(item.avsnitt)} är inget avsnitt.{_near(item.avsnitt, vocab.SECTIONS)}"
                           f" Avsnitten: {', '.join(vocab.SECTIONS)}.")
    return out


def check(report: "Report") -> None:
    """Raise one :class:`ParamsError` listing every unknown id of the outline."""
    found = problems(report)
    if found:
        raise ParamsError("\n".join([f"{report.params.disposition_source}: dispositionen nämner sådant som rapporten "
                                     "inte har.", *(f"  - {p}" for p in found),
                                     "Rätta dispositionen och kör igen (se docs/indatakontrakt.md §8)."]))


def _charts(report: "Report", builtin: dict[str, Section | None]) -> dict[str, Chart]:
    """The chart each built-in section draws right after a table, by table id."""
    from evaluation.sections import registry as sections

    out: dict[str, Chart] = {}
    for section_id, build in sections.BUILDERS.items():
        if getattr(build, "prose_only", False):
            continue
        section = builtin.get(section_id)
        if section is None and section_id not in builtin:
            with notices.collecting():  # only its charts are used: its notices belong to a section not shown
                try:
                    section = build(report)
                except EvaluationError:
                    section = None
        if section is None:
            continue
        for before, block in zip(section.blocks, section.blocks[1:]):
            if isinstance(before, Table) and isinstance(block, Chart):
                out.setdefault(before.id, block)
    return out


def _deeper(block, depth: int):
    """``block`` with its headings moved ``depth`` levels down (at most level 6)."""
    if not depth:
        return block
    if isinstance(block, Heading):
        return dataclasses.replace(block, level=min(6, block.level + depth))
    if isinstance(block, Markdown):
        return dataclasses.replace(block, text=markup.shift_headings(block.text, markup.TOP_HEADING + depth))
    return block


def build(report: "Report", builtin: dict[str, Section | None]) -> dict[str, Section]:
    """The outline's sections by id, in order (``builtin``: the built-in sections it names)."""
    check(report)
    charts: dict[str, Chart] | None = None
    placed: set[str] = set()
    out: dict[str, Section] = {}
    for entry in outline_entries(report.params):
        blocks: list = []
        for item in entry.items:
            if item.kind == "text":
                block = report.prose.blocks.get(item.text)
                if block is not None:
                    blocks.append(block)
            elif item.kind == "tabell":
                if charts is None:
                    charts = _charts(report, builtin)
                blocks.append(report.table_map[item.tabell])
                placed.add(item.tabell)
                if item.tabell in charts:
                    blocks.append(charts[item.tabell])
            else:
                section = builtin.get(item.avsnitt)
                if section is None:
                    notices.note(Notice(report.params.disposition_source, None, (
                        f"avsnittet '{item.avsnitt}' ({shown(entry.heading)}) har inget underlag i rapporten och visas inte.")))
                    continue
                blocks += section.blocks
                placed.update(b.id for b in section.blocks if isinstance(b, Table))
        out[entry.id] = Section(entry.id, entry.title, tuple(_deeper(b, entry.depth) for b in blocks),
                                number=entry.number, depth=entry.depth)
    left_out = [t for t in report.table_map if t not in placed]
    if left_out:
        notices.note(Notice(report.params.disposition_source, None, (
            f"tabellerna {', '.join(left_out)} beräknades men visas inte i rapporten: dispositionen placerar dem inte "
            "(och skrivs inte till tabeller/). Lägg till 'tabell: <id>' eller 'avsnitt: <id>' för att visa dem.")))
    return out
