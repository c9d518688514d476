"""Excel templates (``evaluation template``): layout, dropdowns, and a filled template loads."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from evaluation.compute import tables
from evaluation.core import vocab
from evaluation.inputs import measurements, register
from evaluation.inputs.register import load_followups, load_register
from evaluation.sections import surveys
from evaluation.tools import workbooks
from evaluation.tools.cli import main

# Contract §2, in the contract's order.
CONTRACT_COLUMNS = [
    "deltagar_id", "kon", "fodelsear", "alder", "startdatum", "slutdatum", "avslutsanledning",
    "aktivt_arbetssokande", "aktivt_arbetssokande_start", "utbildningsniva", "tid_i_forsorjning", "forsorjning_fore",
    "forsorjning_efter", "remittent", "delinsats", "gemensam_planering", "anonym",
]
CODED = {
    "kon": vocab.GENDERS, "avslutsanledning": vocab.EXIT_REASONS, "utbildningsniva": vocab.EDUCATION,
    "tid_i_forsorjning": vocab.TIME_IN_SUPPORT, "forsorjning_fore": vocab.SUPPORT_SOURCES,
    "forsorjning_efter": vocab.SUPPORT_SOURCES, "aktivt_arbetssokande": ("ja", "nej"),
    "aktivt_arbetssokande_start": ("ja", "nej"),
    "gemensam_planering": ("ja", "nej"), "anonym": ("ja", "nej"),
}


def header(sheet) -> list[str]:
    return [c.value for c in sheet[1]]


def validation_of(sheet, column: str):
    """The data validation that covers row 2 of ``column``."""
    letter = openpyxl.utils.get_column_letter(header(sheet).index(column) + 1)
    found = [dv for dv in sheet.data_validations.dataValidation if f"{letter}2" in dv.sqref]
    assert len(found) == 1, column
    return found[0]


def fill(path: Path, rows: list[dict]) -> None:
    """Type rows into the first sheet from row 2, as a user would in Excel."""
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    names = header(sheet)
    for number, row in enumerate(rows, start=2):
        for name, value in row.items():
            sheet.cell(row=number, column=names.index(name) + 1, value=value)
    book.save(path)


@pytest.fixture
def register_file(tmp_path) -> Path:
    return workbooks.write_template("register", tmp_path / "deltagare.xlsx")


def test_register_sheet_comes_first_with_the_contract_columns(register_file):
    book = openpyxl.load_workbook(register_file)
    assert book.sheetnames == ["Deltagare", "Instruktioner"]
    assert header(book["Deltagare"]) == CONTRACT_COLUMNS
    assert sorted(CONTRACT_COLUMNS) == sorted(register.REQUIRED + register.OPTIONAL)
    assert book["Deltagare"].freeze_panes == "A2"


def test_coded_columns_have_dropdowns_of_the_code_lists(register_file):
    sheet = openpyxl.load_workbook(register_file)["Deltagare"]
    for column, labels in CODED.items():
        rule = validation_of(sheet, column)
        assert rule.type == "list"
        assert rule.formula1 == '"' + ",".join(labels) + '"'
        assert f"{openpyxl.utils.get_column_letter(header(sheet).index(column) + 1)}{workbooks.ROWS + 1}" in str(rule.sqref)
        assert rule.showInputMessage and rule.prompt and len(rule.prompt) <= 255
    # one cell holds one dropdown value: several sources are typed with ';', which Excel must accept
    for column in ("forsorjning_fore", "forsorjning_efter"):
        rule = validation_of(sheet, column)
        assert not rule.showErrorMessage
        assert "semikolon" in rule.prompt and "A-kassa;Försörjningsstöd" in rule.prompt
    assert validation_of(sheet, "kon").showErrorMessage
    assert validation_of(sheet, "kon").error.startswith("Tillåtet i kon: en av: Kvinna; Man; Uppgift saknas")


def test_every_column_has_a_swedish_input_message_and_dates_are_date_formatted(register_file):
    sheet = openpyxl.load_workbook(register_file)["Deltagare"]
    for column in CONTRACT_COLUMNS:
        rule = validation_of(sheet, column)
        assert rule.prompt and rule.promptTitle.startswith(column[:20])
    assert validation_of(sheet, "deltagar_id").promptTitle == "deltagar_id (obligatorisk)"
    assert "Aldrig personnummer" in validation_of(sheet, "deltagar_id").prompt
    for column in ("startdatum", "slutdatum"):
        index = CONTRACT_COLUMNS.index(column) + 1
        assert sheet.cell(row=2, column=index).number_format == "yyyy-mm-dd"
        assert sheet.cell(row=workbooks.ROWS + 1, column=index).number_format == "yyyy-mm-dd"
        assert validation_of(sheet, column).type == "date"
    assert validation_of(sheet, "fodelsear").type == "whole"


def test_instructions_sheet_explains_every_column_in_swedish(register_file):
    sheet = openpyxl.load_workbook(register_file)["Instruktioner"]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    table_start = next(i for i, r in enumerate(rows) if r[:4] == ["Kolumn", "Obligatorisk", "Tillåtna värden", "Förklaring"])
    described = {r[0]: r for r in rows[table_start + 1:]}
    assert list(described) == CONTRACT_COLUMNS
    assert described["kon"][1] == "ja" and described["slutdatum"][1] == "nej"
    assert described["avslutsanledning"][2] == "en av: " + "; ".join(vocab.EXIT_REASONS)
    assert described["forsorjning_fore"][2].startswith("en eller flera av (skilj med ;): A-kassa;")
    assert any("personnummer" in (r[0] or "") for r in rows[:table_start])
    texts = [str(v) for r in rows for v in r if v is not None]
    assert not [t for t in texts if t.startswith("=")]


def test_a_filled_register_template_loads_and_counts_by_hand(register_file):
    # Period 2024. D1 new, ongoing; D2 started 2023, ended 2024 to Arbete; D3 new and ended
    # in 2024 to Studier; D3 again (second enrolment) ongoing; D4 ended 2023 (outside).
    fill(register_file, [
        {"deltagar_id": "D1", "kon": "Kvinna", "fodelsear": 1990, "startdatum": dt.datetime(2024, 2, 1),
         "utbildningsniva": "Gymnasium", "forsorjning_fore": "A-kassa;Försörjningsstöd"},
        {"deltagar_id": "D2", "kon": "Man", "alder": 40, "startdatum": dt.datetime(2023, 5, 1),
         "slutdatum": dt.datetime(2024, 6, 30), "avslutsanledning": "Arbete", "aktivt_arbetssokande": "nej"},
        {"deltagar_id": "D3", "kon": "Man", "fodelsear": 2000, "startdatum": dt.datetime(2024, 1, 10),
         "slutdatum": dt.datetime(2024, 3, 31), "avslutsanledning": "Studier", "gemensam_planering": "ja"},
        {"deltagar_id": "D3", "kon": "Man", "fodelsear": 2000, "startdatum": dt.datetime(2024, 9, 1)},
        {"deltagar_id": "D4", "kon": "Kvinna", "fodelsear": 1970, "startdatum": dt.datetime(2022, 1, 1),
         "slutdatum": dt.datetime(2023, 12, 31), "avslutsanledning": "Sjukdom"},
    ])
    reg = load_register(register_file)
    assert reg["rad"].tolist() == [2, 3, 4, 5, 6]
    assert reg.loc[0, "forsorjning_fore"] == ("A-kassa", "Försörjningsstöd")
    assert reg["alder"].tolist() == [34, 40, 24, 24, 52]
    window = tables.Window(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    gender = tables.deltagare_kon(reg, window).set_index("kon")
    # Women: D1 only (D4 ended before 2024). Men: D2, D3 (two enrolments).
    assert gender.loc["Kvinna", ["unika", "inskrivningar", "nya", "avslutade", "pagaende"]].tolist() == [1, 1, 1, 0, 1]
    assert gender.loc["Man", ["unika", "inskrivningar", "nya", "avslutade", "pagaende"]].tolist() == [2, 3, 2, 2, 1]
    assert gender.loc["Totalt", ["unika", "inskrivningar"]].tolist() == [3, 4]
    result = tables.resultat(reg, window).set_index("kategori")
    # Ended in 2024: D2 (Arbete), D3 (Studier): both work or studies, base 2.
    assert result.loc["Arbete eller studier", ["antal", "bas"]].tolist() == [2, 2]
    assert result.loc["Arbete eller studier", "andel"] == 1.0


def test_a_bad_value_in_a_filled_template_is_reported_with_its_row(register_file):
    fill(register_file, [
        {"deltagar_id": "D1", "kon": "Kvinna", "startdatum": dt.datetime(2024, 2, 1)},
        {"deltagar_id": "D2", "kon": "kvinnor", "startdatum": dt.datetime(2024, 2, 1)},
    ])
    with pytest.raises(register.ValidationError) as caught:
        load_register(register_file)
    [violation] = caught.value.violations
    assert (violation.row, violation.column) == (3, "kon")


def test_followup_template_loads_with_the_register(tmp_path, register_file):
    fill(register_file, [
        {"deltagar_id": "D1", "kon": "Kvinna", "startdatum": dt.datetime(2023, 1, 1),
         "slutdatum": dt.datetime(2023, 6, 30), "avslutsanledning": "Arbete"},
    ])
    path = workbooks.write_template("uppfoljning", tmp_path / "uppfoljning.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Uppföljning", "Instruktioner"]
    assert header(book.worksheets[0]) == ["deltagar_id", "manader_efter_avslut", "status", "datum", "kommentar"]
    assert validation_of(book.worksheets[0], "status").formula1 == '"' + ",".join(vocab.FOLLOWUP_STATUSES) + '"'
    fill(path, [
        {"deltagar_id": "D1", "manader_efter_avslut": 6, "status": "Arbete"},
        {"deltagar_id": "D1", "manader_efter_avslut": 18, "status": "Ej nådd", "datum": dt.datetime(2025, 1, 15)},
    ])
    followups = load_followups(path, load_register(register_file))
    assert followups["manader"].tolist() == [6, 18]
    # 6 months after 2023-06-30 is 2023-12-30; the second has its own date.
    assert [d.date() for d in followups["datum"]] == [dt.date(2023, 12, 30), dt.date(2025, 1, 15)]


def test_survey_template_loads_as_a_survey(tmp_path):
    folder = tmp_path / "enkater"
    folder.mkdir()
    path = workbooks.write_template("enkat", folder / "avslut.xlsx", "nns-pagaende")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Svar", "Instruktioner"]
    assert header(book.worksheets[0]) == ["respondent_id", "datum"] + [f"q{i}" for i in range(1, 8)]
    assert validation_of(book.worksheets[0], "q3").formula1 == '"' + ",".join(surveys.DEFAULT_SCALE) + '"'
    fill(path, [
        {"respondent_id": "R1", "datum": dt.datetime(2024, 3, 1), "q1": "Helt och hållet", "q2": "Till viss del"},
        {"respondent_id": "R2", "datum": dt.datetime(2024, 3, 2), "q1": "Till stor del", "q2": "Till mycket stor del"},
        {"respondent_id": "R3", "q1": "Till mycket stor del"},
    ])
    (folder / "avslut.yaml").write_text("titel: Enkät\nantal_tillfragade: 4\nfragor: nns-pagaende\n", encoding="utf-8")
    survey = surveys.load_surveys(folder)["avslut"]
    summary = surveys.scale_summary(survey).set_index("fraga")
    # q1: 3 answers, 2 in the top two labels; q2: 2 answers, 1 in the top two.
    assert summary.loc["q1", ["svar", "andel_topp"]].tolist() == [3, 2 / 3]
    assert summary.loc["q2", ["svar", "andel_topp"]].tolist() == [2, 0.5]
    assert summary.loc["q3", "svar"] == 0


def test_measurement_template_loads_with_its_instruments(tmp_path, register_file):
    fill(register_file, [{"deltagar_id": "D1", "kon": "Kvinna", "startdatum": dt.datetime(2024, 1, 1)}])
    path = workbooks.write_template("matningar", tmp_path / "matningar.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Mätningar", "Instruktioner"]
    assert header(book.worksheets[0]) == ["deltagar_id", "part", "instrument", "datum", "varde"]
    assert "instrument.yaml" in " ".join(str(c.value) for c in book["Instruktioner"]["A"])
    fill(path, [
        {"deltagar_id": "D1", "instrument": "ors", "datum": dt.datetime(2024, 2, 1), "varde": 18},
        {"deltagar_id": "D1", "instrument": "ors", "datum": dt.datetime(2024, 9, 1), "varde": "26,5"},
        {"part": "Arbetsförmedlingen", "instrument": "samverkan", "datum": dt.datetime(2024, 3, 1), "varde": "Samarbete"},
    ])
    (tmp_path / "instrument.yaml").write_text(
        "ors: {namn: ORS, galler: deltagare, skala: {min: 0, max: 40}}\n"
        "samverkan: {namn: Samverkan, galler: part, steg: [Information, Konsultation, Samarbete]}\n", encoding="utf-8")
    instruments = measurements.load_instruments(tmp_path / "instrument.yaml")
    found = measurements.load_measurements(path, instruments, load_register(register_file))
    assert found.frame["varde"].tolist() == [18, 26.5, 3]  # Samarbete is step 3
    assert found.frame["part"].tolist()[2] == "Arbetsförmedlingen"


# -- the command -------------------------------------------------------------------------------------
def test_cli_template_writes_and_never_overwrites(tmp_path):
    runner = CliRunner()
    out = tmp_path / "mall.xlsx"
    result = runner.invoke(main, ["template", "register", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Mallen skrevs till" in result.output
    assert openpyxl.load_workbook(out).sheetnames[0] == "Deltagare"
    again = runner.invoke(main, ["template", "uppfoljning", "--out", str(out)])
    assert again.exit_code == 1
    assert "finns redan och skrevs inte över" in again.output
    assert openpyxl.load_workbook(out).sheetnames[0] == "Deltagare"
    forced = runner.invoke(main, ["template", "uppfoljning", "--out", str(out), "--skriv-over"])
    assert forced.exit_code == 0
    assert openpyxl.load_workbook(out).sheetnames[0] == "Uppföljning"


def test_cli_template_wrong_usage(tmp_path):
    runner = CliRunner()
    assert runner.invoke(main, ["template", "register", "--out", str(tmp_path / "x.csv")]).exit_code == 2
    assert "måste sluta på .xlsx" in runner.invoke(main, ["template", "register", "--out", str(tmp_path / "x.csv")]).output
    assert runner.invoke(main, ["template", "personal", "--out", str(tmp_path / "x.xlsx")]).exit_code == 2
    assert runner.invoke(main, ["template", "register"]).exit_code == 2
    missing_folder = runner.invoke(main, ["template", "register", "--out", str(tmp_path / "saknas" / "x.xlsx")])
    assert missing_folder.exit_code == 1
    assert "kunde inte skriva" in missing_folder.output


def test_cli_template_help_is_swedish():
    result = CliRunner().invoke(main, ["template", "--help"])
    assert "Skriv en Excelmall" in result.output and "Skriv över --out" in result.output
