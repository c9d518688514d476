"""The only writer of outputs: a report is built in a staging folder beside its target and
swapped in when complete; a single file (the index, the overview) is written beside its target
and moved into place.

A report is built in ``<insats>/.bygger-<period>-*`` and moved into place only when every
format succeeded, so a failing report never leaves half a report and never replaces an
earlier good one. A reader never sees half an index either.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from evaluation.core.errors import RenderError, os_reason


def unwritable(folder: Path, exc: OSError) -> RenderError:
    """A plain message for an output folder that cannot be written (read-only, full disk, ...)."""
    reason = os_reason(exc)
    return RenderError(
        f"{folder}: kunde inte skriva rapporten ({reason}). Kontrollera att mappen går att skriva i "
        "och att disken inte är full, eller välj en annan mapp med --out. Inget av en tidigare "
        "rapport har ändrats."
    )


@contextmanager
def staging(target: Path):
    """A fresh folder to build ``target`` in; removed afterwards whatever happens, and so is the
    insats folder made for it when nothing else came to be in it (a first report that failed).

    An output folder that cannot be written is a :class:`RenderError` with a plain message.
    """
    made = not target.parent.exists()
    for attempt in range(3):  # another report of the insats, failing, may take the empty folder away meanwhile
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = tempfile.TemporaryDirectory(prefix=f".bygger-{target.name}-", dir=target.parent)
            break
        except FileNotFoundError:
            if attempt == 2:
                raise unwritable(target.parent, FileNotFoundError(2, "")) from None
        except OSError as exc:
            raise unwritable(target.parent, exc) from None
    try:
        with tmp:
            folder = Path(tmp.name) / "rapport"
            try:
                folder.mkdir()
                yield folder
            except OSError as exc:
                raise unwritable(target.parent, exc) from None
    finally:
        if made:
            try:
                target.parent.rmdir()  # only when empty: the report moved in, or another, keeps it
            except OSError:
                pass


def replace_file(path: Path, write) -> Path:
    """Write ``path`` through ``write(temporary_path)`` beside it, then move it into place
    (never half a file); returns ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    try:
        write(Path(temporary))
        os.chmod(temporary, 0o644)  # readable like any other output file
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)
    return path


def replace_text(path: Path, text: str) -> Path:
    """:func:`replace_file` with a UTF-8 text."""
    return replace_file(path, lambda p: p.write_text(text, encoding="utf-8"))


def swap_in(staging_folder: Path, target: Path, keep=()) -> tuple[str, ...]:
    """Swap the finished report into place; the old one is removed only after the swap.

    The files named in ``keep`` (the formats' files) that the earlier report has and this one
    was not asked to make are carried over, unchanged and with their old times, rather than
    deleted: a ``--formats html`` run does not take away the PDF an evaluator already sent.
    Returns the names carried over, which are older than this run (the caller says so).
    """
    carried = []
    for name in keep:
        earlier, made = target / name, staging_folder / name
        if earlier.is_file() and not made.exists():
            shutil.copy2(earlier, made)
            carried.append(name)
    old = None
    if target.exists():
        old = target.with_name(f".gammal-{target.name}-{dt.datetime.now():%Y%m%d%H%M%S%f}")
        target.rename(old)
    staging_folder.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return tuple(carried)
