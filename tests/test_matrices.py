"""Matrices, rankings and grouped lists (data contract §5, ``matriser/*.yaml``)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import dedent, write_params
from evaluation.build.report import open_report
from evaluation.core.errors import InputError, ValidationError
from evaluation.sections import matrices

MATRIX = dedent("""
    titel: Strategisk samverkan per kommun
    typ: matris
    radrubrik: Kommun
    kolumner: [Bristyrken, Näringsliv, Strategisk samverkan]
    rader:
      - {namn: Kommun A, celler: [Få sökande, "**Nätverk** finns", Möten två gånger per år]}
      - {namn: Kommun B, celler: [Inga, Få företag, "<script>alert(1)</script>"]}
""")
RANKING = dedent("""
    titel: Prioriterade områden
    typ: rangordning
    poster: [Samverkan i praktiken, Kortare ledtider, Tydliga uppdrag]
""")
LISTS = dedent("""
    titel: Workshop 1
    typ: lista
    grupper:
      Fungerar bra: [SIP används, Korta kontaktvägar]
      Fungerar mindre bra: [Långa väntetider]
      Varför: [Olika regelverk, Personberoende samverkan, Sekretess]
""")
CASE = dedent("""
    titel: Fall 1
    typ: matris
    beskrivning: Ung kvinna, 19 år, har avbrutit gymnasiet.
    radrubrik: Fråga
    kolumner: [Steg 1, Steg 2]
    rader:
      - {namn: "Vem?", celler: [Skolan, Ungdomslotsen]}
      - {namn: "När?", celler: [Vid första frånvaron, Inom två veckor]}
