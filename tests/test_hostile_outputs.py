"""Outputs that hostile inputs cannot turn against their readers: spreadsheet formulas stay text,
an unwritable output folder is a plain message."""
from __future__ import annotations

import csv
import os
from pathlib import Path

import openpyxl
import pytest
import yaml
from conftest import write_params

from evaluation.build.report import open_report
from evaluation.core.errors import RenderError
from evaluation.renderers import csv as csv_renderer
from evaluation.renderers import xlsx as xlsx_renderer
from evaluation.run import publish

FORMULAS = ['=HYPERLINK("http://example.org/?"&A1,"klick")', "+1+1", "-2+3", "@SUM(A1:A2)", "=cmd|' /C calc'!A0"]
HOSTILE = yaml.safe_dump({
    "titel": "Kommuner", "typ": "matris", "radrubrik": "Kommun", "kolumner": ["=1+1", "Svar"],
    "rader": [{"namn": f"K{n}", "celler": [value, "ok"]} for n, value in enumerate(FORMULAS)],
}, allow_unicode=True)


@pytest.fixture
def document(tmp_path):
    params = write_params(tmp_path, rapporttyp="processkartlaggning")
    folder = tmp_path / "data" / "testinsats" / "matriser"
    folder.mkdir(parents=True)
    (folder / "kommuner.yaml").write_text(HOSTILE, encoding="utf-8")
    return open_report(params).document


def test_formula_text_is_inert_in_csv(document, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    csv_renderer.write(document, out)
    with open(out / "tabeller" / "matris_kommuner.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][1] == "'=1+1"  # a header too
    cells = [row[1] for row in rows[1:]]
    assert cells == ["'" + value for value in FORMULAS]
    assert all(not cell.startswith(csv_renderer.FORMULA_START) for row in rows for cell in row)


def test_formula_text_is_a_string_cell_in_xlsx(document, tmp_path):
    xlsx_renderer.write(document, tmp_path)
    sheet = openpyxl.load_workbook(tmp_path / "tabeller.xlsx")["Kommuner"]  # the caption names the sheet
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert {c.value for c in cells} >= set(FORMULAS)
    assert all(c.data_type == "s" for c in cells), [(c.coordinate, c.data_type) for c in cells if c.data_type != "s"]


def test_a_text_longer_than_an_excel_cell_holds_is_cut_there(tmp_path):
    """A matrix cell of 40 000 characters was written whole: Excel calls such a workbook damaged."""
    params = write_params(tmp_path, rapporttyp="processkartlaggning")
    folder = tmp_path / "data" / "testinsats" / "matriser"
    folder.mkdir(parents=True)
    long = "Ord " * 10_000
    (folder / "kommuner.yaml").write_text(yaml.safe_dump({
        "titel": "Kommuner", "typ": "matris", "radrubrik": "Kommun", "kolumner": ["Svar"],
        "rader": [{"namn": "K1", "celler": [long]}]}, allow_unicode=True), encoding="utf-8")
    document = open_report(params).document
    xlsx_renderer.write(document, tmp_path)
    sheet = openpyxl.load_workbook(tmp_path / "tabeller.xlsx")["Kommuner"]
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("Ord")]
    # 8 191 words and a space fit in 32 766 characters, then "Or": cut after the last whole word
    assert texts == ["Ord " * 8190 + "Ord…"] and len(texts[0]) == 32_764


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into a read-only folder")
def test_a_read_only_output_folder_is_a_plain_message(tmp_path):
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(RenderError, match="kunde inte skriva rapporten"):
            with publish.staging(tmp_path / "x" / "2020"):
                pass
    finally:
        tmp_path.chmod(0o700)


def test_an_output_path_that_is_a_file_is_a_plain_message(tmp_path):
    (tmp_path / "ut").write_text("inte en mapp", encoding="utf-8")
    with pytest.raises(RenderError, match="kunde inte skriva rapporten.*--out"):
        with publish.staging(tmp_path / "ut" / "x" / "2020"):
            pass


@pytest.mark.parametrize("value", ["\tx", "\r=1", "=1", "+1", "-1", "@x"])
def test_every_formula_start_is_escaped(value):
    assert csv_renderer.inert(value) == "'" + value
    assert csv_renderer.inert(-1) == -1 and csv_renderer.inert("Arbete") == "Arbete"
