"""Surveys (data contract §4): loading, summaries, tables, the ``enkater`` section and figures.

Each survey is two files in ``<data>/enkater/``: ``<enkat>.yaml`` describes it and
``<enkat>.csv`` (or ``.xlsx``) holds the answers as survey tools export them, one row per
response: ``respondent_id``, ``datum``, then one column per question id. An empty cell is no
answer. The YAML::

    titel: Deltagarenkät vid avslut
    antal_tillfragade: 12
    skala: [Inte alls, Till liten del, Till viss del, Till stor del, Till mycket stor del, Helt och hållet]
    topp: 2
    fragor:
      q1: {text: Har du fått stöd på ett sätt som är till stor nytta för dig?}
      q8: {text: Vad har varit bäst?, typ: fritext}

``fragor`` may instead name a built-in question set, ``nns-pagaende`` or ``nns-avslut``.

A report shows the surveys answered in its period: a survey is included when any of its
responses is dated within the period, or when none of them is dated. One file is one survey
round; its responses are never split between periods (the response rate is per round).

The module has three layers: the loader (:func:`load_surveys`, the only file access), pure
functions of a :class:`Survey` (:func:`scale_summary`, :func:`response_rate`, ...) and the
report glue (:func:`tables`, :func:`section`); the key figures ``enkat.<id>.*`` are read from the
protected tables by :mod:`evaluation.compute.figures`.

>>> from evaluation.tools.cli import DEMO_PARAMS
>>> folder = DEMO_PARAMS.parent / "data" / "steget" / "enkater"
>>> survey = load_survey(folder / "deltagarenkat.yaml", folder / "deltagarenkat.csv")
>>> q1 = scale_summary(survey).set_index("fraga").loc["q1"]
>>> int(q1["svar"]), f"{q1['andel_topp']:.3f}"
(22, '0.682')

Longer than 400 lines: a survey's loader (own format, Forms exports, question library), its tables and its blocks; to be split along those three next.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

import pandas as pd
import yaml

from evaluation.compute import catalogue, charts
from evaluation.core.vocab import MARK
from evaluation.core import fmt, fonts, pii
from evaluation.core.errors import (InputError, Notice, ValidationError, Violation, cut_list, did_you_mean, kind_of,
                                     read_each)
from evaluation.core.model import Chart, Section, Table, bullet_list, caution, heading, paragraph
from evaluation.core.pii import quote, shown
from evaluation.inputs import notices
from evaluation.inputs.cells import CONTROL, heading_too_long
from evaluation.inputs.files import TABLE_SUFFIXES, normalise_header, read_table_and_refusals
from evaluation.inputs.readonce import read_once
from evaluation.inputs.textfiles import confinement, read_text
from evaluation.inputs.paths import PASSED_OVER, files_ending, first_no_file, no_file_message
from evaluation.inputs.yamlread import NotATemplate, key_as_written, load_yaml_text, read_yaml, refuse_templates
from evaluation.inputs.params import ReportParams

if TYPE_CHECKING:
    from evaluation.build.report import Report

#: The NNS answer scale, lowest first.
DEFAULT_SCALE = (
    "Inte alls", "Till liten del", "Till viss del", "Till stor del", "Till mycket stor del", "Helt och hållet",
)
#: How many of the highest labels count as a positive answer.
DEFAULT_TOP = 2
#: Below this many responses a survey gets a visible caution.
FEW_RESPONSES = 5

#: NNS participant questionnaire during the insats (after about three months), ids q1–q7.
NNS_PAGAENDE = (
    "Får du stöd på ett sätt som är till stor nytta för dig?",
    "Är du med och bestämmer vilket stöd du skall få?",
    "Får stödet ta den tid du behöver?",
    "Stödjer insatsen dig i kontakterna med myndigheterna och vården?",
    "Har det stöd du fått hjälpt dig att utveckla sätt att hantera din situation?",
    "Känner du dig mer redo att kunna arbeta eller studera jämfört med innan du fick kontakt med oss?",
    "Upplever du att personalen tar tillvara dina erfarenheter, kunskaper och synpunkter?",
)
#: NNS participant questionnaire at exit, ids q1–q10.
NNS_AVSLUT = (
    "Har du fått stöd på ett sätt som är till stor nytta för dig?",
    "Har du fått vara med och bestämma vilket stöd du får/har fått?",
    "Har stödet fått ta den tid du behövt?",
    "Har insatsen stöttat dig i kontakterna med myndigheterna och vården?",
    "Har det stöd du fått hjälpt dig att utveckla sätt att hantera din situation?",
    "Känner du dig mer redo att kunna arbeta eller studera jämfört med innan du fick kontakt med oss?",
    "Upplever du att personalen har tagit tillvara dina erfarenheter, kunskaper och synpunkter?",
    "Har ni påbörjat en planering för vad som ska hända efter att nuvarande stöd har upphört?",
    "Finns det en tillräcklig planering för vad som ska hända efter att detta stöd upphört?",
    "Kommer det som är planerat att påbörjas inom rimlig tid?",
)
#: Built-in question sets that ``fragor:`` may name.
BUILTIN_SETS = {"nns-pagaende": NNS_PAGAENDE, "nns-avslut": NNS_AVSLUT}

QUESTION_TYPES = ("skala", "fritext", "val")
#: The most alternatives a scale may have (0–10 has eleven): each is a column of the survey's table.
MAX_SCALE = 11
#: More people than any survey of an insats asks (and past what a share of them can be worked out from).
MAX_ASKED = 10_000_000
#: A whole number as a text: digits, with spaces between the thousands ("1 200").
_WHOLE = re.compile(r"\d{1,3}(?:[ \u00a0]\d{3})*|\d+")
YAML_KEYS = ("titel", "antal_tillfragade", "skala", "topp", "fragor", "fragebatteri", "ordning")
#: Keys of a shared question set, ``fragebatterier/<id>.yaml`` beside ``params/``.
SET_KEYS = ("beskrivning", "skala", "topp", "fragor")
LIBRARY = "fragebatterier"
#: Metadata columns of Microsoft Forms (English and Swedish) and Google Forms exports, as
#: written: recognised and never read (their values never reach the report), data contract §10.
FORMS_METADATA = (
    "ID", "Start time", "Completion time", "Email", "Name", "Last modified time",
    "Starttid", "Sluttid", "E-post", "Namn", "Senaste ändringstid",
    "Timestamp", "Tidstämpel", "Email Address", "E-postadress",
)
_METADATA_KEYS = frozenset(normalise_header(name) for name in FORMS_METADATA)
_PERSON_METADATA = frozenset(normalise_header(n) for n in ("Email", "Name", "E-post", "Namn", "Email Address", "E-postadress"))
QUESTION_KEYS = ("text", "typ")
FIXED_COLUMNS = ("respondent_id", "datum")
SUMMARY_COLUMNS = ("fraga", "text", "svar", "andel_topp")
_STEM = re.compile(r"^[A-Za-z0-9_-]+$")
_FLOW_MAPPING = re.compile(r"\{([^{}]*)\}")
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T].*)?$")


# -- the survey -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Question:
    """One question: its id (as in the YAML and the CSV header), wording and type."""

    id: str
    text: str
    typ: str = "skala"


@dataclass(frozen=True, eq=False)
class Survey:
    """A validated survey round.

    ``answers`` has one row per response and one column per question id (in question order);
    ``""`` is no answer, and scale answers are spelled exactly as in ``skala``. It holds no
    respondent ids. ``dates`` gives each response's date (``None`` when not given).
    """

    id: str
    titel: str
    antal_tillfragade: int
    skala: tuple[str, ...]
    topp: int
    questions: tuple[Question, ...]
    answers: pd.DataFrame
    dates: tuple = ()
    source: Path | None = None
    ordning: int | None = None

    @property
    def svarande(self) -> int:
        """How many responded (rows of the export)."""
        return len(self.answers)

    @property
    def top_labels(self) -> tuple[str, ...]:
        """The labels that count as a positive answer (the ``topp`` highest)."""
        return self.skala[-self.topp:]

    def of_type(self, typ: str) -> list[Question]:
        return [q for q in self.questions if q.typ == typ]


# -- pure functions -----------------------------------------------------------------------------
def response_rate(survey: Survey) -> float:
    """Responses / asked: 3 of 5 → ``0.6``."""
    return survey.svarande / survey.antal_tillfragade


def response_sentence(survey: Survey) -> str:
    """The response rate as a Swedish sentence: ``'3 av 5 tillfrågade svarade (60 %).'``."""
    return (
        f"{fmt.number(survey.svarande)} av {fmt.number(survey.antal_tillfragade)} tillfrågade "
        f"svarade ({fmt.percent(response_rate(survey), 0)})."
    )


def date_range(survey: Survey) -> tuple[dt.date, dt.date] | None:
    """First and last response date, or ``None`` when no response is dated."""
    dates = [d for d in survey.dates if d is not None]
    return (min(dates), max(dates)) if dates else None


def in_period(survey: Survey, start: dt.date, end: dt.date) -> bool:
    """True when any response is dated within ``start``–``end`` (both included), or none is dated."""
    dates = [d for d in survey.dates if d is not None]
    return not dates or any(start <= d <= end for d in dates)


def scale_summary(survey: Survey) -> pd.DataFrame:
    """One row per scale question: ``fraga``, ``text``, ``svar``, ``andel_topp``, one count per label.

    ``svar`` counts those who answered the question; ``andel_topp`` is the share of them who
    chose one of the ``topp`` highest labels (NaN when nobody answered). Shares are unrounded.
    """
    rows = []
    for q in survey.of_type("skala"):
        given = survey.answers[q.id]
        given = given[given != ""]
        counts = {label: int((given == label).sum()) for label in survey.skala}
        answered = len(given)
        top = sum(counts[label] for label in survey.top_labels)
        rows.append({"fraga": q.id, "text": q.text, "svar": answered,
                     "andel_topp": top / answered if answered else float("nan"), **counts})
    frame = pd.DataFrame(rows, columns=[*SUMMARY_COLUMNS, *survey.skala])
    frame = frame.astype({"svar": int, "andel_topp": float, **{label: int for label in survey.skala}})
    frame.attrs[TOP_ATTR] = tuple(survey.top_labels)
    return frame


#: ``frame.attrs`` key of a scale table: the count columns that make its share positive.
TOP_ATTR = catalogue.TOP_ATTR


def scale_groups(survey: Survey) -> dict[str, tuple[str, ...]]:
    """The scale collapsed to negative / middle / positive (global recoding before disclosure
    control): the ``topp`` highest labels are positive, as many lowest ones negative, the rest
    the middle (left out when empty). Each group is named by its labels ("Inte alls – Till liten del").

    >>> s = Survey("x", "X", 9, ("A", "B", "C", "D", "E"), 2, (), pd.DataFrame())
    >>> scale_groups(s)
    {'A – B': ('A', 'B'), 'C': ('C',), 'D – E': ('D', 'E')}
    """
    n, top = len(survey.skala), survey.topp
    low = min(top, n - top)
    parts = (survey.skala[:low], survey.skala[low:n - top], survey.skala[n - top:])
    return {(p[0] if len(p) == 1 else f"{p[0]} – {p[-1]}"): p for p in parts if p}


def collapsed_summary(survey: Survey) -> pd.DataFrame:
    """:func:`scale_summary` with the label columns summed into the groups of :func:`scale_groups`.

    ``frame.attrs[TOP_ATTR]`` names the positive column.
    """
    full = scale_summary(survey)
    groups = scale_groups(survey)
    frame = full[list(SUMMARY_COLUMNS)].copy()
    for name, labels in groups.items():
        frame[name] = full[list(labels)].sum(axis=1).astype(int)
    frame.attrs[TOP_ATTR] = (list(groups)[-1],)
    return frame


def choice_counts(survey: Survey, question_id: str) -> pd.DataFrame:
    """Answers to a ``val`` question: ``svar``, ``antal``, ``andel`` (of those answering), most common first.

    Answers that differ only in case or surrounding spaces are counted together, under the
    spelling seen first; ties keep the order of first appearance.
    """
    given = [a for a in survey.answers[question_id] if a != ""]
    spelling: dict[str, str] = {}
    counts: dict[str, int] = {}
    for answer in given:
        key = _fold(answer)
        spelling.setdefault(key, answer)
        counts[key] = counts.get(key, 0) + 1
    ordered = sorted(counts, key=lambda k: -counts[k])  # stable: ties keep first appearance
    return pd.DataFrame({
        "svar": [spelling[k] for k in ordered],
        "antal": [counts[k] for k in ordered],
        "andel": [counts[k] / len(given) for k in ordered],
    }).astype({"antal": int, "andel": float})


def free_text(survey: Survey, question_id: str) -> list[str]:
    """The non-empty answers to a ``fritext`` question, as written, in file order."""
    return [a for a in survey.answers[question_id] if a.strip()]


def _fold(text: str) -> str:
    return " ".join(str(text).split()).casefold()


# -- loading ------------------------------------------------------------------------------------
def find_surveys(data: Path) -> Path | None:
    """``<data>/enkater`` when it is a folder, else ``None``."""
    folder = Path(data) / "enkater"
    return folder if folder.is_dir() else None


def load_input(params: ReportParams, inputs: dict) -> dict[str, Survey] | None:
    """Loader for :data:`evaluation.sections.registry.LOADERS`: the surveys answered in the report's period.

    ``None`` when the data folder has no ``enkater/`` folder. Every survey in the folder is
    validated, also those outside the period.
    """
    folder = find_surveys(params.data)
    if folder is None:
        return None
    surveys = load_surveys(folder, params.fragebatterier_dir)
    notices.note(*(Notice(folder, None, (
        f"enkäten {quote(k)} har inga daterade svar, så den tas med i varje periods rapport som läser mappen "
        "(också andra års). Lägg till kolumnen datum med svarsdagen (ÅÅÅÅ-MM-DD), så räknas svaren till sin "
        "period; Forms och Google Formulär ger dagen i kolumnen Starttid eller Tidstämpel, som inte läses.")
    ) for k, s in surveys.items() if not any(d is not None for d in s.dates)))
    return {k: s for k, s in surveys.items() if in_period(s, params.period.start, params.period.slut)}


def load_surveys(folder: Path, library: Path | None = None) -> dict[str, Survey]:
    """Every survey in ``folder`` (pairs ``<enkat>.yaml`` + ``<enkat>.csv``/``.xlsx``), in the
    order of their ``ordning:`` (surveys without one last), then by file name.

    ``library`` is the folder of shared question sets (``fragebatterier/``) a survey may name.
    """
    folder = Path(folder)
    descriptions: dict[str, Path] = {}
    answer_files: dict[str, list[Path]] = {}
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name.startswith(PASSED_OVER):
            continue
        suffix = path.suffix.lower()
        if suffix in (".yaml", ".yml"):
            if path.stem in descriptions:
                raise InputError(
                    f"{folder}: både {descriptions[path.stem].name} och {path.name} beskriver enkäten "
                    f"{quote(path.stem)}. Behåll bara en av dem."
                )
            descriptions[path.stem] = path
        elif suffix in TABLE_SUFFIXES:
            answer_files.setdefault(path.stem, []).append(path)
    for stem, paths in answer_files.items():
        if stem not in descriptions:
            special = first_no_file(folder / f"{stem}{suffix}" for suffix in (".yaml", ".yml"))
            if special is not None:
                raise InputError(no_file_message(special, "enkätens beskrivning"))
            raise InputError(
                f"{paths[0]}: enkätsvar utan beskrivning. Lägg {stem}.yaml bredvid filen "
                "(nycklarna titel, antal_tillfragade, fragor; se indatakontraktet §4) eller flytta filen ur "
                f"{folder}."
            )
        if len(paths) > 1:
            raise InputError(
                f"{folder}: både {' och '.join(p.name for p in paths)} innehåller svar på enkäten "
                f"{quote(stem)}. Behåll bara en av dem."
            )
    def load(stem_and_description):
        stem, description = stem_and_description
        answers = answer_files.get(stem)
        if not answers:
            special = first_no_file(folder / f"{stem}{suffix}" for suffix in TABLE_SUFFIXES)
            if special is not None:
                raise InputError(no_file_message(special, "enkätens svar"))
            raise InputError(
                f"{description}: svarsfilen saknas. Exportera enkätens svar som "
                f"{stem}.csv (eller {stem}.xlsx) till {folder}, eller ta bort {description.name}."
            )
        return load_survey(description, answers[0], library)

    surveys = read_each(descriptions.items(), load)  # each survey that cannot be used, in one run
    order = sorted(surveys, key=lambda s: (s.ordning is None, s.ordning or 0, s.id))
    return {s.id: s for s in order}


def load_survey(description: Path, answers: Path, library: Path | None = None) -> Survey:
    """Validate one survey's YAML description and its answers file."""
    description, answers = Path(description), Path(answers)
    if not _STEM.match(description.stem):
        raise InputError(
            f"{description}: filnamnet {quote(description.stem)} blir tabell-id:t enkat_{description.stem}; "
            "använd bara bokstäverna a-z, siffror, '-' och '_' (t.ex. 'styrgrupp.yaml' och 'styrgrupp.csv')."
        )
    meta = _with_question_set(_read_description(description), description, library)
    titel, asked, scale, top, questions = parse_description(meta, description)
    raw, refused = read_table_and_refusals(answers, skip=_METADATA_KEYS)
    notices.note(*notices.sheet_notices(raw, "enkätsvaren"), *metadata_notices(raw))
    if not refused:  # with answers left out, two answers would seem to stand together that do not
        _refuse_split_over_answers(raw, questions)
    frame, dates = _parse_answers(raw, scale, questions, description, refused)
    notices.note(*_unprintable_answers(frame, questions, answers))
    if len(frame) > asked:
        raise InputError(
            f"{description}: nyckeln 'antal_tillfragade': {asked} tillfrågade, men {answers.name} har "
            f"{len(frame)} svar. Ange antalet personer som tillfrågades (minst {len(frame)})."
        )
    return Survey(id=description.stem, titel=titel, antal_tillfragade=asked, skala=scale, topp=top,
                  questions=questions, answers=frame, dates=dates, source=description,
                  ordning=meta.get("ordning") if isinstance(meta, dict) else None)


