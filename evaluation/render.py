"""Render reports: run each report's notebook, write every format, publish, record in the index.

The parent process validates only the parameters (to know where the report goes); the kernel
loads the inputs and computes the report once, and hands the document back for the formats
that are not the notebook itself (Word, PDF, Excel, CSV). Only :mod:`evaluation.publish`
swaps a report into place.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import index, notebook, publish
from .errors import EvaluationError
from .params import ReportParams, load_params
from .renderers import FORMATS, write_all
from .report import Report


@dataclass(frozen=True)
class Rendered:
    """Where a rendered report was written."""

    params: ReportParams
    folder: Path

    @property
    def html(self) -> Path:
        return self.folder / "rapport.html"


def validate(params_path: Path | str) -> Report:
    """Load parameters and every input, and build every table and section (writes nothing)."""
    report = Report(load_params(params_path))
    report.document  # noqa: B018 - computing is the check
    return report


def render_report(params_path: Path | str, out_dir: Path | str = "output",
                  formats: tuple[str, ...] = tuple(FORMATS)) -> Rendered:
    """Render one report into ``out_dir/<insats>/<period>/`` and refresh ``out_dir/index.html``.

    Raises an :class:`EvaluationError` subclass when inputs are bad or the notebook fails; the
    failure is recorded in the index and an earlier good report is left in place.
    """
    params_path = Path(params_path).resolve()
    out_dir = Path(out_dir).resolve()
    params = None
    try:
        params = load_params(params_path)
        target = out_dir / params.insats / params.period_slug
        with publish.staging(target) as folder:
            executed, document = notebook.execute(params, folder)
            write_all(document, folder, formats, executed)
            publish.swap_in(folder, target)
    except EvaluationError as exc:
        index.record_failure(out_dir, params_path, str(exc), params)
        raise
    index.record_success(out_dir, params, target)
    return Rendered(params, target)


def find_params(params_dir: Path | str) -> list[Path]:
    """Every ``<insats>/<period>.yaml`` under a params folder, sorted."""
    folder = Path(params_dir)
    if not folder.is_dir():
        raise EvaluationError(f"{folder}: mappen med parameterfiler finns inte.")
    return sorted(p for p in folder.glob("*/*.yaml") if p.is_file())
