"""Renderers of the report model: each format is one module with ``write(doc, folder, ...)``.

:data:`FORMATS` lists the formats a user can ask for (``--formats``); the CSV tables are
always written. Adding a format means adding a module here and a line to :data:`FORMATS`.
"""
from __future__ import annotations

import datetime as dt
import re
import threading
import zipfile
from importlib import import_module
from pathlib import Path

#: Format name -> the file it writes in the report folder.
FORMATS = {
    "html": "rapport.html",
    "docx": "rapport.docx",
    "xlsx": "tabeller.xlsx",
    "pdf": "rapport.pdf",
}


#: The longest text a Word or Excel document property holds (python-docx refuses more; Word shows
#: it under Arkiv → Info): a longer one is cut with "…" (the report shows it whole).
MAX_PROPERTY = 255


def write_all(doc, folder: Path, formats, notebook=None, template: Path | None = None) -> None:
    """Write the CSV tables and every asked-for format of ``doc`` into ``folder``.

    ``notebook`` is the executed report notebook (the HTML page is made from it);
    ``template`` the evaluator's Word template.
    """
    if _warming is not None:
        _warming.join()
    import_module(f"{__name__}.csv").write(doc, folder)
    for name in formats:
        module = import_module(f"{__name__}.{name}")
        if name == "html":
            module.write(doc, folder, notebook)
        elif name == "docx":
            module.write(doc, folder, template=template)  # made stable there (stable_zip)
        else:
            module.write(doc, folder)


def warm(formats) -> None:
    """Load the writers of ``formats`` before the first report needs them: their imports, and what
    a module's own ``warm()`` prepares (compiled templates, fonts). Run it in a thread while a
    kernel starts: the time is then spent on the other core.

    A writer that cannot load (WeasyPrint without Pango) is left alone here: writing the report
    raises its error, with its message, where the command can say it.
    """
    for name in formats:
        try:
            module = import_module(f"{__name__}.{name}")
            prepare = getattr(module, "warm", None)
            if prepare is not None:
                prepare()
        except Exception:  # noqa: BLE001 - said when the format is written, not from a thread
            continue


_warming: threading.Thread | None = None


def warm_in_background(formats) -> None:
    """:func:`warm` in a thread, while the report's notebook runs; :func:`write_all` waits for it."""
    global _warming
    _warming = threading.Thread(target=warm, args=(tuple(formats),), name="renderers", daemon=True)
    _warming.start()


#: What the writing program's template says of itself and of a document it never counted.
_STALE_PROPERTIES = rb"<(TotalTime|Pages|Words|Characters|Lines|Paragraphs|CharactersWithSpaces|AppVersion)>[^<]*</\1>\s*"


def _app_properties(data: bytes) -> bytes:
    """``docProps/app.xml`` naming this toolkit as the application (openpyxl names itself "Microsoft
    Excel Compatible"), without a writer's stale counts (1 page, 0 words).

    >>> _app_properties(b"<P><Pages>1</Pages><Application>Microsoft Macintosh Word</Application></P>")
    b'<P><Application>evaluation</Application></P>'
    """
    data = re.sub(_STALE_PROPERTIES, b"", data)
    return re.sub(rb"<Application>[^<]*</Application>", b"<Application>evaluation</Application>", data)


def stable_zip(path: Path, day: dt.date | None, source=None) -> None:
    """Make a zip-based file (xlsx, docx) depend only on its content and the report's day.

    Office writers stamp the time of saving into every zip entry and into
    ``docProps/core.xml``; both are set to the report's day, so the same report rendered twice
    on a day is byte-identical (a batch with warm kernels gives the same files as single runs).
    ``source`` is the zip to read instead of ``path`` (a writer's output in memory, best stored
    uncompressed: the entries are compressed here, once).
    """
    with zipfile.ZipFile(path if source is None else source) as zipped:
        entries = [(info.filename, zipped.read(info.filename)) for info in zipped.infolist()]
    write_stable_zip(path, entries, day)


def write_stable_zip(path: Path, entries, day: dt.date | None) -> None:
    """Write ``entries`` (name, bytes), in order, as the zip :func:`stable_zip` makes."""
    day = day or dt.date.today()
    stamp = f"{day.isoformat()}T00:00:00Z"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", lambda m: m.group(1) + stamp.encode(), data)
            elif name == "docProps/app.xml":
                data = _app_properties(data)
            fixed = zipfile.ZipInfo(name, date_time=(day.year, day.month, day.day, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, data)
