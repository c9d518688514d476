"""Renderers of the report model: each format is one module with ``write(doc, folder, ...)``.

:data:`FORMATS` lists the formats a user can ask for (``--formats``); the CSV tables are
always written. Adding a format means adding a module here and a line to :data:`FORMATS`.
"""
from __future__ import annotations

from importlib import import_module
from pathlib import Path

#: Format name -> the file it writes in the report folder.
FORMATS = {
    "html": "rapport.html",
    "docx": "rapport.docx",
    "xlsx": "tabeller.xlsx",
}


def write_all(doc, folder: Path, formats, notebook=None) -> None:
    """Write the CSV tables and every asked-for format of ``doc`` into ``folder``."""
    import_module(f"{__name__}.csv").write(doc, folder)
    for name in formats:
        module = import_module(f"{__name__}.{name}")
        if name == "html":
            module.write(doc, folder, notebook)
        else:
            module.write(doc, folder)
