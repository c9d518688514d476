"""The figures an evaluator's prose and goals can use, read from a report's computed tables.

Every figure has a dotted name (``antal.deltagare``, ``andel.arbete_studier``,
``enkat.avslut.topp.q1``) and is *read* from a protected table the report already computed
(``deltagare_kon``, ``resultat``, ``gemensam_planering``, ``enkater_svarande``, ``enkat_<id>``,
``mal``), never from a raw input, so prose, goals and tables can never disagree and a cell
hidden by disclosure control (``min_cell``) is ``..`` here too. The full list, with definitions, is in ``docs/namnrymd.md``.

- :func:`raw` gives the values as numbers (shares as fractions 0–1, dates as dates),
  nested by name part.
- :func:`namespace` gives the same tree with every value formatted in Swedish, for templates:
  counts ``1 234``, shares ``48 %`` (whole percent), dates ``1 maj 2020``.

A figure without data (no register, an empty column, no survey answers) is ``None`` in
:func:`raw` and left out of :func:`namespace`.

>>> flat = {"antal.deltagare": 1234, "andel.arbete_studier": 75 / 156}
>>> ns = formatted(flat)
>>> ns.antal.deltagare, ns.andel.arbete_studier
('1\\xa0234', '48\\xa0%')

Longer than 400 lines: one reader per protected table that gives figures, with the names and
kinds every figure is formatted by; docs/namnrymd.md lists the same names.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from typing import TYPE_CHECKING, Iterator, Literal, Mapping

import pandas as pd

from evaluation.core.vocab import MARK
from evaluation.core import vocab, fmt

if TYPE_CHECKING:
    from evaluation.core.model import Table
    from evaluation.build.report import Report

Kind = Literal["count", "share", "date", "text"]

#: Every figure that does not depend on a survey's id, and how it is formatted.
KINDS: dict[str, Kind] = {
    "period.start": "date",
    "period.slut": "date",
    "insats.namn": "text",
    "insats.forbund": "text",
    "insats.insatsagare": "text",
    "antal.deltagare": "count",
    "antal.inskrivningar": "count",
    "antal.nya": "count",
    "antal.avslutade": "count",
    "antal.pagaende": "count",
    "antal.kvinnor": "count",
    "antal.man": "count",
    "antal.resultatbas": "count",
    "antal.arbete_studier": "count",
    "antal.aktivt_arbetssokande": "count",
    "antal.ej_i_resultatet": "count",
    "antal.gemensam_planering": "count",
    "andel.arbete_studier": "share",
    "andel.aktivt_arbetssokande": "share",
    "andel.gemensam_planering": "share",
    "mal.totalt": "count",
    "mal.uppfyllda": "count",
    "mal.delvis_uppfyllda": "count",
    "mal.ej_uppfyllda": "count",
    "mal.ej_matbara": "count",
}

#: The survey figures, per survey: ``enkat.<id>.<name>`` (and ``enkat.<id>.topp.<question>``).
SURVEY_KINDS: dict[str, Kind] = {
    "titel": "text", "svarande": "count", "tillfragade": "count", "svarsfrekvens": "share", "topp": "share",
}

#: The Swedish labels of the result rows the figures are read from (table ``resultat``).
WORK_OR_STUDIES = "Arbete eller studier"
ACTIVELY_SEEKING = "Aktivt arbetssökande (överlappande)"
NOT_IN_RESULT = "Ej i resultatet"

#: Rows of table ``resultat`` every report with a register has figures for
#: (``resultat.<row>.antal/andel/bas``; an exit reason nobody had is 0).
RESULT_ROWS = tuple(r for r in vocab.EXIT_REASONS if r != vocab.NOT_MEASURED) + (
    WORK_OR_STUDIES, ACTIVELY_SEEKING, "Pågående", NOT_IN_RESULT)
RESULT_PARTS: dict[str, Kind] = {"antal": "count", "andel": "share", "bas": "count"}

#: Goal statuses counted by the ``mal.*`` figures (table ``mal``, column ``status``).
GOAL_COUNTS = dict(zip(("mal.uppfyllda", "mal.delvis_uppfyllda", "mal.ej_uppfyllda", "mal.ej_matbara"),
                       vocab.GOAL_STATUSES))


# -- computing (pure) -----------------------------------------------------------------------
def survey_key(survey_id: str) -> str:
    """A survey id as a name part: ``'deltagare-avslut'`` → ``'deltagare_avslut'``.

    Templates cannot write ``-`` inside a name, so every character that is not a letter,
    digit or ``_`` becomes ``_``.
    """
    return re.sub(r"\W", "_", str(survey_id))


def compute(params, table_map: Mapping[str, "Table"]) -> dict[str, object]:
    """Every figure by dotted name, as a number, fraction, date or text (``None``: no data).

    ``table_map`` holds the report's *protected* tables by id (only those present are read): a
    hidden cell gives :data:`~evaluation.compute.disclosure.MARK`, never its value. Nothing is computed
    from the raw inputs: the surveys' figures come from ``enkater_svarande`` and ``enkat_<id>``,
    joint planning from ``gemensam_planering``.
    """
    out: dict[str, object] = {
        "period.start": params.period.start,
        "period.slut": params.period.slut,
        "insats.namn": params.namn,
        "insats.forbund": params.forbund or None,
        "insats.insatsagare": params.insatsagare or None,
    }
    if "deltagare_kon" in table_map:
        out.update(_participants(table_map["deltagare_kon"].frame))
    if "resultat" in table_map:
        out.update(_results(table_map["resultat"].frame))
    if "deltagare_kon" in table_map or "gemensam_planering" in table_map:
        out.update(_joint_planning(table_map.get("gemensam_planering")))
    out.update(_surveys(table_map))
    out.update(_measurements(table_map))
    return out


#: The ``matning.<id>.*`` figures: columns of the ``Totalt`` row of the protected ``matning_<id>``.
MEASUREMENT_PARTS = {"parade": "count", "en_matning": "count", "forbattrade": "count", "oforandrade": "count",
                     "forsamrade": "count", "aterhamtade": "count", "andel_forbattrade": "share",
                     "medel_forandring": "number", "andel_kliniska_forst": "share", "andel_kliniska_senast": "share"}


def _measurements(table_map: Mapping[str, "Table"]) -> dict:
    """``matning.<id>.<part>`` from the ``Totalt`` row of each protected ``matning_<id>`` table."""
    out: dict = {}
    for table_id, table in table_map.items():
        if not table_id.startswith("matning_") or "kon" not in table.frame.columns:
            continue
        total = table.frame.iloc[-1]
        for part in MEASUREMENT_PARTS:
            if part in table.frame.columns:
                out[f"matning.{survey_key(table_id[len('matning_'):])}.{part}"] = _clean(total[part])
    return out


def _surveys(table_map: Mapping[str, "Table"]) -> dict:
    """``enkat.<id>.titel/svarande/tillfragade/svarsfrekvens`` from the protected table
    ``enkater_svarande`` and ``enkat.<id>.topp.<question>`` from ``enkat_<id>`` (``andel_topp``)."""
    out: dict = {}
    respondents = table_map.get("enkater_svarande")
    if respondents is None:
        return out
    for _, row in respondents.frame.iterrows():
        prefix = f"enkat.{survey_key(row['enkat'])}"
        for name in ("titel", "svarande", "tillfragade", "svarsfrekvens"):
            out[f"{prefix}.{name}"] = _clean(row[name])
        scale = table_map.get(f"enkat_{row['enkat']}")
        if scale is not None and "andel_topp" in scale.frame.columns:
            for question, share in zip(scale.frame["fraga"], scale.frame["andel_topp"]):
                out[f"{prefix}.topp.{question}"] = _clean(share)
    return out


def goal_counts(goal_tables) -> dict[str, int]:
    """The ``mal.*`` figures from the goal table ``mal`` (none without goals)."""
    table = next((t for t in goal_tables if t.id == "mal"), None)
    if table is None:
        return {}
    status = table.frame["status"]
    return {"mal.totalt": len(status), **{name: int((status == label).sum()) for name, label in GOAL_COUNTS.items()}}


def _clean(value):
    """``NaN`` → ``None``; numpy scalars → Python numbers."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, dt.date)):
        value = value.item()
        return None if isinstance(value, float) and math.isnan(value) else value
    return value


