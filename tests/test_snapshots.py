"""Snapshot tests of the look: every section of four demo reports, as HTML, with charts redacted.

A change to a template or a section builder shows up here as a readable diff. After a change
that is meant, update with ``pytest tests/test_snapshots.py --snapshot-update`` and review the
diff of ``tests/__snapshots__/`` before committing it.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from evaluation import open_report

DEMO = Path(__file__).resolve().parent.parent / "evaluation" / "demo" / "params"
REPORTS = ["steget/2024-05-01--2025-04-30.yaml", "samordningsteamet/2024.yaml", "ungkraft/2022-2024.yaml",
           "kartan/2025-h2.yaml"]
_PNG = re.compile(r"data:image/png;base64,[A-Za-z0-9+/=]+")


def redacted(html: str) -> str:
    return _PNG.sub("data:image/png;base64,…", html)


@pytest.fixture(scope="module", params=REPORTS, ids=lambda p: p.split("/")[0])
def report(request):
    return open_report(DEMO / request.param, today=dt.date(2025, 6, 1))


def test_every_section_looks_as_before(report, snapshot):
    shown = {s.id: redacted(s.to_html()) for s in report.sections}
    assert shown == snapshot
    assert redacted(report.title_block().to_html()) == snapshot(name="titel")
