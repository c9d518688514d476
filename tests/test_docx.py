"""rapport.docx: written from the report model, opened again with python-docx and checked.

The demo report STEGET 2024-05-01 – 2025-04-30 is built in-process (no kernel). Its 18
table blocks, 7 charts and the section titles are read from the model; the figures of table
``resultat`` are read back from its CSV and formatted in Swedish by hand in the test.
"""
from __future__ import annotations

import io
from pathlib import Path

import docx
import pandas as pd
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from PIL import Image

import evaluation
from evaluation import ParamsError, load_params
from evaluation.core import fmt, fonts, model
from evaluation.renderers import csv as csv_renderer
from evaluation.renderers import docx as docx_renderer

from conftest import write_params

DEMO = Path(evaluation.__file__).parent / "demo" / "params" / "steget" / "2024-05-01--2025-04-30.yaml"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo report's document, its rapport.docx (opened) and its CSV folder."""
    folder = tmp_path_factory.mktemp("steget")
    document = evaluation.open_report(DEMO).document
    docx_renderer.write(document, folder)
    csv_renderer.write(document, folder)
    return document, docx.Document(str(folder / "rapport.docx")), folder


def blocks(document, kind):
    return [b for s in document.sections for b in s.blocks if isinstance(b, kind)]


def heading_levels(word):
    return [(int(p.style.name.split()[-1]), p.text) for p in word.paragraphs
            if p.style.name.startswith("Heading ")]


def captioned_tables(word):
    """(caption text, table) for every table that follows a caption paragraph, in order."""
    body = word.element.body
    found, caption = [], None
    tables = {t._tbl: t for t in word.tables}
    for child in body:
        if child.tag == qn("w:p"):
            style = child.pPr.pStyle.val if child.pPr is not None and child.pPr.pStyle is not None else ""
            text = "".join(t.text or "" for t in child.iter(qn("w:t")))
            caption = text if style == "Caption" and text.startswith("Tabell") else None
        elif child.tag == qn("w:tbl"):
            if caption:
                found.append((caption, tables[child]))
            caption = None
    return found


def instructions(element) -> list[str]:
    """The field instructions in an element, in order."""
    return [i.text.strip() for i in element.iter(qn("w:instrText")) if i.text]


# -- the demo report -----------------------------------------------------------------------
def test_headings_use_word_styles_in_order_without_skipping(demo):
    document, word, _ = demo
    levels = heading_levels(word)
    assert levels[0] == (1, "Sammanfattning")
    for (before, _), (after, text) in zip(levels, levels[1:]):
        assert after <= before + 1, f"heading {text!r} skips a level"
    assert [t for lvl, t in levels if lvl == 1] == [s.title for s in document.sections]
    # block headings of level 3 become Heading 2, level 4 Heading 3
    assert (2, "Resultat vid avslut") in levels and (3, "Vad har varit bäst med STEGET?") in levels


#: The caption of the table the demo's text of Resultat holds (steget/texter/resultat.md).
TEXT_TABLE = "Resultatet i korthet"


def test_every_table_block_is_a_word_table_with_a_repeated_header_row(demo):
    document, word, _ = demo
    table_blocks = blocks(document, model.Table)
    assert len(table_blocks) == 18
    # 18 report tables, the title page's facts and the table in the text of Resultat ("Tabell: ...")
    assert len(word.tables) == 18 + 1 + 1
    captioned = captioned_tables(word)
    numbers, titles = zip(*(c.split(": ", 1) for c, _ in captioned))
    assert list(numbers) == [f"Tabell {i}" for i in range(1, 18 + 1 + 1)]  # the text's table numbered with them
    assert [t for t in titles if t != TEXT_TABLE] == [t.title for t in table_blocks] and TEXT_TABLE in titles
    for caption, table in captioned:
        rows = table.rows
        assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None, caption
        assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in rows), caption
        assert all(r._tr.trPr.find(qn("w:tblHeader")) is None for r in rows[1:]), caption


def test_table_text_is_cells_and_numbers_are_right_aligned(demo):
    document, word, _ = demo
    report_tables = [(c, t) for c, t in captioned_tables(word) if not c.endswith(f": {TEXT_TABLE}")]
    for block, (caption, table) in zip(blocks(document, model.Table), report_tables, strict=True):
        assert [c.text for c in table.rows[0].cells] == [label for label, _ in block.headers]
        assert [[c.text for c in r.cells] for r in table.rows[1:]] == block.cells()
        for j, (_, kind) in enumerate(block.headers):
            right = [r.cells[j].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT for r in table.rows]
            assert all(right) if kind in model.NUMERIC_KINDS else not any(right), (caption, j)


