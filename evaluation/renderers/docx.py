"""``rapport.docx``: the report model as a Word document made with python-docx.

A title page from the title block, a contents field that Word fills in when the file opens,
then the sections. Section titles use *Heading 1* and headings inside a section *Heading 2*
and *Heading 3* (never skipping a level), so Word's navigation pane and contents work.
Tables are real Word tables: a caption above (*Caption* style, ``SEQ Tabell`` field), a header
row repeated on every page, rows that do not split, numbers right-aligned and the Swedish
display strings of :meth:`evaluation.core.model.Table.cells`. Charts are the 200 dpi PNGs with
their alt text and a ``SEQ Figur`` caption. The evaluator's prose (Markdown) becomes Word
paragraphs, headings, lists and links; raw HTML in it stays text.

An evaluator's own Word document (``mall``) supplies styles, header, logo and footer: its
body is cleared and the report written into it. Without one, python-docx's default
document is used with tuned styles on A4.

Longer than 400 lines: one method per block type of the model, as in the HTML macros; the Word XML helpers are already in wordml/wordstyles/wordfonts.
"""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.image.image import Image
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt

from evaluation.core import fmt, fonts, model
from evaluation.core.model import NUMERIC_KINDS, Document
from evaluation.renderers import MAX_PROPERTY, wordfonts, wordml, wordtables
from evaluation.renderers.wordmarkdown import MarkdownWriter
from evaluation.renderers.wordml import add_run, clean
from evaluation.renderers.wordstyles import ATTRIBUTION, CAUTION, HEADER_FILL, NOTE, TABLE_TEXT, open_document

FILENAME = "rapport.docx"
#: Room for rounding and Word's own spacing. The report font is embedded in the file
#: (:mod:`.wordfonts`), so Word and LibreOffice lay text out with the metrics measured here.
WIDTH_MARGIN = 1.04


def _landscape_start(blocks, i: int) -> int:
    """Where the landscape page of the wide table ``blocks[i]`` starts: with the text and up to
    three headings before it (``-1``: the section's own heading too, when nothing else is before)."""
    start = i
    if start and isinstance(blocks[start - 1], (model.Markdown, model.Paragraph)) \
            and getattr(blocks[start - 1], "style", None) != "note":
        start -= 1
    for _ in range(3):
        if start and isinstance(blocks[start - 1], model.Heading):
            start -= 1
    return -1 if start == 0 else start


def _width(text: str, size: float, bold: bool = False) -> float:
    """Width of ``text`` in points in the report font, with :data:`WIDTH_MARGIN`."""
    return fonts.text_width(text, size, bold) * WIDTH_MARGIN


#: Lowest resolution a picture is shown at: wider PNGs are scaled down to the text width.
MIN_DPI = 200
#: The contents field: headings 1–3 (styles and outline levels), as links.
TOC_FIELD = 'TOC \\o "1-3" \\h \\z \\u'


