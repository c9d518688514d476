"""``make lab``: JupyterLab on working copies, so the project's notebooks are never dirtied.

The notebooks in ``notebooks/`` are generated and committed without outputs. ``make lab``
copies each into the git-ignored folder ``arbete/`` (a copy that exists is kept: it is your
work) and opens Lab at the project's root on ``arbete/rapport.ipynb``; autosave writes there.
Should an original in ``notebooks/`` be opened and saved anyway, :func:`keep_originals`
(Lab's pre-save hook) writes it back exactly as it is on disk, and refuses a save that would
change its code, with a Swedish message that says where to work instead.

>>> WORK, ORIGINALS
('arbete', 'notebooks')
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

WORK = "arbete"
ORIGINALS = "notebooks"


def prepare(root: Path) -> list[Path]:
    """Copy every ``notebooks/*.ipynb`` missing from ``arbete/``; the copies made."""
    work = Path(root) / WORK
    work.mkdir(exist_ok=True)
    made = []
    for original in sorted((Path(root) / ORIGINALS).glob("*.ipynb")):
        copy = work / original.name
        if not copy.exists():
            shutil.copyfile(original, copy)
            made.append(copy)
    return made


def _code(nb: dict) -> list[tuple[str, str]]:
    return [(c.get("cell_type", ""), "".join(c.get("source", ""))) for c in nb.get("cells", [])]


def refused(path: str, name: str) -> str:
    """What Lab shows when a save would change an original (:func:`keep_originals`).

    >>> refused("notebooks/rapport.ipynb", "rapport.ipynb")  # doctest: +ELLIPSIS
    'notebooks/rapport.ipynb är projektets original och ändras inte från JupyterLab; din ändring är inte sparad. Arbeta i arbete/rapport.ipynb ...'
    """
    return (f"{path} är projektets original och ändras inte från JupyterLab; din ändring är inte sparad. "
            f"Arbeta i {WORK}/{name} (make lab kopierar dit), eller spara den här versionen som en kopia i "
            f"{WORK}/ med File → Save Notebook As… (Arkiv → Spara som i svensk JupyterLab).")


def keep_originals(model: dict, path: str, contents_manager, **kwargs) -> None:
    """Jupyter's pre-save hook: a notebook in ``notebooks/`` is saved as it is on disk.

    Outputs, execution counts and Lab's metadata never reach an original; a changed cell is
    refused (Lab shows the message) so nothing is lost silently: save a copy in ``arbete/``.
    """
    parts = Path(path.lstrip("/")).parts
    if not parts or parts[0] != ORIGINALS:
        return
    import nbformat
    from tornado.web import HTTPError

    on_disk = Path(contents_manager.root_dir).joinpath(*parts)
    if model.get("type") != "notebook" or len(parts) != 2 or not on_disk.is_file():
        # an original opened as text ("Open With → Editor"), or a new file among them: refused as well
        raise HTTPError(403, refused(path, parts[-1]))
    original = nbformat.read(on_disk, as_version=4)
    if _code(model["content"]) != _code(original):
        # the text as log_message: the server sends it as the reply's "message", which Lab's dialog
        # shows ("reason" is only the status line's phrase, Lab shows "Forbidden" for it)
        raise HTTPError(403, refused(path, parts[1]))
    model["content"] = original


def _refuse_in_originals(path: str) -> None:
    parts = Path(str(path).lstrip("/")).parts
    if parts and parts[0] == ORIGINALS:
        from tornado.web import HTTPError

        raise HTTPError(403, refused(str(path).lstrip("/"), parts[-1]))


def originals_kept(base: type | None = None):
    """Jupyter's contents manager for ``make lab`` (a subclass of ``base``, by default Lab's own
    ``AsyncLargeFileManager``): a save to an original in ``notebooks/`` keeps it as it is
    (:func:`keep_originals`, registered as a pre-save hook), and nothing there is renamed, moved or
    deleted from Lab either (a probe did all three; only a notebook's save was refused).

    The hook is registered by the manager, not set as ``pre_save_hook`` in the configuration:
    jupyter_server validates that setting twice and warned on every start that the hook overrode
    itself."""
    if base is None:
        from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager as base

    class OriginalsKept(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.register_pre_save_hook(keep_originals)

        async def delete_file(self, path):
            _refuse_in_originals(path)
            return await super().delete_file(path)

        async def rename_file(self, old_path, new_path):
            _refuse_in_originals(old_path)
            _refuse_in_originals(new_path)
            return await super().rename_file(old_path, new_path)

    return OriginalsKept


def main() -> None:
    """Prepare the working copies and run JupyterLab on them (``make lab``, from the project root)."""
    root = Path.cwd()
    for copy in prepare(root):
        print(f"Arbetskopia: {copy.relative_to(root)}")
    print(f"JupyterLab öppnar {WORK}/ (ignoreras av git); originalen i {ORIGINALS}/ ändras aldrig.")
    config = Path(__file__).resolve().parents[1] / "templates" / "jupyter_lab_config.py"
    command = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={root}", f"--config={config}",
               f"--LabApp.default_url=/lab/tree/{WORK}/rapport.ipynb", *sys.argv[1:]]
    sys.exit(subprocess.call(command))


if __name__ == "__main__":
    main()
