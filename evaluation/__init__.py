"""Reports for evaluators of Finsam insatser.

The public API is small: open a report from its parameters file, look at its sections and
tables, or render it to every format.

>>> from evaluation import open_report, render_report        # doctest: +SKIP
>>> report = open_report("params/steget/2024.yaml")           # doctest: +SKIP
>>> report.section("resultat")                                # doctest: +SKIP
>>> report.table("resultat").frame                            # doctest: +SKIP
"""
from .errors import EvaluationError, InputError, ParamsError, RenderError, TemplateError, ValidationError
from .params import ReportParams, load_params
from .render import render_report, validate
from .report import Report, hand_over, open_report

__version__ = "0.2.0"

__all__ = [
    "EvaluationError", "InputError", "ParamsError", "RenderError", "TemplateError", "ValidationError",
    "ReportParams", "load_params", "Report", "open_report", "hand_over", "render_report", "validate",
    "__version__",
]
