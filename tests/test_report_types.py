"""Report types (``rapporttyp``): each decides its sections, and never fails for lack of an input it does not need."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from conftest import dedent, write_params
import evaluation
from evaluation.build.report import open_report
from evaluation.core.errors import InputError
from evaluation.inputs.params import SECTIONS
from evaluation.sections import registry as sections, slutrapport

DEMO_PARAMS = Path(evaluation.__file__).parent / "demo" / "params"

# Period 2022-01-01 – 2024-12-31. Men: U1, U2, U3 (twice); women: U4, U5. Hälsospåret: U2, U5.
REGISTER = """deltagar_id,kon,fodelsear,startdatum,slutdatum,avslutsanledning,delinsats
U1,Man,2000,2022-02-01,2022-10-31,Arbete,
U2,Man,2001,2022-05-01,2023-04-30,Studier,Hälsospåret
U3,Man,1999,2023-01-15,2023-06-30,Sjukdom,
U3,Man,1999,2024-01-15,2024-09-30,Arbete,
U4,Kvinna,2002,2023-03-01,2024-02-29,Fortsatt rehabilitering,
U5,Kvinna,2003,2024-03-01,2024-12-20,Studier,Hälsospåret
"""
ORGANISATION = dedent("""
    personal:
      - {roll: Insatsansvarig, procent: 100, finansiering: Finansierad}
      - {roll: Specialpedagog, procent: 50, finansiering: Medfinansierad}
    avvikelser:
      - {datum: 2021-12-01, beskrivning: Före insatsen}
      - {datum: 2023-05-16, beskrivning: Ungdomscoach utökad till 40 %.}
""")
GOALS = dedent("""
    - id: deltagare
      niva: insatsmal
      text: Minst fem unga deltar.
      mal: ">= 5"
      indikator: antal_deltagare
