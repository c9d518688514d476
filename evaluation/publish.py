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


@contextmanager
def staging(target: Path):
    """A fresh folder to build ``target`` in; removed afterwards whatever happens."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".bygger-{target.name}-", dir=target.parent) as tmp:
        folder = Path(tmp) / "rapport"
        folder.mkdir()
        yield folder


def swap_in(staging_folder: Path, target: Path) -> None:
    """Swap the finished report into place; the old one is removed only after the swap."""
    old = None
    if target.exists():
        old = target.with_name(f".gammal-{target.name}-{dt.datetime.now():%Y%m%d%H%M%S%f}")
        target.rename(old)
    staging_folder.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
