"""Batch rendering against the naive loop, side by side in one run (``make bench``).

Generates 48 reports (16 insatser × 3 periods, built from the demo's synthetic inputs) and
prints, each against the naive loop (``papermill`` CLI, then ``jupyter nbconvert --no-input``)
timed on a sample of the same reports (every eighth: each demo insats, each kind of period),
half of it before the first cold HTML run and half between the two, so that the naive loop and
the batch are timed in the same stretch of the machine's speed (it varied by a third between
runs minutes apart on a shared 2-core machine):

- ``evaluation render --all --formats html``, cold (twice; the faster run counts);
- the same again, when nothing changed (the no-op);
- the all-formats batch, cold (twice; the faster run counts);
- for the cold batches, the CPU seconds of the kernels, the workers and the command, and how busy
  the cores were (polled from ``/proc`` on Linux);
- one report rendered alone (HTML, then every format) against ``validate`` of the same report,
  first when its kernel starts, then again on the kernel kept warm between commands;
- then 54 more reports (102 in all): rendering only the new ones, and the no-op over all 102.

Figures are printed, not asserted: compare them between changes.
"""
from __future__ import annotations

import os
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


def make_reports(root: Path, insatser: range = range(16)) -> Path:
    """``root/params/<insats>/<period>.yaml``: 3 periods per insats, each with its own data folder.

    Each insats copies one of the demo's insatser with registers, and its periods are the demo's
    own (with the whole span added where the demo has two).
    """
    if not (root / "omvarld").exists():
        shutil.copytree(DEMO / "omvarld", root / "omvarld")
    for i in insatser:
        source = SOURCES[i % len(SOURCES)]
        insats = f"insats-{i + 1:02d}"
        shutil.copytree(DEMO / "data" / source, root / "data" / insats)
        demo = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((DEMO / "params" / source).glob("*.yaml"))]
        if len(demo) == 2:
            demo.append({**demo[0], "period": {"start": demo[0]["period"]["start"], "slut": demo[1]["period"]["slut"]}})
        for params in demo[:3]:
            params = {**params, "insats": insats, "namn": f"{params['namn']} {i + 1}", "data": f"../../data/{insats}"}
            slug = f"{params['period']['start']}--{params['period']['slut']}"
            path = root / "params" / insats / f"{slug}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(yaml.safe_dump(params, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root / "params"


def timed(command: list[str], cwd: Path | None = None, env: dict | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


#: Processes of a render, by what their command line or name holds: the kernels (a batch's are
#: forked from the forkserver, and named so), the pool's workers and their forkserver, the command.
KINDS = (("kernels", "ipykernel_launcher"), ("workers", "multiprocessing"), ("command", "bin/evaluation"))
KERNEL_NAME = "ipykernel"  # evaluation.run.forkedkernel


def _cpu_by_kind(seen: dict) -> None:
    """Add every running process of a render to ``seen`` (pid → kind, CPU seconds so far; Linux ``/proc``)."""
    tick = os.sysconf("SC_CLK_TCK")
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode(errors="replace")
            with open(f"/proc/{pid}/stat") as f:
                name, fields = f.read().rsplit(")", 1)
        except OSError:  # ended meanwhile
            continue
        name, fields = name.split("(", 1)[1], fields.split()
        kind = "kernels" if name == KERNEL_NAME else next((k for k, mark in KINDS if mark in cmdline), None)
        if kind:
            seen[pid] = (kind, (int(fields[11]) + int(fields[12])) / tick)


def timed_cpu(command: list[str]) -> tuple[float, dict[str, float]]:
    """Seconds of ``command``, and the CPU seconds of its kernels, workers and itself (polled from
    ``/proc`` every 0.1 s, so a process's last 0.1 s may be missed; empty where there is no ``/proc``)."""
    polled = os.path.isdir("/proc")
    earlier: dict = {}
    if polled:  # kernels of the run before may still be stopping: not this run's
        _cpu_by_kind(earlier)
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen: dict = {}
    while process.poll() is None:
        if polled:
            _cpu_by_kind(seen)
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)
    totals: dict[str, float] = {}
    for pid, (kind, cpu) in seen.items():
        if pid not in earlier:
            totals[kind] = totals.get(kind, 0.0) + cpu
    return seconds, totals


def naive(params: list[Path], work: Path) -> list[float]:
    """Seconds of the naive loop for each report of ``params``."""
    notebook = ROOT / "notebooks" / "rapport.ipynb"
    times = []
    for n, path in enumerate(params):
        out = work / f"naiv-{n}.ipynb"
        times.append(timed([str(BIN / "papermill"), str(notebook), str(out), "-p", "params_path", str(path),
                            "--cwd", str(notebook.parent)])
                     + timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(out)]))
    return times


