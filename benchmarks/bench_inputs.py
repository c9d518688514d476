"""How the other tabular inputs scale: `evaluation validate` on a survey of many answers, and on a
project of many participants with their measurements and follow-ups (``make bench``).

Run with `make bench` (or `python benchmarks/bench_inputs.py [--repeat 2]`). The inputs are the
demo's own, repeated with new ids (no real people): Steget's participant survey (free text, a
background question, dates) with its answers repeated, and Samordningsteamet's register,
`matningar.csv` and `uppfoljning.csv` repeated with every participant id made new (the parties'
measurements once). Each `validate` runs in a fresh process, repeated; the minimum is printed.
No targets: issue 18 found a survey of 200,000 answers took 23 s and 15,000 participants with
46,000 measurements 5.2 s, both row by row in pandas; they read whole columns now.
"""
from __future__ import annotations

import argparse
import csv
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_register import ROOT, _validate_seconds  # noqa: E402 - one way to time a validate

DEMO = ROOT / "evaluation" / "demo"


def _project(root: Path, source: str, params_file: str) -> tuple[Path, Path]:
    """A copy of a demo insats under ``root``: its parameters file and its data folder."""
    data = root / "data" / source
    shutil.copytree(DEMO / "data" / source, data)
    shutil.copytree(DEMO / "omvarld", root / "omvarld")
    params = root / "params" / source / "p.yaml"
    params.parent.mkdir(parents=True)
    text = (DEMO / "params" / source / params_file).read_text(encoding="utf-8")
    params.write_text(text.replace(f"data: ../../data/{source}", f"data: {data}"), encoding="utf-8")
    return params, data


def _repeat(path: Path, times: int, id_column: str, keep_once=lambda row: False) -> int:
    """``path`` (a CSV) with its rows ``times`` over, each copy's ids made new; rows of ``keep_once`` once."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.DictWriter(f, fieldnames=list(rows[0]))
        out.writeheader()
        written = 0
        for k in range(times):
            for row in rows:
                if keep_once(row) and k:
                    continue
                if row.get(id_column):
                    row = {**row, id_column: f"{row[id_column]}-R{k:04d}"}  # "D0101-0001" reads as a phone number
                out.writerow(row)
                written += 1
    return written


def survey_project(root: Path, times: int) -> tuple[Path, int]:
    params, data = _project(root, "steget", "2024-05-01--2025-04-30.yaml")
    answers = _repeat(data / "enkater" / "deltagarenkat.csv", times, "respondent_id")
    description = data / "enkater" / "deltagarenkat.yaml"
    lines = [f"antal_tillfragade: {answers * 2}" if line.startswith("antal_tillfragade:") else line
             for line in description.read_text(encoding="utf-8").splitlines()]
    description.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return params, answers


def measurement_project(root: Path, times: int) -> tuple[Path, int, int]:
    params, data = _project(root, "samordningsteamet", "2024.yaml")
    people = _repeat(data / "deltagare.csv", times, "deltagar_id")
    measured = _repeat(data / "matningar.csv", times, "deltagar_id", keep_once=lambda row: not row["deltagar_id"])
    _repeat(data / "uppfoljning.csv", times, "deltagar_id")
    return params, people, measured


def main(repeat: int) -> None:
    print(f"Other inputs, `evaluation validate` (minimum of {repeat} runs, each in a fresh process):")
    with tempfile.TemporaryDirectory() as tmp:
        for times in (1000, 10000):  # 23 answers in the demo
            params, answers = survey_project(Path(tmp) / f"enkat-{times}", times)
            seconds, cpu, peak = (min(r[i] for r in [_validate_seconds(params) for _ in range(repeat)]) for i in range(3))
            print(f"  a survey of {answers:>9,} answers                          {seconds:6.2f} s  CPU {cpu:6.2f} s  "
                  f"peak {peak:5.0f} MiB")
        for times in (10, 100):  # 153 enrolments, 463 measurements in the demo
            params, people, measured = measurement_project(Path(tmp) / f"matning-{times}", times)
            seconds, cpu, peak = (min(r[i] for r in [_validate_seconds(params) for _ in range(repeat)]) for i in range(3))
            print(f"  {people:>7,} enrolments, {measured:>7,} measurements, follow-ups  {seconds:6.2f} s  CPU {cpu:6.2f} s  "
                  f"peak {peak:5.0f} MiB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    main(parser.parse_args().repeat)
