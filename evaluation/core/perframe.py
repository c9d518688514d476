"""What is worked out from a frame, kept while the frame lives.

Nothing changes a frame once it is read (a register, or a part of one a table is counted from), so
what is worked out from it holds as long as it lives: kept by the frame's ``id``, with a weak
reference that tells a frame since freed whose ``id`` was given again, and that lets go of what
was kept for a frame as soon as it is freed.

>>> import pandas as pd
>>> frame, calls = pd.DataFrame({"a": [1, 2]}), []
>>> once(frame, "sum", lambda: calls.append(1) or int(frame["a"].sum())), once(frame, "sum", lambda: 0), len(calls)
(3, 3, 1)
"""
from __future__ import annotations

import weakref
from typing import Callable, Hashable, TypeVar

__all__ = ["once"]

T = TypeVar("T")

#: The most values kept (the oldest goes first); a frame freed takes its own with it.
KEPT = 64
_KEPT: dict = {}


def once(frame, key: Hashable, make: Callable[[], T]) -> T:
    """``make()``, worked out once for ``frame`` and ``key`` while ``frame`` lives."""
    at = (id(frame), key)
    kept = _KEPT.get(at)
    if kept is not None and kept[0]() is frame:
        return kept[1]
    value = make()
    _KEPT[at] = (weakref.ref(frame, lambda _, at=at: _KEPT.pop(at, None)), value)
    while len(_KEPT) > KEPT:
        _KEPT.pop(next(iter(_KEPT)))
    return value
