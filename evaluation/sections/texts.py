"""The evaluator's prose: ``<data>/texter/<sektion>.md``, with figures as template variables.

A text is Markdown in which numbers are written as variables, ``{{ antal.deltagare }}``, so
prose and tables can never disagree (the variables are listed in ``docs/namnrymd.md``). It is
rendered in a sandboxed Jinja environment against :func:`evaluation.compute.figures.namespace`, then
kept as a :class:`evaluation.core.model.Markdown` block; renderers escape raw HTML in it: a ``<script>``
never reaches a report, neither from the text nor from a figure's value.

Besides the figures, a text can read any cell of any table: ``{{ tabell("resultat", "Pågående",
"andel") }}`` gives it as the table shows it (``45,5 %``), ``tal(...)`` the same cell as a number
for arithmetic (``None`` when hidden), with the filters ``procent`` and ``antal`` to format the
result. Footnotes ``[^id]``, links (http, https, mailto) and images from the data folder are
checked when the texts are loaded and rendered; headings are moved under the section's heading
(:func:`evaluation.core.markup.shift_headings`).

An unknown variable or a template syntax error is a :class:`TemplateError` naming the file,
the line in the file, the name and the closest valid names. :func:`render_all` renders every
text of a report and reports every problem of every text in one error; it also returns the
fact check's warnings (:mod:`evaluation.compute.factcheck`).

>>> doc = parse("Under perioden deltog {{ antal.deltagare }} personer.", Path("sammanfattning.md"))
>>> render(doc, figures.formatted({"antal.deltagare": 1234})).text
'Under perioden deltog 1\\xa0234 personer.'

Longer than 400 lines: the template sandbox, its functions (tal, tabell), loading texts and the prose blocks; to be split into sandbox and loading next.
"""
from __future__ import annotations

import dataclasses

import contextvars
import functools
import math
import numbers
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping

import jinja2
import pandas as pd
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import SandboxedEnvironment

from evaluation.compute import factcheck, figures
from evaluation.core.vocab import MARK
from evaluation.core import fmt, fonts, markup, names, pii, surrogates
from evaluation.core.errors import InputError, Notice, TemplateError, did_you_mean, nearest
from evaluation.core.model import Markdown, Section, Table
from evaluation.inputs import notices, textread, wordplaces
from evaluation.inputs.textread import read_docx, read_image, read_markdown
from evaluation.inputs.paths import PASSED_OVER, named_but_no_file, unreachable

try:
    import resource
except ImportError:  # pragma: no cover - Windows: loops and output are still bounded
    resource = None
from evaluation.inputs.params import SECTIONS, ReportParams
from evaluation.sections import syntax

if TYPE_CHECKING:
    from evaluation.build.report import Report

FOLDER = "texter"
#: A text is Markdown or a Word document (converted to the same Markdown, :func:`textread.read_docx`).
TEXT_SUFFIXES = (".md", ".docx")
#: Sections that consist of prose only; :mod:`evaluation.sections.registry` registers a builder for
#: each that has none.
PROSE_ONLY = ("sammanfattning", "bakgrund", "metod", "utmaningar", "slutsatser", "rekommendationer")
GUIDE = "docs/namnrymd.md"


class UnknownFigure(jinja2.UndefinedError):
    """A template used a name that is not a figure of this report."""

    def __init__(self, name: str):
        super().__init__(f"okänd variabel {pii.quote(name)}")
        self.name = name


class _GroupAsValue(Exception):
    """A template printed a group (``{{ antal }}``) instead of one figure."""

    def __init__(self, group: figures.Group):
        super().__init__(group.path)
        self.group = group


#: While set (to the text being rendered and a list), a missing figure that is printed or
#: tested is recorded with its line instead of failing, so one run finds every unknown name.
_COLLECT: contextvars.ContextVar = contextvars.ContextVar("collect_unknown", default=None)


class _Missing(jinja2.ChainableUndefined, jinja2.StrictUndefined):
    """A missing figure: printing, comparing or testing its truth fails with its dotted name.

    It is chainable, so ``{% if enkat.avslut.svarande is defined %}`` works even when the
    report has no surveys at all.
    """

    __slots__ = ()

    def __init__(self, hint=None, obj=jinja2.utils.missing, name=None, exc=None):
        super().__init__(hint, obj, name, UnknownFigure)

    def _record(self) -> bool:
        collecting = _COLLECT.get()
        if collecting is None:
            self._fail_with_undefined_error()
        text, found = collecting
        found.append((self._undefined_message, _current_line(text)))
        return True

    def __str__(self) -> str:
        self._record()
        return ""

    def __bool__(self) -> bool:
        self._record()
        return False

    def __iter__(self):
        self._record()
        return iter(())

    def __len__(self) -> int:
        self._record()
        return 0

    @property
    def _undefined_message(self) -> str:
        obj = self._undefined_obj
        name = str(self._undefined_name)
        return f"{obj.path}.{name}" if isinstance(obj, figures.Group) and obj.path else name


class _NotPrintable(Exception):
    """A template printed what is no value for a reader: a function, or the ``None`` that ``tal()``
    gives for a hidden cell (the page would read "<function …>" or "None")."""


#: While a text renders: the text, and the template lines where it printed a hidden value (``..``).
_SHOWN_HIDDEN: contextvars.ContextVar = contextvars.ContextVar("shown_hidden", default=None)


