"""The relations between the report's count tables (:func:`table_links`): the same people
counted in two tables, a table that is the sum of others, one group within another
(:class:`~evaluation.compute.suppression.Nested`), in the terms of
:mod:`evaluation.compute.suppression`; each table's own arithmetic is :mod:`evaluation.compute.catalogue`.
A relation is used only where the data satisfy it.
"""
from __future__ import annotations

from typing import Mapping, NamedTuple

import pandas as pd

from evaluation.core import vocab
from evaluation.compute.catalogue import (BEFORE_THE_PERIOD, BETTER_ATTR, DELINSATSER, EXIT_GROUPS_ATTR, EXIT_REASONS, GROUPS_ATTR,
                                          MERGED_ATTR, PER_GENDER, PER_REASON, WORK_OR_STUDIES, spec_for)
from evaluation.compute.suppression import TOTAL_OF, Key, Link, Nested, Ref


#: effekter group -> exit reasons / follow-up statuses (as in evaluation.sections.effects)
_EXIT_GROUPS = {"Arbete eller studier": WORK_OR_STUDIES, "Aktivt arbetssökande": ("Aktivt arbetssökande",),
                "Fortsatt rehabilitering": ("Fortsatt rehabilitering",), "Sjukdom": ("Sjukdom",),
                "Övrigt": ("Flyttat", "Övrigt"), "Pågående": ("Pågående",)}
_FOLLOWUP_GROUPS = {"Arbete eller studier": ("Arbete", "Studier"), "Aktivt arbetssökande": ("Aktivt arbetssökande",),
                    "Fortsatt rehabilitering": ("Fortsatt rehabilitering",), "Sjukdom": ("Sjukdom",),
                    "Övrigt": ("Övrigt",), "Ej nådd": ("Ej nådd",)}


def _step_links(table: str, steps: pd.DataFrame) -> list[Link]:
    """``matning_<id>`` Totalt: paired = all transitions; improved = above the diagonal (below when
    lower is better), unchanged = on it, worsened = the rest."""
    labels = [x for x in steps["forsta"] if x != "Totalt"]
    better = steps.attrs.get(BETTER_ATTR, True)
    grid = f"{table}_steg"
    cells = {"forbattrade": [], "oforandrade": [], "forsamrade": []}
    for i, label in enumerate(labels):
        for j in range(len(labels)):
            klass = "oforandrade" if i == j else ("forbattrade" if (j > i) == better else "forsamrade")
            cells[klass].append((grid, Ref(f"steg_{j + 1}", label)))
    links = [Link((table, Ref("parade", "Totalt")), ((grid, Ref("totalt", "Totalt")),))]
    links += [Link((table, Ref(klass, "Totalt")), tuple(parts)) for klass, parts in cells.items() if parts]
    return links


def _support_nested(ended: pd.DataFrame, priced: pd.DataFrame) -> Nested:
    """``forsorjning_fore_efter`` (those who ended) and ``samhallsnytta_underlag`` (those of them
    with försörjning known before and after) count the same sources: the second group is within
    the first, so a source's count in one less the other counts a few people (a förbund
    reviewer read 25 − 24 = 1 and 8 − 6 = 2). ``Annan`` is paired only when both tables merged the
    same small sources into it (:data:`MERGED_ATTR`); else its difference counts no one group."""
    same = ended.attrs.get(MERGED_ATTR, ()) == priced.attrs.get(MERGED_ATTR, ())
    shared = [k for k in ended["kalla"] if k in set(priced["kategori"]) and (same or k != vocab.OTHER_SOURCE)]
    return Nested("forsorjning", tuple(
        (("forsorjning_fore_efter", Ref(column, source)), (("samhallsnytta_underlag", Ref(f"antal_{column}", source)),))
        for source in shared for column in ("fore", "efter")))