# -- the writer ----------------------------------------------------------------------------
class _Writer:
    def __init__(self, document, report: Document):
        self.d = document
        self.report = report
        self.numbering = wordml.Numbering(document)
        self.ids = {s.name: s.style_id for s in document.styles}
        self.level = 0  # the last heading level written (1 = a section title)
        self.tables = 0
        self.figures = 0
        self.bookmarks = 0
        self.toc_entries: list[tuple[int, str, str]] = []  # (level, text, bookmark)
        self._landscape = False  # the orientation of the section being written
        section = document.sections[-1]
        self.text_width = Emu(section.page_width - section.left_margin - section.right_margin)

    # -- paragraphs and runs ------------------------------------------------------------
    def set_style(self, paragraph, name: str | None) -> None:
        """Set a paragraph style by name (python-docx's own lookup is slow on long documents)."""
        if name:
            wordml.set_paragraph_style(paragraph, self.ids[name])

    def add(self, style: str | None = None):
        paragraph = self.d.add_paragraph()
        self.set_style(paragraph, style)
        return paragraph

    def run_style(self, run, name: str) -> None:
        run._r.get_or_add_rPr().style = self.ids[name]

    def table_style(self, table) -> None:
        table._tbl.tblPr.style = self.ids["Table Grid"]

    def paragraph(self, text: str = "", style: str | None = None):
        paragraph = self.add(style)
        if text:
            add_run(paragraph, clean(text))
        return paragraph

    def heading(self, text: str, wanted: int, marks=(), marks_to: str = "") -> None:
        level = max(1, min(wanted, self.level + 1, 9))
        self.level = level
        paragraph = self.add(f"Heading {level}")
        add_run(paragraph, clean(text))
        for i, mark in enumerate(marks):
            if i:
                sep = add_run(paragraph, ", ")
                sep.font.superscript = True
            if marks_to:
                link = wordml.hyperlink(paragraph, anchor=wordml.bookmark_name(f"{marks_to}-{mark}"))
                run = add_run(paragraph, str(mark))
                link.append(run._r)
            else:
                run = add_run(paragraph, str(mark))
            run.font.superscript = True
        if level <= 3:
            self.bookmarks += 1
            name = f"_Toc{self.bookmarks:08d}"
            wordml.bookmark(paragraph, name, self.bookmarks)
            self.toc_entries.append((level, text, name))

    def caption(self, kind: str, number: int, title: str, keep_with_next: bool = True):
        paragraph = self.add("Caption")
        add_run(paragraph, f"{kind} ")
        wordml.add_field(paragraph, f"SEQ {kind} \\* ARABIC", str(number))
        add_run(paragraph, clean(f": {title}"))
        paragraph.paragraph_format.keep_with_next = keep_with_next
        return paragraph

    # -- blocks ---------------------------------------------------------------------------
    def block(self, b) -> None:
        method = getattr(self, f"_{type(b).__name__}", None)
        if method is None:
            raise TypeError(f"no Word rendering for {type(b).__name__}")
        method(b)

    def _Heading(self, b: model.Heading) -> None:
        if b.text:
            self.heading(b.text, b.level - 1, b.marks, b.marks_to)

    def _Paragraph(self, b: model.Paragraph) -> None:
        style = {"note": NOTE, "caution": CAUTION}.get(b.style)
        self.paragraph(b.text, style)

    def _Markdown(self, b: model.Markdown) -> None:
        MarkdownWriter(self, dict(b.images), NOTE if b.style == "note" else None).write(b.text)

    def _BulletList(self, b: model.BulletList) -> None:
        items = b.items or ("(inga)",)
        num_id = self.numbering.new_list(b.ordered)
        for item in items:
            paragraph = self.add("List Paragraph")
            wordml.number_paragraph(paragraph, num_id)
            paragraph.paragraph_format.space_after = Pt(2)
            if b.markdown:
                MarkdownWriter(self, {}, None).inline_text(paragraph, item)
            else:
                add_run(paragraph, clean(item))
        paragraph.paragraph_format.space_after = Pt(8)

    def _Quote(self, b: model.Quote) -> None:
        quote = self.paragraph(f"\u201d{b.text}\u201d", "Quote")
        quote.paragraph_format.keep_with_next = True
        self.paragraph(f"\u2013 {b.attribution}", ATTRIBUTION)

    def _Facts(self, b: model.Facts) -> None:
        rows = b.shown
        if not rows:
            return
        table = self.d.add_table(rows=len(rows), cols=2)
        self._widths(table, [Cm(5), self.text_width - Cm(5)])
        for row, (label, value) in zip(table.rows, rows):
            wordtables.cant_split(row)
            label_cell, value_cell = row.cells
            add_run(label_cell.paragraphs[0], clean(label)).bold = True
            add_run(value_cell.paragraphs[0], clean(value))
            for cell in row.cells:
                cell.paragraphs[0].paragraph_format.space_after = Pt(3)
        self.paragraph()

    def _Sources(self, b: model.Sources) -> None:
        self.heading(b.title, 2)
        num_id = self.numbering.new_list(True, start=b.items[0].number if b.items else 1)
        for source in b.items:
            paragraph = self.add("List Paragraph")
            wordml.number_paragraph(paragraph, num_id)
            paragraph.paragraph_format.space_after = Pt(2)
            self.bookmarks += 1
            if source.title:
                add_run(paragraph, clean(f"{source.title}: "))
            self.link(paragraph, source.url, source.url)
            wordml.bookmark(paragraph, wordml.bookmark_name(f"{b.anchor}-{source.number}"), self.bookmarks)

    def link(self, paragraph, url: str, text: str) -> None:
        run = add_run(paragraph, clean(text))
        if wordml.is_link(url):
            self.run_style(run, "Hyperlink")
            wordml.hyperlink(paragraph, url=url.strip()).append(run._r)

    def _Signature(self, b: model.Signature) -> None:
        self.heading(b.party, 2)
        self.paragraph(f"Insatsens namn: {b.insats}").paragraph_format.keep_with_next = True
        table = self.d.add_table(rows=len(b.lines), cols=2)
        self._widths(table, [Cm(5.5), self.text_width - Cm(5.5)])
        for i, (row, label) in enumerate(zip(table.rows, b.lines)):
            wordtables.cant_split(row)
            row.height = Cm(1.2)
            label_cell, line_cell = row.cells
            paragraph = label_cell.paragraphs[0]
            add_run(paragraph, clean(label))
            label_cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
            wordtables.bottom_border(line_cell)
            if i < len(b.lines) - 1:
                paragraph.paragraph_format.keep_with_next = True
        self.paragraph()

    def _Chart(self, b: model.Chart) -> None:
        self.figures += 1
        self.picture(b.png, b.alt, b.title, keep_with_next=True)
        self.caption("Figur", self.figures, b.title, keep_with_next=False)

    def picture(self, png: bytes, alt: str, title: str, keep_with_next: bool = False, paragraph=None):
        width = self.picture_width(png)
        if paragraph is None:
            paragraph = self.d.add_paragraph()
            paragraph.paragraph_format.keep_with_next = keep_with_next
        run = add_run(paragraph)
        shape = run.add_picture(io.BytesIO(png), width=width)
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", clean(alt))
        doc_pr.set("title", clean(title))
        return paragraph

    def picture_width(self, data: bytes) -> Emu:
        """The text width, or less when the picture would show at under :data:`MIN_DPI`."""
        image = Image.from_blob(data)
        widest = Emu(int(image.px_width / MIN_DPI * 914400))
        return Emu(min(int(self.text_width), int(widest)))

    def _Grid(self, b: model.Grid) -> None:
        self.tables += 1
        self.caption("Tabell", self.tables, b.title)
        table = self.d.add_table(rows=1 + len(b.rows), cols=1 + len(b.columns))
        self.table_style(table)
        wordtables.table_caption(table, b.title)
        headers = [(b.corner, "text")] + [(c, "text") for c in b.columns]
        widths, compact = self._column_widths(headers, [[name, *cells] for name, cells in b.rows], bold_first=True)
        self._widths(table, widths)
        if compact:  # a wide matrix: smaller text and narrower cell margins, as for tables
            wordtables.cell_margins(table, Cm(0.08))
        md = MarkdownWriter(self, {}, None)
        header = table.rows[0]
        for cell, text in zip(header.cells, (b.corner, *b.columns)):
            self._cell(cell, text, bold=True, fill=HEADER_FILL, size=Pt(8) if compact else None)
        wordtables.repeat_header(header)
        wordtables.cant_split(header)
        for row, (name, cells) in zip(table.rows[1:], b.rows):
            wordtables.cant_split(row)
            head = row.cells[0]
            self._cell(head, "", bold=True)
            md.inline_text(head.paragraphs[0], name, bold=True)
            for cell, text in zip(row.cells[1:], cells):
                self._cell(cell, "")
                md.inline_text(cell.paragraphs[0], text)
            if compact:
                for cell in row.cells:
                    for run in (r for p in cell.paragraphs for r in p.runs):
                        run.font.size = Pt(8)
        self.paragraph()

    def _Table(self, b: model.Table) -> None:
        self._table(b, b.headers, b.cells())

    def _too_wide(self, b) -> bool:
        """Whether block ``b`` is a table too wide for a portrait page even in the compact look."""
        if isinstance(b, model.Table):
            return not self._fits(b.headers, b.cells())
        if isinstance(b, model.Grid):
            return not self._fits([(b.corner, "text"), *((c, "text") for c in b.columns)],
                                  [[name, *cells] for name, cells in b.rows])
        return False

    def _landscape_spans(self, blocks) -> dict[int, int]:
        """First → last position of the blocks that go on a landscape page: a table too wide for
        a portrait one, with the text and up to three headings before it and the note after it,
        as the PDF has them; ``-1`` is the section's own heading."""
        spans: dict[int, int] = {}
        last = -2
        for i, b in enumerate(blocks):
            if not self._too_wide(b):
                continue
            start, end = _landscape_start(blocks, i), i
            if end + 1 < len(blocks) and getattr(blocks[end + 1], "style", None) == "note":
                end += 1
            if spans and start <= last + 1:  # next to the span before: one landscape section
                spans[max(spans)] = end
            else:
                spans[start] = end
            last = end
        return spans

    def _fits(self, headers, rows) -> bool:
        """Whether every column gets its longest word on a portrait page (compact look)."""
        least = []
        for j, (label, kind) in enumerate(headers):
            values = [str(r[j]) for r in rows]
            least.append(max([_width(w, 8.0, bold=True) for w in label.split()]
                             + [_width(w, 8.0) for v in values for w in v.split()]
                             + [_width(v, 8.0) for v in values if kind in NUMERIC_KINDS], default=0.0))
        return sum(int(Pt(w)) + Cm(0.2) for w in least) <= int(self.text_width)

    def _orientation(self, landscape: bool) -> None:
        """Start a new section on a new page, landscape or back to portrait."""
        from docx.enum.section import WD_ORIENT, WD_SECTION

        current = self.d.sections[-1]
        short, long = sorted((current.page_width, current.page_height))
        section = self.d.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (long, short) if landscape else (short, long)
        section.different_first_page_header_footer = False  # only the title page has none
        self.text_width = Emu(section.page_width - section.left_margin - section.right_margin)

    def _table(self, b: model.Table, headers, rows) -> None:
        self.tables += 1
        self.caption("Tabell", self.tables, b.title)
        table = self.d.add_table(rows=0, cols=len(headers))
        self.table_style(table)
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        wordtables.table_caption(table, b.title, b.base)
        widths, compact = self._column_widths(headers, rows)
        self._widths(table, widths)
        if compact:  # a wide table: smaller text and narrower cell margins
            wordtables.cell_margins(table, Cm(0.08))
        size = Pt(8) if compact else None
        Cell = wordtables.Cell
        numeric = [kind in NUMERIC_KINDS for _, kind in headers]
        lines = [(True, [Cell(label, w, bold=True, fill=HEADER_FILL, right=n, size=size, keep_next=True)
                         for (label, _), w, n in zip(headers, widths, numeric)])]
        last = len(rows) - 1
        for i, values in enumerate(rows):
            bold = bool(b.total_row and i == last)
            # short tables stay on one page; the last row stays with the base and note
            keep = (i < last and len(rows) <= 25) or (i == last and bool(b.base or b.note))
            lines.append((False, [Cell(value, w, bold=bold, right=n, size=size, keep_next=keep)
                                  for value, w, n in zip(values, widths, numeric)]))
        wordtables.append_rows(table, lines, self.ids[TABLE_TEXT])
        if b.base:
            base = self.paragraph(b.base, NOTE)
            base.paragraph_format.space_before = Pt(3)
            base.paragraph_format.keep_with_next = bool(b.note)
        if b.note:
            self.paragraph(b.note, NOTE)
        if not b.base and not b.note:
            self.paragraph()

    def _cell(self, cell, text: str, bold=None, fill: str | None = None, right: bool = False, size=None) -> None:
        paragraph = cell.paragraphs[0]
        self.set_style(paragraph, TABLE_TEXT)
        if right:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if text:
            run = add_run(paragraph, clean(text))
            if bold:
                run.bold = True
            if size:
                run.font.size = size
        if fill:
            wordtables.shade(cell, fill)

    def _column_widths(self, headers, rows, compact: bool = False, bold_first: bool = False) -> tuple[list[int], bool]:
        """Widths in EMU from what each column holds, measured with the report font's own
        metrics (:func:`evaluation.core.fonts.text_width`), and whether the table needs the compact
        look (8 pt, narrow cell margins). Every column is at least as wide as its longest word
        (bold in the header), so Word never breaks a word inside a cell; numbers and short texts
        (dates, ages) stay on one line; text columns share the rest; the table is at most the
        text width. ``bold_first``: the first column's cells are bold (row headings of a matrix)."""
        size, pad = (8.0, Cm(0.16) + Cm(0.04)) if compact else (9.0, Cm(0.38) + Cm(0.1))
        least, wanted, numeric = [], [], []
        for j, (label, kind) in enumerate(headers):
            values = [str(r[j]) for r in rows]
            bold = bold_first and j == 0
            word = max([_width(w, size, bold=True) for w in label.split()]
                       + [_width(w, size, bold) for v in values for w in v.split()], default=0.0)
            longest = max((_width(v, size) for v in values), default=0.0)
            if kind in NUMERIC_KINDS:
                need = max(word, longest)
                least.append(need)
                wanted.append(need)
            else:
                short = max((_width(v, size) for v in values if len(v) <= 14), default=0.0)
                least.append(max(word, short))
                wanted.append(max(least[-1], min(max(longest, _width(label, size, bold=True)),
                                                 _width("m" * 40, size))))
            numeric.append(kind in NUMERIC_KINDS)
        total = int(self.text_width)
        least = [int(Pt(w)) + pad for w in least]
        wanted = [int(Pt(w)) + pad for w in wanted]
        if sum(wanted) <= total:
            scale = max(1.0, total * 0.6 / sum(wanted))
            return [int(w * scale) for w in wanted], compact
        if sum(least) >= total:
            if not compact:
                return self._column_widths(headers, rows, compact=True, bold_first=bold_first)
            return [int(w * total / sum(least)) for w in least], compact
        # text columns get their least width plus a share of what is left, by how much they want
        spare = total - sum(least)
        extra = [0 if n else w - m for w, m, n in zip(wanted, least, numeric)]
        return [int(m + (spare * e / sum(extra) if sum(extra) else 0)) for m, e in zip(least, extra)], compact

    @staticmethod
    def _widths(table, widths) -> None:
        table.autofit = False
        for column, width in zip(table.columns, widths):
            column.width = Emu(int(width))
            for cell in column.cells:
                cell.width = Emu(int(width))

    # -- the whole document ---------------------------------------------------------------
    def title_page(self) -> None:
        block = self.report.title_block
        self.paragraph(block.kicker, "Subtitle")
        self.paragraph(block.title, "Title")
        self._Facts(block.facts)
        add_run(self.paragraph()).add_break(WD_BREAK.PAGE)

    def contents(self):
        """The contents heading and the paragraph the contents field goes into (filled in last)."""
        self.paragraph("Innehåll", "TOC Heading")
        return self.paragraph()

    def fill_contents(self, anchor) -> None:
        """The contents field (``TOC \\o "1-3" \\h``) with the headings as its shown result,
        so the contents read right before Word updates the field with page numbers."""
        paragraphs = []
        for level, text, name in self.toc_entries:
            paragraph = self.add(f"toc {level}")
            link = wordml.hyperlink(paragraph, anchor=name)
            link.append(add_run(paragraph, clean(text))._r)
            paragraphs.append(paragraph)
        if not paragraphs:
            paragraphs = [self.paragraph("Högerklicka och välj Uppdatera fält för att visa innehållet.")]
        # the field opens at the start of the first entry and closes at the end of the last
        wordml.field_begin_at_start(paragraphs[0], TOC_FIELD, dirty=True)
        wordml.field_end(paragraphs[-1])
        for paragraph in paragraphs:
            anchor._p.addprevious(paragraph._p)
        add_run(anchor).add_break(WD_BREAK.PAGE)

    def sections(self) -> None:
        for section in self.report.sections:
            self.level = section.depth
            spans = self._landscape_spans(section.blocks)
            end = spans.get(-1)
            self._page(landscape=end is not None)
            self.heading(section.heading, section.depth + 1)
            for i, b in enumerate(section.blocks):
                if i in spans:
                    end = spans[i]
                self._page(landscape=end is not None)
                self.block(b)
                if i == end:
                    end = None

    def _page(self, landscape: bool) -> None:
        """Go on in a section of that orientation: a new one only when it changes (two section
        breaks in a row would leave an empty page between two landscape tables)."""
        if landscape != self._landscape:
            self._orientation(landscape)
            self._landscape = landscape

    def running_header_footer(self, template: bool) -> None:
        section = self.d.sections[0]  # later sections (a landscape table) inherit it
        if section.different_first_page_header_footer and not template:
            for part in (section.first_page_header, section.first_page_footer):
                part.is_linked_to_previous = False  # an empty header and footer on the title page
        header = section.header
        if not template or _empty(header):
            paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
            self.set_style(paragraph, "Header")
            add_run(paragraph, clean(self.report.header))
        footer = section.footer
        if not template or _empty(footer):
            paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
            self.set_style(paragraph, "Footer")
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            add_run(paragraph, "Sida ")
            wordml.add_field(paragraph, "PAGE", "1")
            add_run(paragraph, " av ")
            wordml.add_field(paragraph, "NUMPAGES", "1")


