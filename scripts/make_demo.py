"""Write the built-in demo: synthetic registers and report parameters for three invented insatser.

    python scripts/make_demo.py [--out DIR]      # default: evaluation/demo of this repository

Writes ``data/<insats>/deltagare.csv`` (data contract §2), ``data/<insats>/uppfoljning.csv`` (§3,
where relevant) and ``params/<insats>/<period>.yaml`` (§1); other files under DIR are left alone.
Each insats has its own seeded ``random.Random`` and nothing depends on the clock, so two runs
give identical bytes. People, ids (``D0001``), organisations and comments are all invented.

- ``steget``: youth process 18-29, annual reports May-April on all enrolled; some rows give
  ``alder`` instead of ``fodelsear``.
- ``samordningsteamet``: adult team, full-year reports, 90-day trial period, ``aktivt_arbetssokande``,
  ``tid_i_forsorjning``, follow-ups 6 and 18 months after exit (register from 2021); ORS and
  processtrappa measurements, the partners' collaboration steps and costs (§8–§9).
- ``ungkraft``: youth insats 2022-2024 with the sub-insats ``Hälsospåret``, joint planning,
  anonymous participants, annual reports and a final report; 156 people, 100 of them men.
"""
from __future__ import annotations

import argparse
import calendar
import random
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import yaml

from evaluation.tools.scaffold import INSTRUMENTS_EXAMPLE

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "evaluation" / "demo"
SOURCES = ("A-kassa", "Aktivitetsersättning", "Aktivitetsstöd", "Etableringsersättning", "Försörjningsstöd",
           "Ingen offentlig försörjning", "Sjukersättning", "Sjukpenning/Rehabpenning",
           "Studiestöd/Studiemedel", "Annan")
WORK = ("Arbete", "Subventionerat arbete")
SAME = "="  # in AFTER: the participant keeps the support source(s) they had before
AFTER = {  # support after exit, by exit reason
    "Arbete": {"Ingen offentlig försörjning": 10, "Annan": 1},
    "Subventionerat arbete": {"Ingen offentlig försörjning": 6, "Annan": 2, "Försörjningsstöd": 1},
    "Studier": {"Studiestöd/Studiemedel": 8, "Ingen offentlig försörjning": 1, "Försörjningsstöd": 1},
    "Aktivt arbetssökande": {"Aktivitetsstöd": 6, "Försörjningsstöd": 3, "A-kassa": 1},
    "Fortsatt rehabilitering": {SAME: 5, "Aktivitetsstöd": 3, "Aktivitetsersättning": 1,
                                "Sjukpenning/Rehabpenning": 1},
    "Sjukdom": {"Sjukpenning/Rehabpenning": 5, SAME: 3, "Aktivitetsersättning": 2, "Sjukersättning": 1},
    "Flyttat": {SAME: 1},
    "Övrigt": {SAME: 3, "Ingen offentlig försörjning": 1, "Annan": 1},
}
FOLLOWUP = {  # status at follow-up, by exit reason ("work": WORK, "other": any reason not listed)
    "work": {"Arbete": 70, "Aktivt arbetssökande": 12, "Övrigt": 5, "Ej nådd": 13},
    "Studier": {"Studier": 60, "Arbete": 15, "Aktivt arbetssökande": 10, "Ej nådd": 15},
    "Aktivt arbetssökande": {"Aktivt arbetssökande": 40, "Arbete": 20, "Fortsatt rehabilitering": 10,
                             "Sjukdom": 10, "Ej nådd": 20},
    "Fortsatt rehabilitering": {"Fortsatt rehabilitering": 40, "Aktivt arbetssökande": 20, "Arbete": 10,
                                "Sjukdom": 15, "Ej nådd": 15},
    "Sjukdom": {"Sjukdom": 55, "Fortsatt rehabilitering": 20, "Aktivt arbetssökande": 5, "Ej nådd": 20},
    "other": {"Ej nådd": 50, "Övrigt": 30, "Arbete": 10, "Aktivt arbetssökande": 10},
}
COMMENTS = {  # short invented notes; most follow-ups have none
    "Arbete": ["Timanställning inom handel", "Heltid på lager", "Anställd inom äldreomsorgen"],
    "Studier": ["Läser på komvux", "Folkhögskola, allmän kurs"],
    "Aktivt arbetssökande": ["Inskriven hos Arbetsförmedlingen", "Söker jobb på egen hand"],
    "Fortsatt rehabilitering": ["Arbetsträning via kommunen", "Insats via Arbetsförmedlingen"],
    "Sjukdom": ["Sjukskriven på heltid", "Väntar på beslut om sjukersättning"],
    "Övrigt": ["Föräldraledig", "Har gått i pension"],
    "Ej nådd": ["Svarar inte i telefon", "Nummer saknas", "Två försök via sms"],
}
COMMON = {"forbund": "Samordningsförbundet Exempelbygd", "insatsagare": "Exempelbygds kommun",
          "samverkansparter": ["Arbetsförmedlingen", "Försäkringskassan", "Region Exempel"],
          "utvarderare": "Exempel Utvärdering AB"}
