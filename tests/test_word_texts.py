"""Texts written in Word (``texter/<avsnitt>.docx``): converted by pandoc to the Markdown of a
``.md`` text, with variables, tables, footnotes, links, images and the fact check."""
from __future__ import annotations

import base64
import io
import re
import zipfile
from pathlib import Path

import docx
import pypandoc
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches
from test_prose import data_folder, project, write_text

from evaluation.build.report import open_report
from evaluation.core.errors import InputError, TemplateError
from evaluation.renderers import html as html_renderer
from evaluation.sections import texts

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")


def texter(params: Path) -> Path:
    folder = data_folder(params) / "texter"
    folder.mkdir(exist_ok=True)
    return folder


def add_link(paragraph, text: str, url: str) -> None:
    rid = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    word = OxmlElement("w:t")
    word.text = text
    run.append(word)
    link.append(run)
    paragraph._p.append(link)


def word_text(path: Path) -> Path:
    """A Word text as an evaluator writes it: Word's curly quotes inside a variable included."""
    document = docx.Document()
    document.add_heading("Bakgrund i Word", 1)
    p = document.add_paragraph("Insatsen hade {{ antal.deltagare }} deltagare, ")
    p.add_run("varav många").bold = True
    p.add_run(" var ")
    p.add_run("pågående").italic = True
    p.add_run(": {{ tabell(\u201cresultat\u201d, \u201cPågående\u201d, \u201candel\u201d) }}.")
    document.add_paragraph("{% if tal(\"resultat\", \"Pågående\", \"antal\") > 5 %}Fler än fem pågående.{% endif %}")
    document.add_paragraph("Första punkten", style="List Bullet")
    document.add_paragraph("Andra punkten", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Kommun", "Möten"
    table.cell(1, 0).text, table.cell(1, 1).text = "Norrby", "12"
    document.add_picture(io.BytesIO(PNG), width=Inches(1))
    document.inline_shapes[0]._inline.docPr.set("descr", "Karta över Norrby")
    add_link(document.add_paragraph("Läs mer hos "), "Finsam", "https://www.finsam.se")
    document.save(path)
    return path


def test_word_text_renders_like_markdown(tmp_path):
    params = project(tmp_path)
    word_text(texter(params) / "bakgrund.docx")
    block = texts.prose(open_report(params), "bakgrund")
    html = block.to_html()
    # 34 people (19 ended + 15 ongoing); Pågående 15 of 33 in the result base = 45,5 %
    assert "Insatsen hade 34 deltagare, <strong>varav många</strong> var <em>pågående</em>: 45,5\u00a0%." in html
    assert "Fler än fem pågående." in html
    assert "<h3>Bakgrund i Word</h3>" in html  # under the section's h2
    assert re.search(r"<ul>\s*<li>\s*(<p>)?Första punkten(</p>)?\s*</li>\s*<li>\s*(<p>)?Andra punkten", html)
    assert '<th scope="col">Kommun</th>' in html and "<td>Norrby</td>" in html and "<td>12</td>" in html
    assert 'alt="Karta över Norrby"' in html and "data:image/png;base64," in html
    assert '<a href="https://www.finsam.se">Finsam</a>' in html
    assert dict(block.images) == {"media/image1.png": PNG}


def test_word_footnote_becomes_a_numbered_note(tmp_path):
    params = project(tmp_path)
    # pandoc writes a real Word footnote (word/footnotes.xml) from Markdown
    pypandoc.convert_text("Enligt SCB[^1] deltog {{ antal.deltagare }}.\n\n[^1]: SCB, statistik 2024.\n",
                          "docx", format="md", outputfile=str(texter(params) / "metod.docx"))
    html = texts.prose(open_report(params), "metod").to_html()
    assert "deltog 34." in html
    assert '<section class="footnotes">' in html and "SCB, statistik 2024." in html


def test_a_word_table_with_a_line_break_or_two_paragraphs_in_a_cell_keeps_every_word(tmp_path):
    """Pandoc wrote such a table as the text "[TABLE]": the whole table was lost from the report."""
    params = project(tmp_path)
    document = docx.Document()
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Part", "Roll"
    table.cell(1, 0).text, table.cell(2, 0).text = "Kommunen", "Regionen"
    table.cell(1, 1).text = "Första stycket."
    table.cell(1, 1).add_paragraph("Andra stycket.")
    run = table.cell(2, 1).paragraphs[0].add_run("Första raden.")
    run.add_break()  # Skift+Enter
    table.cell(2, 1).paragraphs[0].add_run("Andra raden.")
    document.add_paragraph("Efter tabellen.")
    document.save(texter(params) / "metod.docx")
    html = texts.prose(open_report(params), "metod").to_html()
    assert "[TABLE]" not in html
    assert '<th scope="col">Roll</th>' in html and "<td>Första stycket. Andra stycket.</td>" in html
    assert "<td>Första raden. Andra raden.</td>" in html and "Efter tabellen." in html


def test_word_formatting_the_report_does_not_read_is_not_shown_as_typed(tmp_path):
    """Underlined and highlighted words, strike-through, super- and subscripts, a formula and a
    definition list were written in a Markdown the report does not read: the report showed
    "[understruken]{.underline}", "~~struken~~" and "x^2^"; a list in a table cell ran together."""
    params = project(tmp_path)
    markdown = ("Text med [understruken]{.underline}, [markerad]{.mark}, ~~struken~~, x^2^ och H~2~O.\n\n"
                "Term\n: Definitionen.\n\nFormeln $a/b$.\n\n"
                "+------+-----------------+\n| Part | Roll            |\n+======+=================+\n"
                "| AF   | - punkt ett     |\n|      | - punkt två     |\n+------+-----------------+\n")
    pypandoc.convert_text(markdown, "docx", format="markdown", outputfile=str(texter(params) / "metod.docx"))
    html = texts.prose(open_report(params), "metod").to_html()
    for typed in ("{.", "~~", "^2^", "~2~", "$", ":   ", "[TABLE]"):
        assert typed not in html, typed
    assert "<em>understruken</em>" in html and "markerad" in html and "struken" in html
    assert "x² och H₂O" in html and "Term" in html and "Definitionen." in html and "<em>a</em>/<em>b</em>" in html
    assert "<td>punkt ett; punkt två</td>" in html


def test_word_text_is_fact_checked_naming_the_paragraph_not_a_line(tmp_path):
    params = project(tmp_path)
    document = docx.Document()
    document.add_paragraph("Inledning.")
    document.add_paragraph("Av dem är 15 (46 %) pågående.")  # the table says 45,5 %
    path = texter(params) / "sammanfattning.docx"
    document.save(path)
    [warning] = open_report(params).warnings
    assert (warning.path, warning.line) == (path, None)
    assert "'46 %'" in warning.message and "45,5\u00a0%" in warning.message
    assert warning.describe().startswith(f"Varning: {path}: stycke 2: '46 %'")  # a probe saw 'rad 2' here


def test_unknown_variable_in_word_names_the_file_and_paragraph(tmp_path):
    params = project(tmp_path)
    document = docx.Document()
    document.add_paragraph("Hela {{ antal.deltgare }} personer.")
    path, message = _refused(params, document, "metod", TemplateError)
    assert f"{path}, stycke 1: okänd variabel 'antal.deltgare'" in message
    assert "antal.deltagare" in message


def _warned(params: Path, document) -> tuple[Path, list[str]]:
    """``document`` saved as the Word text of bakgrund: where, and the warnings its report gives there."""
    path = texter(params) / "bakgrund.docx"
    document.save(path)
    report = open_report(params)
    texts.prose(report, "bakgrund")
    return path, [n.describe() for n in report.notices if n.path == path]


def _refused(params: Path, document, section: str, error: type) -> tuple[Path, str]:
    """``document`` saved as the Word text of ``section``: where, and the error its report raises."""
    path = texter(params) / f"{section}.docx"
    document.save(path)
    with pytest.raises(error) as info:
        texts.prose(open_report(params), section)
    return path, str(info.value)


def test_both_forms_of_one_text_is_an_error_naming_both(tmp_path):
    params = project(tmp_path)
    md = write_text(params, "bakgrund", "Text.\n")
    word = word_text(texter(params) / "bakgrund.docx")
    with pytest.raises(InputError) as info:
        open_report(params)
    assert str(md) in str(info.value) and str(word) in str(info.value)


def test_a_file_that_is_not_word_is_refused(tmp_path):
    params = project(tmp_path)
    (texter(params) / "bakgrund.docx").write_text("inte ett dokument", encoding="utf-8")
    with pytest.raises(InputError, match="kan inte öppnas som ett Word-dokument"):
        open_report(params)


def test_a_picture_a_word_text_links_from_elsewhere_is_said_to_be_left_out(tmp_path):
    """Pandoc leaves out a picture that a Word text links (from a web server or a share) instead of
    holding: it vanished from the report without a word. A damaged part list is no Word document."""
    import zipfile

    from test_docx import _LINKED_PICTURE, _TYPES

    params = project(tmp_path)
    path = word_text(texter(params) / "bakgrund.docx")
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(b"</w:p>", _LINKED_PICTURE.encode() + b"</w:p>", 1)
    rels = "word/_rels/document.xml.rels"
    parts[rels] = parts[rels].replace(b"</Relationships>", f'<Relationship Id="rIdLank" Type="{_TYPES}image" Target='
                                      '"https://spara.example/anna/karta.png" TargetMode="External"/>'
                                      '</Relationships>'.encode())
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    report = open_report(params)
    assert "Insatsen hade 34 deltagare" in texts.prose(report, "bakgrund").to_html()
    said = [n.describe() for n in report.notices if n.path == path]
    assert said == [f"Varning: {path}: texten har 1 bild som Word hämtar från en webbadress eller en server (länkade, "
                    "inte infogade); den visas inte i rapporten. Ska en bild vara med, infoga den i dokumentet "
                    "(Infoga → Bilder)."]
    parts[rels] = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "a">]><Relationships/>'
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    with pytest.raises(InputError, match="kan inte öppnas som ett Word-dokument"):
        open_report(params)


