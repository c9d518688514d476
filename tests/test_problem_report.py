"""``evaluation validate --rapport FILE.xlsx``: every input problem in a workbook for the insats."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import HEADER as REGISTER_HEADER, ROWS, csv_text, write_params
from evaluation.core.errors import InputError, ValidationError, Violation
from evaluation.tools import problems
from evaluation.tools.cli import main

HEADER = ["deltagar_id", "kon", "startdatum", "slutdatum", "avslutsanledning"]
PNR = "19900101-1234"
BAD_ROWS = [
    ["D1", "Kvinna", "2020-02-01", "", ""],
    ["", "Man", "2020-03-01", "", ""],                      # row 3: no id
    ["D3", "=HYPERLINK(1)", "2020-03-01", "", ""],           # row 4: formula-like gender
    ["D4", "Man", "2020-05-01", "2020-04-01", "Arbete"],     # row 5: ends before it starts
    ["D5", "Kvinna", "2020-06-01", "", "Arbete"],            # row 6: reason without end
]
BAD_GOALS = "- id: a\n  niva: insatsmal\n  text: Ett mål.\n  mal: '>= 5'\n  indikator: antal_deltagre\n"


def rows_of(path: Path, sheet: str = "Problem") -> list[list]:
    return [[c.value for c in r] for r in openpyxl.load_workbook(path)[sheet].iter_rows()]


def every_text(path: Path) -> list[str]:
    book = openpyxl.load_workbook(path)
    return [str(c.value) for s in book.worksheets for r in s.iter_rows() for c in r if c.value is not None]


@pytest.fixture
def bad_project(tmp_path):
    params = write_params(tmp_path)
    data = tmp_path / "data" / "testinsats"
    (data / "deltagare.csv").write_text(csv_text(BAD_ROWS, HEADER), encoding="utf-8")
    (data / "mal.yaml").write_text(BAD_GOALS, encoding="utf-8")
    return params


@pytest.fixture
def pnr_project(bad_project, tmp_path):
    """The bad project with a personnummer (wrong check digit) as the id of row 3: refused when
    the file is read, and its row left out of the checks of the others."""
    rows = [list(r) for r in BAD_ROWS]
    rows[1][0] = PNR
    (tmp_path / "data" / "testinsats" / "deltagare.csv").write_text(csv_text(rows, HEADER), encoding="utf-8")
    return bad_project


def test_every_problem_of_every_input_in_one_run(bad_project, tmp_path):
    out = tmp_path / "problem.xlsx"
    result = CliRunner().invoke(main, ["validate", str(bad_project), "--rapport", str(out)])
    assert result.exit_code == 1
    assert "5 problem skrivna till" in result.output
    rows = rows_of(out)
    assert rows[0] == ["Rapport", "Fil", "Rad", "Kolumn", "Värde", "Problem och vad som är tillåtet"]
    found = {(r[1], r[2], r[3]): r for r in rows[1:]}
    # four cells in the register, and the goal file, found in the same run
    assert set(found) == {("deltagare.csv", 3, "deltagar_id"), ("deltagare.csv", 4, "kon"),
                          ("deltagare.csv", 5, "slutdatum"), ("deltagare.csv", 6, "avslutsanledning"),
                          ("mal.yaml", None, None)}
    assert all(r[0] == "testinsats/2020" for r in rows[1:])
    assert found[("deltagare.csv", 5, "slutdatum")][4] == "2020-04-01"
    assert found[("deltagare.csv", 6, "avslutsanledning")][4] == "Arbete"
    assert "antal_deltagre" in found[("mal.yaml", None, None)][5]
    assert "Menade du 'antal_deltagare'?" in found[("mal.yaml", None, None)][5]


def test_personnummer_never_reaches_the_workbook(pnr_project, tmp_path):
    out = tmp_path / "problem.xlsx"
    CliRunner().invoke(main, ["validate", str(pnr_project), "--rapport", str(out)])
    row = next(r for r in rows_of(out) if r[3] == "deltagar_id")
    assert row[2] == 3 and row[4] is None
    assert "personnummer" in row[5]
    assert not [t for t in every_text(out) if "19900101" in t or "1234" in t.replace("2020", "")]
    # the other rows' errors in the same run, with their values (the file is read without row 3)
    found = {(r[2], r[3]): r[4] for r in rows_of(out)[1:] if r[1] == "deltagare.csv"}
    assert found == {(3, "deltagar_id"): None, (4, "kon"): "'=HYPERLINK(1)",  # never a formula
                     (5, "slutdatum"): "2020-04-01", (6, "avslutsanledning"): "Arbete"}


def test_text_cells_are_strings_never_formulas(bad_project, tmp_path):
    out = tmp_path / "problem.xlsx"
    CliRunner().invoke(main, ["validate", str(bad_project), "--rapport", str(out)])
    sheet = openpyxl.load_workbook(out)["Problem"]
    cell = next(r[4] for r in sheet.iter_rows(min_row=2) if r[3].value == "kon")
    assert cell.value == "'=HYPERLINK(1)" and cell.data_type == "s"
    for r in sheet.iter_rows():
        for c in r:
            assert c.data_type != "f"
            assert c.column == 3 or c.value is None or isinstance(c.value, str)


@pytest.fixture
def quiet_project(project, tmp_path):
    """The hand-computed project with disclosure control on (``min_cell: 3``), so that its small
    counts give no warning."""
    return write_params(tmp_path, provtid_dagar=90, min_cell=3)


def test_no_problems_writes_a_receipt_and_exit_0(quiet_project, tmp_path):
    project = quiet_project
    out = tmp_path / "kvitto.xlsx"
    result = CliRunner().invoke(main, ["validate", str(project), "--rapport", str(out)])
    assert result.exit_code == 0, result.output
    assert "Inga problem hittades." in result.output
    assert rows_of(out)[1][5] == "Inga problem hittades."
    assert any("Antal problem: 0" == r[0] for r in rows_of(out, "Om"))


def test_warnings_are_listed_but_do_not_stop_the_report(quiet_project, tmp_path):
    project = quiet_project
    # a column outside the contract is ignored, with a warning: listed in the workbook, exit 0
    register = tmp_path / "data" / "testinsats" / "deltagare.csv"
    register.write_text(csv_text([row + ["fri text"] for row in ROWS], REGISTER_HEADER + ["anteckning"]),
                        encoding="utf-8")
    out = tmp_path / "varningar.xlsx"
    result = CliRunner().invoke(main, ["validate", str(project), "--rapport", str(out)])
    assert result.exit_code == 0, result.output
    assert ": 0 problem, 1 varning." in result.output
    assert "1 varning skrivna till" in result.output
    (row,) = rows_of(out)[1:]
    assert row[1] == "deltagare.csv" and row[5].startswith("Varning: ") and "anteckning" in row[5]
    about = [r[0] for r in rows_of(out, "Om")]
    assert "Antal problem: 0" in about and "Antal varningar: 1" in about


def test_a_word_texts_refusal_has_no_row_in_the_workbook(quiet_project, tmp_path):
    """A probe: 'tabell 1, rad 2' in a Word text's message filled Rad with 2, a line Word does not have."""
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(1, 1).text = "Kund 811218-9876"
    texter = tmp_path / "data" / "testinsats" / "texter"
    texter.mkdir(exist_ok=True)
    document.save(texter / "bakgrund.docx")
    out = tmp_path / "problem.xlsx"
    CliRunner().invoke(main, ["validate", str(quiet_project), "--rapport", str(out)])
    (row,) = [r for r in rows_of(out)[1:] if r[1] == "texter/bakgrund.docx"]
    assert row[2] is None and "tabell 1, rad 2, kolumn 2: något som ser ut som ett personnummer" in row[5]


