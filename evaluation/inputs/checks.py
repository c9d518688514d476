"""Key-by-key validation of YAML mappings (front matter and ``*.yaml`` inputs).

:class:`KeyChecker` collects every problem of one file, each located by the file line of its
key, and raises them together as one :class:`~evaluation.core.errors.ValidationError`. Interviews,
the omvärld library and ``organisation.yaml`` share it.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from pathlib import Path

import yaml

from evaluation.core import fmt
from evaluation.core.pii import quote

from evaluation.core.errors import ValidationError, Violation, did_you_mean, kind_of
from evaluation.inputs.textread import MarkdownDoc
from evaluation.inputs.files import normalise_header
from evaluation.inputs.yamlread import describe_key, key_as_written
from evaluation.inputs.register import BadValue, parse_date


def yaml_key_lines(text: str, first_line: int = 1) -> dict[tuple, int]:
    """File line of every key and list entry of a YAML text, by key path.

    ``first_line`` is the file line of the text's first line (2 for front matter).

    >>> yaml_key_lines("a: 1\\nb:\\n  - x: 2\\n")[("b", 0, "x")]
    3
    """
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    lines: dict[tuple, int] = {}

    def walk(node, path: tuple) -> None:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = normalise_header(key_node.value) if isinstance(key_node, yaml.ScalarNode) else None
                lines[path + (key,)] = key_node.start_mark.line + first_line
                walk(value_node, path + (key,))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                lines[path + (index,)] = item.start_mark.line + first_line
                walk(item, path + (index,))

    if root is not None:
        walk(root, ())
    return lines


class KeyChecker:
    """Checks the values of one YAML mapping key by key, collecting every problem.

    Each problem names the key path and, where the file shows it, the line. Call :meth:`raise_if_any`
    after the checks.

    >>> c = KeyChecker(Path("x.yaml"), {("roll",): 3})
    >>> c.choice({"roll": "chef"}, ("roll",), ("deltagare", "personal"))
    >>> c.violations[0].problem
    "rad 3, nyckeln 'roll': 'chef' är inte tillåtet; använd ett av: deltagare, personal."
    """

    def __init__(self, path: Path, lines: dict[tuple, int] | Callable[[], dict[tuple, int]] | None = None):
        """``lines`` maps key paths to file lines, or is a function that does (called only when
        a problem needs a line: a file without problems is not read twice)."""
        self.path = Path(path)
        self._lines = lines or {}
        self.violations: list[Violation] = []

    @property
    def lines(self) -> dict[tuple, int]:
        if callable(self._lines):
            self._lines = self._lines()
        return self._lines

    def add(self, keys: tuple, problem: str) -> None:
        """One problem at ``keys``, the key path as the file spells it (found in the line map
        however it is spelled, as the file's keys are read: see :func:`normalise_header`)."""
        lines = self.lines
        found = tuple(normalise_header(k) if isinstance(k, str) else k for k in keys)
        line = next((lines[found[:n]] for n in range(len(found), 0, -1) if found[:n] in lines), None)
        where = describe_key(keys) if keys else "filen"
        prefix = f"rad {line}, {where}" if line else where
        self.violations.append(Violation(None, None, f"{prefix}: {problem}."))

    def raise_if_any(self) -> None:
        if self.violations:
            raise ValidationError(self.path, self.violations)

    @staticmethod
    def _get(data: dict, keys: tuple):
        return data.get(keys[-1]) if isinstance(data, dict) else None

    def mapping(self, data, keys: tuple, allowed: tuple[str, ...], required: tuple[str, ...] = ()) -> dict:
        """``data`` as a mapping with normalised keys; unknown and missing keys are problems."""
        if not isinstance(data, dict):
            self.add(keys, f"här ska stå rader 'nyckel: värde', men det står {_kind(data)}")
            return {}
        out, written = {}, {}
        for key, value in data.items():
            name = normalise_header(key)
            if name not in allowed:
                self.add(keys + (key_as_written(key),), f"okänd nyckel. Tillåtna nycklar: {', '.join(allowed)}")
            elif name in out:  # 'Roll:' and 'roll:': one would silently win
                self.add(keys + (key_as_written(key),), f"samma nyckel som {quote(written[name])} (versaler och "
                                                        "mellanslag räknas inte); behåll en av dem")
            else:
                out[name], written[name] = value, key_as_written(key)
        for name in required:
            if out.get(name) in (None, ""):
                self.add(keys + (name,), "krävs men saknas eller är tom")
        return out

    def text(self, data: dict, keys: tuple, required: bool = True) -> str | None:
        """A text value (numbers and dates are taken as written); ``None`` when absent."""
        value = self._get(data, keys)
        if value is None or value == "":
            if required:
                self.add(keys, "krävs men saknas eller är tom")
            return None
        if isinstance(value, (dict, list)):
            self.add(keys, f"här ska stå en text, men det står {_kind(value)}")
            return None
        if isinstance(value, dt.date):
            return value.isoformat()
        return " ".join(str(value).split())

    def text_list(self, data: dict, keys: tuple, required: bool = False) -> list[str]:
        """A list of texts (a single text is taken as a one-item list)."""
        value = self._get(data, keys)
        if value is None or value == "" or value == []:
            if required:
                self.add(keys, "krävs men saknas eller är tom; ange en lista, t.ex. [a, b]")
            return []
        items = value if isinstance(value, list) else [value]
        out = []
        for i, _ in enumerate(items):
            text = self.text(dict(enumerate(items)), keys + (i,))
            if text is not None:
                out.append(text)
        return out

    def choice(self, data: dict, keys: tuple, allowed, aliases: dict | None = None, required: bool = True):
        """One of ``allowed`` (case-insensitive); ``None`` when absent or bad."""
        text = self.text(data, keys, required)
        if text is None:
            return None
        folded = text.lower()
        folded = (aliases or {}).get(folded, folded)
        if folded not in allowed:
            self.add(keys, f"{quote(text)} är inte tillåtet; använd ett av: {', '.join(allowed)}{did_you_mean(text, allowed)}")
            return None
        return folded

    def date(self, data: dict, keys: tuple, required: bool = True) -> dt.date | None:
        value = self._get(data, keys)
        if value is None or value == "":
            if required:
                self.add(keys, "krävs men saknas; skriv datumet som ÅÅÅÅ-MM-DD")
            return None
        try:
            return parse_date(value)
        except BadValue as exc:
            self.add(keys, str(exc))
            return None

    def number(self, data: dict, keys: tuple, low: float, high: float | None, required: bool = True) -> float | None:
        """A number in ``[low, high]`` (``50``, ``50.5``, ``"50,5"``, ``"50 %"`` or ``"2 400 000 kr"``)."""
        value = self._get(data, keys)
        if value is None or value == "":
            if required:
                self.add(keys, "krävs men saknas; ange ett tal")
            return None
        number = _as_number(value)
        wanted = (f"ange ett tal från {fmt.decimal(low)} till {fmt.decimal(high)}" if high is not None
                  else f"ange ett tal som är minst {fmt.decimal(low)}")
        if number is None:
            self.add(keys, f"{quote(value)} är inget tal; {wanted}")
            return None
        if number < low or (high is not None and number > high):
            self.add(keys, f"{value} ligger utanför det tillåtna; {wanted}")
            return None
        if abs(number) > fmt.MAX_NUMBER:  # no amount or count of an insats; and past what a report can round
            self.add(keys, f"{quote(value)} är orimligt stort; ange ett tal under {fmt.number(fmt.MAX_NUMBER)}")
            return None
        return number


def check_front_matter(doc: MarkdownDoc, allowed: tuple[str, ...]) -> tuple[KeyChecker, dict]:
    """A :class:`KeyChecker` with the front matter's key lines, and the front matter's keys.

    A file without front matter is refused at once, naming the keys it needs.
    """
    lines = doc.path.read_text(encoding="utf-8-sig").splitlines()
    front = "\n".join(lines[1:max(doc.body_first_line - 2, 1)]) if doc.meta else ""
    check = KeyChecker(doc.path, lambda: yaml_key_lines(front, first_line=2))
    if not doc.meta:
        check.add((), f"filen saknar inledande uppgifter (front matter); börja filen med en rad '---', "
                      f"sedan rader 'nyckel: värde' ({', '.join(allowed)}), sedan en rad '---'")
        check.raise_if_any()
    return check, check.mapping(doc.meta, (), allowed)


def _kind(value) -> str:
    """A collection by its kind (:func:`evaluation.core.errors.kind_of`), any other value quoted."""
    return kind_of(value) if isinstance(value, (dict, list)) else quote(value)


#: A number with its thousands grouped by spaces, as Swedish is written: ``2 400 000``, ``1 500,50``.
_GROUPED = re.compile(r"-?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?")


def _as_number(value) -> float | None:
    """``value`` as a number: also ``"50,5"``, ``"50 %"``, ``"2 400 000"`` and ``"2 400 000 kr"``.

    >>> _as_number("2 400 000 kr"), _as_number("1\u00a0500,50"), _as_number("12 34"), _as_number(".nan")
    (2400000.0, 1500.5, None, None)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    text = re.sub(r"\s*(%|kr|kronor)$", "", str(value).strip())
    if _GROUPED.fullmatch(text):
        text = re.sub(r"[ \u00a0\u202f]", "", text)
    text = text.replace(",", ".").replace("\u00a0", "")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


# -- one interview ---------------------------------------------------------------------------
