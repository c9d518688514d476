"""Cell suppression of count tables: primary and secondary, with an exact audit (pure, no I/O).

``min_cell: N`` (report parameter) protects every count of people. The rule, applied once to the
report's frames before any renderer or writer sees them:

1. **Primary suppression (frequency rule).** Every count 1 … N−1 is hidden. Zero stays visible
   (an empty cell tells nothing about a person). ``N`` 0 or 1 means no suppression. This is the
   frequency rule of sdcTable (``primarySuppression(type = "freq")`` with ``maxN = N − 1`` and
   zeros not sensitive) and the threshold practice of SCB and Socialstyrelsen (few cases are not
   published).
   **Small groups of answers** (:attr:`Spec.answers`, the survey tables): where a relation's total
   is hidden as 1 … N−1, its zero parts are hidden too. Otherwise a row of ``0`` and ``..`` tells
   what every one of those few answered (group disclosure: *Inte alls 0, Delvis 0, Helt ..*).
   Register and measurement tables keep their zeros: there the rule would hide most of a table
   (a transition table of steps is mostly zeros under small column totals) to protect less.
2. **Derived cells follow.** A share, a change or a percentage computed from a hidden count, or
   over a hidden base, is hidden with it (``andel = antal / bas``, ``forandring = efter − fore``).
   A derived cell is therefore visible only when every count it comes from is visible, and it can
   never give one back.
3. **Secondary suppression.** A table's arithmetic is declared as additive relations ``total =
   Σ parts``: a total row and its rows, a base and the counts shown as shares of it, a group row
   ("Arbete eller studier" = Arbete + Subventionerat arbete + Studier) and its members, a column
   that is the sum of others in the same line, the same count shown in two tables, a count
   of one group shown beside the same count of a group within it (:class:`Nested`: their
   difference counts the people of one and not the other, a count like any other), and a column
   less another in the same line (:class:`Remainder`: enrolments less new ones count those
   enrolled before the period, also a count like any other). A table shown nowhere (every count of
   it hidden) still binds the others, its counts unknown to a reader and the small ones protected. Whenever a
   relation has exactly one hidden cell, the visible cell of that relation that costs least to
   hide is hidden too (its derived cells with it): a non-zero *part* (the smallest), then a total,
   then a headline cell (:attr:`Spec.headline`), then a base every share uses (:attr:`Spec.keep`),
   last a public count (:attr:`Spec.public`) — the cost-based choice of sdcTable with its costs as
   tiers (:func:`cost`). This is repeated until no relation has exactly one hidden cell.
4. **Audit.** The heuristic does not see every combination of relations (a hidden cell can be
   pinned by two relations together, or by the fact that a hidden count is at least 1). So the
   result is then checked exactly: for every cell hidden for what it is (primary, not a cell
   hidden only to protect another) an integer program (scipy's ``milp``)
   computes the smallest and the largest value that agrees with every visible cell and every
   relation, with every hidden cell a whole number ≥ 1 (zeros are hidden only as parts of a small
   group of answers; those are ≥ 0 to the audit, as is every cell of a table shown nowhere), or
   more where a note tells a reader so (:class:`Bound`). If the two are equal, the value could be solved
   back: the cheapest visible cell around it (through the relations, widening through hidden
   cells) whose hiding leaves the value more than one possibility is hidden as well
   (:func:`_unpinning_choice`), and steps 3–4 run again. The loop ends because each round hides
   one more cell.

Before all this the table builders recode (:mod:`evaluation.compute.recode`): small categories are merged
into a neighbour or ``Övrigt``, so fewer cells need hiding.

Hidden cells are shown everywhere with the same mark, :data:`MARK` (``..``), and a table with a
hidden cell gets the footnote :data:`FOOTNOTE`.

A relation that the true numbers do not satisfy (e.g. a person registered with two genders, so
unique people per gender do not add up to the total) is left out: it is not an equation an
attacker could use, and it cannot pin a value.

The attacker model (what the property tests of ``tests/test_disclosure.py`` check): someone who
sees every visible cell of every table passed together, knows every declared relation, and
knows that hidden cells are whole numbers ≥ 1 cannot determine any hidden value exactly. Not
covered: inequalities but one (unique people ≤ enrolments, :class:`Remainder` with ``secret``
false), relations with other reports but two (an
earlier period's row of ``trend``: the cells that period's report hides are :attr:`Spec.secret`
there; and a report whose period holds another's: that report's cells are ``fixed`` beside this
one's, see :func:`suppress_together`), and an attacker who reasons about which cells the
algorithm would pick.

Use (:mod:`evaluation.compute.catalogue` has the specs of the report's tables)::

    out = suppress(frame, spec_for("resultat", frame), min_cell=3)
    out.hidden        # bool frame, True = hidden
    out.marked()      # copy with hidden cells as ".." (object columns), for CSV/XLSX and renderers
    out.total_hidden("bas")  # a base shown only in the text ("Andel av 44 ...") is hidden

    outs = suppress_together(frames, min_cell=3, specs={...}, links=[...])

:func:`suppress_together` protects several tables at once, with the relations between them
(:class:`Link`), so that a count hidden in one table cannot be read from another.

Longer than 400 lines: one algorithm (a table's arithmetic as relations, the heuristic and its
exact audit) whose parts only make sense together; which tables exist and how they relate is
:mod:`evaluation.compute.catalogue`, and applying it to a report's tables is
:mod:`evaluation.compute.disclosure`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping, Union

import numpy as np
import pandas as pd

from evaluation.compute import programs
from evaluation.core.vocab import MARK  # how a hidden cell is written in every output

#: Row selector: every *leaf* row of a table (not a total, group or other non-leaf row).
LEAVES = "__leaves__"

Label = Union[str, int, tuple]


# -- the declarative description of a table's arithmetic ------------------------------------------

@dataclass(frozen=True)
class Ref:
    """Cells of one column in the rows with the given label(s).

    ``rows`` is a label (matched against the first key column), a tuple of labels, a
    :class:`Key` (matched against several key columns), or :data:`LEAVES`. A label that no row
    has is a row of zero (tables leave out empty rows).
    """

    column: str
    rows: object = LEAVES


@dataclass(frozen=True)
class Key:
    """A row named by the values of several key columns, e.g. ``Key((6, "Arbete"))``."""

    values: tuple


@dataclass(frozen=True)
class RowTotal:
    """Row ``row`` is the sum of rows ``parts`` (default: every leaf row), column by column."""

    row: Label
    parts: object = LEAVES
    columns: tuple[str, ...] | None = None  # default: every count column


@dataclass(frozen=True)
class LineTotal:
    """In every row, column ``column`` is the sum of columns ``parts``."""

    column: str
    parts: tuple[str, ...]


@dataclass(frozen=True)
class Sum:
    """``total = Σ parts``, any cells. A total matching several rows gives one relation per row."""

    total: Ref
    parts: tuple[Ref, ...]


@dataclass(frozen=True)
class Remainder:
    """In every row, ``column`` less ``less``: a count no table shows, protected as one (hidden
    when small, else unknown), e.g. enrolments less new ones, those enrolled before the period.
    With ``next`` and ``added``, a row's remainder and the next row's ``added`` make the next
    row's ``next``: those still enrolled when one period ends are the next period's participants
    with its new ones (``trend``). Used only where the data agree (as every relation)."""

    name: str
    column: str
    less: str
    next: str | None = None
    added: str | None = None
    secret: bool = True  # False: not protected, only known to be 0 or more (people ≤ enrolments)


@dataclass(frozen=True)
class Bound:
    """What a reader knows of the cells of ``ref`` without the table: at least ``low``, e.g.
    ``Övrigt`` holds two merged exit reasons, each at least one person. The audit solves with
    it, as a reader would. (A lower bound can always be met by hiding more, up to the totals; an
    upper bound, such as a row said to be too few to show apart, could pin a cell whatever is
    hidden, and is not used.)"""

    ref: Ref
    low: int = 1


@dataclass(frozen=True)
class Total:
    """A total that is not a cell of the table but is shown anyway (in the text, "Andel av 44
    avslutade", or through a visible share and its count): the sum of ``column`` over the leaf
    rows, per value of the key column ``by`` when given. Derived columns may name it."""

    name: str
    column: str = "antal"
    by: str | None = None
    shown: bool = True  # False: a sum no output shows (a link goes through it): hidden from the start


@dataclass(frozen=True)
class Derived:
    """Column ``column`` is computed from ``sources`` and is hidden when any of them is.

    A source is a count column of the same row, the name of a :class:`Total` (the row's own
    group), or a :class:`Ref` to cells in other rows.
    """

    column: str
    sources: tuple


@dataclass(frozen=True)
class Spec:
    """A table's arithmetic: its count columns, derived columns and additive relations."""

    key: tuple[str, ...]
    counts: tuple[str, ...]
    derived: tuple[Derived, ...] = ()
    relations: tuple = ()  # RowTotal, LineTotal, Sum, Remainder
    totals: tuple[Total, ...] = ()
    non_leaf: tuple = ()  # labels of rows that are not leaves (totals, groups, overlapping rows)
    keep: tuple[Ref, ...] = ()  # cells hidden only as a last resort (a base the text and every share use)
    headline: tuple[Ref, ...] = ()  # headline counts (and what their share needs): costly to hide
    public: tuple[Ref, ...] = ()  # counts that describe no one (interviews made): never primary, hidden last
    answers: bool = False  # counts of answers: a small total hides its zero parts too (step 1 of the module doc)
    secret: tuple[Ref, ...] = ()  # counts hidden whatever their size: hidden where another report shows them
    bounds: tuple[Bound, ...] = ()  # what a reader knows of some cells (the audit uses it)
    known: tuple[Ref, ...] = ()  # counts another report shows: never hidden here


# -- the result -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Suppressed:
    """A table after disclosure control.

    ``frame`` is the input unchanged (the true values, never to be written out); ``hidden`` and
    ``primary`` are boolean frames of the same shape. ``hidden_totals`` names the hidden
    :class:`Total` cells as ``(name, group)`` (group ``None`` without ``by``).
    """

    frame: pd.DataFrame
    hidden: pd.DataFrame
    primary: pd.DataFrame
    hidden_totals: frozenset = frozenset()

    @property
    def any_hidden(self) -> bool:
        return bool(self.hidden.to_numpy().any()) or bool(self.hidden_totals)

    def total_hidden(self, name: str, group=None) -> bool:
        return (name, group) in self.hidden_totals

    def marked(self, mark: str = MARK) -> pd.DataFrame:
        """A copy with every hidden cell replaced by ``mark`` (its columns become ``object``)."""
        return self._replaced(mark)

    def masked(self) -> pd.DataFrame:
        """A copy with every hidden cell as ``pd.NA`` (for code that computes on the frame)."""
        return self._replaced(pd.NA)

    def _replaced(self, stand_in) -> pd.DataFrame:
        """A copy with ``stand_in`` in every hidden cell. The mask is read once as an array and
        only the columns with a hidden cell are rebuilt, as object arrays (the values and types
        of ``astype(object).where``): 0.21 ms a table instead of 0.49 ms, 57 tables a report
        (0.016 CPU-s)."""
        out = self.frame.copy()
        hidden = self.hidden.to_numpy(dtype=bool)
        for j in np.flatnonzero(hidden.any(axis=0)):
            column = out.columns[j]
            values = out[column].to_numpy(dtype=object, copy=True)
            values[hidden[:, j]] = stand_in
            out[column] = pd.Series(values, index=out.index, dtype=object, name=column)
        return out


# -- compiling a spec to cells and relations ---------------------------------------------------

Cell = tuple  # (table id, row position or total key, column)


@dataclass
class _Problem:
    value: dict = field(default_factory=dict)  # count cell -> int
    order: dict = field(default_factory=dict)  # count cell -> position, for stable choices
    relations: list = field(default_factory=list)  # (total cell, tuple of part cells)
    derived: dict = field(default_factory=dict)  # derived cell -> set of count cells
    totals: set = field(default_factory=set)  # cells that are totals of some kind (hidden late)
    keep: set = field(default_factory=set)  # cells hidden last
    headline: set = field(default_factory=set)  # headline cells: hidden after totals, before ``keep``
    public: set = field(default_factory=set)  # not sensitive themselves: never primary, hidden very last
    secret: set = field(default_factory=set)  # hidden whatever their size (Spec.secret)
    unshown: set = field(default_factory=set)  # sums no output shows: hidden from the start (not primary)
    answers: set = field(default_factory=set)  # positions in ``relations`` of relations between answers
    differences: set = field(default_factory=set)  # counts no table shows, of people in one table and not another (Nested)
    frames: dict = field(default_factory=dict)
    specs: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)  # table -> its row labels (see _row_labels)
    by_cell: dict = field(default_factory=dict)  # cell -> positions of its relations (see _relation_index)
    unbounded: float | None = None  # the bound that stands for "unbounded" (see _unbounded), once known
    least: dict = field(default_factory=dict)  # cell -> the least value a reader knows it has (Spec.bounds)
    blind: set = field(default_factory=set)  # cells of a table shown nowhere: a reader cannot tell a 0 there
    fixed: set = field(default_factory=set)  # cells another report shows: never hidden here
    elsewhere: set = field(default_factory=set)  # cells another report hides (shown there as ..)
    subtracted: set = field(default_factory=set)  # cells protected once against subtraction (_against_subtraction)
    loose: set = field(default_factory=set)  # the answers of a small group: zeros hidden among them
    sensitive: set = field(default_factory=set)  # the cells hidden for what they are (primary): the audited
    # solutions found: the hidden cells each gives another value than the true one (_witnessed)
    witnesses: list = field(default_factory=list)
    solutions: dict = field(default_factory=dict)  # program -> its solution (see _solved)

    def lowest(self, cell: Cell) -> int:
        """The least value of hidden ``cell`` to the audit: 1 (a hidden zero: 0; a cell of a table
        shown nowhere, or an answer of a small group, where zeros are hidden too: 0, whatever it
        holds; a difference no table shows, ``Δ``: 0, as a reader cannot tell it from none), or a
        known bound."""
        anything = cell in self.blind or cell in self.loose or cell[0] == "Δ"
        return max(0 if anything else min(1, self.value[cell]), self.least.get(cell, 0))

    def add_cell(self, cell: Cell, value: int) -> None:
        if cell not in self.value:
            self.value[cell] = value
            self.order[cell] = len(self.order)

    def add_relation(self, total: Cell, parts: Iterable[Cell]) -> None:
        parts = tuple(p for p in parts if p in self.value)
        if total not in self.value or total in parts:
            return
        if self.value[total] != sum(self.value[p] for p in parts):
            return  # not an exact equation for these data: an attacker cannot use it
        self.relations.append((total, parts))
        self.totals.add(total)


