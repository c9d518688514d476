"""Acceptance check of the demo as a förbund's reviewer reads it: layout, Word, Excel, index.

The demo is rendered once per session (``demo_run`` in conftest.py). Each check has a twin
that makes it fail on a file built to break it, so none passes vacuously.

- PDF: no glyph outside its page box; no near-empty page (little text and no picture) that is
  not a report's last page; only the shipped font is embedded; bookmarks carry no footnote
  marks.
- Word: every table column is at least as wide as its longest word in the report font.
- Excel: headers are the report's labels (never the CSV ids), sheets are named in Swedish.
- Index: every report links its HTML, PDF, Word and Excel; periods are written in words.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from evaluation.core import fonts

pytestmark = pytest.mark.slow  # renders every demo report

#: A page with fewer characters than this and no picture is near-empty (a caption alone).
SPARSE = 200
#: Slack for rounding in pdftotext's boxes (points).
SLACK = 0.5


@pytest.fixture(scope="session")
def demo(demo_run) -> Path:
    result, out = demo_run
    assert result.returncode == 0, result.stderr[-3000:]
    return out / "demo"


@pytest.fixture(scope="session")
def reports(demo) -> list[Path]:
    folders = sorted(p.parent for p in demo.glob("*/*/rapport.html"))
    assert len(folders) >= 6
    return folders


def _need(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} saknas: apt-get install poppler-utils (.ci/run gör det)")


# -- PDF ---------------------------------------------------------------------------------
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>')


def pdf_pages(pdf: Path) -> list[tuple[float, float, list]]:
    """Each page's size and words with their boxes (poppler's ``pdftotext -bbox``)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [(float(w), float(h), [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in _WORD.findall(body)])
            for w, h, body in _PAGE.findall(out)]


def pages_with_pictures(pdf: Path) -> set[int]:
    out = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {int(line.split()[0]) for line in out.splitlines()[2:] if line.split()}


def layout_problems(pdf: Path) -> list[str]:
    """Words outside their page box, and near-empty pages other than the last."""
    problems = []
    pages = pdf_pages(pdf)
    pictures = pages_with_pictures(pdf)
    for number, (width, height, words) in enumerate(pages, start=1):
        for x0, y0, x1, y1, text in words:
            if x0 < -SLACK or y0 < -SLACK or x1 > width + SLACK or y1 > height + SLACK:
                problems.append(f"sida {number}: «{text}» utanför sidan")
        chars = sum(len(w[4]) for w in words)
        if chars < SPARSE and number not in pictures and number != len(pages):
            problems.append(f"sida {number}: nästan tom ({chars} tecken)")
    return problems


def test_no_word_outside_a_pdf_page_and_no_near_empty_page(reports):
    _need("pdftotext")
    found = {f"{r.parent.name}/{r.name}": layout_problems(r / "rapport.pdf") for r in reports}
    assert {k: v for k, v in found.items() if v} == {}


def test_the_layout_check_catches_a_table_off_the_page_and_a_lonely_caption(tmp_path):
    _need("pdftotext")
    weasyprint = pytest.importorskip("weasyprint")
    wide = "".join(f"<td>kolumnmedlångtext{i}</td>" for i in range(14))
    html = (f'<p>Inledning</p><table style="width:250mm"><tr>{wide}</tr></table>'
            '<p style="break-before:page">Tabell 1</p><p style="break-before:page">'
            + "Text. " * 80 + "</p>")
    pdf = tmp_path / "dalig.pdf"
    weasyprint.HTML(string=html).write_pdf(pdf)
    problems = layout_problems(pdf)
    assert any("utanför sidan" in p for p in problems) and "sida 2: nästan tom (7 tecken)" in problems


def test_the_pdf_embeds_only_the_shipped_font(reports):
    _need("pdffonts")
    for report in reports:
        out = subprocess.run(["pdffonts", str(report / "rapport.pdf")], capture_output=True, text=True).stdout
        names = {line.split()[0].split("+")[-1] for line in out.splitlines()[2:] if line.strip()}
        assert names and all(n.startswith(fonts.FAMILY.replace(" ", "-")) for n in names), (report, names)


def test_pdf_bookmarks_carry_no_footnote_marks(reports):
    pypdf = pytest.importorskip("pypdf")

    def titles(outline):
        for item in outline:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title

    found = []
    for report in reports:
        marks = [t for t in titles(pypdf.PdfReader(report / "rapport.pdf").outline) if re.search(r"\d+(, \d+)*$", t)
                 and not re.search(r"(19|20)\d\d$", t)]
        found += [f"{report.name}: {t}" for t in marks]
    assert found == []


def test_html_tables_scroll_in_a_focusable_labelled_box(reports):
    for report in reports:
        page = (report / "rapport.html").read_text(encoding="utf-8")
        figures = re.findall(r'<figure class="table[^"]*"[^>]*>(<div[^>]*>)', page)
        assert figures, report
        for div in figures:
            assert 'class="table-scroll"' in div and 'tabindex="0"' in div and 'aria-label="' in div, div


# -- Word --------------------------------------------------------------------------------
def narrow_columns(docx_path: Path) -> list[str]:
    """Columns narrower than their longest word (in the report font, with the cell margins)."""
    import docx
    from docx.shared import Emu

    problems = []
    document = docx.Document(str(docx_path))
    for t, table in enumerate(document.tables, start=1):
        for c, column in enumerate(table.columns):
            width = Emu(column.width or 0).pt
            for cell in column.cells:
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        size = run.font.size.pt if run.font.size else 9.0
                        for word in run.text.split():
                            need = fonts.text_width(word, size, bold=bool(run.bold)) + 2 * 0.08 / 2.54 * 72
                            if need > width:
                                problems.append(f"tabell {t}, kolumn {c + 1}: «{word}» {need:.0f} pt > {width:.0f} pt")
    return problems