def test_word_text_in_the_html_report(tmp_path):
    params = project(tmp_path)
    word_text(texter(params) / "bakgrund.docx")
    page = html_renderer.page(open_report(params).document)
    assert "Insatsen hade 34 deltagare" in page and 'alt="Karta över Norrby"' in page


@pytest.mark.slow  # a real kernel, every format
def test_a_word_text_and_a_microsoft_forms_export_render_without_hand_edits(tmp_path):
    import subprocess
    import sys

    from test_survey_exports import QUESTIONS_YAML, write_ms_forms

    params = project(tmp_path, sektioner="[bakgrund, metod, enkater, resultat]")
    word_text(texter(params) / "bakgrund.docx")
    pypandoc.convert_text("Enligt SCB[^1] deltog {{ antal.deltagare }}.\n\n[^1]: SCB, statistik 2024.\n",
                          "docx", format="md", outputfile=str(texter(params) / "metod.docx"))
    surveys = data_folder(params) / "enkater"
    surveys.mkdir()
    (surveys / "deltagare.yaml").write_text(QUESTIONS_YAML.replace("antal_tillfragade: 10", "antal_tillfragade: 5"),
                                            encoding="utf-8")
    write_ms_forms(surveys / "deltagare.xlsx")
    out = tmp_path / "out"
    evaluation = Path(sys.executable).parent / "evaluation"
    result = subprocess.run([str(evaluation), "render", str(params), "--out", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "metadata" in result.stderr and "example.se" not in result.stderr + result.stdout
    folder = next((out / "testinsats").iterdir())
    page = (folder / "rapport.html").read_text(encoding="utf-8")
    assert "Insatsen hade 34 deltagare" in page and 'alt="Karta över Norrby"' in page and "SCB, statistik 2024." in page
    assert "Har du fått stöd som är till nytta för dig?" in page and "example.se" not in page
    word = docx.Document(str(folder / "rapport.docx"))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Insatsen hade 34 deltagare" in text and "Bakgrund i Word" in text
    assert any("Norrby" in cell.text for table in word.tables for row in table.rows for cell in row.cells)


def _phone_photo() -> bytes:
    """A JPEG as a phone saves it: the camera's owner and the place in Exif, taken turned (Exif
    orientation 6: the picture is shown turned a quarter clockwise), and a comment."""
    from PIL import ExifTags, Image

    exif = Image.Exif()
    exif[ExifTags.Base.Artist] = "Anna Andersson"
    exif[ExifTags.Base.Orientation] = 6
    exif.get_ifd(ExifTags.IFD.GPSInfo).update({ExifTags.GPS.GPSLatitudeRef: "N",
                                                ExifTags.GPS.GPSLatitude: (59.0, 20.0, 1.5)})
    image = Image.new("RGB", (60, 20), "white")
    image.paste((200, 30, 30), (0, 0, 10, 20))  # a red band on the left edge
    out = io.BytesIO()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>Anna Andersson</dc:creator></x:xmpmeta>'
    image.save(out, format="JPEG", exif=exif, comment=b"Anna Andersson, Storgatan 1", xmp=xmp, quality=95)
    return out.getvalue()


def _no_metadata(data: bytes) -> None:
    from PIL import Image

    assert b"Anna" not in data and b"Storgatan" not in data and b"GPS" not in data and b"Exif" not in data
    image = Image.open(io.BytesIO(data))
    assert image.size == (20, 60)  # upright: turned as the camera said
    red = image.convert("RGB").getpixel((10, 2))
    assert red[0] > 150 and red[1] < 90  # the band is on top now


def test_photos_lose_the_metadata_that_tells_who_took_them_where(tmp_path):
    """A picture in a text or a Word text is published without Exif, comments or text chunks
    (owner, place, time), turned upright first; a picture without metadata stays byte for byte."""
    from PIL import Image, PngImagePlugin

    params = project(tmp_path)
    folder = data_folder(params)
    (folder / "bilder").mkdir()
    (folder / "bilder" / "mote.jpg").write_bytes(_phone_photo())
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Anna Andersson")
    with_text = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(with_text, format="PNG", pnginfo=info)
    (folder / "bilder" / "skiss.png").write_bytes(with_text.getvalue())
    (folder / "bilder" / "ren.png").write_bytes(PNG)
    write_text(params, "bakgrund", "![Mötet](bilder/mote.jpg)\n\n![Skiss](bilder/skiss.png)\n\n![Ren](bilder/ren.png)\n")
    images = dict(texts.prose(open_report(params), "bakgrund").images)
    _no_metadata(images["bilder/mote.jpg"])
    assert b"Anna" not in images["bilder/skiss.png"] and Image.open(io.BytesIO(images["bilder/skiss.png"])).size == (8, 8)
    assert images["bilder/ren.png"] == PNG

    (folder / "texter" / "bakgrund.md").unlink()
    document = docx.Document()
    document.add_picture(io.BytesIO(_phone_photo()), width=Inches(1))
    document.inline_shapes[0]._inline.docPr.set("descr", "Mötet")
    document.save(texter(params) / "bakgrund.docx")
    (word_image,) = dict(texts.prose(open_report(params), "bakgrund").images).values()
    _no_metadata(word_image)


def test_a_damaged_picture_is_named(tmp_path):
    params = project(tmp_path)
    folder = data_folder(params)
    (folder / "bilder").mkdir()
    (folder / "bilder" / "trasig.jpg").write_bytes(_phone_photo()[:200])
    write_text(params, "bakgrund", "![Trasig](bilder/trasig.jpg)\n")
    with pytest.raises(InputError) as err:
        texts.prose(open_report(params), "bakgrund")
    assert "bilden 'bilder/trasig.jpg' går inte att läsa" in str(err.value) and "bakgrund.md" in str(err.value)


def test_a_personnummer_split_over_differently_formatted_runs_is_refused(tmp_path):
    """Word keeps a number typed partly in bold as two runs; pandoc writes ``**811218**-9876``.
    The number is refused all the same, and never quoted."""
    params = project(tmp_path)
    document = docx.Document()
    paragraph = document.add_paragraph("Kontakt: ")
    paragraph.add_run("811218").bold = True
    paragraph.add_run("-9876 (Anna).")
    path, message = _refused(params, document, "bakgrund", InputError)
    assert message.startswith(f"{path}: filen innehåller personuppgifter (värdena visas inte): stycke 1: något som "
                              "ser ut som ett personnummer")  # no 'rad 1': a Word text has no lines to go to
    assert "9876" not in message and "811218" not in message


def test_a_refusal_in_a_word_text_names_the_heading_and_paragraph_to_go_to(tmp_path):
    """An evaluator's probe: the message named the file only, and a long Word text has no lines."""
    params = project(tmp_path)
    document = docx.Document()
    document.add_paragraph("Inledande text.")
    document.add_heading("Målgrupp och rekrytering", level=1)
    document.add_paragraph("Första stycket under rubriken.")
    document.add_paragraph("En punkt", style="List Bullet")
    document.add_paragraph("En punkt till", style="List Bullet")
    document.add_paragraph("Handläggaren nås på 070-123 45 67 om ärende 811218-9876.")
    path, message = _refused(params, document, "bakgrund", InputError)
    assert message.startswith(f"{path}: filen innehåller personuppgifter (värdena visas inte): under rubriken "
                              "'Målgrupp och rekrytering', stycke 4: något som ser ut som ett personnummer")
    assert "9876" not in message and "070" not in message



def test_a_heading_holding_half_a_split_personnummer_is_counted_never_named(tmp_path):
    """A hostile probe: 'Kund 811218' over '-9876 är kunden.' was refused naming the heading,
    half of the very number, in the message and in the index."""
    params = project(tmp_path)
    document = docx.Document()
    document.add_heading("Bakgrund", level=1)
    document.add_heading("Kund 811218", level=2)
    document.add_paragraph("-9876 är kunden.")
    path, message = _refused(params, document, "bakgrund", InputError)
    assert "i rubrik 2 (räknat uppifrån i texten): något som ser ut som ett personnummer" in message
    assert "811218" not in message and "9876" not in message


def test_a_refusal_in_a_word_table_names_the_table_row_and_cell(tmp_path):
    """A probe: a hit in a table named the paragraph the whole table was counted as."""
    params = project(tmp_path)
    document = docx.Document()
    document.add_heading("Parter", level=1)
    document.add_paragraph("Första stycket.")
    table = document.add_table(rows=3, cols=3)
    for i, row in enumerate([["Part", "Roll", "Kontakt"], ["Kommunen", "Ägare", "Via växeln"],
                             ["Arbetsförmedlingen", "Part", "Kund 811218-9876"]]):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
    document.add_paragraph("Efter tabellen.")
    document.add_paragraph("Ärendet gäller 811218-9876.")
    path, message = _refused(params, document, "bakgrund", InputError)
    assert message.startswith(f"{path}: filen innehåller personuppgifter (värdena visas inte): under rubriken "
                              "'Parter', tabell 1, rad 3, kolumn 3: något som ser ut som ett personnummer")
    # a table is no paragraph: the one after it is the second
    assert "; under rubriken 'Parter', stycke 3: något som ser ut som ett personnummer" in message
    assert "9876" not in message
    # a number split over two cells side by side names both (a probe: the row only)
    table.cell(2, 1).text, table.cell(2, 2).text = "Kund 811218", "-9876"
    document.paragraphs[-1].text = "Ärendet gäller en kund."
    path, message = _refused(params, document, "bakgrund", InputError)
    assert "under rubriken 'Parter', tabell 1, rad 3, kolumnerna 2 och 3: något som ser ut som ett personnummer" in message


def test_two_warnings_in_one_row_of_a_word_table_each_name_their_cell(tmp_path):
    """A probe: a phone number and an e-mail address in one row both said 'tabell 1, rad 2'."""
    params = project(tmp_path)
    document = docx.Document()
    document.add_heading("Kontakt", level=1)
    table = document.add_table(rows=2, cols=3)
    for i, row in enumerate([["Roll", "Telefon", "E-post"], ["Utvärderare", "070-123 45 67", "utv@example.se"]]):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
    path = texter(params) / "bakgrund.docx"
    document.save(path)
    report = open_report(params)
    texts.prose(report, "bakgrund")
    said = {n.describe().split("ser ut som ")[1].split(" (")[0]: n.describe().split(": texten")[0]
            for n in report.notices if n.path == path}
    assert said == {"ett telefonnummer": f"Varning: {path}: under rubriken 'Kontakt', tabell 1, rad 2, kolumn 2",
                    "en e-postadress": f"Varning: {path}: under rubriken 'Kontakt', tabell 1, rad 2, kolumn 3"}


def test_a_word_texts_syntax_error_footnote_and_named_heading_are_placed_as_word_shows_them(tmp_path):
    """A probe: a template syntax error named no place, a footnote was 'stycke 7' after the last
    heading, and a heading with a person's name was quoted in every message under it."""
    params = project(tmp_path)
    document = docx.Document()
    document.add_heading("Intervju med Karin Larsson", level=1)
    document.add_paragraph("Första stycket.")
    document.add_paragraph("{% if true %}Ett villkor som aldrig slutar.")
    path, message = _refused(params, document, "bakgrund", TemplateError)
    assert message.startswith(f"{path}, under rubrik 1 (räknat uppifrån i texten), stycke 2: fel i mallsyntaxen")
    assert "Karin" not in message and "Larsson" not in message
    document = docx.Document()
    document.add_heading("Utfall", level=1)
    document.add_paragraph("Ett stycke.")
    path = texter(params) / "bakgrund.docx"
    document.save(path)
    with zipfile.ZipFile(path) as source:  # a footnote, as Word saves one (python-docx writes none)
        parts = {name: source.read(name) for name in source.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        b"Ett stycke.</w:t></w:r>", b'Ett stycke.</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r>')
    parts["word/footnotes.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="http://schemas.openxmlformats.'
        'org/wordprocessingml/2006/main"><w:footnote w:id="1"><w:p><w:r><w:t>Källa: ring 070-123 45 67.</w:t></w:r>'
        '</w:p></w:footnote></w:footnotes>').encode()
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdFn" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                             b'relationships/footnotes" Target="footnotes.xml"/></Relationships>')
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-'
                     b'officedocument.wordprocessingml.footnotes+xml"/></Types>')
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    report = open_report(params)
    texts.prose(report, "bakgrund")
    said = [n.describe() for n in report.notices if n.path == path]
    assert any(s.startswith(f"Varning: {path}: fotnot 1: texten innehåller något som ser ut som ett telefonnummer")
               for s in said), said


def test_thousands_of_phone_numbers_in_a_word_text_are_said_in_a_few_warnings(tmp_path):
    """A probe: 15 000 phone numbers gave 15 000 warnings (1.5 MB of output) and took 51 s, each
    place looked up from the top of the text."""
    params = project(tmp_path)
    document = docx.Document()
    document.add_heading("Kontakt", level=1)
    for _ in range(3000):
        document.add_paragraph("Ring 070-123 45 67 om ärendet.")
    path, said = _warned(params, document)
    assert len(said) == 11 and said[9].startswith(f"Varning: {path}: under rubriken 'Kontakt', stycke 10: texten")
    assert said[10] == (f"Varning: {path}: … och 2\u00a0990 ställen till i texten med ett telefonnummer (visas inte här; "
                        "de första står ovan).")


def test_a_word_picture_without_alt_text_is_said_as_word_adds_one(tmp_path):
    """A probe: the advice was Markdown's ('inom hakparenteserna'), and the picture named by the
    conversion's 'media/image1.png', a name the writer never saw."""
    params = project(tmp_path)
    document = docx.Document()
    document.add_heading("Karta", level=1)
    document.add_paragraph("Före bilden.")
    document.add_picture(io.BytesIO(PNG), width=Inches(1))
    path, message = _refused(params, document, "bakgrund", TemplateError)
    assert (f"{path}, under rubriken 'Karta', stycke 2: bilden saknar alternativtext; högerklicka på bilden i Word, "
            "välj Visa alternativtext") in message
    assert "media/" not in message and "hakparentes" not in message


def test_a_nested_list_counts_its_items_as_word_does(tmp_path):
    """The conversion separates a list and its sub-list with a paragraph Word does not have."""
    params = project(tmp_path)
    document = docx.Document()
    document.add_heading("Bakgrund", level=1)
    document.add_paragraph("p1", style="List Bullet")
    document.add_paragraph("sub1", style="List Bullet 2")
    document.add_paragraph("sub2", style="List Bullet 2")
    document.add_paragraph("p2", style="List Bullet")
    document.add_paragraph("Ärendet gäller 811218-9876.")
    path, message = _refused(params, document, "bakgrund", InputError)
    assert "under rubriken 'Bakgrund', stycke 5: något som ser ut som ett personnummer" in message


def _hidden(paragraph, text: str, value: str | None = None) -> None:
    run = paragraph.add_run(text)
    vanish = OxmlElement("w:vanish")
    if value is not None:
        vanish.set(qn("w:val"), value)
    run._r.get_or_add_rPr().append(vanish)


def test_text_formatted_as_hidden_in_word_is_refused_counted_and_unquoted(tmp_path):
    """Hidden text (Word's Dold) was published in every format without a word."""
    params = project(tmp_path)
    document = docx.Document()
    paragraph = document.add_paragraph("Synlig mening. ")
    _hidden(paragraph, "Hemlig anteckning om klienten. ")
    _hidden(document.add_paragraph("Mer. "), "Gäller 811218-9876.")
    _hidden(document.add_paragraph("Avstängd dold: "), "syns.", "0")  # w:val="0" turns it off
    path, message = _refused(params, document, "bakgrund", InputError)
    assert message.startswith(f"{path}: Word-texten har dold text (formatet Dold) på 2 ställen.")
    assert "Arkiv → Alternativ → Visning → Dold text" in message
    assert "Hemlig" not in message and "9876" not in message


def test_text_hidden_by_its_style_is_refused_and_shown_again_on_the_words_is_read(tmp_path):
    """A character style (or a paragraph style) set to hidden hides its words as the Dold format does."""
    from docx.enum.style import WD_STYLE_TYPE

    params = project(tmp_path)
    document = docx.Document()
    secret = document.styles.add_style("Hemlig", WD_STYLE_TYPE.CHARACTER)
    secret.element.get_or_add_rPr().append(OxmlElement("w:vanish"))
    based = document.styles.add_style("Anteckning", WD_STYLE_TYPE.PARAGRAPH)
    based.base_style = document.styles.add_style("Dold grund", WD_STYLE_TYPE.PARAGRAPH)
    based.base_style.element.get_or_add_rPr().append(OxmlElement("w:vanish"))
    document.add_paragraph("Synlig. ").add_run("Dold via teckenformat.", style="Hemlig")
    document.add_paragraph("Dold via styckeformat, som ärvs.", style="Anteckning")
    _hidden(document.add_paragraph("Visad igen: ", style="Anteckning"), "syns.", "0")  # the run's own wins
    path, message = _refused(params, document, "bakgrund", InputError)
    assert message.startswith(f"{path}: Word-texten har dold text (formatet Dold) på 3 ställen.")


def test_text_shown_again_in_word_is_read(tmp_path):
    params = project(tmp_path)
    document = docx.Document()
    _hidden(document.add_paragraph("Synlig. "), "Visad igen.", "false")
    document.save(texter(params) / "bakgrund.docx")
    assert "Synlig. Visad igen." in texts.prose(open_report(params), "bakgrund").to_html()


def test_a_picture_with_too_many_pixels_is_refused_plainly(tmp_path):
    """A small file can hold a huge picture (a decompression bomb): refused with its size, never
    an internal error, in a text and in a Word text."""
    from PIL import Image

    from evaluation.inputs import textread

    (tmp_path / "bilder").mkdir()
    Image.new("1", (20000, 20000)).save(tmp_path / "bilder" / "bomb.png")  # 400 million pixels in 48 KB
    Image.new("1", (10000, 9000)).save(tmp_path / "bilder" / "stor.png")  # 90 million: Pillow only warns
    for name, size in (("bomb.png", ""), ("stor.png", " (10000 × 9000)")):
        with pytest.raises(InputError) as err:
            textread.read_image(tmp_path, f"bilder/{name}")
        assert f"bilden 'bilder/{name}' har fler bildpunkter{size} än de 80 miljoner" in str(err.value)
    params = project(tmp_path / "projekt")
    document = docx.Document()
    document.add_picture(str(tmp_path / "bilder" / "bomb.png"), width=Inches(1))
    document.inline_shapes[0]._inline.docPr.set("descr", "Karta")
    path, message = _refused(params, document, "bakgrund", InputError)
    assert f"{path}: en bild i dokumentet har fler bildpunkter än de 80 miljoner" in message


def test_a_password_protected_word_text_or_template_is_told_to_lose_its_password(tmp_path):
    from evaluation.core.errors import InputError
    from evaluation.inputs import textread

    path = tmp_path / "bakgrund.docx"  # an encrypted document is a compound file, not a zip
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088))
    for read, what in ((textread.read_docx, "dokumentet"), (textread.check_template, "Word-mallen")):
        with pytest.raises(InputError, match=f"{what} går inte att läsa, för filen är lösenordsskyddad .* ta bort "
                                             "lösenordet"):
            read(path)


