"""The relations between this report's count tables and those of the insats's other reports
(:func:`overlap_links`): what happens in a period adds up over the periods that make it up and is
nested in a longer one; enrolments carry over from one report into the next; the rows of
*Nyckeltal per period* are periods too. Each report's own relations are :mod:`evaluation.compute.links`;
which reports are beside this one, and how, :mod:`evaluation.sections.siblings`.
A relation is used only where the data satisfy it.
"""
from __future__ import annotations

from typing import Mapping, NamedTuple

import pandas as pd

from evaluation.compute.catalogue import BEFORE_THE_PERIOD, EXIT_REASONS, GROUPS_ATTR, TREND_CELLS, WORK_OR_STUDIES, WORK_OR_STUDIES_ROW
from evaluation.compute.suppression import Key, Link, Nested, Ref

__all__ = ["Beside", "overlap_links"]


#: What happens in a period, by table: the columns and the rows (by the table's key) that count it.
#: A count of those who started or ended in a period is the sum of its counts over the parts of
#: the period; what is current at a day (participants, pågående) is not. A sub-insats's own
#: tables are as the whole's (:func:`_of_a_period`).
_IN_A_PERIOD = {"deltagare_kon": ("kon", ("nya", "avslutade")),
                "resultat": ("kategori", ("antal",)),
                "avslutsanledning_kon": (("avslutsanledning", "kon"), ("antal",)),
                "delinsatser": ("delinsats", ("nya", "avslutade")),
                # at exit and after m months (its count columns, ``antal_<time>``), and the
                # follow-ups made in the period
                "effekter": ("grupp", None),
                "uppfoljning": (("manader", "status"), ("antal",))}


class Beside(NamedTuple):
    """Another report of the insats, beside which this one is protected (:mod:`evaluation.sections.siblings`):
    its count tables before protection and the cells it hides (boolean frames); its period lies
    within this one's (``tiles``: with the others so marked it makes up this period, day by
    day; ``same_start``, ``same_end``: it begins, or ends, on this one's day), or ends the day
    before this one begins (``before``), or earlier (``made_of_trend``; ``carries_into``: a chain
    of reports before that one), or lies within a row of this one's ``trend`` (``in_row``); the
    other fields tell how the rows of the two reports' trends relate."""

    label: str
    frames: Mapping[str, pd.DataFrame]
    hidden: Mapping[str, pd.DataFrame]
    tiles: bool = False
    before: bool = False
    same_start: bool = False
    same_end: bool = False
    #: ``(period, tiles)`` of the rows of its ``trend`` within the period it lies in (a period
    #: without a report of its own); ``tiles``: with the others so marked it makes up that period
    trend_rows: tuple = ()
    #: it ends before this one begins, and these rows of this one's ``trend`` make up its period
    made_of_trend: tuple = ()
    #: the row of this one's ``trend`` its period lies within ("": none); ``tiles`` and
    #: ``trend_rows`` then tell of that row's period, not this one's
    in_row: str = ""
    #: ``(period, rows)``: a row of its ``trend`` that these rows of this one's ``trend`` make up
    rows_made_of_trend: tuple = ()
    #: ``(period, rows)``: a row of this one's ``trend`` that these rows of its ``trend`` make up
    trend_made_of_rows: tuple = ()
    #: it ends the day before the report of this label begins (a chain before the one just before)
    carries_into: str = ""
    #: ``(period, label, rows)``: a row of its ``trend`` that these rows of the report ``label``'s make up
    rows_made_of_others: tuple = ()
    #: the row of its ``trend`` that ends the day before this one begins ("": none)
    row_before: str = ""
    #: the row of this one's ``trend`` that ends the day before it begins ("": none)
    row_before_theirs: str = ""