def test_word_columns_are_as_wide_as_their_longest_word(reports):
    found = {r.parent.name + "/" + r.name: narrow_columns(r / "rapport.docx") for r in reports}
    assert {k: v[:5] for k, v in found.items() if v} == {}


def test_the_word_check_catches_a_narrow_column(tmp_path):
    import docx
    from docx.shared import Cm

    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.columns[0].width = Cm(1)
    table.cell(0, 0).paragraphs[0].add_run("Arbetsförmedlingen")
    path = tmp_path / "smal.docx"
    document.save(path)
    assert narrow_columns(path)[0].startswith("tabell 1, kolumn 1: «Arbetsförmedlingen»")


def test_word_embeds_the_report_font(reports):
    import zipfile

    with zipfile.ZipFile(reports[0] / "rapport.docx") as z:
        names = z.namelist()
        table = z.read("word/fontTable.xml").decode("utf-8")
    assert sum(n.startswith("word/fonts/") and n.endswith(".odttf") for n in names) == 4
    assert f'w:name="{fonts.FAMILY}"' in table and "w:embedRegular" in table and "w:embedBold" in table


# -- Excel -------------------------------------------------------------------------------
def test_xlsx_headers_are_the_reports_labels(reports):
    import openpyxl

    for report in reports:
        book = openpyxl.load_workbook(report / "tabeller.xlsx")
        contents = book["Innehåll"]
        ids = {row[2] for row in contents.iter_rows(min_row=4, values_only=True) if row[2]}
        sheet_ids = {row[0]: row[2] for row in contents.iter_rows(min_row=4, values_only=True)}
        csv_ids = {p.stem for p in (report / "tabeller").glob("*.csv")}
        assert ids <= csv_ids and ids, report  # the ids given are those of the CSV files
        html = (report / "rapport.html").read_text(encoding="utf-8")
        for ws in book.worksheets[1:]:
            headers = [c.value for c in ws[3] if c.value is not None]
            csv_headers = set()
            assert ws.title not in ids, (report, ws.title)
            for table_id in ids:
                csv_headers |= set((report / "tabeller" / f"{table_id}.csv").read_text(encoding="utf-8").splitlines()[0].split(","))
            ids_as_headers = [h for h in headers if h in csv_headers and not re.search(r"[A-ZÅÄÖ ]", h)]
            assert ids_as_headers == [], (report.name, ws.title, ids_as_headers)
            listed = (sheet_ids[ws.title] or "").startswith("matris_") and f'id="tabell-{sheet_ids[ws.title]}"' not in html
            if not listed:  # a matrix the report shows as a list has no header row there
                assert all(f">{h}<" in html.replace("&amp;", "&") for h in headers[:3]), (report.name, ws.title, headers)
            cells = [c for row in ws.iter_rows(min_row=4) for c in row if isinstance(c.value, str)]
            assert not [c.value for c in cells if "**" in c.value], (report.name, ws.title)


def test_xlsx_shares_show_as_the_report_writes_them(reports):
    import openpyxl

    formats = set()
    for report in reports:
        for ws in openpyxl.load_workbook(report / "tabeller.xlsx").worksheets[1:]:
            formats |= {c.number_format for row in ws.iter_rows(min_row=4) for c in row if isinstance(c.value, float)}
    assert '0.0" "%' in formats  # shown as "39,7 %" by a Swedish Excel or LibreOffice


# -- index -------------------------------------------------------------------------------
def test_the_index_links_every_format_and_writes_periods_in_words(demo, reports):
    html = (demo / "index.html").read_text(encoding="utf-8")
    for report in reports:
        rel = report.relative_to(demo).as_posix()
        for name in ("rapport.html", "rapport.pdf", "rapport.docx", "tabeller.xlsx"):
            assert f'href="{rel}/{name}"' in html, (rel, name)
        assert '<a href="../../index.html">' in (report / "rapport.html").read_text(encoding="utf-8")
    entries = json.loads((demo / "index.json").read_text(encoding="utf-8")).values()
    assert "1 maj 2023 – 30 apr 2024" in html and ">2023<" in html
    assert not any(f">{e['period']}<" in html for e in entries if "-" in e["period"])  # no slugs
    forbund = [m for m in re.findall(r"<h2>(.*?)</h2>", html)]
    assert forbund == sorted(forbund, key=str.casefold) and len(forbund) == len(set(forbund))


# -- HTML on narrow screens ----------------------------------------------------------------
_OVERFLOW = """() => ({page: document.documentElement.scrollWidth, view: window.innerWidth,
  boxes: [...document.querySelectorAll('.table-scroll')].filter(b => b.getBoundingClientRect().right > window.innerWidth + 1).length,
  font: getComputedStyle(document.body).fontFamily.split(',')[0].replace(/"/g, '').trim(),
  loaded: [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replace(/"/g, ''))})"""


@pytest.mark.parametrize("width", [768, 375])
def test_html_pages_do_not_overflow_narrow_screens(reports, width, tmp_path):
    from test_browser import ARGS, CHROMIUM

    if not CHROMIUM.exists():
        pytest.skip(f"ingen Chromium på {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    found = {}
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": 900})
        for report in reports:
            page.goto((report / "rapport.html").as_uri(), wait_until="load")
            found[report.parent.name + "/" + report.name] = page.evaluate(_OVERFLOW)
        browser.close()
    for name, got in found.items():
        assert got["page"] <= got["view"] and got["boxes"] == 0, (name, got)
        assert got["font"] == fonts.FAMILY and fonts.FAMILY in got["loaded"], (name, got)
