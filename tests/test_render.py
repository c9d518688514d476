"""End to end: the real notebook in a real kernel, its HTML, its tables, and the CLI."""
from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation import ValidationError
from evaluation.run.render import render_report
from evaluation.run.resources import notebook_path

NOTEBOOK = notebook_path()

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The hand-computed project rendered once through papermill."""
    from conftest import FOLLOWUPS, csv_text, write_params

    root = tmp_path_factory.mktemp("proj")
    params = write_params(root, provtid_dagar=90)
    data = root / "data" / "testinsats"
    (data / "deltagare.csv").write_text(csv_text(), encoding="utf-8")
    (data / "uppfoljning.csv").write_text(FOLLOWUPS, encoding="utf-8")
    out = root / "output"
    done = render_report(params, out)
    return params, out, done.folder


@pytest.mark.slow  # runs the notebook
def test_outputs_laid_out_as_contract(rendered):
    _, out, folder = rendered
    assert folder == out / "testinsats" / "2020"
    for name in ("rapport.html", "rapport.ipynb", "tabeller.xlsx", "rapport.pdf", "tabeller/resultat.csv"):
        assert (folder / name).is_file(), name
    assert (out / "index.html").is_file()


@pytest.mark.slow  # runs the notebook
def test_the_shipped_notebook_and_the_index_name_no_path_of_the_machine(rendered):
    """A probe: rapport.ipynb's parameters cell held /work/…/params/….yaml and the staging folder's
    /tmp/…/.bygger-…/rapport.pickle, and index.json's keys and warnings were machine paths."""
    params, out, folder = rendered
    root = str(params.parents[2])
    notebook = nbformat.read(folder / "rapport.ipynb", as_version=4)
    (injected,) = [c for c in notebook.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected.source == '# Parametrar\nparams_path = "params/testinsats/2020.yaml"\nhandover = None\n'
    assert notebook.metadata.papermill.parameters == {"params_path": "params/testinsats/2020.yaml", "handover": None}
    # the record names the notebook's files, and every cell has what papermill's reading gives it
    assert (notebook.metadata.papermill.input_path, notebook.metadata.papermill.output_path) == ("rapport.ipynb",) * 2
    assert all({"tags", "papermill"} <= set(c.metadata) for c in notebook.cells)
    assert root not in (folder / "rapport.ipynb").read_text(encoding="utf-8")
    assert "/tmp" not in (folder / "rapport.ipynb").read_text(encoding="utf-8")
    manifest = (out / "index.json").read_text(encoding="utf-8")
    assert list(json.loads(manifest)) == ["../params/testinsats/2020.yaml"] and root not in manifest


@pytest.mark.slow  # runs the notebook
def test_csv_tables_hold_hand_computed_numbers(rendered):
    folder = rendered[2] / "tabeller"
    kon = pd.read_csv(folder / "deltagare_kon.csv")
    assert list(kon.columns) == ["kon", "unika", "inskrivningar", "nya", "avslutade", "pagaende"]
    assert kon.set_index("kon").loc["Totalt"].tolist() == [10, 10, 8, 7, 3]
    res = pd.read_csv(folder / "resultat.csv").set_index("kategori")
    assert list(res.columns) == ["antal", "bas", "andel"]
    assert res.loc["Arbete eller studier"].tolist() == [2, 4, 0.5]
    alder = pd.read_csv(folder / "alder.csv")
    assert list(alder.columns) == ["intervall", "antal", "andel"]
    assert alder["andel"].iloc[0] == 3 / 7  # unrounded fraction
    f = pd.read_csv(folder / "forsorjning_fore_efter.csv").set_index("kalla")
    assert list(f.columns) == ["fore", "efter", "forandring", "forandring_procent", "bas", "andel_fore", "andel_efter"]
    assert f.loc["Försörjningsstöd", "forandring_procent"] == pytest.approx(-2 / 3)
    for id_ in ("utbildning", "tid_i_forsorjning", "avslutsanledning_kon", "uppfoljning"):
        assert (folder / f"{id_}.csv").is_file()
    book = openpyxl.load_workbook(rendered[2] / "tabeller.xlsx")
    ids = [row[2] for row in book["Innehåll"].iter_rows(min_row=4, values_only=True)]
    assert {"deltagare_kon", "resultat", "alder"} <= set(ids)  # ids on the contents sheet
    assert "resultat" not in book.sheetnames  # sheets are named by their Swedish captions


_TEXTS = st.one_of(st.text(max_size=6), st.sampled_from(["=1+1", "-", "@x", "\tx", 'a,"b"', "rad\nrad", ""]))
_CSV_COLUMNS = {
    "int64": st.integers(-2**63, 2**63 - 1),
    "float64": st.floats(width=64) | st.sampled_from([1e16, 1e-5, -0.0, 0.1]),
    "bool": st.booleans(),
    "object": st.one_of(_TEXTS, st.none(), st.integers(), st.floats(), st.dates()),
    "str": st.one_of(_TEXTS, st.none()),
    "datetime64[ns]": st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1)),
    "Int64": st.one_of(st.none(), st.integers(-1000, 1000)),
}


