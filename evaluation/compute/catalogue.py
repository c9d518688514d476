"""The report's count tables for disclosure control: each table's arithmetic (:class:`Spec`, by
table id: :func:`spec_for`), in the terms of :mod:`evaluation.compute.suppression`; the relations
between tables are :mod:`evaluation.compute.links`.

A new table of counts of people gets its spec here; a table without one is published as it is
(goals, staffing, matrices, omvärld). The ``*_ATTR`` keys are where a table builder leaves what
the spec needs to know (user groups, positive answers, direction of a scale) in ``frame.attrs``.

>>> spec_for("deltagare_kon", None).key
('kon',)
>>> spec_for("bemanning", None) is None
True
"""
from __future__ import annotations

from dataclasses import replace
from typing import Mapping

import pandas as pd

from evaluation.core import vocab
from evaluation.compute.suppression import LEAVES, Bound, Derived, LineTotal, Ref, Remainder, RowTotal, Spec, Sum, Total

EXIT_REASONS = vocab.EXIT_REASONS
WORK_OR_STUDIES = vocab.WORK_OR_STUDIES
WORK_OR_STUDIES_ROW = vocab.WORK_OR_STUDIES_ROW
_RESULT_NON_LEAF = ("Arbete eller studier", "Aktivt arbetssökande (överlappande)", "Ej i resultatet")
_PEOPLE = ("unika", "inskrivningar", "nya", "avslutade", "pagaende")
#: ``deltagare_kon``'s enrolments less new ones (a :class:`Remainder`): those enrolled before the period.
BEFORE_THE_PERIOD = "fore_perioden"
DELTAGARE_KON = Spec(
    key=("kon",), counts=_PEOPLE, non_leaf=("Totalt",),
    relations=(RowTotal("Totalt"), LineTotal("inskrivningar", ("avslutade", "pagaende")),
               # enrolments less new ones: those enrolled before the period, the last one's pågående
               Remainder(BEFORE_THE_PERIOD, "inskrivningar", "nya"),
               # people are never more than enrolments (how many were enrolled twice is no one's secret)
               Remainder("flera_inskrivningar", "inskrivningar", "unika", secret=False)),
    headline=(Ref("unika", "Totalt"),),  # the number of people: "Under perioden deltog 41 personer"
)
#: ``frame.attrs`` key of ``deltagare_kon`` (and a sub-insats's): ``True`` when the period begins
#: on or before the insats's first enrolment. A reader who knows when the insats began (a
#: slutrapport from its start) knows that no one was enrolled before: every enrolment is new.
FROM_THE_START = "fran_start"
DELTAGARE_KON_FROM_THE_START = replace(DELTAGARE_KON, relations=(*DELTAGARE_KON.relations, LineTotal("inskrivningar", ("nya",))))
DELINSATSER = Spec(key=("delinsats",), counts=("unika", "nya", "avslutade", "pagaende"))


def distribution_spec(label: str) -> Spec:
    """``<label>, antal, andel``: shares of the table's total, which the text also shows."""
    return Spec(key=(label,), counts=("antal",), totals=(Total("bas"),),
                derived=(Derived("andel", ("antal", "bas")),))


#: ``frame.attrs`` key of ``resultat``: what its notes tell of some rows, ``(column, row, least)``
#: (``Övrigt`` holds so many merged exit reasons, each at least one person).
BOUNDS_ATTR = "kanda_granser"
#: ``frame.attrs`` key of table ``resultat`` with its user groups (see :func:`evaluation.compute.tables.resultat`).
GROUPS_ATTR = "resultatgrupper"


