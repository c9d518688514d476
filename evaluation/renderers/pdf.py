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

from pathlib import Path

from evaluation.core.errors import RenderError
from evaluation.core.model import Document
from evaluation.renderers import html

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
    return weasyprint


def pdf_bytes(doc: Document) -> bytes:
    """The report as a tagged A4 PDF."""
    weasyprint = _weasyprint()
    page = html.page(doc, print_version=True)
    return weasyprint.HTML(string=page).write_pdf(pdf_variant=PDF_VARIANT)


def warm() -> None:
    """Import WeasyPrint (and its Pango bindings) and the page templates, once."""
    _weasyprint()
    html.warm()


def write(doc: Document, folder: Path) -> None:
    (Path(folder) / "rapport.pdf").write_bytes(pdf_bytes(doc))