def _is_count(value) -> bool:
    """Whether a cell holds a count: not missing, and not already hidden (``..``: the interviews'
    method table hides a small role's details itself)."""
    return (value is not None and not (isinstance(value, float) and np.isnan(value)) and value is not pd.NA
            and not isinstance(value, str))


def _row_labels(frame: pd.DataFrame, spec: Spec) -> list[tuple]:
    """Each row's key values, as a tuple (read column by column: per cell, pandas costs 100 times more)."""
    return list(zip(*(frame[k].tolist() for k in spec.key))) if spec.key else [()] * len(frame)


def _match(labels: list[tuple], spec: Spec, rows) -> list[int]:
    """Row positions selected by ``rows`` (see :class:`Ref`)."""
    if isinstance(rows, str) and rows == LEAVES:
        return [i for i, lab in enumerate(labels) if lab[0] not in spec.non_leaf and lab not in spec.non_leaf]
    if isinstance(rows, Key):
        n = len(rows.values)
        return [i for i, lab in enumerate(labels) if lab[:n] == tuple(rows.values)]
    if isinstance(rows, tuple):
        return [i for r in rows for i in _match(labels, spec, r)]
    return [i for i, lab in enumerate(labels) if lab[0] == rows]


def _total_cell(table: str, total: Total, group) -> Cell:
    return (table, ("Σ", total.name, group), total.name)