def _refuse_split_over_answers(raw, questions) -> None:
    """A personnummer split over two respondents' answers to a free-text question: the report lists
    the answers one under the other, in the file's order, so the page reads them as one number.
    Each answer alone passed the check of every cell. Refused naming the two rows, never the answers."""
    for q in questions:
        if q.typ != "fritext" or q.id not in raw.frame:
            continue
        given = [(index, str(answer)) for index, answer in zip(raw.frame.index, raw.frame[q.id]) if str(answer).strip()]
        first = pii.first_split([text for _, text in given])
        if first is not None:
            rows = [raw.row_number(index) for index, _ in given[first:first + 2]]
            raise InputError(
                f"{raw.path}: svaren på {quote(q.id)} på rad {' och '.join(map(str, rows))} visas under varandra i "
                f"rapporten och blir tillsammans något som ser ut som {pii.with_article(pii.PNR)} (svaren visas "
                "inte). Ta bort uppgiften ur svaren och kör igen.")


def _unprintable_answers(frame: pd.DataFrame, questions, answers: Path) -> list[Notice]:
    """A free-text question whose answers hold a character no shipped font has (an emoji): the
    PDF shows an empty box for it. Said once a question, the characters named, never an answer."""
    found = []
    for q in questions:
        if q.typ == "fritext" and q.id in frame:
            chars = "".join(dict.fromkeys(c for _, line in fonts.uncovered("\n".join(map(str, frame[q.id])))
                                          for c in line))
            if chars:
                found.append(Notice(answers, None, (
                    f"svaren på {quote(q.id)} innehåller tecken som rapportens typsnitt saknar ({' '.join(chars)}); "
                    "de blir tomma rutor i PDF:en. Svaren återges som de skrevs: vill du byta ut tecknen "
                    "(t.ex. 👍 mot \"(tumme upp)\"), gör det i svarsfilen.")))
    return found


