"""A corpus of hostile or broken inputs (issue 8): each is refused with the right error, a
message naming file, row and column, and never the offending value.

Personnummer used here are made up but valid: 811218-9876 passes the Luhn check by hand
(8·2=16→7, 1, 1·2=2, 2, 1·2=2, 8, 9·2=18→9, 8, 7·2=14→5, 6; sum 50), and the samordningsnummer
811278-9873 (day 18 + 60) likewise (…, 7·2=14→5, 8, 9·2=18→9, 8, 7·2=14→5, 3; sum 50).
"""
from __future__ import annotations

import io
import os
import re
import time
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from evaluation.compute import factcheck
from evaluation.compute.goals import load_goals
from evaluation.core import markup, pii, piiscan
from evaluation.core.errors import InputError, ParamsError, TemplateError, ValidationError
from evaluation.inputs import files, textfiles, textread, xlsxread, yamlread
from evaluation.inputs.measurements import load_measurements
from evaluation.inputs.params import load_params
from evaluation.inputs.register import load_followups, load_register
from evaluation.sections import registry as sections, texts
from evaluation.sections.organisation import load_organisation
from evaluation.sections.surveys import load_survey
from evaluation.tools.cli import main

from conftest import FOLLOWUPS, HEADER, ROWS, csv_text, dedent, write_params, write_xlsx

PNR = "811218-9876"
SAMORDNING = "811278-9873"


def _register(tmp_path: Path, header=HEADER, rows=ROWS, name="deltagare.csv") -> Path:
    path = tmp_path / name
    path.write_text(csv_text(rows, header), encoding="utf-8")
    return path


def _with_column(column: str, values: dict[int, str]) -> tuple[list, list]:
    """The test register with one more column; ``values`` maps row positions to cells."""
    rows = [[*row, values.get(i, "")] for i, row in enumerate(ROWS)]
    return [*HEADER, column], rows


def _refused(load, *args) -> str:
    with pytest.raises(ValidationError) as err:
        load(*args)
    return str(err.value)


# -- personnummer, samordningsnummer, e-mail and phone in values ------------------------------------
@pytest.mark.parametrize("value", [
    PNR, "811218–9876", "811218—9876", "P811218-9876", "811218/9876", "811218+9876", "811218 9876",
    "8112189876", "198112189876", "19811218-9876", "1981-12-18-9876", "1981-12-18 9876",
    SAMORDNING, "Hälsospåret (811218-9876)",
    # a wrong check digit is still a person's birth date and number
    "Anna 811218-9873", "811278-9873",
    # written with a non-breaking, narrow or zero-width space, dots, soft hyphen
    "811218\u00a09876", "811218\u202f-\u202f9876", "8112\u200b18-98\u200b76", "81.12.18-9876",
    "811218.9876", "811218\u00ad9876", "８１１２１８-９８７６",
])
def test_pnr_in_free_text_column_refused(tmp_path, value):
    header, rows = _with_column("delinsats", {1: value})
    msg = _refused(load_register, _register(tmp_path, header, rows))
    assert "deltagare.csv" in msg and "rad 3" in msg and "kolumn 'delinsats'" in msg
    assert "personnummer" in msg
    assert value not in msg and "9876" not in msg and "9873" not in msg


@pytest.mark.parametrize("value", ["1990-01-01-1234", "900101–1234", "P900101-1234", "900101/1234"])
def test_pnr_shaped_participant_id_refused_even_with_wrong_check_digit(tmp_path, value):
    rows = [list(r) for r in ROWS]
    rows[0][0] = value
    msg = _refused(load_register, _register(tmp_path, rows=rows))
    assert "rad 2" in msg and "kolumn 'deltagar_id'" in msg and "personnummer" in msg
    assert value not in msg and "1234" not in msg


@pytest.mark.parametrize("value", [
    "D0001", "2020-05-01", "2024-01-01-2024-12-31", "2020-05-01--2021-04-30", "Upp till 1 år",
    "Arbetsförmedlingen 2024", "1234567890", "20200501",
    # dates and times with dots or slashes, not phone numbers written with them
    "08.12.2024", "08/12/2024", "kl. 08.30–09.15", "01/2024-123", "08.12 2024", "08/12 2024",
    "09.00 – 17.00", "0.1234567", "+46 8.5 %", "+46 8.12.2024",
])
def test_ordinary_values_are_not_personal_data(tmp_path, value):
    header, rows = _with_column("delinsats", {1: value})
    frame = load_register(_register(tmp_path, header, rows))
    assert frame["delinsats"].tolist()[1] == value


@pytest.mark.parametrize("value", ["ring 070.123 45 67", "070.1234567", "tel. 08.123 456 78", "0771.12 34 56",
                                   "+46 70.123 45 67", "tel +46 (0)8/123 456 78", "0046 771.12 34 56"])
def test_phone_number_with_a_dot_after_the_area_code_refused(tmp_path, value):
    """A dot after the area code and spaces in the rest ("070.123 45 67") passed; so did the same
    with the country code and the area code without its 0 ("+46 70.123 45 67")."""
    header, rows = _with_column("delinsats", {1: value})
    msg = _refused(load_register, _register(tmp_path, header, rows))
    assert "rad 3" in msg and "kolumn 'delinsats'" in msg and "telefonnummer" in msg
    assert value not in msg and value.split(".")[-1] not in msg


def test_email_and_phone_in_followup_comment_refused(tmp_path):
    register = load_register(_register(tmp_path))
    path = tmp_path / "uppfoljning.csv"
    text = FOLLOWUPS.replace("Fast anställning", "Mejla anna.svensson@example.se")
    text = text.replace("D02,18,Arbete,2020-05-05,", "D02,18,Arbete,2020-05-05,ring 08/123 45 67")
    path.write_text(text, encoding="utf-8")
    msg = _refused(load_followups, path, register)
    assert "uppfoljning.csv" in msg and "rad 2, kolumn 'kommentar'" in msg and "e-postadress" in msg
    assert "rad 6, kolumn 'kommentar'" in msg and "telefonnummer" in msg
    assert "anna" not in msg and "123 45" not in msg


def test_a_follow_up_written_twice_is_refused_with_both_rows(tmp_path):
    """The same participant and months twice was counted twice in the follow-up table."""
    register = load_register(_register(tmp_path))
    path = tmp_path / "uppfoljning.csv"
    path.write_text(FOLLOWUPS + "D10,6,Arbete,,\n", encoding="utf-8")  # row 7; D10 at 6 months is row 3
    msg = _refused(load_followups, path, register)
    assert ("rad 7, kolumn 'manader_efter_avslut': deltagaren 'D10' har redan en uppföljning 6 månader efter "
            "avslut, på rad 3") in msg
    assert "rad 4," not in msg  # 18 months is another follow-up


def test_pnr_in_survey_free_text_answer_refused(tmp_path):
    description = tmp_path / "avslut.yaml"
    description.write_text(dedent("""
        titel: Avslut
        antal_tillfragade: 5
        fragor:
          q1: {text: Fick du stöd?}
          q2: {text: Vad var bäst?, typ: fritext}
    """), encoding="utf-8")
    answers = tmp_path / "avslut.csv"
    answers.write_text("respondent_id,datum,q1,q2\nR1,2024-03-01,Till stor del,Bra\n"
                       f"R2,2024-03-02,Inte alls,Jag heter Anna {PNR}\n", encoding="utf-8")
    msg = _refused(load_survey, description, answers)
    assert "avslut.csv" in msg and "rad 3, kolumn 'q2'" in msg and PNR not in msg and "Anna" not in msg


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_personnummer_split_over_two_respondents_free_text_answers_is_refused_by_rows(tmp_path, suffix):
    """A hostile probe: the report lists the answers one under the other (file order, empty ones
    left out), and each half passed the check of its cell."""
    description = tmp_path / "avslut.yaml"
    description.write_text("titel: Avslut\nantal_tillfragade: 5\nfragor:\n  q1: {text: Vad var bäst?, typ: fritext}\n",
                           encoding="utf-8")
    rows = [["respondent_id", "datum", "q1"], ["R1", "2024-03-01", "Mer tid för kund 811218"],
            ["R2", "2024-03-02", ""], ["R3", "2024-03-03", "-9876 hade behövt det."], ["R4", "2024-03-04", "Mer tid."]]
    answers = tmp_path / f"avslut{suffix}"
    if suffix == ".csv":
        answers.write_text("\n".join(",".join(row) for row in rows) + "\n", encoding="utf-8")
    else:
        import openpyxl
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        book.save(answers)
    with pytest.raises(InputError) as err:
        load_survey(description, answers)
    assert str(err.value) == (f"{answers}: svaren på 'q1' på rad 2 och 4 visas under varandra i rapporten och blir tillsammans "
                   "något som ser ut som ett personnummer eller samordningsnummer (svaren visas inte). Ta bort "
                   "uppgiften ur svaren och kör igen.")
    rows[3][2] = "Mer stöd."
    if suffix == ".csv":
        answers.write_text("\n".join(",".join(row) for row in rows) + "\n", encoding="utf-8")
        assert load_survey(description, answers).answers["q1"].tolist()[0] == "Mer tid för kund 811218"


def test_a_survey_names_an_unknown_column_with_the_answers_errors(tmp_path):
    """A probe: a column no question describes hid an answer off the scale and a date that does not exist."""
    description = tmp_path / "avslut.yaml"
    description.write_text("titel: Avslut\nantal_tillfragade: 5\nfragor:\n  q1: {text: Hur nöjd?, typ: skala}\n",
                           encoding="utf-8")
    answers = tmp_path / "avslut.csv"
    answers.write_text("respondent_id,datum,q1,extra\nR1,2024-03-01,Super,x\nR2,2024-02-30,Inte alls,\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        load_survey(description, answers)
    assert [(v.row, v.column) for v in err.value.violations] == [(1, "extra"), (2, "q1"), (3, "datum")]


def test_a_survey_names_personal_data_in_an_answer_with_the_other_rows_errors(tmp_path):
    description = tmp_path / "avslut.yaml"
    description.write_text("titel: Avslut\nantal_tillfragade: 5\nfragor:\n  q1: {text: Hur nöjd?, typ: skala}\n"
                           "  q2: {text: Vad var bäst?, typ: fritext}\n", encoding="utf-8")
    answers = tmp_path / "avslut.csv"
    answers.write_text("respondent_id,datum,q1,q2\nR1,2024-03-01,Inte alls,Ring 811218-9876\n"
                       "R2,2024-03-02,Super,Bra\nR3,2024-03-32,Helt och hållet,\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        load_survey(description, answers)
    assert [(v.row, v.column) for v in err.value.violations] == [(2, "q2"), (3, "q1"), (4, "datum")]
    assert "9876" not in str(err.value) and "'Super' finns inte på skalan" in str(err.value)


@pytest.mark.parametrize("column, kind", [
    ("Personnummer", "personnummer"), ("pnr", "personnummer"), ("PersonNr", "personnummer"),
    ("Namn", "namn"), ("Förnamn", "namn"), ("Efternamn", "namn"), ("E-post", "e-postadress"),
    ("email", "e-postadress"), ("Telefon", "telefonnummer"), ("Mobil", "telefonnummer"),
    ("deltagare pnr", "personnummer"),
])
def test_column_named_as_personal_identifier_refused(tmp_path, column, kind):
    header, rows = _with_column(column, {})
    msg = _refused(load_register, _register(tmp_path, header, rows))
    assert "deltagare.csv" in msg and f"rad 1, kolumn '{column}'" in msg and kind in msg


def test_header_that_is_a_personnummer_is_not_echoed(tmp_path):
    header, rows = _with_column(PNR, {})
    msg = _refused(load_register, _register(tmp_path, header, rows))
    assert "rad 1, kolumn nr 14:" in msg and PNR not in msg


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_personnummer_split_over_two_column_names_side_by_side_is_refused_unquoted(tmp_path, suffix):
    """A hostile probe: headers 'Kund 811218' and '-9876' passed, and the report was written; the
    unknown-column warning was the only word of them."""
    header = [*HEADER, "Kund 811218", "-9876"]
    rows = [[*row, "", ""] for row in ROWS]
    path = tmp_path / f"deltagare{suffix}"
    if suffix == ".csv":
        path.write_text(csv_text(rows, header), encoding="utf-8")
    else:
        book = openpyxl.Workbook()
        for row in [header, *rows]:
            book.active.append(row)
        book.save(path)
    with pytest.raises(ValidationError) as err:
        load_register(path)
    left, right = ("kolumn nr 14", "kolumn nr 15") if suffix == ".csv" else ("kolumn N", "kolumn O")  # as Excel names them
    assert [(v.row, v.column) for v in err.value.violations] == [(1, left)]
    assert (f"kolumnrubriken blir tillsammans med rubriken bredvid, i {right}, något som ser ut "
            "som ett personnummer") in str(err.value)
    assert "811218" not in str(err.value) and "9876" not in str(err.value)


def test_every_refused_cell_is_listed(tmp_path):
    header, rows = _with_column("delinsats", {0: PNR, 4: "x@y.se", 7: SAMORDNING})
    msg = _refused(load_register, _register(tmp_path, header, rows))
    assert re.findall(r"rad (\d+), kolumn 'delinsats'", msg) == ["2", "6", "9"]


def test_scan_values_matches_cell_by_cell_on_repeated_values():
    values = pd.Series(["D1", PNR, "D1", "2020-01-01", PNR, "a@b.se"] * 1000, index=range(10, 6010))
    kinds = piiscan.scan_values(values)
    assert list(kinds.index) == list(values.index)
    assert (kinds == pii.PNR).sum() == 2000 and (kinds == pii.EMAIL).sum() == 1000
    assert (kinds == "").sum() == 3000 and kinds[11] == pii.PNR and kinds[10] == ""


# -- no silent wrong numbers ---------------------------------------------------------------------------
def test_utf8_row_inside_windows_1252_file_refused(tmp_path):
    header, rows = _with_column("delinsats", {0: "Hälsospåret", 2: "Hälsospåret", 5: "Hälsospåret"})
    lines = csv_text(rows, header).splitlines(keepends=True)
    data = b"".join(line.encode("utf-8" if i == 3 else "cp1252") for i, line in enumerate(lines))
    path = tmp_path / "deltagare.csv"
    path.write_bytes(data)
    msg = _refused(load_register, path)
    assert "rad 4, kolumn 'delinsats'" in msg and "teckenkodning" in msg
    assert "rad 2," not in msg and "rad 7," not in msg and "Hälsospåret" not in msg


@pytest.mark.parametrize("hint", ["sep=;", "SEP=,", "sep=\t"])
def test_an_excel_separator_line_above_the_header_is_told_to_go(tmp_path, hint):
    path = tmp_path / "deltagare.csv"
    path.write_text(f"{hint}\r\n" + csv_text(sep=";"), encoding="cp1252")
    message = str(pytest.raises(InputError, load_register, path).value)
    assert f"{path}: rad 1 är '{hint.strip()}'" in message and "Ta bort den raden" in message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_a_unicode_text_export_is_told_to_be_saved_as_utf8(tmp_path, encoding):
    path = tmp_path / "deltagare.csv"
    bom = "\ufeff" if encoding == "utf-16-be" else ""  # Python's "utf-16" writes its own
    path.write_bytes((bom + csv_text(sep=";")).encode(encoding))
    message = str(pytest.raises(InputError, load_register, path).value)
    assert message.startswith(f"{path}: filen är sparad som UTF-16") and "CSV UTF-8" in message


@pytest.mark.parametrize("sep, other", [(",", ";"), (";", ",")])
def test_rows_written_with_the_other_separator_are_named_with_the_separator(tmp_path, sep, other):
    """A probe: ';' rows in a ',' file gave one "tom" per empty cell and no word of the separator."""
    lines = csv_text(sep=sep).splitlines()
    lines[2:4] = [line.replace(sep, other) for line in lines[2:4]]  # rows 3 and 4 of the file
    path = tmp_path / "deltagare.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = str(pytest.raises(InputError, load_register, path).value)
    assert message.startswith(f"{path}: rad 3 (och 1 rad till) avgränsar kolumnerna med '{other}', men rubrikraden "
                              f"med '{sep}'") and "tom" not in message
    path.write_text(csv_text(sep=sep), encoding="utf-8")  # the same rows with their own separator
    assert len(load_register(path)) == len(ROWS)


def test_a_tab_separated_file_is_told_to_use_a_semicolon_or_comma(tmp_path):
    path = tmp_path / "deltagare.csv"
    path.write_text(csv_text(sep=";").replace(";", "\t"), encoding="utf-8")
    message = str(pytest.raises(InputError, load_register, path).value)
    assert f"{path}: kolumnerna på rad 1 avgränsas med tabb" in message and "; eller ," in message
    path.write_text(csv_text(sep=";").replace("Kvinna", "Kvinna\t"), encoding="utf-8")  # a tab in a cell is text
    assert load_register(path)["kon"].tolist()[0] == "Kvinna"


@pytest.mark.parametrize("row", [0, 2])
def test_a_row_longer_than_the_header_is_named_not_shifted(tmp_path, row):
    """A first row with two cells too many was read with its first cells as pandas' index: every
    column of the row moved two places, and the errors named other rows and columns."""
    lines = csv_text().splitlines()
    lines[row + 1] += ",x,y"
    path = tmp_path / "deltagare.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = str(pytest.raises(InputError, load_register, path).value)
    assert message.startswith(f"{path}: rad {row + 2} har {len(HEADER) + 2} kolumner, men rubrikraden har {len(HEADER)}")
    assert "Error tokenizing" not in message and "Expected" not in message


def test_a_quote_never_closed_is_named_where_it_opens(tmp_path):
    """An unclosed quote took the rows after it into one cell, which was read without a word
    (rows closed by a later quote) or refused in pandas' English (rows up to the end)."""
    header, rows = _with_column("delinsats", {})
    lines = csv_text(rows, header).splitlines()  # no quote after line 6
    path = tmp_path / "deltagare.csv"
    lines[6] += '"Steget'  # line 7 (D06)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = str(pytest.raises(InputError, load_register, path).value)
    swallowed = (f"{path}: rad 7, kolumn 'delinsats': cellen fortsätter över flera rader och innehåller rader "
                 "av tabellen")
    assert message.startswith(swallowed)  # Arrow's reader: the cell runs to the end
    quoted = lines[0].replace("kon", '"kon"')  # a quoted header name: read by pandas, which stops at the end
    path.write_text("\n".join([quoted, *lines[1:]]) + "\n", encoding="utf-8")
    message = str(pytest.raises(InputError, load_register, path).value)
    assert message.startswith(f"{path}: rad 7: ett citattecken (\") öppnas men stängs aldrig")
    lines[9] += 'Steget"'  # closed on line 10: lines 8 and 9 (D07, D08) were inside the cell
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = str(pytest.raises(InputError, load_register, path).value)
    assert message.startswith(swallowed)
    assert "D07" not in message  # the swallowed rows are not quoted


def test_a_line_break_inside_a_cell_is_text(tmp_path):
    """Alt+Enter in an Excel cell: a line break in a quoted cell stays one cell of one row."""
    header, rows = _with_column("delinsats", {1: "Steget,\ndel två"})
    path = tmp_path / "deltagare.csv"
    path.write_text(csv_text(rows, header), encoding="utf-8")
    assert load_register(path)["delinsats"].tolist()[1] == "Steget,\ndel två"


def test_a_password_protected_workbook_is_told_to_lose_its_password(tmp_path):
    path = tmp_path / "deltagare.xlsx"  # an encrypted workbook is a compound file, not a zip
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088))
    message = str(pytest.raises(InputError, load_register, path).value)
    assert message.startswith(f"{path}: arbetsboken är lösenordsskyddad") and "ta bort lösenordet" in message