def _finalize(value):
    if isinstance(value, figures.Group):
        raise _GroupAsValue(value)
    if isinstance(value, str) and value == MARK and (shown := _SHOWN_HIDDEN.get()) is not None:
        shown[1].append(_template_line(shown[0]))
    if value is None:
        raise _NotPrintable("ett tomt värde (tal(...) ger inget värde för en dold eller tom cell): visa cellen med "
                            "tabell(...), som visar dolda celler som de står i tabellen, eller pröva värdet med "
                            "{% if tal(...) is not none %}")
    if callable(value) and not isinstance(value, jinja2.Undefined):  # a missing name is said as such
        raise _NotPrintable("en funktion, inte ett värde: anropa den, t.ex. tabell(\"tabell\", \"rad\", \"kolumn\")")
    if isinstance(value, bool):
        raise _NotPrintable("sant eller falskt (True/False), inte text: pröva värdet i ett villkor, {% if ... %}")
    if isinstance(value, numbers.Integral) or (isinstance(value, float) and value.is_integer()):
        # the Swedish way, as the figures are (12 345, −5); four digits as written, for a year is one
        return str(int(value)) if 0 <= value < 10_000 else fmt.number(value)
    if isinstance(value, numbers.Real):  # 0.4545454545 with a point: a share or a mean, unformatted
        raise _NotPrintable(f"talet {value:.4g} som det är, med punkt och alla decimaler: skriv det med ett filter, "
                            "|procent för en andel (0,45 → 45,0 %) eller |antal(1) för ett tal med en decimal")
    if not isinstance(value, (str, numbers.Number, jinja2.Undefined)):  # a list, range(3), namespace(), cycler()
        raise _NotPrintable("en lista, ett intervall eller något annat ur mallspråket, inte ett värde (sidan skulle "
                            "visa det som programkod): skriv ut ett värde i taget, t.ex. i en {% for %}-slinga")
    return value


#: Limits of one text's rendering: template lines run (loop steps), characters written,
#: items of one ``range()`` and of one repetition (``"x" * n``), digits of a power.
MAX_STEPS = 200_000
MAX_OUTPUT = 1_000_000
MAX_ITEMS = 10_000
MAX_DIGITS = 1_000
#: Growth of the process's peak memory while one text renders (a text that builds huge values).
MAX_MEMORY_KB = 256 * 1024


class _LimitExceeded(Exception):
    """A text ran longer or wrote more than a report's prose ever needs."""


class _LimitedCodeGenerator(CodeGenerator):
    """Compiles ``a ~ b`` to :meth:`_LimitedEnvironment.join`, so concatenation is bounded too."""

    def visit_Concat(self, node, frame) -> None:
        self.write("environment.join((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class _LimitedEnvironment(SandboxedEnvironment):
    """The sandbox with bounded ranges, repetitions, joins and powers (:func:`_generate`
    bounds loops and the output)."""

    code_generator_class = _LimitedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - SandboxedEnvironment's signature
        """Every call a text makes (methods such as ``'x'.ljust(n)``, ``lipsum()``): no
        argument asks for more than :data:`MAX_OUTPUT` characters and no result holds more."""
        if __obj is not _range:  # range() has its own, plainer message
            _check_arguments(args, kwargs)
        # str.format comes wrapped by the sandbox (wrap_str_format); the string is its __self__
        owner = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)
        if isinstance(owner, str) and _WIDE_FORMAT.search(owner):
            raise _LimitExceeded(f"en formatering med en bredd på mer än {MAX_OUTPUT} tecken")
        if isinstance(owner, str) and getattr(__obj, "__name__", "") in ("format", "format_map"):
            _printed(*(v for a in args for v in (a.values() if isinstance(a, dict) else (a,))), *kwargs.values())
        return _checked_result(super().call(__context, __obj, *args, **kwargs))

    @staticmethod
    def join(parts) -> str:
        texts = [str(_finalize(p)) for p in parts]  # each part as it would be printed ({{ [1, 2] ~ "" }})
        if sum(map(len, texts)) > MAX_OUTPUT:
            raise _LimitExceeded(f"en sammanfogad text på mer än {MAX_OUTPUT} tecken")
        return "".join(texts)

    def call_binop(self, context, operator, left, right):
        if operator == "+" and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
            if len(left) + len(right) > MAX_OUTPUT:
                raise _LimitExceeded(f"en sammanfogad text på mer än {MAX_OUTPUT} tecken")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and len(seq) * times > MAX_ITEMS:
                    raise _LimitExceeded(f"en upprepning med {len(seq) * times} tecken eller element (högst {MAX_ITEMS})")
        if operator == "%" and isinstance(left, str):
            if _WIDE_FORMAT.search(left):
                raise _LimitExceeded(f"en formatering med en bredd på mer än {MAX_OUTPUT} tecken")
            _printed(*(right if isinstance(right, tuple) else right.values() if isinstance(right, dict) else (right,)))
        if operator == "**" and all(isinstance(x, (int, float)) for x in (left, right)):
            if abs(left) > 1 and right > 0 and right * math.log10(abs(left)) > MAX_DIGITS:
                raise _LimitExceeded(f"en potens med mer än {MAX_DIGITS} siffror")
        return super().call_binop(context, operator, left, right)


#: A width or precision of 7 digits or more in a format string (``'%1000000000d'``, ``'{:>9999999}'``).
_WIDE_FORMAT = re.compile(r"[%:][^%:{}]*?\d{7,}")  # not across another % or : (each scanned once)


def _printed(*values) -> None:
    """Values a text writes into a string (``%``, ``.format``, ``|string``, ``|join``) are checked as
    when printed (:func:`_finalize`): "{}".format(range(3)) wrote ``range(0, 3)`` into the report."""
    for value in values:  # '%.1f' % 0.45 too: it writes 0.5, with a point; |antal(1) writes 0,5
        _finalize(value)


def _format(value, *args, **kwargs) -> str:
    """Filter ``format`` (``"%s"|format(x)``), refusing an over-wide format before it runs: a width
    of 10**9 built a string of a gigabyte before :func:`_checked_result` saw it."""
    if _WIDE_FORMAT.search(str(value)):
        raise _LimitExceeded(f"en formatering med en bredd på mer än {MAX_OUTPUT} tecken")
    return jinja2.filters.do_format(value, *args, **kwargs)


def _string(value) -> str:
    return str(_finalize(value))


