"""Repeated measurements: ``<data>/matningar.csv`` (or ``.xlsx``) and ``<data>/instrument.yaml``.

An instrument is a numeric scale (``skala: {min, max}``, e.g. ORS 0–40) or ordered steps
(``steg: [...]``, e.g. the processtrappa), and is about participants (``galler: deltagare``) or
organisations (``galler: part``). Every problem is named by file, row or key, and what is allowed.

>>> instrument = Instrument("ors", "ORS", "deltagare", scale=(0, 40), cutoff=25, reliable_change=5)
>>> instrument.value("31,5"), instrument.is_steps
(31.5, False)
>>> reliable_change(sd=5.0, reliability=0.9)  # 1.96 · √2 · 5 · √0.1
4.38
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from evaluation.core import fmt
from evaluation.core.errors import InputError, Notice, ValidationError, Violation, cut_list
from evaluation.core.pii import quote
from evaluation.inputs.checks import KeyChecker, yaml_key_lines
from evaluation.inputs import notices
from evaluation.inputs.files import normalise_header, read_table_and_refusals, said_together
from evaluation.inputs.yamlread import read_yaml
from evaluation.inputs.register import BadValue, parse_date

TABLE = "matningar"
INSTRUMENTS = "instrument.yaml"
INSTRUMENT_KEYS = ("namn", "galler", "skala", "steg", "hogre_ar_battre", "gransvarde",
                   "tillforlitlig_forandring", "sd", "reliabilitet")
COLUMNS = ("deltagar_id", "part", "instrument", "datum", "varde")
REQUIRED = ("instrument", "datum", "varde")
APPLIES_TO = ("deltagare", "part")


def reliable_change(sd: float, reliability: float) -> float:
    """Jacobson & Truax (1991): 1,96 · √2 · sd · √(1 − r), rounded to two decimals."""
    return round(1.96 * math.sqrt(2) * sd * math.sqrt(1 - reliability), 2)


@dataclass(frozen=True)
class Instrument:
    """One instrument of ``instrument.yaml``."""

    id: str
    name: str
    applies_to: str  # "deltagare" or "part"
    scale: tuple[float, float] | None = None
    steps: tuple[str, ...] = ()
    higher_is_better: bool = True
    cutoff: float | None = None
    reliable_change: float | None = None

    @property
    def is_steps(self) -> bool:
        return bool(self.steps)

    def allowed(self) -> str:
        if self.is_steps:
            return f"ett stegnummer 1–{len(self.steps)} eller ett av stegen: {cut_list(self.steps)}"
        low, high = self.scale
        return f"ett tal från {_num(low)} till {_num(high)}"

    def value(self, cell) -> float | None:
        """The cell as a number on the instrument (a step's label gives its number); ``None``: not allowed."""
        text = str(cell).strip()
        if self.is_steps:
            folded = {s.lower(): i for i, s in enumerate(self.steps, 1)}
            if text.lower() in folded:
                return float(folded[text.lower()])
        try:
            number = float(text.replace(",", ".").replace("\u2212", "-"))
        except ValueError:
            return None
        if math.isnan(number):
            return None
        if self.is_steps:
            return number if number.is_integer() and 1 <= number <= len(self.steps) else None
        low, high = self.scale
        return number if low <= number <= high else None


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")


def load_instruments(path: Path) -> dict[str, Instrument]:
    """Read and validate ``instrument.yaml``; every bad key is listed with its line."""
    path = Path(path)
    data = read_yaml(path)
    check = KeyChecker(path, lambda: yaml_key_lines(path.read_text(encoding="utf-8-sig")))
    if not isinstance(data, dict) or not data:
        raise InputError(f"{path}: filen ska beskriva minst ett instrument, t.ex. 'ors: {{namn: ORS, galler: deltagare, "
                         "skala: {min: 0, max: 40}}'. Se docs/indatakontrakt.md, avsnitt 9.")
    out = {}
    for key, entry in data.items():
        iid = str(key).strip()
        keys = (iid,)
        item = check.mapping(entry, keys, INSTRUMENT_KEYS, ("namn", "galler"))
        name = check.text(item, keys + ("namn",), required=False) if item else None
        applies = check.choice(item, keys + ("galler",), APPLIES_TO, required=False) if "galler" in item else None
        scale, steps = item.get("skala"), item.get("steg")
        parsed_scale = None
        if (scale is None) == (steps is None):
            check.add(keys, "ange antingen 'skala: {min: ..., max: ...}' eller 'steg: [...]' (precis ett av dem)")
        elif scale is not None:
            bounds = check.mapping(scale, keys + ("skala",), ("min", "max"), ("min", "max"))
            low = check.number(bounds, keys + ("skala", "min"), -1e9, 1e9, required=False) if bounds else None
            high = check.number(bounds, keys + ("skala", "max"), -1e9, 1e9, required=False) if bounds else None
            if low is not None and high is not None:
                if high <= low:
                    check.add(keys + ("skala",), "max måste vara större än min")
                else:
                    parsed_scale = (low, high)
        else:
            if not isinstance(steps, list) or len(steps) < 2 or any(str(s).strip() == "" for s in steps):
                check.add(keys + ("steg",), "ange minst två steg i ordning, t.ex. [Motivation, Kartläggning, Praktik]")
                steps = None
            elif any(s is None or isinstance(s, (list, dict)) for s in steps):
                check.add(keys + ("steg",), "varje steg ska vara ett namn i listan, t.ex. [Motivation, Kartläggning, "
                                            "Praktik]; här står en tom plats, en lista eller en samling som steg")
                steps = None
            elif len({str(s).strip().casefold() for s in steps}) < len(steps):
                check.add(keys + ("steg",), "ett steg står två gånger; varje steg ska ha ett eget namn, så att en "
                                            "mätning visar vilket steg den gäller")
                steps = None
        better = item.get("hogre_ar_battre", True)
        if not isinstance(better, bool):
            check.add(keys + ("hogre_ar_battre",), f"{quote(better)} är varken true eller false")
            better = True
        cutoff = check.number(item, keys + ("gransvarde",), -1e9, 1e9, required=False) if "gransvarde" in item else None
        rc = (check.number(item, keys + ("tillforlitlig_forandring",), 0, 1e9, required=False)
              if "tillforlitlig_forandring" in item else None)
        sd = check.number(item, keys + ("sd",), 0, 1e9, required=False) if "sd" in item else None
        rel = check.number(item, keys + ("reliabilitet",), 0, 1, required=False) if "reliabilitet" in item else None
        if rc is None and (sd is not None) != (rel is not None):
            check.add(keys, "ange både 'sd' och 'reliabilitet' (eller 'tillforlitlig_forandring' direkt)")
        if rc is None and sd is not None and rel is not None:
            rc = reliable_change(sd, rel)
        if steps is not None and (cutoff is not None or rc is not None):
            check.add(keys, "gränsvärde och tillförlitlig förändring gäller skalor, inte steg; ta bort dem")
        if parsed_scale and cutoff is not None and not parsed_scale[0] < cutoff < parsed_scale[1]:
            check.add(keys + ("gransvarde",), f"{fmt.decimal(cutoff)} ligger inte inuti skalan "
                                              f"{fmt.decimal(parsed_scale[0])}–{fmt.decimal(parsed_scale[1])}; ett "
                                              "gränsvärde delar skalan i två delar")
        if rc == 0:
            check.add(keys + ("tillforlitlig_forandring",), "0 skulle räkna varje förändring som tillförlitlig; ange "
                                                           "en förändring större än 0 (eller 'sd' och 'reliabilitet')")
        if name and applies and (parsed_scale or steps):
            out[iid] = Instrument(iid, name, applies, parsed_scale, tuple(str(s).strip() for s in steps or ()),
                                  better, cutoff, rc)
    check.raise_if_any()
    return out


@dataclass(frozen=True)
class Measurements:
    """Validated measurements: ``frame`` has ``deltagar_id``, ``part``, ``instrument``, ``datum``
    (datetime64) and ``varde`` (float: the value, or the step number)."""

    instruments: dict[str, Instrument]
    frame: pd.DataFrame


def _check_columns(path: Path, raw) -> None:
    """The measurements' columns: every required one there (and one naming who), none unknown."""
    frame = raw.frame
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing or not ({"deltagar_id", "part"} & set(frame.columns)):
        found = cut_list(quote(h) for h in raw.original_headers.values()) or "inga"
        raise InputError(f"{path}: kolumner saknas: {', '.join(missing) or 'deltagar_id eller part'}. Kolumner i filen: "
                         f"{found}. Filen ska ha {', '.join(COLUMNS)} (deltagar_id för instrument om deltagare, "
                         "part för instrument om organisationer).")
    unknown = [raw.original_headers[c] for c in frame.columns if c not in COLUMNS]
    if unknown:
        raise InputError(f"{path}: okända kolumner: {cut_list(quote(u) for u in unknown)}. Tillåtna: {', '.join(COLUMNS)}.")


def load_measurements(path: Path, instruments: dict[str, Instrument], register: pd.DataFrame | None) -> Measurements:
    """Read and validate ``matningar.csv``: every bad cell is listed by row and column."""
    raw, refused = read_table_and_refusals(path)
    frame = raw.frame
    with said_together(raw.path, refused):
        _check_columns(path, raw)
    people = _people(register)
    violations: list[Violation] = list(refused)  # said with the other rows' errors
    rows = []
    first_of: dict[tuple, int] = {}  # (who, instrument, day) → its first row
    parts: dict[str, tuple[str, int]] = {}  # a part's name folded → as first written, and its row
    merged: dict[str, tuple[str, int, str, int]] = {}  # another spelling → (it, row, as first written, row)
    for label, record in zip(frame.index, frame.to_dict("records")):
        row = raw.row_number(label)  # the frame's label: rows of empty cells before it were left out
        iid = str(record.get("instrument", "")).strip()
        instrument = instruments.get(iid)
        if instrument is None:
            violations.append(Violation(row, "instrument", f"{quote(iid)} finns inte i {INSTRUMENTS}; "
                                        f"instrument där: {cut_list(instruments)}"))
            continue
        who_column = "deltagar_id" if instrument.applies_to == "deltagare" else "part"
        who = str(record.get(who_column, "") or "").strip()
        if not who:
            violations.append(Violation(row, who_column, f"krävs för {iid} (galler: {instrument.applies_to})"))
            continue
        if who_column == "part":  # one organisation however its name is cased, spaced or written without å, ä, ö
            first_name, first_row = parts.setdefault(normalise_header(who), (who, row))
            if first_name != who:
                merged.setdefault(who, (who, row, first_name, first_row))
                who = first_name
        other = "part" if who_column == "deltagar_id" else "deltagar_id"
        if str(record.get(other, "") or "").strip():  # it would be dropped unsaid
            violations.append(Violation(row, other, f"ska vara tom för {iid} (galler: {instrument.applies_to}): en "
                                        f"mätning gäller antingen en deltagare eller en part; töm kolumnen {other} "
                                        "på raden"))
            continue
        try:
            day = parse_date(record.get("datum"))
        except BadValue as exc:
            violations.append(Violation(row, "datum", str(exc)))
            continue
        if day is None:
            violations.append(Violation(row, "datum", "krävs; skriv datumet som ÅÅÅÅ-MM-DD"))
            continue
        value = instrument.value(record.get("varde", ""))
        if value is None:
            violations.append(Violation(row, "varde", f"{quote(record.get('varde', ''))} är inte tillåtet för {iid}; "
                                        f"ange {instrument.allowed()}"))
            continue
        if instrument.applies_to == "deltagare" and people is not None:
            span = people.get(who)
            if span is None:
                violations.append(Violation(row, "deltagar_id", "finns inte i deltagarregistret; mätningar gäller "
                                            "deltagare i registret (kontrollera koden)"))
                continue
            if span[1] is not None and day > span[1]:
                violations.append(Violation(row, "datum", f"{day} är efter deltagarens sista avslut ({span[1]}); "
                                            "en mätning görs under tiden i insatsen"))
                continue
        first = first_of.setdefault((who_column, who, iid, day), row)
        if first != row:  # which of the two would count first or last is not for row order to decide
            violations.append(Violation(row, "datum", f"{iid} mättes redan samma dag för samma {who_column.replace('_', '-')} "
                                        f"(rad {first}); en mätning per dag: ta bort den ena eller rätta datumet"))
            continue
        rows.append({"deltagar_id": who if who_column == "deltagar_id" else None,
                     "part": who if who_column == "part" else None,
                     "instrument": iid, "datum": pd.Timestamp(day), "varde": value})
    if violations:
        raise ValidationError(raw.path, violations)
    notices.note(*(Notice(raw.path, row, (
        f"parten {quote(name)} räknas som {quote(first)} (rad {first_row}): samma namn med andra stora eller små "
        "bokstäver, mellanslag eller utan å, ä, ö. Skriv namnet likadant varje gång.")) for name, row, first, first_row
        in merged.values()))
    out = pd.DataFrame(rows, columns=["deltagar_id", "part", "instrument", "datum", "varde"])
    out["datum"] = pd.to_datetime(out["datum"])
    return Measurements(instruments, out)


def _people(register: pd.DataFrame | None) -> dict[str, tuple[dt.date, dt.date | None]] | None:
    """Per participant: first start and last end (``None`` while any enrolment is ongoing)."""
    if register is None:
        return None
    # whole columns at once: a group at a time took 3.5 s for a register of 15 000 participants
    by_id = register.groupby("deltagar_id", observed=True)
    first, last = by_id["startdatum"].min(), by_id["slutdatum"].max()
    ongoing = register["slutdatum"].isna().groupby(register["deltagar_id"], observed=True).any()
    rows = zip(first.index, first, last.reindex(first.index), ongoing.reindex(first.index))
    return {str(pid): (start.date(), None if open_ else end.date()) for pid, start, end, open_ in rows}


def find(data: Path) -> tuple[Path | None, Path | None]:
    """``(matningar.csv|.xlsx, instrument.yaml)`` in the data folder (``None`` when absent)."""
    table = next((data / f"{TABLE}{s}" for s in (".csv", ".xlsx") if (data / f"{TABLE}{s}").is_file()), None)
    spec = data / INSTRUMENTS
    return table, spec if spec.is_file() else None


__all__ = ["Instrument", "Measurements", "find", "load_instruments", "load_measurements", "reliable_change"]
