"""The evaluator's prose: templates filled with figures, Markdown to HTML, errors with file and line."""
from __future__ import annotations

from pathlib import Path

import pytest
from test_figures import make_project

from evaluation.build.report import open_report
from evaluation.compute import figures
from evaluation.core.errors import InputError, TemplateError
from evaluation.sections import registry as sections, texts


def write_text(params: Path, section_id: str, body: str) -> Path:
    folder = params.parent.parent.parent / "data" / "testinsats" / "texter"
    folder.mkdir(exist_ok=True)
    path = folder / f"{section_id}.md"
    path.write_text(body, encoding="utf-8")
    return path


def test_prose_uses_figures(tmp_path):
    params = make_project(tmp_path)
    write_text(params, "sammanfattning", "Under {{ period.start }}–{{ period.slut }} deltog **{{ antal.deltagare }}** personer; "
               "{{ andel.arbete_studier }} gick till arbete eller studier.\n")
    html = texts.prose(open_report(params), "sammanfattning").to_html()
    # 6 people; 2 of 3 in the result base → 67 %
    assert "Under 1 januari 2020–31 december 2020 deltog <strong>6</strong> personer; 67\u00a0% gick" in html


def test_prose_none_without_text_or_folder(tmp_path):
    params = make_project(tmp_path)
    report = open_report(params)
    assert report.inputs["texts"] is None
    assert texts.prose(report, "bakgrund") is None
    write_text(params, "sammanfattning", "Hej\n")
    assert texts.prose(open_report(params), "bakgrund") is None


def test_script_in_text_is_escaped(tmp_path):
    params = make_project(tmp_path)
    write_text(params, "bakgrund", "Text <script>alert(1)</script>\n\n<script>\nalert(2)\n</script>\n")
    html = texts.prose(open_report(params), "bakgrund").to_html()
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_script_in_a_figure_value_is_escaped(tmp_path):
    params = make_project(tmp_path, namn='"<script>alert(1)</script>"')
    write_text(params, "bakgrund", "Insatsen {{ insats.namn }} startade.\n")
    html = texts.prose(open_report(params), "bakgrund").to_html()
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_unknown_variable_names_file_line_name_and_suggestion(tmp_path):
    params = make_project(tmp_path)
    path = write_text(params, "metod", "Första raden.\n\nDeltagare: {{ antal.deltgare }}.\n")
    with pytest.raises(TemplateError) as info:
        texts.prose(open_report(params), "metod")
    message = str(info.value)
    assert str(path) in message
    assert "rad 3" in message
    assert "'antal.deltgare'" in message
    assert "Menade du 'antal.deltagare'?" in message


@pytest.mark.parametrize("body, words", [
    ("{{ (''.__class__ and 1) }}", "okänd variabel '__class__'"),
    ("{% for i in (''.__class__ and {'a': 1}).__class__ %}{{ i }}{% endfor %}", "okänd variabel '__class__'"),
    ("{% if (none and ''.__class__) or ''.__class__ %}ja{% endif %}", "okänd variabel '__class__'"),
])
def test_a_constant_expression_is_worked_out_when_rendering_never_while_compiling(tmp_path, body, words):
    """Jinja's optimizer worked out constant expressions while compiling, outside the collection of
    unknown names and the limits: an unsafe attribute there was jinja's UndefinedError, an
    unexpected error (found by a fuzzer of random template expressions)."""
    params = make_project(tmp_path)
    path = write_text(params, "metod", f"Första raden.\n\n{body}\n")
    with pytest.raises(TemplateError) as info:
        texts.prose(open_report(params), "metod")
    assert f"{path}, rad 3: " in str(info.value) and words in str(info.value)


