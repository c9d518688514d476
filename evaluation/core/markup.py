"""The one Markdown dialect of the evaluator's texts: CommonMark, tables and footnotes.

Every renderer parses a :class:`evaluation.core.model.Markdown` block with :func:`parser` (HTML
renders it; Word and PDF walk :func:`tokens`), so all formats read a text the same way. Raw
HTML is off: it stays text. This module also holds the pure checks of a text (links, images,
footnotes) and the heading shift that places a text's headings under its section's heading.

>>> [t.type for t in tokens("Hej[^1]\\n\\n[^1]: Källa.")][:3]
['paragraph_open', 'inline', 'paragraph_close']
>>> shift_headings("# Bakgrund\\n\\n## Mer\\n")
'### Bakgrund\\n\\n#### Mer\\n'
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from evaluation.core.pii import quote, shown

#: Link schemes a text may use; any other link is an error.
LINK_SCHEMES = ("http", "https", "mailto")
#: Image files a text may embed (read from the data folder).
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
#: The most columns a table may have (a text's, or a matrix): twenty columns of short words fill a
#: landscape A4 page, thirty ran off it.
MAX_TABLE_COLUMNS = 20
#: The level a text's top heading gets: sections are h2, so texts start at h3.
TOP_HEADING = 3

_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
_REFUSED_LINK = re.compile(r"\]\(\s*<?(([a-zA-Z][a-zA-Z0-9+.-]*):[^)\s>]*)")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
#: A character written with Markdown's escape (``\\#``, ``\\|``, ``\\>``), as pandoc writes one.
ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


#: A paragraph ``Tabell: <rubrik>`` right above a table is the table's caption (as the report's own
#: tables have theirs above them): it names the table for a screen reader, and Word numbers it.
#: A number written out of habit (``Tabell 3: ...``) is left out: the numbering is the report's.
_CAPTION = re.compile(r"^Tabell(?:[ \t]+\d+)?[ \t]*:[ \t]*(\S.*)$", re.IGNORECASE)


def _table_captions(state) -> None:
    """Move each caption paragraph into its table's ``meta["caption"]`` (a core rule: every
    renderer sees the caption on the table, and never the paragraph).

    >>> [(t.type, t.meta.get("caption")) for t in tokens("Tabell: Deltagare per **kön**\\n\\n| a |\\n|---|\\n| 1 |")][:1]
    [('table_open', 'Deltagare per kön')]
    """
    toks, out = state.tokens, []
    for tok in toks:
        caption = None
        if (tok.type == "table_open" and len(out) >= 3 and out[-3].type == "paragraph_open"
                and out[-2].type == "inline" and out[-3].level == tok.level):
            words = "".join(c.content if c.type in ("text", "code_inline") else " " if c.type.endswith("break") else ""
                            for c in out[-2].children or ())  # the words a reader sees: no ** or []()
            caption = _CAPTION.match(words.strip())
        if caption:
            tok.meta["caption"] = caption.group(1).strip()
            del out[-3:]
        out.append(tok)
    state.tokens = out


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The shared parser: CommonMark with tables and footnotes, raw HTML off, no linkify; a
    ``Tabell: ...`` paragraph above a table is its caption (:func:`_table_captions`)."""
    md = (MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
          .enable("table").use(footnote_plugin))
    md.core.ruler.push("table_captions", _table_captions)
    return md


def tokens(text: str, env: dict | None = None) -> list[Token]:
    """The block tokens of ``text`` (inline tokens carry their ``children``)."""
    return parser().parse(text, {} if env is None else env)


def _inline(toks: list[Token]) -> Iterator[tuple[Token, int | None]]:
    """Every inline child with the 0-based line of ``text`` it is on."""
    for tok in toks:
        if tok.type != "inline" or not tok.children:
            continue
        line = tok.map[0] if tok.map else None
        for child in tok.children:
            yield child, line
            if line is not None and child.type in ("softbreak", "hardbreak"):
                line += 1


