"""Participant register (contract §2) and follow-ups after exit (contract §3).

``load_register`` and ``load_followups`` read, validate and type a file. Every bad cell in a
file is reported together (capped) with the row number the user sees, the column, the value
and what is allowed. Input files are only read.

Longer than 400 lines: the register contract's column checks (one per column of §2) and the follow-up file's; to be split per file (register, follow-ups) next.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from evaluation.core import fmt, fonts, pii, piiscan, vocab
from evaluation.core.errors import (EmptyTableError, InputError, Notice, ValidationError, Violation, cut_list,
                                     did_you_mean)
from evaluation.core.pii import quote
from evaluation.inputs import notices
from evaluation.inputs.files import RawTable, find_table, normalise_header, read_table_and_refusals, said_together
from evaluation.inputs.readonce import read_once
from evaluation.inputs.textfiles import confinement
from evaluation.inputs.years import year_problem

REQUIRED = ("deltagar_id", "kon", "startdatum")
OPTIONAL = (
    "fodelsear", "alder", "slutdatum", "avslutsanledning", "aktivt_arbetssokande", "aktivt_arbetssokande_start",
    "utbildningsniva", "tid_i_forsorjning", "forsorjning_fore", "forsorjning_efter",
    "remittent", "delinsats", "gemensam_planering", "anonym",
)
FOLLOWUP_REQUIRED = ("deltagar_id", "manader_efter_avslut", "status")
FOLLOWUP_OPTIONAL = ("datum", "kommentar")

#: Text columns of the validated register held as ``Categorical`` (few distinct values, or
#: the participant id counted distinct in every table): fast to compare, small in memory.
CATEGORICAL = ("deltagar_id", "kon", "avslutsanledning", "utbildningsniva", "tid_i_forsorjning",
               "remittent", "delinsats")

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: A date with a time of day, as exports of date cells write it (``2024-05-01 00:00:00``).
_WITH_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$")
#: Dashes that look like '-' (Word writes them): hyphen, non-breaking hyphen, figure dash, en dash, minus.
_DASHES = str.maketrans("\u2010\u2011\u2012\u2013\u2212", "-----")


class BadValue(ValueError):
    """A cell's value is not allowed; the message says what is."""


def check_year(day: dt.date) -> dt.date:
    """``day`` when its year is sane (:func:`evaluation.inputs.years.year_problem`), else :class:`BadValue`.

    >>> check_year(dt.date(1, 1, 1))
    Traceback (most recent call last):
    ...
    evaluation.inputs.register.BadValue: året 1 är inte rimligt; datum ska ligga mellan år 1900 och ...
    """
    problem = year_problem(day)
    if problem:
        raise BadValue(problem)
    return day


_TIME_ONLY = re.compile(r"\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?")


def parse_date(value) -> dt.date | None:
    """A date written ``ÅÅÅÅ-MM-DD`` (also with a midnight time, ``2024-05-01 00:00:00``, and with
    the dashes Word types), or an Excel date cell; ``None`` for an empty cell.

    >>> parse_date("2024-05-01 00:00:00"), parse_date("2024\u201305\u201301")
    (datetime.date(2024, 5, 1), datetime.date(2024, 5, 1))
    """
    if value == "" or value is None:
        return None
    if isinstance(value, dt.datetime) and value.time() != dt.time(0):  # as the same cell saved as CSV
        raise BadValue(f"{quote(value.strftime('%Y-%m-%d %H:%M'))} har ett klockslag; skriv bara datumet, "
                       "ÅÅÅÅ-MM-DD (i Excel: =HELTAL(cellen) i en hjälpkolumn, kopiera och klistra in som värden)")
    if isinstance(value, dt.date):
        return check_year(value.date() if isinstance(value, dt.datetime) else value)
    text = str(value).strip().translate(_DASHES)
    if _TIME_ONLY.fullmatch(text):  # an Excel cell formatted as a time, or a date before 1900 (serial 0)
        raise BadValue(f"cellen är ett klockslag ({text[:5].rstrip(':')}) utan datum; skriv datumet som ÅÅÅÅ-MM-DD "
                       "(t.ex. 2020-05-01), eller formatera cellen som datum i Excel")
    timed = _WITH_TIME.match(text)
    if timed and not any(int(part or 0) for part in timed.groups()[1:]):
        text = timed.group(1)  # midnight: the date itself, as an export of a date cell writes it
    elif timed:
        raise BadValue(f"{quote(str(value).strip())} har ett klockslag; skriv bara datumet, ÅÅÅÅ-MM-DD "
                       "(t.ex. 2020-05-01)")
    if not ISO_DATE.match(text):
        serial = ("; det ser ut som Excels datumnummer: formatera kolumnen som datum i Excel och spara igen"
                  if re.fullmatch(r"[1-6]\d{4}(\.0+)?", text) else "")
        raise BadValue(f"{quote(str(value).strip())} är inte ett datum; skriv det som ÅÅÅÅ-MM-DD "
                       f"(t.ex. 2020-05-01){serial}")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise BadValue(f"{quote(text)} är inget datum som finns i kalendern; rätta månad eller dag (ÅÅÅÅ-MM-DD)") from None
    return check_year(day)


