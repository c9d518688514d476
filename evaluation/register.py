"""Participant register (contract §2) and follow-ups after exit (contract §3).

``load_register`` and ``load_followups`` read, validate and type a file. Every bad cell in a
file is reported together (capped) with the row number the user sees, the column, the value
and what is allowed. Input files are only read.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Callable

import pandas as pd

from . import codes, notices, pii
from .errors import EmptyTableError, InputError, ValidationError, Violation
from .files import RawTable, find_table, read_table

REQUIRED = ("deltagar_id", "kon", "startdatum")
OPTIONAL = (
    "fodelsear", "alder", "slutdatum", "avslutsanledning", "aktivt_arbetssokande",
    "utbildningsniva", "tid_i_forsorjning", "forsorjning_fore", "forsorjning_efter",
    "remittent", "delinsats", "gemensam_planering", "anonym",
)
FOLLOWUP_REQUIRED = ("deltagar_id", "manader_efter_avslut", "status")
FOLLOWUP_OPTIONAL = ("datum", "kommentar")

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class BadValue(ValueError):
    """A cell's value is not allowed; the message says what is."""


def parse_date(value) -> dt.date | None:
    if value == "" or value is None:
        return None
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not ISO_DATE.match(text):
        raise BadValue(f"'{text}' is not a date; write it as YYYY-MM-DD (e.g. 2020-05-01)")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadValue(f"'{text}' is not a calendar date") from None


def _required_date(value):
    if value in ("", None):
        raise BadValue("empty; every enrolment needs a start date (YYYY-MM-DD)")
    return parse_date(value)


def _choice(labels: tuple[str, ...], empty=None, what: str = "") -> Callable:
    table = codes.lookup(labels)

    def parse(value):
        if value in ("", None):
            if empty is BadValue:
                raise BadValue(f"empty; {what}allowed: {', '.join(labels)}")
            return empty
        label = codes.canonical(value, table)
        if label is None:
            raise BadValue(f"'{value}' is not allowed; use one of: {', '.join(labels)}")
        return label

    return parse


def _yes_no(value):
    if value in ("", None):
        return pd.NA
    key = str(value).strip().lower()
    if key not in codes.YES_NO:
        raise BadValue(f"'{value}' is not allowed; use ja or nej")
    return codes.YES_NO[key]


def _sources(value):
    if value in ("", None):
        return ()
    found = []
    table = codes.lookup(codes.SUPPORT_SOURCES)
    for part in str(value).split(";"):
        if not part.strip():
            continue
        label = codes.canonical(part, table)
        if label is None:
            raise BadValue(
                f"'{part.strip()}' is not a source of support; separate several with ';' and use: "
                + ", ".join(codes.SUPPORT_SOURCES)
            )
        if label not in found:
            found.append(label)
    return tuple(found)


def _whole(low: int, high: int, what: str) -> Callable:
    def parse(value):
        if value in ("", None):
            return pd.NA
        text = str(value).strip()
        if not re.fullmatch(r"\d+", text) or not low <= int(text) <= high:
            raise BadValue(f"'{text}' is not {what} (a whole number from {low} to {high})")
        return int(text)

    return parse


def _participant_id(value):
    text = str(value).strip() if value is not None else ""
    if not text:
        raise BadValue("empty; every row needs a pseudonymous participant id")
    # Every cell of every table is searched for valid personnummer when it is read
    # (evaluation.files); an id is refused even with a wrong check digit.
    if pii.looks_like_pnr(text, luhn=False):
        raise BadValue(
            "ser ut som ett personnummer (värdet visas inte). Registret ska vara pseudonymiserat: "
            "ersätt personnummer med koder som D0001"
        )
    return text


def _text(value):
    return "" if value is None else str(value).strip()


def _rules() -> dict[str, Callable]:
    return {
        "deltagar_id": _participant_id,
        "kon": _choice(codes.GENDERS, empty=BadValue),
        "fodelsear": _whole(1900, dt.date.today().year, "a year of birth"),
        "alder": _whole(0, 120, "an age in years"),
        "startdatum": _required_date,
        "slutdatum": parse_date,
        "avslutsanledning": _choice(codes.EXIT_REASONS, empty=""),
        "aktivt_arbetssokande": _yes_no,
        "utbildningsniva": _choice(codes.EDUCATION, empty=codes.UNKNOWN_EDUCATION),
        "tid_i_forsorjning": _choice(codes.TIME_IN_SUPPORT, empty=codes.UNKNOWN_TIME),
        "forsorjning_fore": _sources,
        "forsorjning_efter": _sources,
        "remittent": _text,
        "delinsats": _text,
        "gemensam_planering": _yes_no,
        "anonym": _yes_no,
    }


