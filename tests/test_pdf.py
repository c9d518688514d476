"""rapport.pdf: A4, "Sida X av Y", running header, contents with page numbers, tagged PDF/UA in
Swedish, and the same figures as the tables.

The demo report is built in-process once per module (about 10–20 s with the PDF), so the
tests that use it are marked slow; the small synthetic documents run fast.
"""
from __future__ import annotations

import io
import re
import sys

import pandas as pd
import pytest
from pypdf import PdfReader

import evaluation
from evaluation.core import fmt
from evaluation.core.errors import RenderError
from evaluation.core.model import Chart, Document, Facts, Heading, Markdown, Paragraph, Section, Table, TitleBlock
from evaluation.renderers import FORMATS, drawnlines, html, pdf, weasylayout, weasyspeed

DEMO = "evaluation/demo/params/steget/2024-05-01--2025-04-30.yaml"
A4 = (595.276, 841.890)  # points: 210 mm × 297 mm


def _text(page) -> str:
    """A page's text with no-break spaces as plain spaces."""
    return page.extract_text().replace("\xa0", " ")


def _page_of(reader: PdfReader, destination) -> int:
    """1-based page number of a named destination."""
    target = destination[0].get_object() if isinstance(destination, list) else destination.page.get_object()
    for number, page in enumerate(reader.pages, start=1):
        if page.get_object() == target:
            return number
    raise AssertionError("destination on no page")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    doc = evaluation.open_report(DEMO).document
    folder = tmp_path_factory.mktemp("pdf")
    pdf.write(doc, folder)
    return doc, folder / "rapport.pdf"


@pytest.fixture(scope="module")
def reader(demo):
    return PdfReader(demo[1])


def _document(sections, header="Testinsats · Årsrapport 2020-01-01 – 2020-12-31") -> Document:
    title = TitleBlock("Årsrapport", "Testinsats", Facts((("Period", "2020-01-01 – 2020-12-31"),)))
    tables = tuple(b for s in sections for b in s.blocks if isinstance(b, Table))
    return Document(title="Testinsats – Årsrapport", title_block=title, sections=tuple(sections),
                    tables=tables, header=header)


def _long_table(rows: int) -> Table:
    frame = pd.DataFrame({"kategori": [f"Kategori nummer {i}" for i in range(1, rows + 1)],
                          "antal": list(range(1001, 1001 + rows))})
    return Table(id="lang", title="En lång tabell", frame=frame,
                 columns={"kategori": ("Kategori", "text"), "antal": ("Antal", "count")})


