"""File and folder names that hold personal data: refused, never shown.

A name becomes part of what a report publishes: a parameters file's name is the period's output
folder, its folder the insats's, a survey's or a matrix's name a table's file name, its id in
``tabeller.xlsx`` and in ``rapport.html``. So a name that :func:`evaluation.core.pii.value_kind`
refuses (a personnummer or samordningsnummer, an e-mail address, a phone number, in any form) is
an input error, the same as the value in a file; the message names the folder it is in and masks
the name itself.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from evaluation.core import pii
from evaluation.core.errors import InputError, ParamsError, redact


def personal_kind(path: Path) -> str | None:
    """What personal data ``path``'s own name holds (:data:`evaluation.core.pii.PNR` …), or ``None``.

    >>> personal_kind(Path("params/samordningsteamet/850705-1234.yaml")), personal_kind(Path("enkater/avslut.csv"))
    ('personnummer eller samordningsnummer', None)
    >>> personal_kind(Path("enkater/enkat_850802_1234.csv")), personal_kind(Path("2024-05-01--2025-04-30.yaml"))
    ('personnummer eller samordningsnummer', None)
    """
    return pii.value_kind(path.name) or pii.value_kind(path.stem)


def name_problem(path: Path, example: str) -> str | None:
    """The message for ``path`` when its name holds personal data (:func:`personal_kind`), or ``None``:
    the folder it is in, whether a file or a folder, what it looks like, and how to fix it (a name
    such as ``example``). The name itself is never in it."""
    kind = personal_kind(path)
    if kind is None:
        return None
    what = "mappnamn" if path.is_dir() else "filnamn"
    return redact(
        f"{path.parent}: ett {what} i mappen ser ut att innehålla {pii.with_article(kind)} (namnet visas inte). "
        f"Namnet skulle synas i rapportens mappar, filnamn och tabeller: byt namn, t.ex. till {example}, och kör igen."
    )


def check_params_path(path: Path) -> None:
    """Raise :class:`ParamsError` when a parameters file's name or its insats folder's name holds
    personal data: they become the report's output folders."""
    for named, example in ((path.parent, "samordningsteamet"), (path, "2024.yaml")):
        if (problem := name_problem(named, example)) is not None:
            raise ParamsError(problem)


def data_name_errors(paths: Iterable[Path]) -> list[InputError]:
    """One :class:`InputError` for each folder in ``paths`` (the data folder's entries) with a name
    that holds personal data; two such files of one folder are said once."""
    found = [problem for path in paths if (problem := name_problem(path, _example(path)))]
    return [InputError(problem) for problem in dict.fromkeys(found)]


def _example(path: Path) -> str:
    """A name to suggest instead of ``path``'s: the same for every file of one folder, so that a
    survey's ``.csv`` and ``.yaml`` are said once."""
    if path.is_dir():
        return "ett namn utan personuppgifter"
    return {"intervjuer": "personal-a.md", "enkater": "avslut-a (med samma filändelse)",
            "matriser": "02-teman.yaml"}.get(path.parent.name, "del-a (med samma filändelse)")
