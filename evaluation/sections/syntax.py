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

from evaluation.core.pii import quote

#: Jinja's message → what it means; a function of the match gives the Swedish.
_MEANINGS = (
    (re.compile(r"Unexpected end of template.*innermost block that needs to be closed is '(\w+)'", re.S),
     lambda m: f"{{% {m[1]} %}} stängs aldrig: avsluta det med {{% end{m[1]} %}}"),
    (re.compile(r"Unexpected end of template"),
     lambda m: "texten tar slut inne i ett {{ … }} eller {% … %}: stäng det"),
    (re.compile(r"unexpected '[{}]'"),
     lambda m: "en klammer för lite eller för mycket: ett värde skrivs {{ namn }} och ett villkor {% if … %}"),
    (re.compile(r"unexpected 'end of (print statement|statement block)'"),
     lambda m: "uttrycket slutar för tidigt: något saknas efter ett räknetecken, en punkt eller ett komma"),
    (re.compile(r"Encountered unknown tag '(end(\w+)|else|elif)'"),
     lambda m: f"{{% {m[1]} %}} står utan något {{% {m[2] or 'if'} %}} att avsluta"),
    (re.compile(r"Encountered unknown tag '(\w+)'"),
     lambda m: f"taggen {quote(m[1])} finns inte: använd if, for, set eller macro"),
    (re.compile(r"No (filter|test) named '([^']*)'"),
     lambda m: f"{'filtret' if m[1] == 'filter' else 'testet'} {quote(m[2])} finns inte"),
    (re.compile(r"Expected an expression"),
     lambda m: "ett uttryck saknas, till exempel ett namn efter if eller for"),
    (re.compile(r"expected token '.+', got '.+'"),
     lambda m: "något står där det inte hör hemma: skriv ett värde per {{ … }} och ett villkor per {% … %}"),
    (re.compile(r"unexpected char '(.)'"),
     lambda m: f"tecknet {quote(m[1])} kan inte stå i ett uttryck"),
)


def explain(exc: Exception) -> str:
    """What the template syntax error ``exc`` means, in Swedish; ``""`` when it is not one we know."""
    message = getattr(exc, "message", None) or str(exc)
    for pattern, meaning in _MEANINGS:
        match = pattern.search(message)
        if match:
            return meaning(match)
    return ""
