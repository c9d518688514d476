"""Notices (warnings) and the errors that replace silent ignoring (issue 10 item 5, issue 8 item 1).

Every case names what it is about: the file, the row (1 = the header row) or the folder.
"""
from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from functools import partial

import conftest
from conftest import FOLLOWUPS, HEADER, ROWS, csv_text, write_xlsx

#: These tests count notices: the safe default (min_cell 3) gives none of its own.
write_params = partial(conftest.write_params, min_cell=None)
import evaluation
from evaluation.build.report import open_report
from evaluation.core.errors import InputError, Notice, StrictError, strict_error
from evaluation.inputs import notices
from evaluation.run.render import validation_notices
from evaluation.tools.cli import main

ROOT = Path(__file__).resolve().parent.parent

BIN = Path(sys.executable).parent


def _data(params: Path) -> Path:
    return params.parent.parent.parent / "data" / "testinsats"


def _with_register(tmp_path: Path, **extra) -> Path:
    params = write_params(tmp_path, **extra)
    (_data(params) / "deltagare.csv").write_text(csv_text(), encoding="utf-8")
    return params


# -- Notice itself -------------------------------------------------------------------------------

def test_notice_describes_file_and_row_in_swedish():
    assert Notice("a/deltagare.csv", 1, "kolumnen 'x' lästes inte.").describe() == \
        "Varning: a/deltagare.csv, rad 1: kolumnen 'x' lästes inte."
    assert Notice("a/matriser", None, "används inte.").describe() == "Varning: a/matriser: används inte."


def test_strict_error_lists_every_notice():
    error = strict_error("p.yaml", [Notice("a.csv", 2, "x."), Notice("b", None, "y.")])
    assert isinstance(error, StrictError)
    text = str(error)
    assert text.startswith("p.yaml: 2 varning(ar)") and "--strikt" in text
    assert "Varning: a.csv, rad 2: x." in text and "Varning: b: y." in text


def test_collector_passes_notices_up_and_drops_them_outside():
    notices.note(Notice("x", None, "ingen lyssnar"))  # no collector: nothing happens
    with notices.collecting() as outer:
        with notices.collecting() as inner:
            notices.note(Notice("y", 3, "m"))
        assert inner == [Notice("y", 3, "m")]
    assert outer == [Notice("y", 3, "m")]


# -- the register: missing, near matches, twice -----------------------------------------------------

def test_missing_register_is_an_error_listing_near_matches(tmp_path):
    params = write_params(tmp_path)
    data = _data(params)
    for name in ("Deltagare.CSV", "deltagarregister.csv", "deltagare.xls", "mal-gammal.txt"):
        (data / name).write_text(csv_text(), encoding="utf-8")
    with pytest.raises(InputError) as err:
        open_report(params)
    message = str(err.value)
    assert message.startswith(f"{data}: deltagarregistret saknas")
    assert "deltagare.csv eller deltagare.xlsx" in message
    assert "Deltagare.CSV, deltagare.xls, deltagarregister.csv" in message
    assert "mal-gammal" not in message
    assert "'Resultat'" in message and "sektioner" in message


def test_missing_register_without_near_matches_says_where_to_put_it(tmp_path):
    params = write_params(tmp_path)
    with pytest.raises(InputError, match=r"deltagarregistret saknas.*Lägg deltagarregistret i mappen som "
                                         r"deltagare\.csv eller deltagare\.xlsx"):
        open_report(params)


def test_slutrapport_needs_the_register_too(tmp_path):
    with pytest.raises(InputError, match=r"Rapporttypen slutrapport visar avsnittet 'Deltagare', som bygger på registret"):
        open_report(write_params(tmp_path, rapporttyp="slutrapport"))


def test_process_mapping_needs_no_register(tmp_path):
    report = open_report(write_params(tmp_path, rapporttyp="processkartlaggning"))
    assert report.inputs["register"] is None


def test_sections_without_register_sections_need_no_register(tmp_path):
    report = open_report(write_params(tmp_path, sektioner="[bakgrund, metod]"))
    assert report.inputs["register"] is None and report.notices == ()