def _required_date(value):
    if value in ("", None):
        raise BadValue("tom; varje inskrivning behöver ett startdatum (ÅÅÅÅ-MM-DD)")
    return parse_date(value)


def _choice(labels: tuple[str, ...], empty=None, what: str = "") -> Callable:
    table = vocab.lookup(labels)

    def parse(value):
        if value in ("", None):
            if empty is BadValue:
                raise BadValue(f"tom; {what}tillåtna värden: {', '.join(labels)}")
            return empty
        label = vocab.canonical(value, table)
        if label is None:
            raise BadValue(f"{quote(value)} är inte tillåtet; använd ett av: {', '.join(labels)}{did_you_mean(value, labels)}")
        return label

    return parse


def _yes_no(value):
    if value in ("", None):
        return pd.NA
    key = str(value).strip().lower()
    if key not in vocab.YES_NO:
        raise BadValue(f"{quote(value)} är inte tillåtet; skriv ja eller nej (eller lämna cellen tom)")
    return vocab.YES_NO[key]


def _sources(value):
    if value in ("", None):
        return ()
    found = []
    table = vocab.lookup(vocab.SUPPORT_SOURCES)
    for part in str(value).split(";"):
        if not part.strip():
            continue
        label = vocab.canonical(part, table)
        if label is None:
            raise BadValue(
                f"{quote(part.strip())} är ingen försörjningskälla; skilj flera källor åt med ';' och använd: "
                + ", ".join(vocab.SUPPORT_SOURCES) + did_you_mean(part.strip(), vocab.SUPPORT_SOURCES)
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
            raise BadValue(f"{quote(text)} är inte {what} (ett heltal från {low} till {high})")
        return int(text)

    return parse


def _participant_id(value):
    text = str(value).strip() if value is not None else ""
    if not text:
        raise BadValue("tom; varje rad behöver ett pseudonymiserat deltagar-id (t.ex. D0001)")
    # Every cell of every table is searched for valid personnummer when it is read
    # (evaluation.inputs.files); an id is refused even with a wrong check digit.
    if pii.looks_like_pnr(text, luhn=False):
        raise BadValue(
            "ser ut som ett personnummer (värdet visas inte). Registret ska vara pseudonymiserat: "
            "ersätt personnummer med koder som D0001"
        )
    return text


#: A personnummer has at least ten digits (Python's ``\d``: any decimal digit).
_PNR_DIGITS = 10
#: ASCII characters ``str.strip`` removes (and the space inside an id, which is tested one by one).
_ASCII_SPACE = bytes(c for c in range(128) if chr(c).isspace())


def _participant_ids(uniques: np.ndarray, all_text: bool) -> tuple[np.ndarray, dict[int, str]]:
    """:func:`_participant_id` of many distinct ids: ``(parsed, {position: problem})``.

    The common id (stripped text with fewer than ten digits) is taken as it is; only the
    others go through the personnummer test one by one.
    """
    array = piiscan.text_array(uniques, all_text) if all_text else None
    if array is None:
        suspect = np.arange(len(uniques))
    else:
        # ASCII text with fewer than ten digits, not empty and without surrounding white space
        # cannot be refused; any other text (e.g. with non-ASCII digits) is tested one by one.
        digits, wide, space = piiscan.byte_counts(array, b"0123456789", bytes(range(128, 256)), _ASCII_SPACE)
        filled = pc.utf8_length(array).to_numpy(zero_copy_only=False) > 0
        suspect = np.flatnonzero(~((digits < _PNR_DIGITS) & (wide == 0) & (space == 0) & filled))
    parsed = uniques.copy()
    refused = {}
    for i in suspect:
        try:
            parsed[i] = _participant_id(uniques[i])
        except BadValue as bad:
            parsed[i], refused[int(i)] = None, str(bad)
    return parsed, refused


def _text(value):
    return "" if value is None else str(value).strip()


def _rules() -> dict[str, Callable]:
    return {
        "deltagar_id": _participant_id,
        "kon": _choice(vocab.GENDERS, empty=BadValue),
        "fodelsear": _whole(1900, dt.date.today().year, "ett födelseår"),
        "alder": _whole(0, 120, "en ålder i år"),
        "startdatum": _required_date,
        "slutdatum": parse_date,
        "avslutsanledning": _choice(vocab.EXIT_REASONS, empty=""),
        "aktivt_arbetssokande": _yes_no,
        "aktivt_arbetssokande_start": _yes_no,
        "utbildningsniva": _choice(vocab.EDUCATION, empty=vocab.UNKNOWN_EDUCATION),
        "tid_i_forsorjning": _choice(vocab.TIME_IN_SUPPORT, empty=vocab.UNKNOWN_TIME),
        "forsorjning_fore": _sources,
        "forsorjning_efter": _sources,
        "remittent": _text,
        "delinsats": _text,
        "gemensam_planering": _yes_no,
        "anonym": _yes_no,
    }


class Column:
    """One column parsed: each distinct cell once, the rows pointing at their distinct value."""

    def __init__(self, codes: np.ndarray, parsed: np.ndarray):
        self.codes = codes  # per row, the position of its cell in ``parsed``
        self.parsed = parsed  # per distinct cell, the parsed value (None when refused)

    @property
    def values(self) -> np.ndarray:
        """Per row, the parsed value (an ``object`` array)."""
        return self.parsed[self.codes]

    def categorical(self) -> pd.Categorical:
        """Per row, the parsed text as a ``Categorical`` (each distinct label stored once)."""
        remap, labels = pd.factorize(self.parsed)
        return pd.Categorical.from_codes(remap[self.codes], categories=pd.Index(labels, dtype=object), validate=False)

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, i: int):
        return self.parsed[self.codes[i]]


