"""Variables and ``tabell()`` in goal texts and comments (``mal.yaml``), and their fact check.

A goal's ``text`` or ``kommentar`` may state figures as variables, ``{{ andel.arbete_studier }}``
or ``{{ tabell("resultat_halsoverket", "Arbete eller studier", "andel") }}``, rendered with the
same sandbox as the evaluator's texts (:mod:`evaluation.sections.texts`) against the report's protected
tables and figures. A variable that fails is a :class:`evaluation.core.errors.TemplateError` naming
``mal.yaml`` and the line; a typed number that contradicts a figure is a notice with the line,
as for texts (:mod:`evaluation.compute.factcheck`).
"""
from __future__ import annotations

import dataclasses
import re
from typing import Iterable, Mapping

from evaluation.compute import factcheck, figures
from evaluation.compute.goals import GoalSet
from evaluation.core.errors import Notice, TemplateError
from evaluation.core.model import Table
from evaluation.core.pii import quote
from evaluation.sections import texts

KEYS = (("text", "text"), ("kommentar", "kommentar"))


def render(table: Table, goals: GoalSet, namespace: figures.Group, tables: Mapping[str, Table],
           checked: Iterable[factcheck.Checked]) -> tuple[Table, list[Notice]]:
    """The goal table ``mal`` with its texts and comments rendered, and the fact check's notices.

    Every problem of every goal text is in one :class:`TemplateError`.
    """
    checked = list(checked)
    shown = table.shown.copy()
    problems: list[str] = []
    warnings: list[Notice] = []
    for row, goal in zip(shown.index, goals.goals):  # the display rows follow the goals' order
        for key, column in KEYS:
            source = getattr(goal, key)
            if not source:
                continue
            line = goals.lines.get((goal.number, key), 1)
            for finding in factcheck.check(source, checked):
                warnings.append(Notice(goals.path, line + finding.line - 1,
                                       f"målet {quote(goal.id)}, nyckeln '{key}': {finding.message}"))
            if "{{" not in source and "{%" not in source:
                continue
            try:
                text = texts.parse(source, goals.path, line)
            except TemplateError as exc:
                problems.append(str(exc))
                continue
            block, found = texts._render(text, namespace, tables)
            problems += found
            if block is not None:
                shown.loc[row, column] = re.sub(r"[ \t\r\n]+", " ", block.text).strip()
    if problems:
        raise TemplateError(texts._combined(problems))
    return dataclasses.replace(table, shown=shown), warnings
