"""Effects over time: outcome at exit beside follow-ups, and key figures over earlier periods.

Two sections:

``effekter`` (table ``effekter``)
    The outcome at exit of this period's result base beside the status of earlier participants
    followed up 6 and 18 months after exit (and after any other number of months the period's
    follow-ups use), as one table of shares per outcome group, like the "effects in the longer
    term" table of a full-year report. Exit reasons and follow-up statuses map to groups so:

    ========================  =================================  ==============================
    group                     exit reason (register)             follow-up status
    ========================  =================================  ==============================
    Arbete eller studier      Arbete, Subventionerat arbete,     Arbete, Studier
                              Studier
    Aktivt arbetssökande      Aktivt arbetssökande               Aktivt arbetssökande
    Fortsatt rehabilitering   Fortsatt rehabilitering            Fortsatt rehabilitering
    Sjukdom                   Sjukdom                            Sjukdom
    Övrigt                    Flyttat, Övrigt                    Övrigt
    Ej nådd                   (does not apply: –)                Ej nådd
    Pågående                  still enrolled (only with          (does not apply: –)
                              ``resultat_bas: alla_inskrivna``)
    ========================  =================================  ==============================

    At exit the groups follow the exit reason alone, so they add up to the result base; the
    overlapping "actively seeking work" flag of the ``resultat`` table is not used here. Exits
    ``Utan mätning`` and exits within the trial period are not in the result base (as in
    ``resultat``). A follow-up column's base is everyone followed up after that many months
    during the period, ``Ej nådd`` included (as in ``uppfoljning``).

``trend`` (table ``trend``)
    Participants (unique), new, ended and the share to work or studies of this period and of
    every earlier period of the same length, calendar-aligned and going back as far as the
    register has enrolments.

Everything is computed with the pure functions of :mod:`evaluation.compute.tables`.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from evaluation.compute import catalogue, cellrefs, charts, recode, tables
from evaluation.core.vocab import MARK
from evaluation.compute.periods import earlier_windows, period_label
from evaluation.compute.tables import Window
from evaluation.core import fmt, vocab
from evaluation.core.model import Section, Table, caution, paragraph

if TYPE_CHECKING:
    from evaluation.build.report import Report

WORK_OR_STUDIES = "Arbete eller studier"
ONGOING = "Pågående"
NOT_REACHED = "Ej nådd"
TOTAL = "Totalt"
GROUPS = (WORK_OR_STUDIES, "Aktivt arbetssökande", "Fortsatt rehabilitering", "Sjukdom", "Övrigt", NOT_REACHED)
EXIT_GROUP = {
    "Arbete": WORK_OR_STUDIES, "Subventionerat arbete": WORK_OR_STUDIES, "Studier": WORK_OR_STUDIES,
    "Aktivt arbetssökande": "Aktivt arbetssökande", "Fortsatt rehabilitering": "Fortsatt rehabilitering",
    "Sjukdom": "Sjukdom", "Flyttat": "Övrigt", "Övrigt": "Övrigt",
}
FOLLOWUP_GROUP = {
    "Arbete": WORK_OR_STUDIES, "Studier": WORK_OR_STUDIES, "Aktivt arbetssökande": "Aktivt arbetssökande",
    "Fortsatt rehabilitering": "Fortsatt rehabilitering", "Sjukdom": "Sjukdom", "Övrigt": "Övrigt",
    NOT_REACHED: NOT_REACHED,
}
STANDARD_MONTHS = (6, 18)

assert set(EXIT_GROUP) == set(vocab.EXIT_REASONS) - {vocab.NOT_MEASURED}
assert set(FOLLOWUP_GROUP) == set(vocab.FOLLOWUP_STATUSES)


# -- effekter (pure) -------------------------------------------------------------------------------

def followup_months(uppfoljning: pd.DataFrame) -> list[int]:
    """6 and 18, and any other number of months the follow-ups of the period use, ascending."""
    return sorted(set(STANDARD_MONTHS) | {int(m) for m in uppfoljning["manader"]})


def _merged_groups(mapping: dict, merged) -> set:
    """Groups whose every member was recoded into ``Övrigt`` (:mod:`evaluation.compute.recode`): empty, not 0."""
    merged = set(merged or ())
    return {g for g in set(mapping.values()) if g != "Övrigt"
            and all(m in merged for m, gg in mapping.items() if gg == g)}


def effekter(resultat: pd.DataFrame, uppfoljning: pd.DataFrame, merged_reasons=(), merged_statuses=()) -> pd.DataFrame:
    """Outcome groups at exit and at each follow-up.

    ``resultat`` is the frame of :func:`tables.resultat` for the period, ``uppfoljning`` that
    of :func:`tables.uppfoljning`. Columns: ``grupp``, ``antal_avslut``, ``andel_avslut``, then
    ``antal_<m>_man``, ``andel_<m>_man`` per follow-up month ``m``. The last row ``Totalt``
    holds the bases (shares 1, or empty when the base is 0). A group that does not apply at a
    time point is empty (shown as –), and so is a group whose exit reasons (``merged_reasons``)
    or follow-up statuses (``merged_statuses``) were all recoded into ``Övrigt``.

    >>> res = pd.DataFrame({"kategori": ["Arbete", "Sjukdom", "Arbete eller studier"],
    ...                     "antal": [1, 3, 1], "bas": [4, 4, 4]})
    >>> upp = pd.DataFrame({"manader": [6, 6], "status": ["Studier", "Ej nådd"], "antal": [1, 1]})
    >>> effekter(res, upp).set_index("grupp").loc["Arbete eller studier", ["andel_avslut", "andel_6_man"]].tolist()
    [0.25, 0.5]
    """
    exits = resultat[resultat["kategori"].isin(list(EXIT_GROUP))]
    exit_base = int(resultat.loc[resultat["kategori"] == WORK_OR_STUDIES, "bas"].iloc[0]) if len(resultat) else 0
    ongoing = resultat.loc[resultat["kategori"] == ONGOING, "antal"]
    exit_counts = exits.groupby(exits["kategori"].map(EXIT_GROUP))["antal"].sum()
    groups = list(GROUPS) + ([ONGOING] if len(ongoing) else [])
    frame = pd.DataFrame({"grupp": groups + [TOTAL]})
    gone = _merged_groups(EXIT_GROUP, merged_reasons)
    counts = [None if g == NOT_REACHED or g in gone else int(exit_counts.get(g, 0)) for g in GROUPS]
    _add(frame, "avslut", counts + ([int(ongoing.iloc[0])] if len(ongoing) else []), exit_base)
    for months in followup_months(uppfoljning):
        made = uppfoljning[uppfoljning["manader"] == months]
        by_group = made.groupby(made["status"].map(FOLLOWUP_GROUP))["antal"].sum()
        gone = _merged_groups(FOLLOWUP_GROUP, merged_statuses)
        counts = [None if g in gone else int(by_group.get(g, 0)) for g in GROUPS]
        _add(frame, f"{months}_man", counts + ([None] if len(ongoing) else []), int(made["antal"].sum()))
    return frame


def _add(frame: pd.DataFrame, suffix: str, counts: list, base: int) -> None:
    """Count and share columns for one time point, with the base as the last row.

    A count of ``None`` (the group does not apply) stays empty, and so does its share.
    """
    frame[f"antal_{suffix}"] = pd.Series(counts + [base], dtype=object)
    frame[f"andel_{suffix}"] = [c / base if base and c is not None else float("nan") for c in counts] + [
        1.0 if base else float("nan")
    ]


def effekter_columns(frame: pd.DataFrame) -> dict:
    """Swedish headings of the ``effekter`` frame's columns."""
    columns = {"grupp": ("Läge", "text"),
               "antal_avslut": ("Vid avslut, antal", "count"), "andel_avslut": ("Vid avslut, andel", "share")}
    for col in frame.columns:
        if col.startswith("antal_") and col.endswith("_man"):
            months = col[len("antal_"):-len("_man")]
            columns[col] = (f"Efter {months} mån, antal", "count")
            columns[f"andel_{months}_man"] = (f"Efter {months} mån, andel", "share")
    return columns


