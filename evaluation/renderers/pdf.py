"""``rapport.pdf``: the print version of the report page, laid out by WeasyPrint.

The page is the same HTML as ``rapport.html`` (the block macros of ``blocks.html.j2``) with
the print stylesheet ``templates/print.css.j2`` added: A4, a title page, contents with page
numbers, "Sida X av Y", a running header with insats and period, each section on a new page,
headings kept with what follows, no table row split and header rows repeated. The PDF is
tagged (PDF/UA-1) with the document's language (``lang="sv"``) and title, so screen readers
can read it, as the law on accessible public digital services asks of a förbund's documents.

WeasyPrint is a Python package but draws text with the system's Pango library; where Pango
is missing the import fails and :func:`write` raises a :class:`RenderError` saying what to
install.
"""
from __future__ import annotations

import atexit
import base64
import functools
import io
import struct
from pathlib import Path

from evaluation.core.errors import RenderError
from evaluation.core.model import Document
from evaluation.renderers import drawnlines, html, weasylayout, weasyspeed

#: PDF/UA-1: tagged structure, language and title in the metadata.
PDF_VARIANT = "pdf/ua-1"


def _weasyprint():
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: the package is there but Pango is not
        raise RenderError(
            "PDF-versionen kan inte skapas: WeasyPrint eller systembiblioteket Pango saknas "
            f"({exc}). Installera Pango (Debian/Ubuntu: sudo apt-get install libpangoft2-1.0-0 "
            "libharfbuzz-subset0) och kör igen."
        ) from exc
    _embed_plain_png_as_is()
    _leaders_in_runs()
    weasyspeed.apply()
    weasylayout.apply()
    drawnlines.apply()
    return weasyprint


_PNG = b"\x89PNG\r\n\x1a\n"


def plain_rgb_idat(png: bytes) -> bytes | None:
    """The compressed pixel data of ``png`` when a PDF can take it as it is, else ``None``.

    A PNG of 8-bit RGB, not interlaced (every chart: :func:`evaluation.compute.charts.draw`),
    holds in its IDAT chunks exactly the stream a PDF image with ``/FlateDecode`` and PNG
    predictors reads. Any other PNG (palette, grey, alpha, 16 bits, interlaced) gives ``None``.

    >>> import io, PIL.Image
    >>> def png(mode):
    ...     out = io.BytesIO(); PIL.Image.new(mode, (3, 2), "white").save(out, format="PNG")
    ...     return out.getvalue()
    >>> import zlib; len(zlib.decompress(plain_rgb_idat(png("RGB"))))  # a filter byte and 3 × 3 bytes a row
    20
    >>> plain_rgb_idat(png("RGBA")), plain_rgb_idat(png("P")), plain_rgb_idat(png("L"))
    (None, None, None)
    """
    header = png[:29]  # signature, IHDR's length and name, width, height, depth, colour type, ...
    if len(header) < 29 or header[:8] != _PNG or header[12:16] != b"IHDR" or header[24:29] != b"\x08\x02\x00\x00\x00":
        return None  # depth 8, colour type 2 (RGB), compression 0, filter method 0, not interlaced
    chunks, at = [], 8
    while at + 8 <= len(png):
        length, kind = struct.unpack_from("!I4s", png, at)
        if kind == b"IDAT":
            chunks.append(png[at + 8:at + 8 + length])
        at += 12 + length
    return b"".join(chunks) or None


@functools.cache
def _embed_plain_png_as_is() -> None:
    """Let WeasyPrint embed a plain RGB PNG's data as it is (:func:`plain_rgb_idat`).

    WeasyPrint decodes every PNG and compresses its pixels again, a tenth of a second a report
    for the charts alone; the pixels it writes are the same. Its own way stays for every other
    image, and for every image if a later WeasyPrint has changed the method this wraps.
    """
    from weasyprint.images import RasterImage

    encode = RasterImage.__dict__.get("_get_png_data")
    if not isinstance(encode, staticmethod):
        return

    def png_data(pillow_image):
        source = getattr(pillow_image, "fp", None)  # an image just opened from its bytes
        data = plain_rgb_idat(source.getvalue()) if isinstance(source, io.BytesIO) else None
        return data if data is not None else encode.__func__(pillow_image)

    RasterImage._get_png_data = staticmethod(png_data)


