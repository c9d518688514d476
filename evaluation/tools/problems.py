"""Every problem in a report's inputs, as a workbook the evaluator can send back to the insats.

``evaluation validate --rapport FILE.xlsx`` uses :func:`collect` and :func:`write`.
:func:`collect` runs every input loader on its own, so one run finds the problems of all input
files (not only the first failing one); when the inputs load, it builds the report's tables
and sections too (texts, goals). Each problem names the file (relative to the data folder),
the row as the user sees it, the column, the value found and what is wrong and allowed.

Personal data never reaches the workbook: a value that looks like a personnummer (or any
value of a problem about one) is left empty, and personnummer-like numbers in a message are
masked. Every text cell is written as a string; one that a spreadsheet could take for a
formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) gets a leading ``'``.

>>> safe_text("=SUM(A1)"), safe_text("Arbete")
("'=SUM(A1)", 'Arbete')
>>> mask("id 19900101-1234 är fel")
'id [dolt] är fel'
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from evaluation.build.report import Report, read_inputs
from evaluation.core import pii
from evaluation.core.errors import EvaluationError, InputErrors, ParamsError, ValidationError
from evaluation.inputs.files import TABLE_SUFFIXES, RawTable, normalise_header, read_table_and_refusals
from evaluation.inputs.params import load_params
from evaluation.inputs.paths import real_path
from evaluation.run.render import validation_notices
from evaluation.sections.registry import after_register

HEADERS = ("Rapport", "Fil", "Rad", "Kolumn", "Värde", "Problem och vad som är tillåtet")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PNR_IN_TEXT = re.compile(r"(?<![\d])(?:\d{2})?\d{6}[-+]?\d{4}(?![\d])")
_ID_COLUMNS = ("deltagar_id", "respondent_id")


@dataclass(frozen=True)
class Problem:
    """One problem, located as the user finds it."""

    rapport: str  # insats/period (or the parameters file when it cannot be read)
    fil: str
    rad: int | None
    kolumn: str
    varde: str
    problem: str
    varning: bool = False  # a warning: the report can be made, but something was ignored or looks wrong


# -- pure helpers -----------------------------------------------------------------------------------
def safe_text(value: object) -> str:
    """A cell's text that no spreadsheet runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def mask(text: str) -> str:
    """``text`` with every personnummer-like number replaced by ``[dolt]``."""
    return pii.redact(_PNR_IN_TEXT.sub("[dolt]", text))  # and e-mail, phone, any separator


def is_personal(column: str, value: str, problem: str) -> bool:
    """Whether a value must not be written: it looks like a personnummer, or the problem is about one."""
    if value and (pii.looks_like_pnr(value, luhn=False) or pii.value_kind(value)):
        return True
    return normalise_header(column or "") in _ID_COLUMNS and "personnummer" in problem.lower()


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


# -- from errors to problems -------------------------------------------------------------------------
class _Files:
    """Reads a table file once to look up the value of a violation's cell."""

    def __init__(self):
        self._tables: dict[Path, RawTable | None] = {}

    def value(self, path: Path, row: int | None, column: str | None) -> str:
        if row is None or not column or path.suffix.lower() not in TABLE_SUFFIXES:
            return ""
        if path not in self._tables:
            try:
                self._tables[path] = read_table_and_refusals(path)[0]  # the rows refused are not there
            except EvaluationError:
                self._tables[path] = None
        raw = self._tables[path]
        key = normalise_header(column)
        label = row - raw.first_row if raw is not None else None
        if raw is None or key not in raw.frame.columns or label not in raw.frame.index:
            return ""
        return _shown(raw.frame.at[label, key])


def _relative(path: Path, roots: tuple[Path, ...]) -> str:
    path = Path(path)
    for root in roots:
        try:
            return real_path(path).relative_to(real_path(root)).as_posix()
        except ValueError:
            continue
    return str(path)


_LOCATED = re.compile(r"^(?P<path>[^\n]+?)(?:, (?:line|rad) (?P<line>\d+))?(?:, nyckeln '(?P<key>[^'\n]*)')?: "
                      r"(?P<rest>.*)$", re.DOTALL)
#: The first line a message names inside its text (the column Rad of the workbook then holds it).
_SAID_LINE = re.compile(r"\brad (?P<line>\d+)\b")


