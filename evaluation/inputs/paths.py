"""Where an input is looked for: paths the system can look up, links followed, and what stands
where a file should be (a folder, a broken or looping link, a pipe), said in Swedish.

Light on purpose (no table libraries): the command line checks its path options with it before
anything heavy is loaded.
"""
from __future__ import annotations

import errno
import os
from pathlib import Path

from evaluation.core.errors import os_reason

__all__ = ["PASSED_OVER", "files_ending", "first_no_file", "named_but_no_file", "no_file_message", "not_a_file",
           "real_path", "unreachable"]

#: How the names begin that are never inputs: hidden files, and Office's lock files (``~$rapport.docx``).
PASSED_OVER = (".", "~$")


def files_ending(folder: Path | str, suffixes: tuple[str, ...]) -> list[Path]:
    """The files of ``folder`` whose names end in one of ``suffixes``, in any case (``.MD``,
    ``.YML``), sorted; names :data:`PASSED_OVER` are passed over. ``[]`` when there is no folder.

    >>> import tempfile; folder = Path(tempfile.mkdtemp())
    >>> for name in ("a.md", "B.MD", "~$c.md", ".d.md", "e.txt"): _ = (folder / name).write_text("x")
    >>> [p.name for p in files_ending(folder, (".md",))]
    ['B.MD', 'a.md']
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.suffix.lower() in suffixes and not p.name.startswith(PASSED_OVER) and p.is_file())


def real_path(path: Path | str) -> Path:
    """``path`` absolute, with every link followed (like :meth:`Path.resolve`), but a link that
    leads back to itself is no error here (Python 3.11's ``resolve`` raises ``RuntimeError``):
    the looping name comes back, and the check that follows finds no file or folder there.

    >>> import tempfile; folder = Path(tempfile.mkdtemp())
    >>> (folder / "loop").symlink_to("loop")
    >>> real_path(folder / "loop") == folder.resolve() / "loop"
    True
    """
    return Path(os.path.realpath(path))


def unreachable(path: Path | str) -> str | None:
    """Why the system cannot look ``path`` up at all (a name longer than it holds), in Swedish;
    ``None`` when it can, whether or not something is there. ``Path.is_file`` and its kin raise
    for such a name, where for a missing one they answer ``False``.

    >>> unreachable("x" * 300), unreachable("finns-inte.yaml")
    ('namnet är för långt', None)
    """
    try:
        os.lstat(path)
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            return os_reason(exc)
    return None


def named_but_no_file(path: Path) -> bool:
    """Whether a name is there but no file can be read from it (a folder, a broken or looping
    link, a pipe): what :func:`not_a_file` then says it is.

    >>> import tempfile; folder = Path(tempfile.mkdtemp())
    >>> (folder / "loop.md").symlink_to("loop.md"); _ = (folder / "text.md").write_text("hej")
    >>> [named_but_no_file(folder / name) for name in ("loop.md", "text.md", "missing.md")]
    [True, False, False]
    """
    return os.path.lexists(path) and not Path(path).is_file()


def first_no_file(paths) -> Path | None:
    """The first of ``paths`` that is :func:`named_but_no_file`, else ``None``."""
    return next((Path(p) for p in paths if named_but_no_file(p)), None)


def no_file_message(path: Path, what: str) -> str:
    """The message for ``path`` when it is :func:`named_but_no_file`, ``what`` being what belongs there.

    >>> no_file_message(Path("/nowhere/mal.yaml"), "målen")  # doctest: +ELLIPSIS
    '/nowhere/mal.yaml: finns, men är ingen vanlig fil (...). Lägg målen där som en vanlig fil och kör igen.'
    """
    return f"{path}: finns, men är {not_a_file(path)}. Lägg {what} där som en vanlig fil och kör igen."


def not_a_file(path: Path) -> str:
    """What ``path`` is when it is there but no file to read: a folder, a broken link, a pipe."""
    if path.is_dir():
        return "en mapp"
    if path.is_symlink() and not path.exists():
        return "en länk till något som inte finns"
    return "ingen vanlig fil (en specialfil, som en namngiven pipe)"


def project_of(params_path: Path | str) -> Path | None:
    """The project's folder, the one holding ``params/`` (``None`` for a file not in ``params/<insats>/``).

    >>> project_of("/p/params/x/2024.yaml"), project_of("/p/2024.yaml")
    (PosixPath('/p'), None)
    """
    parents = Path(params_path).parents
    return parents[2] if len(parents) > 2 and parents[1].name == "params" else None
