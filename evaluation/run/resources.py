"""Files shipped with the package: the report notebooks (``notebooks/`` mapped into the wheel).

``notebooks/`` stays at the top of the repository, where evaluators open it. The wheel ships the
same files as the package ``evaluation.notebooks`` (a package-dir mapping in pyproject.toml), and
an installed copy is found through :mod:`importlib.resources`.

>>> notebook_path().name
'rapport.ipynb'
>>> notebook_path().is_file()
True
"""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from evaluation.core.errors import RenderError

_CHECKOUT = Path(__file__).resolve().parents[2]


def notebook_path(name: str = "rapport.ipynb") -> Path:
    """The notebook ``name`` as a real file that papermill can read.

    A source checkout (this package beside ``pyproject.toml`` and ``notebooks/``) uses its own
    ``notebooks/``, so that code and notebook always come from the same tree, also when the
    package is imported through PYTHONPATH while another checkout is installed in editable mode
    (setuptools' editable finder would resolve ``evaluation.notebooks`` to that other checkout).
    Otherwise, in an installed wheel, the package data.
    """
    local = _CHECKOUT / "notebooks" / name
    if (_CHECKOUT / "pyproject.toml").is_file() and local.is_file():
        return local
    try:
        installed = Path(str(files("evaluation.notebooks").joinpath(name)))
    except ModuleNotFoundError:
        installed = None
    if installed is None or not installed.is_file():  # wheels install unzipped: a file on disk
        raise RenderError(f"Anteckningsboken {name} saknas i det installerade paketet evaluation. "
                          "Installera om paketet, till exempel med: pip install --force-reinstall evaluation")
    return installed