def test_one_encoding_throughout_is_accepted(tmp_path):
    header, rows = _with_column("delinsats", {0: "Hälsospåret", 1: "Ö-spåret"})
    for encoding in ("cp1252", "utf-8"):
        path = tmp_path / f"{encoding}.csv"
        path.write_bytes(csv_text(rows, header).encode(encoding))
        assert load_register(path)["delinsats"].tolist()[:2] == ["Hälsospåret", "Ö-spåret"]


def test_overlapping_enrolments_name_both_rows(tmp_path):
    rows = [list(r) for r in ROWS]
    # D01 is enrolled 2019-06-01 – 2020-03-01 (row 2); a second enrolment starting inside it:
    rows.append(["D01", "Kvinna", "1995", "", "2020-02-01", "2020-06-01", "Arbete", "nej", "", "", "", "", "nej"])
    # D02 has an ongoing enrolment from 2019-09-01 (row 3); any later start overlaps it:
    rows.append(["D02", "Man", "1980", "", "2021-01-01", "", "", "", "", "", "", "", "nej"])
    msg = _refused(load_register, _register(tmp_path, rows=rows))
    assert "rad 14, kolumn 'startdatum'" in msg and "rad 2 och rad 14" in msg
    assert "rad 15, kolumn 'startdatum'" in msg and "rad 3 och rad 15" in msg and "pågår" in msg


def test_a_birth_year_after_the_start_is_refused(tmp_path):
    """Born 2021, started 2020-02-01: an age of −1 was taken without a word."""
    rows = [list(r) for r in ROWS]
    rows[2][2] = "2021"  # D03 starts 2020-02-01 (row 4)
    rows[0][2] = "2019"  # D01 starts 2019-06-01: born the same year is possible
    msg = _refused(load_register, _register(tmp_path, rows=rows))
    assert "rad 4, kolumn 'fodelsear': födelseåret 2021 är efter startdatum 2020-02-01" in msg
    assert "rad 2," not in msg


def test_reenrolment_on_the_day_of_exit_is_not_an_overlap(tmp_path):
    rows = [list(r) for r in ROWS]
    rows.append(["D01", "Kvinna", "1995", "", "2020-03-01", "", "", "", "", "", "", "", "nej"])
    assert (load_register(_register(tmp_path, rows=rows))["deltagar_id"] == "D01").sum() == 2


def _formula_book(path: Path, cached: str | None) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["deltagar_id", "kon", "startdatum", "alder"])
    sheet.append(["D1", "Kvinna", "2020-01-01", 30])
    sheet.append(["D2", "Man", "2020-02-01", "=20+5"])  # openpyxl saves no value for a formula
    book.save(path)
    if cached is not None:  # as Excel saves it: the formula and its last value
        with zipfile.ZipFile(path) as src:
            parts = {n: src.read(n) for n in src.namelist()}
        sheet_xml = parts["xl/worksheets/sheet1.xml"].decode()
        written = re.compile(r"<f>20\+5</f>(?:<v ?/>|<v></v>)</c>")  # openpyxl writes either empty value
        assert written.search(sheet_xml)
        parts["xl/worksheets/sheet1.xml"] = written.sub(cached, sheet_xml).encode()
        with zipfile.ZipFile(path, "w") as dst:
            for name, data in parts.items():
                dst.writestr(name, data)


def test_formula_without_saved_value_refused_with_advice(tmp_path):
    path = tmp_path / "deltagare.xlsx"
    _formula_book(path, cached=None)
    msg = _refused(load_register, path)
    assert "deltagare.xlsx" in msg and "rad 3, kolumn 'alder'" in msg and "D3" in msg
    assert "spara" in msg and "Excel" in msg


def test_a_formula_without_saved_value_is_named_with_the_other_rows_errors(tmp_path):
    """A probe: a formula cell hid three rows with a personnummer and a bad category."""
    book = openpyxl.Workbook()
    for row in [["deltagar_id", "kon", "startdatum", "alder"], ["D1", "Kvinna", "2020-01-01", 30],
                ["D2", "Man", "2020-02-01", "=20+5"], [PNR, "Man", "2020-03-01", 40], ["D4", "Kvinn", "2020-04-01", 50]]:
        book.active.append(row)
    path = tmp_path / "deltagare.xlsx"
    book.save(path)
    with pytest.raises(ValidationError) as err:
        load_register(path)
    assert [(v.row, v.column) for v in err.value.violations] == [(3, "alder"), (4, "deltagar_id"), (5, "kon")]
    assert "cellen D3 är en formel utan sparat värde" in str(err.value) and PNR not in str(err.value)
    assert str(err.value).count("(Radens andra värden kontrolleras när cellen är rättad.)") == 2


def test_a_column_of_formulas_is_one_problem_with_its_count_and_first_cells(tmp_path):
    """A column computed by a formula (no saved values) is one thing to fix: one problem, not one per row."""
    book = openpyxl.Workbook()
    book.active.append(["deltagar_id", "kon", "startdatum", "alder"])
    for n in range(1, 31):
        book.active.append([f"D{n}", "Kvinn" if n in (5, 2) else "Kvinna", "2020-01-01", 30 if n == 1 else f"=20+{n}"])
    path = tmp_path / "deltagare.xlsx"
    book.save(path)
    with pytest.raises(ValidationError) as err:
        load_register(path)
    msg = str(err.value)
    assert [(v.row, v.column) for v in err.value.violations] == [(3, "alder")]  # row 6's 'Kvinn' checked when fixed
    assert "29 celler i kolumnen (D3, D4, D5 och 26 till) är formler utan sparat värde" in msg
    assert "klistra in formlerna som värden" in msg and "Radernas andra värden kontrolleras" in msg
    assert "D6 är en formel" not in msg and "1 fel hittades" in msg


def test_formula_with_saved_value_is_read(tmp_path):
    path = tmp_path / "deltagare.xlsx"
    _formula_book(path, cached="<f>20+5</f><v>25</v></c>")
    assert load_register(path)["alder"].tolist() == [30, 25]


def test_a_formula_is_found_with_a_namespace_prefix_and_across_read_chunks():
    import io

    def has(xml: bytes) -> bool:
        return xlsxread._may_read_empty(io.BytesIO(xml))

    assert has(b'<c r="D3"><f>20+5</f></c>') and has(b'<x:c r="D3"><x:f t="shared" si="0"/></x:c>')
    assert not has(b'<fill><patternFill/></fill><c r="A1" t="s"><v>0</v></c><font/>')
    padding = b" " * ((1 << 20) - 2)  # "<f" ends the first chunk, ">" begins the next
    assert has(padding + b"<f>1</f>") and not has(padding + b"<fill/>")


def test_an_excel_error_value_is_named_not_read_as_empty(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["deltagar_id", "kon", "startdatum", "fodelsear"])
    sheet.append(["D1", "Kvinna", "2020-01-15", "1990"])
    sheet.append(["D2", "Man", "2020-02-01", "#N/A"])  # what =VLOOKUP(...) leaves when nothing is found
    sheet["D3"].data_type = "e"
    path = tmp_path / "deltagare.xlsx"
    book.save(path)
    message = _refused(load_register, path)
    assert "rad 3, kolumn 'fodelsear': cellen D3 har Excels felvärde #N/A och skulle läsas som tom" in message
    assert xlsxread._may_read_empty(io.BytesIO(b'<c r="D3" t="e"><v>#N/A</v></c>'))
    assert not xlsxread._may_read_empty(io.BytesIO(b'<c r="D3" t="s"><v>0</v></c>'))


def test_merged_cells_in_an_excel_register_are_named_not_read_as_empty(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["deltagar_id", "kon", "startdatum", "Försörjning"])
    for n in range(1, 5):
        sheet.append([f"D{n}", "Kvinna" if n == 1 else None, f"2020-0{n}-15", None])
    sheet.merge_cells("B2:B4")  # one 'Kvinna' shown over three rows
    sheet.merge_cells("D1:E1")  # a header over two columns: the header row alone is no problem
    path = tmp_path / "deltagare.xlsx"
    book.save(path)
    message = _refused(load_register, path)
    assert "rad 2, kolumn 'kon': cellerna B2:B4 är sammanfogade, och bara den första har ett värde" in message
    assert "D1" not in message and "1 fel hittades" in message


def test_a_column_whose_name_cell_is_merged_into_the_one_before_is_said_why_it_is_not_read(tmp_path):
    """A probe: names B1:C1 merged left 'fodelsear' in C without a name; the only word was 'kolumn C
    utan rubrik' as an unknown column, and the birth years were left out of the report."""
    from evaluation.core.collector import collecting

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["deltagar_id", "kon", None, "startdatum"])
    sheet.append(["D1", "Kvinna", 1990, "2020-01-15"])
    sheet.merge_cells("B1:C1")
    path = tmp_path / "deltagare.xlsx"
    book.save(path)
    with collecting() as found:
        load_register(path)
    said = [n.describe() for n in found]
    assert (f"Varning: {path}, rad 1: rubrikcellerna B1:C1 är sammanfogade, så kolumn C har uppgifter men ingen "
            "egen rubrik och läses inte. Dela upp cellerna") in said[0], said


def test_an_excel_register_keeps_dates_numbers_and_text(tmp_path):
    import datetime as dt

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["deltagar_id", "kon", "startdatum", "fodelsear", "delinsats"])
    sheet.append(["D1", " Kvinna ", dt.datetime(2020, 1, 15), 1990, "Steget"])
    sheet.append(["D2", "Man", dt.datetime(2020, 2, 1), 1985.0, None])
    path = tmp_path / "deltagare.xlsx"
    book.save(path)
    frame = files.read_table(path).frame
    assert frame["kon"].tolist() == ["Kvinna", "Man"]  # text trimmed
    assert frame["startdatum"].tolist() == [dt.date(2020, 1, 15), dt.date(2020, 2, 1)]
    assert frame["fodelsear"].tolist() == ["1990", "1985"]  # whole numbers as their text
    assert frame["delinsats"].tolist() == ["Steget", ""]


def test_an_excel_time_in_a_date_column_is_named_as_a_time(tmp_path):
    """A start of 1899-12-31 (Excel's serial 0) or a cell formatted as a time was "'00:00:00' är inte ett datum"."""
    import datetime as dt

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["deltagar_id", "kon", "startdatum"])
    sheet.append(["D1", "Kvinna", dt.time(13, 5)])
    path = tmp_path / "deltagare.xlsx"
    book.save(path)
    message = _refused(load_register, path)
    assert "rad 2, kolumn 'startdatum': cellen är ett klockslag (13:05) utan datum; skriv datumet som ÅÅÅÅ-MM-DD" in message


def test_an_excel_register_names_the_right_row_after_a_blank_one_and_refuses_a_repeated_header(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["deltagar_id", "kon", "startdatum", "fodelsear"])
    sheet.append(["D1", "Kvinna", "2020-01-15", "NA"])
    sheet.append([])  # row 3 left blank
    sheet.append(["D2", "Okänd", "2020-02-01", 1985])  # row 4: a gender the contract does not allow
    path = tmp_path / "deltagare.xlsx"
    book.save(path)
    assert files.read_table(path).frame["fodelsear"].tolist() == ["NA", "1985"]  # a text stays a text, as in a CSV
    assert "rad 4" in _refused(load_register, path)
    sheet["E1"] = "Kön"  # the same column as 'kon' once folded
    sheet["E2"] = "Kund 811218-9876"  # read by its place all the same: named in the same run (a probe)
    book.save(path)
    with pytest.raises(ValidationError) as err:
        load_register(path)
    assert [(v.row, v.column) for v in err.value.violations] == [(1, None), (2, "kolumn E")]  # Excel's letter
    assert "'kon' och 'Kön' betyder samma kolumn" in str(err.value) and "9876" not in str(err.value)


def test_an_excel_register_with_its_header_below_a_blank_first_row_is_told_so(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([])
    sheet.append(["deltagar_id", "kon", "startdatum"])
    sheet.append(["D1", "Kvinna", "2020-01-15"])
    path = tmp_path / "deltagare.xlsx"
    book.save(path)
    with pytest.raises(InputError, match="rad 1 är tom.*rubrikraden"):
        load_register(path)


def test_formula_with_saved_empty_text_is_read_as_empty(tmp_path):
    path = tmp_path / "deltagare.xlsx"  # =IF(...;"";...) saved by Excel: a text cell, empty value
    _formula_book(path, cached="<f>20+5</f><v></v></c>")
    path2 = tmp_path / "text.xlsx"
    with zipfile.ZipFile(path) as src:
        parts = {n: src.read(n) for n in src.namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b'<c r="D3"><f>', b'<c r="D3" t="str"><f>')
    with zipfile.ZipFile(path2, "w") as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    assert load_register(path2)["alder"].isna().tolist() == [False, True]
    with pytest.raises(ValidationError, match="D3"):
        load_register(path)


# -- bounded resources, closed data folder -------------------------------------------------------------
BOMB = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
) + "\n"