def resultat_spec(groups: Mapping[str, tuple[str, ...]] | None = None) -> Spec:
    """``resultat``: exit reasons (and ``Pågående``) are the leaves; ``Arbete eller studier`` and
    every user group (parameter ``resultatgrupper``: name → member rows) are sums of their members;
    every row's ``bas`` is the result base, the sum of the leaves."""
    groups = dict(groups or {})
    with_base = (EXIT_REASONS  # Utan mätning too: a row of the base when too few to show apart
                 + ("Arbete eller studier", *groups, "Aktivt arbetssökande (överlappande)", "Pågående"))
    return Spec(
        key=("kategori",), counts=("antal", "bas"), non_leaf=_RESULT_NON_LEAF + tuple(groups),
        relations=(
            RowTotal("Arbete eller studier", WORK_OR_STUDIES, ("antal",)),
            *(RowTotal(name, tuple(members), ("antal",)) for name, members in groups.items()),
            # every row's base n = Σ exit reasons (+ Pågående); shown in the text "Andel av n ..."
            Sum(Ref("bas", with_base), (Ref("antal", LEAVES),)),
            # everyone before exclusions = n + those left out
            Sum(Ref("bas", "Ej i resultatet"), (Ref("antal", "Ej i resultatet"), Ref("bas", "Arbete eller studier"))),
            # without a column of their own, the actively seeking are those who ended so
            RowTotal("Aktivt arbetssökande (överlappande)", ("Aktivt arbetssökande",), ("antal",)),
        ),
        keep=(Ref("bas", with_base),),
        headline=(Ref("antal", "Arbete eller studier"),),
        derived=(Derived("andel", ("antal", "bas")),),
    )


def _resultat_spec_of(frame: pd.DataFrame) -> Spec:
    """The spec of a ``resultat`` frame, with the groups its ``attrs`` name. A row the spec does
    not know (a group whose members were lost) is an error: guessing could leak a hidden cell."""
    groups = frame.attrs.get(GROUPS_ATTR) or {}
    spec = resultat_spec(groups) if groups else RESULTAT
    bounds = tuple(Bound(Ref(column, row), low) for column, row, low in frame.attrs.get(BOUNDS_ATTR, ()))
    spec = replace(spec, bounds=bounds) if bounds else spec
    known = set(EXIT_REASONS) | set(spec.non_leaf) | {"Pågående"}
    unknown = [label for label in frame["kategori"] if label not in known] if "kategori" in frame else []
    if unknown:
        raise ValueError(f"table 'resultat' has rows {unknown} that are neither exit reasons nor groups "
                         f"named in frame.attrs[{GROUPS_ATTR!r}]")
    return spec


RESULTAT = resultat_spec()
#: Per exit reason (or group of reasons, see :func:`evaluation.compute.recode.group_exit_reasons_by_gender`)
#: the sum over gender, a cell no table shows: the links to ``resultat`` go through it.
PER_REASON = "per_anledning"
#: The ended of one gender in ``avslutsanledning_kon``: shown nowhere, but ``deltagare_kon`` shows it.
PER_GENDER = "per_kon"
AVSLUTSANLEDNING_KON = Spec(key=("avslutsanledning", "kon"), counts=("antal",),
                            totals=(Total("bas"), Total(PER_REASON, by="avslutsanledning", shown=False),
                                    Total(PER_GENDER, by="kon", shown=False)),
                            derived=(Derived("andel", ("antal", "bas")),),
                            answers=True)  # every pair is a row (recode.every_pair): a small group's zeros hide with it
#: ``frame.attrs`` key of ``avslutsanledning_kon``: grouped rows, label → exit reasons (as :mod:`evaluation.compute.recode`).
EXIT_GROUPS_ATTR = "avslutsgrupper"
#: ``frame.attrs`` key of a recoded table: the categories merged into another row (:mod:`evaluation.compute.recode`).
MERGED_ATTR = "sammanslagna"
FORSORJNING_FORE_EFTER = Spec(
    key=("kalla",), counts=("fore", "efter", "bas"),
    # one source each: the sources before (and after) add up to those who ended
    relations=(Sum(Ref("bas", LEAVES), (Ref("fore"),)), Sum(Ref("bas", LEAVES), (Ref("efter"),))),
    keep=(Ref("bas", LEAVES),),  # the number who ended, named in the table's note
    derived=(Derived("forandring", ("fore", "efter")), Derived("forandring_procent", ("fore", "efter")),
             Derived("andel_fore", ("fore", "bas")), Derived("andel_efter", ("efter", "bas"))),
)
UPPFOLJNING = Spec(key=("manader", "status"), counts=("antal",), totals=(Total("bas", by="manader"),),
                   derived=(Derived("andel", ("antal", "bas")),))