# -- the demo report ---------------------------------------------------------------------------
@pytest.mark.slow
def test_every_page_is_a4(reader):
    assert len(reader.pages) >= 5
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(A4[0], abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(A4[1], abs=0.5)


@pytest.mark.slow
def test_footer_says_sida_x_av_y_on_every_page(reader):
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        assert f"Sida {number} av {total}" in _text(page)
    assert f"Sida 1 av {total}" in _text(reader.pages[0])


@pytest.mark.slow
def test_running_header_with_insats_and_period_but_not_on_the_title_page(demo, reader):
    doc, _ = demo
    assert doc.header == "STEGET · Årsrapport 2024-05-01 – 2025-04-30"
    assert doc.header in _text(reader.pages[1])
    assert doc.header in _text(reader.pages[-1])
    assert doc.header not in _text(reader.pages[0])


@pytest.mark.slow
def test_contents_lists_every_section_with_the_page_it_starts_on(demo, reader):
    doc, _ = demo
    contents = _text(reader.pages[1])
    assert contents.startswith("Innehåll")
    destinations = reader.named_destinations
    for number, (section_id, title) in enumerate(doc.contents.entries, start=1):
        match = re.search(rf"^{number}\. {re.escape(title)}\s*\.*\s*(\d+)$", contents, re.MULTILINE)
        assert match, f"{title} has no page number in the contents"
        page = int(match.group(1))
        assert page == _page_of(reader, destinations[section_id])
        assert title in _text(reader.pages[page - 1])
    # the first section starts right after the contents page
    assert re.search(r"^1\. Sammanfattning\s*\.*\s*3$", contents, re.MULTILINE)


@pytest.mark.slow
def test_pdf_is_tagged_pdf_ua_in_swedish_with_the_title(demo, reader):
    doc, _ = demo
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "sv"
    assert reader.metadata.title == doc.title == "STEGET – Årsrapport 2024-05-01 – 2025-04-30"
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfuaid:part="1"' in xmp  # declares PDF/UA-1
    assert doc.title in xmp


def _structure(node, found):
    """Every structure element of the tag tree as (type, alt text)."""
    node = node.get_object()
    if isinstance(node, dict):
        if "/S" in node:
            found.append((node["/S"], node.get("/Alt")))
        if "/K" in node:
            _structure(node["/K"], found)
    elif isinstance(node, list):
        for child in node:
            _structure(child, found)
    return found


@pytest.mark.slow
def test_tags_give_headings_tables_and_charts_with_their_alt_text(demo, reader):
    doc, _ = demo
    tags = _structure(reader.trailer["/Root"]["/StructTreeRoot"], [])
    kinds = [kind for kind, _ in tags]
    assert kinds.count("/H1") == 1
    assert kinds.count("/H2") == len(doc.sections) + 1  # and "Innehåll"
    shown = [b for s in doc.sections for b in s.blocks if isinstance(b, Table)]
    assert kinds.count("/Table") >= len(shown)
    assert kinds.count("/Caption") >= len(shown) and "/THead" in kinds and "/TH" in kinds
    charts = [b for s in doc.sections for b in s.blocks if type(b).__name__ == "Chart"]
    assert len(charts) == 5  # no trend lines: two periods are too few points for a line
    assert sorted(alt for kind, alt in tags if kind == "/Figure") == sorted(c.alt for c in charts)
    # by hand: 7, 13 and 12 of the 32 who started: 21.9 %, 40.6 %, 37.5 % rounded to whole percent
    assert "Ålder vid start, andel: 16–19: 22\xa0%; 20–24: 41\xa0%; 25–29: 38\xa0%" in [c.alt for c in charts]


@pytest.mark.slow
def test_the_figures_of_resultat_are_in_the_pdf_row_by_row(demo, reader):
    doc, _ = demo
    table = next(t for t in doc.tables if t.id == "resultat")
    text = "\n".join(_text(page) for page in reader.pages)
    # by hand: 9 of the 49 counted went to work, 9/49 = 18.37 %, 18 of 49 to work or studies = 36.7 %
    assert "\nArbete 9 18,4 %\n" in text
    assert "\nArbete eller studier 18 36,7 %\n" in text
    assert len(table.frame) == 10  # Sjukdom (2) is recoded into Övrigt (issue 15)

    def shown(value, kind):
        return value if value == ".." else (fmt.number(value) if kind == "count" else fmt.percent(value))

    for record in table.frame.itertuples():
        line = f"{record.kategori} {shown(record.antal, 'count')} {shown(record.andel, 'share')}".replace("\xa0", " ")
        assert f"\n{line}\n" in text, line


@pytest.mark.slow
def test_every_caption_is_on_the_page_of_its_header_row(demo, reader):
    doc, _ = demo
    pages = [_text(page).splitlines() for page in reader.pages]
    shown = [b for s in doc.sections for b in s.blocks if isinstance(b, Table)]
    assert len(shown) >= 10
    for table in shown:
        header = table.headers[0][0].split()[0]
        assert any(line == table.title and lines[i + 1].startswith(header)
                   for lines in pages for i, line in enumerate(lines[:-1])), table.title


# -- synthetic documents: breaks, header rows, escaping, errors ---------------------------------
def test_long_table_repeats_its_header_row_and_never_splits_a_row(tmp_path):
    table = _long_table(70)
    doc = _document([Section("resultat", "Resultat", (Heading("Tabell"), table))])
    pdf.write(doc, tmp_path)
    reader = PdfReader(tmp_path / "rapport.pdf")
    body = reader.pages[2:]  # title page, contents, then the section
    assert len(body) >= 3
    for page in body:
        assert "Kategori Antal" in _text(page).splitlines()
    # the table starts under its heading, it does not leave the page empty
    assert "\nEn lång tabell\nKategori Antal\nKategori nummer 1 1 001\n" in _text(body[0])
    lines = [line for page in body for line in _text(page).splitlines()]
    rows = [line for line in lines if line.startswith("Kategori nummer ")]
    # 70 rows, each whole on one line: "Kategori nummer 7 1 007"
    assert rows == [f"Kategori nummer {i} {fmt.number(1000 + i)}".replace("\xa0", " ") for i in range(1, 71)]
    assert rows[-1] == "Kategori nummer 70 1 070"
    # at least five rows on the last page, never one row alone
    assert sum(line.startswith("Kategori nummer ") for line in _text(body[-1]).splitlines()) >= 5


def _numbered_table(number: int, rows: int) -> Table:
    frame = pd.DataFrame({"kategori": [f"T{number} rad {i}" for i in range(1, rows + 1)], "antal": [number] * rows})
    return Table(id=f"t{number}", title=f"Tabell {number}", frame=frame,
                 columns={"kategori": ("Kategori", "text"), "antal": ("Antal", "count")})


def test_short_tables_are_never_split_but_move_to_the_next_page_whole(tmp_path):
    # fillers of different lengths put the tables at different heights on the page, so that
    # some of them would straddle a page break if they could split
    blocks = []
    for number in range(1, 13):
        blocks += [Paragraph("Text som fyller sidan. " * (20 + (number * 37) % 90)), _numbered_table(number, 10)]
    doc = _document([Section("resultat", "Resultat", tuple(blocks))])
    pdf.write(doc, tmp_path)
    pages = [_text(page) for page in PdfReader(tmp_path / "rapport.pdf").pages]
    for number in range(1, 13):
        on = [text for text in pages if f"T{number} rad " in text]
        assert len(on) == 1, f"Tabell {number} is split over {len(on)} pages"
        assert f"Tabell {number}\nKategori Antal\nT{number} rad 1 {number}\n" in on[0]
        assert f"T{number} rad 10 {number}" in on[0]


def test_heading_is_never_the_last_thing_on_a_page(tmp_path):
    blocks = []
    for number in range(1, 41):
        blocks += [Heading(f"Rubrik {number}"),
                   Paragraph(f"Stycke {number}. " + "Text som fyller sidan. " * (3 + (number * 7) % 23))]
    doc = _document([Section("bakgrund", "Bakgrund", tuple(blocks))])
    pdf.write(doc, tmp_path)
    for page in PdfReader(tmp_path / "rapport.pdf").pages[2:]:
        body = [line for line in _text(page).splitlines()
                if not line.startswith("Sida ") and not line.startswith(doc.header)]
        assert not re.fullmatch(r"Rubrik \d+", body[-1]), body[-1]
        for number in range(1, 41):
            if f"Rubrik {number}" in body:  # its paragraph starts on the same page
                assert any(line.startswith(f"Stycke {number}.") for line in body)


def test_a_headings_introduction_stays_with_the_table_it_introduces(tmp_path):
    """A förbund reviewer's finding: a heading and its one line of introduction at the foot of a
    page, the table they introduce on the next."""
    blocks = []
    for number in range(1, 13):
        blocks += [Heading(f"Rubrik {number}"), Paragraph(f"Inledning {number}."), _numbered_table(number, 8),
                   Paragraph("Text som fyller sidan. " * (10 + (number * 37) % 90))]
    doc = _document([Section("resultat", "Resultat", tuple(blocks))])
    pdf.write(doc, tmp_path)
    pages = [_text(page) for page in PdfReader(tmp_path / "rapport.pdf").pages]
    for number in range(1, 13):
        (page,) = [text for text in pages if f"Inledning {number}." in text]
        assert f"T{number} rad 1 {number}" in page, number


def test_header_text_is_escaped_not_markup(tmp_path):
    doc = _document([Section("bakgrund", "Bakgrund", (Paragraph("Text."),))],
                    header='A & B <i>"C"</i> · 2020')
    page = html.page(doc, print_version=True)
    assert 'data-header="A &amp; B &lt;i&gt;&#34;C&#34;&lt;/i&gt; · 2020"' in page
    pdf.write(doc, tmp_path)
    assert 'A & B <i>"C"</i> · 2020' in _text(PdfReader(tmp_path / "rapport.pdf").pages[2])


def test_a_long_heading_is_cut_to_one_line_in_the_running_header(tmp_path):
    """An outline heading of many words ran over several lines at the top right of its pages."""
    heading = "4.2 Samverkan med Arbetsförmedlingen och kommunerna i länet under hela perioden"
    doc = _document([Section("bakgrund", heading, (Paragraph("Text."),))])
    pdf.write(doc, tmp_path)
    text = _text(PdfReader(tmp_path / "rapport.pdf").pages[2])
    assert "Testinsats · Årsrapport 2020-01-01 – 2020-12-31 4.2 Samverkan med Arbetsförmedlingen…" in text.splitlines()
    assert heading in text.replace("\n", " ")  # the heading itself, whole


def test_screen_page_has_no_print_stylesheet():
    doc = _document([Section("bakgrund", "Bakgrund", (Paragraph("Text."),))])
    screen = html.page(doc)
    printed = html.page(doc, print_version=True)
    assert "@page" not in screen and "data-header" not in screen and "target-counter" not in screen
    assert "@page" in printed and "target-counter(attr(href), page)" in printed
    assert printed.count("<h1>") == screen.count("<h1>") == 1


def test_pdf_is_one_of_the_formats():
    assert FORMATS["pdf"] == "rapport.pdf"


def test_missing_weasyprint_or_pango_is_a_swedish_render_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails as without the package
    with pytest.raises(RenderError, match="PDF-versionen kan inte skapas.*Pango.*apt-get install"):
        pdf.pdf_bytes(_document([Section("bakgrund", "Bakgrund", (Paragraph("Text."),))]))


def test_weasyprint_subsets_the_fonts_with_harfbuzz_as_make_and_ci_install_it():
    """Without HarfBuzz-Subset WeasyPrint falls back on fontTools: the same glyphs, 0.4 s more a
    PDF (the Makefile says so; .ci/run installs libharfbuzz-subset0)."""
    pdf.warm()
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    assert harfbuzz_subset is not None, "libharfbuzz-subset0 saknas"
    assert harfbuzz.hb_version_atleast(4, 1, 0)  # what WeasyPrint asks before it uses it


def _wide_table(columns: int) -> Table:
    ids = [f"k{i}" for i in range(columns)]
    frame = pd.DataFrame([[f"Rad {r}"] + [1000 * r + i for i in range(1, columns)] for r in range(1, 4)], columns=ids)
    labels = {"k0": ("Grupp", "text")} | {k: (f"Kolumnrubrik {i}", "count") for i, k in enumerate(ids[1:], 1)}
    return Table("bred", "En mycket bred tabell", frame, labels, base="Antal per grupp.")


def test_a_very_wide_table_gets_a_landscape_page_and_stays_inside_it():
    doc = _document([Section("s", "Tabeller", (Paragraph("Före tabellen."), _wide_table(14)))])
    reader = PdfReader(__import__("io").BytesIO(pdf.pdf_bytes(doc)))
    sizes = [tuple(round(float(x)) for x in page.mediabox[2:]) for page in reader.pages]
    landscape = [i for i, (w, h) in enumerate(sizes) if w > h]
    assert len(landscape) == 1 and sizes[0] == (595, 842)  # the title page stays portrait
    assert "3 013" in _text(reader.pages[landscape[0]])  # the last column, on the landscape page


def test_a_landscape_table_takes_its_heading_and_note_and_the_text_after_it_is_portrait_again():
    """The heading stood alone at the foot of a portrait page, and the next section ran on in landscape."""
    blocks = (Paragraph("Före tabellen."), Heading("Rubriken på den breda", 3), Markdown("Beskrivning av tabellen."),
              _wide_table(14), Markdown("Not till tabellen.", "note"), Paragraph("Texten efter tabellen."))
    first = (Heading("Underrubrik", 3), Paragraph("Inledning."), _wide_table(13))  # the section's heading goes too
    doc = _document([Section("s", "Tabeller", blocks), Section("t", "Nästa avsnitt", (Paragraph("Mer text."),)),
                     Section("u", "Bred först", first), Section("v", "Sista", (Paragraph("Slut."),))])
    reader = PdfReader(io.BytesIO(pdf.pdf_bytes(doc)))
    pages = [(float(p.mediabox[2]) > float(p.mediabox[3]), _text(p)) for p in reader.pages]
    wide = [text for landscape, text in pages if landscape]
    assert len(wide) == 2
    for words in ("Rubriken på den breda", "Beskrivning av tabellen", "3 013", "Not till tabellen"):
        assert words in wide[0]
    for words in ("Bred först", "Underrubrik", "Inledning.", "3 012"):
        assert words in wide[1]
    after = [text for landscape, text in pages if not landscape and "Texten efter tabellen" in text]
    assert after and "Nästa avsnitt" in after[0] and "Före tabellen" not in after[0]
    assert any("Slut." in text and "Bred först" not in text for landscape, text in pages if not landscape)


def test_a_wide_markdown_table_of_the_evaluators_gets_a_landscape_page_with_every_column():
    """Sixteen columns in a text ran past the edge of a portrait page: half of them were lost."""
    header = "| " + " | ".join(f"Rubrik {i}" for i in range(16)) + " |\n|" + "---|" * 16 + "\n"
    rows = ("| " + " | ".join(f"värde {i}" for i in range(16)) + " |\n") * 3
    text = Markdown("Text före.\n\n" + header + rows + "\nText efter.")
    doc = _document([Section("s", "Bakgrund", (text,)), Section("t", "Nästa", (Paragraph("Mer."),))])
    reader = PdfReader(io.BytesIO(pdf.pdf_bytes(doc)))
    pages = [(float(p.mediabox[2]) > float(p.mediabox[3]), _text(p)) for p in reader.pages]
    (wide,) = [text for landscape, text in pages if landscape]
    assert "Rubrik 0" in wide and "Rubrik 15" in wide and "värde 15" in wide
    assert "Text före." not in wide and "Text efter." not in wide  # the text around it stays portrait


def test_a_markdown_table_of_ten_columns_of_long_words_fits_a_portrait_page():
    import weasyprint

    header = "| " + " | ".join(f"Samordningsförbundet{i}" for i in range(10)) + " |\n|" + "---|" * 10 + "\n"
    doc = _document([Section("s", "Bakgrund", (Markdown(header + "| " + "x | " * 10 + "\n"),))])
    pages = weasyprint.HTML(string=html.page(doc, print_version=True)).render().pages
    laid_out = [(page._page_box.children[0], box) for page in pages  # the page area, and each table on it
                for box in page._page_box.children[0].descendants() if getattr(box, "element_tag", None) == "table"]
    assert laid_out and all(page.width < page.height for page in pages)
    for content, table in laid_out:
        assert table.position_x + table.margin_width() <= content.position_x + content.width + 0.5


def test_a_wide_table_gets_the_small_type_and_fits_a_portrait_page():
    doc = _document([Section("s", "Tabeller", (_wide_table(9),))])
    page = html.page(doc, print_version=True)
    assert 'class="table short wide"' in page
    reader = PdfReader(__import__("io").BytesIO(pdf.pdf_bytes(doc)))
    assert all(round(float(p.mediabox[2])) == 595 for p in reader.pages)
    assert any("3 008" in _text(p) for p in reader.pages)  # the last column is on the page


def test_loading_writers_ahead_never_raises_but_writing_still_says_why(monkeypatch, tmp_path):
    from evaluation import renderers
    from evaluation.renderers import pdf

    def missing():
        raise RenderError("PDF-versionen kan inte skapas: Pango saknas")

    monkeypatch.setattr(pdf, "_weasyprint", missing)
    renderers.warm(("html", "pdf"))  # in a thread beside the kernel: no traceback from there
    with pytest.raises(RenderError, match="Pango saknas"):
        pdf.write(_document([]), tmp_path)


def _png(image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


def test_charts_and_pictures_are_in_the_pdf_pixel_for_pixel(tmp_path):
    """A chart's PNG goes into the PDF as it is (no second compression); a picture with alpha or
    a palette is still converted by WeasyPrint. Each comes back out with the same pixels."""
    from PIL import Image

    noise = Image.effect_noise((120, 80), 60).convert("RGB")  # every pixel different
    chart_png = _png(noise)
    assert pdf.plain_rgb_idat(chart_png) is not None
    palette = _png(noise.quantize(16))
    assert pdf.plain_rgb_idat(palette) is None
    chart = Chart(id="brus", title="Brus", alt="Brus", make=lambda: (chart_png, chart_png), width_cm=8.0)
    text = Markdown("![Palett](bilder/palett.png)", images=(("bilder/palett.png", palette),))
    folder = tmp_path
    pdf.write(_document([Section("bilder", "Bilder", (chart, text))]), folder)
    pages = PdfReader(folder / "rapport.pdf").pages  # every page lists the images of the file
    images = {image.image.convert("RGB").tobytes() for page in pages for image in page.images}
    assert images == {noise.tobytes(), Image.open(io.BytesIO(palette)).convert("RGB").tobytes()}


def test_the_narrowed_html_defaults_give_the_pdf_weasyprint_itself_gives(demo):
    """WeasyPrint's defaults give every element list markers and footnote calls; the renderer's
    page class gives them to list items only (six of seven styles WeasyPrint computed were for
    these). The demo report's PDF is the same, byte for byte, as WeasyPrint's own class gives."""
    import weasyprint

    doc, written = demo
    page_class = pdf._page_class()
    assert page_class is not weasyprint.HTML  # this WeasyPrint's defaults are narrowed
    styles, fonts = pdf._print_styles()
    page = html.page(doc, print_version=True, styled=False)  # its pictures inside, as WeasyPrint reads them
    theirs = weasyprint.HTML(string=page).write_pdf(stylesheets=[styles], font_config=fonts, pdf_variant=pdf.PDF_VARIANT)
    ours = page_class(string=page).write_pdf(stylesheets=[styles], font_config=fonts, pdf_variant=pdf.PDF_VARIANT)
    assert ours == theirs and len(PdfReader(io.BytesIO(ours)).pages) > 10
    computed = []
    original = weasyprint.css.StyleFor.set_computed_styles

    def counted(self, element, *args, pseudo_type=None, **kwargs):
        if pseudo_type and hasattr(element, "tag"):  # an element's pseudo-element (not a page's margin box)
            computed.append((element.tag, pseudo_type))
        return original(self, element, *args, pseudo_type=pseudo_type, **kwargs)

    weasyprint.css.StyleFor.set_computed_styles = counted
    try:
        page_class(string=page).render(stylesheets=[styles], font_config=fonts)
    finally:
        weasyprint.css.StyleFor.set_computed_styles = original
    assert ("li", "marker") in computed
    assert {pseudo for tag, pseudo in computed if tag != "li"} <= {"before", "after"}  # the report's own


def test_pictures_handed_over_apart_give_the_pdf_weasyprint_itself_gives(tmp_path):
    """The print page names its pictures (a chart, a palette PNG and a JPEG) instead of holding them
    as base64, and the renderer's own fetcher hands WeasyPrint their bytes: the PDF draws the same
    pages, pixel for pixel, with the same picture data, as WeasyPrint's default fetcher makes of the
    page with ``data:`` pictures, and a ``file:`` font still loads. (Only the pictures' names inside
    the PDF differ: WeasyPrint names a picture by its address.)"""
    import subprocess

    from PIL import Image, ImageChops

    noise = Image.effect_noise((120, 80), 60).convert("RGB")
    chart_png = _png(noise)
    jpeg = io.BytesIO()
    noise.save(jpeg, format="JPEG")
    chart = Chart(id="brus", title="Brus", alt="Brus", make=lambda: (chart_png, chart_png), width_cm=8.0)
    text = Markdown("![Palett](bilder/palett.png)\n\n![Foto](bilder/foto.jpg)",
                    images=(("bilder/palett.png", _png(noise.quantize(16))), ("bilder/foto.jpg", jpeg.getvalue())))
    doc = _document([Section("bilder", "Bilder", (chart, text))])
    page = html.page(doc, print_version=True)
    assert page.count('src="data:image/') == 3 and "file://" in page  # the fonts
    with html.pictures_apart() as apart:
        named = html.page(doc, print_version=True, styled=False)
    assert "data:image/" not in named and [named.count(f'src="{name}"') for name in apart] == [1, 1, 1]
    assert len(named) < len(page) - sum(len(data) for _, data in apart.values())
    weasyprint = pdf._weasyprint()
    ours, theirs = tmp_path / "ours.pdf", tmp_path / "theirs.pdf"
    ours.write_bytes(pdf.pdf_bytes(doc))
    theirs.write_bytes(weasyprint.HTML(string=page).write_pdf(pdf_variant=pdf.PDF_VARIANT))

    def drawn(path):
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(path.with_suffix(""))], check=True)
        return [Image.open(p).convert("RGB") for p in sorted(tmp_path.glob(f"{path.stem}-*.png"))]

    def pictures(path):
        return [image.data for page in PdfReader(path).pages for image in page.images]

    assert len(drawn(ours)) == 3
    assert [ImageChops.difference(a, b).getbbox() for a, b in zip(drawn(ours), drawn(theirs))] == [None] * 3
    assert pictures(ours) == pictures(theirs) and len(set(pictures(ours))) == 3
    assert pdf.split_data_uri("data:image/jpeg;base64," + __import__("base64").b64encode(jpeg.getvalue()).decode()) \
        == ("image/jpeg", jpeg.getvalue())


