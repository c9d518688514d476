"""``tabeller/<id>.csv``: every table the report shows, machine-readable (contract §6).

UTF-8, ``,`` separator, ``.`` decimals, shares as unrounded fractions. A text cell that a
spreadsheet would run as a formula (it begins with ``=``, ``+``, ``-``, ``@``, tab or carriage
return) gets a leading ``'`` (OWASP's advice on CSV injection); numbers stay numbers.
"""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from evaluation.core.model import Document

#: First characters that make a spreadsheet treat a text cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """A text value that no spreadsheet runs as a formula; other values unchanged.

    >>> inert('=HYPERLINK("http://x")'), inert("-"), inert(-3), inert("Arbete")
    ('\\'=HYPERLINK("http://x")', "'-", -3, 'Arbete')
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def inert_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and headers are inert."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_object_dtype(out[column]) or pd.api.types.is_string_dtype(out[column]):
            risky = out[column].map(lambda v: isinstance(v, str) and v.startswith(FORMULA_START))
            if risky.any():
                out[column] = out[column].astype(object).where(~risky, "'" + out[column].astype(str))
    out.columns = [inert(str(c)) for c in out.columns]
    return out


def _plain(dtype) -> bool:
    """Whether pandas' ``to_csv`` writes a column of ``dtype`` as Python's ``csv`` writes its values
    as objects, a missing value as ``""``: numpy integers and booleans, float64 (numpy's text of a
    float64 is Python's ``repr``), Python objects and text. Not so dates as datetime64 (pandas
    formats them), categories or nullable integers."""
    if isinstance(dtype, pd.StringDtype):
        return True
    return isinstance(dtype, np.dtype) and (dtype.kind in "iubO" or dtype == np.float64)


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """``frame`` as CSV, inert, byte for byte as ``inert_frame(frame).to_csv(path, index=False)``.

    A frame of plain columns (:func:`_plain`, all of the reports' tables) is written by Python's
    ``csv`` writer from its values, without pandas' copy, per-column checks and writer: 40 → 8
    CPU-ms for a bench report's 18 tables (a sixth of a worker's part of an HTML report). Any other
    goes through pandas.
    """
    if len(frame.columns) == 0 or isinstance(frame.columns, pd.MultiIndex) or not all(map(_plain, frame.dtypes)):
        inert_frame(frame).to_csv(path, index=False, encoding="utf-8")
        return
    values = frame.to_numpy(dtype=object, copy=True)  # a copy: blanking the missing values leaves the table as it is
    values[pd.isna(values)] = ""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([inert(str(c)) for c in frame.columns])
        writer.writerows([inert(v) for v in row] for row in values.tolist())


def written(doc: Document) -> list:
    """The tables ``tabeller/`` holds: those the report shows (``mal`` when it shows the goals, which
    it shows split by level). A table computed but not shown (a slutrapport's results by exit reason,
    a sub-insats's result) is left out: it tells a reader nothing, and beside the other reports of the
    insats it would give small counts back by subtraction."""
    shown = {t.id for t in doc.shown_tables}
    return [t for t in doc.tables if t.id in shown or (t.id == "mal" and any(s.startswith("mal_") for s in shown))]


def write(doc: Document, folder: Path) -> None:
    target = folder / "tabeller"
    target.mkdir()
    for table in written(doc):
        write_table(table.frame, target / f"{file_stem(table.id)}.csv")


#: Longest file name stem written (file systems allow 255 bytes).
MAX_STEM = 100


def file_stem(table_id: str) -> str:
    """A table's file name stem: its id, or when too long its start and a short hash (unique).

    >>> file_stem("resultat"), len(file_stem("x" * 300))
    ('resultat', 100)
    """
    import hashlib
    import re
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", table_id)
    if len(stem) <= MAX_STEM:
        return stem
    return f"{stem[:MAX_STEM - 9]}-{hashlib.sha1(table_id.encode()).hexdigest()[:8]}"
