"""The register part of a report: loads the register, builds its tables and its section."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from . import charts, fmt, notices, tables, vocab
from .model import Section, Table, heading, paragraph
from .params import ReportParams
from .register import load_followups, load_register

if TYPE_CHECKING:
    from .report import Report


def load_register_input(params: ReportParams, inputs: dict):
    """The register, or ``None``; missing while the report's sections show it, or given both as
    CSV and XLSX, is an error (see :func:`evaluation.notices.find_register`)."""
    section_ids = params.sektioner or vocab.DEFAULT_SECTIONS[params.rapporttyp]
    path = notices.find_register(params.data, section_ids, params.rapporttyp)
    return load_register(path) if path else None


def load_followup_input(params: ReportParams, inputs: dict):
    path = notices.single_table(params.data, "uppfoljning")
    return load_followups(path, inputs.get("register")) if path else None


def _share_table(id_: str, title: str, frame: pd.DataFrame, label: tuple[str, str], base: str) -> Table:
    return Table(
        id=id_, title=title, frame=frame, base=base,
        columns={label[0]: (label[1], "text"), "antal": ("Antal", "count"), "andel": ("Andel", "share")},
    )


def register_tables(report: "Report") -> list[Table]:
    """Every register table of the report, in reading order (empty without a register)."""
    reg = report.inputs.get("register")
    if reg is None:
        return []
    p, w = report.params, report.window
    out = [gender_table(reg, w)]
    if (reg["delinsats"].fillna("") != "").any():
        out.append(Table(
            id="delinsatser", title="Deltagare per delinsats", frame=tables.delinsatser(reg, w),
            columns={"delinsats": ("Delinsats", "text"), "unika": ("Unika deltagare", "count"),
                     "nya": ("Nya", "count"), "avslutade": ("Avslutade", "count"),
                     "pagaende": ("Pågående", "count")},
        ))
    n_started = len(tables.started(reg, w))
    started_base = f"Andel av {fmt.number(n_started)} som började under perioden (ej anonyma)."
    out.append(_share_table("alder", "Ålder vid start", tables.alder(reg, w, p.alder_intervall), ("intervall", "Åldersintervall"), started_base))
    if reg["utbildningsniva"].notna().any():
        out.append(_share_table("utbildning", "Utbildningsnivå vid start", tables.utbildning(reg, w), ("niva", "Utbildningsnivå"), started_base))
    if reg["tid_i_forsorjning"].notna().any():
        out.append(_share_table("tid_i_forsorjning", "Tid i offentlig försörjning vid start", tables.tid_i_forsorjning(reg, w), ("tid", "Tid i försörjning"), started_base))
    if reg["aktivt_arbetssokande_start"].notna().any():
        out.append(_share_table("aktivt_arbetssokande_start", "Aktivt arbetssökande vid start",
                                tables.aktivt_arbetssokande_start(reg, w), ("uppgift", "Inskriven som aktivt arbetssökande"),
                                started_base))
    out.append(result_table(reg, p, w))
    n_ended = len(tables.ended(reg, w))
    out.append(Table(
        id="avslutsanledning_kon", title="Avslutsanledning per kön", frame=tables.avslutsanledning_kon(reg, w),
        columns={"avslutsanledning": ("Avslutsanledning", "text"), "kon": ("Kön", "text"),
                 "antal": ("Antal", "count"), "andel": ("Andel", "share")},
        base=f"Andel av {fmt.number(n_ended)} avslutade under perioden (ej anonyma).",
    ))
    if reg["forsorjning_fore"].notna().any() or reg["forsorjning_efter"].notna().any():
        out.append(Table(
            id="forsorjning_fore_efter", title="Försörjning före och efter insatsen",
            frame=tables.forsorjning_fore_efter(reg, w),
            columns={"kalla": ("Försörjningskälla", "text"), "fore": ("Antal före", "count"),
                     "andel_fore": ("Andel före", "share"), "efter": ("Antal efter", "count"),
                     "andel_efter": ("Andel efter", "share"), "forandring": ("Förändring", "change"),
                     "forandring_procent": ("Förändring i %", "change_share")},
            base=f"Andel av {fmt.number(n_ended)} avslutade under perioden, före och efter insatsen. En deltagare kan ha flera försörjningskällor, så andelarna kan summera till mer än 100 %.",
        ))
    followups = report.inputs.get("followups")
    if followups is not None:
        frame = tables.uppfoljning(followups, w)
        out.append(Table(
            id="uppfoljning", title="Uppföljning efter avslut", frame=frame,
            columns={"manader": ("Månader efter avslut", "count"), "status": ("Läge vid uppföljningen", "text"),
                     "antal": ("Antal", "count"), "andel": ("Andel", "share")},
            base="Uppföljningar gjorda under perioden; andel av dem som följdes upp efter samma antal månader.",
        ))
    return out


def gender_table(reg: pd.DataFrame, w: tables.Window) -> Table:
    """Table ``deltagare_kon`` of a register (or a sub-insats's part of it)."""
    return Table(
        id="deltagare_kon", title="Deltagare per kön", frame=tables.deltagare_kon(reg, w),
        columns={"kon": ("Kön", "text"), "unika": ("Unika deltagare", "count"),
                 "inskrivningar": ("Inskrivningar", "count"), "nya": ("Nya", "count"),
                 "avslutade": ("Avslutade", "count"), "pagaende": ("Pågående vid periodens slut", "count")},
        total_row=True,
        base="Inskrivna någon dag under perioden; anonyma deltagare ingår.",
    )


def result_table(reg: pd.DataFrame, p: ReportParams, w: tables.Window) -> Table:
    """Table ``resultat`` of a register (or a sub-insats's part of it), with its base stated."""
    frame = tables.resultat(reg, w, p.resultat_bas, p.provtid_dagar, p.resultatgrupper)
    n = int(frame["bas"].iloc[0]) if len(frame) > 1 else 0
    who = "avslutade" if p.resultat_bas == "avslutade" else "inskrivna"
    excluded = int(frame["antal"].iloc[-1])
    reasons = "avslut utan mätning"
    if p.provtid_dagar:
        reasons = f"avslut inom provtiden ({fmt.number(p.provtid_dagar)} dagar) och " + reasons
    return Table(
        id="resultat", title="Resultat vid avslut", frame=frame,
        columns={"kategori": ("Kategori", "text"), "antal": ("Antal", "count"), "andel": ("Andel", "share")},
        base=f"Andel av {fmt.number(n)} {who} som räknas i resultatet. Ej i resultatet: {fmt.number(excluded)} ({reasons}).",
        note="Aktivt arbetssökande (överlappande) räknar dem som var aktivt arbetssökande vid avslut utan att gå till arbete eller studier; raden överlappar övriga kategorier.",
    )


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
    outcome = res.numeric()[~res.frame["kategori"].isin(["Ej i resultatet"])]
    blocks += [heading("Resultat vid avslut", 3), res,
               charts.share_bars(outcome, "kategori", "andel", "Resultat vid avslut"), t["avslutsanledning_kon"]]
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
