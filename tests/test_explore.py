"""The analysis API (evaluation.analysis.explore): numbers worked out by hand on the register of conftest.py.

Period 2020 of that register (provtid 90 days, result base = ended):

- in the period: D01–D09 and D12 (anonymous); D10 ended 2019, D11 starts 2021;
- women D01 D03 D06 D08 D12: 5 unique, new D03 D06 D08 D12 = 4, ended all 5, ongoing 0;
- men D02 D04 D05 D09: 4 unique, new D04 D05 D09 = 3, ended D04 D05 = 2, ongoing D02 D09 = 2;
- gender unknown D07: 1, new 1, ongoing 1. Total 10, new 8, ended 7, ongoing 3;
- result base: ended, not anonymous: D01 D03 D04 D05 D06 D08 = 6; left out D03 (19 days < 90)
  and D08 (Utan mätning) → base 4: D01 Arbete, D04 Studier, D05 Sjukdom (seeking),
  D06 Fortsatt rehabilitering (seeking).
"""
from __future__ import annotations

import pandas as pd
import datetime as dt
import doctest
import math
import os
from pathlib import Path

import pytest

import evaluation
from evaluation.analysis import explore
from evaluation.build.report import open_report
from evaluation.core.vocab import MARK
from evaluation.core.errors import ParamsError
from evaluation.core.model import Chart

from conftest import csv_text, write_params

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def report(project):
    return open_report(project, today=dt.date(2021, 3, 1))


def column(frame, key, value_column):
    return dict(zip(frame[key], frame[value_column]))


# -- the docstrings' examples ------------------------------------------------------------------------
@pytest.mark.parametrize("module", ["evaluation", "evaluation.analysis.explore", "evaluation.analysis.overview"])
def test_docstring_examples_run(module):
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_lazy_exports_resolve():
    for name in ("open_report", "demo_params", "open_demo", "frames", "for_period", "for_group", "stable",
                 "compare", "chart", "paired"):
        assert name in evaluation.__all__
        assert callable(getattr(evaluation, name))
    # the notebooks' "from evaluation import charts": the report's chart helpers
    assert "charts" in evaluation.__all__ and callable(evaluation.charts.share_bars)


def test_demo_params_work_from_any_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert explore.demo_params("ungkraft").name == "2024.yaml"  # 2024 ends with 2022-2024 but starts later
    assert explore.demo_params("kartan", "2025-h1").is_file()
    with pytest.raises(ParamsError, match="demon har ingen insats 'saknas'. Demons insatser: kartan, "):
        explore.demo_params("saknas")
    with pytest.raises(ParamsError, match="ingen period '1999'. Perioder: 2023-05-01--2024-04-30, 2024-05-01--2025-04-30"):
        explore.demo_params("steget", "1999")


# -- tables as DataFrames ----------------------------------------------------------------------------
def test_frames_are_every_table_and_copies(report):
    frames = explore.frames(report)
    assert list(frames) == [t.id for t in report.tables]
    kon = frames["deltagare_kon"]
    assert column(kon, "kon", "unika") == {"Kvinna": 5, "Man": 4, "Uppgift saknas": 1, "Totalt": 10}
    kon.loc[0, "unika"] = 99
    assert report.table("deltagare_kon").frame.loc[0, "unika"] == 5


def test_a_tables_frame_is_the_analysts_own_copy(report):
    """A probe: ``report.table(id).frame`` was the report's own frame, so an ordinary pandas step
    changed the report, its displayed table, compare() and every later open_demo (which is cached)."""
    kon = report.table("deltagare_kon").frame
    kon["andel_kvinnor"] = kon["unika"] / kon["unika"].iloc[-1]
    kon["unika"] = kon["unika"] * 100
    result = report.table("resultat").frame
    result.loc[0, ["kategori", "antal"]] = ["HACK", 999]
    shown = report.section("resultat").tables["deltagare_kon"].frame
    shown["unika"] = 0
    assert column(report.table("deltagare_kon").frame, "kon", "unika") == {"Kvinna": 5, "Man": 4, "Uppgift saknas": 1,
                                                                           "Totalt": 10}
    assert "andel_kvinnor" not in report.table("deltagare_kon").frame.columns
    assert column(report.section("resultat").table("deltagare_kon").frame, "kon", "unika")["Totalt"] == 10
    assert report.table("resultat").frame["kategori"].iloc[0] == "Arbete"
    assert "HACK" not in report.table("resultat").to_html()
    assert explore.compare([report], "resultat", "antal").loc["Arbete eller studier"].tolist() == [2]