def test_an_empty_register_and_a_bad_parameters_file(tmp_path):
    good = write_params(tmp_path)
    (tmp_path / "data" / "testinsats" / "deltagare.csv").write_text(",".join(HEADER) + "\n", encoding="utf-8")
    bad = write_params(tmp_path, insats="annan", rapporttyp="veckorapport")
    out = tmp_path / "p.xlsx"
    result = CliRunner().invoke(main, ["validate", str(good), str(bad), "--rapport", str(out)])
    assert result.exit_code == 1
    assert "FEL  " in result.output
    rows = rows_of(out)[1:]
    assert [(r[0], r[1], r[2]) for r in rows] == [("testinsats/2020", "deltagare.csv", None),
                                                  ("annan/2020", "params/annan/2020.yaml", None)]
    assert rows[0][5].startswith("deltagarregistret har ännu inga deltagare")
    assert "veckorapport" in rows[1][5]


def test_follow_ups_are_not_blamed_when_the_register_fails(bad_project, tmp_path):
    (tmp_path / "data" / "testinsats" / "uppfoljning.csv").write_text(
        "deltagar_id,manader_efter_avslut,status\nD1,6,Arbete\n", encoding="utf-8")
    (tmp_path / "data" / "testinsats" / "matningar.csv").write_text(  # read against the register too
        "deltagar_id,instrument,datum,poang\nD1,x,2020-01-01,3\n", encoding="utf-8")
    found = problems.collect(bad_project)
    assert not [p for p in found if p.fil in ("uppfoljning.csv", "matningar.csv")]
    (waits,) = [p for p in found if "läses mot deltagarregistret" in p.problem]
    assert waits.varning and waits.problem == ("Varning: uppfoljning.csv och matningar.csv läses mot "
                                               "deltagarregistret och kontrolleras mot det när registret går att använda.")