def _compile(problem: _Problem, table: str, frame: pd.DataFrame, spec: Spec) -> None:
    missing = [c for c in (*spec.key, *spec.counts) if c not in frame.columns]
    if missing:
        raise ValueError(f"table {table!r} has no column(s) {missing} that its disclosure spec names")
    problem.frames[table], problem.specs[table] = frame, spec
    labels = problem.labels[table] = _row_labels(frame, spec)
    first_relation = len(problem.relations)
    for column in spec.counts:
        for i, value in enumerate(frame[column]):
            if _is_count(value):
                problem.add_cell((table, i, column), int(value))

    def cells(ref: Ref) -> list[Cell]:
        return [(table, i, ref.column) for i in _match(labels, spec, ref.rows)]

    for total in spec.totals:
        leaves = _match(labels, spec, LEAVES)
        by = frame[total.by].tolist() if total.by else None
        groups = sorted({by[i] for i in leaves}) if total.by else [None]
        for group in groups:
            members = [(table, i, total.column) for i in leaves if total.by is None or by[i] == group]
            members = [c for c in members if c in problem.value]
            cell = _total_cell(table, total, group)
            problem.add_cell(cell, sum(problem.value[c] for c in members))
            problem.add_relation(cell, members)
            if not total.shown:
                problem.unshown.add(cell)
    for rel in spec.relations:
        if isinstance(rel, RowTotal):
            totals = _match(labels, spec, rel.row)
            parts = _match(labels, spec, rel.parts)
            for column in rel.columns or spec.counts:
                for t in totals:
                    problem.add_relation((table, t, column), [(table, p, column) for p in parts if p != t])
        elif isinstance(rel, LineTotal):
            for i in range(len(frame)):
                problem.add_relation((table, i, rel.column), [(table, i, p) for p in rel.parts])
        elif isinstance(rel, Sum):
            parts = [c for ref in rel.parts for c in cells(ref)]
            for t in cells(rel.total):
                problem.add_relation(t, parts)
        elif isinstance(rel, Remainder):
            _remainder(problem, table, len(frame), rel)
        else:  # pragma: no cover - a programming error in a spec
            raise TypeError(f"unknown relation {rel!r}")
    for ref in spec.keep:
        problem.keep.update(c for c in cells(ref) if c in problem.value)
    for ref in spec.headline:
        problem.headline.update(c for c in cells(ref) if c in problem.value)
    for ref in spec.public:
        problem.public.update(c for c in cells(ref) if c in problem.value)
    for ref in spec.secret:
        problem.secret.update(c for c in cells(ref) if c in problem.value)
    for ref in spec.known:
        problem.fixed.update(c for c in cells(ref) if c in problem.value)
    for bound in spec.bounds:
        for c in cells(bound.ref):
            if c in problem.value and bound.low <= problem.value[c]:  # (a bound the data break is no knowledge)
                problem.least[c] = bound.low
    for d in spec.derived:
        if d.column not in frame.columns:
            continue
        for i, lab in enumerate(labels):
            sources: set = set()
            for s in d.sources:
                if isinstance(s, Ref):
                    sources.update(cells(s))
                elif any(t.name == s for t in spec.totals):
                    t = next(t for t in spec.totals if t.name == s)
                    sources.add(_total_cell(table, t, frame[t.by].iloc[i] if t.by else None))
                else:
                    sources.add((table, i, s))
            problem.derived[(table, i, d.column)] = {c for c in sources if c in problem.value}
    if spec.answers:
        problem.answers.update(range(first_relation, len(problem.relations)))