def _with_header_and_comment(path: Path, header: str, comment: str) -> Path:
    document = docx.Document()
    paragraph = document.add_paragraph("Insatsen hade {{ antal.deltagare }} deltagare.")
    document.sections[0].header.paragraphs[0].text = header
    if comment:
        document.add_comment(paragraph.runs, text=comment, author="Utvärderare", initials="U")
    document.save(path)
    return path


def test_a_word_texts_header_and_comments_are_said_to_be_left_out(tmp_path):
    """Pandoc converts the body, footnotes and pictures; a header, a footer and the comments of
    review vanished from the report without a word."""
    params = project(tmp_path)
    path = _with_header_and_comment(texter(params) / "bakgrund.docx", "Utkast v2, kontakt a.b@kommun.se",
                                    "Ska detta med?")
    report = open_report(params)
    html = texts.prose(report, "bakgrund").to_html()
    assert "Insatsen hade 34 deltagare" in html and "Utkast" not in html and "Ska detta" not in html
    said = [n.describe() for n in report.notices if n.path == path]
    assert said == [f"Varning: {path}: sidhuvudet och kommentarerna i Word-texten visas inte i rapporten (det ser ut "
                    "att finnas en e-postadress där; visas inte): bara texten, dess fotnoter och bilder tas med. Ska "
                    "något därifrån synas, skriv det i texten."]


