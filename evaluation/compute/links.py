"""The relations between the report's count tables (:func:`table_links`): the same people
counted in two tables, a table that is the sum of others, one group within another
(:class:`~evaluation.compute.suppression.Nested`), in the terms of
:mod:`evaluation.compute.suppression`; each table's own arithmetic is :mod:`evaluation.compute.catalogue`,
the relations with the insats's other reports :mod:`evaluation.compute.overlaps`.
A relation is used only where the data satisfy it.
"""
from __future__ import annotations

from typing import Mapping

import pandas as pd

from evaluation.core import vocab
from evaluation.compute.catalogue import (BETTER_ATTR, DELINSATSER, EXIT_GROUPS_ATTR, EXIT_REASONS, MERGED_ATTR, PER_GENDER,
                                          PER_REASON, TREND_CELLS, WORK_OR_STUDIES, spec_for)
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
        for column, (table, source, row) in TREND_CELLS.items():
            if table in ids:
                links.append(Link(("trend", Ref(column, now)), ((table, Ref(source, row)),)))
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
