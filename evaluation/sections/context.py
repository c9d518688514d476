"""What a section builder sees: protected tables and figures, texts, and non-count inputs only.

The report (:mod:`evaluation.build.report`) makes one :class:`SectionContext` after disclosure
control, key figures and goals, and hands it to every builder in
:data:`evaluation.sections.registry.BUILDERS`. It holds no register, no follow-ups and no
survey answers: a builder cannot count people again, so every number it shows is a protected
table cell or a key figure read from one.

>>> presentable({"register": "…", "followups": "…", "texts": {}, "organisation": None})
mappingproxy({'texts': {}, 'organisation': None})
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any, Mapping

from evaluation.core.model import Table
from evaluation.inputs.params import ReportParams

#: Inputs a section may present as they are: texts, descriptions, quotes, goal definitions.
NON_COUNT_INPUTS = ("texts", "organisation", "omvarld", "interviews", "matrices", "goals", "surveys",
                    "measurements", "costs")


def _without_counts(surveys: Mapping | None):
    """Each survey with only its free-text answers (the counts are in its protected tables)."""
    if not surveys:
        return surveys
    out = {}
    for key, survey in surveys.items():
        free = [q.id for q in survey.questions if q.typ == "fritext" and q.id in survey.answers.columns]
        out[key] = replace(survey, answers=survey.answers[free])
    return out


def presentable(inputs: Mapping[str, Any]) -> MappingProxyType:
    """The inputs a builder may see (:data:`NON_COUNT_INPUTS`), surveys without counted answers."""
    shown = {name: value for name, value in inputs.items() if name in NON_COUNT_INPUTS}
    if "surveys" in shown:
        shown["surveys"] = _without_counts(shown["surveys"])
    if shown.get("measurements") is not None:  # the instruments only: the values are in the tables
        shown["measurements"] = replace(shown["measurements"], frame=shown["measurements"].frame.iloc[0:0])
    return MappingProxyType(shown)


@dataclass(frozen=True)
class SectionContext:
    """The protected view of one report that section builders get."""

    params: ReportParams
    window: Any  # evaluation.compute.tables.Window
    table_map: Mapping[str, Table]  # after disclosure control, goal tables included
    key_figures: Mapping[str, Any]  # read from protected cells
    namespace: Any  # the key figures formatted in Swedish
    prose: Any  # the evaluator's texts, rendered against the protected figures
    section_ids: tuple[str, ...]
    titles: Mapping[str, str]
    subinsatser: tuple[str, ...]  # names of the sub-insatser (no counts)
    inputs: Mapping[str, Any]  # see presentable()

    def title_of(self, section_id: str) -> str:
        return self.titles[section_id]