def _other_nested(ended: pd.DataFrame, priced: pd.DataFrame) -> list[Nested]:
    """``Annan`` of ``forsorjning_fore_efter`` when it merged sources the cost table shows apart
    (priced ones): those people are the cost table's ``Annan`` and those sources, less the few
    without a försörjning before or after, so Annan 5 less the shown 3 gave two hidden 1s back.
    One :class:`Nested` per column: a person with two merged sources counts once in Annan and
    twice in the sum, and the difference is then no count, but hiding for it only hides more."""
    merged_ended = set(ended.attrs.get(MERGED_ATTR, ()))
    merged_priced = set(priced.attrs.get(MERGED_ATTR, ()))
    rows = set(priced["kategori"])
    apart = sorted((merged_ended - merged_priced) & rows)
    if not apart or not merged_priced <= merged_ended or vocab.OTHER_SOURCE not in set(ended["kalla"]):
        return []
    parts = apart + ([vocab.OTHER_SOURCE] if vocab.OTHER_SOURCE in rows else [])
    return [Nested(f"forsorjning_annan_{column}", (
        (("forsorjning_fore_efter", Ref(column, vocab.OTHER_SOURCE)),
         tuple(("samhallsnytta_underlag", Ref(f"antal_{column}", p)) for p in parts)),))
        for column in ("fore", "efter")]


