"""What a table holds that is refused: personal data in its cells and column names (also split
over two cells or two names side by side, or a name and the cell under it), and text saved in a
second encoding. Each problem names row and column, never the value (:func:`evaluation.inputs.files.read_table`).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from evaluation.core import pii, piiscan
from evaluation.core.errors import Violation, column_named
from evaluation.inputs import csvread  # noqa: F401 - registers the "evaluation-c1" error handler _is_mojibake uses

if TYPE_CHECKING:
    from evaluation.inputs.files import RawTable


def _joined_pnr(header: str, first) -> bool:
    """Whether a column's header and the cell under it read as one personnummer (its check digit
    fitting) that the cell does not hold alone (a cell that does is refused as a cell, a header
    as a header)."""
    cell = "" if pd.isna(first) else str(first)
    return pii.holds_pnr(f"{header}\n{cell}", luhn=True) and not pii.holds_pnr(cell)


def refused_headers(raw: RawTable) -> dict[str, Violation]:
    """The column names that hold personal data, by column; the name is never in the problem."""
    problems = {}
    for key, shown in raw.original_headers.items():
        if pii.value_kind(shown):
            problems[key] = Violation(1, raw.place(key), (
                f"kolumnrubriken ser ut att vara {pii.with_article(pii.value_kind(shown))} (visas inte). "
                "Byt rubriken mot kolumnens namn enligt datakontraktet."
            ))
        elif pii.column_kind(key):
            problems[key] = Violation(1, shown, (
                f"kolumnnamnet tyder på personuppgifter ({pii.column_kind(key)}). Indata ska vara "
                "pseudonymiserade: ta bort kolumnen ur filen och exportera igen."
            ))
        elif len(raw.frame) and key in raw.frame.columns and _joined_pnr(shown, raw.frame[key].iloc[0]):
            problems[key] = Violation(1, raw.place(key), (  # the header is never quoted: it is half
                f"kolumnrubriken blir tillsammans med cellen under den något som ser ut som "
                f"{pii.with_article(pii.PNR)} (värdena visas inte). Indata får inte innehålla personuppgifter, "
                "inte heller delade på två celler: byt rubriken mot kolumnens namn enligt datakontraktet."
            ))
    named = list(raw.original_headers.items())
    for (left, shown), (right, beside) in zip(named, named[1:]):
        if left not in problems and right not in problems and pii.looks_like_pnr(f"{shown} {beside}", luhn=True):
            problems[left] = problems[right] = Violation(1, raw.place(left), (  # neither is quoted: each is half
                f"kolumnrubriken blir tillsammans med rubriken bredvid, i {raw.place(right)}, något som ser ut "
                f"som {pii.with_article(pii.PNR)} (värdena visas inte). Indata får inte innehålla personuppgifter, "
                "inte heller delade på två celler: byt rubrikerna mot kolumnernas namn enligt datakontraktet."
            ))
    return problems


#: The folder of the survey exports (data contract §4): a cell there is a respondent's answer.
SURVEY_FOLDER = "enkater"
#: What to do with personal data in a cell: in the register, a code for the person; in a survey
#: answer, the detail out of the answer (there is no person to give a code).
_CELL_ADVICE = "ta bort uppgiften eller ersätt personen med en kod (t.ex. D0001)."
_ANSWER_ADVICE = ("ta bort uppgiften ur svaret i svarsfilen (resten av svaret kan stå kvar), eller ta bort hela "
                  "svaret om inget annat finns i det.")


def personal_data(raw: RawTable) -> list[Violation]:
    """Cells and column names that hold personal data; the value is never in the problem."""
    advice = _ANSWER_ADVICE if raw.path.parent.name.lower() == SURVEY_FOLDER else _CELL_ADVICE
    headers = refused_headers(raw)
    problems = list(dict.fromkeys(headers.values()))  # two names side by side: one problem
    # a column whose name is refused unquoted is named by its place in every problem (its name may be half a number)
    name = {key: raw.place(key) if key in headers and headers[key].column != shown else shown
            for key, shown in raw.original_headers.items()}
    for label, column, kind in piiscan.scan_frame(raw.frame):
        mobile = kind == pii.PNR and pii.mobile_shaped(str(raw.frame.at[label, column]))
        problems.append(Violation(raw.row_number(label), name.get(column, column), (
            f"innehåller något som ser ut som {pii.with_article(kind)}"
            + (", eller ett mobilnummer, som också stoppas här" if mobile else "") + " (värdet visas inte). Indata får inte "
            f"innehålla personuppgifter: {advice}"
        )))
    for label, left, right in piiscan.side_by_side(raw.frame):
        problems.append(Violation(raw.row_number(label), name.get(left, left), (
            f"blir tillsammans med cellen bredvid, i {column_named(name.get(right, right), definite=True)}, "
            f"något som ser ut som {pii.with_article(pii.PNR)} (värdena visas inte). Indata får inte innehålla "
            "personuppgifter, inte heller delade på två celler: ta bort uppgiften."
        )))
    return problems


def mixed_encoding(raw: RawTable) -> list[Violation]:
    """Cells whose text is UTF-8 read as Windows-1252 (``HÃ¤lsa`` for ``Hälsa``)."""
    problems = []
    advice = (
        "texten är felkodad (t.ex. 'Ã¤' där det ska stå 'ä'): raden har sparats med en annan "
        "teckenkodning än resten av filen. Spara om hela filen med en och samma kodning "
        "(helst UTF-8) och kontrollera texten."
    )
    for key, shown in raw.original_headers.items():
        if _is_mojibake(shown):
            problems.append(Violation(1, shown, advice))
    for column in raw.frame.columns:
        values = raw.frame[column]
        codes, uniques, all_text = piiscan.distinct(values)
        array = piiscan.text_array(uniques, all_text) if len(uniques) > 1000 else None
        wide = (np.flatnonzero(~pc.string_is_ascii(array).to_numpy(zero_copy_only=False))
                if array is not None else range(len(uniques)))
        bad = [i for i in wide if isinstance(uniques[i], str) and not uniques[i].isascii() and _is_mojibake(uniques[i])]
        if not bad:
            continue
        flagged = values.index[np.isin(codes, bad)]
        problems.extend(Violation(raw.row_number(label), raw.original_headers[column], advice) for label in flagged)
    return problems


#: A lead byte of a UTF-8 sequence read as Windows-1252 (Â..ô) and a continuation byte.
_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
    "\u02dc\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


def _is_mojibake(text: str) -> bool:
    """True when ``text`` is UTF-8 bytes that were decoded as Windows-1252."""
    if not isinstance(text, str) or not _MOJIBAKE.search(text):
        return False
    try:
        return text.encode("cp1252", errors="evaluation-c1").decode("utf-8") != text
    except UnicodeError:
        return False
