"""The periods of a report's *Nyckeltal per period*: earlier periods of the same length as the
report's, and their labels.
"""
from __future__ import annotations

import datetime as dt

from evaluation.compute.tables import Window
from evaluation.core import fmt

__all__ = ["earlier_windows", "period_label", "whole_months"]


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def whole_months(w: Window) -> int | None:
    """The number of whole calendar months ``w`` spans, or ``None`` when it does not."""
    after = w.end + dt.timedelta(days=1)
    if w.start.day != 1 or after.day != 1:
        return None
    return (after.year - w.start.year) * 12 + after.month - w.start.month


def earlier_windows(w: Window, first_start: dt.date) -> list[Window]:
    """Periods of the same length as ``w`` that end before it starts, oldest first.

    Whole-month periods step back by the same number of calendar months (a May–April year
    gives earlier May–April years); other periods step back by the same number of days. Only
    periods that end on or after ``first_start`` (the first enrolment) are returned.

    >>> earlier_windows(Window(dt.date(2024, 1, 1), dt.date(2024, 6, 30)), dt.date(2023, 3, 1))
    [Window(start=datetime.date(2023, 1, 1), end=datetime.date(2023, 6, 30)), Window(start=datetime.date(2023, 7, 1), end=datetime.date(2023, 12, 31))]
    """
    months = whole_months(w)
    days = (w.end - w.start).days + 1
    out: list[Window] = []
    start = w.start
    while True:
        if months:
            previous = _add_months(start, -months)
        else:
            previous = start - dt.timedelta(days=days)
        window = Window(previous, start - dt.timedelta(days=1))
        if window.end < first_start:
            break
        out.append(window)
        start = previous
    return out[::-1]


def period_label(w: Window) -> str:
    """``2023`` for a calendar year, ``2023-05 – 2024-04`` for whole months, else the dates."""
    months = whole_months(w)
    if months == 12 and w.start.month == 1:
        return str(w.start.year)
    if months:
        return f"{w.start:%Y-%m} – {w.end:%Y-%m}"
    return f"{fmt.iso(w.start)} – {fmt.iso(w.end)}"