# -- another period ----------------------------------------------------------------------------------
def test_for_period_recomputes_every_table(report, project):
    half = explore.for_period(report, "2020-01-01", dt.date(2020, 6, 30))
    # in Jan–Jun 2020: D01 D03 (ended), D02, D04 D05 D06 D07 (ongoing at 30 June)
    kon = half.table("deltagare_kon").frame.set_index("kon")
    assert kon.loc["Kvinna"].tolist() == [3, 3, 2, 2, 1]  # D01 D03 D06; new D03 D06; ended D01 D03
    assert kon.loc["Man"].tolist() == [3, 3, 2, 0, 3]  # D02 D04 D05
    assert kon.loc["Totalt"].tolist() == [7, 7, 5, 2, 5]
    assert half.params.period_slug == "2020-01-01--2020-06-30"
    assert half.params.period.label() == "2020-01-01 – 2020-06-30"
    assert half.today == report.today
    assert report.params.period.slut == dt.date(2020, 12, 31)  # the original is unchanged
    from_path = explore.for_period(project, "2020-01-01", "2020-06-30")
    assert from_path.key_figures["antal.deltagare"] == 7
    assert report.for_period("2020-01-01", "2020-06-30").key_figures["antal.nya"] == 5


def test_for_period_refuses_bad_periods(report):
    with pytest.raises(ParamsError, match=r"perioden 2020-06-30 – 2020-01-01 slutar innan den börjar"):
        explore.for_period(report, "2020-06-30", "2020-01-01")
    with pytest.raises(ParamsError, match=r"startdatumet '1 maj 2020' är inget datum; skriv det som ÅÅÅÅ-MM-DD"):
        explore.for_period(report, "1 maj 2020", "2020-06-30")
    with pytest.raises(ParamsError, match=r"slutdatumet '2020-02-30' är inget datum"):
        explore.for_period(report, "2020-01-01", "2020-02-30")
    # a year out of range was pydantic's English ValidationError, a traceback in the notebook
    with pytest.raises(ParamsError, match=r"startdatumet 0001-01-01: året 1 är inte rimligt; datum ska ligga mellan år 1900"):
        explore.for_period(report, "0001-01-01", "2020-06-30")
    with pytest.raises(ParamsError, match=r"slutdatumet 9999-12-31: året 9999 är inte rimligt"):
        explore.for_period(report, dt.date(2020, 1, 1), dt.date(9999, 12, 31))
    with pytest.raises(ParamsError) as caught:  # a personnummer typed where a date belongs is not quoted
        explore.for_period(report, "811218-9876", "2020-06-30")
    assert "startdatumet (värdet visas inte) är inget datum" in str(caught.value) and "9876" not in str(caught.value)


