"""The evaluator's prose: ``<data>/texter/<sektion>.md``, with figures as template variables.

A text is Markdown in which numbers are written as variables, ``{{ antal.deltagare }}``, so
prose and tables can never disagree (the variables are listed in ``docs/namnrymd.md``). It is
rendered in a sandboxed Jinja environment against :func:`evaluation.figures.namespace`, then
kept as a :class:`evaluation.model.Markdown` block; renderers escape raw HTML in it: a ``<script>``
never reaches a report, neither from the text nor from a figure's value.

An unknown variable or a template syntax error is a :class:`TemplateError` naming the file,
the line in the file, the name and the closest valid names.

>>> doc = parse("Under perioden deltog {{ antal.deltagare }} personer.", Path("sammanfattning.md"))
>>> render(doc, figures.formatted({"antal.deltagare": 1234})).text
'Under perioden deltog 1\\xa0234 personer.'
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from . import figures
from .errors import InputError, TemplateError
from .files import read_markdown
from .model import Markdown, Section
from .params import SECTIONS, ReportParams

if TYPE_CHECKING:
    from .report import Report

FOLDER = "texter"
#: Sections that consist of prose only; :mod:`evaluation.sections` registers a builder for
#: each that has none.
PROSE_ONLY = ("sammanfattning", "bakgrund", "metod", "utmaningar", "slutsatser", "rekommendationer")
GUIDE = "docs/namnrymd.md"


class UnknownFigure(jinja2.UndefinedError):
    """A template used a name that is not a figure of this report."""

    def __init__(self, name: str):
        super().__init__(f"unknown variable '{name}'")
        self.name = name


class _GroupAsValue(Exception):
    """A template printed a group (``{{ antal }}``) instead of one figure."""

    def __init__(self, group: figures.Group):
        super().__init__(group.path)
        self.group = group


class _Missing(jinja2.ChainableUndefined, jinja2.StrictUndefined):
    """A missing figure: printing, comparing or testing its truth fails with its dotted name.

    It is chainable, so ``{% if enkat.avslut.svarande is defined %}`` works even when the
    report has no surveys at all.
    """

    __slots__ = ()

    def __init__(self, hint=None, obj=jinja2.utils.missing, name=None, exc=None):
        super().__init__(hint, obj, name, UnknownFigure)

    @property
    def _undefined_message(self) -> str:
        obj = self._undefined_obj
        name = str(self._undefined_name)
        return f"{obj.path}.{name}" if isinstance(obj, figures.Group) and obj.path else name


def _finalize(value):
    if isinstance(value, figures.Group):
        raise _GroupAsValue(value)
    return value


#: Sandboxed: a text can read figures but call nothing unsafe; no autoescape, since the
#: Markdown step escapes raw HTML.
ENV = SandboxedEnvironment(undefined=_Missing, autoescape=False, finalize=_finalize, keep_trailing_newline=True)


@dataclass(frozen=True)
class Text:
    """One parsed text: its file, the compiled template and where its body starts in the file."""

    path: Path
    source: str
    template: jinja2.Template
    first_line: int  # file line of the template's line 1 (after any front matter)

    def file_line(self, template_line: int) -> int:
        return self.first_line + template_line - 1


# -- pure -----------------------------------------------------------------------------------
def parse(source: str, path: Path, first_line: int = 1) -> Text:
    """Compile a text's template; a syntax error names the file and line."""
    try:
        code = ENV.compile(source, name=path.name, filename=str(path))
    except jinja2.TemplateSyntaxError as exc:
        line = first_line + (exc.lineno or 1) - 1
        raise TemplateError(
            f"{path}, line {line}: template syntax error: {exc.message}. Write figures as "
            "{{ antal.deltagare }} and conditions as {% if ... %} ... {% endif %}; "
            f"see {GUIDE}."
        ) from None
    template = ENV.template_class.from_code(ENV, code, ENV.make_globals(None), None)
    return Text(Path(path), source, template, first_line)


def render(text: Text, namespace: figures.Group) -> Markdown:
    """The text with its variables filled in, as HTML (raw HTML escaped)."""
    try:
        body = text.template.render(namespace.as_dict())
    except UnknownFigure as exc:
        raise TemplateError(_unknown(text, exc, namespace)) from None
    except _GroupAsValue as exc:
        inside = ", ".join(figures.names(exc.group)[:8])
        raise TemplateError(
            f"{_where(text, exc)}: '{exc.group.path}' is a group of figures, not a figure; "
            f"write one of: {inside}."
        ) from None
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{_where(text, exc)}: {exc}. See {GUIDE}.") from None
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise TemplateError(
            f"{_where(text, exc)}: the expression cannot be computed ({exc}). Figures are "
            f"formatted text, not numbers: print them as they are. See {GUIDE}."
        ) from None
    return Markdown(body)