_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
       'xmlns:v="urn:schemas-microsoft-com:vml"')


def _with_old_box_and_field(path: Path, box: str, field: str) -> Path:
    """A text box drawn the old way (VML alone) and a simple field showing ``field``: pandoc
    drops the text of both."""
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_paragraph("Insatsen hade {{ antal.deltagare }} deltagare.")
    document.element.body.append(parse_xml(
        f'<w:p {_NS}><w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>{box}</w:t></w:r></w:p>'
        '</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>'))
    document.element.body.append(parse_xml(
        f'<w:p {_NS}><w:r><w:t xml:space="preserve">Källa: </w:t></w:r><w:fldSimple w:instr=" AUTHOR ">'
        f'<w:r><w:t>{field}</w:t></w:r></w:fldSimple></w:p>'))
    document.save(path)
    return path


def test_a_word_texts_old_text_box_and_field_are_said_to_be_left_out(tmp_path):
    """They vanished from the report without a word, and their text was never scanned."""
    params = project(tmp_path)
    path = _with_old_box_and_field(texter(params) / "bakgrund.docx", "Observera rutan", "Utvärderaren")
    report = open_report(params)
    html = texts.prose(report, "bakgrund").to_html()
    assert "Insatsen hade 34 deltagare" in html and "Observera" not in html and "Utvärderaren" not in html
    said = [n.describe() for n in report.notices if n.path == path]
    assert said == [f"Varning: {path}: textrutorna och fälten i Word-texten visas inte i rapporten: bara texten, "
                    "dess fotnoter och bilder tas med. Ska något därifrån synas, skriv det i texten."]


