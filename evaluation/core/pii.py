"""Recognising personal data in input tables: identity numbers, e-mail addresses, phone numbers
and columns whose name says they hold personal identifiers.

Pure functions; nothing here reads files or echoes a value it found. Inputs to the toolkit must
be pseudonymised, so :mod:`evaluation.inputs.files` refuses a table in which any of these is found.

Personnummer and samordningsnummer (day + 60) are recognised in every common form: 10 or 12
digits, with ``-`` (or ``--``), ``+``, an en or em dash, ``/`` and the other marks of :data:`_SEP`,
spaces or nothing before the last four digits (those also as two pairs, ``-98 76``),
an optional letter prefix (``P900101-1234``) and the date written with dashes
(``1990-01-01-1234``), dots, non-breaking or zero-width spaces (:func:`normalise`), wrapped
over two lines, or hidden by the markup of Markdown or YAML (:func:`as_read`). The date
must be a calendar date, so ordinary ids, codes and dates are not mistaken for one; the check
digit is not required to fit (a mistyped check digit still gives a person's birth date and
number). :func:`text_hits` scans a whole text file, :func:`redact` and :func:`quote` keep found
values out of every message.

>>> value_kind("Ring 070-123 45 67")
'telefonnummer'
>>> value_kind("P811218–9876"), value_kind("D0001")
('personnummer eller samordningsnummer', None)
>>> column_kind("E-post"), column_kind("deltagar_id")
('e-postadress', None)

Longer than 400 lines: one concern, personal data in text, recognised in every form it is written
(:func:`normalise`, :func:`as_read`) and kept out of every message by the same patterns
(:func:`redact`, :func:`quote`); whole tables are :mod:`evaluation.core.piiscan`.
"""
from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import re
import unicodedata

PNR = "personnummer eller samordningsnummer"
EMAIL = "e-postadress"
PHONE = "telefonnummer"
NAME = "namn"
ADDRESS = "adress"

# Dashes a spreadsheet or word processor may put in a personnummer: hyphen, en/em dash, minus, and
# the dashes of other scripts that look like one (modifier minus, Armenian hyphen, wave dash …).
_DASH_CHARS = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u02d7\u058a\u2043\u2e3a\u2e3b\u301c\u30fc"
_DASHES = "\\" + _DASH_CHARS  # for a character class: the hyphen escaped
#: Space around the separator, with at most one line break: a number wrapped at the end of a line
#: ("811218-" and "9876" on the next) reads as one on the page.
_GAP = r"[ \t]*(?:\r?\n[ \t]*)?"
#: The separator before the last four digits: a dash (or two or three, "811218 -- 9876"), or one of
#: the other marks a writer may put there (``+``, ``/``, ``.``, ``:``, ``,``, ``#``, ``=``),
#: spaces around it; or only spaces or a line break. Not ``|``: a Markdown table's cells, a date
#: beside an amount (``| 240301 | 1500 |``); :func:`as_read` joins them when a dash stands beside.
#: ``_`` too (``850802_1234``), but a recent date and a clock time so joined are a file name's time
#: stamp (``export_20240312_1430.xlsx``): then only when the check digit fits (:func:`_stamped`).
_SEP = rf"(?:{_GAP}(?:[{_DASHES}]{{1,3}}|[+/.:,#=_]){_GAP}|[ \t]*\r?\n[ \t]*|[ \t]+)?"
#: After a date written with its dashes, not ``,`` ``#`` ``=``: "2024-03-01, 1500 kr" is a date and an amount.
_DATED_SEP = rf"(?:{_GAP}(?:[{_DASHES}]{{1,3}}|[+/.:]){_GAP}|[ \t]*\r?\n[ \t]*|[ \t]+)?"
#: The last four digits, also written in two pairs ("811218-98 76").
_TAIL = r"\d{2}[ \t]?\d{2}"
_DATE_SEP = rf"[{_DASHES}/. ]"
#: Digits YY(YY)MMDD, an optional separator and NNNC; letters may come right before (P-prefix).
_PNR_PLAIN = rf"(?<!\d)(?P<c1>\d{{2}})??(?P<d1>\d{{6}})(?P<s1>{_SEP})(?P<n1>{_TAIL})(?!\d)"
#: (YY)YY-MM-DD-NNNC; not part of a date range such as 2024-01-01-2024-12-31.
_PNR_DATED = (
    rf"(?<!\d)(?<!\d[{_DASHES}/])(?P<c2>\d{{2}})?(?P<y2>\d{{2}}){_DATE_SEP}(?P<m2>\d{{2}}){_DATE_SEP}(?P<dd2>\d{{2}})"
    rf"(?P<s2>{_DATED_SEP})(?P<n2>{_TAIL})(?!\d)(?![ \t]*[{_DASHES}/][ \t]*\d)(?![:.]\d)"
)
_PNR = re.compile(f"{_PNR_PLAIN}|{_PNR_DATED}")
#: An address, also written "anna(at)kommun.se", "anna [at] kommun.se", "anna (@) kommun.se" or
#: "anna(snabel-a)kommun.se" against spam robots.
AT = r"[(\[][ \t]*(?:at|@|snabel-?a)[ \t]*[)\]]"
#: A domain's dot, also written "kommun . se", "kommun[.]se", "kommun(dot)se" or "kommun [dot] se".
_DOT = r"(?:\.|[ \t]+\.[ \t]+|[ \t]?[(\[][ \t]*(?:\.|dot|punkt)[ \t]*[)\]][ \t]?)"
_AT = re.compile(AT, re.I)
#: The local part starts where a run of its characters starts (the lookbehind): a match tried
#: from inside a long run would scan it again, and a line of 20 000 letters took a minute.
_EMAIL = re.compile(rf"(?<![\w.%+-])[\w.%+-]+(?:[ \t]?@[ \t]?|[ \t]*{AT}[ \t]*)[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[^\W\d_]{{2,}}",
                    re.I)