@pytest.mark.parametrize("body, words", [
    # Jinja's own self was printed: "<TemplateReference 'metod.md'>"
    ("Själv {{ self }} slut.", "okänd variabel 'self'. Se docs/namnrymd.md."),
    # raw showed template code as written: "{{ x }}"
    ("{% raw %}{{ x }}{% endraw %}", "{% raw %} skulle visa mallkoden som den står, och en rapport visar aldrig "
     "mallkod: ta bort {% raw %} och {% endraw %} och skriv det som ska stå med ord."),
    # a fetched file was said to be "formaterad text, inte tal"
    ('{% include "/etc/passwd" %}', "en text kan inte hämta in en annan fil ({% include %}): skriv det i texten, "
     "eller använd en variabel."),
    ('{% import "x.md" as y %}', "({% import %})"),
    ('{% from "x.md" import y %}', "({% from %})"),
    ('{% extends "x.md" %}', "({% extends %})"),
    # a zero-width space copied into a name: "fel i mallsyntaxen" and nothing more
    ("Deltagare: {{ antal.delt\u200bagare }}.", "fel i mallsyntaxen: ett osynligt tecken, [U+200B], står i "
     "uttrycket (det följer ofta med när text kopieras): radera namnet och skriv det igen."),
])
def test_template_syntax_that_would_show_jinja_or_fetch_a_file_is_refused_with_its_line(tmp_path, body, words):
    path, message = _refused_on_line_3(tmp_path, body)
    assert message.startswith(f"{path}, rad 3: ") and words in message


def _refused_on_line_3(tmp_path, body: str) -> tuple:
    """``body`` as line 3 of the text of metod: where it is, and the error its report raises."""
    params = make_project(tmp_path)
    path = write_text(params, "metod", f"Första raden.\n\n{body}\n")
    with pytest.raises(TemplateError) as info:
        texts.prose(open_report(params), "metod")
    return path, str(info.value)


@pytest.mark.parametrize("body, words", [
    ("A {{ range(3) }} B", "en lista, ett intervall eller något annat ur mallspråket"),  # 'range(0, 3)'
    ("A {{ namespace() }} B", "en lista, ett intervall"),  # '<Namespace {}>'
    ("A {{ cycler(1, 2) }} B", "en lista, ett intervall"),  # '<jinja2.utils.Cycler object at 0x…>'
    ("A {{ [1, 2] }} B", "en lista, ett intervall"),  # '[1, 2]'
    ("A {{ dict(a=1) }} B", "en lista, ett intervall"),  # "{'a': 1}"
    ("A {{ 1 > 0 }} B", "sant eller falskt (True/False), inte text"),  # 'True'
    # and written into a string first: joined, formatted, made a string
    ("A {{ cycler(1, 2) ~ '' }} B", "en lista, ett intervall"),  # '<jinja2.utils.Cycler object at 0x…>'
    ("A {{ '%s' % namespace() }} B", "en lista, ett intervall"),  # '<Namespace {}>'
    ("A {{ '{} och {}'.format(1, range(3)) }} B", "en lista, ett intervall"),  # '1 och range(0, 3)'
    ("A {{ joiner() | string }} B", "en funktion, inte ett värde"),  # '<jinja2.utils.Joiner object at 0x…>'
    ("A {{ [range(2), 1] | join(', ') }} B", "en lista, ett intervall"),  # 'range(0, 2), 1'
    ("A {{ '%.1f' % (77 / 3) }} B", "talet 25.67 som det är, med punkt"),  # '25.7', a point for a comma
])
def test_a_value_printed_as_program_code_is_refused_with_its_line(tmp_path, body, words):
    path, message = _refused_on_line_3(tmp_path, body)
    assert message.startswith(f"{path}, rad 3: texten skriver ut ") and words in message


def test_a_whole_number_is_printed_the_swedish_way_and_a_fraction_asks_for_a_filter(tmp_path):
    """{{ tal(...) / 3 }} printed '25.666666666666668' with a point; 12345 printed without its space."""
    params = make_project(tmp_path)
    write_text(params, "metod", "År {{ 2024 }}: {{ 12345 }}, {{ -5 }}, {{ 7.0 }}.\n")
    assert "År 2024: 12\u00a0345, \u22125, 7." in texts.prose(open_report(params), "metod").to_html()
    path = write_text(params, "metod", "Ett.\n\nMedel {{ 77 / 3 }}.\n")
    with pytest.raises(TemplateError) as info:
        texts.prose(open_report(params), "metod")
    assert str(info.value).startswith(f"{path}, rad 3: texten skriver ut talet 25.67 som det är, med punkt och alla "
                                      "decimaler: skriv det med ett filter, |procent för en andel (0,45 → 45,0 %) "
                                      "eller |antal(1) för ett tal med en decimal.")


