"""The only writer of reports: a staging folder beside the target, swapped in when complete.

A report is built in ``<insats>/.bygger-<period>-*`` and moved into place only when every
format succeeded, so a failing report never leaves half a report and never replaces an
earlier good one.
"""
from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from evaluation.core.errors import RenderError


def unwritable(folder: Path, exc: OSError) -> RenderError:
    """A plain message for an output folder that cannot be written (read-only, full disk, ...)."""
    reason = exc.strerror or str(exc)
    return RenderError(
        f"{folder}: kunde inte skriva rapporten ({reason}). Kontrollera att mappen går att skriva i "
        "och att disken inte är full, eller välj en annan mapp med --out. Inget av en tidigare "
        "rapport har ändrats."
    )


@contextmanager
def staging(target: Path):
    """A fresh folder to build ``target`` in; removed afterwards whatever happens.

    An output folder that cannot be written is a :class:`RenderError` with a plain message.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = tempfile.TemporaryDirectory(prefix=f".bygger-{target.name}-", dir=target.parent)
    except OSError as exc:
        raise unwritable(target.parent, exc) from None
    with tmp:
        folder = Path(tmp.name) / "rapport"
        try:
            folder.mkdir()
            yield folder
        except OSError as exc:
            raise unwritable(target.parent, exc) from None


def swap_in(staging_folder: Path, target: Path) -> None:
    """Swap the finished report into place; the old one is removed only after the swap."""
    old = None
    if target.exists():
        old = target.with_name(f".gammal-{target.name}-{dt.datetime.now():%Y%m%d%H%M%S%f}")
        target.rename(old)
    staging_folder.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