def test_a_caption_for_screen_readers_leaves_no_ink_on_the_page(tmp_path):
    """A facts table's caption is for screen readers: in the PDF it is in the text (tagged), but no
    speck of it shows (WeasyPrint does not clip its 1-pixel box: a dot stood at the table's corner).
    The page drawn with the caption and without it is the same, pixel for pixel (poppler's pdftoppm)."""
    import subprocess

    from PIL import Image, ImageChops

    def drawn(caption: str) -> list:
        facts = Facts((("Startdatum", "2022-01-01"), ("Slutdatum", "2024-12-31")), caption=caption)
        path = tmp_path / f"{len(caption)}.pdf"
        path.write_bytes(pdf.pdf_bytes(_document([Section("insatstid", "Insatstid", (facts,))])))
        subprocess.run(["pdftoppm", "-r", "100", "-png", str(path), str(path.with_suffix(""))], check=True)
        return [Image.open(p).convert("RGB") for p in sorted(tmp_path.glob(f"{len(caption)}-*.png"))]

    with_caption, without = drawn("Insatstid WWWW"), drawn("")
    assert len(with_caption) == len(without) == 3  # title page, contents, the section
    assert [ImageChops.difference(a, b).getbbox() for a, b in zip(with_caption, without)] == [None, None, None]
    assert "Insatstid WWWW" in PdfReader(tmp_path / "14.pdf").pages[2].extract_text()


