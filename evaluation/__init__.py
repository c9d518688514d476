"""Reports for evaluators of Finsam insatser.

The public API is small: open a report from its parameters file, look at its tables and
sections, or render it to HTML.

>>> from evaluation import open_report, render_report        # doctest: +SKIP
>>> report = open_report("params/steget/2024.yaml")           # doctest: +SKIP
"""
from .errors import EvaluationError, InputError, ParamsError, RenderError, TemplateError, ValidationError
from .params import ReportParams, load_params
from .report import Report, open_report

__all__ = [
    "EvaluationError", "InputError", "ParamsError", "RenderError", "TemplateError", "ValidationError",
    "ReportParams", "load_params", "Report", "open_report",
]
