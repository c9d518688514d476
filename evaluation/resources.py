"""Files shipped with the package: the report notebooks (``notebooks/`` mapped into the wheel)."""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def notebook_path(name: str = "rapport.ipynb") -> Path:
    """The path of a shipped notebook (works for editable and wheel installs)."""
    return Path(str(files("evaluation.notebooks") / name))