def _remainder(problem: _Problem, table: str, rows: int, rel: Remainder) -> None:
    for i in range(rows):
        whole, less = (table, i, rel.column), (table, i, rel.less)
        if whole not in problem.value or less not in problem.value or problem.value[whole] < problem.value[less]:
            continue
        cell = ("Δ", (table, rel.name, i), rel.column)
        problem.add_cell(cell, problem.value[whole] - problem.value[less])
        if rel.secret:
            problem.differences.add(cell)
        elif problem.value[cell] == 0:  # no one enrolled twice: what a reader takes for granted
            problem.fixed.add(cell)
        else:  # unknown to a reader but for being 0 or more, and no one's secret
            problem.unshown.add(cell)
            problem.blind.add(cell)
            problem.public.add(cell)
        problem.add_relation(whole, [less, cell])
        if rel.next is not None and (table, i + 1, rel.next) in problem.value:
            problem.add_relation((table, i + 1, rel.next), [cell, (table, i + 1, rel.added)])


# -- the algorithm ------------------------------------------------------------------------------

#: Cost weights of the secondary choice (sdcTable's cost-based suppression, as lexicographic
#: tiers): an ordinary part costs least, then a total (a sum the reader uses to check and to
#: compare), then a headline cell (the share to work or studies, a question's share positive, a
#: goal's figure), then a base that the text and every share of the table use.
COST_PART, COST_TOTAL, COST_HEADLINE, COST_KEEP, COST_PUBLIC = 1, 10, 100, 1000, 10000


def cost(problem: "_Problem", cell: Cell) -> int:
    """The weight of hiding ``cell`` (see :data:`COST_PART` …)."""
    if cell in problem.public:
        return COST_PUBLIC
    if cell in problem.keep:
        return COST_KEEP
    if cell in problem.headline:
        return COST_HEADLINE
    return COST_TOTAL if cell in problem.totals else COST_PART


def _pick(problem: _Problem, hidden: set, relations) -> Cell | None:
    """The cell to hide next among ``relations``: the visible cell that costs least to hide
    (:func:`cost`; a smaller value first within a cost); a zero only when nothing else is
    (never in consistent data)."""
    best, best_key = None, None
    for total, parts in relations:
        for cell in (total, *parts):
            if cell in hidden or cell in problem.fixed:
                continue
            value = problem.value[cell]
            key = (value == 0, cost(problem, cell), value, problem.order[cell])
            if best_key is None or key < best_key:
                best, best_key = cell, key
    return best


def _close(problem: _Problem, hidden: set) -> None:
    """Secondary suppression: until no relation has exactly one hidden cell."""
    changed = True
    while changed:
        changed = False
        for rel in problem.relations:
            total, parts = rel
            shut = [c for c in (total, *parts) if c in hidden]
            if len(shut) == 1 and shut[0] not in problem.unshown:  # an unshown sum is no secret
                cell = _pick(problem, hidden, [rel])
                if cell is not None:
                    hidden.add(cell)
                    changed = True


def _relation_index(relations) -> dict:
    """Cell -> the positions in ``relations`` of the relations it is in."""
    by_cell: dict = {}
    for k, (t, ps) in enumerate(relations):
        for c in (t, *ps):
            by_cell.setdefault(c, []).append(k)
    return by_cell


def _system(value: Mapping, relations, hidden: set, cell: Cell, lower: Mapping | None, by_cell: dict | None = None,
            big: float | None = None):
    """The integer program around hidden ``cell``: its variables (the hidden cells connected to
    it through relations), their bounds and the relations as equalities; the bound that stands
    for "unbounded"; and the cells the variables stand for. ``by_cell`` is
    :func:`_relation_index` of ``relations`` and ``big`` is :func:`_unbounded` of ``value``, when known.

    The matrix's compressed columns are made here, as scipy's ``csr_array(...).tocsc()`` made
    them (a cell twice in one relation summed, rows in order within a column): the same arrays,
    without scipy's checks around two small conversions (0.25 CPU-ms a program, now 0.18).
    """
    # only the relations connected to ``cell`` through hidden cells matter
    component, frontier, rels = {cell}, [cell], []
    seen_rel: set = set()
    by_cell = _relation_index(relations) if by_cell is None else by_cell
    while frontier:
        c = frontier.pop()
        for k in by_cell.get(c, ()):
            if k in seen_rel:
                continue
            seen_rel.add(k)
            rels.append(relations[k])
            for other in (relations[k][0], *relations[k][1]):
                if other in hidden and other not in component:
                    component.add(other)
                    frontier.append(other)
    variables = sorted(component, key=repr)
    index = {c: j for j, c in enumerate(variables)}
    big = _unbounded(value) if big is None else big
    entries: dict = {}  # (column, row) -> coefficient
    rhs = []
    for r, (t, ps) in enumerate(rels):
        b = 0.0
        for c, sign in ((t, 1.0), *((p, -1.0) for p in ps)):
            if c in index:
                entries[index[c], r] = entries.get((index[c], r), 0.0) + sign
            else:
                b -= sign * value[c]
        rhs.append(b)
    at = sorted(entries)
    start = np.zeros(len(variables) + 1, dtype=np.int64)
    np.cumsum(np.bincount(np.array([j for j, _ in at], dtype=np.int64), minlength=len(variables)), out=start[1:])
    low = np.array([(lower or {}).get(c, 1) for c in variables], dtype=float)
    objective = np.zeros(len(variables))
    objective[index[cell]] = 1.0
    problem = programs.Program(start, np.array([r for _, r in at], dtype=np.int64),
                               np.array([entries[k] for k in at], dtype=float), np.array(rhs, dtype=float), low,
                               np.full(len(variables), float(big)))
    return objective, index[cell], problem, big, variables