def test_weasyprint_finds_nothing_to_ignore_in_the_stylesheets(demo, caplog):
    """Every PDF logged that the screen's @media (max-width), clip and overflow-x were ignored:
    the print version leaves them out, so a warning WeasyPrint gives is worth reading again."""
    import logging

    doc, _ = demo
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf.pdf_bytes(doc)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


def test_a_leaders_dots_set_in_runs_stand_where_weasyprint_sets_each_dot(monkeypatch):
    """The contents' leaders are set in texts of a few dots (pdf._leaders_in_runs): as many dots,
    each where WeasyPrint's own leader puts it, on lines of any length."""
    pdf._weasyprint()  # installs the runs
    from weasyprint import HTML
    from weasyprint.layout import inline, leader

    entries = "".join(f'<li><a href="#s{i}">{"Avsnitt " * i}{i}</a></li>' for i in range(1, 9))
    page = (f'<html lang="sv"><body><ol>{entries}</ol>'
            + "".join(f'<h2 id="s{i}" style="break-before: page">{i}</h2>' for i in range(1, 9)) + "</body></html>")
    style = 'a::after { content: leader(".") " " target-counter(attr(href), page); }'

    def dots():
        from weasyprint import CSS

        document = HTML(string=page).render(stylesheets=[CSS(string=style)])
        found, texts = [], 0
        for box in document.pages[0]._page_box.descendants():
            if getattr(box, "is_leader", False):
                for run in box.children:
                    texts += 1
                    step = run.width / len(run.text)
                    found += [(round(box.position_y, 3), round(run.position_x + k * step, 3)) for k in range(len(run.text))]
        return sorted(found), texts

    ours, our_texts = dots()
    monkeypatch.setattr(inline, "handle_leader", leader.handle_leader)
    theirs, their_texts = dots()
    assert len(theirs) > 8 * 40 and their_texts == len(theirs)  # WeasyPrint: a text a dot
    assert ours == theirs and our_texts <= len(theirs) / pdf.LEADER_RUN + 8