def _object_array(items: list) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    for i, item in enumerate(items):  # one by one: a tuple is a value here, not a sequence
        out[i] = item
    return out


def _typed(raw: RawTable, rules: dict[str, Callable], violations: list[Violation]) -> dict[str, Column]:
    """Parse every known column, each distinct cell once, collecting violations (file rows)."""
    out: dict[str, Column] = {}
    rows = _rows(raw)
    for column, parse in rules.items():
        if column not in raw.frame.columns:
            continue
        shown = raw.original_headers.get(column, column)
        row_codes, uniques, all_text = piiscan.distinct(raw.frame[column])
        if parse is _participant_id:
            parsed, refused = _participant_ids(uniques, all_text)
        else:
            results, refused = [], {}
            for i, cell in enumerate(uniques):
                try:
                    results.append(parse(cell))
                except BadValue as bad:
                    results.append(None)
                    refused[i] = str(bad)
            parsed = _object_array(results)
        out[column] = Column(row_codes, parsed)
        if refused:
            at = np.flatnonzero(np.isin(row_codes, list(refused)))
            violations.extend(Violation(int(rows[i]), shown, refused[int(row_codes[i])]) for i in at)
    return out


def _rows(raw: RawTable) -> np.ndarray:
    """The file row number of every row of the table."""
    return raw.first_row + raw.frame.index.to_numpy(dtype=np.int64)