def metadata_notices(raw) -> list[Notice]:
    """The survey tool's metadata columns that were left unread, with advice on e-mail and name."""
    if not raw.skipped:
        return []
    names = cut_list(quote(name) for name in raw.skipped)
    which = "Kolumnen" if len(raw.skipped) == 1 else "Kolumnerna"
    message = (f"{which} {names} är enkätverktygets metadata (Microsoft Forms eller Google Forms) och "
               "lästes inte.")
    person = [f"'{n}'" for n in raw.skipped if normalise_header(n) in _PERSON_METADATA]
    if person:
        message += (f" Ta bort {', '.join(person)} ur filen: e-postadresser och namn är personuppgifter "
                    "som inte behövs för rapporten (exportera en anonym enkät, eller radera kolumnerna).")
    return [Notice(raw.path, 1, message)]


def _with_question_set(meta: object, path: Path, library: Path | None) -> object:
    """The description with a shared question set (``fragor: <id>`` or ``fragebatteri: <id>``
    naming ``fragebatterier/<id>.yaml``) put in place: its ``fragor``, and its ``skala`` and
    ``topp`` unless the survey gives its own."""
    if not isinstance(meta, dict):
        return meta
    named = meta.get("fragebatteri")
    if named is None and isinstance(meta.get("fragor"), str) and meta["fragor"].strip() not in BUILTIN_SETS:
        named = meta["fragor"]
    if named is None:
        return meta
    key = "fragebatteri" if "fragebatteri" in meta else "fragor"
    if "fragebatteri" in meta and "fragor" in meta:
        raise InputError(f"{path}: ange antingen 'fragor' eller 'fragebatteri', inte båda.")
    question_set = _read_question_set(library, str(named).strip(), path, key)
    out = {k: v for k, v in meta.items() if k != "fragebatteri"}
    out["fragor"] = question_set["fragor"]
    for inherited in ("skala", "topp"):
        if inherited in question_set and inherited not in meta:
            out[inherited] = question_set[inherited]
    return out