def test_a_word_texts_title_at_the_top_is_said_to_be_left_out_and_scanned(tmp_path):
    """Pandoc reads a Title, Subtitle, Author, Date or Abstract paragraph at the top of a Word text
    as the document's title and so on: it left the report without a word, and was never scanned."""
    params = project(tmp_path)
    document = docx.Document()
    document.add_paragraph("Underlag till rapporten", style="Title")
    document.add_paragraph("")
    document.add_paragraph("Utkast", style="Subtitle")
    document.add_paragraph("Insatsen hade {{ antal.deltagare }} deltagare.")
    document.add_paragraph("Mitt i texten", style="Title")  # further down: a paragraph of the text
    path = texter(params) / "bakgrund.docx"
    document.save(path)
    report = open_report(params)
    html = texts.prose(report, "bakgrund").to_html()
    assert "Insatsen hade 34 deltagare" in html and "Mitt i texten" in html and "Underlag" not in html
    said = [n.describe() for n in report.notices if n.path == path]
    assert said == [f"Varning: {path}: titelraderna överst (formatmallen Rubrik, Underrubrik, Author, Date eller "
                    "Abstract) i Word-texten visas inte i rapporten: bara texten, dess fotnoter och bilder tas med. "
                    "Ska något därifrån synas, skriv det i texten."]
    # scanned with the text, as the lines over it (a probe: a personnummer there hid the text's own,
    # and one split over the title and the first paragraph passed)
    document.paragraphs[2].text = "Kund 811218-9876"
    document.paragraphs[4].text = "Ärende 811218-9876."
    document.save(path)
    with pytest.raises(InputError) as info:
        open_report(params)
    assert str(info.value).startswith(
        f"{path}: filen innehåller personuppgifter (värdena visas inte): i titelraderna överst: något som ser ut som "
        "ett personnummer eller samordningsnummer; stycke 2: något som ser ut som")  # Word counts no title as a heading
    assert "9876" not in str(info.value)
    document.paragraphs[2].text, document.paragraphs[4].text = "Kund 811218", "-9876 var kunden."
    document.paragraphs[3].text = ""
    document.paragraphs[3].style = document.paragraphs[4].style = document.styles["Normal"]
    document.save(path)
    with pytest.raises(InputError) as info:
        open_report(params)
    assert "i titelraderna överst: något som ser ut som ett personnummer" in str(info.value)


