"""The disclosure audit where it works hardest: many small sub-groups (``make bench``).

A sub-group (``delinsats``) gets its own tables, linked to the insats's, so every hidden cell
of every sub-group is audited against all of them. Copies the demo insats Steget with its
participants spread over 4, 12, 36 and 73 sub-groups (73: one person each, every cell of every
sub-group hidden) and prints ``evaluation validate`` time for each (minimum of two runs).
Figures are printed, not asserted: compare them between changes.
"""
from __future__ import annotations

import csv
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "evaluation" / "demo"
BIN = Path(sys.executable).parent
PARAMS = "params/steget/2024-05-01--2025-04-30.yaml"


def spread(root: Path, groups: int) -> Path:
    """The demo in ``root`` with Steget's participants in ``groups`` sub-groups, round robin."""
    shutil.copytree(DEMO, root)
    register = root / "data" / "steget" / "deltagare.csv"
    with register.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[0].append("delinsats")
    for i, row in enumerate(rows[1:]):
        row.append(f"Del {i % groups + 1}")
    with register.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return root / PARAMS


def main() -> None:
    print("Disclosure audit with many sub-groups (Steget, 73 participants; validate, minimum of 2 runs):")
    with tempfile.TemporaryDirectory(prefix="bench-skydd-") as tmp:
        for groups in (4, 12, 36, 73):
            params = spread(Path(tmp) / str(groups), groups)
            times = []
            for _ in range(2):
                started = time.perf_counter()
                subprocess.run([str(BIN / "evaluation"), "validate", str(params)], check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                times.append(time.perf_counter() - started)
            print(f"  {groups:3d} sub-groups   {min(times):6.1f} s")


if __name__ == "__main__":
    main()