def _read_question_set(library: Path | None, name: str, survey: Path, key: str) -> dict:
    folder = Path(library) if library else None
    files = {p.stem: p for p in files_ending(folder, (".yaml", ".yml"))} if folder else {}
    available = list(files)
    if not _STEM.match(name) or name not in available:
        hint = did_you_mean(name, [*BUILTIN_SETS, *available], sentence=True)
        where = f"{folder}/" if folder else f"{LIBRARY}/"
        raise InputError(
            f"{survey}: nyckeln '{key}': frågebatteriet {quote(name)} finns inte (sökte {where}{shown(name)}.yaml). "
            f"Inbyggda: {', '.join(BUILTIN_SETS)}; i biblioteket: {cut_list(quote(a) for a in available) or 'inga'}.{hint}"
        )
    path = files[name]
    content = _read_description(path)
    problems = []
    if not isinstance(content, dict) or not isinstance(content.get("fragor"), dict):
        problems.append("nyckeln 'fragor' krävs: frågorna som rader 'id: {text: ..., typ: skala|fritext|val}'.")
    else:
        problems += [f"nyckeln {quote(key_as_written(k))}: okänd nyckel. Tillåtna nycklar: {', '.join(SET_KEYS)}." for k in content
                     if k not in SET_KEYS]
    if problems:
        raise InputError("\n".join([f"{path}: frågebatteriet har {len(problems)} problem:",
                                    *(f"  - {p}" for p in problems)]))
    return content