@jinja2.pass_eval_context
def _join(eval_ctx, items, separator: str = "", attribute=None):
    items = list(items)
    if attribute is None:
        _printed(*items)
    return jinja2.filters.do_join(eval_ctx, items, separator, attribute)


def _check_arguments(args, kwargs) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_OUTPUT:
            raise _LimitExceeded(f"ett anrop med talet {value if abs(value) < 10**12 else 'över 10^12'} som "
                                 f"argument (högst {MAX_OUTPUT})")


def _checked_result(result):
    if isinstance(result, (str, list, tuple, dict)) and len(result) > MAX_OUTPUT:
        raise _LimitExceeded(f"ett värde med mer än {MAX_OUTPUT} tecken eller element")
    return result


def _limited_filter(function):
    """A filter that refuses huge arguments (``indent(10**9)``) and huge results."""
    @functools.wraps(function)
    def limited(*args, **kwargs):
        _check_arguments(args[1:], kwargs)
        return _checked_result(function(*args, **kwargs))
    return limited


def _range(*args):
    steps = range(*args)
    if len(steps) > MAX_ITEMS:
        raise _LimitExceeded(f"range() med {len(steps)} steg (högst {MAX_ITEMS})")
    return steps


def _procent(value, decimals: int = 1) -> str:
    """Filter ``procent``: a fraction as a Swedish percentage (``0.4545`` → ``45,5 %``)."""
    return MARK if value is None else fmt.percent(value, int(decimals))


def _antal(value, decimals: int = 0) -> str:
    """Filter ``antal``: a number the Swedish way (``1234`` → ``1 234``)."""
    return MARK if value is None else fmt.number(value, int(decimals))


#: Sandboxed: a text can read figures but call nothing unsafe; no autoescape, since the
#: Markdown step escapes raw HTML.
ENV = _LimitedEnvironment(undefined=_Missing, autoescape=False, finalize=_finalize, keep_trailing_newline=True,
                          optimized=False)  # nothing is evaluated while compiling: only when rendering, within the limits
ENV.globals["range"] = _range
ENV.globals.pop("lipsum", None)  # random filler text has no place in a report
ENV.filters.update(procent=_procent, antal=_antal, string=_string, join=_join, format=_format)
ENV.filters.update({name: _limited_filter(f) for name, f in ENV.filters.items()})


def _hidden(value) -> bool:
    """The test ``is dold``: a value disclosure control hides (``..``; ``tal()`` gives ``None`` for it).

    >>> _hidden(MARK), _hidden(None), _hidden("12")
    (True, True, False)
    """
    return value is None or (isinstance(value, str) and value == MARK)


_PRINTED_NAME = re.compile(r"\{\{-?\s*([A-Za-z_]\w*(?:\.\w+)+)\s*-?\}\}")


def _hidden_in_prose(line: str, namespace: figures.Group) -> str:
    """The warning of a text that printed a hidden value (``..``) in its running prose, naming the
    variables of ``line`` (the template's) that are hidden, when they are written as plain names.

    >>> ns = figures.formatted({"antal.avslutade": MARK, "antal.nya": 50})
    >>> _hidden_in_prose("Av dem började {{ antal.nya }}, och {{ antal.avslutade }} avslutades.", ns)[:60]
    '{{ antal.avslutade }} döljs för att skydda enskilda personer'
    """
    hidden = []
    for name in dict.fromkeys(_PRINTED_NAME.findall(line)):
        value = namespace
        for part in name.split("."):
            value = value[part] if isinstance(value, figures.Group) and part in value else None
        if _hidden(value) and value is not None:
            hidden.append(name)
    said = " och ".join(f"{{{{ {name} }}}}" for name in hidden) if hidden else "ett värde som texten skriver ut"
    name = hidden[0] if hidden else "antal.avslutade"
    return (f"{said} döljs för att skydda enskilda personer och står som '..' mitt i meningen. Skriv meningen "
            f"så att den håller också när värdet döljs: {{% if {name} is not dold %}}… {{{{ {name} }}}} …{{% endif %}}.")


ENV.tests["dold"] = _hidden


def _generate(text: "Text", variables: dict) -> str:
    """Render with the limits: lines run in the text's template code are counted (a trace
    function on its frames only), and the output is measured as it is written."""
    steps = 0
    code_file = str(text.path)

    def peak() -> int:  # kB on Linux (bytes on macOS: a looser bound there)
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss if resource else 0

    memory = peak()

    last_line = None  # the template code's line last run: where an oversized output was written

    def count(frame, event, arg):
        nonlocal steps, last_line
        if event == "line":
            steps += 1
            last_line = frame.f_lineno
            if steps > MAX_STEPS:
                raise _LimitExceeded(f"mer än {MAX_STEPS} steg (en slinga som inte tar slut i rimlig tid)")
            if peak() - memory > MAX_MEMORY_KB:
                raise _LimitExceeded("värden som tar för mycket minne")
        return count

    previous = sys.gettrace()
    sys.settrace(lambda frame, event, arg: count if frame.f_code.co_filename == code_file else None)
    try:
        parts, size = [], 0
        for part in text.template.generate(variables):
            size += len(part)
            if size > MAX_OUTPUT:
                exc = _LimitExceeded(f"mer än {MAX_OUTPUT} tecken text")
                exc.template_line = text.template.get_corresponding_lineno(last_line) if last_line else None
                raise exc
            parts.append(part)
        return "".join(parts)
    finally:
        sys.settrace(previous)


_COMMENT = re.compile(r"\{#.*?#\}", re.S)


