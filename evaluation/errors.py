"""The exception tree.

Every failure a user can cause is an :class:`EvaluationError`. Library code raises; only the
CLI turns an error into a message and an exit code.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: At most this many violations are listed in one message.
MAX_LISTED = 20


class EvaluationError(Exception):
    """Base class of every error a user can cause and fix."""

    @classmethod
    def from_message(cls, message: str) -> "EvaluationError":
        """The error as raised elsewhere (in the report's kernel), rebuilt from its message."""
        error = cls.__new__(cls)
        Exception.__init__(error, message)
        return error


class ParamsError(EvaluationError):
    """A parameters file is missing, unreadable or invalid."""


class InputError(EvaluationError):
    """An input file (register, survey, text, ...) cannot be used."""


class EmptyTableError(InputError):
    """A table file has its header row but no data rows (e.g. a template not filled in yet)."""

    def __init__(self, path: Path | str, message: str):
        self.path = Path(path)
        super().__init__(message)


class TemplateError(InputError):
    """An evaluator's text uses an unknown variable or bad template syntax."""


@dataclass(frozen=True)
class InputWarning:
    """Something in an input that the report does not stop for but the evaluator should see
    (e.g. a typed number that contradicts the report's figure): file, line (``None``: the whole
    file) and the message in Swedish."""

    file: Path
    line: int | None
    message: str

    def describe(self) -> str:
        where = f"{self.file}, rad {self.line}" if self.line else str(self.file)
        return f"{where}: {self.message}"


class RenderError(EvaluationError):
    """The notebook could not be executed or converted."""


@dataclass(frozen=True)
class Violation:
    """One bad cell: where it is, what was found and what is allowed."""

    row: int | None
    column: str | None
    problem: str

    def describe(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        prefix = ", ".join(where)
        return f"{prefix}: {self.problem}" if prefix else self.problem


class ValidationError(InputError):
    """A file holds one or more bad values; all of them (up to a cap) are listed."""

    def __init__(self, path: Path | str, violations: list[Violation]):
        self.path = Path(path)
        self.violations = sorted(violations, key=lambda v: (v.row is not None, v.row or 0))
        lines = [f"{self.path}: {len(self.violations)} problem(s) found."]
        lines += [f"  - {v.describe()}" for v in self.violations[:MAX_LISTED]]
        if len(self.violations) > MAX_LISTED:
            lines.append(f"  ... and {len(self.violations) - MAX_LISTED} more.")
        lines.append("Correct the file and run again; nothing was written.")
        super().__init__("\n".join(lines))
