"""The insats's other reports: parameters files beside this report's, on the same data.

Two reports whose periods lie one within the other (a slutrapport and a yearly report, a yearly
report and a half-year one) count the same people for what happens in a period (who started,
who ended and why): the longer report's count less the shorter one's counts those of the
difference, a few people whom neither report shows apart. The longer report is therefore
protected beside the count tables of the reports within its period, as those reports compute
them, taken as shown (:func:`overlapping`): a difference that is small is protected by hiding in
the longer report's tables. The shorter reports keep their detail (hiding in both would hide
twice what once protects); only the longer one needs to know of the others.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from evaluation.compute.tables import Window

if TYPE_CHECKING:
    from evaluation.build.report import Report
    from evaluation.inputs.params import ReportParams


def sibling_params(p: "ReportParams") -> list["ReportParams"]:
    """The parameters of this insats's other reports: files beside ``p``'s, on the same data (a
    file that cannot be read is said when that report is made)."""
    from evaluation.core.errors import EvaluationError
    from evaluation.inputs.params import PARAMS_SUFFIXES, load_params
    from evaluation.inputs.paths import files_ending

    if p.source is None:
        return []
    out = []
    for path in files_ending(Path(p.source).parent, PARAMS_SUFFIXES):
        if Path(path).resolve() == Path(p.source).resolve():
            continue
        try:
            other = load_params(path)
        except EvaluationError:
            continue
        if other.data == p.data:
            out.append(other)
    return out


def overlapping(report: "Report") -> list[tuple[str, int, dict]]:
    """``(label, min_cell, frames)`` for each other report of this insats whose period lies within
    this one's (not the same period): its participant, result and exit-reason tables as it
    computes them, before protection. Only with disclosure control (``min_cell`` 2 or more) and a
    register."""
    from evaluation.sections import participants  # local: participants imports the section machinery

    p, w = report.params, report.window
    reg = report.inputs.get("register")
    if reg is None or p.min_cell < 2:
        return []
    out = []
    for q in sibling_params(p):
        start, end = q.period.start, q.period.slut
        if (start, end) == (w.start, w.end) or not (w.start <= start and end <= w.end):
            continue
        v = Window(start, end)
        recoded, merged = participants.recoded_register(reg, q, v)
        made = [participants.gender_table(recoded, v), participants.exit_reasons_table(recoded, v, q.min_cell, merged)]
        if (q.resultat_bas, q.provtid_dagar) == (p.resultat_bas, p.provtid_dagar):  # the same result, counted alike
            made.append(participants.result_table(recoded, q, v, merged))
        out.append((q.period.label(), q.min_cell, {t.id: t.frame for t in made}))
    return list({label: (label, m, frames) for label, m, frames in out}.values())  # one per period
