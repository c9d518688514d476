"""HTML of the report model: every block through one autoescaped jinja2 Environment.

The templates are ``templates/blocks.html.j2`` (one macro per block type) and the page
templates beside it. Markdown (the evaluator's prose) is turned into markup by markdown-it
with raw HTML disabled, so a ``<script>`` in a text is shown as text, never run.

>>> from evaluation.core.model import Paragraph
>>> block(Paragraph("1 < 2 & 3", "note"))
'<p class="note">1 &lt; 2 &amp; 3</p>'
"""
from __future__ import annotations

import base64
import hashlib
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

from jinja2 import Environment, PackageLoader, select_autoescape
from markdown_it.common.utils import escapeHtml
from markupsafe import Markup

from evaluation.core import fmt, fonts, markup
from evaluation.renderers import print_classes


def _embedded_image(renderer, tokens, idx, options, env) -> str:
    """An image of a text as a data URI of the bytes the block carries (``env["images"]``)."""
    token = tokens[idx]
    data = (env.get("images") or {}).get(token.attrs.get("src"))
    if data is not None:
        token.attrSet("src", image_uri(data))
    return renderer.image(tokens, idx, options, env)


#: The box a table of a text scrolls in when it is wider than the screen, as the report's own
#: tables do (the whole page scrolled sideways); it takes keyboard focus, so it is named: by the
#: table's caption (``Tabell: ...`` above it, :func:`evaluation.core.markup.parser`), else this.
SCROLL_BOX = '<div class="table-scroll" tabindex="0" role="region" aria-label="{name}">'
UNNAMED_TABLE = "Tabell i texten"


def _scrolling_table_open(renderer, tokens, idx, options, env) -> str:
    """The table in its scroll box, with its caption, and the classes of its width
    (:func:`evaluation.renderers.print_classes.width`: every row has the header row's cells)."""
    caption = tokens[idx].meta.get("caption")
    cells = 0
    for token in tokens[idx + 1:]:
        if token.type == "tr_close":
            break
        cells += token.type in ("th_open", "td_open")
    wide = print_classes.width(cells)
    if wide:
        tokens[idx].attrSet("class", wide)
    box = SCROLL_BOX.format(name=escapeHtml(caption or UNNAMED_TABLE))
    table = renderer.renderToken(tokens, idx, options, env)
    return box + table + (f"<caption>{escapeHtml(caption)}</caption>\n" if caption else "")


def _scrolling_table_close(renderer, tokens, idx, options, env) -> str:
    return renderer.renderToken(tokens, idx, options, env) + "</div>\n"


def _column_header(renderer, tokens, idx, options, env) -> str:
    """A header cell of a text's table heads its column (``scope``, as in the report's own tables)."""
    tokens[idx].attrSet("scope", "col")
    return renderer.renderToken(tokens, idx, options, env)


#: The link from a footnote back to its mark: an arrow the shipped font has (the plugin's ↩ it has
#: not, so each PDF of a text with footnotes embedded a machine's own font for it), named in Swedish.
BACK_TO_TEXT = '<a href="#fnref{0}" class="footnote-backref" aria-label="Tillbaka till texten">↑</a>'


def _back_to_text(renderer, tokens, idx, options, env) -> str:
    ident = renderer.rules["footnote_anchor_name"](tokens, idx, options, env)
    if tokens[idx].meta["subId"] > 0:
        ident += f":{tokens[idx].meta['subId']}"
    return " " + BACK_TO_TEXT.format(ident)


def _footnote_number(renderer, tokens, idx, options, env) -> str:
    """A footnote's mark, ``[1]`` however often the text refers to it (the plugin wrote ``[1:1]``
    the second time; Word writes ``[1]``)."""
    return f"[{tokens[idx].meta['id'] + 1}]"


_MARKDOWN = markup.parser()
_MARKDOWN.add_render_rule("image", _embedded_image)
_MARKDOWN.add_render_rule("footnote_anchor", _back_to_text)
_MARKDOWN.add_render_rule("footnote_caption", _footnote_number)
_MARKDOWN.add_render_rule("table_open", _scrolling_table_open)
_MARKDOWN.add_render_rule("table_close", _scrolling_table_close)
_MARKDOWN.add_render_rule("th_open", _column_header)