def _unbounded(value: Mapping) -> float:
    """The bound that stands for "unbounded": far above any sum of the counts."""
    return 10 * (sum(abs(v) for v in value.values()) + 10)


def _solution(objective, problem: programs.Program) -> np.ndarray:
    """The integer program's best values of its variables (whole numbers).

    The linear program without whole numbers is solved first (by the dual simplex, whose answer
    is a corner of the feasible set): a table's sums make corners whole numbers almost always,
    and a whole-number best answer of the wider program is the integer program's best answer.
    Only when a corner is not whole is the integer program solved (1 time in 800 in the bench's
    reports; the linear program takes about half the time).

    Both go to HiGHS as ``milp`` would pass them, without its overhead (:mod:`evaluation.compute.programs`).
    """
    relaxed, _ = programs.solve(objective, problem, integral=False)
    if relaxed is not None and np.abs(relaxed - np.round(relaxed)).max(initial=0) < 1e-7:
        return np.round(relaxed)
    found, why = programs.solve(objective, problem, integral=True)
    if found is None:
        raise RuntimeError(f"disclosure audit: no solution ({why})")
    return np.round(found)


def _extreme(objective, at: int, problem: programs.Program) -> int:
    """The smallest value of the variable ``at`` (largest with a negated objective)."""
    return int(_solution(objective, problem)[at])


def feasible_range(value: Mapping, relations, hidden: set, cell: Cell, lower: Mapping | None = None):
    """The smallest and largest value of hidden ``cell`` given the visible cells and relations.

    Hidden cells are whole numbers ≥ ``lower[cell]`` (default 1). Returns ``(min, max)``; ``max``
    is ``None`` when unbounded. Uses scipy's MILP solver (HiGHS).
    """
    objective, at, problem, big, _ = _system(value, relations, hidden, cell, lower)
    low_value, high_value = _extreme(objective, at, problem), _extreme(-objective, at, problem)
    return low_value, (None if high_value >= big else high_value)


def _pinned(problem: _Problem, hidden: set, cell: Cell, lower: Mapping, witnessed: set | None = None) -> bool:
    """Whether the visible cells and relations leave hidden ``cell`` only its true value.

    The true value is always possible, so a smaller possible value already answers "no" with
    one solve instead of the two of :func:`feasible_range`. Every solution found is a way the
    hidden cells could be: ``witnessed`` gets each cell it gives another value than the true
    one (those are not pinned either). Each is kept (:attr:`_Problem.witnesses`): it is a way the
    cells could be whenever at least the cells it moved are hidden (:func:`_witnessed`), so a cell
    it moved is not solved for again then (the answer is the same, without the solve).
    """
    value = problem.value
    if _witnessed(problem, hidden, cell, witnessed):
        return False
    objective, at, program, _, variables = _system(value, problem.relations, hidden, cell, lower, problem.by_cell,
                                                  problem.unbounded)
    for sign in (1, -1):
        x = _solved(problem, sign * objective, program)
        moved = frozenset(c for c, v in zip(variables, x) if v != value[c])
        if moved:
            problem.witnesses.append(moved)
        if witnessed is not None:
            witnessed.update(moved)
        if x[at] != value[cell]:
            return False
    return True


def _solved(problem: _Problem, objective, program: programs.Program) -> np.ndarray:
    """:func:`_solution`, once per program (the same arrays, the same answer): the audit asks the
    same question again (the cells that :func:`_first_helping` tries all at once,
    :func:`_helping_together` tries too; a cell still pinned, asked about in the next round), and
    the audit of a report's tables again with a table shown nowhere asks most of the first one's
    (:func:`evaluation.compute.disclosure.protect` keeps them for both): the 48 bench reports
    solved 2 793 programs, now 2 419."""
    key = (objective.tobytes(), *(part.tobytes() for part in program))
    if key not in problem.solutions:
        problem.solutions[key] = _solution(objective, program)
    return problem.solutions[key]


def _witnessed(problem: _Problem, hidden: set, cell: Cell, witnessed: set | None) -> bool:
    """Whether a way found before gives ``cell`` another value and moves only cells that are
    hidden now (:attr:`_Problem.witnesses`); ``witnessed`` gets every cell that way moved.

    A way holds whatever else is hidden: the cells it leaves at their true values satisfy every
    relation shown or not, and each cell it moved is a whole number at least as large as its
    least value (:meth:`_Problem.lowest`, the same whatever is hidden). So it answers for more
    cases than for ``hidden`` holding every cell hidden when it was found (as it did before):
    also when some of those are shown, as when :func:`_helping_together` shows a cell again or
    :func:`_first_helping` tries half of the cells. 12 of the bench's reports: 35 linear programs
    a report, now 28 (the audit 0.076 CPU-s a report, now 0.065).
    """
    for moved in problem.witnesses:
        if cell in moved and moved <= hidden:
            if witnessed is not None:
                witnessed.update(moved)
            return True
    return False


def _revealed(problem: _Problem, hidden: set, free: set) -> Cell | None:
    """The first sensitive count (hidden for what it is: :attr:`_Problem.sensitive`) whose value
    the visible cells and relations pin down, if any. A count hidden only to protect another may
    be pinned: it is no secret (the number of all who ended, hidden in one table, is shown in
    six others), and hiding it everywhere would hide every table.

    ``free`` holds the cells found not pinned before (and gets those found now). Hiding more
    only widens what a hidden cell can be (a newly hidden cell may still take its true value),
    so a cell once free stays free and is not solved for again: the same answer, with a solve
    per hidden cell instead of one per hidden cell and round. A solution found for one cell that
    gives another cell another value frees that one too, unsolved.

    One cell at a time, not every cell of a round side by side in one program: a solution for
    one cell frees most of the cells around it unsolved, and solved side by side they were each
    solved, the whole component copied once per cell (a test's sub-insats tables took 274 s
    instead of 34).
    """
    lower = {c: problem.lowest(c) for c in hidden}
    for cell in sorted(problem.sensitive - free, key=problem.order.get):
        if cell in free:  # another cell's solution gave it another value
            continue
        if _pinned(problem, hidden, cell, lower, witnessed=free):
            return cell
        free.add(cell)
    return None