""")
MATRIX = "titel: Prioriteringar\ntyp: rangordning\nposter: [Samverkan, Ledtider]\n"


def write_texts(data: Path, ids) -> None:
    folder = data / "texter"
    folder.mkdir(parents=True, exist_ok=True)
    for section_id in ids:
        (folder / f"{section_id}.md").write_text(f"Text för {section_id}.\n", encoding="utf-8")


def data_of(tmp_path: Path) -> Path:
    return tmp_path / "data" / "testinsats"


def ids(report) -> list[str]:
    return [s.id for s in report.sections]


# -- registry --------------------------------------------------------------------------------------
@pytest.mark.parametrize("report_type", list(sections.DEFAULT_SECTIONS))
def test_every_default_section_has_a_title_and_a_builder(report_type):
    for section_id in sections.DEFAULT_SECTIONS[report_type]:
        assert section_id in SECTIONS and section_id in sections.TITLES
        assert section_id in sections.BUILDERS, f"no builder for '{section_id}'"


def test_slutrapport_follows_the_form_order():
    assert list(sections.DEFAULT_SECTIONS["slutrapport"]) == [
        "uppgifter", "resurser", "syfte", "mal", "insatstid", "malgrupp", "deltagare",
        "matningar", "samverkan", "samhallsnytta",  # only with matningar.csv or kostnader.yaml (issue 17)
        "metod", "implementering", "avvikelser", "reflektioner", "underskrift",
    ]


# -- arsrapport ------------------------------------------------------------------------------------
def test_arsrapport_shows_its_sections_with_input(tmp_path):
    path = write_params(tmp_path, slug="2024", period="{start: 2024-01-01, slut: 2024-12-31}")
    (data_of(tmp_path) / "deltagare.csv").write_text(REGISTER, encoding="utf-8")
    write_texts(data_of(tmp_path), ["sammanfattning"])
    report = open_report(path)
    assert ids(report) == ["sammanfattning", "resultat", "delinsatser", "trend"]
    default = sections.DEFAULT_SECTIONS["arsrapport"]
    assert [default.index(i) for i in ids(report)] == sorted(default.index(i) for i in ids(report))


# -- slutrapport -----------------------------------------------------------------------------------
@pytest.fixture
def final_report(tmp_path):
    path = write_params(
        tmp_path, slug="2022-2024", rapporttyp="slutrapport", diarienummer="'2021:13'",
        period="{start: 2022-01-01, slut: 2024-12-31}", insatsagare="Testkommunen",
        samverkansparter="[Arbetsförmedlingen, Region Test]",
    )
    data = data_of(tmp_path)
    (data / "deltagare.csv").write_text(REGISTER, encoding="utf-8")
    (data / "organisation.yaml").write_text(ORGANISATION, encoding="utf-8")
    (data / "mal.yaml").write_text(GOALS, encoding="utf-8")
    write_texts(data, ["syfte", "malgrupp", "metod", "implementering", "reflektioner"])
    return open_report(path)


def test_slutrapport_has_every_form_section_in_order(final_report):
    without = ("matningar", "samverkan", "samhallsnytta")  # no measurements or costs in this report
    assert ids(final_report) == [s for s in sections.DEFAULT_SECTIONS["slutrapport"] if s not in without]


def test_slutrapport_participant_sentences_by_hand(final_report):
    html = next(s for s in final_report.sections if s.id == "deltagare").to_html()
    # 5 people: U1, U2, U3 men (U3 twice), U4, U5 women; Hälsospåret: U2 (man), U5 (woman)
    assert "I insatsen har 5 personer deltagit, varav 3 män och 2 kvinnor." in html
    assert "I Hälsospåret har 2 personer deltagit, varav 1 man och 1 kvinna." in html
    assert "tabell-deltagare_kon" in html and "tabell-delinsatser" in html


def test_slutrapport_form_fields(final_report):
    html = {s.id: s.to_html() for s in final_report.sections}
    assert "2021:13" in html["uppgifter"] and "Hälsospåret" in html["uppgifter"]
    assert "2022-01-01" in html["insatstid"] and "2024-12-31" in html["insatstid"]
    assert "tabell-bemanning" in html["resurser"]
    assert "Ungdomscoach utökad" in html["avvikelser"] and "Före insatsen" not in html["avvikelser"]
    assert "Text för syfte." in html["syfte"] and "Text för reflektioner." in html["reflektioner"]
    signatures = html["underskrift"]
    for party in ("Insatsägare: Testkommunen", "Samverkanspart: Arbetsförmedlingen", "Samverkanspart: Region Test"):
        assert party in signatures
    for line in slutrapport.SIGNATURE_LINES:
        assert signatures.count(f">{line}<") == 3


def test_slutrapport_without_register_is_refused_and_without_organisation_leaves_sections_out(tmp_path):
    path = write_params(tmp_path, slug="2022-2024", rapporttyp="slutrapport",
                        period="{start: 2022-01-01, slut: 2024-12-31}", insatsagare="Testkommunen")
    write_texts(data_of(tmp_path), ["syfte"])
    with pytest.raises(InputError, match=r"deltagarregistret saknas.*visar avsnittet 'Deltagare'"):
        open_report(path)
    path = write_params(tmp_path, slug="2022-2024", rapporttyp="slutrapport",
                        period="{start: 2022-01-01, slut: 2024-12-31}", insatsagare="Testkommunen",
                        sektioner="[uppgifter, resurser, syfte, insatstid, avvikelser, underskrift]")
    assert ids(open_report(path)) == ["uppgifter", "syfte", "insatstid", "underskrift"]


def test_participants_sentence_wording():
    assert slutrapport.participants_sentence("insatsen", {"Totalt": 1, "Kvinna": 1}) == "I insatsen har 1 person deltagit."
    assert (slutrapport.participants_sentence("X", {"Totalt": 1234, "Man": 1000, "Kvinna": 230, "Uppgift saknas": 4})
            == "I X har 1\xa0234 personer deltagit, varav 1\xa0000 män, 230 kvinnor och 4 personer utan uppgift om kön.")
    # a sentence never reads "..": a hidden breakdown is left out (the table shows it hidden), a
    # hidden total is said so (a reviewer read "varav .. män, .. kvinnor och .. personer utan uppgift")
    assert (slutrapport.participants_sentence("Y", {"Totalt": 12, "Man": "..", "Kvinna": ".."})
            == "I Y har 12 personer deltagit.")
    assert (slutrapport.participants_sentence("Y", {"Totalt": 12, "Man": 10, "Kvinna": ".."})
            == "I Y har 12 personer deltagit.")
    assert (slutrapport.participants_sentence("Z", {"Totalt": "..", "Man": ".."})
            == "Antalet som deltagit i Z visas inte, för att skydda enskilda personer.")


# -- processkartlaggning ---------------------------------------------------------------------------
def test_processkartlaggning_needs_no_register(tmp_path):
    path = write_params(tmp_path, slug="2025-h1", rapporttyp="processkartlaggning",
                        period="{start: 2025-01-01, slut: 2025-06-30}")
    data = data_of(tmp_path)
    (data / "matriser").mkdir()
    (data / "matriser" / "prio.yaml").write_text(MATRIX, encoding="utf-8")
    write_texts(data, ["sammanfattning", "bakgrund", "slutsatser", "rekommendationer"])
    report = open_report(path)
    assert report.inputs["register"] is None
    assert ids(report) == ["sammanfattning", "bakgrund", "matriser", "slutsatser", "rekommendationer"]
    assert [t.id for t in report.tables] == ["matris_prio"]


def test_a_register_section_asked_for_without_a_register_is_an_error(tmp_path):
    path = write_params(tmp_path, rapporttyp="processkartlaggning", sektioner="[resultat, effekter, trend, deltagare, matriser]")
    (data_of(tmp_path) / "matriser").mkdir()
    (data_of(tmp_path) / "matriser" / "prio.yaml").write_text(MATRIX, encoding="utf-8")
    with pytest.raises(InputError) as err:
        open_report(path)
    message = str(err.value)
    assert message.startswith(f"{data_of(tmp_path).resolve()}: deltagarregistret saknas")
    assert "'Resultat', 'Effekter över tid', 'Utveckling över perioder', 'Deltagare'" in message


# -- demo ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("period", ["2025-h1", "2025-h2"])
def test_demo_kartan(period):
    report = open_report(DEMO_PARAMS / "kartan" / f"{period}.yaml")
    assert report.params.rapporttyp == "processkartlaggning" and report.inputs["register"] is None
    assert "matriser" in ids(report)
    kinds = {m.typ for m in report.inputs["matrices"]}
    assert kinds == {"matris", "rangordning", "lista"}


def test_demo_ungkraft_final_report():
    report = open_report(DEMO_PARAMS / "ungkraft" / "2022-2024.yaml")
    assert report.params.rapporttyp == "slutrapport"
    for section_id in ("syfte", "malgrupp", "implementering", "reflektioner", "deltagare", "underskrift"):
        assert section_id in ids(report)


def test_tabeller_holds_the_tables_the_report_shows_and_the_contracts_not_a_sub_insats_result_it_does_not_show():
    """A förbund's reviewer subtracted a slutrapport's tabeller/resultat_halsosparet.csv, a table the
    slutrapport does not show, from the yearly reports, and got every hidden cell of Hälsospåret."""
    from evaluation.build.report import open_report
    from evaluation.renderers import csv

    demo = Path(__file__).resolve().parent.parent / "evaluation" / "demo" / "params"
    doc = open_report(demo / "ungkraft" / "2022-2024.yaml").document
    computed, written = {t.id for t in doc.tables}, {t.id for t in csv.written(doc)}
    assert {"resultat_halsosparet", "resultat", "avslutsanledning_kon"} <= computed
    assert not {"resultat_halsosparet", "resultat", "avslutsanledning_kon"} & written  # not shown: not written
    assert {"deltagare_kon", "mal"} <= written  # shown (the goals by level, as mal.csv)
    assert {t.id for t in doc.shown_tables} & computed <= written


def test_excels_contents_give_the_goal_sheets_the_id_of_their_csv(tmp_path):
    """A förbund's reviewer: the three goal sheets (the goals by level) had no id on the contents
    sheet, although tabeller/mal.csv holds them (its column niva)."""
    import openpyxl

    from evaluation.renderers import xlsx

    demo = Path(__file__).resolve().parent.parent / "evaluation" / "demo" / "params"
    xlsx.write(open_report(demo / "ungkraft" / "2023.yaml").document, tmp_path)
    rows = list(openpyxl.load_workbook(tmp_path / "tabeller.xlsx")["Innehåll"].iter_rows(min_row=4, values_only=True))
    goals = [row[2] for row in rows if row[1].endswith("målvärde och utfall")]
    assert goals == ["mal", "mal", "mal"]


def test_excel_written_in_memory_is_the_file_openpyxls_own_writer_makes(tmp_path, monkeypatch):
    from evaluation.renderers import xlsx

    doc = open_report(evaluation.demo_params("ungkraft", "2023")).document
    assert xlsx._IN_MEMORY  # the openpyxl (3.1) whose sheet writing the renderer follows
    (tmp_path / "minnet").mkdir()
    xlsx.write(doc, tmp_path / "minnet")
    monkeypatch.setattr(xlsx, "_IN_MEMORY", False)  # another openpyxl: its own writer, temporary files and all
    (tmp_path / "openpyxl").mkdir()
    xlsx.write(doc, tmp_path / "openpyxl")
    assert (tmp_path / "minnet" / "tabeller.xlsx").read_bytes() == (tmp_path / "openpyxl" / "tabeller.xlsx").read_bytes()


@pytest.mark.parametrize("storage", ["auto", "pyarrow"])
def test_building_a_report_leaves_pandas_string_storage_as_it_was(project, storage):
    """The report's frames are built with Python strings (build.report._python_strings, for speed);
    an analyst's own frames in the same kernel keep the session's storage."""
    with pd.option_context("mode.string_storage", storage):
        report = open_report(project)
        assert report.sections and report.prose is not None
        assert pd.get_option("mode.string_storage") == storage
