"""Register and follow-up loaders: every accepted format, and every refused input."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from evaluation import InputError, ValidationError
from evaluation.inputs.register import load_followups, load_register

from conftest import HEADER, ROWS, csv_text, write_xlsx

SWEDISH_HEADERS = ["Deltagar_ID", " Kön ", "Födelseår", "Ålder", "Startdatum", "Slutdatum", "Avslutsanledning",
                   "Aktivt_arbetssökande", "Utbildningsnivå", "Tid_i_försörjning", "Försörjning_före",
                   "Försörjning_efter", "Anonym"]


def _summary(frame: pd.DataFrame) -> dict:
    return {
        "rows": len(frame),
        "ended": int(frame["slutdatum"].notna().sum()),
        "first_start": frame["startdatum"].min().date(),
        "d08_age": int(frame.loc[frame["deltagar_id"] == "D08", "alder"].iloc[0]),
        "d03_fore": frame.loc[frame["deltagar_id"] == "D03", "forsorjning_fore"].iloc[0],
        "anonymous": int(frame["anonym"].sum()),
    }


EXPECTED = {"rows": 12, "ended": 9, "first_start": dt.date(2018, 1, 1), "d08_age": 40,
            "d03_fore": ("Försörjningsstöd", "Sjukpenning/Rehabpenning"), "anonymous": 1}


@pytest.mark.parametrize("encoding, sep, header", [
    ("utf-8", ",", HEADER),
    ("utf-8-sig", ",", HEADER),
    ("utf-8", ";", HEADER),
    ("cp1252", ";", SWEDISH_HEADERS),
    ("cp1252", ",", [h.replace("o", "o") for h in HEADER]),
])
def test_csv_encodings_and_separators(tmp_path, encoding, sep, header):
    path = tmp_path / "deltagare.csv"
    path.write_bytes(csv_text(header=header, sep=sep).encode(encoding))
    before = path.read_bytes()
    assert _summary(load_register(path)) == EXPECTED
    assert path.read_bytes() == before  # inputs are never written


def test_xlsx_with_date_cells(tmp_path):
    path = tmp_path / "deltagare.xlsx"
    write_xlsx(path)
    assert _summary(load_register(path)) == EXPECTED


def test_a_a_o_spelling_of_headers(tmp_path):
    path = tmp_path / "deltagare.csv"
    header = [h.replace("kon", "KON") for h in HEADER]
    path.write_text(csv_text(header=header), encoding="utf-8")
    assert len(load_register(path)) == 12


def _write(tmp_path, rows, header=HEADER, sep=","):
    path = tmp_path / "deltagare.csv"
    path.write_text(csv_text(rows=rows, header=header, sep=sep), encoding="utf-8")
    return path


def _one(tmp_path, change: dict, row_index: int = 0) -> str:
    rows = [list(r) for r in ROWS]
    for column, value in change.items():
        rows[row_index][HEADER.index(column)] = value
    with pytest.raises(ValidationError) as err:
        load_register(_write(tmp_path, rows))
    return str(err.value)


@pytest.mark.parametrize("column, value, near", [
    ("kon", "Kvinn", "Kvinna"), ("kon", "kvinan", "Kvinna"), ("forsorjning_fore", "akassa", "A-kassa"),
    ("kon", "Annat", None), ("kon", "x", None),
])
def test_an_unknown_code_names_the_nearest_allowed_one_when_one_is_near(tmp_path, column, value, near):
    msg = _one(tmp_path, {column: value}, row_index=2)
    assert f"rad 4, kolumn '{column}'" in msg
    assert (f"; menade du '{near}'?" in msg) if near else ("menade du" not in msg)


def test_a_suggestion_never_is_nor_answers_personal_data():
    """The nearest code is never quoted for a value a message withholds, nor is a code that is personal data."""
    from evaluation.core.errors import did_you_mean, nearest

    assert nearest("Kvinna 811218-9875", ["Kvinna 811218-9876", "Kvinna"]) is None
    assert nearest("070-123 45 68", ["070-123 45 67"]) is None and nearest("anna@kommun.s", ["anna@kommun.se"]) is None
    assert did_you_mean("Kvinn", ["811218-9876", "Kvinna"]) == "; menade du 'Kvinna'?"
    assert did_you_mean("Kvinna", ["Kvinna"]) == ""


def test_unknown_label_names_row_column_value_and_allowed(tmp_path):
    msg = _one(tmp_path, {"kon": "Annat"}, row_index=2)
    assert "deltagare.csv" in msg and "rad 4" in msg and "kolumn 'kon'" in msg
    assert "'Annat'" in msg and "Kvinna, Man, Uppgift saknas" in msg


def test_personnummer_refused_without_echoing_it(tmp_path):
    for pnr in ("850101-1234", "198501011234", "850101+1234", "8501011234"):
        msg = _one(tmp_path, {"deltagar_id": pnr})
        assert "personnummer" in msg and pnr not in msg and "rad 2" in msg


def test_end_before_start(tmp_path):
    msg = _one(tmp_path, {"slutdatum": "2019-01-01"})
    assert "rad 2" in msg and "slutar 2019-01-01 men börjar 2019-06-01" in msg


def test_ended_without_reason(tmp_path):
    msg = _one(tmp_path, {"avslutsanledning": ""})
    assert "rad 2" in msg and "utan avslutsanledning" in msg and "Arbete" in msg


def test_reason_without_end(tmp_path):
    msg = _one(tmp_path, {"slutdatum": ""})
    assert "rad 2" in msg and "'Arbete' är angiven men slutdatum är tomt" in msg


def test_bad_date(tmp_path):
    msg = _one(tmp_path, {"startdatum": "1/5/2020"})
    assert "rad 2, kolumn 'startdatum'" in msg and "'1/5/2020' är inte ett datum" in msg and "ÅÅÅÅ-MM-DD" in msg


def test_duplicate_enrolment(tmp_path):
    rows = [list(r) for r in ROWS] + [list(ROWS[0])]
    with pytest.raises(ValidationError) as err:
        load_register(_write(tmp_path, rows))
    assert "rad 14, kolumn 'deltagar_id'" in str(err.value) and "(rad 2 och rad 14)" in str(err.value)
    assert "får bara finnas en gång" in str(err.value)


def test_all_violations_reported_together_and_capped(tmp_path):
    rows = [list(r) for r in ROWS * 3]
    for i, r in enumerate(rows):
        r[0] = f"X{i}"
        r[1] = "Okänt"
    with pytest.raises(ValidationError) as err:
        load_register(_write(tmp_path, rows))
    assert len(err.value.violations) == 36
    assert "36 fel hittades" in str(err.value) and "och 16 till" in str(err.value)
    assert "ingen ny rapport har skrivits" in str(err.value)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_personal_data_and_the_other_rows_errors_are_named_in_one_message(tmp_path, suffix):
    """An evaluator's probe: a register with a personnummer and bad dates named the personnummer
    only; the dates came out in the next run, once it was removed."""
    rows = [list(r) for r in ROWS]
    rows[1][HEADER.index("avslutsanledning")] = "Ring 811218-9876"
    rows[3][HEADER.index("utbildningsniva")] = "Doktor"
    rows[5][HEADER.index("kon")] = "Annat"
    path = tmp_path / f"deltagare{suffix}"
    if suffix == ".csv":
        path.write_text(csv_text(rows=rows), encoding="utf-8")
    else:
        write_xlsx(path, rows)
    with pytest.raises(ValidationError) as err:
        load_register(path)
    msg = str(err.value)
    assert [(v.row, v.column.lower()) for v in err.value.violations] == [(3, "avslutsanledning"), (5, "utbildningsniva"),
                                                                        (7, "kön" if suffix == ".xlsx" else "kon")]
    assert "3 fel hittades" in msg and "9876" not in msg and "811218" not in msg
    assert "rad 3, kolumn 'avslutsanledning': innehåller något som ser ut som ett personnummer" in msg
    assert "(Radens andra värden kontrolleras när cellen är rättad.)" in msg
    assert "'Annat' är inte tillåtet" in msg


def test_a_row_left_out_for_personal_data_is_not_checked_again_and_every_row_refused_says_only_that(tmp_path):
    rows = [list(r) for r in ROWS[:2]]
    rows[0][HEADER.index("deltagar_id")] = "811218-9876"
    rows[0][HEADER.index("kon")] = "Annat"  # its other errors wait: the row is left out
    with pytest.raises(ValidationError) as err:
        load_register(_write(tmp_path, rows))
    assert [(v.row, v.column) for v in err.value.violations] == [(2, "deltagar_id")]
    rows[1][HEADER.index("avslutsanledning")] = "Ring 811218-9876"  # every row refused: each says it waits
    with pytest.raises(ValidationError) as err:
        load_register(_write(tmp_path, rows))
    assert [(v.row, v.column) for v in err.value.violations] == [(2, "deltagar_id"), (3, "avslutsanledning")]
    assert str(err.value).count("(Radens andra värden kontrolleras när cellen är rättad.)") == 2


def test_a_column_name_that_is_personal_data_is_named_with_the_other_columns_errors(tmp_path):
    """A probe: a header 'Kund 811218-9876' hid a bad date in another column until it was renamed."""
    rows = [[*r, "x"] for r in ROWS]
    rows[0][HEADER.index("startdatum")] = "igår"
    with pytest.raises(ValidationError) as err:
        load_register(_write(tmp_path, rows, header=[*HEADER, "Kund 811218-9876"]))
    assert [(v.row, v.column) for v in err.value.violations] == [(1, f"kolumn nr {len(HEADER) + 1}"),
                                                                  (2, "startdatum")]
    assert "(Kolumnens värden kontrolleras i övrigt när rubriken är rättad.)" in str(err.value)
    assert "9876" not in str(err.value) and "811218" not in str(err.value)


def test_a_workbook_column_whose_name_is_personal_data_is_named_by_the_letter_excel_shows(tmp_path):
    """A workbook's column named by its place was 'kolumn nr 15': a number Excel shows nowhere, and
    not even the column's place when an empty column stood before it (here N, left out unread)."""
    rows = [[*r, "", "x"] for r in ROWS]
    rows[1][HEADER.index("avslutsanledning")] = "Ring 811218-9876"
    write_xlsx(path := tmp_path / "deltagare.xlsx", rows=rows, header=[*HEADER, None, "Kund 811218-9876"])
    with pytest.raises(ValidationError) as err:
        load_register(path)
    assert [(v.row, v.column) for v in err.value.violations] == [(1, "kolumn O"), (3, "avslutsanledning")]
    assert "rad 1, kolumn O: kolumnrubriken ser ut att vara ett personnummer" in str(err.value)


