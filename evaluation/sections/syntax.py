"""What a mistake in a text's template means, in Swedish: Jinja's own messages are English.

Used by :mod:`evaluation.sections.texts` for a syntax error (``{% if %}`` never closed, a brace
too many, an unknown filter). A message this module does not know is not shown: the text's
general advice stands alone.

>>> import jinja2
>>> def said(source):
...     try:
...         jinja2.Environment().parse(source)
...     except jinja2.TemplateSyntaxError as exc:
...         return explain(exc)
>>> said("{% if x %}ja")
'{% if %} stängs aldrig: avsluta det med {% endif %}'
>>> said("{{ x }")
'en klammer för lite eller för mycket: ett värde skrivs {{ namn }} och ett villkor {% if … %}'
>>> said("{% endif %}")
'{% endif %} står utan något {% if %} att avsluta'
"""
from __future__ import annotations

import re

#: Jinja's message (a pattern) → what it means (its groups fill ``{0}``, ``{1}``), the first that matches.
_MEANINGS = tuple((re.compile(pattern, re.S), meaning) for pattern, meaning in (
    (r"Unexpected end of template.*innermost block that needs to be closed is '(\w+)'",
     "{{% {0} %}} stängs aldrig: avsluta det med {{% end{0} %}}"),
    (r"(?i)unexpected .?end of template", "texten tar slut inne i ett {{{{ … }}}} eller {{% … %}}: stäng det"),
    (r"unexpected '[{{}}]'",
     "en klammer för lite eller för mycket: ett värde skrivs {{{{ namn }}}} och ett villkor {{% if … %}}"),
    (r"unexpected 'end of (?:print statement|statement block)'",
     "uttrycket slutar för tidigt: något saknas efter ett räknetecken, en punkt eller ett komma"),
    (r"Encountered unknown tag 'end(\w+)'", "{{% end{0} %}} står utan något {{% {0} %}} att avsluta"),
    (r"Encountered unknown tag '(else|elif)'", "{{% {0} %}} står utan något {{% if %}} att avsluta"),
    (r"Encountered unknown tag '(\w+)'", "taggen '{0}' finns inte: använd if, for, set eller macro"),
    (r"No filter named '([^']*)'", "filtret '{0}' finns inte"),
    (r"No test named '([^']*)'", "testet '{0}' finns inte"),
    (r"Expected an expression", "ett uttryck saknas, till exempel ett namn efter if eller for"),
    (r"expected token '.+', got '.+'",
     "något står där det inte hör hemma: skriv ett värde per {{{{ … }}}} och ett villkor per {{% … %}}"),
    (r"unexpected char '\\(?:u|x|U000)([0-9a-fA-F]{2,4})'",
     lambda code: (f"ett osynligt tecken, [U+{int(code, 16):04X}], står i uttrycket (det följer ofta med när text "
                   "kopieras): radera namnet och skriv det igen")),
    (r"unexpected char '(.)'", "tecknet '{0}' kan inte stå i ett uttryck"),
))


def _cut(name: str, limit: int = 40) -> str:
    """A tag, filter or character named in a message, cut when long (the message is masked later)."""
    return name if len(name) <= limit else f"{name[:limit]}…"


def explain(exc: Exception) -> str:
    """What the template syntax error ``exc`` means, in Swedish; ``""`` when it is not one we know."""
    message = getattr(exc, "message", None) or str(exc)
    for pattern, meaning in _MEANINGS:
        match = pattern.search(message)
        if match:
            groups = [_cut(g) for g in match.groups()]
            return meaning(*groups) if callable(meaning) else meaning.format(*groups)
    return ""


#: Tags that would fetch another file: a text has no files to fetch (and is one text).
_FETCHING = {"Include": "include", "Import": "import", "FromImport": "from", "Extends": "extends"}
_RAW = re.compile(r"{%[-+]?\s*raw\s*[-+]?%}")


def refused(tree, source: str) -> list[tuple[int, str]]:
    """``(line, meaning)`` of what a text's template may not do though Jinja compiles it: fetch
    another file (``{% include %}``, ``{% import %}``, ``{% from %}``, ``{% extends %}``), show
    template code as written (``{% raw %}``), or print Jinja's own ``self``, which is no figure.
    ``tree`` is the parsed ``source`` (a ``raw`` block leaves no node: it is found in the source).

    >>> import jinja2
    >>> source = "A\\n{% include 'x.md' %}\\n{% raw %}{{ x }}{% endraw %} {{ self }}"
    >>> found = refused(jinja2.Environment().parse(source), source)
    >>> [(line, meaning[:28]) for line, meaning in found]
    [(2, 'en text kan inte hämta in en'), (3, '{% raw %} skulle visa mallko'), (3, "okänd variabel 'self'")]
    """
    from jinja2 import nodes

    found = [(node.lineno, f"en text kan inte hämta in en annan fil ({{% {_FETCHING[type(node).__name__]} %}}): "
                           "skriv det i texten, eller använd en variabel")
             for node in tree.find_all(tuple(getattr(nodes, name) for name in _FETCHING))]
    found += [(source.count("\n", 0, m.start()) + 1, "{% raw %} skulle visa mallkoden som den står, och en rapport "
               "visar aldrig mallkod: ta bort {% raw %} och {% endraw %} och skriv det som ska stå med ord")
              for m in _RAW.finditer(source)]
    found += [(node.lineno, "okänd variabel 'self'") for node in tree.find_all(nodes.Name)
              if node.name == "self" and node.ctx == "load"]
    return sorted(found, key=lambda hit: hit[0])
