"""The förbund overview: two small insatser whose numbers are worked out by hand, and the demo.

Alfa is the register of conftest.py (periods 2019 and 2020; see test_explore.py for 2020:
women 5, men 4, gender unknown 1, total 10, new 8, ended 7, ongoing 3; result base 4 with
Arbete, Studier, Sjukdom and Fortsatt rehabilitering one each, work or studies 2 = 50 %,
seeking 2 = 50 %, left out 2). Its goals: work or studies ≥ 40 % (50 %: met), at least 20
participants (10: not met), and a goal with no outcome yet (not measurable).

Beta has ``min_cell: 3``: its hidden cells must be hidden in the overview too.
"""
from __future__ import annotations

import datetime as dt
import re

import openpyxl
import pytest
from click.testing import CliRunner

from evaluation.analysis import overview
from evaluation.analysis.explore import DEMO_PARAMS
from evaluation.build.report import open_report
from evaluation.core.vocab import MARK
from evaluation.core.errors import ParamsError
from evaluation.run import index
from evaluation.tools.cli import main

from conftest import csv_text, dedent, write_params

GOALS = dedent("""
    - id: vidare
      niva: overgripande
      text: Minst 40 % går till arbete eller studier.
      mal: ">= 40 %"
      indikator: andel_arbete_studier
    - id: manga
      niva: insatsmal
      text: Minst 20 deltagare.
      mal: ">= 20"
      indikator: antal_deltagare
    - id: praktik
      niva: insatsmal
      text: Minst 5 praktikplatser.
      mal: ">= 5"
      utfall:
""")
BETA = dedent("""
    deltagar_id,kon,fodelsear,startdatum,slutdatum,avslutsanledning
    B01,Kvinna,1990,2020-01-10,2020-06-30,Arbete
    B02,Kvinna,1991,2020-02-01,2020-08-31,Arbete
    B03,Kvinna,1992,2020-03-01,2020-09-30,Studier
    B04,Man,1993,2020-04-01,,
    B05,Man,1994,2020-05-01,2020-11-30,Sjukdom
    B06,Man,1995,2019-10-01,2020-03-31,Arbete
    B07,Man,1996,2020-06-01,,
""")
TODAY = dt.date(2021, 3, 1)


@pytest.fixture
def forbund(tmp_path):
    write_params(tmp_path, "alfa", "2019", namn="Alfa", provtid_dagar=90, period="{start: 2019-01-01, slut: 2019-12-31}")
    write_params(tmp_path, "alfa", "2020", namn="Alfa", provtid_dagar=90)
    (tmp_path / "data" / "alfa" / "deltagare.csv").write_text(csv_text(), encoding="utf-8")
    (tmp_path / "data" / "alfa" / "mal.yaml").write_text(GOALS, encoding="utf-8")
    write_params(tmp_path, "beta", "2020", namn='"=SUM(1;2) <b>Beta</b>"', min_cell=3)
    (tmp_path / "data" / "beta" / "deltagare.csv").write_text(BETA, encoding="utf-8")
    return tmp_path / "params"


def rows(grid) -> dict:
    return {label: [value for value, _ in cells] for label, cells in grid.rows}


def test_choose_latest_or_given_period(forbund):
    choice = overview.choose(forbund)
    assert [p.relative_to(forbund).as_posix() for p in choice.paths] == ["alfa/2020.yaml", "beta/2020.yaml"]
    given = overview.choose(forbund, "2019")
    assert [p.relative_to(forbund).as_posix() for p in given.paths] == ["alfa/2019.yaml"]
    assert given.missing == ("beta",)
    with pytest.raises(ParamsError, match="ingen insats har perioden '2018'. Perioder som finns: '2019', '2020'."):
        overview.choose(forbund, "2018")
    with pytest.raises(ParamsError, match="mappen med parameterfiler finns inte"):
        overview.choose(forbund / "saknas")
    (forbund.parent / "tom").mkdir()
    with pytest.raises(ParamsError, match="inga parameterfiler"):
        overview.choose(forbund.parent / "tom")


def test_a_period_too_long_to_be_a_file_or_saved_as_yml(forbund):
    """A 300-character --period said the overview could not be written (the file it looked for
    was a name too long); a period saved as .yml, which render --all finds, was missing here."""
    with pytest.raises(ParamsError, match=f"ingen insats har perioden '{'x' * 59}…'. Perioder som finns: '2019', '2020'."):
        overview.choose(forbund, "x" * 300)
    (forbund / "alfa" / "2019.yaml").rename(forbund / "alfa" / "2019.yml")
    assert [p.name for p in overview.choose(forbund, "2019").paths] == ["2019.yml"]