def test_resultat_figures_from_the_csv_appear_in_swedish(demo):
    _, word, folder = demo
    csv = pd.read_csv(folder / "tabeller" / "resultat.csv")
    table = dict(captioned_tables(word))[next(c for c, _ in captioned_tables(word)
                                              if c.endswith(": Resultat vid avslut"))]
    shown = [[c.text for c in r.cells] for r in table.rows[1:]]
    # with the default min_cell 3, small exit reasons are recoded into Övrigt first, so Arbete stays
    assert shown[0] == ["Arbete", "9", "18,4\xa0%"]  # 9 of 49 = 18,367 %

    def cell(value, kind):
        return value if value == ".." else (fmt.number(int(value)) if kind == "count" else fmt.percent(float(value)))

    expected = [[r.kategori, cell(r.antal, "count"), cell(r.andel, "share")] for r in csv.astype(str).itertuples()]
    assert shown == expected
    base = "Andel av 49 inskrivna som räknas i resultatet."
    assert any(p.text.startswith(base) for p in word.paragraphs)


def test_total_row_is_bold(demo):
    _, word, _ = demo
    table = next(t for c, t in captioned_tables(word) if c.endswith(": Bemanning per finansiering"))
    last = table.rows[-1]
    assert last.cells[0].text == "Totalt"
    assert all(run.bold for cell in last.cells for run in cell.paragraphs[0].runs)
    assert not any(run.bold for cell in table.rows[1].cells for run in cell.paragraphs[0].runs)


def test_charts_are_pictures_with_alt_text_at_200_dpi_or_more(demo):
    document, word, _ = demo
    charts = blocks(document, model.Chart)
    # survey, age, education, result, support; no trend lines: two periods are too few for a line
    assert len(charts) == 5
    shapes = word.inline_shapes
    assert len(shapes) == 5
    for chart, shape in zip(charts, shapes):
        doc_pr = shape._inline.docPr
        assert doc_pr.get("descr") == chart.alt and doc_pr.get("descr").strip()
        assert doc_pr.get("title") == chart.title
        width_px, _ = Image.open(io.BytesIO(chart.png)).size
        assert width_px / shape.width.inches >= 200
        assert shape.width <= word.sections[0].page_width - word.sections[0].left_margin - word.sections[0].right_margin
    captions = [p.text for p in word.paragraphs if p.style.name == "Caption" and p.text.startswith("Figur")]
    assert captions == [f"Figur {i}: {c.title}" for i, c in enumerate(charts, 1)]
    assert sum(1 for i in instructions(word.element.body) if i.startswith("SEQ Figur")) == 5


def test_page_numbers_header_contents_field_and_language(demo):
    document, word, _ = demo
    section = word.sections[-1]
    assert instructions(section.footer._element) == ["PAGE", "NUMPAGES"]
    assert section.footer.paragraphs[0].text.startswith("Sida ")
    assert section.header.paragraphs[0].text == document.header == "STEGET · Årsrapport 2024-05-01 – 2025-04-30"
    assert section.different_first_page_header_footer and section.first_page_header.paragraphs[0].text == ""
    assert section.page_width.cm == pytest.approx(21.0, abs=0.01)  # A4
    toc = [i for i in instructions(word.element.body) if i.startswith("TOC")]
    assert len(toc) == 1 and toc[0].startswith('TOC \\o "1-3" \\h')
    update = word.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"
    defaults = word.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:lang")).get(qn("w:val")) == "sv-SE"
    assert word.styles["Normal"].element.rPr.find(qn("w:lang")).get(qn("w:val")) == "sv-SE"
    assert not any(lang.get(qn("w:val")) != "sv-SE" for lang in word.styles.element.iter(qn("w:lang")))


def test_title_page_and_properties(demo):
    _, word, _ = demo
    paragraphs = [p for p in word.paragraphs if p.text]
    assert (paragraphs[0].style.name, paragraphs[0].text) == ("Subtitle", "Årsrapport")
    assert (paragraphs[1].style.name, paragraphs[1].text) == ("Title", "STEGET")
    facts = [[c.text for c in r.cells] for r in word.tables[0].rows]
    assert ["Period", "2024-05-01 – 2025-04-30"] in facts and ["Utvärderare", "Exempel Utvärdering AB"] in facts
    assert all(label != "Diarienummer" for label, _ in facts)  # empty values are left out
    props = word.core_properties
    assert props.title == "STEGET – Årsrapport 2024-05-01 – 2025-04-30"
    assert props.subject == "Årsrapport 2024-05-01 – 2025-04-30"
    assert props.author == props.last_modified_by == "Exempel Utvärdering AB"
    assert props.comments == "" and props.language == "sv-SE"


def test_the_file_names_no_other_program_and_shows_no_blank_preview(demo):
    """A förbund's reviewer: Word's properties said 'Microsoft Macintosh Word', 1 page, 0 words, and
    Finder and Explorer previewed the report as a blank page (python-docx's own template's)."""
    import zipfile

    _, _, folder = demo
    with zipfile.ZipFile(folder / "rapport.docx") as report:
        names, app, rels = report.namelist(), report.read("docProps/app.xml"), report.read("_rels/.rels")
    assert "docProps/thumbnail.jpeg" not in names and b"thumbnail" not in rels
    assert b"<Application>evaluation</Application>" in app
    assert not [tag for tag in (b"<Pages>", b"<Words>", b"Macintosh") if tag in app]