@dataclass(frozen=True)
class Text:
    """One parsed text: its file, the compiled template and where its body starts in the file.

    ``images`` holds the images the text shows, read from the data folder when it is loaded.
    """

    path: Path
    source: str
    template: jinja2.Template
    first_line: int  # file line of the template's line 1 (after any front matter)
    images: tuple[tuple[str, bytes], ...] = field(default=(), compare=False)

    @property
    def markdown_source(self) -> str:
        """The source with template comments (``{# ... #}``) blanked, lines kept: what the
        reader can see is checked, not the notes an evaluator keeps for themselves."""
        return _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), self.source)

    def file_line(self, template_line: int) -> int:
        return self.first_line + template_line - 1

    def line_of(self, written: str) -> int | None:
        """The file line where ``written`` first appears in the text (``None``: not written there)."""
        for number, line in enumerate(self.source.splitlines(), start=1):
            if written and written in line:
                return self.file_line(number)
        return None

    @property
    def is_word(self) -> bool:
        """A Word text: its lines are those of the converted Markdown, so messages name no line."""
        return self.path.suffix.lower() == ".docx"

    def where(self, line: int | None) -> str:
        """The file and line a message names; in a Word text, the heading and paragraph (it has no lines)."""
        return _at(self.path, line or None, self.source)

    def notice(self, template_line: int | None, message: str) -> Notice:
        """A warning at ``template_line`` of the text, named as :meth:`where` names it."""
        if template_line and self.is_word:
            return Notice(self.path, None, f"{wordplaces.word_place(self.source, template_line)}: {message}")
        return Notice(self.path, self.file_line(template_line) if template_line else None, message)


def _template_line(text: Text) -> int | None:
    """The template line the template of ``text`` is running now (from the interpreter's frames)."""
    frame = sys._getframe()
    while frame is not None:
        if frame.f_code.co_filename == str(text.path):
            return text.template.get_corresponding_lineno(frame.f_lineno)
        frame = frame.f_back
    return None


def _current_line(text: Text) -> int | None:
    """The file line the template of ``text`` is running now."""
    line = _template_line(text)
    return None if line is None else text.file_line(line)


# -- pure -----------------------------------------------------------------------------------
_OPENS = re.compile(r"\{%-?\s*(?:if|for|macro|call|filter|with|block)\b|[(\[]")
_CLOSES = re.compile(r"\{%-?\s*end\w+|[)\]]")
_NESTING = re.compile(f"{_OPENS.pattern}|{_CLOSES.pattern}")


def _deepest_line(source: str, limit: int = 50) -> int:
    """The line (of ``source``) where the nesting of blocks and brackets first passes ``limit``
    (its deepest point when it never does).

    >>> _deepest_line("a\\n" + "(" * 60 + "1" + ")" * 60)
    2
    """
    depth, deepest, line_at = 0, -1, 1
    for match in _NESTING.finditer(source):
        depth += -1 if _CLOSES.fullmatch(match.group(0)) else 1
        if depth > deepest:
            deepest, line_at = depth, source.count("\n", 0, match.start()) + 1
            if depth > limit:
                break
    return line_at


def _at(path: Path, line: int | None, source: str) -> str:
    """Where in a text a message points: the file and line; in a Word text (``source`` its
    conversion), the heading and paragraph; no line known, the file."""
    if line is None:
        return str(path)
    return f"{path}, {wordplaces.word_place(source, line)}" if Path(path).suffix.lower() == ".docx" else f"{path}, rad {line}"


def parse(source: str, path: Path, first_line: int = 1) -> Text:
    """Compile a text's template; a syntax error, or what a text may not do (:func:`syntax.refused`),
    names the file and line. The source is parsed once, for both; and a source compiled before in
    this process is not compiled again (a batch kernel builds every report of an insats from the
    same texts: 114 compilations of 38 sources for 18 bench reports, 0.16 of 9.6 CPU-s). A
    :class:`Text` and its template are never changed, so one may serve every report."""
    return _parsed(source, Path(path), first_line)