#: How far down a header row below a title is looked for.
_TITLE_ROWS = 10


def header_row_below(raw: RawTable, required: tuple[str, ...]) -> int | None:
    """The file row, among the first few, that holds every ``required`` header: where the headers
    are when a title or a note stands above them (row 1 is read as the header row)."""
    for position in range(min(_TITLE_ROWS, len(raw.frame))):
        cells = {normalise_header(c) for c in raw.frame.iloc[position] if isinstance(c, str)}
        if set(required) <= cells:
            return raw.first_row + int(raw.frame.index[position])  # blank rows are gone, their numbers kept
    return None


def _require_columns(raw: RawTable, required: tuple[str, ...], optional: tuple[str, ...]) -> None:
    missing = [c for c in required if c not in raw.frame.columns]
    if missing:
        found = cut_list(quote(h) for h in raw.original_headers.values()) or "inga"
        below = header_row_below(raw, required)
        where = (f" Kolumnrubrikerna står på rad {below}, men de ska stå på rad 1: ta bort raderna ovanför "
                 "(en rubrik eller anteckning) och kör igen." if below else "")
        sheet = (f" Arbetsboken har bladen {', '.join(quote(name) for name in raw.sheets)}, och det första, "
                 f"{quote(raw.sheets[0])}, är det som läses: står registret på ett annat blad, dra det först (eller "
                 "ta bort bladet före) och spara." if len(raw.sheets) > 1 and not below else "")
        raise InputError(
            f"{raw.path}: obligatoriska kolumner saknas: {', '.join(missing)}.{sheet} Kolumner i filen: {found}.{where} "
            f"Obligatoriska: {', '.join(required)}; valfria: {', '.join(optional)}. Lägg till kolumnerna "
            "eller rätta rubrikerna; stora och små bokstäver och mellanslag runt rubriken spelar ingen "
            "roll, och å/ä/ö får skrivas a/a/o."
        )


def _dates(column: Column | None, n: int, unit: np.dtype | None = None) -> np.ndarray:
    """The parsed dates of a column as ``datetime64`` per row (NaT: empty or refused)."""
    days = _as_datetime(column, n).to_numpy()
    return days.astype(unit) if unit is not None else days