YOUNG_EDGES = [16, 20, 25, 30]


def pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def weekday(day: date) -> date:
    """The same day, or the Monday after a Saturday or Sunday."""
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def add_months(day: date, months: int) -> date:
    year, month = day.year + (day.month - 1 + months) // 12, (day.month - 1 + months) % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def starts(rng: random.Random, first: date, last: date, n: int, startup: int = 0) -> list[date]:
    """n sorted weekday start dates from first to last; ``startup`` of them in the first month."""
    span = (last - first).days
    days = [rng.randint(0, 30) for _ in range(startup)] + [rng.randint(0, span) for _ in range(n - startup)]
    return sorted(weekday(first + timedelta(days=d)) for d in days)


def sources(rng: random.Random, weights: dict) -> str:
    """A ';'-separated list: one main support source, sometimes a second one."""
    chosen = {pick(rng, weights)} | ({pick(rng, weights)} if rng.random() < 0.15 else set())
    return ";".join(s for s in SOURCES if s in chosen)


def after(rng: random.Random, reason: str, before: str) -> str:
    got = pick(rng, AFTER[reason])
    got = set(before.split(";")) if got == SAME else {got}
    if "Försörjningsstöd" in before and reason == "Aktivt arbetssökande" and rng.random() < 0.15:
        got.add("Försörjningsstöd")  # partial support on top
    return ";".join(s for s in SOURCES if s in got)


def enrolment(rng, pid, kon, start, as_of, outcome, fore_w, edu_w) -> dict:
    """One register row; ``outcome(rng)`` gives (exit reason, days); still open on ``as_of``: ongoing."""
    reason, days = outcome(rng)
    end = weekday(start + timedelta(days=days))
    ongoing = end > as_of
    fore = sources(rng, fore_w)
    efter = "" if ongoing or reason == "Utan mätning" else after(rng, reason, fore)
    return {"deltagar_id": pid, "kon": kon, "startdatum": start.isoformat(),
            "slutdatum": "" if ongoing else end.isoformat(), "avslutsanledning": "" if ongoing else reason,
            "utbildningsniva": pick(rng, edu_w), "forsorjning_fore": fore, "forsorjning_efter": efter}


def reenrol(rng, rows, as_of, reasons, make) -> None:
    """Give the first person who left early for one of ``reasons`` a second, later enrolment.

    ``make(row, start)`` gives the new enrolment's values; the person's other details are kept."""
    for row in rows:
        if row["avslutsanledning"] in reasons and date.fromisoformat(row["slutdatum"]) < as_of - timedelta(300):
            again = weekday(date.fromisoformat(row["slutdatum"]) + timedelta(rng.randint(60, 150)))
            rows.append({**row, **make(row, again), "utbildningsniva": row["utbildningsniva"]})
            return


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    """UTF-8, ',' separated, '\\n' line ends; cells holding ',' ';' or '"' are quoted."""
    def cell(value) -> str:
        text = str(value)
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',;"\n') else text

    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [",".join(columns)] + [",".join(cell(r.get(c, "")) for c in columns) for r in rows]
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))


def write_params(out: Path, insats: str, periods: list, keys: dict) -> None:
    """One params file per (slug, start, slut, rapporttyp, extra keys) in ``periods``."""
    for slug, start, slut, kind, extra in periods:
        doc = {"insats": insats, "namn": keys["namn"], **COMMON, **keys.get("common", {}), "rapporttyp": kind,
               "period": {"start": start, "slut": slut}, "data": f"../../data/{insats}", **extra,
               **{k: v for k, v in keys.items() if k not in ("namn", "common")}}
        path = out / "params" / insats / f"{slug}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, default_flow_style=None, width=100)
        path.write_bytes(f"# Generated by scripts/make_demo.py: edit the script, not this file.\n{text}".encode())


