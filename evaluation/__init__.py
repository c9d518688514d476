"""Reports for evaluators of Finsam insatser.

The public API is small: open a report from its parameters file, look at its tables and
sections, or render it to HTML.

>>> from evaluation import open_report
>>> from evaluation.cli import DEMO_PARAMS
>>> report = open_report(DEMO_PARAMS / "steget" / "2024-05-01--2025-04-30.yaml")
>>> report.params.insats
'steget'
>>> from evaluation.render import render_report   # render_report(params_path, out_dir) writes HTML
"""
from .errors import EvaluationError, InputError, ParamsError, RenderError, TemplateError, ValidationError
from .params import ReportParams, load_params
from .report import Report, open_report

__all__ = [
    "EvaluationError", "InputError", "ParamsError", "RenderError", "TemplateError", "ValidationError",
    "ReportParams", "load_params", "Report", "open_report",
]