@functools.lru_cache(maxsize=256)
def _parsed(source: str, path: Path, first_line: int) -> Text:
    try:
        tree = ENV.parse(source, name=path.name, filename=str(path))
        code = ENV.compile(tree, name=path.name, filename=str(path))
    except RecursionError:
        raise TemplateError(
            f"{_at(path, first_line + _deepest_line(source) - 1, source)}: texten är nästlad i för många nivåer "
            "(villkor, slingor eller parenteser inuti varandra). Skriv den plattare; se "
            f"{GUIDE}."
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        meaning = syntax.explain(exc)
        raise TemplateError(
            f"{_at(path, first_line + (exc.lineno or 1) - 1, source)}: fel i mallsyntaxen{': ' + meaning if meaning else ''}. "
            "Skriv siffror som {{ antal.deltagare }} och villkor som {% if ... %} ... {% endif %}; "
            f"se {GUIDE}."
        ) from None
    except SyntaxError:  # Python refused the compiled template: a macro with an argument named twice
        line = _macro_with_repeated_argument(source)
        raise TemplateError(
            f"{_at(path, None if line is None else first_line + line - 1, source)}: fel i mallsyntaxen: ett makro har två "
            f"argument med samma namn. Ge argumenten olika namn; se {GUIDE}."
        ) from None
    refused = syntax.refused(tree, source)
    if refused:
        raise TemplateError(_combined([f"{_at(path, first_line + line - 1, source)}: {meaning}. Se {GUIDE}."
                                       for line, meaning in refused]))
    template = ENV.template_class.from_code(ENV, code, ENV.make_globals(None), None)
    return Text(Path(path), source, template, first_line)


_MACRO = re.compile(r"{%-?\s*macro\s+\w+\s*\(([^)]*)\)")


def _macro_with_repeated_argument(source: str) -> int | None:
    """The line of the first ``{% macro m(a, a) %}`` in ``source`` (``None``: none found)."""
    for number, line in enumerate(source.splitlines(), 1):
        for found in _MACRO.finditer(line):
            names = [part.split("=")[0].strip() for part in found.group(1).split(",") if part.strip()]
            if len(names) != len(set(names)):
                return number
    return None


def render(text: Text, namespace: figures.Group, tables: Mapping[str, Table] | None = None) -> Markdown:
    """The text with its variables filled in, its headings under the section's, as a Markdown block.

    ``tables`` (id → table) are what ``tabell()`` and ``tal()`` read. Every problem found
    (all unknown variables of the text, a bad link or footnote) is in one :class:`TemplateError`.
    """
    block, problems = _render(text, namespace, tables or {})
    if problems:
        raise TemplateError(_combined(problems))
    return block


def _render(text: Text, namespace: figures.Group, tables: Mapping[str, Table]) -> tuple[Markdown | None, list[str]]:
    context = {**namespace.as_dict(), **cell_functions(tables)}
    try:
        body = _generate(text, context)
    except _LimitExceeded as exc:
        return None, [
            f"{_where(text, exc)}: texten stoppades: den gav {exc}. En text får loopa över "
            f"rapportens värden men inte över stora intervall; se {GUIDE}."
        ]
    except UnknownFigure as exc:
        return None, _all_unknown(text, context, namespace, exc)
    except _GroupAsValue as exc:
        inside = ", ".join(figures.names(exc.group)[:8])
        return None, [
            f"{_where(text, exc)}: {pii.quote(exc.group.path)} är en grupp av värden, inte ett värde; "
            f"skriv ett av: {inside}."
        ]
    except CellError as exc:
        return None, [f"{_where(text, exc)}: {exc}"]
    except _NotPrintable as exc:
        return None, [f"{_where(text, exc)}: texten skriver ut {exc}. Se {GUIDE}."]
    except RecursionError as exc:
        return None, [
            f"{_where(text, exc)}: texten stoppades: den anropar sig själv för många gånger (rekursion i "
            f"ett makro eller en slinga). Skriv den utan att anropa samma makro inifrån sig självt; se {GUIDE}."
        ]
    except jinja2.TemplateError as exc:
        meaning = syntax.explain(exc)
        return None, [f"{_where(text, exc)}: texten går inte att fylla i{': ' + meaning if meaning else ''}. "
                      f"Se {GUIDE}."]
    except (TypeError, ValueError, ArithmeticError) as exc:
        return None, [
            f"{_where(text, exc)}: uttrycket går inte att räkna ut. Variablerna är "
            f"formaterad text, inte tal: skriv ut dem som de är, eller räkna med tal(...). Se {GUIDE}."
        ]
    except (LookupError, AttributeError, AssertionError) as exc:  # [].pop(), "{1}".format(1), truncate(-1)
        return None, [
            f"{_where(text, exc)}: uttrycket går inte att räkna ut: det pekar på en plats i en lista eller "
            f"ett namn som inte finns, eller ger ett filter ett värde det inte tar. Se {GUIDE}."
        ]
    if surrogates.holds(body):  # a string in the template such as "\\ud83d": half a character
        found = surrogates.escape_in(text.source)
        line = found and not text.is_word and text.file_line(found[0])
        return None, [surrogates.message(str(text.path), found and (line or None, found[1]))]
    made = _made_personal_data(text, body)
    if made:
        return None, made
    notices.note(*(text.notice(line, _NAMED) for line in names.name_lines(text.source)))
    problems = [f"{text.where(text.line_of(p.written))}: {p.message}." for p in markup.problems(body, word=text.is_word)]
    loaded = dict(text.images)
    used = []
    for src, _ in markup.images(body):
        if src not in loaded:
            problems.append(f"{text.where(text.line_of(src))}: bilden {pii.quote(src)} lästes inte in med texten; "
                            "skriv bildens sökväg direkt i texten, inte som variabel.")
        elif src not in dict(used):
            used.append((src, loaded[src]))
    if problems:
        return None, problems
    return Markdown(markup.shift_headings(body), images=tuple(used)), []


#: A text that names someone by first and last name (:mod:`evaluation.core.names`), never quoted.
_NAMED = ("texten ser ut att nämna någon med för- och efternamn (namnet visas inte här). En rapport som publiceras "
          "nämner ingen vid namn som inte själv har godkänt det: skriv en roll (\"projektledaren\") i stället.")


#: The space that groups a printed number's digits (:mod:`evaluation.core.fmt`: "1 234").
_GROUPING = re.compile(r"(?<=\d)\u00a0(?=\d)")


def _made_personal_data(text: Text, body: str) -> list[str]:
    """Personal data the template put together (``{{ "8112" ~ "18-9876" }}``), which the scan of
    the text as written (:func:`evaluation.inputs.textfiles.check_personal_text`) cannot see: a
    personnummer is a problem, an e-mail address or phone number a notice, as when written."""
    # and as the numbers read without the space that groups their digits ("811 218" of {{ 811218 }}),
    # which a template puts beside a number of its own: {{ 811218 }}-{{ 9876 }}
    found = {kind for _, kind in pii.text_hits(body) + pii.text_hits(_GROUPING.sub("", body))}
    if not found:  # as nearly every text: the source, scanned when it was read, need not be again
        return []
    made = found - {kind for _, kind in pii.text_hits(text.source)}
    if pii.PNR in made:
        return [f"{text.where(None)}: texten blir något som ser ut som {pii.with_article(pii.PNR)} när mallen "
                "fylls i (värdet visas inte). Skriv inga personuppgifter, inte heller i delar som mallen "
                "sätter ihop."]
    notices.note(*(Notice(text.path, None, f"texten blir något som ser ut som {pii.with_article(kind)} när "
                          "mallen fylls i (visas inte här). Gäller det någon annan än dig, ta bort det.")
                   for kind in sorted(made)))
    return []


def _all_unknown(text: Text, context: dict, namespace: figures.Group, first: UnknownFigure) -> list[str]:
    """Every unknown variable of ``text`` (one message each), found by rendering it once more
    with missing figures recorded instead of failing."""
    found: list = []
    token = _COLLECT.set((text, found))
    try:
        _generate(text, context)  # with the same limits as the first run
    except Exception:  # noqa: BLE001 - the first run's error is reported in any case
        pass
    finally:
        _COLLECT.reset(token)
    messages = [_unknown(text, first, namespace)]
    for name, line in found:
        message = _unknown_at(text, line, _written_name(text, line, name), namespace)
        if message not in messages:
            messages.append(message)
    return messages


def _combined(problems: list[str]) -> str:
    problems = list(dict.fromkeys(problems))  # a problem found both when loading and rendering: once
    if len(problems) == 1:
        return problems[0]
    return "\n".join([f"Texterna har {len(problems)} fel; rätta alla och kör igen:"] + [f"  - {p}" for p in problems])


def _line(text: Text, exc: BaseException) -> int | None:
    """The file line the template was at when ``exc`` was raised (Jinja maps its frames)."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == str(text.path):
            line = tb.tb_lineno
        tb = tb.tb_next
    line = line or getattr(exc, "template_line", None)  # raised outside the template's frames
    return text.file_line(line) if line else None


def _where(text: Text, exc: BaseException) -> str:
    line = _line(text, exc)
    return text.where(line)


def _unknown(text: Text, exc: UnknownFigure, namespace: figures.Group) -> str:
    line = _line(text, exc)
    return _unknown_at(text, line, _written_name(text, line, exc.name), namespace)


def _unknown_at(text: Text, line: int | None, name: str, namespace: figures.Group) -> str:
    where = text.where(line)
    missing_input = any(name.startswith(f"{group}.") and group not in namespace for group in ("enkat", "resultat"))
    if figures.is_documented(name) or missing_input:
        return (
            f"{where}: variabeln {pii.quote(name)} har inget värde i den här rapporten (underlaget saknas "
            "eller är tomt för perioden). Ta bort den, eller skriv meningen inom "
            f"{{% if {name} is defined %}} ... {{% endif %}}. Se {GUIDE}."
        )
    valid = figures.names(namespace)
    hint = did_you_mean(name, valid, sentence=True)
    if not hint:  # compare the written groups (e.g. 'antall' → 'antal.*'), then the nearest of that group
        head = nearest(name.split(".")[0], sorted({n.split(".")[0] for n in valid}))
        hint = did_you_mean(name, [n for n in valid if head and n.startswith(head + ".")], 0.0, sentence=True)
    return f"{where}: okänd variabel {pii.quote(name)}.{hint} Alla variabler finns i {GUIDE}."


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


# -- any cell of any table: tabell() and tal() ----------------------------------------------
class CellError(Exception):
    """``tabell()``/``tal()`` named a table, row or column the report does not have (Swedish)."""


def _choices(values, limit: int = 30) -> str:
    values = [str(v) for v in values]
    shown = ", ".join(values[:limit])
    return shown + (f" … ({len(values) - limit} till)" if len(values) > limit else "")


def _close(word, values) -> str:
    return did_you_mean(word, values, sentence=True)


def find_cell(tables: Mapping[str, Table], table_id, row, column) -> tuple[Table, object, str]:
    """The table, the value and the kind of one cell.

    ``row`` is matched against the first column of the table's frame (as in ``tabeller/<id>.csv``:
    ``kategori`` of ``resultat``, ``kon`` of ``deltagare_kon``, ``id`` of ``mal``); for a table
    with several rows per label, give a list of labels of the first columns, e.g.
    ``["Arbete", "Kvinna"]``. ``column`` is a column id of the frame or a column heading.
    """
    table = tables.get(str(table_id))
    if table is None:
        raise CellError(f"tabellen {pii.quote(table_id)} finns inte i rapporten.{_close(table_id, tables)} "
                        f"Rapportens tabeller: {_choices(tables)}")
    frame = table.frame.reset_index(drop=True)
    shown = table.shown.reset_index(drop=True) if table.shown is not None else None
    labels = list(row) if isinstance(row, (list, tuple)) else [row]
    keys = list(frame.columns[:len(labels)])
    if len(labels) > len(frame.columns):
        raise CellError(f"tabellen {pii.quote(table_id)} har bara {len(frame.columns)} kolumner att välja rad med")
    match = pd.Series(True, index=frame.index)
    for key, label in zip(keys, labels):
        match &= frame[key].map(str) == str(label)
    positions = list(frame.index[match])
    if not positions:
        first = frame[keys[0]].map(str).drop_duplicates().tolist() if len(frame.columns) else []
        raise CellError(f"tabellen {pii.quote(table_id)} har ingen rad {pii.quote(' / '.join(map(str, labels)))}."
                        f"{_close(labels[0], first)} Raderna (kolumnen {keys[0] if keys else '–'}): {_choices(first)}")
    if len(positions) > 1:
        nxt = frame.columns[len(labels)] if len(frame.columns) > len(labels) else None
        raise CellError(f"tabellen {pii.quote(table_id)} har {len(positions)} rader {pii.quote(' / '.join(map(str, labels)))}; "
                        f"ange raden som en lista med även kolumnen {nxt}, till exempel "
                        f"[\"{labels[0]}\", \"{frame[nxt].iloc[positions[0]] if nxt else ''}\"]")
    position = positions[0]
    headings = {heading.lower(): col for col, (heading, _) in table.columns.items()}
    name = str(column)
    name = name if (name in frame.columns or (shown is not None and name in shown.columns)) else headings.get(name.lower(), name)
    if name in frame.columns:
        value = frame[name].iloc[position]
    elif shown is not None and name in shown.columns:
        value = shown[name].iloc[position]
    else:
        available = list(frame.columns) + [c for c in (shown.columns if shown is not None else []) if c not in frame.columns]
        raise CellError(f"tabellen {pii.quote(table_id)} har ingen kolumn {pii.quote(column)}.{_close(column, available)} "
                        f"Kolumnerna: {_choices(available)}")
    return table, value, _kind(table, name, value)


def _kind(table: Table, column: str, value) -> str:
    if column in table.columns:
        return table.columns[column][1]
    if column.startswith("andel") or column == "svarsfrekvens":
        return "share"
    if isinstance(value, bool) or not isinstance(value, numbers.Number):
        return "text"
    return "count" if float(value).is_integer() else "number"


def _as_number(value):
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    return value


def cell_functions(tables: Mapping[str, Table]) -> dict[str, Callable]:
    """``tabell`` and ``tal`` for the templates, reading ``tables`` (id → table)."""

    def tabell(table_id, row, column) -> str:
        table, value, kind = find_cell(tables, table_id, row, column)
        return table.cell(value, kind)

    def tal(table_id, row, column):
        table, value, kind = find_cell(tables, table_id, row, column)
        if isinstance(value, str) and value == MARK:
            return None
        if kind == "text" or isinstance(value, str):
            raise CellError(f"kolumnen {pii.quote(column)} i tabellen {pii.quote(table_id)} är text, inte tal; skriv tabell(...) i stället")
        value = _as_number(value)
        return None if value is None or (isinstance(value, float) and value != value) else value

    return {"tabell": tabell, "tal": tal}


# -- loading --------------------------------------------------------------------------------


def find_text(folder: Path, name: str) -> Path | None:
    """The file of text ``name`` in ``folder`` (``<name>.md`` or ``.docx``), or ``None`` when there is none.

    Every lookup of a text by name goes through here (the loader and the outline's check).
    """
    for suffix in TEXT_SUFFIXES:
        path = Path(folder) / f"{name}{suffix}"
        if not unreachable(path) and path.is_file():  # a name too long for the system: no such file
            return path
    return None


def text_names(folder: Path) -> list[str]:
    """The names of every text file in ``folder`` (for near matches)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.iterdir()
                  if p.suffix.lower() in TEXT_SUFFIXES and not p.name.startswith(PASSED_OVER))