def _followups_refused(tmp_path, text: str, register=None) -> ValidationError:
    path = tmp_path / "uppfoljning.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        load_followups(path, register)
    assert "9876" not in str(err.value) and "811218" not in str(err.value)
    return err.value


def test_followups_name_personal_data_with_the_other_rows_errors(tmp_path, project):
    reg = load_register(project.parent.parent.parent / "data" / "testinsats" / "deltagare.csv")
    refused = _followups_refused(tmp_path, "deltagar_id,manader_efter_avslut,status,datum,kommentar\n"
                                           "D01,6,Arbete,2020-09-01,Ring 811218-9876\nZ99,6,Arbete,2020-01-01,\n", reg)
    assert [(v.row, v.column) for v in refused.violations] == [(2, "kommentar"), (3, "deltagar_id")]


def test_a_mobile_number_written_without_spaces_is_refused_saying_so(tmp_path):
    """A probe: 0701234567 in a cell was refused as a personnummer only (07-01-23 is a date), puzzling its writer."""
    msg = _one(tmp_path, {"avslutsanledning": "Ring 0701234567"})
    assert ("rad 2, kolumn 'avslutsanledning': innehåller något som ser ut som ett personnummer eller "
            "samordningsnummer, eller ett mobilnummer, som också stoppas här (värdet visas inte)") in msg
    assert "0701234567" not in msg