@pytest.mark.parametrize("stem", ["deltagare", "uppfoljning"])
def test_csv_and_xlsx_of_one_table_is_an_error_naming_both(tmp_path, stem):
    params = _with_register(tmp_path)
    data = _data(params)
    if stem == "uppfoljning":
        (data / "uppfoljning.csv").write_text(FOLLOWUPS, encoding="utf-8")
        openpyxl.Workbook().save(data / "uppfoljning.xlsx")
    else:
        write_xlsx(data / "deltagare.xlsx")
    with pytest.raises(InputError) as err:
        open_report(params)
    message = str(err.value)
    assert f"både {stem}.csv och {stem}.xlsx" in message
    assert str(data / f"{stem}.csv") in message and str(data / f"{stem}.xlsx") in message


def test_near_matches_fold_case_and_swedish_letters():
    names = ["Uppföljning.csv", "uppfoljningar.xlsx", "uppfoljning.csv", "deltagare.csv", ".uppfoljning.csv"]
    assert notices.near_matches(names, "uppfoljning") == ["uppfoljningar.xlsx", "Uppföljning.csv"]


# -- what a table holds that is not read --------------------------------------------------------------

def test_unknown_columns_are_named_with_a_suggestion(tmp_path):
    params = write_params(tmp_path, min_cell=0)  # the count below is read unprotected (10 people: most hidden)
    header = HEADER + ["Kommun", "slutdatm"]
    rows = [row + ["Åsdal", ""] for row in ROWS]
    path = _data(params) / "deltagare.csv"
    path.write_text(csv_text(rows, header), encoding="utf-8")
    report = open_report(params)
    found = [n for n in report.notices if Path(n.path) == path]
    assert len(found) == 1 and found[0].line == 1
    assert "Kolumnerna 'Kommun', 'slutdatm' (menade du 'slutdatum'?)" in found[0].message
    assert "lästes inte" in found[0].message
    # the report is still made from the contract's columns: 10 enrolments touch 2020 (D10 ended in
    # 2019, D11 starts in 2021)
    assert int(report.table("deltagare_kon").frame["inskrivningar"].iloc[-1]) == 10


def test_an_unknown_column_whose_heading_is_personal_data_gets_no_suggestion(tmp_path):
    """A heading that is personal data is withheld and not matched either: it was
    "(värdet visas inte) (menade du 'slutdatum'?)", a hint at what the heading says. (The register
    refuses such a heading before this notice; table_notices keeps the rule on its own.)"""
    import pandas as pd

    from evaluation.inputs.files import RawTable

    frame = pd.DataFrame({"slutdatum@ex.se": [""], "slutdatm": [""]})
    raw = RawTable(tmp_path / "x.csv", frame, 2, {c: c for c in frame.columns})
    (found,) = notices.table_notices(raw, ["slutdatum", "kon"], "registret")
    assert "Kolumnerna (värdet visas inte), 'slutdatm' (menade du 'slutdatum'?) finns inte" in found.message
    assert "ex.se" not in found.message and found.message.count("menade du") == 1


def test_followup_unknown_column_is_noticed(tmp_path):
    params = _with_register(tmp_path)
    path = _data(params) / "uppfoljning.csv"
    path.write_text(FOLLOWUPS.replace("kommentar\n", "kommentar,handlaggare\n", 1), encoding="utf-8")
    report = open_report(params)
    found = [n for n in report.notices if Path(n.path) == path]
    assert [n.line for n in found] == [1] and "'handlaggare'" in found[0].message
    assert "uppföljningsfilen" in found[0].message