def load_texts(folder: Path, names=None) -> dict[str, Text]:
    """Every ``<section>.md`` in ``folder``, parsed, by section id, with its images.

    Any other file (an unknown section id, another file type) is an error listing the valid
    section ids. ``names`` (a list, with an outline) are the further text names the outline
    shows; with an outline another text file is skipped with a notice. Hidden files and Office lock files (``~$...``) are ignored. Every syntax error,
    bad link, undefined footnote and missing or unnamed image of every text is reported in one
    :class:`TemplateError`; images are read from the data folder (``folder``'s parent).
    """
    folder = Path(folder)
    out: dict[str, Text] = {}
    problems: list[str] = []
    paths = [p for p in sorted(folder.iterdir()) if not p.name.startswith(PASSED_OVER) and not p.is_dir()
             and not (named_but_no_file(p) and p.suffix.lower() in TEXT_SUFFIXES)]  # a pipe or broken link: noticed
    shown_paths = []
    for path in paths:
        if names is not None and path.suffix.lower() in TEXT_SUFFIXES and path.stem not in (*SECTIONS, *names):
            notices.note(Notice(path, None, "texten visas inte: dispositionen nämner den inte. Lägg till "
                                            f"'text: {path.stem}' i dispositionen för att visa den."))
            continue
        shown_paths.append(path)
        if path.suffix.lower() not in TEXT_SUFFIXES or path.stem not in (*SECTIONS, *(names or ())):
            near = nearest(path.stem, [*SECTIONS, *(names or ())])
            hint = f" Menade du {pii.quote(near + '.md')}?" if near is not None else ""
            raise InputError(
                f"{path}: ingen avsnittstext. Döp varje fil till <avsnitt>.md (eller <avsnitt>.docx) "
                f"med ett av avsnittens id: {', '.join(SECTIONS)}.{hint}"
            )
    paths = shown_paths
    _refuse_both_forms(paths)
    for path in paths:
        word = path.suffix.lower() == ".docx"
        doc = read_docx(path) if word else read_markdown(path)
        try:
            text = parse(doc.body, path, doc.body_first_line)
        except TemplateError as exc:
            problems.append(str(exc))
            continue
        found = source_problems(text)
        notices.note(*fonts.unprintable(path, text.markdown_source, None if word else text.first_line))
        notices.note(*placeholder_notices(text))
        if not text.markdown_source.strip():  # shown as a bare heading, or as nothing before a table
            notices.note(Notice(path, None, "texten är tom (eller har bara kommentarer) och visar ingenting i "
                                            "rapporten. Skriv texten, eller ta bort filen."))
        if word:  # a Word text carries its images; only those it shows are kept
            images, missing = doc.images, []
            if doc.linked:
                notices.note(Notice(path, None, (
                    f"texten har {fmt.plural(doc.linked, 'bild', 'bilder')} som Word hämtar från en "
                    f"webbadress eller en server (länkade, inte infogade); {'den' if doc.linked == 1 else 'de'} visas "
                    "inte i rapporten. Ska en bild vara med, infoga den i dokumentet (Infoga → Bilder).")))
        else:
            images, missing = _read_images(text, folder.parent)
        problems += found + missing
        out[path.stem] = Text(text.path, text.source, text.template, text.first_line, images)
    if problems:
        raise TemplateError(_combined(problems))
    return out