def test_a_column_whose_name_is_half_a_personnummer_is_named_by_its_place_in_every_problem(tmp_path):
    """A probe: with 'kommentar 811218' | '-9876' as names, the names were refused unquoted, but a
    phone number in the left column was said as in "kolumn 'kommentar 811218'": half the number."""
    refused = _followups_refused(tmp_path, "deltagar_id,manader_efter_avslut,status,kommentar 811218,-9876\n"
                                           "D01,6,Arbete,ring 070-123 45 67,\n")
    assert [(v.row, v.column) for v in refused.violations] == [(1, "kolumn nr 4"), (2, "kolumn nr 4")]


def test_a_required_columns_name_that_is_personal_data_is_said_with_the_column_missing(tmp_path):
    """A probe: 'kon 811218-9876' as a name gave only 'obligatoriska kolumner saknas: kon'."""
    header = [h if h != "kon" else "kon 811218-9876" for h in HEADER]
    with pytest.raises(ValidationError) as err:
        load_register(_write(tmp_path, ROWS, header=header))
    message = str(err.value)
    assert [(v.row, v.column) for v in err.value.violations] == [(None, None), (1, "kolumn nr 2")]
    assert message.startswith(f"{tmp_path / 'deltagare.csv'}: 2 fel hittades.\n  - obligatoriska kolumner saknas: kon.")
    assert "kolumnrubriken ser ut att vara ett personnummer" in message and "9876" not in message
    # a file of names only, one of them personal data: said as that, not as a register without rows
    _write(tmp_path, [], header=header)
    with pytest.raises(ValidationError) as err:
        load_register(tmp_path / "deltagare.csv")
    assert [(v.row, v.column) for v in err.value.violations] == [(1, "kolumn nr 2")]