def overlap_links(own: Mapping[str, pd.DataFrame], beside: list[Beside]) -> list:
    """The relations between this report's count tables and the other reports' (their tables are
    ``"<label>:<id>"``):

    - a report within this one's period: per cell of what happens in a period, the difference
      with the same cell there, one :class:`Nested` each (a row one report merged into Övrigt,
      or grouped, and the other did not, is no one group in both: its sign decides, and a
      difference that is no count only hides more). Of ``resultat``'s other rows, only the groups
      of exit reasons are counts of a period (:func:`_period_cells`);
    - reports that make up this one's period: each such cell is the sum of theirs (rows of their
      ``trend`` for periods without a report of their own among them, ``Beside.trend_rows``);
    - an earlier report whose period rows of this one's ``trend`` make up: its counts are theirs
      (:func:`_made_of_trend`);
    - the enrolments two reports share (:func:`_same_people`): the report of the period just
      before, one that begins on the same day, one that ends on the same day; and those before
      it, each carrying its pågående into the next (:func:`_carried`);
    - rows of *Nyckeltal per period*: a report within one of this one's rows (:func:`_in_row`),
      rows of one report's trend that rows of another's make up (:func:`_rows_made_of_trend`),
      and a row that ends the day before a report begins (:func:`_carried_from_a_row`).
    """
    links: list = []
    cells = list(_period_cells(own))
    for b in beside:
        links += _same_people(own, b)
        if b.made_of_trend:
            links += _made_of_trend(own, b)
        if b.in_row:
            links += _in_row(own, b)
        links += _rows_made_of_trend(own, b) + _carried_from_a_row(own, b)
        if b.carries_into:
            links += _carried(b)
        if b.before or b.made_of_trend or b.in_row or b.carries_into:
            continue
        rows = {table: _row_keys(b.frames.get(table), table) for table in dict.fromkeys(t for t, _ in cells)}
        for table, ref in cells:
            if (ref.rows.values if isinstance(ref.rows, Key) else (ref.rows,)) in rows[table]:
                links.append(Nested(f"{b.label}:{table}:{ref}", (((table, ref), ((f"{b.label}:{table}", ref),)),)))
        for period, _ in b.trend_rows:  # a row of its trend within this period
            for (table, ref), column in _IN_TREND.items():
                if table in own:
                    links.append(Nested(f"{b.label}:trend:{period}:{ref}", (((table, ref), ((f"{b.label}:trend", Ref(column, period)),)),)))
    for row in dict.fromkeys(("", *(b.in_row for b in beside))):
        members = [b for b in beside if b.in_row == row]
        parts = [b for b in members if b.tiles]
        rows = [(f"{b.label}:trend", period) for b in members for period, tiles in b.trend_rows if tiles]
        if len(parts) + len(rows) < 2:
            continue
        wholes = cells if row == "" else [cell for cell in _IN_TREND if "trend" in own]
        for table, ref in wholes:
            if (rows or row) and (table, ref) not in _IN_TREND:
                continue  # the trend shows no such count
            column = _IN_TREND.get((table, ref))
            whole = (table, ref) if row == "" else ("trend", Ref(column, row))
            links.append(Link(whole, (*((f"{b.label}:{table}", ref) for b in parts),
                                      *((trend, Ref(column, period)) for trend, period in rows))))
    return links


#: The cells of a period's counts that ``trend`` shows per period: cell → its column there.
_IN_TREND = {(table, Ref(source, row)): column for column, (table, source, row) in TREND_CELLS.items() if column != "deltagare"}


