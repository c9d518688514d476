"""Linear and integer programs of the disclosure audit (:mod:`evaluation.compute.suppression`),
solved by HiGHS, the solver that scipy ships.

scipy's ``milp`` checks and converts its input, and builds its answer, in Python around each
solve: 0.96 ms a program of the bench's, of which HiGHS's own work (the same model and options
passed through scipy's binding) is 0.47 ms. The audit solves 58 small programs a report, so they
go to HiGHS through that binding directly (``scipy.optimize._highspy._core``, private): the same
model, options and answers (all 2 788 programs of the 48 bench reports, to the last digit), about
0.03 CPU-s less a report. Where a scipy release has no such binding, ``milp`` solves them.

The binding is loaded on its own (:func:`_binding`): imported the usual way, it first imports
``scipy.optimize`` whole (and ``scipy.linalg`` with it), 0.29 s at every start of a check, a
single report's kernel or a batch's forkserver; on its own, 7 ms.
"""
from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np

#: scipy's own binding of HiGHS, by its module's name (private, so checked: else milp, see _by_milp).
BINDING = "scipy.optimize._highspy._core"


def _binding():
    """scipy's binding of HiGHS (:data:`BINDING`), loaded from its file without importing the
    packages around it, as the module the usual import gives (it is the one, in ``sys.modules``);
    the usual import if that fails; ``None`` without it, or with one that lacks what is used here."""
    import importlib.machinery
    import importlib.util
    import sys
    from pathlib import Path

    binding = sys.modules.get(BINDING)
    try:
        if binding is None:
            folder = Path(importlib.util.find_spec("scipy").origin).parent / "optimize" / "_highspy"
            path = next(p for p in sorted(folder.iterdir()) if p.name.startswith("_core.")
                        and p.name.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES)))
            loader = importlib.machinery.ExtensionFileLoader(BINDING, str(path))
            binding = importlib.util.module_from_spec(importlib.util.spec_from_file_location(BINDING, path, loader=loader))
            loader.exec_module(binding)
            sys.modules[BINDING] = binding
    except Exception:  # noqa: BLE001 - a scipy laid out otherwise: its own import decides
        try:
            from scipy.optimize._highspy import _core as binding
        except ImportError:  # pragma: no cover - a scipy without it
            return None
    used = ("HighsLp", "_Highs", "MatrixFormat", "HighsVarType", "HighsModelStatus", "HighsStatus")
    return binding if all(hasattr(binding, name) for name in used) else None


_highs = _binding()

__all__ = ["Program", "solve"]


class Program(NamedTuple):
    """``minimise cost @ x`` subject to ``matrix @ x == rhs`` and ``low <= x <= high``: the
    matrix as compressed columns (``start``, ``index``, ``value``: scipy's ``csc_array`` parts)."""

    start: np.ndarray
    index: np.ndarray
    value: np.ndarray
    rhs: np.ndarray
    low: np.ndarray
    high: np.ndarray


def solve(cost: np.ndarray, program: Program, integral: bool) -> tuple[np.ndarray | None, str]:
    """The best ``x`` of ``program`` (every variable a whole number when ``integral``), or
    ``None`` and HiGHS's word for why there is none."""
    return (_by_highs if _highs is not None else _by_milp)(cost, program, integral)


def _by_highs(cost, program: Program, integral: bool):
    """As ``milp`` passes a program to HiGHS (``scipy.optimize._highspy._highs_wrapper``)."""
    columns, rows = len(cost), len(program.rhs)
    lp = _highs.HighsLp()
    lp.num_col_ = lp.a_matrix_.num_col_ = columns
    lp.num_row_ = lp.a_matrix_.num_row_ = rows
    lp.a_matrix_.format_ = _highs.MatrixFormat.kColwise
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = cost, program.low, program.high
    lp.row_lower_ = lp.row_upper_ = program.rhs
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = program.start, program.index, program.value
    if integral:
        lp.integrality_ = [_highs.HighsVarType.kInteger] * columns
    highs = _solver()
    highs.clear()  # no model, solution or option of the program before: as a new one
    highs.setOptionValue("log_to_console", False)
    if highs.passModel(lp) == _highs.HighsStatus.kError:
        return None, "model not accepted"
    highs.run()
    status = highs.getModelStatus()
    if status != _highs.HighsModelStatus.kOptimal:
        return None, highs.modelStatusToString(status)
    return np.array(highs.getSolution().col_value), ""


@functools.cache
def _solver():
    """The process's one HiGHS object, cleared before each program (as a new one): a new one for
    each cost 0.06 CPU-ms of a program's 0.36 (its options and logging set up)."""
    return _highs._Highs()


def _by_milp(cost, program: Program, integral: bool):
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csc_array

    matrix = csc_array((program.value, program.index, program.start), shape=(len(program.rhs), len(cost)))
    found = milp(cost, integrality=np.full(len(cost), int(integral)), bounds=Bounds(program.low, program.high),
                 constraints=[LinearConstraint(matrix, program.rhs, program.rhs)] if len(program.rhs) else [])
    return (found.x, "") if found.status == 0 else (None, found.message)
