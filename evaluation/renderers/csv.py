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


#: The table ids the input contract (§6) names as stable: written whenever the report has them,
#: shown or not (``enkat_<enkat>`` too), so that a förbund's scripts find them in every report.
CONTRACT_IDS = ("deltagare_kon", "alder", "utbildning", "tid_i_forsorjning", "resultat", "avslutsanledning_kon",
                "forsorjning_fore_efter", "delinsatser", "uppfoljning", "mal")


def written(doc: Document) -> list:
    """The tables ``tabeller/`` holds: those the report shows, and those of the contract's stable
    ids. Another table computed but not shown (a sub-insats's result in a slutrapport) is left out:
    it tells a reader nothing, and beside other reports of the insats it widens what can be subtracted."""
    shown = doc.shown_tables
    return [t for t in doc.tables if t in shown or t.id in CONTRACT_IDS
            or (t.id.startswith("enkat_") and "_" not in t.id[len("enkat_"):])]


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
