"""The toolkit's folder in the user's cache: ``$XDG_CACHE_HOME/evaluation`` (else ``~/.cache/evaluation``).

What is kept there can always be made again (kept kernels' connection files, the font subsets
of the HTML page and the Word file); removing the folder loses nothing but time.
"""
from __future__ import annotations

import os
from pathlib import Path


def folder(name: str, private: bool = False) -> Path:
    """The cache's sub-folder ``name``, made if missing (``private``: readable by the user only).

    Raises :class:`OSError` when it cannot be made.

    >>> import os, tempfile
    >>> os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp()
    >>> folder("prov").relative_to(os.environ.pop("XDG_CACHE_HOME")).as_posix()
    'evaluation/prov'
    """
    path = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "evaluation" / name
    path.mkdir(parents=True, exist_ok=True)
    if private:
        path.chmod(0o700)
    return path
