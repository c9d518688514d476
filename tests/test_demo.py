"""The built-in demo renders completely, from any directory (the `make demo` promise)."""
from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.slow  # renders every demo report


def test_demo_renders_every_report(demo_run):
    result, out = demo_run  # `evaluation demo --out <tmp>/out` run from <tmp> (conftest.py)
    assert result.returncode == 0, result.stderr[-3000:]
    demo = out / "demo"  # the demo keeps apart from the user's own reports
    entries = json.loads((demo / "index.json").read_text(encoding="utf-8")).values()
    assert all(e["status"] == "ok" for e in entries)
    assert len(entries) >= 6 and len({e["insats"] for e in entries}) >= 3
    for e in entries:
        html = (demo / e["lank"]).read_text(encoding="utf-8")
        assert "<h1>" in html and "Innehåll" in html and "Traceback" not in html
    assert str((demo / "index.html").resolve()) in result.stdout