@read_once(scope=confinement)
def _read_description(path: Path) -> object:
    """The YAML of a survey, also when a flow-mapping question text holds a ``?``.

    PyYAML refuses ``q1: {text: Får du stöd?}`` (a ``?`` inside ``{...}``, yaml/pyyaml#128),
    which is how the data contract writes questions. When the file does not parse, the texts
    inside ``{...}`` are quoted and the file is parsed again; if that fails too, the original
    error is raised with a hint.

    Read once while the file's bytes stay the same (:func:`evaluation.inputs.readonce.read_once`):
    :func:`read_yaml` keeps only a file that parses, so a description written as the contract
    writes its questions was parsed twice again for every report of its insats in a batch's kernel.
    """
    try:
        return read_yaml(path)
    except NotATemplate:
        raise
    except InputError as exc:
        error = exc
    try:
        source = read_text(path)
    except InputError:
        raise error from None
    if CONTROL.search(source):  # refused with its line: no quoting may turn it into an escape
        raise error from None
    repaired = quote_flow_texts(source)
    if repaired != source:
        try:
            data = load_yaml_text(repaired, path)
        except yaml.YAMLError:
            pass
        else:
            refuse_templates(data, path, source)
            return data
    raise InputError(
        f"{error}\nTips: inom {{...}} ska en frågas text stå inom citattecken när den innehåller ?, :, # eller kommatecken, "
        't.ex. q8: {text: "Vad har varit bäst?", typ: fritext}.'
    ) from None


def quote_flow_texts(source: str) -> str:
    """Quote the plain ``text``/``typ`` values of one-line ``{...}`` question mappings.

    A comma inside a text is kept as part of it unless it is followed by another key.

    >>> quote_flow_texts("q8: {text: Vad har varit bäst?, typ: fritext}")
    'q8: {text: "Vad har varit bäst?", typ: "fritext"}'
    """
    def item(part: str) -> str:
        key, _, value = part.partition(":")
        key, value = key.strip(), value.strip()
        if key not in QUESTION_KEYS or not value or value[0] in "\"'":
            return part.strip()
        return f"{key}: {json.dumps(value, ensure_ascii=False)}"

    def mapping(match: re.Match) -> str:
        parts = re.split(r",\s*(?=(?:text|typ)\s*:\s)", match.group(1).strip())
        return "{" + ", ".join(item(p) for p in parts) + "}"

    return "\n".join(
        line if line.lstrip().startswith("#") else _FLOW_MAPPING.sub(mapping, line)
        for line in source.splitlines()
    )


def parse_description(meta: object, path: Path) -> tuple[str, int, tuple[str, ...], int, tuple[Question, ...]]:
    """Validate the YAML mapping of a survey: ``(titel, antal_tillfragade, skala, topp, questions)``.

    Raises one :class:`InputError` listing every problem, each naming its key.
    """
    if not isinstance(meta, dict):
        raise InputError(
            f"{path}: här ska stå rader 'nyckel: värde' (nycklarna {', '.join(YAML_KEYS)}), men filen "
            f"{'är tom' if meta is None else 'innehåller ' + kind_of(meta)}."
        )
    problems = [
        f"nyckeln {quote(key_as_written(key))}: okänd nyckel. Tillåtna nycklar: {', '.join(YAML_KEYS)}."
        for key in meta if key not in YAML_KEYS
    ]
    titel = meta.get("titel")
    if not isinstance(titel, str) or not titel.strip():
        problems.append("nyckeln 'titel' krävs; ange enkätens titel som text, t.ex. 'titel: Deltagarenkät vid avslut'.")
        titel = ""
    elif heading_too_long(titel.strip()):
        problems.append(f"nyckeln 'titel': {heading_too_long(titel.strip())}.")
    asked = meta.get("antal_tillfragade")
    if isinstance(asked, str) and _WHOLE.fullmatch(asked.strip()):  # "42", "1 200": a number in quotes
        asked = int(re.sub(r"\D", "", asked))
    if isinstance(asked, bool) or not isinstance(asked, int) or not 1 <= asked <= MAX_ASKED:
        allowed = f"antalet tillfrågade som ett heltal från 1 till {fmt.number(MAX_ASKED)}"
        problems.append(f"nyckeln 'antal_tillfragade' krävs: {allowed}." if asked is None else
                        f"nyckeln 'antal_tillfragade': {allowed} (det står {quote(asked)}).")
        asked = 0
    scale = _parse_scale(meta.get("skala", list(DEFAULT_SCALE)), problems)
    top = meta.get("topp", DEFAULT_TOP)
    if isinstance(top, bool) or not isinstance(top, int) or not 1 <= top <= max(len(scale) - 1, 1):
        problems.append(  # every alternative positive would make every answer positive
            f"nyckeln 'topp': hur många av de högsta svarsalternativen som räknas som positiva; ett heltal från 1 till "
            f"{max(len(scale) - 1, 1)}, färre än skalans {len(scale)} alternativ (det står {quote(top)})."
        )
        top = DEFAULT_TOP
    ordning = meta.get("ordning")
    if ordning is not None and (isinstance(ordning, bool) or not isinstance(ordning, int)):
        problems.append(f"nyckeln 'ordning': enkätens plats i rapporten som ett heltal, t.ex. 'ordning: 1' (det står {quote(ordning)}).")
    questions = _parse_questions(meta.get("fragor"), problems)
    if problems:
        lines = [f"{path}: enkätbeskrivningen har {len(problems)} problem:"]
        lines += [f"  - {p}" for p in problems]
        lines.append("Rätta filen och kör igen; inget skrevs.")
        raise InputError("\n".join(lines))
    return titel.strip(), asked, scale, top, questions


def _parse_scale(value: object, problems: list[str]) -> tuple[str, ...]:
    if not isinstance(value, list) or len(value) < 2:
        problems.append(f"nyckeln 'skala': ange en lista med minst två svarsalternativ, det lägsta först (det står {quote(value)}).")
        return DEFAULT_SCALE
    if len(value) > MAX_SCALE:
        problems.append(f"nyckeln 'skala': skalan har {len(value)} svarsalternativ; högst {MAX_SCALE} (som 0–10) går att "
                        "visa som kolumner i enkätens tabell. Slå ihop alternativ, eller gör frågorna till 'typ: val' "
                        "(deras svar visas som rader).")
        return DEFAULT_SCALE
    labels = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, (str, int)) or not str(item).strip():
            problems.append(f"nyckeln 'skala': {quote(item)} är inget svarsalternativ; ange text som 'Till viss del'.")
            continue
        label = " ".join(str(item).split())
        if _fold(label) in {_fold(x) for x in labels}:
            problems.append(f"nyckeln 'skala': svarsalternativet {quote(label)} står två gånger.")
        elif label in SUMMARY_COLUMNS:
            problems.append(f"nyckeln 'skala': {quote(label)} kan inte vara ett svarsalternativ (det är namnet på en tabellkolumn).")
        else:
            labels.append(label)
    return tuple(labels) if len(labels) >= 2 else DEFAULT_SCALE


