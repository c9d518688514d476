"""Personal data in whole tables, vectorised: each distinct value of a column is examined once.

The detectors are :mod:`evaluation.core.pii` (plain text, no pandas, so a message can quote
safely without loading the table libraries); this module runs them over pandas columns and
Arrow string arrays, for registers of a million rows.

>>> import pandas as pd
>>> scan_values(pd.Series(["D0001", "ring 070-123 45 67", "D0001"])).tolist()
['', 'telefonnummer', '']
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from evaluation.core.pii import AT, looks_like_pnr, may_hold, value_kind


def distinct(values: pd.Series) -> tuple[np.ndarray, np.ndarray, bool]:
    """``(codes, distinct values, all text)``: each row's position among the column's distinct
    values (the categories of a categorical column), and whether every distinct value is ``str``."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        categories = values.cat.categories
        return values.cat.codes.to_numpy(), categories.to_numpy(dtype=object), categories.inferred_type in ("string", "empty")
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=False)
    uniques = np.asarray(uniques, dtype=object)
    return codes, uniques, all(isinstance(u, str) for u in uniques)


def text_array(texts: np.ndarray, all_text: bool) -> pa.Array | None:
    """The values as an Arrow string array (``None`` when one cannot be, e.g. a lone surrogate)."""
    if not all_text:
        texts = np.array([u if isinstance(u, str) else str(u) for u in texts], dtype=object)
    try:
        return pa.array(texts, type=pa.string(), from_pandas=True)
    except (pa.ArrowException, UnicodeError):
        return None


def byte_counts(array: pa.Array, *wanted: bytes) -> list[np.ndarray]:
    """Per text of ``array``, how many of its UTF-8 bytes are in each of ``wanted`` (a set of
    bytes each; ``b"0123456789"``: ASCII digits). Counted over Arrow's buffers in one pass per set."""
    buffers = array.buffers()
    offsets = np.frombuffer(buffers[1], dtype=np.int32)[array.offset:array.offset + len(array) + 1]
    data = np.frombuffer(buffers[2], dtype=np.uint8) if buffers[2] is not None else np.zeros(0, np.uint8)
    data = data[:offsets[-1]] if len(offsets) else data
    out = []
    for chars in wanted:
        table = np.zeros(256, dtype=np.int64)
        table[list(chars)] = 1
        running = np.concatenate(([0], np.cumsum(table[data])))
        out.append(running[offsets[1:]] - running[offsets[:-1]])
    return out


def _candidates(texts: np.ndarray, all_text: bool) -> np.ndarray:
    """:func:`may_hold` of every value at once (an '@', '&', '%' or ``(at)``, or at least 8 ASCII digits)."""
    array = text_array(texts, all_text)
    if array is None:
        return np.fromiter((may_hold(str(t)) for t in texts), dtype=bool, count=len(texts))
    digits, at = byte_counts(array, b"0123456789", b"@&%")
    found = (at > 0) | (digits >= 8) | pc.match_substring_regex(array, pattern=f"(?i){AT}").to_numpy(zero_copy_only=False)
    high = ~pc.string_is_ascii(array).to_numpy(zero_copy_only=False)
    # Digits of other scripts (full-width, Arabic-Indic ...) count too: only texts with
    # non-ASCII characters and too few ASCII digits are searched for them, in one pass.
    other = np.flatnonzero(~found & high)
    if len(other):
        counts = pc.count_substring_regex(array.take(pa.array(other)), pattern=r"\p{Nd}")
        found[other] = counts.to_numpy(zero_copy_only=False) >= 8
    return found