def test_workbook_with_several_sheets_names_the_one_read(tmp_path):
    params = write_params(tmp_path)
    path = _data(params) / "deltagare.xlsx"
    write_xlsx(path)
    book = openpyxl.load_workbook(path)
    book.active.title = "Register 2020"
    book.create_sheet("Anteckningar")["A1"] = "gammal lista"
    book.save(path)
    report = open_report(params)
    found = [n for n in report.notices if Path(n.path) == path]
    assert len(found) == 1 and found[0].line is None
    assert "2 blad" in found[0].message and "'Register 2020'" in found[0].message
    assert "'Anteckningar'" in found[0].message
    book.create_sheet("811218-9876")  # a sheet named by a personnummer: refused, as its cells would be
    book.save(path)
    with pytest.raises(InputError) as err:
        open_report(params)
    assert "bladens namn (ett namn, eller två flikar intill varandra): ett personnummer" in str(err.value)
    assert "9876" not in str(err.value)


def test_our_templates_instructions_sheet_is_not_noticed(tmp_path):
    from evaluation.tools import workbooks

    params = write_params(tmp_path)
    path = _data(params) / "deltagare.xlsx"
    workbooks.write_template("register", path)
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    columns = [c.value for c in sheet[1]]
    assert book.sheetnames[1] == "Instruktioner"
    for row in ROWS[:3]:
        record = dict(zip(HEADER, row))
        sheet.append([record.get(c, "") for c in columns])
    book.save(path)
    report = open_report(params)
    assert [n for n in report.notices if Path(n.path) == path] == []


# -- the data folder: what the report never shows ---------------------------------------------------

def _matrix(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "prio.yaml").write_text("titel: Prioriteringar\ntyp: rangordning\nposter: [A, B]\n",
                                      encoding="utf-8")


def test_a_name_an_input_is_read_from_that_is_no_file_is_said(tmp_path):
    import os

    params = write_params(tmp_path)
    data = _data(params)
    (data / "deltagare.csv").mkdir()  # a folder where the register should be: an error, not "missing"
    with pytest.raises(InputError, match=r"deltagare.csv: finns, men är en mapp\. Lägg tabellen där som en vanlig fil"):
        open_report(params).document
    (data / "deltagare.csv").rmdir()
    (data / "deltagare.csv").write_text(csv_text(), encoding="utf-8")
    (data / "intervjuer").mkdir()
    os.mkfifo(data / "intervjuer" / "personal-a.md")  # a pipe: reading it would wait for ever
    (data / "texter").mkdir()
    (data / "texter" / "bakgrund.md").mkdir()
    (data / "organisation.yaml").symlink_to(tmp_path / "finns-inte.yaml")
    by_path = {Path(n.path): n.message for n in open_report(params).notices}
    assert "ingen vanlig fil" in by_path[data / "intervjuer" / "personal-a.md"]
    assert by_path[data / "texter" / "bakgrund.md"].startswith("finns, men är en mapp, och läses inte")
    assert "en länk till något som inte finns" in by_path[data / "organisation.yaml"]