# -- trend (pure) ----------------------------------------------------------------------------------

def trend(reg: pd.DataFrame, windows: list[Window], mode: str = "avslutade", trial_days: int = 0,
          min_cell: int = 0) -> pd.DataFrame:
    """Key figures per period: ``period``, ``start``, ``slut``, ``deltagare`` (unique people),
    ``nya``, ``avslutade``, ``antal_arbete_studier`` and ``bas_arbete_studier`` (as in ``resultat``)
    and their share ``andel_arbete_studier``."""
    rows = []
    for w in windows:
        total = tables.period_counts(reg, w)
        work, base = tables.work_or_studies(reg, w, mode, trial_days, min_cell)
        rows.append({
            "period": period_label(w), "start": fmt.iso(w.start), "slut": fmt.iso(w.end),
            "deltagare": total["unika"], "nya": total["nya"], "avslutade": total["avslutade"],
            "antal_arbete_studier": work, "bas_arbete_studier": base,
            "andel_arbete_studier": work / base if base else float("nan"),
        })
    return pd.DataFrame(rows, columns=["period", "start", "slut", "deltagare", "nya", "avslutade",
                                       "antal_arbete_studier", "bas_arbete_studier", "andel_arbete_studier"])


def _earlier_reports(p, windows: list[Window]) -> dict:
    """The parameters of this insats's other reports (:func:`evaluation.sections.siblings.sibling_params`)
    whose period is one of ``windows``, by window: the reports a trend row must agree with."""
    from evaluation.sections.siblings import sibling_params

    by_period = {(w.start, w.end): w for w in windows}
    return {by_period[(q.period.start, q.period.slut)]: q for q in sibling_params(p)
            if (q.period.start, q.period.slut) in by_period}


