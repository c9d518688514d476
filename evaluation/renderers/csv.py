"""``tabeller/<id>.csv``: every table the report shows, machine-readable (contract §6).

UTF-8, ``,`` separator, ``.`` decimals, shares as unrounded fractions. A text cell that a
spreadsheet would run as a formula (it begins with ``=``, ``+``, ``-``, ``@``, tab or carriage
return) gets a leading ``'`` (OWASP's advice on CSV injection); numbers stay numbers.
"""
from __future__ import annotations

from pathlib import Path

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
        inert_frame(table.frame).to_csv(target / f"{file_stem(table.id)}.csv", index=False, encoding="utf-8")


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