# -- sub-groups -------------------------------------------------------------------------------------
def test_for_group_women(report):
    women = explore.for_group(report, kon="kvinna")  # written values match ignoring case
    assert women.params.namn == "Testinsatsen – kön: Kvinna"
    kon = women.table("deltagare_kon").frame.set_index("kon")
    assert kon.loc["Kvinna"].tolist() == [5, 5, 4, 5, 0]
    assert kon.loc["Man"].tolist() == [0, 0, 0, 0, 0]
    assert kon.loc["Totalt"].tolist() == [5, 5, 4, 5, 0]
    # women's result base: D01 (Arbete) and D06 (Fortsatt rehabilitering, seeking); D03 trial, D08 Utan mätning
    res = women.table("resultat").frame.set_index("kategori")
    assert res.loc["Arbete", "antal"] == 1 and res.loc["Fortsatt rehabilitering", "antal"] == 1
    assert res.loc["Arbete eller studier"].tolist() == [1, 2, 0.5]
    assert res.loc["Aktivt arbetssökande (överlappande)"].tolist() == [1, 2, 0.5]
    assert res.loc["Ej i resultatet"].tolist()[:2] == [2, 4]  # outside the base: no share
    assert pd.isna(res.loc["Ej i resultatet", "andel"])
    assert women.key_figures["andel.arbete_studier"] == 0.5
    # follow-ups of women only: D01 6 months Arbete (2020-09-01), D10 6 months Studier (2019-12-31 + 6 months)
    follow = women.table("uppfoljning").frame
    assert follow[["manader", "status", "antal"]].values.tolist() == [[6, "Arbete", 1], [6, "Studier", 1]]
    assert report.table("uppfoljning").frame["antal"].sum() == 3  # D02's follow-up too
    assert women.inputs["surveys"] is None
    assert len(report.inputs["register"]) == 12  # the original is unchanged


def test_for_group_several_values_and_columns(report):
    known = explore.for_group(report, kon=["Kvinna", "Man"])
    assert known.key_figures["antal.deltagare"] == 9  # all but D07
    assert known.params.namn == "Testinsatsen – kön: Kvinna, Man"
    both = report.for_group(kon="Man", utbildningsniva="Gymnasium")  # D04 D09 (D02 Grundskola, D05 empty)
    assert both.key_figures["antal.deltagare"] == 2
    assert both.params.namn == "Testinsatsen – kön: Man; utbildningsnivå: Gymnasium"


def test_for_group_errors(report):
    with pytest.raises(ParamsError, match=r"ange delgruppen, t\.ex\. for_group\(rapport, kon=\"Kvinna\"\)"):
        explore.for_group(report)
    with pytest.raises(ParamsError, match="kan inte väljas på 'deltagar_id'. Kolumner att välja på: kon, delinsats"):
        explore.for_group(report, deltagar_id="D01")
    with pytest.raises(ParamsError, match="delgruppen kon = 'Okänd' finns inte i registret. Värden i registret: "
                                          "Kvinna, Man, Uppgift saknas."):
        explore.for_group(report, kon="Okänd")
    with pytest.raises(ParamsError, match=r"delinsats = 'Steg 1' finns inte i registret. Värden i registret: \(inga"):
        explore.for_group(report, delinsats="Steg 1")
    kartan = explore.open_demo("kartan")
    with pytest.raises(ParamsError, match="rapporten har inget deltagarregister att välja en delgrupp ur"):
        explore.for_group(kartan, kon="Kvinna")


def test_for_group_keeps_disclosure_control(tmp_path):
    params = write_params(tmp_path, min_cell=3)
    (tmp_path / "data" / "testinsats" / "deltagare.csv").write_text(csv_text(), encoding="utf-8")
    men = explore.for_group(open_report(params), kon="Man")
    kon = men.table("deltagare_kon").frame.set_index("kon")
    assert kon.loc["Man", "avslutade"] == MARK  # 2 ended men: fewer than 3
    assert kon.loc["Man", "unika"] == 4 and kon.loc["Totalt", "unika"] == 4


# -- stable rows ---------------------------------------------------------------------------------------
def test_stable_result_rows(report):
    frame = explore.stable(report, "resultat")
    assert frame["kategori"].tolist() == [
        "Arbete", "Subventionerat arbete", "Studier", "Aktivt arbetssökande", "Fortsatt rehabilitering",
        "Sjukdom", "Flyttat", "Övrigt", "Arbete eller studier", "Aktivt arbetssökande (överlappande)",
        "Pågående", "Ej i resultatet"]
    rows = frame.set_index("kategori")
    assert rows["antal"].iloc[:8].tolist() == [1, 0, 1, 0, 1, 1, 0, 0]
    assert rows["andel"].iloc[:8].tolist() == [0.25, 0.0, 0.25, 0.0, 0.25, 0.25, 0.0, 0.0]
    assert rows["bas"].iloc[:11].tolist() == [4] * 11 and rows.loc["Ej i resultatet", "bas"] == 6
    assert math.isnan(rows.loc["Pågående", "antal"]) and math.isnan(rows.loc["Pågående", "andel"])  # base: ended