def steget(out: Path) -> str:
    """Youth process (18-29) from May 2023; annual reports May-April; results on all enrolled."""
    rng, as_of = random.Random(101), date(2025, 4, 30)
    reasons = {"Arbete": 22, "Subventionerat arbete": 18, "Studier": 12, "Aktivt arbetssökande": 10,
               "Fortsatt rehabilitering": 12, "Sjukdom": 5, "Flyttat": 5, "Övrigt": 8, "Utan mätning": 8}

    def outcome(rng):
        reason = pick(rng, reasons)
        return reason, rng.randint(7, 80) if reason == "Utan mätning" else int(rng.triangular(60, 450, 210))

    fore = {"Försörjningsstöd": 40, "Ingen offentlig försörjning": 22, "Aktivitetsstöd": 14,
            "Aktivitetsersättning": 10, "Studiestöd/Studiemedel": 4, "Sjukpenning/Rehabpenning": 3,
            "Etableringsersättning": 3, "Annan": 4}
    edu = {"Grundskola": 45, "Gymnasium": 40, "Högskola/universitet upp till 1 år": 4,
           "Högskola/universitet upp till 3 år": 2, "": 9}
    rows = []
    for i, start in enumerate(starts(rng, date(2023, 5, 2), date(2025, 4, 15), 72, startup=10), 1):
        kon = "Uppgift saknas" if i == 17 else pick(rng, {"Man": 56, "Kvinna": 44})
        age = rng.choices(range(18, 30), weights=[6, 8, 9, 9, 9, 9, 8, 8, 7, 7, 6, 5])[0]
        row = enrolment(rng, f"D{i:04d}", kon, start, as_of, outcome, fore, edu)
        by_age = rng.random() < 0.12  # some rows were registered with age instead of birth year
        rows.append({**row, "fodelsear": "" if by_age else start.year - age, "alder": age if by_age else ""})

    def again(row, start):
        new = enrolment(rng, row["deltagar_id"], row["kon"], start, as_of, outcome, fore, edu)
        years = start.year - int(row["startdatum"][:4])
        return new | ({"alder": row["alder"] + years} if row["alder"] != "" else {})

    reenrol(rng, rows, as_of, ("Flyttat", "Övrigt"), again)
    rows.sort(key=lambda r: (r["deltagar_id"], r["startdatum"]))
    write_csv(out / "data/steget/deltagare.csv",
              ["deltagar_id", "kon", "fodelsear", "alder", "startdatum", "slutdatum", "avslutsanledning",
               "utbildningsniva", "forsorjning_fore", "forsorjning_efter"], rows)
    periods = [(f"{y}-05-01--{y + 1}-04-30", date(y, 5, 1), date(y + 1, 4, 30), "arsrapport", {})
               for y in (2023, 2024)]
    write_params(out, "steget", periods, {"namn": "STEGET", "resultat_bas": "alla_inskrivna",
                                          "provtid_dagar": 0, "min_cell": 3, "alder_intervall": YOUNG_EDGES,
                                          "omvarld": ["ungvag", "hallbarstart", "halsolotsen"]})
    return summary("steget", rows, periods)


