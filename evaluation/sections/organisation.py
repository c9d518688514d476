"""Organisation (data contract §5): ``<data>/organisation.yaml``, its tables and its section.

::

    insatsagare: Exempelbygds kommun
    styrgrupp: [Förbundschef, Enhetschef arbetsmarknad, Sektionschef Arbetsförmedlingen]
    samverkansparter: [Arbetsförmedlingen, Försäkringskassan, Region Exempel]
    personal:                     # one entry per person or role
      - {roll: Processledare, procent: 100, finansiering: Finansierad av förbundet}
      - {roll: Arbetskonsulent, procent: 50, finansiering: Medfinansierad, organisation: Exempelbygds kommun}
    avvikelser:
      - {datum: 2024-05-16, beskrivning: Ungdomscoach utökad från 20 % till 40 %.}

Every key is optional; ``insatsagare`` and ``samverkansparter`` fall back to the report's
parameters. ``procent`` is the share of a full-time post, 0–100 (``50``, ``"50 %"``);
``finansiering`` is free text and the totals group on it as written; ``organisation`` (the
employer) is optional. Styrgrupp members are written as roles or functions, not names.

The section lists owner, steering group and partners, the staffing (table ``bemanning``:
``roll``, ``procent``, ``finansiering`` [, ``organisation``]), the totals per financing (table
``bemanning_summa``: ``finansiering``, ``procent``, ``heltider`` = procent / 100, last row
``Totalt``) and the deviations dated in the report's period, by date (table ``avvikelser``:
``datum``, ``beskrivning``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from evaluation.core import fmt
from evaluation.core.errors import Notice
from evaluation.core.model import Section, Table, bullet_list, heading, paragraph
from evaluation.core.pii import quote
from evaluation.inputs import notices
from evaluation.inputs.checks import KeyChecker, yaml_key_lines
from evaluation.inputs.yamlread import read_yaml

if TYPE_CHECKING:
    from evaluation.inputs.params import ReportParams
    from evaluation.build.report import Report

FILE_NAME = "organisation.yaml"
KEYS = ("insatsagare", "styrgrupp", "samverkansparter", "personal", "avvikelser")
STAFF_KEYS = ("roll", "procent", "finansiering", "organisation")
DEVIATION_KEYS = ("datum", "beskrivning")
TOTAL = "Totalt"


@dataclass(frozen=True)
class Staff:
    roll: str
    procent: float
    finansiering: str
    organisation: str = ""


@dataclass(frozen=True)
class Deviation:
    datum: dt.date
    beskrivning: str


@dataclass(frozen=True)
class Organisation:
    """A validated ``organisation.yaml``; absent keys are empty."""

    insatsagare: str
    styrgrupp: tuple[str, ...]
    samverkansparter: tuple[str, ...]
    personal: tuple[Staff, ...]
    avvikelser: tuple[Deviation, ...]


def _entries(check: KeyChecker, data: dict, key: str, allowed: tuple[str, ...], required: tuple[str, ...]):
    """The entries of list ``key`` as (keys, mapping) pairs; a non-list is a problem."""
    value = data.get(key)
    if value in (None, []):
        return []
    if not isinstance(value, list):
        check.add((key,), f"här ska stå en lista med poster ('- {allowed[0]}: ...'), men det står {quote(value)}")
        return []
    return [((key, i), check.mapping(item, (key, i), allowed, required)) for i, item in enumerate(value)]


def parse_organisation(data, check: KeyChecker) -> Organisation:
    """Validate the loaded YAML; problems go to ``check`` (raise with ``check.raise_if_any()``)."""
    if data is None:
        data = {}
    top = check.mapping(data, (), KEYS)
    staff = []
    for keys, entry in _entries(check, top, "personal", STAFF_KEYS, ("roll", "procent", "finansiering")):
        roll = check.text(entry, keys + ("roll",), required=False)
        share = check.number(entry, keys + ("procent",), 0, 100, required=False)
        money = check.text(entry, keys + ("finansiering",), required=False)
        org = check.text(entry, keys + ("organisation",), required=False) or ""
        if roll is not None and share is not None and money is not None:
            staff.append(Staff(roll, share, money, org))
    deviations = []
    for keys, entry in _entries(check, top, "avvikelser", DEVIATION_KEYS, DEVIATION_KEYS):
        day = check.date(entry, keys + ("datum",), required=False)
        text = check.text(entry, keys + ("beskrivning",), required=False)
        if day is not None and text is not None:
            deviations.append(Deviation(day, text))
    return Organisation(
        insatsagare=check.text(top, ("insatsagare",), required=False) or "",
        styrgrupp=tuple(check.text_list(top, ("styrgrupp",))),
        samverkansparter=tuple(check.text_list(top, ("samverkansparter",))),
        personal=tuple(staff),
        avvikelser=tuple(deviations),
    )


def load_organisation(path: Path) -> Organisation:
    """Read and validate ``organisation.yaml``; every bad key is listed with its line."""
    path = Path(path)
    data = read_yaml(path)
    check = KeyChecker(path, lambda: yaml_key_lines(path.read_text(encoding="utf-8-sig")))
    organisation = parse_organisation(data, check)
    check.raise_if_any()
    if not data:  # an empty file, or only comments: the section's tables were left out unsaid
        notices.note(Notice(path, None, (
            "filen är tom (eller har bara kommentarer), så avsnittet Organisation får inga uppgifter om "
            f"insatsägare, styrgrupp, samverkansparter, personal eller avvikelser. Fyll i nycklarna ({', '.join(KEYS)}; "
            "se docs/indatakontrakt.md, avsnitt 5.5), eller ta bort filen.")))
    return organisation


def load_organisation_input(params: "ReportParams", inputs: dict) -> Organisation | None:
    """Loader for :data:`evaluation.sections.registry.LOADERS`: ``<data>/organisation.yaml``."""
    path = Path(params.data) / FILE_NAME
    return load_organisation(path) if path.is_file() else None


# -- pure computations -----------------------------------------------------------------------

def staffing_table(staff) -> pd.DataFrame:
    """One row per entry: ``roll``, ``procent``, ``finansiering`` (and ``organisation`` when any is given)."""
    with_org = any(s.organisation for s in staff)
    columns = ["roll", "procent", "finansiering"] + (["organisation"] if with_org else [])
    return pd.DataFrame(
        [{"roll": s.roll, "procent": s.procent, "finansiering": s.finansiering, "organisation": s.organisation}
         for s in staff], columns=["roll", "procent", "finansiering", "organisation"],
    )[columns]


def staffing_totals(staff) -> pd.DataFrame:
    """Per financing (in order of first appearance), then ``Totalt``: ``procent`` and ``heltider``.

    >>> staffing_totals([Staff("A", 100, "F"), Staff("B", 50, "F"), Staff("C", 20, "M")])["heltider"].tolist()
    [1.5, 0.2, 1.7]
    """
    sums: dict[str, float] = {}
    for s in staff:
        sums[s.finansiering] = sums.get(s.finansiering, 0.0) + s.procent
    sums[TOTAL] = sum(s.procent for s in staff)
    return pd.DataFrame(
        [{"finansiering": k, "procent": v, "heltider": v / 100} for k, v in sums.items()],
        columns=["finansiering", "procent", "heltider"],
    )


def deviations_table(deviations, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The deviations dated ``start``–``end`` (both included), by date: ``datum``, ``beskrivning``."""
    rows = sorted((d for d in deviations if start <= d.datum <= end), key=lambda d: d.datum)
    return pd.DataFrame([{"datum": d.datum, "beskrivning": d.beskrivning} for d in rows],
                        columns=["datum", "beskrivning"])