#: ``enkat_<enkat>_<fraga>``: the answers of a ``val`` question (a small total hides its zeros too).
CHOICE = replace(distribution_spec("svar"), answers=True)
#: The number of interviews per role describes the evaluation, not a person: shown however small
#: (the details of a small role are left empty by :mod:`evaluation.sections.interviews`); the counts by
#: gender and form are protected as any count.
INTERVJUER_METOD = Spec(
    key=("roll",), counts=("antal", "kvinna", "man", "annat_okant", "fysisk", "digital", "telefon"),
    public=(Ref("antal", LEAVES), Ref("antal", "Totalt")),
    non_leaf=("Totalt",),
    relations=(RowTotal("Totalt"), LineTotal("antal", ("kvinna", "man", "annat_okant")),
               LineTotal("antal", ("fysisk", "digital", "telefon"))),
    derived=(Derived("median_min", ("antal",)), Derived("forsta_datum", ("antal",)),
             Derived("sista_datum", ("antal",))),
)

#: ``enkater_svarande``: per survey, the asked are those who answered and those who did not. The
#: number of respondents is kept visible as long as possible: when "did not answer" is small, the
#: number asked (and the response rate) is hidden rather than the respondents.
RESPONDENTS = Spec(
    key=("enkat",), counts=("tillfragade", "svarande", "ej_svarande"),
    relations=(LineTotal("tillfragade", ("svarande", "ej_svarande")),),
    keep=(Ref("svarande"),),
    derived=(Derived("svarsfrekvens", ("svarande", "tillfragade")),),
)
#: ``gemensam_planering``: enrolments of the period with a jointly agreed plan (Ja) or not (Nej).
JOINT_PLANNING = distribution_spec("svar")

#: Tables whose spec does not depend on the frame, by id.
SPECS: dict[str, Spec] = {
    "enkater_svarande": RESPONDENTS,
    "gemensam_planering": JOINT_PLANNING,
    "deltagare_kon": DELTAGARE_KON,
    "delinsatser": DELINSATSER,
    "alder": distribution_spec("intervall"),
    "utbildning": distribution_spec("niva"),
    "tid_i_forsorjning": distribution_spec("tid"),
    "aktivt_arbetssokande_start": distribution_spec("uppgift"),
    "resultat": RESULTAT,
    "avslutsanledning_kon": AVSLUTSANLEDNING_KON,
    "forsorjning_fore_efter": FORSORJNING_FORE_EFTER,
    "uppfoljning": UPPFOLJNING,
    "intervjuer_metod": INTERVJUER_METOD,
}


def effekter_spec(frame: pd.DataFrame) -> Spec:
    """``effekter``: per time point a count column, its share of the ``Totalt`` row."""
    suffixes = [c[len("antal_"):] for c in frame.columns if c.startswith("antal_")]
    return Spec(
        key=("grupp",), counts=tuple(f"antal_{s}" for s in suffixes), non_leaf=("Totalt",),
        relations=(RowTotal("Totalt"),),
        headline=tuple(Ref(f"antal_{s}", row) for s in suffixes for row in ("Arbete eller studier", "Totalt")),
        derived=tuple(Derived(f"andel_{s}", (f"antal_{s}", Ref(f"antal_{s}", "Totalt"))) for s in suffixes),
    )


#: ``frame.attrs`` key of a survey table naming its positive columns (set by :mod:`evaluation.sections.surveys`).
TOP_ATTR = "topp_kolumner"
#: ``frame.attrs`` key of a step instrument's transition table: does a higher step mean better?
BETTER_ATTR = "hogre_ar_battre"


