"""A file read once per process: the same bytes at the same path are parsed and checked once.

A batch's warm kernel builds report after report, and the reports of one insats read the same
register, surveys and texts (a yearly report and the slutrapport; every report reads the shared
omvärld library); a kernel kept between commands builds the report again after the evaluator
changed one text. Reading a file is mostly parsing it and scanning it for personal data, so a
reader wrapped in :func:`read_once` keeps what it gave, and gives a copy of it when asked again
for a file whose bytes are the same.

- The key is the file's path as given, its bytes (a digest, not the modification time: a network
  share's times are coarse), the reader's other arguments and ``scope()`` (the folders the
  reading is confined to, so a file allowed in one report is checked again in another).
- What a reading noted (:mod:`evaluation.core.collector`) is noted again on each later reading.
- A reading that raised is not kept; nor is a file over :data:`LARGEST` (a large register is
  read as it comes, and no process holds it longer than its report); at most :data:`KEPT` files.
- A copy (``copy.deepcopy``) is given each time: a caller changing what it got changes nothing
  kept.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
>>> _ = path.write_text("ett")
>>> calls = []
>>> @read_once(scope=lambda: None)
... def read(path):
...     calls.append(path)
...     return [path.read_text()]
>>> read(path), read(path), len(calls)
(['ett'], ['ett'], 1)
>>> _ = path.write_text("två")
>>> read(path), len(calls)
(['två'], 2)
"""
from __future__ import annotations

import collections
import copy
import functools
import hashlib
import os
from pathlib import Path
from typing import Callable

from evaluation.core import collector

#: The largest file kept (bytes): a demo's or a real insats's texts and tables fit many times.
LARGEST = 8 * 1024 * 1024
#: How many readings are kept (the oldest goes first).
KEPT = 256


def read_once(scope: Callable[[], object]) -> Callable:
    """Wrap ``read(path, *args)`` so that a file with the same bytes is read once (see the module)."""

    def wrap(read: Callable) -> Callable:
        kept: collections.OrderedDict = collections.OrderedDict()

        @functools.wraps(read)
        def reading(path, *args, **kwargs):
            key = _key(Path(path), scope(), args, kwargs)
            if key is None:
                return read(path, *args, **kwargs)
            if key in kept:
                kept.move_to_end(key)
                value, found = kept[key]
                collector.note(*found)
                return copy.deepcopy(value)
            with collector.collecting() as found:
                value = read(path, *args, **kwargs)
            kept[key] = (copy.deepcopy(value), tuple(found))
            if len(kept) > KEPT:
                kept.popitem(last=False)
            return value

        reading.forget = kept.clear  # for tests, and a long-lived kernel that wants its memory back
        return reading

    return wrap


def _key(path: Path, scope: object, args: tuple, kwargs: dict) -> tuple | None:
    """The reading's key, or ``None`` when the file is not kept (missing, unreadable, too large,
    or an argument that cannot be a key)."""
    try:
        if not path.is_file() or path.stat().st_size > LARGEST:
            return None
        digest = hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
        key = (os.fspath(path), digest, scope, args, tuple(sorted(kwargs.items())))
        hash(key)
    except (OSError, TypeError):
        return None
    return key
