"""The built-in demo under evaluation/demo is exactly what scripts/make_demo.py writes, and it is valid.

If a test here fails after changing the script, regenerate the demo with ``make demo-data``.
"""
from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from evaluation.core import vocab
from evaluation.inputs.params import load_params

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "make_demo.py"
DEMO = ROOT / "evaluation" / "demo"


def run_script(out: Path) -> None:
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)], check=True, capture_output=True)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def read_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("demo")
    run_script(out)
    return snapshot(out)


def test_running_twice_gives_identical_bytes(generated, tmp_path):
    run_script(tmp_path)
    run_script(tmp_path)  # over its own output
    again = snapshot(tmp_path)
    assert sorted(again) == sorted(generated)
    changed = [name for name in generated if again[name] != generated[name]]
    assert not changed, f"not reproducible: {changed}"


def test_shipped_demo_is_what_the_script_writes(generated):
    missing = [name for name in generated if not (DEMO / name).is_file()]
    assert not missing, f"missing under evaluation/demo (run `make demo-data`): {missing}"
    stale = [name for name, content in generated.items() if (DEMO / name).read_bytes() != content]
    assert not stale, f"evaluation/demo differs from the script's output (run `make demo-data`): {stale}"


def test_sizes_and_periods():
    registers = sorted(DEMO.glob("data/*/deltagare.csv"))
    assert len(registers) >= 3
    for register in registers:
        insats = register.parent.name
        assert 30 <= len(read_rows(register)) <= 300, insats
        assert len(list((DEMO / "params" / insats).glob("*.yaml"))) >= 2, insats


@pytest.mark.parametrize("path", sorted(DEMO.glob("params/*/*.yaml")), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_params_are_valid(path):
    params = load_params(path)
    assert params.insats == path.parent.name
    # a structural insats (processkartlaggning) has no participant register
    assert (params.data / "deltagare.csv").is_file() or params.rapporttyp == "processkartlaggning"


@pytest.mark.parametrize("path", sorted(DEMO.glob("data/*/deltagare.csv")), ids=lambda p: p.parent.name)
def test_register_follows_the_contract(path):
    rows = read_rows(path)
    keys = [(r["deltagar_id"], r["startdatum"]) for r in rows]
    assert len(set(keys)) == len(keys), "duplicate (deltagar_id, startdatum)"
    for n, r in enumerate(rows, start=2):
        where = f"{path.parent.name} row {n}"
        assert r["deltagar_id"][0] == "D" and r["deltagar_id"][1:].isdigit(), where
        assert r["kon"] in vocab.GENDERS, where
        assert bool(r["slutdatum"]) == bool(r["avslutsanledning"]), where
        assert not r["slutdatum"] or r["slutdatum"] >= r["startdatum"], where
        assert not r["avslutsanledning"] or r["avslutsanledning"] in vocab.EXIT_REASONS, where
        assert r["utbildningsniva"] in (*vocab.EDUCATION, ""), where
        assert r.get("tid_i_forsorjning", vocab.UNKNOWN_TIME) in vocab.TIME_IN_SUPPORT, where
        for column in ("forsorjning_fore", "forsorjning_efter"):
            assert all(s in vocab.SUPPORT_SOURCES for s in r[column].split(";") if r[column]), where
        for column in ("aktivt_arbetssokande", "gemensam_planering", "anonym"):
            assert r.get(column, "") in ("ja", "nej", ""), where


def test_followups_belong_to_ended_participants():
    for path in DEMO.glob("data/*/uppfoljning.csv"):
        ended = {r["deltagar_id"]: r["slutdatum"] for r in read_rows(path.parent / "deltagare.csv") if r["slutdatum"]}
        rows = read_rows(path)
        assert {r["datum"] == "" for r in rows} == {True, False}, "some follow-ups with a date, some without"
        for r in rows:
            assert r["status"] in vocab.FOLLOWUP_STATUSES
            assert r["deltagar_id"] in ended and r["manader_efter_avslut"] in ("6", "18")
            assert not r["datum"] or r["datum"] > ended[r["deltagar_id"]]