def _parse_questions(value: object, problems: list[str]) -> tuple[Question, ...]:
    if isinstance(value, str):
        if value.strip() in BUILTIN_SETS:
            return tuple(Question(f"q{i}", text) for i, text in enumerate(BUILTIN_SETS[value.strip()], 1))
        problems.append(
            f"nyckeln 'fragor': {quote(value)} är ingen inbyggd frågeuppsättning; använd en av "
            f"{', '.join(BUILTIN_SETS)}, eller rader 'id: {{text: ..., typ: skala|fritext|val}}'."
        )
        return ()
    if not isinstance(value, dict) or not value:
        found = "saknas" if value is None else ("är tom" if isinstance(value, dict) else f"det står {quote(value)}")
        problems.append(
            f"nyckeln 'fragor' krävs; ange frågorna som rader 'id: {{text: ..., typ: skala|fritext|val}}' "
            f"eller namnet på en inbyggd uppsättning ({', '.join(BUILTIN_SETS)}) ({found})."
        )
        return ()
    questions, seen, texts = [], {}, {}
    for raw_id, spec in value.items():
        qid = key_as_written(raw_id).strip()
        key = normalise_header(qid)
        where = f"nyckeln {quote('fragor.' + qid)}"
        if not key or key in FIXED_COLUMNS:
            problems.append(f"{where}: {quote(qid)} kan inte vara ett fråge-id; använd id som q1, q2.")
            continue
        if key in seen:
            problems.append(f"{where}: samma fråga som {quote(seen[key])} (id jämförs utan hänsyn till versaler); byt namn på en av dem.")
            continue
        seen[key] = qid
        if isinstance(spec, str):
            spec = {"text": spec}
        if not isinstance(spec, dict):
            problems.append(f"{where}: skriv frågan som {{text: ..., typ: skala|fritext|val}}.")
            continue
        for extra in spec:
            if extra not in QUESTION_KEYS:
                problems.append(f"{where}: okänd nyckel {quote(key_as_written(extra))}. Tillåtna nycklar: {', '.join(QUESTION_KEYS)}.")
        text = spec.get("text")
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where}: nyckeln 'text' krävs; ange frågans formulering.")
            continue
        typ = spec.get("typ", "skala")
        if typ not in QUESTION_TYPES:
            problems.append(f"{where}: typ {quote(typ)} är inte tillåten; använd en av {', '.join(QUESTION_TYPES)}.")
            continue
        folded = _fold(text)  # as an answers file's header is matched to it
        if folded in texts:
            problems.append(f"{where}: samma text som frågan {quote(texts[folded])}; ge varje fråga en egen "
                            "text (en svarsfil med frågornas texter som rubriker kan annars inte läsas).")
            continue
        texts[folded] = qid
        questions.append(Question(qid, " ".join(text.split()), typ))
    return tuple(questions)


def _question_columns(raw, questions, description: Path) -> tuple[dict[str, Question], list[Violation]]:
    """Each answer column's question (by id, or by its text as the header, ignoring case and
    spaces), and the header problems: unknown columns, questions without a column."""
    by_id = {normalise_header(q.id): q for q in questions}
    by_text = {_fold(q.text): q for q in questions}
    found: dict[str, Question] = {}
    header = []
    for col in raw.frame.columns:
        if col in FIXED_COLUMNS:
            continue
        question = by_id.get(col) or by_text.get(_fold(raw.original_headers[col]))
        if question is None or question in found.values():
            header.append(Violation(1, raw.original_headers[col], (
                f"kolumnen är ingen fråga som beskrivs under 'fragor' i {description.name} (varken "
                "frågans id eller dess text); beskriv den där (med text och typ) eller ta bort kolumnen."
                if question is None else f"frågan {quote(question.id)} har redan en kolumn; ta bort den ena."
            )))
            continue
        found[col] = question
    for q in questions:
        if q not in found.values():
            header.append(Violation(1, q.id, (
                f"frågan {quote(q.id)} beskrivs i {description.name} men filen har ingen sådan kolumn (rubriken "
                "ska vara frågans id eller dess text); lägg till kolumnen (tomma celler om ingen fick "
                "frågan) eller ta bort frågan ur 'fragor'."
            )))
    return found, header


def _scale_answer(answer: str, labels: dict[str, str], scale: tuple[str, ...]) -> str | None:
    """The scale label of ``answer``: the label itself, or its number 1…N (lowest first)."""
    label = labels.get(_fold(answer))
    if label is None and re.fullmatch(r"\d+", answer) and 1 <= int(answer) <= len(scale):
        label = scale[int(answer) - 1]
    return label


def _parse_answers(raw, scale, questions, description: Path, refused=()) -> tuple[pd.DataFrame, tuple]:
    """The validated answers (question id columns) and response dates of an export.

    Without a ``respondent_id`` column each row is one respondent. ``refused`` are the rows left
    out for personal data (:func:`evaluation.inputs.files.read_table_and_refusals`), said with the others' errors.
    """
    frame = raw.frame
    found, header = _question_columns(raw, questions, description)  # said with the answers' errors

    labels = {_fold(label): label for label in scale}
    allowed = f"{cut_list(scale)} (eller 1–{len(scale)})"
    has_ids = "respondent_id" in frame.columns
    problems: list[Violation] = [*header, *refused]
    seen_ids: dict[str, int] = {}
    dates = []
    columns = {q.id: [] for q in questions}
    # column by column: `validate` of 200 000 answers took 23 s a row at a time (iterrows), 4 s so
    ids = frame["respondent_id"].tolist() if has_ids else None
    given_dates = frame["datum"].tolist() if "datum" in frame.columns else [""] * len(frame)
    cells = {col: frame[col].tolist() for col in found}
    for i, index in enumerate(frame.index):
        row = raw.row_number(index)
        record = {col: values[i] for col, values in cells.items()}
        rid = _text(ids[i]) if has_ids else str(row)
        if not rid:
            problems.append(Violation(row, "respondent_id", "tom; varje svar behöver sitt respondent_id."))
        elif rid in seen_ids:
            problems.append(Violation(row, "respondent_id", (
                f"{quote(rid)} finns också på rad {seen_ids[rid]}; varje svar ska exporteras en gång."
            )))
        else:
            seen_ids[rid] = row
        dates.append(_date(given_dates[i], row, raw.original_headers.get("datum", "datum"), problems))
        for col, q in found.items():
            answer = " ".join(_text(record[col]).split())
            if q.typ == "skala" and answer:
                label = _scale_answer(answer, labels, scale)
                if label is None:
                    problems.append(Violation(row, raw.original_headers[col], (
                        f"frågan {quote(q.id)}: {quote(answer)} finns inte på skalan. Tillåtet: {allowed} "
                        "(eller en tom cell för inget svar)."
                    )))
                answer = label or ""
            columns[q.id].append(answer if q.typ == "skala" else _text(record[col]))
    if problems:
        raise ValidationError(raw.path, problems)
    return pd.DataFrame(columns, dtype=object).reset_index(drop=True), tuple(dates)


