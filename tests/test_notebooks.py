"""Every committed notebook is clean (no outputs, no execution counts) and thin (no def)."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert any(p.name == "rapport.ipynb" for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_clean_and_thin(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        assert cell.get("outputs") == [], f"{path.name}: a cell has outputs"
        assert cell.get("execution_count") is None, f"{path.name}: a cell has an execution count"
        source = "".join(cell["source"])
        assert "def " not in source and "class " not in source, f"{path.name}: logic belongs in the package"
        assert len([l for l in source.splitlines() if l.strip()]) <= 2, f"{path.name}: one call per cell"


def test_committed_version_is_clean_too():
    """What git holds, not only the working tree (a notebook run in place is caught here)."""
    listed = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=ROOT, capture_output=True, text=True)
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    for name in listed.stdout.split():
        blob = subprocess.run(["git", "show", f"HEAD:{name}"], cwd=ROOT, capture_output=True, text=True)
        if blob.returncode:
            continue
        nb = json.loads(blob.stdout)
        assert all(not c.get("outputs") and not c.get("execution_count") for c in nb["cells"] if c["cell_type"] == "code")


def test_cli_choices_match_the_package():
    """The CLI spells some choices itself (so it starts without heavy imports); they must agree."""
    from evaluation.tools import cli, workbooks
    from evaluation.sections import surveys

    commands = {c.name: c for c in cli.main.commands.values()}
    kinds = next(p for p in commands["template"].params if p.name == "vad").type.choices
    sets = next(p for p in commands["template"].params if p.name == "fragor").type.choices
    assert sorted(kinds) == sorted(workbooks.TEMPLATES) and sorted(sets) == sorted(surveys.BUILTIN_SETS)