@dataclass(frozen=True)
class Problem:
    """Something a text may not contain: the 0-based line, the text as written and why (Swedish)."""

    line: int | None
    written: str
    message: str


def _wide_tables(toks: list[Token]) -> Iterator[Problem]:
    """A table of more than :data:`MAX_TABLE_COLUMNS` columns."""
    for i, tok in enumerate(toks):
        if tok.type != "table_open":
            continue
        row = toks[i:next(j for j in range(i, len(toks)) if toks[j].type == "tr_close")]
        columns = sum(1 for t in row if t.type in ("th_open", "td_open"))
        if columns > MAX_TABLE_COLUMNS:
            first = next((t.content for t in row if t.type == "inline"), "")
            yield Problem(tok.map[0] if tok.map else None, first, (
                f"tabellen har {columns} kolumner; högst {MAX_TABLE_COLUMNS} går att läsa på en sida (liggande A4). "
                "Dela upp den i två tabeller, eller vänd den så att kolumnerna blir rader"))


#: Why a picture is refused in a text whose pictures are not read (``problems(..., images=False)``).
NO_IMAGES_HERE = ("bilder visas bara i texterna i texter/, som läser in dem från datamappen; ta bort bilden "
                  "här och beskriv med ord vad den visar, eller lägg den i en text")


def problems(text: str, images: bool = True, word: bool = False) -> list[Problem]:
    """Links to other schemes than :data:`LINK_SCHEMES`, footnote references without a
    definition, images without an alt text or of another type than :data:`IMAGE_SUFFIXES`, and
    tables wider than :data:`MAX_TABLE_COLUMNS`.

    With ``images=False`` (a text whose pictures are never read: an omvärld description, a
    matrix's texts) every picture is a problem: the report would show a broken image. With
    ``word`` the text was converted from Word: a picture's missing alt text is said as Word adds one.

    >>> [p.message.split(";")[0] for p in problems("![Karta](bilder/karta.png)", images=False)]
    ["bilden 'bilder/karta.png': bilder visas bara i texterna i texter/, som läser in dem från datamappen"]
    """
    return list(_problems(text, images, word))


@lru_cache(maxsize=512)
def _problems(text: str, images: bool, word: bool) -> tuple[Problem, ...]:
    """:func:`problems`, kept by text: a batch kernel checks the same texts for every report of an
    insats (with :func:`images` and :func:`shift_headings`, 588 parses of 72 texts for 18 bench
    reports, 0.13 of 9.6 CPU-s)."""
    toks = tokens(text)
    out = list(_wide_tables(toks))
    for child, line in _inline(toks):
        if child.type == "image" and not images:
            out.append(Problem(line, str(child.attrs.get("src", "")),
                               f"bilden {quote(str(child.attrs.get('src', '')))}: {NO_IMAGES_HERE}"))
            continue
        if child.type == "link_open":
            href = str(child.attrs.get("href", ""))
            scheme = _SCHEME.match(href)
            if not scheme or scheme.group(1).lower() not in LINK_SCHEMES:
                out.append(Problem(line, href, (
                    f"länken {quote(href)} är inte tillåten; en länk ska börja med http://, https:// eller "
                    "mailto: (till exempel https://www.finsam.se)")))
        elif child.type == "image":
            src = str(child.attrs.get("src", ""))
            alt = "".join(c.content for c in child.children or ()).strip()
            if not alt and word:  # the conversion's name (media/image1.png) is no name the writer knows
                out.append(Problem(line, src, (
                    "bilden saknar alternativtext; högerklicka på bilden i Word, välj Visa alternativtext och skriv "
                    "vad bilden visar, till exempel 'Deltagare per månad 2024'")))
            elif not alt:
                example = src if shown(src) == src else "bilder/..."  # unless the quoting rule cuts or withholds it
                out.append(Problem(line, src, (
                    f"bilden {quote(src)} saknar alternativtext; skriv vad bilden visar inom hakparenteserna, "
                    f"till exempel ![Deltagare per månad 2024]({example})")))
            problem = image_path_problem(src)
            if problem:
                out.append(Problem(line, src, problem))
        elif child.type == "text":
            for match in _REFUSED_LINK.finditer(child.content):  # markdown-it leaves e.g. javascript: as text
                if match.group(2).lower() not in LINK_SCHEMES:
                    out.append(Problem(line, match.group(1), (
                        f"länken {quote(match.group(1))} är inte tillåten; en länk ska börja med http://, https:// "
                        "eller mailto: (till exempel https://www.finsam.se)")))
            for match in _FOOTNOTE_REF.finditer(child.content):
                out.append(Problem(line, match.group(0), (
                    f"fotnoten {match.group(0)} har ingen definition; skriv en rad "
                    f"'{match.group(0)}: källan eller kommentaren' längre ner i texten")))
    return tuple(out)