def test_the_longest_name_allowed_fits_the_word_properties_and_the_header_keeps_one_line(tmp_path):
    """A 300-character 'namn' or 'utvarderare' stopped the Word file with an unexpected error
    (python-docx holds at most 255 characters in a document property); names are now at most 200
    characters (the parameters refuse more). The running header of every page keeps the name's
    first words, and the period, on one line (it ran over four)."""
    name, evaluator = "Insatsen " + "n" * 191, "Utvärdering " + "u" * 188
    params = write_params(tmp_path, namn=f'"{name}"', utvarderare=f'"{evaluator}"', sektioner="[bakgrund]")
    (tmp_path / "data" / "testinsats" / "texter").mkdir()
    (tmp_path / "data" / "testinsats" / "texter" / "bakgrund.md").write_text("Bakgrund.\n", encoding="utf-8")
    document = evaluation.open_report(params).document
    assert document.header == "Insatsen " + "n" * 32 + "… · Årsrapport 2020-01-01 – 2020-12-31"
    docx_renderer.write(document, tmp_path)
    word = docx.Document(str(tmp_path / "rapport.docx"))
    assert word.sections[0].header.paragraphs[0].text == document.header
    props = word.core_properties
    assert props.title == f"{name} – Årsrapport 2020-01-01 – 2020-12-31" and len(props.title) == 237 <= 255
    assert props.author == evaluator and len(evaluator) == 200
    assert any(p.text == name for p in word.paragraphs)


def test_sources_are_numbered_and_heading_marks_are_superscript(demo):
    _, word, _ = demo
    heading = next(p for p in word.paragraphs if p.text.startswith("Ung väg framåt") and p.style.name == "Heading 2")
    marks = [r for r in heading._p.iter(qn("w:r")) if r.rPr is not None and r.rPr.find(qn("w:vertAlign")) is not None]
    assert [r.text for r in marks] == ["1", ", ", "2"]
    links = [h for h in heading._p.iter(qn("w:hyperlink"))]
    assert heading.text == "Ung väg framåt1, 2"
    assert [h.get(qn("w:anchor")) for h in links] == ["omvarld_kalla_1", "omvarld_kalla_2"]
    bookmarks = {b.get(qn("w:name")) for b in word.element.body.iter(qn("w:bookmarkStart"))}
    assert {"omvarld_kalla_1", "omvarld_kalla_2", "omvarld_kalla_3", "omvarld_kalla_4"} <= bookmarks


# -- hand-made documents ------------------------------------------------------------------
def make_document(*blocks_, header="Testinsats · Årsrapport 2020-01-01 – 2020-12-31") -> model.Document:
    facts = model.Facts((("Period", "2020-01-01 – 2020-12-31"), ("Utvärderare", "")))
    tables = tuple(b for b in blocks_ if isinstance(b, model.Table))
    return model.Document(
        title="Testinsats – Årsrapport", title_block=model.TitleBlock("Årsrapport", "Testinsats", facts),
        sections=(model.Section("resultat", "Resultat", tuple(blocks_)),), tables=tables, header=header,
    )


def render(tmp_path, document, template=None):
    docx_renderer.write(document, tmp_path, template=template)
    return docx.Document(str(tmp_path / "rapport.docx"))


def test_formula_like_text_stays_plain_text(tmp_path):
    risky = ['=HYPERLINK("http://evil.example/x","klicka")', "+1+1", "@SUM(A1)", "-2"]
    table = model.Table(id="t", title="Kategorier", frame=pd.DataFrame({"namn": risky, "antal": [1, 2, 3, 4]}),
                        columns={"namn": ("Namn", "text"), "antal": ("Antal", "count")})
    word = render(tmp_path, make_document(table))
    data = captioned_tables(word)[0][1]
    assert [r.cells[0].text for r in data.rows[1:]] == risky
    assert not any("HYPERLINK" in i or "SUM" in i for i in instructions(word.element.body))
    assert not list(word.element.body.iter(qn("w:fldSimple")))
    assert not any("evil" in rel.target_ref for rel in word.part.rels.values() if rel.is_external)


