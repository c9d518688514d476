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