def earlier_published(report: "Report", windows: list[Window]) -> tuple[list, list]:
    """``(hidden, shown)``: ``(period, column)`` of the cells of ``trend``'s earlier periods that the
    report of that period (a params file beside this one, on the same data) hides, and those it
    shows, as it publishes them (:func:`evaluation.sections.siblings.published`). A reviewer read
    2023's hidden 'avslutade' in the 2024 report's trend row; another, 2022's, from the 2024
    trend's 2022 row and the 2023 report's new. A period without a report of its own has nothing
    to agree with (its row is protected as the table's own counts)."""
    from evaluation.sections.siblings import published

    hidden, shown = [], []
    for w, q in _earlier_reports(report.params, windows).items():
        made = published(report, q)
        if made is None:
            continue
        frames, masks = made
        for column, (table, source, row) in catalogue.TREND_CELLS.items():
            if table not in frames:
                continue
            frame, mask = frames[table], masks[table]
            at = [i for i, label in enumerate(frame[frame.columns[0]]) if label == row]
            if at:
                (hidden if bool(mask[source].iloc[at[0]]) else shown).append((period_label(w), column))
    return hidden, shown


# -- tables and sections of a report ---------------------------------------------------------------

def _with_earlier_hidden(frame: pd.DataFrame, report: "Report", windows: list[Window]) -> pd.DataFrame:
    if report.params.min_cell > 1 and report.inputs.get("register") is not None:
        hidden, shown = earlier_published(report, windows)
        frame.attrs[catalogue.EARLIER_HIDDEN_ATTR] = tuple(hidden)
        frame.attrs[catalogue.EARLIER_SHOWN_ATTR] = tuple(shown)
    return frame