def test_yaml_alias_bomb_refused_quickly(tmp_path):
    path = tmp_path / "mal.yaml"
    path.write_text(BOMB, encoding="utf-8")  # 9^9 = 387 420 489 strings once expanded
    start = time.perf_counter()
    with pytest.raises(InputError, match="alias") as err:
        yamlread.read_yaml(path)
    assert time.perf_counter() - start < 1 and "mal.yaml" in str(err.value)


def test_alias_bomb_in_parameters_refused(tmp_path):
    params = write_params(tmp_path)
    params.write_text(params.read_text(encoding="utf-8") + BOMB.replace("a:", "x_a:", 1), encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(ParamsError, match="alias"):
        load_params(params)
    assert time.perf_counter() - start < 1


def test_few_aliases_still_work(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("base: &b {roll: Samordnare}\nstab: [*b, *b]\n", encoding="utf-8")
    assert yamlread.read_yaml(path)["stab"] == [{"roll": "Samordnare"}] * 2


@pytest.mark.parametrize("code", [0, 7, 27])
def test_a_control_character_in_yaml_is_named_by_line(tmp_path, code):
    """Was "ogiltig YAML: kontrollera indraget, kolon …", without a line, for a character no editor shows."""
    path = tmp_path / "mal.yaml"
    path.write_text(f"- id: a\n  text: Mål{chr(code)} ett\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        yamlread.read_yaml(path)
    assert str(err.value) == (f"{path}: ogiltig YAML på rad 2: raden innehåller ett osynligt styrtecken (tecken "
                              f"nummer {code}), som inte får stå i en textfil. Skriv om raden för hand (tecknet "
                              "syns inte i de flesta program).")


def test_a_control_character_written_as_an_escape_in_yaml_is_dropped(tmp_path):
    """A quoted value may write one as an escape ("\\a", "\\0"): it reached the report, and Excel
    could not hold it (the workbook failed with an unexpected error)."""
    path = tmp_path / "mal.yaml"
    path.write_text('- id: a\n  text: "Mål\\a ett\\0"\n  steg: ["Moti\\x07vation", "Ko\\u0308n"]\n', encoding="utf-8")
    assert yamlread.read_yaml(path) == [{"id": "a", "text": "Mål ett", "steg": ["Motivation", "Kön"]}]


@pytest.mark.parametrize("code", [0, 7, 27])
@pytest.mark.parametrize("where, line", [("front matter", 2), ("body", 5)])
def test_a_control_character_in_a_markdown_text_is_named_by_line(tmp_path, code, where, line):
    """Was "fel i mallsyntaxen" for a NUL (the template engine refused it) and, for a bell or an
    escape, a character that reached every format unseen."""
    lines = ["---", "roll: deltagare", "---", "", "Det var ett bra stöd."]
    lines[line - 1] = lines[line - 1].replace(" ", f" {chr(code)}", 1)
    note = tmp_path / "intervjuer" / "deltagare-a.md"
    note.parent.mkdir()
    note.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        textread.read_markdown(note)
    assert str(err.value) == (f"{note}, rad {line}: raden innehåller ett osynligt styrtecken (tecken nummer {code}), "
                              "som inte får stå i en textfil. Skriv om raden för hand (tecknet syns inte i de flesta "
                              "program).")


def test_a_key_written_twice_is_refused_with_both_lines(tmp_path):
    """YAML keeps the last of two equal keys and drops the first without a word."""
    params = write_params(tmp_path)
    text = params.read_text(encoding="utf-8")
    params.write_text(text + "min_cell: 5\n", encoding="utf-8")
    first = next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith("min_cell:"))
    second = len(text.splitlines()) + 1
    result = CliRunner().invoke(main, ["validate", str(params)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"nyckeln 'min_cell' står två gånger, på rad {first} och rad {second}" in result.output
    note = tmp_path / "intervju.md"  # in a front matter: the lines of the file
    note.write_text("---\nroll: styrgrupp\ndatum: 2024-01-01\nroll: team\n---\nText.\n", encoding="utf-8")
    with pytest.raises(InputError, match="nyckeln 'roll' står två gånger, på rad 2 och rad 4"):
        textread.read_markdown(note)


def test_a_merge_key_may_be_overridden(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("bas: &bas {typ: skala, min: 1}\nfraga: {<<: *bas, min: 0}\n", encoding="utf-8")
    assert yamlread.read_yaml(path)["fraga"] == {"typ": "skala", "min": 0}


def test_symlink_out_of_the_data_folder_refused(tmp_path):
    params = load_params(write_params(tmp_path))
    secret = tmp_path / "hemligt.md"
    secret.write_text("root:x:0:0:HEMLIG\n", encoding="utf-8")
    (params.data / "texter").mkdir()
    link = params.data / "texter" / "bakgrund.md"
    link.symlink_to(secret)
    with pytest.raises(InputError) as err:
        sections.LOADERS["texts"](params, {})
    msg = str(err.value)
    assert str(link) in msg and "symbolisk länk" in msg and "HEMLIG" not in msg


def test_symlinked_register_outside_refused_inside_accepted(tmp_path):
    params = load_params(write_params(tmp_path))
    outside = _register(tmp_path, name="export.csv")
    (params.data / "deltagare.csv").symlink_to(outside)
    with pytest.raises(InputError, match="leder ut ur"):
        sections.LOADERS["register"](params, {})
    (params.data / "deltagare.csv").unlink()
    (params.data / "export").mkdir()
    inside = _register(params.data / "export", name="2020.csv")
    (params.data / "deltagare.csv").symlink_to(inside)
    assert len(sections.LOADERS["register"](params, {})) == 12


def test_dotdot_out_of_the_allowed_folders_refused(tmp_path):
    (tmp_path / "data").mkdir()
    secret = tmp_path / "hemligt.yaml"
    secret.write_text("a: 1\n", encoding="utf-8")
    with textfiles.confined(tmp_path / "data"):
        with pytest.raises(InputError, match="leder ut ur"):
            yamlread.read_yaml(tmp_path / "data" / ".." / "hemligt.yaml")


def test_huge_file_refused_before_reading(tmp_path):
    path = tmp_path / "deltagare.csv"
    with path.open("wb") as f:
        f.truncate(files.MAX_TABLE_BYTES + 1)  # sparse: costs no disk
    start = time.perf_counter()
    with pytest.raises(InputError, match="högst 200 MB") as err:
        load_register(path)
    assert "deltagare.csv" in str(err.value) and time.perf_counter() - start < 1
    text = tmp_path / "bakgrund.md"
    with text.open("wb") as f:
        f.truncate(textfiles.MAX_TEXT_BYTES + 1)
    with pytest.raises(InputError, match="högst 2 MB"):
        textread.read_markdown(text)


def _params_with_insats(tmp_path: Path, written: str) -> Path:
    path = write_params(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("insats: testinsats", f"insats: {written}", 1),
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("insats, words", [
    ("x" * 300, "300 tecken"),
    ('"steget\\n"', "a-z, 0-9"),
    ("Ung Kraft", "a-z, 0-9"),
    ("../../etc", "a-z, 0-9"),
])
def test_bad_insats_slug_refused(tmp_path, insats, words):
    with pytest.raises(ParamsError) as err:
        load_params(_params_with_insats(tmp_path, insats))
    msg = str(err.value)
    assert "nyckeln 'insats'" in msg and "slug" in msg and words in msg and len(msg) < 600


def test_long_period_slug_refused(tmp_path):
    with pytest.raises(ParamsError, match="periodens slug") as err:
        load_params(write_params(tmp_path, slug="2020-" + "x" * 80))
    assert "85 tecken" in str(err.value)


@pytest.mark.parametrize("body, words", [
    ("{% for i in range(10**9) %}x{% endfor %}", "range()"),
    ("{% for i in range(9000) %}{% for j in range(9000) %}{% endfor %}{% endfor %}", "steg"),
    ("{{ 'x' * 10**9 }}", "upprepning"),
    ("{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
     "sammanfogad"),
])
def test_unbounded_template_refused_quickly(tmp_path, body, words):
    params = load_params(write_params(tmp_path))
    (params.data / "texter").mkdir()
    path = params.data / "texter" / "sammanfattning.md"
    path.write_text(f"Inledning.\n\n{body}\n", encoding="utf-8")
    text = sections.LOADERS["texts"](params, {})["sammanfattning"]
    from evaluation.compute import figures
    from evaluation.sections import texts
    start = time.perf_counter()
    with pytest.raises(TemplateError) as err:
        texts.render(text, figures.formatted({"antal.deltagare": 3}))
    assert time.perf_counter() - start < 5
    assert f"{path}, rad 3" in str(err.value) and words in str(err.value)


# -- the command line ----------------------------------------------------------------------------------
def test_validate_refuses_pnr_with_exit_1_and_no_traceback(tmp_path):
    params = write_params(tmp_path)
    header, rows = _with_column("delinsats", {2: f"Spår {PNR}"})
    _register(tmp_path / "data" / "testinsats", header, rows)
    before = sorted(p for p in tmp_path.rglob("*"))
    result = CliRunner().invoke(main, ["validate", str(params)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "Fel:" in result.output
    assert "rad 4, kolumn 'delinsats'" in result.output and PNR not in result.output
    assert sorted(p for p in tmp_path.rglob("*")) == before


def test_validate_refuses_bad_insats_with_exit_1(tmp_path):
    params = _params_with_insats(tmp_path, '"steget\\n"')
    result = CliRunner().invoke(main, ["validate", str(params)])
    assert result.exit_code == 1 and "Traceback" not in result.output and "slug" in result.output
    assert not os.path.exists(tmp_path / "output")


# -- personal data in every text input (issue 18) -------------------------------------------------------
DEMO = Path(__file__).resolve().parents[1] / "evaluation" / "demo"
#: Each kind of personal data as a careless or hostile data keeper might write it, and the parts
#: of it that must never show in a message.
TEXT_VALUES = {
    "pnr": ("Anna 811218-9876", ("9876",)),
    "pnr_fel_kontrollsiffra": ("Anna 811218-9873", ("9873",)),
    "samordningsnummer": (f"Anna {SAMORDNING}", ("9873", "811278")),
    "pnr_nbsp": ("Anna 811218\u00a09876", ("9876",)),
    "pnr_nollbredd": ("Anna 8112\u200b18-98\u200b76", ("98\u200b76", "9876")),
    "pnr_punkter": ("Anna 81.12.18-9876", ("9876",)),
    "pnr_styrtecken": ("Anna 8112\x0718-98\x1b76", ("98\x1b76", "9876")),  # a bell and an escape, unseen
    # hidden by markup the reader never sees: wrapped at a line end, Markdown emphasis, escape
    # and entity, a YAML escape in a quoted string
    "pnr_radbrytning": ("Anna 811218-\n9876", ("9876",)),
    "pnr_fetstil": ("Anna 811218-**9876**", ("9876",)),
    "pnr_escape": ("Anna 811218\\-9876", ("9876",)),
    "pnr_entitet": ("Anna 811218&#45;9876", ("9876",)),
    "pnr_yaml_escape": ("Anna 811218\\u002d9876", ("9876",)),
    # split by Markdown that shows the digits side by side: a link's words, an HTML comment or tag
    "pnr_lank": ("Anna [811218](https://a.se)-9876", ("9876",)),
    "pnr_html_kommentar": ("Anna 811218<!-- x -->-9876", ("9876",)),
    "pnr_html_tagg": ("Anna <span>811218</span>-9876", ("9876",)),
    # separators no one writes in a personnummer but to get past a check
    "pnr_understreck": ("Anna 811218_9876", ("9876",)),
    "pnr_kolon": ("Anna 811218:9876", ("9876",)),
    "pnr_dubbelt_streck": ("Anna 811218 -- 9876", ("9876",)),
    "pnr_komma": ("Anna 811218,9876", ("9876",)),
    "pnr_brädgård_och_lika_med": ("Anna 811218#9876 eller 811218=9876", ("9876",)),
    "pnr_sista_i_par": ("Anna 811218-98 76", ("98 76", "9876")),
    # a heading's underline between the parts: a heading right above its paragraph
    "pnr_rubrikstreck": ("Anna 811218\n------\n9876", ("9876",)),
    # a YAML escape of a line break, a tab or a non-breaking space between the parts
    "pnr_yaml_radbrytning": ("Anna 811218\\n9876", ("9876",)),
    "pnr_yaml_tabb_och_hart_mellanslag": ("Anna 811218\\t-\\_9876", ("9876",)),
    # in a link copied from a case system, percent-encoded
    "pnr_i_lank": ("se https://arende.example.se/visa?pnr=811218%2D9876", ("9876",)),
    # the same link as Markdown: its address is read as well as its words
    "pnr_i_markdownlank": ("se [ärendet](https://arende.example.se/visa?pnr=811218%2D9876)", ("9876",)),
    "epost_i_lank": ("mejla mailto:anna.svensson%40example.se", ("anna.svensson", "example.se")),
    "epost_entitet": ("mejla anna.svensson&#64;example.se", ("anna.svensson", "example.se")),
    # written as people write them to keep robots off, or with spaces around the dash
    "epost_at": ("mejla anna.svensson (at) example.se", ("anna.svensson", "example.se")),
    "telefon_mellanrum": ("ring 070 - 123 45 67", ("123 45",)),
    "epost": ("mejla anna.svensson@example.se", ("anna.svensson", "example.se")),
    "telefon": ("ring 070-123 45 67", ("123 45",)),
    "telefon_riktnummer_inom_parentes": ("ring (08) 123 456 78", ("456 78",)),
    "telefon_snedstreck": ("ring 08/123 45 67", ("123 45",)),
    "telefon_punkter": ("ring 070.123.45.67", ("123.45",)),
    "telefon_landsnummer_utan_plus": ("ring 46-70-123 45 67", ("123 45",)),
}
#: (params file, file in the demo, how the value is written into it, strict folder?)
TEXT_INPUTS = {
    "text": ("kartan/2025-h1.yaml", "data/kartan/texter/bakgrund.md", "\n{v}\n", False),
    "alttext": ("kartan/2025-h1.yaml", "data/kartan/texter/metod.md", "\n![Bild på {v}](bilder/x.png)\n", False),
    "intervju": ("kartan/2025-h1.yaml", "data/kartan/intervjuer/styrgrupp-a.md", "\nCitat från {v}.\n", True),
    "intervju_huvud": ("kartan/2025-h1.yaml", "data/kartan/intervjuer/styrgrupp-a.md", "HEAD:anteckning: {v}\n", True),
    "matris": ("kartan/2025-h1.yaml", "data/kartan/matriser/01-kommuner.yaml", "\n# {v}\n", False),
    "organisation": ("kartan/2025-h1.yaml", "data/kartan/organisation.yaml", "\n# kontakt: {v}\n", False),
    "omvarld": ("kartan/2025-h1.yaml", "omvarld/ungvag.md", "\nKontakt: {v}\n", False),
    "parametrar": ("kartan/2025-h1.yaml", "params/kartan/2025-h1.yaml", "\n# {v}\n", False),
    "yaml_nyckel": ("ungkraft/2024.yaml", "data/ungkraft/mal.yaml", "\n# \"{v}\": 1\n", False),
    "enkatfraga": ("ungkraft/2024.yaml", "data/ungkraft/enkater/styrgrupp.yaml", "\n# fråga: {v}\n", True),
}


def _demo_with(tmp_path: Path, target: str, how: str, value: str) -> Path:
    import shutil
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root)
    path = root / target
    text = path.read_text(encoding="utf-8")
    if how.startswith("HEAD:"):  # into the front matter, right after its opening '---'
        text = text.replace("---\n", "---\n" + how[5:].format(v=value), 1)
    else:
        text += how.format(v=value)
    path.write_text(text, encoding="utf-8")
    (root / "data" / "kartan" / "bilder").mkdir()
    (root / "data" / "kartan" / "bilder" / "x.png").write_bytes(_tiny_png())
    return path


@pytest.mark.parametrize("target, old, new, key", [
    # a matrix's row name and its first cell, side by side in the table
    ("data/kartan/matriser/01-kommuner.yaml", "  - namn: Åsdal\n    celler:\n      - Upplever",
     "  - namn: Åsdal 811218\n    celler:\n      - -9876 Upplever", "rader post 2, nyckeln 'namn'"),
    # two items of a ranked list, one right under the other (found already by the scan of the file's
    # lines read block after block: a list's items, as a page shows them)
    ("data/kartan/matriser/02-prioriteringar.yaml", "  - Kortare väntan", "  - Nummer 811218\n  - -9876 Kortare väntan",
     None),
    # a title and the description right under it
    ("data/kartan/matriser/03-workshop.yaml", "titel: Resultat från workshop 1 – nuläget\n",
     "titel: Resultat från workshop 1 – 811218\n", "nyckeln 'titel'"),
])
def test_a_personnummer_split_over_two_values_shown_side_by_side_is_refused(tmp_path, target, old, new, key):
    """Each value passed the scan of the file's lines; the page read them as one number."""
    import shutil
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root)
    path = root / target
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new)
    if "03-workshop" in target:
        text = text.replace("beskrivning: Grupperna", "beskrivning: -9876 Grupperna")
    path.write_text(text, encoding="utf-8")
    result = _cli("validate", root / "params" / "kartan" / "2025-h1.yaml")
    assert result.exit_code == 1, result.output
    said = (f"{path}: filen innehåller personuppgifter (värdena visas inte): rad" if key is None else
            f"{path}, {key}: texten och den som står närmast efter den blir tillsammans något som ser ut som ett personnummer")
    assert said in " ".join(result.output.split())
    assert "811218" not in result.output and "9876" not in result.output


_MATRIX = "titel: Fall\ntyp: matris\nbeskrivning: Ett påhittat fall.\n"


@pytest.mark.parametrize("target, written, words", [
    # a number cell right after the row's name (a matrix prints it as its digits)
    ("data/kartan/matriser/04-fall.yaml", _MATRIX + "radrubrik: Fråga\nkolumner: [Steg 1, Steg 2]\nrader:\n"
     "  - namn: Vem 811218-\n    celler: [9876, Lotsen]\n",
     "rader post 1: två värden som rapporten kan visa intill varandra ('namn' och 'celler')"),
    # the cells written before the row's name: the table shows the name first
    ("data/kartan/matriser/04-fall.yaml", _MATRIX + "radrubrik: Fråga\nkolumner: [Steg 1, Steg 2]\nrader:\n"
     "  - celler: [-9876 lots, Lotsen]\n    namn: Vem 811218\n", "rader post 1: två värden"),
    # the rows' heading written last: the header row shows it before the first column
    ("data/kartan/matriser/04-fall.yaml", _MATRIX + "kolumner: [-9876 steg, Steg 2]\nrader:\n"
     "  - namn: Vem\n    celler: [Lotsen, Lotsen]\nradrubrik: Fråga 811218\n",
     "översta nivån: två värden som rapporten kan visa intill varandra ('radrubrik' och 'kolumner')"),
    # an omvärld project's keys in another order than the report shows them
    ("omvarld/ungvag.md", None, "översta nivån: två värden"),
])
def test_a_personnummer_split_over_two_values_in_whatever_order_the_file_has_them_is_refused(tmp_path, target,
                                                                                             written, words):
    """A hostile probe: the check joined values in the file's order, and numbers not at all; the
    report shows a mapping's values in its own order."""
    import shutil
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root)
    path = root / target
    if written is None:
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^huvudman: .*\n", "", text)
        text = re.sub(r"(?m)^namn: .*$", "huvudman: -9876 kommun\nnamn: Ung väg 811218", text, count=1)
        written = text
    path.write_text(written, encoding="utf-8")
    result = _cli("validate", root / "params" / "kartan" / "2025-h1.yaml")
    assert result.exit_code == 1, result.output
    assert f"{path}, {words}" in " ".join(result.output.split())
    assert "811218" not in result.output and "9876" not in result.output


@pytest.mark.parametrize("data, keys", [
    ({"not": "-9876 sammanställt", "poster": ["Kortare väntan", "Samma begrepp 811218"]}, "'poster' och 'not'"),
    ({"poster": ["-9876 Kortare väntan", "Mer tid"], "beskrivning": "Gruppen 811218"}, "'beskrivning' och 'poster'"),
    ({"resultat": "-9876 praktikplatser", "alder": "18–64 år 811218"}, "'alder' och 'resultat'"),
    ({"celler": ["Kund 811218", -9876, "Lotsen"]}, "post 1 och 2"),  # a number cell after a text cell
    ([["a", "Kund 811218"], [9876, "b"]], "post 1 och 2"),  # a row's last cell and the next row's first
])
def test_a_list_or_a_note_and_its_neighbour_are_read_joined_whichever_comes_first_in_the_file(data, keys):
    from evaluation.inputs.yamlread import refuse_personal_data_across_values

    with pytest.raises(InputError) as err:
        refuse_personal_data_across_values(data, Path("m.yaml"))
    assert f": två värden som rapporten kan visa intill varandra ({keys})" in str(err.value)


def test_a_cost_and_its_year_side_by_side_are_no_personnummer():
    from evaluation.inputs.yamlread import refuse_personal_data_across_values

    refuse_personal_data_across_values({"belopp": 811218, "ar": 9876, "kalla": "Kommunen"}, Path("k.yaml"))
    # an amount is shown formatted (211 263 kr, 7 956 kr): beside a text it is no half of a number
    refuse_personal_data_across_values({"belopp": 211263, "kalla": "2023 års schablon"}, Path("k.yaml"))
    assert pii.value_kind("811218\n-9876 enligt schablon") == pii.PNR  # joined, it would be one
    refuse_personal_data_across_values({"belopp": 811218, "kalla": "-9876 enligt schablon"}, Path("k.yaml"))


def _tiny_png() -> bytes:
    import io as _io
    from PIL import Image
    out = _io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize("kind", sorted(TEXT_VALUES))
@pytest.mark.parametrize("where", sorted(TEXT_INPUTS))
def test_personal_data_in_every_text_input(tmp_path, where, kind):
    params, target, how, strict = TEXT_INPUTS[where]
    value, secrets = TEXT_VALUES[kind]
    path = _demo_with(tmp_path, target, how, value)
    first = value.split("\n")[0]  # a value wrapped over two lines is found on its first
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if first in text)
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "demo" / "params" / params)])
    refused = not kind.startswith(("epost", "telefon")) or strict
    assert "Traceback" not in result.output
    for secret in (value, *secrets):
        assert secret not in result.output
    if refused:
        assert result.exit_code == 1, result.output
        assert f"{path}: filen innehåller personuppgifter" in result.output
        assert f"rad {line}:" in result.output
    else:
        assert result.exit_code == 0, result.output
        assert f"Varning: {path}, rad {line}: texten innehåller något som ser ut som" in result.output


