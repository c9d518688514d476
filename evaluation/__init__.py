"""Reports for evaluators of Finsam insatser.

The public API is small: open a report from its parameters file, look at its sections and
tables, or render it to every format. Heavy parts (pandas, matplotlib, papermill) load on
first use, so ``evaluation render --all`` can tell quickly that nothing changed.

>>> import evaluation
>>> sorted(evaluation.__all__)[:3]
['EvaluationError', 'InputError', 'ParamsError']
>>> from evaluation.cli import DEMO_PARAMS
>>> report = evaluation.open_report(DEMO_PARAMS / "steget" / "2024-05-01--2025-04-30.yaml")
>>> report.section("resultat").title
'Resultat'
>>> int(report.table("resultat").frame.set_index("kategori").loc["Arbete eller studier", "antal"])
18
"""
from importlib import import_module

from .errors import EvaluationError, InputError, ParamsError, RenderError, TemplateError, ValidationError

__version__ = "0.2.0"

#: Public names that live in heavier modules, loaded when first used.
_LAZY = {
    "ReportParams": "params", "load_params": "params",
    "Report": "report", "open_report": "report", "hand_over": "report",
    "render_report": "render", "validate": "render",
}

__all__ = [
    "EvaluationError", "InputError", "ParamsError", "RenderError", "TemplateError", "ValidationError",
    *_LAZY, "__version__",
]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'evaluation' has no attribute '{name}'")