@read_once(scope=lambda: (confinement(), dt.date.today()))
def load_register(path: Path) -> pd.DataFrame:
    """Read and validate a participant register (CSV or XLSX).

    Returns one row per enrolment with columns ``deltagar_id``, ``kon``, ``startdatum``,
    ``slutdatum`` (datetime64, NaT = ongoing), ``alder`` (age at start, <NA> if unknown),
    ``avslutsanledning`` ('' if ongoing), ``anonym`` (bool) and every optional contract column
    (absent from the file → all <NA>; ``forsorjning_*`` hold tuples of sources).

    Every distinct cell is parsed once and the checks across rows are vectorised, so a
    million enrolments take a few seconds; every refused row is still named. A register read
    before in this process is given again as a copy (:func:`evaluation.inputs.readonce.read_once`,
    the day in the key: a birth year's and a date's limits are this year's): a batch kernel builds
    every report of an insats from the same register (18 bench reports, 6 registers: 0.35 → 0.13 CPU-s).
    """
    try:
        raw, refused = read_table_and_refusals(path, categorical=True)
    except EmptyTableError as exc:
        raise EmptyTableError(exc.path, (
            f"{exc.path}: deltagarregistret har ännu inga deltagare, bara rubrikraden. Fyll i en rad "
            f"per inskrivning med minst {', '.join(REQUIRED)} (se bladet Instruktioner i mallen "
            "och docs/indatakontrakt.md) och kör igen. Rapporten kan inte tas fram utan deltagare."
        )) from None
    with said_together(raw.path, refused):
        _require_columns(raw, REQUIRED, OPTIONAL)
    notices.note(*notices.table_notices(raw, REQUIRED + OPTIONAL, "deltagarregistret"))
    violations: list[Violation] = list(refused)  # said with the other rows' errors
    cols = _typed(raw, _rules(), violations)
    rows = _rows(raw)
    n = len(rows)
    starts = _dates(cols["startdatum"], n)
    ends = _dates(cols.get("slutdatum"), n, unit=starts.dtype)  # one unit: compared as integers
    ids = cols["deltagar_id"].categorical()  # one code per participant (-1: id refused)
    _check_enrolments(raw, cols, rows, ids.codes.astype(np.int64), starts, ends, violations)
    if violations:
        raise ValidationError(raw.path, violations)
    notices.note(*_unprintable_labels(raw, cols, rows))

    frame = pd.DataFrame({"rad": rows})
    for column in REQUIRED + OPTIONAL:
        if column not in cols:
            frame[column] = pd.Series(np.full(n, pd.NA, dtype=object), dtype=object)
        elif column == "deltagar_id":
            frame[column] = ids
        elif column in CATEGORICAL:
            frame[column] = cols[column].categorical()
        else:
            frame[column] = pd.Series(cols[column].values, dtype=object)
    frame["startdatum"] = _as_datetime(cols["startdatum"], n)
    frame["slutdatum"] = _as_datetime(cols.get("slutdatum"), n)
    frame["avslutsanledning"] = frame["avslutsanledning"].fillna("")
    anonym = cols.get("anonym")
    frame["anonym"] = (np.array([v is True for v in anonym.parsed], dtype=bool)[anonym.codes]
                       if anonym is not None else np.zeros(n, dtype=bool))
    birth = _numbers(cols.get("fodelsear"), n)
    stated = _numbers(cols.get("alder"), n)
    frame["alder"] = stated.fillna(frame["startdatum"].dt.year - birth).astype("Int64")
    return frame.drop(columns=["fodelsear"])


#: Free-text columns whose values the report prints (as a table's labels and a sub-group's heading).
PRINTED_LABELS = ("remittent", "delinsats")


def _unprintable_labels(raw: RawTable, cols: dict[str, Column], rows: np.ndarray) -> list[Notice]:
    """A character no shipped font has (an emoji) in a label the report prints: an empty box in the
    PDF. Said once a column, with the characters and the first row, never the value."""
    found = []
    for column in PRINTED_LABELS:
        if column not in cols:
            continue
        labels = [str(v) if isinstance(v, str) else "" for v in cols[column].parsed]
        missing = fonts.uncovered("\n".join(labels))
        if missing:
            chars = "".join(dict.fromkeys(c for _, line in missing for c in line))
            first = int(rows[np.flatnonzero(cols[column].codes == missing[0][0] - 1)[0]])
            found.append(Notice(raw.path, None, (
                f"kolumnen {quote(raw.original_headers.get(column, column))} innehåller {fonts.named(chars)}, "
                f"första gången på rad {first}, som rapportens "
                "typsnitt saknar: de blir tomma rutor i tabellerna och rubrikerna i PDF:en. Skriv namnet med "
                "ord i registret, samma varje gång.")))
    return found


def _as_datetime(column: Column | None, n: int) -> pd.Series:
    """Like ``pd.to_datetime`` of the parsed dates per row (NaT where empty)."""
    if column is None:
        return pd.to_datetime(pd.Series(np.full(n, None, dtype=object)))
    parsed = pd.Series(column.parsed, dtype=object)
    return pd.to_datetime(parsed.where(parsed.notna(), None))[column.codes].reset_index(drop=True)


def _numbers(column: Column | None, n: int) -> pd.Series:
    """The parsed whole numbers per row as floats (NaN where empty)."""
    if column is None:
        return pd.Series(np.full(n, np.nan))
    parsed = pd.to_numeric(pd.Series(column.parsed, dtype=object), errors="coerce").to_numpy(dtype=float)
    return pd.Series(parsed[column.codes])