#: Between the groups of a phone number: a space (or two), or '-', a dash or a dot of the middle (•, ·) with a
#: space or none around.
_GROUP = rf"(?:[ \t]?[{_DASHES}•·][ \t]?|[ \t]{{1,2}})?"  # two spaces: justified text, a copy from a PDF
#: Sweden's country code without its '+' or '00' before a mobile number: "46-70-123 45 67".
_CC = rf"46(?=[ \t{_DASHES}]?7)"
#: An area code in brackets, as in "(08) 123 456 78" or "(070) 123 45 67".
_AREA = r"\(0[1-9]\d{0,2}\)"
#: A Swedish area code as written before a slash or a dot: 08, or 0 and two or three digits
#: ("08/123 45 67", "0771/12 34 56", "070.123.45.67"). Not "01": no area code has two digits but 08.
_CODE = r"(?:08|0[1-9]\d{1,2})"
#: Swedish numbers: +46/0046/0, then 7-9 digits (first not 0) in groups (:data:`_GROUP`); an area code
#: in brackets (:data:`_AREA`) and 5-8 digits; an area code (or +46/0046 and the code without its 0), a
#: slash or a dot and 5-8 digits in groups ("070.123 45 67", "+46 70.123 45 67"; not the dates "08/12/2024",
#: "08.12 2024"); or three groups of 2-3 digits after the area code, each after a dot (not "08.12.2024");
#: or a mobile number after the country code written without '+' (:data:`_CC`). Letters or ``_`` glued
#: before it do not hide it (``nr070-123 45 67``, ``kontakt_070-123 45 67``); a digit before it does.
_PHONE = re.compile(
    rf"(?:(?<![\d+(])(?<!\d[{_DASHES}/.])(?:\(\+46\)|\+46|0046|0){_GROUP}(?:\(0\){_GROUP})?[1-9](?:{_GROUP}\d){{6,8}}"
    rf"|(?<![\d(]){_AREA}[ \t]?\d(?:{_GROUP}\d){{4,7}}"
    rf"|(?<![\d+./{_DASHES}]){_CODE}[ \t]?[/.][ \t]?(?!\d\d[ \t]+\d{{4}}(?![ \t]?\d))[1-9](?:{_GROUP}\d){{4,7}}"
    rf"|(?<![\d+./{_DASHES}]){_CODE}(?:\.\d{{2,3}}){{3}}"
    rf"|(?<![\d+])(?:\+46|0046){_GROUP}(?:\(0\){_GROUP})?[1-9]\d{{0,2}}[ \t]?[/.][ \t]?[1-9](?:{_GROUP}\d){{4,7}}"
    rf"|(?<![\d+.]){_CC}{_GROUP}7\d(?:{_GROUP}\d){{7}})"
    rf"(?!\d)(?![ \t]*[{_DASHES}/.][ \t]*\d)"
)
_COUNTING = "012345678910"


#: A time range written without colons, as in notes of a meeting ("0815–1100"): two clock times
#: joined by a dash, the first the earlier (the day's end written 2400).
_TIME_RANGE = re.compile(rf"([01]\d|2[0-3])([0-5]\d)[ \t]*[{_DASHES}][ \t]*([01]\d|2[0-3]|24(?=00))([0-5]\d)")
#: Words that make a number one to call, said just before it ("tel.", "ring", "växeln").
_CALL_WORDS = re.compile(r"(?:tel|tfn|telefon\w*|ring\w*|mobil\w*|nummer|nr|växel\w*|sms\w*)\W{0,3}$", re.I)


def _time_range(found: str, before: str = "") -> bool:
    """Whether ``found`` is only a time range (:data:`_TIME_RANGE`), and ``before`` (the text just
    before it) does not call it a number (:data:`_CALL_WORDS`).

    >>> _time_range("0815–1100"), _time_range("0815 - 2400"), _time_range("1100-0815"), _time_range("0815-2460")
    (True, True, False, False)
    >>> _time_range("0815–1100", "Mötet pågick "), _time_range("0815–1100", "Tel. "), _time_range("0815–1100", "ring ")
    (True, False, False)
    """
    times = _TIME_RANGE.fullmatch(found)
    return times is not None and times.group(1, 2) < times.group(3, 4) and not _CALL_WORDS.search(before[-16:])


def _phones(text: str):
    """The phone numbers in ``text``: :data:`_PHONE`'s matches but a count from 0 (a scale written
    "0 1 2 3 4 5 6 7 8 9 10" in a survey's question is no number to call) and a time range
    (``0815–1100``, :func:`_time_range`: a Stockholm number of six digits, written so, is rarer
    than a meeting's hours in an interview's notes); and a mobile number without its 0 after a word
    that calls it one (``mobil: 701234567``, :data:`_BARE_MOBILE`), in the order they stand."""
    found = [m for m in _PHONE.finditer(text)
             if not _COUNTING.startswith(re.sub(r"\D", "", m.group(0))) and not _scale(m.group(0))
             and not _time_range(m.group(0), text[max(0, m.start() - 16):m.start()])]
    found += [m for m in _BARE_MOBILE.finditer(text) if _MOBILE_WORDS.search(text[max(0, m.start() - 16):m.start()])]
    return iter(sorted(found, key=lambda m: m.start()))


def _scale(found: str) -> bool:
    """Whether ``found`` is a scale from 0 (``0 5 10 15 20 25``): a lone 0, then numbers rising.

    >>> _scale("0 5 10 15 20 25"), _scale("0  10  20  30"), _scale("08 12 18 98 76"), _scale("0 8 123 456 78")
    (True, True, False, False)
    """
    groups = [int(g) for g in re.findall(r"\d+", found)]
    return found.startswith("0") and not found[1:2].isdigit() and all(a < b for a, b in zip(groups, groups[1:]))