""")


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def parse(path: Path) -> matrices.Matrix:
    return matrices.parse_matrix(matrices.read_yaml(path), path)


def report_with(tmp_path: Path, files: dict[str, str], **params):
    params_path = write_params(tmp_path, **({"rapporttyp": "processkartlaggning"} | params))
    folder = tmp_path / "data" / "testinsats" / "matriser"
    for name, text in files.items():
        write(folder, name, text)
    return open_report(params_path)


# -- good input ------------------------------------------------------------------------------------
def test_matrix_frame_and_cells(tmp_path):
    m = parse(write(tmp_path, "kommuner.yaml", MATRIX))
    frame = matrices.matrix_frame(m)
    assert list(frame.columns) == ["rad", "Bristyrken", "Näringsliv", "Strategisk samverkan"]
    assert frame["rad"].tolist() == ["Kommun A", "Kommun B"]
    assert frame.loc[0, "Näringsliv"] == "**Nätverk** finns"  # the CSV keeps the Markdown as written
    assert matrices.matrix_table(m).id == "matris_kommuner"


def test_matrix_cells_are_markdown_and_raw_html_is_escaped(tmp_path):
    html = "".join(b.to_html() for b in matrices.matrix_block(parse(write(tmp_path, "kommuner.yaml", MATRIX))))
    assert "<strong>Nätverk</strong> finns" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<th scope="col">Kommun</th>' in html


def test_ranking_keeps_the_order_and_numbers_the_items(tmp_path):
    m = parse(write(tmp_path, "prio.yaml", RANKING))
    frame = matrices.matrix_frame(m)
    assert frame.to_dict("records") == [
        {"rang": 1, "post": "Samverkan i praktiken"},
        {"rang": 2, "post": "Kortare ledtider"},
        {"rang": 3, "post": "Tydliga uppdrag"},
    ]
    html = "".join(b.to_html() for b in matrices.matrix_block(m))
    assert html.startswith("<ol>")  # an ordered list: its numbers are the ranks
    assert html.index("Samverkan i praktiken") < html.index("Kortare ledtider") < html.index("Tydliga uppdrag")
    assert html.count("<li>") == 3


def test_lists_are_headed_groups_in_file_order(tmp_path):
    m = parse(write(tmp_path, "ws.yaml", LISTS))
    frame = matrices.matrix_frame(m)
    assert list(frame.columns) == ["grupp", "post"]
    assert frame.groupby("grupp", sort=False).size().to_dict() == {"Fungerar bra": 2, "Fungerar mindre bra": 1, "Varför": 3}
    html = "".join(b.to_html() for b in matrices.matrix_block(m))
    assert html.index("<h4>Fungerar bra</h4>") < html.index("<h4>Fungerar mindre bra</h4>") < html.index("<h4>Varför</h4>")


def test_case_table_is_a_matrix_with_its_description(tmp_path):
    m = parse(write(tmp_path, "fall.yaml", CASE))
    blocks = "".join(b.to_html() for b in matrices.matrix_blocks(m))
    assert "Ung kvinna, 19 år" in blocks
    assert matrices.matrix_frame(m).set_index("rad").loc["När?", "Steg 2"] == "Inom två veckor"


def test_section_and_tables_in_file_name_order(tmp_path):
    report = report_with(tmp_path, {"b-prio.yaml": RANKING, "a-kommuner.yaml": MATRIX, "c-ws.yaml": LISTS,
                                    "README.txt": "not a matrix"})
    ids = [t.id for t in report.tables]
    assert ids == ["matris_a-kommuner", "matris_b-prio", "matris_c-ws"]
    section = next(s for s in report.sections if s.id == "matriser")
    html = section.to_html()
    assert section.title == "Kartläggning"
    assert html.index("Strategisk samverkan per kommun") < html.index("Prioriterade områden") < html.index("Workshop 1")


def test_the_workbook_has_a_sheet_for_every_block_lists_too(tmp_path):
    """A förbund reviewer's finding: the ranked list and the headed lists were in tabeller/ as CSV
    but not in tabeller.xlsx, which had only the text matrices (the report shows all three)."""
    import openpyxl

    from evaluation.renderers import xlsx

    report = report_with(tmp_path, {"b-prio.yaml": RANKING, "a-kommuner.yaml": MATRIX, "c-ws.yaml": LISTS})
    xlsx.write(report.document, tmp_path)
    book = openpyxl.load_workbook(tmp_path / "tabeller.xlsx")
    assert book.sheetnames == ["Innehåll", "Strategisk samverkan per kommun", "Prioriterade områden", "Workshop 1"]
    ranked = list(book["Prioriterade områden"].iter_rows(min_row=3, values_only=True))
    assert ranked == [("Rang", "Post"), (1, "Samverkan i praktiken"), (2, "Kortare ledtider"), (3, "Tydliga uppdrag")]
    assert len(list(book["Workshop 1"].iter_rows(min_row=4))) == 6  # 2 + 1 + 3 items, a row each


def test_no_folder_no_section(tmp_path):
    report = report_with(tmp_path, {})
    assert report.inputs["matrices"] is None
    assert "matriser" not in [s.id for s in report.sections]


# -- errors ----------------------------------------------------------------------------------------
def test_row_with_wrong_cell_count_names_file_row_and_expected_count(tmp_path):
    bad = MATRIX.replace('celler: [Inga, Få företag, "<script>alert(1)</script>"]', "celler: [Inga, Få företag]")
    path = write(tmp_path, "kommuner.yaml", bad)
    with pytest.raises(ValidationError) as err:
        parse(path)
    message = str(err.value)
    assert str(path) in message
    assert "rad 2 ('Kommun B')" in message
    assert "2 celler" in message and "'kolumner' har 3" in message


def test_a_row_without_a_name_is_refused(tmp_path):
    """namn: '' gave a row with an empty header in the report."""
    with pytest.raises(ValidationError, match=r"rad 1 saknar 'namn' \(eller det är tomt\)"):
        parse(write(tmp_path, "kommuner.yaml", MATRIX.replace("namn: Kommun A", "namn: ''")))


def test_a_long_column_list_is_cut_with_a_count(tmp_path):
    """200 columns were all listed in each row's message."""
    wide = MATRIX.replace("kolumner: [Bristyrken, Näringsliv, Strategisk samverkan]",
                          "kolumner: [" + ", ".join(f"K{i}" for i in range(200)) + "]")
    with pytest.raises(ValidationError) as err:
        parse(write(tmp_path, "kommuner.yaml", wide))
    message = str(err.value)
    assert "rad 1 ('Kommun A') har 3 celler men 'kolumner' har 200 (K0, K1," in message
    assert "K19 … och 180 till). Ange exakt 200 celler" in message and "K20" not in message


def _columns(n: int) -> str:
    return (f"titel: Bred\ntyp: matris\nkolumner: [{', '.join(f'K{i}' for i in range(1, n + 1))}]\n"
            f"rader:\n  - {{namn: A, celler: [{', '.join('x' for _ in range(n))}]}}\n")


