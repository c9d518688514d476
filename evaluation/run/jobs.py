"""A report a batch renders (:class:`Job`) and how it went (:class:`Outcome`): what the local
pool (:mod:`evaluation.run.batch`) and a Dask cluster (:mod:`evaluation.run.cluster`) hand back.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from evaluation.core.errors import Notice, redact
from evaluation.inputs.params import ReportParams


@dataclass
class Job:
    """One report to render (or a reason it cannot be)."""

    path: Path
    params: ReportParams | None = None
    digest: str = ""
    error: str = ""


@dataclass
class Outcome:
    path: Path
    status: str  # "ok" | "oforandrad" | "fel"
    message: str = ""
    seconds: float = 0.0
    folder: Path | None = None
    notices: tuple[Notice, ...] = ()  # the report's warnings (an unchanged report: as recorded in the index)
    older: tuple[str, ...] = ()  # files of formats not asked for, kept from an earlier run

    def __post_init__(self):
        self.message = redact(self.message)  # an unexpected error's text may hold a value