def _kinds(values: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """``(codes, kind per distinct value)`` of a column, or ``None`` when nothing is found."""
    if values.empty:
        return None
    codes, uniques, all_text = distinct(values)
    kinds = np.full(len(uniques), "", dtype=object)
    hit = False
    for i in np.flatnonzero(_candidates(uniques, all_text)):
        kinds[i] = value_kind(str(uniques[i])) or ""
        hit = hit or bool(kinds[i])
    return (codes, kinds) if hit else None


def scan_values(values: pd.Series) -> pd.Series:
    """Per cell, the kind of personal data it holds, ``""`` when none (index kept).

    Each distinct value is examined once, so a million-row register with repeated codes and
    dates costs what its distinct values cost; the cheap first test runs over all of them at
    once. Non-text cells (dates, numbers) are examined as their text.
    """
    found = _kinds(values)
    if found is None:
        return pd.Series("", index=values.index, dtype=object)
    codes, kinds = found
    return pd.Series(kinds[codes], index=values.index, dtype=object)


def scan_frame(frame: pd.DataFrame) -> list[tuple[object, object, str]]:
    """Every personal-data cell of a table: ``(index label, column, kind)``, column by column."""
    hits: list[tuple[object, object, str]] = []
    for column in frame.columns:
        found = _kinds(frame[column])
        if found is None:
            continue
        codes, kinds = found
        at = np.flatnonzero(np.isin(codes, np.flatnonzero(kinds != "")))
        hits.extend((frame.index[i], column, kinds[codes[i]]) for i in at)
    return hits


#: A cell that ends in a date's six or eight digits (``Kund 811218``, ``811218-``), and one that
#: starts with four digits (``-9876``, ``9876 klar``): two cells side by side that read as one number.
#: (Patterns Python's and Arrow's regular expressions read alike.)
_ENDS_IN_DATE = r"(?:^|[^0-9])(?:[0-9]{6}|[0-9]{8})[ \t]*[-–—+]?[ \t]*$"
_STARTS_WITH_FOUR = r"^[ \t]*[-–—+]?[ \t]*[0-9]{4}(?:$|[^0-9./–-]|[./–-](?:$|[^0-9]))"  # not a date: 2024-01-15


def side_by_side(frame: pd.DataFrame) -> list[tuple[object, object, object]]:
    """``(index label, left column, right column)`` of rows where two cells side by side read as one
    personnummer (``Kund 811218`` | ``-9876``), each alone passing :func:`scan_frame`. A left column
    is looked at only when the right one has a cell that starts with four digits, and then only its
    cells that end in six or eight: a register's ids and categories cost one count of their digits.

    >>> frame = pd.DataFrame({"a": ["D1", "Kund 811218"], "b": ["x", "-9876"], "c": ["2024-01-01", "y"]})
    >>> side_by_side(frame)
    [(1, 'a', 'b')]
    """
    hits: list[tuple[object, object, object]] = []
    columns = list(frame.columns)
    starts_of: dict = {}  # a column's distinct values and which start with four digits, once
    for left, right in zip(columns, columns[1:]):
        if right not in starts_of:
            right_codes, right_values, right_text = distinct(frame[right])
            starts_of[right] = right_codes, right_values, _matching(right_values, right_text, _STARTS_WITH_FOUR, 4)
        right_codes, right_values, starts = starts_of[right]
        if not starts.any():  # most columns (a code, a date, a category): the left one is not looked at
            continue
        left_codes, left_values, left_text = distinct(frame[left])
        ends = _matching(left_values, left_text, _ENDS_IN_DATE, 6)
        for i in np.flatnonzero(ends[left_codes] & starts[right_codes]):
            if looks_like_pnr(f"{left_values[left_codes[i]]} {right_values[right_codes[i]]}", luhn=True):
                hits.append((frame.index[i], left, right))
    return hits


def _matching(values: np.ndarray, all_text: bool, pattern: str, digits: int) -> np.ndarray:
    """Per distinct value, whether it holds at least ``digits`` ASCII digits and matches ``pattern``
    (both tested over all values at once, in Arrow)."""
    array = text_array(values, all_text)
    if array is None:
        return np.fromiter((re.search(pattern, str(v)) is not None for v in values), dtype=bool, count=len(values))
    found = np.zeros(len(values), dtype=bool)
    enough = np.flatnonzero(byte_counts(array, b"0123456789")[0] >= digits)
    if len(enough):
        found[enough] = pc.match_substring_regex(array.take(pa.array(enough)), pattern=pattern).to_numpy(
            zero_copy_only=False)
    return found