def test_markdown_prose_becomes_word_paragraphs_lists_and_safe_links(tmp_path):
    png = io.BytesIO()
    Image.new("RGB", (400, 200), "white").save(png, format="PNG")
    text = (
        "# Bakgrund\n\nVi **lyckades** med *det mesta*. Se [förbundet](https://example.org/a), "
        "[skript](javascript:alert(1)) och [filen](data/x.pdf) eller [mejla](mailto:a@example.org).\n\n"
        "- första\n- andra med **fet** text\n\n3. tre\n4. fyra\n\n## Djupare\n\n"
        "<script>alert(1)</script>\n\n![Ett foto av teamet](bilder/team.png)\n\n| Kön | Antal |\n|---|--:|\n| Kvinna | 3 |\n"
    )
    word = render(tmp_path, make_document(model.Markdown(text, images=(("bilder/team.png", png.getvalue()),))))
    levels = heading_levels(word)
    assert levels == [(1, "Resultat"), (2, "Bakgrund"), (3, "Djupare")]
    para = next(p for p in word.paragraphs if p.text.startswith("Vi lyckades"))
    assert [r.text for r in para.runs if r.bold] == ["lyckades"]
    assert [r.text for r in para.runs if r.italic] == ["det mesta"]
    # markdown-it refuses javascript: links, so that one stays as the text written
    assert para.text == "Vi lyckades med det mesta. Se förbundet, [skript](javascript:alert(1)) och filen eller mejla."
    targets = sorted(rel.target_ref for rel in word.part.rels.values() if rel.reltype.endswith("/hyperlink"))
    assert targets == ["https://example.org/a", "mailto:a@example.org"]
    items = [p for p in word.paragraphs if p.style.name == "List Paragraph"]
    assert [p.text for p in items] == ["första", "andra med fet text", "tre", "fyra"]
    num_ids = [p._p.pPr.numPr.numId.val for p in items]
    assert num_ids[0] == num_ids[1] != num_ids[2] == num_ids[3]
    numbering = word.part.numbering_part.element
    ordered = next(n for n in numbering.findall(qn("w:num")) if n.numId == num_ids[2])
    start = ordered.find(qn("w:lvlOverride")).find(qn("w:startOverride")).get(qn("w:val"))
    assert start == "3"
    assert any(p.text == "<script>alert(1)</script>" for p in word.paragraphs)
    (shape,) = word.inline_shapes
    assert shape._inline.docPr.get("descr") == "Ett foto av teamet"
    md_table = word.tables[-1]
    assert [[c.text for c in r.cells] for r in md_table.rows] == [["Kön", "Antal"], ["Kvinna", "3"]]
    assert md_table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert md_table.rows[1].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_quote_facts_grid_signature_sources_and_lists(tmp_path):
    word = render(tmp_path, make_document(
        model.Heading("Djupt ner", 4),  # no Heading 2 before it: becomes Heading 2, not 3
        model.Quote("Det var bra.", "Deltagare, kvinna"),
        model.Facts((("Startdatum", "2020-01-01"), ("Slutdatum", ""))),
        model.Grid("g", "Matris", "Kommun", ("Styrka", "Svaghet"), (("**Åsdal**", ("Bra *samverkan*", "Få platser")),)),
        model.Signature("Insatsägare: Kommunen", "Testinsats", ("Underskrift", "Namnförtydligande")),
        model.BulletList(("ett", "två"), ordered=True),
        model.BulletList(()),
        model.Sources((model.Source(1, "Rapport", "https://example.org/r"), model.Source(2, "", "ftp://x"))),
    ))
    levels = heading_levels(word)
    assert levels == [(1, "Resultat"), (2, "Djupt ner"), (2, "Insatsägare: Kommunen"), (2, "Källor")]
    quote = next(p for p in word.paragraphs if p.style.name == "Quote")
    assert quote.text == "\u201dDet var bra.\u201d"
    assert quote._p.getnext() is not None and "Deltagare, kvinna" in quote._p.getnext().xpath("string(.)")
    facts, grid, signature = word.tables[1], word.tables[2], word.tables[3]
    assert [[c.text for c in r.cells] for r in facts.rows] == [["Startdatum", "2020-01-01"]]
    assert [[c.text for c in r.cells] for r in grid.rows] == [["Kommun", "Styrka", "Svaghet"], ["Åsdal", "Bra samverkan", "Få platser"]]
    assert grid.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [r.bold for r in grid.rows[1].cells[0].paragraphs[0].runs] == [True]
    assert [r.italic for r in grid.rows[1].cells[1].paragraphs[0].runs] == [None, True]
    assert [[c.text for c in r.cells] for r in signature.rows] == [["Underskrift", ""], ["Namnförtydligande", ""]]
    assert signature.rows[0].cells[1]._tc.tcPr.find(qn("w:tcBorders")) is not None
    assert any(p.text == "Insatsens namn: Testinsats" for p in word.paragraphs)
    items = [p.text for p in word.paragraphs if p.style.name == "List Paragraph"]
    assert items == ["ett", "två", "(inga)", "Rapport: https://example.org/r", "ftp://x"]
    targets = [rel.target_ref for rel in word.part.rels.values() if rel.reltype.endswith("/hyperlink")]
    assert targets == ["https://example.org/r"]  # ftp is shown, not linked


def test_an_evaluators_template_supplies_header_and_styles(tmp_path):
    template = docx.Document()
    template.sections[0].header.paragraphs[0].text = "Exempelförbundets mall – logga här"
    template.styles["Normal"].font.name = "Georgia"
    template.add_paragraph("Mallens egen brödtext som ska bort")
    template.add_table(rows=1, cols=1)
    caption = template.styles["Caption"].element  # a template that lacks the Caption style
    caption.getparent().remove(caption)
    path = tmp_path / "mall.docx"
    template.save(str(path))
    out = tmp_path / "ut"
    out.mkdir()
    table = model.Table(id="t", title="Kön", frame=pd.DataFrame({"kon": ["Kvinna"], "antal": [1234]}),
                        columns={"kon": ("Kön", "text"), "antal": ("Antal", "count")})
    word = render(out, make_document(table), template=path)
    section = word.sections[-1]
    assert section.header.paragraphs[0].text == "Exempelförbundets mall – logga här"
    assert word.styles["Normal"].font.name == "Georgia"
    assert not any("Mallens egen" in p.text for p in word.paragraphs)
    assert len(word.tables) == 2  # the title page's facts and the table; the template's table is gone
    assert [[c.text for c in r.cells] for r in word.tables[1].rows] == [["Kön", "Antal"], ["Kvinna", "1\xa0234"]]
    assert any(p.style.name == "Caption" and p.text == "Tabell 1: Kön" for p in word.paragraphs)
    assert instructions(section.footer._element) == ["PAGE", "NUMPAGES"]  # its footer was empty
    assert word.core_properties.author == ""  # nothing of the template's author is kept