#: The print rules' selectors of the blocks around (before the page named the blocks by class), and
#: the selectors of the classes that replace them in templates/print.css.j2.
_BY_SIBLINGS = {
    "p.intro": "h2 + p:has(+ figure), h3 + p:has(+ figure), h4 + p:has(+ figure)",
    "section > .landscape": "section > :is(figure.table.widest, figure.table.widest + .note,"
                 " :is(h2, h3, h4, div:not(.note), p:not(.note)):has(+ figure.table.widest),"
                 " :is(h2, h3, h4):has(+ :is(h3, h4, div:not(.note), p:not(.note)):has(+ figure.table.widest)),"
                 " :is(h2, h3):has(+ :is(h3, h4):has(+ :is(h4, div:not(.note), p:not(.note)):has(+ figure.table.widest))))",
    ".prose table.wide": ".prose table:has(tr > :nth-child(8))",
    ".prose table.widest": ".prose table:has(tr > :nth-child(12))",
}


def test_the_classes_the_page_gives_are_what_the_selectors_of_the_blocks_around_found():
    """The print stylesheet names a heading's introduction, the blocks of a landscape page and a text's
    wide table by the classes the page gives them (renderers/print_classes.py); on sections of many
    orders of headings, texts, notes and tables they are the elements its earlier selectors found."""
    import random

    import cssselect2
    import tinyhtml5

    from evaluation.core.model import BulletList, Grid, Sources, Source

    def wide_text(columns):
        return Markdown("| " + " | ".join("r" * columns) + " |\n|" + "---|" * columns + "\n| " + "x | " * columns + "\n")

    kinds = [Heading("H3"), Heading("H4", 4), Heading("H2", 2), Paragraph("P."), Paragraph("Not.", "note"),
             Markdown("M."), Markdown("Not.", "note"), _wide_table(12), _wide_table(8), _long_table(3),
             Grid("g", "Matris", "", ("a",) * 12, ()), BulletList(("a",)), wide_text(8), wide_text(12), wide_text(7),
             Sources((Source(1, "SCB", "https://scb.se"),))]
    chosen = random.Random(7)  # sequences of blocks of every kind, the same every run
    sections = []
    for number in range(200):
        blocks = [chosen.choice(kinds) for _ in range(2 + number % 6)]
        sections.append(Section(f"s{number}", f"Avsnitt {number}", tuple(blocks), depth=number % 3))
    widest = _wide_table(12)
    sections += [Section("a", "Tre rubriker", (kinds[0], kinds[1], widest)),  # and the section's own
                 Section("b", "Två och en text", (kinds[3], kinds[2], kinds[0], kinds[5], widest, kinds[6])),
                 Section("c", "Underavsnitt", (kinds[1], kinds[3], widest, kinds[4]), depth=1)]
    page = html.page(_document(sections), print_version=True, styled=False)
    root = cssselect2.ElementWrapper.from_html_root(tinyhtml5.parse(page))
    elements = list(root.iter_subtree())
    def matched(selectors):
        tests = [compiled.test for compiled in cssselect2.compile_selector_list(selectors)]
        return [e for e in elements if any(test(e) for test in tests)]

    for by_class, by_siblings in _BY_SIBLINGS.items():
        found = matched(by_siblings)
        assert matched(by_class) == found and len(found) > 5, by_class
    assert all(rule in html.stylesheet(print_version=True) for rule in _BY_SIBLINGS)


