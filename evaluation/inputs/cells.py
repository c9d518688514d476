"""Text cells as every reader gives them: letters composed, control characters gone, invisible
characters gone from the ends, and which cells are empty.

Called by :func:`evaluation.inputs.files.read_table` on what a reader (:mod:`.csvread`,
:mod:`.xlsxread`) read, and by :func:`evaluation.inputs.textfiles.read_text` on a text.
pandas is imported only by the two functions on a table's columns: loading parameters uses the
text functions alone, and does not import it (:mod:`~evaluation.inputs.textfiles` says what it saves).
"""
from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from evaluation.core.errors import Violation
from evaluation.core.pii import CONTROLS, INVISIBLE, quote

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

_INVISIBLE_EDGES = re.compile(f"^[\\s{INVISIBLE}]+|[\\s{INVISIBLE}]+$")
_JOINERS = "\u200c\u200d"  # ZWNJ, ZWJ: they shape some scripts and emoji in free-text answers
#: What goes from inside a value, in one translation: the invisible characters but the joiners
#: ("Kv\u200binna" is not the allowed "Kvinna", and a message could not show why), and control
#: characters (:data:`~evaluation.core.pii.CONTROLS`: no one types them, and Excel and Word cannot
#: hold them; "Steg\x07et" was a sheet name openpyxl refused). A vertical tab or form feed, which
#: some exports write for a line break inside a cell, becomes one.
_INSIDE = {**dict.fromkeys(map(ord, CONTROLS + INVISIBLE), None), **{ord(c): c for c in _JOINERS},
           0x0b: "\n", 0x0c: "\n"}
#: A control character (:data:`~evaluation.core.pii.CONTROLS`), which no input may hold as it is.
CONTROL = re.compile(f"[{re.escape(CONTROLS)}]")


def composed(text: str) -> str:
    """``text`` with each letter one character (Unicode NFC): a Mac, or a web form, may write
    ``ö`` as ``o`` and a combining diaeresis, which looks the same but compares different.

    >>> composed("Ko\u0308n") == "Kön", len("Ko\u0308n"), len(composed("Ko\u0308n"))
    (True, 4, 3)
    """
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def plain(text: str) -> str:
    """``text`` :func:`composed`, without control characters, nor invisible characters but the
    joiners (a vertical tab or form feed becomes a line break); its spaces as written.

    >>> plain("Steg\\x07et "), plain("Arbets\u00adför\u200bmedlingen\\n")
    ('Steget ', 'Arbetsförmedlingen\\n')
    """
    return composed(text).translate(_INSIDE)


def tidy(text: str) -> str:
    """``text`` :func:`plain`, without invisible characters or spaces at either end.

    >>> tidy("\u200bKvinna\ufeff "), tidy("Ko\u0308n") == "Kön", tidy("Arbets\u00adför\u200bmedlingen")
    ('Kvinna', True, 'Arbetsförmedlingen')
    >>> tidy("Kvinna \\x1b"), tidy("Steg\\x07et"), tidy("rad ett\\x0brad två")
    ('Kvinna', 'Steget', 'rad ett\\nrad två')
    """
    return _INVISIBLE_EDGES.sub("", plain(text))


#: The longest heading the evaluator may write: a heading is one line in the contents, a Word
#: heading and a PDF bookmark (200 characters fill three lines of a page already).
MAX_HEADING = 200


def heading_too_long(title: str) -> str | None:
    """What is wrong with a heading longer than :data:`MAX_HEADING`, else ``None``.

    >>> heading_too_long("Bakgrund") is None, heading_too_long("x" * 201)[:40]
    (True, 'rubriken har 201 tecken; högst 200 går i')
    """
    if len(title) <= MAX_HEADING:
        return None
    return (f"rubriken har {len(title)} tecken; högst {MAX_HEADING} går in på en rad i innehållsförteckningen. "
            "Korta den, och skriv resten som text i avsnittet")