#: A Swedish mobile number without its leading 0, as a number cell keeps it (``701234567`` for
#: 070-123 45 67): nine digits, 70, 72, 73, 76 or 79 first. Alone in a cell it is refused
#: (:func:`value_kind`); in a text only after a word that calls it a number (:data:`_MOBILE_WORDS`),
#: as an amount of 701 234 567 kronor is not.
_BARE_MOBILE = re.compile(r"(?<![\d+.,])7[02369]\d{7}(?!\d)(?![.,]\d)")
#: Words that make a number one to call, as a word of their own ("Dnr", "diarienummer" are not).
_MOBILE_WORDS = re.compile(r"\b(?:tel|tfn|telefon\w*|ring\w*|mobil\w*|nummer|nr|sms\w*)\W{0,3}$", re.I)


#: Anything that could be one of the above: the cheap first pass over every distinct value.
_ANY = re.compile(
    rf"\d{{6}}{_SEP}{_TAIL}|\d{_DATE_SEP}\d{{2}}{_DATE_SEP}\d|@|{AT}"
    rf"|(?:\+46|0){_GROUP}(?:\(0\){_GROUP})?[1-9](?:{_GROUP}\d){{6}}|{_AREA}"
    rf"|{_CODE}(?:[ \t]?[/.][ \t]?[1-9]|\.\d{{2,3}}\.\d)"
    rf"|(?:\+46|0046){_GROUP}(?:\(0\){_GROUP})?[1-9]\d{{0,2}}[ \t]?[/.]|{_CC}|{_BARE_MOBILE.pattern}", re.I
)

def with_article(kind: str) -> str:
    """The kind with its Swedish article: ``'en e-postadress'``, ``'ett telefonnummer'``."""
    return f"en {kind}" if kind in (EMAIL, ADDRESS) else f"ett {kind}"


#: Normalised header words that name a personal identifier.
_COLUMN_WORDS = {
    **dict.fromkeys(("personnummer", "personnr", "pnr", "persnr", "samordningsnummer",
                     "samordningsnr", "ssn"), PNR),
    **dict.fromkeys(("namn", "fornamn", "efternamn", "tilltalsnamn", "mellannamn", "fullnamn",
                     "personnamn", "deltagarnamn", "name", "firstname", "lastname", "surname",
                     "fullname"), NAME),
    **dict.fromkeys(("epost", "epostadress", "email", "mail", "mailadress", "emailadress"), EMAIL),
    **dict.fromkeys(("telefon", "telefonnummer", "telnr", "tel", "mobil", "mobilnummer",
                     "mobiltelefon", "mobilnr", "phone", "telephone", "mobile"), PHONE),
    **dict.fromkeys(("adress", "gatuadress", "postadress", "hemadress", "address"), ADDRESS),
}
_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e"})


def luhn_ok(digits: str) -> bool:
    """The Luhn check of a digit string (the last digit is the check digit).

    >>> luhn_ok("8112189876"), luhn_ok("8112189875")
    (True, False)
    """
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _date_ok(century: str | None, yy: str, mm: str, dd: str) -> bool:
    """A calendar date; the day may be + 60 (samordningsnummer). Without a century any fits."""
    month, day = int(mm), int(dd)
    if day > 60:
        day -= 60
    years = [int(century + yy)] if century else [1900 + int(yy), 2000 + int(yy)]
    for year in years:
        if century and not 1850 <= year <= dt.date.today().year:
            continue
        try:
            dt.date(year, month, day)
            return True
        except ValueError:
            continue
    return False


#: How many years back a date joined to a clock time by ``_`` reads as a file name's time stamp.
STAMP_YEARS = 15


def _stamped(century: str | None, date: str, tail: str) -> bool:
    """Whether a date (YYMMDD, ``century`` apart) and four digits joined by ``_`` may be a file name's
    time stamp: a date of the last :data:`STAMP_YEARS` years and a clock time (``20240312_1430``).
    A person's number so written is found when its check digit fits.

    >>> _stamped("20", "240312", "1430"), _stamped("19", "850803", "1234"), _stamped(None, "850802", "1234")
    (True, False, False)
    >>> _stamped(None, "240312", "2460"), _stamped(None, "240372", "1430")  # no time; a samordningsnummer
    (False, False)
    """
    year = int((century or "20") + date[:2])
    today = dt.date.today()
    try:
        dt.date(year, int(date[2:4]), int(date[4:]))
    except ValueError:
        return False
    tail = tail.replace(" ", "").replace("\t", "")
    return today.year - STAMP_YEARS <= year <= today.year and int(tail[:2]) < 24 and int(tail[2:]) < 60


def _is_pnr(match: re.Match, luhn: bool = True) -> bool:
    g = match.groupdict()
    if g["d1"] is not None:
        century, date, tail = g["c1"], g["d1"], g["n1"]
        yy, mm, dd = date[:2], date[2:4], date[4:]
        luhn = luhn or ("_" in g["s1"] and _stamped(century, date, tail))
    else:
        century, yy, mm, dd, tail = g["c2"], g["y2"], g["m2"], g["dd2"], g["n2"]
        # "Per 2023-12-31: 1234 deltagare", "den 12.01.21 9848 besökare": a date of prose and a count,
        # unless the check digit fits (a date and its last four joined by a dash are a personnummer)
        luhn = luhn or len(g["s2"]) != 1 or g["s2"] not in _DASH_CHARS  # "per 2020-10-09 – 7349 ärenden" too
        if century is not None and "\n" in g["s2"]:  # a date ending a line, a year or a count starting the next
            return False
        if not g["s2"] and tail.strip() != tail.replace(" ", "").replace("\t", ""):  # "01.08.2020 11:45": the
            return False  # four digits would be a year's end and an hour
    tail = tail.replace(" ", "").replace("\t", "")
    return _date_ok(century, yy, mm, dd) and (not luhn or luhn_ok(yy + mm + dd + tail))


