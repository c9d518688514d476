"""What a report depends on, as one hash: skip a report whose inputs have not changed.

The fingerprint covers the parameters file and the other parameters files beside it (the
insats's other reports: what they hide, and their periods, decide what this one hides), every
file in the insats's data folder and in
the omvärld library (path, size and modification time, like make), the Word template, the
package's code, notebooks and templates, and the formats asked for. Touching a register
re-renders exactly the reports of that insats. Reading it imports nothing heavy.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from evaluation.inputs.paths import PASSED_OVER, real_path

FILE = "fingeravtryck.json"
PACKAGE = Path(__file__).resolve().parents[1]


def _stat_lines(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    lines = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.startswith(PASSED_OVER):
            st = path.stat()
            lines.append(f"{path.relative_to(folder).as_posix()}|{st.st_size}|{st.st_mtime_ns}")
    return lines


@lru_cache(maxsize=1)
def _code() -> str:
    """The package's own files (code, templates) and the shipped notebooks, by content."""
    from evaluation.run.resources import notebook_path
    from evaluation.core.vocab import NOTEBOOKS

    digest = hashlib.sha256()
    notebooks = [notebook_path(name) for name in sorted(set(NOTEBOOKS.values()))]  # the report notebooks only
    templates = [p for p in (PACKAGE / "templates").glob("*") if p.is_file()]  # not __pycache__/
    for path in sorted([*PACKAGE.rglob("*.py"), *templates, *notebooks]):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def _folder(folder: Path) -> str:
    return hashlib.sha256("\n".join(_stat_lines(folder)).encode()).hexdigest()


def of(params, formats, template=None) -> str:
    """The fingerprint of one report (a hex digest)."""
    from evaluation import __version__

    parts = {
        "version": __version__, "code": _code(), "formats": sorted(formats),
        "params": hashlib.sha256(Path(params.source).read_bytes()).hexdigest(),
        "beside": _beside(Path(params.source)),
        "data": _folder(Path(params.data)), "omvarld": _folder(Path(params.omvarld_dir)),
        "fragebatterier": _folder(Path(params.fragebatterier_dir)),
        "mall": _file(template or params.mall),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _beside(source: Path) -> str:
    """The parameters files of the folder (this report's and the others'), by name and content."""
    from evaluation.inputs.params import folder_digest

    return folder_digest(source.parent)


def _file(path) -> str:
    if not path:
        return ""
    st = Path(path).stat()
    return f"{real_path(path)}|{st.st_size}|{st.st_mtime_ns}"


def unchanged(folder: Path, digest: str) -> bool:
    """Whether ``folder`` holds a complete report made from the same fingerprint."""
    try:
        return json.loads((folder / FILE).read_text(encoding="utf-8")).get("fingeravtryck") == digest
    except (OSError, ValueError):
        return False


def write(folder: Path, digest: str) -> None:
    (folder / FILE).write_text(json.dumps({"fingeravtryck": digest}), encoding="utf-8")