@pytest.mark.parametrize(("where", "written"), [
    ("intervju", "\n> Mitt nummer är 811218-\n> 9876, sa hon.\n"),  # a quote wrapped over two lines: one paragraph
    ("intervju", "\n> Mitt nummer är [811218](https://a.se)-9876.\n"),  # a quote is shown as typed
    ("text", "\n| Deltagare | Nummer |\n|---|---|\n| A | 811218 | -9876 |\n"),  # two cells side by side
    ("text", "\nNummer 811218<!--\nx\n-->-9876.\n"),  # a comment over lines
    ("text", "\nNummer 811218[^a]-9876.\n\n[^a]: En not.\n"),  # a footnote's mark between the parts
    ("text", "\nNummer 811218^-9875^.\n"),  # superscript: a mark a reader never sees (any check digit)
    ("text", "\n- Kund 811218\n- -9876 klar\n"),  # two items of a list, one under the other
    ("text", "\n## Kund 811218\n\n-9876 är klar.\n"),  # a heading and the paragraph under it
    ("text", "\nTabell: Kund 811218\n\n| -9876 | Antal |\n|---|---|\n| A | 3 |\n"),  # a caption and the first cell
    ("text", "\nKund 811218\n: -9876\n"),  # a definition under its term
    ("intervju", "\n## Samverkan 811218\n\n> -9876 fick hjälp.\n"),  # a theme and its first quote
    ("text", "\n## Kund 811218 ##\n\n-9876 klar.\n"),  # a heading closed by #s
    ("text", "\n- [ ] Kund 811218\n- [x] -9876 klar\n"),  # a task list
    ("text", "\n1. Kund 811218\n2. -9876 klar\n"),  # a numbered list: its numbers are markers
    ("text", "\n| Kund 811218 |\n|:---:|\n| -9876 |\n"),  # a header cell over the first cell
    ("text", "\nKund 811218\n\n\u200b\n\n-9876 klar.\n"),  # a paragraph of a zero-width space between
    ("text", "\nKund 811218\u2028-9876 klar.\n"),  # Unicode's line separator: a space on the page
])
def test_a_personnummer_split_by_markdown_a_reader_never_sees_is_refused(tmp_path, where, written):
    params, target, how, strict = TEXT_INPUTS[where]
    path = _demo_with(tmp_path, target, "{v}", written)
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "811218" in text)
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "demo" / "params" / params)])
    assert result.exit_code == 1 and "Traceback" not in result.output and "9876" not in result.output
    assert f"{path}: filen innehåller personuppgifter" in result.output and f"rad {line}:" in result.output


@pytest.mark.parametrize("where", ["text", "intervju"])
def test_a_mobile_number_without_spaces_is_refused_as_a_personnummer_saying_how_to_write_it(tmp_path, where):
    """0701234567 is also the personnummer of someone born 23 January 2007: refused everywhere.
    In the evaluator's own texts it may be their phone, so the message says how to write one."""
    params, target, how, strict = TEXT_INPUTS[where]
    path = _demo_with(tmp_path, target, how, "ring 0701234567")
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "0701234567" in text)
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "demo" / "params" / params)])
    assert result.exit_code == 1 and "0701234567" not in result.output and "1234567" not in result.output
    assert f"rad {line}: något som ser ut som ett personnummer" in result.output
    assert ("är det ett mobilnummer, skriv det med mellanrum: 070-nnn nn nn" in result.output) is not strict
    # where a phone number is refused too, the message says it may be one, with no advice on dates (a probe)
    said = " ".join(result.output.split())
    assert ("personnummer eller samordningsnummer eller ett mobilnummer, som också stoppas här" in said) is strict
    assert "datum med ett klockslag" not in said


def test_ordinary_prose_with_years_dates_and_amounts_is_not_personal_data():
    prose = ("Insatsen pågick 2019-2024 (2024-05-01 till 2024-12-31). Budgeten var 1 250 000 kr, "
             "varav 450000 kr år 2023; 12 deltagare av 120. Diarienummer 2024/123. Tel. växel saknas. "
             "Se bilaga (2) 12 sidor; utfall (2024) 45 000 kr; avsnitt (01) 3. Möte 08.12.2024 kl. 08.30–09.15, "
             "nästa 08/01/2025; version 1.234.567. Beslut 2024-03-01, 1500 kr; 2024-03-01 | 1500 kr.")
    assert pii.text_hits(prose) == []
    table = "| Datum | Kostnad |\n|---|---|\n| 2024-03-01 | 1500 |\n| 240301 | 2500 |\n"  # a date beside an amount
    assert pii.text_hits(table) == []


@pytest.mark.parametrize("written", ["811218;9876", "811218·9876", "811218…9876", "811218(9876)", "811218\\9876",
                                     "811 218-9876", "81.12.18-98.76", "81-12-18-98-76",
                                     "8 1 1 2 1 8 - 9 8 7 6", "19811218 ; 9876", "811218'9876", "8112 18-9876",
                                     "81 1218-9876", "811218•9876", "811218 - - 9876", "811218 → 9876"])
def test_a_personnummer_in_a_shape_of_its_own_is_found_when_its_check_digit_fits(written):
    """A hostile probe wrote these into a text and they reached every format. 811218-9876's check
    digit fits (8·2 … by hand: 16→7, 1, 2, 2, 2, 8, 18→9, 8, 14→5, 6 = 50); one digit off, the
    same odd shape is ordinary text (prose puts numbers side by side in such shapes too)."""
    assert pii.luhn_ok("8112189876") and not pii.luhn_ok("8112189875")
    text = f"Koden är {written} i texten."
    assert pii.text_hits(text) == [(1, pii.PNR)] and pii.value_kind(text) == pii.PNR
    assert "9876" not in pii.redact(text).replace("^", "") and "[dolt]" in pii.redact(text)
    assert pii.text_hits(text.replace("9876", "9875").replace("9 8 7 6", "9 8 7 5").replace("98.76", "98.75")
                         .replace("98-76", "98-75")) == []


@pytest.mark.parametrize("written", ["anna.exempel @ kommun.se", "anna[@]kommun.se", "anna (@) kommun.se",
                                     "anna(snabel-a)kommun.se", "anna@kommun . se", "anna@kommun[.]se",
                                     "anna [at] kommun [dot] se", "anna (at) kommun (punkt) se"])
def test_an_e_mail_address_written_against_robots_is_found(written):
    assert pii.value_kind(f"Mejla {written} sa hon.") == pii.EMAIL and "anna" not in pii.redact(f"Mejla {written}.")
    assert pii.value_kind("Vi ses kl. 10 @ rummet, se www.kommun.se.") is None


@pytest.mark.parametrize("written", ["(+46) 70 123 45 67", "070•123•45•67", "070 · 123 45 67"])
def test_a_phone_number_with_the_country_code_in_brackets_or_dots_of_the_middle_is_found(written):
    assert pii.value_kind(f"Ring mig på {written}.") == pii.PHONE


def test_an_evaluators_ordinary_numbers_are_not_personal_data():
    """An evaluator's probe: a survey question's scale was a phone number (refused in enkater/),
    a file name's time stamp a personnummer, whatever their digits."""
    assert pii.text_hits("Hur väl fungerar samverkan? Skalan går 0 1 2 3 4 5 6 7 8 9 10.") == []
    assert pii.text_hits("Uppgifterna hämtades ur `uppfoljning_20240312_1430.xlsx`.") == []
    assert pii.value_kind("Ring 0 70 123 45 67") == pii.PHONE  # a number to call, spaced, still is one
    assert pii.value_kind("Kund 811218_9876") == pii.PNR  # an underscore: found when the check digit fits


@pytest.mark.parametrize("value", ["811218_9873", "19811218_9873", "811278_9874", "Anna 811218_98 73"])
def test_a_personnummer_with_an_underscore_as_separator_is_refused_whatever_its_check_digit(tmp_path, value):
    """A hostile probe: ``850802_1234`` in a register column was published in table file names."""
    header, rows = _with_column("delinsats", {1: value})
    msg = _refused(load_register, _register(tmp_path, header, rows))
    assert "rad 3" in msg and "kolumn 'delinsats'" in msg and "personnummer" in msg and "987" not in msg
    # a recent date and a clock time joined by ``_`` are a file name's time stamp unless the check digit fits
    for said in ("Exporten `uppfoljning_20240312_1430.xlsx`.", "Filen data_240312_0915.csv", "id_2024_05_01_1234"):
        assert pii.text_hits(said) == [] and pii.redact(said) == said, said


def test_a_personnummer_with_combining_marks_on_its_digits_is_found(tmp_path):
    """A hostile probe: 8\u03035\u03030301-1234 renders "8̃5̃0301-1234" and passed in a text."""
    text = "Inledning.\n\nKunden 8\u03031\u03031218-9873 ringde."
    assert pii.text_hits(text) == [(3, pii.PNR)] and "9873" not in pii.redact(text)
    header, rows = _with_column("delinsats", {1: "81\u03011218-9873"})
    msg = _refused(load_register, _register(tmp_path, header, rows))
    assert "rad 3" in msg and "personnummer" in msg and "9873" not in msg