def test_a_file_named_with_a_personnummer_an_e_mail_address_or_a_phone_number_is_refused_never_named(tmp_path):
    """Once a warning that said the name never shows: a survey's name is a table's file name."""
    params = _with_register(tmp_path)
    data = _data(params)
    (data / "intervjuer").mkdir()
    note = "---\ndatum: 2024-02-06\nroll: personal\nform: digital\nlangd_min: 55\n---\n## Tema\nText.\n"
    (data / "intervjuer" / "anna-811218-9876.md").write_text(note, encoding="utf-8")
    (data / "anna@kommun.se.txt").write_text("x", encoding="utf-8")
    (data / "intervjuer" / "dnr-0123-2024-45.md").write_text(note, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        open_report(params)
    said = str(caught.value)
    assert "811218" not in said and "anna@" not in said and "0123" not in said
    assert f"{data}: ett filnamn i mappen ser ut att innehålla en e-postadress" in said
    assert f"{data / 'intervjuer'}: ett filnamn i mappen ser ut att innehålla ett personnummer" in said
    assert f"{data / 'intervjuer'}: ett filnamn i mappen ser ut att innehålla ett telefonnummer" in said


def test_unused_matrices_in_an_annual_report_are_noticed(tmp_path):
    params = _with_register(tmp_path)
    data = _data(params)
    _matrix(data / "matriser")
    (data / "anteckningar.docx").write_bytes(b"x")
    (data / "karta.PNG").write_bytes(b"x")  # a picture: read when a text shows it, not "unknown"
    (data / "gammalt").mkdir()
    (data / ".gitignore").write_text("*\n", encoding="utf-8")
    (data / "exempel").mkdir()
    (data / "exempel" / "okand.txt").write_text("x", encoding="utf-8")
    report = open_report(params)
    by_path = {Path(n.path): n for n in report.notices}
    assert set(by_path) == {data / "matriser", data / "anteckningar.docx", data / "gammalt"}
    assert "'matriser'" in by_path[data / "matriser"].message and "arsrapport" in by_path[data / "matriser"].message
    assert "okänd fil" in by_path[data / "anteckningar.docx"].message
    assert "okänd mapp" in by_path[data / "gammalt"].message
    # the same matrices in a report that shows them: no notice
    shown = _with_register(tmp_path / "b", sektioner="[resultat, matriser]")
    _matrix(_data(shown) / "matriser")
    assert open_report(shown).notices == ()


def test_files_an_input_folder_does_not_read_are_noticed(tmp_path):
    params = _with_register(tmp_path, sektioner="[resultat, intervjuer]")
    folder = _data(params) / "intervjuer"
    folder.mkdir()
    (folder / "intervju1.docx").write_bytes(b"x")
    (folder / "~$intervju1.docx").write_bytes(b"x")  # Office lock file: never noticed
    report = open_report(params)
    assert [(Path(n.path), n.line) for n in report.notices] == [(folder / "intervju1.docx", None)]
    assert "bara filer som slutar på .md" in report.notices[0].message


def test_a_word_text_is_no_unread_file_and_counts_as_a_text(tmp_path):
    """Every Word text (texter/<namn>.docx, read like a .md) was noticed as "läses inte: mappen texter/
    läser bara filer som slutar på .md", which failed the report under --strikt; and it did not count
    as a text, so an input that gives text variables was noticed as unused."""
    listing = {"deltagare.csv": None, "texter": ("bakgrund.docx", "anteckningar.txt")}
    data = Path("/d")
    found = notices.unused_inputs(data, listing, ["bakgrund", "matriser"], "processkartlaggning")
    assert [(Path(n.path), n.message.split(":")[0]) for n in found] == [(data / "texter" / "anteckningar.txt", "läses inte")]
    assert "slutar på .md, .docx" in found[0].message


def test_unused_inputs_rule_is_pure():
    listing = {"deltagare.csv": None, "enkater": ("s.yaml", "s.csv"), "texter": ("bakgrund.md",),
               "intervjuer": (), "organisation.yaml": None, "exempel": ("x",), ".gitignore": None}
    data = Path("/d")
    # a process mapping with a text: the register and surveys give text variables, so they count as used
    found = notices.unused_inputs(data, listing, ["bakgrund", "matriser"], "processkartlaggning")
    assert [Path(n.path) for n in found] == [data / "organisation.yaml"]
    # without texts in the report's sections they are unused too (an empty folder never is)
    found = notices.unused_inputs(data, listing, ["matriser"], "processkartlaggning")
    assert [Path(n.path) for n in found] == [data / "deltagare.csv", data / "enkater", data / "organisation.yaml"]


# -- disclosure (issue 8) -----------------------------------------------------------------------------

@pytest.mark.parametrize("min_cell, warned", [(10, False), (11, True), (1000, True)])
def test_a_min_cell_that_hides_most_of_the_report_is_warned_about(tmp_path, min_cell, warned):
    report = open_report(_with_register(tmp_path, min_cell=min_cell))
    found = [n for n in report.notices if "min_cell" in n.message]
    assert len(found) == warned
    if warned:
        lines = report.params.source.read_text(encoding="utf-8").splitlines()
        assert lines[found[0].line - 1] == f"min_cell: {min_cell}"
        assert f"varje antal från 1 till {min_cell - 1} döljs" in found[0].message and "min_cell: 3" in found[0].message


def test_min_cell_zero_written_on_purpose_warns_once_per_report(tmp_path):
    # min_cell: 0 switches protection off: the report (render) and validate warn once, naming the line
    report = open_report(_with_register(tmp_path, min_cell=0))
    found = [n for n in validation_notices(report) if "min_cell" in n.message]
    assert len(found) == 1 and found == [n for n in report.notices if "min_cell" in n.message]
    lines = report.params.source.read_text(encoding="utf-8").splitlines()
    assert lines[found[0].line - 1] == "min_cell: 0"
    assert "identifiera" in found[0].message and "min_cell: 3" in found[0].message
    # the register's 'Uppgift saknas' row (1 person, D07) is shown as 1: the warning is true
    table = report.table("deltagare_kon").frame.set_index("kon")
    assert table.loc["Uppgift saknas", "unika"] == 1


def test_safe_by_default_min_cell_is_three_without_warning(tmp_path):
    report = open_report(_with_register(tmp_path, min_cell=None))
    assert report.params.min_cell == 3
    assert not [n for n in validation_notices(report) if "min_cell" in n.message]
    # the same row is hidden now
    table = report.table("deltagare_kon").frame.set_index("kon")
    assert table.loc["Uppgift saknas", "unika"] == ".."


def test_a_notebook_shows_the_reports_notices_in_swedish(tmp_path):
    """A probe: min_cell 1 and '1 citat visas inte' reached the CLI only; in JupyterLab the tables
    showed 1s with no word. ``report.show_notices()`` (a cell of every notebook) shows them."""
    from html import escape

    report = open_report(_with_register(tmp_path / "a", min_cell=1))
    (warned,) = [n for n in report.notices if "min_cell" in n.message]
    text = repr(report.show_notices())
    assert text.startswith("1 varning om underlaget för Testinsatsen 2020-01-01 – 2020-12-31 (de visas inte i rapporten):")
    # named from the project's folder, as the index names it: the notebook is shipped with the report
    said = warned.describe().replace(str(tmp_path / "a") + "/", "")
    assert said.startswith("Varning: params/testinsats/2020.yaml, rad ") and f"  - {said}" in text.splitlines()
    assert escape(said) in report.show_notices()._repr_html_()
    assert report._repr_html_() == report.show_notices()._repr_html_()  # a report alone in a cell
    safe = open_report(_with_register(tmp_path / "b", min_cell=None))
    assert repr(safe.show_notices()) == "Inga varningar om underlaget för Testinsatsen 2020-01-01 – 2020-12-31."
    kartan = evaluation.open_demo("kartan", "2025-h2")
    assert "1 citat visas inte: under perioden gjordes bara 1 intervju" in repr(kartan.show_notices())


@pytest.mark.parametrize("name, opened, shown", [
    ("rapport.ipynb", "report = evaluation.open_report(params_path)", 'report.show_notices("rapport.ipynb")'),
    ("slutrapport.ipynb", "report = evaluation.open_report(params_path)", 'report.show_notices("slutrapport.ipynb")'),
    ("processkartlaggning.ipynb", "report = evaluation.open_report(params_path)",
     'report.show_notices("processkartlaggning.ipynb")'),
    ("utforska.ipynb", 'report = evaluation.open_demo("ungkraft")', "report.show_notices()")])
def test_every_notebook_shows_the_notices_right_after_opening(name, opened, shown):
    cells = json.loads((ROOT / "notebooks" / name).read_text(encoding="utf-8"))["cells"]
    sources = ["".join(c["source"]) for c in cells]
    at = sources.index(opened)
    assert sources[at + 1] == shown


def _section_cells(name: str) -> list[str]:
    cells = json.loads((ROOT / "notebooks" / name).read_text(encoding="utf-8"))["cells"]
    return [t[len("sektion:"):] for c in cells for t in c["metadata"].get("tags", []) if t.startswith("sektion:")]


def test_a_slutrapport_in_the_annual_reports_notebook_says_which_notebook_to_open():
    """A probe: a slutrapport's parameters in rapport.ipynb showed 3 of its 13 sections without a word."""
    from evaluation.tools import workspace
    from evaluation.build import report as built

    report = open_report(evaluation.demo_params("ungkraft", "2022-2024"))
    assert report.params.rapporttyp == "slutrapport" and len(report.section_ids) == 13
    has_cell = [s for s in report.section_ids if s in _section_cells("rapport.ipynb")]
    assert has_cell == ["mal", "metod", "intervjuer"]  # the 3 the probe saw
    first = report.show_notices("rapport.ipynb").notices[0]
    assert first.message.startswith("parameterfilen gäller en slutrapport, men rapport.ipynb är gjord för årsrapport, "
                                    "delrapport och helårsrapport, så 10 av rapportens 13 avsnitt visas inte här: "
                                    "Uppgifter om insatsen, Resurser, Syfte,")
    assert "Öppna arbete/slutrapport.ipynb" in first.message and built.WORK_FOLDER == workspace.WORK
    assert first in report.show_notices("rapport.ipynb").notices and first not in report.show_notices().notices
    # the right notebook: no such warning; the annual report in its own notebook: none at all
    assert not [n for n in report.show_notices("slutrapport.ipynb").notices if "parameterfilen gäller" in n.message]
    # the right notebook, but the parameters' sektioner name one it has no cell for
    (extra,) = [n for n in report.show_notices("slutrapport.ipynb").notices if "har ingen cell" in n.message]
    assert extra.message == ("1 av rapportens avsnitt (parameterfilens sektioner) har ingen cell i slutrapport.ipynb och "
                             'visas inte här: Intervjuer. Skriv report.section("intervjuer") i en ny cell för att se det; '
                             "rapporten som evaluation render gör har dem alla.")
    steget = open_report(evaluation.demo_params("steget"))
    assert set(steget.section_ids) <= set(_section_cells("rapport.ipynb"))
    assert steget.show_notices("rapport.ipynb").notices == steget.notices


def test_the_rendered_notebook_has_every_sections_cell_and_no_notebook_warning():
    from evaluation.run import notebook

    nb = notebook.for_report("slutrapport", ["uppgifter", "intervjuer"])
    sources = [c.source for c in nb.cells]
    assert "report.show_notices()" in sources and 'report.section("intervjuer")' in sources


# -- notices travel with the document ------------------------------------------------------------------

def test_document_carries_the_notices_and_pickles(tmp_path):
    params = _with_register(tmp_path)
    (_data(params) / "anteckningar.docx").write_bytes(b"x")
    report = open_report(params)
    document = report.document
    assert document.notices == report.notices and len(document.notices) == 1
    assert pickle.loads(pickle.dumps(document)).notices == document.notices


# -- the command line ----------------------------------------------------------------------------------

def test_validate_prints_warnings_and_strict_fails(tmp_path):
    params = _with_register(tmp_path, min_cell=3)
    extra = _data(params) / "anteckningar.docx"
    extra.write_bytes(b"x")
    result = CliRunner().invoke(main, ["validate", str(params)])
    assert result.exit_code == 0, result.output
    assert f"OK   {params}:" in result.output and "1 varning." in result.output
    assert f"Varning: {extra}: okänd fil" in result.output
    result = CliRunner().invoke(main, ["validate", "--strikt", str(params)])
    assert result.exit_code == 1
    assert "Fel: " in result.output and "med --strikt räknas varningar som fel" in result.output
    assert f"Varning: {extra}: okänd fil" in result.output and "OK   " not in result.output


def test_validate_warns_once_when_min_cell_is_zero(tmp_path):
    params = _with_register(tmp_path, min_cell=0)
    result = CliRunner().invoke(main, ["validate", str(params)])
    assert result.exit_code == 0
    assert result.output.count("min_cell är 0") == 1
    assert f"Varning: {params}, rad 8: min_cell är 0" in result.output and "min_cell: 3" in result.output
    result = CliRunner().invoke(main, ["validate", str(_with_register(tmp_path / "b", min_cell=None))])
    assert result.exit_code == 0 and "min_cell" not in result.output


def test_validate_missing_register_fails_naming_file(tmp_path):
    params = write_params(tmp_path)
    (_data(params) / "Deltagare.CSV").write_text(csv_text(), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(params)])
    assert result.exit_code == 1 and "deltagarregistret saknas" in result.output
    assert "Deltagare.CSV" in result.output and "Traceback" not in result.output