def samordningsteamet(out: Path) -> str:
    """Adult team since 2021; full-year reports 2023 and 2024 with a 90-day trial period; follow-ups."""
    rng, as_of = random.Random(207), date(2024, 12, 31)
    reasons = {"Arbete": 8, "Subventionerat arbete": 6, "Studier": 8, "Aktivt arbetssökande": 16,
               "Fortsatt rehabilitering": 30, "Sjukdom": 20, "Flyttat": 3, "Övrigt": 4, "Utan mätning": 3}

    def outcome(rng):
        if rng.random() < 0.14:  # left during the trial period
            return pick(rng, {"Utan mätning": 6, "Sjukdom": 2, "Flyttat": 1, "Övrigt": 1}), rng.randint(5, 85)
        reason = pick(rng, reasons)  # 'Utan mätning' after the trial period: contact lost
        return reason, rng.randint(95, 300) if reason == "Utan mätning" else int(rng.triangular(100, 720, 330))

    fore = {"Försörjningsstöd": 60, "Sjukpenning/Rehabpenning": 13, "Aktivitetsstöd": 11, "A-kassa": 6,
            "Sjukersättning": 4, "Aktivitetsersättning": 2, "Ingen offentlig försörjning": 2,
            "Etableringsersättning": 2}
    edu = {"Grundskola": 35, "Gymnasium": 45, "Högskola/universitet upp till 1 år": 4,
           "Högskola/universitet upp till 3 år": 5, "Högskola/universitet mer än 3 år": 3, "": 8}
    support_time = {"Upp till 1 år": 17, **{f"Upp till {n} år": 7 for n in range(2, 10)},
                    "9 år eller mer": 34, "Saknas/okänd": 3}
    referrer = {"Socialtjänsten": 40, "Arbetsförmedlingen": 25, "Försäkringskassan": 20, "Psykiatrin": 10,
                "Vårdcentralen": 5}

    def extra(row):
        reason = row["avslutsanledning"]
        seeking = ("" if not reason else "ja" if reason == "Aktivt arbetssökande" else
                   "nej" if reason in (*WORK, "Studier", "Utan mätning") else pick(rng, {"ja": 25, "nej": 75}))
        return {"aktivt_arbetssokande": seeking, "tid_i_forsorjning": pick(rng, support_time),
                "remittent": pick(rng, referrer)}

    rows = []
    for i, start in enumerate(starts(rng, date(2021, 1, 4), date(2024, 12, 13), 152, startup=8), 1):
        kon = pick(rng, {"Kvinna": 52, "Man": 48})
        age = rng.randint(*pick(rng, {(20, 29): 17, (30, 44): 45, (45, 59): 36, (60, 64): 2}))
        row = enrolment(rng, f"D{i:04d}", kon, start, as_of, outcome, fore, edu)
        rows.append({**row, "fodelsear": start.year - age, **extra(row)})

    def again(row, start):
        new = enrolment(rng, row["deltagar_id"], row["kon"], start, as_of, outcome, fore, edu)
        return {**new, **extra(new)}

    reenrol(rng, rows, as_of, ("Sjukdom", "Övrigt"), again)
    rows.sort(key=lambda r: (r["deltagar_id"], r["startdatum"]))
    write_csv(out / "data/samordningsteamet/deltagare.csv",
              ["deltagar_id", "kon", "fodelsear", "startdatum", "slutdatum", "avslutsanledning",
               "aktivt_arbetssokande", "utbildningsniva", "tid_i_forsorjning", "forsorjning_fore",
               "forsorjning_efter", "remittent"], rows)

    followups = []  # phone calls 6 and 18 months after a person's last exit; not everyone is called
    for row in {r["deltagar_id"]: r for r in rows}.values():
        reason = row["avslutsanledning"]
        if reason in ("", "Utan mätning"):
            continue
        group = "work" if reason in WORK else reason if reason in FOLLOWUP else "other"
        for months, share in ((6, 0.85), (18, 0.75)):
            due = add_months(date.fromisoformat(row["slutdatum"]), months)
            if due > as_of or rng.random() > share:
                continue
            status = pick(rng, FOLLOWUP[group])
            made = min(due + timedelta(rng.randint(-10, 25)), as_of).isoformat() if rng.random() < 0.65 else ""
            note = rng.choice(COMMENTS[status]) if rng.random() < 0.35 else ""
            followups.append({"deltagar_id": row["deltagar_id"], "manader_efter_avslut": months,
                              "status": status, "datum": made, "kommentar": note})
    followups.sort(key=lambda f: (f["manader_efter_avslut"], f["deltagar_id"]))
    write_csv(out / "data/samordningsteamet/uppfoljning.csv",
              ["deltagar_id", "manader_efter_avslut", "status", "datum", "kommentar"], followups)

    measured = measurements(out / "data/samordningsteamet", rows, as_of)
    periods = [(str(y), date(y, 1, 1), date(y, 12, 31), "helarsrapport", {}) for y in (2023, 2024)]
    write_params(out, "samordningsteamet", periods, {
        "namn": "Samordningsteamet Exempeldalen", "resultat_bas": "avslutade", "provtid_dagar": 90, "min_cell": 3,
        "omvarld": ["samverkansteam-vik", "bryggan"],
        "common": {"forbund": "Samordningsförbundet Exempeldalen", "insatsagare": "Exempeldalens kommun",
                   "utvarderare": "Analysgruppen Exempel AB"}})
    return summary("samordningsteamet", rows, periods) + f"\n  {len(followups)} follow-ups, {measured} measurements"