@st.composite
def _csv_frames(draw):
    rows = draw(st.integers(0, 4))
    kinds = draw(st.lists(st.sampled_from(sorted(_CSV_COLUMNS)), min_size=1, max_size=4))
    names = draw(st.lists(_TEXTS, min_size=len(kinds), max_size=len(kinds), unique=True))  # a table's column ids
    frame = pd.DataFrame({i: pd.Series(draw(st.lists(_CSV_COLUMNS[k], min_size=rows, max_size=rows)), dtype=k)
                          for i, k in enumerate(kinds)})
    frame.columns = names
    return frame


@settings(max_examples=200, deadline=None)
@given(_csv_frames())
def test_a_table_is_written_as_pandas_writes_it_made_inert(tmp_path_factory, frame):
    """The CSV writer's own path (plain columns) and pandas' (any other) give pandas' bytes."""
    from evaluation.renderers import csv

    folder = tmp_path_factory.mktemp("csv")
    csv.write_table(frame, folder / "own.csv")
    csv.inert_frame(frame).to_csv(folder / "pandas.csv", index=False, encoding="utf-8")
    assert (folder / "own.csv").read_bytes() == (folder / "pandas.csv").read_bytes()


@pytest.mark.slow  # runs the notebook
def test_html_is_swedish_self_contained_and_codeless(rendered):
    html = (rendered[2] / "rapport.html").read_text(encoding="utf-8")
    assert "Testinsatsen" in html and "Samordningsförbundet Test" in html and "Test Utvärdering AB" in html
    assert "2020-01-01 – 2020-12-31" in html and "Årsrapport" in html and "Innehåll" in html
    assert "43\u00a0%" in html and "42,9" not in html  # 3 of 7 aged 15-29: whole percents under 10
    assert "Andel av 4 avslutade som räknas i resultatet" in html
    assert "data:image/png;base64," in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "<script" not in html.lower()
    for leak in ("params_path", "import evaluation", "open_report", "Traceback", "tables_dir"):
        assert leak not in html
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", html)
    for person in ("D01", "D02", "Fast anställning"):  # ids and follow-up comments never shown
        assert person not in text


@pytest.mark.slow  # runs the notebook
def test_the_page_is_what_nbconverts_own_html_exporter_makes_of_the_notebook(rendered):
    """The page's exporter skips only HTMLExporter's last pass (a BeautifulSoup round trip adding
    alt text to pictures without it, and tabindex to Lab output areas): the same page once both
    are parsed, and nothing that pass would have added."""
    from bs4 import BeautifulSoup
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    from evaluation.build.report import open_report
    from evaluation.renderers import html

    params, _, folder = rendered
    executed = nbformat.read(folder / "rapport.ipynb", as_version=4)
    doc = open_report(params).document
    own = HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                       exclude_output_prompt=True)
    own.register_preprocessor(TagRemovePreprocessor(remove_cell_tags=html.HIDDEN_TAGS, enabled=True), enabled=True)
    notebook = nbformat.from_dict(executed)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = html._as_report([o for o in cell.outputs if "data" in o], doc)
    expected, _ = own.from_notebook_node(notebook)
    page = html.from_notebook(executed, doc)
    body = page[page.index('<main class="report">') + len('<main class="report">'):page.index("</main>")].strip()
    assert str(BeautifulSoup(body, "html.parser")) == expected.strip()
    assert "data:image/png" in body and "No description" not in expected and "jp-OutputArea" not in body
    assert (folder / "rapport.html").read_text(encoding="utf-8") == page


@pytest.mark.slow  # runs the notebook
def test_audit_notebook_holds_injected_parameters(rendered):
    nb = nbformat.read(rendered[2] / "rapport.ipynb", as_version=4)
    tags = [t for c in nb.cells for t in c.metadata.get("tags", [])]
    assert "injected-parameters" in tags