def test_a_templates_comments_thumbnail_and_properties_never_reach_the_report(tmp_path):
    import zipfile

    import PIL.PngImagePlugin

    template = docx.Document()
    paragraph = template.add_paragraph("Mallens text")
    template.add_comment(paragraph.runs, text="Granskad av Anna Andersson", author="Anna Andersson", initials="AA")
    logo, info = io.BytesIO(), PIL.PngImagePlugin.PngInfo()
    info.add_text("Author", "Anna Andersson")  # as a designer's tool writes it into a logo
    Image.new("RGB", (40, 20), "navy").save(logo, format="PNG", pnginfo=info)
    template.sections[0].header.paragraphs[0].add_run().add_picture(io.BytesIO(logo.getvalue()))
    path = tmp_path / "mall.docx"
    template.save(str(path))
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["docProps/app.xml"] = parts["docProps/app.xml"].replace(b"</Properties>",
                                                                  b"<Company>Anna Andersson AB</Company></Properties>")
    assert b"Anna Andersson" in parts["word/comments.xml"] and "docProps/thumbnail.jpeg" in parts
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    out = tmp_path / "ut"
    out.mkdir()
    word = render(out, make_document(model.Paragraph("Rapportens text.")), template=path)
    assert [p.text for p in word.paragraphs if p.text == "Rapportens text."]  # it opens, with the report
    with zipfile.ZipFile(out / "rapport.docx") as report:
        names = report.namelist()
        everything = b"".join(report.read(name) for name in names)
    assert not [n for n in names if "comments" in n or "thumbnail" in n or n.startswith("customXml")]
    assert b"Anna" not in everything and b"Company" not in everything  # nor in the logo
    assert [n for n in names if n.startswith("word/media/")] and word.sections[0].header.part.related_parts


_LINKED_PICTURE = (
    '<w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
    '<wp:extent cx="100000" cy="100000"/><wp:docPr id="99" name="Logga"/><a:graphic xmlns:a='
    '"http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/'
    'drawingml/2006/picture"><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    '<pic:nvPicPr><pic:cNvPr id="0" name="Logga"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip xmlns:r='
    '"http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:link="rIdLank"/></pic:blipFill>'
    '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="100000" cy="100000"/></a:xfrm><a:prstGeom prst="rect"/>'
    '</pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
         '"http://schemas.openxmlformats.org/package/2006/relationships">{}</Relationships>')
_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def test_what_a_template_fetches_from_elsewhere_never_reaches_the_report(tmp_path):
    """A logo linked (not embedded) from a web server and a template attached from a file share were
    copied into every report: Word fetches both when the published report opens, telling the server
    when and where it is read, and naming the evaluator's share. A hyperlink stays."""
    import re
    import zipfile

    from evaluation.inputs.textread import check_template

    template = docx.Document()
    template.sections[0].header.paragraphs[0].text = "Exempelförbundet"
    path = tmp_path / "mall.docx"
    template.save(str(path))
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    header = next(n for n in parts if re.fullmatch(r"word/header\d*\.xml", n))
    parts[header] = parts[header].replace(b"</w:p>", _LINKED_PICTURE.encode() + b"</w:p>", 1)
    parts[header.replace("word/", "word/_rels/") + ".rels"] = _RELS.format(
        f'<Relationship Id="rIdLank" Type="{_TYPES}image" Target="https://spara.example/logga.png" '
        'TargetMode="External"/>').encode()
    parts["word/settings.xml"] = re.sub(rb"(<w:settings[^>]*>)", rb'\1<w:attachedTemplate xmlns:r="http://schemas.'
                                        rb'openxmlformats.org/officeDocument/2006/relationships" r:id="rIdMall"/>',
                                        parts["word/settings.xml"], count=1)
    parts["word/_rels/settings.xml.rels"] = _RELS.format(
        f'<Relationship Id="rIdMall" Type="{_TYPES}attachedTemplate" Target="file://server/anna.a/Normal.dotm" '
        'TargetMode="External"/>').encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    (notice,) = check_template(path)
    assert notice.message.startswith("Word-mallen hämtar 2 saker utanför filen när den öppnas")
    assert "spara.example" not in notice.describe() and "server" not in notice.message.split("(")[0]
    assert "anna" not in notice.describe()
    out = tmp_path / "ut"
    out.mkdir()
    word = render(out, make_document(model.Markdown("Läs mer på [webben](https://example.org/r).")), template=path)
    assert word.sections[-1].header.paragraphs[0].text == "Exempelförbundet"
    with zipfile.ZipFile(out / "rapport.docx") as report:
        everything = b"".join(report.read(name) for name in report.namelist())
    assert b"spara.example" not in everything and b"server/" not in everything and b"Normal.dotm" not in everything
    assert b"attachedTemplate" not in everything and b"r:link" not in everything and b"Logga" not in everything
    assert [r.target_ref for r in word.part.rels.values() if r.is_external] == ["https://example.org/r"]
    parts[header] = b'<?xml version="1.0"?><!DOCTYPE h [<!ENTITY a "Exempel">]>' + parts[header].split(b"?>", 1)[1]
    with zipfile.ZipFile(path, "w") as target:  # entities in the header's XML: refused, not an unexpected error
        for name, data in parts.items():
            target.writestr(name, data)
    from evaluation import InputError

    with pytest.raises(InputError, match="Word-mallen kan inte öppnas som ett Word-dokument"):
        check_template(path)


