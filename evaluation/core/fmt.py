"""Swedish formatting of numbers, shares and dates (babel, locale sv_SE).

>>> number(1234)
'1\\xa0234'
>>> percent(0.17)
'17,0\\xa0%'
>>> percent(0.48, decimals=0)
'48\\xa0%'
"""
from __future__ import annotations

import datetime as dt
import math

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from evaluation.core.vocab import DASH

LOCALE = "sv_SE"
#: The locale parsed once (babel parses a locale name again at every call: a third of a number's cost).
_SV = Locale.parse(LOCALE)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


#: The largest number an input may give (a trillion): larger than any amount, count or scale of an
#: insats's report, and far below where rounding to decimals fails (28 significant digits).
MAX_NUMBER = 1e12


def number(value, decimals: int = 0) -> str:
    """A count or amount: ``1 234``; ``–`` when missing."""
    if _missing(value):
        return DASH
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return _minus(format_decimal(value, format=pattern, locale=_SV))


def _minus(text: str) -> str:
    """A negative number with the typographic minus sign (−), as Swedish print writes it.

    >>> number(-460000)
    '−460\xa0000'
    """
    return "\u2212" + text[1:] if text.startswith("-") else text


def decimal(value) -> str:
    """A measure with up to two decimals, trailing zeros dropped: ``1.5`` → ``1,5``, ``50.0`` → ``50``."""
    if _missing(value):
        return DASH
    return _minus(format_decimal(value, format="#,##0.##", locale=_SV))


def percent(share, decimals: int = 1) -> str:
    """A share given as a fraction 0–1: ``0.17`` → ``17,0 %``; ``–`` when missing."""
    if _missing(share):
        return DASH
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "\u00a0%"
    return format_percent(share, format=pattern, locale=_SV)


def share_decimals(base) -> int:
    """Decimals of a share of ``base`` people: whole percents under 10 (one person is 10 % or
    more, a decimal would claim a precision the data do not have), else one.

    >>> share_decimals(3), share_decimals(44)
    (0, 1)
    """
    return 0 if base is not None and base < 10 else 1


def signed_percent(share, decimals: int = 0) -> str:
    """A change given as a fraction, with its sign: ``-0.42`` → ``−42 %``."""
    if _missing(share):
        return DASH
    text = percent(abs(share), decimals)
    if share > 0:
        return "+" + text
    if share < 0:
        return "\u2212" + text
    return text


def signed_number(value) -> str:
    """A change in a count, with its sign: ``-14`` → ``−14``."""
    if _missing(value):
        return DASH
    text = number(abs(value))
    return ("+" if value > 0 else "\u2212" if value < 0 else "") + text


def date(value: dt.date) -> str:
    """A date as Swedish readers expect it in prose: ``1 maj 2020``."""
    return format_date(value, format="d MMMM y", locale=_SV)


def iso(value: dt.date) -> str:
    """A date as in tables and headings: ``2020-05-01``."""
    return value.isoformat()


def _day_month(value: dt.date) -> str:
    return format_date(value, format="d MMM", locale=_SV).rstrip(".")


def period(start: dt.date, end: dt.date) -> str:
    """A period as people write it: whole calendar years as years, otherwise day and short month.

    >>> period(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    '2024'
    >>> period(dt.date(2022, 1, 1), dt.date(2024, 12, 31))
    '2022–2024'
    >>> period(dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    '1 jan – 30 juni 2025'
    >>> period(dt.date(2024, 5, 1), dt.date(2025, 4, 30))
    '1 maj 2024 – 30 apr 2025'
    """
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    if start.year == end.year:
        return f"{_day_month(start)} – {_day_month(end)} {end.year}"
    return f"{_day_month(start)} {start.year} – {_day_month(end)} {end.year}"

def heading_text(number: str, title: str) -> str:
    """``1. Titel`` for a top number, ``2.3 Titel`` below it, the title alone without a number.

    >>> heading_text("1", "Sammanfattning"), heading_text("4.1.2", "Effekt"), heading_text("", "Bilaga")
    ('1. Sammanfattning', '4.1.2 Effekt', 'Bilaga')
    """
    if not number:
        return title
    return f"{number}{'.' if '.' not in number else ''} {title}"


def swedish_list(items: list[str]) -> str:
    """``['a', 'b', 'c']`` → ``'a, b och c'``.

    >>> swedish_list(["100 män", "56 kvinnor"])
    '100 män och 56 kvinnor'
    """
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]


def shortened(text: str, limit: int) -> str:
    """``text`` when it has at most ``limit`` characters; else cut to fit with "…", after a whole
    word when one ends in the last two thirds of what fits.

    >>> shortened("Samordningsteamet för unga vuxna i Exempeldalen", 30)
    'Samordningsteamet för unga…'
    >>> shortened("Steget", 30), len(shortened("x" * 300, 255))
    ('Steget', 255)
    """
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    space = cut.rfind(" ")
    if space > limit // 3:
        cut = cut[:space]
    return cut.rstrip(" ,;:–-·") + "…"


def plural(n: int, one: str, many: str) -> str:
    """The count with the word in the right number.

    >>> plural(1, "rapport", "rapporter"), plural(2, "rapport", "rapporter")
    ('1 rapport', '2 rapporter')
    """
    return f"{n} {one if n == 1 else many}"
