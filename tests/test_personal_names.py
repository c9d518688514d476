"""File and folder names with personal data (a hostile probe, V): a name becomes an output folder,
a table's file name, its id in tabeller.xlsx and rapport.html. A name the detector refuses is an
input error (exit 1) whose message names the folder it is in and never the name; no batch line,
overview or index shows it.

811218-9876 is a made-up personnummer whose check digit fits; 811278-9873 a samordningsnummer.
"""
from __future__ import annotations

import shutil

from click.testing import CliRunner

from evaluation.tools.cli import main

from conftest import FOLLOWUPS, csv_text, write_params


def _project(tmp_path, insats="testinsats", slug="2020", **extra):
    params = write_params(tmp_path, insats, slug, **extra)
    data = tmp_path / "data" / insats
    (data / "deltagare.csv").write_text(csv_text(), encoding="utf-8")
    (data / "uppfoljning.csv").write_text(FOLLOWUPS, encoding="utf-8")
    return params


def _validate(*args):
    return CliRunner().invoke(main, ["validate", *map(str, args)])


def _hidden(text: str) -> bool:
    return "9876" not in text and "9873" not in text and "811218" not in text and "811278" not in text


def test_a_parameters_file_named_with_a_personnummer_is_refused_naming_its_folder(tmp_path):
    params = _project(tmp_path)
    named = params.with_name("811218-9876.yaml")
    params.rename(named)
    result = _validate(named)
    assert result.exit_code == 1, result.output
    said = " ".join(result.output.split())
    assert f"{params.parent}: ett filnamn i mappen ser ut att innehålla ett personnummer" in said
    assert "byt namn" in said and _hidden(result.output)


def test_a_parameters_folder_named_with_a_samordningsnummer_is_refused(tmp_path):
    params = _project(tmp_path)  # the insats key stays clean: only the folder's name holds the number
    folder = params.parent.with_name("811278_9873")
    params.parent.rename(folder)
    result = _validate(folder / params.name)
    assert result.exit_code == 1, result.output
    said = " ".join(result.output.split())
    assert f"{folder.parent}: ett mappnamn i mappen ser ut att innehålla ett personnummer" in said
    assert _hidden(result.output)


def test_survey_and_matrix_files_named_with_a_personnummer_are_refused_not_warned(tmp_path):
    params = _project(tmp_path)
    data = tmp_path / "data" / "testinsats"
    (data / "enkater").mkdir()
    (data / "enkater" / "enkat_811218_9876.csv").write_text("a\n1\n", encoding="utf-8")
    (data / "matriser").mkdir()
    (data / "matriser" / "02-811278-9873.yaml").write_text("x: 1\n", encoding="utf-8")
    result = _validate(params)
    assert result.exit_code == 1, result.output
    said = " ".join(result.output.split())
    assert f"{data / 'enkater'}: ett filnamn i mappen ser ut att innehålla ett personnummer" in said
    assert f"{data / 'matriser'}: ett filnamn i mappen" in said
    assert "syns aldrig" not in said and _hidden(result.output)


def test_a_batch_and_the_overview_never_show_a_folder_named_with_a_personnummer(tmp_path):
    good = _project(tmp_path, "alfa", provtid_dagar=90)
    bad = _project(tmp_path, "beta")
    folder = bad.parent.with_name("811218-9876")
    bad.parent.rename(folder)
    shutil.copytree(tmp_path / "data" / "beta", tmp_path / "data" / "811218-9876")
    result = CliRunner().invoke(main, ["overview", "--params-dir", str(tmp_path / "params"), "--out", str(tmp_path / "ut")])
    assert result.exit_code == 1, result.output
    page = (tmp_path / "ut" / "oversikt" / "index.html").read_text(encoding="utf-8")
    assert "Kunde inte tas med" in page and _hidden(page) and _hidden(result.output), result.output
    assert good.exists()


def test_a_batch_line_of_a_report_that_failed_masks_a_name_with_a_personnummer(tmp_path):
    params = _project(tmp_path)
    folder = params.parent.with_name("811218-9876")
    params.parent.rename(folder)
    second = folder / "811278-9873.yaml"
    shutil.copy(folder / params.name, second)
    result = CliRunner().invoke(main, ["render", "--all", "--params-dir", str(tmp_path / "params"),
                                       "--out", str(tmp_path / "ut"), "--formats", "html"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == [f"{'FEL':<11}{folder.parent}/[dolt]/{params.name}",
                                              f"{'FEL':<11}{folder.parent}/[dolt]/[dolt].yaml"], result.stdout
    assert _hidden(result.output)


def test_a_name_with_personal_data_is_said_with_the_other_inputs_errors_once_per_folder(tmp_path):
    """A survey's .csv and .yaml named alike are said once, and a broken register in the same run."""
    params = _project(tmp_path)
    data = tmp_path / "data" / "testinsats"
    (data / "enkater").mkdir()
    for suffix in (".csv", ".yaml"):
        (data / "enkater" / f"811218-9876{suffix}").write_text("a: 1\n", encoding="utf-8")
    register = data / "deltagare.csv"
    register.write_text(register.read_text(encoding="utf-8").replace("Kvinna", "Kvinn", 1), encoding="utf-8")
    result = _validate(params)
    assert result.exit_code == 1, result.output
    said = " ".join(result.output.split())
    assert said.count(f"{data / 'enkater'}: ett filnamn i mappen") == 1
    assert "deltagare.csv" in said and "'Kvinn'" in said and _hidden(result.output)