#: Between the digits of a number written oddly: a mark of :data:`_SEP` or another a writer may put
#: there (``;``, ``·``, ``•``, ``…`` (three dots once normalised), brackets, ``\\``, ``^``, quotes,
#: ``!``, ``?``, arrows), up to three with spaces between, or one line break. Not ``|``: a table's
#: date beside its amount.
_ODD_MARK = rf"[{_DASHES}+/._:,#=;·•()\\^'\"!?$%→<>]"
_ODD_GAP = rf"(?:[ \t]{{0,2}}(?:{_ODD_MARK}[ \t]?){{1,3}}[ \t]{{0,2}}|[ \t]{{1,2}}|[ \t]*\r?\n[ \t]*)"
_RUN = re.compile(rf"(?<!\d)\d+(?:{_ODD_GAP}\d+)+(?!\d)")
_GROUPS = re.compile(r"\d+")


def _odd_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` holds a personnummer written in a shape of its own (``811218;9876``,
    ``811 218-9876``, ``81.12.18-98.76``, ``8 1 1 2 1 8 - 9 8 7 6``, ``2023-12-31: 1234``): 10 or 12
    digits in groups (:data:`_ODD_GAP` between them) that make a calendar date and four digits whose
    check digit fits. Ordinary text takes such shapes too (a date and a count, a list of numbers), so
    here the check digit must fit: a real number is found, nine in ten of the numbers prose happens
    to put side by side are not.

    >>> [len(_odd_spans(t)) for t in ("811218;9876", "811 218-9876", "Per 2023-12-31: 1234", "811218;9875")]
    [1, 1, 0, 0]
    >>> _odd_spans("12 månader 2020-05-01 – 2021-05-01")  # 05 01 2021 05 would be a date and four digits
    []
    """
    if _digit_count(text) < 10:
        return []
    spans = []
    for run in _RUN.finditer(text):
        groups = [(m.start(), m.end(), m.group(0)) for m in _GROUPS.finditer(run.group(0))]
        for i in range(len(groups)):
            date, j = "", i
            while j < len(groups) and len(date) < 8:
                date += groups[j][2]
                j += 1
                # the date ends where a group ends ("2020-05-01 – 2021" holds none), grouped as dates are
                if len(date) in (6, 8) and _date_grouped(tuple(len(g) for *_, g in groups[i:j])):
                    tail, k = "", j
                    while k < len(groups) and len(tail) < 4:
                        tail += groups[k][2]
                        k += 1
                    text_of = run.group(0)
                    before = text_of[groups[i - 1][1]:groups[i][0]] if i else ""
                    after = text_of[groups[k - 1][1]:groups[k][0]] if k < len(groups) else ""
                    between = text_of[groups[j - 1][1]:groups[j][0]] if j < len(groups) else ""
                    inner = text_of[groups[j][1]:groups[j + 1][0]] if k - j == 2 else ""
                    if (len(tail) == 4 and tuple(len(g) for *_, g in groups[j:k]) in _TAIL_GROUPS
                            and not _DATE_GAP.match(after) and not _DATE_GAP.match(before)
                            and not (inner in (":", ".") and not between.strip())  # a time: 2020-05-12 12.45
                            and not (len(date) == 8 and "\n" in between)  # a date ending a line
                            and _fits(date, tail)):
                        spans.append((run.start() + groups[i][0], run.start() + groups[k - 1][1]))
    return spans


#: How the last four digits are grouped when written oddly: whole, in pairs, or digit by digit (not
#: 1 + 3: a count written "8 169", as the message about a date and a number advises).
_TAIL_GROUPS = {(4,), (2, 2), (1,) * 4}


def _date_grouped(lengths: tuple[int, ...]) -> bool:
    """Whether groups of these lengths may be a date written oddly: each of two digits or more
    (811 218, 8112 18, 2023-12-31), or digit by digit; a list of decimals ("12,3, 45,6") is not."""
    return all(n >= 2 for n in lengths) or all(n == 1 for n in lengths)
#: A gap after the four digits, or before the date, that makes them part of a date going on
#: ("2020-05-01 – 2021-05-01", "2022-02-01 08:00": 02 01 08 is no date of its own): a mark alone,
#: no space ("81.12.18-98.76. 12 andra" goes on as a sentence).
_DATE_GAP = re.compile(rf"[{_DASHES}/.]\Z")


_NOT_DIGITS = bytes(b for b in range(256) if not 0x30 <= b <= 0x39)


def _digit_count(text: str) -> int:
    """How many ASCII digits ``text`` holds (counted in C: a text file is long)."""
    return len(text.encode("utf-8", "replace").translate(None, _NOT_DIGITS))


def _fits(date: str, tail: str) -> bool:
    """A calendar date (YYMMDD or YYYYMMDD) and four digits whose check digit fits."""
    century = date[:2] if len(date) == 8 else None
    return luhn_ok(date[-6:] + tail) and _date_ok(century, date[-6:-4], date[-4:-2], date[-2:])


def looks_like_pnr(value: object, luhn: bool = True) -> bool:
    """True when ``value`` holds a personnummer or samordningsnummer.

    With ``luhn=False`` a wrong check digit does not clear it: for an id column, where a
    mistyped personnummer is still a personnummer.

    >>> looks_like_pnr("850101-1234"), looks_like_pnr("850101-1234", luhn=False)
    (False, True)
    """
    if not isinstance(value, str):
        return False
    plain = normalise(value)
    return any(_is_pnr(m, luhn) for m in _PNR.finditer(plain)) or bool(_odd_spans(plain))


#: Characters that do not show (zero-width space/joiners, word joiner, BOM, soft hyphen, Mongolian vowel
#: separator, marks and overrides of text direction): they split a number, and make a cell differ.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
#: Control characters but tab and the line breaks (a bell, an escape, NUL): no text shows them either.
CONTROLS = "".join(map(chr, [*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20), 0x7f]))
_CONTROLS = dict.fromkeys(map(ord, CONTROLS), None)
#: Line and paragraph separators of Unicode and the C1 next line: a page shows a space (the text's
#: line numbers count ``\n`` only).
_SPACED = dict.fromkeys(map(ord, "\u2028\u2029\u0085"), " ")
_INVISIBLE = {**dict.fromkeys(map(ord, INVISIBLE), None), **_CONTROLS, **_SPACED}


def normalise(text: str) -> str:
    """``text`` as the detector reads it: NFKC (non-breaking and other spaces become a space,
    full-width digits ASCII), invisible and control characters removed.

    >>> normalise("850505\u00a0-\u200b4321"), normalise("8505\\x0705-4321")
    ('850505 -4321', '850505-4321')
    >>> normalise("8\u03035\u03030505-4321"), normalise("Åsa")
    ('850505-4321', 'Åsa')
    """
    if text.isascii():
        return text if text.isprintable() else text.translate(_CONTROLS)
    return _MARKED_DIGIT.sub("", unicodedata.normalize("NFKC", text).translate(_INVISIBLE))


#: Combining marks on a digit ("8̃5̃"): the digit still reads as one; the marks go.
_MARKED_DIGIT = re.compile(r"(?<=\d)[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


#: Markup a reader never sees: emphasis and code marks of Markdown; an underscore inside a word
#: (``deltagare_2024``) is no mark and stays.
_MARKS = str.maketrans("", "", "*`~^")
_UNDERSCORES = re.compile(r"(?<![^\W_])_+|_+(?![^\W_])")
#: YAML escapes of a space, a line break or a control character: between digits, a separator.
_SPACES = "0abtnvfreNLP_"
#: What a parser turns into other characters: an HTML entity (Markdown), a backslash escape of
#: Markdown (``\-``) or of a double-quoted YAML string (``\u002d``, ``\x2d``, and ``\n``, ``\t``,
#: ``\_`` … for a space, a line break or a control character), a YAML line continuation (a
#: backslash at the end of a line); a percent-encoded character of a link (``%2D``, ``%40``).
_CODED = re.compile(r"&#?\w+;|%[0-9a-fA-F]{2}|\\(?:u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|" f"[{_SPACES}]"
                    r"|[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e ]|(?=\r?\n))")


