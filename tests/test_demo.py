"""The built-in demo renders completely, from any directory (the `make demo` promise)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent

pytestmark = pytest.mark.slow  # renders every demo report


def test_demo_renders_every_report(tmp_path):
    result = subprocess.run([str(BIN / "evaluation"), "demo", "--out", str(tmp_path / "out")],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    entries = json.loads((tmp_path / "out" / "index.json").read_text(encoding="utf-8")).values()
    assert all(e["status"] == "ok" for e in entries)
    assert len(entries) >= 6 and len({e["insats"] for e in entries}) >= 3
    for e in entries:
        html = (tmp_path / "out" / e["lank"]).read_text(encoding="utf-8")
        assert "<h1>" in html and "Innehåll" in html and "Traceback" not in html
    assert str((tmp_path / "out" / "index.html").resolve()) in result.stdout