def _check_enrolments(raw: RawTable, cols: dict, rows: np.ndarray, person: np.ndarray, starts: np.ndarray,
                      ends: np.ndarray, violations: list[Violation]) -> None:
    """Checks across cells of a row and across rows (vectorised; each refused row named).

    ``person`` is a code per row for its participant id (-1 where the id was refused).
    """
    header = raw.original_headers
    n = len(rows)
    start_of, end_of = cols["startdatum"], cols.get("slutdatum")
    has_start, has_end = ~np.isnat(starts), ~np.isnat(ends)
    if "slutdatum" in raw.frame.columns:
        raw_end_empty = _empty_raw(raw.frame["slutdatum"])
    else:
        raw_end_empty = np.ones(n, dtype=bool)
    if "avslutsanledning" in cols:
        reason_of = cols["avslutsanledning"]
        labels = reason_of.parsed
        no_reason = np.array([r == "" for r in labels], dtype=bool)[reason_of.codes]
        given = np.array([bool(r) for r in labels], dtype=bool)[reason_of.codes]
    else:
        reason_of, no_reason, given = None, np.ones(n, dtype=bool), np.zeros(n, dtype=bool)

    for i in np.flatnonzero(has_start & has_end & (ends < starts)):
        violations.append(Violation(int(rows[i]), header.get("slutdatum"), (
            f"slutar {end_of[i]} men börjar {start_of[i]}; slutdatum får inte vara före startdatum. "
            "Rätta det datum som är fel"
        )))
    if "fodelsear" in cols:  # an age below 0 at start
        birth = _numbers(cols["fodelsear"], n).to_numpy()
        start_year = starts.astype("datetime64[Y]").astype(np.int64) + 1970
        for i in np.flatnonzero(has_start & (birth > start_year)):
            violations.append(Violation(int(rows[i]), header["fodelsear"], (
                f"födelseåret {int(birth[i])} är efter startdatum {start_of[i]}; rätta det som är fel"
            )))
    ended_without = np.flatnonzero(has_end & no_reason)
    if reason_of is None and len(ended_without):  # one problem, not one a row: the column is the cause
        unread = [shown for key, shown in header.items() if key not in REQUIRED + OPTIONAL and not pii.value_kind(shown)]
        violations.append(Violation(None, None, (
            f"registret saknar kolumnen 'avslutsanledning', men {fmt.number(len(ended_without))} "
            f"{'rad har' if len(ended_without) == 1 else 'rader har'} slutdatum (den första är rad {int(rows[ended_without[0]])}). "
            "Lägg till kolumnen med anledningen för varje avslutad inskrivning"
            + (f"; kolumner i filen som inte läses: {fmt.swedish_list([quote(u) for u in unread[:10]])}"
               f"{' …' if len(unread) > 10 else ''}. Står anledningen i en av dem, byt rubriken till avslutsanledning"
               if unread else "")
        )))
    for i in (ended_without if reason_of is not None else ()):
        violations.append(Violation(int(rows[i]), header["avslutsanledning"], (
            f"avslutad {end_of[i]} utan avslutsanledning; fyll i en av: {', '.join(vocab.EXIT_REASONS)}"
        )))
    for i in np.flatnonzero(given & raw_end_empty):
        violations.append(Violation(int(rows[i]), header["avslutsanledning"], (
            f"{quote(reason_of[i])} är angiven men slutdatum är tomt; fyll i slutdatum eller töm avslutsanledningen"
        )))

    ids = cols["deltagar_id"]
    keyed = (person >= 0) & has_start
    day = starts.view(np.int64)
    pairs = pd.DataFrame({"p": person[keyed], "d": day[keyed], "row": rows[keyed]})
    repeated = pairs.duplicated(["p", "d"], keep="first").to_numpy()
    if repeated.any():
        first_row = pairs.groupby(["p", "d"], sort=False)["row"].transform("first").to_numpy()
        at = np.flatnonzero(keyed)
        for j in np.flatnonzero(repeated):
            i = at[j]
            violations.append(Violation(int(rows[i]), header["deltagar_id"], (
                f"deltagaren {quote(ids[i])} har två inskrivningar som börjar {start_of[i]} (rad {first_row[j]} "
                f"och rad {rows[i]}); samma deltagar_id och startdatum får bara finnas en gång. Ta bort "
                "dubbletten eller rätta startdatum"
            )))
    end_ok = has_end | raw_end_empty
    spans = keyed & end_ok & (~has_end | (ends >= starts))
    _check_overlaps(header, rows, person, starts, ends, spans, start_of, end_of, violations)