def survey_spec(frame: pd.DataFrame, top: tuple[str, ...] | None = None) -> Spec:
    """``enkat_<id>``: ``svar`` = Σ the scale label columns; ``andel_topp`` from the top labels.

    The labels are every column after ``andel_topp`` (see :func:`evaluation.sections.surveys.scale_summary`).
    ``top`` defaults to ``frame.attrs[TOP_ATTR]``; without either the share counts as derived
    from every label (hidden with any of them). The share positive is a headline: ``svar`` and
    the top labels are costly to hide.
    """
    labels = tuple(frame.columns[list(frame.columns).index("andel_topp") + 1:])
    top = tuple(top or frame.attrs.get(TOP_ATTR) or ())
    top = top if top and set(top) <= set(labels) else ()
    return Spec(key=("fraga",), counts=("svar", *labels), relations=(LineTotal("svar", labels),),
                derived=(Derived("andel_topp", ("svar", *(top or labels))),),
                headline=tuple(Ref(c) for c in ("svar", *top)), answers=True)


def intervjuer_teman_spec(frame: pd.DataFrame) -> Spec:
    """``intervjuer_teman``: per theme, interviews per role and ``totalt`` their sum."""
    roles = tuple(c for c in frame.columns if c not in ("tema", "totalt"))
    # interviews in which a theme came up: about the interviews, not a person (quotes show as much)
    return Spec(key=("tema",), counts=(*roles, "totalt"), relations=(LineTotal("totalt", roles),),
                public=tuple(Ref(c) for c in (*roles, "totalt")))


#: ``frame.attrs`` key of ``trend``: ``(period, column)`` of the earlier periods' cells that the
#: report of that period hides (:func:`evaluation.sections.effects.earlier_published`): hidden here too.
EARLIER_HIDDEN_ATTR = "dolda_i_tidigare_rapporter"
#: ``frame.attrs`` key of ``trend``: ``(period, column)`` of the earlier periods' cells that the
#: report of that period shows: known, never hidden here (hiding them would protect nothing).
EARLIER_SHOWN_ATTR = "visade_i_tidigare_rapporter"


#: The counts of ``trend`` per period and where a report of that period counts them:
#: column → (table, column there, row). All but ``deltagare`` count what happens in the period.
TREND_CELLS = {"deltagare": ("deltagare_kon", "unika", "Totalt"), "nya": ("deltagare_kon", "nya", "Totalt"),
               "avslutade": ("deltagare_kon", "avslutade", "Totalt"),
               "antal_arbete_studier": ("resultat", "antal", WORK_OR_STUDIES_ROW),
               "bas_arbete_studier": ("resultat", "bas", WORK_OR_STUDIES_ROW)}


def trend_spec(frame: pd.DataFrame) -> Spec:
    """``trend``: counts per period. ``andel_arbete_studier`` is hidden with the counts it comes
    from, ``antal_arbete_studier`` and ``bas_arbete_studier``, which the frame must carry (they may
    be left out when the table is shown)."""
    missing = {"antal_arbete_studier", "bas_arbete_studier"} - set(frame.columns)
    if missing and "andel_arbete_studier" in frame.columns:
        raise ValueError(f"table 'trend' needs the count columns {sorted(missing)} to protect its share")
    counts = ("deltagare", "nya", "avslutade") + (() if missing else ("antal_arbete_studier", "bas_arbete_studier"))
    secret = tuple(Ref(column, period) for period, column in frame.attrs.get(EARLIER_HIDDEN_ATTR, ()) if column in counts)
    # those still enrolled at a period's end (participants less ended) are the next period's
    # participants less its new ones
    carried = (Remainder("kvar", "deltagare", "avslutade", next="deltagare", added="nya"),
               # the first period (the trend begins with the first enrolment): no one before it
               LineTotal("deltagare", ("nya",)))
    known = tuple(Ref(column, period) for period, column in frame.attrs.get(EARLIER_SHOWN_ATTR, ()) if column in counts)
    return Spec(key=("period",), counts=counts, secret=secret, relations=carried, known=known,
                headline=() if missing else (Ref("antal_arbete_studier"), Ref("bas_arbete_studier")),
                derived=(Derived("andel_arbete_studier", ("antal_arbete_studier", "bas_arbete_studier")),) if not missing else ())