def test_a_personnummer_in_a_word_texts_properties_is_refused_and_its_author_is_not_said(tmp_path):
    params = project(tmp_path)
    document = docx.Document()
    document.add_paragraph("Insatsen hade {{ antal.deltagare }} deltagare.")
    document.core_properties.author = "Utvärderaren"  # Word's own doing: no notice
    document.save(texter(params) / "bakgrund.docx")
    report = open_report(params)
    assert not [n for n in report.notices if "bakgrund.docx" in str(n.path)]
    document.core_properties.subject = "Om 811218-9876"
    document.save(texter(params) / "bakgrund.docx")
    with pytest.raises(InputError) as info:
        open_report(params)
    assert str(info.value).startswith(f"{texter(params) / 'bakgrund.docx'}: Word-textens egenskaper (Arkiv → Info: "
                                      "titel, ämne, taggar …) innehåller något som ser ut som ett personnummer")
    assert "9876" not in str(info.value)


@pytest.mark.parametrize("make, parts, place", [
    (_with_header_and_comment, ("Utkast 811218-9876", ""), "sidhuvudet"),
    (_with_header_and_comment, ("", "Fråga om 19811218-9876"), "kommentarerna"),
    (_with_old_box_and_field, ("Ring 811218-9876", "Utvärderaren"), "textrutorna"),
    (_with_old_box_and_field, ("Observera rutan", "Anna 19811218-9876"), "fälten"),
])
def test_a_personnummer_in_a_part_of_a_word_text_the_report_leaves_out_is_refused(tmp_path, make, parts, place):
    """It never reached the report, but it travelled with the file, unsaid (the old text box and
    the field were not even scanned)."""
    params = project(tmp_path)
    path = make(texter(params) / "bakgrund.docx", *parts)
    with pytest.raises(InputError) as info:
        open_report(params)
    assert str(info.value) == (f"{path}: {place} i Word-texten innehåller något som ser ut som ett personnummer "
                               "eller samordningsnummer (visas inte). Det kommer inte med i rapporten, men följer "
                               "med filen: ta bort det och kör igen.")