#: The placeholder ``evaluation new`` writes in each text (:func:`evaluation.tools.scaffold.text_file`),
#: with or without the italics' stars around it.
PLACEHOLDER = "(Skriv avsnittet {title} här.)"
_PLACEHOLDER = re.compile(r"\(Skriv avsnittet [^()\n]{1,80} här\.\)")


def placeholder_notices(text: Text) -> list[Notice]:
    """A warning for each line that still holds the placeholder ``evaluation new`` wrote: it would
    reach the finished report as it stands (``--strikt`` makes it an error, as every warning)."""
    return [text.notice(number, (
        f"platshållaren {pii.quote(found.group(0))} från evaluation new står kvar och syns i rapporten. "
        "Skriv avsnittets text i stället, eller ta bort raden."))
        for number, line in enumerate(text.markdown_source.splitlines(), start=1)
        for found in [_PLACEHOLDER.search(line)] if found]


def _refuse_both_forms(paths: list[Path]) -> None:
    """A text written both as Markdown and as Word is an error naming both files."""
    stems: dict[str, list[Path]] = {}
    for path in paths:
        stems.setdefault(path.stem, []).append(path)
    both = [found for found in stems.values() if len(found) > 1]
    if both:
        pairs = "; ".join(" och ".join(str(p) for p in found) for found in both)
        raise InputError(f"samma text finns i två former: {pairs}. Behåll en av filerna (.md eller .docx) "
                         "och flytta den andra ur mappen texter/.")