def test_stable_ongoing_counts_when_the_base_is_everyone(tmp_path):
    params = write_params(tmp_path, resultat_bas="alla_inskrivna")
    (tmp_path / "data" / "testinsats" / "deltagare.csv").write_text(csv_text(), encoding="utf-8")
    rows = explore.stable(open_report(params), "resultat").set_index("kategori")
    # base: every non-anonymous enrolment of 2020 but Utan mätning (D08): D01–D07, D09 = 8; ongoing D02 D07 D09
    assert rows.loc["Pågående"].tolist() == [3, 8, 3 / 8]
    assert rows.loc["Flyttat"].tolist() == [0, 8, 0.0]


def test_stable_other_tables(report):
    women = explore.for_group(report, kon="Kvinna")
    kon = explore.stable(women, "deltagare_kon")
    assert kon["kon"].tolist() == ["Kvinna", "Man", "Uppgift saknas", "Totalt"]
    assert kon["unika"].tolist() == [5, 0, 0, 5] and str(kon["unika"].dtype).startswith("int")
    alder = explore.stable(report, "alder")
    assert alder["intervall"].tolist() == ["Under 15", "15–29", "30–44", "45–59", "60–74", "75 eller äldre", "Saknas"]
    exits = explore.stable(report, "avslutsanledning_kon")
    assert len(exits) == 9 * 3
    assert exits.set_index(["avslutsanledning", "kon"]).loc[("Arbete", "Kvinna"), "antal"] == 2  # D01, D03
    assert exits["antal"].sum() == 6  # ended, not anonymous
    support = explore.stable(report, "forsorjning_fore_efter").set_index("kalla")
    assert len(support) == 11 and support.loc["A-kassa"].iloc[:3].tolist() == [0, 0, 0]
    assert math.isnan(support.loc["A-kassa", "forandring_procent"])
    follow = explore.stable(report, "uppfoljning")
    assert len(follow) == 2 * 7  # months 6 and 18 × every status
    assert follow.set_index(["manader", "status"]).loc[(18, "Arbete")].tolist() == [1, 1.0]
    assert follow.set_index(["manader", "status"]).loc[(18, "Studier")].tolist() == [0, 0.0]


def test_stable_keeps_hidden_cells_or_makes_them_missing(tmp_path):
    params = write_params(tmp_path, min_cell=3)
    (tmp_path / "data" / "testinsats" / "deltagare.csv").write_text(csv_text(), encoding="utf-8")
    report = open_report(params)
    # by hand: of the six who ended in 2020 and are not anonymous, D01 alone has no public
    # support after (hidden); three (D03, D04, D05) have some source after (every source few: Annan)
    marked = explore.stable(report, "forsorjning_fore_efter").set_index("kalla")
    assert marked.loc["Ingen offentlig försörjning", "efter"] == MARK
    numeric = explore.stable(report, "forsorjning_fore_efter", numeric=True).set_index("kalla")
    assert math.isnan(numeric.loc["Ingen offentlig försörjning", "efter"]) and numeric.loc["Annan", "efter"] == 3


def test_stable_refuses_tables_without_fixed_rows(report):
    with pytest.raises(ParamsError, match="tabellen 'trend' har inga fasta kategorier. Fasta rader finns för: aktivt_arbetssokande_start, alder, "):
        explore.stable(report, "trend")
    with pytest.raises(KeyError, match="ingen tabell 'saknas' i rapporten"):
        explore.stable(report, "saknas")