@pytest.mark.parametrize("content_type, said", [
    ("application/vnd.ms-word.document.macroEnabled.main+xml", "ett dokument med makron (.docm)"),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml", "en Word-mall (.dotx)"),
    ("application/vnd.ms-word.template.macroEnabledTemplate.main+xml", "en Word-mall med makron (.dotm)"),
])
def test_a_template_saved_as_dotx_or_with_macros_and_named_docx_is_refused_before_the_report_runs(
        tmp_path, content_type, said):
    """python-docx opens plain documents only: such a template failed after the report had run, as an
    unexpected error (ValueError: ... is not a Word file)."""
    import zipfile

    from evaluation import InputError
    from evaluation.inputs.textread import check_template

    path = tmp_path / "mall.docx"
    docx.Document().save(str(path))
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    plain = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(plain, content_type.encode())
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    with pytest.raises(InputError) as err:
        check_template(path)
    assert str(err.value) == (f"{path}: Word-mallen är sparad som {said}, fast filen heter .docx. Öppna den i Word "
                              "och spara den som Word-dokument (.docx); rapporten tar varken makron eller mallfiler.")
    params = write_params(tmp_path / "projekt", mall="../../../mall.docx")
    with pytest.raises(InputError, match="Word-mallen är sparad som"):
        evaluation.validate(params)


def test_personal_data_in_a_templates_header_or_footer_is_refused_or_noticed(tmp_path):
    from evaluation import InputError
    from evaluation.inputs.textread import check_template

    template = docx.Document()
    template.sections[0].footer.paragraphs[0].text = "Utvärderare: kontakt@utvardering.se"
    path = tmp_path / "mall.docx"
    template.save(str(path))
    (notice,) = check_template(path)
    assert notice.message.startswith("sidfoten i Word-mallen innehåller något som ser ut som en e-postadress")
    assert "kontakt@" not in notice.describe()
    template.sections[0].header.paragraphs[0].text = "Handläggare 811218-9876"
    template.save(str(path))
    with pytest.raises(InputError, match="sidhuvudet i Word-mallen innehåller något som ser ut som ett personnummer"):
        check_template(path)
    params = write_params(tmp_path / "projekt", mall="mall.docx")
    (params.parent / "mall.docx").write_bytes(path.read_bytes())
    with pytest.raises(InputError, match="sidhuvudet i Word-mallen") as refused:
        evaluation.validate(params)
    assert "811218" not in str(refused.value)
    from click.testing import CliRunner

    from evaluation.tools.cli import main

    result = CliRunner().invoke(main, ["render", "--mall", str(path), str(params)])  # --mall: checked first
    assert result.exit_code == 1 and "sidhuvudet i Word-mallen" in result.output and "811218" not in result.output


def test_write_all_writes_the_docx_format(tmp_path):
    from evaluation.renderers import FORMATS, write_all

    assert FORMATS["docx"] == "rapport.docx"
    table = model.Table(id="t", title="Kön", frame=pd.DataFrame({"kon": ["Man"], "antal": [2]}),
                        columns={"kon": ("Kön", "text"), "antal": ("Antal", "count")})
    write_all(make_document(table), tmp_path, ["docx"])
    assert (tmp_path / "rapport.docx").is_file() and (tmp_path / "tabeller" / "t.csv").is_file()


def test_docx_written_from_its_parts_is_the_file_python_docx_saves_made_stable(tmp_path, demo):
    """rapport.docx is zipped from the package's parts directly (compressed once): byte for byte
    what python-docx's own save gives once made stable, with and without a template."""
    from evaluation.renderers import stable_zip

    document = demo[0]
    template = tmp_path / "mall.docx"
    docx.Document().save(str(template))
    for name, mall in (("utan", None), ("med", template)):
        folder = tmp_path / name
        folder.mkdir()
        docx_renderer.write(document, folder, template=mall)
        saved = folder / "sparad.docx"
        docx_renderer.build(document, mall).save(str(saved))
        stable_zip(saved, document.created)
        assert (folder / "rapport.docx").read_bytes() == saved.read_bytes()


# -- the mall key ----------------------------------------------------------------------------
def test_mall_is_resolved_against_the_params_file(tmp_path):
    path = write_params(tmp_path, mall="mall.docx")
    (path.parent / "mall.docx").write_bytes(b"")
    assert load_params(path).mall == (path.parent / "mall.docx").resolve()
    assert load_params(write_params(tmp_path / "b")).mall is None


