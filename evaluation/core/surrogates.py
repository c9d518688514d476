"""Half characters: UTF-16 surrogates, which an escape in YAML or in a text's template can write
(``"\\ud83d"``) but which no file can hold.

Python keeps such a character in a string, so a value holding one passes every check and
fails only when an output is written (an internal ``UnicodeEncodeError``). The readers of YAML
and the texts' templates refuse it where it is written, naming the line and the escape.

>>> holds("a\\ud800"), holds("a\U0001f600")
(True, False)
>>> holds_any({"styrgrupp": ["Chef", "\\udc00"]})
True
>>> escape_in('namn: Steget\\nroll: "Chef\\\\ud83d\\\\ude00"\\n')
(2, '\\\\ud83d')
"""
from __future__ import annotations

import re

_SURROGATE = re.compile("[\ud800-\udfff]")
#: An escape that writes one (YAML and Jinja do not join two escapes into one character).
_ESCAPE = re.compile(r"\\(?:u[dD][89a-fA-F][0-9a-fA-F]{2}|U0000[dD][89a-fA-F][0-9a-fA-F]{2})")


def holds(text: str) -> bool:
    """Whether ``text`` holds half a character."""
    return _SURROGATE.search(text) is not None


def holds_any(data) -> bool:
    """Whether a text anywhere in ``data`` (mappings' keys and values, lists, sets) holds half a character."""
    todo = [data]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            if holds(item):
                return True
        elif isinstance(item, dict):
            todo.extend(item.keys())
            todo.extend(item.values())
        elif isinstance(item, (list, tuple, set)):
            todo.extend(item)
    return False


def escape_in(source: str, first_line: int = 1) -> tuple[int, str] | None:
    """The line (counted from ``first_line``) and the text of the first escape in ``source`` that
    writes half a character, or ``None``."""
    for number, line in enumerate(source.splitlines(), first_line):
        found = _ESCAPE.search(line)
        if found:
            return number, found.group()
    return None


def message(where: str, found: tuple[int | None, str] | None) -> str:
    """The input error for half a character written in the file ``where``; ``found`` is the line
    (``None``: not known) and the escape that wrote it, as :func:`escape_in` gives them.

    >>> print(message("mal.yaml", (4, r"\\ud800"))[:38])
    mal.yaml, rad 4: koden \\ud800 står för
    """
    line, code = found or (None, "")
    place = f"{where}, rad {line}" if line else where
    written = f"koden {code}" if code else "en \\u-kod"
    return (f"{place}: {written} står för ett halvt tecken (ett surrogat), "
            "som ingen fil kan lagra. Skriv tecknet självt (till exempel en emoji) i stället för koden, eller "
            "ta bort koden.")