def _typed(raw: RawTable, rules: dict[str, Callable], violations: list[Violation]) -> dict[str, list]:
    """Parse every known column cell by cell, collecting violations."""
    out: dict[str, list] = {}
    rows = [raw.row_number(i) for i in raw.frame.index]
    for column, parse in rules.items():
        if column not in raw.frame.columns:
            continue
        shown = raw.original_headers.get(column, column)
        values = []
        for row, cell in zip(rows, raw.frame[column].tolist()):
            try:
                values.append(parse(cell))
            except BadValue as bad:
                violations.append(Violation(row, shown, str(bad)))
                values.append(None)
        out[column] = values
    return out


def _require_columns(raw: RawTable, required: tuple[str, ...], optional: tuple[str, ...]) -> None:
    missing = [c for c in required if c not in raw.frame.columns]
    if missing:
        found = ", ".join(raw.original_headers.values()) or "none"
        raise InputError(
            f"{raw.path}: required column(s) missing: {', '.join(missing)}. Found columns: {found}. "
            f"Required: {', '.join(required)}; optional: {', '.join(optional)}. Headers are matched "
            "ignoring case and surrounding spaces, and å/ä/ö may be written a/a/o."
        )


def load_register(path: Path) -> pd.DataFrame:
    """Read and validate a participant register (CSV or XLSX).

    Returns one row per enrolment with columns ``deltagar_id``, ``kon``, ``startdatum``,
    ``slutdatum`` (datetime64, NaT = ongoing), ``alder`` (age at start, <NA> if unknown),
    ``avslutsanledning`` ('' if ongoing), ``anonym`` (bool) and every optional contract column
    (absent from the file → all <NA>; ``forsorjning_*`` hold tuples of sources).
    """
    try:
        raw = read_table(path)
    except EmptyTableError as exc:
        raise EmptyTableError(exc.path, (
            f"{exc.path}: deltagarregistret har ännu inga deltagare, bara rubrikraden. Fyll i en rad "
            f"per inskrivning med minst {', '.join(REQUIRED)} (se bladet Instruktioner i mallen "
            "och docs/indatakontrakt.md) och kör igen. Rapporten kan inte tas fram utan deltagare."
        )) from None
    _require_columns(raw, REQUIRED, OPTIONAL)
    notices.note(*notices.table_notices(raw, REQUIRED + OPTIONAL, "deltagarregistret"))
    violations: list[Violation] = []
    cols = _typed(raw, _rules(), violations)
    rows = [raw.row_number(i) for i in raw.frame.index]
    _check_enrolments(raw, cols, rows, violations)
    if violations:
        raise ValidationError(raw.path, violations)

    n = len(rows)
    frame = pd.DataFrame({"rad": rows})
    for column in REQUIRED + OPTIONAL:
        frame[column] = pd.Series(cols[column], dtype=object) if column in cols else pd.Series([pd.NA] * n, dtype=object)
    frame["startdatum"] = pd.to_datetime(frame["startdatum"])
    frame["slutdatum"] = pd.to_datetime(frame["slutdatum"].where(frame["slutdatum"].notna(), None))
    frame["avslutsanledning"] = frame["avslutsanledning"].fillna("")
    frame["anonym"] = frame["anonym"].map(lambda v: v is True)
    birth = pd.to_numeric(frame["fodelsear"], errors="coerce")
    stated = pd.to_numeric(frame["alder"], errors="coerce")
    frame["alder"] = stated.fillna(frame["startdatum"].dt.year - birth).astype("Int64")
    return frame.drop(columns=["fodelsear"])


def _check_enrolments(raw: RawTable, cols: dict, rows: list[int], violations: list[Violation]) -> None:
    """Checks across cells of a row and across rows."""
    header = raw.original_headers
    starts, ends = cols["startdatum"], cols.get("slutdatum", [None] * len(rows))
    reasons = cols.get("avslutsanledning", [""] * len(rows))
    raw_ends = raw.frame["slutdatum"].tolist() if "slutdatum" in raw.frame.columns else [""] * len(rows)
    for row, start, end, reason, raw_end in zip(rows, starts, ends, reasons, raw_ends):
        if start and end and end < start:
            violations.append(Violation(row, header.get("slutdatum"), f"ends {end} before it starts {start}; slutdatum may not be before startdatum"))
        if end and reason == "":
            if "avslutsanledning" not in cols:
                violations.append(Violation(row, None, "has a slutdatum but the register has no column 'avslutsanledning'; add it with the reason for every ended enrolment"))
            else:
                violations.append(Violation(row, header["avslutsanledning"], f"ended {end} without a reason; allowed: {', '.join(codes.EXIT_REASONS)}"))
        if reason and raw_end in ("", None):
            violations.append(Violation(row, header["avslutsanledning"], f"'{reason}' is given but slutdatum is empty; give the end date or clear the reason"))
    seen: dict[tuple, int] = {}
    for row, pid, start in zip(rows, cols["deltagar_id"], starts):
        if pid is None or start is None:
            continue
        key = (pid, start)
        if key in seen:
            violations.append(Violation(row, header["deltagar_id"], f"participant '{pid}' has two enrolments starting {start} (rows {seen[key]} and {row}); (deltagar_id, startdatum) must be unique"))
        else:
            seen[key] = row
    _check_overlaps(header, rows, cols["deltagar_id"], starts, ends, raw_ends, violations)


