"""Reports for evaluators of Finsam insatser.

The public API is small: open a report from its parameters file, look at its sections and
tables, explore it (another period, a sub-group, insatser side by side; see
:mod:`evaluation.analysis.explore` and ``docs/analys.md``), or render it to every format. Heavy parts
(pandas, matplotlib, papermill) load on first use, so ``evaluation render --all`` can tell
quickly that nothing changed. The examples use the built-in demo, so they run from any folder:

>>> import evaluation
>>> sorted(evaluation.__all__)[:3]
['EvaluationError', 'InputError', 'ParamsError']
>>> report = evaluation.open_report(evaluation.demo_params("steget", "2024-05-01--2025-04-30"))
>>> report.section("resultat").title
'Resultat'
>>> report.table("deltagare_kon").frame["unika"].tolist()
[22, 31, 53]
>>> evaluation.stable(report, "deltagare_kon")["unika"].tolist()
[22, 31, 0, 53]
>>> report.for_group(kon="Kvinna").key_figures["antal.deltagare"]
22
>>> half = report.for_period("2024-05-01", "2024-10-31")
>>> evaluation.compare([report, half], "deltagare_kon", "nya").loc["Totalt"].tolist()
[32, 21]
"""
import sys
from importlib import import_module

from evaluation.core.errors import EvaluationError, InputError, ParamsError, RenderError, TemplateError, ValidationError

__version__ = "0.2.0"

#: Public names that live in heavier modules, loaded when first used.
_LAZY = {
    "ReportParams": "inputs.params", "load_params": "inputs.params",
    "Report": "build.report", "open_report": "build.report", "hand_over": "build.report",
    "render_report": "run.render", "validate": "run.render",
    "demo_params": "analysis.explore", "open_demo": "analysis.explore", "frames": "analysis.explore", "for_period": "analysis.explore",
    "for_group": "analysis.explore", "stable": "analysis.explore", "compare": "analysis.explore", "chart": "analysis.explore",
    "paired": "analysis.explore",
}

#: Public modules, loaded when first used: the report's chart helpers (``from evaluation import charts``).
_MODULES = {"charts": "compute.charts"}

__all__ = [
    "EvaluationError", "InputError", "ParamsError", "RenderError", "TemplateError", "ValidationError",
    *_LAZY, *_MODULES, "__version__",
]


def __dir__() -> list[str]:
    """What Tab offers after ``evaluation.``: the public names, also those loaded when first used
    (a probe found open_report, open_demo, stable … missing from it)."""
    return sorted({*globals(), *__all__})


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    if name in _MODULES:
        return import_module(f".{_MODULES[name]}", __name__)
    raise AttributeError(f"module 'evaluation' has no attribute '{name}'")


def _swedish_error(shell, etype, value, tb, tb_offset=None) -> list[str]:
    """An :class:`EvaluationError` in a kernel: its Swedish message, no traceback (the error
    still reaches the frontend and papermill as an error, with its name and message)."""
    shown = [f"\x1b[31mFel:\x1b[0m {value}"]
    shell._showtraceback(etype, value, shown)  # what IPython's own display of an error calls
    return shown


def show_errors_in_swedish() -> bool:
    """In an IPython kernel, show every :class:`EvaluationError` as its Swedish message only.

    Done when ``evaluation`` is imported in a kernel; ``True`` when a kernel was found. Other
    exceptions keep their traceback (they are bugs, and the traceback is what a developer needs).
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or not hasattr(shell, "set_custom_exc"):
        return False
    shell.set_custom_exc((EvaluationError,), _swedish_error)
    return True


show_errors_in_swedish()