def _empty_raw(values: pd.Series) -> np.ndarray:
    """Which raw cells are empty (``""`` or missing)."""
    row_codes, uniques, _ = piiscan.distinct(values)
    empty = np.array([u is None or (isinstance(u, str) and u == "") for u in uniques], dtype=bool)
    return empty[row_codes] if len(empty) else np.zeros(len(values), dtype=bool)


def _check_overlaps(header, rows, person, starts, ends, spans, start_of, end_of, violations: list[Violation]) -> None:
    """One participant's enrolments may not overlap: each day would be counted twice.

    A new enrolment may start on the day the previous one ended. An enrolment without
    slutdatum is ongoing, so every later enrolment of the same participant overlaps it.
    Each enrolment, in order of start (then end, then row), is compared with the participant's
    earlier enrolment that ends last (the first to reach that end).
    """
    at = np.flatnonzero(spans)
    at = at[np.bincount(person[at])[person[at]] > 1]  # only participants enrolled more than once
    if len(at) < 2:
        return
    begin = starts[at].view(np.int64)
    finish = np.where(np.isnat(ends[at]), np.iinfo(np.int64).max, ends[at].view(np.int64))
    who = person[at]
    order = np.lexsort((rows[at], finish, begin, who))
    at, begin, finish, who = at[order], begin[order], finish[order], who[order]
    m = len(at)
    first = np.r_[True, who[1:] != who[:-1]]
    group = np.cumsum(first) - 1
    running = pd.Series(finish).groupby(group).cummax().to_numpy()
    before = np.r_[np.iinfo(np.int64).min, running[:-1]]  # the latest end before each enrolment
    raises = first | (finish > before)  # this enrolment becomes the one that ends last
    latest = np.maximum.accumulate(np.where(raises, np.arange(m), -1))
    prev = np.r_[0, latest[:-1]]  # the enrolment that ended last before each one (same participant)
    clash = ~first & (begin < finish[prev]) & (begin != begin[prev])
    for k in np.flatnonzero(clash):
        i, j = at[k], at[prev[k]]
        until = "pågår fortfarande" if finish[prev[k]] == np.iinfo(np.int64).max else f"slutar {end_of[j]}"
        violations.append(Violation(int(rows[i]), header["startdatum"], (
            f"inskrivningen börjar {start_of[i]} medan samma deltagares inskrivning på rad "
            f"{rows[j]} {until} (rad {rows[j]} och rad {rows[i]} överlappar). En deltagare kan "
            "bara vara inskriven en gång åt gången: rätta slutdatum eller startdatum, eller ge "
            "inskrivningarna olika deltagar_id om det är olika personer."
        )))