_BODY_CODES = {
    "field code": '<w:p {ns}><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> QUOTE "811218-</w:instrText>'
                  '</w:r><w:r><w:instrText>9876" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
    "deleted field code": '<w:p {ns}><w:del w:id="1" w:author="U"><w:r><w:delInstrText> QUOTE 811218-9876 '
                          '</w:delInstrText></w:r></w:del></w:p>',
    "simple field's code": '<w:p {ns}><w:fldSimple w:instr=" QUOTE 811218-9876 "><w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>',
    "content control": '<w:sdt {ns}><w:sdtPr><w:alias w:val="Kund 811218"/><w:tag w:val="-9876"/><w:comboBox>'
                       '<w:listItem w:displayText="Ett" w:value="811218-9876"/></w:comboBox></w:sdtPr>'
                       '<w:sdtContent><w:p><w:r><w:t>Ett</w:t></w:r></w:p></w:sdtContent></w:sdt>',
    "tooltip": '<w:p {ns}><w:hyperlink w:anchor="a" w:tooltip="Se 811218-9876"><w:r><w:t>länk</w:t></w:r></w:hyperlink></w:p>',
    "change's author": '<w:p {ns}><w:ins w:id="2" w:author="811218-9876"><w:r><w:t>Ny text.</w:t></w:r></w:ins></w:p>',
    "ruby": '<w:p {ns}><w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>811218-9876</w:t></w:r></w:rt><w:rubyBase><w:r>'
            '<w:t>Kund</w:t></w:r></w:rubyBase></w:ruby></w:r></w:p>',
}


def _with_in_codes(path: Path, where: str) -> Path:
    """A Word text with a personnummer ``where`` Word keeps what no page shows."""
    import zipfile

    from docx.oxml import parse_xml

    document = docx.Document()
    paragraph = document.add_paragraph("Insatsen hade {{ antal.deltagare }} deltagare.")
    if where in _BODY_CODES:
        document.element.body.append(parse_xml(_BODY_CODES[where].format(ns=_NS)))
    if where == "comment author":
        document.add_comment(paragraph.runs, text="Ska detta med?", author="811218-9876", initials="U")
    document.save(path)
    extra = {"document variable": ("word/settings.xml", None),
             "quick parts": ("word/glossary/document.xml", f'<w:glossaryDocument {_NS}><w:docParts><w:docPart>'
                             '<w:docPartBody><w:p><w:r><w:t>811218-9876</w:t></w:r></w:p></w:docPartBody>'
                             '</w:docPart></w:docParts></w:glossaryDocument>'),
             "bound data": ("customXml/item1.xml", "<kund><nr>811218-9876</nr></kund>")}
    if where in extra:
        name, xml = extra[where]
        with zipfile.ZipFile(path) as old:
            parts = {info.filename: old.read(info.filename) for info in old.infolist()}
        if xml is None:  # a document variable in the settings
            parts[name] = parts[name].replace(b"</w:settings>", b'<w:docVars><w:docVar w:name="kund" '
                                              b'w:val="811218-9876"/></w:docVars></w:settings>')
        else:
            parts[name] = xml.encode()
        with zipfile.ZipFile(path, "w") as new:
            for part, data in parts.items():
                new.writestr(part, data)
    return path