def test_rapport_must_be_xlsx(bad_project, tmp_path):
    result = CliRunner().invoke(main, ["validate", str(bad_project), "--rapport", str(tmp_path / "p.csv")])
    assert result.exit_code == 2
    assert "måste sluta på .xlsx" in result.output


def test_from_error_masks_personnummer_in_messages(tmp_path):
    register = tmp_path / "deltagare.csv"
    register.write_text("deltagar_id,kon,startdatum\nD1,198001011234,2020-01-01\n", encoding="utf-8")
    error = ValidationError(register, [Violation(2, "kon", "'198001011234' is not allowed; use one of: Kvinna, Man")])
    [p] = problems.from_error(error, "x/2020", (tmp_path,))
    assert (p.fil, p.rad, p.kolumn, p.varde) == ("deltagare.csv", 2, "kon", "")
    assert p.problem == "'[dolt]' is not allowed; use one of: Kvinna, Man"
    [q] = problems.from_error(InputError(f"{register}, line 7: something"), "x/2020", (tmp_path,))
    assert (q.fil, q.rad, q.problem) == ("deltagare.csv", 7, "something")
    [r] = problems.from_error(InputError("no file named here"), "x/2020", (tmp_path,))
    assert (r.fil, r.problem) == ("", "no file named here")
    # a line said inside the message (YAML, a CSV row's columns) fills the column Rad too (a hostile probe)
    [y] = problems.from_error(InputError(f"{register}: ogiltig YAML på rad 25, tecken 1: kontrollera indraget."),
                              "x/2020", (tmp_path,))
    assert (y.fil, y.rad) == ("deltagare.csv", 25)
    [c] = problems.from_error(InputError(f"{register}: rad 2 har 10 kolumner, men rubrikraden har 9."), "x/2020",
                              (tmp_path,))
    assert c.rad == 2 and c.problem.startswith("rad 2 har 10 kolumner")
    [k] = problems.from_error(InputError(f"{register}, rad 4, nyckeln 'datum': värdet ser ut som ett datum"),
                              "x/2020", (tmp_path,))
    assert (k.rad, k.kolumn, k.problem) == (4, "datum", "värdet ser ut som ett datum")


@pytest.mark.parametrize("text, expected", [
    ("=1+1", "'=1+1"), ("+46", "'+46"), ("-5", "'-5"), ("@SUM", "'@SUM"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("Arbete", "Arbete"), ("", ""), (None, ""),
])
def test_safe_text(text, expected):
    assert problems.safe_text(text) == expected


def test_the_measurements_instruments_wait_for_the_register_with_the_measurements(bad_project, tmp_path):
    data = tmp_path / "data" / "testinsats"
    (data / "matningar.csv").write_text("deltagar_id,instrument,datum,poang\nD1,x,2020-01-01,3\n", encoding="utf-8")
    (data / "instrument.yaml").write_text("x: [\n", encoding="utf-8")  # broken, and not said before
    (waits,) = [p for p in problems.collect(bad_project) if "läses mot deltagarregistret" in p.problem]
    assert waits.problem.startswith("Varning: matningar.csv och instrument.yaml läses mot deltagarregistret")