@pytest.mark.slow  # runs the notebook
def test_failed_render_keeps_earlier_report_and_records_failure(rendered):
    params, out, folder = rendered
    before = (folder / "rapport.html").read_bytes()
    register = params.parent.parent.parent / "data" / "testinsats" / "deltagare.csv"
    good = register.read_text(encoding="utf-8")
    register.write_text(good.replace("D03,Kvinna", "D03,Okänd"), encoding="utf-8")
    try:
        with pytest.raises(ValidationError, match="Okänd"):
            render_report(params, out)
    finally:
        register.write_text(good, encoding="utf-8")
    assert (folder / "rapport.html").read_bytes() == before
    entry = next(iter(json.loads((out / "index.json").read_text()).values()))
    assert entry["status"] == "fel" and "Okänd" in entry["meddelande"] and entry["lank"]
    assert "Den senaste körningen misslyckades; rapporten som visas är den förra versionen" in (out / "index.html").read_text(encoding="utf-8")
    assert not list(folder.parent.glob(".bygger-*"))


@pytest.mark.slow  # runs the notebook
def test_plain_papermill_runs_the_notebook(tmp_path, project):
    out = tmp_path / "out.ipynb"
    result = subprocess.run(
        [str(BIN / "papermill"), str(NOTEBOOK), str(out), "-p", "params_path", str(project), "--cwd", str(NOTEBOOK.parent)],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    nb = nbformat.read(out, as_version=4)
    html = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "Testinsatsen" in html and "Resultat vid avslut" in html


def test_notebook_default_parameters_point_at_demo():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert "parameters" in first.metadata.get("tags", [])
    path = re.search(r'params_path = "([^"]+)"', first.source).group(1)
    assert (NOTEBOOK.parent.parent / path).is_file()  # from the project root, where open_report looks
    from evaluation.inputs.params import find_params_file, project_roots

    assert NOTEBOOK.parent.parent in project_roots(NOTEBOOK.parent)
    assert find_params_file(NOTEBOOK.parent.parent / path).is_file()


def _cli(*args, cwd=None):
    return subprocess.run([str(BIN / "evaluation"), *args], capture_output=True, text=True, cwd=cwd)


def test_cli_exit_codes_and_messages(tmp_path, project):
    assert _cli().returncode in (0, 2)
    usage = _cli("render")
    assert usage.returncode == 2 and "PARAMS" in usage.stderr
    bad = tmp_path / "params" / "x" / "2020.yaml"
    bad.parent.mkdir(parents=True)
    bad.write_text("insats: x\n")
    result = _cli("render", str(bad), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "nyckeln 'namn': krävs men saknas" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "x").exists()
    ok = _cli("validate", str(project))
    assert ok.returncode == 0 and "OK" in ok.stdout
    both = _cli("validate", str(project), str(bad))
    assert both.returncode == 1


@pytest.mark.slow  # runs the notebook
def test_a_report_named_twice_is_rendered_once_and_that_is_said(tmp_path, project):
    """The same file twice (here by two paths) failed twice, as two files writing one folder."""
    other_path = project.parent / ".." / project.parent.name / project.name
    result = _cli("render", str(project), str(other_path), "--out", str(tmp_path / "out"), "--formats", "html")
    assert result.returncode == 0, result.stderr
    assert f"Obs: {project} angavs 2 gånger; den körs en gång." in result.stderr
    assert "1 rapport: 1 klar, 0 oförändrade, 0 fel" in result.stdout
    assert (tmp_path / "out" / "testinsats" / "2020" / "rapport.html").is_file()


@pytest.mark.slow  # runs the notebook
def test_a_first_report_that_fails_leaves_no_empty_folder(tmp_path, project):
    """The insats folder was made for the report's staging and stayed, empty, when it failed."""
    texts = project.parent.parent.parent / "data" / "testinsats" / "texter"
    texts.mkdir()
    (texts / "bakgrund.md").write_text("Hej {{ okand.variabel }}\n", encoding="utf-8")
    result = _cli("render", str(project), "--out", str(tmp_path / "out"), "--formats", "html")
    assert result.returncode == 1 and "okänd variabel 'okand.variabel'" in result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".korning.las", "index.html", "index.json"]