def test_missing_required_column(tmp_path):
    header = [h if h != "startdatum" else "start" for h in HEADER]
    with pytest.raises(InputError, match="obligatoriska kolumner saknas: startdatum"):
        load_register(_write(tmp_path, ROWS, header=header))


def test_empty_and_binary_files(tmp_path):
    empty = tmp_path / "deltagare.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="filen är tom"):
        load_register(empty)
    header_only = tmp_path / "h.csv"
    header_only.write_text(",".join(HEADER) + "\n")
    with pytest.raises(InputError, match="har ännu inga deltagare, bara rubrikraden"):
        load_register(header_only)
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(InputError, match="ingen textfil"):
        load_register(binary)
    broken = tmp_path / "x.xlsx"
    broken.write_bytes(b"not a workbook")
    with pytest.raises(InputError, match="kan inte öppnas som en Excel-arbetsbok"):
        load_register(broken)


def test_followups_must_belong_to_register(tmp_path, project):
    reg = load_register(project.parent.parent.parent / "data" / "testinsats" / "deltagare.csv")
    path = tmp_path / "uppfoljning.csv"
    path.write_text("deltagar_id,manader_efter_avslut,status,datum\nZ99,6,Arbete,2020-01-01\nD02,6,Arbete,\nD01,6,Okänd,\n")
    with pytest.raises(ValidationError) as err:
        load_followups(path, reg)
    msg = str(err.value)
    assert "rad 2" in msg and "'Z99' finns inte i deltagarregistret" in msg
    assert "rad 3" in msg and "ingen avslutad inskrivning" in msg  # D02 is ongoing and has no datum
    assert "rad 4" in msg and "'Okänd' är inte tillåtet" in msg and "Ej nådd" in msg