def from_error(exc: EvaluationError, rapport: str, roots: tuple[Path, ...], files: _Files | None = None) -> list[Problem]:
    """The problems one error stands for: one per violation, or one for the whole message."""
    files = files or _Files()
    if isinstance(exc, InputErrors):  # several files: each its own problems
        return [p for each in exc.errors for p in from_error(each, rapport, roots, files)]
    if isinstance(exc, ValidationError):
        out = []
        for v in exc.violations:
            column = v.column or ""
            value = files.value(exc.path, v.row, v.column)
            if is_personal(column, value, v.problem):
                value = ""
            out.append(Problem(rapport, _relative(exc.path, roots), v.row, column, value, mask(v.problem)))
        return out
    message, row = str(exc), None
    where = ""
    match, column = _LOCATED.match(message), ""
    if match and Path(match["path"]).exists():
        where, message, column = _relative(Path(match["path"]), roots), match["rest"], match["key"] or ""
        row = int(match["line"]) if match["line"] else None
        if row is None and Path(match["path"]).suffix.lower() != ".docx" and (said := _SAID_LINE.search(message)):
            # "ogiltig YAML på rad 25", "rad 2 har 10 kolumner"; a Word text has no lines ("tabell 1, rad 2" is a table's)
            row = int(said["line"])
    elif getattr(exc, "path", None) is not None:
        where = _relative(exc.path, roots)
    return [Problem(rapport, where, row, column, "", mask(message.strip()))]


def collect(params_path: Path | str) -> list[Problem]:
    """Every problem of one report's parameters and inputs (empty: the report can be made)."""
    params_path = Path(params_path)
    rapport = f"{params_path.parent.name}/{params_path.stem}"
    try:
        params = load_params(params_path)
    except ParamsError as exc:
        return from_error(exc, rapport, (real_path(params_path).parent.parent.parent,))
    roots = (params.data, params.params_dir.parent)
    files = _Files()
    problems: list[Problem] = []
    _, failed, waiting = read_inputs(params)
    for error in failed.values():
        problems += from_error(error, rapport, roots, files)
    if waiting:  # checked once the input it reads can be used: said, as a warning of its own
        problems.append(Problem(rapport, "", None, "", "", f"Varning: {after_register(waiting)}", varning=True))
    if not problems:
        try:
            report = Report(params)
            report.tables  # noqa: B018 - computing is the check
            report.sections  # noqa: B018
        except EvaluationError as exc:
            problems += from_error(exc, rapport, roots, files)
        else:
            problems += [Problem(rapport, _relative(Path(n.path), roots), n.line, "", "", mask(f"Varning: {n.message}"),
                                 varning=True) for n in validation_notices(report)]
    return problems


def errors(problems: list[Problem]) -> list[Problem]:
    """The problems that stop the report (not the warnings)."""
    return [p for p in problems if not p.varning]


# -- the workbook --------------------------------------------------------------------------------------
def workbook(problems: list[Problem], checked: list[str]) -> Workbook:
    """Sheet ``Problem`` (one row per problem) and sheet ``Om`` (what was checked, how to fix)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Problem"
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for p in problems:
        texts = [p.rapport, p.fil, None, p.kolumn, p.varde, p.problem]
        sheet.append([None] * len(HEADERS))
        row = sheet.max_row
        for index, text in enumerate(texts, start=1):
            if index == 3:
                sheet.cell(row=row, column=3, value=p.rad)
                continue
            cell = sheet.cell(row=row, column=index)
            cell.value = safe_text(text)
            cell.data_type = "s"
            cell.alignment = wrap
    if not problems:
        sheet.append([safe_text(c) for c in checked[:1]] + ["", None, "", "", "Inga problem hittades."])
    for letter, width in zip("ABCDEF", (22, 30, 6, 22, 24, 90)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    about = book.create_sheet("Om")
    lines = [
        "Problem i underlaget",
        f"Kontrollerat {dt.date.today().isoformat()}: {', '.join(checked)}",
        f"Antal problem: {len(errors(problems))}",
        f"Antal varningar: {len(problems) - len(errors(problems))}",
        "",
        "Varje rad på bladet Problem är ett fel i en fil: filen, raden som du ser den i filen (rubrikraden är rad 1),",
        "kolumnen, värdet som står där och vad som är tillåtet. Rätta felen i filen och skicka den till utvärderaren igen.",
        "Rader som börjar med \"Varning:\" stoppar inte rapporten, men något lästes inte eller ser fel ut: läs och avgör.",
        "Värden som ser ut som personnummer visas aldrig; sådana id ska bytas mot pseudonyma id, t.ex. D0001.",
    ]
    for line in lines:
        about.append([safe_text(line)])
    about.column_dimensions["A"].width = 110
    about["A1"].font = Font(bold=True, size=14)
    return book


def write(problems: list[Problem], path: Path | str, checked: list[str]) -> Path:
    """Save the problem workbook to ``path``."""
    path = Path(path)
    workbook(problems, checked).save(path)
    return path
