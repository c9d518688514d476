"""The evaluator's outline (data contract §10): ``disposition:`` in the parameters, or a file.

The outline lists the report's sections in order. Each has a heading (``rubrik``), an optional
number (``nummer``: ``"2.3"``; omitted = automatic, ``false`` = none), what it shows in order
(``innehall``: ``text``, ``tabell`` or ``avsnitt`` items) and sub-sections (``avsnitt``) one
level deeper. This module validates the shape and numbers the sections; which ids exist is
checked against the report (:mod:`evaluation.build.outline`).

>>> tree = parse_outline([{"rubrik": "Sammanfattning"},
...                       {"rubrik": "Deltagare", "avsnitt": [{"rubrik": "Ålder", "nummer": "2.3"},
...                                                           {"rubrik": "Utbildning"}]},
...                       {"rubrik": "Bilaga", "nummer": False}])
>>> [(e.number, e.title, e.depth) for e in entries(tree)]
[('1', 'Sammanfattning', 0), ('2', 'Deltagare', 0), ('2.3', 'Ålder', 1), ('2.4', 'Utbildning', 1), ('', 'Bilaga', 0)]
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator, model_validator

from evaluation.core import fmt
from evaluation.core.pii import quote
from evaluation.inputs.cells import heading_too_long, tidy

NUMBER = re.compile(r"^\d+(\.\d+)*$")
#: Deepest sub-section level (1 = a top section): HTML h2–h5, Word Heading 1–4.
MAX_DEPTH = 4
#: An item's kind as a message names it.
_WHAT = {"text": "texten", "tabell": "tabellen", "avsnitt": "avsnittet"}


class Item(BaseModel):
    """One thing a section shows: exactly one of ``text``, ``tabell`` or ``avsnitt``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    text: str | None = None
    tabell: str | None = None
    avsnitt: str | None = None

    @model_validator(mode="after")
    def _exactly_one(self):
        given = [k for k in ("text", "tabell", "avsnitt") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("ange precis en av 'text: <namn>', 'tabell: <tabell-id>' eller "
                             f"'avsnitt: <avsnitts-id>' (här står {len(given)})")
        return self

    @property
    def kind(self) -> str:
        return next(k for k in ("text", "tabell", "avsnitt") if getattr(self, k) is not None)

    @property
    def ref(self) -> str:
        return getattr(self, self.kind)


class OutlineSection(BaseModel):
    """One section of the outline."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    rubrik: str = Field(min_length=1)
    nummer: str | bool | None = None
    innehall: list[Item] = Field(default_factory=list)
    avsnitt: list["OutlineSection"] = Field(default_factory=list)

    @field_validator("nummer", mode="before")
    @classmethod
    def _number(cls, value):
        if value is None or value is False:
            return value
        if value is True:
            raise ValueError("skriv ett nummer som \"2.3\", eller false för inget nummer")
        text = str(value).strip().rstrip(".")
        if not NUMBER.fullmatch(text):
            raise ValueError(f"{quote(value)} är inget avsnittsnummer; skriv t.ex. \"1\", \"2.3\" eller \"4.1.2\", "
                             "eller false för inget nummer")
        return text

    @field_validator("rubrik", mode="before")
    @classmethod
    def _title(cls, value):
        """A heading on one line, without control or invisible characters (as a table cell:
        :func:`evaluation.inputs.cells.tidy`): in the contents, a Word heading and a PDF bookmark
        a line break would break the line or be lost."""
        if not isinstance(value, str):
            return value
        title = tidy(value)
        if "\n" in title or "\r" in title:
            raise ValueError("en rubrik står på en rad: ta bort radbrytningen")
        too_long = heading_too_long(title)
        if too_long:
            raise ValueError(too_long)
        return title


_LIST = TypeAdapter(list[OutlineSection])


def parse_outline(value) -> tuple[OutlineSection, ...]:
    """Validate a ``disposition`` list (raises pydantic's ``ValidationError``)."""
    return tuple(_LIST.validate_python(value))


@dataclass(frozen=True)
class Entry:
    """A section of the outline with its number, depth (0 = top) and key path."""

    id: str
    number: str
    title: str
    depth: int
    items: tuple[Item, ...]
    path: str  # e.g. "disposition[1].avsnitt[0]"

    @property
    def heading(self) -> str:
        """The heading as every format shows it: ``1. Sammanfattning``, ``2.3 Ålder``."""
        return fmt.heading_text(self.number, self.title)



def entries(tree, key: str = "disposition") -> list[Entry]:
    """Every section of the outline in reading order, numbered.

    An omitted number follows the previous sibling (``2.3`` → ``2.4``) or starts at 1 under
    its parent (``2`` → ``2.1``); a section without a number (``nummer: false``) has
    automatic sub-sections without numbers too.
    """
    out: list[Entry] = []
    used: set[str] = set()
    for entry in _walk(tree, parent="", depth=0, key=key, numbered=True):
        base = "avsnitt-" + (entry.number.replace(".", "-") if entry.number else _slug(entry.title))
        ident, n = base, 2
        while ident in used:
            ident, n = f"{base}-{n}", n + 1
        used.add(ident)
        out.append(Entry(ident, entry.number, entry.title, entry.depth, entry.items, entry.path))
    return out


def _walk(sections, parent: str, depth: int, key: str, numbered: bool) -> Iterator[Entry]:
    counter = 0
    for i, section in enumerate(sections):
        path = f"{key}[{i}]"
        if isinstance(section.nummer, str):
            number = section.nummer
            counter = int(number.rsplit(".", 1)[-1])
        elif section.nummer is False or not numbered:
            number = ""
        else:
            counter += 1
            number = f"{parent}.{counter}" if parent else str(counter)
        yield Entry("", number, section.rubrik, depth, tuple(section.innehall), path)
        yield from _walk(section.avsnitt, number, depth + 1, f"{path}.avsnitt", numbered=bool(number))


def _slug(text: str) -> str:
    """``Tankar om framtiden`` → ``tankar-om-framtiden`` (å, ä, ö → a, a, o)."""
    text = text.lower().translate(str.maketrans("åäöé", "aaoe"))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "avsnitt"


def outline_problems(tree, key: str = "disposition") -> list[str]:
    """What makes an outline unusable as the report's table of contents: no section at all,
    sections nested deeper than :data:`MAX_DEPTH` (Word's contents show three levels), a
    number given to two sections (two "1." headings), and a text, table or built-in section
    placed twice (shown twice, with its ids twice in one page).

    >>> outline_problems([])
    ['dispositionen är tom: ange minst ett avsnitt, eller ta bort nyckeln för rapporttypens avsnitt']
    """
    if not tree:
        return ["dispositionen är tom: ange minst ett avsnitt, eller ta bort nyckeln för rapporttypens avsnitt"]
    found = entries(tree, key)
    problems = [f"nyckeln '{e.path}': avsnittet {quote(e.title)} ligger på nivå {e.depth + 1}; högst {MAX_DEPTH} nivåer går"
                + (" (det gäller också avsnitten under det)" if any(d.path.startswith(f"{e.path}.") for d in found) else "")
                for e in found if e.depth == MAX_DEPTH]  # the first too deep of each branch: those below go with it
    first: dict[str, str] = {}
    for e in found:
        if e.number and e.number in first:
            problems.append(f"nyckeln '{e.path}': numret {e.number} har redan avsnittet i '{first[e.number]}'; "
                            "ge avsnitten olika nummer, eller utelämna 'nummer' för automatisk numrering")
        first.setdefault(e.number, e.path)
    placed: dict[tuple[str, str], str] = {}
    for e in found:
        for i, item in enumerate(e.items):
            where = f"{e.path}.innehall[{i}]"
            if (item.kind, item.ref) in placed:  # shown twice: its blocks, ids and figures twice
                problems.append(f"nyckeln '{where}': {_WHAT[item.kind]} {quote(item.ref)} står redan i "
                                f"'{placed[item.kind, item.ref]}'; allt i dispositionen visas en gång")
            placed.setdefault((item.kind, item.ref), where)
    return problems
