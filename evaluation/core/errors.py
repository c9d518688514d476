"""The exception tree.

Every failure a user can cause is an :class:`EvaluationError`. Library code raises; only the
CLI turns an error into a message and an exit code.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable

from evaluation.core.pii import WITHHELD, quote, redact  # noqa: F401 - quote: the one way a message quotes a value

#: At most this many violations are listed in one message.
MAX_LISTED = 20


def nearest(word: object, choices: Iterable[object], cutoff: float = 0.6) -> str | None:
    """The one of ``choices`` nearest to ``word`` (case and spaces aside), for a message's "menade du
    '…'?", or ``None`` when none is near. A word or a choice that is personal data (:func:`quote`
    withholds it) is never matched: a suggestion must not show what the message may not.

    >>> nearest("kvinn", ["Kvinna", "Man"]), nearest("end", ["start", "slut", "end"]), nearest("x", ["Kvinna"])
    ('Kvinna', 'end', None)
    >>> nearest("811218-9875", ["811218-9876", "Man"]) is None
    True
    """
    if quote(word) == WITHHELD:
        return None
    folded: dict[str, str] = {}
    for choice in map(str, choices):
        if quote(choice) != WITHHELD:
            folded.setdefault(" ".join(choice.casefold().split()), choice)
    close = difflib.get_close_matches(" ".join(str(word).casefold().split()), list(folded), n=1, cutoff=cutoff)
    return folded[close[0]] if close else None


def did_you_mean(word: object, choices: Iterable[object], cutoff: float = 0.6, *, sentence: bool = False) -> str:
    """``"; menade du '…'?"`` with :func:`nearest`, or ``""``: for a message that lists what is allowed.
    With ``sentence``, ``" Menade du '…'?"``: a sentence of its own, after a sentence that ends with a full stop.

    >>> "'Kvinn' är inte tillåtet; använd ett av: Kvinna, Man" + did_you_mean("Kvinn", ["Kvinna", "Man"])
    "'Kvinn' är inte tillåtet; använd ett av: Kvinna, Man; menade du 'Kvinna'?"
    >>> "Tabellen 'aldr' finns inte." + did_you_mean("aldr", ["alder"], sentence=True)
    "Tabellen 'aldr' finns inte. Menade du 'alder'?"
    """
    near = nearest(word, choices, cutoff)
    if near is None or near == str(word):
        return ""
    return f" Menade du {quote(near)}?" if sentence else f"; menade du {quote(near)}?"


def cut_list(items: Iterable[object], limit: int = MAX_LISTED, sep: str = ", ") -> str:
    """Items joined for a message, at most ``limit`` of them and then how many more.

    >>> cut_list([f"k{i}" for i in range(10_000)], limit=3)
    'k0, k1, k2 … och 9 997 till'
    >>> cut_list(["a", "b"])
    'a, b'
    """
    items = [str(item) for item in items]
    if len(items) <= limit:
        return sep.join(items)
    more = f"{len(items) - limit:,}".replace(",", " ")
    return f"{sep.join(items[:limit])} … och {more} till"


#: What a value is, in Swedish, by its type's name: a YAML value where a text or a list belongs,
#: or an argument of the wrong kind in a notebook.
_KINDS = {
    "NoneType": "inget värde (None)", "str": "en text", "int": "ett tal", "float": "ett tal",
    "bool": "ja/nej (sant/falskt)", "list": "en lista", "tuple": "en lista", "set": "en mängd",
    "dict": "en samling 'nyckel: värde'", "DataFrame": "en tabell", "Series": "en kolumn", "Report": "en rapport",
    "PosixPath": "en sökväg", "WindowsPath": "en sökväg",
}


def kind_of(value: object) -> str:
    """What ``value`` is, in Swedish; never the value itself (it may be personal data).

    >>> kind_of(None), kind_of("811218-9876"), kind_of([1]), kind_of({"kon": "Kvinna"})
    ('inget värde (None)', 'en text', 'en lista', "en samling 'nyckel: värde'")
    """
    return _KINDS.get(type(value).__name__, f"ett värde av typen {type(value).__name__}")


#: Why a file could not be written or read, in Swedish, by the operating system's error number.
_OS_REASONS = {
    "ENOENT": "mappen eller filen finns inte", "EACCES": "behörighet saknas", "EPERM": "behörighet saknas",
    "ENOSPC": "disken är full", "EDQUOT": "diskutrymmet du får använda är slut", "EROFS": "disken är skrivskyddad",
    "EISDIR": "det är en mapp", "ENOTDIR": "en del av sökvägen är ingen mapp", "EEXIST": "den finns redan",
    "ENAMETOOLONG": "namnet är för långt", "EBUSY": "den används av ett annat program",
}


def os_reason(exc: OSError) -> str:
    """Why ``exc`` happened, in Swedish (the system's English text never reaches a user).

    >>> os_reason(FileNotFoundError(2, "No such file or directory")), os_reason(OSError(28, "No space"))
    ('mappen eller filen finns inte', 'disken är full')
    """
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    return _OS_REASONS.get(name, f"systemfel {name or type(exc).__name__}")


class EvaluationError(Exception):
    """Base class of every error a user can cause and fix.

    The message is passed through :func:`evaluation.core.pii.redact`: whatever a raiser quoted, no
    personnummer, e-mail address or phone number reaches a terminal, log or index.
    """

    def __init__(self, *args):
        super().__init__(*(redact(a) if isinstance(a, str) else a for a in args))

    @classmethod
    def from_message(cls, message: str) -> "EvaluationError":
        """The error as raised elsewhere (in the report's kernel), rebuilt from its message."""
        error = cls.__new__(cls)
        Exception.__init__(error, redact(message))
        return error


class ParamsError(EvaluationError):
    """A parameters file is missing, unreadable or invalid."""


class InputError(EvaluationError):
    """An input file (register, survey, text, ...) cannot be used."""


#: The last line of a file's list of errors (:class:`ValidationError`).
FIX_AND_RERUN = "Rätta filen och kör igen; ingen ny rapport har skrivits."


class InputErrors(InputError):
    """Two or more inputs of one report cannot be used: each one's own error, in the order they are read.

    An evaluator with three broken files saw them one run at a time. ``waiting`` names what was
    not checked because it is read against an input that failed (e.g. follow-ups against the register).

    >>> print(InputErrors([InputError("a.csv: fel."), InputError("b.yaml: fel.")]))
    2 av underlagets filer kan inte användas. Rätta dem och kör igen; ingen ny rapport har skrivits.
    <BLANKLINE>
    1. a.csv: fel.
    <BLANKLINE>
    2. b.yaml: fel.
    """

    def __init__(self, errors: list[EvaluationError], waiting: str = ""):
        self.errors = [one for error in errors for one in getattr(error, "errors", None) or [error]]  # flat
        lines = [f"{len(self.errors)} av underlagets filer kan inte användas. Rätta dem och kör igen; "
                 "ingen ny rapport har skrivits."]
        lines += [f"\n{n}. {str(error).removesuffix(FIX_AND_RERUN).rstrip()}"  # said once, above
                  for n, error in enumerate(self.errors, start=1)]
        if waiting:
            lines.append(f"\n{waiting}")
        super().__init__("\n".join(lines))


def read_each(items, read) -> list:
    """``read(item)`` for every item, in order; every :class:`InputError` is kept and raised at the
    end: the only one as it is, two or more as :class:`InputErrors`. A folder of files (interviews,
    surveys, matrices, omvärld projects) so names each file that cannot be used in one run.

    >>> def read(name):
    ...     if name.startswith("fel"):
    ...         raise InputError(f"{name}: fel.")
    ...     return name.upper()
    >>> read_each(["a", "b"], read)
    ['A', 'B']
    >>> read_each(["fel1", "a", "fel2"], read)
    Traceback (most recent call last):
    evaluation.core.errors.InputErrors: 2 av underlagets filer kan inte användas. Rätta dem och kör igen; ingen ny rapport har skrivits.
    <BLANKLINE>
    1. fel1: fel.
    <BLANKLINE>
    2. fel2: fel.
    """
    done, failed = [], []
    for item in items:
        try:
            done.append(read(item))
        except InputError as exc:
            failed.append(exc)
    raise_together(failed)
    return done


def raise_together(errors: list, waiting: str = "") -> None:
    """Raise ``errors``, if any: the only one as it is, its kind kept (a :class:`ValidationError`
    lists its cells) with ``waiting`` (what could not be checked for them) added to its message;
    two or more as :class:`InputErrors`."""
    if len(errors) == 1:
        (error,) = errors
        if waiting:
            error.args = (f"{error}\n\n{waiting}",)
        raise error
    if errors:
        raise InputErrors(errors, waiting)


class EmptyTableError(InputError):
    """A table file has its header row but no data rows (e.g. a template not filled in yet)."""

    def __init__(self, path: Path | str, message: str):
        self.path = Path(path)
        super().__init__(message)


class TemplateError(InputError):
    """An evaluator's text uses an unknown variable or bad template syntax."""


class UnknownId(EvaluationError, KeyError):
    """A table or section asked for by an id the report does not have. Also a ``KeyError``, as a
    lookup by id is; in a notebook it shows as its Swedish message, without a traceback.

    >>> str(UnknownId("ingen tabell 'x' i rapporten"))
    "ingen tabell 'x' i rapporten"
    """

    def __str__(self) -> str:  # KeyError's own would put the message in quotes
        return Exception.__str__(self)


class RenderError(EvaluationError):
    """The notebook could not be executed or converted."""


class StrictError(EvaluationError):
    """``--strikt``: the report has notices, and notices count as errors."""


@dataclass(frozen=True)
class Notice:
    """A warning: something in the inputs was ignored or looks wrong, but the report can be made.

    ``path`` is the file (or folder) it concerns, ``line`` the row or line as the user sees it
    in that file (``None`` when it concerns the whole file), ``message`` a Swedish sentence
    saying what was found, what was done and how to change it. Loaders, report checks and the
    fact check of texts all produce this one type; pure functions return notices, never print.
    Notices travel with the report's :class:`evaluation.core.model.Document`; the CLI prints them
    (``--strikt`` makes them errors) and the index lists them.

    >>> Notice("data/x/deltagare.csv", 3, "kolumnen 'fritext' lästes inte.").describe()
    "Varning: data/x/deltagare.csv, rad 3: kolumnen 'fritext' lästes inte."
    """

    path: Path | str
    line: int | None
    message: str

    def __post_init__(self):
        object.__setattr__(self, "message", redact(self.message))
        masked = redact(str(self.path))
        if masked != str(self.path):  # a file named with a personnummer: its name is masked
            object.__setattr__(self, "path", masked)

    def describe(self) -> str:
        where = f"{self.path}, rad {self.line}" if self.line is not None else f"{self.path}"
        return f"Varning: {where}: {self.message}"

    def from_project(self, project: Path | None) -> "Notice":
        """This notice naming files from the project's folder ``project`` (``None``: as it is), as
        the index and a notebook show them: ``/home/<user>/…`` says whose machine made a report.

        >>> Notice("/p/params/x/2024.yaml", 3, "se /p/data/x").from_project(Path("/p")).describe()
        'Varning: params/x/2024.yaml, rad 3: se data/x'
        """
        if project is None:
            return self
        path = Path(self.path)
        shown = path.relative_to(project) if path.is_absolute() and project in path.parents else self.path
        return replace(self, path=shown, message=self.message.replace(f"{project}/", ""))

    def as_dict(self) -> dict:
        """The notice as JSON-ready values (``fil``, ``rad``, ``meddelande``), for the index."""
        return {"fil": str(self.path), "rad": self.line, "meddelande": self.message}


@dataclass(frozen=True)
class NoticeList:
    """A report's notices as a notebook shows them (``report.show_notices()``): a box above the
    report's own outputs, never part of the report. The CLI prints the same notices.

    >>> NoticeList((Notice("p.yaml", None, "min_cell är 1."),), "UngKraft")
    1 varning om underlaget för UngKraft (de visas inte i rapporten):
      - Varning: p.yaml: min_cell är 1.
    >>> NoticeList((), "UngKraft")
    Inga varningar om underlaget för UngKraft.
    """

    notices: tuple[Notice, ...]
    subject: str

    def _head(self) -> str:
        n = len(self.notices)
        if not n:
            return f"Inga varningar om underlaget för {self.subject}."
        return (f"{n} {'varning' if n == 1 else 'varningar'} om underlaget för {self.subject} "
                "(de visas inte i rapporten):")

    def __repr__(self) -> str:
        return "\n".join([self._head(), *(f"  - {n.describe()}" for n in self.notices)])

    def _repr_html_(self) -> str:
        from html import escape

        items = "".join(f"<li>{escape(n.describe())}</li>" for n in self.notices)
        colour = "#fff4ce; border-left: 4px solid #c19c00" if self.notices else "#eef6ee; border-left: 4px solid #3a7d44"
        return (f'<div role="note" class="evaluation-notices" style="background: {colour}; color: #000; '
                f'padding: 0.5em 1em; text-align: left"><p style="margin: 0">{escape(self._head())}</p>'
                + (f'<ul style="margin: 0.3em 0 0 0">{items}</ul>' if items else "") + "</div>")


def strict_error(source: Path | str, notices) -> StrictError:
    """The error ``--strikt`` raises for a report with ``notices``: every notice listed."""
    notices = list(notices)
    lines = [f"{source}: {len(notices)} varning(ar), och med --strikt räknas varningar som fel. "
             "Rätta det varningarna gäller (eller kör utan --strikt); rapporten publicerades inte."]
    lines += [f"  - {n.describe()}" for n in notices[:MAX_LISTED]]
    if len(notices) > MAX_LISTED:
        lines.append(f"  ... och {len(notices) - MAX_LISTED} till.")
    return StrictError("\n".join(lines))


#: A column named by its place, as the readers name a column without a usable name
#: (``kolumn nr 14``, ``kolumn E utan rubrik``, ``kolumn 3 utan rubrik``, a workbook's ``kolumn K``).
_BY_PLACE = re.compile(r"kolumn (?:nr \d+|[A-Z]{1,3}(?: utan rubrik)?|\d+ utan rubrik)")


def column_named(column: str, definite: bool = False) -> str:
    """How a message names a column: by its name in quotes, or as the readers name it by its place.

    >>> column_named("kon"), column_named("kon", definite=True), column_named("kolumn nr 14")
    ("kolumn 'kon'", "kolumnen 'kon'", 'kolumn nr 14')
    """
    if _BY_PLACE.fullmatch(column):
        return column
    return f"{'kolumnen' if definite else 'kolumn'} {quote(column)}"


@dataclass(frozen=True)
class Violation:
    """One bad cell: where it is, what was found and what is allowed. ``rows``: when one problem
    stands for many cells of a column (formulas without saved values), every row it covers; ``row``
    is the first of them."""

    row: int | None
    column: str | None
    problem: str
    rows: tuple[int, ...] = field(default=(), compare=False)

    def __post_init__(self):
        object.__setattr__(self, "problem", redact(self.problem))
        if isinstance(self.column, str):
            object.__setattr__(self, "column", redact(self.column))

    def describe(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"rad {self.row}")
        if self.column is not None:
            where.append(column_named(self.column))
        prefix = ", ".join(where)
        return f"{prefix}: {self.problem}" if prefix else self.problem


class ValidationError(InputError):
    """A file holds one or more bad values; all of them (up to a cap) are listed."""

    def __init__(self, path: Path | str, violations: list[Violation]):
        self.path = Path(path)
        self.violations = sorted(violations, key=lambda v: (v.row is not None, v.row or 0))
        count = len(self.violations)
        lines = [f"{self.path}: {count} fel hittades."]
        lines += [f"  - {v.describe()}" for v in self.violations[:MAX_LISTED]]
        if count > MAX_LISTED:
            lines.append(f"  ... och {count - MAX_LISTED} till (de {MAX_LISTED} första visas; "
                         "'evaluation validate PARAMETERFIL --rapport FIL.xlsx' listar alla).")
        lines.append(FIX_AND_RERUN)
        super().__init__("\n".join(lines))