def _decoded(match: re.Match) -> str:
    import html

    code = match.group(0)
    if code[0] == "&":
        text = html.unescape(code)
    elif code[0] == "%":
        text = chr(int(code[1:], 16))
    elif code[1:2] in ("u", "U", "x"):
        text = chr(min(int(code[2:], 16), 0x10FFFF))
    elif code[1:2] and code[1] in _SPACES:
        text = " "
    else:
        text = code[1:]
    return text.replace("\r", " ").replace("\n", " ")  # never a new line: line numbers stay


#: Markdown a reader never sees, between the words of one line: a link's or picture's address
#: (its words stay), a footnote's mark (a raised number), an HTML tag or comment (shown as typed,
#: or dropped: either way the digits around it read as one number), a quote's ``>`` at the start
#: of a line (a quote wrapped over two lines is one paragraph), a table's ``|`` beside a dash
#: (cells side by side: ``| 811218 | -9876 |``; not any ``|``, for a date beside an amount,
#: ``| 2024-03-01 | 1500 |``, is no personnummer).
_LINKED = re.compile(r"!?\[([^\]\n]*)\](?:\([^)\n]*\)|\[[^\]\n]*\])|\[\^[^\]\n]*\]")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)([^\n]*)", re.S)
_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_QUOTED = re.compile(r"^[ \t]*(?:>[ \t]?)+", re.M)
_CELLS = re.compile(rf"[ \t]*\|[ \t]*(?=[{_DASHES}])|(?<=[{_DASHES}])[ \t]*\|[ \t]*")
#: A line of markup only, between two lines of words: a heading's underline (``===``, ``---``) or a
#: rule (``***``, ``- - -``). "811218", a line of ``---`` and "9876" read as a heading right above
#: its paragraph: the line is taken out (its line break moved below the next line, as a comment's).
_RULED = re.compile(r"\n[ \t]*(?:=+|-+|(?:[-*_][ \t]*){3,})[ \t]*\n([^\n]*)")


def _unmarked(text: str) -> str:
    """``text`` without the Markdown of :data:`_LINKED` and the rest. A comment over lines is
    taken out with the words after it moved up to its first line, and its line breaks after them:
    the lines below keep their numbers."""
    text = _COMMENT.sub(lambda m: m.group(1) + "\n" * m.group(0).count("\n"), text)
    text = _RULED.sub(lambda m: "\n" + m.group(1) + "\n", text)
    return _CELLS.sub("", _QUOTED.sub("", _TAG.sub("", _LINKED.sub(r"\1", text))))