def test_streams_are_compressed_at_zlibs_default_level_not_the_slowest():
    """pydyf asks zlib for level 9, three times the CPU of level 6 for 3 % smaller streams."""
    import zlib

    import pydyf

    pdf._weasyprint()
    data = b"\n".join(b"BT /F1 9 Tf 1 0 0 -1 %d 700 Tm [(Kvinnor) -12 (Man)] TJ ET" % i for i in range(500))
    written = pydyf.Stream([data], compress=True).data
    assert zlib.compress(data, weasyspeed.ZLIB_LEVEL) in written and zlib.compress(data, 9) not in written


def test_font_descriptions_made_once_give_the_pdf_weasyprint_itself_gives(monkeypatch):
    """The renderer keeps each Pango font description WeasyPrint makes (a handful of fonts and
    sizes, made for some 4 000 texts a report): the PDF is the same, byte for byte, as when
    WeasyPrint makes one for every text."""
    from weasyprint.text import fonts, line_break

    table = _long_table(12)
    doc = _document([Section("a", "Avsnitt", (Heading("Rubrik"), Paragraph("Text. " * 40), table))])
    pdf._weasyprint()
    assert line_break.get_font_description is not fonts.get_font_description
    kept = pdf.pdf_bytes(doc)
    monkeypatch.setattr(line_break, "get_font_description", fonts.get_font_description)
    assert pdf.pdf_bytes(doc) == kept