def test_unknown_group_suggests_by_group(tmp_path):
    params = make_project(tmp_path)
    write_text(params, "metod", "{{ antall.deltagare }}\n")
    with pytest.raises(TemplateError, match=r"rad 1: okänd variabel 'antall.deltagare'\. Menade du 'antal.deltagare'\?"):
        texts.prose(open_report(params), "metod")


def test_line_number_counts_front_matter(tmp_path):
    params = make_project(tmp_path)
    write_text(params, "metod", "---\nforfattare: Test\n---\nEtt.\n{{ antal.okand }}\n")
    with pytest.raises(TemplateError, match="metod.md, rad 5: okänd variabel 'antal.okand'"):
        texts.prose(open_report(params), "metod")


def test_figure_without_data_explains_how_to_make_it_optional(tmp_path):
    params = make_project(tmp_path, register=None, sektioner="[metod]")  # no register section: no register needed
    write_text(params, "metod", "{{ andel.arbete_studier }}\n")
    with pytest.raises(TemplateError) as info:
        texts.prose(open_report(params), "metod")
    assert "rad 1" in str(info.value) and "har inget värde i den här rapporten" in str(info.value)
    assert "{% if andel.arbete_studier is defined %}" in str(info.value)


def test_is_defined_makes_a_sentence_optional(tmp_path):
    params = make_project(tmp_path, register=None, sektioner="[metod]")  # no register section: no register needed
    write_text(params, "metod", "A.{% if andel.arbete_studier is defined %} B.{% endif %}"
               "{% if enkat.avslut.svarande is defined %} C.{% endif %}\n")
    assert texts.prose(open_report(params), "metod").to_html() == '<div class="prose"><p>A.</p>\n</div>'


def test_syntax_error_names_file_and_line(tmp_path):
    params = make_project(tmp_path)
    path = write_text(params, "utmaningar", "Ett.\nTvå {{ antal.deltagare }.\n")
    with pytest.raises(TemplateError) as info:
        open_report(params)  # syntax is checked when the texts are loaded
    assert str(path) in str(info.value) and "rad 2" in str(info.value)


def test_group_printed_as_value(tmp_path):
    params = make_project(tmp_path)
    write_text(params, "metod", "{{ antal }}\n")
    with pytest.raises(TemplateError, match=r"metod.md, rad 1: 'antal' är en grupp av värden.*antal.deltagare"):
        texts.prose(open_report(params), "metod")


def test_sandbox_blocks_internals(tmp_path):
    params = make_project(tmp_path)
    write_text(params, "metod", "{{ antal.deltagare.__class__.__mro__ }}\n")
    with pytest.raises(TemplateError, match="metod.md, rad 1"):
        texts.prose(open_report(params), "metod")


def test_unknown_file_name_lists_section_ids(tmp_path):
    params = make_project(tmp_path)
    path = write_text(params, "sammanfatning", "Hej\n")
    with pytest.raises(InputError) as info:
        open_report(params)
    message = str(info.value)
    assert str(path) in message and "sammanfattning" in message and "rekommendationer" in message
    assert "Menade du 'sammanfattning.md'?" in message


def test_prose_only_sections_are_built_from_text(tmp_path):
    params = make_project(tmp_path, sektioner="[sammanfattning, bakgrund, utmaningar]")
    write_text(params, "sammanfattning", "Det var {{ antal.deltagare }} deltagare.\n")
    report = open_report(params)
    assert [s.id for s in report.sections] == ["sammanfattning"]  # no text for the others
    section = report.sections[0]
    assert section.title == "Sammanfattning"
    assert len(section.blocks) == 1 and "Det var 6 deltagare." in section.blocks[0].to_html()
    for section_id in texts.PROSE_ONLY:
        assert section_id in sections.BUILDERS


def test_an_empty_text_or_one_of_comments_only_is_noticed(tmp_path):
    """An empty sammanfattning.md gave a bare heading in the report without a word."""
    params = make_project(tmp_path, sektioner="[sammanfattning, bakgrund, utmaningar]")
    empty = write_text(params, "sammanfattning", "\n  \n")
    comments = write_text(params, "bakgrund", "{# att skriva #}\n")
    written = write_text(params, "utmaningar", "{% if antal.deltagare is defined %}Text.{% endif %}\n")
    found = {Path(n.path): n.message for n in open_report(params).notices}
    assert found[empty].startswith("texten är tom (eller har bara kommentarer) och visar ingenting i rapporten")
    assert comments in found and written not in found