@pytest.mark.parametrize("value, words", [
    ("saknas.docx", "finns inte"),
    ("mall.dotx", "slutar på .docx"),
])
def test_bad_mall_is_refused_in_swedish(tmp_path, value, words):
    path = write_params(tmp_path, mall=value)
    (path.parent / "mall.dotx").write_bytes(b"")
    with pytest.raises(ParamsError) as err:
        load_params(path)
    message = str(err.value)
    assert str(path) in message and "'mall'" in message and words in message


def test_a_table_too_wide_for_portrait_gets_a_landscape_section_with_the_running_header():
    from docx.enum.section import WD_ORIENT
    from test_pdf import _document, _wide_table

    from evaluation.core.model import Paragraph, Section
    from evaluation.renderers import docx as docx_renderer

    doc = _document([Section("s", "Tabeller", (Paragraph("Före."), _wide_table(12), Paragraph("Efter."),
                                                _wide_table(5)))])
    word = docx_renderer.build(doc)
    assert [s.orientation for s in word.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    landscape = word.sections[1]
    assert landscape.page_width > landscape.page_height and not landscape.different_first_page_header_footer
    assert word.sections[0].header.paragraphs[0].text == doc.header
    assert all(s.header.is_linked_to_previous for s in word.sections[1:])  # they show the same header
    widths = [c.width for c in word.tables[-2].columns]
    assert sum(widths) <= landscape.page_width - landscape.left_margin - landscape.right_margin + 12 * 635  # twips
    assert min(widths[1:]).pt >= fonts.text_width("Kolumnrubrik", 8, bold=True)  # no word broken
    assert len(word.tables[-2].columns) == 12 and len(word.tables[-1].columns) == 5


def test_a_landscape_table_takes_its_heading_description_and_note_in_word_too():
    from docx.enum.section import WD_ORIENT
    from test_pdf import _document, _wide_table

    from evaluation.core.model import Grid, Heading, Markdown, Paragraph, Section
    from evaluation.renderers import docx as docx_renderer

    grid = Grid("matris_bred", "En bred matris", "Rad", tuple(f"Kolumnrubrik {i}" for i in range(14)),
                (("A", tuple(f"cell {i}" for i in range(14))),))
    first = (Paragraph("Före."), Heading("Den breda", 3), Markdown("Beskrivningen."), grid,
             Markdown("Noten.", "note"), Paragraph("Efter."))
    doc = _document([Section("s", "Tabeller", first), Section("t", "Bred först", (_wide_table(12),)),
                     Section("u", "Sista", (Paragraph("Slut."),))])
    word = docx_renderer.build(doc)
    orientations, texts = [], []
    for element in word.element.body.iterchildren():  # a section ends with the paragraph holding its sectPr
        texts.append("".join(element.itertext()))
        if element.find(".//" + qn("w:sectPr")) is not None or element.tag == qn("w:sectPr"):
            orientations.append(texts)
            texts = []
    kinds = [s.orientation for s in word.sections]
    assert kinds == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE,
                     WD_ORIENT.PORTRAIT]
    wide_matrix, between, wide_first = (" ".join(t) for t in orientations[1:4])
    assert "Den breda" in wide_matrix and "Beskrivningen." in wide_matrix and "Noten." in wide_matrix
    assert "Före." not in wide_matrix and "Efter." in between and "Bred först" in wide_first
    assert "Slut." in " ".join(orientations[4])
    # a section that is a wide table, then another: one landscape section, no empty portrait page between
    two = docx_renderer.build(_document([Section("a", "A", (_wide_table(12),)), Section("b", "B", (_wide_table(13),))]))
    assert [s.orientation for s in two.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE]


