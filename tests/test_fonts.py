"""The shipped font (Source Sans Pro, SIL OFL) is what every format uses, on any machine."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from evaluation.core import fonts


def test_the_font_files_ship_with_their_open_licence():
    for weight, style in ((400, "normal"), (700, "normal"), (400, "italic"), (700, "italic")):
        assert fonts.path(weight, style).is_file()
    licence = (fonts.path().parent / "LICENSE.txt").read_text(encoding="utf-8")
    assert "SIL Open Font License, Version 1.1" in licence


def test_matplotlib_draws_in_the_shipped_font():
    from matplotlib import font_manager

    from evaluation.compute import charts

    fonts.use_in_matplotlib()
    prop = font_manager.FontProperties(family=charts.STYLE["font.sans-serif"])
    assert font_manager.findfont(prop, fallback_to_default=False) == str(fonts.path())


def test_the_html_page_embeds_the_font_and_the_pdf_loads_the_files():
    embedded = fonts.font_face_css(embed=True)
    assert embedded.count("@font-face") == 3 and "file:" not in embedded
    assert 20_000 < len(embedded) < 200_000  # a Latin subset, not the whole 290 kB faces
    linked = fonts.font_face_css()
    assert linked.count("@font-face") == 4 + 4 and fonts.path(700, "italic").as_uri() in linked
    assert fonts.fallback_path().as_uri() in linked and fonts.fallback_path().is_file()


def test_a_glyph_the_font_lacks_comes_from_the_shipped_fallback_on_a_machine_without_fonts(tmp_path):
    """✔ is not in Source Sans Pro: the PDF took it from the machine's own DejaVu, or showed
    nothing where a machine had none. Now matplotlib's copy of DejaVu Sans is loaded with ours."""
    pytest.importorskip("weasyprint")
    import os
    import subprocess
    import sys

    (tmp_path / "fonts.conf").write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
                                         f"<fontconfig><cachedir>{tmp_path}/cache</cachedir></fontconfig>",
                                         encoding="utf-8")
    script = (
        "import io\n"
        "from pypdf import PdfReader\n"
        "from evaluation.core.model import Document, Facts, Markdown, Section, TitleBlock\n"
        "from evaluation.renderers import pdf\n"
        "doc = Document(title='T', title_block=TitleBlock('Årsrapport', 'T', Facts((('Period', '2020'),))),\n"
        "               sections=(Section('s', 'S', (Markdown('Klart ✔.'),)),), tables=(), header='h')\n"
        "reader = PdfReader(io.BytesIO(pdf.pdf_bytes(doc)))\n"
        "print(sorted({str(f.get_object()['/BaseFont']).split('+')[-1] for p in reader.pages\n"
        "              for f in (p['/Resources'].get('/Font') or {}).values()}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                          env={**os.environ, "FONTCONFIG_FILE": str(tmp_path / "fonts.conf")})
    assert done.stdout.strip() == "['DejaVu-Sans', 'Source-Sans-Pro', 'Source-Sans-Pro-Bold']", done.stderr


def test_a_pdf_embeds_only_the_shipped_font_whatever_the_machine_has():
    pytest.importorskip("weasyprint")
    from test_pdf import _document, _wide_table

    from evaluation.core.model import Section
    from evaluation.renderers import pdf

    reader = PdfReader(io.BytesIO(pdf.pdf_bytes(_document([Section("s", "Tabeller", (_wide_table(9),))]))))
    names = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert names and all(n.startswith("Source-Sans-Pro") for n in names), names


def test_word_widths_are_measured_in_the_font():
    assert fonts.text_width("Arbetsförmedlingen", 9) == pytest.approx(75.1, abs=0.1)
    assert fonts.text_width("iiii", 10) < fonts.text_width("MMMM", 10)
    assert fonts.text_width("☃", 10) == fonts.text_width("M", 10)  # a missing glyph counts as wide


def test_the_font_subsets_are_made_once_a_machine_and_kept_by_what_they_are_made_from(tmp_path, monkeypatch):
    """Subsetting the page's three faces took half a second, Word's four a second, in every process
    writing a page or a Word file: each subset is kept in the user's cache, named by the font file,
    fontTools' version, the flavour and the subset."""
    import fontTools

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    made = fonts.subset(400, "normal", "woff")
    assert fonts.kept_subset(400, "normal", "woff") == made
    (kept,) = (tmp_path / "evaluation" / "typsnitt").iterdir()
    assert kept.name.startswith("SourceSansPro-Regular-") and kept.read_bytes() == made

    def never(*args):
        raise AssertionError("made again")

    with monkeypatch.context() as patched:
        patched.setattr("fontTools.subset.Subsetter", never)
        assert fonts.kept_subset(400, "normal", "woff") == made  # read, not made
    monkeypatch.setattr(fontTools, "version", fontTools.version + ".1")
    assert fonts.kept_subset(400, "normal", "woff") == made
    assert len(list(kept.parent.iterdir())) == 2  # another fontTools: made again, under another name
    assert fonts.kept_subset(400, "normal") == fonts.subset(400, "normal")  # Word's TrueType: kept apart
    assert len(list(kept.parent.glob("SourceSansPro-Regular-*.ttf"))) == 1


def test_without_a_cache_to_write_the_subsets_are_made_each_time(tmp_path, monkeypatch):
    (tmp_path / "fil").write_text("inte en mapp")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "fil"))
    assert fonts.kept_subset(700, "normal", "woff") == fonts.subset(700, "normal", "woff")
    assert fonts.font_face_css(embed=True).count("data:font/woff;base64,") == 3
