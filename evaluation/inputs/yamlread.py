"""Reading YAML safely: no tags that build objects, a cap on aliases and on the expanded size
(an alias bomb), no key written twice in one mapping, and no template variable in a value that
is not a template (:func:`refuse_templates`).

Longer than 400 lines: one reader, the safe loader and the checks of what it read (templates,
personal data across values and in numbers) that every YAML input passes once.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from evaluation.core import fonts, pii, surrogates
from evaluation.core.collector import note
from evaluation.core.errors import InputError, Notice, cut_list
from evaluation.core.markup import NOT_A_TEMPLATE, TEMPLATE_OPENER, typed_markdown
from evaluation.core.pii import quote
from evaluation.inputs.cells import plain
from evaluation.inputs.textfiles import confinement, read_text
from evaluation.inputs.readonce import read_once

#: YAML limits: aliases (``*name``) in one file, and nodes once every alias is expanded.
MAX_YAML_ALIASES = 1000
MAX_YAML_NODES = 200_000


class _TooComplex(yaml.YAMLError):
    """The document expands beyond what a hand-written file needs."""


class _RepeatedKey(yaml.YAMLError):
    """A key written twice in one mapping: YAML would keep the last and drop the first unsaid."""

    def __init__(self, key, lines: tuple[int, int]):
        super().__init__(key)
        self.key, self.lines = key, lines


class _BadScalar(yaml.YAMLError):
    """A value the readers cannot take as written: one YAML recognised by its form (a date, a
    number, true/false) that is no such thing (``2024-02-30``, ``!!int abc``: PyYAML's
    constructors raise Python's own errors for these), or one written as ``!!binary`` (base64:
    bytes no input uses, and text no scan for personal data could read)."""

    def __init__(self, line: int, tag: str, key: object = None, column: int | None = None):
        super().__init__(tag)
        self.line, self.tag, self.key, self.column = line, tag, key, column


_RETYPE = " Rätta värdet, eller skriv det inom citattecken om det ska vara text."
#: What is wrong with a scalar of each tag, for the message after "<file>, rad <n>: ".
_SCALAR_PROBLEMS = {
    "tag:yaml.org,2002:timestamp": "värdet ser ut som ett datum men finns inte (som 2024-02-30) eller har en tid "
                                   "som inte finns; skriv ÅÅÅÅ-MM-DD med en dag som finns i månaden." + _RETYPE,
    "tag:yaml.org,2002:int": "värdet ser ut som ett heltal men går inte att läsa som ett." + _RETYPE,
    "tag:yaml.org,2002:float": "värdet ser ut som ett tal men går inte att läsa som ett." + _RETYPE,
    "tag:yaml.org,2002:bool": "värdet ser ut som sant eller falskt men är inget av dem (skriv true eller false)."
                              + _RETYPE,
    "tag:yaml.org,2002:binary": "värdet är skrivet som !!binary (kodat i base64). Inga indata är binära, och kodad "
                                "text kan inte granskas: skriv värdet som vanlig text.",
}


class _LimitedLoader(yaml.SafeLoader):
    """The safe loader with a cap on aliases and on the expanded size of the document, that
    refuses a key written twice in one mapping and a value written as ``!!binary``."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict = {}
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node)
                if key in seen:
                    raise _RepeatedKey(key, (seen[key], key_node.start_mark.line))
                seen[key] = key_node.start_mark.line
        try:
            return super().construct_mapping(node, deep=deep)
        except _BadScalar as exc:  # the key of a value that cannot be read: the message names it
            if exc.key is None:
                exc.key = next((k.value for k, v in node.value if v.start_mark.line == exc.line  # the value's own key,
                                and exc.column in (None, v.start_mark.column)  # not the first on its line:
                                and isinstance(k, yaml.ScalarNode)), None)  # {start: 2024-01-01, slut: 2024-31-12}
            raise

    def __init__(self, stream):
        super().__init__(stream)
        self._aliases = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_YAML_ALIASES:
                raise _TooComplex(f"fler än {MAX_YAML_ALIASES} alias (*namn)")
        return super().compose_node(parent, index)

    def get_single_node(self):
        node = super().get_single_node()
        if node is not None:
            _expanded_size(node, {}, set())
        return node

    def _binary(self, node):
        raise _BadScalar(node.start_mark.line, node.tag, column=node.start_mark.column)

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, KeyError, AttributeError, TypeError, OverflowError) as exc:
            if isinstance(exc, yaml.YAMLError) or not isinstance(node, yaml.ScalarNode):
                raise
            raise _BadScalar(node.start_mark.line, node.tag, column=node.start_mark.column) from None