# -- report tables and section ---------------------------------------------------------------

def organisation_tables(report: "Report") -> list[Table]:
    """Tables ``bemanning``, ``bemanning_summa`` and ``avvikelser`` (each only when it has rows)."""
    org = report.inputs.get("organisation")
    if org is None:
        return []
    out = []
    if org.personal:
        frame = staffing_table(org.personal)
        columns = {"roll": ("Roll", "text"), "procent": ("Procent av heltid", "number"),
                   "finansiering": ("Finansiering", "text")}
        if "organisation" in frame.columns:
            columns["organisation"] = ("Organisation", "text")
        out.append(Table(id="bemanning", title="Bemanning", frame=frame, columns=columns,
                         base="En rad per person eller roll; procent av en heltidstjänst."))
        out.append(Table(
            id="bemanning_summa", title="Bemanning per finansiering", frame=staffing_totals(org.personal),
            columns={"finansiering": ("Finansiering", "text"), "procent": ("Procent", "number"),
                     "heltider": ("Heltider", "number")},
            total_row=True, note="Heltider = summan av procent / 100.",
        ))
    w = report.window
    deviations = deviations_table(org.avvikelser, w.start, w.end)
    if not deviations.empty:
        out.append(Table(
            id="avvikelser", title="Avvikelser", frame=deviations,
            columns={"datum": ("Datum", "text"), "beskrivning": ("Avvikelse", "text")},
            base=f"Avvikelser daterade {fmt.iso(w.start)} – {fmt.iso(w.end)}, i datumordning.",
        ))
    return out


def organisation_blocks(report: "Report") -> list:
    """The blocks of the organisation section (empty without ``organisation.yaml``)."""
    org = report.inputs.get("organisation")
    if org is None:
        return []
    p, t = report.params, report.table_map
    owner = org.insatsagare or p.insatsagare
    partners = org.samverkansparter or tuple(p.samverkansparter)
    blocks: list = []
    for title, items in (("Insatsägare", [owner] if owner else []), ("Styrgrupp", org.styrgrupp),
                         ("Samverkansparter", partners)):
        if items:
            blocks += [heading(title, 3), bullet_list(items)]
    if "bemanning" in t:
        blocks += [heading("Bemanning", 3), t["bemanning"], t["bemanning_summa"]]
    if org.avvikelser:
        blocks.append(heading("Avvikelser", 3))
        blocks.append(t["avvikelser"] if "avvikelser" in t else paragraph("Inga avvikelser under perioden."))
    return blocks


def organisation_section(report: "Report") -> Section | None:
    """Section ``organisation``: owner, steering group, partners, staffing and deviations."""
    blocks = organisation_blocks(report)
    if not blocks:
        return None
    return Section("organisation", report.title_of("organisation"), tuple(blocks))
