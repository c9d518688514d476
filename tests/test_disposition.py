"""The evaluator's outline (``disposition``, contract §10): numbering, validation, the report's
sections and every format's headings (reference report 003's outline, tests/fixtures/disposition003)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import csv_text, write_params
from evaluation.build.report import Report
from evaluation.core.vocab import MARK
from evaluation.core.errors import ParamsError
from evaluation.core.model import Chart, Markdown, Table
from evaluation.inputs.disposition import entries, parse_outline
from evaluation.inputs.params import load_params
from evaluation.run import notebook
from evaluation.sections.texts import find_text

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "fixtures" / "disposition003"
DEMO = ROOT / "evaluation" / "demo"

#: Reference report 003's contents, numbers and headings exactly as it lists them.
OUTLINE_003 = [
    "1. Sammanfattning",
    "2. Deltagare/Arbetssökande",
    "2.1 Förutsättningar och genomförandeprocess",
    "2.2 Jämställdhetsintegrering",
    "2.3 Beskrivning av deltagarens förutsättning vid start av insats",
    "2.4 Beskrivning av genomförandeprocessen",
    "2.5 Rapport mål och indikatorer på individnivå",
    "2.5.1 Arbetssökandes förflyttning enligt processtrappan",
    "2.5.2 Arbetssökandes egenupplevda hälsa",
    "2.5.3 Arbetssökandes egen upplevelse av insatsen – mätning med NNS enkät",
    "3. Personal",
    "4. Organisation",
    "4.1 Rapport mål och indikatorer på insatsnivå",
    "4.1.1 Resultat: Andel i arbete, studier och aktivt arbetssökande",
    "4.1.2 Effekt på längre sikt",
    "4.1.3 Sammanfattning av resultat på insatsnivå",
    "4.2 Återbetalning samhällsnytta och Strategisk samverkan enligt processtrappan",
    "5. Tankar om framtiden",
]
DEPTHS_003 = [0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 0, 0, 1, 2, 2, 2, 1, 0]
NUMBERED = re.compile(r"^\d+(\.\d+)*\.? ")


# -- numbering (pure) ---------------------------------------------------------------------------
def test_automatic_explicit_and_no_numbers():
    tree = parse_outline([
        {"rubrik": "A"},                                   # 1
        {"rubrik": "B", "avsnitt": [{"rubrik": "B1"},      # 2, 2.1
                                    {"rubrik": "B3", "nummer": "2.3"},  # explicit
                                    {"rubrik": "B4", "avsnitt": [{"rubrik": "B4a"}]}]},  # 2.4, 2.4.1
        {"rubrik": "C", "nummer": 7},                      # a YAML number is read as text
        {"rubrik": "D"},                                   # 8: follows the explicit 7
        {"rubrik": "Bilaga", "nummer": False, "avsnitt": [{"rubrik": "X"}]},  # none, and none below
    ])
    got = [(e.number, e.depth, e.heading) for e in entries(tree)]
    assert got == [("1", 0, "1. A"), ("2", 0, "2. B"), ("2.1", 1, "2.1 B1"), ("2.3", 1, "2.3 B3"),
                   ("2.4", 1, "2.4 B4"), ("2.4.1", 2, "2.4.1 B4a"), ("7", 0, "7. C"), ("8", 0, "8. D"),
                   ("", 0, "Bilaga"), ("", 1, "X")]
    assert [e.id for e in entries(tree)][:3] == ["avsnitt-1", "avsnitt-2", "avsnitt-2-1"]
    assert entries(tree)[-2].id == "avsnitt-bilaga"


def test_the_003_fixture_numbers_as_003():
    import yaml

    tree = parse_outline(yaml.safe_load((FIXTURE / "disposition.yaml").read_text(encoding="utf-8"))["disposition"])
    assert [e.heading for e in entries(tree)] == OUTLINE_003
    assert [e.depth for e in entries(tree)] == DEPTHS_003


def test_the_guides_example_gives_003s_outline():
    import yaml

    guide = (ROOT / "docs" / "anvandarguide.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n# params/disposition.yaml\n(.*?)```", guide, re.S).group(1)
    tree = parse_outline(yaml.safe_load(block)["disposition"])
    assert [e.heading for e in entries(tree)] == OUTLINE_003
    listed = re.search(r"```text\n(1\. Sammanfattning.*?)```", guide, re.S).group(1).splitlines()
    assert [line.strip() for line in listed] == OUTLINE_003


# -- parameters ---------------------------------------------------------------------------------
def _project(tmp_path: Path, **extra) -> Path:
    params = write_params(tmp_path, provtid_dagar=90, min_cell=3, **extra)
    data = tmp_path / "data" / "testinsats"
    (data / "deltagare.csv").write_text(csv_text(), encoding="utf-8")
    (data / "texter").mkdir()
    (data / "texter" / "inledning.md").write_text("Under perioden deltog {{ antal.deltagare }} personer.\n",
                                                  encoding="utf-8")
    (data / "texter" / "efter.md").write_text("Text efter tabellen.\n", encoding="utf-8")
    return params


INLINE = ("\n  - rubrik: Deltagare\n    innehall:\n      - text: inledning\n      - tabell: deltagare_kon\n"
          "      - text: efter\n  - rubrik: Tankar om framtiden\n    nummer: \"5\"\n")


def test_inline_disposition_shows_texts_before_and_after_a_protected_table(tmp_path):
    report = Report(load_params(_project(tmp_path, disposition=INLINE)))
    first, second = report.sections
    assert (first.id, first.heading, second.heading) == ("avsnitt-1", "1. Deltagare", "5. Tankar om framtiden")
    kinds = [type(b).__name__ for b in first.blocks]
    assert kinds == ["Markdown", "Table", "Markdown"]
    # 10 = D01–D09 and the anonymous D12 (D10 ended 2019-12-31, D11 starts 2021)
    assert first.blocks[0].text.strip() == "Under perioden deltog 10 personer."
    placed = first.blocks[1]
    assert placed is report.table_map["deltagare_kon"]  # the protected table itself
    assert placed.cells()[2][:2] == ["Uppgift saknas", MARK]  # D07 alone: 1 < min_cell 3
    assert second.blocks == ()
    # every other computed table is named in one notice
    left = [n for n in report.notices if "visas inte i rapporten" in n.message]
    assert len(left) == 1 and "alder, utbildning, tid_i_forsorjning, resultat" in left[0].message


def test_a_table_comes_with_its_chart(tmp_path):
    params = _project(tmp_path, disposition="\n  - rubrik: Ålder\n    innehall: [{tabell: alder}]\n")
    (section,) = Report(load_params(params)).sections
    assert [type(b) for b in section.blocks] == [Table, Chart]
    assert section.blocks[1].title == "Ålder vid start"


def test_built_in_section_and_shifted_headings(tmp_path):
    params = _project(tmp_path, disposition=("\n  - rubrik: Resultat\n    avsnitt:\n      - rubrik: Allt\n"
                                             "        innehall: [{avsnitt: resultat}]\n"))
    report = Report(load_params(params))
    sub = report.section("avsnitt-1-1")
    assert (sub.heading, sub.depth) == ("1.1 Allt", 1)
    headings = [b for b in sub.blocks if type(b).__name__ == "Heading"]
    assert headings[0].text == "Deltagare" and headings[0].level == 4  # 3 in the built-in section, +1
    assert "deltagare_kon" in sub.tables and "resultat" in sub.tables
    html = sub.to_html()
    assert html.startswith('<section id="avsnitt-1-1" class="underavsnitt"><h3>1.1 Allt</h3>')


def test_disposition_from_a_shared_file(tmp_path):
    shared = tmp_path / "params" / "disposition.yaml"
    params = _project(tmp_path, disposition="../disposition.yaml")
    shared.write_text("disposition:\n  - rubrik: Sammanfattning\n    innehall: [{text: inledning}]\n", encoding="utf-8")
    loaded = load_params(params)
    assert loaded.disposition_source == shared.resolve()
    assert [s.heading for s in Report(loaded).sections] == ["1. Sammanfattning"]
    shared.write_text("- rubrik: Sammanfattning\n  nummer: ett\n", encoding="utf-8")  # a bare list, a bad number
    with pytest.raises(ParamsError) as err:
        load_params(params)
    message = str(err.value)
    assert message.startswith(f"{shared.resolve()}: ogiltig disposition.")
    assert "nyckeln 'disposition[0].nummer': 'ett' är inget avsnittsnummer" in message
    shared.write_text("mall: &a {rubrik: A}\ndisposition: [*a]\n", encoding="utf-8")  # an anchor kept aside
    with pytest.raises(ParamsError) as err:
        load_params(params)
    assert str(err.value) == (f"{shared.resolve()}: filen har fler nycklar än 'disposition': 'mall'. En "
                              "dispositionsfil har bara avsnitten (under 'disposition:' eller som en lista); ta bort "
                              "de andra.")
    shared.write_text("- rubrik: \"\\u200bSammanfattning\\x07\"\n", encoding="utf-8")  # invisible, control
    assert [s.heading for s in Report(load_params(params)).sections] == ["1. Sammanfattning"]


def test_whole_outline_problems_are_said_against_the_shared_file_one_a_line(tmp_path):
    """Two placings of one table, two sections with one number, or an empty outline in a shared
    file were said against the parameters file ("ogiltiga parametrar ... Rätta parameterfilen"), all
    on one line; a branch 60 levels deep gave one problem per level below the fourth."""
    shared = tmp_path / "params" / "disposition.yaml"
    params = _project(tmp_path, disposition="../disposition.yaml")
    shared.write_text("- rubrik: A\n  nummer: '1'\n  innehall: [{tabell: alder}]\n"
                      "- rubrik: B\n  nummer: '1'\n  innehall: [{tabell: alder}]\n", encoding="utf-8")
    with pytest.raises(ParamsError) as err:
        load_params(params)
    assert str(err.value).splitlines() == [
        f"{shared.resolve()}: ogiltig disposition.",
        "  - nyckeln 'disposition[1]': numret 1 har redan avsnittet i 'disposition[0]'; ge avsnitten olika nummer, "
        "eller utelämna 'nummer' för automatisk numrering.",
        "  - nyckeln 'disposition[1].innehall[0]': tabellen 'alder' står redan i 'disposition[0].innehall[0]'; "
        "allt i dispositionen visas en gång.",
        "Rätta dispositionen och kör igen (se docs/indatakontrakt.md §8).",
    ]
    deep: dict = {"rubrik": "N59"}
    for level in range(58, -1, -1):
        deep = {"rubrik": f"N{level}", "avsnitt": [deep]}
    shared.write_text(yaml.safe_dump([deep], allow_unicode=True), encoding="utf-8")
    with pytest.raises(ParamsError) as err:
        load_params(params)
    lines = str(err.value).splitlines()
    assert len(lines) == 3 and lines[1] == (
        "  - nyckeln 'disposition[0]" + ".avsnitt[0]" * 4 + "': avsnittet 'N4' ligger på nivå 5; högst 4 nivåer går "
        "(det gäller också avsnitten under det).")
    shared.write_text("".join(f"- rubrik: R{i}\n  innehall: [{{tabell: alder}}]\n" for i in range(100)), encoding="utf-8")
    with pytest.raises(ParamsError) as err:
        load_params(params)
    lines = str(err.value).splitlines()
    assert len(lines) == 22 and lines[-2].endswith("visas en gång … och 79 till.")  # 99 problems: 20 shown


@pytest.mark.parametrize("value, expected", [
    ("\n  - rubrik: A\n    innehall: [{text: a, tabell: b}]\n",
     "nyckeln 'disposition[0].innehall[0]': ange precis en av 'text: <namn>', 'tabell: <tabell-id>' eller "
     "'avsnitt: <avsnitts-id>' (här står 2)"),
    ("\n  - rubrik: A\n    innehal: []\n", "nyckeln 'disposition[0].innehal': okänd nyckel. Tillåtna nycklar: "
                                          "rubrik, nummer, innehall, avsnitt."),
    ("\n  - nummer: \"1\"\n", "nyckeln 'disposition[0].rubrik': krävs men saknas."),
    # a line break in a heading split the contents' line and the Word heading
    ("\n  - rubrik: \"Mål\\noch resultat\"\n", "nyckeln 'disposition[0].rubrik': en rubrik står på en rad: ta bort "
                                                  "radbrytningen (det står 'Mål\\noch resultat')."),
    # a heading of 5 000 characters filled pages of contents
    ("\n  - rubrik: " + "R" * 201 + "\n", "nyckeln 'disposition[0].rubrik': rubriken har 201 tecken; högst 200 går in "
                                         "på en rad i innehållsförteckningen. Korta den"),
    ("../saknas.yaml", "nyckeln 'disposition': filen"),
    ("dispo.txt", "'dispo.txt' är ingen YAML-fil"),
    # a report with no section, and two "1." headings, were rendered
    ("[]", "  - dispositionen är tom: ange minst ett avsnitt"),
    ("\n  - rubrik: A\n    nummer: \"2\"\n  - rubrik: B\n    nummer: \"1\"\n  - rubrik: C\n",
     "  - nyckeln 'disposition[2]': numret 2 har redan avsnittet i 'disposition[0]'"),
    # a table or a built-in section placed twice was shown twice, its ids twice in one page
    ("\n  - rubrik: A\n    innehall: [{tabell: alder}]\n  - rubrik: B\n    avsnitt:\n      - rubrik: C\n"
     "        innehall: [{text: a}, {tabell: alder}]\n",
     "  - nyckeln 'disposition[1].avsnitt[0].innehall[1]': tabellen 'alder' står redan i "
     "'disposition[0].innehall[0]'; allt i dispositionen visas en gång"),
    ("\n  - rubrik: A\n    innehall: [{avsnitt: enkater}, {avsnitt: enkater}]\n",
     "  - nyckeln 'disposition[0].innehall[1]': avsnittet 'enkater' står redan i 'disposition[0].innehall[0]'"),
])
def test_bad_disposition_names_key(tmp_path, value, expected):
    with pytest.raises(ParamsError) as err:
        load_params(_project(tmp_path, disposition=value))
    assert expected in str(err.value)


def test_sektioner_and_disposition_together_is_an_error(tmp_path):
    with pytest.raises(ParamsError, match="antingen 'sektioner' eller 'disposition'"):
        load_params(_project(tmp_path, sektioner="[resultat]", disposition="\n  - rubrik: A\n"))


def test_unknown_ids_in_one_error_with_near_matches(tmp_path):
    bad = ("\n  - rubrik: A\n    innehall:\n      - text: inledningen\n      - tabell: aldr\n"
           "    avsnitt:\n      - rubrik: B\n        innehall: [{avsnitt: enkatr}, {tabell: resultat}]\n")
    report = Report(load_params(_project(tmp_path, disposition=bad)))
    with pytest.raises(ParamsError) as err:
        report.sections  # noqa: B018
    lines = str(err.value).splitlines()
    assert lines[0] == f"{report.params.source}: dispositionen nämner sådant som rapporten inte har."
    assert lines[1].startswith("  - nyckeln 'disposition[0].innehall[0].text': texten 'inledningen' finns inte")
    assert lines[1].endswith("Menade du 'inledning'?")
    assert lines[2].startswith("  - nyckeln 'disposition[0].innehall[1].tabell': rapporten har ingen tabell 'aldr'. "
                               "Menade du 'alder'")
    assert lines[3].startswith("  - nyckeln 'disposition[0].avsnitt[0].innehall[0].avsnitt': 'enkatr' är inget avsnitt. "
                               "Menade du 'enkater'")
    assert len(lines) == 5  # the good table 'resultat' is not listed


def test_an_outline_text_near_a_file_named_with_personal_data_is_not_suggested(tmp_path):
    """A suggestion must not show what the message may not: a text file whose name is an e-mail
    address is neither matched nor suggested (it was "Menade du '[dolt]'?" after redaction)."""
    report = Report(load_params(_project(tmp_path, disposition="\n  - rubrik: A\n    innehall: [{text: styrning}]\n")))
    folder = Path(report.params.data) / "texter"
    folder.mkdir(exist_ok=True)
    (folder / "styrning@ex.se.md").write_text("Hej\n", encoding="utf-8")
    with pytest.raises(ParamsError) as err:
        report.sections  # noqa: B018
    message = str(err.value)
    assert "texten 'styrning' finns inte" in message and "Menade du" not in message and "ex.se" not in message


def test_a_text_the_outline_does_not_name_is_noticed(tmp_path):
    params = _project(tmp_path, disposition="\n  - rubrik: A\n    innehall: [{text: inledning}]\n")
    report = Report(load_params(params))
    # 'efter.md' is in texter/ but neither a section id nor named by the outline
    (notice,) = [n for n in report.notices if Path(n.path).name == "efter.md"]
    assert notice.message.startswith("texten visas inte: dispositionen nämner den inte")
    assert [s.blocks[0].text.strip() for s in report.sections] == ["Under perioden deltog 10 personer."]


def test_find_text_is_the_one_lookup(tmp_path):
    (tmp_path / "a.md").write_text("x", encoding="utf-8")
    assert find_text(tmp_path, "a") == tmp_path / "a.md"
    assert find_text(tmp_path, "b") is None


def test_default_outline_unchanged_without_disposition(tmp_path):
    from evaluation.core.errors import InputError

    params = _project(tmp_path)
    with pytest.raises(InputError, match="efter.md: ingen avsnittstext"):  # free names need an outline
        Report(load_params(params))
    shutil.rmtree(tmp_path / "data" / "testinsats" / "texter")
    report = Report(load_params(params))
    assert [s.id for s in report.sections] == ["resultat", "trend"]
    assert report.sections[0].heading == "Resultat" and report.contents().numbered is False


def test_notebook_cells_follow_the_outline():
    tree = parse_outline([{"rubrik": "A"}, {"rubrik": "B", "avsnitt": [{"rubrik": "C", "nummer": "2.3"}]}])
    nb = notebook.for_report("helarsrapport", [], entries(tree))
    sources = [c.source for c in nb.cells]
    # one cell per outline section, in order; its output gives the numbered heading (no markdown
    # heading cell beside it, so JupyterLab lists each heading once)
    shown = [s for s in sources if s.startswith("report.section(")]
    assert shown == ['report.section("avsnitt-1")', 'report.section("avsnitt-2")', 'report.section("avsnitt-2-3")']


# -- 003's outline in every format (a real kernel, Word and PDF) ---------------------------------
@pytest.fixture(scope="module")
def rendered_003(tmp_path_factory):
    from evaluation.run.render import render_report

    root = tmp_path_factory.mktemp("o003")
    shutil.copytree(DEMO / "data" / "samordningsteamet", root / "data" / "st")
    shutil.copytree(DEMO / "omvarld", root / "omvarld")
    for text in (FIXTURE / "texter").iterdir():
        shutil.copy(text, root / "data" / "st" / "texter" / text.name)
    (root / "params" / "st").mkdir(parents=True)
    shutil.copy(FIXTURE / "disposition.yaml", root / "params" / "disposition.yaml")
    source = (DEMO / "params" / "samordningsteamet" / "2024.yaml").read_text(encoding="utf-8")
    source = source.replace("data: ../../data/samordningsteamet", "data: ../../data/st")
    (root / "params" / "st" / "2024.yaml").write_text(source + "disposition: ../disposition.yaml\n", encoding="utf-8")
    render_report(root / "params" / "st" / "2024.yaml", root / "out")
    return next((root / "out").glob("*/2024"))


@pytest.mark.slow
def test_003_outline_in_html(rendered_003):
    html = (rendered_003 / "rapport.html").read_text(encoding="utf-8")
    import html as h

    found = [(int(m[0]), h.unescape(m[1])) for m in re.findall(r'<section [^>]*>\s*<h(\d)[^>]*>(.*?)</h\d>', html)]
    assert found == [(2 + d, t) for d, t in zip(DEPTHS_003, OUTLINE_003)]
    toc = re.search(r'<nav[^>]*class="toc numrerad".*?</nav>', html, re.S).group(0)
    assert [h.unescape(t) for t in re.findall(r'<a href="#avsnitt[^"]*">(.*?)</a>', toc)] == OUTLINE_003
    # a text after the tables of 2.3, a text between the tables of 4.1.1
    def opening(anchor: str) -> int:  # where a section's tag opens, whatever the order of its attributes
        return re.search(rf'<section [^>]*id="{anchor}"[^>]*><h', html).start()

    start = opening("avsnitt-2-3")
    assert html.index("tabell-alder", start) < html.index("förutsättningar vid start.", start) \
        < opening("avsnitt-2-4")
    res = opening("avsnitt-4-1-1")
    assert html.index("tabell-resultat", res) < html.index("fördelar avsluten på kön", res) \
        < html.index("tabell-avslutsanledning_kon", res)


@pytest.mark.slow
def test_003_outline_in_word(rendered_003):
    import docx

    heads = [(p.style.name, p.text) for p in docx.Document(rendered_003 / "rapport.docx").paragraphs
             if p.style.name.startswith("Heading") and NUMBERED.match(p.text)]
    assert heads == [(f"Heading {d + 1}", t) for d, t in zip(DEPTHS_003, OUTLINE_003)]


@pytest.mark.slow
def test_003_outline_in_pdf_bookmarks(rendered_003):
    import pypdf

    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            elif NUMBERED.match(item.title):
                found.append((depth, item.title))

    walk(pypdf.PdfReader(rendered_003 / "rapport.pdf").outline, 0)
    assert found == [(d + 1, t) for d, t in zip(DEPTHS_003, OUTLINE_003)]  # under the title's bookmark


@pytest.mark.slow
def test_003_outline_in_the_notebook(rendered_003):
    import nbformat

    nb = nbformat.read(rendered_003 / "rapport.ipynb", as_version=4)
    # each section cell's first output opens with its numbered heading at its depth (Lab's contents)
    heads = [re.match(r"<h(\d) [^>]*>(.*?)</h\d>", c.outputs[0]["data"]["text/html"]).groups()
             for c in nb.cells if c.cell_type == "code" and c.source.startswith("report.section(")]
    assert [(int(level), text) for level, text in heads] == [(2 + d, t) for d, t in zip(DEPTHS_003, OUTLINE_003)]


def test_validate_reports_a_bad_outline_in_swedish_without_traceback(tmp_path):
    from click.testing import CliRunner

    from evaluation.tools.cli import main

    params = _project(tmp_path, disposition="\n  - rubrik: A\n    innehall: [{tabell: aldr}, {text: saknas}]\n")
    result = CliRunner().invoke(main, ["validate", str(params)])
    assert result.exit_code == 1
    assert "dispositionen nämner sådant som rapporten inte har" in result.output
    assert "rapporten har ingen tabell 'aldr'. Menade du 'alder'" in result.output
    assert "texten 'saknas' finns inte: ingen fil saknas.md eller saknas.docx i " in result.output
    assert "Traceback" not in result.output


def test_a_text_name_too_long_for_a_file_is_a_missing_text_quoted_cut(tmp_path):
    """It was an unexpected error ("OSError: File name too long") with the whole name."""
    from click.testing import CliRunner

    from evaluation.tools.cli import main

    name = "t" * 300
    params = _project(tmp_path, disposition=f"\n  - rubrik: A\n    innehall: [{{text: {name}}}]\n")
    result = CliRunner().invoke(main, ["validate", str(params)])
    assert result.exit_code == 1 and "Traceback" not in result.output and "Oväntat" not in result.output
    assert f"nyckeln 'disposition[0].innehall[0].text': texten '{'t' * 59}…' finns inte" in result.output
    assert "t" * 61 not in result.output
