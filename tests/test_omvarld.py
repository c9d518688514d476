"""Omvärld library (data contract §5): selection, validation, footnotes and the section."""
from __future__ import annotations

import re

from pathlib import Path

import pytest

from conftest import write_params
from evaluation.build.report import open_report
from evaluation.core.errors import InputError, ValidationError
from evaluation.sections import omvarld


def project(library: Path, pid: str, kallor: str = "[https://example.org/a]", body: str = "Beskrivning.", **meta) -> Path:
    """Write ``<library>/<pid>.md``; ``None`` leaves a key out."""
    library.mkdir(parents=True, exist_ok=True)
    base = {"namn": f"Projekt {pid.upper()}", "huvudman": "Exempel kommun", "finansiar": "Förbundet",
            "period": "2019-2021", "malgrupp": "Unga vuxna", "alder": "16-24", "resultat": "40 %",
            "kallor": kallor, "taggar": "[unga]"}
    base.update(meta)
    front = "".join(f"{k}: {v}\n" for k, v in base.items() if v is not None)
    path = library / f"{pid}.md"
    path.write_text(f"---\n{front}---\n{body}\n", encoding="utf-8")
    return path


@pytest.fixture
def library(tmp_path):
    """Library a, b, c beside the params folder; c cites u1 and u2, a cites u3 and u1, b is never selected."""
    folder = tmp_path / "omvarld"
    project(folder, "a", kallor="[https://example.org/u3, https://example.org/u1]")
    project(folder, "b", kallor="[https://example.org/b]", namn="Aldrig vald")
    project(folder, "c", kallor="[https://example.org/u1, {url: 'https://example.org/u2', titel: Slutrapport}]")
    return folder


# -- selection ---------------------------------------------------------------------------------

def test_selection_in_parameter_order_and_unselected_never_appear(tmp_path, library):
    report = open_report(write_params(tmp_path, omvarld="[c, a]", sektioner="[omvarld]"))
    assert report.table("omvarld_jamforelse").frame["id"].tolist() == ["c", "a"]
    html = report.sections[0].to_html()
    assert html.index("Projekt C") < html.index("Projekt A")
    assert "Aldrig vald" not in html and "example.org/b" not in html


def test_empty_selection_leaves_section_out(tmp_path, library):
    report = open_report(write_params(tmp_path, sektioner="[omvarld]"))
    assert report.sections == () and "omvarld_jamforelse" not in report.table_map


def test_unknown_id_lists_available_ids(tmp_path, library):
    params = write_params(tmp_path, omvarld="[a, finns-inte]", sektioner="[omvarld]")
    with pytest.raises(InputError) as err:
        open_report(params)
    message = str(err.value)
    assert str(params.resolve()) in message and "nyckeln 'omvarld'" in message
    assert "'finns-inte'" in message and "Tillgängliga id: a, b, c" in message


def test_missing_library_folder(tmp_path):
    with pytest.raises(InputError, match=r"biblioteksmappen .*omvarld finns inte"):
        open_report(write_params(tmp_path, omvarld="[a]", sektioner="[omvarld]"))


# -- validation --------------------------------------------------------------------------------

def test_malformed_url_names_file_line_and_url(tmp_path):
    path = project(tmp_path, "x", kallor="\n  - https://example.org/ok\n  - www.example.org/utan-schema")
    with pytest.raises(ValidationError) as err:
        omvarld.load_project(path)
    message = str(err.value)
    assert str(path) in message and "rad 11, kallor post 2" in message  # line 1 is ---, kallor: is line 9
    assert "'www.example.org/utan-schema' är ingen webbadress" in message


def test_missing_required_key_names_file_and_key(tmp_path):
    path = project(tmp_path, "x", huvudman=None)
    with pytest.raises(ValidationError, match=r"nyckeln 'huvudman': krävs men saknas") as err:
        omvarld.load_project(path)
    assert str(path) in str(err.value)


def test_missing_sources_is_an_error(tmp_path):
    with pytest.raises(ValidationError, match=r"nyckeln 'kallor': krävs men saknas"):
        omvarld.load_project(project(tmp_path, "x", kallor=None))


def test_optional_facts_default_to_missing(tmp_path):
    loaded = omvarld.load_project(project(tmp_path, "x", resultat=None, alder=None, taggar=None))
    assert (loaded.resultat, loaded.alder, loaded.taggar) == ("Uppgift saknas", "Uppgift saknas", ())


def test_url_check():
    assert omvarld.valid_url("http://example.org")
    assert not omvarld.valid_url("ftp://example.org/x")
    assert not omvarld.valid_url("https://")
    assert not omvarld.valid_url("javascript:alert(1)")


# -- section -----------------------------------------------------------------------------------