def test_plain_styles_taken_directly_give_the_pdf_weasyprint_itself_gives(monkeypatch):
    """The renderer gives a property no rule sets its parent's or initial value directly, not the
    way WeasyPrint computes every property: the PDF is the same, byte for byte."""
    from weasyprint import css

    table = _long_table(12)
    doc = _document([Section("a", "Avsnitt", (Heading("Rubrik"), Paragraph("Text. " * 40), table))])
    pdf._weasyprint()
    way = getattr(css.ComputedStyle.__missing__, "__wrapped__", None)
    assert way is not None
    direct = pdf.pdf_bytes(doc)
    monkeypatch.setattr(css.ComputedStyle, "__missing__", way)
    assert pdf.pdf_bytes(doc) == direct


def test_lines_kept_give_the_pdf_weasyprint_itself_gives(monkeypatch):
    """The renderer keeps the lines WeasyPrint lays out, to size a table's columns and to set
    them (the same labels and figures, report after report): the PDF is the same, byte for byte,
    laid out afresh, kept from an earlier report, or kept from this one."""
    from weasyprint.layout import inline, preferred

    table = _long_table(12)
    doc = _document([Section("a", "Avsnitt", (Heading("Rubrik"), Paragraph("Text. " * 40), table, table))])
    pdf._weasyprint()
    measure = getattr(inline.split_first_line, "__wrapped__", None)
    assert measure is not None and preferred.split_first_line is inline.split_first_line
    kept = pdf.pdf_bytes(doc), pdf.pdf_bytes(doc)
    monkeypatch.setattr(preferred, "split_first_line", measure)
    monkeypatch.setattr(inline, "split_first_line", measure)
    assert kept == (pdf.pdf_bytes(doc),) * 2