@pytest.mark.slow  # runs the notebook
def test_render_all_goes_on_after_a_failure(tmp_path, project):
    params_dir = project.parent.parent
    broken = params_dir / "testinsats" / "2021.yaml"
    broken.write_text(project.read_text().replace("slut: 2020-12-31", "slut: 2019-12-31"))
    result = _cli("render", "--all", "--params-dir", str(params_dir), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "innan den börjar" in result.stderr and "2 rapporter: 1 klar, 0 oförändrade, 1 fel" in result.stdout
    assert (tmp_path / "out" / "testinsats" / "2020" / "rapport.html").is_file()
    assert not (tmp_path / "out" / "testinsats" / "2021").exists()


def test_a_failed_report_under_a_path_with_personal_data_is_indexed_masked(tmp_path):
    from evaluation.run import index

    params = tmp_path / "anna@kommun.se" / "811218-9876.yaml"
    index.record_failure(tmp_path / "ut", params, f"{params}: parameterfilen finns inte.")
    saved = (tmp_path / "ut" / "index.json").read_text(encoding="utf-8")
    page = (tmp_path / "ut" / "index.html").read_text(encoding="utf-8")
    for shown in (saved, page):
        assert "anna@" not in shown and "811218" not in shown and "[dolt]" in shown
    (entry,) = json.loads(saved).values()
    assert entry["status"] == "fel" and entry["insats"] == "[dolt]" and entry["period"] == "[dolt]" and entry["varningar"] == []


@pytest.mark.slow  # runs the notebook
def test_every_format_carries_the_reports_title_subject_author_and_language(rendered):
    """The Excel file said "openpyxl" and had no title; the PDF had no author or subject (an
    accessibility checker asks for a title, and a förbund's archive searches the properties)."""
    import docx
    import openpyxl
    from pypdf import PdfReader

    _, _, folder = rendered
    title, subject, author = ("Testinsatsen – Årsrapport 2020-01-01 – 2020-12-31", "Årsrapport 2020-01-01 – 2020-12-31",
                              "Test Utvärdering AB")
    word = docx.Document(str(folder / "rapport.docx")).core_properties
    assert (word.title, word.subject, word.author, word.language) == (title, subject, author, "sv-SE")
    excel = openpyxl.load_workbook(folder / "tabeller.xlsx").properties
    assert (excel.title, excel.subject, excel.creator, excel.lastModifiedBy, excel.language) == (
        title, subject, author, author, "sv-SE")
    pdf = PdfReader(folder / "rapport.pdf")
    assert (pdf.metadata.title, pdf.metadata.subject, pdf.metadata.author) == (title, subject, author)
    page = (folder / "rapport.html").read_text(encoding="utf-8")
    assert f'<meta name="author" content="{author}">' in page and f'<meta name="description" content="{subject}">' in page


def test_the_index_page_shows_the_inputs_paths_from_the_projects_folder(tmp_path):
    """Probes: index.html, shared with the reports, showed /home/<user>/… paths in its messages
    and warnings, and so did index.json beside it (its keys too)."""
    from evaluation.core.errors import Notice
    from evaluation.run import index

    project = tmp_path / "projekt"
    params = project / "params" / "insats" / "2024.yaml"
    register = project / "data" / "insats" / "deltagare.csv"
    index.record_failure(tmp_path / "ut", params, f"{register}: 1 fel hittades.")
    page = (tmp_path / "ut" / "index.html").read_text(encoding="utf-8")
    assert "data/insats/deltagare.csv: 1 fel hittades." in page and str(project) not in page
    saved = json.loads((tmp_path / "ut" / "index.json").read_text(encoding="utf-8"))
    assert list(saved) == ["../projekt/params/insats/2024.yaml"]
    assert saved["../projekt/params/insats/2024.yaml"]["meddelande"] == "data/insats/deltagare.csv: 1 fel hittades."
    assert str(tmp_path) not in (tmp_path / "ut" / "index.json").read_text(encoding="utf-8")
    # an index an earlier version wrote, keyed by the machine's path: the same entry, not a second one
    (tmp_path / "ut" / "index.json").write_text(json.dumps({str(params): saved["../projekt/params/insats/2024.yaml"]}))
    index.record_failure(tmp_path / "ut", params, "igen")
    assert list(json.loads((tmp_path / "ut" / "index.json").read_text(encoding="utf-8"))) == [
        "../projekt/params/insats/2024.yaml"]
    row = index._row(tmp_path / "ut", {"varningar": [Notice(register, 3, f"se {project}/texter/a.md").as_dict()]},
                     str(params))
    assert row["warnings"] == [{"fil": "data/insats/deltagare.csv", "rad": 3, "meddelande": "se texter/a.md"}]


@pytest.mark.slow  # runs the notebook twice
def test_rendering_fewer_formats_keeps_the_earlier_files_and_says_they_are_older(tmp_path, project):
    """`render --formats html` deleted the earlier rapport.docx/tabeller.xlsx without a word."""
    out = tmp_path / "out"
    first = _cli("render", str(project), "--out", str(out), "--formats", "html,xlsx")
    assert first.returncode == 0, first.stderr
    folder = out / "testinsats" / "2020"
    workbook = (folder / "tabeller.xlsx").read_bytes()
    made = (folder / "tabeller.xlsx").stat().st_mtime_ns
    assert "Ligger kvar" not in first.stdout
    (project.parent.parent.parent / "data" / "testinsats" / "deltagare.csv").touch()  # not unchanged
    again = _cli("render", str(project), "--out", str(out), "--formats", "html")
    assert again.returncode == 0, again.stderr
    assert (folder / "tabeller.xlsx").read_bytes() == workbook
    assert (folder / "tabeller.xlsx").stat().st_mtime_ns == made  # its own, older time
    assert ("Ligger kvar från en tidigare körning och är äldre än den här rapporten: tabeller.xlsx. "
            "De kan vara inaktuella; kör utan --formats för att göra om dem.") in again.stdout
    entry = next(iter(json.loads((out / "index.json").read_text(encoding="utf-8")).values()))
    assert entry["aldre"] == ["tabeller.xlsx"]
    assert ">Excel (från en tidigare körning)</a>" in (out / "index.html").read_text(encoding="utf-8")
    full = _cli("render", str(project), "--out", str(out), "--formats", "html,xlsx")
    assert full.returncode == 0 and "Ligger kvar" not in full.stdout
    assert json.loads((out / "index.json").read_text(encoding="utf-8")).popitem()[1]["aldre"] == []
    assert ">Excel</a>" in (out / "index.html").read_text(encoding="utf-8")


def test_a_table_formats_its_cells_once_and_a_handed_over_one_brings_them(monkeypatch):
    """The kernel's notebook formats a table's cells; the worker's page, Word and Excel reuse them."""
    import pickle

    from evaluation.core.model import Table

    table = Table("t", "Kön", pd.DataFrame({"kon": ["Kvinna"], "antal": [1234]}),
                  {"kon": ("Kön", "text"), "antal": ("Antal", "count")})
    cells = table.cells()
    handed_over = pickle.loads(pickle.dumps(table))
    monkeypatch.setattr(Table, "cell", lambda *_: pytest.fail("formatted again"))
    assert table.cells() is cells and handed_over.cells() == [["Kvinna", "1\xa0234"]]


def test_a_batch_saves_its_index_when_seconds_have_passed_and_when_it_ends(tmp_path, monkeypatch):
    """A batch keeps its outcomes in memory and saves the index at most every few seconds, not
    after each report (which rewrote the whole index every time), and always when it ends."""
    from evaluation.run import index

    out = tmp_path / "ut"
    first, second = (tmp_path / "projekt" / "params" / "insats" / f"{year}.yaml" for year in (2023, 2024))
    with index.Recorder(out) as recorder:
        recorder.failure(first, "ett fel")
        assert not (out / "index.json").exists()  # no time has passed: kept in memory
    assert list(json.loads((out / "index.json").read_text(encoding="utf-8"))) == ["../projekt/params/insats/2023.yaml"]
    monkeypatch.setattr(index, "SAVE_EVERY", 0.0)  # as when seconds have passed
    with index.Recorder(out) as recorder:
        recorder.failure(second, "ett fel till")
        assert len(json.loads((out / "index.json").read_text(encoding="utf-8"))) == 2
        assert "ett fel till" in (out / "index.html").read_text(encoding="utf-8")


def test_a_published_report_the_index_does_not_list_is_made_again(tmp_path):
    """A batch killed outright may have published a report and not yet saved the index: the next
    run makes it again (and lists it), rather than skipping it as unchanged and unlisted."""
    from conftest import write_params
    from evaluation.run import batch, fingerprint, index
    from evaluation.run.render import target_of

    out = tmp_path / "ut"
    loaded = batch.load_all([write_params(tmp_path)])
    (path, params), = loaded
    folder = target_of(params, out)
    folder.mkdir(parents=True)
    fingerprint.write(folder, fingerprint.of(params, ("html",)))
    todo, known = batch.plan(loaded, out, ("html",))
    assert [job.path for job in todo] == [path] and known == []
    index.record_success(out, params, folder)
    todo, known = batch.plan(loaded, out, ("html",))
    assert todo == [] and [outcome.status for outcome in known] == ["oforandrad"]