#: The one Environment of every HTML the toolkit writes (reports, index, overview).
ENV = Environment(
    loader=PackageLoader("evaluation", "templates"),
    autoescape=select_autoescape(["html", "j2"], default_for_string=True),
    trim_blocks=True, lstrip_blocks=True,
)
#: The metadata key of every output a block gives in a notebook (:mod:`evaluation.renderers.lab`).
NOTEBOOK_KEY = "evaluation"
#: Tags of notebook cells left out of the HTML page (they are in the audit notebook).
HIDDEN_TAGS = {"parameters", "injected-parameters", "remove"}
#: The shipped font as data URIs, for the index and the overview (a report page passes its own).
ENV.globals["embedded_fonts"] = lambda: Markup(fonts.font_face_css(embed=True))


def markdown_html(text: str, images=()) -> Markup:
    """Markdown as markup; raw HTML in the text is escaped, never passed through.

    ``images`` (path as written → bytes) are embedded as data URIs; footnotes become a numbered
    list after the text, with anchors unique to the text (so several texts on a page never clash).

    >>> print(markdown_html("Källa[^a].\\n\\n[^a]: SCB 2024.\\n"))  # doctest: +ELLIPSIS
    <p>Källa<sup class="footnote-ref"><a href="#fn-...-1" id="fnref-...-1">[1]</a></sup>.</p>
    ...<li id="fn-...-1" class="footnote-item"><p>SCB 2024. <a href="#fnref-...-1" class="footnote-backref" aria-label="Tillbaka till texten">↑</a></p>
    ...
    """
    doc_id = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    return Markup(_MARKDOWN.render(text, {"images": dict(images), "docId": doc_id}))


def inline_markdown(text: str) -> Markup:
    """Markdown without the wrapping ``<p>`` of a single paragraph.

    >>> str(inline_markdown("**viktigt**"))
    '<strong>viktigt</strong>'
    """
    html = _MARKDOWN.render(text).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


#: Where pictures go while :func:`pictures_apart` holds: their name in the page → (type, bytes).
_APART: ContextVar[dict | None] = ContextVar("pictures_apart", default=None)
#: The scheme of a picture's name in a page made with :func:`pictures_apart`.
APART_SCHEME = "bild:"


def image_uri(data: bytes) -> str:
    """A PNG or JPEG image as a data URI (the type read from the bytes), or its name while
    :func:`pictures_apart` holds.

    >>> image_uri(b"\\x89PNG")
    'data:image/png;base64,iVBORw=='
    >>> with pictures_apart() as pictures:
    ...     image_uri(b"\\xff\\xd8\\xff"), pictures
    ('bild:1', {'bild:1': ('image/jpeg', b'\\xff\\xd8\\xff')})
    """
    kind = "jpeg" if data.startswith(b"\xff\xd8\xff") else "png"
    apart = _APART.get()
    if apart is not None:
        name = f"{APART_SCHEME}{len(apart) + 1}"
        apart[name] = (f"image/{kind}", data)
        return name
    return f"data:image/{kind};base64," + base64.b64encode(data).decode("ascii")


@contextmanager
def pictures_apart():
    """Make pages whose pictures are named (``bild:1``, ``bild:2`` …) instead of embedded as base64,
    for a writer that reads the page and fetches its pictures itself (the PDF); yields the pictures
    by name. The page is a third as long: its parser scanned the base64 character by character.
    """
    apart: dict[str, tuple[str, bytes]] = {}
    token = _APART.set(apart)
    try:
        yield apart
    finally:
        _APART.reset(token)


#: The most characters of a section's title in the PDF's running header (at its right).
RUNNING_TITLE = 40


def running_title(heading: str) -> str:
    """A section's heading as the running header of its pages shows it, when it must be cut to fit
    one line there (else ``""``: the heading itself is shown).

    >>> running_title("Tillvaratagande i ordinarie verksamhet"), running_title("4.2 Samverkan med Arbetsförmedlingen och kommunerna i länet")
    ('', '4.2 Samverkan med Arbetsförmedlingen…')
    """
    return fmt.shortened(heading, RUNNING_TITLE) if len(heading) > RUNNING_TITLE else ""


@lru_cache(maxsize=1)
def _macros():
    return ENV.get_template("blocks.html.j2").make_module(
        {"md": markdown_html, "inline_md": inline_markdown, "image_uri": image_uri,
         "render": lambda b, marks="": Markup(block(b, marks)), "running_title": running_title,
         "section_classes": print_classes.section_classes, "width": print_classes.width,
         "columns": print_classes.columns}
    )


def block(b, marks: str = "") -> str:
    """One block (or section, title block, contents) as HTML; ``marks``: the classes the print
    rules name it by (:func:`evaluation.renderers.print_classes.section_classes`)."""
    if b is None:
        return ""
    macro = getattr(_macros(), type(b).__name__)
    return str(macro(b, marks) if marks else macro(b))