def as_read(text: str, unmarked: bool = True) -> str:
    r"""``text`` as a reader sees it once Markdown or YAML has read it, line for line: entities
    and escapes decoded, emphasis and code marks, links' addresses, HTML tags and comments, a
    quote's ``>`` and a table's ``|`` gone. A number hidden from the detector by markup
    (``811218-**9876**``, ``811218\-9876``, ``811218&#45;9876``, ``"811218\u002d9876"``,
    ``[811218](https://a.se)-9876``, ``811218<!-- x -->-9876``) is plain here. ``unmarked=False``:
    the entities and escapes only (a link's address stays, to be read too).

    >>> as_read("811218-**9876** och 811218\\-9876, 811218&#45;9876, 811218\\u002d9876")
    '811218-9876 och 811218-9876, 811218-9876, 811218-9876'
    >>> as_read("811218-__9876__ i fil_2024_01_01_1234")
    '811218-9876 i fil_2024_01_01_1234'
    >>> as_read("[811218](https://a.se)-9876, <span>811218</span>-9876, 811218<!-- x -->-9876, 811218[^1]-9876")
    '811218-9876, 811218-9876, 811218-9876, 811218-9876'
    >>> as_read("> Mitt nummer är 811218-\n> 9876.").splitlines()
    ['Mitt nummer är 811218-', '9876.']
    >>> as_read("811218\n------\n9876").splitlines()  # a heading right above its paragraph
    ['811218', '9876']
    """
    return _UNDERSCORES.sub("", _CODED.sub(_decoded, _unmarked(text) if unmarked else text).translate(_MARKS))


def _readings(text: str) -> list[str]:
    """The ways ``text`` may read that differ from it: decoded (a link's address kept, where
    ``%2D`` may hide a dash) and decoded without the Markdown a reader never sees (:func:`as_read`)."""
    found = []
    for reading in (as_read(text, unmarked=False), as_read(text)):
        if reading != text and reading not in found:
            found.append(reading)
    return found


#: What starts a block of Markdown and is no word a reader reads: a heading's ``#``, a list's
#: bullet or number (of at most three digits: a list may start at 9876, shown as its marker) and a
#: task's box, a definition's ``:``, a table row's first ``|``, a table's caption ``Tabell:``.
_BLOCK_START = re.compile(r"(?m)^[ \t]*(?:#{1,6}(?:[ \t]+|$)|(?:[-*+]|\d{1,3}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?|:[ \t]+"
                          r"|\|[ \t]*|Tabell:[ \t]*)")
#: What ends a block and is no word: a heading's closing ``#``s, a table row's last ``|``; a line that
#: is a table's alignment row.
_BLOCK_END = re.compile(r"(?m)[ \t]+#+[ \t]*$|[ \t]*\|[ \t]*$|^[ \t|:-]*-[ \t|:-]*$")


def blocks_joined(text: str) -> tuple[str, list[int]]:
    """``text`` as the blocks of a page follow each other (a heading and the paragraph under it, two
    items of a list, a caption and its table's first cell, a theme and its first quote): block marks
    and blank lines out. With the line number in ``text`` of each line.

    >>> blocks_joined("## Kund 811218\\n\\n-9876 klar.\\n- Ett\\n\\n- Två")
    ('Kund 811218\\n-9876 klar.\\nEtt\\nTvå', [1, 3, 4, 6])
    """
    lines, numbers = [], []
    for number, line in enumerate(_BLOCK_END.sub("", _BLOCK_START.sub("", text)).split("\n"), start=1):
        if line.strip():
            lines.append(line)
            numbers.append(number)
    return "\n".join(lines), numbers


def _coded(text: str) -> bool:
    """Whether :func:`as_read` or :func:`blocks_joined` may differ from ``text``."""
    return any(mark in text for mark in "*_`~^&\\%[<>|") or "\n" in text


def value_kind(value: object) -> str | None:
    """What personal data a cell holds (``PNR``, ``EMAIL``, ``PHONE``), or ``None``.

    A personnummer or samordningsnummer counts whatever its check digit (a mistyped check digit
    still gives a person's birth date and number); it is written with any separator, dots,
    non-breaking or zero-width spaces.

    >>> value_kind("Anna 850505-4321"), value_kind("850505\u00a04321"), value_kind("2024-05-01")
    ('personnummer eller samordningsnummer', 'personnummer eller samordningsnummer', None)
    """
    if not isinstance(value, str):
        return None
    if _BARE_MOBILE.fullmatch(value.strip()):  # a number cell: a mobile number without its 0
        return PHONE
    if _coded(value):
        for read in _readings(value):
            if (kind := _kind(normalise(read))) is not None:
                return kind
    if (kind := _kind(normalise(value))) is not None or "\n" not in value:
        return kind
    joined = blocks_joined(normalise(as_read(value)))[0]  # block after block: a number that is one, check digit and all
    return PNR if any(_is_pnr(m, luhn=True) for m in _PNR.finditer(joined)) or _odd_spans(joined) else None


def _kind(value: str) -> str | None:
    if not _ANY.search(value):
        return PNR if _odd_spans(value) else None
    for match in _PNR.finditer(value):
        if _is_pnr(match, luhn=False):
            return PNR
    if _EMAIL.search(value):
        return EMAIL
    if next(_phones(value), None):
        return PHONE
    return PNR if _odd_spans(value) else None




def may_hold(text: str) -> bool:
    """Cheap first test: an e-mail needs '@' (or the '&' of an entity such as ``&#64;``, the '%' of
    a link's ``%40``, or ``(at)``), a phone number 8 digits, a personnummer 10."""
    return ("@" in text or "&" in text or "%" in text or _digit_count(text) >= 8 or _AT.search(text) is not None
            or (not text.isascii() and sum(c.isdigit() for c in text) >= 8))


def column_kind(name: object) -> str | None:
    """The personal identifier a column's NAME says it holds (``NAME``, ``PNR``, ...), or ``None``.

    Matched on the header folded like :func:`evaluation.inputs.files.normalise_header` (case, å/ä/ö,
    spaces and dashes), as a whole or as one of its words: ``'Förnamn'``, ``'E-post'``,
    ``'deltagare_pnr'``, ``'Namn (deltagare)'``.
    """
    key = str(name).strip().lower().translate(_FOLD)
    words = [w for w in re.split(r"[^a-z0-9]+", key) if w]
    for candidate in ("".join(words), *words):
        if candidate in _COLUMN_WORDS:
            return _COLUMN_WORDS[candidate]
    return None