def _candidates(problem: _Problem, hidden: set, cell: Cell) -> list[Cell]:
    """The visible cells of the relations around pinned ``cell``, widening through hidden cells
    layer by layer, cheapest first (:func:`cost`, then nearer, smaller, earlier); zeros last."""
    reached, layer, found = {cell}, [cell], {}
    depth = 0
    while layer:
        rels = [problem.relations[k] for k in sorted({k for c in layer for k in problem.by_cell.get(c, ())})]
        for total, parts in rels:
            for c in (total, *parts):
                if c not in hidden and c not in found and c not in problem.fixed:
                    found[c] = (problem.value[c] == 0, cost(problem, c), depth, problem.value[c], problem.order[c])
        layer = [c for r in rels for c in (r[0], *r[1]) if c in hidden and c not in reached]
        reached.update(layer)
        depth += 1
    return sorted(found, key=found.get)


def _unpinning_choice(problem: _Problem, hidden: set, cell: Cell) -> set[Cell] | None:
    """The cells to hide because ``cell`` is pinned: the cheapest candidate (:func:`_candidates`)
    whose hiding leaves ``cell`` more than one value, so a cheap cell that would not help is not
    hidden in vain (sdcTable's cost-based choice, checked by the same integer program); when no
    single cell helps, the fewest that help together (:func:`_helping_together`), widening the
    cells tried ring by ring and at last to every cell this report shows (hiding the cheapest cell
    and trying again, as before, hid a whole table of a two-year report, one cell at a time, for a
    count of its first year that cells further away protect). A zero is tried only when nothing
    else is left: hidden, it would help by the room a zero leaves (0 or more), but a reader who
    knows that hidden counts are at least 1 would take that room away; a count hidden instead
    helps against that reader too. ``None`` when every cell around is hidden already or another
    report's (:attr:`_Problem.fixed`), or when nothing this report hides would unpin it
    (:func:`_beyond_reach`)."""
    candidates = _candidates(problem, hidden, cell)
    if not candidates:
        return None
    counts = [c for c in candidates if problem.value[c] != 0] or candidates
    lower = {c: problem.lowest(c) for c in hidden}
    helping = _first_helping(problem, hidden, cell, lower, counts)
    if helping is not None:
        return {helping}
    together = _helping_together(problem, hidden, cell, lower, counts)
    if together is None and _beyond_reach(problem, cell):
        return None
    wider = list(candidates)
    for _ in range(_WIDER):  # the cells around, hidden, bring the next ones into play: add them
        if together is not None:
            return together
        more = [c for c in _candidates(problem, hidden | set(wider), cell) if c not in wider]
        if not more:
            break
        wider += more
        together = _helping_together(problem, hidden, cell, lower, wider)
    if together is None:  # further away than the rings: the fewest of every cell this report shows
        rest = sorted((c for c in problem.value if c not in hidden and c not in problem.fixed),
                      key=lambda c: (problem.value[c] == 0, cost(problem, c), problem.value[c], problem.order[c]))
        together = _helping_together(problem, hidden, cell, lower, rest)
        if together is None and cell not in problem.subtracted:
            problem.subtracted.add(cell)
            together = _against_subtraction(problem, hidden, cell, rest)
    return together


def _against_subtraction(problem: _Problem, hidden: set, cell: Cell, tries: list) -> set[Cell] | None:
    """The fewest of ``tries`` that unpin ``cell`` for a reader who takes this report's hidden
    counts as unknown (0 or more), once per cell: what a reader subtracts. Used when nothing
    unpins it for one who also knows each of them to be 1 or more (:attr:`_Problem.lowest`):
    together with the other reports' hidden counts, 1 or more each, those bounds pinned a
    half-year's 2 ended, and the audit left the year's pågående, which gave it by one subtraction
    (14 enrolled less the 12 the year shows). The solutions found so are not kept (their bounds
    are not the audit's)."""
    weak = {c: problem.lowest(c) if c in problem.elsewhere else 0 for c in problem.value if c not in problem.fixed}
    kept = list(problem.witnesses)
    try:  # the cells around it first (a few solves), then all
        if not _pinned(problem, hidden, cell, weak):
            return None  # nothing to subtract: only those bounds pin it
        around = _candidates(problem, hidden, cell)
        return _helping_together(problem, hidden, cell, weak, around) or _helping_together(problem, hidden, cell, weak, tries) or None
    finally:
        problem.witnesses[:] = kept


#: How many times the audit widens the cells it tries together around a pinned count.
_WIDER = 3


def _beyond_reach(problem: _Problem, cell: Cell) -> bool:
    """Whether ``cell`` stays pinned with every cell of this report hidden: what the other reports
    publish gives it (:attr:`_Problem.fixed`; a zero there, the one of unknown gender who did not
    end, gives their zeros in every exit reason), and hiding here would only hide, cell after cell,
    without protecting it. One integer program. Its reader knows no more than the other reports
    tell: this report's tables, all hidden, would be shown nowhere, and a difference between
    reports is not known to be 1 or more (taken so, they pinned a count that the tables around it
    could protect, and the audit left it)."""
    everything = {c for c in problem.value if c not in problem.fixed}
    kept = list(problem.witnesses)  # its ways, found with lower bounds the audit does not use, are not kept
    try:
        return _pinned(problem, everything, cell, {c: problem.lowest(c) if c in problem.elsewhere else 0 for c in everything})
    finally:
        problem.witnesses[:] = kept


def _helping_together(problem: _Problem, hidden: set, cell: Cell, lower: Mapping, tries: list) -> set[Cell] | None:
    """Cells of ``tries`` (cheapest first) that leave ``cell`` more than one value together when
    none does alone: all of them, less each one, costliest first, that is not needed; ``None``
    when all of them together do not. Hiding one cell at a time instead, the cheapest that does
    not help, hid every table of a register of 47 before two hidden cells unpinned a third."""
    widened = {**lower, **{c: problem.lowest(c) for c in tries if c not in lower}}
    if _pinned(problem, hidden | set(tries), cell, widened):
        return None
    chosen = list(tries)
    for c in reversed(tries):
        rest = [x for x in chosen if x != c]
        if not _pinned(problem, hidden | set(rest), cell, widened):
            chosen = rest
    return set(chosen)