def test_an_unknown_id_is_an_error_of_ours_and_a_lookup_error(report):
    from evaluation import EvaluationError

    for ask, words in ((lambda: report.table("saknas"), "ingen tabell 'saknas' i rapporten; den har: deltagare_kon"),
                       (lambda: report.section("saknas"), "avsnittet 'saknas' ingår inte i rapporten"),
                       (lambda: explore.compare([report], "saknas", "nya"),  # it gave an empty column
                        "ingen av rapporterna har tabellen 'saknas'; tabellerna är: deltagare_kon")):
        with pytest.raises(EvaluationError) as raised:  # a notebook shows it as its message alone
            ask()
        assert isinstance(raised.value, KeyError) and str(raised.value).startswith(words)


# -- side by side ---------------------------------------------------------------------------------------
def test_compare_lines_up_every_category(report):
    women = explore.for_group(report, kon="Kvinna")
    side = explore.compare([report, women], "resultat", "antal")
    assert list(side.columns) == ["Testinsatsen", "Testinsatsen – kön: Kvinna"]
    assert side.index.tolist()[:3] == ["Arbete", "Subventionerat arbete", "Studier"]
    assert side.loc["Studier"].tolist() == [1, 0]  # D04 is a man
    assert side.loc["Arbete eller studier"].tolist() == [2, 1]


def test_compare_names_periods_when_an_insats_comes_twice(report, project):
    side = explore.compare([project, explore.for_period(report, "2020-01-01", "2020-06-30")], "deltagare_kon", "unika")
    assert list(side.columns) == ["Testinsatsen 2020", "Testinsatsen 2020-01-01--2020-06-30"]
    assert side.loc["Totalt"].tolist() == [10, 7]


def test_compare_without_the_table_and_errors(report):
    kartan = explore.open_demo("kartan")
    side = explore.compare([report, kartan], "deltagare_kon", "unika")
    assert side["Testinsatsen"].tolist() == [5, 4, 1, 10]
    assert side["Samverkanskartan"].isna().all()
    with pytest.raises(ParamsError, match="tabellen 'resultat' har ingen kolumn 'procent'; den har: kategori, antal"):
        explore.compare([report], "resultat", "procent")
    with pytest.raises(ParamsError, match="ange minst en rapport"):
        explore.compare([], "resultat", "antal")


def test_compare_hidden_cells_and_numeric(tmp_path, report):
    params = write_params(tmp_path / "b", min_cell=3, namn="Skyddad")
    (tmp_path / "b" / "data" / "testinsats" / "deltagare.csv").write_text(csv_text(), encoding="utf-8")
    side = explore.compare([report, params], "deltagare_kon", "unika")
    assert side.loc["Uppgift saknas"].tolist() == [1, MARK]
    numeric = explore.compare([report, params], "deltagare_kon", "unika", numeric=True)
    assert numeric.loc["Uppgift saknas", "Testinsatsen"] == 1 and math.isnan(numeric.loc["Uppgift saknas", "Skyddad"])


def test_chart_of_a_comparison(report):
    women = explore.for_group(report, kon="Kvinna")
    side = explore.compare([report, women], "resultat", "andel").loc[["Arbete eller studier", "Sjukdom"]]
    drawn = explore.chart(side, "Resultat")
    assert isinstance(drawn, Chart) and drawn.png.startswith(b"\x89PNG")
    assert drawn.alt.replace("\xa0", " ") == (
        "Resultat, andel: Arbete eller studier (Testinsatsen): 50 %; Sjukdom (Testinsatsen): 25 %; "
        "Arbete eller studier (Testinsatsen – kön: Kvinna): 50 %; Sjukdom (Testinsatsen – kön: Kvinna): 0 %")
    exits = explore.compare([report], "avslutsanledning_kon", "andel")  # two keys: labels joined
    assert "Arbete – Kvinna (Testinsatsen): 33\xa0%" in explore.chart(exits, "Avslut").alt
    assert explore.chart(side.iloc[0:0], "Tomt") is None
    # a report where the comparison belongs was AttributeError: 'Report' object has no attribute 'copy'
    with pytest.raises(ParamsError, match=r"chart\(\) ritar en jämförelse med en rubrik: .* Den fick en rapport och en text\.$"):
        explore.chart(report, "Resultat")
    with pytest.raises(ParamsError, match=r"Den fick en tabell och inget värde \(None\)\.$"):
        explore.chart(side, None)


