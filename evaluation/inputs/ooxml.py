"""What an Office Open XML package (a Word text, a workbook) carries besides its content: its
document properties (title, subject, tags, author, custom ones), read as text to be scanned."""
from __future__ import annotations

import zipfile

from defusedxml import ElementTree

#: The parts of a package that hold its document properties.
PROPERTIES = ("docProps/core.xml", "docProps/app.xml", "docProps/custom.xml")


def properties_text(package: zipfile.ZipFile) -> str:
    """Every text of the package's document properties, a line each."""
    names = set(package.namelist())
    return "\n".join(e.text or "" for name in PROPERTIES if name in names
                     for e in ElementTree.fromstring(package.read(name)).iter())