#: What opens a variable or a condition of a template (``{{ ... }}``, ``{% ... %}``).
TEMPLATE_OPENER = re.compile(r"\{\{|\{%")
#: Why a variable or condition is refused outside the templates (the texts and the goals' two keys).
NOT_A_TEMPLATE = ("räknas bara i texterna i texter/ och i mal.yaml (text och kommentar); här skulle variabeln "
                  "eller villkoret stå kvar som det är skrivet. Skriv siffran eller meningen utan det")


def template_problems(text: str) -> list[Problem]:
    """A variable or condition (``{{ ... }}``, ``{% ... %}``) in a text that is not a template (an
    omvärld file; a YAML file's values: :func:`evaluation.inputs.yamlread.refuse_templates`): the
    report would show it as typed. One problem a line.

    >>> [(p.line, p.message.split(";")[0]) for p in template_problems("Ett.\\nVi var {{ antal.deltagare }}.")]
    [(1, "'{{' räknas bara i texterna i texter/ och i mal.yaml (text och kommentar)")]
    """
    found = ((n, TEMPLATE_OPENER.search(line)) for n, line in enumerate(text.split("\n")))
    return [Problem(n, match.group(0), f"{quote(match.group(0))} {NOT_A_TEMPLATE}") for n, match in found if match]