def source_problems(text: Text) -> list[str]:
    """Bad links, undefined footnotes and images without alt text as written in ``text`` (pure)."""
    return [f"{text.where(text.file_line(p.line + 1) if p.line is not None else None)}: {p.message}."
            for p in markup.problems(text.markdown_source, word=text.is_word)]


def _read_images(text: Text, data: Path) -> tuple[tuple[tuple[str, bytes], ...], list[str]]:
    images: dict[str, bytes] = {}
    problems = []
    for src, line in markup.images(text.markdown_source):
        if src in images or markup.image_path_problem(src):
            continue  # reported by source_problems
        try:
            images[src] = read_image(data, src)
        except InputError as exc:
            problems.append(f"{text.where(text.file_line(line + 1) if line is not None else None)}: {exc}")
    return tuple(images.items()), problems


def load_texts_input(params: ReportParams, inputs: dict) -> dict[str, Text] | None:
    """Loader for :data:`evaluation.sections.registry.LOADERS`: ``None`` when there is no ``texter/`` folder."""
    folder = Path(params.data) / FOLDER
    named = outline_text_names(params) if params.disposition is not None else None
    return load_texts(folder, named) if folder.is_dir() else None


def outline_text_names(params: ReportParams) -> list[str]:
    """The text names the outline (``disposition``) shows, in order."""
    from evaluation.inputs.disposition import entries

    if params.disposition is None:
        return []
    return list(dict.fromkeys(i.text for e in entries(params.disposition) for i in e.items if i.kind == "text"))


# -- report glue ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Prose:
    """Every text of a report rendered (section id → block) and the fact check's warnings."""

    blocks: Mapping[str, Markdown]
    warnings: tuple[Notice, ...] = ()


def render_all(texts: Mapping[str, Text], namespace: figures.Group, tables: Mapping[str, Table],
               checked: list | tuple = (), hidden: list | tuple = ()) -> Prose:
    """Render ``texts`` (section id → text); every problem of every text in one :class:`TemplateError`.

    ``checked`` are the figures the fact check compares typed numbers with
    (:func:`evaluation.compute.factcheck.report_figures`); ``hidden`` the cells disclosure control hid
    (:func:`evaluation.compute.cellrefs.hidden_cells`): a number typed in a text that states one of them
    is shown as ``..`` with a warning (:func:`evaluation.compute.factcheck.redact_hidden`).
    """
    blocks: dict[str, Markdown] = {}
    problems: list[str] = []
    warnings: list[Notice] = []
    for section_id, text in texts.items():
        redacted, found = factcheck.redact_hidden(text.source, hidden)
        if found:
            warnings += [text.notice(r.line, r.message) for r in found]
            again = parse(redacted, text.path, text.first_line)
            text = dataclasses.replace(text, source=again.source, template=again.template)
        shown: list = []
        token = _SHOWN_HIDDEN.set((text, shown))
        try:
            block, found = _render(text, namespace, tables)
        finally:
            _SHOWN_HIDDEN.reset(token)
        problems += found
        lines = text.source.splitlines()
        warnings += [text.notice(line, _hidden_in_prose(lines[line - 1] if line and line <= len(lines) else "", namespace))
                     for line in dict.fromkeys(shown)]
        if block is not None:
            blocks[section_id] = block
        for finding in factcheck.check(text.source, checked):
            warnings.append(text.notice(finding.line, finding.message))
    if problems:
        raise TemplateError(_combined(problems))
    return Prose(blocks, tuple(warnings))


def report_prose(report: "Report") -> Prose:
    """The texts of the sections ``report`` shows, rendered with its figures and tables."""
    loaded = report.inputs.get("texts") or {}
    names = [*report.section_ids, *outline_text_names(report.params)]
    shown = {sid: loaded[sid] for sid in dict.fromkeys(names) if sid in loaded}
    from evaluation.sections.subinsatser import subinsats_pairs

    checked = factcheck.report_figures(report.key_figures, report.table_map, subinsats_pairs(report))
    return render_all(shown, figures.namespace(report), report.table_map, checked, report._hidden_cells)


def prose(report: "Report", section_id: str) -> Markdown | None:
    """The evaluator's text for ``section_id`` rendered with the report's figures, or ``None``.

    The first call renders every text of the report (see :attr:`evaluation.build.report.Report.prose`).
    """
    text = (report.inputs.get("texts") or {}).get(section_id)
    if text is None:
        return None
    if section_id in report.section_ids:
        return report.prose.blocks.get(section_id)
    return render_all({section_id: text}, figures.namespace(report), report.table_map,
                      hidden=report._hidden_cells).blocks.get(section_id)


def prose_builder(section_id: str) -> Callable:
    """A section builder for a prose-only section: the text is its only block."""

    def build(report: "Report") -> Section | None:
        block = prose(report, section_id)
        return None if block is None else Section(section_id, report.title_of(section_id), (block,))

    build.__name__ = f"{section_id}_section"
    build.__doc__ = f"The section '{section_id}': the evaluator's text {FOLDER}/{section_id}.md only."
    build.prose_only = True  # type: ignore[attr-defined]
    return build
