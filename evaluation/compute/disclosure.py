"""Disclosure control of a report: its count tables protected together, once, before any key
figure, goal, section or renderer reads them (the step between tables and key figures).

``min_cell: N`` (report parameter) protects every count of people: counts 1 … N−1 are hidden, and
so is whatever would give one back (see :mod:`evaluation.compute.suppression` for the rule and
its audit, and :mod:`evaluation.compute.catalogue` for the report's tables and how they relate).
A hidden cell is :data:`MARK` (``..``) in every output, and its table gets :data:`FOOTNOTE`.

>>> import pandas as pd
>>> frame = pd.DataFrame({"kon": ["Kvinna", "Man", "Totalt"], "unika": [2, 7, 9], "inskrivningar": [2, 7, 9],
...                       "nya": [2, 7, 9], "avslutade": [0, 3, 3], "pagaende": [2, 4, 6]})
>>> suppress_tables({"deltagare_kon": frame}, 3)["deltagare_kon"].marked()["unika"].tolist()
['..', '..', 9]
"""
from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from evaluation.compute import catalogue, cellrefs, fixedattrs
from evaluation.compute.links import table_links
from evaluation.compute.overlaps import Beside, overlap_links
from evaluation.compute.suppression import HIDDEN_TOTALS, SHOWN_NOWHERE, Link, Nested, Suppressed, suppress_together
from evaluation.core.vocab import MARK

__all__ = ["FOOTNOTE", "HIDDEN_BASE", "MARK", "as_published", "protect", "suppress_tables"]

#: Footnote of a table with at least one hidden cell.
FOOTNOTE = (
    "..: uppgiften visas inte för att skydda enskilda personer (färre än {min_cell}, "
    "eller så att en sådan uppgift inte går att räkna fram)."
)


def suppress_tables(frames: Mapping[str, pd.DataFrame], min_cell: int, specs: Mapping | None = None,
                    links: Iterable[Link] | None = None, unshown: Iterable[str] = (),
                    beside: Iterable[Beside] = (), solved: dict | None = None) -> dict[str, Suppressed]:
    """The report's tables protected together: ``specs`` default to :func:`catalogue.spec_for`
    (a given spec wins), ``links`` to :func:`links.table_links`; the tables ``unshown`` are shown
    nowhere (see :func:`evaluation.compute.suppression.suppress_together`). ``beside``: other
    reports of the insats (:class:`evaluation.compute.overlaps.Beside`), their tables as they publish
    them; only this report's tables come back. ``solved``: the audit's programs solved before
    (:func:`evaluation.compute.suppression.suppress_together`)."""
    given = dict(specs or {})
    every = dict(frames)
    chosen = {t: given[t] if t in given else catalogue.spec_for(t, f) for t, f in frames.items()}
    links = list(table_links(frames) if links is None else links)
    fixed = {}
    beside = list(beside)
    for b in beside:
        named = {f"{b.label}:{t}": f for t, f in b.frames.items()}
        every.update(named)
        # their tables' own arithmetic, each cell shown or hidden as that report publishes it
        chosen.update({n: catalogue.spec_for(t, f) for (t, f), n in zip(b.frames.items(), named)})
        fixed.update({f"{b.label}:{t}": h for t, h in b.hidden.items()})
        # and the relations between them (its result base is its ended, and its ended less its
        # enrolments gives its pågående: a reviewer read a hidden 2 so)
        links += [_named(link, b.label) for link in table_links(b.frames)]
    links += overlap_links(frames, beside)
    outs = suppress_together(every, min_cell, chosen, links, unshown, fixed, solved)
    return {t: outs[t] for t in frames}


def as_published(raw, protected) -> tuple[dict, dict]:
    """``(frames, hidden)`` by table id of the count tables (those with a spec) of a report: the
    frames before protection, and boolean frames of the cells ``protected`` marks hidden (what
    another report of the insats is protected beside, :class:`evaluation.compute.overlaps.Beside`),
    with the totals it hides and whether it shows the table nowhere (``attrs``)."""
    marked = {t.id: t.frame for t in protected}
    nowhere = {t.id for t in protected if t.all_hidden}
    frames = {t.id: t.frame.reset_index(drop=True) for t in raw if catalogue.spec_for(t.id, t.frame) is not None}
    hidden = {i: _marks(marked[i]) for i in frames}
    for i, mask in hidden.items():  # and the totals it hides (a base line's "Andel av .."), kept with them
        mask.attrs[HIDDEN_TOTALS] = fixedattrs.fixed(marked[i].attrs.get(HIDDEN_TOTALS, ()))
        mask.attrs[SHOWN_NOWHERE] = i in nowhere  # a sentence instead
    return frames, hidden


