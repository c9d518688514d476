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
import functools
from pathlib import Path
from typing import TYPE_CHECKING

from evaluation.compute.tables import Window
from evaluation.core import perframe

if TYPE_CHECKING:
    from evaluation.build.report import Report
    from evaluation.inputs.params import ReportParams


def sibling_params(p: "ReportParams") -> list["ReportParams"]:
    """The parameters of this insats's other reports: files beside ``p``'s, on the same data (a
    file that cannot be read is said when that report is made). Read once while the folder's
    parameters files stay the same (:func:`evaluation.inputs.params.folder_digest`, as
    :data:`_KEPT`): a report asks three or four times, and each report it is protected beside
    again (72 askings, 144 files read for 18 bench reports: 0.17 of 8.3 CPU-s)."""
    from evaluation.inputs.params import folder_digest

    if p.source is None:
        return []
    folder = Path(p.source).parent
    return list(_siblings(folder, folder_digest(folder), Path(p.source).resolve(), p.data))


@functools.lru_cache(maxsize=64)
def _siblings(folder: Path, digest: str, source: Path, data: Path) -> tuple["ReportParams", ...]:
    """:func:`sibling_params` of the report of ``source``; ``digest`` (the folder's parameters
    files) is read only as the key: another digest, another reading."""
    from evaluation.core.errors import EvaluationError
    from evaluation.inputs.params import PARAMS_SUFFIXES, load_params
    from evaluation.inputs.paths import files_ending

    out = []
    for path in files_ending(folder, PARAMS_SUFFIXES):
        if Path(path).resolve() == source:
            continue
        try:
            other = load_params(path)
        except EvaluationError:
            continue
        if other.data == data:
            out.append(other)
    return tuple(out)


def overlapping(report: "Report") -> list:
    """The insats's other reports beside which this one is protected
    (:class:`evaluation.compute.overlaps.Beside`): those whose period lies within this one's (not the
    same period), marked when together they make up this period; the one whose period ends the
    day before this one begins; an earlier one that rows of this one's *Nyckeltal per period* make
    up; and those within one of those rows (a half-year of an earlier year); each with its count
    tables and the cells it hides, as it publishes them (:func:`published`). Only with disclosure
    control (``min_cell`` 2 or more) and a register."""
    from evaluation.compute.overlaps import Beside

    reg = report.inputs.get("register")
    p, w = report.params, report.window
    if reg is None or p.min_cell < 2:
        return []
    found: dict = {}
    own = trend_windows_of(report)
    others = sibling_params(p)
    for q in others:
        v, label = Window(q.period.start, q.period.slut), q.period.label()
        within = _inside(v, w)
        before = v.end + dt.timedelta(days=1) == w.start
        made_of = _made_of(v, own) if v.end < w.start else ()
        row = next((period for u, period in own.items() if _inside(v, u)), "")
        if not (within or before or made_of or row) or label in found or q.min_cell < 2:
            continue
        made = published(report, q)
        if made is None:  # that report cannot be made (its own render says why): nothing to protect against
            continue
        found[label] = (v, Beside(label, *made, before=before, same_start=within and v.start == w.start,
                                  same_end=within and v.end == w.end, made_of_trend=made_of, in_row=row))
    _chain(report, others, found)
    # this period, and each row of its own trend: the reports within it, and the rows of their
    # trends within it for periods without a report of their own (a half-year report's trend shows
    # the year's first half), marked when together they make it up
    placed = {}
    for u in (w, *own):
        real = {v: b for v, b in found.values() if _inside(v, u)}
        rows: dict = {}
        for b in real.values():
            for period, x in trend_windows(b.frames.get("trend")):
                if _inside(x, u) and x not in real:
                    rows.setdefault(x, (b.label, period))
        tiling = _tiling(u, [*real, *rows])
        for v, b in real.items():
            placed[b.label] = b._replace(tiles=v in tiling, trend_rows=tuple(
                (period, x in tiling) for x, (of, period) in rows.items() if of == b.label))
    # the rows of the trends (each report's own period among them): rows of theirs that rows of
    # this one's make up (2023's row for 2022 and this half-year's two rows for 2022's halves), or
    # of a third report's (2024's row for 2023: a half-year and the first half in its trend), rows
    # of this one's that rows of theirs make up; and the row of theirs that ends the day before
    # this one begins (those still enrolled then are this one's enrolments less its new ones), and
    # of this one's the day before theirs
    out = []
    rows_of = {b.label: {x: period for period, x in trend_windows(b.frames.get("trend"), last=True)} for _, b in found.values()}
    for v, b in found.values():
        b = placed.get(b.label, b)
        theirs = rows_of[b.label]
        out.append(b._replace(
            rows_made_of_others=tuple((period, other, parts) for x, period in theirs.items() for other, rows in rows_of.items()
                                      if other != b.label and (parts := _made_of(x, rows))),
            rows_made_of_trend=tuple((period, parts) for x, period in theirs.items() if (parts := _made_of(x, own))),
            trend_made_of_rows=tuple((period, parts) for u, period in own.items() if (parts := _made_of(u, theirs))),
            row_before=next((period for x, period in theirs.items() if x.end + dt.timedelta(days=1) == w.start), ""),
            row_before_theirs=next((period for u, period in own.items() if u.end + dt.timedelta(days=1) == v.start), "")))
    return out


#: How many reports before the one just before are protected beside, each carrying its pågående
#: into the next.
CHAIN = 3