@pytest.mark.parametrize("where, place", [
    *((where, "fältkoder, innehållskontroller, länkars skärmtips eller kommentarers författare")
      for where in [*_BODY_CODES, "comment author", "document variable"]),
    ("quick parts", "byggblocken (Infoga → Snabbdelar)"),
    ("bound data", "data kopplade till texten (customXml)"),
])
def test_a_personnummer_where_word_keeps_what_no_page_shows_is_refused(tmp_path, where, place):
    """A hostile probe: these travelled with the file unsaid, while a simple field's shown text
    (and deleted text) was refused. Ordinary codes there (PAGE, TOC, a tag) are no notice."""
    params = project(tmp_path)
    path = _with_in_codes(texter(params) / "bakgrund.docx", where)
    with pytest.raises(InputError) as info:
        open_report(params)
    assert str(info.value) == (f"{path}: {place} i Word-texten innehåller något som ser ut som ett personnummer "
                               "eller samordningsnummer (visas inte). Det kommer inte med i rapporten, men följer "
                               "med filen: ta bort det och kör igen.")


def test_ordinary_field_codes_and_controls_are_no_notice(tmp_path):
    from docx.oxml import parse_xml

    params = project(tmp_path)
    document = docx.Document()
    document.add_paragraph("Insatsen hade {{ antal.deltagare }} deltagare.")
    document.element.body.append(parse_xml(
        f'<w:p {_NS}><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE \\* MERGEFORMAT '
        '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'))
    document.element.body.append(parse_xml(_BODY_CODES["content control"].format(ns=_NS).replace("811218", "Datum")
                                           .replace("9876", "2024-03-01")))
    document.save(texter(params) / "bakgrund.docx")
    report = open_report(params)
    assert not [n for n in report.notices if "bakgrund.docx" in str(n.path)]


def test_a_word_tables_caption_is_the_tables_caption_in_the_report(tmp_path):
    """Word's "Tabell 1: ..." (the Caption style, above the table) came out as a plain paragraph
    after the table; now it is the caption the report gives a text's table ("Tabell: ...")."""
    params = project(tmp_path)
    document = docx.Document()
    document.add_paragraph("Före tabellen.")
    document.add_paragraph("Tabell 1: Deltagare per kommun", style="Caption")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text, table.cell(1, 0).text, table.cell(1, 1).text = "Kommun", "Antal", "A", "3"
    document.add_paragraph("Efter tabellen.")
    document.save(texter(params) / "metod.docx")
    html = texts.prose(open_report(params), "metod").to_html()
    assert 'aria-label="Deltagare per kommun"><table>\n<caption>Deltagare per kommun</caption>' in html
    assert "Tabell 1" not in html and "Tabell:" not in html
    assert html.index("Före tabellen.") < html.index("<caption>") < html.index("Efter tabellen.")


def _with_tracked_changes(path: Path, deleted: str, removal: tuple[str, str] = ("w:del", "w:delText")) -> Path:
    """A paragraph with one tracked insertion and one tracked deletion (or move away), neither accepted."""
    document = docx.Document()
    paragraph = document.add_paragraph("Början.")
    for tag, text_tag, text in (("w:ins", "w:t", " Infogad mening."), (*removal, deleted)):
        change = OxmlElement(tag)
        for key, value in (("w:id", "1"), ("w:author", "Utvärderare"), ("w:date", "2024-01-01T00:00:00Z")):
            change.set(qn(key), value)
        run, words = OxmlElement("w:r"), OxmlElement(text_tag)
        words.text = text
        run.append(words)
        change.append(run)
        paragraph._p.append(change)
    document.save(path)
    return path


def test_tracked_changes_are_shown_accepted_and_that_is_said(tmp_path):
    """Changes not yet accepted were taken as accepted without a word."""
    params = project(tmp_path)
    path = _with_tracked_changes(texter(params) / "bakgrund.docx", " Borttagen mening.")
    report = open_report(params)
    html = texts.prose(report, "bakgrund").to_html()
    assert "Början. Infogad mening." in html and "Borttagen" not in html
    said = [n.describe() for n in report.notices if n.path == path]
    assert said == [f"Varning: {path}: Word-texten har 2 spårade ändringar som inte är godkända; rapporten visar "
                    "texten som om de vore godkända (infogad text med, borttagen text borta). Godkänn eller avvisa "
                    "dem i Word (Granska → Godkänn/Avvisa) så att filen är den text du menar."]


def test_an_email_address_in_tracked_deleted_text_is_said_unquoted(tmp_path):
    params = project(tmp_path)
    path = _with_tracked_changes(texter(params) / "bakgrund.docx", " Mejla a.b@kommun.se.")
    said = [n.describe() for n in open_report(params).notices if n.path == path]
    assert len(said) == 1 and "(det ser ut att finnas en e-postadress i den borttagna texten; visas inte)" in said[0]
    assert "a.b@" not in said[0]


@pytest.mark.parametrize("removal", [("w:del", "w:delText"), ("w:moveFrom", "w:t")])  # deleted, or moved away
def test_a_personnummer_in_tracked_deleted_text_is_refused_unquoted(tmp_path, removal):
    params = project(tmp_path)
    path = _with_tracked_changes(texter(params) / "bakgrund.docx", " Gäller 811218-9876.", removal)
    with pytest.raises(InputError) as info:
        open_report(params)
    assert str(info.value).startswith(f"{path}: borttagen text i Word-textens spårade ändringar innehåller något som "
                                      "ser ut som ett personnummer") and "9876" not in str(info.value)


def test_a_phone_number_in_a_word_text_is_a_warning_naming_the_heading_and_paragraph(tmp_path):
    """A hostile probe: the warning named the file only, in a text with no lines to go to."""
    params = project(tmp_path)
    document = docx.Document()
    document.add_heading("Kontakt", level=1)
    document.add_paragraph("Frågor om rapporten besvaras av utvärderaren.")
    document.add_paragraph("Telefon 070-123 45 67.")
    path, said = _warned(params, document)
    assert said == [f"Varning: {path}: under rubriken 'Kontakt', stycke 2: texten innehåller något som ser ut som "
                    "ett telefonnummer (visas inte här). Om det är dina egna kontaktuppgifter som utvärderare kan "
                    "det stå kvar; gäller det någon annan, ta bort det."]
