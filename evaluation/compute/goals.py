"""Goals and how far they were reached: ``<data>/mal.yaml`` (data contract §5).

Each goal has a level (``overgripande``, ``effektmal``, ``insatsmal``), a text, a target
(``">= 50 %"``, ``">= 20"``, ``"<= 10 %"``, ``"> x"``, ``"< x"``, ``"= x"``) and either an
``indikator`` (a figure the toolkit computes, see :data:`INDICATORS`) or a manual ``utfall``.
An optional ``delvis`` target (e.g. ``">= 40 %"``) gives *Delvis uppfyllt* when the main
target is missed but this one is met.

Status rules: *Uppfyllt* when the target is met (boundaries count: exactly 50 % meets
``>= 50 %``; comparisons allow for float noise of :data:`EPSILON`; a share the toolkit computes
is judged as it is shown, in whole percent as in the texts, so 39,7 % is shown and judged as
40 %), *Delvis uppfyllt* only via
``delvis``, *Ej uppfyllt* otherwise, and *Ej mätbart* when the indicator has no value for the
period (no register, an empty column, no survey answers) or the ``utfall`` is left empty.

>>> target = parse_target(">= 50 %")
>>> target.met(0.5), target.met(75 / 156), target.display()
(True, False, '≥ 50\\xa0%')
>>> status(parse_target(">= 20"), None, 40)
'Uppfyllt'

Longer than 400 lines: loading goals, judging them and their tables; to be split into loading (inputs) and judging (compute) next.
"""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

import pandas as pd

from evaluation.compute import figures
from evaluation.core.vocab import MARK
from evaluation.core import fmt, vocab
from evaluation.core.errors import InputError, cut_list, did_you_mean, kind_of
from evaluation.core.model import Section, Table, heading, paragraph
from evaluation.core.pii import quote
from evaluation.inputs.files import normalise_header
from evaluation.inputs.textfiles import read_text
from evaluation.inputs.yamlread import key_as_written, read_yaml

if TYPE_CHECKING:
    from evaluation.inputs.params import ReportParams
    from evaluation.build.report import Report

FILE_NAMES = ("mal.yaml", "mal.yml")

#: Goal levels: id as written in ``mal.yaml`` → Swedish heading (also the display order).
LEVELS = {"overgripande": "Övergripande mål", "effektmal": "Effektmål", "insatsmal": "Insatsmål"}

MET, PARTLY, NOT_MET, NOT_MEASURABLE = vocab.GOAL_STATUSES
STATUSES = (MET, PARTLY, NOT_MET, NOT_MEASURABLE)
#: An indicator or outcome followed without a target: shown with its outcome, not judged.
NOT_ASSESSED = vocab.GOAL_NOT_ASSESSED

#: Indicator names a goal may use → the figure (see :mod:`evaluation.compute.figures`) it reads.
#: Besides these, ``enkat.<survey_id>.<question_id>`` is the share of top answers to a
#: scale question of a survey (``enkat.<key>.topp.<question_id>``).
INDICATORS: dict[str, str] = {
    "antal_deltagare": "antal.deltagare",
    "antal_inskrivningar": "antal.inskrivningar",
    "antal_nya": "antal.nya",
    "antal_avslutade": "antal.avslutade",
    "antal_pagaende": "antal.pagaende",
    "antal_kvinnor": "antal.kvinnor",
    "antal_man": "antal.man",
    "antal_arbete_studier": "antal.arbete_studier",
    "andel_arbete_studier": "andel.arbete_studier",
    "andel_aktivt_arbetssokande": "andel.aktivt_arbetssokande",
    "andel_gemensam_planering": "andel.gemensam_planering",
}
SURVEY_INDICATOR = re.compile(r"^enkat\.([\w-]+)\.([^.\s]+)$")

KEYS = ("id", "niva", "grupp", "text", "mal", "indikator", "utfall", "delvis", "status", "kommentar", "delinsats")
#: Keys a judged goal (with ``status``) may not have.
MEASURED_KEYS = ("mal", "indikator", "utfall", "delvis", "delinsats")
#: How a judged goal's target is shown.
JUDGED = "Bedöms"
EPSILON = 1e-9

_OPERATORS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}
_ALIASES = {"≥": ">=", "≤": "<=", "=>": ">=", "=<": "<=", "==": "="}
_TARGET = re.compile(r"^\s*(>=|<=|=>|=<|==|≥|≤|>|<|=)\s*(\d+(?:[.,]\d+)?)\s*(%)?\s*$")
_NUMBER = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(%)?\s*$")