def text_hits(text: str, luhn: bool = False, blocks: bool = True) -> list[tuple[int, str]]:
    """Every ``(line number, kind)`` of personal data in a text file's content, in order. With
    ``luhn`` a personnummer counts only when its check digit fits: for texts a report shows apart
    and a reader may still read as one (two values, two cells, two answers, two blocks), where a
    typing slip is no risk and prose puts numbers side by side. ``blocks=False``: the lines are not
    read block after block (texts joined for a check, whose blank lines part texts a report shows apart).

    >>> text_hits("Hej\\nMejla a.b@kommun.se eller ring 070-123 45 67\\n19850505-4321")
    [(2, 'e-postadress'), (2, 'telefonnummer'), (3, 'personnummer eller samordningsnummer')]
    >>> text_hits("Kund 811218\\n-9875", luhn=True), text_hits("Kund 811218\\n-9876", luhn=True)
    ([], [(1, 'personnummer eller samordningsnummer')])
    """
    if not text:
        return []
    return list(_text_hits(text, luhn, blocks, dt.date.today()))


@functools.lru_cache(maxsize=1024)
def _text_hits(text: str, luhn: bool, blocks: bool, today: dt.date) -> tuple[tuple[int, str], ...]:
    """:func:`text_hits`, kept by text: a batch kernel scans the same texts, YAML values and
    parameters for every report of an insats and every sibling report it is protected beside (868
    scans of 298 texts for 18 bench reports, 0.58 of 9.8 CPU-s). ``today`` is in the key because
    a date's plausibility depends on it (:func:`_stamped`)."""
    found = _hits(normalise(text), luhn)
    if _coded(text):  # and as it reads once parsed: the same lines
        for read in _readings(text):
            found |= _hits(normalise(read), luhn)
    if blocks and "\n" in text:  # and block after block, as a page shows them: each found on its own first line
        joined, numbers = blocks_joined(normalise(as_read(text)))  # a line of a zero-width space is empty
        found |= {(numbers[line - 1], kind) for line, kind in _hits(joined, luhn=True) if kind == PNR}
    return tuple(sorted(found, key=lambda hit: (hit[0], (PNR, EMAIL, PHONE).index(hit[1]))))


def holds_pnr(text: str, luhn: bool = False) -> bool:
    """Whether :func:`text_hits` finds a personnummer or samordningsnummer in ``text``: for the
    places a file keeps what no page shows, where only that is refused.

    >>> holds_pnr("Utkast 811218-9876"), holds_pnr("anna@kommun.se"), holds_pnr("Kund 811218, -9875", luhn=True)
    (True, False, False)
    """
    return any(kind == PNR for _, kind in text_hits(text, luhn))


def first_split(texts: list[str], gap: int = 1) -> int | None:
    """Where a personnummer starts when ``texts`` are read one after the other (``gap`` line breaks
    between): the index of its first text, or ``None``. Split over texts the report shows apart,
    so only one whose check digit fits counts (:func:`text_hits` with ``luhn``).

    >>> first_split(["Ett", "Kund 811218", "-9876 klar"]), first_split(["Kund 811218", "-9875"])
    (1, None)
    """
    found = [line for line, kind in text_hits(("\n" * gap).join(texts), luhn=True, blocks=False) if kind == PNR]
    if not found:
        return None
    ends = list(itertools.accumulate(text.count("\n") + gap for text in texts))
    return bisect.bisect_left(ends, found[0])


_MOBILE = re.compile(r"(?<!\d)07\d{8}(?!\d)")


def mobile_shaped(text: str) -> set[int]:
    """Lines with ten digits in a row that begin with 07: a personnummer of someone born in 1907
    or 2007 (refused as one), and also a mobile number written without spaces.

    >>> sorted(mobile_shaped("Ring 0701234567\\n070-123 45 67\\n19070123-4567"))
    [1]
    """
    plain = normalise(text)
    return {_line_of(plain)(m.start()) for m in _MOBILE.finditer(plain)}


_DATED_COUNT = re.compile(rf"(?<!\d)(?:\d\d)?\d\d[{_DASHES}/. ]\d\d[{_DASHES}/. ]\d\d(?![{_DASHES}]\d{{2}}[ \t]?\d{{2}}(?!\d))"
                          rf"{_ODD_GAP}\d")


def date_shaped(text: str) -> set[int]:
    """Lines where a date written with its separators (``2023-12-31``, ``12.01.21``) is followed by a
    number other than by a dash, on the same line or the next block: prose ("per 2023-12-31: 1234
    deltagare") that is also a personnummer when the check digit fits, as one in ten such numbers does.

    >>> sorted(date_shaped("Per 2023-12-31: 1234 deltagare\\n1981-12-18-9876\\nDen 12.01.21\\n\\n9848 besökare\\n"
    ...                    "Per 2020-10-09 – 7349 ärenden"))
    [1, 3, 6]
    """
    plain = normalise(text)
    found = {_line_of(plain)(m.start()) for m in _DATED_COUNT.finditer(plain)}
    joined, numbers = blocks_joined(plain)
    return found | {numbers[_line_of(joined)(m.start()) - 1] for m in _DATED_COUNT.finditer(joined)}