def test_an_emoji_in_a_printed_label_is_said_with_its_first_row_and_the_label_kept(tmp_path):
    """An emoji in a sub-project's name was an empty box in the PDF's tables and headings, unsaid."""
    from evaluation.inputs import notices

    rows = [[*r, ("Spår 🚀" if i in (2, 4) else "Hälsospåret")] for i, r in enumerate(ROWS)]
    path = _write(tmp_path, rows, header=[*HEADER, "delinsats"])
    with notices.collecting() as found:
        frame = load_register(path)
    assert [n.describe() for n in found] == [
        f"Varning: {path}: kolumnen 'delinsats' innehåller tecknet 🚀 (U+1F680), första gången på rad 4, som "
        "rapportens typsnitt saknar: de blir tomma rutor i tabellerna och rubrikerna i PDF:en. Skriv namnet med ord "
        "i registret, samma varje gång."]
    assert (frame["delinsats"] == "Spår 🚀").sum() == 2  # ROWS[2] is row 4 of the file (after the header)


def test_personal_data_on_a_sheet_that_is_not_read_is_refused_by_sheet_and_cell(tmp_path):
    """A key from codes to personnummer on a second (even hidden) sheet was handed on with the
    file unsaid; only the notice 'bara det första bladet lästes' named the sheet."""
    import openpyxl

    path = tmp_path / "deltagare.xlsx"
    write_xlsx(path)
    book = openpyxl.load_workbook(path)
    key = book.create_sheet("Nyckel")
    key.append(["kod", "pnr", "kontakt"])
    key.append(["D01", "811218-9876", "anna@kommun.se"])
    key.append(["D02", 8112189876, "070-123 45 67"])  # a number cell, read as its digits
    key.sheet_state = "hidden"
    book.create_sheet("Anteckningar").append(["Inga personuppgifter här", 2024, 12.5])
    book.save(path)
    with pytest.raises(InputError) as err:
        load_register(path)
    message = str(err.value)
    assert message.startswith(f"{path}: arbetsboken har personuppgifter utanför tabellen som läses (värdena visas "
                              "inte): bladet 'Nyckel', cell B2: ett personnummer eller samordningsnummer; bladet "
                              "'Nyckel', cell C2: en e-postadress; bladet 'Nyckel', cell B3: ett personnummer eller "
                              "samordningsnummer; bladet 'Nyckel', cell C3: ett telefonnummer.")
    assert "9876" not in message and "anna" not in message and "Anteckningar" not in message


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_personnummer_split_over_two_cells_side_by_side_is_refused_by_row_and_columns(tmp_path, suffix):
    """A hostile probe: 'Kund 811218' and '-9876' in two columns the contract does not know (not
    read, but in the file that is handed on) each passed the check of its cell."""
    rows = [[*r, "", ""] for r in ROWS]
    rows[1][-2:] = ["Kund 811218", "-9876"]
    header = [*HEADER, "anteckning", "fortsattning"]
    if suffix == ".csv":
        path = _write(tmp_path, rows, header=header)
    else:
        write_xlsx(path := tmp_path / "deltagare.xlsx", rows=rows, header=header)
    with pytest.raises(InputError) as err:
        load_register(path)
    assert ("rad 3, kolumn 'anteckning': blir tillsammans med cellen bredvid, i kolumnen 'fortsattning', något som ser "
            "ut som ett personnummer eller samordningsnummer (värdena visas inte)") in str(err.value)
    assert "9876" not in str(err.value) and "811218" not in str(err.value)


def test_a_personnummer_in_a_cells_comment_is_refused_unquoted(tmp_path):
    """A note on a cell ('Anna, 811218-9876') is never read into the report, but travels with the file."""
    import openpyxl
    from openpyxl.comments import Comment

    path = tmp_path / "deltagare.xlsx"
    write_xlsx(path)
    book = openpyxl.load_workbook(path)
    book.active["A2"].comment = Comment("Anna, 811218-9876", "handläggare")
    book.save(path)
    with pytest.raises(InputError) as err:
        load_register(path)
    assert str(err.value).startswith(f"{path}: arbetsboken har personuppgifter utanför tabellen som läses (värdena "
                                     "visas inte): en kommentar i arbetsboken: ett personnummer eller "
                                     "samordningsnummer.") and "9876" not in str(err.value)