def stylesheet(print_version: bool = False) -> str:
    """The page's CSS: the shipped font's faces (:func:`evaluation.core.fonts.font_face_css`), the
    house style and, for print, the print rules (A4, running header, page numbers).

    >>> "@page" in stylesheet(print_version=True), "@page" in stylesheet()
    (True, False)
    """
    return ENV.get_template("styles.css.j2").render(
        print_version=print_version, font_css=Markup(fonts.font_face_css(embed=not print_version)))


def page(doc, body: str | None = None, print_version: bool = False, styled: bool = True) -> str:
    """A whole self-contained page; ``body`` defaults to the document's own blocks.

    ``styled=False`` leaves out the page's ``<style>`` (:func:`stylesheet`), for a writer that
    passes the same stylesheet, parsed once, to every page (:mod:`evaluation.renderers.pdf`).
    """
    if body is None:
        parts = [block(doc.title_block), block(doc.contents)] + [block(s) for s in doc.sections]
        body = "\n".join(parts)
    return ENV.get_template("rapport.html.j2").render(
        title=doc.title, author=doc.author, subject=doc.subject, header=doc.header, body=Markup(body),
        print_version=print_version, styles=Markup(stylesheet(print_version)) if styled else "",
    )


def from_notebook(notebook, doc) -> str:
    """The executed notebook as the report page: outputs only, no code, no parameters.

    The page is made from the notebook (so the notebook really is the report); stream and
    error outputs and cells tagged ``parameters``, ``injected-parameters`` or ``remove`` are
    left out.
    """
    import nbformat

    notebook = nbformat.from_dict(notebook)  # a copy: the audit notebook keeps everything
    for cell in notebook.cells:
        if cell.cell_type == "code":
            shown = [o for o in cell.outputs if o.output_type in ("display_data", "execute_result")]
            cell.outputs = _as_report(shown, doc)
    body, _ = _exporter().from_notebook_node(notebook)
    return page(doc, body=body)


def _as_report(outputs: list, doc) -> list:
    """A cell's outputs as the report shows them: the outputs of a section (its HTML and chart
    PNGs, see :mod:`evaluation.renderers.lab`) become that section's report HTML, the contents the
    report's contents; other outputs stay."""
    import nbformat

    by_id = {s.id: s for s in doc.sections}
    out, done = [], set()
    for output in outputs:
        what = output.get("metadata", {}).get(NOTEBOOK_KEY, {})
        if "section" in what or "contents" in what:
            key = what.get("section", "#contents")
            if key not in done:
                done.add(key)
                shown = doc.contents if key == "#contents" else by_id.get(key)
                if shown is not None:  # a display_data output (nbformat's new_output, without validating each)
                    out.append(nbformat.from_dict({"output_type": "display_data", "metadata": {},
                                                   "data": {"text/html": block(shown)}}))
        else:
            out.append(output)
    return out


@lru_cache(maxsize=None)
def _exporter():
    """One nbconvert exporter per process: its templates are compiled once, not per report.

    It is nbconvert's HTML exporter without the pass its ``from_notebook_node`` ends with, which
    parses the whole page again with BeautifulSoup to give a picture without alt text an English
    placeholder and Lab's output areas a ``tabindex`` (half the time of making the page): every
    picture of a report has its Swedish alt text, and the page has no Lab output areas (the
    ``basic`` template). The page is otherwise the same (``tests/test_render.py``). The notebook
    is validated once, after its preprocessors (nbconvert's ``optimistic_validation``), not after
    each of its thirteen (nearly all disabled): a fifth of the time of making the page.
    """
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
    from nbconvert.preprocessors import TagRemovePreprocessor

    class PageExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    exporter = PageExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True, optimistic_validation=True)
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags=HIDDEN_TAGS, enabled=True), enabled=True)
    # the filters HTMLExporter's own from_notebook_node registers before rendering
    exporter.register_filter("highlight_code", Highlight2HTML(parent=exporter))
    exporter.register_filter("filter_data_type", WidgetsDataTypeFilter(
        notebook_metadata=exporter._nb_metadata, parent=exporter, resources={}))
    return exporter


def warm() -> None:
    """Compile the page templates and the notebook exporter, and embed the fonts, once."""
    _macros()
    _exporter()
    ENV.get_template("rapport.html.j2")
    fonts.font_face_css(embed=True)


def write(doc, folder, notebook=None) -> None:
    html = from_notebook(notebook, doc) if notebook is not None else page(doc)
    (folder / "rapport.html").write_text(html, encoding="utf-8")