def compact_dated(text: str) -> set[int]:
    """Lines with a date written without separators and four digits after it but for a dash or a
    plus (``20240312_1430``, ``240312 1300``): a file name's time stamp or a time, or a personnummer.
    (``240312-0045`` is a personnummer's very form: no advice on how to write it otherwise.)

    >>> sorted(compact_dated("Filen export_20240312_1430.xlsx\\nPer 2023-12-31: 1234"))
    [1]
    """
    plain = normalise(text)
    return {_line_of(plain)(m.start()) for m in _COMPACT.finditer(plain)}


_COMPACT = re.compile(r"(?<!\d)(?:\d\d)?\d{6}[ \t]*[_.:/]?[ \t]*\r?\n?[ \t]*\d{4}(?!\d)")  # not 811218-9876


def _line_of(text: str):
    """A function from a position in ``text`` to its line number (1-based), in logarithmic time:
    a file with thousands of hits is not counted over once per hit."""
    starts: list[int] = []

    def line(pos: int) -> int:
        if not starts:  # the line breaks are found at the first hit, once
            starts.extend([-1, *(m.start() for m in re.finditer("\n", text))])
        return bisect.bisect_left(starts, pos)

    return line


def _hits(text: str, luhn: bool = False) -> set[tuple[int, str]]:
    """``(line, kind)`` found in ``text``; with ``luhn`` a personnummer's check digit must fit."""
    found: set[tuple[int, str]] = set()
    line = _line_of(text)
    if _ANY.search(text):
        for match in _PNR.finditer(text):
            if _is_pnr(match, luhn=luhn):
                found.add((line(match.start()), PNR))
        for match in _EMAIL.finditer(text):
            found.add((line(match.start()), EMAIL))
        for match in _phones(text):
            found.add((line(match.start()), PHONE))
    found.update((line(start), PNR) for start, _ in _odd_spans(text))
    return found


_MASK = "[dolt]"


def redact(text: str) -> str:
    """``text`` with every personnummer, e-mail address and phone number replaced by ``[dolt]``:
    the last guard of every message, notice and index entry.

    >>> redact("'900101-1234' är inte ett födelseår"), redact("nyckeln 'Anna 900101&#45;1234'")
    ("'[dolt]' är inte ett födelseår", "nyckeln 'Anna [dolt]'")
    >>> redact("fotnoten [^9] har ingen definition; skriv '[^9]: källan'")  # markup, and no number: as written
    "fotnoten [^9] har ingen definition; skriv '[^9]: källan'"
    >>> redact("bladen 'Blad 811218', '-9876' och 'Mål'")
    'bladen (värdet visas inte), (värdet visas inte) och (värdet visas inte)'
    """
    if not isinstance(text, str) or not may_hold(text):
        return text
    masked = _masked(text)
    if masked is text and _coded(text):  # hidden by markup only: shown decoded, then masked
        for read in _readings(text):
            if (decoded := _masked(read)) is not read:
                return decoded
    if masked is text and "'" in text:  # split over values quoted side by side: none of them is shown
        joined = _BETWEEN_QUOTED.sub(" ", text)
        if joined != text and _masked(joined) is not joined:
            return _QUOTED_VALUE.sub(WITHHELD, text)
    return masked


#: Between two values a message quotes side by side ("inte 'Blad 811218', '-9876'"): a reader
#: reads them as one text, so they are checked joined.
_BETWEEN_QUOTED = re.compile(r"'[ \t]*(?:[,;/]|och|eller)?[ \t]*'")
_QUOTED_VALUE = re.compile(r"'[^'\n]*'")


def _masked(text: str) -> str:
    plain = normalise(text)
    masked = plain
    for start, end in reversed(_merged(_odd_spans(plain))):
        masked = masked[:start] + _MASK + masked[end:]
    if _ANY.search(masked):
        masked = _PNR.sub(lambda m: _MASK if _is_pnr(m, luhn=False) else m.group(0), masked)
        masked = _EMAIL.sub(_MASK, masked)
        for match in reversed(list(_phones(masked))):
            masked = masked[:match.start()] + _MASK + masked[match.end():]
    return text if masked == plain else masked  # unchanged: keep '…' and the like as written


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans as one, in order."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


#: Longest value quoted in a message; longer ones are cut with '…'.
MAX_QUOTED = 60

#: Quoted, a control character shows as its picture (␛), an invisible one as its code point ([U+202E]).
_SHOWN = {ord(c): chr(0x2400 + ord(c)) if ord(c) < 0x20 else "\u2421" for c in CONTROLS}
_SHOWN.update({ord(c): f"[U+{ord(c):04X}]" for c in INVISIBLE})


def quote(value: object, limit: int = MAX_QUOTED) -> str:
    """A value quoted in a message: in quotes, cut after ``limit`` characters, and never personal
    data (then ``(värdet visas inte)``). Every message that quotes an input value uses this.

    >>> quote("Hälsospåret"), quote("900101-1234"), quote("x" * 100)[:8], len(quote("x" * 100))
    ("'Hälsospåret'", '(värdet visas inte)', "'xxxxxxx", 62)
    >>> quote("Kvinna\\x1b"), quote("Man\\u202e")
    ("'Kvinna␛'", "'Man[U+202E]'")
    """
    text = shown(value, limit)
    return text if text == WITHHELD else f"'{text}'"


#: What a message says instead of a value that is personal data.
WITHHELD = "(värdet visas inte)"


def shown(value: object, limit: int = MAX_QUOTED) -> str:
    """:func:`quote` without the quotes: for a value inside a file name or a parenthesis.

    >>> shown("bakgrund"), shown("anna@example.se")
    ('bakgrund', '(värdet visas inte)')
    """
    text = "" if value is None else str(value)
    if value_kind(text) or looks_like_pnr(normalise(text), luhn=False):
        return WITHHELD
    text = " ".join(text.split()).translate(_SHOWN)
    return text[:limit - 1] + "…" if len(text) > limit else text

