"""The years a date in the inputs may have: 1900 to next year.

Year 1 or 9999 is a typing slip, and would stop the report's date arithmetic far from where it
was written; every reader of a date (the register's cells, survey answers, the parameters'
period, ``evaluation new --period``) asks :func:`year_problem` and names its own place.
"""
from __future__ import annotations

import datetime as dt

#: Earliest year of a date in the inputs; the latest is next year.
MIN_YEAR = 1900


def year_problem(day: dt.date) -> str | None:
    """Why the year of ``day`` is not sane, in Swedish, or ``None`` when it is.

    >>> year_problem(dt.date(2024, 5, 1)) is None
    True
    >>> year_problem(dt.date(1, 1, 1))
    'året 1 är inte rimligt; datum ska ligga mellan år 1900 och ... (ÅÅÅÅ-MM-DD). Rätta årtalet'
    """
    last = dt.date.today().year + 1
    if MIN_YEAR <= day.year <= last:
        return None
    return (f"året {day.year} är inte rimligt; datum ska ligga mellan år {MIN_YEAR} och {last} "
            "(ÅÅÅÅ-MM-DD). Rätta årtalet")