@pytest.mark.parametrize("written", ["nr070-1234567", "kontakt_070-123 45 67", "Tel070 123 45 67", "mobil+46701234567"])
def test_a_phone_number_glued_to_a_word_or_underscore_is_found(written):
    """A hostile probe: glued to the word before it, a number passed in an interview's quote."""
    assert (3, pii.PHONE) in pii.text_hits(f"Intervju 3\n\n> Citat: {written}")
    assert pii.quote(f"{written}: x") == pii.WITHHELD and "1234567" not in pii.redact(written).replace(" ", "")


def test_a_mobile_number_kept_as_a_number_cell_is_refused(tmp_path):
    """070-123 45 67 typed into a number cell is kept as 701234567 (Excel drops the 0): it was read
    as an ordinary number."""
    book = openpyxl.Workbook()
    for row in [["deltagar_id", "kon", "startdatum", "remittent", "alder"], ["D1", "Kvinna", "2020-01-01", "AF", 30],
                ["D2", "Man", "2020-02-01", 701234567, 40], ["D3", "Man", "2020-02-01", "AF", 761234567.0]]:
        book.active.append(row)
    path = tmp_path / "deltagare.xlsx"
    book.save(path)
    msg = _refused(load_register, path)
    assert "rad 3, kolumn 'remittent'" in msg and "rad 4, kolumn 'alder'" in msg and "telefonnummer" in msg
    assert "1234567" not in msg


@pytest.mark.parametrize("written", [
    "701234567", "mobil: 701234567", "Ring 731234567 efter fem", "tel. 761234567", "sms 791234567",
    "08-121 8-9876", "08 - 12 18 - 98 76", "031-1 23-456", "08  121 898 76", "031  12 34 56", "08-121  898 76",
])
def test_a_mobile_number_without_its_0_and_a_landline_grouped_oddly_are_found(written):
    assert pii.value_kind(written) in (pii.PHONE, pii.PNR) and pii.quote(written) == pii.WITHHELD
    if written != "701234567":  # in a text, a bare number is one only when a word calls it so
        assert (3, pii.PHONE) in pii.text_hits(f"Intervju 3\n\nHon sa: {written}.")
        assert "[dolt]" in pii.redact(f"Hon sa: {written}.")


@pytest.mark.parametrize("written", [
    "1 250 000", "1250000", "701 234 567 kr", "Budgeten var 701234567 kr", "711234567", "7012345678", "70123456",
    "Dnr 701234567", "diarienummer: 701234567", "701234567,50", "0,701234567", "2023", "2024-05-01",
    "12 345 kronor", "0  1  2  3  4  5  6  7  8  9  10", "0 5 10 15 20 25", "0  10  20  30  40", "år 2020  2021  2022",
    "Antal  12  34  56  78", "1 234 567 890",
])
def test_amounts_years_counts_dates_and_scales_are_no_phone_number(written):
    assert pii.value_kind(written) is None and pii.text_hits(written) == [] and pii.redact(written) == written


def test_a_meetings_hours_written_without_colons_are_no_phone_number(tmp_path):
    """``0815–1100`` in an interview's notes read as a Stockholm number, and was refused there."""
    for said in ("Intervjun pågick 0815–1100 i Exempelbygd.", "Arbetspass 0800 - 1630.", "kl 0815-1100",
                 "Jouren 1600–2400."):
        assert pii.text_hits(said) == [], said
    for number in ("08-151 100", "08-15 11 00", "0910-123456", "0815-0800", "0815-2460", "0815-1100"):
        assert pii.value_kind(f"Ring {number}.") == pii.PHONE, number  # a number, no time range, or one to call
    assert pii.value_kind("Tel. 0815–1100 (växeln)") == pii.PHONE

    notes = tmp_path / "intervjuer" / "handlaggare.md"  # where a phone number is refused, not warned about
    notes.parent.mkdir()
    notes.write_text("---\ndatum: 2024-03-12\nroll: Handläggare\n---\n\nMötet pågick 0815–1100.\n", encoding="utf-8")
    textfiles.check_personal_text(notes, notes.read_text(encoding="utf-8"))  # no refusal
    with pytest.raises(InputError, match="telefonnummer"):
        textfiles.check_personal_text(notes, "Nås på 08-151 100.\n")


def test_a_date_with_a_time_or_a_running_number_is_refused_saying_how_to_write_it(tmp_path):
    params, target, how, strict = TEXT_INPUTS["text"]
    path = _demo_with(tmp_path, target, how, "Workshop 240312 1300-1600 samlade 34 deltagare.")
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "demo" / "params" / params)])
    assert result.exit_code == 1
    assert ("(är det ett datum med ett klockslag eller löpnummer efter, som i ett filnamn eller ett ärendenummer, "
            "skriv om det, t.ex. 2024-03-12 kl. 14.30)") in " ".join(result.output.split())
    # no person in it, so the message does not start by telling to replace one
    assert "Är det ingen personuppgift, skriv om det som rådet inom parentes säger. Är det en: ta bort" in \
        " ".join(result.output.split())
    assert pii.compact_dated("Ärende 240312-0045") == set()  # a personnummer's very form: no advice


def test_a_date_and_a_number_in_two_yaml_values_are_refused_saying_how_to_write_them():
    """A compact date ending one value and four digits starting the next, their check digit fitting
    (240312 1409: every other digit from the right doubled, 9+0+4+2+2+2+3+0+4+4 = 30)."""
    from evaluation.inputs.yamlread import refuse_personal_data_across_values

    assert pii.luhn_ok("2403121409")
    with pytest.raises(InputError) as err:
        refuse_personal_data_across_values({"rader": [{"namn": "Uttag 240312", "celler": ["1409 rader"]}]}, Path("m.yaml"))
    assert str(err.value).endswith("Är det ett datum och ett tal, börja det andra värdet med ett ord (t.ex. 'Budgeten "
                                   "för 2021 …').")


def test_a_date_ending_a_line_and_a_year_or_count_starting_the_next_are_never_one_number():
    """An evaluator's probe: chronological prose ("… beslutade 2021-11-25." over "2022 startade …"),
    a table's date in the last column over the next row's year, an avvikelse's date beside a
    description starting with a year: refused one time in ten."""
    import datetime as dt

    from evaluation.inputs.yamlread import refuse_personal_data_across_values

    assert pii.luhn_ok("2001062021")  # 2020-01-06 and 2021 would fit
    assert pii.text_hits("Styrelsen beslutade detta 2020-01-06.\n\n2021 års verksamhet präglades av omställning.") == []
    assert pii.text_hits("| 2019 | 8 158 000 | 2020-01-06 |\n| 2021 | 9 000 000 | 2022-01-01 |") == []
    refuse_personal_data_across_values({"avvikelser": [{"datum": dt.date(2020, 1, 6),
                                                        "beskrivning": "2021 års budget minskades."}]}, Path("o.yaml"))
    assert pii.text_hits("Mötet 01.08.2020 11:45 och workshop 2022-02-01 08:00-17:00.") == []  # times


def test_a_number_goes_on_as_a_sentence_not_as_a_date():
    """The four digits followed by '. 12' are a sentence's end, not a date going on (2021-05-01)."""
    assert pii.text_hits("Koden 81.12.18-98.76. 12 andra fick ingen.") == [(1, pii.PNR)]


@pytest.mark.parametrize("dash", ["\u02d7", "\u058a", "\u2043", "\u2e3a", "\u301c", "\u30fc"])
def test_a_dash_of_another_script_is_a_dash(dash):
    """A hostile probe: these look like a hyphen and NFKC leaves them be (any check digit, as a dash)."""
    assert pii.value_kind(f"Kund 811218{dash}9875") == pii.PNR


@pytest.mark.parametrize("prose", ["Utfall per 2023-12-31: 1234 deltagare.", "Per 2023-12-31 1234 inskrivna.",
                                   "Utbetalt 2024-05-06 / 2345 kr.", "Beslutet 2021-12-18 -- 2022 års budget.",
                                   "Sista mätningen 2023-12-31\n1234 svar kom in.", "2022-11-30, 1234 deltagare.",
                                   "Statistiken per 2020-10-09 – 7348 ärenden."])
def test_a_date_of_prose_and_a_count_is_not_a_personnummer_unless_its_check_digit_fits(prose):
    """A date written 2023-12-31 followed by a count (a colon, a space, a slash, two dashes or a line
    between) is how reports speak. Only a single dash makes it a personnummer whatever the check
    digit (1981-12-18-9875); otherwise it is one when the check digit fits, as for 1981-12-18 9876."""
    assert pii.text_hits(prose) == []
    assert pii.value_kind("1981-12-18-9875") == pii.PNR and pii.value_kind("1981-12-18 9875") is None
    # a reference report's title page: 05 01 2021 05 are a date and four digits whose check digit fits,
    # but the date would end inside a group and the four digits go on as a date
    assert pii.text_hits("12 MÅNADER 2020-05-01 – 2021-05-01") == [] and pii.luhn_ok("0501202105")
    assert pii.text_hits("Andelar: 81,1, 21,8, 98,7, 6,0") == []  # decimals, grouped as no date is
    assert pii.value_kind("Per 1981-12-18: 9876 deltagare") == pii.PNR


def test_a_date_and_a_count_that_make_a_personnummer_are_refused_saying_how_to_write_them(tmp_path):
    params, target, how, strict = TEXT_INPUTS["text"]
    # 231231 1232, every other digit from the right doubled: 2+6+2+2+1+6+2+2+3+4 = 30, a multiple of 10
    assert pii.luhn_ok("2312311232") and not pii.luhn_ok("2312311234")
    path = _demo_with(tmp_path, target, how, "Per 2023-12-31: 1232 deltagare")
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "demo" / "params" / params)])
    assert result.exit_code == 1 and "1232" not in result.output
    assert "är det ett datum och ett tal, skriv talet med mellanrum, som 1 234, eller ett ord emellan" in result.output
    assert pii.date_shaped("## Läget per 2023-12-31\n\n1232 deltagare") == {1}  # a heading over its paragraph
    assert pii.date_shaped("Den 12.01.21 9848 besökare") == {1}
    # the advice holds: a count written with a space is never read as the last four digits
    assert all(pii.text_hits(f"Per 2023-12-31: {n // 1000} {n % 1000:03} deltagare") == [] for n in range(1000, 10000))


def test_messages_never_quote_personal_data():
    from evaluation.core.errors import InputError, Notice, Violation
    for value in ("811218-9873", "anna@example.se", "070-123 45 67", "81.12.18\u00a09876"):
        assert "[dolt]" in str(InputError(f"'{value}' är inte ett födelseår"))
        assert "[dolt]" in Notice("x.md", 1, f"värdet {value}").describe()
        assert "[dolt]" in Violation(2, "fodelsear", f"'{value}' är fel").describe()
        assert pii.quote(value) == "(värdet visas inte)"


@pytest.mark.parametrize("body, words", [
    ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "anropar sig själv"),
    ("{% for x in [[1]] recursive %}{{ loop([x]) }}{% endfor %}", "anropar sig själv"),
    ("{% if true %}" * 300 + "x" + "{% endif %}" * 300, "nästlad"),
    ("{{ " + "(" * 2000 + "1" + ")" * 2000 + " }}", "nästlad"),
    ("{{ [0] * 10**8 }}", "upprepning"),
    ("{{ 'x'.ljust(10**9) }}", "argument"),
    ("{{ 'x'|center(10**9) }}", "argument"),
    ("{{ '1'.zfill(10**9) }}", "argument"),
    ("{{ '{:>1000000000}'.format(1) }}", "bredd"),
    ("{{ '%1000000000d' % 1 }}", "bredd"),
    ("{{ '%5000000s'|format('a') }}", "bredd"),  # a probe: |format built the string first, of
    ("{{ \"%9000000000s\"|format(\"a\") }}", "bredd"),  # 9 GB here ("Oväntat fel: MemoryError")
    ("{{ ('%' ~ '9' * 8 ~ 'd')|format(1) }}", "bredd"),
    ("{% set ns = namespace(s='xxxxxxxxxx') %}{% for i in range(30) %}{% set ns.s = ns.s.replace('x', 'xx') %}"
     "{% endfor %}", "mer än 1000000"),
    ("{% set ns = namespace(s=['x']) %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
     "sammanfogad"),
    ("{{ lipsum(100000) }}", "okänd variabel 'lipsum'"),
    ("{% for i in range(9000) %}{{ 'x' * 9000 }}{% endfor %}", "mer än 1000000 tecken text"),
])
def test_hostile_template_refused_plainly_with_file_and_line(tmp_path, body, words):
    """Each template resource limit: refused as a TemplateError naming file and line, in a second."""
    params = load_params(write_params(tmp_path))
    (params.data / "texter").mkdir()
    path = params.data / "texter" / "sammanfattning.md"
    path.write_text(f"Inledning.\n\n{body}\n", encoding="utf-8")
    from evaluation.compute import figures
    from evaluation.sections import texts
    start = time.perf_counter()
    with pytest.raises(TemplateError) as err:
        text = sections.LOADERS["texts"](params, {})["sammanfattning"]
        texts.render(text, figures.formatted({"antal.deltagare": 3}))
    assert time.perf_counter() - start < 2
    assert f"{path}, rad 3" in str(err.value) and words in str(err.value)


# -- odd inputs through the command line (issue 18) --------------------------------------------------
def _cli(*args) -> "click.testing.Result":
    result = CliRunner().invoke(main, list(map(str, args)))
    assert "Traceback" not in result.output, result.output
    return result


def _scan_figures(text: str):
    figure = factcheck.Checked("deltagare", ("deltagare",), "count", 12, "12", "antal_deltagare")
    return factcheck.check(text, [figure]), factcheck.redact_hidden(text, [])


@pytest.mark.parametrize("scan, text", [
    (pii.text_hits, "x" * 200_000 + " a.b@kommun.se"),  # a long run before an address: took minutes
    (pii.text_hits, "a@b.se x\n" * 20_000),  # a hit on every line: each line was counted from the start
    (markup.plain_text, "\n" * 100_000 + "*x*"),
    (_scan_figures, "{{ " * 50_000 + "{% " * 50_000 + "<" * 100_000 + "[^" * 50_000 + " 12 deltagare."),
    (textread._TEMPLATE_TAG.findall, "{{ {% " * 50_000),
    (texts._WIDE_FORMAT.search, ":" * 100_000),
], ids=["e-mail", "many-hits", "blank-lines", "figures", "docx-tags", "format-width"])
def test_long_runs_are_scanned_once_not_once_per_character(scan, text):
    """Each of these texts took from half a minute to many minutes (a pattern tried from every
    character scanned the rest of the run again); scanned once they take milliseconds. The
    bound is far above the one and far below the other."""
    started = time.perf_counter()
    scan(text)
    assert time.perf_counter() - started < 3


def test_validate_refuses_year_1_with_file_row_and_column(tmp_path):
    params = write_params(tmp_path)
    rows = [list(r) for r in ROWS]
    rows[1][HEADER.index("startdatum")] = "0001-01-01"
    _register(tmp_path / "data" / "testinsats", rows=rows)
    result = _cli("validate", params)
    assert result.exit_code == 1
    assert "deltagare.csv" in result.output and "rad 3, kolumn 'startdatum'" in result.output
    assert "året 1 är inte rimligt" in result.output and "1900" in result.output


def test_validate_refuses_far_future_date_in_interview(tmp_path):
    params = write_params(tmp_path)
    _register(tmp_path / "data" / "testinsats")
    (tmp_path / "data" / "testinsats" / "intervjuer").mkdir()
    note = tmp_path / "data" / "testinsats" / "intervjuer" / "a.md"
    note.write_text("---\ndatum: 9999-01-01\nroll: personal\n---\nAnteckning.\n", encoding="utf-8")
    result = _cli("validate", params)
    assert result.exit_code == 1 and "a.md" in result.output and "året 9999 är inte rimligt" in result.output


