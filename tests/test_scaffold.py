"""``evaluation new``: a new insats's parameters, data folder, stubs and examples."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from evaluation.build.report import open_report
from evaluation.compute import figures
from evaluation.core.vocab import MARK
from evaluation.inputs.params import REPORT_TYPES, load_params
from evaluation.sections import registry as sections
from evaluation.tools import scaffold
from evaluation.tools.cli import main

from conftest import csv_text

REPO = Path(__file__).resolve().parent.parent


def new(tmp_path: Path, *args: str):
    return CliRunner().invoke(main, [
        "new", *args, "--params-dir", str(tmp_path / "params"), "--data-dir", str(tmp_path / "data"),
    ])


def fill_register(path: Path, rows: list[dict]) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    names = [c.value for c in sheet[1]]
    for number, row in enumerate(rows, start=2):
        for name, value in row.items():
            sheet.cell(row=number, column=names.index(name) + 1, value=value)
    book.save(path)


# Period 2024: K1 new and ongoing; M1 started 2023 and ended 2024 to Arbete; M2 new, ended to Studier.
ROWS = [
    {"deltagar_id": "K1", "kon": "Kvinna", "fodelsear": 1995, "startdatum": dt.datetime(2024, 3, 1)},
    {"deltagar_id": "M1", "kon": "Man", "fodelsear": 1980, "startdatum": dt.datetime(2023, 9, 1),
     "slutdatum": dt.datetime(2024, 5, 31), "avslutsanledning": "Arbete"},
    {"deltagar_id": "M2", "kon": "Man", "fodelsear": 2001, "startdatum": dt.datetime(2024, 2, 1),
     "slutdatum": dt.datetime(2024, 10, 15), "avslutsanledning": "Studier"},
]


# -- the period -------------------------------------------------------------------------------------
def test_parse_period():
    assert scaffold.parse_period("2020-05-01--2021-04-30") == (
        "2020-05-01--2021-04-30", dt.date(2020, 5, 1), dt.date(2021, 4, 30))
    assert scaffold.parse_period("2024") == ("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    with pytest.raises(ValueError, match="ingen period"):
        scaffold.parse_period("2024-01-01-2024-12-31")
    with pytest.raises(ValueError, match="slutar .* innan den börjar"):
        scaffold.parse_period("2024-12-31--2024-01-01")
    with pytest.raises(ValueError, match="finns inte i kalendern"):
        scaffold.parse_period("2024-02-30--2024-12-31")
    with pytest.raises(ValueError, match="finns inte i kalendern"):
        scaffold.parse_period("0000")
    # the years a parameters file takes: 1900 to next year (what validate would refuse is not written)
    next_year = dt.date.today().year + 1
    assert scaffold.parse_period(str(next_year))[2] == dt.date(next_year, 12, 31)
    for period, year in (("1899", 1899), (str(next_year + 1), next_year + 1), ("2024-01-01--9999-12-31", 9999)):
        with pytest.raises(ValueError, match=f"året {year} är inte rimligt; datum ska ligga mellan år 1900 och {next_year}"):
            scaffold.parse_period(period)



# -- the parameters file ----------------------------------------------------------------------------
@pytest.mark.parametrize("typ", REPORT_TYPES)
def test_parameters_are_valid_as_written_with_every_key_explained(tmp_path, typ):
    result = new(tmp_path, "framtiden", "--period", "2020-05-01--2021-04-30", "--typ", typ)
    assert result.exit_code == 0, result.output
    path = tmp_path / "params" / "framtiden" / "2020-05-01--2021-04-30.yaml"
    params = load_params(path)
    assert params.rapporttyp == typ
    assert (params.period.start, params.period.slut) == (dt.date(2020, 5, 1), dt.date(2021, 4, 30))
    assert params.data == (tmp_path / "data" / "framtiden").resolve()
    assert params.sektioner == list(sections.DEFAULT_SECTIONS[typ])
    text = path.read_text(encoding="utf-8")
    written = yaml.safe_load(text)
    assert list(written) == [k for k in scaffold.KEY_DOCS if k in scaffold.model_keys()]
    lines = text.splitlines()
    for key in scaffold.model_keys():
        index = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
        assert lines[index - 1].startswith("# "), key  # explained right above
    assert written["data"] == "../../data/framtiden"


def test_every_parameter_key_has_a_swedish_explanation():
    assert set(scaffold.model_keys()) <= set(scaffold.KEY_DOCS)


# -- the data folder --------------------------------------------------------------------------------
def test_new_insats_files(tmp_path):
    result = new(tmp_path, "framtiden", "--period", "2024", "--namn", "FRAMTIDEN", "--forbund", "Samordningsförbundet Exempel")
    assert result.exit_code == 0, result.output
    data = tmp_path / "data" / "framtiden"
    assert (data / ".gitignore").read_text().splitlines()[-1] == "*"
    assert openpyxl.load_workbook(data / "deltagare.xlsx").sheetnames == ["Deltagare", "Instruktioner"]
    stubs = sorted(p.stem for p in (data / "texter").iterdir())
    assert stubs == sorted(["sammanfattning", "bakgrund", "metod", "utmaningar"])
    params = load_params(tmp_path / "params" / "framtiden" / "2024.yaml")
    assert (params.namn, params.forbund) == ("FRAMTIDEN", "Samordningsförbundet Exempel")
    examples = data / "exempel"
    for name in ("mal.yaml", "organisation.yaml", "enkater/avslut.yaml", "enkater/avslut.csv",
                 "matriser/01-samverkan.yaml", "uppfoljning.xlsx", "LASMIG.md", "texter/resultat.md",
                 "instrument.yaml", "matningar.csv", "matningar.xlsx", "kostnader.yaml"):
        assert (examples / name).is_file(), name
    assert "Ny insats framtiden, period 2024 (arsrapport):" in result.output
    assert "Nästa steg:" in result.output and "evaluation validate" in result.output


def test_text_stubs_list_only_real_variables_and_never_show_the_list(tmp_path):
    for typ in REPORT_TYPES:
        for section_id in scaffold.text_sections(typ):
            stub = scaffold.text_stub(section_id, typ)
            listed = re.findall(r"\b(?:period|insats|antal|andel|mal)\.(?!yaml\b)\w+", stub.split("#}")[0])
            assert listed and all(figures.is_documented(n) for n in listed), (typ, section_id)
            if typ == "processkartlaggning":
                assert "antal.deltagare" not in stub


@pytest.mark.slow  # renders through the notebook
def test_validate_says_what_is_missing_until_the_register_has_rows_then_renders(tmp_path):
    assert new(tmp_path, "framtiden", "--period", "2024").exit_code == 0
    params = tmp_path / "params" / "framtiden" / "2024.yaml"
    runner = CliRunner()
    empty = runner.invoke(main, ["validate", str(params)])
    assert empty.exit_code == 1
    assert "deltagarregistret har ännu inga deltagare, bara rubrikraden" in empty.output
    assert "deltagar_id, kon, startdatum" in empty.output

    fill_register(tmp_path / "data" / "framtiden" / "deltagare.xlsx", ROWS)
    assert runner.invoke(main, ["validate", str(params)]).exit_code == 0
    report = open_report(params)
    assert [s.id for s in report.sections][:4] == ["sammanfattning", "bakgrund", "metod", "utmaningar"]
    summary = report.sections[0].to_html()
    # 3 unique participants in 2024 (K1, M1, M2), hidden: one woman and two men, everything around
    # them 1 or 2 (min_cell 3); the comment with the variable list never shows.
    assert "deltog .. personer i framtiden" in summary
    assert "Variabler" not in summary and "Skriv avsnittet sammanfattning här" in summary

    out = tmp_path / "output"
    rendered = runner.invoke(main, ["render", str(params), "--out", str(out)])
    assert rendered.exit_code == 0, rendered.output
    html = (out / "framtiden" / "2024" / "rapport.html").read_text(encoding="utf-8")
    assert "deltog .. personer i framtiden" in html  # hidden (see above)


def test_examples_are_valid_once_copied_into_the_data_folder(tmp_path):
    assert new(tmp_path, "framtiden", "--period", "2024").exit_code == 0
    data = tmp_path / "data" / "framtiden"
    fill_register(data / "deltagare.xlsx", ROWS)
    before = [s.id for s in open_report(tmp_path / "params" / "framtiden" / "2024.yaml").sections]
    assert not {"mal", "organisation", "enkater", "intervjuer"} & set(before)  # examples are never read
    for name in ("mal.yaml", "organisation.yaml"):
        shutil.copy(data / "exempel" / name, data / name)
    for name in ("enkater", "intervjuer"):
        shutil.copytree(data / "exempel" / name, data / name)
    for name in ("instrument.yaml", "kostnader.yaml"):
        shutil.copy(data / "exempel" / name, data / name)
    # the example's made-up ids become the register's, as the example's LASMIG.md asks
    measured = (data / "exempel" / "matningar.csv").read_text(encoding="utf-8")
    (data / "matningar.csv").write_text(measured.replace("D001", "K1").replace("D002", "M2"), encoding="utf-8")
    report = open_report(tmp_path / "params" / "framtiden" / "2024.yaml")
    assert {"mal", "organisation", "enkater", "intervjuer", "matningar", "samverkan", "samhallsnytta"} \
        <= {s.id for s in report.sections}
    # ORS: K1 18 → 27 and M2 22 → 21, two paired (counts below min_cell 3 are hidden)
    assert report.table("matning_ors").frame.iloc[-1]["parade"] == MARK
    goals = report.table("mal").frame.set_index("id")
    # 2 of 2 ended to work or studies, and the 3 participants: hidden (min_cell 3, see above), so
    # those goals are not measurable here; manual 12 >= 10.
    assert report.params.min_cell == 3
    assert goals["status"].to_dict() == {"arbete-studier": "Ej mätbart", "deltagare": "Ej mätbart",
                                         "arbetsgivare": "Uppfyllt"}


def test_processkartlaggning_needs_no_register_and_its_matrix_examples_work(tmp_path):
    result = new(tmp_path, "kartan", "--period", "2025-01-01--2025-06-30", "--typ", "processkartlaggning")
    assert result.exit_code == 0, result.output
    data = tmp_path / "data" / "kartan"
    assert not (data / "deltagare.xlsx").exists()
    assert "deltagare.xlsx" not in result.output
    params = tmp_path / "params" / "kartan" / "2025-01-01--2025-06-30.yaml"
    assert CliRunner().invoke(main, ["validate", str(params)]).exit_code == 0
    shutil.copytree(data / "exempel" / "matriser", data / "matriser")
    report = open_report(params)
    assert [s.id for s in report.sections] == [
        "sammanfattning", "bakgrund", "metod", "matriser", "slutsatser", "rekommendationer"]
    assert [t.id for t in report.tables] == ["matris_01-samverkan", "matris_02-prioriteringar", "matris_03-erfarenheter"]


def test_running_again_never_overwrites(tmp_path):
    assert new(tmp_path, "framtiden", "--period", "2024").exit_code == 0
    params = tmp_path / "params" / "framtiden" / "2024.yaml"
    stub = tmp_path / "data" / "framtiden" / "texter" / "bakgrund.md"
    params.write_text(params.read_text(encoding="utf-8").replace("namn: framtiden", "namn: Egen"), encoding="utf-8")
    stub.write_text("Min egen text.\n", encoding="utf-8")
    again = new(tmp_path, "framtiden", "--period", "2024")
    assert again.exit_code == 0
    assert "Inget skrevs: allt fanns redan." in again.output
    assert f"fanns redan  {params} (orörd)" in again.output
    assert load_params(params).namn == "Egen"
    assert stub.read_text(encoding="utf-8") == "Min egen text.\n"
    # another period of the same insats: only its parameters file is new
    other = new(tmp_path, "framtiden", "--period", "2025")
    assert f"skapad       {tmp_path / 'params' / 'framtiden' / '2025.yaml'}" in other.output
    assert f"fanns redan  {stub} (orörd)" in other.output


def test_a_register_as_csv_and_a_text_in_word_count_as_there(tmp_path):
    """new for an insats whose register is a CSV wrote deltagare.xlsx beside it (and a Markdown
    stub beside a Word text), and validate then refused the pair."""
    data = tmp_path / "data" / "framtiden"
    (data / "texter").mkdir(parents=True)
    (data / "deltagare.csv").write_text(csv_text(), encoding="utf-8")
    (data / "texter" / "bakgrund.docx").write_bytes(b"a Word text")
    done = new(tmp_path, "framtiden", "--period", "2020")
    assert done.exit_code == 0
    assert not (data / "deltagare.xlsx").exists() and not (data / "texter" / "bakgrund.md").exists()
    assert f"fanns redan  {data / 'deltagare.csv'} (orörd)" in done.output
    assert f"fanns redan  {data / 'texter' / 'bakgrund.docx'} (orörd)" in done.output
    assert (data / "texter" / "metod.md").exists()  # the stubs not written in Word are


@pytest.mark.parametrize("args, message", [
    (["Framtiden!", "--period", "2024"], "namnet får bara innehålla a-z, 0-9 och bindestreck"),
    (["framtiden\n", "--period", "2024"], "INSATS: ska stå på en rad"),  # a line break in a folder's name
    (["x" * 61, "--period", "2024"], "namnet har 61 tecken; högst 60 är tillåtet"),
    (["framtiden", "--period", "1899"], "året 1899 är inte rimligt"),
    (["framtiden", "--period", "2024", "--forbund", "Förbundet\nExempel"], "ska stå på en rad"),
    (["framtiden", "--period", "2024/2025"], "är ingen period"),
    (["framtiden", "--period", "2024-12-31--2024-01-01"], "innan den börjar"),
    (["framtiden", "--period", "2024", "--typ", "veckorapport"], "veckorapport"),
])
def test_wrong_usage_is_exit_2(tmp_path, args, message):
    result = new(tmp_path, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "params").exists()


def test_new_help_is_swedish():
    result = CliRunner().invoke(main, ["new", "--help"])
    assert "Starta en ny insats" in result.output and "Rapporttyp." in result.output


def test_data_folders_are_git_ignored():
    assert "/data/" in (REPO / ".gitignore").read_text().splitlines()  # the top folder only: not the demo's
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    checked = subprocess.run(["git", "check-ignore", "--no-index", "-q", "data/framtiden/deltagare.xlsx"],
                             cwd=REPO, capture_output=True)
    assert checked.returncode == 0
    demo = subprocess.run(["git", "check-ignore", "--no-index", "-q", "evaluation/demo/data/steget/deltagare.csv"],
                          cwd=REPO, capture_output=True)
    assert demo.returncode == 1  # the shipped demo data is not ignored


def test_the_placeholder_left_in_a_new_text_is_a_warning_naming_file_and_line_and_an_error_with_strikt(tmp_path):
    assert new(tmp_path, "framtiden", "--period", "2024").exit_code == 0
    params = tmp_path / "params" / "framtiden" / "2024.yaml"
    fill_register(tmp_path / "data" / "framtiden" / "deltagare.xlsx", ROWS)
    texter = tmp_path / "data" / "framtiden" / "texter"
    summary = texter / "sammanfattning.md"
    line = summary.read_text(encoding="utf-8").splitlines().index("*(Skriv avsnittet sammanfattning här.)*") + 1
    found = {(Path(n.path).name, n.line): n.message for n in open_report(params).notices
             if "platshållaren" in n.message}
    assert found[("sammanfattning.md", line)] == (
        "platshållaren '(Skriv avsnittet sammanfattning här.)' från evaluation new står kvar och syns i "
        "rapporten. Skriv avsnittets text i stället, eller ta bort raden.")
    assert sorted(name for name, _ in found) == ["bakgrund.md", "metod.md", "sammanfattning.md", "utmaningar.md"]
    strict = CliRunner().invoke(main, ["validate", str(params), "--strikt"])
    assert strict.exit_code == 1 and f"{summary}, rad {line}: platshållaren" in strict.output
    for text in texter.iterdir():  # written over: no such warning
        text.write_text("Insatsen startade under året.\n", encoding="utf-8")
    assert not [n for n in open_report(params).notices if "platshållaren" in n.message]