INSTRUMENTS = INSTRUMENTS_EXAMPLE  # the same instruments as the example `evaluation new` writes
COSTS = """\
# Costs for the socio-economic payback (contract §9). Invented amounts for the demo.
insatsens_kostnad: 4200000
kalla: Exempeldalens budget för teamet (påhittad)
forsorjning:  # the team's three common sources; the rare ones are left out (a warning names them)
  Försörjningsstöd: {belopp: 140000, betalare: Kommunen, kalla: "Exempelschablon per helårsekvivalent"}
  Sjukpenning/Rehabpenning: {belopp: 230000, betalare: Försäkringskassan, kalla: "Exempelschablon per helårsekvivalent"}
  A-kassa: {belopp: 190000, betalare: Staten, kalla: "Exempelschablon per helårsekvivalent"}
dodvikt: 0.25
"""
PARTS = {"Arbetsförmedlingen": 2, "Försäkringskassan": 2, "Exempeldalens kommun": 3, "Region Exempel": 1}


def measurements(folder: Path, rows: list[dict], as_of: date) -> int:
    """ORS and processtrappa per enrolment, the partners' collaboration steps twice a year, and
    the costs. A generator of its own, so the register above stays as it was."""
    rng = random.Random(1701)
    out = []
    for row in rows:
        start = date.fromisoformat(row["startdatum"])
        end = min(date.fromisoformat(row["slutdatum"]) if row["slutdatum"] else as_of, as_of)
        days = (end - start).days
        if days < 30 or rng.random() < 0.12:  # not measured
            continue
        good = row["avslutsanledning"] in (*WORK, "Studier")
        seeking = row["avslutsanledning"] == "Aktivt arbetssökande"
        score = round(min(38.0, max(4.0, rng.gauss(19, 6))), 1)
        step = pick(rng, {1: 5, 2: 3, 3: 1})
        when = [start + timedelta(rng.randint(0, min(20, days)))]
        if rng.random() < 0.85:
            when.append(start + timedelta(rng.randint(max(25, days // 2), days)))
        for n, day in enumerate(when):
            if n:
                score = round(min(40.0, max(0.0, score + rng.gauss(7 if good else 4, 6))), 1)
                step = min(5, max(1, step + (rng.randint(2, 3) if good else rng.randint(1, 2) if seeking
                                            else pick(rng, {-1: 1, 0: 4, 1: 4}))))
            out.append({"deltagar_id": row["deltagar_id"], "part": "", "instrument": "ors",
                        "datum": day.isoformat(), "varde": str(score).replace(".", ",")})
            out.append({"deltagar_id": row["deltagar_id"], "part": "", "instrument": "processtrappa",
                        "datum": day.isoformat(), "varde": step})
    for year in (2023, 2024):
        for month, lift in ((1, 0), (11, 1)):
            for part, step in PARTS.items():
                now = min(5, step + (year - 2023) + lift * (rng.random() < 0.5))
                out.append({"deltagar_id": "", "part": part, "instrument": "samverkan",
                            "datum": date(year, month, 15).isoformat(), "varde": now})
    out.sort(key=lambda m: (m["instrument"], m["deltagar_id"], m["part"], m["datum"]))
    write_csv(folder / "matningar.csv", ["deltagar_id", "part", "instrument", "datum", "varde"], out)
    (folder / "instrument.yaml").write_text(INSTRUMENTS, encoding="utf-8")
    (folder / "kostnader.yaml").write_text(COSTS, encoding="utf-8")
    return len(out)


def ungkraft(out: Path) -> str:
    """Youth insats 2022-2024 with the health track Hälsospåret from March 2023; 156 people, 100 men."""
    rng, project_end = random.Random(314), date(2024, 12, 18)
    main = {"Arbete": 16, "Subventionerat arbete": 8, "Studier": 18, "Aktivt arbetssökande": 9,
            "Fortsatt rehabilitering": 16, "Sjukdom": 8, "Flyttat": 4, "Övrigt": 7, "Utan mätning": 14}
    health = {"Studier": 30, "Fortsatt rehabilitering": 30, "Aktivt arbetssökande": 10, "Sjukdom": 10,
              "Övrigt": 10, "Utan mätning": 10}
    fore = {"Försörjningsstöd": 35, "Ingen offentlig försörjning": 25, "Aktivitetsstöd": 15,
            "Aktivitetsersättning": 15, "Studiestöd/Studiemedel": 3, "Sjukpenning/Rehabpenning": 3, "Annan": 4}
    edu = {"Grundskola": 50, "Gymnasium": 38, "Högskola/universitet upp till 1 år": 3, "": 9}
    referrer = {"Kommunala aktivitetsansvaret": 30, "Arbetsförmedlingen": 25, "Socialtjänsten": 20,
                "Försäkringskassan": 8, "Psykiatrin": 7, "Egen anmälan": 10}

    def row_for(pid, kon, start, age):
        track = "Hälsospåret" if start >= date(2023, 3, 1) and rng.random() < 0.25 else ""
        reasons, span = (health, (60, 300, 150)) if track else (main, (30, 600, 240))

        def outcome(rng):
            reason = pick(rng, reasons)
            return reason, rng.randint(14, 90) if reason == "Utan mätning" else int(rng.triangular(*span))

        row = enrolment(rng, pid, kon, start, project_end, outcome, fore, edu)
        if not row["slutdatum"]:  # the project closed: everyone still enrolled is written out
            reason = pick(rng, {"Fortsatt rehabilitering": 5, "Aktivt arbetssökande": 3, "Studier": 2})
            row.update(slutdatum=project_end.isoformat(), avslutsanledning=reason,
                       forsorjning_efter=after(rng, reason, row["forsorjning_fore"]))
        measured = row["avslutsanledning"] != "Utan mätning"
        plan = pick(rng, {"ja": 88, "nej": 12} if measured else {"ja": 20, "nej": 80})
        return {**row, "fodelsear": start.year - age, "remittent": pick(rng, referrer),
                "delinsats": track, "gemensam_planering": plan, "anonym": "nej"}

    genders = ["Man"] * 100 + ["Kvinna"] * 56
    rng.shuffle(genders)
    dates = starts(rng, date(2022, 1, 10), date(2024, 9, 30), len(genders), startup=15)
    rows = [row_for(f"D{i:04d}", kon, start, rng.randint(16, 29))
            for i, (kon, start) in enumerate(zip(genders, dates), 1)]
    reenrol(rng, rows, project_end, ("Utan mätning",),
            lambda row, start: row_for(row["deltagar_id"], row["kon"], start, 0) | {"fodelsear": row["fodelsear"]})
    anonymous = set(rng.sample(sorted({r["deltagar_id"] for r in rows}), 4))
    for row in rows:  # anonymous: counted, but no personal details
        if row["deltagar_id"] in anonymous:
            row.update(anonym="ja", fodelsear="", utbildningsniva="", forsorjning_fore="", forsorjning_efter="")
    rows.sort(key=lambda r: (r["deltagar_id"], r["startdatum"]))
    write_csv(out / "data/ungkraft/deltagare.csv",
              ["deltagar_id", "kon", "fodelsear", "startdatum", "slutdatum", "avslutsanledning",
               "utbildningsniva", "forsorjning_fore", "forsorjning_efter", "remittent", "delinsats",
               "gemensam_planering", "anonym"], rows)
    periods = [(str(y), date(y, 1, 1), date(y, 12, 31), "arsrapport", {}) for y in (2023, 2024)]
    periods.append(("2022-2024", date(2022, 1, 1), date(2024, 12, 31), "slutrapport", {
        "diarienummer": "2021:42",
        # the form's sections, with the interviews as an appendix before the signatures
        "sektioner": ["uppgifter", "resurser", "syfte", "mal", "insatstid", "malgrupp", "deltagare", "metod",
                      "implementering", "avvikelser", "reflektioner", "intervjuer", "underskrift"]}))
    write_params(out, "ungkraft", periods, {"namn": "UngKraft", "resultat_bas": "avslutade",
                                            "provtid_dagar": 0, "min_cell": 3, "alder_intervall": YOUNG_EDGES,
                                            "omvarld": ["ungvag", "halsolotsen", "bryggan"]})
    return summary("ungkraft", rows, periods)


def summary(name: str, rows: list[dict], periods: list) -> str:
    """Counts per insats and period, as a quick check of the generated register."""
    people = Counter({r["deltagar_id"]: r["kon"] for r in rows}.values())
    parts = [f"{name}: {len(rows)} enrolments, {sum(people.values())} people "
             f"({', '.join(f'{k} {n}' for k, n in sorted(people.items()))})"]
    for slug, start, slut, *_ in periods:
        inside = [r for r in rows  # enrolled on some day of the period
                  if r["startdatum"] <= str(slut) and (r["slutdatum"] == "" or r["slutdatum"] >= str(start))]
        new = sum(r["startdatum"] >= str(start) for r in inside)
        ended = sum("" < r["slutdatum"] <= str(slut) for r in inside)
        parts.append(f"  {slug}: {len(inside)} in period, {new} new, {ended} ended, {len(inside) - ended} ongoing")
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="demo folder (default: %(default)s)")
    out = parser.parse_args(argv).out
    for insats in (steget, samordningsteamet, ungkraft):
        print(insats(out))
    print(f"written under {out}")


if __name__ == "__main__":
    main()