def _row(frame: pd.DataFrame, column: str, label: str) -> pd.Series | None:
    rows = frame[frame[column] == label]
    return rows.iloc[0] if len(rows) else None


def _participants(frame: pd.DataFrame) -> dict:
    """From ``deltagare_kon``: the ``Totalt`` row, and unique people per gender."""
    out = {}
    total = _row(frame, "kon", "Totalt")
    if total is not None:
        for name in ("inskrivningar", "nya", "avslutade", "pagaende"):
            out[f"antal.{name}"] = _clean(total[name])
        out["antal.deltagare"] = _clean(total["unika"])
    for name, gender in (("kvinnor", "Kvinna"), ("man", "Man")):
        row = _row(frame, "kon", gender)
        out[f"antal.{name}"] = _clean(row["unika"]) if row is not None else 0
    return out


def _results(frame: pd.DataFrame) -> dict:
    """From ``resultat``: base, work or studies, actively seeking, left out."""
    out = {}
    work = _row(frame, "kategori", WORK_OR_STUDIES)
    if work is not None:
        out["antal.resultatbas"] = _clean(work["bas"])
        out["antal.arbete_studier"] = _clean(work["antal"])
        out["andel.arbete_studier"] = _clean(work["andel"])
    seeking = _row(frame, "kategori", ACTIVELY_SEEKING)
    if seeking is not None:
        out["antal.aktivt_arbetssokande"] = _clean(seeking["antal"])
        out["andel.aktivt_arbetssokande"] = _clean(seeking["andel"])
    left_out = _row(frame, "kategori", NOT_IN_RESULT)
    if left_out is not None:
        out["antal.ej_i_resultatet"] = _clean(left_out["antal"])
    out.update(result_rows(frame))
    return out