def _first_helping(problem: _Problem, hidden: set, cell: Cell, lower: Mapping, tries: list) -> Cell | None:
    """The first of ``tries`` whose hiding alone leaves ``cell`` more than one value, if any.

    Hiding more only widens what ``cell`` can be, so when ``tries`` hidden all at once leave it
    pinned, none of them alone unpins it: the tries are tested a group at a time, halving a group
    that does unpin it. The same answer as trying them one by one, with fewer integer programs
    where most do not help.
    """
    widened = {**lower, **{c: problem.lowest(c) for c in tries}}
    if _pinned(problem, hidden | set(tries), cell, widened):
        return None
    if len(tries) == 1:
        return tries[0]
    half = len(tries) // 2
    found = _first_helping(problem, hidden, cell, lower, tries[:half])
    return found if found is not None else _first_helping(problem, hidden, cell, lower, tries[half:])


def _small_groups(problem: _Problem, primary: set) -> set:
    """The zero parts of the relations between answers whose total is ``primary`` (step 1)."""
    return {p for k in problem.answers for total, parts in [problem.relations[k]] if total in primary
            for p in parts if problem.value[p] == 0 and p not in problem.public and p not in problem.fixed}


def _protect(problem: _Problem, min_cell: int) -> tuple[set, set]:
    # a difference no table shows: secret when small (primary, and audited), else only unknown
    problem.unshown |= {c for c in problem.differences if not 1 <= problem.value[c] < min_cell}
    primary = {c for c, v in problem.value.items()
               if min_cell > 1 and 1 <= v < min_cell and c not in problem.public and c not in problem.fixed}
    primary |= {c for c in problem.secret if min_cell > 1}  # a 0 too: the other report hid it
    problem.loose = {p for k in problem.answers for total, parts in [problem.relations[k]] if total in primary
                     for p in parts}
    primary |= _small_groups(problem, primary)
    if not primary:
        return primary, set()
    hidden = primary | problem.unshown
    problem.sensitive = set(primary)
    problem.by_cell = _relation_index(problem.relations)
    problem.unbounded = _unbounded(problem.value)
    free: set = set()
    while True:
        _close(problem, hidden)
        cell = _revealed(problem, hidden, free)
        if cell is None:
            return primary, hidden
        chosen = _unpinning_choice(problem, hidden, cell)
        if chosen is not None:
            hidden |= chosen
        else:
            # every cell around is hidden or another report's: what those reports publish gives
            # it, and nothing this report hides can change that (a zero there tells of no one)
            free.add(cell)


def _result(problem: _Problem, table: str, primary: set, hidden: set) -> Suppressed:
    """``table``'s outcome. Its masks are filled as arrays and made frames once (set a cell at a
    time through pandas, 4.6 CPU-ms a bench report; now 2.5)."""
    frame = problem.frames[table]
    hid, pri = np.zeros(frame.shape, dtype=bool), np.zeros(frame.shape, dtype=bool)
    for cells, target in ((hidden, hid), (primary, pri)):
        for t, row, column in cells:
            if t == table and isinstance(row, int):
                target[row, frame.columns.get_loc(column)] = True
    for (t, row, column), sources in problem.derived.items():
        if t == table and sources & hidden:
            hid[row, frame.columns.get_loc(column)] = True
    totals = frozenset((row[1], row[2]) for t, row, _ in hidden if t == table and isinstance(row, tuple))
    return Suppressed(frame, *(pd.DataFrame(mask, index=frame.index, columns=frame.columns) for mask in (hid, pri)),
                      totals)


def suppress(frame: pd.DataFrame, spec: Spec | None, min_cell: int, table: str = "") -> Suppressed:
    """Primary and secondary suppression of one table (see the module docstring)."""
    return suppress_together({table: frame}, min_cell, specs={table: spec}, links=())[table]


def suppress_together(frames: Mapping[str, pd.DataFrame], min_cell: int, specs: Mapping[str, "Spec | None"],
                      links: Iterable["Link"], unshown: Iterable[str] = (),
                      fixed: Mapping[str, pd.DataFrame] | None = None,
                      solved: dict | None = None) -> dict[str, Suppressed]:
    """Suppression of several tables together, so that no table gives back a cell hidden in
    another: ``specs`` by table id (a table without one, no counts of people, comes back with
    nothing hidden) and the ``links`` between the tables. The tables named in ``unshown`` are
    shown nowhere: their cells are counts no table shows (hidden when small, else unknown), and
    their relations still bind the others (the whole less the other sub-insatser is one of them).
    The tables in ``fixed`` are another report's, with the cells it hides (a boolean frame): what
    it shows is never hidden here, and what it hides is unknown here and, when few, protected
    here too (only this report's cells are hidden to protect what the two give together).
    ``solved``: the programs solved before and their solutions (:func:`_solved`), kept in it."""
    frames = {t: f.reset_index(drop=True) for t, f in frames.items()}
    problem = _Problem(solutions={} if solved is None else solved)
    for table, frame in frames.items():
        spec = specs.get(table)
        if spec is None:
            problem.frames[table] = frame
            continue
        _compile(problem, table, frame, spec)
    for link in links:
        (_nested if isinstance(link, Nested) else _link)(problem, link)
    unshown = set(unshown)
    problem.blind |= {c for c in problem.value if c[0] in unshown}
    problem.differences |= problem.blind
    fixed = dict(fixed or {})
    there = {c for c in problem.value if c[0] in fixed}
    cells_there = {t: mask.to_numpy(dtype=bool) for t, mask in fixed.items()}
    hidden_there = {c for c in there if _hidden_there(problem, c, fixed[c[0]], cells_there[c[0]])}
    problem.fixed |= there - hidden_there
    problem.elsewhere |= hidden_there
    # a table that report shows nowhere: its cells are not known to be 1 or more (taken so, they
    # pinned that report's hidden 2 as its rows' 1 + 1, and the audit left it as given there)
    problem.blind |= {c for c in hidden_there if fixed[c[0]].attrs.get(SHOWN_NOWHERE)}
    problem.differences |= hidden_there  # unknown here; the few, this report must not give back
    primary, hidden = _protect(problem, min_cell)
    hidden -= _copies_shown(problem, hidden)
    return {t: _result(problem, t, primary, hidden) for t in frames}


