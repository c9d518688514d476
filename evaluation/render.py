"""Render a report: validate, execute the notebook with papermill, convert to HTML, publish.

Only this module writes to the output folder. A report is built in a temporary folder beside
its destination and moved into place only when everything succeeded, so a failing report
never leaves half a report and never replaces an earlier good one.
"""
from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
import papermill
from jinja2 import Environment, PackageLoader, select_autoescape
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor

from . import index, sections
from .errors import EvaluationError, RenderError
from .params import ReportParams, load_params
from .report import Report
from .resources import notebook_path

NOTEBOOK = notebook_path()
HIDDEN_TAGS = {"parameters", "injected-parameters", "remove"}
_TEMPLATES = Environment(loader=PackageLoader("evaluation", "templates"), autoescape=select_autoescape(["html", "j2"]))


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
    report.tables  # noqa: B018 - computing is the check
    report.sections  # noqa: B018
    return report


def render_report(params_path: Path | str, out_dir: Path | str = "output") -> Rendered:
    """Render one report into ``out_dir/<insats>/<period>/`` and refresh ``out_dir/index.html``.

    Raises an :class:`EvaluationError` subclass when inputs are bad or the notebook fails; the
    failure is recorded in the index and an earlier good report is left in place.
    """
    params_path = Path(params_path).resolve()
    out_dir = Path(out_dir).resolve()
    try:
        report = validate(params_path)
    except EvaluationError as exc:
        index.record_failure(out_dir, params_path, str(exc))
        raise
    params = report.params
    target = out_dir / params.insats / params.period_slug
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(prefix=".bygger-", dir=target.parent) as tmp:
            staging = Path(tmp) / "rapport"
            staging.mkdir()
            executed = _execute(params_path, staging)
            (staging / "rapport.html").write_text(to_html(executed, report), encoding="utf-8")
            _publish(staging, target)
    except EvaluationError as exc:
        index.record_failure(out_dir, params_path, str(exc), params)
        raise
    index.record_success(out_dir, params, target)
    return Rendered(params, target)


def _execute(params_path: Path, staging: Path) -> nbformat.NotebookNode:
    output = staging / "rapport.ipynb"
    try:
        papermill.execute_notebook(
            str(NOTEBOOK), str(output),
            parameters={"params_path": str(params_path), "tables_dir": str(staging / "tabeller")},
            kernel_name="python3", progress_bar=False, log_output=False, cwd=str(NOTEBOOK.parent),
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
        )
    except papermill.PapermillExecutionError as exc:
        raise RenderError(f"{params_path}: the report notebook stopped: {exc.ename}: {exc.evalue}") from None
    except Exception as exc:  # kernel could not start, notebook missing, ...
        raise RenderError(f"{params_path}: the report notebook could not be run ({type(exc).__name__}: {exc}).") from None
    return nbformat.read(output, as_version=4)


def to_html(notebook: nbformat.NotebookNode, report: Report) -> str:
    """The executed notebook as a self-contained page: outputs only, no code, no parameters."""
    notebook = nbformat.from_dict(notebook)  # a copy: the audit notebook keeps everything
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if o.output_type in ("display_data", "execute_result")]
    exporter = HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags=HIDDEN_TAGS, enabled=True), enabled=True)
    body, _ = exporter.from_notebook_node(notebook)
    p = report.params
    return _TEMPLATES.get_template("rapport.html.j2").render(
        title=f"{p.namn} – {sections.REPORT_TYPES[p.rapporttyp]} {p.period.label()}", body=body,
    )


def _publish(staging: Path, target: Path) -> None:
    """Swap the finished report into place; the old one is removed only after the swap."""
    old = None
    if target.exists():
        old = target.with_name(f".gammal-{target.name}-{dt.datetime.now():%Y%m%d%H%M%S%f}")
        target.rename(old)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def find_params(params_dir: Path | str) -> list[Path]:
    """Every ``<insats>/<period>.yaml`` under a params folder, sorted."""
    folder = Path(params_dir)
    if not folder.is_dir():
        raise EvaluationError(f"{folder}: parameters folder not found.")
    return sorted(p for p in folder.glob("*/*.yaml") if p.is_file())
