"""The evaluator's prose (Markdown) as Word paragraphs, headings, lists, tables and links.

The text is parsed by the HTML renderer's parser (:func:`evaluation.core.markup.parser`:
CommonMark, tables and footnotes, raw HTML off), so raw HTML stays literal text. Only http,
https and mailto links become hyperlinks; images are embedded when the Markdown block carries
their bytes. Headings keep the level the report gave them (a text's top heading is level 3, a
Word "Heading 2"). Footnotes are numbered ``[1]`` in superscript, and listed after the text in
the note style, as on the report page.
"""
from __future__ import annotations

from docx.shared import Cm, Pt

from evaluation.core import markup
from evaluation.renderers import wordml, wordtables
from evaluation.renderers.wordml import add_run, clean
from evaluation.renderers.wordstyles import HEADER_FILL, NOTE

#: A table in a text with this many columns or more gets small type, and with the second a
#: landscape page (as in the PDF, print.css).
COMPACT_COLUMNS, LANDSCAPE_COLUMNS = 8, 12


class MarkdownWriter:
    """Markdown (the evaluator's prose) as Word paragraphs, headings, lists, tables and links."""

    def __init__(self, writer, images: dict, style: str | None):
        """``writer`` is the Word renderer's writer (paragraphs, headings, pictures, numbering);
        ``images`` maps an image path in the text to its bytes; ``style`` is the paragraph style."""
        self.w = writer
        self.images = images
        self.style = style
        self.note: int | None = None  # the number of the footnote whose first paragraph comes next
        self.in_note = False

    def write(self, text: str) -> None:
        tokens = markup.tokens(text or "")
        # below the section's heading even where a text's headings were not moved (markup.shift_headings)
        below = max(0, markup.TOP_HEADING - min((int(t.tag[1]) for t in tokens if t.type == "heading_open"), default=3))
        lists: list[dict] = []  # open lists: numId and whether the next paragraph starts an item
        quote = 0
        i = 0
        while i < len(tokens):
            token = tokens[i]
            kind = token.type
            if kind == "heading_open":
                self.heading(tokens[i + 1], int(token.tag[1]) + below - 1)  # h3 is Word's "Heading 2"
                i += 3
                continue
            if kind in ("bullet_list_open", "ordered_list_open"):
                ordered = kind == "ordered_list_open"
                start = int(token.attrGet("start") or 1) if ordered else 1
                lists.append({"num": self.w.numbering.new_list(ordered, start), "first": False})
            elif kind in ("bullet_list_close", "ordered_list_close"):
                lists.pop()
                if not lists:
                    self.w.paragraph().paragraph_format.space_after = Pt(0)
            elif kind == "list_item_open":
                lists[-1]["first"] = True
            elif kind == "blockquote_open":
                quote += 1
            elif kind == "blockquote_close":
                quote -= 1
            elif kind == "footnote_open":  # a note after the text: "[1] SCB 2024." in the note style
                self.note, self.in_note = token.meta["id"] + 1, True
            elif kind == "footnote_close":
                self.note, self.in_note = None, False
            elif kind == "paragraph_open":
                paragraph = self.new_paragraph(lists, quote)
                self.inline(paragraph, tokens[i + 1].children or [])
                i += 3
                continue
            elif kind in ("fence", "code_block", "html_block"):
                paragraph = self.new_paragraph(lists, quote)
                lines = token.content.rstrip("\n").split("\n")
                for n, line in enumerate(lines):
                    run = add_run(paragraph, clean(line))
                    if kind != "html_block":
                        run.font.name = "Consolas"
                    if n < len(lines) - 1:
                        run.add_break()
            elif kind == "table_open":
                i = self.table(tokens, i)
                continue
            i += 1

    def heading(self, inline_token, wanted: int) -> None:
        text = "".join(c.content for c in (inline_token.children or []) if c.type in ("text", "code_inline"))
        self.w.heading(text or inline_token.content, wanted)

    def new_paragraph(self, lists, quote: int):
        if self.in_note:
            paragraph = self.w.add(NOTE)
            if self.note is not None:
                add_run(paragraph, f"[{self.note}] ")
                self.note = None  # a note's second paragraph has no number
            return paragraph
        if lists:
            paragraph = self.w.add("List Paragraph")
            paragraph.paragraph_format.space_after = Pt(3)
            if lists[-1]["first"]:
                wordml.number_paragraph(paragraph, lists[-1]["num"], len(lists) - 1)
                lists[-1]["first"] = False
            else:
                paragraph.paragraph_format.left_indent = Cm(1.0 * len(lists))
            return paragraph
        if quote:
            return self.w.add("Quote")
        return self.w.add(self.style)

    def inline_text(self, paragraph, text: str, bold: bool = False) -> None:
        """One line of Markdown (a list item, a grid cell) into ``paragraph``."""
        tokens = markup.tokens(text or "")
        children = [c for t in tokens if t.type == "inline" for c in (t.children or []) + [None]]
        # paragraphs inside the text are joined by a line break
        self.inline(paragraph, [c for c in children[:-1]], bold=bold)

    def inline(self, paragraph, children, bold: bool = False) -> None:
        strong = 1 if bold else 0
        em = 0
        link = None
        for child in children:
            if child is None:
                add_run(paragraph).add_break()
                continue
            kind = child.type
            if kind == "strong_open":
                strong += 1
            elif kind == "strong_close":
                strong -= 1
            elif kind == "em_open":
                em += 1
            elif kind == "em_close":
                em -= 1
            elif kind == "link_open":
                href = str(child.attrGet("href") or "")
                link = wordml.hyperlink(paragraph, url=href.strip()) if wordml.is_link(href) else None
            elif kind == "link_close":
                link = None
            elif kind == "softbreak":
                self._run(paragraph, " ", strong, em, link)
            elif kind == "hardbreak":
                add_run(paragraph).add_break()
            elif kind == "image":
                self.image(paragraph, child)
            elif kind == "footnote_ref":  # as on the report page: [1], raised
                self._run(paragraph, f"[{child.meta['id'] + 1}]", strong, em, link).font.superscript = True
            elif kind == "code_inline":
                self._run(paragraph, child.content, strong, em, link).font.name = "Consolas"
            elif child.content:
                self._run(paragraph, child.content, strong, em, link)

    def _run(self, paragraph, text: str, strong: int, em: int, link):
        run = add_run(paragraph, clean(text))
        if strong:
            run.bold = True
        if em:
            run.italic = True
        if link is not None:
            self.w.run_style(run, "Hyperlink")
            link.append(run._r)
        return run

    def image(self, paragraph, token) -> None:
        src = str(token.attrGet("src") or "")
        alt = token.content or "".join(c.content for c in (token.children or []))
        data = self.images.get(src)
        if data is None:
            add_run(paragraph, clean(f"[Bild: {alt or src}]"))
            return
        try:
            self.w.picture(data, alt or src, alt or src, paragraph=paragraph)
        except Exception:  # noqa: BLE001 - an image python-docx cannot read is shown as its text
            add_run(paragraph, clean(f"[Bild: {alt or src}]"))

    def table(self, tokens, i: int) -> int:
        """A Markdown table as a Word table with a repeated header row; returns the next index."""
        rows: list[list[tuple[list, bool]]] = []
        aligns: list[bool] = []
        caption = tokens[i].meta.get("caption")
        while tokens[i].type != "table_close":
            token = tokens[i]
            if token.type == "tr_open":
                rows.append([])
            elif token.type in ("th_open", "td_open"):
                style = str(token.attrGet("style") or "")
                if len(rows) == 1:
                    aligns.append("right" in style)
                rows[-1].append((tokens[i + 1].children or [], token.type == "th_open"))
            i += 1
        if not rows:
            return i + 1
        columns = max(len(r) for r in rows)
        was_landscape = self.w._landscape
        if columns >= LANDSCAPE_COLUMNS:  # the PDF's rule for a text's table: a landscape page of its own
            self.w._page(landscape=True)
        if caption:  # numbered with the report's own tables
            self.w.tables += 1
            self.w.caption("Tabell", self.w.tables, caption)
        table = self.w.d.add_table(rows=len(rows), cols=columns)
        self.w.table_style(table)
        wordtables.table_caption(table, caption or "")
        # sized by the words in each column, as the report's own tables (no longer equal widths)
        texts = [["".join(t.content for t in children) for children, _ in row] + [""] * (columns - len(row))
                 for row in rows]
        widths, compact = self.w._column_widths([(t, "text") for t in texts[0]], texts[1:],
                                                compact=columns >= COMPACT_COLUMNS)
        self.w._widths(table, widths)
        for r, (row, cells) in enumerate(zip(table.rows, rows)):
            wordtables.cant_split(row)
            if r == 0:
                wordtables.repeat_header(row)
            for c, (children, head) in enumerate(cells):
                cell = row.cells[c]
                self.w._cell(cell, "", fill=HEADER_FILL if r == 0 else None,
                             right=c < len(aligns) and aligns[c])
                self.inline(cell.paragraphs[0], children, bold=head)
        if compact:  # the compact look of the report's wide tables
            wordtables.cell_margins(table, Cm(0.08))
            for run in (r for row in table.rows for cell in row.cells for p in cell.paragraphs for r in p.runs):
                run.font.size = Pt(8)
        self.w.paragraph()
        self.w._page(landscape=was_landscape)
        return i + 1
