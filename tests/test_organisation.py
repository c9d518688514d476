"""Organisation (data contract §5): loader, staffing totals, deviations and the section."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import dedent, write_params
from evaluation.build.report import open_report
from evaluation.core.errors import ValidationError
from evaluation.sections import organisation

GOOD = dedent("""
    insatsagare: Testkommunen
    styrgrupp: [Förbundschef, Enhetschef arbetsmarknad]
    samverkansparter: [Arbetsförmedlingen, Försäkringskassan]
    personal:
      - {roll: Processledare, procent: 100, finansiering: Finansierad av förbundet}
      - {roll: Handledare, procent: "50 %", finansiering: Finansierad av förbundet}
      - {roll: Arbetsförmedlare, procent: 20, finansiering: Medfinansierad}
    avvikelser:
      - {datum: 2020-09-01, beskrivning: Lokalbyte.}
      - {datum: 2019-12-01, beskrivning: Före perioden.}
      - {datum: 2020-02-15, beskrivning: Tjänst utökad.}
""")


def write(folder: Path, text: str) -> Path:
    path = folder / "organisation.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def report(tmp_path):
    params = write_params(tmp_path, insatsagare="Kommunen i parametrarna", sektioner="[organisation]")
    write(tmp_path / "data" / "testinsats", GOOD)
    return open_report(params)


# -- loader ------------------------------------------------------------------------------------

def test_loads_every_key(tmp_path):
    org = organisation.load_organisation(write(tmp_path, GOOD))
    assert org.insatsagare == "Testkommunen"
    assert org.styrgrupp == ("Förbundschef", "Enhetschef arbetsmarknad")
    assert [s.procent for s in org.personal] == [100, 50, 20]
    assert org.avvikelser[1] == organisation.Deviation(dt.date(2019, 12, 1), "Före perioden.")


def test_percent_out_of_range_names_file_line_entry_and_key(tmp_path):
    path = write(tmp_path, "personal:\n  - {roll: A, procent: 10, finansiering: F}\n  - {roll: B, procent: 150, finansiering: F}\n")
    with pytest.raises(ValidationError) as err:
        organisation.load_organisation(path)
    message = str(err.value)
    assert str(path) in message
    assert "rad 3, personal post 2, nyckeln 'procent': 150 ligger utanför det tillåtna; ange ett tal från 0 till 100" in message


def test_percent_not_a_number(tmp_path):
    path = write(tmp_path, "personal:\n  - {roll: A, procent: halvtid, finansiering: F}\n")
    with pytest.raises(ValidationError, match=r"personal post 1, nyckeln 'procent': 'halvtid' är inget tal"):
        organisation.load_organisation(path)


def test_missing_financing_names_entry_and_key(tmp_path):
    path = write(tmp_path, "personal:\n  - roll: A\n    procent: 10\n")
    with pytest.raises(ValidationError, match=r"rad 2, personal post 1, nyckeln 'finansiering': krävs men saknas"):
        organisation.load_organisation(path)


def test_bad_deviation_date(tmp_path):
    path = write(tmp_path, "avvikelser:\n  - datum: 16 maj\n    beskrivning: X\n")
    with pytest.raises(ValidationError, match=r"rad 2, avvikelser post 1, nyckeln 'datum': '16 maj' är inte ett datum"):
        organisation.load_organisation(path)


def test_unknown_key_lists_allowed_keys(tmp_path):
    path = write(tmp_path, "insatsagare: X\nstyrgruppen: [A]\n")
    with pytest.raises(ValidationError, match=r"rad 2, nyckeln 'styrgruppen': okänd nyckel. Tillåtna nycklar: insatsagare, styrgrupp"):
        organisation.load_organisation(path)


def test_list_expected(tmp_path):
    path = write(tmp_path, "personal: Processledare 100 %\n")
    with pytest.raises(ValidationError, match=r"rad 1, nyckeln 'personal': här ska stå en lista med poster"):
        organisation.load_organisation(path)


def test_not_a_mapping(tmp_path):
    with pytest.raises(ValidationError, match=r"här ska stå rader 'nyckel: värde', men det står en lista"):
        organisation.load_organisation(write(tmp_path, "- a\n- b\n"))


@pytest.mark.parametrize("text", ["", "# fylls i senare\n", "{}\n"])
def test_an_empty_file_is_said_naming_what_is_left_out(tmp_path, text):
    """An empty organisation.yaml gave 23 tables instead of 26, unsaid."""
    from evaluation.inputs import notices

    path = write(tmp_path, text)
    with notices.collecting() as found:
        org = organisation.load_organisation(path)
    assert org.personal == () and org.styrgrupp == ()
    assert [n.describe() for n in found] == [
        f"Varning: {path}: filen är tom (eller har bara kommentarer), så avsnittet Organisation får inga uppgifter "
        "om insatsägare, styrgrupp, samverkansparter, personal eller avvikelser. Fyll i nycklarna (insatsagare, "
        "styrgrupp, samverkansparter, personal, avvikelser; se docs/indatakontrakt.md, avsnitt 5.5), eller ta bort "
        "filen."]


def test_no_file_is_no_input(tmp_path):
    params = write_params(tmp_path, sektioner="[organisation]")
    assert open_report(params).sections == ()


# -- tables, by hand ---------------------------------------------------------------------------

def test_staffing_totals_by_hand(report):
    frame = report.table("bemanning_summa").frame
    rows = {r["finansiering"]: (r["procent"], r["heltider"]) for _, r in frame.iterrows()}
    assert rows["Finansierad av förbundet"] == (100 + 50, (100 + 50) / 100)
    assert rows["Medfinansierad"] == (20, 20 / 100)
    assert rows["Totalt"] == (100 + 50 + 20, 1.7)
    assert list(rows) == ["Finansierad av förbundet", "Medfinansierad", "Totalt"]


def test_staffing_table_rows(report):
    frame = report.table("bemanning").frame
    assert list(frame.columns) == ["roll", "procent", "finansiering"]  # no organisation given
    assert frame["roll"].tolist() == ["Processledare", "Handledare", "Arbetsförmedlare"]


def test_deviations_in_period_sorted_by_date(report):
    frame = report.table("avvikelser").frame
    assert frame["datum"].tolist() == [dt.date(2020, 2, 15), dt.date(2020, 9, 1)]
    assert frame["beskrivning"].tolist() == ["Tjänst utökad.", "Lokalbyte."]


# -- section -----------------------------------------------------------------------------------

def test_section_lists_and_formats(report):
    html = report.sections[0].to_html()
    assert "<li>Testkommunen</li>" in html  # the file wins over the parameters
    assert "<li>Enhetschef arbetsmarknad</li>" in html and "<li>Försäkringskassan</li>" in html
    assert '<td class="number kort">1,5</td>' in html and '<td class="number kort">0,2</td>' in html
    assert '<td class="number kort">150</td>' in html
    assert html.index("Tjänst utökad.") < html.index("Lokalbyte.") and "Före perioden." not in html


def test_owner_falls_back_to_parameters(tmp_path):
    params = write_params(tmp_path, insatsagare="Kommunen i parametrarna", sektioner="[organisation]")
    write(tmp_path / "data" / "testinsats", "styrgrupp: [Förbundschef]\navvikelser:\n  - {datum: 2018-01-01, beskrivning: X}\n")
    html = open_report(params).sections[0].to_html()
    assert "<li>Kommunen i parametrarna</li>" in html
    assert "Inga avvikelser under perioden." in html


def test_markdown_in_a_value_shown_as_written_is_said_with_its_line(tmp_path):
    """'**utökad**' in a deviation stood in the report with its asterisks, unsaid; a matrix reads Markdown."""
    from evaluation.inputs import notices
    from evaluation.inputs.yamlread import read_yaml

    path = write(tmp_path, "avvikelser:\n  - {datum: 2024-05-16, beskrivning: Tjänsten **utökad**.}\n"
                           "  - {datum: 2024-06-01, beskrivning: 'Se [beslutet](https://exempel.se/beslut).'}\n"
                           "# en kommentar med **fetstil** syns aldrig\nstyrgrupp: [Chef * 2]\n")
    with notices.collecting() as found:
        organisation.load_organisation(path)
        read_yaml(path, markdown=True)  # a matrix: nothing to say
    said = [(n.line, n.message) for n in found]
    assert said == [
        (2, "'**utökad**' visas som det står skrivet: Markdown (fetstil, länkar, kod) läses bara i texterna i "
            "texter/, omvärldsfilerna och matriserna. Skriv utan tecknen, och en länk som adressen (https://…)."),
        (3, "'[beslutet](https://exempel.se/beslut)' visas som det står skrivet: Markdown (fetstil, länkar, kod) "
            "läses bara i texterna i texter/, omvärldsfilerna och matriserna. Skriv utan tecknen, och en länk som "
            "adressen (https://…).")]