def test_footnotes_are_numbered_across_the_section(tmp_path, library):
    html = open_report(write_params(tmp_path, omvarld="[c, a]", sektioner="[omvarld]")).sections[0].to_html()
    # c: u1 -> 1, u2 -> 2; a: u3 -> 3, u1 keeps 1
    c_heading = html[html.index('id="omvarld-c"'):html.index("</h3>", html.index('id="omvarld-c"'))]
    a_heading = html[html.index('id="omvarld-a"'):html.index("</h3>", html.index('id="omvarld-a"'))]
    assert re.search(r'<a href="#omvarld-kalla-1"[^>]*>1</a>, <a href="#omvarld-kalla-2"[^>]*>2</a>', c_heading)
    assert re.search(r'<a href="#omvarld-kalla-3"[^>]*>3</a>, <a href="#omvarld-kalla-1"[^>]*>1</a>', a_heading)
    sources = html[html.index('<ol class="kallor">'):]
    assert sources.index("example.org/u1") < sources.index("example.org/u2") < sources.index("example.org/u3")
    assert sources.count("<li ") == 3
    assert 'id="omvarld-kalla-2" value="2">Slutrapport: <a href="https://example.org/u2">' in sources


def test_facts_and_comparison_table(tmp_path, library):
    report = open_report(write_params(tmp_path, omvarld="[a]", sektioner="[omvarld]"))
    frame = report.table("omvarld_jamforelse").frame
    assert list(frame.columns) == ["id", "namn", "huvudman", "period", "malgrupp", "alder", "resultat"]
    assert frame.iloc[0].tolist() == ["a", "Projekt A", "Exempel kommun", "2019-2021", "Unga vuxna", "16-24", "40 %"]
    html = report.sections[0].to_html()
    assert "<li>Finansiär: Förbundet</li>" in html and "<li>Ålder: 16-24</li>" in html


def test_script_in_description_is_escaped(tmp_path):
    project(tmp_path / "omvarld", "x", body="Text <script>alert('x')</script> och **fet**.")
    html = open_report(write_params(tmp_path, omvarld="[x]", sektioner="[omvarld]")).sections[0].to_html()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<strong>fet</strong>" in html


def test_a_description_is_held_to_the_rules_of_a_text_with_file_and_line(tmp_path):
    """A link of another scheme, a picture (never read: a broken image), a footnote without its
    definition and a table of 25 columns passed into every format."""
    wide = "|" + "|".join(f"K{i}" for i in range(25)) + "|\n|" + "---|" * 25 + "\n|" + "x|" * 25
    path = project(tmp_path, "x", body=f"Text.\n\nSe [arkiv](ftp://example.org/a) och ![Karta](bilder/k.png)[^9].\n\n{wide}")
    with pytest.raises(ValidationError) as err:
        omvarld.load_project(path)
    message = str(err.value)
    # the front matter is lines 1-11 (---, nine keys, ---): the body's third line is line 14
    assert str(path) in message and "4 fel" in message
    assert "rad 14: länken 'ftp://example.org/a' är inte tillåten" in message
    assert "rad 14: bilden 'bilder/k.png': bilder visas bara i texterna i texter/" in message
    assert "rad 14: fotnoten [^9] har ingen definition" in message
    assert "rad 16: tabellen har 25 kolumner; högst 20" in message


def test_a_descriptions_headings_go_under_the_projects_heading(tmp_path):
    """'# Bakgrund' in a description was an h1 in the middle of the report (and its outline)."""
    project(tmp_path / "omvarld", "x", body="# Bakgrund\n\nText.\n\n## Mer\n\nMer text.")
    html = open_report(write_params(tmp_path, omvarld="[x]", sektioner="[omvarld]")).sections[0].to_html()
    assert re.findall(r"<h(\d)[^>]*>(?:Projekt X|Bakgrund|Mer)", html) == ["3", "4", "5"]


def test_a_variable_in_a_description_is_an_error_not_shown_as_typed(tmp_path):
    """The library is shared by every report and is not a template: '{{ antal.deltagare }}' was shown as typed."""
    path = project(tmp_path, "x", body="Text.\n\nDe var {{ antal.deltagare }} och {% if x %}fler{% endif %}.")
    with pytest.raises(ValidationError) as err:
        omvarld.load_project(path)
    assert "1 fel" in str(err.value)
    assert "rad 14: '{{' räknas bara i texterna i texter/ och i mal.yaml" in str(err.value)


def test_a_personnummer_split_over_two_projects_names_is_refused_naming_both_files(tmp_path):
    """A hostile probe: the section's first sentence lists the names side by side ("Ung väg 811218,
    -9876 Hälsolotsen"); each file alone passed."""
    folder = tmp_path / "omvarld"
    first = project(folder, "a", namn="Ung väg 811218")
    second = project(folder, "b", namn="-9876 Hälsolotsen")
    with pytest.raises(InputError) as err:
        omvarld.load_selection(folder, ["a", "b"])
    assert str(err.value) == (f"{first} och {second}: projektens namn står intill varandra i rapporten och blir "
                              "tillsammans något som ser ut som ett personnummer eller samordningsnummer (namnen visas "
                              "inte). Skriv inga personuppgifter, inte heller delade på två filer.")
    assert [p.id for p in omvarld.load_selection(folder, ["b", "a"])] == ["b", "a"]  # the other way round: no number