def table_links(frames: Mapping[str, pd.DataFrame]) -> list[Link]:
    """The relations between the report's tables (only those that hold for the data are used):

    - ``resultat`` exit reason = Σ over gender of ``avslutsanledning_kon`` (and ``Ej i
      resultatet`` = ``Utan mätning``), which holds without a trial period;
    - ``effekter`` at exit = ``resultat`` grouped; after ``m`` months = ``uppfoljning`` grouped;
    - ``delinsatser`` per sub-insats = the ``Totalt`` row of ``deltagare_kon_<slug>``, and
      ``deltagare_kon`` = Σ ``deltagare_kon_<slug>`` (when every enrolment has a sub-insats);
    - ``resultat`` = Σ ``resultat_<slug>`` row by row (likewise);
    - the same people in several tables: the totals of ``alder``, ``utbildning``,
      ``tid_i_forsorjning`` and ``aktivt_arbetssokande_start`` (and the new of ``deltagare_kon``),
      the base of ``forsorjning_fore_efter`` (and the ended of ``deltagare_kon``), the total of
      ``gemensam_planering`` (and the enrolments of ``deltagare_kon``), the total of
      ``avslutsanledning_kon`` (and the ended of ``deltagare_kon``, in all and per gender), and the report's own period
      in ``trend`` (its last row) with ``deltagare_kon`` and ``resultat``.
    """
    links: list[Link] = []
    ids = set(frames)
    # the same people counted in several tables: those who started (age, education, time in
    # support, and the new of deltagare_kon without anonymous ones), those who ended (exit
    # reasons by gender, and the ended of deltagare_kon); used only where the numbers agree
    started = [t for t in ("alder", "utbildning", "tid_i_forsorjning", "aktivt_arbetssokande_start") if t in ids]
    for a, b in zip(started, started[1:]):
        links.append(Link((a, Ref("bas", TOTAL_OF)), ((b, Ref("bas", TOTAL_OF)),)))
    if started and "deltagare_kon" in ids:
        links.append(Link((started[0], Ref("bas", TOTAL_OF)), (("deltagare_kon", Ref("nya", "Totalt")),)))
        # when they differ, it is by the anonymous who started (not in the background tables): how
        # many chose to be anonymous tells nothing of anyone, and is not protected (no Nested)
    if "gemensam_planering" in ids and "deltagare_kon" in ids:
        # the enrolments with a planning answer are, without anonymous ones and when everyone has
        # one, all enrolments: less those who started (age) they give those enrolled before the period
        links.append(Link(("gemensam_planering", Ref("bas", TOTAL_OF)), (("deltagare_kon", Ref("inskrivningar", "Totalt")),)))
    support = frames.get("forsorjning_fore_efter")
    if support is not None and len(support) and "deltagare_kon" in ids:
        # its base, said in the text ("Andel av 5 avslutade"), is everyone who ended
        links.append(Link(("forsorjning_fore_efter", Ref("bas", support["kalla"].iloc[0])), (("deltagare_kon", Ref("avslutade", "Totalt")),)))
    if "avslutsanledning_kon" in ids and "deltagare_kon" in ids:
        links.append(Link(("avslutsanledning_kon", Ref("bas", TOTAL_OF)), (("deltagare_kon", Ref("avslutade", "Totalt")),)))
        # and per gender: the women who ended, less the reasons shown for women, gave a hidden one back
        genders = sorted(set(frames["avslutsanledning_kon"]["kon"]) & set(frames["deltagare_kon"]["kon"]))
        for gender in genders:
            links.append(Link(("avslutsanledning_kon", Ref(PER_GENDER, gender)),
                              (("deltagare_kon", Ref("avslutade", gender)),)))
        # when they differ, it is by the anonymous who ended (not in the exit reasons): not
        # protected, as those who started (that some chose to be anonymous tells nothing of anyone)
    # everyone before the result's exclusions is, without anonymous ones, everyone who ended (or
    # was enrolled): then the total shown in deltagare_kon less the result base gives the excluded
    for whole, part in [("resultat", "deltagare_kon"), *((f"resultat_{p}", f"deltagare_kon_{p}") for p in
                                                         (t[len("resultat_"):] for t in ids if t.startswith("resultat_")))]:
        if {whole, part} <= ids:
            for column in ("unika", "inskrivningar", "avslutade"):
                links.append(Link((whole, Ref("bas", "Ej i resultatet")), ((part, Ref(column, "Totalt")),)))
            links.append(Link((whole, Ref("antal", "Pågående")), ((part, Ref("pagaende", "Totalt")),)))
    # the report's own period is the last row of ``trend``: the same counts as its other tables
    if "trend" in ids and len(frames["trend"]):
        now = frames["trend"]["period"].iloc[-1]
        same = [("deltagare", "deltagare_kon", Ref("unika", "Totalt")), ("nya", "deltagare_kon", Ref("nya", "Totalt")),
                ("avslutade", "deltagare_kon", Ref("avslutade", "Totalt")),
                ("antal_arbete_studier", "resultat", Ref("antal", "Arbete eller studier")),
                ("bas_arbete_studier", "resultat", Ref("bas", "Arbete eller studier"))]
        for column, table, ref in same:
            if table in ids:
                links.append(Link(("trend", Ref(column, now)), ((table, ref),)))
    if {"resultat", "avslutsanledning_kon"} <= ids:
        groups = frames["avslutsanledning_kon"].attrs.get(EXIT_GROUPS_ATTR) or {}
        for reason in EXIT_REASONS:
            row = "Ej i resultatet" if reason == "Utan mätning" else reason
            links.append(Link(("resultat", Ref("antal", row)), (("avslutsanledning_kon", Ref("antal", reason)),)))
            if row != reason:  # too few to show apart, they are counted in the result, as a row of their own
                links.append(Link(("resultat", Ref("antal", reason)), (("avslutsanledning_kon", Ref("antal", reason)),)))
        for name, members in groups.items():  # a group by gender = the sum of its reasons' rows
            links.append(Link(("avslutsanledning_kon", Ref(PER_REASON, name)), (("resultat", Ref("antal", tuple(members))),)))
        # those who ended in the trial period are in the first, not in the result: per reason, the
        # difference counts a few of them (Sjukdom 11 ended, 9 in the result: 2)
        reasons = [r for r in dict.fromkeys(frames["avslutsanledning_kon"]["avslutsanledning"]) if r != "Utan mätning"]
        links.append(Nested("avslut", tuple(
            (("avslutsanledning_kon", Ref(PER_REASON, r)), (("resultat", Ref("antal", tuple(groups.get(r, (r,))))),))
            for r in reasons)))
    # the overlapping row counts those who ended actively seeking work, and those flagged so
    for table in sorted(t for t in ids if t == "resultat" or t.startswith("resultat_")):
        links.append(Nested(f"overlappande_{table}", (((table, Ref("antal", "Aktivt arbetssökande (överlappande)")),
                                                       ((table, Ref("antal", "Aktivt arbetssökande")),)),)))
    if "effekter" in ids:
        if "resultat" in ids:
            for group, reasons in _EXIT_GROUPS.items():
                links.append(Link(("effekter", Ref("antal_avslut", group)), (("resultat", Ref("antal", reasons)),)))
            links.append(Link(("effekter", Ref("antal_avslut", "Totalt")), (("resultat", Ref("bas", "Arbete eller studier")),)))
        if "uppfoljning" in ids:
            months = sorted({int(m) for m in frames["uppfoljning"]["manader"]})
            for m in months:
                for group, statuses in _FOLLOWUP_GROUPS.items():
                    links.append(Link(("effekter", Ref(f"antal_{m}_man", group)),
                                      tuple(("uppfoljning", Ref("antal", Key((m, s)))) for s in statuses)))
    if "delinsatser" in ids:
        names = list(frames["delinsatser"]["delinsats"])
        for name, part in vocab.slugs(names).items():
            table = f"deltagare_kon_{part}"
            if table in ids:
                for column in DELINSATSER.counts:
                    links.append(Link(("delinsatser", Ref(column, name)), ((table, Ref(column, "Totalt")),)))
    # a step instrument's transitions: the same people as its change table, classes by diagonal
    for table in sorted(t for t in ids if t.startswith("matning_") and f"{t}_steg" in ids):
        links += _step_links(table, frames[f"{table}_steg"])
    if {"forsorjning_fore_efter", "samhallsnytta_underlag"} <= ids:
        nested = [_support_nested(frames["forsorjning_fore_efter"], frames["samhallsnytta_underlag"]),
                  *_other_nested(frames["forsorjning_fore_efter"], frames["samhallsnytta_underlag"])]
        # a difference of none is no unknown: when no one who ended lacks a försörjning after (or
        # before), "Uppgift saknas" shows it, and the two counts are one (kept only where equal)
        links += nested + [Link(*pair) for n in nested for pair in n.pairs]
    if "samhallsnytta_underlag" in ids:
        # the cost table's people (its base line) are among those who ended (the base line of
        # forsorjning_fore_efter, and its shares): the difference counts those without a
        # försörjning before or after
        ended = [("avslutsanledning_kon", Ref("bas", TOTAL_OF))] if "avslutsanledning_kon" in ids else []
        if "forsorjning_fore_efter" in ids:
            ended += [("forsorjning_fore_efter", Ref("bas", k)) for k in frames["forsorjning_fore_efter"]["kalla"]]
        pairs = tuple((one, (("samhallsnytta_underlag", Ref("bas", label)),))
                      for one in ended for label in frames["samhallsnytta_underlag"]["kategori"])
        links += [Nested("samhallsnytta_bas", pairs), *(Link(*pair) for pair in pairs)]  # equal: one count
    for whole, prefix in (("deltagare_kon", "deltagare_kon_"), ("resultat", "resultat_")):
        parts = sorted(t for t in ids if t.startswith(prefix))
        if whole in ids and parts:
            frame, spec = frames[whole], spec_for(whole, frames[whole])
            for label in frame[spec.key[0]]:
                for column in spec.counts:
                    links.append(Link((whole, Ref(column, label)), tuple((p, Ref(column, label)) for p in parts)))
    return links


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
    before this one begins (``before``), or earlier (``made_of_trend``)."""

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
      it, each carrying its pågående into the next (:func:`_carried`).
    """
    links: list = []
    cells = list(_period_cells(own))
    for b in beside:
        links += _same_people(own, b)
        if b.made_of_trend:
            links += _made_of_trend(own, b)
        if b.in_row:
            links += _in_row(own, b)
        links += _rows_made_of_trend(own, b)
        if b.carries_into:
            links += _carried(b)
        if b.before or b.made_of_trend or b.in_row or b.carries_into:
            continue
        for table, ref in cells:
            if _has_row(b.frames.get(table), table, ref):
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
_IN_TREND = {("deltagare_kon", Ref("nya", "Totalt")): "nya", ("deltagare_kon", Ref("avslutade", "Totalt")): "avslutade",
             ("resultat", Ref("antal", "Arbete eller studier")): "antal_arbete_studier",
             ("resultat", Ref("bas", "Arbete eller studier")): "bas_arbete_studier"}