# base64 would hide a personnummer from the scan of what is written (it is read as it stands)
_LimitedLoader.add_constructor("tag:yaml.org,2002:binary", _LimitedLoader._binary)

# Numbers as YAML 1.2 reads them, not YAML 1.1 (PyYAML's): ``10:25`` (625 in base 60), ``8_112_189_876``
# and ``0b101`` stay the text written, which the value's check refuses where a number goes; ``012`` is 12.
_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_LimitedLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag not in (_INT, _FLOAT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_LimitedLoader.add_implicit_resolver(_INT, re.compile(r"^(?:[-+]?[0-9]+|0x[0-9a-fA-F]+|0o[0-7]+)$"),
                                     list("-+0123456789"))
_LimitedLoader.add_implicit_resolver(
    _FLOAT, re.compile(r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."))


def _yaml_1_2_int(loader: _LimitedLoader, node) -> int:
    """A whole number of YAML 1.2: decimal (a leading zero too), ``0x`` hexadecimal, ``0o`` octal."""
    text = loader.construct_scalar(node)
    digits = text.lstrip("+-")
    base = {"0x": 16, "0o": 8}.get(digits[:2], 10)
    value = int(digits[2:] if base != 10 else digits, base)
    return -value if text.startswith("-") else value


_LimitedLoader.add_constructor(_INT, _yaml_1_2_int)


def _expanded_size(node, sizes: dict, open_nodes: set) -> int:
    """Nodes in the document once every alias is written out (each shared node counted per use)."""
    key = id(node)
    if key in sizes:
        return sizes[key]
    if key in open_nodes:
        raise _TooComplex("ett alias som pekar på sig självt")
    open_nodes.add(key)
    size = 1
    if isinstance(node, yaml.SequenceNode):
        size += sum(_expanded_size(child, sizes, open_nodes) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        size += sum(_expanded_size(k, sizes, open_nodes) + _expanded_size(v, sizes, open_nodes) for k, v in node.value)
    open_nodes.discard(key)
    if size > MAX_YAML_NODES:
        raise _TooComplex(f"mer än {MAX_YAML_NODES} värden när alla alias skrivs ut")
    sizes[key] = size
    return size


def load_yaml_text(text: str, path: Path, first_line: int = 1) -> object:
    """Parse YAML text safely and within limits; raises ``yaml.YAMLError`` (or
    :class:`InputError` for a document that expands too far or nests too deep, repeats a
    key, writes a value as ``!!binary`` or half a character with a ``\\u`` escape).
    ``first_line`` is the file's line number of the text's first line."""
    try:
        data = yaml.load(text, Loader=_LimitedLoader)  # noqa: S506 - a SafeLoader subclass
    except _RepeatedKey as exc:
        first, second = (line + first_line for line in exc.lines)
        raise InputError(
            f"{path}: nyckeln {pii.quote(exc.key)} står två gånger, på rad {first} och rad {second}; "
            "bara en av dem skulle räknas. Ta bort eller slå ihop den ena och kör igen."
        ) from None
    except _BadScalar as exc:
        problem = _SCALAR_PROBLEMS.get(exc.tag, "värdet går inte att läsa som den typ det är skrivet som." + _RETYPE)
        key = f", nyckeln {quote(exc.key)}" if exc.key is not None else ""
        raise InputError(f"{path}, rad {exc.line + first_line}{key}: {problem}") from None
    except _TooComplex as exc:
        raise InputError(
            f"{path}: YAML-filen är för stor när dess alias skrivs ut ({exc}). Skriv ut värdena "
            "direkt i stället för att upprepa dem med &ankare och *alias."
        ) from None
    except RecursionError:
        raise InputError(f"{path}: YAML-filen är nästlad i för många nivåer. Skriv den plattare.") from None
    if surrogates.holds_any(data):  # "\\ud83d": half a character, which no output could write
        raise InputError(surrogates.message(str(path), surrogates.escape_in(text, first_line)))
    return _plain_texts(data)


def _plain_texts(data):
    """``data`` with every text value :func:`evaluation.inputs.cells.plain`: no control characters.

    A file cannot hold a control character as it is (the reader refuses it, saying where), but
    a quoted value can write one as an escape (``"Steg\\aet"``, ``"\\0"``): no one means it, and
    Excel cannot hold it. Keys stay as written: a key that is not allowed is named as it stands.

    >>> _plain_texts({"namn": "Steg\\x07et", "steg": ["Ko\\u0308n", 1], "ko\\x07n": None})
    {'namn': 'Steget', 'steg': ['Kön', 1], 'ko\\x07n': None}
    """
    if isinstance(data, str):
        return plain(data)
    if isinstance(data, list):
        return [_plain_texts(value) for value in data]
    if isinstance(data, dict):
        return {key: _plain_texts(value) for key, value in data.items()}
    return data


def key_as_written(key: object) -> str:
    """A mapping key as the file spells it, for a message: YAML reads ``1:``, ``true:``, ``null:``
    and ``2024-01-01:`` as a number, a truth value, nothing and a date, not as text.

    >>> import datetime
    >>> [key_as_written(k) for k in ("Titel", 1, True, None, datetime.date(2024, 1, 1))]
    ['Titel', '1', 'true', 'null', '2024-01-01']
    """
    return key if isinstance(key, str) else yaml.safe_dump(key).split("\n")[0]


def describe_key(keys: tuple) -> str:
    """A key path as a reader finds it in the file.

    >>> describe_key(("personal", 1, "procent"))
    "personal post 2, nyckeln 'procent'"
    >>> describe_key(("kallor", 0)), describe_key((2, "id"))
    ('kallor post 1', "post 3, nyckeln 'id'")
    """
    parts: list[str] = []
    for i, key in enumerate(keys):
        if isinstance(key, int):
            if i == 0:  # a file that is a list (mal.yaml)
                parts.append(f"post {key + 1}")
            continue
        if i + 1 < len(keys) and isinstance(keys[i + 1], int):
            parts.append(f"{key} post {keys[i + 1] + 1}")
        else:
            parts.append(f"nyckeln {quote(key)}")
    return ", ".join(parts)


def _template_keys(data, templated: tuple[str, ...], keys: tuple = ()) -> list[tuple]:
    """The key paths of the text values that hold a template's opener, but for keys in ``templated``."""
    if isinstance(data, str):
        named = next((k for k in reversed(keys) if isinstance(k, str)), None)
        return [keys] if TEMPLATE_OPENER.search(data) and named not in templated else []
    if isinstance(data, list):
        return [found for i, value in enumerate(data) for found in _template_keys(value, templated, keys + (i,))]
    if isinstance(data, dict):
        return [found for key, value in data.items() for found in _template_keys(value, templated, keys + (key,))]
    return []


class NotATemplate(InputError):
    """A template's variable or condition in a value that is not a template (:func:`refuse_templates`)."""


def refuse_templates(data, path: Path, text: str, templated: tuple[str, ...] = ()) -> None:
    """A variable or condition (``{{ }}``, ``{% %}``) in a value that is not a template is an
    :class:`NotATemplate` naming the file, the lines and the keys: the report showed it as typed.
    Only the evaluator's texts and the goals' ``text`` and ``kommentar`` are templates."""
    found = _template_keys(data, templated)
    if not found:
        return
    lines = [str(n) for n, line in enumerate(text.split("\n"), start=1)
             if TEMPLATE_OPENER.search(line) and not line.lstrip().startswith("#")]
    where = f", rad {cut_list(lines)}" if lines else ""
    raise NotATemplate(
        f"{path}{where}: {cut_list(describe_key(k) or 'värdet' for k in found)}: {{{{ … }}}} och {{% … %}} "
        f"{NOT_A_TEMPLATE}."
    )


def _shown_values(data, keys: tuple = (), with_keys: bool = True):
    """``(key path, text)`` of every text a report may show, in the file's order: the values, and
    the keys too with ``with_keys`` (a matrix's group is a key; ``titel`` and ``beskrivning`` are not
    shown). Numbers are left out: shown, they are printed grouped ("241 231"), and two numbers
    side by side in a file (a cost and its year) are no personnummer. So is a single word
    (``typ: lista`` between a title and its description): most are a kind, never shown."""
    if isinstance(data, dict):
        for key, value in data.items():
            if with_keys and isinstance(key, str) and not _WORD.match(key):
                yield keys, key  # named by where it stands: the key may hold half the number
            yield from _shown_values(value, keys + (key,), with_keys)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _shown_values(value, keys + (i,), with_keys)
    elif isinstance(data, str) and not _WORD.match(data):
        yield keys, data


_WORD = re.compile(r"[^\W\d_]+\Z")


def _numbers(data, keys: tuple = ()):
    """``(key path, whole number)`` of every whole number in ``data`` (a float too, when whole)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _numbers(value, keys + (key,))
    elif isinstance(data, list):
        yield from (found for i, value in enumerate(data) for found in _numbers(value, keys + (i,)))
    elif isinstance(data, (int, float)) and not isinstance(data, bool) and float(data).is_integer():
        yield keys, abs(int(data))


#: Most keys of one mapping whose values are read joined two by two (:func:`_sibling_pairs`).
_MOST_SIBLINGS = 60
#: Keys whose number a report shows formatted (``7 956 kr``, ``98 %``) or not at all: beside a
#: text it is no half of a personnummer. A number where a text goes is printed as its digits.
_FORMATTED = frozenset({"belopp", "insatsens_kostnad", "procent", "antal_tillfragade", "min_cell", "provtid_dagar",
                        "alder_intervall", "topp", "ordning", "varde", "horisont_ar", "langd_min", "gransvarde",
                        "manader_efter_avslut"})


def _ends(value, last: bool) -> list:
    """The texts (or numbers) a value may show first, or with ``last`` last: of a mapping, each of its
    values' (a report has its own order), of a list its first or last item's."""
    if isinstance(value, dict):
        return [end for key, item in list(value.items())[:_MOST_SIBLINGS] if key not in _FORMATTED
                for end in _ends(item, last)]
    if isinstance(value, list):
        return _ends(value[-1 if last else 0], last) if value else []
    if isinstance(value, dt.date):  # an unquoted date: shown as written
        return [value.isoformat()]
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return []
    return [] if isinstance(value, str) and _WORD.match(value) else [value]


def _sibling_pairs(data, keys: tuple = ()):
    """``(key path, first, second, text)``: texts a report may show one right after the other, joined.
    Two values of one mapping in both orders (a report shows them in its own order: a matrix's
    ``radrubrik`` before its columns, a row's ``namn`` before its ``celler``, wherever the file has
    them); a key and its value's first text; two items of a list, in order. A number beside a text
    counts (printed where a text goes, it is its digits), but under :data:`_FORMATTED`; two numbers
    side by side do not (a cost and its year)."""
    if isinstance(data, dict):
        items = [(key, value) for key, value in data.items() if key not in _FORMATTED][:_MOST_SIBLINGS]
        for a, first_value in items:
            if isinstance(a, (str, int)) and not isinstance(a, bool) and not (isinstance(a, str) and _WORD.match(a)):
                yield from _joined(keys, a, a, [a], _ends(first_value, False))
            for b, second_value in items:
                if a != b:
                    yield from _joined(keys, a, b, _ends(first_value, True), _ends(second_value, False))
        for key, value in data.items():
            yield from _sibling_pairs(value, keys + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            if i:
                yield from _joined(keys, i - 1, i, _ends(data[i - 1], True), _ends(value, False))
            yield from _sibling_pairs(value, keys + (i,))


def _joined(keys: tuple, a, b, lasts: list, firsts: list):
    for last in lasts:
        for first in firsts:
            if isinstance(last, str) or isinstance(first, str):
                yield keys, a, b, f"{_as_shown(last)}\n{_as_shown(first)}"


def _as_shown(value) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _date_hint(text: str, following: tuple = ()) -> str:
    """Advice when two values read joined are a date and a number (``following``: the next value's
    ``(keys, text)``)."""
    joined = f"{text}\n{following[1]}" if following else text
    return (" Är det ett datum och ett tal, börja det andra värdet med ett ord (t.ex. 'Budgeten för 2021 …')."
            if pii.date_shaped(joined) or pii.compact_dated(joined) else "")


def refuse_personal_data_across_values(data, path: Path) -> None:
    """A personnummer split over two texts that a report shows one right after the other (a
    matrix's row name and its first cell, two items of a list, a title and its description, a
    group and its first item, in whichever order the file has them): each passes the scan of the
    file's lines, and the page reads them as one number. An :class:`InputError` naming the first of the two by its key, never the texts.

    >>> refuse_personal_data_across_values({"titel": "Samverkan 811218", "beskrivning": "-9876"}, Path("m.yaml"))
    Traceback (most recent call last):
    ...
    evaluation.core.errors.InputError: m.yaml, nyckeln 'titel': texten och den som står närmast efter ...
    """
    for keys, number in _numbers(data):  # 0x1e38631b4, 0o…, 0811218…, 8.1…e9: printed as its digits
        if pii.value_kind(str(number)) == pii.PNR:
            raise InputError(f"{path}, {describe_key(keys) or 'värdet'}: talet blir något som ser ut som {pii.with_article(pii.PNR)} "
                             "när det skrivs ut (värdet visas inte). Skriv inga personuppgifter, inte heller som tal.")
    for with_keys in (False, True):
        values = list(_shown_values(data, with_keys=with_keys))
        first = pii.first_split([text for _, text in values])
        if first is not None:
            keys = values[first][0]
            raise InputError(
                f"{path}, {describe_key(keys) or 'värdet'}: texten och den som står närmast efter den blir "
                f"tillsammans något som ser ut som {pii.with_article(pii.PNR)} (texterna visas inte). Skriv inga "
                f"personuppgifter, inte heller delade på två värden.{_date_hint(values[first][1], *values[first + 1:first + 2])}")
    pairs = list(_sibling_pairs(data))
    first = pii.first_split([text for *_, text in pairs], gap=3)  # each pair apart: two empty lines between
    if first is not None:
        keys, a, b, text = pairs[first]
        named = (f" ({quote(a)} och {quote(b)})" if all(isinstance(k, str) and _WORD.match(k) for k in (a, b))
                 else f" (post {a + 1} och {b + 1})" if isinstance(a, int) and isinstance(b, int) and b == a + 1 else "")
        raise InputError(
            f"{path}, {describe_key(keys) or 'översta nivån'}: två värden som rapporten kan visa intill varandra{named} "
            f"blir tillsammans något som ser ut som {pii.with_article(pii.PNR)} (värdena visas inte). Skriv inga "
            f"personuppgifter, inte heller delade på två värden.{_date_hint(text)}")


@read_once(scope=confinement)
def read_yaml(path: Path, templated: tuple[str, ...] = (), markdown: bool = False) -> object:
    """Load YAML safely: tags never construct objects or run code; size and aliases are capped.
    A template's variable or condition is refused but in the keys named ``templated``
    (:func:`refuse_templates`); a character no shipped font has is a notice with its line, and
    so is Markdown in a file whose values are shown as written (all but ``markdown=True``)."""
    path = Path(path)
    text = read_text(path)
    try:
        data = load_yaml_text(text, path)
    except yaml.YAMLError as exc:
        mark = where_in(exc)
        where = f" på rad {mark.line + 1}, tecken {mark.column + 1}" if mark else ""
        if isinstance(exc, yaml.reader.ReaderError) and isinstance(exc.position, int):  # a control character
            line = text.count("\n", 0, exc.position) + 1
            where = f" på rad {line}"
        raise InputError(f"{path}: ogiltig YAML{where}: {explain(exc)}") from None
    refuse_templates(data, path, text, templated)
    refuse_personal_data_across_values(data, path)
    shown = "\n".join("" if line.lstrip().startswith("#") else line for line in text.split("\n"))  # not comments
    note(*fonts.unprintable(path, shown))  # an emoji in a value: an empty box in the PDF
    if not markdown:
        note(*(Notice(path, problem.line + 1, f"{problem.message}.") for problem in typed_markdown(shown)))
    return data


def where_in(exc: yaml.YAMLError):
    """Where the mistake is: where PyYAML stopped, or, for a quote or bracket never closed (PyYAML
    stops lines later), where that quote or bracket opened; for a key without its colon
    (``namn:HOPP``, ``min_cell 3``) the line it is on, not the next line with content (often a
    comment's) where PyYAML noticed."""
    context = str(getattr(exc, "context", "") or "")
    if any(opened in context for opened in ("quoted scalar", "flow sequence", "flow mapping", "simple key")):
        return getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
    return getattr(exc, "problem_mark", None)


#: What PyYAML's problems (and their context) mean, and what to do, the first that matches.
_PROBLEMS = (
    ("'\\t' that cannot start", "raden är indragen med tabb. YAML dras in med mellanslag: byt tabben mot "
                                "mellanslag (lika många som raderna bredvid)."),
    ("scanning a quoted scalar", "ett citattecken (' eller \") öppnas men stängs aldrig. Stäng det på samma rad."),
    ("mapping values are not allowed", "ett kolon står där det inte får stå: sätt citattecken runt en text som "
                                       "innehåller ': ', eller dra in raden som raderna ovanför."),
    ("could not find expected ':'", "nyckeln saknar kolon, eller mellanslaget efter kolon: skriv 'nyckel: värde' "
                                    "(som 'namn: HOPP'), eller sätt citattecken runt en text som fortsätter på "
                                    "nästa rad."),
    ("undefined alias", "ett *alias pekar på ett &ankare som inte finns. Sätt citattecken runt en text som "
                        "börjar med '*'."),
    ("scanning an alias", "ett värde börjar med '*'. Sätt citattecken runt texten."),
    ("scanning an anchor", "ett värde börjar med '&'. Sätt citattecken runt texten."),
    ("constructor for the tag", "taggar (som börjar med '!') är inte tillåtna. Ta bort taggen, eller sätt "
                                "citattecken runt en text som börjar med '!'."),
    ("that cannot start any token", "ett värde börjar med ett tecken som YAML reserverar (@, ` eller %). Sätt "
                                    "citattecken runt texten."),
    ("another document", "filen innehåller flera dokument (en rad '---' mitt i filen). Ta bort raden '---', "
                         "så att allt är ett dokument."),
    ("flow sequence", "en lista inom [ ] stängs aldrig med ]. Stäng den, eller sätt citattecken runt en text "
                      "som börjar med '['."),
    ("flow mapping", "en mängd inom { } stängs aldrig med }. Stäng den, eller sätt citattecken runt en text "
                     "som börjar med '{'."),
    ("unhashable key", "en nyckel är en lista eller mängd. En nyckel ska vara en text."),
    ("block scalar", "efter '|' eller '>' får bara stå '-', '+' eller en siffra. Sätt citattecken runt texten."),
    ("<block end>", "indraget stämmer inte: rader på samma nivå ska börja lika långt in, och ett '-' i en lista "
                    "lika långt in som de andra."),
)


def control_character(code: int) -> str:
    """What a control character in a line of a text file means and what to do (after "<file>, rad <n>: ").

    >>> control_character(7)[:58]
    'raden innehåller ett osynligt styrtecken (tecken nummer 7)'
    """
    return (f"raden innehåller ett osynligt styrtecken (tecken nummer {code}), som inte får stå i en "
            "textfil. Skriv om raden för hand (tecknet syns inte i de flesta program).")


def explain(exc: yaml.YAMLError) -> str:
    r"""What a YAML error means and what to do, in Swedish (never the value where it was found).

    >>> try:
    ...     yaml.safe_load("period:\n\tstart: 2024-01-01")
    ... except yaml.YAMLError as exc:
    ...     explain(exc)
    'raden är indragen med tabb. YAML dras in med mellanslag: byt tabben mot mellanslag (lika många som raderna bredvid).'
    """
    if isinstance(exc, yaml.reader.ReaderError):  # a control character, which no editor shows
        return control_character(exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0"))
    said = f"{getattr(exc, 'problem', '') or ''} {getattr(exc, 'context', '') or ''}"
    return next((meaning for clue, meaning in _PROBLEMS if clue in said),
                "kontrollera indraget, kolon efter varje nyckel och citattecken runt text som innehåller ':' eller '#'.")
