"""Batch rendering against the naive loop, side by side in one run (``make bench``).

Generates 48 synthetic reports (16 insatser × 3 periods, built from the demo's inputs) and
prints, each against the naive loop (``papermill`` CLI, then ``jupyter nbconvert --no-input``)
timed on a sample of the same reports:

- ``evaluation render --all --formats html``, cold;
- the same again, when nothing changed (the no-op);
- the all-formats batch.

Figures are printed, not asserted: compare them between changes.
"""
from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "evaluation" / "demo"
BIN = Path(sys.executable).parent
SOURCES = ("steget", "samordningsteamet", "ungkraft")
YEARS = (2022, 2023, 2024)


def make_reports(root: Path, insatser: int = 16) -> Path:
    """``root/params/<insats>/<year>.yaml`` for every insats and year, with its own data folder."""
    shutil.copytree(DEMO / "omvarld", root / "omvarld")
    for i in range(insatser):
        source = SOURCES[i % len(SOURCES)]
        insats = f"insats-{i + 1:02d}"
        shutil.copytree(DEMO / "data" / source, root / "data" / insats)
        template = yaml.safe_load(next((DEMO / "params" / source).glob("*.yaml")).read_text(encoding="utf-8"))
        for year in YEARS:
            params = {**template, "insats": insats, "namn": f"{template['namn']} {i + 1}", "rapporttyp": "arsrapport",
                      "period": {"start": f"{year}-01-01", "slut": f"{year}-12-31"}, "data": f"../../data/{insats}"}
            params.pop("sektioner", None)
            path = root / "params" / insats / f"{year}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(yaml.safe_dump(params, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root / "params"


def timed(command: list[str], cwd: Path | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def naive(params: list[Path], work: Path) -> float:
    """Seconds per report of the naive loop, on ``params``."""
    notebook = ROOT / "notebooks" / "rapport.ipynb"
    times = []
    for n, path in enumerate(params):
        out = work / f"naiv-{n}.ipynb"
        times.append(timed([str(BIN / "papermill"), str(notebook), str(out), "-p", "params_path", str(path),
                            "--cwd", str(notebook.parent)])
                     + timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(out)]))
    return statistics.mean(times)


def main(sample: int = 3) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        root = Path(tmp)
        params_dir = make_reports(root)
        paths = sorted(params_dir.glob("*/*.yaml"))
        n = len(paths)
        print(f"{n} reports ({len(list(params_dir.iterdir()))} insatser × {len(YEARS)} periods)")
        per_naive = naive(paths[:: max(1, n // sample)][:sample], root)
        print(f"naive loop (papermill CLI + nbconvert --no-input), sample of {sample}: {per_naive:.2f} s per report"
              f" → {per_naive * n:.0f} s for {n}")
        render = [str(BIN / "evaluation"), "render", "--all", "--params-dir", str(params_dir)]

        def line(label: str, seconds: float) -> None:
            print(f"{label:<40}{seconds:8.1f} s  {seconds / n:6.2f} s/report  ratio {seconds / (per_naive * n):.3f}")

        line("render --all --formats html (cold)", timed(render + ["--out", str(root / "ut"), "--formats", "html"]))
        line("render --all --formats html (no-op)", timed(render + ["--out", str(root / "ut"), "--formats", "html"]))
        line("render --all (every format, cold)", timed(render + ["--out", str(root / "ut-alla")]))
        print("targets: cold batch ratio ≤ 0.1; no-op ≤ 2 s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