def result_rows(frame: pd.DataFrame) -> dict:
    """``resultat.<row>.antal/andel/bas`` for every row of ``resultat`` (user groups included),
    and 0 for an exit reason nobody in the base had (the table leaves such rows out).
    ``Pågående`` exists only with ``resultat_bas: alla_inskrivna``."""
    out: dict = {}
    if frame.empty:
        return out
    for _, row in frame.iterrows():
        slug = vocab.row_slug(row["kategori"])
        for part in RESULT_PARTS:
            out[f"resultat.{slug}.{part}"] = _clean(row[part])
    work = _row(frame, "kategori", WORK_OR_STUDIES)
    base = _clean(work["bas"]) if work is not None else None
    merged = set(frame.attrs.get("sammanslagna", ()))  # recoded into Övrigt (evaluation.compute.recode): not 0
    for reason in vocab.EXIT_REASONS:
        slug = vocab.row_slug(reason)
        if reason == vocab.NOT_MEASURED or f"resultat.{slug}.antal" in out:
            continue
        if reason in merged:
            out.update({f"resultat.{slug}.{part}": MARK for part in ("antal", "andel")})
            out[f"resultat.{slug}.bas"] = base
            continue
        out[f"resultat.{slug}.antal"] = 0
        out[f"resultat.{slug}.bas"] = base
        out[f"resultat.{slug}.andel"] = 0.0 if base not in (None, 0) else None
    return out


def _joint_planning(table: "Table | None") -> dict:
    """From the protected table ``gemensam_planering``: the ``Ja`` row (``None`` without the table,
    i.e. when nobody in the period has a ja/nej value)."""
    row = None if table is None else _row(table.frame, "svar", vocab.YES)
    if row is None:
        return {"antal.gemensam_planering": None, "andel.gemensam_planering": None}
    return {"antal.gemensam_planering": _clean(row["antal"]), "andel.gemensam_planering": _clean(row["andel"])}


def nest(flat: Mapping[str, object]) -> dict:
    """``{"a.b": 1, "a.c": 2}`` → ``{"a": {"b": 1, "c": 2}}``."""
    tree: dict = {}
    for name, value in flat.items():
        *groups, leaf = name.split(".")
        node = tree
        for part in groups:
            node = node.setdefault(part, {})
        node[leaf] = value
    return tree