def test_lines_drawn_again_give_the_pdf_weasyprint_itself_gives(monkeypatch):
    """The renderer keeps what WeasyPrint writes to draw a line of text, and writes it again where
    the same line stands again (the same labels and figures, page after page, report after
    report): the PDF is the same, byte for byte, drawn afresh, kept from an earlier report, or
    kept from this one."""
    from weasyprint.draw import text
    from weasyprint.text import line_break

    table = _long_table(40)
    doc = _document([Section("a", "Avsnitt", (Heading("Rubrik"), Paragraph("Text. " * 40), table, table))])
    pdf._weasyprint()
    draw = getattr(text.draw_first_line, "__wrapped__", None)
    assert draw is not None
    kept = pdf.pdf_bytes(doc), pdf.pdf_bytes(doc)
    monkeypatch.setattr(text, "draw_first_line", draw)
    for name in ("reactivate", "deactivate"):
        monkeypatch.setattr(line_break.Layout, name, getattr(line_break.Layout, name).__wrapped__)
    assert kept == (pdf.pdf_bytes(doc),) * 2


def test_a_kept_line_is_not_written_again_where_the_document_gives_a_glyph_another_width():
    """A font keeps a glyph's width from the first size it is drawn at: a kept line whose glyphs
    the document's font gives other widths, or whose font the document has not used yet, is left
    to WeasyPrint, and nothing of it is written; else it is written, and its glyphs added to the font."""
    from types import SimpleNamespace

    class Stream(list):
        def __getattr__(self, name):
            return lambda *args: self.append((name, args))

    font = SimpleNamespace(widths={7: 500}, to_unicode={7: "a"})
    line = ((("set_text_matrix", None), ("set_font_size", ("F", 9)), ("show_text", ("<00070008>",))),
            (("key", ((7, 500), (8, 480)), ((7, "a"), (8, "b"))),))
    stream = Stream()
    stream._fonts = {"key": font}
    assert drawnlines.written_again(stream, line, SimpleNamespace(values=(1, 0, 0, -1, 20, 30)))
    assert stream == [("set_text_matrix", (1, 0, 0, -1, 20, 30)), ("set_font_size", ("F", 9)),
                      ("show_text", ("<00070008>",))]
    assert font.widths == {7: 500, 8: 480} and font.to_unicode == {7: "a", 8: "b"}
    other = Stream()
    other._fonts = {"key": SimpleNamespace(widths={8: 481}, to_unicode={})}
    assert not drawnlines.written_again(other, line, SimpleNamespace(values=(1, 0, 0, -1, 20, 30)))
    assert other == [] and other._fonts["key"].widths == {8: 481} and other._fonts["key"].to_unicode == {}
    unused = Stream()  # a document that has not drawn with the font yet
    unused._fonts = {}
    assert not drawnlines.written_again(unused, line, None) and unused == []


def test_normal_flow_in_one_look_and_page_references_kept_give_the_pdf_weasyprint_itself_gives(monkeypatch):
    """The renderer tells whether a box is in the normal flow by one look at its style, and keeps
    the references to the PDF's pages it looks up for the tags: the PDF is the same, byte for byte,
    as with WeasyPrint's five tests and pydyf's references made at each look."""
    import pydyf
    from weasyprint.formatting_structure import boxes

    doc = _document([Section("a", "Avsnitt", (Heading("Rubrik"), Paragraph("Text. " * 40), _long_table(60)))])
    pdf._weasyprint()
    flow, references = boxes.Box.is_in_normal_flow, pydyf.PDF.page_references.fget
    assert hasattr(flow, "__wrapped__") and hasattr(references, "__wrapped__")
    made = pdf.pdf_bytes(doc)
    monkeypatch.setattr(boxes.Box, "is_in_normal_flow", flow.__wrapped__)
    monkeypatch.setattr(pydyf.PDF, "page_references", references.__wrapped__)
    assert pdf.pdf_bytes(doc) == made
    assert weasylayout._fingerprint(flow.__wrapped__) == weasylayout._FLOW["is_in_normal_flow"]


def test_a_plain_copy_and_a_styles_line_values_are_what_python_gives():
    """A layout copied as a plain object has what ``copy.copy`` gives it; a style's values of the
    line's properties are those read one by one, computed where the style has none yet."""
    import copy

    from weasyprint.text.line_break import Layout

    layout = object.__new__(Layout)
    vars(layout).update(text="Kvinnor", width=42.5, style={"font_size": 9})
    copied = weasyspeed.plain_copy(layout)
    assert type(copied) is Layout and copied is not layout and vars(copied) == vars(copy.copy(layout))
    assert weasyspeed.plain(Layout) and not weasyspeed.plain(pd.DataFrame)

    class Style(dict):
        def __missing__(self, key):
            return f"beräknad {key}"

    style = Style(font_size=9)
    assert weasyspeed.KeptLines.values(style) == tuple(style[name] for name in weasyspeed.LINE_PROPERTIES)