def test_columns_without_a_header_are_named_by_their_place(tmp_path):
    """Separators at the end of every line (a spreadsheet's empty columns) were named 'Unnamed: 13'."""
    params = write_params(tmp_path)
    path = _register(tmp_path / "data" / "testinsats")
    path.write_text(path.read_text(encoding="utf-8").replace("\n", ",,\n"), encoding="utf-8")
    result = _cli("validate", params)
    assert result.exit_code == 0, result.output
    columns = len(HEADER)
    assert (f"Kolumnerna 'kolumn {columns + 1} utan rubrik', 'kolumn {columns + 2} utan rubrik' finns inte i "
            "datakontraktet") in result.output
    assert "Unnamed" not in result.output


def test_ten_thousand_unknown_columns_are_counted_not_listed(tmp_path):
    params = write_params(tmp_path)
    header = HEADER + [f"extra{i}" for i in range(10_000)]
    rows = [list(r) + [""] * 10_000 for r in ROWS]
    _register(tmp_path / "data" / "testinsats", header, rows)
    result = _cli("validate", params)
    assert result.exit_code == 0
    assert "'extra19' … och 9 980 till finns inte i datakontraktet" in result.output
    assert "extra20" not in result.output and len(result.output) < 5_000


def test_long_and_personal_values_are_cut_or_hidden_in_messages(tmp_path):
    params = write_params(tmp_path)
    rows = [list(r) for r in ROWS]
    rows[0][HEADER.index("kon")] = "K" * 5000
    _register(tmp_path / "data" / "testinsats", rows=rows)
    result = _cli("validate", params)
    assert result.exit_code == 1 and "K" * 60 not in result.output and "K" * 59 + "…" in result.output
    rows[0][HEADER.index("kon")] = "anna@example.se"
    _register(tmp_path / "data" / "testinsats", rows=rows)
    result = _cli("validate", params)
    assert result.exit_code == 1 and "rad 2, kolumn 'kon'" in result.output
    assert "anna@" not in result.output and "e-postadress" in result.output


@pytest.mark.slow  # runs the notebook
def test_render_with_long_category_and_personnummer_in_birth_year(tmp_path):
    """One batch: a register whose `delinsats` name is a whole swallowed row renders (file names
    stay short); a personnummer in `fodelsear` fails that report, and neither the message nor
    index.html nor index.json shows the number."""
    good = write_params(tmp_path, insats="lang")
    header = [*HEADER, "delinsats"]
    rows = [[*r, ""] for r in ROWS]
    rows[1][-1] = "Spår " + "x, " * 400
    _register(tmp_path / "data" / "lang", header, rows)
    bad = write_params(tmp_path, insats="pnr")
    rows = [list(r) for r in ROWS]
    rows[2][HEADER.index("fodelsear")] = "900101-1234"  # wrong check digit: still a personnummer
    _register(tmp_path / "data" / "pnr", rows=rows)
    out = tmp_path / "ut"
    result = _cli("render", good, bad, "--out", out)
    assert result.exit_code == 1
    assert "rad 4, kolumn 'fodelsear'" in result.output and "personnummer" in result.output
    assert max(len(p.name) for p in out.rglob("*")) <= 104
    assert (out / "lang" / "2020" / "rapport.html").is_file()
    for text in (result.output, (out / "index.html").read_text(encoding="utf-8"),
                 (out / "index.json").read_text(encoding="utf-8")):
        assert "900101" not in text and "1234" not in text


@pytest.mark.parametrize("kind", sorted(TEXT_VALUES))
def test_every_kind_in_a_survey_answer_refused_and_never_shown(tmp_path, kind):
    value, secrets = TEXT_VALUES[kind]
    description = tmp_path / "avslut.yaml"
    description.write_text("titel: Avslut\nantal_tillfragade: 5\nfragor:\n  q1: {text: Vad var bäst?, typ: fritext}\n",
                           encoding="utf-8")
    answers = tmp_path / "avslut.csv"
    cell = '"' + value.replace('"', '""') + '"'  # quoted: a value may run over two lines
    answers.write_text(f"respondent_id,datum,q1\nR1,2024-03-01,Bra\nR2,2024-03-02,{cell}\n", encoding="utf-8")
    msg = _refused(load_survey, description, answers)
    assert "avslut.csv" in msg and "rad 3, kolumn 'q1'" in msg
    assert all(secret not in msg for secret in (value, *secrets))


@pytest.mark.parametrize("kind", sorted(TEXT_VALUES))
def test_every_kind_in_a_register_free_text_column_refused_and_never_shown(tmp_path, kind):
    value, secrets = TEXT_VALUES[kind]
    header, rows = _with_column("delinsats", {1: value})
    msg = _refused(load_register, _register(tmp_path, header, rows))
    assert "rad 3" in msg and "kolumn 'delinsats'" in msg
    assert all(secret not in msg for secret in (value, *secrets))


@pytest.mark.slow  # runs the render command
def test_render_refuses_personal_data_in_interview_and_keeps_it_out_of_the_index(tmp_path):
    path = _demo_with(tmp_path, "data/kartan/intervjuer/styrgrupp-a.md", "\nCitat från {v}.\n", "Anna 811218-9873")
    out = tmp_path / "ut"
    result = _cli("render", tmp_path / "demo" / "params" / "kartan" / "2025-h1.yaml", "--out", out)
    assert result.exit_code == 1 and f"{path}: filen innehåller personuppgifter" in result.output
    for text in (result.output, (out / "index.html").read_text(encoding="utf-8"),
                 (out / "index.json").read_text(encoding="utf-8")):
        assert "811218" not in text and "9873" not in text and "Anna" not in text


def test_demo_corpus_has_no_false_positives():
    """Every text of the demo (prose with years, dates, amounts, periods) passes the detector."""
    texts = [p for p in DEMO.rglob("*") if p.suffix in (".md", ".yaml")]
    assert len(texts) > 30
    assert {str(p.relative_to(DEMO)): pii.text_hits(p.read_text(encoding="utf-8")) for p in texts
            if pii.text_hits(p.read_text(encoding="utf-8"))} == {}


def test_an_excel_register_read_in_blocks_is_the_register_read_at_once(tmp_path, monkeypatch):
    import datetime as dt

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["deltagar_id", "kon", "startdatum", "fodelsear", "anonym"])
    sheet.append(["D1", "Man ", dt.datetime(2020, 1, 15), 1990, True])
    sheet.append(["D2", "Kvinna", dt.datetime(2020, 2, 1), "1985", 1])  # a year as a text, a flag as a number
    sheet.append(["D3", None, "2020-03-01", 1985.0, False])
    sheet.append(["D4", "Kvinna", dt.datetime(2020, 4, 1), None, 0])
    path = tmp_path / "deltagare.xlsx"
    book.save(path)
    whole = xlsxread.read_xlsx(path, categorical=True)
    monkeypatch.setattr(xlsxread, "BLOCK_ROWS", 1)  # four blocks of one row: each column's blocks differ
    blocks = xlsxread.read_xlsx(path, categorical=True)
    pd.testing.assert_frame_equal(blocks, whole)
    assert blocks["kon"].tolist() == ["Man", "Kvinna", "", "Kvinna"]
    assert list(blocks["kon"].cat.categories) == ["", "Kvinna", "Man"]  # sorted, "" only as there is an empty cell
    assert blocks["startdatum"].tolist() == [dt.date(2020, 1, 15), dt.date(2020, 2, 1), "2020-03-01",
                                             dt.date(2020, 4, 1)]
    assert blocks["fodelsear"].tolist() == ["1990", "1985", "1985", ""]
    assert blocks["anonym"].tolist() == ["True", "1", "False", "0"]  # True and 1 are not the same cell value