def _chain(report: "Report", others: list, found: dict) -> None:
    """Add to ``found`` the reports before the one just before this one (at most :data:`CHAIN`),
    each ending the day before the next begins (``Beside.carries_into``): a chain of half-years
    passed a hidden count along (27 enrolled − 7 new = 20 pågående, + 3 ended = 23 enrolled, − 8
    new = 15 pågående of the half-year before, whose 17 enrolled gave its hidden 2 ended)."""
    from evaluation.compute.overlaps import Beside

    by_end = {}
    for q in others:
        if q.min_cell >= 2:
            by_end.setdefault(q.period.slut, q)
    after = next(((v, b) for v, b in found.values() if b.before), None)
    for _ in range(CHAIN):
        if after is None:
            return
        q = by_end.get(after[0].start - dt.timedelta(days=1))
        if q is None or q.period.label() in found:
            return
        made = published(report, q)
        if made is None:
            return
        v = Window(q.period.start, q.period.slut)
        found[q.period.label()] = after = (v, Beside(q.period.label(), *made, carries_into=after[1].label))


def _inside(v: Window, u: Window) -> bool:
    """Whether period ``v`` lies within ``u`` and is not ``u``."""
    return u.start <= v.start and v.end <= u.end and v != u


def trend_windows(frame, last: bool = False) -> list[tuple[str, Window]]:
    """``(period, window)`` of the rows of a ``trend`` frame but its last (the report's own period;
    with ``last``, that one too)."""
    if frame is None or not len(frame):
        return []
    rows = frame[["period", "start", "slut"]] if last else frame[["period", "start", "slut"]].iloc[:-1]
    return [(period, Window(dt.date.fromisoformat(start), dt.date.fromisoformat(end)))
            for period, start, end in rows.itertuples(index=False)]


def trend_windows_of(report: "Report") -> dict[Window, str]:
    """The earlier periods of ``report``'s own *Nyckeltal per period* and their rows' labels
    (:func:`evaluation.compute.periods.earlier_windows`)."""
    from evaluation.compute.periods import earlier_windows, period_label

    reg = report.inputs["register"]
    return {u: period_label(u) for u in earlier_windows(report.window, reg["startdatum"].min().date())} if len(reg) else {}


def _made_of(v: Window, windows: dict[Window, str]) -> tuple[str, ...]:
    """The labels of two or more of ``windows`` that make up ``v``, day by day (else none)."""
    parts = _tiling(v, [u for u in windows if v.start <= u.start and u.end <= v.end])
    return tuple(windows[u] for u in sorted(parts)) if len(parts) > 1 else ()


def published(report: "Report", q: "ReportParams") -> tuple[dict, dict] | None:
    """The count tables of the insats's report of ``q`` before protection, and the cells it hides
    (boolean frames): that report made with all its register tables (``REGISTER_TABLES``: the
    others relate to none of them), protected as it is published (``report.published_beside``,
    beside its own shorter and earlier reports); ``None`` when it cannot be made. Protecting its
    participant, result and exit-reason tables alone hid other cells than the report does (a
    half-year report showed its new ones, which the three tables hid), and a longer report then
    gave back the new ones of the other half."""
    key = _kept_key(report.inputs["register"], q, Window(q.period.start, q.period.slut))
    if key not in _KEPT:
        _keep(key, report.published_beside(q))
    return _KEPT[key]


def keep_published(report: "Report", made: tuple[dict, dict]) -> None:
    """Keep what ``report``'s register tables publish (:func:`evaluation.compute.disclosure.as_published`)
    for the insats's other reports built later in this process: a slutrapport after its years."""
    reg, p = report.inputs.get("register"), report.params
    if reg is not None and p.min_cell >= 2 and p.source is not None and sibling_params(p):
        _keep(_kept_key(reg, p, report.window), made)


def kept_published(report: "Report") -> tuple[dict, dict] | None:
    """What :func:`keep_published` kept for ``report``."""
    return _KEPT.get(_kept_key(report.inputs["register"], report.params, report.window))


def _keep(key: tuple, made) -> None:
    _KEPT[key] = made
    while len(_KEPT) > 64:
        _KEPT.pop(next(iter(_KEPT)))


#: What a report publishes, kept for the next report of the same insats built in this process (a
#: batch's warm kernel builds a slutrapport after its years): by the register's content, the
#: parameters files of the folder and the period. Copies are never needed: nothing changes them.
_KEPT: dict = {}


def _kept_key(reg, q: "ReportParams", v: Window) -> tuple:
    from evaluation.inputs.params import folder_digest

    folder = folder_digest(Path(q.source).parent) if q.source is not None else ""
    return (folder, *_register_digest(reg), str(q.source), v)


def _register_digest(reg) -> tuple:
    """The register's digest, worked out once while the frame lives (:func:`evaluation.core.perframe.once`):
    a report's register, and the reports it is protected beside on the same frame, are hashed
    once, not at each of their 70 keys for 18 bench reports (0.12 of 8.3 CPU-s)."""
    return perframe.once(reg, "digest", lambda: _digest(reg))


def _digest(reg) -> tuple:
    import pandas as pd

    try:
        register = int(pd.util.hash_pandas_object(reg, index=False).sum())
    except TypeError:  # a column of values that do not hash as they are (dates and text mixed)
        register = int(pd.util.hash_pandas_object(reg.astype(str), index=False).sum())
    return (register, len(reg), tuple(reg.columns))


def _tiling(w: Window, parts: list[Window]) -> set:
    """Periods of ``parts`` that follow one another, day by day, from ``w``'s first to its last
    (the longest first where several begin on the same day: three years, not a half-year and its
    year; a first half-year that led nowhere hid the three years' tiling)."""
    def chain(day) -> list | None:
        if day == w.end + dt.timedelta(days=1):
            return []
        for v in sorted((v for v in parts if v.start == day), key=lambda v: v.end, reverse=True):
            rest = chain(v.end + dt.timedelta(days=1))
            if rest is not None:
                return [v, *rest]
        return None

    return set(chain(w.start) or ())
