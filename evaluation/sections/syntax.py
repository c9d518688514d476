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
            return meaning.format(*(_cut(g) for g in match.groups()))
    return ""