_SHEET_PLACES = "bladet 'Sheet': sidhuvudet, sidfoten, en listruta eller dess meddelanden (Data → Dataverifiering) eller en länk"


@pytest.mark.parametrize("change, place", [
    ("name", "ett namn i arbetsboken (Formler → Namnhanteraren)"),  # a name 'Anna' for the text 811218-9876
    ("format", "ett talformat i arbetsboken som skriver fyra siffror efter talet"),  # 811218 shown as 811218-9876
    ("properties", "arbetsbokens egenskaper (Arkiv → Info: titel, ämne, taggar, författare …)"),  # the subject
    ("header", _SHEET_PLACES),
    ("list", _SHEET_PLACES),
    ("list prompt", _SHEET_PLACES),  # the message Excel shows when the cell is chosen
    ("link", _SHEET_PLACES),  # a cell's link to https://…?id=811218-9876
    ("link tooltip", _SHEET_PLACES),
    ("currency format", "ett talformat i arbetsboken som skriver fyra siffror efter talet"),  # 0\-[$9876-41D]
    ("table name", "ett tabellnamn eller en cellformatmall i arbetsboken"),
    ("style name", "ett tabellnamn eller en cellformatmall i arbetsboken"),
    ("comment author", "en kommentar i arbetsboken"),
    ("sheet names", "bladens namn (ett namn, eller två flikar intill varandra)"),  # 'Blad 811218' and '-9876'
])
def test_a_personnummer_in_a_defined_name_a_number_format_or_the_properties_is_refused_unquoted(tmp_path, change, place):
    import openpyxl
    from openpyxl.workbook.defined_name import DefinedName

    path = tmp_path / "deltagare.xlsx"
    write_xlsx(path)
    book = openpyxl.load_workbook(path)
    if change == "name":
        book.defined_names["Anna"] = DefinedName("Anna", attr_text='"811218-9876"')
    elif change == "format":
        book.active["H2"] = 811218
        book.active["H2"].number_format = '0"-9876"'
    elif change == "properties":
        book.properties.subject = "Uppföljning av 811218-9876"
    elif change == "header":
        book.active.oddHeader.center.text = "Utskrift 811218-9876"
    elif change.startswith("list"):
        from openpyxl.worksheet.datavalidation import DataValidation
        choices = (DataValidation(type="list", formula1='"811218-9876,Ingen"') if change == "list" else
                   DataValidation(type="list", formula1='"Ja,Nej"', prompt="Gäller 811218-9876", showInputMessage=True))
        book.active.add_data_validation(choices)
        choices.add("H2")
    elif change.startswith("link"):
        book.active["H2"] = "Se ärendet"
        book.active["H2"].hyperlink = "https://example.se/?id=" + ("811218-9876" if change == "link" else "1")
        if change == "link tooltip":
            book.active["H2"].hyperlink.tooltip = "Ärende 811218-9876"
    elif change == "currency format":
        book.active["H2"] = 811218
        book.active["H2"].number_format = r'0\-[$9876-41D]'
    elif change == "table name":
        from openpyxl.worksheet.table import Table
        book.active["J1"], book.active["J2"] = "Nyckel", "x"
        book.active.add_table(Table(displayName="Kund811218_9876", ref="J1:J2"))
    elif change == "style name":
        from openpyxl.styles import NamedStyle
        book.add_named_style(NamedStyle(name="Stil 811218-9876"))
        book.active["H2"].style = "Stil 811218-9876"
    elif change == "comment author":
        from openpyxl.comments import Comment
        book.active["A2"].comment = Comment("Kolla detta", "811218-9876")
    else:
        book.create_sheet("Blad 811218")
        book.create_sheet("-9876")
    book.save(path)
    with pytest.raises(InputError) as err:
        load_register(path)
    assert str(err.value).startswith(f"{path}: arbetsboken har personuppgifter utanför tabellen som läses (värdena "
                                     f"visas inte): {place}: ett personnummer eller samordningsnummer.")
    assert "9876" not in str(err.value)