# -- targets and outcomes (pure) ---------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    """A target such as ``>= 50 %``: shares are kept as fractions (``0.5``)."""

    op: str  # >=, <=, >, <, =
    value: float
    share: bool
    decimals: int  # as written, for display

    def met(self, outcome: float) -> bool:
        """Whether ``outcome`` meets the target; the boundary counts, float noise is ignored."""
        if self.op == ">=":
            return outcome >= self.value - EPSILON
        if self.op == "<=":
            return outcome <= self.value + EPSILON
        if self.op == ">":
            return outcome > self.value + EPSILON
        if self.op == "<":
            return outcome < self.value - EPSILON
        return abs(outcome - self.value) <= EPSILON

    @property
    def written(self) -> str:
        """The target in the file's notation: ``>= 50 %``."""
        return f"{self.op} {_plain(self.value * 100 if self.share else self.value, self.decimals)}" + (" %" if self.share else "")

    def display(self) -> str:
        """The target for readers: ``≥ 50 %``."""
        shown = fmt.percent(self.value, self.decimals) if self.share else fmt.number(self.value, self.decimals)
        return f"{_OPERATORS[self.op]} {shown}"


def _plain(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def _decimals(digits: str) -> int:
    return len(re.split(r"[.,]", digits)[1]) if re.search(r"[.,]", digits) else 0


def parse_target(text) -> Target:
    """``">= 50 %"`` → share target 0.5; ``">= 20"`` → count target 20; decimal comma accepted.

    Raises ``ValueError`` with what is allowed.
    """
    match = _TARGET.match(str(text)) if isinstance(text, str) else None
    if not match:
        raise ValueError(
            f"{quote(text)} är inget målvärde; skriv en jämförelse (>=, <=, >, <, =) och ett tal, med % "
            "för en andel, inom citattecken, t.ex. \">= 50 %\" eller \">= 20\""
        )
    op, digits, percent = match.groups()
    value = float(digits.replace(",", "."))
    _sane(text, value)
    if percent and value > 100:
        raise ValueError(f"{quote(text)} är ingen möjlig andel; en andel är högst 100 %")
    return Target(_ALIASES.get(op, op), value / 100 if percent else value, bool(percent), _decimals(digits))


def _sane(written, number: float) -> None:
    """Refuse a number larger than any an insats has (:data:`evaluation.core.fmt.MAX_NUMBER`)."""
    if abs(number) > fmt.MAX_NUMBER:
        raise ValueError(f"{quote(written)} är orimligt stort; skriv ett tal under {fmt.number(fmt.MAX_NUMBER)}")


@dataclass(frozen=True)
class Outcome:
    """A manual outcome: a number, or a share (fraction) when written with ``%``."""

    value: float
    share: bool
    decimals: int


def parse_outcome(value) -> Outcome:
    """``40`` → count 40; ``"40 %"`` → share 0.4; ``"12,5"`` → 12.5. Raises ``ValueError``."""
    if isinstance(value, bool):
        raise ValueError(f"{quote(value)} är inget tal")
    if isinstance(value, (int, float)) and math.isfinite(value):
        _sane(value, value)
        decimals = 0 if float(value).is_integer() else min(len(str(value).split(".")[-1]), 3)
        return Outcome(float(value), False, decimals)
    match = _NUMBER.match(value) if isinstance(value, str) else None
    if not match:
        raise ValueError(f"{quote(value)} är inget utfall; skriv ett tal (t.ex. 40) eller en andel (t.ex. \"40 %\")")
    digits, percent = match.groups()
    number = float(digits.replace(",", "."))
    _sane(value, number)
    return Outcome(number / 100 if percent else number, bool(percent), _decimals(digits))


def status(target: Target, partly: Target | None, outcome: float | None) -> str:
    """The status of one goal from its target, optional ``delvis`` target and outcome."""
    if outcome is None or (isinstance(outcome, float) and math.isnan(outcome)):
        return NOT_MEASURABLE
    if target.met(outcome):
        return MET
    if partly is not None and partly.met(outcome):
        return PARTLY
    return NOT_MET


# -- goals (pure) -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Goal:
    """One goal of ``mal.yaml``, validated."""

    id: str
    niva: str
    text: str
    target: Target | None  # None: a judged goal (``judged`` holds its status)
    partly: Target | None = None
    indikator: str | None = None
    utfall: Outcome | None = None  # None with no indikator: left empty → Ej mätbart
    #: ``utfall`` given per period (``{2023: 40, 2024: 45}``): (period key, outcome); the report's period picks one
    per_period: tuple = ()
    kommentar: str = ""
    number: int = 0  # position in the file, from 1
    judged: str | None = None  # the status the evaluator gave (``status:``), for a judged goal
    grupp: str = ""  # a free label grouping goals within their level (e.g. a sub-insats)
    delinsats: str = ""  # the indicator is computed for this sub-insats only
    share: bool = False  # the outcome is a share (for goals without a target)


@dataclass(frozen=True)
class GoalSet:
    """The goals of one ``mal.yaml``."""

    path: Path
    goals: tuple[Goal, ...]
    #: file line of each goal's ``text`` and ``kommentar``: ``(goal number, key) → line``
    lines: Mapping[tuple[int, str], int] = field(default_factory=dict, compare=False)


def parse_goals(data: object, path: Path, survey_ids: tuple[str, ...] | None = None) -> GoalSet:
    """Validate the loaded YAML of ``mal.yaml`` (a list of goals, or ``{mal: [...]}``).

    ``survey_ids`` are the surveys in ``<data>/enkater`` (``None``: no such folder), to check
    ``enkat.<survey>.<question>`` indicators. Every problem is listed in one
    :class:`InputError` naming the file, the goal and the key.
    """
    if isinstance(data, dict) and set(data) == {"mal"}:
        data = data["mal"]
    if not isinstance(data, list) or not data:
        raise InputError(
            f"{path}: här ska stå en lista med mål, vart och ett med början '- id: ...' (nycklar: {', '.join(KEYS)}); "
            "se docs/namnrymd.md."
        )
    problems: list[str] = []
    goals, seen = [], {}
    for number, item in enumerate(data, start=1):
        goal = _parse_goal(item, number, survey_ids, problems)
        if goal is None:
            continue
        if goal.id in seen:
            problems.append(f"målet {quote(goal.id)} (mål {number}), nyckeln 'id': id:t används redan av mål "
                            f"{seen[goal.id]}; ge varje mål ett eget id")
            continue
        seen[goal.id] = number
        goals.append(goal)
    if problems:
        lines = [f"{path}: {len(problems)} problem i målen."] + [f"  - {p}" for p in problems]
        lines.append("Rätta filen och kör igen; nycklar och indikatorer finns i docs/namnrymd.md.")
        raise InputError("\n".join(lines))
    order = list(LEVELS)
    return GoalSet(Path(path), tuple(sorted(goals, key=lambda g: order.index(g.niva))))


def _parse_goal(item: object, number: int, survey_ids, problems: list[str]) -> Goal | None:
    if not isinstance(item, dict):
        problems.append(f"mål {number}: här ska stå nycklar ({', '.join(KEYS)}), men det står {quote(item)}")
        return None
    ident = item.get("id")
    who = f"målet {quote(ident)} (mål {number})" if ident not in (None, "") else f"mål {number}"
    before = len(problems)

    def bad(key: str, problem: str) -> None:
        problems.append(f"{who}, nyckeln {quote(key)}: {problem}")

    for key in item:
        if key not in KEYS:
            bad(key_as_written(key), f"okänd nyckel; tillåtna nycklar: {', '.join(KEYS)}")
    if "status" in item:
        return _judged_goal(item, number, bad, problems, before)
    if item.get("mal") in (None, "") and "indikator" not in item and "utfall" not in item:
        bad("mal", "saknas; ge ett målvärde, t.ex. mal: \">= 50 %\", och en indikator eller ett utfall; "
            f"en indikator utan målvärde (visas med utfallet, status {NOT_ASSESSED}); eller, för ett mål som "
            f"bedöms i stället för att mätas, status: ({', '.join(STATUSES)}) och kommentar:")
    if item.get("mal") in (None, "") and item.get("delvis") not in (None, ""):
        bad("delvis", "ett delvis-värde kräver ett målvärde 'mal'")
    niva = _common_keys(item, bad)
    target = _target(item, "mal", bad)
    partly = _target(item, "delvis", bad)
    if target and partly and target.share != partly.share:
        bad("delvis", f"{quote(item['delvis'])} och målvärdet {quote(item['mal'])} ska båda vara andelar (med %) eller båda tal")
    elif target and partly and not _easier(partly, target):
        bad("delvis", f"{quote(item['delvis'])} är inte lättare att nå än målvärdet {quote(item['mal'])}; delvis uppnått ska "
                      "vara ett steg på vägen, t.ex. mal: \">= 40 %\" och delvis: \">= 30 %\"")
    has_indicator, has_outcome = "indikator" in item, "utfall" in item
    indicator, outcome, per_period = None, None, ()
    if has_indicator == has_outcome:
        bad("indikator", "ange antingen 'indikator' (ett beräknat värde) eller 'utfall' (ett utfall du anger), "
            f"{'inte båda' if has_indicator else 'ett av dem'}")
    elif has_indicator:
        indicator = _indicator(item["indikator"], target, survey_ids, bad)
        if indicator and item.get("delinsats") not in (None, "") and SURVEY_INDICATOR.match(indicator):
            bad("delinsats", f"{quote(indicator)} är en enkätfråga; 'delinsats' gäller registrets indikatorer "
                f"({', '.join(INDICATORS)})")
    elif isinstance(item["utfall"], dict):
        per_period = tuple(_period_outcome(key, value, target, item.get("mal"), bad) for key, value in item["utfall"].items())
    elif item["utfall"] not in (None, ""):
        outcome = _outcome(item["utfall"], target, item.get("mal"), bad)
    if item.get("delinsats") not in (None, "") and not has_indicator:
        bad("delinsats", "gäller bara ett mål med 'indikator' (räknad på delinsatsens tabeller); använd 'grupp' "
            "för att bara gruppera målet")
    if len(problems) > before:
        return None
    if target is not None:
        share = target.share
    elif indicator:
        share = bool(SURVEY_INDICATOR.match(indicator)) or figures.kind_of(INDICATORS[indicator]) == "share"
    else:
        share = bool(outcome and outcome.share)
    return Goal(
        id=str(ident), niva=niva, text=str(item["text"]).strip(), target=target, partly=partly,
        indikator=indicator, utfall=outcome, kommentar=str(item.get("kommentar") or "").strip(), number=number,
        grupp=_label(item.get("grupp")), delinsats=_label(item.get("delinsats")), share=share, per_period=per_period,
    )


def _outcome(value, target: Target | None, written_target, bad) -> Outcome | None:
    try:
        outcome = parse_outcome(value)
    except ValueError as exc:
        bad("utfall", str(exc))
        return None
    if target and outcome.share != target.share:
        kind = "en andel (t.ex. \"40 %\")" if target.share else "ett tal utan % (t.ex. 40)"
        bad("utfall", f"{quote(value)} passar inte målvärdet {quote(written_target)}; skriv utfallet som {kind}")
    return outcome


#: How ``utfall:`` names a period: a calendar year, or a period's first and last day as in a params file's name.
_PERIOD_KEY = re.compile(r"\d{4}|\d{4}-\d{2}-\d{2}--\d{4}-\d{2}-\d{2}")


def _period_outcome(key, value, target: Target | None, written_target, bad) -> tuple[str, Outcome | None]:
    """One period's outcome of ``utfall: {2023: 40, 2024-05-01--2025-04-30: 45}``."""
    key = str(key).strip()
    if not _PERIOD_KEY.fullmatch(key):
        bad("utfall", f"{quote(key)} är ingen period; skriv utfallet per period som ett år (2023: 40) eller som "
                      "periodens första och sista dag, som i parameterfilens namn (2024-05-01--2025-04-30: 40)")
    return key, None if value in (None, "") else _outcome(value, target, written_target, bad)


def for_period(goal: Goal, period) -> Goal:
    """``goal`` with the outcome of ``period`` when its ``utfall`` is given per period (none given
    for it: empty, *Ej mätbart*); other goals as they are. A reviewer found a manual outcome, written
    once, shown as every period's ("40 new places" in 2023, in 2024 and in 2022–2024).

    >>> import datetime as d
    >>> from types import SimpleNamespace as Period
    >>> g = Goal("x", "insatsmal", "T", None, per_period=(("2023", parse_outcome(40)),))
    >>> for_period(g, Period(start=d.date(2023, 1, 1), slut=d.date(2023, 12, 31))).utfall.value
    40.0
    >>> for_period(g, Period(start=d.date(2024, 1, 1), slut=d.date(2024, 12, 31))).utfall is None
    True
    """
    if not goal.per_period:
        return goal
    keys = {f"{period.start.isoformat()}--{period.slut.isoformat()}"}
    if (period.start.month, period.start.day, period.slut.month, period.slut.day) == (1, 1, 12, 31) \
            and period.start.year == period.slut.year:
        keys.add(str(period.start.year))
    return replace(goal, utfall=next((outcome for key, outcome in goal.per_period if key in keys), None))


def _label(value) -> str:
    return "" if value is None else " ".join(str(value).split())


def _common_keys(item: dict, bad) -> str:
    """Check the keys every goal has (``id``, ``niva``, ``text``); the level, normalised."""
    for key in ("id", "niva", "text"):
        if item.get(key) in (None, ""):
            bad(key, "krävs men saknas eller är tom")
    for key in ("id", "niva", "text", "grupp", "delinsats", "kommentar"):
        if isinstance(item.get(key), (list, dict)):  # was shown as Python wrote it: "{'kon': 'Kvinna'}"
            bad(key, f"här ska stå en text, men det står {kind_of(item[key])}; skriv texten på en rad, eller inom "
                     "citattecken")
    niva = normalise_header(item.get("niva") or "")
    if item.get("niva") not in (None, "") and niva not in LEVELS:
        bad("niva", f"{quote(item['niva'])} är inte tillåtet; använd en av: {', '.join(LEVELS)}")
    return niva


def _judged_goal(item: dict, number: int, bad, problems: list[str], before: int) -> Goal | None:
    """A goal with ``status:`` (judged by the evaluator) instead of a target and an outcome."""
    niva = _common_keys(item, bad)
    given = {" ".join(str(s).lower().split()): s for s in STATUSES}
    written = item.get("status")
    judged = given.get(" ".join(str(written).lower().split())) if isinstance(written, str) else None
    if judged is None:
        bad("status", f"{quote(written)} är ingen status; skriv en av: {', '.join(STATUSES)}")
    extra = [key for key in MEASURED_KEYS if key in item]
    if extra:
        bad(extra[0], f"ett mål med 'status' bedöms och har inget {', '.join(repr(k) for k in extra)}; ta bort "
            f"{'den' if len(extra) == 1 else 'dem'}, eller ta bort 'status' och låt målet mätas")
    if len(problems) > before:
        return None
    return Goal(
        id=str(item["id"]), niva=niva, text=str(item["text"]).strip(), target=None,
        kommentar=str(item.get("kommentar") or "").strip(), number=number, judged=judged,
        grupp=_label(item.get("grupp")),
    )


def _easier(partly: Target, target: Target) -> bool:
    """Whether ``partly`` is met by every outcome that meets ``target`` (a step on the way to it).

    >>> _easier(parse_target(">= 30 %"), parse_target(">= 40 %")), _easier(parse_target(">= 50 %"), parse_target(">= 40 %"))
    (True, False)
    >>> _easier(parse_target("<= 12"), parse_target("<= 10")), _easier(parse_target("<= 10"), parse_target(">= 5"))
    (True, False)
    """
    up, down = (">=", ">"), ("<=", "<")
    if target.op in up:
        return partly.op in up and partly.value <= target.value
    if target.op in down:
        return partly.op in down and partly.value >= target.value
    return True  # "= 40 %": any step is a choice of the evaluator


def _target(item: dict, key: str, bad) -> Target | None:
    if item.get(key) in (None, ""):
        return None
    try:
        return parse_target(item[key])
    except ValueError as exc:
        bad(key, str(exc))
        return None


def _indicator(name, target: Target | None, survey_ids, bad) -> str | None:
    name = str(name or "").strip()
    survey = SURVEY_INDICATOR.match(name)
    if survey:
        if survey_ids is not None and survey.group(1) not in survey_ids:
            found = f"enkäter: {cut_list(quote(i) for i in survey_ids)}" if survey_ids else "där finns inga enkäter"
            hint = did_you_mean(survey.group(1), survey_ids, 0.5, sentence=True)
            bad("indikator", f"{quote(name)}: det finns ingen enkät {quote(survey.group(1))} i mappen enkater ({found}).{hint}")
            return None
        share = True
    elif name in INDICATORS:
        share = figures.kind_of(INDICATORS[name]) == "share"
    else:
        hint = did_you_mean(name, INDICATORS, 0.5, sentence=True)
        bad("indikator", f"{quote(name)} är ingen indikator.{hint} Tillåtna: {', '.join(INDICATORS)}, "
            "eller enkat.<enkät>.<fråga> för andelen toppsvar på en enkätfråga")
        return None
    if target and target.share != share:
        kind = "en andel: skriv målvärdet med %, t.ex. \">= 50 %\"" if share else "ett antal: skriv målvärdet utan %, t.ex. \">= 20\""
        bad("mal", f"{quote(target.written)} passar inte indikatorn {quote(name)}, som är {kind}")
        return None
    return name


def indicator_value(goal: Goal, flat: Mapping[str, object], path: Path,
                    subgroups: Mapping[str, Mapping[str, object] | None] | None = None) -> float | str | None:
    """The computed outcome of an indicator goal, read from the key figures (so from the
    protected tables): ``None`` without data for the period, :data:`MARK` when disclosure
    control hides it (the goal is then not measurable here and its outcome shows ``..``).

    With ``delinsats`` it is read from that sub-insats's figures (``subgroups``: name → its
    figures, ``None`` for a sub-insats without enrolments in the period).
    """
    if goal.delinsats:
        subgroups = subgroups or {}
        names = {" ".join(n.lower().split()): n for n in subgroups}
        name = names.get(goal.delinsats.lower())
        if name is None:
            hint = did_you_mean(goal.delinsats, subgroups, 0.5, sentence=True)
            listed = cut_list(quote(s) for s in subgroups) or "inga (kolumnen delinsats saknas)"
            raise InputError(
                f"{path}: målet {quote(goal.id)} (mål {goal.number}), nyckeln 'delinsats': registret har ingen delinsats "
                f"{quote(goal.delinsats)}.{hint} Delinsatser: {listed}."
            )
        if subgroups[name] is None:
            return None
        value = subgroups[name].get(INDICATORS[goal.indikator])
        return value
    survey = SURVEY_INDICATOR.match(goal.indikator)
    if not survey:
        return flat.get(INDICATORS[goal.indikator])
    prefix = f"enkat.{figures.survey_key(survey.group(1))}"
    if f"{prefix}.svarande" not in flat:  # the survey was not made in this period
        return None
    key = f"{prefix}.topp.{survey.group(2)}"
    if key not in flat:
        questions = [k.rsplit(".", 1)[1] for k in flat if k.startswith(f"{prefix}.topp.")]
        raise InputError(
            f"{path}: målet {quote(goal.id)} (mål {goal.number}), nyckeln 'indikator': {quote(goal.indikator)}: enkäten "
            f"{quote(survey.group(1))} har ingen skalfråga {quote(survey.group(2))}. Skalfrågor: "
            f"{cut_list(quote(q) for q in questions) or 'inga'}."
        )
    return flat[key]


def evaluate(goals: GoalSet, flat: Mapping[str, object],
             subgroups: Mapping[str, Mapping[str, object] | None] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The goal table (contract columns ``id``, ``niva``, ``mal``, ``utfall``, ``status``) and its display form.

    ``utfall`` is a fraction for shares and a number for counts (``None``: not measurable). The
    display frame has, row by row, ``niva``, ``text``, ``mal_visning``, ``utfall_visning``,
    ``status``, ``kommentar`` and ``grupp`` in Swedish. A goal without a target shows its
    outcome with status *Ej bedömt*.
    """
    rows, shown = [], []
    for goal in goals.goals:
        if goal.judged is not None:
            rows.append({"id": goal.id, "niva": goal.niva, "mal": None, "utfall": None, "status": goal.judged})
            shown.append({"niva": goal.niva, "text": goal.text, "mal_visning": JUDGED, "utfall_visning": vocab.DASH,
                          "status": goal.judged, "kommentar": goal.kommentar, "grupp": goal.grupp})
            continue
        hidden = False
        if goal.indikator:
            value, decimals = indicator_value(goal, flat, goals.path, subgroups), 0
            if isinstance(value, str) and value == MARK:  # hidden by disclosure control (min_cell)
                value, hidden = None, True
        else:
            value = goal.utfall.value if goal.utfall else None
            decimals = goal.utfall.decimals if goal.utfall else 0
        share = goal.target.share if goal.target is not None else goal.share
        if goal.target is None:
            rows.append({"id": goal.id, "niva": goal.niva, "mal": None, "utfall": _number(value, share),
                         "status": NOT_ASSESSED})
            shown.append({"niva": goal.niva, "text": goal.text, "mal_visning": vocab.DASH,
                          "utfall_visning": MARK if hidden else _shown_outcome(value, share, decimals),
                          "status": NOT_ASSESSED, "kommentar": goal.kommentar, "grupp": goal.grupp})
            continue
        judged = value
        if goal.indikator and share and value is not None and not (isinstance(value, float) and math.isnan(value)):
            # judged as shown, in whole percent as in the text and the goal table: "40 %" meets "≥ 40 %"
            judged = round(float(value) * 100) / 100
        state = status(goal.target, goal.partly, judged)
        target_text = goal.target.display() + (f" (delvis: {goal.partly.display()})" if goal.partly else "")
        rows.append({"id": goal.id, "niva": goal.niva, "mal": goal.target.written,
                     "utfall": _number(value, share), "status": state})
        shown.append({"niva": goal.niva, "text": goal.text, "mal_visning": target_text,
                      "utfall_visning": (MARK if hidden else
                                         fmt.percent(judged, 0) if goal.indikator and share and judged is not None
                                         else _display(value, (goal.target, goal.partly), decimals, state)),
                      "status": state,
                      "kommentar": goal.kommentar, "grupp": goal.grupp})
    machine = pd.DataFrame(rows, columns=["id", "niva", "mal", "utfall", "status"])
    machine["utfall"] = pd.Series([r["utfall"] for r in rows], index=machine.index, dtype=object)
    display = pd.DataFrame(shown, columns=["niva", "text", "mal_visning", "utfall_visning", "status", "kommentar", "grupp"])
    return machine, display


def _number(value, share: bool):
    """A fraction for shares; a whole number as ``int`` for counts."""
    if value is None:
        return None
    return float(value) if share or not float(value).is_integer() else int(value)


def _shown_outcome(value, share: bool, decimals: int) -> str:
    """An outcome without a target: ``48,1 %`` or ``40`` (``–`` when there is none)."""
    if value is None:
        return vocab.DASH
    if share:
        return fmt.percent(value, decimals or 1)
    return fmt.number(value, decimals or (0 if float(value).is_integer() else 1))


def _display(value, targets: tuple[Target, Target | None], decimals: int, state: str) -> str:
    """``48 %`` / ``40``; more decimals when rounding would show a missed target as reached.

    >>> _display(0.397, (parse_target(">= 50 %"), parse_target(">= 40 %")), 0, NOT_MET)
    '39,7\xa0%'
    """
    if value is None:
        return vocab.DASH
    if not targets[0].share:
        decimals = decimals or (0 if float(value).is_integer() else 1)
        return fmt.number(value, decimals)
    limits = [t.value * 100 for t in targets if t is not None and not t.met(value)]
    while decimals < 3 and any(round(value * 100, decimals) == round(limit, decimals) for limit in limits):
        decimals += 1
    return fmt.percent(value, decimals)


# -- loading ----------------------------------------------------------------------------------
def find_goals(data: Path) -> Path | None:
    """``<data>/mal.yaml`` (or ``mal.yml``) when it exists."""
    for name in FILE_NAMES:
        if (Path(data) / name).is_file():
            return Path(data) / name
    return None


def survey_ids(data: Path) -> tuple[str, ...] | None:
    """The surveys described in ``<data>/enkater`` (file names of ``*.yaml``), ``None`` without the folder."""
    folder = Path(data) / "enkater"
    if not folder.is_dir():
        return None
    return tuple(sorted(p.stem for p in folder.iterdir() if p.suffix.lower() in (".yaml", ".yml")))


def load_goals(path: Path, surveys: tuple[str, ...] | None = None) -> GoalSet:
    """Read and validate ``mal.yaml``."""
    goals = parse_goals(read_yaml(path, templated=("text", "kommentar")), Path(path), surveys)
    return replace(goals, lines=dict(text_lines(read_text(path))))


@functools.lru_cache(maxsize=64)
def text_lines(source: str) -> dict[tuple[int, str], int]:
    r"""Where each goal's ``text`` and ``kommentar`` start in the file: ``(goal number, key) → line``.

    Worked out once a text (the same dict each time: :func:`load_goals` gives each report a copy):
    the goals are read once a process (:func:`read_yaml`), but this parse of the file's nodes was
    made again for every report of the insats in a batch's kernel.

    >>> text_lines("- id: a\n  text: Mål\n  kommentar: |\n    Rad ett\n")
    {(1, 'text'): 2, (1, 'kommentar'): 4}
    """
    import yaml

    try:
        node = yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    if isinstance(node, yaml.MappingNode) and len(node.value) == 1:
        node = node.value[0][1]
    out = {}
    for number, item in enumerate(getattr(node, "value", []) if isinstance(node, yaml.SequenceNode) else [], start=1):
        for key, value in item.value if isinstance(item, yaml.MappingNode) else []:
            if key.value in ("text", "kommentar"):
                out[(number, key.value)] = value.start_mark.line + 1 + (1 if value.style in ("|", ">") else 0)
    return out


def load_input(params: "ReportParams", inputs: dict) -> GoalSet | None:
    """Loader for :data:`evaluation.sections.registry.LOADERS`: ``None`` when there is no ``mal.yaml``."""
    path = find_goals(params.data)
    return load_goals(path, survey_ids(params.data)) if path else None


# -- report glue ------------------------------------------------------------------------------
DISPLAY_COLUMNS = {
    "text": ("Mål", "text"), "mal_visning": ("Målvärde", "text"), "utfall_visning": ("Utfall", "text"),
    "status": ("Status", "text"), "kommentar": ("Kommentar", "text"),
}


def tables(goals: GoalSet | None, flat: Mapping[str, object], period, subgroups=None) -> list[Table]:
    """The table ``mal`` from the goals and the key figures (empty list without ``mal.yaml``);
    ``subgroups``: each sub-insats's figures by name (see :func:`indicator_value`)."""
    if goals is None:
        return []
    goals = replace(goals, goals=tuple(for_period(goal, period) for goal in goals.goals))
    machine, display = evaluate(goals, flat, subgroups)
    hidden = bool((display["utfall_visning"] == MARK).any())
    return [Table(
        id="mal", title="Mål och utfall", frame=machine, shown=display, columns=DISPLAY_COLUMNS,
        base=f"Utfall för perioden {fmt.iso(period.start)} – {fmt.iso(period.slut)}.",
        note=HIDDEN_OUTCOME if hidden else "",
    )]


#: Note of a goal table with an outcome hidden by disclosure control.
HIDDEN_OUTCOME = ("..: utfallet visas inte, eftersom det bygger på uppgifter som döljs för att skydda enskilda "
                  "personer; målet räknas som ej mätbart.")


def summary_sentence(statuses: pd.Series) -> str:
    """``Av 5 mål är 3 uppfyllda, 1 delvis uppfyllt och 1 ej uppfyllt.``"""
    words = {MET: ("uppfyllt", "uppfyllda"), PARTLY: ("delvis uppfyllt", "delvis uppfyllda"),
             NOT_MET: ("ej uppfyllt", "ej uppfyllda"), NOT_MEASURABLE: ("ej mätbart", "ej mätbara"),
             NOT_ASSESSED: ("ej bedömt", "ej bedömda")}
    parts = [fmt.plural(int((statuses == s).sum()), *words[s]) for s in (*STATUSES, NOT_ASSESSED)
             if (statuses == s).any()]
    return f"Av {len(statuses)} mål är {fmt.swedish_list(parts)}."


STATUS_NOTE = (
    "Uppfyllt: utfallet når målvärdet (exakt på gränsen räknas som uppfyllt; andelar bedöms i hela procent, som de visas). Delvis uppfyllt: "
    "målvärdet nås inte men den lägre nivå som angetts för delvis uppfyllelse nås. Ej mätbart: "
    "utfall saknas för perioden."
)
#: Added to the note when some goal has no target.
NOT_ASSESSED_NOTE = f" {NOT_ASSESSED}: målet har inget målvärde; utfallet visas."


def _group_slug(group: str) -> str:
    from evaluation.core.vocab import slug

    return slug(group) if group else "ovriga"


def section(report: "Report") -> Section | None:
    """The section ``mal``: a summary, then the goals per level with target, outcome, status and comment."""
    table = report.table_map.get("mal")
    if table is None:
        return None
    shown = table.shown
    blocks: list = [paragraph(summary_sentence(shown["status"]))]
    for level, title in LEVELS.items():
        rows = shown[shown["niva"] == level]
        if rows.empty:
            continue
        blocks.append(heading(title, 3))
        groups = list(dict.fromkeys(rows["grupp"]))  # in file order; "" = goals without a group
        for group in groups:
            mask = (shown["niva"] == level) & (shown["grupp"] == group)
            suffix = f"_{_group_slug(group)}" if len(groups) > 1 or group else ""
            if group:
                blocks.append(heading(group, 4))
            blocks.append(Table(
                id=f"mal_{level}{suffix}", title=f"{title}{' – ' + group if group else ''}: målvärde och utfall",
                frame=table.frame[mask], shown=shown[mask], columns=DISPLAY_COLUMNS, base=table.base, note=table.note,
            ))
    note = STATUS_NOTE + (NOT_ASSESSED_NOTE if (shown["status"] == NOT_ASSESSED).any() else "")
    blocks.append(paragraph(note, "note"))
    return Section("mal", report.title_of("mal"), tuple(blocks))