def load_followups(path: Path, register: pd.DataFrame | None) -> pd.DataFrame:
    """Read and validate ``uppfoljning.csv``; every participant must be in the register.

    Returns ``deltagar_id``, ``manader`` (int), ``status``, ``datum`` (the date the follow-up
    counts on: its own ``datum``, or the participant's latest ``slutdatum`` plus the months).
    The free-text ``kommentar`` is dropped here: it is never shown per person.
    """
    try:
        raw, refused = read_table_and_refusals(path)
    except EmptyTableError as exc:
        raise EmptyTableError(exc.path, (
            f"{exc.path}: uppföljningsfilen har inga uppföljningar, bara rubrikraden. Fyll i en rad per "
            f"uppföljning med {', '.join(FOLLOWUP_REQUIRED)}, eller ta bort filen om inga uppföljningar "
            "har gjorts, och kör igen."
        )) from None
    with said_together(raw.path, refused):
        _require_columns(raw, FOLLOWUP_REQUIRED, FOLLOWUP_OPTIONAL)
    notices.note(*notices.table_notices(raw, FOLLOWUP_REQUIRED + FOLLOWUP_OPTIONAL, "uppföljningsfilen"))
    rules = {
        "deltagar_id": _participant_id,
        "manader_efter_avslut": _whole(0, 600, "ett antal månader"),
        "status": _choice(vocab.FOLLOWUP_STATUSES, empty=BadValue),
        "datum": parse_date,
    }
    violations: list[Violation] = list(refused)  # said with the other rows' errors
    cols = _typed(raw, rules, violations)
    rows = _rows(raw)
    ids = cols["deltagar_id"].values
    months_of = cols["manader_efter_avslut"].values
    given = cols["datum"].values if "datum" in cols else np.full(len(rows), None, dtype=object)
    last_end = {}
    if register is not None:
        ended = register.dropna(subset=["slutdatum"])
        last_end = ended.groupby("deltagar_id", observed=True)["slutdatum"].max().to_dict()
        known = set(register["deltagar_id"])
    header = raw.original_headers
    dates = []
    first_row: dict[tuple, int] = {}  # (participant, months) → its first row
    for i, row in enumerate(rows.tolist()):
        pid, months, when = ids[i], months_of[i], given[i]
        if pid is not None and months is not pd.NA and months is not None:
            if (pid, months) in first_row:  # counted twice in the follow-up table
                violations.append(Violation(row, header["manader_efter_avslut"], (
                    f"deltagaren {quote(pid)} har redan en uppföljning {months} månader efter avslut, på rad "
                    f"{first_row[pid, months]}; ta bort dubbletten eller rätta antalet månader"
                )))
            first_row.setdefault((pid, months), row)
        if register is None:
            violations.append(Violation(row, None, (
                "uppföljningar kräver deltagarregistret (deltagare.csv eller deltagare.xlsx) i samma "
                "mapp som den här filen; lägg dit registret och kör igen"
            )))
            break
        if pid is not None and pid not in known:
            violations.append(Violation(row, header["deltagar_id"], (
                f"deltagaren {quote(pid)} finns inte i deltagarregistret; en uppföljning måste gälla en "
                "inskriven deltagare. Rätta deltagar_id eller lägg till inskrivningen i registret"
            )))
        elif when is None and pid is not None and months is not pd.NA and months is not None:
            end = last_end.get(pid)
            if end is None:
                violations.append(Violation(row, header.get("datum", "datum"), (
                    f"deltagaren {quote(pid)} har ingen avslutad inskrivning, så uppföljningens datum kan inte "
                    "räknas fram; fyll i 'datum' (ÅÅÅÅ-MM-DD)"
                )))
            else:
                when = (end + pd.DateOffset(months=int(months))).date()
        if months is pd.NA:
            violations.append(Violation(row, header["manader_efter_avslut"], (
                "tom; fyll i antalet hela månader efter avslut (t.ex. 6 eller 18)"
            )))
        dates.append(when)
    if violations:
        raise ValidationError(raw.path, violations)
    return pd.DataFrame({
        "deltagar_id": ids.tolist(),
        "manader": pd.Series(months_of, dtype="int64"),
        "status": cols["status"].values.tolist(),
        "datum": pd.to_datetime(pd.Series(dates, dtype=object)),
    })


def find_register(data_dir: Path) -> Path | None:
    """The register file of an insats: ``deltagare.csv`` or ``deltagare.xlsx``."""
    return find_table(Path(data_dir), "deltagare")


def find_followups(data_dir: Path) -> Path | None:
    return find_table(Path(data_dir), "uppfoljning")