def test_a_workbook_whose_other_sheets_hold_no_personal_data_is_read(tmp_path):
    import openpyxl

    path = tmp_path / "deltagare.xlsx"
    write_xlsx(path)
    book = openpyxl.load_workbook(path)
    book.create_sheet("Anteckningar").append(["Export 2024-05-01", 2024, 12.5, "D0001"])
    book.save(path)
    assert len(load_register(path)) == len(ROWS)


def test_an_empty_first_sheet_before_the_register_names_the_sheets_and_says_to_move_it(tmp_path):
    """Was 'deltagarregistret har ännu inga deltagare, bara rubrikraden': there is no header row on
    the first sheet, and the register is filled in on the second."""
    import openpyxl

    path = tmp_path / "deltagare.xlsx"
    write_xlsx(path)
    book = openpyxl.load_workbook(path)
    book.active.title = "Register"
    book.create_sheet("Blad1", 0)
    book.save(path)
    with pytest.raises(InputError) as err:
        load_register(path)
    assert str(err.value) == (
        f"{path}: det första bladet, 'Blad1', är tomt, och det är det första bladet som läses; bladet 'Register' "
        f"({len(ROWS) + 1} rader med innehåll) har uppgifter. Flytta bladet med tabellen först (dra dess flik längst "
        "till vänster) eller ta bort det tomma bladet 'Blad1', spara och kör igen.")
    assert "bara rubrikraden" not in str(err.value)


def test_a_workbook_with_nothing_on_any_sheet_is_still_said_to_have_no_participants(tmp_path):
    import openpyxl

    path = tmp_path / "deltagare.xlsx"
    book = openpyxl.Workbook()
    book.create_sheet("Blad2")
    book.save(path)
    with pytest.raises(InputError, match="har ännu inga deltagare"):
        load_register(path)


def test_a_missing_exit_reason_column_is_one_problem_naming_the_columns_not_read(tmp_path):
    """A new evaluator named the column 'Avslutsorsak': 22 identical row errors said the register
    lacked 'avslutsanledning', and nothing said that 'Avslutsorsak' was there and not read."""
    header = [h if h != "avslutsanledning" else "Avslutsorsak" for h in HEADER]
    with pytest.raises(ValidationError) as err:
        load_register(_write(tmp_path, ROWS, header=header))
    ended = [r for r in ROWS if r[HEADER.index("slutdatum")]]  # 9 of the 12 rows have a slutdatum
    assert len(ended) == 9
    assert [(v.row, v.column) for v in err.value.violations] == [(None, None)]
    assert ("registret saknar kolumnen 'avslutsanledning', men 9 rader har slutdatum (den första är rad 2). Lägg "
            "till kolumnen med anledningen för varje avslutad inskrivning; kolumner i filen som inte läses: "
            "'Avslutsorsak'. Står anledningen i en av dem, byt rubriken till avslutsanledning") in str(err.value)


def test_a_workbook_whose_first_sheet_is_not_the_register_says_which_sheet_is_read(tmp_path):
    """A new evaluator dragged the template's 'Instruktioner' sheet first: "obligatoriska kolumner
    saknas", listing the instructions' cells as columns, and no word of the sheets."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Instruktioner"
    for line in ("Deltagarregister (datakontraktet avsnitt 2)", "En rad per inskrivning.", "Kolumner: se nedan."):
        book.active.append([line])  # as the template's instructions
    register = book.create_sheet("Deltagare")
    for row in [HEADER, *ROWS]:
        register.append(row)
    book.save(path := tmp_path / "deltagare.xlsx")
    with pytest.raises(InputError) as err:
        load_register(path)
    assert ("obligatoriska kolumner saknas: deltagar_id, kon, startdatum. Arbetsboken har bladen 'Instruktioner', "
            "'Deltagare', och det första, 'Instruktioner', är det som läses: står registret på ett annat blad, dra det "
            "först (eller ta bort bladet före) och spara.") in str(err.value)
