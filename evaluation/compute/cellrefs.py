"""Numbers in a table's own texts (its base line) that are read from protected cells.

A table builder knows its numbers before disclosure control has run, so a base line such as
"Andel av 19 avslutade ... Ej i resultatet: 1" written with the raw values would state a count
that the table hides. Instead the builder writes a *reference* to the cell (:func:`ref`), and
:func:`resolve` fills it in after disclosure control from the protected frames: a visible cell
gives its value the Swedish way, a hidden one :data:`evaluation.compute.disclosure.MARK` (``..``).

A reference names a row by the value of the table's first column and a column; ``table``
defaults to the table whose text holds the reference. Row :data:`TOTAL` is the sum of the
column over the table's leaf rows (a total that is not a row, e.g. "Andel av 44 avslutade"):
hidden when disclosure control hides that total.

>>> text = f"Andel av {ref('Arbete eller studier', 'bas')} avslutade."
>>> import pandas as pd
>>> frame = pd.DataFrame({"kategori": ["Arbete eller studier"], "antal": [3], "bas": [1234]})
>>> fill(text, "resultat", {"resultat": frame})
'Andel av 1\\xa0234 avslutade.'
>>> fill(text, "resultat", {"resultat": frame.assign(bas=[".."])})
'Andel av .. avslutade.'
"""
from __future__ import annotations

import re
from typing import Callable, Mapping, NamedTuple

import pandas as pd

from evaluation.core import fmt
from evaluation.core.vocab import MARK as _MARK

#: Row of a reference to a total over the leaf rows (not a row of the frame).
TOTAL = "Σ"
_SEP, _END = "\x1f", "\x00"
_REF = re.compile(f"{_END}([^{_END}]*){_END}")


def ref(row, column: str, table: str = "") -> str:
    """A reference to the cell ``row``/``column`` of ``table`` (default: the text's own table)."""
    return f"{_END}{table}{_SEP}{row}{_SEP}{column}{_END}"


def has_refs(text: str) -> bool:
    return bool(text) and _END in text


def _value(frame: pd.DataFrame, row: str, column: str, total_hidden: Callable | None, raw: pd.DataFrame | None):
    if row == TOTAL:  # a total of a table without total rows: the sum of its true values, unless hidden
        if total_hidden is not None and total_hidden(column):
            return _MARK
        return int(pd.to_numeric((frame if raw is None else raw)[column]).sum())
    rows = frame[frame[frame.columns[0]].astype(str) == str(row)]
    if not len(rows):
        return 0  # tables leave out rows nobody is in
    return rows[column].iloc[0]


def fill(text: str, own: str, frames: Mapping[str, pd.DataFrame],
         total_hidden: Callable[[str, str], bool] | None = None,
         raw: Mapping[str, pd.DataFrame] | None = None) -> str:
    """``text`` with every reference replaced by its protected value (``..`` when hidden).

    ``frames`` are the protected frames by table id (hidden cells hold ``..``);
    ``total_hidden(table, column)`` says whether a :data:`TOTAL` is hidden, and ``raw`` holds the
    true frames its sum is taken from (only a total that is not hidden is ever written).
    """
    if not has_refs(text):
        return text

    def one(match: re.Match) -> str:
        table, row, column = match.group(1).split(_SEP)
        table = table or own
        value = _value(frames[table], row, column,
                       (lambda c: total_hidden(table, c)) if total_hidden is not None else None,
                       (raw or {}).get(table))
        if isinstance(value, str):
            return value
        if value is None or pd.isna(value):
            return _MARK
        return fmt.number(int(value))

    return _REF.sub(one, text)


# -- the true values of hidden cells, for the one check that needs them ------------------------
class Hidden(NamedTuple):
    """A hidden cell: its table, the label of its row (first column), its column, whether it is
    a ``count`` or a ``share`` and its true value. Only :func:`evaluation.compute.factcheck.redact_hidden`
    reads these, to keep a number typed in the evaluator's text from stating a hidden cell."""

    table: str
    label: str
    column: str
    kind: str
    value: float


def hidden_cells(raw_tables, protected_tables) -> tuple[Hidden, ...]:
    """Every numeric cell that disclosure control hid (``..`` in ``protected_tables``), with its
    true value from ``raw_tables`` (both :class:`evaluation.core.model.Table`, same ids and shapes).

    Read a column at a time (as lists), and only the columns that can hold ``..`` (not of a
    numeric type): read a cell at a time through pandas it took 9.0 CPU-ms a bench report, now 3.0."""
    out = []
    raw_by_id = {t.id: t for t in raw_tables}
    for table in protected_tables:
        raw = raw_by_id.get(table.id)
        if raw is None or raw.frame is table.frame or not len(table.frame.columns):
            continue
        labels = None
        numeric = {c for c, dtype in raw.frame.dtypes.items() if pd.api.types.is_numeric_dtype(dtype)}
        for column, dtype in table.frame.dtypes.items():
            if pd.api.types.is_numeric_dtype(dtype) or column not in raw.frame.columns:
                continue  # a number column holds no mark
            marked = [i for i, v in enumerate(table.frame[column].tolist()) if isinstance(v, str) and v == _MARK]
            if not marked:
                continue
            kind = table.columns.get(column, ("", ""))[1]
            kind = "share" if kind in ("share", "change_share") or column.startswith("andel") else "count"
            values = raw.frame[column].tolist()
            values = [values[i] for i in marked]
            if column not in numeric:
                values = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").tolist()
            labels = raw.frame[table.frame.columns[0]].tolist() if labels is None else labels
            out += [Hidden(table.id, str(labels[i]), column, kind, float(value))
                    for i, value in zip(marked, values) if pd.notna(value)]
    return tuple(out)