def _line(text: Text, exc: BaseException) -> int | None:
    """The file line the template was at when ``exc`` was raised (Jinja maps its frames)."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == str(text.path):
            line = tb.tb_lineno
        tb = tb.tb_next
    return text.file_line(line) if line else None


def _where(text: Text, exc: BaseException) -> str:
    line = _line(text, exc)
    return f"{text.path}, line {line}" if line else str(text.path)


def _unknown(text: Text, exc: UnknownFigure, namespace: figures.Group) -> str:
    line = _line(text, exc)
    name = _written_name(text, line, exc.name)
    where = f"{text.path}, line {line}" if line else str(text.path)
    if figures.is_documented(name) or (name.startswith("enkat.") and "enkat" not in namespace):
        return (
            f"{where}: the variable '{name}' has no value in this report (its input is missing or "
            "empty for the period). Remove it, or write the sentence inside "
            f"{{% if {name} is defined %}} ... {{% endif %}}. See {GUIDE}."
        )
    valid = figures.names(namespace)
    close = difflib.get_close_matches(name, valid, n=3, cutoff=0.6)
    if not close:  # compare the written groups (e.g. 'antall' → 'antal.*')
        groups = sorted({n.split(".")[0] for n in valid})
        head = difflib.get_close_matches(name.split(".")[0], groups, n=1, cutoff=0.6)
        close = [n for n in valid if head and n.startswith(head[0] + ".")][:5]
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    return f"{where}: unknown variable '{name}'.{hint} Every variable is listed in {GUIDE}."


def _written_name(text: Text, line: int | None, name: str) -> str:
    """The full dotted name as written on the line (``antall`` → ``antall.deltagare``)."""
    lines = text.source.splitlines()
    index = (line or 0) - text.first_line
    if line is None or not 0 <= index < len(lines):
        return name
    for chain in re.findall(r"(?<![\w.])[^\W\d]\w*(?:\.\w+)*", lines[index]):
        if f".{name}." in f".{chain}.":
            return chain
    return name


# -- loading --------------------------------------------------------------------------------
def load_texts(folder: Path) -> dict[str, Text]:
    """Every ``<section>.md`` in ``folder``, parsed, by section id.

    Any other file (an unknown section id, another file type) is an error listing the valid
    section ids. Hidden files and Office lock files (``~$...``) are ignored.
    """
    folder = Path(folder)
    out: dict[str, Text] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith((".", "~$")) or path.is_dir():
            continue
        if path.suffix.lower() != ".md" or path.stem not in SECTIONS:
            close = difflib.get_close_matches(path.stem, SECTIONS, n=1, cutoff=0.6)
            hint = f" Did you mean {close[0]}.md?" if close else ""
            raise InputError(
                f"{path}: not a section text. Name each file <section>.md with one of the section "
                f"ids: {', '.join(SECTIONS)}.{hint}"
            )
        doc = read_markdown(path)
        out[path.stem] = parse(doc.body, path, doc.body_first_line)
    return out


def load_texts_input(params: ReportParams, inputs: dict) -> dict[str, Text] | None:
    """Loader for :data:`evaluation.sections.LOADERS`: ``None`` when there is no ``texter/`` folder."""
    folder = Path(params.data) / FOLDER
    return load_texts(folder) if folder.is_dir() else None


# -- report glue ----------------------------------------------------------------------------
def prose(report: "Report", section_id: str) -> Markdown | None:
    """The evaluator's text for ``section_id`` rendered with the report's figures, or ``None``."""
    text = (report.inputs.get("texts") or {}).get(section_id)
    return None if text is None else render(text, figures.namespace(report))


def prose_builder(section_id: str) -> Callable:
    """A section builder for a prose-only section: the text is its only block."""

    def build(report: "Report") -> Section | None:
        block = prose(report, section_id)
        return None if block is None else Section(section_id, report.title_of(section_id), (block,))

    build.__name__ = f"{section_id}_section"
    build.__doc__ = f"The section '{section_id}': the evaluator's text {FOLDER}/{section_id}.md only."
    build.prose_only = True  # type: ignore[attr-defined]
    return build