def main(sample: int = 6) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        root = Path(tmp)
        params_dir = make_reports(root)
        paths = sorted(params_dir.glob("*/*.yaml"))
        n = len(paths)
        print(f"{n} reports ({len(list(params_dir.iterdir()))} insatser × 3 periods)")
        render = [str(BIN / "evaluation"), "render", "--all", "--params-dir", str(params_dir)]
        picked = paths[:: max(1, n // sample)][:sample]
        half = len(picked) // 2
        samples, cold = [], []  # naive, cold html, naive, cold html: the two timed in the same stretch
        for part, run in ((picked[:half], 1), (picked[half:], 2)):
            samples += naive(part, root)
            cold.append(timed_cpu(render + ["--out", str(root / f"ut-{run}"), "--formats", "html"]))
        per_naive = statistics.mean(samples)
        print(f"naive loop (papermill CLI + nbconvert --no-input), sample of {len(samples)}: {per_naive:.2f} s per "
              f"report ({', '.join(f'{s:.2f}' for s in samples)}) → {per_naive * n:.0f} s for {n}")

        def line(label: str, seconds: float) -> None:
            print(f"{label:<40}{seconds:8.1f} s  {seconds / n:6.2f} s/report  ratio {seconds / (per_naive * n):.3f}")

        def cpu_line(totals: dict[str, float], seconds: float) -> None:
            if totals:
                parts = ", ".join(f"{kind} {totals.get(kind, 0.0):.1f}" for kind, _ in KINDS)
                print(f"{'':<4}CPU s: {parts}; {sum(totals.values()) / n:.2f} CPU-s/report, "
                      f"cores busy {sum(totals.values()) / seconds / (os.cpu_count() or 1):.0%}")

        print(f"(cold html runs: {', '.join(f'{c:.1f} s' for c, _ in cold)}; the faster counts: other load on the "
              f"machine only ever slows a run; their mean: ratio {statistics.mean(c for c, _ in cold) / (per_naive * n):.3f})")
        seconds, totals = min(cold, key=lambda run: run[0])
        line("render --all --formats html (cold)", seconds)
        cpu_line(totals, seconds)
        line("render --all --formats html (no-op)", timed(render + ["--out", str(root / "ut-1"), "--formats", "html"]))
        every = [timed_cpu(render + ["--out", str(root / f"ut-alla-{run}")]) for run in (1, 2)]
        print(f"(cold every-format runs: {', '.join(f'{c:.1f} s' for c, _ in every)}; the faster counts)")
        seconds, totals = min(every, key=lambda run: run[0])
        line("render --all (every format, cold)", seconds)
        cpu_line(totals, seconds)

        # One report while the evaluator writes: render against validate (the report's own compute)
        # (its kernel kept warm between commands: the first render starts it, the next ones find it)
        from evaluation.run import keeper

        one = str(paths[0])
        check = min(timed([str(BIN / "evaluation"), "validate", one]) for _ in range(2))
        env = {**os.environ, "XDG_CACHE_HOME": str(root / "cache"), keeper.SWITCH: "1"}
        kept = root / "cache" / "evaluation" / "karnor"
        for formats in ("html", "html,docx,pdf,xlsx"):
            if kept.exists():
                keeper.stop_all(kept)
            render_one = [str(BIN / "evaluation"), "render", one, "--out", str(root / "ut-enkel"), "--formats",
                          formats, "--force"]
            first = timed(render_one, env=env)
            again = min(timed(render_one, env=env) for _ in range(2))
            for when, single in (("kernel starts", first), ("kept kernel", again)):
                print(f"{f'render of one report, {formats} ({when})':<58}{single:5.1f} s  validate {check:.1f} s, "
                      f"overhead {single - check:.1f} s")
        keeper.stop_all(kept)

        # The no-op target is for 100 reports: add 18 insatser (54 reports), render only those, then nothing.
        make_reports(root, range(16, 34))
        total = len(list(params_dir.glob("*/*.yaml")))
        added = timed(render + ["--out", str(root / "ut-1"), "--formats", "html"])
        print(f"{f'render --all, {total - n} new of {total}':<40}{added:8.1f} s  {added / (total - n):6.2f} s/new report")
        noop = timed(render + ["--out", str(root / "ut-1"), "--formats", "html"])
        print(f"{'render --all (no-op), ' + str(total) + ' reports':<40}{noop:8.1f} s")
        print("targets (issue 18): html batch ratio ≤ 0.05; every format ≤ 1.0 s/report; one report ≤ 2 s over "
              "validate; no-op over 100 reports ≤ 2 s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 6)