def _cli(*args, cwd=None):
    return subprocess.run([str(BIN / "evaluation"), *args], capture_output=True, text=True, cwd=cwd)


def test_render_prints_and_records_notices_and_strict_publishes_nothing(tmp_path):
    params = _with_register(tmp_path, min_cell=3)
    extra = _data(params) / "anteckningar.docx"
    extra.write_bytes(b"x")
    out = tmp_path / "out"
    result = _cli("render", str(params), "--out", str(out), "--formats", "html")
    assert result.returncode == 0, result.stderr
    assert f"Varning: {extra}: okänd fil" in result.stderr
    assert "1 varning," in result.stdout and "1 varningar" not in result.stdout
    key = os.path.relpath(params.resolve(), out.resolve())  # from the output folder: no machine path
    entry = json.loads((out / "index.json").read_text(encoding="utf-8"))[key]
    shown = extra.resolve().relative_to(params.resolve().parents[2]).as_posix()  # from the project's folder
    assert entry["status"] == "ok" and [v["fil"] for v in entry["varningar"]] == [shown]
    assert entry["varningar"][0]["rad"] is None and "okänd fil" in entry["varningar"][0]["meddelande"]
    html = (out / "index.html").read_text(encoding="utf-8")
    assert f"Varning: {shown}: okänd fil" in html and str(tmp_path) not in html
    # unchanged: skipped, but its warnings are still shown
    again = _cli("render", str(params), "--out", str(out), "--formats", "html")
    assert "OFÖRÄNDRAD" in again.stdout and f"Varning: {extra}" in again.stderr
    # --strikt: an unchanged report with warnings is rendered again, fails, and the old one stays
    strict = _cli("render", "--strikt", str(params), "--out", str(out), "--formats", "html")
    assert strict.returncode == 1 and "med --strikt räknas varningar som fel" in strict.stderr
    entry = json.loads((out / "index.json").read_text(encoding="utf-8"))[key]
    assert entry["status"] == "fel" and (out / entry["lank"]).is_file()