def _same_people(own: Mapping[str, pd.DataFrame], b: Beside) -> list[Link]:
    """The enrolments that two reports share, per gender in *Deltagare per kön* and in each
    sub-insats's own (``deltagare_kon_<slug>``, which *Deltagare per delinsats* sums): the report
    just before's pågående are this one's enrolments less its new ones; a report that begins on
    this one's day has the same enrolled before (enrolments less new ones, a count no table
    shows), one that ends on this one's day the same pågående (a sub-insats's 11 enrolled in 2024
    less the 9 pågående that 2023–2024 shows gave its hidden 2 ended)."""
    links: list[Link] = []
    for table in [t for t in own if _of_a_period(t) == "deltagare_kon"]:
        theirs = b.frames.get(table)
        if theirs is None:
            continue
        there = f"{b.label}:{table}"
        for gender in [g for g in own[table]["kon"] if g in set(theirs["kon"])]:
            enrolled, new = (table, Ref("inskrivningar", gender)), (table, Ref("nya", gender))
            if b.before:
                links.append(Link(enrolled, (new, (there, Ref("pagaende", gender)))))
            if b.same_start:
                links.append(Link(enrolled, (new, (there, Ref(BEFORE_THE_PERIOD, gender)))))
            if b.same_end:
                links.append(Link((table, Ref("pagaende", gender)), ((there, Ref("pagaende", gender)),)))
    return links


def _carried(b: Beside) -> list[Link]:
    """A report ``b`` that ends the day before the report ``b.carries_into`` begins: that report's
    enrolments of a gender (in all, and per sub-insats) are its new ones and ``b``'s pågående."""
    links = []
    for table in [t for t in b.frames if _of_a_period(t) == "deltagare_kon"]:
        after = f"{b.carries_into}:{table}"
        links += [Link((after, Ref("inskrivningar", gender)), ((after, Ref("nya", gender)), (f"{b.label}:{table}", Ref("pagaende", gender))))
                  for gender in b.frames[table]["kon"]]
    return links


def _carried_from_a_row(own: Mapping[str, pd.DataFrame], b: Beside) -> list[Link]:
    """Those still enrolled when a row of a ``trend`` ends (``kvar``: its participants less its
    ended, when no one was enrolled twice) are the enrolments less the new ones of the report that
    begins the next day: this one's beside ``b``'s row (``b.row_before``), ``b``'s beside this
    one's row (``b.row_before_theirs``). A slutrapport from 2022 had 16 people; the yearly reports'
    trend showed 2021's 3 still enrolled, 2022's and 2024's 6 new each: 2023's hidden 1 new."""
    links = []
    for table, trend, row in (("deltagare_kon", f"{b.label}:trend", b.row_before),
                              (f"{b.label}:deltagare_kon", "trend", b.row_before_theirs)):
        if row and "trend" in (own if trend == "trend" else b.frames):
            links.append(Link((table, Ref("inskrivningar", "Totalt")), ((table, Ref("nya", "Totalt")), (trend, Ref("kvar", row)))))
    return links


def _rows_made_of_trend(own: Mapping[str, pd.DataFrame], b: Beside) -> list:
    """Rows of ``b``'s ``trend`` that rows of this one's make up (``b.rows_made_of_trend``), the
    other way round (``b.trend_made_of_rows``), and those that rows of a third report's make up
    (``b.rows_made_of_others``): each count is their sum, and less one of them
    counts the others' people (2022's 6 new in the yearly report's trend less its second half's 5
    in this half-year's)."""
    links: list = []
    theirs, ours = f"{b.label}:trend", "trend"
    made_of = [(theirs, f"{other}:trend", ((period, parts),)) for period, other, parts in b.rows_made_of_others]
    if "trend" in own:
        made_of += [(theirs, ours, b.rows_made_of_trend), (ours, theirs, b.trend_made_of_rows)]
    for whole_of, part_of, made in made_of:
        for period, parts in made:
            for column in _IN_TREND.values():
                links += _sum_of((whole_of, Ref(column, period)),
                                 [((part_of, Ref(column, p)), f"{whole_of}:{period}:{column}:{part_of}:{p}") for p in parts])
    return links


def _sum_of(whole: tuple, parts: list[tuple[tuple, str]]) -> list:
    """``whole`` is the sum of the cells of ``parts``, and less any one of them it counts the
    people of the others (a :class:`Nested`, named by the part's label)."""
    return [Link(whole, tuple(cell for cell, _ in parts)), *(Nested(label, ((whole, (cell,)),)) for cell, label in parts)]


