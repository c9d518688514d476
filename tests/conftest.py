"""Shared fixtures: a small register whose tables are worked out by hand in the tests.

Period 2020-01-01 – 2020-12-31. See test_tables.py for the arithmetic.
"""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import openpyxl
import pytest

# Every command of the tests starts and stops its own kernel: none is kept warm after a test
# (tests/test_keeper.py turns keeping on, in a folder of its own).
os.environ["EVALUATION_VARM_KARNA"] = "0"

HEADER = ["deltagar_id", "kon", "fodelsear", "alder", "startdatum", "slutdatum", "avslutsanledning",
          "aktivt_arbetssokande", "utbildningsniva", "tid_i_forsorjning", "forsorjning_fore",
          "forsorjning_efter", "anonym"]
ROWS = [
    ["D01", "Kvinna", "1995", "", "2019-06-01", "2020-03-01", "Arbete", "nej", "Gymnasium", "Upp till 1 år", "Försörjningsstöd", "Ingen offentlig försörjning", "nej"],
    ["D02", "Man", "1980", "", "2019-09-01", "", "", "", "Grundskola", "9 år eller mer", "Försörjningsstöd", "", "nej"],
    ["D03", "Kvinna", "2000", "", "2020-02-01", "2020-02-20", "Arbete", "nej", "Grundskola", "Upp till 2 år", "Försörjningsstöd;Sjukpenning/Rehabpenning", "Försörjningsstöd", "nej"],
    ["D04", "Man", "1990", "", "2020-03-01", "2020-10-01", "Studier", "nej", "Gymnasium", "Upp till 1 år", "Aktivitetsstöd", "Studiestöd/Studiemedel", "nej"],
    ["D05", "Man", "1970", "", "2020-04-01", "2020-11-30", "Sjukdom", "ja", "", "9 år eller mer", "Sjukpenning/Rehabpenning", "Sjukpenning/Rehabpenning;Aktivitetsstöd", "nej"],
    ["D06", "Kvinna", "1962", "", "2020-05-01", "2020-12-31", "Fortsatt rehabilitering", "ja", "Gymnasium", "9 år eller mer", "Försörjningsstöd", "", "nej"],
    ["D07", "Uppgift saknas", "1999", "", "2020-06-01", "", "", "", "Grundskola", "Saknas/okänd", "", "", "nej"],
    ["D08", "Kvinna", "", "40", "2020-07-01", "2020-09-01", "Utan mätning", "nej", "Högskola/universitet upp till 3 år", "Upp till 3 år", "", "", "nej"],
    ["D09", "Man", "2001", "", "2020-08-01", "2021-02-01", "Arbete", "nej", "Gymnasium", "Upp till 1 år", "Försörjningsstöd", "", "nej"],
    ["D10", "Kvinna", "1985", "", "2018-01-01", "2019-12-31", "Arbete", "nej", "Gymnasium", "Upp till 1 år", "", "", "nej"],
    ["D11", "Man", "1990", "", "2021-01-01", "", "", "", "Gymnasium", "Upp till 1 år", "", "", "nej"],
    ["D12", "Kvinna", "1988", "", "2020-09-01", "2020-12-01", "Aktivt arbetssökande", "ja", "Gymnasium", "Upp till 1 år", "", "", "ja"],
]
FOLLOWUPS = """deltagar_id,manader_efter_avslut,status,datum,kommentar
D01,6,Arbete,2020-09-01,Fast anställning
D10,6,Studier,,
D10,18,Arbete,,
D04,6,Ej nådd,,
D02,18,Arbete,2020-05-05,
"""


def csv_text(rows=ROWS, header=HEADER, sep=",") -> str:
    def cell(value: str) -> str:
        return f'"{value}"' if (sep in value or ";" in value or "\n" in value) else value
    return "\n".join(sep.join(cell(v) for v in row) for row in [header, *rows]) + "\n"


def write_params(folder: Path, insats: str = "testinsats", slug: str = "2020", **extra) -> Path:
    """params/<insats>/<period>.yaml with data folder ../../data/<insats> (created).

    ``min_cell`` is written as 0 (no protection, as the unit tests of the arithmetic on tiny
    registers need) unless given; ``min_cell=None`` leaves the key out (the safe default 3)."""
    data = folder / "data" / insats
    data.mkdir(parents=True, exist_ok=True)
    path = folder / "params" / insats / f"{slug}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {
        "insats": insats, "namn": "Testinsatsen", "forbund": "Samordningsförbundet Test",
        "rapporttyp": "arsrapport", "period": "{start: 2020-01-01, slut: 2020-12-31}",
        "utvarderare": "Test Utvärdering AB", "data": f"../../data/{insats}",
    }
    extra.setdefault("min_cell", 0)
    body.update({k: v for k, v in extra.items() if v is not None})
    lines = [f"{k}: {v}" for k, v in body.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path):
    """A params file and data folder holding the hand-computed register and follow-ups."""
    params = write_params(tmp_path, provtid_dagar=90)
    data = tmp_path / "data" / "testinsats"
    (data / "deltagare.csv").write_text(csv_text(), encoding="utf-8")
    (data / "uppfoljning.csv").write_text(FOLLOWUPS, encoding="utf-8")
    return params


def write_xlsx(path: Path, rows=ROWS, header=HEADER) -> None:
    """The register as a workbook whose date columns are real Excel date cells."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([h.replace("kon", "Kön").upper() if h == "kon" else h for h in header])
    for row in rows:
        cells = []
        for name, value in zip(header, row):
            if name in ("startdatum", "slutdatum") and value:
                cells.append(dt.datetime.fromisoformat(value))
            elif name in ("fodelsear", "alder") and value:
                cells.append(int(value))
            else:
                cells.append(value or None)
        sheet.append(cells)
    book.save(path)


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip()


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory):
    """`evaluation demo --out <tmp>/out` run once per session from a folder outside the repository.

    Returns the finished process and the output folder (test_demo.py, test_browser.py).
    """
    where = tmp_path_factory.mktemp("demo")
    out = where / "out"
    result = subprocess.run([str(Path(sys.executable).parent / "evaluation"), "demo", "--out", str(out)],
                            capture_output=True, text=True, cwd=where)
    return result, out