def effect_tables(report: "Report") -> list[Table]:
    """``effekter`` (register and follow-ups needed) and ``trend`` (an earlier period needed)."""
    from evaluation.sections.participants import table_followups, table_register  # local: participants imports the section machinery

    reg, merged = table_register(report)
    if reg is None:
        return []
    p, w = report.params, report.window
    out = []
    followups, merged_statuses = table_followups(report)
    if followups is not None:
        frame = effekter(tables.resultat(reg, w, p.resultat_bas, p.provtid_dagar, min_cell=p.min_cell),
                         tables.uppfoljning(followups, w),
                         merged, merged_statuses)
        total = frame.iloc[-1]
        # the bases are the Totalt row's cells, read once disclosure control has run ("..": hidden)
        bases = [f"vid avslut {cellrefs.ref(TOTAL, 'antal_avslut')} "
                 f"{'avslutade' if p.resultat_bas == 'avslutade' else 'inskrivna'} som räknas i resultatet"]
        bases += [f"efter {c[len('antal_'):-len('_man')]} mån {cellrefs.ref(TOTAL, c)} uppföljda"
                  for c in frame.columns if c.startswith("antal_") and c.endswith("_man")]
        out.append(Table(
            id="effekter", title="Effekter på längre sikt", frame=frame, columns=effekter_columns(frame),
            total_row=True,
            share_decimals=fmt.share_decimals(min(int(total[c]) for c in frame.columns if c.startswith("antal_"))),
            base="Bas för andelarna: " + ", ".join(bases) + ".",
            note="Vid avslut avses periodens avslutade; uppföljningarna är gjorda under perioden och gäller "
                 "deltagare som avslutades tidigare. Kolumnerna beskriver alltså olika grupper av deltagare. "
                 "Arbete eller studier omfattar arbete, subventionerat arbete och studier; Övrigt omfattar "
                 "även flytt. Ej nådd är de som inte gick att nå vid uppföljningen."
                 + (" " + recode.exit_reasons_note(merged) if merged else "")
                 + (" Vid uppföljningen: " + recode.exit_reasons_note(merged_statuses)[0].lower()
                    + recode.exit_reasons_note(merged_statuses)[1:] if merged_statuses else ""),
        ))
    if len(reg):
        windows = earlier_windows(w, reg["startdatum"].min().date())
        if windows:
            out.append(Table(
                id="trend", title="Nyckeltal per period", frame=_with_earlier_hidden(
                    trend(reg, windows + [w], p.resultat_bas, p.provtid_dagar, p.min_cell), report, windows),
                # people beside enrolments: a reviewer read 61 people and 62 "new" as an error
                columns={"period": ("Period", "text"), "deltagare": ("Deltagare (unika)", "count"),
                         "nya": ("Nya inskrivningar", "count"), "avslutade": ("Avslutade inskrivningar", "count"),
                         "andel_arbete_studier": ("Andel till arbete eller studier", "share")},
                base="Varje period räknas på samma sätt som rapportperioden, ur samma deltagarregister.",
            ))
    return out


def _effect_chart(frame: pd.DataFrame, title: str):
    """Grouped horizontal bars: share per outcome group at exit and at each follow-up."""
    columns = effekter_columns(frame)
    shares = [c for c, (_, kind) in columns.items() if kind == "share"]
    data = frame[frame["grupp"] != TOTAL].melt(id_vars=["grupp"], value_vars=shares, var_name="när", value_name="andel")
    # a hidden share (``..``) stays, as a marked gap; a share that does not apply (empty) goes
    data = data[data["andel"].notna()]
    data["andel"] = pd.to_numeric(data["andel"].where(data["andel"] != MARK), errors="coerce")
    data["när"] = data["när"].map(lambda c: columns[c][0].removesuffix(", andel"))
    return charts.grouped_share_bars(data, "grupp", "andel", "när", title)


def effekter_section(report: "Report") -> Section | None:
    """Section ``effekter``: outcome at exit beside the follow-ups (needs ``uppfoljning``)."""
    table = report.table_map.get("effekter")
    if table is None:
        return None
    total = table.numeric().iloc[-1]
    followed = [c for c in table.frame.columns if c.startswith("antal_") and c.endswith("_man")]
    blocks: list = []
    if not any(total[c] for c in followed):
        blocks.append(paragraph("Inga uppföljningar efter avslut gjordes under perioden."))
    else:
        blocks += [table, _effect_chart(table.frame, "Läge vid avslut och vid uppföljning")]
        small = [c for c in followed if 0 < total[c] < 10]
        if small:
            blocks.append(caution("Få personer följdes upp; andelarna kan ändras mycket av en enda person."))
    return Section("effekter", report.title_of("effekter"), tuple(b for b in blocks if b is not None))


def trend_section(report: "Report") -> Section | None:
    """Section ``trend``: key figures of this and earlier periods (needs an earlier period)."""
    table = report.table_map.get("trend")
    if table is None:
        return None
    frame = table.numeric()
    blocks = [
        table,
        charts.trend_lines(frame, "period", {"deltagare": "Deltagare (unika)", "nya": "Nya inskrivningar",
                                             "avslutade": "Avslutade inskrivningar"},
                           "Deltagare per period"),
        charts.trend_lines(frame, "period", {"andel_arbete_studier": "Andel till arbete eller studier"},
                           "Andel till arbete eller studier per period", shares=True),
    ]
    return Section("trend", report.title_of("trend"), tuple(b for b in blocks if b is not None))