def _check_overlaps(header, rows, ids, starts, ends, raw_ends, violations: list[Violation]) -> None:
    """One participant's enrolments may not overlap: each day would be counted twice.

    A new enrolment may start on the day the previous one ended. An enrolment without
    slutdatum is ongoing, so every later enrolment of the same participant overlaps it.
    """
    spans = sorted(
        (pid, start, end or dt.date.max, row)
        for row, pid, start, end, raw_end in zip(rows, ids, starts, ends, raw_ends)
        if pid is not None and start is not None and (end is not None or raw_end in ("", None))
        and (end is None or end >= start)
    )
    latest: dict = {}  # participant -> (start, end, row) of the enrolment that ends last so far
    for pid, start, end, row in spans:
        if pid in latest:
            last_start, last_end, last_row = latest[pid]
            if start < last_end and start != last_start:  # the same start is reported above
                until = "pågår fortfarande" if last_end == dt.date.max else f"slutar {last_end}"
                violations.append(Violation(row, header["startdatum"], (
                    f"inskrivningen börjar {start} medan samma deltagares inskrivning på rad "
                    f"{last_row} {until} (rad {last_row} och rad {row} överlappar). En deltagare kan "
                    "bara vara inskriven en gång åt gången: rätta slutdatum eller startdatum, eller ge "
                    "inskrivningarna olika deltagar_id om det är olika personer."
                )))
            if end <= last_end:
                continue
        latest[pid] = (start, end, row)


def load_followups(path: Path, register: pd.DataFrame | None) -> pd.DataFrame:
    """Read and validate ``uppfoljning.csv``; every participant must be in the register.

    Returns ``deltagar_id``, ``manader`` (int), ``status``, ``datum`` (the date the follow-up
    counts on: its own ``datum``, or the participant's latest ``slutdatum`` plus the months).
    The free-text ``kommentar`` is dropped here: it is never shown per person.
    """
    try:
        raw = read_table(path)
    except EmptyTableError as exc:
        raise EmptyTableError(exc.path, (
            f"{exc.path}: uppföljningsfilen har inga uppföljningar, bara rubrikraden. Fyll i en rad per "
            f"uppföljning med {', '.join(FOLLOWUP_REQUIRED)}, eller ta bort filen om inga uppföljningar "
            "har gjorts, och kör igen."
        )) from None
    _require_columns(raw, FOLLOWUP_REQUIRED, FOLLOWUP_OPTIONAL)
    notices.note(*notices.table_notices(raw, FOLLOWUP_REQUIRED + FOLLOWUP_OPTIONAL, "uppföljningsfilen"))
    rules = {
        "deltagar_id": _participant_id,
        "manader_efter_avslut": _whole(0, 600, "a number of months"),
        "status": _choice(codes.FOLLOWUP_STATUSES, empty=BadValue),
        "datum": parse_date,
    }
    violations: list[Violation] = []
    cols = _typed(raw, rules, violations)
    rows = [raw.row_number(i) for i in raw.frame.index]
    last_end = {}
    if register is not None:
        ended = register.dropna(subset=["slutdatum"])
        last_end = ended.groupby("deltagar_id")["slutdatum"].max().to_dict()
        known = set(register["deltagar_id"])
    header = raw.original_headers
    dates = []
    for i, row in enumerate(rows):
        pid, months = cols["deltagar_id"][i], cols["manader_efter_avslut"][i]
        when = cols.get("datum", [None] * len(rows))[i]
        if register is None:
            violations.append(Violation(row, None, "follow-ups need the participant register (deltagare.csv or .xlsx) beside this file"))
            break
        if pid is not None and pid not in known:
            violations.append(Violation(row, header["deltagar_id"], f"participant '{pid}' is not in the register; follow-ups must belong to registered enrolments"))
        elif when is None and pid is not None and months is not pd.NA and months is not None:
            end = last_end.get(pid)
            if end is None:
                violations.append(Violation(row, header.get("datum", "datum"), f"participant '{pid}' has no ended enrolment, so the follow-up date cannot be derived; give 'datum'"))
            else:
                when = (end + pd.DateOffset(months=int(months))).date()
        if months is pd.NA:
            violations.append(Violation(row, header["manader_efter_avslut"], "empty; give the whole number of months after exit (e.g. 6 or 18)"))
        dates.append(when)
    if violations:
        raise ValidationError(raw.path, violations)
    return pd.DataFrame({
        "deltagar_id": cols["deltagar_id"],
        "manader": pd.Series(cols["manader_efter_avslut"], dtype="int64"),
        "status": cols["status"],
        "datum": pd.to_datetime(pd.Series(dates, dtype=object)),
    })


def find_register(data_dir: Path) -> Path | None:
    """The register file of an insats: ``deltagare.csv`` or ``deltagare.xlsx``."""
    return find_table(Path(data_dir), "deltagare")


def find_followups(data_dir: Path) -> Path | None:
    return find_table(Path(data_dir), "uppfoljning")