def test_render_is_pure():
    doc = texts.parse("Antal: {{ antal.deltagare }}\n", Path("x/sammanfattning.md"))
    html = texts.render(doc, figures.formatted({"antal.deltagare": 1234})).to_html()
    assert html == '<div class="prose"><p>Antal: 1\u00a0234</p>\n</div>'


@pytest.mark.parametrize("written, meaning", [
    ("{% if antal.deltagare %}ja", "{% if %} stängs aldrig: avsluta det med {% endif %}"),
    ("{{ antal.deltagare }", "en klammer för lite eller för mycket"),
    ("{% endfor %}", "{% endfor %} står utan något {% for %} att avsluta"),
    ("{{ antal.deltagare | okant }}", "filtret 'okant' finns inte"),
    ("{{ antal.deltagare + }}", "uttrycket slutar för tidigt"),
    ("{% macro m(a, a) %}{% endmacro %}", "ett makro har två argument med samma namn"),  # Python's SyntaxError before
])
def test_a_template_mistake_is_explained_in_swedish(tmp_path, written, meaning):
    params = make_project(tmp_path)
    write_text(params, "metod", f"Text.\n{written}\n")
    with pytest.raises(TemplateError) as info:
        open_report(params).document
    message = str(info.value)
    assert f"metod.md, rad 2: fel i mallsyntaxen: {meaning}" in message
    assert not any(english in message for english in ("unexpected", "Unexpected", "No filter", "Jinja", "Encountered"))


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\U0000DBFF"])
def test_a_template_string_that_writes_half_a_character_names_its_line(escape):
    """Jinja's "\\ud800" is a lone surrogate: the text rendered, then no format could be written."""
    text = texts.parse(f'Rad ett.\n\nEtt tecken: {{{{ "{escape}" }}}}.\n', Path("x/metod.md"))
    with pytest.raises(TemplateError) as info:
        texts.render(text, figures.formatted({}))
    assert str(info.value).startswith(f"x/metod.md, rad 3: koden {escape} står för ett halvt tecken")
    whole = texts.parse('Ett tecken: {{ "\\U0001f600" }}.\n', Path("x/metod.md"))  # a whole character is fine
    assert "\U0001f600" in texts.render(whole, figures.formatted({})).text


def test_a_personnummer_the_template_puts_together_is_refused_without_showing_it():
    """The scan of the text as written sees "8112" and "18-9876" apart; the filled-in text is one number."""
    text = texts.parse('Kontakt: {{ "8112" ~ "18-9876" }}.\n', Path("x/bakgrund.md"))
    with pytest.raises(TemplateError) as info:
        texts.render(text, figures.formatted({}))
    message = str(info.value)
    assert message.startswith("x/bakgrund.md: texten blir något som ser ut som ett personnummer")
    assert "9876" not in message


@pytest.mark.parametrize("written", ["{{ 811218 }}-{{ 9876 }}", "{{ 811218 }}{{ 9876 }}",
                                     "{{ 81121 }}{{ 89876 }}"])
def test_a_personnummer_put_together_from_printed_numbers_is_refused(written):
    """A printed number's digits are grouped ("811 218"): read without that space, the number
    the template puts beside another is a personnummer."""
    text = texts.parse(f"Kontakt: {written}.\n", Path("x/bakgrund.md"))
    with pytest.raises(TemplateError) as info:
        texts.render(text, figures.formatted({}))
    assert str(info.value).startswith("x/bakgrund.md: texten blir något som ser ut som ett personnummer")
    assert "218" not in str(info.value)


def test_a_text_that_names_someone_by_full_name_is_a_notice_with_its_line_never_the_name():
    from evaluation.core.collector import collecting

    text = texts.parse("Insatsen leds av en projektledare.\n\nKontakt: Anna Svensson, {{ antal.x }} dagar.\n",
                       Path("x/bakgrund.md"), first_line=3)
    with collecting() as found:
        texts.render(text, figures.formatted({"antal.x": 5}))
    assert [(n.path, n.line, n.message[:57]) for n in found] == [
        (Path("x/bakgrund.md"), 5, "texten ser ut att nämna någon med för- och efternamn (nam")]
    assert "Svensson" not in found[0].describe()


