"""The report's count tables for disclosure control: each table's arithmetic (:class:`Spec`, by
table id: :func:`spec_for`) and the relations between tables (:func:`table_links`), in the terms
of :mod:`evaluation.compute.suppression`.

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
from evaluation.compute.suppression import (LEAVES, TOTAL_OF, Derived, Key, LineTotal, Link, Nested, Ref, RowTotal,
                                            Spec, Sum, Total)

EXIT_REASONS = vocab.EXIT_REASONS
WORK_OR_STUDIES = vocab.WORK_OR_STUDIES
_RESULT_NON_LEAF = ("Arbete eller studier", "Aktivt arbetssökande (överlappande)", "Ej i resultatet")
#: effekter group -> exit reasons / follow-up statuses (as in evaluation.sections.effects)
_EXIT_GROUPS = {"Arbete eller studier": WORK_OR_STUDIES, "Aktivt arbetssökande": ("Aktivt arbetssökande",),
                "Fortsatt rehabilitering": ("Fortsatt rehabilitering",), "Sjukdom": ("Sjukdom",),
                "Övrigt": ("Flyttat", "Övrigt"), "Pågående": ("Pågående",)}
_FOLLOWUP_GROUPS = {"Arbete eller studier": ("Arbete", "Studier"), "Aktivt arbetssökande": ("Aktivt arbetssökande",),
                    "Fortsatt rehabilitering": ("Fortsatt rehabilitering",), "Sjukdom": ("Sjukdom",),
                    "Övrigt": ("Övrigt",), "Ej nådd": ("Ej nådd",)}

_PEOPLE = ("unika", "inskrivningar", "nya", "avslutade", "pagaende")
DELTAGARE_KON = Spec(
    key=("kon",), counts=_PEOPLE, non_leaf=("Totalt",),
    relations=(RowTotal("Totalt"), LineTotal("inskrivningar", ("avslutade", "pagaende"))),
)
DELINSATSER = Spec(key=("delinsats",), counts=("unika", "nya", "avslutade", "pagaende"))


def distribution_spec(label: str) -> Spec:
    """``<label>, antal, andel``: shares of the table's total, which the text also shows."""
    return Spec(key=(label,), counts=("antal",), totals=(Total("bas"),),
                derived=(Derived("andel", ("antal", "bas")),))


#: ``frame.attrs`` key of table ``resultat`` with its user groups (see :func:`evaluation.compute.tables.resultat`).
GROUPS_ATTR = "resultatgrupper"


def resultat_spec(groups: Mapping[str, tuple[str, ...]] | None = None) -> Spec:
    """``resultat``: exit reasons (and ``Pågående``) are the leaves; ``Arbete eller studier`` and
    every user group (parameter ``resultatgrupper``: name → member rows) are sums of their members;
    every row's ``bas`` is the result base, the sum of the leaves."""
    groups = dict(groups or {})
    with_base = (tuple(r for r in EXIT_REASONS if r != "Utan mätning")
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
#: report of that period hides (:func:`evaluation.sections.effects.earlier_hidden`): hidden here too.
EARLIER_HIDDEN_ATTR = "dolda_i_tidigare_rapporter"


def trend_spec(frame: pd.DataFrame) -> Spec:
    """``trend``: counts per period. ``andel_arbete_studier`` is hidden with the counts it comes
    from, ``antal_arbete_studier`` and ``bas_arbete_studier``, which the frame must carry (they may
    be left out when the table is shown)."""
    missing = {"antal_arbete_studier", "bas_arbete_studier"} - set(frame.columns)
    if missing and "andel_arbete_studier" in frame.columns:
        raise ValueError(f"table 'trend' needs the count columns {sorted(missing)} to protect its share")
    counts = ("deltagare", "nya", "avslutade") + (() if missing else ("antal_arbete_studier", "bas_arbete_studier"))
    secret = tuple(Ref(column, period) for period, column in frame.attrs.get(EARLIER_HIDDEN_ATTR, ()) if column in counts)
    return Spec(key=("period",), counts=counts, secret=secret,
                headline=() if missing else (Ref("antal_arbete_studier"), Ref("bas_arbete_studier")),
                derived=(Derived("andel_arbete_studier", ("antal_arbete_studier", "bas_arbete_studier")),) if not missing else ())


_CHANGE_COUNTS = ("parade", "en_matning", "forbattrade", "oforandrade", "forsamrade", "aterhamtade",
                  "kliniska_forst", "kliniska_senast")
#: ``samhallsnytta_underlag``: people per försörjning category before and after (amounts follow).
#: Headline: every amount of the payback stands on them, so a cell hidden to protect a difference
#: with ``forsorjning_fore_efter`` (:func:`_support_nested`) is hidden there rather than here.
#: ``bas`` (every row) is the number of people counted, named in the table's base line.
COST_COUNTS = Spec(key=("kategori",), counts=("antal_fore", "antal_efter", "bas"),
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
    if table_id in SPECS:
        return SPECS[table_id]
    if table_id.startswith("deltagare_kon_"):
        return SPECS["deltagare_kon"]
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
    - the same people in several tables: the totals of ``alder``, ``utbildning`` and
      ``tid_i_forsorjning`` (and the new of ``deltagare_kon``), the total of
      ``avslutsanledning_kon`` (and the ended of ``deltagare_kon``, in all and per gender), and the report's own period
      in ``trend`` (its last row) with ``deltagare_kon`` and ``resultat``.
    """
    links: list[Link] = []
    ids = set(frames)
    # the same people counted in several tables: those who started (age, education, time in
    # support, and the new of deltagare_kon without anonymous ones), those who ended (exit
    # reasons by gender, and the ended of deltagare_kon); used only where the numbers agree
    started = [t for t in ("alder", "utbildning", "tid_i_forsorjning") if t in ids]
    for a, b in zip(started, started[1:]):
        links.append(Link((a, Ref("bas", TOTAL_OF)), ((b, Ref("bas", TOTAL_OF)),)))
    if started and "deltagare_kon" in ids:
        links.append(Link((started[0], Ref("bas", TOTAL_OF)), (("deltagare_kon", Ref("nya", "Totalt")),)))
        # when they differ, it is by the anonymous who started (not in the background tables): how
        # many chose to be anonymous tells nothing of anyone, and is not protected (no Nested)
    if "avslutsanledning_kon" in ids and "deltagare_kon" in ids:
        links.append(Link(("avslutsanledning_kon", Ref("bas", TOTAL_OF)), (("deltagare_kon", Ref("avslutade", "Totalt")),)))
        # and per gender: the women who ended, less the reasons shown for women, gave a hidden one back
        genders = sorted(set(frames["avslutsanledning_kon"]["kon"]) & set(frames["deltagare_kon"]["kon"]))
        for gender in genders:
            links.append(Link(("avslutsanledning_kon", Ref(PER_GENDER, gender)),
                              (("deltagare_kon", Ref("avslutade", gender)),)))
        # when they differ (enrolments and people), by a count of a few as well
        links.append(Nested("avslutade", tuple(
            (("avslutsanledning_kon", Ref(PER_GENDER, g)), (("deltagare_kon", Ref("avslutade", g)),)) for g in genders)))
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
