"""Sub-insatser: the key register tables once per ``delinsats`` (data contract §2).

When the register has a ``delinsats`` column, every sub-insats with someone enrolled in the
period gets its own participants-by-gender table (``deltagare_kon_<slug>``) and outcome table
(``resultat_<slug>``). They are the register tables of :mod:`evaluation.sections.participants` computed
on the register filtered to that sub-insats, so the arithmetic and the wording are the same as
for the whole insats.

>>> slug("Hälsospåret")
'halsosparet'
>>> slug("Steg 2 – arbete")
'steg_2_arbete'
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pandas as pd

from evaluation.compute import tables
from evaluation.core.model import Section, Table, heading
from evaluation.core.vocab import slug, slugs  # noqa: F401 - slug: re-exported for the doctest
from evaluation.sections import participants

if TYPE_CHECKING:
    from evaluation.build.report import Report





def subinsats_names(reg: pd.DataFrame | None) -> list[str]:
    """The sub-insatser named in the register, sorted (empty when there is no ``delinsats``)."""
    if reg is None or "delinsats" not in reg.columns:
        return []
    names = {str(name).strip() for name in reg["delinsats"].dropna().unique()}
    return sorted(names - {""})


def subinsats_register(reg: pd.DataFrame, name: str) -> pd.DataFrame:
    """The enrolments of one sub-insats."""
    values = reg["delinsats"]
    return reg[values.isin([v for v in values.dropna().unique() if str(v).strip() == name])]



def subinsats_tables(report: "Report") -> list[Table]:
    """Per sub-insats with enrolments in the period: ``deltagare_kon_<slug>``, ``resultat_<slug>``."""
    reg, merged = participants.table_register(report)
    names = subinsats_names(reg)
    out: list[Table] = []
    from_the_start = bool(names) and participants.from_the_start(reg, report.window)  # the whole insats's, for each
    for name, part in slugs(names).items():
        sub = subinsats_register(reg, name)
        if not tables.in_period(sub, report.window).any():
            continue
        people = participants.gender_table(sub, report.window, from_the_start)
        outcome = participants.result_table(sub, report.params, report.window, merged)
        out.append(replace(people, id=f"deltagare_kon_{part}", title=f"Deltagare per kön – {name}"))
        out.append(replace(outcome, id=f"resultat_{part}", title=f"Resultat vid avslut – {name}"))
    return out


def pairs_from(reg: pd.DataFrame | None, table_map) -> list[tuple[str, Table, Table]]:
    """``(name, deltagare_kon table, resultat table)`` per sub-insats with tables in ``table_map``."""
    return [(name, table_map[f"deltagare_kon_{part}"], table_map[f"resultat_{part}"])
            for name, part in slugs(subinsats_names(reg)).items() if f"deltagare_kon_{part}" in table_map]


def subgroup_figures(params, reg: pd.DataFrame | None, table_map) -> dict[str, dict | None]:
    """Each sub-insats's key figures from its PROTECTED tables, by name (``None``: no enrolment in the
    period), as :func:`evaluation.compute.figures.compute` reads the whole insats's."""
    from evaluation.compute import figures

    out: dict[str, dict | None] = {name: None for name in subinsats_names(reg)}
    for name, people, outcome in pairs_from(reg, table_map):
        out[name] = figures.compute(params, {"deltagare_kon": people, "resultat": outcome})
    return out


def subinsats_pairs(report: "Report") -> list[tuple[str, Table, Table]]:
    """``(name, deltagare_kon table, resultat table)`` per sub-insats shown in the report."""
    t = report.table_map
    pairs = []
    for name, part in slugs(report.subinsatser).items():
        if f"deltagare_kon_{part}" in t:
            pairs.append((name, t[f"deltagare_kon_{part}"], t[f"resultat_{part}"]))
    return pairs


#: Sections that show the table ``delinsatser`` with the participants (the annual report's results,
#: the final report's participants).
SHOWN_WITH_PARTICIPANTS = {"resultat", "deltagare"}


def delinsatser_section(report: "Report") -> Section | None:
    """Section ``delinsatser``: participants and outcome of each sub-insats."""
    pairs = subinsats_pairs(report)
    if not pairs:
        return None
    blocks: list = []
    # the participants per sub-insats, unless a section this report shows has them already (one
    # table twice gave the page one id twice, and Word two numbers for it)
    if "delinsatser" in report.table_map and not set(report.section_ids) & SHOWN_WITH_PARTICIPANTS:
        blocks.append(report.table_map["delinsatser"])
    for name, people, outcome in pairs:
        blocks += [heading(name, 3), people, outcome]
    return Section("delinsatser", report.title_of("delinsatser"), tuple(blocks))