#: The most dots of a leader set as one text (:func:`_leaders_in_runs`). Within a text a dot
#: stands where the one before it ends, as the PDF's glyph widths (thousandths of the font size)
#: put it, not exactly one dot's width on (some hundredths of a point off each): eight keep the
#: last within a tenth of a point of where it stood alone.
LEADER_RUN = 8


@functools.cache
def _leaders_in_runs() -> None:
    """Let WeasyPrint set a leader (the dots between a contents entry and its page number) in texts
    of :data:`LEADER_RUN` dots, where it sets each dot as a text of its own.

    A line of the contents had some eighty dots, each copied, tagged and drawn as a text: a
    tenth of a second a PDF, most of what drawing its texts took. The dots are the same, as
    many, and each text of them starts where its first dot stood. A WeasyPrint without this
    function, or a leader that is not a row of copies of one laid-out text, is left as it is.
    """
    from weasyprint.layout import inline, leader

    handle = getattr(leader, "handle_leader", None)
    if handle is None or getattr(inline, "handle_leader", None) is not handle or not hasattr(leader, "leader_index"):
        return

    def one_run(context, line, containing_block):
        handle(context, line, containing_block)
        _, box = leader.leader_index(line)
        dots = box.children if box is not None else ()
        if len(dots) < 2:
            return
        first = dots[-1]  # set right to left: the last child begins the row
        layout = getattr(first, "pango_layout", None)
        if (layout is None or hasattr(layout, "layout")  # a layout still active is left alone
                or not weasyspeed.plain(type(layout))
                or any(type(d) is not type(first) or d.text != first.text or d.width != first.width
                       or d.pango_layout is not layout for d in dots)):
            return
        runs = []
        for at in range(len(dots) - 1, -1, -LEADER_RUN):  # from the left, as a reader reads them
            count = min(LEADER_RUN, at + 1)
            run = dots[at].copy()
            run.text, run.width = first.text * count, first.width * count
            run.pango_layout = weasyspeed.plain_copy(layout)
            run.pango_layout.text = run.text
            runs.append(run)
        box.children = tuple(runs)

    inline.handle_leader = one_run


def split_data_uri(uri: str) -> tuple[str, bytes] | None:
    """The media type and bytes of a base64 ``data:`` URI (the page's pictures), else ``None``.

    >>> split_data_uri("data:image/png;base64,iVBORw==")
    ('image/png', b'\\x89PNG')
    >>> split_data_uri("file:///x.ttf") is None, split_data_uri("data:text/plain,hej") is None
    (True, True)
    """
    head, comma, body = uri[:64].partition(",")
    if not (comma and head.startswith("data:") and head.endswith(";base64")):
        return None
    return head[5:-7], base64.b64decode(uri[len(head) + 1:])


@functools.cache
def _fetcher():
    """WeasyPrint's URL fetcher, with the page's pictures handed over as bytes: those named in the
    page (``bild:1``, :func:`evaluation.renderers.html.pictures_apart`), and ``data:`` URIs decoded directly.

    WeasyPrint hands a ``data:`` URI to ``urllib``, whose request parses the whole URI with
    regular expressions: a third of a second a report for the charts alone. The font files
    (``file:`` URLs) still go its own way. ``None`` (WeasyPrint's default) where a WeasyPrint
    has no fetcher class to extend.
    """
    from weasyprint import urls

    base = getattr(urls, "URLFetcher", None)
    response = getattr(urls, "URLFetcherResponse", None)
    if base is None or response is None:
        return None

    class Pictures(base):
        apart: dict = {}  # the page's pictures, by name (html.pictures_apart), while it is laid out

        def fetch(self, url, headers=None):
            picture = self.apart.get(url) or split_data_uri(url)
            if picture is None:
                return super().fetch(url, headers)
            kind, data = picture
            return response(url[:64], data, {"Content-Type": kind})

    return Pictures()