def _marks(frame: pd.DataFrame) -> pd.DataFrame:
    """Whether each cell of ``frame`` is :data:`MARK`: a boolean frame of its columns on rows
    0, 1, ..., with its ``attrs``. The values are read once, as objects (``DataFrame.map`` called a
    function per cell through pandas: 6.2 CPU-ms a bench report, this 1.2)."""
    values = frame.to_numpy(dtype=object)
    mask = np.fromiter((isinstance(x, str) and x == MARK for x in values.ravel()), dtype=bool, count=values.size)
    out = pd.DataFrame(mask.reshape(values.shape), columns=frame.columns)
    out.attrs = frame.attrs
    return out


def _named(link, label: str):
    """``link`` between another report's tables, named as they are beside this report's (``label:table``)."""
    at = lambda cell: (f"{label}:{cell[0]}", cell[1])  # noqa: E731
    if isinstance(link, Nested):
        return Nested(f"{label}:{link.name}", tuple((at(one), tuple(at(c) for c in many)) for one, many in link.pairs))
    return Link(at(link.total), tuple(at(c) for c in link.parts))


#: Base text of a table whose base had to be hidden.
HIDDEN_BASE = "Antalet som andelarna räknas på visas inte, för att skydda enskilda personer."


def _wholly_hidden(table_id: str, out: Suppressed) -> Suppressed:
    """``out`` with every count, derived and total cell of its table hidden, its zeros as well: a
    table left with no count to show (:attr:`evaluation.core.model.Table.all_hidden`) is shown
    nowhere, and is left out when the others are protected again; none of it may then be read."""
    spec = catalogue.spec_for(table_id, out.frame)
    columns = [*spec.counts, *(d.column for d in spec.derived)] if spec else []
    hidden = out.hidden.copy()
    for column in columns:
        if column in hidden:
            hidden[column] = True
    totals = frozenset((t.name, None) for t in spec.totals) if spec else frozenset()
    return Suppressed(out.frame, hidden, out.primary, out.hidden_totals | totals)


def protect(tables, min_cell: int, beside=()) -> tuple:
    """The report's tables with every hidden cell marked, once, before anything reads them.

    Tables are :class:`evaluation.core.model.Table` objects (not changed: changed ones are copies).
    ``beside``: the count tables of the insats's overlapping reports (see :func:`suppress_tables`).
    A table with a hidden cell gets :data:`FOOTNOTE`; one whose base (shown only in its text)
    is hidden gets :data:`HIDDEN_BASE` instead of that text. Cell references in a base line
    (:mod:`evaluation.compute.cellrefs`) are filled in from the protected cells, ``..`` when hidden.
    """
    tables = tuple(tables)
    for t in tables:  # read from here on, never changed
        fixedattrs.fix(t.frame)
    if not tables:
        return tables
    if min_cell < 2:
        frames = {t.id: t.frame for t in tables}
        return tuple(replace(t, base=cellrefs.fill(t.base, t.id, frames)) if cellrefs.has_refs(t.base) else t
                     for t in tables)
    beside = tuple(beside)
    solved: dict = {}  # the audit's programs, for both audits below
    outs = suppress_tables({t.id: t.frame for t in tables}, min_cell, beside=beside, solved=solved)

    def marked_all() -> dict:  # once an outcome, read to find bare tables and to fill the bases
        return {t.id: outs[t.id].marked() for t in tables}

    marked = marked_all()
    bare = {t.id for t in tables if replace(t, frame=marked[t.id]).all_hidden}
    if bare:  # shown nowhere (a sentence instead, not in tabeller/): its visible cells pin nothing
        # more, but its counts are still counts of people that the other tables may give back
        # (the whole less the other sub-insatser gives a one-person sub-insats): unknowns, the small
        # ones protected
        outs = suppress_tables({t.id: t.frame for t in tables}, min_cell, unshown=bare, beside=beside, solved=solved)
        outs = {**outs, **{t.id: _wholly_hidden(t.id, outs[t.id]) for t in tables if t.id in bare}}
        marked = marked_all()
    for t in tables:
        marked[t.id].attrs[HIDDEN_TOTALS] = fixedattrs.fixed(tuple(sorted(outs[t.id].hidden_totals, key=repr)))
    raw = {t.id: t.frame for t in tables}

    def total_hidden(table_id: str, column: str) -> bool:
        spec = catalogue.spec_for(table_id, raw[table_id])
        names = [t.name for t in (spec.totals if spec else ()) if t.column == column] or [column]
        return any(outs[table_id].total_hidden(name) for name in names)

    protected = []
    for table in tables:
        out = outs[table.id]
        base = cellrefs.fill(table.base, table.id, marked, total_hidden, raw)
        if not out.any_hidden:
            protected.append(replace(table, base=base) if base != table.base else table)
            continue
        if any(name == "bas" for name, _ in out.hidden_totals):
            base = HIDDEN_BASE
        note = " ".join(x for x in (table.note, FOOTNOTE.format(min_cell=min_cell)) if x)
        protected.append(replace(table, frame=marked[table.id], base=base, note=note))
    return tuple(protected)