def _same_people(own: Mapping[str, pd.DataFrame], b: Beside) -> list[Link]:
    """The enrolments that two reports share, per gender in *Deltagare per kön* and in each
    sub-insats's own (``deltagare_kon_<slug>``, which *Deltagare per delinsats* sums): the report
    just before's pågående are this one's enrolments less its new ones; a report that begins on
    this one's day has the same enrolled before (enrolments less new ones, a count no table
    shows), one that ends on this one's day the same pågående (a sub-insats's 11 enrolled in 2024
    less the 9 pågående that 2023–2024 shows gave its hidden 2 ended)."""
    links: list[Link] = []
    for table in [t for t in own if t == "deltagare_kon" or t.startswith("deltagare_kon_")]:
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
    for table in [t for t in b.frames if t == "deltagare_kon" or t.startswith("deltagare_kon_")]:
        after = f"{b.carries_into}:{table}"
        links += [Link((after, Ref("inskrivningar", gender)), ((after, Ref("nya", gender)), (f"{b.label}:{table}", Ref("pagaende", gender))))
                  for gender in b.frames[table]["kon"]]
    return links


def _rows_made_of_trend(own: Mapping[str, pd.DataFrame], b: Beside) -> list:
    """Rows of ``b``'s ``trend`` that rows of this one's make up (``b.rows_made_of_trend``), and
    the other way round (``b.trend_made_of_rows``): each count is their sum, and less one of them
    counts the others' people (2022's 6 new in the yearly report's trend less its second half's 5
    in this half-year's)."""
    if "trend" not in own:
        return []
    links: list = []
    theirs, ours = f"{b.label}:trend", "trend"
    for whole_of, part_of, made in ((theirs, ours, b.rows_made_of_trend), (ours, theirs, b.trend_made_of_rows)):
        for period, parts in made:
            for column in _IN_TREND.values():
                whole = (whole_of, Ref(column, period))
                links.append(Link(whole, tuple((part_of, Ref(column, p)) for p in parts)))
                links += [Nested(f"{whole_of}:{period}:{column}:{part_of}:{p}", ((whole, ((part_of, Ref(column, p)),)),))
                          for p in parts]
    return links


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
            cell = (f"{b.label}:{table}", ref)
            links.append(Link(cell, tuple(("trend", Ref(column, p)) for p in b.made_of_trend)))
            links += [Nested(f"{b.label}:{table}:{ref}:{p}", ((cell, (("trend", Ref(column, p)),)),)) for p in b.made_of_trend]
    return links


