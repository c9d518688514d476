"""The insats's other reports: parameters files beside this report's, on the same data.

Two reports whose periods lie one within the other (a slutrapport and a yearly report, a yearly
report and a half-year one) count the same people for what happens in a period (who started,
who ended and why): the longer report's count less the shorter one's counts those of the
difference, a few people whom neither report shows apart; reports that make up a longer one
add up to it; and a report that follows another takes over its pågående (this one's enrolments
less its new ones). The longer, or later, report is therefore protected beside the count tables
of the shorter, or earlier, ones as those publish them (:func:`overlapping`): what they show is
known, what they hide is unknown and, when few, protected here too; a difference that is small is
protected by hiding in this report's tables. The shorter and earlier reports keep their detail
(hiding in both would hide twice what once protects).
"""
from __future__ import annotations

import datetime as dt
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


def overlapping(report: "Report") -> list:
    """The insats's other reports beside which this one is protected
    (:class:`evaluation.compute.links.Beside`): those whose period lies within this one's (not the
    same period), marked when together they make up this period, and the one whose period ends
    the day before this one begins; each with its participant, result and exit-reason tables and
    the cells it hides (:func:`published`). Only with disclosure control (``min_cell`` 2 or
    more) and a register."""
    reg = report.inputs.get("register")
    if reg is None or report.params.min_cell < 2:
        return []
    return _beside(reg, report.params, report.window, {})


def _beside(reg, p: "ReportParams", w: Window, memo: dict) -> list:
    from evaluation.compute.links import Beside

    found: dict = {}
    for q in memo.setdefault(("beside", p.source), sibling_params(p)):
        start, end = q.period.start, q.period.slut
        within = w.start <= start and end <= w.end and (start, end) != (w.start, w.end)
        before = end + dt.timedelta(days=1) == w.start
        if not (within or before) or q.period.label() in found or q.min_cell < 2:
            continue
        v = Window(start, end)
        frames, hidden = published(reg, q, v, memo)
        found[q.period.label()] = (v, Beside(q.period.label(), frames, hidden, before=before,
                                             same_start=within and start == w.start, same_end=within and end == w.end))
    tiling = _tiling(w, [v for v, b in found.values() if not b.before])
    return [b._replace(tiles=v in tiling) for v, b in found.values()]


def published(reg, q: "ReportParams", v: Window, memo: dict) -> tuple[dict, dict]:
    """The count tables of the report of ``q`` before protection, and the cells it hides: protected
    with its own parameters beside its own shorter and earlier reports (so, in order: what those
    publish decides what it may)."""
    from evaluation.compute import disclosure
    from evaluation.sections import participants  # local: participants imports the section machinery

    key = (q.source, v)
    if key not in memo and (kept := _KEPT.get(_kept_key(reg, q, v, memo))) is not None:
        memo[key] = kept
    if key not in memo:
        recoded, merged = participants.recoded_register(reg, q, v)
        made = (participants.gender_table(recoded, v), participants.exit_reasons_table(recoded, v, q.min_cell, merged),
                participants.result_table(recoded, q, v, merged))
        protected = disclosure.protect(made, q.min_cell, beside=_beside(reg, q, v, memo))
        memo[key] = ({t.id: t.frame.reset_index(drop=True) for t in made},
                     {t.id: t.frame.reset_index(drop=True).map(lambda x: isinstance(x, str) and x == disclosure.MARK)
                      for t in protected})
        _KEPT[_kept_key(reg, q, v, memo)] = memo[key]
        while len(_KEPT) > 64:
            _KEPT.pop(next(iter(_KEPT)))
    return memo[key]


#: What a report publishes, kept for the next report of the same insats built in this process (a
#: batch's warm kernel builds a slutrapport after its years): by the register's content, the
#: parameters files of the folder and the period. Copies are never needed: nothing changes them.
_KEPT: dict = {}


def _kept_key(reg, q: "ReportParams", v: Window, memo: dict) -> tuple:
    if ("digest",) not in memo:  # once per report build
        import pandas as pd

        from evaluation.inputs.params import folder_digest

        folder = folder_digest(Path(q.source).parent) if q.source is not None else ""
        try:
            register = int(pd.util.hash_pandas_object(reg, index=False).sum())
        except TypeError:  # a column of values that do not hash as they are (dates and text mixed)
            register = int(pd.util.hash_pandas_object(reg.astype(str), index=False).sum())
        memo[("digest",)] = (folder, register, len(reg), tuple(reg.columns))
    return (*memo[("digest",)], str(q.source), v)


def _tiling(w: Window, parts: list[Window]) -> set:
    """Periods of ``parts`` that follow one another, day by day, from ``w``'s first to its last."""
    chain, day = set(), w.start
    for v in sorted(parts):
        if v.start == day:
            chain.add(v)
            day = v.end + dt.timedelta(days=1)
    return chain if day == w.end + dt.timedelta(days=1) else set()
