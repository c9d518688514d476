"""Where the report notebook is found (the installed-wheel case is in test_wheel.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from evaluation import RenderError
from evaluation.run.resources import notebook_path

ROOT = Path(__file__).resolve().parent.parent


def test_a_checkout_uses_its_own_notebooks_folder():
    assert notebook_path() == ROOT / "notebooks" / "rapport.ipynb"


def test_every_shipped_notebook_is_found():
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        assert notebook_path(path.name) == path


def test_a_missing_notebook_is_a_swedish_render_error():
    with pytest.raises(RenderError, match="Anteckningsboken finns-inte.ipynb saknas .* pip install --force-reinstall"):
        notebook_path("finns-inte.ipynb")


def _loaded_after(code: str) -> set[str]:
    import subprocess
    import sys

    probe = f"{code}\nimport sys\nprint(' '.join(m for m, v in sys.modules.items() if v is not None))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_the_command_line_starts_without_the_table_libraries():
    # every command (and the kernel that one report starts first) begins before pandas loads
    loaded = _loaded_after("import evaluation.tools.cli, evaluation.run.kernel")
    assert not loaded & {"pandas", "numpy", "pyarrow", "matplotlib", "openpyxl"}


def test_a_report_kernel_starts_without_the_workbook_library():
    # openpyxl weighs 70 ms at every start; a kernel needs it only to read a workbook (its letters)
    from evaluation.run.kernel import WARM_UP

    loaded = _loaded_after(WARM_UP.replace("gc.freeze()", ""))
    assert {"pandas", "matplotlib"} <= loaded and "openpyxl" not in loaded


def test_the_audit_loads_scipys_highs_binding_without_the_rest_of_scipy_optimize():
    # scipy.optimize whole (with scipy.linalg) is 0.29 s at every start; the audit needs only HiGHS
    loaded = _loaded_after("import evaluation.build.report\nfrom evaluation.compute import programs\n"
                           "assert programs._highs is not None and programs._highs._Highs")
    assert "scipy.optimize._highspy._core" in loaded
    assert not loaded & {"scipy.optimize", "scipy.linalg", "scipy.sparse"}


def test_the_highs_binding_loaded_alone_is_the_one_scipy_optimize_imports_later():
    loaded = _loaded_after("from evaluation.compute import programs\nimport scipy.optimize\n"
                           "from scipy.optimize._highspy import _core\nassert _core is programs._highs\n"
                           "assert scipy.optimize.linprog([1, 1], A_eq=[[1, 2]], b_eq=[4]).x.tolist() == [0, 2]")
    assert "scipy.optimize" in loaded


def test_rendering_never_loads_the_iri_grammar():
    # jsonschema's optional IRI checker compiles a grammar on import (0.75 s); notebooks do not need it
    loaded = _loaded_after("import evaluation.run.notebook, evaluation.renderers.html\n"
                           "evaluation.renderers.html.warm()")
    assert "nbformat" in loaded and "rfc3987_syntax" not in loaded