def test_strict_render_of_a_new_report_writes_nothing(tmp_path):
    params = _with_register(tmp_path, min_cell=3)
    (_data(params) / "gammalt").mkdir()
    out = tmp_path / "out"
    result = _cli("render", "--strikt", str(params), "--out", str(out), "--formats", "html")
    assert result.returncode == 1 and f"Varning: {_data(params) / 'gammalt'}: okänd mapp" in result.stderr
    assert not (out / "testinsats" / "2020" / "rapport.html").exists()


def test_survey_workbook_with_several_sheets_is_noticed(tmp_path):
    params = write_params(tmp_path, sektioner="[enkater]")
    folder = _data(params) / "enkater"
    folder.mkdir()
    (folder / "s.yaml").write_text("titel: T\nantal_tillfragade: 5\nfragor: {q1: {text: A}}\n", encoding="utf-8")
    book = openpyxl.Workbook()
    book.active.title = "Svar"
    book.active.append(["respondent_id", "datum", "q1"])
    book.active.append(["R1", "2024-03-01", "Helt och hållet"])
    book.create_sheet("Sammanställning")
    book.save(folder / "s.xlsx")
    report = open_report(params)
    assert [(Path(n.path), n.line) for n in report.notices] == [(folder / "s.xlsx", None)]
    assert "'Svar'" in report.notices[0].message and "'Sammanställning'" in report.notices[0].message


