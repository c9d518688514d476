"""The notice collector: what a stage found doubtful or skipped, gathered for the report.

A loader or builder calls :func:`note`; the report opens :func:`collecting` around each stage,
so notices reach the report in the order they were found, and nothing is ignored silently.

>>> from evaluation.core.errors import Notice
>>> with collecting() as found:
...     note(Notice("texter/x.md", 3, "okänd fil"))
>>> [n.line for n in found]
[3]
"""
from __future__ import annotations

import contextlib
import contextvars
from typing import Iterator

from evaluation.core.errors import Notice

_ACTIVE: contextvars.ContextVar[list | None] = contextvars.ContextVar("notices", default=None)


@contextlib.contextmanager
def collecting() -> Iterator[list[Notice]]:
    """Collect every notice given to :func:`note` inside this block (nested blocks pass theirs up)."""
    found: list[Notice] = []
    outer = _ACTIVE.get()
    token = _ACTIVE.set(found)
    try:
        yield found
    finally:
        _ACTIVE.reset(token)
        if outer is not None:
            outer.extend(found)


def note(*notices: Notice) -> None:
    """Give notices to the open collector (outside :func:`collecting` they are dropped: a loader
    called on its own, as in tests, has nobody to tell)."""
    active = _ACTIVE.get()
    if active is not None:
        active.extend(notices)