def _text(value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value).strip()


def _date(value, row: int, column: str, problems: list[Violation]) -> dt.date | None:
    from evaluation.inputs.register import BadValue, check_year
    day = None
    if isinstance(value, dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
    text = _text(value)
    if not text:
        return None
    match = _DATE.match(text)
    if match and day is None:
        try:
            day = dt.date.fromisoformat(match.group(1))
        except ValueError:
            pass
    if day is not None:
        try:
            return check_year(day)
        except BadValue as exc:
            problems.append(Violation(row, column, f"{exc}."))
            return None
    problems.append(Violation(row, column, f"{quote(text)} är inget datum; skriv ÅÅÅÅ-MM-DD (t.ex. 2024-03-15) eller lämna cellen tom."))
    return None


# -- report glue --------------------------------------------------------------------------------
#: The table of respondents per survey: a count of people like any other, protected with the rest.
RESPONDENTS = "enkater_svarande"
#: Said instead of the response sentence when the number of respondents is hidden.
HIDDEN_RESPONDENTS = "Antalet svarande visas inte, för att skydda enskilda personer."
#: Said instead of free-text answers and background questions when too few answered.
FEW_TO_SHOW = ("Fritextsvar och svar på bakgrundsfrågor (vem som svarade) visas inte, eftersom för få "
               "svarade för att enskilda personer ska vara skyddade.")


def _surveys(report: "Report") -> dict[str, Survey]:
    return report.inputs.get("surveys") or {}


def table_id(survey: Survey) -> str:
    return f"enkat_{survey.id}"


def _choice_table_id(survey: Survey, question: Question) -> str:
    return f"enkat_{survey.id}_{normalise_header(question.id)}"


def _top_words(survey: Survey) -> str:
    labels = [f"”{label}”" for label in survey.top_labels]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " eller " + labels[-1]


def respondents_frame(found) -> pd.DataFrame:
    """One row per survey: ``enkat`` (id), ``titel``, ``tillfragade``, ``svarande``,
    ``ej_svarande`` and ``svarsfrekvens`` (the counts are protected like every count of people,
    with ``tillfragade = svarande + ej_svarande`` declared, see :data:`evaluation.compute.catalogue.SPECS`)."""
    rows = [{"enkat": s.id, "titel": s.titel, "tillfragade": s.antal_tillfragade, "svarande": s.svarande,
             "ej_svarande": s.antal_tillfragade - s.svarande, "svarsfrekvens": response_rate(s)} for s in found]
    frame = pd.DataFrame(rows, columns=["enkat", "titel", "tillfragade", "svarande", "ej_svarande", "svarsfrekvens"])
    return frame.astype({"tillfragade": int, "svarande": int, "ej_svarande": int, "svarsfrekvens": float})


def respondents_table(found) -> Table:
    """Table :data:`RESPONDENTS`: who was asked and who answered, per survey."""
    return Table(
        id=RESPONDENTS, title="Enkäter: tillfrågade och svarande", frame=respondents_frame(found),
        columns={"titel": ("Enkät", "text"), "tillfragade": ("Tillfrågade", "count"),
                 "svarande": ("Svarande", "count"), "ej_svarande": ("Ej svarande", "count"),
                 "svarsfrekvens": ("Svarsfrekvens", "share")},
        base="Svarsfrekvens: andel av de tillfrågade som svarade.",
    )


def respondents_row(table_map, survey_id: str) -> dict | None:
    """The protected row of one survey in :data:`RESPONDENTS` (hidden cells are ``..``)."""
    table = table_map.get(RESPONDENTS)
    if table is None:
        return None
    rows = table.frame[table.frame["enkat"] == survey_id]
    return rows.iloc[0].to_dict() if len(rows) else None


def _shown(value) -> bool:
    return not (isinstance(value, str) and value == MARK) and value is not None and not pd.isna(value)


def protected_response_sentence(row: Mapping) -> str:
    """The response sentence from the protected cells: ``'3 av 5 tillfrågade svarade (60 %).'``;
    a hidden count is not stated (``HIDDEN_RESPONDENTS``, or the asked left out)."""
    answered, asked, rate = row["svarande"], row["tillfragade"], row["svarsfrekvens"]
    if not _shown(answered):
        return HIDDEN_RESPONDENTS
    if not _shown(asked) or not _shown(rate):
        return (f"{fmt.number(answered)} svarade. Antalet tillfrågade och svarsfrekvensen visas inte, "
                "för att skydda enskilda personer.")
    return f"{fmt.number(answered)} av {fmt.number(asked)} tillfrågade svarade ({fmt.percent(rate, 0)})."


def enough_respondents(row: Mapping | None, min_cell: int) -> bool:
    """Whether free text and background answers may be shown: the protected number of
    respondents is visible and at least ``min_cell``."""
    return row is not None and _shown(row["svarande"]) and int(row["svarande"]) >= min_cell


def summary_table(survey: Survey, min_cell: int = 0) -> Table:
    """The ``enkat_<enkat>`` table: one row per scale question.

    With disclosure control (``min_cell`` 2 or more) the answers are collapsed to negative /
    middle / positive (:func:`collapsed_summary`) before any cell is hidden, so that few cells
    are, and the note says so.
    """
    collapse = min_cell > 1
    frame = collapsed_summary(survey) if collapse else scale_summary(survey)
    labels = list(frame.columns[len(SUMMARY_COLUMNS):])
    columns = {"fraga": ("Nr", "text"), "text": ("Fråga", "text"), "svar": ("Antal svar", "count")}
    columns.update({label: (label, "count") for label in labels})
    columns["andel_topp"] = ("Andel positiva", "share")
    note = ""
    if collapse:
        note = ("Svarsalternativen är sammanslagna i " + ("tre" if len(labels) == 3 else "två")
                + " grupper för att skydda enskilda svarande.")
    return Table(
        id=table_id(survey), title=f"{survey.titel}: svar per fråga", frame=frame,
        columns=columns, note=note, share_decimals=fmt.share_decimals(int(frame["svar"].min()) if len(frame) else None),
        base=(f"Antal svar per svarsalternativ. Andel positiva: andel som svarat {_top_words(survey)}, "
              "av dem som besvarat frågan."),
    )


def choice_table(survey: Survey, question: Question) -> Table:
    """A small count table of a ``val`` question (id ``enkat_<enkat>_<fraga>``); the number who
    answered is the table's total, stated in the base only while it is visible."""
    frame = choice_counts(survey, question.id)
    return Table(
        id=_choice_table_id(survey, question), title=question.text, frame=frame,
        share_decimals=fmt.share_decimals(int(frame["antal"].sum())),
        columns={"svar": ("Svar", "text"), "antal": ("Antal", "count"), "andel": ("Andel", "share")},
        base=f"Andel av {fmt.number(int(frame['antal'].sum()))} som besvarat frågan.",
    )


def tables(report: "Report") -> list[Table]:
    """Every survey table of the report: the respondents, then per survey its scale table and
    one per ``val`` question."""
    found = list(_surveys(report).values())
    out = [respondents_table(found)] if found else []
    for survey in found:
        if survey.of_type("skala"):
            out.append(summary_table(survey, report.params.min_cell))
        out += [choice_table(survey, q) for q in survey.of_type("val")]
    return out


def scale_chart(survey: Survey, table: Table | None = None) -> Chart | None:
    """Diverging stacked bars of the scale questions that anyone answered (``None`` if none).

    Drawn from the survey's protected table when given (its columns: the whole scale, or the
    collapsed groups of :func:`scale_groups`), so a hidden count is a marked gap there as in the
    table. The divide is where the share positive starts (``topp``); as many of the lowest labels
    are left of it, and the middle of :func:`scale_groups` ("Till viss del – Till stor del") is
    drawn apart, neither agreement nor disagreement. Bars are labelled with the question text (see
    :func:`charts.diverging_scale`).
    """
    summary = scale_summary(survey) if table is None else table.numeric()
    labels = list(summary.columns[len(SUMMARY_COLUMNS):])
    if labels == list(survey.skala):  # negative and positive as in scale_groups, the middle apart
        top = len(survey.top_labels)
        low = min(top, len(labels) - top)  # the lowest group of scale_groups
    else:  # the collapsed groups: negative, middle (when any), positive
        top, low = 1, min(1, len(labels) - 1)
    svar = pd.to_numeric(summary["svar"], errors="coerce")
    summary = summary[svar.isna() | (svar > 0)]
    if summary.empty:
        return None
    return charts.diverging_scale(summary, labels, f"{survey.titel}: fördelning av svaren", top, low)


def survey_blocks(survey: Survey, table_map, min_cell: int = 0) -> list:
    """The blocks of one survey in the ``enkater`` section. Every number comes, protected, from
    ``table_map``: the respondents from :data:`RESPONDENTS`, the answers from the survey's
    tables. Free-text answers, background (``val``) questions and the answer dates are shown
    only when the respondents are visible and at least ``min_cell``; otherwise a sentence says so."""
    blocks: list = [heading(survey.titel, 3, anchor=f"enkat-{survey.id}")]
    row = respondents_row(table_map, survey.id)
    enough = enough_respondents(row, min_cell) if row is not None else min_cell < 2
    sentence = protected_response_sentence(row) if row is not None else response_sentence(survey)
    span = date_range(survey)
    if span and enough:
        first, last = span
        sentence += (f" Svaren lämnades {fmt.date(first)}." if first == last
                     else f" Svaren lämnades mellan {fmt.date(first)} och {fmt.date(last)}.")
    blocks.append(paragraph(sentence))
    answered = row["svarande"] if row is not None else survey.svarande
    if not _shown(answered) or int(answered) < FEW_RESPONSES:
        blocks.append(caution(f"Färre än {FEW_RESPONSES} svar: tolka resultaten med försiktighet."))
    if survey.of_type("skala"):
        table = table_map[table_id(survey)]
        blocks += [table, scale_chart(survey, table)]
    private = [q for q in survey.questions if q.typ in ("val", "fritext")]
    if private and not enough:
        blocks.append(paragraph(FEW_TO_SHOW, "note"))
        return [b for b in blocks if b is not None]
    for q in private:
        if q.typ == "val":
            table = table_map[_choice_table_id(survey, q)]
            if not table.frame.empty:
                blocks.append(table)  # its caption is the question
        else:
            answers = free_text(survey, q.id)
            if answers:
                # no count here: it would be a count of people that is no table cell
                blocks += [heading(q.text, 4), paragraph("Fritextsvar, återgivna ordagrant.", "note"),
                           bullet_list(answers)]
    return [b for b in blocks if b is not None]


def section(report: "Report") -> Section | None:
    """The ``enkater`` section: every survey of the period, or ``None`` when there is none."""
    found = _surveys(report)
    if not found:
        return None
    blocks: list = []
    for survey in found.values():
        blocks += survey_blocks(survey, report.table_map, report.params.min_cell)
    return Section("enkater", report.title_of("enkater"), tuple(blocks))