def _period_cells(own: Mapping[str, pd.DataFrame]):
    """``(table, Ref)`` of this report's counts of what happens in its period (:data:`_IN_A_PERIOD`):
    in ``resultat`` the exit reasons, those left out, and the groups of exit reasons (Arbete eller
    studier; not a group with Pågående, which is no count of what happens in a period)."""
    groups = {"Arbete eller studier": WORK_OR_STUDIES,
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
        yield "resultat", Ref("bas", "Arbete eller studier")


def _of_a_period(table: str) -> str | None:
    """The entry of :data:`_IN_A_PERIOD` for ``table``: a sub-insats's own tables
    (``deltagare_kon_<slug>``, ``resultat_<slug>``) count as the whole's do."""
    for whole in ("deltagare_kon", "resultat"):
        if table.startswith(f"{whole}_"):
            return whole
    return table if table in _IN_A_PERIOD else None


def _has_row(frame: pd.DataFrame | None, table: str, ref: Ref) -> bool:
    if frame is None:
        return False
    keys = _IN_A_PERIOD[_of_a_period(table)][0]
    keys = (keys,) if isinstance(keys, str) else keys
    row = ref.rows.values if isinstance(ref.rows, Key) else (ref.rows,)
    return any(tuple(r) == tuple(row) for r in frame[list(keys)].itertuples(index=False))