def _empty(part) -> bool:
    """Whether a header or footer shows nothing (no text, picture, table or field)."""
    element = part._element
    if any(t.text and t.text.strip() for t in element.iter(qn("w:t"))):
        return False
    return not any(True for tag in ("w:drawing", "w:pict", "w:tbl", "w:fldSimple", "w:instrText")
                   for _ in element.iter(qn(tag)))


def _property(text: str) -> str:
    """``text`` as a document property: XML-clean, and cut with "…" to :data:`MAX_PROPERTY`
    characters (the report itself shows it whole).

    >>> len(_property("x" * 300)), _property("x" * 300)[-2:]
    (255, 'x…')
    """
    return fmt.shortened(clean(text), MAX_PROPERTY)


def _properties(document, report: Document) -> None:
    """Title, subject and author (the evaluator, an organisation), nothing personal."""
    props = document.core_properties
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None)
    props.title = _property(report.title)
    props.subject = _property(report.subject)
    props.author = _property(report.author)
    props.last_modified_by = props.author
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.identifier = ""
    props.content_status = ""
    props.version = ""
    props.language = report.language
    props.revision = 1
    props.created = props.modified = now
    props.last_printed = dt.datetime(2000, 1, 1)


# -- Markdown --------------------------------------------------------------------------------
# -- entry point ----------------------------------------------------------------------------
def build(report: Document, template: Path | None = None):
    """The report as a python-docx document (not saved)."""
    document = open_document(Path(template) if template else None)
    writer = _Writer(document, report)
    writer.title_page()
    anchor = writer.contents()
    writer.sections()
    writer.fill_contents(anchor)
    writer.running_header_footer(template is not None)
    wordml.set_language(document, report.language)
    wordml.update_fields_on_open(document)
    wordfonts.embed(document)
    _properties(document, report)
    return document


def warm() -> None:
    """Make the blank document every report without a template starts from, once."""
    open_document(None)


def write(doc: Document, folder: Path, template: Path | None = None) -> None:
    """Write ``rapport.docx`` into ``folder``, stable (:func:`evaluation.renderers.stable_zip`);
    ``template`` is the evaluator's own .docx (``mall``)."""
    from evaluation.renderers import stable_zip, write_stable_zip

    document, path = build(doc, template), Path(folder) / FILENAME
    entries = wordml.package_entries(document)
    if entries is None:
        document.save(str(path))
        stable_zip(path, doc.created)
    else:
        write_stable_zip(path, entries, doc.created)