#: Markdown an evaluator may type in a value that is shown as plain text: bold, a link, code.
_TYPED_MARKDOWN = re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__|\[[^\]\n]+\]\([^)\n]+\)|`[^`\n]+`")
#: Why it is said: where Markdown is read, and what to write instead.
SHOWN_AS_TYPED = ("visas som det står skrivet: Markdown (fetstil, länkar, kod) läses bara i texterna i texter/, "
                  "omvärldsfilerna och matriserna. Skriv utan tecknen, och en länk som adressen (https://…)")


def typed_markdown(text: str) -> list[Problem]:
    """Markdown in a text that is shown as written (a YAML file's values but a matrix's): the
    reader would see the asterisks and brackets. One problem a line; a notice, not an error.

    >>> [(p.line, p.written) for p in typed_markdown("a: Tjänsten **utökad**\\nb: se [SCB](https://scb.se)\\nc: 2 * 3")]
    [(0, '**utökad**'), (1, '[SCB](https://scb.se)')]
    """
    found = ((n, _TYPED_MARKDOWN.search(line)) for n, line in enumerate(text.split("\n")))
    return [Problem(n, match.group(0), f"{quote(match.group(0))} {SHOWN_AS_TYPED}") for n, match in found if match]


def cell_problems(text: str) -> list[Problem]:
    """What a table cell or a list item may not hold: :func:`problems` without pictures, and
    headings and tables (a heading in a cell broke the report's outline, a table in a cell its table).

    >>> [p.message.split(";")[0] for p in cell_problems("# Rubrik")]
    ['en rubrik (en rad som börjar med #) kan inte stå i en cell eller en listpost']
    >>> cell_problems("**Viktigt:** se [SCB](https://www.scb.se).\\n\\n- ett\\n- två")
    []
    """
    toks = tokens(text)
    out = [p for p in problems(text, images=False) if not p.message.startswith("tabellen har")]
    for tok in toks:
        line = tok.map[0] if tok.map else None
        if tok.type == "heading_open":
            out.append(Problem(line, tok.markup, (
                "en rubrik (en rad som börjar med #) kan inte stå i en cell eller en listpost; skriv texten "
                "utan #, eller i fetstil: **text**")))
        elif tok.type == "table_open":
            out.append(Problem(line, "|", (
                "en tabell kan inte stå i en cell eller en listpost; gör den till en egen matris")))
    return out


def image_path_problem(src: str) -> str | None:
    """Why ``src`` cannot name an image in the data folder (Swedish), or ``None``."""
    suffix = "." + src.rsplit(".", 1)[-1].lower() if "." in src else ""
    if _SCHEME.match(src) or src.startswith(("/", "\\")) or ".." in re.split(r"[\\/]", src):
        return (f"bilden {quote(src)} ska ligga i datamappen; skriv sökvägen från datamappen, till exempel "
                "bilder/deltagare.png")
    if suffix not in IMAGE_SUFFIXES:
        return f"bilden {quote(src)} är inte PNG eller JPEG; spara den som .png eller .jpg"
    return None


def images(text: str) -> list[tuple[str, int | None]]:
    """Every image path in ``text`` with its 0-based line, in order."""
    return list(_images(text))


@lru_cache(maxsize=512)
def _images(text: str) -> tuple[tuple[str, int | None], ...]:
    return tuple((str(c.attrs.get("src", "")), line) for c, line in _inline(tokens(text)) if c.type == "image")


@lru_cache(maxsize=512)
def shift_headings(text: str, top: int = TOP_HEADING) -> str:
    """``text`` with its headings moved so that its highest heading is level ``top`` (at most 6):
    down, or up when the text starts lower (a text that began at ``####`` skipped a level under
    its section's heading); setext headings (underlined) become ``#`` headings."""
    heads = [t for t in tokens(text) if t.type == "heading_open" and t.map]
    if not heads:
        return text
    shift = top - min(int(t.tag[1]) for t in heads)
    if not shift:
        return text
    lines = text.split("\n")
    for tok in heads:
        level = min(6, int(tok.tag[1]) + shift)
        start, end = tok.map
        if tok.markup.startswith("#"):
            lines[start] = re.sub(r"^(\s*(?:>\s*)*)#+", lambda m: m.group(1) + "#" * level, lines[start], count=1)
        else:  # setext: content lines, then the underline
            content = " ".join(line.strip() for line in lines[start:end - 1])
            lines[start:end] = [f"{'#' * level} {content}"] + [""] * (end - start - 1)
    return "\n".join(lines)


_MARKUP_CHARS = re.compile(r"[*_`\[\]#>\\~]|^[ \t]*([-+]\s|\d+[.)]\s)", re.M)


def plain_text(text: str) -> str:
    """A Markdown text as the words a reader sees, without markup (for spreadsheet cells).

    A text without Markdown characters is returned as it is (a formula-like text stays
    exactly itself); otherwise the inline words are kept, paragraphs on lines of their own.

    >>> plain_text("Planerar ett **kombinerat språk- och yrkesspår**.")
    'Planerar ett kombinerat språk- och yrkesspår.'
    >>> plain_text("Se [rapporten](https://example.org) och `kod`")
    'Se rapporten och kod'
    >>> plain_text("=1+1")
    '=1+1'
    """
    if not isinstance(text, str) or not _MARKUP_CHARS.search(text):
        return text
    lines = []
    for tok in tokens(text):
        if tok.type != "inline":
            continue
        words = "".join(c.content if c.type in ("text", "code_inline") else
                        " " if c.type in ("softbreak", "hardbreak") else "" for c in tok.children or ())
        lines.append(words.strip())
    return "\n".join(line for line in lines if line)