def kind_of(name: str) -> Kind:
    """How the figure ``name`` is formatted (``count`` for unknown numeric names)."""
    if name in KINDS:
        return KINDS[name]
    parts = name.split(".")
    if parts[0] == "resultat" and len(parts) == 3:
        return RESULT_PARTS.get(parts[2], "count")
    if parts[0] == "enkat" and len(parts) >= 3:
        return SURVEY_KINDS.get(parts[2], "count")
    if parts[0] == "matning" and len(parts) == 3:
        return MEASUREMENT_PARTS.get(parts[2], "count")
    return "count"


_RESULT_NAMES = frozenset(f"resultat.{vocab.row_slug(r)}.{p}" for r in RESULT_ROWS for p in RESULT_PARTS)


def is_documented(name: str) -> bool:
    """Whether ``name`` is a figure some report can have (even if this one has no value)."""
    if name in KINDS or name in _RESULT_NAMES:
        return True
    if re.fullmatch(r"matning\.\w+\.(" + "|".join(MEASUREMENT_PARTS) + ")", name):
        return True
    return re.fullmatch(r"enkat\.\w+\.(titel|svarande|tillfragade|svarsfrekvens|topp\.\w+)", name) is not None


def format_value(name: str, value) -> str:
    """The Swedish form of one figure: counts ``1 234``, shares ``48 %``, dates ``1 maj 2020``."""
    kind = kind_of(name)
    if isinstance(value, str) and value == MARK:  # hidden by disclosure control (min_cell)
        return MARK
    if kind == "share":
        return fmt.percent(value, 0)
    if kind == "date":
        return fmt.date(value)
    if kind == "text":
        return str(value)
    if kind == "number":
        return fmt.decimal(value)
    return fmt.number(value)


# -- for templates --------------------------------------------------------------------------
class Group:
    """A group of formatted figures with attribute and item access (``ns.antal.deltagare``).

    An unknown name raises ``AttributeError``/``KeyError``; in a template that gives an
    undefined value, which :mod:`evaluation.sections.texts` reports with the closest valid names.
    """

    __slots__ = ("_path", "_values")

    def __init__(self, path: str, values: Mapping[str, object]):
        object.__setattr__(self, "_path", path)
        object.__setattr__(self, "_values", dict(values))

    @property
    def path(self) -> str:
        """The group's dotted name (``""`` for the root)."""
        return self._path

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"no figure '{self._join(name)}'") from None

    def __setattr__(self, name, value):
        raise AttributeError("figures are read-only")

    def __getitem__(self, name: str):
        try:
            return self._values[str(name)]
        except KeyError:
            raise KeyError(self._join(name)) from None

    def __contains__(self, name) -> bool:
        return str(name) in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Group({self._path or '<root>'!r}, {sorted(self._values)})"

    def _join(self, name) -> str:
        return f"{self._path}.{name}" if self._path else str(name)

    def as_dict(self) -> dict:
        """The top-level names and their values (groups or formatted strings)."""
        return dict(self._values)


def formatted(flat: Mapping[str, object]) -> Group:
    """The template namespace of ``flat`` figures; ``None`` values are left out."""

    def build(path: str, node: dict) -> Group:
        values = {}
        for key, value in node.items():
            name = f"{path}.{key}" if path else key
            values[key] = build(name, value) if isinstance(value, dict) else format_value(name, value)
        return Group(path, values)

    return build("", nest({k: v for k, v in flat.items() if v is not None}))


def names(group: Group) -> list[str]:
    """Every dotted figure name in ``group`` (leaves only), sorted."""
    out = []
    for key in group:
        value = group[key]
        name = f"{group.path}.{key}" if group.path else key
        out.extend(names(value) if isinstance(value, Group) else [name])
    return sorted(out)


# -- report glue ----------------------------------------------------------------------------
def flat(report: "Report") -> dict[str, object]:
    """Every figure of ``report`` by dotted name (computed once, by the report)."""
    return dict(report.key_figures)


def raw(report: "Report") -> dict:
    """The report's figures as numbers, nested: ``raw(r)["andel"]["arbete_studier"]`` → ``0.48``."""
    return nest(flat(report))


def namespace(report: "Report") -> Group:
    """The report's figures formatted in Swedish, for templates: ``ns.antal.deltagare`` → ``'1 234'``."""
    return report.namespace