def test_tables_hand_computed(forbund):
    built = overview.build(forbund, today=TODAY)
    assert built.names[0] == "Alfa"
    insatser = rows(built.table("insatser"))
    assert insatser["Period"] == ["2020-01-01 – 2020-12-31", "2020-01-01 – 2020-12-31"]
    assert insatser["Resultatet räknas på"] == ["avslutade", "avslutade"]
    assert insatser["Minsta visade antal (min_cell)"] == [None, 3]
    people = {label: values[0] for label, values in rows(built.table("deltagare")).items()}
    assert people == {"Kvinnor": 5, "Män": 4, "Uppgift saknas om kön": 1, "Deltagare totalt": 10,
                      "Inskrivningar": 10, "Nya under perioden": 8, "Avslutade under perioden": 7,
                      "Pågående vid periodens slut": 3}
    result = {label: values[0] for label, values in rows(built.table("resultat")).items()}
    assert result["Antal i resultatbasen"] == 4
    assert [result[k] for k in ("Arbete", "Subventionerat arbete", "Studier", "Sjukdom", "Fortsatt rehabilitering")] \
        == [0.25, 0.0, 0.25, 0.25, 0.25]
    assert result["Arbete eller studier"] == 0.5 and result["Aktivt arbetssökande (överlappande)"] == 0.5
    assert result["Pågående"] is None and result["Ej i resultatet (antal)"] == 2
    goals = rows(built.table("mal"))
    assert {k: v[0] for k, v in goals.items()} == {"Uppfyllt": 1, "Delvis uppfyllt": 0, "Ej uppfyllt": 1,
                                                   "Ej mätbart": 1, "Totalt": 3}
    assert goals["Totalt"][1] is None  # Beta has no goals
    assert built.table("enkater").rows == ()
    frame = built.table("deltagare").frame
    assert frame.loc["Deltagare totalt", "Alfa"] == 10 and frame.index.name == "Antal"


def test_hidden_cells_stay_hidden(forbund):
    built = overview.build(forbund, today=TODAY)
    beta = open_report(forbund / "beta" / "2020.yaml", today=TODAY)
    kon = beta.table("deltagare_kon").frame.set_index("kon")
    people = {label: values[1] for label, values in rows(built.table("deltagare")).items()}
    assert people["Avslutade under perioden"] == kon.loc["Totalt", "avslutade"]
    assert [people[k] for k in ("Kvinnor", "Män", "Deltagare totalt")] == [kon.loc[g, "unika"] for g in ("Kvinna", "Man", "Totalt")]
    # men: ended B05 B06 = 2 and ongoing B04 B07 = 2, both fewer than 3
    assert kon.loc["Man", "avslutade"] == MARK and kon.loc["Man", "pagaende"] == MARK
    res = beta.table("resultat").frame.set_index("kategori")
    result = {label: values[1] for label, values in rows(built.table("resultat")).items()}
    assert result["Studier"] == MARK == res.loc["Studier", "andel"]  # B03 alone
    assert result["Sjukdom"] == MARK  # B05 alone
    for label in ("Arbete", "Arbete eller studier"):
        assert result[label] == res.loc[label, "andel"]
    assert built.chart is not None and "Alfa: 50" in built.chart.alt
    if res.loc["Arbete eller studier", "andel"] == MARK:  # a hidden share is a marked gap, not a bar
        assert "Beta</b>: .." in built.chart.alt


def test_written_page_and_workbook(forbund, tmp_path):
    out = tmp_path / "output"
    (out / "alfa" / "2020").mkdir(parents=True)
    (out / "alfa" / "2020" / "rapport.html").write_text("rapport", encoding="utf-8")
    page, book = overview.write(overview.build(forbund, today=TODAY, out=out), out)
    assert page == out / "oversikt" / "index.html" and book == out / "oversikt.xlsx"
    html = page.read_text(encoding="utf-8")
    assert html.count("@font-face") == 3  # the shipped font, embedded
    assert '<html lang="sv">' in html and html.count("<h1") == 1
    assert html.count("<table") == html.count("<caption>") == 4  # no survey: a sentence instead
    assert 'scope="col"' in html and 'scope="row"' in html
    assert "<b>Beta" not in html and "&lt;b&gt;Beta&lt;/b&gt;" in html
    assert '<a href="../alfa/2020/rapport.html">Alfa</a>' in html
    alt = re.search(r'<img alt="([^"]*)"', html).group(1)
    assert alt.startswith("Andel till arbete eller studier vid avslut, andel: Alfa: 50")
    assert "Ingen av insatserna har en enkät under perioden." in html
    assert "../index.html" not in html  # no report index in this folder
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["innehall", "insatser", "deltagare", "resultat", "mal", "enkater"]
    sheet = wb["deltagare"]
    assert [c.value for c in sheet[3]] == ["Antal", "Alfa", "=SUM(1;2) <b>Beta</b>"]
    assert sheet.cell(3, 3).data_type == "s"  # text, never a formula
    assert [c.value for c in sheet[4]][:2] == ["Kvinnor", 5]
    hidden = [c for row in wb["resultat"].iter_rows() for c in row if c.value == MARK]
    assert hidden and all(c.data_type == "s" for c in hidden)
    share = wb["resultat"]["B7"]  # Studier of Alfa
    assert wb["resultat"]["A7"].value == "Studier" and share.value == 0.25 and share.number_format == "0.0%"