def _in_row(own: Mapping[str, pd.DataFrame], b: Beside) -> list[Nested]:
    """A report ``b`` within a row of this report's ``trend`` (``b.in_row``: a half-year of an
    earlier year), and the rows of its own trend within that row: the row's count less theirs
    counts the people of the rest of the row (2023's 7 new less the second half's, whose report
    shows its first half's)."""
    if "trend" not in own:
        return []
    links = []
    for (table, ref), column in _IN_TREND.items():
        row = ("trend", Ref(column, b.in_row))
        if table in b.frames:
            links.append(Nested(f"{b.label}:{table}:{ref}:{b.in_row}", ((row, ((f"{b.label}:{table}", ref),)),)))
        links += [Nested(f"{b.label}:trend:{period}:{ref}:{b.in_row}", ((row, ((f"{b.label}:trend", Ref(column, period)),)),))
                  for period, _ in b.trend_rows]
    return links


def _made_of_trend(own: Mapping[str, pd.DataFrame], b: Beside) -> list:
    """An earlier report ``b`` whose period rows of this report's ``trend`` make up
    (``b.made_of_trend``): each of its counts that the trend shows is their sum, and less one of
    them counts the people of the others (the 2023 report's 4 ended less the first half-year's 3
    in the 2024 half-year's trend)."""
    if "trend" not in own:
        return []
    links: list = []
    for (table, ref), column in _IN_TREND.items():
        if table in b.frames:
            links += _sum_of((f"{b.label}:{table}", ref),
                             [(("trend", Ref(column, p)), f"{b.label}:{table}:{ref}:{p}") for p in b.made_of_trend])
    return links


def _period_cells(own: Mapping[str, pd.DataFrame]):
    """``(table, Ref)`` of this report's counts of what happens in its period (:data:`_IN_A_PERIOD`):
    in ``resultat`` the exit reasons, those left out, and the groups of exit reasons (Arbete eller
    studier; not a group with Pågående, which is no count of what happens in a period)."""
    groups = {WORK_OR_STUDIES_ROW: WORK_OR_STUDIES,
              **(own["resultat"].attrs.get(GROUPS_ATTR) or {} if "resultat" in own else {})}
    exit_groups = [name for name, members in groups.items() if set(members) <= set(EXIT_REASONS)]
    for table in own:
        if _of_a_period(table) is None:
            continue
        key, columns = _IN_A_PERIOD[_of_a_period(table)]
        keys = (key,) if isinstance(key, str) else key
        if columns is None:
            columns = [c for c in own[table].columns if c.startswith("antal_")]
        for row in own[table][list(keys)].itertuples(index=False):
            row = tuple(row)
            if _of_a_period(table) == "resultat" and row[0] not in (*EXIT_REASONS, "Ej i resultatet", *exit_groups):
                continue
            for column in columns:
                yield table, Ref(column, row[0] if len(row) == 1 else Key(row))
    if "resultat" in own:  # the result's base: those who ended in the period (less the few left out)
        yield "resultat", Ref("bas", WORK_OR_STUDIES_ROW)


def _of_a_period(table: str) -> str | None:
    """The entry of :data:`_IN_A_PERIOD` for ``table``: a sub-insats's own tables
    (``deltagare_kon_<slug>``, ``resultat_<slug>``) count as the whole's do."""
    for whole in ("deltagare_kon", "resultat"):
        if table.startswith(f"{whole}_"):
            return whole
    return table if table in _IN_A_PERIOD else None


def _row_keys(frame: pd.DataFrame | None, table: str) -> set[tuple]:
    """The rows of ``frame`` (a table of :data:`_IN_A_PERIOD`), each as the tuple of its key
    columns' values; none when there is no such table. Made once per table: looking each cell's
    row up in the frame again cost a tenth of what a report's links cost."""
    if frame is None:
        return set()
    keys = _IN_A_PERIOD[_of_a_period(table)][0]
    keys = (keys,) if isinstance(keys, str) else keys
    return {tuple(r) for r in frame[list(keys)].itertuples(index=False)}