def tidy_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text cell and header :func:`tidy` (worked out per distinct value, and only for a
    column that needs it: most need nothing, which one pass over their texts tells)."""
    import pandas as pd  # here, not above: the parameters' checks use this module's texts only

    frame.columns = [tidy(c) if isinstance(c, str) else c for c in frame.columns]
    for i in range(frame.shape[1]):
        column = frame.iloc[:, i]
        categorical = isinstance(column.dtype, pd.CategoricalDtype)
        if not categorical and column.dtype != object:
            continue
        if _tidy_already(column.cat.categories if categorical else column.to_numpy()):
            continue
        values = column.cat.categories if categorical else pd.unique(column)
        changed = {v: tidy(v) for v in values if isinstance(v, str) and tidy(v) != v}
        if categorical and len(set(column.cat.categories) - set(changed) | set(changed.values())) == len(values):
            frame.isetitem(i, column.cat.rename_categories(lambda v: changed.get(v, v)))
        else:
            shown = column.astype(object).map(lambda v: changed.get(v, v) if isinstance(v, str) else v)
            frame.isetitem(i, shown.astype("category") if categorical else shown)
    return frame


def _tidy_already(values) -> bool:
    """Whether every text among ``values`` is as :func:`tidy` leaves it, in one pass over their
    joined text (no letter composes across a line break). Most columns are plain ASCII (ids,
    dates, codes): then the answer needs no look at a value at all.

    >>> _tidy_already(["D01", 1995, None]), _tidy_already(["Kvinna", "Ko\u0308n"]), _tidy_already(["a\u200b", "b\x07"])
    (True, False, False)
    """
    try:
        joined = "\n".join(values)
    except TypeError:  # not text only (numbers, dates, empty cells)
        joined = "\n".join(v for v in values if isinstance(v, str))
    if CONTROL.search(joined):
        return False
    return joined.isascii() or (unicodedata.is_normalized("NFC", joined) and not any(c in joined for c in INVISIBLE))


def empty_cells(values: pd.Series) -> np.ndarray:
    """Which cells are the empty text (through the categories for a categorical column).

    >>> import pandas as pd
    >>> empty_cells(pd.Series(["", "ja", ""], dtype="category")).tolist()
    [True, False, True]
    """
    import numpy as np
    import pandas as pd

    if isinstance(values.dtype, pd.CategoricalDtype):
        empty = np.asarray(values.cat.categories == "", dtype=bool)
        codes = values.cat.codes.to_numpy()
        return empty[codes] if empty.any() else np.zeros(len(values), dtype=bool)
    return np.asarray(values == "", dtype=bool)


def repeated_headers(names, place) -> dict[int, Violation]:
    """The columns of a header row that name a column named before them, by 0-based position,
    each with its problem: a reader would keep one of them unsaid (pandas renames the second
    ``kon.1``, which is then "an unknown column"; a mapping keeps the last, in the place of the
    first). The reader names such a column by its place instead, so that its cells are still
    read and checked (personal data there is said in the same run). ``place(i)`` is how the user
    finds the column at ``i`` (Excel's letter; a CSV's number). Empty names are named by place elsewhere.

    >>> repeated_headers(["kon", "", "ålder", ""], str)
    {}
    >>> print(repeated_headers(["kon", "ålder", " kon "], lambda i: str(i + 1))[2].describe())
    rad 1: kolumnen 'kon' står två gånger, i kolumn 1 och 3. Ta bort den ena, eller ge den ett eget namn, och kör igen.
    """
    seen: dict[str, int] = {}
    repeated = {}
    for index, name in enumerate(names):
        key = "" if name is None else str(name).strip()
        if not key:
            continue
        if key in seen:
            repeated[index] = Violation(1, None, (
                f"kolumnen {quote(key)} står två gånger, i kolumn {place(seen[key])} och {place(index)}. Ta bort "
                "den ena, eller ge den ett eget namn, och kör igen."))
            continue
        seen[key] = index
    return repeated
