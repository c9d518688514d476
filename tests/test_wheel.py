"""The built wheel is the whole toolkit: installed into a clean venv outside the repository, it
renders the demo from another directory (issue 7: a wheel install used to render nothing).

Slow (about two minutes: it installs every dependency into a new venv, from pip's cache when
it can, and renders every demo report).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
_SKIP_ANYWHERE = shutil.ignore_patterns(".git", ".venv", "output", "*.egg-info", "__pycache__",
                                       ".pytest_cache", ".ipynb_checkpoints")


def SKIP(folder, names):
    """What the copy leaves out: caches everywhere, and the build outputs at the root only
    (``evaluation/build`` is a layer of the package)."""
    skipped = set(_SKIP_ANYWHERE(folder, names))
    if Path(folder) == ROOT:
        skipped |= {"build", "dist"} & set(names)
    return skipped


def _run(args, **kw):
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kw)
    assert result.returncode == 0, f"{args}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built from a copy of the working tree (so no stale build/ folder leaks into it)."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    shutil.copytree(ROOT, source, ignore=SKIP)
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", base / "dist", source])
    (built,) = (base / "dist").glob("evaluation-*.whl")
    return built


def test_wheel_holds_every_package_file_and_notebook(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {p.relative_to(ROOT).as_posix() for p in (ROOT / "evaluation").rglob("*")
                if p.is_file() and "__pycache__" not in p.parts}
    assert expected - names == set(), "source files missing from the wheel: list new subpackages in pyproject.toml"
    notebooks = {p.name for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert "rapport.ipynb" in notebooks
    assert {f"evaluation/notebooks/{n}" for n in notebooks} <= names
    assert not any(n.startswith("notebooks/") for n in names)


def test_installed_wheel_renders_the_demo_from_elsewhere(wheel, tmp_path):
    started = time.perf_counter()
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv])
    python, binaries = venv / "bin" / "python", venv / "bin"
    _run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel])
    installed = time.perf_counter()
    home = tmp_path / "home"  # no kernelspec or config of the developer's own home can leak in
    home.mkdir()
    env = {"PATH": f"{binaries}{os.pathsep}/usr/bin{os.pathsep}/bin", "HOME": str(home), "LANG": "C.UTF-8"}
    _run([python, "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3"], env=env, cwd=tmp_path)
    where = _run([python, "-c", "import sys; from evaluation.run.resources import notebook_path as n; "
                  "print(n()); print(sys.path)"], env=env, cwd=tmp_path).stdout
    notebook = Path(where.splitlines()[0])
    assert notebook.parts[-3:] == ("evaluation", "notebooks", "rapport.ipynb") and notebook.is_relative_to(venv)
    assert str(ROOT) not in where

    out = tmp_path / "out"
    # HTML (the notebook run through the installed kernel) and Excel; Word and PDF are rendered from
    # the same document by the same code in the other tests, and every file they need is checked
    # to be in the wheel above.
    result = subprocess.run([binaries / "evaluation", "demo", "--out", out, "--formats", "html,xlsx"], env=env, cwd=tmp_path,
                            capture_output=True, text=True)
    rendered = time.perf_counter()
    assert result.returncode == 0, result.stderr[-3000:]
    demo = sorted((ROOT / "evaluation" / "demo" / "params").glob("*/*.yaml"))
    assert len(demo) >= 6
    for params in demo:
        html = out / "demo" / params.parent.name / params.stem / "rapport.html"
        assert html.is_file(), html
        assert "<h1" in html.read_text(encoding="utf-8")
    assert (out / "demo" / "index.html").is_file()
    print(f"\nwheel: venv + install {installed - started:.0f} s, demo render {rendered - installed:.0f} s "
          f"({len(demo)} reports)")