# -- the notebook -----------------------------------------------------------------------------------------
@pytest.mark.slow
def test_utforska_notebook_runs_in_a_real_kernel(tmp_path):
    import nbformat
    import papermill

    source = ROOT / "notebooks" / "utforska.ipynb"
    output = tmp_path / "utforska.ipynb"
    env_path = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env_path) if p)  # the kernel imports this copy
    try:
        papermill.execute_notebook(str(source), str(output), cwd=str(tmp_path), kernel_name="python3",
                                   progress_bar=False, log_output=False)
    finally:
        os.environ["PYTHONPATH"] = env_path
    executed = nbformat.read(output, as_version=4)
    code = [c for c in executed.cells if c.cell_type == "code"]
    assert all(not any(o.get("output_type") == "error" for o in c.outputs) for c in code)
    shown = "".join(str(o.get("data", {}).get("text/html", "")) + str(o.get("data", {}).get("text/plain", ""))
                    for c in code for o in c.outputs)
    assert "Arbete eller studier" in shown
    assert "om underlaget för UngKraft" in shown  # report.show_notices(): the warnings the CLI prints
    assert any("image/png" in o.get("data", {}) for c in code for o in c.outputs)  # charts are PNG outputs


# -- arguments of the wrong kind (an analyst's slip in a notebook) -----------------------------------------
@pytest.mark.parametrize("call, words", [
    (lambda r: explore.for_group(r, kon=None), 'delgruppen kon: ange värdet som text, t.ex. kon="Kvinna", eller en lista av texter; här står inget värde (None).'),
    (lambda r: explore.for_group(r, kon=5), "här står ett tal."),
    (lambda r: explore.for_group(r, kon=[]), "här står en tom lista."),
    (lambda r: explore.for_group(r, kon=[["Kvinna"]]), "här står en lista med annat än text."),
    (lambda r: explore.compare([5], "resultat", "andel"), "här ska stå en rapport (open_report(...)) eller sökvägen till en parameterfil, inte ett tal."),
    (lambda r: explore.compare(r.table("resultat").frame, "resultat", "andel"), "ange rapporterna att jämföra som en lista"),
    (lambda r: explore.compare([r], None, "andel"), 'tabellens id ska anges som text, t.ex. "resultat", inte inget värde (None).'),
    (lambda r: explore.compare([r], "resultat", 2), 'kolumnen ska anges som text, t.ex. "andel", inte ett tal.'),
    (lambda r: explore.frames(None), "inte inget värde (None)."),
    (lambda r: evaluation.open_report(None), 'ange sökvägen till parameterfilen som text, t.ex. "params/<insats>/<period>.yaml", inte inget värde (None).'),
    (lambda r: explore.demo_params(None), 'ange demoinsatsen (och perioden) som text, t.ex. demo_params("steget").'),
    (lambda r: explore.open_demo(["steget"]), 'ange demoinsatsen (och perioden) som text'),
    (lambda r: explore.paired(r, ["ors"]), 'instrumentets id ska anges som text, t.ex. "ors", inte en lista.'),
])
def test_an_argument_of_the_wrong_kind_is_a_swedish_error(report, call, words):
    """Each was a TypeError or AttributeError from deep inside (a traceback in the notebook)."""
    with pytest.raises(ParamsError) as caught:
        call(report)
    assert words in str(caught.value)


def test_compare_takes_one_report_as_well_as_a_list(report):
    one = explore.compare(report, "resultat", "antal")
    assert one.equals(explore.compare([report], "resultat", "antal"))
    assert explore.frames(report.params.source).keys() == explore.frames(report).keys()
    assert explore.open_demo("steget") is explore.open_demo("steget", explore.demo_params("steget").stem)


