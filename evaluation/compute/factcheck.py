"""Fact check of the evaluator's texts: a typed number that contradicts a figure the report computes.

A text should state figures as variables (``{{ resultat.pagaende.andel }}``), but a number
typed by hand (``46 %``) is easy to write and goes stale. :func:`check` finds typed numbers
that are *almost* a figure of the report and warns; it never stops a report. It is pure: the
text and the figures (:class:`Checked`, made by :func:`report_figures`) in, findings out.

The rule, kept narrow so that a warning is almost always a real slip:

1. Only numbers typed in the text count. Template code (``{{ … }}``, ``{% … %}``,
   ``{# … #}``), link targets, footnote labels and code are left out, and so are years
   (1900–2100), dates, ranges and times (a number next to ``-``, ``–``, ``/``, ``:``), numbers
   followed by a unit (``år``, ``månader``, ``dagar``, ``kr``, ``procentenheter`` …), list
   numbers at the start of a line and a count followed by ``av`` (``14 av 33``: a part of a
   whole the text names).
   A number after a word that makes it a target or an estimate (``minst``, ``högst``,
   ``målet``, ``cirka``, ``drygt`` …, up to three words before; ``över``, ``under``, ``runt``,
   ``omkring`` only right before it, since ``under perioden deltog 40`` is no estimate) is left out too.
2. The text is cut into clauses at ``. ! ? ; :``, at commas (not a decimal comma) and at blank
   lines. A typed number is compared only with the figures whose name is written in the same
   clause nearest to it (in words, before or after): a word of the clause is one of the
   figure's words, or that word with a Swedish ending (``arbete``/``arbetet``,
   ``kvinnor``/``kvinnorna``).
3. A percentage (``46 %``, ``45,5 %``, ``46 procent``) is compared with shares, a whole number
   with counts. It is a warning only when it equals none of those figures (a share rounded to
   as many decimals as typed) and lies near one of them: within :data:`SHARE_POINTS`
   percentage points, or for a count within :data:`COUNT_UNITS` and a quarter of the figure
   (within a quarter alone when the figure's name is the word right before or after the
   number: ``deltog 40``, ``40 deltagare``). The warning names the nearest figure.
4. A sentence that names a sub-insats (or sub-group) whose figures are checked too (a
   :class:`Checked` with ``scope``) is compared with that sub-insats's figures only; any other
   sentence with the whole insats's. "47 % i Hälsoverket" is thus checked against Hälsoverket's
   share, not the whole insats's.

>>> fig = Checked("Pågående (tabellen resultat)", ("pågående",), "share", 15 / 33, "45,5\\xa0%",
...               'tabell("resultat", "Pågående", "andel")')
>>> [(f.line, f.typed, f.figure.shown) for f in check("Hela 15 (46 %) är pågående.", [fig])]
[(1, '46 %', '45,5\\xa0%')]
>>> check("Hela 15 (45 %) är pågående.", [fig])
[]

Longer than 400 lines: the check and the redaction of typed hidden numbers (:func:`redact_hidden`)
read a text the same way (its clauses, its typed numbers, the words that name a figure); apart,
each would carry a copy of that reading.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Iterable, Literal, Mapping

from evaluation.compute import figures
from evaluation.core.vocab import MARK
from evaluation.core import vocab, fmt

#: A typed share this close (percentage points) to a computed one, but not equal, is a slip.
SHARE_POINTS = 5.0
#: A typed count this close to a computed one (and within a quarter of it), but not equal, is a slip.
COUNT_UNITS = 2

_UNITS = {"år", "års", "åren", "månad", "månader", "månaders", "dag", "dagar", "dagars", "vecka", "veckor",
          "veckors", "timme", "timmar", "minuter", "kr", "kronor", "tkr", "mkr", "procentenheter",
          "procentenhet", "gånger", "januari", "februari", "mars", "april", "maj", "juni", "juli",
          "augusti", "september", "oktober", "november", "december"}
_ENDINGS = ("", "a", "n", "na", "en", "et", "s", "es", "ns", "nen", "er", "ar", "or", "erna", "arna", "orna")
_QUALIFIERS = {"minst", "högst", "mål", "målet", "målvärde", "målvärdet", "över", "under", "mer", "mindre",
               "cirka", "ca", "ungefär", "drygt", "knappt", "nästan", "omkring", "runt", "max", "maximalt",
               "minimum", "upp"}
#: Qualifiers that are also prepositions (``under perioden``, ``över tid``): only right before the number.
_ADJACENT_QUALIFIERS = {"under", "över", "runt", "omkring"}
_STOP = {"eller", "och", "i", "ej", "vid", "till", "av", "totalt", "överlappande", "inom", "utan", "med"}

#: A tag ends at its closer, and never spans another opener of its kind: so a text of openers never
#: closed is scanned once, not once per opener.
_TEMPLATE = re.compile(r"\{\{(?:(?!\{\{).)*?\}\}|\{%(?:(?!\{%).)*?%\}|\{#(?:(?!\{#).)*?#\}", re.S)
_IGNORED = re.compile(r"\]\([^)]*\)|\[\^[^\[\]]*\]|`[^`\n]*`|<[^<>\n]*>|https?://\S+")
_SENTENCE = re.compile(r"[.!?](?=\s|$)|\n\s*\n")
_CLAUSE = re.compile(r"[.!?;:](?=\s|$)|(?<!\d),|,(?!\d)|\n\s*\n")
_NUMBER = re.compile(
    r"(?<![\w.,\-–/:])(\d+(?:,\d+)?)(?:(\s*(?:%|procent(?!enhet)))|(?![\d\w\-–/:%]|,\d))")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Checked:
    """A figure typed numbers are compared with.

    ``label`` names it for the reader, ``words`` are the words that name it in a clause,
    ``value`` is a count or a fraction 0–1, ``shown`` how the report shows it and ``binding``
    the template expression that states it (suggested in the warning).
    """

    label: str
    words: tuple[str, ...]
    kind: Literal["count", "share"]
    value: float
    shown: str
    binding: str
    scope: str | None = None  # the sub-insats or sub-group the figure is of (None: the whole insats)


@dataclass(frozen=True)
class Finding:
    """A typed number that contradicts ``figure``: its 1-based line in the text and how it was typed."""

    line: int
    typed: str
    figure: Checked

    @property
    def message(self) -> str:
        return (f"'{self.typed}' stämmer inte med {self.figure.label}: {self.figure.shown}. Skriv siffran som "
                f"variabel, {{{{ {self.figure.binding} }}}}, så följer texten alltid tabellerna.")


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def _named_at(words: list[str]) -> dict[str, list[int]]:
    """Where in ``words`` each name is named (a word is a name with one of :data:`_ENDINGS`), once
    a clause: every figure is then looked up, not every word tried against each figure's names
    (the fact check of a bench report's texts, 11 texts of 25 figures each: 5.8 CPU-ms, now 3.0)."""
    at: dict[str, list[int]] = {}
    for i, word in enumerate(words):
        for ending in _ENDINGS:
            if word.endswith(ending):
                at.setdefault(word[:len(word) - len(ending)], []).append(i)
    return at


def _positions(at: dict[str, list[int]], figure: Checked) -> list[int]:
    """Where the figure is named, in order (``at``: :func:`_named_at` of the words)."""
    return sorted({i for name in figure.words for i in at.get(name, ())})


def _near(typed: float, decimals: int, figure: Checked) -> tuple[bool, float]:
    """(equal as typed, distance) of a typed number and a figure of the same kind."""
    if figure.kind == "share":
        computed = figure.value * 100
        return round(computed, decimals) == round(typed, decimals), abs(typed - computed)
    return typed == figure.value, abs(typed - figure.value)


def _within(distance: float, figure: Checked, adjacent: bool = False) -> bool:
    """Whether a typed number ``distance`` from ``figure`` is near enough to be a slip; a count
    whose name is ``adjacent`` to it (``deltog 40``) may be further off: the sentence says which it is."""
    if figure.kind == "share":
        return distance <= SHARE_POINTS
    return (adjacent or distance <= COUNT_UNITS) and distance <= figure.value / 4


def check(source: str, checked: Iterable[Checked]) -> list[Finding]:
    """Typed numbers in ``source`` (a text as written) that contradict a figure (see the module)."""
    checked = [c for c in checked if isinstance(c.value, (int, float)) and not math.isnan(c.value)]
    if not checked:
        return []
    text = _IGNORED.sub(_blank, _TEMPLATE.sub(_blank, source))
    scopes = {c.scope for c in checked if c.scope}
    sentences = [m.end() for m in _SENTENCE.finditer(text)] + [len(text)]
    findings = []
    start = 0
    bounds = [m.end() for m in _CLAUSE.finditer(text)] + [len(text)]
    for end in bounds:
        clause = text[start:end]
        scope = _scope(text, start, sentences, scopes)
        words = [w.lower() for w in _WORD.findall(clause)]  # numbers are not words here
        at = _named_at(words)
        named = {c: _positions(at, c) for c in checked if c.scope == scope}
        named = {c: where for c, where in named.items() if where}
        if named:
            for match in _NUMBER.finditer(clause):
                at = len(_WORD.findall(clause[:match.start()]))  # words before the number
                finding = _judge(text, start, clause, match, named, words, at)
                if finding:
                    findings.append(finding)
        start = end
    return findings


def _scope(text: str, at: int, sentence_ends: list[int], scopes: set[str]) -> str | None:
    """The sub-insats the sentence around position ``at`` names (the first named), or ``None``."""
    if not scopes:
        return None
    end = next(e for e in sentence_ends if e > at) if any(e > at for e in sentence_ends) else len(text)
    begin = max([e for e in sentence_ends if e <= at], default=0)
    sentence = text[begin:end].lower()
    found = [(m.start(), name) for name in scopes
             for m in [re.search(r"(?<!\w)" + re.escape(name.lower()) + r"(?:s|ets|ens|s)?(?!\w)", sentence)] if m]
    return min(found)[1] if found else None


def _judge(text: str, offset: int, clause: str, match: re.Match, named: dict, words: list[str],
           at: int) -> Finding | None:
    digits, percent = match.group(1), match.group(2)
    if any(w in _QUALIFIERS - _ADJACENT_QUALIFIERS for w in words[max(0, at - 3):at]) or (
            at and words[at - 1] in _ADJACENT_QUALIFIERS):
        return None
    after = clause[match.end():]
    following = (_WORD.findall(after[:40]) or [""])[0].lower()
    line_start = text.rfind("\n", 0, offset + match.start()) + 1
    before_on_line = text[line_start:offset + match.start()]
    if not percent:
        if "," in digits or following in _UNITS or following == "av":
            return None
        if 1900 <= int(digits) <= 2100:
            return None
        if not before_on_line.strip() and re.match(r"[.)]", after):
            return None  # a list number
    decimals = len(digits.split(",")[1]) if "," in digits else 0
    typed = float(digits.replace(",", "."))
    kind = "share" if percent else "count"
    # words between: a name right after the number is 1 away, the word right before it is 1 away
    distance = {c: min(p - at + 1 if p >= at else at - p for p in where) for c, where in named.items() if c.kind == kind}
    if not distance:
        return None
    nearest = min(distance.values())
    candidates = [c for c, d in distance.items() if d == nearest]
    judged = [(_near(typed, decimals, c), c) for c in candidates]
    if any(equal for (equal, _), _ in judged):
        return None
    close = [(distance, c) for (_, distance), c in judged if _within(distance, c, adjacent=nearest == 1)]
    if not close:
        return None
    figure = min(close, key=lambda pair: pair[0])[1]
    shown_typed = " ".join(match.group(0).split())
    line = text.count("\n", 0, offset + match.start()) + 1
    return Finding(line, shown_typed, figure)


# -- the figures of a report ------------------------------------------------------------------
#: Key figures checked, with the words that name them in a text.
KEY_FIGURE_WORDS: dict[str, tuple[str, ...]] = {
    "antal.deltagare": ("deltagare", "deltog"),
    "antal.inskrivningar": ("inskrivningar",),
    "antal.nya": ("nya", "började", "skrevs"),
    "antal.avslutade": ("avslutade", "avslutades", "avslutat"),
    "antal.pagaende": ("pågående",),
    "antal.kvinnor": ("kvinnor",),
    "antal.man": ("män",),
    "antal.gemensam_planering": ("planering",),
    "andel.gemensam_planering": ("planering",),
    "mal.totalt": ("mål",),
    "mal.uppfyllda": ("uppfyllda", "uppfyllt"),
}


def _words(label: str) -> tuple[str, ...]:
    return tuple(w for w in (w.lower() for w in _WORD.findall(label)) if w not in _STOP)


def _result_rows(result, scope: str | None = None) -> list[Checked]:
    """Count and share of every row of a ``resultat`` table (hidden and missing cells left out)."""
    out = []
    for _, row in result.frame.iterrows():
        label = str(row["kategori"])
        words = _words(label)
        slug = vocab.row_slug(label)
        for column, kind in (("antal", "count"), ("andel", "share")):
            value = row[column]
            if isinstance(value, str) or value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            shown = fmt.number(value) if kind == "count" else fmt.percent(value)
            named = f"{label} – {scope}" if scope else label
            binding = (f"resultat.{slug}.{column}" if column == "antal" and scope is None
                       else f'tabell("{result.id}", "{label}", "{column}")')
            out.append(Checked(f"{named} (tabellen {result.id}, {column})", words, kind, float(value), shown,
                               binding, scope))
    return out


def _scoped(name: str, people, outcome) -> list[Checked]:
    """A sub-insats's figures: its ``resultat_<slug>`` rows and its participants by gender."""
    out = _result_rows(outcome, name)
    frame = people.frame.set_index("kon")
    for gender, column, words in (("Totalt", "unika", KEY_FIGURE_WORDS["antal.deltagare"]),
                                  ("Kvinna", "unika", ("kvinnor",)), ("Man", "unika", ("män",))):
        if gender in frame.index:
            value = frame.loc[gender, column]
            if isinstance(value, str) or value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            out.append(Checked(f"{gender} – {name} (tabellen {people.id}, {column})", words, "count", float(value),
                               fmt.number(value), f'tabell("{people.id}", "{gender}", "{column}")', name))
    return out


def report_figures(key_figures: Mapping[str, object], tables: Mapping[str, object],
                   subgroups=()) -> list[Checked]:
    """The figures a report's texts are checked against: every row of ``resultat`` (count and
    share, as the table shows them) and the key figures of :data:`KEY_FIGURE_WORDS`; with
    ``subgroups`` (``(name, deltagare_kon table, resultat table)`` per sub-insats) the same
    figures of each sub-insats, scoped to it. Hidden cells (``..``) and missing values are left out."""
    out: list[Checked] = []
    result = tables.get("resultat")
    if result is not None:
        out += _result_rows(result)
    for name, people, outcome in subgroups:
        out += _scoped(name, people, outcome)
    for name, words in KEY_FIGURE_WORDS.items():
        value = key_figures.get(name)
        if value is None or (isinstance(value, str) and value == MARK) or isinstance(value, str):
            continue
        kind = "share" if figures.kind_of(name) == "share" else "count"
        out.append(Checked(name, words, kind, float(value), figures.format_value(name, value), name))
    return out


# -- typed numbers that state a hidden cell --------------------------------------------------------
@dataclass(frozen=True)
class Redaction:
    """A typed number of a text that equals a cell hidden by disclosure control (``min_cell``)."""

    line: int
    typed: str
    table: str
    label: str

    @property
    def message(self) -> str:
        return (f"'{self.typed}' är samma tal som en uppgift som döljs för att skydda enskilda personer "
                f"({self.label}, tabellen {self.table}); talet visas som '{MARK}' i rapporten. Skriv om meningen "
                "utan talet, eller skriv det som variabel, {{ ... }}, som visar det bara när det får visas.")


#: More words that name a count column in a text (besides the column's own words).
_COLUMN_WORDS = {"svarande": ("svarade", "svarat", "svar"), "tillfragade": ("tillfrågade", "tillfrågades"),
                 "svar": ("svarade", "svarat", "svar"), "unika": ("deltagare",), "avslutade": ("avslutades", "avslut"),
                 "nya": ("började",)}


def redact_hidden(source: str, hidden: Iterable) -> tuple[str, list[Redaction]]:
    """``source`` with every typed number that states a hidden cell replaced by ``..``, and what
    was replaced (``hidden``: :class:`evaluation.compute.cellrefs.Hidden` cells with their true values).

    A typed percentage (``98 %``) is replaced when it equals a hidden share as typed (rounded to
    the typed decimals) and its sentence names the cell (:func:`_names_cell`: its row, its column,
    its table, or for a survey or a measurement words that speak of one), so that a share which
    only happens to equal a hidden cell of an unrelated table is left as written. A typed whole
    number is replaced when it equals a hidden count whose row is named in the same clause
    (``1 deltagare gick till studier``, ``2 av 12 svarade``, words as in :func:`check`); years,
    dates, numbers with a unit and list numbers are never touched. Template code is never touched.

    >>> from evaluation.compute.cellrefs import Hidden
    >>> cells = [Hidden("resultat", "Studier", "antal", "count", 1.0), Hidden("enkat_x", "q1", "andel_topp", "share", 0.98),
    ...          Hidden("matning_ors", "Kvinna", "andel_forbattrade", "share", 0.5)]
    >>> redact_hidden("Hela 98 % var nöjda. 1 gick till studier, 4 till arbete.", cells)[0]
    'Hela .. var nöjda. .. gick till studier, 4 till arbete.'
    >>> redact_hidden("Hälften, 50 %, gick till arbete. Av kvinnorna förbättrade 50 % sin skattning.", cells)[0]
    'Hälften, 50 %, gick till arbete. Av kvinnorna förbättrade .. sin skattning.'
    """
    hidden = [h for h in hidden if isinstance(h.value, (int, float)) and not math.isnan(h.value)]
    if not hidden:
        return source, []
    text = _IGNORED.sub(_blank, _TEMPLATE.sub(_blank, source))
    cuts: list[tuple[int, int, Redaction]] = []
    start = 0
    sentence_ends = [m.end() for m in _SENTENCE.finditer(text)] + [len(text)]
    for end in [m.end() for m in _CLAUSE.finditer(text)] + [len(text)]:
        clause = text[start:end]
        named = _named_at([w.lower() for w in _WORD.findall(clause)])
        begin = max([e for e in sentence_ends if e <= start], default=0)
        finish = next(e for e in sentence_ends if e > start) if start < len(text) else len(text)
        sentence = {_folded(w.lower()) for w in _WORD.findall(text[begin:max(finish, end)])}
        for match in _NUMBER.finditer(clause):
            cell = _hidden_match(clause, match, named, hidden, sentence)
            if cell is not None:
                at = start + match.start()
                line = text.count("\n", 0, at) + 1
                cuts.append((at, start + match.end(), Redaction(line, " ".join(match.group(0).split()), cell.table,
                                                                cell.label)))
        start = end
    out = source
    for begin, finish, _ in reversed(cuts):
        out = out[:begin] + MARK + out[finish:]
    return out, [r for _, _, r in cuts]


#: Words that speak of a survey's or a measurement's figures, for a sentence that states one without
#: naming the table (``98 % av de svarande var nöjda``), folded as :func:`_folded` does.
_TABLE_WORDS = {
    "resultat": ("resultat", "avslutade", "avslutades", "avslut", "avslutet", "gick"),
    "enkat": ("enkat", "svar", "svarade", "svarat", "svarande", "positiva", "positivt", "nojda", "nojd", "instamde",
              "instammer", "fraga", "fragan", "fragorna", "tillfragade"),
    "matning": ("matning", "matningen", "matningarna", "matte", "forbattrade", "forbattring", "forbattrats",
                "forsamrade", "oforandrade", "aterhamtade", "skattning", "skattade", "skattningen"),
}
#: More words that name a row in a text (besides the label's own words).
_LABEL_WORDS = {"kvinna": ("kvinnor",), "man": ("män", "mannen", "männen")}
#: Words of a cell's name too common to say which cell a sentence speaks of.
_GENERIC = {"andel", "antal", "bas", "procent", "kategori", "visning"}


def _folded(word: str) -> str:
    """``word`` with å, ä, ö as a, a, o: a column is named ``forbattrade``, a text writes ``förbättrade``."""
    return word.translate(str.maketrans("åäö", "aao"))


def _names_cell(sentence: set[str], cell) -> bool:
    """Whether a sentence (its words, lower case and folded) names the hidden ``cell``: a word of its
    row's label, its column, its table's id, or a word that speaks of its kind of table
    (:data:`_TABLE_WORDS`), alone or with a Swedish ending (``kvinnorna``, ``styrgruppen``)."""
    names = [*_words(cell.label), *(w for n in _words(cell.label) for w in _LABEL_WORDS.get(n, ())), *_words(cell.column), *_COLUMN_WORDS.get(cell.column, ()), *_words(cell.table),
             *_TABLE_WORDS.get(cell.table.split("_")[0], ())]
    names = {_folded(n) for n in names if len(n) >= 3 and n not in _GENERIC}
    return any(word.startswith(name) and word[len(name):] in _ENDINGS for word in sentence for name in names)


def _hidden_match(clause: str, match: re.Match, named: dict[str, list[int]], hidden: list,
                  sentence: set[str] = frozenset()):
    """The hidden cell a number of ``clause`` gives back, if any (``named``: :func:`_named_at` of the clause's words)."""
    digits, percent = match.group(1), match.group(2)
    decimals = len(digits.split(",")[1]) if "," in digits else 0
    typed = float(digits.replace(",", "."))
    if percent:
        return next((h for h in hidden if h.kind == "share" and round(h.value * 100, decimals) == round(typed, decimals)
                     and _names_cell(sentence, h)), None)
    after = clause[match.end():]
    following = (_WORD.findall(after[:40]) or [""])[0].lower()
    if "," in digits or following in _UNITS or 1900 <= typed <= 2100:
        return None
    if not clause[:match.start()].strip() and re.match(r"[.)]", after):
        return None  # a list number
    for h in hidden:
        if h.kind != "count" or h.value != typed:
            continue
        names = _words(h.label) + _words(h.column) + _COLUMN_WORDS.get(h.column, ())
        figure = Checked(h.label, names, "count", h.value, "", "")
        if names and _positions(named, figure):
            return h
    return None