@functools.cache
def _print_styles():
    """The print page's stylesheet (:func:`evaluation.renderers.html.stylesheet`), parsed once a
    process with the fonts it names, for every PDF.

    Inside each page (``<style>``) it was parsed again, and its ``@font-face`` files loaded again,
    for every report: 0.08 s a PDF. Given to WeasyPrint beside the page it is the same cascade
    (the page has no other style), and the same PDF, byte for byte (``tests/test_pdf.py``).
    """
    weasyprint = _weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    atexit.register(_print_styles.cache_clear)  # its fonts are let go while WeasyPrint is still there
    styles = weasyprint.CSS(string=html.stylesheet(print_version=True), font_config=fonts, url_fetcher=_fetcher())
    return styles, fonts


#: The rules of WeasyPrint's stylesheet of HTML defaults that give *every* element pseudo-elements
#: (list markers, and the calls and markers of CSS footnotes and notes), and the elements a report
#: page has them on: a list item's marker; no footnote or note of CSS (the texts' footnotes are lists).
_EVERY_ELEMENT = {"::marker": "li::marker", "::footnote-call": "", "::footnote-marker": "", "::note-call": "",
                  "::note-marker": "", "::note-callback": ""}


@functools.cache
def _page_class():
    """WeasyPrint's HTML document with its stylesheet of HTML defaults narrowed (:data:`_EVERY_ELEMENT`).

    Those rules match every element, so WeasyPrint computed six styles for pseudo-elements no
    report page has, for each of its elements: most of the styles it computed, 0.1 s a PDF.
    The PDF is the same, byte for byte (``tests/test_pdf.py``). A WeasyPrint whose defaults
    or way of reading them differ gets its own class, unchanged.
    """
    weasyprint = _weasyprint()
    from weasyprint import html as defaults

    rules = getattr(defaults, "UA", "")
    if not hasattr(weasyprint.HTML, "_ua_stylesheets") or not all(f"\n{r} {{" in rules for r in _EVERY_ELEMENT):
        return weasyprint.HTML
    for rule, narrowed in _EVERY_ELEMENT.items():
        rules = rules.replace(f"\n{rule} {{", f"\n{narrowed or 'template' + rule} {{")  # <template>: never shown
    from weasyprint.css.counters import CounterStyle

    narrowed_defaults = weasyprint.CSS(string=rules, counter_style=CounterStyle())

    class ReportPage(weasyprint.HTML):
        def _ua_stylesheets(self, forms=False):
            return super()._ua_stylesheets(forms) if forms else [narrowed_defaults]

    return ReportPage


def pdf_bytes(doc: Document) -> bytes:
    """The report as a tagged A4 PDF."""
    weasyprint = _weasyprint()
    styles, fonts = _print_styles()
    fetcher = _fetcher()
    if fetcher is None:  # a WeasyPrint without fetcher classes: the pictures inside the page
        page = html.page(doc, print_version=True, styled=False)
        return _page_class()(string=page).write_pdf(stylesheets=[styles], font_config=fonts, pdf_variant=PDF_VARIANT)
    with html.pictures_apart() as fetcher.apart:
        page = html.page(doc, print_version=True, styled=False)
    try:
        return _page_class()(string=page, url_fetcher=fetcher).write_pdf(
            stylesheets=[styles], font_config=fonts, pdf_variant=PDF_VARIANT)
    finally:
        fetcher.apart = {}


def warm() -> None:
    """Import WeasyPrint (and its Pango bindings), the page templates and the stylesheets, once."""
    _print_styles()
    _page_class()
    html.warm()


def write(doc: Document, folder: Path) -> None:
    (Path(folder) / "rapport.pdf").write_bytes(pdf_bytes(doc))