def test_a_matrix_of_more_than_twenty_columns_is_refused_and_twenty_is_taken(tmp_path):
    """Thirty columns ran off the landscape page of the PDF."""
    assert len(parse(write(tmp_path, "a.yaml", _columns(20))).kolumner) == 20
    with pytest.raises(ValidationError) as err:
        parse(write(tmp_path, "b.yaml", _columns(21)))
    assert "b.yaml" in str(err.value) and "nyckeln 'kolumner': matrisen har 21 kolumner; högst 20 går att läsa" \
        in str(err.value) and "Dela upp den i två matriser" in str(err.value)


def test_a_title_of_more_than_200_characters_is_refused(tmp_path):
    assert parse(write(tmp_path, "a.yaml", MATRIX.replace("Strategisk samverkan per kommun", "T" * 200))).titel == "T" * 200
    with pytest.raises(ValidationError, match=r"nyckeln 'titel': rubriken har 201 tecken; högst 200"):
        parse(write(tmp_path, "b.yaml", MATRIX.replace("Strategisk samverkan per kommun", "T" * 201)))


def test_row_count_error_reaches_the_report(tmp_path):
    bad = MATRIX.replace("celler: [Få sökande,", "celler: [Extra, Få sökande,")
    with pytest.raises(ValidationError, match=r"kommuner\.yaml.*\n.*rad 1 \('Kommun A'\) har 4 cell"):
        report_with(tmp_path, {"kommuner.yaml": bad})


def test_unknown_kind_names_file_key_and_value(tmp_path):
    path = write(tmp_path, "x.yaml", RANKING.replace("typ: rangordning", "typ: tabell"))
    with pytest.raises(ValidationError, match=r"x\.yaml(.|\n)*nyckeln 'typ': 'tabell' är ingen sorts matris(.|\n)*matris, rangordning, lista"):
        parse(path)


def test_missing_keys_are_named(tmp_path):
    path = write(tmp_path, "x.yaml", "titel: Utan innehåll\ntyp: matris\nkolumner: [A]\n")
    with pytest.raises(ValidationError, match=r"x\.yaml(.|\n)*nyckeln 'rader' saknas"):
        parse(path)
    path = write(tmp_path, "y.yaml", "typ: lista\ngrupper: {Bra: [a]}\n")
    with pytest.raises(ValidationError, match=r"y\.yaml(.|\n)*nyckeln 'titel' saknas"):
        parse(path)
    path = write(tmp_path, "z.yaml", "titel: T\nposter: [a]\n")
    with pytest.raises(ValidationError, match=r"z\.yaml(.|\n)*nyckeln 'typ' saknas"):
        parse(path)


def test_key_of_another_kind_is_unknown(tmp_path):
    path = write(tmp_path, "x.yaml", RANKING + "kolumner: [A, B]\n")
    with pytest.raises(ValidationError, match=r"x\.yaml(.|\n)*nyckeln 'kolumner': okänd för typ 'rangordning'"):
        parse(path)


def test_yes_no_cell_must_be_quoted(tmp_path):
    path = write(tmp_path, "x.yaml", MATRIX.replace("celler: [Inga,", "celler: [no,"))
    with pytest.raises(ValidationError, match=r"x\.yaml(.|\n)*rad 2 \('Kommun B'\), cell 1: YAML läser yes, no"):
        parse(path)


def test_not_a_mapping(tmp_path):
    path = write(tmp_path, "x.yaml", "- a\n- b\n")
    with pytest.raises(InputError, match=r"x\.yaml: här ska stå rader 'nyckel: värde'"):
        parse(path)


def test_duplicate_column_heading(tmp_path):
    path = write(tmp_path, "x.yaml", MATRIX.replace("[Bristyrken, Näringsliv,", "[Bristyrken, Bristyrken,"))
    with pytest.raises(ValidationError, match=r"x\.yaml(.|\n)*nyckeln 'kolumner': 'Bristyrken' står två gånger"):
        parse(path)


def test_empty_and_repeated_list_items_are_one_problem_each(tmp_path):
    """22 empty column headings were 21 problems, each "'' står två gånger"."""
    empty = MATRIX.replace("[Bristyrken, Näringsliv, Strategisk samverkan]", "[Bristyrken, '', ' ']")
    with pytest.raises(ValidationError) as err:
        parse(write(tmp_path, "x.yaml", empty))
    assert str(err.value).count("  - ") == 1 and "nyckeln 'kolumner': posterna 2, 3 är tomma; skriv en text" in str(err.value)
    thrice = MATRIX.replace("[Bristyrken, Näringsliv, Strategisk samverkan]", "[A, A, A]")
    with pytest.raises(ValidationError) as err:
        parse(write(tmp_path, "y.yaml", thrice))
    assert str(err.value).count("  - ") == 1 and "nyckeln 'kolumner': 'A' står 3 gånger; varje post" in str(err.value)
    ranking = RANKING.replace("poster: [Samverkan i praktiken,", "poster: [Samverkan i praktiken, null,")
    with pytest.raises(ValidationError, match=r"nyckeln 'poster': post 2 är tom"):
        parse(write(tmp_path, "z.yaml", ranking))