def test_a_wide_table_in_a_text_gets_a_landscape_section_and_the_text_after_it_is_portrait():
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt
    from test_pdf import _document

    from evaluation.core.model import Markdown, Section
    from evaluation.renderers import docx as docx_renderer

    def table(columns: int) -> str:
        return ("| " + " | ".join(f"R{i}" for i in range(columns)) + " |\n|" + "---|" * columns + "\n| "
                + " | ".join("x" for _ in range(columns)) + " |\n")

    text = Markdown("Före.\n\n" + table(16) + "\nEfter.\n\n" + table(5))
    word = docx_renderer.build(_document([Section("s", "Bakgrund", (text,))]))
    assert [s.orientation for s in word.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    assert [len(t.columns) for t in word.tables[-2:]] == [16, 5]  # after the title page's facts
    sizes = [{r.font.size for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs}
             for t in word.tables[-2:]]
    assert sizes[0] == {Pt(8)} and Pt(8) not in sizes[1]  # the compact look from eight columns, as in the PDF
    # columns sized by their words, as the report's own tables (they were all equal)
    sized = docx_renderer.build(_document([Section("s", "B", (Markdown(
        "| Part | Roll | Möten |\n|---|---|--:|\n| AF | Samordnar praktikplatser och följer upp arbetssökande | 12 |\n"),))]))
    part, role, meetings = (c.width for c in sized.tables[-1].columns)
    assert role > 2 * part and role > 2 * meetings
    body = list(word.element.body.iterchildren())
    breaks = [i for i, el in enumerate(body) if el.find(".//" + qn("w:sectPr")) is not None]  # a section's end
    tables = [i for i, el in enumerate(body) if el.tag == qn("w:tbl")][-2:]
    assert breaks[0] < tables[0] < breaks[1] < tables[1]  # the wide one in the landscape section, the other after it


@pytest.mark.parametrize("text", ["Kvinnor", " inledande mellanslag", "a\tb", "rad 1\nrad 2\r3", "<&> \"citat\"",
                                  "styr\x0btecken", "", "1\u00a0234"])
@pytest.mark.parametrize("bold, fill, right, size, keep", [(False, None, False, None, False),
                                                           (True, "DCE6F0", True, 8, True)])
def test_rows_written_at_once_are_the_xml_python_docx_writes_cell_by_cell(text, bold, fill, right, size, keep):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    from evaluation.renderers import wordml, wordtables

    width = Cm(3.1)
    by_hand = docx.Document().add_table(rows=1, cols=1)
    wordtables.repeat_header(by_hand.rows[0])
    wordtables.cant_split(by_hand.rows[0])
    cell = by_hand.rows[0].cells[0]
    cell.width = width
    paragraph = cell.paragraphs[0]
    paragraph._p.get_or_add_pPr().style = "Tabelltext"
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if wordml.clean(text):
        run = paragraph.add_run(wordml.clean(text))
        if bold:
            run.bold = True
        if size:
            run.font.size = Pt(size)
    if fill:
        wordtables.shade(cell, fill)
    if keep:
        paragraph.paragraph_format.keep_with_next = True

    at_once = docx.Document().add_table(rows=0, cols=1)
    wordtables.append_rows(at_once, [(True, [wordtables.Cell(text, width, bold, fill, right, Pt(size) if size else None, keep)])],
                       "Tabelltext")
    assert at_once._tbl.tr_lst[0].xml == by_hand._tbl.tr_lst[0].xml


def test_a_style_id_with_quotes_and_ampersands_from_a_template_is_written_as_it_is():
    from docx.shared import Cm

    from evaluation.renderers import wordtables

    table = docx.Document().add_table(rows=0, cols=1)
    wordtables.append_rows(table, [(False, [wordtables.Cell("x", Cm(2))])], 'Tabell "A" & <B>')
    assert table._tbl.tr_lst[0].tc_lst[0].p_lst[0].pPr.pStyle.val == 'Tabell "A" & <B>'


def test_footnotes_of_a_text_are_numbered_and_listed_after_it_as_on_the_page(tmp_path):
    """Word showed "Källa[^scb]" and "[^scb]: SCB 2024." as typed (its parser had no footnotes)."""
    text = "### Källor\n\nKälla[^scb] och FK[^fk].\n\n[^scb]: SCB 2024.\n[^fk]: Försäkringskassan.\n\n    Två stycken.\n"
    word = render(tmp_path, make_document(model.Markdown(text)))
    shown = [(p.style.name, p.text) for p in word.paragraphs if p.text][-5:]
    assert shown == [("Heading 2", "Källor"), ("Normal", "Källa[1] och FK[2]."), ("Anmärkning", "[1] SCB 2024."),
                     ("Anmärkning", "[2] Försäkringskassan."), ("Anmärkning", "Två stycken.")]
    marks = [r.text for r in word.paragraphs[-4].runs if r.font.superscript]
    assert marks == ["[1]", "[2]"]


def test_headings_of_a_text_keep_the_level_the_report_gave_them(tmp_path):
    """An omvärld description's heading (h4, under the project's h3) was a Heading 2 like the project's."""
    word = render(tmp_path, make_document(model.Heading("Projekt", 3), model.Markdown("#### Bakgrund\n\nText.")))
    assert [(p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Heading")][-2:] == [
        ("Heading 2", "Projekt"), ("Heading 3", "Bakgrund")]


def test_a_text_table_with_a_caption_above_it_is_numbered_with_the_reports_tables(tmp_path):
    """'Tabell: ...' right above a table names it (a screen reader had only "Tabell i texten" for every one)."""
    table = model.Table(id="t", title="Rapportens tabell", frame=pd.DataFrame({"namn": ["a"], "antal": [1]}),
                        columns={"namn": ("Namn", "text"), "antal": ("Antal", "count")})
    text = "Tabell 7: Deltagare per kommun\n\n| Kommun | Antal |\n|---|--:|\n| A | 3 |\n\nTabell: utan tabell efter."
    word = render(tmp_path, make_document(table, model.Markdown(text)))
    captions = [p.text for p in word.paragraphs if p.style.name == "Caption"]
    assert captions == ["Tabell 1: Rapportens tabell", "Tabell 2: Deltagare per kommun"]
    assert [p.text for p in word.paragraphs if p.text.startswith("Tabell:")] == ["Tabell: utan tabell efter."]
    names = [t._tbl.tblPr.find(qn("w:tblCaption")) for t in word.tables[-2:]]
    assert [n.get(qn("w:val")) for n in names] == ["Rapportens tabell", "Deltagare per kommun"]
