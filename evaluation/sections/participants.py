"""The register part of a report: loads the register, builds its tables and its section."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from evaluation.compute import catalogue, cellrefs, charts, recode, tables
from evaluation.core import fmt, vocab
from evaluation.core.errors import Notice
from evaluation.core.model import Section, Table, heading, paragraph
from evaluation.inputs import notices
from evaluation.inputs.params import ReportParams
from evaluation.inputs.register import load_followups, load_register

if TYPE_CHECKING:
    from evaluation.build.report import Report


def load_register_input(params: ReportParams, inputs: dict):
    """The register, or ``None``; missing while the report's sections show it, or given both as
    CSV and XLSX, is an error (see :func:`evaluation.inputs.notices.find_register`)."""
    section_ids = params.sektioner or vocab.DEFAULT_SECTIONS[params.rapporttyp]
    path = notices.find_register(params.data, section_ids, params.rapporttyp)
    if not path:
        return None
    reg = load_register(path)
    notices.note(*outside_period(reg, path, params))
    return reg


def empty_period(reg: pd.DataFrame | None, params: ReportParams) -> tuple | None:
    """The register's first and last date when none of its enrolments overlaps the report's
    period (``None`` when one does, or there is no register)."""
    if reg is None or reg.empty:
        return None
    if tables.in_period(reg, tables.Window(params.period.start, params.period.slut)).any():
        return None
    first = reg["startdatum"].min()
    last = max(d for d in (reg["startdatum"].max(), reg["slutdatum"].max()) if pd.notna(d))
    return first, last


def outside_period(reg: pd.DataFrame, path, params: ReportParams) -> list[Notice]:
    """A register none of whose enrolments overlaps the report's period: a notice naming the
    register's dates and the parameter file, as the report would otherwise show 0 participants
    without a word (a period mistyped, or the wrong year's parameter file)."""
    span = empty_period(reg, params)
    if span is None:
        return []
    first, last = span
    w = tables.Window(params.period.start, params.period.slut)
    where = f" i {params.source}" if params.source is not None else ""
    return [Notice(path, None, (
        f"ingen inskrivning i registret överlappar perioden {fmt.iso(w.start)} – {fmt.iso(w.end)}; registrets "
        f"datum går från {fmt.iso(first.date())} till {fmt.iso(last.date())}, så rapporten visar 0 deltagare. "
        f"Stämmer period{where}? Rätta start och slut under period, eller använd ett register för den perioden."
    ))]


#: The follow-ups' table in the data folder (``.csv`` or ``.xlsx``).
FOLLOWUPS = "uppfoljning"


def load_followup_input(params: ReportParams, inputs: dict):
    path = notices.single_table(params.data, FOLLOWUPS)
    return load_followups(path, inputs.get("register")) if path else None


def table_register(report: "Report") -> tuple[pd.DataFrame | None, list[str]]:
    """The register every count table reads, and the exit reasons merged into ``Övrigt``:
    with ``min_cell``, exit reasons that few who ended in the period have are recoded once, for
    every table (global recoding, :mod:`evaluation.compute.recode`)."""
    return recoded_register(report.inputs.get("register"), report.params, report.window)


def recoded_register(reg: pd.DataFrame | None, p: ReportParams, w: tables.Window) -> tuple[pd.DataFrame | None, list[str]]:
    """:func:`table_register` of the register ``reg`` for the report of ``p`` over ``w``."""
    if reg is None or p.min_cell < 2:
        return reg, []
    reasons = recode.small_exit_reasons(tables.ended(reg, w)["avslutsanledning"], p.min_cell)
    # a user group (resultatgrupper) that names a reason but not Övrigt would change: keep that reason
    named = {r for members in (p.resultatgrupper or {}).values() if recode.OTHER not in members
             for r in members}
    reasons = [r for r in reasons if r not in named]
    return recode.recode_exit_reasons(reg, reasons), reasons


def table_followups(report: "Report") -> tuple[pd.DataFrame | None, list[str]]:
    """The follow-ups every count table reads, and the statuses merged into ``Övrigt`` (with
    ``min_cell``: statuses few have after some number of months, :mod:`evaluation.compute.recode`)."""
    followups = report.inputs.get("followups")
    if followups is None or report.params.min_cell < 2:
        return followups, []
    w = report.window
    made = followups[followups["datum"].between(pd.Timestamp(w.start), pd.Timestamp(w.end))]
    statuses = recode.small_followup_statuses(made, report.params.min_cell)
    return recode.recode_followups(followups, statuses), statuses


#: How each background table's rows are merged when few: rows left as they are, how to name a merge.
_RECODING = {"alder": ((vocab.AGE_UNKNOWN,), recode.age_join),
             "utbildning": ((vocab.UNKNOWN_EDUCATION,), recode.education_join),
             "tid_i_forsorjning": ((vocab.UNKNOWN_TIME,), recode.time_join),
             "aktivt_arbetssokande_start": ((), None)}


def _share_table(id_: str, title: str, frame: pd.DataFrame, label: tuple[str, str], base: str,
                 min_cell: int = 0) -> Table:
    unordered, join = _RECODING[id_]
    merged = []
    if join is not None:  # yes/no tables are not merged: disclosure control hides their small cells
        frame, merged = recode.recode_distribution(frame, label[0], min_cell, unordered, join)
    if id_ == "tid_i_forsorjning":  # every band named by its bounds, as the merged ones are
        frame = frame.assign(tid=[recode.time_band(t) for t in frame["tid"]])
    return Table(
        id=id_, title=title, frame=frame, base=base, note=recode.merged_note(merged),
        share_decimals=fmt.share_decimals(int(frame["antal"].sum())),
        columns={label[0]: (label[1], "text"), "antal": ("Antal", "count"), "andel": ("Andel", "share")},
    )


def register_tables(report: "Report") -> list[Table]:
    """Every register table of the report, in reading order (empty without a register)."""
    reg, merged_reasons = table_register(report)
    if reg is None:
        return []
    p, w = report.params, report.window
    m = p.min_cell
    out = [gender_table(reg, w, from_the_start(reg, w))]
    if (reg["delinsats"].fillna("") != "").any():
        out.append(Table(
            id="delinsatser", title="Deltagare per delinsats", frame=tables.delinsatser(reg, w),
            columns={"delinsats": ("Delinsats", "text"), "unika": ("Unika deltagare", "count"),
                     "nya": ("Nya", "count"), "avslutade": ("Avslutade", "count"),
                     "pagaende": ("Pågående", "count")},
        ))
    # each table's own total, read once disclosure control has run (hidden: the base line says so)
    started_base = f"Andel av {cellrefs.ref(cellrefs.TOTAL, 'antal')} som började under perioden (ej anonyma)."
    out.append(_share_table("alder", "Ålder vid start", tables.alder(reg, w, p.alder_intervall), ("intervall", "Åldersintervall"), started_base, m))
    if reg["utbildningsniva"].notna().any():
        out.append(_share_table("utbildning", "Utbildningsnivå vid start", tables.utbildning(reg, w), ("niva", "Utbildningsnivå"), started_base, m))
    if reg["tid_i_forsorjning"].notna().any():
        out.append(_share_table("tid_i_forsorjning", "Tid i offentlig försörjning vid start", tables.tid_i_forsorjning(reg, w), ("tid", "Tid i försörjning"), started_base, m))
    if reg["aktivt_arbetssokande_start"].notna().any():
        out.append(_share_table("aktivt_arbetssokande_start", "Aktivt arbetssökande vid start",
                                tables.aktivt_arbetssokande_start(reg, w), ("uppgift", "Inskriven som aktivt arbetssökande"),
                                started_base, m))
    out.append(result_table(reg, p, w, merged_reasons))
    out.append(exit_reasons_table(reg, w, m, merged_reasons))
    if reg["forsorjning_fore"].notna().any() or reg["forsorjning_efter"].notna().any():
        support = tables.forsorjning_fore_efter(reg, w)
        merged_sources = recode.small_sources(support, m)
        if merged_sources:
            support = tables.forsorjning_fore_efter(recode.recode_sources(tables.ended(reg, w), merged_sources), w)
        support.attrs[recode.MERGED_ATTR] = tuple(merged_sources)
        out.append(Table(
            id="forsorjning_fore_efter", title="Försörjning före och efter insatsen",
            frame=support, note=recode.sources_note(merged_sources),
            columns={"kalla": ("Försörjningskälla", "text"), "fore": ("Antal före", "count"),
                     "andel_fore": ("Andel före", "share"), "efter": ("Antal efter", "count"),
                     "andel_efter": ("Andel efter", "share"), "forandring": ("Förändring", "change"),
                     "forandring_procent": ("Förändring i %", "change_share")},
            # its own base cell (the exit table beside it may be shown nowhere, all hidden)
            base=f"Andel av {cellrefs.ref(support['kalla'].iloc[0], 'bas') if len(support) else '0'} avslutade under perioden, före och efter insatsen. En deltagare kan ha flera försörjningskällor, så andelarna kan summera till mer än 100 %.",
        ))
    planning = tables.gemensam_planering(reg, w)
    if planning is not None:
        out.append(Table(
            id="gemensam_planering", title="Gemensam planering", frame=planning,
            columns={"svar": ("Gemensam planering", "text"), "antal": ("Antal", "count"), "andel": ("Andel", "share")},
            base="Inskrivningar under perioden (ej anonyma) med uppgift om gemensam planering.",
        ))
    followups, merged_statuses = table_followups(report)
    if followups is not None:
        frame = tables.uppfoljning(followups, w)
        frame.attrs[recode.MERGED_ATTR] = tuple(merged_statuses)
        out.append(Table(
            id="uppfoljning", title="Uppföljning efter avslut", frame=frame,
            columns={"manader": ("Månader efter avslut", "count"), "status": ("Läge vid uppföljningen", "text"),
                     "antal": ("Antal", "count"), "andel": ("Andel", "share")},
            base="Uppföljningar gjorda under perioden; andel av dem som följdes upp efter samma antal månader.",
            note=recode.exit_reasons_note(merged_statuses),
            share_decimals=fmt.share_decimals(int(frame.groupby("manader")["antal"].sum().min()) if len(frame) else None),
        ))
    return out


def from_the_start(reg: pd.DataFrame, w: tables.Window) -> bool:
    """Whether period ``w`` begins on or before the first enrolment of ``reg`` (the whole insats's):
    then no one was enrolled before it, which a reader who knows when the insats began knows too."""
    return bool(len(reg)) and w.start <= reg["startdatum"].min().date()


def gender_table(reg: pd.DataFrame, w: tables.Window, from_the_start: bool = False) -> Table:
    """Table ``deltagare_kon`` of a register (or a sub-insats's part of it); ``from_the_start``:
    the period begins on or before the insats's first enrolment (:func:`from_the_start`)."""
    frame = tables.deltagare_kon(reg, w)
    frame.attrs[catalogue.FROM_THE_START] = from_the_start
    return Table(
        id="deltagare_kon", title="Deltagare per kön", frame=frame,
        columns={"kon": ("Kön", "text"), "unika": ("Unika deltagare", "count"),
                 "inskrivningar": ("Inskrivningar", "count"), "nya": ("Nya", "count"),
                 "avslutade": ("Avslutade", "count"), "pagaende": ("Pågående vid periodens slut", "count")},
        total_row=True,
        base="Inskrivna någon dag under perioden; anonyma deltagare ingår.",
    )


def exit_reasons_table(reg: pd.DataFrame, w: tables.Window, min_cell: int, merged_reasons=()) -> Table:
    """Table ``avslutsanledning_kon``: every pair of exit reason (or group) and gender a row."""
    by_gender = recode.every_pair(recode.group_exit_reasons_by_gender(tables.avslutsanledning_kon(reg, w), min_cell))
    grouped = by_gender.attrs.get(recode.GROUPS_ATTR, {})
    by_gender.attrs[recode.MERGED_ATTR] = tuple(merged_reasons) + tuple(r for rs in grouped.values() for r in rs)
    return Table(
        id="avslutsanledning_kon", title="Avslutsanledning per kön", frame=by_gender,
        columns={"avslutsanledning": ("Avslutsanledning", "text"), "kon": ("Kön", "text"),
                 "antal": ("Antal", "count"), "andel": ("Andel", "share")},
        base=f"Andel av {cellrefs.ref(cellrefs.TOTAL, 'antal')} avslutade under perioden (ej anonyma).",
        share_decimals=fmt.share_decimals(len(tables.ended(reg, w))),
        note=" ".join(x for x in (recode.exit_reasons_note(merged_reasons), recode.groups_note(grouped)) if x),
    )


def result_table(reg: pd.DataFrame, p: ReportParams, w: tables.Window, merged_reasons=()) -> Table:
    """Table ``resultat`` of a register (or a sub-insats's part of it), with its base stated.
    ``merged_reasons``: exit reasons the register has recoded as ``Övrigt`` (:func:`table_register`)."""
    frame = tables.resultat(reg, w, p.resultat_bas, p.provtid_dagar, p.resultatgrupper, p.min_cell)
    # read from the protected cells once disclosure control has run (a hidden one gives "..")
    n = cellrefs.ref(vocab.WORK_OR_STUDIES_ROW, "bas") if len(frame) > 1 else "0"
    who = "avslutade" if p.resultat_bas == "avslutade" else "inskrivna"
    excluded = cellrefs.ref(vocab.NOT_IN_RESULT_ROW, "antal")
    reasons = "avslut utan mätning"
    if p.provtid_dagar:
        reasons = f"avslut inom provtiden ({fmt.number(p.provtid_dagar)} dagar) och " + reasons
    frame.attrs[recode.MERGED_ATTR] = tuple(merged_reasons)
    if merged_reasons:  # the note names them, each one at least one person: so a reader knows
        frame.attrs[catalogue.BOUNDS_ATTR] = (("antal", recode.OTHER, len(merged_reasons)),)
    return Table(
        id="resultat", title="Resultat vid avslut", frame=frame, share_decimals=fmt.share_decimals(int(frame["bas"].iloc[0]) if len(frame) > 1 else 0),
        columns={"kategori": ("Kategori", "text"), "antal": ("Antal", "count"), "andel": ("Andel", "share")},
        base=f"Andel av {n} {who} som räknas i resultatet. Ej i resultatet: {excluded} ({reasons}).",
        note=" ".join(x for x in (
            "Aktivt arbetssökande (överlappande) räknar dem som var aktivt arbetssökande vid avslut utan att gå "
            "till arbete eller studier; raden överlappar övriga kategorier.",
            recode.exit_reasons_note(merged_reasons),
            f"För att skydda enskilda personer räknas {reasons} i resultatet den här perioden: de är för få "
            "för att visas för sig." if frame.attrs.get(tables.COUNTED_IN_ATTR) else "") if x),
    )


#: Rows of ``resultat`` that are not parts of the result base: a sum of other rows, an
#: overlapping row and those left out. A chart of the distribution shows only the parts.
NOT_PARTS = (vocab.WORK_OR_STUDIES_ROW, vocab.ACTIVELY_SEEKING_ROW, vocab.NOT_IN_RESULT_ROW)


def outcome_parts(table: Table) -> pd.DataFrame:
    """The rows of a ``resultat`` table that partition its base (exit reasons and ``Pågående``),
    hidden cells as missing: their shares sum to 100 %. User groups are sums, so left out too."""
    frame = table.numeric()
    groups = set(table.frame.attrs.get(tables.GROUPS_ATTR) or {})
    return frame[~frame["kategori"].isin([*NOT_PARTS, *groups])]


def resultat_section(report: "Report") -> Section | None:
    t = report.table_map
    if "deltagare_kon" not in t:
        return None
    blocks: list = [heading("Deltagare", 3), t["deltagare_kon"]]
    if "delinsatser" in t:
        blocks.append(t["delinsatser"])
    blocks += [heading("Deltagarnas förutsättningar vid start", 3), t["alder"],
               charts.share_bars(t["alder"].numeric(), "intervall", "andel", "Ålder vid start")]
    for id_, label in (("utbildning", "niva"), ("tid_i_forsorjning", "tid"), ("aktivt_arbetssokande_start", "uppgift")):
        if id_ in t:
            blocks += [t[id_], charts.share_bars(t[id_].numeric(), label, "andel", t[id_].title)]
    res = t["resultat"]
    blocks += [heading("Resultat vid avslut", 3), res,
               charts.share_bars(outcome_parts(res), "kategori", "andel", "Resultat vid avslut"),
               t["avslutsanledning_kon"]]
    if "forsorjning_fore_efter" in t:
        f = t["forsorjning_fore_efter"]
        blocks += [heading("Försörjning före och efter", 3), f,
                   charts.before_after(f.numeric(), "kalla", "fore", "efter", "Försörjningskälla före och efter insatsen")]
    if "uppfoljning" in t:
        blocks += [heading("Uppföljning efter avslut", 3)]
        if t["uppfoljning"].frame.empty:
            blocks.append(paragraph("Inga uppföljningar gjordes under perioden."))
        else:
            blocks.append(t["uppfoljning"])
    return Section("resultat", report.title_of("resultat"), tuple(b for b in blocks if b is not None))