def test_an_address_the_template_puts_together_is_a_notice_as_when_written():
    from evaluation.core.collector import collecting

    text = texts.parse('Mejla {{ "anna" ~ "@" ~ "kommun.se" }} om {{ antal.deltagare }}.\n', Path("x/bakgrund.md"))
    with collecting() as found:
        block = texts.render(text, figures.formatted({"antal.deltagare": 811218}))  # a figure is no personnummer
    assert [(n.path, n.message[:52]) for n in found] == [
        (Path("x/bakgrund.md"), "texten blir något som ser ut som en e-postadress när")]
    assert "811\u00a0218" in block.text


@pytest.mark.parametrize("written, meaning", [
    ("{{ [].pop() }}", "det pekar på en plats i en lista"),  # IndexError
    ('{{ "{0}{1}".format(1) }}', "det pekar på en plats i en lista"),
    ('{{ "%(a)s" % {} }}', "det pekar på en plats i en lista"),  # KeyError
    ('{{ "a" | truncate(-1) }}', "ger ett filter ett värde det inte tar"),  # an assertion inside Jinja
    ('{{ "x" | xmlattr }}', "ger ett filter ett värde det inte tar"),  # AttributeError
    ("{{ tabell }}", "texten skriver ut en funktion, inte ett värde"),  # would print "<function …at 0x…>"
    ('{{ tal("kon", "Man", "antal") }}', "texten skriver ut ett tomt värde"),  # a hidden cell: would print "None"
])
def test_a_template_that_fails_in_python_gets_a_message_with_its_line_not_an_internal_error(written, meaning):
    import pandas as pd

    from evaluation.core.model import Table

    kon = Table(id="kon", title="Kön", frame=pd.DataFrame({"kon": ["Kvinna", "Man"], "antal": [12, ".."]}),
                columns={"kon": ("Kön", "text"), "antal": ("Antal", "count")})
    text = texts.parse(f"Rad ett.\n\n{written}\n", Path("x/metod.md"))
    with pytest.raises(TemplateError) as info:
        texts.render(text, figures.formatted({}), {"kon": kon})
    assert str(info.value).startswith("x/metod.md, rad 3: ") and meaning in str(info.value)


def test_a_hidden_value_printed_mid_sentence_is_warned_about_and_dold_leaves_the_clause_out(tmp_path):
    """A förbund's reviewer: 'Av dem började 50, och .. inskrivningar avslutades' cannot be published,
    and nothing had told the evaluator that the sentence would read so."""
    params = make_project(tmp_path, min_cell=3)
    path = write_text(params, "sammanfattning", (
        "Om deltagarna.\n\n"
        "Av dem var {{ antal.man }} män.\n"
        "{% if antal.man is not dold %}Män: {{ antal.man }}. {% endif %}Slut.\n"))
    report = open_report(params)
    # 6 people, 2 of them men (test_figures): 2 < min_cell 3, so antal.man is hidden
    assert report.key_figures["antal.man"] == ".."
    prose = texts.report_prose(report)
    assert [(n.path, n.line) for n in prose.warnings] == [(path, 3)]
    assert prose.warnings[0].message.startswith("{{ antal.man }} döljs för att skydda enskilda personer och står som "
                                                "'..' mitt i meningen.")
    html = prose.blocks["sammanfattning"].to_html()
    assert "Om deltagarna." in html and "Av dem var .. män." in html
    assert "Män:" not in html and "Slut." in html  # the guarded clause left out


def test_a_cell_reference_with_a_typo_never_suggests_personal_data():
    """tabell()/tal(): the suggestion is the shared one ("Menade du '…'?", case aside), and a row
    label that is a personnummer is neither matched nor shown (it was: "Menade du '811218-9876'?")."""
    import pandas as pd

    from evaluation.core.model import Table

    t = Table(id="t", title="T", frame=pd.DataFrame({"id": ["811218-9876", "Hälsa"], "antal": [3, 4]}),
              columns={"id": ("Id", "text"), "antal": ("Antal", "count")})
    with pytest.raises(texts.CellError) as info:
        texts.find_cell({"t": t}, "t", "811218-9875", "antal")
    assert "Menade du" not in str(info.value)
    with pytest.raises(texts.CellError) as info:
        texts.find_cell({"t": t}, "t", "HÄLSA", "antal")
    assert "Menade du 'Hälsa'?" in str(info.value)