def test_validate_names_each_section_left_out_and_what_it_needs(tmp_path):
    """A section without input is left out of the report, never without a word: ``validate``
    names it, with the file (or column) that would make it."""
    params = _with_register(tmp_path)
    result = CliRunner().invoke(main, ["validate", str(params)])
    assert result.exit_code == 0, result.output
    (line,) = [row for row in result.output.splitlines() if "Inte med" in row]
    assert "Utmaningar (texter/utmaningar.md)" in line
    assert "Samhällsnytta och återbetalning (kostnader.yaml)" in line
    assert "Resultat" not in line  # the register is there
    texter = _data(params) / "texter"
    texter.mkdir(exist_ok=True)
    (texter / "utmaningar.md").write_text("Rekryteringen tog längre tid än planerat.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(params)])
    assert result.exit_code == 0 and "Utmaningar" not in result.output
    report = open_report(params)
    assert "utmaningar" not in report.absent and "samhallsnytta" in report.absent
    assert report.section("samhallsnytta") is None


# -- a period the register does not reach ----------------------------------------------------------

def test_period_no_enrolment_overlaps_is_noticed_naming_register_params_and_dates(tmp_path):
    # the register runs 2018-01-01 .. 2021-02-01; a period of 2015 overlaps none of it
    params = _with_register(tmp_path, period="{start: 2015-01-01, slut: 2015-12-31}")
    report = open_report(params)
    found = [n for n in report.notices if "överlappar perioden" in n.message]
    assert len(found) == 1
    notice = found[0]
    assert Path(notice.path) == _data(params) / "deltagare.csv"
    assert notice.message == (
        "ingen inskrivning i registret överlappar perioden 2015-01-01 – 2015-12-31; registrets datum går "
        "från 2018-01-01 till 2021-02-01, så rapporten visar 0 deltagare. "
        f"Stämmer period i {params.resolve()}? Rätta start och slut under period, eller använd ett register "
        "för den perioden.")


def test_period_the_register_overlaps_gives_no_such_notice(tmp_path):
    report = open_report(_with_register(tmp_path))
    assert not [n for n in report.notices if "överlappar perioden" in n.message]


def test_texts_that_fail_for_an_empty_period_blame_the_period_first(tmp_path):
    """A probe: a period with nobody in the register gave 'Texterna har 4 fel', advising to rewrite
    the texts, when the period was wrong; and show_notices() must still show the period's warning."""
    from evaluation.core.errors import TemplateError

    params = _with_register(tmp_path, period="{start: 2015-01-01, slut: 2015-12-31}")
    texter = _data(params) / "texter"
    texter.mkdir(exist_ok=True)
    (texter / "sammanfattning.md").write_text("Av deltagarna gick {{ andel.arbete_studier }} till arbete.\n",
                                               encoding="utf-8")
    report = open_report(params)
    shown = repr(report.show_notices())
    # and that the file is named 2020.yaml: two warnings
    assert shown.startswith("2 varningar om underlaget för Testinsatsen 2015-01-01 – 2015-12-31")
    assert "ingen inskrivning i registret överlappar perioden 2015-01-01 – 2015-12-31" in shown
    with pytest.raises(TemplateError) as info:
        report.section("sammanfattning")
    first, rest = str(info.value).split("\n", 1)
    assert first == (
        f"{params.resolve()}: ingen inskrivning i registret överlappar perioden 2015-01-01 – 2015-12-31 (registrets "
        "datum går från 2018-01-01 till 2021-02-01), så texternas variabler har inget värde för den. Felen nedan "
        "beror på perioden, inte på texterna: kontrollera perioden (start och slut i parameterfilen, eller datumen "
        "till for_period) innan du ändrar något i texterna.")
    assert "sammanfattning.md, rad 1: variabeln 'andel.arbete_studier' har inget värde" in rest
    # the same period as a report in its own period: the texts are to blame, and said so as before
    fine = open_report(_with_register(tmp_path / "b"))
    (_data(fine.params.source) / "texter").mkdir(exist_ok=True)
    (_data(fine.params.source) / "texter" / "sammanfattning.md").write_text("{{ okand.variabel }}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        open_report(fine.params.source).section("sammanfattning")
    assert "ingen inskrivning" not in str(info.value)