_CHANGE_COUNTS = ("parade", "en_matning", "forbattrade", "oforandrade", "forsamrade", "aterhamtade",
                  "kliniska_forst", "kliniska_senast")
#: ``samhallsnytta_underlag``: people per försörjning category before and after (amounts follow).
#: Headline: every amount of the payback stands on them, so a cell hidden to protect a difference
#: with ``forsorjning_fore_efter`` (:func:`evaluation.compute.links._support_nested`) is hidden there rather than here.
#: ``bas`` (every row) is the number of people counted, named in the table's base line.
COST_COUNTS = Spec(key=("kategori",), counts=("antal_fore", "antal_efter", "bas"),
                   # one source each: the people before (and after) are those counted
                   relations=(Sum(Ref("bas", LEAVES), (Ref("antal_fore"),)), Sum(Ref("bas", LEAVES), (Ref("antal_efter"),))),
                   headline=(Ref("antal_fore"), Ref("antal_efter")), keep=(Ref("bas", LEAVES),))


def change_spec(frame: pd.DataFrame) -> Spec:
    """``matning_<id>``: per gender and ``Totalt``; the paired are improved + unchanged + worsened;
    means and the share are hidden with the counts they come from."""
    counts = tuple(c for c in _CHANGE_COUNTS if c in frame.columns)
    return Spec(key=("kon",), counts=counts, non_leaf=("Totalt",),
                relations=(RowTotal("Totalt"), LineTotal("parade", ("forbattrade", "oforandrade", "forsamrade"))),
                derived=(*(Derived(c, ("parade",)) for c in ("medel_forst", "medel_senast", "medel_forandring")),
                         Derived("andel_forbattrade", ("forbattrade", "parade")),
                         *(Derived(f"andel_kliniska_{s}", (f"kliniska_{s}", "parade")) for s in ("forst", "senast")
                           if f"andel_kliniska_{s}" in frame.columns)),
                headline=(Ref("parade", "Totalt"), Ref("forbattrade", "Totalt")))


def steps_spec(frame: pd.DataFrame) -> Spec:
    """``matning_<id>_steg``: first step (rows) × latest step (columns), totals both ways."""
    steps = tuple(c for c in frame.columns if c.startswith("steg_"))
    return Spec(key=("forsta",), counts=(*steps, "totalt"), non_leaf=("Totalt",),
                relations=(RowTotal("Totalt"), LineTotal("totalt", steps)))


def spec_for(table_id: str, frame: pd.DataFrame) -> Spec | None:
    """The spec of a report table by id, or ``None`` for a table with no counts of people
    (goals, staffing, matrices, omvärld). Sub-insats tables ``deltagare_kon_<slug>`` and
    ``resultat_<slug>`` share the spec of their table; survey tables are recognised by id.
    The spec of ``resultat`` includes the user groups of ``frame.attrs[GROUPS_ATTR]``."""
    if table_id == "resultat" or table_id.startswith("resultat_"):
        return _resultat_spec_of(frame)
    if table_id == "deltagare_kon" or table_id.startswith("deltagare_kon_"):
        return DELTAGARE_KON_FROM_THE_START if frame is not None and frame.attrs.get(FROM_THE_START) else DELTAGARE_KON
    if table_id in SPECS:
        return SPECS[table_id]
    if table_id == "effekter":
        return effekter_spec(frame)
    if table_id == "trend":
        return trend_spec(frame)
    if table_id == "intervjuer_teman":
        return intervjuer_teman_spec(frame)
    if table_id.startswith("matning_"):
        return steps_spec(frame) if "forsta" in frame.columns else change_spec(frame)
    if table_id == "samhallsnytta_underlag":
        return COST_COUNTS
    if table_id.startswith("enkat_"):
        if "andel_topp" in frame.columns:
            return survey_spec(frame)
        if {"svar", "antal", "andel"} <= set(frame.columns):
            return CHOICE
    return None