def test_same_stem_twice_is_an_error(tmp_path):
    with pytest.raises(InputError, match=r"prio\.yml.*samma namn som.*prio\.yaml"):
        report_with(tmp_path, {"prio.yaml": RANKING, "prio.yml": RANKING})


def test_cells_and_items_hold_no_heading_table_or_picture_and_links_are_checked(tmp_path):
    """'# Rubrik' in a cell was an h1 inside the table; a picture in a cell is never read."""
    bad = MATRIX.replace("[Få sökande,", '["# Rubrik ![Karta](bilder/k.png) [a](ftp://x.se)",').replace(
        "{namn: Kommun B,", '{namn: "| a | b |\\n|---|---|\\n| 1 | 2 |",')
    with pytest.raises(ValidationError) as err:
        parse(write(tmp_path, "kommuner.yaml", bad))
    message = str(err.value)
    cell = "nyckeln 'rader', rad 1 ('Kommun A'), cell 1: "
    assert "4 fel" in message
    assert f"{cell}en rubrik (en rad som börjar med #) kan inte stå i en cell" in message
    assert f"{cell}bilden 'bilder/k.png': bilder visas bara i texterna i texter/" in message
    assert f"{cell}länken 'ftp://x.se' är inte tillåten" in message
    assert "nyckeln 'rader', rad 2, 'namn': en tabell kan inte stå i en cell eller en listpost" in message
    items = RANKING.replace("Kortare ledtider", '"## Kortare ledtider"')
    with pytest.raises(ValidationError, match=r"nyckeln 'poster', post 2: en rubrik"):
        parse(write(tmp_path, "prio.yaml", items))
    groups = LISTS.replace("Långa väntetider", '"Se [x](javascript:alert(1))"')
    with pytest.raises(ValidationError, match=r"nyckeln 'grupper.Fungerar mindre bra', post 1: länken"):
        parse(write(tmp_path, "lista.yaml", groups))


def test_a_description_and_a_note_are_texts_under_the_blocks_heading(tmp_path):
    described = CASE.replace("beskrivning: Ung kvinna, 19 år, har avbrutit gymnasiet.",
                             "beskrivning: \"# Fallet\\n\\nUng kvinna.\"\nnot: \"## Källa\\n\\nWorkshop 2.\"")
    html = "".join(b.to_html() for b in matrices.matrix_blocks(parse(write(tmp_path, "fall.yaml", described))))
    assert re.findall(r"<h(\d)[^>]*>(?:Fall 1|Fallet|Källa)", html) == ["3", "4", "4"]
    with pytest.raises(ValidationError, match=r"nyckeln 'beskrivning': bilden 'b.png': bilder visas bara"):
        parse(write(tmp_path, "bild.yaml", CASE.replace("har avbrutit gymnasiet.", "![Bild](b.png)")))
    with pytest.raises(ValidationError, match=r"nyckeln 'not': fotnoten \[\^1\] har ingen definition"):
        parse(write(tmp_path, "not.yaml", CASE + "not: Se källan[^1].\n"))


def test_a_variable_in_a_cell_a_description_or_an_item_is_an_error(tmp_path):
    """A matrix is not a template: '{{ antal.deltagare }}' was shown as typed."""
    with pytest.raises(InputError, match=r"a\.yaml, rad 6: rader post 1, celler post 1: \{\{ … \}\} och"):
        parse(write(tmp_path, "a.yaml", MATRIX.replace("[Få sökande,", '["{{ antal.deltagare }} sökande",')))
    with pytest.raises(InputError, match=r"b\.yaml, rad 3: nyckeln 'beskrivning': \{\{ … \}\} och \{% … %\} räknas bara"):
        parse(write(tmp_path, "b.yaml", CASE.replace("har avbrutit gymnasiet.", "'{% if x %}ja{% endif %}'")))