def test_index_links_to_the_overview(forbund, tmp_path):
    out = tmp_path / "output"
    index.record_failure(out, forbund / "alfa" / "2020.yaml", "ett fel")
    assert "oversikt/index.html" not in (out / "index.html").read_text(encoding="utf-8")
    overview.write(overview.build(forbund, today=TODAY), out)
    assert '<a href="oversikt/index.html">' in (out / "index.html").read_text(encoding="utf-8")
    assert '<a href="../index.html">Alla rapporter</a>' in (out / "oversikt" / "index.html").read_text(encoding="utf-8")


def test_cli(forbund, tmp_path):
    out = tmp_path / "ut"
    result = CliRunner().invoke(main, ["overview", "--params-dir", str(forbund), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "MED        Alfa (2020)" in result.output
    assert "Översikt över 2 insatser:" in result.output and (out / "oversikt.xlsx").is_file()
    result = CliRunner().invoke(main, ["overview", "--params-dir", str(forbund), "--out", str(out), "--period", "2019"])
    assert result.exit_code == 0 and "SAKNAS     beta: har ingen period 2019" in result.output
    assert "Perioden 2019 för varje insats som har den" in (out / "oversikt" / "index.html").read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["overview", "--params-dir", str(tmp_path / "nej"), "--out", str(out)])
    assert result.exit_code == 1 and "mappen med parameterfiler finns inte" in result.output
    result = CliRunner().invoke(main, ["overview", "--help"])
    assert "Översikt för förbundet" in result.output and "--period" in result.output


def test_cli_lists_insatser_that_fail(forbund, tmp_path):
    write_params(forbund.parent, "gamma", "2020", namn="Gamma")
    (forbund.parent / "data" / "gamma" / "deltagare.csv").write_text("deltagar_id,kon,startdatum\nG1,Okänt,2020-01-01\n",
                                                                     encoding="utf-8")
    out = tmp_path / "ut"
    result = CliRunner().invoke(main, ["overview", "--params-dir", str(forbund), "--out", str(out)])
    assert result.exit_code == 1
    assert "gamma: " in result.output and "Okänt" in result.output
    html = (out / "oversikt" / "index.html").read_text(encoding="utf-8")
    assert "Kunde inte tas med" in html and "Alfa" in html


def test_demo_overview():
    built = overview.build(DEMO_PARAMS, today=TODAY)
    assert built.names == ("Samverkanskartan", "Samordningsteamet Exempeldalen", "STEGET", "UngKraft")
    assert [r.params.period_slug for r in built.reports] == ["2025-h2", "2024", "2024-05-01--2025-04-30", "2024"]
    people = rows(built.table("deltagare"))
    for i, report in enumerate(built.reports[1:], start=1):
        assert people["Deltagare totalt"][i] == report.key_figures["antal.deltagare"]
        assert people["Kvinnor"][i] == report.key_figures["antal.kvinnor"]
    assert people["Deltagare totalt"][0] is None  # a process mapping has no register
    result = rows(built.table("resultat"))
    team = built.reports[1].table("resultat").frame.set_index("kategori")
    assert result["Arbete"][1] == MARK == team.loc["Arbete", "andel"]  # min_cell 3
    surveys = {label: [v for v in values] for label, values in rows(built.table("enkater")).items()}
    steget = surveys["STEGET: Deltagarenkät STEGET 2025"]
    assert steget[:2] == [23, 30] and steget[2] == pytest.approx(23 / 30)
    assert overview.show(steget[2], "share") == "76,7\xa0%"


def test_a_table_a_report_does_not_show_is_not_in_the_overview():
    """Probe W, W7: a slutrapport computes its result by exit reason but does not show it (beside
    the yearly reports it would give small counts back). The overview showed it: its reasons, 8 +
    3 + 6 of a base of 18, gave the one without a measurement that the report hides. The demo's
    UngKraft slutrapport (2022–2024): its participants are in the overview, its result is not."""
    built = overview.build(DEMO_PARAMS, period="2022-2024", today=TODAY)
    ungkraft = built.names.index("UngKraft")
    report = built.reports[ungkraft]
    assert report.params.rapporttyp == "slutrapport"
    assert "resultat" in report.table_map and "resultat" not in overview.shown(report)
    result = rows(built.table("resultat"))
    assert all(values[ungkraft] is None for values in result.values())
    assert rows(built.table("deltagare"))["Deltagare totalt"][ungkraft] == report.key_figures["antal.deltagare"]