def test_an_excel_column_without_a_header_is_read_and_named_by_its_letter(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([None, "deltagar_id", "kon", "startdatum", None, None])  # A and F: no header, nothing in them
    sheet.append([None, "D1", "Kvinna", "2020-01-15", None])
    sheet.append([None, "D2", "Man", "2020-02-01", "811218-9876"])  # E: no header, a personnummer
    path = tmp_path / "deltagare.xlsx"
    book.save(path)
    message = _refused(load_register, path)
    assert "rad 3, kolumn E utan rubrik:" in message and "personnummer" in message
    assert "811218" not in message
    sheet["E3"] = "ringer tillbaka"
    book.save(path)
    assert list(files.read_table(path).frame.columns) == ["deltagar_id", "kon", "startdatum", "kolumn_e_utan_rubrik"]


def test_a_chart_sheet_before_the_register_is_passed_over(tmp_path):
    from openpyxl.chart import BarChart, Reference

    path = tmp_path / "deltagare.xlsx"
    _formula_book(path, cached=None)  # D3 of the register sheet: a formula without its value
    book = openpyxl.load_workbook(path)
    chart = BarChart()
    chart.add_data(Reference(book.active, min_col=4, min_row=1, max_row=3))
    book.create_chartsheet("Diagram", 0).add_chart(chart)
    book.save(path)
    assert files.sheet_names(path) == ("Sheet",)  # a chart sheet holds no cells
    assert "rad 3, kolumn 'alder'" in _refused(load_register, path)  # the register sheet's formula is found
    book["Sheet"]["D3"] = 25
    book.save(path)
    assert load_register(path)["alder"].tolist() == [30, 25]


@pytest.mark.parametrize("written, line, meaning", [
    ("period:\n\tstart: 2020-01-01\n\tslut: 2020-12-31\n", 2, "indragen med tabb"),
    ("namn: 'Steget\n", 1, "citattecken (' eller \") öppnas men stängs aldrig"),
    ("namn: Steget: en insats\n", 1, "ett kolon står där det inte får stå"),
    ("omvarld: [ungvag, hallbarstart\n", 1, "en lista inom [ ] stängs aldrig"),
    ("namn: @steget\n", 1, "ett tecken som YAML reserverar"),
])
def test_a_yaml_mistake_is_explained_in_swedish_with_its_line(tmp_path, written, line, meaning):
    params = write_params(tmp_path)
    kept = "".join(f"{row}\n" for row in params.read_text(encoding="utf-8").splitlines()
                   if not row.startswith(("period:", "namn:", "omvarld:", "  start:", "  slut:")))
    params.write_text(written + kept, encoding="utf-8")
    result = _cli("validate", params)
    assert result.exit_code == 1
    assert f"{params}: ogiltig YAML på rad {line}" in result.output and meaning in result.output
    assert "found" not in result.output and "expected" not in result.output  # PyYAML's English is not shown


def test_a_front_matter_mistake_is_explained_with_the_files_line(tmp_path):
    note = tmp_path / "intervju.md"
    note.write_text("---\nroll: personal\n\tdatum: 2024-01-01\n---\nText.\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"inte giltig YAML på rad 3: raden är indragen med tabb"):
        textread.read_markdown(note)


def test_letters_written_decomposed_and_invisible_characters_read_as_the_value_shown(tmp_path):
    import unicodedata

    def decomposed(text: str) -> str:  # as a Mac or a web form may write å, ä, ö: a letter and a mark
        return unicodedata.normalize("NFD", text)

    header, rows = _with_column("delinsats", {0: "Hälsospåret", 1: decomposed("Hälsospåret")})
    rows[2][HEADER.index("avslutsanledning")] = decomposed("Övrigt")
    rows[3][HEADER.index("kon")] = "\u200bMan\ufeff"  # invisible characters at the ends, as a copied cell may have
    rows[4][HEADER.index("kon")] = "Kv\u200binna"  # and inside: a zero-width space
    rows[4][header.index("delinsats")] = "Hälso\u00adspåret"  # a soft hyphen from Word: still one value
    header = [decomposed({"kon": "Kön", "fodelsear": "Födelseår"}.get(h, h)) for h in header]
    path = tmp_path / "deltagare.csv"
    path.write_text(csv_text(rows, header), encoding="utf-8")
    register = load_register(path)
    assert register["delinsats"].tolist()[:2] == ["Hälsospåret", "Hälsospåret"]  # one value, not two
    assert register["avslutsanledning"].tolist()[2] == "Övrigt"  # allowed: it is the allowed value
    assert register["kon"].tolist()[3:5] == ["Man", "Kvinna"]
    assert register["delinsats"].tolist()[4] == "Hälsospåret"
    note = tmp_path / "texter" / "bakgrund.md"
    note.parent.mkdir()
    note.write_text(decomposed("Insatsen började i Västerås.\n"), encoding="utf-8")
    assert textfiles.read_text(note) == "Insatsen började i Västerås.\n"


def test_control_characters_in_cells_go_and_a_workbook_can_hold_every_value(tmp_path):
    """"Kvinna" with an escape after it was refused as "'Kvinna' är inte tillåtet" (the escape
    unseen), and a sub-insats "Steg" + bell + "et" stopped the Excel writer with an internal error
    (IllegalCharacterError in a sheet name)."""
    from evaluation.renderers.xlsx import sheet_names

    header, rows = _with_column("delinsats", {0: "Steg\x07et", 1: "Steget", 2: "del ett\x0bdel två"})
    rows[3][HEADER.index("kon")] = "Man \x1b"
    path = tmp_path / "deltagare.csv"
    path.write_text(csv_text(rows, header), encoding="utf-8")
    register = load_register(path)
    assert register["delinsats"].tolist()[:3] == ["Steget", "Steget", "del ett\ndel två"]
    assert register["kon"].tolist()[3] == "Man"
    assert sheet_names(["Deltagare per kön – Steg\x07et"]) == ["Deltagare per kön – Steg et"]


@pytest.mark.parametrize("written, read", [
    ("2019-06-01 00:00:00", "2019-06-01"), ("2019-06-01T00:00", "2019-06-01"),  # an export of date cells
    ("2019\u201306\u201301", "2019-06-01"), ("2019\u201006\u201001", "2019-06-01"),  # dashes Word types
    ("2019-06-01 13:05", "har ett klockslag; skriv bara datumet"), ("01.06.2019", "är inte ett datum"),
    ("43617", "är inte ett datum; skriv det som ÅÅÅÅ-MM-DD (t.ex. 2020-05-01); det ser ut som Excels datumnummer"),
])
def test_dates_as_exports_and_word_write_them(tmp_path, written, read):
    import datetime as dt

    rows = [list(r) for r in ROWS]
    rows[0][HEADER.index("startdatum")] = written
    path = tmp_path / "deltagare.csv"
    path.write_text(csv_text(rows, HEADER), encoding="utf-8")
    if read[0].isdigit():
        assert load_register(path)["startdatum"].tolist()[0].date() == dt.date.fromisoformat(read)
    else:
        assert f"rad 2, kolumn 'startdatum': '{written}' {read}" in _refused(load_register, path)


@pytest.mark.parametrize("written, read", [("2019-06-01 00:00", "2019-06-01"), ("2019-06-01 13:05", None)])
def test_a_workbook_date_cell_with_a_time_is_refused_as_the_same_cell_in_csv(tmp_path, written, read):
    """A date cell holding a time of day was read as its date, its time dropped unsaid."""
    import datetime as dt

    rows = [list(r) for r in ROWS]
    rows[0][HEADER.index("startdatum")] = written
    path = tmp_path / "deltagare.xlsx"
    write_xlsx(path, rows)
    if read:
        assert load_register(path)["startdatum"].tolist()[0].date() == dt.date.fromisoformat(read)
    else:
        assert (f"rad 2, kolumn 'startdatum': '{written}' har ett klockslag; skriv bara datumet, ÅÅÅÅ-MM-DD "
                "(i Excel: =HELTAL(cellen)") in _refused(load_register, path)


@pytest.mark.parametrize("escape", ["\\ud800", "\\uDE00", "\\ud83d\\ude00", "\\U0000D800"])
def test_a_yaml_escape_that_writes_half_a_character_is_an_input_error_with_its_line(tmp_path, escape):
    """YAML turns "\\ud83d" into a lone surrogate, which no output can encode: an internal error before."""
    from evaluation.inputs import yamlread

    path = tmp_path / "organisation.yaml"
    written = f'insatsagare: Exempelbygds kommun\nstyrgrupp:\n  - "Chef{escape} arbetsmarknad"\n'
    path.write_text(written, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        yamlread.read_yaml(path)
    first = "\\" + escape.split("\\")[1]  # of two escapes, the message names the first
    assert str(caught.value).startswith(f"{path}, rad 3: koden {first} står för ett halvt tecken")
    # the same text as a character, and the escape in single quotes (where YAML keeps it as text), read
    path.write_text(written.replace(escape, "\U0001f600"), encoding="utf-8")
    assert yamlread.read_yaml(path)["styrgrupp"] == ["Chef\U0001f600 arbetsmarknad"]
    path.write_text(written.replace('"', "'"), encoding="utf-8")
    assert yamlread.read_yaml(path)["styrgrupp"] == [f"Chef{escape} arbetsmarknad"]


def test_half_a_character_in_a_front_matter_names_the_files_line(tmp_path):
    note = tmp_path / "intervju.md"
    note.write_text('---\nroll: personal\nanteckning: "a\\ud800"\n---\nText.\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"intervju.md, rad 3: koden \\ud800 står för ett halvt tecken"):
        textread.read_markdown(note)


@pytest.mark.parametrize("where, how", [("parametrar", "\nbeskrivning: !!binary {v}\n"),
                                        ("organisation", "\nkontakt: !!binary {v}\n"),
                                        ("intervju_huvud", "HEAD:anteckning: !!binary {v}\n")])
def test_a_value_written_as_binary_is_refused_for_no_scan_could_read_it(tmp_path, where, how):
    """!!binary is base64: a personnummer in it passed the scan of what is written, into the report."""
    import base64

    params, target, _, _ = TEXT_INPUTS[where]
    hidden = base64.b64encode("Anna 811218-9876".encode()).decode()
    path = _demo_with(tmp_path, target, how, hidden)
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if hidden in text)
    result = _cli("validate", tmp_path / "demo" / "params" / params)
    assert result.exit_code == 1, result.output
    assert re.search(rf"{re.escape(str(path))}, rad {line}(, nyckeln '\w+')?: värdet är skrivet som !!binary",
                     result.output), result.output  # the key named where the value is a mapping's
    assert hidden not in result.output and "9876" not in result.output


@pytest.mark.parametrize("written, line, kind", [
    ("namn: Steget\nstart: 2024-02-30\n", "2, nyckeln 'start'", "ett datum men finns inte"),
    ("avvikelser:\n  - datum: 2023-09-31\n", "2, nyckeln 'datum'", "ett datum men finns inte"),
    ("tid: 2024-01-01 25:00:00\n", "1, nyckeln 'tid'", "ett datum men finns inte"),
    ("antal: !!int 10:25\n", "1, nyckeln 'antal'", "ett heltal men går inte att läsa som ett"),
    ("antal: !!int tolv\n", "1, nyckeln 'antal'", "ett heltal men går inte att läsa som ett"),
    ("andel: !!float hälften\n", "1, nyckeln 'andel'", "ett tal men går inte att läsa som ett"),
    ("klar: !!bool kanske\n", "1, nyckeln 'klar'", "sant eller falskt men är inget av dem"),
    ("- 2024-02-30\n", "1", "ett datum men finns inte"),  # an item of a list: no key to name
])
def test_a_yaml_value_of_a_form_it_does_not_hold_is_an_input_error_with_its_line(tmp_path, written, line, kind):
    """2024-02-30 is read by YAML as a date, and Python refuses it: 'Oväntat fel: ValueError' before.
    The key is named too (a probe: an interview's 'rad 2' did not say it was its date)."""
    from evaluation.inputs import yamlread

    path = tmp_path / "fil.yaml"
    path.write_text(written, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        yamlread.read_yaml(path)
    assert str(caught.value).startswith(f"{path}, rad {line}: värdet ser ut som {kind}")


def test_yaml_reads_numbers_as_yaml_1_2_not_the_forms_of_yaml_1_1(tmp_path):
    """YAML 1.1 (PyYAML's default) read ``10:25`` as 625 (base 60), and ``8_112_189_876``,
    ``10:25:56:26:4:36`` and ``0b1000…`` as the number 8112189876, which a CSV then showed bare:
    a personnummer no scan of the file had seen. Now they are the text written; ``012`` is 12.
    (Written with the check digit that fits, the first two are refused as a personnummer in a shape
    of its own, as the text they are.)"""
    from evaluation.inputs import yamlread

    path = tmp_path / "fil.yaml"
    path.write_text("a: 10:25\nb: 8_112_189_875\nc: 10:25:56:26:4:35\nd: 0b111100011100111001110011111100100\n"
                    "e: 012\nf: 0x1F\ng: -3\nh: 1.5\ni: 2024-01-03\n", encoding="utf-8")
    read = yamlread.read_yaml(path)
    assert [read[k] for k in "abcd"] == ["10:25", "8_112_189_875", "10:25:56:26:4:35",
                                         "0b111100011100111001110011111100100"]
    assert [read[k] for k in "efgh"] == [12, 31, -3, 1.5] and str(read["i"]) == "2024-01-03"


@pytest.mark.parametrize("written", ["0x1e38631b4", "0o74341430664", "08112189876", "8.112189875e9"])
def test_a_personnummer_written_as_a_yaml_number_of_another_form_is_refused(tmp_path, written):
    """A hostile probe: hex, octal, a leading zero or an exponent passed the line scan and the
    report printed the bare ten digits in every format. (The exponent's check digit is wrong: with
    the right one, the line scan finds its digits first.)"""
    from evaluation.inputs import yamlread

    path = tmp_path / "fil.yaml"
    path.write_text(f"poster:\n  - Ett\n  - {written}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        yamlread.read_yaml(path)
    assert str(caught.value).startswith(f"{path}, poster post 2: talet blir något som ser ut som ett personnummer")
    assert "9876" not in str(caught.value)


def test_a_number_in_yaml_1_1_form_in_the_parameters_is_an_error_not_another_number(tmp_path):
    params = write_params(tmp_path)
    text = params.read_text(encoding="utf-8")
    params.write_text(re.sub(r"(?m)^min_cell:.*$", "min_cell: 1:03", text), encoding="utf-8")
    result = _cli("validate", params)
    assert result.exit_code == 1
    assert "nyckeln 'min_cell': ska vara ett heltal (det står '1:03')" in result.output


def test_a_date_that_does_not_exist_in_the_parameters_or_a_front_matter_names_its_line(tmp_path):
    params = write_params(tmp_path)
    text = params.read_text(encoding="utf-8")
    params.write_text(text.replace("start: 2020-01-01", "start: 2020-02-30"), encoding="utf-8")
    line = next(n for n, row in enumerate(params.read_text(encoding="utf-8").splitlines(), 1) if "2020-02-30" in row)
    result = _cli("validate", params)
    assert result.exit_code == 1 and "Oväntat" not in result.output
    assert f"{params}, rad {line}, nyckeln 'start': värdet ser ut som ett datum men finns inte" in result.output
    note = tmp_path / "intervju.md"
    note.write_text("---\nroll: personal\ndatum: 2024-04-31\n---\nText.\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"intervju.md, rad 3, nyckeln 'datum': värdet ser ut som ett datum men finns inte"):
        textread.read_markdown(note)


# -- a column named twice -------------------------------------------------------------------------------
def test_a_register_column_named_twice_is_refused_naming_both_places(tmp_path):
    """The second 'kon' of a CSV became 'kon.1', warned about as an unknown column; in a workbook the
    second silently replaced the first (its values read as the first column's)."""
    header, rows = _with_column("kon", {1: "Kvinna"})
    rows[3][HEADER.index("avslutsanledning")] = "Ring 811218-9876"
    rows[5][-1] = "Kund 811218-9876"  # in the repeated column: still read, and refused in the same run
    with pytest.raises(ValidationError) as csv_err:
        load_register(_register(tmp_path, header, rows))
    assert str(csv_err.value).startswith(
        f"{tmp_path / 'deltagare.csv'}: 3 fel hittades.\n  - rad 1: kolumnen 'kon' står två gånger, i kolumn 2 och "
        f"{len(header)}. Ta bort den ena, eller ge den ett eget namn, och kör igen.\n")
    assert [(v.row, v.column) for v in csv_err.value.violations] == [(1, None), (5, "avslutsanledning"),
                                                                     (7, f"kolumn nr {len(header)}")]
    assert "9876" not in str(csv_err.value)
    book = tmp_path / "deltagare.xlsx"
    write_xlsx(book, rows, header)
    with pytest.raises(ValidationError) as xlsx_err:
        load_register(book)
    last = openpyxl.utils.get_column_letter(len(header))
    assert f"rad 1: kolumnen 'KÖN' står två gånger, i kolumn B och {last}. " in str(xlsx_err.value)
    assert [(v.row, v.column) for v in xlsx_err.value.violations][2] == (7, f"kolumn {last}")



@pytest.mark.parametrize("name, text, load", [
    ("mal.yaml", "- {long}\n", load_goals),
    ("mal.yaml", "- {{id: a, niva: {long}, text: T, mal: '>= 1', indikator: antal_deltagare}}\n", load_goals),
    ("mal.yaml", "- {{id: a, niva: insatsmal, text: T, mal: '>= 1', delvis: '{long}', indikator: antal_deltagare}}\n",
     load_goals),
    ("organisation.yaml", "personal: {long}\n", load_organisation),
    ("enkat.yaml", "titel: Enkät\nskala: {long}\nfragor: nns-avslut\n", lambda p: load_survey(p, p.with_suffix(".csv"))),
    ("enkat.yaml", "titel: Enkät\nskala: [[{long}], b, c]\nfragor: nns-avslut\n", lambda p: load_survey(p, p.with_suffix(".csv"))),
    ("enkat.yaml", "titel: Enkät\ntopp: {long}\nfragor: nns-avslut\n", lambda p: load_survey(p, p.with_suffix(".csv"))),
    ("enkat.yaml", "titel: Enkät\nordning: {long}\nfragor: nns-avslut\n", lambda p: load_survey(p, p.with_suffix(".csv"))),
    ("enkat.yaml", "titel: Enkät\nfragor: [{long}]\n", lambda p: load_survey(p, p.with_suffix(".csv"))),
])
def test_a_value_of_the_wrong_kind_is_quoted_cut_in_the_message(tmp_path, name, text, load):
    """These messages wrote the value whole (as Python's repr, or in quotes of their own): a
    3 000-character text filled the terminal and the index (and was not checked for an e-mail
    address or phone number)."""
    path = tmp_path / name
    path.write_text(text.format(long="x" * 3000), encoding="utf-8")
    path.with_suffix(".csv").write_text("q1\nMycket\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load(path)
    message = str(err.value)
    assert "x" * 60 not in message and "'" + "x" * 50 in message and "…'" in message and len(message) < 1000


@pytest.mark.parametrize("name, load", [
    ("deltagare.csv", load_register),
    ("matningar.csv", lambda path: load_measurements(path, {}, None)),
])
def test_the_columns_of_a_file_missing_one_are_listed_cut(tmp_path, name, load):
    """A header of 3 000 characters (a row swallowed by an unclosed quote) was listed whole."""
    path = tmp_path / name
    path.write_text(f"deltagar_id,{'x' * 3000},datum\nD1,a,2024-01-01\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load(path)
    message = str(err.value)
    assert f"Kolumner i filen: 'deltagar_id', '{'x' * 59}…', 'datum'." in message and len(message) < 800


_STEGET = "steget/2024-05-01--2025-04-30.yaml"


@pytest.mark.parametrize("kind, what_it_is", [("loop", "en länk till något som inte finns"),
                                              ("pipe", "ingen vanlig fil (en specialfil")])
@pytest.mark.parametrize("target, belongs", [
    ("params/" + _STEGET, "parameterfilen"),
    ("data/steget/enkater/deltagarenkat.csv", "enkätens svar"),
    ("data/steget/enkater/deltagarenkat.yaml", "enkätens beskrivning"),
    ("omvarld/ungvag.md", "projektets text"),
])
def test_an_input_that_is_a_looping_link_or_a_pipe_is_named_for_what_it_is(tmp_path, kind, what_it_is, target, belongs):
    """A link to itself was a traceback for the parameters file (pathlib: "Symlink loop"), and
    the others said the file was missing, or that the omvärld project was not in the library."""
    import os
    import shutil
    shutil.copytree(DEMO, tmp_path / "demo")
    path = tmp_path / "demo" / target
    path.unlink()
    path.symlink_to(path.name) if kind == "loop" else os.mkfifo(path)
    result = _cli("validate", tmp_path / "demo" / "params" / _STEGET)
    assert result.exit_code == 1
    assert f"{path}: finns, men är {what_it_is}" in result.output
    assert f"Lägg {belongs} där som en vanlig fil och kör igen." in result.output


@pytest.mark.parametrize("kind", ["loop", "pipe"])
def test_a_text_that_is_a_looping_link_or_a_pipe_is_noticed_and_left_out_like_a_folder(tmp_path, kind):
    """It was an error saying the file did not exist, where a folder of that name was a notice."""
    import os
    import shutil
    shutil.copytree(DEMO, tmp_path / "demo")
    path = tmp_path / "demo" / "data" / "steget" / "texter" / "bakgrund.md"
    path.unlink()
    path.symlink_to(path.name) if kind == "loop" else os.mkfifo(path)
    result = _cli("validate", tmp_path / "demo" / "params" / _STEGET)
    assert result.exit_code == 0, result.output
    assert f"Varning: {path}: finns, men är " in result.output and "och läses inte" in result.output
    assert "Bakgrund och syfte (texter/bakgrund.md)" in result.output  # among those left out


def test_a_control_character_in_a_survey_question_is_refused_not_quoted_away(tmp_path):
    """The survey reader quotes a flow mapping's texts when PyYAML refuses them (a '?' inside
    '{...}'); a NUL then became an escape, and was dropped without a word."""
    import shutil
    shutil.copytree(DEMO, tmp_path / "demo")
    path = tmp_path / "demo" / "data" / "steget" / "enkater" / "deltagarenkat.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("q2: {text:"))
    lines[at] = lines[at].replace("hjälp", "hj\0älp")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _cli("validate", tmp_path / "demo" / "params" / _STEGET)
    assert result.exit_code == 1
    assert f"{path}: ogiltig YAML på rad {at + 1}: raden innehåller ett osynligt styrtecken (tecken nummer 0)" in result.output


@pytest.mark.parametrize("folder, said", [
    ("data/steget", "nyckeln 'data': {path} finns, men är en länk till något som inte finns. Ange mappen"),
    ("omvarld", "men biblioteksmappen {path} finns, men är en länk till något som inte finns. Skapa den"),
])
def test_a_folder_linked_to_itself_is_named_not_a_traceback(tmp_path, folder, said):
    """Python 3.11's Path.resolve raised RuntimeError ("Symlink loop") for the data folder and
    the omvärld library: an unexpected error."""
    import shutil
    shutil.copytree(DEMO, tmp_path / "demo")
    path = tmp_path / "demo" / folder
    shutil.rmtree(path)
    path.symlink_to(path.name)
    result = _cli("validate", tmp_path / "demo" / "params" / _STEGET)
    assert result.exit_code == 1 and said.format(path=path) in result.output, result.output


@pytest.mark.parametrize("option, name, said", [
    ("--out", "ut", "Ogiltigt värde för --out: {path} finns, men är {what}: ange en mapp."),
    ("--rapport", "problem.xlsx", "Ogiltigt värde för --rapport: {path} finns, men är {what}; ange en Excelfil"),
    ("--mall", "mall.docx", "Ogiltigt värde för --mall: {path} finns, men är {what}; ange en Word-fil (.docx)."),
])
def test_an_option_naming_a_pipe_or_a_looping_link_is_refused_before_anything_runs(tmp_path, option, name, said):
    """A pipe given as --rapport or --mall made the command wait for ever (writing or reading
    it); a looping --out was a traceback."""
    import os
    pipe, loop = tmp_path / f"pipe-{name}", tmp_path / f"loop-{name}"
    os.mkfifo(pipe)
    loop.symlink_to(loop.name)
    params = write_params(tmp_path)
    command = "validate" if option == "--rapport" else "render"
    for path, what in ((pipe, "ingen vanlig fil (en specialfil, som en namngiven pipe)"),
                       (loop, "en länk till något som inte finns")):
        if option == "--mall" and path == loop:
            continue  # click says the file does not exist
        result = _cli(command, params, option, path)
        assert result.exit_code == 2 and said.format(path=path, what=what) in result.output, result.output


@pytest.mark.parametrize("key, shown", [
    ("true", "'true'"), ("2024-01-01", "'2024-01-01'"), ("1", "'1'"), ("''", "''"), ("null", "'null'"),
    ("TITEL", "'TITEL'"), ("'a\u202eb'", "'a[U+202E]b'"),
])
def test_an_unknown_key_of_any_kind_is_named_as_the_file_spells_it(tmp_path, key, shown):
    """YAML reads 'true:', '1:' and '2024-01-01:' as a truth value, a number and a date: the
    parameters said "nyckeln '[1]': ogiltigt värde (Keys should be strings)" (pydantic's English,
    and its place in a list), an empty key was "nyckeln '(filen)'", and the organisation file
    named the key as it had normalised it ('TITEL' as 'titel', '070-123 45 67' as
    '070_123_45_67', which the quoting rule then did not recognise as a phone number). A
    direction override is shown by its code point, not sent to the terminal to turn the line."""
    from evaluation.sections import organisation
    params = write_params(tmp_path)
    params.write_text(params.read_text(encoding="utf-8") + f"{key}: x\n", encoding="utf-8")
    with pytest.raises(ParamsError) as err:
        load_params(params)
    assert f"nyckeln {shown}: okänd nyckel. Tillåtna nycklar: insats, namn," in str(err.value)
    assert "Keys should be strings" not in str(err.value) and "\u202e" not in str(err.value)
    org = tmp_path / "organisation.yaml"
    org.write_text(f"insatsagare: Kommunen\n{key}: x\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        organisation.load_organisation(org)
    assert f"rad 2, nyckeln {shown}: okänd nyckel. Tillåtna nycklar: insatsagare," in str(err.value)


def test_a_phone_number_as_an_unknown_organisation_key_is_not_shown_at_all(tmp_path):
    from evaluation.sections import organisation
    org = tmp_path / "organisation.yaml"
    org.write_text("insatsagare: Kommunen\n070-123 45 67: x\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        organisation.load_organisation(org)
    assert "rad 2, nyckeln (värdet visas inte): okänd nyckel" in str(err.value)
    assert "070" not in str(err.value) and "45_67" not in str(err.value)


def test_direction_marks_and_overrides_go_from_a_cell_and_from_inside_a_personnummer():
    """No Swedish value needs one; an override shows "12" as "21", and one inside a personnummer
    hid it from the detector."""
    from evaluation.inputs.cells import plain, tidy
    assert plain("Man\u202e") == "Man" and tidy("\u2066Kvinna\u2069") == "Kvinna" and plain("1\u200f2") == "12"
    assert pii.looks_like_pnr("811218\u202e-9876")


@pytest.mark.parametrize("change, said", [
    (("topp: 2\n", "topp: 2\ntrue: 1\n"), "nyckeln 'true': okänd nyckel. Tillåtna nycklar: titel,"),
    (("  q1: {text:", "  null: {text:"), "kolumn 'null': frågan 'null' beskrivs i deltagarenkat.yaml"),
    (("  q1: {text:", "  q1: {2024-01-01: x, text:"), "nyckeln 'fragor.q1': okänd nyckel '2024-01-01'. Tillåtna nycklar: text, typ."),
    (("  q1: {text:", f"  {'q' * 200}: {{1: x, text:"), f"nyckeln 'fragor.{'q' * 52}…': okänd nyckel '1'."),
    (("  q1: {text:", '  "q\\u202e1": {text:'), "kolumn 'q[U+202E]1': frågan 'q[U+202E]1' beskrivs"),
])
def test_a_survey_description_names_its_keys_as_written_and_cut(tmp_path, change, said):
    """Its keys were shown as Python spells them ('True', 'None'), a question id was not cut
    (a 200-character id was shown whole), and a column name in a message was not quoted by the rule
    that shows an invisible character."""
    import shutil
    shutil.copytree(DEMO, tmp_path / "demo")
    path = tmp_path / "demo" / "data" / "steget" / "enkater" / "deltagarenkat.yaml"
    text = path.read_text(encoding="utf-8")
    assert change[0] in text
    path.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    result = _cli("validate", tmp_path / "demo" / "params" / _STEGET)
    assert result.exit_code == 1 and said in result.output, result.output
    assert "\u202e" not in result.output and "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq" not in result.output


def test_a_text_file_name_too_long_to_look_up_is_an_input_error(tmp_path):
    """Path.is_file raises for a name the system cannot hold (ENAMETOOLONG), where it returns
    False for a missing file: every text is read through read_text, which now says so."""
    from evaluation.inputs.textfiles import read_text
    with pytest.raises(InputError, match=r"\.md: filen går inte att slå upp \(namnet är för långt\)\. Kontrollera namnet\."):
        read_text(tmp_path / ("x" * 300 + ".md"))


@pytest.mark.parametrize("args, hint", [
    (["validate", "{long}.yaml"], None),
    (["validate", "params/{long}/2024.yaml"], None),
    (["validate", "{params}", "--rapport", "{long}.xlsx"], "--rapport"),
    (["render", "{params}", "--out", "{long}"], "--out"),
    (["render", "--all", "--params-dir", "{long}"], "--params-dir"),
    (["template", "register", "--out", "{long}.xlsx"], "--out"),
    (["overview", "--params-dir", "{long}"], "--params-dir"),
    (["new", "abc", "--period", "2024", "--data-dir", "{long}"], "--data-dir"),
])
def test_a_path_too_long_for_the_system_is_refused_in_words(tmp_path, monkeypatch, args, hint):
    """Each was "OSError: [Errno 36] File name too long" (a traceback, or an unexpected error
    quoting the whole path); `new` had written the parameters file before failing on the data
    folder."""
    monkeypatch.chdir(tmp_path)
    params = write_params(tmp_path)
    long = "p" * 300
    result = _cli(*(a.format(long=long, params=params) for a in args))
    assert result.exit_code in (1, 2) and "Oväntat" not in result.output and long not in result.output
    assert "går inte att slå upp (namnet är för långt)" in result.output, result.output
    if hint:
        assert f"Ogiltigt värde för {hint}: sökvägen '{'p' * 50}" in result.output
    assert not (tmp_path / "params" / "abc").exists()


def test_one_key_written_twice_in_different_case_is_refused_not_one_silently_kept(tmp_path):
    """'Roll: personal' above 'roll: deltagare' in an interview: keys are read ignoring case and
    spaces, and the later one won without a word."""
    from evaluation.sections import organisation
    org = tmp_path / "organisation.yaml"
    org.write_text("Insatsagare: Kommunen\ninsatsagare: Regionen\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        organisation.load_organisation(org)
    assert "rad 2, nyckeln 'insatsagare': samma nyckel som 'Insatsagare' (versaler och mellanslag räknas inte); " \
           "behåll en av dem." in str(err.value)


def test_an_interview_or_omvarld_file_ending_in_capital_md_is_read(tmp_path):
    """'deltagare-x.MD' was passed over without a word (the notices, which compare endings in
    any case, took it for an interview), and an omvärld project 'ungvag.MD' was 'not in the library'."""
    import shutil
    from evaluation.build.report import open_report
    shutil.copytree(DEMO, tmp_path / "demo")
    interviews = tmp_path / "demo" / "data" / "steget" / "intervjuer"
    (interviews / "deltagare-a.md").rename(interviews / "deltagare-x.MD")
    library = tmp_path / "demo" / "omvarld"
    (library / "ungvag.md").rename(library / "ungvag.MD")
    report = open_report(tmp_path / "demo" / "params" / "steget" / "2023-05-01--2024-04-30.yaml")
    assert report.table_map["intervjuer_metod"].frame.iloc[-1]["antal"] == 3  # as with deltagare-a.md
    assert "Ung väg framåt" in [p.namn for p in report.inputs["omvarld"]]


def test_a_workbook_whose_first_sheet_is_hidden_is_refused_naming_it(tmp_path):
    """The first sheet is the one read; hidden (a list of codes, say), the register the user sees
    on the next tab was not read, and the message named columns the user could not find."""
    params = write_params(tmp_path)
    book = openpyxl.Workbook()
    codes = book.active
    codes.title, codes.sheet_state = "Koder", "hidden"
    codes.append(["kod", "betydelse"])
    register = book.create_sheet("Register")
    for row in (HEADER, *ROWS):
        register.append(list(row))
    book.active = 1
    book.save(tmp_path / "data" / "testinsats" / "deltagare.xlsx")
    result = _cli("validate", params)
    assert result.exit_code == 1
    assert "deltagare.xlsx: det första bladet, 'Koder', är dolt i Excel, och det är det bladet som läses." in result.output


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_title_above_the_headers_is_said_with_where_the_headers_are(tmp_path, suffix):
    """A register exported with a title row ('Deltagarregister 2024') and a blank row above its
    headers: the CSV said row 3 had more columns than the header, and the workbook that the required
    columns were missing, listing ten columns 'utan rubrik'. Neither said what to do."""
    params = write_params(tmp_path)
    folder = tmp_path / "data" / "testinsats"
    if suffix == ".csv":
        (folder / "deltagare.csv").write_text("Deltagarregister 2024\n\n" + csv_text(), encoding="utf-8")
        said = f"rad 3 har {len(HEADER)} kolumner, men rubrikraden har 1. Står det en rubrik eller anteckning på första raden?"
    else:
        book = openpyxl.Workbook()
        book.active.append(["Deltagarregister 2024"])
        book.active.append([])
        for row in (HEADER, *ROWS):
            book.active.append(list(row))
        book.save(folder / "deltagare.xlsx")
        said = "Kolumnrubrikerna står på rad 3, men de ska stå på rad 1: ta bort raderna ovanför"
    result = _cli("validate", params)
    assert result.exit_code == 1 and said in result.output, result.output


def test_rows_hidden_in_excel_are_read_and_said(tmp_path):
    """A filter left on hides rows in Excel; they are in the file and were counted without a word
    (an empty hidden row is no row of the register and is not counted)."""
    params = write_params(tmp_path)
    book = openpyxl.Workbook()
    for row in (HEADER, *ROWS):
        book.active.append(list(row))
    for number in (3, 4):
        book.active.row_dimensions[number].hidden = True
    book.active.row_dimensions[300].hidden = True
    book.save(tmp_path / "data" / "testinsats" / "deltagare.xlsx")
    result = _cli("validate", params)
    assert result.exit_code == 0, result.output
    assert ("deltagare.xlsx: 2 rader på bladet är dolda i Excel (för hand, eller av ett filter som står kvar); de "
            "läses och räknas som alla andra rader. Ska de inte med, ta bort dem ur filen.") in result.output


@pytest.mark.parametrize("command", [["render", "--formats", "html"], ["validate", "--rapport", "problem.xlsx"]])
def test_a_parameters_file_linked_to_itself_is_named_by_render_and_the_problem_report(tmp_path, monkeypatch, command):
    """validate named it; render and the problem report resolved the path first, and met Python's
    'Symlink loop' as a traceback."""
    monkeypatch.chdir(tmp_path)
    loop = tmp_path / "params" / "x" / "2024.yaml"
    loop.parent.mkdir(parents=True)
    loop.symlink_to(loop.name)
    result = _cli(command[0], loop, *command[1:], *(["--out", "ut"] if command[0] == "render" else []))
    assert result.exit_code == 1, result.output
    if command[0] == "render":
        assert f"{loop}: finns, men är en länk till något som inte finns" in result.output
    else:
        assert "1 problem skrivna till problem.xlsx" in result.output


# -- a template's variable where nothing is a template ------------------------------------------------
def test_a_variable_in_a_yaml_value_that_is_not_a_template_is_refused_with_file_line_and_key(tmp_path):
    """A survey title '{{ period }}' or a deviation '{{ antal.deltagare }}' was shown as typed:
    only the texts and the goals' text and kommentar are templates. A comment may hold braces."""
    survey = tmp_path / "enkat.yaml"
    survey.write_text("# {{ en kommentar }}\ntitel: Enkät {{ period }}\nantal_tillfragade: 4\n"
                      "fragor:\n  q1: {text: Får du stöd?, typ: skala, skala: [Nej, Ja]}\n", encoding="utf-8")
    (tmp_path / "enkat.csv").write_text("q1\nJa\n", encoding="utf-8")
    with pytest.raises(InputError) as err:  # the flow mapping's '?' is repaired first: refused there too
        load_survey(survey, tmp_path / "enkat.csv")
    assert str(err.value).startswith(f"{survey}, rad 2: nyckeln 'titel': {{{{ … }}}} och {{% … %}} räknas bara")
    organisation = tmp_path / "organisation.yaml"
    organisation.write_text("insatsagare: Kommunen\navvikelser:\n  - {datum: 2020-03-01, beskrivning: '{% if x %}Sent{% endif %}'}\n",
                            encoding="utf-8")
    with pytest.raises(InputError, match=rf"{re.escape(str(organisation))}, rad 3: avvikelser post 1, nyckeln 'beskrivning': "):
        load_organisation(organisation)
    params = write_params(tmp_path, namn='"Insatsen {{ x }}"')
    with pytest.raises(ParamsError, match=r"2020\.yaml, rad 2: nyckeln 'namn': \{\{ … \}\}"):
        load_params(params)


def test_goal_texts_and_comments_may_hold_variables_and_other_goal_keys_may_not(tmp_path):
    goals = tmp_path / "mal.yaml"
    goals.write_text("- {id: a, niva: overgripande, text: 'Minst {{ antal.deltagare }}', status: Uppfyllt, "
                     "kommentar: '{% if true %}Ja{% endif %}'}\n", encoding="utf-8")
    assert [g.id for g in load_goals(goals).goals] == ["a"]
    goals.write_text("- {id: '{{ a }}', niva: overgripande, text: Mål, status: Uppfyllt}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"mal\.yaml, rad 1: post 1, nyckeln 'id': \{\{ … \}\}"):
        load_goals(goals)


def test_a_personnummer_split_over_a_column_header_and_the_cell_under_it_is_refused_never_quoted(tmp_path):
    """A hostile probe: an extra column 'kund 811218' over '-9876' passed, and its warning quoted the
    header, half of the number."""
    from evaluation.inputs.register import load_register

    path = tmp_path / "deltagare.csv"
    for tail, refused in (("-9876", True), ("-9875", False)):
        path.write_text(csv_text([row + [tail] for row in ROWS], HEADER + ["kund 811218"]), encoding="utf-8")
        if refused:
            message = str(pytest.raises(ValidationError, load_register, path).value)
            assert "kolumn nr 14" in message and "kolumnrubriken blir tillsammans med cellen under den" in message
            assert "811218" not in message and "9876" not in message
        else:
            load_register(path)  # a birth date and four digits that are no check digit: an unknown column


@pytest.mark.parametrize("written", [
    "namn:Steget\n\n# Samordningsförbundet som beställt utvärderingen.\n",  # no space after the colon
    "min_cell 3\n\n# Jämförbara projekt ur omvärldsbiblioteket.\nomvarld: []\n",  # no colon
])
def test_a_key_without_its_colon_is_named_by_its_own_line_not_the_next_with_content(tmp_path, written):
    """PyYAML notices a key without its colon at the next token, lines later (here the line after a
    comment, line 4); the message names the line of the key itself."""
    params = write_params(tmp_path)
    kept = "".join(f"{row}\n" for row in params.read_text(encoding="utf-8").splitlines()
                   if not row.startswith(("namn:", "min_cell:", "omvarld:")))
    params.write_text("insats: testinsats\n" + written + kept.replace("insats: testinsats\n", "", 1),
                      encoding="utf-8")
    result = _cli("validate", params)
    assert result.exit_code == 1
    assert f"{params}: ogiltig YAML på rad 2, tecken 1:" in result.output  # was rad 4
    assert (f"{params}: ogiltig YAML på rad 2, tecken 1: nyckeln saknar kolon, eller mellanslaget efter kolon: "
            "skriv 'nyckel: värde' (som 'namn: HOPP')") in result.output