# -- an analyst's slip with the chart helpers, stable() and chart(): Swedish, like their siblings ----------
def test_chart_helpers_name_a_mistyped_column_in_swedish(report):
    """A probe: a mistyped column in the documented chart helpers gave a 38-line pandas KeyError."""
    from evaluation import charts
    from evaluation.core.errors import EvaluationError

    utbildning = explore.stable(report, "utbildning", numeric=True)
    with pytest.raises(ParamsError) as info:
        charts.share_bars(utbildning, "utbildning", "andel", "Utbildningsnivå")
    assert str(info.value) == ("share_bars: tabellen har ingen kolumn 'utbildning'; den har: niva, antal, andel. "
                               "Skriv kolumnens namn som det står i tabellen.")
    assert isinstance(info.value, EvaluationError)  # shown in a kernel as its message alone
    fore_efter = report.table("forsorjning_fore_efter").numeric()
    with pytest.raises(ParamsError, match="^before_after: tabellen har ingen kolumn 'efterr'; den har: kalla, fore, efter,"):
        charts.before_after(fore_efter, "kalla", "fore", "efterr", "Försörjning")
    trend = report.table("trend").numeric()
    with pytest.raises(ParamsError, match="^trend_lines: tabellen har ingen kolumn 'nyaa'; den har: period, "):
        charts.trend_lines(trend, "period", {"deltagare": "Deltagare", "nyaa": "Nya"}, "Deltagare per år")
    with pytest.raises(ParamsError, match=r"^trend_lines: linjerna anges som \{kolumn: namn i förklaringen\}"):
        charts.trend_lines(trend, "period", ["deltagare"], "Deltagare per år")
    with pytest.raises(ParamsError, match="^share_bars: här ska stå en tabell \\(DataFrame\\)"):
        charts.share_bars("utbildning", "niva", "andel", "Utbildningsnivå")
    assert charts.share_bars(utbildning, "niva", "andel", "Utbildningsnivå") is not None  # spelled right, drawn


def test_stable_takes_a_parameter_file_and_chart_says_what_it_takes(report, project):
    """A probe: stable(path) was an AttributeError, and chart() of a stable() table a pandas ValueError."""
    by_path = explore.stable(project, "resultat")
    pd.testing.assert_frame_equal(by_path, explore.stable(report, "resultat"))
    with pytest.raises(ParamsError) as info:
        explore.chart(explore.stable(report, "resultat"), "Resultat")
    assert str(info.value).startswith(
        'chart() ritar en tabell från compare(...): kategorierna som rader och en kolumn med andelar per rapport, '
        't.ex. chart(compare([rapport_a, rapport_b], "resultat", "andel"), "Resultat"). Den fick en tabell med '
        'kolumnerna kategori, antal, bas, andel, där kategori inte är tal.')
    # the fix the message gives: categories as rows, the shares chosen; drawn (D01 Arbete: 1 of 4 = 25 %)
    drawn = explore.chart(explore.stable(report, "resultat").set_index("kategori")[["andel"]].iloc[:1], "Resultat")
    assert drawn.alt == "Resultat, andel: Arbete (andel): 25\xa0%"


def test_tab_after_evaluation_offers_the_documented_names():
    """A probe: Tab on 'evaluation.' in JupyterLab offered neither open_report nor open_demo, stable,
    compare or charts (they are loaded when first used)."""
    import evaluation

    offered = dir(evaluation)
    assert {"open_report", "open_demo", "frames", "for_period", "for_group", "stable", "compare", "chart", "paired",
            "charts"} <= set(offered)
    assert set(evaluation.__all__) <= set(offered)


def test_the_per_person_rows_of_paired_come_with_a_warning():
    """A probe's analyst pasted paired()'s rows into a text: one row per person, without disclosure
    control, and nothing said so where the analyst works."""
    report = explore.open_demo("samordningsteamet", "2024")
    with pytest.warns(explore.UnprotectedData, match="utan röjandekontroll") as caught:
        ors = explore.paired(report, "ors")
    assert len(caught) == 1 and "Klistra aldrig in" in str(caught[0].message)
    # by hand from the demo's matningar.csv (as the docstring): 47 measured twice, 21 improved
    assert (int(ors["senast"].notna().sum()), int((ors["klass"] == "forbattrad").sum())) == (47, 21)
