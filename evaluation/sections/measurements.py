"""Sections ``matningar`` (change per participant), ``samverkan`` (organisations on the
processtrappa) and ``samhallsnytta`` (socio-economic payback): loaders, tables and builders.

Inputs: ``matningar.csv`` + ``instrument.yaml`` (contract §8) and ``kostnader.yaml`` (§9).
Count tables (``matning_<id>``, ``matning_<id>_steg``, ``samhallsnytta_underlag``) go through
disclosure control; the amounts (``samhallsnytta_betalare``, ``samhallsnytta_kanslighet``) are
computed afterwards from the protected counts, so an amount that needs a hidden count is hidden.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from evaluation.compute import catalogue, cellrefs, change, charts, payback, recode, tables
from evaluation.core import fmt
from evaluation.core.collector import note
from evaluation.core.errors import InputError, Notice
from evaluation.core.model import Section, Table, bullet_list, heading, paragraph
from evaluation.core.vocab import MARK
from evaluation.inputs import costs as costs_input
from evaluation.inputs import measurements as measurement_input


if TYPE_CHECKING:
    from evaluation.build.report import Report
    from evaluation.inputs.params import ReportParams

COST_SOURCES_NOTE = "Belopp per person och år enligt kostnader.yaml; källor i källförteckningen nedan."


# -- loading ----------------------------------------------------------------------------------------
def load_measurements_input(params: "ReportParams", inputs: dict):
    """Loader: ``matningar.csv|.xlsx`` with ``instrument.yaml`` (``None`` when there is no table)."""
    table, spec = measurement_input.find(params.data)
    if table is None:
        if spec is not None:
            note(Notice(spec, None, "instrument.yaml finns men ingen matningar.csv eller matningar.xlsx; "
                                    "instrumenten används inte förrän mätningarna finns."))
        return None
    if spec is None:
        raise InputError(f"{table}: mätningarna behöver {measurement_input.INSTRUMENTS} i samma mapp, som beskriver "
                         "varje instrument (namn, galler, skala eller steg). Se docs/indatakontrakt.md, avsnitt 9.")
    instruments = measurement_input.load_instruments(spec)
    return measurement_input.load_measurements(table, instruments, inputs.get("register"))


def load_costs_input(params: "ReportParams", inputs: dict):
    """Loader: ``kostnader.yaml`` (``None`` when absent)."""
    path = costs_input.find(params.data)
    return costs_input.load_costs(path) if path else None


# -- tables (raw, before disclosure control) ------------------------------------------------------
#: The two measurements compared: column suffix and its Swedish word.
SIDES = (("forst", "första"), ("senast", "senaste"))


def _change_columns(instrument) -> dict:
    unit = "steg" if instrument.is_steps else "värde"
    columns = {
        "kon": ("Kön", "text"), "parade": ("Med två mätningar", "count"), "en_matning": ("En mätning", "count"),
        "medel_forst": (f"Medel{unit}, första", "number"), "medel_senast": (f"Medel{unit}, senaste", "number"),
        "medel_forandring": ("Medelförändring", "number"),
        "forbattrade": ("Förbättrade", "count"), "oforandrade": ("Oförändrade", "count"),
        "forsamrade": ("Försämrade", "count"), "andel_forbattrade": ("Andel förbättrade", "share"),
    }
    if instrument.cutoff is not None:
        if instrument.reliable_change is not None:
            columns["aterhamtade"] = ("Återhämtade", "count")
        sign = "≤" if instrument.higher_is_better else "≥"
        limit = f"{sign} {fmt.decimal(instrument.cutoff)}"
        columns.update({f"kliniska_{side}": (f"{limit} {word}", "count") for side, word in SIDES})
        columns.update({f"andel_kliniska_{side}": (f"Andel {limit} {word}", "share") for side, word in SIDES})
    return columns


def _rule_note(instrument) -> str:
    if instrument.is_steps:
        return "Förbättrad: minst ett steg upp mellan första och senaste mätningen; försämrad: minst ett steg ned."
    if instrument.reliable_change is None:
        return "Förbättrad eller försämrad: varje förändring mellan första och senaste mätningen."
    text = (f"Förbättrad eller försämrad: en förändring på minst {fmt.decimal(instrument.reliable_change)} "
            "(tillförlitlig förändring).")
    if instrument.cutoff is not None:
        text += (f" Återhämtad: tillförlitligt förbättrad från {fmt.decimal(instrument.cutoff)} eller "
                 f"{'lägre' if instrument.higher_is_better else 'högre'} till andra sidan gränsvärdet.")
    return text


def measurement_tables(report: "Report") -> list[Table]:
    found = report.inputs.get("measurements")
    if found is None:
        return []
    w, out = report.window, []
    for instrument in found.instruments.values():
        if instrument.applies_to == "part":
            frame = change.parts_table(found.frame, instrument, w.start, w.end)
            if len(frame):
                out.append(Table(
                    id=f"samverkan_{instrument.id}", title=f"{instrument.name}: första och senaste mätningen", frame=frame,
                    columns={"part": ("Part", "text"), "forsta": ("Första", "text" if instrument.is_steps else "number"),
                             "datum_forsta": ("Datum", "text"), "senast": ("Senaste", "text" if instrument.is_steps else "number"),
                             "datum_senast": ("Datum", "text"), "forandring": ("Förändring", "number")},
                    note="Organisationer, inte personer: uppgifterna skyddas inte som antal."))
            continue
        frame = change.change_table(found.frame, instrument, w.start, w.end, report.inputs.get("register"))
        if frame["parade"].iloc[-1] + frame["en_matning"].iloc[-1] == 0:
            continue
        frame[["medel_forst", "medel_senast", "medel_forandring"]] = frame[
            ["medel_forst", "medel_senast", "medel_forandring"]].round(1)
        out.append(Table(id=f"matning_{instrument.id}", title=f"{instrument.name}: förändring per deltagare",
                         frame=frame, columns=_change_columns(instrument), total_row=True,
                         base="Första mätningen före eller i perioden, senaste i perioden; deltagare med en mätning "
                              "ingår inte i förändringen.", note=_rule_note(instrument)))
        if instrument.is_steps:
            steps = change.transitions_table(found.frame, instrument, w.start, w.end)
            steps.attrs[catalogue.BETTER_ATTR] = instrument.higher_is_better
            columns = {"forsta": ("Första steget", "text"),
                       **{f"steg_{j}": (s, "count") for j, s in enumerate(instrument.steps, 1)},
                       "totalt": ("Totalt", "count")}
            out.append(Table(id=f"matning_{instrument.id}_steg", title=f"{instrument.name}: från första till senaste steget",
                             frame=steps, columns=columns, total_row=True,
                             base="Rader: steget vid första mätningen; kolumner: steget vid den senaste."))
    return out


def _merged_free_sources(report: "Report", found) -> list[str]:
    """The small sources ``forsorjning_fore_efter`` merges into Annan, when each costs nothing (no
    amount, or 0 kr): merged here too, the payback is the same (Annan costs 0), and the two tables
    do not show one source apart and together. A source with an amount stays apart."""
    register, m = report.inputs.get("register"), report.params.min_cell
    if register is None or m < 2 or not {"forsorjning_fore", "forsorjning_efter"} <= set(register.columns):
        return []
    small = recode.small_sources(tables.forsorjning_fore_efter(register, report.window), m)
    if any(s in found.rates and found.rates[s].amount for s in small):
        return []  # merged in one table and apart in the other either way: apart here, priced
    return small


def cost_tables(report: "Report") -> list[Table]:
    found = report.inputs.get("costs")
    if found is None:
        return []
    people = payback.base(report.inputs.get("register"), report.window.start, report.window.end)
    missing = payback.unpriced(people, found)
    if missing:
        note(Notice(costs_input.find(report.params.data), None,
                    f"ingen kostnad angiven för {', '.join(missing)}; de räknas som 0 kr i samhällsnyttan. "
                    "Lägg till dem under forsorjning om de kostar."))
    merged = _merged_free_sources(report, found)  # as in forsorjning_fore_efter: one Annan in both
    frame = payback.counts_table(recode.recode_sources(people, merged), found)
    frame.attrs[recode.MERGED_ATTR] = tuple(merged)
    unpriced = (f" {payback.UNPRICED}: ingen kostnad angiven, räknas som 0 kr."
                if (frame["belopp"] == payback.UNPRICED).any() else "")
    unpriced += f" {recode.sources_note(merged)}" if merged else ""
    return [Table(id="samhallsnytta_underlag", title="Försörjning före och efter, med kostnad per person och år",
                  frame=frame, columns={"kategori": ("Försörjning", "text"), "betalare": ("Betalare", "text"),
                                        "belopp": ("Kr per person och år", "count"),
                                        "antal_fore": ("Antal före", "count"), "antal_efter": ("Antal efter", "count")},
                  base=_cost_base(frame),
                  note="En deltagare med flera försörjningar räknas med hela beloppet för var och en." + unpriced)]


def _cost_base(frame: pd.DataFrame) -> str:
    """The base line of ``samhallsnytta_underlag``: how many it counts (a protected cell) and
    how they differ from those of ``forsorjning_fore_efter``."""
    who = "deltagare i perioden med försörjning angiven både före och efter"
    if frame.empty:
        return f"Underlaget är {who}: inga under perioden."
    n = cellrefs.ref(frame["kategori"].iloc[0], "bas")
    return (f"Underlaget är {n} {who}. Tabellen Försörjning före och efter insatsen räknar de som avslutade "
            "under perioden, också dem som saknar uppgift om försörjning, och kan därför visa andra antal.")


# -- tables computed from the protected counts --------------------------------------------------------
def derived_tables(params, inputs, by_id) -> list[Table]:
    """After disclosure control: the amounts per payer and the sensitivity to dödvikt."""
    found = inputs.get("costs")
    counts = by_id.get("samhallsnytta_underlag")
    if found is None or counts is None:
        return []
    payers = payback.payer_table(counts.frame)
    total = payers["besparing"].iloc[-1]
    sens = payback.sensitivity_table(total, found)
    return [
        Table(id="samhallsnytta_betalare", title="Offentlig kostnad per år före och efter, per betalare", frame=payers,
              columns={"betalare": ("Betalare", "text"), "kostnad_fore": ("Före (kr/år)", "count"),
                       "kostnad_efter": ("Efter (kr/år)", "count"), "besparing": ("Minskning (kr/år)", "count")},
              total_row=True, note=COST_SOURCES_NOTE),
        Table(id="samhallsnytta_kanslighet", title="Återbetalning vid olika dödvikt", frame=sens,
              columns={"dodvikt": ("Dödvikt", "share"), "besparing": ("Besparing som tillskrivs insatsen (kr/år)", "count"),
                       "aterbetalningstid": ("Återbetalningstid", "text"),
                       "nuvarde": (f"Nuvärde över {found.horizon} år (kr)", "count")},
              share_decimals=0,
              note=(f"Insatsens kostnad {fmt.number(found.cost)} kr; diskonteringsränta "
                    f"{fmt.percent(found.rate, 1)}; horisont {found.horizon} år.")),
    ]


# -- sections --------------------------------------------------------------------------------------------
def matningar_section(context) -> Section | None:
    found = context.inputs.get("measurements")
    if found is None:
        return None
    blocks: list = []
    for instrument in found.instruments.values():
        table = context.table_map.get(f"matning_{instrument.id}")
        if table is None:
            continue
        blocks.append(heading(instrument.name, 3))
        total = table.frame.iloc[-1]
        n = total["parade"]
        blocks.append(paragraph(_change_sentence(total)))
        blocks.append(table)
        chart = _change_chart(context, instrument, table)
        if chart is not None:
            blocks.append(chart)
        steps = context.table_map.get(f"matning_{instrument.id}_steg")
        if steps is not None:
            blocks.append(steps)
    if not blocks:
        return None
    blocks.append(paragraph("Förändringen jämför samma deltagare vid två tillfällen. Det finns ingen jämförelsegrupp, "
                            "så förändringen kan inte helt tillskrivas insatsen."))
    return Section("matningar", context.title_of("matningar"), tuple(blocks))


def _hidden(value) -> bool:
    return isinstance(value, str) and value == MARK


def _change_sentence(total) -> str:
    """What the ``Totalt`` row says, in words; a hidden count is said to be hidden, never written."""
    classes = ("forbattrade", "oforandrade", "forsamrade", "en_matning")
    if _hidden(total["parade"]):
        return "Antalet deltagare med mätningar visas inte, för att skydda enskilda personer (se tabellen)."
    text = f"{fmt.number(total['parade'])} deltagare har mätts minst två gånger"
    if not _hidden(total["en_matning"]):
        text += f" och {fmt.number(total['en_matning'])} en gång"
    text += "."
    # (first in the sentence, later in it, after "hur många som")
    words = {"forbattrade": ("förbättrades {n}", "{n} förbättrades", "förbättrades"),
             "oforandrade": ("var {n} oförändrade", "{n} var oförändrade", "var oförändrade"),
             "forsamrade": ("försämrades {n}", "{n} försämrades", "försämrades")}
    shown: list[str] = []
    for column in classes[:3]:
        if not _hidden(total[column]):
            shown.append(words[column][1 if shown else 0].format(n=fmt.number(total[column])))
    hidden = [words[c][2] for c in classes[:3] if _hidden(total[c])]
    if shown:
        text += f" Av dem {fmt.swedish_list(shown)}."
    if hidden:
        text += (f" Hur många som {' eller '.join(hidden)} visas inte, för att skydda enskilda personer "
                 "(se tabellen).")
    return text


def _change_chart(context, instrument, table):
    if instrument.is_steps:
        steps = context.table_map.get(f"matning_{instrument.id}_steg")
        if steps is None:
            return None
        frame = steps.numeric()  # a hidden count is a missing number: a marked gap, never a zero
        first = list(frame["totalt"].iloc[:-1])
        latest = [frame[f"steg_{j}"].iloc[-1] for j in range(1, len(instrument.steps) + 1)]
        data = pd.DataFrame({"steg": list(instrument.steps), "forsta": first, "senast": latest})
        return charts.before_after(data, "steg", "forsta", "senast",
                                   f"{instrument.name}: deltagare per steg, första och senaste mätningen",
                                   names=("Första", "Senaste"))
    total = table.frame.iloc[-1]
    n = total["parade"]
    if isinstance(n, str) or not n:
        return None
    rows = [(label, total[column] / n if not isinstance(total[column], str) else float("nan"))
            for column, label in change.CLASSES.items()]
    return charts.share_bars(pd.DataFrame(rows, columns=["klass", "andel"]), "klass", "andel",
                             f"{instrument.name}: andel per förändring")


def samverkan_section(context) -> Section | None:
    found = context.inputs.get("measurements")
    if found is None:
        return None
    tables = [context.table_map[f"samverkan_{i.id}"] for i in found.instruments.values()
              if f"samverkan_{i.id}" in context.table_map]
    if not tables:
        return None
    lead = paragraph("Samverkan mäts per organisation: vilket steg parterna var på vid första och senaste mätningen.")
    return Section("samverkan", context.title_of("samverkan"), (lead, *tables))


def samhallsnytta_section(context) -> Section | None:
    found = context.inputs.get("costs")
    payers = context.table_map.get("samhallsnytta_betalare")
    if found is None or payers is None:
        return None
    sens = context.table_map["samhallsnytta_kanslighet"].frame
    own = sens[sens["dodvikt"] == found.deadweight].iloc[0]
    saving = payers.frame["besparing"].iloc[-1]
    if isinstance(saving, str):
        lead = ("Den offentliga kostnaden före och efter kan inte visas, eftersom den skulle avslöja antal som "
                f"skyddas (färre än {context.params.min_cell} personer).")
        if any(not isinstance(v, str) for v in payers.frame["besparing"].iloc[:-1]):
            lead = ("Den totala offentliga kostnaden före och efter, och därmed återbetalningstiden, kan inte visas, "
                    "eftersom den skulle avslöja antal som skyddas (färre än "
                    f"{context.params.min_cell} personer). Tabellen per betalare visar de betalare som går att visa.")
    else:
        lead = (f"Med en dödvikt på {fmt.percent(found.deadweight, 0)} minskar den offentliga kostnaden med "
                f"{fmt.number(own['besparing'])} kr per år som tillskrivs insatsen. Insatsen kostade "
                f"{fmt.number(found.cost)} kr, så återbetalningstiden är {own['aterbetalningstid']}, och nuvärdet "
                f"över {found.horizon} år med {fmt.percent(found.rate, 1)} diskonteringsränta är "
                f"{fmt.number(own['nuvarde'])} kr.")
    sources = [f"{category}: {rate.source}" for category, rate in found.rates.items() if rate.source]
    if found.source:
        sources.insert(0, f"Insatsens kostnad: {found.source}")
    counts = context.table_map["samhallsnytta_underlag"]
    limits = ("Antaganden och begränsningar: underlaget är deltagare i perioden med försörjning angiven före "
              "och efter, också de som fortfarande var inskrivna vid periodens slut (för dem är försörjningen "
              "efter den som registret anger, inte den vid ett avslut under perioden); det finns ingen jämförelsegrupp, så dödvikten är en "
              "bedömning; beloppen är schabloner per person och år, inte faktiska utbetalningar; "
              "undanträngning (att andra får stå tillbaka) räknas inte med; en person med flera "
              "försörjningar räknas med hela beloppet för var och en.")
    merged = [s for s in counts.frame.attrs.get(recode.MERGED_ATTR, ()) if s not in found.rates]
    rising, in_other = payback.unpriced_rising(counts.frame, tuple(merged))
    if rising:
        where = f" ({'de ingår' if len(rising) > 1 else 'den ingår'} i Annan i tabellen)" if in_other else ""
        limits += (f" {fmt.swedish_list(rising)}{where} har inget belopp i kostnader.yaml och räknas som 0 kr. Den som "
                   "gått över till dem från en försörjning med belopp räknas därför som en besparing, fast "
                   "kostnaden finns kvar hos en annan betalare: besparingen är överskattad.")
    blocks = [paragraph(lead), counts, payers, context.table_map["samhallsnytta_kanslighet"], paragraph(limits)]
    if sources:
        blocks += [heading("Källor", 3), bullet_list(sources)]
    return Section("samhallsnytta", context.title_of("samhallsnytta"), tuple(blocks))