def _hidden_there(problem: _Problem, cell: Cell, mask: pd.DataFrame, cells: np.ndarray) -> bool:
    """Whether another report hides ``cell`` of its table: a cell as its ``mask`` says, a total
    when no output shows it or that report hides it (``mask.attrs``, :data:`HIDDEN_TOTALS`). Its
    hidden totals taken as known (the ended per gender of its exit reasons, which no table shows)
    had a count that the report hides seem given by it, and this report left it unprotected.
    ``cells`` is ``mask`` as an array (read a cell at a time through pandas, the masks took
    4 CPU-ms a bench report)."""
    table, row, column = cell
    if isinstance(row, int):
        return bool(cells[row, mask.columns.get_loc(column)])
    name, group = row[1], row[2]
    total = next((t for t in problem.specs[table].totals if t.name == name), None)
    return total is None or not total.shown or (name, group) in set(mask.attrs.get(HIDDEN_TOTALS, ()))


def _copies_shown(problem: _Problem, hidden: set) -> set:
    """Hidden cells that are copies of a visible one: a cell equal to another by a relation of one
    part (the trend's row of the period and the result's Arbete eller studier), or totals of the
    same parts (the result base in every row); one number. Hiding a copy protects nothing while
    another shows it: a reviewer read the base that some rows hid from the rows that showed it,
    and saw a result table hidden whole beside a trend that showed its headline."""
    group: dict = {}

    def root(c):
        while group.get(c, c) != c:
            c = group[c]
        return c

    def join(a, b):
        group.setdefault(a, a)
        group.setdefault(b, b)
        if root(a) != root(b):
            group[root(a)] = root(b)

    by_parts: dict = {}
    for total, parts in problem.relations:
        if len(parts) == 1:
            join(total, parts[0])
        by_parts.setdefault(tuple(sorted(parts, key=repr)), []).append(total)
    for totals in by_parts.values():
        for other in totals[1:]:
            join(totals[0], other)
    shown = {root(c) for c in group if c not in hidden}
    return {c for c in group if c in hidden and c not in problem.sensitive and root(c) in shown}


# -- relations between tables ---------------------------------------------------------------------

@dataclass(frozen=True)
class Link:
    """``total`` (cells of one table) = Σ ``parts`` (cells of other tables): ``(table, Ref)``."""

    total: tuple[str, Ref]
    parts: tuple[tuple[str, Ref], ...]


#: ``frame.attrs`` key of a protected frame, and of another report's hidden cells
#: (``suppress_together``'s ``fixed``): its hidden totals, ``(name, group)``.
HIDDEN_TOTALS = "dolda_summor"
#: ``frame.attrs`` key of another report's hidden cells: ``True`` when that report shows the table
#: nowhere (a sentence instead): a reader cannot tell which of its rows there are, nor a 0.
SHOWN_NOWHERE = "visas_inte"

#: ``Ref(name, TOTAL_OF)`` in a :class:`Link`: the table's :class:`Total` called ``name`` (no ``by``).
TOTAL_OF = "__total__"


def _link_cells(problem: _Problem, table: str, ref: Ref) -> list[Cell]:
    """The cells of ``ref``; a ``column`` that names a :class:`Total` with ``by`` is that total's
    cell for the group ``rows``, one that names a :class:`Remainder` its count in ``rows``."""
    if table not in problem.specs:
        return []
    spec = problem.specs[table]
    total = next((t for t in spec.totals if t.name == ref.column and t.by), None)
    if isinstance(ref.rows, str) and ref.rows == TOTAL_OF:
        cell = (table, ("Σ", ref.column, None), ref.column)
        return [cell] if cell in problem.value else []
    if total is not None:
        cell = _total_cell(table, total, ref.rows)
        return [cell] if cell in problem.value else []
    remainder = next((r for r in spec.relations if isinstance(r, Remainder) and r.name == ref.column), None)
    rows = _match(problem.labels[table], spec, ref.rows)
    if remainder is not None:  # a Remainder's name: its count in those rows, which no table shows
        cells = [("Δ", (table, remainder.name, i), remainder.column) for i in rows]
        return [c for c in cells if c in problem.value]
    return [(table, i, ref.column) for i in rows]


def _link(problem: _Problem, link: Link) -> None:
    totals = _link_cells(problem, *link.total)
    if not totals:
        return
    parts = [c for table, ref in link.parts for c in _link_cells(problem, table, ref)]
    for t in totals:
        problem.add_relation(t, parts)


@dataclass(frozen=True)
class Nested:
    """Two tables that count the same categories, the people of one among the people of the
    other (those who ended with the försörjning known, among all who ended): ``pairs`` of
    ``((table, Ref), ((table, Ref), ...))``, a cell of one table and the cells of the other that
    count the same category (summed: a group row of one may be several rows of the other).

    The difference of a pair counts the people of the larger table but not the smaller in that
    category: a count no table shows, which the visible cells give back (differencing). It is a
    count like any other: hidden when small (and so are cells around it, until it cannot be read
    back), else unknown. Used only when every pair differs the same way (one table is at least the
    other in every category; else the people are not nested, and a difference counts no one).
    """

    name: str
    pairs: tuple


def _nested(problem: _Problem, nested: Nested) -> None:
    pairs = []
    for (table, ref), others in nested.pairs:
        one = [c for c in _link_cells(problem, table, ref) if c in problem.value]  # (not a missing value)
        many = [c for other in others for c in _link_cells(problem, *other) if c in problem.value]
        if len(one) == 1 and many and one[0] not in many:
            pairs.append((one[0], many))
    differences = [problem.value[a] - sum(problem.value[c] for c in b) for a, b in pairs]
    flipped = all(d <= 0 for d in differences)
    if not (flipped or all(d >= 0 for d in differences)):
        return  # not nested: a difference is no count of people
    for k, ((one, many), difference) in enumerate(zip(pairs, differences)):
        cell = ("Δ", (nested.name, k), "antal")
        problem.add_cell(cell, abs(difference))
        problem.differences.add(cell)
        summed = many[0]
        if len(many) > 1:  # the sum of the many, which no table shows
            summed = ("Δ", (nested.name, k, "Σ"), "antal")
            problem.add_cell(summed, sum(problem.value[c] for c in many))
            problem.unshown.add(summed)
            problem.add_relation(summed, many)
        larger, smaller = (summed, one) if flipped else (one, summed)
        problem.add_relation(larger, [smaller, cell])
